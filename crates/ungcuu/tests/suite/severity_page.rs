//! The coordinator's page for the severity rules: shows the rules in force, refuses bad
//! thresholds by field without writing, saves what the API then reads, and is closed to others.

use ungcuu_testkit::{PASSWORD, WebSession, spawn_app};

#[tokio::test]
async fn the_coordinator_edits_the_severity_rules_on_a_page_and_bad_thresholds_are_named() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let web = WebSession::new(&app.url);
    web.login(&f.coordinator.0, PASSWORD).await;
    let page = web.get("/settings/severity").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("id=\"on-system_level\" checked"),
        "{}",
        page.body
    );
    assert!(page.body.contains("value=\"24\""), "{}", page.body);
    let before = app.audit_count().await;
    // Not a number, and a level beyond 5: each named under its field, nothing written.
    let r = web
        .post(
            "/settings/severity",
            &[("on.system_level", "1"), ("at_least.system_level", "ba")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Phải là số nguyên"), "{}", r.body);
    assert!(
        r.body.contains("value=\"ba\""),
        "the typed value stays: {}",
        r.body
    );
    let r = web
        .post(
            "/settings/severity",
            &[("on.system_level", "1"), ("at_least.system_level", "9")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("class=\"field-error\""), "{}", r.body);
    assert_eq!(app.audit_count().await, before);
    // Two organisations become three; the level rule is switched off.
    let r = web
        .post(
            "/settings/severity",
            &[
                ("at_least.system_level", "3"),
                ("on.organizations", "1"),
                ("at_least.organizations", "3"),
                ("on.personal_data", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let (s, rules) = app
        .get_json("/api/v1/settings/severity-rules", &f.coordinator.2)
        .await;
    assert_eq!(s, 200);
    let list = rules["rules"].as_array().unwrap();
    assert_eq!(list.len(), 2, "{rules}");
    assert!(rules.to_string().contains(r#""at_least":3"#), "{rules}");
    assert!(!rules.to_string().contains("system_level"), "{rules}");
    assert_eq!(app.audit_count().await, before + 1);
    // An officer may not open it.
    let officer = WebSession::new(&app.url);
    officer.login(&f.officer_a.0, PASSWORD).await;
    assert_eq!(officer.get("/settings/severity").await.status, 403);
    let r = officer
        .post("/settings/severity", &[("on.personal_data", "1")])
        .await;
    assert_eq!(r.status, 403);
}

/// A report naming a system of the registry must name one of the reporting organisation's
/// systems; the registry fills the name when the form left it empty.
#[tokio::test]
async fn a_reported_system_must_be_in_the_reporting_organisations_registry() {
    use reqwest::Method;
    use serde_json::json;
    let app = spawn_app().await;
    let f = app.fixture().await;
    let mut ids = Vec::new();
    for (org, name) in [
        (f.org_a, "Cổng thông tin Sở A"),
        (f.org_b, "Cổng thông tin Sở B"),
    ] {
        let (s, sys) = app
            .send_json(
                Method::POST,
                "/api/v1/systems",
                &f.admin.2,
                &json!({"owner_org_id": org, "name": name, "security_level": 2}),
            )
            .await;
        assert_eq!(s, 201, "{sys}");
        ids.push(sys["id"].as_str().unwrap().to_string());
    }
    let before = app.audit_count().await;
    for bad in [ids[1].clone(), uuid::Uuid::now_v7().to_string()] {
        let mut body = crate::incidents::report_body(f.org_a, "Sự cố hệ thống lạ");
        body["system_id"] = json!(bad);
        let (s, e) = app
            .send_json(Method::POST, "/api/v1/incidents", &f.officer_a.2, &body)
            .await;
        assert_eq!(s, 422, "{e}");
        assert_eq!(e["errors"][0]["field"], "system_id", "{e}");
        assert!(
            !e.to_string().contains("Sở B"),
            "no name of B's system: {e}"
        );
    }
    assert_eq!(app.audit_count().await, before);
    let mut body = crate::incidents::report_body(f.org_a, "Sự cố cổng Sở A");
    body["system_id"] = json!(ids[0]);
    body["system_name"] = json!("");
    let (s, i) = app
        .send_json(Method::POST, "/api/v1/incidents", &f.officer_a.2, &body)
        .await;
    assert_eq!(s, 201, "{i}");
    assert_eq!(i["system_id"], ids[0].as_str());
    assert_eq!(i["system_name"], "Cổng thông tin Sở A", "{i}");
    // The form offers A's system to A's officer, and not B's.
    let web = WebSession::new(&app.url);
    web.login(&f.officer_a.0, PASSWORD).await;
    let form = web.get("/incidents/new").await;
    assert!(
        form.body.contains(&format!("value=\"{}\"", ids[0])),
        "{}",
        form.body
    );
    assert!(!form.body.contains(&ids[1]), "{}", form.body);
    assert!(!form.body.contains("Cổng thông tin Sở B"));
}
