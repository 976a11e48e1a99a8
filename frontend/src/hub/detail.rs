//! One resource: what it is, its files, what the reader may do with it (move it along
//! its workflow, rate it, keep it), related resources and its versions.

use std::rc::Rc;

use common::error::ErrorBody;
use common::hub::{
    EvidenceRating, RatingForm, Resource, ResourceHit, ResourceStatus, ResourceVersion, Shelf,
    StepForm,
};
use common::taxonomy::Vocabulary;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use super::{HitList, HubRoute};
use crate::api::{chosen_file, save_as, upload_file, use_get, use_get_if, Load};
use crate::cases::hong_kong;
use crate::form::value_of;
use crate::i18n::{use_i18n, use_title, I18n};
use crate::identity::use_session;
use crate::terms::{names, use_terms};

#[derive(Properties, PartialEq)]
pub struct ResourceProps {
    pub id: String,
}

#[function_component]
pub fn ResourcePage(props: &ResourceProps) -> Html {
    use_title("hub.resource");
    let i18n = use_i18n();
    let generation = use_state(|| 0u32);
    let resource = use_get::<Resource>(format!("/api/resources/{}", props.id), *generation);
    let reload = {
        let generation = generation.clone();
        Callback::from(move |_| generation.set(*generation + 1))
    };
    match &*resource {
        Load::Loading => html! { <p role="status">{ i18n.t("app.loading") }</p> },
        Load::Failed(error) => html! { <p role="alert" class="alert">{ i18n.error(error) }</p> },
        Load::Ready(resource) => html! {
            <Shown resource={resource.clone()} {reload} generation={*generation} />
        },
    }
}

#[derive(Properties, PartialEq)]
struct ShownProps {
    resource: Rc<Resource>,
    reload: Callback<()>,
    generation: u32,
}

/// Runs a change and reloads the resource, or keeps its error to show.
fn act<T: 'static>(
    errors: &UseStateHandle<Option<ErrorBody>>,
    reload: &Callback<()>,
    work: impl std::future::Future<Output = Result<T, ErrorBody>> + 'static,
) {
    let (errors, reload) = (errors.clone(), reload.clone());
    spawn_local(async move {
        match work.await {
            Ok(_) => {
                errors.set(None);
                reload.emit(());
            }
            Err(error) => errors.set(Some(error)),
        }
    });
}

fn list_names<T: Copy>(
    i18n: I18n,
    list: &str,
    values: &[T],
    code: fn(T) -> &'static str,
) -> String {
    values
        .iter()
        .map(|v| i18n.code(list, code(*v)))
        .collect::<Vec<_>>()
        .join(i18n.t("match.reason_separator"))
}

