//! An enquiry's page: what was asked and what came of it, an Edit mode that reuses the
//! enquiry form, and the way to register the person and open a case.

use std::rc::Rc;

use common::enquiries::Enquiry;
use common::identity::Permission;
use common::taxonomy::Vocabulary;
use yew::prelude::*;
use yew_router::prelude::*;

use super::form::EnquiryFormView;
use super::person;
use crate::api::{encode, use_get, Load};
use crate::app::Route;
use crate::cases::hong_kong;
use crate::i18n::{use_i18n, use_title};
use crate::identity::use_session;
use crate::terms::{names, use_terms};

#[derive(Properties, PartialEq)]
pub struct EnquiryDetailProps {
    pub id: String,
}

#[function_component]
pub fn EnquiryDetailPage(props: &EnquiryDetailProps) -> Html {
    use_title("enquiry.detail_title");
    let i18n = use_i18n();
    let session = use_session();
    let loaded = use_get::<Enquiry>(format!("/api/enquiries/{}", encode(&props.id)), 0);
    let natures = use_terms(Vocabulary::CaseNatures);
    let editing = use_state(|| false);
    let notice = use_state(|| None::<&'static str>);
    let back = html! {
        <p class="back"><Link<Route> to={Route::Enquiries}>{ i18n.t("enquiry.back_to_log") }</Link<Route>></p>
    };
    let enquiry = match &*loaded {
        Load::Loading => return html! { <p role="status">{ i18n.t("app.loading") }</p> },
        Load::Failed(error) => {
            return html! { <section>{ back }<p role="alert" class="alert">{ i18n.error(error) }</p></section> }
        }
        Load::Ready(enquiry) => enquiry.clone(),
    };
    let may_edit = session.can(Permission::EditEnquiries);
    let may_promote = may_edit
        && session.can(Permission::EditClients)
        && session.can(Permission::EditCases)
        && enquiry.case_id.is_none();
    let start_editing = {
        let editing = editing.clone();
        Callback::from(move |_: MouseEvent| editing.set(true))
    };
    let stop_editing = {
        let editing = editing.clone();
        Callback::from(move |()| editing.set(false))
    };
    let on_saved = {
        let (loaded, editing, notice) = (loaded.clone(), editing.clone(), notice.clone());
        Callback::from(move |saved: Enquiry| {
            loaded.set(Load::Ready(Rc::new(saved)));
            editing.set(false);
            notice.set(Some("enquiry.saved"));
        })
    };
    html! {
        <section>
            { back }
            <div class="page-head">
                <h1>{ i18n.tf("enquiry.heading", &[("at", &hong_kong(enquiry.received_at))]) }</h1>
            </div>
            <p role="status" class="notice">{ notice.map(|key| i18n.t(key)).unwrap_or_default() }</p>
            if *editing {
                <EnquiryFormView enquiry={Some(enquiry.clone())} {on_saved}
                    on_cancel={Some(stop_editing)} />
            } else {
                <dl class="details" id="enquiry-detail">
                    <dt>{ i18n.t("enquiry.received_at") }</dt><dd>{ hong_kong(enquiry.received_at) }</dd>
                    <dt>{ i18n.t("enquiry.channel") }</dt><dd>{ i18n.code("channel", enquiry.channel.as_str()) }</dd>
                    <dt>{ i18n.t("enquiry.topics") }</dt><dd>{ names(i18n, &natures, &enquiry.topic_codes) }</dd>
                    <dt>{ i18n.t("enquiry.minutes_spent") }</dt><dd>{ enquiry.minutes_spent }</dd>
                    <dt>{ i18n.t("enquiry.outcome") }</dt>
                    <dd id="enquiry-outcome-shown">{ i18n.code("enquiry_outcome", enquiry.outcome.as_str()) }</dd>
                    <dt>{ i18n.t("enquiry.unit") }</dt><dd>{ i18n.unit(enquiry.unit) }</dd>
                    <dt>{ i18n.t("enquiry.summary") }</dt><dd class="narrative">{ enquiry.summary.clone() }</dd>
                    <dt>{ i18n.t("enquiry.person") }</dt><dd>{ person(i18n, &enquiry) }</dd>
                    if let Some(sex) = enquiry.sex {
                        <dt>{ i18n.t("client.sex") }</dt><dd>{ i18n.sex(sex) }</dd>
                    }
                    if let Some(band) = enquiry.age_band {
                        <dt>{ i18n.t("enquiry.age_band") }</dt><dd>{ i18n.code("age_band", band.as_str()) }</dd>
                    }
                    <dt>{ i18n.t("enquiry.recorded_by") }</dt><dd>{ enquiry.recorded_by.display_name.clone() }</dd>
                </dl>
                if let (Some(client_id), Some(case_id)) = (&enquiry.client_id, &enquiry.case_id) {
                    <p>
                        <Link<Route> to={Route::ClientDetail { id: client_id.clone() }}>{ i18n.t("enquiry.open_client") }</Link<Route>>
                        { " · " }
                        <Link<Route> to={Route::CaseDetail { id: case_id.clone() }}>{ i18n.t("enquiry.open_case") }</Link<Route>>
                    </p>
                }
                <div class="actions">
                    if may_promote {
                        <Link<Route> to={Route::EnquiryPromote { id: enquiry.id.clone() }} classes="button primary">
                            { i18n.t("enquiry.promote") }
                        </Link<Route>>
                    }
                    if may_edit {
                        <button id="enquiry-edit" type="button" onclick={start_editing}>{ i18n.t("client.edit") }</button>
                    }
                </div>
            }
        </section>
    }
}
