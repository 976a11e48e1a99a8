//! Two records of one person: a record's merges explained (those merged into it, or the
//! one it was merged into), and a supervisor's merge of a duplicate into it.

use std::rc::Rc;

use common::clients::{Client, ClientMerge, ClientPage, ClientQuery, MergeForm};
use common::error::ErrorBody;
use common::identity::Permission;
use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{encode, use_get, Load};
use crate::app::Route;
use crate::form::{error_attrs, field_error, form_alert, submit, value_of, FormField};
use crate::i18n::{use_i18n, I18n};
use crate::identity::use_session;

#[derive(Properties, PartialEq)]
pub struct MergeSectionProps {
    pub client: Rc<Client>,
    /// After a merge: the record has changed.
    pub on_merged: Callback<()>,
}

#[function_component]
pub fn MergeSection(props: &MergeSectionProps) -> Html {
    let i18n = use_i18n();
    let session = use_session();
    let client = &props.client;
    let merges = use_get::<Vec<ClientMerge>>(
        format!("/api/clients/{}/merges", encode(&client.id)),
        client.version as u32,
    );
    let merges: Vec<ClientMerge> = match &*merges {
        Load::Ready(merges) => merges.to_vec(),
        _ => Vec::new(),
    };
    let into_others: Vec<&ClientMerge> = merges
        .iter()
        .filter(|m| m.absorbed_id == client.id)
        .collect();
    let into_this: Vec<&ClientMerge> = merges
        .iter()
        .filter(|m| m.survivor_id == client.id)
        .collect();
    let may_merge = session.can(Permission::MergeClients) && client.merged_into.is_none();
    if merges.is_empty() && !may_merge {
        return Html::default();
    }
    html! {
        <section class="panel" id="client-merges" aria-labelledby="client-merges-title">
            <h2 id="client-merges-title">{ i18n.t("merge.title") }</h2>
            { for into_others.iter().map(|m| html! {
                <div class="alert" id="merged-into">
                    <p>
                        { i18n.t("merge.this_was_merged") }{ " " }
                        <Link<Route> to={Route::ClientDetail { id: m.survivor_id.clone() }}>
                            { m.survivor_name.clone() }
                        </Link<Route>>
                    </p>
                    { explanation(i18n, m) }
                </div>
            }) }
            if !into_this.is_empty() {
                <h3>{ i18n.t("merge.merged_here") }</h3>
                <ul class="merges">
                    { for into_this.iter().map(|m| html! {
                        <li key={m.id.clone()}>
                            <Link<Route> to={Route::ClientDetail { id: m.absorbed_id.clone() }}>
                                { m.absorbed_name.clone() }
                            </Link<Route>>
                            { explanation(i18n, m) }
                        </li>
                    }) }
                </ul>
            }
            if may_merge {
                <MergePanel survivor={client.clone()} on_merged={props.on_merged.clone()} />
            }
        </section>
    }
}

