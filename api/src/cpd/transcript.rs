//! A CPD record as a transcript: CSV here, PDF beside the certificates' printing.

use common::cpd::CpdRecord;
use common::training::hours;

use crate::clients::export::{both, neutralise};

/// Every entry, the latest first, then the totals of each year and cycle.
pub fn csv(record: &CpdRecord) -> Result<Vec<u8>, csv::Error> {
    // A byte-order mark, so that Excel opens the Chinese as UTF-8.
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    writer.write_record([
        "持續專業發展紀錄 CPD transcript",
        neutralise(&record.holder).as_str(),
    ])?;
    writer.write_record([
        "來源 Source",
        "完成日期 Completed on",
        "名稱 Title",
        "提供者 Provider",
        "類別 Kind",
        "時數 Hours",
        "證書編號 Certificate",
        "證明文件 Evidence",
        "反思 Reflection",
    ])?;
    for entry in &record.entries {
        let title = if entry.title_zh == entry.title_en {
            entry.title_zh.clone()
        } else {
            format!("{} {}", entry.title_zh, entry.title_en)
        };
        let certificate = match entry.source {
            common::cpd::CpdSource::Verified => entry.id.as_str(),
            common::cpd::CpdSource::SelfReported => "",
        };
        writer.write_record([
            both(entry.source.names()),
            entry.completed_on.to_string(),
            neutralise(&title),
            neutralise(&entry.provider),
            both(entry.kind.names()),
            hours(entry.cpd_tenths),
            certificate.to_owned(),
            neutralise(entry.evidence.as_ref().map_or("", |e| e.file_name.as_str())),
            neutralise(entry.reflection.as_deref().unwrap_or("")),
        ])?;
    }
    writer.write_record([""])?;
    writer.write_record([
        "期間 Period",
        "由 From",
        "至 Until",
        "已核實 Verified",
        "自行申報 Self-reported",
        "計算時數 Counted",
        "最低要求 Minimum",
        "達標 Met",
    ])?;
    let periods = record
        .years
        .iter()
        .map(|p| ("年度 Year", p))
        .chain(record.cycles.iter().map(|p| ("周期 Cycle", p)));
    for (label, period) in periods {
        writer.write_record([
            label.to_owned(),
            period.from.to_string(),
            period.until.to_string(),
            hours(period.verified_tenths),
            hours(period.self_reported_tenths),
            hours(period.counted_tenths),
            period.minimum_tenths.map(hours).unwrap_or_default(),
            match period.met() {
                Some(true) => "是 Yes",
                Some(false) => "否 No",
                None => "",
            }
            .to_owned(),
        ])?;
    }
    writer.into_inner().map_err(|e| e.into_error().into())
}
