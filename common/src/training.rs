//! i-TLS, the sector's online training: what a course is (its modules, activities and
//! quizzes), how a quiz is scored, when an activity and a course are complete, and what a
//! certificate shows.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::cases::missing;
use crate::error::{FieldError, ValidationErrors};
use crate::hub::Audience;
use crate::stored_codes;
use crate::text::{csv_values, one_line, paragraphs, required, web_link};

pub const TITLE_MAX: usize = 200;
pub const TEXT_MAX: usize = 20_000;
pub const MODULES_MAX: usize = 30;
pub const ACTIVITIES_MAX: usize = 30;
pub const QUESTIONS_MAX: usize = 100;
pub const OPTIONS_MAX: usize = 10;
/// Questions a course's bank holds, for its quizzes to draw from.
pub const BANK_MAX: usize = 500;
/// CPD hours are kept in tenths: a course of 6.5 hours is 65.
pub const CPD_TENTHS_MAX: i64 = 2000;
/// The longest search of the catalogue.
pub const QUERY_MAX: usize = 100;

stored_codes! {
    pub enum CourseCategory {
        FamilyPractice = "family_practice",
        ChildProtection = "child_protection",
        DomesticViolence = "domestic_violence",
        MentalHealth = "mental_health",
        Assessment = "assessment",
        Supervision = "supervision",
        Research = "research",
        SelfCare = "self_care",
    }
}

stored_codes! {
    pub enum TeachingLanguage {
        Cantonese = "cantonese",
        English = "english",
        Putonghua = "putonghua",
        Bilingual = "bilingual",
    }
}

stored_codes! {
    pub enum CourseStatus {
        Draft = "draft",
        Published = "published",
        Archived = "archived",
    }
}

stored_codes! {
    pub enum ActivityKind {
        /// Rich text to read: done once viewed.
        Page = "page",
        /// An outside page or a video: done once opened.
        Link = "link",
        /// Done once passed (at the pass mark), within the attempts allowed.
        Quiz = "quiz",
        /// A short piece of writing on the activity's prompt: done once submitted, or once
        /// the trainer signs it off when the activity asks for that.
        Reflection = "reflection",
        /// A document or media file the trainer keeps on the activity: done once opened.
        File = "file",
        /// A prompt the course's people discuss in threads: done once the learner posts.
        Discussion = "discussion",
    }
}

stored_codes! {
    pub enum QuestionKind {
        SingleChoice = "single_choice",
        MultipleChoice = "multiple_choice",
        TrueFalse = "true_false",
        ShortAnswer = "short_answer",
    }
}

/// A choice of a question, in both languages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Choice {
    #[serde(default)]
    pub zh: String,
    #[serde(default)]
    pub en: String,
}

/// A question as the trainer writes it, with its answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub kind: QuestionKind,
    #[serde(default)]
    pub prompt_zh: String,
    #[serde(default)]
    pub prompt_en: String,
    /// The choices (single and multiple choice); none for true/false and short answers.
    #[serde(default)]
    pub choices: Vec<Choice>,
    /// The right choices by place; for true/false, `[0]` is true and `[1]` false.
    #[serde(default)]
    pub correct: Vec<usize>,
    /// Short answers accepted, compared with case and spacing aside.
    #[serde(default)]
    pub accepted: Vec<String>,
    #[serde(default = "one")]
    pub points: i64,
}

fn one() -> i64 {
    1
}

/// An activity as the trainer writes it. `key` names it for good, so that a learner's
/// progress survives the course's later versions; a new activity has none and is given one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Activity {
    #[serde(default)]
    pub key: String,
    pub kind: ActivityKind,
    #[serde(default)]
    pub title_zh: String,
    #[serde(default)]
    pub title_en: String,
    /// A page's text, a link's or quiz's instructions.
    #[serde(default)]
    pub body: String,
    pub url: Option<String>,
    #[serde(default = "yes")]
    pub required: bool,
    /// A quiz's pass mark, in percent of its points.
    pub pass_mark: Option<i64>,
    /// A quiz's attempts allowed; none: as many as wanted.
    pub attempts: Option<i64>,
    #[serde(default)]
    pub questions: Vec<Question>,
    /// A reflection is done only once the trainer signs it off.
    #[serde(default)]
    pub sign_off: bool,
    /// A quiz's questions drawn afresh from the course's bank for each attempt, after
    /// its own.
    pub draw: Option<i64>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Module {
    #[serde(default)]
    pub title_zh: String,
    #[serde(default)]
    pub title_en: String,
    #[serde(default)]
    pub activities: Vec<Activity>,
}

/// A course as the trainer writes it, with the version read when it is edited.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CourseForm {
    #[serde(default)]
    pub title_zh: String,
    #[serde(default)]
    pub title_en: String,
    #[serde(default)]
    pub summary_zh: String,
    #[serde(default)]
    pub summary_en: String,
    pub category: Option<CourseCategory>,
    pub language: Option<TeachingLanguage>,
    #[serde(default)]
    pub audiences: Vec<Audience>,
    /// Hours, in tenths (6.5 hours: 65).
    pub cpd_tenths: Option<i64>,
    /// Learners may enrol themselves; else an agency admin enrols them.
    #[serde(default)]
    pub self_enrol: bool,
    /// Self-enrolment for the course's own agency's staff only.
    #[serde(default)]
    pub own_agency_only: bool,
    pub enrol_opens: Option<NaiveDate>,
    pub enrol_closes: Option<NaiveDate>,
    /// A certificate lapses this many months after completion; none: never.
    pub certificate_months: Option<i64>,
    #[serde(default)]
    pub modules: Vec<Module>,
    /// Questions the course's quizzes draw from.
    #[serde(default)]
    pub bank: Vec<Question>,
    pub version: Option<i64>,
}

