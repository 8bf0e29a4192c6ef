//! The XSS corpus written into every text field and shown inert on every page that renders it.

use reqwest::Method;
use serde_json::json;
use ungcuu_testkit::{PASSWORD, WebSession, XSS_CORPUS, assert_inert, spawn_app};

#[tokio::test]
async fn payloads_in_every_text_field_stay_inert_on_every_page() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let t = &f.admin.2;
    let s = WebSession::new(&app.url);
    assert_eq!(s.login(&f.admin.0, PASSWORD).await.status, 303);
    // Every XSS organisation's domain below nests in this one: the conflicts list names them.
    let (st, _) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/organizations/{}/constituency", f.org_a),
            t,
            &json!({"kind": "domain", "value": "example.vn"}),
        )
        .await;
    assert_eq!(st, 201);
    for (i, p) in XSS_CORPUS.iter().enumerate() {
        let (st, org) = app
            .send_json(Method::POST, "/api/v1/organizations", t, &json!({"slug": format!("xss-{i}"), "name": p, "short_name": p.chars().take(60).collect::<String>(), "kind": "unit", "parent_id": f.org_a}))
            .await;
        assert_eq!(st, 201, "{p}: {org}");
        let org_id = org["id"].as_str().unwrap().to_string();
        let (st, user) = app
            .send_json(Method::POST, "/api/v1/users", t, &json!({"email": format!("xss{i}@test.vn"), "name": p, "org_id": org_id, "role": "viewer", "password": PASSWORD}))
            .await;
        assert_eq!(st, 201, "{p}");
        let user_id = user["id"].as_str().unwrap().to_string();
        let (st, _) = app
            .send_json(Method::POST, "/api/v1/tokens", t, &json!({"label": p}))
            .await;
        assert_eq!(st, 201);
        let (st, _) = app
            .send_json(
                Method::POST,
                &format!("/api/v1/organizations/{org_id}/constituency"),
                t,
                &json!({"kind": "domain", "value": format!("xss{i}.example.vn"), "note": p}),
            )
            .await;
        assert_eq!(st, 201, "{p}");
        let (_, latest) = app
            .get_json("/api/v1/audit?limit=1&action=token.create", t)
            .await;
        let event = latest["items"][0]["seq"].as_i64().unwrap();
        let (_, created) = app
            .get_json(
                &format!("/api/v1/audit?limit=1&action=org.create&object_id={org_id}"),
                t,
            )
            .await;
        let org_event = created["items"][0]["seq"].as_i64().unwrap();
        for page in [
            format!("/audit/{event}"),
            format!("/audit/{org_event}"),
            format!("/audit?action={}", urlenc(p)),
            "/profile".into(),
            "/settings".into(),
            "/users/invite".into(),
            "/".to_string(),
            "/orgs".into(),
            format!("/orgs?q={}", urlenc(p)),
            format!("/orgs/{org_id}"),
            format!("/orgs/{org_id}/edit"),
            format!("/orgs/{}", f.org_a),
            "/users".into(),
            format!("/users?q={}", urlenc(p)),
            format!("/users/{user_id}"),
            "/tokens".into(),
            "/audit".into(),
            "/users/new".into(),
            "/orgs/new".into(),
            format!("/orgs/{org_id}/constituency"),
            format!("/constituency?q=www.xss{i}.example.vn"),
            "/constituency".into(),
        ] {
            let r = s.get(&page).await;
            assert_eq!(r.status, 200, "{page}");
            assert_inert(&r.body, p, &page);
        }
        // The payload is shown (escaped), so the check above looked at the right place.
        let r = s.get(&format!("/orgs/{org_id}")).await;
        assert!(
            r.body.contains("&lt;") || r.body.contains("&#") || !p.contains('<'),
            "{p} not rendered at all"
        );
    }
    // The payload as a lookup, an entry and an import file, refused and shown back.
    for p in XSS_CORPUS {
        let r = s.get(&format!("/constituency?q={}", urlenc(p))).await;
        assert_inert(&r.body, p, "constituency lookup");
        let page = format!("/orgs/{}/constituency", f.org_a);
        s.get(&page).await;
        let r = s
            .post(&page, &[("kind", "domain"), ("value", p), ("note", p)])
            .await;
        assert_eq!(r.status, 422, "{p}");
        assert_inert(&r.body, p, "constituency entry form");
        let r = s
            .post(&format!("{page}/import"), &[("csv", p), ("mode", "check")])
            .await;
        assert_inert(&r.body, p, "constituency import form");
    }
    // The payload as a search query, a login e-mail and a "next" link.
    for p in XSS_CORPUS {
        let anon = WebSession::new(&app.url);
        let r = anon.login(p, "whatever").await;
        assert_inert(&r.body, p, "login form");
        let r = anon.get(&format!("/login?next={}", urlenc(p))).await;
        assert_inert(&r.body, p, "login next");
    }
}

