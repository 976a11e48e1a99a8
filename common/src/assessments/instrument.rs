//! Assessment instruments and their scoring. An instrument is data, not code: its items
//! in Chinese and English, the answers offered and their values, reversed items, scales
//! with their scoring rule, severity bands and alerts. The built-in ones ship as JSON under
//! `common/instruments/`; an agency adds its own by uploading the same JSON. One scoring
//! function serves every instrument, in the browser (a live preview while answering) and
//! in the API (the score stored), and explains itself item by item: with the raw answers
//! and the instrument's version stored, any score can be recomputed and explained.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::error::{FieldError, ValidationErrors};
use crate::taxonomy::parse_code;
use crate::text::{one_line, paragraphs, required};

pub const NAME_MAX: usize = 120;
pub const TEXT_MAX: usize = 500;
pub const NOTE_MAX: usize = 4000;
pub const ITEMS_MAX: usize = 200;
pub const OPTIONS_MAX: usize = 30;
/// Bounds on values, multipliers and decimals keep every sum exact in an `i64`.
pub const VALUE_MAX: i64 = 1000;
pub const MULTIPLIER_MAX: i64 = 100;
pub const DECIMALS_MAX: u32 = 3;
pub const SEVERITY_MAX: u8 = 4;

/// An assessment instrument, as its JSON file or an agency's upload defines it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Instrument {
    /// Its key in stored assessments: lower-case letters, digits and underscores.
    pub code: String,
    /// Raised whenever wording or scoring changes; stored with every set of answers, so
    /// that a score is recomputed under the definition it was given under.
    pub version: i64,
    pub name_zh: String,
    pub name_en: String,
    pub instructions_zh: String,
    pub instructions_en: String,
    /// Source, licence and whose the Chinese wording is, for whoever chooses to use it.
    pub licence: String,
    /// The answers every item offers, in the order shown.
    pub options: Vec<ResponseOption>,
    /// Numbered 1 to n in order.
    pub items: Vec<Item>,
    pub scales: Vec<Scale>,
    #[serde(default)]
    pub alerts: Vec<Alert>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ResponseOption {
    pub value: i64,
    pub label_zh: String,
    pub label_en: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub number: u32,
    pub text_zh: String,
    pub text_en: String,
    /// Counted as the lowest value plus the highest minus the answer, so that a higher
    /// count always means the same direction on the scale.
    #[serde(default)]
    pub reversed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Method {
    Sum,
    Mean,
}

/// What a scale does when some of its items are unanswered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum MissingRule {
    /// Any item unanswered: no score.
    #[default]
    NoneAllowed,
    /// Up to `max_missing` unanswered: the mean of the answered items stands in for them
    /// (a sum is the mean times the item count, rounded half up before the multiplier).
    Prorate { max_missing: u32 },
}

/// A score, or a subscale of an instrument, computed from some of its items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Scale {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub items: Vec<u32>,
    pub method: Method,
    /// Applied last: DASS-21 doubles its subscales, WHO-5 makes a percentage with 4.
    #[serde(default = "one")]
    pub multiplier: i64,
    /// The places a mean is rounded to (half up); a sum is a whole number.
    #[serde(default)]
    pub decimals: u32,
    #[serde(default)]
    pub missing: MissingRule,
    /// Ascending by `min`; a score falls in the last band whose `min` it reaches.
    #[serde(default)]
    pub bands: Vec<Band>,
    /// Whether a higher score means the person is doing better (WHO-5, self-esteem,
    /// family functioning); most scales count symptoms, where higher is worse.
    #[serde(default)]
    pub higher_is_better: bool,
    /// The least change in score that is beyond measurement error, where the instrument's
    /// authors publish one: the outcome rule of a scale without bands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reliable_change: Option<f64>,
}

fn one() -> i64 {
    1
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// The lowest score in the band, inclusive.
    pub min: f64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// 0 (no concern) to 4: the same scale for every instrument, whichever way its
    /// scores run, so that lists can sort and colour results alike.
    pub severity: u8,
}

/// A result that needs attention now, raised when any of its conditions holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Alert {
    pub code: String,
    pub message_zh: String,
    pub message_en: String,
    pub when: Vec<AlertRule>,
}

/// Item conditions look at the answer as chosen (before reversal), so they hold as soon
/// as the item is answered, even while the rest of the form is blank.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum AlertRule {
    ItemAtLeast { item: u32, value: i64 },
    AnyItemAtMost { value: i64 },
    ScaleAtLeast { scale: String, score: f64 },
    ScaleBelow { scale: String, score: f64 },
}

/// The answers given, by item number; null (or absent) for an item left unanswered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Answers(pub BTreeMap<u32, Option<i64>>);

