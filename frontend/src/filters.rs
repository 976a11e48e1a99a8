//! The controls of a filter bar, shared by every list page and the dashboards: a labelled
//! choice from a closed list, "any" first, and a labelled day.

use chrono::NaiveDate;
use yew::prelude::*;

use crate::form::value_of;
use crate::i18n::{use_i18n, I18n};

#[derive(Properties, PartialEq)]
pub struct FilterSelectProps {
    pub id: &'static str,
    /// Translation key of the label.
    pub label: &'static str,
    /// Translation key of the first choice, which filters nothing; none when a choice is
    /// always made.
    #[prop_or(Some("cases.any"))]
    pub any: Option<&'static str>,
    /// The code chosen, if any.
    pub chosen: Option<AttrValue>,
    /// Each choice as (code, name).
    pub choices: Vec<(AttrValue, AttrValue)>,
    /// The code chosen, empty for "any".
    pub on_choose: Callback<String>,
}

#[function_component]
pub fn FilterSelect(props: &FilterSelectProps) -> Html {
    let i18n = use_i18n();
    let onchange = props.on_choose.reform(|event: Event| value_of(&event));
    html! {
        <div class="field">
            <label for={props.id}>{ i18n.t(props.label) }</label>
            <select id={props.id} {onchange}>
                if let Some(any) = props.any {
                    <option value="" selected={props.chosen.is_none()}>{ i18n.t(any) }</option>
                }
                { for props.choices.iter().map(|(code, name)| html! {
                    <option value={code.clone()} selected={props.chosen.as_ref() == Some(code)}>{ name.clone() }</option>
                }) }
            </select>
        </div>
    }
}

/// The choices of a closed list, each named in the current language from the translation
/// list `list`.
pub fn coded<T: Copy>(
    i18n: I18n,
    list: &str,
    all: &[T],
    code: fn(T) -> &'static str,
) -> Vec<(AttrValue, AttrValue)> {
    all.iter()
        .map(|v| {
            let code = code(*v);
            (
                AttrValue::Static(code),
                AttrValue::Static(i18n.code(list, code)),
            )
        })
        .collect()
}

/// A yes-or-no filter's two choices, named by the given translation keys.
pub fn yes_no(i18n: I18n, yes: &'static str, no: &'static str) -> Vec<(AttrValue, AttrValue)> {
    vec![
        (AttrValue::Static("true"), AttrValue::Static(i18n.t(yes))),
        (AttrValue::Static("false"), AttrValue::Static(i18n.t(no))),
    ]
}

#[derive(Properties, PartialEq)]
pub struct FilterDateProps {
    pub id: &'static str,
    /// Translation key of the label.
    pub label: &'static str,
    pub value: Option<NaiveDate>,
    /// The day chosen as `YYYY-MM-DD`, empty when cleared.
    pub on_choose: Callback<String>,
}

#[function_component]
pub fn FilterDate(props: &FilterDateProps) -> Html {
    let i18n = use_i18n();
    let onchange = props.on_choose.reform(|event: Event| value_of(&event));
    let value = props.value.map(|d| d.to_string()).unwrap_or_default();
    html! {
        <div class="field">
            <label for={props.id}>{ i18n.t(props.label) }</label>
            <input id={props.id} type="date" {value} {onchange} />
        </div>
    }
}
