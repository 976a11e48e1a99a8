//! The router and the shell around every page: header, navigation and main area.

use common::identity::Permission;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::activities::{ActivityList, ActivityPage, CalendarPage, NewActivityPage, RollCallPage};
use crate::admin::{PopulationPanel, TaxonomyPage};
use crate::analytics::{DasPage, EFFECTIVENESS, RISK_FACTORS};
use crate::assessments::{AssessmentsPage, CaseAssessPage, InstrumentsPage, SelfCompletionPage};
use crate::cases::{CaseDetailPage, CaseList, NoteSearchPage, OpenCasePage};
use crate::clients::{ClientDetailPage, ClientList, NewClientPage};
use crate::enquiries::{EnquiryDetailPage, EnquiryLog, NewEnquiryPage, PromotePage};
use crate::i18n::use_i18n;
use crate::identity::{use_session, HomePage, IdleWatch, LoginPage, SessionProvider};
use crate::not_found::NotFoundPage;
use crate::outcomes::OutcomesPage;
use crate::statistics::StatisticsPage;

#[derive(Debug, Clone, PartialEq, Routable)]
pub enum Route {
    #[at("/login")]
    Login,
    #[at("/")]
    Home,
    #[at("/clients")]
    Clients,
    #[at("/clients/new")]
    ClientNew,
    #[at("/clients/:id")]
    ClientDetail { id: String },
    #[at("/clients/:id/open-case")]
    CaseOpen { id: String },
    #[at("/cases")]
    Cases,
    #[at("/cases/note-search")]
    NoteSearch,
    #[at("/cases/:id")]
    CaseDetail { id: String },
    #[at("/cases/:id/assess")]
    CaseAssess { id: String },
    /// A family's questionnaire, opened from a link without an account.
    #[at("/answer/:token")]
    Answer { token: String },
    #[at("/enquiries")]
    Enquiries,
    #[at("/enquiries/new")]
    EnquiryNew,
    #[at("/enquiries/:id")]
    EnquiryDetail { id: String },
    #[at("/enquiries/:id/promote")]
    EnquiryPromote { id: String },
    #[at("/groups")]
    Groups,
    #[at("/groups/new")]
    GroupNew,
    #[at("/groups/calendar")]
    GroupCalendar,
    #[at("/groups/:id")]
    GroupDetail { id: String },
    #[at("/groups/sessions/:id/roll-call")]
    RollCall { id: String },
    #[at("/assessments")]
    Assessments,
    #[at("/reports")]
    Reports,
    #[at("/outcomes")]
    Outcomes,
    #[at("/instruments")]
    Instruments,
    #[at("/das")]
    Das,
    #[at("/das/:board")]
    DasBoard { board: String },
    #[at("/das/risk-factors/:outcome")]
    DasRisk { outcome: String },
    #[at("/das/effectiveness/:instrument/:scale")]
    DasEffect { instrument: String, scale: String },
    #[at("/hub")]
    Hub,
    /// The hub's own pages (`hub::HubRoute`).
    #[at("/hub/*")]
    HubPages,
    #[at("/training")]
    Training,
    /// i-TLS's own pages (`training::TrainingRoute`).
    #[at("/training/*")]
    TrainingPages,
    #[at("/circle")]
    Circle,
    /// The co-learning circle's own pages (`circle::CircleRoute`).
    #[at("/circle/*")]
    CirclePages,
    /// A certificate's check, for anyone.
    #[at("/verify/:code")]
    Verify { code: String },
    #[at("/admin")]
    Admin,
    #[not_found]
    #[at("/404")]
    NotFound,
}

