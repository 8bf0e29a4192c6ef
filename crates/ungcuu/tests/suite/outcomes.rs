//! Who helped handle an incident and its estimated damage: recorded by its handlers (API and
//! incident page), refused by field when bad, closed to other organisations, and counted by the
//! Mẫu 05 summary (its help columns, damage and helper lists, printed in the issued PDF). And
//! the period lock that makes two overlapping summaries issued across a new year see each other.

use crate::documents::{download, issue, pdf_text, report};
use crate::incidents::report_body;
use reqwest::Method;
use serde_json::{Value, json};
use ungcuu_testkit::{PASSWORD, WebSession, spawn_app};

fn fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| e["field"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn help_and_damage_are_recorded_by_the_handlers_and_counted_in_the_summary() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let (a, b, coord) = (&f.officer_a.2, &f.officer_b.2, &f.coordinator.2);
    let mut deface = report_body(f.org_a, "Thay đổi giao diện cổng thông tin");
    deface["incident_type"] = json!("deface");
    let helped = report(&app, a, &deface).await;
    let alone = report(&app, a, &deface).await;
    let mut malware = report_body(f.org_b, "Mã độc trên máy chủ thư");
    malware["incident_type"] = json!("malware");
    let unrecorded = report(&app, b, &malware).await;

    let put = |id: &str, body: Value, token: &str| {
        let app = &app;
        let path = format!("/api/v1/incidents/{id}/outcome");
        let token = token.to_string();
        async move { app.send_json(Method::PUT, &path, &token, &body).await }
    };
    let (s, i) = put(
        &helped,
        json!({
            "domestic_helpers": ["Công ty Cổ phần Bkav", "", "Trung tâm Giám sát an toàn không gian mạng quốc gia", "công ty cổ phần BKAV"],
            "foreign_helpers": ["Kaspersky Lab"],
            "national_coordinator_helped": true,
            "estimated_damage_vnd": 1_500_000
        }),
        a,
    )
    .await;
    assert_eq!(s, 200, "{i}");
    assert_eq!(
        i["outcome"]["domestic_helpers"],
        json!([
            "Công ty Cổ phần Bkav",
            "Trung tâm Giám sát an toàn không gian mạng quốc gia"
        ]),
        "blank lines dropped, a repeat kept once"
    );
    assert_eq!(i["outcome"]["self_handled"], false);
    // Another organisation's officer cannot see it, let alone write it.
    let (s, _) = put(&helped, json!({"estimated_damage_vnd": 1}), b).await;
    assert_eq!(s, 404);
    // Bad values are named and nothing is written.
    let (s, p) = put(
        &helped,
        json!({"estimated_damage_vnd": -5, "domestic_helpers": ["x".repeat(301)]}),
        a,
    )
    .await;
    assert_eq!(s, 422, "{p}");
    assert_eq!(fields(&p), ["domestic_helpers", "estimated_damage_vnd"]);
    let (s, p) = put(&helped, json!({"damage": 5}), a).await;
    assert!(s == 400 || s == 422, "unknown field: {s} {p}");
    let (_, i) = app
        .get_json(&format!("/api/v1/incidents/{helped}"), a)
        .await;
    let i = if i.get("incident").is_some() {
        i["incident"].clone()
    } else {
        i
    };
    assert_eq!(i["outcome"]["estimated_damage_vnd"], 1_500_000, "{i}");
    // The final report's "Kết quả xử lý sự cố" names the helpers and the damage.
    let m4 = crate::documents::draft(&app, a, "mau04", &helped).await;
    let result = m4["data"]["result"].as_str().unwrap();
    for want in [
        "Tổ chức hỗ trợ xử lý: Công ty Cổ phần Bkav; Trung tâm Giám sát an toàn không gian mạng quốc gia; Kaspersky Lab (nước ngoài); Trung tâm Ứng cứu khẩn cấp máy tính Việt Nam (VNCERT/CC).",
        "Thiệt hại ước tính: 1.500.000 đồng.",
    ] {
        assert!(result.contains(want), "{want} not in {result}");
    }
    let (s, i) = put(&alone, json!({"estimated_damage_vnd": 500_000}), a).await;
    assert_eq!(s, 200, "{i}");
    assert_eq!(i["outcome"]["self_handled"], true);

    // The summary counts each incident once in its row and in every help column that applies.
    let year = time::OffsetDateTime::now_utc().year();
    let (s, d) = app
        .send_json(
            Method::POST,
            "/api/v1/documents",
            coord,
            &json!({"form": "mau05", "org_id": f.coordinator_org, "period_kind": "annual",
                    "period_from": format!("{year}-01"), "period_to": format!("{year}-12")}),
        )
        .await;
    assert_eq!(s, 201, "{d}");
    let rows = d["data"]["rows"].as_array().unwrap().clone();
    let row = |t: &str| {
        rows.iter()
            .find(|r| r["incident_type"] == t)
            .unwrap()
            .clone()
    };
    let dr = row("DEFACE");
    assert_eq!(
        (
            &dr["count"],
            &dr["self_handled"],
            &dr["domestic_help"],
            &dr["foreign_help"],
            &dr["coordinator_help"],
            &dr["estimated_damage_vnd"]
        ),
        (
            &json!(2),
            &json!(1),
            &json!(1),
            &json!(1),
            &json!(1),
            &json!(2_000_000)
        ),
        "{dr}"
    );
    let mr = row("MALWARE");
    assert_eq!((&mr["count"], &mr["self_handled"]), (&json!(1), &json!(1)));
    assert_eq!(mr["estimated_damage_vnd"], Value::Null);
    assert_eq!(
        d["data"]["domestic_helpers"],
        json!([
            "Công ty Cổ phần Bkav",
            "Trung tâm Giám sát an toàn không gian mạng quốc gia"
        ])
    );
    assert_eq!(d["data"]["foreign_helpers"], json!(["Kaspersky Lab"]));
    let _ = unrecorded;
    // The draft's page says one incident of the period was counted without an outcome.
    let w = WebSession::new(&app.url);
    assert_eq!(w.login(&f.coordinator.0, PASSWORD).await.status, 303);
    let page = w
        .get(&format!("/documents/{}", d["id"].as_str().unwrap()))
        .await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("id=\"without-outcome\"")
            && page.body.contains("1 sự cố trong kỳ chưa ghi nhận"),
        "{}",
        page.body
    );

    // Issued, the PDF prints the lists and the damage.
    let id = d["id"].as_str().unwrap().to_string();
    crate::documents::complete(&app, coord, &d).await;
    let (s, i) = issue(&app, coord, &id).await;
    assert_eq!(s, 200, "{i}");
    let (_, pdf, _) = download(&app, coord, &id, "pdf").await;
    let text = pdf_text(&pdf);
    for want in [
        "Công ty Cổ phần Bkav",
        "Trung tâm Giám sát an toàn không gian mạng quốc gia",
        "Kaspersky Lab",
        "2.000.000",
    ] {
        assert!(
            crate::documents::squash(&text).contains(&crate::documents::squash(want)),
            "{want} missing from {text}"
        );
    }
}

