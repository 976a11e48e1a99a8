//! i-TLS course-completion certificates as one-page PDFs.
//!
//! The page is set in one CJK font that has Latin too, embedded as a subset of the glyphs the
//! page uses (a whole CJK font is tens of megabytes), with a ToUnicode map so the text can be
//! searched and copied. No date of writing goes in, so the same certificate always gives the
//! same bytes and can be rendered again on demand rather than stored.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, TextRenderingMode, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use qrcode::{Color, EcLevel, QrCode};
use subsetter::GlyphRemapper;
use ttf_parser::{name_id, Face, GlyphId, RawFace, Tag};

/// Where the font is looked for when no path is configured (the Debian package's file).
/// Debian's `fonts-noto-cjk`: Noto Sans CJK, a collection whose Hong Kong face is picked.
pub const DEFAULT_FONT_PATH: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

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

/// The font the certificate is set in: a CJK TrueType/OpenType font file, read once.
pub struct CertificateFont {
    data: Vec<u8>,
    /// The face within a collection (0 for a file of one font).
    index: u32,
}

impl CertificateFont {
    /// Reads and checks the font at `path` (it must have glyphs for CJK ideographs and Latin).
    pub fn load(path: &Path) -> Result<CertificateFont, String> {
        let fail = |why: String| format!("certificate font {}: {why}", path.display());
        let data = std::fs::read(path).map_err(|e| fail(e.to_string()))?;
        let index = pick_face(&data);
        let face = Face::parse(&data, index).map_err(|e| fail(e.to_string()))?;
        for probe in ['證', 'A'] {
            if face.glyph_index(probe).is_none() {
                return Err(fail(format!("no glyph for {probe:?}")));
            }
        }
        // An outline format the subsetter lacks (CFF2) then shows at startup, not per certificate.
        subsetter::subset(&data, index, &GlyphRemapper::new()).map_err(|e| fail(e.to_string()))?;
        Ok(CertificateFont { data, index })
    }
}

/// The certificate as a one-page A4 landscape PDF: bilingual headings, the learner's name
/// large, the course's titles, CPD hours, the day completed (and expiry when any), the issuer,
/// the code, and a QR code of `verify_url` with the URL printed under it.
pub fn render(font: &CertificateFont, text: &CertificateText) -> Result<Vec<u8>, String> {
    let face = Face::parse(&font.data, font.index).map_err(|e| format!("certificate font: {e}"))?;
    let mut sheet = Sheet::new(&face);
    sheet.frame();

    let mid = WIDTH / 2.0;
    let full = WIDTH - 2.0 * MARGIN;
    let heading = |size| Style::bold(size, NAVY);
    let label = |size| Style::plain(size, GREY);
    let body = |size| Style::plain(size, INK);
    let centre = |y| (Align::Centre, mid, y, full);

    sheet.text("證書", heading(40.0), centre(486.0));
    sheet.text("Certificate of Completion", heading(22.0), centre(452.0));
    sheet.rule(mid - 90.0, mid + 90.0, 436.0);
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
    sheet.qr(text.verify_url)?;
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

const NAVY: [f32; 3] = [0.10, 0.22, 0.40];
const INK: [f32; 3] = [0.12, 0.12, 0.12];
const GREY: [f32; 3] = [0.42, 0.42, 0.42];

const FONT: Name = Name(b"F0");
const IDENTITY: SystemInfo = SystemInfo {
    registry: Str(b"Adobe"),
    ordering: Str(b"Identity"),
    supplement: 0,
};

#[derive(Clone, Copy)]
struct Style {
    size: f32,
    color: [f32; 3],
    /// Drawn with a thin outline as well, for a heavier look from the one regular face.
    bold: bool,
}

impl Style {
    fn plain(size: f32, color: [f32; 3]) -> Self {
        Style {
            size,
            color,
            bold: false,
        }
    }

    fn bold(size: f32, color: [f32; 3]) -> Self {
        Style {
            size,
            color,
            bold: true,
        }
    }
}

/// Which point of a line its x gives.
#[derive(Clone, Copy)]
enum Align {
    Left,
    Centre,
    Right,
}

/// Where a line goes: how it aligns to x, x, its baseline, and the widest it may be.
type Place = (Align, f32, f32, f32);

/// One character as laid out: the font's glyph for it and that glyph's advance (font units).
#[derive(Clone, Copy)]
struct Glyph {
    id: u16,
    ch: char,
    advance: u16,
}

/// The page being drawn, with the glyphs it has used so far.
struct Sheet<'f> {
    face: &'f Face<'f>,
    units_per_em: f32,
    /// The font's glyph ids to the subset's, which the text is written in.
    glyphs: GlyphRemapper,
    /// What each glyph of the subset shows, for the ToUnicode map.
    chars: BTreeMap<u16, char>,
    content: Content,
}

