//! A PDF's text, read with lopdf: the document loaded, each page's content read and every
//! string it shows decoded by its font.
//!
//! How a font's codes become characters:
//! - a composite (Type0) font with a ToUnicode map: by the map;
//! - one without, by its predefined CMap: the Unicode CMaps (`Uni{CNS,GB,JIS,KS}-{UCS2,UTF16}-*`)
//!   are UTF-16 already; the Big5 ones (`ETen-B5`, `ETenms-B5`, `B5pc`, `HKscs-B5`) are
//!   Big5-HKSCS and the GBK family (`GBK-EUC`, `GBpc-EUC`, `GBK2K`, `GB-EUC`) GB 18030, both
//!   decoded by `encoding_rs`; `Identity-H/V` codes are CIDs, read through the embedded
//!   TrueType or OpenType program: CID to glyph (`CIDToGIDMap`, or a CID-keyed CFF's
//!   charset), glyph back to a character by the program's own `cmap` reversed. Many
//!   Traditional Chinese PDFs (older Word and Acrobat exports, government forms) have only
//!   these;
//! - a simple font: as lopdf reads it.
//!
//! What still cannot be decoded (another CMap, a bare CFF program, which keeps no `cmap`)
//! gives no text rather than mojibake.

use std::collections::HashMap;
use std::rc::Rc;
use std::time::{Duration, Instant};

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Encoding, LoadOptions, Object, ObjectId};
use ttf_parser::{Face, GlyphId};

use super::content::Collected;

/// The most one PDF stream may inflate to while the document loads (object and
/// cross-reference streams); real ones are far smaller.
const STREAM_LIMIT: usize = 8 << 20;
/// The most a page's content, and each of its fonts' ToUnicode maps, may inflate to.
const PAGE_LIMIT: usize = 4 << 20;
/// The most an embedded font program may inflate to: a whole CJK TrueType font is tens of
/// megabytes; read once per document, then only its map of characters is kept.
const FONT_LIMIT: usize = 40 << 20;
/// Pages naming more fonts are skipped, so that a crafted page listing one costly font under
/// many names does not multiply it.
const MAX_FONTS_PER_PAGE: usize = 32;

/// The text of the pages read before `pages_for` has passed.
pub fn read(bytes: &[u8], pages_for: Duration) -> Option<String> {
    let options = LoadOptions {
        max_decompressed_size: Some(STREAM_LIMIT),
        ..LoadOptions::default()
    };
    let started = Instant::now();
    let doc = Document::load_mem_with_options(bytes, options).ok()?;
    let mut fonts = Fonts::default();
    let mut out = Collected::default();
    for page in doc.get_pages().into_values() {
        if started.elapsed() > pages_for || !page_text(&doc, page, &mut fonts, &mut out) {
            break;
        }
    }
    Some(out.text)
}

/// Adds a page's text; false once `out` is full. A page that cannot be read (damaged, over
/// a limit) costs only its own text.
fn page_text<'a>(
    doc: &'a Document,
    page: ObjectId,
    fonts: &mut Fonts<'a>,
    out: &mut Collected,
) -> bool {
    let Ok(named) = doc.get_page_fonts(page) else {
        return true;
    };
    if named.len() > MAX_FONTS_PER_PAGE {
        return true;
    }
    let Some(content) = doc
        .get_page_content_with_limit(page, PAGE_LIMIT)
        .ok()
        .and_then(|data| Content::decode(&data).ok())
    else {
        return true;
    };
    let mut text = String::new();
    let mut font: Option<Rc<Decoder>> = None;
    for operation in &content.operations {
        let operands = operation.operands.as_slice();
        match operation.operator.as_str() {
            "Tf" => {
                font = operands
                    .first()
                    .and_then(|name| name.as_name().ok())
                    .and_then(|name| named.get(name))
                    .map(|&dict| fonts.decoder(doc, dict));
            }
            "Tj" | "TJ" => show(font.as_deref(), operands, &mut text),
            // `'` and `"` move to the next line, then show their (last) string.
            "'" | "\"" => {
                text.push('\n');
                let shown = operands.last().map(std::slice::from_ref);
                show(font.as_deref(), shown.unwrap_or_default(), &mut text);
            }
            "T*" | "ET" => text.push('\n'),
            _ => {}
        }
    }
    out.push(&text)
}

