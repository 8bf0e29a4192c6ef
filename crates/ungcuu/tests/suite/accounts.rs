//! Two-step verification, invitations and password reset, the audit browser and checkpoints.

use reqwest::Method;
use serde_json::json;
use std::time::Duration;
use time::OffsetDateTime;
use ungcuu_core::mfa;
use ungcuu_domain::timefmt::now;
use ungcuu_store::audit::Verdict;
use ungcuu_testkit::smtp::SmtpSink;
use ungcuu_testkit::{PASSWORD, TestApp, WebSession, mail_subject, mail_text, spawn_app};

fn manual_key(html: &str) -> String {
    let i = html.find("id=\"manual-key\">").expect("manual key shown") + "id=\"manual-key\">".len();
    html[i..].split('<').next().unwrap().replace(' ', "")
}

fn recovery_codes(html: &str) -> Vec<String> {
    html.split("<li><code>")
        .skip(1)
        .map(|s| s.split('<').next().unwrap().to_string())
        .collect()
}

/// Enrols `s` (signed in) from the profile page; returns the key, the recovery codes and the
/// time whose code confirmed the enrolment.
async fn enrol(s: &WebSession) -> (String, Vec<String>, time::OffsetDateTime) {
    s.get("/profile").await;
    assert_eq!(s.post("/profile/mfa", &[]).await.status, 303);
    let page = s.get("/profile/mfa").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<svg"), "QR code shown");
    let key = manual_key(&page.body);
    let wrong = s.post("/profile/mfa/confirm", &[("code", "000000")]).await;
    assert_eq!(wrong.status, 422);
    let at = now();
    let code = mfa::code_at(&key, at).unwrap();
    let done = s.post("/profile/mfa/confirm", &[("code", &code)]).await;
    assert_eq!(done.status, 200, "{}", done.body);
    let codes = recovery_codes(&done.body);
    assert_eq!(codes.len(), mfa::RECOVERY_CODES);
    (key, codes, at)
}

#[tokio::test]
async fn enrolled_people_sign_in_with_a_code_that_cannot_be_replayed_or_a_recovery_code_once() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let s = WebSession::new(&app.url);
    s.login(&f.officer_a.0, PASSWORD).await;
    let (key, codes, enrolled_at) = enrol(&s).await;
    assert!(s.get("/profile").await.body.contains("Đang bật"));

    // The password alone no longer signs in.
    let b = WebSession::new(&app.url);
    let r = b.login(&f.officer_a.0, PASSWORD).await;
    assert_eq!(r.status, 303);
    assert!(r.location.as_deref().unwrap().starts_with("/login/code"));
    assert!(b.cookie("_session").is_none());
    assert_eq!(b.get("/").await.status, 303);
    b.get("/login/code").await;
    // The code that confirmed the enrolment belongs to a step already used: refused (its own
    // time, not the clock now, which may have moved into the next step on a slow machine).
    let replay = b
        .post(
            "/login/code",
            &[("code", &mfa::code_at(&key, enrolled_at).unwrap())],
        )
        .await;
    assert_eq!(replay.status, 401);
    let next = mfa::code_at(&key, now() + time::Duration::seconds(30)).unwrap();
    let ok = b.post("/login/code", &[("code", &next)]).await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    assert_eq!(b.get("/").await.status, 200);

    // The same code again in another sign-in is refused.
    let c = WebSession::new(&app.url);
    c.login(&f.officer_a.0, PASSWORD).await;
    c.get("/login/code").await;
    assert_eq!(c.post("/login/code", &[("code", &next)]).await.status, 401);
    // A recovery code works once.
    assert_eq!(
        c.post("/login/code", &[("code", &codes[0].to_uppercase())])
            .await
            .status,
        303
    );
    let d = WebSession::new(&app.url);
    d.login(&f.officer_a.0, PASSWORD).await;
    d.get("/login/code").await;
    assert_eq!(
        d.post("/login/code", &[("code", &codes[0])]).await.status,
        401
    );
    let (_, events) = app.get_json("/api/v1/audit?action=mfa.", &f.admin.2).await;
    let actions: Vec<&str> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(
        actions.contains(&"mfa.enrol") && actions.contains(&"mfa.recovery_code_used"),
        "{actions:?}"
    );
}

