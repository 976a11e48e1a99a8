//! One form registers a new client and edits an existing one. While a new client is
//! typed, the clients who may be the same person are shown, and registering waits until
//! the user opens one or says none of them is. Promoting an enquiry uses the same form,
//! prefilled from the enquiry, with the case's fields inside and its own submission.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::rc::Rc;

use chrono::NaiveDate;
use common::clients::{parse_phone, Client, ClientForm, ClientMatches, MatchCandidate, Sex};
use common::districts::District;
use common::error::{ErrorBody, FieldError};
use common::hkid::Hkid;
use common::person::{age_on, Disability, Ethnicity, Language};
use gloo_timers::callback::Timeout;
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;
use yew_router::prelude::*;

use super::hong_kong_today;
use crate::api::{encode, with_query};
use crate::app::{focus, Route};
use crate::i18n::{use_i18n, use_title};
use crate::identity::use_session;

/// The form's fields; `id` is both the API's field name and the input's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    NameZh,
    NameEn,
    Sex,
    DateOfBirth,
    Age,
    Phone,
    District,
    Hkid,
    Ethnicity,
    PreferredLanguage,
    ArrivedOn,
    School,
    Disabilities,
}

impl Field {
    /// In the order they appear, which is the order errors are focused in.
    const ALL: [Field; 13] = [
        Field::NameZh,
        Field::NameEn,
        Field::Sex,
        Field::DateOfBirth,
        Field::Age,
        Field::Phone,
        Field::District,
        Field::Hkid,
        Field::Ethnicity,
        Field::PreferredLanguage,
        Field::ArrivedOn,
        Field::School,
        Field::Disabilities,
    ];

    fn id(self) -> &'static str {
        match self {
            Field::NameZh => "name_zh",
            Field::NameEn => "name_en",
            Field::Sex => "sex",
            Field::DateOfBirth => "date_of_birth",
            Field::Age => "age",
            Field::Phone => "phone",
            Field::District => "district",
            Field::Hkid => "hkid",
            Field::Ethnicity => "ethnicity",
            Field::PreferredLanguage => "preferred_language",
            Field::ArrivedOn => "arrived_on",
            Field::School => "school",
            Field::Disabilities => "disabilities",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Field::NameZh => "client.name_zh",
            Field::NameEn => "client.name_en",
            Field::Sex => "client.sex",
            Field::DateOfBirth => "client.date_of_birth",
            Field::Age => "client.age",
            Field::Phone => "client.phone",
            Field::District => "client.district",
            Field::Hkid => "client.hkid",
            Field::Ethnicity => "client.ethnicity",
            Field::PreferredLanguage => "client.preferred_language",
            Field::ArrivedOn => "client.arrived_on",
            Field::School => "client.school",
            Field::Disabilities => "client.disabilities",
        }
    }
}

/// What is typed, as typed: conversion to API types happens only on submit.
#[derive(Debug, Clone, Default, PartialEq)]
struct Values {
    name_zh: String,
    name_en: String,
    sex: String,
    date_of_birth: String,
    /// Typed instead of a date of birth that is not known.
    age: String,
    phone: String,
    district: String,
    /// Empty keeps the stored HKID when editing.
    hkid: String,
    remove_hkid: bool,
    ethnicity: String,
    preferred_language: String,
    arrived_on: String,
    school: String,
    disabilities: Vec<Disability>,
}

impl Values {
    fn of(client: &Client) -> Self {
        // An estimated birth is edited as the age it was estimated from.
        let (date_of_birth, age) = if client.date_of_birth_estimated {
            let age = age_on(client.date_of_birth, hong_kong_today());
            (String::new(), age.to_string())
        } else {
            (client.date_of_birth.to_string(), String::new())
        };
        Self {
            name_zh: client.name_zh.clone(),
            name_en: client.name_en.clone(),
            sex: client.sex.as_str().to_owned(),
            date_of_birth,
            age,
            phone: client.phone.clone(),
            district: code_of(client.district.map(District::code)),
            hkid: String::new(),
            remove_hkid: false,
            ethnicity: code_of(client.ethnicity.map(Ethnicity::as_str)),
            preferred_language: code_of(client.preferred_language.map(Language::as_str)),
            arrived_on: client.arrived_on.map(|d| d.to_string()).unwrap_or_default(),
            school: client.school.clone(),
            disabilities: client.disabilities.clone(),
        }
    }

