//! The built single-page app (dist/): its files, listed once at start and served precompressed
//! where the build left a `.br` or `.gz` beside them, and the hashes of its inline scripts for
//! the Content-Security-Policy. A rebuilt dist/ takes effect when the server restarts.

use std::collections::{HashMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};

use actix_files::NamedFile;
use actix_web::http::header::{self, AcceptEncoding, ContentEncoding, Encoding, HeaderValue};
use actix_web::mime::Mime;
use actix_web::{web, HttpMessage, HttpRequest, HttpResponse};
use base64::Engine;
use sha2::{Digest, Sha256};

/// Trunk's hashed names change with their content, so browsers may keep them for good.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// index.html names the current hashed files, and unhashed files may change in place:
/// both are revalidated (ETag, Last-Modified) on every use.
const REVALIDATE: &str = "no-cache";

pub struct WebApp {
    /// By URL path without the leading slash.
    files: HashMap<String, Asset>,
    /// `'sha256-…'` sources for the CSP: one per inline script of index.html.
    pub inline_script_hashes: Vec<String>,
}

struct Asset {
    path: PathBuf,
    content_type: Mime,
    cache_control: &'static str,
    brotli: Option<PathBuf>,
    gzip: Option<PathBuf>,
}

impl WebApp {
    /// Lists `dist`; a missing directory is an app that is not built (API tests run so).
    pub fn load(dist: &Path) -> io::Result<WebApp> {
        let mut names = HashSet::new();
        match list(dist, "", &mut names) {
            Err(error) if error.kind() == io::ErrorKind::NotFound => {}
            other => other?,
        }
        let mut files = HashMap::new();
        for name in &names {
            let is_variant = [".br", ".gz"].iter().any(|suffix| {
                name.strip_suffix(suffix)
                    .is_some_and(|plain| names.contains(plain))
            });
            if is_variant {
                continue;
            }
            let variant = |suffix: &str| {
                let compressed = format!("{name}{suffix}");
                names.contains(&compressed).then(|| dist.join(&compressed))
            };
            let extension = Path::new(name)
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or("");
            let asset = Asset {
                path: dist.join(name),
                content_type: actix_files::file_extension_to_mime(extension),
                cache_control: if is_hashed(name) {
                    IMMUTABLE
                } else {
                    REVALIDATE
                },
                brotli: variant(".br"),
                gzip: variant(".gz"),
            };
            files.insert(name.clone(), asset);
        }
        let inline_script_hashes = match std::fs::read_to_string(dist.join("index.html")) {
            Ok(html) => inline_script_hashes(&html),
            Err(error) if error.kind() == io::ErrorKind::NotFound => Vec::new(),
            Err(error) => return Err(error),
        };
        Ok(WebApp {
            files,
            inline_script_hashes,
        })
    }
}

/// Every file under `dir`, as paths relative to the top with `/` between folders.
fn list(dir: &Path, prefix: &str, names: &mut HashSet<String>) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        // Hidden files (Trunk's .stage while it builds) are not the app's, as with actix-files.
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        if name.starts_with('.') {
            continue;
        }
        let name = format!("{prefix}{name}");
        if entry.file_type()?.is_dir() {
            list(&entry.path(), &format!("{name}/"), names)?;
        } else {
            names.insert(name);
        }
    }
    Ok(())
}

