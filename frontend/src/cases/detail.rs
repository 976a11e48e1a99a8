//! A case's page: what it is about, its people and history, and what the user may do
//! next: change its state, ask to close it, hand it over, or (a supervisor) decide on a
//! closure.

use std::rc::Rc;

use chrono::{NaiveDate, TimeDelta};
use common::cases::{
    CaseDetail, CaseState, ClosureForm, ClosureReason, Decision, DecisionForm, Pending,
    StateChangeForm,
};
use common::error::ErrorBody;
use common::identity::Permission;
use common::taxonomy::Vocabulary;
use serde::Serialize;
use yew::prelude::*;
use yew_router::prelude::*;

use super::notes::CaseNotes;
use super::person_name;
use super::plan::CasePlanSection;
use super::referrals::CaseReferrals;
use super::shares::CaseShares;
use super::transfer::TransferRequestForm;
use crate::activities::ClientActivities;
use crate::api::{encode, use_get, Api, Load};
use crate::app::Route;
use crate::assessments::{Assessments, AssessmentsOf};
use crate::child_protection::CaseConcerns;
use crate::form::{error_attrs, field_error, submit, value_of, FormField};
use crate::i18n::{use_i18n, use_title};
use crate::identity::use_session;
use crate::risk::CaseRiskPanel;
use crate::terms::use_terms;

#[derive(Properties, PartialEq)]
pub struct CaseDetailProps {
    pub id: String,
}

