//! A caseworker's home: their open cases, transfers offered to them and cases without a
//! recent contact; for a supervisor also the closures to approve and the centre's
//! caseload.

use chrono::NaiveDate;
use common::cases::{
    CaseListQuery, CaseState, CaseSummary, CaseworkHome, Decision, DecisionForm, TransferAnswer,
    TransferAnswerForm, TransferAnswerOutcome, TransferOffer, WorkerLoad,
};
use common::error::ErrorBody;
use common::identity::Permission;
use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use super::list::CaseTable;
use super::{person_name, CaseworkerSelect};
use crate::api::{encode, use_get, Load};
use crate::app::Route;
use crate::form::{error_attrs, field_error, value_of, FormField};
use crate::i18n::use_i18n;
use crate::identity::use_session;

#[function_component]
pub fn CaseworkHomePanel() -> Html {
    let i18n = use_i18n();
    let session = use_session();
    let generation = use_state(|| 0u32);
    let notice = use_state(|| None::<&'static str>);
    let home = use_get::<CaseworkHome>("/api/casework/home".into(), *generation);
    let on_done = {
        let (generation, notice) = (generation.clone(), notice.clone());
        Callback::from(move |message: &'static str| {
            notice.set(Some(message));
            generation.set(*generation + 1);
        })
    };
    let home = match &*home {
        Load::Loading => return html! { <p role="status">{ i18n.t("app.loading") }</p> },
        Load::Failed(error) => {
            return html! { <p role="alert" class="alert">{ i18n.error(error) }</p> }
        }
        Load::Ready(home) => home.clone(),
    };
    let open = CaseListQuery {
        state: Some(CaseState::Open),
        ..CaseListQuery::default()
    };
    let supervises = session.can(Permission::SuperviseCases);
    html! {
        <>
            <p role="status" class="notice" id="home-notice">{ notice.map(|key| i18n.t(key)).unwrap_or_default() }</p>
            <section aria-labelledby="my-work-title">
                <h2 id="my-work-title">{ i18n.t(if supervises { "home.centre_work" } else { "home.my_work" }) }</h2>
                <p>
                    <Link<Route, CaseListQuery> to={Route::Cases} query={Some(open)}>
                        { i18n.tf("home.open_cases", &[("count", &home.open_cases.to_string())]) }
                    </Link<Route, CaseListQuery>>
                </p>
            </section>
            if !home.transfers_awaiting.is_empty() {
                <section aria-labelledby="transfers-title">
                    <h2 id="transfers-title">{ i18n.t("home.transfers_awaiting") }</h2>
                    { for home.transfers_awaiting.iter().map(|offer| html! {
                        <TransferOfferAnswer key={offer.case_id.clone()} offer={offer.clone()} on_done={on_done.clone()} />
                    }) }
                </section>
            }
            <section aria-labelledby="overdue-title">
                <h2 id="overdue-title">{ i18n.tf("home.notes_overdue", &[("days", &home.note_due_days.to_string())]) }</h2>
                <CaseTable cases={home.notes_overdue.clone()} id="notes-overdue" />
            </section>
            <DueList id="reviews-due" title="home.reviews_due" column="plan.next_review"
                rows={home.reviews_due.iter().map(|due| (due.case.clone(), due.next_review_on, i18n.t("plan.review_due").to_owned())).collect::<Vec<_>>()} />
            <DueList id="referrals-follow-up" title="home.referrals_follow_up" column="referral.follow_up_due"
                rows={home.referrals_follow_up.iter().map(|due| (
                    due.case.clone(),
                    due.follow_up_due,
                    format!("{} · {}", due.agency_name, i18n.code("referral_status", due.status.as_str())),
                )).collect::<Vec<_>>()} />
            if supervises {
                <ClosuresWaiting cases={home.closures_waiting.clone()} on_done={on_done.clone()} />
                <Caseload loads={home.caseload.clone()} />
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct DueListProps {
    id: &'static str,
    title: &'static str,
    column: &'static str,
    /// Each case with the day it fell due and what is due.
    rows: Vec<(CaseSummary, NaiveDate, String)>,
}

/// Cases with something due (a plan review, a referral's follow-up), the longest due
/// first.
#[function_component]
fn DueList(props: &DueListProps) -> Html {
    let i18n = use_i18n();
    let title_id = format!("{}-title", props.id);
    html! {
        <section aria-labelledby={title_id.clone()}>
            <h2 id={title_id.clone()}>{ i18n.t(props.title) }</h2>
            if props.rows.is_empty() {
                <p>{ i18n.t("home.nothing_waiting") }</p>
            } else {
                <div class="table-wrap" role="region" tabindex="0" aria-labelledby={title_id}>
                    <table class="data" id={props.id}>
                        <thead><tr>
                            <th scope="col">{ i18n.t("case.case_number") }</th>
                            <th scope="col">{ i18n.t("case.client") }</th>
                            <th scope="col">{ i18n.t(props.column) }</th>
                            <th scope="col">{ i18n.t("home.what_is_due") }</th>
                        </tr></thead>
                        <tbody>{ for props.rows.iter().map(|(case, due, what)| html! {
                            <tr key={format!("{}-{}", case.id, what)}>
                                <th scope="row">
                                    <Link<Route> to={Route::CaseDetail { id: case.id.clone() }}>{ case.case_number.clone() }</Link<Route>>
                                </th>
                                <td>{ person_name(&case.client) }</td>
                                <td><span class="tag overdue">{ due.to_string() }</span></td>
                                <td>{ what.clone() }</td>
                            </tr>
                        }) }</tbody>
                    </table>
                </div>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ClosuresProps {
    cases: Vec<CaseSummary>,
    on_done: Callback<&'static str>,
}

/// Closures to approve, each approvable from here; returning one needs a reason, given
/// on the case page.
#[function_component]
fn ClosuresWaiting(props: &ClosuresProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let error = use_state(|| None::<ErrorBody>);
    let approve = |case_id: &str| {
        let (api, error, on_done) = (api.clone(), error.clone(), props.on_done.clone());
        let path = format!("/api/cases/{}/closure/decision", encode(case_id));
        Callback::from(move |_: MouseEvent| {
            let (api, path, error, on_done) =
                (api.clone(), path.clone(), error.clone(), on_done.clone());
            spawn_local(async move {
                let body = DecisionForm {
                    decision: Some(Decision::Approved),
                    comment: None,
                };
                match api.post::<serde_json::Value>(&path, &body).await {
                    Ok(_) => {
                        error.set(None);
                        on_done.emit("case.closure_approved");
                    }
                    Err(failed) => error.set(Some(failed)),
                }
            });
        })
    };
    html! {
        <section aria-labelledby="closures-title">
            <h2 id="closures-title">{ i18n.t("home.closures_waiting") }</h2>
            if let Some(error) = error.as_ref() {
                <p role="alert" class="alert">{ i18n.error(error) }</p>
            }
            if props.cases.is_empty() {
                <p>{ i18n.t("home.nothing_waiting") }</p>
            } else {
                <div class="table-wrap" role="region" tabindex="0" aria-labelledby="closures-title">
                    <table class="data" id="closures-waiting">
                        <thead><tr>
                            <th scope="col">{ i18n.t("case.case_number") }</th>
                            <th scope="col">{ i18n.t("case.client") }</th>
                            <th scope="col">{ i18n.t("case.responsible_worker") }</th>
                            <th scope="col">{ i18n.t("home.decision") }</th>
                        </tr></thead>
                        <tbody>{ for props.cases.iter().map(|case| html! {
                            <tr key={case.id.clone()}>
                                <th scope="row">
                                    <Link<Route> to={Route::CaseDetail { id: case.id.clone() }}>{ case.case_number.clone() }</Link<Route>>
                                </th>
                                <td>{ person_name(&case.client) }</td>
                                <td>{ case.responsible_worker.display_name.clone() }</td>
                                <td>
                                    <button type="button" class="primary approve-closure" onclick={approve(&case.id)}
                                        aria-label={i18n.tf("home.approve_case", &[("case", &case.case_number)])}>
                                        { i18n.t("case.approve") }
                                    </button>
                                </td>
                            </tr>
                        }) }</tbody>
                    </table>
                </div>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct CaseloadProps {
    loads: Vec<WorkerLoad>,
}

#[function_component]
fn Caseload(props: &CaseloadProps) -> Html {
    let i18n = use_i18n();
    html! {
        <section aria-labelledby="caseload-title">
            <h2 id="caseload-title">{ i18n.t("home.caseload") }</h2>
            if props.loads.is_empty() {
                <p>{ i18n.t("home.no_open_cases") }</p>
            } else {
                <div class="table-wrap" role="region" tabindex="0" aria-labelledby="caseload-title">
                    <table class="data" id="caseload">
                        <thead><tr>
                            <th scope="col">{ i18n.t("home.worker") }</th>
                            <th scope="col" class="number">{ i18n.t("case_type.brief_supportive") }</th>
                            <th scope="col" class="number">{ i18n.t("case_type.in_depth_counselling") }</th>
                            <th scope="col" class="number">{ i18n.t("home.weighted") }</th>
                        </tr></thead>
                        <tbody>{ for props.loads.iter().map(|load| html! {
                            <tr key={load.worker.id.clone()}>
                                <th scope="row">{ load.worker.display_name.clone() }</th>
                                <td class="number">{ load.brief_supportive }</td>
                                <td class="number">{ load.in_depth_counselling }</td>
                                <td class="number">{ format!("{:.1}", load.weighted) }</td>
                            </tr>
                        }) }</tbody>
                    </table>
                </div>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct OfferProps {
    offer: TransferOffer,
    on_done: Callback<&'static str>,
}

/// One transfer offered to the user: accepted (naming the worker when it came to the
/// centre rather than to a person) or declined with a reason.
#[function_component(TransferOfferAnswer)]
fn transfer_answer_form(props: &OfferProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let offer = &props.offer;
    let to_centre = offer.to_worker.is_none();
    let worker = use_state(String::new);
    let comment = use_state(String::new);
    let errors = use_state(|| None::<ErrorBody>);
    let answer = |answer: TransferAnswer| {
        let (api, worker, comment, errors, on_done) = (
            api.clone(),
            worker.clone(),
            comment.clone(),
            errors.clone(),
            props.on_done.clone(),
        );
        let path = format!("/api/cases/{}/transfer/answer", encode(&offer.case_id));
        Callback::from(move |_: MouseEvent| {
            let body = TransferAnswerForm {
                answer: Some(answer),
                worker_id: Some((*worker).clone()).filter(|w| !w.is_empty()),
                comment: Some((*comment).clone()).filter(|c| !c.is_empty()),
            };
            let (api, path, errors, on_done) =
                (api.clone(), path.clone(), errors.clone(), on_done.clone());
            spawn_local(async move {
                match api.post::<TransferAnswerOutcome>(&path, &body).await {
                    Ok(_) => on_done.emit(match answer {
                        TransferAnswer::Accepted => "home.transfer_accepted",
                        TransferAnswer::Declined => "home.transfer_declined",
                    }),
                    Err(error) => errors.set(Some(error)),
                }
            });
        })
    };
    let set = |target: &UseStateHandle<String>| {
        let target = target.clone();
        Callback::from(move |event: Event| target.set(value_of(&event)))
    };
    let ids = |field: &str| format!("transfer-{}-{field}", offer.case_id);
    let (worker_id, comment_id) = (ids("worker"), ids("comment"));
    let worker_error = field_error(&errors, "worker_id");
    let comment_error = field_error(&errors, "comment");
    let (worker_invalid, worker_described) = error_attrs(&worker_id, worker_error.as_ref());
    let (comment_invalid, comment_described) = error_attrs(&comment_id, comment_error.as_ref());
    html! {
        <article class="panel transfer-offer" aria-label={offer.case_number.clone()}>
            <h3>{ format!("{} · {}", offer.case_number, person_name(&offer.client)) }</h3>
            <p>{ i18n.tf("home.transfer_from", &[
                ("worker", &offer.from_worker.display_name),
                ("date", &offer.requested_at.format("%Y-%m-%d").to_string()),
            ]) }</p>
            <p class="transfer-reason">{ offer.reason.clone() }</p>
            if let Some(error) = errors.as_ref().filter(|e| e.fields.is_empty()) {
                <p role="alert" class="alert">{ i18n.error(error) }</p>
            }
            if to_centre {
                <FormField id={worker_id.clone()} label="home.transfer_worker" error={worker_error}>
                    <CaseworkerSelect id={worker_id.clone()} value={(*worker).clone()} onchange={set(&worker)}
                        invalid={worker_invalid} described={worker_described} />
                </FormField>
            }
            <FormField id={comment_id.clone()} label="home.transfer_comment" error={comment_error}>
                <input id={comment_id.clone()} type="text" maxlength="500" onchange={set(&comment)}
                    aria-invalid={comment_invalid} aria-describedby={comment_described} />
            </FormField>
            <div class="actions">
                <button type="button" class="primary accept-transfer" onclick={answer(TransferAnswer::Accepted)}>{ i18n.t("home.accept_transfer") }</button>
                <button type="button" class="decline-transfer" onclick={answer(TransferAnswer::Declined)}>{ i18n.t("home.decline_transfer") }</button>
            </div>
        </article>
    }
}
