//! A CPD record as a transcript, as CSV or as PDF: the same headings and cells in both;
//! and an agency's staff's standing as a table, under the transcript's headings.

use chrono::NaiveDate;
use common::cpd::{CpdEntry, CpdPeriod, CpdRecord, CpdSource, StaffCpd};
use common::training::hours;

use crate::clients::export::{both, neutralise};
use crate::pdf::{both_languages, Align, Column, Font, Sheet, Style, A4, GREY, INK, NAVY};
use crate::tabular::{Cell, Table};

const TITLE: &str = "持續專業發展紀錄 CPD transcript";

const ENTRY_HEADINGS: [&str; 9] = [
    "來源 Source",
    "完成日期 Completed on",
    "名稱 Title",
    "提供者 Provider",
    "類別 Kind",
    "時數 Hours",
    "證書編號 Certificate",
    "證明文件 Evidence",
    "反思 Reflection",
];

const PERIOD_HEADINGS: [&str; 8] = [
    "期間 Period",
    "由 From",
    "至 Until",
    "已核實 Verified",
    "自行申報 Self-reported",
    "計算時數 Counted",
    "最低要求 Minimum",
    "達標 Met",
];

/// An entry's cells, under `ENTRY_HEADINGS`.
fn entry_cells(entry: &CpdEntry) -> [String; 9] {
    let title = if entry.title_zh == entry.title_en {
        entry.title_zh.clone()
    } else {
        format!("{} {}", entry.title_zh, entry.title_en)
    };
    let certificate = match entry.source {
        CpdSource::Verified => entry.id.as_str(),
        CpdSource::SelfReported => "",
    };
    [
        both(entry.source.names()),
        entry.completed_on.to_string(),
        title,
        entry.provider.clone(),
        both(entry.kind.names()),
        hours(entry.cpd_tenths),
        certificate.to_owned(),
        entry
            .evidence
            .as_ref()
            .map_or("", |e| e.file_name.as_str())
            .to_owned(),
        entry.reflection.clone().unwrap_or_default(),
    ]
}

/// A year's or a cycle's totals, under `PERIOD_HEADINGS`.
fn period_row(label: &str, period: &CpdPeriod) -> [Cell; 8] {
    let hours = |tenths: i64| Cell::Number(tenths as f64 / 10.0);
    [
        Cell::Text(label.to_owned()),
        Cell::Day(period.from),
        Cell::Day(period.until),
        hours(period.verified_tenths),
        hours(period.self_reported_tenths),
        hours(period.counted_tenths),
        period.minimum_tenths.map_or(Cell::Empty, hours),
        match period.met() {
            Some(true) => Cell::Text("是 Yes".to_owned()),
            Some(false) => Cell::Text("否 No".to_owned()),
            None => Cell::Empty,
        },
    ]
}

const YEAR: &str = "年度 Year";
const CYCLE: &str = "周期 Cycle";

/// The years' totals, then the cycles', under `PERIOD_HEADINGS`.
fn period_cells(record: &CpdRecord) -> Vec<[String; 8]> {
    let years = record.years.iter().map(|p| period_row(YEAR, p));
    years
        .chain(record.cycles.iter().map(|p| period_row(CYCLE, p)))
        .map(|cells| cells.map(|cell| cell.text()))
        .collect()
}

/// Every entry, the latest first, then the totals of each year and cycle.
pub fn csv(record: &CpdRecord) -> Result<Vec<u8>, csv::Error> {
    // A byte-order mark, so that Excel opens the Chinese as UTF-8.
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    writer.write_record([TITLE, neutralise(&record.holder).as_str()])?;
    writer.write_record(ENTRY_HEADINGS)?;
    for entry in &record.entries {
        writer.write_record(entry_cells(entry).map(|cell| neutralise(&cell)))?;
    }
    writer.write_record([""])?;
    writer.write_record(PERIOD_HEADINGS)?;
    for cells in period_cells(record) {
        writer.write_record(cells)?;
    }
    writer.into_inner().map_err(|e| e.into_error().into())
}

/// An agency's staff and where each stands: a line each, with this year's totals and this
/// cycle's under the same headings as a transcript's.
pub fn staff_table(staff: &[StaffCpd], as_at: NaiveDate) -> Table {
    let period_columns = PERIOD_HEADINGS.map(|heading| (heading, 12.0));
    let columns = [("姓名 Name", 20.0), ("用戶名稱 Username", 14.0)]
        .into_iter()
        .chain(period_columns)
        .chain(period_columns)
        .chain([("落後 Behind", 8.0)])
        .collect();
    let rows = staff
        .iter()
        .map(|member| {
            [
                Cell::Text(member.staff.display_name.clone()),
                Cell::Text(member.username.clone()),
            ]
            .into_iter()
            .chain(period_row(YEAR, &member.year))
            .chain(period_row(CYCLE, &member.cycle))
            .chain([Cell::Text(
                if member.behind { "是 Yes" } else { "否 No" }.to_owned(),
            )])
            .collect()
        })
        .collect();
    Table {
        sheet: "CPD 持續專業發展",
        title: format!("員工持續專業發展 Staff CPD, 截至 as at {as_at}"),
        columns,
        rows,
    }
}

