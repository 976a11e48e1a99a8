//! i-TLS course-completion certificates as one-page PDFs (drawn with `crate::pdf`), the
//! same certificate always the same bytes, so rendered again on demand rather than stored.

use chrono::NaiveDate;

use crate::pdf::{both_languages, Align, Font, Sheet, Style, GREY, INK, NAVY};

/// What a certificate shows: nothing else about the person.
pub struct CertificateText<'a> {
    pub learner_name: &'a str,
    pub course_title_zh: &'a str,
    pub course_title_en: &'a str,
    /// Already formatted, e.g. "6.5".
    pub cpd_hours: &'a str,
    pub completed_on: NaiveDate,
    pub issuer: &'a str,
    pub code: &'a str,
    pub verify_url: &'a str,
    pub expires_on: Option<NaiveDate>,
}

/// The certificate as a one-page A4 landscape PDF: bilingual headings, the learner's name
/// large, the course's titles, CPD hours, the day completed (and expiry when any), the issuer,
/// the code, and a QR code of `verify_url` with the URL printed under it.
pub fn render(font: &Font, text: &CertificateText) -> Result<Vec<u8>, String> {
    let face = font.face()?;
    let mut sheet = Sheet::new(&face, (WIDTH, HEIGHT));
    sheet.frame();

    let mid = WIDTH / 2.0;
    let full = WIDTH - 2.0 * MARGIN;
    let heading = |size| Style::bold(size, NAVY);
    let label = |size| Style::plain(size, GREY);
    let body = |size| Style::plain(size, INK);
    let centre = |y| (Align::Centre, mid, y, full);

    sheet.text("證書", heading(40.0), centre(486.0));
    sheet.text("Certificate of Completion", heading(22.0), centre(452.0));
    sheet.rule(mid - 90.0, mid + 90.0, 436.0, 1.0);
    sheet.text("茲證明 This is to certify that", label(12.0), centre(408.0));
    sheet.text(text.learner_name, Style::bold(30.0, INK), centre(368.0));
    sheet.text(
        "已完成課程 has completed the course",
        label(12.0),
        centre(334.0),
    );
    let title = |size| Style::plain(size, NAVY);
    sheet.text(text.course_title_zh, title(20.0), centre(302.0));
    sheet.text(text.course_title_en, title(15.0), centre(278.0));

    let hours = format!("持續專業發展時數 CPD hours: {}", text.cpd_hours);
    sheet.text(&hours, body(12.5), centre(242.0));
    let completed = format!(
        "完成日期 Completed on: {}",
        both_languages(text.completed_on)
    );
    sheet.text(&completed, body(12.5), centre(222.0));
    if let Some(day) = text.expires_on {
        let expires = format!("有效期至 Valid until: {}", both_languages(day));
        sheet.text(&expires, body(12.5), centre(202.0));
    }

    // The footer: who issued it and its code on the left, the way to check it on the right.
    let column = QR_RIGHT - QR_SIDE - MARGIN - 24.0;
    let left = |y| (Align::Left, MARGIN, y, column);
    sheet.text("頒發機構 Issued by", label(10.0), left(150.0));
    sheet.text(text.issuer, body(14.0), left(132.0));
    sheet.text("證書編號 Certificate no.", label(10.0), left(104.0));
    sheet.text(text.code, body(14.0), left(86.0));

    let right = |y, max_width| (Align::Right, QR_RIGHT, y, max_width);
    sheet.text(
        "掃描核實 Scan to verify",
        label(9.0),
        right(QR_BOTTOM + QR_SIDE + 8.0, column),
    );
    sheet.qr(text.verify_url, (QR_RIGHT, QR_BOTTOM, QR_SIDE))?;
    sheet.text(text.verify_url, label(7.5), right(QR_BOTTOM - 12.0, 330.0));

    let title = format!("證書 Certificate of Completion {}", text.code);
    sheet.finish(font, &title)
}

/// A4 landscape, in points.
const WIDTH: f32 = 842.0;
const HEIGHT: f32 = 595.0;
/// Text keeps this far from the page's left and right edges (the frame is drawn inside it).
const MARGIN: f32 = 72.0;
const QR_SIDE: f32 = 92.0;
const QR_RIGHT: f32 = WIDTH - MARGIN;
const QR_BOTTOM: f32 = 84.0;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::tests::font;

    fn sample() -> CertificateText<'static> {
        CertificateText {
            learner_name: "陳美玲 Chan Mei Ling",
            course_title_zh: "家庭暴力個案的風險評估",
            course_title_en: "Risk assessment in family violence cases",
            cpd_hours: "6.5",
            completed_on: NaiveDate::from_ymd_opt(2025, 3, 14).unwrap(),
            issuer: "海港家庭服務協會 Harbour Family Services",
            code: "FL-7K3M-9QXD-2B4T",
            verify_url: "https://familylink.example/verify/FL-7K3M-9QXD-2B4T",
            expires_on: NaiveDate::from_ymd_opt(2028, 3, 14),
        }
    }

    fn extracted_text(pdf: &[u8]) -> String {
        let (text, pages) = crate::pdf::tests::extracted_text(pdf);
        assert_eq!(pages, 1);
        text
    }

    #[test]
    fn renders_a_small_pdf_whose_chinese_and_english_text_extracts() {
        let pdf = render(&font(), &sample()).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(pdf.len() < 300 * 1024, "{} bytes", pdf.len());
        let text = extracted_text(&pdf);
        for expected in [
            "陳美玲 Chan Mei Ling",
            "家庭暴力個案的風險評估",
            "Risk assessment in family violence cases",
            "FL-7K3M-9QXD-2B4T",
            "有效期至 Valid until: 2028年3月14日 (14 March 2028)",
        ] {
            assert!(text.contains(expected), "{expected:?} not in {text:?}");
        }
    }

    #[test]
    fn the_same_certificate_gives_the_same_bytes() {
        let font = font();
        assert_eq!(
            render(&font, &sample()).unwrap(),
            render(&font, &sample()).unwrap()
        );
    }

    #[test]
    fn odd_input_neither_panics_nor_spills_off_the_page() {
        let font = font();
        let long_title = "Family violence ".repeat(200);
        let text = CertificateText {
            learner_name: "",
            course_title_zh: "😀\u{FE0F} 課程\n\t",
            course_title_en: &long_title,
            cpd_hours: "",
            issuer: "",
            code: "",
            verify_url: "",
            expires_on: None,
            ..sample()
        };
        let pdf = render(&font, &text).unwrap();
        let extracted = extracted_text(&pdf);
        // The emoji is .notdef (copied as U+FFFD); a title too long even when shrunk is cut ("…").
        assert!(extracted.contains("\u{FFFD} 課程"), "{extracted:?}");
        assert!(extracted.contains("Family violence Family violence"));
        assert!(extracted.contains('…'));
        assert!(!extracted.contains("Valid until"));
    }

    #[test]
    fn a_link_too_long_for_a_qr_code_is_an_error() {
        let url = "x".repeat(5000);
        let text = CertificateText {
            verify_url: &url,
            ..sample()
        };
        assert!(render(&font(), &text).is_err());
    }
}
