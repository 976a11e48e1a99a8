//! The platform's lists as their administrator keeps them (case natures, family life
//! education themes, intervention models), one at a time: the terms in the order forms and
//! reports list them, each renamed, retired or brought back, moved up or down; and a form
//! to add one. Codes are shown but never edited: records and exports keep them.

use common::error::ErrorBody;
use common::taxonomy::{Direction, NewTermForm, Term, TermForm, TermMoveForm, Vocabulary};
use serde::{Deserialize, Serialize};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{encode, use_get, Load};
use crate::app::Route;
use crate::form::{checked, error_attrs, field_error, form_alert, submit, value_of, FormField};
use crate::i18n::{use_i18n, use_title};
use crate::identity::use_session;

/// The list shown, kept in the address so that it survives a reload.
#[derive(Clone, Copy, PartialEq, Serialize, Deserialize)]
struct Shown {
    list: Vocabulary,
}

fn address(vocabulary: Vocabulary) -> String {
    format!("/api/{}", vocabulary.path())
}

#[function_component]
pub fn TaxonomyPage() -> Html {
    use_title("taxonomy.title");
    let i18n = use_i18n();
    let navigator = use_navigator();
    let vocabulary = use_location()
        .and_then(|l| l.query::<Shown>().ok())
        .map_or(Vocabulary::CaseNatures, |shown| shown.list);
    let generation = use_state(|| 0u32);
    let terms = use_get::<Vec<Term>>(address(vocabulary), *generation);
    let notice = use_state(|| None::<&'static str>);
    let saved = |message: &'static str| {
        let (generation, notice) = (generation.clone(), notice.clone());
        Callback::from(move |()| {
            notice.set(Some(message));
            generation.set(generation.wrapping_add(1));
        })
    };
    let show = |list: Vocabulary| {
        let (navigator, notice) = (navigator.clone(), notice.clone());
        Callback::from(move |_: MouseEvent| {
            notice.set(None);
            if let Some(navigator) = &navigator {
                let _ = navigator.push_with_query(&Route::Admin, &Shown { list });
            }
        })
    };
    let name = i18n.code("vocabulary", vocabulary.path());
    let body = match &*terms {
        Load::Loading => html! { <p role="status">{ i18n.t("app.loading") }</p> },
        Load::Failed(error) => html! { <p role="alert" class="alert">{ i18n.error(error) }</p> },
        Load::Ready(terms) => {
            let last = terms.len().saturating_sub(1);
            html! {
                <div class="table-wrap">
                    <table class="data" id="taxonomy">
                        <caption>{ i18n.tf("taxonomy.caption", &[("list", name)]) }</caption>
                        <thead>
                            <tr>
                                <th scope="col">{ i18n.t("taxonomy.code") }</th>
                                <th scope="col">{ i18n.t("taxonomy.name_zh") }</th>
                                <th scope="col">{ i18n.t("taxonomy.name_en") }</th>
                                <th scope="col">{ i18n.t("taxonomy.status") }</th>
                                <th scope="col">{ i18n.t("taxonomy.actions") }</th>
                            </tr>
                        </thead>
                        <tbody>
                            { for terms.iter().enumerate().map(|(at, term)| html! {
                                <TermRow key={format!("{}-{}", term.code, term.version)} {vocabulary} term={term.clone()}
                                    first={at == 0} last={at == last}
                                    on_saved={saved("taxonomy.saved")} on_moved={saved("taxonomy.moved")} />
                            }) }
                        </tbody>
                    </table>
                </div>
            }
        }
    };
    html! {
        <section aria-labelledby="taxonomy-title">
            <h1 id="taxonomy-title">{ i18n.t("taxonomy.title") }</h1>
            <nav aria-label={i18n.t("taxonomy.lists")} class="tabs">
                { for Vocabulary::ALL.into_iter().map(|list| html! {
                    <button type="button" id={format!("taxonomy-list-{}", list.path())}
                        aria-current={(list == vocabulary).then_some("page")} onclick={show(list)}>
                        { i18n.code("vocabulary", list.path()) }
                    </button>
                }) }
            </nav>
            <p>{ i18n.code("taxonomy_intro", vocabulary.path()) }</p>
            <p role="status" class="notice" id="taxonomy-notice">{ notice.map(|key| i18n.t(key)).unwrap_or_default() }</p>
            { body }
            <details class="panel">
                <summary>{ i18n.tf("taxonomy.add", &[("list", name)]) }</summary>
                <NewTermEditor key={vocabulary.path()} {vocabulary} on_saved={saved("taxonomy.added")} />
            </details>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct TermRowProps {
    vocabulary: Vocabulary,
    term: Term,
    first: bool,
    last: bool,
    on_saved: Callback<()>,
    on_moved: Callback<()>,
}

#[function_component]
fn TermRow(props: &TermRowProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let editing = use_state(|| false);
    let move_error = use_state(|| None::<ErrorBody>);
    let term = &props.term;
    let mover = |direction: Direction| {
        let (api, errors, on_moved) = (api.clone(), move_error.clone(), props.on_moved.clone());
        let path = format!("{}/{}/move", address(props.vocabulary), encode(&term.code));
        let body = TermMoveForm {
            direction: Some(direction),
            version: Some(term.version),
        };
        Callback::from(move |_: MouseEvent| {
            let (api, path, body, errors, on_moved) = (
                api.clone(),
                path.clone(),
                body.clone(),
                errors.clone(),
                on_moved.clone(),
            );
            spawn_local(async move {
                match api.post::<Vec<Term>>(&path, &body).await {
                    Ok(_) => on_moved.emit(()),
                    Err(error) => errors.set(Some(error)),
                }
            });
        })
    };
    let toggle = {
        let editing = editing.clone();
        Callback::from(move |_: MouseEvent| editing.set(!*editing))
    };
    let id = &term.code;
    html! {
        <tr id={format!("taxonomy-row-{id}")} class={classes!((!term.active).then_some("retired"))}>
            <th scope="row"><code>{ id.clone() }</code></th>
            if *editing {
                <td colspan="4">
                    <TermEditor vocabulary={props.vocabulary} term={term.clone()} on_saved={props.on_saved.clone()} />
                    <button type="button" class="link" onclick={toggle}>{ i18n.t("taxonomy.cancel") }</button>
                </td>
            } else {
                <td lang="zh-HK">{ term.name_zh.clone() }</td>
                <td lang="en">{ term.name_en.clone() }</td>
                <td>{ i18n.t(if term.active { "taxonomy.in_use" } else { "taxonomy.retired" }) }</td>
                <td class="actions">
                    <button type="button" id={format!("taxonomy-row-{id}-up")} disabled={props.first}
                        aria-label={i18n.tf("taxonomy.move_up_named", &[("name", i18n.pick(&term.name_zh, &term.name_en))])}
                        onclick={mover(Direction::Up)}>{ i18n.t("taxonomy.move_up") }</button>
                    <button type="button" id={format!("taxonomy-row-{id}-down")} disabled={props.last}
                        aria-label={i18n.tf("taxonomy.move_down_named", &[("name", i18n.pick(&term.name_zh, &term.name_en))])}
                        onclick={mover(Direction::Down)}>{ i18n.t("taxonomy.move_down") }</button>
                    <button type="button" id={format!("taxonomy-row-{id}-edit")}
                        aria-label={i18n.tf("taxonomy.edit_named", &[("name", i18n.pick(&term.name_zh, &term.name_en))])}
                        onclick={toggle}>{ i18n.t("taxonomy.edit") }</button>
                    { form_alert(i18n, &move_error) }
                </td>
            }
        </tr>
    }
}

/// A labelled one-line text field bound to a piece of state, its error beside it.
fn text_field(
    id: &str,
    label: &'static str,
    value: &UseStateHandle<String>,
    errors: &Option<ErrorBody>,
    field: &str,
) -> Html {
    let error = field_error(errors, field);
    let (invalid, described) = error_attrs(id, error.as_ref());
    let onchange = {
        let value = value.clone();
        Callback::from(move |event: Event| value.set(value_of(&event)))
    };
    html! {
        <FormField id={id.to_owned()} {label} {error}>
            <input id={id.to_owned()} type="text" value={(**value).clone()} maxlength="80" {onchange}
                aria-invalid={invalid} aria-describedby={described} />
        </FormField>
    }
}

#[derive(Properties, PartialEq)]
struct TermEditorProps {
    vocabulary: Vocabulary,
    term: Term,
    on_saved: Callback<()>,
}

#[function_component]
fn TermEditor(props: &TermEditorProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let name_zh = use_state(|| props.term.name_zh.clone());
    let name_en = use_state(|| props.term.name_en.clone());
    let active = use_state(|| props.term.active);
    let errors = use_state(|| None::<ErrorBody>);
    let code = &props.term.code;
    let onsubmit = {
        let (name_zh, name_en, active) = (name_zh.clone(), name_en.clone(), active.clone());
        let (errors, on_saved) = (errors.clone(), props.on_saved.clone());
        let path = format!("{}/{}", address(props.vocabulary), encode(code));
        let version = props.term.version;
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let body = TermForm {
                name_zh: (*name_zh).clone(),
                name_en: (*name_en).clone(),
                active: Some(*active),
                version: Some(version),
            };
            submit(
                api.clone(),
                true,
                path.clone(),
                body,
                errors.clone(),
                on_saved.reform(|_: Term| ()),
            );
        })
    };
    let on_active = {
        let active = active.clone();
        Callback::from(move |event: Event| active.set(checked(&event)))
    };
    let active_id = format!("taxonomy-row-{code}-active");
    html! {
        <form id={format!("taxonomy-row-{code}-form")} class="inline-form" {onsubmit} novalidate=true>
            { form_alert(i18n, &errors) }
            { text_field(&format!("taxonomy-row-{code}-name_zh"), "taxonomy.name_zh", &name_zh, &errors, "name_zh") }
            { text_field(&format!("taxonomy-row-{code}-name_en"), "taxonomy.name_en", &name_en, &errors, "name_en") }
            <div class="field">
                <input id={active_id.clone()} type="checkbox" checked={*active} onchange={on_active} />
                <label for={active_id}>{ i18n.t("taxonomy.offered") }</label>
            </div>
            <button type="submit">{ i18n.t("taxonomy.save") }</button>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct NewTermEditorProps {
    vocabulary: Vocabulary,
    on_saved: Callback<()>,
}

#[function_component]
fn NewTermEditor(props: &NewTermEditorProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let code = use_state(String::new);
    let name_zh = use_state(String::new);
    let name_en = use_state(String::new);
    let errors = use_state(|| None::<ErrorBody>);
    let onsubmit = {
        let (code, name_zh, name_en) = (code.clone(), name_zh.clone(), name_en.clone());
        let (errors, on_saved) = (errors.clone(), props.on_saved.clone());
        let path = address(props.vocabulary);
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let body = NewTermForm {
                code: (*code).clone(),
                name_zh: (*name_zh).clone(),
                name_en: (*name_en).clone(),
            };
            let cleared = (code.clone(), name_zh.clone(), name_en.clone());
            let on_saved = on_saved.clone();
            submit(
                api.clone(),
                false,
                path.clone(),
                body,
                errors.clone(),
                Callback::from(move |_: Term| {
                    for field in [&cleared.0, &cleared.1, &cleared.2] {
                        field.set(String::new());
                    }
                    on_saved.emit(());
                }),
            );
        })
    };
    let code_error = field_error(&errors, "code");
    let (invalid, described) = error_attrs("taxonomy-code", code_error.as_ref());
    let on_code = {
        let code = code.clone();
        Callback::from(move |event: Event| code.set(value_of(&event)))
    };
    html! {
        <form id="taxonomy-new" {onsubmit} novalidate=true>
            { form_alert(i18n, &errors) }
            <FormField id="taxonomy-code" label="taxonomy.code" error={code_error}>
                <input id="taxonomy-code" type="text" value={(*code).clone()} maxlength="40" onchange={on_code}
                    aria-invalid={invalid} aria-describedby={described.or_else(|| Some("taxonomy-code-hint".into()))} />
            </FormField>
            <p id="taxonomy-code-hint" class="hint">{ i18n.t("taxonomy.code_hint") }</p>
            { text_field("taxonomy-name_zh", "taxonomy.name_zh", &name_zh, &errors, "name_zh") }
            { text_field("taxonomy-name_en", "taxonomy.name_en", &name_en, &errors, "name_en") }
            <button type="submit" id="taxonomy-add">{ i18n.t("taxonomy.add_submit") }</button>
        </form>
    }
}
