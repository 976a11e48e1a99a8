//! Early identification of cases at risk, by FamilyLink's own indicator (its rules are in
//! `common::risk`): on the case page the case's reading now, how it is computed and the
//! flags raised on it; on the home page the flags standing, a supervisor's to review and a
//! worker's to know of.

use common::error::ErrorBody;
use common::identity::Permission;
use common::language::UnmatchedCue;
use common::risk::{
    CaseRisk, DismissalReason, FlagReviewForm, FlagStatus, Named, RaisedFactor, ReviewDecision,
    RiskFactor, RiskFlag, RiskRules, REVIEW_NOTE_MAX,
};
use common::taxonomy::Vocabulary;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{encode, use_get, with_query, Load};
use crate::app::Route;
use crate::cases::hong_kong;
use crate::form::{error_attrs, field_error, form_alert, submit, FormField};
use crate::i18n::{use_i18n, I18n};
use crate::identity::use_session;
use crate::terms::{names, use_terms};

fn factor_name(i18n: I18n, factor: RiskFactor) -> &'static str {
    i18n.pick(factor.name_zh(), factor.name_en())
}

fn pick_named(i18n: I18n, name: &Named) -> String {
    i18n.pick(&name.zh, &name.en).to_owned()
}

fn score_text(i18n: I18n, score: u32, threshold: u32) -> String {
    i18n.tf(
        "risk.score",
        &[
            ("score", &score.to_string()),
            ("threshold", &threshold.to_string()),
        ],
    )
}

/// The factors that counted, each with its weight and the facts behind it.
fn factor_list(i18n: I18n, factors: &[RaisedFactor]) -> Html {
    html! {
        <ul class="risk-factors">
            { for factors.iter().map(|f| html! {
                <li>
                    <strong>{ factor_name(i18n, f.factor) }</strong>
                    { format!(" · {}", i18n.tf("risk.weight", &[("weight", &f.weight.to_string())])) }
                    if !f.evidence.is_empty() {
                        <ul>{ for f.evidence.iter().map(|e| html! { <li>{ pick_named(i18n, e) }</li> }) }</ul>
                    }
                </li>
            }) }
        </ul>
    }
}

/// A list of flags that takes reviews: the generation it is loaded at, the line saying a
/// review was recorded (its form goes away with the flag it was on) and what reloads it.
#[hook]
fn use_reviews() -> (u32, Html, Callback<()>) {
    let i18n = use_i18n();
    let generation = use_state(|| 0u32);
    let on_reviewed = {
        let generation = generation.clone();
        Callback::from(move |()| generation.set(generation.wrapping_add(1)))
    };
    // Only a review reloads the list.
    let notice = html! {
        <p role="status" class="notice">{ if *generation > 0 { i18n.t("risk.reviewed") } else { "" } }</p>
    };
    (*generation, notice, on_reviewed)
}

#[derive(Properties, PartialEq)]
pub struct CaseRiskPanelProps {
    pub case_id: String,
}

/// A case's indicator now, how it is computed, and the flags raised on the case.
#[function_component]
pub fn CaseRiskPanel(props: &CaseRiskPanelProps) -> Html {
    let i18n = use_i18n();
    let (generation, notice, on_reviewed) = use_reviews();
    let found = use_get::<CaseRisk>(
        format!("/api/cases/{}/risk", encode(&props.case_id)),
        generation,
    );
    let body = match &*found {
        Load::Loading => html! { <p role="status">{ i18n.t("app.loading") }</p> },
        // Who does not reach the case's assessments does not see its indicator.
        Load::Failed(_) => return html! {},
        Load::Ready(risk) => {
            let reading = &risk.reading;
            html! {
                <>
                    <p id="risk-reading">
                        <strong class={classes!(reading.flagged.then_some("risk-flagged"))}>
                            { i18n.t(if reading.flagged { "risk.flagged" } else { "risk.below" }) }
                        </strong>
                        { format!(" · {}", score_text(i18n, reading.score, reading.threshold)) }
                    </p>
                    if reading.factors.is_empty() {
                        <p>{ i18n.t("risk.no_factor") }</p>
                    } else {
                        { factor_list(i18n, &reading.factors) }
                    }
                    <RulesDisclosure />
                    <h3>{ i18n.t("risk.flags") }</h3>
                    { notice }
                    <FlagList flags={risk.flags.clone()} none="risk.none_on_case" show_case={false}
                        on_reviewed={risk.may_review.then_some(on_reviewed)} />
                </>
            }
        }
    };
    html! {
        <section aria-labelledby="risk-title" id="risk">
            <h2 id="risk-title">{ i18n.t("risk.title") }</h2>
            <p class="hint">{ i18n.t("risk.disclaimer") }</p>
            { body }
        </section>
    }
}