/// When, by whom and why, and what moved.
fn explanation(i18n: I18n, merge: &ClientMerge) -> Html {
    let when = (merge.merged_at + chrono::TimeDelta::hours(8))
        .format("%Y-%m-%d")
        .to_string();
    let moved = merge.moved;
    let counts = [
        ("cases", moved.cases),
        ("case_memberships", moved.case_memberships),
        ("note_participations", moved.note_participations),
        ("household_memberships", moved.household_memberships),
        ("enquiries", moved.enquiries),
        ("enrolments", moved.enrolments),
        ("assessments", moved.assessments),
        ("protection_concerns", moved.protection_concerns),
    ]
    .map(|(name, n)| (name, n.to_string()));
    let counts: Vec<(&str, &str)> = counts.iter().map(|(k, v)| (*k, v.as_str())).collect();
    html! {
        <>
            <p>{ i18n.tf("merge.when_by", &[("date", &when), ("name", &merge.merged_by)]) }</p>
            <p>{ i18n.tf("merge.reason_was", &[("reason", &merge.reason)]) }</p>
            <p class="hint">{ i18n.tf("merge.moved", &counts) }</p>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct MergePanelProps {
    survivor: Rc<Client>,
    on_merged: Callback<()>,
}

/// Find the duplicate, compare the two, say why they are one person, merge.
#[function_component]
fn MergePanel(props: &MergePanelProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let survivor = &props.survivor;
    let term = use_state(String::new);
    let found = use_state(|| None::<Vec<Client>>);
    let chosen = use_state(|| None::<Client>);
    let reason = use_state(String::new);
    let errors = use_state(|| None::<ErrorBody>);

    let on_search = {
        let (api, term, found, errors) = (api.clone(), term.clone(), found.clone(), errors.clone());
        let survivor_id = survivor.id.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let (api, found, errors, survivor_id) = (
                api.clone(),
                found.clone(),
                errors.clone(),
                survivor_id.clone(),
            );
            let query = ClientQuery {
                q: Some((*term).clone()),
                page: None,
                per_page: Some(10),
            };
            spawn_local(async move {
                match api.post::<ClientPage>("/api/clients/search", &query).await {
                    Ok(page) => {
                        errors.set(None);
                        found.set(Some(
                            page.items
                                .into_iter()
                                .filter(|c| c.id != survivor_id)
                                .collect(),
                        ));
                    }
                    Err(error) => errors.set(Some(error)),
                }
            });
        })
    };
    let on_merge = {
        let (api, chosen, reason, errors) =
            (api.clone(), chosen.clone(), reason.clone(), errors.clone());
        let (survivor, on_merged) = (survivor.clone(), props.on_merged.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let Some(absorbed) = &*chosen else { return };
            let body = MergeForm {
                absorbed_id: absorbed.id.clone(),
                absorbed_version: Some(absorbed.version),
                survivor_version: Some(survivor.version),
                reason: (*reason).clone(),
            };
            let path = format!("/api/clients/{}/merges", encode(&survivor.id));
            submit::<ClientMerge, _>(
                api.clone(),
                false,
                path,
                body,
                errors.clone(),
                on_merged.reform(|_| ()),
            );
        })
    };
    let choose = |client: &Client| {
        let (chosen, client) = (chosen.clone(), client.clone());
        Callback::from(move |_: MouseEvent| chosen.set(Some(client.clone())))
    };
    let reason_error = field_error(&errors, "reason");
    let (invalid, described) = error_attrs("merge-reason", reason_error.as_ref());
    html! {
        <details class="merge">
            <summary>{ i18n.t("merge.start") }</summary>
            <p class="hint">{ i18n.t("merge.intro") }</p>
            { form_alert(i18n, &errors) }
            <form id="merge-search" role="search" onsubmit={on_search} novalidate=true>
                <label for="merge-term">{ i18n.t("merge.search_label") }</label>
                <input id="merge-term" type="search" value={(*term).clone()}
                    oninput={{ let term = term.clone(); Callback::from(move |e: InputEvent| term.set(value_of(&e))) }} />
                <button type="submit">{ i18n.t("merge.search") }</button>
            </form>
            if let Some(found) = &*found {
                if found.is_empty() {
                    <p role="status">{ i18n.t("merge.none_found") }</p>
                } else {
                    <ul class="merge-candidates" role="status">
                        { for found.iter().map(|c| html! {
                            <li key={c.id.clone()}>
                                { c.display_name() }{ " · " }{ super::shown_birth(i18n, c) }{ " " }
                                <button type="button" id={format!("merge-choose-{}", c.id)} onclick={choose(c)}
                                    aria-label={i18n.tf("merge.choose_named", &[("name", &c.display_name())])}>
                                    { i18n.t("merge.choose") }
                                </button>
                            </li>
                        }) }
                    </ul>
                }
            }
            if let Some(absorbed) = &*chosen {
                <form id="merge-confirm" onsubmit={on_merge} novalidate=true>
                    <table class="data compare">
                        <caption>{ i18n.t("merge.compare") }</caption>
                        <thead><tr>
                            <th scope="col"></th>
                            <th scope="col">{ i18n.t("merge.survivor") }</th>
                            <th scope="col">{ i18n.t("merge.absorbed") }</th>
                        </tr></thead>
                        <tbody>{ for compared(i18n, survivor, absorbed) }</tbody>
                    </table>
                    <p class="hint">{ i18n.t("merge.what_happens") }</p>
                    <FormField id="merge-reason" label="merge.reason" error={reason_error}>
                        <textarea id="merge-reason" rows="3" value={(*reason).clone()}
                            aria-invalid={invalid} aria-describedby={described}
                            oninput={{ let reason = reason.clone(); Callback::from(move |e: InputEvent| reason.set(value_of(&e))) }} />
                    </FormField>
                    <button type="submit" class="primary" id="merge-submit">
                        { i18n.tf("merge.submit", &[("name", &absorbed.display_name())]) }
                    </button>
                </form>
            }
        </details>
    }
}

/// The two records side by side, a row a detail.
fn compared(i18n: I18n, survivor: &Client, absorbed: &Client) -> Vec<Html> {
    let facts = |c: &Client| {
        [
            ("client.name_zh", c.name_zh.clone()),
            ("client.name_en", c.name_en.clone()),
            ("client.sex", i18n.sex(c.sex).to_owned()),
            ("client.date_of_birth", super::shown_birth(i18n, c)),
            ("client.phone", super::shown_phone(i18n, c)),
            ("client.hkid", c.hkid_masked.clone().unwrap_or_default()),
        ]
    };
    facts(survivor)
        .into_iter()
        .zip(facts(absorbed))
        .map(|((key, kept), (_, other))| {
            html! {
                <tr>
                    <th scope="row">{ i18n.t(key) }</th>
                    <td>{ kept }</td>
                    <td>{ other }</td>
                </tr>
            }
        })
        .collect()
}
