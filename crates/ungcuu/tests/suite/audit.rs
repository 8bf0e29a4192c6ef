use reqwest::Method;
use serde_json::json;
use ungcuu_store::audit::Verdict;
use ungcuu_testkit::spawn_app;

/// Runs `step` and checks it wrote exactly one audit event with `action`.
async fn one_event(
    app: &ungcuu_testkit::TestApp,
    admin: &str,
    action: &str,
    status: u16,
    step: impl std::future::Future<Output = u16>,
) {
    let before = app.audit_count().await;
    assert_eq!(step.await, status, "{action}");
    assert_eq!(
        app.audit_count().await,
        before + 1,
        "{action} must write one event"
    );
    let (_, page) = app.get_json("/api/v1/audit?limit=1", admin).await;
    assert_eq!(page["items"][0]["action"], action);
}

#[tokio::test]
async fn every_change_through_the_api_writes_exactly_one_audit_event() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let t = f.admin.2.clone();
    let mut org_id = String::new();
    one_event(&app, &t, "org.create", 201, async {
        let (s, b) = app.send_json(Method::POST, "/api/v1/organizations", &t, &json!({"slug": "so-moi", "name": "Sở Mới", "kind": "department", "parent_id": f.province})).await;
        org_id = b["id"].as_str().unwrap_or("").to_string();
        s
    })
    .await;
    one_event(&app, &t, "org.update", 200, async {
        app.send_json(
            Method::PATCH,
            &format!("/api/v1/organizations/{org_id}"),
            &t,
            &json!({"name": "Sở Mới Đổi Tên"}),
        )
        .await
        .0
    })
    .await;
    let mut user_id = String::new();
    one_event(&app, &t, "user.create", 201, async {
        let (s, b) = app.send_json(Method::POST, "/api/v1/users", &t, &json!({"email": "moi@test.vn", "name": "Người Mới", "org_id": org_id, "role": "viewer", "password": "mật khẩu đủ dài"})).await;
        user_id = b["id"].as_str().unwrap_or("").to_string();
        s
    })
    .await;
    one_event(&app, &t, "user.update", 200, async {
        app.send_json(
            Method::PATCH,
            &format!("/api/v1/users/{user_id}"),
            &t,
            &json!({"name": "Người Mới Hơn"}),
        )
        .await
        .0
    })
    .await;
    let mut mid = String::new();
    one_event(&app, &t, "membership.create", 201, async {
        let (s, b) = app
            .send_json(
                Method::POST,
                "/api/v1/memberships",
                &t,
                &json!({"user_id": user_id, "org_id": f.org_a, "role": "responder"}),
            )
            .await;
        mid = b["id"].as_str().unwrap_or("").to_string();
        s
    })
    .await;
    one_event(&app, &t, "membership.delete", 204, async {
        app.api(Method::DELETE, &format!("/api/v1/memberships/{mid}"), &t)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    })
    .await;
    let mut gid = String::new();
    one_event(&app, &t, "grant.create", 201, async {
        let (s, b) = app.send_json(Method::POST, "/api/v1/grants", &t, &json!({"object_type": "organization", "object_id": f.org_b, "grantee_org_id": f.org_a, "access": "read"})).await;
        gid = b["id"].as_str().unwrap_or("").to_string();
        s
    })
    .await;
    one_event(&app, &t, "grant.delete", 204, async {
        app.api(Method::DELETE, &format!("/api/v1/grants/{gid}"), &t)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    })
    .await;
    let mut tid = String::new();
    one_event(&app, &t, "token.create", 201, async {
        let (s, b) = app
            .send_json(
                Method::POST,
                "/api/v1/tokens",
                &t,
                &json!({"label": "báo cáo"}),
            )
            .await;
        tid = b["token"]["id"].as_str().unwrap_or("").to_string();
        s
    })
    .await;
    one_event(&app, &t, "token.revoke", 204, async {
        app.api(Method::DELETE, &format!("/api/v1/tokens/{tid}"), &t)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    })
    .await;
    one_event(&app, &t, "user.disable", 200, async {
        app.send_json(
            Method::PATCH,
            &format!("/api/v1/users/{user_id}"),
            &t,
            &json!({"disabled": true}),
        )
        .await
        .0
    })
    .await;
    // A refused change writes the denial and nothing else.
    one_event(&app, &t, "authz.denied", 404, async {
        app.send_json(
            Method::PATCH,
            &format!("/api/v1/organizations/{}", f.org_b),
            &f.officer_a.2,
            &json!({"name": "x"}),
        )
        .await
        .0
    })
    .await;
    // The event carries who, where, what, before/after, time and request id.
    let (_, page) = app.get_json("/api/v1/audit?action=org.update", &t).await;
    let e = &page["items"][0];
    assert_eq!(e["actor_label"], "admin@test.vn");
    assert_eq!(e["organization_id"], org_id.as_str());
    assert_eq!(e["summary"]["before"]["name"], "Sở Mới");
    assert_eq!(e["summary"]["after"]["name"], "Sở Mới Đổi Tên");
    assert!(e["request_id"].as_str().is_some_and(|r| r.len() == 36));
    assert!(e["occurred_at"].as_str().unwrap().ends_with('Z'));
    assert!(matches!(
        ungcuu_core::audit::verify(&app.core).await.unwrap(),
        Verdict::Intact { .. }
    ));
}