#[tokio::test]
async fn api_answers_are_json_so_payloads_are_data_not_markup() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let p = XSS_CORPUS[0];
    let (_, org) = app
        .send_json(
            Method::POST,
            "/api/v1/organizations",
            &f.admin.2,
            &json!({"slug": "xss-api", "name": p, "kind": "unit", "parent_id": f.org_a}),
        )
        .await;
    let r = app
        .api(
            Method::GET,
            &format!("/api/v1/organizations/{}", org["id"].as_str().unwrap()),
            &f.admin.2,
        )
        .send()
        .await
        .unwrap();
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["name"], p);
}

fn urlenc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn payloads_in_names_stay_inert_in_the_html_of_invitation_e_mails() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    for (i, p) in XSS_CORPUS.iter().enumerate() {
        let (s, _) = app
            .send_json(Method::POST, "/api/v1/invitations", &f.admin.2, &json!({"email": format!("moi{i}@test.vn"), "name": p, "org_id": f.org_a, "role": "viewer"}))
            .await;
        assert_eq!(s, 201, "{p}");
    }
    ungcuu_core::jobs::drain(&app.core, "test").await.unwrap();
    let mut seen = 0;
    for entry in std::fs::read_dir(app.data_dir.join("outbox")).unwrap() {
        let raw = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let html = ungcuu_testkit::mail_html(&raw).expect("an HTML part");
        for p in XSS_CORPUS {
            assert_inert(&html, p, "invitation e-mail");
        }
        seen += 1;
    }
    assert_eq!(seen, XSS_CORPUS.len());
}

#[tokio::test]
async fn payloads_in_profiles_focal_points_and_the_team_stay_inert() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let s = WebSession::new(&app.url);
    s.login(&f.coordinator.0, PASSWORD).await;
    app.send_json(
        Method::POST,
        "/api/v1/team/members",
        &f.coordinator.2,
        &json!({"user_id": f.user_ids[2], "skills": "ban đầu"}),
    )
    .await;
    for (i, p) in XSS_CORPUS.iter().enumerate() {
        let clipped: String = p.chars().take(190).collect();
        let code: String = p.chars().take(40).collect();
        let (st, b) = app
            .send_json(Method::PUT, &format!("/api/v1/organizations/{}/profile", f.org_a), &f.coordinator.2, &json!({"address": p, "leader_name": clipped, "response_capability": p, "owning_body": clipped, "member_code": code}))
            .await;
        assert_eq!(st, 200, "{p}: {b}");
        let (st, b) = app
            .send_json(Method::POST, &format!("/api/v1/organizations/{}/focal-points", f.org_a), &f.coordinator.2, &json!({"kind": if i % 2 == 0 { "primary" } else { "backup" }, "name": clipped, "title": clipped, "email": format!("fp{i}@test.vn"), "address": p}))
            .await;
        assert_eq!(st, 201, "{p}: {b}");
        let (st, _) = app
            .send_json(
                Method::POST,
                "/api/v1/team/convenings",
                &f.coordinator.2,
                &json!({"reason": p, "incident_ref": p.chars().take(100).collect::<String>()}),
            )
            .await;
        assert_eq!(st, 201);
        for page in [
            format!("/orgs/{}/profile", f.org_a),
            "/directory".into(),
            "/team".into(),
            "/notifications".into(),
        ] {
            let r = s.get(&page).await;
            assert_eq!(r.status, 200, "{page}");
            assert_inert(&r.body, p, &page);
        }
        let r = s.get(&format!("/orgs/{}/profile", f.org_a)).await;
        assert_inert(&r.body, &code, "member code on the profile");
        let o = WebSession::new(&app.url);
        o.login(&f.officer_a.0, PASSWORD).await;
        let r = o.get("/notifications").await;
        assert_inert(&r.body, p, "member notifications");
    }
}

