//! A case's referrals on its page: each one with its consent, sending and outcome, the
//! step it may take next (sending stays disabled, saying why, until consent is recorded),
//! and a form for a new referral out or in.

use common::error::ErrorBody;
use common::referrals::{
    ConsentForm, ConsentGiver, OutcomeForm, Referral, ReferralDirection, ReferralForm,
    ReferralStatus, SendForm, ServiceType,
};
use yew::prelude::*;

use crate::api::{encode, use_get, Load};
use crate::form::{date_of, error_attrs, field_error, form_alert, submit, value_of, FormField};
use crate::i18n::use_i18n;
use crate::identity::use_session;

#[derive(Properties, PartialEq)]
pub struct CaseReferralsProps {
    pub case_id: String,
    /// The user works on the case and it is not closed.
    pub may_change: bool,
}

#[function_component]
pub fn CaseReferrals(props: &CaseReferralsProps) -> Html {
    let i18n = use_i18n();
    let generation = use_state(|| 0u32);
    let referrals = use_get::<Vec<Referral>>(
        format!("/api/cases/{}/referrals", encode(&props.case_id)),
        *generation,
    );
    let notice = use_state(|| None::<&'static str>);
    let saved = {
        let (generation, notice) = (generation.clone(), notice.clone());
        Callback::from(move |message: &'static str| {
            notice.set(Some(message));
            generation.set(generation.wrapping_add(1));
        })
    };
    html! {
        <section aria-labelledby="referrals-title" id="case-referrals">
            <h2 id="referrals-title">{ i18n.t("referral.title") }</h2>
            <p role="status" class="notice">{ notice.map(|key| i18n.t(key)).unwrap_or_default() }</p>
            { match &*referrals {
                Load::Loading => html! { <p role="status">{ i18n.t("app.loading") }</p> },
                Load::Failed(error) => html! { <p role="alert" class="alert">{ i18n.error(error) }</p> },
                Load::Ready(list) if list.is_empty() => html! { <p>{ i18n.t("referral.none") }</p> },
                Load::Ready(list) => html! {
                    <ol class="notes" id="referral-list">
                        { for list.iter().map(|r| html! {
                            <ReferralItem key={r.id.clone()} referral={r.clone()} may_change={props.may_change}
                                on_saved={saved.clone()} />
                        }) }
                    </ol>
                },
            } }
            if props.may_change {
                <details class="panel">
                    <summary>{ i18n.t("referral.new") }</summary>
                    <NewReferral case_id={props.case_id.clone()} on_saved={saved.reform(|()| "referral.saved")} />
                </details>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ItemProps {
    referral: Referral,
    may_change: bool,
    on_saved: Callback<&'static str>,
}

#[function_component]
fn ReferralItem(props: &ItemProps) -> Html {
    let i18n = use_i18n();
    let r = &props.referral;
    let hidden = || i18n.t("referral.narrative_hidden").to_owned();
    let out = r.direction == ReferralDirection::Out;
    let may = |to: ReferralStatus| props.may_change && r.status.may_become(to, r.direction);
    let answers: Vec<ReferralStatus> = [
        ReferralStatus::Accepted,
        ReferralStatus::Declined,
        ReferralStatus::Closed,
    ]
    .into_iter()
    .filter(|to| may(*to))
    .collect();
    html! {
        <li class="note referral">
            <p class="note-head">
                <strong>{ r.agency_name.clone() }</strong>
                { format!(" · {} · {} · {}", i18n.code("referral_direction", r.direction.as_str()),
                    i18n.code("service_type", r.service_type.as_str()),
                    i18n.code("referral_status", r.status.as_str())) }
            </p>
            <dl class="details">
                <dt>{ i18n.t("referral.reason") }</dt>
                <dd class="narrative">{ r.reason.clone().unwrap_or_else(hidden) }</dd>
                if out {
                    <dt>{ i18n.t("referral.info_shared") }</dt>
                    <dd class="narrative">{ r.info_shared.clone().unwrap_or_else(hidden) }</dd>
                }
                if let Some(consent) = &r.consent {
                    <dt>{ i18n.t("referral.consent") }</dt>
                    <dd>{ i18n.tf("referral.consent_line", &[
                        ("name", &consent.consented_by_name),
                        ("who", i18n.code("consent_giver", consent.consented_by.as_str())),
                        ("date", &consent.consented_on.to_string()),
                        ("scope", &consent.consent_scope.clone().unwrap_or_else(hidden)),
                        ("recorder", &consent.recorded_by.display_name),
                    ]) }</dd>
                }
                if let Some(sent_on) = r.sent_on {
                    <dt>{ i18n.t("referral.sent_on") }</dt>
                    <dd>{ sent_on.to_string() }</dd>
                }
                if let Some(due) = r.follow_up_due {
                    <dt>{ i18n.t("referral.follow_up_due") }</dt>
                    <dd>{ due.to_string() }
                        if r.follow_up_overdue {
                            { " " }<strong class="overdue">{ i18n.t("referral.follow_up_overdue") }</strong>
                        }
                    </dd>
                }
                if let Some(outcome) = &r.outcome {
                    <dt>{ i18n.t("referral.outcome") }</dt>
                    <dd class="narrative">{ format!("{} ({})", outcome, r.outcome_on.map(|d| d.to_string()).unwrap_or_default()) }</dd>
                }
            </dl>
            // Keyed by version, so each step's form starts afresh from the referral as it is now.
            if may(ReferralStatus::Consented) {
                <ConsentEditor key={r.version.to_string()} referral={r.clone()} on_saved={props.on_saved.reform(|()| "referral.consent_saved")} />
            }
            // Sending is shown from the draft on, disabled until consent is recorded.
            if props.may_change && out && matches!(r.status, ReferralStatus::Draft | ReferralStatus::Consented) {
                <SendEditor key={r.version.to_string()} referral={r.clone()} on_saved={props.on_saved.reform(|()| "referral.sent")} />
            }
            if !answers.is_empty() {
                <OutcomeEditor key={r.version.to_string()} referral={r.clone()} choices={answers} on_saved={props.on_saved.reform(|()| "referral.outcome_saved")} />
            }
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct NewReferralProps {
    case_id: String,
    on_saved: Callback<()>,
}

#[function_component]
fn NewReferral(props: &NewReferralProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let form = use_state(|| ReferralForm {
        direction: Some(ReferralDirection::Out),
        ..ReferralForm::default()
    });
    let errors = use_state(|| None::<ErrorBody>);
    let round = use_state(|| 0u32);
    let onsubmit = {
        let (form, errors, round, on_saved) = (
            form.clone(),
            errors.clone(),
            round.clone(),
            props.on_saved.clone(),
        );
        let path = format!("/api/cases/{}/referrals", encode(&props.case_id));
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let (form_after, round, on_saved) = (form.clone(), round.clone(), on_saved.clone());
            let after = Callback::from(move |_: Referral| {
                form_after.set(ReferralForm {
                    direction: Some(ReferralDirection::Out),
                    ..ReferralForm::default()
                });
                round.set(round.wrapping_add(1));
                on_saved.emit(());
            });
            submit(
                api.clone(),
                false,
                path.clone(),
                (*form).clone(),
                errors.clone(),
                after,
            );
        })
    };
    let edit = |apply: fn(&mut ReferralForm, &Event)| crate::form::edit(&form, apply);
    let error = |field: &str| field_error(&errors, field);
    let attrs = |field: &str| error_attrs(&format!("referral-{field}"), error(field).as_ref());
    let (direction_invalid, direction_described) = attrs("direction");
    let (agency_invalid, agency_described) = attrs("agency_name");
    let (type_invalid, type_described) = attrs("service_type");
    let (reason_invalid, reason_described) = attrs("reason");
    let (info_invalid, info_described) = attrs("info_shared");
    let (due_invalid, due_described) = attrs("follow_up_due");
    let out = form.direction != Some(ReferralDirection::In);
    html! {
        <form id="new-referral" key={round.to_string()} {onsubmit} novalidate=true>
            { form_alert(i18n, &errors) }
            <FormField id="referral-direction" label="referral.direction" error={error("direction")}>
                <select id="referral-direction" onchange={edit(|f, e| {
                        f.direction = ReferralDirection::parse(&value_of(e));
                        // What leaves, and when to follow up, belong to one direction each.
                        f.info_shared.clear();
                        f.follow_up_due = None;
                    })}
                    aria-invalid={direction_invalid} aria-describedby={direction_described}>
                    { for ReferralDirection::ALL.iter().map(|d| html! {
                        <option value={d.as_str()} selected={form.direction == Some(*d)}>{ i18n.code("referral_direction", d.as_str()) }</option>
                    }) }
                </select>
            </FormField>
            <FormField id="referral-agency_name" label="referral.agency_name" error={error("agency_name")}>
                <input id="referral-agency_name" type="text" maxlength="200"
                    onchange={edit(|f, e| f.agency_name = value_of(e))}
                    aria-invalid={agency_invalid} aria-describedby={agency_described} />
            </FormField>
            <FormField id="referral-service_type" label="referral.service_type" error={error("service_type")}>
                <select id="referral-service_type" onchange={edit(|f, e| f.service_type = ServiceType::parse(&value_of(e)))}
                    aria-invalid={type_invalid} aria-describedby={type_described}>
                    <option value="" selected={form.service_type.is_none()}>{ i18n.t("client.choose") }</option>
                    { for ServiceType::ALL.iter().map(|t| html! {
                        <option value={t.as_str()} selected={form.service_type == Some(*t)}>{ i18n.code("service_type", t.as_str()) }</option>
                    }) }
                </select>
            </FormField>
            <FormField id="referral-reason" label="referral.reason" error={error("reason")}>
                <textarea id="referral-reason" rows="3" maxlength="4000"
                    onchange={edit(|f, e| f.reason = value_of(e))}
                    aria-invalid={reason_invalid} aria-describedby={reason_described} />
            </FormField>
            if out {
                <FormField id="referral-info_shared" label="referral.info_shared" error={error("info_shared")}>
                    <textarea id="referral-info_shared" rows="3" maxlength="4000"
                        onchange={edit(|f, e| f.info_shared = value_of(e))}
                        aria-invalid={info_invalid} aria-describedby={info_described} />
                </FormField>
            } else {
                <FormField id="referral-follow_up_due" label="referral.answer_by" error={error("follow_up_due")}>
                    <input id="referral-follow_up_due" type="date"
                        onchange={edit(|f, e| f.follow_up_due = date_of(e))}
                        aria-invalid={due_invalid} aria-describedby={due_described} />
                </FormField>
            }
            <button type="submit" class="primary">{ i18n.t("referral.save") }</button>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct StepProps {
    referral: Referral,
    on_saved: Callback<()>,
}

#[function_component]
fn ConsentEditor(props: &StepProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let form = use_state(ConsentForm::default);
    let errors = use_state(|| None::<ErrorBody>);
    let r = &props.referral;
    let onsubmit = {
        let (form, errors, on_saved) = (form.clone(), errors.clone(), props.on_saved.clone());
        let path = format!("/api/referrals/{}/consent", encode(&r.id));
        let version = r.version;
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let body = ConsentForm {
                version: Some(version),
                ..(*form).clone()
            };
            submit(
                api.clone(),
                false,
                path.clone(),
                body,
                errors.clone(),
                on_saved.reform(|_: Referral| ()),
            );
        })
    };
    let edit = |apply: fn(&mut ConsentForm, &Event)| crate::form::edit(&form, apply);
    let id = |field: &str| format!("consent-{}-{field}", r.id);
    let error = |field: &str| field_error(&errors, field);
    let (name_invalid, name_described) =
        error_attrs(&id("name"), error("consented_by_name").as_ref());
    let (who_invalid, who_described) = error_attrs(&id("who"), error("consented_by").as_ref());
    let (scope_invalid, scope_described) =
        error_attrs(&id("scope"), error("consent_scope").as_ref());
    let (on_invalid, on_described) = error_attrs(&id("on"), error("consented_on").as_ref());
    html! {
        <form class="consent-form" id={id("form")} {onsubmit} novalidate=true>
            <h3>{ i18n.t("referral.record_consent") }</h3>
            { form_alert(i18n, &errors) }
            <FormField id={id("name")} label="referral.consented_by_name" error={error("consented_by_name")}>
                <input id={id("name")} type="text" maxlength="100" onchange={edit(|f, e| f.consented_by_name = value_of(e))}
                    aria-invalid={name_invalid} aria-describedby={name_described} />
            </FormField>
            <FormField id={id("who")} label="referral.consented_by" error={error("consented_by")}>
                <select id={id("who")} onchange={edit(|f, e| f.consented_by = ConsentGiver::parse(&value_of(e)))}
                    aria-invalid={who_invalid} aria-describedby={who_described}>
                    <option value="" selected={form.consented_by.is_none()}>{ i18n.t("client.choose") }</option>
                    { for ConsentGiver::ALL.iter().map(|g| html! {
                        <option value={g.as_str()} selected={form.consented_by == Some(*g)}>{ i18n.code("consent_giver", g.as_str()) }</option>
                    }) }
                </select>
            </FormField>
            <FormField id={id("scope")} label="referral.consent_scope" error={error("consent_scope")}>
                <textarea id={id("scope")} rows="2" maxlength="1000" onchange={edit(|f, e| f.consent_scope = value_of(e))}
                    aria-invalid={scope_invalid} aria-describedby={scope_described} />
            </FormField>
            <FormField id={id("on")} label="referral.consented_on" error={error("consented_on")}>
                <input id={id("on")} type="date" onchange={edit(|f, e| f.consented_on = date_of(e))}
                    aria-invalid={on_invalid} aria-describedby={on_described} />
            </FormField>
            <button type="submit">{ i18n.t("referral.save_consent") }</button>
        </form>
    }
}

#[function_component]
fn SendEditor(props: &StepProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let form = use_state(SendForm::default);
    let errors = use_state(|| None::<ErrorBody>);
    let r = &props.referral;
    let consented = r.consent.is_some();
    let onsubmit = {
        let (form, errors, on_saved) = (form.clone(), errors.clone(), props.on_saved.clone());
        let path = format!("/api/referrals/{}/send", encode(&r.id));
        let version = r.version;
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let body = SendForm {
                version: Some(version),
                ..(*form).clone()
            };
            submit(
                api.clone(),
                false,
                path.clone(),
                body,
                errors.clone(),
                on_saved.reform(|_: Referral| ()),
            );
        })
    };
    let edit = |apply: fn(&mut SendForm, &Event)| crate::form::edit(&form, apply);
    let id = |field: &str| format!("send-{}-{field}", r.id);
    let error = |field: &str| field_error(&errors, field);
    let (on_invalid, on_described) = error_attrs(&id("sent_on"), error("sent_on").as_ref());
    let (due_invalid, due_described) = error_attrs(&id("due"), error("follow_up_due").as_ref());
    let why = id("why");
    html! {
        <form class="send-form" id={id("form")} {onsubmit} novalidate=true>
            <h3>{ i18n.t("referral.send") }</h3>
            { form_alert(i18n, &errors) }
            <FormField id={id("sent_on")} label="referral.sent_on_field" error={error("sent_on")}>
                <input id={id("sent_on")} type="date" disabled={!consented} onchange={edit(|f, e| f.sent_on = date_of(e))}
                    aria-invalid={on_invalid} aria-describedby={on_described} />
            </FormField>
            <FormField id={id("due")} label="referral.follow_up_due" error={error("follow_up_due")}>
                <input id={id("due")} type="date" disabled={!consented} onchange={edit(|f, e| f.follow_up_due = date_of(e))}
                    aria-invalid={due_invalid} aria-describedby={due_described} />
            </FormField>
            if !consented {
                <p id={why.clone()} class="hint">{ i18n.t("referral.consent_first") }</p>
            }
            <button type="submit" disabled={!consented}
                aria-describedby={(!consented).then(|| AttrValue::from(why))}>{ i18n.t("referral.send_submit") }</button>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct OutcomeProps {
    referral: Referral,
    /// The statuses the referral may move to from here.
    choices: Vec<ReferralStatus>,
    on_saved: Callback<()>,
}

#[function_component]
fn OutcomeEditor(props: &OutcomeProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let r = &props.referral;
    let form = use_state(|| OutcomeForm {
        status: props.choices.first().copied(),
        // Closing goes on from what was said when the referral was answered.
        outcome: r.outcome.clone().unwrap_or_default(),
        ..OutcomeForm::default()
    });
    let errors = use_state(|| None::<ErrorBody>);
    let onsubmit = {
        let (form, errors, on_saved) = (form.clone(), errors.clone(), props.on_saved.clone());
        let path = format!("/api/referrals/{}/outcome", encode(&r.id));
        let version = r.version;
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let body = OutcomeForm {
                version: Some(version),
                ..(*form).clone()
            };
            submit(
                api.clone(),
                false,
                path.clone(),
                body,
                errors.clone(),
                on_saved.reform(|_: Referral| ()),
            );
        })
    };
    let edit = |apply: fn(&mut OutcomeForm, &Event)| crate::form::edit(&form, apply);
    let id = |field: &str| format!("outcome-{}-{field}", r.id);
    let error = |field: &str| field_error(&errors, field);
    let (status_invalid, status_described) = error_attrs(&id("status"), error("status").as_ref());
    let (text_invalid, text_described) = error_attrs(&id("text"), error("outcome").as_ref());
    let (on_invalid, on_described) = error_attrs(&id("on"), error("outcome_on").as_ref());
    html! {
        <form class="outcome-form" id={id("form")} {onsubmit} novalidate=true>
            <h3>{ i18n.t("referral.record_outcome") }</h3>
            { form_alert(i18n, &errors) }
            <FormField id={id("status")} label="referral.outcome_status" error={error("status")}>
                <select id={id("status")} onchange={edit(|f, e| f.status = ReferralStatus::parse(&value_of(e)))}
                    aria-invalid={status_invalid} aria-describedby={status_described}>
                    { for props.choices.iter().map(|s| html! {
                        <option value={s.as_str()} selected={form.status == Some(*s)}>{ i18n.code("referral_status", s.as_str()) }</option>
                    }) }
                </select>
            </FormField>
            <FormField id={id("text")} label="referral.outcome" error={error("outcome")}>
                <textarea id={id("text")} rows="2" maxlength="4000" value={form.outcome.clone()}
                    onchange={edit(|f, e| f.outcome = value_of(e))}
                    aria-invalid={text_invalid} aria-describedby={text_described} />
            </FormField>
            <FormField id={id("on")} label="referral.outcome_on" error={error("outcome_on")}>
                <input id={id("on")} type="date" onchange={edit(|f, e| f.outcome_on = date_of(e))}
                    aria-invalid={on_invalid} aria-describedby={on_described} />
            </FormField>
            <button type="submit">{ i18n.t("referral.save_outcome") }</button>
        </form>
    }
}
