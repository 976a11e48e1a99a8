//! The statistics as one Excel workbook: a sheet per section, headers in both languages,
//! totals, set up to print (A4 landscape, header rows repeated, fitted to the page width),
//! and a sheet saying how each figure is counted.

use common::statistics::{per_mille, CaseCounts, Dimension, Named, StandardStatus, Statistics};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use crate::clients::export::neutralise;

/// A cell of a table.
enum Cell {
    Text(String),
    Count(i64),
    /// A share in thousandths, shown as a percentage; empty when there is nothing to share.
    Share(Option<i64>),
}

struct Formats {
    title: Format,
    header: Format,
    text: Format,
    count: Format,
    share: Format,
    total_text: Format,
    total_count: Format,
}

impl Formats {
    fn new() -> Formats {
        let cell = Format::new().set_border(FormatBorder::Thin);
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            header: cell
                .clone()
                .set_bold()
                .set_background_color("#DDE7F0")
                .set_align(FormatAlign::Top)
                .set_text_wrap(),
            text: cell.clone().set_text_wrap().set_align(FormatAlign::Top),
            count: cell.clone().set_num_format("#,##0"),
            share: cell.clone().set_num_format("0.0%"),
            total_text: cell.clone().set_bold(),
            total_count: cell.set_bold().set_num_format("#,##0"),
        }
    }
}

const HEADER_ROW: u32 = 3;

/// The workbook being written, with its formats and the statistics every sheet heads with.
struct Book<'a> {
    workbook: Workbook,
    formats: Formats,
    statistics: &'a Statistics,
}

impl Book<'_> {
    /// A sheet of one table: its title and the period above, the header row repeated on
    /// every printed page, and a total row when the rows add up.
    fn table(
        &mut self,
        name: &str,
        title: &str,
        headers: &[(&str, f64)],
        rows: Vec<Vec<Cell>>,
        total: Option<Vec<Cell>>,
    ) -> Result<(), XlsxError> {
        let statistics = self.statistics;
        let formats = &self.formats;
        let sheet = self.workbook.add_worksheet();
        sheet.set_name(name)?;
        sheet.write_string_with_format(0, 0, title, &formats.title)?;
        sheet.write_string(
            1,
            0,
            format!("{} {}", statistics.period_zh, statistics.period_en),
        )?;
        sheet.write_string(2, 0, scope_line(statistics))?;
        for (col, (header, width)) in headers.iter().enumerate() {
            sheet.write_string_with_format(HEADER_ROW, col as u16, *header, &formats.header)?;
            sheet.set_column_width(col as u16, *width)?;
        }
        let mut row = HEADER_ROW + 1;
        for cells in &rows {
            write_row(sheet, formats, row, cells, false)?;
            row += 1;
        }
        if let Some(total) = &total {
            write_row(sheet, formats, row, total, true)?;
        }
        print_setup(sheet)?;
        sheet.set_freeze_panes(HEADER_ROW + 1, 1)?;
        Ok(())
    }
}

fn write_row(
    sheet: &mut Worksheet,
    formats: &Formats,
    row: u32,
    cells: &[Cell],
    total: bool,
) -> Result<(), XlsxError> {
    for (col, cell) in cells.iter().enumerate() {
        let col = col as u16;
        match cell {
            Cell::Text(text) => {
                let format = if total {
                    &formats.total_text
                } else {
                    &formats.text
                };
                sheet.write_string_with_format(row, col, neutralise(text), format)?;
            }
            Cell::Count(n) => {
                let format = if total {
                    &formats.total_count
                } else {
                    &formats.count
                };
                sheet.write_number_with_format(row, col, *n as f64, format)?;
            }
            Cell::Share(Some(per_mille)) => {
                sheet.write_number_with_format(
                    row,
                    col,
                    *per_mille as f64 / 1000.0,
                    &formats.share,
                )?;
            }
            Cell::Share(None) => {
                sheet.write_string_with_format(row, col, "–", &formats.text)?;
            }
        }
    }
    Ok(())
}