/// The modules in the navigation, in order, with the permission each needs (if any).
const MODULES: [(Route, &str, Option<Permission>); 13] = [
    (Route::Clients, "nav.clients", Some(Permission::ViewClients)),
    (Route::Cases, "nav.cases", Some(Permission::ViewCases)),
    (
        Route::Enquiries,
        "nav.enquiries",
        Some(Permission::ViewEnquiries),
    ),
    (
        Route::Groups,
        "nav.groups",
        Some(Permission::ViewActivities),
    ),
    (
        Route::Assessments,
        "nav.assessments",
        Some(Permission::ViewAssessments),
    ),
    (
        Route::Reports,
        "nav.reports",
        Some(Permission::ViewStatistics),
    ),
    (
        Route::Outcomes,
        "nav.outcomes",
        Some(Permission::ViewOutcomes),
    ),
    (
        Route::Instruments,
        "nav.instruments",
        Some(Permission::ViewInstruments),
    ),
    (Route::Das, "nav.das", Some(Permission::ViewAnalytics)),
    (Route::Hub, "nav.hub", None),
    (Route::Training, "nav.training", None),
    (Route::Circle, "nav.circle", Some(Permission::JoinCircle)),
    (Route::Admin, "nav.admin", Some(Permission::EditTaxonomy)),
];

#[function_component]
pub fn App() -> Html {
    html! {
        <BrowserRouter>
            <SessionProvider>
                <Shell />
            </SessionProvider>
        </BrowserRouter>
    }
}

#[function_component]
fn Shell() -> Html {
    let i18n = use_i18n();
    let session = use_session();
    use_focus_main_on_navigation();
    html! {
        <>
            <a class="skip-link" href="#main">{ i18n.t("app.skip_to_content") }</a>
            <Header />
            if session.me.is_some() {
                <IdleWatch />
            }
            <main id="main" tabindex="-1">
                if session.checking {
                    <p role="status">{ i18n.t("app.loading") }</p>
                } else {
                    <Switch<Route> render={|route| html! { <Page {route} /> }} />
                }
            </main>
        </>
    }
}

/// After moving to another page, keyboard and screen reader users start at its content
/// rather than at the top of the header.
#[hook]
fn use_focus_main_on_navigation() {
    let path = use_location().map(|l| l.path().to_owned());
    let first = use_mut_ref(|| true);
    use_effect_with(path, move |_| {
        if std::mem::replace(&mut *first.borrow_mut(), false) {
            return;
        }
        focus("main");
    });
}

/// Moves keyboard focus to the element with this id, if it is on the page.
pub fn focus(id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(element) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}

#[function_component]
fn Header() -> Html {
    let i18n = use_i18n();
    let session = use_session();
    let switch_locale = {
        let (set_locale, other) = (session.set_locale.clone(), i18n.other());
        Callback::from(move |_: MouseEvent| set_locale.emit(other))
    };
    let sign_out = session.sign_out.reform(|_: MouseEvent| ());
    html! {
        <header class="site-header">
            <div class="brand">
                <Link<Route> to={Route::Home}>{ i18n.t("app.name") }</Link<Route>>
            </div>
            if session.me.is_some() {
                <MainNav />
            }
            <div class="header-tools">
                if let Some(me) = &session.me {
                    <span class="user-name">
                        { i18n.tf("header.signed_in_as", &[("name", &me.display_name)]) }
                    </span>
                }
                <button id="locale-switch" type="button" lang={i18n.other().as_str()}
                    onclick={switch_locale}>
                    { i18n.t("locale.switch") }
                </button>
                if session.me.is_some() {
                    <button id="logout" type="button" onclick={sign_out}>
                        { i18n.t("auth.logout") }
                    </button>
                }
            </div>
        </header>
    }
}

#[function_component]
fn MainNav() -> Html {
    let i18n = use_i18n();
    let session = use_session();
    let current = use_route::<Route>();
    let section = current.as_ref().map(section_of);
    let links = MODULES
        .iter()
        .filter(|(_, _, permission)| permission.is_none_or(|p| session.can(p)))
        .map(|(route, key, _)| {
            let active = section.as_ref() == Some(route);
            html! {
                <li><NavLink to={route.clone()} {active}>{ i18n.t(key) }</NavLink></li>
            }
        });
    html! {
        <nav aria-label={i18n.t("nav.label")}>
            <ul class="nav-list">
                <li>
                    <NavLink to={Route::Home} active={section == Some(Route::Home)}>
                        { i18n.t("nav.home") }
                    </NavLink>
                </li>
                { for links }
            </ul>
        </nav>
    }
}

