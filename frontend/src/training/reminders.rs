//! Certificates due for renewal on the home page: a learner's own, each with the way to
//! take its course again, and those of the learners a trainer or an agency admin follows.

use common::training::{ExpiringCertificate, ExpiringList};
use yew::prelude::*;
use yew_router::prelude::*;

use super::TrainingRoute;
use crate::api::{use_get, Load};
use crate::i18n::{use_i18n, I18n};
use crate::pager::Pager;

#[derive(Properties, PartialEq)]
pub struct ExpiringProps {
    /// The learners followed, rather than one's own.
    pub followed: bool,
}

/// Nothing is shown while nothing is due.
#[function_component]
pub fn ExpiringCertificates(props: &ExpiringProps) -> Html {
    let i18n = use_i18n();
    let page = use_state(|| 1i64);
    let (path, id, title) = if props.followed {
        (
            "expiring",
            "expiring-certificates",
            "training.expiring_followed",
        )
    } else {
        (
            "reminders",
            "certificate-reminders",
            "training.expiring_own",
        )
    };
    let found = use_get::<ExpiringList>(format!("/api/certificates/{path}?page={}", *page), 0);
    let list = match &*found {
        Load::Ready(list) if !list.items.is_empty() => list,
        _ => return Html::default(),
    };
    let on_page = {
        let page = page.clone();
        Callback::from(move |n: i64| page.set(n))
    };
    html! {
        <section class="panel" id={id} aria-labelledby={format!("{id}-title")}>
            <h2 id={format!("{id}-title")}>{ i18n.t(title) }</h2>
            <p class="note">{ i18n.tf("training.expiring_within", &[("days", &list.within_days.to_string())]) }</p>
            <ul>
                { for list.items.iter().map(|item| line(i18n, item, props.followed)) }
            </ul>
            <Pager page={list.page} total={list.total} per_page={list.per_page} label="training.expiring_pages" {on_page} />
        </section>
    }
}

fn line(i18n: I18n, item: &ExpiringCertificate, followed: bool) -> Html {
    let c = &item.certificate;
    let expiry = c.expires_on.map(|d| d.to_string()).unwrap_or_default();
    let when = if item.days_left < 0 {
        i18n.tf("training.expired_on", &[("day", &expiry)])
    } else {
        i18n.tf(
            "training.expires_in",
            &[("day", &expiry), ("days", &item.days_left.to_string())],
        )
    };
    let course = TrainingRoute::Course {
        id: item.course_id.clone(),
    };
    html! {
        <li key={c.code.clone()} class="expiring">
            if followed {
                { format!("{} ({}) · ", c.learner_name, item.username) }
            }
            <Link<TrainingRoute> to={course.clone()}>{ i18n.pick(&c.course_title_zh, &c.course_title_en).to_owned() }</Link<TrainingRoute>>
            { " · " }{ c.code.clone() }{ " · " }
            <span class="badge">{ when }</span>
            if item.renewing {
                { " · " }<span class="badge">{ i18n.t("training.renewing") }</span>
            } else if !followed {
                { " · " }
                <Link<TrainingRoute> to={course} classes="renew-link">{ i18n.t("training.renew") }</Link<TrainingRoute>>
            }
        </li>
    }
}
