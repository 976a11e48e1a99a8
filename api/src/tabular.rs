//! A table as a file: CSV for any tool, a one-sheet workbook for Excel. An export that is
//! one table writes its rows once, as cells, and gives either file from them.

use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::HttpResponse;
use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::clients::export::neutralise;
use crate::error::ApiError;

/// The two files a table gives.
#[derive(Debug, Clone, Copy)]
pub enum FileKind {
    Csv,
    Xlsx,
}

impl FileKind {
    pub fn extension(self) -> &'static str {
        match self {
            FileKind::Csv => "csv",
            FileKind::Xlsx => "xlsx",
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            FileKind::Csv => "text/csv; charset=utf-8",
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

/// A table's file as a download named `{stem}-{day}.{extension}`, never cached by the way.
pub fn download(stem: &str, day: NaiveDate, kind: FileKind, bytes: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(kind.media_type())
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(format!(
                "{stem}-{day}.{}",
                kind.extension()
            ))],
        })
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes)
}

pub enum Cell {
    Text(String),
    Number(f64),
    Day(NaiveDate),
    Empty,
}

impl Cell {
    /// The cell as CSV writes it; a formula's opening character is neutralised.
    pub fn text(&self) -> String {
        match self {
            Cell::Text(text) => neutralise(text),
            Cell::Number(n) => n.to_string(),
            Cell::Day(day) => day.to_string(),
            Cell::Empty => String::new(),
        }
    }
}

pub struct Table {
    /// The sheet's name, within Excel's 31 characters.
    pub sheet: &'static str,
    /// Above the headings in the workbook; a CSV is headings and rows only.
    pub title: String,
    /// Each column's heading and its width in the workbook.
    pub columns: Vec<(&'static str, f64)>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// The table as a file of that kind.
    pub fn file(&self, kind: FileKind) -> Result<Vec<u8>, ApiError> {
        match kind {
            FileKind::Csv => self.csv().map_err(|e| ApiError::Internal(e.to_string())),
            FileKind::Xlsx => self
                .workbook()
                .map_err(|e| ApiError::Internal(e.to_string())),
        }
    }

    pub fn csv(&self) -> Result<Vec<u8>, csv::Error> {
        // A byte-order mark, so that Excel opens the Chinese as UTF-8.
        let mut writer = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
        writer.write_record(self.columns.iter().map(|(heading, _)| heading))?;
        for row in &self.rows {
            writer.write_record(row.iter().map(Cell::text))?;
        }
        writer.into_inner().map_err(|e| e.into_error().into())
    }

    /// The title, the headings under it kept in view, the rows with a filter on them;
    /// numbers and days as Excel's own, so they sort and sum.
    pub fn workbook(&self) -> Result<Vec<u8>, XlsxError> {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.set_name(self.sheet)?;
        let bold = Format::new().set_bold();
        let header = Format::new()
            .set_bold()
            .set_background_color("#DDE7F0")
            .set_text_wrap();
        let date = Format::new().set_num_format("yyyy-mm-dd");
        sheet.write_string_with_format(0, 0, neutralise(&self.title), &bold)?;
        for (col, (heading, width)) in self.columns.iter().enumerate() {
            let col = col as u16;
            sheet.write_string_with_format(2, col, *heading, &header)?;
            sheet.set_column_width(col, *width)?;
        }
        for (i, cells) in self.rows.iter().enumerate() {
            let row = i as u32 + 3;
            for (col, cell) in cells.iter().enumerate() {
                let col = col as u16;
                match cell {
                    Cell::Text(text) => {
                        sheet.write_string(row, col, neutralise(text))?;
                    }
                    Cell::Number(n) => {
                        sheet.write_number(row, col, *n)?;
                    }
                    Cell::Day(day) => {
                        sheet.write_date_with_format(row, col, *day, &date)?;
                    }
                    Cell::Empty => {}
                }
            }
        }
        sheet.set_freeze_panes(3, 1)?;
        let last_column = self.columns.len().saturating_sub(1) as u16;
        sheet.autofilter(2, 0, self.rows.len() as u32 + 2, last_column)?;
        workbook.save_to_buffer()
    }
}
