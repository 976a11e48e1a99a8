//! A case's contact log: what happened at each contact, by whom, and corrections made
//! once a note can no longer be edited.

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::cases::{CasePerson, StaffRef};
use crate::clients::normalise_search;
use crate::error::{FieldError, ValidationErrors};
use crate::language::ThemeTag;
use crate::stored_codes;
use crate::text::{one_line, paragraphs, required};

stored_codes! {
    /// How the contact took place.
    pub enum ContactType {
        OfficeInterview = "office_interview",
        HomeVisit = "home_visit",
        Phone = "phone",
        OnlineVideo = "online_video",
        CollateralContact = "collateral_contact",
        CaseConference = "case_conference",
        Supervision = "supervision",
    }
}

pub const NARRATIVE_MAX: usize = 20_000;
pub const OTHERS_MAX: usize = 200;
pub const REASON_MAX: usize = 500;
pub const DURATION_MAX_MINUTES: i64 = 24 * 60;

/// A correction appended to a note after its edit window: the note stays as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct NoteCorrection {
    /// None for a reader who may see the case but not its narrative.
    pub narrative: Option<String>,
    pub reason: String,
    pub author: StaffRef,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CaseNote {
    pub id: String,
    pub case_id: String,
    pub contact_at: DateTime<Utc>,
    pub contact_type: ContactType,
    pub duration_minutes: i64,
    pub participants: Vec<CasePerson>,
    pub other_participants: String,
    /// None for a reader who may see the case but not its narrative (an agency admin).
    pub narrative: Option<String>,
    pub author: StaffRef,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
    /// Until when the author may still edit the note; corrections after that.
    pub editable_until: DateTime<Utc>,
    pub corrections: Vec<NoteCorrection>,
    /// What the narrative and corrections are about, found by FamilyLink's tagger, with the
    /// words that raised each theme; empty for a reader who may not see the narrative.
    #[serde(default)]
    pub themes: Vec<ThemeTag>,
}

/// Writing a note, or editing it within its window (with the version it was read at).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CaseNoteForm {
    /// When the contact took place, in Hong Kong time (as a worker types it).
    pub contact_at: Option<NaiveDateTime>,
    pub contact_type: Option<ContactType>,
    #[cfg_attr(feature = "server", schema(minimum = 1, maximum = 1440))]
    pub duration_minutes: Option<i64>,
    /// The case's people who took part.
    #[serde(default)]
    pub participant_ids: Vec<String>,
    /// Anyone else, in words (a school social worker, a relative).
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 200))]
    pub other_participants: String,
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 20000))]
    pub narrative: String,
    /// Required to edit, absent to write a new note.
    pub version: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NoteDetails {
    pub contact_at: DateTime<Utc>,
    pub contact_type: ContactType,
    pub duration_minutes: i64,
    pub participant_ids: Vec<String>,
    pub other_participants: String,
    pub narrative: String,
}

fn hong_kong() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// A Hong Kong wall-clock time as the instant it names.
pub fn from_hong_kong(local: NaiveDateTime) -> DateTime<Utc> {
    hong_kong()
        .from_local_datetime(&local)
        .single()
        .map_or_else(|| local.and_utc(), |at| at.with_timezone(&Utc))
}

