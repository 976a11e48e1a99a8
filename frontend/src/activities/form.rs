//! Planning a group, programme or community event: what it is, for whom, where, when,
//! who runs it, and the model it follows.

use std::rc::Rc;

use common::activities::{
    Activity, ActivityForm, ActivityFormat, ActivityKind, ActivityMode, FacilitatorForm,
    FacilitatorRole, TargetGroup,
};
use common::error::ErrorBody;
use common::identity::Unit;
use common::taxonomy::Vocabulary;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{encode, Load};
use crate::app::Route;
use crate::cases::CaseworkerSelect;
use crate::form::{date_of, error_attrs, field_error, form_alert, submit, value_of, FormField};
use crate::i18n::{use_i18n, use_title};
use crate::identity::use_session;
use crate::terms::{use_terms, TermChoice};

/// The form as typed, with its facilitators apart: a staff member, a volunteer, an
/// external facilitator, and any more the activity has (kept as they are).
#[derive(Clone, PartialEq, Default)]
struct Draft {
    form: ActivityForm,
    staff: String,
    volunteer: String,
    external: String,
    others: Vec<FacilitatorForm>,
}

impl Draft {
    /// A new activity, run by the user at the Family Support Unit, face to face.
    fn new(me: String) -> Draft {
        Draft {
            form: ActivityForm {
                unit: Some(Unit::FamilySupport),
                mode: Some(ActivityMode::FaceToFace),
                ..ActivityForm::default()
            },
            staff: me,
            ..Draft::default()
        }
    }

    /// An activity as saved, to edit at its version.
    fn of(activity: &Activity) -> Draft {
        let mut draft = Draft {
            form: ActivityForm {
                format: Some(activity.format),
                unit: Some(activity.unit),
                title_zh: activity.title_zh.clone(),
                title_en: activity.title_en.clone(),
                theme_codes: activity.theme_codes.clone(),
                education_theme_codes: activity.education_theme_codes.clone(),
                target_group: Some(activity.target_group),
                mode: Some(activity.mode),
                capacity: activity.capacity,
                facilitators: Vec::new(),
                venue: activity.venue.clone().unwrap_or_default(),
                meeting_link: activity.meeting_link.clone().unwrap_or_default(),
                planned_start: Some(activity.planned_start),
                planned_end: Some(activity.planned_end),
                actual_start: activity.actual_start,
                actual_end: activity.actual_end,
                intervention_model: activity.intervention_model.clone(),
                completion_percent: Some(activity.completion_percent),
                version: Some(activity.version),
            },
            ..Draft::default()
        };
        for f in &activity.facilitators {
            let slot = match f.role {
                FacilitatorRole::Staff => &mut draft.staff,
                FacilitatorRole::Volunteer => &mut draft.volunteer,
                FacilitatorRole::External => &mut draft.external,
            };
            let value = f
                .staff
                .as_ref()
                .map(|s| s.id.clone())
                .or_else(|| f.name.clone())
                .unwrap_or_default();
            if slot.is_empty() {
                *slot = value;
            } else {
                draft.others.push(FacilitatorForm {
                    role: Some(f.role),
                    user_id: f.staff.as_ref().map(|s| s.id.clone()),
                    name: f.name.clone().unwrap_or_default(),
                });
            }
        }
        draft
    }

