//! What every form shares: a labelled field with its error beside it, and reading the
//! value of whatever control an event came from.

use std::rc::Rc;

use chrono::NaiveDate;
use common::error::{ErrorBody, FieldError};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::api::Api;
use crate::i18n::{use_i18n, I18n};

#[derive(Properties, PartialEq)]
pub struct FormFieldProps {
    /// The control's id, which the label names.
    pub id: AttrValue,
    /// Translation key of the label.
    pub label: &'static str,
    #[prop_or_default]
    pub error: Option<FieldError>,
    pub children: Html,
}

/// A label, the control (the children, which carry [`error_attrs`]) and its error.
#[function_component]
pub fn FormField(props: &FormFieldProps) -> Html {
    let i18n = use_i18n();
    html! {
        <div class="field">
            <label for={props.id.clone()}>{ i18n.t(props.label) }</label>
            { props.children.clone() }
            if let Some(error) = &props.error {
                <p id={format!("{}-error", props.id)} class="field-error">{ i18n.field_error(error) }</p>
            }
        </div>
    }
}

/// `aria-invalid` and `aria-describedby` for a control whose field may have an error.
pub fn error_attrs(id: &str, error: Option<&FieldError>) -> (Option<AttrValue>, Option<AttrValue>) {
    match error {
        Some(_) => (
            Some(AttrValue::from("true")),
            Some(AttrValue::from(format!("{id}-error"))),
        ),
        None => (None, None),
    }
}

/// The error the API gave for one field, if any.
pub fn field_error(errors: &Option<ErrorBody>, field: &str) -> Option<FieldError> {
    errors.as_ref().and_then(|e| e.fields.get(field).cloned())
}

/// A callback that changes the form held in `form` by `apply`, from the event that fired
/// it: how every form here takes an edit to one of its fields.
pub fn edit<F: Clone + 'static, E: 'static>(
    form: &UseStateHandle<F>,
    apply: impl Fn(&mut F, &E) + 'static,
) -> Callback<E> {
    let form = form.clone();
    Callback::from(move |event: E| {
        let mut next = (*form).clone();
        apply(&mut next, &event);
        form.set(next);
    })
}

/// A form as edited. Changes are applied in turn to the latest form, so that two that
/// arrive before the page renders again (a field left by ticking a box) both hold.
#[derive(Clone, PartialEq)]
pub struct Draft<F>(pub F);

impl<F: Clone + 'static> Reducible for Draft<F> {
    type Action = Rc<dyn Fn(&mut F)>;

    fn reduce(self: Rc<Self>, change: Self::Action) -> Rc<Self> {
        let mut next = self.0.clone();
        change(&mut next);
        Rc::new(Draft(next))
    }
}

/// A callback that changes the draft by `apply`, from the event that fired it.
pub fn change<F: Clone + 'static, E: 'static>(
    form: &UseReducerHandle<Draft<F>>,
    apply: impl Fn(&mut F, &E) + 'static,
) -> Callback<E> {
    let (form, apply) = (form.clone(), Rc::new(apply));
    Callback::from(move |event: E| {
        let apply = apply.clone();
        let event = Rc::new(event);
        form.dispatch(Rc::new(move |next: &mut F| apply(next, &event)));
    })
}

/// The same, for each thing typed: kept as it is typed, so that the page drawn again by
/// another field's change never puts back what was there before.
pub fn typed<F: Clone + 'static>(
    form: &UseReducerHandle<Draft<F>>,
    apply: fn(&mut F, String),
) -> Callback<InputEvent> {
    change(form, move |next, event: &InputEvent| {
        apply(next, value_of(event))
    })
}

/// The same, given the value of the control the event came from.
pub fn edit_value<F: Clone + 'static>(
    form: &UseStateHandle<F>,
    apply: fn(&mut F, String),
) -> Callback<Event> {
    edit(form, move |next, event: &Event| {
        apply(next, value_of(event))
    })
}

/// The value of the input, select or text area an event came from.
pub fn value_of(event: &Event) -> String {
    let Some(target) = event.target() else {
        return String::new();
    };
    if let Some(input) = target.dyn_ref::<web_sys::HtmlInputElement>() {
        input.value()
    } else if let Some(select) = target.dyn_ref::<web_sys::HtmlSelectElement>() {
        select.value()
    } else if let Some(area) = target.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        area.value()
    } else {
        String::new()
    }
}

/// Whether the checkbox an event came from is ticked.
pub fn checked(event: &Event) -> bool {
    event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .is_some_and(|input| input.checked())
}

/// Reads the text of the file chosen in the file control an event came from, and hands
/// it on (empty when none is chosen or it cannot be read).
pub fn read_text_file(event: &Event, then: Callback<String>) {
    let file = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .and_then(|input| input.files())
        .and_then(|files| files.get(0));
    spawn_local(async move {
        let text = match file {
            Some(file) => wasm_bindgen_futures::JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|t| t.as_string()),
            None => None,
        };
        then.emit(text.unwrap_or_default());
    });
}

/// A date typed into a date control, or none.
pub fn date_of(event: &Event) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(&value_of(event), "%Y-%m-%d").ok()
}

/// Sends a form (POST, or PUT to change) and hands the answer on, or keeps the error
/// to show beside its fields.
pub fn submit<T, B>(
    api: Api,
    change: bool,
    path: String,
    body: B,
    errors: UseStateHandle<Option<ErrorBody>>,
    on_saved: Callback<T>,
) where
    T: DeserializeOwned + 'static,
    B: Serialize + 'static,
{
    spawn_local(async move {
        let answer = if change {
            api.put::<T>(&path, &body).await
        } else {
            api.post::<T>(&path, &body).await
        };
        match answer {
            Ok(saved) => {
                errors.set(None);
                on_saved.emit(saved);
            }
            Err(error) => errors.set(Some(error)),
        }
    });
}

/// The error that belongs to no field, shown above the form.
pub fn form_alert(i18n: I18n, errors: &Option<ErrorBody>) -> Html {
    match errors.as_ref().filter(|e| e.fields.is_empty()) {
        Some(error) => html! { <p role="alert" class="alert">{ i18n.error(error) }</p> },
        None => html! {},
    }
}
