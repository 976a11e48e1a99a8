//! A course as a learner takes it: enrol, read its pages, open its links, answer its
//! quizzes, take up where they left off, and, once complete, the certificate.

use std::rc::Rc;

use common::circle::{Thread, ThreadForm, ThreadList};
use common::error::ErrorBody;
use common::identity::Permission;
use common::training::{
    hours, ActivityKind, Answer, AttemptForm, AttemptResult, LearnerActivity, LearnerCourse,
    QuestionKind, ReflectionForm, ReflectionStatus,
};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use super::{download_certificate, TrainingRoute};
use crate::api::{download_then, use_get, Api, Load};
use crate::circle::{warning, CircleRoute, Privacy};
use crate::form::{checked, error_attrs, field_error, form_alert, submit, value_of, FormField};
use crate::i18n::{use_i18n, use_title, I18n};
use crate::identity::use_session;

#[derive(Properties, PartialEq)]
pub struct CourseProps {
    pub id: String,
}

#[function_component]
pub fn CoursePage(props: &CourseProps) -> Html {
    use_title("training.course");
    let i18n = use_i18n();
    let generation = use_state(|| 0u32);
    let loaded = use_get::<LearnerCourse>(format!("/api/courses/{}", props.id), *generation);
    // What the last answer gave back, shown until the next load.
    let shown = use_state(|| None::<Rc<LearnerCourse>>);
    {
        let shown = shown.clone();
        use_effect_with(loaded.clone(), move |loaded| {
            if let Load::Ready(course) = &**loaded {
                shown.set(Some(course.clone()));
            }
        });
    }
    let update = {
        let shown = shown.clone();
        Callback::from(move |course: LearnerCourse| shown.set(Some(Rc::new(course))))
    };
    match (&*loaded, &*shown) {
        (_, Some(course)) => html! { <Taking course={course.clone()} {update} /> },
        (Load::Failed(error), None) => {
            html! { <p role="alert" class="alert">{ i18n.error(error) }</p> }
        }
        _ => html! { <p role="status">{ i18n.t("app.loading") }</p> },
    }
}

#[derive(Properties, PartialEq)]
struct TakingProps {
    course: Rc<LearnerCourse>,
    update: Callback<LearnerCourse>,
}

/// Sends a change whose answer is the course as it now is.
fn send(
    api: Api,
    path: String,
    errors: UseStateHandle<Option<ErrorBody>>,
    update: Callback<LearnerCourse>,
) {
    spawn_local(async move {
        match api
            .post::<LearnerCourse>(&path, &serde_json::json!({}))
            .await
        {
            Ok(course) => {
                errors.set(None);
                update.emit(course);
            }
            Err(error) => errors.set(Some(error)),
        }
    });
}

