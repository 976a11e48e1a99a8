//! Mandatory reporting of child abuse (Cap. 650): a case's concerns about its children,
//! recorded and decided on the case page, and those waiting for a decision on the home
//! page (the supervisor's, once they have waited too long).

use chrono::{NaiveDateTime, TimeDelta, Utc};
use common::cases::CasePerson;
use common::child_protection::{
    Concern, ConcernForm, DecisionForm, HarmLevel, HarmType, ProtectionDecision, ReportedTo,
};
use common::error::ErrorBody;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{encode, use_get, Load};
use crate::app::Route;
use crate::cases::hong_kong;
use crate::form::{
    checked, date_of, error_attrs, field_error, form_alert, submit, value_of, FormField,
};
use crate::i18n::{use_i18n, I18n};
use crate::identity::use_session;

fn person(i18n: I18n, p: &CasePerson) -> String {
    i18n.pick(&p.name_zh, &p.name_en).to_owned()
}

#[derive(Properties, PartialEq)]
pub struct CaseConcernsProps {
    pub case_id: String,
    /// Whether the user may record concerns on this case (it is theirs and not closed).
    pub may_record: bool,
    pub people: Vec<CasePerson>,
}

#[function_component]
pub fn CaseConcerns(props: &CaseConcernsProps) -> Html {
    let i18n = use_i18n();
    let generation = use_state(|| 0u32);
    let found = use_get::<Vec<Concern>>(
        format!("/api/cases/{}/child-protection", encode(&props.case_id)),
        *generation,
    );
    let reload = {
        let generation = generation.clone();
        Callback::from(move |()| generation.set(generation.wrapping_add(1)))
    };
    html! {
        <section aria-labelledby="protection-title" id="child-protection">
            <h2 id="protection-title">{ i18n.t("protection.title") }</h2>
            <p class="hint">{ i18n.t("protection.hint") }</p>
            { match &*found {
                Load::Loading => html! { <p role="status">{ i18n.t("app.loading") }</p> },
                // Who reads the case but not its narrative sees no concerns.
                Load::Failed(_) => html! {},
                Load::Ready(list) if list.is_empty() => html! { <p>{ i18n.t("protection.none") }</p> },
                Load::Ready(list) => html! {
                    <ul class="concerns">
                        { for list.iter().map(|c| html! {
                            <ConcernLine key={c.id.clone()} concern={c.clone()} on_done={reload.clone()} />
                        }) }
                    </ul>
                },
            } }
            if props.may_record {
                <RecordConcern case_id={props.case_id.clone()} people={props.people.clone()} on_done={reload} />
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ConcernLineProps {
    concern: Concern,
    on_done: Callback<()>,
}

#[function_component]
fn ConcernLine(props: &ConcernLineProps) -> Html {
    let i18n = use_i18n();
    let c = &props.concern;
    let harms: Vec<&str> = c
        .harm_types
        .iter()
        .map(|h| i18n.code("harm_type", h.as_str()))
        .collect();
    html! {
        <li class={classes!("concern", c.escalated.then_some("escalated"))}>
            <p>
                <strong>{ person(i18n, &c.child) }</strong>
                { format!(" · {} · {}", harms.join("、"), i18n.code("harm_level", c.harm_level.as_str())) }
                { format!(" · {} {}", i18n.t("protection.identified_on"), c.identified_on) }
            </p>
            <p>{ c.grounds.clone() }</p>
            <p class="hint">
                { match &c.reporter {
                    Some(reporter) => i18n.tf("protection.reported_by", &[("name", &reporter.display_name)]),
                    None => i18n.t("protection.reporter_withheld").to_owned(),
                } }
                { format!(" · {}", hong_kong(c.recorded_at)) }
            </p>
            { match c.decision {
                Some(decision) => html! {
                    <p class="decision">
                        <strong>{ i18n.code("protection_decision", decision.as_str()) }</strong>
                        if let (Some(to), Some(at), Some(reference)) = (c.reported_to, c.reported_at, &c.reference_number) {
                            { format!(" · {} · {} · {}", i18n.code("reported_to", to.as_str()), hong_kong(at), reference) }
                        }
                        { format!(" · {}", c.reasons.clone().unwrap_or_default()) }
                    </p>
                },
                None => html! {
                    <>
                        <p class={classes!("hint", c.escalated.then_some("alert"))}>
                            { if c.escalated { i18n.t("protection.escalated") } else { i18n.t("protection.undecided") } }
                        </p>
                        if c.may_decide {
                            <Decide concern={c.clone()} on_done={props.on_done.clone()} />
                        }
                    </>
                },
            } }
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct RecordConcernProps {
    case_id: String,
    people: Vec<CasePerson>,
    on_done: Callback<()>,
}

#[function_component]
fn RecordConcern(props: &RecordConcernProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let form = use_state(ConcernForm::default);
    let errors = use_state(|| None::<ErrorBody>);
    let update = |apply: fn(&mut ConcernForm, &Event)| crate::form::edit(&form, apply);
    let toggle = |harm: HarmType| {
        let form = form.clone();
        Callback::from(move |event: Event| {
            let mut next = (*form).clone();
            next.harm_types.retain(|h| *h != harm);
            if checked(&event) {
                next.harm_types.push(harm);
            }
            form.set(next);
        })
    };
    let onsubmit = {
        let (form, errors, on_done, case_id) = (
            form.clone(),
            errors.clone(),
            props.on_done.clone(),
            props.case_id.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let (form_handle, on_done) = (form.clone(), on_done.clone());
            submit(
                api.clone(),
                false,
                format!("/api/cases/{}/child-protection", encode(&case_id)),
                (*form).clone(),
                errors.clone(),
                Callback::from(move |_: Concern| {
                    form_handle.set(ConcernForm::default());
                    on_done.emit(());
                }),
            );
        })
    };
    let child_error = field_error(&errors, "child_id");
    let (child_invalid, child_described) = error_attrs("concern-child", child_error.as_ref());
    let grounds_error = field_error(&errors, "grounds");
    let (grounds_invalid, grounds_described) =
        error_attrs("concern-grounds", grounds_error.as_ref());
    let harm_error = field_error(&errors, "harm_types");
    let level_error = field_error(&errors, "harm_level");
    html! {
        <form class="panel" {onsubmit} novalidate=true aria-labelledby="concern-form-title">
            <h3 id="concern-form-title">{ i18n.t("protection.record") }</h3>
            { form_alert(i18n, &errors) }
            <FormField id="concern-child" label="protection.child" error={child_error}>
                <select id="concern-child" onchange={update(|f, e| f.child_id = value_of(e))}
                    aria-invalid={child_invalid} aria-describedby={child_described}>
                    <option value="" selected={form.child_id.is_empty()}>{ i18n.t("protection.choose_child") }</option>
                    { for props.people.iter().map(|p| html! {
                        <option value={p.id.clone()} selected={form.child_id == p.id}>{ person(i18n, p) }</option>
                    }) }
                </select>
            </FormField>
            <fieldset aria-describedby={harm_error.as_ref().map(|_| "concern-harm-error")}>
                <legend>{ i18n.t("protection.harm_types") }</legend>
                { for HarmType::ALL.iter().map(|h| {
                    let id = format!("harm-{}", h.as_str());
                    html! {
                        <label for={id.clone()} class="check">
                            <input id={id} type="checkbox" checked={form.harm_types.contains(h)} onchange={toggle(*h)} />
                            { i18n.code("harm_type", h.as_str()) }
                        </label>
                    }
                }) }
                if let Some(error) = &harm_error {
                    <p id="concern-harm-error" class="field-error">{ i18n.field_error(error) }</p>
                }
            </fieldset>
            <fieldset aria-describedby={level_error.as_ref().map(|_| "concern-level-error")}>
                <legend>{ i18n.t("protection.harm_level") }</legend>
                { for HarmLevel::ALL.iter().map(|l| {
                    let id = format!("level-{}", l.as_str());
                    let level = *l;
                    let chosen = form.harm_level == Some(level);
                    let form = form.clone();
                    let onchange = Callback::from(move |_: Event| {
                        form.set(ConcernForm { harm_level: Some(level), ..(*form).clone() });
                    });
                    html! {
                        <label for={id.clone()} class="check">
                            <input id={id} type="radio" name="harm-level" checked={chosen} {onchange} />
                            { i18n.code("harm_level", l.as_str()) }
                        </label>
                    }
                }) }
                if let Some(error) = &level_error {
                    <p id="concern-level-error" class="field-error">{ i18n.field_error(error) }</p>
                }
            </fieldset>
            <FormField id="concern-grounds" label="protection.grounds" error={grounds_error}>
                <textarea id="concern-grounds" rows="4" maxlength="4000" value={form.grounds.clone()}
                    onchange={update(|f, e| f.grounds = value_of(e))}
                    aria-invalid={grounds_invalid} aria-describedby={grounds_described} />
            </FormField>
            <FormField id="concern-identified" label="protection.identified_on" error={field_error(&errors, "identified_on")}>
                <input id="concern-identified" type="date"
                    value={form.identified_on.map(|d| d.to_string()).unwrap_or_default()}
                    onchange={update(|f, e| f.identified_on = date_of(e))} />
            </FormField>
            <button type="submit" class="primary">{ i18n.t("protection.save") }</button>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct DecideProps {
    concern: Concern,
    on_done: Callback<()>,
}

/// A Hong Kong time typed into a datetime-local control, as UTC.
fn hong_kong_time(text: &str) -> Option<chrono::DateTime<Utc>> {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
        .ok()
        .map(|at| (at - TimeDelta::hours(8)).and_utc())
}

#[function_component]
fn Decide(props: &DecideProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let c = &props.concern;
    let form = use_state(|| DecisionForm {
        version: c.version,
        ..Default::default()
    });
    let errors = use_state(|| None::<ErrorBody>);
    let update = |apply: fn(&mut DecisionForm, &Event)| crate::form::edit(&form, apply);
    let onsubmit = {
        let (form, errors, on_done, id) = (
            form.clone(),
            errors.clone(),
            props.on_done.clone(),
            c.id.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let on_done = on_done.clone();
            submit(
                api.clone(),
                false,
                format!("/api/child-protection/{}/decision", encode(&id)),
                (*form).clone(),
                errors.clone(),
                Callback::from(move |_: Concern| on_done.emit(())),
            );
        })
    };
    let prefix = format!("decision-{}", c.id);
    let field = |name: &str| format!("{prefix}-{name}");
    let reasons_error = field_error(&errors, "reasons");
    let (reasons_invalid, reasons_described) =
        error_attrs(&field("reasons"), reasons_error.as_ref());
    let reporting = form.decision == Some(ProtectionDecision::Report);
    html! {
        <form class="inline decision-form" {onsubmit} novalidate=true>
            { form_alert(i18n, &errors) }
            <fieldset>
                <legend>{ i18n.t("protection.decision") }</legend>
                { for ProtectionDecision::ALL.iter().map(|d| {
                    let id = field(d.as_str());
                    let decision = *d;
                    let chosen = form.decision == Some(decision);
                    let form = form.clone();
                    let onchange = Callback::from(move |_: Event| {
                        form.set(DecisionForm { decision: Some(decision), ..(*form).clone() });
                    });
                    html! {
                        <label for={id.clone()} class="check">
                            <input id={id} type="radio" name={prefix.clone()} checked={chosen} {onchange} />
                            { i18n.code("protection_decision", d.as_str()) }
                        </label>
                    }
                }) }
                if let Some(error) = field_error(&errors, "decision") {
                    <p class="field-error">{ i18n.field_error(&error) }</p>
                }
            </fieldset>
            <FormField id={field("reasons")} label="protection.reasons" error={reasons_error}>
                <textarea id={field("reasons")} rows="3" maxlength="2000" value={form.reasons.clone()}
                    onchange={update(|f, e| f.reasons = value_of(e))}
                    aria-invalid={reasons_invalid} aria-describedby={reasons_described} />
            </FormField>
            if reporting {
                <FormField id={field("to")} label="protection.reported_to" error={field_error(&errors, "reported_to")}>
                    <select id={field("to")} onchange={update(|f, e| f.reported_to = ReportedTo::parse(&value_of(e)))}>
                        <option value="" selected={form.reported_to.is_none()}>{ i18n.t("protection.choose") }</option>
                        { for ReportedTo::ALL.iter().map(|t| html! {
                            <option value={t.as_str()} selected={form.reported_to == Some(*t)}>{ i18n.code("reported_to", t.as_str()) }</option>
                        }) }
                    </select>
                </FormField>
                <FormField id={field("at")} label="protection.reported_at" error={field_error(&errors, "reported_at")}>
                    <input id={field("at")} type="datetime-local"
                        onchange={update(|f, e| f.reported_at = hong_kong_time(&value_of(e)))} />
                </FormField>
                <FormField id={field("reference")} label="protection.reference" error={field_error(&errors, "reference_number")}>
                    <input id={field("reference")} type="text" maxlength="40" value={form.reference_number.clone()}
                        onchange={update(|f, e| f.reference_number = value_of(e))} />
                </FormField>
            }
            <button type="submit">{ i18n.t("protection.save_decision") }</button>
        </form>
    }
}

/// The concerns waiting for a decision, on the home page of those who work on cases.
#[function_component]
pub fn ProtectionQueue() -> Html {
    let i18n = use_i18n();
    let found = use_get::<Vec<Concern>>("/api/child-protection/awaiting".to_owned(), 0);
    let Load::Ready(list) = &*found else {
        return html! {};
    };
    if list.is_empty() {
        return html! {};
    }
    html! {
        <section class="panel" aria-labelledby="protection-queue-title" id="protection-queue">
            <h2 id="protection-queue-title">{ i18n.t("protection.awaiting") }</h2>
            <ul>
                { for list.iter().map(|c| html! {
                    <li class={classes!(c.escalated.then_some("escalated"))}>
                        <Link<Route> to={Route::CaseDetail { id: c.case_id.clone() }}>{ c.case_number.clone() }</Link<Route>>
                        { format!(" · {} · {}", person(i18n, &c.child), hong_kong(c.recorded_at)) }
                        if c.escalated {
                            <strong class="alert-flag">{ format!(" · {}", i18n.t("protection.escalated")) }</strong>
                        }
                    </li>
                }) }
            </ul>
        </section>
    }
}
