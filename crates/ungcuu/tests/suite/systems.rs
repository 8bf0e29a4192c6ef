//! The information systems registry: CRUD and its rules, approval by the owner's approver,
//! the operator's view, the CSV round trip, the three encodings, the dry run, every bad input
//! named by field and line, one audit event per import, the pages and the demo registry.

use reqwest::Method;
use serde_json::{Value, json};
use ungcuu_testkit::{Fixture, PASSWORD, TestApp, WebSession, spawn_app};

/// Columns in export order.
const HEADER: &str = "owner_slug,name,operator_slug,security_provider,connectivity_provider,purpose,security_level,level_status,approval_decision_no,approval_date,services,os,os_version,software,ips,domains,hostnames";

/// One CSV line with these cells (by column name), the others empty.
fn row(cells: &[(&str, &str)]) -> String {
    let out: Vec<String> = HEADER
        .split(',')
        .map(|col| {
            let v = cells
                .iter()
                .find(|(k, _)| *k == col)
                .map(|(_, v)| *v)
                .unwrap_or("");
            if v.contains([',', '"', '\n']) {
                format!("\"{}\"", v.replace('"', "\"\""))
            } else {
                v.to_string()
            }
        })
        .collect();
    out.join(",") + "\n"
}

fn tomorrow() -> String {
    ungcuu_domain::systems::format_date(
        ungcuu_domain::systems::today_in_vietnam() + time::Duration::days(1),
    )
}

async fn create(app: &TestApp, token: &str, body: Value) -> (u16, Value) {
    app.send_json(Method::POST, "/api/v1/systems", token, &body)
        .await
}

fn fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| e["field"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

async fn import(app: &TestApp, token: &str, body: Vec<u8>, dry_run: bool) -> (u16, Value) {
    import_as(app, token, body, dry_run, None).await
}

async fn import_as(
    app: &TestApp,
    token: &str,
    body: Vec<u8>,
    dry_run: bool,
    lang: Option<&str>,
) -> (u16, Value) {
    let mut req = app
        .api(
            Method::POST,
            &format!("/api/v1/systems/import?dry_run={dry_run}"),
            token,
        )
        .header("content-type", "text/csv")
        .body(body);
    if let Some(l) = lang {
        req = req.header("cookie", format!("ungcuu_lang={l}"));
    }
    let r = req.send().await.unwrap();
    let s = r.status().as_u16();
    (s, r.json().await.unwrap_or(Value::Null))
}

async fn export(app: &TestApp, token: &str, query: &str) -> String {
    let r = app
        .api(
            Method::GET,
            &format!("/api/v1/systems/export.csv{query}"),
            token,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    r.text().await.unwrap()
}

async fn count(app: &TestApp, token: &str) -> usize {
    let (s, page) = app.get_json("/api/v1/systems?limit=200", token).await;
    assert_eq!(s, 200);
    page["items"].as_array().unwrap().len()
}

/// Sends a `multipart/form-data` upload the way a browser does, with the session's cookie
/// and CSRF token; returns the status and the page.
pub(crate) async fn post_multipart(
    app: &TestApp,
    s: &WebSession,
    path: &str,
    file: &[u8],
    paste: &str,
) -> (u16, String) {
    let boundary = "----ungcuu-test-boundary-7MA4YWxkTrZu0gW";
    let csrf = s.csrf.lock().unwrap().clone().unwrap_or_default();
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{csrf}\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"he-thong.csv\"\r\nContent-Type: text/csv\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(
        format!("\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"paste\"\r\n\r\n{paste}\r\n--{boundary}--\r\n").as_bytes(),
    );
    let session = s.cookie("session").unwrap_or_default();
    let r = app
        .client
        .post(format!("{}{path}", app.url))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header("cookie", format!("__Host-ungcuu_session={session}"))
        .header("origin", &app.url)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.text().await.unwrap())
}

/// The value of the hidden `content` field of the confirmation form.
fn hidden_content(html: &str) -> Option<String> {
    let start = html.find("name=\"content\" value=\"")? + "name=\"content\" value=\"".len();
    let raw = html[start..].split('"').next()?;
    Some(
        raw.replace("&#x2f;", "/")
            .replace("&#47;", "/")
            .replace("&#43;", "+")
            .replace("&#x3d;", "=")
            .replace("&#61;", "="),
    )
}