/// The strings of a text-showing operator, a wide negative adjustment inside an array
/// taken as the space it leaves.
fn show(font: Option<&Decoder>, operands: &[Object], text: &mut String) {
    let Some(font) = font else {
        return;
    };
    for operand in operands {
        match operand {
            Object::String(codes, _) => font.decode(codes, text),
            Object::Array(items) => {
                show(Some(font), items, text);
                text.push(' ');
            }
            Object::Integer(n) if *n < -100 => text.push(' '),
            Object::Real(n) if *n < -100.0 => text.push(' '),
            _ => {}
        }
    }
}

/// Each font's decoder, made once per document (a font is shared by many pages).
#[derive(Default)]
struct Fonts<'a> {
    made: HashMap<*const Dictionary, Rc<Decoder<'a>>>,
}

impl<'a> Fonts<'a> {
    fn decoder(&mut self, doc: &'a Document, font: &'a Dictionary) -> Rc<Decoder<'a>> {
        // The document does not change while it is read, so a font's address names it.
        self.made
            .entry(std::ptr::from_ref(font))
            .or_insert_with(|| Rc::new(Decoder::of(doc, font)))
            .clone()
    }
}

/// How a font's codes become text.
enum Decoder<'a> {
    /// lopdf's reading: a simple font's encoding, or a ToUnicode map.
    Mapped(Encoding<'a>),
    /// Codes that are UTF-16BE.
    Utf16,
    /// Codes that are a legacy Chinese character set's bytes.
    Charset(&'static encoding_rs::Encoding),
    /// Two-byte CIDs, and the character each shows.
    Cids(HashMap<u16, char>),
    Unreadable,
}

impl<'a> Decoder<'a> {
    fn of(doc: &'a Document, font: &'a Dictionary) -> Decoder<'a> {
        let name = |dict: &Dictionary, key: &[u8]| -> Option<Vec<u8>> {
            resolved(doc, dict, key)?.as_name().ok().map(<[u8]>::to_vec)
        };
        if name(font, b"Subtype").as_deref() != Some(b"Type0".as_slice()) {
            return font
                .get_font_encoding_with_limit(doc, PAGE_LIMIT)
                .map_or(Decoder::Unreadable, Decoder::Mapped);
        }
        // lopdf reads a font's ToUnicode map only when no /Encoding names another CMap.
        let mut mapped = font.clone();
        mapped.remove(b"Encoding");
        if let Ok(Encoding::UnicodeMapEncoding(map)) =
            mapped.get_font_encoding_with_limit(doc, PAGE_LIMIT)
        {
            return Decoder::Mapped(Encoding::UnicodeMapEncoding(map));
        }
        let Some(cmap) = name(font, b"Encoding") else {
            return Decoder::Unreadable;
        };
        let mut parts = cmap.split(|&b| b == b'-');
        let (first, second) = (parts.next().unwrap_or_default(), parts.next());
        let writing = cmap
            .strip_suffix(b"-H")
            .or_else(|| cmap.strip_suffix(b"-V"))
            .unwrap_or_default();
        match (first, second, writing) {
            (b"UniCNS" | b"UniGB" | b"UniJIS" | b"UniKS", Some(b"UCS2" | b"UTF16"), _) => {
                Decoder::Utf16
            }
            (_, _, b"ETen-B5" | b"ETenms-B5" | b"B5pc" | b"HKscs-B5") => {
                Decoder::Charset(encoding_rs::BIG5)
            }
            (_, _, b"GBK-EUC" | b"GBpc-EUC" | b"GBK2K" | b"GB-EUC") => {
                Decoder::Charset(encoding_rs::GB18030)
            }
            (_, _, b"Identity") => cid_chars(doc, font).map_or(Decoder::Unreadable, Decoder::Cids),
            _ => Decoder::Unreadable,
        }
    }

    /// Appends what `codes` show; a code that maps to nothing adds nothing.
    fn decode(&self, codes: &[u8], text: &mut String) {
        match self {
            // A code the map lacks comes out as U+FFFD, which `Collected` leaves out.
            Decoder::Mapped(encoding) => drop(encoding.write_to_string(codes, text)),
            Decoder::Utf16 => text.extend(
                char::decode_utf16(
                    codes
                        .chunks_exact(2)
                        .map(|pair| u16::from_be_bytes([pair[0], pair[1]])),
                )
                .filter_map(Result::ok),
            ),
            Decoder::Charset(charset) => {
                text.push_str(&charset.decode_without_bom_handling(codes).0);
            }
            Decoder::Cids(chars) => text.extend(
                codes
                    .chunks_exact(2)
                    .filter_map(|pair| chars.get(&u16::from_be_bytes([pair[0], pair[1]]))),
            ),
            Decoder::Unreadable => {}
        }
    }
}

