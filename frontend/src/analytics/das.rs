//! The DAS page: clients by district, as a chart and as a table.

use std::rc::Rc;

use common::analytics::ClientsByDistrict;
use common::identity::AnalyticsScope;
use yew::prelude::*;

use super::chart::DistrictChart;
use crate::api::{use_get, Load};
use crate::i18n::{use_i18n, use_title};

#[function_component]
pub fn DasPage() -> Html {
    use_title("das.title");
    let i18n = use_i18n();
    let loaded = use_get::<ClientsByDistrict>("/api/analytics/clients-by-district".to_owned(), 0);
    let body = match &*loaded {
        Load::Loading => html! { <p role="status">{ i18n.t("app.loading") }</p> },
        Load::Failed(error) => html! { <p role="alert" class="alert">{ i18n.error(error) }</p> },
        Load::Ready(data) => {
            let scope = match data.scope {
                AnalyticsScope::Centre => "das.scope.centre",
                AnalyticsScope::Agency => "das.scope.agency",
                AnalyticsScope::All => "das.scope.all",
            };
            html! {
                <>
                    <p>{ i18n.t(scope) }</p>
                    <DistrictChart data={data.clone()} />
                    <DistrictTable data={data.clone()} />
                </>
            }
        }
    };
    html! {
        <section>
            <h1>{ i18n.t("das.title") }</h1>
            { body }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct DistrictTableProps {
    data: Rc<ClientsByDistrict>,
}

/// The chart's numbers for screen readers, keyboard users and anyone who wants exact figures.
#[function_component]
fn DistrictTable(props: &DistrictTableProps) -> Html {
    let i18n = use_i18n();
    let total: i64 = props.data.districts.iter().map(|d| d.count).sum();
    html! {
        <div class="table-wrap" role="region" tabindex="0" aria-label={i18n.t("das.table_caption")}>
            <table class="data numbers">
                <caption>{ i18n.t("das.table_caption") }</caption>
                <thead>
                    <tr>
                        <th scope="col">{ i18n.t("das.district") }</th>
                        <th scope="col" class="num">{ i18n.t("das.count") }</th>
                    </tr>
                </thead>
                <tbody>
                    { for props.data.districts.iter().map(|d| html! {
                        <tr key={d.district.code()}>
                            <th scope="row">{ i18n.district(d.district) }</th>
                            <td class="num">{ d.count }</td>
                        </tr>
                    }) }
                </tbody>
                <tfoot>
                    <tr>
                        <th scope="row">{ i18n.t("das.total") }</th>
                        <td class="num">{ total }</td>
                    </tr>
                </tfoot>
            </table>
        </div>
    }
}