impl<'f> Sheet<'f> {
    fn new(face: &'f Face<'f>) -> Self {
        Sheet {
            face,
            units_per_em: f32::from(face.units_per_em()),
            glyphs: GlyphRemapper::new(),
            chars: BTreeMap::new(),
            content: Content::new(),
        }
    }

    /// A double border inside the page's edge.
    fn frame(&mut self) {
        let [r, g, b] = NAVY;
        self.content.set_stroke_rgb(r, g, b);
        for (inset, width) in [(22.0, 2.5), (30.0, 0.8)] {
            self.content.set_line_width(width);
            let (w, h) = (WIDTH - 2.0 * inset, HEIGHT - 2.0 * inset);
            self.content.rect(inset, inset, w, h).stroke();
        }
    }

    fn rule(&mut self, from: f32, to: f32, y: f32) {
        let [r, g, b] = NAVY;
        self.content.set_stroke_rgb(r, g, b).set_line_width(1.0);
        self.content.move_to(from, y).line_to(to, y).stroke();
    }

    /// The glyphs for `text`. Characters the font lacks get its .notdef glyph; invisible ones
    /// (controls, joiners, variation selectors) are dropped rather than drawn as .notdef.
    fn shape(&self, text: &str) -> Vec<Glyph> {
        text.trim()
            .chars()
            .map(|ch| if ch.is_whitespace() { ' ' } else { ch })
            .filter(|&ch| !ch.is_control() && !invisible(ch))
            .map(|ch| {
                let id = self.face.glyph_index(ch).unwrap_or(GlyphId(0));
                let advance = self.face.glyph_hor_advance(id).unwrap_or(0);
                Glyph {
                    id: id.0,
                    ch,
                    advance,
                }
            })
            .collect()
    }

    fn width(&self, glyphs: &[Glyph], size: f32) -> f32 {
        let units: u32 = glyphs.iter().map(|g| u32::from(g.advance)).sum();
        units as f32 * size / self.units_per_em
    }

    /// The line's glyphs and size so that it is at most `max_width` wide: shrunk down to half
    /// its size (6 pt at the least), and past that cut short with an ellipsis.
    fn fit(&self, glyphs: Vec<Glyph>, size: f32, max_width: f32) -> (Vec<Glyph>, f32) {
        let natural = self.width(&glyphs, size);
        if natural <= max_width {
            return (glyphs, size);
        }
        let smallest = (size / 2.0).max(6.0).min(size);
        if self.width(&glyphs, smallest) <= max_width {
            return (glyphs, size * max_width / natural);
        }
        let ellipsis = self.shape("…");
        let mut used = self.width(&ellipsis, smallest);
        let mut kept: Vec<Glyph> = glyphs
            .into_iter()
            .take_while(|glyph| {
                used += self.width(&[*glyph], smallest);
                used <= max_width
            })
            .collect();
        kept.extend(ellipsis);
        (kept, smallest)
    }

    fn text(&mut self, text: &str, style: Style, (align, x, y, max_width): Place) {
        let (glyphs, size) = self.fit(self.shape(text), style.size, max_width);
        if glyphs.is_empty() {
            return;
        }
        let width = self.width(&glyphs, size);
        let start = match align {
            Align::Left => x,
            Align::Centre => x - width / 2.0,
            Align::Right => x - width,
        };
        let mut codes = Vec::with_capacity(2 * glyphs.len());
        for glyph in &glyphs {
            let cid = self.glyphs.remap(glyph.id);
            // .notdef stands for every character the font lacks: it copies as U+FFFD.
            let ch = if glyph.id == 0 { '\u{FFFD}' } else { glyph.ch };
            self.chars.entry(cid).or_insert(ch);
            codes.extend(cid.to_be_bytes());
        }

        let [r, g, b] = style.color;
        let c = &mut self.content;
        c.set_fill_rgb(r, g, b);
        if style.bold {
            c.set_stroke_rgb(r, g, b).set_line_width(size * 0.025);
            c.begin_text()
                .set_text_rendering_mode(TextRenderingMode::FillStroke);
        } else {
            c.begin_text()
                .set_text_rendering_mode(TextRenderingMode::Fill);
        }
        c.set_font(FONT, size);
        c.set_text_matrix([1.0, 0.0, 0.0, 1.0, start, y]);
        c.show(Str(&codes));
        c.end_text();
    }