#[tokio::test]
async fn payloads_in_the_document_place_and_network_member_codes_stay_inert() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let coordinator = WebSession::new(&app.url);
    coordinator.login(&f.coordinator.0, PASSWORD).await;
    let officer = WebSession::new(&app.url);
    officer.login(&f.officer_a.0, PASSWORD).await;
    let id = crate::documents::report(
        &app,
        &f.officer_a.2,
        &crate::incidents::report_body(f.org_a, "Sự cố XSS văn bản"),
    )
    .await;
    let doc = crate::documents::issued(&app, &f.officer_a.2, "mau03", &id).await;
    let doc_page = format!("/documents/{}", doc["id"].as_str().unwrap());
    for p in XSS_CORPUS {
        let place: String = p.chars().take(100).collect();
        let (st, b) = app
            .send_json(Method::PUT, "/api/v1/settings/documents", &f.coordinator.2, &json!({"place": place, "national_coordinator_email": "vncert@test.vn", "national_approval": false}))
            .await;
        assert_eq!(st, 200, "{p}: {b}");
        let r = coordinator.get("/settings/documents").await;
        assert_eq!(r.status, 200);
        assert_inert(&r.body, &place, "document settings");
        let code: String = p.chars().take(40).collect();
        let (st, b) = app
            .send_json(
                Method::PUT,
                &format!("/api/v1/organizations/{}/profile", f.coordinator_org),
                &f.admin.2,
                &json!({"member_code": code}),
            )
            .await;
        assert_eq!(st, 200, "{p}: {b}");
        let r = officer.get(&doc_page).await;
        assert_eq!(r.status, 200);
        assert!(r.body.contains("name=\"member\""), "the member is offered");
        assert_inert(&r.body, &code, "send form's network members");
    }
}

#[tokio::test]
async fn payloads_in_information_system_fields_stay_inert_on_every_systems_page() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let t = &f.admin.2;
    let s = WebSession::new(&app.url);
    assert_eq!(s.login(&f.admin.0, PASSWORD).await.status, 303);
    let quote = |v: &str| format!("\"{}\"", v.replace('"', "\"\""));
    for (i, p) in XSS_CORPUS.iter().enumerate() {
        // `|` and `;` separate software items in the CSV, so software fields refuse them.
        let sw = p.replace(['|', ';'], "");
        let (st, sys) = app
            .send_json(Method::POST, "/api/v1/systems", t, &json!({
                "owner_org_id": f.org_a, "name": p, "purpose": p, "security_provider": p,
                "connectivity_provider": p, "security_level": 3, "level_status": "approved",
                "approval_decision_no": p, "approval_date": "2025-01-01", "os": p, "os_version": p,
                "software": [{"vendor": sw, "product": sw, "version": sw}],
                "domains": [format!("xss{i}.example.vn")]
            }))
            .await;
        assert_eq!(st, 201, "{p}: {sys}");
        let id = sys["id"].as_str().unwrap();
        for page in [
            "/systems".to_string(),
            format!("/systems?q={}", urlenc(p)),
            format!("/systems?owner={}", f.org_a),
            format!("/systems/{id}"),
            format!("/systems/{id}/edit"),
            "/systems/new".into(),
            "/systems/import".into(),
        ] {
            let r = s.get(&page).await;
            assert_eq!(r.status, 200, "{page}");
            assert_inert(&r.body, p, &page);
        }
        // A refused form and a refused import show the payload back, escaped.
        let r = s
            .post(
                "/systems",
                &[
                    ("name", p),
                    ("owner_org_id", &f.org_a.to_string()),
                    ("purpose", p),
                    ("ips", p),
                    ("domains", p),
                    ("hostnames", p),
                    ("software", p),
                ],
            )
            .await;
        assert_eq!(r.status, 422, "{p}");
        assert_inert(&r.body, p, "system form");
        let csv = format!(
            "owner_slug,name,domains,ips,{}\nso-a,{},{},{},x\n",
            quote(p),
            quote(p),
            quote(p),
            quote(p)
        );
        let (st, page) =
            crate::systems::post_multipart(&app, &s, "/systems/import", csv.as_bytes(), "").await;
        assert_eq!(st, 422, "{p}");
        assert_inert(&page, p, "import report (header)");
        let csv = format!(
            "owner_slug,name,domains,ips\nso-a,{},{},{}\n",
            quote(p),
            quote(p),
            quote(p)
        );
        let (st, page) =
            crate::systems::post_multipart(&app, &s, "/systems/import", csv.as_bytes(), "").await;
        assert_eq!(st, 422, "{p}");
        assert_inert(&page, p, "import report (rows)");
    }
}

