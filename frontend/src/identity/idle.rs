//! Centre computers are shared: a session left alone ends. The server ends it after
//! `idle_timeout_seconds` without the user's own requests; this watch tells the server
//! when the user is busy in the page without calling it (typing a long note), warns before
//! the end and signs out when it comes.

use std::cell::Cell;
use std::rc::Rc;

use common::identity::activity_step_seconds;
use gloo_events::EventListener;
use gloo_storage::{SessionStorage, Storage};
use gloo_timers::callback::Interval;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::use_session;
use crate::api::Api;
use crate::app::focus;
use crate::i18n::use_i18n;

/// Set when the watch signs the user out, so the login page can say why.
pub const SIGNED_OUT_IDLE_KEY: &str = "familylink.signed_out_idle";

/// The user's own input. The app's renewals and loads are not activity.
const ACTIVITY_EVENTS: [&str; 3] = ["keydown", "pointerdown", "wheel"];
/// The warning comes this long before the end, or halfway there for a short timeout.
const WARNING_LEAD_MS: f64 = 60_000.0;

/// When the server may end the session, reckoned from when it last heard of the user:
/// it writes activity at most once a step, so it may remember it up to a step earlier.
struct Clock {
    timeout_ms: f64,
    step_ms: f64,
}

impl Clock {
    fn new(timeout_seconds: i64) -> Clock {
        Clock {
            timeout_ms: timeout_seconds as f64 * 1000.0,
            step_ms: activity_step_seconds(timeout_seconds) as f64 * 1000.0,
        }
    }

    fn deadline(&self, reported: f64) -> f64 {
        reported + self.timeout_ms - self.step_ms
    }

    fn warning_from(&self, reported: f64) -> f64 {
        let lead = WARNING_LEAD_MS.min((self.timeout_ms - self.step_ms) / 2.0);
        self.deadline(reported) - lead
    }
}

/// Tells the server the user is here, at most once a step.
fn report(api: &Api, reported: &Rc<Cell<f64>>, clock: &Clock) {
    let now = js_sys::Date::now();
    if now - reported.get() < clock.step_ms {
        return;
    }
    reported.set(now);
    let api = api.clone();
    spawn_local(async move {
        // A 401 ends the session inside `Api`; a network hiccup is retried by the next input.
        let _ = api.post_no_content("/api/auth/activity").await;
    });
}

#[function_component]
pub fn IdleWatch() -> Html {
    let i18n = use_i18n();
    let session = use_session();
    let timeout = session.me.as_ref().map_or(0, |me| me.idle_timeout_seconds);
    // Signing in or loading the page was a request of the user's: the clock starts now.
    let reported: Rc<Cell<f64>> = use_memo((), |_| Cell::new(js_sys::Date::now()));
    let warning = use_state_eq(|| false);

    {
        let (reported, warning) = (reported.clone(), warning.clone());
        let sign_out = session.sign_out.clone();
        use_effect_with((session.api.clone(), timeout), move |(api, timeout)| {
            let clock = Rc::new(Clock::new(*timeout));
            let listeners: Vec<EventListener> = web_sys::window()
                .and_then(|w| w.document())
                .map(|document| {
                    ACTIVITY_EVENTS
                        .into_iter()
                        .map(|event| {
                            let (api, reported, clock) =
                                (api.clone(), reported.clone(), clock.clone());
                            EventListener::new(&document, event, move |_| {
                                report(&api, &reported, &clock)
                            })
                        })
                        .collect()
                })
                .unwrap_or_default();
            let interval = (*timeout > 0).then(|| {
                Interval::new(1_000, move || {
                    let now = js_sys::Date::now();
                    if now >= clock.deadline(reported.get()) {
                        let _ = SessionStorage::set(SIGNED_OUT_IDLE_KEY, true);
                        sign_out.emit(());
                    } else {
                        warning.set(now >= clock.warning_from(reported.get()));
                    }
                })
            });
            move || drop((listeners, interval))
        });
    }

    // Keyboard users land on the one thing to do.
    use_effect_with(*warning, |shown| {
        if *shown {
            focus("stay-signed-in");
        }
    });

    // The press that got here already told the server; hiding the warning is what is left.
    let stay = {
        let warning = warning.clone();
        Callback::from(move |_: MouseEvent| warning.set(false))
    };
    html! {
        if *warning {
            <div id="idle-warning" class="idle-warning" role="alertdialog"
                aria-labelledby="idle-warning-text">
                <p id="idle-warning-text">{ i18n.t("idle.warning") }</p>
                <button id="stay-signed-in" type="button" class="primary" onclick={stay}>
                    { i18n.t("idle.stay") }
                </button>
            </div>
        }
    }
}
