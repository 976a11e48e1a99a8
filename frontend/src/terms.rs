//! The platform's lists as the forms and pages use them: ticking terms, and showing
//! chosen codes by their names.

use common::error::FieldError;
use common::language::RiskCue;
use common::taxonomy::{Term, Vocabulary};
use yew::prelude::*;

use crate::api::{use_get, Load};
use crate::form::checked;
use crate::i18n::{use_i18n, I18n};

/// A list, in its order, as the API keeps it.
#[hook]
pub fn use_terms(vocabulary: Vocabulary) -> UseStateHandle<Load<Vec<Term>>> {
    use_get::<Vec<Term>>(format!("/api/{}", vocabulary.path()), 0)
}

/// Codes by their names in the current language (codes until the list arrives).
pub fn names(i18n: I18n, terms: &Load<Vec<Term>>, codes: &[String]) -> String {
    codes
        .iter()
        .map(|code| match terms {
            Load::Ready(terms) => terms
                .iter()
                .find(|t| &t.code == code)
                .map_or(code.as_str(), |t| i18n.pick(&t.name_zh, &t.name_en)),
            _ => code.as_str(),
        })
        .collect::<Vec<_>>()
        .join(i18n.t("match.reason_separator"))
}

/// A note's theme by its name: a case nature's, or a risk cue's.
pub fn theme_name(i18n: I18n, natures: &Load<Vec<Term>>, theme: &str) -> String {
    match RiskCue::of_theme(theme) {
        Some(cue) => i18n.pick(cue.name_zh(), cue.name_en()).to_owned(),
        None => names(i18n, natures, &[theme.to_owned()]),
    }
}

#[derive(Properties, PartialEq)]
pub struct TermChoiceProps {
    /// The list to choose from.
    #[prop_or(Vocabulary::CaseNatures)]
    pub vocabulary: Vocabulary,
    /// Each checkbox's id is this, a hyphen and the term's code.
    pub prefix: &'static str,
    /// The API's name of the field, which its error's id starts with.
    pub field: &'static str,
    /// Translation key of the legend.
    pub legend: &'static str,
    pub chosen: Vec<String>,
    pub on_change: Callback<Vec<String>>,
    #[prop_or_default]
    pub error: Option<FieldError>,
}

/// A list's terms in use, to tick: what a case is about, what an enquiry asked, what an
/// activity's themes are. A retired term stays shown where it is already chosen.
#[function_component]
pub fn TermChoice(props: &TermChoiceProps) -> Html {
    let i18n = use_i18n();
    let natures = use_terms(props.vocabulary);
    let toggle = {
        let (chosen, on_change) = (props.chosen.clone(), props.on_change.clone());
        Callback::from(move |(code, on): (String, bool)| {
            let mut next = chosen.clone();
            next.retain(|c| c != &code);
            if on {
                next.push(code);
            }
            on_change.emit(next);
        })
    };
    let error_id = format!("{}-error", props.field);
    html! {
        <fieldset class="field" aria-describedby={props.error.as_ref().map(|_| error_id.clone())}>
            <legend>{ i18n.t(props.legend) }</legend>
            { match &*natures {
                Load::Ready(natures) => html! {
                    <div class="checkbox-grid">
                        { for natures.iter().filter(|n| n.active || props.chosen.contains(&n.code)).map(|nature| {
                            let code = nature.code.clone();
                            let id = format!("{}-{code}", props.prefix);
                            let onchange = toggle.reform(move |e: Event| (code.clone(), checked(&e)));
                            html! {
                                <label for={id.clone()} class="checkbox">
                                    <input type="checkbox" id={id} checked={props.chosen.contains(&nature.code)} {onchange} />
                                    { i18n.pick(&nature.name_zh, &nature.name_en).to_owned() }
                                </label>
                            }
                        }) }
                    </div>
                },
                Load::Loading => html! { <p role="status">{ i18n.t("app.loading") }</p> },
                Load::Failed(error) => html! { <p role="alert">{ i18n.error(error) }</p> },
            } }
            if let Some(e) = &props.error {
                <p id={error_id} class="field-error">{ i18n.field_error(e) }</p>
            }
        </fieldset>
    }
}