/// A course's definition once valid: what is kept as its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CourseContent {
    pub title_zh: String,
    pub title_en: String,
    pub summary_zh: String,
    pub summary_en: String,
    pub category: CourseCategory,
    pub language: TeachingLanguage,
    pub audiences: Vec<Audience>,
    pub cpd_tenths: i64,
    pub self_enrol: bool,
    pub own_agency_only: bool,
    pub enrol_opens: Option<NaiveDate>,
    pub enrol_closes: Option<NaiveDate>,
    pub certificate_months: Option<i64>,
    pub modules: Vec<Module>,
    #[serde(default)]
    pub bank: Vec<Question>,
}

fn both(
    errors: &mut ValidationErrors,
    at: &str,
    (zh, en): (&str, &str),
    max: usize,
) -> (String, String) {
    let zh = errors
        .check(
            &format!("{at}title_zh"),
            required(one_line(zh, max), "The Chinese title"),
        )
        .unwrap_or_default();
    let en = errors
        .check(
            &format!("{at}title_en"),
            required(one_line(en, max), "The English title"),
        )
        .unwrap_or_default();
    (zh, en)
}

/// A short answer as compared: case and spacing aside.
pub fn answer_key(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl Question {
    fn parse(&self, at: &str, errors: &mut ValidationErrors) -> Question {
        let prompt_zh = errors
            .check(
                &format!("{at}prompt_zh"),
                required(paragraphs(&self.prompt_zh, 2000), "The Chinese question"),
            )
            .unwrap_or_default();
        let prompt_en = errors
            .check(
                &format!("{at}prompt_en"),
                required(paragraphs(&self.prompt_en, 2000), "The English question"),
            )
            .unwrap_or_default();
        let mut choices = Vec::new();
        for (i, choice) in self.choices.iter().take(OPTIONS_MAX + 1).enumerate() {
            let zh = errors.check(
                &format!("{at}choices.{i}.zh"),
                required(one_line(&choice.zh, 500), "The choice"),
            );
            let en = errors.check(
                &format!("{at}choices.{i}.en"),
                required(one_line(&choice.en, 500), "The choice"),
            );
            choices.push(Choice {
                zh: zh.unwrap_or_default(),
                en: en.unwrap_or_default(),
            });
        }
        let correct: Vec<usize> = self
            .correct
            .iter()
            .copied()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let accepted: Vec<String> = self
            .accepted
            .iter()
            .map(|a| answer_key(a))
            .filter(|a| !a.is_empty())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let options = match self.kind {
            QuestionKind::TrueFalse => 2,
            _ => choices.len(),
        };
        let problem = match self.kind {
            QuestionKind::SingleChoice | QuestionKind::MultipleChoice
                if !(2..=OPTIONS_MAX).contains(&choices.len()) =>
            {
                Some(("choices", format!("Give from 2 to {OPTIONS_MAX} choices")))
            }
            QuestionKind::TrueFalse | QuestionKind::ShortAnswer if !choices.is_empty() => {
                Some(("choices", "This kind of question has no choices".to_owned()))
            }
            QuestionKind::ShortAnswer if accepted.is_empty() => {
                Some(("accepted", "Give at least one accepted answer".to_owned()))
            }
            QuestionKind::ShortAnswer => None,
            _ if correct.is_empty() || correct.iter().any(|c| *c >= options) => Some((
                "correct",
                "Mark the right answer among the choices".to_owned(),
            )),
            QuestionKind::SingleChoice | QuestionKind::TrueFalse if correct.len() != 1 => Some((
                "correct",
                "This kind of question has one right answer".to_owned(),
            )),
            _ => None,
        };
        if let Some((field, message)) = problem {
            errors.add(&format!("{at}{field}"), "invalid_question", message);
        }
        if !(1..=100).contains(&self.points) {
            errors.add(
                &format!("{at}points"),
                "out_of_range",
                "Points are from 1 to 100",
            );
        }
        Question {
            kind: self.kind,
            prompt_zh,
            prompt_en,
            choices,
            correct,
            accepted,
            points: self.points,
        }
    }
}

impl Activity {
    fn parse(
        &self,
        at: &str,
        (errors, keys): (&mut ValidationErrors, &mut BTreeSet<String>),
        bank: usize,
    ) -> Activity {
        let (title_zh, title_en) = both(errors, at, (&self.title_zh, &self.title_en), TITLE_MAX);
        let body = errors
            .check(&format!("{at}body"), paragraphs(&self.body, TEXT_MAX))
            .unwrap_or_default();
        let url = errors
            .check(&format!("{at}url"), web_link(self.url.as_deref()))
            .flatten();
        let key = self.key.trim().to_owned();
        if !key.is_empty() && !keys.insert(key.clone()) {
            errors.add(
                &format!("{at}key"),
                "duplicate_key",
                "Two activities have this key",
            );
        }
        match self.kind {
            ActivityKind::Page if body.is_empty() => {
                errors.add(&format!("{at}body"), "required", "A page needs its text")
            }
            ActivityKind::Link if url.is_none() => {
                errors.add(&format!("{at}url"), "required", "A link needs its address")
            }
            ActivityKind::Reflection if body.is_empty() => errors.add(
                &format!("{at}body"),
                "required",
                "A reflection needs its prompt",
            ),
            ActivityKind::Discussion if body.is_empty() => errors.add(
                &format!("{at}body"),
                "required",
                "A discussion needs its prompt",
            ),
            _ => {}
        }
        if self.sign_off && self.kind != ActivityKind::Reflection {
            errors.add(
                &format!("{at}sign_off"),
                "not_allowed",
                "Only a reflection is signed off",
            );
        }
        let quiz = self.kind == ActivityKind::Quiz;
        let drawn = self.draw.unwrap_or(0);
        if quiz {
            let asked = self.questions.len() as i64 + drawn;
            if !(1..=QUESTIONS_MAX as i64).contains(&asked) {
                errors.add(
                    &format!("{at}questions"),
                    "required",
                    format!("A quiz asks from 1 to {QUESTIONS_MAX} questions, its own and drawn"),
                );
            }
            if self.draw.is_some() && !(1..=bank as i64).contains(&drawn) {
                errors.add(
                    &format!("{at}draw"),
                    "out_of_range",
                    format!("Draw from 1 to the {bank} questions of the course's bank"),
                );
            }
            if !self.pass_mark.is_some_and(|m| (1..=100).contains(&m)) {
                errors.add(
                    &format!("{at}pass_mark"),
                    "out_of_range",
                    "A quiz's pass mark is from 1 to 100 per cent",
                );
            }
            if self.attempts.is_some_and(|a| !(1..=20).contains(&a)) {
                errors.add(
                    &format!("{at}attempts"),
                    "out_of_range",
                    "Attempts are from 1 to 20",
                );
            }
        } else if !self.questions.is_empty()
            || self.pass_mark.is_some()
            || self.attempts.is_some()
            || self.draw.is_some()
        {
            errors.add(
                &format!("{at}questions"),
                "not_allowed",
                "Only a quiz has questions, a pass mark, attempts and a draw",
            );
        }
        let questions = self
            .questions
            .iter()
            .take(QUESTIONS_MAX)
            .enumerate()
            .map(|(i, q)| q.parse(&format!("{at}questions.{i}."), errors))
            .collect();
        Activity {
            key,
            kind: self.kind,
            title_zh,
            title_en,
            body,
            url,
            required: self.required,
            pass_mark: self.pass_mark.filter(|_| quiz),
            attempts: self.attempts.filter(|_| quiz),
            questions,
            sign_off: self.sign_off && self.kind == ActivityKind::Reflection,
            draw: self.draw.filter(|_| quiz),
        }
    }
}

impl CourseForm {
    /// The course once valid, its activities without keys still keyless: the server gives
    /// them theirs.
    pub fn parse(&self) -> Result<CourseContent, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let (title_zh, title_en) =
            both(&mut errors, "", (&self.title_zh, &self.title_en), TITLE_MAX);
        let summary_zh = errors.check(
            "summary_zh",
            required(paragraphs(&self.summary_zh, 4000), "The Chinese summary"),
        );
        let summary_en = errors.check(
            "summary_en",
            required(paragraphs(&self.summary_en, 4000), "The English summary"),
        );
        let category = errors.check(
            "category",
            self.category.ok_or_else(|| missing("The category")),
        );
        let language = errors.check(
            "language",
            self.language.ok_or_else(|| missing("The language")),
        );
        let audiences: Vec<Audience> = self
            .audiences
            .iter()
            .copied()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if audiences.is_empty() {
            errors.add("audiences", "required", "Choose at least one audience");
        }
        let cpd_tenths = errors.check(
            "cpd_tenths",
            match self.cpd_tenths {
                Some(t) if (1..=CPD_TENTHS_MAX).contains(&t) => Ok(t),
                Some(_) => Err(FieldError::new(
                    "out_of_range",
                    "CPD hours are from 0.1 to 200",
                )),
                None => Err(missing("The CPD hours")),
            },
        );
        if let (Some(opens), Some(closes)) = (self.enrol_opens, self.enrol_closes) {
            if closes < opens {
                errors.add(
                    "enrol_closes",
                    "before_start",
                    "Enrolment closes before it opens",
                );
            }
        }
        if self
            .certificate_months
            .is_some_and(|m| !(1..=120).contains(&m))
        {
            errors.add(
                "certificate_months",
                "out_of_range",
                "A certificate lasts from 1 to 120 months",
            );
        }
        if !(1..=MODULES_MAX).contains(&self.modules.len()) {
            errors.add(
                "modules",
                "required",
                format!("A course has from 1 to {MODULES_MAX} modules"),
            );
        }
        if self.bank.len() > BANK_MAX {
            errors.add(
                "bank",
                "too_many",
                format!("A bank holds at most {BANK_MAX} questions"),
            );
        }
        let bank: Vec<Question> = self
            .bank
            .iter()
            .take(BANK_MAX)
            .enumerate()
            .map(|(i, q)| q.parse(&format!("bank.{i}."), &mut errors))
            .collect();
        let mut keys = BTreeSet::new();
        let modules: Vec<Module> = self
            .modules
            .iter()
            .take(MODULES_MAX)
            .enumerate()
            .map(|(m, module)| {
                let at = format!("modules.{m}.");
                let (title_zh, title_en) = both(
                    &mut errors,
                    &at,
                    (&module.title_zh, &module.title_en),
                    TITLE_MAX,
                );
                if !(1..=ACTIVITIES_MAX).contains(&module.activities.len()) {
                    errors.add(
                        &format!("{at}activities"),
                        "required",
                        format!("A module has from 1 to {ACTIVITIES_MAX} activities"),
                    );
                }
                let activities = module
                    .activities
                    .iter()
                    .take(ACTIVITIES_MAX)
                    .enumerate()
                    .map(|(a, activity)| {
                        activity.parse(
                            &format!("{at}activities.{a}."),
                            (&mut errors, &mut keys),
                            self.bank.len(),
                        )
                    })
                    .collect();
                Module {
                    title_zh,
                    title_en,
                    activities,
                }
            })
            .collect();
        if !modules
            .iter()
            .flat_map(|m| &m.activities)
            .any(|a| a.required)
        {
            errors.add(
                "modules",
                "no_required_activity",
                "At least one activity is required for completion",
            );
        }
        if let Some(version) = self.version {
            if version < 1 {
                errors.add("version", "out_of_range", "A version is 1 or more");
            }
        }
        match (summary_zh, summary_en, category, language, cpd_tenths) {
            (
                Some(summary_zh),
                Some(summary_en),
                Some(category),
                Some(language),
                Some(cpd_tenths),
            ) if errors.is_empty() => Ok(CourseContent {
                title_zh,
                title_en,
                summary_zh,
                summary_en,
                category,
                language,
                audiences,
                cpd_tenths,
                self_enrol: self.self_enrol,
                own_agency_only: self.own_agency_only,
                enrol_opens: self.enrol_opens,
                enrol_closes: self.enrol_closes,
                certificate_months: self.certificate_months,
                modules,
                bank,
            }),
            _ => Err(errors),
        }
    }
}

