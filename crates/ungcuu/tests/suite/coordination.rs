//! Coordination and steering: requests for support open the incident to the organisation asked
//! and notify both sides, statuses move by the right side and are audited; `@mentions` reach
//! only people who can read the incident; escalation tells the steering committee, whose
//! directions, spokesperson and statements are refused to others; bad input writes nothing.

use reqwest::Method;
use serde_json::{Value, json};
use ungcuu_testkit::{Fixture, PASSWORD, TestApp, WebSession, spawn_app};
use uuid::Uuid;

pub async fn incident_of(app: &TestApp, token: &str, owner: Uuid, title: &str) -> String {
    let (s, i) = app
        .send_json(
            Method::POST,
            "/api/v1/incidents",
            token,
            &crate::incidents::report_body(owner, title),
        )
        .await;
    assert_eq!(s, 201, "{i}");
    i["id"].as_str().unwrap().to_string()
}

async fn notifications(app: &TestApp, token: &str) -> Vec<Value> {
    let (s, n) = app.get_json("/api/v1/notifications", token).await;
    assert_eq!(s, 200, "{n}");
    n["items"].as_array().unwrap().clone()
}

/// The kinds of notices, without the announcement of new reports that every coordinator gets.
fn kinds(n: &[Value]) -> Vec<String> {
    n.iter()
        .map(|x| x["kind"].as_str().unwrap().to_string())
        .filter(|k| k != "incident.reported")
        .collect()
}

async fn audit_actions(app: &TestApp, f: &Fixture, prefix: &str) -> Vec<Value> {
    let (s, a) = app
        .get_json(
            &format!("/api/v1/audit?action={prefix}&limit=200"),
            &f.admin.2,
        )
        .await;
    assert_eq!(s, 200, "{a}");
    a["items"].as_array().unwrap().clone()
}

fn due_tomorrow() -> String {
    (time::OffsetDateTime::now_utc() + time::Duration::days(1))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}

