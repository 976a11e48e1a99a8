//! The CPD of an agency's staff, for its agency admin: each member's hours this year and
//! this cycle and who is behind, searched and filtered, the list as CSV or Excel; and one member's
//! record, read only, with their evidence to download.

use common::cpd::{CpdPeriod, CpdRecord, CpdSource, StaffCpdList};
use common::error::ErrorBody;
use common::training::hours;
use yew::prelude::*;
use yew_router::prelude::*;

use super::cpd::{entries, periods, policy_note};
use super::TrainingRoute;
use crate::api::{download_on_click, use_get, with_query, Load, XLSX_TYPE};
use crate::i18n::{use_i18n, use_title, I18n};
use crate::identity::use_session;
use crate::pager::{use_searched, Pager};

/// The list's filters as the address of a page of it, or of its file.
fn staff_path(file: &str, (behind, q): (bool, &str), page: i64) -> String {
    let page = page.to_string();
    with_query(
        &format!("/api/cpd/staff{file}"),
        &[
            ("behind", if behind { "true" } else { "" }),
            ("q", q),
            ("page", if file.is_empty() { page.as_str() } else { "" }),
        ],
    )
}

#[function_component]
pub fn StaffCpdPage() -> Html {
    use_title("cpd.staff_title");
    let i18n = use_i18n();
    let session = use_session();
    let behind = use_state(|| false);
    let searched = use_searched();
    let (q, page) = (searched.q.clone(), searched.page.clone());
    let errors = use_state(|| None::<ErrorBody>);
    let list = use_get::<StaffCpdList>(staff_path("", (*behind, &q), *page), 0);
    let choose = |to: bool| {
        let (behind, page) = (behind.clone(), page.clone());
        Callback::from(move |_: MouseEvent| {
            behind.set(to);
            page.set(1);
        })
    };
    let export = |extension: &str, media_type: &str| {
        download_on_click(
            &session.api,
            &errors,
            staff_path(&format!(".{extension}"), (*behind, &q), 1),
            format!("staff-cpd.{extension}"),
            media_type.to_owned(),
        )
    };
    html! {
        <section>
            <h1>{ i18n.t("cpd.staff_title") }</h1>
            if let Some(error) = &*errors {
                <p role="alert" class="alert">{ i18n.error(error) }</p>
            }
            { match &*list {
                Load::Loading => html! { <p role="status">{ i18n.t("app.loading") }</p> },
                Load::Failed(error) => html! { <p role="alert" class="alert">{ i18n.error(error) }</p> },
                Load::Ready(list) => html! {
                    <>
                        <div class="filters" role="group" aria-label={i18n.t("cpd.staff_filter")}>
                            <button type="button" id="staff-all" aria-pressed={(!*behind).to_string()} onclick={choose(false)}>
                                { i18n.tf("cpd.staff_all", &[("count", &list.staff.to_string())]) }
                            </button>
                            <button type="button" id="staff-behind" aria-pressed={behind.to_string()} onclick={choose(true)}>
                                { i18n.tf("cpd.staff_behind", &[("count", &list.behind.to_string())]) }
                            </button>
                        </div>
                        <form class="search" role="search" onsubmit={searched.onsearch()}>
                            <label for="staff-search">{ i18n.t("cpd.staff_find") }</label>
                            <input id="staff-search" type="search" value={(*searched.typed).clone()} oninput={searched.on_typed()} />
                            <button type="submit">{ i18n.t("training.search") }</button>
                        </form>
                        <p class="actions">
                            <button type="button" id="staff-csv" onclick={export("csv", "text/csv")}>{ i18n.t("training.export_csv") }</button>
                            <button type="button" id="staff-xlsx" onclick={export("xlsx", XLSX_TYPE)}>{ i18n.t("training.export_xlsx") }</button>
                        </p>
                        { staff_table(i18n, list) }
                        <Pager page={list.page} total={list.total} per_page={list.per_page} label="cpd.staff_title" on_page={searched.on_page()} />
                    </>
                },
            } }
        </section>
    }
}

/// A period's hours: counted, of the minimum where one is set.
fn standing(i18n: I18n, period: &CpdPeriod) -> String {
    match period.minimum_tenths {
        Some(minimum) => i18n.tf(
            "cpd.counted_of",
            &[
                ("counted", &hours(period.counted_tenths)),
                ("minimum", &hours(minimum)),
            ],
        ),
        None => hours(period.counted_tenths),
    }
}

