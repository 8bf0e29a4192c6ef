//! The cross-organisation matrix: a person of organisation A can never read, list, count,
//! change or delete anything of B. Every endpoint that touches an object joins the registry
//! in `probes` with one line.

use reqwest::Method;
use serde_json::{Value, json};
use ungcuu_testkit::{Fixture, PASSWORD, TestApp, WebSession, spawn_app};

/// Objects that belong to organisation B.
struct OfB {
    membership: String,
    token: String,
    grant: String,
    constituency_entry: String,
    system: String,
    incident: String,
    evidence: String,
    indicator: String,
    document: String,
    /// A sending of `document` by letter, with its scan.
    sending: String,
    draft: String,
    task: String,
    request: String,
}

async fn objects_of_b(app: &TestApp, f: &Fixture) -> OfB {
    let (_, m) = app
        .get_json(&format!("/api/v1/memberships?org={}", f.org_b), &f.admin.2)
        .await;
    let membership = m["items"][0]["id"].as_str().unwrap().to_string();
    let (_, t) = app.get_json("/api/v1/tokens", &f.officer_b.2).await;
    let token = t[0]["id"].as_str().unwrap().to_string();
    let (s, g) = app
        .send_json(Method::POST, "/api/v1/grants", &f.admin.2, &json!({"object_type": "organization", "object_id": f.unit_b, "grantee_user_id": f.user_ids[3], "access": "read"}))
        .await;
    assert_eq!(s, 201);
    let (s, e) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/organizations/{}/constituency", f.org_b),
            &f.admin.2,
            &json!({"kind": "cidr", "value": "198.51.100.0/24", "note": "Tổ chức so-b"}),
        )
        .await;
    assert_eq!(s, 201);
    let (s, sys) = app
        .send_json(Method::POST, "/api/v1/systems", &f.admin.2, &json!({"owner_org_id": f.org_b, "name": "Hệ thống của Tổ chức so-b", "security_level": 2, "ips": ["198.51.100.7"], "domains": ["sob.example.vn"]}))
        .await;
    assert_eq!(s, 201, "{sys}");
    let (s, i) = app
        .send_json(
            Method::POST,
            "/api/v1/incidents",
            &f.officer_b.2,
            &crate::incidents::report_body(f.org_b, "Sự cố của Sở B"),
        )
        .await;
    assert_eq!(s, 201, "{i}");
    let (evidence, indicator) = crate::evidence::evidence_of(app, &f.officer_b.2, &i).await;
    let incident_b = i["id"].as_str().unwrap();
    let document = crate::documents::issued(app, &f.officer_b.2, "mau03", incident_b).await;
    let draft = crate::documents::draft(app, &f.officer_b.2, "mau03", incident_b).await;
    let r = app
        .api(
            Method::POST,
            &format!(
                "/api/v1/documents/{}/sendings?channel=letter&recipients=VNCERT",
                document["id"].as_str().unwrap()
            ),
            &f.officer_b.2,
        )
        .body(b"%PDF-1.4 scan of B".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let sending = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    // B is a member of the response network: its name stays out of A's list of members.
    let (s, p) = app
        .send_json(
            Method::PUT,
            &format!("/api/v1/organizations/{}/profile", f.org_b),
            &f.admin.2,
            &json!({"member_code": "ĐT-0200", "intake_email": "sob@test.vn"}),
        )
        .await;
    assert_eq!(s, 200, "{p}");
    let (s, task) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/incidents/{}/tasks", i["id"].as_str().unwrap()),
            &f.officer_b.2,
            &json!({"title": "Nhiệm vụ của Sở B", "checklist": ["Mục của Sở B"]}),
        )
        .await;
    assert_eq!(s, 201, "{task}");
    let (s, req) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/incidents/{}/requests", i["id"].as_str().unwrap()),
            &f.officer_b.2,
            &json!({"target": "national", "subject": "Đề nghị của Sở B", "body": "x", "due_at": "2030-01-01"}),
        )
        .await;
    assert_eq!(s, 201, "{req}");
    OfB {
        document: document["id"].as_str().unwrap().to_string(),
        sending,
        draft: draft["id"].as_str().unwrap().to_string(),
        task: task["id"].as_str().unwrap().to_string(),
        request: req["id"].as_str().unwrap().to_string(),
        evidence,
        indicator,
        membership,
        token,
        grant: g["id"].as_str().unwrap().to_string(),
        constituency_entry: e["id"].as_str().unwrap().to_string(),
        system: sys["id"].as_str().unwrap().to_string(),
        incident: i["id"].as_str().unwrap().to_string(),
    }
}