#[function_component]
fn Shown(props: &ShownProps) -> Html {
    let i18n = use_i18n();
    let session = use_session();
    let api = session.api.clone();
    let r = &props.resource;
    let c = &r.content;
    let natures = use_terms(Vocabulary::CaseNatures);
    let errors = use_state(|| None::<ErrorBody>);
    let note = use_state(String::new);
    let rating = use_state(|| r.evidence.as_ref().map(|e| e.rating));
    let related =
        use_get::<Vec<ResourceHit>>(format!("/api/resources/{}/related", r.id), props.generation);
    let signed_in = session.me.is_some();
    let versions = use_get_if::<Vec<ResourceVersion>>(
        signed_in.then(|| format!("/api/resources/{}/versions", r.id)),
        props.generation,
    );
    let shelf = use_get_if::<Shelf>(
        r.may.keep.then(|| "/api/hub/shelf".to_owned()),
        props.generation,
    );
    let collection = use_state(String::new);
    let path = format!("/api/resources/{}", r.id);

    let step = |to: ResourceStatus| {
        let (api, path, errors, reload, note, version) = (
            api.clone(),
            path.clone(),
            errors.clone(),
            props.reload.clone(),
            note.clone(),
            r.version,
        );
        Callback::from(move |_: MouseEvent| {
            let (api, path) = (api.clone(), path.clone());
            let form = StepForm {
                to,
                note: (*note).clone(),
                version,
            };
            note.set(String::new());
            act(&errors, &reload, async move {
                api.post::<Resource>(&format!("{path}/status"), &form).await
            });
        })
    };
    let rate = {
        let (api, path, errors, reload, rating, version) = (
            api.clone(),
            path.clone(),
            errors.clone(),
            props.reload.clone(),
            rating.clone(),
            r.version,
        );
        Callback::from(move |_: MouseEvent| {
            let Some(evidence_rating) = *rating else {
                return;
            };
            let (api, path) = (api.clone(), path.clone());
            let form = RatingForm {
                evidence_rating,
                version,
            };
            act(&errors, &reload, async move {
                api.post::<Resource>(&format!("{path}/rating"), &form).await
            });
        })
    };
    let bookmark = {
        let (api, path, errors, reload, on) = (
            api.clone(),
            path.clone(),
            errors.clone(),
            props.reload.clone(),
            r.bookmarked,
        );
        Callback::from(move |_: MouseEvent| {
            let (api, path) = (api.clone(), format!("{path}/bookmark"));
            act(&errors, &reload, async move {
                if on {
                    api.delete::<Resource>(&path).await
                } else {
                    api.put::<Resource>(&path, &serde_json::json!({})).await
                }
            });
        })
    };
    let collect = {
        let (api, errors, reload, collection, id) = (
            api.clone(),
            errors.clone(),
            props.reload.clone(),
            collection.clone(),
            r.id.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            if collection.is_empty() {
                return;
            }
            let (api, path) = (
                api.clone(),
                format!("/api/hub/collections/{}/resources/{id}", *collection),
            );
            act(&errors, &reload, async move {
                api.put::<Shelf>(&path, &serde_json::json!({})).await
            });
        })
    };
    let upload = {
        let (api, path, errors, reload, version) = (
            api.clone(),
            path.clone(),
            errors.clone(),
            props.reload.clone(),
            r.version,
        );
        Callback::from(move |_: MouseEvent| {
            let Some(file) = chosen_file("hub-file") else {
                return;
            };
            let (api, path) = (api.clone(), path.clone());
            act(&errors, &reload, async move {
                upload_file::<Resource>(&api, file, |name| {
                    format!("{path}/files?name={name}&version={version}")
                })
                .await
            });
        })
    };
    let download = |file: &common::hub::ResourceFile| {
        let (api, errors, id, name, media_type) = (
            api.clone(),
            errors.clone(),
            file.id.clone(),
            file.file_name.clone(),
            file.media_type.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let (api, errors, id, name, media_type) = (
                api.clone(),
                errors.clone(),
                id.clone(),
                name.clone(),
                media_type.clone(),
            );
            spawn_local(async move {
                match api
                    .download(&format!("/api/resource-files/{id}"), None::<&()>)
                    .await
                {
                    Ok((bytes, _)) => {
                        let _ = save_as(&bytes, &name, &media_type);
                    }
                    Err(error) => errors.set(Some(error)),
                }
            });
        })
    };
    let remove = |file: &common::hub::ResourceFile| {
        let (api, errors, reload, path) = (
            api.clone(),
            errors.clone(),
            props.reload.clone(),
            format!("/api/resource-files/{}?version={}", file.id, r.version),
        );
        Callback::from(move |_: MouseEvent| {
            let (api, path) = (api.clone(), path.clone());
            act(&errors, &reload, async move {
                api.delete::<Resource>(&path).await
            });
        })
    };
    let other_title = i18n.pick(&c.title_en, &c.title_zh);
    html! {
        <article class="resource">
            <div class="page-head">
                <h1>{ i18n.pick(&c.title_zh, &c.title_en).to_owned() }</h1>
                <span class="badge" id="hub-status">{ i18n.code("resource_status", r.status.as_str()) }</span>
                if r.may.edit {
                    <Link<HubRoute> to={HubRoute::Edit { id: r.id.clone() }} classes="button">{ i18n.t("hub.edit") }</Link<HubRoute>>
                }
            </div>
            <p class="lang-alt">{ other_title.to_owned() }</p>
            if let Some(error) = &*errors {
                <p role="alert" class="alert">
                    { i18n.error(error) }
                    { for error.fields.iter().map(|(field, e)| html! { <>{ " " }{ format!("{field}: {}", i18n.field_error(e)) }</> }) }
                </p>
            }
            <p class="summary">{ i18n.pick(&c.summary_zh, &c.summary_en).to_owned() }</p>
            <dl class="facts">
                <dt>{ i18n.t("hub.resource_type") }</dt><dd>{ i18n.code("resource_type", c.resource_type.as_str()) }</dd>
                <dt>{ i18n.t("hub.topics") }</dt><dd>{ names(i18n, &natures, &c.topics) }</dd>
                <dt>{ i18n.t("hub.factors") }</dt><dd>{ list_names(i18n, "resource_factor", &c.factors, |f| f.as_str()) }</dd>
                <dt>{ i18n.t("hub.audiences") }</dt><dd>{ list_names(i18n, "audience", &c.audiences, |a| a.as_str()) }</dd>
                <dt>{ i18n.t("hub.languages") }</dt><dd>{ list_names(i18n, "resource_language", &c.languages, |l| l.as_str()) }</dd>
                <dt>{ i18n.t("hub.evidence_rating") }</dt>
                <dd id="hub-evidence">
                    { match &r.evidence {
                        Some(e) => i18n.tf("hub.rated", &[
                            ("rating", i18n.code("evidence_rating", e.rating.as_str())),
                            ("by", &e.rated_by.display_name),
                            ("on", &e.rated_on.to_string()),
                        ]),
                        None => i18n.t("hub.not_rated").to_owned(),
                    } }
                </dd>
                <dt>{ i18n.t("hub.licence") }</dt><dd>{ i18n.code("licence", c.licence.as_str()) }</dd>
                <dt>{ i18n.t("hub.authors") }</dt><dd>{ c.authors.clone() }</dd>
                <dt>{ i18n.t("hub.agency") }</dt><dd>{ i18n.pick(&r.agency.name_zh, &r.agency.name_en).to_owned() }</dd>
                <dt>{ i18n.t("hub.visibility") }</dt><dd>{ i18n.code("visibility", c.visibility.as_str()) }</dd>
                if !c.citation.is_empty() {
                    <dt>{ i18n.t("hub.citation") }</dt><dd>{ c.citation.clone() }</dd>
                }
                if let Some(link) = &c.link {
                    <dt>{ i18n.t("hub.link") }</dt><dd><a href={link.clone()} rel="noopener noreferrer" target="_blank">{ link.clone() }</a></dd>
                }
                if let Some(at) = r.published_at {
                    <dt>{ i18n.t("hub.published_at") }</dt><dd>{ hong_kong(at) }</dd>
                }
            </dl>

            <section aria-labelledby="hub-files-heading">
                <h2 id="hub-files-heading">{ i18n.t("hub.files") }</h2>
                if r.files.is_empty() {
                    <p>{ i18n.t("hub.no_files") }</p>
                }
                <ul class="files">
                    { for r.files.iter().map(|file| html! {
                        <li key={file.id.clone()}>
                            <button type="button" class="link" onclick={download(file)}>
                                { i18n.tf("hub.download", &[("name", &file.file_name)]) }
                            </button>
                            { format!(" · {} KB · ", (file.size_bytes + 1023) / 1024) }
                            { i18n.tf("hub.downloads", &[("count", &file.downloads.to_string())]) }
                            if r.may.edit {
                                { " " }
                                <button type="button" onclick={remove(file)}>{ i18n.tf("hub.remove_file", &[("name", &file.file_name)]) }</button>
                            }
                        </li>
                    }) }
                </ul>
                if r.may.edit {
                    <div class="field">
                        <label for="hub-file">{ i18n.t("hub.add_file") }</label>
                        <input id="hub-file" type="file" />
                        <button type="button" id="hub-upload" onclick={upload}>{ i18n.t("hub.upload") }</button>
                    </div>
                }
            </section>

            if !r.may.steps.is_empty() || r.may.rate {
                <section aria-labelledby="hub-review-heading" class="panel">
                    <h2 id="hub-review-heading">{ i18n.t("hub.workflow") }</h2>
                    if !r.may.steps.is_empty() {
                        <div class="field">
                            <label for="hub-step-note">{ i18n.t("hub.step_note") }</label>
                            <textarea id="hub-step-note" rows="2" value={(*note).clone()}
                                oninput={{ let note = note.clone(); Callback::from(move |e: InputEvent| note.set(value_of(&e))) }} />
                        </div>
                        <div class="actions">
                            { for r.may.steps.iter().map(|to| html! {
                                <button type="button" id={format!("hub-step-{}", to.as_str())} onclick={step(*to)}>
                                    { i18n.code("resource_step", to.as_str()) }
                                </button>
                            }) }
                        </div>
                    }
                    if r.may.rate {
                        <div class="field">
                            <label for="hub-rating">{ i18n.t("hub.evidence_rating") }</label>
                            <select id="hub-rating" onchange={{ let rating = rating.clone(); Callback::from(move |e: Event| rating.set(EvidenceRating::parse(&value_of(&e)))) }}>
                                <option value="" selected={rating.is_none()}>{ i18n.t("hub.choose") }</option>
                                { for EvidenceRating::ALL.iter().map(|e| html! {
                                    <option value={e.as_str()} selected={*rating == Some(*e)}>{ i18n.code("evidence_rating", e.as_str()) }</option>
                                }) }
                            </select>
                            <button type="button" id="hub-rate" onclick={rate}>{ i18n.t("hub.rate") }</button>
                        </div>
                    }
                </section>
            }

            if r.may.keep {
                <section aria-labelledby="hub-keep-heading">
                    <h2 id="hub-keep-heading">{ i18n.t("hub.keep") }</h2>
                    <button type="button" id="hub-bookmark" aria-pressed={r.bookmarked.to_string()} onclick={bookmark}>
                        { i18n.t(if r.bookmarked { "hub.unbookmark" } else { "hub.bookmark" }) }
                    </button>
                    if let Load::Ready(shelf) = &*shelf {
                        if !shelf.collections.is_empty() {
                            <div class="field">
                                <label for="hub-collection">{ i18n.t("hub.collection") }</label>
                                <select id="hub-collection" onchange={{ let collection = collection.clone(); Callback::from(move |e: Event| collection.set(value_of(&e))) }}>
                                    <option value="" selected={collection.is_empty()}>{ i18n.t("hub.choose") }</option>
                                    { for shelf.collections.iter().map(|c| html! {
                                        <option value={c.id.clone()} selected={*collection == c.id}>{ c.name.clone() }</option>
                                    }) }
                                </select>
                                <button type="button" id="hub-collect" onclick={collect}>{ i18n.t("hub.collect") }</button>
                            </div>
                        }
                    }
                </section>
            }

            <section aria-labelledby="hub-related-heading">
                <h2 id="hub-related-heading">{ i18n.t("hub.related") }</h2>
                { match &*related {
                    Load::Ready(hits) if hits.is_empty() => html! { <p>{ i18n.t("hub.none") }</p> },
                    Load::Ready(hits) => html! { <HitList hits={(**hits).clone()} /> },
                    _ => html! {},
                } }
            </section>

            if let Load::Ready(versions) = &*versions {
                <details class="versions">
                    <summary>{ i18n.tf("hub.versions", &[("count", &versions.len().to_string())]) }</summary>
                    <table class="data">
                        <thead><tr>
                            <th scope="col">{ i18n.t("hub.version") }</th>
                            <th scope="col">{ i18n.t("hub.change") }</th>
                            <th scope="col">{ i18n.t("hub.changed_by") }</th>
                            <th scope="col">{ i18n.t("hub.changed_at") }</th>
                            <th scope="col">{ i18n.t("hub.step_note") }</th>
                        </tr></thead>
                        <tbody>
                            { for versions.iter().map(|v| html! {
                                <tr key={v.version}>
                                    <td>{ v.version }</td>
                                    <td>{ i18n.lookup(&format!("resource_change.{}", v.change)).unwrap_or(&v.change).to_owned() }</td>
                                    <td>{ v.changed_by.display_name.clone() }</td>
                                    <td>{ hong_kong(v.changed_at) }</td>
                                    <td>{ v.note.clone() }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </details>
            }
        </article>
    }
}
