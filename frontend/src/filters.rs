//! The controls of a filter bar, shared by every list page and the dashboards: a labelled
//! choice from a closed list, "any" first, and a labelled day.

use chrono::NaiveDate;
use common::codes::StoredCode;
use yew::prelude::*;

use crate::api::Load;
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

#[derive(Properties, PartialEq)]
pub struct CodeFilterProps<T: StoredCode> {
    pub id: &'static str,
    /// Translation key of the label.
    pub label: &'static str,
    /// The translation list that names the codes.
    pub list: &'static str,
    #[prop_or(Some("cases.any"))]
    pub any: Option<&'static str>,
    pub chosen: Option<T>,
    /// The choices offered, when not the whole list.
    #[prop_or_default]
    pub only: Option<Vec<T>>,
    /// The value chosen, none for "any".
    pub on_choose: Callback<Option<T>>,
}

/// A filter over a closed list, each value named in the current language.
#[function_component]
pub fn CodeFilter<T: StoredCode>(props: &CodeFilterProps<T>) -> Html {
    let i18n = use_i18n();
    let offered = props.only.as_deref().unwrap_or(T::all());
    let choices: Vec<(AttrValue, AttrValue)> = offered
        .iter()
        .map(|value| {
            let code = value.code();
            (
                AttrValue::Static(code),
                AttrValue::Static(i18n.code(props.list, code)),
            )
        })
        .collect();
    let on_choose = props.on_choose.reform(|code: String| T::from_code(&code));
    html! {
        <FilterSelect id={props.id} label={props.label} any={props.any}
            chosen={props.chosen.map(|value| AttrValue::Static(value.code()))}
            {choices} {on_choose} />
    }
}

/// The choices of a list the API gives, each named in the current language from its
/// (code, Chinese name, English name); none until it has loaded.
pub fn named<T>(
    i18n: I18n,
    loaded: &Load<Vec<T>>,
    names: fn(&T) -> (&str, &str, &str),
) -> Vec<(AttrValue, AttrValue)> {
    let Load::Ready(items) = loaded else {
        return Vec::new();
    };
    items
        .iter()
        .map(|item| {
            let (code, zh, en) = names(item);
            (
                AttrValue::from(code.to_owned()),
                AttrValue::from(i18n.pick(zh, en).to_owned()),
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
