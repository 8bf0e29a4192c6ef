//! Incident response: reporting (Mẫu 03), the steps of Phụ lục III with their roles, severity
//! rules and the override, the timeline and derived times, folded search, the pages.

use reqwest::Method;
use serde_json::{Value, json};
use ungcuu_testkit::{PASSWORD, TestApp, WebSession, spawn_app};
use uuid::Uuid;

/// A complete Mẫu 03 body for `owner`, discovered two hours ago.
pub fn report_body(owner: Uuid, title: &str) -> Value {
    let now = time::OffsetDateTime::now_utc();
    let rfc = |t: time::OffsetDateTime| {
        t.format(&time::format_description::well_known::Rfc3339)
            .unwrap()
    };
    json!({
        "owner_org_id": owner,
        "title": title,
        "reporter_name": "Sở A",
        "reporter_address": "Số 1 đường 30/4, Phường 1, TP Cao Lãnh",
        "reporter_phone": "0277 3851 234",
        "reporter_email": "vanthu@soa.dongthap.gov.vn",
        "contact_name": "Lê Minh Phụ Trách",
        "contact_phone": "0912 345 678",
        "contact_email": "minh@soa.dongthap.gov.vn",
        "operator_name": "Trung tâm CNTT của Sở A",
        "system_name": "Cổng thông tin điện tử Sở A",
        "summary": "Trang chủ bị thay bằng nội dung lạ.",
        "discovered_at": rfc(now - time::Duration::hours(2)),
        "handling_status": "not_handled",
        "detection_methods": ["log_review"],
        "notified": ["coordinator"],
        "domains": ["soa.dongthap.gov.vn"],
        "ips": ["203.0.113.10"],
        "reported_at": rfc(now - time::Duration::hours(1)),
    })
}

async fn report(app: &TestApp, token: &str, body: &Value) -> Value {
    let (s, i) = app
        .send_json(Method::POST, "/api/v1/incidents", token, body)
        .await;
    assert_eq!(s, 201, "{i}");
    i
}

async fn step(
    app: &TestApp,
    token: &str,
    id: &str,
    to: &str,
    comment: Option<&str>,
) -> (u16, Value) {
    let mut body = json!({ "to": to });
    if let Some(c) = comment {
        body["comment"] = json!(c);
    }
    app.send_json(
        Method::POST,
        &format!("/api/v1/incidents/{id}/transitions"),
        token,
        &body,
    )
    .await
}

async fn timeline(app: &TestApp, token: &str, id: &str) -> Vec<Value> {
    let (s, t) = app
        .get_json(&format!("/api/v1/incidents/{id}/timeline"), token)
        .await;
    assert_eq!(s, 200, "{t}");
    t.as_array().unwrap().clone()
}

/// (who, target state, comment, status, field named or "", words of the message)
type Attempt<'a> = (&'a str, &'a str, Option<&'a str>, u16, &'a str, &'a str);

fn messages(problem: &Value) -> String {
    format!("{} {}", problem["detail"], problem["errors"])
}