#[tokio::test]
async fn payloads_in_incident_fields_stay_inert_on_the_queue_and_the_incident_page() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let s = WebSession::new(&app.url);
    assert_eq!(s.login(&f.coordinator.0, PASSWORD).await.status, 303);
    let t = &f.coordinator.2;
    for p in XSS_CORPUS {
        let line: String = p.chars().take(190).collect();
        let mut body = crate::incidents::report_body(f.org_a, &line);
        for k in [
            "reporter_name",
            "reporter_address",
            "contact_name",
            "contact_title",
            "operator_name",
            "owner_body",
            "system_name",
            "security_provider",
            "connectivity_provider",
            "detection_other",
            "os_name",
            "services_other",
            "measures_other",
            "attachments_other",
        ] {
            body[k] = json!(line);
        }
        for k in ["summary", "system_purpose", "requests"] {
            body[k] = json!(p);
        }
        let (st, i) = app
            .send_json(Method::POST, "/api/v1/incidents", t, &body)
            .await;
        assert_eq!(st, 201, "{p}: {i}");
        let id = i["id"].as_str().unwrap().to_string();
        let (st, _) = app
            .send_json(
                Method::POST,
                &format!("/api/v1/incidents/{id}/comments"),
                t,
                &json!({"text": p}),
            )
            .await;
        assert_eq!(st, 201);
        let (st, _) = app
            .send_json(
                Method::POST,
                &format!("/api/v1/incidents/{id}/timeline"),
                t,
                &json!({"text": p, "happened_at": "2026-01-01T00:00:00Z"}),
            )
            .await;
        assert_eq!(st, 201);
        let (st, _) = app
            .send_json(
                Method::PUT,
                &format!("/api/v1/incidents/{id}/severity"),
                t,
                &json!({"severity": "serious", "reason": p}),
            )
            .await;
        assert_eq!(st, 200);
        let (st, _) = app
            .send_json(
                Method::POST,
                &format!("/api/v1/incidents/{id}/transitions"),
                t,
                &json!({"to": "verifying", "comment": p}),
            )
            .await;
        assert_eq!(st, 200);
        let (st, o) = app
            .send_json(
                Method::PUT,
                &format!("/api/v1/incidents/{id}/outcome"),
                t,
                &json!({"domestic_helpers": [line], "foreign_helpers": [p]}),
            )
            .await;
        assert_eq!(st, 200, "{p}: {o}");
        for page in [
            "/incidents".to_string(),
            format!("/incidents?q={}", urlenc(p)),
            format!("/incidents/{id}"),
        ] {
            let r = s.get(&page).await;
            assert_eq!(r.status, 200, "{page}");
            assert_inert(&r.body, p, &page);
        }
        let r = s.get(&format!("/incidents/{id}")).await;
        assert!(
            r.body.contains("&lt;") || r.body.contains("&#") || !p.contains('<'),
            "{p} not rendered at all"
        );
        // A refused form shows the typed values back, escaped.
        let r = s
            .post(
                "/incidents",
                &[
                    ("title", &line),
                    ("summary", p),
                    ("reporter_name", &line),
                    ("requests", p),
                ],
            )
            .await;
        assert_eq!(r.status, 422);
        assert_inert(&r.body, p, "incident form");
    }
}

#[tokio::test]
async fn payloads_in_evidence_and_indicators_stay_inert_on_the_incident_and_custody_pages() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let s = WebSession::new(&app.url);
    assert_eq!(s.login(&f.officer_a.0, PASSWORD).await.status, 303);
    let t = &f.officer_a.2;
    let (st, i) = app
        .send_json(
            Method::POST,
            "/api/v1/incidents",
            t,
            &crate::incidents::report_body(f.org_a, "Chứng cứ XSS"),
        )
        .await;
    assert_eq!(st, 201, "{i}");
    let id = i["id"].as_str().unwrap().to_string();
    let mut files = Vec::new();
    for (n, p) in XSS_CORPUS.iter().enumerate() {
        let r = app
            .api(
                Method::POST,
                &format!(
                    "/api/v1/incidents/{id}/evidence?name={}&description={}",
                    urlenc(p),
                    urlenc(p)
                ),
                t,
            )
            .body(format!("evidence {n} {p}"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "{p}");
        let e: serde_json::Value = r.json().await.unwrap();
        files.push(e["id"].as_str().unwrap().to_string());
        let (st, b) = app
            .send_json(
                Method::POST,
                &format!("/api/v1/incidents/{id}/indicators"),
                t,
                &json!({"kind": "registry_key", "value": format!("HKLM\\{p}")}),
            )
            .await;
        assert!(st == 201 || st == 422, "{p}: {b}");
        let (st, b) = app
            .send_json(
                Method::POST,
                &format!("/api/v1/incidents/{id}/indicators"),
                t,
                &json!({"kind": "filename", "value": p}),
            )
            .await;
        assert!(st == 201 || st == 422, "{p}: {b}");
    }
    let r = s.get(&format!("/incidents/{id}")).await;
    assert_eq!(r.status, 200);
    for p in XSS_CORPUS {
        assert_inert(&r.body, p, "incident page with evidence");
    }
    for (fid, p) in files.iter().zip(XSS_CORPUS) {
        let r = s.get(&format!("/evidence/{fid}/custody")).await;
        assert_eq!(r.status, 200);
        assert_inert(&r.body, p, "custody page");
    }
}

