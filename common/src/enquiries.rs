//! The enquiry log of a centre's front desk (Family Resource Unit work): enquiries and
//! drop-in contacts, recorded even when the person stays anonymous, and promoted to a
//! registered client and a case when they need casework.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::case_notes::from_hong_kong;
use crate::cases::{code_list, CaseDetail, CaseForm, StaffRef, SUMMARY_MAX};
use crate::clients::{parse_phone, ClientForm, Sex, NAME_EN_MAX, NAME_ZH_MAX};
use crate::error::{FieldError, ValidationErrors};
use crate::identity::Unit;
use crate::stored_codes;
use crate::text::{one_line, paragraphs};

stored_codes! {
    /// How the enquiry reached the centre.
    pub enum Channel {
        WalkIn = "walk_in",
        Phone = "phone",
        Email = "email",
        Online = "online",
        Letter = "letter",
        Outreach = "outreach",
    }
}

stored_codes! {
    /// What came of the enquiry.
    pub enum EnquiryOutcome {
        InformationGiven = "information_given",
        AdviceGiven = "advice_given",
        ReferredElsewhere = "referred_elsewhere",
        /// Set by promotion only, and kept once set.
        PromotedToCase = "promoted_to_case",
        NoFurtherAction = "no_further_action",
        FollowUpNeeded = "follow_up_needed",
    }
}

stored_codes! {
    /// An approximate age, when that is all a person gives: SWD's child bands, then adults.
    pub enum AgeBand {
        Age0To5 = "0_5",
        Age6To12 = "6_12",
        Age13To17 = "13_17",
        Age18To29 = "18_29",
        Age30To44 = "30_44",
        Age45To59 = "45_59",
        Age60Plus = "60_plus",
    }
}

impl EnquiryOutcome {
    /// Whether a worker may record `self` on an enquiry whose outcome is `before` (none
    /// for a new one): the promoted outcome is the promotion's alone, and stays.
    pub fn may_follow(self, before: Option<EnquiryOutcome>) -> Result<(), FieldError> {
        let promoted = Some(EnquiryOutcome::PromotedToCase);
        match (before == promoted, self == EnquiryOutcome::PromotedToCase) {
            (false, true) => Err(FieldError::new(
                "promotion_only",
                "An enquiry is promoted to a case by its promotion, not by its outcome",
            )),
            (true, false) => Err(FieldError::new(
                "already_promoted",
                "A promoted enquiry keeps its outcome",
            )),
            _ => Ok(()),
        }
    }
}

pub const MINUTES_MAX: i64 = 24 * 60;
pub const TOPICS_MAX: usize = crate::cases::NATURES_MAX;

/// An enquiry as the log shows it. The person's fields are there only if they were given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Enquiry {
    pub id: String,
    pub centre_id: String,
    pub unit: Unit,
    pub received_at: DateTime<Utc>,
    pub channel: Channel,
    /// Case nature codes: what the enquiry was about.
    pub topic_codes: Vec<String>,
    pub summary: String,
    pub minutes_spent: i64,
    pub outcome: EnquiryOutcome,
    pub name_zh: Option<String>,
    pub name_en: Option<String>,
    pub sex: Option<Sex>,
    pub phone: Option<String>,
    pub age_band: Option<AgeBand>,
    pub recorded_by: StaffRef,
    /// Set by promotion: the client registered (or chosen) and the case opened.
    pub client_id: Option<String>,
    pub case_id: Option<String>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Enquiry {
    /// No one is named: nothing that identifies a person was given.
    pub fn is_anonymous(&self) -> bool {
        self.name_zh.is_none() && self.name_en.is_none() && self.phone.is_none()
    }

    /// What a registration starts from, so nothing said at the desk is typed twice.
    pub fn client_prefill(&self) -> ClientForm {
        ClientForm {
            name_zh: self.name_zh.clone().unwrap_or_default(),
            name_en: self.name_en.clone().unwrap_or_default(),
            sex: self.sex,
            phone: self.phone.clone().unwrap_or_default(),
            ..ClientForm::default()
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct EnquiryPage {
    pub items: Vec<Enquiry>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// Recording an enquiry, or editing it with the version it was read at.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EnquiryForm {
    /// When it was received, in Hong Kong time; left out, now.
    pub received_at: Option<NaiveDateTime>,
    pub channel: Option<Channel>,
    /// One or more case nature codes.
    #[serde(default)]
    pub topic_codes: Vec<String>,
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 4000))]
    pub summary: String,
    #[cfg_attr(feature = "server", schema(minimum = 1, maximum = 1440))]
    pub minutes_spent: Option<i64>,
    pub outcome: Option<EnquiryOutcome>,
    /// The centre's unit it is recorded under; left out, the Family Resource Unit.
    pub unit: Option<Unit>,
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 50))]
    pub name_zh: String,
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 100))]
    pub name_en: String,
    pub sex: Option<Sex>,
    /// Optional; 8 digits from 2 to 9 (`+852`, spaces and hyphens are accepted).
    #[serde(default)]
    pub phone: String,
    pub age_band: Option<AgeBand>,
    /// Required to edit, absent to record a new enquiry.
    pub version: Option<i64>,
}

