//! The PDFs the server writes (i-TLS certificates, CPD transcripts), drawn by hand.
//!
//! Pages are set in one CJK font that has Latin too, embedded as a subset of the glyphs the
//! document uses (a whole CJK font is tens of megabytes), with a ToUnicode map so the text can
//! be searched and copied. No date of writing goes in, so the same content always gives the
//! same bytes and can be rendered again on demand rather than stored.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use chrono::NaiveDate;
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, TextRenderingMode, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use qrcode::{Color, EcLevel, QrCode};
use subsetter::GlyphRemapper;
use ttf_parser::{name_id, Face, GlyphId, RawFace, Tag};

use crate::error::ApiError;

/// Where the font is looked for when no path is configured (the Debian package's file).
/// Debian's `fonts-noto-cjk`: Noto Sans CJK, a collection whose Hong Kong face is picked.
pub const DEFAULT_FONT_PATH: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

pub const NAVY: [f32; 3] = [0.10, 0.22, 0.40];
pub const INK: [f32; 3] = [0.12, 0.12, 0.12];
pub const GREY: [f32; 3] = [0.42, 0.42, 0.42];

/// A4, in points, upright.
pub const A4: (f32, f32) = (595.0, 842.0);

/// The font documents are set in: a CJK TrueType/OpenType font file, read once.
pub struct Font {
    data: Vec<u8>,
    /// The face within a collection (0 for a file of one font).
    index: u32,
}

impl Font {
    /// Reads and checks the font at `path` (it must have glyphs for CJK ideographs and Latin).
    pub fn load(path: &Path) -> Result<Font, String> {
        let fail = |why: String| format!("PDF font {}: {why}", path.display());
        let data = std::fs::read(path).map_err(|e| fail(e.to_string()))?;
        let index = pick_face(&data);
        let face = Face::parse(&data, index).map_err(|e| fail(e.to_string()))?;
        for probe in ['證', 'A'] {
            if face.glyph_index(probe).is_none() {
                return Err(fail(format!("no glyph for {probe:?}")));
            }
        }
        // An outline format the subsetter lacks (CFF2) then shows at startup, not per document.
        subsetter::subset(&data, index, &GlyphRemapper::new()).map_err(|e| fail(e.to_string()))?;
        Ok(Font { data, index })
    }

    pub fn face(&self) -> Result<Face<'_>, String> {
        Face::parse(&self.data, self.index).map_err(|e| format!("PDF font: {e}"))
    }
}

/// The font, read from its file at the first PDF written (it is large, and most requests
/// never need it).
#[derive(Clone)]
pub struct Fonts {
    path: PathBuf,
    font: Arc<OnceLock<Result<Arc<Font>, String>>>,
}

impl Fonts {
    pub fn at(path: PathBuf) -> Fonts {
        Fonts {
            path,
            font: Arc::default(),
        }
    }

    pub fn get(&self) -> Result<Arc<Font>, ApiError> {
        self.font
            .get_or_init(|| Font::load(&self.path).map(Arc::new))
            .clone()
            .map_err(|e| ApiError::Unavailable(format!("the PDF font: {e}")))
    }
}

const FONT: Name = Name(b"F0");
const IDENTITY: SystemInfo = SystemInfo {
    registry: Str(b"Adobe"),
    ordering: Str(b"Identity"),
    supplement: 0,
};

#[derive(Clone, Copy)]
pub struct Style {
    pub size: f32,
    pub color: [f32; 3],
    /// Drawn with a thin outline as well, for a heavier look from the one regular face.
    pub bold: bool,
}

impl Style {
    pub fn plain(size: f32, color: [f32; 3]) -> Self {
        Style {
            size,
            color,
            bold: false,
        }
    }

    pub fn bold(size: f32, color: [f32; 3]) -> Self {
        Style {
            size,
            color,
            bold: true,
        }
    }
}

/// Which point of a line its x gives.
#[derive(Clone, Copy)]
pub enum Align {
    Left,
    Centre,
    Right,
}

/// Where a line goes: how it aligns to x, x, its baseline, and the widest it may be.
pub type Place = (Align, f32, f32, f32);

/// A column of a table: its heading, width and alignment.
pub struct Column<'a> {
    pub heading: &'a str,
    pub width: f32,
    pub align: Align,
}

/// One character as laid out: the font's glyph for it and that glyph's advance (font units).
#[derive(Clone, Copy)]
struct Glyph {
    id: u16,
    ch: char,
    advance: u16,
}

