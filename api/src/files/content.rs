//! What an uploaded file is, told from its bytes, and the text it gives search.
//!
//! Everything here reads untrusted bytes, so every reader is bounded (decompressed sizes,
//! characters kept, time spent on a PDF) and a panic in a parsing library is caught and
//! taken as an unreadable file.
//!
//! The one thing that is not a plain function call is a PDF's text: it is read on a thread
//! of its own and given up on after [`PDF_TIME`], because lopdf parses every entry of an
//! object stream to the end of that entry's object, so a few kilobytes crafted with
//! overlapping entries keep it busy for minutes while the document loads, before any page
//! is read and beyond the reach of any limit passed to it. Such a thread runs on until
//! lopdf is done, but the upload that brought the file does not wait for it.

use std::io::{Cursor, Read};
use std::panic::{catch_unwind, UnwindSafe};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use lopdf::{Document, LoadOptions};
use quick_xml::events::Event;
use quick_xml::Reader;
use zip::ZipArchive;

/// A kind of file the platform accepts, decided from the bytes themselves (never from the
/// name or the browser's Content-Type).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kind {
    pub media_type: &'static str,
    pub extension: &'static str,
}

/// The most characters of a file's text kept for search.
pub const MAX_TEXT_CHARS: usize = 200_000;

const PDF: Kind = Kind {
    media_type: "application/pdf",
    extension: "pdf",
};
const DOCX: Kind = Kind {
    media_type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    extension: "docx",
};
const XLSX: Kind = Kind {
    media_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    extension: "xlsx",
};
const PPTX: Kind = Kind {
    media_type: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    extension: "pptx",
};
const PNG: Kind = Kind {
    media_type: "image/png",
    extension: "png",
};
const JPEG: Kind = Kind {
    media_type: "image/jpeg",
    extension: "jpg",
};
const MP4: Kind = Kind {
    media_type: "video/mp4",
    extension: "mp4",
};
const MP3: Kind = Kind {
    media_type: "audio/mpeg",
    extension: "mp3",
};
// The charset is named because the media type is what a download is served with, and a
// browser left to guess shows Chinese as mojibake.
const TEXT: Kind = Kind {
    media_type: "text/plain; charset=utf-8",
    extension: "txt",
};

/// The Office Open XML kinds, each told by the main part only it has.
const OFFICE_PARTS: [(&str, Kind); 3] = [
    ("word/document.xml", DOCX),
    ("xl/workbook.xml", XLSX),
    ("ppt/presentation.xml", PPTX),
];

/// MP4 major brands (ISO base media files whose brand says MP4 rather than QuickTime,
/// HEIF images or M4A audio).
const MP4_BRANDS: [&[u8]; 12] = [
    b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ", b"dash",
    b"mmp4", b"MSNV",
];

/// How far past an ID3 tag the first MP3 frame may start (encoders pad with zeros).
const MP3_SYNC_WINDOW: usize = 4096;

/// The most of word/document.xml that is inflated: a small zip can hold gigabytes.
const DOCX_XML_LIMIT: u64 = 20 << 20;

/// The most one PDF stream may inflate to while the document loads (object and
/// cross-reference streams); real ones are far smaller.
const PDF_STREAM_LIMIT: usize = 8 << 20;
/// The most a page's content, and each of its fonts' ToUnicode maps, may inflate to.
const PDF_PAGE_LIMIT: usize = 4 << 20;
/// Pages naming more fonts are skipped: every font's map is inflated anew for each page,
/// so a crafted page listing one bomb under many names would multiply it.
const PDF_MAX_FONTS_PER_PAGE: usize = 32;
/// Pages read per call to lopdf, which walks the whole page tree on every call.
const PDF_PAGES_PER_CALL: usize = 8;
/// How long a PDF's text is waited for; a real document is read in well under it.
const PDF_TIME: Duration = Duration::from_secs(10);

