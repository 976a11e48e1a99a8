//! i-TLS's pages, under `/training`: the courses and one's certificates, a course as a
//! learner takes it, the trainer's editor, one's CPD record and an agency admin's view of
//! their staff's; and `/verify/{code}`, the certificate check anyone may open. The module
//! registers its own routes.

mod course;
mod cpd;
mod editor;
mod learners;
mod reminders;
mod staff_cpd;
mod verify;

use common::identity::Permission;
use common::training::{hours, Certificate, CourseList};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{save_as, use_get, with_query, Load};
use crate::i18n::{use_i18n, use_title};
use crate::identity::use_session;
use crate::not_found::NotFoundPage;
use crate::pager::{use_searched, Pager};

pub use reminders::ExpiringCertificates;
pub use verify::VerifyPage;

#[derive(Debug, Clone, PartialEq, Routable)]
pub enum TrainingRoute {
    #[at("/training")]
    Catalogue,
    #[at("/training/new")]
    New,
    #[at("/training/courses/:id")]
    Course { id: String },
    #[at("/training/courses/:id/edit")]
    Edit { id: String },
    #[at("/training/courses/:id/learners")]
    Learners { id: String },
    #[at("/training/cpd")]
    Cpd,
    #[at("/training/cpd/staff")]
    StaffCpdList,
    #[at("/training/cpd/staff/:id")]
    StaffCpd { id: String },
    #[not_found]
    #[at("/training/404")]
    NotFound,
}

fn page(route: TrainingRoute) -> Html {
    match route {
        TrainingRoute::Catalogue => html! { <Catalogue /> },
        TrainingRoute::New => html! { <editor::CourseEditor /> },
        TrainingRoute::Edit { id } => html! { <editor::CourseEditor {id} /> },
        TrainingRoute::Course { id } => html! { <course::CoursePage {id} /> },
        TrainingRoute::Learners { id } => html! { <learners::LearnersPage {id} /> },
        TrainingRoute::Cpd => html! { <cpd::CpdPage /> },
        TrainingRoute::StaffCpdList => html! { <staff_cpd::StaffCpdPage /> },
        TrainingRoute::StaffCpd { id } => html! { <staff_cpd::StaffRecordPage {id} /> },
        TrainingRoute::NotFound => html! { <NotFoundPage /> },
    }
}

/// Every page of i-TLS, chosen by the address.
#[function_component]
pub fn TrainingPages() -> Html {
    html! { <Switch<TrainingRoute> render={page} /> }
}

/// Hours as typed ("7.5") in tenths; what cannot be read is sent as none, and named.
fn tenths(typed: &str) -> Option<i64> {
    let value: f64 = typed.trim().parse().ok()?;
    (value.is_finite() && value >= 0.0).then(|| (value * 10.0).round() as i64)
}

/// Downloads a certificate's PDF.
pub fn download_certificate(
    api: crate::api::Api,
    code: String,
    errors: UseStateHandle<Option<common::error::ErrorBody>>,
) {
    spawn_local(async move {
        match api
            .download(&format!("/api/certificates/{code}/pdf"), None::<&()>)
            .await
        {
            Ok((bytes, _)) => {
                let _ = save_as(&bytes, &format!("{code}.pdf"), "application/pdf");
            }
            Err(error) => errors.set(Some(error)),
        }
    });
}

