//! Evidence files and indicators: streamed upload with three hashes into the content-addressed
//! store, download as a sandboxed attachment with a safe name, the chain of custody, the size
//! limit, extraction of defanged indicators and "seen before" limited to what the caller reads.

use crate::incidents::report_body;
use md5::Md5;
use reqwest::Method;
use serde_json::{Value, json};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use ungcuu_testkit::{TestApp, spawn_app};

async fn incident(app: &TestApp, token: &str, owner: uuid::Uuid, title: &str) -> String {
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

async fn upload(app: &TestApp, token: &str, id: &str, query: &str, bytes: Vec<u8>) -> (u16, Value) {
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/incidents/{id}/evidence?{query}"),
            token,
        )
        .header("content-type", "text/html")
        .body(bytes)
        .send()
        .await
        .unwrap();
    let s = r.status().as_u16();
    (s, r.json().await.unwrap_or(Value::Null))
}

/// One evidence file and one indicator on incident `i` (for the permission matrix).
pub async fn evidence_of(app: &TestApp, token: &str, i: &Value) -> (String, String) {
    let id = i["id"].as_str().unwrap();
    let (s, e) = upload(app, token, id, "name=b.txt", b"evidence of B".to_vec()).await;
    assert_eq!(s, 201, "{e}");
    let (s, ind) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/incidents/{id}/indicators"),
            token,
            &json!({ "kind": "domain", "value": "sob.example.vn" }),
        )
        .await;
    assert_eq!(s, 201, "{ind}");
    (
        e["id"].as_str().unwrap().to_string(),
        ind["id"].as_str().unwrap().to_string(),
    )
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
async fn an_uploaded_file_is_hashed_stored_by_hash_downloaded_as_attachment_with_custody() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let officer = &f.officer_a.2;
    let id = incident(&app, officer, f.org_a, "Mã độc tại Sở A").await;
    let mut bytes = b"MZ\x90\x00 fake program <script>alert(1)</script>".to_vec();
    bytes.extend((0..70_000u32).map(|i| (i % 251) as u8));
    let (s, e) = upload(
        &app,
        officer,
        &id,
        "name=dropper.exe&description=M%E1%BA%ABu%20t%E1%BB%AB%20m%C3%A1y%20ch%E1%BB%A7",
        bytes.clone(),
    )
    .await;
    assert_eq!(s, 201, "{e}");
    let sha256 = hex::encode(Sha256::digest(&bytes));
    assert_eq!(e["sha256"], sha256.as_str());
    assert_eq!(e["sha1"], hex::encode(Sha1::digest(&bytes)).as_str());
    assert_eq!(e["md5"], hex::encode(Md5::digest(&bytes)).as_str());
    assert_eq!(e["size"], bytes.len() as i64);
    // Sniffed from the bytes, not the client's text/html; a program is a malicious sample.
    assert_eq!(
        e["media_type"],
        "application/vnd.microsoft.portable-executable"
    );
    assert_eq!(e["malicious_sample"], true);
    assert_eq!(e["original_name"], "dropper.exe");
    let path = app
        .data_dir
        .join("blobs/sha256")
        .join(&sha256[..2])
        .join(&sha256[2..]);
    assert_eq!(std::fs::read(&path).unwrap(), bytes);

    // The same bytes again reuse the blob.
    let (s, e2) = upload(&app, officer, &id, "name=again.bin", bytes.clone()).await;
    assert_eq!(s, 201, "{e2}");
    assert_eq!(files_under(&app.data_dir.join("blobs/sha256")).len(), 1);
    assert!(files_under(&app.data_dir.join("blobs/tmp")).is_empty());

    let (s, list) = app
        .get_json(&format!("/api/v1/incidents/{id}/evidence"), officer)
        .await;
    assert_eq!(s, 200);
    assert_eq!(list.as_array().unwrap().len(), 2);

    let eid = e["id"].as_str().unwrap();
    let r = app
        .api(
            Method::GET,
            &format!("/api/v1/evidence/{eid}/download"),
            officer,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let h = r.headers().clone();
    assert_eq!(h["content-type"], "application/octet-stream");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert!(
        h["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("sandbox")
    );
    let cd = h["content-disposition"].to_str().unwrap();
    assert!(cd.starts_with("attachment;"), "{cd}");
    assert!(cd.contains("filename*=UTF-8''dropper.exe"), "{cd}");
    assert_eq!(r.bytes().await.unwrap().to_vec(), bytes);

    let (s, c) = app
        .post_custody(
            eid,
            officer,
            json!({"to_whom": "Công an tỉnh", "note": "USB niêm phong"}),
        )
        .await;
    assert_eq!(s, 201, "{c}");
    let (s, chain) = app
        .get_json(&format!("/api/v1/evidence/{eid}/custody"), officer)
        .await;
    assert_eq!(s, 200);
    let kinds: Vec<&str> = chain
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["collected", "downloaded", "handed_over"], "{chain}");

    // Officer of B sees nothing of it.
    let b = &f.officer_b.2;
    for p in [
        format!("/api/v1/incidents/{id}/evidence"),
        format!("/api/v1/evidence/{eid}/download"),
        format!("/api/v1/evidence/{eid}/custody"),
    ] {
        assert_eq!(app.get_json(&p, b).await.0, 404, "{p}");
    }
    assert_eq!(upload(&app, b, &id, "name=x", b"x".to_vec()).await.0, 404);
}