#[tokio::test]
async fn codes_are_checked_against_a_fixed_clock_one_step_either_side() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let actor = ungcuu_core::auth::principal(&app.core, f.user_ids[2])
        .await
        .unwrap()
        .0;
    let actor = ungcuu_core::Actor::person(actor, &f.officer_a.0, None);
    let enrolment = mfa::start(&app.core, &actor, &f.officer_a.0).await.unwrap();
    let key = enrolment.manual_key.replace(' ', "");
    assert!(
        enrolment
            .uri
            .starts_with("otpauth://totp/ungcuu%3Aofficer-a%40test.vn?secret=")
    );
    let t0 = OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap(); // a step boundary
    mfa::confirm(&app.core, &actor, &mfa::code_at(&key, t0).unwrap(), t0)
        .await
        .unwrap();
    let client = ungcuu_core::auth::ClientInfo::default();
    let challenge = |t: OffsetDateTime| {
        let core = app.core.clone();
        let uid = f.user_ids[2];
        async move {
            let mut tx = core.db.begin().await.unwrap();
            let token = mfa::open_challenge(&mut tx, uid, t).await.unwrap();
            ungcuu_store::commit(tx).await.unwrap();
            token
        }
    };
    // A code from the next step, typed at the last second of this one: accepted.
    let t1 = t0 + time::Duration::seconds(29);
    let tok = challenge(t1).await;
    assert!(
        mfa::verify(
            &app.core,
            &tok,
            &mfa::code_at(&key, t0 + time::Duration::seconds(30)).unwrap(),
            &client,
            t1
        )
        .await
        .is_ok()
    );
    // Two steps ahead: refused.
    let tok = challenge(t1).await;
    assert!(
        mfa::verify(
            &app.core,
            &tok,
            &mfa::code_at(&key, t0 + time::Duration::seconds(90)).unwrap(),
            &client,
            t1
        )
        .await
        .is_err()
    );
    // The previous step's code is within the window but older than the last used: refused.
    let t2 = t0 + time::Duration::seconds(61);
    let tok = challenge(t2).await;
    assert!(
        mfa::verify(
            &app.core,
            &tok,
            &mfa::code_at(&key, t0 + time::Duration::seconds(30)).unwrap(),
            &client,
            t2
        )
        .await
        .is_err()
    );
    // The current step's fresh code: accepted.
    assert!(
        mfa::verify(
            &app.core,
            &tok,
            &mfa::code_at(&key, t2).unwrap(),
            &client,
            t2
        )
        .await
        .is_ok()
    );
    // A challenge past its five minutes is gone.
    let tok = challenge(t2).await;
    let late = t2 + time::Duration::minutes(6);
    assert!(matches!(
        mfa::verify(
            &app.core,
            &tok,
            &mfa::code_at(&key, late).unwrap(),
            &client,
            late
        )
        .await,
        Err(ungcuu_core::CoreError::Gone)
    ));
}

#[tokio::test]
async fn five_wrong_codes_end_the_challenge() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let s = WebSession::new(&app.url);
    s.login(&f.officer_a.0, PASSWORD).await;
    let (key, _, _) = enrol(&s).await;
    let b = WebSession::new(&app.url);
    b.login(&f.officer_a.0, PASSWORD).await;
    b.get("/login/code").await;
    for _ in 0..5 {
        assert_eq!(
            b.post("/login/code", &[("code", "123456")]).await.status,
            401
        );
    }
    let next = mfa::code_at(&key, now() + time::Duration::seconds(30)).unwrap();
    let r = b.post("/login/code", &[("code", &next)]).await;
    assert_eq!(r.status, 303);
    assert_eq!(
        r.location.as_deref(),
        Some("/login"),
        "back to the password step"
    );
    assert_eq!(b.get("/").await.status, 303);
}