    /// A registration started from what is known already (an enquiry's person).
    fn of_form(form: &ClientForm) -> Self {
        Self {
            name_zh: form.name_zh.clone(),
            name_en: form.name_en.clone(),
            sex: form.sex.map(Sex::as_str).unwrap_or_default().to_owned(),
            date_of_birth: form
                .date_of_birth
                .map(|d| d.to_string())
                .unwrap_or_default(),
            age: form.age.map(|a| a.to_string()).unwrap_or_default(),
            phone: form.phone.clone(),
            district: code_of(form.district.map(District::code)),
            hkid: form.hkid.clone().unwrap_or_default(),
            remove_hkid: false,
            ethnicity: code_of(form.ethnicity.map(Ethnicity::as_str)),
            preferred_language: code_of(form.preferred_language.map(Language::as_str)),
            arrived_on: form.arrived_on.map(|d| d.to_string()).unwrap_or_default(),
            school: form.school.clone(),
            disabilities: form.disabilities.clone(),
        }
    }

    fn get(&self, field: Field) -> &str {
        match field {
            Field::NameZh => &self.name_zh,
            Field::NameEn => &self.name_en,
            Field::Sex => &self.sex,
            Field::DateOfBirth => &self.date_of_birth,
            Field::Age => &self.age,
            Field::Phone => &self.phone,
            Field::District => &self.district,
            Field::Hkid => &self.hkid,
            Field::Ethnicity => &self.ethnicity,
            Field::PreferredLanguage => &self.preferred_language,
            Field::ArrivedOn => &self.arrived_on,
            Field::School => &self.school,
            Field::Disabilities => "",
        }
    }

    /// Where a typed value goes; the disabilities are ticked, not typed.
    fn slot(&mut self, field: Field) -> Option<&mut String> {
        Some(match field {
            Field::NameZh => &mut self.name_zh,
            Field::NameEn => &mut self.name_en,
            Field::Sex => &mut self.sex,
            Field::DateOfBirth => &mut self.date_of_birth,
            Field::Age => &mut self.age,
            Field::Phone => &mut self.phone,
            Field::District => &mut self.district,
            Field::Hkid => &mut self.hkid,
            Field::Ethnicity => &mut self.ethnicity,
            Field::PreferredLanguage => &mut self.preferred_language,
            Field::ArrivedOn => &mut self.arrived_on,
            Field::School => &mut self.school,
            Field::Disabilities => return None,
        })
    }

    /// What can find the same person registered before: only values complete enough to
    /// be valid, so half a phone number or HKID is not sent while it is typed.
    fn match_params(&self) -> Vec<(&'static str, String)> {
        let mut params = Vec::new();
        for (key, name) in [("name_zh", &self.name_zh), ("name_en", &self.name_en)] {
            if !name.trim().is_empty() {
                params.push((key, name.trim().to_owned()));
            }
        }
        if NaiveDate::parse_from_str(&self.date_of_birth, "%Y-%m-%d").is_ok() {
            params.push(("date_of_birth", self.date_of_birth.clone()));
        }
        if let Ok(phone) = parse_phone(&self.phone) {
            params.push(("phone", phone));
        }
        if Hkid::parse(&self.hkid).is_ok() {
            params.push(("hkid", self.hkid.trim().to_owned()));
        }
        params
    }

