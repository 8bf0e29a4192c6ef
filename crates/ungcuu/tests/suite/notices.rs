//! How people are told: e-mail preferences per topic (now, daily digest, off), following an
//! incident and hearing of its steps, the daily digest with a fake clock, saved queue filters,
//! and the live-update stream of the incident page.

use crate::incidents::report_body;
use reqwest::Method;
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};
use ungcuu_testkit::{PASSWORD, TestApp, WebSession, mail_subject, mail_text, spawn_app};

async fn report(app: &TestApp, token: &str, title: &str, org: uuid::Uuid) -> String {
    let (s, i) = app
        .send_json(
            Method::POST,
            "/api/v1/incidents",
            token,
            &report_body(org, title),
        )
        .await;
    assert_eq!(s, 201, "{i}");
    i["id"].as_str().unwrap().to_string()
}

async fn step(app: &TestApp, token: &str, id: &str, to: &str) {
    let (s, b) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/incidents/{id}/transitions"),
            token,
            &json!({ "to": to }),
        )
        .await;
    assert_eq!(s, 200, "{b}");
}

/// Mails in the outbox addressed to `to` (after running the queued jobs).
async fn mails_to(app: &TestApp, to: &str) -> Vec<String> {
    ungcuu_core::jobs::drain(&app.core, "test").await.unwrap();
    let Ok(dir) = std::fs::read_dir(app.data_dir.join("outbox")) else {
        return Vec::new();
    };
    dir.map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .filter(|m| m.contains(&format!("To: {to}")))
        .collect()
}

async fn state_notices(app: &TestApp, token: &str, id: &str) -> Vec<Value> {
    let (s, n) = app.get_json("/api/v1/notifications", token).await;
    assert_eq!(s, 200, "{n}");
    n["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["kind"] == "incident.state" && x["link"] == format!("/incidents/{id}"))
        .cloned()
        .collect()
}

#[tokio::test]
async fn preferences_default_to_now_are_validated_and_saved() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let officer = &f.officer_a.2;
    let (s, p) = app
        .get_json("/api/v1/me/notification-preferences", officer)
        .await;
    assert_eq!(s, 200, "{p}");
    assert_eq!(p["digest_hour"], 7);
    assert_eq!(p["modes"]["incident_state"], "now");
    assert_eq!(p["modes"].as_object().unwrap().len(), 7);
    let before = app.audit_count().await;
    // An unknown topic, an unknown mode and an hour out of range: all named, nothing written.
    for (body, field) in [
        (json!({ "modes": { "weather": "now" } }), "modes.weather"),
        (json!({ "modes": { "clock": "sometimes" } }), "modes.clock"),
        (json!({ "digest_hour": 24 }), "digest_hour"),
    ] {
        let (s, e) = app
            .send_json(
                Method::PUT,
                "/api/v1/me/notification-preferences",
                officer,
                &body,
            )
            .await;
        assert_eq!(s, 422, "{e}");
        assert!(e.to_string().contains(field), "{e}");
    }
    assert_eq!(app.audit_count().await, before);
    let (s, p) = app
        .send_json(
            Method::PUT,
            "/api/v1/me/notification-preferences",
            officer,
            &json!({ "modes": { "incident_state": "digest", "clock": "off" }, "digest_hour": 17 }),
        )
        .await;
    assert_eq!(s, 200, "{p}");
    assert_eq!(p["modes"]["incident_state"], "digest");
    assert_eq!(p["modes"]["clock"], "off");
    assert_eq!(p["modes"]["mention"], "now");
    assert_eq!(p["digest_hour"], 17);
    assert_eq!(app.audit_count().await, before + 1);
    // Another person's preferences are untouched.
    let (_, other) = app
        .get_json("/api/v1/me/notification-preferences", &f.officer_b.2)
        .await;
    assert_eq!(other["modes"]["incident_state"], "now");
}

