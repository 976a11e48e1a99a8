//! The research corpus: an analyst takes the case notes of a period, every identifier
//! replaced, as CSV.

use chrono::NaiveDate;
use common::error::ErrorBody;
use common::language::CorpusRequest;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::api::save_as;
use crate::form::{date_of, error_attrs, field_error, form_alert, FormField};
use crate::i18n::use_i18n;
use crate::identity::use_session;

#[derive(Properties, PartialEq)]
pub struct CorpusPanelProps {
    /// The period the page shows, which the form starts from.
    pub from: NaiveDate,
    pub until: NaiveDate,
}

#[function_component]
pub fn CorpusPanel(props: &CorpusPanelProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let request = use_state(|| CorpusRequest {
        from: props.from,
        until: props.until,
        centre_id: None,
    });
    let errors = use_state(|| None::<ErrorBody>);
    let busy = use_state(|| false);
    let taken = use_state(|| None::<String>);
    let on_from = {
        let request = request.clone();
        Callback::from(move |event: Event| {
            if let Some(day) = date_of(&event) {
                request.set(CorpusRequest {
                    from: day,
                    ..(*request).clone()
                });
            }
        })
    };
    let on_until = {
        let request = request.clone();
        Callback::from(move |event: Event| {
            if let Some(day) = date_of(&event) {
                request.set(CorpusRequest {
                    until: day,
                    ..(*request).clone()
                });
            }
        })
    };
    let onsubmit = {
        let (request, errors, busy, taken) =
            (request.clone(), errors.clone(), busy.clone(), taken.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *busy {
                return;
            }
            busy.set(true);
            taken.set(None);
            let (api, body, errors, busy, taken) = (
                api.clone(),
                (*request).clone(),
                errors.clone(),
                busy.clone(),
                taken.clone(),
            );
            spawn_local(async move {
                match api.download("/api/analytics/corpus.csv", Some(&body)).await {
                    Ok((bytes, headers)) => {
                        errors.set(None);
                        let name = format!("corpus-{}-{}.csv", body.from, body.until);
                        let _ = save_as(&bytes, &name, "text/csv");
                        taken.set(headers.get("x-corpus-notes"));
                    }
                    Err(error) => errors.set(Some(error)),
                }
                busy.set(false);
            });
        })
    };
    let from_error = field_error(&errors, "from");
    let until_error = field_error(&errors, "until");
    let (from_invalid, from_described) = error_attrs("corpus-from", from_error.as_ref());
    let (until_invalid, until_described) = error_attrs("corpus-until", until_error.as_ref());
    html! {
        <article class="das-figure" id="corpus">
            <h2>{ i18n.t("das.corpus.title") }</h2>
            <p class="note">{ i18n.t("das.corpus.explain") }</p>
            <form {onsubmit} novalidate=true>
                { form_alert(i18n, &errors) }
                <div class="row">
                    <FormField id="corpus-from" label="das.corpus.from" error={from_error}>
                        <input id="corpus-from" type="date" value={request.from.to_string()}
                            onchange={on_from} aria-invalid={from_invalid}
                            aria-describedby={from_described} />
                    </FormField>
                    <FormField id="corpus-until" label="das.corpus.until" error={until_error}>
                        <input id="corpus-until" type="date" value={request.until.to_string()}
                            onchange={on_until} aria-invalid={until_invalid}
                            aria-describedby={until_described} />
                    </FormField>
                </div>
                <button type="submit" aria-busy={busy.then_some("true")}>
                    { if *busy { i18n.t("das.corpus.taking") } else { i18n.t("das.corpus.take") } }
                </button>
            </form>
            if let Some(notes) = &*taken {
                <p id="corpus-taken" role="status">{ i18n.tf("das.corpus.taken", &[("notes", notes)]) }</p>
            }
        </article>
    }
}