/// (method, path, body) of every API call on one of B's objects.
fn probes(f: &Fixture, b: &OfB) -> Vec<(Method, String, Option<Value>)> {
    let user_b = f.user_ids[3];
    vec![
        (
            Method::GET,
            format!("/api/v1/organizations/{}", f.org_b),
            None,
        ),
        (
            Method::GET,
            format!("/api/v1/organizations/{}", f.unit_b),
            None,
        ),
        (
            Method::PATCH,
            format!("/api/v1/organizations/{}", f.org_b),
            Some(json!({"name": "bị đổi"})),
        ),
        (
            Method::PATCH,
            format!("/api/v1/organizations/{}", f.unit_b),
            Some(json!({"parent_id": f.org_a})),
        ),
        (
            Method::POST,
            "/api/v1/organizations".into(),
            Some(json!({"slug": "lan-sang", "name": "x", "kind": "unit", "parent_id": f.org_b})),
        ),
        (Method::GET, format!("/api/v1/users/{user_b}"), None),
        (
            Method::PATCH,
            format!("/api/v1/users/{user_b}"),
            Some(json!({"name": "bị đổi"})),
        ),
        (
            Method::PATCH,
            format!("/api/v1/users/{user_b}"),
            Some(json!({"disabled": true})),
        ),
        (
            Method::POST,
            "/api/v1/users".into(),
            Some(
                json!({"email": "chen@test.vn", "name": "x", "org_id": f.org_b, "role": "viewer"}),
            ),
        ),
        (
            Method::POST,
            "/api/v1/memberships".into(),
            Some(json!({"user_id": f.user_ids[2], "org_id": f.org_b, "role": "officer"})),
        ),
        (
            Method::DELETE,
            format!("/api/v1/memberships/{}", b.membership),
            None,
        ),
        (Method::DELETE, format!("/api/v1/tokens/{}", b.token), None),
        (
            Method::GET,
            format!(
                "/api/v1/grants?object_type=organization&object_id={}",
                f.unit_b
            ),
            None,
        ),
        (
            Method::POST,
            "/api/v1/grants".into(),
            Some(
                json!({"object_type": "organization", "object_id": f.org_b, "grantee_org_id": f.org_a, "access": "write"}),
            ),
        ),
        (Method::DELETE, format!("/api/v1/grants/{}", b.grant), None),
        (Method::GET, format!("/api/v1/audit?org={}", f.org_b), None),
        (Method::GET, "/api/v1/audit/1".into(), None),
        (Method::GET, "/api/v1/audit/checkpoint".into(), None),
        (Method::DELETE, format!("/api/v1/users/{user_b}/mfa"), None),
        (
            Method::POST,
            "/api/v1/invitations".into(),
            Some(
                json!({"email": "moi-b@test.vn", "name": "x", "org_id": f.org_b, "role": "viewer"}),
            ),
        ),
        (
            Method::PUT,
            "/api/v1/settings/mfa-policy".into(),
            Some(json!({"roles": []})),
        ),
        (
            Method::POST,
            "/api/v1/mail/test".into(),
            Some(json!({"to": "x@test.vn"})),
        ),
        (Method::GET, format!("/api/v1/systems/{}", b.system), None),
        (
            Method::PATCH,
            format!("/api/v1/systems/{}", b.system),
            Some(json!({"name": "bị đổi"})),
        ),
        (
            Method::DELETE,
            format!("/api/v1/systems/{}", b.system),
            None,
        ),
        (
            Method::GET,
            format!("/api/v1/systems/{}/history", b.system),
            None,
        ),
        (
            Method::POST,
            "/api/v1/systems".into(),
            Some(json!({"owner_org_id": f.org_b, "name": "Chen ngang"})),
        ),
        (
            Method::POST,
            "/api/v1/systems".into(),
            Some(json!({"owner_org_id": f.org_a, "name": "Mượn", "operator_org_id": f.unit_b})),
        ),
        (
            Method::GET,
            format!("/api/v1/organizations/{}/constituency", f.org_b),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/organizations/{}/constituency", f.org_b),
            Some(json!({"kind": "domain", "value": "chiem.example.vn"})),
        ),
        (
            Method::GET,
            format!("/api/v1/constituency/{}", b.constituency_entry),
            None,
        ),
        (
            Method::DELETE,
            format!("/api/v1/constituency/{}", b.constituency_entry),
            None,
        ),
        (Method::GET, "/api/v1/constituency/conflicts".into(), None),
        (
            Method::GET,
            format!("/api/v1/organizations/{}/profile", f.org_b),
            None,
        ),
        (
            Method::PUT,
            format!("/api/v1/organizations/{}/profile", f.org_b),
            Some(json!({"address": "bị đổi"})),
        ),
        (
            Method::GET,
            format!("/api/v1/organizations/{}/focal-points", f.org_b),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/organizations/{}/focal-points", f.org_b),
            Some(json!({"kind": "primary", "name": "x", "email": "x@test.vn"})),
        ),
        (
            Method::POST,
            "/api/v1/team/members".into(),
            Some(json!({"user_id": user_b, "skills": "x"})),
        ),
        (
            Method::POST,
            "/api/v1/team/convenings".into(),
            Some(json!({"reason": "x"})),
        ),
        (
            Method::GET,
            format!("/api/v1/incidents/{}", b.incident),
            None,
        ),
        (
            Method::PATCH,
            format!("/api/v1/incidents/{}", b.incident),
            Some(json!({"tlp": "RED"})),
        ),
        (
            Method::POST,
            format!("/api/v1/incidents/{}/transitions", b.incident),
            Some(json!({"to": "verifying"})),
        ),
        (
            Method::PUT,
            format!("/api/v1/incidents/{}/severity", b.incident),
            Some(json!({"severity": "serious", "reason": "x"})),
        ),
        (
            Method::GET,
            format!("/api/v1/incidents/{}/timeline", b.incident),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/incidents/{}/comments", b.incident),
            Some(json!({"text": "x"})),
        ),
        (
            Method::POST,
            format!("/api/v1/incidents/{}/timeline", b.incident),
            Some(json!({"text": "x", "happened_at": "2026-01-01T00:00:00Z"})),
        ),
        (
            Method::PUT,
            format!("/api/v1/incidents/{}/review", b.incident),
            Some(json!({"root_cause": "x", "lessons": "x", "measures": "x"})),
        ),
        (
            Method::PUT,
            format!("/api/v1/incidents/{}/outcome", b.incident),
            Some(json!({"domestic_helpers": ["x"], "estimated_damage_vnd": 1})),
        ),
        (
            Method::POST,
            "/api/v1/incidents".into(),
            Some(crate::incidents::report_body(f.org_b, "x")),
        ),
        (
            Method::GET,
            format!("/api/v1/incidents/{}/evidence", b.incident),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/incidents/{}/evidence?name=x", b.incident),
            Some(json!({"raw": "bytes"})),
        ),
        (
            Method::GET,
            format!("/api/v1/evidence/{}/download", b.evidence),
            None,
        ),
        (
            Method::GET,
            format!("/api/v1/evidence/{}/custody", b.evidence),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/evidence/{}/custody", b.evidence),
            Some(json!({"to_whom": "x"})),
        ),
        (
            Method::GET,
            format!("/api/v1/incidents/{}/indicators", b.incident),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/incidents/{}/indicators", b.incident),
            Some(json!({"kind": "ip", "value": "10.0.0.1"})),
        ),
        (
            Method::POST,
            format!("/api/v1/incidents/{}/indicators/extract", b.incident),
            Some(json!({"text": "10.0.0.1"})),
        ),
        (
            Method::DELETE,
            format!("/api/v1/indicators/{}", b.indicator),
            None,
        ),
        (
            Method::PUT,
            "/api/v1/settings/severity-rules".into(),
            Some(json!({"rules": []})),
        ),
        (
            Method::GET,
            format!("/api/v1/incidents/{}/clocks", b.incident),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/incidents/{}/reports", b.incident),
            Some(json!({"kind": "notification", "channel": "email", "recipients": "x"})),
        ),
        (
            Method::PUT,
            "/api/v1/settings/clock-rules".into(),
            Some(json!({"notification_days": 9})),
        ),
        (
            Method::GET,
            format!("/api/v1/documents?incident={}", b.incident),
            None,
        ),
        (
            Method::POST,
            "/api/v1/documents".into(),
            Some(json!({"form": "mau03", "incident_id": b.incident})),
        ),
        (
            Method::GET,
            format!("/api/v1/documents/{}", b.document),
            None,
        ),
        (
            Method::PUT,
            format!("/api/v1/documents/{}", b.draft),
            Some(json!({"data": {}})),
        ),
        (
            Method::POST,
            format!("/api/v1/documents/{}/issue", b.draft),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/documents/{}/versions", b.document),
            None,
        ),
        (
            Method::GET,
            format!("/api/v1/documents/{}/pdf", b.document),
            None,
        ),
        (
            Method::GET,
            format!("/api/v1/documents/{}/docx", b.draft),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/documents/{}/send", b.document),
            Some(json!({})),
        ),
        (
            Method::POST,
            format!("/api/v1/documents/{}/send/approve", b.document),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/documents/{}/send", b.document),
            Some(json!({"members": [f.org_b]})),
        ),
        (
            Method::GET,
            format!("/api/v1/documents/{}/sendings", b.document),
            None,
        ),
        (
            Method::GET,
            format!(
                "/api/v1/documents/{}/sendings/{}/scan",
                b.document, b.sending
            ),
            None,
        ),
        (Method::GET, "/api/v1/settings/documents".into(), None),
        (
            Method::PUT,
            "/api/v1/settings/documents".into(),
            Some(
                json!({"place": "x", "national_coordinator_email": "x@y.vn", "national_approval": false}),
            ),
        ),
        (
            Method::POST,
            format!(
                "/api/v1/documents/{}/sendings?channel=fax&recipients=x",
                b.document
            ),
            Some(json!({"scan": "bytes"})),
        ),
        (
            Method::GET,
            format!("/api/v1/incidents/{}/follow", b.incident),
            None,
        ),
        (
            Method::PUT,
            format!("/api/v1/incidents/{}/follow", b.incident),
            None,
        ),
        (
            Method::DELETE,
            format!("/api/v1/incidents/{}/follow", b.incident),
            None,
        ),
        (
            Method::GET,
            format!("/api/v1/incidents/{}/live", b.incident),
            None,
        ),
        (
            Method::GET,
            format!("/api/v1/incidents/{}/tasks", b.incident),
            None,
        ),
        (
            Method::GET,
            format!("/api/v1/incidents/{}/requests", b.incident),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/incidents/{}/tasks", b.incident),
            Some(json!({"title": "x"})),
        ),
        (
            Method::POST,
            format!("/api/v1/incidents/{}/playbooks", b.incident),
            Some(json!({"code": "ransomware"})),
        ),
        (Method::GET, format!("/api/v1/tasks/{}", b.task), None),
        (
            Method::PATCH,
            format!("/api/v1/tasks/{}", b.task),
            Some(json!({"status": "done"})),
        ),
        (
            Method::POST,
            format!("/api/v1/tasks/{}/checklist", b.task),
            Some(json!({"text": "x"})),
        ),
        (
            Method::PUT,
            format!("/api/v1/tasks/{}/checklist/1", b.task),
            Some(json!({"done": true})),
        ),
        (
            Method::POST,
            format!("/api/v1/tasks/{}/comments", b.task),
            Some(json!({"text": "x"})),
        ),
        (
            Method::PUT,
            "/api/v1/settings/step-tasks".into(),
            Some(json!({"steps": []})),
        ),
        (
            Method::PUT,
            "/api/v1/playbooks/ransomware".into(),
            Some(json!({"title_vi": "x", "title_en": "x", "tasks": []})),
        ),
        (
            Method::POST,
            format!("/api/v1/incidents/{}/requests", b.incident),
            Some(
                json!({"target": "national", "subject": "x", "body": "x", "due_at": "2030-01-01"}),
            ),
        ),
        (Method::GET, format!("/api/v1/requests/{}", b.request), None),
        (
            Method::POST,
            format!("/api/v1/requests/{}/replies", b.request),
            Some(json!({"text": "x"})),
        ),
        (
            Method::POST,
            format!("/api/v1/requests/{}/status", b.request),
            Some(json!({"status": "cancelled"})),
        ),
        (
            Method::PUT,
            "/api/v1/settings/national-contact".into(),
            Some(json!({"name": "x", "email": "x@y.vn"})),
        ),
        (
            Method::GET,
            format!("/api/v1/incidents/{}/steering", b.incident),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/incidents/{}/directions", b.incident),
            Some(json!({"text": "x"})),
        ),
        (
            Method::POST,
            format!("/api/v1/incidents/{}/information-roles", b.incident),
            Some(json!({"role": "spokesperson", "name": "x"})),
        ),
        (
            Method::POST,
            format!("/api/v1/incidents/{}/statements", b.incident),
            Some(json!({"said_by": "x", "channel": "press", "text": "x"})),
        ),
        (
            Method::POST,
            format!("/api/v1/incidents/{}/convene", b.incident),
            Some(json!({"reason": "x"})),
        ),
    ]
}

