//! The document settings (place, national coordinator's address, approval) on a page and in the
//! API for the coordinator only; responsible network members as recipients of Mẫu 03 and 04,
//! by real SMTP, all or nothing; the scan of a letter or fax downloaded byte for byte by
//! readers only.

use crate::documents::{attachment, complete, draft, fields, issue, issued, report};
use crate::incidents::report_body;
use reqwest::Method;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use ungcuu_testkit::{PASSWORD, TestApp, WebSession, spawn_app};

async fn set_profile(app: &TestApp, admin: &str, org: uuid::Uuid, body: Value) {
    let (s, p) = app
        .send_json(
            Method::PUT,
            &format!("/api/v1/organizations/{org}/profile"),
            admin,
            &body,
        )
        .await;
    assert_eq!(s, 200, "{p}");
}

#[tokio::test]
async fn the_coordinator_sets_the_document_settings_bad_fields_are_named_and_others_are_refused() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let coord = &f.coordinator.2;
    let (s, before) = app.get_json("/api/v1/settings/documents", coord).await;
    assert_eq!(s, 200, "{before}");
    assert_eq!(
        before,
        json!({"place": "", "national_coordinator_email": "", "national_approval": false})
    );
    let good = json!({"place": "Đồng Tháp", "national_coordinator_email": "BaoCao@VNCERT.test.vn", "national_approval": true});
    let (s, saved) = app
        .send_json(Method::PUT, "/api/v1/settings/documents", coord, &good)
        .await;
    assert_eq!(s, 200, "{saved}");
    assert_eq!(saved["national_coordinator_email"], "baocao@vncert.test.vn");
    // The sending code reads the same keys.
    assert!(
        ungcuu_core::sending::approval_required(&app.core)
            .await
            .unwrap()
    );
    let (_, ev) = app
        .get_json("/api/v1/audit?action=settings.documents", &f.admin.2)
        .await;
    let summary = &ev["items"][0]["summary"];
    assert_eq!(summary["before"]["place"], "", "{ev}");
    assert_eq!(summary["after"]["place"], "Đồng Tháp", "{ev}");
    assert_eq!(summary["after"]["national_approval"], true, "{ev}");
    // Each bad field is named and nothing is written.
    let audit = app.audit_count().await;
    for (body, field) in [
        (
            json!({"place": "Đồng Tháp", "national_coordinator_email": "not an address", "national_approval": false}),
            "national_coordinator_email",
        ),
        (
            json!({"place": "  ", "national_coordinator_email": "a@b.vn", "national_approval": false}),
            "place",
        ),
        (
            json!({"place": "x".repeat(101), "national_coordinator_email": "a@b.vn", "national_approval": false}),
            "place",
        ),
        (
            json!({"place": "Đồng\nTháp", "national_coordinator_email": "a@b.vn", "national_approval": false}),
            "place",
        ),
        (
            json!({"place": "Đồng Tháp", "national_coordinator_email": "a@b.vn", "national_approval": "yes"}),
            "national_approval",
        ),
    ] {
        let (s, p) = app
            .send_json(Method::PUT, "/api/v1/settings/documents", coord, &body)
            .await;
        assert_eq!(s, 422, "{body}: {p}");
        assert_eq!(fields(&p), [field], "{p}");
    }
    assert_eq!(app.audit_count().await, audit);
    let (_, now) = app.get_json("/api/v1/settings/documents", coord).await;
    assert_eq!(now, saved);
    // A new draft prints the place.
    let id = report(
        &app,
        &f.officer_a.2,
        &report_body(f.org_a, "Sự cố có địa danh"),
    )
    .await;
    let d = draft(&app, &f.officer_a.2, "mau03", &id).await;
    assert_eq!(d["data"]["header"]["place"], "Đồng Tháp");
    // Nobody else reads or changes them; each refusal is audited.
    for t in [&f.officer_a.2, &f.officer_b.2] {
        assert_eq!(app.get_json("/api/v1/settings/documents", t).await.0, 403);
        let (s, _) = app
            .send_json(Method::PUT, "/api/v1/settings/documents", t, &good)
            .await;
        assert_eq!(s, 403);
    }
    let (_, denied) = app
        .get_json("/api/v1/audit?action=authz.denied", &f.admin.2)
        .await;
    assert_eq!(denied["items"].as_array().unwrap().len(), 4, "{denied}");

    // The page: shows the values, names a bad field without writing, saves, and is closed to
    // an officer.
    let web = WebSession::new(&app.url);
    web.login(&f.coordinator.0, PASSWORD).await;
    let r = web.get("/incidents").await;
    assert!(r.body.contains("href=\"/settings/documents\""), "linked");
    let r = web.get("/settings/documents").await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("value=\"Đồng Tháp\""), "{}", r.body);
    assert!(
        r.body.contains("id=\"national_approval\" checked"),
        "{}",
        r.body
    );
    let audit = app.audit_count().await;
    let r = web
        .post(
            "/settings/documents",
            &[
                ("place", "Cao Lãnh"),
                ("national_coordinator_email", "vncert"),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains("value=\"Cao Lãnh\""),
        "the typed value stays"
    );
    assert!(r.body.contains("class=\"field-error\""), "{}", r.body);
    assert_eq!(app.audit_count().await, audit);
    let r = web
        .post(
            "/settings/documents",
            &[
                ("place", "Cao Lãnh"),
                ("national_coordinator_email", "ir@vncert.test.vn"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let (_, now) = app.get_json("/api/v1/settings/documents", coord).await;
    assert_eq!(
        now,
        json!({"place": "Cao Lãnh", "national_coordinator_email": "ir@vncert.test.vn", "national_approval": false})
    );
    let officer = WebSession::new(&app.url);
    officer.login(&f.officer_a.0, PASSWORD).await;
    assert_eq!(officer.get("/settings/documents").await.status, 403);
    let r = officer
        .post(
            "/settings/documents",
            &[("place", "X"), ("national_coordinator_email", "x@y.vn")],
        )
        .await;
    assert_eq!(r.status, 403);
    let (_, now_after) = app.get_json("/api/v1/settings/documents", coord).await;
    assert_eq!(now_after, now);
}

#[tokio::test]
async fn a_report_goes_to_the_chosen_network_members_by_smtp_and_one_without_an_address_stops_it_all()
 {
    let sink = ungcuu_testkit::smtp::SmtpSink::start().await;
    let app = TestApp::with_smtp(&sink.url()).await;
    let f = app.fixture().await;
    let admin = &f.admin.2;
    let officer = &f.officer_a.2;
    crate::documents::addresses(&app, &f).await;
    // The response team is a network member with an address; a unit of A is one without; B is
    // a member an officer of A may not see.
    let csirt = app.org("doi-ung-cuu", "csirt", Some(f.province)).await;
    set_profile(
        &app,
        admin,
        csirt,
        json!({"member_code": "ĐT-0087", "intake_email": "doiungcuu@tinh.test.vn"}),
    )
    .await;
    set_profile(&app, admin, f.unit_a, json!({"member_code": "ĐT-0102"})).await;
    set_profile(
        &app,
        admin,
        f.org_b,
        json!({"member_code": "ĐT-0200", "email": "sob@test.vn"}),
    )
    .await;
    let (s, members) = app.get_json("/api/v1/network-members", officer).await;
    assert_eq!(s, 200);
    let listed: Vec<&str> = members
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["code"].as_str().unwrap())
        .collect();
    assert_eq!(listed, ["ĐT-0087", "ĐT-0102"], "{members}");
    assert_eq!(members[1]["has_address"], false);

    let id = report(
        &app,
        officer,
        &report_body(f.org_a, "Sự cố báo thành viên mạng lưới"),
    )
    .await;
    let i = issued(&app, officer, "mau03", &id).await;
    let doc = i["id"].as_str().unwrap().to_string();
    let send = |body: Value| {
        let app = &app;
        let url = format!("/api/v1/documents/{doc}/send");
        async move { app.send_json(Method::POST, &url, officer, &body).await }
    };
    // A member without an address refuses the whole sending, naming it; nothing is queued.
    let (s, p) = send(json!({"members": [csirt, f.unit_a]})).await;
    assert_eq!(s, 422, "{p}");
    assert_eq!(fields(&p), ["members"]);
    let message = p["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("thành viên mạng lưới"), "{p}");
    assert!(message.ends_with("Tổ chức don-vi-a"), "{p}");
    // Not a member, or a member the sender may not see: refused alike, B's name not shown.
    let (s, p) = send(json!({"members": [f.org_b]})).await;
    assert_eq!(s, 422, "{p}");
    assert_eq!(fields(&p), ["members"]);
    assert!(!p.to_string().contains("so-b"), "{p}");
    let (s, p) = send(json!({"parties": ["network_member"]})).await;
    assert_eq!(s, 422, "{p}");
    assert_eq!(fields(&p), ["members"]);
    let (_, ev) = app
        .get_json(
            &format!("/api/v1/audit?action=document.send&object_id={doc}"),
            admin,
        )
        .await;
    assert!(
        ev["items"].as_array().unwrap().is_empty(),
        "nothing sent: {ev}"
    );

    let (s, sent) = send(json!({"members": [csirt]})).await;
    assert_eq!(s, 202, "{sent}");
    let list = sent["sent"].as_array().unwrap();
    assert_eq!(list.len(), 4, "{sent}");
    let member = list
        .iter()
        .find(|x| x["party"] == "network_member")
        .unwrap();
    assert_eq!(member["org_id"], csirt.to_string());
    assert_eq!(member["to"], "doiungcuu@tinh.test.vn");
    ungcuu_core::jobs::drain(&app.core, "test").await.unwrap();
    // Four [TBSC] mails and the coordinator's notice of the new report.
    let got = sink.wait_for(5, std::time::Duration::from_secs(20)).await;
    let mail = got
        .iter()
        .find(|m| m.to[0] == "doiungcuu@tinh.test.vn")
        .expect("the member got its mail");
    let raw = mail.data_str();
    let subject = ungcuu_testkit::mail_subject(&raw);
    assert!(subject.starts_with("[TBSC] "), "{subject}");
    assert!(subject.contains(i["number"].as_str().unwrap()), "{subject}");
    let year = i["data"]["header"]["date"]["year"].as_u64().unwrap();
    let number = i["number"]
        .as_str()
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_string();
    let name = format!("mau03-{number}-{year}-v1");
    let pdf = attachment(&raw, &format!("{name}.pdf")).expect("PDF attached");
    assert_eq!(
        hex::encode(Sha256::digest(&pdf)),
        i["pdf_sha256"].as_str().unwrap()
    );
    let docx = attachment(&raw, &format!("{name}.docx")).expect("DOCX attached");
    assert_eq!(
        hex::encode(Sha256::digest(&docx)),
        i["docx_sha256"].as_str().unwrap()
    );
    assert!(
        attachment(&raw, &format!("{name}.json")).is_none(),
        "the bundle is the national coordinator's"
    );
    let (_, ev) = app
        .get_json(
            &format!("/api/v1/audit?action=document.send&object_id={doc}"),
            admin,
        )
        .await;
    let to = ev["items"][0]["summary"]["to"].to_string();
    assert!(
        to.contains("network_member") && to.contains(&csirt.to_string()),
        "{ev}"
    );

    // The page offers the members with checkboxes and keeps the choice when refused.
    let web = WebSession::new(&app.url);
    web.login(&f.officer_a.0, PASSWORD).await;
    let page = web.get(&format!("/documents/{doc}")).await;
    assert!(
        page.body
            .contains(&format!("name=\"member\" value=\"{csirt}\"")),
        "{}",
        page.body
    );
    assert!(!page.body.contains("ĐT-0200"), "B is not offered");
    let r = web
        .post(
            &format!("/documents/{doc}/send"),
            &[("member", &f.unit_a.to_string())],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Tổ chức don-vi-a"), "{}", r.body);
    assert!(
        r.body
            .contains(&format!("id=\"member-{}\" checked", f.unit_a)),
        "{}",
        r.body
    );
    // Mẫu 05 takes the coordinator organisation's member code, and goes to no member.
    set_profile(
        &app,
        admin,
        f.coordinator_org,
        json!({"member_code": "ĐT-0001", "intake_email": "dieuphoi@tinh.test.vn"}),
    )
    .await;
    let y = time::OffsetDateTime::now_utc().year();
    let (s, m5) = app
        .send_json(
            Method::POST,
            "/api/v1/documents",
            &f.coordinator.2,
            &json!({"form": "mau05", "org_id": f.coordinator_org, "period_kind": "annual",
                    "period_from": format!("{y}-01"), "period_to": format!("{y}-12")}),
        )
        .await;
    assert_eq!(s, 201, "{m5}");
    assert_eq!(m5["data"]["member_code"], "ĐT-0001");
}

#[tokio::test]
async fn the_scan_of_a_letter_downloads_byte_for_byte_for_readers_and_is_not_found_for_others() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let officer = &f.officer_a.2;
    let id = report(
        &app,
        officer,
        &report_body(f.org_a, "Sự cố gửi công văn có bản chụp"),
    )
    .await;
    let d = draft(&app, officer, "mau03", &id).await;
    complete(&app, officer, &d).await;
    let doc = d["id"].as_str().unwrap().to_string();
    assert_eq!(issue(&app, officer, &doc).await.0, 200);
    let record = |scan: Vec<u8>| {
        let app = &app;
        let url = format!("/api/v1/documents/{doc}/sendings?channel=letter&recipients=VNCERT%2FCC");
        async move {
            let r = app
                .api(Method::POST, &url, officer)
                .header("content-type", "text/html")
                .body(scan)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status().as_u16(), 201);
            r.json::<Value>().await.unwrap()
        }
    };
    let pdf =
        b"%PDF-1.4\n% b\xe1\xba\xa3n ch\xe1\xbb\xa5p c\xc3\xb4ng v\xc4\x83n\n%%EOF\n".to_vec();
    let html = b"<html><script>alert(1)</script></html>".to_vec();
    let r1 = record(pdf.clone()).await;
    assert_eq!(r1["scan_media_type"], "application/pdf");
    let r2 = record(html.clone()).await;
    // What the client calls it does not matter: unknown bytes are served as a download.
    assert_eq!(r2["scan_media_type"], "application/octet-stream");
    let (s, list) = app
        .get_json(&format!("/api/v1/documents/{doc}/sendings"), officer)
        .await;
    assert_eq!(s, 200, "{list}");
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(list[0]["id"], r1["id"]);
    for (r, bytes, media, ext) in [
        (&r1, &pdf, "application/pdf", ".pdf"),
        (&r2, &html, "application/octet-stream", ".bin"),
    ] {
        let url = format!(
            "/api/v1/documents/{doc}/sendings/{}/scan",
            r["id"].as_str().unwrap()
        );
        let got = list
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == r["id"])
            .unwrap();
        assert_eq!(got["scan_url"], url.as_str());
        // The coordinator reads A's documents too.
        for token in [officer, &f.coordinator.2] {
            let res = app.api(Method::GET, &url, token).send().await.unwrap();
            assert_eq!(res.status().as_u16(), 200);
            let h = res.headers().clone();
            assert_eq!(h["content-type"], media);
            assert_eq!(h["x-content-type-options"], "nosniff");
            let disposition = h["content-disposition"].to_str().unwrap().to_string();
            assert!(
                disposition.starts_with("attachment; filename=\"mau03-"),
                "{disposition}"
            );
            assert!(disposition.contains(&format!("{ext}\"")), "{disposition}");
            let body = res.bytes().await.unwrap().to_vec();
            assert_eq!(&body, bytes);
            assert_eq!(
                hex::encode(Sha256::digest(&body)),
                r["scan_sha256"].as_str().unwrap()
            );
        }
        // Another organisation: not found, as for the document itself.
        let res = app
            .api(Method::GET, &url, &f.officer_b.2)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 404);
        assert_eq!(
            app.get_json(&format!("/api/v1/documents/{doc}/sendings"), &f.officer_b.2)
                .await
                .0,
            404
        );
    }
    // A sending of another document is not reached through this one.
    let other = issued(&app, officer, "mau03", &id).await;
    let url = format!(
        "/api/v1/documents/{}/sendings/{}/scan",
        other["id"].as_str().unwrap(),
        r1["id"].as_str().unwrap()
    );
    assert_eq!(
        app.api(Method::GET, &url, officer)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        404
    );
    // The document page links the scans; the link downloads the same bytes; B gets 404.
    let web = WebSession::new(&app.url);
    web.login(&f.officer_a.0, PASSWORD).await;
    let page = web.get(&format!("/documents/{doc}")).await;
    let link = format!(
        "/documents/{doc}/sendings/{}/scan",
        r1["id"].as_str().unwrap()
    );
    assert!(
        page.body.contains(&format!("href=\"{link}\"")),
        "{}",
        page.body
    );
    let r = web.get(&link).await;
    assert_eq!(r.status, 200);
    assert!(r.headers["content-disposition"].starts_with("attachment;"));
    assert_eq!(r.body.as_bytes(), pdf.as_slice());
    let b = WebSession::new(&app.url);
    b.login(&f.officer_b.0, PASSWORD).await;
    assert_eq!(b.get(&link).await.status, 404);
}

