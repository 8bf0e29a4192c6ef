//! Organisation profiles, focal points and the coordinator's notifications, the directory, the
//! response team roster, on-call shifts and convening.

use reqwest::Method;
use serde_json::json;
use ungcuu_testkit::{PASSWORD, WebSession, spawn_app};

#[tokio::test]
async fn an_officer_keeps_the_profile_of_its_own_organisation_and_bad_fields_are_named() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let path = format!("/api/v1/organizations/{}/profile", f.org_a);
    let body = json!({
        "address": "Số 12 đường Lý Thường Kiệt, Phường 1, TP Cao Lãnh",
        "phone": "0277 3851 234",
        "email": "vanthu@soa.dongthap.gov.vn",
        "website": "https://soa.dongthap.gov.vn",
        "leader_name": "Nguyễn Văn Lãnh Đạo",
        "leader_title": "Phó Giám đốc",
        "intake_email": "ungcuu@soa.dongthap.gov.vn",
        "response_capability": "Có 2 cán bộ CNTT.",
        "staffing": {"training_it": 2, "degree_university": 2}
    });
    let (s, p) = app
        .send_json(Method::PUT, &path, &f.officer_a.2, &body)
        .await;
    assert_eq!(s, 200, "{p}");
    assert_eq!(p["staffing"]["training_it"], 2);
    assert_eq!(p["leader_name"], "Nguyễn Văn Lãnh Đạo");
    let (s, p) = app
        .send_json(
            Method::PUT,
            &path,
            &f.officer_a.2,
            &json!({"email": "not-mail", "phone": "abc", "website": "javascript:alert(1)"}),
        )
        .await;
    assert_eq!(s, 422);
    let fields: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["phone", "email", "website"]);
    let (s, _) = app
        .send_json(
            Method::PUT,
            &path,
            &f.officer_a.2,
            &json!({"staffing": {"training_it": -1}}),
        )
        .await;
    assert_eq!(s, 422);
    let (_, kept) = app.get_json(&path, &f.officer_a.2).await;
    assert_eq!(
        kept["phone"], "0277 3851 234",
        "a refused change writes nothing"
    );
    assert_eq!(
        app.send_json(Method::PUT, &path, &f.officer_b.2, &body)
            .await
            .0,
        404
    );
    assert_eq!(app.get_json(&path, &f.officer_b.2).await.0, 404);
    let (s, _) = app
        .send_json(Method::PUT, &path, &f.coordinator.2, &body)
        .await;
    assert_eq!(s, 200, "the coordinator edits any profile");
    let (_, ev) = app
        .get_json("/api/v1/audit?action=org.profile_update", &f.admin.2)
        .await;
    assert_eq!(ev["items"].as_array().unwrap().len(), 2);
    // The page shows it, and the edit form posts with a CSRF token.
    let s = WebSession::new(&app.url);
    s.login(&f.officer_a.0, PASSWORD).await;
    let page = s.get(&format!("/orgs/{}/profile", f.org_a)).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Nguyễn Văn Lãnh Đạo")
            && page.body.contains("Đào tạo chuyên ngành CNTT")
    );
    let r = s
        .post(
            &format!("/orgs/{}/profile", f.org_a),
            &[
                ("address", "Địa chỉ mới"),
                ("staff_training_it", "5"),
                ("staff_group_testing", "x"),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    let r = s
        .post(
            &format!("/orgs/{}/profile", f.org_a),
            &[("address", "Địa chỉ mới"), ("staff_training_it", "5")],
        )
        .await;
    assert_eq!(r.status, 303);
    let (_, p) = app.get_json(&path, &f.officer_a.2).await;
    assert_eq!(p["address"], "Địa chỉ mới");
    assert_eq!(p["staffing"]["training_it"], 5);
}

#[tokio::test]
async fn replacing_a_focal_point_keeps_history_and_tells_the_coordinator_in_the_app_and_by_e_mail()
{
    let app = spawn_app().await;
    let f = app.fixture().await;
    let path = format!("/api/v1/organizations/{}/focal-points", f.org_a);
    let first = json!({"kind": "primary", "name": "Lê Văn Một", "email": "mot@soa.vn", "phone": "0277 3851 111", "phone_24x7": "0912 345 678"});
    let (s, fp) = app
        .send_json(Method::POST, &path, &f.officer_a.2, &first)
        .await;
    assert_eq!(s, 201, "{fp}");
    let (s, _) = app
        .send_json(
            Method::POST,
            &path,
            &f.officer_a.2,
            &json!({"kind": "boss", "name": "", "email": "x", "pgp_fingerprint": "123"}),
        )
        .await;
    assert_eq!(s, 422);
    let second = json!({"kind": "primary", "name": "Trần Thị Hai", "email": "hai@soa.vn", "pgp_fingerprint": "ABCD EF01 2345 6789 ABCD  EF01 2345 6789 ABCD EF01"});
    assert_eq!(
        app.send_json(Method::POST, &path, &f.officer_a.2, &second)
            .await
            .0,
        201
    );
    let (_, list) = app.get_json(&path, &f.officer_a.2).await;
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["name"], "Trần Thị Hai");
    assert!(list[0]["valid_to"].is_null());
    assert_eq!(list[1]["name"], "Lê Văn Một");
    assert!(
        list[1]["valid_to"].is_string(),
        "the replaced one keeps its end date"
    );
    assert_eq!(
        list[0]["pgp_fingerprint"],
        "ABCDEF0123456789ABCDEF0123456789ABCDEF01"
    );
    // The coordinator is told in the app...
    let (_, n) = app
        .get_json("/api/v1/notifications", &f.coordinator.2)
        .await;
    let texts: Vec<&str> = n["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["text"].as_str().unwrap())
        .collect();
    assert_eq!(texts.len(), 2, "{texts:?}");
    assert!(
        texts[0].contains("thay đầu mối chính Lê Văn Một bằng Trần Thị Hai"),
        "{texts:?}"
    );
    // ... and by e-mail.
    ungcuu_core::jobs::drain(&app.core, "test").await.unwrap();
    let mails: Vec<String> = std::fs::read_dir(app.data_dir.join("outbox"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert!(mails.iter().any(|m| m.contains("To: coord@test.vn")
        && ungcuu_testkit::mail_text(m).contains("Trần Thị Hai")));
    // Officers are not coordinators: they get nothing.
    let (_, n) = app.get_json("/api/v1/notifications", &f.officer_b.2).await;
    assert!(n["items"].as_array().unwrap().is_empty());
    // The page shows the unread count and the list.
    let s = WebSession::new(&app.url);
    s.login(&f.coordinator.0, PASSWORD).await;
    let home = s.get("/").await;
    assert!(home.body.contains("id=\"unread\">2<"), "unread badge");
    assert!(s.get("/notifications").await.body.contains("Trần Thị Hai"));
    assert_eq!(s.post("/notifications/read", &[]).await.status, 303);
    assert!(!s.get("/").await.body.contains("id=\"unread\""));
    // Officer B can neither read nor change A's focal points.
    assert_eq!(app.get_json(&path, &f.officer_b.2).await.0, 404);
    assert_eq!(
        app.send_json(Method::POST, &path, &f.officer_b.2, &first)
            .await
            .0,
        404
    );
    let (_, ev) = app
        .get_json("/api/v1/audit?action=focal_point.", &f.admin.2)
        .await;
    let actions: Vec<&str> = ev["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["focal_point.replace", "focal_point.assign"]);
}

#[tokio::test]
async fn the_directory_shows_the_province_to_the_coordinator_with_gaps_and_only_its_own_to_an_officer()
 {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let fp = json!({"kind": "primary", "name": "Đầu Mối A", "email": "a@soa.vn", "phone_24x7": "0912 000 111"});
    app.send_json(
        Method::POST,
        &format!("/api/v1/organizations/{}/focal-points", f.org_a),
        &f.officer_a.2,
        &fp,
    )
    .await;
    let fp_b = json!({"kind": "primary", "name": "Đầu Mối B", "email": "b@sob.vn"});
    app.send_json(
        Method::POST,
        &format!("/api/v1/organizations/{}/focal-points", f.org_b),
        &f.officer_b.2,
        &fp_b,
    )
    .await;
    let (_, all) = app.get_json("/api/v1/directory", &f.coordinator.2).await;
    let all = all.as_array().unwrap();
    let row = |id: uuid::Uuid| {
        all.iter()
            .find(|r| r["organization_id"] == id.to_string())
            .cloned()
            .unwrap()
    };
    assert_eq!(row(f.org_a)["missing_officer"], false);
    assert_eq!(row(f.org_a)["missing_24x7"], false);
    assert_eq!(row(f.org_b)["missing_24x7"], true, "no 24/7 number");
    assert_eq!(row(f.unit_b)["missing_officer"], true);
    let (_, gaps) = app
        .get_json("/api/v1/directory?gaps=true", &f.coordinator.2)
        .await;
    assert!(
        gaps.as_array()
            .unwrap()
            .iter()
            .all(|r| r["missing_officer"] == true || r["missing_24x7"] == true)
    );
    assert!(!gaps.to_string().contains(&f.org_a.to_string()));
    let (_, mine) = app.get_json("/api/v1/directory", &f.officer_a.2).await;
    let text = mine.to_string();
    assert!(
        text.contains("Đầu Mối A")
            && !text.contains("Đầu Mối B")
            && !text.contains(&f.org_b.to_string())
    );
    let s = WebSession::new(&app.url);
    s.login(&f.coordinator.0, PASSWORD).await;
    let page = s.get("/directory?gaps=1").await;
    assert!(page.body.contains("Chưa có số liên lạc 24/7") && page.body.contains("Tổ chức so-b"));
}

#[tokio::test]
async fn the_roster_on_call_schedule_and_convening_notify_the_members_and_are_recorded() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let t = &f.coordinator.2;
    let (s, m) = app
        .send_json(
            Method::POST,
            "/api/v1/team/members",
            t,
            &json!({"user_id": f.user_ids[2], "skills": "Phân tích mã độc"}),
        )
        .await;
    assert_eq!(s, 201, "{m}");
    let member = m["id"].as_str().unwrap().to_string();
    assert_eq!(
        app.send_json(
            Method::POST,
            "/api/v1/team/members",
            t,
            &json!({"user_id": f.user_ids[2], "skills": "lần hai"})
        )
        .await
        .0,
        422
    );
    assert_eq!(
        app.send_json(
            Method::POST,
            "/api/v1/team/members",
            &f.officer_a.2,
            &json!({"user_id": f.user_ids[3], "skills": "x"})
        )
        .await
        .0,
        403
    );
    let now = ungcuu_domain::timefmt::now();
    let fmt = |t: time::OffsetDateTime| ungcuu_domain::timefmt::rfc3339(t);
    let (s, _) = app.send_json(Method::POST, "/api/v1/team/shifts", t, &json!({"member_id": member, "starts_at": fmt(now - time::Duration::hours(1)), "ends_at": fmt(now + time::Duration::hours(7))})).await;
    assert_eq!(s, 201);
    let (s, e) = app.send_json(Method::POST, "/api/v1/team/shifts", t, &json!({"member_id": member, "starts_at": fmt(now), "ends_at": fmt(now - time::Duration::hours(1))})).await;
    assert_eq!(s, 422);
    assert_eq!(e["errors"][0]["field"], "ends_at");
    let (s, e) = app
        .send_json(
            Method::POST,
            "/api/v1/team/shifts",
            t,
            &json!({"member_id": member, "starts_at": "tomorrow", "ends_at": fmt(now)}),
        )
        .await;
    assert_eq!(s, 422);
    assert_eq!(e["errors"][0]["field"], "starts_at");
    let (_, on_call) = app
        .get_json(
            &format!(
                "/api/v1/team/shifts?from={0}&until={0}",
                fmt(now).replace('+', "%2B")
            ),
            t,
        )
        .await;
    assert_eq!(on_call.as_array().unwrap().len(), 1, "{on_call}");
    assert_eq!(on_call[0]["name"], "Người dùng officer-a@test.vn");
    // A member reads the roster; someone outside it does not.
    assert_eq!(
        app.get_json("/api/v1/team/members", &f.officer_a.2).await.0,
        200
    );
    assert_eq!(
        app.get_json("/api/v1/team/members", &f.officer_b.2).await.0,
        403
    );
    assert_eq!(
        app.send_json(
            Method::POST,
            "/api/v1/team/convenings",
            &f.officer_a.2,
            &json!({"reason": "x"})
        )
        .await
        .0,
        403
    );
    let (s, cv) = app.send_json(Method::POST, "/api/v1/team/convenings", t, &json!({"reason": "Cổng thông tin bị thay đổi giao diện", "incident_ref": "SC-2026-001"})).await;
    assert_eq!(s, 201, "{cv}");
    assert_eq!(cv["members"].as_array().unwrap().len(), 1);
    let (_, n) = app.get_json("/api/v1/notifications", &f.officer_a.2).await;
    assert!(
        n["items"][0]["text"]
            .as_str()
            .unwrap()
            .contains("Cổng thông tin bị thay đổi giao diện")
    );
    ungcuu_core::jobs::drain(&app.core, "test").await.unwrap();
    let mails: Vec<String> = std::fs::read_dir(app.data_dir.join("outbox"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert!(mails.iter().any(|m| m.contains("To: officer-a@test.vn")
        && ungcuu_testkit::mail_subject(m).contains("Triệu tập")));
    let (_, list) = app
        .get_json("/api/v1/team/convenings", &f.officer_a.2)
        .await;
    assert_eq!(list[0]["incident_ref"], "SC-2026-001");
    assert_eq!(list[0]["convened_by"], "coord@test.vn");
    let s = WebSession::new(&app.url);
    s.login(&f.coordinator.0, PASSWORD).await;
    let page = s.get("/team").await;
    assert!(
        page.body.contains("Đang trực")
            && page.body.contains("SC-2026-001")
            && page.body.contains("Phân tích mã độc")
    );
    let r = s.post("/team/convene", &[("reason", "Diễn tập")]).await;
    assert_eq!(r.status, 303);
    let r = app
        .api(Method::DELETE, &format!("/api/v1/team/members/{member}"), t)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let (_, ev) = app.get_json("/api/v1/audit?action=team.", &f.admin.2).await;
    assert_eq!(ev["items"].as_array().unwrap().len(), 5);
}

#[tokio::test]
async fn the_demo_province_has_every_department_and_district_with_officers_and_a_roster() {
    let app = spawn_app().await;
    let d = ungcuu_core::demo::load(&app.core).await.unwrap();
    assert!(d.orgs_created >= 40, "{}", d.orgs_created);
    let actor = ungcuu_core::Actor::cli();
    let rows = ungcuu_core::network::directory(&app.core, &actor)
        .await
        .unwrap();
    let districts = rows
        .iter()
        .filter(|r| r.org.kind == ungcuu_domain::OrgKind::District)
        .count();
    assert_eq!(districts, 12);
    assert!(rows.iter().filter(|r| !r.missing_officer).count() >= 25);
    assert!(
        rows.iter().any(|r| r.missing_officer) && rows.iter().any(|r| r.missing_24x7),
        "some gaps on purpose"
    );
    assert!(
        ungcuu_core::network::members(&app.core, &actor)
            .await
            .unwrap()
            .len()
            >= 4
    );
    let before = app.audit_count().await;
    ungcuu_core::demo::load(&app.core).await.unwrap();
    assert_eq!(
        app.audit_count().await,
        before,
        "loading twice changes nothing"
    );
    let s = WebSession::new(&app.url);
    assert_eq!(
        s.login("canbo.h-lap-vo@demo.test", &d.password.unwrap())
            .await
            .status,
        303
    );
}
