//! The OpenAPI 3 document, generated from the handlers' annotations.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "FamilyLink API", description = "Service platform for Hong Kong's Integrated Family Service Centres"),
    paths(
        crate::app::health,
        crate::identity::routes::login,
        crate::identity::routes::logout,
        crate::identity::routes::refresh,
        crate::identity::routes::activity,
        crate::identity::routes::me,
        crate::identity::routes::set_locale,
        crate::clients::routes::list,
        crate::clients::routes::search,
        crate::clients::routes::matches,
        crate::clients::routes::create,
        crate::clients::routes::read,
        crate::clients::routes::update,
        crate::clients::routes::export_xlsx,
        crate::clients::routes::merge,
        crate::clients::routes::merges,
    ),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

/// The whole document: the routes above and those each domain declares for itself.
pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.merge(crate::cases::routes::CasesApi::openapi());
    doc.merge(crate::case_notes::routes::CaseNotesApi::openapi());
    doc.merge(crate::households::routes::HouseholdsApi::openapi());
    doc.merge(crate::case_plans::routes::CasePlansApi::openapi());
    doc.merge(crate::referrals::routes::ReferralsApi::openapi());
    doc.merge(crate::enquiries::routes::EnquiriesApi::openapi());
    doc.merge(crate::taxonomy::routes::TaxonomyApi::openapi());
    doc.merge(crate::activities::routes::ActivitiesApi::openapi());
    doc.merge(crate::assessments::routes::AssessmentsApi::openapi());
    doc.merge(crate::statistics::routes::StatisticsApi::openapi());
    doc.merge(crate::child_protection::routes::ChildProtectionApi::openapi());
    doc.merge(crate::risk::routes::RiskApi::openapi());
    doc.merge(crate::analytics::AnalyticsApi::openapi());
    doc.merge(crate::hub::routes::HubApi::openapi());
    doc.merge(crate::circle::routes::CircleApi::openapi());
    doc.merge(crate::training::routes::TrainingApi::openapi());
    doc.merge(crate::cpd::routes::CpdApi::openapi());
    doc
}

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}
