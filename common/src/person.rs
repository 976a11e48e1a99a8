//! What a family-service record says about a person beyond name and birth, in the
//! categories the Census and SWD's rehabilitation services use, so that DAS can compare
//! service users with the district population.

use chrono::{Datelike, Months, NaiveDate};

use crate::error::FieldError;
use crate::stored_codes;

stored_codes! {
    /// The Census's ethnicity groups.
    pub enum Ethnicity {
        Chinese = "chinese",
        Filipino = "filipino",
        Indonesian = "indonesian",
        White = "white",
        Indian = "indian",
        Nepalese = "nepalese",
        Pakistani = "pakistani",
        Thai = "thai",
        Japanese = "japanese",
        OtherAsian = "other_asian",
        Other = "other",
    }
}

stored_codes! {
    /// The language a person would rather be served in: one outside Cantonese, Putonghua
    /// and English usually means an interpreter.
    pub enum Language {
        Cantonese = "cantonese",
        Putonghua = "putonghua",
        OtherChinese = "other_chinese",
        English = "english",
        Urdu = "urdu",
        Nepali = "nepali",
        Hindi = "hindi",
        Punjabi = "punjabi",
        Tagalog = "tagalog",
        BahasaIndonesia = "bahasa_indonesia",
        Thai = "thai",
        Other = "other",
    }
}

stored_codes! {
    /// The categories of disability of SWD's rehabilitation services.
    pub enum Disability {
        Physical = "physical",
        Visual = "visual",
        Hearing = "hearing",
        Speech = "speech",
        Intellectual = "intellectual",
        MentalIllness = "mental_illness",
        Autism = "autism",
        SpecificLearning = "specific_learning",
        Adhd = "adhd",
        Visceral = "visceral",
    }
}

impl Ethnicity {
    /// Its name in Chinese and in English.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            Ethnicity::Chinese => ("華人", "Chinese"),
            Ethnicity::Filipino => ("菲律賓人", "Filipino"),
            Ethnicity::Indonesian => ("印尼人", "Indonesian"),
            Ethnicity::White => ("白人", "White"),
            Ethnicity::Indian => ("印度人", "Indian"),
            Ethnicity::Nepalese => ("尼泊爾人", "Nepalese"),
            Ethnicity::Pakistani => ("巴基斯坦人", "Pakistani"),
            Ethnicity::Thai => ("泰國人", "Thai"),
            Ethnicity::Japanese => ("日本人", "Japanese"),
            Ethnicity::OtherAsian => ("其他亞洲人", "Other Asian"),
            Ethnicity::Other => ("其他", "Other"),
        }
    }
}

impl Language {
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            Language::Cantonese => ("廣東話", "Cantonese"),
            Language::Putonghua => ("普通話", "Putonghua"),
            Language::OtherChinese => ("其他中國方言", "Other Chinese dialect"),
            Language::English => ("英語", "English"),
            Language::Urdu => ("烏爾都語", "Urdu"),
            Language::Nepali => ("尼泊爾語", "Nepali"),
            Language::Hindi => ("印地語", "Hindi"),
            Language::Punjabi => ("旁遮普語", "Punjabi"),
            Language::Tagalog => ("他加祿語", "Tagalog"),
            Language::BahasaIndonesia => ("印尼語", "Bahasa Indonesia"),
            Language::Thai => ("泰語", "Thai"),
            Language::Other => ("其他", "Other"),
        }
    }
}

impl Disability {
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            Disability::Physical => ("肢體傷殘", "Physical disability"),
            Disability::Visual => ("視障", "Visual impairment"),
            Disability::Hearing => ("聽障", "Hearing impairment"),
            Disability::Speech => ("言語障礙", "Speech impairment"),
            Disability::Intellectual => ("智障", "Intellectual disability"),
            Disability::MentalIllness => ("精神病", "Mental illness"),
            Disability::Autism => ("自閉症", "Autism"),
            Disability::SpecificLearning => ("特殊學習困難", "Specific learning difficulties"),
            Disability::Adhd => ("注意力不足／過度活躍症", "ADHD"),
            Disability::Visceral => (
                "器官殘障／長期病患",
                "Visceral disability or chronic illness",
            ),
        }
    }
}

