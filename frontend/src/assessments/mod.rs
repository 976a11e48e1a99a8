//! Assessments in the web app: every assessment the user reads and the links waiting for
//! families (the Assessments page), a client's results on their record and on each of their
//! cases, administering an instrument with the scores previewed as it is answered (the
//! same scoring code the API keeps them with), and the instruments in use, to which an
//! agency admin adds the agency's own.

mod administer;
mod alerts;
mod answer;
mod catalogue;
mod link;
mod list;
mod questionnaire;
mod subject;
mod trend;

pub use administer::CaseAssessPage;
pub use alerts::AlertQueue;
pub use answer::SelfCompletionPage;
pub use catalogue::InstrumentsPage;
pub use list::AssessmentsPage;

use common::assessments::{Assessment, ScaleScore};
use common::cases::CasePerson;
use common::identity::Permission;
use yew::prelude::*;
use yew_router::prelude::*;

use self::link::SendLink;
use self::trend::ScoreTrends;
use crate::api::{encode, use_get, Load};
use crate::app::Route;
use crate::i18n::{use_i18n, I18n};
use crate::identity::use_session;

/// A scale's result in a few words: its score and band, or why there is none.
pub fn result_text(i18n: I18n, scale: &ScaleScore) -> String {
    let score = match scale.score {
        Some(score) => format!("{score}"),
        None => return i18n.t("assessment.no_score").to_owned(),
    };
    let band = scale
        .band
        .as_ref()
        .map(|b| format!(" · {}", i18n.pick(&b.name_zh, &b.name_en)))
        .unwrap_or_default();
    let prorated = if scale.prorated {
        format!(" ({})", i18n.t("assessment.prorated"))
    } else {
        String::new()
    };
    format!("{score}{band}{prorated}")
}

/// An assessment's results and alerts, as two cells of a table's row: each scale with
/// its band, and any alert in words.
fn results_cells(i18n: I18n, a: &Assessment) -> Html {
    html! {
        <>
            <td>
                <ul class="plain">
                    { for a.scoring.scales.iter().map(|s| html! {
                        <li class={classes!("severity", s.band.as_ref().map(|b| format!("severity-{}", b.severity)))}>
                            { format!("{}: {}", i18n.pick(&s.name_zh, &s.name_en), result_text(i18n, s)) }
                        </li>
                    }) }
                </ul>
            </td>
            <td>
                { for a.scoring.alerts.iter().map(|alert| html! {
                    <p class="alert-flag" role="note">{ i18n.pick(&alert.message_zh, &alert.message_en).to_owned() }</p>
                }) }
            </td>
        </>
    }
}

/// Whose assessments a list shows.
#[derive(Clone, PartialEq)]
pub enum AssessmentsOf {
    /// A client's, within the cases and groups the user reaches.
    Client(String),
    /// A case's, of its client and the members involved.
    Case(String),
}

#[derive(Properties, PartialEq)]
pub struct AssessmentsProps {
    pub of: AssessmentsOf,
    /// Offer to administer one, or to send a link for one (on a running case).
    #[prop_or_default]
    pub may_administer: bool,
    /// Whom a case's assessments may be of: its client and the members involved.
    #[prop_or_default]
    pub people: Vec<CasePerson>,
}

/// Assessments the user reaches, the latest first, each scale with its band and any alert.
#[function_component]
pub fn Assessments(props: &AssessmentsProps) -> Html {
    let i18n = use_i18n();
    let session = use_session();
    let (path, id) = match &props.of {
        AssessmentsOf::Client(id) => (format!("/api/clients/{}/assessments", encode(id)), id),
        AssessmentsOf::Case(id) => (format!("/api/cases/{}/assessments", encode(id)), id),
    };
    let found = use_get::<Vec<Assessment>>(path, 0);
    if !session.can(Permission::ViewAssessments) {
        return Html::default();
    }
    let case_id = match &props.of {
        AssessmentsOf::Case(id) => Some(id.clone()),
        AssessmentsOf::Client(_) => None,
    };
    let heading = format!("assessments-{id}");
    let list = match &*found {
        Load::Loading => html! { <p role="status">{ i18n.t("app.loading") }</p> },
        Load::Failed(error) => html! { <p role="alert" class="alert">{ i18n.error(error) }</p> },
        Load::Ready(shown) => {
            if shown.is_empty() {
                html! { <p>{ i18n.t("assessment.none") }</p> }
            } else {
                html! {
                    <div class="table-wrap" role="region" tabindex="0" aria-labelledby={heading.clone()}>
                        <table class="data assessment-table">
                            <thead><tr>
                                <th scope="col">{ i18n.t("assessment.administered_on") }</th>
                                if case_id.is_some() {
                                    <th scope="col">{ i18n.t("assessment.person") }</th>
                                }
                                <th scope="col">{ i18n.t("assessment.instrument") }</th>
                                <th scope="col">{ i18n.t("assessment.stage") }</th>
                                <th scope="col">{ i18n.t("assessment.results") }</th>
                                <th scope="col">{ i18n.t("assessment.alerts") }</th>
                            </tr></thead>
                            <tbody>
                                { for shown.iter().map(|a| html! {
                                    <tr key={a.id.clone()}>
                                        <td>{ a.administered_on.to_string() }</td>
                                        if case_id.is_some() {
                                            <td>{ a.client_name.clone() }</td>
                                        }
                                        <td>{ i18n.pick(&a.instrument.name_zh, &a.instrument.name_en).to_owned() }</td>
                                        <td>
                                            { i18n.code("stage", a.stage.as_str()) }
                                            if a.administered_by.is_none() {
                                                { format!(" · {}", i18n.t("assessment.self_completed")) }
                                            }
                                        </td>
                                        { results_cells(i18n, a) }
                                    </tr>
                                }) }
                            </tbody>
                        </table>
                    </div>
                }
            }
        }
    };
    html! {
        <section class="panel assessments" aria-labelledby={heading.clone()}>
            <div class="page-head">
                <h2 id={heading}>{ i18n.t("assessment.title") }</h2>
                if let (Some(case_id), true) = (&case_id, props.may_administer && session.can(Permission::AdministerAssessments)) {
                    <Link<Route> to={Route::CaseAssess { id: case_id.clone() }} classes="button assess-link">
                        { i18n.t("assessment.administer") }
                    </Link<Route>>
                }
            </div>
            { list }
            // A client's own scores over time; a case's are of several people.
            if let (AssessmentsOf::Client(_), Load::Ready(shown)) = (&props.of, &*found) {
                <ScoreTrends assessments={shown.clone()} />
            }
            if let (Some(case_id), true) = (&case_id, props.may_administer && session.can(Permission::AdministerAssessments)) {
                <SendLink case_id={case_id.clone()} people={props.people.clone()} />
            }
        </section>
    }
}