fn print_setup(sheet: &mut Worksheet) -> Result<(), XlsxError> {
    sheet.set_landscape();
    sheet.set_paper_size(9);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
    sheet.set_footer("&L&A&R&P / &N");
    Ok(())
}

fn scope_line(statistics: &Statistics) -> String {
    let names: Vec<&str> = statistics
        .centres
        .iter()
        .map(|c| c.name_en.as_str())
        .collect();
    let list = if names.len() > 3 {
        format!("{} centres 間中心", names.len())
    } else {
        statistics
            .centres
            .iter()
            .map(|c| format!("{} / {}", c.name_zh, c.name_en))
            .collect::<Vec<_>>()
            .join("; ")
    };
    format!("範圍 Scope: {list}")
}

fn both(named: &Named) -> String {
    if named.name_zh == named.name_en {
        named.name_zh.clone()
    } else {
        format!("{} {}", named.name_zh, named.name_en)
    }
}

pub const CASE_HEADERS: [(&str, f64); 10] = [
    ("", 34.0),
    ("上期結轉\nBrought forward", 12.0),
    ("新個案\nNew", 10.0),
    ("重開個案\nReactivated", 12.0),
    ("轉入\nTransferred in", 12.0),
    ("服務個案\nServed", 10.0),
    ("結案\nClosed", 10.0),
    ("轉出\nTransferred out", 12.0),
    ("期末仍開\nActive at end", 12.0),
    ("期末輪候\nWaiting at end", 12.0),
];

fn case_cells(label: String, c: &CaseCounts) -> Vec<Cell> {
    let mut cells = vec![Cell::Text(label)];
    cells.extend(
        [
            c.brought_forward,
            c.new,
            c.reactivated,
            c.transferred_in,
            c.served(),
            c.closed,
            c.transferred_out,
            c.active_at_end,
            c.waiting_at_end,
        ]
        .map(Cell::Count),
    );
    cells
}

/// A breakdown's title in both languages; its sheet's name (at most 31 characters).
fn dimension_title(dimension: Dimension) -> (&'static str, &'static str) {
    match dimension {
        Dimension::Centre => ("按中心", "By centre"),
        Dimension::CaseType => ("按個案類別", "By case type"),
        Dimension::CaseNature => ("按個案性質", "By case nature"),
        Dimension::Unit => ("按組別", "By unit"),
        Dimension::District => ("按居住地區", "By district"),
        Dimension::AgeBand => ("按年齡組別", "By age band"),
        Dimension::Mode => ("按形式", "By mode"),
        Dimension::Channel => ("按途徑", "By channel"),
    }
}

/// Reports how far the building has come, 0 to 100.
pub type Progress<'a> = &'a mut dyn FnMut(i64);

