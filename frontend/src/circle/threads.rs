//! The circle's threads, the latest active first, searched by words and narrowed to a
//! topic (the search lives in the address, so the Back button returns to it), and the
//! form that starts a thread.

use common::circle::{Thread, ThreadForm, ThreadList, ThreadQuery};
use common::error::ErrorBody;
use common::identity::Permission;
use common::taxonomy::Vocabulary;
use yew::prelude::*;
use yew_router::prelude::*;

use super::{warning, CircleRoute, Privacy};
use crate::api::{use_get, with_query, Load};
use crate::cases::hong_kong;
use crate::form::{
    edit, edit_value, error_attrs, field_error, form_alert, submit, value_of, FormField,
};
use crate::i18n::{use_i18n, use_title};
use crate::identity::use_session;
use crate::pager::Pager;
use crate::terms::{names, use_terms};

fn address(query: &ThreadQuery) -> String {
    let page = query.page.map(|n| n.to_string()).unwrap_or_default();
    with_query(
        "/api/circle/threads",
        &[
            ("q", query.q.as_deref().unwrap_or("")),
            ("topic", query.topic.as_deref().unwrap_or("")),
            ("page", &page),
        ],
    )
}

#[function_component]
pub fn ThreadsPage() -> Html {
    use_title("circle.title");
    let i18n = use_i18n();
    let session = use_session();
    let navigator = use_navigator();
    let query: ThreadQuery = use_location()
        .and_then(|l| l.query::<ThreadQuery>().ok())
        .unwrap_or_default();
    let found = use_get::<ThreadList>(address(&query), 0);
    let natures = use_terms(Vocabulary::CaseNatures);
    let words = use_state(|| query.q.clone().unwrap_or_default());
    {
        let words = words.clone();
        use_effect_with(query.q.clone(), move |q| {
            words.set(q.clone().unwrap_or_default())
        });
    }
    let go = Callback::from(move |query: ThreadQuery| {
        if let Some(navigator) = &navigator {
            let _ = navigator.push_with_query(&CircleRoute::Threads, &query);
        }
    });
    let onsubmit = {
        let (go, query, words) = (go.clone(), query.clone(), words.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let q = words.trim().to_owned();
            go.emit(ThreadQuery {
                page: None,
                q: (!q.is_empty()).then_some(q),
                ..query.clone()
            });
        })
    };
    let oninput = {
        let words = words.clone();
        Callback::from(move |e: InputEvent| words.set(value_of(&e)))
    };
    let on_topic = {
        let (go, query) = (go.clone(), query.clone());
        Callback::from(move |e: Event| {
            let topic = value_of(&e);
            go.emit(ThreadQuery {
                page: None,
                topic: (!topic.is_empty()).then_some(topic),
                ..query.clone()
            });
        })
    };
    let go_to_page = {
        let query = query.clone();
        go.reform(move |page: i64| ThreadQuery {
            page: Some(page),
            ..query.clone()
        })
    };
    html! {
        <section>
            <div class="page-head">
                <h1>{ i18n.t("circle.title") }</h1>
                <Link<CircleRoute> to={CircleRoute::New} classes="button primary">{ i18n.t("circle.new") }</Link<CircleRoute>>
                if session.can(Permission::ModerateCircle) {
                    <Link<CircleRoute> to={CircleRoute::Reports} classes="button">{ i18n.t("circle.reports") }</Link<CircleRoute>>
                }
            </div>
            <p>{ i18n.t("circle.intro") }</p>
            <form role="search" class="filters" {onsubmit}>
                <div class="field">
                    <label for="circle-q">{ i18n.t("circle.search_label") }</label>
                    <input id="circle-q" type="search" value={(*words).clone()} {oninput} />
                </div>
                <button type="submit" class="primary">{ i18n.t("circle.search") }</button>
                <div class="field">
                    <label for="circle-topic-filter">{ i18n.t("circle.topic") }</label>
                    <select id="circle-topic-filter" onchange={on_topic}>
                        <option value="" selected={query.topic.is_none()}>{ i18n.t("circle.all_topics") }</option>
                        if let Load::Ready(terms) = &*natures {
                            { for terms.iter().map(|t| html! {
                                <option value={t.code.clone()} selected={query.topic.as_deref() == Some(t.code.as_str())}>
                                    { i18n.pick(&t.name_zh, &t.name_en).to_owned() }
                                </option>
                            }) }
                        }
                    </select>
                </div>
            </form>
            { match &*found {
                Load::Loading => html! { <p role="status">{ i18n.t("app.loading") }</p> },
                Load::Failed(error) => html! { <p role="alert" class="alert">{ i18n.error(error) }</p> },
                Load::Ready(found) => html! {
                    <>
                        <p role="status" id="circle-total">{ i18n.tf("circle.total", &[("total", &found.total.to_string())]) }</p>
                        if found.items.is_empty() {
                            <p>{ i18n.t("circle.none") }</p>
                        }
                        <ul class="hits">
                            { for found.items.iter().map(|t| html! {
                                <li key={t.id.clone()} class="hit">
                                    <h3><Link<CircleRoute> to={CircleRoute::Thread { id: t.id.clone() }}>{ t.title.clone() }</Link<CircleRoute>></h3>
                                    <p class="meta">
                                        { names(i18n, &natures, t.topic.as_slice()) }
                                        { " · " }{ super::post::author_line(i18n, &t.author) }
                                        { " · " }{ i18n.tf("circle.replies", &[("count", &t.replies.to_string())]) }
                                        { " · " }{ i18n.tf("circle.last_activity", &[("at", &hong_kong(t.last_activity_at))]) }
                                        if t.locked {
                                            { " · " }<span class="badge">{ i18n.t("circle.locked") }</span>
                                        }
                                        if t.hidden {
                                            { " · " }<span class="badge">{ i18n.t("circle.hidden_badge") }</span>
                                        }
                                    </p>
                                </li>
                            }) }
                        </ul>
                        <Pager page={found.page} total={found.total} per_page={found.per_page}
                            label="circle.paging" on_page={go_to_page.clone()} />
                    </>
                },
            } }
        </section>
    }
}