impl CourseContent {
    pub fn activities(&self) -> impl Iterator<Item = &Activity> {
        self.modules.iter().flat_map(|m| &m.activities)
    }

    pub fn activity(&self, key: &str) -> Option<&Activity> {
        self.activities().find(|a| a.key == key)
    }

    /// Complete once every required activity is done.
    pub fn completed_by(&self, done: &BTreeSet<String>) -> bool {
        self.activities()
            .filter(|a| a.required)
            .all(|a| done.contains(&a.key))
    }

    /// The quiz as set for one attempt of one enrolment: its own questions, then those it
    /// draws from the bank, chosen by the enrolment and attempt alone, so that the paper
    /// shown and the paper scored are the same without keeping it.
    pub fn paper(&self, quiz: &Activity, (enrolment_id, attempt): (&str, i64)) -> Activity {
        let mut paper = quiz.clone();
        let wanted = quiz.draw.unwrap_or(0).clamp(0, self.bank.len() as i64) as usize;
        let mut order: Vec<usize> = (0..self.bank.len()).collect();
        let mut state = fnv1a(format!("{enrolment_id}/{}/{attempt}", quiz.key).as_bytes());
        for i in 0..wanted {
            state = splitmix(state);
            let j = i + (state % (order.len() - i) as u64) as usize;
            order.swap(i, j);
        }
        paper
            .questions
            .extend(order[..wanted].iter().map(|&i| self.bank[i].clone()));
        paper
    }

