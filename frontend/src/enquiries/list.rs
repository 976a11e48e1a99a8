//! The enquiry log: the centre's enquiries, the latest first, filtered by dates, channel,
//! outcome and whether they were promoted.

use common::enquiries::{Channel, Enquiry, EnquiryListQuery, EnquiryOutcome, EnquiryPage};
use common::identity::Permission;
use common::taxonomy::Vocabulary;
use yew::prelude::*;
use yew_router::prelude::*;

use super::person;
use crate::api::{use_get, Load};
use crate::app::Route;
use crate::cases::hong_kong;
use crate::filters::{yes_no, CodeFilter, FilterDate, FilterSelect};
use crate::i18n::{use_i18n, use_title};
use crate::identity::use_session;
use crate::pager::{use_addressed_list, Pager};
use crate::terms::{names, use_terms};

#[function_component]
pub fn EnquiryLog() -> Html {
    use_title("enquiries.title");
    let i18n = use_i18n();
    let session = use_session();
    // The filters name no one, so they may live in the address.
    let list = use_addressed_list::<EnquiryListQuery, _>(Route::Enquiries);
    let query = &list.query;
    let found = use_get::<EnquiryPage>(list.api("/api/enquiries"), 0);
    let natures = use_terms(Vocabulary::CaseNatures);
    html! {
        <section>
            <div class="page-head">
                <h1>{ i18n.t("enquiries.title") }</h1>
                if session.can(Permission::EditEnquiries) {
                    <Link<Route> to={Route::EnquiryNew} classes="button primary">
                        { i18n.t("enquiries.record") }
                    </Link<Route>>
                }
            </div>
            <div class="filters" role="group" aria-label={i18n.t("enquiries.filters")}>
                <FilterDate id="filter-from" label="enquiries.from" value={query.from}
                    on_choose={list.on_choose(|q, v| q.from = v.parse().ok())} />
                <FilterDate id="filter-to" label="enquiries.to" value={query.to}
                    on_choose={list.on_choose(|q, v| q.to = v.parse().ok())} />
                <CodeFilter<Channel> id="filter-channel" label="enquiry.channel" list="channel"
                    chosen={query.channel}
                    on_choose={list.on_value(|q, v| q.channel = v)} />
                <CodeFilter<EnquiryOutcome> id="filter-outcome" label="enquiry.outcome" list="enquiry_outcome"
                    chosen={query.outcome}
                    on_choose={list.on_value(|q, v| q.outcome = v)} />
                <FilterSelect id="filter-promoted" label="enquiries.promoted_filter"
                    chosen={query.promoted.map(|p| AttrValue::from(p.to_string()))}
                    choices={yes_no(i18n, "enquiries.promoted_yes", "enquiries.promoted_no")}
                    on_choose={list.on_choose(|q, v| q.promoted = v.parse().ok())} />
            </div>
            { match &*found {
                Load::Loading => html! { <p role="status">{ i18n.t("app.loading") }</p> },
                Load::Failed(error) => html! { <p role="alert" class="alert">{ i18n.error(error) }</p> },
                Load::Ready(found) => html! {
                    <>
                        <p role="status" class="result-count">{ i18n.tf("enquiries.total", &[("total", &found.total.to_string())]) }</p>
                        if found.items.is_empty() {
                            <p>{ i18n.t("enquiries.none") }</p>
                        } else {
                            <div class="table-wrap" role="region" tabindex="0" aria-label={i18n.t("enquiries.caption")}>
                                <table class="data" id="enquiry-table">
                                    <caption>{ i18n.t("enquiries.caption") }</caption>
                                    <thead>
                                        <tr>
                                            { for ["enquiry.received_at", "enquiry.channel", "enquiry.topics", "enquiry.person",
                                                   "enquiry.minutes_spent", "enquiry.outcome", "enquiry.recorded_by"]
                                                .iter().map(|key| html! { <th scope="col">{ i18n.t(key) }</th> }) }
                                        </tr>
                                    </thead>
                                    <tbody>
                                        { for found.items.iter().map(|enquiry: &Enquiry| html! {
                                            <tr key={enquiry.id.clone()}>
                                                <th scope="row">
                                                    <Link<Route> to={Route::EnquiryDetail { id: enquiry.id.clone() }}>
                                                        { hong_kong(enquiry.received_at) }
                                                    </Link<Route>>
                                                </th>
                                                <td>{ i18n.code("channel", enquiry.channel.as_str()) }</td>
                                                <td>{ names(i18n, &natures, &enquiry.topic_codes) }</td>
                                                <td>{ person(i18n, enquiry) }</td>
                                                <td>{ enquiry.minutes_spent }</td>
                                                <td>{ i18n.code("enquiry_outcome", enquiry.outcome.as_str()) }</td>
                                                <td>{ enquiry.recorded_by.display_name.clone() }</td>
                                            </tr>
                                        }) }
                                    </tbody>
                                </table>
                            </div>
                        }
                        <Pager page={found.page} total={found.total} per_page={found.per_page}
                            label="enquiries.paging" on_page={list.on_page()} />
                    </>
                },
            } }
        </section>
    }
}
