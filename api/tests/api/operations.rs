use actix_web::http::{Method, StatusCode};

use base64::Engine;
use sha2::{Digest, Sha256};

use crate::helpers::{temp_dir, Backend, Reply, TempDir, TestApp};

crate::on_both_backends!(
    health_openapi_and_request_ids,
    web_app_is_served_precompressed_cached_and_under_its_csp,
    api_answers_are_compressed_but_not_the_export,
);

async fn health_openapi_and_request_ids(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let health = app.raw(Method::GET, "/api/health", None, None).await;
    assert_eq!(health.status, StatusCode::OK);
    assert_eq!(health.json()["database"], "ok");
    assert!(health.headers.get("x-request-id").is_some());
    let csp = health
        .headers
        .get("content-security-policy")
        .expect("CSP")
        .to_str()
        .unwrap();
    assert!(csp.contains("connect-src 'self'") && csp.contains("frame-ancestors 'none'"));
    assert_eq!(
        health.headers.get("x-content-type-options").unwrap(),
        "nosniff"
    );

    let anonymous = app.raw(Method::GET, "/api/openapi.json", None, None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let doc = app
        .get("/api/openapi.json", &app.login("analyst").await)
        .await
        .json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/health",
        "/api/auth/login",
        "/api/auth/logout",
        "/api/auth/refresh",
        "/api/me",
        "/api/me/locale",
        "/api/clients",
        "/api/clients/{id}",
        "/api/clients/export.xlsx",
        "/api/analytics/profile",
        "/api/analytics/problems",
        "/api/analytics/complexity",
        "/api/analytics/themes",
    ] {
        assert!(
            doc["paths"][path].is_object(),
            "{path} missing from the OpenAPI document"
        );
    }
    assert!(doc["components"]["schemas"]["ClientForm"].is_object());

    let unknown = app.raw(Method::GET, "/api/no-such-thing", None, None).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.error_code(), "not_found");
}

/// A built web app in miniature: Trunk's inline loader, a hashed wasm with its precompressed
/// copies, and an unhashed copied file.
fn built_web_app() -> (TempDir, String) {
    let dist = temp_dir();
    let loader = "\nimport init from '/frontend-0123456789abcdef.js';\nawait init();\n";
    let html = format!(
        "<!doctype html><html><head><script type=\"module\">{loader}</script>\
         <script src=\"/plotly.min.js\"></script></head><body></body></html>"
    );
    let files: [(&str, &[u8]); 6] = [
        ("index.html", html.as_bytes()),
        ("index.html.gz", b"gzipped index"),
        ("frontend-0123456789abcdef_bg.wasm", b"\0asm plain"),
        ("frontend-0123456789abcdef_bg.wasm.br", b"brotli wasm"),
        ("frontend-0123456789abcdef_bg.wasm.gz", b"gzipped wasm"),
        ("plotly.min.js", b"window.Plotly = {};"),
    ];
    std::fs::create_dir(dist.0.join(".stage")).expect("hidden dir");
    std::fs::write(dist.0.join(".stage/secret.txt"), "not the app's").expect("hidden file");
    for (name, bytes) in files {
        std::fs::write(dist.0.join(name), bytes).expect("write dist");
    }
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(loader));
    (dist, format!("'sha256-{hash}'"))
}

/// GET `path` as sent, without awc's own Accept-Encoding or decompression.
/// GETs `path` (POSTs `body` to it when there is one) with `headers`, leaving the
/// answer as compressed as it came.
async fn fetch_with(
    app: &TestApp,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Reply {
    let url = format!("{}{}", app.address, path);
    let mut request = match body {
        Some(_) => app.http.post(url),
        None => app.http.get(url),
    }
    .no_decompress();
    for &header in headers {
        request = request.insert_header(header);
    }
    let mut response = match body {
        Some(body) => request
            .insert_header(("Content-Type", "application/json"))
            .send_body(body.to_owned())
            .await
            .expect("request"),
        None => request.send().await.expect("request"),
    };
    let bytes = response.body().await.expect("body").to_vec();
    Reply {
        status: response.status(),
        headers: response.headers().clone(),
        bytes,
    }
}

async fn fetch(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> Reply {
    fetch_with(app, path, headers, None).await
}

fn header<'a>(reply: &'a Reply, name: &str) -> &'a str {
    reply
        .headers
        .get(name)
        .map_or("", |value| value.to_str().unwrap())
}

