//! A client's groups and programmes with their attendance, on their record and on each
//! of their cases, and enrolling them in one of the centre's.

use common::activities::{
    ActivityKind, ActivityPage, Enrolment, EnrolmentForm, EnrolmentStatus, Participation,
};
use common::error::ErrorBody;
use common::identity::Permission;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{encode, use_get, Load};
use crate::app::Route;
use crate::form::{field_error, form_alert, submit, value_of, FormField};
use crate::i18n::use_i18n;
use crate::identity::use_session;

/// Absences in a row from which the case worker is warned.
const MISSED_WARNING: i64 = 2;

#[derive(Properties, PartialEq)]
pub struct ClientActivitiesProps {
    pub client_id: String,
    /// Offer to enrol the client (on their record).
    #[prop_or_default]
    pub enrol: bool,
}

#[function_component]
pub fn ClientActivities(props: &ClientActivitiesProps) -> Html {
    let i18n = use_i18n();
    let session = use_session();
    let generation = use_state(|| 0u32);
    let path = format!("/api/clients/{}/activities", encode(&props.client_id));
    let taking_part = use_get::<Vec<Participation>>(path, *generation);
    let reload = {
        let generation = generation.clone();
        Callback::from(move |()| generation.set(*generation + 1))
    };
    let heading = format!("activities-{}", props.client_id);
    html! {
        <section class="client-activities" aria-labelledby={heading.clone()}>
            <h2 id={heading.clone()}>{ i18n.t("participation.title") }</h2>
            { match &*taking_part {
                Load::Loading => html! { <p role="status">{ i18n.t("app.loading") }</p> },
                Load::Failed(error) => html! { <p role="alert" class="alert">{ i18n.error(error) }</p> },
                Load::Ready(list) if list.is_empty() => html! { <p>{ i18n.t("participation.none") }</p> },
                Load::Ready(list) => html! {
                    <div class="table-wrap" role="region" tabindex="0" aria-labelledby={heading.clone()}>
                        <table class="data participation">
                            <thead><tr>
                                <th scope="col">{ i18n.t("activity.title") }</th>
                                <th scope="col">{ i18n.t("activity.enrolment_status") }</th>
                                <th scope="col">{ i18n.t("participation.attended") }</th>
                                <th scope="col">{ i18n.t("participation.missed_in_a_row") }</th>
                                <th scope="col">{ i18n.t("participation.marks") }</th>
                            </tr></thead>
                            <tbody>
                                { for list.iter().map(|p| html! {
                                    <tr key={p.enrolment_id.clone()}>
                                        <th scope="row">
                                            if session.can(Permission::ViewActivities) {
                                                <Link<Route> to={Route::GroupDetail { id: p.activity_id.clone() }}>
                                                    { i18n.pick(&p.title_zh, &p.title_en).to_owned() }
                                                </Link<Route>>
                                            } else {
                                                { i18n.pick(&p.title_zh, &p.title_en).to_owned() }
                                            }
                                        </th>
                                        <td>{ i18n.code("enrolment_status", p.status.as_str()) }</td>
                                        <td>{ format!("{} / {}", p.attended, p.sessions_held) }</td>
                                        <td class={classes!((p.missed_in_a_row >= MISSED_WARNING).then_some("warning"))}>
                                            { p.missed_in_a_row }
                                            if p.missed_in_a_row >= MISSED_WARNING {
                                                { format!(" ({})", i18n.t("participation.missed_warning")) }
                                            }
                                        </td>
                                        <td>{ p.marks.iter().map(|m| format!("{}: {}", m.number, i18n.code("attendance_status", m.status.as_str()))).collect::<Vec<_>>().join(", ") }</td>
                                    </tr>
                                }) }
                            </tbody>
                        </table>
                    </div>
                },
            } }
            if props.enrol && session.can(Permission::EditActivities) {
                <EnrolForm client_id={props.client_id.clone()} on_enrolled={reload} />
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct EnrolFormProps {
    client_id: String,
    on_enrolled: Callback<()>,
}

#[function_component]
fn EnrolForm(props: &EnrolFormProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let today = (chrono::Utc::now() + chrono::TimeDelta::hours(8)).date_naive();
    // The centre's groups and programmes not over yet: events count reach, not members.
    let open = use_get::<ActivityPage>(format!("/api/activities?from={today}&per_page=100"), 0);
    let chosen = use_state(String::new);
    let errors = use_state(|| None::<ErrorBody>);
    let notice = use_state(|| None::<&'static str>);
    let choose = {
        let chosen = chosen.clone();
        Callback::from(move |event: Event| chosen.set(value_of(&event)))
    };
    let onsubmit = {
        let (chosen, errors, notice, on_enrolled) = (
            chosen.clone(),
            errors.clone(),
            notice.clone(),
            props.on_enrolled.clone(),
        );
        let client_id = props.client_id.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if chosen.is_empty() {
                return;
            }
            let path = format!("/api/activities/{}/enrolments", encode(&chosen));
            let (notice, on_enrolled) = (notice.clone(), on_enrolled.clone());
            let done = Callback::from(move |enrolment: Enrolment| {
                notice.set(Some(if enrolment.status == EnrolmentStatus::Waiting {
                    "participation.waiting"
                } else {
                    "participation.enrolled"
                }));
                on_enrolled.emit(());
            });
            submit(
                api.clone(),
                false,
                path,
                EnrolmentForm {
                    client_id: client_id.clone(),
                },
                errors.clone(),
                done,
            );
        })
    };
    let id = format!("enrol-{}", props.client_id);
    html! {
        <form class="stack panel enrol-form" {onsubmit} novalidate=true>
            { form_alert(i18n, &errors) }
            <FormField id={id.clone()} label="participation.enrol_in" error={field_error(&errors, "client_id")}>
                <select id={id.clone()} onchange={choose}>
                    <option value="" selected={chosen.is_empty()}>{ i18n.t("client.choose") }</option>
                    if let Load::Ready(open) = &*open {
                        { for open.items.iter().filter(|a| a.kind != ActivityKind::CommunityEvent).map(|a| html! {
                            <option value={a.id.clone()} selected={*chosen == a.id}>
                                { format!("{} ({})", i18n.pick(&a.title_zh, &a.title_en), a.planned_start) }
                            </option>
                        }) }
                    }
                </select>
            </FormField>
            <p role="status" class="notice">{ notice.map(|key| i18n.t(key)).unwrap_or_default() }</p>
            <div class="actions">
                <button type="submit" class="enrol-submit">{ i18n.t("participation.enrol") }</button>
            </div>
        </form>
    }
}
