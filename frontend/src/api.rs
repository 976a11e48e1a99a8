//! The one HTTP helper: every call to the API goes through [`Api::send`], which adds the
//! token, turns a non-2xx answer into the API's [`ErrorBody`] and handles 401 for everyone.

use std::rc::Rc;

use common::error::ErrorBody;
use gloo_net::http::{Method, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::identity::use_session;

#[derive(Clone, PartialEq)]
pub struct Api {
    token: Option<Rc<str>>,
    /// Called when the API no longer accepts the token: the session ends and the app
    /// shows the login page.
    on_unauthorized: Callback<()>,
}

impl Api {
    pub fn new(token: Option<Rc<str>>, on_unauthorized: Callback<()>) -> Self {
        Self {
            token,
            on_unauthorized,
        }
    }

    fn request(&self, method: Method, path: &str) -> RequestBuilder {
        let request = RequestBuilder::new(path).method(method);
        match &self.token {
            Some(token) => request.header("Authorization", &format!("Bearer {token}")),
            None => request,
        }
    }

    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&impl Serialize>,
    ) -> Result<Response, ErrorBody> {
        let request = self.request(method, path);
        let request = match body {
            Some(body) => request.json(body),
            None => request.build(),
        };
        self.answer(request).await
    }

    /// POSTs a file's bytes as they are (an i-Hub upload), and reads the JSON answer.
    pub async fn upload<T: DeserializeOwned>(
        &self,
        path: &str,
        bytes: &[u8],
    ) -> Result<T, ErrorBody> {
        let request = self
            .request(Method::POST, path)
            .header("Content-Type", "application/octet-stream")
            .body(js_sys::Uint8Array::from(bytes));
        json(self.answer(request).await?).await
    }

    async fn answer(
        &self,
        request: Result<gloo_net::http::Request, gloo_net::Error>,
    ) -> Result<Response, ErrorBody> {
        let response = request.map_err(network)?.send().await.map_err(network)?;
        if response.ok() {
            return Ok(response);
        }
        // A 401 without a token is a failed login, which the login page reports itself.
        if response.status() == 401 && self.token.is_some() {
            self.on_unauthorized.emit(());
        }
        Err(error_body(&response).await)
    }

    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, ErrorBody> {
        json(self.send(Method::GET, path, NO_BODY).await?).await
    }

    pub async fn post<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &impl Serialize,
    ) -> Result<T, ErrorBody> {
        json(self.send(Method::POST, path, Some(body)).await?).await
    }

    pub async fn put<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &impl Serialize,
    ) -> Result<T, ErrorBody> {
        json(self.send(Method::PUT, path, Some(body)).await?).await
    }

    pub async fn delete<T: DeserializeOwned>(&self, path: &str) -> Result<T, ErrorBody> {
        json(self.send(Method::DELETE, path, NO_BODY).await?).await
    }

    /// A POST without a body whose answer is JSON (token refresh).
    pub async fn post_empty<T: DeserializeOwned>(&self, path: &str) -> Result<T, ErrorBody> {
        json(self.send(Method::POST, path, NO_BODY).await?).await
    }

    /// A POST without a body answered by 204 (logout).
    pub async fn post_no_content(&self, path: &str) -> Result<(), ErrorBody> {
        self.send(Method::POST, path, NO_BODY).await.map(drop)
    }

    /// A file made from what is POSTed (the Excel export), or a kept file when the body is
    /// none (a statistics workbook), with the answer's headers.
    pub async fn download(
        &self,
        path: &str,
        body: Option<&impl Serialize>,
    ) -> Result<(Vec<u8>, gloo_net::http::Headers), ErrorBody> {
        let method = if body.is_some() {
            Method::POST
        } else {
            Method::GET
        };
        let response = self.send(method, path, body).await?;
        let headers = response.headers();
        let bytes = response.binary().await.map_err(network)?;
        Ok((bytes, headers))
    }
}

/// What a click on a kept file does: fetch it and hand it to the browser under its own name
/// and type; a failure is shown through `errors`.
pub fn download_on_click(
    api: &Api,
    errors: &UseStateHandle<Option<ErrorBody>>,
    path: String,
    name: String,
    media_type: String,
) -> Callback<MouseEvent> {
    download_then(api, errors, (path, name, media_type), Callback::noop())
}

/// The same, and then `then` once the file is saved: for a download the server counts
/// (a course's file, done once opened), after which the page reads again what it shows.
pub fn download_then(
    api: &Api,
    errors: &UseStateHandle<Option<ErrorBody>>,
    (path, name, media_type): (String, String, String),
    then: Callback<()>,
) -> Callback<MouseEvent> {
    let (api, errors) = (api.clone(), errors.clone());
    Callback::from(move |_: MouseEvent| {
        let (api, errors, path, name, media_type, then) = (
            api.clone(),
            errors.clone(),
            path.clone(),
            name.clone(),
            media_type.clone(),
            then.clone(),
        );
        spawn_local(async move {
            match api.download(&path, None::<&()>).await {
                Ok((bytes, _)) => {
                    let _ = save_as(&bytes, &name, &media_type);
                    then.emit(());
                }
                Err(error) => errors.set(Some(error)),
            }
        });
    })
}

