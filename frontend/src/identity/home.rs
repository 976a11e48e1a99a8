//! The home page: who is signed in, in which roles, centre and unit, and for a
//! caseworker the work waiting: the alerts to follow up, the risk flags standing and
//! their casework; certificates due for renewal, one's own and those of learners followed.

use common::identity::Permission;
use yew::prelude::*;

use crate::assessments::AlertQueue;
use crate::cases::CaseworkHomePanel;
use crate::child_protection::ProtectionQueue;
use crate::risk::{RiskQueue, UnmatchedCues};
use crate::training::ExpiringCertificates;

use crate::i18n::{use_i18n, use_title};
use crate::identity::use_session;

#[function_component]
pub fn HomePage() -> Html {
    use_title("home.title");
    let i18n = use_i18n();
    let session = use_session();
    let Some(me) = session.me.clone() else {
        return Html::default();
    };
    let centre = me
        .centre
        .as_ref()
        .map(|c| i18n.pick(&c.name_zh, &c.name_en).to_owned());
    let agency = me
        .agency
        .as_ref()
        .map(|a| i18n.pick(&a.name_zh, &a.name_en).to_owned());
    let none = || i18n.t("home.none").to_owned();
    html! {
        <section>
            <h1>{ i18n.tf("home.welcome", &[("name", &me.display_name)]) }</h1>
            <dl class="details">
                <dt>{ i18n.t("home.role") }</dt>
                <dd>{ me.roles.iter().map(|role| i18n.role(role)).collect::<Vec<_>>().join(" · ") }</dd>
                <dt>{ i18n.t("home.centre") }</dt>
                <dd>{ centre.unwrap_or_else(none) }</dd>
                <dt>{ i18n.t("home.unit") }</dt>
                <dd>{ me.unit.map_or_else(none, |unit| i18n.unit(unit).to_owned()) }</dd>
                <dt>{ i18n.t("home.agency") }</dt>
                <dd>{ agency.unwrap_or_else(none) }</dd>
            </dl>
            if session.can(Permission::ViewAssessments) && me.centre.is_some() {
                <AlertQueue />
                <RiskQueue />
                <UnmatchedCues />
            }
            if session.can(Permission::EditCases) {
                <ProtectionQueue />
                <CaseworkHomePanel />
            }
            if session.can(Permission::TakeCourses) {
                <ExpiringCertificates followed={false} />
            }
            if session.can(Permission::TeachCourses) || session.can(Permission::EnrolStaff) {
                <ExpiringCertificates followed={true} />
            }
        </section>
    }
}
