//! The file store on S3-compatible object storage (moto's server, started for the test on
//! a port of its own): an i-Hub file kept in the bucket and downloaded byte for byte, a
//! refused upload's object taken back, and a replaced file's old object deleted.

use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use actix_web::http::{Method, StatusCode};
use api::files::FileStore;
use serde_json::{json, Value};

use crate::helpers::{Backend, TestApp};
use crate::hub::{create, docx, moved, resource, upload};
use crate::on_both_backends;

on_both_backends!(files_go_to_s3_and_come_back_byte_for_byte);

const BUCKET: &str = "familylink";

/// A moto S3 server of this test's own, stopped with it.
struct S3Server {
    child: Child,
    endpoint: String,
}

impl S3Server {
    /// Fails, never skips, when the server is not installed: scripts/test installs it.
    fn start() -> S3Server {
        let program = std::env::var("FAMILYLINK_MOTO_SERVER")
            .ok()
            .filter(|path| std::path::Path::new(path).is_file())
            .unwrap_or_else(|| {
                panic!(
                    "\n\n*** FAMILYLINK_MOTO_SERVER does not name moto's server: the S3 file store cannot be tested. ***\n\
                     Install it and say where (scripts/test does both):\n    \
                     export FAMILYLINK_MOTO_SERVER=\"$(source scripts/setup.sh && moto_ensure)\"\n\n"
                )
            });
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(&program)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{program}: {e}"));
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "moto's server did not listen on {port}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        S3Server {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
        }
    }

    fn store(&self) -> FileStore {
        let options = [
            ("aws_endpoint", self.endpoint.as_str()),
            ("aws_allow_http", "true"),
            ("aws_region", "us-east-1"),
            ("aws_access_key_id", "test"),
            ("aws_secret_access_key", "test"),
        ];
        FileStore::at(&format!("s3://{BUCKET}/uploads"), options, 2 * 1024 * 1024)
            .expect("S3 file store")
    }

    async fn request(&self, method: Method, path: &str) -> (StatusCode, Vec<u8>) {
        let mut response = awc::Client::default()
            .request(method, format!("{}/{BUCKET}{path}", self.endpoint))
            .send()
            .await
            .expect("S3 request");
        let body = response.body().limit(8 * 1024 * 1024).await.expect("body");
        (response.status(), body.to_vec())
    }

    /// The bucket's keys, read from S3's own listing.
    async fn keys(&self) -> Vec<String> {
        let (status, body) = self.request(Method::GET, "?list-type=2").await;
        assert_eq!(status, StatusCode::OK);
        let listing = String::from_utf8(body).expect("XML");
        let mut keys: Vec<String> = listing
            .split("<Key>")
            .skip(1)
            .map(|rest| rest.split("</Key>").next().unwrap().to_owned())
            .collect();
        keys.sort();
        keys
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn files_go_to_s3_and_come_back_byte_for_byte(backend: Backend) {
    let s3 = S3Server::start();
    let (status, _) = s3.request(Method::PUT, "").await;
    assert_eq!(status, StatusCode::OK, "bucket created");
    let store = s3.store();
    let app = TestApp::spawn_with(backend, |state| state.files = store).await;
    let worker = app.login("worker").await;
    let reviewer = app.login("resource-admin").await;
    let colleague = app.login("worker2").await;

    let draft = create(
        &app,
        &worker,
        resource(
            "家長壓力管理手冊",
            "Parenting stress manual",
            "parent_child",
        ),
    )
    .await;
    let manual = docx(&["第一節：認識壓力", "Session one: noticing stress"]);
    let added = upload(&app, &worker, &draft, "手冊.docx", manual.clone()).await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.json());
    let added = added.json();
    let file = &added["files"][0];
    let key = format!(
        "uploads/resources/{}/{}.docx",
        added["id"].as_str().unwrap(),
        file["id"].as_str().unwrap()
    );
    assert_eq!(s3.keys().await, vec![key.clone()], "kept in the bucket");

    let stale = upload(&app, &worker, &draft, "again.docx", docx(&["x"])).await;
    assert_eq!(stale.error_code(), "version_conflict");
    assert_eq!(
        s3.keys().await,
        vec![key.clone()],
        "a refused upload's object is taken back"
    );

    let submitted = moved(&app, &worker, &added, "submitted", "").await;
    let approved = moved(&app, &reviewer, &submitted, "approved", "").await;
    moved(&app, &reviewer, &approved, "published", "").await;
    let path = format!("/api/resource-files/{}", file["id"].as_str().unwrap());
    let got = app.get(&path, &colleague).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.bytes, manual, "downloaded byte for byte");

    // i-Hub keeps a removed file's object (its versions name it); the one place a file is
    // replaced, a course's file activity, deletes the old object once the new is kept.
    let trainer = app.login("trainer").await;
    let mut definition = crate::training::course();
    definition["modules"][0]["activities"] = json!([
        { "kind": "file", "title_zh": "安全計劃範本", "title_en": "Safety plan template",
          "body": "下載並細閱範本。" }
    ]);
    let made = app
        .send(Method::POST, "/api/courses", &trainer, &definition)
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.json());
    let made = made.json();
    let course = format!("/api/courses/{}", made["id"].as_str().unwrap());
    let activity = made["content"]["modules"][0]["activities"][0]["key"]
        .as_str()
        .unwrap()
        .to_owned();
    let keep = |version: &Value, text: &str| {
        let at = (
            course.as_str(),
            activity.as_str(),
            version.as_i64().unwrap(),
        );
        crate::training::keep_file(&app, &trainer, at, ("plan.txt", text.as_bytes().to_vec()))
    };
    let first = keep(&made["version"], "安全計劃：第一版\n").await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.json());
    let course_keys = |keys: Vec<String>| -> Vec<String> {
        keys.into_iter()
            .filter(|k| k.starts_with("uploads/courses/"))
            .collect()
    };
    let old = course_keys(s3.keys().await);
    assert_eq!(old.len(), 1, "{old:?}");
    let second = keep(&first.json()["version"], "安全計劃：第二版\n").await;
    assert_eq!(second.status, StatusCode::CREATED, "{}", second.json());
    let now = course_keys(s3.keys().await);
    assert_eq!(now.len(), 1, "the old object deleted: {now:?}");
    assert_ne!(now, old);
    let opened = app
        .get(&format!("{course}/activities/{activity}/file"), &trainer)
        .await;
    assert_eq!(opened.bytes, "安全計劃：第二版\n".as_bytes());
    assert!(s3.keys().await.contains(&key), "the hub's file still there");
}
