//! The form that puts a resource on the shelf, or edits one at the version read.

use common::error::ErrorBody;
use common::hub::{
    Audience, Licence, Resource, ResourceFactor, ResourceForm, ResourceLanguage, ResourceType,
    Visibility,
};
use yew::prelude::*;
use yew_router::prelude::*;

use super::{CodeChoice, HubRoute};
use crate::api::{use_get_if, Load};
use crate::form::{
    change, error_attrs, field_error, form_alert, submit, typed, value_of, Draft, FormField,
};
use crate::i18n::{use_i18n, use_title};
use crate::identity::use_session;
use crate::terms::TermChoice;

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    /// The resource edited; none for a new one.
    #[prop_or_default]
    pub id: Option<String>,
}

fn form_of(resource: &Resource) -> ResourceForm {
    let c = &resource.content;
    ResourceForm {
        title_zh: c.title_zh.clone(),
        title_en: c.title_en.clone(),
        summary_zh: c.summary_zh.clone(),
        summary_en: c.summary_en.clone(),
        resource_type: Some(c.resource_type),
        topics: c.topics.clone(),
        factors: c.factors.clone(),
        audiences: c.audiences.clone(),
        languages: c.languages.clone(),
        licence: Some(c.licence),
        authors: c.authors.clone(),
        citation: c.citation.clone(),
        link: c.link.clone(),
        visibility: Some(c.visibility),
        version: Some(resource.version),
    }
}

#[function_component]
pub fn EditorPage(props: &EditorProps) -> Html {
    use_title(if props.id.is_some() {
        "hub.edit"
    } else {
        "hub.new"
    });
    let i18n = use_i18n();
    let editing = use_get_if::<Resource>(
        props.id.as_ref().map(|id| format!("/api/resources/{id}")),
        0,
    );
    match (&props.id, &*editing) {
        (None, _) => html! { <Editor initial={ResourceForm::default()} /> },
        (Some(_), Load::Ready(resource)) => {
            html! { <Editor id={resource.id.clone()} initial={form_of(resource)} /> }
        }
        (Some(_), Load::Loading) => html! { <p role="status">{ i18n.t("app.loading") }</p> },
        (Some(_), Load::Failed(error)) => {
            html! { <p role="alert" class="alert">{ i18n.error(error) }</p> }
        }
    }
}

#[derive(Properties, PartialEq)]
struct EditorFormProps {
    #[prop_or_default]
    id: Option<String>,
    initial: ResourceForm,
}

