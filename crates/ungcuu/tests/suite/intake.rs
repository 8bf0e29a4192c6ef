//! E-mail intake with messages shaped like those real clients send (fixtures in
//! tests/fixtures/mail): Vietnamese read back exactly, attachments hashed as sent, a reply
//! joining its thread, a repeat changing nothing, hostile names and bad input refused.

use reqwest::Method;
use serde_json::Value;
use sha2::{Digest, Sha256};
use ungcuu_testkit::{PASSWORD, TestApp, WebSession, assert_inert, spawn_app};

/// A fixture file's bytes.
pub fn mail(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/mail/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn text(name: &str) -> String {
    String::from_utf8(mail(name)).unwrap().trim().to_string()
}

fn sha256(b: &[u8]) -> String {
    hex::encode(Sha256::digest(b))
}

/// Posts a raw message as `message/rfc822`.
pub async fn post_mail(app: &TestApp, token: &str, raw: Vec<u8>) -> (u16, Value) {
    let r = app
        .api(Method::POST, "/api/v1/intake/email", token)
        .header("content-type", "message/rfc822")
        .body(raw)
        .send()
        .await
        .unwrap();
    let s = r.status().as_u16();
    (s, r.json().await.unwrap_or(Value::Null))
}

async fn get(app: &TestApp, token: &str, path: &str) -> Value {
    let (s, v) = app.get_json(path, token).await;
    assert_eq!(s, 200, "{path}: {v}");
    v
}

/// Rows of a table (to prove nothing was written).
pub async fn rows(app: &TestApp, table: &str) -> i64 {
    use sqlx::Row;
    let mut c = app.core.db.conn().await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) AS n FROM {table}"
    )))
    .fetch_one(&mut *c)
    .await
    .unwrap()
    .try_get::<i64, _>("n")
    .unwrap()
}

/// Posts `body` with `Transfer-Encoding: chunked` (no Content-Length) over a plain socket and
/// gives the status code.
async fn chunked_post(app: &TestApp, token: &str, body: &[u8]) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    let head = format!(
        "POST /api/v1/intake/email HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: message/rfc822\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        app.addr
    );
    s.write_all(head.as_bytes()).await.unwrap();
    // The server may answer and close before everything is sent: later writes may fail.
    for chunk in body.chunks(300) {
        let mut c = format!("{:x}\r\n", chunk.len()).into_bytes();
        c.extend_from_slice(chunk);
        c.extend_from_slice(b"\r\n");
        if s.write_all(&c).await.is_err() {
            break;
        }
    }
    let _ = s.write_all(b"0\r\n\r\n").await;
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    while let Ok(n) = s.read(&mut buf).await {
        if n == 0 {
            break;
        }
        out.extend_from_slice(&buf[..n]);
    }
    let text = String::from_utf8_lossy(&out);
    text.split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