/// A raw message carrying `p` in the subject (an RFC 2047 encoded word), the body and an
/// attachment's name (RFC 2231).
fn hostile_mail(n: usize, p: &str, reply: bool) -> Vec<u8> {
    use base64::Engine as _;
    let b64 = |s: &[u8]| base64::engine::general_purpose::STANDARD.encode(s);
    let name: String = format!("{p}.txt")
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'.' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!(
        "From: =?UTF-8?B?{}?= <attacker{n}@evil.example>\r\n\
         Subject: =?UTF-8?B?{}?=\r\n\
         Message-ID: <xss-{n}{}@evil.example>\r\n{}\
         MIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
         --b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n\
         --b\r\nContent-Type: application/octet-stream\r\n\
         Content-Disposition: attachment; filename*=UTF-8''{name}\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n{}\r\n--b--\r\n",
        b64(p.as_bytes()),
        b64(p.as_bytes()),
        if reply { "-reply" } else { "" },
        if reply {
            format!("In-Reply-To: <xss-{n}@evil.example>\r\n")
        } else {
            String::new()
        },
        b64(format!("body {p}").as_bytes()),
        b64(format!("file {n}").as_bytes()),
    )
    .into_bytes()
}

#[tokio::test]
async fn payloads_in_e_mail_subjects_bodies_and_file_names_stay_inert_on_the_incident_page() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let s = WebSession::new(&app.url);
    assert_eq!(s.login(&f.officer_a.0, PASSWORD).await.status, 303);
    let mut ids = Vec::new();
    for (n, p) in XSS_CORPUS.iter().enumerate() {
        let (st, r) =
            crate::intake::post_mail(&app, &f.officer_a.2, hostile_mail(n, p, false)).await;
        assert_eq!(st, 201, "{p}: {r}");
        // A reply in the thread: subject, sender and text go to the timeline.
        let (st, rr) =
            crate::intake::post_mail(&app, &f.officer_a.2, hostile_mail(n, p, true)).await;
        assert_eq!(st, 201, "{p}: {rr}");
        assert_eq!(rr["outcome"], "reply");
        assert_eq!(rr["incident_id"], r["incident_id"]);
        // The payload really arrived in the file name (decoded from RFC 2231), not a default.
        let name = r["evidence"][1]["original_name"].as_str().unwrap();
        assert_eq!(
            name,
            ungcuu_domain::evidence::sanitise_name(&format!("{p}.txt")),
            "{p}"
        );
        ids.push(r["incident_id"].as_str().unwrap().to_string());
    }
    let queue = s.get("/incidents").await;
    assert_eq!(queue.status, 200);
    for (id, p) in ids.iter().zip(XSS_CORPUS) {
        assert_inert(&queue.body, p, "incident queue of e-mailed reports");
        let r = s.get(&format!("/incidents/{id}")).await;
        assert_eq!(r.status, 200);
        assert!(
            r.body.contains("id=\"email-list\""),
            "the e-mails section is shown"
        );
        assert!(
            r.body.contains("Thư trả lời từ"),
            "the reply is on the timeline"
        );
        assert_inert(&r.body, p, "incident page of an e-mailed report");
    }
}