/// Pages of B that A must not reach: (method, path, form fields).
type PageProbe = (Method, String, Vec<(&'static str, String)>);

fn page_probes(f: &Fixture, b: &OfB) -> Vec<PageProbe> {
    let user_b = f.user_ids[3];
    vec![
        (Method::GET, format!("/orgs/{}", f.org_b), vec![]),
        (Method::GET, format!("/orgs/{}/edit", f.org_b), vec![]),
        (
            Method::POST,
            format!("/orgs/{}/edit", f.org_b),
            vec![
                ("name", "bị đổi".into()),
                ("short_name", String::new()),
                ("kind", "department".into()),
                ("parent_id", f.province.to_string()),
            ],
        ),
        (
            Method::POST,
            "/orgs".into(),
            vec![
                ("name", "x".into()),
                ("slug", "lan-sang".into()),
                ("kind", "unit".into()),
                ("parent_id", f.org_b.to_string()),
            ],
        ),
        (Method::GET, format!("/users/{user_b}"), vec![]),
        (
            Method::POST,
            format!("/users/{user_b}/disable"),
            vec![("confirm", "yes".into())],
        ),
        (
            Method::POST,
            format!("/users/{user_b}/memberships"),
            vec![("org_id", f.org_b.to_string()), ("role", "officer".into())],
        ),
        (
            Method::POST,
            format!("/memberships/{}/delete", b.membership),
            vec![("confirm", "yes".into()), ("back", "/".into())],
        ),
        (
            Method::POST,
            format!("/tokens/{}/revoke", b.token),
            vec![("confirm", "yes".into())],
        ),
        (Method::GET, format!("/systems/{}", b.system), vec![]),
        (Method::GET, format!("/systems/{}/edit", b.system), vec![]),
        (
            Method::POST,
            format!("/systems/{}/edit", b.system),
            vec![
                ("name", "bị đổi".into()),
                ("owner_org_id", f.org_a.to_string()),
            ],
        ),
        (
            Method::POST,
            format!("/systems/{}/delete", b.system),
            vec![("confirm", "yes".into())],
        ),
        (
            Method::POST,
            "/systems".into(),
            vec![
                ("name", "Chen ngang".into()),
                ("owner_org_id", f.org_b.to_string()),
            ],
        ),
        (
            Method::GET,
            format!("/orgs/{}/constituency", f.org_b),
            vec![],
        ),
        (
            Method::POST,
            format!("/orgs/{}/constituency", f.org_b),
            vec![
                ("kind", "domain".into()),
                ("value", "chiem.example.vn".into()),
            ],
        ),
        (
            Method::POST,
            format!("/orgs/{}/constituency/import", f.org_b),
            vec![
                ("csv", "so-b,domain,chiem.example.vn".into()),
                ("mode", "import".into()),
            ],
        ),
        (
            Method::POST,
            format!("/constituency/{}/delete", b.constituency_entry),
            vec![("confirm", "yes".into())],
        ),
        (Method::GET, format!("/orgs/{}/profile", f.org_b), vec![]),
        (
            Method::POST,
            format!("/orgs/{}/profile", f.org_b),
            vec![("address", "bị đổi".into())],
        ),
        (
            Method::POST,
            format!("/orgs/{}/focal-points", f.org_b),
            vec![
                ("kind", "primary".into()),
                ("name", "x".into()),
                ("email", "x@test.vn".into()),
            ],
        ),
        (
            Method::POST,
            "/team/members".into(),
            vec![("user_id", user_b.to_string()), ("skills", "x".into())],
        ),
        (
            Method::POST,
            "/team/convene".into(),
            vec![("reason", "x".into())],
        ),
        (Method::GET, format!("/incidents/{}", b.incident), vec![]),
        (
            Method::POST,
            format!("/incidents/{}/indicators", b.incident),
            vec![("kind", "ip".into()), ("value", "10.0.0.1".into())],
        ),
        (
            Method::POST,
            format!("/incidents/{}/indicators/extract", b.incident),
            vec![("text", "10.0.0.1".into())],
        ),
        (
            Method::GET,
            format!("/evidence/{}/custody", b.evidence),
            vec![],
        ),
        (
            Method::GET,
            format!("/evidence/{}/download", b.evidence),
            vec![],
        ),
        (
            Method::POST,
            format!("/evidence/{}/custody", b.evidence),
            vec![("to_whom", "x".into())],
        ),
        (
            Method::POST,
            format!("/indicators/{}/delete", b.indicator),
            vec![],
        ),
        (
            Method::POST,
            format!("/incidents/{}/transition", b.incident),
            vec![("to", "verifying".into())],
        ),
        (
            Method::POST,
            format!("/incidents/{}/notes", b.incident),
            vec![("comment", "x".into())],
        ),
        (
            Method::POST,
            format!("/incidents/{}/classify", b.incident),
            vec![("tlp", "RED".into())],
        ),
        (
            Method::POST,
            format!("/incidents/{}/severity", b.incident),
            vec![("severity", "serious".into()), ("reason", "x".into())],
        ),
        (
            Method::POST,
            format!("/incidents/{}/review", b.incident),
            vec![
                ("root_cause", "x".into()),
                ("lessons", "x".into()),
                ("measures", "x".into()),
            ],
        ),
        (
            Method::POST,
            format!("/incidents/{}/outcome", b.incident),
            vec![
                ("domestic_helpers", "x".into()),
                ("estimated_damage_vnd", "1".into()),
            ],
        ),
        (
            Method::POST,
            format!("/incidents/{}/reports", b.incident),
            vec![
                ("kind", "notification".into()),
                ("channel", "email".into()),
                ("recipients", "x".into()),
            ],
        ),
        (Method::GET, format!("/documents/{}", b.document), vec![]),
        (
            Method::GET,
            format!("/documents/{}/pdf", b.document),
            vec![],
        ),
        (Method::GET, format!("/documents/{}/docx", b.draft), vec![]),
        (
            Method::POST,
            format!("/documents/{}", b.draft),
            vec![
                ("contact.position", "bị đổi".into()),
                ("detection.ids", "false".into()),
            ],
        ),
        (
            Method::POST,
            format!("/documents/{}/issue", b.draft),
            vec![],
        ),
        (
            Method::POST,
            format!("/documents/{}/versions", b.document),
            vec![],
        ),
        (
            Method::POST,
            format!("/documents/{}/send", b.document),
            vec![],
        ),
        (
            Method::POST,
            format!("/documents/{}/send/approve", b.document),
            vec![],
        ),
        (
            Method::POST,
            format!("/documents/{}/send", b.document),
            vec![("member", f.org_b.to_string())],
        ),
        // Multipart on the page; a form-encoded probe is refused the same way (the document
        // is looked up before the body is read). The multipart probe is in documents_network.
        (
            Method::POST,
            format!("/documents/{}/sendings", b.document),
            vec![("channel", "fax".into()), ("recipients", "x".into())],
        ),
        (
            Method::GET,
            format!("/documents/{}/sendings/{}/scan", b.document, b.sending),
            vec![],
        ),
        (Method::GET, "/settings/documents".into(), vec![]),
        (
            Method::POST,
            "/settings/documents".into(),
            vec![
                ("place", "x".into()),
                ("national_coordinator_email", "x@y.vn".into()),
            ],
        ),
        (
            Method::POST,
            format!("/incidents/{}/documents", b.incident),
            vec![("form", "mau03".into())],
        ),
        (
            Method::POST,
            format!("/incidents/{}/follow", b.incident),
            vec![("on", "1".into())],
        ),
        (
            Method::POST,
            format!("/incidents/{}/tasks", b.incident),
            vec![("title", "x".into())],
        ),
        (
            Method::POST,
            format!("/incidents/{}/playbooks", b.incident),
            vec![("code", "ransomware".into())],
        ),
        (
            Method::POST,
            format!("/tasks/{}/status", b.task),
            vec![("status", "done".into())],
        ),
        (
            Method::POST,
            format!("/tasks/{}/edit", b.task),
            vec![("title", "x".into())],
        ),
        (
            Method::POST,
            format!("/tasks/{}/checklist", b.task),
            vec![("text", "x".into())],
        ),
        (
            Method::POST,
            format!("/tasks/{}/checklist/1", b.task),
            vec![("done", "yes".into())],
        ),
        (
            Method::POST,
            format!("/tasks/{}/comments", b.task),
            vec![("text", "x".into())],
        ),
        (
            Method::POST,
            "/playbooks/ransomware".into(),
            vec![
                ("title_vi", "x".into()),
                ("title_en", "x".into()),
                ("tasks", "# x".into()),
            ],
        ),
        (
            Method::POST,
            format!("/incidents/{}/requests", b.incident),
            vec![
                ("request_target", "national".into()),
                ("request_subject", "x".into()),
                ("request_body", "x".into()),
                ("request_due_at", "2030-01-01".into()),
            ],
        ),
        (
            Method::POST,
            format!("/requests/{}/replies", b.request),
            vec![("reply_text", "x".into())],
        ),
        (
            Method::POST,
            format!("/requests/{}/status", b.request),
            vec![("status", "cancelled".into())],
        ),
        (
            Method::POST,
            format!("/incidents/{}/directions", b.incident),
            vec![("direction_text", "x".into())],
        ),
        (
            Method::POST,
            format!("/incidents/{}/information-roles", b.incident),
            vec![
                ("naming_role", "releaser".into()),
                ("naming_name", "x".into()),
            ],
        ),
        (
            Method::POST,
            format!("/incidents/{}/statements", b.incident),
            vec![
                ("statement_said_by", "x".into()),
                ("statement_channel", "press".into()),
                ("statement_text", "x".into()),
            ],
        ),
        (
            Method::POST,
            format!("/incidents/{}/convene", b.incident),
            vec![("convene_reason", "x".into())],
        ),
    ]
}

fn leaks(body: &str, f: &Fixture) -> bool {
    body.contains(&f.org_b.to_string()) && !body.contains("urn:request")
        || body.contains("Tổ chức so-b")
        || body.contains("officer-b@test.vn")
}

#[tokio::test]
async fn an_officer_of_a_reaches_nothing_of_b_through_any_endpoint() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let b = objects_of_b(&app, &f).await;
    let mut denials = 0;
    for (method, path, body) in probes(&f, &b) {
        let mut req = app.api(method.clone(), &path, &f.officer_a.2);
        if let Some(body) = &body {
            req = req.json(body);
        }
        let r = req.send().await.unwrap();
        let status = r.status().as_u16();
        let text = r.text().await.unwrap();
        assert!(
            matches!(status, 403 | 404 | 422),
            "{method} {path} answered {status}: {text}"
        );
        assert!(
            !text.contains("officer-b@test.vn")
                && !text.contains("Tổ chức so-b")
                && !text.contains("Tổ chức don-vi-b"),
            "{method} {path} leaked: {text}"
        );
        denials += 1;
    }
    // Lists and counts show nothing of B.
    for path in [
        "/api/v1/organizations",
        "/api/v1/users",
        "/api/v1/memberships",
        &format!("/api/v1/users?org={}", f.org_b),
        &format!("/api/v1/memberships?org={}", f.org_b),
        &format!("/api/v1/organizations?parent={}", f.org_b),
        "/api/v1/organizations?q=so-b",
        "/api/v1/systems",
        &format!("/api/v1/systems?owner={}", f.org_b),
        "/api/v1/systems?q=so-b",
        "/api/v1/incidents",
        "/api/v1/incidents?q=su%20co",
        &format!("/api/v1/incidents?org={}", f.org_b),
        "/api/v1/deadlines",
        "/api/v1/documents",
        "/api/v1/documents?form=mau03",
        "/api/v1/network-members",
        "/api/v1/tasks/mine",
        "/api/v1/requests",
    ] {
        let (s, page) = app.get_json(path, &f.officer_a.2).await;
        assert_eq!(s, 200, "{path}");
        let text = page.to_string();
        assert!(
            !leaks(&text, &f) && !text.contains(&f.unit_b.to_string()),
            "{path} leaked B: {text}"
        );
    }
    // Nothing of B changed.
    let (_, org_b) = app
        .get_json(&format!("/api/v1/organizations/{}", f.org_b), &f.admin.2)
        .await;
    assert_eq!(org_b["name"], "Tổ chức so-b");
    let (_, unit_b) = app
        .get_json(&format!("/api/v1/organizations/{}", f.unit_b), &f.admin.2)
        .await;
    assert_eq!(unit_b["parent_id"], f.org_b.to_string());
    let (_, user_b) = app
        .get_json(&format!("/api/v1/users/{}", f.user_ids[3]), &f.admin.2)
        .await;
    assert_eq!(user_b["disabled"], false);
    assert_eq!(app.get_json("/api/v1/me", &f.officer_b.2).await.0, 200);
    // Every refusal is in the audit log as a permission denial.
    let (_, logged) = app
        .get_json("/api/v1/audit?action=authz.denied&limit=200", &f.admin.2)
        .await;
    assert_eq!(logged["items"].as_array().unwrap().len(), denials);
    assert!(denials >= 16);
}

#[tokio::test]
async fn an_officer_of_a_reaches_no_page_of_b() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let b = objects_of_b(&app, &f).await;
    let s = WebSession::new(&app.url);
    assert_eq!(s.login(&f.officer_a.0, PASSWORD).await.status, 303);
    s.get("/").await;
    for (method, path, fields) in page_probes(&f, &b) {
        let r = if method == Method::GET {
            s.get(&path).await
        } else {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            s.post(&path, &fields).await
        };
        assert!(
            matches!(r.status, 403 | 404 | 422),
            "{method} {path} answered {}",
            r.status
        );
        assert!(
            !r.body.contains("officer-b@test.vn") && !r.body.contains("Tổ chức so-b"),
            "{method} {path} leaked"
        );
    }
    for path in [
        "/orgs",
        "/users",
        "/",
        "/orgs?q=so-b",
        "/systems",
        "/systems?q=so-b",
        "/incidents",
        "/incidents?q=su%20co",
        "/deadlines",
        "/documents",
        "/tasks",
        "/requests",
    ] {
        let r = s.get(path).await;
        assert_eq!(r.status, 200, "{path}");
        assert!(!leaks(&r.body, &f), "{path} leaked B");
    }
    let (_, user_b) = app
        .get_json(&format!("/api/v1/users/{}", f.user_ids[3]), &f.admin.2)
        .await;
    assert_eq!(user_b["disabled"], false);
    assert_eq!(user_b["memberships"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn an_object_grant_opens_exactly_that_object_one_way_and_closes_again() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let path_b = format!("/api/v1/organizations/{}", f.org_b);
    assert_eq!(app.get_json(&path_b, &f.officer_a.2).await.0, 404);
    let (s, g) = app
        .send_json(Method::POST, "/api/v1/grants", &f.admin.2, &json!({"object_type": "organization", "object_id": f.org_b, "grantee_org_id": f.org_a, "access": "read"}))
        .await;
    assert_eq!(s, 201);
    let (s, org) = app.get_json(&path_b, &f.officer_a.2).await;
    assert_eq!(s, 200);
    assert_eq!(org["name"], "Tổ chức so-b");
    let (_, list) = app.get_json("/api/v1/organizations", &f.officer_a.2).await;
    assert!(list.to_string().contains(&f.org_b.to_string()));
    // Read access does not let A change B, nor reach B's sub-organisation or people.
    assert_eq!(
        app.send_json(
            Method::PATCH,
            &path_b,
            &f.officer_a.2,
            &json!({"name": "x"})
        )
        .await
        .0,
        403
    );
    assert_eq!(
        app.get_json(
            &format!("/api/v1/organizations/{}", f.unit_b),
            &f.officer_a.2
        )
        .await
        .0,
        404
    );
    assert_eq!(
        app.get_json(&format!("/api/v1/users/{}", f.user_ids[3]), &f.officer_a.2)
            .await
            .0,
        404
    );
    // The grant is one way: B still sees nothing of A.
    assert_eq!(
        app.get_json(
            &format!("/api/v1/organizations/{}", f.org_a),
            &f.officer_b.2
        )
        .await
        .0,
        404
    );
    // A person grant works for that person only.
    let (s, _) = app
        .send_json(Method::POST, "/api/v1/grants", &f.admin.2, &json!({"object_type": "organization", "object_id": f.unit_b, "grantee_user_id": f.user_ids[2], "access": "read"}))
        .await;
    assert_eq!(s, 201);
    assert_eq!(
        app.get_json(
            &format!("/api/v1/organizations/{}", f.unit_b),
            &f.officer_a.2
        )
        .await
        .0,
        200
    );
    // Withdrawn, it closes at once.
    let gid = g["id"].as_str().unwrap();
    let r = app
        .api(Method::DELETE, &format!("/api/v1/grants/{gid}"), &f.admin.2)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(app.get_json(&path_b, &f.officer_a.2).await.0, 404);
    // Only those who manage the owner may grant.
    let (s, _) = app
        .send_json(Method::POST, "/api/v1/grants", &f.officer_a.2, &json!({"object_type": "organization", "object_id": f.org_a, "grantee_org_id": f.org_b, "access": "read"}))
        .await;
    assert_eq!(s, 403);
}

#[tokio::test]
async fn the_coordinator_sees_the_whole_province_and_an_officer_sees_its_subtree() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let (_, all) = app
        .get_json("/api/v1/organizations?limit=200", &f.coordinator.2)
        .await;
    assert_eq!(all["items"].as_array().unwrap().len(), 6);
    let (_, mine) = app
        .get_json("/api/v1/organizations?limit=200", &f.officer_a.2)
        .await;
    let ids: Vec<&str> = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    let mut expected = vec![f.org_a.to_string(), f.unit_a.to_string()];
    expected.sort();
    let mut ids: Vec<String> = ids.into_iter().map(str::to_string).collect();
    ids.sort();
    assert_eq!(ids, expected);
}

#[tokio::test]
async fn a_grant_opens_one_incident_to_a_supporting_organisation() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let (_, i) = app
        .send_json(
            Method::POST,
            "/api/v1/incidents",
            &f.officer_b.2,
            &crate::incidents::report_body(f.org_b, "Sự cố cần hỗ trợ"),
        )
        .await;
    let id = i["id"].as_str().unwrap().to_string();
    let (_, other) = app
        .send_json(
            Method::POST,
            "/api/v1/incidents",
            &f.officer_b.2,
            &crate::incidents::report_body(f.org_b, "Sự cố khác của B"),
        )
        .await;
    let path = format!("/api/v1/incidents/{id}");
    assert_eq!(app.get_json(&path, &f.officer_a.2).await.0, 404);
    // The owner's officer cannot open it; the coordinator can.
    let grant = json!({"object_type": "incident", "object_id": id, "grantee_org_id": f.org_a, "access": "read"});
    let (s, _) = app
        .send_json(Method::POST, "/api/v1/grants", &f.officer_b.2, &grant)
        .await;
    assert_eq!(s, 403);
    let (s, g) = app
        .send_json(Method::POST, "/api/v1/grants", &f.coordinator.2, &grant)
        .await;
    assert_eq!(s, 201, "{g}");
    let (s, seen) = app.get_json(&path, &f.officer_a.2).await;
    assert_eq!(s, 200);
    assert_eq!(seen["title"], "Sự cố cần hỗ trợ");
    assert_eq!(seen["available_transitions"], json!([]));
    let (_, list) = app.get_json("/api/v1/incidents", &f.officer_a.2).await;
    let titles: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Sự cố cần hỗ trợ"], "only the granted incident");
    assert_eq!(
        app.get_json(
            &format!("/api/v1/incidents/{}", other["id"].as_str().unwrap()),
            &f.officer_a.2
        )
        .await
        .0,
        404
    );
    // Read access neither moves the incident nor comments on it.
    let (s, _) = app
        .send_json(
            Method::POST,
            &format!("{path}/transitions"),
            &f.officer_a.2,
            &json!({"to": "verifying"}),
        )
        .await;
    assert_eq!(s, 403);
    let note = json!({"text": "Đội ứng cứu sẽ hỗ trợ"});
    let (s, _) = app
        .send_json(
            Method::POST,
            &format!("{path}/comments"),
            &f.officer_a.2,
            &note,
        )
        .await;
    assert_eq!(s, 403);
    // Write access lets the supporting organisation add to the timeline.
    let (s, _) = app
        .send_json(Method::POST, "/api/v1/grants", &f.coordinator.2, &json!({"object_type": "incident", "object_id": id, "grantee_org_id": f.org_a, "access": "write"}))
        .await;
    assert_eq!(s, 201);
    let (s, _) = app
        .send_json(
            Method::POST,
            &format!("{path}/comments"),
            &f.officer_a.2,
            &note,
        )
        .await;
    assert_eq!(s, 201);
    // Withdrawn, both close at once.
    let (_, grants) = app
        .get_json(
            &format!("/api/v1/grants?object_type=incident&object_id={id}"),
            &f.coordinator.2,
        )
        .await;
    for g in grants.as_array().unwrap() {
        let r = app
            .api(
                Method::DELETE,
                &format!("/api/v1/grants/{}", g["id"].as_str().unwrap()),
                &f.coordinator.2,
            )
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 204);
    }
    assert_eq!(app.get_json(&path, &f.officer_a.2).await.0, 404);
}

