//! Administering an instrument within a case: whose answers, which instrument, the stage
//! and the day, then the items with the scores previewed; kept, the case shows the result.

use std::rc::Rc;

use chrono::NaiveDate;
use common::assessments::{Answers, Assessment, AssessmentForm, Instrument};
use common::cases::CaseDetail;
use common::error::ErrorBody;
use yew::prelude::*;
use yew_router::prelude::*;

use super::questionnaire::{Questionnaire, ScorePreview};
use super::subject::{Subject, SubjectFields};
use crate::api::{encode, use_get, Load};
use crate::app::Route;
use crate::form::{date_of, error_attrs, field_error, form_alert, submit, FormField};
use crate::i18n::{use_i18n, use_title};
use crate::identity::use_session;

#[derive(Properties, PartialEq)]
pub struct CaseAssessProps {
    pub id: String,
}

#[function_component]
pub fn CaseAssessPage(props: &CaseAssessProps) -> Html {
    use_title("assessment.administer");
    let i18n = use_i18n();
    let api = use_session().api;
    let navigator = use_navigator();
    let case = use_get::<CaseDetail>(format!("/api/cases/{}", encode(&props.id)), 0);
    let form = use_state(|| AssessmentForm {
        case_id: Some(props.id.clone()),
        ..AssessmentForm::default()
    });
    let errors = use_state(|| None::<ErrorBody>);
    let back = html! {
        <p class="back"><Link<Route> to={Route::CaseDetail { id: props.id.clone() }}>{ i18n.t("assessment.back_to_case") }</Link<Route>></p>
    };
    let detail = match &*case {
        Load::Loading => return html! { <p role="status">{ i18n.t("app.loading") }</p> },
        Load::Failed(error) => {
            return html! { <section>{ back }<p role="alert" class="alert">{ i18n.error(error) }</p></section> }
        }
        Load::Ready(detail) => detail.clone(),
    };
    let people: Vec<_> = std::iter::once(detail.case.client.clone())
        .chain(detail.members.iter().cloned())
        .collect();
    let edit = |apply: fn(&mut AssessmentForm, &Event)| crate::form::edit(&form, apply);
    let on_subject = {
        let form = form.clone();
        Callback::from(move |subject: Subject| {
            let mut next = (*form).clone();
            if subject.instrument != next.instrument {
                next.answers = Answers::default();
            }
            next.client_id = subject.client_id;
            next.instrument = subject.instrument;
            next.stage = subject.stage;
            form.set(next);
        })
    };
    let on_answers = {
        let form = form.clone();
        Callback::from(move |answers: Answers| {
            let mut next = (*form).clone();
            next.answers = answers;
            form.set(next);
        })
    };
    let onsubmit = {
        let (form, errors) = (form.clone(), errors.clone());
        let case_id = props.id.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let (navigator, case_id) = (navigator.clone(), case_id.clone());
            let done = Callback::from(move |_: Assessment| {
                if let Some(navigator) = &navigator {
                    navigator.push(&Route::CaseDetail {
                        id: case_id.clone(),
                    });
                }
            });
            submit(
                api.clone(),
                false,
                "/api/assessments".to_owned(),
                (*form).clone(),
                errors.clone(),
                done,
            );
        })
    };
    let error = |field: &str| field_error(&errors, field);
    let (date_invalid, date_described) =
        error_attrs("assessment-date", error("administered_on").as_ref());
    html! {
        <section>
            { back }
            <h1>{ i18n.tf("assessment.heading", &[("number", &detail.case.case_number)]) }</h1>
            <form id="assessment-form" class="stack" {onsubmit} novalidate=true>
                { form_alert(i18n, &errors) }
                <div class="grid">
                    <SubjectFields prefix="assessment" {people} subject={Subject {
                            client_id: form.client_id.clone(),
                            instrument: form.instrument.clone(),
                            stage: form.stage,
                        }} errors={(*errors).clone()} on_change={on_subject} />
                    <FormField id="assessment-date" label="assessment.administered_on" error={error("administered_on")}>
                        <input id="assessment-date" type="date"
                            value={form.administered_on.map(|d: NaiveDate| d.to_string()).unwrap_or_default()}
                            onchange={edit(|f, e| f.administered_on = date_of(e))}
                            aria-invalid={date_invalid} aria-describedby={date_described.or_else(|| Some("assessment-date-hint".into()))} />
                    </FormField>
                </div>
                <p id="assessment-date-hint" class="hint">{ i18n.t("assessment.date_hint") }</p>
                if let Some(error) = error("answers") {
                    <p role="alert" class="alert">{ i18n.field_error(&error) }</p>
                }
                if !form.instrument.is_empty() {
                    <ChosenInstrument key={form.instrument.clone()} code={form.instrument.clone()}
                        answers={form.answers.clone()} on_change={on_answers} errors={(*errors).clone()} />
                }
            </form>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ChosenProps {
    code: String,
    answers: Answers,
    on_change: Callback<Answers>,
    errors: Option<ErrorBody>,
}

/// The chosen instrument's items, the scores so far, its licence and the button to keep.
#[function_component]
fn ChosenInstrument(props: &ChosenProps) -> Html {
    let i18n = use_i18n();
    let chosen = use_get::<Instrument>(format!("/api/instruments/{}", encode(&props.code)), 0);
    let instrument: Rc<Instrument> = match &*chosen {
        Load::Ready(instrument) => Rc::clone(instrument),
        Load::Loading => return html! { <p role="status">{ i18n.t("app.loading") }</p> },
        Load::Failed(error) => {
            return html! { <p role="alert" class="alert">{ i18n.error(error) }</p> }
        }
    };
    html! {
        <>
            <Questionnaire instrument={instrument.clone()} answers={props.answers.clone()}
                on_change={props.on_change.clone()} errors={props.errors.clone()} />
            <ScorePreview instrument={instrument.clone()} answers={props.answers.clone()} />
            <details class="licence">
                <summary>{ i18n.t("assessment.licence") }</summary>
                <p>{ instrument.licence.clone() }</p>
            </details>
            <div class="actions">
                <button type="submit" class="primary" id="assessment-submit">{ i18n.t("assessment.keep") }</button>
            </div>
        </>
    }
}