/// Walks an incident of A to `escalated` (made serious by the coordinator's override).
pub async fn escalated_incident(app: &TestApp, f: &Fixture, title: &str) -> String {
    let id = incident_of(app, &f.officer_a.2, f.org_a, title).await;
    let (s, b) = app
        .send_json(
            Method::PUT,
            &format!("/api/v1/incidents/{id}/severity"),
            &f.coordinator.2,
            &json!({"severity": "serious", "reason": "Dịch vụ công của nhiều sở ngừng hoạt động"}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    for to in [
        "verifying",
        "initial_response",
        "option_proposed",
        "option_approved",
        "escalated",
    ] {
        let (s, b) = app
            .send_json(
                Method::POST,
                &format!("/api/v1/incidents/{id}/transitions"),
                &f.coordinator.2,
                &json!({ "to": to }),
            )
            .await;
        assert_eq!(s, 200, "{to}: {b}");
    }
    id
}

/// A steering committee and one member (the fixture has none); returns the member's token.
pub async fn steering_member(app: &TestApp, f: &Fixture) -> (Uuid, String) {
    let org = app.org("ban-chi-dao", "steering", Some(f.province)).await;
    let (id, _, token) = app.user("bcd@test.vn", org, "steering").await;
    (id, token)
}

#[tokio::test]
async fn a_request_to_another_organisation_opens_the_incident_and_both_sides_are_told() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let id = incident_of(
        &app,
        &f.officer_a.2,
        f.org_a,
        "Máy chủ thư Sở A bị chiếm quyền",
    )
    .await;
    let path = format!("/api/v1/incidents/{id}");
    assert_eq!(app.get_json(&path, &f.officer_b.2).await.0, 404);
    // The officer of A cannot address B, which it cannot see; the coordinator can.
    let body = json!({
        "target": "organization", "to_org_id": f.org_b,
        "subject": "Hỗ trợ phân tích nhật ký máy chủ thư",
        "body": "Đề nghị Sở B cử cán bộ hỗ trợ phân tích nhật ký trong 24 giờ.",
        "due_at": due_tomorrow(),
    });
    let (s, b) = app
        .send_json(
            Method::POST,
            &format!("{path}/requests"),
            &f.officer_a.2,
            &body,
        )
        .await;
    assert_eq!(s, 422, "{b}");
    assert_eq!(b["errors"][0]["field"], "to_org_id");
    let (s, r) = app
        .send_json(
            Method::POST,
            &format!("{path}/requests"),
            &f.coordinator.2,
            &body,
        )
        .await;
    assert_eq!(s, 201, "{r}");
    assert_eq!(r["status"], "open");
    assert_eq!(r["to_org_name"], "Tổ chức so-b");
    let rid = r["id"].as_str().unwrap().to_string();
    // B now reads the incident and its officer was told.
    assert_eq!(app.get_json(&path, &f.officer_b.2).await.0, 200);
    let n = notifications(&app, &f.officer_b.2).await;
    assert_eq!(kinds(&n), ["request.received"], "{n:?}");
    assert!(
        n[0]["text"]
            .as_str()
            .unwrap()
            .contains("Hỗ trợ phân tích nhật ký")
    );
    // The request is in B's inbox (incoming) and on B's requests page.
    let (_, inbox) = app.get_json("/api/v1/requests", &f.officer_b.2).await;
    assert_eq!(inbox["incoming"][0]["id"], rid.as_str());
    assert_eq!(inbox["incoming"][0]["overdue"], false);
    // B replies: the asking side (the coordinator who asked) is told.
    let (s, rep) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/requests/{rid}/replies"),
            &f.officer_b.2,
            &json!({"text": "Sở B đã cử anh Tâm, liên hệ 0912 000 111."}),
        )
        .await;
    assert_eq!(s, 201, "{rep}");
    let n = notifications(&app, &f.coordinator.2).await;
    assert!(kinds(&n).contains(&"request.reply".to_string()), "{n:?}");
    assert!(
        n.iter()
            .any(|x| x["text"].as_str().unwrap().contains("anh Tâm"))
    );
    // Only the asked side accepts; the asking side may not accept for it.
    let status = |st: &'static str| json!({ "status": st });
    let (s, b) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/requests/{rid}/status"),
            &f.officer_a.2,
            &status("accepted"),
        )
        .await;
    assert_eq!(s, 403, "{b}");
    let (s, b) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/requests/{rid}/status"),
            &f.officer_b.2,
            &status("accepted"),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["status"], "accepted");
    let (s, b) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/requests/{rid}/status"),
            &f.officer_b.2,
            &json!({"status": "done", "comment": "Đã gửi báo cáo phân tích."}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    // Done is final.
    let (s, b) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/requests/{rid}/status"),
            &f.coordinator.2,
            &status("cancelled"),
        )
        .await;
    assert_eq!(s, 422, "{b}");
    assert_eq!(b["errors"][0]["field"], "status");
    // Each change is audited and on the timeline, and the thread keeps the statuses.
    let changes = audit_actions(&app, &f, "coordination.status").await;
    let moves: Vec<String> = changes
        .iter()
        .map(|e| e["summary"]["to"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(changes.len(), 2, "{changes:?}");
    assert!(
        moves.contains(&"accepted".into()) && moves.contains(&"done".into()),
        "{changes:?}"
    );
    assert_eq!(
        audit_actions(&app, &f, "coordination.request").await.len(),
        1
    );
    assert_eq!(audit_actions(&app, &f, "coordination.reply").await.len(), 1);
    let (_, t) = app
        .get_json(&format!("{path}/timeline"), &f.officer_a.2)
        .await;
    let coordination: Vec<&Value> = t
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "coordination")
        .collect();
    assert_eq!(coordination.len(), 4, "{t}");
    let (_, one) = app
        .get_json(&format!("/api/v1/requests/{rid}"), &f.officer_a.2)
        .await;
    let thread: Vec<&str> = one["replies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["status_to"].as_str().unwrap_or("-"))
        .collect();
    assert_eq!(thread, ["-", "accepted", "done"]);
    // The page shows the section and the inbox page lists it.
    let s = WebSession::new(&app.url);
    assert_eq!(s.login(&f.officer_b.0, PASSWORD).await.status, 303);
    let page = s.get(&format!("/incidents/{id}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("id=\"coordination\""));
    assert!(page.body.contains("Hỗ trợ phân tích nhật ký máy chủ thư"));
    let inbox = s.get("/requests").await;
    assert_eq!(inbox.status, 200);
    assert!(inbox.body.contains("Hỗ trợ phân tích nhật ký máy chủ thư"));
}

#[tokio::test]
async fn requests_to_the_national_coordinator_record_its_contact_and_overdue_ones_are_flagged() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let (s, b) = app
        .send_json(
            Method::PUT,
            "/api/v1/settings/national-contact",
            &f.officer_a.2,
            &json!({"name": "x", "email": "x@y.vn"}),
        )
        .await;
    assert_eq!(s, 403, "{b}");
    let (s, b) = app
        .send_json(
            Method::PUT,
            "/api/v1/settings/national-contact",
            &f.coordinator.2,
            &json!({"name": "VNCERT/CC", "email": "IR@vncert.vn", "phone": "024 3640 4421"}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["email"], "ir@vncert.vn");
    let id = incident_of(&app, &f.officer_a.2, f.org_a, "Tấn công từ chối dịch vụ").await;
    let past = (time::OffsetDateTime::now_utc() - time::Duration::hours(1))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let (s, r) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/incidents/{id}/requests"),
            &f.officer_a.2,
            &json!({"target": "national", "subject": "Đề nghị hỗ trợ chặn tấn công",
                    "body": "Lưu lượng 20 Gbps vào cổng dịch vụ công.", "due_at": past}),
        )
        .await;
    assert_eq!(s, 201, "{r}");
    assert!(
        r["to_contact"].as_str().unwrap().contains("ir@vncert.vn"),
        "{r}"
    );
    assert_eq!(r["overdue"], true);
    assert_eq!(r["from_org_id"], f.org_a.to_string());
    // The national coordinator has no accounts: the asking side records its answer.
    let rid = r["id"].as_str().unwrap();
    let (s, b) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/requests/{rid}/status"),
            &f.officer_a.2,
            &json!({"status": "accepted", "comment": "VNCERT/CC xác nhận qua điện thoại."}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    let (_, inbox) = app.get_json("/api/v1/requests", &f.officer_a.2).await;
    assert_eq!(inbox["outgoing"][0]["overdue"], true, "{inbox}");
    // Province-wide coordinators carry national requests in their incoming box.
    let (_, inbox) = app.get_json("/api/v1/requests", &f.coordinator.2).await;
    assert_eq!(inbox["incoming"][0]["id"], rid, "{inbox}");
    let s = WebSession::new(&app.url);
    s.login(&f.officer_a.0, PASSWORD).await;
    let page = s.get("/requests").await;
    assert!(page.body.contains("class=\"overdue\""), "overdue flagged");
}

#[tokio::test]
async fn a_mention_reaches_only_people_who_can_read_the_incident() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let title = "Lộ lọt dữ liệu hồ sơ một cửa";
    let id = incident_of(&app, &f.officer_a.2, f.org_a, title).await;
    let (s, c) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/incidents/{id}/comments"),
            &f.officer_a.2,
            &json!({"text": "@coord@test.vn xin ý kiến; cc @officer-b@test.vn và @khong-co@test.vn."}),
        )
        .await;
    assert_eq!(s, 201, "{c}");
    assert_eq!(c["kind"], "comment");
    assert_eq!(
        c["mentions"],
        json!([
            {"email": "coord@test.vn", "delivered": true},
            {"email": "officer-b@test.vn", "delivered": false},
            {"email": "khong-co@test.vn", "delivered": false},
        ])
    );
    let n = notifications(&app, &f.coordinator.2).await;
    assert_eq!(kinds(&n), ["mention"], "{n:?}");
    assert!(n[0]["text"].as_str().unwrap().contains(title));
    // B cannot read the incident: nothing reached B, in the app or by e-mail.
    assert!(notifications(&app, &f.officer_b.2).await.is_empty());
    ungcuu_core::jobs::drain(&app.core, "test").await.unwrap();
    let mails: Vec<String> = std::fs::read_dir(app.data_dir.join("outbox"))
        .map(|d| {
            d.map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
                .collect()
        })
        .unwrap_or_default();
    assert!(mails.iter().any(|m| m.contains("To: coord@test.vn")));
    assert!(!mails.iter().any(|m| m.contains("To: officer-b@test.vn")));
    // The audit records who was reached.
    let a = audit_actions(&app, &f, "incident.comment").await;
    assert_eq!(a[0]["summary"]["mentions"][1]["delivered"], false, "{a:?}");
    // The page says when a mention was not delivered.
    let s = WebSession::new(&app.url);
    s.login(&f.officer_a.0, PASSWORD).await;
    s.get(&format!("/incidents/{id}")).await;
    let r = s
        .post(
            &format!("/incidents/{id}/notes"),
            &[("comment", "Nhờ @officer-b@test.vn kiểm tra")],
        )
        .await;
    assert_eq!(r.status, 303);
    let page = s.get(&format!("/incidents/{id}")).await;
    assert!(
        page.body.contains("không nhận được thông báo"),
        "the page says the mention was not delivered"
    );
    assert!(notifications(&app, &f.officer_b.2).await.is_empty());
}