#[tokio::test]
async fn followers_hear_of_each_step_by_their_chosen_mode_and_the_digest_goes_once_a_day() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let (officer, coord) = (&f.officer_a.2, &f.coordinator.2);
    // The reporter follows what they report.
    let id = report(&app, officer, "Tấn công lừa đảo hộp thư Sở A", f.org_a).await;
    let (s, fo) = app
        .get_json(&format!("/api/v1/incidents/{id}/follow"), officer)
        .await;
    assert_eq!(s, 200, "{fo}");
    assert_eq!(fo["following"], true);
    // The coordinators hear of the new report; the reporter does not hear of their own.
    let reported = |v: &Value| {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|x| x["kind"] == "incident.reported")
            .count()
    };
    assert_eq!(
        reported(&app.get_json("/api/v1/notifications", coord).await.1),
        1
    );
    assert_eq!(
        reported(&app.get_json("/api/v1/notifications", officer).await.1),
        0
    );
    // The coordinator moves it: the officer is told at once (in the centre and by e-mail), the
    // coordinator who made the change is not.
    step(&app, coord, &id, "verifying").await;
    let n = state_notices(&app, officer, &id).await;
    assert_eq!(n.len(), 1, "{n:?}");
    assert!(
        n[0]["text"].as_str().unwrap().contains("Đang xác minh"),
        "{n:?}"
    );
    assert!(state_notices(&app, coord, &id).await.is_empty());
    let now_mails = mails_to(&app, &f.officer_a.0).await;
    assert!(
        now_mails
            .iter()
            .any(|m| mail_subject(m).contains("chuyển bước")
                && mail_text(m).contains("Tấn công lừa đảo")),
        "{now_mails:?}"
    );
    // Digest: the next steps wait for the officer's hour.
    let (s, _) = app
        .send_json(
            Method::PUT,
            "/api/v1/me/notification-preferences",
            officer,
            &json!({ "modes": { "incident_state": "digest" }, "digest_hour": 8 }),
        )
        .await;
    assert_eq!(s, 200);
    step(&app, coord, &id, "initial_response").await;
    step(&app, coord, &id, "option_proposed").await;
    assert_eq!(state_notices(&app, officer, &id).await.len(), 3);
    assert_eq!(mails_to(&app, &f.officer_a.0).await.len(), now_mails.len());
    // 08:00 in Vietnam is 01:00 UTC. The first scan after the hour sends one digest with both
    // steps; scans later that day send nothing; tomorrow's has nothing to send.
    let today = OffsetDateTime::now_utc().date();
    let morning = today.with_hms(1, 5, 0).unwrap().assume_utc() + Duration::days(1);
    assert_eq!(
        ungcuu_core::notices::send_digests(&app.core, morning)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        ungcuu_core::notices::send_digests(&app.core, morning + Duration::hours(3))
            .await
            .unwrap(),
        0
    );
    let all = mails_to(&app, &f.officer_a.0).await;
    let digests: Vec<&String> = all
        .iter()
        .filter(|m| mail_subject(m).contains("Tổng hợp"))
        .collect();
    assert_eq!(digests.len(), 1, "{all:?}");
    let body = mail_text(digests[0]);
    assert!(body.contains("Ứng cứu ban đầu"), "{body}");
    assert!(body.contains("Đã đề xuất phương án"), "{body}");
    assert!(mail_subject(digests[0]).contains("2 thông báo"));
    // Off: the centre keeps it, no e-mail at all.
    let (s, _) = app
        .send_json(
            Method::PUT,
            "/api/v1/me/notification-preferences",
            officer,
            &json!({ "modes": { "incident_state": "off" } }),
        )
        .await;
    assert_eq!(s, 200);
    step(&app, coord, &id, "option_approved").await;
    assert_eq!(state_notices(&app, officer, &id).await.len(), 4);
    assert_eq!(
        ungcuu_core::notices::send_digests(&app.core, morning + Duration::days(1))
            .await
            .unwrap(),
        0
    );
    assert_eq!(mails_to(&app, &f.officer_a.0).await.len(), all.len());
    // Unfollowing stops the notices.
    let (s, fo) = app
        .send_json(
            Method::DELETE,
            &format!("/api/v1/incidents/{id}/follow"),
            officer,
            &json!({}),
        )
        .await;
    assert_eq!(s, 200, "{fo}");
    assert_eq!(fo["following"], false);
    step(&app, coord, &id, "containing").await;
    assert_eq!(state_notices(&app, officer, &id).await.len(), 4);
}

