//! The login page: username and password for a token.

use common::error::ErrorBody;
use common::identity::{LoginRequest, LoginResponse};
use gloo_storage::{SessionStorage, Storage};
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::i18n::{use_i18n, use_title};
use crate::identity::{use_session, SIGNED_OUT_IDLE_KEY};

#[function_component]
pub fn LoginPage() -> Html {
    use_title("login.title");
    let i18n = use_i18n();
    let session = use_session();
    let username = use_state(String::new);
    let password = use_state(String::new);
    let error = use_state(|| None::<ErrorBody>);
    let busy = use_state(|| false);
    // Said until the user signs in again, however often this page is shown meanwhile.
    let signed_out_idle = SessionStorage::get::<bool>(SIGNED_OUT_IDLE_KEY).unwrap_or(false);

    let onsubmit = {
        let (username, password, error, busy) = (
            username.clone(),
            password.clone(),
            error.clone(),
            busy.clone(),
        );
        let (api, start) = (session.api.clone(), session.start.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *busy {
                return;
            }
            let request = LoginRequest {
                username: username.trim().to_owned(),
                password: (*password).clone(),
            };
            if request.username.is_empty() || request.password.is_empty() {
                error.set(Some(local_error("login_required")));
                return;
            }
            busy.set(true);
            error.set(None);
            let (api, start, password, error, busy) = (
                api.clone(),
                start.clone(),
                password.clone(),
                error.clone(),
                busy.clone(),
            );
            spawn_local(async move {
                match api.post::<LoginResponse>("/api/auth/login", &request).await {
                    // The shell leaves this page once the user is known.
                    Ok(response) => {
                        SessionStorage::delete(SIGNED_OUT_IDLE_KEY);
                        start.emit(response.token);
                    }
                    Err(failure) => {
                        password.set(String::new());
                        error.set(Some(failure));
                        busy.set(false);
                    }
                }
            });
        })
    };

    html! {
        <section class="login">
            <h1>{ i18n.t("login.title") }</h1>
            if signed_out_idle {
                <p id="signed-out-idle" role="status" class="notice">
                    { i18n.t("login.signed_out_idle") }
                </p>
            }
            <p>{ i18n.t("login.intro") }</p>
            <form class="stack" {onsubmit} novalidate=true>
                if let Some(failure) = &*error {
                    <p role="alert" class="alert">{ i18n.error(failure) }</p>
                }
                <div class="field">
                    <label for="username">{ i18n.t("login.username") }</label>
                    <input id="username" name="username" type="text" autocomplete="username"
                        autocapitalize="none" spellcheck="false"
                        value={(*username).clone()} oninput={bind(&username)} />
                </div>
                <div class="field">
                    <label for="password">{ i18n.t("login.password") }</label>
                    <input id="password" name="password" type="password"
                        autocomplete="current-password"
                        value={(*password).clone()} oninput={bind(&password)} />
                </div>
                <div class="actions">
                    <button id="login-submit" type="submit" class="primary" aria-busy={busy.then_some("true")}>
                        { if *busy { i18n.t("login.submitting") } else { i18n.t("login.submit") } }
                    </button>
                </div>
            </form>
        </section>
    }
}

fn bind(state: &UseStateHandle<String>) -> Callback<InputEvent> {
    let state = state.clone();
    Callback::from(move |event: InputEvent| {
        state.set(event.target_unchecked_into::<HtmlInputElement>().value());
    })
}

fn local_error(code: &str) -> ErrorBody {
    ErrorBody {
        code: code.to_owned(),
        message: String::new(),
        fields: Default::default(),
    }
}
