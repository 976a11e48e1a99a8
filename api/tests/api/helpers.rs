//! Spawns the real app on a random port over a fresh database of either backend.

use std::net::TcpListener;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use actix_web::http::{Method, StatusCode};
use api::audit::{ReadAudit, ReadAuditWriter};
use api::config::Secrets;
use api::db::{self, DbConnection, DbPool};
use api::state::AppState;
use diesel::connection::{InstrumentationEvent, SimpleConnection};
use diesel::r2d2::CustomizeConnection;
use diesel::Connection;
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs each listed test once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[actix_rt::test] async fn $name() { super::$name($crate::helpers::Backend::Sqlite).await } )*
        }
        mod postgres {
            $( #[actix_rt::test] async fn $name() { super::$name($crate::helpers::Backend::Postgres).await } )*
        }
    };
}

/// PostgreSQL tests never pass silently: without a server they fail, saying why.
pub fn postgres_admin_url() -> String {
    let url = std::env::var("TEST_DATABASE_URL").unwrap_or_else(|_| {
        panic!(
            "\n\n*** TEST_DATABASE_URL is not set: the PostgreSQL half of the suite cannot run. ***\n\
             Set it (e.g. postgres://postgres@127.0.0.1:5432/test) or use the README's test command.\n\n"
        )
    });
    without_tls(url)
}

/// The tests' server is local. Over TLS, libpq starts OpenSSL, whose clean-up at the
/// process's exit crashed the test binary (SIGSEGV in libcrypto) while pool threads of
/// finished tests were still closing their connections.
fn without_tls(url: String) -> String {
    if url.contains("sslmode=") {
        url
    } else if url.contains('?') {
        format!("{url}&sslmode=disable")
    } else {
        format!("{url}?sslmode=disable")
    }
}

/// A throwaway database, dropped when the test ends.
pub struct TestDatabase {
    pub url: String,
    backend: Backend,
    name: String,
    _dir: Option<TempDir>,
}

