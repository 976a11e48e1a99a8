//! A case's plan on its page: the next review (marked when due), the goals with their
//! target dates and status (overdue marked), a form to add or change a goal, and the
//! reviews with a form to record one, which sets the next review.

use common::case_plans::{CaseGoal, CasePlan, GoalForm, GoalStatus, PlanForm, ReviewForm};
use common::error::ErrorBody;
use yew::prelude::*;

use crate::api::{encode, use_get, Load};
use crate::form::{date_of, error_attrs, field_error, form_alert, submit, value_of, FormField};
use crate::i18n::use_i18n;
use crate::identity::use_session;

#[derive(Properties, PartialEq)]
pub struct CasePlanProps {
    pub case_id: String,
    /// The user works on the case and it is not closed.
    pub may_change: bool,
}

#[function_component]
pub fn CasePlanSection(props: &CasePlanProps) -> Html {
    let i18n = use_i18n();
    let generation = use_state(|| 0u32);
    let plan = use_get::<CasePlan>(
        format!("/api/cases/{}/plan", encode(&props.case_id)),
        *generation,
    );
    let notice = use_state(|| None::<&'static str>);
    let saved = |message: &'static str| {
        let (generation, notice) = (generation.clone(), notice.clone());
        Callback::from(move |()| {
            notice.set(Some(message));
            generation.set(generation.wrapping_add(1));
        })
    };
    let body = match &*plan {
        Load::Loading => html! { <p role="status">{ i18n.t("app.loading") }</p> },
        Load::Failed(error) => html! { <p role="alert" class="alert">{ i18n.error(error) }</p> },
        Load::Ready(plan) => html! {
            <>
                <p id="plan-next-review">
                    { i18n.t("plan.next_review") }{ ": " }
                    { plan.next_review_on.map_or_else(|| i18n.t("plan.no_review").to_owned(), |d| d.to_string()) }
                    if plan.review_due {
                        { " " }<strong class="overdue">{ i18n.t("plan.review_due") }</strong>
                    }
                </p>
                if props.may_change {
                    <NextReviewEditor key={plan.version.to_string()} case_id={props.case_id.clone()} plan={plan.clone()} on_saved={saved("plan.saved")} />
                }
                <h3>{ i18n.t("plan.goals") }</h3>
                if plan.goals.is_empty() {
                    <p>{ i18n.t("plan.no_goals") }</p>
                } else {
                    <ul class="goals" id="plan-goals">
                        { for plan.goals.iter().map(|goal| html! {
                            <GoalItem key={goal.id.clone()} goal={goal.clone()} may_change={props.may_change}
                                on_saved={saved("plan.goal_saved")} />
                        }) }
                    </ul>
                }
                if props.may_change {
                    <details class="panel">
                        <summary>{ i18n.t("plan.add_goal") }</summary>
                        <GoalEditor case_id={props.case_id.clone()} goal={None::<CaseGoal>} on_saved={saved("plan.goal_saved")} />
                    </details>
                }
                <h3>{ i18n.t("plan.reviews") }</h3>
                if plan.reviews.is_empty() {
                    <p>{ i18n.t("plan.no_reviews") }</p>
                } else {
                    <ol class="notes" id="plan-reviews">
                        { for plan.reviews.iter().map(|review| html! {
                            <li key={review.id.clone()} class="note">
                                <p class="note-head"><strong>{ review.reviewed_on.to_string() }</strong>
                                    { format!(" · {}", i18n.tf("plan.next_set", &[("date", &review.next_review_on.to_string())])) }</p>
                                <p class="narrative">{ review.summary.clone().unwrap_or_else(|| i18n.t("plan.narrative_hidden").to_owned()) }</p>
                                <p class="note-meta">{ i18n.tf("plan.reviewed_by", &[("name", &review.reviewer.display_name)]) }</p>
                            </li>
                        }) }
                    </ol>
                }
                if props.may_change {
                    <details class="panel">
                        <summary>{ i18n.t("plan.record_review") }</summary>
                        <ReviewEditor case_id={props.case_id.clone()} version={plan.version} on_saved={saved("plan.review_saved")} />
                    </details>
                }
            </>
        },
    };
    html! {
        <section aria-labelledby="plan-title" id="case-plan">
            <h2 id="plan-title">{ i18n.t("plan.title") }</h2>
            <p role="status" class="notice">{ notice.map(|key| i18n.t(key)).unwrap_or_default() }</p>
            { body }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct NextReviewProps {
    case_id: String,
    plan: std::rc::Rc<CasePlan>,
    on_saved: Callback<()>,
}

#[function_component]
fn NextReviewEditor(props: &NextReviewProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let day = use_state(|| props.plan.next_review_on);
    let errors = use_state(|| None::<ErrorBody>);
    let onsubmit = {
        let (day, errors, on_saved) = (day.clone(), errors.clone(), props.on_saved.clone());
        let path = format!("/api/cases/{}/plan", encode(&props.case_id));
        let version = props.plan.version;
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let body = PlanForm {
                next_review_on: *day,
                version: Some(version),
            };
            submit(
                api.clone(),
                true,
                path.clone(),
                body,
                errors.clone(),
                on_saved.reform(|_: CasePlan| ()),
            );
        })
    };
    let onchange = {
        let day = day.clone();
        Callback::from(move |event: Event| day.set(date_of(&event)))
    };
    let error = field_error(&errors, "next_review_on");
    let (invalid, described) = error_attrs("plan-next_review_on", error.as_ref());
    html! {
        <form id="plan-next-review-form" class="inline-form" {onsubmit} novalidate=true>
            { form_alert(i18n, &errors) }
            <FormField id="plan-next_review_on" label="plan.next_review_field" {error}>
                <input id="plan-next_review_on" type="date" value={day.map(|d| d.to_string()).unwrap_or_default()}
                    {onchange} aria-invalid={invalid} aria-describedby={described} />
            </FormField>
            <button type="submit">{ i18n.t("plan.save_next_review") }</button>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct GoalItemProps {
    goal: CaseGoal,
    may_change: bool,
    on_saved: Callback<()>,
}

#[function_component]
fn GoalItem(props: &GoalItemProps) -> Html {
    let i18n = use_i18n();
    let editing = use_state(|| false);
    let goal = &props.goal;
    let toggle = {
        let editing = editing.clone();
        Callback::from(move |_: MouseEvent| editing.set(!*editing))
    };
    let on_saved = {
        let (editing, on_saved) = (editing.clone(), props.on_saved.clone());
        Callback::from(move |()| {
            editing.set(false);
            on_saved.emit(());
        })
    };
    html! {
        <li class="goal">
            <p class="narrative">{ goal.description.clone() }</p>
            <p class="note-meta">
                { i18n.tf("plan.target", &[("date", &goal.target_date.to_string())]) }
                { " · " }{ i18n.code("goal_status", goal.status.as_str()) }
                if goal.overdue {
                    { " " }<strong class="overdue">{ i18n.t("plan.goal_overdue") }</strong>
                }
            </p>
            if props.may_change {
                <button type="button" class="link" aria-expanded={(*editing).to_string()} onclick={toggle}>
                    { i18n.t(if *editing { "plan.cancel" } else { "plan.edit_goal" }) }
                </button>
            }
            if *editing {
                <GoalEditor case_id={goal.case_id.clone()} goal={Some(goal.clone())} {on_saved} />
            }
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct GoalEditorProps {
    case_id: String,
    /// The goal to change; none to add one.
    goal: Option<CaseGoal>,
    on_saved: Callback<()>,
}

#[function_component]
fn GoalEditor(props: &GoalEditorProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let form = use_state(|| match &props.goal {
        Some(goal) => GoalForm {
            description: goal.description.clone(),
            target_date: Some(goal.target_date),
            status: Some(goal.status),
            version: Some(goal.version),
        },
        None => GoalForm::default(),
    });
    let errors = use_state(|| None::<ErrorBody>);
    // A new form after each save clears the controls.
    let round = use_state(|| 0u32);
    let prefix = format!(
        "goal-{}",
        props.goal.as_ref().map_or("new", |g| g.id.as_str())
    );
    let onsubmit = {
        let (form, errors, round, on_saved) = (
            form.clone(),
            errors.clone(),
            round.clone(),
            props.on_saved.clone(),
        );
        let (change, path) = match &props.goal {
            Some(goal) => (true, format!("/api/case-goals/{}", encode(&goal.id))),
            None => (
                false,
                format!("/api/cases/{}/goals", encode(&props.case_id)),
            ),
        };
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let body = (*form).clone();
            let (form, round, on_saved) = (form.clone(), round.clone(), on_saved.clone());
            let after = Callback::from(move |_: CaseGoal| {
                if !change {
                    form.set(GoalForm::default());
                    round.set(round.wrapping_add(1));
                }
                on_saved.emit(());
            });
            submit(
                api.clone(),
                change,
                path.clone(),
                body,
                errors.clone(),
                after,
            );
        })
    };
    let edit = |apply: fn(&mut GoalForm, &Event)| crate::form::edit(&form, apply);
    let id = |field: &str| format!("{prefix}-{field}");
    let error = |field: &str| field_error(&errors, field);
    let (text_invalid, text_described) =
        error_attrs(&id("description"), error("description").as_ref());
    let (date_invalid, date_described) =
        error_attrs(&id("target_date"), error("target_date").as_ref());
    let (status_invalid, status_described) = error_attrs(&id("status"), error("status").as_ref());
    html! {
        <form id={prefix.clone()} key={round.to_string()} class="goal-form" {onsubmit} novalidate=true>
            { form_alert(i18n, &errors) }
            <FormField id={id("description")} label="plan.goal_description" error={error("description")}>
                <textarea id={id("description")} rows="2" maxlength="1000" value={form.description.clone()}
                    onchange={edit(|f, e| f.description = value_of(e))}
                    aria-invalid={text_invalid} aria-describedby={text_described} />
            </FormField>
            <FormField id={id("target_date")} label="plan.target_date" error={error("target_date")}>
                <input id={id("target_date")} type="date" value={form.target_date.map(|d| d.to_string()).unwrap_or_default()}
                    onchange={edit(|f, e| f.target_date = date_of(e))}
                    aria-invalid={date_invalid} aria-describedby={date_described} />
            </FormField>
            <FormField id={id("status")} label="plan.goal_status" error={error("status")}>
                <select id={id("status")} onchange={edit(|f, e| f.status = GoalStatus::parse(&value_of(e)))}
                    aria-invalid={status_invalid} aria-describedby={status_described}>
                    { for GoalStatus::ALL.iter().map(|s| html! {
                        <option value={s.as_str()} selected={form.status.unwrap_or(GoalStatus::NotStarted) == *s}>
                            { i18n.code("goal_status", s.as_str()) }
                        </option>
                    }) }
                </select>
            </FormField>
            <button type="submit" class="primary">{ i18n.t("plan.save_goal") }</button>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct ReviewEditorProps {
    case_id: String,
    /// The plan's version, which a review carries.
    version: i64,
    on_saved: Callback<()>,
}

#[function_component]
fn ReviewEditor(props: &ReviewEditorProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let form = use_state(ReviewForm::default);
    let errors = use_state(|| None::<ErrorBody>);
    let onsubmit = {
        let (form, errors, on_saved) = (form.clone(), errors.clone(), props.on_saved.clone());
        let path = format!("/api/cases/{}/reviews", encode(&props.case_id));
        let version = props.version;
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let body = ReviewForm {
                version: Some(version),
                ..(*form).clone()
            };
            let (form, on_saved) = (form.clone(), on_saved.clone());
            let after = Callback::from(move |_: CasePlan| {
                form.set(ReviewForm::default());
                on_saved.emit(());
            });
            submit(
                api.clone(),
                false,
                path.clone(),
                body,
                errors.clone(),
                after,
            );
        })
    };
    let edit = |apply: fn(&mut ReviewForm, &Event)| crate::form::edit(&form, apply);
    let error = |field: &str| field_error(&errors, field);
    let (on_invalid, on_described) =
        error_attrs("review-reviewed_on", error("reviewed_on").as_ref());
    let (summary_invalid, summary_described) =
        error_attrs("review-summary", error("summary").as_ref());
    let (next_invalid, next_described) =
        error_attrs("review-next_review_on", error("next_review_on").as_ref());
    html! {
        <form id="plan-review" {onsubmit} novalidate=true>
            { form_alert(i18n, &errors) }
            <FormField id="review-reviewed_on" label="plan.reviewed_on" error={error("reviewed_on")}>
                <input id="review-reviewed_on" type="date" value={form.reviewed_on.map(|d| d.to_string()).unwrap_or_default()}
                    onchange={edit(|f, e| f.reviewed_on = date_of(e))}
                    aria-invalid={on_invalid} aria-describedby={on_described} />
            </FormField>
            <FormField id="review-summary" label="plan.review_summary" error={error("summary")}>
                <textarea id="review-summary" rows="4" maxlength="4000" value={form.summary.clone()}
                    onchange={edit(|f, e| f.summary = value_of(e))}
                    aria-invalid={summary_invalid} aria-describedby={summary_described} />
            </FormField>
            <FormField id="review-next_review_on" label="plan.next_review_field" error={error("next_review_on")}>
                <input id="review-next_review_on" type="date" value={form.next_review_on.map(|d| d.to_string()).unwrap_or_default()}
                    onchange={edit(|f, e| f.next_review_on = date_of(e))}
                    aria-invalid={next_invalid} aria-describedby={next_described} />
            </FormField>
            <button type="submit" class="primary">{ i18n.t("plan.save_review") }</button>
        </form>
    }
}
