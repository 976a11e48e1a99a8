//! Language processing of case-note narratives: the themes a note is tagged with (the
//! case-nature taxonomy's codes, and risk cues), and the kinds of personal identifier
//! that are replaced with placeholders in any text that leaves the record.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::cases::StaffRef;
use crate::error::ValidationErrors;
use crate::stored_codes;

stored_codes! {
    /// Words in a narrative that a supervisor should look at whatever natures the case
    /// carries.
    pub enum RiskCue {
        Violence = "violence",
        SelfHarm = "self_harm",
        FinancialCrisis = "financial_crisis",
        HousingCrisis = "housing_crisis",
        ChildNeglect = "child_neglect",
    }
}

impl RiskCue {
    /// The prefix that tells a cue's theme from a case nature's code.
    pub const THEME_PREFIX: &'static str = "cue:";

    pub fn theme(self) -> String {
        format!("{}{}", Self::THEME_PREFIX, self.as_str())
    }

    pub fn of_theme(theme: &str) -> Option<RiskCue> {
        theme.strip_prefix(Self::THEME_PREFIX).and_then(Self::parse)
    }

    /// The case natures that answer the cue: a case carrying none of them has a cue in its
    /// notes that its natures do not show.
    pub fn natures(self) -> &'static [&'static str] {
        match self {
            RiskCue::Violence => &[
                "spouse_battering",
                "child_abuse",
                "elder_abuse",
                "sexual_violence",
            ],
            RiskCue::SelfHarm => &["suicide_risk"],
            RiskCue::FinancialCrisis => &["financial"],
            RiskCue::HousingCrisis => &["housing"],
            RiskCue::ChildNeglect => &["child_abuse", "child_care"],
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            RiskCue::Violence => "暴力",
            RiskCue::SelfHarm => "自殺或自我傷害",
            RiskCue::FinancialCrisis => "經濟危機",
            RiskCue::HousingCrisis => "住屋危機",
            RiskCue::ChildNeglect => "疏忽照顧兒童",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            RiskCue::Violence => "Violence",
            RiskCue::SelfHarm => "Self-harm or suicide",
            RiskCue::FinancialCrisis => "Financial crisis",
            RiskCue::HousingCrisis => "Housing crisis",
            RiskCue::ChildNeglect => "Child neglect",
        }
    }
}

stored_codes! {
    /// What a de-identified text has lost.
    pub enum IdentifierKind {
        Name = "name",
        Hkid = "hkid",
        Phone = "phone",
        Address = "address",
        DateOfBirth = "date_of_birth",
        School = "school",
    }
}

impl IdentifierKind {
    /// What stands in the text where an identifier was: the same in either language, so
    /// a researcher can count them.
    pub fn placeholder(self) -> &'static str {
        match self {
            IdentifierKind::Name => "[NAME]",
            IdentifierKind::Hkid => "[HKID]",
            IdentifierKind::Phone => "[PHONE]",
            IdentifierKind::Address => "[ADDRESS]",
            IdentifierKind::DateOfBirth => "[DOB]",
            IdentifierKind::School => "[SCHOOL]",
        }
    }
}

/// A theme of a note, with the words of the note that raised it, for the reader to judge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ThemeTag {
    /// A case nature's code, or `cue:` and a risk cue's code.
    pub theme: String,
    pub words: Vec<String>,
}

/// A case whose notes carry a risk cue that none of its natures answers: for its
/// supervisor to look at. The latest note with the cue is shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct UnmatchedCue {
    pub case_id: String,
    pub case_number: String,
    pub client_name: String,
    pub responsible_worker: StaffRef,
    pub cue: RiskCue,
    pub words: Vec<String>,
    pub note_id: String,
    pub contact_at: DateTime<Utc>,
    /// The case's natures now.
    pub natures: Vec<String>,
}

/// The longest period one research corpus covers: a year's notes of an agency is what
/// one export de-identifies while the analyst waits.
pub const CORPUS_MAX_DAYS: i64 = 366;

/// The case notes of a period, de-identified, for research: what to take.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CorpusRequest {
    /// The first day of contact taken (Hong Kong time).
    pub from: NaiveDate,
    /// The last day of contact taken, inclusive.
    pub until: NaiveDate,
    /// One centre of the analyst's scope; every one when left out.
    #[cfg_attr(feature = "server", schema(max_length = 40))]
    pub centre_id: Option<String>,
}

impl CorpusRequest {
    pub fn parse(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        if self.until < self.from {
            errors.add("until", "before_from", "The last day is before the first");
        } else if (self.until - self.from).num_days() >= CORPUS_MAX_DAYS {
            errors.add("until", "corpus_too_long", "A corpus covers a year at most");
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_corpus_covers_a_year_at_most() {
        let day = |s: &str| s.parse::<NaiveDate>().unwrap();
        let request = |from: &str, until: &str| CorpusRequest {
            from: day(from),
            until: day(until),
            centre_id: None,
        };
        assert!(request("2024-04-01", "2025-03-31").parse().is_ok());
        assert!(request("2024-01-01", "2024-12-31").parse().is_ok());
        let too_long = request("2024-01-01", "2025-01-01").parse().unwrap_err();
        assert!(too_long.0.contains_key("until"));
        let backwards = request("2024-02-01", "2024-01-31").parse().unwrap_err();
        assert!(backwards.0.contains_key("until"));
    }

    #[test]
    fn a_cue_reads_back_from_its_theme() {
        for cue in RiskCue::ALL {
            assert_eq!(RiskCue::of_theme(&cue.theme()), Some(*cue));
        }
        assert_eq!(RiskCue::of_theme("violence"), None);
        assert_eq!(RiskCue::of_theme("cue:housing"), None);
    }
}