    /// The activity's place in the course, as a form's fields are named
    /// (`modules.0.activities.2`).
    pub fn path_of(&self, key: &str) -> Option<String> {
        self.modules.iter().enumerate().find_map(|(m, module)| {
            let a = module.activities.iter().position(|a| a.key == key)?;
            Some(format!("modules.{m}.activities.{a}"))
        })
    }

    /// Where a learner takes up again: the first activity not done.
    pub fn resume_at(&self, done: &BTreeSet<String>) -> Option<&Activity> {
        self.activities().find(|a| !done.contains(&a.key))
    }
}

/// FNV-1a: the same bytes give the same number on every platform.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// SplitMix64's step: a well-spread sequence from any seed.
fn splitmix(state: u64) -> u64 {
    let mut z = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A learner's answer to one question: the choices ticked, or the words written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Answer {
    #[serde(default)]
    pub chosen: Vec<usize>,
    #[serde(default)]
    pub text: String,
}

/// A quiz's result: points won of points possible, and whether at the pass mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Score {
    pub points: i64,
    pub out_of: i64,
    pub passed: bool,
}

/// Scores a quiz: a question wins its points when answered exactly right (every right
/// choice and no other; a short answer among those accepted). Unanswered counts wrong.
pub fn score(quiz: &Activity, answers: &[Answer]) -> Score {
    let out_of: i64 = quiz.questions.iter().map(|q| q.points).sum();
    let points = quiz
        .questions
        .iter()
        .enumerate()
        .filter(|(i, q)| {
            answers.get(*i).is_some_and(|a| match q.kind {
                QuestionKind::ShortAnswer => q.accepted.contains(&answer_key(&a.text)),
                _ => a
                    .chosen
                    .iter()
                    .copied()
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .eq(q.correct.iter().copied()),
            })
        })
        .map(|(_, q)| q.points)
        .sum();
    let pass_mark = quiz.pass_mark.unwrap_or(100);
    Score {
        points,
        out_of,
        // Whole numbers: points × 100 ≥ mark × total, with no fraction to round.
        passed: out_of > 0 && points * 100 >= pass_mark * out_of,
    }
}

/// A course as listed: what a learner chooses by.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CourseSummary {
    pub id: String,
    pub title_zh: String,
    pub title_en: String,
    pub category: CourseCategory,
    pub language: TeachingLanguage,
    pub cpd_tenths: i64,
    pub status: CourseStatus,
    pub trainer: crate::cases::StaffRef,
    /// The reader's own enrolment, if any: done of required, and when completed.
    pub enrolled: bool,
    pub completed_at: Option<DateTime<Utc>>,
}