#[tokio::test]
async fn the_policy_makes_a_role_enrol_at_sign_in_and_an_admin_can_reset_a_lost_factor() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let (s, _) = app
        .send_json(
            Method::PUT,
            "/api/v1/settings/mfa-policy",
            &f.officer_a.2,
            &json!({"roles": ["coordinator"]}),
        )
        .await;
    assert_eq!(s, 403);
    let (s, p) = app
        .send_json(
            Method::PUT,
            "/api/v1/settings/mfa-policy",
            &f.admin.2,
            &json!({"roles": ["coordinator", "admin"]}),
        )
        .await;
    assert_eq!(s, 200, "{p}");
    let (s, _) = app
        .send_json(
            Method::PUT,
            "/api/v1/settings/mfa-policy",
            &f.admin.2,
            &json!({"roles": ["wizard"]}),
        )
        .await;
    assert_eq!(s, 422);
    let c = WebSession::new(&app.url);
    let r = c.login(&f.coordinator.0, PASSWORD).await;
    assert!(r.location.as_deref().unwrap().starts_with("/login/enrol"));
    assert_eq!(c.get("/").await.status, 303, "no session before enrolment");
    let page = c.get("/login/enrol").await;
    assert!(page.body.contains("bắt buộc"));
    let key = manual_key(&page.body);
    let again = manual_key(&c.get("/login/enrol").await.body);
    assert_eq!(again, key, "same secret on reload");
    let done = c
        .post(
            "/login/enrol",
            &[("code", &mfa::code_at(&key, now()).unwrap())],
        )
        .await;
    assert_eq!(done.status, 200);
    assert_eq!(recovery_codes(&done.body).len(), 10);
    assert_eq!(c.get("/").await.status, 200);
    // The person cannot switch it off while the policy requires it.
    assert!(c.get("/profile").await.body.contains("bắt buộc"));
    let off = c
        .post("/profile/mfa/disable", &[("password", PASSWORD)])
        .await;
    assert_eq!(off.status, 422);
    // Lost phone: the administrator resets it; the next sign-in enrols again.
    let r = app
        .api(
            Method::DELETE,
            &format!("/api/v1/users/{}/mfa", f.user_ids[1]),
            &f.officer_a.2,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = app
        .api(
            Method::DELETE,
            &format!("/api/v1/users/{}/mfa", f.user_ids[1]),
            &f.admin.2,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let again = WebSession::new(&app.url);
    let r = again.login(&f.coordinator.0, PASSWORD).await;
    assert!(r.location.as_deref().unwrap().starts_with("/login/enrol"));
    let (_, ev) = app
        .get_json("/api/v1/audit?action=mfa.reset", &f.admin.2)
        .await;
    assert_eq!(ev["items"].as_array().unwrap().len(), 1);
}

async fn outbox_text(app: &TestApp, to: &str) -> (String, String) {
    ungcuu_core::jobs::drain(&app.core, "test").await.unwrap();
    let mut found = Vec::new();
    for entry in std::fs::read_dir(app.data_dir.join("outbox")).unwrap() {
        let raw = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        if raw.contains(&format!("To: {to}")) {
            found.push(raw);
        }
    }
    found.sort();
    let raw = found.pop().expect("a message to this address");
    (mail_subject(&raw), mail_text(&raw))
}

fn link_in(text: &str, path: &str) -> String {
    let i = text.find(path).expect("link in the message");
    let start = text[..i].rfind("http").expect("an absolute link");
    let rest = &text[start..];
    rest.split(|c: char| c.is_whitespace() || c == '"' || c == '<')
        .next()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn an_invitation_by_e_mail_sets_a_password_once_and_expires() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let (s, u) = app
        .send_json(Method::POST, "/api/v1/invitations", &f.coordinator.2, &json!({"email": "moi@test.vn", "name": "Trương Thị Mới", "org_id": f.org_a, "role": "officer"}))
        .await;
    assert_eq!(s, 201, "{u}");
    let (s, _) = app
        .send_json(
            Method::POST,
            "/api/v1/invitations",
            &f.officer_a.2,
            &json!({"email": "x@test.vn", "name": "X", "org_id": f.org_b, "role": "officer"}),
        )
        .await;
    assert_eq!(s, 422, "only managers of the organisation invite");
    let (subject, text) = outbox_text(&app, "moi@test.vn").await;
    assert_eq!(subject, "[ungcuu] Mời tham gia hệ thống ứng cứu sự cố");
    assert!(text.contains("Kính gửi Trương Thị Mới"));
    let link = link_in(&text, "/invite/");
    let path = link
        .strip_prefix(&app.url)
        .expect("link uses the public URL")
        .to_string();
    let s = WebSession::new(&app.url);
    assert_eq!(
        s.login("moi@test.vn", "anything at all").await.status,
        401,
        "no password yet"
    );
    let page = s.get(&path).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("moi@test.vn"));
    assert_eq!(s.post(&path, &[("password", "short")]).await.status, 422);
    assert_eq!(
        s.post(&path, &[("password", "mật khẩu mới đủ dài")])
            .await
            .status,
        303
    );
    assert_eq!(s.get(&path).await.status, 404, "single use");
    assert_eq!(
        s.post(&path, &[("password", "another long password")])
            .await
            .status,
        404
    );
    assert_eq!(
        s.login("moi@test.vn", "mật khẩu mới đủ dài").await.status,
        303
    );

    // An invitation older than 72 hours no longer works.
    app.send_json(Method::POST, "/api/v1/invitations", &f.admin.2, &json!({"email": "cu@test.vn", "name": "Cũ", "org_id": f.org_a, "role": "viewer", "locale": "en"})).await;
    let (subject, text) = outbox_text(&app, "cu@test.vn").await;
    assert_eq!(
        subject,
        "[ungcuu] Invitation to the incident response system"
    );
    let path = link_in(&text, "/invite/").replace(&app.url, "");
    sqlx::query("UPDATE account_links SET expires_at = '2000-01-01T00:00:00.000000Z'")
        .execute(app.core.db.pool())
        .await
        .unwrap();
    assert_eq!(WebSession::new(&app.url).get(&path).await.status, 404);
    assert_eq!(
        WebSession::new(&app.url)
            .get("/invite/not-a-token")
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn a_reset_link_never_reveals_who_has_an_account_and_works_once() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let s = WebSession::new(&app.url);
    s.get("/forgot").await;
    let known = s.post("/forgot", &[("email", &f.officer_a.0)]).await;
    s.get("/forgot").await;
    let unknown = s.post("/forgot", &[("email", "nobody@test.vn")]).await;
    assert_eq!(known.status, unknown.status);
    let strip = |b: &str| b.replace(&csrf(b), "");
    assert_eq!(
        strip(&known.body),
        strip(&unknown.body),
        "same page either way"
    );
    let r1 = app
        .client
        .post(format!("{}/api/v1/password-reset", app.url))
        .json(&json!({"email": "nobody@test.vn"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r1.status(), 202);
    let other = WebSession::new(&app.url);
    other.login(&f.officer_a.0, PASSWORD).await;
    let (subject, text) = outbox_text(&app, &f.officer_a.0).await;
    assert_eq!(subject, "[ungcuu] Đặt lại mật khẩu");
    let path = link_in(&text, "/reset/").replace(&app.url, "");
    // A second request replaces the first link.
    let r2 = app
        .client
        .post(format!("{}/api/v1/password-reset", app.url))
        .json(&json!({"email": f.officer_a.0}))
        .send()
        .await
        .unwrap();
    assert_eq!(r2.status(), 202);
    assert_eq!(s.get(&path).await.status, 404, "older link revoked");
    let (_, text) = outbox_text(&app, &f.officer_a.0).await;
    let path = link_in(&text, "/reset/").replace(&app.url, "");
    assert_eq!(s.get(&path).await.status, 200);
    assert_eq!(
        s.post(&path, &[("password", "một mật khẩu hoàn toàn mới")])
            .await
            .status,
        303
    );
    assert_eq!(other.get("/").await.status, 303, "sessions end on reset");
    assert_eq!(
        WebSession::new(&app.url)
            .login(&f.officer_a.0, PASSWORD)
            .await
            .status,
        401
    );
    assert_eq!(
        WebSession::new(&app.url)
            .login(&f.officer_a.0, "một mật khẩu hoàn toàn mới")
            .await
            .status,
        303
    );
    assert_eq!(s.get(&path).await.status, 404);
}

fn csrf(html: &str) -> String {
    ungcuu_testkit::csrf_from(html).unwrap_or_default()
}

#[tokio::test]
async fn invitation_mail_travels_over_a_real_smtp_conversation() {
    let sink = SmtpSink::start().await;
    let app = TestApp::with_smtp(&sink.url()).await;
    let f = app.fixture().await;
    let (s, _) = app
        .send_json(Method::POST, "/api/v1/invitations", &f.admin.2, &json!({"email": "qua-smtp@test.vn", "name": "Đỗ Thị <b>Hoa</b>", "org_id": f.org_a, "role": "viewer"}))
        .await;
    assert_eq!(s, 201);
    ungcuu_core::jobs::drain(&app.core, "test").await.unwrap();
    let got = sink.wait_for(1, Duration::from_secs(10)).await;
    let raw = got[0].data_str();
    assert_eq!(
        mail_subject(&raw),
        "[ungcuu] Mời tham gia hệ thống ứng cứu sự cố"
    );
    let text = mail_text(&raw);
    assert!(
        text.contains("Kính gửi Đỗ Thị <b>Hoa</b>"),
        "plain text keeps the name as typed"
    );
    assert!(
        text.contains("Đỗ Thị &lt;b&gt;Hoa&lt;/b&gt;"),
        "HTML part escapes it"
    );
    assert!(text.contains("/invite/"));
}

#[tokio::test]
async fn the_audit_browser_filters_shows_one_event_and_exports_a_checkpoint() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let s = WebSession::new(&app.url);
    s.login(&f.admin.0, PASSWORD).await;
    let all = s.get("/audit").await;
    assert_eq!(all.status, 200);
    assert!(all.body.contains("org.create") && all.body.contains("auth.login"));
    let only_logins = s.get("/audit?action=auth.").await;
    assert!(
        only_logins.body.contains("auth.login")
            && !only_logins.body.contains("<code>org.create</code>")
    );
    let by_person = s.get(&format!("/audit?person={}", f.admin.0)).await;
    assert!(
        by_person.body.contains("auth.login")
            && !by_person.body.contains("<code>org.create</code>")
    );
    let nobody = s.get("/audit?person=nobody@test.vn").await;
    assert!(nobody.body.contains("Chưa có dữ liệu."));
    let by_org = s.get(&format!("/audit?org={}", f.org_b)).await;
    assert!(by_org.body.contains("org.create") && !by_org.body.contains("auth.login"));
    let future = s.get("/audit?from=2099-01-01").await;
    assert!(future.body.contains("Chưa có dữ liệu."));
    let today = ungcuu_domain::timefmt::show_date(now());
    let todays = s
        .get(&format!(
            "/audit?from={}&until={}",
            today.replace('/', "%2F"),
            today.replace('/', "%2F")
        ))
        .await;
    assert!(todays.body.contains("org.create"));
    let one = s.get("/audit/1").await;
    assert_eq!(one.status, 200);
    assert!(
        one.body.contains("org.create")
            && one
                .body
                .contains("0000000000000000000000000000000000000000000000000000000000000000")
    );
    assert_eq!(s.get("/audit/999999").await.status, 404);
    let cp = s.get("/audit/checkpoint.json").await;
    assert!(cp.headers["content-disposition"].starts_with("attachment"));
    let cp: serde_json::Value = serde_json::from_str(&cp.body).unwrap();
    assert_eq!(cp["format"], "ungcuu-audit-checkpoint-v1");
    assert_eq!(
        cp["seq"].as_i64().unwrap(),
        app.audit_count().await,
        "the checkpoint is the current head; reading adds nothing"
    );
    // An officer sees no audit pages.
    let o = WebSession::new(&app.url);
    o.login(&f.officer_a.0, PASSWORD).await;
    assert_eq!(o.get("/audit").await.status, 403);
    assert_eq!(o.get("/audit/1").await.status, 404);
    assert_eq!(o.get("/audit/checkpoint.json").await.status, 403);
}

#[tokio::test]
async fn a_consistently_rewritten_chain_passes_plain_verify_but_fails_against_a_checkpoint() {
    let app = spawn_app().await;
    let _f = app.fixture().await;
    let cp = ungcuu_core::audit::checkpoint(&app.core, &ungcuu_core::Actor::cli())
        .await
        .unwrap();
    assert!(matches!(
        ungcuu_core::audit::verify_against(&app.core, &cp)
            .await
            .unwrap(),
        Verdict::Intact { .. }
    ));
    // An attacker with the database rewrites event 2 and recomputes every hash after it.
    let mut c = app.core.db.conn().await.unwrap();
    let head = ungcuu_store::audit::head(&mut c).await.unwrap().0;
    let mut prev = ungcuu_domain::audit::GENESIS.to_string();
    for seq in 1..=head {
        let mut e = ungcuu_store::audit::get(&mut c, seq)
            .await
            .unwrap()
            .unwrap();
        if seq == 2 {
            e.summary = "{\"rewritten\":true}".into();
        }
        let fields = ungcuu_domain::audit::AuditFields {
            seq: e.seq,
            id: &e.id,
            occurred_at: &e.occurred_at,
            actor_user_id: e.actor_user_id.as_deref(),
            actor_label: &e.actor_label,
            organization_id: e.organization_id.as_deref(),
            action: &e.action,
            object_type: &e.object_type,
            object_id: e.object_id.as_deref(),
            summary: &e.summary,
            request_id: e.request_id.as_deref(),
        };
        let h = fields.hash(&prev);
        sqlx::query(
            "UPDATE audit_events SET summary = $1, prev_hash = $2, hash = $3 WHERE seq = $4",
        )
        .bind(e.summary.clone())
        .bind(prev.clone())
        .bind(h.clone())
        .bind(seq)
        .execute(&mut *c)
        .await
        .unwrap();
        prev = h;
    }
    sqlx::query("UPDATE audit_head SET hash = $1")
        .bind(prev)
        .execute(&mut *c)
        .await
        .unwrap();
    assert!(
        matches!(
            ungcuu_core::audit::verify(&app.core).await.unwrap(),
            Verdict::Intact { .. }
        ),
        "plain verify cannot tell"
    );
    match ungcuu_core::audit::verify_against(&app.core, &cp)
        .await
        .unwrap()
    {
        Verdict::Broken { seq, .. } => assert_eq!(seq, cp.seq),
        v => panic!("rewrite not detected: {v:?}"),
    }
}

#[tokio::test]
async fn audit_checkpoint_and_verify_from_checkpoint_on_the_command_line() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let bin = env!("CARGO_BIN_EXE_ungcuu");
    let data = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(bin)
        .args(["--database-url", &app.database_url, "--data-dir"])
        .arg(data.path())
        .args(["audit", "checkpoint"])
        .env("UNGCUU_LOG", "warn")
        .output()
        .unwrap();
    assert!(out.status.success());
    let cp_path = data.path().join("cp.json");
    std::fs::write(&cp_path, &out.stdout).unwrap();
    // More events after the checkpoint: still extends it.
    app.send_json(
        Method::POST,
        "/api/v1/organizations",
        &f.admin.2,
        &json!({"slug": "sau-cp", "name": "Sau", "kind": "unit", "parent_id": f.org_a}),
    )
    .await;
    let verify = |path: &std::path::Path| {
        std::process::Command::new(bin)
            .args(["--database-url", &app.database_url, "--data-dir"])
            .arg(data.path())
            .args(["audit", "verify", "--from-checkpoint"])
            .arg(path)
            .env("UNGCUU_LOG", "warn")
            .output()
            .unwrap()
    };
    assert!(verify(&cp_path).status.success());
    let mut forged: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    forged["hash"] = json!("ff".repeat(32));
    std::fs::write(&cp_path, forged.to_string()).unwrap();
    let r = verify(&cp_path);
    assert!(!r.status.success());
    assert!(String::from_utf8_lossy(&r.stderr).contains("rewritten"));
    std::fs::write(&cp_path, "not json").unwrap();
    assert!(!verify(&cp_path).status.success());
}
