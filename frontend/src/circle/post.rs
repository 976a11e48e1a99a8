//! One post as a member reads it, with what they may do with it: react, edit their own at
//! the version read, add a file or take one off (once confirmed), report it, and for a
//! moderator hide or show it.

use common::circle::{
    Attachment, Author, HideForm, Post, PostForm, Reaction, ReactionForm, ReportForm,
};
use common::error::ErrorBody;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::{warning, Privacy};
use crate::api::{chosen_file, download_on_click, upload_file};
use crate::cases::hong_kong;
use crate::form::value_of;
use crate::i18n::{use_i18n, I18n};
use crate::identity::use_session;

/// A post's author as the circle names them: their name and their agency.
pub fn author_line(i18n: I18n, author: &Author) -> String {
    match &author.agency {
        Some(agency) => i18n.tf(
            "circle.author",
            &[
                ("name", &author.display_name),
                ("agency", i18n.pick(&agency.name_zh, &agency.name_en)),
            ],
        ),
        None => author.display_name.clone(),
    }
}

/// A post's words, a paragraph a line.
pub fn paragraphs(body: &str) -> Html {
    html! {
        <div class="post-body">
            { for body.split('\n').filter(|l| !l.trim().is_empty()).map(|line| html! { <p>{ line.to_owned() }</p> }) }
        </div>
    }
}

/// Runs a change and tells the page to read again, or keeps its error to show.
pub fn act<T: 'static>(
    errors: &UseStateHandle<Option<ErrorBody>>,
    changed: &Callback<()>,
    work: impl std::future::Future<Output = Result<T, ErrorBody>> + 'static,
) {
    let (errors, changed) = (errors.clone(), changed.clone());
    spawn_local(async move {
        match work.await {
            Ok(_) => {
                errors.set(None);
                changed.emit(());
            }
            Err(error) => errors.set(Some(error)),
        }
    });
}

/// An error above the control it came from, its fields named.
pub fn error_alert(i18n: I18n, errors: &Option<ErrorBody>) -> Html {
    match errors {
        Some(error) => html! {
            <p role="alert" class="alert">
                { i18n.error(error) }
                { for error.fields.values().map(|e| html! { <>{ " " }{ i18n.field_error(e) }</> }) }
            </p>
        },
        None => html! {},
    }
}

#[derive(Properties, PartialEq)]
pub struct PostViewProps {
    pub post: Post,
    /// The opening post of its thread.
    #[prop_or_default]
    pub opening: bool,
    pub changed: Callback<()>,
}