impl CaseNoteForm {
    /// Validates against `now`: a contact cannot be in the future.
    pub fn parse(&self, now: DateTime<Utc>) -> Result<NoteDetails, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let contact_at = errors.check(
            "contact_at",
            match self.contact_at.map(from_hong_kong) {
                None => Err(FieldError::new(
                    "required",
                    "When the contact took place is required",
                )),
                // A few minutes' grace for a clock that runs ahead of the server's.
                Some(at) if at > now + chrono::Duration::minutes(5) => Err(FieldError::new(
                    "date_in_future",
                    "The contact cannot be in the future",
                )),
                Some(at)
                    if at.date_naive()
                        < chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default() =>
                {
                    Err(FieldError::new(
                        "date_too_early",
                        "The date cannot be before 2000",
                    ))
                }
                Some(at) => Ok(at),
            },
        );
        let contact_type = errors.check(
            "contact_type",
            self.contact_type
                .ok_or_else(|| FieldError::new("required", "The type of contact is required")),
        );
        let duration_minutes = errors.check(
            "duration_minutes",
            match self.duration_minutes {
                None => Err(FieldError::new("required", "The duration is required")),
                Some(minutes) if !(1..=DURATION_MAX_MINUTES).contains(&minutes) => Err(
                    FieldError::new("out_of_range", "The duration is from 1 to 1440 minutes"),
                ),
                Some(minutes) => Ok(minutes),
            },
        );
        let other_participants = errors.check(
            "other_participants",
            one_line(&self.other_participants, OTHERS_MAX),
        );
        let narrative = errors.check(
            "narrative",
            required(paragraphs(&self.narrative, NARRATIVE_MAX), "The narrative"),
        );
        let participant_ids = errors.check("participant_ids", ids(&self.participant_ids));
        match (
            contact_at,
            contact_type,
            duration_minutes,
            participant_ids,
            other_participants,
            narrative,
        ) {
            (
                Some(contact_at),
                Some(contact_type),
                Some(duration_minutes),
                Some(participant_ids),
                Some(other_participants),
                Some(narrative),
            ) if errors.is_empty() => Ok(NoteDetails {
                contact_at,
                contact_type,
                duration_minutes,
                participant_ids,
                other_participants,
                narrative,
            }),
            _ => Err(errors),
        }
    }
}

fn ids(values: &[String]) -> Result<Vec<String>, FieldError> {
    if values.len() > 20 {
        return Err(FieldError::new("too_many", "At most 20"));
    }
    let mut out: Vec<String> = Vec::new();
    for value in values.iter().map(|v| v.trim()) {
        if value.is_empty() || value.len() > 40 {
            return Err(FieldError::new(
                "unknown_client",
                "Choose people of the case",
            ));
        }
        if !out.iter().any(|v| v == value) {
            out.push(value.to_owned());
        }
    }
    Ok(out)
}

/// A correction to a note whose edit window has closed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CorrectionForm {
    /// The corrected text, read beside the original.
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 20000))]
    pub narrative: String,
    /// What was wrong.
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 500))]
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Correction {
    pub narrative: String,
    pub reason: String,
}

impl CorrectionForm {
    pub fn parse(&self) -> Result<Correction, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let narrative = errors.check(
            "narrative",
            required(
                paragraphs(&self.narrative, NARRATIVE_MAX),
                "The corrected text",
            ),
        );
        let reason = errors.check(
            "reason",
            required(one_line(&self.reason, REASON_MAX), "The reason"),
        );
        match (narrative, reason) {
            (Some(narrative), Some(reason)) if errors.is_empty() => {
                Ok(Correction { narrative, reason })
            }
            _ => Err(errors),
        }
    }
}

/// The text a note is found by: its narrative and its corrections' text, normalised as
/// search terms are.
pub fn search_text<'a>(narrative: &str, corrections: impl IntoIterator<Item = &'a str>) -> String {
    let mut text = narrative.to_owned();
    for correction in corrections {
        text.push('\n');
        text.push_str(correction);
    }
    normalise_search(&text)
}

pub const SEARCH_MIN: usize = 2;
pub const SEARCH_MAX: usize = 50;

/// A search of the notes the user may read, sent in a POST body so that the term (often
/// a name, or what someone said) stays out of addresses and logs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NoteSearchQuery {
    /// Words in Chinese or English, 2 to 50 characters.
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(min_length = 2, max_length = 50))]
    pub q: String,
    /// 1-based page number.
    #[cfg_attr(feature = "server", schema(minimum = 1, maximum = 100000))]
    pub page: Option<i64>,
}

/// A validated note search: the normalised term and the page window.
#[derive(Debug, Clone, PartialEq)]
pub struct NoteSearch {
    pub term: String,
    pub page: i64,
    pub per_page: i64,
}

