//! i-Hub's pages, under `/hub`: the search, a resource, the form that makes or edits
//! one, and the reader's bookmarks and collections. The hub registers its own routes.

mod detail;
mod editor;
mod search;
mod shelf;

use common::error::FieldError;
use common::hub::{AgencyRef, ResourceHit};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::form::checked;
use crate::i18n::{use_i18n, I18n};
use crate::not_found::NotFoundPage;

#[derive(Debug, Clone, PartialEq, Routable)]
pub enum HubRoute {
    #[at("/hub")]
    Search,
    #[at("/hub/new")]
    New,
    #[at("/hub/shelf")]
    Shelf,
    #[at("/hub/resources/:id")]
    Resource { id: String },
    #[at("/hub/resources/:id/edit")]
    Edit { id: String },
    #[not_found]
    #[at("/hub/404")]
    NotFound,
}

fn page(route: HubRoute) -> Html {
    match route {
        HubRoute::Search => html! { <search::SearchPage /> },
        HubRoute::New => html! { <editor::EditorPage /> },
        HubRoute::Edit { id } => html! { <editor::EditorPage {id} /> },
        HubRoute::Resource { id } => html! { <detail::ResourcePage {id} /> },
        HubRoute::Shelf => html! { <shelf::ShelfPage /> },
        HubRoute::NotFound => html! { <NotFoundPage /> },
    }
}

/// Every page of the hub, chosen by the address.
#[function_component]
pub fn HubPages() -> Html {
    html! { <Switch<HubRoute> render={page} /> }
}

/// A resource's title in the current language.
fn title(i18n: I18n, hit: &ResourceHit) -> String {
    i18n.pick(&hit.title_zh, &hit.title_en).to_owned()
}

fn agency_name(i18n: I18n, agencies: &[AgencyRef], id: &str) -> String {
    agencies.iter().find(|a| a.id == id).map_or_else(
        || id.to_owned(),
        |a| i18n.pick(&a.name_zh, &a.name_en).to_owned(),
    )
}

#[derive(Properties, PartialEq)]
struct HitListProps {
    hits: Vec<ResourceHit>,
    #[prop_or_default]
    agencies: Vec<AgencyRef>,
    /// A control beside each hit (take it out of a collection), given its id.
    #[prop_or_default]
    action: Option<(&'static str, Callback<String>)>,
}

/// Resources as a list: title to open, type, evidence, status when not published.
#[function_component]
fn HitList(props: &HitListProps) -> Html {
    let i18n = use_i18n();
    html! {
        <ul class="hits">
            { for props.hits.iter().map(|hit| {
                let status = (hit.status != common::hub::ResourceStatus::Published)
                    .then(|| i18n.code("resource_status", hit.status.as_str()));
                html! {
                    <li key={hit.id.clone()} class="hit">
                        <h3><Link<HubRoute> to={HubRoute::Resource { id: hit.id.clone() }}>{ title(i18n, hit) }</Link<HubRoute>></h3>
                        <p class="meta">
                            { i18n.code("resource_type", hit.resource_type.as_str()) }
                            if let Some(rating) = hit.evidence_rating {
                                { " · " }{ i18n.code("evidence_rating", rating.as_str()) }
                            }
                            if !props.agencies.is_empty() {
                                { " · " }{ agency_name(i18n, &props.agencies, &hit.agency_id) }
                            }
                            if let Some(status) = status {
                                { " · " }<span class="badge">{ status }</span>
                            }
                        </p>
                        <p>{ i18n.pick(&hit.summary_zh, &hit.summary_en).chars().take(160).collect::<String>() }</p>
                        if let Some((label, act)) = &props.action {
                            <button type="button" onclick={act.reform({ let id = hit.id.clone(); move |_| id.clone() })}>
                                { i18n.t(label) }
                            </button>
                        }
                    </li>
                }
            }) }
        </ul>
    }
}

#[derive(Properties, PartialEq)]
pub struct CodeChoiceProps {
    /// Each checkbox's id is this, a hyphen and the code.
    pub prefix: &'static str,
    /// The API's name of the field, which its error's id starts with.
    pub field: &'static str,
    pub legend: &'static str,
    /// The closed list's name in the translation files.
    pub list: &'static str,
    pub options: Vec<&'static str>,
    pub chosen: Vec<&'static str>,
    pub on_change: Callback<Vec<&'static str>>,
    #[prop_or_default]
    pub error: Option<FieldError>,
}

/// Codes of a closed list to tick, in the list's order (the hub's and the course
/// editor's).
#[function_component]
pub fn CodeChoice(props: &CodeChoiceProps) -> Html {
    let i18n = use_i18n();
    let error_id = format!("{}-error", props.field);
    html! {
        <fieldset class="field" aria-describedby={props.error.as_ref().map(|_| error_id.clone())}>
            <legend>{ i18n.t(props.legend) }</legend>
            <div class="checkbox-grid">
                { for props.options.iter().map(|&code| {
                    let id = format!("{}-{code}", props.prefix);
                    let (chosen, on_change) = (props.chosen.clone(), props.on_change.clone());
                    let onchange = Callback::from(move |e: Event| {
                        let mut next: Vec<&'static str> = chosen.iter().copied().filter(|c| *c != code).collect();
                        if checked(&e) {
                            next.push(code);
                        }
                        on_change.emit(next);
                    });
                    html! {
                        <label for={id.clone()} class="checkbox">
                            <input type="checkbox" id={id} checked={props.chosen.contains(&code)} {onchange} />
                            { i18n.code(props.list, code) }
                        </label>
                    }
                }) }
            </div>
            if let Some(e) = &props.error {
                <p id={error_id} class="field-error">{ i18n.field_error(e) }</p>
            }
        </fieldset>
    }
}
