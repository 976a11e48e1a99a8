//! An activity's page: what it is, how it went, its sessions (adding some, weekly, with
//! double bookings shown before saving), its members and waiting list, and an event's
//! reach.

use std::rc::Rc;

use chrono::NaiveDateTime;
use common::activities::{
    Activity, ActivityKind, ActivitySession, BandCountForm, Clash, Enrolment, EnrolmentForm,
    EnrolmentStatus, HeadcountBand, ReachForm, SessionForm, SessionsAdded, WithdrawalForm,
};
use common::error::ErrorBody;
use common::identity::Permission;
use common::taxonomy::Vocabulary;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use super::form::ActivityFormView;
use super::{places, title};
use crate::api::{encode, use_get, Load};
use crate::app::Route;
use crate::cases::hong_kong;
use crate::clients::ClientCandidates;
use crate::form::{checked, error_attrs, field_error, form_alert, submit, value_of, FormField};
use crate::i18n::{use_i18n, use_title};
use crate::identity::use_session;
use crate::terms::{names, use_terms};

#[derive(Properties, PartialEq)]
pub struct ActivityPageProps {
    pub id: String,
}

#[function_component]
pub fn ActivityPage(props: &ActivityPageProps) -> Html {
    use_title("activity.title");
    let i18n = use_i18n();
    let session = use_session();
    let generation = use_state(|| 0u32);
    let path = format!("/api/activities/{}", encode(&props.id));
    let loaded = use_get::<Activity>(path.clone(), *generation);
    let editing = use_state(|| false);
    let reload = {
        let generation = generation.clone();
        Callback::from(move |()| generation.set(*generation + 1))
    };
    let back = html! {
        <p class="back"><Link<Route> to={Route::Groups}>{ i18n.t("activity.back_to_list") }</Link<Route>></p>
    };
    let activity = match &*loaded {
        Load::Loading => return html! { <p role="status">{ i18n.t("app.loading") }</p> },
        Load::Failed(error) => {
            return html! { <section>{ back }<p role="alert" class="alert">{ i18n.error(error) }</p></section> }
        }
        Load::Ready(activity) => activity.clone(),
    };
    let may_edit = session.can(Permission::EditActivities);
    let is_event = activity.kind == ActivityKind::CommunityEvent;
    let start_editing = {
        let editing = editing.clone();
        Callback::from(move |_: MouseEvent| editing.set(true))
    };
    let stop_editing = {
        let editing = editing.clone();
        Callback::from(move |()| editing.set(false))
    };
    let saved = {
        let (editing, reload) = (editing.clone(), reload.clone());
        Callback::from(move |_: Activity| {
            editing.set(false);
            reload.emit(());
        })
    };
    html! {
        <section>
            { back }
            <div class="page-head">
                <h1>{ title(i18n, &activity) }</h1>
                if may_edit && !*editing {
                    <button id="activity-edit" type="button" onclick={start_editing}>{ i18n.t("activity.edit") }</button>
                }
            </div>
            if *editing {
                <ActivityFormView activity={Some(activity.clone())} on_saved={saved} on_cancel={Some(stop_editing)} />
            } else {
                <ActivitySummary activity={activity.clone()} />
            }
            <Sessions activity={activity.clone()} generation={*generation} {may_edit} on_changed={reload.clone()} />
            if is_event {
                <Reach activity={activity.clone()} {may_edit} on_changed={reload.clone()} />
            } else {
                <Members activity={activity.clone()} generation={*generation} {may_edit} on_changed={reload} />
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ActivityProps {
    activity: Rc<Activity>,
}

#[function_component]
fn ActivitySummary(props: &ActivityProps) -> Html {
    let i18n = use_i18n();
    let natures = use_terms(Vocabulary::CaseNatures);
    let education_themes = use_terms(Vocabulary::EducationThemes);
    let models = use_terms(Vocabulary::InterventionModels);
    let activity = &props.activity;
    let evaluation = &activity.evaluation;
    let themes = [
        names(i18n, &natures, &activity.theme_codes),
        names(i18n, &education_themes, &activity.education_theme_codes),
    ]
    .into_iter()
    .filter(|named| !named.is_empty())
    .collect::<Vec<_>>()
    .join(i18n.t("match.reason_separator"));
    let model = match &activity.intervention_model {
        Some(code) => names(i18n, &models, std::slice::from_ref(code)),
        None => i18n.t("activity.no_model").to_owned(),
    };
    let facilitators = activity
        .facilitators
        .iter()
        .map(|f| {
            let name = f
                .staff
                .as_ref()
                .map(|s| s.display_name.clone())
                .or_else(|| f.name.clone())
                .unwrap_or_default();
            format!(
                "{name} ({})",
                i18n.code("facilitator_role", f.role.as_str())
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let rate = evaluation
        .attendance_rate
        .map(|r| format!("{:.0}%", r * 100.0))
        .unwrap_or_else(|| i18n.t("client.empty").to_owned());
    html! {
        <>
            <dl class="details" id="activity-summary">
                <dt>{ i18n.t("activity.kind") }</dt>
                <dd>{ i18n.code("activity_kind", activity.kind.as_str()) }</dd>
                <dt>{ i18n.t("activity.format") }</dt>
                <dd>{ i18n.code("activity_format", activity.format.as_str()) }</dd>
                <dt>{ i18n.t("activity.unit") }</dt>
                <dd>{ i18n.unit(activity.unit) }</dd>
                <dt>{ i18n.t("activity.themes_all") }</dt>
                <dd id="activity-themes">{ themes }</dd>
                <dt>{ i18n.t("activity.target_group") }</dt>
                <dd>{ i18n.code("target_group", activity.target_group.as_str()) }</dd>
                <dt>{ i18n.t("activity.intervention_model") }</dt>
                <dd>{ model }</dd>
                <dt>{ i18n.t("activity.mode") }</dt>
                <dd>{ i18n.code("activity_mode", activity.mode.as_str()) }</dd>
                <dt>{ i18n.t("activity.planned") }</dt>
                <dd>{ format!("{} – {}", activity.planned_start, activity.planned_end) }</dd>
                <dt>{ i18n.t("activity.venue") }</dt>
                <dd>{ activity.venue.clone().unwrap_or_else(|| i18n.t("client.empty").to_owned()) }</dd>
                <dt>{ i18n.t("activity.facilitators") }</dt>
                <dd>{ facilitators }</dd>
                if activity.kind != ActivityKind::CommunityEvent {
                    <dt>{ i18n.t("activity.places") }</dt>
                    <dd id="activity-places">{ places(activity) }</dd>
                    <dt>{ i18n.t("activity.waiting") }</dt>
                    <dd id="activity-waiting">{ activity.waiting }</dd>
                }
            </dl>
            if activity.kind != ActivityKind::CommunityEvent {
                <section class="panel" aria-labelledby="evaluation-title">
                    <h2 id="evaluation-title">{ i18n.t("activity.evaluation") }</h2>
                    <dl class="details" id="activity-evaluation">
                        <dt>{ i18n.t("activity.sessions_held") }</dt>
                        <dd>{ format!("{} / {}", evaluation.sessions_held, evaluation.sessions_planned) }</dd>
                        <dt>{ i18n.t("activity.attendance_rate") }</dt>
                        <dd>{ rate }</dd>
                        <dt>{ i18n.tf("activity.completed", &[("percent", &activity.completion_percent.to_string())]) }</dt>
                        <dd>{ format!("{} / {}", evaluation.completed, evaluation.members) }</dd>
                    </dl>
                </section>
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct PartProps {
    activity: Rc<Activity>,
    #[prop_or_default]
    generation: u32,
    may_edit: bool,
    on_changed: Callback<()>,
}

#[function_component]
fn Sessions(props: &PartProps) -> Html {
    let i18n = use_i18n();
    let path = format!("/api/activities/{}/sessions", encode(&props.activity.id));
    let sessions = use_get::<Vec<ActivitySession>>(path, props.generation);
    let takes_roll = props.activity.kind != ActivityKind::CommunityEvent;
    html! {
        <section aria-labelledby="sessions-title">
            <h2 id="sessions-title">{ i18n.t("activity.sessions") }</h2>
            { match &*sessions {
                Load::Loading => html! { <p role="status">{ i18n.t("app.loading") }</p> },
                Load::Failed(error) => html! { <p role="alert" class="alert">{ i18n.error(error) }</p> },
                Load::Ready(sessions) if sessions.is_empty() => html! { <p>{ i18n.t("activity.no_sessions") }</p> },
                Load::Ready(sessions) => html! {
                    <div class="table-wrap" role="region" tabindex="0" aria-labelledby="sessions-title">
                        <table class="data" id="session-table">
                            <thead><tr>
                                <th scope="col">{ i18n.t("activity.session_number") }</th>
                                <th scope="col">{ i18n.t("activity.session_time") }</th>
                                <th scope="col">{ i18n.t("activity.venue") }</th>
                                if takes_roll { <th scope="col">{ i18n.t("activity.roll_call") }</th> }
                            </tr></thead>
                            <tbody>
                                { for sessions.iter().map(|s| html! {
                                    <tr key={s.id.clone()}>
                                        <th scope="row">{ s.number }</th>
                                        <td>{ format!("{} – {}", hong_kong(s.starts_at), &hong_kong(s.ends_at)[11..]) }</td>
                                        <td>{ if s.online { i18n.t("activity.online").to_owned() } else { s.venue.clone().unwrap_or_default() } }</td>
                                        if takes_roll {
                                            <td>
                                                <Link<Route> to={Route::RollCall { id: s.id.clone() }}>
                                                    { i18n.tf("activity.take_roll", &[("number", &s.number.to_string())]) }
                                                </Link<Route>>
                                            </td>
                                        }
                                    </tr>
                                }) }
                            </tbody>
                        </table>
                    </div>
                },
            } }
            if props.may_edit {
                <AddSessions activity={props.activity.clone()} may_edit=true on_changed={props.on_changed.clone()} />
            }
        </section>
    }
}

/// The clashes of the form as it stands, asked for whenever it changes.
fn check_clashes(
    api: crate::api::Api,
    activity_id: String,
    form: SessionForm,
    clashes: UseStateHandle<Vec<Clash>>,
) {
    if form.starts_at.is_none() || form.minutes.is_none() {
        clashes.set(Vec::new());
        return;
    }
    spawn_local(async move {
        let path = format!("/api/activities/{}/sessions/clashes", encode(&activity_id));
        if let Ok(found) = api.post::<Vec<Clash>>(&path, &form).await {
            clashes.set(found);
        }
    });
}

#[function_component]
fn AddSessions(props: &PartProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let form = use_state(|| SessionForm {
        minutes: Some(90),
        weeks: Some(1),
        ..SessionForm::default()
    });
    let clashes = use_state(Vec::<Clash>::new);
    let errors = use_state(|| None::<ErrorBody>);
    let edit = |apply: fn(&mut SessionForm, &Event)| {
        let (form, clashes, api, id) = (
            form.clone(),
            clashes.clone(),
            api.clone(),
            props.activity.id.clone(),
        );
        Callback::from(move |event: Event| {
            let mut next = (*form).clone();
            apply(&mut next, &event);
            let mut asked = next.clone();
            asked.despite_clashes = false;
            check_clashes(api.clone(), id.clone(), asked, clashes.clone());
            form.set(next);
        })
    };
    let onsubmit = {
        let (form, errors, clashes, on_changed) = (
            form.clone(),
            errors.clone(),
            clashes.clone(),
            props.on_changed.clone(),
        );
        let (api, path) = (
            api.clone(),
            format!("/api/activities/{}/sessions", encode(&props.activity.id)),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let body = (*form).clone();
            let (form, clashes, on_changed) = (form.clone(), clashes.clone(), on_changed.clone());
            let saved = Callback::from(move |_: SessionsAdded| {
                form.set(SessionForm {
                    starts_at: None,
                    despite_clashes: false,
                    ..(*form).clone()
                });
                clashes.set(Vec::new());
                on_changed.emit(());
            });
            submit(
                api.clone(),
                false,
                path.clone(),
                body,
                errors.clone(),
                saved,
            );
        })
    };
    let error = |field: &str| field_error(&errors, field);
    let (start_invalid, start_described) =
        error_attrs("session-starts_at", error("starts_at").as_ref());
    let (minutes_invalid, minutes_described) =
        error_attrs("session-minutes", error("minutes").as_ref());
    let (weeks_invalid, weeks_described) = error_attrs("session-weeks", error("weeks").as_ref());
    html! {
        <form id="session-form" class="stack panel" {onsubmit} novalidate=true aria-labelledby="session-form-title">
            <h3 id="session-form-title">{ i18n.t("activity.add_sessions") }</h3>
            { form_alert(i18n, &errors) }
            <div class="grid">
                <FormField id="session-starts_at" label="activity.first_session" error={error("starts_at")}>
                    <input id="session-starts_at" type="datetime-local"
                        value={form.starts_at.map(|at| at.format("%Y-%m-%dT%H:%M").to_string()).unwrap_or_default()}
                        onchange={edit(|f, e| f.starts_at = NaiveDateTime::parse_from_str(&value_of(e), "%Y-%m-%dT%H:%M").ok())}
                        aria-invalid={start_invalid} aria-describedby={start_described} />
                </FormField>
                <FormField id="session-minutes" label="activity.minutes" error={error("minutes")}>
                    <input id="session-minutes" type="number" min="1" max="1440" inputmode="numeric"
                        value={form.minutes.map(|m| m.to_string()).unwrap_or_default()}
                        onchange={edit(|f, e| f.minutes = value_of(e).trim().parse().ok())}
                        aria-invalid={minutes_invalid} aria-describedby={minutes_described} />
                </FormField>
                <FormField id="session-weeks" label="activity.weeks" error={error("weeks")}>
                    <input id="session-weeks" type="number" min="1" max="52" inputmode="numeric"
                        value={form.weeks.map(|w| w.to_string()).unwrap_or_default()}
                        onchange={edit(|f, e| f.weeks = value_of(e).trim().parse().ok())}
                        aria-invalid={weeks_invalid} aria-describedby={weeks_described} />
                </FormField>
                <FormField id="session-venue" label="activity.session_venue" error={error("venue")}>
                    <input id="session-venue" type="text" maxlength="200" value={form.venue.clone()}
                        placeholder={props.activity.venue.clone().unwrap_or_default()}
                        onchange={edit(|f, e| f.venue = value_of(e))} />
                </FormField>
            </div>
            <div class="field checkbox">
                <input id="session-online" type="checkbox" checked={form.online.unwrap_or(false)}
                    onchange={edit(|f, e| f.online = Some(checked(e)))} />
                <label for="session-online">{ i18n.t("activity.session_online") }</label>
            </div>
            // Always present, so screen readers announce clashes as they appear.
            <div role="status" id="session-clashes">
                if !clashes.is_empty() {
                    <div class="alert">
                        <p>{ i18n.t("activity.clashes") }</p>
                        <ul>
                            { for clashes.iter().map(|clash| {
                                let what = match (clash.venue, clash.facilitators.is_empty()) {
                                    (true, true) => i18n.t("activity.clash_venue").to_owned(),
                                    (false, _) => i18n.tf("activity.clash_staff", &[("names", &facilitator_names(clash))]),
                                    (true, false) => i18n.tf("activity.clash_both", &[("names", &facilitator_names(clash))]),
                                };
                                html! {
                                    <li>{ format!("{} — {} ({}): {what}", hong_kong(clash.starts_at),
                                        i18n.pick(&clash.activity.title_zh, &clash.activity.title_en), hong_kong(clash.session.starts_at)) }</li>
                                }
                            }) }
                        </ul>
                        <div class="field checkbox">
                            <input id="session-despite" type="checkbox" checked={form.despite_clashes}
                                onchange={edit(|f, e| f.despite_clashes = checked(e))} />
                            <label for="session-despite">{ i18n.t("activity.book_anyway") }</label>
                        </div>
                    </div>
                }
            </div>
            <div class="actions">
                <button id="session-submit" type="submit" class="primary">{ i18n.t("activity.save_sessions") }</button>
            </div>
        </form>
    }
}

fn facilitator_names(clash: &Clash) -> String {
    clash
        .facilitators
        .iter()
        .map(|s| s.display_name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

#[function_component]
fn Members(props: &PartProps) -> Html {
    let i18n = use_i18n();
    let path = format!("/api/activities/{}/enrolments", encode(&props.activity.id));
    let roster = use_get::<Vec<Enrolment>>(path, props.generation);
    html! {
        <section aria-labelledby="members-title">
            <h2 id="members-title">{ i18n.t("activity.members") }</h2>
            if props.may_edit && props.activity.kind != ActivityKind::CommunityEvent {
                <EnrolSomeone activity_id={props.activity.id.clone()} on_changed={props.on_changed.clone()} />
            }
            { match &*roster {
                Load::Loading => html! { <p role="status">{ i18n.t("app.loading") }</p> },
                Load::Failed(error) if error.code == "forbidden" => html! { <p>{ i18n.t("activity.members_private") }</p> },
                Load::Failed(error) => html! { <p role="alert" class="alert">{ i18n.error(error) }</p> },
                Load::Ready(roster) if roster.is_empty() => html! { <p>{ i18n.t("activity.no_members") }</p> },
                Load::Ready(roster) => html! {
                    <div class="table-wrap" role="region" tabindex="0" aria-labelledby="members-title">
                        <table class="data" id="member-table">
                            <thead><tr>
                                <th scope="col">{ i18n.t("activity.member") }</th>
                                <th scope="col">{ i18n.t("activity.enrolment_status") }</th>
                                <th scope="col">{ i18n.t("activity.requested_at") }</th>
                                <th scope="col">{ i18n.t("activity.withdrawal") }</th>
                            </tr></thead>
                            <tbody>
                                { for roster.iter().map(|e| html! {
                                    <Member key={e.id.clone()} enrolment={e.clone()} may_edit={props.may_edit} on_changed={props.on_changed.clone()} />
                                }) }
                            </tbody>
                        </table>
                    </div>
                },
            } }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct EnrolProps {
    activity_id: String,
    on_changed: Callback<()>,
}

/// Finding a registered person or household member and giving them a place (or a place
/// on the waiting list, when full).
#[function_component]
fn EnrolSomeone(props: &EnrolProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let term = use_state(String::new);
    let errors = use_state(|| None::<ErrorBody>);
    let notice = use_state(|| None::<&'static str>);
    let enrol = {
        let (errors, notice, on_changed) =
            (errors.clone(), notice.clone(), props.on_changed.clone());
        let path = format!("/api/activities/{}/enrolments", encode(&props.activity_id));
        Callback::from(move |client_id: String| {
            let (notice, on_changed) = (notice.clone(), on_changed.clone());
            let done = Callback::from(move |enrolment: Enrolment| {
                notice.set(Some(if enrolment.status == EnrolmentStatus::Waiting {
                    "participation.waiting"
                } else {
                    "participation.enrolled"
                }));
                on_changed.emit(());
            });
            submit(
                api.clone(),
                false,
                path.clone(),
                EnrolmentForm { client_id },
                errors.clone(),
                done,
            );
        })
    };
    let on_term = {
        let term = term.clone();
        Callback::from(move |event: InputEvent| term.set(value_of(&event)))
    };
    html! {
        <div class="panel enrol-someone">
            { form_alert(i18n, &errors) }
            <FormField id="enrol-search" label="activity.enrol_find">
                <input id="enrol-search" type="search" maxlength="50" value={(*term).clone()} oninput={on_term}
                    aria-describedby="enrol-search-hint" />
            </FormField>
            <p id="enrol-search-hint" class="hint">{ i18n.t("activity.enrol_hint") }</p>
            if term.chars().count() >= 2 {
                <ClientCandidates term={(*term).clone()} action="participation.enrol"
                    action_named="activity.enrol_named" on_choose={enrol} />
            }
            <p role="status" class="notice" id="enrol-notice">{ notice.map(|key| i18n.t(key)).unwrap_or_default() }</p>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct MemberProps {
    enrolment: Enrolment,
    may_edit: bool,
    on_changed: Callback<()>,
}

#[function_component]
fn Member(props: &MemberProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let reason = use_state(String::new);
    let errors = use_state(|| None::<ErrorBody>);
    let e = &props.enrolment;
    let live = e.status != EnrolmentStatus::Withdrawn;
    let id = format!("withdraw-{}", e.id);
    let onsubmit = {
        let (reason, errors, on_changed) =
            (reason.clone(), errors.clone(), props.on_changed.clone());
        let (path, version) = (
            format!("/api/enrolments/{}/withdrawal", encode(&e.id)),
            e.version,
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let body = WithdrawalForm {
                reason: (*reason).clone(),
                version: Some(version),
            };
            let on_changed = on_changed.clone();
            submit(
                api.clone(),
                false,
                path.clone(),
                body,
                errors.clone(),
                Callback::from(move |_: Enrolment| on_changed.emit(())),
            );
        })
    };
    let set_reason = {
        let reason = reason.clone();
        Callback::from(move |event: Event| reason.set(value_of(&event)))
    };
    let error = field_error(&errors, "reason");
    let (invalid, described) = error_attrs(&id, error.as_ref());
    let name = e.participant.display_name();
    html! {
        <tr>
            <th scope="row"><Link<Route> to={Route::ClientDetail { id: e.participant.client_id.clone() }}>{ name }</Link<Route>></th>
            <td>{ i18n.code("enrolment_status", e.status.as_str()) }</td>
            <td>{ hong_kong(e.requested_at) }</td>
            <td>
                if !live {
                    { e.withdrawal_reason.clone().unwrap_or_default() }
                } else if props.may_edit {
                    <form class="inline" onsubmit={onsubmit} novalidate=true>
                        { form_alert(i18n, &errors) }
                        <label for={id.clone()} class="visually-hidden">{ i18n.t("activity.withdrawal_reason") }</label>
                        <input id={id.clone()} type="text" maxlength="500" placeholder={i18n.t("activity.withdrawal_reason")}
                            value={(*reason).clone()} onchange={set_reason} aria-invalid={invalid} aria-describedby={described} />
                        <button type="submit">{ i18n.t("activity.withdraw") }</button>
                        if let Some(error) = &error {
                            <p id={format!("{id}-error")} class="field-error">{ i18n.field_error(error) }</p>
                        }
                    </form>
                }
            </td>
        </tr>
    }
}

#[function_component]
fn Reach(props: &PartProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let activity = &props.activity;
    let reach = activity.reach.clone().unwrap_or_default();
    let form = use_state(|| ReachForm {
        headcounts: HeadcountBand::ALL
            .iter()
            .map(|band| BandCountForm {
                age_band: Some(*band),
                count: Some(
                    reach
                        .headcounts
                        .iter()
                        .find(|c| c.age_band == *band)
                        .map_or(0, |c| c.count),
                ),
            })
            .collect(),
        online_views: Some(reach.online_views),
        online_participants: Some(reach.online_participants),
        media_items: Some(reach.media_items),
        counting_note: reach.counting_note.clone(),
        version: Some(activity.version),
    });
    let errors = use_state(|| None::<ErrorBody>);
    let saved_notice = use_state(|| false);
    let set_count = |i: usize| {
        let form = form.clone();
        Callback::from(move |event: Event| {
            let mut next = (*form).clone();
            next.headcounts[i].count = value_of(&event).trim().parse().ok();
            form.set(next);
        })
    };
    let edit = |apply: fn(&mut ReachForm, &Event)| crate::form::edit(&form, apply);
    let onsubmit = {
        let (form, errors, saved_notice, on_changed) = (
            form.clone(),
            errors.clone(),
            saved_notice.clone(),
            props.on_changed.clone(),
        );
        let path = format!("/api/activities/{}/reach", encode(&activity.id));
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let body = (*form).clone();
            let (form, saved_notice, on_changed) =
                (form.clone(), saved_notice.clone(), on_changed.clone());
            // The next save is at the version this one made.
            let saved = Callback::from(move |activity: Activity| {
                form.set(ReachForm {
                    version: Some(activity.version),
                    ..(*form).clone()
                });
                saved_notice.set(true);
                on_changed.emit(());
            });
            submit(api.clone(), true, path.clone(), body, errors.clone(), saved);
        })
    };
    let error = |field: &str| field_error(&errors, field);
    let number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    html! {
        <section aria-labelledby="reach-title">
            <h2 id="reach-title">{ i18n.t("activity.reach") }</h2>
            <p role="status" class="notice">{ if *saved_notice { i18n.t("activity.reach_saved") } else { "" } }</p>
            if props.may_edit {
                <form id="reach-form" class="stack" {onsubmit} novalidate=true>
                    { form_alert(i18n, &errors) }
                    <fieldset class="field">
                        <legend>{ i18n.t("activity.headcount_by_age") }</legend>
                        <div class="grid">
                            { for form.headcounts.iter().enumerate().map(|(i, count)| {
                                let band = count.age_band.unwrap_or(HeadcountBand::Age0To5);
                                let id = format!("reach-{}", band.as_str());
                                html! {
                                    <FormField id={id.clone()} label={band_key(band)} error={error(&format!("headcounts.{i}.count"))}>
                                        <input id={id} type="number" min="0" inputmode="numeric" value={number(count.count)} onchange={set_count(i)} />
                                    </FormField>
                                }
                            }) }
                        </div>
                    </fieldset>
                    <div class="grid">
                        <FormField id="reach-views" label="activity.online_views" error={error("online_views")}>
                            <input id="reach-views" type="number" min="0" inputmode="numeric" value={number(form.online_views)}
                                onchange={edit(|f, e| f.online_views = value_of(e).trim().parse().ok())} />
                        </FormField>
                        <FormField id="reach-participants" label="activity.online_participants" error={error("online_participants")}>
                            <input id="reach-participants" type="number" min="0" inputmode="numeric" value={number(form.online_participants)}
                                onchange={edit(|f, e| f.online_participants = value_of(e).trim().parse().ok())} />
                        </FormField>
                        <FormField id="reach-media" label="activity.media_items" error={error("media_items")}>
                            <input id="reach-media" type="number" min="0" inputmode="numeric" value={number(form.media_items)}
                                onchange={edit(|f, e| f.media_items = value_of(e).trim().parse().ok())} />
                        </FormField>
                    </div>
                    <FormField id="reach-note" label="activity.counting_note" error={error("counting_note")}>
                        <textarea id="reach-note" rows="3" maxlength="1000" value={form.counting_note.clone()}
                            onchange={edit(|f, e| f.counting_note = value_of(e))} />
                    </FormField>
                    <div class="actions">
                        <button id="reach-submit" type="submit" class="primary">{ i18n.t("activity.save_reach") }</button>
                    </div>
                </form>
            }
        </section>
    }
}

/// The translation key of an age band's name.
pub fn band_key(band: HeadcountBand) -> &'static str {
    match band {
        HeadcountBand::Age0To5 => "headcount_band.0_5",
        HeadcountBand::Age6To12 => "headcount_band.6_12",
        HeadcountBand::Age13To17 => "headcount_band.13_17",
        HeadcountBand::Age18To64 => "headcount_band.18_64",
        HeadcountBand::Age65Plus => "headcount_band.65_plus",
    }
}
