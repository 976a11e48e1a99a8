use serde::{Deserialize, Serialize};

use crate::districts::District;
use crate::identity::AnalyticsScope;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct DistrictCount {
    pub district: District,
    pub count: i64,
}

/// Clients counted by the district they live in: always all 18 districts, zeros included.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ClientsByDistrict {
    pub scope: AnalyticsScope,
    pub districts: Vec<DistrictCount>,
}
