//! Registered people a search finds, each with one button to act on them: adding them
//! to a household, enrolling them in a group.

use common::clients::{ClientPage, ClientQuery};
use yew::prelude::*;

use crate::api::{use_fetch, Fetch, Load};
use crate::i18n::use_i18n;

#[derive(Properties, PartialEq)]
pub struct CandidatesProps {
    pub term: String,
    /// Translation key of each button's text.
    pub action: &'static str,
    /// Translation key of each button's accessible name, with `{name}`.
    pub action_named: &'static str,
    pub on_choose: Callback<String>,
}

#[function_component]
pub fn ClientCandidates(props: &CandidatesProps) -> Html {
    let i18n = use_i18n();
    let query = ClientQuery {
        q: Some(props.term.clone()),
        page: None,
        per_page: Some(5),
    };
    let found = use_fetch::<ClientPage>(
        Fetch {
            path: "/api/clients/search".to_owned(),
            body: serde_json::to_value(query).ok(),
        },
        0,
    );
    let Load::Ready(found) = &*found else {
        return Html::default();
    };
    html! {
        <ul class="member-candidates">
            { for found.items.iter().map(|client| {
                let name = [client.name_zh.as_str(), client.name_en.as_str()]
                    .into_iter()
                    .filter(|n| !n.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ");
                let id = client.id.clone();
                html! {
                    <li key={client.id.clone()}>
                        { format!("{name} · {}", client.date_of_birth) }{ " " }
                        <button type="button" class="candidate-action" onclick={props.on_choose.reform(move |_: MouseEvent| id.clone())}
                            aria-label={i18n.tf(props.action_named, &[("name", &name)])}>
                            { i18n.t(props.action) }
                        </button>
                    </li>
                }
            }) }
        </ul>
    }
}
