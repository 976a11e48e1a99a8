//! The cases the user reaches, filtered by state, type and what waits on a decision.

use common::cases::{CaseListQuery, CasePage, CaseState, CaseSummary, CaseType, Pending};
use common::identity::Permission;
use yew::prelude::*;
use yew_router::prelude::*;

use super::person_name;
use crate::api::{encode, use_get, Load};
use crate::app::Route;
use crate::filters::CodeFilter;
use crate::i18n::{use_i18n, use_title, I18n};
use crate::pager::{use_addressed_list, Pager};

#[function_component]
pub fn CaseList() -> Html {
    use_title("cases.title");
    let i18n = use_i18n();
    let session = crate::identity::use_session();
    // The filters name no one, and a supervisor can keep a link to "closures waiting for me".
    let list = use_addressed_list::<CaseListQuery, _>(Route::Cases);
    let query = &list.query;
    let found = use_get::<CasePage>(list.api("/api/cases"), 0);
    html! {
        <section>
            <div class="page-head">
                <h1>{ i18n.t("cases.title") }</h1>
                <div class="actions">
                    if session.can(Permission::ViewCaseNotes) {
                        <Link<Route> to={Route::NoteSearch} classes="button note-search-link">
                            { i18n.t("note_search.title") }
                        </Link<Route>>
                    }
                </div>
            </div>
            <div class="filters" role="group" aria-label={i18n.t("cases.filters")}>
                <CodeFilter<CaseState> id="filter-state" label="case.state" list="case_state"
                    chosen={query.state}
                    on_choose={list.on_value(|q, v| q.state = v)} />
                <CodeFilter<CaseType> id="filter-type" label="case.case_type" list="case_type"
                    chosen={query.case_type}
                    on_choose={list.on_value(|q, v| q.case_type = v)} />
                <CodeFilter<Pending> id="filter-pending" label="cases.pending_filter" list="pending"
                    chosen={query.pending}
                    on_choose={list.on_value(|q, v| q.pending = v)} />
            </div>
            { match &*found {
                Load::Loading => html! { <p role="status">{ i18n.t("app.loading") }</p> },
                Load::Failed(error) => html! { <p role="alert" class="alert">{ i18n.error(error) }</p> },
                Load::Ready(found) => html! {
                    <>
                        <p role="status">{ i18n.tf("cases.total", &[("total", &found.total.to_string())]) }</p>
                        <CaseTable cases={found.items.clone()} />
                        <Pager page={found.page} total={found.total} per_page={found.per_page}
                            label="cases.paging" on_page={list.on_page()} />
                    </>
                },
            } }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct CaseTableProps {
    pub cases: Vec<CaseSummary>,
    #[prop_or(AttrValue::Static("case-table"))]
    pub id: AttrValue,
}

#[function_component]
pub fn CaseTable(props: &CaseTableProps) -> Html {
    let i18n = use_i18n();
    if props.cases.is_empty() {
        return html! { <p>{ i18n.t("cases.none") }</p> };
    }
    let headers = [
        "case.case_number",
        "case.client",
        "case.responsible_worker",
        "case.case_type",
        "case.state",
        "case.state_since",
        "case.pending",
    ];
    html! {
        <div class="table-wrap" role="region" tabindex="0" aria-label={i18n.t("cases.caption")}>
            <table class="data" id={props.id.clone()}>
                <caption>{ i18n.t("cases.caption") }</caption>
                <thead>
                    <tr>{ for headers.iter().map(|key| html! { <th scope="col">{ i18n.t(key) }</th> }) }</tr>
                </thead>
                <tbody>{ for props.cases.iter().map(|case| case_row(i18n, case)) }</tbody>
            </table>
        </div>
    }
}

fn case_row(i18n: I18n, case: &CaseSummary) -> Html {
    html! {
        <tr key={case.id.clone()}>
            <th scope="row">
                <Link<Route> to={Route::CaseDetail { id: case.id.clone() }}>{ case.case_number.clone() }</Link<Route>>
            </th>
            <td>{ person_name(&case.client) }</td>
            <td>{ case.responsible_worker.display_name.clone() }</td>
            <td>{ i18n.code("case_type", case.case_type.as_str()) }</td>
            <td>{ i18n.code("case_state", case.state.as_str()) }</td>
            <td>{ case.state_since.to_string() }</td>
            <td>{ case.pending.map(|p| i18n.code("pending", p.as_str())).unwrap_or_default() }</td>
        </tr>
    }
}

#[derive(Properties, PartialEq)]
pub struct ClientCasesProps {
    pub client_id: String,
}

/// A client's cases, on their record.
#[function_component]
pub fn ClientCases(props: &ClientCasesProps) -> Html {
    let i18n = use_i18n();
    let found = use_get::<CasePage>(
        format!("/api/cases?client_id={}", encode(&props.client_id)),
        0,
    );
    html! {
        <section aria-labelledby="client-cases-title">
            <h2 id="client-cases-title">{ i18n.t("client.cases") }</h2>
            { match &*found {
                Load::Loading => html! { <p role="status">{ i18n.t("app.loading") }</p> },
                // Someone who reaches the client but no case (an admin) sees no list.
                Load::Failed(_) => html! {},
                Load::Ready(found) => html! { <CaseTable cases={found.items.clone()} /> },
            } }
        </section>
    }
}
