//! The hub's search: words in either language, facets with their counts to narrow by,
//! an order, and pages. The search lives in the address, so it can be shared and the
//! Back button returns to it.

use common::hub::{
    Audience, EvidenceRating, FacetCount, Facets, ResourceLanguage, ResourceQuery, ResourceResults,
    ResourceSort, ResourceStatus, ResourceType,
};
use common::identity::Permission;
use common::taxonomy::Vocabulary;
use yew::prelude::*;
use yew_router::prelude::*;

use super::{agency_name, HitList, HubRoute};
use crate::api::{use_get, Load};
use crate::filters::CodeFilter;
use crate::form::value_of;
use crate::i18n::{use_i18n, use_title};
use crate::identity::use_session;
use crate::pager::{use_addressed_list, Pager};
use crate::terms::{names, use_terms};

/// One facet: its values' counts, which of the query's fields it sets, its legend, and
/// the closed list that names its values (none: case natures and agencies, named from
/// what the API gave).
struct Facet {
    key: &'static str,
    legend: &'static str,
    list: Option<&'static str>,
    counts: fn(&Facets) -> &Vec<FacetCount>,
    chosen: Option<String>,
    set: fn(&mut ResourceQuery, Option<&str>),
}

#[function_component]
pub fn SearchPage() -> Html {
    use_title("hub.title");
    let i18n = use_i18n();
    let session = use_session();
    let list = use_addressed_list::<ResourceQuery, _>(HubRoute::Search);
    let query = &list.query;
    let found = use_get::<ResourceResults>(list.api("/api/resources"), 0);
    let natures = use_terms(Vocabulary::CaseNatures);
    let words = use_state(|| query.q.clone().unwrap_or_default());
    {
        let words = words.clone();
        use_effect_with(query.q.clone(), move |q| {
            words.set(q.clone().unwrap_or_default())
        });
    }
    let onsubmit = {
        let (list, words) = (list.clone(), words.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let q = words.trim().to_owned();
            list.go.emit(list.refined(|query| {
                query.sort = None;
                query.q = (!q.is_empty()).then_some(q);
            }));
        })
    };
    let oninput = {
        let words = words.clone();
        Callback::from(move |e: InputEvent| words.set(value_of(&e)))
    };
    let facets = [
        Facet {
            key: "resource_type",
            list: Some("resource_type"),
            counts: |f| &f.resource_type,
            legend: "hub.resource_type",
            chosen: query.resource_type.map(|t| t.as_str().to_owned()),
            set: |q, v| q.resource_type = v.and_then(ResourceType::parse),
        },
        Facet {
            key: "topic",
            list: None,
            counts: |f| &f.topic,
            legend: "hub.topics",
            chosen: query.topic.clone(),
            set: |q, v| q.topic = v.map(str::to_owned),
        },
        Facet {
            key: "evidence_rating",
            list: Some("evidence_rating"),
            counts: |f| &f.evidence_rating,
            legend: "hub.evidence_rating",
            chosen: query.evidence_rating.map(|r| r.as_str().to_owned()),
            set: |q, v| q.evidence_rating = v.and_then(EvidenceRating::parse),
        },
        Facet {
            key: "audience",
            list: Some("audience"),
            counts: |f| &f.audience,
            legend: "hub.audiences",
            chosen: query.audience.map(|a| a.as_str().to_owned()),
            set: |q, v| q.audience = v.and_then(Audience::parse),
        },
        Facet {
            key: "language",
            list: Some("resource_language"),
            counts: |f| &f.language,
            legend: "hub.languages",
            chosen: query.language.map(|l| l.as_str().to_owned()),
            set: |q, v| q.language = v.and_then(ResourceLanguage::parse),
        },
        Facet {
            key: "agency",
            list: None,
            counts: |f| &f.agency,
            legend: "hub.agency",
            chosen: query.agency.clone(),
            set: |q, v| q.agency = v.map(str::to_owned),
        },
    ];
    let signed_in = session.me.is_some();
    // Relevance sorts only a search by words.
    let sorts: Vec<ResourceSort> = ResourceSort::ALL
        .iter()
        .copied()
        .filter(|s| *s != ResourceSort::Relevance || query.q.is_some())
        .collect();
    html! {
        <section>
            <div class="page-head">
                <h1>{ i18n.t("hub.title") }</h1>
                if session.can(Permission::ContributeResources) {
                    <Link<HubRoute> to={HubRoute::New} classes="button primary">{ i18n.t("hub.new") }</Link<HubRoute>>
                }
                if signed_in {
                    <Link<HubRoute> to={HubRoute::Shelf} classes="button">{ i18n.t("hub.shelf") }</Link<HubRoute>>
                }
            </div>
            <form role="search" class="filters" {onsubmit}>
                <div class="field">
                    <label for="hub-q">{ i18n.t("hub.search_label") }</label>
                    <input id="hub-q" type="search" value={(*words).clone()} {oninput} />
                </div>
                <button type="submit" class="primary">{ i18n.t("hub.search") }</button>
                <CodeFilter<ResourceSort> id="hub-sort" label="hub.sort" list="resource_sort" any={None::<&'static str>} only={sorts}
                    chosen={query.sort}
                    on_choose={list.on_value(|q, v| q.sort = v)} />
                if signed_in {
                    <CodeFilter<ResourceStatus> id="hub-status" label="hub.status" list="resource_status" any={None::<&'static str>}
                        chosen={Some(query.status.unwrap_or(ResourceStatus::Published))}
                        on_choose={list.on_value(|q, v| q.status = v)} />
                    <label for="hub-mine" class="checkbox">
                        <input id="hub-mine" type="checkbox" checked={query.mine == Some(true)}
                            onchange={list.on_filter(|q, _| q.mine = if q.mine == Some(true) { None } else { Some(true) })} />
                        { i18n.t("hub.mine") }
                    </label>
                }
            </form>
            { match &*found {
                Load::Loading => html! { <p role="status">{ i18n.t("app.loading") }</p> },
                Load::Failed(error) => html! { <p role="alert" class="alert">{ i18n.error(error) }</p> },
                Load::Ready(found) => html! {
                    <div class="hub-layout">
                        <aside class="facets" aria-label={i18n.t("hub.facets")}>
                            { for facets.iter().map(|facet| {
                                let counts = (facet.counts)(&found.facets);
                                let name = |value: &FacetCount| match (facet.list, facet.key) {
                                    (Some(list), _) => i18n.lookup(&format!("{list}.{}", value.value)).unwrap_or(&value.value).to_owned(),
                                    (None, "topic") => names(i18n, &natures, std::slice::from_ref(&value.value)),
                                    (None, _) => agency_name(i18n, &found.agencies, &value.value),
                                };
                                html! {
                                    <fieldset class="facet" id={format!("facet-{}", facet.key)}>
                                        <legend>{ i18n.t(facet.legend) }</legend>
                                        if counts.is_empty() {
                                            <p class="muted">{ i18n.t("hub.facet_none") }</p>
                                        }
                                        { for counts.iter().map(|count| {
                                            let on = facet.chosen.as_deref() == Some(count.value.as_str());
                                            let (list, set, value) = (list.clone(), facet.set, count.value.clone());
                                            let onclick = Callback::from(move |_: MouseEvent| {
                                                list.go.emit(list.refined(|q| set(q, (!on).then_some(value.as_str()))));
                                            });
                                            html! {
                                                <button type="button" class="facet-value" aria-pressed={on.to_string()} {onclick}>
                                                    { name(count) }{ format!(" ({})", count.count) }
                                                </button>
                                            }
                                        }) }
                                    </fieldset>
                                }
                            }) }
                        </aside>
                        <div class="results">
                            <p role="status" id="hub-total">{ i18n.tf("hub.total", &[("total", &found.total.to_string())]) }</p>
                            if found.items.is_empty() {
                                <p>{ i18n.t("hub.none") }</p>
                            } else {
                                <HitList hits={found.items.clone()} agencies={found.agencies.clone()} />
                            }
                            <Pager page={found.page} total={found.total} per_page={found.per_page}
                                label="hub.paging" on_page={list.on_page()} />
                        </div>
                    </div>
                },
            } }
        </section>
    }
}