#[tokio::test]
async fn an_incident_goes_from_report_to_closure_with_its_events_and_derived_times() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let (_, _, approver) = app.user("duyet-a@test.vn", f.org_a, "approver").await;
    let officer = &f.officer_a.2;
    let i = report(
        &app,
        officer,
        &report_body(f.org_a, "Sự cố cổng thông tin Sở A"),
    )
    .await;
    let id = i["id"].as_str().unwrap().to_string();
    assert_eq!(i["state"], "received");
    assert_eq!(i["severity"], "ordinary");
    assert_eq!(i["tlp"], "AMBER");
    assert_eq!(i["report"]["channel"], "api");
    assert_eq!(i["report"]["domains"][0], "soa.dongthap.gov.vn");
    for to in ["verifying", "initial_response", "option_proposed"] {
        let (s, b) = step(&app, officer, &id, to, None).await;
        assert_eq!(s, 200, "{to}: {b}");
        assert_eq!(b["state"], to);
    }
    // The owner's approver approves the option; the officer could not.
    let (s, b) = step(&app, officer, &id, "option_approved", None).await;
    assert_eq!(s, 403, "{b}");
    let (s, _) = step(&app, &approver, &id, "option_approved", None).await;
    assert_eq!(s, 200);
    for to in [
        "containing",
        "eradicating",
        "recovering",
        "verifying_recovery",
    ] {
        assert_eq!(step(&app, officer, &id, to, None).await.0, 200, "{to}");
    }
    // Not stable: back to containment, which needs a reason.
    let (s, b) = step(&app, officer, &id, "containing", None).await;
    assert_eq!(s, 422);
    assert_eq!(b["errors"][0]["field"], "comment");
    let (s, _) = step(
        &app,
        officer,
        &id,
        "containing",
        Some("Máy chủ vẫn kết nối C&C"),
    )
    .await;
    assert_eq!(s, 200);
    for to in ["eradicating", "recovering", "verifying_recovery", "review"] {
        if to == "review" {
            crate::tasks::tick_recovery(&app, officer, &id).await;
        }
        assert_eq!(step(&app, officer, &id, to, None).await.0, 200, "{to}");
    }
    let (_, i) = app
        .get_json(&format!("/api/v1/incidents/{id}"), officer)
        .await;
    assert_eq!(i["state"], "review");
    assert!(i["response_completed_at"].is_string());
    assert!(i["closed_at"].is_null());
    // Closing needs the review first, then the coordinator.
    let (s, b) = step(&app, &f.coordinator.2, &id, "closed", None).await;
    assert_eq!(s, 422, "{b}");
    assert_eq!(b["errors"][0]["field"], "to");
    let (s, b) = app
        .send_json(Method::PUT, &format!("/api/v1/incidents/{id}/review"), officer, &json!({"root_cause": "Plugin cũ chưa vá", "lessons": "", "measures": "Cập nhật định kỳ"}))
        .await;
    assert_eq!(s, 422);
    assert_eq!(b["errors"][0]["field"], "lessons");
    let (s, b) = app
        .send_json(Method::PUT, &format!("/api/v1/incidents/{id}/review"), officer, &json!({"root_cause": "Plugin cũ chưa vá", "lessons": "Theo dõi cảnh báo lỗ hổng", "measures": "Cập nhật định kỳ"}))
        .await;
    assert_eq!(s, 200, "{b}");
    let (s, b) = step(&app, officer, &id, "closed", None).await;
    assert_eq!(s, 403);
    assert!(messages(&b).contains("điều phối"), "{b}");
    // The final report (Mẫu 04) is issued before closing.
    crate::documents::issued(&app, officer, "mau04", &id).await;
    let (s, b) = step(
        &app,
        &f.coordinator.2,
        &id,
        "closed",
        Some("Đã nhận Mẫu 04"),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    assert!(b["closed_at"].is_string());
    // Nothing follows a closed incident.
    assert_eq!(
        step(&app, &f.coordinator.2, &id, "review", None).await.0,
        422
    );
    let events = timeline(&app, officer, &id).await;
    let transitions: Vec<&str> = events
        .iter()
        .filter(|e| e["kind"] == "transition")
        .map(|e| e["to_state"].as_str().unwrap())
        .collect();
    assert_eq!(
        transitions,
        [
            "received",
            "verifying",
            "initial_response",
            "option_proposed",
            "option_approved",
            "containing",
            "eradicating",
            "recovering",
            "verifying_recovery",
            "containing",
            "eradicating",
            "recovering",
            "verifying_recovery",
            "review",
            "closed"
        ]
    );
    assert_eq!(events[1]["actor"], "officer-a@test.vn");
    let (_, detail) = app
        .get_json(&format!("/api/v1/incidents/{id}"), officer)
        .await;
    for k in [
        "acknowledge_seconds",
        "contain_seconds",
        "recover_seconds",
        "close_seconds",
    ] {
        assert!(
            detail["times"][k].as_i64().is_some_and(|s| s >= 0),
            "{k}: {detail}"
        );
    }
    // Discovered two hours before, so containment took at least that long.
    assert!(detail["times"]["contain_seconds"].as_i64().unwrap() >= 7000);
    assert_eq!(detail["available_transitions"], json!([]));
    // Every step is in the audit log.
    let (_, audit) = app
        .get_json(
            &format!("/api/v1/audit?action=incident.transition&object_id={id}&limit=100"),
            &f.admin.2,
        )
        .await;
    assert_eq!(audit["items"].as_array().unwrap().len(), 14);
}

