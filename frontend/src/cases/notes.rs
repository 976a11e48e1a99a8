//! A case's contact log on its page: the notes, latest first, with their corrections; a
//! form for a new note; and a correction for a note whose edit window has closed.

use std::rc::Rc;

use chrono::{NaiveDateTime, TimeDelta, Utc};
use common::case_notes::{CaseNote, CaseNoteForm, ContactType, CorrectionForm};
use common::cases::CasePerson;
use common::error::ErrorBody;
use common::language::{RiskCue, ThemeTag};
use common::taxonomy::{Term, Vocabulary};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::person_name;
use crate::api::{encode, use_get, Load};
use crate::form::{checked, error_attrs, field_error, value_of, FormField};
use crate::i18n::use_i18n;
use crate::identity::use_session;
use crate::terms::{theme_name, use_terms};

#[derive(Properties, PartialEq)]
pub struct CaseNotesProps {
    pub case_id: String,
    /// The case's client and household members, who may take part in a contact.
    pub people: Vec<CasePerson>,
    pub may_edit: bool,
}

#[function_component]
pub fn CaseNotes(props: &CaseNotesProps) -> Html {
    let i18n = use_i18n();
    let generation = use_state(|| 0u32);
    let notes = use_get::<Vec<CaseNote>>(
        format!("/api/cases/{}/notes", encode(&props.case_id)),
        *generation,
    );
    let reload = {
        let generation = generation.clone();
        Callback::from(move |()| generation.set(generation.wrapping_add(1)))
    };
    let natures = use_terms(Vocabulary::CaseNatures);
    html! {
        <section aria-labelledby="notes-title" id="case-notes">
            <h2 id="notes-title">{ i18n.t("notes.title") }</h2>
            if props.may_edit {
                <NewNote case_id={props.case_id.clone()} people={props.people.clone()} on_saved={reload.clone()} />
            }
            { match &*notes {
                Load::Loading => html! { <p role="status">{ i18n.t("app.loading") }</p> },
                Load::Failed(error) => html! { <p role="alert" class="alert">{ i18n.error(error) }</p> },
                Load::Ready(notes) if notes.is_empty() => html! { <p>{ i18n.t("notes.none") }</p> },
                Load::Ready(notes) => html! {
                    <ol class="notes">
                        { for notes.iter().map(|note| html! {
                            <NoteView key={note.id.clone()} note={Rc::new(note.clone())}
                                natures={natures.clone()} may_edit={props.may_edit} on_saved={reload.clone()} />
                        }) }
                    </ol>
                },
            } }
        </section>
    }
}

