//! Aggregate, non-identifying views over i-Connect data for the DAS dashboards.

use actix_web::web;
use common::analytics::{ClientsByDistrict, DistrictCount};
use common::districts::District;
use common::error::ErrorBody;
use common::identity::{AnalyticsScope, Permission};
use diesel::dsl::count_star;
use diesel::prelude::*;

use crate::db::schema::{centres, clients};
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::identity::Principal;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/analytics/clients-by-district").get(clients_by_district));
}

/// Clients by the district they live in, over every centre the caller's role reaches.
#[utoipa::path(get, path = "/api/analytics/clients-by-district", tag = "analytics", security(("bearer" = [])),
    responses((status = 200, body = ClientsByDistrict), (status = 403, body = ErrorBody)))]
pub async fn clients_by_district(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<web::Json<ClientsByDistrict>, ApiError> {
    principal.require(Permission::ViewAnalytics)?;
    let scope = principal
        .roles
        .analytics_scope()
        .ok_or(ApiError::Forbidden)?;
    let within = match scope {
        AnalyticsScope::Centre => {
            Within::Centre(principal.centre_id.clone().ok_or(ApiError::Forbidden)?)
        }
        AnalyticsScope::Agency => {
            Within::Agency(principal.agency_id.clone().ok_or(ApiError::Forbidden)?)
        }
        AnalyticsScope::All => Within::All,
    };
    let counts = state
        .db(move |conn| Ok(count_by_district(conn, &within)?))
        .await?;
    Ok(web::Json(ClientsByDistrict {
        scope,
        districts: all_districts(counts),
    }))
}

pub enum Within {
    Centre(String),
    Agency(String),
    All,
}

pub fn count_by_district(
    conn: &mut DbConnection,
    within: &Within,
) -> QueryResult<Vec<(String, i64)>> {
    // Family members may have no district recorded; they are not placed on the map.
    let mut query = clients::table
        .filter(clients::district.is_not_null())
        .group_by(clients::district)
        .select((clients::district.assume_not_null(), count_star()))
        .into_boxed();
    query = match within {
        Within::Centre(centre_id) => query.filter(clients::centre_id.eq(centre_id.clone())),
        Within::Agency(agency_id) => query.filter(
            clients::centre_id.eq_any(
                centres::table
                    .filter(centres::agency_id.eq(agency_id.clone()))
                    .select(centres::id),
            ),
        ),
        Within::All => query,
    };
    query.load(conn)
}

/// Every district appears, in code order, zero where nobody lives.
fn all_districts(counts: Vec<(String, i64)>) -> Vec<DistrictCount> {
    District::ALL
        .into_iter()
        .map(|district| DistrictCount {
            district,
            count: counts
                .iter()
                .filter(|(code, _)| code == district.code())
                .map(|(_, n)| n)
                .sum(),
        })
        .collect()
}