trait Custody {
    async fn post_custody(&self, eid: &str, token: &str, body: Value) -> (u16, Value);
}

impl Custody for TestApp {
    async fn post_custody(&self, eid: &str, token: &str, body: Value) -> (u16, Value) {
        self.send_json(
            Method::POST,
            &format!("/api/v1/evidence/{eid}/custody"),
            token,
            &body,
        )
        .await
    }
}

#[tokio::test]
async fn a_file_over_the_limit_is_refused_with_413_and_leaves_nothing_behind() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let officer = &f.officer_a.2;
    let id = incident(&app, officer, f.org_a, "Tệp lớn").await;
    {
        let mut c = app.core.db.conn().await.unwrap();
        ungcuu_store::settings::set(
            &mut c,
            ungcuu_core::evidence::LIMIT_KEY,
            "4096",
            time::OffsetDateTime::now_utc(),
        )
        .await
        .unwrap();
    }
    // Declared too large: refused before reading.
    let (s, b) = upload(&app, officer, &id, "name=big.bin", vec![7u8; 5000]).await;
    assert_eq!(s, 413, "{b}");
    // Streamed without a length (chunked): refused once past the limit, temp file removed.
    let mut tcp = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    let head = format!(
        "POST /api/v1/incidents/{id}/evidence?name=big.bin HTTP/1.1\r\nHost: {}\r\n\
         Authorization: Bearer {officer}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        app.addr
    );
    tcp.write_all(head.as_bytes()).await.unwrap();
    for _ in 0..4 {
        let chunk = vec![b'a'; 2000];
        let _ = tcp
            .write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
            .await;
        let _ = tcp.write_all(&chunk).await;
        let _ = tcp.write_all(b"\r\n").await;
    }
    let _ = tcp.write_all(b"0\r\n\r\n").await;
    let mut answer = Vec::new();
    let _ = tcp.read_to_end(&mut answer).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(files_under(&app.data_dir.join("blobs/sha256")).is_empty());
    assert!(files_under(&app.data_dir.join("blobs/tmp")).is_empty());
    let (_, list) = app
        .get_json(&format!("/api/v1/incidents/{id}/evidence"), officer)
        .await;
    assert_eq!(list, json!([]));
    // Under the limit it is fine.
    assert_eq!(
        upload(&app, officer, &id, "name=ok.txt", vec![b'b'; 4096])
            .await
            .0,
        201
    );
}

