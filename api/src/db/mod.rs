//! The one way to reach either database. Queries are written once against
//! [`DbConnection`]; the few things Diesel's MultiBackend cannot express (migrations,
//! pragmas, catalogue introspection) match on the concrete connection here and only here.

mod one_of;
pub mod schema;

pub use one_of::one_of;

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use chrono::{DateTime, NaiveDateTime, Timelike, Utc};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgresql(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

pub type DbPool = r2d2::Pool<DbManager>;
pub type PooledConnection = r2d2::PooledConnection<DbManager>;
/// Where work that reads on several connections at once takes each: the pool, or the
/// pool with something added (the command line's timing of each query).
pub type Connect<'a> = &'a (dyn Fn() -> Result<PooledConnection, r2d2::PoolError> + Sync);

/// How many connections the parts of split work (a statistics period counted in parts side
/// by side) may hold at once across the server: half the pool, so that several workbooks
/// built together wait for each other's parts rather than for the connections interactive
/// requests need.
#[derive(Clone)]
pub struct PartBudget(Arc<(Mutex<u32>, Condvar)>);

impl PartBudget {
    pub fn half_of(pool: &DbPool) -> PartBudget {
        PartBudget::of((pool.max_size() / 2).max(1))
    }

    fn of(connections: u32) -> PartBudget {
        PartBudget(Arc::new((Mutex::new(connections), Condvar::new())))
    }

    /// Runs `part` once a connection of the budget is free, and frees it after.
    pub fn spend<T>(&self, part: impl FnOnce() -> T) -> T {
        let (free, freed) = &*self.0;
        {
            let mut free = free.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            while *free == 0 {
                free = freed
                    .wait(free)
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
            }
            *free -= 1;
        }
        // Given back even if the part panics, so a failed workbook cannot shrink the budget.
        struct Refund<'a>(&'a (Mutex<u32>, Condvar));
        impl Drop for Refund<'_> {
            fn drop(&mut self) {
                let (free, freed) = self.0;
                *free.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) += 1;
                freed.notify_one();
            }
        }
        let _refund = Refund(&self.0);
        part()
    }
}

/// Requests' database work let in to the blocking threads first come, first served, twice
/// as many at a time as the pool has connections (so a freed connection always has a
/// request at hand; with as many as the pool, requests/s fell by a tenth). Without it every
/// waiting request parks a thread on the pool, and whichever thread the pool happens to
/// wake goes next: under load some requests wait many turns, and p95 came to twice the mean.
#[derive(Clone)]
pub struct Admission(Arc<tokio::sync::Semaphore>);

/// A request's turn on the database, held until its work ends.
pub type Turn = tokio::sync::OwnedSemaphorePermit;

impl Admission {
    pub fn for_pool(pool: &DbPool) -> Admission {
        Admission(Arc::new(tokio::sync::Semaphore::new(
            2 * pool.max_size() as usize,
        )))
    }

    /// Waits for the request's turn, behind those that asked before it.
    pub async fn turn(&self) -> Turn {
        self.0
            .clone()
            .acquire_owned()
            .await
            .expect("the admission is never closed")
    }
}

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Backend {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}

/// An r2d2 manager that picks the backend from the URL scheme, so an SQLite path is
/// never handed to libpq, and sets SQLite's per-connection pragmas.
#[derive(Debug, Clone)]
pub struct DbManager {
    url: String,
    backend: Backend,
}

impl DbManager {
    pub fn new(url: &str) -> DbManager {
        let backend = Backend::of_url(url);
        let url = match backend {
            Backend::Sqlite => url.strip_prefix("sqlite://").unwrap_or(url).to_owned(),
            Backend::Postgres => url.to_owned(),
        };
        DbManager { url, backend }
    }
}

