//! A client's record, with an Edit mode that reuses the registration form.

use std::rc::Rc;

use chrono::TimeDelta;
use common::clients::Client;
use common::identity::Permission;
use common::person::is_new_arrival;
use yew::prelude::*;
use yew_router::prelude::*;

use super::form::{ClientFormView, JustRegistered};
use super::merge::MergeSection;
use crate::activities::ClientActivities;
use crate::api::{encode, use_get, Load};
use crate::app::{focus, Route};
use crate::assessments::{Assessments, AssessmentsOf};
use crate::cases::ClientCases;
use crate::households::HouseholdSection;
use crate::i18n::{use_i18n, use_title};
use crate::identity::use_session;

#[derive(Properties, PartialEq)]
pub struct ClientDetailProps {
    pub id: String,
}

#[function_component]
pub fn ClientDetailPage(props: &ClientDetailProps) -> Html {
    use_title("client.detail_title");
    let i18n = use_i18n();
    let session = use_session();
    let generation = use_state(|| 0u32);
    let loaded = use_get::<Client>(format!("/api/clients/{}", encode(&props.id)), *generation);
    let editing = use_state(|| false);
    let just_registered = use_location()
        .and_then(|l| l.state::<JustRegistered>())
        .is_some();
    let notice = use_state(move || just_registered.then_some("client.created"));
    let version = match &*loaded {
        Load::Ready(client) => Some(client.version),
        _ => None,
    };
    use_focus_on_mode_change(*editing, version);

    let back = html! {
        <p class="back">
            <Link<Route> to={Route::Clients}>{ i18n.t("client.back_to_list") }</Link<Route>>
        </p>
    };
    let client = match &*loaded {
        Load::Loading => return html! { <p role="status">{ i18n.t("app.loading") }</p> },
        Load::Failed(error) if error.code == "not_found" => {
            return html! {
                <section>
                    <h1>{ i18n.t("client.not_found_title") }</h1>
                    <p>{ i18n.error(error) }</p>
                    { back }
                </section>
            }
        }
        Load::Failed(error) => {
            return html! { <section>{ back }<p role="alert" class="alert">{ i18n.error(error) }</p></section> }
        }
        Load::Ready(client) => client.clone(),
    };

    if *editing {
        let on_saved = {
            let (loaded, editing, notice) = (loaded.clone(), editing.clone(), notice.clone());
            Callback::from(move |saved: Client| {
                loaded.set(Load::Ready(Rc::new(saved)));
                notice.set(Some("client.saved"));
                editing.set(false);
            })
        };
        let on_cancel = {
            let editing = editing.clone();
            Callback::from(move |()| editing.set(false))
        };
        let on_reload = Callback::from(move |()| generation.set(generation.wrapping_add(1)));
        return html! {
            <section>
                { back }
                <h1>{ i18n.t("client.edit_title") }</h1>
                // A new version is a new form: reloading after a conflict starts from it.
                <ClientFormView key={client.version.to_string()} client={Some(client.clone())}
                    {on_saved} on_cancel={Some(on_cancel)} on_reload={Some(on_reload)} />
            </section>
        };
    }

    let merged = client.merged_into.is_some();
    let reload = {
        let (generation, notice) = (generation.clone(), notice.clone());
        Callback::from(move |()| {
            notice.set(Some("merge.done"));
            generation.set(generation.wrapping_add(1));
        })
    };
    let edit = {
        let (editing, notice) = (editing.clone(), notice.clone());
        Callback::from(move |_: MouseEvent| {
            notice.set(None);
            editing.set(true);
        })
    };
    html! {
        <section>
            { back }
            <div class="page-head">
                <h1>{ client.display_name() }</h1>
                <div class="actions">
                    if session.can(Permission::EditCases) && !merged {
                        <Link<Route> to={Route::CaseOpen { id: client.id.clone() }} classes="button primary open-case-link">
                            { i18n.t("client.open_case") }
                        </Link<Route>>
                    }
                    if session.can(Permission::EditClients) && !client.contact_withheld && !merged {
                        <button id="client-edit" type="button" onclick={edit}>{ i18n.t("client.edit") }</button>
                    }
                </div>
            </div>
            // Always present, so screen readers announce the text when it appears.
            <p role="status" class="notice">{ notice.map(|key| i18n.t(key)).unwrap_or_default() }</p>
            <MergeSection client={client.clone()} on_merged={reload.clone()} />
            <ClientView client={client.clone()} />
            // A merged record's casework is the survivor's now.
            if !merged {
                <HouseholdSection client_id={client.id.clone()} />
                if session.can(Permission::ViewCases) {
                    <ClientCases client_id={client.id.clone()} />
                }
                <ClientActivities client_id={client.id.clone()} enrol=true />
                <Assessments of={AssessmentsOf::Client(client.id.clone())} />
            }
        </section>
    }
}