/// A dictionary's entry, followed through a reference.
fn resolved<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let entry = dict.get(key).ok()?;
    doc.dereference(entry).ok().map(|(_, object)| object)
}

/// The character each CID of an `Identity-H/V` font shows, read from its descendant font's
/// embedded TrueType (`FontFile2`) or OpenType (`FontFile3`, `/Subtype /OpenType`) program.
fn cid_chars(doc: &Document, font: &Dictionary) -> Option<HashMap<u16, char>> {
    let descendant = resolved(doc, font, b"DescendantFonts")?
        .as_array()
        .ok()?
        .first()?;
    let descendant = doc.dereference(descendant).ok()?.1.as_dict().ok()?;
    let descriptor = resolved(doc, descendant, b"FontDescriptor")?
        .as_dict()
        .ok()?;
    let program = match resolved(doc, descriptor, b"FontFile2") {
        Some(file) => file.as_stream().ok()?,
        None => {
            let file = resolved(doc, descriptor, b"FontFile3")?.as_stream().ok()?;
            let subtype = file.dict.get(b"Subtype").and_then(Object::as_name).ok()?;
            (subtype == b"OpenType").then_some(file)?
        }
    };
    let data = program.get_plain_content_with_limit(FONT_LIMIT).ok()?;
    let face = Face::parse(&data, 0).ok()?;
    let chars = glyph_chars(&face);
    let truetype = resolved(doc, descendant, b"Subtype").and_then(|subtype| subtype.as_name().ok())
        == Some(b"CIDFontType2".as_slice());
    let cid_to_gid = resolved(doc, descendant, b"CIDToGIDMap")
        .and_then(|map| map.as_stream().ok())
        // Two bytes for each of at most 65,536 CIDs.
        .and_then(|map| map.get_plain_content_with_limit(2 << 16).ok());
    let cff_cids: Vec<(u16, u16)> = face
        .tables()
        .cff
        .map(|cff| {
            (0..face.number_of_glyphs())
                .filter_map(|gid| Some((cff.glyph_cid(GlyphId(gid))?, gid)))
                .collect()
        })
        .unwrap_or_default();
    let with_glyph = |(cid, gid): (u16, u16)| Some((cid, *chars.get(&gid)?));
    Some(match cid_to_gid {
        // A TrueType CIDFont's map, two bytes a CID; a CFF program ignores it.
        Some(map) if truetype => map
            .chunks_exact(2)
            .enumerate()
            .filter_map(|(cid, gid)| with_glyph((cid as u16, u16::from_be_bytes([gid[0], gid[1]]))))
            .collect(),
        // A CID-keyed CFF program names each glyph's CID in its charset.
        _ if !truetype && !cff_cids.is_empty() => {
            cff_cids.into_iter().filter_map(with_glyph).collect()
        }
        // Otherwise the CID is the glyph (`/CIDToGIDMap /Identity`, the default).
        _ => chars,
    })
}