#[function_component]
pub fn PostView(props: &PostViewProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api.clone();
    let p = &props.post;
    let errors = use_state(|| None::<ErrorBody>);
    let editing = use_state(|| None::<String>);
    let report_reason = use_state(String::new);
    let hide_reason = use_state(String::new);
    // The file whose removal waits to be confirmed, and the button that confirms it, given
    // the focus so the keyboard goes on from there.
    let removing = use_state(|| None::<String>);
    let confirm_ref = use_node_ref();
    {
        let confirm_ref = confirm_ref.clone();
        use_effect_with((*removing).clone(), move |removing| {
            if removing.is_some() {
                if let Some(button) = confirm_ref.cast::<web_sys::HtmlElement>() {
                    let _ = button.focus();
                }
            }
        });
    }
    let path = format!("/api/circle/posts/{}", p.id);
    let id = |what: &str| format!("post-{}-{what}", p.id);

    let react = |reaction: Reaction| {
        let (api, path, errors, changed) = (
            api.clone(),
            path.clone(),
            errors.clone(),
            props.changed.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let (api, path) = (api.clone(), format!("{path}/reactions"));
            act(&errors, &changed, async move {
                api.post::<Post>(&path, &ReactionForm { reaction }).await
            });
        })
    };
    let save = {
        let (api, path, errors, changed, editing, version) = (
            api.clone(),
            path.clone(),
            errors.clone(),
            props.changed.clone(),
            editing.clone(),
            p.version,
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(body) = (*editing).clone() else {
                return;
            };
            let (api, path, errors, changed, editing) = (
                api.clone(),
                path.clone(),
                errors.clone(),
                changed.clone(),
                editing.clone(),
            );
            spawn_local(async move {
                let form = PostForm {
                    body,
                    version: Some(version),
                };
                match api.put::<Post>(&path, &form).await {
                    Ok(_) => {
                        errors.set(None);
                        editing.set(None);
                        changed.emit(());
                    }
                    Err(error) => errors.set(Some(error)),
                }
            });
        })
    };
    let report = {
        let (api, path, errors, changed, reason) = (
            api.clone(),
            path.clone(),
            errors.clone(),
            props.changed.clone(),
            report_reason.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (api, path) = (api.clone(), format!("{path}/reports"));
            let form = ReportForm {
                reason: (*reason).clone(),
            };
            reason.set(String::new());
            act(&errors, &changed, async move {
                api.post::<Post>(&path, &form).await
            });
        })
    };
    let hide = |hidden: bool| {
        let (api, path, errors, changed, reason, version) = (
            api.clone(),
            path.clone(),
            errors.clone(),
            props.changed.clone(),
            hide_reason.clone(),
            p.version,
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (api, path) = (api.clone(), format!("{path}/visibility"));
            let form = HideForm {
                hidden,
                reason: (*reason).clone(),
                version,
            };
            act(&errors, &changed, async move {
                api.post::<Post>(&path, &form).await
            });
        })
    };
    let attach = {
        let (api, path, errors, changed, input) = (
            api.clone(),
            path.clone(),
            errors.clone(),
            props.changed.clone(),
            id("file"),
        );
        Callback::from(move |_: MouseEvent| {
            let Some(file) = chosen_file(&input) else {
                return;
            };
            let (api, path) = (api.clone(), path.clone());
            act(&errors, &changed, async move {
                upload_file::<Post>(&api, file, |name| format!("{path}/attachments?name={name}"))
                    .await
            });
        })
    };
    let ask_removal = |file: &Attachment| {
        let (removing, id) = (removing.clone(), Some(file.id.clone()));
        Callback::from(move |_: MouseEvent| removing.set(id.clone()))
    };
    let keep = {
        let removing = removing.clone();
        Callback::from(move |_: MouseEvent| removing.set(None))
    };
    let remove = |file: &Attachment| {
        let (api, errors, changed, removing) = (
            api.clone(),
            errors.clone(),
            props.changed.clone(),
            removing.clone(),
        );
        let path = format!("/api/circle/attachments/{}?version={}", file.id, p.version);
        Callback::from(move |_: MouseEvent| {
            let (api, path) = (api.clone(), path.clone());
            removing.set(None);
            act(
                &errors,
                &changed,
                async move { api.delete::<Post>(&path).await },
            );
        })
    };
    let download = |file: &Attachment| {
        let path = format!("/api/circle/attachments/{}", file.id);
        download_on_click(
            &api,
            &errors,
            path,
            file.file_name.clone(),
            file.media_type.clone(),
        )
    };
    let typed = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| state.set(value_of(&e)))
    };
    let label = if props.opening {
        "circle.opening_post"
    } else {
        "circle.reply_post"
    };
    html! {
        <article class="post" id={format!("post-{}", p.id)} aria-label={i18n.tf(label, &[("name", &p.author.display_name)])}>
            <p class="meta">
                <strong>{ author_line(i18n, &p.author) }</strong>
                { " · " }{ hong_kong(p.created_at) }
                if let Some(at) = p.edited_at {
                    { " · " }{ i18n.tf("circle.edited", &[("at", &hong_kong(at))]) }
                }
            </p>
            { error_alert(i18n, &errors) }
            if let Some(hiding) = &p.hidden {
                <p class="badge hidden-note">
                    { i18n.t("circle.hidden_by_moderator") }
                    if let Some(reason) = &hiding.reason {
                        { " " }{ i18n.tf("circle.hidden_reason", &[("reason", reason)]) }
                    }
                </p>
            }
            if let Some(body) = (*editing).clone() {
                <form class="form" onsubmit={save}>
                    <Privacy id={id("edit-privacy")} warning={warning(&[body.as_str()])} />
                    <div class="field">
                        <label for={id("edit")}>{ i18n.t("circle.edit_label") }</label>
                        <textarea id={id("edit")} rows="5" value={body.clone()} oninput={{
                            let editing = editing.clone();
                            Callback::from(move |e: InputEvent| editing.set(Some(value_of(&e))))
                        }} aria-describedby={id("edit-privacy")} />
                    </div>
                    <div class="actions">
                        <button type="submit" class="primary">{ i18n.t("circle.save") }</button>
                        <button type="button" onclick={{ let editing = editing.clone(); Callback::from(move |_| editing.set(None)) }}>
                            { i18n.t("circle.cancel") }
                        </button>
                    </div>
                </form>
            } else if let Some(body) = &p.body {
                { paragraphs(body) }
            }
            if !p.attachments.is_empty() {
                <ul class="files">
                    { for p.attachments.iter().map(|file| html! {
                        <li key={file.id.clone()}>
                            <button type="button" class="link" onclick={download(file)}>
                                { i18n.tf("circle.download", &[("name", &file.file_name)]) }
                            </button>
                            { format!(" · {} KB", (file.size_bytes + 1023) / 1024) }
                            if p.may.remove_files {
                                { " " }
                                if removing.as_deref() == Some(file.id.as_str()) {
                                    <span role="group" class="confirm" aria-labelledby={format!("file-{}-confirm", file.id)}>
                                        <span id={format!("file-{}-confirm", file.id)}>
                                            { i18n.tf("circle.remove_file_confirm", &[("name", &file.file_name)]) }
                                        </span>
                                        { " " }
                                        <button type="button" ref={confirm_ref.clone()} onclick={remove(file)}>
                                            { i18n.t("circle.remove_file_yes") }
                                        </button>
                                        { " " }
                                        <button type="button" onclick={keep.clone()}>{ i18n.t("circle.keep_file") }</button>
                                    </span>
                                } else {
                                    <button type="button" onclick={ask_removal(file)}>
                                        { i18n.tf("circle.remove_file", &[("name", &file.file_name)]) }
                                    </button>
                                }
                            }
                        </li>
                    }) }
                </ul>
            }
            <div class="reactions" role="group" aria-label={i18n.t("circle.reactions")}>
                { for p.reactions.iter().map(|r| {
                    let text = i18n.tf("circle.reaction_count", &[
                        ("reaction", i18n.code("reaction", r.reaction.as_str())),
                        ("count", &r.count.to_string()),
                    ]);
                    if p.may.react {
                        html! {
                            <button type="button" aria-pressed={r.mine.to_string()} onclick={react(r.reaction)}>{ text }</button>
                        }
                    } else {
                        html! { <span class="badge">{ text }</span> }
                    }
                }) }
            </div>
            <div class="actions">
                if p.may.edit && editing.is_none() && p.body.is_some() {
                    <button type="button" onclick={{
                        let (editing, body) = (editing.clone(), p.body.clone());
                        Callback::from(move |_| editing.set(body.clone()))
                    }}>{ i18n.t("circle.edit") }</button>
                }
            </div>
            if p.may.attach {
                <div class="field">
                    <label for={id("file")}>{ i18n.t("circle.add_file") }</label>
                    <input id={id("file")} type="file" />
                    <button type="button" onclick={attach}>{ i18n.t("circle.upload") }</button>
                </div>
            }
            if p.may.report {
                <details>
                    <summary>{ i18n.t("circle.report") }</summary>
                    <form class="form" onsubmit={report}>
                        <div class="field">
                            <label for={id("report")}>{ i18n.t("circle.report_reason") }</label>
                            <input id={id("report")} type="text" value={(*report_reason).clone()} oninput={typed(&report_reason)} />
                        </div>
                        <button type="submit">{ i18n.t("circle.send_report") }</button>
                    </form>
                </details>
            }
            if p.may.moderate {
                if p.hidden.is_some() {
                    <form onsubmit={hide(false)}>
                        <button type="submit">{ i18n.t("circle.unhide") }</button>
                    </form>
                } else {
                    <details>
                        <summary>{ i18n.t("circle.moderate") }</summary>
                        <form class="form moderation" onsubmit={hide(true)}>
                            <div class="field">
                                <label for={id("hide")}>{ i18n.t("circle.hide_reason") }</label>
                                <input id={id("hide")} type="text" value={(*hide_reason).clone()} oninput={typed(&hide_reason)} />
                            </div>
                            <button type="submit">{ i18n.t("circle.hide") }</button>
                        </form>
                    </details>
                }
            }
        </article>
    }
}