/// Keyboard focus follows the switch between viewing and editing, and a reload after a
/// conflict (which replaces the form): the focused control is gone in each case.
#[hook]
fn use_focus_on_mode_change(editing: bool, version: Option<i64>) {
    let previous = use_mut_ref(|| None::<Option<i64>>);
    use_effect_with((editing, version), move |&(editing, version)| {
        let before = previous.borrow_mut().replace(version);
        // Not when the record first arrives: the page's own focus handling covers that.
        if matches!(before, Some(Some(_))) {
            focus(if editing { "name_zh" } else { "client-edit" });
        }
    });
}

#[derive(Properties, PartialEq)]
struct ClientViewProps {
    client: Rc<Client>,
}

#[function_component]
fn ClientView(props: &ClientViewProps) -> Html {
    let i18n = use_i18n();
    let client = &props.client;
    let or_empty = |text: &str| {
        if text.is_empty() {
            i18n.t("client.empty").to_owned()
        } else {
            text.to_owned()
        }
    };
    // Shown in Hong Kong time, where the staff are.
    let updated = (client.updated_at + TimeDelta::hours(8))
        .format("%Y-%m-%d %H:%M")
        .to_string();
    let arrival = match client.arrived_on {
        Some(day) if is_new_arrival(Some(day), super::hong_kong_today()) => {
            i18n.tf("client.new_arrival_since", &[("date", &day.to_string())])
        }
        Some(day) => day.to_string(),
        None => or_empty(""),
    };
    let rows = [
        ("client.name_zh", or_empty(&client.name_zh)),
        ("client.name_en", or_empty(&client.name_en)),
        ("client.sex", i18n.sex(client.sex).to_owned()),
        ("client.date_of_birth", super::shown_birth(i18n, client)),
        ("client.phone", or_empty(&super::shown_phone(i18n, client))),
        ("client.district", super::shown_district(i18n, client)),
        (
            "client.hkid",
            client
                .hkid_masked
                .clone()
                .unwrap_or_else(|| i18n.t("client.hkid_none").to_owned()),
        ),
        (
            "client.ethnicity",
            or_empty(client.ethnicity.map_or("", |e| i18n.named(e.names()))),
        ),
        (
            "client.preferred_language",
            or_empty(
                client
                    .preferred_language
                    .map_or("", |l| i18n.named(l.names())),
            ),
        ),
        ("client.arrived_on", arrival),
        ("client.school", or_empty(&client.school)),
        (
            "client.disabilities",
            or_empty(
                &client
                    .disabilities
                    .iter()
                    .map(|d| i18n.named(d.names()))
                    .collect::<Vec<_>>()
                    .join(i18n.t("client.list_separator")),
            ),
        ),
        ("client.updated_at", updated),
    ];
    html! {
        <div id="client-detail">
            <dl class="details">
                { for rows.into_iter().map(|(key, value)| html! {
                    <>
                        <dt>{ i18n.t(key) }</dt>
                        <dd>{ value }</dd>
                    </>
                }) }
            </dl>
        </div>
    }
}