#[tokio::test]
async fn payloads_in_tasks_comments_and_playbooks_stay_inert_on_every_page() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let t = &f.officer_a.2;
    let (st, i) = app
        .send_json(
            Method::POST,
            "/api/v1/incidents",
            t,
            &crate::incidents::report_body(f.org_a, "Nhiệm vụ XSS"),
        )
        .await;
    assert_eq!(st, 201, "{i}");
    let id = i["id"].as_str().unwrap().to_string();
    let mut created = 0;
    for p in XSS_CORPUS {
        let (st, task) = app
            .send_json(
                Method::POST,
                &format!("/api/v1/incidents/{id}/tasks"),
                t,
                &json!({"title": p, "description": p, "checklist": [p], "assignee_user_id": f.user_ids[2]}),
            )
            .await;
        assert!(st == 201 || st == 422, "{p}: {task}");
        if st != 201 {
            continue;
        }
        created += 1;
        let tid = task["id"].as_str().unwrap();
        let (st, b) = app
            .send_json(
                Method::POST,
                &format!("/api/v1/tasks/{tid}/comments"),
                t,
                &json!({"text": p}),
            )
            .await;
        assert_eq!(st, 201, "{p}: {b}");
    }
    assert!(created >= XSS_CORPUS.len() - 2, "{created}");
    // The coordinator writes the payloads into a playbook, which is then applied.
    let c = &f.coordinator.2;
    let p0 = XSS_CORPUS[0];
    let (st, b) = app
        .send_json(
            Method::PUT,
            "/api/v1/playbooks/malware",
            c,
            &json!({
                "title_vi": p0,
                "title_en": XSS_CORPUS[1],
                "summary": XSS_CORPUS[2],
                "tasks": XSS_CORPUS.iter().map(|p| json!({"title": p, "checklist": [p]})).collect::<Vec<_>>(),
            }),
        )
        .await;
    assert!(st == 200 || st == 422, "{b}");
    if st == 422 {
        // Some payload is not a valid line (too long, control characters): keep the others.
        let ok: Vec<&&str> = XSS_CORPUS
            .iter()
            .filter(|p| p.chars().count() <= 300 && !p.chars().any(char::is_control))
            .collect();
        let (st, b) = app
            .send_json(
                Method::PUT,
                "/api/v1/playbooks/malware",
                c,
                &json!({
                    "title_vi": p0,
                    "title_en": XSS_CORPUS[1],
                    "summary": XSS_CORPUS[2],
                    "tasks": ok.iter().map(|p| json!({"title": p, "checklist": [p]})).collect::<Vec<_>>(),
                }),
            )
            .await;
        assert_eq!(st, 200, "{b}");
    }
    let (st, b) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/incidents/{id}/playbooks"),
            t,
            &json!({"code": "malware"}),
        )
        .await;
    assert_eq!(st, 201, "{b}");
    let s = WebSession::new(&app.url);
    assert_eq!(s.login(&f.officer_a.0, PASSWORD).await.status, 303);
    let coord = WebSession::new(&app.url);
    assert_eq!(coord.login(&f.coordinator.0, PASSWORD).await.status, 303);
    let pages = [
        (&s, format!("/incidents/{id}")),
        (&s, "/tasks".to_string()),
        (&s, "/notifications".to_string()),
        (&s, "/playbooks".to_string()),
        (&coord, "/playbooks".to_string()),
        (&coord, "/playbooks/malware".to_string()),
        (&coord, format!("/incidents/{id}")),
    ];
    for (session, path) in pages {
        let r = session.get(&path).await;
        assert_eq!(r.status, 200, "{path}");
        for p in XSS_CORPUS {
            assert_inert(&r.body, p, &path);
        }
    }
}

#[tokio::test]
async fn payloads_in_requests_directions_and_statements_stay_inert_on_every_page() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let (_, steering) = crate::coordination::steering_member(&app, &f).await;
    let id = crate::coordination::escalated_incident(&app, &f, "Sự cố XSS phối hợp").await;
    for p in XSS_CORPUS {
        let (st, r) = app
            .send_json(
                Method::POST,
                &format!("/api/v1/incidents/{id}/requests"),
                &f.coordinator.2,
                &json!({"target": "organization", "to_org_id": f.org_b, "subject": p,
                        "body": p, "due_at": "2030-01-01"}),
            )
            .await;
        assert_eq!(st, 201, "{p}: {r}");
        let rid = r["id"].as_str().unwrap();
        let (st, b) = app
            .send_json(
                Method::POST,
                &format!("/api/v1/requests/{rid}/replies"),
                &f.officer_b.2,
                &json!({ "text": p }),
            )
            .await;
        assert_eq!(st, 201, "{p}: {b}");
        let (st, b) = app
            .send_json(
                Method::POST,
                &format!("/api/v1/requests/{rid}/status"),
                &f.officer_b.2,
                &json!({ "status": "accepted", "comment": p }),
            )
            .await;
        assert_eq!(st, 200, "{p}: {b}");
        for (what, body) in [
            (
                "directions",
                json!({"text": p, "given_by": p, "addressed_org_id": f.org_b}),
            ),
            (
                "information-roles",
                json!({"role": "releaser", "name": p, "contact": p}),
            ),
            (
                "statements",
                json!({"said_by": p, "channel": "press", "text": p}),
            ),
        ] {
            let (st, b) = app
                .send_json(
                    Method::POST,
                    &format!("/api/v1/incidents/{id}/{what}"),
                    &steering,
                    &body,
                )
                .await;
            // A one-line field refuses the payloads with control characters; the rest is stored.
            assert!(st == 201 || st == 422, "{what} {p}: {b}");
        }
        let (st, b) = app
            .send_json(
                Method::POST,
                &format!("/api/v1/incidents/{id}/comments"),
                &f.officer_a.2,
                &json!({ "text": format!("@coord@test.vn {p}") }),
            )
            .await;
        assert_eq!(st, 201, "{p}: {b}");
    }
    let (_, v) = app
        .get_json(&format!("/api/v1/incidents/{id}/steering"), &steering)
        .await;
    assert!(v["statements"].as_array().unwrap().len() >= XSS_CORPUS.len() - 1);
    let mut pages = Vec::new();
    for (who, paths) in [
        (
            &f.officer_b.0,
            vec![
                format!("/incidents/{id}"),
                "/requests".to_string(),
                "/notifications".to_string(),
            ],
        ),
        (
            &f.coordinator.0,
            vec![
                format!("/incidents/{id}"),
                "/requests".to_string(),
                "/notifications".to_string(),
            ],
        ),
    ] {
        let s = WebSession::new(&app.url);
        assert_eq!(s.login(who, PASSWORD).await.status, 303);
        for path in paths {
            let r = s.get(&path).await;
            assert_eq!(r.status, 200, "{path}");
            pages.push((format!("{who} {path}"), r.body));
        }
    }
    for p in XSS_CORPUS {
        for (name, body) in &pages {
            assert_inert(body, p, name);
        }
    }
}

