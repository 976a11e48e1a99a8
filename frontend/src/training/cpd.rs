//! A worker's CPD record: the hours of each year and cycle against the policy, courses
//! completed here and learning elsewhere, a form to record learning elsewhere or change
//! it, and the transcript.

use chrono::NaiveDate;
use common::cpd::{CpdEntry, CpdPeriod, CpdRecord, CpdSource, ExternalLearningForm, LearningKind};
use common::error::ErrorBody;
use common::training::hours;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::tenths;
use crate::api::{chosen_file, download_on_click, upload_file, use_get, Load};
use crate::form::{
    change, date_of, error_attrs, field_error, form_alert, submit, typed, value_of, Draft,
    FormField,
};
use crate::i18n::{use_i18n, use_title, I18n};
use crate::identity::use_session;

const PATH: &str = "/api/cpd";

#[function_component]
pub fn CpdPage() -> Html {
    use_title("cpd.title");
    let i18n = use_i18n();
    let session = use_session();
    let generation = use_state(|| 0u32);
    let loaded = use_get::<CpdRecord>(PATH.to_owned(), *generation);
    // The entry being changed, or none for new learning; the form is drawn anew for each.
    let editing = use_state(|| None::<CpdEntry>);
    let errors = use_state(|| None::<ErrorBody>);
    let saved = {
        let (generation, editing) = (generation.clone(), editing.clone());
        Callback::from(move |_: CpdRecord| {
            editing.set(None);
            generation.set(generation.wrapping_add(1));
        })
    };
    // The transcript as a file of the kind given ("csv", "pdf").
    let transcript = |kind: &'static str, media_type: &'static str| {
        download_on_click(
            &session.api,
            &errors,
            format!("/api/cpd/transcript.{kind}"),
            format!("cpd-transcript.{kind}"),
            media_type.to_owned(),
        )
    };
    let record = match &*loaded {
        Load::Loading => return html! { <p role="status">{ i18n.t("app.loading") }</p> },
        Load::Failed(error) => {
            return html! { <p role="alert" class="alert">{ i18n.error(error) }</p> }
        }
        Load::Ready(record) => record.clone(),
    };
    let remove = |entry: &CpdEntry| {
        let (api, errors, generation) = (session.api.clone(), errors.clone(), generation.clone());
        let path = format!(
            "/api/cpd/learning/{}?version={}",
            entry.id,
            entry.version.unwrap_or_default()
        );
        Callback::from(move |_: MouseEvent| {
            let (api, errors, generation, path) = (
                api.clone(),
                errors.clone(),
                generation.clone(),
                path.clone(),
            );
            spawn_local(async move {
                match api.delete::<CpdRecord>(&path).await {
                    Ok(_) => generation.set(generation.wrapping_add(1)),
                    Err(error) => errors.set(Some(error)),
                }
            });
        })
    };
    let upload = |entry: &CpdEntry| {
        let (api, errors, generation) = (session.api.clone(), errors.clone(), generation.clone());
        let (input, path, version) = (
            format!("evidence-{}", entry.id),
            format!("/api/cpd/learning/{}/evidence", entry.id),
            entry.version.unwrap_or_default(),
        );
        Callback::from(move |_: MouseEvent| {
            let Some(file) = chosen_file(&input) else {
                return;
            };
            let (api, errors, generation, path) = (
                api.clone(),
                errors.clone(),
                generation.clone(),
                path.clone(),
            );
            spawn_local(async move {
                let sent = upload_file::<CpdRecord>(&api, file, |name| {
                    format!("{path}?name={name}&version={version}")
                })
                .await;
                match sent {
                    Ok(_) => {
                        errors.set(None);
                        generation.set(generation.wrapping_add(1));
                    }
                    Err(error) => errors.set(Some(error)),
                }
            });
        })
    };
    let download = |entry: &CpdEntry| {
        let (name, media_type) = entry
            .evidence
            .as_ref()
            .map(|e| (e.file_name.clone(), e.media_type.clone()))
            .unwrap_or_default();
        let path = format!("/api/cpd/learning/{}/evidence", entry.id);
        download_on_click(&session.api, &errors, path, name, media_type)
    };
    let edit = |entry: &CpdEntry| {
        let (editing, entry) = (editing.clone(), entry.clone());
        Callback::from(move |_: MouseEvent| editing.set(Some(entry.clone())))
    };
    let key = editing
        .as_ref()
        .map_or_else(|| "new".to_owned(), |e| format!("{}-{:?}", e.id, e.version));
    html! {
        <section>
            <div class="page-head">
                <h1>{ i18n.t("cpd.title") }</h1>
                <div class="actions">
                    <button type="button" id="cpd-transcript" onclick={transcript("csv", "text/csv")}>{ i18n.t("cpd.transcript_csv") }</button>
                    <button type="button" id="cpd-transcript-pdf" onclick={transcript("pdf", "application/pdf")}>{ i18n.t("cpd.transcript_pdf") }</button>
                </div>
            </div>
            <p>{ i18n.tf("cpd.holder", &[("name", &record.holder)]) }</p>
            if let Some(error) = &*errors {
                <p role="alert" class="alert">{ i18n.error(error) }</p>
            }
            { periods(i18n, "cpd-years", "cpd.years", &record.years, |p| p.from.format("%Y").to_string()) }
            { periods(i18n, "cpd-cycles", "cpd.cycles", &record.cycles, |p| format!("{}–{}", p.from.format("%Y"), p.until.format("%Y"))) }
            <p class="note">{ policy_note(i18n, &record) }</p>
            <h2>{ i18n.t("cpd.entries") }</h2>
            { entries(i18n, &record, |e| html! {
                if e.source == CpdSource::SelfReported {
                    <button type="button" onclick={edit(e)} aria-label={i18n.tf("cpd.change_named", &[("title", &e.title_en)])}>{ i18n.t("cpd.change") }</button>{ " " }
                    <button type="button" onclick={remove(e)} aria-label={i18n.tf("cpd.remove_named", &[("title", &e.title_en)])}>{ i18n.t("cpd.remove") }</button>
                    <div class="evidence">
                        if let Some(evidence) = &e.evidence {
                            <button type="button" class="evidence-download" onclick={download(e)}>
                                { i18n.tf("cpd.evidence_named", &[("file", &evidence.file_name)]) }
                            </button>
                        }
                        <label for={format!("evidence-{}", e.id)}>{ i18n.t(if e.evidence.is_some() { "cpd.replace_evidence" } else { "cpd.evidence" }) }</label>
                        <input id={format!("evidence-{}", e.id)} type="file" />
                        <button type="button" class="evidence-upload" onclick={upload(e)}>{ i18n.t("cpd.upload") }</button>
                    </div>
                } else {
                    <a href={format!("/verify/{}", e.id)}>{ e.id.clone() }</a>
                }
            }) }
            <LearningEditor key={key} entry={(*editing).clone()} {saved} />
        </section>
    }
}

