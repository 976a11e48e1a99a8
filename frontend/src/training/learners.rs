//! A course's learners, for its trainer and for an agency admin (their own staff): who
//! is enrolled, how far each is, who is behind; the list as CSV or Excel; and, for an
//! agency admin, enrolling staff by username or from a staff list's CSV.

use common::error::ErrorBody;
use common::identity::Permission;
use common::training::{
    CompletionReport, PendingReflection, ReflectionReview, ReviewDecision, StaffEnrolmentForm,
    StaffEnrolmentResult, Standing,
};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use super::TrainingRoute;
use crate::api::{save_as, use_get, with_query, Load, XLSX_TYPE};
use crate::form::{form_alert, read_text_file, submit, value_of};
use crate::i18n::{use_i18n, use_title, I18n};
use crate::identity::use_session;
use crate::pager::{use_searched, Pager};

#[derive(Properties, PartialEq)]
pub struct LearnersProps {
    pub id: String,
}

/// The report's filters as the address of the report, a file of it, or a page of it.
fn report_path(id: &str, file: &str, (standing, q): (Option<Standing>, &str), page: i64) -> String {
    let page = page.to_string();
    with_query(
        &format!("/api/courses/{id}/report{file}"),
        &[
            ("standing", standing.map_or("", Standing::as_str)),
            ("q", q),
            ("page", if file.is_empty() { page.as_str() } else { "" }),
        ],
    )
}

#[function_component]
pub fn LearnersPage(props: &LearnersProps) -> Html {
    use_title("training.learners");
    let i18n = use_i18n();
    let session = use_session();
    let standing = use_state(|| None::<Standing>);
    let searched = use_searched();
    let (q, page) = (searched.q.clone(), searched.page.clone());
    let generation = use_state(|| 0u32);
    let errors = use_state(|| None::<ErrorBody>);
    let path = report_path(&props.id, "", (*standing, &q), *page);
    let report = use_get::<CompletionReport>(path, *generation);
    let choose = |to: Option<Standing>| {
        let (standing, page) = (standing.clone(), page.clone());
        Callback::from(move |_: MouseEvent| {
            standing.set(to);
            page.set(1);
        })
    };
    let export = |file: &'static str, mime: &'static str| {
        let (api, errors) = (session.api.clone(), errors.clone());
        let path = report_path(&props.id, file, (*standing, &q), 1);
        Callback::from(move |_: MouseEvent| {
            let (api, errors, path) = (api.clone(), errors.clone(), path.clone());
            spawn_local(async move {
                match api.download(&path, None::<&()>).await {
                    Ok((bytes, _)) => {
                        let _ = save_as(&bytes, &format!("course-completion{file}"), mime);
                    }
                    Err(error) => errors.set(Some(error)),
                }
            });
        })
    };
    let enrolled = {
        let generation = generation.clone();
        Callback::from(move |_| generation.set(generation.wrapping_add(1)))
    };
    let reviewed = enrolled.clone();
    html! {
        <section>
            <p><Link<TrainingRoute> to={TrainingRoute::Course { id: props.id.clone() }}>{ i18n.t("training.back_to_course") }</Link<TrainingRoute>></p>
            { match &*report {
                Load::Ready(r) => html! { <h1>{ i18n.tf("training.learners_of", &[("course", i18n.pick(&r.title_zh, &r.title_en))]) }</h1> },
                _ => html! { <h1>{ i18n.t("training.learners") }</h1> },
            } }
            if session.can(Permission::EnrolStaff) {
                <EnrolStaff id={props.id.clone()} {enrolled} />
            }
            if session.can(Permission::TeachCourses) {
                <WaitingReflections id={props.id.clone()} reviewed={reviewed} />
            }
            if let Some(error) = &*errors {
                <p role="alert" class="alert">{ i18n.error(error) }</p>
            }
            { match &*report {
                Load::Loading => html! { <p role="status">{ i18n.t("app.loading") }</p> },
                Load::Failed(error) => html! { <p role="alert" class="alert">{ i18n.error(error) }</p> },
                Load::Ready(r) => html! {
                    <>
                        <div class="filters" role="group" aria-label={i18n.t("training.standing")}>
                            <button type="button" aria-pressed={standing.is_none().to_string()} onclick={choose(None)}>
                                { i18n.tf("training.all_learners", &[("count", &r.counts.iter().map(|(_, n)| n).sum::<i64>().to_string())]) }
                            </button>
                            { for r.counts.iter().map(|(s, n)| html! {
                                <button type="button" id={format!("standing-{}", s.as_str())}
                                    aria-pressed={(*standing == Some(*s)).to_string()} onclick={choose(Some(*s))}>
                                    { format!("{} ({n})", i18n.named(s.names())) }
                                </button>
                            }) }
                        </div>
                        <form class="search" role="search" onsubmit={searched.onsearch()}>
                            <label for="learner-search">{ i18n.t("training.find_learner") }</label>
                            <input id="learner-search" type="search" value={(*searched.typed).clone()} oninput={searched.on_typed()} />
                            <button type="submit">{ i18n.t("training.search") }</button>
                        </form>
                        <p>
                            <button type="button" id="report-csv" onclick={export(".csv", "text/csv")}>{ i18n.t("training.export_csv") }</button>{ " " }
                            <button type="button" id="report-xlsx" onclick={export(".xlsx", XLSX_TYPE)}>{ i18n.t("training.export_xlsx") }</button>
                        </p>
                        { progress_table(i18n, r) }
                        <Pager page={r.page} total={r.total} per_page={r.per_page} label="training.learners" on_page={searched.on_page()} />
                    </>
                },
            } }
        </section>
    }
}