/// Everything one reads of an incident: timeline, evidence, indicators and the incident.
async fn incident_snapshot(app: &TestApp, token: &str, path: &str) -> [Value; 4] {
    [
        app.get_json(&format!("{path}/timeline"), token).await.1,
        app.get_json(&format!("{path}/evidence"), token).await.1,
        app.get_json(&format!("{path}/indicators"), token).await.1,
        app.get_json(path, token).await.1,
    ]
}

/// A reply posted by B's token that names a message of A's incident never joins it: it starts
/// an incident of B, the refusal is audited, and A's incident is unchanged. The same message
/// posted by B is not a "duplicate" of A's either (that would tell B A's incident id).
#[tokio::test]
async fn a_mail_from_another_organisation_never_joins_or_reveals_an_incident_of_a() {
    use crate::intake::{mail, post_mail};
    let app = spawn_app().await;
    let f = app.fixture().await;
    // The sender of the first message has an account in A, so B's token still cannot file
    // into A: the caller may not report for A.
    app.user("dao.nt@so-a.example.vn", f.org_a, "officer").await;
    let (s, a) = post_mail(&app, &f.officer_a.2, mail("thunderbird_mixed_pdf.eml")).await;
    assert_eq!(s, 201, "{a}");
    assert_eq!(a["outcome"], "new");
    let a_id = a["incident_id"].as_str().unwrap().to_string();
    let a_path = format!("/api/v1/incidents/{a_id}");
    let before = incident_snapshot(&app, &f.officer_a.2, &a_path).await;
    let (_, denied_before) = app
        .get_json("/api/v1/audit?action=authz.denied&limit=200", &f.admin.2)
        .await;
    let denied_before = denied_before["items"].as_array().unwrap().len();

    let (s, r) = post_mail(&app, &f.officer_b.2, mail("gmail_reply.eml")).await;
    assert_eq!(s, 201, "{r}");
    assert_eq!(r["outcome"], "new");
    assert_ne!(r["incident_id"], a_id.as_str());
    let (_, bi) = app
        .get_json(
            &format!("/api/v1/incidents/{}", r["incident_id"].as_str().unwrap()),
            &f.officer_b.2,
        )
        .await;
    assert_eq!(bi["owner"]["id"], f.org_b.to_string().as_str());

    let (s, r) = post_mail(&app, &f.officer_b.2, mail("thunderbird_mixed_pdf.eml")).await;
    assert_eq!(s, 201, "{r}");
    assert_eq!(r["duplicate"], false);
    assert_ne!(r["incident_id"], a_id.as_str());
    let (_, bi) = app
        .get_json(
            &format!("/api/v1/incidents/{}", r["incident_id"].as_str().unwrap()),
            &f.officer_b.2,
        )
        .await;
    assert_eq!(bi["owner"]["id"], f.org_b.to_string().as_str());

    assert_eq!(
        incident_snapshot(&app, &f.officer_a.2, &a_path).await,
        before
    );
    let (_, logged) = app
        .get_json("/api/v1/audit?action=authz.denied&limit=200", &f.admin.2)
        .await;
    let items = logged["items"].as_array().unwrap();
    assert!(items.len() > denied_before);
    assert!(
        items.iter().any(|e| e["object_id"] == a_id.as_str()),
        "{logged}"
    );
    // B cannot read A's incident through the answer either.
    assert_eq!(app.get_json(&a_path, &f.officer_b.2).await.0, 404);
}
