//! A thread: its title and topic (changed by its author or a moderator), its opening
//! post, a page of its replies, the reply form, and for a moderator the lock.

use std::rc::Rc;

use common::circle::{LockForm, Post, PostForm, RetitleForm, Thread};
use common::error::ErrorBody;
use common::taxonomy::Vocabulary;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use super::post::{act, PostView};
use super::{warning, CircleRoute, Privacy};
use crate::api::{use_get, Load};
use crate::cases::hong_kong;
use crate::form::{
    edit, edit_value, error_attrs, field_error, form_alert, submit, value_of, FormField,
};
use crate::i18n::{use_i18n, use_title};
use crate::identity::use_session;
use crate::pager::Pager;
use crate::terms::{names, use_terms};
use crate::training::TrainingRoute;

#[derive(Properties, PartialEq)]
pub struct ThreadProps {
    pub id: String,
}

#[function_component]
pub fn ThreadPage(props: &ThreadProps) -> Html {
    use_title("circle.thread");
    let i18n = use_i18n();
    let generation = use_state(|| 0u32);
    let page = use_state(|| 1i64);
    let thread = use_get::<Thread>(
        format!("/api/circle/threads/{}?page={}", props.id, *page),
        *generation,
    );
    let changed = {
        let generation = generation.clone();
        Callback::from(move |_| generation.set(*generation + 1))
    };
    let on_page = {
        let page = page.clone();
        Callback::from(move |to: i64| page.set(to))
    };
    match &*thread {
        Load::Loading => html! { <p role="status">{ i18n.t("app.loading") }</p> },
        Load::Failed(error) => html! { <p role="alert" class="alert">{ i18n.error(error) }</p> },
        Load::Ready(thread) => html! {
            <Shown thread={thread.clone()} {changed} {on_page} />
        },
    }
}

#[derive(Properties, PartialEq)]
struct ShownProps {
    thread: Rc<Thread>,
    changed: Callback<()>,
    on_page: Callback<i64>,
}