#[function_component]
pub fn NewThreadPage() -> Html {
    use_title("circle.new");
    let i18n = use_i18n();
    let session = use_session();
    let navigator = use_navigator();
    let natures = use_terms(Vocabulary::CaseNatures);
    let form = use_state(ThreadForm::default);
    let errors = use_state(|| None::<ErrorBody>);
    let error = |field: &str| field_error(&errors, field);
    let onsubmit = {
        let (form, errors, api) = (form.clone(), errors.clone(), session.api.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let navigator = navigator.clone();
            let saved = Callback::from(move |thread: Thread| {
                if let Some(navigator) = &navigator {
                    navigator.push(&CircleRoute::Thread { id: thread.id });
                }
            });
            submit(
                api.clone(),
                false,
                "/api/circle/threads".to_owned(),
                (*form).clone(),
                errors.clone(),
                saved,
            );
        })
    };
    let (title_invalid, title_described) = error_attrs("circle-title", error("title").as_ref());
    let (topic_invalid, topic_described) = error_attrs("circle-topic", error("topic").as_ref());
    let (body_invalid, body_described) = error_attrs("circle-body", error("body").as_ref());
    let warning = warning(&[form.title.as_str(), form.body.as_str()]);
    html! {
        <section>
            <h1>{ i18n.t("circle.new") }</h1>
            { form_alert(i18n, &errors) }
            <form class="form" {onsubmit} novalidate=true>
                <Privacy id="circle-new-privacy" {warning} />
                <FormField id="circle-title" label="circle.thread_title" error={error("title")}>
                    <input id="circle-title" type="text" value={form.title.clone()}
                        oninput={edit(&form, |f: &mut ThreadForm, e: &InputEvent| f.title = value_of(e))}
                        aria-invalid={title_invalid} aria-describedby={title_described.unwrap_or_else(|| "circle-new-privacy".into())} />
                </FormField>
                <FormField id="circle-topic" label="circle.topic" error={error("topic")}>
                    <select id="circle-topic" onchange={edit_value(&form, |f, v| f.topic = v)}
                        aria-invalid={topic_invalid} aria-describedby={topic_described}>
                        <option value="" selected={form.topic.is_empty()}>{ i18n.t("circle.choose_topic") }</option>
                        if let Load::Ready(terms) = &*natures {
                            { for terms.iter().filter(|t| t.active).map(|t| html! {
                                <option value={t.code.clone()} selected={form.topic == t.code}>
                                    { i18n.pick(&t.name_zh, &t.name_en).to_owned() }
                                </option>
                            }) }
                        }
                    </select>
                </FormField>
                <FormField id="circle-body" label="circle.body" error={error("body")}>
                    <textarea id="circle-body" rows="8" value={form.body.clone()}
                        oninput={edit(&form, |f: &mut ThreadForm, e: &InputEvent| f.body = value_of(e))}
                        aria-invalid={body_invalid} aria-describedby={body_described.unwrap_or_else(|| "circle-new-privacy".into())} />
                </FormField>
                <div class="actions">
                    <button type="submit" class="primary" id="circle-start">{ i18n.t("circle.start") }</button>
                </div>
            </form>
        </section>
    }
}