/// The character each glyph of a font shows, by its Unicode `cmap` reversed. A glyph that
/// several characters share shows the one a reader means: a unified ideograph rather than
/// its Kangxi radical or compatibility twin, else the lowest; the Private Use Area means
/// nothing to search.
fn glyph_chars(face: &Face) -> HashMap<u16, char> {
    let rank = |c: char| {
        let variant = matches!(c as u32, 0x2E80..=0x2FDF | 0xF900..=0xFAFF | 0x2F800..=0x2FA1F);
        (variant, c)
    };
    let mut chars: HashMap<u16, char> = HashMap::new();
    let Some(cmap) = face.tables().cmap else {
        return chars;
    };
    for subtable in cmap.subtables.into_iter().filter(|s| s.is_unicode()) {
        subtable.codepoints(|code| {
            let private = matches!(code, 0xE000..=0xF8FF | 0xF0000..);
            let (Some(c), Some(glyph)) = (char::from_u32(code), subtable.glyph_index(code)) else {
                return;
            };
            if private || glyph.0 == 0 {
                return;
            }
            chars
                .entry(glyph.0)
                .and_modify(|kept| {
                    if rank(c) < rank(*kept) {
                        *kept = c;
                    }
                })
                .or_insert(c);
        });
    }
    chars
}

#[cfg(test)]
mod tests {
    use lopdf::content::{Content, Operation};
    use lopdf::{dictionary, Stream, StringFormat};

    use super::*;

    fn text(bytes: &[u8]) -> String {
        read(bytes, Duration::from_secs(10)).unwrap_or_default()
    }

