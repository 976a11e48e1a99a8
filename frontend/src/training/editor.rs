//! The trainer's course editor: a form of the course's fields, its modules (added,
//! removed, moved) and their activities of every kind with their fields, quizzes'
//! questions with their choices and right answers, and the course's question bank;
//! checked as it is typed by the rules the server applies (`CourseForm::parse`), each
//! problem shown beside its field once saving is tried. A file activity's file is added
//! once the course is saved. The same draft may be edited as JSON, for a course written
//! elsewhere.

use std::collections::BTreeMap;
use std::rc::Rc;

use common::error::{ErrorBody, FieldError};
use common::hub::Audience;
use common::training::{
    hours, Activity, ActivityFile, ActivityKind, Choice, CourseCategory, CourseDefinition,
    CourseForm, CourseStatus, CourseStatusForm, Module, Question, QuestionKind, TeachingLanguage,
};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use super::{tenths, TrainingRoute};
use crate::api::{chosen_file, upload_file, use_get_if, Load};
use crate::form::{change, checked, date_of, value_of, Draft, FormField};
use crate::hub::CodeChoice;
use crate::i18n::{use_i18n, use_title, I18n};
use crate::identity::use_session;

type Form = UseReducerHandle<Draft<CourseForm>>;

/// The problems shown, by the field's path (`modules.0.activities.2.title_en`).
type Problems = Rc<BTreeMap<String, FieldError>>;

/// What every field of the form needs to draw itself.
struct Ctx {
    i18n: I18n,
    form: Form,
    problems: Problems,
}

/// A control's id, from its field's path.
fn fid(path: &str) -> String {
    format!("course-{}", path.replace('.', "-"))
}

fn blank_activity(kind: ActivityKind) -> Activity {
    let quiz = kind == ActivityKind::Quiz;
    Activity {
        key: String::new(),
        kind,
        title_zh: String::new(),
        title_en: String::new(),
        body: String::new(),
        url: None,
        required: true,
        pass_mark: quiz.then_some(70),
        attempts: None,
        questions: if quiz {
            vec![blank_question(QuestionKind::SingleChoice)]
        } else {
            Vec::new()
        },
        sign_off: false,
        draw: None,
    }
}

fn blank_question(kind: QuestionKind) -> Question {
    let choices = match kind {
        QuestionKind::SingleChoice | QuestionKind::MultipleChoice => {
            vec![Choice::default(), Choice::default()]
        }
        _ => Vec::new(),
    };
    Question {
        kind,
        prompt_zh: String::new(),
        prompt_en: String::new(),
        choices,
        correct: Vec::new(),
        accepted: Vec::new(),
        points: 1,
    }
}

fn blank_module() -> Module {
    Module {
        title_zh: String::new(),
        title_en: String::new(),
        activities: vec![blank_activity(ActivityKind::Page)],
    }
}

/// Where a new course starts: one module with a page, to be written over.
fn blank_course() -> CourseForm {
    CourseForm {
        self_enrol: true,
        modules: vec![blank_module()],
        ..Default::default()
    }
}

fn form_of(definition: &CourseDefinition) -> CourseForm {
    let c = definition.content.clone();
    CourseForm {
        title_zh: c.title_zh,
        title_en: c.title_en,
        summary_zh: c.summary_zh,
        summary_en: c.summary_en,
        category: Some(c.category),
        language: Some(c.language),
        audiences: c.audiences,
        cpd_tenths: Some(c.cpd_tenths),
        self_enrol: c.self_enrol,
        own_agency_only: c.own_agency_only,
        enrol_opens: c.enrol_opens,
        enrol_closes: c.enrol_closes,
        certificate_months: c.certificate_months,
        modules: c.modules,
        bank: c.bank,
        version: Some(definition.version),
    }
}

/// A whole number typed, or none when the box is left empty (or holds no number).
fn number(typed: &str) -> Option<i64> {
    typed.trim().parse().ok()
}

fn activity(f: &mut CourseForm, (m, a): (usize, usize)) -> Option<&mut Activity> {
    f.modules.get_mut(m)?.activities.get_mut(a)
}

/// A question of a quiz, or of the course's bank.
#[derive(Clone, Copy, PartialEq)]
enum At {
    Quiz(usize, usize, usize),
    Bank(usize),
}

impl At {
    fn path(self) -> String {
        match self {
            At::Quiz(m, a, q) => format!("modules.{m}.activities.{a}.questions.{q}"),
            At::Bank(q) => format!("bank.{q}"),
        }
    }

