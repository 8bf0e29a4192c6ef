//! Not a check: `cargo test -p ungcuu --test suite -- --ignored screenshots` saves a picture of
//! each main page (signed in as the administrator of the demo province) into
//! `UNGCUU_SCREENSHOT_DIR` for a person to look at.

use ungcuu_testkit::spawn_app;
use ungcuu_testkit::webdriver::Browser;

#[tokio::test]
#[ignore = "produces pictures for people to review; run on demand"]
async fn screenshots_of_the_main_pages() {
    let app = spawn_app().await;
    let demo = ungcuu_core::demo::load(&app.core).await.unwrap();
    let password = demo.password.unwrap();
    let b = Browser::launch().await.unwrap();
    b.goto(&format!("{}/login", app.url)).await.unwrap();
    b.keep_screenshot("01-login").await.unwrap();
    b.find("#email")
        .await
        .unwrap()
        .send_keys("admin@demo.test")
        .await
        .unwrap();
    b.find("#password")
        .await
        .unwrap()
        .send_keys(&password)
        .await
        .unwrap();
    b.find("#login-submit")
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.wait_for("#current-user", std::time::Duration::from_secs(10))
        .await
        .unwrap();
    let token = ungcuu_core::tokens::create_for(
        &app.core,
        &ungcuu_core::Actor::cli(),
        {
            let mut c = app.core.db.conn().await.unwrap();
            ungcuu_store::users::by_email(&mut c, "admin@demo.test")
                .await
                .unwrap()
                .unwrap()
                .id
        },
        "shots",
    )
    .await
    .unwrap()
    .1;
    let (_, orgs) = app
        .get_json("/api/v1/organizations?q=so-y-te", &token)
        .await;
    let org = orgs["items"][0]["id"].as_str().unwrap().to_string();
    // An incident of the demo with a Mẫu 03 draft, and a Mẫu 05 draft for this year.
    let (_, incidents) = app.get_json("/api/v1/incidents?limit=1", &token).await;
    let incident = incidents["items"][0]["id"].as_str().unwrap().to_string();
    let (_, m3) = app
        .send_json(
            reqwest::Method::POST,
            "/api/v1/documents",
            &token,
            &serde_json::json!({"form": "mau03", "incident_id": incident}),
        )
        .await;
    let (_, coordinators) = app
        .get_json("/api/v1/organizations?kind=coordinator", &token)
        .await;
    let year = time::OffsetDateTime::now_utc().year();
    let (_, m5) = app
        .send_json(
            reqwest::Method::POST,
            "/api/v1/documents",
            &token,
            &serde_json::json!({"form": "mau05", "org_id": coordinators["items"][0]["id"],
                "period_kind": "annual", "period_from": format!("{year}-01"),
                "period_to": format!("{year}-12")}),
        )
        .await;
    let doc = |d: &serde_json::Value| d["id"].as_str().unwrap_or_default().to_string();
    for (name, path) in [
        ("02-home", "/".to_string()),
        ("03-orgs", "/orgs".into()),
        ("04-org", format!("/orgs/{org}")),
        ("05-org-edit", format!("/orgs/{org}/edit")),
        ("06-users", "/users".into()),
        ("07-user-new", "/users/new".into()),
        ("08-tokens", "/tokens".into()),
        ("09-audit", "/audit".into()),
        ("10-profile", "/profile".into()),
        ("11-api-docs", "/api/docs".into()),
        ("12-not-found", "/nowhere".into()),
        ("13-profile", format!("/orgs/{org}/profile")),
        ("14-directory", "/directory".into()),
        ("15-team", "/team".into()),
        ("16-notifications", "/notifications".into()),
        ("17-settings", "/settings".into()),
        ("18-mfa", "/profile".into()),
        ("19-systems", "/systems".into()),
        ("20-constituency", "/constituency?q=203.0.113.10".into()),
        ("21-org-constituency", format!("/orgs/{org}/constituency")),
        ("22-incident", format!("/incidents/{incident}")),
        ("23-mau03-draft", format!("/documents/{}", doc(&m3))),
        ("24-mau05-draft", format!("/documents/{}", doc(&m5))),
        ("25-deadlines", "/deadlines".into()),
        ("26-document-settings", "/settings/documents".into()),
    ] {
        b.goto(&format!("{}{path}", app.url)).await.unwrap();
        let p = b.keep_screenshot(name).await.unwrap();
        eprintln!("{}", p.display());
    }
    let _ = b.close().await;
}