    /// A one-page PDF showing `text` in the font `font` adds, with the streams that
    /// deflate smaller (the ToUnicode map below does) deflated.
    fn pdf(font: impl FnOnce(&mut Document) -> lopdf::Dictionary, text: Object) -> Vec<u8> {
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let font = font(&mut doc);
        let font_id = doc.add_object(font);
        let content = Content {
            operations: vec![
                Operation::new("BT", vec![]),
                Operation::new("Tf", vec!["F1".into(), 12.into()]),
                Operation::new("Td", vec![72.into(), 700.into()]),
                Operation::new("Tj", vec![text]),
                Operation::new("ET", vec![]),
            ],
        };
        let content_id = doc.add_object(Stream::new(dictionary! {}, content.encode().unwrap()));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => font_id } },
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages",
                "Kids" => vec![page_id.into()],
                "Count" => 1,
            }),
        );
        let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog_id);
        doc.compress();
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).unwrap();
        bytes
    }

    fn latin_pdf() -> Vec<u8> {
        let helvetica = |_: &mut Document| {
            dictionary! {
                "Type" => "Font",
                "Subtype" => "Type1",
                "BaseFont" => "Helvetica",
                "Encoding" => "WinAnsiEncoding",
            }
        };
        pdf(
            helvetica,
            Object::string_literal("Parenting stress toolkit"),
        )
    }

    #[test]
    fn pdf_text_is_extracted() {
        let bytes = latin_pdf();
        let got = text(&bytes);
        assert!(got.contains("Parenting"), "{got:?}");
        assert!(got.contains("toolkit"), "{got:?}");
    }

    #[test]
    fn pdf_chinese_comes_through_a_to_unicode_map() {
        let cmap = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CMapName /Adobe-Identity-UCS def /CMapType 2 def
1 begincodespacerange <0000> <FFFF> endcodespacerange
4 beginbfchar <0001> <5BB6> <0002> <5EAD> <0003> <66B4> <0004> <529B> endbfchar
endcmap CMapName currentdict /CMap defineresource pop end end";
        let mingliu = |doc: &mut Document| {
            let to_unicode = doc.add_object(Stream::new(dictionary! {}, cmap.to_vec()));
            dictionary! {
                "Type" => "Font",
                "Subtype" => "Type0",
                "BaseFont" => "MingLiU",
                "Encoding" => "Identity-H",
                "ToUnicode" => to_unicode,
            }
        };
        // Two-byte glyph codes 1 to 4, which only the ToUnicode map makes 家庭暴力.
        let codes = Object::String(vec![0, 1, 0, 2, 0, 3, 0, 4], StringFormat::Hexadecimal);
        let bytes = pdf(mingliu, codes);
        assert_eq!(text(&bytes), "家庭暴力");
    }

    #[test]
    fn damaged_pdfs_give_partial_or_no_text_without_panicking() {
        let bytes = latin_pdf();
        let truncated = &bytes[..bytes.len() / 2];
        let _ = text(truncated);
        assert_eq!(text(b"%PDF-1.7\n"), "");
        // Every prefix, and the file with bytes overwritten through it.
        for end in (0..bytes.len()).step_by(7) {
            let _ = text(&bytes[..end]);
            let mut mangled = bytes.clone();
            mangled[end] ^= 0x5A;
            let _ = text(&mangled);
        }
    }

    /// A composite font of `encoding` without a ToUnicode map, its descendant a CID font
    /// of `subtype` described by `descriptor`'s entries (an embedded program, or none),
    /// with `descendant`'s further entries.
    fn type0(
        encoding: &'static str,
        subtype: &'static str,
        descriptor: lopdf::Dictionary,
        descendant: lopdf::Dictionary,
    ) -> impl FnOnce(&mut Document) -> lopdf::Dictionary {
        move |doc: &mut Document| {
            let mut descriptor_dict = dictionary! {
                "Type" => "FontDescriptor",
                "FontName" => "MingLiU",
                "Flags" => 4,
            };
            descriptor_dict.extend(&descriptor);
            let descriptor = doc.add_object(descriptor_dict);
            let mut cid_font = dictionary! {
                "Type" => "Font",
                "Subtype" => subtype,
                "BaseFont" => "MingLiU",
                "CIDSystemInfo" => dictionary! {
                    "Registry" => Object::string_literal("Adobe"),
                    "Ordering" => Object::string_literal("CNS1"),
                    "Supplement" => 0,
                },
                "FontDescriptor" => descriptor,
            };
            cid_font.extend(&descendant);
            let cid_font = doc.add_object(cid_font);
            dictionary! {
                "Type" => "Font",
                "Subtype" => "Type0",
                "BaseFont" => "MingLiU",
                "Encoding" => encoding,
                "DescendantFonts" => vec![cid_font.into()],
            }
        }
    }

    fn codes(bytes: Vec<u8>) -> Object {
        Object::String(bytes, StringFormat::Hexadecimal)
    }

    fn utf16(text: &str) -> Vec<u8> {
        text.encode_utf16().flat_map(u16::to_be_bytes).collect()
    }

    #[test]
    fn unicode_cmaps_are_utf16() {
        for cmap in [
            "UniCNS-UCS2-H",
            "UniCNS-UTF16-V",
            "UniGB-UCS2-H",
            "UniJIS-UCS2-HW-V",
        ] {
            let font = type0(cmap, "CIDFontType0", dictionary! {}, dictionary! {});
            let bytes = pdf(font, codes(utf16("家庭支援 情緒")));
            assert_eq!(text(&bytes), "家庭支援 情緒", "{cmap}");
        }
        // Beyond the BMP in UTF-16 (𨋢, the Cantonese lift), and a lone surrogate left out.
        let font = type0(
            "UniCNS-UTF16-H",
            "CIDFontType0",
            dictionary! {},
            dictionary! {},
        );
        let mut shown = utf16("搭𨋢");
        shown.extend([0xD8, 0x00]);
        shown.extend(utf16("上樓"));
        assert_eq!(text(&pdf(font, codes(shown))), "搭𨋢上樓");
    }

    #[test]
    fn big5_and_gbk_cmaps_are_decoded_as_their_character_sets() {
        // 家庭支援 in Big5, and 𨋢 in HKSCS's part of it.
        let big5 = vec![
            0xAE, 0x61, 0xAE, 0x78, 0xA4, 0xE4, 0xB4, 0xA9, 0x20, 0x9D, 0xF2,
        ];
        for cmap in ["ETen-B5-H", "ETenms-B5-V", "B5pc-H", "HKscs-B5-H"] {
            let font = type0(cmap, "CIDFontType0", dictionary! {}, dictionary! {});
            assert_eq!(
                text(&pdf(font, codes(big5.clone()))),
                "家庭支援 𨋢",
                "{cmap}"
            );
        }
        // 情緒 in GBK (which has traditional characters too), 情绪 in GB 2312.
        for (cmap, words, gb) in [
            ("GBK-EUC-H", "情緒", vec![0xC7, 0xE9, 0xBE, 0x77]),
            ("GBK2K-V", "情緒", vec![0xC7, 0xE9, 0xBE, 0x77]),
            ("GB-EUC-H", "情绪", vec![0xC7, 0xE9, 0xD0, 0xF7]),
            ("GBpc-EUC-H", "情绪", vec![0xC7, 0xE9, 0xD0, 0xF7]),
        ] {
            let font = type0(cmap, "CIDFontType0", dictionary! {}, dictionary! {});
            assert_eq!(text(&pdf(font, codes(gb))), words, "{cmap}");
        }
    }

    #[test]
    fn codes_no_cmap_explains_give_no_text() {
        // Identity-H with neither a ToUnicode map nor an embedded program to read.
        let bare = type0("Identity-H", "CIDFontType0", dictionary! {}, dictionary! {});
        assert_eq!(text(&pdf(bare, codes(vec![0, 1, 0, 2]))), "");
        // A CMap of another character set (Shift-JIS).
        let sjis = type0(
            "90ms-RKSJ-H",
            "CIDFontType0",
            dictionary! {},
            dictionary! {},
        );
        assert_eq!(text(&pdf(sjis, codes(vec![0x83, 0x41]))), "");
    }

    /// An OpenType or TrueType font file of these tables (tag, bytes).
    fn sfnt(magic: &[u8; 4], mut tables: Vec<([u8; 4], Vec<u8>)>) -> Vec<u8> {
        tables.sort_by_key(|(tag, _)| *tag);
        let mut out = magic.to_vec();
        out.extend((tables.len() as u16).to_be_bytes());
        out.extend([0; 6]);
        let mut body = Vec::new();
        for (tag, data) in &tables {
            let offset = 12 + 16 * tables.len() + body.len();
            out.extend(tag);
            out.extend([0; 4]);
            out.extend((offset as u32).to_be_bytes());
            out.extend((data.len() as u32).to_be_bytes());
            body.extend(data);
            body.resize(body.len().next_multiple_of(4), 0);
        }
        out.extend(body);
        out
    }

    /// The tables of a font file (tag, bytes).
    fn tables(font: &[u8]) -> Vec<([u8; 4], Vec<u8>)> {
        let number = |at: usize, n: usize| {
            font[at..at + n]
                .iter()
                .fold(0usize, |v, b| (v << 8) | usize::from(*b))
        };
        (0..number(4, 2))
            .map(|i| {
                let record = 12 + 16 * i;
                let (offset, length) = (number(record + 8, 4), number(record + 12, 4));
                let tag = font[record..record + 4].try_into().unwrap();
                (tag, font[offset..offset + length].to_vec())
            })
            .collect()
    }

    /// A `cmap` table of one Unicode subtable (format 12) mapping these characters.
    fn cmap(mapped: &[(char, u16)]) -> Vec<u8> {
        let mut mapped = mapped.to_vec();
        mapped.sort();
        let mut table = [0u16, 1, 3, 10].map(u16::to_be_bytes).concat();
        table.extend(12u32.to_be_bytes());
        table.extend([12u16, 0].map(u16::to_be_bytes).concat());
        table.extend((16 + 12 * mapped.len() as u32).to_be_bytes());
        table.extend([0, mapped.len() as u32].map(u32::to_be_bytes).concat());
        for (c, glyph) in mapped {
            table.extend(
                [c as u32, c as u32, u32::from(glyph)]
                    .map(u32::to_be_bytes)
                    .concat(),
            );
        }
        table
    }

    /// A subset of Noto Sans CJK (the certificates' font) with the glyphs of `words`, and a
    /// `cmap` for them: subsetting drops the font's own, as a PDF writer's does.
    fn noto_subset(words: &str) -> (Vec<u8>, Vec<u16>) {
        let data = std::fs::read(crate::pdf::DEFAULT_FONT_PATH)
            .expect("the font of Debian's fonts-noto-cjk is installed");
        let face = Face::parse(&data, 0).unwrap();
        let mut remapper = subsetter::GlyphRemapper::new();
        let mapped: Vec<(char, u16)> = words
            .chars()
            .map(|c| (c, remapper.remap(face.glyph_index(c).unwrap().0)))
            .collect();
        let subset = subsetter::subset(&data, 0, &remapper).unwrap();
        let mut tables = tables(&subset);
        tables.push((*b"cmap", cmap(&mapped)));
        let glyphs = mapped.iter().map(|&(_, glyph)| glyph).collect();
        (sfnt(b"OTTO", tables), glyphs)
    }

    #[test]
    fn identity_cids_are_read_through_an_embedded_opentype_font() {
        let (font, glyphs) = noto_subset("家庭支援");
        let embedded = |doc: &mut Document| {
            let file = Stream::new(dictionary! { "Subtype" => "OpenType" }, font);
            dictionary! { "FontFile3" => doc.add_object(file) }
        };
        // The subset's glyphs are its CIDs (its CFF's charset says so).
        let shown: Vec<u8> = glyphs.iter().flat_map(|g| g.to_be_bytes()).collect();
        let opentype = |doc: &mut Document| {
            let descriptor = embedded(doc);
            type0("Identity-H", "CIDFontType0", descriptor, dictionary! {})(doc)
        };
        assert_eq!(text(&pdf(opentype, codes(shown))), "家庭支援");
    }

    #[test]
    fn identity_cids_go_to_truetype_glyphs_through_the_cid_to_gid_map() {
        // A TrueType program of 情緒's glyphs 1 and 2 (no outlines: only its cmap is read).
        let (opentype, _) = noto_subset("情緒");
        let mut kept: Vec<_> = tables(&opentype)
            .into_iter()
            .filter(|(tag, _)| matches!(tag, b"head" | b"hhea" | b"hmtx" | b"maxp"))
            .collect();
        kept.push((*b"cmap", cmap(&[('情', 1), ('緒', 2)])));
        let truetype = sfnt(&[0, 1, 0, 0], kept);
        // CID 5 shows glyph 2 and CID 7 glyph 1.
        let mut cid_to_gid = vec![0; 16];
        cid_to_gid[10..12].copy_from_slice(&2u16.to_be_bytes());
        cid_to_gid[14..16].copy_from_slice(&1u16.to_be_bytes());
        let font = |doc: &mut Document| {
            let file = doc.add_object(Stream::new(dictionary! {}, truetype));
            let map = doc.add_object(Stream::new(dictionary! {}, cid_to_gid));
            type0(
                "Identity-V",
                "CIDFontType2",
                dictionary! { "FontFile2" => file },
                dictionary! { "CIDToGIDMap" => map },
            )(doc)
        };
        assert_eq!(text(&pdf(font, codes(vec![0, 7, 0, 5, 0, 9]))), "情緒");
    }
}