#[tokio::test]
async fn a_hostile_file_name_gives_a_safe_content_disposition() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let officer = &f.officer_a.2;
    let id = incident(&app, officer, f.org_a, "Tên tệp độc").await;
    let name = "../../etc/b\u{e1}o c\u{e1}o\r\nSet-Cookie: x=1\"; .pdf";
    let q = format!(
        "name={}",
        name.bytes()
            .map(|b| format!("%{b:02X}"))
            .collect::<String>()
    );
    let (s, e) = upload(&app, officer, &id, &q, b"%PDF-1.7 hello".to_vec()).await;
    assert_eq!(s, 201, "{e}");
    assert_eq!(e["media_type"], "application/pdf");
    let shown = e["original_name"].as_str().unwrap();
    assert!(!shown.contains(['/', '\r', '\n', '"']), "{shown}");
    let r = app
        .api(
            Method::GET,
            &format!("/api/v1/evidence/{}/download", e["id"].as_str().unwrap()),
            officer,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers().get("set-cookie").is_none());
    let cd = r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(cd.starts_with("attachment; filename=\""), "{cd}");
    assert_eq!(cd.matches('"').count(), 2, "{cd}");
    assert!(!cd.contains(".."), "{cd}");
    assert!(
        cd.contains("filename*=UTF-8''b%C3%A1o%20c%C3%A1oSet-Cookie%3A%20x%3D1%20.pdf"),
        "{cd}"
    );
}

#[tokio::test]
async fn indicators_are_extracted_from_defanged_text_and_seen_before_only_where_readable() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let (a, b) = (&f.officer_a.2, &f.officer_b.2);
    let ia = incident(&app, a, f.org_a, "Lừa đảo Sở A").await;
    let ib = incident(&app, b, f.org_b, "Lừa đảo Sở B").await;
    let text = "Phishing từ hxxps://login-dongthap[.]example/verify, IP 198.51.100[.]23, \
                mail ke-gian[@]example(.)net, lỗi CVE-2024-3400.";
    let (s, got) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/incidents/{ia}/indicators/extract"),
            a,
            &json!({ "text": text }),
        )
        .await;
    assert_eq!(s, 200, "{got}");
    let pairs: Vec<(String, String)> = got
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["kind"].as_str().unwrap().to_string(),
                i["value"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for (k, v) in [
        ("url", "https://login-dongthap.example/verify"),
        ("ip", "198.51.100.23"),
        ("email", "ke-gian@example.net"),
        ("cve", "CVE-2024-3400"),
    ] {
        assert!(
            pairs.contains(&(k.into(), v.into())),
            "{k} {v} in {pairs:?}"
        );
    }
    // Extracting again adds nothing new.
    let (_, again) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/incidents/{ia}/indicators/extract"),
            a,
            &json!({ "text": text }),
        )
        .await;
    assert_eq!(again, json!([]));
    // B adds the same IP by hand, defanged.
    let (s, ind) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/incidents/{ib}/indicators"),
            b,
            &json!({ "kind": "ip", "value": "198.51.100[.]23" }),
        )
        .await;
    assert_eq!(s, 201, "{ind}");
    assert_eq!(ind["value"], "198.51.100.23");
    let (s, bad) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/incidents/{ib}/indicators"),
            b,
            &json!({ "kind": "ip", "value": "not an ip" }),
        )
        .await;
    assert_eq!(s, 422, "{bad}");

    let seen = |list: &Value| -> Vec<String> {
        list.as_array()
            .unwrap()
            .iter()
            .filter(|i| i["value"] == "198.51.100.23")
            .flat_map(|i| i["seen_in"].as_array().unwrap().clone())
            .map(|s| s["id"].as_str().unwrap().to_string())
            .collect()
    };
    // Officer of A cannot read B's incident: it is not revealed.
    let (s, la) = app
        .get_json(&format!("/api/v1/incidents/{ia}/indicators"), a)
        .await;
    assert_eq!(s, 200);
    assert!(seen(&la).is_empty(), "{la}");
    assert!(!la.to_string().contains("Sở B"), "{la}");
    // The coordinator reads both.
    let (_, lc) = app
        .get_json(
            &format!("/api/v1/incidents/{ia}/indicators"),
            &f.coordinator.2,
        )
        .await;
    assert_eq!(seen(&lc), vec![ib.clone()], "{lc}");
    // A read grant on B's incident to A's organisation reveals it to A.
    let (s, g) = app
        .send_json(
            Method::POST,
            "/api/v1/grants",
            &f.admin.2,
            &json!({"object_type": "incident", "object_id": ib, "grantee_org_id": f.org_a, "access": "read"}),
        )
        .await;
    assert_eq!(s, 201, "{g}");
    let (_, la) = app
        .get_json(&format!("/api/v1/incidents/{ia}/indicators"), a)
        .await;
    assert_eq!(seen(&la), vec![ib.clone()], "{la}");

    // B cannot add to, extract into or delete from A's incident.
    let del_id = la[0]["id"].as_str().unwrap().to_string();
    assert_eq!(
        app.send_json(
            Method::POST,
            &format!("/api/v1/incidents/{ia}/indicators"),
            b,
            &json!({ "kind": "cve", "value": "CVE-2020-0001" })
        )
        .await
        .0,
        404
    );
    let r = app
        .api(Method::DELETE, &format!("/api/v1/indicators/{del_id}"), b)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let r = app
        .api(Method::DELETE, &format!("/api/v1/indicators/{del_id}"), a)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
}

