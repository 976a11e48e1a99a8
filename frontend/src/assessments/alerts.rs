//! The alerts assessments raised, on the home page of whoever follows them up: open
//! until acknowledged with what was done.

use common::assessments::{AcknowledgementForm, OpenAlert};
use common::error::ErrorBody;
use common::identity::Permission;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{use_get, Load};
use crate::app::Route;
use crate::form::{field_error, form_alert, submit, value_of};
use crate::i18n::use_i18n;
use crate::identity::use_session;

#[function_component]
pub fn AlertQueue() -> Html {
    let i18n = use_i18n();
    let session = use_session();
    let generation = use_state(|| 0u32);
    let found = use_get::<Vec<OpenAlert>>("/api/assessment-alerts".to_owned(), *generation);
    let reload = {
        let generation = generation.clone();
        Callback::from(move |()| generation.set(generation.wrapping_add(1)))
    };
    let may_acknowledge = session.can(Permission::AdministerAssessments);
    let body = match &*found {
        Load::Loading => html! { <p role="status">{ i18n.t("app.loading") }</p> },
        Load::Failed(error) => html! { <p role="alert" class="alert">{ i18n.error(error) }</p> },
        Load::Ready(open) if open.is_empty() => html! { <p>{ i18n.t("alerts.none") }</p> },
        Load::Ready(open) => html! {
            <ul class="alert-queue" id="alert-queue">
                { for open.iter().map(|alert| html! {
                    <AlertLine key={format!("{}-{}", alert.assessment_id, alert.alert)} alert={alert.clone()}
                        {may_acknowledge} on_done={reload.clone()} />
                }) }
            </ul>
        },
    };
    html! {
        <section class="panel" aria-labelledby="alerts-title">
            <h2 id="alerts-title">{ i18n.t("alerts.title") }</h2>
            { body }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct AlertLineProps {
    alert: OpenAlert,
    may_acknowledge: bool,
    on_done: Callback<()>,
}

#[function_component]
fn AlertLine(props: &AlertLineProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let note = use_state(String::new);
    let errors = use_state(|| None::<ErrorBody>);
    let alert = &props.alert;
    let id = format!("ack-{}-{}", alert.assessment_id, alert.alert);
    let onsubmit = {
        let (note, errors, on_done) = (note.clone(), errors.clone(), props.on_done.clone());
        let (assessment_id, code) = (alert.assessment_id.clone(), alert.alert.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let body = AcknowledgementForm {
                assessment_id: assessment_id.clone(),
                alert: code.clone(),
                note: (*note).clone(),
            };
            let on_done = on_done.clone();
            submit(
                api.clone(),
                false,
                "/api/assessment-alerts/acknowledgements".to_owned(),
                body,
                errors.clone(),
                Callback::from(move |_: Vec<OpenAlert>| on_done.emit(())),
            );
        })
    };
    let set_note = {
        let note = note.clone();
        Callback::from(move |event: Event| note.set(value_of(&event)))
    };
    let error = field_error(&errors, "note");
    let who = match &alert.case_id {
        Some(case_id) => html! {
            <Link<Route> to={Route::CaseDetail { id: case_id.clone() }}>{ alert.client_name.clone() }</Link<Route>>
        },
        None => html! {
            <Link<Route> to={Route::ClientDetail { id: alert.client_id.clone() }}>{ alert.client_name.clone() }</Link<Route>>
        },
    };
    html! {
        <li class="alert-line">
            <p>
                <strong>{ who }</strong>
                { format!(" · {} · {}", i18n.pick(&alert.instrument.name_zh, &alert.instrument.name_en), alert.administered_on) }
                if alert.self_completed {
                    { format!(" · {}", i18n.t("assessment.self_completed")) }
                }
            </p>
            <p class="alert-flag">{ i18n.pick(&alert.message_zh, &alert.message_en).to_owned() }</p>
            if props.may_acknowledge {
                <form class="inline" {onsubmit} novalidate=true>
                    { form_alert(i18n, &errors) }
                    <label for={id.clone()}>{ i18n.t("alerts.note") }</label>
                    <input id={id.clone()} type="text" maxlength="1000" value={(*note).clone()} onchange={set_note}
                        aria-invalid={error.as_ref().map(|_| "true")}
                        aria-describedby={error.as_ref().map(|_| format!("{id}-error"))} />
                    <button type="submit">{ i18n.t("alerts.acknowledge") }</button>
                    if let Some(error) = &error {
                        <p id={format!("{id}-error")} class="field-error">{ i18n.field_error(error) }</p>
                    }
                </form>
            }
        </li>
    }
}
