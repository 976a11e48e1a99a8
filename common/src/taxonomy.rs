//! The lists the platform's administrators keep: case natures (what a case, an enquiry or
//! an activity is about), family life education themes (what else an activity may be
//! about) and intervention models (what practice an activity follows). One list each for
//! the whole platform, so that every centre's statistics count the same things. A term is
//! never deleted, since records and reports name it by its code: one no longer wanted is
//! retired, stays on the records that have it, and is no longer offered.

use serde::{Deserialize, Serialize};

use crate::cases::version;
use crate::error::{FieldError, ValidationErrors};
use crate::text::{one_line, required};

/// Which list a term belongs to; in an address, `case-natures`, `education-themes` or
/// `intervention-models`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Vocabulary {
    CaseNatures,
    EducationThemes,
    InterventionModels,
}

impl Vocabulary {
    pub const ALL: [Vocabulary; 3] = [
        Vocabulary::CaseNatures,
        Vocabulary::EducationThemes,
        Vocabulary::InterventionModels,
    ];

    /// The list's place under `/api/`.
    pub fn path(self) -> &'static str {
        match self {
            Vocabulary::CaseNatures => "case-natures",
            Vocabulary::EducationThemes => "education-themes",
            Vocabulary::InterventionModels => "intervention-models",
        }
    }

    /// What the audit trail calls one of its terms.
    pub fn term(self) -> &'static str {
        match self {
            Vocabulary::CaseNatures => "case_nature",
            Vocabulary::EducationThemes => "education_theme",
            Vocabulary::InterventionModels => "intervention_model",
        }
    }
}

/// One entry of a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Term {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// Retired terms stay on the records that have them but are not offered for new ones.
    pub active: bool,
    pub version: i64,
}

const CODE_MAX: usize = 40;
pub const NAME_MAX: usize = 80;

/// A new term. Its code is its key in every record and export, so it is chosen once and
/// never changed; the names may be reworded later.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewTermForm {
    /// Lower-case letters, digits and underscores, starting with a letter.
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 40))]
    pub code: String,
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 80))]
    pub name_zh: String,
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 80))]
    pub name_en: String,
}

/// A term's names and whether it is offered, with the version read.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TermForm {
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 80))]
    pub name_zh: String,
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 80))]
    pub name_en: String,
    /// False retires the term; true offers it again.
    #[serde(default)]
    pub active: Option<bool>,
    pub version: Option<i64>,
}

/// Moving a term one place up or down the order forms and reports list them in.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TermMoveForm {
    pub direction: Option<Direction>,
    pub version: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Up,
    Down,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermNames {
    pub name_zh: String,
    pub name_en: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTerm {
    pub code: String,
    pub names: TermNames,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermChange {
    pub names: TermNames,
    pub active: bool,
    pub version: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermMove {
    pub direction: Direction,
    pub version: i64,
}

fn names(name_zh: &str, name_en: &str, errors: &mut ValidationErrors) -> Option<TermNames> {
    let name_zh = errors.check(
        "name_zh",
        required(one_line(name_zh, NAME_MAX), "The Chinese name"),
    );
    let name_en = errors.check(
        "name_en",
        required(one_line(name_en, NAME_MAX), "The English name"),
    );
    Some(TermNames {
        name_zh: name_zh?,
        name_en: name_en?,
    })
}

/// A code is a stable key: lower-case ASCII so that it reads the same in every export,
/// database and URL.
pub fn parse_code(raw: &str) -> Result<String, FieldError> {
    let code = raw.trim();
    if code.is_empty() {
        return Err(FieldError::new("required", "The code is required"));
    }
    let well_formed = code.len() <= CODE_MAX
        && code.starts_with(|c: char| c.is_ascii_lowercase())
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if well_formed {
        Ok(code.to_owned())
    } else {
        Err(FieldError::new(
            "invalid_code",
            format!(
                "At most {CODE_MAX} lower-case letters, digits and underscores, starting with a letter"
            ),
        ))
    }
}

impl NewTermForm {
    pub fn parse(&self) -> Result<NewTerm, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let code = errors.check("code", parse_code(&self.code));
        let names = names(&self.name_zh, &self.name_en, &mut errors);
        match (code, names) {
            (Some(code), Some(names)) if errors.is_empty() => Ok(NewTerm { code, names }),
            _ => Err(errors),
        }
    }
}

impl TermForm {
    pub fn parse(&self) -> Result<TermChange, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let names = names(&self.name_zh, &self.name_en, &mut errors);
        let active = errors.check(
            "active",
            self.active
                .ok_or_else(|| FieldError::new("required", "Say whether the term is in use")),
        );
        let version = errors.check("version", version(self.version));
        match (names, active, version) {
            (Some(names), Some(active), Some(version)) if errors.is_empty() => Ok(TermChange {
                names,
                active,
                version,
            }),
            _ => Err(errors),
        }
    }
}

impl TermMoveForm {
    pub fn parse(&self) -> Result<TermMove, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let direction = errors.check(
            "direction",
            self.direction
                .ok_or_else(|| FieldError::new("required", "Say whether to move it up or down")),
        );
        let version = errors.check("version", version(self.version));
        match (direction, version) {
            (Some(direction), Some(version)) => Ok(TermMove { direction, version }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable_keys() {
        assert_eq!(parse_code(" gambling_debt ").unwrap(), "gambling_debt");
        assert_eq!(parse_code("").unwrap_err().code, "required");
        for bad in ["Gambling", "1st", "家暴", "debt-gambling", &"a".repeat(41)] {
            assert_eq!(parse_code(bad).unwrap_err().code, "invalid_code", "{bad}");
        }
    }

    #[test]
    fn a_new_term_needs_both_names() {
        let errors = NewTermForm {
            code: "gambling_debt".into(),
            name_zh: "  ".into(),
            name_en: "Gambling  debt".into(),
        }
        .parse()
        .unwrap_err();
        assert_eq!(errors.0["name_zh"].code, "required");
        assert_eq!(errors.0.len(), 1);
        let term = NewTermForm {
            code: "gambling_debt".into(),
            name_zh: "賭債".into(),
            name_en: "Gambling  debt".into(),
        }
        .parse()
        .unwrap();
        assert_eq!(term.names.name_en, "Gambling debt");
    }

    #[test]
    fn a_change_carries_its_version_and_whether_in_use() {
        let errors = TermForm {
            name_zh: "賭債".into(),
            name_en: "Gambling debt".into(),
            active: None,
            version: None,
        }
        .parse()
        .unwrap_err();
        assert_eq!(errors.0["active"].code, "required");
        assert_eq!(errors.0["version"].code, "required");
        assert_eq!(
            TermMoveForm::default().parse().unwrap_err().0["direction"].code,
            "required"
        );
    }
}
