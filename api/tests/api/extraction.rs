//! An uploaded document's text is taken in a child process of the server's executable,
//! killed and reaped at its deadline; a child that fails or writes garbage gives no text.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use api::files::content::Kind;
use api::files::extraction::Extraction;

use crate::helpers::{chinese_pdf, pdf_of, temp_dir};

fn pdf() -> Kind {
    Kind::named("pdf").unwrap()
}

/// The server's executable under another name, so that its children are told from those
/// of other tests running beside.
fn renamed_familylink(dir: &Path) -> PathBuf {
    let path = dir.join("familylink-under-test");
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_familylink"), &path).unwrap();
    path
}

/// Processes running `program`: itself, or a shell running it as a script.
fn running(program: &Path) -> usize {
    let program = program.as_os_str().as_encoded_bytes();
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|entry| std::fs::read(entry.ok()?.path().join("cmdline")).ok())
        .filter(|cmdline| cmdline.split(|&b| b == 0).any(|word| word == program))
        .count()
}

/// A PDF whose object stream has `entries` entries all at one array of `length` numbers,
/// which lopdf parses once per entry while it loads the document.
fn overlapping_object_stream(entries: usize, length: usize) -> Vec<u8> {
    let index: String = (0..entries).map(|n| format!("{} 0 ", n + 10)).collect();
    let content = format!("{index}[{}]", "0 ".repeat(length));
    pdf_of(&[
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [] /Count 0 >>".to_owned(),
        format!(
            "<< /Type /ObjStm /N {entries} /First {} /Length {} >>\nstream\n{content}\nendstream",
            index.len(),
            content.len()
        ),
    ])
}

#[test]
fn a_document_is_read_in_the_child() {
    let extraction = Extraction::new(env!("CARGO_BIN_EXE_familylink").into());
    // 家庭支援 情緒 in Big5, under a Big5 CMap and no ToUnicode map.
    let bytes = chinese_pdf("ETen-B5-H", "AE61AE78A4E4B4A920B1A1BAFC");
    assert_eq!(extraction.text(pdf(), &bytes), "家庭支援 情緒");
    let text = Kind::named("txt").unwrap();
    assert_eq!(
        extraction.text(text, "  親子\n關係 ".as_bytes()),
        "親子 關係"
    );
    assert_eq!(extraction.text(Kind::named("png").unwrap(), b"\x89PNG"), "");
}

#[test]
fn a_child_still_busy_at_its_deadline_is_killed_and_reaped() {
    let dir = temp_dir();
    let deadline = Duration::from_millis(500);
    let extraction = Extraction {
        deadline,
        ..Extraction::new(renamed_familylink(&dir.0))
    };
    // Seconds of lopdf's time in a release build, which the child does not get.
    let crafted = overlapping_object_stream(500, 15_000);
    let started = Instant::now();
    assert_eq!(extraction.text(pdf(), &crafted), "");
    let took = started.elapsed();
    assert!(
        took >= deadline && took < deadline + Duration::from_secs(1),
        "{took:?}"
    );
    assert_eq!(running(&extraction.program), 0, "nothing of it runs on");
}

#[test]
fn a_child_that_fails_or_writes_garbage_gives_no_text() {
    let dir = temp_dir();
    let script = |name: &str, body: &str| {
        use std::os::unix::fs::PermissionsExt;
        let path = dir.0.join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o700)).unwrap();
        path
    };
    let bytes = chinese_pdf("ETen-B5-H", "AE61AE78");
    let programs = [
        dir.0.join("no such program"),
        script("fails", "echo 家庭; exit 3"),
        script("latin1", r"printf 'caf\351'"),
        // Text without end: cut off and killed at once, not at the deadline.
        script(
            "endless",
            "cat > /dev/null; while :; do echo 家庭支援; done",
        ),
    ];
    for program in programs {
        let extraction = Extraction::new(program.clone());
        let started = Instant::now();
        assert_eq!(extraction.text(pdf(), &bytes), "", "{program:?}");
        assert!(started.elapsed() < Duration::from_secs(5), "{program:?}");
        assert_eq!(running(&program), 0, "{program:?}");
    }
}