#[function_component]
pub fn CaseDetailPage(props: &CaseDetailProps) -> Html {
    use_title("case.detail_title");
    let i18n = use_i18n();
    let loaded = use_get::<CaseDetail>(format!("/api/cases/{}", encode(&props.id)), 0);
    let notice = use_state(|| None::<&'static str>);
    let back = html! {
        <p class="back"><Link<Route> to={Route::Cases}>{ i18n.t("case.back_to_list") }</Link<Route>></p>
    };
    let detail = match &*loaded {
        Load::Loading => return html! { <p role="status">{ i18n.t("app.loading") }</p> },
        Load::Failed(error) => {
            return html! { <section>{ back }<p role="alert" class="alert">{ i18n.error(error) }</p></section> }
        }
        Load::Ready(detail) => detail.clone(),
    };
    let on_changed = {
        let (loaded, notice) = (loaded.clone(), notice.clone());
        Callback::from(move |(changed, message): (CaseDetail, &'static str)| {
            loaded.set(Load::Ready(Rc::new(changed)));
            notice.set(Some(message));
        })
    };
    let case = &detail.case;
    let running = detail.may_edit && case.state != CaseState::Closed;
    html! {
        <section>
            { back }
            <div class="page-head">
                <h1>{ i18n.tf("case.heading", &[("number", &case.case_number), ("client", &person_name(&case.client))]) }</h1>
            </div>
            <p role="status" class="notice" id="case-notice">{ notice.map(|key| i18n.t(key)).unwrap_or_default() }</p>
            <CaseSummaryView detail={detail.clone()} />
            <CaseRiskPanel case_id={case.id.clone()} />
            <CaseActions detail={detail.clone()} {on_changed} />
            <CasePlanSection case_id={case.id.clone()} may_change={running} />
            <CaseReferrals case_id={case.id.clone()} may_change={running} />
            <CaseNotes case_id={case.id.clone()} may_edit={detail.may_edit}
                people={std::iter::once(case.client.clone()).chain(detail.members.iter().cloned()).collect::<Vec<_>>()} />
            <ClientActivities client_id={case.client.id.clone()} />
            <Assessments of={AssessmentsOf::Case(case.id.clone())} may_administer={running}
                people={std::iter::once(case.client.clone()).chain(detail.members.iter().cloned()).collect::<Vec<_>>()} />
            <CaseConcerns case_id={case.id.clone()} may_record={running}
                people={std::iter::once(case.client.clone()).chain(detail.members.iter().cloned()).collect::<Vec<_>>()} />
            <CaseHistory detail={detail.clone()} />
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct DetailProps {
    detail: Rc<CaseDetail>,
}

#[function_component]
fn CaseSummaryView(props: &DetailProps) -> Html {
    let i18n = use_i18n();
    let detail = &props.detail;
    let case = &detail.case;
    let taxonomy = use_terms(Vocabulary::CaseNatures);
    let nature_name = |code: &String| match &*taxonomy {
        Load::Ready(natures) => natures.iter().find(|n| &n.code == code).map_or_else(
            || code.clone(),
            |n| i18n.pick(&n.name_zh, &n.name_en).to_owned(),
        ),
        _ => code.clone(),
    };
    let state = match case.pending {
        Some(Pending::Closure) => format!(
            "{} ({})",
            i18n.code("case_state", case.state.as_str()),
            i18n.t("pending.closure")
        ),
        Some(Pending::Transfer) => format!(
            "{} ({})",
            i18n.code("case_state", case.state.as_str()),
            i18n.t("pending.transfer")
        ),
        None => i18n.code("case_state", case.state.as_str()).to_owned(),
    };
    let co_workers = detail
        .co_workers
        .iter()
        .map(|w| w.display_name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    html! {
        <div id="case-summary">
            <dl class="details">
                <dt>{ i18n.t("case.state") }</dt>
                <dd id="case-state">{ state }</dd>
                <dt>{ i18n.t("case.state_since") }</dt>
                <dd>{ case.state_since.to_string() }</dd>
                <dt>{ i18n.t("case.client") }</dt>
                <dd><Link<Route> to={Route::ClientDetail { id: case.client.id.clone() }}>{ person_name(&case.client) }</Link<Route>></dd>
                <dt>{ i18n.t("case.members") }</dt>
                <dd>
                    if detail.members.is_empty() { { i18n.t("client.empty") } }
                    { for detail.members.iter().map(|m| html! {
                        <><Link<Route> to={Route::ClientDetail { id: m.id.clone() }}>{ person_name(m) }</Link<Route>>{ " " }</>
                    }) }
                </dd>
                <dt>{ i18n.t("case.case_type") }</dt>
                <dd>{ i18n.code("case_type", case.case_type.as_str()) }</dd>
                <dt>{ i18n.t("case.referral_source") }</dt>
                <dd>{ i18n.code("referral_source", case.referral_source.as_str()) }</dd>
                <dt>{ i18n.t("case.natures") }</dt>
                <dd>{ for case.nature_codes.iter().map(|code| html! { <span class="tag">{ nature_name(code) }</span> }) }</dd>
                <dt>{ i18n.t("case.responsible_worker") }</dt>
                <dd>{ case.responsible_worker.display_name.clone() }</dd>
                <dt>{ i18n.t("case.co_workers") }</dt>
                <dd>{ if co_workers.is_empty() { i18n.t("client.empty").to_owned() } else { co_workers } }</dd>
                if !detail.shared_with.is_empty() {
                    <dt>{ i18n.t("case.shared_with") }</dt>
                    <dd>{ detail.shared_with.iter().map(|w| w.display_name.as_str()).collect::<Vec<_>>().join(", ") }</dd>
                }
                <dt>{ i18n.t("case.unit") }</dt>
                <dd>{ i18n.unit(case.unit) }</dd>
                if case.sensitive {
                    <dt>{ i18n.t("case.sensitive") }</dt>
                    <dd>{ i18n.t("case.sensitive_yes") }</dd>
                }
                if let Some(reason) = detail.closure_reason {
                    <dt>{ i18n.t("case.closure_reason") }</dt>
                    <dd>{ i18n.code("closure_reason", reason.as_str()) }</dd>
                }
            </dl>
            if let Some(request) = &detail.closure_request {
                <section class="panel" aria-labelledby="closure-title">
                    <h2 id="closure-title">{ i18n.t("case.closure_request") }</h2>
                    <dl class="details">
                        <dt>{ i18n.t("case.closure_reason") }</dt>
                        <dd>{ i18n.code("closure_reason", request.closure_reason.as_str()) }</dd>
                        <dt>{ i18n.t("case.closed_on") }</dt>
                        <dd>{ request.closed_on.to_string() }</dd>
                        <dt>{ i18n.t("case.requested_by") }</dt>
                        <dd>{ request.requested_by.display_name.clone() }</dd>
                        <dt>{ i18n.t("case.decision") }</dt>
                        <dd id="closure-decision">{ match request.decision {
                            Some(decision) => i18n.code("decision", decision.as_str()).to_owned(),
                            None => i18n.t("pending.closure").to_owned(),
                        } }</dd>
                        if let Some(comment) = &request.decision_comment {
                            <dt>{ i18n.t("case.decision_comment") }</dt>
                            <dd>{ comment.clone() }</dd>
                        }
                    </dl>
                    <p class="narrative">{ request.closing_summary.clone() }</p>
                </section>
            }
        </div>
    }
}

#[function_component]
fn CaseHistory(props: &DetailProps) -> Html {
    let i18n = use_i18n();
    html! {
        <section aria-labelledby="history-title">
            <h2 id="history-title">{ i18n.t("case.history") }</h2>
            <div class="table-wrap" role="region" tabindex="0" aria-labelledby="history-title">
                <table class="data" id="case-history">
                    <thead><tr>
                        <th scope="col">{ i18n.t("case.effective_on") }</th>
                        <th scope="col">{ i18n.t("case.event") }</th>
                        <th scope="col">{ i18n.t("case.state") }</th>
                        <th scope="col">{ i18n.t("case.responsible_worker") }</th>
                        <th scope="col">{ i18n.t("case.recorded") }</th>
                    </tr></thead>
                    <tbody>
                        { for props.detail.events.iter().map(|event| html! {
                            <tr>
                                <td>{ event.effective_on.to_string() }</td>
                                <td>{ i18n.code("case_event", event.kind.as_str()) }</td>
                                <td>{ i18n.code("case_state", event.state.as_str()) }</td>
                                <td>{ event.worker.display_name.clone() }</td>
                                <td>{ format!("{} {}", (event.recorded_at + TimeDelta::hours(8)).format("%Y-%m-%d %H:%M"), event.actor.display_name) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ActionsProps {
    detail: Rc<CaseDetail>,
    on_changed: Callback<(CaseDetail, &'static str)>,
}

/// Posts a case action and hands the changed case on with the message to show.
pub(super) fn send_action<B: Serialize + 'static>(
    api: Api,
    path: String,
    body: B,
    errors: UseStateHandle<Option<ErrorBody>>,
    on_changed: Callback<(CaseDetail, &'static str)>,
    message: &'static str,
) {
    submit(
        api,
        false,
        path,
        body,
        errors,
        on_changed.reform(move |changed: CaseDetail| (changed, message)),
    );
}

#[function_component]
fn CaseActions(props: &ActionsProps) -> Html {
    let session = use_session();
    let detail = &props.detail;
    let case = &detail.case;
    let moves: Vec<CaseState> = [CaseState::Waiting, CaseState::Open]
        .into_iter()
        .filter(|to| case.state.move_to(*to).is_some())
        .collect();
    let free = detail.may_edit && case.pending.is_none();
    let decides = session.can(Permission::SuperviseCases)
        && detail.may_edit
        && case.pending == Some(Pending::Closure);
    html! {
        <>
            if free && !moves.is_empty() {
                <StateChange detail={detail.clone()} moves={moves} on_changed={props.on_changed.clone()} />
            }
            if free && case.state.may_close() {
                <ClosureRequestForm detail={detail.clone()} on_changed={props.on_changed.clone()} />
            }
            if free && case.state != CaseState::Closed {
                <TransferRequestForm detail={detail.clone()} on_changed={props.on_changed.clone()} />
            }
            if session.can(Permission::SuperviseCases) && detail.may_edit {
                <CaseShares detail={detail.clone()} on_changed={props.on_changed.clone()} />
            }
            if decides {
                <ClosureDecision detail={detail.clone()} on_changed={props.on_changed.clone()} />
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct StateChangeProps {
    detail: Rc<CaseDetail>,
    moves: Vec<CaseState>,
    on_changed: Callback<(CaseDetail, &'static str)>,
}

#[function_component]
fn StateChange(props: &StateChangeProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let case = &props.detail.case;
    let form = use_state(|| StateChangeForm {
        to: props.moves.first().copied(),
        version: Some(case.version),
        ..StateChangeForm::default()
    });
    let errors = use_state(|| None::<ErrorBody>);
    let reactivating = case.state == CaseState::Closed;
    let onsubmit = {
        let (form, errors, on_changed) = (form.clone(), errors.clone(), props.on_changed.clone());
        let path = format!("/api/cases/{}/state", encode(&case.id));
        let version = case.version;
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let body = StateChangeForm {
                version: Some(version),
                ..(*form).clone()
            };
            send_action(
                api.clone(),
                path.clone(),
                body,
                errors.clone(),
                on_changed.clone(),
                "case.state_changed",
            );
        })
    };
    let edit = |apply: fn(&mut StateChangeForm, String)| crate::form::edit_value(&form, apply);
    let error = |field: &str| field_error(&errors, field);
    let (date_invalid, date_described) =
        error_attrs("state-effective_on", error("effective_on").as_ref());
    let (reason_invalid, reason_described) = error_attrs("state-reason", error("reason").as_ref());
    html! {
        <section class="panel" aria-labelledby="state-title">
            <h2 id="state-title">{ i18n.t(if reactivating { "case.reactivate_title" } else { "case.state_title" }) }</h2>
            if let Some(error) = errors.as_ref().filter(|e| e.fields.is_empty() || e.fields.contains_key("to")) {
                <p role="alert" class="alert">{ i18n.error(error) }</p>
            }
            <form id="state-change" {onsubmit} novalidate=true>
                <FormField id="state-to" label="case.move_to">
                    <select id="state-to" onchange={edit(|f, v| f.to = CaseState::parse(&v))}>
                        { for props.moves.iter().map(|s| html! {
                            <option value={s.as_str()} selected={form.to == Some(*s)}>{ i18n.code("case_state", s.as_str()) }</option>
                        }) }
                    </select>
                </FormField>
                <FormField id="state-effective_on" label="case.effective_on" error={error("effective_on")}>
                    <input id="state-effective_on" type="date"
                        onchange={edit(|f, v| f.effective_on = NaiveDate::parse_from_str(&v, "%Y-%m-%d").ok())}
                        aria-invalid={date_invalid} aria-describedby={date_described} />
                </FormField>
                <FormField id="state-reason" label={if reactivating { "case.reactivation_reason" } else { "case.reason_optional" }} error={error("reason")}>
                    <input id="state-reason" type="text" maxlength="500"
                        onchange={edit(|f, v| f.reason = Some(v))}
                        aria-invalid={reason_invalid} aria-describedby={reason_described} />
                </FormField>
                <button type="submit">{ i18n.t("case.state_submit") }</button>
            </form>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct FormProps {
    detail: Rc<CaseDetail>,
    on_changed: Callback<(CaseDetail, &'static str)>,
}

#[function_component]
fn ClosureRequestForm(props: &FormProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let case = &props.detail.case;
    let form = use_state(ClosureForm::default);
    let errors = use_state(|| None::<ErrorBody>);
    let onsubmit = {
        let (form, errors, on_changed) = (form.clone(), errors.clone(), props.on_changed.clone());
        let path = format!("/api/cases/{}/closure", encode(&case.id));
        let version = case.version;
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let body = ClosureForm {
                version: Some(version),
                ..(*form).clone()
            };
            send_action(
                api.clone(),
                path.clone(),
                body,
                errors.clone(),
                on_changed.clone(),
                "case.closure_requested",
            );
        })
    };
    let edit = |apply: fn(&mut ClosureForm, String)| crate::form::edit_value(&form, apply);
    let error = |field: &str| field_error(&errors, field);
    let (reason_invalid, reason_described) =
        error_attrs("closure_reason", error("closure_reason").as_ref());
    let (summary_invalid, summary_described) =
        error_attrs("closing_summary", error("closing_summary").as_ref());
    let (date_invalid, date_described) = error_attrs("closed_on", error("closed_on").as_ref());
    html! {
        <section class="panel" aria-labelledby="closure-form-title">
            <h2 id="closure-form-title">{ i18n.t("case.request_closure") }</h2>
            if let Some(error) = errors.as_ref().filter(|e| e.fields.is_empty()) {
                <p role="alert" class="alert">{ i18n.error(error) }</p>
            }
            <form id="closure-request" {onsubmit} novalidate=true>
                <FormField id="closure_reason" label="case.closure_reason" error={error("closure_reason")}>
                    <select id="closure_reason" onchange={edit(|f, v| f.closure_reason = ClosureReason::parse(&v))}
                        aria-invalid={reason_invalid} aria-describedby={reason_described}>
                        <option value="" selected={form.closure_reason.is_none()}>{ i18n.t("client.choose") }</option>
                        { for ClosureReason::ALL.iter().map(|r| html! {
                            <option value={r.as_str()} selected={form.closure_reason == Some(*r)}>{ i18n.code("closure_reason", r.as_str()) }</option>
                        }) }
                    </select>
                </FormField>
                <FormField id="closing_summary" label="case.closing_summary" error={error("closing_summary")}>
                    <textarea id="closing_summary" rows="5" maxlength="4000"
                        onchange={edit(|f, v| f.closing_summary = v)}
                        aria-invalid={summary_invalid} aria-describedby={summary_described} />
                </FormField>
                <FormField id="closed_on" label="case.closed_on" error={error("closed_on")}>
                    <input id="closed_on" type="date"
                        onchange={edit(|f, v| f.closed_on = NaiveDate::parse_from_str(&v, "%Y-%m-%d").ok())}
                        aria-invalid={date_invalid} aria-describedby={date_described} />
                </FormField>
                <button type="submit">{ i18n.t("case.request_closure_submit") }</button>
            </form>
        </section>
    }
}

#[function_component]
fn ClosureDecision(props: &FormProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let comment = use_state(String::new);
    let errors = use_state(|| None::<ErrorBody>);
    let path = format!(
        "/api/cases/{}/closure/decision",
        encode(&props.detail.case.id)
    );
    let decide = |decision: Decision, message: &'static str| {
        let (api, path, comment, errors, on_changed) = (
            api.clone(),
            path.clone(),
            comment.clone(),
            errors.clone(),
            props.on_changed.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let body = DecisionForm {
                decision: Some(decision),
                comment: Some((*comment).clone()),
            };
            send_action(
                api.clone(),
                path.clone(),
                body,
                errors.clone(),
                on_changed.clone(),
                message,
            );
        })
    };
    let on_comment = {
        let comment = comment.clone();
        Callback::from(move |event: Event| comment.set(value_of(&event)))
    };
    let error = field_error(&errors, "comment");
    let (invalid, described) = error_attrs("decision-comment", error.as_ref());
    html! {
        <section class="panel" aria-labelledby="decision-title">
            <h2 id="decision-title">{ i18n.t("case.decide_closure") }</h2>
            if let Some(error) = errors.as_ref().filter(|e| e.fields.is_empty()) {
                <p role="alert" class="alert">{ i18n.error(error) }</p>
            }
            <FormField id="decision-comment" label="case.decision_comment" error={error}>
                <input id="decision-comment" type="text" maxlength="500" onchange={on_comment}
                    aria-invalid={invalid} aria-describedby={described} />
            </FormField>
            <div class="actions">
                <button id="approve-closure" type="button" class="primary"
                    onclick={decide(Decision::Approved, "case.closure_approved")}>{ i18n.t("case.approve") }</button>
                <button id="return-closure" type="button"
                    onclick={decide(Decision::Returned, "case.closure_returned")}>{ i18n.t("case.return") }</button>
            </div>
        </section>
    }
}
