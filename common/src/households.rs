//! Households: the people a client lives with, each a client record, and what the
//! household is like (type, housing, CSSA, income). A person belongs to one household at
//! a time; a move ends the old membership and keeps it as history.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::clients::Sex;
use crate::districts::District;
use crate::error::{FieldError, ValidationErrors};
use crate::stored_codes;
use crate::text::one_line;

stored_codes! {
    /// How a member is related to the household's principal client.
    pub enum Relationship {
        Principal = "principal",
        SpousePartner = "spouse_partner",
        Parent = "parent",
        Child = "child",
        Sibling = "sibling",
        Grandparent = "grandparent",
        Grandchild = "grandchild",
        OtherRelative = "other_relative",
        Other = "other",
    }
}

stored_codes! {
    pub enum HouseholdType {
        OnePerson = "one_person",
        Couple = "couple",
        CoupleWithChildren = "couple_with_children",
        SingleParent = "single_parent",
        ThreeGeneration = "three_generation",
        Other = "other",
    }
}

stored_codes! {
    pub enum HousingType {
        PublicRental = "public_rental",
        SubsidisedSale = "subsidised_sale",
        Private = "private",
        SubdividedUnit = "subdivided_unit",
        TemporaryNone = "temporary_none",
    }
}

stored_codes! {
    /// Comprehensive Social Security Assistance.
    pub enum CssaStatus {
        NotReceiving = "not_receiving",
        Applying = "applying",
        Receiving = "receiving",
    }
}

stored_codes! {
    /// SWD's CSSA case types.
    pub enum CssaCaseType {
        OldAge = "old_age",
        PermanentDisability = "permanent_disability",
        IllHealth = "ill_health",
        SingleParent = "single_parent",
        LowEarnings = "low_earnings",
        Unemployment = "unemployment",
        Others = "others",
    }
}

stored_codes! {
    /// Monthly household income in Hong Kong dollars.
    pub enum IncomeBand {
        Under6000 = "under_6000",
        From6000 = "6000_11999",
        From12000 = "12000_19999",
        From20000 = "20000_29999",
        From30000 = "30000_39999",
        From40000 = "40000_up",
        NotDisclosed = "not_disclosed",
    }
}

pub const ADDRESS_MAX: usize = 200;

/// A household's details as typed, to create one (with its principal client) or edit
/// it (at the version read).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct HouseholdForm {
    /// To create: the client the household is recorded around.
    #[cfg_attr(feature = "server", schema(max_length = 40))]
    pub principal_client_id: Option<String>,
    pub district: Option<District>,
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 200))]
    pub address: String,
    pub household_type: Option<HouseholdType>,
    pub housing_type: Option<HousingType>,
    pub cssa_status: Option<CssaStatus>,
    /// Required while CSSA is received.
    pub cssa_case_type: Option<CssaCaseType>,
    pub income_band: Option<IncomeBand>,
    pub version: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HouseholdDetails {
    pub district: District,
    pub address: String,
    pub household_type: HouseholdType,
    pub housing_type: HousingType,
    pub cssa_status: CssaStatus,
    pub cssa_case_type: Option<CssaCaseType>,
    pub income_band: IncomeBand,
}

fn required(field: &str) -> FieldError {
    FieldError::new("required", format!("{field} is required"))
}

impl HouseholdForm {
    pub fn parse(&self) -> Result<HouseholdDetails, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let district = errors.check(
            "district",
            self.district.ok_or_else(|| required("District")),
        );
        let address = errors.check("address", one_line(&self.address, ADDRESS_MAX));
        let household_type = errors.check(
            "household_type",
            self.household_type
                .ok_or_else(|| required("Household type")),
        );
        let housing_type = errors.check(
            "housing_type",
            self.housing_type.ok_or_else(|| required("Housing type")),
        );
        let cssa_status = errors.check(
            "cssa_status",
            self.cssa_status.ok_or_else(|| required("CSSA status")),
        );
        let cssa_case_type = match (cssa_status, self.cssa_case_type) {
            (Some(CssaStatus::Receiving), None) => {
                errors.add(
                    "cssa_case_type",
                    "required",
                    "Give the CSSA case type of a household receiving CSSA",
                );
                None
            }
            (Some(CssaStatus::NotReceiving), Some(_)) => {
                errors.add(
                    "cssa_case_type",
                    "not_receiving",
                    "A household not receiving CSSA has no CSSA case type",
                );
                None
            }
            (_, case_type) => case_type,
        };
        let income_band = errors.check(
            "income_band",
            self.income_band.ok_or_else(|| required("Income band")),
        );
        match (
            district,
            address,
            household_type,
            housing_type,
            cssa_status,
            income_band,
        ) {
            (
                Some(district),
                Some(address),
                Some(household_type),
                Some(housing_type),
                Some(cssa_status),
                Some(income_band),
            ) if errors.is_empty() => Ok(HouseholdDetails {
                district,
                address,
                household_type,
                housing_type,
                cssa_status,
                cssa_case_type,
                income_band,
            }),
            _ => Err(errors),
        }
    }
}

