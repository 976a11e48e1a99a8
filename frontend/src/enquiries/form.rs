//! One form records an enquiry and edits it: when, how, what about, how long, what came
//! of it, and, only if the person gives them, their name, sex, phone and age.

use std::rc::Rc;

use chrono::{NaiveDateTime, TimeDelta, Timelike, Utc};
use common::clients::Sex;
use common::enquiries::{AgeBand, Channel, Enquiry, EnquiryForm, EnquiryOutcome};
use common::error::ErrorBody;
use common::identity::Unit;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::encode;
use crate::app::Route;
use crate::form::{error_attrs, field_error, value_of, FormField};
use crate::i18n::{use_i18n, use_title};
use crate::identity::use_session;
use crate::terms::TermChoice;

/// A Hong Kong wall-clock time to the minute, as a datetime input shows it.
fn hong_kong_minute(at: chrono::DateTime<Utc>) -> NaiveDateTime {
    let local = (at + TimeDelta::hours(8)).naive_utc();
    local
        .with_second(0)
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(local)
}

/// A new enquiry is received now, at the Family Resource Unit's desk.
fn new_form() -> EnquiryForm {
    EnquiryForm {
        received_at: Some(hong_kong_minute(Utc::now())),
        unit: Some(Unit::FamilyResource),
        ..EnquiryForm::default()
    }
}

fn form_of(enquiry: &Enquiry) -> EnquiryForm {
    EnquiryForm {
        received_at: Some(hong_kong_minute(enquiry.received_at)),
        channel: Some(enquiry.channel),
        topic_codes: enquiry.topic_codes.clone(),
        summary: enquiry.summary.clone(),
        minutes_spent: Some(enquiry.minutes_spent),
        outcome: Some(enquiry.outcome),
        unit: Some(enquiry.unit),
        name_zh: enquiry.name_zh.clone().unwrap_or_default(),
        name_en: enquiry.name_en.clone().unwrap_or_default(),
        sex: enquiry.sex,
        phone: enquiry.phone.clone().unwrap_or_default(),
        age_band: enquiry.age_band,
        version: Some(enquiry.version),
    }
}

#[derive(Properties, PartialEq)]
pub struct EnquiryFormProps {
    /// The enquiry being edited; `None` records a new one.
    #[prop_or_default]
    pub enquiry: Option<Rc<Enquiry>>,
    pub on_saved: Callback<Enquiry>,
    #[prop_or_default]
    pub on_cancel: Option<Callback<()>>,
}

