//! The centre's sessions on a calendar, a week or a month at a time: all of them, one
//! staff facilitator's or one venue's. What is shown lives in the address.

use chrono::{Datelike, Duration, NaiveDate, Utc};
use common::activities::{ActivitySession, Calendar};
use serde::{Deserialize, Serialize};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{use_get, with_query, Load};
use crate::app::Route;
use crate::cases::CaseworkerSelect;
use crate::form::{date_of, value_of};
use crate::i18n::{use_i18n, use_title, I18n};

/// What the calendar shows: a week or a month around `date`, narrowed or not.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CalendarView {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub month: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facilitator: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub venue: Option<String>,
}

fn today() -> NaiveDate {
    (Utc::now() + Duration::hours(8)).date_naive()
}

fn monday_of(day: NaiveDate) -> NaiveDate {
    day - Duration::days(day.weekday().num_days_from_monday() as i64)
}

impl CalendarView {
    fn is_month(&self) -> bool {
        self.month.unwrap_or(false)
    }

    /// The days shown: whole weeks, Monday first.
    fn days(&self) -> (NaiveDate, NaiveDate) {
        let date = self.date.unwrap_or_else(today);
        if self.is_month() {
            let first = date.with_day(1).unwrap_or(date);
            let next = (first + Duration::days(32)).with_day(1).unwrap_or(first);
            let last = next - Duration::days(1);
            (monday_of(first), monday_of(last) + Duration::days(6))
        } else {
            let monday = monday_of(date);
            (monday, monday + Duration::days(6))
        }
    }

    /// The same view a week or a month before (-1) or after (1).
    fn moved(&self, step: i64) -> CalendarView {
        let date = self.date.unwrap_or_else(today);
        let date = if self.is_month() {
            let first = date.with_day(1).unwrap_or(date);
            if step < 0 {
                (first - Duration::days(1)).with_day(1).unwrap_or(first)
            } else {
                (first + Duration::days(32)).with_day(1).unwrap_or(first)
            }
        } else {
            date + Duration::weeks(step)
        };
        CalendarView {
            date: Some(date),
            ..self.clone()
        }
    }

    fn address(&self) -> String {
        let (from, until) = self.days();
        with_query(
            "/api/activity-sessions",
            &[
                ("from", &from.to_string()),
                ("until", &until.to_string()),
                ("facilitator", self.facilitator.as_deref().unwrap_or("")),
                ("venue", self.venue.as_deref().unwrap_or("")),
            ],
        )
    }
}