/// Trunk names what it builds `<stem>-<hash>.<ext>` (the wasm `<stem>-<hash>_bg.wasm`), the hash
/// being up to 16 hexadecimal digits; copied files such as plotly.min.js keep their own name.
fn is_hashed(name: &str) -> bool {
    let file = name.rsplit('/').next().unwrap_or(name);
    let stem = file.split('.').next().unwrap_or(file);
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| {
        (8..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

/// The `'sha256-…'` CSP source of each inline `<script>` (one without `src`) in `html`.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    // ASCII lowering keeps every byte offset, so positions found in `lower` slice `html`.
    let lower = html.to_ascii_lowercase();
    let mut hashes = Vec::new();
    let mut at = 0;
    while let Some(found) = lower[at..].find("<script") {
        let tag = at + found + "<script".len();
        let Some(tag_end) = lower[tag..].find('>').map(|end| tag + end) else {
            break;
        };
        let attributes = &lower[tag..tag_end];
        let Some(close) = lower[tag_end..].find("</script").map(|end| tag_end + end) else {
            break;
        };
        let is_script_tag = attributes.is_empty() || attributes.starts_with(char::is_whitespace);
        let has_src = attributes
            .split_ascii_whitespace()
            .any(|attribute| attribute == "src" || attribute.starts_with("src="));
        if is_script_tag && !has_src {
            // Browsers hash the text as parsed, and HTML parsing turns CR LF and CR into LF.
            let text = html[tag_end + 1..close]
                .replace("\r\n", "\n")
                .replace('\r', "\n");
            let digest = Sha256::digest(text.as_bytes());
            hashes.push(format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ));
        }
        at = close;
    }
    hashes
}

/// GET and HEAD of any path outside /api: the file by that name, else index.html so that the
/// app's router decides.
pub fn service() -> actix_web::Resource {
    web::resource("/{path:.*}")
        .route(web::get().to(serve))
        .route(web::head().to(serve))
}

async fn serve(req: HttpRequest, app: web::Data<WebApp>) -> actix_web::Result<HttpResponse> {
    let path = req.match_info().query("path");
    let Some(asset) = app.files.get(path).or_else(|| app.files.get("index.html")) else {
        return Ok(HttpResponse::NotFound()
            .body("The web app is not built: run the README's run command."));
    };
    let (file, encoding) = match asset.negotiate(&req) {
        Some((file, encoding)) => (file, Some(encoding)),
        None => (asset.path.as_path(), None),
    };
    let mut file = NamedFile::open_async(file)
        .await?
        .set_content_type(asset.content_type.clone())
        .disable_content_disposition();
    if let Some(encoding) = encoding {
        file = file.set_content_encoding(encoding);
    }
    let mut response = file.into_response(&req);
    let headers = response.headers_mut();
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(asset.cache_control),
    );
    if asset.brotli.is_some() || asset.gzip.is_some() {
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    Ok(response)
}

impl Asset {
    /// The precompressed file the client takes best (Brotli before gzip at equal preference),
    /// or None for the file itself.
    fn negotiate(&self, req: &HttpRequest) -> Option<(&Path, ContentEncoding)> {
        // A byte range is of the file itself; ranges of a compressed copy would not match it.
        if req.headers().contains_key(header::RANGE) {
            return None;
        }
        let accepted = req.get_header::<AcceptEncoding>()?;
        let mut offered = vec![Encoding::identity()];
        if self.brotli.is_some() {
            offered.push(Encoding::brotli());
        }
        if self.gzip.is_some() {
            offered.push(Encoding::gzip());
        }
        match accepted.negotiate(offered.iter())? {
            encoding if encoding == Encoding::brotli() => {
                self.brotli.as_deref().map(|p| (p, ContentEncoding::Brotli))
            }
            encoding if encoding == Encoding::gzip() => {
                self.gzip.as_deref().map(|p| (p, ContentEncoding::Gzip))
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunk_hashed_names_are_recognised() {
        assert!(is_hashed("frontend-3f2a9c0d1e4b5a67_bg.wasm"));
        assert!(is_hashed("frontend-3f2a9c0d1e4b5a67.js"));
        assert!(is_hashed("style-a1b2c3d4e5f60718.css"));
        assert!(!is_hashed("plotly.min.js"));
        assert!(!is_hashed("index.html"));
        assert!(!is_hashed("my-style.css"));
    }

    #[test]
    fn only_inline_scripts_are_hashed() {
        let html = "<script src=\"/a.js\"></script><SCRIPT type=\"module\">a\r\nb</SCRIPT>\
                    <scripts>x</scripts>";
        let expected = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"a\nb"));
        assert_eq!(
            inline_script_hashes(html),
            vec![format!("'sha256-{expected}'")]
        );
    }
}
