use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::districts::District;
use crate::error::{FieldError, ValidationErrors};
use crate::hkid::Hkid;
use crate::person::{self, Disability, Ethnicity, Language};
use crate::text::one_line;

crate::stored_codes! {
    pub enum Sex {
        F = "F",
        M = "M",
    }
}

/// A person's names, Chinese first, as staff write them: those given, one space apart.
pub fn full_name(name_zh: &str, name_en: &str) -> String {
    [name_zh, name_en]
        .into_iter()
        .filter(|n| !n.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

pub const NAME_ZH_MAX: usize = 50;
pub const NAME_EN_MAX: usize = 100;
pub const SCHOOL_MAX: usize = 100;

/// A client's registration form as typed: create sends it without `version`, an edit
/// sends the `version` it was read at. `hkid` left out (or null) keeps what is stored;
/// an empty string removes it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ClientForm {
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 50))]
    pub name_zh: String,
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 100))]
    pub name_en: String,
    pub sex: Option<Sex>,
    pub date_of_birth: Option<NaiveDate>,
    /// Instead of a date of birth not known: full years, from which the date is estimated.
    #[cfg_attr(feature = "server", schema(minimum = 0, maximum = 125))]
    pub age: Option<i64>,
    /// Optional: 8 digits from 2 to 9; `+852`, spaces and hyphens are also accepted.
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(pattern = "^([2-9][0-9]{7})?$"))]
    pub phone: String,
    pub district: Option<District>,
    /// Optional, e.g. `A123456(3)`; stored only masked.
    #[cfg_attr(
        feature = "server",
        schema(pattern = "^([A-Z]{1,2}[0-9]{6}\\([0-9A]\\))?$")
    )]
    pub hkid: Option<String>,
    pub ethnicity: Option<Ethnicity>,
    pub preferred_language: Option<Language>,
    #[serde(default)]
    pub disabilities: Vec<Disability>,
    /// The day the person came to live in Hong Kong, for a new arrival.
    pub arrived_on: Option<NaiveDate>,
    /// A child's school.
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 100))]
    pub school: String,
    /// The version the form was read at: required to edit, absent to register.
    pub version: Option<i64>,
}

/// What to do with the stored HKID.
#[derive(Debug, Clone, PartialEq)]
pub enum HkidChange {
    Keep,
    Remove,
    Set(Hkid),
}

/// A client's details after validation: only valid data gets past [`ClientForm::parse`].
#[derive(Debug, Clone, PartialEq)]
pub struct ClientDetails {
    pub name_zh: String,
    pub name_en: String,
    pub sex: Sex,
    pub date_of_birth: NaiveDate,
    /// The date of birth was worked out from an age.
    pub date_of_birth_estimated: bool,
    /// Empty when not recorded.
    pub phone: String,
    pub district: Option<District>,
    pub hkid: HkidChange,
    pub ethnicity: Option<Ethnicity>,
    pub preferred_language: Option<Language>,
    pub disabilities: Vec<Disability>,
    pub arrived_on: Option<NaiveDate>,
    pub school: String,
}