pub struct TempDir(pub std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn temp_dir() -> TempDir {
    let dir =
        std::env::temp_dir().join(format!("familylink-test-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    TempDir(dir)
}

impl TestDatabase {
    pub fn new(backend: Backend) -> TestDatabase {
        let name = format!("fl_test_{}", uuid::Uuid::now_v7().simple());
        match backend {
            Backend::Sqlite => {
                let dir = temp_dir();
                let url = dir.0.join("familylink.db").to_string_lossy().into_owned();
                TestDatabase {
                    url,
                    backend,
                    name,
                    _dir: Some(dir),
                }
            }
            Backend::Postgres => {
                let admin = postgres_admin_url();
                let mut conn =
                    diesel::PgConnection::establish(&admin).expect("connect to TEST_DATABASE_URL");
                conn.batch_execute(&format!("CREATE DATABASE {name}"))
                    .expect("create test database");
                let base = admin
                    .rsplit_once('/')
                    .map(|(base, _)| base)
                    .unwrap_or(&admin);
                TestDatabase {
                    url: without_tls(format!("{base}/{name}")),
                    backend,
                    name,
                    _dir: None,
                }
            }
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if self.backend == Backend::Postgres {
            if let Ok(mut conn) = diesel::PgConnection::establish(&postgres_admin_url()) {
                let _ = conn.batch_execute(&format!(
                    "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                    self.name
                ));
            }
        }
    }
}

pub struct TestApp {
    pub address: String,
    pub pool: DbPool,
    pub http: awc::Client,
    pub reads: ReadAudit,
    pub token_key: Vec<u8>,
    server: actix_web::dev::ServerHandle,
    /// Closed with the app, so that no writer thread outlives its database.
    writer: Option<ReadAuditWriter>,
    risk: Option<api::risk::worker::RiskWorker>,
    risk_rules: common::risk::RiskRules,
    analytics: api::analytics::facts::Analytics,
    /// What the requests ask of the database, when a test wants to know.
    pub statements: Statements,
    _keys: TempDir,
    _database: TestDatabase,
}

/// The SQL of the statements the server's requests run while it records.
#[derive(Clone, Debug, Default)]
pub struct Statements {
    recording: Arc<AtomicBool>,
    seen: Arc<Mutex<Vec<String>>>,
}

impl Statements {
    /// The statements the server runs for `requests`, in order, without their values.
    pub async fn of<F: std::future::Future<Output = ()>>(&self, requests: F) -> Vec<String> {
        self.seen.lock().unwrap().clear();
        self.recording.store(true, Ordering::SeqCst);
        requests.await;
        self.recording.store(false, Ordering::SeqCst);
        std::mem::take(&mut *self.seen.lock().unwrap())
    }
}

impl CustomizeConnection<DbConnection, diesel::r2d2::Error> for Statements {
    fn on_acquire(&self, conn: &mut DbConnection) -> Result<(), diesel::r2d2::Error> {
        let statements = self.clone();
        conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
            if let InstrumentationEvent::StartQuery { query, .. } = event {
                if statements.recording.load(Ordering::SeqCst) {
                    let shown = query.to_string();
                    let sql = shown.split(" -- binds: ").next().unwrap_or(&shown);
                    statements.seen.lock().unwrap().push(sql.to_owned());
                }
            }
        });
        Ok(())
    }
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: actix_web::http::header::HeaderMap,
    pub bytes: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes).unwrap_or_else(|_| {
            panic!(
                "not JSON ({}): {}",
                self.status,
                String::from_utf8_lossy(&self.bytes)
            )
        })
    }

    /// The error body's code, checking the body has the documented shape.
    pub fn error_code(&self) -> String {
        let body = self.json();
        assert!(body["message"].is_string(), "error without message: {body}");
        assert!(body["fields"].is_object(), "error without fields: {body}");
        body["code"].as_str().expect("error code").to_owned()
    }
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> TestApp {
        Self::spawn_with(backend, |_| {}).await
    }

    /// The app serving the web app built into `dist`.
    pub async fn spawn_with_dist(backend: Backend, dist: &Path) -> TestApp {
        TestApp::spawn_serving(backend, Some(dist), |_| {}).await
    }

    /// Spawns the app after `adjust` has had its say on the state (a trusted proxy, a
    /// shorter idle timeout).
    pub async fn spawn_with(backend: Backend, adjust: impl FnOnce(&mut AppState)) -> TestApp {
        TestApp::spawn_serving(backend, None, adjust).await
    }

    /// The app over the demo and the generated data set of `familylink seed --scale`.
    pub async fn spawn_scaled(backend: Backend, scale: f64, seed: u64) -> TestApp {
        TestApp::spawn_over(backend, None, |_| {}, Some((scale, seed))).await
    }

    async fn spawn_serving(
        backend: Backend,
        dist: Option<&Path>,
        adjust: impl FnOnce(&mut AppState),
    ) -> TestApp {
        TestApp::spawn_over(backend, dist, adjust, None).await
    }

    async fn spawn_over(
        backend: Backend,
        dist: Option<&Path>,
        adjust: impl FnOnce(&mut AppState),
        scaled: Option<(f64, u64)>,
    ) -> TestApp {
        let database = TestDatabase::new(backend);
        let pool = db::pool(&database.url, 4).expect("pool");
        let keys = temp_dir();
        let secrets = Secrets::load(&keys.0, &keys.0.join("data")).expect("secrets");
        let files = api::files::FileStore::local(&keys.0.join("files"), 2 * 1024 * 1024)
            .expect("file store");
        {
            let mut conn = pool.get().expect("connection");
            db::migrate(&mut conn).expect("migrations");
            match scaled {
                None => {
                    api::seed::demo(&mut conn).expect("demo seed");
                }
                Some((scale, seed)) => {
                    let options = api::seed::scale::Options {
                        scale,
                        seed,
                        hkid_key: secrets.hkid_key.clone(),
                        files: files.clone(),
                    };
                    api::seed::scale::load(&mut conn, &options).expect("scaled seed");
                }
            }
        }
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let address = format!("http://{}", listener.local_addr().expect("address"));
        let (reads, writer) = ReadAudit::start(pool.clone());
        // The requests' own pool, so that what it records is theirs alone (not the audit
        // writer's or the risk worker's); it opens connections as requests want them.
        let statements = Statements::default();
        let served = diesel::r2d2::Pool::builder()
            .max_size(4)
            .min_idle(Some(0))
            .connection_customizer(Box::new(statements.clone()))
            .build(db::DbManager::new(&database.url))
            .expect("pool");
        let mut state = AppState {
            parts: api::db::PartBudget::half_of(&served),
            admission: api::db::Admission::for_pool(&served),
            pool: served,
            secrets,
            reads: reads.clone(),
            trusted_proxies: Vec::new().into(),
            idle_timeout: chrono::Duration::minutes(30),
            export_row_limit: 50_000,
            match_threshold: api::config::MATCH_THRESHOLD_DEFAULT,
            note_edit_window: chrono::Duration::hours(api::config::NOTE_EDIT_HOURS_DEFAULT),
            note_due_days: api::config::NOTE_DUE_DAYS_DEFAULT,
            protection_decision_window: chrono::Duration::hours(
                common::child_protection::DECISION_HOURS_DEFAULT,
            ),
            caseload_weights: api::config::CaseloadWeights::default(),
            risk_rules: common::risk::RiskRules::default(),
            suppression_threshold: api::config::SUPPRESSION_THRESHOLD_DEFAULT,
            analytics: Default::default(),
            calendars: Default::default(),
            sessions: Default::default(),
            reaches: Default::default(),
            held_notes: Default::default(),
            lists: Default::default(),
            hub: Default::default(),
            files,
            extraction: api::files::extraction::Extraction::new(
                env!("CARGO_BIN_EXE_familylink").into(),
            ),
            pdf_fonts: api::pdf::Fonts::at(api::pdf::DEFAULT_FONT_PATH.into()),
            cpd_policy: Default::default(),
            certificate_reminder_days: common::training::REMINDER_DAYS_DEFAULT,
        };
        adjust(&mut state);
        // Read before the test writes, so that every write must mark what it changes.
        state
            .analytics
            .warm(&mut pool.get().expect("connection"))
            .expect("analytics model");
        let analytics = state.analytics.clone();
        let risk_rules = state.risk_rules.clone();
        let risk = api::risk::worker::RiskWorker::start(
            pool.clone(),
            risk_rules.clone(),
            std::time::Duration::from_secs(1),
        );
        let token_key = state.secrets.token_key.clone();
        let dist = dist.map_or_else(|| keys.0.join("no-dist"), Path::to_path_buf);
        let server = api::app::server(state, listener, dist).expect("server");
        let handle = server.handle();
        actix_rt::spawn(server);
        TestApp {
            address,
            pool,
            http: awc::Client::builder()
                .timeout(std::time::Duration::from_secs(30))
                .finish(),
            reads,
            token_key,
            server: handle,
            writer: Some(writer),
            risk: Some(risk),
            risk_rules,
            analytics,
            statements,
            _keys: keys,
            _database: database,
        }
    }

    /// Where the file store keeps the files uploaded.
    pub fn files_dir(&self) -> std::path::PathBuf {
        self._keys.0.join("files")
    }

    pub fn conn(&self) -> db::PooledConnection {
        self.pool.get().expect("connection")
    }

    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Vec<u8>>,
    ) -> Reply {
        let mut request = self
            .http
            .request(method, format!("{}{}", self.address, path));
        if let Some(token) = token {
            request = request.insert_header(("Authorization", format!("Bearer {token}")));
        }
        let mut response = match body {
            Some(body) => {
                request
                    .insert_header(("Content-Type", "application/json"))
                    .send_body(body)
                    .await
            }
            None => request.send().await,
        }
        .expect("request");
        let bytes = response
            .body()
            .limit(20 * 1024 * 1024)
            .await
            .expect("body")
            .to_vec();
        Reply {
            status: response.status(),
            headers: response.headers().clone(),
            bytes,
        }
    }

    pub async fn get(&self, path: &str, token: &str) -> Reply {
        self.raw(Method::GET, path, Some(token), None).await
    }

    pub async fn send(&self, method: Method, path: &str, token: &str, body: &Value) -> Reply {
        self.raw(
            method,
            path,
            Some(token),
            Some(body.to_string().into_bytes()),
        )
        .await
    }

    pub async fn try_login(&self, username: &str, password: &str) -> Reply {
        let body = serde_json::json!({ "username": username, "password": password });
        self.raw(
            Method::POST,
            "/api/auth/login",
            None,
            Some(body.to_string().into_bytes()),
        )
        .await
    }

    /// Signs a demo user in and answers their token.
    pub async fn login(&self, username: &str) -> String {
        let reply = self.try_login(username, api::seed::DEMO_PASSWORD).await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "login {username}: {}",
            String::from_utf8_lossy(&reply.bytes)
        );
        reply.json()["token"].as_str().expect("token").to_owned()
    }

    /// Runs a statement directly, for what a test sets up behind the API's back (records
    /// from before a feature existed, a link's clock run out).
    pub fn execute(&self, sql: &str) {
        self.write(|conn| diesel::RunQueryDsl::execute(diesel::sql_query(sql), conn).map(drop));
    }

    /// Writes behind the API's back as the server's own writes go, in `db::transaction`,
    /// so that what the server keeps of its reads (sessions) is read again after it.
    pub fn write(&self, work: impl FnOnce(&mut DbConnection) -> diesel::QueryResult<()>) {
        let mut conn = self.conn();
        db::transaction(&mut conn, work).expect("written");
    }

    /// Rows of `sql_table` (with an optional WHERE), once every audited read is written.
    pub fn count(&self, sql_table: &str) -> i64 {
        self.reads.flush();
        #[derive(diesel::QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let mut conn = self.conn();
        let conn: &mut DbConnection = &mut conn;
        diesel::RunQueryDsl::get_result::<Count>(
            diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {sql_table}")),
            conn,
        )
        .expect("count")
        .n
    }
}

