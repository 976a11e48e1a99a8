use api::db;

use crate::helpers::{Backend, TestDatabase};

/// The two migration sets must describe the same tables and columns.
#[test]
fn sqlite_and_postgres_migrations_agree() {
    let describe = |backend| {
        let database = TestDatabase::new(backend);
        let pool = db::pool(&database.url, 1).unwrap();
        let mut conn = pool.get().unwrap();
        db::migrate(&mut conn).unwrap();
        db::describe_schema(&mut conn).unwrap()
    };
    let sqlite = describe(Backend::Sqlite);
    let postgres = describe(Backend::Postgres);
    assert!(sqlite.len() > 40, "{sqlite:?}");
    assert_eq!(sqlite, postgres);
}
