//! A choropleth of Hong Kong's 18 districts, drawn from npm's `@svg-maps/hong-kong`
//! (CC BY 4.0, credited on the map) and built into the app: no tiles, nothing fetched.
//! It colours the districts by any row of a figure laid out by district.

use std::rc::Rc;
use std::sync::OnceLock;

use common::analytics::{Dashboard, Dimension};
use common::districts::District;
use serde::Deserialize;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

use super::figures::{csv_text, label, save_buttons};
use crate::form::value_of;
use crate::i18n::{use_i18n, I18n};

/// The package's module: `export default {…}` around JSON.
const SOURCE: &str = include_str!("../../node_modules/@svg-maps/hong-kong/index.js");

/// The package's ids for the districts, against the Home Affairs Department's codes.
const IDS: [(&str, District); 18] = [
    ("cw", District::A),
    ("wc", District::B),
    ("ea", District::C),
    ("so", District::D),
    ("yt", District::E),
    ("ss", District::F),
    ("kc", District::G),
    ("wt", District::H),
    ("ku", District::J),
    ("tw", District::K),
    ("tm", District::L),
    ("yl", District::M),
    ("no", District::N),
    ("tp", District::P),
    ("sk", District::Q),
    ("st", District::R),
    ("ki", District::S),
    ("is", District::T),
];

#[derive(Deserialize)]
struct Package {
    #[serde(rename = "viewBox")]
    view_box: String,
    locations: Vec<Location>,
}

#[derive(Deserialize)]
struct Location {
    id: String,
    path: String,
}

/// The map's size and each district's outline.
struct Outline {
    width: f64,
    height: f64,
    districts: Vec<(District, String)>,
}

fn outline() -> &'static Outline {
    static OUTLINE: OnceLock<Outline> = OnceLock::new();
    OUTLINE.get_or_init(|| {
        let json = SOURCE
            .trim()
            .trim_start_matches("export default")
            .trim_end_matches(';');
        let package: Package = serde_json::from_str(json).unwrap_or(Package {
            view_box: String::new(),
            locations: Vec::new(),
        });
        let size: Vec<f64> = package
            .view_box
            .split_whitespace()
            .filter_map(|n| n.parse().ok())
            .collect();
        let districts = package
            .locations
            .into_iter()
            .filter_map(|l| {
                let district = IDS.iter().find(|(id, _)| *id == l.id)?.1;
                Some((district, l.path))
            })
            .collect();
        Outline {
            width: size.get(2).copied().unwrap_or(613.0),
            height: size.get(3).copied().unwrap_or(445.0),
            districts,
        }
    })
}

/// Five shades of one hue for counts above zero; zero is white, a suppressed count grey.
const SHADES: [&str; 5] = ["#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c"];
const ZERO: &str = "#ffffff";
const SUPPRESSED: &str = "#bdbdbd";

/// Equal steps up to the largest value, at most five of them: whole steps from 1 for
/// counts, tenths for rates.
#[derive(Clone, Copy, PartialEq, Debug)]
struct Scale {
    step: f64,
    classes: usize,
    whole: bool,
}

impl Scale {
    fn of(values: impl Iterator<Item = f64>, whole: bool) -> Scale {
        let max = values.fold(0.0, f64::max);
        let step = if whole {
            (max / 5.0).ceil().max(1.0)
        } else {
            ((max / 5.0 * 10.0).ceil() / 10.0).max(0.1)
        };
        let classes = ((max / step).ceil() as usize).clamp(1, 5);
        Scale {
            step,
            classes,
            whole,
        }
    }

    fn colour(self, value: Option<f64>) -> &'static str {
        match value {
            None => SUPPRESSED,
            Some(v) if v <= 0.0 => ZERO,
            Some(v) => {
                SHADES[((v / self.step).ceil() as usize)
                    .saturating_sub(1)
                    .min(self.classes - 1)]
            }
        }
    }

    /// Each class's colour and the values it holds.
    fn legend(self) -> Vec<(&'static str, String)> {
        (0..self.classes)
            .map(|i| {
                let high = (i + 1) as f64 * self.step;
                let text = match (self.whole, i + 1 == self.classes) {
                    (true, _) if self.step == 1.0 => format!("{}", i + 1),
                    (true, true) => format!("{}+", i as f64 * self.step + 1.0),
                    (true, false) => format!("{}–{high}", i as f64 * self.step + 1.0),
                    (false, true) => format!("> {:.1}", i as f64 * self.step),
                    (false, false) => format!("≤ {high:.1}"),
                };
                (SHADES[i], text)
            })
            .collect()
    }

    fn format(self, value: Option<f64>, i18n: I18n) -> String {
        match value {
            None => i18n.t("das.suppressed").to_owned(),
            Some(v) if self.whole => format!("{v:.0}"),
            Some(v) => format!("{v:.1}"),
        }
    }
}

