//! Every visible string comes from `i18n/*.json`: code names keys, never text.

use std::collections::HashMap;
use std::sync::OnceLock;

use common::clients::Sex;
use common::districts::District;
use common::error::{ErrorBody, FieldError};
use common::identity::{Locale, Role, Unit};
use yew::prelude::*;

type Texts = HashMap<String, String>;

const ZH_HK: &str = include_str!("../i18n/zh-HK.json");
const EN: &str = include_str!("../i18n/en.json");

fn texts(locale: Locale) -> &'static Texts {
    static ZH_TEXTS: OnceLock<Texts> = OnceLock::new();
    static EN_TEXTS: OnceLock<Texts> = OnceLock::new();
    match locale {
        Locale::ZhHk => ZH_TEXTS.get_or_init(|| parse(ZH_HK)),
        Locale::En => EN_TEXTS.get_or_init(|| parse(EN)),
    }
}

fn parse(json: &str) -> Texts {
    // The files are compiled in and checked by the tests below, so this cannot fail at run time.
    serde_json::from_str(json).expect("a translation file is a flat JSON object of strings")
}

/// The current language, handed down the component tree as a context.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct I18n {
    pub locale: Locale,
}

impl I18n {
    pub fn lookup(self, key: &str) -> Option<&'static str> {
        texts(self.locale).get(key).map(String::as_str)
    }

    /// A missing key shows itself, so a gap is noticed rather than hidden.
    pub fn t(self, key: &'static str) -> &'static str {
        self.lookup(key).unwrap_or(key)
    }

    /// Fills `{name}` placeholders.
    pub fn tf(self, key: &'static str, args: &[(&str, &str)]) -> String {
        args.iter()
            .fold(self.t(key).to_owned(), |text, (name, value)| {
                text.replace(&format!("{{{name}}}"), value)
            })
    }

    /// The language the switch button offers.
    pub fn other(self) -> Locale {
        match self.locale {
            Locale::ZhHk => Locale::En,
            Locale::En => Locale::ZhHk,
        }
    }

    pub fn district(self, district: District) -> &'static str {
        match self.locale {
            Locale::ZhHk => district.name_zh(),
            Locale::En => district.name_en(),
        }
    }

    /// Picks the name in the current language from a zh/en pair.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self.locale {
            Locale::ZhHk => zh,
            Locale::En => en,
        }
    }

    /// The name in the current language of a value that carries both (`names()`).
    pub fn named(self, (zh, en): (&'static str, &'static str)) -> &'static str {
        self.pick(zh, en)
    }

    pub fn sex(self, sex: Sex) -> &'static str {
        match sex {
            Sex::F => self.t("sex.F"),
            Sex::M => self.t("sex.M"),
        }
    }

    pub fn role(self, role: Role) -> &'static str {
        self.code("role", role.as_str())
    }

    pub fn unit(self, unit: Unit) -> &'static str {
        self.code("unit", unit.as_str())
    }

    /// The name of a stored code of a closed list (`list.code` in the translation files).
    pub fn code(self, list: &str, code: &'static str) -> &'static str {
        self.lookup(&format!("{list}.{code}")).unwrap_or(code)
    }

    /// A field error in the current language, or the API's own message for a code we lack.
    pub fn field_error(self, error: &FieldError) -> String {
        self.lookup(&format!("error.{}", error.code))
            .map_or_else(|| error.message.clone(), str::to_owned)
    }

    /// A general error: the translated code, else the API's message, else a generic line.
    pub fn error(self, error: &ErrorBody) -> String {
        if !error.fields.is_empty() {
            return self.t("error.validation_failed").to_owned();
        }
        match self.lookup(&format!("error.{}", error.code)) {
            Some(text) => text.to_owned(),
            None if !error.message.is_empty() => error.message.clone(),
            None => self.t("error.unknown").to_owned(),
        }
    }
}

#[hook]
pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or_default()
}

