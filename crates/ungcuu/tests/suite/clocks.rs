//! The reporting clocks of TT 20/2017: reminders before the 5-day notification deadline and the
//! escalation after it (each once, with a fake clock), stopping a clock by recording the
//! sending, the final-report clock starting at review, the deadlines list's scope, and the
//! clock rules.

use crate::incidents::report_body;
use reqwest::Method;
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};
use ungcuu_testkit::{PASSWORD, TestApp, WebSession, spawn_app};

async fn report(app: &TestApp, token: &str, body: &Value) -> (String, OffsetDateTime) {
    let (s, i) = app
        .send_json(Method::POST, "/api/v1/incidents", token, body)
        .await;
    assert_eq!(s, 201, "{i}");
    let d = OffsetDateTime::parse(
        i["discovered_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    (i["id"].as_str().unwrap().to_string(), d)
}

/// The notifications of the token's person about `id`: (kind, text).
async fn told(app: &TestApp, token: &str, id: &str) -> Vec<(String, String)> {
    let (s, n) = app.get_json("/api/v1/notifications", token).await;
    assert_eq!(s, 200, "{n}");
    n["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["link"].as_str() == Some(&format!("/incidents/{id}")))
        .filter(|x| x["kind"].as_str().is_some_and(|k| k.starts_with("clock.")))
        .map(|x| {
            (
                x["kind"].as_str().unwrap().to_string(),
                x["text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

async fn clock(app: &TestApp, token: &str, id: &str, kind: &str) -> Value {
    let (s, c) = app
        .get_json(&format!("/api/v1/incidents/{id}/clocks"), token)
        .await;
    assert_eq!(s, 200, "{c}");
    c["clocks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kind"] == kind)
        .unwrap()
        .clone()
}

#[tokio::test]
async fn the_notification_clock_reminds_the_officer_once_escalates_once_and_stops_when_recorded() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let officer = &f.officer_a.2;
    let coord = &f.coordinator.2;
    let (id, discovered) = report(&app, officer, &report_body(f.org_a, "Sự cố đồng hồ Sở A")).await;
    let c = clock(&app, officer, &id, "notification").await;
    assert_eq!(c["status"], "running", "{c}");
    let due = OffsetDateTime::parse(
        c["due_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    // Stored to the microsecond.
    assert!((due - (discovered + Duration::days(5))).abs() < Duration::milliseconds(1));
    // Nothing to say two days in.
    let scan = |t| ungcuu_core::clocks::scan(&app.core, t);
    assert_eq!(scan(discovered + Duration::days(2)).await.unwrap(), 0);
    // Four days in: one reminder to the officer (both the 48 h and the 24 h thresholds have
    // passed, one message), and again nothing on the next scan.
    assert_eq!(scan(discovered + Duration::days(4)).await.unwrap(), 1);
    assert_eq!(
        scan(discovered + Duration::days(4) + Duration::minutes(10))
            .await
            .unwrap(),
        0
    );
    let to_officer = told(&app, officer, &id).await;
    assert_eq!(to_officer.len(), 1, "{to_officer:?}");
    assert_eq!(to_officer[0].0, "clock.reminder");
    assert!(to_officer[0].1.contains("Còn 1 ngày"), "{to_officer:?}");
    assert!(told(&app, coord, &id).await.is_empty());
    // Six days in: overdue, the coordinator is told once.
    assert_eq!(scan(discovered + Duration::days(6)).await.unwrap(), 1);
    assert_eq!(
        scan(discovered + Duration::days(6) + Duration::hours(1))
            .await
            .unwrap(),
        0
    );
    let to_coord = told(&app, coord, &id).await;
    assert_eq!(to_coord.len(), 1, "{to_coord:?}");
    assert_eq!(to_coord[0].0, "clock.overdue");
    assert!(to_coord[0].1.contains("Quá hạn 1 ngày"), "{to_coord:?}");
    assert_eq!(told(&app, officer, &id).await.len(), 2);
    // And by e-mail.
    ungcuu_core::jobs::drain(&app.core, "test").await.unwrap();
    let mails: Vec<String> = std::fs::read_dir(app.data_dir.join("outbox"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert!(mails.iter().any(|m| m.contains("To: officer-a@test.vn")));
    assert!(mails.iter().any(|m| m.contains("To: coord@test.vn")));
    // Recording the sending stops the clock; no more alerts.
    let (s, r) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/incidents/{id}/reports"),
            officer,
            &json!({"kind": "notification", "channel": "letter", "recipients": "VNCERT/CC; Sở TT&TT", "note": "Công văn số 12/SA"}),
        )
        .await;
    assert_eq!(s, 201, "{r}");
    assert_eq!(r["channel"], "letter");
    let (_, events) = app
        .get_json(&format!("/api/v1/incidents/{id}/timeline"), officer)
        .await;
    assert!(
        events
            .to_string()
            .contains("Đã gửi thông báo sự cố (công văn) tới VNCERT/CC"),
        "{events}"
    );
    let c = clock(&app, officer, &id, "notification").await;
    assert_eq!(c["status"], "stopped", "{c}");
    assert!(c["stopped_at"].is_string());
    // A bad record names its fields.
    let (s, p) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/incidents/{id}/reports"),
            officer,
            &json!({"kind": "memo", "channel": "pigeon", "recipients": ""}),
        )
        .await;
    assert_eq!(s, 422, "{p}");
    let fields: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["kind", "channel", "recipients"]);
    // The officer of B cannot see it, let alone record.
    let (s, _) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/incidents/{id}/reports"),
            &f.officer_b.2,
            &json!({"kind": "notification", "channel": "email", "recipients": "x"}),
        )
        .await;
    assert_eq!(s, 404);
    // The incident page shows the section with the record.
    let w = WebSession::new(&app.url);
    w.login(&f.officer_a.0, PASSWORD).await;
    let page = w.get(&format!("/incidents/{id}")).await;
    assert!(page.body.contains("Thời hạn báo cáo"));
    assert!(page.body.contains("đã gửi lúc"));
    assert!(page.body.contains("Công văn số 12/SA"));
}

#[tokio::test]
async fn the_final_report_clock_starts_when_the_incident_enters_review() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let coord = &f.coordinator.2;
    let officer = &f.officer_a.2;
    let (id, _) = report(&app, officer, &report_body(f.org_a, "Sự cố Mẫu 04")).await;
    let c = clock(&app, officer, &id, "final_report").await;
    assert!(c["status"].is_null() && c["due_at"].is_null(), "{c}");
    // Not started: it cannot be recorded yet.
    let body = json!({"kind": "final_report", "channel": "email", "recipients": "VNCERT/CC"});
    let path = format!("/api/v1/incidents/{id}/reports");
    let (s, p) = app.send_json(Method::POST, &path, officer, &body).await;
    assert_eq!(s, 422, "{p}");
    for to in [
        "verifying",
        "initial_response",
        "option_proposed",
        "option_approved",
        "containing",
        "eradicating",
        "recovering",
        "verifying_recovery",
        "review",
    ] {
        if to == "review" {
            crate::tasks::tick_recovery(&app, coord, &id).await;
        }
        let (s, b) = app
            .send_json(
                Method::POST,
                &format!("/api/v1/incidents/{id}/transitions"),
                coord,
                &json!({ "to": to }),
            )
            .await;
        assert_eq!(s, 200, "{to}: {b}");
    }
    let c = clock(&app, officer, &id, "final_report").await;
    assert_eq!(c["status"], "running", "{c}");
    assert!(c["started_at"].is_string());
    let (s, p) = app.send_json(Method::POST, &path, coord, &body).await;
    assert_eq!(s, 201, "{p}");
    assert_eq!(
        clock(&app, officer, &id, "final_report").await["status"],
        "stopped"
    );
}

#[tokio::test]
async fn the_deadlines_list_is_province_wide_for_the_coordinator_and_own_for_an_officer() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let (a, _) = report(&app, &f.officer_a.2, &report_body(f.org_a, "Sự cố hạn A")).await;
    let (b, _) = report(&app, &f.officer_b.2, &report_body(f.org_b, "Sự cố hạn B")).await;
    let ids = |v: &Value| -> Vec<String> {
        v["clocks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["incident_id"].as_str().unwrap().to_string())
            .collect()
    };
    let (s, all) = app.get_json("/api/v1/deadlines", &f.coordinator.2).await;
    assert_eq!(s, 200, "{all}");
    let all_ids = ids(&all);
    assert!(all_ids.contains(&a) && all_ids.contains(&b), "{all}");
    // Earliest due first.
    let dues: Vec<&str> = all["clocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["clock"]["due_at"].as_str().unwrap())
        .collect();
    let mut sorted = dues.clone();
    sorted.sort();
    assert_eq!(dues, sorted);
    assert_eq!(all["periods"].as_array().unwrap().len(), 2, "{all}");
    let (_, mine) = app.get_json("/api/v1/deadlines", &f.officer_a.2).await;
    assert_eq!(ids(&mine), vec![a.clone()]);
    assert!(mine["periods"].as_array().unwrap().is_empty());
    // The page and the queue badge.
    let w = WebSession::new(&app.url);
    w.login(&f.coordinator.0, PASSWORD).await;
    let page = w.get("/deadlines").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Sự cố hạn A") && page.body.contains("Sự cố hạn B"));
    assert!(page.body.contains("Báo cáo 6 tháng"));
    let queue = w.get("/incidents").await;
    assert!(queue.body.contains("còn 5 ngày"), "badge");
    let w = WebSession::new(&app.url);
    w.login(&f.officer_a.0, PASSWORD).await;
    let page = w.get("/deadlines").await;
    assert!(page.body.contains("Sự cố hạn A") && !page.body.contains("Sự cố hạn B"));
}

#[tokio::test]
async fn clock_rules_are_validated_and_only_the_coordinator_changes_them() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let path = "/api/v1/settings/clock-rules";
    let (s, r) = app.get_json(path, &f.officer_a.2).await;
    assert_eq!(s, 200);
    assert_eq!(r["notification_days"], 5);
    assert_eq!(r["day_count"], "calendar");
    let body = json!({"day_count": "working", "holidays": ["2027-02-05", "2027-02-08"]});
    let (s, _) = app
        .send_json(Method::PUT, path, &f.officer_a.2, &body)
        .await;
    assert_eq!(s, 403);
    let (s, p) = app
        .send_json(
            Method::PUT,
            path,
            &f.coordinator.2,
            &json!({"notification_days": 0, "holidays": ["05/02/2027"]}),
        )
        .await;
    assert_eq!(s, 422, "{p}");
    let fields: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["notification_days", "holidays"]);
    let (s, p) = app
        .send_json(
            Method::PUT,
            path,
            &f.coordinator.2,
            &json!({"day_count": "lunar"}),
        )
        .await;
    assert_eq!(s, 422, "{p}");
    let (s, r) = app
        .send_json(Method::PUT, path, &f.coordinator.2, &body)
        .await;
    assert_eq!(s, 200, "{r}");
    let (_, r) = app.get_json(path, &f.officer_a.2).await;
    assert_eq!(r["day_count"], "working");
    assert_eq!(r["holidays"][1], "2027-02-08");
    assert_eq!(r["notification_days"], 5);
}

/// The coordinators' notices of one kind about the periodic summaries.
async fn period_notices(app: &TestApp, token: &str, kind: &str) -> Vec<Value> {
    let (s, n) = app.get_json("/api/v1/notifications", token).await;
    assert_eq!(s, 200, "{n}");
    n["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["kind"] == kind && x["link"] == "/documents")
        .cloned()
        .collect()
}

#[tokio::test]
async fn the_summary_deadline_reminds_the_coordinators_escalates_once_and_stops_when_sent() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let coord = &f.coordinator.2;
    let (s, all) = app.get_json("/api/v1/deadlines", coord).await;
    assert_eq!(s, 200, "{all}");
    let next = all["periods"][0].clone();
    assert_eq!(next["status"], "running", "{all}");
    let due = time::OffsetDateTime::parse(
        next["due_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let scan = |t| ungcuu_core::clocks::scan(&app.core, t);
    // Thirty hours before: the 48-hour reminder, once.
    assert_eq!(scan(due - Duration::hours(30)).await.unwrap(), 1);
    assert_eq!(scan(due - Duration::hours(29)).await.unwrap(), 0);
    let reminders = period_notices(&app, coord, "clock.reminder").await;
    assert_eq!(reminders.len(), 1, "{reminders:?}");
    assert!(
        reminders[0]["text"]
            .as_str()
            .unwrap()
            .contains("phải gửi VNCERT/CC trước ngày"),
        "{reminders:?}"
    );
    // An officer is not the one who files Mẫu 05.
    assert!(
        period_notices(&app, &f.officer_a.2, "clock.reminder")
            .await
            .is_empty()
    );
    // Overdue: escalated once, and the deadlines list says so.
    assert_eq!(scan(due + Duration::hours(1)).await.unwrap(), 1);
    assert_eq!(scan(due + Duration::hours(2)).await.unwrap(), 0);
    assert_eq!(period_notices(&app, coord, "clock.overdue").await.len(), 1);

    // The summary ending with the period's last month, issued and sent by letter, meets it.
    let month = |d: &str| d[..7].to_string();
    let (s, d) = app
        .send_json(
            Method::POST,
            "/api/v1/documents",
            coord,
            &json!({"form": "mau05", "org_id": f.coordinator_org,
                    "period_kind": if next["kind"] == "annual" { "annual" } else { "six_months" },
                    "period_from": month(next["from"].as_str().unwrap()),
                    "period_to": month(next["to"].as_str().unwrap())}),
        )
        .await;
    assert_eq!(s, 201, "{d}");
    let id = d["id"].as_str().unwrap().to_string();
    crate::documents::complete(&app, coord, &d).await;
    let (s, i) = crate::documents::issue(&app, coord, &id).await;
    assert_eq!(s, 200, "{i}");
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/documents/{id}/sendings?channel=letter&recipients=VNCERT%2FCC"),
            coord,
        )
        .header("content-type", "application/octet-stream")
        .body(b"%PDF-1.4 ban chup".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let (_, all) = app.get_json("/api/v1/deadlines", coord).await;
    let met = all["periods"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["due_at"] == next["due_at"])
        .cloned()
        .unwrap_or(Value::Null);
    assert_eq!(met["status"], "stopped", "{all}");
    assert_eq!(met["sent_document_id"], json!(id));
    assert_eq!(met["sent_number"], i["number"]);
    // Nothing more is sent about it.
    assert_eq!(scan(due + Duration::days(3)).await.unwrap(), 0);
    let w = WebSession::new(&app.url);
    w.login(&f.coordinator.0, PASSWORD).await;
    let page = w.get("/deadlines").await;
    assert!(
        page.body.contains(&format!("href=\"/documents/{id}\"")),
        "{}",
        page.body
    );
}