/// The kind of these bytes, if the platform accepts it: PDF, Word (.docx), Excel (.xlsx),
/// PowerPoint (.pptx), PNG, JPEG, MP4 video, MP3 audio, and plain UTF-8 text.
/// A zip that is not exactly one of the three Office Open XML kinds, an Office file with
/// macros, a legacy OLE .doc and an empty file are refused.
pub fn sniff(bytes: &[u8]) -> Option<Kind> {
    if bytes.starts_with(b"%PDF-") {
        Some(PDF)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(PNG)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(JPEG)
    } else if bytes.get(4..8) == Some(b"ftyp")
        && bytes
            .get(8..12)
            .is_some_and(|brand| MP4_BRANDS.contains(&brand))
    {
        Some(MP4)
    } else if bytes.starts_with(b"PK\x03\x04") {
        guarded(|| office_kind(bytes))
    } else if is_mp3(bytes) {
        Some(MP3)
    } else if is_text(bytes) {
        Some(TEXT)
    } else {
        None
    }
}

/// The text of a file for search: a PDF's text, a Word document's paragraphs, a text
/// file's contents; empty for every other kind and for a file that cannot be read.
/// Whitespace runs are one space, and at most [`MAX_TEXT_CHARS`] characters are kept.
pub fn text(kind: Kind, bytes: &[u8]) -> String {
    guarded(|| match kind {
        PDF => pdf_text(bytes, PDF_TIME),
        DOCX => docx_text(bytes),
        TEXT => std::str::from_utf8(bytes).ok().map(|s| {
            let mut out = Collected::default();
            out.push(s);
            out.text
        }),
        _ => None,
    })
    .unwrap_or_default()
}

/// A panic in a parsing library, on bytes it did not expect, counts as "not readable".
fn guarded<T>(read: impl FnOnce() -> Option<T> + UnwindSafe) -> Option<T> {
    catch_unwind(read).ok().flatten()
}

fn office_kind(bytes: &[u8]) -> Option<Kind> {
    let archive = ZipArchive::new(Cursor::new(bytes)).ok()?;
    // Macro-enabled files (.docm and kin) carry their code in vbaProject.bin.
    if archive
        .file_names()
        .any(|name| name.ends_with("vbaProject.bin"))
    {
        return None;
    }
    let mut kinds = OFFICE_PARTS
        .iter()
        .filter(|(part, _)| archive.index_for_name(part).is_some());
    match (kinds.next(), kinds.next()) {
        (Some(&(_, kind)), None) => Some(kind),
        _ => None,
    }
}

/// An MP3 frame header at the start, or after an ID3v2 tag (which also fronts other
/// audio formats, hence the frame is looked for behind it).
fn is_mp3(bytes: &[u8]) -> bool {
    match bytes {
        [b'I', b'D', b'3', 2..=4, _, flags, size @ ..] if size.len() >= 4 => {
            let size = &size[..4];
            if size.iter().any(|b| b & 0x80 != 0) {
                return false;
            }
            let tag = size.iter().fold(0usize, |n, b| (n << 7) | usize::from(*b));
            let footer = if flags & 0x10 != 0 { 10 } else { 0 };
            let start = 10 + tag + footer;
            let window = bytes.get(start..).unwrap_or_default();
            let window = &window[..window.len().min(MP3_SYNC_WINDOW)];
            window.windows(4).any(is_mp3_frame)
        }
        _ => bytes.get(..4).is_some_and(is_mp3_frame),
    }
}

/// An MPEG audio Layer III frame header: sync bits, a valid version, bitrate and rate.
fn is_mp3_frame(header: &[u8]) -> bool {
    let &[0xFF, b1, b2, _] = header else {
        return false;
    };
    b1 & 0xE0 == 0xE0
        && (b1 >> 3) & 3 != 1
        && (b1 >> 1) & 3 == 1
        && b2 >> 4 != 0xF
        && (b2 >> 2) & 3 != 3
}

