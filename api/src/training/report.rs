//! A course's completion report as a file: CSV for any tool, Excel for supervisors. One
//! table serves both.

use chrono::{DateTime, NaiveDate, Utc};
use common::activities::hong_kong_day;
use common::training::LearnerProgress;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::clients::export::{both, neutralise};

const HEADERS: [(&str, f64); 10] = [
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

enum Cell {
    Text(String),
    Number(i64),
    Day(Option<NaiveDate>),
}

fn day(at: Option<DateTime<Utc>>) -> Cell {
    Cell::Day(at.map(hong_kong_day))
}

fn table(required: i64, learners: &[LearnerProgress]) -> Vec<Vec<Cell>> {
    learners
        .iter()
        .map(|l| {
            vec![
                Cell::Text(l.learner.display_name.clone()),
                Cell::Text(l.agency_code.clone().unwrap_or_default()),
                Cell::Text(both(l.standing.names())),
                Cell::Number(l.done),
                Cell::Number(required),
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
        .collect()
}

pub fn csv(required: i64, learners: &[LearnerProgress]) -> Result<Vec<u8>, csv::Error> {
    // A byte-order mark, so that Excel opens the Chinese as UTF-8.
    let mut writer = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    writer.write_record(HEADERS.map(|(title, _)| title))?;
    for row in table(required, learners) {
        writer.write_record(row.iter().map(|cell| match cell {
            Cell::Text(text) => neutralise(text),
            Cell::Number(n) => n.to_string(),
            Cell::Day(day) => day.map(|d| d.to_string()).unwrap_or_default(),
        }))?;
    }
    writer.into_inner().map_err(|e| e.into_error().into())
}

pub fn workbook(
    (title_zh, title_en): (&str, &str),
    required: i64,
    learners: &[LearnerProgress],
) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Completion 完成情況")?;
    let bold = Format::new().set_bold();
    let header = Format::new()
        .set_bold()
        .set_background_color("#DDE7F0")
        .set_text_wrap();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    sheet.write_string_with_format(0, 0, neutralise(&format!("{title_zh} {title_en}")), &bold)?;
    for (col, (title, width)) in HEADERS.into_iter().enumerate() {
        let col = col as u16;
        sheet.write_string_with_format(2, col, title, &header)?;
        sheet.set_column_width(col, width)?;
    }
    let rows = table(required, learners);
    for (i, cells) in rows.iter().enumerate() {
        let row = i as u32 + 3;
        for (col, cell) in cells.iter().enumerate() {
            let col = col as u16;
            match cell {
                Cell::Text(text) => {
                    sheet.write_string(row, col, neutralise(text))?;
                }
                Cell::Number(n) => {
                    sheet.write_number(row, col, *n as f64)?;
                }
                Cell::Day(Some(day)) => {
                    sheet.write_date_with_format(row, col, *day, &date)?;
                }
                Cell::Day(None) => {}
            }
        }
    }
    sheet.set_freeze_panes(3, 1)?;
    sheet.autofilter(2, 0, rows.len() as u32 + 2, HEADERS.len() as u16 - 1)?;
    workbook.save_to_buffer()
}
