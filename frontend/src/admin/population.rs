//! The district population the profile dashboard's rates are reckoned against: what is
//! loaded, and a form to load a new file in its place.

use common::error::ErrorBody;
use common::population::{PopulationForm, PopulationSummary, HEADER};
use yew::prelude::*;

use crate::api::{use_get, Load};
use crate::form::{
    error_attrs, field_error, form_alert, read_text_file, submit, value_of, FormField,
};
use crate::i18n::{use_i18n, I18n};
use crate::identity::use_session;

const PATH: &str = "/api/analytics/population";

/// "Line 3, district: not a district code", for each value of the file the server named.
fn file_errors(i18n: I18n, errors: &Option<ErrorBody>) -> Html {
    let Some(errors) = errors else {
        return Html::default();
    };
    let lines: Vec<String> = errors
        .fields
        .iter()
        .filter(|(field, _)| field.starts_with("csv"))
        .map(|(field, error)| {
            let place = match field.split('.').collect::<Vec<_>>()[..] {
                [_, line, column] => i18n.tf(
                    "population.at",
                    &[
                        ("line", line),
                        (
                            "column",
                            i18n.lookup(&format!("population.column.{column}"))
                                .unwrap_or(column),
                        ),
                    ],
                ),
                _ => i18n.t("population.file").to_owned(),
            };
            format!("{place}: {}", i18n.field_error(error))
        })
        .collect();
    if lines.is_empty() {
        return Html::default();
    }
    html! {
        <ul id="population-errors" class="alert" role="alert">
            { for lines.iter().map(|l| html! { <li>{ l }</li> }) }
        </ul>
    }
}

#[function_component]
pub fn PopulationPanel() -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let generation = use_state(|| 0u32);
    let loaded = use_get::<Option<PopulationSummary>>(PATH.to_owned(), *generation);
    let source = use_state(String::new);
    let csv = use_state(String::new);
    let errors = use_state(|| None::<ErrorBody>);
    let notice = use_state(|| false);
    let current = match &*loaded {
        Load::Ready(summary) => summary.as_ref().as_ref().map(|s| s.id.clone()),
        _ => None,
    };
    let on_source = {
        let source = source.clone();
        Callback::from(move |event: InputEvent| source.set(value_of(&event)))
    };
    let on_file = {
        let csv = csv.clone();
        Callback::from(move |event: Event| {
            let csv = csv.clone();
            read_text_file(&event, Callback::from(move |text| csv.set(text)));
        })
    };
    let onsubmit = {
        let (source, csv, errors) = (source.clone(), csv.clone(), errors.clone());
        let (generation, notice) = (generation.clone(), notice.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            notice.set(false);
            let body = PopulationForm {
                source: (*source).clone(),
                csv: (*csv).clone(),
                replaces: current.clone(),
            };
            let (generation, notice) = (generation.clone(), notice.clone());
            submit(
                api.clone(),
                true,
                PATH.to_owned(),
                body,
                errors.clone(),
                Callback::from(move |_: PopulationSummary| {
                    notice.set(true);
                    generation.set(generation.wrapping_add(1));
                }),
            );
        })
    };
    let summary = match &*loaded {
        Load::Loading => html! { <p role="status">{ i18n.t("app.loading") }</p> },
        Load::Failed(error) => html! { <p role="alert" class="alert">{ i18n.error(error) }</p> },
        Load::Ready(summary) => match summary.as_ref() {
            None => html! { <p id="population-none">{ i18n.t("population.none") }</p> },
            Some(s) => html! {
                <>
                    <p id="population-loaded">
                        { i18n.tf("population.loaded", &[
                            ("source", &s.source),
                            ("by", &s.loaded_by),
                            ("at", &s.loaded_at.format("%Y-%m-%d %H:%M").to_string()),
                            ("total", &s.total.to_string()),
                        ]) }
                    </p>
                    <details>
                        <summary>{ i18n.t("population.by_district") }</summary>
                        <table class="data numbers" id="population-districts">
                            <caption>{ i18n.t("population.by_district") }</caption>
                            <thead><tr>
                                <th scope="col">{ i18n.t("das.district") }</th>
                                <th scope="col">{ i18n.t("population.residents") }</th>
                            </tr></thead>
                            <tbody>
                                { for s.by_district.iter().map(|(d, n)| html! {
                                    <tr><th scope="row">{ i18n.district(*d) }</th><td class="num">{ n }</td></tr>
                                }) }
                            </tbody>
                        </table>
                    </details>
                </>
            },
        },
    };
    let source_error = field_error(&errors, "source");
    let (invalid, described) = error_attrs("population-source", source_error.as_ref());
    html! {
        <section class="panel" id="population" aria-labelledby="population-title">
            <h2 id="population-title">{ i18n.t("population.title") }</h2>
            <p>{ i18n.t("population.about") }</p>
            { summary }
            <form id="population-form" {onsubmit} novalidate=true>
                { form_alert(i18n, &errors) }
                <FormField id="population-source" label="population.source" error={source_error}>
                    <input id="population-source" type="text" value={(*source).clone()} oninput={on_source}
                        aria-invalid={invalid} aria-describedby={described} />
                </FormField>
                <div class="field">
                    <label for="population-file">{ i18n.t("population.file") }</label>
                    <input id="population-file" type="file" accept=".csv,text/csv" onchange={on_file}
                        aria-describedby="population-format" />
                    <p id="population-format" class="note">
                        { i18n.tf("population.format", &[("header", &HEADER.join(","))]) }
                    </p>
                </div>
                if !csv.is_empty() {
                    <p id="population-read" role="status">
                        { i18n.tf("population.read", &[("lines", &csv.lines().filter(|l| !l.trim().is_empty()).count().to_string())]) }
                    </p>
                }
                { file_errors(i18n, &errors) }
                <button type="submit">{ i18n.t("population.load") }</button>
                if *notice {
                    <p role="status" id="population-saved">{ i18n.t("population.saved") }</p>
                }
            </form>
        </section>
    }
}
