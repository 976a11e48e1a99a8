//! The centre's groups, programmes and events, the latest starting first, filtered by
//! kind and unit; the filters live in the address.

use common::activities::{Activity, ActivityKind, ActivityListQuery, ActivityPage};
use common::identity::{Permission, Unit};
use yew::prelude::*;
use yew_router::prelude::*;

use super::{places, title};
use crate::api::{use_get, Load};
use crate::app::Route;
use crate::filters::CodeFilter;
use crate::i18n::{use_i18n, use_title};
use crate::identity::use_session;
use crate::pager::{use_addressed_list, Pager};

#[function_component]
pub fn ActivityList() -> Html {
    use_title("activities.title");
    let i18n = use_i18n();
    let session = use_session();
    let list = use_addressed_list::<ActivityListQuery, _>(Route::Groups);
    let query = &list.query;
    let found = use_get::<ActivityPage>(list.api("/api/activities"), 0);
    html! {
        <section>
            <div class="page-head">
                <h1>{ i18n.t("activities.title") }</h1>
                <div class="actions">
                    <Link<Route> to={Route::GroupCalendar} classes="button">
                        { i18n.t("activities.calendar") }
                    </Link<Route>>
                    if session.can(Permission::EditActivities) {
                        <Link<Route> to={Route::GroupNew} classes="button primary">
                            { i18n.t("activities.new") }
                        </Link<Route>>
                    }
                </div>
            </div>
            <div class="filters" role="group" aria-label={i18n.t("activities.filters")}>
                <CodeFilter<ActivityKind> id="filter-kind" label="activity.kind" list="activity_kind"
                    chosen={query.kind}
                    on_choose={list.on_value(|q, v| q.kind = v)} />
                <CodeFilter<Unit> id="filter-unit" label="activity.unit" list="unit"
                    chosen={query.unit}
                    on_choose={list.on_value(|q, v| q.unit = v)} />
            </div>
            { match &*found {
                Load::Loading => html! { <p role="status">{ i18n.t("app.loading") }</p> },
                Load::Failed(error) => html! { <p role="alert" class="alert">{ i18n.error(error) }</p> },
                Load::Ready(found) => html! {
                    <>
                        <p role="status" class="result-count">{ i18n.tf("activities.total", &[("total", &found.total.to_string())]) }</p>
                        if found.items.is_empty() {
                            <p>{ i18n.t("activities.none") }</p>
                        } else {
                            <div class="table-wrap" role="region" tabindex="0" aria-label={i18n.t("activities.caption")}>
                                <table class="data" id="activity-table">
                                    <caption>{ i18n.t("activities.caption") }</caption>
                                    <thead>
                                        <tr>
                                            { for ["activity.title", "activity.kind", "activity.format", "activity.planned",
                                                   "activity.places", "activity.waiting", "activity.sessions"]
                                                .iter().map(|key| html! { <th scope="col">{ i18n.t(key) }</th> }) }
                                        </tr>
                                    </thead>
                                    <tbody>
                                        { for found.items.iter().map(|activity: &Activity| html! {
                                            <tr key={activity.id.clone()}>
                                                <th scope="row">
                                                    <Link<Route> to={Route::GroupDetail { id: activity.id.clone() }}>
                                                        { title(i18n, activity) }
                                                    </Link<Route>>
                                                </th>
                                                <td>{ i18n.code("activity_kind", activity.kind.as_str()) }</td>
                                                <td>{ i18n.code("activity_format", activity.format.as_str()) }</td>
                                                <td>{ format!("{} – {}", activity.planned_start, activity.planned_end) }</td>
                                                <td>{ places(activity) }</td>
                                                <td>{ activity.waiting }</td>
                                                <td>{ format!("{} / {}", activity.evaluation.sessions_held, activity.evaluation.sessions_planned) }</td>
                                            </tr>
                                        }) }
                                    </tbody>
                                </table>
                            </div>
                        }
                        <Pager page={found.page} total={found.total} per_page={found.per_page}
                            label="activities.paging" on_page={list.on_page()} />
                    </>
                },
            } }
        </section>
    }
}