#[tokio::test]
async fn a_system_is_created_normalised_changed_and_deleted_with_its_history() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let t = &f.officer_a.2;
    let (s, sys) = create(
        &app,
        t,
        json!({
            "owner_org_id": f.org_a,
            "operator_org_id": f.unit_a,
            "name": "  Cổng thông tin điện tử  Sở A ",
            "purpose": "Thông tin cho người dân",
            "security_level": 2,
            "services": ["database", "WEB", "web"],
            "os": "Ubuntu Server", "os_version": "22.04 LTS",
            "software": [{"vendor": "F5", "product": "nginx", "version": "1.24.0", "cpe": "cpe:2.3:a:f5:nginx:1.24.0:*:*:*:*:*:*:*"}],
            "ips": ["203.0.113.10", "203.0.113.77/28", "203.0.113.10/32"],
            "domains": ["SoA.DongThap.gov.vn."],
            "hostnames": ["WEB01"]
        }),
    )
    .await;
    assert_eq!(s, 201, "{sys}");
    assert_eq!(sys["name"], "Cổng thông tin điện tử  Sở A");
    assert_eq!(sys["level_status"], "proposed");
    assert_eq!(sys["services"], json!(["web", "database"]));
    assert_eq!(sys["ips"], json!(["203.0.113.10", "203.0.113.64/28"]));
    assert_eq!(sys["domains"], json!(["soa.dongthap.gov.vn"]));
    assert_eq!(sys["hostnames"], json!(["web01"]));
    assert_eq!(sys["operator"]["slug"], "don-vi-a");
    assert_eq!(sys["owner"]["id"], f.org_a.to_string());
    let id = sys["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/systems/{id}");
    let (s, got) = app.get_json(&path, t).await;
    assert_eq!(s, 200);
    assert_eq!(got, sys);

    let (s, changed) = app
        .send_json(
            Method::PATCH,
            &path,
            t,
            &json!({"os_version": "24.04 LTS", "operator_org_id": null, "ips": []}),
        )
        .await;
    assert_eq!(s, 200, "{changed}");
    assert_eq!(changed["os_version"], "24.04 LTS");
    assert!(changed["operator"].is_null());
    assert_eq!(changed["ips"], json!([]));
    assert_eq!(changed["domains"], sys["domains"], "absent fields stay");
    let (s, b) = app
        .send_json(Method::PATCH, &path, t, &json!({"id": "x"}))
        .await;
    assert_eq!(s, 422, "no mass assignment");
    assert_eq!(b["errors"][0]["field"], "id");

    let (s, history) = app.get_json(&format!("{path}/history"), t).await;
    assert_eq!(s, 200);
    let actions: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["system.update", "system.create"]);
    let mut changed_fields: Vec<&str> = history[0]["changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    changed_fields.sort();
    assert_eq!(changed_fields, ["ips", "operator_org_id", "os_version"]);
    assert_eq!(history[0]["actor"], "officer-a@test.vn");

    let r = app.api(Method::DELETE, &path, t).send().await.unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(app.get_json(&path, t).await.0, 404);
    let (_, log) = app
        .get_json(
            &format!("/api/v1/audit?object_id={id}&action=system."),
            &f.admin.2,
        )
        .await;
    let logged: Vec<&str> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(logged, ["system.delete", "system.update", "system.create"]);
    assert_eq!(
        log["items"][0]["summary"]["before"]["name"],
        "Cổng thông tin điện tử  Sở A"
    );
}

#[tokio::test]
async fn the_openapi_document_describes_the_registry() {
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
        "/api/v1/systems",
        "/api/v1/systems/{id}",
        "/api/v1/systems/{id}/history",
        "/api/v1/systems/export.csv",
        "/api/v1/systems/import",
    ] {
        assert!(doc["paths"].get(p).is_some(), "{p} missing from OpenAPI");
    }
    for schema in [
        "SystemOut",
        "SystemCreate",
        "SystemPatch",
        "SystemImportOut",
    ] {
        assert!(
            doc["components"]["schemas"].get(schema).is_some(),
            "{schema}"
        );
    }
}

#[tokio::test]
async fn every_bad_field_is_refused_by_name_and_nothing_is_written() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let t = &f.officer_a.2;
    let before = app.audit_count().await;
    let (s, b) = create(
        &app,
        t,
        json!({
            "owner_org_id": f.org_a,
            "name": "",
            "security_level": 7,
            "approval_date": tomorrow(),
            "services": ["web", "ftp"],
            "software": [{"product": "BIG|IP", "cpe": "cpe:/a:f5:big-ip"}],
            "ips": ["203.0.113.1", "300.1.2.3", "10.0.0.1", "203.0.113.0/33"],
            "domains": ["ok.gov.vn", "bad_domain", "https://x.gov.vn/"],
            "hostnames": ["web 01"]
        }),
    )
    .await;
    assert_eq!(s, 422, "{b}");
    assert_eq!(
        fields(&b),
        [
            "name",
            "security_level",
            "approval_date",
            "services[1]",
            "software[0].product",
            "software[0].cpe",
            "ips[1]",
            "ips[2]",
            "ips[3]",
            "domains[1]",
            "domains[2]",
            "hostnames[0]"
        ]
    );
    let messages: Vec<&str> = b["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["message"].as_str().unwrap())
        .collect();
    assert!(messages.contains(&"Cấp độ phải là số nguyên từ 1 đến 5."));
    assert!(messages.contains(&"Ngày phê duyệt không được sau ngày hôm nay."));
    assert!(messages.iter().any(|m| m.contains("IP công khai")));
    // A status without a level, approval without its decision.
    let (s, b) = create(
        &app,
        t,
        json!({"owner_org_id": f.org_a, "name": "X", "level_status": "appraised"}),
    )
    .await;
    assert_eq!(s, 422);
    assert_eq!(fields(&b), ["level_status"]);
    let (s, b) = create(
        &app,
        &f.admin.2,
        json!({"owner_org_id": f.org_a, "name": "X", "security_level": 2, "level_status": "approved"}),
    )
    .await;
    assert_eq!(s, 422);
    assert_eq!(fields(&b), ["approval_decision_no", "approval_date"]);
    let (s, b) = create(
        &app,
        t,
        json!({"owner_org_id": f.org_a, "name": "X", "security_level": "3"}),
    )
    .await;
    assert_eq!(s, 422, "a level as text is a type error: {b}");
    assert_eq!(app.audit_count().await, before);
    assert_eq!(count(&app, &f.admin.2).await, 0);
}

#[tokio::test]
async fn names_are_unique_within_an_owner_whatever_their_case_and_spacing() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let t = &f.officer_a.2;
    let (s, _) = create(
        &app,
        t,
        json!({"owner_org_id": f.org_a, "name": "Hệ thống thư điện tử"}),
    )
    .await;
    assert_eq!(s, 201);
    let (s, b) = create(
        &app,
        t,
        json!({"owner_org_id": f.org_a, "name": "hệ thống  THƯ điện tử"}),
    )
    .await;
    assert_eq!(s, 422);
    assert_eq!(fields(&b), ["name"]);
    assert_eq!(
        b["errors"][0]["message"],
        "Cơ quan chủ quản đã có hệ thống mang tên này."
    );
    let (s, _) = create(
        &app,
        t,
        json!({"owner_org_id": f.unit_a, "name": "Hệ thống thư điện tử"}),
    )
    .await;
    assert_eq!(s, 201, "another owner may use the name");
    let (s, other) = create(
        &app,
        t,
        json!({"owner_org_id": f.org_a, "name": "Hệ thống khác"}),
    )
    .await;
    assert_eq!(s, 201);
    let (s, b) = app
        .send_json(
            Method::PATCH,
            &format!("/api/v1/systems/{}", other["id"].as_str().unwrap()),
            t,
            &json!({"name": "HỆ THỐNG THƯ ĐIỆN TỬ"}),
        )
        .await;
    assert_eq!(s, 422, "renaming onto a taken name is refused too");
    assert_eq!(fields(&b), ["name"]);
}

