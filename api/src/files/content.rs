//! What an uploaded file is, told from its bytes, and the text it gives search.
//!
//! Everything here reads untrusted bytes, so every reader is bounded (decompressed sizes,
//! characters kept, time spent on a PDF's pages) and a panic in a parsing library is caught
//! and taken as an unreadable file.
//!
//! These are the readers themselves, run in the process that calls them. The server does
//! not call [`text`] for a document: `files::extraction` runs it in a process of its own
//! with hard limits of time and memory, because lopdf can spend minutes on a few crafted
//! kilobytes (it parses every entry of an object stream to the end of that entry's object,
//! so overlapping entries multiply the work) while the document loads, beyond the reach of
//! any limit passed to it.

use std::io::{Cursor, Read};
use std::panic::{catch_unwind, UnwindSafe};
use std::time::Duration;

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

/// Every kind, to name one by its extension.
const KINDS: [Kind; 9] = [PDF, DOCX, XLSX, PPTX, PNG, JPEG, MP4, MP3, TEXT];

impl Kind {
    /// The kind whose extension this is.
    pub fn named(extension: &str) -> Option<Kind> {
        KINDS.into_iter().find(|kind| kind.extension == extension)
    }

    /// Whether its text is taken by parsing a document format (PDF, Word), which is worth a
    /// process of its own; a text file's is only checked and folded.
    pub fn parsed_for_text(self) -> bool {
        matches!(self, PDF | DOCX)
    }
}

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

/// The text of a file for search, read here: a PDF's text (its pages read until `pages_for`
/// has passed), a Word document's paragraphs, a text file's contents; empty for every
/// other kind and for a file that cannot be read. Whitespace runs are one space, and at
/// most [`MAX_TEXT_CHARS`] characters are kept.
pub fn text(kind: Kind, bytes: &[u8], pages_for: Duration) -> String {
    guarded(|| match kind {
        PDF => super::pdf_text::read(bytes, pages_for),
        DOCX => docx_text(bytes),
        TEXT => std::str::from_utf8(bytes).ok().map(clean),
        _ => None,
    })
    .unwrap_or_default()
}

/// Text as search keeps it: see [`Collected`].
pub fn clean(text: &str) -> String {
    let mut out = Collected::default();
    out.push(text);
    out.text
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
/// database's text cannot always hold) become one space, none leading or trailing; the
/// replacement character, which a decoder puts for what it could not read, is left out.
#[derive(Default)]
pub(super) struct Collected {
    pub(super) text: String,
    chars: usize,
    gap: bool,
}

impl Collected {
    /// Adds `s`; false once [`MAX_TEXT_CHARS`] are in.
    pub(super) fn push(&mut self, s: &str) -> bool {
        for c in s.chars() {
            if c == char::REPLACEMENT_CHARACTER {
                continue;
            }
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

    use zip::write::SimpleFileOptions;
    use zip::ZipWriter;

    use super::*;

    /// Time enough for any test's PDF.
    const TIME: Duration = Duration::from_secs(10);

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
    fn docx_paragraphs_come_out_with_chinese_intact() {
        let bytes = docx(TWO_PARAGRAPHS);
        assert_eq!(sniff(&bytes), Some(DOCX));
        assert_eq!(
            text(DOCX, &bytes, TIME),
            "家庭暴力的評估工具 Risk assessment for families & carers"
        );
    }

    #[test]
    fn docx_text_is_capped() {
        let long = "<w:p><w:r><w:t>word</w:t></w:r></w:p>".repeat(MAX_TEXT_CHARS / 4);
        let capped = text(DOCX, &docx(&long), TIME);
        assert_eq!(capped.chars().count(), MAX_TEXT_CHARS - 1);
        assert!(capped.starts_with("word word") && capped.ends_with("word"));
        // Only the first DOCX_XML_LIMIT bytes of the part are inflated.
        let padded = format!(
            "<w:p><w:r><w:t>start</w:t></w:r></w:p>{}<w:p><w:r><w:t>end</w:t></w:r></w:p>",
            " ".repeat(DOCX_XML_LIMIT as usize)
        );
        assert_eq!(text(DOCX, &docx(&padded), TIME), "start");
    }

    #[test]
    fn damaged_docx_gives_partial_or_no_text_without_panicking() {
        let bytes = docx(TWO_PARAGRAPHS);
        for end in 0..bytes.len() {
            let _ = sniff(&bytes[..end]);
            let _ = text(DOCX, &bytes[..end], TIME);
        }
        let cut = b"<w:document><w:body><w:p><w:r><w:t>kept</w:t></w:r></w:p><w:p><w:r><w:t>cut";
        let cut = zip(&[("word/document.xml", cut)]);
        assert_eq!(text(DOCX, &cut, TIME), "kept cut");
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
        assert_eq!(text(XLSX, &xlsx, TIME), "");
        assert_eq!(text(PPTX, &pptx, TIME), "");
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
        assert_eq!(text(PNG, b"\x89PNG\r\n\x1a\n", TIME), "");
    }

    #[test]
    fn text_files_are_utf8_without_control_characters() {
        let notes = "Parenting notes\r\n\t家庭暴力  評估\n\n".as_bytes();
        assert_eq!(sniff(notes), Some(TEXT));
        assert_eq!(text(TEXT, notes, TIME), "Parenting notes 家庭暴力 評估");
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
