use ungcuu_testkit::{PASSWORD, WebSession, spawn_app};

#[tokio::test]
async fn signing_in_sets_a_host_prefixed_secure_http_only_cookie_and_shows_the_home_page() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let s = WebSession::new(&app.url);
    let r = s.login(&f.officer_a.0, PASSWORD).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let cookie = r
        .set_cookies
        .iter()
        .find(|c| c.contains("_session="))
        .expect("session cookie");
    assert!(cookie.starts_with("__Host-ungcuu_session="), "{cookie}");
    for attr in ["HttpOnly", "Secure", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attr), "{attr} missing in {cookie}");
    }
    let home = s.get("/").await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains("Người dùng officer-a@test.vn"));
}

#[tokio::test]
async fn a_wrong_password_is_refused_with_the_same_answer_as_an_unknown_address_and_is_audited() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let before = app.audit_count().await;
    let s = WebSession::new(&app.url);
    let wrong = s.login(&f.officer_a.0, "not the password").await;
    let unknown = s.login("nobody@test.vn", "not the password").await;
    assert_eq!(wrong.status, 401);
    assert_eq!(unknown.status, 401);
    assert!(wrong.body.contains("Thư điện tử hoặc mật khẩu không đúng."));
    assert!(
        unknown
            .body
            .contains("Thư điện tử hoặc mật khẩu không đúng.")
    );
    assert!(s.cookie("_session").is_none());
    assert_eq!(app.audit_count().await, before + 2);
    let (_, events) = app
        .get_json("/api/v1/audit?action=auth.login_failed", &f.admin.2)
        .await;
    assert_eq!(events["items"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn five_failures_lock_the_account_even_for_the_right_password_with_a_clear_message() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let s = WebSession::new(&app.url);
    for i in 0..5 {
        let r = s.login(&f.officer_a.0, "wrong password").await;
        assert!(matches!(r.status, 401 | 429), "attempt {i}: {}", r.status);
    }
    let r = s.login(&f.officer_a.0, PASSWORD).await;
    assert_eq!(r.status, 429);
    assert!(r.body.contains("Tài khoản tạm khoá"), "{}", r.body);
    assert!(s.cookie("_session").is_none());
}

#[tokio::test]
async fn a_form_without_the_csrf_token_or_from_another_site_changes_nothing() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let s = WebSession::new(&app.url);
    assert_eq!(s.login(&f.admin.0, PASSWORD).await.status, 303);
    s.get("/orgs/new").await;
    let before = app.audit_count().await;
    let fields = [
        ("name", "Sở Mới"),
        ("slug", "so-moi"),
        ("kind", "department"),
        ("parent_id", ""),
    ];
    let bad = s
        .post(
            "/orgs",
            &[("_csrf", "forged"), fields[0], fields[1], fields[2]],
        )
        .await;
    assert_eq!(bad.status, 400);
    let mut cross = WebSession::new(&app.url);
    cross.origin = Some("https://evil.example".into());
    cross.set_cookie("__Host-ungcuu_session", &s.cookie("_session").unwrap());
    *cross.csrf.lock().unwrap() = s.csrf.lock().unwrap().clone();
    let r = cross.post("/orgs", &fields).await;
    assert_eq!(r.status, 403);
    assert_eq!(app.audit_count().await, before);
    let (_, list) = app
        .get_json("/api/v1/organizations?q=so-moi", &f.admin.2)
        .await;
    assert!(list["items"].as_array().unwrap().is_empty());
    // The same form with the token is accepted, proving the refusals above were about CSRF.
    let ok = s
        .post(
            "/orgs",
            &[
                fields[0],
                fields[1],
                fields[2],
                ("parent_id", &f.province.to_string()),
            ],
        )
        .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
}

#[tokio::test]
async fn a_session_id_planted_before_sign_in_is_never_promoted() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let s = WebSession::new(&app.url);
    s.set_cookie("__Host-ungcuu_session", "attacker-chosen-value");
    let r = s.login(&f.officer_a.0, PASSWORD).await;
    assert_eq!(r.status, 303);
    let new = s.cookie("_session").unwrap();
    assert_ne!(new, "attacker-chosen-value");
    let attacker = WebSession::new(&app.url);
    attacker.set_cookie("__Host-ungcuu_session", "attacker-chosen-value");
    assert_eq!(attacker.get("/").await.status, 303);
}

#[tokio::test]
async fn signing_out_everywhere_ends_every_session_of_the_person() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let laptop = WebSession::new(&app.url);
    let phone = WebSession::new(&app.url);
    laptop.login(&f.officer_a.0, PASSWORD).await;
    phone.login(&f.officer_a.0, PASSWORD).await;
    assert_eq!(phone.get("/").await.status, 200);
    laptop.get("/profile").await;
    let r = laptop.post("/logout/all", &[]).await;
    assert_eq!(r.status, 303);
    assert_eq!(phone.get("/").await.status, 303);
    assert_eq!(laptop.get("/").await.status, 303);
}

