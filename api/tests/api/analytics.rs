use actix_web::http::StatusCode;
use serde_json::Value;

use crate::helpers::{Backend, TestApp};

crate::on_both_backends!(clients_by_district_counts_every_district_within_the_role_scope);

fn counts(body: &Value) -> Vec<(String, i64)> {
    body["districts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["district"].as_str().unwrap().to_owned(),
                d["count"].as_i64().unwrap(),
            )
        })
        .collect()
}

async fn clients_by_district_counts_every_district_within_the_role_scope(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app
        .get(
            "/api/analytics/clients-by-district",
            &app.login("worker").await,
        )
        .await;
    assert_eq!(worker.status, StatusCode::OK);
    let body = worker.json();
    assert_eq!(body["scope"], "centre");
    let centre = counts(&body);
    assert_eq!(centre.len(), 18);
    assert_eq!(centre.iter().map(|(_, n)| n).sum::<i64>(), 12);
    assert!(
        centre.contains(&("F".into(), 6)) && centre.contains(&("A".into(), 0)),
        "{centre:?}"
    );

    let analyst = app
        .get(
            "/api/analytics/clients-by-district",
            &app.login("analyst").await,
        )
        .await
        .json();
    assert_eq!(analyst["scope"], "agency");
    assert_eq!(
        counts(&analyst).iter().map(|(_, n)| n).sum::<i64>(),
        24,
        "both centres of the agency"
    );
    let admin = app
        .get(
            "/api/analytics/clients-by-district",
            &app.login("admin").await,
        )
        .await
        .json();
    assert_eq!(
        counts(&admin).iter().map(|(_, n)| n).sum::<i64>(),
        36,
        "every centre"
    );

    let learner = app
        .get(
            "/api/analytics/clients-by-district",
            &app.login("learner").await,
        )
        .await;
    assert_eq!(learner.status, StatusCode::FORBIDDEN);
}