/// The document being drawn, a page at a time, with the glyphs it has used so far.
pub struct Sheet<'f> {
    face: &'f Face<'f>,
    units_per_em: f32,
    pub width: f32,
    pub height: f32,
    /// The font's glyph ids to the subset's, which the text is written in.
    glyphs: GlyphRemapper,
    /// What each glyph of the subset shows, for the ToUnicode map.
    chars: BTreeMap<u16, char>,
    /// Every page so far; the last is the one drawn on.
    pages: Vec<Content>,
}

impl<'f> Sheet<'f> {
    /// A document of one page, `width` × `height` points.
    pub fn new(face: &'f Face<'f>, (width, height): (f32, f32)) -> Self {
        Sheet {
            face,
            units_per_em: f32::from(face.units_per_em()),
            width,
            height,
            glyphs: GlyphRemapper::new(),
            chars: BTreeMap::new(),
            pages: vec![Content::new()],
        }
    }

    pub fn new_page(&mut self) {
        self.pages.push(Content::new());
    }

    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    fn content(&mut self, page: usize) -> &mut Content {
        &mut self.pages[page]
    }

    fn last(&self) -> usize {
        self.pages.len() - 1
    }

    /// A double border inside the page's edge.
    pub fn frame(&mut self) {
        let (width, height, page) = (self.width, self.height, self.last());
        let [r, g, b] = NAVY;
        let c = self.content(page);
        c.set_stroke_rgb(r, g, b);
        for (inset, line) in [(22.0, 2.5), (30.0, 0.8)] {
            c.set_line_width(line);
            let (w, h) = (width - 2.0 * inset, height - 2.0 * inset);
            c.rect(inset, inset, w, h).stroke();
        }
    }