/// Which of the entry's cells the PDF shows (the reflections and files stay in the CSV),
/// and how wide; the same for the totals.
const PDF_ENTRY_COLUMNS: [(usize, f32, Align); 5] = [
    (1, 58.0, Align::Left),
    (2, 167.0, Align::Left),
    (3, 128.0, Align::Left),
    (5, 36.0, Align::Right),
    (0, 110.0, Align::Left),
];
const PDF_PERIOD_COLUMNS: [(usize, f32, Align); 8] = [
    (0, 64.0, Align::Left),
    (1, 66.0, Align::Left),
    (2, 66.0, Align::Left),
    (3, 54.0, Align::Right),
    (4, 70.0, Align::Right),
    (5, 62.0, Align::Right),
    (6, 62.0, Align::Right),
    (7, 55.0, Align::Left),
];
const MARGIN: f32 = 48.0;
/// Tables keep above the footer.
const BOTTOM: f32 = 64.0;

/// The chosen cells of each row, with their columns.
fn columns<'a, const N: usize>(
    headings: &[&'a str],
    chosen: &[(usize, f32, Align)],
    rows: impl Iterator<Item = [String; N]>,
) -> (Vec<Column<'a>>, Vec<Vec<String>>) {
    let columns = chosen
        .iter()
        .map(|&(at, width, align)| Column {
            heading: headings[at],
            width,
            align,
        })
        .collect();
    let rows = rows
        .map(|cells| chosen.iter().map(|&(at, ..)| cells[at].clone()).collect())
        .collect();
    (columns, rows)
}

/// The transcript as an A4 PDF, as it stands on `as_at`: the holder, the policy, the totals
/// of each year and cycle, and every entry, the latest first; tables run over as many pages
/// as they need, their headings repeated on each, every page numbered.
pub fn pdf(font: &Font, record: &CpdRecord, as_at: NaiveDate) -> Result<Vec<u8>, String> {
    let face = font.face()?;
    let mut sheet = Sheet::new(&face, A4);
    let (width, top) = (A4.0 - 2.0 * MARGIN, A4.1 - 56.0);
    let left = |y| (Align::Left, MARGIN, y, width);
    sheet.text(TITLE, Style::bold(18.0, NAVY), left(top));
    sheet.text(&record.holder, Style::bold(14.0, INK), left(top - 26.0));
    let as_at = format!("截至 As at: {}", both_languages(as_at));
    sheet.text(&as_at, Style::plain(9.0, GREY), left(top - 44.0));
    let policy = &record.policy;
    let minimum = policy.minimum_tenths_per_year.map_or_else(
        || "不設 none set".to_owned(),
        |tenths| format!("{} 小時 hours", hours(tenths)),
    );
    let policy_lines = [
        format!(
            "周期 Cycle: {} 年 years, 由 from {}",
            policy.cycle_years, policy.first_cycle_year
        ),
        format!("每年最低時數 Minimum a year: {minimum}"),
        format!(
            "自行申報時數上限 Self-reported hours count up to: {}% 計算時數 of hours counted",
            policy.self_reported_max_percent
        ),
    ];
    for (n, line) in policy_lines.iter().enumerate() {
        sheet.text(
            line,
            Style::plain(9.5, INK),
            left(top - 64.0 - n as f32 * 14.0),
        );
    }

    let body = Style::plain(8.5, INK);
    let restart = top;
    let mut y = top - 120.0;
    sheet.text("時數總計 Totals", Style::bold(12.0, NAVY), left(y));
    let (heads, rows) = columns(
        &PERIOD_HEADINGS,
        &PDF_PERIOD_COLUMNS,
        period_cells(record).into_iter(),
    );
    y = sheet.table(&heads, &rows, (MARGIN, y - 10.0, BOTTOM, restart), body);

    // The entries' heading goes on the next page when not even a row would fit under it.
    if y - 80.0 < BOTTOM {
        sheet.new_page();
        y = restart;
    } else {
        y -= 24.0;
    }
    sheet.text("紀錄 Entries", Style::bold(12.0, NAVY), left(y));
    if record.entries.is_empty() {
        sheet.text("未有紀錄 Nothing recorded yet", body, left(y - 20.0));
    } else {
        let (heads, rows) = columns(
            &ENTRY_HEADINGS,
            &PDF_ENTRY_COLUMNS,
            record.entries.iter().map(entry_cells),
        );
        sheet.table(&heads, &rows, (MARGIN, y - 10.0, BOTTOM, restart), body);
    }

    let holder = record.holder.clone();
    sheet.on_every_page(
        |n, count| format!("{holder} · {TITLE} · 第 {n} / {count} 頁 Page {n} of {count}"),
        Style::plain(8.0, GREY),
        (Align::Centre, A4.0 / 2.0, 36.0),
    );
    sheet.finish(font, &format!("{TITLE} {}", record.holder))
}