/// A row of a figure laid out by district, as counts or per 10,000 residents: what the
/// map can be coloured by.
#[derive(Clone, PartialEq)]
struct Measure {
    key: String,
    name: String,
    rate: bool,
    values: Vec<(District, Option<f64>)>,
}

fn measures(i18n: I18n, d: &Dashboard) -> Vec<Measure> {
    let mut all = Vec::new();
    for f in d
        .figures
        .iter()
        .filter(|f| f.columns.dimension == Dimension::District)
    {
        let districts: Vec<Option<District>> = f
            .columns
            .keys
            .iter()
            .map(|k| District::from_code(k))
            .collect();
        let by_district = |row: Vec<Option<f64>>| -> Vec<(District, Option<f64>)> {
            districts
                .iter()
                .zip(row)
                .filter_map(|(d, v)| Some(((*d)?, v)))
                .collect()
        };
        for (r, row) in f.rows.keys.iter().enumerate() {
            let name = label(i18n, d, f.rows.dimension, row);
            all.push(Measure {
                key: format!("{}:{row}", f.id),
                name: name.clone(),
                rate: false,
                values: by_district(f.cells[r].iter().map(|v| v.map(|n| n as f64)).collect()),
            });
            if let Some(rates) = &f.per_10000 {
                all.push(Measure {
                    key: format!("{}:{row}:per_10000", f.id),
                    name: format!("{name} ({})", i18n.t("das.per_10000")),
                    rate: true,
                    values: by_district(rates[r].clone()),
                });
            }
        }
    }
    all
}

#[derive(Properties, PartialEq)]
pub struct DistrictMapProps {
    pub dashboard: Rc<Dashboard>,
    pub on_pick: Callback<(Dimension, String)>,
}

const MAP_ID: &str = "das-map";
const FONT: &str = "system-ui, \"Noto Sans TC\", \"Microsoft JhengHei\", sans-serif";
/// Room above the map for its title and below it for the legend and credit, so that the
/// saved PNG carries all three.
const TOP: f64 = 36.0;
const BOTTOM: f64 = 64.0;

