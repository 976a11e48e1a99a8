//! The trainer's course editor: the course's definition as JSON (modules, activities and
//! quizzes with their answers), checked as it is typed by the rules the server applies,
//! then saved and published.

use common::error::ErrorBody;
use common::training::{CourseDefinition, CourseForm, CourseStatus, CourseStatusForm};
use yew::prelude::*;
use yew_router::prelude::*;

use super::TrainingRoute;
use crate::api::{use_get_if, Load};
use crate::form::value_of;
use crate::i18n::{use_i18n, use_title};
use crate::identity::use_session;

/// Where a new course starts: one module with a page and a quiz, to be written over.
const TEMPLATE: &str = r#"{
  "title_zh": "",
  "title_en": "",
  "summary_zh": "",
  "summary_en": "",
  "category": "family_practice",
  "language": "cantonese",
  "audiences": ["social_workers"],
  "cpd_tenths": 30,
  "self_enrol": true,
  "own_agency_only": false,
  "certificate_months": null,
  "modules": [
    {
      "title_zh": "單元一",
      "title_en": "Module 1",
      "activities": [
        { "kind": "page", "title_zh": "", "title_en": "", "body": "" },
        { "kind": "quiz", "title_zh": "小測", "title_en": "Quiz", "pass_mark": 70, "attempts": 3,
          "questions": [
            { "kind": "single_choice", "prompt_zh": "", "prompt_en": "",
              "choices": [ { "zh": "", "en": "" }, { "zh": "", "en": "" } ], "correct": [0] }
          ] }
      ]
    }
  ]
}"#;

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    #[prop_or_default]
    pub id: Option<String>,
}

/// The definition as the editor shows it: the course's content with the version read.
fn as_json(definition: &CourseDefinition) -> String {
    let mut value = serde_json::to_value(&definition.content).unwrap_or_default();
    value["version"] = definition.version.into();
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

/// What is wrong with the text, by path, as the server would say it.
fn problems(text: &str) -> Result<CourseForm, Vec<(String, String)>> {
    let form: CourseForm =
        serde_json::from_str(text).map_err(|e| vec![(String::new(), e.to_string())])?;
    form.parse().map(|_| form).map_err(|errors| {
        errors
            .0
            .into_iter()
            .map(|(path, e)| (path, e.message))
            .collect()
    })
}

#[function_component]
pub fn CourseEditor(props: &EditorProps) -> Html {
    use_title("training.editor");
    let i18n = use_i18n();
    let loaded = use_get_if::<CourseDefinition>(
        props
            .id
            .as_ref()
            .map(|id| format!("/api/courses/{id}/definition")),
        0,
    );
    match (&props.id, &*loaded) {
        (None, _) => html! { <Editor text={TEMPLATE.to_owned()} /> },
        (Some(_), Load::Ready(d)) => {
            html! { <Editor id={d.id.clone()} text={as_json(d)} status={d.status} version={d.version} /> }
        }
        (Some(_), Load::Failed(error)) => {
            html! { <p role="alert" class="alert">{ i18n.error(error) }</p> }
        }
        (Some(_), Load::Loading) => html! { <p role="status">{ i18n.t("app.loading") }</p> },
    }
}

#[derive(Properties, PartialEq)]
struct EditorFormProps {
    #[prop_or_default]
    id: Option<String>,
    text: String,
    #[prop_or(CourseStatus::Draft)]
    status: CourseStatus,
    #[prop_or_default]
    version: i64,
}

#[function_component]
fn Editor(props: &EditorFormProps) -> Html {
    let i18n = use_i18n();
    let session = use_session();
    let navigator = use_navigator();
    let text = use_state(|| props.text.clone());
    let errors = use_state(|| None::<ErrorBody>);
    let checked = problems(&text);
    let oninput = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| text.set(value_of(&e)))
    };
    let save = {
        let (api, id, errors, navigator, form) = (
            session.api.clone(),
            props.id.clone(),
            errors.clone(),
            navigator.clone(),
            checked.clone().ok(),
        );
        Callback::from(move |_: MouseEvent| {
            let Some(form) = form.clone() else { return };
            let (api, id, errors, navigator) =
                (api.clone(), id.clone(), errors.clone(), navigator.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let saved = match &id {
                    Some(id) => {
                        api.put::<CourseDefinition>(&format!("/api/courses/{id}"), &form)
                            .await
                    }
                    None => api.post::<CourseDefinition>("/api/courses", &form).await,
                };
                match saved {
                    Ok(course) => {
                        errors.set(None);
                        if let Some(navigator) = &navigator {
                            navigator.push(&TrainingRoute::Course { id: course.id });
                        }
                    }
                    Err(error) => errors.set(Some(error)),
                }
            });
        })
    };
    let publish = {
        let (api, id, errors, navigator, version) = (
            session.api.clone(),
            props.id.clone(),
            errors.clone(),
            navigator,
            props.version,
        );
        Callback::from(move |_: MouseEvent| {
            let Some(id) = id.clone() else { return };
            let (api, errors, navigator) = (api.clone(), errors.clone(), navigator.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let form = CourseStatusForm {
                    to: CourseStatus::Published,
                    version,
                };
                match api
                    .post::<CourseDefinition>(&format!("/api/courses/{id}/status"), &form)
                    .await
                {
                    Ok(course) => {
                        if let Some(navigator) = &navigator {
                            navigator.push(&TrainingRoute::Course { id: course.id });
                        }
                    }
                    Err(error) => errors.set(Some(error)),
                }
            });
        })
    };
    html! {
        <section>
            <h1>{ i18n.t(if props.id.is_some() { "training.edit" } else { "training.new" }) }</h1>
            <p>{ i18n.t("training.editor_help") }</p>
            if let Some(error) = &*errors {
                <p role="alert" class="alert">
                    { i18n.error(error) }
                    { for error.fields.iter().map(|(path, e)| html! { <>{ " " }{ format!("{path}: {}", i18n.field_error(e)) }</> }) }
                </p>
            }
            <div class="field">
                <label for="course-json">{ i18n.t("training.definition") }</label>
                <textarea id="course-json" rows="30" class="code" value={(*text).clone()} {oninput}
                    aria-describedby="course-check" spellcheck="false" />
            </div>
            <div id="course-check" role="status">
                { match &checked {
                    Ok(_) => html! { <p>{ i18n.t("training.definition_ok") }</p> },
                    Err(list) => html! {
                        <ul class="field-error">
                            { for list.iter().map(|(path, message)| html! { <li>{ if path.is_empty() { message.clone() } else { format!("{path}: {message}") } }</li> }) }
                        </ul>
                    },
                } }
            </div>
            <div class="actions">
                <button type="button" class="primary" id="course-save" disabled={checked.is_err()} onclick={save}>{ i18n.t("training.save") }</button>
                if props.id.is_some() && props.status == CourseStatus::Draft {
                    <button type="button" id="course-publish" onclick={publish}>{ i18n.t("training.publish") }</button>
                }
            </div>
        </section>
    }
}