#[tokio::test]
async fn forbidden_steps_and_roles_are_refused_with_a_clear_message_and_nothing_is_written() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let officer = &f.officer_a.2;
    let i = report(&app, officer, &report_body(f.org_a, "Sự cố thử")).await;
    let id = i["id"].as_str().unwrap().to_string();
    let before = app
        .get_json(&format!("/api/v1/incidents/{id}"), officer)
        .await
        .1;
    let events = timeline(&app, officer, &id).await.len();
    let attempts: Vec<Attempt> = vec![
        (officer, "containing", None, 422, "to", "Không thể chuyển"),
        (officer, "closed", None, 422, "to", "Không thể chuyển"),
        (officer, "flying", None, 422, "to", "không hợp lệ"),
        (
            officer,
            "rejected",
            Some("không phải sự cố"),
            403,
            "",
            "điều phối",
        ),
        (officer, "duplicate", Some("trùng"), 403, "", "điều phối"),
        (&f.coordinator.2, "rejected", None, 422, "comment", "lý do"),
        (officer, "escalated", None, 422, "to", "Không thể chuyển"),
    ];
    for (who, to, comment, status, field, words) in attempts {
        let (s, b) = step(&app, who, &id, to, comment).await;
        assert_eq!(s, status, "{to}: {b}");
        if !field.is_empty() {
            assert_eq!(b["errors"][0]["field"], field, "{to}: {b}");
        }
        assert!(messages(&b).contains(words), "{to}: {b}");
    }
    // Another organisation's officer cannot even see it.
    let (s, b) = step(&app, &f.officer_b.2, &id, "verifying", None).await;
    assert_eq!(s, 404, "{b}");
    assert!(!b.to_string().contains("Sự cố thử"));
    let after = app
        .get_json(&format!("/api/v1/incidents/{id}"), officer)
        .await
        .1;
    assert_eq!(before, after, "a refused step writes nothing");
    assert_eq!(timeline(&app, officer, &id).await.len(), events);
    // An ordinary incident is not escalated; a serious one must be before containment.
    for to in ["verifying", "initial_response", "option_proposed"] {
        assert_eq!(step(&app, officer, &id, to, None).await.0, 200);
    }
    let (_, _, approver) = app.user("duyet-a@test.vn", f.org_a, "approver").await;
    // The approver approves but does not drive the response.
    assert_eq!(
        step(&app, &approver, &id, "option_approved", None).await.0,
        200
    );
    let (s, b) = step(&app, &approver, &id, "containing", None).await;
    assert_eq!(s, 403);
    assert!(messages(&b).contains("cán bộ phụ trách"), "{b}");
    let (s, b) = step(&app, officer, &id, "escalated", None).await;
    assert_eq!(s, 422);
    assert!(messages(&b).contains("nghiêm trọng"), "{b}");
    let (s, _) = app
        .send_json(
            Method::PUT,
            &format!("/api/v1/incidents/{id}/severity"),
            &f.coordinator.2,
            &json!({"severity": "serious", "reason": "Ảnh hưởng dịch vụ công của nhiều sở"}),
        )
        .await;
    assert_eq!(s, 200);
    let (s, b) = step(&app, officer, &id, "containing", None).await;
    assert_eq!(s, 422);
    assert!(messages(&b).contains("Ban Chỉ đạo"), "{b}");
    assert_eq!(step(&app, officer, &id, "escalated", None).await.0, 200);
    assert_eq!(step(&app, officer, &id, "containing", None).await.0, 200);
    // The review is written in review only.
    let (s, b) = app
        .send_json(
            Method::PUT,
            &format!("/api/v1/incidents/{id}/review"),
            officer,
            &json!({"root_cause": "a", "lessons": "b", "measures": "c"}),
        )
        .await;
    assert_eq!(s, 422, "{b}");
}

