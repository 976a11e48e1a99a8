use std::io::Read;

use actix_web::http::{Method, StatusCode};
use calamine::{Data, Reader, Xlsx};
use serde_json::{json, Value};

use crate::helpers::{client_form, Backend, Reply, TestApp};

crate::on_both_backends!(
    export_is_a_real_workbook_of_what_the_user_may_see,
    an_export_cut_at_its_row_limit_says_so,
);

async fn export(app: &TestApp, token: &str, request: Value) -> Reply {
    app.send(Method::POST, "/api/clients/export.xlsx", token, &request)
        .await
}

/// The rows of a workbook's first sheet.
pub fn rows_of(bytes: Vec<u8>) -> Vec<Vec<Data>> {
    let mut workbook: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let sheet = workbook.worksheet_range_at(0).unwrap().unwrap();
    sheet.rows().map(<[Data]>::to_vec).collect()
}

async fn export_is_a_real_workbook_of_what_the_user_may_see(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let token = app.login("supervisor").await;
    let mut risky = client_form("=HYPERLINK(\"http://x\")", "+SUM(A1)");
    risky["hkid"] = json!("A123456(3)");
    let reply = app
        .send(Method::POST, "/api/clients", &worker, &risky)
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let elsewhere = app.login("worker3").await;
    let hidden = app
        .send(
            Method::POST,
            "/api/clients",
            &elsewhere,
            &client_form("外中心", "OTHER Centre"),
        )
        .await;
    assert_eq!(
        hidden.status,
        StatusCode::CREATED,
        "the client to hide exists"
    );

    let reply = export(&app, &token, json!({})).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        reply.headers.get("content-type").unwrap(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(reply
        .headers
        .get("content-disposition")
        .unwrap()
        .to_str()
        .unwrap()
        .contains("attachment"));

    let mut workbook: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(reply.bytes.clone())).unwrap();
    let sheet = workbook.worksheet_range_at(0).unwrap().unwrap();
    let rows: Vec<&[Data]> = sheet.rows().collect();
    assert_eq!(
        rows.len(),
        1 + 13,
        "header, 12 demo clients and the new one"
    );
    assert_eq!(rows[0][0], Data::String("中文姓名 Chinese name".into()));
    let names: Vec<String> = rows.iter().skip(1).map(|r| r[0].to_string()).collect();
    assert!(
        names.contains(&"陳大文".to_owned()),
        "Chinese intact: {names:?}"
    );
    assert!(
        !names.contains(&"外中心".to_owned()),
        "another centre's client leaked"
    );
    let risky_row = rows
        .iter()
        .find(|r| r[1].to_string().contains("SUM"))
        .unwrap();
    assert_eq!(
        risky_row[0],
        Data::String("'=HYPERLINK(\"http://x\")".into())
    );
    assert_eq!(risky_row[1], Data::String("'+SUM(A1)".into()));
    assert_eq!(risky_row[6], Data::String("A123***(*)".into()));
    match &risky_row[3] {
        Data::DateTime(date) => {
            assert_eq!(date.as_datetime().unwrap().date().to_string(), "1985-03-14")
        }
        other => panic!("date of birth is not an Excel date: {other:?}"),
    }

    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(reply.bytes)).unwrap();
    let mut sheet_xml = String::new();
    archive
        .by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut sheet_xml)
        .unwrap();
    assert!(
        sheet_xml.contains(r#"ySplit="1""#) && sheet_xml.contains(r#"state="frozen""#),
        "header row frozen"
    );
    assert!(
        sheet_xml.contains("<autoFilter ref=\"A1:O14\""),
        "autofilter over the table"
    );
    assert!(!sheet_xml.contains("<f>"), "no formulas at all");

    let filtered = export(&app, &token, json!({ "q": "陳" })).await;
    let mut workbook: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(filtered.bytes)).unwrap();
    let rows = workbook
        .worksheet_range_at(0)
        .unwrap()
        .unwrap()
        .rows()
        .count();
    assert_eq!(rows, 2, "only 陳大文 matches 陳");
    assert_eq!(app.count("audit_log WHERE action = 'client.export'"), 2);
}

async fn an_export_cut_at_its_row_limit_says_so(backend: Backend) {
    let app = TestApp::spawn_with(backend, |state| state.export_row_limit = 5).await;
    let token = app.login("supervisor").await;
    let reply = export(&app, &token, json!({})).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.headers.get("x-export-rows").unwrap(), "5");
    assert_eq!(reply.headers.get("x-export-matching").unwrap(), "12");
    let rows = rows_of(reply.bytes);
    let note = rows.last().unwrap()[0].to_string();
    assert!(note.contains("Only the first 5 of 12"), "{note}");
    assert!(note.contains("只列出首 5 名"), "{note}");

    let whole = export(&app, &token, json!({ "q": "陳" })).await;
    assert_eq!(whole.headers.get("x-export-rows").unwrap(), "1");
    assert_eq!(whole.headers.get("x-export-matching").unwrap(), "1");
    assert_eq!(rows_of(whole.bytes).len(), 2, "header and one row, no note");
}