/// Valid UTF-8 with no control characters but line breaks and tabs (so no UTF-16, which
/// is full of NULs, and no binary that happens to decode).
fn is_text(bytes: &[u8]) -> bool {
    !bytes.is_empty()
        && std::str::from_utf8(bytes).is_ok_and(|s| {
            s.chars()
                .all(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'))
        })
}

/// A PDF's text, or none if it is not read within `wait` (see the module's note).
fn pdf_text(bytes: &[u8], wait: Duration) -> Option<String> {
    let bytes = bytes.to_vec();
    let (sender, receiver) = mpsc::sync_channel(1);
    thread::Builder::new()
        .name("pdf-text".to_owned())
        .spawn(move || {
            // The reader stops taking pages in time for what it has to be sent back.
            let text = guarded(|| read_pdf(&bytes, wait * 3 / 4));
            // The caller may have stopped waiting.
            let _ = sender.send(text);
        })
        .ok()?;
    receiver.recv_timeout(wait).ok().flatten()
}

/// The text of the pages read before `pages_until` has passed.
fn read_pdf(bytes: &[u8], pages_until: Duration) -> Option<String> {
    let options = LoadOptions {
        max_decompressed_size: Some(PDF_STREAM_LIMIT),
        ..LoadOptions::default()
    };
    let started = Instant::now();
    let doc = Document::load_mem_with_options(bytes, options).ok()?;
    let pages: Vec<u32> = doc
        .get_pages()
        .into_iter()
        .filter(|&(_, id)| {
            doc.get_page_fonts(id)
                .is_ok_and(|fonts| fonts.len() <= PDF_MAX_FONTS_PER_PAGE)
        })
        .map(|(number, _)| number)
        .collect();
    let mut out = Collected::default();
    'pages: for batch in pages.chunks(PDF_PAGES_PER_CALL) {
        if started.elapsed() > pages_until {
            break;
        }
        // A page or font that fails (damaged, or over the limit) costs only its own text.
        for chunk in doc
            .extract_text_chunks_with_limit(batch, PDF_PAGE_LIMIT)
            .into_iter()
            .flatten()
        {
            if !out.push(&chunk) {
                break 'pages;
            }
        }
    }
    Some(out.text)
}

fn docx_text(bytes: &[u8]) -> Option<String> {
    let mut archive = ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut xml = Vec::new();
    // A damaged entry still gives the text before the damage.
    let _ = archive
        .by_name("word/document.xml")
        .ok()?
        .take(DOCX_XML_LIMIT)
        .read_to_end(&mut xml);
    let mut reader = Reader::from_reader(xml.as_slice());
    let mut out = Collected::default();
    // Text is what runs (w:t, and a:t or m:t in drawings and equations) hold; the rest
    // of the XML is markup, field codes or deleted text.
    let mut in_text = false;
    loop {
        let room = match reader.read_event() {
            Ok(Event::Start(e)) => {
                in_text = e.local_name().as_ref() == b"t";
                true
            }
            Ok(Event::End(e)) => {
                in_text = false;
                e.local_name().as_ref() != b"p" || out.push(" ")
            }
            Ok(Event::Empty(e)) => {
                !matches!(e.local_name().as_ref(), b"tab" | b"br" | b"cr") || out.push(" ")
            }
            Ok(Event::Text(t)) if in_text => t.unescape().map_or(true, |s| out.push(&s)),
            // Truncated or malformed XML keeps what was read before it.
            Ok(Event::Eof) | Err(_) => false,
            Ok(_) => true,
        };
        if !room {
            break;
        }
    }
    Some(out.text)
}

/// Text gathered for search: whitespace runs (and control characters, which a
/// database's text cannot always hold) become one space, none leading or trailing.
#[derive(Default)]
struct Collected {
    text: String,
    chars: usize,
    gap: bool,
}