impl ClientForm {
    /// Validates every field against `today` (Hong Kong date) and reports all problems.
    pub fn parse(&self, today: NaiveDate) -> Result<ClientDetails, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let name_zh = errors.check("name_zh", one_line(&self.name_zh, NAME_ZH_MAX));
        let name_en = errors.check("name_en", one_line(&self.name_en, NAME_EN_MAX));
        if matches!((&name_zh, &name_en), (Some(zh), Some(en)) if zh.is_empty() && en.is_empty()) {
            let message = "Enter a Chinese or an English name";
            errors.add("name_zh", "name_required", message);
            errors.add("name_en", "name_required", message);
        }
        let sex = errors.check("sex", self.sex.ok_or_else(|| required("Sex")));
        let birth = match (self.date_of_birth, self.age) {
            (Some(_), Some(_)) => {
                errors.add(
                    "age",
                    "not_both",
                    "Give a date of birth or an age, not both",
                );
                None
            }
            (Some(date), None) => errors.check(
                "date_of_birth",
                check_date_of_birth(date, today).map(|d| (d, false)),
            ),
            (None, Some(age)) => errors.check(
                "age",
                person::estimated_birth(age, today).map(|d| (d, true)),
            ),
            (None, None) => {
                errors.add(
                    "date_of_birth",
                    "required",
                    "Date of birth (or, if it is not known, age) is required",
                );
                None
            }
        };
        let phone = errors.check(
            "phone",
            match self.phone.trim() {
                "" => Ok(String::new()),
                raw => parse_phone(raw),
            },
        );
        let hkid = errors.check(
            "hkid",
            match self.hkid.as_deref().map(str::trim) {
                None => Ok(HkidChange::Keep),
                Some("") => Ok(HkidChange::Remove),
                Some(raw) => Hkid::parse(raw).map(HkidChange::Set),
            },
        );
        let arrived_on = self.arrived_on.and_then(|day| {
            let born_after = birth.filter(|(_, estimated)| !estimated).map(|(d, _)| d) > Some(day);
            let checked = if day > today {
                Err(FieldError::new(
                    "date_in_future",
                    "The day cannot be in the future",
                ))
            } else if born_after {
                Err(FieldError::new(
                    "before_birth",
                    "The day cannot be before the date of birth",
                ))
            } else {
                Ok(day)
            };
            errors.check("arrived_on", checked)
        });
        let school = errors.check("school", one_line(&self.school, SCHOOL_MAX));
        match (name_zh, name_en, sex, birth, phone, hkid, school) {
            (
                Some(name_zh),
                Some(name_en),
                Some(sex),
                Some((date_of_birth, date_of_birth_estimated)),
                Some(phone),
                Some(hkid),
                Some(school),
            ) if errors.is_empty() => Ok(ClientDetails {
                name_zh,
                name_en,
                sex,
                date_of_birth,
                date_of_birth_estimated,
                phone,
                district: self.district,
                hkid,
                ethnicity: self.ethnicity,
                preferred_language: self.preferred_language,
                disabilities: person::distinct(&self.disabilities),
                arrived_on,
                school,
            }),
            _ => Err(errors),
        }
    }
}

impl ClientDetails {
    /// An age given again for a record whose birth was already estimated from the same age
    /// keeps the stored estimate, so that saving a form does not move the date each day.
    pub fn keep_estimate(&mut self, stored: NaiveDate, stored_estimated: bool, today: NaiveDate) {
        if self.date_of_birth_estimated
            && stored_estimated
            && person::age_on(stored, today) == person::age_on(self.date_of_birth, today)
        {
            self.date_of_birth = stored;
        }
    }
}

fn required(what: &str) -> FieldError {
    FieldError::new("required", format!("{what} is required"))
}

fn check_date_of_birth(date: NaiveDate, today: NaiveDate) -> Result<NaiveDate, FieldError> {
    let earliest = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN);
    if date > today {
        Err(FieldError::new(
            "date_in_future",
            "Date of birth cannot be in the future",
        ))
    } else if date < earliest {
        Err(FieldError::new(
            "date_too_early",
            "Date of birth cannot be before 1900",
        ))
    } else {
        Ok(date)
    }
}

/// Hong Kong numbers: 8 digits, fixed lines from 2 or 3, mobiles from 4 to 9; an optional
/// +852 and spaces or hyphens are accepted and dropped.
pub fn parse_phone(raw: &str) -> Result<String, FieldError> {
    let compact: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if compact.is_empty() {
        return Err(required("Phone"));
    }
    let local = compact
        .strip_prefix("+852")
        .or_else(|| compact.strip_prefix("852").filter(|rest| rest.len() == 8))
        .unwrap_or(&compact);
    let valid = local.len() == 8
        && local.chars().all(|c| c.is_ascii_digit())
        && matches!(local.as_bytes()[0], b'2'..=b'9');
    if valid {
        Ok(local.to_owned())
    } else {
        Err(FieldError::new(
            "invalid_phone",
            "Phone must be a Hong Kong number: 8 digits starting with 2 to 9",
        ))
    }
}