#[tokio::test]
async fn escalation_tells_the_steering_committee_which_alone_with_the_coordinator_steers() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let (_, steering) = steering_member(&app, &f).await;
    // Before escalation: the section refuses, the committee has not been told.
    let id = incident_of(&app, &f.officer_a.2, f.org_a, "Mã độc tống tiền tại Sở A").await;
    let (s, b) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/incidents/{id}/directions"),
            &steering,
            &json!({"text": "Cô lập ngay các máy chủ bị nhiễm."}),
        )
        .await;
    assert_eq!(s, 422, "{b}");
    assert_eq!(b["errors"][0]["field"], "incident");
    assert!(notifications(&app, &steering).await.is_empty());
    // The coordinator escalates, so it is not told of its own step; another coordinator is.
    let (_, _, coord2) = app
        .user("coord2@test.vn", f.coordinator_org, "coordinator")
        .await;
    // A steering role held in B reaches B only: it is not told of A's incident.
    let (_, _, steering_b) = app.user("bcd-b@test.vn", f.org_b, "steering").await;
    let id = escalated_incident(&app, &f, "Mã độc tống tiền mã hóa máy chủ Sở A").await;
    assert!(notifications(&app, &steering_b).await.is_empty());
    let n = notifications(&app, &steering).await;
    assert_eq!(kinds(&n), ["incident.escalated"], "{n:?}");
    assert!(
        n[0]["text"]
            .as_str()
            .unwrap()
            .contains("Mã độc tống tiền mã hóa máy chủ Sở A")
    );
    assert_eq!(
        kinds(&notifications(&app, &coord2).await),
        ["incident.escalated"]
    );
    // Others (the owner's officer, who can read it) are refused and the refusal is audited.
    let denials = audit_actions(&app, &f, "authz.denied").await.len();
    let attempts = [
        ("directions", json!({"text": "x"})),
        (
            "information-roles",
            json!({"role": "spokesperson", "name": "x"}),
        ),
        (
            "statements",
            json!({"said_by": "x", "channel": "press", "text": "x"}),
        ),
        ("convene", json!({"reason": "x"})),
    ];
    for (what, body) in &attempts {
        let (s, b) = app
            .send_json(
                Method::POST,
                &format!("/api/v1/incidents/{id}/{what}"),
                &f.officer_a.2,
                body,
            )
            .await;
        assert_eq!(s, 403, "{what}: {b}");
    }
    assert_eq!(
        audit_actions(&app, &f, "authz.denied").await.len(),
        denials + attempts.len()
    );
    // The steering member directs, names the spokesperson and logs a statement.
    let (s, d) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/incidents/{id}/directions"),
            &steering,
            &json!({"text": "Sở B hỗ trợ khôi phục dữ liệu từ bản sao lưu.", "given_by": "Chủ tịch UBND tỉnh", "addressed_org_id": f.org_b}),
        )
        .await;
    assert_eq!(s, 201, "{d}");
    assert_eq!(d["addressed_org_name"], "Tổ chức so-b");
    // The organisation addressed can read the incident and was told.
    assert_eq!(
        app.get_json(&format!("/api/v1/incidents/{id}"), &f.officer_b.2)
            .await
            .0,
        200
    );
    assert_eq!(
        kinds(&notifications(&app, &f.officer_b.2).await),
        ["steering.direction"]
    );
    for name in ["Ông Nguyễn Văn Phát", "Bà Trần Thị Ngôn"] {
        let (s, b) = app
            .send_json(
                Method::POST,
                &format!("/api/v1/incidents/{id}/information-roles"),
                &steering,
                &json!({"role": "spokesperson", "name": name, "contact": "0277 3000 000"}),
            )
            .await;
        assert_eq!(s, 201, "{b}");
    }
    let (s, b) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/incidents/{id}/information-roles"),
            &f.coordinator.2,
            &json!({"role": "releaser", "name": "Văn phòng Sở KH&CN"}),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    let (s, b) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/incidents/{id}/statements"),
            &steering,
            &json!({"said_by": "Bà Trần Thị Ngôn", "channel": "press", "text": "Dịch vụ công sẽ khôi phục trong ngày."}),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    // No one on the roster: convening says so.
    let (s, b) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/incidents/{id}/convene"),
            &steering,
            &json!({"reason": "Ứng cứu mã độc tống tiền"}),
        )
        .await;
    assert_eq!(s, 422, "{b}");
    let (s, m) = app
        .send_json(
            Method::POST,
            "/api/v1/team/members",
            &f.admin.2,
            &json!({"user_id": f.user_ids[2], "skills": "Phân tích mã độc"}),
        )
        .await;
    assert_eq!(s, 201, "{m}");
    let (s, b) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/incidents/{id}/convene"),
            &steering,
            &json!({"reason": "Ứng cứu mã độc tống tiền"}),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    let (s, v) = app
        .get_json(&format!("/api/v1/incidents/{id}/steering"), &f.officer_a.2)
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["escalated"], true);
    assert_eq!(v["can_steer"], false);
    assert_eq!(v["directions"].as_array().unwrap().len(), 1);
    assert_eq!(v["statements"].as_array().unwrap().len(), 1);
    assert_eq!(v["convenings"].as_array().unwrap().len(), 1);
    let people = v["people"].as_array().unwrap();
    let current: Vec<&str> = people
        .iter()
        .filter(|p| p["valid_to"].is_null())
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(current, ["Bà Trần Thị Ngôn", "Văn phòng Sở KH&CN"], "{v}");
    // All of it audited and on the timeline.
    assert_eq!(audit_actions(&app, &f, "steering.").await.len(), 6);
    let (_, t) = app
        .get_json(&format!("/api/v1/incidents/{id}/timeline"), &f.officer_a.2)
        .await;
    let steering_events = t
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "steering")
        .count();
    assert_eq!(steering_events, 6, "{t}");
    // The page shows the steering section to whoever reads the incident.
    let s = WebSession::new(&app.url);
    s.login(&f.officer_a.0, PASSWORD).await;
    let page = s.get(&format!("/incidents/{id}")).await;
    assert!(page.body.contains("id=\"steering\""));
    assert!(page.body.contains("Dịch vụ công sẽ khôi phục trong ngày."));
    assert!(!page.body.contains("id=\"direction-form\""));
}