#[tokio::test]
async fn only_an_approver_of_the_owner_approves_and_only_the_coordinator_appraises() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let (approver_a, _, approver_a_t) = app.user("duyet-a@test.vn", f.org_a, "approver").await;
    let (_, _, approver_b_t) = app.user("duyet-b@test.vn", f.org_b, "approver").await;
    let (s, sys) = create(
        &app,
        &f.officer_a.2,
        json!({"owner_org_id": f.org_a, "name": "Cổng dịch vụ công", "security_level": 3}),
    )
    .await;
    assert_eq!(s, 201);
    let path = format!("/api/v1/systems/{}", sys["id"].as_str().unwrap());
    let approve = json!({"level_status": "approved", "approval_decision_no": "15/QĐ-UBND", "approval_date": "2025-01-15"});
    let denials = |app: &TestApp| {
        let admin = f.admin.2.clone();
        let app_url = app.url.clone();
        let client = app.client.clone();
        async move {
            let r = client
                .get(format!(
                    "{app_url}/api/v1/audit?action=authz.denied&limit=200"
                ))
                .bearer_auth(admin)
                .send()
                .await
                .unwrap();
            let v: Value = r.json().await.unwrap();
            v["items"].as_array().unwrap().len()
        }
    };
    let d0 = denials(&app).await;
    let (s, b) = app
        .send_json(Method::PATCH, &path, &f.officer_a.2, &approve)
        .await;
    assert_eq!(s, 422, "an officer cannot approve: {b}");
    assert_eq!(fields(&b), ["level_status"]);
    assert_eq!(denials(&app).await, d0 + 1, "the refusal is audited");
    let (s, _) = app
        .send_json(Method::PATCH, &path, &f.coordinator.2, &approve)
        .await;
    assert_eq!(s, 422, "nor can the coordinator");
    let (s, _) = app
        .send_json(Method::PATCH, &path, &approver_b_t, &approve)
        .await;
    assert_eq!(
        s, 404,
        "another organisation's approver does not even see it"
    );
    let (s, b) = app
        .send_json(
            Method::PATCH,
            &path,
            &f.officer_a.2,
            &json!({"level_status": "appraised"}),
        )
        .await;
    assert_eq!(s, 422, "an officer cannot record an appraisal: {b}");
    let (s, b) = app
        .send_json(
            Method::PATCH,
            &path,
            &f.coordinator.2,
            &json!({"level_status": "appraised"}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["level_status"], "appraised");
    let (s, b) = app
        .send_json(Method::PATCH, &path, &approver_a_t, &approve)
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["level_status"], "approved");
    assert_eq!(b["approval_decision_no"], "15/QĐ-UBND");
    assert_eq!(b["approval_date"], "2025-01-15");
    assert_eq!(b["approved_by"], approver_a.to_string());
    // Other fields stay editable by the officer; the approval stands.
    let (s, b) = app
        .send_json(
            Method::PATCH,
            &path,
            &f.officer_a.2,
            &json!({"purpose": "Một cửa điện tử"}),
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(b["level_status"], "approved");
    assert_eq!(b["approved_by"], approver_a.to_string());
    // Changing the decision of an approved level is an approval again.
    let (s, _) = app
        .send_json(
            Method::PATCH,
            &path,
            &f.officer_a.2,
            &json!({"approval_decision_no": "16/QĐ-UBND"}),
        )
        .await;
    assert_eq!(s, 422);
    // A new level from the officer is a proposal: the approval no longer holds.
    let (s, b) = app
        .send_json(
            Method::PATCH,
            &path,
            &f.officer_a.2,
            &json!({"security_level": 4}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["level_status"], "proposed");
    assert!(b["approved_by"].is_null());
    // The administrator may approve anything; a system created approved records who did.
    let (s, b) = create(
        &app,
        &f.admin.2,
        json!({"owner_org_id": f.org_b, "name": "Cổng B", "security_level": 2,
               "level_status": "approved", "approval_decision_no": "1/QĐ", "approval_date": "15/01/2025"}),
    )
    .await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["approval_date"], "2025-01-15");
    assert_eq!(b["approved_by"], f.user_ids[0].to_string());
}

#[tokio::test]
async fn the_operator_reads_the_systems_it_runs_but_cannot_change_them() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let contractor = app.org("nha-thau", "contractor", None).await;
    let (_, _, staff) = app.user("ky-thuat@nhathau.vn", contractor, "officer").await;
    // An officer may name a contractor as operator though the contractor is not in reach.
    let (s, sys) = create(
        &app,
        &f.officer_a.2,
        json!({"owner_org_id": f.org_a, "name": "Hệ thống một cửa", "operator_org_id": contractor}),
    )
    .await;
    assert_eq!(s, 201, "{sys}");
    assert_eq!(sys["operator"]["slug"], "nha-thau");
    // …but not an organisation of another branch, which reads as missing.
    let (s, b) = create(
        &app,
        &f.officer_a.2,
        json!({"owner_org_id": f.org_a, "name": "Khác", "operator_org_id": f.unit_b}),
    )
    .await;
    assert_eq!(s, 422);
    assert_eq!(fields(&b), ["operator_org_id"]);
    let path = format!("/api/v1/systems/{}", sys["id"].as_str().unwrap());
    assert_eq!(app.get_json(&path, &staff).await.0, 200);
    let (_, list) = app.get_json("/api/v1/systems", &staff).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    let (s, _) = app
        .send_json(Method::PATCH, &path, &staff, &json!({"name": "đổi"}))
        .await;
    assert_eq!(s, 403);
    let r = app.api(Method::DELETE, &path, &staff).send().await.unwrap();
    assert_eq!(r.status(), 403);
    // B sees nothing of it.
    assert_eq!(app.get_json(&path, &f.officer_b.2).await.0, 404);
    assert_eq!(count(&app, &f.officer_b.2).await, 0);
}