/// A client record as the API returns it. The HKID appears only masked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Client {
    pub id: String,
    pub centre_id: String,
    pub name_zh: String,
    pub name_en: String,
    pub sex: Sex,
    pub date_of_birth: NaiveDate,
    /// The date of birth was worked out from an age.
    #[serde(default)]
    pub date_of_birth_estimated: bool,
    /// Empty when not recorded (or withheld).
    pub phone: String,
    pub district: Option<District>,
    pub hkid_masked: Option<String>,
    pub ethnicity: Option<Ethnicity>,
    pub preferred_language: Option<Language>,
    #[serde(default)]
    pub disabilities: Vec<Disability>,
    pub arrived_on: Option<NaiveDate>,
    #[serde(default)]
    pub school: String,
    /// The phone is left empty: the person is on a sensitive case (domestic violence,
    /// say) that the user is not assigned to.
    #[serde(default)]
    pub contact_withheld: bool,
    /// Set on a record merged into another: the record that holds this person now.
    pub merged_into: Option<String>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Client {
    /// What the record kept after `absorbed`, another record of the same person, is
    /// merged into it: its own details, with what it lacks taken from the other; the
    /// HKID is decided apart, by its hash.
    pub fn merged_with(&self, absorbed: &Client) -> ClientDetails {
        let or = |own: &str, other: &str| if own.is_empty() { other } else { own }.to_owned();
        // A date of birth known beats one estimated from an age.
        let (date_of_birth, date_of_birth_estimated) =
            if self.date_of_birth_estimated && !absorbed.date_of_birth_estimated {
                (absorbed.date_of_birth, false)
            } else {
                (self.date_of_birth, self.date_of_birth_estimated)
            };
        let mut disabilities = self.disabilities.clone();
        disabilities.extend(&absorbed.disabilities);
        ClientDetails {
            name_zh: or(&self.name_zh, &absorbed.name_zh),
            name_en: or(&self.name_en, &absorbed.name_en),
            sex: self.sex,
            date_of_birth,
            date_of_birth_estimated,
            phone: or(&self.phone, &absorbed.phone),
            district: self.district.or(absorbed.district),
            hkid: HkidChange::Keep,
            ethnicity: self.ethnicity.or(absorbed.ethnicity),
            preferred_language: self.preferred_language.or(absorbed.preferred_language),
            disabilities: person::distinct(&disabilities),
            arrived_on: self.arrived_on.or(absorbed.arrived_on),
            school: or(&self.school, &absorbed.school),
        }
    }

    /// Both names, for a line that names the person.
    pub fn display_name(&self) -> String {
        full_name(&self.name_zh, &self.name_en)
    }
}

pub const MERGE_REASON_MAX: usize = 1000;

/// A supervisor's merge of a duplicate record (the absorbed) into the record addressed
/// (the survivor), each at the version it was read at.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MergeForm {
    #[serde(default)]
    pub absorbed_id: String,
    pub absorbed_version: Option<i64>,
    pub survivor_version: Option<i64>,
    /// Why the two records are one person.
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 1000))]
    pub reason: String,
}

/// A [`MergeForm`] after validation.
#[derive(Debug, Clone, PartialEq)]
pub struct MergeRequest {
    pub absorbed_id: String,
    pub absorbed_version: i64,
    pub survivor_version: i64,
    pub reason: String,
}

impl MergeForm {
    pub fn parse(&self, survivor_id: &str) -> Result<MergeRequest, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let absorbed_id = self.absorbed_id.trim().to_owned();
        if absorbed_id.is_empty() {
            errors.add("absorbed_id", "required", "Choose the record to merge in");
        } else if absorbed_id == survivor_id {
            errors.add(
                "absorbed_id",
                "same_record",
                "A record cannot be merged into itself",
            );
        }
        let mut version = |field: &str, value: Option<i64>| {
            if value.is_none() {
                errors.add(
                    field,
                    "required",
                    "The version the record was read at is required",
                );
            }
            value.unwrap_or_default()
        };
        let absorbed_version = version("absorbed_version", self.absorbed_version);
        let survivor_version = version("survivor_version", self.survivor_version);
        let reason = errors.check(
            "reason",
            crate::text::required(
                crate::text::paragraphs(&self.reason, MERGE_REASON_MAX),
                "Reason",
            ),
        );
        errors.into_result(|| MergeRequest {
            absorbed_id,
            absorbed_version,
            survivor_version,
            reason: reason.unwrap_or_default(),
        })
    }
}

