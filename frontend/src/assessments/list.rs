//! The Assessments page: every assessment the user reads (their own casework's, or the
//! centre's), the latest first, filtered by instrument, stage and dates; and the links sent
//! to families that are not answered yet, so a worker can chase them.

use common::assessments::{
    AssessmentListQuery, AssessmentListed, AssessmentPage, InstrumentSummary, LinkPage, LinkSent,
    Place, Stage,
};
use yew::prelude::*;
use yew_router::prelude::*;

use super::results_cells;
use crate::api::{use_get, with_query, Load};
use crate::app::Route;
use crate::cases::hong_kong;
use crate::filters::{named, CodeFilter, FilterDate, FilterSelect};
use crate::i18n::{use_i18n, use_title, I18n};
use crate::pager::{use_addressed_list, Pager};

#[function_component]
pub fn AssessmentsPage() -> Html {
    use_title("nav.assessments");
    let i18n = use_i18n();
    let list = use_addressed_list::<AssessmentListQuery, _>(Route::Assessments);
    let query = &list.query;
    let found = use_get::<AssessmentPage>(list.api("/api/assessments"), 0);
    let instruments = use_get::<Vec<InstrumentSummary>>("/api/instruments".to_owned(), 0);
    let instrument_choices = named(i18n, &instruments, |i| (&i.code, &i.name_zh, &i.name_en));
    html! {
        <section>
            <h1>{ i18n.t("nav.assessments") }</h1>
            <div class="filters" role="group" aria-label={i18n.t("assessments.filters")}>
                <FilterSelect id="filter-instrument" label="assessment.instrument"
                    chosen={query.instrument.clone().map(AttrValue::from)}
                    choices={instrument_choices}
                    on_choose={list.on_choose(|q, v| q.instrument = Some(v.to_owned()).filter(|v| !v.is_empty()))} />
                <CodeFilter<Stage> id="filter-stage" label="assessment.stage" list="stage"
                    chosen={query.stage}
                    on_choose={list.on_value(|q, v| q.stage = v)} />
                <FilterDate id="filter-from" label="assessments.from" value={query.from}
                    on_choose={list.on_choose(|q, v| q.from = v.parse().ok())} />
                <FilterDate id="filter-to" label="assessments.to" value={query.to}
                    on_choose={list.on_choose(|q, v| q.to = v.parse().ok())} />
            </div>
            { match &*found {
                Load::Loading => html! { <p role="status">{ i18n.t("app.loading") }</p> },
                Load::Failed(error) => html! { <p role="alert" class="alert">{ i18n.error(error) }</p> },
                Load::Ready(found) => html! {
                    <>
                        <p role="status" class="result-count">{ i18n.tf("assessments.total", &[("total", &found.total.to_string())]) }</p>
                        if found.items.is_empty() {
                            <p>{ i18n.t("assessments.none") }</p>
                        } else {
                            <AssessmentTable items={found.items.clone()} />
                        }
                        <Pager page={found.page} total={found.total} per_page={found.per_page}
                            label="assessments.paging" on_page={list.on_page()} />
                    </>
                },
            } }
            <PendingLinks />
        </section>
    }
}

/// The case (by its number) or the group (by its title) something belongs to, linked.
fn place_link(i18n: I18n, place: &Place) -> Html {
    match place {
        Place::Case { id, case_number } => html! {
            <Link<Route> to={Route::CaseDetail { id: id.clone() }}>{ case_number.clone() }</Link<Route>>
        },
        Place::Group {
            id,
            title_zh,
            title_en,
        } => html! {
            <Link<Route> to={Route::GroupDetail { id: id.clone() }}>{ i18n.pick(title_zh, title_en).to_owned() }</Link<Route>>
        },
    }
}

#[derive(Properties, PartialEq)]
struct AssessmentTableProps {
    items: Vec<AssessmentListed>,
}