#[function_component]
pub fn EnquiryFormView(props: &EnquiryFormProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let form = use_state(|| props.enquiry.as_deref().map_or_else(new_form, form_of));
    let errors = use_state(|| None::<ErrorBody>);
    let busy = use_state(|| false);

    let edit = |apply: fn(&mut EnquiryForm, &Event)| crate::form::edit(&form, apply);
    let topics_changed = {
        let form = form.clone();
        Callback::from(move |topic_codes: Vec<String>| {
            form.set(EnquiryForm {
                topic_codes,
                ..(*form).clone()
            })
        })
    };
    let onsubmit = {
        let (form, errors, busy) = (form.clone(), errors.clone(), busy.clone());
        let (enquiry, on_saved) = (props.enquiry.clone(), props.on_saved.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *busy {
                return;
            }
            busy.set(true);
            let (api, body, errors, busy, enquiry, on_saved) = (
                api.clone(),
                (*form).clone(),
                errors.clone(),
                busy.clone(),
                enquiry.clone(),
                on_saved.clone(),
            );
            spawn_local(async move {
                let saved = match &enquiry {
                    None => api.post::<Enquiry>("/api/enquiries", &body).await,
                    Some(enquiry) => {
                        let path = format!("/api/enquiries/{}", encode(&enquiry.id));
                        api.put::<Enquiry>(&path, &body).await
                    }
                };
                busy.set(false);
                match saved {
                    Ok(enquiry) => on_saved.emit(enquiry),
                    Err(error) => errors.set(Some(error)),
                }
            });
        })
    };

    let error = |field: &str| field_error(&errors, field);
    let attrs = |id: &str, field: &str| error_attrs(id, error(field).as_ref());
    let (at_invalid, at_described) = attrs("enquiry-received_at", "received_at");
    let (channel_invalid, channel_described) = attrs("enquiry-channel", "channel");
    let (minutes_invalid, minutes_described) = attrs("enquiry-minutes_spent", "minutes_spent");
    let (outcome_invalid, outcome_described) = attrs("enquiry-outcome", "outcome");
    let (summary_invalid, summary_described) = attrs("enquiry-summary", "summary");
    let (unit_invalid, unit_described) = attrs("enquiry-unit", "unit");
    let (zh_invalid, zh_described) = attrs("enquiry-name_zh", "name_zh");
    let (en_invalid, en_described) = attrs("enquiry-name_en", "name_en");
    let (phone_invalid, phone_described) = attrs("enquiry-phone", "phone");
    // Promotion alone gives that outcome: it is shown, not offered.
    let promoted = form.outcome == Some(EnquiryOutcome::PromotedToCase);
    let outcomes = EnquiryOutcome::ALL
        .iter()
        .filter(|o| promoted || **o != EnquiryOutcome::PromotedToCase);
    let choose = i18n.t("client.choose");
    html! {
        <form id="enquiry-form" class="stack" {onsubmit} novalidate=true>
            if let Some(body) = &*errors {
                <p role="alert" class="alert">{ i18n.error(body) }</p>
            }
            <div class="grid">
                <FormField id="enquiry-received_at" label="enquiry.received_at" error={error("received_at")}>
                    <input id="enquiry-received_at" type="datetime-local"
                        value={form.received_at.map(|at| at.format("%Y-%m-%dT%H:%M").to_string()).unwrap_or_default()}
                        onchange={edit(|f, e| f.received_at = NaiveDateTime::parse_from_str(&value_of(e), "%Y-%m-%dT%H:%M").ok())}
                        aria-invalid={at_invalid} aria-describedby={at_described} />
                </FormField>
                <FormField id="enquiry-channel" label="enquiry.channel" error={error("channel")}>
                    <select id="enquiry-channel" onchange={edit(|f, e| f.channel = Channel::parse(&value_of(e)))}
                        aria-invalid={channel_invalid} aria-describedby={channel_described}>
                        <option value="" selected={form.channel.is_none()}>{ choose }</option>
                        { for Channel::ALL.iter().map(|c| html! {
                            <option value={c.as_str()} selected={form.channel == Some(*c)}>{ i18n.code("channel", c.as_str()) }</option>
                        }) }
                    </select>
                </FormField>
                <FormField id="enquiry-minutes_spent" label="enquiry.minutes_spent" error={error("minutes_spent")}>
                    <input id="enquiry-minutes_spent" type="number" min="1" max="1440" inputmode="numeric"
                        value={form.minutes_spent.map(|m| m.to_string()).unwrap_or_default()}
                        onchange={edit(|f, e| f.minutes_spent = value_of(e).trim().parse().ok())}
                        aria-invalid={minutes_invalid} aria-describedby={minutes_described} />
                </FormField>
                <FormField id="enquiry-outcome" label="enquiry.outcome" error={error("outcome")}>
                    <select id="enquiry-outcome" disabled={promoted}
                        onchange={edit(|f, e| f.outcome = EnquiryOutcome::parse(&value_of(e)))}
                        aria-invalid={outcome_invalid} aria-describedby={outcome_described}>
                        <option value="" selected={form.outcome.is_none()}>{ choose }</option>
                        { for outcomes.map(|o| html! {
                            <option value={o.as_str()} selected={form.outcome == Some(*o)}>{ i18n.code("enquiry_outcome", o.as_str()) }</option>
                        }) }
                    </select>
                </FormField>
                <FormField id="enquiry-unit" label="enquiry.unit" error={error("unit")}>
                    <select id="enquiry-unit" onchange={edit(|f, e| f.unit = Unit::parse(&value_of(e)))}
                        aria-invalid={unit_invalid} aria-describedby={unit_described}>
                        { for Unit::ALL.iter().map(|u| html! {
                            <option value={u.as_str()} selected={form.unit == Some(*u)}>{ i18n.unit(*u) }</option>
                        }) }
                    </select>
                </FormField>
            </div>
            <TermChoice prefix="topic" field="topic_codes" legend="enquiry.topics"
                chosen={form.topic_codes.clone()} on_change={topics_changed} error={error("topic_codes")} />
            <FormField id="enquiry-summary" label="enquiry.summary" error={error("summary")}>
                <textarea id="enquiry-summary" rows="4" maxlength="4000" value={form.summary.clone()}
                    onchange={edit(|f, e| f.summary = value_of(e))}
                    aria-invalid={summary_invalid} aria-describedby={summary_described} />
            </FormField>
            <fieldset class="field">
                <legend>{ i18n.t("enquiry.person_optional") }</legend>
                <p class="hint">{ i18n.t("enquiry.person_hint") }</p>
                <div class="grid">
                    <FormField id="enquiry-name_zh" label="client.name_zh" error={error("name_zh")}>
                        <input id="enquiry-name_zh" type="text" autocomplete="off" value={form.name_zh.clone()}
                            onchange={edit(|f, e| f.name_zh = value_of(e))}
                            aria-invalid={zh_invalid} aria-describedby={zh_described} />
                    </FormField>
                    <FormField id="enquiry-name_en" label="client.name_en" error={error("name_en")}>
                        <input id="enquiry-name_en" type="text" autocomplete="off" value={form.name_en.clone()}
                            onchange={edit(|f, e| f.name_en = value_of(e))}
                            aria-invalid={en_invalid} aria-describedby={en_described} />
                    </FormField>
                    <FormField id="enquiry-sex" label="client.sex">
                        <select id="enquiry-sex" onchange={edit(|f, e| f.sex = Sex::parse(&value_of(e)))}>
                            <option value="" selected={form.sex.is_none()}>{ i18n.t("enquiry.not_given") }</option>
                            { for [Sex::F, Sex::M].into_iter().map(|s| html! {
                                <option value={s.as_str()} selected={form.sex == Some(s)}>{ i18n.sex(s) }</option>
                            }) }
                        </select>
                    </FormField>
                    <FormField id="enquiry-phone" label="client.phone" error={error("phone")}>
                        <input id="enquiry-phone" type="text" inputmode="tel" autocomplete="off" value={form.phone.clone()}
                            onchange={edit(|f, e| f.phone = value_of(e))}
                            aria-invalid={phone_invalid} aria-describedby={phone_described} />
                    </FormField>
                    <FormField id="enquiry-age_band" label="enquiry.age_band">
                        <select id="enquiry-age_band" onchange={edit(|f, e| f.age_band = AgeBand::parse(&value_of(e)))}>
                            <option value="" selected={form.age_band.is_none()}>{ i18n.t("enquiry.not_given") }</option>
                            { for AgeBand::ALL.iter().map(|b| html! {
                                <option value={b.as_str()} selected={form.age_band == Some(*b)}>{ i18n.code("age_band", b.as_str()) }</option>
                            }) }
                        </select>
                    </FormField>
                </div>
            </fieldset>
            <div class="actions">
                <button id="enquiry-submit" type="submit" class="primary" aria-busy={busy.then_some("true")}>
                    { i18n.t(if *busy { "client.saving" } else { "enquiry.save" }) }
                </button>
                if let Some(cancel) = &props.on_cancel {
                    <button type="button" onclick={cancel.reform(|_: MouseEvent| ())}>{ i18n.t("client.cancel") }</button>
                }
            </div>
        </form>
    }
}

#[function_component]
pub fn NewEnquiryPage() -> Html {
    use_title("enquiry.new_title");
    let i18n = use_i18n();
    let navigator = use_navigator();
    let on_saved = {
        let navigator = navigator.clone();
        Callback::from(move |enquiry: Enquiry| {
            if let Some(navigator) = &navigator {
                navigator.push(&Route::EnquiryDetail { id: enquiry.id });
            }
        })
    };
    let on_cancel = Callback::from(move |()| {
        if let Some(navigator) = &navigator {
            navigator.push(&Route::Enquiries);
        }
    });
    html! {
        <section>
            <p class="back"><Link<Route> to={Route::Enquiries}>{ i18n.t("enquiry.back_to_log") }</Link<Route>></p>
            <h1>{ i18n.t("enquiry.new_title") }</h1>
            <EnquiryFormView {on_saved} on_cancel={Some(on_cancel)} />
        </section>
    }
}