#[function_component]
fn Taking(props: &TakingProps) -> Html {
    let i18n = use_i18n();
    let session = use_session();
    let c = &props.course;
    let errors = use_state(|| None::<ErrorBody>);
    let base = format!("/api/courses/{}", c.id);
    let enrol = {
        let (api, path, errors, update) = (
            session.api.clone(),
            format!("{base}/enrolment"),
            errors.clone(),
            props.update.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            send(api.clone(), path.clone(), errors.clone(), update.clone())
        })
    };
    let resume = c
        .modules
        .iter()
        .flat_map(|m| &m.activities)
        .find(|a| Some(&a.key) == c.resume_at.as_ref());
    let download = {
        let (api, errors, code) = (session.api.clone(), errors.clone(), c.certificate.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(code) = &code {
                download_certificate(api.clone(), code.clone(), errors.clone());
            }
        })
    };
    // Why the user may not enrol (or enrol again) now.
    let refused = c.enrol_refused.as_ref().map(|why| html! {
        <p class="muted" id="course-enrol-refused">{ i18n.lookup(&format!("error.{why}")).unwrap_or(why.as_str()).to_owned() }</p>
    });
    html! {
        <article class="course">
            <div class="page-head">
                <h1>{ i18n.pick(&c.title_zh, &c.title_en).to_owned() }</h1>
                if c.may_edit {
                    <Link<TrainingRoute> to={TrainingRoute::Edit { id: c.id.clone() }} classes="button">{ i18n.t("training.edit") }</Link<TrainingRoute>>
                }
                if c.may_edit || session.can(Permission::EnrolStaff) {
                    <Link<TrainingRoute> to={TrainingRoute::Learners { id: c.id.clone() }} classes="button">{ i18n.t("training.learners") }</Link<TrainingRoute>>
                }
            </div>
            <p>{ i18n.pick(&c.summary_zh, &c.summary_en).to_owned() }</p>
            <p class="meta">
                { i18n.code("course_category", c.category.as_str()) }{ " · " }
                { i18n.code("teaching_language", c.language.as_str()) }{ " · " }
                { i18n.tf("training.cpd_hours", &[("hours", &hours(c.cpd_tenths))]) }{ " · " }
                { i18n.tf("training.trainer", &[("name", &c.trainer.display_name)]) }
            </p>
            if let Some(error) = &*errors {
                <p role="alert" class="alert">
                    { i18n.error(error) }
                    { for error.fields.values().map(|e| html! { <>{ " " }{ i18n.field_error(e) }</> }) }
                </p>
            }
            if c.completed_at.is_some() {
                <section class="panel" id="course-complete">
                    <h2>{ i18n.t("training.completed") }</h2>
                    if let Some(code) = &c.certificate {
                        <p>
                            { i18n.t("training.certificate_code") }{ " " }
                            <a id="certificate-link" href={format!("/verify/{code}")}>{ code.clone() }</a>
                        </p>
                        <button type="button" id="certificate-pdf" onclick={download}>{ i18n.t("training.download_pdf") }</button>
                    }
                    if c.renewal_due {
                        <p id="course-renewal">{ i18n.t("training.renewal_due") }</p>
                        if let Some(refused) = refused.clone() {
                            { refused }
                        } else {
                            <button type="button" class="primary" id="course-renew" onclick={enrol.clone()}>{ i18n.t("training.renew") }</button>
                        }
                    }
                </section>
            } else if c.enrolled {
                if let Some(next) = resume {
                    <p id="course-resume">
                        { i18n.t("training.resume") }{ " " }
                        <a href={format!("#activity-{}", next.key)}>{ i18n.pick(&next.title_zh, &next.title_en).to_owned() }</a>
                    </p>
                }
            } else if let Some(refused) = refused {
                { refused }
            } else {
                <button type="button" class="primary" id="course-enrol" onclick={enrol}>{ i18n.t("training.enrol") }</button>
            }
            { for c.modules.iter().enumerate().map(|(m, module)| html! {
                <section class="module" aria-labelledby={format!("module-{m}")}>
                    <h2 id={format!("module-{m}")}>{ i18n.pick(&module.title_zh, &module.title_en).to_owned() }</h2>
                    { for module.activities.iter().map(|a| html! {
                        <ActivityView key={a.key.clone()} course={c.id.clone()} activity={a.clone()} enrolled={c.enrolled}
                            teaching={c.may_edit} update={props.update.clone()} errors={errors.clone()} />
                    }) }
                </section>
            }) }
        </article>
    }
}

#[derive(Properties, PartialEq)]
struct ActivityProps {
    course: String,
    activity: LearnerActivity,
    enrolled: bool,
    /// The reader is the course's trainer: they open its files and moderate its
    /// discussions.
    teaching: bool,
    update: Callback<LearnerCourse>,
    errors: UseStateHandle<Option<ErrorBody>>,
}

fn state_line(i18n: I18n, a: &LearnerActivity) -> String {
    let mut parts = vec![i18n.code("activity_kind", a.kind.as_str()).to_owned()];
    parts.push(
        i18n.t(if a.required {
            "training.required"
        } else {
            "training.optional"
        })
        .to_owned(),
    );
    if a.done {
        parts.push(i18n.t("training.done").to_owned());
    }
    parts.join(" · ")
}

