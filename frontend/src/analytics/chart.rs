//! The district bar chart, drawn by plotly.js, which is loaded only when it is needed.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use common::analytics::ClientsByDistrict;
use js_sys::Promise;
use plotly::common::{Font, Marker, Orientation, Title};
use plotly::configuration::DisplayModeBar;
use plotly::layout::{Axis, Margin, RangeMode, TicksDirection};
use plotly::{Bar, Configuration, Layout, Plot};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{spawn_local, JsFuture};
use yew::prelude::*;

use crate::i18n::{use_i18n, I18n};

#[cfg(target_family = "wasm")]
use plotly::bindings::new_plot;

/// plotly's bindings exist only on wasm; a native build is made only to run unit tests.
#[cfg(not(target_family = "wasm"))]
async fn new_plot(_id: &str, _plot: &Plot) {}

const CHART_ID: &str = "district-chart";
/// Self-hosted (copied by Trunk from node_modules): the app uses no CDN.
const PLOTLY_SRC: &str = "/plotly.min.js";
/// The same stack as the style sheet, so Chinese district names render alike.
const FONT_FAMILY: &str =
    "system-ui, -apple-system, \"Segoe UI\", \"Noto Sans TC\", \"Microsoft JhengHei\", \"PingFang HK\", sans-serif";

#[derive(Clone, Copy, PartialEq)]
enum Status {
    Loading,
    Drawn,
    Failed,
}

#[derive(Properties, PartialEq)]
pub struct DistrictChartProps {
    pub data: Rc<ClientsByDistrict>,
}

#[function_component]
pub fn DistrictChart(props: &DistrictChartProps) -> Html {
    let i18n = use_i18n();
    let status = use_state(|| Status::Loading);
    {
        let status = status.clone();
        // Redrawn when the language changes, so labels and title follow it.
        use_effect_with((props.data.clone(), i18n), move |(data, i18n)| {
            let current = Rc::new(Cell::new(true));
            let still_current = current.clone();
            let plot = district_plot(data, *i18n);
            spawn_local(async move {
                let loaded = load_plotly().await;
                // The page may have moved on; plotly.js must not draw into a missing element.
                if !still_current.get() || !chart_element_exists() {
                    return;
                }
                match loaded {
                    Ok(()) => {
                        new_plot(CHART_ID, &plot).await;
                        status.set(Status::Drawn);
                    }
                    Err(_) => status.set(Status::Failed),
                }
            });
            move || current.set(false)
        });
    }
    let message = match *status {
        Status::Loading => i18n.t("das.chart_loading"),
        Status::Failed => i18n.t("das.chart_failed"),
        Status::Drawn => "",
    };
    html! {
        <figure class="chart">
            // The drawing is not readable by assistive technology; the table below is.
            <div id={CHART_ID} role="img" aria-label={i18n.t("das.chart_label")}></div>
            <p role="status" class="chart-status">{ message }</p>
        </figure>
    }
}

fn chart_element_exists() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(CHART_ID))
        .is_some()
}

fn district_plot(data: &ClientsByDistrict, i18n: I18n) -> Plot {
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
        .font(Font::new().family(FONT_FAMILY).size(14).color("#1f2933"))
        .height(620)
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
    let mut plot = Plot::new();
    plot.add_trace(bars);
    plot.set_layout(layout);
    plot.set_configuration(
        Configuration::new()
            .responsive(true)
            .display_logo(false)
            .display_mode_bar(DisplayModeBar::False),
    );
    plot
}

thread_local! {
    /// The one load of plotly.js: later waits reuse it.
    static PLOTLY: RefCell<Option<Promise>> = const { RefCell::new(None) };
}

/// Adds plotly.js's script tag once and waits for it. Only this page needs the large
/// library, so other pages never download it.
async fn load_plotly() -> Result<(), JsValue> {
    let promise = PLOTLY.with(|cell| cell.borrow_mut().get_or_insert_with(inject_script).clone());
    let result = JsFuture::from(promise).await.map(drop);
    if result.is_err() {
        // Let a later visit try again, e.g. after the network comes back.
        PLOTLY.with(|cell| cell.borrow_mut().take());
    }
    result
}

fn inject_script() -> Promise {
    Promise::new(&mut |resolve, reject| {
        let added = (|| -> Result<(), JsValue> {
            let document = web_sys::window()
                .and_then(|w| w.document())
                .ok_or(JsValue::NULL)?;
            let script: web_sys::HtmlScriptElement =
                document.create_element("script")?.unchecked_into();
            script.set_src(PLOTLY_SRC);
            script.add_event_listener_with_callback("load", &resolve)?;
            script.add_event_listener_with_callback("error", &reject)?;
            document
                .head()
                .ok_or(JsValue::NULL)?
                .append_child(&script)?;
            Ok(())
        })();
        if let Err(error) = added {
            let _ = reject.call1(&JsValue::NULL, &error);
        }
    })
}