/// An enquiry's details after validation.
#[derive(Debug, Clone, PartialEq)]
pub struct EnquiryDetails {
    pub received_at: DateTime<Utc>,
    pub channel: Channel,
    pub topic_codes: Vec<String>,
    pub summary: String,
    pub minutes_spent: i64,
    pub outcome: EnquiryOutcome,
    pub unit: Unit,
    pub name_zh: Option<String>,
    pub name_en: Option<String>,
    pub sex: Option<Sex>,
    pub phone: Option<String>,
    pub age_band: Option<AgeBand>,
}

impl EnquiryForm {
    /// Validates against `now`: an enquiry cannot be received in the future.
    pub fn parse(&self, now: DateTime<Utc>) -> Result<EnquiryDetails, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let received_at = errors.check(
            "received_at",
            match self.received_at.map(from_hong_kong) {
                None => Ok(now),
                // A few minutes' grace for a clock that runs ahead of the server's.
                Some(at) if at > now + chrono::Duration::minutes(5) => Err(FieldError::new(
                    "date_in_future",
                    "The enquiry cannot be received in the future",
                )),
                Some(at)
                    if at.date_naive()
                        < NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default() =>
                {
                    Err(FieldError::new(
                        "date_too_early",
                        "The date cannot be before 2000",
                    ))
                }
                Some(at) => Ok(at),
            },
        );
        let channel = errors.check("channel", self.channel.ok_or_else(|| required("Channel")));
        let topic_codes = errors.check(
            "topic_codes",
            code_list(&self.topic_codes).and_then(|codes| {
                if codes.is_empty() {
                    Err(required("A topic"))
                } else {
                    Ok(codes)
                }
            }),
        );
        let summary = errors.check("summary", paragraphs(&self.summary, SUMMARY_MAX));
        let minutes_spent = errors.check(
            "minutes_spent",
            match self.minutes_spent {
                None => Err(required("Time spent")),
                Some(minutes) if !(1..=MINUTES_MAX).contains(&minutes) => Err(FieldError::new(
                    "out_of_range",
                    "Time spent is from 1 to 1440 minutes",
                )),
                Some(minutes) => Ok(minutes),
            },
        );
        let outcome = errors.check("outcome", self.outcome.ok_or_else(|| required("Outcome")));
        let name_zh = errors.check("name_zh", given(one_line(&self.name_zh, NAME_ZH_MAX)));
        let name_en = errors.check("name_en", given(one_line(&self.name_en, NAME_EN_MAX)));
        let phone = errors.check(
            "phone",
            match self.phone.trim() {
                "" => Ok(None),
                raw => parse_phone(raw).map(Some),
            },
        );
        match (
            received_at,
            channel,
            topic_codes,
            summary,
            minutes_spent,
            outcome,
            name_zh,
            name_en,
            phone,
        ) {
            (
                Some(received_at),
                Some(channel),
                Some(topic_codes),
                Some(summary),
                Some(minutes_spent),
                Some(outcome),
                Some(name_zh),
                Some(name_en),
                Some(phone),
            ) if errors.is_empty() => Ok(EnquiryDetails {
                received_at,
                channel,
                topic_codes,
                summary,
                minutes_spent,
                outcome,
                unit: self.unit.unwrap_or(Unit::FamilyResource),
                name_zh,
                name_en,
                sex: self.sex,
                phone,
                age_band: self.age_band,
            }),
            _ => Err(errors),
        }
    }
}

fn required(what: &str) -> FieldError {
    FieldError::new("required", format!("{what} is required"))
}

/// Optional text: empty is not given, and is not kept.
fn given(text: Result<String, FieldError>) -> Result<Option<String>, FieldError> {
    text.map(|t| Some(t).filter(|t| !t.is_empty()))
}

/// Promoting an enquiry: a new client (the registration form, prefilled from the
/// enquiry) or one already registered that the worker chose among the possible matches,
/// and the case to open for them.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PromotionForm {
    /// A client to register, as `POST /api/clients` takes it.
    pub client: Option<ClientForm>,
    /// Or a registered client the user reaches.
    #[cfg_attr(feature = "server", schema(max_length = 40))]
    pub client_id: Option<String>,
    /// The case, as `POST /api/cases` takes it but without `client_id`. Left out, the
    /// natures are the enquiry's topics and the referral source is self.
    #[serde(default)]
    pub case: CaseForm,
    /// The version the enquiry was read at.
    pub version: Option<i64>,
}

/// What a promotion made: the enquiry as it now stands, and the case opened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Promotion {
    pub enquiry: Enquiry,
    pub case: CaseDetail,
}

