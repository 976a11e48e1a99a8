//! The questionnaire a family opens from a link on their own phone, without an account:
//! who asks, the consent statement, the items, and one send. Nothing of their record.

use std::rc::Rc;

use common::assessments::{Answers, SelfCompletion, SelfCompletionAnswers, SelfCompletionReceipt};
use common::error::ErrorBody;
use yew::prelude::*;

use super::questionnaire::Questionnaire;
use crate::api::{encode, use_get, Load};
use crate::form::{checked, field_error, form_alert, submit};
use crate::i18n::{use_i18n, use_title};
use crate::identity::use_session;

#[derive(Properties, PartialEq)]
pub struct AnswerProps {
    pub token: String,
}

#[function_component]
pub fn SelfCompletionPage(props: &AnswerProps) -> Html {
    use_title("answer.title");
    let i18n = use_i18n();
    let api = use_session().api;
    let path = format!("/api/self-completion/{}", encode(&props.token));
    let found = use_get::<SelfCompletion>(path.clone(), 0);
    let answers = use_state(Answers::default);
    let consent = use_state(|| false);
    let errors = use_state(|| None::<ErrorBody>);
    let receipt = use_state(|| None::<SelfCompletionReceipt>);
    if let Some(receipt) = &*receipt {
        return html! {
            <section class="self-completion" aria-labelledby="answer-title">
                <h1 id="answer-title">{ i18n.t("answer.thanks_title") }</h1>
                <p id="answer-thanks">{ i18n.t("answer.thanks") }</p>
                if receipt.needs_support {
                    <div class="panel support" role="alert" id="answer-support">
                        <p>{ i18n.t("answer.support") }</p>
                        <ul>
                            <li>{ i18n.t("answer.support_samaritans") }</li>
                            <li>{ i18n.t("answer.support_swd") }</li>
                            <li>{ i18n.t("answer.support_emergency") }</li>
                        </ul>
                    </div>
                }
            </section>
        };
    }
    let asked: Rc<SelfCompletion> = match &*found {
        Load::Loading => return html! { <p role="status">{ i18n.t("app.loading") }</p> },
        Load::Failed(error) => {
            return html! {
                <section class="self-completion" aria-labelledby="answer-title">
                    <h1 id="answer-title">{ i18n.t("answer.title") }</h1>
                    <p role="alert" class="alert" id="answer-closed">{ i18n.error(error) }</p>
                </section>
            }
        }
        Load::Ready(asked) => Rc::clone(asked),
    };
    let instrument = Rc::new(asked.instrument.clone());
    let on_answers = {
        let answers = answers.clone();
        Callback::from(move |next: Answers| answers.set(next))
    };
    let on_consent = {
        let consent = consent.clone();
        Callback::from(move |event: Event| consent.set(checked(&event)))
    };
    let onsubmit = {
        let (answers, consent, errors, receipt) = (
            answers.clone(),
            consent.clone(),
            errors.clone(),
            receipt.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let body = SelfCompletionAnswers {
                consent: *consent,
                answers: (*answers).clone(),
            };
            let receipt = receipt.clone();
            submit(
                api.clone(),
                false,
                path.clone(),
                body,
                errors.clone(),
                Callback::from(move |answer: SelfCompletionReceipt| receipt.set(Some(answer))),
            );
        })
    };
    let consent_error = field_error(&errors, "consent");
    let answers_error = field_error(&errors, "answers");
    html! {
        <section class="self-completion" aria-labelledby="answer-title">
            <h1 id="answer-title">{ i18n.pick(&asked.instrument.name_zh, &asked.instrument.name_en).to_owned() }</h1>
            <p>{ i18n.tf("answer.asked_by", &[("centre", i18n.pick(&asked.centre_name_zh, &asked.centre_name_en))]) }</p>
            <form id="answer-form" class="stack" {onsubmit} novalidate=true>
                { form_alert(i18n, &errors) }
                <Questionnaire {instrument} answers={(*answers).clone()} on_change={on_answers} errors={(*errors).clone()} />
                if let Some(error) = answers_error {
                    <p role="alert" class="alert">{ i18n.field_error(&error) }</p>
                }
                <div class="panel consent">
                    <p id="answer-consent-text">{ i18n.t("answer.consent_text") }</p>
                    <div class="field checkbox">
                        <input id="answer-consent" type="checkbox" checked={*consent} onchange={on_consent}
                            aria-describedby="answer-consent-text" aria-invalid={consent_error.as_ref().map(|_| "true")} />
                        <label for="answer-consent">{ i18n.t("answer.consent") }</label>
                    </div>
                    if let Some(error) = consent_error {
                        <p class="field-error" id="answer-consent-error">{ i18n.field_error(&error) }</p>
                    }
                </div>
                <button type="submit" class="primary" id="answer-submit">{ i18n.t("answer.send") }</button>
            </form>
        </section>
    }
}