/// An activity as a learner sees it: without a quiz's answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct LearnerActivity {
    pub key: String,
    pub kind: ActivityKind,
    pub title_zh: String,
    pub title_en: String,
    pub body: String,
    pub url: Option<String>,
    pub required: bool,
    pub pass_mark: Option<i64>,
    pub attempts: Option<i64>,
    pub questions: Vec<LearnerQuestion>,
    pub sign_off: bool,
    pub done: bool,
    pub attempts_used: i64,
    pub best: Option<Score>,
    /// The learner's reflection, once written.
    pub reflection: Option<Reflection>,
    /// A file activity's file, once the trainer has kept one.
    pub file: Option<ActivityFile>,
}

/// The file kept on a file activity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ActivityFile {
    pub activity_key: String,
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: i64,
    pub uploaded_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct LearnerQuestion {
    pub kind: QuestionKind,
    pub prompt_zh: String,
    pub prompt_en: String,
    pub choices: Vec<Choice>,
}

impl From<&Question> for LearnerQuestion {
    fn from(q: &Question) -> Self {
        LearnerQuestion {
            kind: q.kind,
            prompt_zh: q.prompt_zh.clone(),
            prompt_en: q.prompt_en.clone(),
            choices: q.choices.clone(),
        }
    }
}

stored_codes! {
    pub enum ReflectionStatus {
        /// Written, and waiting for the trainer's sign-off.
        Submitted = "submitted",
        /// Signed off: the activity is done.
        SignedOff = "signed_off",
        /// Sent back by the trainer with feedback, to be written again.
        Returned = "returned",
        /// Written where no sign-off is asked: the activity is done.
        Accepted = "accepted",
    }
}

pub const REFLECTION_MAX: usize = 4000;

/// A learner's reflection as kept: what they wrote, and what the trainer said of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Reflection {
    pub text: String,
    pub status: ReflectionStatus,
    pub feedback: Option<String>,
    pub submitted_at: DateTime<Utc>,
    pub version: i64,
}

/// A reflection written (or written again after it was returned).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReflectionForm {
    #[serde(default)]
    pub text: String,
}

impl ReflectionForm {
    pub fn parse(&self) -> Result<String, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let text = errors.check(
            "text",
            required(paragraphs(&self.text, REFLECTION_MAX), "Your reflection"),
        );
        errors.into_result(|| text.unwrap_or_default())
    }
}

stored_codes! {
    pub enum ReviewDecision {
        SignOff = "sign_off",
        Return = "return",
    }
}

/// The trainer's decision on a reflection, at the version read; returning one says why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReflectionReview {
    pub decision: ReviewDecision,
    #[serde(default)]
    pub feedback: String,
    pub version: i64,
}

impl ReflectionReview {
    /// The feedback, if any; required when the reflection is returned.
    pub fn parse(&self) -> Result<Option<String>, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let feedback = errors
            .check("feedback", paragraphs(&self.feedback, REFLECTION_MAX))
            .unwrap_or_default();
        if self.decision == ReviewDecision::Return && feedback.is_empty() {
            errors.add(
                "feedback",
                "required",
                "Say what the learner should write again",
            );
        }
        errors.into_result(|| Some(feedback).filter(|f| !f.is_empty()))
    }
}

/// A reflection waiting for its trainer's sign-off.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PendingReflection {
    pub enrolment_id: String,
    pub learner: crate::cases::StaffRef,
    pub activity_key: String,
    pub activity_title_zh: String,
    pub activity_title_en: String,
    pub prompt: String,
    pub reflection: Reflection,
}

/// A module as a learner sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct LearnerModule {
    pub title_zh: String,
    pub title_en: String,
    pub activities: Vec<LearnerActivity>,
}

/// A course as its reader sees it: a learner without the answers, with their progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct LearnerCourse {
    pub id: String,
    pub title_zh: String,
    pub title_en: String,
    pub summary_zh: String,
    pub summary_en: String,
    pub category: CourseCategory,
    pub language: TeachingLanguage,
    pub audiences: Vec<Audience>,
    pub cpd_tenths: i64,
    pub status: CourseStatus,
    pub trainer: crate::cases::StaffRef,
    pub enrol_opens: Option<NaiveDate>,
    pub enrol_closes: Option<NaiveDate>,
    /// Why the reader may not enrol themselves now; none when they may (or are enrolled).
    pub enrol_refused: Option<String>,
    pub enrolled: bool,
    /// The latest enrolment is completed and its certificate is due for renewal: the
    /// learner may enrol again (unless `enrol_refused` says why not).
    pub renewal_due: bool,
    pub modules: Vec<LearnerModule>,
    /// The first activity not done: where to take up again.
    pub resume_at: Option<String>,
    pub completed_at: Option<DateTime<Utc>>,
    pub certificate: Option<String>,
    /// The trainer of the course may edit it.
    pub may_edit: bool,
    pub version: i64,
}

/// A course's definition as its trainer edits it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CourseDefinition {
    pub id: String,
    pub status: CourseStatus,
    pub content: CourseContent,
    /// The files kept on its file activities.
    pub files: Vec<ActivityFile>,
    pub version: i64,
}

/// A course published, or archived, at the version read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CourseStatusForm {
    pub to: CourseStatus,
    pub version: i64,
}

impl CourseStatus {
    /// A draft is published; a published course is archived (its learners keep what they
    /// completed); nothing goes back.
    pub fn may_become(self, to: CourseStatus) -> bool {
        matches!(
            (self, to),
            (CourseStatus::Draft, CourseStatus::Published)
                | (CourseStatus::Published, CourseStatus::Archived)
        )
    }
}