async fn web_app_is_served_precompressed_cached_and_under_its_csp(backend: Backend) {
    let (dist, loader_hash) = built_web_app();
    let app = TestApp::spawn_with_dist(backend, &dist.0).await;

    let index = fetch(&app, "/", &[("Accept-Encoding", "identity")]).await;
    assert_eq!(index.status, StatusCode::OK);
    assert!(index.bytes.starts_with(b"<!doctype html>"));
    assert_eq!(header(&index, "cache-control"), "no-cache");
    assert!(header(&index, "content-type").starts_with("text/html"));
    let csp = header(&index, "content-security-policy");
    let script_src = csp
        .split(';')
        .map(str::trim)
        .find(|directive| directive.starts_with("script-src "))
        .expect("script-src");
    assert!(script_src.contains(&loader_hash), "{script_src}");
    assert!(script_src.contains("'wasm-unsafe-eval'") && script_src.contains("'self'"));
    assert!(!script_src.contains("'unsafe-inline'"), "{script_src}");
    // The external script is allowed by 'self', not by a hash: only one hash is listed.
    assert_eq!(script_src.matches("'sha256-").count(), 1, "{script_src}");

    // Unknown paths get index.html, precompressed like any file and never kept stale.
    let fallback = fetch(&app, "/clients/new", &[("Accept-Encoding", "gzip, br")]).await;
    assert_eq!(fallback.bytes, b"gzipped index");
    assert_eq!(header(&fallback, "content-encoding"), "gzip");
    assert_eq!(header(&fallback, "cache-control"), "no-cache");
    assert_eq!(header(&fallback, "x-content-type-options"), "nosniff");

    let wasm = "/frontend-0123456789abcdef_bg.wasm";
    for (accepted, encoding, body) in [
        ("gzip, deflate, br, zstd", "br", &b"brotli wasm"[..]),
        ("gzip", "gzip", b"gzipped wasm"),
        ("br;q=0, gzip;q=0.5", "gzip", b"gzipped wasm"),
        ("identity", "", b"\0asm plain"),
    ] {
        let reply = fetch(&app, wasm, &[("Accept-Encoding", accepted)]).await;
        assert_eq!(reply.status, StatusCode::OK, "{accepted}");
        assert_eq!(reply.bytes, body, "{accepted}");
        assert_eq!(header(&reply, "content-encoding"), encoding, "{accepted}");
        assert_eq!(header(&reply, "content-type"), "application/wasm");
        assert_eq!(header(&reply, "vary"), "accept-encoding");
        assert_eq!(
            header(&reply, "cache-control"),
            "public, max-age=31536000, immutable"
        );
        assert!(header(&reply, "content-security-policy").contains("frame-ancestors 'none'"));
    }

    let hidden = fetch(&app, "/.stage/secret.txt", &[]).await;
    assert!(
        hidden.bytes.starts_with(b"<!doctype html>"),
        "hidden files are not served"
    );

    // A copied file keeps its name across builds: cached, but revalidated.
    let plotly = fetch(&app, "/plotly.min.js", &[("Accept-Encoding", "br")]).await;
    assert_eq!(plotly.bytes, b"window.Plotly = {};");
    assert_eq!(header(&plotly, "content-encoding"), "");
    assert_eq!(header(&plotly, "cache-control"), "no-cache");
    let etag = header(&plotly, "etag").to_owned();
    assert!(!etag.is_empty());
    let again = fetch(&app, "/plotly.min.js", &[("If-None-Match", etag.as_str())]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.bytes.is_empty());
}

async fn api_answers_are_compressed_but_not_the_export(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.login("worker").await;
    let bearer = format!("Bearer {token}");
    let list = fetch(
        &app,
        "/api/clients",
        &[
            ("Accept-Encoding", "br"),
            ("Authorization", bearer.as_str()),
        ],
    )
    .await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(header(&list, "content-encoding"), "br");
    assert_eq!(header(&list, "x-content-type-options"), "nosniff");

    let supervisor = format!("Bearer {}", app.login("supervisor").await);
    let export = fetch_with(
        &app,
        "/api/clients/export.xlsx",
        &[
            ("Accept-Encoding", "br, gzip"),
            ("Authorization", supervisor.as_str()),
        ],
        Some("{}"),
    )
    .await;
    assert_eq!(export.status, StatusCode::OK);
    assert_eq!(header(&export, "content-encoding"), "");
    // An xlsx file is a zip: it starts with the zip signature, not with a Brotli stream.
    assert!(export.bytes.starts_with(b"PK"));
}
