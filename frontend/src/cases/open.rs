//! Opening a case for a registered client, and the case's fields, which promoting an
//! enquiry shows too.

use chrono::NaiveDate;
use common::cases::{CaseDetail, CaseForm, CaseState, CaseType, ReferralSource};
use common::error::ErrorBody;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::form::{checked, error_attrs, field_error, value_of, FormField};
use crate::i18n::{use_i18n, use_title};
use crate::identity::use_session;
use crate::terms::TermChoice;

#[derive(Properties, PartialEq)]
pub struct OpenCaseProps {
    pub client_id: String,
}

#[function_component]
pub fn OpenCasePage(props: &OpenCaseProps) -> Html {
    use_title("case.open_title");
    let i18n = use_i18n();
    let api = use_session().api;
    let navigator = use_navigator();
    let form = use_state(|| CaseForm {
        client_id: props.client_id.clone(),
        state: Some(CaseState::Open),
        ..CaseForm::default()
    });
    let errors = use_state(|| None::<ErrorBody>);
    let busy = use_state(|| false);

    let onsubmit = {
        let (form, errors, busy) = (form.clone(), errors.clone(), busy.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *busy {
                return;
            }
            busy.set(true);
            let (api, form, errors, busy, navigator) = (
                api.clone(),
                (*form).clone(),
                errors.clone(),
                busy.clone(),
                navigator.clone(),
            );
            spawn_local(async move {
                match api.post::<CaseDetail>("/api/cases", &form).await {
                    Ok(case) => {
                        if let Some(navigator) = navigator {
                            navigator.push(&Route::CaseDetail { id: case.case.id });
                        }
                    }
                    Err(error) => {
                        errors.set(Some(error));
                        busy.set(false);
                    }
                }
            });
        })
    };
    let on_change = {
        let form = form.clone();
        Callback::from(move |next: CaseForm| form.set(next))
    };
    html! {
        <section>
            <p class="back">
                <Link<Route> to={Route::ClientDetail { id: props.client_id.clone() }}>{ i18n.t("case.back_to_client") }</Link<Route>>
            </p>
            <h1>{ i18n.t("case.open_title") }</h1>
            if let Some(error) = errors.as_ref().filter(|e| e.fields.is_empty() || e.fields.contains_key("client_id")) {
                <p role="alert" class="alert">{ field_error(&errors, "client_id").map(|e| i18n.field_error(&e)).unwrap_or_else(|| i18n.error(error)) }</p>
            }
            <form id="open-case" {onsubmit} novalidate=true>
                <CaseFields form={(*form).clone()} {on_change} errors={(*errors).clone()} />
                <button type="submit" class="primary" disabled={*busy}>{ i18n.t("case.open_submit") }</button>
            </form>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct CaseFieldsProps {
    pub form: CaseForm,
    pub on_change: Callback<CaseForm>,
    /// The API's errors, named as the case form's fields.
    #[prop_or_default]
    pub errors: Option<ErrorBody>,
}

/// What a new case is: its type, referral source, natures, first state and date, and
/// whether it is sensitive.
#[function_component]
pub fn CaseFields(props: &CaseFieldsProps) -> Html {
    let i18n = use_i18n();
    let form = &props.form;
    let edit = |apply: fn(&mut CaseForm, &Event)| {
        let (form, on_change) = (form.clone(), props.on_change.clone());
        Callback::from(move |event: Event| {
            let mut next = form.clone();
            apply(&mut next, &event);
            on_change.emit(next);
        })
    };
    let natures_changed = {
        let (form, on_change) = (form.clone(), props.on_change.clone());
        Callback::from(move |nature_codes: Vec<String>| {
            on_change.emit(CaseForm {
                nature_codes,
                ..form.clone()
            })
        })
    };
    let error = |field: &str| field_error(&props.errors, field);
    let attrs = |id: &str, field: &str| error_attrs(id, error(field).as_ref());
    let (case_type_invalid, case_type_described) = attrs("case_type", "case_type");
    let (source_invalid, source_described) = attrs("referral_source", "referral_source");
    let (state_invalid, state_described) = attrs("state", "state");
    let (date_invalid, date_described) = attrs("effective_on", "effective_on");
    html! {
        <>
            <FormField id="case_type" label="case.case_type" error={error("case_type")}>
                <select id="case_type" onchange={edit(|f, e| f.case_type = CaseType::parse(&value_of(e)))}
                    aria-invalid={case_type_invalid} aria-describedby={case_type_described}>
                    <option value="" selected={form.case_type.is_none()}>{ i18n.t("client.choose") }</option>
                    { for CaseType::ALL.iter().map(|t| html! {
                        <option value={t.as_str()} selected={form.case_type == Some(*t)}>{ i18n.code("case_type", t.as_str()) }</option>
                    }) }
                </select>
            </FormField>
            <FormField id="referral_source" label="case.referral_source" error={error("referral_source")}>
                <select id="referral_source" onchange={edit(|f, e| f.referral_source = ReferralSource::parse(&value_of(e)))}
                    aria-invalid={source_invalid} aria-describedby={source_described}>
                    <option value="" selected={form.referral_source.is_none()}>{ i18n.t("client.choose") }</option>
                    { for ReferralSource::ALL.iter().map(|s| html! {
                        <option value={s.as_str()} selected={form.referral_source == Some(*s)}>{ i18n.code("referral_source", s.as_str()) }</option>
                    }) }
                </select>
            </FormField>
            <TermChoice prefix="nature" field="nature_codes" legend="case.natures"
                chosen={form.nature_codes.clone()} on_change={natures_changed} error={error("nature_codes")} />
            <FormField id="state" label="case.first_state" error={error("state")}>
                <select id="state" onchange={edit(|f, e| f.state = CaseState::parse(&value_of(e)))}
                    aria-invalid={state_invalid} aria-describedby={state_described}>
                    { for [CaseState::Enquiry, CaseState::Waiting, CaseState::Open].iter().map(|s| html! {
                        <option value={s.as_str()} selected={form.state == Some(*s)}>{ i18n.code("case_state", s.as_str()) }</option>
                    }) }
                </select>
            </FormField>
            <FormField id="effective_on" label="case.effective_on" error={error("effective_on")}>
                <input id="effective_on" type="date"
                    value={form.effective_on.map(|d| d.to_string()).unwrap_or_default()}
                    onchange={edit(|f, e| f.effective_on = NaiveDate::parse_from_str(&value_of(e), "%Y-%m-%d").ok())}
                    aria-invalid={date_invalid} aria-describedby={date_described} />
            </FormField>
            <div class="field checkbox">
                <input id="sensitive" type="checkbox" checked={form.sensitive}
                    onchange={edit(|f, e| f.sensitive = checked(e))} />
                <label for="sensitive">{ i18n.t("case.sensitive_hint") }</label>
            </div>
        </>
    }
}