    fn question(self, f: &mut CourseForm) -> Option<&mut Question> {
        match self {
            At::Quiz(m, a, q) => activity(f, (m, a))?.questions.get_mut(q),
            At::Bank(q) => f.bank.get_mut(q),
        }
    }

    fn list(self, f: &mut CourseForm) -> Option<&mut Vec<Question>> {
        match self {
            At::Quiz(m, a, _) => Some(&mut activity(f, (m, a))?.questions),
            At::Bank(_) => Some(&mut f.bank),
        }
    }

    fn index(self) -> usize {
        match self {
            At::Quiz(_, _, q) | At::Bank(q) => q,
        }
    }
}

/// Moves item `i` one place by `step` (-1 up, 1 down), if there is a place there.
fn shift<T>(items: &mut [T], i: usize, step: isize) {
    let j = i as isize + step;
    if j >= 0 && (j as usize) < items.len() && i < items.len() {
        items.swap(i, j as usize);
    }
}

impl Ctx {
    fn error(&self, path: &str) -> Option<FieldError> {
        self.problems.get(path).cloned()
    }

    fn attrs(&self, path: &str) -> (Option<AttrValue>, Option<AttrValue>) {
        crate::form::error_attrs(&fid(path), self.problems.get(path))
    }

    /// A line of text (or, `area`, paragraphs) at `path`.
    fn text(
        &self,
        (path, label): (&str, &'static str),
        value: &str,
        area: bool,
        apply: impl Fn(&mut CourseForm, String) + 'static,
    ) -> Html {
        let id = fid(path);
        let (invalid, described) = self.attrs(path);
        let oninput = change(&self.form, move |f, e: &InputEvent| apply(f, value_of(e)));
        html! {
            <FormField id={id.clone()} {label} error={self.error(path)}>
                if area {
                    <textarea id={id} rows="4" value={value.to_owned()} {oninput}
                        aria-invalid={invalid} aria-describedby={described} />
                } else {
                    <input id={id} type="text" value={value.to_owned()} {oninput}
                        aria-invalid={invalid} aria-describedby={described} />
                }
            </FormField>
        }
    }

    /// A whole number at `path`, none when left empty.
    fn number(
        &self,
        (path, label): (&str, &'static str),
        value: Option<i64>,
        apply: impl Fn(&mut CourseForm, Option<i64>) + 'static,
    ) -> Html {
        let id = fid(path);
        let (invalid, described) = self.attrs(path);
        let oninput = change(&self.form, move |f, e: &InputEvent| {
            apply(f, number(&value_of(e)))
        });
        html! {
            <FormField id={id.clone()} {label} error={self.error(path)}>
                <input id={id} type="number" inputmode="numeric" value={value.map(|v| v.to_string()).unwrap_or_default()}
                    {oninput} aria-invalid={invalid} aria-describedby={described} />
            </FormField>
        }
    }

    fn tick(
        &self,
        (path, label): (&str, &'static str),
        value: bool,
        apply: impl Fn(&mut CourseForm, bool) + 'static,
    ) -> Html {
        let id = fid(path);
        let onchange = change(&self.form, move |f, e: &Event| apply(f, checked(e)));
        html! {
            <div class="field">
                <label for={id.clone()} class="checkbox">
                    <input id={id} type="checkbox" checked={value} {onchange} />
                    { self.i18n.t(label) }
                </label>
                if let Some(error) = self.error(path) {
                    <p id={format!("{}-error", fid(path))} class="field-error">{ self.i18n.field_error(&error) }</p>
                }
            </div>
        }
    }

    /// One of a closed list's codes at `path`, named from the list's translations.
    fn choose<T: Copy + PartialEq + 'static>(
        &self,
        (path, label, list): (&str, &'static str, &'static str),
        (options, code): (&'static [T], fn(T) -> &'static str),
        chosen: Option<T>,
        apply: impl Fn(&mut CourseForm, Option<T>) + 'static,
    ) -> Html {
        let id = fid(path);
        let (invalid, described) = self.attrs(path);
        let onchange = change(&self.form, move |f, e: &Event| {
            let value = value_of(e);
            apply(f, options.iter().copied().find(|o| code(*o) == value))
        });
        html! {
            <FormField id={id.clone()} {label} error={self.error(path)}>
                <select id={id} {onchange} aria-invalid={invalid} aria-describedby={described}>
                    if chosen.is_none() {
                        <option value="" selected=true>{ self.i18n.t("training.choose") }</option>
                    }
                    { for options.iter().map(|o| html! {
                        <option value={code(*o)} selected={chosen == Some(*o)}>{ self.i18n.code(list, code(*o)) }</option>
                    }) }
                </select>
            </FormField>
        }
    }

    /// Buttons that move an item of a list up or down, or take it away.
    fn arrange(
        &self,
        (name, i, count, removable): (&str, usize, usize, bool),
        apply: impl Fn(&mut CourseForm, Option<isize>) + 'static,
    ) -> Html {
        let apply = Rc::new(apply);
        let button = |step: Option<isize>, label: &'static str, enabled: bool| {
            let apply = apply.clone();
            let onclick = change(&self.form, move |f, _: &MouseEvent| apply(f, step));
            let n = (i + 1).to_string();
            html! {
                <button type="button" disabled={!enabled} {onclick}
                    aria-label={self.i18n.tf(label, &[("what", name), ("n", &n)])}>
                    { self.i18n.t(match step { Some(-1) => "training.up", Some(_) => "training.down", None => "training.remove" }) }
                </button>
            }
        };
        html! {
            <div class="actions arrange">
                { button(Some(-1), "training.move_up", i > 0) }
                { button(Some(1), "training.move_down", i + 1 < count) }
                { button(None, "training.remove_item", removable) }
            </div>
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    #[prop_or_default]
    pub id: Option<String>,
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
        (None, _) => html! { <Editor initial={blank_course()} /> },
        (Some(_), Load::Ready(d)) => html! {
            <Editor id={d.id.clone()} initial={form_of(d)} status={d.status} files={d.files.clone()} />
        },
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
    initial: CourseForm,
    #[prop_or(CourseStatus::Draft)]
    status: CourseStatus,
    #[prop_or_default]
    files: Vec<ActivityFile>,
}

#[function_component]
fn Editor(props: &EditorFormProps) -> Html {
    let i18n = use_i18n();
    let session = use_session();
    let navigator = use_navigator();
    let form = use_reducer(|| Draft(props.initial.clone()));
    let files = use_state(|| props.files.clone());
    // Problems are shown beside their fields once saving was tried.
    let tried = use_state(|| false);
    // The draft as JSON while it is edited so, with what is wrong with the text.
    let json = use_state(|| None::<(String, Option<String>)>);
    let errors = use_state(|| None::<ErrorBody>);
    let checked_form = form.0.parse();
    let mut shown: BTreeMap<String, FieldError> = errors
        .as_ref()
        .map(|e| e.fields.clone().into_iter().collect())
        .unwrap_or_default();
    if let (Err(problems), true) = (&checked_form, *tried) {
        shown.extend(problems.0.clone());
    }
    let ctx = Ctx {
        i18n,
        form: form.clone(),
        problems: Rc::new(shown),
    };
    let save = {
        let (api, id, errors, navigator, form, tried, valid) = (
            session.api.clone(),
            props.id.clone(),
            errors.clone(),
            navigator.clone(),
            form.clone(),
            tried.clone(),
            checked_form.is_ok(),
        );
        Callback::from(move |_: MouseEvent| {
            tried.set(true);
            if !valid {
                return;
            }
            let (api, id, errors, navigator, body) = (
                api.clone(),
                id.clone(),
                errors.clone(),
                navigator.clone(),
                form.0.clone(),
            );
            spawn_local(async move {
                let saved = match &id {
                    Some(id) => {
                        api.put::<CourseDefinition>(&format!("/api/courses/{id}"), &body)
                            .await
                    }
                    None => api.post::<CourseDefinition>("/api/courses", &body).await,
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
            form.0.version.unwrap_or_default(),
        );
        Callback::from(move |_: MouseEvent| {
            let Some(id) = id.clone() else { return };
            let (api, errors, navigator) = (api.clone(), errors.clone(), navigator.clone());
            spawn_local(async move {
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
    let toggle_json = {
        let (json, form) = (json.clone(), form.clone());
        Callback::from(move |_: MouseEvent| {
            json.set(match &*json {
                Some(_) => None,
                None => Some((
                    serde_json::to_string_pretty(&form.0).unwrap_or_default(),
                    None,
                )),
            })
        })
    };
    let json_input = {
        let (json, form) = (json.clone(), form.clone());
        Callback::from(move |e: InputEvent| {
            let text = value_of(&e);
            let problem = match serde_json::from_str::<CourseForm>(&text) {
                Ok(parsed) => {
                    form.dispatch(Rc::new(move |f: &mut CourseForm| *f = parsed.clone()));
                    None
                }
                Err(error) => Some(error.to_string()),
            };
            json.set(Some((text, problem)));
        })
    };
    let course = &form.0;
    let upload = Upload {
        api: session.api.clone(),
        id: props.id.clone(),
        files: files.clone(),
        errors: errors.clone(),
    };
    html! {
        <section class="course-editor">
            <h1>{ i18n.t(if props.id.is_some() { "training.edit" } else { "training.new" }) }</h1>
            <p>{ i18n.t("training.editor_help") }</p>
            if let Some(error) = &*errors {
                <p role="alert" class="alert">{ i18n.error(error) }</p>
            }
            <div class="actions">
                <button type="button" id="course-json-toggle" aria-pressed={json.is_some().to_string()} onclick={toggle_json}>
                    { i18n.t("training.edit_as_json") }
                </button>
            </div>
            if let Some((text, problem)) = &*json {
                <div class="field">
                    <label for="course-json">{ i18n.t("training.definition") }</label>
                    <textarea id="course-json" rows="30" class="code" value={text.clone()} oninput={json_input}
                        aria-describedby="course-check" spellcheck="false" />
                    if let Some(problem) = problem {
                        <p class="field-error">{ problem.clone() }</p>
                    }
                </div>
            } else {
                <fieldset class="course-fields">
                    <legend>{ i18n.t("training.course_fields") }</legend>
                    { ctx.text(("title_zh", "training.title_zh"), &course.title_zh, false, |f, v| f.title_zh = v) }
                    { ctx.text(("title_en", "training.title_en"), &course.title_en, false, |f, v| f.title_en = v) }
                    { ctx.text(("summary_zh", "training.summary_zh"), &course.summary_zh, true, |f, v| f.summary_zh = v) }
                    { ctx.text(("summary_en", "training.summary_en"), &course.summary_en, true, |f, v| f.summary_en = v) }
                    { ctx.choose(("category", "training.category", "course_category"), (CourseCategory::ALL, CourseCategory::as_str),
                        course.category, |f, v| f.category = v) }
                    { ctx.choose(("language", "training.language", "teaching_language"), (TeachingLanguage::ALL, TeachingLanguage::as_str),
                        course.language, |f, v| f.language = v) }
                    <CodeChoice prefix="course-audience" field="audiences" legend="training.audiences" list="audience"
                        options={Audience::ALL.iter().map(|a| a.as_str()).collect::<Vec<_>>()}
                        chosen={course.audiences.iter().map(|a| a.as_str()).collect::<Vec<_>>()}
                        on_change={change(&form, |f, c: &Vec<&'static str>| f.audiences = c.iter().filter_map(|c| Audience::parse(c)).collect())}
                        error={ctx.error("audiences")} />
                    <FormField id="course-cpd_tenths" label="training.cpd_hours_label" error={ctx.error("cpd_tenths")}>
                        <input id="course-cpd_tenths" type="text" inputmode="decimal"
                            value={course.cpd_tenths.map(hours).unwrap_or_default()}
                            oninput={change(&form, |f, e: &InputEvent| f.cpd_tenths = tenths(&value_of(e)))}
                            aria-invalid={ctx.attrs("cpd_tenths").0} aria-describedby={ctx.attrs("cpd_tenths").1} />
                    </FormField>
                    { ctx.tick(("self_enrol", "training.self_enrol"), course.self_enrol, |f, v| f.self_enrol = v) }
                    { ctx.tick(("own_agency_only", "training.own_agency_only"), course.own_agency_only, |f, v| f.own_agency_only = v) }
                    <FormField id="course-enrol_opens" label="training.enrol_opens" error={ctx.error("enrol_opens")}>
                        <input id="course-enrol_opens" type="date" value={course.enrol_opens.map(|d| d.to_string()).unwrap_or_default()}
                            onchange={change(&form, |f, e: &Event| f.enrol_opens = date_of(e))} />
                    </FormField>
                    <FormField id="course-enrol_closes" label="training.enrol_closes" error={ctx.error("enrol_closes")}>
                        <input id="course-enrol_closes" type="date" value={course.enrol_closes.map(|d| d.to_string()).unwrap_or_default()}
                            onchange={change(&form, |f, e: &Event| f.enrol_closes = date_of(e))}
                            aria-invalid={ctx.attrs("enrol_closes").0} aria-describedby={ctx.attrs("enrol_closes").1} />
                    </FormField>
                    { ctx.number(("certificate_months", "training.certificate_months"), course.certificate_months, |f, v| f.certificate_months = v) }
                </fieldset>
                if let Some(error) = ctx.error("modules") {
                    <p id="course-modules-error" class="field-error" role="alert">{ i18n.field_error(&error) }</p>
                }
                { for course.modules.iter().enumerate().map(|(m, module)| module_fields(&ctx, &upload, (m, course.modules.len()), module)) }
                <div class="actions">
                    <button type="button" id="course-add-module"
                        onclick={change(&form, |f, _: &MouseEvent| f.modules.push(blank_module()))}>{ i18n.t("training.add_module") }</button>
                </div>
                <fieldset class="course-bank">
                    <legend>{ i18n.t("training.bank") }</legend>
                    <p class="muted">{ i18n.t("training.bank_help") }</p>
                    { for course.bank.iter().enumerate().map(|(q, question)| question_fields(&ctx, At::Bank(q), course.bank.len(), question)) }
                    <button type="button" id="course-add-bank-question"
                        onclick={change(&form, |f, _: &MouseEvent| f.bank.push(blank_question(QuestionKind::SingleChoice)))}>
                        { i18n.t("training.add_bank_question") }
                    </button>
                </fieldset>
            }
            <div id="course-check" role="status">
                { match &checked_form {
                    Ok(_) => html! { <p>{ i18n.t("training.definition_ok") }</p> },
                    Err(list) => html! {
                        <>
                            <p>{ i18n.tf("training.problems", &[("count", &list.0.len().to_string())]) }</p>
                            if *tried || json.is_some() {
                                <ul class="field-error">
                                    { for list.0.iter().map(|(path, e)| html! { <li>{ format!("{path}: {}", i18n.field_error(e)) }</li> }) }
                                </ul>
                            }
                        </>
                    },
                } }
            </div>
            <div class="actions">
                <button type="button" class="primary" id="course-save" onclick={save}>{ i18n.t("training.save") }</button>
                if props.id.is_some() && props.status == CourseStatus::Draft {
                    <button type="button" id="course-publish" onclick={publish}>{ i18n.t("training.publish") }</button>
                }
            </div>
        </section>
    }
}

/// What adding a file to a file activity needs: the course saved, and where to show the
/// files kept and what went wrong.
struct Upload {
    api: crate::api::Api,
    id: Option<String>,
    files: UseStateHandle<Vec<ActivityFile>>,
    errors: UseStateHandle<Option<ErrorBody>>,
}

fn module_fields(ctx: &Ctx, upload: &Upload, (m, count): (usize, usize), module: &Module) -> Html {
    let i18n = ctx.i18n;
    let at = format!("modules.{m}");
    let kind_id = fid(&format!("{at}.new-kind"));
    let add = {
        let kind_id = kind_id.clone();
        change(&ctx.form, move |f, _: &MouseEvent| {
            let kind = selected(&kind_id)
                .and_then(|k| ActivityKind::parse(&k))
                .unwrap_or(ActivityKind::Page);
            if let Some(module) = f.modules.get_mut(m) {
                module.activities.push(blank_activity(kind));
            }
        })
    };
    html! {
        <fieldset class="module-fields" id={fid(&at)}>
            <legend>{ i18n.tf("training.module_n", &[("n", &(m + 1).to_string())]) }</legend>
            { ctx.arrange((i18n.t("training.module_name"), m, count, count > 1), move |f, step| match step {
                Some(step) => shift(&mut f.modules, m, step),
                None if f.modules.len() > 1 => { f.modules.remove(m); }
                None => {}
            }) }
            { ctx.text((&format!("{at}.title_zh"), "training.title_zh"), &module.title_zh, false, move |f, v| {
                if let Some(module) = f.modules.get_mut(m) { module.title_zh = v }
            }) }
            { ctx.text((&format!("{at}.title_en"), "training.title_en"), &module.title_en, false, move |f, v| {
                if let Some(module) = f.modules.get_mut(m) { module.title_en = v }
            }) }
            if let Some(error) = ctx.error(&format!("{at}.activities")) {
                <p class="field-error">{ i18n.field_error(&error) }</p>
            }
            { for module.activities.iter().enumerate().map(|(a, activity)| activity_fields(ctx, upload, ((m, a), module.activities.len()), activity)) }
            <div class="actions">
                <label for={kind_id.clone()}>{ i18n.t("training.new_activity_kind") }</label>
                <select id={kind_id.clone()}>
                    { for ActivityKind::ALL.iter().map(|k| html! { <option value={k.as_str()}>{ i18n.code("activity_kind", k.as_str()) }</option> }) }
                </select>
                <button type="button" id={fid(&format!("{at}.add-activity"))} onclick={add}>{ i18n.t("training.add_activity") }</button>
            </div>
        </fieldset>
    }
}

/// The value chosen in the select of this id.
fn selected(id: &str) -> Option<String> {
    use wasm_bindgen::JsCast;
    web_sys::window()?
        .document()?
        .get_element_by_id(id)?
        .dyn_into::<web_sys::HtmlSelectElement>()
        .ok()
        .map(|s| s.value())
}

fn activity_fields(
    ctx: &Ctx,
    upload: &Upload,
    ((m, a), count): ((usize, usize), usize),
    activity_now: &Activity,
) -> Html {
    let i18n = ctx.i18n;
    let at = format!("modules.{m}.activities.{a}");
    let kind = activity_now.kind;
    let body_label = match kind {
        ActivityKind::Page => "training.page_text",
        ActivityKind::Reflection | ActivityKind::Discussion => "training.prompt",
        _ => "training.instructions",
    };
    let file = upload
        .files
        .iter()
        .find(|f| !activity_now.key.is_empty() && f.activity_key == activity_now.key)
        .cloned();
    html! {
        <fieldset class="activity-fields" id={fid(&at)}>
            <legend>{ i18n.tf("training.activity_n", &[("n", &(a + 1).to_string()), ("kind", i18n.code("activity_kind", kind.as_str()))]) }</legend>
            if let Some(error) = ctx.error(&at) {
                <p class="field-error" role="alert">{ i18n.field_error(&error) }</p>
            }
            { ctx.arrange((i18n.t("training.activity_name"), a, count, true), move |f, step| {
                if let Some(module) = f.modules.get_mut(m) {
                    match step {
                        Some(step) => shift(&mut module.activities, a, step),
                        None if a < module.activities.len() => { module.activities.remove(a); }
                        None => {}
                    }
                }
            }) }
            { ctx.choose((&format!("{at}.kind"), "training.activity_kind", "activity_kind"), (ActivityKind::ALL, ActivityKind::as_str),
                Some(kind), move |f, v| {
                    if let (Some(activity), Some(kind)) = (activity(f, (m, a)), v) {
                        // A new kind keeps the titles, text and key; what only another kind has goes.
                        let blank = blank_activity(kind);
                        activity.kind = kind;
                        activity.url = activity.url.take().filter(|_| kind == ActivityKind::Link);
                        activity.sign_off &= kind == ActivityKind::Reflection;
                        if kind != ActivityKind::Quiz {
                            activity.questions.clear();
                            activity.draw = None;
                            activity.attempts = None;
                        }
                        if activity.questions.is_empty() {
                            activity.questions = blank.questions;
                        }
                        activity.pass_mark = activity.pass_mark.filter(|_| kind == ActivityKind::Quiz).or(blank.pass_mark);
                    }
                }) }
            { ctx.text((&format!("{at}.title_zh"), "training.title_zh"), &activity_now.title_zh, false, move |f, v| {
                if let Some(x) = activity(f, (m, a)) { x.title_zh = v }
            }) }
            { ctx.text((&format!("{at}.title_en"), "training.title_en"), &activity_now.title_en, false, move |f, v| {
                if let Some(x) = activity(f, (m, a)) { x.title_en = v }
            }) }
            { ctx.text((&format!("{at}.body"), body_label), &activity_now.body, true, move |f, v| {
                if let Some(x) = activity(f, (m, a)) { x.body = v }
            }) }
            if kind == ActivityKind::Link {
                { ctx.text((&format!("{at}.url"), "training.url"), activity_now.url.as_deref().unwrap_or(""), false, move |f, v| {
                    if let Some(x) = activity(f, (m, a)) { x.url = Some(v).filter(|v| !v.trim().is_empty()) }
                }) }
            }
            { ctx.tick((&format!("{at}.required"), "training.required_label"), activity_now.required, move |f, v| {
                if let Some(x) = activity(f, (m, a)) { x.required = v }
            }) }
            if kind == ActivityKind::Reflection {
                { ctx.tick((&format!("{at}.sign_off"), "training.sign_off_label"), activity_now.sign_off, move |f, v| {
                    if let Some(x) = activity(f, (m, a)) { x.sign_off = v }
                }) }
            }
            if kind == ActivityKind::File {
                { file_fields(ctx, upload, &at, (activity_now, file)) }
            }
            if kind == ActivityKind::Quiz {
                { ctx.number((&format!("{at}.pass_mark"), "training.pass_mark_label"), activity_now.pass_mark, move |f, v| {
                    if let Some(x) = activity(f, (m, a)) { x.pass_mark = v }
                }) }
                { ctx.number((&format!("{at}.attempts"), "training.attempts_label"), activity_now.attempts, move |f, v| {
                    if let Some(x) = activity(f, (m, a)) { x.attempts = v }
                }) }
                { ctx.number((&format!("{at}.draw"), "training.draw_label"), activity_now.draw, move |f, v| {
                    if let Some(x) = activity(f, (m, a)) { x.draw = v }
                }) }
                if let Some(error) = ctx.error(&format!("{at}.questions")) {
                    <p class="field-error">{ i18n.field_error(&error) }</p>
                }
                { for activity_now.questions.iter().enumerate().map(|(q, question)| question_fields(ctx, At::Quiz(m, a, q), activity_now.questions.len(), question)) }
                <button type="button" id={fid(&format!("{at}.add-question"))}
                    onclick={change(&ctx.form, move |f, _: &MouseEvent| {
                        if let Some(x) = activity(f, (m, a)) { x.questions.push(blank_question(QuestionKind::SingleChoice)) }
                    })}>{ i18n.t("training.add_question") }</button>
            }
        </fieldset>
    }
}

/// A file activity's file: kept, or to add once the course (and so the activity) is saved.
fn file_fields(
    ctx: &Ctx,
    upload: &Upload,
    at: &str,
    (activity, file): (&Activity, Option<ActivityFile>),
) -> Html {
    let i18n = ctx.i18n;
    let (Some(course), false) = (&upload.id, activity.key.is_empty()) else {
        return html! { <p class="muted">{ i18n.t("training.file_after_saving") }</p> };
    };
    let input = fid(&format!("{at}.file"));
    let send = {
        let (input, form, files, errors) = (
            input.clone(),
            ctx.form.clone(),
            upload.files.clone(),
            upload.errors.clone(),
        );
        let path = format!("/api/courses/{course}/activities/{}/file", activity.key);
        let api = upload.api.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(chosen) = chosen_file(&input) else {
                return;
            };
            let (api, path, form, files, errors) = (
                api.clone(),
                path.clone(),
                form.clone(),
                files.clone(),
                errors.clone(),
            );
            let version = form.0.version.unwrap_or_default();
            spawn_local(async move {
                let sent = upload_file::<CourseDefinition>(&api, chosen, |name| {
                    format!("{path}?name={name}&version={version}")
                })
                .await;
                match sent {
                    Ok(course) => {
                        errors.set(None);
                        files.set(course.files);
                        let version = course.version;
                        form.dispatch(Rc::new(move |f: &mut CourseForm| f.version = Some(version)));
                    }
                    Err(error) => errors.set(Some(error)),
                }
            });
        })
    };
    html! {
        <div class="field activity-file-field">
            if let Some(file) = &file {
                <p class="kept-file">{ i18n.tf("training.file_kept", &[("name", &file.file_name)]) }</p>
            }
            <label for={input.clone()}>{ i18n.t(if file.is_some() { "training.replace_file" } else { "training.choose_file" }) }</label>
            <input id={input.clone()} type="file" />
            <button type="button" id={format!("{input}-upload")} onclick={send}>{ i18n.t("training.upload_file") }</button>
        </div>
    }
}

fn question_fields(ctx: &Ctx, at: At, count: usize, question: &Question) -> Html {
    let i18n = ctx.i18n;
    let path = at.path();
    let q = at.index();
    let kind = question.kind;
    let correct_id = fid(&format!("{path}.correct"));
    let mark = move |choice: usize, only: bool| {
        move |f: &mut CourseForm, on: bool| {
            if let Some(x) = at.question(f) {
                if only {
                    x.correct = vec![choice];
                } else {
                    x.correct.retain(|c| *c != choice);
                    if on {
                        x.correct.push(choice);
                        x.correct.sort_unstable();
                    }
                }
            }
        }
    };
    let correct_box = |choice: usize, label: String, only: bool| {
        let id = format!("{correct_id}-{choice}");
        let apply = mark(choice, only);
        let onchange = change(&ctx.form, move |f, e: &Event| apply(f, checked(e)));
        html! {
            <label for={id.clone()} class="checkbox">
                <input id={id} type={if only { "radio" } else { "checkbox" }} name={correct_id.clone()}
                    checked={question.correct.contains(&choice)} {onchange} />
                { label }
            </label>
        }
    };
    html! {
        <fieldset class="question-fields" id={fid(&path)}>
            <legend>{ i18n.tf("training.question_n", &[("n", &(q + 1).to_string())]) }</legend>
            { ctx.arrange((i18n.t("training.question_name"), q, count, true), move |f, step| {
                if let Some(list) = at.list(f) {
                    match step {
                        Some(step) => shift(list, q, step),
                        None if q < list.len() => { list.remove(q); }
                        None => {}
                    }
                }
            }) }
            { ctx.choose((&format!("{path}.kind"), "training.question_kind", "question_kind"), (QuestionKind::ALL, QuestionKind::as_str),
                Some(kind), move |f, v| {
                    if let (Some(x), Some(kind)) = (at.question(f), v) {
                        let blank = blank_question(kind);
                        *x = Question { prompt_zh: x.prompt_zh.clone(), prompt_en: x.prompt_en.clone(), points: x.points, ..blank };
                    }
                }) }
            { ctx.text((&format!("{path}.prompt_zh"), "training.prompt_zh"), &question.prompt_zh, true, move |f, v| {
                if let Some(x) = at.question(f) { x.prompt_zh = v }
            }) }
            { ctx.text((&format!("{path}.prompt_en"), "training.prompt_en"), &question.prompt_en, true, move |f, v| {
                if let Some(x) = at.question(f) { x.prompt_en = v }
            }) }
            { match kind {
                QuestionKind::SingleChoice | QuestionKind::MultipleChoice => html! {
                    <>
                        if let Some(error) = ctx.error(&format!("{path}.choices")) {
                            <p class="field-error">{ i18n.field_error(&error) }</p>
                        }
                        { for question.choices.iter().enumerate().map(|(c, choice)| html! {
                            <div class="choice-fields">
                                { ctx.text((&format!("{path}.choices.{c}.zh"), "training.choice_zh"), &choice.zh, false, move |f, v| {
                                    if let Some(x) = at.question(f).and_then(|x| x.choices.get_mut(c)) { x.zh = v }
                                }) }
                                { ctx.text((&format!("{path}.choices.{c}.en"), "training.choice_en"), &choice.en, false, move |f, v| {
                                    if let Some(x) = at.question(f).and_then(|x| x.choices.get_mut(c)) { x.en = v }
                                }) }
                                { correct_box(c, i18n.tf("training.right_answer_n", &[("n", &(c + 1).to_string())]), kind == QuestionKind::SingleChoice) }
                                <button type="button" aria-label={i18n.tf("training.remove_choice", &[("n", &(c + 1).to_string())])}
                                    onclick={change(&ctx.form, move |f, _: &MouseEvent| {
                                        if let Some(x) = at.question(f) {
                                            if c < x.choices.len() {
                                                x.choices.remove(c);
                                                x.correct = x.correct.iter().filter(|r| **r != c).map(|r| if *r > c { r - 1 } else { *r }).collect();
                                            }
                                        }
                                    })}>{ i18n.t("training.remove") }</button>
                            </div>
                        }) }
                        <button type="button" id={fid(&format!("{path}.add-choice"))}
                            onclick={change(&ctx.form, move |f, _: &MouseEvent| {
                                if let Some(x) = at.question(f) { x.choices.push(Choice::default()) }
                            })}>{ i18n.t("training.add_choice") }</button>
                    </>
                },
                QuestionKind::TrueFalse => html! {
                    <fieldset class="field">
                        <legend>{ i18n.t("training.right_answer") }</legend>
                        { correct_box(0, i18n.t("training.true").to_owned(), true) }
                        { correct_box(1, i18n.t("training.false").to_owned(), true) }
                    </fieldset>
                },
                QuestionKind::ShortAnswer => ctx.text((&format!("{path}.accepted"), "training.accepted_answers"), &question.accepted.join("\n"), true, move |f, v| {
                    if let Some(x) = at.question(f) { x.accepted = v.split('\n').map(str::to_owned).collect() }
                }),
            } }
            if let Some(error) = ctx.error(&format!("{path}.correct")) {
                <p id={format!("{correct_id}-error")} class="field-error">{ i18n.field_error(&error) }</p>
            }
            { ctx.number((&format!("{path}.points"), "training.points"), Some(question.points), move |f, v| {
                if let Some(x) = at.question(f) { x.points = v.unwrap_or(0) }
            }) }
        </fieldset>
    }
}