/// A learner's answers to a quiz, in the order of its questions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AttemptForm {
    #[serde(default)]
    pub answers: Vec<Answer>,
}

/// What an attempt came to, and the course after it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AttemptResult {
    pub score: Score,
    pub attempt: i64,
    pub course: LearnerCourse,
}

stored_codes! {
    pub enum CertificateStatus {
        Valid = "valid",
        Expired = "expired",
        Revoked = "revoked",
    }
}

/// A certificate as anyone may verify it: what it says, and whether it stands. Nothing
/// else about the person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Certificate {
    pub code: String,
    pub learner_name: String,
    pub course_title_zh: String,
    pub course_title_en: String,
    pub cpd_tenths: i64,
    pub completed_on: NaiveDate,
    pub issuer_zh: String,
    pub issuer_en: String,
    pub expires_on: Option<NaiveDate>,
    pub status: CertificateStatus,
    pub revoked_on: Option<NaiveDate>,
}

/// How many days ahead a certificate's expiry is shown to its holder and to those who
/// follow them, unless the deployment says otherwise.
pub const REMINDER_DAYS_DEFAULT: i64 = 60;

/// Whether a certificate expiring on `expires_on` is due for renewal on `today`: it
/// expires within `days` days (that day included) or has expired. Its holder is then
/// reminded and may enrol in its course again. One that never expires never is.
pub fn renewal_due(expires_on: Option<NaiveDate>, today: NaiveDate, days: i64) -> bool {
    expires_on.is_some_and(|day| (day - today).num_days() <= days)
}

/// A certificate due for renewal and not yet renewed (no later certificate of its course
/// stands), with its course and holder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ExpiringCertificate {
    pub certificate: Certificate,
    pub course_id: String,
    pub username: String,
    /// Days until it expires: 0 on its last valid day, below 0 once expired.
    pub days_left: i64,
    /// Enrolled in the course again, not yet completed.
    pub renewing: bool,
}

/// Certificates due for renewal, those expiring first, a page at a time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ExpiringList {
    pub items: Vec<ExpiringCertificate>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    /// How many days ahead is shown.
    pub within_days: i64,
}

/// The catalogue asked for: words of either title, a page at a time.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct CourseQuery {
    /// Words each of which must be in the Chinese or the English title.
    pub q: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// The catalogue's search once valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseSearch {
    pub words: Vec<String>,
    pub page: i64,
    pub per_page: i64,
}

impl CourseQuery {
    pub fn parse(&self) -> Result<CourseSearch, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let q = errors
            .check("q", one_line(self.q.as_deref().unwrap_or(""), QUERY_MAX))
            .unwrap_or_default();
        let (page, per_page) = crate::paging::window(self.page, self.per_page, &mut errors);
        errors.into_result(|| CourseSearch {
            words: q
                .split(' ')
                .filter(|w| !w.is_empty())
                .map(str::to_owned)
                .collect(),
            page,
            per_page,
        })
    }
}

/// A page of the catalogue, the latest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CourseList {
    pub items: Vec<CourseSummary>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// Hours in tenths as a person reads them: 65 is "6.5", 60 is "6".
pub fn hours(tenths: i64) -> String {
    if tenths % 10 == 0 {
        (tenths / 10).to_string()
    } else {
        format!("{}.{}", tenths / 10, tenths % 10)
    }
}

/// Why a certificate is withdrawn, for the record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RevokeForm {
    #[serde(default)]
    pub reason: String,
}

impl RevokeForm {
    pub fn parse(&self) -> Result<String, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let reason = errors.check(
            "reason",
            required(paragraphs(&self.reason, 2000), "The reason"),
        );
        errors.into_result(|| reason.unwrap_or_default())
    }
}

/// Staff an agency admin enrols in a course, by their usernames: typed one to a line, or a
/// CSV file from a staff list whose first line names a `username` column.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StaffEnrolmentForm {
    #[serde(default)]
    pub usernames: String,
}

/// How many people one list may enrol at once.
pub const ENROL_AT_ONCE_MAX: usize = 500;

/// The column of a staff list that holds usernames, in either language.
fn username_column(header: &[&str]) -> Option<usize> {
    header.iter().position(|name| {
        matches!(
            name.to_lowercase().as_str(),
            "username" | "user name" | "用戶名稱" | "登入名稱"
        )
    })
}

impl StaffEnrolmentForm {
    /// Each username once, with the line it is on (counted from 1, a header included), or
    /// the problems by `usernames` for the list as a whole and `usernames.{line}` for one.
    pub fn parse(&self) -> Result<Vec<(usize, String)>, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let text = self.usernames.trim_start_matches('\u{feff}');
        let mut lines = text
            .lines()
            .enumerate()
            .map(|(i, line)| (i + 1, line))
            .filter(|(_, l)| !l.trim().is_empty())
            .peekable();
        let column = lines
            .peek()
            .and_then(|(_, first)| username_column(&csv_values(first)));
        if column.is_some() {
            lines.next();
        } else if lines.peek().is_some_and(|(_, first)| first.contains(',')) {
            errors.add(
                "usernames",
                "no_username_column",
                "A CSV file's first line names its columns, one of them username",
            );
            return Err(errors);
        }
        let mut seen = BTreeSet::new();
        let mut usernames = Vec::new();
        for (line, text) in lines {
            let values = csv_values(text);
            let name = values.get(column.unwrap_or(0)).copied().unwrap_or("");
            let name = name.trim().to_lowercase();
            if name.is_empty() || name.chars().any(char::is_whitespace) {
                errors.add(
                    &format!("usernames.{line}"),
                    "not_a_username",
                    format!("Line {line}: no username"),
                );
            } else if seen.insert(name.clone()) {
                usernames.push((line, name));
            }
        }
        if usernames.len() > ENROL_AT_ONCE_MAX {
            errors.add(
                "usernames",
                "too_many",
                format!("At most {ENROL_AT_ONCE_MAX} people at once"),
            );
        } else if usernames.is_empty() && errors.is_empty() {
            errors.add("usernames", "required", "Name at least one person");
        }
        errors.into_result(|| usernames)
    }
}