/// Payloads as an incident's title and description go into the Mẫu 03 PDF and DOCX as text
/// (read back literally) and into the `[TBSC]` e-mail escaped.
#[tokio::test]
async fn payloads_in_incident_text_stay_text_in_the_pdf_the_docx_and_the_e_mail() {
    use crate::documents::{addresses, complete, docx_text, download, draft, issue, pdf_text};
    let app = spawn_app().await;
    let f = app.fixture().await;
    addresses(&app, &f).await;
    let t = &f.officer_a.2;
    for (n, p) in XSS_CORPUS.iter().enumerate() {
        let line: String = p.chars().take(190).collect();
        let mut body = crate::incidents::report_body(f.org_a, &line);
        body["summary"] = json!(format!("Mô tả: {p}"));
        let (s, i) = app
            .send_json(reqwest::Method::POST, "/api/v1/incidents", t, &body)
            .await;
        assert_eq!(s, 201, "{i}");
        let d = draft(&app, t, "mau03", i["id"].as_str().unwrap()).await;
        let id = d["id"].as_str().unwrap().to_string();
        // Bidirectional controls are not text to compare; everything else must come back (a
        // right-to-left override is applied by the PDF reader, so it reads back reversed).
        let visible = |s: &str| {
            let kept: String = s
                .chars()
                .filter(|c| !matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
                .collect();
            crate::documents::squash(&kept)
        };
        let (s, pdf, _) = download(&app, t, &id, "pdf").await;
        assert_eq!(s, 200);
        let text = visible(&pdf_text(&pdf));
        let reversed: String = visible(p).chars().rev().collect();
        assert!(
            text.contains(&visible(&format!("Mô tả: {p}")))
                || (p.contains('\u{202e}') && text.contains(&reversed)),
            "{p}: {text}"
        );
        let (s, docx, _) = download(&app, t, &id, "docx").await;
        assert_eq!(s, 200);
        let dt = visible(&docx_text(&docx));
        assert!(dt.contains(&visible(&format!("Mô tả: {p}"))), "{p}: {dt}");
        // The XML itself carries the payload escaped, never as markup.
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&docx)).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
            .unwrap();
        assert!(!xml.contains("<script"), "{p}");
        // Three of them go all the way to an e-mail (written to the outbox folder).
        if n % 4 != 0 {
            continue;
        }
        complete(&app, t, &d).await;
        let (s, issued) = issue(&app, t, &id).await;
        assert_eq!(s, 200, "{issued}");
        let (s, sent) = app
            .send_json(
                reqwest::Method::POST,
                &format!("/api/v1/documents/{id}/send"),
                t,
                &json!({"parties": ["national"]}),
            )
            .await;
        assert_eq!(s, 202, "{sent}");
        ungcuu_core::jobs::drain(&app.core, "test").await.unwrap();
        let mail = sent["sent"][0]["mail_id"].as_str().unwrap();
        let raw = std::fs::read_to_string(app.data_dir.join("outbox").join(format!("{mail}.eml")))
            .expect("e-mail written to the outbox folder");
        let html = ungcuu_testkit::mail_html(&raw).expect("an HTML part");
        assert_inert(&html, p, "document e-mail");
        let subject = ungcuu_testkit::mail_subject(&raw);
        assert!(subject.starts_with("[TBSC] "), "{subject}");
        // The .eml fallback carries the attachments too.
        assert!(
            crate::documents::attachment(&raw, &format!("{}.pdf", issued_stem(&issued))).is_some()
        );
        assert!(
            crate::documents::attachment(&raw, &format!("{}.json.sig", issued_stem(&issued)))
                .is_some()
        );
    }
}