#[tokio::test]
async fn editing_an_audit_row_by_hand_is_found_by_verify() {
    let app = spawn_app().await;
    let _f = app.fixture().await;
    let n = app.audit_count().await;
    assert!(n > 5);
    assert!(
        matches!(ungcuu_core::audit::verify(&app.core).await.unwrap(), Verdict::Intact { count, .. } if count == n)
    );
    sqlx::query("UPDATE audit_events SET summary = '{\"tampered\":true}' WHERE seq = 3")
        .execute(app.core.db.pool())
        .await
        .unwrap();
    match ungcuu_core::audit::verify(&app.core).await.unwrap() {
        Verdict::Broken { seq, .. } => assert_eq!(seq, 3),
        v => panic!("tampering not detected: {v:?}"),
    }
}

#[tokio::test]
async fn deleting_audit_rows_in_the_middle_or_at_the_end_is_found_by_verify() {
    let app = spawn_app().await;
    let _f = app.fixture().await;
    let n = app.audit_count().await;
    sqlx::query("DELETE FROM audit_events WHERE seq = $1")
        .bind(n)
        .execute(app.core.db.pool())
        .await
        .unwrap();
    assert!(matches!(
        ungcuu_core::audit::verify(&app.core).await.unwrap(),
        Verdict::Broken { .. }
    ));
    let app = spawn_app().await;
    let _f = app.fixture().await;
    sqlx::query("DELETE FROM audit_events WHERE seq = 2")
        .execute(app.core.db.pool())
        .await
        .unwrap();
    match ungcuu_core::audit::verify(&app.core).await.unwrap() {
        Verdict::Broken { seq, .. } => assert_eq!(seq, 2),
        v => panic!("deletion not detected: {v:?}"),
    }
}

#[tokio::test]
async fn concurrent_changes_keep_one_unbroken_chain() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let mut tasks = Vec::new();
    for i in 0..16 {
        let url = app.url.clone();
        let token = f.admin.2.clone();
        let parent = f.province;
        tasks.push(tokio::spawn(async move {
            reqwest::Client::new()
                .post(format!("{url}/api/v1/organizations"))
                .bearer_auth(token)
                .json(&json!({"slug": format!("song-song-{i}"), "name": format!("Đơn vị {i}"), "kind": "unit", "parent_id": parent}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), 201);
    }
    match ungcuu_core::audit::verify(&app.core).await.unwrap() {
        Verdict::Intact { count, .. } => assert_eq!(count, app.audit_count().await),
        v => panic!("{v:?}"),
    }
}

#[tokio::test]
async fn only_administrators_and_the_coordinator_read_the_audit_log() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    assert_eq!(app.get_json("/api/v1/audit", &f.admin.2).await.0, 200);
    assert_eq!(app.get_json("/api/v1/audit", &f.coordinator.2).await.0, 200);
    assert_eq!(app.get_json("/api/v1/audit", &f.officer_a.2).await.0, 403);
}