/// A record's entries, the latest first, with what may be done with each.
pub(super) fn entries(i18n: I18n, record: &CpdRecord, actions: impl Fn(&CpdEntry) -> Html) -> Html {
    if record.entries.is_empty() {
        return html! { <p id="cpd-none">{ i18n.t("cpd.none") }</p> };
    }
    html! {
        <table class="data" id="cpd-entries">
            <caption>{ i18n.t("cpd.entries") }</caption>
            <thead><tr>
                <th scope="col">{ i18n.t("cpd.completed_on") }</th>
                <th scope="col">{ i18n.t("cpd.learning") }</th>
                <th scope="col">{ i18n.t("cpd.kind") }</th>
                <th scope="col">{ i18n.t("cpd.source") }</th>
                <th scope="col">{ i18n.t("cpd.hours") }</th>
                <th scope="col">{ i18n.t("cpd.actions") }</th>
            </tr></thead>
            <tbody>
                { for record.entries.iter().map(|e| html! {
                    <tr key={e.id.clone()}>
                        <td>{ e.completed_on.to_string() }</td>
                        <th scope="row">
                            { i18n.pick(&e.title_zh, &e.title_en).to_owned() }
                            <span class="meta">{ " · " }{ e.provider.clone() }</span>
                            if let Some(reflection) = &e.reflection {
                                <details><summary>{ i18n.t("cpd.reflection") }</summary><p>{ reflection.clone() }</p></details>
                            }
                        </th>
                        <td>{ i18n.named(e.kind.names()) }</td>
                        <td>{ i18n.named(e.source.names()) }</td>
                        <td class="num">{ hours(e.cpd_tenths) }</td>
                        <td>{ actions(e) }</td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}

pub(super) fn policy_note(i18n: I18n, record: &CpdRecord) -> String {
    let policy = &record.policy;
    let mut parts = vec![i18n.tf(
        "cpd.policy_cycle",
        &[
            ("years", &policy.cycle_years.to_string()),
            ("first", &policy.first_cycle_year.to_string()),
        ],
    )];
    if let Some(minimum) = policy.minimum_tenths_per_year {
        parts.push(i18n.tf("cpd.policy_minimum", &[("hours", &hours(minimum))]));
    }
    if policy.self_reported_max_percent < 100 {
        parts.push(i18n.tf(
            "cpd.policy_share",
            &[("percent", &policy.self_reported_max_percent.to_string())],
        ));
    }
    parts.join(" ")
}

pub(super) fn periods(
    i18n: I18n,
    id: &'static str,
    caption: &'static str,
    periods: &[CpdPeriod],
    label: fn(&CpdPeriod) -> String,
) -> Html {
    html! {
        <table class="data numbers" {id}>
            <caption>{ i18n.t(caption) }</caption>
            <thead><tr>
                <th scope="col">{ i18n.t("cpd.period") }</th>
                <th scope="col">{ i18n.t("cpd.verified") }</th>
                <th scope="col">{ i18n.t("cpd.self_reported") }</th>
                <th scope="col">{ i18n.t("cpd.counted") }</th>
                <th scope="col">{ i18n.t("cpd.minimum") }</th>
            </tr></thead>
            <tbody>
                { for periods.iter().map(|p| html! {
                    <tr>
                        <th scope="row">{ label(p) }</th>
                        <td class="num">{ hours(p.verified_tenths) }</td>
                        <td class="num">{ hours(p.self_reported_tenths) }</td>
                        <td class="num">{ hours(p.counted_tenths) }</td>
                        <td>
                            { p.minimum_tenths.map(hours).unwrap_or_else(|| "—".to_owned()) }
                            { match p.met() {
                                Some(true) => html! { <>{ " · " }<span class="badge">{ i18n.t("cpd.met") }</span></> },
                                Some(false) => html! { <>{ " · " }<span class="badge">{ i18n.t("cpd.not_met") }</span></> },
                                None => html! {},
                            } }
                        </td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}

#[derive(Properties, PartialEq)]
struct LearningEditorProps {
    /// Learning recorded, to change; none for new learning.
    entry: Option<CpdEntry>,
    saved: Callback<CpdRecord>,
}

/// The form as typed: the hours kept as written until sent.
#[derive(Clone, PartialEq, Default)]
struct Typed {
    form: ExternalLearningForm,
    hours: String,
}

#[function_component]
fn LearningEditor(props: &LearningEditorProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let form = use_reducer(|| {
        Draft(match &props.entry {
            Some(e) => Typed {
                form: ExternalLearningForm {
                    title: e.title_en.clone(),
                    provider: e.provider.clone(),
                    kind: Some(e.kind),
                    completed_on: Some(e.completed_on),
                    cpd_tenths: Some(e.cpd_tenths),
                    reflection: e.reflection.clone().unwrap_or_default(),
                    version: e.version,
                },
                hours: hours(e.cpd_tenths),
            },
            None => Typed::default(),
        })
    });
    let errors = use_state(|| None::<ErrorBody>);
    let error = |field: &str| field_error(&errors, field);
    let onsubmit = {
        let (form, errors, saved) = (form.clone(), errors.clone(), props.saved.clone());
        let path = props
            .entry
            .as_ref()
            .map(|e| format!("/api/cpd/learning/{}", e.id));
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let mut body = form.0.form.clone();
            body.cpd_tenths = tenths(&form.0.hours);
            submit(
                api.clone(),
                path.is_some(),
                path.clone()
                    .unwrap_or_else(|| "/api/cpd/learning".to_owned()),
                body,
                errors.clone(),
                saved.clone(),
            );
        })
    };
    let text = |id: &'static str,
                label: &'static str,
                field: &'static str,
                value: &str,
                apply: fn(&mut Typed, String)| {
        let (invalid, described) = error_attrs(id, error(field).as_ref());
        html! {
            <FormField {id} {label} error={error(field)}>
                <input {id} type="text" value={value.to_owned()} oninput={typed(&form, apply)}
                    aria-invalid={invalid} aria-describedby={described} />
            </FormField>
        }
    };
    let f = &form.0.form;
    let (kind_invalid, kind_described) = error_attrs("cpd-kind", error("kind").as_ref());
    let (day_invalid, day_described) = error_attrs("cpd-day", error("completed_on").as_ref());
    let (hours_invalid, hours_described) = error_attrs("cpd-hours", error("cpd_tenths").as_ref());
    let (reflection_invalid, reflection_described) =
        error_attrs("cpd-reflection", error("reflection").as_ref());
    html! {
        <form class="panel" id="cpd-form" {onsubmit} novalidate=true aria-labelledby="cpd-form-title">
            <h2 id="cpd-form-title">{ i18n.t(if props.entry.is_some() { "cpd.change_learning" } else { "cpd.add_learning" }) }</h2>
            { form_alert(i18n, &errors) }
            { text("cpd-title", "cpd.learning", "title", &f.title, |t, v| t.form.title = v) }
            { text("cpd-provider", "cpd.provider", "provider", &f.provider, |t, v| t.form.provider = v) }
            <FormField id="cpd-kind" label="cpd.kind" error={error("kind")}>
                <select id="cpd-kind" aria-invalid={kind_invalid} aria-describedby={kind_described}
                    onchange={change(&form, |t: &mut Typed, e: &Event| t.form.kind = LearningKind::parse(&value_of(e)))}>
                    <option value="" selected={f.kind.is_none()}>{ i18n.t("client.choose") }</option>
                    { for LearningKind::ALL.iter().map(|k| html! {
                        <option value={k.as_str()} selected={f.kind == Some(*k)}>{ i18n.named(k.names()) }</option>
                    }) }
                </select>
            </FormField>
            <FormField id="cpd-day" label="cpd.completed_on" error={error("completed_on")}>
                <input id="cpd-day" type="date" value={f.completed_on.map(|d: NaiveDate| d.to_string()).unwrap_or_default()}
                    aria-invalid={day_invalid} aria-describedby={day_described}
                    onchange={change(&form, |t: &mut Typed, e: &Event| t.form.completed_on = date_of(e))} />
            </FormField>
            <FormField id="cpd-hours" label="cpd.hours" error={error("cpd_tenths")}>
                <input id="cpd-hours" type="text" inputmode="decimal" value={form.0.hours.clone()}
                    aria-invalid={hours_invalid} aria-describedby={hours_described}
                    oninput={typed(&form, |t, v| t.hours = v)} />
            </FormField>
            <FormField id="cpd-reflection" label="cpd.reflection" error={error("reflection")}>
                <textarea id="cpd-reflection" rows="4" value={f.reflection.clone()}
                    aria-invalid={reflection_invalid} aria-describedby={reflection_described}
                    oninput={typed(&form, |t, v| t.form.reflection = v)} />
            </FormField>
            <button type="submit" class="primary" id="cpd-save">{ i18n.t("cpd.save") }</button>
        </form>
    }
}
