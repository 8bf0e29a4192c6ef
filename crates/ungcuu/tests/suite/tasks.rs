//! Tasks of the response: the default tasks of Phụ lục III appearing as the incident moves
//! through the steps (with lead and supporting organisations resolved from roles), the
//! recovery checklist that gates the review, playbooks applied once, supporting organisations
//! working on their tasks only, assignment notices, audit, bad input, the data the coordinator
//! edits, and the pages.

use crate::incidents::report_body;
use reqwest::Method;
use serde_json::{Value, json};
use ungcuu_testkit::{Fixture, PASSWORD, TestApp, WebSession, spawn_app};
use uuid::Uuid;

/// The province-wide responders of Phụ lục III beside the fixture's coordinator.
struct Responders {
    csirt: Uuid,
    steering: Uuid,
    vncert: Uuid,
    /// (id, e-mail, token) of an officer of the response team.
    responder: (Uuid, String, String),
}

async fn responders(app: &TestApp, f: &Fixture) -> Responders {
    let csirt = app.org("doi-ung-cuu", "csirt", Some(f.province)).await;
    let steering = app.org("ban-chi-dao", "steering", Some(f.province)).await;
    let vncert = app.org("vncert", "national", None).await;
    let responder = app.user("doi@test.vn", csirt, "officer").await;
    Responders {
        csirt,
        steering,
        vncert,
        responder,
    }
}

async fn report(app: &TestApp, token: &str, owner: Uuid, title: &str) -> String {
    let (s, i) = app
        .send_json(
            Method::POST,
            "/api/v1/incidents",
            token,
            &report_body(owner, title),
        )
        .await;
    assert_eq!(s, 201, "{i}");
    i["id"].as_str().unwrap().to_string()
}

async fn step(app: &TestApp, token: &str, id: &str, to: &str) -> (u16, Value) {
    let mut body = json!({ "to": to });
    if to == "containing" {
        body["comment"] = json!("Hệ thống chưa ổn định, còn kết nối lạ ra ngoài");
    }
    app.send_json(
        Method::POST,
        &format!("/api/v1/incidents/{id}/transitions"),
        token,
        &body,
    )
    .await
}

async fn walk(app: &TestApp, token: &str, id: &str, path: &[&str]) {
    for to in path {
        let (s, b) = step(app, token, id, to).await;
        assert_eq!(s, 200, "→ {to}: {b}");
    }
}

async fn tasks(app: &TestApp, token: &str, id: &str) -> Vec<Value> {
    let (s, b) = app
        .get_json(&format!("/api/v1/incidents/{id}/tasks"), token)
        .await;
    assert_eq!(s, 200, "{b}");
    b["items"].as_array().unwrap().clone()
}

fn of_step(list: &[Value], n: u64) -> Vec<&Value> {
    list.iter().filter(|t| t["step"] == n).collect()
}

fn ids(orgs: &Value) -> Vec<String> {
    orgs.as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_string())
        .collect()
}

async fn task_count(app: &TestApp, f: &Fixture, id: &str) -> usize {
    tasks(app, &f.coordinator.2, id).await.len()
}