impl Collected {
    /// Adds `s`; false once [`MAX_TEXT_CHARS`] are in.
    fn push(&mut self, s: &str) -> bool {
        for c in s.chars() {
            if c.is_whitespace() || c.is_control() {
                self.gap = !self.text.is_empty();
                continue;
            }
            if self.chars + usize::from(self.gap) >= MAX_TEXT_CHARS {
                return false;
            }
            if std::mem::take(&mut self.gap) {
                self.text.push(' ');
                self.chars += 1;
            }
            self.text.push(c);
            self.chars += 1;
        }
        self.chars < MAX_TEXT_CHARS
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use lopdf::content::{Content, Operation};
    use lopdf::{dictionary, Object, Stream, StringFormat};
    use zip::write::SimpleFileOptions;
    use zip::ZipWriter;

    use super::*;

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

    /// A zip of these (name, contents) entries, deflated.
    fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
        for (name, contents) in entries {
            writer
                .start_file(*name, SimpleFileOptions::default())
                .unwrap();
            writer.write_all(contents).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    const CONTENT_TYPES: &[u8] = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>"#;

    fn docx(body: &str) -> Vec<u8> {
        let document = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
        );
        zip(&[
            ("[Content_Types].xml", CONTENT_TYPES),
            ("word/document.xml", document.as_bytes()),
        ])
    }

    const TWO_PARAGRAPHS: &str = concat!(
        r#"<w:p><w:r><w:t>家庭暴力</w:t></w:r><w:r><w:t>的評估工具</w:t></w:r></w:p>"#,
        r#"<w:p><w:r><w:t xml:space="preserve">Risk  assessment </w:t></w:r>"#,
        r#"<w:r><w:t>for families &amp; carers</w:t></w:r></w:p>"#,
    );

    #[test]
    fn pdf_text_is_extracted() {
        let bytes = latin_pdf();
        assert_eq!(sniff(&bytes), Some(PDF));
        let got = text(PDF, &bytes);
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
        assert_eq!(text(PDF, &bytes), "家庭暴力");
    }

    #[test]
    fn damaged_pdfs_give_partial_or_no_text_without_panicking() {
        let bytes = latin_pdf();
        let truncated = &bytes[..bytes.len() / 2];
        assert_eq!(sniff(truncated), Some(PDF));
        let _ = text(PDF, truncated);
        assert_eq!(text(PDF, b"%PDF-1.7\n"), "");
        // Every prefix, and the file with bytes overwritten through it.
        for end in (0..bytes.len()).step_by(7) {
            let _ = text(PDF, &bytes[..end]);
            let mut mangled = bytes.clone();
            mangled[end] ^= 0x5A;
            let _ = text(PDF, &mangled);
        }
    }

    /// A PDF whose object stream has `entries` entries all at one array of `length`
    /// numbers, which lopdf parses once per entry while it loads the document.
    fn overlapping_object_stream(entries: usize, length: usize) -> Vec<u8> {
        let index: String = (0..entries).map(|n| format!("{} 0 ", n + 10)).collect();
        let content = format!("{index}[{}]", "0 ".repeat(length));
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
            "<< /Type /Pages /Kids [] /Count 0 >>".to_owned(),
            format!(
                "<< /Type /ObjStm /N {entries} /First {} /Length {} >>\nstream\n{content}\nendstream",
                index.len(),
                content.len()
            ),
        ];
        let mut pdf = b"%PDF-1.5\n".to_vec();
        let mut offsets = Vec::new();
        for (n, object) in objects.iter().enumerate() {
            offsets.push(pdf.len());
            pdf.extend_from_slice(format!("{} 0 obj\n{object}\nendobj\n", n + 1).as_bytes());
        }
        let xref = pdf.len();
        pdf.extend_from_slice(b"xref\n0 4\n0000000000 65535 f \n");
        for offset in offsets {
            pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
        }
        let trailer = format!("trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        pdf.extend_from_slice(trailer.as_bytes());
        pdf
    }

    #[test]
    fn a_pdf_that_keeps_lopdf_busy_is_given_up_on() {
        // Some seconds of lopdf's time in a release build, more in a debug one.
        let bytes = overlapping_object_stream(500, 15_000);
        let wait = Duration::from_millis(500);
        let started = Instant::now();
        assert_eq!(pdf_text(&bytes, wait), None);
        assert!(started.elapsed() < wait + Duration::from_secs(2));
    }

    #[test]
    fn docx_paragraphs_come_out_with_chinese_intact() {
        let bytes = docx(TWO_PARAGRAPHS);
        assert_eq!(sniff(&bytes), Some(DOCX));
        assert_eq!(
            text(DOCX, &bytes),
            "家庭暴力的評估工具 Risk assessment for families & carers"
        );
    }

    #[test]
    fn docx_text_is_capped() {
        let long = "<w:p><w:r><w:t>word</w:t></w:r></w:p>".repeat(MAX_TEXT_CHARS / 4);
        let capped = text(DOCX, &docx(&long));
        assert_eq!(capped.chars().count(), MAX_TEXT_CHARS - 1);
        assert!(capped.starts_with("word word") && capped.ends_with("word"));
        // Only the first DOCX_XML_LIMIT bytes of the part are inflated.
        let padded = format!(
            "<w:p><w:r><w:t>start</w:t></w:r></w:p>{}<w:p><w:r><w:t>end</w:t></w:r></w:p>",
            " ".repeat(DOCX_XML_LIMIT as usize)
        );
        assert_eq!(text(DOCX, &docx(&padded)), "start");
    }

    #[test]
    fn damaged_docx_gives_partial_or_no_text_without_panicking() {
        let bytes = docx(TWO_PARAGRAPHS);
        for end in 0..bytes.len() {
            let _ = sniff(&bytes[..end]);
            let _ = text(DOCX, &bytes[..end]);
        }
        let cut = b"<w:document><w:body><w:p><w:r><w:t>kept</w:t></w:r></w:p><w:p><w:r><w:t>cut";
        let cut = zip(&[("word/document.xml", cut)]);
        assert_eq!(text(DOCX, &cut), "kept cut");
    }

    #[test]
    fn office_kinds_are_told_by_their_main_part() {
        let xlsx = zip(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("xl/workbook.xml", b"<workbook/>"),
        ]);
        let pptx = zip(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("ppt/presentation.xml", b"<presentation/>"),
        ]);
        assert_eq!(sniff(&xlsx), Some(XLSX));
        assert_eq!(sniff(&pptx), Some(PPTX));
        assert_eq!(text(XLSX, &xlsx), "");
        assert_eq!(text(PPTX, &pptx), "");
    }

    #[test]
    fn media_kinds_are_told_by_their_magic_bytes() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Some(PNG));
        assert_eq!(
            sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F']),
            Some(JPEG)
        );
        assert_eq!(sniff(b"\0\0\0\x18ftypmp42\0\0\0\0mp42isom"), Some(MP4));
        // An ID3v2.4 tag of 2 bytes, then an MPEG-1 Layer III frame at 128 kbit/s.
        assert_eq!(
            sniff(b"ID3\x04\0\0\0\0\0\x02\0\0\xFF\xFB\x90\x64"),
            Some(MP3)
        );
        assert_eq!(sniff(&[0xFF, 0xFB, 0x90, 0x64, 0, 0]), Some(MP3));
        assert_eq!(text(PNG, b"\x89PNG\r\n\x1a\n"), "");
    }

    #[test]
    fn text_files_are_utf8_without_control_characters() {
        let notes = "Parenting notes\r\n\t家庭暴力  評估\n\n".as_bytes();
        assert_eq!(sniff(notes), Some(TEXT));
        assert_eq!(text(TEXT, notes), "Parenting notes 家庭暴力 評估");
        assert_eq!(sniff(b"beep\x07"), None);
        assert_eq!(sniff(b"nul\0"), None);
        assert_eq!(sniff(b"caf\xE9"), None, "Latin-1 is not UTF-8");
        assert_eq!(sniff(b"\xFF\xFEh\0i\0"), None, "UTF-16");
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn other_files_are_refused() {
        let photos = zip(&[("photo.jpg", &[0xFF, 0xD8, 0xFF])]);
        assert_eq!(sniff(&photos), None);
        let docm = zip(&[
            ("word/document.xml", b"<w:document/>"),
            ("word/vbaProject.bin", b"macros"),
        ]);
        assert_eq!(sniff(&docm), None);
        let both = zip(&[("word/document.xml", b""), ("xl/workbook.xml", b"")]);
        assert_eq!(sniff(&both), None);
        assert_eq!(sniff(b"PK\x03\x04 not really a zip"), None);
        assert_eq!(sniff(b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xFF\xFF\0\0"), None);
        let ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0];
        assert_eq!(sniff(&ole), None);
        assert_eq!(sniff(b"\0\0\0\x18ftypqt  \0\0\0\0qt  "), None, "QuickTime");
        assert_eq!(
            sniff(b"\0\0\0\x18ftypheic\0\0\0\0mif1heic"),
            None,
            "HEIF image"
        );
        assert_eq!(
            sniff(b"ID3\x04\0\0\0\0\0\0fLaC"),
            None,
            "FLAC behind an ID3 tag"
        );
        let mut noise = 0x2545_F491_4F6C_DD1D_u64;
        let random: Vec<u8> = (0..4096)
            .map(|_| {
                noise ^= noise << 13;
                noise ^= noise >> 7;
                noise ^= noise << 17;
                noise as u8
            })
            .collect();
        assert_eq!(sniff(&random), None);
    }
}