fn problem_fields(v: &Value) -> Vec<String> {
    v["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| e["field"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn a_thunderbird_mail_with_a_pdf_opens_a_draft_incident_of_the_senders_organisation() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    // The sender has an account in A; the coordinator's gateway token posts the message.
    app.user("dao.nt@so-a.example.vn", f.org_a, "officer").await;
    let raw = mail("thunderbird_mixed_pdf.eml");
    let (s, r) = post_mail(&app, &f.coordinator.2, raw.clone()).await;
    assert_eq!(s, 201, "{r}");
    assert_eq!(r["outcome"], "new");
    assert_eq!(r["duplicate"], false);
    assert_eq!(
        r["message_id"],
        "8f3c2a10-5b7e-4c1d-9a6e-2f0e1d3c4b5a@so-a.example.vn"
    );
    let id = r["incident_id"].as_str().unwrap();

    let i = get(&app, &f.officer_a.2, &format!("/api/v1/incidents/{id}")).await;
    assert_eq!(
        i["title"],
        "Báo cáo sự cố: cổng thông tin Sở A bị tấn công thay đổi giao diện"
    );
    assert_eq!(i["description"], text("thunderbird_body.txt").as_str());
    assert_eq!(i["state"], "received");
    assert_eq!(i["owner"]["id"], f.org_a.to_string().as_str());
    assert_eq!(i["report"]["reporter_name"], "Nguyễn Thị Đào");
    assert_eq!(i["report"]["reporter_email"], "dao.nt@so-a.example.vn");
    assert_eq!(i["report"]["channel"], "email");
    // The Date header (08:12:45 +07:00) is when it was reported.
    assert_eq!(i["reported_at"], "2026-03-03T01:12:45Z");

    let pdf = mail("bao-cao.pdf");
    let ev = get(
        &app,
        &f.officer_a.2,
        &format!("/api/v1/incidents/{id}/evidence"),
    )
    .await;
    let ev = ev.as_array().unwrap();
    assert_eq!(ev.len(), 2, "{ev:?}");
    let eml = ev.iter().find(|e| e["sha256"] == sha256(&raw).as_str());
    let eml = eml.expect("the raw message is evidence");
    assert!(eml["original_name"].as_str().unwrap().ends_with(".eml"));
    assert_eq!(eml["size"], raw.len() as i64);
    let p = ev
        .iter()
        .find(|e| e["sha256"] == sha256(&pdf).as_str())
        .expect("the PDF is evidence with the hash of the bytes sent");
    assert_eq!(p["original_name"], "Báo cáo sự cố.pdf");
    assert_eq!(p["media_type"], "application/pdf");
    assert_eq!(p["size"], pdf.len() as i64);
    let sha = sha256(&pdf);
    let blob = app
        .data_dir
        .join("blobs/sha256")
        .join(&sha[..2])
        .join(&sha[2..]);
    assert_eq!(std::fs::read(blob).unwrap(), pdf);

    // Indicators from the defanged text of the body.
    let inds = get(
        &app,
        &f.officer_a.2,
        &format!("/api/v1/incidents/{id}/indicators"),
    )
    .await;
    let values: Vec<&str> = inds
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["value"].as_str().unwrap())
        .collect();
    assert!(values.contains(&"198.51.100.23"), "{values:?}");
    assert!(
        values.iter().any(|v| v.contains("evil-deface.example")),
        "{values:?}"
    );
    let (_, audit) = app
        .get_json("/api/v1/audit?action=incident.create&limit=10", &f.admin.2)
        .await;
    let items = audit["items"].as_array().unwrap();
    assert!(
        items
            .iter()
            .any(|e| e["summary"]["channel"] == "email" && e["object_id"] == id),
        "{audit}"
    );
}

#[tokio::test]
async fn an_outlook_windows_1258_quoted_printable_mail_reads_back_exactly() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    // The sender has no account: the incident is the caller's organisation's.
    let (s, r) = post_mail(&app, &f.officer_b.2, mail("outlook_alternative_1258.eml")).await;
    assert_eq!(s, 201, "{r}");
    let id = r["incident_id"].as_str().unwrap();
    let i = get(&app, &f.officer_b.2, &format!("/api/v1/incidents/{id}")).await;
    assert_eq!(i["title"], text("outlook_subject.txt").as_str());
    assert_eq!(i["title"], "Khẩn: máy chủ kế toán bị mã độc tống tiền");
    // The plain part of multipart/alternative, decoded from Windows-1258 into NFC.
    assert_eq!(i["description"], text("outlook_body.txt").as_str());
    assert!(i["description"].as_str().unwrap().contains("Trần Văn Đức"));
    assert_eq!(i["report"]["reporter_name"], "Trần Văn Đức");
    assert_eq!(i["owner"]["id"], f.org_b.to_string().as_str());
    let inds = get(
        &app,
        &f.officer_b.2,
        &format!("/api/v1/incidents/{id}/indicators"),
    )
    .await;
    assert!(
        inds.as_array()
            .unwrap()
            .iter()
            .any(|x| x["kind"] == "email" && x["value"] == "attacker@evil-mail.example"),
        "{inds}"
    );
}