#[tokio::test]
async fn default_tasks_appear_with_the_units_of_annex_iii_as_the_incident_moves_through_the_steps()
{
    let app = spawn_app().await;
    let f = app.fixture().await;
    let r = responders(&app, &f).await;
    let officer = &f.officer_a.2;
    let coord = &f.coordinator.2;
    let id = report(&app, officer, f.org_a, "Sự cố nhiệm vụ theo bước").await;
    // Step 1 on report: led by the operator (the owner), supported by the coordinator, the
    // response team and VNCERT; "others" is left to people.
    let list = tasks(&app, officer, &id).await;
    assert_eq!(list.len(), 1, "{list:?}");
    let s1 = of_step(&list, 1)[0];
    assert_eq!(s1["lead"]["id"], f.org_a.to_string());
    assert_eq!(s1["source"], "step");
    assert_eq!(s1["status"], "open");
    let mut support = ids(&s1["support"]);
    support.sort();
    let mut want = vec![
        f.coordinator_org.to_string(),
        r.csirt.to_string(),
        r.vncert.to_string(),
    ];
    want.sort();
    assert_eq!(support, want);
    assert!(!s1["checklist"].as_array().unwrap().is_empty());
    // Naming the response team opened the incident to it.
    let responder = &r.responder.2;
    assert_eq!(
        app.get_json(&format!("/api/v1/incidents/{id}"), responder)
            .await
            .0,
        200
    );
    // Verifying: step 5 (the report to the authorities); initial response: steps 2 and 3.
    walk(&app, officer, &id, &["verifying"]).await;
    assert_eq!(of_step(&tasks(&app, officer, &id).await, 5).len(), 1);
    walk(&app, officer, &id, &["initial_response", "option_proposed"]).await;
    walk(&app, coord, &id, &["option_approved"]).await;
    let list = tasks(&app, officer, &id).await;
    assert_eq!(of_step(&list, 2).len(), 1);
    assert_eq!(of_step(&list, 3).len(), 1);
    // Ordinary: no escalation, so no steering committee tasks (steps 4 and 6).
    assert!(of_step(&list, 4).is_empty() && of_step(&list, 6).is_empty());
    walk(&app, officer, &id, &["containing"]).await;
    let list = tasks(&app, officer, &id).await;
    let s7 = of_step(&list, 7);
    assert_eq!(s7.len(), 1);
    // Two leads in the plan: the operator leads, the response team joins the supporters.
    assert_eq!(s7[0]["lead"]["id"], f.org_a.to_string());
    assert!(ids(&s7[0]["support"]).contains(&r.csirt.to_string()));
    walk(
        &app,
        officer,
        &id,
        &["eradicating", "recovering", "verifying_recovery"],
    )
    .await;
    let list = tasks(&app, officer, &id).await;
    assert_eq!(of_step(&list, 8).len(), 1);
    assert_eq!(of_step(&list, 9).len(), 1);
    let check = of_step(&list, 10)[0].clone();
    assert_eq!(check["kind"], "recovery_check");
    // Unstable: back to containment with a reason; the steps' tasks are not made twice.
    walk(
        &app,
        officer,
        &id,
        &[
            "containing",
            "eradicating",
            "recovering",
            "verifying_recovery",
        ],
    )
    .await;
    let list = tasks(&app, officer, &id).await;
    for n in [7, 8, 9, 10] {
        assert_eq!(of_step(&list, n).len(), 1, "step {n}");
    }
    // The review needs every recovery check ticked.
    let (s, b) = step(&app, officer, &id, "review").await;
    assert_eq!(s, 422, "{b}");
    assert_eq!(b["errors"][0]["field"], "to");
    let check_id = check["id"].as_str().unwrap();
    let items = check["checklist"].as_array().unwrap();
    for (n, item) in items.iter().enumerate() {
        // The response team, a supporting organisation, ticks them.
        let (s, t) = app
            .send_json(
                Method::PUT,
                &format!("/api/v1/tasks/{check_id}/checklist/{}", item["ordinal"]),
                responder,
                &json!({"done": true}),
            )
            .await;
        assert_eq!(s, 200, "{t}");
        if n + 1 < items.len() {
            assert_eq!(step(&app, officer, &id, "review").await.0, 422);
        }
    }
    walk(&app, officer, &id, &["review"]).await;
    let list = tasks(&app, officer, &id).await;
    let s11 = of_step(&list, 11);
    assert_eq!(s11.len(), 1);
    assert!(ids(&s11[0]["support"]).contains(&r.steering.to_string()));
    // The timeline says when each step's tasks were made.
    let (_, inc) = app
        .get_json(&format!("/api/v1/incidents/{id}/timeline"), officer)
        .await;
    let timeline = inc.to_string();
    assert!(timeline.contains("Tạo nhiệm vụ của bước 7"), "{timeline}");
}