impl NoteSearchQuery {
    pub fn parse(&self) -> Result<NoteSearch, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let term = normalise_search(&self.q);
        match term.chars().count() {
            0 => errors.add("q", "required", "Words to search for are required"),
            n if n < SEARCH_MIN => errors.add(
                "q",
                "too_short",
                format!("At least {SEARCH_MIN} characters"),
            ),
            n if n > SEARCH_MAX => {
                errors.add("q", "too_long", format!("At most {SEARCH_MAX} characters"))
            }
            _ => {}
        }
        let (page, per_page) = crate::paging::window(self.page, None, &mut errors);
        errors.into_result(|| NoteSearch {
            term,
            page,
            per_page,
        })
    }
}

/// A note a search found, with where it belongs and a passage around the term.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct NoteHit {
    pub note_id: String,
    pub case_id: String,
    pub case_number: String,
    /// The case's client.
    pub client: CasePerson,
    pub contact_at: DateTime<Utc>,
    pub contact_type: ContactType,
    pub author: StaffRef,
    /// A few words either side of the term, from the narrative or a correction.
    pub excerpt: String,
}

/// A page of a note search, the latest written first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct NoteHitPage {
    pub items: Vec<NoteHit>,
    /// How many notes match: exactly, or when `total_estimated`, at most (a broad search
    /// checks the text of the notes its page needs, not of every note its words are in).
    pub total: i64,
    pub total_estimated: bool,
    pub page: i64,
    pub per_page: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        from_hong_kong(NaiveDateTime::parse_from_str("2026-11-24 12:00", "%Y-%m-%d %H:%M").unwrap())
    }

    #[test]
    fn a_contact_time_is_read_as_hong_kong_time() {
        let form = CaseNoteForm {
            contact_at: NaiveDateTime::parse_from_str("2026-11-24 09:30", "%Y-%m-%d %H:%M").ok(),
            contact_type: Some(ContactType::HomeVisit),
            duration_minutes: Some(60),
            narrative: "家訪，案主情緒穩定。".into(),
            ..CaseNoteForm::default()
        };
        let note = form.parse(now()).unwrap();
        assert_eq!(note.contact_at.to_rfc3339(), "2026-11-24T01:30:00+00:00");
    }

    #[test]
    fn every_bad_field_is_named() {
        let form = CaseNoteForm {
            contact_at: NaiveDateTime::parse_from_str("2026-11-25 09:30", "%Y-%m-%d %H:%M").ok(),
            duration_minutes: Some(0),
            narrative: " \n ".into(),
            ..CaseNoteForm::default()
        };
        let errors = form.parse(now()).unwrap_err().0;
        assert_eq!(errors["contact_at"].code, "date_in_future");
        assert_eq!(errors["contact_type"].code, "required");
        assert_eq!(errors["duration_minutes"].code, "out_of_range");
        assert_eq!(errors["narrative"].code, "required");
    }

    #[test]
    fn a_correction_says_why() {
        let errors = CorrectionForm {
            narrative: "更正".into(),
            reason: String::new(),
        }
        .parse()
        .unwrap_err()
        .0;
        assert_eq!(errors["reason"].code, "required");
    }

    #[test]
    fn a_note_is_found_by_its_narrative_and_corrections() {
        assert_eq!(
            search_text("Home visit.\n  Mother 情緒低落", ["更正：母親"]),
            "home visit. mother 情緒低落 更正：母親"
        );
    }

    #[test]
    fn a_search_term_is_neither_too_short_nor_too_long() {
        let parse = |q: &str| {
            NoteSearchQuery {
                q: q.into(),
                page: None,
            }
            .parse()
        };
        assert_eq!(parse(" 情緒 ").unwrap().term, "情緒");
        assert_eq!(parse("  ").unwrap_err().0["q"].code, "required");
        assert_eq!(parse("情").unwrap_err().0["q"].code, "too_short");
        assert_eq!(parse(&"x".repeat(51)).unwrap_err().0["q"].code, "too_long");
        let far = NoteSearchQuery {
            q: "情緒".into(),
            page: Some(0),
        };
        assert_eq!(far.parse().unwrap_err().0["page"].code, "out_of_range");
    }
}