#[tokio::test]
async fn an_officer_cannot_create_or_import_systems_for_another_organisation() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let before = app.audit_count().await;
    let (s, b) = create(
        &app,
        &f.officer_a.2,
        json!({"owner_org_id": f.org_b, "name": "Chen ngang"}),
    )
    .await;
    assert_eq!(s, 422);
    assert_eq!(fields(&b), ["owner_org_id"]);
    assert_eq!(
        b["errors"][0]["message"], "Cơ quan, đơn vị không tồn tại.",
        "an unreadable owner reads as missing"
    );
    let csv = format!(
        "{HEADER}\n{}{}",
        row(&[("owner_slug", "so-b"), ("name", "Chen ngang")]),
        row(&[("owner_slug", "so-b"), ("name", "Chen nữa")])
    );
    let (s, b) = import(&app, &f.officer_a.2, csv.into_bytes(), false).await;
    assert_eq!(s, 422);
    assert_eq!(b["errors"][0]["field"], "owner_slug");
    assert_eq!(b["errors"][0]["line"], 2);
    assert_eq!(b["errors"][0]["value"], "so-b");
    assert_eq!(b["errors"][1]["line"], 3);
    // Two refusals, one per attempt, whatever the number of rows.
    assert_eq!(app.audit_count().await, before + 2);
    let (_, log) = app
        .get_json("/api/v1/audit?action=authz.denied", &f.admin.2)
        .await;
    assert_eq!(log["items"].as_array().unwrap().len(), 2);
    assert_eq!(count(&app, &f.admin.2).await, 0);
}

/// Systems with every kind of value a CSV can break on.
async fn tricky_registry(app: &TestApp, f: &Fixture) {
    let t = &f.admin.2;
    let systems = [
        json!({"owner_org_id": f.org_a, "operator_org_id": f.unit_a, "name": "Cổng thông tin điện tử \"Sở A\", bản 2",
               "purpose": "Dòng một\nDòng hai, có dấu phẩy; và chấm phẩy", "security_provider": "Công ty ATTT, chi nhánh Đồng Tháp",
               "connectivity_provider": "VNPT Đồng Tháp", "security_level": 3, "level_status": "approved",
               "approval_decision_no": "1520/QĐ-UBND", "approval_date": "2023-09-12", "services": ["web", "database"],
               "os": "Ubuntu Server", "os_version": "22.04 LTS",
               "software": [{"vendor": "Liferay", "product": "Liferay Portal", "version": "7.4.3.112", "cpe": "cpe:2.3:a:liferay:liferay_portal:7.4.3.112:*:*:*:*:*:*:*"},
                            {"product": "PostgreSQL", "version": "14.10"}],
               "ips": ["203.0.113.130", "2001:db8:10::/48"], "domains": ["soa.dongthap.gov.vn", "www.soa.dongthap.gov.vn"], "hostnames": ["portal-web01"]}),
        json!({"owner_org_id": f.org_a, "name": "=HYPERLINK(\"http://x\")", "purpose": "-2+3", "os": "@SUM(A1)", "security_level": 1}),
        json!({"owner_org_id": f.unit_a, "name": "Hệ thống chưa đủ thông tin"}),
        json!({"owner_org_id": f.org_b, "name": "Thư điện tử công vụ", "security_level": 2, "level_status": "appraised",
               "services": ["mail"], "os": "Windows Server", "os_version": "2019",
               "software": [{"vendor": "Microsoft", "product": "Exchange Server", "version": "2019 CU13", "cpe": "cpe:2.3:a:microsoft:exchange_server:2019:cumulative_update_13:*:*:*:*:*:*"}],
               "ips": ["198.51.100.20"], "domains": ["mail.sob.gov.vn"]}),
    ];
    for body in systems {
        let (s, b) = create(app, t, body).await;
        assert_eq!(s, 201, "{b}");
    }
}

#[tokio::test]
async fn the_csv_export_imports_into_a_fresh_installation_and_exports_identically() {
    let first = spawn_app().await;
    let f1 = first.fixture().await;
    tricky_registry(&first, &f1).await;
    let exported = export(&first, &f1.admin.2, "").await;
    assert!(exported.starts_with('\u{feff}'), "a BOM for spreadsheets");
    assert!(exported.contains("\r\n"));
    assert!(exported.contains("'=HYPERLINK"), "formulas are kept inert");
    assert_eq!(exported.lines().count(), 1 + 4 + 1, "a quoted newline");

    let second = spawn_app().await;
    let f2 = second.fixture().await;
    let (s, report) = import(&second, &f2.admin.2, exported.clone().into_bytes(), false).await;
    assert_eq!(s, 200, "{report}");
    assert_eq!(report["created"], 4);
    assert_eq!(report["encoding"], "UTF-8 (BOM)");
    let again = export(&second, &f2.admin.2, "").await;
    assert_eq!(again, exported);
    // The values themselves came through, not only their text.
    let (_, list) = second
        .get_json("/api/v1/systems?q=hyperlink", &f2.admin.2)
        .await;
    assert_eq!(list["items"][0]["name"], "=HYPERLINK(\"http://x\")");
    assert_eq!(list["items"][0]["purpose"], "-2+3");
    // An officer exports only what it sees.
    let mine = export(&first, &f1.officer_a.2, "").await;
    assert_eq!(mine.lines().count(), 1 + 3 + 1);
    assert!(!mine.contains("so-b"));
    let filtered = export(&first, &f1.admin.2, "?missing=software").await;
    assert_eq!(filtered.lines().count(), 1 + 2);
}