/// Shown in Hong Kong time, where the staff are.
/// An instant as a Hong Kong wall-clock time, as staff read it.
pub fn hong_kong(at: chrono::DateTime<Utc>) -> String {
    (at + TimeDelta::hours(8))
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

#[derive(Properties, PartialEq)]
struct NoteViewProps {
    note: Rc<CaseNote>,
    natures: UseStateHandle<Load<Vec<Term>>>,
    may_edit: bool,
    on_saved: Callback<()>,
}

#[function_component]
fn NoteView(props: &NoteViewProps) -> Html {
    let i18n = use_i18n();
    let correcting = use_state(|| false);
    let note = &props.note;
    let people = note
        .participants
        .iter()
        .map(person_name)
        .chain((!note.other_participants.is_empty()).then(|| note.other_participants.clone()))
        .collect::<Vec<_>>()
        .join("、");
    let window_closed = Utc::now() >= note.editable_until;
    let open_correction = {
        let correcting = correcting.clone();
        Callback::from(move |_: MouseEvent| correcting.set(true))
    };
    let on_corrected = {
        let (correcting, on_saved) = (correcting.clone(), props.on_saved.clone());
        Callback::from(move |()| {
            correcting.set(false);
            on_saved.emit(());
        })
    };
    html! {
        <li class="note">
            <p class="note-head">
                <strong>{ hong_kong(note.contact_at) }</strong>
                { format!(" · {} · {}", i18n.code("contact_type", note.contact_type.as_str()),
                    i18n.tf("notes.minutes", &[("minutes", &note.duration_minutes.to_string())])) }
            </p>
            if !people.is_empty() {
                <p>{ i18n.tf("notes.with", &[("people", &people)]) }</p>
            }
            <p class="narrative">{ note.narrative.clone().unwrap_or_else(|| i18n.t("notes.narrative_hidden").to_owned()) }</p>
            <p class="note-meta">{ i18n.tf("notes.by", &[("name", &note.author.display_name), ("at", &hong_kong(note.created_at))]) }</p>
            { for note.corrections.iter().map(|c| html! {
                <div class="correction">
                    <p><strong>{ i18n.tf("notes.correction_by", &[("name", &c.author.display_name), ("at", &hong_kong(c.created_at))]) }</strong>
                        { format!(" {}", i18n.tf("notes.correction_reason", &[("reason", &c.reason)])) }</p>
                    <p class="narrative">{ c.narrative.clone().unwrap_or_else(|| i18n.t("notes.narrative_hidden").to_owned()) }</p>
                </div>
            }) }
            if !note.themes.is_empty() {
                <NoteThemes themes={note.themes.clone()} natures={props.natures.clone()} />
            }
            if props.may_edit && window_closed && !*correcting {
                <button type="button" class="link" onclick={open_correction}>{ i18n.t("notes.add_correction") }</button>
            }
            if *correcting {
                <CorrectionEditor note_id={note.id.clone()} on_saved={on_corrected} />
            }
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct NoteThemesProps {
    themes: Vec<ThemeTag>,
    natures: UseStateHandle<Load<Vec<Term>>>,
}

/// What the note is about, as the tagger read it, with the words it read it from: a
/// suggestion for the worker to judge, never a nature of the case.
#[function_component]
fn NoteThemes(props: &NoteThemesProps) -> Html {
    let i18n = use_i18n();
    html! {
        <div class="note-themes">
            <p class="note-meta">{ i18n.t("notes.themes") }</p>
            <ul class="tags">
                { for props.themes.iter().map(|tag| {
                    let class = if RiskCue::of_theme(&tag.theme).is_some() { "tag cue" } else { "tag" };
                    html! {
                        <li {class}>
                            { theme_name(i18n, &props.natures, &tag.theme) }
                            { i18n.tf("notes.theme_words", &[("words", &tag.words.join("、"))]) }
                        </li>
                    }
                }) }
            </ul>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct NewNoteProps {
    case_id: String,
    people: Vec<CasePerson>,
    on_saved: Callback<()>,
}

#[function_component]
fn NewNote(props: &NewNoteProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let form = use_state(CaseNoteForm::default);
    let errors = use_state(|| None::<ErrorBody>);
    let notice = use_state(|| None::<&'static str>);
    // A new form after each save clears the controls the browser keeps.
    let round = use_state(|| 0u32);
    let edit = |apply: fn(&mut CaseNoteForm, &Event)| crate::form::edit(&form, apply);
    let toggle_person = {
        let form = form.clone();
        Callback::from(move |(id, on): (String, bool)| {
            let mut next = (*form).clone();
            next.participant_ids.retain(|p| p != &id);
            if on {
                next.participant_ids.push(id);
            }
            form.set(next);
        })
    };
    let onsubmit = {
        let (form, errors, notice, round, on_saved) = (
            form.clone(),
            errors.clone(),
            notice.clone(),
            round.clone(),
            props.on_saved.clone(),
        );
        let path = format!("/api/cases/{}/notes", encode(&props.case_id));
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let (api, path, body) = (api.clone(), path.clone(), (*form).clone());
            let (form, errors, notice, round, on_saved) = (
                form.clone(),
                errors.clone(),
                notice.clone(),
                round.clone(),
                on_saved.clone(),
            );
            spawn_local(async move {
                match api.post::<CaseNote>(&path, &body).await {
                    Ok(_) => {
                        errors.set(None);
                        form.set(CaseNoteForm::default());
                        round.set(round.wrapping_add(1));
                        notice.set(Some("notes.saved"));
                        on_saved.emit(());
                    }
                    Err(error) => {
                        notice.set(None);
                        errors.set(Some(error));
                    }
                }
            });
        })
    };
    let error = |field: &str| field_error(&errors, field);
    let attrs = |id: &str, field: &str| error_attrs(id, error(field).as_ref());
    let (at_invalid, at_described) = attrs("note-contact_at", "contact_at");
    let (type_invalid, type_described) = attrs("note-contact_type", "contact_type");
    let (duration_invalid, duration_described) = attrs("note-duration", "duration_minutes");
    let (others_invalid, others_described) = attrs("note-others", "other_participants");
    let (narrative_invalid, narrative_described) = attrs("note-narrative", "narrative");
    html! {
        <details class="panel" open={true}>
            <summary>{ i18n.t("notes.new") }</summary>
            <p role="status" class="notice">{ notice.map(|key| i18n.t(key)).unwrap_or_default() }</p>
            <form id="new-note" key={round.to_string()} {onsubmit} novalidate=true>
                <FormField id="note-contact_at" label="notes.contact_at" error={error("contact_at")}>
                    <input id="note-contact_at" type="datetime-local"
                        onchange={edit(|f, e| f.contact_at = NaiveDateTime::parse_from_str(&value_of(e), "%Y-%m-%dT%H:%M").ok())}
                        aria-invalid={at_invalid} aria-describedby={at_described} />
                </FormField>
                <FormField id="note-contact_type" label="notes.contact_type" error={error("contact_type")}>
                    <select id="note-contact_type" onchange={edit(|f, e| f.contact_type = ContactType::parse(&value_of(e)))}
                        aria-invalid={type_invalid} aria-describedby={type_described}>
                        <option value="" selected={form.contact_type.is_none()}>{ i18n.t("client.choose") }</option>
                        { for ContactType::ALL.iter().map(|t| html! {
                            <option value={t.as_str()} selected={form.contact_type == Some(*t)}>{ i18n.code("contact_type", t.as_str()) }</option>
                        }) }
                    </select>
                </FormField>
                <FormField id="note-duration" label="notes.duration" error={error("duration_minutes")}>
                    <input id="note-duration" type="number" min="1" max="1440" inputmode="numeric"
                        onchange={edit(|f, e| f.duration_minutes = value_of(e).trim().parse().ok())}
                        aria-invalid={duration_invalid} aria-describedby={duration_described} />
                </FormField>
                <fieldset class="field">
                    <legend>{ i18n.t("notes.participants") }</legend>
                    { for props.people.iter().map(|person| {
                        let id = format!("note-person-{}", person.id);
                        let person_id = person.id.clone();
                        let onchange = toggle_person.reform(move |e: Event| (person_id.clone(), checked(&e)));
                        html! {
                            <label for={id.clone()} class="checkbox">
                                <input type="checkbox" id={id} checked={form.participant_ids.contains(&person.id)} {onchange} />
                                { person_name(person) }
                            </label>
                        }
                    }) }
                    if let Some(e) = error("participant_ids") {
                        <p class="field-error">{ i18n.field_error(&e) }</p>
                    }
                </fieldset>
                <FormField id="note-others" label="notes.other_participants" error={error("other_participants")}>
                    <input id="note-others" type="text" maxlength="200"
                        onchange={edit(|f, e| f.other_participants = value_of(e))}
                        aria-invalid={others_invalid} aria-describedby={others_described} />
                </FormField>
                <FormField id="note-narrative" label="notes.narrative" error={error("narrative")}>
                    <textarea id="note-narrative" rows="6" maxlength="20000"
                        onchange={edit(|f, e| f.narrative = value_of(e))}
                        aria-invalid={narrative_invalid} aria-describedby={narrative_described} />
                </FormField>
                <button type="submit" class="primary">{ i18n.t("notes.save") }</button>
            </form>
        </details>
    }
}

#[derive(Properties, PartialEq)]
struct CorrectionProps {
    note_id: String,
    on_saved: Callback<()>,
}

#[function_component]
fn CorrectionEditor(props: &CorrectionProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let form = use_state(CorrectionForm::default);
    let errors = use_state(|| None::<ErrorBody>);
    let id = |field: &str| format!("correction-{}-{field}", props.note_id);
    let onsubmit = {
        let (form, errors, on_saved) = (form.clone(), errors.clone(), props.on_saved.clone());
        let path = format!("/api/case-notes/{}/corrections", encode(&props.note_id));
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let (api, path, body, errors, on_saved) = (
                api.clone(),
                path.clone(),
                (*form).clone(),
                errors.clone(),
                on_saved.clone(),
            );
            spawn_local(async move {
                match api.post::<CaseNote>(&path, &body).await {
                    Ok(_) => on_saved.emit(()),
                    Err(error) => errors.set(Some(error)),
                }
            });
        })
    };
    let on_narrative = {
        let form = form.clone();
        Callback::from(move |e: Event| {
            form.set(CorrectionForm {
                narrative: value_of(&e),
                ..(*form).clone()
            })
        })
    };
    let on_reason = {
        let form = form.clone();
        Callback::from(move |e: Event| {
            form.set(CorrectionForm {
                reason: value_of(&e),
                ..(*form).clone()
            })
        })
    };
    let (narrative_id, reason_id) = (id("narrative"), id("reason"));
    let (narrative_invalid, narrative_described) =
        error_attrs(&narrative_id, field_error(&errors, "narrative").as_ref());
    let (reason_invalid, reason_described) =
        error_attrs(&reason_id, field_error(&errors, "reason").as_ref());
    html! {
        <form class="correction-form" {onsubmit} novalidate=true>
            <FormField id={narrative_id.clone()} label="notes.corrected_text" error={field_error(&errors, "narrative")}>
                <textarea id={narrative_id} rows="4" onchange={on_narrative}
                    aria-invalid={narrative_invalid} aria-describedby={narrative_described} />
            </FormField>
            <FormField id={reason_id.clone()} label="notes.correction_why" error={field_error(&errors, "reason")}>
                <input id={reason_id} type="text" maxlength="500" onchange={on_reason}
                    aria-invalid={reason_invalid} aria-describedby={reason_described} />
            </FormField>
            <button type="submit">{ i18n.t("notes.save_correction") }</button>
        </form>
    }
}
