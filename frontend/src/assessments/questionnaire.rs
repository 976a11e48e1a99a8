//! An instrument's items to answer, one radio group each (arrow keys move within an item,
//! Tab to the next), and the scores its answers give so far.

use std::rc::Rc;

use common::assessments::{score, Answers, Instrument};
use common::error::ErrorBody;
use yew::prelude::*;

use super::result_text;
use crate::form::field_error;
use crate::i18n::use_i18n;

#[derive(Properties, PartialEq)]
pub struct QuestionnaireProps {
    pub instrument: Rc<Instrument>,
    pub answers: Answers,
    pub on_change: Callback<Answers>,
    #[prop_or_default]
    pub errors: Option<ErrorBody>,
}

#[function_component]
pub fn Questionnaire(props: &QuestionnaireProps) -> Html {
    let i18n = use_i18n();
    let instrument = &props.instrument;
    html! {
        <div class="questionnaire">
            <p class="instructions">{ i18n.pick(&instrument.instructions_zh, &instrument.instructions_en).to_owned() }</p>
            <ol class="items">
                { for instrument.items.iter().map(|item| {
                    let number = item.number;
                    let name = format!("item-{number}");
                    let chosen = props.answers.0.get(&number).copied().flatten();
                    let error = field_error(&props.errors, &format!("answers.{number}"));
                    html! {
                        <li key={number}>
                            <fieldset class="item" id={name.clone()}
                                aria-describedby={error.as_ref().map(|_| format!("{name}-error"))}>
                                <legend>
                                    <span class="item-number">{ format!("{number}. ") }</span>
                                    { i18n.pick(&item.text_zh, &item.text_en).to_owned() }
                                </legend>
                                <div class="options">
                                    { for instrument.options.iter().map(|option| {
                                        let id = format!("{name}-{}", option.value);
                                        let value = option.value;
                                        let onchange = {
                                            let (answers, on_change) = (props.answers.clone(), props.on_change.clone());
                                            Callback::from(move |_: Event| {
                                                let mut next = answers.clone();
                                                next.0.insert(number, Some(value));
                                                on_change.emit(next);
                                            })
                                        };
                                        html! {
                                            <label for={id.clone()} class="option">
                                                <input type="radio" id={id} name={name.clone()} value={value.to_string()}
                                                    checked={chosen == Some(value)} {onchange} />
                                                <span>{ i18n.pick(&option.label_zh, &option.label_en).to_owned() }</span>
                                            </label>
                                        }
                                    }) }
                                </div>
                                if let Some(error) = &error {
                                    <p id={format!("{name}-error")} class="field-error">{ i18n.field_error(error) }</p>
                                }
                            </fieldset>
                        </li>
                    }
                }) }
            </ol>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct PreviewProps {
    pub instrument: Rc<Instrument>,
    pub answers: Answers,
}

/// The scores as the answers stand, computed here by the API's own scoring code; the API
/// scores again when the answers are kept.
#[function_component]
pub fn ScorePreview(props: &PreviewProps) -> Html {
    let i18n = use_i18n();
    let Ok(scoring) = score(&props.instrument, &props.answers) else {
        return Html::default();
    };
    let answered = props.answers.0.values().filter(|a| a.is_some()).count();
    html! {
        <section class="panel score-preview" aria-labelledby="preview-title" aria-live="polite">
            <h2 id="preview-title">{ i18n.t("assessment.preview") }</h2>
            <p class="hint">{ i18n.tf("assessment.answered", &[
                ("answered", &answered.to_string()),
                ("items", &props.instrument.items.len().to_string()),
            ]) }</p>
            <dl class="details" id="score-preview">
                { for scoring.scales.iter().map(|s| html! {
                    <>
                        <dt>{ i18n.pick(&s.name_zh, &s.name_en).to_owned() }</dt>
                        <dd class={classes!(s.band.as_ref().map(|b| format!("severity-{}", b.severity)))}
                            id={format!("preview-{}", s.code)}>{ result_text(i18n, s) }</dd>
                    </>
                }) }
            </dl>
            { for scoring.alerts.iter().map(|alert| html! {
                <p class="alert" role="alert">{ i18n.pick(&alert.message_zh, &alert.message_en).to_owned() }</p>
            }) }
        </section>
    }
}