#[tokio::test]
async fn utf8_utf8_with_bom_and_windows_1258_read_the_same() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let t = &f.officer_a.2;
    let text = format!(
        "{HEADER}\n{}",
        row(&[
            ("owner_slug", "so-a"),
            ("name", "Hệ thống quản lý văn bản và điều hành"),
            ("purpose", "Quản lý văn bản đến; đi"),
            ("security_level", "2"),
            ("services", "web"),
            ("ips", "203.0.113.5"),
        ])
    );
    let utf8 = text.clone().into_bytes();
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(text.as_bytes());
    let cp1258 = ungcuu_domain::csv::encode_windows_1258(&text).expect("encodable");
    assert!(std::str::from_utf8(&cp1258).is_err(), "really not UTF-8");
    // "ệ" is ê (0xEA) followed by the combining dot below (0xF2) in Windows-1258.
    assert!(cp1258.windows(2).any(|w| w == [0xEA, 0xF2]));
    for (bytes, label) in [
        (utf8, "UTF-8"),
        (bom, "UTF-8 (BOM)"),
        (cp1258.clone(), "Windows-1258"),
    ] {
        let (s, r) = import(&app, t, bytes, true).await;
        assert_eq!(s, 200, "{label}: {r}");
        assert_eq!(r["encoding"], label);
        assert_eq!(r["rows"], 1);
        assert_eq!(r["created"], 0);
    }
    let (s, r) = import(&app, t, cp1258, false).await;
    assert_eq!(s, 200, "{r}");
    let (_, list) = app.get_json("/api/v1/systems", t).await;
    assert_eq!(
        list["items"][0]["name"],
        "Hệ thống quản lý văn bản và điều hành"
    );
    assert_eq!(list["items"][0]["purpose"], "Quản lý văn bản đến; đi");
    // UTF-16 is refused with a message saying what to do.
    let mut utf16 = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    let (s, r) = import(&app, t, utf16, true).await;
    assert_eq!(s, 422);
    assert!(r["errors"][0]["line"].is_null());
    assert!(
        r["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("CSV UTF-8"),
        "{r}"
    );
}

#[tokio::test]
async fn a_dry_run_writes_nothing_and_one_bad_row_keeps_every_row_out() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let t = &f.officer_a.2;
    let before = app.audit_count().await;
    let good = format!(
        "{HEADER}\n{}{}",
        row(&[
            ("owner_slug", "so-a"),
            ("name", "Hệ thống một"),
            ("security_level", "1"),
            ("ips", "203.0.113.1"),
        ]),
        row(&[("owner_slug", "so-a"), ("name", "Hệ thống hai")])
    );
    let (s, r) = import(&app, t, good.clone().into_bytes(), true).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["dry_run"], true);
    assert_eq!(r["rows"], 2);
    assert_eq!(r["created"], 0);
    assert_eq!(r["content_sha256"].as_str().unwrap().len(), 64);
    assert_eq!(count(&app, t).await, 0);
    assert_eq!(app.audit_count().await, before, "a dry run writes nothing");
    let bad = format!(
        "{good}{}",
        row(&[
            ("owner_slug", "so-a"),
            ("name", "Hệ thống ba"),
            ("ips", "203.0.113.2;999.1.1.1"),
        ])
    );
    let (s, r) = import(&app, t, bad.into_bytes(), false).await;
    assert_eq!(s, 422, "{r}");
    assert_eq!(r["errors"].as_array().unwrap().len(), 1);
    assert_eq!(r["errors"][0]["line"], 4);
    assert_eq!(r["errors"][0]["field"], "ips[1]");
    assert_eq!(r["errors"][0]["value"], "999.1.1.1");
    assert_eq!(r["errors"][0]["message"], "Địa chỉ IP không hợp lệ.");
    assert_eq!(count(&app, t).await, 0, "nothing partial is written");
    assert_eq!(app.audit_count().await, before);
    // Files above the 1 MiB of other requests are read; above 10 MiB they are refused.
    let purpose = "Dữ liệu dài ".repeat(150);
    let big: String = std::iter::once(format!("{HEADER}\n"))
        .chain((0..700).map(|i| {
            row(&[
                ("owner_slug", "so-a"),
                ("name", &format!("Hệ thống số {i}")),
                ("purpose", purpose.trim()),
            ])
        }))
        .collect();
    assert!(big.len() > 1024 * 1024);
    let (s, r) = import(&app, t, big.into_bytes(), true).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["rows"], 700);
    let (s, _) = import(&app, t, vec![b'a'; 11 * 1024 * 1024], true).await;
    assert_eq!(s, 413);
    assert_eq!(app.audit_count().await, before);
}