#[tokio::test]
async fn severity_rules_fire_with_their_reasons_are_editable_and_the_override_is_audited() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let officer = &f.officer_a.2;
    let coord = &f.coordinator.2;
    let mut body = report_body(f.org_a, "Máy chủ cấp độ 4 bị xâm nhập");
    body["system_level"] = json!(4);
    let i = report(&app, officer, &body).await;
    let id = i["id"].as_str().unwrap().to_string();
    assert_eq!(i["severity"], "serious");
    assert_eq!(i["severity_reasons"][0]["rule"], "system_level");
    assert_eq!(i["severity_reasons"][0]["threshold"], 3);
    assert_eq!(i["severity_reasons"][0]["value"], 4);
    assert!(
        i["severity_reasons"][0]["message"]
            .as_str()
            .unwrap()
            .contains("cấp độ 4")
    );
    // Classification with more facts: more reasons.
    let path = format!("/api/v1/incidents/{id}");
    let (s, b) = app
        .send_json(Method::PATCH, &path, officer, &json!({"subtype": "ransomware", "tlp": "amber+strict", "impact": {"system_level": 4, "public_service_down_hours": 30, "organizations_affected": 1}}))
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["incident_type"], "encrypt");
    assert_eq!(b["tlp"], "AMBER+STRICT");
    let rules: Vec<&str> = b["severity_reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["system_level", "service_outage"]);
    let (s, b) = app
        .send_json(
            Method::PATCH,
            &path,
            officer,
            &json!({"incident_type": "deface", "subtype": "phishing"}),
        )
        .await;
    assert_eq!(s, 422);
    assert_eq!(b["errors"][0]["field"], "subtype");
    // The rule set is data: the coordinator changes it, an officer cannot.
    let (s, r) = app
        .get_json("/api/v1/settings/severity-rules", officer)
        .await;
    assert_eq!(s, 200);
    assert_eq!(r["rules"].as_array().unwrap().len(), 6);
    assert!(r.to_string().contains(r#""hours":24"#), "{r}");
    let new_rules =
        json!({"rules": [{"rule": "service_outage", "hours": 48}, {"rule": "personal_data"}]});
    let (s, _) = app
        .send_json(
            Method::PUT,
            "/api/v1/settings/severity-rules",
            officer,
            &new_rules,
        )
        .await;
    assert_eq!(s, 403);
    let (s, b) = app
        .send_json(
            Method::PUT,
            "/api/v1/settings/severity-rules",
            coord,
            &json!({"rules": [{"rule": "moon_phase"}]}),
        )
        .await;
    assert_eq!(s, 422);
    assert_eq!(b["errors"][0]["field"], "rules[0]");
    let (s, b) = app
        .send_json(
            Method::PUT,
            "/api/v1/settings/severity-rules",
            coord,
            &json!({"rules": [{"rule": "service_outage", "hours": 99999}]}),
        )
        .await;
    assert_eq!(s, 422, "{b}");
    let (s, _) = app
        .send_json(
            Method::PUT,
            "/api/v1/settings/severity-rules",
            coord,
            &new_rules,
        )
        .await;
    assert_eq!(s, 200);
    let (s, b) = app
        .send_json(
            Method::PATCH,
            &path,
            officer,
            &json!({"impact": {"system_level": 4, "public_service_down_hours": 30}}),
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(b["severity"], "ordinary", "{b}");
    assert_eq!(b["severity_reasons"], json!([]));
    // The override: only the coordinator, only with a reason, audited, and kept on reclassification.
    let sev = format!("/api/v1/incidents/{id}/severity");
    let (s, _) = app
        .send_json(
            Method::PUT,
            &sev,
            officer,
            &json!({"severity": "serious", "reason": "x"}),
        )
        .await;
    assert_eq!(s, 403);
    let (s, b) = app
        .send_json(
            Method::PUT,
            &sev,
            coord,
            &json!({"severity": "serious", "reason": "  "}),
        )
        .await;
    assert_eq!(s, 422);
    assert_eq!(b["errors"][0]["field"], "reason");
    let (s, b) = app
        .send_json(
            Method::PUT,
            &sev,
            coord,
            &json!({"severity": "serious", "reason": "Hệ thống quan trọng của tỉnh"}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["severity"], "serious");
    assert_eq!(
        b["severity_override_reason"],
        "Hệ thống quan trọng của tỉnh"
    );
    let (_, b) = app
        .send_json(Method::PATCH, &path, officer, &json!({"tlp": "RED"}))
        .await;
    assert_eq!(
        b["severity"], "serious",
        "an override survives reclassification"
    );
    let (_, d) = app.get_json(&path, officer).await;
    assert_eq!(d["proposed_severity"], "ordinary");
    let (_, audit) = app
        .get_json(
            &format!("/api/v1/audit?action=incident.severity_override&object_id={id}"),
            &f.admin.2,
        )
        .await;
    let items = audit["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert!(
        items[0]["summary"]
            .to_string()
            .contains("Hệ thống quan trọng của tỉnh")
    );
    let (_, audit) = app
        .get_json("/api/v1/audit?action=settings.severity_rules", &f.admin.2)
        .await;
    assert_eq!(audit["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn the_queue_searches_folded_text_filters_and_pages() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let officer = &f.officer_a.2;
    let a = report(
        &app,
        officer,
        &report_body(f.org_a, "Sự cố tấn công Cổng thông tin"),
    )
    .await;
    let b = report(
        &app,
        officer,
        &report_body(f.unit_a, "Thư giả mạo gửi đến đơn vị"),
    )
    .await;
    let c = report(
        &app,
        &f.officer_b.2,
        &report_body(f.org_b, "Sự cố của Sở B"),
    )
    .await;
    for (q, expected) in [
        ("su%20co", vec![&a]),
        ("S%E1%BB%B0%20C%E1%BB%90", vec![&a]),
        ("tan%20cong", vec![&a]),
        ("gia%20mao", vec![&b]),
        ("khong%20co", vec![]),
    ] {
        let (s, page) = app
            .get_json(&format!("/api/v1/incidents?q={q}"), officer)
            .await;
        assert_eq!(s, 200);
        let ids: Vec<&Value> = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| &i["id"])
            .collect();
        let want: Vec<&Value> = expected.iter().map(|i| &i["id"]).collect();
        assert_eq!(ids, want, "q={q}");
    }
    // The coordinator sees the province, the officer its subtree, newest first.
    let (_, all) = app.get_json("/api/v1/incidents", &f.coordinator.2).await;
    let ids: Vec<&Value> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| &i["id"])
        .collect();
    assert_eq!(ids, [&c["id"], &b["id"], &a["id"]]);
    let (_, mine) = app.get_json("/api/v1/incidents", officer).await;
    assert_eq!(mine["items"].as_array().unwrap().len(), 2);
    // Keyset pages.
    let (_, p1) = app
        .get_json("/api/v1/incidents?limit=2", &f.coordinator.2)
        .await;
    assert_eq!(p1["items"].as_array().unwrap().len(), 2);
    let next = p1["next"].as_str().unwrap();
    let (_, p2) = app
        .get_json(
            &format!("/api/v1/incidents?limit=2&after={next}"),
            &f.coordinator.2,
        )
        .await;
    assert_eq!(p2["items"][0]["id"], a["id"]);
    assert!(p2["next"].is_null());
    // Filters.
    let aid = a["id"].as_str().unwrap();
    step(&app, officer, aid, "verifying", None).await;
    let (_, v) = app
        .get_json("/api/v1/incidents?state=verifying", officer)
        .await;
    assert_eq!(v["items"].as_array().unwrap().len(), 1);
    let (_, v) = app
        .get_json(
            &format!("/api/v1/incidents?state=open&org={}", f.unit_a),
            officer,
        )
        .await;
    assert_eq!(v["items"][0]["id"], b["id"]);
    let (_, v) = app
        .get_json("/api/v1/incidents?severity=serious", officer)
        .await;
    assert_eq!(v["items"].as_array().unwrap().len(), 0);
    let (_, v) = app
        .get_json(
            "/api/v1/incidents?from=2000-01-01&until=2000-02-01",
            officer,
        )
        .await;
    assert_eq!(v["items"].as_array().unwrap().len(), 0);
    let (s, v) = app
        .get_json("/api/v1/incidents?state=flying", officer)
        .await;
    assert_eq!(s, 422);
    assert_eq!(v["errors"][0]["field"], "state");
}

#[tokio::test]
async fn comments_and_manual_entries_keep_the_time_things_happened() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let officer = &f.officer_a.2;
    let i = report(&app, officer, &report_body(f.org_a, "Sự cố ghi diễn biến")).await;
    let id = i["id"].as_str().unwrap();
    let (s, c) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/incidents/{id}/comments"),
            officer,
            &json!({"text": "Đã cô lập máy chủ"}),
        )
        .await;
    assert_eq!(s, 201, "{c}");
    assert_eq!(c["kind"], "comment");
    let earlier = (time::OffsetDateTime::now_utc() - time::Duration::minutes(90))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let (s, m) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/incidents/{id}/timeline"),
            officer,
            &json!({"text": "Người dùng báo trang chủ lạ", "happened_at": earlier}),
        )
        .await;
    assert_eq!(s, 201, "{m}");
    assert_eq!(m["kind"], "manual");
    assert_ne!(m["happened_at"], m["recorded_at"]);
    let (s, b) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/incidents/{id}/timeline"),
            officer,
            &json!({"text": "x", "happened_at": "2999-01-01T00:00:00Z"}),
        )
        .await;
    assert_eq!(s, 422);
    assert_eq!(b["errors"][0]["field"], "happened_at");
    let (s, _) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/incidents/{id}/comments"),
            officer,
            &json!({"text": ""}),
        )
        .await;
    assert_eq!(s, 422);
    // In the order things happened: the manual entry (90 minutes ago) before the report.
    let kinds: Vec<String> = timeline(&app, officer, id)
        .await
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_string())
        .collect();
    // The report's default tasks (step 1) are a timeline entry of their own.
    assert_eq!(kinds, ["manual", "transition", "manual", "comment"]);
}