fn staff_table(i18n: I18n, list: &StaffCpdList) -> Html {
    if list.items.is_empty() {
        return html! { <p id="staff-none">{ i18n.t("cpd.staff_none") }</p> };
    }
    html! {
        <table class="data" id="staff-cpd">
            <caption>{ i18n.tf("cpd.staff_found", &[("count", &list.total.to_string())]) }</caption>
            <thead><tr>
                <th scope="col">{ i18n.t("cpd.staff_name") }</th>
                <th scope="col">{ i18n.t("cpd.year_verified") }</th>
                <th scope="col">{ i18n.t("cpd.year_self_reported") }</th>
                <th scope="col">{ i18n.t("cpd.year_counted") }</th>
                <th scope="col">{ i18n.t("cpd.cycle_verified") }</th>
                <th scope="col">{ i18n.t("cpd.cycle_self_reported") }</th>
                <th scope="col">{ i18n.t("cpd.cycle_counted") }</th>
                <th scope="col">{ i18n.t("cpd.staff_standing") }</th>
            </tr></thead>
            <tbody>
                { for list.items.iter().map(|s| html! {
                    <tr key={s.staff.id.clone()}>
                        <th scope="row">
                            <Link<TrainingRoute> to={TrainingRoute::StaffCpd { id: s.staff.id.clone() }}>{ s.staff.display_name.clone() }</Link<TrainingRoute>>
                            <span class="meta">{ " · " }{ s.username.clone() }</span>
                        </th>
                        <td class="num">{ hours(s.year.verified_tenths) }</td>
                        <td class="num">{ hours(s.year.self_reported_tenths) }</td>
                        <td class="num">{ standing(i18n, &s.year) }</td>
                        <td class="num">{ hours(s.cycle.verified_tenths) }</td>
                        <td class="num">{ hours(s.cycle.self_reported_tenths) }</td>
                        <td class="num">{ standing(i18n, &s.cycle) }</td>
                        <td><span class="badge">{ i18n.t(if s.behind { "cpd.behind" } else { "cpd.on_track" }) }</span></td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}

#[derive(Properties, PartialEq)]
pub struct StaffRecordProps {
    pub id: String,
}

/// A member of staff's CPD record as their agency admin reads it: nothing to change.
#[function_component]
pub fn StaffRecordPage(props: &StaffRecordProps) -> Html {
    use_title("cpd.staff_title");
    let i18n = use_i18n();
    let session = use_session();
    let errors = use_state(|| None::<ErrorBody>);
    let path = format!("/api/cpd/staff/{}", props.id);
    let loaded = use_get::<CpdRecord>(path.clone(), 0);
    let record = match &*loaded {
        Load::Loading => return html! { <p role="status">{ i18n.t("app.loading") }</p> },
        Load::Failed(error) => {
            return html! { <p role="alert" class="alert">{ i18n.error(error) }</p> }
        }
        Load::Ready(record) => record.clone(),
    };
    let actions = |e: &common::cpd::CpdEntry| match (&e.source, &e.evidence) {
        (CpdSource::SelfReported, Some(evidence)) => {
            let download = download_on_click(
                &session.api,
                &errors,
                format!("{path}/learning/{}/evidence", e.id),
                evidence.file_name.clone(),
                evidence.media_type.clone(),
            );
            html! {
                <button type="button" class="evidence-download" onclick={download}>
                    { i18n.tf("cpd.evidence_named", &[("file", &evidence.file_name)]) }
                </button>
            }
        }
        (CpdSource::SelfReported, None) => html! {},
        (CpdSource::Verified, _) => {
            html! { <a href={format!("/verify/{}", e.id)}>{ e.id.clone() }</a> }
        }
    };
    html! {
        <section>
            <p><Link<TrainingRoute> to={TrainingRoute::StaffCpdList}>{ i18n.t("cpd.back_to_staff") }</Link<TrainingRoute>></p>
            <h1 id="staff-record-title">{ i18n.tf("cpd.holder", &[("name", &record.holder)]) }</h1>
            if let Some(error) = &*errors {
                <p role="alert" class="alert">{ i18n.error(error) }</p>
            }
            { periods(i18n, "cpd-years", "cpd.years", &record.years, |p| p.from.format("%Y").to_string()) }
            { periods(i18n, "cpd-cycles", "cpd.cycles", &record.cycles, |p| format!("{}–{}", p.from.format("%Y"), p.until.format("%Y"))) }
            <p class="note">{ policy_note(i18n, &record) }</p>
            <h2>{ i18n.t("cpd.entries") }</h2>
            { entries(i18n, &record, actions) }
        </section>
    }
}