/// An instrument's results for a set of answers, with what they were computed from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Scoring {
    pub instrument: String,
    pub version: i64,
    /// In the instrument's order.
    pub scales: Vec<ScaleScore>,
    pub alerts: Vec<RaisedAlert>,
    /// Every item, in order: the explanation of the scores.
    pub items: Vec<ItemScore>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ScaleScore {
    pub code: String,
    /// The scale's names, so that a result reads on its own.
    pub name_zh: String,
    pub name_en: String,
    /// The sum of the answered items as counted (after reversal, before the multiplier).
    pub raw: i64,
    /// None when more items are missing than the scale allows.
    pub score: Option<f64>,
    /// The score stands in for missing items.
    pub prorated: bool,
    /// The scale's unanswered items.
    pub missing: Vec<u32>,
    pub band: Option<Band>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ItemScore {
    pub number: u32,
    pub answer: Option<i64>,
    pub reversed: bool,
    /// The value the scales add up.
    pub counted: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RaisedAlert {
    pub code: String,
    pub message_zh: String,
    pub message_en: String,
    /// The conditions that held.
    pub met: Vec<AlertRule>,
}

/// The instruments FamilyLink ships. Proprietary instruments are not among them.
const BUILTIN_JSON: [&str; 10] = [
    include_str!("../../instruments/dass21.json"),
    include_str!("../../instruments/phq9.json"),
    include_str!("../../instruments/gad7.json"),
    include_str!("../../instruments/k10.json"),
    include_str!("../../instruments/k6.json"),
    include_str!("../../instruments/who5.json"),
    include_str!("../../instruments/pss10.json"),
    include_str!("../../instruments/rses.json"),
    include_str!("../../instruments/apgar.json"),
    include_str!("../../instruments/fhhh.json"),
];

/// The built-in instruments, parsed once. The tests parse and validate every file, so a
/// broken one fails the build's tests rather than a user's page.
pub fn builtins() -> &'static [Instrument] {
    static BUILTINS: OnceLock<Vec<Instrument>> = OnceLock::new();
    BUILTINS.get_or_init(|| {
        BUILTIN_JSON
            .iter()
            .map(|json| serde_json::from_str(json).expect("a built-in instrument parses"))
            .collect()
    })
}

pub fn builtin(code: &str) -> Option<&'static Instrument> {
    builtins().iter().find(|instrument| instrument.code == code)
}

impl Instrument {
    /// An uploaded definition: well-formed JSON first, then every rule of `validate`.
    pub fn from_json(raw: &str) -> Result<Instrument, ValidationErrors> {
        let instrument: Instrument = serde_json::from_str(raw).map_err(|error| {
            let mut errors = ValidationErrors::default();
            errors.add("instrument", "invalid_json", error.to_string());
            errors
        })?;
        instrument.validate()?;
        Ok(instrument)
    }

    /// Every rule a definition must meet before anything is scored with it, each error
    /// under the path of its field (`items.3.text_en`, `scales.0.bands.2.min`).
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        errors.check("code", exact_code(&self.code));
        if self.version < 1 {
            errors.add(
                "version",
                "invalid_version",
                "The version is a whole number from 1",
            );
        }
        line(&mut errors, "name_zh", &self.name_zh, NAME_MAX);
        line(&mut errors, "name_en", &self.name_en, NAME_MAX);
        note(&mut errors, "instructions_zh", &self.instructions_zh);
        note(&mut errors, "instructions_en", &self.instructions_en);
        note(&mut errors, "licence", &self.licence);

        if !(2..=OPTIONS_MAX).contains(&self.options.len()) {
            errors.add(
                "options",
                "option_count",
                format!("From 2 to {OPTIONS_MAX} answers are offered"),
            );
        }
        let mut values = BTreeSet::new();
        for (i, option) in self.options.iter().enumerate() {
            if !(-VALUE_MAX..=VALUE_MAX).contains(&option.value) {
                errors.add(
                    &format!("options.{i}.value"),
                    "value_out_of_range",
                    format!("A value is from -{VALUE_MAX} to {VALUE_MAX}"),
                );
            } else if !values.insert(option.value) {
                errors.add(
                    &format!("options.{i}.value"),
                    "duplicate_value",
                    format!("Another answer already has the value {}", option.value),
                );
            }
            line(
                &mut errors,
                &format!("options.{i}.label_zh"),
                &option.label_zh,
                NAME_MAX,
            );
            line(
                &mut errors,
                &format!("options.{i}.label_en"),
                &option.label_en,
                NAME_MAX,
            );
        }

        if !(1..=ITEMS_MAX).contains(&self.items.len()) {
            errors.add(
                "items",
                "item_count",
                format!("From 1 to {ITEMS_MAX} items"),
            );
        }
        for (i, item) in self.items.iter().enumerate() {
            if item.number as usize != i + 1 {
                errors.add(
                    &format!("items.{i}.number"),
                    "item_out_of_order",
                    format!("Items are numbered from 1 in order: this one is {}", i + 1),
                );
            }
            line(
                &mut errors,
                &format!("items.{i}.text_zh"),
                &item.text_zh,
                TEXT_MAX,
            );
            line(
                &mut errors,
                &format!("items.{i}.text_en"),
                &item.text_en,
                TEXT_MAX,
            );
        }

        if self.scales.is_empty() {
            errors.add("scales", "required", "At least one scale is required");
        }
        let mut codes = BTreeSet::new();
        for (i, scale) in self.scales.iter().enumerate() {
            if !codes.insert(scale.code.as_str()) {
                errors.add(
                    &format!("scales.{i}.code"),
                    "duplicate_code",
                    "Another scale has this code",
                );
            }
            let scale_errors = scale.errors(self.items.len(), self.value_range());
            errors
                .0
                .extend(scale_errors.within(&format!("scales.{i}")).0);
        }