#[function_component]
fn Catalogue() -> Html {
    use_title("training.title");
    let i18n = use_i18n();
    let session = use_session();
    let searched = use_searched();
    let path = with_query(
        "/api/courses",
        &[("q", &searched.q), ("page", &searched.page.to_string())],
    );
    let courses = use_get::<CourseList>(path, 0);
    let certificates = use_get::<Vec<Certificate>>("/api/certificates".to_owned(), 0);
    let errors = use_state(|| None);
    html! {
        <section>
            <div class="page-head">
                <h1>{ i18n.t("training.title") }</h1>
                if session.can(Permission::TakeCourses) {
                    <Link<TrainingRoute> to={TrainingRoute::Cpd} classes="button">{ i18n.t("cpd.title") }</Link<TrainingRoute>>
                }
                if session.can(Permission::EnrolStaff) {
                    <Link<TrainingRoute> to={TrainingRoute::StaffCpdList} classes="button">{ i18n.t("cpd.staff_title") }</Link<TrainingRoute>>
                }
                if session.can(Permission::TeachCourses) {
                    <Link<TrainingRoute> to={TrainingRoute::New} classes="button primary">{ i18n.t("training.new") }</Link<TrainingRoute>>
                }
            </div>
            if let Some(error) = &*errors {
                <p role="alert" class="alert">{ i18n.error(error) }</p>
            }
            <h2>{ i18n.t("training.courses") }</h2>
            <form class="search" role="search" onsubmit={searched.onsearch()}>
                <label for="course-search">{ i18n.t("training.find_course") }</label>
                <input id="course-search" type="search" value={(*searched.typed).clone()} oninput={searched.on_typed()} />
                <button type="submit">{ i18n.t("training.search") }</button>
            </form>
            { match &*courses {
                Load::Loading => html! { <p role="status">{ i18n.t("app.loading") }</p> },
                Load::Failed(error) => html! { <p role="alert" class="alert">{ i18n.error(error) }</p> },
                Load::Ready(list) if list.items.is_empty() => html! { <p id="courses-none">{ i18n.t("training.no_courses") }</p> },
                Load::Ready(list) => html! {
                    <>
                    <ul class="hits" id="courses">
                        { for list.items.iter().map(|c| html! {
                            <li key={c.id.clone()} class="hit">
                                <h3><Link<TrainingRoute> to={TrainingRoute::Course { id: c.id.clone() }}>{ i18n.pick(&c.title_zh, &c.title_en).to_owned() }</Link<TrainingRoute>></h3>
                                <p class="meta">
                                    { i18n.code("course_category", c.category.as_str()) }{ " · " }
                                    { i18n.code("teaching_language", c.language.as_str()) }{ " · " }
                                    { i18n.tf("training.cpd_hours", &[("hours", &hours(c.cpd_tenths))]) }{ " · " }
                                    { c.trainer.display_name.clone() }
                                    if c.status != common::training::CourseStatus::Published {
                                        { " · " }<span class="badge">{ i18n.code("course_status", c.status.as_str()) }</span>
                                    }
                                    if c.completed_at.is_some() {
                                        { " · " }<span class="badge">{ i18n.t("training.completed") }</span>
                                    } else if c.enrolled {
                                        { " · " }<span class="badge">{ i18n.t("training.enrolled") }</span>
                                    }
                                </p>
                            </li>
                        }) }
                    </ul>
                    <Pager page={list.page} total={list.total} per_page={list.per_page} label="training.course_pages" on_page={searched.on_page()} />
                    </>
                },
            } }
            <h2>{ i18n.t("training.my_certificates") }</h2>
            { match &*certificates {
                Load::Ready(list) if list.is_empty() => html! { <p>{ i18n.t("training.no_certificates") }</p> },
                Load::Ready(list) => html! {
                    <ul id="certificates">
                        { for list.iter().map(|c| {
                            let (api, code, errors) = (session.api.clone(), c.code.clone(), errors.clone());
                            let onclick = Callback::from(move |_: MouseEvent| download_certificate(api.clone(), code.clone(), errors.clone()));
                            html! {
                                <li key={c.code.clone()}>
                                    { i18n.pick(&c.course_title_zh, &c.course_title_en).to_owned() }{ " · " }{ c.completed_on.to_string() }{ " · " }
                                    <a href={format!("/verify/{}", c.code)}>{ c.code.clone() }</a>{ " · " }
                                    { i18n.code("certificate_status", c.status.as_str()) }{ " " }
                                    <button type="button" {onclick}>{ i18n.t("training.download_pdf") }</button>
                                </li>
                            }
                        }) }
                    </ul>
                },
                _ => html! {},
            } }
        </section>
    }
}