#[function_component]
fn ActivityView(props: &ActivityProps) -> Html {
    let i18n = use_i18n();
    let session = use_session();
    let result = use_state(|| None::<AttemptResult>);
    let a = &props.activity;
    let path = format!("/api/courses/{}/activities/{}", props.course, a.key);
    let mark = {
        let (api, path, errors, update) = (
            session.api.clone(),
            format!("{path}/done"),
            props.errors.clone(),
            props.update.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            send(api.clone(), path.clone(), errors.clone(), update.clone())
        })
    };
    // Opening a file does the activity: the course is read again to show it done.
    let open_file = a.file.as_ref().map(|file| {
        let (api, course, update) = (
            session.api.clone(),
            format!("/api/courses/{}", props.course),
            props.update.clone(),
        );
        let reread = Callback::from(move |()| {
            let (api, course, update) = (api.clone(), course.clone(), update.clone());
            spawn_local(async move {
                if let Ok(course) = api.get::<LearnerCourse>(&course).await {
                    update.emit(course);
                }
            });
        });
        download_then(
            &session.api,
            &props.errors,
            (
                format!("{path}/file"),
                file.file_name.clone(),
                file.media_type.clone(),
            ),
            reread,
        )
    });
    html! {
        <section class="activity" id={format!("activity-{}", a.key)} aria-labelledby={format!("activity-{}-title", a.key)}>
            <h3 id={format!("activity-{}-title", a.key)}>{ i18n.pick(&a.title_zh, &a.title_en).to_owned() }</h3>
            <p class="meta">{ state_line(i18n, a) }</p>
            if props.teaching && !props.enrolled {
                { match (a.kind, open_file.clone()) {
                    (ActivityKind::File, Some(onclick)) => html! {
                        <button type="button" class="activity-file" {onclick}>{ i18n.tf("training.open_file", &[("name", &a.file.as_ref().map(|f| f.file_name.clone()).unwrap_or_default())]) }</button>
                    },
                    (ActivityKind::Discussion, _) => html! { <Discussion path={path.clone()} activity={a.clone()} /> },
                    _ => html! {},
                } }
            }
            if props.enrolled {
                { match a.kind {
                    ActivityKind::Page => html! {
                        <>
                            <div class="page-text">{ for a.body.lines().map(|line| html! { <p>{ line }</p> }) }</div>
                            if !a.done {
                                <button type="button" class="activity-done" onclick={mark}>{ i18n.t("training.mark_read") }</button>
                            }
                        </>
                    },
                    ActivityKind::Link => html! {
                        <p>
                            if !a.body.is_empty() { { a.body.clone() }{ " " } }
                            <a href={a.url.clone().unwrap_or_default()} target="_blank" rel="noopener noreferrer" onclick={mark}>
                                { i18n.t("training.open_link") }
                            </a>
                        </p>
                    },
                    // A paper drawn anew from the bank is a new form, with nothing ticked;
                    // the same paper keeps what was ticked for the next attempt.
                    ActivityKind::Quiz => html! { <Quiz key={a.questions.iter().map(|q| q.prompt_en.as_str()).collect::<Vec<_>>().join("\n")} path={path.clone()} activity={a.clone()} update={props.update.clone()} errors={props.errors.clone()} result={result.clone()} /> },
                    ActivityKind::Reflection => html! { <Reflecting path={path.clone()} activity={a.clone()} update={props.update.clone()} /> },
                    ActivityKind::File => html! {
                        <>
                            if !a.body.is_empty() {
                                <div class="page-text">{ for a.body.lines().map(|line| html! { <p>{ line }</p> }) }</div>
                            }
                            if let (Some(file), Some(onclick)) = (&a.file, open_file) {
                                <button type="button" class="activity-file" {onclick}>{ i18n.tf("training.open_file", &[("name", &file.file_name)]) }</button>
                            } else {
                                <p class="muted">{ i18n.t("training.no_file_yet") }</p>
                            }
                        </>
                    },
                    ActivityKind::Discussion => html! { <Discussion path={path.clone()} activity={a.clone()} /> },
                } }
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct DiscussionProps {
    path: String,
    activity: LearnerActivity,
}

/// A discussion activity: its prompt, its threads (each opened on the circle's thread
/// page, where replies and moderation are), and a thread to start. Posting does it.
#[function_component]
fn Discussion(props: &DiscussionProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let navigator = use_navigator();
    let path = format!("{}/threads", props.path);
    let threads = use_get::<ThreadList>(path.clone(), 0);
    let form = use_state(ThreadForm::default);
    let errors = use_state(|| None::<ErrorBody>);
    let id = format!("discussion-{}", props.activity.key);
    let onsubmit = {
        let (form, errors) = (form.clone(), errors.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let navigator = navigator.clone();
            let started = Callback::from(move |thread: Thread| {
                if let Some(navigator) = &navigator {
                    navigator.push(&CircleRoute::Thread { id: thread.id });
                }
            });
            submit(
                api.clone(),
                false,
                path.clone(),
                (*form).clone(),
                errors.clone(),
                started,
            );
        })
    };
    let typed = |set: fn(&mut ThreadForm, String)| {
        let form = form.clone();
        Callback::from(move |e: InputEvent| {
            let mut next = (*form).clone();
            set(&mut next, value_of(&e));
            form.set(next);
        })
    };
    let title_error = field_error(&errors, "title");
    let body_error = field_error(&errors, "body");
    let (title_invalid, title_described) =
        error_attrs(&format!("{id}-title"), title_error.as_ref());
    let (body_invalid, body_described) = error_attrs(&format!("{id}-body"), body_error.as_ref());
    let privacy = format!("{id}-privacy");
    html! {
        <>
            <div class="page-text">{ for props.activity.body.lines().map(|line| html! { <p>{ line }</p> }) }</div>
            { match &*threads {
                Load::Loading => html! { <p role="status">{ i18n.t("app.loading") }</p> },
                Load::Failed(error) => html! { <p role="alert" class="alert">{ i18n.error(error) }</p> },
                Load::Ready(list) if list.items.is_empty() => html! { <p>{ i18n.t("training.no_threads") }</p> },
                Load::Ready(list) => html! {
                    <ul class="hits discussion-threads" aria-label={i18n.t("training.discussion_threads")}>
                        { for list.items.iter().map(|t| html! {
                            <li key={t.id.clone()} class="hit">
                                <Link<CircleRoute> to={CircleRoute::Thread { id: t.id.clone() }}>{ t.title.clone() }</Link<CircleRoute>>
                                <span class="meta">
                                    { " · " }{ t.author.display_name.clone() }
                                    { " · " }{ i18n.tf("circle.replies", &[("count", &t.replies.to_string())]) }
                                    if t.locked {
                                        { " · " }<span class="badge">{ i18n.t("circle.locked") }</span>
                                    }
                                    if t.hidden {
                                        { " · " }<span class="badge">{ i18n.t("circle.hidden_badge") }</span>
                                    }
                                </span>
                            </li>
                        }) }
                    </ul>
                },
            } }
            <form class="form discussion-start" {onsubmit} novalidate=true>
                <h4>{ i18n.t("training.start_thread") }</h4>
                { form_alert(i18n, &errors) }
                <Privacy id={privacy.clone()} warning={warning(&[form.title.as_str(), form.body.as_str()])} />
                <FormField id={format!("{id}-title")} label="circle.thread_title" error={title_error}>
                    <input id={format!("{id}-title")} type="text" value={form.title.clone()}
                        oninput={typed(|f, v| f.title = v)}
                        aria-invalid={title_invalid} aria-describedby={title_described.unwrap_or_else(|| privacy.clone().into())} />
                </FormField>
                <FormField id={format!("{id}-body")} label="circle.body" error={body_error}>
                    <textarea id={format!("{id}-body")} rows="5" value={form.body.clone()}
                        oninput={typed(|f, v| f.body = v)}
                        aria-invalid={body_invalid} aria-describedby={body_described.unwrap_or_else(|| privacy.clone().into())} />
                </FormField>
                <button type="submit" class="primary" id={format!("{id}-start")}>{ i18n.t("circle.start") }</button>
            </form>
        </>
    }
}

/// How a control's event changes the answer to its question.
type Answering = Rc<dyn Fn(&mut Answer, &Event)>;

#[derive(Properties, PartialEq)]
struct QuizProps {
    path: String,
    activity: LearnerActivity,
    update: Callback<LearnerCourse>,
    errors: UseStateHandle<Option<ErrorBody>>,
    /// The last attempt's result: kept beside the quiz, which is drawn anew for each paper.
    result: UseStateHandle<Option<AttemptResult>>,
}

#[function_component]
fn Quiz(props: &QuizProps) -> Html {
    let i18n = use_i18n();
    let session = use_session();
    let a = &props.activity;
    // The controls keep what is chosen; this only follows them, so that the answers sent
    // are those of the moment the form is sent, whatever was drawn last.
    let answers = use_mut_ref(|| vec![Answer::default(); a.questions.len()]);
    let result = props.result.clone();
    let set = |i: usize, apply: Answering| {
        let answers = answers.clone();
        Callback::from(move |e: Event| {
            if let Some(answer) = answers.borrow_mut().get_mut(i) {
                apply(answer, &e);
            }
        })
    };
    let onsubmit = {
        let (api, path, answers, result, errors, update) = (
            session.api.clone(),
            format!("{}/attempts", props.path),
            answers.clone(),
            result.clone(),
            props.errors.clone(),
            props.update.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (api, path, result, errors, update) = (
                api.clone(),
                path.clone(),
                result.clone(),
                errors.clone(),
                update.clone(),
            );
            let form = AttemptForm {
                answers: answers.borrow().clone(),
            };
            spawn_local(async move {
                match api.post::<AttemptResult>(&path, &form).await {
                    Ok(done) => {
                        errors.set(None);
                        update.emit(done.course.clone());
                        result.set(Some(done));
                    }
                    Err(error) => errors.set(Some(error)),
                }
            });
        })
    };
    let left = a.attempts.map(|allowed| allowed - a.attempts_used);
    html! {
        <>
            <p class="meta quiz-meta">
                { i18n.tf("training.pass_mark", &[("mark", &a.pass_mark.unwrap_or(100).to_string())]) }
                if let Some(left) = left {
                    { " · " }{ i18n.tf("training.attempts_left", &[("left", &left.to_string())]) }
                }
                if let Some(best) = a.best {
                    { " · " }{ i18n.tf("training.best", &[("points", &best.points.to_string()), ("out_of", &best.out_of.to_string())]) }
                }
            </p>
            if let Some(done) = &*result {
                <p role="status" class="quiz-result">
                    { i18n.tf(if done.score.passed { "training.passed" } else { "training.not_passed" },
                        &[("points", &done.score.points.to_string()), ("out_of", &done.score.out_of.to_string())]) }
                </p>
            }
            if !a.done && left != Some(0) {
                <form class="quiz" {onsubmit}>
                    { for a.questions.iter().enumerate().map(|(i, q)| {
                        let name = format!("{}-q{i}", a.key);
                        let prompt = i18n.pick(&q.prompt_zh, &q.prompt_en).to_owned();
                        let choices: Vec<String> = match q.kind {
                            QuestionKind::TrueFalse => vec![i18n.t("training.true").to_owned(), i18n.t("training.false").to_owned()],
                            _ => q.choices.iter().map(|c| i18n.pick(&c.zh, &c.en).to_owned()).collect(),
                        };
                        html! {
                            <fieldset class="field" id={format!("question-{i}")}>
                                <legend>{ format!("{}. {prompt}", i + 1) }</legend>
                                if q.kind == QuestionKind::ShortAnswer {
                                    <label for={format!("{name}-text")}>{ i18n.t("training.your_answer") }</label>
                                    <input id={format!("{name}-text")} type="text"
                                        onchange={set(i, Rc::new(|answer: &mut Answer, e: &Event| answer.text = value_of(e)))} />
                                } else {
                                    { for choices.iter().enumerate().map(|(j, choice)| {
                                        let id = format!("{name}-c{j}");
                                        let multiple = q.kind == QuestionKind::MultipleChoice;
                                        let onchange = set(i, Rc::new(move |answer: &mut Answer, e: &Event| {
                                            if !multiple {
                                                answer.chosen.clear();
                                            }
                                            answer.chosen.retain(|c| *c != j);
                                            if checked(e) {
                                                answer.chosen.push(j);
                                            }
                                        }));
                                        html! {
                                            <label for={id.clone()} class="checkbox">
                                                <input {id} type={if multiple { "checkbox" } else { "radio" }} name={name.clone()}
                                                    value={j.to_string()} {onchange} />
                                                { choice.clone() }
                                            </label>
                                        }
                                    }) }
                                }
                            </fieldset>
                        }
                    }) }
                    <button type="submit" class="primary" id={format!("quiz-{}-submit", a.key)}>{ i18n.t("training.submit_answers") }</button>
                </form>
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct ReflectingProps {
    path: String,
    activity: LearnerActivity,
    update: Callback<LearnerCourse>,
}

/// The prompt, and the learner's reflection: written, or to write (again, once returned,
/// beside the trainer's feedback).
#[function_component]
fn Reflecting(props: &ReflectingProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let a = &props.activity;
    let text = use_state(|| {
        a.reflection
            .as_ref()
            .map(|r| r.text.clone())
            .unwrap_or_default()
    });
    let errors = use_state(|| None::<ErrorBody>);
    let id = format!("reflection-{}", a.key);
    let writable = a
        .reflection
        .as_ref()
        .is_none_or(|r| r.status == ReflectionStatus::Returned);
    let oninput = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| text.set(value_of(&e)))
    };
    let onsubmit = {
        let (text, errors, update) = (text.clone(), errors.clone(), props.update.clone());
        let path = format!("{}/reflection", props.path);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let form = ReflectionForm {
                text: (*text).clone(),
            };
            submit(
                api.clone(),
                false,
                path.clone(),
                form,
                errors.clone(),
                update.clone(),
            );
        })
    };
    let error = field_error(&errors, "text");
    let (invalid, described) = error_attrs(&id, error.as_ref());
    html! {
        <>
            <div class="page-text">{ for a.body.lines().map(|line| html! { <p>{ line }</p> }) }</div>
            if a.sign_off {
                <p class="note">{ i18n.t("training.signed_off_by_trainer") }</p>
            }
            if let Some(r) = &a.reflection {
                <p class="reflection-status" role="status">
                    { i18n.code("reflection_status", r.status.as_str()) }
                    if let Some(feedback) = &r.feedback {
                        { " · " }{ i18n.tf("training.feedback", &[("feedback", feedback)]) }
                    }
                </p>
            }
            if writable {
                <form class="reflection" {onsubmit} novalidate=true>
                    { form_alert(i18n, &errors) }
                    <FormField id={id.clone()} label="training.your_reflection" {error}>
                        <textarea id={id.clone()} rows="5" value={(*text).clone()} {oninput}
                            aria-invalid={invalid} aria-describedby={described} />
                    </FormField>
                    <button type="submit" class="primary" id={format!("{id}-submit")}>{ i18n.t("training.submit_reflection") }</button>
                </form>
            } else if let Some(r) = &a.reflection {
                <blockquote class="reflection-text">{ for r.text.lines().map(|line| html! { <p>{ line }</p> }) }</blockquote>
            }
        </>
    }
}