/// What a merge moved from the absorbed record to the survivor.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct MergeMoved {
    pub cases: i64,
    pub case_memberships: i64,
    pub note_participations: i64,
    pub household_memberships: i64,
    pub enquiries: i64,
    /// Places and waiting-list entries in groups and programmes (merges from before
    /// there were any read as none).
    #[serde(default)]
    pub enrolments: i64,
    #[serde(default)]
    pub assessments: i64,
    #[serde(default)]
    pub protection_concerns: i64,
}

/// A merge, as both records explain it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ClientMerge {
    pub id: String,
    pub survivor_id: String,
    pub survivor_name: String,
    pub absorbed_id: String,
    pub absorbed_name: String,
    pub reason: String,
    pub moved: MergeMoved,
    pub merged_by: String,
    pub merged_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ClientPage {
    pub items: Vec<Client>,
    /// How many clients match: exactly, or when `total_estimated`, at most (a page of a
    /// search by several words checks only the candidates it needs, the newest first).
    pub total: i64,
    pub total_estimated: bool,
    pub page: i64,
    pub per_page: i64,
}

pub const SEARCH_MAX: usize = 50;

/// A search of the centre's clients, sent in a POST body: the term may be an HKID, and
/// addresses end up in proxy and browser logs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ClientQuery {
    /// Chinese or English name fragment, phone, or the start of an HKID.
    #[cfg_attr(feature = "server", schema(max_length = 50))]
    pub q: Option<String>,
    /// 1-based page number.
    #[cfg_attr(feature = "server", schema(minimum = 1, maximum = 100000))]
    pub page: Option<i64>,
    #[cfg_attr(feature = "server", schema(minimum = 1, maximum = 100))]
    pub per_page: Option<i64>,
}

/// Plain paging through the centre's clients, in the address: no search term here.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct ClientPaging {
    /// 1-based page number.
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

impl From<ClientPaging> for ClientQuery {
    fn from(paging: ClientPaging) -> ClientQuery {
        ClientQuery {
            q: None,
            page: paging.page,
            per_page: paging.per_page,
        }
    }
}

/// Which clients to export: those a search finds, or all the user may see.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ClientExportRequest {
    #[cfg_attr(feature = "server", schema(max_length = 50))]
    pub q: Option<String>,
}

impl From<ClientExportRequest> for ClientQuery {
    fn from(request: ClientExportRequest) -> ClientQuery {
        ClientQuery {
            q: request.q,
            page: None,
            per_page: None,
        }
    }
}

/// A validated search: a normalised term and a page window.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientSearch {
    pub term: Option<String>,
    pub page: i64,
    pub per_page: i64,
}

impl ClientQuery {
    pub fn parse(&self) -> Result<ClientSearch, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let term = self
            .q
            .as_deref()
            .map(normalise_search)
            .filter(|t| !t.is_empty());
        if term
            .as_ref()
            .is_some_and(|t| t.chars().count() > SEARCH_MAX)
        {
            errors.add("q", "too_long", format!("At most {SEARCH_MAX} characters"));
        }
        let (page, per_page) = crate::paging::window(self.page, self.per_page, &mut errors);
        errors.into_result(|| ClientSearch {
            term,
            page,
            per_page,
        })
    }
}