#[tokio::test]
async fn with_approval_on_the_chosen_members_wait_and_go_once_a_second_person_approves() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let officer = &f.officer_a.2;
    crate::documents::addresses(&app, &f).await;
    let csirt = app.org("doi-ung-cuu", "csirt", Some(f.province)).await;
    set_profile(
        &app,
        &f.admin.2,
        csirt,
        json!({"member_code": "ĐT-0087", "email": "doiungcuu@tinh.test.vn"}),
    )
    .await;
    let (s, p) = app
        .send_json(
            Method::PUT,
            "/api/v1/settings/documents",
            &f.coordinator.2,
            &json!({"place": "Đồng Tháp", "national_coordinator_email": "baocao@vncert.test.vn", "national_approval": true}),
        )
        .await;
    assert_eq!(s, 200, "{p}");
    let id = report(&app, officer, &report_body(f.org_a, "Sự cố chờ phê duyệt")).await;
    let i = issued(&app, officer, "mau04", &id).await;
    let doc = i["id"].as_str().unwrap();
    let (s, r) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/documents/{doc}/send"),
            officer,
            &json!({"members": [csirt]}),
        )
        .await;
    assert_eq!(s, 202, "{r}");
    assert!(r["awaiting_approval"].is_string(), "{r}");
    assert!(r["sent"].as_array().unwrap().is_empty());
    let (s, r) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/documents/{doc}/send/approve"),
            &f.coordinator.2,
            &json!({}),
        )
        .await;
    assert_eq!(s, 202, "{r}");
    let mut parties: Vec<&str> = r["sent"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["party"].as_str().unwrap())
        .collect();
    parties.sort();
    assert_eq!(
        parties,
        ["coordinator", "national", "network_member", "owner"],
        "{r}"
    );
    let member = r["sent"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["party"] == "network_member")
        .unwrap();
    assert_eq!(member["org_id"], csirt.to_string());
    assert_eq!(member["to"], "doiungcuu@tinh.test.vn");
}