pub fn workbook(statistics: &Statistics, progress: Progress) -> Result<Vec<u8>, XlsxError> {
    let s = statistics;
    let mut book = Book {
        workbook: Workbook::new(),
        formats: Formats::new(),
        statistics,
    };

    let mut summary = vec![case_cells("全部個案 All cases".into(), &s.cases)];
    summary.push(vec![
        Cell::Text("查詢 Enquiries".into()),
        Cell::Count(s.enquiries.received),
    ]);
    book.table(
        "摘要 Summary",
        "統計摘要 Statistics summary",
        &CASE_HEADERS,
        summary,
        None,
    )?;

    for breakdown in &s.case_breakdowns {
        let (zh, en) = dimension_title(breakdown.dimension);
        let rows: Vec<Vec<Cell>> = breakdown
            .rows
            .iter()
            .map(|row| case_cells(both(&row.name), &row.cases))
            .collect();
        // A case has several natures, so those rows add up to more than the cases.
        let total = (breakdown.dimension != Dimension::CaseNature)
            .then(|| case_cells("總數 Total".into(), &s.cases));
        book.table(
            &format!("{zh} {en}"),
            &format!("個案{zh} Cases {}", en.to_lowercase()),
            &CASE_HEADERS,
            rows,
            total,
        )?;
    }
    progress(40);

    book.table(
        "查詢 Enquiries",
        "查詢及到訪 Enquiries and drop-in contacts",
        &[("途徑 Channel", 30.0), ("查詢\nEnquiries", 12.0)],
        s.enquiries
            .by_channel
            .iter()
            .map(|row| vec![Cell::Text(both(&row.name)), Cell::Count(row.count)])
            .collect(),
        Some(vec![
            Cell::Text("總數 Total".into()),
            Cell::Count(s.enquiries.received),
        ]),
    )?;

    let activity_name = |kind: common::activities::ActivityKind| match kind {
        common::activities::ActivityKind::Programme => "活動 Programmes",
        common::activities::ActivityKind::Group => "小組 Groups",
        common::activities::ActivityKind::CommunityEvent => "社區活動 Community events",
    };
    book.table(
        "小組及活動 Activities",
        "小組、活動及社區活動 Groups, programmes and community events",
        &[
            ("類別 Kind", 28.0),
            ("舉辦數目\nRun", 10.0),
            ("節數\nSessions held", 12.0),
            ("出席人次（記名）\nPerson-times (named)", 16.0),
            ("人數點算\nHeadcount", 12.0),
            ("參加人數\nParticipants", 12.0),
        ],
        s.activities
            .iter()
            .map(|a| {
                vec![
                    Cell::Text(activity_name(a.kind).into()),
                    Cell::Count(a.run),
                    Cell::Count(a.sessions_held),
                    Cell::Count(a.person_times),
                    Cell::Count(a.headcount),
                    Cell::Count(a.participants),
                ]
            })
            .collect(),
        None,
    )?;

    let mut attendance_rows = Vec::new();
    for breakdown in &s.attendance {
        let (zh, en) = dimension_title(breakdown.dimension);
        attendance_rows.push(vec![Cell::Text(format!("{zh} {en}"))]);
        for row in &breakdown.rows {
            attendance_rows.push(vec![
                Cell::Text(both(&row.name)),
                Cell::Count(row.person_times),
                Cell::Count(row.headcount),
                Cell::Count(row.participants),
            ]);
        }
    }
    book.table(
        "出席 Attendance",
        "出席 Attendance",
        &[
            ("", 30.0),
            ("出席人次（記名）\nPerson-times (named)", 16.0),
            ("人數點算\nHeadcount", 12.0),
            ("參加人數\nParticipants", 12.0),
        ],
        attendance_rows,
        None,
    )?;
    progress(60);

    let o = &s.outcomes;
    book.table(
        "成效 Outcomes",
        "服務成效 Outcomes",
        &[("", 50.0), ("數目\nNumber", 12.0), ("百分比\nShare", 12.0)],
        vec![
            vec![
                Cell::Text("結案個案的目標 Goals of cases closed".into()),
                Cell::Count(o.goals_set),
            ],
            vec![
                Cell::Text("已達成 Achieved".into()),
                Cell::Count(o.goals_achieved),
                Cell::Share(per_mille(o.goals_achieved, o.goals_set)),
            ],
            vec![
                Cell::Text("部分達成 Partly achieved".into()),
                Cell::Count(o.goals_partly_achieved),
                Cell::Share(per_mille(o.goals_partly_achieved, o.goals_set)),
            ],
            vec![
                Cell::Text("有前後測的服務使用者 Clients measured before and after".into()),
                Cell::Count(o.measured),
            ],
            vec![
                Cell::Text("有改善 Improved".into()),
                Cell::Count(o.improved),
                Cell::Share(per_mille(o.improved, o.measured)),
            ],
            vec![
                Cell::Text("沒有改變 Unchanged".into()),
                Cell::Count(o.unchanged),
                Cell::Share(per_mille(o.unchanged, o.measured)),
            ],
            vec![
                Cell::Text("轉差 Worsened".into()),
                Cell::Count(o.worsened),
                Cell::Share(per_mille(o.worsened, o.measured)),
            ],
        ],
        None,
    )?;

    let centre_name = |id: &str| {
        s.centres
            .iter()
            .find(|c| c.code == id)
            .map(both)
            .unwrap_or_default()
    };
    book.table(
        "服務標準 Standards",
        "年度至今與協定水平比較 Year to date against the agreed levels",
        &[
            ("中心 Centre", 34.0),
            ("指標 Indicator", 34.0),
            ("協定水平\nAgreed level", 12.0),
            ("年度至今\nYear to date", 12.0),
            ("狀況 Status", 18.0),
        ],
        s.standards
            .iter()
            .map(|p| {
                let (zh, en) = p.indicator.names();
                let value = if p.indicator.is_percent() {
                    Cell::Share(p.year_to_date)
                } else {
                    Cell::Count(p.year_to_date.unwrap_or(0))
                };
                let level = match (p.agreed_level, p.indicator.is_percent()) {
                    (None, _) => Cell::Text("–".into()),
                    (Some(level), true) => Cell::Share(Some(level * 10)),
                    (Some(level), false) => Cell::Count(level),
                };
                vec![
                    Cell::Text(centre_name(&p.centre_id)),
                    Cell::Text(format!("{zh} {en}")),
                    level,
                    value,
                    Cell::Text(status_name(p.status).into()),
                ]
            })
            .collect(),
        None,
    )?;

    book.table(
        "定義 Definitions",
        "各數字的點算方法 How each figure is counted",
        &[
            ("數字 Figure", 28.0),
            ("點算方法", 60.0),
            ("How it is counted", 70.0),
        ],
        DEFINITIONS
            .iter()
            .map(|(figure, zh, en)| {
                vec![
                    Cell::Text((*figure).into()),
                    Cell::Text((*zh).into()),
                    Cell::Text((*en).into()),
                ]
            })
            .collect(),
        None,
    )?;
    progress(80);
    book.workbook.save_to_buffer()
}

