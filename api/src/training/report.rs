//! A course's completion report as a file: CSV for any tool, Excel for supervisors. One
//! table serves both.

use chrono::{DateTime, Utc};
use common::activities::hong_kong_day;
use common::training::LearnerProgress;

use crate::clients::export::both;
use crate::tabular::{Cell, Table};

const COLUMNS: [(&str, f64); 10] = [
    ("姓名 Name", 20.0),
    ("機構 Agency", 10.0),
    ("進度 Standing", 16.0),
    ("已完成必修活動 Required done", 14.0),
    ("必修活動 Required", 10.0),
    ("登記日期 Enrolled on", 14.0),
    ("登記方式 Enrolled by", 16.0),
    ("最近活動 Last activity", 14.0),
    ("完成日期 Completed on", 14.0),
    ("證書編號 Certificate", 20.0),
];

fn day(at: Option<DateTime<Utc>>) -> Cell {
    at.map_or(Cell::Empty, |at| Cell::Day(hong_kong_day(at)))
}

/// The course's learners, a line each.
pub fn table(
    (title_zh, title_en): (&str, &str),
    required: i64,
    learners: &[LearnerProgress],
) -> Table {
    let rows = learners
        .iter()
        .map(|l| {
            vec![
                Cell::Text(l.learner.display_name.clone()),
                Cell::Text(l.agency_code.clone().unwrap_or_default()),
                Cell::Text(both(l.standing.names())),
                Cell::Number(l.done as f64),
                Cell::Number(required as f64),
                day(Some(l.enrolled_at)),
                Cell::Text(
                    if l.enrolled_by_admin {
                        "機構 Agency admin"
                    } else {
                        "自行 Self"
                    }
                    .to_owned(),
                ),
                day(l.last_step_at),
                day(l.completed_at),
                Cell::Text(l.certificate.clone().unwrap_or_default()),
            ]
        })
        .collect();
    Table {
        sheet: "Completion 完成情況",
        title: format!("{title_zh} {title_en}"),
        columns: COLUMNS.to_vec(),
        rows,
    }
}
