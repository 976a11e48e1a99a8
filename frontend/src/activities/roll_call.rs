//! The roll call at the door: one line a member, marked with one key press each, and
//! the anonymous headcounts; what someone else saved meanwhile is never overwritten.

use std::collections::BTreeMap;

use common::activities::{
    AttendanceStatus, HeadcountBand, HeadcountForm, MarkForm, RollCall, RollCallForm,
};
use common::clients::Sex;
use common::error::ErrorBody;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use super::detail::band_key;
use crate::api::{encode, use_get, Load};
use crate::app::Route;
use crate::cases::hong_kong;
use crate::form::{form_alert, value_of};
use crate::i18n::{use_i18n, use_title};
use crate::identity::use_session;

#[derive(Properties, PartialEq)]
pub struct RollCallPageProps {
    pub id: String,
}

#[function_component]
pub fn RollCallPage(props: &RollCallPageProps) -> Html {
    use_title("roll_call.title");
    let i18n = use_i18n();
    let generation = use_state(|| 0u32);
    let path = format!("/api/activity-sessions/{}/roll-call", encode(&props.id));
    let loaded = use_get::<RollCall>(path.clone(), *generation);
    let reload = {
        let generation = generation.clone();
        Callback::from(move |()| generation.set(*generation + 1))
    };
    // Kept here, so that they outlive the sheet drawn again from what was saved.
    let notice = use_state(|| None::<&'static str>);
    let errors = use_state(|| None::<ErrorBody>);
    match &*loaded {
        Load::Loading => html! { <p role="status">{ i18n.t("app.loading") }</p> },
        Load::Failed(error) => html! {
            <section>
                <p class="back"><Link<Route> to={Route::Groups}>{ i18n.t("activity.back_to_list") }</Link<Route>></p>
                <p role="alert" class="alert">{ i18n.error(error) }</p>
            </section>
        },
        Load::Ready(roll) => {
            // A sheet starts from the roll as read: once saved marks or counts come back,
            // a new one is drawn from them.
            let versions: i64 = roll.lines.iter().map(|l| l.version).sum();
            let key = format!(
                "{}-{}-{}-{versions}",
                roll.session.id,
                roll.lines.len(),
                roll.headcount_version
            );
            html! {
                <RollCallSheet {key} roll={(**roll).clone()} {path} on_saved={reload} {notice} {errors} />
            }
        }
    }
}

#[derive(Properties, PartialEq)]
struct RollCallSheetProps {
    roll: RollCall,
    path: String,
    on_saved: Callback<()>,
    notice: UseStateHandle<Option<&'static str>>,
    errors: UseStateHandle<Option<ErrorBody>>,
}

#[function_component]
fn RollCallSheet(props: &RollCallSheetProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let roll = &props.roll;
    // What the worker marked on this screen, by client.
    let marks = use_state(BTreeMap::<String, AttendanceStatus>::new);
    let counts = use_state(|| {
        roll.headcounts
            .iter()
            .map(|h| ((h.age_band, h.sex.as_str()), h.count))
            .collect::<BTreeMap<(HeadcountBand, &'static str), i64>>()
    });
    let counts_changed = use_state(|| false);
    let (errors, notice) = (props.errors.clone(), props.notice.clone());
    let mark = {
        let marks = marks.clone();
        Callback::from(move |(client_id, status): (String, AttendanceStatus)| {
            let mut next = (*marks).clone();
            next.insert(client_id, status);
            marks.set(next);
        })
    };
    let all_present = {
        let (marks, lines) = (marks.clone(), roll.lines.clone());
        Callback::from(move |_: MouseEvent| {
            let mut next = (*marks).clone();
            for line in lines.iter().filter(|l| l.status.is_none()) {
                next.entry(line.participant.client_id.clone())
                    .or_insert(AttendanceStatus::Present);
            }
            marks.set(next);
        })
    };
    let set_count = |band: HeadcountBand, sex: Sex| {
        let (counts, changed) = (counts.clone(), counts_changed.clone());
        Callback::from(move |event: Event| {
            let mut next = (*counts).clone();
            next.insert(
                (band, sex.as_str()),
                value_of(&event).trim().parse().unwrap_or(-1),
            );
            counts.set(next);
            changed.set(true);
        })
    };
    let onsubmit = {
        let (marks, counts, counts_changed, errors, notice) = (
            marks.clone(),
            counts.clone(),
            counts_changed.clone(),
            errors.clone(),
            notice.clone(),
        );
        let (roll, path, on_saved) = (roll.clone(), props.path.clone(), props.on_saved.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let body = RollCallForm {
                marks: marks
                    .iter()
                    .filter_map(|(client_id, status)| {
                        let line = roll
                            .lines
                            .iter()
                            .find(|l| &l.participant.client_id == client_id)?;
                        (line.status != Some(*status)).then(|| MarkForm {
                            client_id: client_id.clone(),
                            status: Some(*status),
                            online: None,
                            version: Some(line.version),
                        })
                    })
                    .collect(),
                headcounts: counts_changed.then(|| {
                    counts
                        .iter()
                        .map(|((band, sex), count)| HeadcountForm {
                            age_band: Some(*band),
                            sex: Sex::parse(sex),
                            count: Some(*count),
                        })
                        .collect()
                }),
                headcount_version: counts_changed.then_some(roll.headcount_version),
            };
            let (api, path, errors, notice, on_saved) = (
                api.clone(),
                path.clone(),
                errors.clone(),
                notice.clone(),
                on_saved.clone(),
            );
            spawn_local(async move {
                match api.put::<RollCall>(&path, &body).await {
                    Ok(_) => {
                        errors.set(None);
                        notice.set(Some("roll_call.saved"));
                        on_saved.emit(());
                    }
                    Err(error) if error.code == "version_conflict" => {
                        // Someone else marked meanwhile: show theirs, and let the worker look again.
                        notice.set(None);
                        errors.set(Some(error));
                        on_saved.emit(());
                    }
                    Err(error) => {
                        notice.set(None);
                        errors.set(Some(error));
                    }
                }
            });
        })
    };
    let session = &roll.session;
    html! {
        <section class="roll-call">
            <p class="back">
                <Link<Route> to={Route::GroupDetail { id: roll.activity_id.clone() }}>{ i18n.t("roll_call.back") }</Link<Route>>
            </p>
            <h1>{ i18n.tf("roll_call.heading", &[
                ("title", i18n.pick(&roll.title_zh, &roll.title_en)),
                ("number", &session.number.to_string()),
            ]) }</h1>
            <p>{ hong_kong(session.starts_at) }{ if session.online { format!(" · {}", i18n.t("activity.online")) } else { String::new() } }</p>
            <p role="status" class="notice">{ notice.map(|key| i18n.t(key)).unwrap_or_default() }</p>
            <form id="roll-call-form" class="stack" {onsubmit} novalidate=true>
                { form_alert(i18n, &errors) }
                if let Some(body) = errors.as_ref().filter(|e| !e.fields.is_empty()) {
                    <div role="alert" class="alert">
                        <p>{ i18n.error(body) }</p>
                        <ul>{ for body.fields.values().map(|e| html! { <li>{ i18n.field_error(e) }</li> }) }</ul>
                    </div>
                }
                if roll.lines.is_empty() {
                    <p>{ i18n.t("roll_call.nobody") }</p>
                } else {
                    <button type="button" id="all-present" onclick={all_present}>{ i18n.t("roll_call.all_present") }</button>
                    <ul class="roll" id="roll-lines">
                        { for roll.lines.iter().map(|line| {
                            let client_id = line.participant.client_id.clone();
                            let chosen = marks.get(&client_id).copied().or(line.status);
                            let name = line.participant.display_name();
                            html! {
                                <li key={client_id.clone()}>
                                    <fieldset class="roll-line">
                                        <legend>{ name }</legend>
                                        { for AttendanceStatus::ALL.iter().map(|status| {
                                            let id = format!("mark-{client_id}-{}", status.as_str());
                                            let (client_id, status) = (client_id.clone(), *status);
                                            let onchange = mark.reform(move |_: Event| (client_id.clone(), status));
                                            html! {
                                                <label for={id.clone()} class="choice">
                                                    <input type="radio" id={id} name={format!("mark-{}", line.participant.client_id)}
                                                        checked={chosen == Some(status)} {onchange} />
                                                    { i18n.code("attendance_status", status.as_str()) }
                                                </label>
                                            }
                                        }) }
                                    </fieldset>
                                </li>
                            }
                        }) }
                    </ul>
                }
                <fieldset class="field">
                    <legend>{ i18n.t("roll_call.headcounts") }</legend>
                    <p class="hint">{ i18n.t("roll_call.headcounts_hint") }</p>
                    <table class="data headcounts">
                        <thead><tr>
                            <th scope="col">{ i18n.t("roll_call.age_band") }</th>
                            <th scope="col">{ i18n.sex(Sex::F) }</th>
                            <th scope="col">{ i18n.sex(Sex::M) }</th>
                        </tr></thead>
                        <tbody>
                            { for HeadcountBand::ALL.iter().map(|band| html! {
                                <tr>
                                    <th scope="row">{ i18n.t(band_key(*band)) }</th>
                                    { for [Sex::F, Sex::M].into_iter().map(|sex| {
                                        let id = format!("headcount-{}-{}", band.as_str(), sex.as_str());
                                        let label = format!("{} {}", i18n.t(band_key(*band)), i18n.sex(sex));
                                        html! {
                                            <td>
                                                <input id={id} type="number" min="0" inputmode="numeric" aria-label={label}
                                                    value={counts.get(&(*band, sex.as_str())).copied().unwrap_or(0).to_string()}
                                                    onchange={set_count(*band, sex)} />
                                            </td>
                                        }
                                    }) }
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </fieldset>
                <div class="actions">
                    <button id="roll-call-submit" type="submit" class="primary">{ i18n.t("roll_call.save") }</button>
                </div>
            </form>
        </section>
    }
}