fn status_name(status: StandardStatus) -> &'static str {
    match status {
        StandardStatus::Met => "已達標 Met",
        StandardStatus::OnTrack => "進度正常 On track",
        StandardStatus::Behind => "落後 Behind",
        StandardStatus::NotSet => "未訂水平 No level set",
    }
}

/// Each figure and how it is counted, in both languages: the counting rules of
/// `common::statistics` written out for an auditor.
pub const DEFINITIONS: &[(&str, &str, &str)] = &[
    ("期間 Period", "財政年度由4月1日至翌年3月31日；季度及月份屬同一財政年度。日期以香港時間計。", "The financial year runs from 1 April to 31 March; quarters and months are of that year. Days are Hong Kong days."),
    ("個案狀況 A case's state on a day", "以該日或之前最後一項個案紀錄（登記、輪候、開案、結案、重開、轉介）的狀況為準，並以當時負責的中心計算。", "The state of the case's last history event (registered, waitlisted, opened, closed, reactivated, transferred) effective on or before that day, counted at the centre that then had the case."),
    ("上期結轉 Brought forward", "期間首日前一日仍開的個案。", "Cases open on the day before the period's first day."),
    ("新個案 New", "期間內首次開案的個案（由查詢或輪候名單開案）。", "Cases opened within the period for the first time (from an enquiry or the waiting list)."),
    ("重開個案 Reactivated", "期間內結案後再開的次數；不計作新個案。", "Openings within the period of cases closed before; never counted as new."),
    ("轉入／轉出 Transferred in / out", "期間內仍開的個案由一間中心轉到另一間中心；同一中心內轉換社工不計。", "Open cases moved from one centre to another within the period; a change of worker within a centre is not counted."),
    ("服務個案 Served", "上期結轉 + 新個案 + 重開個案 + 轉入。", "Brought forward + new + reactivated + transferred in."),
    ("結案 Closed", "期間內經督導批准結案、而結案前為開案狀態的個案；由輪候名單直接結束的個案從未接受服務，不計。", "Cases closed within the period with the supervisor's approval after being open; a case closed from the waiting list was never served and is not counted."),
    ("期末仍開／輪候 Active / waiting at end", "期間最後一日仍開／仍在輪候名單的個案。上期結轉 + 新 + 重開 + 轉入 − 結案 − 轉出 = 期末仍開。", "Cases open / on the waiting list on the period's last day. Brought forward + new + reactivated + transferred in − closed − transferred out = active at end."),
    ("分項 Breakdowns", "個案類別、組別及個案性質以個案現時紀錄為準；居住地區以服務使用者現時地址所屬地區計，未有記錄者另列。一個個案可有多項性質，故按性質的分項總和多於個案數目。", "Case type, unit and case natures are those the case has now; the district is the client's present district of residence, with those not recorded shown apart. A case may have several natures, so the rows by nature add up to more than the cases."),
    ("查詢 Enquiries", "期間內接收的查詢及到訪（包括不具名者）。", "Enquiries and drop-in contacts received within the period, anonymous ones included."),
    ("舉辦數目及節數 Run, sessions held", "期間內有節數已開始的小組、活動及社區活動，及該等節數；未開始的節數不計。", "Groups, programmes and community events with a session begun within the period, and those sessions; sessions not yet begun are not counted."),
    ("出席人次 Person-times", "期間內各節出席（準時或遲到）的記名參加者人次；缺席及請假不計。", "Named participants marked present or late at the period's sessions, once per session; absences, excused or not, are not counted."),
    ("人數點算 Headcount", "不記名出席者的點算：各節的人數點算，及社區活動於其首節所在期間計入的整體點算。", "Anonymous attendance: each session's headcount, and a community event's own headcount, counted in the period of its first session."),
    ("參加人數 Participants", "期間內最少出席一次的記名參加者，每人只計一次（按類別、組別或形式分項時，每項內只計一次）。", "Named participants who came at least once within the period, each counted once (within each row of a breakdown)."),
    ("年齡組別 Age band", "以財政年度首日（4月1日）的年齡計算，使同一人在整個年度屬同一組別。", "Age on the financial year's first day (1 April), so that a person keeps one band through the year."),
    ("目標達成 Goals achieved", "期間內結案（結案前為開案）個案的計劃目標，不包括已終止的目標；達成百分比 = 已達成 ÷ 目標。", "The plan goals of cases closed (after being open) within the period, other than discontinued ones; achieved share = achieved ÷ goals."),
    ("前後測改善 Improved on pre/post measures", "期間內有後測的服務使用者，與同一個案或小組內、同一工具之前最近一次前測比較（如有多次後測，取期間內最後一次）；按工具首個分量表的改變規則：有嚴重程度組別的，組別較低為改善，相同為沒有改變，較高為轉差；沒有組別的，以作者公布的可靠改變幅度判斷（WHO-5：10分）；兩者皆無的不計。", "Clients with a post-service measure within the period, compared with their latest pre-service measure on the same instrument before it within the same case or group (the period's last post measure if several), by the rule of change of the instrument's first scale: where it has severity bands, a lower band is improved, the same unchanged, a higher one worsened; where it has none, a change of at least the reliable change its authors publish (WHO-5: 10 points); a scale with neither is not counted."),
    ("協定水平 Agreed levels", "各中心每個財政年度與社會福利署協定的水平。數目按年度至今與已過日子所佔比例比較：達到水平為已達標，達到按比例的水平為進度正常，否則為落後；百分比直接與水平比較。", "The levels each centre agreed with SWD for the financial year. A count for the year to date is compared with the share of the level for the days gone by: at the level is met, at the share on track, below it behind; a percentage is compared with the level itself."),
];

/// The file's name: the period and the scope's first centre code, ASCII only.
pub fn file_name(statistics: &Statistics) -> String {
    let scope = match statistics.centres.as_slice() {
        [one] => one.name_en.split(' ').next().unwrap_or("centre").to_owned(),
        _ => format!("{}-centres", statistics.centres.len()),
    };
    let period = match statistics.period.kind {
        common::statistics::PeriodKind::Year => statistics.period.year_label(),
        common::statistics::PeriodKind::Quarter => {
            format!(
                "{}-Q{}",
                statistics.period.year_label(),
                statistics.period.number
            )
        }
        common::statistics::PeriodKind::Month => statistics.period.from.format("%Y-%m").to_string(),
    };
    let safe: String = format!("statistics-{period}-{scope}.xlsx")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
        .collect();
    safe
}