/// Whom a list enrolled, and whom it named that were enrolled already.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct StaffEnrolmentResult {
    pub enrolled: Vec<crate::cases::StaffRef>,
    pub already: Vec<crate::cases::StaffRef>,
}

/// A learner is behind when this many days pass with nothing done.
pub const BEHIND_AFTER_DAYS: i64 = 14;

stored_codes! {
    /// Where a learner stands in a course, for whoever follows their progress.
    pub enum Standing {
        /// Nothing done for [`BEHIND_AFTER_DAYS`] days, or past the course's end.
        Behind = "behind",
        NotStarted = "not_started",
        InProgress = "in_progress",
        Completed = "completed",
    }
}

impl Standing {
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            Standing::Behind => ("落後", "Behind"),
            Standing::NotStarted => ("未開始", "Not started"),
            Standing::InProgress => ("進行中", "In progress"),
            Standing::Completed => ("已完成", "Completed"),
        }
    }

    /// From when the learner last did something (or enrolled, if they never did) and
    /// whether they started; behind once idle too long, or once the day the course's
    /// enrolment closes is [`BEHIND_AFTER_DAYS`] behind them without completion.
    pub fn of(
        completed: bool,
        started: bool,
        (last_step, now): (DateTime<Utc>, DateTime<Utc>),
        closes: Option<NaiveDate>,
    ) -> Standing {
        let today = crate::activities::hong_kong_day(now);
        let idle = (now - last_step).num_days() >= BEHIND_AFTER_DAYS;
        let past_end = closes.is_some_and(|d| (today - d).num_days() >= BEHIND_AFTER_DAYS);
        match (completed, started) {
            (true, _) => Standing::Completed,
            _ if idle || past_end => Standing::Behind,
            (false, true) => Standing::InProgress,
            (false, false) => Standing::NotStarted,
        }
    }
}

/// One learner's progress in a course, as the course's trainer or the learner's agency
/// admin follows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct LearnerProgress {
    pub learner: crate::cases::StaffRef,
    pub agency_code: Option<String>,
    pub enrolled_at: DateTime<Utc>,
    /// Enrolled by someone else (an agency admin), not by themselves.
    pub enrolled_by_admin: bool,
    /// Required activities done, of [`CompletionReport::required`].
    pub done: i64,
    pub last_step_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    pub certificate: Option<String>,
    pub standing: Standing,
}

/// Who is enrolled in a course and how far each is, those behind first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CompletionReport {
    pub course_id: String,
    pub title_zh: String,
    pub title_en: String,
    pub required: i64,
    /// Every learner the reader follows, by standing, before the search and page.
    pub counts: Vec<(Standing, i64)>,
    pub items: Vec<LearnerProgress>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// The learners of a report asked for: by standing and name, a page at a time.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    pub standing: Option<Standing>,
    /// Words of the learner's name.
    pub q: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