#[tokio::test]
async fn the_incident_page_uploads_by_form_lists_files_and_extracts_indicators() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let id = incident(&app, &f.officer_a.2, f.org_a, "Sự cố trang").await;
    let s = ungcuu_testkit::WebSession::new(&app.url);
    assert_eq!(
        s.login(&f.officer_a.0, ungcuu_testkit::PASSWORD)
            .await
            .status,
        303
    );
    let page = s.get(&format!("/incidents/{id}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("id=\"evidence-upload\""));
    let bytes = b"log line from 192.0.2.44\n".repeat(1000);
    let (st, _) =
        crate::systems::post_multipart(&app, &s, &format!("/incidents/{id}/evidence"), &bytes, "")
            .await;
    assert_eq!(st, 303);
    let sha = hex::encode(Sha256::digest(&bytes));
    let page = s.get(&format!("/incidents/{id}")).await;
    assert!(page.body.contains(&sha), "hash listed");
    assert!(page.body.contains("he-thong.csv"));
    let (_, list) = app
        .get_json(&format!("/api/v1/incidents/{id}/evidence"), &f.officer_a.2)
        .await;
    assert_eq!(list[0]["media_type"], "text/plain");
    let eid = list[0]["id"].as_str().unwrap();
    let dl = s.get(&format!("/evidence/{eid}/download")).await;
    assert_eq!(dl.status, 200);
    assert!(dl.headers["content-disposition"].starts_with("attachment;"));
    let custody = s.get(&format!("/evidence/{eid}/custody")).await;
    assert_eq!(custody.status, 200);
    assert!(custody.body.contains("downloaded"));
    let r = s
        .post(
            &format!("/evidence/{eid}/custody"),
            &[("to_whom", "Phòng An ninh mạng"), ("note", "")],
        )
        .await;
    assert_eq!(r.status, 303);
    let custody = s.get(&format!("/evidence/{eid}/custody")).await;
    assert!(custody.body.contains("Phòng An ninh mạng"));
    let r = s
        .post(
            &format!("/incidents/{id}/indicators/extract"),
            &[("text", "C2 hxxp://c2[.]example[.]org/x and 192.0.2[.]44")],
        )
        .await;
    assert_eq!(r.status, 303);
    let page = s.get(&format!("/incidents/{id}")).await;
    assert!(page.body.contains("http://c2.example.org/x"));
    assert!(page.body.contains("192.0.2.44"));
}