/// Who reaches which client through which case, from the cases themselves: what
/// `case_reach` must hold after any write (`cases::store::refresh_reach`).
const REACH_FROM_CASES: &str = "
    SELECT holder.user_id, holder.case_id, person.client_id, clients.centre_id, holder.shared,
           clients.search_seq
    FROM (
        SELECT id AS case_id, responsible_worker_id AS user_id, FALSE AS shared FROM cases
        UNION
        SELECT case_id, user_id, FALSE FROM case_workers
        UNION
        SELECT s.case_id, s.user_id, TRUE FROM case_shares s
        WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = s.case_id AND c.responsible_worker_id = s.user_id)
          AND NOT EXISTS (SELECT 1 FROM case_workers w WHERE w.case_id = s.case_id AND w.user_id = s.user_id)
    ) holder
    JOIN (SELECT id AS case_id, client_id FROM cases UNION SELECT case_id, client_id FROM case_members) person
      ON person.case_id = holder.case_id
    JOIN clients ON clients.id = person.client_id";

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord, diesel::QueryableByName)]
struct Reach {
    #[diesel(sql_type = diesel::sql_types::Text)]
    user_id: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    case_id: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    client_id: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    centre_id: String,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    shared: bool,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    search_seq: Option<i64>,
}

/// The cases each user holds, from `case_reach` (checked against the cases above), with
/// each case's centre and time as the case has them now: what `held_cases` must hold.
const HELD_FROM_REACH: &str = "
    SELECT DISTINCT r.user_id, r.case_id, r.shared, c.centre_id, c.updated_at
    FROM case_reach r JOIN cases c ON c.id = r.case_id";

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord, diesel::QueryableByName)]
struct Held {
    #[diesel(sql_type = diesel::sql_types::Text)]
    user_id: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    case_id: String,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    shared: bool,
    #[diesel(sql_type = diesel::sql_types::Text)]
    centre_id: String,
    #[diesel(sql_type = diesel::sql_types::Timestamp)]
    updated_at: chrono::NaiveDateTime,
}