#[tokio::test]
async fn a_serious_incident_gets_the_steering_committee_tasks_when_escalated() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let r = responders(&app, &f).await;
    let officer = &f.officer_a.2;
    let coord = &f.coordinator.2;
    let id = report(&app, officer, f.org_a, "Sự cố nghiêm trọng").await;
    let (s, b) = app
        .send_json(
            Method::PUT,
            &format!("/api/v1/incidents/{id}/severity"),
            coord,
            &json!({"severity": "serious", "reason": "Dịch vụ công ngừng nhiều ngày"}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    walk(
        &app,
        officer,
        &id,
        &["verifying", "initial_response", "option_proposed"],
    )
    .await;
    walk(&app, coord, &id, &["option_approved"]).await;
    walk(&app, officer, &id, &["escalated"]).await;
    let list = tasks(&app, officer, &id).await;
    let s4 = of_step(&list, 4);
    assert_eq!(s4.len(), 1);
    assert_eq!(s4[0]["lead"]["id"], r.steering.to_string());
    let s6 = of_step(&list, 6);
    assert_eq!(s6[0]["lead"]["id"], r.steering.to_string());
    let support = ids(&s6[0]["support"]);
    assert!(support.contains(&r.vncert.to_string()) && support.contains(&f.org_a.to_string()));
}

#[tokio::test]
async fn the_ransomware_playbook_creates_its_tasks_once() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let officer = &f.officer_a.2;
    let id = report(&app, officer, f.org_a, "Mã độc tống tiền tại Sở A").await;
    let (s, list) = app.get_json("/api/v1/playbooks", officer).await;
    assert_eq!(s, 200, "{list}");
    let codes: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    for c in [
        "account-compromise",
        "data-leak",
        "ddos",
        "defacement",
        "malware",
        "phishing",
        "ransomware",
    ] {
        assert!(codes.contains(&c), "{c} missing from {codes:?}");
    }
    let (_, pb) = app.get_json("/api/v1/playbooks/ransomware", officer).await;
    let expected = pb["tasks"].as_array().unwrap().len();
    assert!(expected >= 4);
    let before = task_count(&app, &f, &id).await;
    let (s, b) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/incidents/{id}/playbooks"),
            officer,
            &json!({"code": "ransomware"}),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["items"].as_array().unwrap().len(), expected);
    assert!(
        b["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["source"] == "playbook" && t["source_ref"] == "ransomware")
    );
    assert_eq!(task_count(&app, &f, &id).await, before + expected);
    // Once per incident.
    let audit = app.audit_count().await;
    let (s, b) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/incidents/{id}/playbooks"),
            officer,
            &json!({"code": "ransomware"}),
        )
        .await;
    assert_eq!(s, 422, "{b}");
    assert_eq!(b["errors"][0]["field"], "code");
    let (s, b) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/incidents/{id}/playbooks"),
            officer,
            &json!({"code": "khong-co"}),
        )
        .await;
    assert_eq!(s, 422, "{b}");
    assert_eq!(app.audit_count().await, audit);
    assert_eq!(task_count(&app, &f, &id).await, before + expected);
    let (_, l) = app
        .get_json(&format!("/api/v1/incidents/{id}/tasks"), officer)
        .await;
    assert_eq!(l["applied_playbooks"], json!(["ransomware"]));
    // Another playbook still applies.
    let (s, _) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/incidents/{id}/playbooks"),
            officer,
            &json!({"code": "ddos"}),
        )
        .await;
    assert_eq!(s, 201);
}

async fn new_task(app: &TestApp, token: &str, id: &str, body: Value) -> (u16, Value) {
    app.send_json(
        Method::POST,
        &format!("/api/v1/incidents/{id}/tasks"),
        token,
        &body,
    )
    .await
}