#[tokio::test]
async fn the_coordinator_enters_phone_reports_for_any_organisation_and_officers_only_for_theirs() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let mut body = report_body(f.org_b, "Báo cáo qua điện thoại");
    body["channel"] = json!("phone");
    let i = report(&app, &f.coordinator.2, &body).await;
    assert_eq!(i["report"]["channel"], "phone");
    assert_eq!(i["owner"]["id"], f.org_b.to_string());
    let (s, b) = app
        .send_json(
            Method::POST,
            "/api/v1/incidents",
            &f.officer_a.2,
            &report_body(f.org_b, "x"),
        )
        .await;
    assert_eq!(s, 422, "{b}");
    assert_eq!(b["errors"][0]["field"], "owner_org_id");
    let (_, _, viewer) = app.user("xem-a@test.vn", f.org_a, "viewer").await;
    let (s, b) = app
        .send_json(
            Method::POST,
            "/api/v1/incidents",
            &viewer,
            &report_body(f.org_a, "x"),
        )
        .await;
    assert_eq!(s, 403, "{b}");
    // Every mandatory field of Mẫu 03 is named.
    let (s, b) = app
        .send_json(Method::POST, "/api/v1/incidents", &f.officer_a.2, &json!({"owner_org_id": f.org_a, "title": "", "reporter_name": "", "reporter_address": "", "reporter_phone": "", "reporter_email": "", "contact_name": "", "contact_phone": "", "contact_email": "", "operator_name": "", "summary": "", "discovered_at": "", "handling_status": "", "detection_methods": [], "notified": [], "reported_at": ""}))
        .await;
    assert_eq!(s, 422);
    assert_eq!(b["errors"].as_array().unwrap().len(), 15, "{b}");
}

