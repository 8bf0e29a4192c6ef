use reqwest::Method;
use serde_json::json;
use ungcuu_testkit::spawn_app;

#[tokio::test]
async fn without_a_token_the_api_answers_401_problem_details() {
    let app = spawn_app().await;
    let r = app
        .client
        .get(format!("{}/api/v1/me", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/problem+json")
    );
    let b: serde_json::Value = r.json().await.unwrap();
    assert_eq!(b["status"], 401);
    assert!(b["instance"].as_str().unwrap().starts_with("urn:request:"));
    let r = app
        .api(Method::GET, "/api/v1/me", "ugc_made-up")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn me_lists_memberships_and_the_actions_the_caller_may_take() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let (s, me) = app.get_json("/api/v1/me", &f.officer_a.2).await;
    assert_eq!(s, 200);
    assert_eq!(me["email"], "officer-a@test.vn");
    assert_eq!(me["memberships"][0]["role"], "officer");
    assert_eq!(me["memberships"][0]["org_id"], f.org_a.to_string());
    let actions: Vec<&str> = me["actions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a.as_str())
        .collect();
    assert!(actions.contains(&"org.read"));
    assert!(!actions.contains(&"user.manage"));
}

#[tokio::test]
async fn invalid_bodies_get_problem_details_naming_the_field_and_write_nothing() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let t = &f.admin.2;
    let before = app.audit_count().await;
    let (s, b) = app
        .send_json(
            Method::POST,
            "/api/v1/organizations",
            t,
            &json!({"slug": "Bad Slug", "name": "", "kind": "galaxy", "parent_id": f.province}),
        )
        .await;
    assert_eq!(s, 422);
    let fields: Vec<&str> = b["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["slug", "name", "kind"]);
    let (s, b) = app.send_json(Method::POST, "/api/v1/organizations", t, &json!({"slug": "ok-slug", "name": "X", "kind": "unit", "parent_id": f.province, "id": "chosen"})).await;
    assert_eq!(s, 422, "unknown fields are refused (no mass assignment)");
    assert_eq!(b["errors"][0]["field"], "id");
    let (s, b) = app
        .send_json(
            Method::POST,
            "/api/v1/users",
            t,
            &json!({"email": "x@test.vn", "name": "X", "role": "viewer"}),
        )
        .await;
    assert_eq!(s, 422);
    assert_eq!(b["errors"][0]["field"], "org_id");
    let r = app
        .api(Method::POST, "/api/v1/organizations", t)
        .body("{not json")
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let r = app
        .api(Method::POST, "/api/v1/organizations", t)
        .body("slug=x")
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 415);
    let huge = "x".repeat(2 * 1024 * 1024);
    let r = app
        .api(Method::POST, "/api/v1/organizations", t)
        .body(huge)
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    assert_eq!(app.audit_count().await, before);
    let (s, b) = app
        .send_json(
            Method::POST,
            "/api/v1/organizations",
            t,
            &json!({"slug": "so-a", "name": "Trùng", "kind": "unit", "parent_id": f.province}),
        )
        .await;
    assert_eq!(s, 422);
    assert_eq!(b["errors"][0]["field"], "slug");
    assert_eq!(b["errors"][0]["message"], "Mã này đã được dùng.");
    let (s, b) = app.send_json(Method::POST, "/api/v1/users", t, &json!({"email": "OFFICER-A@test.vn", "name": "Trùng", "org_id": f.org_a, "role": "viewer"})).await;
    assert_eq!(s, 422);
    assert_eq!(b["errors"][0]["field"], "email");
}

#[tokio::test]
async fn an_organisation_cannot_be_moved_under_itself() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let (s, b) = app
        .send_json(
            Method::PATCH,
            &format!("/api/v1/organizations/{}", f.org_a),
            &f.admin.2,
            &json!({"parent_id": f.unit_a}),
        )
        .await;
    assert_eq!(s, 422);
    assert_eq!(b["errors"][0]["field"], "parent_id");
}

#[tokio::test]
async fn lists_are_keyset_paginated_and_search_folds_diacritics() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    for i in 0..7 {
        app.send_json(Method::POST, "/api/v1/organizations", &f.admin.2, &json!({"slug": format!("xa-{i}"), "name": format!("Ủy ban nhân dân xã Số {i}"), "kind": "commune", "parent_id": f.province})).await;
    }
    let mut seen = Vec::new();
    let mut after = String::new();
    loop {
        let (s, page) = app
            .get_json(
                &format!("/api/v1/organizations?limit=4&after={after}"),
                &f.admin.2,
            )
            .await;
        assert_eq!(s, 200);
        for o in page["items"].as_array().unwrap() {
            seen.push(o["id"].as_str().unwrap().to_string());
        }
        match page["next"].as_str() {
            Some(n) => after = n.to_string(),
            None => break,
        }
    }
    let mut dedup = seen.clone();
    dedup.sort();
    dedup.dedup();
    assert_eq!(seen.len(), 13);
    assert_eq!(dedup.len(), 13);
    let (_, found) = app
        .get_json(
            "/api/v1/organizations?q=uy%20ban%20nhan%20dan%20xa%20so%203",
            &f.admin.2,
        )
        .await;
    assert_eq!(found["items"].as_array().unwrap().len(), 1);
    let (s, _) = app
        .get_json("/api/v1/organizations?after=not-a-uuid", &f.admin.2)
        .await;
    assert_eq!(s, 422);
    let (s, _) = app
        .get_json("/api/v1/organizations/not-a-uuid", &f.admin.2)
        .await;
    assert_eq!(s, 404);
}

