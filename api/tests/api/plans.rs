//! How SQLite reads for the searches and lists a worker repeats all day: each large table
//! is reached through an index, never read whole. A statement that reads one whole is
//! answered correctly and only slow at scale (a list of every sensitive case, built for
//! each client page, once took 369 ms of a page's 0.5), which no other test notices.
//! SQLite only: without statistics its plans follow from the schema and the statement
//! alone, where PostgreSQL's follow from the data and rightly read a small table whole.

use actix_web::http::{Method, StatusCode};
use diesel::prelude::*;
use serde_json::json;

use crate::cases::open_case;
use crate::helpers::{Backend, TestApp};

/// The tables that grow with the clients, cases and notes a centre serves.
const LARGE: [&str; 10] = [
    "clients",
    "cases",
    "case_reach",
    "case_members",
    "case_workers",
    "case_notes",
    "case_events",
    "search_postings",
    "household_memberships",
    "audit_log",
];

#[derive(QueryableByName)]
struct PlanLine {
    #[diesel(sql_type = diesel::sql_types::Text)]
    detail: String,
}

/// The lines of the statement's plan that read a large table whole.
fn whole_reads(app: &TestApp, sql: &str) -> Vec<String> {
    let plan: Vec<PlanLine> = diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}"))
        .load(&mut app.conn())
        .unwrap_or_else(|e| panic!("{e}: {sql}"));
    plan.into_iter()
        .map(|line| line.detail)
        .filter(|detail| {
            let mut words = detail.split_whitespace();
            words.next() == Some("SCAN") && words.next().is_some_and(|t| LARGE.contains(&t))
        })
        .collect()
}

#[actix_rt::test]
async fn searches_and_lists_read_no_large_table_whole() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let worker = app.login("worker").await;
    let supervisor = app.login("supervisor").await;
    let client = app.register(&worker, "陳淑儀", "CHAN Shuk Yee").await;
    let partner = app.register(&worker, "李志強", "LEE Chi Keung").await;
    let case = open_case(
        &app,
        &worker,
        &client,
        json!({ "sensitive": true, "member_ids": [partner], "nature_codes": ["spouse_battering"] }),
    )
    .await;
    let case_id = case["case"]["id"].as_str().unwrap();
    let written = app
        .send(
            Method::POST,
            &format!("/api/cases/{case_id}/notes"),
            &worker,
            &crate::case_notes::note(&[&client], "家訪：案主情緒低落，擔心子女。"),
        )
        .await;
    assert_eq!(written.status, StatusCode::CREATED, "{}", written.json());

    let statements = app
        .statements
        .of(async {
            for token in [&worker, &supervisor] {
                for q in ["陳淑", "陳", "chan shuk", "lee"] {
                    assert!(
                        !crate::clients::search(&app, token, q).await.is_empty(),
                        "{q} finds"
                    );
                }
                for q in ["情緒", "擔心子女"] {
                    assert_eq!(
                        crate::case_notes::found(&app, token, q).await,
                        1,
                        "{q} finds the note"
                    );
                }
                let listed = app.get("/api/cases", token).await;
                assert_eq!(listed.status, StatusCode::OK);
                assert_eq!(listed.json()["total"], 1);
            }
        })
        .await;
    let reads: Vec<&String> = statements
        .iter()
        .filter(|sql| sql.starts_with("SELECT") || sql.starts_with("WITH"))
        .collect();
    assert!(
        reads.iter().any(|sql| sql.contains("on_sensitive_case")),
        "the client pages' statements were recorded: {reads:#?}"
    );
    let whole: Vec<(String, Vec<String>)> = reads
        .into_iter()
        .map(|sql| (sql.clone(), whole_reads(&app, sql)))
        .filter(|(_, lines)| !lines.is_empty())
        .collect();
    assert!(whole.is_empty(), "large tables read whole: {whole:#?}");
}