    fn to_form(&self, version: Option<i64>) -> ClientForm {
        let hkid = if self.remove_hkid {
            Some(String::new())
        } else {
            Some(self.hkid.trim().to_owned()).filter(|h| !h.is_empty())
        };
        // A date input gives `YYYY-MM-DD` or nothing.
        let date = |typed: &str| NaiveDate::parse_from_str(typed, "%Y-%m-%d").ok();
        ClientForm {
            name_zh: self.name_zh.clone(),
            name_en: self.name_en.clone(),
            sex: Sex::parse(&self.sex),
            date_of_birth: date(&self.date_of_birth),
            age: self.age.trim().parse().ok(),
            phone: self.phone.clone(),
            district: District::from_code(&self.district),
            hkid,
            ethnicity: Ethnicity::parse(&self.ethnicity),
            preferred_language: Language::parse(&self.preferred_language),
            disabilities: self.disabilities.clone(),
            arrived_on: date(&self.arrived_on),
            school: self.school.clone(),
            version,
        }
    }
}

/// A code as a select's value: empty for none chosen.
fn code_of(code: Option<&str>) -> String {
    code.unwrap_or_default().to_owned()
}

enum Change {
    Set(Field, String),
    RemoveHkid(bool),
    Disability(Disability, bool),
}

impl Reducible for Values {
    type Action = Change;

    fn reduce(self: Rc<Self>, change: Change) -> Rc<Self> {
        let mut values = (*self).clone();
        match change {
            Change::Set(field, value) => {
                if let Some(slot) = values.slot(field) {
                    *slot = value;
                }
            }
            Change::RemoveHkid(remove) => values.remove_hkid = remove,
            Change::Disability(disability, ticked) => {
                values.disabilities.retain(|d| *d != disability);
                if ticked {
                    values.disabilities.push(disability);
                }
            }
        }
        Rc::new(values)
    }
}

/// How long typing pauses before possible matches are looked up.
const MATCH_DELAY_MS: u32 = 300;

/// Sends a new registration somewhere else than `POST /api/clients` (with a promotion):
/// the form, and where to report the answer's errors if it fails.
pub type Submit = Callback<(ClientForm, Callback<ErrorBody>)>;

#[derive(Properties, PartialEq)]
pub struct ClientFormProps {
    /// The record being edited; `None` registers a new client.
    #[prop_or_default]
    pub client: Option<Rc<Client>>,
    /// What a new registration starts from.
    #[prop_or_default]
    pub prefill: Option<Rc<ClientForm>>,
    #[prop_or_default]
    pub on_saved: Callback<Client>,
    /// Takes the registration instead of the form saving it.
    #[prop_or_default]
    pub submit: Option<Submit>,
    /// Offered on each possible match: the user says it is the person, instead of
    /// registering them again.
    #[prop_or_default]
    pub on_same_person: Option<Callback<Client>>,
    /// Translation key of the submit button, when not the form's own.
    #[prop_or_default]
    pub submit_label: Option<&'static str>,
    /// More fields, submitted with the client's (a promotion's case).
    #[prop_or_default]
    pub children: Html,
    #[prop_or_default]
    pub on_cancel: Option<Callback<()>>,
    /// Offered after a version conflict to load what the other person saved.
    #[prop_or_default]
    pub on_reload: Option<Callback<()>>,
}