#[tokio::test]
async fn one_audit_event_stands_for_an_import_batch() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let t = &f.officer_a.2;
    let before = app.audit_count().await;
    let csv = format!(
        "{HEADER}\n{}{}{}",
        row(&[("owner_slug", "so-a"), ("name", "Một")]),
        row(&[("owner_slug", "so-a"), ("name", "Hai")]),
        row(&[("owner_slug", "don-vi-a"), ("name", "Ba")])
    );
    let (s, r) = import(&app, t, csv.into_bytes(), false).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["created"], 3);
    assert_eq!(app.audit_count().await, before + 1);
    let (_, log) = app.get_json("/api/v1/audit?limit=1", &f.admin.2).await;
    let e = &log["items"][0];
    assert_eq!(e["action"], "system.import");
    assert_eq!(e["object_type"], "information_system");
    assert_eq!(e["summary"]["batch"], true);
    assert_eq!(e["summary"]["counts"]["created"], 3);
    assert_eq!(e["summary"]["content_sha256"], r["content_sha256"]);
    assert_eq!(count(&app, t).await, 3);
    // Each system's history shows the batch that created it.
    let (_, list) = app.get_json("/api/v1/systems", t).await;
    let id = list["items"][1]["id"].as_str().unwrap();
    let (s, history) = app
        .get_json(&format!("/api/v1/systems/{id}/history"), t)
        .await;
    assert_eq!(s, 200);
    assert_eq!(history.as_array().unwrap().len(), 1, "{history}");
    assert_eq!(history[0]["action"], "system.import");
    assert_eq!(history[0]["actor"], "officer-a@test.vn");
}

#[tokio::test]
async fn every_bad_input_of_a_csv_names_its_line_and_field() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let t = &f.officer_a.2;
    let (s, _) = create(&app, t, json!({"owner_org_id": f.org_a, "name": "Đã có"})).await;
    assert_eq!(s, 201);
    let before = app.audit_count().await;
    let date = tomorrow();
    let rows = [
        row(&[
            ("owner_slug", "so-a"),
            ("name", "IP sai"),
            ("ips", "300.1.1.1"),
        ]),
        row(&[
            ("owner_slug", "so-a"),
            ("name", "CIDR sai"),
            ("ips", "203.0.113.0/40"),
        ]),
        row(&[
            ("owner_slug", "so-a"),
            ("name", "Tên miền sai"),
            ("domains", "bad_domain.vn"),
        ]),
        row(&[
            ("owner_slug", "so-a"),
            ("name", "Cấp độ sai"),
            ("security_level", "6"),
        ]),
        row(&[
            ("owner_slug", "so-a"),
            ("name", "Ngày tương lai"),
            ("security_level", "2"),
            ("approval_date", &date),
        ]),
        row(&[("owner_slug", "so-a"), ("name", "Trùng trong tệp")]),
        row(&[("owner_slug", "so-a"), ("name", "trùng  trong tệp")]),
        row(&[("owner_slug", "so-a"), ("name", "Đã có")]),
        row(&[("owner_slug", "khong-co"), ("name", "Cơ quan lạ")]),
        "so-a,Thiếu ô,,\n".to_string(),
    ]
    .concat();
    let quote = format!("{HEADER}\n{rows}so-a,\"Ngoặc\"sai,,,,,,,,,,,,,,,\n");
    let (s, r) = import(&app, t, quote.into_bytes(), true).await;
    assert_eq!(s, 422, "{r}");
    // The quote error stops the reading: it is the one problem reported.
    assert_eq!(r["errors"].as_array().unwrap().len(), 1, "{r}");
    assert_eq!(r["errors"][0]["line"], 12);
    assert_eq!(r["errors"][0]["message"], "Dấu ngoặc kép không khớp.");

    let csv = format!("{HEADER}\n{rows}");
    let (s, r) = import(&app, t, csv.clone().into_bytes(), false).await;
    assert_eq!(s, 422, "{r}");
    let got: Vec<(i64, String)> = r["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["line"].as_i64().unwrap(),
                e["field"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let want: Vec<(i64, String)> = [
        (2, "ips[0]"),
        (3, "ips[0]"),
        (4, "domains[0]"),
        (5, "security_level"),
        (6, "approval_date"),
        (8, "name"),
        (9, "name"),
        (10, "owner_slug"),
        (11, ""),
    ]
    .into_iter()
    .map(|(l, f)| (l, f.to_string()))
    .collect();
    assert_eq!(got, want);
    let msg = |i: usize| r["errors"][i]["message"].as_str().unwrap().to_string();
    assert!(msg(1).starts_with("Dải địa chỉ không hợp lệ"));
    assert_eq!(
        msg(5),
        "Tên hệ thống bị lặp trong tệp (cùng cơ quan chủ quản)."
    );
    assert_eq!(msg(6), "Cơ quan chủ quản đã có hệ thống mang tên này.");
    assert_eq!(r["errors"][8]["value"], "4/17");
    // In English when the person reads English.
    let (_, en) = import_as(&app, t, csv.into_bytes(), true, Some("en")).await;
    assert_eq!(en["errors"][0]["message"], "Not a valid IP address.");
    assert_eq!(
        en["errors"][4]["message"],
        "The approval date cannot be later than today."
    );

    // Columns: missing, unknown (an extra one) and repeated, all on line 1.
    let (s, r) = import(
        &app,
        t,
        b"owner_slug,purpose,ghi_chu,purpose\nso-a,x,y,z\n".to_vec(),
        true,
    )
    .await;
    assert_eq!(s, 422);
    let cols: Vec<(String, String)> = r["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            assert_eq!(e["line"], 1);
            (
                e["field"].as_str().unwrap().to_string(),
                e["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        cols,
        [
            ("ghi_chu".to_string(), "Cột không được hỗ trợ.".to_string()),
            ("purpose".to_string(), "Cột xuất hiện hai lần.".to_string()),
            ("name".to_string(), "Thiếu cột bắt buộc.".to_string()),
        ]
    );
    // An extra cell in a row, an empty file, a header alone, the wrong media type.
    let (s, r) = import(
        &app,
        t,
        format!(
            "{HEADER}\n{},thừa\n",
            row(&[("owner_slug", "so-a"), ("name", "Thừa ô")]).trim_end()
        )
        .into_bytes(),
        true,
    )
    .await;
    assert_eq!(s, 422);
    assert_eq!(r["errors"][0]["line"], 2);
    assert_eq!(r["errors"][0]["value"], "18/17");
    assert_eq!(import(&app, t, Vec::new(), true).await.0, 422);
    let (s, r) = import(&app, t, format!("{HEADER}\n").into_bytes(), true).await;
    assert_eq!(s, 422);
    assert_eq!(
        r["errors"][0]["message"],
        "Tệp chỉ có dòng tiêu đề, không có dữ liệu."
    );
    let r = app
        .api(Method::POST, "/api/v1/systems/import", t)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 415);
    assert_eq!(app.audit_count().await, before, "nothing was written");
    assert_eq!(count(&app, t).await, 1);
}

#[tokio::test]
async fn the_list_filters_by_owner_level_status_and_missing_data_page_by_page() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    tricky_registry(&app, &f).await;
    let t = &f.admin.2;
    let names = |v: &Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap().to_string())
            .collect()
    };
    let (_, v) = app.get_json("/api/v1/systems?level=3", t).await;
    assert_eq!(names(&v), ["Cổng thông tin điện tử \"Sở A\", bản 2"]);
    let (_, v) = app.get_json("/api/v1/systems?status=appraised", t).await;
    assert_eq!(names(&v), ["Thư điện tử công vụ"]);
    let (_, v) = app.get_json("/api/v1/systems?missing=level", t).await;
    assert_eq!(names(&v), ["Hệ thống chưa đủ thông tin"]);
    let (_, v) = app.get_json("/api/v1/systems?missing=operator", t).await;
    assert_eq!(v["items"].as_array().unwrap().len(), 3);
    let (_, v) = app.get_json("/api/v1/systems?missing=addresses", t).await;
    assert_eq!(v["items"].as_array().unwrap().len(), 2);
    let (_, v) = app
        .get_json(&format!("/api/v1/systems?owner={}", f.unit_a), t)
        .await;
    assert_eq!(names(&v), ["Hệ thống chưa đủ thông tin"]);
    let (_, v) = app.get_json("/api/v1/systems?q=exchange", t).await;
    assert_eq!(names(&v), ["Thư điện tử công vụ"]);
    let (_, v) = app.get_json("/api/v1/systems?q=so%20a", t).await;
    assert_eq!(
        v["items"].as_array().unwrap().len(),
        1,
        "diacritics optional"
    );
    let (_, v) = app.get_json("/api/v1/systems?q=soa.dongthap", t).await;
    assert_eq!(v["items"].as_array().unwrap().len(), 1);
    // Keyset pages.
    let (_, p1) = app.get_json("/api/v1/systems?limit=3", t).await;
    assert_eq!(p1["items"].as_array().unwrap().len(), 3);
    let next = p1["next"].as_str().unwrap();
    let (_, p2) = app
        .get_json(&format!("/api/v1/systems?limit=3&after={next}"), t)
        .await;
    assert_eq!(p2["items"].as_array().unwrap().len(), 1);
    assert!(p2["next"].is_null());
    for (q, field) in [
        ("level=9", "level"),
        ("status=done", "status"),
        ("missing=x", "missing"),
        ("after=nope", "after"),
    ] {
        let (s, b) = app.get_json(&format!("/api/v1/systems?{q}"), t).await;
        assert_eq!(s, 422, "{q}");
        assert_eq!(b["errors"][0]["field"], field);
    }
}