impl ReportQuery {
    pub fn window(&self) -> Result<(i64, i64), ValidationErrors> {
        crate::paging::searched(self.q.as_deref(), self.page, self.per_page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_catalogue_search_is_its_words_and_a_page() {
        let query = CourseQuery {
            q: Some("  家庭  Meetings ".into()),
            page: Some(2),
            per_page: None,
        };
        let search = query.parse().unwrap();
        assert_eq!(search.words, vec!["家庭", "Meetings"]);
        assert_eq!(
            (search.page, search.per_page),
            (2, crate::paging::PER_PAGE_DEFAULT)
        );
        let bad = CourseQuery {
            q: Some("字".repeat(QUERY_MAX + 1)),
            page: Some(0),
            per_page: None,
        };
        let fields: Vec<String> = bad.parse().unwrap_err().0.into_keys().collect();
        assert_eq!(fields, vec!["page", "q"]);
    }

    #[test]
    fn a_certificate_is_due_from_its_reminder_day_on() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
        let expires = Some(day(31));
        assert!(!renewal_due(expires, day(1), 29));
        assert!(renewal_due(expires, day(1), 30), "the boundary day is due");
        assert!(renewal_due(expires, day(31), 0));
        assert!(renewal_due(Some(day(1)), day(31), 60), "expired");
        assert!(!renewal_due(None, day(1), 60));
    }

    fn quiz() -> Activity {
        Activity {
            key: "q".into(),
            kind: ActivityKind::Quiz,
            title_zh: "測驗".into(),
            title_en: "Quiz".into(),
            body: String::new(),
            url: None,
            required: true,
            pass_mark: Some(70),
            attempts: Some(2),
            sign_off: false,
            draw: None,
            questions: vec![
                Question {
                    kind: QuestionKind::MultipleChoice,
                    prompt_zh: "哪些是風險因素？".into(),
                    prompt_en: "Which are risk factors?".into(),
                    choices: vec![
                        Choice {
                            zh: "酗酒".into(),
                            en: "Drinking".into(),
                        },
                        Choice {
                            zh: "社會支援".into(),
                            en: "Social support".into(),
                        },
                        Choice {
                            zh: "過往暴力".into(),
                            en: "Past violence".into(),
                        },
                    ],
                    correct: vec![0, 2],
                    accepted: vec![],
                    points: 2,
                },
                Question {
                    kind: QuestionKind::TrueFalse,
                    prompt_zh: "第650章要求通報。".into(),
                    prompt_en: "Cap. 650 requires reporting.".into(),
                    choices: vec![],
                    correct: vec![0],
                    accepted: vec![],
                    points: 1,
                },
                Question {
                    kind: QuestionKind::ShortAnswer,
                    prompt_zh: "保護兒童熱線的機構？".into(),
                    prompt_en: "Which department runs the hotline?".into(),
                    choices: vec![],
                    correct: vec![],
                    accepted: vec!["swd".into(), "社會福利署".into()],
                    points: 1,
                },
            ],
        }
    }

    #[test]
    fn a_question_wins_its_points_only_when_exactly_right() {
        let quiz = quiz();
        let answer = |chosen: Vec<usize>, text: &str| Answer {
            chosen,
            text: text.into(),
        };
        let all_right = [
            answer(vec![2, 0], ""),
            answer(vec![0], ""),
            answer(vec![], "  SWD "),
        ];
        assert_eq!(
            score(&quiz, &all_right),
            Score {
                points: 4,
                out_of: 4,
                passed: true
            }
        );
        let one_short = [
            answer(vec![0], ""),
            answer(vec![0], ""),
            answer(vec![], "社會福利署"),
        ];
        assert_eq!(
            score(&quiz, &one_short),
            Score {
                points: 2,
                out_of: 4,
                passed: false
            }
        );
        let three_of_four = [
            answer(vec![0, 2], ""),
            answer(vec![1], ""),
            answer(vec![], "社會福利署"),
        ];
        assert_eq!(
            score(&quiz, &three_of_four),
            Score {
                points: 3,
                out_of: 4,
                passed: true
            }
        );
        assert!(!score(&quiz, &[]).passed);
    }

    fn form() -> CourseForm {
        CourseForm {
            title_zh: "風險評估".into(),
            title_en: "Risk assessment".into(),
            summary_zh: "課程簡介".into(),
            summary_en: "About the course".into(),
            category: Some(CourseCategory::DomesticViolence),
            language: Some(TeachingLanguage::Cantonese),
            audiences: vec![Audience::SocialWorkers],
            cpd_tenths: Some(65),
            self_enrol: true,
            modules: vec![Module {
                title_zh: "單元一".into(),
                title_en: "Module 1".into(),
                activities: vec![
                    Activity {
                        key: String::new(),
                        kind: ActivityKind::Page,
                        title_zh: "閱讀".into(),
                        title_en: "Reading".into(),
                        body: "內容".into(),
                        url: None,
                        required: true,
                        pass_mark: None,
                        attempts: None,
                        questions: vec![],
                        sign_off: false,
                        draw: None,
                    },
                    quiz(),
                ],
            }],
            ..Default::default()
        }
    }

    #[test]
    fn a_quiz_draws_the_same_paper_for_the_same_attempt_and_another_for_the_next() {
        let mut form = form();
        form.bank = quiz().questions.into_iter().cycle().take(12).collect();
        for (i, question) in form.bank.iter_mut().enumerate() {
            question.prompt_en = format!("Bank {i}");
        }
        form.modules[0].activities[1].draw = Some(4);
        let course = form.parse().unwrap();
        let quiz = course.activities().nth(1).unwrap();
        let prompts = |attempt| -> Vec<String> {
            course
                .paper(quiz, ("enrolment", attempt))
                .questions
                .iter()
                .map(|q| q.prompt_en.clone())
                .collect()
        };
        let first = prompts(1);
        assert_eq!(first.len(), 7, "its own three and four drawn: {first:?}");
        assert_eq!(
            first[..3],
            quiz.questions
                .iter()
                .map(|q| q.prompt_en.clone())
                .collect::<Vec<_>>()[..]
        );
        assert_eq!(first, prompts(1));
        assert_ne!(first, prompts(2));
        let drawn: BTreeSet<&String> = first[3..].iter().collect();
        assert_eq!(drawn.len(), 4, "no question twice");
        let mut bad = form.clone();
        bad.modules[0].activities[1].draw = Some(13);
        let errors = bad.parse().unwrap_err();
        assert!(errors.0.contains_key("modules.0.activities.1.draw"));
    }

    #[test]
    fn a_course_names_every_problem_by_its_path() {
        let course = form().parse().unwrap();
        let done: BTreeSet<String> = ["q".to_owned()].into();
        assert!(!course.completed_by(&done));
        assert_eq!(
            course.resume_at(&done).map(|a| a.title_en.as_str()),
            Some("Reading")
        );
        let mut bad = form();
        bad.cpd_tenths = Some(0);
        bad.modules[0].activities[1].questions[0].correct = vec![5];
        bad.modules[0].activities[1].pass_mark = None;
        bad.modules[0].activities[0].body = String::new();
        let errors = bad.parse().unwrap_err();
        let fields: Vec<&str> = errors.0.keys().map(String::as_str).collect();
        assert_eq!(
            fields,
            vec![
                "cpd_tenths",
                "modules.0.activities.0.body",
                "modules.0.activities.1.pass_mark",
                "modules.0.activities.1.questions.0.correct",
            ]
        );
    }
}
