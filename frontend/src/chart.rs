//! Charts drawn by plotly.js, which is loaded only when a page shows one. A drawing is not
//! readable by assistive technology: every chart has its numbers in a table beside it.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::Promise;
use plotly::common::Font;
use plotly::configuration::DisplayModeBar;
use plotly::{Configuration, Layout, Plot, Trace};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{spawn_local, JsFuture};
use yew::prelude::*;

use crate::i18n::use_i18n;

#[cfg(target_family = "wasm")]
use plotly::bindings::new_plot;

/// plotly's bindings exist only on wasm; a native build is made only to run unit tests.
#[cfg(not(target_family = "wasm"))]
async fn new_plot(_id: &str, _plot: &Plot) {}

/// Self-hosted (copied by Trunk from node_modules): the app uses no CDN.
const PLOTLY_SRC: &str = "/plotly.min.js";
/// The same stack as the style sheet, so Chinese names render alike.
const FONT_FAMILY: &str =
    "system-ui, -apple-system, \"Segoe UI\", \"Noto Sans TC\", \"Microsoft JhengHei\", \"PingFang HK\", sans-serif";

/// What a chart draws. plotly's `Plot` has no equality, so its JSON stands in for it: a
/// chart is redrawn only when what it draws changes (its data, or the language).
#[derive(Clone)]
pub struct Drawing {
    plot: Rc<Plot>,
    json: Rc<str>,
    height: usize,
}

impl PartialEq for Drawing {
    fn eq(&self, other: &Self) -> bool {
        self.json == other.json
    }
}

impl Drawing {
    /// The traces on the layout, `height` pixels high, in the app's type and without
    /// plotly's logo and tool bar.
    pub fn new(height: usize, layout: Layout, traces: Vec<Box<dyn Trace>>) -> Drawing {
        let mut plot = Plot::new();
        plot.add_traces(traces);
        plot.set_layout(
            layout
                .height(height)
                .font(Font::new().family(FONT_FAMILY).size(14).color("#1f2933")),
        );
        plot.set_configuration(
            Configuration::new()
                .responsive(true)
                .display_logo(false)
                .display_mode_bar(DisplayModeBar::False),
        );
        Drawing {
            json: plot.to_json().into(),
            plot: Rc::new(plot),
            height,
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Status {
    Loading,
    Drawn,
    Failed,
}

#[derive(Properties, PartialEq)]
pub struct ChartProps {
    /// The id of the element drawn into.
    pub id: AttrValue,
    /// What the chart shows and where its table is, for assistive technology.
    pub label: AttrValue,
    pub drawing: Drawing,
    /// Called with the place on the x axis of a point clicked (a bar's, a cell's column).
    #[prop_or_default]
    pub on_pick: Option<Callback<usize>>,
}

#[function_component]
pub fn Chart(props: &ChartProps) -> Html {
    let i18n = use_i18n();
    let status = use_state(|| Status::Loading);
    {
        let status = status.clone();
        let on_pick = props.on_pick.clone();
        use_effect_with(
            (props.id.clone(), props.drawing.clone()),
            move |(id, drawing)| {
                let current = Rc::new(Cell::new(true));
                let still_current = current.clone();
                let (id, plot) = (id.clone(), drawing.plot.clone());
                spawn_local(async move {
                    let loaded = load_plotly().await;
                    // The page may have moved on; plotly.js must not draw into a missing element.
                    if !still_current.get() || !element_exists(&id) {
                        return;
                    }
                    match loaded {
                        Ok(()) => {
                            new_plot(&id, &plot).await;
                            if let Some(on_pick) = on_pick {
                                listen_for_picks(&id, on_pick);
                            }
                            status.set(Status::Drawn);
                        }
                        Err(_) => status.set(Status::Failed),
                    }
                });
                move || current.set(false)
            },
        );
    }
    let message = match *status {
        Status::Loading => i18n.t("chart.loading"),
        Status::Failed => i18n.t("chart.failed"),
        Status::Drawn => "",
    };
    html! {
        <figure class="chart">
            // The room is kept while plotly.js loads, so the page does not jump.
            <div id={props.id.clone()} class="chart-drawing" role="img" aria-label={props.label.clone()}
                style={format!("min-height: {}px", props.drawing.height)}></div>
            <p role="status" class="chart-status">{ message }</p>
        </figure>
    }
}

/// plotly.js gives a drawn element an `on` method for its events: a click on a point
/// hands on its place on the x axis (`pointIndex`: a number for a bar, [row, column] for
/// a heat map's cell).
fn listen_for_picks(id: &str, on_pick: Callback<usize>) {
    let Some(element) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
    else {
        return;
    };
    let Ok(on) = js_sys::Reflect::get(&element, &"on".into()) else {
        return;
    };
    let Some(on) = on.dyn_ref::<js_sys::Function>() else {
        return;
    };
    let handler = Closure::<dyn Fn(JsValue)>::new(move |event: JsValue| {
        let index = js_sys::Reflect::get(&event, &"points".into())
            .and_then(|points| js_sys::Reflect::get(&points, &0.into()))
            .and_then(|point| js_sys::Reflect::get(&point, &"pointIndex".into()))
            .ok()
            .and_then(|index| {
                if js_sys::Array::is_array(&index) {
                    js_sys::Array::from(&index).get(1).as_f64()
                } else {
                    index.as_f64()
                }
            });
        if let Some(index) = index {
            on_pick.emit(index as usize);
        }
    });
    let _ = on.call2(&element, &"plotly_click".into(), handler.as_ref());
    // The element owns the listener from now on, and goes with the page.
    handler.forget();
}

/// Saves a drawn chart as a PNG, by plotly.js's own export of what is on the screen.
pub fn download_png(id: &str, file_name: &str) {
    let window = match web_sys::window() {
        Some(w) => w,
        None => return,
    };
    let plotly = js_sys::Reflect::get(&window, &"Plotly".into()).unwrap_or(JsValue::UNDEFINED);
    let download =
        js_sys::Reflect::get(&plotly, &"downloadImage".into()).unwrap_or(JsValue::UNDEFINED);
    let element = window.document().and_then(|d| d.get_element_by_id(id));
    if let (Some(download), Some(element)) = (download.dyn_ref::<js_sys::Function>(), element) {
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"format".into(), &"png".into());
        let _ = js_sys::Reflect::set(&options, &"filename".into(), &file_name.into());
        let _ = download.call2(&plotly, &element, &options);
    }
}

fn element_exists(id: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .is_some()
}

thread_local! {
    /// The one load of plotly.js: later waits reuse it.
    static PLOTLY: RefCell<Option<Promise>> = const { RefCell::new(None) };
}

/// Adds plotly.js's script tag once and waits for it. Only pages with a chart need the
/// large library, so other pages never download it.
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