impl TestApp {
    fn assert_reach_kept(&self) {
        assert_eq!(
            self.count(
                "clients WHERE on_sensitive_case <> (\
                 EXISTS (SELECT 1 FROM cases k WHERE k.sensitive AND k.client_id = clients.id) \
                 OR EXISTS (SELECT 1 FROM case_members m JOIN cases k ON k.id = m.case_id \
                 WHERE k.sensitive AND m.client_id = clients.id))"
            ),
            0,
            "clients.on_sensitive_case is what the cases say"
        );
        let mut conn = self.conn();
        let conn: &mut DbConnection = &mut conn;
        let mut load = |sql: &str| {
            let mut rows: Vec<Reach> =
                diesel::RunQueryDsl::load(diesel::sql_query(sql), conn).expect("reach");
            rows.sort();
            rows
        };
        let kept = load("SELECT * FROM case_reach");
        assert_eq!(
            kept,
            load(REACH_FROM_CASES),
            "case_reach is what the cases say"
        );
        let mut held = |sql: &str| {
            let mut rows: Vec<Held> =
                diesel::RunQueryDsl::load(diesel::sql_query(sql), conn).expect("held cases");
            rows.sort();
            rows
        };
        assert_eq!(
            held("SELECT user_id, case_id, shared, centre_id, updated_at FROM held_cases"),
            held(HELD_FROM_REACH),
            "held_cases is what case_reach and the cases say"
        );
    }