/// The navigation entry a page belongs to: a client's page is part of i-Connect.
fn section_of(route: &Route) -> Route {
    match route {
        Route::ClientNew | Route::ClientDetail { .. } => Route::Clients,
        Route::NoteSearch | Route::CaseAssess { .. } => Route::Cases,
        Route::EnquiryNew | Route::EnquiryDetail { .. } | Route::EnquiryPromote { .. } => {
            Route::Enquiries
        }
        Route::GroupNew
        | Route::GroupCalendar
        | Route::GroupDetail { .. }
        | Route::RollCall { .. } => Route::Groups,
        Route::HubPages => Route::Hub,
        Route::TrainingPages => Route::Training,
        Route::CirclePages => Route::Circle,
        other => other.clone(),
    }
}

#[derive(Properties, PartialEq)]
struct NavLinkProps {
    to: Route,
    active: bool,
    children: Html,
}

/// A plain link that the router follows without reloading, and that tells assistive
/// technology which page is current (yew-router's `Link` cannot set `aria-current`).
#[function_component]
fn NavLink(props: &NavLinkProps) -> Html {
    let navigator = use_navigator();
    let onclick = {
        let to = props.to.clone();
        Callback::from(move |event: MouseEvent| {
            // Let the browser handle opening in a new tab or window.
            if event.ctrl_key() || event.meta_key() || event.shift_key() || event.button() != 0 {
                return;
            }
            if let Some(navigator) = &navigator {
                event.prevent_default();
                navigator.push(&to);
            }
        })
    };
    html! {
        <a href={props.to.to_path()} aria-current={props.active.then_some("page")} {onclick}>
            { props.children.clone() }
        </a>
    }
}

#[derive(Properties, PartialEq)]
struct PageProps {
    route: Route,
}

/// Chooses the page for a route; everything but the login page and a family's
/// questionnaire needs a user.
#[function_component]
fn Page(props: &PageProps) -> Html {
    let session = use_session();
    match (&props.route, session.me.is_some()) {
        (Route::Login, true) => html! { <Replace to={Route::Home} /> },
        (Route::Login, false) => html! { <LoginPage /> },
        // The hub's public resources and the check of a certificate are for anyone.
        (
            route @ (Route::Answer { .. } | Route::Hub | Route::HubPages | Route::Verify { .. }),
            false,
        )
        | (route, true) => page_of(route),
        (_, false) => html! { <Replace to={Route::Login} /> },
    }
}