#[tokio::test]
async fn the_pages_report_list_show_and_move_an_incident() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let s = WebSession::new(&app.url);
    assert_eq!(s.login(&f.officer_a.0, PASSWORD).await.status, 303);
    let r = s.get("/incidents").await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("id=\"incidents-empty\""), "empty state");
    let r = s.get("/incidents/new").await;
    assert_eq!(r.status, 200);
    for label in [
        "BÁO CÁO BAN ĐẦU SỰ CỐ MẠNG",
        "Tên tổ chức/cá nhân báo cáo (*)",
        "Tên đơn vị vận hành hệ thống thông tin (*)",
        "Mô tả sơ bộ (*)",
        "Ngày phát hiện (*)",
        "Hiện trạng sự cố (*)",
        "Cách thức phát hiện (*)",
        "Đã gửi thông báo sự cố cho (*)",
        "Kiến nghị, đề xuất hỗ trợ",
        "Thời gian thực hiện báo cáo (*)",
    ] {
        assert!(r.body.contains(label), "{label} missing from the form");
    }
    // A form with gaps comes back with the fields named and the values kept.
    let r = s
        .post(
            "/incidents",
            &[
                ("title", "Trang bị thay đổi"),
                ("owner_org_id", &f.org_a.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("value=\"Trang bị thay đổi\""));
    assert!(r.body.contains("field-error"));
    let org = f.org_a.to_string();
    let fields: Vec<(&str, &str)> = vec![
        ("owner_org_id", &org),
        ("title", "Trang chủ Sở A bị thay đổi giao diện"),
        ("reporter_name", "Sở A"),
        ("reporter_address", "Số 1 đường 30/4"),
        ("reporter_phone", "0277 3851 234"),
        ("reporter_email", "vanthu@soa.dongthap.gov.vn"),
        ("contact_name", "Lê Minh"),
        ("contact_phone", "0912 345 678"),
        ("contact_email", "minh@soa.dongthap.gov.vn"),
        ("operator_name", "Trung tâm CNTT"),
        ("summary", "Nội dung lạ trên trang chủ."),
        ("discovered_date", "2026-01-05"),
        ("discovered_time", "08:30"),
        ("handling_status", "not_handled"),
        ("detection_methods", "ids"),
        ("detection_methods", "log_review"),
        ("notified", "coordinator"),
        ("services", "web"),
        ("confidential", "yes"),
        ("reported_at", "2026-01-05T10:00"),
        ("channel", "web"),
        ("subtype", "deface"),
        ("tlp", "AMBER"),
    ];
    let r = s.post("/incidents", &fields).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let loc = r.location.clone().unwrap();
    let r = s.get(&loc).await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Trang chủ Sở A bị thay đổi giao diện"));
    assert!(
        r.body
            .contains("Qua hệ thống phát hiện xâm nhập, Kiểm tra dữ liệu lưu lại")
    );
    assert!(r.body.contains("Thay đổi giao diện trang web"));
    assert!(r.body.contains("id=\"to-verifying\""));
    assert!(
        !r.body.contains("id=\"to-rejected\""),
        "only the coordinator rejects"
    );
    let r = s
        .post(
            &format!("{loc}/transition"),
            &[("to", "verifying"), ("comment", "")],
        )
        .await;
    assert_eq!(r.status, 303);
    let r = s
        .post(
            &format!("{loc}/notes"),
            &[("comment", "Đã chặn IP nguồn"), ("happened_at", "")],
        )
        .await;
    assert_eq!(r.status, 303);
    let r = s.get(&loc).await;
    assert!(r.body.contains("Đã chặn IP nguồn"));
    assert!(r.body.contains("Tiếp nhận → Đang xác minh"));
    // A refused step shows the message on the page.
    let r = s
        .post(
            &format!("{loc}/transition"),
            &[("to", "closed"), ("confirm", "yes")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Không thể chuyển"));
    let r = s.get("/incidents?q=giao%20dien").await;
    assert!(r.body.contains("Trang chủ Sở A bị thay đổi giao diện"));
    let r = s.get("/incidents?q=zzz").await;
    assert!(r.body.contains("incidents-empty"));
    // The coordinator gets the triage buttons, with a confirmation for the final ones.
    let c = WebSession::new(&app.url);
    c.login(&f.coordinator.0, PASSWORD).await;
    let r = c.get(&loc).await;
    assert!(r.body.contains("id=\"to-rejected\""));
    assert!(r.body.contains("name=\"confirm\""));
    let r = c
        .post(
            &format!("{loc}/transition"),
            &[("to", "rejected"), ("comment", "Báo nhầm")],
        )
        .await;
    assert_eq!(r.status, 400, "no confirmation, nothing happens");
    let r = c
        .post(
            &format!("{loc}/transition"),
            &[
                ("to", "rejected"),
                ("comment", "Báo nhầm"),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    let r = c.get(&loc).await;
    assert!(r.body.contains("Không phải sự cố"));
    let r = c.get("/incidents").await;
    assert!(r.body.contains("nav-incidents"));
}

#[tokio::test]
async fn the_demo_incidents_load_once_in_their_states() {
    let app = spawn_app().await;
    let p = app.org("dong-thap", "province", None).await;
    let coord = app.org("so-tttt", "coordinator", Some(p)).await;
    app.org("ttcntt", "unit", Some(coord)).await;
    app.org("so-y-te", "department", Some(p)).await;
    app.org("tp-sa-dec", "district", Some(p)).await;
    assert_eq!(
        ungcuu_core::incidents::load_demo(&app.core).await.unwrap(),
        3
    );
    assert_eq!(
        ungcuu_core::incidents::load_demo(&app.core).await.unwrap(),
        0
    );
    let (_, _, token) = app.user("dieu-phoi@test.vn", coord, "coordinator").await;
    let (_, all) = app.get_json("/api/v1/incidents", &token).await;
    let mut states: Vec<(String, String, String)> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["owner"]["slug"].as_str().unwrap().to_string(),
                i["state"].as_str().unwrap().to_string(),
                i["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    states.sort();
    assert_eq!(
        states,
        [
            (
                "so-y-te".to_string(),
                "verifying".to_string(),
                "ordinary".to_string()
            ),
            ("tp-sa-dec".into(), "containing".into(), "ordinary".into()),
            ("ttcntt".into(), "escalated".into(), "serious".into()),
        ]
    );
}

#[tokio::test]
async fn the_openapi_document_describes_the_incident_endpoints() {
    let app = spawn_app().await;
    let doc: Value = app
        .client
        .get(format!("{}/api/openapi.json", app.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for p in [
        "/api/v1/incidents",
        "/api/v1/incidents/{id}",
        "/api/v1/incidents/{id}/transitions",
        "/api/v1/incidents/{id}/severity",
        "/api/v1/incidents/{id}/comments",
        "/api/v1/incidents/{id}/timeline",
        "/api/v1/incidents/{id}/review",
        "/api/v1/settings/severity-rules",
    ] {
        assert!(doc["paths"].get(p).is_some(), "{p} missing from OpenAPI");
    }
    assert!(doc["components"]["schemas"].get("IncidentCreate").is_some());
}
