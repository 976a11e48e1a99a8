//! The signed-in user, their token and the app's language, for the whole app.

use std::rc::Rc;

use common::identity::{Locale, LocaleUpdate, LoginResponse, Me, Permission};
use gloo_storage::{LocalStorage, SessionStorage, Storage};
use gloo_timers::callback::Interval;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::api::Api;
use crate::i18n::I18n;

// Session storage, not local: offices share computers, and closing the tab should sign out.
const TOKEN_KEY: &str = "familylink.token";
// Before login there is no user to remember the language for, so the browser keeps it.
const LOCALE_KEY: &str = "familylink.locale";
// Tokens live 30 minutes; renewing every 10 leaves room for a missed or failed attempt.
const REFRESH_EVERY_MS: u32 = 10 * 60 * 1000;

#[derive(Clone, PartialEq)]
pub struct Session {
    pub me: Option<Rc<Me>>,
    /// A token from an earlier page load is being checked.
    pub checking: bool,
    pub api: Api,
    /// Starts the session with a token from the login page.
    pub start: Callback<String>,
    pub sign_out: Callback<()>,
    pub set_locale: Callback<Locale>,
}

impl Session {
    pub fn can(&self, permission: Permission) -> bool {
        self.me
            .as_ref()
            .is_some_and(|me| me.permissions.contains(&permission))
    }
}

#[hook]
pub fn use_session() -> Session {
    use_context::<Session>().expect("SessionProvider wraps the app")
}

#[derive(Properties, PartialEq)]
pub struct SessionProviderProps {
    pub children: Html,
}

#[function_component]
pub fn SessionProvider(props: &SessionProviderProps) -> Html {
    let token = use_state(|| SessionStorage::get::<String>(TOKEN_KEY).ok().map(Rc::from));
    let me = use_state(|| None::<Rc<Me>>);
    let locale = use_state(|| {
        LocalStorage::get::<String>(LOCALE_KEY)
            .ok()
            .and_then(|code| Locale::parse(&code))
            .unwrap_or_default()
    });

    let end = {
        let (token, me) = (token.clone(), me.clone());
        use_callback((), move |(), _| {
            SessionStorage::delete(TOKEN_KEY);
            token.set(None);
            me.set(None);
        })
    };
    let api = Api::new((*token).clone(), end.clone());

    let start = {
        let token = token.clone();
        use_callback((), move |new_token: String, _| {
            // If storage is unavailable the session still works until the tab reloads.
            let _ = SessionStorage::set(TOKEN_KEY, &new_token);
            token.set(Some(Rc::from(new_token)));
        })
    };

    // Who the token belongs to: once after login or page load; the user's saved
    // language takes over from the one chosen on the login page.
    {
        let (api, me, locale, end) = (api.clone(), me.clone(), locale.clone(), end.clone());
        use_effect_with(token.is_some(), move |&has_token| {
            if has_token {
                spawn_local(async move {
                    match api.get::<Me>("/api/me").await {
                        Ok(user) => {
                            locale.set(user.locale);
                            me.set(Some(Rc::new(user)));
                        }
                        Err(_) => end.emit(()),
                    }
                });
            }
        });
    }

    // Renewal restarts with each new token, so it comes 10 minutes after the last one.
    {
        let (api, start) = (api.clone(), start.clone());
        use_effect_with((*token).clone(), move |current| {
            let interval = current.as_ref().map(|_| {
                Interval::new(REFRESH_EVERY_MS, move || {
                    let (api, start) = (api.clone(), start.clone());
                    spawn_local(async move {
                        // A 401 ends the session inside `Api`; other failures retry next time.
                        if let Ok(renewed) =
                            api.post_empty::<LoginResponse>("/api/auth/refresh").await
                        {
                            start.emit(renewed.token);
                        }
                    });
                })
            });
            move || drop(interval)
        });
    }

    let sign_out = use_callback((api.clone(), end), |(), (api, end)| {
        let (api, end) = (api.clone(), end.clone());
        spawn_local(async move {
            // Forget the token locally whatever the server says.
            let _ = api.post_no_content("/api/auth/logout").await;
            end.emit(());
        });
    });

    let set_locale = {
        let (locale, me) = (locale.clone(), me.clone());
        use_callback(
            (api.clone(), me.is_some()),
            move |new: Locale, (api, signed_in)| {
                locale.set(new);
                if *signed_in {
                    let (api, me) = (api.clone(), me.clone());
                    spawn_local(async move {
                        let update = LocaleUpdate { locale: new };
                        if let Ok(user) = api.put::<Me>("/api/me/locale", &update).await {
                            me.set(Some(Rc::new(user)));
                        }
                    });
                } else {
                    let _ = LocalStorage::set(LOCALE_KEY, new.as_str());
                }
            },
        )
    };

    // Screen readers and fonts follow the page language.
    use_effect_with(*locale, |locale| {
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("lang", locale.as_str());
        }
    });

    let session = Session {
        me: (*me).clone(),
        checking: token.is_some() && me.is_none(),
        api,
        start,
        sign_out,
        set_locale,
    };
    html! {
        <ContextProvider<I18n> context={I18n { locale: *locale }}>
            <ContextProvider<Session> context={session}>
                { props.children.clone() }
            </ContextProvider<Session>>
        </ContextProvider<I18n>>
    }
}