#[tokio::test]
async fn saved_filters_belong_to_their_person_and_bad_names_are_refused() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let officer = &f.officer_a.2;
    let (s, v) = app
        .send_json(
            Method::POST,
            "/api/v1/me/incident-filters",
            officer,
            &json!({ "name": "Nghiêm trọng đang mở", "query": "?state=open&severity=serious" }),
        )
        .await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(v["query"], "state=open&severity=serious");
    assert_eq!(v["href"], "/incidents?state=open&severity=serious");
    let fid = v["id"].as_str().unwrap().to_string();
    let before = app.audit_count().await;
    for (body, field) in [
        (
            json!({ "name": "Nghiêm trọng đang mở", "query": "q=x" }),
            "name",
        ),
        (json!({ "name": "  ", "query": "q=x" }), "name"),
        (json!({ "name": "x".repeat(101), "query": "q=x" }), "name"),
        (json!({ "name": "ok", "query": "q=a\r\nb" }), "query"),
        (
            json!({ "name": "ok", "query": "q=".to_string() + &"a".repeat(2100) }),
            "query",
        ),
    ] {
        let (s, e) = app
            .send_json(Method::POST, "/api/v1/me/incident-filters", officer, &body)
            .await;
        assert_eq!(s, 422, "{e}");
        assert!(e.to_string().contains(field), "{e}");
    }
    assert_eq!(app.audit_count().await, before);
    // Not visible to, nor deletable by, another person.
    let (_, other) = app
        .get_json("/api/v1/me/incident-filters", &f.officer_b.2)
        .await;
    assert_eq!(other.as_array().unwrap().len(), 0);
    let (s, _) = app
        .send_json(
            Method::DELETE,
            &format!("/api/v1/me/incident-filters/{fid}"),
            &f.officer_b.2,
            &json!({}),
        )
        .await;
    assert_eq!(s, 404);
    let (_, mine) = app.get_json("/api/v1/me/incident-filters", officer).await;
    assert_eq!(mine.as_array().unwrap().len(), 1);
    let (s, _) = app
        .send_json(
            Method::DELETE,
            &format!("/api/v1/me/incident-filters/{fid}"),
            officer,
            &json!({}),
        )
        .await;
    assert_eq!(s, 204);
    let (_, mine) = app.get_json("/api/v1/me/incident-filters", officer).await;
    assert_eq!(mine.as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn the_pages_save_preferences_follow_incidents_and_keep_filters() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let id = report(
        &app,
        &f.officer_a.2,
        "Trang web bị thay đổi giao diện",
        f.org_a,
    )
    .await;
    let web = WebSession::new(&app.url);
    web.login(&f.coordinator.0, PASSWORD).await;
    let page = web.get("/notifications/preferences").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Cài đặt nhận thông báo"),
        "{}",
        page.body
    );
    let bad = web
        .post(
            "/notifications/preferences",
            &[("mode.clock", "digest"), ("digest_hour", "25")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("Giờ phải từ 0 đến 23"), "{}", bad.body);
    let ok = web
        .post(
            "/notifications/preferences",
            &[("mode.clock", "digest"), ("digest_hour", "9")],
        )
        .await;
    assert_eq!(ok.status, 303);
    let (_, p) = app
        .get_json("/api/v1/me/notification-preferences", &f.coordinator.2)
        .await;
    assert_eq!(p["modes"]["clock"], "digest");
    assert_eq!(p["digest_hour"], 9);
    // Follow from the incident page.
    let page = web.get(&format!("/incidents/{id}")).await;
    assert!(page.body.contains("id=\"follow-button\""), "{}", page.body);
    assert!(
        page.body
            .contains(&format!("data-live=\"/api/v1/incidents/{id}/live?since="))
    );
    let r = web
        .post(&format!("/incidents/{id}/follow"), &[("on", "1")])
        .await;
    assert_eq!(r.status, 303);
    let page = web.get(&format!("/incidents/{id}")).await;
    assert!(
        page.body.contains("id=\"unfollow-button\""),
        "{}",
        page.body
    );
    // Save the queue's filter and find it listed.
    let q = web.get("/incidents?q=giao+dien&state=open").await;
    assert!(q.body.contains("id=\"save-filter\""), "{}", q.body);
    let r = web
        .post(
            "/incidents/filters",
            &[("name", "Giao diện"), ("query", "q=giao+dien&state=open")],
        )
        .await;
    assert_eq!(r.status, 303);
    let q = web.get("/incidents").await;
    assert!(
        q.body
            .contains("href=\"/incidents?q=giao+dien&#38;state=open\""),
        "{}",
        q.body
    );
    let dup = web
        .post(
            "/incidents/filters",
            &[("name", "Giao diện"), ("query", "state=open")],
        )
        .await;
    assert_eq!(dup.status, 422);
    assert!(dup.body.contains("Tên này đã được dùng"), "{}", dup.body);
}