pub const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Hands bytes to the browser as a download. Files from the API need the Authorization
/// header, so a plain link to the API cannot fetch them.
pub fn save_file(bytes: &[u8], name: &str) -> Result<(), wasm_bindgen::JsValue> {
    save_as(bytes, name, XLSX_TYPE)
}

/// Hands bytes of the given type to the browser as a download.
pub fn save_as(bytes: &[u8], name: &str, mime: &str) -> Result<(), wasm_bindgen::JsValue> {
    use wasm_bindgen::JsCast;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or(wasm_bindgen::JsValue::NULL)?;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a")?.unchecked_into();
    link.set_href(&url);
    link.set_download(name);
    link.click();
    // Some browsers read the URL after `click` returns: release it a little later.
    gloo_timers::callback::Timeout::new(60_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}

const NO_BODY: Option<&()> = None;

async fn json<T: DeserializeOwned>(response: Response) -> Result<T, ErrorBody> {
    response.json().await.map_err(network)
}

async fn error_body(response: &Response) -> ErrorBody {
    match response.json::<ErrorBody>().await {
        Ok(body) => body,
        // A proxy or a crash may answer without the API's body: name the status instead.
        Err(_) => ErrorBody {
            code: match response.status() {
                400 => "bad_request",
                401 => "unauthenticated",
                403 => "forbidden",
                404 => "not_found",
                _ => "unknown",
            }
            .to_owned(),
            message: response.status_text(),
            fields: Default::default(),
        },
    }
}

fn network(error: gloo_net::Error) -> ErrorBody {
    ErrorBody {
        code: "network".to_owned(),
        message: error.to_string(),
        fields: Default::default(),
    }
}

/// The file chosen in the file control of this id, if one is.
pub fn chosen_file(input_id: &str) -> Option<web_sys::File> {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(input_id))
        .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(e).ok())
        .and_then(|input| input.files())
        .and_then(|files| files.get(0))
}

/// Sends a chosen file's bytes to the address `address` makes of its (encoded) name.
pub async fn upload_file<T: DeserializeOwned>(
    api: &Api,
    file: web_sys::File,
    address: impl FnOnce(&str) -> String,
) -> Result<T, ErrorBody> {
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| ErrorBody {
            code: "unreadable_file".into(),
            message: String::new(),
            fields: Default::default(),
        })?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    api.upload::<T>(&address(&encode(&file.name())), &bytes)
        .await
}

/// Encodes one path segment or query value.
pub fn encode(value: &str) -> String {
    String::from(js_sys::encode_uri_component(value))
}

/// `path?key=value&…`, skipping empty values.
pub fn with_query(path: &str, params: &[(&str, &str)]) -> String {
    let query: Vec<String> = params
        .iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(key, value)| format!("{key}={}", encode(value)))
        .collect();
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Load<T> {
    Loading,
    Ready(Rc<T>),
    Failed(ErrorBody),
}

/// What a page loads: a GET of `path`, or a POST of `body` to it (a search, whose terms
/// stay out of the address).
#[derive(Debug, Clone, PartialEq)]
pub struct Fetch {
    pub path: String,
    pub body: Option<serde_json::Value>,
}

impl Fetch {
    pub fn get(path: String) -> Fetch {
        Fetch { path, body: None }
    }
}

/// GETs `path` whenever it or `generation` changes (bump `generation` to reload).
#[hook]
pub fn use_get<T>(path: String, generation: u32) -> UseStateHandle<Load<T>>
where
    T: DeserializeOwned + 'static,
{
    use_fetch(Fetch::get(path), generation)
}

/// GETs `path` when there is one, for a page that needs a choice before it can ask;
/// otherwise like [`use_get`].
#[hook]
pub fn use_get_if<T>(path: Option<String>, generation: u32) -> UseStateHandle<Load<T>>
where
    T: DeserializeOwned + 'static,
{
    use_load(path.map(Fetch::get), generation)
}

/// Loads `fetch` whenever it or `generation` changes (bump `generation` to reload).
/// What was shown stays until the new answer arrives, so paging does not empty the page
/// (and lose keyboard focus). An answer that arrives after the inputs changed again is
/// dropped, so a slow old search cannot overwrite a newer one.
#[hook]
pub fn use_fetch<T>(fetch: Fetch, generation: u32) -> UseStateHandle<Load<T>>
where
    T: DeserializeOwned + 'static,
{
    use_load(Some(fetch), generation)
}

#[hook]
fn use_load<T>(fetch: Option<Fetch>, generation: u32) -> UseStateHandle<Load<T>>
where
    T: DeserializeOwned + 'static,
{
    let api = use_session().api;
    let state = use_state(|| Load::Loading);
    {
        let state = state.clone();
        use_effect_with((fetch, generation), move |(fetch, _)| {
            let current = Rc::new(std::cell::Cell::new(true));
            if let Some(fetch) = fetch.clone() {
                let still_current = current.clone();
                spawn_local(async move {
                    let result = match &fetch.body {
                        None => api.get::<T>(&fetch.path).await,
                        Some(body) => api.post::<T>(&fetch.path, body).await,
                    };
                    if still_current.get() {
                        state.set(match result {
                            Ok(value) => Load::Ready(Rc::new(value)),
                            Err(error) => Load::Failed(error),
                        });
                    }
                });
            }
            move || current.set(false)
        });
    }
    state
}
