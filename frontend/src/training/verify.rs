//! The certificate check anyone may open from a certificate's QR code, signed in or not:
//! what the certificate says and whether it stands.

use common::training::{hours, Certificate, CertificateStatus};
use yew::prelude::*;

use crate::api::{use_get, Load};
use crate::i18n::{use_i18n, use_title};

#[derive(Properties, PartialEq)]
pub struct VerifyProps {
    pub code: String,
}

#[function_component]
pub fn VerifyPage(props: &VerifyProps) -> Html {
    use_title("verify.title");
    let i18n = use_i18n();
    let found = use_get::<Certificate>(
        format!("/api/certificates/{}", crate::api::encode(&props.code)),
        0,
    );
    html! {
        <section class="verify">
            <h1>{ i18n.t("verify.title") }</h1>
            { match &*found {
                Load::Loading => html! { <p role="status">{ i18n.t("app.loading") }</p> },
                Load::Failed(_) => html! {
                    <p role="alert" class="alert" id="verify-result">{ i18n.tf("verify.unknown", &[("code", &props.code)]) }</p>
                },
                Load::Ready(c) => {
                    let status = match c.status {
                        CertificateStatus::Valid => "verify.valid",
                        CertificateStatus::Expired => "verify.expired",
                        CertificateStatus::Revoked => "verify.revoked",
                    };
                    html! {
                        <div id="verify-result">
                            <p class={classes!("badge", (c.status != CertificateStatus::Valid).then_some("warning"))} id="verify-status">
                                { i18n.t(status) }
                                if let Some(on) = c.revoked_on {
                                    { " " }{ i18n.tf("verify.revoked_on", &[("on", &on.to_string())]) }
                                }
                            </p>
                            <dl class="facts">
                                <dt>{ i18n.t("verify.name") }</dt><dd id="verify-name">{ c.learner_name.clone() }</dd>
                                <dt>{ i18n.t("verify.course") }</dt><dd>{ c.course_title_zh.clone() }<br />{ c.course_title_en.clone() }</dd>
                                <dt>{ i18n.t("verify.hours") }</dt><dd>{ hours(c.cpd_tenths) }</dd>
                                <dt>{ i18n.t("verify.completed_on") }</dt><dd>{ c.completed_on.to_string() }</dd>
                                if let Some(expires) = c.expires_on {
                                    <dt>{ i18n.t("verify.expires_on") }</dt><dd>{ expires.to_string() }</dd>
                                }
                                <dt>{ i18n.t("verify.issuer") }</dt><dd>{ i18n.pick(&c.issuer_zh, &c.issuer_en).to_owned() }</dd>
                                <dt>{ i18n.t("verify.code") }</dt><dd>{ c.code.clone() }</dd>
                            </dl>
                        </div>
                    }
                }
            } }
        </section>
    }
}