/// Reads server-sent events until one named `name` arrives; returns its data.
async fn next_event(stream: &mut reqwest::Response, buf: &mut String, name: &str) -> Value {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        while let Some(end) = buf.find("\n\n") {
            let block: String = buf.drain(..end + 2).collect();
            let mut ev = "message";
            let mut data = String::new();
            for line in block.lines() {
                if let Some(e) = line.strip_prefix("event:") {
                    ev = e.trim();
                } else if let Some(d) = line.strip_prefix("data:") {
                    data.push_str(d.trim_start());
                }
            }
            if ev == name {
                return serde_json::from_str(&data).unwrap();
            }
        }
        let chunk = tokio::time::timeout_at(deadline, stream.chunk())
            .await
            .unwrap_or_else(|_| panic!("no `{name}` event in time"))
            .expect("stream error")
            .expect("stream ended");
        buf.push_str(&String::from_utf8_lossy(&chunk));
    }
}

#[tokio::test]
async fn the_live_stream_tells_of_changes_by_others_and_is_closed_to_other_organisations() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let id = report(&app, &f.officer_a.2, "Mã độc tống tiền tại Sở A", f.org_a).await;
    let path = format!("/api/v1/incidents/{id}/live");
    // Another organisation cannot listen.
    let r = app
        .api(Method::GET, &path, &f.officer_b.2)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let r = app
        .api(Method::GET, &path, &f.officer_a.2)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    let mut stream = r;
    let mut buf = String::new();
    let ready = next_event(&mut stream, &mut buf, "ready").await;
    let drawn_at = ready["seq"].as_i64().unwrap();
    // The officer's own comment is not news to the officer; the coordinator's step is.
    let (s, _) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/incidents/{id}/comments"),
            &f.officer_a.2,
            &json!({ "text": "Đã cô lập máy chủ." }),
        )
        .await;
    assert!(s == 200 || s == 201, "{s}");
    step(&app, &f.coordinator.2, &id, "verifying").await;
    let changed = next_event(&mut stream, &mut buf, "changed").await;
    let changes = changed["changes"].as_array().unwrap();
    assert!(
        changes.iter().all(|c| c["by"] == f.coordinator.0.as_str()),
        "{changed}"
    );
    assert!(
        changes.iter().any(|c| c["action"] == "incident.transition"),
        "{changed}"
    );
    // A page drawn before that change and connecting only now still hears of it.
    let mut late = app
        .api(
            Method::GET,
            &format!("{path}?since={drawn_at}"),
            &f.officer_a.2,
        )
        .send()
        .await
        .unwrap();
    let mut buf = String::new();
    let changed = next_event(&mut late, &mut buf, "changed").await;
    assert!(
        changed["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["action"] == "incident.transition"),
        "{changed}"
    );
}

#[tokio::test]
async fn followers_hear_that_a_report_of_the_incident_was_issued() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let id = report(&app, &f.officer_a.2, "Sự cố có báo cáo ban hành", f.org_a).await;
    let (s, _) = app
        .send_json(
            Method::PUT,
            &format!("/api/v1/incidents/{id}/follow"),
            &f.coordinator.2,
            &json!({}),
        )
        .await;
    assert_eq!(s, 200);
    let doc = crate::documents::issued(&app, &f.officer_a.2, "mau03", &id).await;
    let number = doc["number"].as_str().unwrap().to_string();
    let issued_notices = |v: Value| -> Vec<Value> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|x| x["kind"] == "document.issued")
            .cloned()
            .collect()
    };
    let n = issued_notices(
        app.get_json("/api/v1/notifications", &f.coordinator.2)
            .await
            .1,
    );
    assert_eq!(n.len(), 1, "{n:?}");
    let text = n[0]["text"].as_str().unwrap();
    assert!(text.contains("Mẫu 03") && text.contains(&number), "{text}");
    // The officer who issued it is not told of their own act.
    assert!(
        issued_notices(
            app.get_json("/api/v1/notifications", &f.officer_a.2)
                .await
                .1
        )
        .is_empty()
    );
}