    /// Each case event says what came before it and the day the next one superseded it.
    fn assert_history_linked(&self) {
        let unlinked = self.count(
            "case_events e LEFT JOIN case_events p ON p.case_id = e.case_id AND p.seq = e.seq - 1 \
             LEFT JOIN case_events n ON n.case_id = e.case_id AND n.seq = e.seq + 1 \
             WHERE NOT ((n.id IS NULL AND e.superseded_on IS NULL) OR n.effective_on = e.superseded_on) \
             OR NOT ((p.id IS NULL AND e.from_state IS NULL AND e.from_centre_id IS NULL) \
             OR (p.state = e.from_state AND p.centre_id = e.from_centre_id))",
        );
        assert_eq!(
            unlinked, 0,
            "case events linked to the ones before and after"
        );
    }

    /// Each case event carries its case's breakdown as the case is now
    /// (`cases::store::Breakdown`), and each mark what it is counted by: written with
    /// them, kept by the triggers since.
    fn assert_breakdowns_kept(&self) {
        use api::cases::store::Breakdown;
        use api::db::schema::{case_events, case_nature_tags};
        use diesel::{QueryDsl, RunQueryDsl};
        let drifted = self.count(
            "case_events e JOIN cases c ON c.id = e.case_id JOIN units u ON u.id = c.unit_id \
             JOIN clients k ON k.id = c.client_id \
             WHERE e.case_type <> c.case_type OR e.unit_kind <> u.kind \
             OR NOT (e.district = k.district OR (e.district IS NULL AND k.district IS NULL))",
        );
        assert_eq!(
            drifted, 0,
            "case events carry their case's type, unit and district"
        );
        let drifted = self.count(
            "attendance a JOIN activity_sessions s ON s.id = a.session_id \
             JOIN activities t ON t.id = s.activity_id JOIN units u ON u.id = t.unit_id \
             JOIN clients c ON c.id = a.client_id \
             WHERE a.session_starts_at <> s.starts_at OR a.centre_id <> t.centre_id \
             OR a.activity_kind <> t.kind OR a.unit_kind <> u.kind \
             OR a.date_of_birth <> c.date_of_birth",
        );
        assert_eq!(
            drifted, 0,
            "marks carry their session's start, activity, unit and person's birth"
        );
        let mut conn = self.conn();
        let conn: &mut DbConnection = &mut conn;
        let mut tags: std::collections::HashMap<String, Vec<String>> = Default::default();
        for (case_id, code) in case_nature_tags::table
            .select((case_nature_tags::case_id, case_nature_tags::nature_code))
            .load::<(String, String)>(conn)
            .expect("natures")
        {
            tags.entry(case_id).or_default().push(code);
        }
        let carried: Vec<(String, String)> = case_events::table
            .select((case_events::case_id, case_events::natures))
            .distinct()
            .load(conn)
            .expect("events' natures");
        for (case_id, natures) in carried {
            let codes = tags.get(&case_id).map(Vec::as_slice).unwrap_or_default();
            assert_eq!(
                natures,
                Breakdown::joined(codes.iter().map(String::as_str)),
                "case {case_id}'s events carry its natures"
            );
        }
    }
}

