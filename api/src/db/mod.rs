//! The one way to reach either database. Queries are written once against
//! [`DbConnection`]; the few things Diesel's MultiBackend cannot express (migrations,
//! pragmas, catalogue introspection) match on the concrete connection here and only here.

pub mod schema;

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
                conn.batch_execute(
                    "PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; \
                     PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;",
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

    fn has_broken(&self, _conn: &mut DbConnection) -> bool {
        false
    }
}

pub fn pool(url: &str, max_size: u32) -> Result<DbPool, ::r2d2::Error> {
    if let Backend::Sqlite = Backend::of_url(url) {
        let path = DbManager::new(url).url;
        if let Some(dir) = std::path::Path::new(&path)
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
        {
            let _ = std::fs::create_dir_all(dir);
        }
    }
    ::r2d2::Pool::builder()
        .max_size(max_size)
        .connection_timeout(Duration::from_secs(10))
        .build(DbManager::new(url))
}

pub type MigrationError = Box<dyn std::error::Error + Send + Sync>;

/// Applies the embedded migrations of the connection's backend.
pub fn migrate(conn: &mut DbConnection) -> Result<(), MigrationError> {
    match conn {
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|_| ()),
        DbConnection::Postgresql(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|_| ()),
    }
}

/// Tables and their columns as the database itself reports them, for checking that the
/// two migration sets agree.
pub fn describe_schema(conn: &mut DbConnection) -> QueryResult<Vec<(String, String)>> {
    #[derive(QueryableByName)]
    struct Column {
        #[diesel(sql_type = diesel::sql_types::Text)]
        table_name: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        column_name: String,
    }
    let columns: Vec<Column> = match conn {
        DbConnection::Sqlite(c) => diesel::sql_query(
            "SELECT m.name AS table_name, p.name AS column_name \
             FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' \
             AND m.name <> '__diesel_schema_migrations'",
        )
        .load(c)?,
        DbConnection::Postgresql(c) => diesel::sql_query(
            "SELECT table_name::text AS table_name, column_name::text AS column_name \
             FROM information_schema.columns WHERE table_schema = current_schema() \
             AND table_name <> '__diesel_schema_migrations'",
        )
        .load(c)?,
    };
    let mut pairs: Vec<(String, String)> = columns
        .into_iter()
        .map(|c| (c.table_name, c.column_name))
        .collect();
    pairs.sort();
    Ok(pairs)
}

/// Now, in UTC, to the millisecond: both databases then store exactly the same instant.
pub fn now() -> NaiveDateTime {
    let now = Utc::now().naive_utc();
    now.with_nanosecond(now.nanosecond() / 1_000_000 * 1_000_000)
        .unwrap_or(now)
}

pub fn utc(at: NaiveDateTime) -> DateTime<Utc> {
    DateTime::from_naive_utc_and_offset(at, Utc)
}

/// Time-ordered ids, made here rather than by the database so no RETURNING is needed.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// A transaction that, on SQLite, takes the write lock at its start (`BEGIN IMMEDIATE`):
/// every transaction here writes (at least its audit entry), and two deferred ones that
/// both read and then write would fail with SQLITE_BUSY instead of waiting their turn.
pub fn transaction<T, E, F>(conn: &mut DbConnection, work: F) -> Result<T, E>
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
    if let Some(sqlite) = as_sqlite(conn) {
        match &result {
            Ok(_) => AnsiTransactionManager::commit_transaction(sqlite)?,
            Err(_) => AnsiTransactionManager::rollback_transaction(sqlite)?,
        }
    }
    result
}

fn as_sqlite(conn: &mut DbConnection) -> Option<&mut diesel::SqliteConnection> {
    match conn {
        DbConnection::Sqlite(sqlite) => Some(sqlite),
        DbConnection::Postgresql(_) => None,
    }
}