/// How the indicator is computed, loaded when first opened.
#[function_component]
fn RulesDisclosure() -> Html {
    let i18n = use_i18n();
    let opened = use_state(|| false);
    let ontoggle = {
        let opened = opened.clone();
        Callback::from(move |_: Event| opened.set(true))
    };
    html! {
        <details class="risk-rules" {ontoggle}>
            <summary>{ i18n.t("risk.how_computed") }</summary>
            if *opened {
                <RulesList />
            }
        </details>
    }
}

#[function_component]
fn RulesList() -> Html {
    let i18n = use_i18n();
    let found = use_get::<RiskRules>("/api/risk/rules".to_owned(), 0);
    let rules = match &*found {
        Load::Loading => return html! { <p role="status">{ i18n.t("app.loading") }</p> },
        Load::Failed(error) => {
            return html! { <p role="alert" class="alert">{ i18n.error(error) }</p> }
        }
        Load::Ready(rules) => rules.clone(),
    };
    let rule =
        |key: &'static str, value: String| html! { <li>{ i18n.tf(key, &[("n", &value)]) }</li> };
    html! {
        <>
            <p>{ i18n.t("risk.rules_intro") }</p>
            <table class="data" id="risk-weights">
                <caption>{ i18n.t("risk.weights") }</caption>
                <thead><tr>
                    <th scope="col">{ i18n.t("risk.factor") }</th>
                    <th scope="col" class="num">{ i18n.t("risk.weight_column") }</th>
                </tr></thead>
                <tbody>
                    { for rules.weights.iter().map(|w| html! {
                        <tr>
                            <th scope="row">{ factor_name(i18n, w.factor) }</th>
                            <td class="num">{ w.weight }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <ul>
                { rule("risk.rule_threshold", rules.threshold.to_string()) }
                { rule("risk.rule_severe_from", rules.severe_from.to_string()) }
                { rule("risk.rule_missed", rules.missed_in_a_row.to_string()) }
                { rule("risk.rule_no_contact", rules.no_contact_days.to_string()) }
                { rule("risk.rule_reactivations", rules.reactivations.to_string()) }
            </ul>
        </>
    }
}

/// The risk flags standing, on the home page of those who read assessments: a
/// supervisor's to review, anyone else's on their own cases.
#[function_component]
pub fn RiskQueue() -> Html {
    if use_session().can(Permission::SuperviseCases) {
        html! { <FlagsToReview /> }
    } else {
        html! { <FlagsOnMyCases /> }
    }
}

fn flags_path(status: FlagStatus) -> String {
    with_query("/api/risk-flags", &[("status", status.as_str())])
}

fn queue_section(i18n: I18n, title: &'static str, body: Html) -> Html {
    html! {
        <section class="panel" aria-labelledby="risk-queue-title" id="risk-queue">
            <h2 id="risk-queue-title">{ i18n.t(title) }</h2>
            { body }
        </section>
    }
}

#[function_component]
fn FlagsToReview() -> Html {
    let i18n = use_i18n();
    let (generation, notice, on_reviewed) = use_reviews();
    let found = use_get::<Vec<RiskFlag>>(flags_path(FlagStatus::New), generation);
    let Load::Ready(flags) = &*found else {
        return html! {};
    };
    queue_section(
        i18n,
        "risk.queue_review",
        html! {
            <>
                { notice }
                <FlagList flags={(**flags).clone()} none="risk.none_to_review" show_case={true}
                    on_reviewed={Some(on_reviewed)} />
            </>
        },
    )
}

#[function_component]
fn FlagsOnMyCases() -> Html {
    let i18n = use_i18n();
    let new = use_get::<Vec<RiskFlag>>(flags_path(FlagStatus::New), 0);
    let acknowledged = use_get::<Vec<RiskFlag>>(flags_path(FlagStatus::Acknowledged), 0);
    let (Load::Ready(new), Load::Ready(acknowledged)) = (&*new, &*acknowledged) else {
        return html! {};
    };
    let flags: Vec<RiskFlag> = new.iter().chain(acknowledged.iter()).cloned().collect();
    queue_section(
        i18n,
        "risk.queue_mine",
        html! { <FlagList {flags} none="risk.none_mine" show_case={true} /> },
    )
}

#[derive(Properties, PartialEq)]
struct FlagListProps {
    flags: Vec<RiskFlag>,
    /// Translation key of the line said when there is none.
    none: &'static str,
    /// On the home page: the case each flag is on, its client and worker.
    show_case: bool,
    /// When the user may review the flags: what to do once one is reviewed.
    #[prop_or_default]
    on_reviewed: Option<Callback<()>>,
}

#[function_component]
fn FlagList(props: &FlagListProps) -> Html {
    let i18n = use_i18n();
    if props.flags.is_empty() {
        return html! { <p>{ i18n.t(props.none) }</p> };
    }
    html! {
        <ul class="risk-flags">
            { for props.flags.iter().map(|flag| html! {
                <FlagView key={flag.id.clone()} flag={flag.clone()} show_case={props.show_case}
                    on_reviewed={props.on_reviewed.clone()} />
            }) }
        </ul>
    }
}

/// The case a line of a list is about, linked, with its client and worker.
fn case_line(case_id: &str, case_number: &str, client_name: &str, worker: &str) -> Html {
    html! {
        <p>
            <strong>
                <Link<Route> to={Route::CaseDetail { id: case_id.to_owned() }}>{ case_number.to_owned() }</Link<Route>>
            </strong>
            { format!(" · {client_name} · {worker}") }
        </p>
    }
}

/// The cases whose notes carry a risk cue that none of their natures answers, for the
/// supervisor (or the worker, of their own cases) to look at.
#[function_component]
pub fn UnmatchedCues() -> Html {
    let i18n = use_i18n();
    let found = use_get::<Vec<UnmatchedCue>>("/api/risk/unmatched-cues".to_owned(), 0);
    let natures = use_terms(Vocabulary::CaseNatures);
    let Load::Ready(list) = &*found else {
        return html! {};
    };
    html! {
        <section class="panel" aria-labelledby="risk-cues-title" id="risk-cues">
            <h2 id="risk-cues-title">{ i18n.t("risk.cues_title") }</h2>
            <p class="hint">{ i18n.t("risk.cues_intro") }</p>
            if list.is_empty() {
                <p>{ i18n.t("risk.cues_none") }</p>
            } else {
                <ul class="risk-cues">
                    { for list.iter().map(|line| html! {
                        <li key={format!("{}-{}", line.case_id, line.cue.as_str())}>
                            { case_line(&line.case_id, &line.case_number, &line.client_name, &line.responsible_worker.display_name) }
                            <p>
                                <span class="tag cue">{ i18n.pick(line.cue.name_zh(), line.cue.name_en()) }</span>
                                { " " }
                                { i18n.tf("risk.cue_line", &[
                                    ("cue", i18n.pick(line.cue.name_zh(), line.cue.name_en())),
                                    ("at", &hong_kong(line.contact_at)),
                                    ("words", &line.words.join("、")),
                                ]) }
                            </p>
                            <p class="hint">{ if line.natures.is_empty() {
                                i18n.t("risk.cue_no_natures").to_owned()
                            } else {
                                i18n.tf("risk.cue_natures", &[("natures", &names(i18n, &natures, &line.natures))])
                            } }</p>
                        </li>
                    }) }
                </ul>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct FlagViewProps {
    flag: RiskFlag,
    show_case: bool,
    on_reviewed: Option<Callback<()>>,
}

/// A flag with the factors that raised it, its review, and the review form while it waits
/// for one.
#[function_component]
fn FlagView(props: &FlagViewProps) -> Html {
    let i18n = use_i18n();
    let flag = &props.flag;
    let standing = flag.status == FlagStatus::New && flag.cleared_at.is_none();
    html! {
        <li>
            if props.show_case {
                { case_line(&flag.case_id, &flag.case_number, &flag.client_name, &flag.responsible_worker.display_name) }
            }
            <p>
                <strong class={classes!(standing.then_some("risk-flagged"))}>
                    { i18n.code("flag_status", flag.status.as_str()) }
                </strong>
                { format!(" · {} · {}",
                    i18n.tf("risk.raised_at", &[("at", &hong_kong(flag.raised_at))]),
                    score_text(i18n, flag.score, flag.threshold)) }
            </p>
            { factor_list(i18n, &flag.factors) }
            if let (Some(by), Some(at)) = (&flag.reviewed_by, flag.reviewed_at) {
                <p>
                    { i18n.tf("risk.reviewed_by", &[("name", &by.display_name), ("at", &hong_kong(at))]) }
                    if let Some(reason) = flag.reason {
                        { format!(" · {}", i18n.pick(reason.name_zh(), reason.name_en())) }
                    }
                </p>
                if let Some(note) = flag.note.as_ref().filter(|n| !n.is_empty()) {
                    <p class="narrative">{ note.clone() }</p>
                }
            }
            if let Some(at) = flag.cleared_at {
                <p class="hint">{ i18n.tf("risk.cleared_at", &[("at", &hong_kong(at))]) }</p>
            }
            if let Some(on_reviewed) = props.on_reviewed.clone().filter(|_| standing) {
                <ReviewForm flag_id={flag.id.clone()} version={flag.version} {on_reviewed} />
            }
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct ReviewFormProps {
    flag_id: String,
    /// The flag's version as read, so a review made meanwhile is not overwritten.
    version: i64,
    on_reviewed: Callback<()>,
}

#[function_component]
fn ReviewForm(props: &ReviewFormProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let form = use_state(FlagReviewForm::default);
    let errors = use_state(|| None::<ErrorBody>);
    let update = |apply: fn(&mut FlagReviewForm, String)| crate::form::edit_value(&form, apply);
    let onsubmit = {
        let (form, errors, on_reviewed) = (form.clone(), errors.clone(), props.on_reviewed.clone());
        let path = format!("/api/risk-flags/{}/review", encode(&props.flag_id));
        let version = props.version;
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let on_reviewed = on_reviewed.clone();
            submit(
                api.clone(),
                false,
                path.clone(),
                FlagReviewForm {
                    version: Some(version),
                    ..(*form).clone()
                },
                errors.clone(),
                Callback::from(move |_: RiskFlag| on_reviewed.emit(())),
            );
        })
    };
    let prefix = format!("review-{}", props.flag_id);
    let field = |name: &str| format!("{prefix}-{name}");
    let decision_error = field_error(&errors, "decision");
    let reason_error = field_error(&errors, "reason");
    let (reason_invalid, reason_described) = error_attrs(&field("reason"), reason_error.as_ref());
    let note_error = field_error(&errors, "note");
    let (note_invalid, note_described) = error_attrs(&field("note"), note_error.as_ref());
    let on_decision = update(|f, value| {
        f.decision = ReviewDecision::parse(&value);
        // A reason is given only for a dismissal.
        if f.decision != Some(ReviewDecision::Dismiss) {
            f.reason = None;
        }
    });
    html! {
        <form class="review-form" {onsubmit} novalidate=true>
            { form_alert(i18n, &errors) }
            // The version is no field the user fills: its error is the form's.
            if let Some(error) = field_error(&errors, "version") {
                <p role="alert" class="alert">{ i18n.field_error(&error) }</p>
            }
            <fieldset aria-describedby={decision_error.as_ref().map(|_| field("decision-error"))}>
                <legend>{ i18n.t("risk.decision") }</legend>
                { for ReviewDecision::ALL.iter().map(|decision| {
                    let id = field(decision.as_str());
                    html! {
                        <label for={id.clone()} class="check">
                            <input {id} type="radio" name={field("decision")} value={decision.as_str()}
                                checked={form.decision == Some(*decision)} onchange={on_decision.clone()} />
                            { i18n.code("review_decision", decision.as_str()) }
                        </label>
                    }
                }) }
                if let Some(error) = &decision_error {
                    <p id={field("decision-error")} class="field-error">{ i18n.field_error(error) }</p>
                }
            </fieldset>
            if form.decision == Some(ReviewDecision::Dismiss) {
                <FormField id={field("reason")} label="risk.reason" error={reason_error}>
                    <select id={field("reason")} onchange={update(|f, value| f.reason = DismissalReason::parse(&value))}
                        aria-invalid={reason_invalid} aria-describedby={reason_described}>
                        <option value="" selected={form.reason.is_none()}>{ i18n.t("risk.choose") }</option>
                        { for DismissalReason::ALL.iter().map(|r| html! {
                            <option value={r.as_str()} selected={form.reason == Some(*r)}>{ i18n.pick(r.name_zh(), r.name_en()) }</option>
                        }) }
                    </select>
                </FormField>
            }
            <FormField id={field("note")} label="risk.note" error={note_error}>
                <textarea id={field("note")} rows="3" maxlength={REVIEW_NOTE_MAX.to_string()} value={form.note.clone()}
                    onchange={update(|f, value| f.note = value)}
                    aria-invalid={note_invalid} aria-describedby={note_described} />
            </FormField>
            <button type="submit">{ i18n.t("risk.save_review") }</button>
        </form>
    }
}
