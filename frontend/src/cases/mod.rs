//! i-Connect casework: the case list with its filters, opening a case for a client, and
//! the case page with its lifecycle actions, a supervisor's decision on closure, the
//! contact log, the plan and the referrals, the caseworker's home, and the search over
//! the contact notes.

mod detail;
mod home;
mod list;
mod note_search;
mod notes;
mod open;
mod plan;
mod referrals;
mod shares;
mod transfer;

pub use detail::CaseDetailPage;
pub use home::CaseworkHomePanel;
pub use list::{CaseList, CaseTable, ClientCases};
pub use note_search::NoteSearchPage;
pub use notes::hong_kong;
pub use open::{CaseFields, OpenCasePage};

use common::cases::{CasePerson, CaseworkDirectory};
use yew::prelude::*;

use crate::api::{use_get, Load};
use crate::i18n::use_i18n;

/// A person's names, Chinese first, as staff write them.
pub fn person_name(person: &CasePerson) -> String {
    common::clients::full_name(&person.name_zh, &person.name_en)
}

#[derive(Properties, PartialEq)]
pub struct CaseworkerSelectProps {
    pub id: AttrValue,
    pub value: String,
    pub onchange: Callback<Event>,
    #[prop_or_default]
    pub invalid: Option<AttrValue>,
    #[prop_or_default]
    pub described: Option<AttrValue>,
    /// Left out of the choice: the case's present worker.
    #[prop_or_default]
    pub except: Option<String>,
}

/// A choice among the caseworkers of the user's centre.
#[function_component]
pub fn CaseworkerSelect(props: &CaseworkerSelectProps) -> Html {
    let i18n = use_i18n();
    let directory = use_get::<CaseworkDirectory>("/api/casework/directory".into(), 0);
    let caseworkers = match &*directory {
        Load::Ready(directory) => directory.caseworkers.clone(),
        _ => Vec::new(),
    };
    html! {
        <select id={props.id.clone()} onchange={props.onchange.clone()}
            aria-invalid={props.invalid.clone()} aria-describedby={props.described.clone()}>
            <option value="" selected={props.value.is_empty()}>{ i18n.t("client.choose") }</option>
            { for caseworkers.iter().filter(|w| props.except.as_ref() != Some(&w.id)).map(|w| html! {
                <option value={w.id.clone()} selected={props.value == w.id}>{ w.display_name.clone() }</option>
            }) }
        </select>
    }
}