    /// The QR code of `url`, its bottom right corner at (QR_RIGHT, QR_BOTTOM).
    fn qr(&mut self, url: &str) -> Result<(), String> {
        let code = QrCode::with_error_correction_level(url, EcLevel::M)
            .map_err(|e| format!("verification link as a QR code: {e}"))?;
        let modules = code.width();
        let module = QR_SIDE / modules as f32;
        let (left, top) = (QR_RIGHT - QR_SIDE, QR_BOTTOM + QR_SIDE);
        self.content.set_fill_rgb(0.0, 0.0, 0.0);
        for (row, cells) in code.to_colors().chunks(modules).enumerate() {
            let y = top - (row + 1) as f32 * module;
            let mut column = 0;
            // One rectangle per run of dark modules, so viewers show no seams between them.
            for run in cells.chunk_by(|a, b| a == b) {
                if run[0] == Color::Dark {
                    let x = left + column as f32 * module;
                    self.content.rect(x, y, run.len() as f32 * module, module);
                }
                column += run.len();
            }
        }
        self.content.fill_nonzero();
        Ok(())
    }

    /// The PDF: the page, and the font as a CID font of the glyphs used (Identity-H encoding).
    fn finish(self, font: &CertificateFont, title: &str) -> Result<Vec<u8>, String> {
        let subset = subsetter::subset(&font.data, font.index, &self.glyphs)
            .map_err(|e| format!("subsetting the certificate font: {e}"))?;
        // A CFF font (Noto CJK) goes in as its bare CFF table; a TrueType one whole.
        let cff = RawFace::parse(&subset, 0)
            .ok()
            .and_then(|raw| raw.table(Tag::from_bytes(b"CFF ")));

        let [catalog, pages, page, content, info] = [1, 2, 3, 4, 5].map(Ref::new);
        let [type0, cid_font, descriptor, to_unicode, font_file] = [6, 7, 8, 9, 10].map(Ref::new);
        let mut pdf = Pdf::new();
        pdf.catalog(catalog)
            .pages(pages)
            .lang(TextStr("zh-Hant-HK"));
        pdf.document_info(info)
            .title(TextStr(title))
            .creator(TextStr("FamilyLink"));
        pdf.pages(pages).kids([page]).count(1);
        let mut writer = pdf.page(page);
        writer.media_box(Rect::new(0.0, 0.0, WIDTH, HEIGHT));
        writer.parent(pages).contents(content);
        writer.resources().fonts().pair(FONT, type0);
        writer.finish();
        pdf.stream(content, &deflate(&self.content.finish()))
            .filter(Filter::FlateDecode);

        let face = self.face;
        let scale = |units: f32| units * 1000.0 / self.units_per_em;
        let name = format!("{}+{}", subset_tag(&self.glyphs), postscript_name(face));
        let name = Name(name.as_bytes());
        pdf.type0_font(type0)
            .base_font(name)
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid_font)
            .to_unicode(to_unicode);

        let mut cid = pdf.cid_font(cid_font);
        cid.subtype(if cff.is_some() {
            CidFontType::Type0
        } else {
            CidFontType::Type2
        });
        cid.base_font(name)
            .system_info(IDENTITY)
            .font_descriptor(descriptor);
        if cff.is_none() {
            cid.cid_to_gid_map_predefined(Name(b"Identity"));
        }
        // The subsetter numbers the kept glyphs 0.. in remapping order, and those are the CIDs.
        let widths = self
            .glyphs
            .remapped_gids()
            .map(|old| scale(f32::from(face.glyph_hor_advance(GlyphId(old)).unwrap_or(0))));
        cid.widths().consecutive(0, widths);
        cid.finish();

        let bbox = face.global_bounding_box();
        let weight = f32::from(face.weight().to_number());
        let mut desc = pdf.font_descriptor(descriptor);
        desc.name(name)
            .flags(FontFlags::SYMBOLIC)
            .bbox(Rect::new(
                scale(bbox.x_min.into()),
                scale(bbox.y_min.into()),
                scale(bbox.x_max.into()),
                scale(bbox.y_max.into()),
            ))
            .italic_angle(face.italic_angle())
            .ascent(scale(face.ascender().into()))
            .descent(scale(face.descender().into()))
            .cap_height(scale(
                face.capital_height().unwrap_or(face.ascender()).into(),
            ))
            // PDF wants a stem width; this is the usual estimate from the weight class.
            .stem_v(10.0 + 0.244 * (weight - 50.0));
        if cff.is_some() {
            desc.font_file3(font_file);
        } else {
            desc.font_file2(font_file);
        }
        desc.finish();

