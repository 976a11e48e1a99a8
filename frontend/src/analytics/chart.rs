//! The district bar chart.

use std::rc::Rc;

use common::analytics::ClientsByDistrict;
use plotly::common::{Marker, Orientation, Title};
use plotly::layout::{Axis, Margin, RangeMode, TicksDirection};
use plotly::{Bar, Layout};
use yew::prelude::*;

use crate::chart::{Chart, Drawing};
use crate::i18n::{use_i18n, I18n};

#[derive(Properties, PartialEq)]
pub struct DistrictChartProps {
    pub data: Rc<ClientsByDistrict>,
}

#[function_component]
pub fn DistrictChart(props: &DistrictChartProps) -> Html {
    let i18n = use_i18n();
    html! {
        <Chart id="district-chart" label={i18n.t("das.chart_label")}
            drawing={district_plot(&props.data, i18n)} />
    }
}

fn district_plot(data: &ClientsByDistrict, i18n: I18n) -> Drawing {
    // Horizontal bars list the first category at the bottom: reverse so the list reads
    // top-down in the districts' usual order, like the table.
    let (names, counts): (Vec<String>, Vec<i64>) = data
        .districts
        .iter()
        .rev()
        .map(|d| (i18n.district(d.district).to_owned(), d.count))
        .unzip();
    let bars = Bar::new(counts, names)
        .orientation(Orientation::Horizontal)
        .marker(Marker::new().color("#1d5b8c"))
        .hover_template("%{y}: %{x}<extra></extra>");
    let layout = Layout::new()
        .title(Title::with_text(i18n.t("das.chart_title")))
        .margin(Margin::new().left(20).right(20).top(60).bottom(50))
        .x_axis(
            Axis::new()
                .title(Title::with_text(i18n.t("das.axis_count")))
                .range_mode(RangeMode::ToZero)
                // Counts are whole numbers.
                .tick_format(",d"),
        )
        // Invisible outside ticks keep the district names off the axis line.
        .y_axis(
            Axis::new()
                .auto_margin(true)
                .ticks(TicksDirection::Outside)
                .tick_length(8)
                .tick_color("rgba(0,0,0,0)"),
        );
    Drawing::new(620, layout, vec![bars])
}