impl ManageConnection for DbManager {
    type Connection = DbConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConnection, r2d2::Error> {
        match self.backend {
            Backend::Postgres => diesel::PgConnection::establish(&self.url)
                .map(DbConnection::Postgresql)
                .map_err(r2d2::Error::ConnectionError),
            Backend::Sqlite => {
                let mut conn = diesel::SqliteConnection::establish(&self.url)
                    .map_err(r2d2::Error::ConnectionError)?;
                // The busy timeout comes first so that pooled connections opening at once
                // wait for each other; foreign keys are off by default, per connection.
                // WAL is set once on the file (`prepare_sqlite_file`); with it, NORMAL
                // keeps every committed transaction across a killed process.
                // Reads through a memory map share the OS page cache instead of copying
                // pages into each connection's small cache with a system call apiece;
                // the map covers the whole file (up to 1 TiB, the limit SQLite is built
                // with: .cargo/config.toml).
                conn.batch_execute(
                    "PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; \
                     PRAGMA synchronous = NORMAL; PRAGMA mmap_size = 1099511627776;",
                )
                .map_err(r2d2::Error::QueryError)?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(r2d2::Error::QueryError)
    }

    /// A connection given back mid-transaction (a panic, a failed COMMIT whose rollback
    /// failed too) would hand its open transaction, and on SQLite the write lock, to the
    /// next request: such a connection is closed instead of pooled.
    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        use diesel::r2d2::R2D2Connection;
        std::thread::panicking() || conn.is_broken()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PoolError {
    #[error("the database file: {0}")]
    File(#[from] std::io::Error),
    #[error(transparent)]
    Pool(#[from] ::r2d2::Error),
    #[error(transparent)]
    Connect(#[from] r2d2::Error),
    #[error("setting up the database: {0}")]
    Setup(#[from] diesel::result::Error),
}

pub fn pool(url: &str, max_size: u32) -> Result<DbPool, PoolError> {
    let manager = DbManager::new(url);
    if let Backend::Sqlite = manager.backend {
        prepare_sqlite_file(&manager)?;
    }
    Ok(::r2d2::Pool::builder()
        .max_size(max_size)
        .connection_timeout(Duration::from_secs(10))
        // A query per checkout (two per request) to learn what `has_broken` tells on
        // return: a connection that failed is dropped then, and the next one opens fresh.
        .test_on_check_out(false)
        .build(manager)?)
}

/// Creates the SQLite file readable by its owner only (the WAL and shared-memory files
/// SQLite makes beside it take the same mode) and switches it to WAL once, before the
/// pool opens connections: WAL is kept in the file, and switching needs the database to
/// itself, which connections opening in parallel with the first start's loading would not
/// give it ("database is locked").
fn prepare_sqlite_file(manager: &DbManager) -> Result<(), PoolError> {
    let path = std::path::Path::new(&manager.url);
    if path.as_os_str() != ":memory:" && !path.exists() {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::config::create_private_dir(dir)?;
        }
        crate::config::create_private_file(path)?;
    }
    let mut conn = manager.connect()?;
    conn.batch_execute("PRAGMA journal_mode = WAL;")?;
    Ok(())
}

pub type MigrationError = Box<dyn std::error::Error + Send + Sync>;

/// Applies the embedded migrations of the connection's backend.
pub fn migrate(conn: &mut DbConnection) -> Result<(), MigrationError> {
    match conn {
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|_| ()),
        DbConnection::Postgresql(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|_| ()),
    }
}

/// Reverts every applied migration, newest first: the way back an operator takes, which
/// the schema tests walk so that every `down.sql` is known to undo its `up.sql`.
pub fn revert_all(conn: &mut DbConnection) -> Result<(), MigrationError> {
    match conn {
        DbConnection::Sqlite(c) => c.revert_all_migrations(SQLITE_MIGRATIONS).map(|_| ()),
        DbConnection::Postgresql(c) => c.revert_all_migrations(POSTGRES_MIGRATIONS).map(|_| ()),
    }
}

/// The schema as the database itself reports it, in terms both backends share, so the
/// two migration sets (and `schema.rs`) can be checked against each other.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SchemaDescription {
    /// table, column, type (`text`, `bigint`, `integer`, `boolean`, `date`, `timestamp`),
    /// nullable, default (as written, casts and quotes dropped).
    pub columns: Vec<(String, String, String, bool, Option<String>)>,
    /// table, columns in order, unique: every index, whether it backs a primary key or a
    /// UNIQUE constraint or was created by name.
    pub indexes: Vec<(String, Vec<String>, bool)>,
    /// table, column, referenced table, referenced column.
    pub foreign_keys: Vec<(String, String, String, String)>,
    /// table, trigger name, event (INSERT, UPDATE, DELETE, TRUNCATE).
    pub triggers: Vec<(String, String, String)>,
}

#[derive(QueryableByName)]
struct CatalogueRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    a: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    b: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    c: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    d: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    e: Option<String>,
}

fn normalise_type(declared: &str) -> String {
    match declared.to_ascii_lowercase().as_str() {
        "timestamp without time zone" => "timestamp".into(),
        "character varying" => "text".into(),
        "bytea" => "blob".into(),
        other => other.to_owned(),
    }
}

/// `'x'::text` and `'x'` are the same default.
fn normalise_default(default: &str) -> String {
    let bare = default.split("::").next().unwrap_or(default);
    bare.trim_matches('\'').to_owned()
}

const SKIP_TABLES: &str = "('__diesel_schema_migrations')";

pub fn describe_schema(conn: &mut DbConnection) -> QueryResult<SchemaDescription> {
    let (columns, indexes, foreign_keys, triggers): (Vec<CatalogueRow>, _, _, _) = match conn {
        DbConnection::Sqlite(c) => {
            let from = |source: &str| {
                format!(
                    "FROM sqlite_master m, {source} WHERE m.type = 'table' \
                     AND m.name NOT LIKE 'sqlite_%' AND m.name NOT IN {SKIP_TABLES}"
                )
            };
            (
                diesel::sql_query(format!(
                    "SELECT m.name AS a, p.name AS b, p.type AS c, \
                     CASE WHEN p.\"notnull\" = 1 OR p.pk > 0 THEN 'no' ELSE 'yes' END AS d, \
                     p.dflt_value AS e {}",
                    from("pragma_table_info(m.name) p")
                ))
                .load(c)?,
                diesel::sql_query(format!(
                    "SELECT m.name AS a, l.name AS b, CAST(l.\"unique\" AS TEXT) AS c, \
                     group_concat(i.name, ',') AS d, NULL AS e {} \
                     GROUP BY m.name, l.name",
                    from("pragma_index_list(m.name) l, pragma_index_info(l.name) i")
                ))
                .load::<CatalogueRow>(c)?,
                diesel::sql_query(format!(
                    "SELECT m.name AS a, f.\"from\" AS b, f.\"table\" AS c, f.\"to\" AS d, \
                     NULL AS e {}",
                    from("pragma_foreign_key_list(m.name) f")
                ))
                .load::<CatalogueRow>(c)?,
                diesel::sql_query(
                    "SELECT tbl_name AS a, name AS b, sql AS c, '' AS d, NULL AS e \
                     FROM sqlite_master WHERE type = 'trigger'",
                )
                .load::<CatalogueRow>(c)?,
            )
        }
        DbConnection::Postgresql(c) => (
            diesel::sql_query(format!(
                "SELECT table_name::text AS a, column_name::text AS b, data_type::text AS c, \
                 CASE WHEN is_nullable = 'YES' THEN 'yes' ELSE 'no' END AS d, column_default::text AS e \
                 FROM information_schema.columns WHERE table_schema = current_schema() \
                 AND table_name NOT IN {SKIP_TABLES}"
            ))
            .load(c)?,
            diesel::sql_query(format!(
                "SELECT t.relname::text AS a, i.relname::text AS b, \
                 CASE WHEN x.indisunique THEN '1' ELSE '0' END AS c, \
                 string_agg(col.attname::text, ',' ORDER BY k.n) AS d, NULL AS e \
                 FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid \
                 JOIN pg_namespace ns ON ns.oid = t.relnamespace \
                 CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, n) \
                 JOIN pg_attribute col ON col.attrelid = t.oid AND col.attnum = k.attnum \
                 WHERE ns.nspname = current_schema() AND t.relname NOT IN {SKIP_TABLES} \
                 GROUP BY t.relname, i.relname, x.indisunique"
            ))
            .load::<CatalogueRow>(c)?,
            diesel::sql_query(
                "SELECT kcu.table_name::text AS a, kcu.column_name::text AS b, \
                 ccu.table_name::text AS c, ccu.column_name::text AS d, NULL AS e \
                 FROM information_schema.table_constraints tc \
                 JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name \
                 AND kcu.table_schema = tc.table_schema \
                 JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name \
                 AND ccu.table_schema = tc.table_schema \
                 WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema()",
            )
            .load::<CatalogueRow>(c)?,
            // pg_trigger rather than information_schema, which leaves TRUNCATE triggers out.
            diesel::sql_query(
                "SELECT c.relname::text AS a, t.tgname::text AS b, e.event AS c, '' AS d, NULL AS e \
                 FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid \
                 JOIN pg_namespace ns ON ns.oid = c.relnamespace \
                 CROSS JOIN (VALUES (4, 'INSERT'), (8, 'DELETE'), (16, 'UPDATE'), (32, 'TRUNCATE')) \
                 AS e(bit, event) \
                 WHERE NOT t.tgisinternal AND ns.nspname = current_schema() \
                 AND (t.tgtype::int & e.bit) <> 0",
            )
            .load::<CatalogueRow>(c)?,
        ),
    };
    let sqlite = matches!(conn, DbConnection::Sqlite(_));
    let mut description = SchemaDescription {
        columns: columns
            .into_iter()
            .map(|r| {
                let default = r.e.as_deref().map(normalise_default);
                (r.a, r.b, normalise_type(&r.c), r.d == "yes", default)
            })
            .collect(),
        indexes: indexes
            .into_iter()
            .map(|r| (r.a, r.d.split(',').map(str::to_owned).collect(), r.c == "1"))
            .collect(),
        foreign_keys: foreign_keys
            .into_iter()
            .map(|r| (r.a, r.b, r.c, r.d))
            .collect(),
        triggers: triggers
            .into_iter()
            .flat_map(|r| {
                // SQLite keeps the trigger's SQL; its event is the word after BEFORE/AFTER.
                let events: Vec<String> = if sqlite {
                    let sql = r.c.to_ascii_uppercase();
                    ["INSERT", "UPDATE", "DELETE"]
                        .into_iter()
                        .filter(|event| {
                            sql.contains(&format!("BEFORE {event}"))
                                || sql.contains(&format!("AFTER {event}"))
                        })
                        .map(str::to_owned)
                        .collect()
                } else {
                    vec![r.c]
                };
                events
                    .into_iter()
                    .map(move |event| (r.a.clone(), r.b.clone(), event))
            })
            .collect(),
    };
    description.columns.sort();
    description.indexes.sort();
    description.foreign_keys.sort();
    description.triggers.sort();
    Ok(description)
}

/// Now, in UTC, to the millisecond: both databases then store exactly the same instant.
pub fn now() -> NaiveDateTime {
    to_milliseconds(Utc::now().naive_utc())
}

/// An instant cut to the millisecond, as every stored one is.
pub fn to_milliseconds(at: NaiveDateTime) -> NaiveDateTime {
    at.with_nanosecond(at.nanosecond() / 1_000_000 * 1_000_000)
        .unwrap_or(at)
}

/// The instant a Hong Kong day begins, in UTC as timestamps are stored.
pub fn day_start(day: chrono::NaiveDate) -> NaiveDateTime {
    day.and_hms_opt(0, 0, 0).expect("midnight") - chrono::Duration::hours(8)
}

pub fn utc(at: NaiveDateTime) -> DateTime<Utc> {
    DateTime::from_naive_utc_and_offset(at, Utc)
}

/// A stored value that no longer parses (a code removed from a list, a hand edit) is an
/// error to look into, never silently read as some default.
pub fn unreadable(column: &str, value: &str) -> diesel::result::Error {
    diesel::result::Error::DeserializationError(
        format!("{column} holds {value:?}, which this version cannot read").into(),
    )
}

/// A stored code of a closed list, parsed; one that no longer parses is [`unreadable`].
pub fn stored_code<T>(parse: fn(&str) -> Option<T>, column: &str, value: &str) -> QueryResult<T> {
    parse(value).ok_or_else(|| unreadable(column, value))
}

/// Time-ordered ids, made here rather than by the database so no RETURNING is needed.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Transactions this process has ended, committed or not: a read kept in memory (a
/// session, a search index's list) stands only while no write of this process since may
/// have changed it.
static TRANSACTIONS_ENDED: AtomicI64 = AtomicI64::new(0);

/// How many transactions this process has ended. Take it before a read that is kept:
/// a transaction that ends after it moves it, whether the read saw its writes or not.
pub fn transactions_ended() -> i64 {
    TRANSACTIONS_ENDED.load(Ordering::Acquire)
}

/// Whether the connection is inside a transaction, whose writes are not yet counted in
/// [`transactions_ended`].
pub fn in_transaction(conn: &mut DbConnection) -> bool {
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    let status = match conn {
        DbConnection::Sqlite(c) => AnsiTransactionManager::transaction_manager_status_mut(c),
        DbConnection::Postgresql(c) => AnsiTransactionManager::transaction_manager_status_mut(c),
    };
    !matches!(status.transaction_depth(), Ok(None))
}

/// A transaction that, on SQLite, takes the write lock at its start (`BEGIN IMMEDIATE`):
/// every transaction here writes (at least its audit entry), and two deferred ones that
/// both read and then write would fail with SQLITE_BUSY instead of waiting their turn.
pub fn transaction<T, E, F>(conn: &mut DbConnection, work: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    let result = transaction_on_backend(conn, work);
    // After the commit: a nested transaction's count is followed by its outermost one's.
    TRANSACTIONS_ENDED.fetch_add(1, Ordering::AcqRel);
    result
}

fn transaction_on_backend<T, E, F>(conn: &mut DbConnection, work: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    let outermost_on_sqlite = as_sqlite(conn).is_some_and(|sqlite| {
        let status = AnsiTransactionManager::transaction_manager_status_mut(sqlite);
        matches!(status.transaction_depth(), Ok(None))
    });
    if !outermost_on_sqlite {
        // PostgreSQL's row locks make the version check safe; nested ones are savepoints.
        return conn.transaction(work);
    }
    if let Some(sqlite) = as_sqlite(conn) {
        AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE")?;
    }
    let result = work(conn);
    let DbConnection::Sqlite(sqlite) = conn else {
        return result;
    };
    match result {
        Ok(value) => match AnsiTransactionManager::commit_transaction(sqlite) {
            Ok(()) => Ok(value),
            Err(commit_error) => {
                // A COMMIT refused (a deferred constraint, say) leaves the transaction open
                // and the write lock held: end it here, whatever the error.
                if AnsiTransactionManager::transaction_manager_status_mut(sqlite)
                    .transaction_depth()
                    .is_ok_and(|depth| depth.is_some())
                {
                    let _ = AnsiTransactionManager::rollback_transaction(sqlite);
                }
                Err(commit_error.into())
            }
        },
        Err(error) => {
            // The caller's error matters more than a failed rollback; a connection left in
            // a transaction is closed by `DbManager::has_broken` rather than pooled.
            let _ = AnsiTransactionManager::rollback_transaction(sqlite);
            Err(error)
        }
    }
}

fn as_sqlite(conn: &mut DbConnection) -> Option<&mut diesel::SqliteConnection> {
    match conn {
        DbConnection::Sqlite(sqlite) => Some(sqlite),
        DbConnection::Postgresql(_) => None,
    }
}

/// Most values one statement may bind: SQLite's limit (PostgreSQL allows 65,535).
pub const MAX_BINDS: usize = 32_766;

/// Runs `$body` with `$c` bound to the concrete connection, for SQL MultiBackend cannot
/// express (multi-row inserts, `UNION`): the body is written once and built for each backend.
#[macro_export]
macro_rules! on_backend {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn {
            $crate::db::DbConnection::Sqlite($c) => $body,
            $crate::db::DbConnection::Postgresql($c) => $body,
        }
    };
}

/// Inserts many rows in one statement. `$rows` is a `Vec` or slice of rows, at most
/// [`MAX_BINDS`] values in all ([`rows_per_statement`]).
#[macro_export]
macro_rules! insert_rows {
    ($conn:expr, $table:expr, $rows:expr) => {{
        use diesel::RunQueryDsl;
        $crate::on_backend!($conn, c => diesel::insert_into($table).values($rows).execute(c))
    }};
}

/// How many rows of `columns` values fit in one statement.
pub const fn rows_per_statement(columns: usize) -> usize {
    MAX_BINDS / columns
}

/// A large aggregate read (a year of every centre): on PostgreSQL, in a transaction whose
/// sorts and hashes may take 64 MiB each, since the default 4 MiB spills a year's groups
/// to disk and takes twice as long, and without JIT, whose compiling costs these reads
/// more than it saves. SQLite has neither setting: its read is made as it is.
pub fn large_read<T, E, F>(conn: &mut DbConnection, work: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    if !matches!(conn, DbConnection::Postgresql(_)) {
        return work(conn);
    }
    conn.transaction(|conn| {
        conn.batch_execute("SET LOCAL work_mem = '64MB'; SET LOCAL jit = off")?;
        work(conn)
    })
}

/// A bulk load's connection: SQLite gets a page cache of 1 GiB (the default is 2 MiB),
/// so the indexes being filled stay in memory instead of being read back page by page.
pub fn prepare_bulk_load(conn: &mut DbConnection) -> QueryResult<()> {
    match conn {
        DbConnection::Sqlite(c) => c.batch_execute("PRAGMA cache_size = -1048576;"),
        DbConnection::Postgresql(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::PartBudget;

    #[test]
    fn parts_never_hold_more_connections_than_the_budget_even_after_one_panics() {
        let budget = PartBudget::of(2);
        let failed = std::thread::scope(|scope| {
            scope
                .spawn(|| budget.spend(|| panic!("a part fails")))
                .join()
                .is_err()
        });
        assert!(failed);
        let (holding, most) = (AtomicU32::new(0), AtomicU32::new(0));
        std::thread::scope(|scope| {
            for _ in 0..5 {
                scope.spawn(|| {
                    budget.spend(|| {
                        let now = holding.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        std::thread::sleep(std::time::Duration::from_millis(100));
                        holding.fetch_sub(1, Ordering::SeqCst);
                    })
                });
            }
        });
        // The failed part gave its connection back: two parts still ran at once.
        assert_eq!(most.load(Ordering::SeqCst), 2);
        assert_eq!(*budget.0 .0.lock().expect("budget"), 2);
    }
}