#[tokio::test]
async fn the_openapi_document_and_docs_page_describe_every_endpoint_offline() {
    let app = spawn_app().await;
    let r = app
        .client
        .get(format!("{}/api/openapi.json", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let doc: serde_json::Value = r.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for p in [
        "/api/v1/me",
        "/api/v1/organizations",
        "/api/v1/organizations/{id}",
        "/api/v1/users",
        "/api/v1/users/{id}",
        "/api/v1/memberships",
        "/api/v1/memberships/{id}",
        "/api/v1/tokens",
        "/api/v1/tokens/{id}",
        "/api/v1/audit",
        "/api/v1/grants",
        "/api/v1/grants/{id}",
        "/healthz",
        "/readyz",
    ] {
        assert!(doc["paths"].get(p).is_some(), "{p} missing from OpenAPI");
    }
    let html = app
        .client
        .get(format!("{}/api/docs", app.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("PATCH /api/v1/organizations/{id}"));
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "docs page loads nothing from elsewhere"
    );
}

#[tokio::test]
async fn health_and_readiness_answer_without_signing_in() {
    let app = spawn_app().await;
    for p in ["/healthz", "/readyz"] {
        let r = app
            .client
            .get(format!("{}{p}", app.url))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{p}");
    }
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = spawn_app().await;
    for p in [
        "/login",
        "/api/v1/me",
        "/healthz",
        "/assets/app.css",
        "/nowhere",
        "/api/nowhere",
    ] {
        let r = app
            .client
            .get(format!("{}{p}", app.url))
            .send()
            .await
            .unwrap();
        let h = r.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("frame-ancestors 'none'")
                && csp.contains("object-src 'none'")
                && csp.contains("base-uri 'none'"),
            "{p}"
        );
        assert!(!csp.contains("unsafe-inline"), "{p}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{p}");
        assert_eq!(h["referrer-policy"], "same-origin", "{p}");
        assert!(
            h["content-type"]
                .to_str()
                .unwrap()
                .contains("charset=utf-8"),
            "{p}"
        );
        assert!(h.contains_key("x-request-id"), "{p}");
    }
}

#[tokio::test]
async fn unknown_pages_are_localised_404s() {
    let app = spawn_app().await;
    let r = app
        .client
        .get(format!("{}/nowhere", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert!(r.text().await.unwrap().contains("Không tìm thấy"));
    let r = app
        .client
        .get(format!("{}/nowhere", app.url))
        .header("cookie", "ungcuu_lang=en")
        .send()
        .await
        .unwrap();
    assert!(r.text().await.unwrap().contains("Not found"));
}

#[tokio::test]
async fn malformed_queries_and_mistyped_fields_are_problem_details_naming_the_field() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let r = app
        .api(
            Method::GET,
            "/api/v1/organizations?parent=not-a-uuid",
            &f.admin.2,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/problem+json")
    );
    let (s, b) = app
        .send_json(
            Method::POST,
            "/api/v1/users",
            &f.admin.2,
            &json!({"email": "x@test.vn", "name": "X", "org_id": f.org_a, "role": 7}),
        )
        .await;
    assert_eq!(s, 422);
    assert_eq!(b["errors"][0]["field"], "role", "{b}");
    let (s, b) = app
        .send_json(
            Method::POST,
            "/api/v1/grants",
            &f.admin.2,
            &json!({"object_type": "organization", "object_id": "nope", "access": "read"}),
        )
        .await;
    assert_eq!(s, 422);
    assert_eq!(b["errors"][0]["field"], "object_id", "{b}");
    let r = app
        .api(Method::POST, "/api/v1/tokens", &f.admin.2)
        .header("content-type", "application/json")
        .body("{\"label\": \"a\"} trailing")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn an_id_that_is_not_one_is_a_missing_row_after_the_sign_in_check() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    // The API: a 404 problem for the signed-in caller, 401 before that.
    for (method, path) in [
        (Method::GET, "/api/v1/incidents/not-a-uuid"),
        (Method::PUT, "/api/v1/incidents/not-a-uuid/outcome"),
        (Method::GET, "/api/v1/documents/not-a-uuid"),
        (Method::GET, "/api/v1/tasks/not-a-uuid"),
        (Method::POST, "/api/v1/requests/not-a-uuid/replies"),
    ] {
        let (s, p) = app
            .send_json(method.clone(), path, &f.officer_a.2, &json!({}))
            .await;
        assert_eq!(s, 404, "{path}: {p}");
        assert_eq!(
            p["status"], 404,
            "{path}: problem details expected, got {p}"
        );
        let r = app
            .client
            .request(method, format!("{}{path}", app.url))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 401, "{path} without a token");
    }
    // The pages: the localised 404 page once signed in, the sign-in page before.
    let anon = ungcuu_testkit::WebSession::new(&app.url);
    let r = anon.get("/incidents/not-a-uuid").await;
    assert_eq!(r.status, 303, "not signed in: sent to sign in");
    let s = ungcuu_testkit::WebSession::new(&app.url);
    assert_eq!(
        s.login(&f.officer_a.0, ungcuu_testkit::PASSWORD)
            .await
            .status,
        303
    );
    for path in [
        "/incidents/not-a-uuid",
        "/documents/x",
        "/orgs/1",
        "/systems/%20",
    ] {
        let r = s.get(path).await;
        assert_eq!(r.status, 404, "{path}");
        assert!(
            r.body.contains("<html"),
            "{path}: a page, not a bare status"
        );
    }
    let r = s
        .post(
            "/incidents/not-a-uuid/outcome",
            &[("estimated_damage_vnd", "1")],
        )
        .await;
    assert_eq!(r.status, 404);
}
