//! The client list as an Excel workbook.

use rust_xlsxwriter::{Format, FormatAlign, Workbook, XlsxError};

use super::service::Export;

const HEADERS: [(&str, f64); 15] = [
    ("中文姓名 Chinese name", 16.0),
    ("英文姓名 English name", 24.0),
    ("性別 Sex", 9.0),
    ("出生日期 Date of birth", 14.0),
    ("電話 Phone", 12.0),
    ("地區 District", 22.0),
    ("身份證 HKID (masked)", 16.0),
    ("建立 Created (UTC)", 18.0),
    ("更新 Updated (UTC)", 18.0),
    ("編號 Client ID", 38.0),
    ("出生日期為估計 Date of birth estimated", 14.0),
    ("種族 Ethnicity", 16.0),
    ("慣用語言 Preferred language", 18.0),
    ("抵港日期 Arrived in Hong Kong", 14.0),
    ("殘疾 Disabilities", 30.0),
];

/// A name in both languages, as the district's is written.
pub fn both((zh, en): (&str, &str)) -> String {
    format!("{zh} {en}")
}

/// Text that a spreadsheet could read as a formula is prefixed with an apostrophe, so
/// a name like `=HYPERLINK(...)` stays inert wherever the file travels (CSV included).
pub fn neutralise(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// The note under a table cut at the row limit, in both languages.
pub fn cut_note(rows: usize, matching: i64) -> String {
    format!(
        "只列出首 {rows} 名服務使用者（共 {matching} 名符合）：請收窄搜尋以匯出其餘紀錄。\
         Only the first {rows} of {matching} matching clients are listed: narrow the search to export the rest."
    )
}

pub fn workbook(export: &Export) -> Result<Vec<u8>, XlsxError> {
    let clients = &export.clients;
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Clients 個案")?;
    let header = Format::new()
        .set_bold()
        .set_background_color("#DDE7F0")
        .set_align(FormatAlign::Top)
        .set_text_wrap();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let datetime = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    for (col, (title, width)) in HEADERS.iter().enumerate() {
        let col = col as u16;
        sheet.write_string_with_format(0, col, *title, &header)?;
        sheet.set_column_width(col, *width)?;
    }
    for (i, client) in clients.iter().enumerate() {
        let row = i as u32 + 1;
        let district = client
            .district
            .map(|d| both((d.name_zh(), d.name_en())))
            .unwrap_or_default();
        let ethnicity = client
            .ethnicity
            .map(|e| both(e.names()))
            .unwrap_or_default();
        let language = client
            .preferred_language
            .map(|l| both(l.names()))
            .unwrap_or_default();
        let disabilities = client
            .disabilities
            .iter()
            .map(|d| both(d.names()))
            .collect::<Vec<_>>()
            .join("; ");
        let texts = [
            (0, client.name_zh.as_str()),
            (1, client.name_en.as_str()),
            (2, client.sex.as_str()),
            (4, client.phone.as_str()),
            (5, district.as_str()),
            (6, client.hkid_masked.as_deref().unwrap_or("")),
            (9, client.id.as_str()),
            (
                10,
                if client.date_of_birth_estimated {
                    "是 Yes"
                } else {
                    ""
                },
            ),
            (11, ethnicity.as_str()),
            (12, language.as_str()),
            (14, disabilities.as_str()),
        ];
        for (col, text) in texts {
            sheet.write_string(row, col, neutralise(text))?;
        }
        sheet.write_date_with_format(row, 3, client.date_of_birth, &date)?;
        if let Some(arrived_on) = client.arrived_on {
            sheet.write_date_with_format(row, 13, arrived_on, &date)?;
        }
        sheet.write_datetime_with_format(row, 7, client.created_at.naive_utc(), &datetime)?;
        sheet.write_datetime_with_format(row, 8, client.updated_at.naive_utc(), &datetime)?;
    }
    if export.is_cut() {
        let note = Format::new().set_bold().set_font_color("#9C0006");
        let row = clients.len() as u32 + 2;
        sheet.write_string_with_format(row, 0, cut_note(clients.len(), export.matching), &note)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, clients.len() as u32, HEADERS.len() as u16 - 1)?;
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::neutralise;

    #[test]
    fn formula_starters_are_neutralised() {
        for risky in ["=1+1", "+A1", "-2", "@SUM(A1)", "\t=x"] {
            assert_eq!(neutralise(risky), format!("'{risky}"));
        }
        assert_eq!(neutralise("陳大文"), "陳大文");
        assert_eq!(neutralise("Chan = Tai"), "Chan = Tai");
    }
}