/// Filters of the enquiry log.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct EnquiryListQuery {
    /// Received on or after this Hong Kong date.
    pub from: Option<NaiveDate>,
    /// Received on or before this Hong Kong date.
    pub to: Option<NaiveDate>,
    pub channel: Option<Channel>,
    pub outcome: Option<EnquiryOutcome>,
    /// Only those promoted to a case (true), or only those not (false).
    pub promoted: Option<bool>,
    /// 1-based page number.
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// A validated [`EnquiryListQuery`]: the instants its dates bound, and the page window.
#[derive(Debug, Clone, PartialEq)]
pub struct EnquiryFilter {
    pub from: Option<DateTime<Utc>>,
    /// Exclusive: the start of the day after `to`.
    pub until: Option<DateTime<Utc>>,
    pub channel: Option<Channel>,
    pub outcome: Option<EnquiryOutcome>,
    pub promoted: Option<bool>,
    pub page: i64,
    pub per_page: i64,
}

impl EnquiryListQuery {
    pub fn parse(&self) -> Result<EnquiryFilter, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let (page, per_page) = crate::paging::window(self.page, self.per_page, &mut errors);
        if let (Some(from), Some(to)) = (self.from, self.to) {
            if from > to {
                errors.add("to", "before_from", "The end date is before the start date");
            }
        }
        // Days are Hong Kong days: one starts at its midnight there.
        let start = |day: NaiveDate| from_hong_kong(day.and_time(chrono::NaiveTime::MIN));
        errors.into_result(|| EnquiryFilter {
            from: self.from.map(start),
            until: self.to.and_then(|to| to.succ_opt()).map(start),
            channel: self.channel,
            outcome: self.outcome,
            promoted: self.promoted,
            page,
            per_page,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        from_hong_kong(NaiveDateTime::parse_from_str("2026-12-02 12:00", "%Y-%m-%d %H:%M").unwrap())
    }

    fn anonymous() -> EnquiryForm {
        EnquiryForm {
            channel: Some(Channel::WalkIn),
            topic_codes: vec!["housing".into()],
            minutes_spent: Some(15),
            outcome: Some(EnquiryOutcome::InformationGiven),
            ..EnquiryForm::default()
        }
    }

    #[test]
    fn an_anonymous_enquiry_is_received_now_in_the_family_resource_unit() {
        let details = anonymous().parse(now()).unwrap();
        assert_eq!(details.received_at, now());
        assert_eq!(details.unit, Unit::FamilyResource);
        assert_eq!((details.name_zh, details.phone), (None, None));
    }

    #[test]
    fn every_bad_field_is_named() {
        let form = EnquiryForm {
            received_at: NaiveDateTime::parse_from_str("2026-12-03 09:00", "%Y-%m-%d %H:%M").ok(),
            minutes_spent: Some(0),
            phone: "1234".into(),
            name_en: "x".repeat(NAME_EN_MAX + 1),
            ..EnquiryForm::default()
        };
        let errors = form.parse(now()).unwrap_err().0;
        let codes: Vec<(&str, &str)> = errors
            .iter()
            .map(|(k, v)| (k.as_str(), v.code.as_str()))
            .collect();
        assert_eq!(
            codes,
            vec![
                ("channel", "required"),
                ("minutes_spent", "out_of_range"),
                ("name_en", "too_long"),
                ("outcome", "required"),
                ("phone", "invalid_phone"),
                ("received_at", "date_in_future"),
                ("topic_codes", "required"),
            ]
        );
    }

    #[test]
    fn only_promotion_promotes_and_a_promoted_enquiry_stays_so() {
        use EnquiryOutcome::*;
        assert!(AdviceGiven.may_follow(None).is_ok());
        assert!(AdviceGiven.may_follow(Some(FollowUpNeeded)).is_ok());
        assert_eq!(
            PromotedToCase.may_follow(None).unwrap_err().code,
            "promotion_only"
        );
        assert_eq!(
            AdviceGiven
                .may_follow(Some(PromotedToCase))
                .unwrap_err()
                .code,
            "already_promoted"
        );
        assert!(PromotedToCase.may_follow(Some(PromotedToCase)).is_ok());
    }

    #[test]
    fn list_dates_are_hong_kong_days() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 2);
        let filter = EnquiryListQuery {
            from: day,
            to: day,
            ..EnquiryListQuery::default()
        }
        .parse()
        .unwrap();
        assert_eq!(
            filter.from.unwrap().to_rfc3339(),
            "2026-12-01T16:00:00+00:00"
        );
        assert_eq!(
            filter.until.unwrap().to_rfc3339(),
            "2026-12-02T16:00:00+00:00"
        );
        let errors = EnquiryListQuery {
            from: NaiveDate::from_ymd_opt(2026, 12, 3),
            to: day,
            page: Some(0),
            ..EnquiryListQuery::default()
        }
        .parse()
        .unwrap_err()
        .0;
        assert_eq!(errors["to"].code, "before_from");
        assert_eq!(errors["page"].code, "out_of_range");
    }

    #[test]
    fn codes_round_trip() {
        for band in AgeBand::ALL {
            assert_eq!(serde_json::to_value(band).unwrap(), band.as_str());
        }
        assert_eq!(Channel::parse("walk_in"), Some(Channel::WalkIn));
    }
}