#[tokio::test]
async fn bad_input_is_refused_naming_the_field_and_nothing_is_written() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let (_, steering) = steering_member(&app, &f).await;
    let id = escalated_incident(&app, &f, "Sự cố kiểm tra dữ liệu vào").await;
    let t = &f.coordinator.2;
    let huge = "a".repeat(10_001);
    let ok = json!({"target": "organization", "to_org_id": f.org_b, "subject": "Hỗ trợ",
                    "body": "Nội dung", "due_at": "2030-01-01"});
    let with = |k: &str, v: Value| {
        let mut b = ok.clone();
        b[k] = v;
        b
    };
    let cases = [
        (with("subject", json!("  ")), "subject"),
        (with("body", json!("")), "body"),
        (with("body", json!(huge)), "body"),
        (with("subject", json!("dòng một\ndòng hai")), "subject"),
        (with("due_at", json!("ngày mai")), "due_at"),
        (with("due_at", json!("2030-02-30")), "due_at"),
        (with("to_org_id", json!(Uuid::now_v7())), "to_org_id"),
        (with("target", json!("vncert")), "target"),
        (with("to_org_id", json!(f.coordinator_org)), "to_org_id"),
    ];
    let before = app.audit_count().await;
    for (body, field) in &cases {
        let (s, b) = app
            .send_json(
                Method::POST,
                &format!("/api/v1/incidents/{id}/requests"),
                t,
                body,
            )
            .await;
        assert_eq!(s, 422, "{body}: {b}");
        assert!(
            b["errors"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["field"] == *field),
            "{field}: {b}"
        );
    }
    // An id that is not one is refused by the JSON reader, also with 422.
    let (s, _) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/incidents/{id}/requests"),
            t,
            &with("to_org_id", json!("not-a-uuid")),
        )
        .await;
    assert_eq!(s, 422);
    let steer_cases = [
        ("directions", json!({"text": ""}), "text"),
        ("directions", json!({"text": huge}), "text"),
        (
            "directions",
            json!({"text": "x", "given_at": "hôm qua"}),
            "given_at",
        ),
        (
            "directions",
            json!({"text": "x", "given_at": "2099-01-01T00:00:00Z"}),
            "given_at",
        ),
        (
            "directions",
            json!({"text": "x", "addressed_org_id": Uuid::now_v7()}),
            "addressed_org_id",
        ),
        (
            "information-roles",
            json!({"role": "chairman", "name": "x"}),
            "role",
        ),
        (
            "information-roles",
            json!({"role": "spokesperson", "name": ""}),
            "name",
        ),
        (
            "statements",
            json!({"said_by": "x", "channel": "tiktok", "text": "x"}),
            "channel",
        ),
        (
            "statements",
            json!({"said_by": "", "channel": "press", "text": "x"}),
            "said_by",
        ),
        (
            "statements",
            json!({"said_by": "x", "channel": "press", "text": huge}),
            "text",
        ),
        ("convene", json!({"reason": ""}), "reason"),
    ];
    for (what, body, field) in &steer_cases {
        let (s, b) = app
            .send_json(
                Method::POST,
                &format!("/api/v1/incidents/{id}/{what}"),
                &steering,
                body,
            )
            .await;
        assert_eq!(s, 422, "{what} {body}: {b}");
        assert_eq!(b["errors"][0]["field"], *field, "{what}: {b}");
    }
    let (s, b) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/incidents/{id}/comments"),
            &f.officer_a.2,
            &json!({"text": ""}),
        )
        .await;
    assert_eq!(s, 422, "{b}");
    // Nothing was written: no audit event, no request, no steering record, B still locked out.
    assert_eq!(app.audit_count().await, before);
    let (_, list) = app
        .get_json(&format!("/api/v1/incidents/{id}/requests"), t)
        .await;
    assert_eq!(list, json!([]));
    let (_, v) = app
        .get_json(&format!("/api/v1/incidents/{id}/steering"), t)
        .await;
    assert_eq!(v["directions"], json!([]));
    assert_eq!(v["people"], json!([]));
    assert_eq!(v["statements"], json!([]));
    assert_eq!(
        app.get_json(&format!("/api/v1/incidents/{id}"), &f.officer_b.2)
            .await
            .0,
        404
    );
    // A reply needs text; a status must be one of the list.
    let (s, r) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/incidents/{id}/requests"),
            t,
            &ok,
        )
        .await;
    assert_eq!(s, 201, "{r}");
    let rid = r["id"].as_str().unwrap();
    let (s, b) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/requests/{rid}/replies"),
            t,
            &json!({"text": " "}),
        )
        .await;
    assert_eq!((s, b["errors"][0]["field"].clone()), (422, json!("text")));
    let (s, b) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/requests/{rid}/status"),
            t,
            &json!({"status": "finished"}),
        )
        .await;
    assert_eq!((s, b["errors"][0]["field"].clone()), (422, json!("status")));
    // The form says which field was wrong, beside the form.
    let s = WebSession::new(&app.url);
    s.login(&f.coordinator.0, PASSWORD).await;
    s.get(&format!("/incidents/{id}")).await;
    let r = s
        .post(
            &format!("/incidents/{id}/requests"),
            &[
                ("request_target", "organization"),
                ("request_to_org_id", &f.org_b.to_string()),
                ("request_subject", "Hỗ trợ"),
                ("request_body", "x"),
                ("request_due_at", "không phải ngày"),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("value=\"không phải ngày\""), "value kept");
    assert!(r.body.contains("class=\"field-error\""), "error shown");
}