/// The one normalisation used both for the stored search column and for search terms,
/// so matching is case-insensitive on SQLite and PostgreSQL alike.
pub fn normalise_search(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// What a registration form holds so far, to find the same person registered before.
/// Every parameter is optional, but one at least is needed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct MatchQuery {
    #[cfg_attr(feature = "server", param(max_length = 50))]
    pub name_zh: Option<String>,
    #[cfg_attr(feature = "server", param(max_length = 100))]
    pub name_en: Option<String>,
    /// `YYYY-MM-DD`.
    pub date_of_birth: Option<String>,
    /// 8 digits from 2 to 9; `+852`, spaces and hyphens are also accepted.
    pub phone: Option<String>,
    /// e.g. `A123456(3)`: compared by its keyed hash, never stored or logged.
    pub hkid: Option<String>,
}

/// A validated [`MatchQuery`]: what was given, normalised.
#[derive(Debug, Clone, PartialEq)]
pub struct MatchProbe {
    pub name_zh: Option<String>,
    pub name_en: Option<String>,
    pub date_of_birth: Option<NaiveDate>,
    pub phone: Option<String>,
    pub hkid: Option<Hkid>,
}

impl MatchProbe {
    /// The names of the parameters given, for the audit trail (never their values).
    pub fn given(&self) -> Vec<&'static str> {
        [
            ("name_zh", self.name_zh.is_some()),
            ("name_en", self.name_en.is_some()),
            ("date_of_birth", self.date_of_birth.is_some()),
            ("phone", self.phone.is_some()),
            ("hkid", self.hkid.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, given)| given.then_some(name))
        .collect()
    }
}

impl MatchQuery {
    /// Validates what was given against `today` (Hong Kong date); an empty parameter
    /// counts as not given.
    pub fn parse(&self, today: NaiveDate) -> Result<MatchProbe, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let given = |value: &Option<String>| {
            value
                .as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let name_zh = given(&self.name_zh)
            .and_then(|raw| errors.check("name_zh", one_line(&raw, NAME_ZH_MAX)));
        let name_en = given(&self.name_en)
            .and_then(|raw| errors.check("name_en", one_line(&raw, NAME_EN_MAX)));
        let date_of_birth = given(&self.date_of_birth).and_then(|raw| {
            errors.check(
                "date_of_birth",
                NaiveDate::parse_from_str(&raw, "%Y-%m-%d")
                    .map_err(|_| FieldError::new("invalid_date", "A date is written YYYY-MM-DD"))
                    .and_then(|d| check_date_of_birth(d, today)),
            )
        });
        let phone = given(&self.phone).and_then(|raw| errors.check("phone", parse_phone(&raw)));
        let hkid = given(&self.hkid).and_then(|raw| errors.check("hkid", Hkid::parse(&raw)));
        let probe = MatchProbe {
            name_zh,
            name_en,
            date_of_birth,
            phone,
            hkid,
        };
        if errors.is_empty() && probe.given().is_empty() {
            for field in ["name_zh", "name_en", "date_of_birth", "phone", "hkid"] {
                errors.add(
                    field,
                    "one_required",
                    "Give a name, a date of birth, a phone or an HKID",
                );
            }
        }
        errors.into_result(|| probe)
    }
}

/// Why a client may be the person being registered; the app translates each code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MatchReason {
    /// The same HKID.
    Hkid,
    /// Chinese names alike (the same characters, or characters read alike).
    NameZh,
    /// Romanised names alike, in any order or spelling variant.
    NameEn,
    /// A Chinese name read like a romanised one (陳大文, Chan Tai Man, Chen Da Wen).
    NameCrossScript,
    DateOfBirth,
    Phone,
}

impl MatchReason {
    pub const ALL: [MatchReason; 6] = [
        MatchReason::Hkid,
        MatchReason::NameZh,
        MatchReason::NameEn,
        MatchReason::NameCrossScript,
        MatchReason::DateOfBirth,
        MatchReason::Phone,
    ];