        let mut alert_codes = BTreeSet::new();
        for (i, alert) in self.alerts.iter().enumerate() {
            let field = |name: &str| format!("alerts.{i}.{name}");
            if errors
                .check(&field("code"), exact_code(&alert.code))
                .is_some()
                && !alert_codes.insert(alert.code.as_str())
            {
                errors.add(
                    &field("code"),
                    "duplicate_code",
                    "Another alert has this code",
                );
            }
            line(
                &mut errors,
                &field("message_zh"),
                &alert.message_zh,
                TEXT_MAX,
            );
            line(
                &mut errors,
                &field("message_en"),
                &alert.message_en,
                TEXT_MAX,
            );
            if alert.when.is_empty() {
                errors.add(
                    &field("when"),
                    "required",
                    "At least one condition is required",
                );
            }
            for (j, rule) in alert.when.iter().enumerate() {
                match rule {
                    AlertRule::ItemAtLeast { item, .. } if !self.has_item(*item) => errors.add(
                        &field(&format!("when.{j}.item")),
                        "unknown_item",
                        format!("The instrument has no item {item}"),
                    ),
                    AlertRule::ScaleAtLeast { scale, .. } | AlertRule::ScaleBelow { scale, .. }
                        if !codes.contains(scale.as_str()) =>
                    {
                        errors.add(
                            &field(&format!("when.{j}.scale")),
                            "unknown_scale",
                            format!("The instrument has no scale {scale}"),
                        )
                    }
                    _ => {}
                }
            }
        }
        errors.into_result(|| ())
    }

    fn has_item(&self, number: u32) -> bool {
        self.items.iter().any(|item| item.number == number)
    }

    /// The lowest and highest values an answer can have.
    fn value_range(&self) -> (i64, i64) {
        let values = self.options.iter().map(|option| option.value);
        (values.clone().min().unwrap_or(0), values.max().unwrap_or(0))
    }
}

impl Scale {
    /// What is wrong with the scale, named within it (`bands.2.min`).
    fn errors(&self, item_count: usize, (low, high): (i64, i64)) -> ValidationErrors {
        let mut errors = ValidationErrors::default();
        errors.check("code", exact_code(&self.code));
        line(&mut errors, "name_zh", &self.name_zh, NAME_MAX);
        line(&mut errors, "name_en", &self.name_en, NAME_MAX);
        if self.items.is_empty() {
            errors.add("items", "required", "A scale counts at least one item");
        }
        let mut seen = BTreeSet::new();
        for (j, &item) in self.items.iter().enumerate() {
            if item == 0 || item as usize > item_count {
                errors.add(
                    &format!("items.{j}"),
                    "unknown_item",
                    format!("The instrument has no item {item}"),
                );
            } else if !seen.insert(item) {
                errors.add(
                    &format!("items.{j}"),
                    "duplicate_item",
                    format!("Item {item} is counted twice"),
                );
            }
        }
        if !(1..=MULTIPLIER_MAX).contains(&self.multiplier) {
            errors.add(
                "multiplier",
                "invalid_multiplier",
                format!("A whole number from 1 to {MULTIPLIER_MAX}"),
            );
        }
        if self.decimals > DECIMALS_MAX {
            errors.add(
                "decimals",
                "invalid_decimals",
                format!("At most {DECIMALS_MAX} decimal places"),
            );
        }
        if let MissingRule::Prorate { max_missing } = self.missing {
            if max_missing as usize >= self.items.len() {
                errors.add(
                    "missing.max_missing",
                    "too_many_missing",
                    "At least one item of the scale must be answered to prorate it",
                );
            }
        }

        // The scores the scale can give, so that every one of them falls in a band (in
        // floating point: the values and multiplier may be out of bounds here).
        let count = match self.method {
            Method::Sum => self.items.len() as f64,
            Method::Mean => 1.0,
        };
        let lowest = low as f64 * count * self.multiplier as f64;
        let highest = high as f64 * count * self.multiplier as f64;
        let mut codes = BTreeSet::new();
        for (j, band) in self.bands.iter().enumerate() {
            let field = |name: &str| format!("bands.{j}.{name}");
            if j == 0 && band.min > lowest {
                errors.add(
                    "bands",
                    "band_gap",
                    format!(
                        "The first band starts at {} but scores start at {lowest}: the scores between would have no band",
                        band.min
                    ),
                );
            }
            if j > 0 && band.min <= self.bands[j - 1].min {
                errors.add(
                    &field("min"),
                    "bands_not_ascending",
                    "Each band starts above the one before",
                );
            } else if band.min > highest {
                errors.add(
                    &field("min"),
                    "band_unreachable",
                    format!("The highest score is {highest}"),
                );
            }
            if errors
                .check(&field("code"), exact_code(&band.code))
                .is_some()
                && !codes.insert(band.code.as_str())
            {
                errors.add(
                    &field("code"),
                    "duplicate_code",
                    "Another band has this code",
                );
            }
            line(&mut errors, &field("name_zh"), &band.name_zh, NAME_MAX);
            line(&mut errors, &field("name_en"), &band.name_en, NAME_MAX);
            if band.severity > SEVERITY_MAX {
                errors.add(
                    &field("severity"),
                    "invalid_severity",
                    format!("From 0 to {SEVERITY_MAX}"),
                );
            } else if j > 0 {
                let before = self.bands[j - 1].severity;
                let against = if self.higher_is_better {
                    band.severity > before
                } else {
                    band.severity < before
                };
                if against {
                    errors.add(
                        &field("severity"),
                        "severity_against_direction",
                        if self.higher_is_better {
                            "Higher scores are better here: a higher band cannot be more severe"
                        } else {
                            "Higher scores are worse here: a higher band cannot be less severe"
                        },
                    );
                }
            }
        }
        if self
            .reliable_change
            .is_some_and(|c| !(c > 0.0 && c <= highest - lowest))
        {
            errors.add(
                "reliable_change",
                "invalid_reliable_change",
                format!("A change above 0 and at most {}", highest - lowest),
            );
        }
        errors
    }