impl TestApp {
    /// Every case has a risk reading, and each one read and not marked since is what its
    /// records say now: every write that changes what the indicator reads marked it.
    pub fn assert_risk_kept(&self) {
        assert_eq!(
            self.count("cases WHERE id NOT IN (SELECT case_id FROM case_risks)"),
            0,
            "every case has a risk reading"
        );
        // Background work (the note tagger, the risk worker) may still be marking and
        // reading cases, and the check's queries are no one snapshot: a reading behind for
        // a moment is given time; one that stays behind was never marked.
        let mut drifted = Vec::new();
        for _ in 0..20 {
            drifted = api::risk::service::drifted(&mut self.conn(), &self.risk_rules)
                .expect("risk readings");
            if drifted.is_empty() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(500));
        }
        assert!(
            drifted.is_empty(),
            "risk readings behind their records: {drifted:?}"
        );
    }
}

impl TestApp {
    /// The analytics model, brought up to date by its marks, is what a whole read gives.
    pub fn assert_model_kept(&self) {
        let drifted = self
            .analytics
            .drifted(&mut self.conn())
            .expect("analytics model");
        assert!(!drifted, "the analytics model is behind its records");
    }

    /// Runs `write` in a transaction kept open a moment after it has written, and while it
    /// is open reads every marked case as the risk worker and the analytics model do, on
    /// another connection. The risk worker is stopped first, so that nothing else takes a
    /// mark at a time of its own.
    pub fn read_marks_while_written(
        &mut self,
        write: impl FnOnce(&mut DbConnection) -> diesel::QueryResult<()> + Send,
    ) {
        drop(self.risk.take());
        let (written, told) = std::sync::mpsc::channel();
        let pool = self.pool.clone();
        std::thread::scope(|scope| {
            scope.spawn(move || {
                db::transaction(&mut pool.get().expect("connection"), |conn| {
                    write(conn)?;
                    written.send(()).expect("the reader waits");
                    std::thread::sleep(std::time::Duration::from_millis(300));
                    Ok::<_, diesel::result::Error>(())
                })
                .expect("the write");
            });
            told.recv().expect("written");
            let mut conn = self.conn();
            let marked = api::risk::store::stale(&mut conn, None, 1_000).expect("marked cases");
            api::risk::service::refresh(&mut conn, &self.risk_rules, &marked).expect("readings");
            drop(self.analytics.current(&mut conn).expect("analytics model"));
        });
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Stop accepting before the database goes away.
        drop(self.server.stop(false));
        drop(self.risk.take());
        // Every test's writes, whatever they were, leave the reach of cases and their
        // histories as they should be.
        if !std::thread::panicking() {
            self.assert_reach_kept();
            self.assert_history_linked();
            self.assert_breakdowns_kept();
            self.assert_risk_kept();
            self.assert_model_kept();
        }
        if let Some(writer) = self.writer.take() {
            writer.close();
        }
    }
}

/// One string field of each item of a page (`{"items": [...]}`), in the page's order.
pub fn item_strings(page: &Value, field: &str) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("a page of items")
        .iter()
        .map(|item| item[field].as_str().expect("a string field").to_owned())
        .collect()
}

pub fn client_form(name_zh: &str, name_en: &str) -> Value {
    serde_json::json!({
        "name_zh": name_zh,
        "name_en": name_en,
        "sex": "F",
        "date_of_birth": "1985-03-14",
        "phone": "9123 4567",
        "district": "F",
    })
}