/// The districts coloured by the chosen measure. Hovering or focusing a district shows its
/// count; a click, or Enter, filters the page to it. The same counts are in a table.
#[function_component]
pub fn DistrictMap(props: &DistrictMapProps) -> Html {
    let i18n = use_i18n();
    let chosen = use_state(String::new);
    let pointed = use_state(|| None::<District>);
    let all = measures(i18n, &props.dashboard);
    let Some(measure) = all
        .iter()
        .find(|m| m.key == *chosen)
        .or_else(|| all.first())
    else {
        return Html::default();
    };
    let outline = outline();
    // A district missing from the figure counted nothing.
    let value = |district: District| match measure.values.iter().find(|(d, _)| *d == district) {
        Some((_, v)) => *v,
        None => Some(0.0),
    };
    let scale = Scale::of(measure.values.iter().filter_map(|(_, v)| *v), !measure.rate);
    let shown = |v: Option<f64>, i18n: I18n| scale.format(v, i18n);
    let title = i18n.tf("das.map.title", &[("measure", &measure.name)]);
    let reading = |district: District| {
        format!(
            "{}: {}",
            i18n.district(district),
            shown(value(district), i18n)
        )
    };
    let pick = |district: District| {
        let on_pick = props.on_pick.clone();
        move || on_pick.emit((Dimension::District, district.code().to_owned()))
    };
    let paths = outline.districts.iter().map(|(district, path)| {
        let district = *district;
        let onclick = {
            let pick = pick(district);
            Callback::from(move |_: MouseEvent| pick())
        };
        let onkeydown = {
            let pick = pick(district);
            Callback::from(move |event: KeyboardEvent| {
                if event.key() == "Enter" || event.key() == " " {
                    event.prevent_default();
                    pick();
                }
            })
        };
        html! {
            <path d={path.clone()} data-district={district.code()} fill={scale.colour(value(district))}
                class={classes!((*pointed == Some(district)).then_some("pointed"))}
                tabindex="0" role="button" aria-label={reading(district)}
                {onclick} {onkeydown}
                onmouseenter={point(&pointed, Some(district))} onmouseleave={point(&pointed, None)}
                onfocus={point(&pointed, Some(district))} onblur={point(&pointed, None)}>
                <title>{ reading(district) }</title>
            </path>
        }
    });
    let legend_y = TOP + outline.height + 14.0;
    let mut swatches = vec![(ZERO, "0".to_owned())];
    swatches.extend(scale.legend());
    swatches.push((SUPPRESSED, i18n.t("das.suppressed").to_owned()));
    let legend = swatches.iter().enumerate().map(|(i, (colour, text))| {
        let x = 10.0 + 78.0 * i as f64;
        html! {
            <g>
                <rect x={x.to_string()} y={legend_y.to_string()} width="16" height="12"
                    fill={*colour} stroke="#6b7280" stroke-width="0.5" />
                <text x={(x + 21.0).to_string()} y={(legend_y + 10.5).to_string()} font-size="11">{ text }</text>
            </g>
        }
    });
    let on_measure = {
        let chosen = chosen.clone();
        Callback::from(move |event: Event| chosen.set(value_of(&event)))
    };
    let file = measure.key.replace(':', "_");
    let on_png = {
        let name = format!("map_{file}.png");
        Callback::from(move |_| {
            let _ = save_png(MAP_ID, &name);
        })
    };
    let csv = {
        let mut rows = vec![vec![String::new(), measure.name.clone()]];
        rows.extend(
            outline
                .districts
                .iter()
                .map(|(d, _)| vec![i18n.district(*d).to_owned(), shown(value(*d), i18n)]),
        );
        csv_text(rows)
    };
    let (width, height) = (outline.width, TOP + outline.height + BOTTOM);
    let mut in_order: Vec<District> = outline.districts.iter().map(|(d, _)| *d).collect();
    in_order.sort_by_key(|d| d.code());
    html! {
        <article class="das-figure" id="das-map-figure">
            <h2>{ i18n.t("das.map") }</h2>
            <div class="field">
                <label for="das-map-measure">{ i18n.t("das.map.measure") }</label>
                <select id="das-map-measure" onchange={on_measure}>
                    { for all.iter().map(|m| html! {
                        <option value={m.key.clone()} selected={m.key == measure.key}>{ &m.name }</option>
                    }) }
                </select>
            </div>
            <p class="map-reading" aria-hidden="true">
                { pointed.map_or_else(|| i18n.t("das.map.point").to_owned(), reading) }
            </p>
            <svg id={MAP_ID} class="district-map" xmlns="http://www.w3.org/2000/svg"
                viewBox={format!("0 0 {width} {height}")} role="group"
                aria-label={i18n.tf("das.chart_label", &[("title", &title)])}
                font-family={FONT} fill="#1f2933">
                <rect width={width.to_string()} height={height.to_string()} fill="#ffffff" />
                <text x="10" y="22" font-size="15" font-weight="600">{ &title }</text>
                <g transform={format!("translate(0 {TOP})")} stroke="#4b5563" stroke-width="0.6">
                    { for paths }
                </g>
                { for legend }
                <text x="10" y={(height - 10.0).to_string()} font-size="9" fill="#4b5563">{ i18n.t("das.map.credit") }</text>
            </svg>
            { save_buttons(i18n, on_png, csv, format!("map_{file}.csv")) }
            <details>
                <summary>{ i18n.t("das.map.table") }</summary>
                <table class="data numbers">
                    <caption>{ &title }</caption>
                    <thead><tr>
                        <th scope="col">{ i18n.t("das.district") }</th>
                        <th scope="col">{ &measure.name }</th>
                    </tr></thead>
                    <tbody>
                        { for in_order.iter().map(|d| html! {
                            <tr>
                                <th scope="row">{ i18n.district(*d) }</th>
                                <td class="num">{ shown(value(*d), i18n) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </details>
        </article>
    }
}

/// Sets the district pointed at, by mouse or by focus.
fn point<E>(pointed: &UseStateHandle<Option<District>>, to: Option<District>) -> Callback<E> {
    let pointed = pointed.clone();
    Callback::from(move |_| pointed.set(to))
}

/// Draws the map's SVG on a canvas at twice its size and saves the canvas as a PNG.
fn save_png(id: &str, file_name: &str) -> Result<(), JsValue> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or(JsValue::NULL)?;
    let svg = document.get_element_by_id(id).ok_or(JsValue::NULL)?;
    let (width, height) = {
        let o = outline();
        (2.0 * o.width, 2.0 * (TOP + o.height + BOTTOM))
    };
    let source = format!(
        "data:image/svg+xml;charset=utf-8,{}",
        String::from(js_sys::encode_uri_component(&svg.outer_html()))
    );
    let image = web_sys::HtmlImageElement::new()?;
    let drawn = image.clone();
    let file_name = file_name.to_owned();
    let onload = Closure::once(move || -> Result<(), JsValue> {
        let canvas: web_sys::HtmlCanvasElement =
            document.create_element("canvas")?.unchecked_into();
        canvas.set_width(width as u32);
        canvas.set_height(height as u32);
        let context: web_sys::CanvasRenderingContext2d = canvas
            .get_context("2d")?
            .ok_or(JsValue::NULL)?
            .unchecked_into();
        context
            .draw_image_with_html_image_element_and_dw_and_dh(&drawn, 0.0, 0.0, width, height)?;
        let link: web_sys::HtmlAnchorElement = document.create_element("a")?.unchecked_into();
        link.set_href(&canvas.to_data_url_with_type("image/png")?);
        link.set_download(&file_name);
        link.click();
        Ok(())
    });
    image.set_onload(Some(onload.as_ref().unchecked_ref()));
    onload.forget();
    image.set_src(&source);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_package_outlines_each_district_once() {
        let o = outline();
        let mut districts: Vec<&str> = o.districts.iter().map(|(d, _)| d.code()).collect();
        districts.sort_unstable();
        let mut all: Vec<&str> = District::ALL.iter().map(|d| d.code()).collect();
        all.sort_unstable();
        assert_eq!(districts, all);
        assert_eq!((o.width, o.height), (613.0, 445.0));
        assert!(o.districts.iter().all(|(_, p)| p.starts_with('m')));
    }

    #[test]
    fn the_scale_steps_evenly_to_the_largest_value() {
        let scale = Scale::of([3.0, 0.0, 47.0].into_iter(), true);
        assert_eq!((scale.step, scale.classes), (10.0, 5));
        assert_eq!(scale.colour(Some(0.0)), ZERO);
        assert_eq!(scale.colour(None), SUPPRESSED);
        assert_eq!(scale.colour(Some(1.0)), SHADES[0]);
        assert_eq!(scale.colour(Some(10.0)), SHADES[0]);
        assert_eq!(scale.colour(Some(11.0)), SHADES[1]);
        assert_eq!(scale.colour(Some(47.0)), SHADES[4]);
        assert_eq!(scale.legend()[1].1, "11–20");
        assert_eq!(scale.legend()[4].1, "41+");
        let small = Scale::of([2.0, 1.0].into_iter(), true);
        assert_eq!((small.step, small.classes), (1.0, 2));
        let names: Vec<String> = small.legend().into_iter().map(|l| l.1).collect();
        assert_eq!(names, ["1", "2"]);
        assert_eq!(Scale::of(std::iter::empty(), true).classes, 1);
        let rates = Scale::of([0.4, 12.3].into_iter(), false);
        assert_eq!((rates.step, rates.classes), (2.5, 5));
        assert_eq!(rates.colour(Some(0.4)), SHADES[0]);
        assert_eq!(rates.colour(Some(12.3)), SHADES[4]);
        assert_eq!(rates.legend()[0].1, "≤ 2.5");
        assert_eq!(rates.legend()[4].1, "> 10.0");
    }
}
