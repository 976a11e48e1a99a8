//! The co-learning circle's pages, under `/circle`: the threads (searched, by topic), a
//! new thread, a thread with its replies, and the moderators' queue of reports. The
//! circle registers its own routes.

mod post;
mod reports;
mod thread;
mod threads;

use common::circle::identifying;
use common::error::FieldError;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::i18n::use_i18n;
use crate::not_found::NotFoundPage;

#[derive(Debug, Clone, PartialEq, Routable)]
pub enum CircleRoute {
    #[at("/circle")]
    Threads,
    #[at("/circle/new")]
    New,
    #[at("/circle/reports")]
    Reports,
    #[at("/circle/threads/:id")]
    Thread { id: String },
    #[not_found]
    #[at("/circle/404")]
    NotFound,
}

fn page(route: CircleRoute) -> Html {
    match route {
        CircleRoute::Threads => html! { <threads::ThreadsPage /> },
        CircleRoute::New => html! { <threads::NewThreadPage /> },
        CircleRoute::Reports => html! { <reports::ReportsPage /> },
        CircleRoute::Thread { id } => {
            html! { <thread::ThreadPage key={id.clone()} id={id.clone()} /> }
        }
        CircleRoute::NotFound => html! { <NotFoundPage /> },
    }
}

/// Every page of the circle, chosen by the address.
#[function_component]
pub fn CirclePages() -> Html {
    html! { <Switch<CircleRoute> render={page} /> }
}

/// What the server would refuse in these texts as identifying a family, to warn of as it
/// is typed.
pub fn warning(texts: &[&str]) -> Option<FieldError> {
    texts.iter().find_map(|text| identifying(text))
}

/// The reminder beside every box a post is written in: the circle crosses agencies, and
/// what is shared must not point at a family.
#[derive(Properties, PartialEq)]
pub struct PrivacyProps {
    pub id: AttrValue,
    /// What is being typed would be refused (an HKID, a phone number, an e-mail address).
    #[prop_or_default]
    pub warning: Option<FieldError>,
}

#[function_component]
pub fn Privacy(props: &PrivacyProps) -> Html {
    let i18n = use_i18n();
    html! {
        <div id={props.id.clone()} class="privacy-note">
            <p>{ i18n.t("circle.privacy") }</p>
            if let Some(warning) = &props.warning {
                <p role="alert" class="field-error">{ i18n.field_error(warning) }</p>
            }
        </div>
    }
}