fn page_of(route: &Route) -> Html {
    use Permission::*;
    match route {
        Route::Login | Route::Home => html! { <HomePage /> },
        Route::Answer { token } => html! { <SelfCompletionPage token={token.clone()} /> },
        Route::Clients => html! { <Require permission={ViewClients}><ClientList /></Require> },
        Route::ClientNew => html! { <Require permission={EditClients}><NewClientPage /></Require> },
        Route::ClientDetail { id } => html! {
            // Keyed by id: another client's page starts afresh, not in the last one's state.
            <Require permission={ViewClients}><ClientDetailPage key={id.clone()} id={id.clone()} /></Require>
        },
        Route::CaseOpen { id } => html! {
            <Require permission={EditCases}><OpenCasePage key={id.clone()} client_id={id.clone()} /></Require>
        },
        Route::Cases => html! { <Require permission={ViewCases}><CaseList /></Require> },
        Route::NoteSearch => {
            html! { <Require permission={ViewCaseNotes}><NoteSearchPage /></Require> }
        }
        Route::CaseDetail { id } => html! {
            <Require permission={ViewCases}><CaseDetailPage key={id.clone()} id={id.clone()} /></Require>
        },
        Route::CaseAssess { id } => html! {
            <Require permission={AdministerAssessments}><CaseAssessPage key={id.clone()} id={id.clone()} /></Require>
        },
        Route::Enquiries => html! { <Require permission={ViewEnquiries}><EnquiryLog /></Require> },
        Route::EnquiryNew => {
            html! { <Require permission={EditEnquiries}><NewEnquiryPage /></Require> }
        }
        Route::EnquiryDetail { id } => html! {
            <Require permission={ViewEnquiries}><EnquiryDetailPage key={id.clone()} id={id.clone()} /></Require>
        },
        Route::EnquiryPromote { id } => html! {
            <Require permission={EditEnquiries}><PromotePage key={id.clone()} id={id.clone()} /></Require>
        },
        Route::Das => {
            html! { <Require permission={ViewAnalytics}><DasPage board="problems" /></Require> }
        }
        Route::DasBoard { board } => html! {
            <Require permission={ViewAnalytics}><DasPage board={board.clone()} /></Require>
        },
        Route::DasRisk { outcome } => html! {
            <Require permission={ViewAnalytics}>
                <DasPage board={RISK_FACTORS} outcome={outcome.clone()} />
            </Require>
        },
        Route::DasEffect { instrument, scale } => html! {
            <Require permission={ViewAnalytics}>
                <DasPage board={EFFECTIVENESS} instrument={instrument.clone()} scale={scale.clone()} />
            </Require>
        },
        Route::Groups => html! { <Require permission={ViewActivities}><ActivityList /></Require> },
        Route::GroupNew => {
            html! { <Require permission={EditActivities}><NewActivityPage /></Require> }
        }
        Route::GroupCalendar => {
            html! { <Require permission={ViewActivities}><CalendarPage /></Require> }
        }
        Route::GroupDetail { id } => html! {
            <Require permission={ViewActivities}><ActivityPage key={id.clone()} id={id.clone()} /></Require>
        },
        Route::RollCall { id } => html! {
            <Require permission={ViewActivities}><RollCallPage key={id.clone()} id={id.clone()} /></Require>
        },
        Route::Assessments => {
            html! { <Require permission={ViewAssessments}><AssessmentsPage /></Require> }
        }
        Route::Reports => {
            html! { <Require permission={ViewStatistics}><StatisticsPage /></Require> }
        }
        Route::Outcomes => {
            html! { <Require permission={ViewOutcomes}><OutcomesPage /></Require> }
        }
        Route::Instruments => {
            html! { <Require permission={ViewInstruments}><InstrumentsPage /></Require> }
        }
        Route::Hub | Route::HubPages => html! { <crate::hub::HubPages /> },
        Route::Training | Route::TrainingPages => html! { <crate::training::TrainingPages /> },
        Route::Verify { code } => html! { <crate::training::VerifyPage code={code.clone()} /> },
        Route::Circle | Route::CirclePages => html! {
            <Require permission={JoinCircle}><crate::circle::CirclePages /></Require>
        },
        Route::Admin => html! {
            <Require permission={EditTaxonomy}>
                <TaxonomyPage />
                <Require permission={LoadPopulation}><PopulationPanel /></Require>
            </Require>
        },
        Route::NotFound => html! { <NotFoundPage /> },
    }
}

#[derive(Properties, PartialEq)]
struct ReplaceProps {
    to: Route,
}

/// Goes to another page in place of this one, so Back does not return to a page that
/// would only send the user away again (yew-router's `Redirect` adds a history entry).
#[function_component]
fn Replace(props: &ReplaceProps) -> Html {
    let navigator = use_navigator();
    use_effect_with(props.to.clone(), move |to| {
        if let Some(navigator) = navigator {
            navigator.replace(to);
        }
    });
    Html::default()
}

#[derive(Properties, PartialEq)]
struct RequireProps {
    permission: Permission,
    children: Html,
}

/// Shows its content only to users with the permission; the API checks again.
#[function_component]
fn Require(props: &RequireProps) -> Html {
    let i18n = use_i18n();
    if use_session().can(props.permission) {
        props.children.clone()
    } else {
        html! {
            <section>
                <h1>{ i18n.t("forbidden.title") }</h1>
                <p>{ i18n.t("forbidden.text") }</p>
            </section>
        }
    }
}