#[function_component]
pub fn ClientFormView(props: &ClientFormProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let values = use_reducer(|| match (&props.client, &props.prefill) {
        (Some(client), _) => Values::of(client),
        (None, Some(prefill)) => Values::of_form(prefill),
        (None, None) => Values::default(),
    });
    let errors = use_state(BTreeMap::<String, FieldError>::new);
    let failure = use_state(|| None::<ErrorBody>);
    let busy = use_state(|| false);
    // Bumped by each failed attempt, after which focus goes to the first invalid field.
    let attempt = use_state(|| 0u32);
    {
        let errors = errors.clone();
        use_effect_with(*attempt, move |_| {
            if let Some(field) = Field::ALL.iter().find(|f| errors.contains_key(f.id())) {
                focus(field.id());
            }
        });
    }

    // Possible matches of a new registration, and the ones the user said are someone else.
    let registering = props.client.is_none();
    let matches = use_state(|| None::<Rc<ClientMatches>>);
    let dismissed = use_state(Vec::<String>::new);
    {
        let (matches, api) = (matches.clone(), api.clone());
        let params = if registering {
            values.match_params()
        } else {
            Vec::new()
        };
        use_effect_with(params, move |params| {
            // An answer to a query typed over since is dropped.
            let current = Rc::new(Cell::new(true));
            let timer = if params.is_empty() {
                matches.set(None);
                None
            } else {
                let (params, current) = (params.clone(), current.clone());
                Some(Timeout::new(MATCH_DELAY_MS, move || {
                    spawn_local(async move {
                        let pairs: Vec<(&str, &str)> =
                            params.iter().map(|(k, v)| (*k, v.as_str())).collect();
                        let path = with_query("/api/clients/matches", &pairs);
                        // Matching only advises: when it fails, registering goes on without it.
                        let found = api.get::<ClientMatches>(&path).await.ok();
                        if current.get() {
                            matches.set(found.map(Rc::new));
                        }
                    });
                }))
            };
            move || {
                current.set(false);
                drop(timer);
            }
        });
    }
    let candidates: &[MatchCandidate] = matches.as_deref().map_or(&[], |m| &m.candidates);
    let all_dismissed = candidates.iter().all(|c| dismissed.contains(&c.client.id));
    let blocked = registering && !all_dismissed;

    let report = {
        let (errors, failure, attempt, busy) = (
            errors.clone(),
            failure.clone(),
            attempt.clone(),
            busy.clone(),
        );
        Callback::from(move |body: ErrorBody| {
            errors.set(body.fields.clone());
            failure.set(Some(body));
            attempt.set(attempt.wrapping_add(1));
            busy.set(false);
        })
    };

    let onsubmit = {
        let (values, busy, errors, failure) = (
            values.clone(),
            busy.clone(),
            errors.clone(),
            failure.clone(),
        );
        let (client, on_saved, submit) = (
            props.client.clone(),
            props.on_saved.clone(),
            props.submit.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *busy || blocked {
                return;
            }
            let form = values.to_form(client.as_ref().map(|c| c.version));
            // The shared rules catch most mistakes without a round trip; the API checks again.
            if let Err(invalid) = form.parse(hong_kong_today()) {
                report.emit(ErrorBody {
                    code: "validation_failed".to_owned(),
                    message: String::new(),
                    fields: invalid.0,
                });
                return;
            }
            busy.set(true);
            errors.set(BTreeMap::new());
            failure.set(None);
            if let Some(submit) = &submit {
                submit.emit((form, report.clone()));
                return;
            }
            let (api, client, on_saved, report, busy) = (
                api.clone(),
                client.clone(),
                on_saved.clone(),
                report.clone(),
                busy.clone(),
            );
            spawn_local(async move {
                let saved = match &client {
                    None => api.post::<Client>("/api/clients", &form).await,
                    Some(client) => {
                        let path = format!("/api/clients/{}", encode(&client.id));
                        api.put::<Client>(&path, &form).await
                    }
                };
                match saved {
                    Ok(client) => {
                        busy.set(false);
                        on_saved.emit(client);
                    }
                    Err(body) => report.emit(body),
                }
            });
        })
    };

    // aria-invalid and aria-describedby for a field's control.
    let invalid = |field: Field| errors.contains_key(field.id()).then_some("true");
    let hint = |field: Field| -> Option<String> {
        match field {
            Field::Phone => Some(i18n.t("client.phone_hint").to_owned()),
            Field::Age => Some(i18n.t("client.age_hint").to_owned()),
            Field::ArrivedOn => Some(i18n.t("client.arrived_on_hint").to_owned()),
            Field::School => Some(i18n.t("client.school_hint").to_owned()),
            Field::Hkid => Some(
                match props.client.as_ref().and_then(|c| c.hkid_masked.as_deref()) {
                    Some(masked) => i18n.tf("client.hkid_hint_edit", &[("masked", masked)]),
                    None => i18n.t("client.hkid_hint_new").to_owned(),
                },
            ),
            _ => None,
        }
    };
    let described_by = |field: Field| {
        let ids: Vec<String> = [
            hint(field).map(|_| format!("{}-hint", field.id())),
            errors
                .contains_key(field.id())
                .then(|| format!("{}-error", field.id())),
        ]
        .into_iter()
        .flatten()
        .collect();
        (!ids.is_empty()).then(|| ids.join(" "))
    };
    let row = |field: Field, control: Html, extra: Html| {
        let id = field.id();
        html! {
            <div class="field">
                <label for={id}>{ i18n.t(field.label()) }</label>
                if let Some(text) = hint(field) {
                    <p id={format!("{id}-hint")} class="hint">{ text }</p>
                }
                { control }
                if let Some(error) = errors.get(id) {
                    <p id={format!("{id}-error")} class="field-error">{ i18n.field_error(error) }</p>
                }
                { extra }
            </div>
        }
    };
    let on_text = |field: Field| {
        let values = values.dispatcher();
        Callback::from(move |event: InputEvent| {
            let value = event.target_unchecked_into::<HtmlInputElement>().value();
            values.dispatch(Change::Set(field, value));
        })
    };
    let on_select = |field: Field| {
        let values = values.dispatcher();
        Callback::from(move |event: Event| {
            let value = event.target_unchecked_into::<HtmlSelectElement>().value();
            values.dispatch(Change::Set(field, value));
        })
    };
    let text_input = |field: Field, autocomplete: &'static str, inputmode: &'static str| {
        html! {
            <input id={field.id()} name={field.id()} type="text" {autocomplete} {inputmode}
                value={values.get(field).to_owned()}
                oninput={on_text(field)}
                aria-invalid={invalid(field)} aria-describedby={described_by(field)} />
        }
    };

    let choose = html! { <option value="" selected={values.sex.is_empty()}>{ i18n.t("client.choose") }</option> };
    let sex = html! {
        <select id="sex" name="sex" onchange={on_select(Field::Sex)}
            aria-invalid={invalid(Field::Sex)} aria-describedby={described_by(Field::Sex)}>
            { choose }
            { for [Sex::F, Sex::M].into_iter().map(|s| html! {
                <option value={s.as_str()} selected={values.sex == s.as_str()}>{ i18n.sex(s) }</option>
            }) }
        </select>
    };
    // A list to choose one from, or none ("not recorded").
    let code_select = |field: Field, options: Vec<(&'static str, &'static str)>| {
        let chosen = values.get(field);
        html! {
            <select id={field.id()} name={field.id()} onchange={on_select(field)}
                aria-invalid={invalid(field)} aria-describedby={described_by(field)}>
                <option value="" selected={chosen.is_empty()}>{ i18n.t("client.choose") }</option>
                { for options.into_iter().map(|(code, name)| html! {
                    <option value={code} selected={chosen == code}>{ name }</option>
                }) }
            </select>
        }
    };
    let district = code_select(
        Field::District,
        District::ALL
            .into_iter()
            .map(|d| (d.code(), i18n.district(d)))
            .collect(),
    );
    let ethnicity = code_select(
        Field::Ethnicity,
        Ethnicity::ALL
            .iter()
            .map(|e| (e.as_str(), i18n.named(e.names())))
            .collect(),
    );
    let preferred_language = code_select(
        Field::PreferredLanguage,
        Language::ALL
            .iter()
            .map(|l| (l.as_str(), i18n.named(l.names())))
            .collect(),
    );
    let date_input = |field: Field| {
        html! {
            <input id={field.id()} name={field.id()} type="date" min="1900-01-01"
                max={hong_kong_today().to_string()} value={values.get(field).to_owned()}
                oninput={on_text(field)}
                aria-invalid={invalid(field)} aria-describedby={described_by(field)} />
        }
    };
    let age = html! {
        <input id="age" name="age" type="number" min="0" max="125" inputmode="numeric"
            value={values.age.clone()} oninput={on_text(Field::Age)}
            aria-invalid={invalid(Field::Age)} aria-describedby={described_by(Field::Age)} />
    };
    let disabilities = {
        let on_tick = |disability: Disability| {
            let values = values.dispatcher();
            Callback::from(move |event: Event| {
                let ticked = event.target_unchecked_into::<HtmlInputElement>().checked();
                values.dispatch(Change::Disability(disability, ticked));
            })
        };
        html! {
            <fieldset id="disabilities" class="checks" aria-describedby={described_by(Field::Disabilities)}>
                <legend>{ i18n.t("client.disabilities") }</legend>
                { for Disability::ALL.iter().map(|&d| {
                    let id = format!("disability-{}", d.as_str());
                    html! {
                        <div class="check">
                            <input id={id.clone()} type="checkbox" checked={values.disabilities.contains(&d)}
                                onchange={on_tick(d)} />
                            <label for={id}>{ i18n.named(d.names()) }</label>
                        </div>
                    }
                }) }
                if let Some(error) = errors.get("disabilities") {
                    <p id="disabilities-error" class="field-error">{ i18n.field_error(error) }</p>
                }
            </fieldset>
        }
    };
    let hkid = html! {
        <input id="hkid" name="hkid" type="text" autocomplete="off" spellcheck="false"
            placeholder={i18n.t("client.hkid_placeholder")} value={values.hkid.clone()}
            disabled={values.remove_hkid} oninput={on_text(Field::Hkid)}
            aria-invalid={invalid(Field::Hkid)} aria-describedby={described_by(Field::Hkid)} />
    };
    // Removing is offered only when there is something stored to remove.
    let remove_hkid = if props
        .client
        .as_ref()
        .is_some_and(|c| c.hkid_masked.is_some())
    {
        let values_for_change = values.dispatcher();
        let onchange = Callback::from(move |event: Event| {
            let checked = event.target_unchecked_into::<HtmlInputElement>().checked();
            values_for_change.dispatch(Change::RemoveHkid(checked));
        });
        html! {
            <div class="check">
                <input id="hkid_remove" type="checkbox" checked={values.remove_hkid} {onchange} />
                <label for="hkid_remove">{ i18n.t("client.hkid_remove") }</label>
            </div>
        }
    } else {
        Html::default()
    };

    let on_dismiss = {
        let dismissed = dismissed.clone();
        let shown: Vec<String> = candidates.iter().map(|c| c.client.id.clone()).collect();
        Callback::from(move |none_is_the_same: bool| {
            dismissed.set(if none_is_the_same {
                shown.clone()
            } else {
                Vec::new()
            });
        })
    };

    let editing = props.client.is_some();
    let submit_label = match (*busy, editing, props.submit_label) {
        (true, ..) => i18n.t("client.saving"),
        (false, _, Some(key)) => i18n.t(key),
        (false, true, None) => i18n.t("client.submit_edit"),
        (false, false, None) => i18n.t("client.submit_create"),
    };
    // Problems with anything the form has no field for are listed in the alert.
    let unplaced: Vec<String> = failure
        .iter()
        .flat_map(|body| &body.fields)
        .filter(|(name, _)| !Field::ALL.iter().any(|f| f.id() == name.as_str()))
        .map(|(_, error)| i18n.field_error(error))
        .collect();
    let conflict = failure
        .as_ref()
        .is_some_and(|f| f.code == "version_conflict");

    html! {
        <form class="stack client-form" {onsubmit} novalidate=true>
            if let Some(body) = &*failure {
                <div role="alert" class="alert">
                    <p>{ i18n.error(body) }</p>
                    if !unplaced.is_empty() {
                        <ul>{ for unplaced.iter().map(|text| html! { <li>{ text }</li> }) }</ul>
                    }
                    if let (true, Some(reload)) = (conflict, &props.on_reload) {
                        <button id="client-reload" type="button" onclick={reload.reform(|_: MouseEvent| ())}>
                            { i18n.t("client.reload") }
                        </button>
                    }
                </div>
            }
            <div class="grid">
                { row(Field::NameZh, text_input(Field::NameZh, "off", "text"), Html::default()) }
                { row(Field::NameEn, text_input(Field::NameEn, "off", "text"), Html::default()) }
                { row(Field::Sex, sex, Html::default()) }
                { row(Field::DateOfBirth, date_input(Field::DateOfBirth), Html::default()) }
                { row(Field::Age, age, Html::default()) }
                { row(Field::Phone, text_input(Field::Phone, "off", "tel"), Html::default()) }
                { row(Field::District, district, Html::default()) }
                { row(Field::Hkid, hkid, remove_hkid) }
                { row(Field::Ethnicity, ethnicity, Html::default()) }
                { row(Field::PreferredLanguage, preferred_language, Html::default()) }
                { row(Field::ArrivedOn, date_input(Field::ArrivedOn), Html::default()) }
                { row(Field::School, text_input(Field::School, "off", "text"), Html::default()) }
            </div>
            { disabilities }
            if registering {
                <MatchPanel candidates={candidates.to_vec()}
                    dismissed={all_dismissed && !candidates.is_empty()} on_dismiss={on_dismiss}
                    on_same_person={props.on_same_person.clone()} />
            }
            { props.children.clone() }
            <div class="actions">
                if blocked {
                    <p id="client-submit-hint" class="hint">{ i18n.t("match.confirm_first") }</p>
                }
                <button id="client-submit" type="submit" class="primary" aria-busy={busy.then_some("true")}
                    disabled={blocked} aria-describedby={blocked.then_some("client-submit-hint")}>
                    { submit_label }
                </button>
                if let Some(cancel) = &props.on_cancel {
                    <button type="button" onclick={cancel.reform(|_: MouseEvent| ())}>
                        { i18n.t("client.cancel") }
                    </button>
                }
            </div>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct MatchPanelProps {
    candidates: Vec<MatchCandidate>,
    /// The user said none of the candidates is the person being registered.
    dismissed: bool,
    on_dismiss: Callback<bool>,
    on_same_person: Option<Callback<Client>>,
}

/// The clients who may be the person being registered, with why, each a link to its
/// record. The live region is always there, so a screen reader hears candidates appear.
#[function_component]
fn MatchPanel(props: &MatchPanelProps) -> Html {
    let i18n = use_i18n();
    let candidates = &props.candidates;
    let onchange = props
        .on_dismiss
        .reform(|event: Event| event.target_unchecked_into::<HtmlInputElement>().checked());
    let item = |candidate: &MatchCandidate| {
        let client = &candidate.client;
        let name = [client.name_zh.as_str(), client.name_en.as_str()]
            .into_iter()
            .filter(|n| !n.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let reasons = candidate
            .reasons
            .iter()
            .map(|reason| {
                i18n.lookup(&format!("match.reason.{}", reason.as_str()))
                    .unwrap_or(reason.as_str())
            })
            .collect::<Vec<_>>()
            .join(i18n.t("match.reason_separator"));
        let percent = format!("{:.0}", candidate.score * 100.0);
        let hkid = client
            .hkid_masked
            .clone()
            .unwrap_or_else(|| i18n.t("client.hkid_none").to_owned());
        html! {
            <li>
                <p class="match-name">{ name.clone() }</p>
                <dl class="match-facts">
                    <dt>{ i18n.t("client.hkid") }</dt><dd>{ hkid }</dd>
                    <dt>{ i18n.t("client.date_of_birth") }</dt><dd>{ client.date_of_birth.to_string() }</dd>
                </dl>
                <p>{ i18n.tf("match.reasons", &[("reasons", &reasons)]) }
                    { " · " }{ i18n.tf("match.score", &[("percent", &percent)]) }</p>
                <Link<Route> to={Route::ClientDetail { id: client.id.clone() }}>
                    { i18n.tf("match.open", &[("name", &name)]) }
                </Link<Route>>
                if let Some(same) = &props.on_same_person {
                    <button type="button" id={format!("match-same-{}", client.id)}
                        onclick={same.reform({ let client = client.clone(); move |_: MouseEvent| client.clone() })}>
                        { i18n.tf("match.same_person", &[("name", &name)]) }
                    </button>
                }
            </li>
        }
    };
    html! {
        <section id="client-matches" class="matches" aria-live="polite"
            aria-labelledby={(!candidates.is_empty()).then_some("client-matches-title")}>
            if !candidates.is_empty() {
                <h2 id="client-matches-title">{ i18n.t("match.title") }</h2>
                <p class="hint">{ i18n.t("match.intro") }</p>
                <ul class="match-list">{ for candidates.iter().map(item) }</ul>
                <div class="check">
                    <input id="client-matches-none" type="checkbox" checked={props.dismissed} {onchange} />
                    <label for="client-matches-none">{ i18n.t("match.none_of_these") }</label>
                </div>
            }
        </section>
    }
}

/// Marks a detail page as reached right after registering, so it can say so.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct JustRegistered;

#[function_component]
pub fn NewClientPage() -> Html {
    use_title("client.new_title");
    let i18n = use_i18n();
    let navigator = use_navigator();
    let on_saved = {
        let navigator = navigator.clone();
        Callback::from(move |client: Client| {
            if let Some(navigator) = &navigator {
                navigator.push_with_state(&Route::ClientDetail { id: client.id }, JustRegistered);
            }
        })
    };
    let on_cancel = Callback::from(move |()| {
        if let Some(navigator) = &navigator {
            navigator.push(&Route::Clients);
        }
    });
    html! {
        <section>
            <h1>{ i18n.t("client.new_title") }</h1>
            <ClientFormView {on_saved} on_cancel={Some(on_cancel)} />
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hkid_empty_keeps_removal_sends_empty_and_a_value_replaces() {
        let mut values = Values::default();
        assert_eq!(values.to_form(Some(3)).hkid, None);
        values.hkid = " A123456(3) ".into();
        assert_eq!(values.to_form(Some(3)).hkid.as_deref(), Some("A123456(3)"));
        values.remove_hkid = true;
        assert_eq!(values.to_form(Some(3)).hkid.as_deref(), Some(""));
    }

    #[test]
    fn only_complete_values_look_for_matches() {
        let mut values = Values {
            name_en: " CHAN Tai Man ".into(),
            phone: "9123".into(),
            hkid: "A12345".into(),
            date_of_birth: String::new(),
            ..Values::default()
        };
        assert_eq!(
            values.match_params(),
            vec![("name_en", "CHAN Tai Man".to_owned())]
        );
        values.phone = "9123 4567".into();
        values.hkid = "a123456(3)".into();
        values.date_of_birth = "1980-05-01".into();
        let keys: Vec<&str> = values.match_params().iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, vec!["name_en", "date_of_birth", "phone", "hkid"]);
        assert!(Values::default().match_params().is_empty());
    }

    #[test]
    fn a_registration_starts_from_what_is_known() {
        let prefill = ClientForm {
            name_zh: "黃美儀".into(),
            sex: Some(Sex::F),
            phone: "98765432".into(),
            ..ClientForm::default()
        };
        let values = Values::of_form(&prefill);
        assert_eq!(values.to_form(None), prefill);
        assert_eq!(values.sex, "F");
        assert!(values.district.is_empty());
    }

    #[test]
    fn typed_values_become_api_types() {
        let values = Values {
            name_en: "CHAN Tai Man".into(),
            sex: "M".into(),
            date_of_birth: "1980-05-01".into(),
            phone: "9123 4567".into(),
            district: "F".into(),
            ..Values::default()
        };
        let form = values.to_form(None);
        assert_eq!(form.sex, Some(Sex::M));
        assert_eq!(form.district, Some(District::F));
        assert_eq!(form.date_of_birth, NaiveDate::from_ymd_opt(1980, 5, 1));
        assert_eq!(form.version, None);
        let today = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        assert!(form.parse(today).is_ok());
        let empty = Values::default().to_form(None).parse(today).unwrap_err().0;
        let ids: Vec<&str> = Field::ALL.iter().map(|f| f.id()).collect();
        assert!(empty.keys().all(|k| ids.contains(&k.as_str())), "{empty:?}");
    }
}