    fn body(&self) -> ActivityForm {
        let staff = (!self.staff.is_empty()).then(|| FacilitatorForm {
            role: Some(FacilitatorRole::Staff),
            user_id: Some(self.staff.clone()),
            name: String::new(),
        });
        let named = |role, name: &String| {
            (!name.trim().is_empty()).then(|| FacilitatorForm {
                role: Some(role),
                user_id: None,
                name: name.clone(),
            })
        };
        ActivityForm {
            facilitators: [
                staff,
                named(FacilitatorRole::Volunteer, &self.volunteer),
                named(FacilitatorRole::External, &self.external),
            ]
            .into_iter()
            .flatten()
            .chain(self.others.iter().cloned())
            .collect(),
            ..self.form.clone()
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct ActivityFormProps {
    /// The activity being edited; `None` plans a new one.
    #[prop_or_default]
    pub activity: Option<Rc<Activity>>,
    pub on_saved: Callback<Activity>,
    #[prop_or_default]
    pub on_cancel: Option<Callback<()>>,
}

/// One form plans an activity and edits it.
#[function_component]
pub fn ActivityFormView(props: &ActivityFormProps) -> Html {
    let i18n = use_i18n();
    let session = use_session();
    let me = session
        .me
        .as_ref()
        .map(|me| me.id.clone())
        .unwrap_or_default();
    let draft = use_state(|| {
        props
            .activity
            .as_deref()
            .map_or_else(|| Draft::new(me), Draft::of)
    });
    let errors = use_state(|| None::<ErrorBody>);
    let models = use_terms(Vocabulary::InterventionModels);
    let edit = |apply: fn(&mut Draft, &Event)| crate::form::edit(&draft, apply);
    let choose = |apply: fn(&mut ActivityForm, Vec<String>)| {
        let draft = draft.clone();
        Callback::from(move |codes: Vec<String>| {
            let mut next = (*draft).clone();
            apply(&mut next.form, codes);
            draft.set(next);
        })
    };
    let themes_changed = choose(|form, codes| form.theme_codes = codes);
    let education_themes_changed = choose(|form, codes| form.education_theme_codes = codes);
    let editing = props
        .activity
        .as_ref()
        .map(|a| format!("/api/activities/{}", encode(&a.id)));
    let onsubmit = {
        let (draft, errors, api) = (draft.clone(), errors.clone(), session.api.clone());
        let on_saved = props.on_saved.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            submit(
                api.clone(),
                editing.is_some(),
                editing.clone().unwrap_or_else(|| "/api/activities".into()),
                draft.body(),
                errors.clone(),
                on_saved.clone(),
            );
        })
    };
    let error = |field: &str| field_error(&errors, field);
    let attrs = |field: &str| error_attrs(&format!("activity-{field}"), error(field).as_ref());
    let form = &draft.form;
    let is_event = form.format.map(ActivityFormat::kind) == Some(ActivityKind::CommunityEvent);
    let choose = i18n.t("client.choose");
    let number = |value: Option<i64>| value.map(|n| n.to_string()).unwrap_or_default();
    let date = |value: Option<chrono::NaiveDate>| value.map(|d| d.to_string()).unwrap_or_default();
    let (format_invalid, format_described) = attrs("format");
    let (zh_invalid, zh_described) = attrs("title_zh");
    let (en_invalid, en_described) = attrs("title_en");
    let (target_invalid, target_described) = attrs("target_group");
    let (mode_invalid, mode_described) = attrs("mode");
    let (capacity_invalid, capacity_described) = attrs("capacity");
    let (venue_invalid, venue_described) = attrs("venue");
    let (link_invalid, link_described) = attrs("meeting_link");
    let (start_invalid, start_described) = attrs("planned_start");
    let (end_invalid, end_described) = attrs("planned_end");
    let (model_invalid, model_described) = attrs("intervention_model");
    let (completion_invalid, completion_described) = attrs("completion_percent");
    let (staff_invalid, staff_described) =
        error_attrs("activity-staff", error("facilitators.0").as_ref());
    let (actual_start_invalid, actual_start_described) = attrs("actual_start");
    let (actual_end_invalid, actual_end_described) = attrs("actual_end");
    html! {
            <form id="activity-form" class="stack" {onsubmit} novalidate=true>
                { form_alert(i18n, &errors) }
                if errors.as_ref().is_some_and(|e| !e.fields.is_empty()) {
                    <p role="alert" class="alert">{ i18n.t("error.validation_failed") }</p>
                }
                <div class="grid">
                    <FormField id="activity-format" label="activity.format" error={error("format")}>
                        <select id="activity-format" onchange={edit(|d, e| d.form.format = ActivityFormat::parse(&value_of(e)))}
                            aria-invalid={format_invalid} aria-describedby={format_described}>
                            <option value="" selected={form.format.is_none()}>{ choose }</option>
                            { for ActivityKind::ALL.iter().map(|kind| html! {
                                <optgroup label={i18n.code("activity_kind", kind.as_str())}>
                                    { for ActivityFormat::of_kind(*kind).map(|f| html! {
                                        <option value={f.as_str()} selected={form.format == Some(f)}>{ i18n.code("activity_format", f.as_str()) }</option>
                                    }) }
                                </optgroup>
                            }) }
                        </select>
                    </FormField>
                    <FormField id="activity-unit" label="activity.unit" error={error("unit")}>
                        <select id="activity-unit" onchange={edit(|d, e| d.form.unit = Unit::parse(&value_of(e)))}>
                            { for Unit::ALL.iter().map(|u| html! {
                                <option value={u.as_str()} selected={form.unit == Some(*u)}>{ i18n.unit(*u) }</option>
                            }) }
                        </select>
                    </FormField>
                    <FormField id="activity-title_zh" label="activity.title_zh" error={error("title_zh")}>
                        <input id="activity-title_zh" type="text" value={form.title_zh.clone()} maxlength="100"
                            onchange={edit(|d, e| d.form.title_zh = value_of(e))}
                            aria-invalid={zh_invalid} aria-describedby={zh_described} />
                    </FormField>
                    <FormField id="activity-title_en" label="activity.title_en" error={error("title_en")}>
                        <input id="activity-title_en" type="text" value={form.title_en.clone()} maxlength="200"
                            onchange={edit(|d, e| d.form.title_en = value_of(e))}
                            aria-invalid={en_invalid} aria-describedby={en_described} />
                    </FormField>
                    <FormField id="activity-target_group" label="activity.target_group" error={error("target_group")}>
                        <select id="activity-target_group" onchange={edit(|d, e| d.form.target_group = TargetGroup::parse(&value_of(e)))}
                            aria-invalid={target_invalid} aria-describedby={target_described}>
                            <option value="" selected={form.target_group.is_none()}>{ choose }</option>
                            { for TargetGroup::ALL.iter().map(|t| html! {
                                <option value={t.as_str()} selected={form.target_group == Some(*t)}>{ i18n.code("target_group", t.as_str()) }</option>
                            }) }
                        </select>
                    </FormField>
                    <FormField id="activity-mode" label="activity.mode" error={error("mode")}>
                        <select id="activity-mode" onchange={edit(|d, e| d.form.mode = ActivityMode::parse(&value_of(e)))}
                            aria-invalid={mode_invalid} aria-describedby={mode_described}>
                            { for ActivityMode::ALL.iter().map(|m| html! {
                                <option value={m.as_str()} selected={form.mode == Some(*m)}>{ i18n.code("activity_mode", m.as_str()) }</option>
                            }) }
                        </select>
                    </FormField>
                    if !is_event {
                        <FormField id="activity-capacity" label="activity.capacity" error={error("capacity")}>
                            <input id="activity-capacity" type="number" min="1" max="10000" inputmode="numeric"
                                value={number(form.capacity)}
                                onchange={edit(|d, e| d.form.capacity = value_of(e).trim().parse().ok())}
                                aria-invalid={capacity_invalid} aria-describedby={capacity_described} />
                        </FormField>
                        <FormField id="activity-completion_percent" label="activity.completion_percent" error={error("completion_percent")}>
                            <input id="activity-completion_percent" type="number" min="1" max="100" inputmode="numeric"
                                placeholder="70" value={number(form.completion_percent)}
                                onchange={edit(|d, e| d.form.completion_percent = value_of(e).trim().parse().ok())}
                                aria-invalid={completion_invalid} aria-describedby={completion_described} />
                        </FormField>
                    }
                    <FormField id="activity-venue" label="activity.venue" error={error("venue")}>
                        <input id="activity-venue" type="text" value={form.venue.clone()} maxlength="200"
                            onchange={edit(|d, e| d.form.venue = value_of(e))}
                            aria-invalid={venue_invalid} aria-describedby={venue_described} />
                    </FormField>
                    <FormField id="activity-meeting_link" label="activity.meeting_link" error={error("meeting_link")}>
                        <input id="activity-meeting_link" type="url" value={form.meeting_link.clone()} maxlength="500"
                            onchange={edit(|d, e| d.form.meeting_link = value_of(e))}
                            aria-invalid={link_invalid} aria-describedby={link_described} />
                    </FormField>
                    <FormField id="activity-planned_start" label="activity.planned_start" error={error("planned_start")}>
                        <input id="activity-planned_start" type="date" value={date(form.planned_start)}
                            onchange={edit(|d, e| d.form.planned_start = date_of(e))}
                            aria-invalid={start_invalid} aria-describedby={start_described} />
                    </FormField>
                    <FormField id="activity-planned_end" label="activity.planned_end" error={error("planned_end")}>
                        <input id="activity-planned_end" type="date" value={date(form.planned_end)}
                            onchange={edit(|d, e| d.form.planned_end = date_of(e))}
                            aria-invalid={end_invalid} aria-describedby={end_described} />
                    </FormField>
                    if props.activity.is_some() {
                        <FormField id="activity-actual_start" label="activity.actual_start" error={error("actual_start")}>
                            <input id="activity-actual_start" type="date" value={date(form.actual_start)}
                                onchange={edit(|d, e| d.form.actual_start = date_of(e))}
                                aria-invalid={actual_start_invalid} aria-describedby={actual_start_described} />
                        </FormField>
                        <FormField id="activity-actual_end" label="activity.actual_end" error={error("actual_end")}>
                            <input id="activity-actual_end" type="date" value={date(form.actual_end)}
                                onchange={edit(|d, e| d.form.actual_end = date_of(e))}
                                aria-invalid={actual_end_invalid} aria-describedby={actual_end_described} />
                        </FormField>
                    }
                    <FormField id="activity-intervention_model" label="activity.intervention_model" error={error("intervention_model")}>
                        <select id="activity-intervention_model"
                            onchange={edit(|d, e| d.form.intervention_model = Some(value_of(e)).filter(|v| !v.is_empty()))}
                            aria-invalid={model_invalid} aria-describedby={model_described}>
                            <option value="" selected={form.intervention_model.is_none()}>{ i18n.t("activity.no_model") }</option>
                            if let Load::Ready(models) = &*models {
                                { for models.iter().filter(|m| m.active || form.intervention_model.as_ref() == Some(&m.code)).map(|m| html! {
                                    <option value={m.code.clone()} selected={form.intervention_model.as_ref() == Some(&m.code)}>
                                        { i18n.pick(&m.name_zh, &m.name_en).to_owned() }
                                    </option>
                                }) }
                            }
                        </select>
                    </FormField>
                </div>
                <TermChoice prefix="theme" field="theme_codes" legend="activity.themes"
                    chosen={form.theme_codes.clone()} on_change={themes_changed} error={error("theme_codes")} />
                <TermChoice vocabulary={Vocabulary::EducationThemes} prefix="education-theme"
                    field="education_theme_codes" legend="activity.education_themes"
                    chosen={form.education_theme_codes.clone()} on_change={education_themes_changed}
                    error={error("education_theme_codes")} />
                <fieldset class="field">
                    <legend>{ i18n.t("activity.facilitators") }</legend>
                    <div class="grid">
                        <FormField id="activity-staff" label="activity.staff_facilitator" error={error("facilitators.0")}>
                            <CaseworkerSelect id="activity-staff" value={draft.staff.clone()}
                                onchange={edit(|d, e| d.staff = value_of(e))}
                                invalid={staff_invalid} described={staff_described} />
                        </FormField>
                        <FormField id="activity-volunteer" label="activity.volunteer">
                            <input id="activity-volunteer" type="text" value={draft.volunteer.clone()} maxlength="100"
                                onchange={edit(|d, e| d.volunteer = value_of(e))} />
                        </FormField>
                        <FormField id="activity-external" label="activity.external">
                            <input id="activity-external" type="text" value={draft.external.clone()} maxlength="100"
                                onchange={edit(|d, e| d.external = value_of(e))} />
                        </FormField>
                    </div>
                </fieldset>
                <div class="actions">
                    <button id="activity-submit" type="submit" class="primary">{ i18n.t("activity.save") }</button>
                    if let Some(cancel) = &props.on_cancel {
                        <button type="button" onclick={cancel.reform(|_: MouseEvent| ())}>{ i18n.t("client.cancel") }</button>
                    }
                </div>
            </form>
    }
}

#[function_component]
pub fn NewActivityPage() -> Html {
    use_title("activity.new_title");
    let i18n = use_i18n();
    let navigator = use_navigator();
    let on_saved = Callback::from(move |activity: Activity| {
        if let Some(navigator) = &navigator {
            navigator.push(&Route::GroupDetail { id: activity.id });
        }
    });
    html! {
        <section>
            <p class="back"><Link<Route> to={Route::Groups}>{ i18n.t("activity.back_to_list") }</Link<Route>></p>
            <h1>{ i18n.t("activity.new_title") }</h1>
            <ActivityFormView {on_saved} />
        </section>
    }
}
