//! A pooled connection is never handed out again inside a transaction.

use api::db::{self, DbConnection, DbPool};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use crate::helpers::{Backend, TestDatabase};

crate::on_both_backends!(
    a_panicking_transaction_leaves_no_transaction_behind,
    a_refused_commit_leaves_no_transaction_behind,
);

/// Pool size of the tests: every connection of the pool is then checked afterwards.
const CONNECTIONS: u32 = 2;

fn setup(backend: Backend) -> (TestDatabase, DbPool) {
    let database = TestDatabase::new(backend);
    let pool = db::pool(&database.url, CONNECTIONS).unwrap();
    // A deferred foreign key is checked only at COMMIT, which lets a test make COMMIT fail.
    pool.get()
        .unwrap()
        .batch_execute(
            "CREATE TABLE probe (id INTEGER PRIMARY KEY, \
             parent INTEGER REFERENCES probe(id) DEFERRABLE INITIALLY DEFERRED)",
        )
        .unwrap();
    (database, pool)
}

fn insert(conn: &mut DbConnection, id: i32, parent: Option<i32>) -> QueryResult<usize> {
    let parent = parent.map_or("NULL".to_owned(), |p| p.to_string());
    diesel::sql_query(format!(
        "INSERT INTO probe (id, parent) VALUES ({id}, {parent})"
    ))
    .execute(conn)
}

/// Every pooled connection writes and commits at once (a connection left holding SQLite's
/// write lock would make the others fail with "database is locked"), and a fresh
/// connection sees exactly those rows: nothing of the failed transaction survived.
fn every_connection_writes(database: &TestDatabase, pool: &DbPool) {
    let mut held: Vec<_> = (0..CONNECTIONS).map(|_| pool.get().unwrap()).collect();
    for (i, conn) in held.iter_mut().enumerate() {
        db::transaction(conn, |conn| insert(conn, 100 + i as i32, None))
            .expect("an ordinary write succeeds");
    }
    drop(held);
    let fresh = db::pool(&database.url, 1).unwrap();
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        id: i32,
    }
    let ids: Vec<i32> = diesel::sql_query("SELECT id FROM probe ORDER BY id")
        .load::<Id>(&mut fresh.get().unwrap())
        .unwrap()
        .into_iter()
        .map(|row| row.id)
        .collect();
    assert_eq!(ids, vec![100, 101]);
}

async fn a_panicking_transaction_leaves_no_transaction_behind(backend: Backend) {
    let (database, pool) = setup(backend);
    let worker = pool.clone();
    let outcome = std::thread::spawn(move || {
        let mut conn = worker.get().unwrap();
        let _ = db::transaction(&mut conn, |conn| -> QueryResult<()> {
            insert(conn, 1, None)?;
            panic!("the work fails half-way")
        });
    })
    .join();
    assert!(outcome.is_err(), "the transaction panicked");
    every_connection_writes(&database, &pool);
}

async fn a_refused_commit_leaves_no_transaction_behind(backend: Backend) {
    let (database, pool) = setup(backend);
    let refused = db::transaction(&mut pool.get().unwrap(), |conn| insert(conn, 1, Some(99)));
    assert!(refused.is_err(), "COMMIT refuses the dangling reference");
    every_connection_writes(&database, &pool);
}