    fn score(&self, items: &[ItemScore]) -> ScaleScore {
        let counted = |number: &u32| {
            items
                .iter()
                .find(|item| item.number == *number)
                .and_then(|item| item.counted)
        };
        let raw: i64 = self.items.iter().filter_map(counted).sum();
        let missing: Vec<u32> = self
            .items
            .iter()
            .copied()
            .filter(|number| counted(number).is_none())
            .collect();
        let answered = (self.items.len() - missing.len()) as i64;
        let allowed = match self.missing {
            MissingRule::NoneAllowed => 0,
            MissingRule::Prorate { max_missing } => max_missing as usize,
        };
        let score = (answered > 0 && missing.len() <= allowed).then(|| match self.method {
            Method::Sum => {
                let total = round_half_up(raw * self.items.len() as i64, answered);
                (total * self.multiplier) as f64
            }
            Method::Mean => {
                let scale = 10_i64.pow(self.decimals.min(DECIMALS_MAX));
                round_half_up(raw * self.multiplier * scale, answered) as f64 / scale as f64
            }
        });
        ScaleScore {
            code: self.code.clone(),
            name_zh: self.name_zh.clone(),
            name_en: self.name_en.clone(),
            raw,
            prorated: score.is_some() && !missing.is_empty(),
            band: score.and_then(|score| {
                self.bands
                    .iter()
                    .rev()
                    .find(|band| score >= band.min)
                    .cloned()
            }),
            score,
            missing,
        }
    }
}