#[tokio::test]
async fn a_supporting_organisation_works_on_its_task_and_reaches_no_other_incident() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let officer_a = &f.officer_a.2;
    let officer_b = &f.officer_b.2;
    let coord = &f.coordinator.2;
    let x = report(&app, officer_a, f.org_a, "Sự cố X của Sở A").await;
    let y = report(&app, officer_a, f.org_a, "Sự cố Y của Sở A").await;
    // Officer B cannot see X yet.
    assert_eq!(
        app.get_json(&format!("/api/v1/incidents/{x}"), officer_b)
            .await
            .0,
        404
    );
    // An officer of A cannot name B, which A cannot see: it reads as unknown.
    let (s, b) = new_task(
        &app,
        officer_a,
        &x,
        json!({"title": "Phối hợp Sở B", "support_org_ids": [f.org_b]}),
    )
    .await;
    assert_eq!(s, 422, "{b}");
    assert_eq!(b["errors"][0]["field"], "support_org_ids[0]");
    // The coordinator names B as supporting and its officer as assignee.
    let (s, t) = new_task(
        &app,
        coord,
        &x,
        json!({
            "title": "Rà soát nhật ký tường lửa dùng chung",
            "support_org_ids": [f.org_b],
            "assignee_user_id": f.user_ids[3],
            "due_date": "2030-01-15",
            "checklist": ["Xuất nhật ký 7 ngày", "Lọc địa chỉ 203.0.113.10"],
        }),
    )
    .await;
    assert_eq!(s, 201, "{t}");
    assert_eq!(t["lead"]["id"], f.org_a.to_string());
    assert_eq!(t["assignee"]["id"], f.user_ids[3].to_string());
    let tid = t["id"].as_str().unwrap().to_string();
    // B was told, in-app and by e-mail.
    let (_, n) = app.get_json("/api/v1/notifications", officer_b).await;
    let told: Vec<&Value> = n["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["kind"] == "task.assigned")
        .collect();
    assert_eq!(told.len(), 1, "{n}");
    assert!(
        told[0]["text"]
            .as_str()
            .unwrap()
            .contains("Rà soát nhật ký tường lửa dùng chung")
    );
    ungcuu_core::jobs::drain(&app.core, "test").await.unwrap();
    let mails: Vec<String> = std::fs::read_dir(app.data_dir.join("outbox"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert!(mails.iter().any(|m| m.contains("To: officer-b@test.vn")));
    // B now reads X and works on its task.
    assert_eq!(
        app.get_json(&format!("/api/v1/incidents/{x}"), officer_b)
            .await
            .0,
        200
    );
    let (s, b) = app
        .send_json(
            Method::PATCH,
            &format!("/api/v1/tasks/{tid}"),
            officer_b,
            &json!({"status": "in_progress"}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["status"], "in_progress");
    let (s, b) = app
        .send_json(
            Method::PUT,
            &format!("/api/v1/tasks/{tid}/checklist/1"),
            officer_b,
            &json!({"done": true}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["checklist"][0]["done"], true);
    let (s, _) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/tasks/{tid}/comments"),
            officer_b,
            &json!({"text": "Đã xuất nhật ký, đang lọc."}),
        )
        .await;
    assert_eq!(s, 201);
    // But not rename it or move it: that is for the incident's handlers.
    let (s, _) = app
        .send_json(
            Method::PATCH,
            &format!("/api/v1/tasks/{tid}"),
            officer_b,
            &json!({"title": "Đổi tên"}),
        )
        .await;
    assert_eq!(s, 403);
    // Nor add tasks to X.
    let (s, _) = new_task(&app, officer_b, &x, json!({"title": "Nhiệm vụ lạ"})).await;
    assert_eq!(s, 403);
    // Y stays closed to B, and so do its tasks.
    let (s, ty) = new_task(
        &app,
        officer_a,
        &y,
        json!({"title": "Nhiệm vụ riêng của Y"}),
    )
    .await;
    assert_eq!(s, 201);
    let ty = ty["id"].as_str().unwrap();
    for (m, path, body) in [
        (Method::GET, format!("/api/v1/incidents/{y}"), None),
        (Method::GET, format!("/api/v1/incidents/{y}/tasks"), None),
        (Method::GET, format!("/api/v1/tasks/{ty}"), None),
        (
            Method::PATCH,
            format!("/api/v1/tasks/{ty}"),
            Some(json!({"status": "done"})),
        ),
        (
            Method::POST,
            format!("/api/v1/tasks/{ty}/comments"),
            Some(json!({"text": "x"})),
        ),
    ] {
        let mut req = app.api(m.clone(), &path, officer_b);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.send().await.unwrap();
        assert_eq!(r.status().as_u16(), 404, "{m} {path}");
    }
    // B's list of tasks holds X's task and nothing of Y.
    let (_, mine) = app.get_json("/api/v1/tasks/mine", officer_b).await;
    let items = mine["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{mine}");
    assert_eq!(items[0]["id"], tid.as_str());
    assert_eq!(items[0]["can_work"], true);
    assert_eq!(items[0]["can_edit"], false);
}

#[tokio::test]
async fn checklist_and_status_changes_are_audited_and_on_the_timeline() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let officer = &f.officer_a.2;
    let id = report(&app, officer, f.org_a, "Sự cố kiểm tra nhật ký").await;
    let (s, t) = new_task(
        &app,
        officer,
        &id,
        json!({"title": "Cô lập máy chủ web", "checklist": ["Rút cáp mạng"]}),
    )
    .await;
    assert_eq!(s, 201, "{t}");
    let tid = t["id"].as_str().unwrap();
    let (s, _) = app
        .send_json(
            Method::PUT,
            &format!("/api/v1/tasks/{tid}/checklist/1"),
            officer,
            &json!({"done": true}),
        )
        .await;
    assert_eq!(s, 200);
    let (s, _) = app
        .send_json(
            Method::PUT,
            &format!("/api/v1/tasks/{tid}/checklist/1"),
            officer,
            &json!({"done": false}),
        )
        .await;
    assert_eq!(s, 200);
    let (s, _) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/tasks/{tid}/checklist"),
            officer,
            &json!({"text": "Chụp ảnh bộ nhớ"}),
        )
        .await;
    assert_eq!(s, 201);
    let (s, _) = app
        .send_json(
            Method::PATCH,
            &format!("/api/v1/tasks/{tid}"),
            officer,
            &json!({"status": "done"}),
        )
        .await;
    assert_eq!(s, 200);
    let (_, log) = app
        .get_json("/api/v1/audit?action=task.&limit=50", &f.admin.2)
        .await;
    let actions: Vec<&str> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["object_id"] == tid)
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for a in [
        "task.create",
        "task.checklist_tick",
        "task.checklist_untick",
        "task.checklist_add",
        "task.update",
    ] {
        assert!(actions.contains(&a), "{a} missing from {actions:?}");
    }
    let (_, inc) = app
        .get_json(&format!("/api/v1/incidents/{id}/timeline"), officer)
        .await;
    let text = inc.to_string();
    assert!(text.contains("đã đánh dấu «Rút cáp mạng»"), "{text}");
    assert!(text.contains("chưa thực hiện → hoàn thành"), "{text}");
    // Ticking what is already ticked changes nothing and writes nothing.
    let (s, _) = app
        .send_json(
            Method::PUT,
            &format!("/api/v1/tasks/{tid}/checklist/2"),
            officer,
            &json!({"done": false}),
        )
        .await;
    assert_eq!(s, 200);
    let audit = app.audit_count().await;
    let (s, _) = app
        .send_json(
            Method::PUT,
            &format!("/api/v1/tasks/{tid}/checklist/2"),
            officer,
            &json!({"done": false}),
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(app.audit_count().await, audit);
}

#[tokio::test]
async fn bad_input_is_refused_by_field_and_nothing_is_written() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let officer = &f.officer_a.2;
    let id = report(&app, officer, f.org_a, "Sự cố dữ liệu sai").await;
    let (s, t) = new_task(&app, officer, &id, json!({"title": "Nhiệm vụ đúng"})).await;
    assert_eq!(s, 201);
    let tid = t["id"].as_str().unwrap().to_string();
    let tasks_before = task_count(&app, &f, &id).await;
    let audit = app.audit_count().await;
    let huge = "ư".repeat(10_001);
    let cases: Vec<(Value, &str)> = vec![
        (json!({"title": ""}), "title"),
        (json!({"title": "   "}), "title"),
        (json!({"title": "a".repeat(301)}), "title"),
        (json!({"title": "Dòng\u{7}chuông"}), "title"),
        (
            json!({"title": "x", "lead_org_id": Uuid::new_v4()}),
            "lead_org_id",
        ),
        (
            json!({"title": "x", "support_org_ids": [Uuid::new_v4()]}),
            "support_org_ids[0]",
        ),
        (json!({"title": "x", "due_date": "31/12/2026"}), "due_date"),
        (json!({"title": "x", "due_date": "2026-02-30"}), "due_date"),
        (json!({"title": "x", "description": huge}), "description"),
        (json!({"title": "x", "step": 12}), "step"),
        (json!({"title": "x", "kind": "recovery_check"}), "kind"),
        (
            json!({"title": "x", "assignee_user_id": Uuid::new_v4()}),
            "assignee_user_id",
        ),
        // Officer B is a person, but of no organisation on the task.
        (
            json!({"title": "x", "assignee_user_id": f.user_ids[3]}),
            "assignee_user_id",
        ),
        (json!({"title": "x", "checklist": [""]}), "checklist[0]"),
    ];
    for (body, field) in cases {
        let (s, b) = new_task(&app, officer, &id, body.clone()).await;
        assert_eq!(s, 422, "{body}: {b}");
        let fields: Vec<&str> = b["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert!(fields.contains(&field), "{body}: {fields:?}");
    }
    let patches: Vec<(Value, &str)> = vec![
        (json!({"status": "finished"}), "status"),
        (json!({"title": ""}), "title"),
        (json!({"due_date": "ngày mai"}), "due_date"),
        (json!({"lead_org_id": Uuid::new_v4()}), "lead_org_id"),
    ];
    for (body, field) in patches {
        let (s, b) = app
            .send_json(
                Method::PATCH,
                &format!("/api/v1/tasks/{tid}"),
                officer,
                &body,
            )
            .await;
        assert_eq!(s, 422, "{body}: {b}");
        assert_eq!(b["errors"][0]["field"], field, "{body}: {b}");
    }
    let (s, b) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/tasks/{tid}/comments"),
            officer,
            &json!({"text": "ư".repeat(10_001)}),
        )
        .await;
    assert_eq!(s, 422, "{b}");
    assert_eq!(b["errors"][0]["field"], "text");
    let (s, b) = app
        .send_json(
            Method::PUT,
            &format!("/api/v1/tasks/{tid}/checklist/99"),
            officer,
            &json!({"done": true}),
        )
        .await;
    assert_eq!(s, 422, "{b}");
    assert_eq!(b["errors"][0]["field"], "ordinal");
    // Unknown fields are named too, before anything runs.
    let (s, b) = new_task(&app, officer, &id, json!({"title": "x", "owner": "y"})).await;
    assert_eq!(s, 422, "{b}");
    assert_eq!(task_count(&app, &f, &id).await, tasks_before);
    assert_eq!(app.audit_count().await, audit);
    let (_, t) = app.get_json(&format!("/api/v1/tasks/{tid}"), officer).await;
    assert_eq!(t["title"], "Nhiệm vụ đúng");
    assert_eq!(t["status"], "open");
    assert!(t["comments"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn the_step_defaults_are_data_the_coordinator_changes() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let (s, d) = app
        .get_json("/api/v1/settings/step-tasks", &f.officer_a.2)
        .await;
    assert_eq!(s, 200);
    let steps = d["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 11);
    assert_eq!(steps[0]["state"], "received");
    assert_eq!(steps[9]["state"], "verifying_recovery");
    // Officers may not change it.
    let (s, _) = app
        .send_json(
            Method::PUT,
            "/api/v1/settings/step-tasks",
            &f.officer_a.2,
            &d,
        )
        .await;
    assert_eq!(s, 403);
    // Invalid data is refused by path.
    let audit = app.audit_count().await;
    let mut bad = d.clone();
    bad["steps"][0]["tasks"][0]["lead"] = json!(["nobody"]);
    bad["steps"][1]["state"] = json!("somewhere");
    bad["steps"][2]["step"] = json!(1);
    let (s, b) = app
        .send_json(
            Method::PUT,
            "/api/v1/settings/step-tasks",
            &f.coordinator.2,
            &bad,
        )
        .await;
    assert_eq!(s, 422, "{b}");
    assert_eq!(b["errors"][0]["field"], "steps[0].tasks[0].lead[0]");
    bad["steps"][0]["tasks"][0]["lead"] = json!(["system_operator"]);
    let (s, b) = app
        .send_json(
            Method::PUT,
            "/api/v1/settings/step-tasks",
            &f.coordinator.2,
            &bad,
        )
        .await;
    assert_eq!(s, 422, "{b}");
    let fields = b["errors"].to_string();
    assert!(fields.contains("steps[1].state") && fields.contains("steps[2].step"));
    assert_eq!(app.audit_count().await, audit);
    // A province that wants the coordinator to lead the intake says so.
    let mut good = d.clone();
    good["steps"][0]["tasks"][0]["title"] = json!("Tiếp nhận báo cáo qua đường dây nóng");
    good["steps"][0]["tasks"][0]["lead"] = json!(["coordinator"]);
    let (s, b) = app
        .send_json(
            Method::PUT,
            "/api/v1/settings/step-tasks",
            &f.coordinator.2,
            &good,
        )
        .await;
    assert_eq!(s, 200, "{b}");
    let id = report(&app, &f.officer_a.2, f.org_a, "Sự cố theo dữ liệu mới").await;
    let list = tasks(&app, &f.officer_a.2, &id).await;
    assert_eq!(list[0]["title"], "Tiếp nhận báo cáo qua đường dây nóng");
    assert_eq!(list[0]["lead"]["id"], f.coordinator_org.to_string());
    let (_, log) = app
        .get_json("/api/v1/audit?action=settings.step_defaults", &f.admin.2)
        .await;
    assert_eq!(log["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn the_coordinator_edits_playbooks_through_the_api_and_the_page() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let (_, p) = app
        .get_json("/api/v1/playbooks/phishing", &f.coordinator.2)
        .await;
    let mut body = json!({
        "title_vi": p["title_vi"],
        "title_en": p["title_en"],
        "summary": p["summary"],
        "tasks": p["tasks"],
    });
    let (s, _) = app
        .send_json(
            Method::PUT,
            "/api/v1/playbooks/phishing",
            &f.officer_a.2,
            &body,
        )
        .await;
    assert_eq!(s, 403);
    body["title_vi"] = json!("");
    let (s, b) = app
        .send_json(
            Method::PUT,
            "/api/v1/playbooks/phishing",
            &f.coordinator.2,
            &body,
        )
        .await;
    assert_eq!(s, 422, "{b}");
    assert_eq!(b["errors"][0]["field"], "title_vi");
    body["title_vi"] = json!("Thư điện tử giả mạo, lừa đảo");
    body["tasks"][0]["checklist"] = json!(["Lưu thư gốc có đầy đủ tiêu đề"]);
    let (s, b) = app
        .send_json(
            Method::PUT,
            "/api/v1/playbooks/phishing",
            &f.coordinator.2,
            &body,
        )
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["title_vi"], "Thư điện tử giả mạo, lừa đảo");
    assert_eq!(
        b["tasks"][0]["checklist"],
        json!(["Lưu thư gốc có đầy đủ tiêu đề"])
    );
    let (s, _) = app
        .send_json(
            Method::PUT,
            "/api/v1/playbooks/khong-co",
            &f.coordinator.2,
            &body,
        )
        .await;
    assert_eq!(s, 404);
    // The page: the text format reads back, a bad line is named.
    let web = WebSession::new(&app.url);
    web.login(&f.coordinator.0, PASSWORD).await;
    let page = web.get("/playbooks").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Mã độc tống tiền"), "{}", page.body);
    let page = web.get("/playbooks/ddos").await;
    assert!(page.body.contains("id=\"playbook-edit\""));
    let r = web
        .post(
            "/playbooks/ddos",
            &[
                ("title_vi", "Tấn công từ chối dịch vụ"),
                ("title_en", "DDoS"),
                ("summary", ""),
                (
                    "tasks",
                    "# [7] Lọc lưu lượng {response_team; vncert}\n- Gọi nhà mạng\nDòng lạc",
                ),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("tasks.line[3]"), "{}", r.body);
    let r = web
        .post(
            "/playbooks/ddos",
            &[
                ("title_vi", "Tấn công từ chối dịch vụ"),
                ("title_en", "DDoS"),
                ("summary", ""),
                (
                    "tasks",
                    "# [7] Lọc lưu lượng {response_team; vncert}\n- Gọi nhà mạng\n",
                ),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let (_, p) = app.get_json("/api/v1/playbooks/ddos", &f.officer_a.2).await;
    assert_eq!(p["tasks"].as_array().unwrap().len(), 1);
    assert_eq!(p["tasks"][0]["lead"], json!(["response_team"]));
    assert_eq!(p["tasks"][0]["support"], json!(["vncert"]));
    assert_eq!(p["tasks"][0]["step"], 7);
    // An officer reads the page without the form.
    let web_a = WebSession::new(&app.url);
    web_a.login(&f.officer_a.0, PASSWORD).await;
    let page = web_a.get("/playbooks/ddos").await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("id=\"playbook-edit\""));
}

#[tokio::test]
async fn the_tasks_section_and_my_tasks_work_without_scripts() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let id = report(&app, &f.officer_a.2, f.org_a, "Sự cố trên trang").await;
    let web = WebSession::new(&app.url);
    web.login(&f.officer_a.0, PASSWORD).await;
    let page = web.get(&format!("/incidents/{id}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("id=\"tasks\""));
    assert!(page.body.contains("id=\"task-add\""));
    assert!(page.body.contains("Tiếp nhận, phân tích cảnh báo"));
    let r = web
        .post(
            &format!("/incidents/{id}/tasks"),
            &[
                ("title", "Kiểm tra máy chủ thư"),
                ("kind", "measure"),
                ("step", "11"),
                ("lead_org_id", &f.org_a.to_string()),
                ("assignee_user_id", &f.user_ids[2].to_string()),
                ("due_date", "2030-03-01"),
                ("description", ""),
                ("checklist", "Cập nhật bản vá\nBật xác thực hai bước"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let list = tasks(&app, &f.officer_a.2, &id).await;
    let t = list
        .iter()
        .find(|t| t["title"] == "Kiểm tra máy chủ thư")
        .unwrap();
    assert_eq!(t["kind"], "measure");
    assert_eq!(t["checklist"].as_array().unwrap().len(), 2);
    let tid = t["id"].as_str().unwrap();
    let r = web
        .post(&format!("/tasks/{tid}/checklist/2"), &[("done", "yes")])
        .await;
    assert_eq!(r.status, 303);
    let r = web
        .post(
            &format!("/tasks/{tid}/status"),
            &[("status", "in_progress")],
        )
        .await;
    assert_eq!(r.status, 303);
    let r = web
        .post(&format!("/tasks/{tid}/comments"), &[("text", "Đang làm")])
        .await;
    assert_eq!(r.status, 303);
    let r = web
        .post(
            &format!("/incidents/{id}/playbooks"),
            &[("code", "phishing")],
        )
        .await;
    assert_eq!(r.status, 303);
    let page = web.get(&format!("/incidents/{id}")).await;
    assert!(page.body.contains("id=\"measure-tasks\""));
    assert!(page.body.contains("Đang thực hiện"));
    assert!(page.body.contains("Đang làm"));
    assert!(page.body.contains("id=\"playbooks-applied\""));
    let mine = web.get("/tasks").await;
    assert_eq!(mine.status, 200);
    assert!(mine.body.contains("Kiểm tra máy chủ thư"));
    assert!(mine.body.contains("class=\"mine\""));
    // A bad form is refused with the field's message, nothing added.
    let before = list.len() + 4;
    let r = web
        .post(
            &format!("/incidents/{id}/tasks"),
            &[("title", ""), ("due_date", "2030-02-31")],
        )
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(tasks(&app, &f.officer_a.2, &id).await.len(), before);
}

/// Ticks every item of the incident's recovery verification checklist (step 10), which the
/// review needs.
pub async fn tick_recovery(app: &TestApp, token: &str, id: &str) {
    for t in tasks(app, token, id).await {
        if t["kind"] != "recovery_check" {
            continue;
        }
        let tid = t["id"].as_str().unwrap();
        for item in t["checklist"].as_array().unwrap() {
            let (s, b) = app
                .send_json(
                    Method::PUT,
                    &format!("/api/v1/tasks/{tid}/checklist/{}", item["ordinal"]),
                    token,
                    &json!({"done": true}),
                )
                .await;
            assert_eq!(s, 200, "{b}");
        }
    }
}

#[tokio::test]
async fn the_system_operator_of_the_registry_leads_and_the_assignee_works_on_the_task() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    // A contractor runs Sở A's portal.
    let contractor = app.org("nha-thau", "contractor", Some(f.province)).await;
    let (_, _, contractor_token) = app.user("vanhanh@test.vn", contractor, "officer").await;
    let (s, sys) = app
        .send_json(
            Method::POST,
            "/api/v1/systems",
            &f.admin.2,
            &json!({"owner_org_id": f.org_a, "operator_org_id": contractor, "name": "Cổng thông tin Sở A", "security_level": 2}),
        )
        .await;
    assert_eq!(s, 201, "{sys}");
    let mut body = report_body(f.org_a, "Sự cố hệ thống do nhà thầu vận hành");
    body["system_id"] = sys["id"].clone();
    let (s, i) = app
        .send_json(Method::POST, "/api/v1/incidents", &f.officer_a.2, &body)
        .await;
    assert_eq!(s, 201, "{i}");
    let id = i["id"].as_str().unwrap();
    let list = tasks(&app, &f.officer_a.2, id).await;
    assert_eq!(list[0]["lead"]["id"], contractor.to_string());
    // The contractor's officer reads the incident through the grant and works on the task.
    let tid = list[0]["id"].as_str().unwrap();
    let (s, b) = app
        .send_json(
            Method::PATCH,
            &format!("/api/v1/tasks/{tid}"),
            &contractor_token,
            &json!({"status": "in_progress"}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    // A task led by the contractor and assigned to a viewer of the owner is the viewer's to
    // work on; another viewer of the owner only reads it.
    let (viewer, _, viewer_token) = app.user("xem@test.vn", f.org_a, "viewer").await;
    let (_, _, other_token) = app.user("xem2@test.vn", f.org_a, "viewer").await;
    let (s, t) = new_task(
        &app,
        &f.coordinator.2,
        id,
        json!({"title": "Cấp quyền truy cập nhật ký", "lead_org_id": contractor, "assignee_user_id": viewer}),
    )
    .await;
    assert_eq!(s, 201, "{t}");
    let tid = t["id"].as_str().unwrap();
    let status = |token: String| {
        let app = &app;
        async move {
            app.send_json(
                Method::PATCH,
                &format!("/api/v1/tasks/{tid}"),
                &token,
                &json!({"status": "done"}),
            )
            .await
            .0
        }
    };
    assert_eq!(status(other_token.clone()).await, 403);
    assert_eq!(status(viewer_token.clone()).await, 200);
    let (_, mine) = app.get_json("/api/v1/tasks/mine", &viewer_token).await;
    assert!(
        mine["items"].as_array().unwrap().is_empty(),
        "done tasks leave the list: {mine}"
    );
}

#[tokio::test]
async fn the_openapi_document_describes_the_tasks_and_playbooks() {
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
    for (p, methods) in [
        ("/api/v1/incidents/{id}/tasks", &["get", "post"][..]),
        ("/api/v1/incidents/{id}/playbooks", &["post"]),
        ("/api/v1/tasks/mine", &["get"]),
        ("/api/v1/tasks/{id}", &["get", "patch"]),
        ("/api/v1/tasks/{id}/checklist", &["post"]),
        ("/api/v1/tasks/{id}/checklist/{ordinal}", &["put"]),
        ("/api/v1/tasks/{id}/comments", &["post"]),
        ("/api/v1/settings/step-tasks", &["get", "put"]),
        ("/api/v1/playbooks", &["get"]),
        ("/api/v1/playbooks/{code}", &["get", "put"]),
    ] {
        for m in methods {
            assert!(
                doc["paths"][p].get(*m).is_some(),
                "{m} {p} missing from OpenAPI"
            );
        }
    }
    for s in [
        "TaskOut",
        "NewTaskBody",
        "TaskPatch",
        "StepDefaultsBody",
        "PlaybookOut",
    ] {
        assert!(doc["components"]["schemas"].get(s).is_some(), "{s}");
    }
}