        let packed = deflate(cff.unwrap_or(&subset));
        let mut file = pdf.stream(font_file, &packed);
        file.filter(Filter::FlateDecode);
        if cff.is_some() {
            file.pair(Name(b"Subtype"), Name(b"CIDFontType0C"));
        }
        file.finish();

        let mut cmap = UnicodeCmap::new(Name(b"FamilyLink-UTF16"), IDENTITY);
        for (&cid, &ch) in &self.chars {
            cmap.pair(cid, ch);
        }
        pdf.cmap(to_unicode, &deflate(&cmap.finish()))
            .filter(Filter::FlateDecode);

        Ok(pdf.finish())
    }
}

/// In a collection (Noto CJK's `.ttc` holds one face per region), the face with Hong Kong's
/// glyph forms, else Taiwan's, else the first; never a monospaced one.
fn pick_face(data: &[u8]) -> u32 {
    let count = ttf_parser::fonts_in_collection(data).unwrap_or(1);
    (0..count)
        .max_by_key(|&index| (region_rank(data, index), std::cmp::Reverse(index)))
        .unwrap_or(0)
}

fn region_rank(data: &[u8], index: u32) -> u8 {
    let Ok(face) = Face::parse(data, index) else {
        return 0;
    };
    let family = face
        .names()
        .into_iter()
        .filter(|name| name.name_id == name_id::FAMILY)
        .find_map(|name| name.to_string())
        .unwrap_or_default();
    let words: Vec<&str> = family.split_whitespace().collect();
    if words.contains(&"Mono") {
        0
    } else if words.contains(&"HK") {
        2
    } else {
        u8::from(words.contains(&"TC"))
    }
}

/// Characters that show nothing: zero-width spaces and joiners, word joiners, variation
/// selectors and the byte order mark.
fn invisible(ch: char) -> bool {
    matches!(
        ch,
        '\u{200B}'..='\u{200F}'
            | '\u{2060}'..='\u{2064}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{E0100}'..='\u{E01EF}'
    )
}

/// "2025年3月14日 (14 March 2025)".
fn both_languages(day: NaiveDate) -> String {
    format!(
        "{} ({})",
        day.format("%Y年%-m月%-d日"),
        day.format("%-d %B %Y")
    )
}

/// The six capital letters that name a font subset (PDF 32000-1, 9.6.4), from its glyphs.
fn subset_tag(glyphs: &GlyphRemapper) -> String {
    // FNV-1a: the same glyphs give the same tag, so the same certificate gives the same bytes.
    let mut hash = glyphs.remapped_gids().fold(0x811c_9dc5_u32, |h, gid| {
        (h ^ u32::from(gid)).wrapping_mul(0x0100_0193)
    });
    (0..6)
        .map(|_| {
            let letter = char::from(b'A' + (hash % 26) as u8);
            hash /= 26;
            letter
        })
        .collect()
}

fn postscript_name(face: &Face) -> String {
    let name: String = face
        .names()
        .into_iter()
        .filter(|name| name.name_id == name_id::POST_SCRIPT_NAME)
        .find_map(|name| name.to_string())
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    if name.is_empty() {
        "CertificateFont".to_owned()
    } else {
        name
    }
}

fn deflate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 6)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn font() -> CertificateFont {
        CertificateFont::load(Path::new(DEFAULT_FONT_PATH))
            .expect("the font of Debian's fonts-noto-cjk is installed")
    }

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
        let document = lopdf::Document::load_mem(pdf).expect("the PDF parses");
        assert_eq!(document.get_pages().len(), 1);
        document.extract_text(&[1]).expect("its text extracts")
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
    fn picks_the_hong_kong_face_of_the_collection() {
        let font = font();
        let face = Face::parse(&font.data, font.index).unwrap();
        assert_eq!(postscript_name(&face), "NotoSansCJKhk-Regular");
    }

    #[test]
    fn a_missing_font_is_an_error() {
        assert!(CertificateFont::load(Path::new("/nonexistent/font.ttc")).is_err());
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