    /// The code as the API writes it, which the app's translations are keyed by.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchReason::Hkid => "hkid",
            MatchReason::NameZh => "name_zh",
            MatchReason::NameEn => "name_en",
            MatchReason::NameCrossScript => "name_cross_script",
            MatchReason::DateOfBirth => "date_of_birth",
            MatchReason::Phone => "phone",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct MatchCandidate {
    pub client: Client,
    /// From 0 to 1: 1 only for the same HKID.
    pub score: f64,
    pub reasons: Vec<MatchReason>,
}

/// The clients the user may see who may be the person being registered, best first,
/// those scoring at least `threshold`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ClientMatches {
    pub candidates: Vec<MatchCandidate>,
    pub threshold: f64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paging::PER_PAGE_DEFAULT;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    fn valid_form() -> ClientForm {
        ClientForm {
            name_zh: " 陳  大文 ".into(),
            name_en: "CHAN Tai Man".into(),
            sex: Some(Sex::M),
            date_of_birth: NaiveDate::from_ymd_opt(1980, 5, 1),
            phone: "+852 9123-4567".into(),
            district: Some(District::F),
            hkid: Some("A123456(3)".into()),
            disabilities: vec![
                Disability::Hearing,
                Disability::Physical,
                Disability::Hearing,
            ],
            ..ClientForm::default()
        }
    }

    #[test]
    fn a_valid_form_is_normalised() {
        let details = valid_form().parse(today()).unwrap();
        assert_eq!(details.name_zh, "陳 大文");
        assert_eq!(details.phone, "91234567");
        assert!(matches!(details.hkid, HkidChange::Set(_)));
        assert_eq!(
            details.disabilities,
            vec![Disability::Physical, Disability::Hearing]
        );
    }

    #[test]
    fn every_bad_field_is_named() {
        let form = ClientForm {
            name_zh: String::new(),
            name_en: "x".repeat(NAME_EN_MAX + 1),
            sex: None,
            date_of_birth: NaiveDate::from_ymd_opt(2030, 1, 1),
            phone: "1234".into(),
            hkid: Some("A123456(4)".into()),
            arrived_on: NaiveDate::from_ymd_opt(2030, 1, 2),
            school: "校".repeat(SCHOOL_MAX + 1),
            ..ClientForm::default()
        };
        let errors = form.parse(today()).unwrap_err().0;
        let codes: Vec<(&str, &str)> = errors
            .iter()
            .map(|(k, v)| (k.as_str(), v.code.as_str()))
            .collect();
        assert_eq!(
            codes,
            vec![
                ("arrived_on", "date_in_future"),
                ("date_of_birth", "date_in_future"),
                ("hkid", "hkid_check_digit"),
                ("name_en", "too_long"),
                ("phone", "invalid_phone"),
                ("school", "too_long"),
                ("sex", "required"),
            ]
        );
    }

    #[test]
    fn one_name_is_enough_but_not_none() {
        let mut form = valid_form();
        form.name_zh.clear();
        assert!(form.parse(today()).is_ok());
        form.name_en = "   ".into();
        let errors = form.parse(today()).unwrap_err().0;
        assert_eq!(errors["name_zh"].code, "name_required");
        assert_eq!(errors["name_en"].code, "name_required");
    }

    #[test]
    fn a_family_member_needs_only_a_name_sex_and_an_age() {
        let form = ClientForm {
            name_zh: "陳小明".into(),
            sex: Some(Sex::M),
            age: Some(9),
            ..ClientForm::default()
        };
        let details = form.parse(today()).unwrap();
        assert!(details.date_of_birth_estimated);
        assert_eq!(crate::person::age_on(details.date_of_birth, today()), 9);
        assert_eq!((details.phone.as_str(), details.district), ("", None));
        let both = ClientForm {
            date_of_birth: NaiveDate::from_ymd_opt(2017, 1, 1),
            ..form.clone()
        };
        assert_eq!(both.parse(today()).unwrap_err().0["age"].code, "not_both");
        let neither = ClientForm { age: None, ..form };
        assert_eq!(
            neither.parse(today()).unwrap_err().0["date_of_birth"].code,
            "required"
        );
    }

