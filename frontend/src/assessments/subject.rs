//! Whose answers, which instrument, which stage: the fields that administering an
//! assessment and sending a link for one both ask.

use common::assessments::{InstrumentSummary, Stage};
use common::cases::CasePerson;
use common::error::ErrorBody;
use yew::prelude::*;

use crate::api::{use_get, Load};
use crate::cases::person_name;
use crate::form::{error_attrs, field_error, value_of, FormField};
use crate::i18n::use_i18n;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Subject {
    pub client_id: String,
    pub instrument: String,
    pub stage: Option<Stage>,
}

#[derive(Properties, PartialEq)]
pub struct SubjectProps {
    /// The fields' ids start with it and a hyphen (`assessment-client`).
    pub prefix: &'static str,
    pub people: Vec<CasePerson>,
    pub subject: Subject,
    pub errors: Option<ErrorBody>,
    pub on_change: Callback<Subject>,
}

#[function_component]
pub fn SubjectFields(props: &SubjectProps) -> Html {
    let i18n = use_i18n();
    let instruments = use_get::<Vec<InstrumentSummary>>("/api/instruments".to_owned(), 0);
    let subject = &props.subject;
    let edit = |apply: fn(&mut Subject, String)| {
        let (subject, on_change) = (subject.clone(), props.on_change.clone());
        Callback::from(move |event: Event| {
            let mut next = subject.clone();
            apply(&mut next, value_of(&event));
            on_change.emit(next);
        })
    };
    let field = |name: &str, api_field: &str| {
        let id = format!("{}-{name}", props.prefix);
        let error = field_error(&props.errors, api_field);
        let (invalid, described) = error_attrs(&id, error.as_ref());
        (id, error, invalid, described)
    };
    let (client_id, client_error, client_invalid, client_described) = field("client", "client_id");
    let (instrument_id, instrument_error, instrument_invalid, instrument_described) =
        field("instrument", "instrument");
    let (stage_id, stage_error, stage_invalid, stage_described) = field("stage", "stage");
    html! {
        <>
            <FormField id={client_id.clone()} label="assessment.person" error={client_error}>
                <select id={client_id} onchange={edit(|s, v| s.client_id = v)}
                    aria-invalid={client_invalid} aria-describedby={client_described}>
                    <option value="" selected={subject.client_id.is_empty()}>{ i18n.t("client.choose") }</option>
                    { for props.people.iter().map(|p| html! {
                        <option value={p.id.clone()} selected={subject.client_id == p.id}>{ person_name(p) }</option>
                    }) }
                </select>
            </FormField>
            <FormField id={instrument_id.clone()} label="assessment.instrument" error={instrument_error}>
                <select id={instrument_id} onchange={edit(|s, v| s.instrument = v)}
                    aria-invalid={instrument_invalid} aria-describedby={instrument_described}>
                    <option value="" selected={subject.instrument.is_empty()}>{ i18n.t("client.choose") }</option>
                    if let Load::Ready(instruments) = &*instruments {
                        { for instruments.iter().map(|i| html! {
                            <option value={i.code.clone()} selected={subject.instrument == i.code}>
                                { i18n.pick(&i.name_zh, &i.name_en).to_owned() }
                            </option>
                        }) }
                    }
                </select>
            </FormField>
            <FormField id={stage_id.clone()} label="assessment.stage" error={stage_error}>
                <select id={stage_id} onchange={edit(|s, v| s.stage = Stage::parse(&v))}
                    aria-invalid={stage_invalid} aria-describedby={stage_described}>
                    <option value="" selected={subject.stage.is_none()}>{ i18n.t("client.choose") }</option>
                    { for Stage::ALL.iter().map(|s| html! {
                        <option value={s.as_str()} selected={subject.stage == Some(*s)}>{ i18n.code("stage", s.as_str()) }</option>
                    }) }
                </select>
            </FormField>
        </>
    }
}