/// Names the browser tab after the page, in the current language.
#[hook]
pub fn use_title(key: &'static str) {
    let i18n = use_i18n();
    use_effect_with(i18n, move |i18n| {
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            document.set_title(&format!("{} – {}", i18n.t(key), i18n.t("app.name")));
        }
    });
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use common::clients::MatchReason;
    use common::enquiries::{AgeBand, Channel, EnquiryOutcome};

    fn keys(json: &str) -> BTreeSet<String> {
        parse(json).into_keys().collect()
    }

    #[test]
    fn both_languages_have_the_same_keys() {
        assert_eq!(keys(ZH_HK), keys(EN));
    }

    #[test]
    fn no_translation_is_empty() {
        for json in [ZH_HK, EN] {
            assert!(parse(json).values().all(|v| !v.trim().is_empty()));
        }
    }

    #[test]
    fn every_key_named_in_the_code_exists() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let known = keys(EN);
        let mut missing = Vec::new();
        let mut seen = 0;
        for file in rust_files(&src) {
            let code = std::fs::read_to_string(&file).unwrap();
            for key in quoted_keys(&code) {
                seen += 1;
                if !known.contains(&key) {
                    missing.push(format!("{}: {key}", file.display()));
                }
            }
        }
        assert!(
            seen > 50,
            "the scan found only {seen} keys: is it still reading the code?"
        );
        assert!(
            missing.is_empty(),
            "keys missing from the translation files: {missing:?}"
        );
    }

    #[test]
    fn every_validation_code_and_role_is_translated() {
        let known = keys(EN);
        let codes = [
            "required",
            "name_required",
            "too_long",
            "invalid_characters",
            "date_in_future",
            "date_too_early",
            "invalid_phone",
            "invalid_hkid",
            "hkid_check_digit",
            "out_of_range",
            "version_conflict",
            "invalid_credentials",
            "too_many_attempts",
            "not_found",
            "invalid_date",
            "one_required",
            "promotion_only",
            "already_promoted",
            "before_from",
        ];
        for code in codes {
            assert!(known.contains(&format!("error.{code}")), "{code}");
        }
        for reason in MatchReason::ALL {
            assert!(
                known.contains(&format!("match.reason.{}", reason.as_str())),
                "{reason:?}"
            );
        }
        for role in Role::ALL {
            assert!(
                known.contains(&format!("role.{}", role.as_str())),
                "{role:?}"
            );
        }
        for (list, codes) in [
            (
                "channel",
                Channel::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
            ),
            (
                "enquiry_outcome",
                EnquiryOutcome::ALL.iter().map(|o| o.as_str()).collect(),
            ),
            (
                "age_band",
                AgeBand::ALL.iter().map(|b| b.as_str()).collect(),
            ),
        ] {
            for code in codes {
                assert!(known.contains(&format!("{list}.{code}")), "{list}.{code}");
            }
        }
        for unit in Unit::ALL {
            assert!(
                known.contains(&format!("unit.{}", unit.as_str())),
                "{unit:?}"
            );
        }
    }

    #[test]
    fn every_code_of_child_protection_is_translated() {
        use common::child_protection::{HarmLevel, HarmType, ProtectionDecision, ReportedTo};
        let known = keys(EN);
        let lists: [(&str, Vec<&str>); 4] = [
            (
                "harm_type",
                HarmType::ALL.iter().map(|c| c.as_str()).collect(),
            ),
            (
                "harm_level",
                HarmLevel::ALL.iter().map(|c| c.as_str()).collect(),
            ),
            (
                "protection_decision",
                ProtectionDecision::ALL.iter().map(|c| c.as_str()).collect(),
            ),
            (
                "reported_to",
                ReportedTo::ALL.iter().map(|c| c.as_str()).collect(),
            ),
        ];
        for (list, codes) in lists {
            for code in codes {
                assert!(known.contains(&format!("{list}.{code}")), "{list}.{code}");
            }
        }
        for code in ["not_a_child", "not_on_case", "already_decided"] {
            assert!(known.contains(&format!("error.{code}")), "{code}");
        }
    }

    #[test]
    fn every_code_of_the_statistics_is_translated() {
        use common::statistics::{CaseFigure, Dimension, Indicator, StandardStatus};
        let known = keys(EN);
        let lists: [(&str, Vec<&str>); 4] = [
            (
                "figure",
                CaseFigure::ALL.iter().map(|c| c.as_str()).collect(),
            ),
            (
                "dimension",
                Dimension::ALL.iter().map(|c| c.as_str()).collect(),
            ),
            (
                "indicator",
                Indicator::ALL.iter().map(|c| c.as_str()).collect(),
            ),
            (
                "standard_status",
                StandardStatus::ALL.iter().map(|c| c.as_str()).collect(),
            ),
        ];
        for (list, codes) in lists {
            for code in codes {
                assert!(known.contains(&format!("{list}.{code}")), "{list}.{code}");
            }
        }
        for code in [
            "unknown_scope",
            "quarter_and_month",
            "centre_and_agency",
            "not_a_case_dimension",
        ] {
            assert!(known.contains(&format!("error.{code}")), "{code}");
        }
    }

    #[test]
    fn every_code_of_activities_is_translated() {
        use common::activities::{
            ActivityFormat, ActivityKind, ActivityMode, AttendanceStatus, EnrolmentStatus,
            FacilitatorRole, HeadcountBand, TargetGroup,
        };
        let known = keys(EN);
        let lists: [(&str, Vec<&str>); 8] = [
            (
                "activity_kind",
                ActivityKind::ALL.iter().map(|c| c.as_str()).collect(),
            ),
            (
                "activity_format",
                ActivityFormat::ALL.iter().map(|c| c.as_str()).collect(),
            ),
            (
                "activity_mode",
                ActivityMode::ALL.iter().map(|c| c.as_str()).collect(),
            ),
            (
                "target_group",
                TargetGroup::ALL.iter().map(|c| c.as_str()).collect(),
            ),
            (
                "facilitator_role",
                FacilitatorRole::ALL.iter().map(|c| c.as_str()).collect(),
            ),
            (
                "enrolment_status",
                EnrolmentStatus::ALL.iter().map(|c| c.as_str()).collect(),
            ),
            (
                "attendance_status",
                AttendanceStatus::ALL.iter().map(|c| c.as_str()).collect(),
            ),
            (
                "headcount_band",
                HeadcountBand::ALL.iter().map(|c| c.as_str()).collect(),
            ),
        ];
        for (list, codes) in lists {
            for code in codes {
                assert!(known.contains(&format!("{list}.{code}")), "{list}.{code}");
            }
        }
        for code in [
            "session_clash",
            "already_enrolled",
            "counts_reach",
            "not_an_event",
            "kind_fixed",
            "session_not_started",
            "not_enrolled",
            "unknown_client",
            "unknown_staff",
            "negative",
            "not_for_events",
            "not_a_link",
            "already_withdrawn",
            "no_start",
            "repeated",
        ] {
            assert!(known.contains(&format!("error.{code}")), "{code}");
        }
    }

    #[test]
    fn every_code_of_assessments_is_translated() {
        let known = keys(EN);
        for stage in common::assessments::Stage::ALL {
            assert!(known.contains(&format!("stage.{}", stage.as_str())));
        }
        for code in [
            "unknown_case",
            "unknown_group",
            "not_taking_part",
            "unknown_instrument",
            "invalid_answer",
            "unknown_item",
            "case_or_group",
            "unknown_theme",
            "unknown_intervention_model",
            "built_in_code",
            "code_taken",
            "version_not_newer",
            "unreadable_file",
        ] {
            assert!(known.contains(&format!("error.{code}")), "{code}");
        }
    }

    #[test]
    fn every_code_of_the_hub_is_translated() {
        use common::hub::*;
        fn all<T: Copy>(values: &[T], code: fn(T) -> &'static str) -> Vec<&'static str> {
            values.iter().map(|v| code(*v)).collect()
        }
        let lists: [(&str, Vec<&str>); 11] = [
            (
                "resource_type",
                all(ResourceType::ALL, ResourceType::as_str),
            ),
            (
                "evidence_rating",
                all(EvidenceRating::ALL, EvidenceRating::as_str),
            ),
            (
                "resource_factor",
                all(ResourceFactor::ALL, ResourceFactor::as_str),
            ),
            ("audience", all(Audience::ALL, Audience::as_str)),
            (
                "resource_language",
                all(ResourceLanguage::ALL, ResourceLanguage::as_str),
            ),
            ("licence", all(Licence::ALL, Licence::as_str)),
            ("visibility", all(Visibility::ALL, Visibility::as_str)),
            (
                "resource_status",
                all(ResourceStatus::ALL, ResourceStatus::as_str),
            ),
            (
                "resource_step",
                all(ResourceStatus::ALL, ResourceStatus::as_str),
            ),
            (
                "resource_sort",
                all(ResourceSort::ALL, ResourceSort::as_str),
            ),
            (
                "resource_change",
                ["created", "edited", "rated", "file_added", "file_removed"]
                    .into_iter()
                    .chain(all(ResourceStatus::ALL, ResourceStatus::as_str))
                    .collect(),
            ),
        ];
        for locale in [ZH_HK, EN] {
            let known = keys(locale);
            for (list, codes) in &lists {
                for code in codes {
                    assert!(known.contains(&format!("{list}.{code}")), "{list}.{code}");
                }
            }
            for code in [
                "resource_not_editable",
                "step_not_allowed",
                "unsupported_file_type",
                "needs_words",
            ] {
                assert!(known.contains(&format!("error.{code}")), "{code}");
            }
        }
    }

    #[test]
    fn every_code_of_the_circle_is_translated() {
        use common::circle::Reaction;
        for locale in [ZH_HK, EN] {
            let known = keys(locale);
            for reaction in Reaction::ALL {
                let key = format!("reaction.{}", reaction.as_str());
                assert!(known.contains(&key), "{key}");
            }
            for code in [
                "identifies_a_person",
                "identifies_by_phone",
                "identifies_by_email",
                "thread_locked",
                "post_hidden",
                "already_reported",
                "no_reports",
            ] {
                assert!(known.contains(&format!("error.{code}")), "{code}");
            }
        }
    }

    #[test]
    fn every_code_of_training_is_translated() {
        use common::training::*;
        fn all<T: Copy>(values: &[T], code: fn(T) -> &'static str) -> Vec<&'static str> {
            values.iter().map(|v| code(*v)).collect()
        }
        let lists: [(&str, Vec<&str>); 6] = [
            (
                "question_kind",
                all(QuestionKind::ALL, QuestionKind::as_str),
            ),
            (
                "course_category",
                all(CourseCategory::ALL, CourseCategory::as_str),
            ),
            (
                "teaching_language",
                all(TeachingLanguage::ALL, TeachingLanguage::as_str),
            ),
            (
                "course_status",
                all(CourseStatus::ALL, CourseStatus::as_str),
            ),
            (
                "activity_kind",
                all(ActivityKind::ALL, ActivityKind::as_str),
            ),
            (
                "certificate_status",
                all(CertificateStatus::ALL, CertificateStatus::as_str),
            ),
        ];
        for locale in [ZH_HK, EN] {
            let known = keys(locale);
            for (list, codes) in &lists {
                for code in codes {
                    assert!(known.contains(&format!("{list}.{code}")), "{list}.{code}");
                }
            }
            for code in [
                "not_enrolled",
                "already_enrolled",
                "quiz_not_passed",
                "quiz_passed",
                "no_attempts_left",
                "wrong_count",
                "course_archived",
                "activity_removed",
                "already_revoked",
                "not_a_learner",
                "course_not_published",
                "enrolled_by_agency",
                "other_agency",
                "enrolment_closed",
                "invalid_question",
                "duplicate_key",
                "no_required_activity",
                "file_missing",
                "file_not_opened",
                "not_posted",
            ] {
                assert!(known.contains(&format!("error.{code}")), "{code}");
            }
        }
    }

    #[test]
    fn every_code_of_plans_and_referrals_is_translated() {
        use common::case_plans::GoalStatus;
        use common::referrals::{ConsentGiver, ReferralDirection, ReferralStatus, ServiceType};
        let known = keys(EN);
        let lists: [(&str, Vec<&str>); 5] = [
            (
                "goal_status",
                GoalStatus::ALL.iter().map(|c| c.as_str()).collect(),
            ),
            (
                "referral_direction",
                ReferralDirection::ALL.iter().map(|c| c.as_str()).collect(),
            ),
            (
                "referral_status",
                ReferralStatus::ALL.iter().map(|c| c.as_str()).collect(),
            ),
            (
                "service_type",
                ServiceType::ALL.iter().map(|c| c.as_str()).collect(),
            ),
            (
                "consent_giver",
                ConsentGiver::ALL.iter().map(|c| c.as_str()).collect(),
            ),
        ];
        for (list, codes) in lists {
            for code in codes {
                assert!(known.contains(&format!("{list}.{code}")), "{list}.{code}");
            }
        }
        for code in [
            "case_closed",
            "consent_required",
            "invalid_transition",
            "date_in_past",
            "date_too_late",
            "not_after_review",
            "before_start",
            "before_last_step",
            "invalid_status",
            "not_allowed",
        ] {
            assert!(known.contains(&format!("error.{code}")), "{code}");
        }
    }

    #[test]
    fn every_code_of_risk_flags_is_translated() {
        use common::risk::{FlagStatus, ReviewDecision};
        let known = keys(EN);
        let lists: [(&str, Vec<&str>); 2] = [
            (
                "flag_status",
                FlagStatus::ALL.iter().map(|c| c.as_str()).collect(),
            ),
            (
                "review_decision",
                ReviewDecision::ALL.iter().map(|c| c.as_str()).collect(),
            ),
        ];
        for (list, codes) in lists {
            for code in codes {
                assert!(known.contains(&format!("{list}.{code}")), "{list}.{code}");
            }
        }
        for code in ["already_reviewed", "only_for_dismissal"] {
            assert!(known.contains(&format!("error.{code}")), "{code}");
        }
    }

    #[test]
    fn every_code_of_outcomes_is_translated() {
        use common::outcomes::OutcomeGrouping;
        let known = keys(EN);
        for grouping in OutcomeGrouping::ALL {
            let key = format!("outcome_grouping.{}", grouping.as_str());
            assert!(known.contains(&key), "{key}");
        }
        for code in ["invalid_query", "unknown_instrument", "before_from"] {
            assert!(known.contains(&format!("error.{code}")), "{code}");
        }
    }

    #[test]
    fn unknown_codes_fall_back_to_the_api_message() {
        let i18n = I18n {
            locale: Locale::ZhHk,
        };
        let known = FieldError::new("invalid_phone", "english");
        assert_ne!(i18n.field_error(&known), "english");
        let unknown = FieldError::new("something_new", "As the API says");
        assert_eq!(i18n.field_error(&unknown), "As the API says");
        assert_eq!(
            i18n.tf("clients.page_of", &[("page", "2"), ("pages", "5")]),
            "第 2 頁，共 5 頁"
        );
    }

    fn rust_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files.extend(rust_files(&path));
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
        files
    }

    /// String literals in the code that look like translation keys (`area.name`).
    fn quoted_keys(code: &str) -> Vec<String> {
        const AREAS: [&str; 42] = [
            "app.",
            "instruments.",
            "alerts.",
            "assessment.",
            "stage.",
            "calendar.",
            "activities.",
            "activity.",
            "participation.",
            "roll_call.",
            "headcount_band.",
            "note_search.",
            "taxonomy.",
            "merge.",
            "enquiries.",
            "enquiry.",
            "nav.",
            "header.",
            "locale.",
            "auth.",
            "login.",
            "home.",
            "role.",
            "sex.",
            "clients.",
            "client.",
            "das.",
            "module.",
            "forbidden.",
            "notfound.",
            "error.",
            "plan.",
            "referral.",
            "household.",
            "risk.",
            "outcomes.",
            "chart.",
            "hub.",
            "training.",
            "verify.",
            "circle.",
            "reaction.",
        ];
        code.split('"')
            .skip(1)
            .step_by(2)
            .filter(|s| {
                AREAS.iter().any(|a| s.starts_with(a))
                    && !s.ends_with('.')
                    // File names such as `clients.xlsx` are not keys.
                    && ![".xlsx", ".js", ".json", ".rs"].iter().any(|ext| s.ends_with(ext))
                    && s.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')
            })
            .map(str::to_owned)
            .collect()
    }
}