/// Payloads in every kind of field of a draft stay inert on its per-field form: saved, sent back
/// with a refused value, and on the read-only form once issued.
#[tokio::test]
async fn payloads_in_a_drafts_fields_stay_inert_on_its_form() {
    use crate::documents::{draft, issue, report};
    let app = spawn_app().await;
    let f = app.fixture().await;
    let t = &f.officer_a.2;
    let inc = report(
        &app,
        t,
        &crate::incidents::report_body(f.org_a, "Sự cố thử XSS"),
    )
    .await;
    let d = draft(&app, t, "mau03", &inc).await;
    let id = d["id"].as_str().unwrap().to_string();
    let s = WebSession::new(&app.url);
    assert_eq!(s.login(&f.officer_a.0, PASSWORD).await.status, 303);
    let mut data = d["data"].clone();
    for p in XSS_CORPUS {
        data["header"]["title"] = json!(p);
        data["header"]["recipients"] = json!([p]);
        data["header"]["place"] = json!(p);
        data["header"]["signer_title"] = json!(p);
        data["header"]["signer_name"] = json!(p);
        data["reporter"]["name"] = json!(p);
        data["contact"]["position"] = json!(p);
        data["description"] = json!(p);
        data["detection"]["other"] = json!(p);
        data["ip_addresses"] = json!([p]);
        data["purpose"] = json!(p);
        data["proposals"] = json!(p);
        let (st, e) = app
            .send_json(
                Method::PUT,
                &format!("/api/v1/documents/{id}"),
                t,
                &json!({ "data": data }),
            )
            .await;
        assert_eq!(st, 200, "{e}");
        let page = s.get(&format!("/documents/{id}")).await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("id=\"edit-document\""));
        assert_inert(&page.body, p, "document form");
        let r = s
            .post(
                &format!("/documents/{id}"),
                &[
                    ("contact.position", p),
                    ("domains", p),
                    ("detected_at", "x"),
                    (p, "x"),
                ],
            )
            .await;
        assert_eq!(r.status, 422);
        assert_inert(&r.body, p, "refused document form");
    }
    let (st, e) = issue(&app, t, &id).await;
    assert_eq!(st, 200, "{e}");
    let page = s.get(&format!("/documents/{id}")).await;
    assert!(page.body.contains("id=\"document-data\""));
    assert_inert(
        &page.body,
        XSS_CORPUS.last().unwrap(),
        "issued document form",
    );
}

fn issued_stem(d: &serde_json::Value) -> String {
    let seq = d["number"]
        .as_str()
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_string();
    let year = d["data"]["header"]["date"]["year"].as_u64().unwrap();
    format!("mau03-{seq}-{year}-v1")
}

#[tokio::test]
async fn payloads_in_a_letter_or_fax_sending_stay_inert_on_the_document_page() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let id = crate::documents::report(
        &app,
        &f.officer_a.2,
        &crate::incidents::report_body(f.org_a, "Sự cố XSS công văn"),
    )
    .await;
    let doc = crate::documents::issued(&app, &f.officer_a.2, "mau03", &id).await;
    let path = format!("/documents/{}", doc["id"].as_str().unwrap());
    let s = WebSession::new(&app.url);
    s.login(&f.officer_a.0, PASSWORD).await;
    s.get(&path).await;
    let scan = b"%PDF-1.4\n%%EOF\n";
    for p in XSS_CORPUS {
        let to: String = p.chars().take(1000).collect();
        // Refused (no scan): what was typed comes back in the form, inert.
        let r = s
            .post_multipart(
                &format!("{path}/sendings"),
                &[("channel", "letter"), ("recipients", &to), ("note", p)],
                &[("scan", "", b"")],
            )
            .await;
        assert_eq!(r.status, 422, "{p}");
        assert_inert(&r.body, &to, "refused letter/fax form");
        assert_inert(&r.body, p, "refused letter/fax form's note");
        if to.trim().is_empty() {
            continue;
        }
        let r = s
            .post_multipart(
                &format!("{path}/sendings"),
                &[("channel", "fax"), ("recipients", &to), ("note", p)],
                &[("scan", "fax.pdf", scan)],
            )
            .await;
        assert_eq!(r.status, 303, "{p}: {}", r.body);
        let page = s.get(&path).await;
        assert_eq!(page.status, 200);
        assert_inert(&page.body, to.trim(), "hand sendings list");
    }
}