impl TestApp {
    /// Adds a staff member (demo password) and answers their id. The agency is the
    /// centre's, or the one named when there is no centre.
    /// Renames a member of staff as an administrator would in the database (no route
    /// renames anyone yet).
    pub fn rename_user(&self, user_id: &str, display_name: &str) {
        use api::db::schema::users;
        use diesel::prelude::*;
        self.write(|conn| {
            diesel::update(users::table.filter(users::id.eq(user_id)))
                .set(users::display_name.eq(display_name))
                .execute(conn)
                .map(drop)
        });
    }

    pub fn add_user(
        &self,
        username: &str,
        roles: &[common::identity::Role],
        agency_code: &str,
        centre_code: Option<&str>,
        unit: Option<common::identity::Unit>,
    ) -> String {
        use api::identity::store;
        use diesel::prelude::*;
        let mut conn = self.conn();
        let conn: &mut DbConnection = &mut conn;
        // The demo users' hash: hashing again for every test user would only cost time.
        let password_hash: String = api::db::schema::users::table
            .filter(api::db::schema::users::username.eq("worker"))
            .select(api::db::schema::users::password_hash)
            .first(conn)
            .expect("demo worker");
        let agency_id = store::agency_id_by_code(conn, agency_code)
            .expect("agency")
            .expect("agency exists");
        let centre_id = centre_code.map(|code| {
            store::centre_by_code(conn, code)
                .expect("centre")
                .expect("centre exists")
                .0
        });
        let unit_id = store::unit_id(conn, centre_id.as_deref(), unit).expect("unit");
        store::insert_user(
            conn,
            &store::NewUser {
                username,
                display_name: username,
                password_hash: &password_hash,
                roles: &common::identity::Roles::new(roles.iter().copied()),
                agency_id: Some(&agency_id),
                centre_id: centre_id.as_deref(),
                unit_id: unit_id.as_deref(),
            },
        )
        .expect("insert user")
    }

    /// Registers a client as the token's user and answers its id.
    pub async fn register(&self, token: &str, name_zh: &str, name_en: &str) -> String {
        let reply = self
            .send(
                Method::POST,
                "/api/clients",
                token,
                &client_form(name_zh, name_en),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.json());
        reply.json()["id"].as_str().expect("id").to_owned()
    }

    /// The user id behind a token.
    pub async fn user_id(&self, token: &str) -> String {
        self.get("/api/me", token).await.json()["id"]
            .as_str()
            .expect("id")
            .to_owned()
    }
}

/// A PDF of these objects, numbered from 1 (the first is the catalog), with its
/// cross-reference table, written by hand as a test needs it.
pub fn pdf_of(objects: &[String]) -> Vec<u8> {
    let mut pdf = b"%PDF-1.5\n".to_vec();
    let mut offsets = Vec::new();
    for (n, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{object}\nendobj\n", n + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    let trailer = format!(
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    );
    pdf.extend_from_slice(trailer.as_bytes());
    pdf
}

/// A one-page PDF showing `codes` (hexadecimal) in a Traditional Chinese font named
/// by its predefined CMap `cmap` alone, without a ToUnicode map, as older exports are.
pub fn chinese_pdf(cmap: &str, codes: &str) -> Vec<u8> {
    let content = format!("BT /F1 12 Tf 72 700 Td <{codes}> Tj ET");
    pdf_of(&[
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] \
         /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"
            .to_owned(),
        format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ),
        format!(
            "<< /Type /Font /Subtype /Type0 /BaseFont /MingLiU /Encoding /{cmap} \
             /DescendantFonts [6 0 R] >>"
        ),
        "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /MingLiU \
         /CIDSystemInfo << /Registry (Adobe) /Ordering (CNS1) /Supplement 0 >> \
         /FontDescriptor 7 0 R >>"
            .to_owned(),
        "<< /Type /FontDescriptor /FontName /MingLiU /Flags 4 >>".to_owned(),
    ])
}