fn codes<T: Copy>(values: &[T], code: fn(T) -> &'static str) -> Vec<&'static str> {
    values.iter().map(|v| code(*v)).collect()
}

fn parsed<T>(codes: &[&'static str], parse: fn(&str) -> Option<T>) -> Vec<T> {
    codes.iter().filter_map(|c| parse(c)).collect()
}

#[function_component]
fn Editor(props: &EditorFormProps) -> Html {
    let i18n = use_i18n();
    let session = use_session();
    let navigator = use_navigator();
    let form = use_reducer(|| Draft(props.initial.clone()));
    let errors = use_state(|| None::<ErrorBody>);
    let error = |field: &str| field_error(&errors, field);
    let onsubmit = {
        let (form, errors, api, id) = (
            form.clone(),
            errors.clone(),
            session.api.clone(),
            props.id.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let navigator = navigator.clone();
            let saved = Callback::from(move |resource: Resource| {
                if let Some(navigator) = &navigator {
                    navigator.push(&HubRoute::Resource { id: resource.id });
                }
            });
            let path = id.as_ref().map_or_else(
                || "/api/resources".to_owned(),
                |id| format!("/api/resources/{id}"),
            );
            submit(
                api.clone(),
                id.is_some(),
                path,
                form.0.clone(),
                errors.clone(),
                saved,
            );
        })
    };
    let text = |id: &'static str,
                label: &'static str,
                field: &'static str,
                value: &str,
                apply: fn(&mut ResourceForm, String)| {
        let (invalid, described) = error_attrs(id, error(field).as_ref());
        html! {
            <FormField {id} {label} error={error(field)}>
                <input {id} type="text" value={value.to_owned()} oninput={typed(&form, apply)}
                    aria-invalid={invalid} aria-describedby={described} />
            </FormField>
        }
    };
    let area = |id: &'static str,
                label: &'static str,
                field: &'static str,
                value: &str,
                apply: fn(&mut ResourceForm, String)| {
        let (invalid, described) = error_attrs(id, error(field).as_ref());
        html! {
            <FormField {id} {label} error={error(field)}>
                <textarea {id} rows="4" value={value.to_owned()} oninput={typed(&form, apply)}
                    aria-invalid={invalid} aria-describedby={described} />
            </FormField>
        }
    };
    fn select<T: Copy + PartialEq + 'static>(
        i18n: crate::i18n::I18n,
        (id, label, list): (&'static str, &'static str, &'static str),
        all: &'static [T],
        code: fn(T) -> &'static str,
        chosen: Option<T>,
        error: Option<common::error::FieldError>,
        onchange: Callback<Event>,
    ) -> Html {
        let (invalid, described) = error_attrs(id, error.as_ref());
        html! {
            <FormField {id} {label} {error}>
                <select {id} {onchange} aria-invalid={invalid} aria-describedby={described}>
                    <option value="" selected={chosen.is_none()}>{ i18n.t("hub.choose") }</option>
                    { for all.iter().map(|v| html! {
                        <option value={code(*v)} selected={chosen == Some(*v)}>{ i18n.code(list, code(*v)) }</option>
                    }) }
                </select>
            </FormField>
        }
    }
    html! {
        <section>
            <h1>{ i18n.t(if props.id.is_some() { "hub.edit" } else { "hub.new" }) }</h1>
            { form_alert(i18n, &errors) }
            <form class="form" {onsubmit} novalidate=true>
                { text("hub-title-zh", "hub.title_zh", "title_zh", &form.0.title_zh, |f, v| f.title_zh = v) }
                { text("hub-title-en", "hub.title_en", "title_en", &form.0.title_en, |f, v| f.title_en = v) }
                { area("hub-summary-zh", "hub.summary_zh", "summary_zh", &form.0.summary_zh, |f, v| f.summary_zh = v) }
                { area("hub-summary-en", "hub.summary_en", "summary_en", &form.0.summary_en, |f, v| f.summary_en = v) }
                { select(i18n, ("hub-type", "hub.resource_type", "resource_type"), ResourceType::ALL, ResourceType::as_str,
                    form.0.resource_type, error("resource_type"),
                    change(&form, |f, e: &Event| f.resource_type = ResourceType::parse(&value_of(e)))) }
                <TermChoice prefix="hub-topic" field="topics" legend="hub.topics" chosen={form.0.topics.clone()}
                    on_change={change(&form, |f, topics: &Vec<String>| f.topics = topics.clone())} error={error("topics")} />
                <CodeChoice prefix="hub-factor" field="factors" legend="hub.factors" list="resource_factor"
                    options={codes(ResourceFactor::ALL, ResourceFactor::as_str)} chosen={codes(&form.0.factors, ResourceFactor::as_str)}
                    on_change={change(&form, |f, c: &Vec<&'static str>| f.factors = parsed(c, ResourceFactor::parse))} error={error("factors")} />
                <CodeChoice prefix="hub-audience" field="audiences" legend="hub.audiences" list="audience"
                    options={codes(Audience::ALL, Audience::as_str)} chosen={codes(&form.0.audiences, Audience::as_str)}
                    on_change={change(&form, |f, c: &Vec<&'static str>| f.audiences = parsed(c, Audience::parse))} error={error("audiences")} />
                <CodeChoice prefix="hub-language" field="languages" legend="hub.languages" list="resource_language"
                    options={codes(ResourceLanguage::ALL, ResourceLanguage::as_str)} chosen={codes(&form.0.languages, ResourceLanguage::as_str)}
                    on_change={change(&form, |f, c: &Vec<&'static str>| f.languages = parsed(c, ResourceLanguage::parse))} error={error("languages")} />
                { select(i18n, ("hub-licence", "hub.licence", "licence"), Licence::ALL, Licence::as_str,
                    form.0.licence, error("licence"),
                    change(&form, |f, e: &Event| f.licence = Licence::parse(&value_of(e)))) }
                { text("hub-authors", "hub.authors", "authors", &form.0.authors, |f, v| f.authors = v) }
                { area("hub-citation", "hub.citation", "citation", &form.0.citation, |f, v| f.citation = v) }
                { text("hub-link", "hub.link", "link", form.0.link.as_deref().unwrap_or(""), |f, v| f.link = Some(v)) }
                { select(i18n, ("hub-visibility", "hub.visibility", "visibility"), Visibility::ALL, Visibility::as_str,
                    form.0.visibility, error("visibility"),
                    change(&form, |f, e: &Event| f.visibility = Visibility::parse(&value_of(e)))) }
                <div class="actions">
                    <button type="submit" class="primary" id="hub-save">{ i18n.t("hub.save") }</button>
                </div>
            </form>
        </section>
    }
}