    /// A horizontal line from `from` to `to` at `y`.
    pub fn rule(&mut self, from: f32, to: f32, y: f32, line: f32) {
        let page = self.last();
        let [r, g, b] = NAVY;
        let c = self.content(page);
        c.set_stroke_rgb(r, g, b).set_line_width(line);
        c.move_to(from, y).line_to(to, y).stroke();
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

    /// The text in lines at most `max_width` wide: broken at the last space that fits, or
    /// between any two characters when none does (Chinese has no spaces).
    fn wrap(&self, text: &str, size: f32, max_width: f32) -> Vec<Vec<Glyph>> {
        let mut lines = Vec::new();
        let mut line: Vec<Glyph> = Vec::new();
        for glyph in self.shape(text) {
            if glyph.ch == ' ' && line.is_empty() {
                continue;
            }
            line.push(glyph);
            if line.len() > 1 && self.width(&line, size) > max_width {
                let last = line.pop().into_iter();
                let space = line.iter().rposition(|g| g.ch == ' ').filter(|&at| at > 0);
                let rest: Vec<Glyph> = match space {
                    Some(at) => line.drain(at..).skip(1).chain(last).collect(),
                    None => last.collect(),
                };
                lines.push(std::mem::take(&mut line));
                line = rest.into_iter().skip_while(|g| g.ch == ' ').collect();
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }

    /// One line of text, shrunk or cut to fit (`fit`).
    pub fn text(&mut self, text: &str, style: Style, (align, x, y, max_width): Place) {
        let (glyphs, size) = self.fit(self.shape(text), style.size, max_width);
        let page = self.last();
        self.draw(page, &glyphs, Style { size, ..style }, (align, x, y));
    }

    /// The glyphs in `style` on `page`, aligned to x on the baseline y.
    fn draw(
        &mut self,
        page: usize,
        glyphs: &[Glyph],
        style: Style,
        (align, x, y): (Align, f32, f32),
    ) {
        if glyphs.is_empty() {
            return;
        }
        let size = style.size;
        let width = self.width(glyphs, size);
        let start = match align {
            Align::Left => x,
            Align::Centre => x - width / 2.0,
            Align::Right => x - width,
        };
        let mut codes = Vec::with_capacity(2 * glyphs.len());
        for glyph in glyphs {
            let cid = self.glyphs.remap(glyph.id);
            // .notdef stands for every character the font lacks: it copies as U+FFFD.
            let ch = if glyph.id == 0 { '\u{FFFD}' } else { glyph.ch };
            self.chars.entry(cid).or_insert(ch);
            codes.extend(cid.to_be_bytes());
        }

        let [r, g, b] = style.color;
        let c = self.content(page);
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

    /// A table from `left`, its first line's top at `top`, its cells wrapped to their
    /// columns. A row that no longer fits above `bottom` goes to a new page, whose table
    /// starts at `restart` under the headings again. Where the table ends.
    pub fn table(
        &mut self,
        columns: &[Column],
        rows: &[Vec<String>],
        (left, top, bottom, restart): (f32, f32, f32, f32),
        style: Style,
    ) -> f32 {
        const GAP: f32 = 6.0;
        let leading = style.size * 1.35;
        let right = left + columns.iter().map(|c| c.width).sum::<f32>();
        let cells = |sheet: &Self, row: &[&str]| -> Vec<Vec<Vec<Glyph>>> {
            columns
                .iter()
                .zip(row)
                .map(|(column, text)| sheet.wrap(text, style.size, column.width - GAP))
                .collect()
        };
        let headings: Vec<&str> = columns.iter().map(|c| c.heading).collect();
        let heading = cells(self, &headings);
        let height = |cells: &[Vec<Vec<Glyph>>]| {
            cells.iter().map(Vec::len).max().unwrap_or(1).max(1) as f32 * leading + 4.0
        };
        let mut y = top;
        let draw_row = |sheet: &mut Self, y: &mut f32, cells: &[Vec<Vec<Glyph>>], style: Style| {
            let page = sheet.last();
            let mut x = left;
            for (column, lines) in columns.iter().zip(cells) {
                let at = match column.align {
                    Align::Left => x,
                    Align::Centre => x + (column.width - GAP) / 2.0,
                    Align::Right => x + column.width - GAP,
                };
                for (n, line) in lines.iter().enumerate() {
                    let baseline = *y - style.size - n as f32 * leading;
                    sheet.draw(page, line, style, (column.align, at, baseline));
                }
                x += column.width;
            }
            *y -= height(cells);
        };
        let head_style = Style::bold(style.size, NAVY);
        draw_row(self, &mut y, &heading, head_style);
        self.rule(left, right, y + 2.0, 0.6);
        for row in rows {
            let texts: Vec<&str> = row.iter().map(String::as_str).collect();
            let row = cells(self, &texts);
            if y - height(&row) < bottom {
                self.new_page();
                y = restart;
                draw_row(self, &mut y, &heading, head_style);
                self.rule(left, right, y + 2.0, 0.6);
            }
            draw_row(self, &mut y, &row, style);
        }
        y
    }

    /// Text on every page at the same place, `label` given the page's number and the
    /// count, e.g. a footer "Page 2 of 3".
    pub fn on_every_page(
        &mut self,
        label: impl Fn(usize, usize) -> String,
        style: Style,
        (align, x, y): (Align, f32, f32),
    ) {
        let count = self.pages.len();
        for page in 0..count {
            let glyphs = self.shape(&label(page + 1, count));
            self.draw(page, &glyphs, style, (align, x, y));
        }
    }

    /// The QR code of `url`, `side` points square, its bottom right corner at (right, bottom).
    pub fn qr(&mut self, url: &str, (right, bottom, side): (f32, f32, f32)) -> Result<(), String> {
        let code = QrCode::with_error_correction_level(url, EcLevel::M)
            .map_err(|e| format!("link as a QR code: {e}"))?;
        let modules = code.width();
        let module = side / modules as f32;
        let (left, top) = (right - side, bottom + side);
        let page = self.last();
        let c = self.content(page);
        c.set_fill_rgb(0.0, 0.0, 0.0);
        for (row, cells) in code.to_colors().chunks(modules).enumerate() {
            let y = top - (row + 1) as f32 * module;
            let mut column = 0;
            // One rectangle per run of dark modules, so viewers show no seams between them.
            for run in cells.chunk_by(|a, b| a == b) {
                if run[0] == Color::Dark {
                    let x = left + column as f32 * module;
                    c.rect(x, y, run.len() as f32 * module, module);
                }
                column += run.len();
            }
        }
        c.fill_nonzero();
        Ok(())
    }

    /// The PDF: the pages, and the font as a CID font of the glyphs used (Identity-H encoding).
    pub fn finish(self, font: &Font, title: &str) -> Result<Vec<u8>, String> {
        let subset = subsetter::subset(&font.data, font.index, &self.glyphs)
            .map_err(|e| format!("subsetting the PDF font: {e}"))?;
        // A CFF font (Noto CJK) goes in as its bare CFF table; a TrueType one whole.
        let cff = RawFace::parse(&subset, 0)
            .ok()
            .and_then(|raw| raw.table(Tag::from_bytes(b"CFF ")));

        let [catalog, pages, info] = [1, 2, 3].map(Ref::new);
        let [type0, cid_font, descriptor, to_unicode, font_file] = [4, 5, 6, 7, 8].map(Ref::new);
        // Each page and its content after the font's objects.
        let page_refs: Vec<(Ref, Ref)> = (0..self.pages.len() as i32)
            .map(|n| (Ref::new(9 + 2 * n), Ref::new(10 + 2 * n)))
            .collect();
        let mut pdf = Pdf::new();
        pdf.catalog(catalog)
            .pages(pages)
            .lang(TextStr("zh-Hant-HK"));
        pdf.document_info(info)
            .title(TextStr(title))
            .creator(TextStr("FamilyLink"));
        pdf.pages(pages)
            .kids(page_refs.iter().map(|&(page, _)| page))
            .count(page_refs.len() as i32);
        for (content, &(page, content_ref)) in self.pages.into_iter().zip(&page_refs) {
            let mut writer = pdf.page(page);
            writer.media_box(Rect::new(0.0, 0.0, self.width, self.height));
            writer.parent(pages).contents(content_ref);
            writer.resources().fonts().pair(FONT, type0);
            writer.finish();
            pdf.stream(content_ref, &deflate(&content.finish()))
                .filter(Filter::FlateDecode);
        }

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

/// "2025年3月14日 (14 March 2025)".
pub fn both_languages(day: NaiveDate) -> String {
    format!(
        "{} ({})",
        day.format("%Y年%-m月%-d日"),
        day.format("%-d %B %Y")
    )
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

/// The six capital letters that name a font subset (PDF 32000-1, 9.6.4), from its glyphs.
fn subset_tag(glyphs: &GlyphRemapper) -> String {
    // FNV-1a: the same glyphs give the same tag, so the same document gives the same bytes.
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
        "FamilyLinkFont".to_owned()
    } else {
        name
    }
}

fn deflate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 6)
}

#[cfg(test)]
pub mod tests {
    use super::*;

    pub fn font() -> Font {
        Font::load(Path::new(DEFAULT_FONT_PATH))
            .expect("the font of Debian's fonts-noto-cjk is installed")
    }

    /// The text of every page, and how many there are.
    pub fn extracted_text(pdf: &[u8]) -> (String, usize) {
        let document = lopdf::Document::load_mem(pdf).expect("the PDF parses");
        let pages: Vec<u32> = document.get_pages().keys().copied().collect();
        let text = document.extract_text(&pages).expect("its text extracts");
        (text, pages.len())
    }

    #[test]
    fn picks_the_hong_kong_face_of_the_collection() {
        let font = font();
        assert_eq!(
            postscript_name(&font.face().unwrap()),
            "NotoSansCJKhk-Regular"
        );
    }

    #[test]
    fn a_missing_font_is_an_error() {
        assert!(Font::load(Path::new("/nonexistent/font.ttc")).is_err());
    }

    #[test]
    fn long_text_wraps_at_spaces_and_between_chinese_characters() {
        let font = font();
        let face = font.face().unwrap();
        let sheet = Sheet::new(&face, A4);
        let lines = |text: &str| -> Vec<String> {
            sheet
                .wrap(text, 10.0, 70.0)
                .iter()
                .map(|line| line.iter().map(|g| g.ch).collect())
                .collect()
        };
        assert_eq!(
            lines("Risk assessment basics"),
            ["Risk", "assessment", "basics"]
        );
        let chinese = lines("家庭暴力個案的風險評估");
        assert!(chinese.len() > 1 && chinese.concat() == "家庭暴力個案的風險評估");
        assert!(lines("  ").is_empty());
    }

    #[test]
    fn a_long_table_runs_over_pages_with_its_headings_on_each() {
        let font = font();
        let face = font.face().unwrap();
        let mut sheet = Sheet::new(&face, A4);
        let columns = [
            Column {
                heading: "項目 Item",
                width: 200.0,
                align: Align::Left,
            },
            Column {
                heading: "時數 Hours",
                width: 80.0,
                align: Align::Right,
            },
        ];
        let rows: Vec<Vec<String>> = (1..=120)
            .map(|n| vec![format!("第{n}項"), n.to_string()])
            .collect();
        sheet.table(
            &columns,
            &rows,
            (48.0, 790.0, 60.0, 790.0),
            Style::plain(9.0, INK),
        );
        sheet.on_every_page(
            |n, of| format!("{n}/{of}"),
            Style::plain(8.0, GREY),
            (Align::Centre, 297.0, 30.0),
        );
        let pages = sheet.page_count();
        let (text, count) = extracted_text(&sheet.finish(&font, "table").unwrap());
        assert!(pages > 1 && count == pages);
        assert_eq!(text.matches("項目 Item").count(), pages);
        assert!(text.contains("第120項") && text.contains(&format!("{pages}/{pages}")));
    }
}