/// The letter/fax form on the document page posts `multipart/form-data` with the CSRF token:
/// bad input comes back with 422 next to its field and records nothing; a good one records the
/// sending, stops the notification clock of the incident (Mẫu 03) and the scan downloads with
/// the same SHA-256; another organisation's officer gets "not found".
#[tokio::test]
async fn a_letter_or_fax_is_recorded_from_the_document_page_with_its_scan() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let officer = &f.officer_a.2;
    let id = report(
        &app,
        officer,
        &report_body(f.org_a, "Sự cố gửi fax từ trang văn bản"),
    )
    .await;
    let d = draft(&app, officer, "mau03", &id).await;
    complete(&app, officer, &d).await;
    let doc = d["id"].as_str().unwrap().to_string();
    let web = WebSession::new(&app.url);
    web.login(&f.officer_a.0, PASSWORD).await;
    // A draft has no such form: only an issued document is sent.
    let page = web.get(&format!("/documents/{doc}")).await;
    assert!(!page.body.contains("id=\"record-sending\""));
    assert_eq!(issue(&app, officer, &doc).await.0, 200);
    let page = web.get(&format!("/documents/{doc}")).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("id=\"record-sending\"")
            && page.body.contains("enctype=\"multipart/form-data\""),
        "{}",
        page.body
    );
    let path = format!("/documents/{doc}/sendings");
    let scan = b"%PDF-1.4\n% b\xe1\xba\xa3n ch\xe1\xbb\xa5p fax\n%%EOF\n".repeat(200);
    let recipients = "Cục An toàn thông tin, VNCERT";
    let sendings = || async {
        let (s, list) = app
            .get_json(&format!("/api/v1/documents/{doc}/sendings"), officer)
            .await;
        assert_eq!(s, 200, "{list}");
        list.as_array().unwrap().len()
    };
    let notification = || async {
        let (_, c) = app
            .get_json(&format!("/api/v1/incidents/{id}/clocks"), officer)
            .await;
        let clock = c["clocks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["kind"] == "notification")
            .unwrap()
            .clone();
        (clock["status"].as_str().unwrap().to_string(), c)
    };
    let (before, _) = notification().await;
    assert_ne!(before, "stopped");
    // Bad input: the page again, 422, the message next to the field, what was typed kept.
    for (channel, to, file, error) in [
        ("letter", recipients, &b""[..], "hand-scan-error"),
        ("pigeon", recipients, &scan[..], "hand-channel-error"),
        ("fax", "   ", &scan[..], "hand-recipients-error"),
    ] {
        let r = web
            .post_multipart(
                &path,
                &[
                    ("channel", channel),
                    ("recipients", to),
                    ("note", "Ghi chú thử"),
                ],
                &[("scan", if file.is_empty() { "" } else { "fax.pdf" }, file)],
            )
            .await;
        assert_eq!(r.status, 422, "{channel} {to:?}: {}", r.body);
        assert!(r.body.contains(&format!("id=\"{error}\"")), "{error}");
        assert!(r.body.contains("Ghi chú thử"), "the note is shown again");
        assert_eq!(sendings().await, 0, "{error}: nothing recorded");
    }
    // Over 20 MiB, like the API: refused before anything is kept.
    let big = vec![b'%'; 20 * 1024 * 1024 + 128 * 1024];
    let r = web
        .post_multipart(
            &path,
            &[("channel", "letter"), ("recipients", recipients)],
            &[("scan", "lon.pdf", &big)],
        )
        .await;
    assert_eq!(r.status, 413);
    assert_eq!(sendings().await, 0);
    // Without the page's CSRF token nothing is recorded either.
    let r = web
        .post_multipart(
            &path,
            &[
                ("_csrf", "forged"),
                ("channel", "fax"),
                ("recipients", recipients),
            ],
            &[("scan", "fax.pdf", &scan)],
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(sendings().await, 0);
    assert_eq!(notification().await.0, before);
    // Another organisation's officer: not found, nothing recorded.
    let b = WebSession::new(&app.url);
    b.login(&f.officer_b.0, PASSWORD).await;
    b.get("/").await;
    let r = b
        .post_multipart(
            &path,
            &[("channel", "fax"), ("recipients", recipients)],
            &[("scan", "fax.pdf", &scan)],
        )
        .await;
    assert_eq!(r.status, 404, "{}", r.body);
    assert_eq!(sendings().await, 0);
    // The good form: back to the document, where the sending is listed with its scan.
    let r = web
        .post_multipart(
            &path,
            &[
                ("channel", "fax"),
                ("recipients", recipients),
                ("note", "Xác nhận fax số 0277 3851 234"),
            ],
            &[("scan", "fax.pdf", &scan)],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        r.location.as_deref(),
        Some(format!("/documents/{doc}#hand-sendings").as_str())
    );
    let (s, list) = app
        .get_json(&format!("/api/v1/documents/{doc}/sendings"), officer)
        .await;
    assert_eq!(s, 200);
    let list = list.as_array().unwrap().clone();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["channel"], "fax");
    assert_eq!(list[0]["recipients"], recipients);
    assert_eq!(list[0]["note"], "Xác nhận fax số 0277 3851 234");
    assert_eq!(list[0]["scan_media_type"], "application/pdf");
    let page = web.get(&format!("/documents/{doc}")).await;
    assert!(
        page.body
            .contains("Đã ghi nhận việc gửi bằng công văn, fax.")
    );
    assert!(page.body.contains(recipients), "{}", page.body);
    let link = format!(
        "/documents/{doc}/sendings/{}/scan",
        list[0]["id"].as_str().unwrap()
    );
    assert!(page.body.contains(&format!("href=\"{link}\"")));
    let dl = web.get(&link).await;
    assert_eq!(dl.status, 200);
    assert_eq!(
        hex::encode(Sha256::digest(dl.body.as_bytes())),
        hex::encode(Sha256::digest(&scan))
    );
    assert_eq!(list[0]["scan_sha256"], hex::encode(Sha256::digest(&scan)));
    // The notification clock of the incident stopped, by fax.
    let (status, c) = notification().await;
    assert_eq!(status, "stopped", "{c}");
    assert_eq!(c["records"][0]["channel"], "fax", "{c}");
    assert_eq!(c["records"][0]["recipients"], recipients, "{c}");
}