#[function_component]
fn Shown(props: &ShownProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api.clone();
    let natures = use_terms(Vocabulary::CaseNatures);
    let t = &props.thread;
    let errors = use_state(|| None::<ErrorBody>);
    let retitling = use_state(|| false);
    let reply = use_state(String::new);
    let on_reply = {
        let (api, errors, changed, reply, path) = (
            api.clone(),
            errors.clone(),
            props.changed.clone(),
            reply.clone(),
            format!("/api/circle/threads/{}/replies", t.id),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (api, errors, changed, reply, path) = (
                api.clone(),
                errors.clone(),
                changed.clone(),
                reply.clone(),
                path.clone(),
            );
            let form = PostForm {
                body: (*reply).clone(),
                version: None,
            };
            spawn_local(async move {
                match api.post::<Post>(&path, &form).await {
                    Ok(_) => {
                        errors.set(None);
                        reply.set(String::new());
                        changed.emit(());
                    }
                    Err(error) => errors.set(Some(error)),
                }
            });
        })
    };
    let lock = {
        let (api, errors, changed, path, form) = (
            api.clone(),
            errors.clone(),
            props.changed.clone(),
            format!("/api/circle/threads/{}/lock", t.id),
            LockForm {
                locked: t.locked.is_none(),
                version: t.version,
            },
        );
        Callback::from(move |_: MouseEvent| {
            let (api, path, form) = (api.clone(), path.clone(), form.clone());
            act(&errors, &changed, async move {
                api.post::<Thread>(&path, &form).await
            });
        })
    };
    let reply_error = field_error(&errors, "body");
    let (reply_invalid, reply_described) = error_attrs("circle-reply", reply_error.as_ref());
    html! {
        <section class="thread">
            if let Some(course) = &t.course_id {
                <p><Link<TrainingRoute> to={TrainingRoute::Course { id: course.clone() }}>{ i18n.t("training.back_to_course") }</Link<TrainingRoute>></p>
            } else {
                <p><Link<CircleRoute> to={CircleRoute::Threads}>{ i18n.t("circle.back") }</Link<CircleRoute>></p>
            }
            <div class="page-head">
                <h1>{ t.title.clone() }</h1>
                if t.topic.is_some() {
                    <span class="badge">{ names(i18n, &natures, t.topic.as_slice()) }</span>
                }
                if t.may_retitle && !*retitling {
                    <button type="button" id="circle-retitle" onclick={{
                        let retitling = retitling.clone();
                        Callback::from(move |_| retitling.set(true))
                    }}>{ i18n.t("circle.retitle") }</button>
                }
                if t.may_moderate {
                    <button type="button" id="circle-lock" onclick={lock}>
                        { i18n.t(if t.locked.is_some() { "circle.unlock" } else { "circle.lock" }) }
                    </button>
                }
            </div>
            if let Some(locking) = &t.locked {
                <p class="badge" id="circle-locked">
                    { i18n.tf("circle.locked_by", &[("name", &locking.by.display_name), ("at", &hong_kong(locking.at))]) }
                </p>
            }
            if *retitling {
                <RetitleFormView thread={t.clone()} changed={props.changed.clone()}
                    done={{ let retitling = retitling.clone(); Callback::from(move |_| retitling.set(false)) }} />
            }
            { form_alert(i18n, &errors) }
            <PostView post={t.opening.clone()} opening=true changed={props.changed.clone()} />
            <h2 id="circle-replies-heading">{ i18n.tf("circle.replies", &[("count", &t.replies_total.to_string())]) }</h2>
            <div aria-labelledby="circle-replies-heading">
                { for t.replies.iter().map(|post| html! {
                    <PostView key={post.id.clone()} post={post.clone()} changed={props.changed.clone()} />
                }) }
            </div>
            <Pager page={t.page} total={t.replies_total} per_page={t.per_page}
                label="circle.reply_paging" on_page={props.on_page.clone()} />
            if t.may_reply {
                <form class="form" onsubmit={on_reply} novalidate=true>
                    <Privacy id="circle-reply-privacy" warning={warning(&[reply.as_str()])} />
                    <FormField id="circle-reply" label="circle.your_reply" error={reply_error}>
                        <textarea id="circle-reply" rows="5" value={(*reply).clone()}
                            oninput={{ let reply = reply.clone(); Callback::from(move |e: InputEvent| reply.set(value_of(&e))) }}
                            aria-invalid={reply_invalid}
                            aria-describedby={reply_described.unwrap_or_else(|| "circle-reply-privacy".into())} />
                    </FormField>
                    <button type="submit" class="primary" id="circle-send-reply">{ i18n.t("circle.send_reply") }</button>
                </form>
            } else if t.locked.is_some() {
                <p>{ i18n.t("circle.locked_no_replies") }</p>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct RetitleProps {
    thread: Rc<Thread>,
    changed: Callback<()>,
    done: Callback<()>,
}

/// The thread's title and topic as changed, at the version read; a course's discussion has
/// no topic to change.
#[function_component]
fn RetitleFormView(props: &RetitleProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api.clone();
    let natures = use_terms(Vocabulary::CaseNatures);
    let t = &props.thread;
    let read = RetitleForm {
        title: t.title.clone(),
        topic: t.topic.clone().unwrap_or_default(),
        version: t.version,
    };
    let form = use_state(move || read);
    let errors = use_state(|| None::<ErrorBody>);
    let error = |field: &str| field_error(&errors, field);
    let onsubmit = {
        let (form, errors, api) = (form.clone(), errors.clone(), api.clone());
        let path = format!("/api/circle/threads/{}", t.id);
        let (changed, done) = (props.changed.clone(), props.done.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (changed, done) = (changed.clone(), done.clone());
            let saved = Callback::from(move |_: Thread| {
                done.emit(());
                changed.emit(());
            });
            submit(
                api.clone(),
                true,
                path.clone(),
                (*form).clone(),
                errors.clone(),
                saved,
            );
        })
    };
    let cancel = {
        let done = props.done.clone();
        Callback::from(move |_: MouseEvent| done.emit(()))
    };
    let (title_invalid, title_described) =
        error_attrs("circle-retitle-title", error("title").as_ref());
    let (topic_invalid, topic_described) =
        error_attrs("circle-retitle-topic", error("topic").as_ref());
    html! {
        <form class="form" {onsubmit} novalidate=true aria-label={i18n.t("circle.retitle")}>
            { form_alert(i18n, &errors) }
            <Privacy id="circle-retitle-privacy" warning={warning(&[form.title.as_str()])} />
            <FormField id="circle-retitle-title" label="circle.thread_title" error={error("title")}>
                <input id="circle-retitle-title" type="text" value={form.title.clone()}
                    oninput={edit(&form, |f: &mut RetitleForm, e: &InputEvent| f.title = value_of(e))}
                    aria-invalid={title_invalid}
                    aria-describedby={title_described.unwrap_or_else(|| "circle-retitle-privacy".into())} />
            </FormField>
            if t.course_id.is_none() {
                <FormField id="circle-retitle-topic" label="circle.topic" error={error("topic")}>
                    <select id="circle-retitle-topic" onchange={edit_value(&form, |f, v| f.topic = v)}
                        aria-invalid={topic_invalid} aria-describedby={topic_described}>
                        if let Load::Ready(terms) = &*natures {
                            { for terms.iter().filter(|term| term.active || Some(&term.code) == t.topic.as_ref()).map(|term| html! {
                                <option value={term.code.clone()} selected={form.topic == term.code}>
                                    { i18n.pick(&term.name_zh, &term.name_en).to_owned() }
                                </option>
                            }) }
                        }
                    </select>
                </FormField>
            }
            <div class="actions">
                <button type="submit" class="primary" id="circle-save-title">{ i18n.t("circle.save") }</button>
                <button type="button" onclick={cancel}>{ i18n.t("circle.cancel") }</button>
            </div>
        </form>
    }
}