    #[test]
    fn an_estimate_from_the_same_age_is_kept() {
        let mut details = ClientForm {
            name_en: "Mei".into(),
            sex: Some(Sex::F),
            age: Some(40),
            ..ClientForm::default()
        }
        .parse(today())
        .unwrap();
        let stored = NaiveDate::from_ymd_opt(1986, 1, 2).unwrap();
        details.keep_estimate(stored, true, today());
        assert_eq!(details.date_of_birth, stored);
        let other = NaiveDate::from_ymd_opt(1990, 1, 2).unwrap();
        details.keep_estimate(other, true, today());
        assert_eq!(details.date_of_birth, stored);
    }

    #[test]
    fn arrival_cannot_come_before_a_known_birth() {
        let form = ClientForm {
            arrived_on: NaiveDate::from_ymd_opt(1979, 1, 1),
            ..valid_form()
        };
        assert_eq!(
            form.parse(today()).unwrap_err().0["arrived_on"].code,
            "before_birth"
        );
    }

    #[test]
    fn hkid_absent_empty_or_set() {
        let mut form = valid_form();
        form.hkid = None;
        assert_eq!(form.parse(today()).unwrap().hkid, HkidChange::Keep);
        form.hkid = Some(" ".into());
        assert_eq!(form.parse(today()).unwrap().hkid, HkidChange::Remove);
    }

    #[test]
    fn phones() {
        assert_eq!(parse_phone("2345 6789").unwrap(), "23456789");
        assert_eq!(parse_phone("85291234567").unwrap(), "91234567");
        assert_eq!(parse_phone("12345678").unwrap_err().code, "invalid_phone");
        assert_eq!(parse_phone("9123456").unwrap_err().code, "invalid_phone");
        assert_eq!(parse_phone("").unwrap_err().code, "required");
    }

    #[test]
    fn search_query_limits() {
        let ok = ClientQuery {
            q: Some("  Chan  TAI ".into()),
            page: None,
            per_page: None,
        }
        .parse()
        .unwrap();
        assert_eq!(ok.term.as_deref(), Some("chan tai"));
        assert_eq!((ok.page, ok.per_page), (1, PER_PAGE_DEFAULT));
        let bad = ClientQuery {
            q: Some("x".repeat(51)),
            page: Some(0),
            per_page: Some(1000),
        }
        .parse()
        .unwrap_err()
        .0;
        assert_eq!(bad.len(), 3);
    }

    #[test]
    fn a_match_query_names_each_bad_parameter() {
        let query = MatchQuery {
            name_zh: Some("陳".repeat(NAME_ZH_MAX + 1)),
            name_en: Some("Chan Tai Man".into()),
            date_of_birth: Some("1980-13-01".into()),
            phone: Some("1234".into()),
            hkid: Some("A123456(4)".into()),
        };
        let errors = query.parse(today()).unwrap_err().0;
        let codes: Vec<(&str, &str)> = errors
            .iter()
            .map(|(k, v)| (k.as_str(), v.code.as_str()))
            .collect();
        assert_eq!(
            codes,
            vec![
                ("date_of_birth", "invalid_date"),
                ("hkid", "hkid_check_digit"),
                ("name_zh", "too_long"),
                ("phone", "invalid_phone"),
            ]
        );
    }

    #[test]
    fn a_match_query_needs_one_parameter() {
        let empty = MatchQuery {
            name_en: Some("  ".into()),
            ..MatchQuery::default()
        };
        let errors = empty.parse(today()).unwrap_err().0;
        assert_eq!(errors["name_en"].code, "one_required");
        let probe = MatchQuery {
            phone: Some("9123 4567".into()),
            date_of_birth: Some("1980-05-01".into()),
            ..MatchQuery::default()
        }
        .parse(today())
        .unwrap();
        assert_eq!(probe.phone.as_deref(), Some("91234567"));
        assert_eq!(probe.given(), vec!["date_of_birth", "phone"]);
    }

    #[test]
    fn match_reasons_are_written_as_their_codes() {
        for reason in MatchReason::ALL {
            let json = serde_json::to_string(&reason).unwrap();
            assert_eq!(json, format!("\"{}\"", reason.as_str()));
        }
    }
}