/// Adding a registered client to a household, or moving them into it from another.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MembershipForm {
    #[cfg_attr(feature = "server", schema(max_length = 40))]
    pub client_id: Option<String>,
    pub relationship: Option<Relationship>,
    /// Left out: today.
    pub joined_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewMembership {
    pub client_id: String,
    pub relationship: Relationship,
    pub joined_on: NaiveDate,
}

impl MembershipForm {
    pub fn parse(&self, today: NaiveDate) -> Result<NewMembership, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let client_id = match self.client_id.as_deref().map(str::trim) {
            Some(id) if !id.is_empty() => Some(id.to_owned()),
            _ => {
                errors.add("client_id", "required", "Choose the person who joins");
                None
            }
        };
        let relationship = match self.relationship {
            Some(Relationship::Principal) => {
                errors.add(
                    "relationship",
                    "principal_taken",
                    "A household has one principal client, named when it is recorded",
                );
                None
            }
            Some(relationship) => Some(relationship),
            None => {
                errors.add("relationship", "required", "Relationship is required");
                None
            }
        };
        let joined_on = self.joined_on.unwrap_or(today);
        if joined_on > today {
            errors.add(
                "joined_on",
                "date_in_future",
                "The day joined cannot be in the future",
            );
        }
        match (client_id, relationship) {
            (Some(client_id), Some(relationship)) if errors.is_empty() => Ok(NewMembership {
                client_id,
                relationship,
                joined_on,
            }),
            _ => Err(errors),
        }
    }
}

/// A member leaving the household (moving out, passing away), on the day given.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LeavingForm {
    /// Left out: today.
    pub left_on: Option<NaiveDate>,
}

/// One person's membership of a household, present or past.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Membership {
    pub client_id: String,
    pub name_zh: String,
    pub name_en: String,
    pub sex: Sex,
    pub date_of_birth: NaiveDate,
    pub relationship: Relationship,
    pub joined_on: NaiveDate,
    /// Set once they left.
    pub left_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Household {
    pub id: String,
    pub centre_id: String,
    pub district: District,
    /// Empty when withheld (a member is on a sensitive case the user is not assigned to).
    pub address: String,
    pub address_withheld: bool,
    pub household_type: HouseholdType,
    pub housing_type: HousingType,
    pub cssa_status: CssaStatus,
    pub cssa_case_type: Option<CssaCaseType>,
    pub income_band: IncomeBand,
    /// Present members first (the principal first), then those who left, latest first.
    pub members: Vec<Membership>,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
}

/// A household the person once belonged to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct EarlierMembership {
    pub household_id: String,
    pub relationship: Relationship,
    pub joined_on: NaiveDate,
    pub left_on: NaiveDate,
}

/// A client's present household, if any, and those they left.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ClientHousehold {
    pub household: Option<Household>,
    pub earlier: Vec<EarlierMembership>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> HouseholdForm {
        HouseholdForm {
            principal_client_id: Some("c".into()),
            district: Some(District::F),
            address: "深水埗長沙灣道 1 號".into(),
            household_type: Some(HouseholdType::SingleParent),
            housing_type: Some(HousingType::SubdividedUnit),
            cssa_status: Some(CssaStatus::Receiving),
            cssa_case_type: Some(CssaCaseType::SingleParent),
            income_band: Some(IncomeBand::Under6000),
            version: None,
        }
    }

    #[test]
    fn cssa_case_type_goes_with_receiving() {
        assert!(form().parse().is_ok());
        let missing = HouseholdForm {
            cssa_case_type: None,
            ..form()
        };
        assert!(missing
            .parse()
            .unwrap_err()
            .0
            .contains_key("cssa_case_type"));
        let stray = HouseholdForm {
            cssa_status: Some(CssaStatus::NotReceiving),
            ..form()
        };
        assert!(stray.parse().unwrap_err().0.contains_key("cssa_case_type"));
    }

    #[test]
    fn a_second_principal_is_refused() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let form = MembershipForm {
            client_id: Some("c".into()),
            relationship: Some(Relationship::Principal),
            joined_on: None,
        };
        assert!(form
            .parse(today)
            .unwrap_err()
            .0
            .contains_key("relationship"));
    }
}