fn progress_table(i18n: I18n, r: &CompletionReport) -> Html {
    if r.items.is_empty() {
        return html! { <p id="no-learners">{ i18n.t("training.no_learners") }</p> };
    }
    let day = |at: Option<chrono::DateTime<chrono::Utc>>| {
        at.map(|at| common::activities::hong_kong_day(at).to_string())
            .unwrap_or_default()
    };
    html! {
        <table class="data" id="learners">
            <caption>{ i18n.tf("training.learners_found", &[("count", &r.total.to_string())]) }</caption>
            <thead><tr>
                <th scope="col">{ i18n.t("training.learner") }</th>
                <th scope="col">{ i18n.t("training.agency") }</th>
                <th scope="col">{ i18n.t("training.standing") }</th>
                <th scope="col">{ i18n.t("training.required_done") }</th>
                <th scope="col">{ i18n.t("training.enrolled_on") }</th>
                <th scope="col">{ i18n.t("training.last_activity") }</th>
                <th scope="col">{ i18n.t("training.completed_on") }</th>
                <th scope="col">{ i18n.t("training.certificate_code") }</th>
            </tr></thead>
            <tbody>
                { for r.items.iter().map(|l| html! {
                    <tr key={l.learner.id.clone()} class={classes!((l.standing == Standing::Behind).then_some("behind"))}>
                        <th scope="row">{ l.learner.display_name.clone() }</th>
                        <td>{ l.agency_code.clone().unwrap_or_default() }</td>
                        <td>{ i18n.named(l.standing.names()) }</td>
                        <td class="num">{ format!("{} / {}", l.done, r.required) }</td>
                        <td>
                            { day(Some(l.enrolled_at)) }
                            if l.enrolled_by_admin { { " · " }{ i18n.t("training.by_agency") } }
                        </td>
                        <td>{ day(l.last_step_at) }</td>
                        <td>{ day(l.completed_at) }</td>
                        <td>{ l.certificate.clone().unwrap_or_default() }</td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}

#[derive(Properties, PartialEq)]
struct EnrolStaffProps {
    id: String,
    enrolled: Callback<()>,
}

/// "Line 3: nobody on your agency's staff has the username …", for each line named.
fn line_errors(i18n: I18n, errors: &Option<ErrorBody>) -> Html {
    let Some(errors) = errors else {
        return Html::default();
    };
    let lines: Vec<String> = errors
        .fields
        .iter()
        .filter(|(field, _)| field.starts_with("usernames"))
        .map(|(field, error)| match field.split_once('.') {
            Some((_, line)) => format!(
                "{}: {}",
                i18n.tf("training.line", &[("line", line)]),
                i18n.field_error(error)
            ),
            None => i18n.field_error(error),
        })
        .collect();
    if lines.is_empty() {
        return Html::default();
    }
    html! {
        <ul id="enrol-errors" class="alert" role="alert">
            { for lines.iter().map(|l| html! { <li>{ l }</li> }) }
        </ul>
    }
}

#[function_component]
fn EnrolStaff(props: &EnrolStaffProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let usernames = use_state(String::new);
    let errors = use_state(|| None::<ErrorBody>);
    let result = use_state(|| None::<StaffEnrolmentResult>);
    let on_file = {
        let usernames = usernames.clone();
        Callback::from(move |event: Event| {
            let usernames = usernames.clone();
            read_text_file(&event, Callback::from(move |text| usernames.set(text)));
        })
    };
    let on_typed = {
        let usernames = usernames.clone();
        Callback::from(move |e: InputEvent| usernames.set(value_of(&e)))
    };
    let onsubmit = {
        let (usernames, errors, result) = (usernames.clone(), errors.clone(), result.clone());
        let (path, enrolled) = (
            format!("/api/courses/{}/enrolments", props.id),
            props.enrolled.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (result, enrolled, usernames) =
                (result.clone(), enrolled.clone(), usernames.clone());
            let form = StaffEnrolmentForm {
                usernames: (*usernames).clone(),
            };
            submit(
                api.clone(),
                false,
                path.clone(),
                form,
                errors.clone(),
                Callback::from(move |done: StaffEnrolmentResult| {
                    usernames.set(String::new());
                    result.set(Some(done));
                    enrolled.emit(());
                }),
            );
        })
    };
    html! {
        <form class="panel" id="enrol-staff" {onsubmit} novalidate=true aria-labelledby="enrol-staff-title">
            <h2 id="enrol-staff-title">{ i18n.t("training.enrol_staff") }</h2>
            { form_alert(i18n, &errors) }
            <div class="field">
                <label for="enrol-usernames">{ i18n.t("training.usernames") }</label>
                <textarea id="enrol-usernames" rows="4" value={(*usernames).clone()} aria-describedby="enrol-usernames-help"
                    oninput={on_typed} />
                <p id="enrol-usernames-help" class="note">{ i18n.t("training.usernames_help") }</p>
            </div>
            <div class="field">
                <label for="enrol-file">{ i18n.t("training.staff_list") }</label>
                <input id="enrol-file" type="file" accept=".csv,text/csv" onchange={on_file} />
            </div>
            { line_errors(i18n, &errors) }
            <button type="submit" class="primary" id="enrol-staff-submit">{ i18n.t("training.enrol_them") }</button>
            if let Some(done) = &*result {
                <p role="status" id="enrol-result">
                    { i18n.tf("training.enrolled_count", &[
                        ("enrolled", &done.enrolled.len().to_string()),
                        ("already", &done.already.len().to_string()),
                    ]) }
                </p>
            }
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct WaitingProps {
    id: String,
    reviewed: Callback<()>,
}

/// The reflections waiting for the trainer: each signed off, or returned with feedback.
#[function_component]
fn WaitingReflections(props: &WaitingProps) -> Html {
    let i18n = use_i18n();
    let api = use_session().api;
    let generation = use_state(|| 0u32);
    let path = format!("/api/courses/{}/reflections", props.id);
    let waiting = use_get::<Vec<PendingReflection>>(path.clone(), *generation);
    let feedback = use_state(std::collections::HashMap::<String, String>::new);
    let errors = use_state(|| None::<ErrorBody>);
    // Another trainer's course: its reflections are not this trainer's to see.
    let Load::Ready(list) = &*waiting else {
        return Html::default();
    };
    let decide = |p: &PendingReflection, decision: ReviewDecision| {
        let (api, errors, feedback, generation, reviewed) = (
            api.clone(),
            errors.clone(),
            feedback.clone(),
            generation.clone(),
            props.reviewed.clone(),
        );
        let place = format!("{path}/{}/{}", p.enrolment_id, p.activity_key);
        let (slot, version) = (
            format!("{}-{}", p.enrolment_id, p.activity_key),
            p.reflection.version,
        );
        Callback::from(move |_: MouseEvent| {
            let review = ReflectionReview {
                decision,
                feedback: feedback.get(&slot).cloned().unwrap_or_default(),
                version,
            };
            let (generation, reviewed) = (generation.clone(), reviewed.clone());
            submit(
                api.clone(),
                false,
                place.clone(),
                review,
                errors.clone(),
                Callback::from(move |_: Vec<PendingReflection>| {
                    generation.set(generation.wrapping_add(1));
                    reviewed.emit(());
                }),
            );
        })
    };
    html! {
        <section class="panel" id="waiting-reflections" aria-labelledby="waiting-reflections-title">
            <h2 id="waiting-reflections-title">{ i18n.tf("training.reflections_waiting", &[("count", &list.len().to_string())]) }</h2>
            if let Some(error) = &*errors {
                <p role="alert" class="alert">
                    { i18n.error(error) }
                    { for error.fields.values().map(|e| html! { <>{ " " }{ i18n.field_error(e) }</> }) }
                </p>
            }
            { for list.iter().map(|p| {
                let slot = format!("{}-{}", p.enrolment_id, p.activity_key);
                let id = format!("feedback-{slot}");
                let oninput = {
                    let (feedback, slot) = (feedback.clone(), slot.clone());
                    Callback::from(move |e: InputEvent| {
                        let mut next = (*feedback).clone();
                        next.insert(slot.clone(), value_of(&e));
                        feedback.set(next);
                    })
                };
                html! {
                    <article key={slot.clone()} class="reflection-waiting">
                        <h3>{ format!("{} · {}", p.learner.display_name, i18n.pick(&p.activity_title_zh, &p.activity_title_en)) }</h3>
                        <blockquote>{ for p.reflection.text.lines().map(|line| html! { <p>{ line }</p> }) }</blockquote>
                        <div class="field">
                            <label for={id.clone()}>{ i18n.t("training.feedback_label") }</label>
                            <textarea id={id.clone()} rows="2" {oninput} />
                        </div>
                        <button type="button" class="primary sign-off" onclick={decide(p, ReviewDecision::SignOff)}>{ i18n.t("training.sign_off") }</button>{ " " }
                        <button type="button" class="return" onclick={decide(p, ReviewDecision::Return)}>{ i18n.t("training.return") }</button>
                    </article>
                }
            }) }
        </section>
    }
}
