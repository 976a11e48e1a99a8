use api::db::{self, SchemaDescription};

use crate::helpers::{Backend, TestDatabase};

fn describe(backend: Backend) -> SchemaDescription {
    let database = TestDatabase::new(backend);
    let pool = db::pool(&database.url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    db::migrate(&mut conn).unwrap();
    db::describe_schema(&mut conn).unwrap()
}

/// Every migration's `down.sql` undoes its `up.sql`: reverted all the way, nothing of the
/// schema is left, and run again the migrations give the schema they gave first.
async fn every_migration_reverts_and_runs_again(backend: Backend) {
    let database = TestDatabase::new(backend);
    let pool = db::pool(&database.url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    db::migrate(&mut conn).unwrap();
    let first = db::describe_schema(&mut conn).unwrap();
    assert!(first.columns.len() > 40, "{:?}", first.columns);
    db::revert_all(&mut conn).unwrap();
    assert_eq!(
        db::describe_schema(&mut conn).unwrap(),
        SchemaDescription::default()
    );
    db::migrate(&mut conn).unwrap();
    assert_eq!(db::describe_schema(&mut conn).unwrap(), first);
}

crate::on_both_backends!(every_migration_reverts_and_runs_again);

/// Table and event of each trigger, apart from TRUNCATE, which only PostgreSQL has.
fn trigger_events(schema: &SchemaDescription) -> Vec<(String, String)> {
    let mut events: Vec<(String, String)> = schema
        .triggers
        .iter()
        .filter(|(_, _, event)| event != "TRUNCATE")
        .map(|(table, _, event)| (table.clone(), event.clone()))
        .collect();
    events.sort();
    events.dedup();
    events
}

/// The two migration sets describe the same schema: every column with its type,
/// nullability and default, every index and unique constraint, every foreign key, and
/// the triggers that keep the audit trail append-only.
#[test]
fn sqlite_and_postgres_migrations_agree() {
    let sqlite = describe(Backend::Sqlite);
    let postgres = describe(Backend::Postgres);
    assert!(sqlite.columns.len() > 40, "{:?}", sqlite.columns);
    assert_eq!(sqlite.columns, postgres.columns);
    assert_eq!(sqlite.indexes, postgres.indexes);
    assert_eq!(sqlite.foreign_keys, postgres.foreign_keys);
    assert_eq!(trigger_events(&sqlite), trigger_events(&postgres));
    for event in ["UPDATE", "DELETE"] {
        assert!(
            trigger_events(&sqlite).contains(&("audit_log".into(), event.into())),
            "audit_log guards {event}"
        );
    }
    assert!(
        postgres
            .triggers
            .iter()
            .any(|(table, _, event)| table == "audit_log" && event == "TRUNCATE"),
        "PostgreSQL guards the audit trail against TRUNCATE: {:?}",
        postgres.triggers
    );
    assert!(
        sqlite.indexes.contains(&(
            "clients".into(),
            vec!["centre_id".into(), "hkid_hash".into()],
            true
        )),
        "one HKID per centre is a unique index: {:?}",
        sqlite.indexes
    );
}

/// `schema.rs`, which every query is compiled against, states what the migrations make:
/// the same tables, columns, types and nullability.
#[test]
fn schema_rs_matches_the_migrations() {
    let source = include_str!("../../src/db/schema.rs");
    let mut declared = Vec::new();
    let mut table = None;
    for line in source.lines().map(str::trim) {
        if let Some(name) = line.strip_suffix('{').and_then(|l| l.split_once(" (")) {
            table = Some(name.0.trim().to_owned());
        } else if line == "}" {
            table = None;
        } else if let (Some(table), Some((column, sql_type))) = (&table, line.split_once(" -> ")) {
            let sql_type = sql_type.trim_end_matches(',');
            let (inner, nullable) = match sql_type.strip_prefix("Nullable<") {
                Some(inner) => (inner.trim_end_matches('>'), true),
                None => (sql_type, false),
            };
            let normalised = match inner {
                "Text" => "text",
                "BigInt" => "bigint",
                "Integer" => "integer",
                "Bool" => "boolean",
                "Date" => "date",
                "Timestamp" => "timestamp",
                "Binary" => "blob",
                other => panic!("schema.rs uses {other}: add it to this test"),
            };
            declared.push((
                table.clone(),
                column.trim().to_owned(),
                normalised.to_owned(),
                nullable,
            ));
        }
    }
    declared.sort();
    let migrated: Vec<(String, String, String, bool)> = describe(Backend::Sqlite)
        .columns
        .into_iter()
        .map(|(table, column, sql_type, nullable, _)| (table, column, sql_type, nullable))
        .collect();
    assert!(declared.len() > 40, "{declared:?}");
    assert_eq!(declared, migrated);
}
