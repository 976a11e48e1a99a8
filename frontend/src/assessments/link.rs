//! Sending a family a one-time link to answer an instrument on their own phone: shown as
//! a QR code to scan in the room and as text to paste into a message.

use std::fmt::Write;

use common::assessments::{LinkForm, SelfCompletionLink};
use common::cases::CasePerson;
use common::error::ErrorBody;
use yew::prelude::*;

use super::subject::{Subject, SubjectFields};
use crate::form::{error_attrs, field_error, form_alert, submit, value_of, FormField};
use crate::i18n::use_i18n;
use crate::identity::use_session;

#[derive(Properties, PartialEq)]
pub struct SendLinkProps {
    pub case_id: String,
    pub people: Vec<CasePerson>,
}

#[function_component]
pub fn SendLink(props: &SendLinkProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let form = use_state(|| LinkForm {
        case_id: Some(props.case_id.clone()),
        ..LinkForm::default()
    });
    let errors = use_state(|| None::<ErrorBody>);
    let made = use_state(|| None::<SelfCompletionLink>);
    let edit = |apply: fn(&mut LinkForm, &Event)| crate::form::edit(&form, apply);
    let on_subject = {
        let form = form.clone();
        Callback::from(move |subject: Subject| {
            let mut next = (*form).clone();
            next.client_id = subject.client_id;
            next.instrument = subject.instrument;
            next.stage = subject.stage;
            form.set(next);
        })
    };
    let onsubmit = {
        let (form, errors, made) = (form.clone(), errors.clone(), made.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let made = made.clone();
            submit(
                api.clone(),
                false,
                "/api/assessment-links".to_owned(),
                (*form).clone(),
                errors.clone(),
                Callback::from(move |link: SelfCompletionLink| made.set(Some(link))),
            );
        })
    };
    let error = |field: &str| field_error(&errors, field);
    let (days_invalid, days_described) = error_attrs("link-days", error("valid_days").as_ref());
    html! {
        <details class="panel send-link">
            <summary>{ i18n.t("link.start") }</summary>
            <p class="hint">{ i18n.t("link.intro") }</p>
            <form id="link-form" class="stack" {onsubmit} novalidate=true>
                { form_alert(i18n, &errors) }
                <div class="grid">
                    <SubjectFields prefix="link" people={props.people.clone()} subject={Subject {
                            client_id: form.client_id.clone(),
                            instrument: form.instrument.clone(),
                            stage: form.stage,
                        }} errors={(*errors).clone()} on_change={on_subject} />
                    <FormField id="link-days" label="link.valid_days" error={error("valid_days")}>
                        <input id="link-days" type="number" min="1" max="30" placeholder="7"
                            value={form.valid_days.map(|d| d.to_string()).unwrap_or_default()}
                            onchange={edit(|f, e| f.valid_days = value_of(e).trim().parse().ok())}
                            aria-invalid={days_invalid} aria-describedby={days_described} />
                    </FormField>
                </div>
                <div class="actions">
                    <button type="submit" id="link-submit">{ i18n.t("link.make") }</button>
                </div>
            </form>
            if let Some(link) = &*made {
                <LinkMade link={link.clone()} />
            }
        </details>
    }
}

#[derive(Properties, PartialEq)]
struct LinkMadeProps {
    link: SelfCompletionLink,
}

#[function_component]
fn LinkMade(props: &LinkMadeProps) -> Html {
    let i18n = use_i18n();
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    let address = format!("{origin}{}", props.link.path);
    let expires = crate::cases::hong_kong(props.link.expires_at);
    html! {
        <div class="link-made" role="status">
            <p>{ i18n.tf("link.made", &[("expires", &expires)]) }</p>
            { qr_code(&address, i18n.t("link.qr_label")) }
            <label for="link-address">{ i18n.t("link.address") }</label>
            <input id="link-address" type="text" readonly=true value={address} />
            <p class="hint">{ i18n.t("link.once") }</p>
        </div>
    }
}

/// The address as a QR code, drawn as one SVG path of its dark modules with the quiet
/// zone of four modules a scanner needs.
fn qr_code(text: &str, label: &str) -> Html {
    let Ok(code) = qrcode::QrCode::new(text.as_bytes()) else {
        return Html::default();
    };
    let width = code.width();
    let mut path = String::new();
    for (i, color) in code.to_colors().iter().enumerate() {
        if *color == qrcode::Color::Dark {
            let _ = write!(path, "M{} {}h1v1h-1z", i % width, i / width);
        }
    }
    let size = width + 8;
    html! {
        <svg class="qr" id="link-qr" viewBox={format!("-4 -4 {size} {size}")} width="220" height="220"
            role="img" aria-label={label.to_owned()}>
            <rect x="-4" y="-4" width={size.to_string()} height={size.to_string()} fill="#fff" />
            <path d={path} fill="#000" />
        </svg>
    }
}
