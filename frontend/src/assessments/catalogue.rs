//! The Instruments page: the instruments in use, FamilyLink's and the agency's own, and
//! for an agency admin the form that adds one of the agency's own without code, as the
//! JSON the built-in ones are written in: started from a copy of one or from a file,
//! checked as it is typed by the rules the API applies, and tried out with the
//! questionnaire and the scores a worker will see.

use std::cell::RefCell;
use std::rc::Rc;

use common::assessments::{Answers, Instrument, InstrumentSummary};
use common::error::{ErrorBody, ValidationErrors};
use common::identity::Permission;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use yew::prelude::*;

use super::questionnaire::{Questionnaire, ScorePreview};
use crate::api::{encode, use_get, Load};
use crate::form::{form_alert, submit, value_of, FormField};
use crate::i18n::{use_i18n, use_title};
use crate::identity::use_session;

const DEFINITION: &str = "instrument-definition";

#[function_component]
pub fn InstrumentsPage() -> Html {
    use_title("instruments.title");
    let i18n = use_i18n();
    let session = use_session();
    let generation = use_state(|| 0u32);
    let listed = use_get::<Vec<InstrumentSummary>>("/api/instruments".to_owned(), *generation);
    let on_added = {
        let generation = generation.clone();
        Callback::from(move |()| generation.set(generation.wrapping_add(1)))
    };
    let table = match &*listed {
        Load::Loading => html! { <p role="status">{ i18n.t("app.loading") }</p> },
        Load::Failed(error) => html! { <p role="alert" class="alert">{ i18n.error(error) }</p> },
        Load::Ready(instruments) => html! {
            <div class="table-wrap" role="region" tabindex="0" aria-labelledby="instrument-caption">
                <table class="data" id="instrument-table">
                    <caption id="instrument-caption">{ i18n.t("instruments.caption") }</caption>
                    <thead>
                        <tr>
                            <th scope="col">{ i18n.t("instruments.name") }</th>
                            <th scope="col">{ i18n.t("instruments.code") }</th>
                            <th scope="col">{ i18n.t("instruments.version") }</th>
                            <th scope="col">{ i18n.t("instruments.items") }</th>
                            <th scope="col">{ i18n.t("instruments.source") }</th>
                        </tr>
                    </thead>
                    <tbody>
                        { for instruments.iter().map(|i| html! {
                            <tr key={i.code.clone()} id={format!("instrument-row-{}", i.code)}>
                                <th scope="row">{ i18n.pick(&i.name_zh, &i.name_en).to_owned() }</th>
                                <td><code>{ i.code.clone() }</code></td>
                                <td>{ i.version.to_string() }</td>
                                <td>{ i.items.to_string() }</td>
                                <td>{ i18n.t(if i.built_in { "instruments.built_in" } else { "instruments.own" }) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        },
    };
    let choices = match &*listed {
        Load::Ready(instruments) => Rc::clone(instruments),
        _ => Rc::default(),
    };
    html! {
        <section aria-labelledby="instruments-title">
            <h1 id="instruments-title">{ i18n.t("instruments.title") }</h1>
            <p>{ i18n.t("instruments.intro") }</p>
            { table }
            if session.can(Permission::AddInstruments) {
                <AddInstrument instruments={choices} {on_added} />
            }
        </section>
    }
}

/// A definition as typed: nothing yet, or the instrument, or what keeps it from passing.
fn checked(raw: &str) -> Option<Result<Rc<Instrument>, ValidationErrors>> {
    (!raw.trim().is_empty()).then(|| Instrument::from_json(raw).map(Rc::new))
}

/// The answers that still fit the definition: editing it may take away an item or an
/// answer given while trying an earlier draft.
fn fitted(instrument: &Instrument, answers: &Answers) -> Answers {
    Answers(
        answers
            .0
            .iter()
            .filter(|(number, value)| {
                instrument.items.iter().any(|item| item.number == **number)
                    && value.is_none_or(|v| instrument.options.iter().any(|o| o.value == v))
            })
            .map(|(number, value)| (*number, *value))
            .collect(),
    )
}

/// Counts one more copy or file asked for, and answers its number.
fn ask_again(asked: &RefCell<u32>) -> u32 {
    let mut asked = asked.borrow_mut();
    *asked += 1;
    *asked
}

#[derive(Properties, PartialEq)]
struct AddProps {
    /// Those to start from a copy of.
    instruments: Rc<Vec<InstrumentSummary>>,
    on_added: Callback<()>,
}

#[function_component]
fn AddInstrument(props: &AddProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let definition = use_state(String::new);
    let copy_of = use_state(String::new);
    let answers = use_state(Answers::default);
    // The API's answer to the last submission, and a copy or file that could not be read.
    let errors = use_state(|| None::<ErrorBody>);
    let source_error = use_state(|| None::<ErrorBody>);
    let added = use_state(|| None::<InstrumentSummary>);
    // Counts the copies and files asked for, so that a slow copy arriving after a later
    // choice does not replace it.
    let asked = use_mut_ref(|| 0u32);
    let parsed = use_memo((*definition).clone(), |raw| checked(raw));

    // A new definition from a copy or a file: the answers and errors were of the old one.
    let replace = {
        let (definition, answers) = (definition.clone(), answers.clone());
        let (errors, source_error) = (errors.clone(), source_error.clone());
        move |text: String| {
            definition.set(text);
            answers.set(Answers::default());
            errors.set(None);
            source_error.set(None);
        }
    };
    let on_copy = {
        let (api, copy_of, asked) = (api.clone(), copy_of.clone(), asked.clone());
        let (replace, source_error) = (replace.clone(), source_error.clone());
        Callback::from(move |event: Event| {
            let code = value_of(&event);
            copy_of.set(code.clone());
            if code.is_empty() {
                return;
            }
            let ask = ask_again(&asked);
            let (api, asked, replace, source_error) = (
                api.clone(),
                asked.clone(),
                replace.clone(),
                source_error.clone(),
            );
            spawn_local(async move {
                let answer = api
                    .get::<Instrument>(&format!("/api/instruments/{}", encode(&code)))
                    .await;
                if *asked.borrow() != ask {
                    return;
                }
                match answer {
                    Ok(instrument) => {
                        replace(serde_json::to_string_pretty(&instrument).unwrap_or_default())
                    }
                    Err(error) => source_error.set(Some(error)),
                }
            });
        })
    };
    let on_file = {
        let (copy_of, asked) = (copy_of.clone(), asked.clone());
        let (replace, source_error) = (replace.clone(), source_error.clone());
        Callback::from(move |event: Event| {
            let Some(file) = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .and_then(|input| input.files())
                .and_then(|files| files.get(0))
            else {
                return;
            };
            // The file replaces any copy chosen before it.
            copy_of.set(String::new());
            let ask = ask_again(&asked);
            let (asked, replace, source_error) =
                (asked.clone(), replace.clone(), source_error.clone());
            spawn_local(async move {
                let text = JsFuture::from(file.text())
                    .await
                    .ok()
                    .and_then(|t| t.as_string());
                if *asked.borrow() != ask {
                    return;
                }
                match text {
                    Some(text) => replace(text),
                    None => source_error.set(Some(ErrorBody {
                        code: "unreadable_file".to_owned(),
                        message: String::new(),
                        fields: Default::default(),
                    })),
                }
            });
        })
    };
    let on_input = {
        let (definition, errors) = (definition.clone(), errors.clone());
        Callback::from(move |event: InputEvent| {
            definition.set(value_of(&event));
            // The API's errors were of what was sent, no longer of what is shown.
            errors.set(None);
        })
    };
    let onsubmit = {
        let (parsed, errors, added) = (parsed.clone(), errors.clone(), added.clone());
        let on_added = props.on_added.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let Some(Ok(instrument)) = &*parsed else {
                return;
            };
            added.set(None);
            let (added, on_added) = (added.clone(), on_added.clone());
            submit(
                api.clone(),
                false,
                "/api/instruments".to_owned(),
                Instrument::clone(instrument),
                errors.clone(),
                Callback::from(move |summary: InstrumentSummary| {
                    added.set(Some(summary));
                    on_added.emit(());
                }),
            );
        })
    };

    let problems = match &*parsed {
        Some(Err(problems)) => Some(problems),
        _ => None,
    };
    // The API names the part of the definition at fault: a code or version already taken.
    let refused: Vec<(String, String)> = errors
        .as_ref()
        .map(|e| {
            e.fields
                .iter()
                .map(|(path, error)| (path.clone(), i18n.field_error(error)))
                .collect()
        })
        .unwrap_or_default();
    let described = [
        Some("instrument-definition-hint"),
        problems.map(|_| "instrument-problems"),
        (!refused.is_empty()).then_some("instrument-definition-error"),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let invalid = (problems.is_some() || !refused.is_empty()).then_some("true");
    let on_answers = {
        let answers = answers.clone();
        Callback::from(move |next: Answers| answers.set(next))
    };
    html! {
        <section class="panel" aria-labelledby="instrument-add-title">
            <h2 id="instrument-add-title">{ i18n.t("instruments.add_title") }</h2>
            <p>{ i18n.t("instruments.add_intro") }</p>
            <form id="instrument-form" class="stack" {onsubmit} novalidate=true>
                { form_alert(i18n, &errors) }
                <div class="grid">
                    <FormField id="instrument-copy" label="instruments.copy_of">
                        <select id="instrument-copy" onchange={on_copy}>
                            <option value="" selected={copy_of.is_empty()}>{ i18n.t("client.choose") }</option>
                            { for props.instruments.iter().map(|i| html! {
                                <option value={i.code.clone()} selected={*copy_of == i.code}>
                                    { i18n.pick(&i.name_zh, &i.name_en).to_owned() }
                                </option>
                            }) }
                        </select>
                    </FormField>
                    <FormField id="instrument-file" label="instruments.upload">
                        <input id="instrument-file" type="file" accept=".json,application/json" onchange={on_file} />
                    </FormField>
                </div>
                if let Some(error) = &*source_error {
                    <p role="alert" class="alert">{ i18n.error(error) }</p>
                }
                <div class="field">
                    <label for={DEFINITION}>{ i18n.t("instruments.definition") }</label>
                    <p id="instrument-definition-hint" class="hint">{ i18n.t("instruments.definition_hint") }</p>
                    <textarea id={DEFINITION} class="definition" rows="24" spellcheck="false"
                        autocomplete="off" autocapitalize="off" value={(*definition).clone()}
                        oninput={on_input} aria-invalid={invalid} aria-describedby={described} />
                    if !refused.is_empty() {
                        <ul id="instrument-definition-error" class="field-error plain">
                            { for refused.iter().map(|(path, message)| html! {
                                <li><code>{ path.clone() }</code>{ format!(": {message}") }</li>
                            }) }
                        </ul>
                    }
                </div>
                <div aria-live="polite">
                    if let Some(problems) = problems {
                        <div id="instrument-problems" class="problems">
                            <p>{ i18n.t("instruments.problems") }</p>
                            <ul>
                                { for problems.0.iter().map(|(path, error)| {
                                    // Where the JSON breaks (line and column) is the parser's
                                    // own detail, kept as it says it.
                                    let text = if error.code == "invalid_json" {
                                        i18n.tf("instruments.invalid_json", &[("detail", &error.message)])
                                    } else {
                                        i18n.field_error(error)
                                    };
                                    html! { <li><code>{ path.clone() }</code>{ format!(": {text}") }</li> }
                                }) }
                            </ul>
                        </div>
                    }
                </div>
                if let Some(Ok(instrument)) = &*parsed {
                    <Preview instrument={Rc::clone(instrument)}
                        answers={fitted(instrument, &answers)} on_change={on_answers} />
                }
                <div class="actions">
                    <button type="submit" class="primary" id="instrument-add"
                        disabled={!matches!(&*parsed, Some(Ok(_)))}>
                        { i18n.t("instruments.submit") }
                    </button>
                </div>
            </form>
            <p role="status" class="notice" id="instrument-notice">
                { added.as_ref().map(|a| i18n.tf("instruments.added", &[
                    ("name", i18n.pick(&a.name_zh, &a.name_en)),
                    ("version", &a.version.to_string()),
                ])).unwrap_or_default() }
            </p>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct PreviewProps {
    instrument: Rc<Instrument>,
    answers: Answers,
    on_change: Callback<Answers>,
}

/// The definition as a worker will meet it: its names, version and licence, the items to
/// answer and the scores they give.
#[function_component]
fn Preview(props: &PreviewProps) -> Html {
    let i18n = use_i18n();
    let instrument = &props.instrument;
    html! {
        <section id="instrument-preview" aria-labelledby="instrument-preview-title">
            <h2 id="instrument-preview-title">{ i18n.t("instruments.preview") }</h2>
            <p class="hint">{ i18n.t("instruments.preview_hint") }</p>
            <dl class="details">
                <dt>{ i18n.t("instruments.name_zh") }</dt>
                <dd lang="zh-HK">{ instrument.name_zh.clone() }</dd>
                <dt>{ i18n.t("instruments.name_en") }</dt>
                <dd lang="en">{ instrument.name_en.clone() }</dd>
                <dt>{ i18n.t("instruments.version") }</dt>
                <dd>{ instrument.version.to_string() }</dd>
                <dt>{ i18n.t("assessment.licence") }</dt>
                <dd>{ instrument.licence.clone() }</dd>
            </dl>
            <Questionnaire instrument={Rc::clone(instrument)} answers={props.answers.clone()}
                on_change={props.on_change.clone()} />
            <ScorePreview instrument={Rc::clone(instrument)} answers={props.answers.clone()} />
        </section>
    }
}

#[cfg(test)]
mod tests {
    use common::assessments::builtin;

    use super::*;

    #[test]
    fn a_blank_definition_is_not_yet_checked() {
        assert!(checked(" \n ").is_none());
        let gad7 = serde_json::to_string_pretty(builtin("gad7").unwrap()).unwrap();
        assert_eq!(
            checked(&gad7).unwrap().unwrap().as_ref(),
            builtin("gad7").unwrap()
        );
        let blank = gad7.replacen("Feeling nervous, anxious, or on edge", "", 1);
        let problems = checked(&blank).unwrap().unwrap_err();
        assert_eq!(problems.0["items.0.text_en"].code, "required");
    }

    #[test]
    fn answers_that_no_longer_fit_the_definition_are_dropped() {
        let mut draft = builtin("gad7").unwrap().clone();
        draft.items.truncate(2);
        draft.options.truncate(3);
        // Item 2's answer is no longer offered, item 3 is gone; an unanswered item stays.
        let answers = Answers([(1, Some(2)), (2, Some(3)), (3, Some(0))].into());
        assert_eq!(fitted(&draft, &answers), Answers([(1, Some(2))].into()));
        let answers = Answers([(2, None)].into());
        assert_eq!(fitted(&draft, &answers), answers);
    }
}