#[tokio::test]
async fn a_gmail_reply_joins_its_thread_and_the_same_message_again_writes_nothing() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let t = &f.officer_a.2;
    let (s, first) = post_mail(&app, t, mail("thunderbird_mixed_pdf.eml")).await;
    assert_eq!(s, 201, "{first}");
    let id = first["incident_id"].as_str().unwrap().to_string();

    let (s, reply) = post_mail(&app, t, mail("gmail_reply.eml")).await;
    assert_eq!(s, 201, "{reply}");
    assert_eq!(reply["outcome"], "reply");
    assert_eq!(reply["incident_id"], id.as_str());
    let log = mail("nhat-ky.log");
    let ev = get(&app, t, &format!("/api/v1/incidents/{id}/evidence")).await;
    assert_eq!(ev.as_array().unwrap().len(), 4, "{ev}");
    assert!(
        ev.as_array()
            .unwrap()
            .iter()
            .any(|e| e["sha256"] == sha256(&log).as_str() && e["original_name"] == "nhat-ky.log"),
        "{ev}"
    );
    let tl = get(&app, t, &format!("/api/v1/incidents/{id}/timeline")).await;
    let comment = tl
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "comment")
        .expect("the reply is a timeline entry");
    let c = comment["comment"].as_str().unwrap();
    assert!(
        c.contains("Lê Minh Khoa <khoa.lm.soa@gmail.example>"),
        "{c}"
    );
    assert!(c.contains(text("gmail_body.txt").as_str()), "{c}");
    // The reply happened when it was sent.
    assert_eq!(comment["happened_at"], "2026-03-03T02:41:07Z");

    // Posting either message again answers the earlier result and writes nothing.
    let before = (
        app.audit_count().await,
        rows(&app, "evidence").await,
        rows(&app, "incident_events").await,
        rows(&app, "incidents").await,
        rows(&app, "email_messages").await,
    );
    let (s, again) = post_mail(&app, t, mail("gmail_reply.eml")).await;
    assert_eq!(s, 200, "{again}");
    assert_eq!(again["duplicate"], true);
    assert_eq!(again["outcome"], "reply");
    assert_eq!(again["incident_id"], id.as_str());
    let (s, again) = post_mail(&app, t, mail("thunderbird_mixed_pdf.eml")).await;
    assert_eq!(s, 200, "{again}");
    assert_eq!(again["outcome"], "new");
    assert_eq!(again["incident_id"], id.as_str());
    let after = (
        app.audit_count().await,
        rows(&app, "evidence").await,
        rows(&app, "incident_events").await,
        rows(&app, "incidents").await,
        rows(&app, "email_messages").await,
    );
    assert_eq!(before, after);
}

#[tokio::test]
async fn an_html_only_mail_is_kept_as_text_and_never_rendered() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let (s, r) = post_mail(&app, &f.officer_a.2, mail("html_only_script.eml")).await;
    assert_eq!(s, 201, "{r}");
    let id = r["incident_id"].as_str().unwrap();
    let i = get(&app, &f.officer_a.2, &format!("/api/v1/incidents/{id}")).await;
    assert_eq!(i["title"], "Cảnh báo bảo mật");
    let d = i["description"].as_str().unwrap();
    assert!(d.contains("Tài khoản của bạn sắp bị khóa"), "{d}");
    assert!(d.contains("Bộ phận CNTT"), "{d}");
    assert!(!d.contains('<') && !d.contains("alert"), "{d}");
    let s = WebSession::new(&app.url);
    assert_eq!(s.login(&f.officer_a.0, PASSWORD).await.status, 303);
    let page = s.get(&format!("/incidents/{id}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Tài khoản của bạn sắp bị khóa"));
    // The e-mails section names the sender and the Message-ID, linking the raw message.
    assert!(page.body.contains("id=\"email-list\""));
    assert!(page.body.contains("html-only-7781@phish-login.example"));
    assert!(
        page.body
            .contains("IT Helpdesk &#60;helpdesk@phish-login.example&#62;")
    );
    assert_inert(
        &page.body,
        "<script>alert(\"xss-mail\")</script>",
        "incident page of an HTML mail",
    );
    assert!(!page.body.contains("onerror=\"alert(1)\""));
}

fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(files_under(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

#[tokio::test]
async fn attachment_names_that_climb_quote_or_break_lines_are_sanitised_and_stay_in_the_store() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let t = &f.officer_a.2;
    let (s, r) = post_mail(&app, t, mail("evil_names.eml")).await;
    assert_eq!(s, 201, "{r}");
    let ev = r["evidence"].as_array().unwrap();
    assert_eq!(ev.len(), 5, "{r}");
    let names: Vec<&str> = ev[1..]
        .iter()
        .map(|e| e["original_name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        vec![
            "evil.exe",
            "passwd",
            "quotedname.txt",
            "line1line2X-Evil: yes.txt"
        ]
    );
    for n in &names {
        assert!(
            !n.contains(['/', '\\', '"', '\'', '\r', '\n']) && !n.starts_with('.'),
            "{n}"
        );
    }
    let exe = b"MZ\x90\x00\x03\x00\x00\x00 this program cannot be run in DOS mode";
    assert_eq!(ev[1]["sha256"], sha256(exe).as_str());
    assert_eq!(ev[1]["malicious_sample"], true);
    assert_eq!(
        ev[2]["sha256"],
        sha256(b"root:x:0:0:root:/root:/bin/bash\n").as_str()
    );
    // Every file is in the content-addressed store, named by its hash; nothing elsewhere.
    let stored = files_under(&app.data_dir.join("blobs"));
    assert_eq!(stored.len(), 5, "{stored:?}");
    for p in &stored {
        assert!(p.starts_with(app.data_dir.join("blobs/sha256")), "{p:?}");
    }
    for p in files_under(&app.data_dir) {
        let n = p.file_name().unwrap().to_string_lossy().to_string();
        assert!(n != "evil.exe" && n != "passwd", "{p:?}");
    }
    // The download names the file safely, as an attachment.
    let id = ev[4]["id"].as_str().unwrap();
    let d = app
        .api(Method::GET, &format!("/api/v1/evidence/{id}/download"), t)
        .send()
        .await
        .unwrap();
    assert_eq!(d.status(), 200);
    let cd = d.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(cd.starts_with("attachment;"), "{cd}");
    assert!(!cd.contains('\r') && !cd.contains('\n'), "{cd}");
}

#[tokio::test]
async fn the_openapi_document_describes_the_intake() {
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
    let op = &doc["paths"]["/api/v1/intake/email"]["post"];
    assert!(
        op["requestBody"]["content"]["message/rfc822"].is_object(),
        "{op}"
    );
    for status in ["200", "201", "413", "415", "422"] {
        assert!(op["responses"][status].is_object(), "{status}: {op}");
    }
    assert!(doc["components"]["schemas"]["IntakeOut"].is_object());
}

#[tokio::test]
async fn bad_input_is_refused_naming_the_field_and_writes_nothing() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let t = &f.officer_a.2;
    let (_, _, viewer) = app.user("viewer@test.vn", f.org_a, "viewer").await;
    let before_rows = (
        rows(&app, "incidents").await,
        rows(&app, "evidence").await,
        rows(&app, "email_messages").await,
        rows(&app, "indicators").await,
    );
    let before_audit = app.audit_count().await;

    let (s, p) = post_mail(&app, t, Vec::new()).await;
    assert_eq!(s, 422, "{p}");
    assert_eq!(problem_fields(&p), vec!["message"]);
    assert!(!p["errors"][0]["message"].as_str().unwrap().is_empty());

    let (s, p) = post_mail(&app, t, b"hello, this is not an e-mail\r\n".to_vec()).await;
    assert_eq!(s, 422, "{p}");
    assert_eq!(problem_fields(&p), vec!["message"]);

    let (s, p) = post_mail(
        &app,
        t,
        b"Subject: no sender\r\nMessage-ID: <x@y.vn>\r\n\r\nbody\r\n".to_vec(),
    )
    .await;
    assert_eq!(s, 422, "{p}");
    assert_eq!(problem_fields(&p), vec!["from"]);

    let r = app
        .api(Method::POST, "/api/v1/intake/email", t)
        .header("content-type", "application/json")
        .body(mail("thunderbird_mixed_pdf.eml"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 415);

    let r = app
        .client
        .post(format!("{}/api/v1/intake/email", app.url))
        .header("content-type", "message/rfc822")
        .body(mail("thunderbird_mixed_pdf.eml"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);

    // A read-only account may not report.
    let (s, p) = post_mail(&app, &viewer, mail("thunderbird_mixed_pdf.eml")).await;
    assert_eq!(s, 403, "{p}");

    // Over the configured limit: 413 before anything is stored.
    {
        let mut c = app.core.db.conn().await.unwrap();
        ungcuu_store::settings::set(
            &mut c,
            ungcuu_core::intake::LIMIT_KEY,
            "1000",
            ungcuu_domain::timefmt::now(),
        )
        .await
        .unwrap();
    }
    let (s, p) = post_mail(&app, t, mail("thunderbird_mixed_pdf.eml")).await;
    assert_eq!(s, 413, "{p}");
    assert_eq!(p["status"], 413);
    // Streamed without a declared length: refused once past the limit too.
    assert_eq!(
        chunked_post(&app, t, &mail("thunderbird_mixed_pdf.eml")).await,
        413
    );
    // At the limit exactly it is read (and here refused for what it is, not for its size).
    let mut at_limit = b"Subject: no sender\r\n\r\n".to_vec();
    at_limit.resize(1000, b'a');
    let (s, p) = post_mail(&app, t, at_limit).await;
    assert_eq!(s, 422, "{p}");

    let after_rows = (
        rows(&app, "incidents").await,
        rows(&app, "evidence").await,
        rows(&app, "email_messages").await,
        rows(&app, "indicators").await,
    );
    assert_eq!(before_rows, after_rows);
    // Only the refusal of the viewer was audited.
    assert_eq!(app.audit_count().await, before_audit + 1);
    assert!(files_under(&app.data_dir.join("blobs/sha256")).is_empty());
}
