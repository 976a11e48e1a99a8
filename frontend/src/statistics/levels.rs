//! The levels a centre agreed with SWD for a year: kept by its centre or agency admin,
//! each at the version read.

use common::error::ErrorBody;
use common::statistics::{AgreedLevel, AgreedLevelForm};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::api::{encode, use_get, Load};
use crate::form::{error_attrs, field_error, value_of};
use crate::i18n::use_i18n;
use crate::identity::use_session;

#[derive(Properties, PartialEq)]
pub struct LevelsEditorProps {
    pub centre_id: String,
    pub year: i32,
}

#[function_component]
pub fn LevelsEditor(props: &LevelsEditorProps) -> Html {
    let i18n = use_i18n();
    let generation = use_state(|| 0u32);
    let levels = use_get::<Vec<AgreedLevel>>(
        format!(
            "/api/service-standards?centre_id={}&year={}",
            encode(&props.centre_id),
            props.year
        ),
        *generation,
    );
    let on_saved = {
        let generation = generation.clone();
        Callback::from(move |_| generation.set(*generation + 1))
    };
    html! {
        <section aria-labelledby="levels-title" id="agreed-levels">
            <h2 id="levels-title">{ i18n.t("levels.title") }</h2>
            <p class="hint">{ i18n.t("levels.hint") }</p>
            { match &*levels {
                Load::Loading => html! { <p role="status">{ i18n.t("app.loading") }</p> },
                Load::Failed(error) => html! { <p role="alert" class="alert">{ i18n.error(error) }</p> },
                Load::Ready(list) => html! {
                    <ul class="levels">
                        { for list.iter().map(|level| html! {
                            <LevelRow key={level.indicator.as_str()} level={level.clone()} on_saved={on_saved.clone()} />
                        }) }
                    </ul>
                },
            } }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct LevelRowProps {
    level: AgreedLevel,
    on_saved: Callback<()>,
}

#[function_component]
fn LevelRow(props: &LevelRowProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let level = &props.level;
    let typed = use_state(|| {
        level
            .agreed_level
            .map(|l| l.to_string())
            .unwrap_or_default()
    });
    let errors = use_state(|| None::<ErrorBody>);
    let id = format!("level-{}", level.indicator.as_str());
    let on_input = {
        let typed = typed.clone();
        Callback::from(move |event: InputEvent| typed.set(value_of(&event)))
    };
    let onsubmit = {
        let (typed, errors, level, on_saved) = (
            typed.clone(),
            errors.clone(),
            level.clone(),
            props.on_saved.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let form = AgreedLevelForm {
                centre_id: level.centre_id.clone(),
                financial_year: Some(level.financial_year),
                indicator: Some(level.indicator),
                agreed_level: typed.trim().parse().ok(),
                version: level.version,
            };
            let (api, errors, on_saved) = (api.clone(), errors.clone(), on_saved.clone());
            spawn_local(async move {
                match api
                    .send(
                        gloo_net::http::Method::PUT,
                        "/api/service-standards",
                        Some(&form),
                    )
                    .await
                {
                    Ok(_) => {
                        errors.set(None);
                        on_saved.emit(());
                    }
                    Err(failure) => errors.set(Some(failure)),
                }
            });
        })
    };
    let error = field_error(&errors, "agreed_level");
    let (invalid, described) = error_attrs(&id, error.as_ref());
    let unit = if level.indicator.is_percent() {
        i18n.t("levels.percent")
    } else {
        i18n.t("levels.count")
    };
    html! {
        <li>
            <form {onsubmit} class="inline">
                <label for={id.clone()}>{ i18n.code("indicator", level.indicator.as_str()) }</label>
                <input id={id.clone()} type="number" min="0" inputmode="numeric" value={(*typed).clone()}
                    oninput={on_input} aria-invalid={invalid} aria-describedby={described} />
                <span>{ unit }</span>
                <button type="submit">{ i18n.t("levels.save") }</button>
                if let Some(error) = &error {
                    <p id={format!("{id}-error")} class="field-error">{ i18n.field_error(error) }</p>
                }
                if let Some(failure) = errors.as_ref().filter(|e| e.fields.is_empty()) {
                    <p role="alert" class="alert">{ i18n.error(failure) }</p>
                }
            </form>
        </li>
    }
}