#[tokio::test]
async fn the_incident_page_records_help_and_shows_a_bad_amount_next_to_its_field() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let a = &f.officer_a.2;
    let id = report(&app, a, &report_body(f.org_a, "Tấn công từ chối dịch vụ")).await;
    let s = WebSession::new(&app.url);
    assert_eq!(s.login(&f.officer_a.0, PASSWORD).await.status, 303);
    let page = s.get(&format!("/incidents/{id}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("id=\"no-outcome\""));
    assert!(page.body.contains("id=\"outcome-form\""));

    let path = format!("/incidents/{id}/outcome");
    let r = s
        .post(
            &path,
            &[
                ("domestic_helpers", "Công ty Bkav"),
                ("estimated_damage_vnd", "12a"),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Phải là số nguyên."), "{}", r.body);
    assert!(r.body.contains("value=\"12a\""), "the typed value is kept");
    let (_, i) = app.get_json(&format!("/api/v1/incidents/{id}"), a).await;
    assert!(
        i.to_string().contains("\"outcome\":null"),
        "nothing written: {i}"
    );

    let r = s
        .post(
            &path,
            &[
                (
                    "domestic_helpers",
                    "Công ty Bkav\r\n\r\nViettel Cyber Security",
                ),
                ("foreign_helpers", ""),
                ("national_coordinator_helped", "yes"),
                ("estimated_damage_vnd", "1.500.000"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = s.get(&format!("/incidents/{id}")).await;
    assert!(page.body.contains("1.500.000 đồng"), "{}", page.body);
    assert!(page.body.contains("Viettel Cyber Security"));
    let (_, i) = app.get_json(&format!("/api/v1/incidents/{id}"), a).await;
    let o = &i
        .pointer("/incident/outcome")
        .unwrap_or(&i["outcome"])
        .clone();
    assert_eq!(o["estimated_damage_vnd"], 1_500_000, "{i}");
    assert_eq!(o["national_coordinator_helped"], true);
    assert_eq!(
        o["domestic_helpers"],
        json!(["Công ty Bkav", "Viettel Cyber Security"])
    );
    // The change is in the audit trail with what was there before.
    let mut c = app.core.db.conn().await.unwrap();
    let head = ungcuu_store::audit::head(&mut c).await.unwrap().0;
    let mut found = false;
    for seq in (1..=head).rev().take(20) {
        if let Some(e) = ungcuu_store::audit::get(&mut c, seq).await.unwrap()
            && e.action == "incident.outcome"
        {
            assert_eq!(e.object_id.as_deref(), Some(id.as_str()));
            found = true;
            break;
        }
    }
    assert!(found, "no incident.outcome audit event");

    // A rejected report is not an incident: nothing is recorded for it.
    let other = report(&app, a, &report_body(f.org_a, "Báo nhầm")).await;
    let (st, e) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/incidents/{other}/transitions"),
            &f.coordinator.2,
            &json!({"to": "rejected", "comment": "Không phải sự cố"}),
        )
        .await;
    assert_eq!(st, 200, "{e}");
    let (st, p) = app
        .send_json(
            Method::PUT,
            &format!("/api/v1/incidents/{other}/outcome"),
            a,
            &json!({"estimated_damage_vnd": 1}),
        )
        .await;
    assert_eq!(st, 422, "{p}");
    let page = s.get(&format!("/incidents/{other}")).await;
    assert!(!page.body.contains("id=\"outcome-form\""));
}

#[tokio::test]
async fn a_summary_issued_in_a_new_year_waits_for_and_sees_one_issued_in_the_old() {
    use ungcuu_store::documents as store;
    let app = spawn_app().await;
    let f = app.fixture().await;
    let coord = &f.coordinator.2;
    let org = f.coordinator_org;
    // Two drafts whose periods overlap (drafting checks only against issued summaries).
    let mut ids = Vec::new();
    for (from, to) in [("2026-01", "2026-12"), ("2026-06", "2027-05")] {
        let (s, d) = app
            .send_json(
                Method::POST,
                "/api/v1/documents",
                coord,
                &json!({"form": "mau05", "org_id": org, "period_kind": "annual",
                        "period_from": from, "period_to": to}),
            )
            .await;
        assert_eq!(s, 201, "{d}");
        ids.push(uuid::Uuid::parse_str(d["id"].as_str().unwrap()).unwrap());
    }
    let (first, second) = (ids[0], ids[1]);
    let months = |y: i64, m: i64| y * 12 + m - 1;
    // The first is issued in 2026's register; while its transaction is open, the second
    // (numbered in 2027's register, a different row) takes the period lock and checks.
    let mut tx = app.core.db.begin().await.unwrap();
    store::next_number(&mut tx, org, 2026).await.unwrap();
    store::lock_periods(&mut tx, org).await.unwrap();
    let issued = store::Issue {
        data: "{}".into(),
        year: 2026,
        seq: 1,
        number: "1/BC-TEST".into(),
        at: time::OffsetDateTime::now_utc(),
        by: None,
        pdf_sha256: "0".repeat(64),
        docx_sha256: "0".repeat(64),
    };
    assert!(store::mark_issued(&mut tx, first, &issued).await.unwrap());
    let core = app.core.clone();
    let other = tokio::spawn(async move {
        let mut tx = core.db.begin().await.unwrap();
        store::next_number(&mut tx, org, 2027).await.unwrap();
        store::lock_periods(&mut tx, org).await.unwrap();
        let seen =
            store::overlapping_mau05(&mut tx, org, months(2026, 6), months(2027, 5), &[second])
                .await
                .unwrap();
        ungcuu_store::commit(tx).await.unwrap();
        seen.into_iter().map(|d| d.id).collect::<Vec<_>>()
    });
    // Give the other transaction time to reach the lock; without the lock it would check now
    // and see nothing.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    ungcuu_store::commit(tx).await.unwrap();
    let seen = other.await.unwrap();
    assert_eq!(seen, vec![first]);
}