#[function_component]
pub fn CalendarPage() -> Html {
    use_title("calendar.title");
    let i18n = use_i18n();
    let navigator = use_navigator();
    let view: CalendarView = use_location()
        .and_then(|l| l.query::<CalendarView>().ok())
        .unwrap_or_default();
    let found = use_get::<Calendar>(view.address(), 0);
    let go = Callback::from(move |view: CalendarView| {
        if let Some(navigator) = &navigator {
            let _ = navigator.push_with_query(&Route::GroupCalendar, &view);
        }
    });
    let change = |apply: fn(&mut CalendarView, &Event)| {
        let (go, view) = (go.clone(), view.clone());
        Callback::from(move |event: Event| {
            let mut next = view.clone();
            apply(&mut next, &event);
            go.emit(next);
        })
    };
    let step = |by: i64| {
        let (go, view) = (go.clone(), view.clone());
        Callback::from(move |_: MouseEvent| go.emit(view.moved(by)))
    };
    let (from, until) = view.days();
    html! {
        <section>
            <p class="back"><Link<Route> to={Route::Groups}>{ i18n.t("activity.back_to_list") }</Link<Route>></p>
            <h1>{ i18n.t("calendar.title") }</h1>
            <div class="filters" role="group" aria-label={i18n.t("calendar.filters")}>
                <div class="field">
                    <label for="calendar-view">{ i18n.t("calendar.view") }</label>
                    <select id="calendar-view" onchange={change(|v, e| v.month = Some(value_of(e) == "month"))}>
                        <option value="week" selected={!view.is_month()}>{ i18n.t("calendar.week") }</option>
                        <option value="month" selected={view.is_month()}>{ i18n.t("calendar.month") }</option>
                    </select>
                </div>
                <div class="field">
                    <label for="calendar-date">{ i18n.t("calendar.date") }</label>
                    <input id="calendar-date" type="date" value={view.date.unwrap_or_else(today).to_string()}
                        onchange={change(|v, e| v.date = date_of(e))} />
                </div>
                <div class="field">
                    <label for="calendar-facilitator">{ i18n.t("calendar.facilitator") }</label>
                    <CaseworkerSelect id="calendar-facilitator" value={view.facilitator.clone().unwrap_or_default()}
                        onchange={change(|v, e| v.facilitator = Some(value_of(e)).filter(|f| !f.is_empty()))} />
                </div>
                <div class="field">
                    <label for="calendar-venue">{ i18n.t("calendar.venue") }</label>
                    <input id="calendar-venue" type="text" maxlength="200" value={view.venue.clone().unwrap_or_default()}
                        onchange={change(|v, e| v.venue = Some(value_of(e)).filter(|f| !f.trim().is_empty()))} />
                </div>
            </div>
            <div class="actions">
                <button type="button" id="calendar-previous" onclick={step(-1)}>{ i18n.t("calendar.previous") }</button>
                <span role="status">{ format!("{from} – {until}") }</span>
                <button type="button" id="calendar-next" onclick={step(1)}>{ i18n.t("calendar.next") }</button>
            </div>
            { match &*found {
                Load::Loading => html! { <p role="status">{ i18n.t("app.loading") }</p> },
                Load::Failed(error) => html! { <p role="alert" class="alert">{ i18n.error(error) }</p> },
                Load::Ready(calendar) => grid(i18n, from, until, calendar),
            } }
        </section>
    }
}

const WEEKDAYS: [&str; 7] = [
    "calendar.mon",
    "calendar.tue",
    "calendar.wed",
    "calendar.thu",
    "calendar.fri",
    "calendar.sat",
    "calendar.sun",
];

/// Weeks as rows, days as columns, each day's sessions in time order.
fn grid(i18n: I18n, from: NaiveDate, until: NaiveDate, calendar: &Calendar) -> Html {
    let weeks = ((until - from).num_days() + 1) / 7;
    let local = |session: &ActivitySession| session.starts_at + Duration::hours(8);
    let entry = |session: &ActivitySession| {
        let (title, route) = match calendar.activity(&session.activity_id) {
            Some(a) => (
                i18n.pick(&a.title_zh, &a.title_en).to_owned(),
                Route::GroupDetail { id: a.id.clone() },
            ),
            None => (String::new(), Route::Groups),
        };
        html! {
            <li>
                { format!("{} ", local(session).format("%H:%M")) }
                <Link<Route> to={route}>{ title }</Link<Route>>
                { format!(" ({})", session.number) }
            </li>
        }
    };
    html! {
        <div class="table-wrap" role="region" tabindex="0" aria-labelledby="calendar-caption">
            <table class="data calendar" id="calendar">
                <caption id="calendar-caption">{ i18n.tf("calendar.caption", &[("count", &calendar.sessions.len().to_string())]) }</caption>
                <thead><tr>{ for WEEKDAYS.iter().map(|key| html! { <th scope="col">{ i18n.t(key) }</th> }) }</tr></thead>
                <tbody>
                    { for (0..weeks).map(|week| html! {
                        <tr>
                            { for (0..7).map(|weekday| {
                                let day = from + Duration::days(week * 7 + weekday);
                                html! {
                                    <td>
                                        <div class="day">{ day.format("%m-%d").to_string() }</div>
                                        <ul>
                                            { for calendar.sessions.iter().filter(|s| local(s).date_naive() == day).map(entry) }
                                        </ul>
                                    </td>
                                }
                            }) }
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}