#[tokio::test]
async fn the_openapi_document_describes_coordination_and_steering() {
    let app = spawn_app().await;
    let r = app
        .client
        .get(format!("{}/api/openapi.json", app.url))
        .send()
        .await
        .unwrap();
    let doc: Value = r.json().await.unwrap();
    for path in [
        "/api/v1/incidents/{id}/requests",
        "/api/v1/requests",
        "/api/v1/requests/{id}",
        "/api/v1/requests/{id}/replies",
        "/api/v1/requests/{id}/status",
        "/api/v1/settings/national-contact",
        "/api/v1/incidents/{id}/steering",
        "/api/v1/incidents/{id}/directions",
        "/api/v1/incidents/{id}/information-roles",
        "/api/v1/information-roles/{id}",
        "/api/v1/incidents/{id}/statements",
        "/api/v1/incidents/{id}/convene",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} missing");
    }
    assert!(doc["components"]["schemas"]["CommentOut"].is_object());
}

#[tokio::test]
async fn the_demo_ransomware_case_has_its_steering_once() {
    let app = spawn_app().await;
    let p = app.org("dong-thap", "province", None).await;
    let coord = app.org("so-tttt", "coordinator", Some(p)).await;
    app.org("ttcntt", "unit", Some(coord)).await;
    app.org("doi-ung-cuu", "csirt", Some(p)).await;
    ungcuu_core::incidents::load_demo(&app.core).await.unwrap();
    assert_eq!(
        ungcuu_core::steering::load_demo(&app.core).await.unwrap(),
        1
    );
    assert_eq!(
        ungcuu_core::steering::load_demo(&app.core).await.unwrap(),
        0
    );
    let (_, _, token) = app.user("dieu-phoi@test.vn", coord, "coordinator").await;
    let (_, all) = app
        .get_json("/api/v1/incidents?state=escalated", &token)
        .await;
    let id = all["items"][0]["id"].as_str().unwrap().to_string();
    let (_, v) = app
        .get_json(&format!("/api/v1/incidents/{id}/steering"), &token)
        .await;
    assert_eq!(v["directions"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(
        v["directions"][0]["addressed_org_name"],
        "Tổ chức doi-ung-cuu"
    );
    assert_eq!(v["people"][0]["role"], "spokesperson");
    assert_eq!(v["statements"].as_array().unwrap().len(), 1);
    let (_, r) = app
        .get_json(&format!("/api/v1/incidents/{id}/requests"), &token)
        .await;
    assert_eq!(r[0]["target"], "national", "{r}");
}