/// Scores the answers to a validated instrument: every scale, its band, the alerts raised
/// and each item as counted. Partial answers give what they can (the live preview); an
/// answer to no item of the instrument, or a value it does not offer, is an error under
/// `answers.<item>`.
pub fn score(instrument: &Instrument, answers: &Answers) -> Result<Scoring, ValidationErrors> {
    let mut errors = ValidationErrors::default();
    for (&number, &value) in &answers.0 {
        let field = format!("answers.{number}");
        if !instrument.has_item(number) {
            errors.add(
                &field,
                "unknown_item",
                format!("The instrument has no item {number}"),
            );
        } else if let Some(value) = value {
            if !instrument
                .options
                .iter()
                .any(|option| option.value == value)
            {
                let offered: Vec<String> = instrument
                    .options
                    .iter()
                    .map(|option| option.value.to_string())
                    .collect();
                errors.add(
                    &field,
                    "invalid_answer",
                    format!("The answer is one of {}", offered.join(", ")),
                );
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let (low, high) = instrument.value_range();
    let items: Vec<ItemScore> = instrument
        .items
        .iter()
        .map(|item| {
            let answer = answers.0.get(&item.number).copied().flatten();
            ItemScore {
                number: item.number,
                answer,
                reversed: item.reversed,
                counted: answer.map(|value| {
                    if item.reversed {
                        low + high - value
                    } else {
                        value
                    }
                }),
            }
        })
        .collect();
    let scales: Vec<ScaleScore> = instrument
        .scales
        .iter()
        .map(|scale| scale.score(&items))
        .collect();

    let holds = |rule: &AlertRule| {
        let scale_score = |code: &str| {
            scales
                .iter()
                .find(|scale| scale.code == code)
                .and_then(|scale| scale.score)
        };
        match rule {
            AlertRule::ItemAtLeast { item, value } => items
                .iter()
                .any(|i| i.number == *item && i.answer.is_some_and(|answer| answer >= *value)),
            AlertRule::AnyItemAtMost { value } => items
                .iter()
                .any(|i| i.answer.is_some_and(|answer| answer <= *value)),
            AlertRule::ScaleAtLeast { scale, score } => {
                scale_score(scale).is_some_and(|s| s >= *score)
            }
            AlertRule::ScaleBelow { scale, score } => {
                scale_score(scale).is_some_and(|s| s < *score)
            }
        }
    };
    let alerts = instrument
        .alerts
        .iter()
        .filter_map(|alert| {
            let met: Vec<AlertRule> = alert
                .when
                .iter()
                .filter(|rule| holds(rule))
                .cloned()
                .collect();
            (!met.is_empty()).then(|| RaisedAlert {
                code: alert.code.clone(),
                message_zh: alert.message_zh.clone(),
                message_en: alert.message_en.clone(),
                met,
            })
        })
        .collect();

    Ok(Scoring {
        instrument: instrument.code.clone(),
        version: instrument.version,
        scales,
        alerts,
        items,
    })
}

/// `numerator / denominator` rounded half up, in whole numbers so that no binary fraction
/// tips a .5 the wrong way. The denominator is positive.
fn round_half_up(numerator: i64, denominator: i64) -> i64 {
    (2 * numerator + denominator).div_euclid(2 * denominator)
}

/// A code as stored: well-formed, and without the spaces `parse_code` would trim.
fn exact_code(raw: &str) -> Result<(), FieldError> {
    match parse_code(raw)? {
        code if code == raw => Ok(()),
        _ => Err(FieldError::new(
            "invalid_code",
            "A code has no spaces around it",
        )),
    }
}

fn line(errors: &mut ValidationErrors, field: &str, text: &str, max: usize) {
    errors.check(field, required(one_line(text, max), "The text"));
}

fn note(errors: &mut ValidationErrors, field: &str, text: &str) {
    errors.check(field, required(paragraphs(text, NOTE_MAX), "The text"));
}

#[cfg(test)]
mod tests {
    use super::*;

    const CODES: [&str; 10] = [
        "dass21", "phq9", "gad7", "k10", "k6", "who5", "pss10", "rses", "apgar", "fhhh",
    ];

    fn instrument(code: &str) -> &'static Instrument {
        builtin(code).unwrap_or_else(|| panic!("no built-in {code}"))
    }

    fn answers(pairs: &[(u32, i64)]) -> Answers {
        Answers(pairs.iter().map(|&(n, v)| (n, Some(v))).collect())
    }

    /// Answers to one scale's items whose counted values add up to `raw`.
    fn answers_for(instrument: &Instrument, scale: &str, raw: i64) -> Answers {
        let (low, high) = instrument.value_range();
        let scale = instrument.scales.iter().find(|s| s.code == scale).unwrap();
        let mut left = raw - low * scale.items.len() as i64;
        let mut out = BTreeMap::new();
        for &number in &scale.items {
            let counted = low + left.min(high - low);
            left -= counted - low;
            let reversed = instrument.items[number as usize - 1].reversed;
            out.insert(
                number,
                Some(if reversed {
                    low + high - counted
                } else {
                    counted
                }),
            );
        }
        assert_eq!(left, 0, "{} cannot reach {raw}", scale.code);
        Answers(out)
    }

    fn scale<'a>(scoring: &'a Scoring, code: &str) -> &'a ScaleScore {
        scoring.scales.iter().find(|s| s.code == code).unwrap()
    }

    fn alert_codes(scoring: &Scoring) -> Vec<&str> {
        scoring.alerts.iter().map(|a| a.code.as_str()).collect()
    }

    #[test]
    fn every_builtin_parses_and_validates() {
        assert_eq!(builtins().len(), CODES.len());
        for code in CODES {
            let instrument = instrument(code);
            assert_eq!(instrument.validate(), Ok(()), "{code}");
            let json = serde_json::to_string(instrument).unwrap();
            assert_eq!(&Instrument::from_json(&json).unwrap(), instrument, "{code}");
        }
        assert_eq!(builtin("bdi2"), None);
    }

    #[test]
    fn every_builtin_band_edge_both_sides() {
        // (instrument, scale, score, band): the last score of a band and the first of the
        // next. DASS-21 scores are doubled, so always even: 21 is reached from 20 to 22.
        let edges: &[(&str, &str, i64, &str)] = &[
            ("dass21", "depression", 0, "normal"),
            ("dass21", "depression", 8, "normal"),
            ("dass21", "depression", 10, "mild"),
            ("dass21", "depression", 12, "mild"),
            ("dass21", "depression", 14, "moderate"),
            ("dass21", "depression", 20, "moderate"),
            ("dass21", "depression", 22, "severe"),
            ("dass21", "depression", 26, "severe"),
            ("dass21", "depression", 28, "extremely_severe"),
            ("dass21", "depression", 42, "extremely_severe"),
            ("dass21", "anxiety", 6, "normal"),
            ("dass21", "anxiety", 8, "mild"),
            ("dass21", "anxiety", 10, "moderate"),
            ("dass21", "anxiety", 14, "moderate"),
            ("dass21", "anxiety", 16, "severe"),
            ("dass21", "anxiety", 18, "severe"),
            ("dass21", "anxiety", 20, "extremely_severe"),
            ("dass21", "stress", 14, "normal"),
            ("dass21", "stress", 16, "mild"),
            ("dass21", "stress", 18, "mild"),
            ("dass21", "stress", 20, "moderate"),
            ("dass21", "stress", 24, "moderate"),
            ("dass21", "stress", 26, "severe"),
            ("dass21", "stress", 32, "severe"),
            ("dass21", "stress", 34, "extremely_severe"),
            ("phq9", "total", 0, "minimal"),
            ("phq9", "total", 4, "minimal"),
            ("phq9", "total", 5, "mild"),
            ("phq9", "total", 9, "mild"),
            ("phq9", "total", 10, "moderate"),
            ("phq9", "total", 14, "moderate"),
            ("phq9", "total", 15, "moderately_severe"),
            ("phq9", "total", 19, "moderately_severe"),
            ("phq9", "total", 20, "severe"),
            ("phq9", "total", 27, "severe"),
            ("gad7", "total", 4, "minimal"),
            ("gad7", "total", 5, "mild"),
            ("gad7", "total", 9, "mild"),
            ("gad7", "total", 10, "moderate"),
            ("gad7", "total", 14, "moderate"),
            ("gad7", "total", 15, "severe"),
            ("gad7", "total", 21, "severe"),
            ("k10", "total", 10, "low"),
            ("k10", "total", 15, "low"),
            ("k10", "total", 16, "moderate"),
            ("k10", "total", 21, "moderate"),
            ("k10", "total", 22, "high"),
            ("k10", "total", 29, "high"),
            ("k10", "total", 30, "very_high"),
            ("k10", "total", 50, "very_high"),
            ("k6", "total", 0, "below_cutoff"),
            ("k6", "total", 12, "below_cutoff"),
            ("k6", "total", 13, "probable_serious_mental_illness"),
            ("k6", "total", 24, "probable_serious_mental_illness"),
            ("pss10", "total", 13, "low"),
            ("pss10", "total", 14, "moderate"),
            ("pss10", "total", 26, "moderate"),
            ("pss10", "total", 27, "high"),
            ("pss10", "total", 40, "high"),
            ("rses", "total", 0, "low"),
            ("rses", "total", 14, "low"),
            ("rses", "total", 15, "normal"),
            ("rses", "total", 30, "normal"),
            ("apgar", "total", 3, "severely_dysfunctional"),
            ("apgar", "total", 4, "moderately_dysfunctional"),
            ("apgar", "total", 6, "moderately_dysfunctional"),
            ("apgar", "total", 7, "highly_functional"),
            ("apgar", "total", 10, "highly_functional"),
        ];
        for &(code, scale_code, expected, band) in edges {
            let instrument = instrument(code);
            let multiplier = instrument
                .scales
                .iter()
                .find(|s| s.code == scale_code)
                .unwrap()
                .multiplier;
            let answers = answers_for(instrument, scale_code, expected / multiplier);
            let scoring = score(instrument, &answers).unwrap();
            let result = scale(&scoring, scale_code);
            let case = format!("{code} {scale_code} {expected}");
            assert_eq!(result.score, Some(expected as f64), "{case}");
            assert_eq!(
                result.band.as_ref().map(|b| b.code.as_str()),
                Some(band),
                "{case}"
            );
            assert!(!result.prorated, "{case}");
        }
        // No bands: WHO-5 is a percentage, FHHH a mean.
        let who5 = score(
            instrument("who5"),
            &answers_for(instrument("who5"), "total", 13),
        )
        .unwrap();
        assert_eq!(who5.scales[0].score, Some(52.0));
        assert_eq!(who5.scales[0].band, None);
    }

    #[test]
    fn dass21_prorates_one_missing_item_and_no_more() {
        let dass = instrument("dass21");
        // Depression is items 3, 5, 10, 13, 16, 17, 21; 21 left blank. Its other answers
        // add up to 3: 3 × 7 / 6 = 3.5, rounded half up to 4, doubled to 8.
        let mut given = answers(&[(3, 1), (5, 1), (10, 1), (13, 0), (16, 0), (17, 0)]);
        given.0.insert(21, None);
        let depression = scale(&score(dass, &given).unwrap(), "depression").clone();
        assert_eq!(depression.raw, 3);
        assert_eq!(depression.score, Some(8.0));
        assert!(depression.prorated);
        assert_eq!(depression.missing, vec![21]);
        assert_eq!(depression.band.unwrap().code, "normal");

        // 9 × 7 / 6 = 10.5 → 11 → 22, severe; 5 × 7 / 6 = 5.83 → 6 → 12, mild;
        // 2 × 7 / 6 = 2.33 → 2 → 4.
        for (answered, expected, band) in [
            ([3, 3, 3, 0, 0, 0], 22.0, "severe"),
            ([3, 2, 0, 0, 0, 0], 12.0, "mild"),
            ([1, 1, 0, 0, 0, 0], 4.0, "normal"),
        ] {
            let pairs: Vec<(u32, i64)> = [3, 5, 10, 13, 16, 17].into_iter().zip(answered).collect();
            let scoring = score(dass, &answers(&pairs)).unwrap();
            let depression = scale(&scoring, "depression");
            assert_eq!(depression.score, Some(expected), "{answered:?}");
            assert_eq!(depression.band.as_ref().unwrap().code, band);
        }

        // Two missing: no depression score; stress, fully answered, is still scored.
        let mut pairs = vec![(3, 3), (5, 3), (10, 3), (13, 3), (16, 3)];
        pairs.extend([1, 6, 8, 11, 12, 14, 18].map(|n| (n, 2)));
        let scoring = score(dass, &answers(&pairs)).unwrap();
        let depression = scale(&scoring, "depression");
        assert_eq!(depression.score, None);
        assert_eq!(depression.band, None);
        assert!(!depression.prorated);
        assert_eq!(depression.missing, vec![17, 21]);
        assert_eq!(scale(&scoring, "stress").score, Some(28.0));
        assert_eq!(scale(&scoring, "anxiety").missing.len(), 7);
    }

    #[test]
    fn any_missing_item_leaves_other_instruments_without_a_total() {
        let mut given = answers_for(instrument("phq9"), "total", 12);
        given.0.insert(4, None);
        let total = score(instrument("phq9"), &given).unwrap().scales[0].clone();
        assert_eq!(total.score, None);
        assert_eq!(total.missing, vec![4]);
        given.0.remove(&4);
        assert_eq!(
            score(instrument("phq9"), &given).unwrap().scales[0].missing,
            vec![4]
        );
    }

    #[test]
    fn reversed_items_count_the_other_way() {
        // PSS-10 reverses 4, 5, 7 and 8: "never" everywhere counts 4 on each of those.
        let pss = instrument("pss10");
        let all = |value| answers(&(1..=10).map(|n| (n, value)).collect::<Vec<_>>());
        let scoring = score(pss, &all(0)).unwrap();
        assert_eq!(scoring.scales[0].score, Some(16.0));
        assert_eq!(
            scoring.items[3],
            ItemScore {
                number: 4,
                answer: Some(0),
                reversed: true,
                counted: Some(4)
            }
        );
        assert_eq!(scoring.items[0].counted, Some(0));
        assert_eq!(score(pss, &all(4)).unwrap().scales[0].score, Some(24.0));

        // Rosenberg reverses 2, 5, 6, 8 and 9: agreeing strongly (3) with the positive
        // items and disagreeing strongly (0) with the negative ones counts 30.
        let rses = instrument("rses");
        let reversed = [2, 5, 6, 8, 9];
        let pairs: Vec<(u32, i64)> = (1..=10)
            .map(|n| (n, if reversed.contains(&n) { 0 } else { 3 }))
            .collect();
        let scoring = score(rses, &answers(&pairs)).unwrap();
        assert_eq!(scoring.scales[0].score, Some(30.0));
        assert_eq!(scoring.items[1].counted, Some(3));
        let agree_all: Vec<(u32, i64)> = (1..=10).map(|n| (n, 3)).collect();
        assert_eq!(
            score(rses, &answers(&agree_all)).unwrap().scales[0].score,
            Some(15.0)
        );
    }

    #[test]
    fn phq9_item_9_raises_the_suicide_risk_alert_at_once() {
        let phq9 = instrument("phq9");
        let mut pairs: Vec<(u32, i64)> = (1..=8).map(|n| (n, 0)).collect();
        pairs.push((9, 0));
        assert!(score(phq9, &answers(&pairs)).unwrap().alerts.is_empty());
        pairs[8] = (9, 1);
        let scoring = score(phq9, &answers(&pairs)).unwrap();
        assert_eq!(alert_codes(&scoring), ["suicide_risk"]);
        assert_eq!(scoring.scales[0].score, Some(1.0));
        assert_eq!(scoring.scales[0].band.as_ref().unwrap().code, "minimal");
        // Item 9 alone, the rest not yet answered: no total, but the alert already.
        let scoring = score(phq9, &answers(&[(9, 2)])).unwrap();
        assert_eq!(scoring.scales[0].score, None);
        assert_eq!(alert_codes(&scoring), ["suicide_risk"]);
    }

    #[test]
    fn who5_alerts_on_a_low_score_or_a_low_item() {
        let who5 = instrument("who5");
        let with = |values: [i64; 5]| {
            let pairs: Vec<(u32, i64)> = (1..=5).zip(values).collect();
            score(who5, &answers(&pairs)).unwrap()
        };
        let fine = with([2, 2, 3, 3, 3]);
        assert_eq!(fine.scales[0].score, Some(52.0));
        assert!(fine.alerts.is_empty());

        let low_score = with([2, 2, 2, 3, 3]);
        assert_eq!(low_score.scales[0].score, Some(48.0));
        assert_eq!(alert_codes(&low_score), ["screen_for_depression"]);
        assert!(matches!(
            low_score.alerts[0].met[..],
            [AlertRule::ScaleBelow { .. }]
        ));

        let low_item = with([1, 3, 3, 3, 3]);
        assert_eq!(low_item.scales[0].score, Some(52.0));
        assert_eq!(alert_codes(&low_item), ["screen_for_depression"]);
        assert!(matches!(
            low_item.alerts[0].met[..],
            [AlertRule::AnyItemAtMost { value: 1 }]
        ));
        assert!(with([5, 5, 5, 5, 0]).alerts.len() == 1);
    }

    #[test]
    fn k6_alerts_from_13() {
        let k6 = instrument("k6");
        let at = |raw| score(k6, &answers_for(k6, "total", raw)).unwrap();
        assert!(at(12).alerts.is_empty());
        assert_eq!(alert_codes(&at(13)), ["probable_serious_mental_illness"]);
        assert_eq!(alert_codes(&at(24)), ["probable_serious_mental_illness"]);
    }

    #[test]
    fn fhhh_is_the_mean_to_one_decimal() {
        let fhhh = instrument("fhhh");
        let mean = |values: &[(u32, i64)]| score(fhhh, &answers(values)).unwrap().scales[0].score;
        assert_eq!(mean(&[(1, 7), (2, 8), (3, 8)]), Some(7.7));
        assert_eq!(mean(&[(1, 7), (2, 8), (3, 9)]), Some(8.0));
        assert_eq!(mean(&[(1, 0), (2, 0), (3, 1)]), Some(0.3));
        assert_eq!(mean(&[(1, 10), (2, 10), (3, 9)]), Some(9.7));
        assert_eq!(mean(&[(1, 10), (2, 10)]), None);
        assert!(score(fhhh, &answers(&[(1, 0), (2, 0), (3, 0)]))
            .unwrap()
            .alerts
            .is_empty());
    }

    #[test]
    fn answers_to_no_item_or_out_of_range_are_errors() {
        let dass = instrument("dass21");
        let errors = score(dass, &answers(&[(1, 4), (2, 3), (22, 0), (0, 1)])).unwrap_err();
        assert_eq!(errors.0["answers.1"].code, "invalid_answer");
        assert_eq!(
            errors.0["answers.1"].message,
            "The answer is one of 0, 1, 2, 3"
        );
        assert_eq!(errors.0["answers.22"].code, "unknown_item");
        assert_eq!(errors.0["answers.0"].code, "unknown_item");
        assert_eq!(errors.0.len(), 3);
        // K10 answers run from 1: 0 is not one of them.
        let errors = score(instrument("k10"), &answers(&[(3, 0)])).unwrap_err();
        assert_eq!(errors.0["answers.3"].code, "invalid_answer");
    }

    #[test]
    fn rounding_is_half_up() {
        assert_eq!(round_half_up(7, 2), 4);
        assert_eq!(round_half_up(5, 2), 3);
        assert_eq!(round_half_up(7, 3), 2);
        assert_eq!(round_half_up(8, 3), 3);
        assert_eq!(round_half_up(-5, 2), -2);
        assert_eq!(round_half_up(-7, 3), -2);
    }

    #[test]
    fn a_definition_names_each_field_in_error() {
        let mut bad = instrument("phq9").clone();
        bad.code = "PHQ-9".into();
        bad.version = 0;
        bad.items[3].text_en = "  ".into();
        bad.items[5].number = 9;
        bad.options[1].value = 0;
        bad.scales[0].items.push(12);
        bad.scales[0].items.push(1);
        bad.scales[0].bands[2].min = 4.0;
        bad.scales[0].missing = MissingRule::Prorate { max_missing: 11 };
        bad.alerts[0]
            .when
            .push(AlertRule::ItemAtLeast { item: 10, value: 1 });
        bad.alerts[0].when.push(AlertRule::ScaleBelow {
            scale: "sum".into(),
            score: 1.0,
        });
        let errors = bad.validate().unwrap_err();
        let codes: BTreeMap<&str, &str> = errors
            .0
            .iter()
            .map(|(field, error)| (field.as_str(), error.code.as_str()))
            .collect();
        assert_eq!(
            codes,
            BTreeMap::from([
                ("alerts.0.when.1.item", "unknown_item"),
                ("alerts.0.when.2.scale", "unknown_scale"),
                ("code", "invalid_code"),
                ("items.3.text_en", "required"),
                ("items.5.number", "item_out_of_order"),
                ("options.1.value", "duplicate_value"),
                ("scales.0.bands.2.min", "bands_not_ascending"),
                ("scales.0.items.10", "duplicate_item"),
                ("scales.0.items.9", "unknown_item"),
                ("scales.0.missing.max_missing", "too_many_missing"),
                ("version", "invalid_version"),
            ])
        );

        let mut gap = instrument("k10").clone();
        gap.scales[0].bands[0].min = 11.0;
        gap.scales[0].bands[3].min = 51.0;
        let errors = gap.validate().unwrap_err();
        assert_eq!(errors.0["scales.0.bands"].code, "band_gap");
        assert_eq!(errors.0["scales.0.bands.3.min"].code, "band_unreachable");
        assert_eq!(errors.0.len(), 2);

        // A band's severity follows the scale's direction; a reliable change fits its range.
        let mut turned = instrument("gad7").clone();
        turned.scales[0].higher_is_better = true;
        turned.scales[0].reliable_change = Some(22.0);
        let errors = turned.validate().unwrap_err();
        assert_eq!(
            errors.0["scales.0.bands.1.severity"].code,
            "severity_against_direction"
        );
        assert_eq!(
            errors.0["scales.0.reliable_change"].code,
            "invalid_reliable_change"
        );
    }

    #[test]
    fn an_upload_is_json_then_validated() {
        let errors = Instrument::from_json("{\"code\": \"x\"").unwrap_err();
        assert_eq!(errors.0["instrument"].code, "invalid_json");
        // A misspelt field would silently change scoring: it is refused.
        let json = serde_json::to_string(instrument("gad7"))
            .unwrap()
            .replace("\"reversed\"", "\"reverse\"");
        let errors = Instrument::from_json(&json).unwrap_err();
        assert!(errors.0["instrument"].message.contains("reverse"));
        // Well-formed but invalid: the rules of `validate` answer.
        let json = serde_json::to_string(instrument("gad7"))
            .unwrap()
            .replace("\"number\":7", "\"number\":8");
        let errors = Instrument::from_json(&json).unwrap_err();
        assert_eq!(errors.0["items.6.number"].code, "item_out_of_order");
    }
}