#[tokio::test]
async fn signing_out_ends_the_session_on_the_server() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let s = WebSession::new(&app.url);
    s.login(&f.officer_a.0, PASSWORD).await;
    let cookie = s.cookie("_session").unwrap();
    s.get("/").await;
    assert_eq!(s.post("/logout", &[]).await.status, 303);
    let replay = WebSession::new(&app.url);
    replay.set_cookie("__Host-ungcuu_session", &cookie);
    assert_eq!(replay.get("/").await.status, 303);
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one_and_ends_other_sessions() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let s = WebSession::new(&app.url);
    let other = WebSession::new(&app.url);
    s.login(&f.officer_a.0, PASSWORD).await;
    other.login(&f.officer_a.0, PASSWORD).await;
    s.get("/profile").await;
    let bad = s
        .post(
            "/profile/password",
            &[
                ("current_password", "nope"),
                ("new_password", "a brand new password"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("Mật khẩu hiện tại không đúng."));
    let ok = s
        .post(
            "/profile/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "a brand new password"),
            ],
        )
        .await;
    assert_eq!(ok.status, 303);
    assert_eq!(
        s.get("/").await.status,
        200,
        "the changing browser stays signed in"
    );
    assert_eq!(other.get("/").await.status, 303, "other sessions end");
    let fresh = WebSession::new(&app.url);
    assert_eq!(fresh.login(&f.officer_a.0, PASSWORD).await.status, 401);
    assert_eq!(
        fresh
            .login(&f.officer_a.0, "a brand new password")
            .await
            .status,
        303
    );
}

#[tokio::test]
async fn disabling_an_account_ends_its_sessions_and_its_tokens_stop_working_at_once() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let victim = WebSession::new(&app.url);
    victim.login(&f.officer_b.0, PASSWORD).await;
    assert_eq!(victim.get("/").await.status, 200);
    let (s, _) = app
        .send_json(
            reqwest::Method::PATCH,
            &format!("/api/v1/users/{}", f.user_ids[3]),
            &f.admin.2,
            &serde_json::json!({"disabled": true}),
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(victim.get("/").await.status, 303);
    let (s, _) = app.get_json("/api/v1/me", &f.officer_b.2).await;
    assert_eq!(s, 401);
    assert_eq!(
        WebSession::new(&app.url)
            .login(&f.officer_b.0, PASSWORD)
            .await
            .status,
        401
    );
}

#[tokio::test]
async fn a_revoked_token_is_refused_and_a_role_removed_applies_on_the_next_request() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let (s, created) = app
        .send_json(
            reqwest::Method::POST,
            "/api/v1/tokens",
            &f.officer_a.2,
            &serde_json::json!({"label": "script"}),
        )
        .await;
    assert_eq!(s, 201);
    let secret = created["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("ugc_") && secret.len() > 40);
    assert_eq!(app.get_json("/api/v1/me", &secret).await.0, 200);
    let id = created["token"]["id"].as_str().unwrap();
    let r = app
        .api(
            reqwest::Method::DELETE,
            &format!("/api/v1/tokens/{id}"),
            &f.officer_a.2,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(app.get_json("/api/v1/me", &secret).await.0, 401);

    let (_, me) = app.get_json("/api/v1/me", &f.coordinator.2).await;
    assert!(
        me["actions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "user.manage")
    );
    let mid = me["memberships"][0]["id"].as_str().unwrap();
    let r = app
        .api(
            reqwest::Method::DELETE,
            &format!("/api/v1/memberships/{mid}"),
            &f.admin.2,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let (s, _) = app
        .get_json(
            &format!("/api/v1/organizations/{}", f.org_b),
            &f.coordinator.2,
        )
        .await;
    assert_eq!(s, 404);
}

#[tokio::test]
async fn the_language_switch_is_remembered_and_pages_follow_it() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let s = WebSession::new(&app.url);
    s.login(&f.officer_a.0, PASSWORD).await;
    assert!(s.get("/").await.body.contains("Xin chào"));
    let r = s.get("/lang?l=en&next=/orgs").await;
    assert_eq!(r.status, 303);
    assert_eq!(r.location.as_deref(), Some("/orgs"));
    let page = s.get("/orgs").await;
    assert!(page.body.contains("<html lang=\"en\">"));
    assert!(page.body.contains("Organisations"));
    let evil = s.get("/lang?l=en&next=//evil.example").await;
    assert_eq!(evil.location.as_deref(), Some("/"));
}

#[tokio::test]
async fn a_session_ends_after_twelve_idle_hours_or_at_its_absolute_end() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let idle = WebSession::new(&app.url);
    idle.login(&f.officer_a.0, PASSWORD).await;
    assert_eq!(idle.get("/").await.status, 200);
    let stale =
        ungcuu_domain::timefmt::to_db(ungcuu_domain::timefmt::now() - time::Duration::hours(13));
    sqlx::query("UPDATE sessions SET last_seen_at = $1")
        .bind(stale)
        .execute(app.core.db.pool())
        .await
        .unwrap();
    assert_eq!(idle.get("/").await.status, 303);

    let old = WebSession::new(&app.url);
    old.login(&f.officer_a.0, PASSWORD).await;
    assert_eq!(old.get("/").await.status, 200);
    let past =
        ungcuu_domain::timefmt::to_db(ungcuu_domain::timefmt::now() - time::Duration::minutes(1));
    sqlx::query("UPDATE sessions SET expires_at = $1")
        .bind(past)
        .execute(app.core.db.pool())
        .await
        .unwrap();
    assert_eq!(old.get("/").await.status, 303);
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sessions")
        .fetch_one(app.core.db.pool())
        .await
        .unwrap();
    assert_eq!(n, 0, "ended sessions are removed");
}