/// Each disability once, in the list's order.
pub fn distinct(disabilities: &[Disability]) -> Vec<Disability> {
    let mut sorted = disabilities.to_vec();
    sorted.sort();
    sorted.dedup();
    sorted
}

/// Stored as their codes joined by commas, each once, in the list's order.
pub fn disabilities_code(disabilities: &[Disability]) -> String {
    distinct(disabilities)
        .iter()
        .map(|d| d.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// Reads what [`disabilities_code`] wrote; the code that does not parse is answered.
pub fn parse_disabilities(stored: &str) -> Result<Vec<Disability>, String> {
    stored
        .split(',')
        .filter(|code| !code.is_empty())
        .map(|code| Disability::parse(code).ok_or_else(|| code.to_owned()))
        .collect()
}

/// Full years from `born` to `today`.
pub fn age_on(born: NaiveDate, today: NaiveDate) -> i32 {
    let years = today.year() - born.year();
    if (today.month(), today.day()) < (born.month(), born.day()) {
        years - 1
    } else {
        years
    }
}

pub const AGE_MAX: i64 = 125;

/// A birth date for someone whose age alone is known: the middle of the year of days on
/// which they could have been born, so that the age it gives stays right for longest.
pub fn estimated_birth(age: i64, today: NaiveDate) -> Result<NaiveDate, FieldError> {
    if !(0..=AGE_MAX).contains(&age) {
        return Err(FieldError::new(
            "out_of_range",
            format!("An age is from 0 to {AGE_MAX}"),
        ));
    }
    let months = u32::try_from(age * 12 + 6).unwrap_or(u32::MAX);
    today
        .checked_sub_months(Months::new(months))
        .ok_or_else(|| FieldError::new("out_of_range", "The age is too great"))
}

/// Years of residence under which a person from the Mainland counts as a new arrival.
pub const NEW_ARRIVAL_YEARS: i32 = 7;

/// Whether someone who came to live in Hong Kong on `arrived_on` is a new arrival today.
pub fn is_new_arrival(arrived_on: Option<NaiveDate>, today: NaiveDate) -> bool {
    arrived_on.is_some_and(|day| day <= today && age_on(day, today) < NEW_ARRIVAL_YEARS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn ages_count_full_years() {
        assert_eq!(age_on(day(1980, 5, 1), day(2026, 4, 30)), 45);
        assert_eq!(age_on(day(1980, 5, 1), day(2026, 5, 1)), 46);
    }

    #[test]
    fn an_estimated_birth_gives_back_the_age_for_half_a_year_either_way() {
        let today = day(2026, 3, 10);
        let born = estimated_birth(40, today).unwrap();
        assert_eq!(born, day(1985, 9, 10));
        assert_eq!(age_on(born, today), 40);
        assert_eq!(age_on(born, day(2026, 9, 9)), 40);
        assert_eq!(estimated_birth(0, today).unwrap(), day(2025, 9, 10));
        assert_eq!(estimated_birth(-1, today).unwrap_err().code, "out_of_range");
        assert_eq!(
            estimated_birth(126, today).unwrap_err().code,
            "out_of_range"
        );
    }

    #[test]
    fn new_arrivals_have_lived_here_under_seven_years() {
        let today = day(2026, 12, 2);
        assert!(is_new_arrival(Some(day(2019, 12, 3)), today));
        assert!(!is_new_arrival(Some(day(2019, 12, 2)), today));
        assert!(!is_new_arrival(None, today));
    }

    #[test]
    fn disabilities_are_stored_once_each_in_order() {
        let stored =
            disabilities_code(&[Disability::Autism, Disability::Physical, Disability::Autism]);
        assert_eq!(stored, "physical,autism");
        assert_eq!(
            parse_disabilities(&stored).unwrap(),
            vec![Disability::Physical, Disability::Autism]
        );
        assert_eq!(parse_disabilities("").unwrap(), vec![]);
        assert_eq!(parse_disabilities("physical,nope").unwrap_err(), "nope");
    }
}
