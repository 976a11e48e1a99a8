//! The reader's own shelf: bookmarks, and named collections to start, rename, empty and
//! delete.

use common::error::ErrorBody;
use common::hub::{Collection, CollectionForm, Shelf};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::HitList;
use crate::api::{use_get, Api, Load};
use crate::form::{error_attrs, field_error, value_of, FormField};
use crate::i18n::{use_i18n, use_title};
use crate::identity::use_session;

/// A change sent, answered by the shelf as it now is.
type ShelfChange = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Shelf, ErrorBody>>>>;

/// Sends a change whose answer is the shelf as it now is.
fn change(
    api: Api,
    errors: UseStateHandle<Option<ErrorBody>>,
    reload: Callback<()>,
    work: impl FnOnce(Api) -> ShelfChange + 'static,
) {
    spawn_local(async move {
        match work(api).await {
            Ok(_) => {
                errors.set(None);
                reload.emit(());
            }
            Err(error) => errors.set(Some(error)),
        }
    });
}

#[function_component]
pub fn ShelfPage() -> Html {
    use_title("hub.shelf");
    let i18n = use_i18n();
    let session = use_session();
    let generation = use_state(|| 0u32);
    let shelf = use_get::<Shelf>("/api/hub/shelf".to_owned(), *generation);
    let errors = use_state(|| None::<ErrorBody>);
    let name = use_state(String::new);
    let reload = {
        let generation = generation.clone();
        Callback::from(move |_| generation.set(*generation + 1))
    };
    let onsubmit = {
        let (api, errors, reload, name) = (
            session.api.clone(),
            errors.clone(),
            reload.clone(),
            name.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let form = CollectionForm {
                name: (*name).clone(),
                version: None,
            };
            name.set(String::new());
            change(api.clone(), errors.clone(), reload.clone(), move |api| {
                Box::pin(async move { api.post::<Shelf>("/api/hub/collections", &form).await })
            });
        })
    };
    let unbookmark = {
        let (api, errors, reload) = (session.api.clone(), errors.clone(), reload.clone());
        Callback::from(move |id: String| {
            let (api, errors, reload) = (api.clone(), errors.clone(), reload.clone());
            spawn_local(async move {
                match api
                    .delete::<common::hub::Resource>(&format!("/api/resources/{id}/bookmark"))
                    .await
                {
                    Ok(_) => reload.emit(()),
                    Err(error) => errors.set(Some(error)),
                }
            });
        })
    };
    let name_error = field_error(&errors, "name");
    let (invalid, described) = error_attrs("hub-collection-name", name_error.as_ref());
    html! {
        <section>
            <h1>{ i18n.t("hub.shelf") }</h1>
            if let Some(error) = errors.as_ref().filter(|e| e.fields.is_empty()) {
                <p role="alert" class="alert">{ i18n.error(error) }</p>
            }
            { match &*shelf {
                Load::Loading => html! { <p role="status">{ i18n.t("app.loading") }</p> },
                Load::Failed(error) => html! { <p role="alert" class="alert">{ i18n.error(error) }</p> },
                Load::Ready(shelf) => html! {
                    <>
                        <section aria-labelledby="hub-bookmarks-heading">
                            <h2 id="hub-bookmarks-heading">{ i18n.t("hub.bookmarks") }</h2>
                            if shelf.bookmarks.is_empty() {
                                <p>{ i18n.t("hub.none") }</p>
                            } else {
                                <HitList hits={shelf.bookmarks.clone()} action={("hub.unbookmark", unbookmark.clone())} />
                            }
                        </section>
                        { for shelf.collections.iter().map(|c| html! {
                            <CollectionView key={c.id.clone()} collection={c.clone()} errors={errors.clone()} reload={reload.clone()} />
                        }) }
                    </>
                },
            } }
            <form class="form" {onsubmit}>
                <FormField id="hub-collection-name" label="hub.new_collection" error={name_error.clone()}>
                    <input id="hub-collection-name" type="text" value={(*name).clone()}
                        oninput={{ let name = name.clone(); Callback::from(move |e: InputEvent| name.set(value_of(&e))) }}
                        aria-invalid={invalid} aria-describedby={described} />
                </FormField>
                <button type="submit" class="primary">{ i18n.t("hub.start_collection") }</button>
            </form>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct CollectionProps {
    collection: Collection,
    errors: UseStateHandle<Option<ErrorBody>>,
    reload: Callback<()>,
}

#[function_component]
fn CollectionView(props: &CollectionProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let c = &props.collection;
    let renaming = use_state(|| c.name.clone());
    let base = format!("/api/hub/collections/{}", c.id);
    let send = |work: fn(Api, String, i64, String) -> ShelfChange| {
        let (api, errors, reload, base, version, renaming) = (
            api.clone(),
            props.errors.clone(),
            props.reload.clone(),
            base.clone(),
            c.version,
            renaming.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let (base, name) = (base.clone(), (*renaming).clone());
            change(api.clone(), errors.clone(), reload.clone(), move |api| {
                work(api, base, version, name)
            });
        })
    };
    let rename = send(|api, base, version, name| {
        Box::pin(async move {
            api.put::<Shelf>(
                &base,
                &CollectionForm {
                    name,
                    version: Some(version),
                },
            )
            .await
        })
    });
    let delete = send(|api, base, version, _| {
        Box::pin(async move {
            api.delete::<Shelf>(&format!("{base}?version={version}"))
                .await
        })
    });
    let take_out = {
        let (api, errors, reload, base) = (
            api.clone(),
            props.errors.clone(),
            props.reload.clone(),
            base.clone(),
        );
        Callback::from(move |id: String| {
            let path = format!("{base}/resources/{id}");
            change(api.clone(), errors.clone(), reload.clone(), move |api| {
                Box::pin(async move { api.delete::<Shelf>(&path).await })
            });
        })
    };
    let rename_id = format!("hub-rename-{}", c.id);
    html! {
        <section class="collection" aria-label={c.name.clone()}>
            <h2>{ c.name.clone() }</h2>
            <div class="field">
                <label for={rename_id.clone()}>{ i18n.t("hub.rename") }</label>
                <input id={rename_id} type="text" value={(*renaming).clone()}
                    oninput={{ let renaming = renaming.clone(); Callback::from(move |e: InputEvent| renaming.set(value_of(&e))) }} />
                <button type="button" onclick={rename}>{ i18n.t("hub.rename") }</button>
                <button type="button" onclick={delete}>{ i18n.t("hub.delete_collection") }</button>
            </div>
            if c.resources.is_empty() {
                <p>{ i18n.t("hub.none") }</p>
            } else {
                <HitList hits={c.resources.clone()} action={("hub.take_out", take_out)} />
            }
        </section>
    }
}