#[tokio::test]
async fn pages_list_add_edit_import_and_delete_without_javascript() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let s = WebSession::new(&app.url);
    assert_eq!(s.login(&f.officer_a.0, PASSWORD).await.status, 303);
    let r = s.get("/systems").await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("id=\"systems-empty\""), "empty state");
    let r = s.get("/systems/new").await;
    assert_eq!(r.status, 200);
    let r = s
        .post(
            "/systems",
            &[
                ("name", "Cổng thông tin điện tử Sở A"),
                ("owner_org_id", &f.org_a.to_string()),
                ("operator_org_id", ""),
                ("security_level", "2"),
                ("level_status", ""),
                ("service_web", "on"),
                (
                    "software",
                    "F5 | nginx | 1.24.0 | cpe:2.3:a:f5:nginx:1.24.0:*:*:*:*:*:*:*\nPostgreSQL",
                ),
                ("ips", "203.0.113.10\n203.0.113.11, 203.0.113.12"),
                ("domains", "soa.dongthap.gov.vn"),
                ("hostnames", ""),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let detail = r.location.unwrap();
    let r = s.get(&detail).await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Đã thêm hệ thống thông tin."));
    assert!(r.body.contains("Cấp độ 2"));
    assert!(r.body.contains("203.0.113.12"));
    assert!(r.body.contains("id=\"system-history\""));
    // A bad form comes back with the field's message and the item quoted.
    let r = s
        .post(
            "/systems",
            &[
                ("name", "Khác"),
                ("owner_org_id", &f.org_a.to_string()),
                ("ips", "203.0.113.10\n10.1.1.1"),
                ("software", "a|b|c|d|e"),
                ("approval_date", &tomorrow()),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("«10.1.1.1»"), "{}", r.body);
    assert!(
        r.body
            .contains("Ngày phê duyệt không được sau ngày hôm nay.")
    );
    assert!(r.body.contains("hãng|sản phẩm|phiên bản|cpe"));
    // Edit.
    let edit = format!("{detail}/edit");
    let r = s.get(&edit).await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("F5 | nginx | 1.24.0"));
    let r = s
        .post(
            &edit,
            &[
                ("name", "Cổng thông tin điện tử Sở A (mới)"),
                ("owner_org_id", &f.org_a.to_string()),
                ("security_level", "2"),
                ("level_status", "proposed"),
                ("service_web", "on"),
                ("service_mail", "on"),
                ("ips", "203.0.113.10"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = s.get(&detail).await;
    assert!(r.body.contains("Sở A (mới)"));
    let history = r.body.split("id=\"system-history\"").nth(1).unwrap_or("");
    assert!(history.contains("Cập nhật"), "{history}");
    assert!(
        history.contains("Tên hệ thống"),
        "changed fields by their labels"
    );
    assert!(r.body.contains("Máy chủ thư điện tử"));
    // Filters.
    assert!(s.get("/systems?level=2").await.body.contains("Sở A (mới)"));
    assert!(!s.get("/systems?level=3").await.body.contains("Sở A (mới)"));
    assert!(
        s.get("/systems?missing=software")
            .await
            .body
            .contains("Sở A (mới)")
    );
    assert!(s.get("/systems?level=x&owner=y").await.status == 200);
    // Import: the check writes nothing, the confirmation writes.
    assert_eq!(s.get("/systems/import").await.status, 200);
    let csv = format!(
        "{HEADER}\n{}",
        row(&[
            ("owner_slug", "so-a"),
            ("name", "Nhập từ tệp"),
            ("security_level", "1"),
        ])
    );
    let cp1258 = ungcuu_domain::csv::encode_windows_1258(&csv).unwrap();
    let before = app.audit_count().await;
    let (status, page) = post_multipart(&app, &s, "/systems/import", &cp1258, "").await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Windows-1258"));
    assert!(page.contains("id=\"import-ready\""));
    assert_eq!(app.audit_count().await, before);
    let content = hidden_content(&page).expect("confirmation form");
    let r = s
        .post("/systems/import/confirm", &[("content", content.as_str())])
        .await;
    assert_eq!(r.status, 400, "the confirmation checkbox is required");
    let r = s
        .post(
            "/systems/import/confirm",
            &[("content", content.as_str()), ("confirm", "yes")],
        )
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(app.audit_count().await, before + 1);
    assert!(s.get("/systems").await.body.contains("Nhập từ tệp"));
    // A refused file: the report names line and column, and offers no confirmation.
    let (status, page) = post_multipart(
        &app,
        &s,
        "/systems/import",
        b"",
        &format!(
            "{HEADER}\n{}",
            row(&[
                ("owner_slug", "so-a"),
                ("name", "Sai"),
                ("domains", "bad_domain")
            ])
        ),
    )
    .await;
    assert_eq!(status, 422);
    assert!(page.contains("domains, mục thứ 1"), "{page}");
    assert!(page.contains("bad_domain"));
    assert!(hidden_content(&page).is_none());
    // A wrong CSRF token is refused.
    *s.csrf.lock().unwrap() = Some("wrong".into());
    let (status, _) = post_multipart(&app, &s, "/systems/import", b"x", "").await;
    assert_eq!(status, 400);
    s.get("/systems").await;
    // Delete needs the confirmation.
    let r = s
        .post(&format!("{detail}/delete"), &[("confirm", "")])
        .await;
    assert_eq!(r.status, 400);
    let r = s
        .post(&format!("{detail}/delete"), &[("confirm", "yes")])
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(s.get(&detail).await.status, 404);
    // The organisation page links to its systems.
    let r = s.get(&format!("/orgs/{}", f.org_a)).await;
    assert!(r.body.contains(&format!("/systems?owner={}", f.org_a)));
}

#[tokio::test]
async fn the_demo_registry_is_realistic_and_loads_once() {
    let app = spawn_app().await;
    ungcuu_core::demo::load(&app.core).await.unwrap();
    let actor = ungcuu_core::Actor::cli();
    let all = ungcuu_core::systems::list(&app.core, &actor, Default::default(), None, Some(200))
        .await
        .unwrap()
        .items;
    assert!((30..=50).contains(&all.len()), "{} systems", all.len());
    let approved = all
        .iter()
        .filter(|s| s.details.level_status == Some(ungcuu_domain::systems::LevelStatus::Approved))
        .count();
    assert!(approved > 5 && approved < all.len());
    assert!(all.iter().any(|s| s.details.security_level.is_none()));
    assert!(
        all.iter()
            .any(|s| s.details.os.as_deref() == Some("CentOS"))
    );
    let count = app.audit_count().await;
    assert_eq!(ungcuu_core::systems::load_demo(&app.core).await.unwrap(), 0);
    assert_eq!(
        app.audit_count().await,
        count,
        "a second load changes nothing"
    );
}

#[tokio::test]
async fn a_system_s_addresses_join_its_owner_s_constituency_and_leave_with_it() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let (s, sys) = app
        .send_json(
            reqwest::Method::POST,
            "/api/v1/systems",
            &f.officer_a.2,
            &serde_json::json!({"owner_org_id": f.org_a, "name": "Cổng thông tin Sở A", "ips": ["203.0.113.77"], "domains": ["soa.dongthap.gov.vn"]}),
        )
        .await;
    assert_eq!(s, 201, "{sys}");
    let id = sys["id"].as_str().unwrap().to_string();
    let (_, hit) = app
        .get_json("/api/v1/constituency/lookup?q=203.0.113.77", &f.officer_b.2)
        .await;
    assert_eq!(
        hit["found"]["organization"]["id"],
        f.org_a.to_string(),
        "{hit}"
    );
    let (_, hit) = app
        .get_json(
            "/api/v1/constituency/lookup?q=https%3A%2F%2Fwww.soa.dongthap.gov.vn%2Flogin",
            &f.officer_b.2,
        )
        .await;
    assert_eq!(
        hit["found"]["organization"]["id"],
        f.org_a.to_string(),
        "{hit}"
    );
    let r = app
        .api(
            reqwest::Method::DELETE,
            &format!("/api/v1/systems/{id}"),
            &f.officer_a.2,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let (_, miss) = app
        .get_json("/api/v1/constituency/lookup?q=203.0.113.77", &f.officer_b.2)
        .await;
    assert!(miss["found"].is_null(), "{miss}");
}