#[function_component]
fn AssessmentTable(props: &AssessmentTableProps) -> Html {
    let i18n = use_i18n();
    let headers = [
        "assessment.administered_on",
        "case.client",
        "assessments.place",
        "assessment.instrument",
        "assessment.stage",
        "assessments.by",
        "assessment.results",
        "assessment.alerts",
    ];
    html! {
        <div class="table-wrap" role="region" tabindex="0" aria-label={i18n.t("assessments.caption")}>
            <table class="data assessment-table" id="assessment-list">
                <caption>{ i18n.t("assessments.caption") }</caption>
                <thead>
                    <tr>{ for headers.iter().map(|key| html! { <th scope="col">{ i18n.t(key) }</th> }) }</tr>
                </thead>
                <tbody>
                    { for props.items.iter().map(|listed| {
                        let a = &listed.assessment;
                        let by = match &a.administered_by {
                            Some(staff) => staff.display_name.clone(),
                            None => i18n.t("assessment.self_completed").to_owned(),
                        };
                        html! {
                            <tr key={a.id.clone()}>
                                <th scope="row">{ a.administered_on.to_string() }</th>
                                <td>{ a.client_name.clone() }</td>
                                <td>{ place_link(i18n, &listed.place) }</td>
                                <td>{ i18n.pick(&a.instrument.name_zh, &a.instrument.name_en).to_owned() }</td>
                                <td>{ i18n.code("stage", a.stage.as_str()) }</td>
                                <td>{ by }</td>
                                { results_cells(i18n, a) }
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        </div>
    }
}

/// The links families have not answered yet, the latest sent first; an expired one needs
/// a new link. Paged on its own, without the address: it is a second list on the page.
#[function_component]
fn PendingLinks() -> Html {
    let i18n = use_i18n();
    let page = use_state(|| 1i64);
    let found = use_get::<LinkPage>(
        with_query(
            "/api/assessment-links",
            &[("state", "pending"), ("page", &page.to_string())],
        ),
        0,
    );
    let on_page = {
        let page = page.clone();
        Callback::from(move |to: i64| page.set(to))
    };
    let headers = [
        "case.client",
        "assessments.place",
        "assessment.instrument",
        "assessment.stage",
        "links.sent",
        "links.expires",
        "links.status",
    ];
    let body = match &*found {
        Load::Loading => html! { <p role="status">{ i18n.t("app.loading") }</p> },
        Load::Failed(error) => html! { <p role="alert" class="alert">{ i18n.error(error) }</p> },
        Load::Ready(found) if found.items.is_empty() => html! { <p>{ i18n.t("links.none") }</p> },
        Load::Ready(found) => html! {
            <>
                <div class="table-wrap" role="region" tabindex="0" aria-labelledby="pending-links-title">
                    <table class="data" id="pending-links">
                        <thead>
                            <tr>{ for headers.iter().map(|key| html! { <th scope="col">{ i18n.t(key) }</th> }) }</tr>
                        </thead>
                        <tbody>{ for found.items.iter().map(|link| link_row(i18n, link)) }</tbody>
                    </table>
                </div>
                <Pager page={found.page} total={found.total} per_page={found.per_page}
                    label="links.paging" {on_page} />
            </>
        },
    };
    html! {
        <section class="panel" aria-labelledby="pending-links-title">
            <h2 id="pending-links-title">{ i18n.t("links.title") }</h2>
            { body }
        </section>
    }
}

fn link_row(i18n: I18n, link: &LinkSent) -> Html {
    let status = if link.expired {
        "links.expired"
    } else {
        "links.waiting"
    };
    html! {
        <tr key={link.id.clone()} class={classes!(link.expired.then_some("expired"))}>
            <th scope="row">{ link.client_name.clone() }</th>
            <td>{ place_link(i18n, &link.place) }</td>
            <td>{ i18n.pick(&link.instrument.name_zh, &link.instrument.name_en).to_owned() }</td>
            <td>{ i18n.code("stage", link.stage.as_str()) }</td>
            <td>{ format!("{} · {}", hong_kong(link.sent_at), link.sent_by.display_name) }</td>
            <td>{ hong_kong(link.expires_at) }</td>
            <td>{ i18n.t(status) }</td>
        </tr>
    }
}
