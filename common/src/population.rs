//! District population by age band and sex, as a deployment loads it from official
//! figures, so that the profile dashboard can show service users per 10,000 residents.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::analytics::AgeBand;
use crate::clients::Sex;
use crate::districts::District;
use crate::error::ValidationErrors;
use crate::text::csv_values;

/// The columns of a population file, in order, as its header names them.
pub const HEADER: [&str; 4] = ["district", "age_band", "sex", "population"];
pub const SOURCE_MAX: usize = 200;
/// Lines of errors named before the rest are left unsaid.
const ERRORS_MAX: usize = 20;
/// More lines than any breakdown of 18 districts by age and sex needs.
const LINES_MAX: usize = 10_000;

/// One line of a population file: how many people of an age band and sex live in a
/// district.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PopulationCell {
    pub district: District,
    pub age_band: AgeBand,
    pub sex: Sex,
    pub population: i64,
}

/// A load as sent: where the figures come from (e.g. "2021 Population Census, C&SD")
/// and the CSV text of `district,age_band,sex,population` lines after a header.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct PopulationForm {
    pub source: String,
    pub csv: String,
    /// The load this one replaces, as read (none when none was loaded): a load made
    /// meanwhile by someone else is not overwritten unseen.
    pub replaces: Option<String>,
}

/// What is loaded: its source, who loaded it and when, and each district's total.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PopulationSummary {
    pub id: String,
    pub source: String,
    pub loaded_by: String,
    pub loaded_at: NaiveDateTime,
    pub cells: i64,
    pub total: i64,
    pub by_district: Vec<(District, i64)>,
}

impl PopulationForm {
    /// The source and every line, or each problem named by its field: `source`, `csv` for
    /// the file as a whole, `csv.{line}.{column}` for one value (lines counted from 1, the
    /// header being line 1).
    pub fn parse(&self) -> Result<(String, Vec<PopulationCell>), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let source = self.source.trim();
        if source.is_empty() {
            errors.add("source", "required", "Say where the figures come from.");
        } else if source.chars().count() > SOURCE_MAX {
            errors.add(
                "source",
                "too_long",
                format!("At most {SOURCE_MAX} characters."),
            );
        }
        let text = self.csv.trim_start_matches('\u{feff}');
        let mut lines = text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty());
        match lines.next() {
            Some((_, header)) if csv_values(header) == HEADER => {}
            _ => errors.add(
                "csv",
                "bad_header",
                format!("The first line must be: {}", HEADER.join(",")),
            ),
        }
        let mut cells: Vec<PopulationCell> = Vec::new();
        let mut named = 0;
        let mut wrong =
            |errors: &mut ValidationErrors, line: usize, column: &str, code: &str, message| {
                if named < ERRORS_MAX {
                    errors.add(&format!("csv.{line}.{column}"), code, message);
                    named += 1;
                }
            };
        for (index, line) in lines {
            let number = index + 1;
            if cells.len() >= LINES_MAX {
                errors.add(
                    "csv",
                    "too_many_lines",
                    format!("At most {LINES_MAX} lines."),
                );
                break;
            }
            let values = csv_values(line);
            if values.len() != HEADER.len() {
                wrong(
                    &mut errors,
                    number,
                    "line",
                    "wrong_width",
                    format!("Line {number}: expected 4 values."),
                );
                continue;
            }
            let district = District::from_code(values[0]);
            let age_band = AgeBand::parse(values[1]);
            let sex = Sex::parse(values[2]);
            let population = values[3].parse::<i64>().ok().filter(|n| *n >= 0);
            if district.is_none() {
                wrong(
                    &mut errors,
                    number,
                    "district",
                    "not_a_district",
                    format!("Line {number}: not a district code (A to T)."),
                );
            }
            if age_band.is_none() {
                let bands: Vec<&str> = AgeBand::ALL.iter().map(|b| b.as_str()).collect();
                wrong(
                    &mut errors,
                    number,
                    "age_band",
                    "not_an_age_band",
                    format!("Line {number}: one of {}.", bands.join(", ")),
                );
            }
            if sex.is_none() {
                wrong(
                    &mut errors,
                    number,
                    "sex",
                    "not_a_sex",
                    format!("Line {number}: F or M."),
                );
            }
            if population.is_none() {
                wrong(
                    &mut errors,
                    number,
                    "population",
                    "not_a_count",
                    format!("Line {number}: a whole number, 0 or more."),
                );
            }
            if let (Some(district), Some(age_band), Some(sex), Some(population)) =
                (district, age_band, sex, population)
            {
                let cell = PopulationCell {
                    district,
                    age_band,
                    sex,
                    population,
                };
                if cells
                    .iter()
                    .any(|c| (c.district, c.age_band, c.sex) == (district, age_band, sex))
                {
                    wrong(
                        &mut errors,
                        number,
                        "line",
                        "repeated_line",
                        format!("Line {number}: this district, age band and sex came before."),
                    );
                } else {
                    cells.push(cell);
                }
            }
        }
        if cells.is_empty() && errors.is_empty() {
            errors.add("csv", "no_lines", "The file has no lines of figures.");
        }
        errors.into_result(|| (source.to_owned(), cells))
    }
}

/// People per 10,000 residents, where there are residents.
pub fn per_10000(people: i64, residents: i64) -> Option<f64> {
    (residents > 0).then(|| people as f64 * 10_000.0 / residents as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(csv: &str) -> PopulationForm {
        PopulationForm {
            source: "2021 Population Census".to_owned(),
            csv: csv.to_owned(),
            replaces: None,
        }
    }

    #[test]
    fn a_file_is_read_line_by_line() {
        let (source, cells) = form(
            "\u{feff}district,age_band,sex,population\r\nF,35-44,F,12000\r\n\"K\", 0-5 ,M,\"900\"\r\n\r\n",
        )
        .parse()
        .unwrap();
        assert_eq!(source, "2021 Population Census");
        assert_eq!(
            cells,
            vec![
                PopulationCell {
                    district: District::F,
                    age_band: AgeBand::From35,
                    sex: Sex::F,
                    population: 12000
                },
                PopulationCell {
                    district: District::K,
                    age_band: AgeBand::Under6,
                    sex: Sex::M,
                    population: 900
                },
            ]
        );
    }

    #[test]
    fn each_wrong_value_is_named_by_line_and_column() {
        let errors = form(
            "district,age_band,sex,population\nF,35-44,F,12000\nZ,35-45,X,-1\nF,35-44,F,1\nF,1",
        )
        .parse()
        .unwrap_err()
        .0;
        let fields: Vec<&str> = errors.keys().map(String::as_str).collect();
        assert_eq!(
            fields,
            [
                "csv.3.age_band",
                "csv.3.district",
                "csv.3.population",
                "csv.3.sex",
                "csv.4.line",
                "csv.5.line"
            ]
        );
        let bad = PopulationForm {
            source: " ".to_owned(),
            csv: "a,b\n".to_owned(),
            replaces: None,
        }
        .parse()
        .unwrap_err()
        .0;
        assert!(bad.contains_key("source") && bad.contains_key("csv"));
        assert!(form("district,age_band,sex,population\n")
            .parse()
            .unwrap_err()
            .0
            .contains_key("csv"));
    }

    #[test]
    fn rates_need_residents() {
        assert_eq!(per_10000(3, 20_000), Some(1.5));
        assert_eq!(per_10000(3, 0), None);
    }
}
