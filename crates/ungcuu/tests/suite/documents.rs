//! Legal documents from the data: a Mẫu 03 draft from the intake report, edited, refused at
//! issue while mandatory fields are empty (every one listed), issued with the next number of
//! its organisation's register, frozen, versioned; the bytes' SHA-256 in the audit trail equal
//! the download's; Mẫu 04 cites the issued Mẫu 03 and closing needs it; Mẫu 05 counts the
//! province's incidents and refuses an overlapping period.

use crate::incidents::report_body;
use reqwest::Method;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::io::Read;
use ungcuu_testkit::{TestApp, spawn_app};

pub async fn report(app: &TestApp, token: &str, body: &Value) -> String {
    let (s, i) = app
        .send_json(Method::POST, "/api/v1/incidents", token, body)
        .await;
    assert_eq!(s, 201, "{i}");
    i["id"].as_str().unwrap().to_string()
}

pub async fn draft(app: &TestApp, token: &str, form: &str, incident: &str) -> Value {
    let (s, d) = app
        .send_json(
            Method::POST,
            "/api/v1/documents",
            token,
            &json!({"form": form, "incident_id": incident}),
        )
        .await;
    assert_eq!(s, 201, "{d}");
    d
}

/// Fills what an organisation without a profile leaves empty (place and signer; for Mẫu 04
/// without an issued Mẫu 03, the initial report's number and date; for Mẫu 05 the address)
/// and saves the draft.
pub async fn complete(app: &TestApp, token: &str, d: &Value) -> Value {
    let mut data = d["data"].clone();
    data["header"]["place"] = json!("Đồng Tháp");
    data["header"]["signer_title"] = json!("GIÁM ĐỐC");
    data["header"]["signer_name"] = json!("Nguyễn Văn Ký");
    if d["form"] == "mau05" && data["address"] == "" {
        data["address"] = json!("Số 12 đường Võ Trường Toản, Phường 1, TP Cao Lãnh");
    }
    if d["form"] == "mau04" && data["initial_report_number"] == "" {
        data["initial_report_number"] = json!("07/BC-GIAY");
        data["initial_report_date"] = json!({"day": 2, "month": 1, "year": 2026});
    }
    let (s, e) = app
        .send_json(
            Method::PUT,
            &format!("/api/v1/documents/{}", d["id"].as_str().unwrap()),
            token,
            &json!({ "data": data }),
        )
        .await;
    assert_eq!(s, 200, "{e}");
    e
}

pub async fn issue(app: &TestApp, token: &str, id: &str) -> (u16, Value) {
    app.send_json(
        Method::POST,
        &format!("/api/v1/documents/{id}/issue"),
        token,
        &json!({}),
    )
    .await
}

/// Drafts, completes and issues a form of an incident; gives the issued document.
pub async fn issued(app: &TestApp, token: &str, form: &str, incident: &str) -> Value {
    let d = draft(app, token, form, incident).await;
    complete(app, token, &d).await;
    let (s, i) = issue(app, token, d["id"].as_str().unwrap()).await;
    assert_eq!(s, 200, "{i}");
    i
}

pub async fn download(
    app: &TestApp,
    token: &str,
    id: &str,
    format: &str,
) -> (u16, Vec<u8>, String) {
    let r = app
        .api(
            Method::GET,
            &format!("/api/v1/documents/{id}/{format}"),
            token,
        )
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let disposition = r
        .headers()
        .get("content-disposition")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, r.bytes().await.unwrap().to_vec(), disposition)
}

/// The text of a PDF through pdftotext (poppler-utils), with runs of whitespace made one space
/// so line breaks of the layout do not matter.
pub fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (apt-get install poppler-utils)");
    assert!(out.status.success(), "pdftotext failed");
    squash(&String::from_utf8(out.stdout).unwrap())
}

/// The text of a DOCX (`w:t` runs), whitespace squashed, entities decoded.
pub fn docx_text(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip archive");
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .expect("word/document.xml")
        .read_to_string(&mut xml)
        .unwrap();
    let mut out = String::new();
    let mut rest = xml.as_str();
    while let Some(i) = rest.find("<w:t") {
        let after = &rest[i + 4..];
        if !(after.starts_with('>') || after.starts_with(' ')) {
            rest = after;
            continue;
        }
        let open_end = after.find('>').unwrap();
        let body = &after[open_end + 1..];
        let close = body.find("</w:t>").unwrap();
        out.push_str(
            &body[..close]
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&"),
        );
        out.push(' ');
        rest = &body[close..];
    }
    squash(&out)
}

pub fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| e["field"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn a_draft_is_edited_refused_with_its_empty_fields_issued_frozen_and_versioned() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let officer = &f.officer_a.2;
    let id = report(&app, officer, &report_body(f.org_a, "Sự cố cổng Sở A")).await;
    let d = draft(&app, officer, "mau03", &id).await;
    let doc = d["id"].as_str().unwrap().to_string();
    assert_eq!(d["status"], "draft");
    assert_eq!(d["version"], 1);
    assert!(d["number"].is_null());
    // From the intake report.
    assert_eq!(d["data"]["reporter"]["name"], "Sở A");
    assert_eq!(d["data"]["contact"]["full_name"], "Lê Minh Phụ Trách");
    assert_eq!(d["data"]["system"]["operator"], "Trung tâm CNTT của Sở A");
    assert_eq!(
        d["data"]["description"],
        "Trang chủ bị thay bằng nội dung lạ."
    );
    assert_eq!(d["data"]["detection"]["log_review"], true);
    assert_eq!(d["data"]["notified"]["coordinator"], true);
    assert_eq!(d["data"]["domains"][0], "soa.dongthap.gov.vn");
    assert_eq!(d["data"]["header"]["title"], "Sự cố cổng Sở A");
    // Mandatory fields still empty: every one is named, nothing is issued, no number is used.
    let (s, p) = issue(&app, officer, &doc).await;
    assert_eq!(s, 422, "{p}");
    let named = fields(&p);
    for f in ["header.place", "header.signer_title", "header.signer_name"] {
        assert!(named.contains(&f.to_string()), "{f} not in {named:?}");
    }
    assert!(
        p["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("bắt buộc")
    );
    // A draft is edited as a whole form; unknown fields are refused.
    let (s, p) = app
        .send_json(
            Method::PUT,
            &format!("/api/v1/documents/{doc}"),
            officer,
            &json!({"data": {"header": {"surprise": 1}}}),
        )
        .await;
    assert_eq!(s, 422, "{p}");
    assert_eq!(fields(&p), ["data"]);
    let mut data = d["data"].clone();
    data["description"] = json!("Trang chủ bị thay đổi giao diện; đã khôi phục bản sao lưu.");
    data["header"]["number"] = json!("999/BC-GIA");
    let (s, e) = app
        .send_json(
            Method::PUT,
            &format!("/api/v1/documents/{doc}"),
            officer,
            &json!({ "data": data }),
        )
        .await;
    assert_eq!(s, 200, "{e}");
    assert_eq!(
        e["data"]["description"],
        "Trang chủ bị thay đổi giao diện; đã khôi phục bản sao lưu."
    );
    assert_eq!(
        e["data"]["header"]["number"], "",
        "the register gives the number"
    );
    complete(&app, officer, &e).await;
    // A draft's preview is rendered but nothing is stored.
    let (s, preview, disp) = download(&app, officer, &doc, "pdf").await;
    assert_eq!(s, 200);
    assert!(preview.starts_with(b"%PDF"));
    assert!(disp.starts_with("attachment"), "{disp}");
    // Issued: numbered, dated, frozen.
    let (s, i) = issue(&app, officer, &doc).await;
    assert_eq!(s, 200, "{i}");
    assert_eq!(i["status"], "issued");
    let number = i["number"].as_str().unwrap().to_string();
    assert!(number.starts_with("1/BC-"), "{number}");
    assert_eq!(i["data"]["header"]["number"], number.as_str());
    assert!(i["data"]["header"]["date"]["year"].as_u64().unwrap() >= 2026);
    // The audit event holds the SHA-256 of the exact bytes the downloads give.
    let (s, ev) = app
        .get_json(
            &format!("/api/v1/audit?action=document.issue&object_id={doc}"),
            &f.admin.2,
        )
        .await;
    assert_eq!(s, 200, "{ev}");
    let summary = &ev["items"][0]["summary"];
    let (s, pdf, disp) = download(&app, officer, &doc, "pdf").await;
    assert_eq!(s, 200);
    assert!(disp.contains("mau03-1-"), "{disp}");
    assert_eq!(
        summary["pdf_sha256"],
        hex::encode(Sha256::digest(&pdf)),
        "{ev}"
    );
    assert_eq!(i["pdf_sha256"], summary["pdf_sha256"]);
    let (s, docx, disp) = download(&app, officer, &doc, "docx").await;
    assert_eq!(s, 200);
    assert!(disp.contains(".docx"), "{disp}");
    assert_eq!(summary["docx_sha256"], hex::encode(Sha256::digest(&docx)));
    // The same bytes every time.
    assert_eq!(download(&app, officer, &doc, "pdf").await.1, pdf);
    let text = pdf_text(&pdf);
    assert!(text.contains("Sự cố cổng Sở A"), "{text}");
    assert!(text.contains(&number), "{text}");
    assert!(text.contains("đã khôi phục bản sao lưu"), "{text}");
    let dt = docx_text(&docx);
    assert!(dt.contains("Sự cố cổng Sở A"), "{dt}");
    assert!(dt.contains(&number), "{dt}");
    // Frozen: editing or issuing again is refused with a message saying so.
    let (s, p) = app
        .send_json(
            Method::PUT,
            &format!("/api/v1/documents/{doc}"),
            officer,
            &json!({ "data": i["data"] }),
        )
        .await;
    assert_eq!(s, 422, "{p}");
    assert_eq!(fields(&p), ["status"]);
    assert!(
        p["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("đã ban hành"),
        "{p}"
    );
    assert_eq!(issue(&app, officer, &doc).await.0, 422);
    // A new version is a draft that supersedes it, without number or date.
    let (s, v) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/documents/{doc}/versions"),
            officer,
            &json!({}),
        )
        .await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(v["status"], "draft");
    assert_eq!(v["version"], 2);
    assert_eq!(v["supersedes"], doc.as_str());
    assert_eq!(v["data"]["header"]["number"], "");
    assert!(v["data"]["header"]["date"].is_null());
    assert_eq!(v["data"]["description"], i["data"]["description"]);
    // A draft has no new version.
    let (s, _) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/documents/{}/versions", v["id"].as_str().unwrap()),
            officer,
            &json!({}),
        )
        .await;
    assert_eq!(s, 422);
    let (s, v2) = issue(&app, officer, v["id"].as_str().unwrap()).await;
    assert_eq!(s, 200, "{v2}");
    assert!(v2["number"].as_str().unwrap().starts_with("2/BC-"), "{v2}");
    // Both are listed for the incident.
    let (s, l) = app
        .get_json(&format!("/api/v1/documents?incident={id}"), officer)
        .await;
    assert_eq!(s, 200, "{l}");
    assert_eq!(l["items"].as_array().unwrap().len(), 2);
    // Unknown form, missing incident.
    let (s, p) = app
        .send_json(
            Method::POST,
            "/api/v1/documents",
            officer,
            &json!({"form": "mau99", "incident_id": id}),
        )
        .await;
    assert_eq!(s, 422);
    assert_eq!(fields(&p), ["form"]);
    let (s, p) = app
        .send_json(
            Method::POST,
            "/api/v1/documents",
            officer,
            &json!({"form": "mau03"}),
        )
        .await;
    assert_eq!(s, 422);
    assert_eq!(fields(&p), ["incident_id"]);
}

#[tokio::test]
async fn each_organisation_numbers_its_documents_in_its_own_register_even_when_issuing_at_once() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let a = &f.officer_a.2;
    let b = &f.officer_b.2;
    let ia = report(&app, a, &report_body(f.org_a, "Sự cố một của A")).await;
    let ib = report(&app, b, &report_body(f.org_b, "Sự cố một của B")).await;
    let first = issued(&app, a, "mau03", &ia).await;
    assert!(first["number"].as_str().unwrap().starts_with("1/BC-"));
    let other = issued(&app, b, "mau03", &ib).await;
    assert!(
        other["number"].as_str().unwrap().starts_with("1/BC-"),
        "{other}"
    );
    // Four drafts of A issued at once take four different numbers, 2 to 5.
    let mut ids = Vec::new();
    for n in 0..4 {
        let i = report(
            &app,
            a,
            &report_body(f.org_a, &format!("Sự cố song song {n}")),
        )
        .await;
        let d = draft(&app, a, "mau03", &i).await;
        complete(&app, a, &d).await;
        ids.push(d["id"].as_str().unwrap().to_string());
    }
    let results = futures_util::future::join_all(ids.iter().map(|id| issue(&app, a, id))).await;
    let mut numbers: Vec<u64> = results
        .iter()
        .map(|(s, d)| {
            assert_eq!(*s, 200, "{d}");
            d["number"]
                .as_str()
                .unwrap()
                .split('/')
                .next()
                .unwrap()
                .parse()
                .unwrap()
        })
        .collect();
    numbers.sort();
    assert_eq!(numbers, [2, 3, 4, 5]);
}

/// Drives an incident of A to review with a complete review.
pub async fn to_review(app: &TestApp, f: &ungcuu_testkit::Fixture, title: &str) -> String {
    let officer = &f.officer_a.2;
    let (_, _, approver) = app
        .user(
            &format!("duyet-{}@test.vn", title.len()),
            f.org_a,
            "approver",
        )
        .await;
    let id = report(app, officer, &report_body(f.org_a, title)).await;
    for (who, to) in [
        (officer, "verifying"),
        (officer, "initial_response"),
        (officer, "option_proposed"),
        (&approver, "option_approved"),
        (officer, "containing"),
        (officer, "eradicating"),
        (officer, "recovering"),
        (officer, "verifying_recovery"),
        (officer, "review"),
    ] {
        if to == "review" {
            crate::tasks::tick_recovery(app, officer, &id).await;
        }
        let (s, b) = app
            .send_json(
                Method::POST,
                &format!("/api/v1/incidents/{id}/transitions"),
                who,
                &json!({ "to": to }),
            )
            .await;
        assert_eq!(s, 200, "{to}: {b}");
    }
    let (s, b) = app
        .send_json(Method::PUT, &format!("/api/v1/incidents/{id}/review"), officer, &json!({"root_cause": "Plugin cũ chưa vá", "lessons": "Theo dõi cảnh báo lỗ hổng", "measures": "Cập nhật định kỳ"}))
        .await;
    assert_eq!(s, 200, "{b}");
    id
}

#[tokio::test]
async fn the_final_report_cites_the_issued_initial_report_and_closing_needs_it() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let officer = &f.officer_a.2;
    let coord = &f.coordinator.2;
    let id = to_review(&app, &f, "Sự cố cần báo cáo kết thúc").await;
    // Drafted before the Mẫu 03 is issued: the citation is still empty…
    let d4 = draft(&app, officer, "mau04", &id).await;
    assert_eq!(d4["data"]["initial_report_number"], "");
    assert!(
        d4["data"]["result"]
            .as_str()
            .unwrap()
            .contains("Plugin cũ chưa vá")
    );
    // …and closing is refused while no Mẫu 04 is issued.
    let (s, b) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/incidents/{id}/transitions"),
            coord,
            &json!({"to": "closed"}),
        )
        .await;
    assert_eq!(s, 422, "{b}");
    assert_eq!(fields(&b), ["to"]);
    assert!(
        b["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Mẫu 04"),
        "{b}"
    );
    let m3 = issued(&app, officer, "mau03", &id).await;
    // Issuing now cites the Mẫu 03 issued meanwhile.
    let mut data = d4["data"].clone();
    data["header"]["place"] = json!("Đồng Tháp");
    data["header"]["signer_title"] = json!("GIÁM ĐỐC");
    data["header"]["signer_name"] = json!("Nguyễn Văn Ký");
    let d4id = d4["id"].as_str().unwrap();
    let (s, _) = app
        .send_json(
            Method::PUT,
            &format!("/api/v1/documents/{d4id}"),
            officer,
            &json!({ "data": data }),
        )
        .await;
    assert_eq!(s, 200);
    let (s, m4) = issue(&app, officer, d4id).await;
    assert_eq!(s, 200, "{m4}");
    assert_eq!(m4["data"]["initial_report_number"], m3["number"]);
    assert_eq!(
        m4["data"]["initial_report_date"],
        m3["data"]["header"]["date"]
    );
    // A new Mẫu 04 drafted now cites it from the start.
    let again = draft(&app, officer, "mau04", &id).await;
    assert_eq!(again["data"]["initial_report_number"], m3["number"]);
    let (_, pdf, _) = download(&app, officer, d4id, "pdf").await;
    let text = pdf_text(&pdf);
    assert!(text.contains(m3["number"].as_str().unwrap()), "{text}");
    let (s, b) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/incidents/{id}/transitions"),
            coord,
            &json!({"to": "closed"}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
}

#[tokio::test]
async fn the_summary_counts_the_province_by_type_and_an_overlapping_period_is_refused() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let coord = &f.coordinator.2;
    let mut deface = report_body(f.org_a, "Tấn công thay giao diện");
    deface["incident_type"] = json!("deface");
    report(&app, &f.officer_a.2, &deface).await;
    report(
        &app,
        &f.officer_b.2,
        &report_body(f.org_b, "Chưa phân loại"),
    )
    .await;
    let year = time::OffsetDateTime::now_utc().year();
    let body = |from: &str, to: &str| {
        json!({"form": "mau05", "org_id": f.coordinator_org, "period_kind": "annual",
               "period_from": from, "period_to": to})
    };
    let full = body(&format!("{year}-01"), &format!("{year}-12"));
    // Only the province-wide coordinator draws it up.
    let (s, _) = app
        .send_json(Method::POST, "/api/v1/documents", &f.officer_a.2, &full)
        .await;
    assert_eq!(s, 403);
    let (s, p) = app
        .send_json(
            Method::POST,
            "/api/v1/documents",
            coord,
            &body("2026-13", "2026-01"),
        )
        .await;
    assert_eq!(s, 422);
    assert_eq!(fields(&p), ["period_from"]);
    let (s, p) = app
        .send_json(
            Method::POST,
            "/api/v1/documents",
            coord,
            &body(&format!("{year}-06"), &format!("{year}-01")),
        )
        .await;
    assert_eq!(s, 422);
    assert_eq!(fields(&p), ["period_to"]);
    let (s, d) = app
        .send_json(Method::POST, "/api/v1/documents", coord, &full)
        .await;
    assert_eq!(s, 201, "{d}");
    let rows = d["data"]["rows"].as_array().unwrap();
    let row = |t: &str| {
        rows.iter()
            .find(|r| r["incident_type"] == t)
            .unwrap()
            .clone()
    };
    assert_eq!(row("DEFACE")["count"], 1);
    assert_eq!(row("DEFACE")["self_handled"], 1);
    assert_eq!(
        row("OTHER")["count"],
        1,
        "an unclassified incident counts as other"
    );
    assert_eq!(row("DOS")["count"], 0);
    assert_eq!(d["data"]["period"]["from_month"], 1);
    assert_eq!(d["data"]["period"]["to_year"], year);
    // The organisation's address comes from its profile; without one, issuing names it.
    let id = d["id"].as_str().unwrap().to_string();
    let (s, p) = issue(&app, coord, &id).await;
    assert_eq!(s, 422);
    assert!(fields(&p).contains(&"address".to_string()), "{p}");
    let mut data = d["data"].clone();
    data["address"] = json!("Số 12 đường Võ Trường Toản, Phường 1, TP Cao Lãnh");
    data["header"]["place"] = json!("Đồng Tháp");
    data["header"]["signer_title"] = json!("GIÁM ĐỐC");
    data["header"]["signer_name"] = json!("Trần Thị Điều Phối");
    let (s, e) = app
        .send_json(
            Method::PUT,
            &format!("/api/v1/documents/{id}"),
            coord,
            &json!({ "data": data }),
        )
        .await;
    assert_eq!(s, 200, "{e}");
    let (s, i) = issue(&app, coord, &id).await;
    assert_eq!(s, 200, "{i}");
    let (_, pdf, _) = download(&app, coord, &id, "pdf").await;
    let text = pdf_text(&pdf);
    assert!(text.contains("Thay đổi giao diện"), "{text}");
    // Overlapping periods are refused, at drafting and at issue; a later period is not.
    let (s, p) = app
        .send_json(
            Method::POST,
            "/api/v1/documents",
            coord,
            &body(&format!("{year}-06"), &format!("{}-05", year + 1)),
        )
        .await;
    assert_eq!(s, 422, "{p}");
    assert_eq!(fields(&p), ["period_from"]);
    assert!(
        p["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("trùng")
    );
    let (s, later) = app
        .send_json(
            Method::POST,
            "/api/v1/documents",
            coord,
            &body(&format!("{}-01", year + 1), &format!("{}-06", year + 1)),
        )
        .await;
    assert_eq!(s, 201, "{later}");
    // A draft moved onto the issued period is refused when issued.
    let mut moved = later["data"].clone();
    moved["period"]["from_year"] = json!(year);
    moved["period"]["from_month"] = json!(12);
    moved["address"] = json!("Số 12");
    moved["header"] = data["header"].clone();
    let lid = later["id"].as_str().unwrap();
    let (s, _) = app
        .send_json(
            Method::PUT,
            &format!("/api/v1/documents/{lid}"),
            coord,
            &json!({ "data": moved }),
        )
        .await;
    assert_eq!(s, 200);
    let (s, p) = issue(&app, coord, lid).await;
    assert_eq!(s, 422, "{p}");
    assert_eq!(fields(&p), ["period"]);
    // A new version of the issued summary replaces it and is not refused as an overlap.
    let (s, v) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/documents/{id}/versions"),
            coord,
            &json!({}),
        )
        .await;
    assert_eq!(s, 201, "{v}");
    let (s, v2) = issue(&app, coord, v["id"].as_str().unwrap()).await;
    assert_eq!(s, 200, "{v2}");
    // The organisation's officers do not see the province's summary unless they may read
    // the coordinator organisation's incidents.
    let (_, l) = app
        .get_json("/api/v1/documents?form=mau05", &f.officer_a.2)
        .await;
    assert_eq!(l["items"].as_array().unwrap().len(), 0, "{l}");
    let (_, l) = app.get_json("/api/v1/documents?form=mau05", coord).await;
    assert_eq!(l["items"].as_array().unwrap().len(), 3, "{l}");
}

/// The decoded bytes of the attachment named `name` in a raw MIME message.
pub fn attachment(raw: &str, name: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    let at = raw.find(&format!("filename=\"{name}\""))?;
    let body_start = at + raw[at..].find("\r\n\r\n")? + 4;
    let body_end = body_start + raw[body_start..].find("\r\n--")?;
    let part_start = raw[..at].rfind("\r\n--")?;
    let headers = raw[part_start..body_start].to_ascii_lowercase();
    let body = &raw[body_start..body_end];
    assert!(
        headers.contains("content-transfer-encoding: base64"),
        "attachments go in base64: {headers}"
    );
    let b64: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD.decode(b64).ok()
}

/// Gives org A and the coordinator organisation an e-mail address in their profiles and
/// configures the national coordinator's address.
pub async fn addresses(app: &TestApp, f: &ungcuu_testkit::Fixture) {
    for (org, mail) in [
        (f.org_a, "vanthu@soa.test.vn"),
        (f.coordinator_org, "dieuphoi@tinh.test.vn"),
    ] {
        let (s, p) = app
            .send_json(
                Method::PUT,
                &format!("/api/v1/organizations/{org}/profile"),
                &f.admin.2,
                &json!({ "intake_email": mail }),
            )
            .await;
        assert_eq!(s, 200, "{p}");
    }
    let mut c = app.core.db.conn().await.unwrap();
    ungcuu_store::settings::set(
        &mut c,
        ungcuu_core::sending::NATIONAL_EMAIL_KEY,
        "baocao@vncert.test.vn",
        time::OffsetDateTime::now_utc(),
    )
    .await
    .unwrap();
}

/// What the national coordinator does with a received bundle: `ungcuu keys verify` (with this
/// installation's key, and offline with the printed key), and OpenSSL with the key wrapped as
/// DER (the recipe the README gives). A changed byte fails both.
fn verify_as_the_recipient(app: &TestApp, key: &str, json_bytes: &[u8], sig: &str) {
    let dir = tempfile::tempdir().unwrap();
    let (file, sig_file, bad) = (
        dir.path().join("report.json"),
        dir.path().join("report.json.sig"),
        dir.path().join("bad.json"),
    );
    std::fs::write(&file, json_bytes).unwrap();
    std::fs::write(&sig_file, format!("{sig}\n")).unwrap();
    let mut changed = json_bytes.to_vec();
    let last = changed.len() - 2;
    changed[last] ^= 1;
    std::fs::write(&bad, &changed).unwrap();
    let verify = |bundle: &std::path::Path, offline: bool| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_ungcuu"));
        if offline {
            cmd.args(["keys", "verify", "--key", key]);
        } else {
            cmd.args(["--database-url", &app.database_url, "--data-dir"])
                .arg(&app.data_dir)
                .args(["keys", "verify"]);
        }
        cmd.arg(bundle).arg(&sig_file).env("UNGCUU_LOG", "warn");
        cmd.output().unwrap()
    };
    for offline in [false, true] {
        let ok = verify(&file, offline);
        assert!(
            ok.status.success(),
            "{}",
            String::from_utf8_lossy(&ok.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&ok.stdout).trim(), "valid");
        let no = verify(&bad, offline);
        assert!(!no.status.success());
        assert!(String::from_utf8_lossy(&no.stderr).contains("INVALID"));
    }
    let Ok(openssl) = which_openssl() else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "openssl is missing and CI=true forbids skipping"
        );
        eprintln!("SKIPPING the OpenSSL check: openssl is not installed");
        return;
    };
    let der = dir.path().join("key.der");
    let mut d = hex::decode("302a300506032b6570032100").unwrap();
    d.extend(hex::decode(key).unwrap());
    std::fs::write(&der, d).unwrap();
    let sig_bin = dir.path().join("sig.bin");
    std::fs::write(&sig_bin, hex::decode(sig).unwrap()).unwrap();
    let check = |bundle: &std::path::Path| {
        std::process::Command::new(&openssl)
            .args(["pkeyutl", "-verify", "-pubin", "-keyform", "DER", "-inkey"])
            .arg(&der)
            .arg("-rawin")
            .arg("-in")
            .arg(bundle)
            .arg("-sigfile")
            .arg(&sig_bin)
            .output()
            .unwrap()
    };
    let ok = check(&file);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );
    assert!(!check(&bad).status.success());
}

fn which_openssl() -> Result<std::path::PathBuf, ()> {
    ["/usr/bin/openssl", "/usr/local/bin/openssl"]
        .into_iter()
        .map(std::path::PathBuf::from)
        .find(|p| p.exists())
        .ok_or(())
}

#[tokio::test]
async fn an_issued_report_is_mailed_with_its_files_and_a_signed_bundle_and_stops_the_clock() {
    let sink = ungcuu_testkit::smtp::SmtpSink::start().await;
    let app = TestApp::with_smtp(&sink.url()).await;
    let f = app.fixture().await;
    let officer = &f.officer_a.2;
    let id = report(
        &app,
        officer,
        &report_body(f.org_a, "Sự cố gửi báo cáo Sở A"),
    )
    .await;
    let d = draft(&app, officer, "mau03", &id).await;
    let doc = d["id"].as_str().unwrap().to_string();
    let send = |doc: String, body: Value| {
        let app = &app;
        async move {
            app.send_json(
                Method::POST,
                &format!("/api/v1/documents/{doc}/send"),
                officer,
                &body,
            )
            .await
        }
    };
    // A draft is not sent.
    let (s, p) = send(doc.clone(), json!({})).await;
    assert_eq!(s, 422, "{p}");
    assert_eq!(fields(&p), ["status"]);
    complete(&app, officer, &d).await;
    let (s, i) = issue(&app, officer, &doc).await;
    assert_eq!(s, 200, "{i}");
    let number = i["number"].as_str().unwrap().to_string();
    // Nobody has an address yet: each recipient the law names is listed, nothing is queued.
    let (s, p) = send(doc.clone(), json!({})).await;
    assert_eq!(s, 422, "{p}");
    assert_eq!(fields(&p), ["parties", "parties", "parties"]);
    assert!(
        p["errors"][2]["message"]
            .as_str()
            .unwrap()
            .contains("cơ quan điều phối quốc gia"),
        "{p}"
    );
    let (s, p) = send(doc.clone(), json!({"parties": ["ministry"]})).await;
    assert_eq!(s, 422, "{p}");
    addresses(&app, &f).await;
    let (s, sent) = send(doc.clone(), json!({})).await;
    assert_eq!(s, 202, "{sent}");
    assert_eq!(sent["sent"].as_array().unwrap().len(), 3);
    ungcuu_core::jobs::drain(&app.core, "test").await.unwrap();
    // The coordinator was also told of the new report (not a [TBSC] mail): wait for all four.
    let got: Vec<_> = sink
        .wait_for(4, std::time::Duration::from_secs(20))
        .await
        .into_iter()
        .filter(|m| ungcuu_testkit::mail_subject(&m.data_str()).starts_with("[TBSC]"))
        .collect();
    let mut to: Vec<String> = got.iter().map(|m| m.to[0].clone()).collect();
    to.sort();
    assert_eq!(
        to,
        [
            "baocao@vncert.test.vn",
            "dieuphoi@tinh.test.vn",
            "vanthu@soa.test.vn"
        ]
    );
    let stem = format!("mau03-{}-", number.split('/').next().unwrap());
    for m in &got {
        let raw = m.data_str();
        let subject = ungcuu_testkit::mail_subject(&raw);
        assert!(subject.starts_with("[TBSC] "), "{subject}");
        assert!(subject.contains(&number), "{subject}");
        assert!(subject.contains("Sự cố gửi báo cáo Sở A"), "{subject}");
        assert!(raw.contains("multipart/mixed"));
        let year = i["data"]["header"]["date"]["year"].as_u64().unwrap();
        let name = format!("{stem}{year}-v1");
        let pdf = attachment(&raw, &format!("{name}.pdf")).expect("PDF attached");
        assert_eq!(
            hex::encode(Sha256::digest(&pdf)),
            i["pdf_sha256"].as_str().unwrap()
        );
        let text = pdf_text(&pdf);
        assert!(text.contains("Sự cố gửi báo cáo Sở A"), "{text}");
        let docx = attachment(&raw, &format!("{name}.docx")).expect("DOCX attached");
        assert_eq!(
            hex::encode(Sha256::digest(&docx)),
            i["docx_sha256"].as_str().unwrap()
        );
        let json_file = attachment(&raw, &format!("{name}.json"));
        if m.to[0] != "baocao@vncert.test.vn" {
            assert!(
                json_file.is_none(),
                "only the national coordinator gets the bundle"
            );
            continue;
        }
        // The bundle verifies with the key `ungcuu keys show` prints.
        let json_bytes = json_file.expect("bundle attached");
        let sig = attachment(&raw, &format!("{name}.json.sig")).expect("signature attached");
        let sig = String::from_utf8(sig).unwrap().trim().to_string();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_ungcuu"))
            .args(["--database-url", &app.database_url, "--data-dir"])
            .arg(&app.data_dir)
            .args(["keys", "show"])
            .env("UNGCUU_LOG", "warn")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let key = String::from_utf8(out.stdout).unwrap().trim().to_string();
        assert_eq!(key.len(), 64, "{key}");
        let parsed: Value = serde_json::from_slice(&json_bytes).unwrap();
        assert_eq!(parsed["report"]["number"], number.as_str());
        assert_eq!(parsed["report"]["pdf_sha256"], i["pdf_sha256"]);
        let bundle = ungcuu_reports::sign::SignedBundle {
            kind: parsed["kind"].as_str().unwrap().to_string(),
            report: parsed["report"].clone(),
            public_key: key.clone(),
            signature: sig.clone(),
        };
        // The file is exactly the signed bytes, and they verify with the printed key.
        assert_eq!(
            ungcuu_reports::sign::signed_bytes(&bundle.kind, &bundle.report),
            json_bytes
        );
        ungcuu_reports::sign::verify_from(&bundle, &key).expect("signature verifies");
        let mut tampered = bundle.clone();
        tampered.report["number"] = json!("999/BC-GIA");
        assert!(ungcuu_reports::sign::verify_from(&tampered, &key).is_err());
        verify_as_the_recipient(&app, &key, &json_bytes, &sig);
    }
    // Sending stopped the notification clock and is on the timeline and in the audit log.
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
    assert_eq!(clock["status"], "stopped", "{c}");
    assert_eq!(c["records"][0]["channel"], "email");
    let (_, ev) = app
        .get_json(
            &format!("/api/v1/audit?action=document.send&object_id={doc}"),
            &f.admin.2,
        )
        .await;
    assert_eq!(
        ev["items"][0]["summary"]["stops_clock"], "notification",
        "{ev}"
    );
    // The delivery is recorded.
    let mut c = app.core.db.conn().await.unwrap();
    for s in sent["sent"].as_array().unwrap() {
        let id = uuid::Uuid::parse_str(s["mail_id"].as_str().unwrap()).unwrap();
        let log = ungcuu_store::outbox::deliveries(&mut c, id).await.unwrap();
        assert_eq!(log.last().unwrap().1, "ok");
    }
}

#[tokio::test]
async fn the_pages_draft_edit_issue_and_download_a_report() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let id = report(
        &app,
        &f.officer_a.2,
        &report_body(f.org_a, "Sự cố trang Sở A"),
    )
    .await;
    let s = ungcuu_testkit::WebSession::new(&app.url);
    assert_eq!(
        s.login(&f.officer_a.0, ungcuu_testkit::PASSWORD)
            .await
            .status,
        303
    );
    let page = s.get(&format!("/incidents/{id}")).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("id=\"documents\""),
        "the reports section"
    );
    assert!(page.body.contains("documents-empty"));
    let r = s
        .post(&format!("/incidents/{id}/documents"), &[("form", "mau03")])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let loc = r.location.clone().unwrap();
    assert!(loc.starts_with("/documents/"), "{loc}");
    let doc = loc.trim_start_matches("/documents/").to_string();
    let page = s.get(&loc).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("id=\"edit-document\""));
    assert!(page.body.contains("Dự thảo"));
    // Issuing lists the empty mandatory fields on the page.
    let r = s.post(&format!("{loc}/issue"), &[]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("header.signer_name"), "{}", r.body);
    assert!(r.body.contains("bắt buộc"));
    // A value the form cannot take is named next to its field, not a 500.
    let r = s.post(&loc, &[("detected_at", "không phải ngày")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Ngày giờ không hợp lệ"), "{}", r.body);
    let r = s
        .post(
            &loc,
            &[
                ("header.place", "Đồng Tháp"),
                ("header.signer_title", "GIÁM ĐỐC"),
                ("header.signer_name", "Nguyễn Văn Ký"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let (_, d) = app
        .get_json(&format!("/api/v1/documents/{doc}"), &f.officer_a.2)
        .await;
    assert_eq!(d["data"]["header"]["signer_name"], "Nguyễn Văn Ký");
    let r = s.post(&format!("{loc}/issue"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = s.get(&loc).await;
    assert!(page.body.contains("Đã ban hành"));
    assert!(!page.body.contains("id=\"edit-document\""), "frozen");
    assert!(page.body.contains("id=\"new-version\""));
    let r = s.get(&format!("{loc}/pdf")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.headers["content-type"], "application/pdf");
    assert!(r.headers["content-disposition"].starts_with("attachment"));
    let list = s.get("/documents").await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains(&doc));
    let page = s.get(&format!("/incidents/{id}")).await;
    assert!(page.body.contains(&format!("/documents/{doc}")));
    // Officer B sees none of it.
    let b = ungcuu_testkit::WebSession::new(&app.url);
    assert_eq!(
        b.login(&f.officer_b.0, ungcuu_testkit::PASSWORD)
            .await
            .status,
        303
    );
    assert_eq!(b.get(&loc).await.status, 404);
    assert_eq!(b.get(&format!("{loc}/pdf")).await.status, 404);
    assert_eq!(b.post(&format!("{loc}/versions"), &[]).await.status, 404);
    assert!(!b.get("/documents").await.body.contains(&doc));
}

#[tokio::test]
async fn the_openapi_document_describes_the_document_endpoints() {
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
    for (p, m) in [
        ("/api/v1/documents", "get"),
        ("/api/v1/documents", "post"),
        ("/api/v1/documents/{id}", "get"),
        ("/api/v1/documents/{id}", "put"),
        ("/api/v1/documents/{id}/issue", "post"),
        ("/api/v1/documents/{id}/versions", "post"),
        ("/api/v1/documents/{id}/pdf", "get"),
        ("/api/v1/documents/{id}/docx", "get"),
        ("/api/v1/documents/{id}/send", "post"),
    ] {
        assert!(
            doc["paths"][p].get(m).is_some(),
            "{m} {p} missing from OpenAPI"
        );
    }
    for s in [
        "DocumentOut",
        "DocumentCreate",
        "DocumentEdit",
        "DocumentSend",
        "SentOut",
    ] {
        assert!(doc["components"]["schemas"].get(s).is_some(), "{s}");
    }
}

#[tokio::test]
async fn with_approval_on_a_second_person_approves_what_goes_to_the_national_coordinator() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    addresses(&app, &f).await;
    let officer = &f.officer_a.2;
    let id = report(&app, officer, &report_body(f.org_a, "Sự cố cần phê duyệt")).await;
    // Deliver the announcement of the new report, so the outbox holds only what follows.
    ungcuu_core::jobs::drain(&app.core, "test").await.unwrap();
    let doc = issued(&app, officer, "mau03", &id).await;
    let doc = doc["id"].as_str().unwrap().to_string();
    {
        let mut c = app.core.db.conn().await.unwrap();
        ungcuu_store::settings::set(
            &mut c,
            ungcuu_core::sending::APPROVAL_KEY,
            "true",
            time::OffsetDateTime::now_utc(),
        )
        .await
        .unwrap();
    }
    let approve = |token: String| {
        let app = &app;
        let doc = doc.clone();
        async move {
            app.send_json(
                Method::POST,
                &format!("/api/v1/documents/{doc}/send/approve"),
                &token,
                &json!({}),
            )
            .await
        }
    };
    // Nothing to approve yet.
    assert_eq!(approve(f.coordinator.2.clone()).await.0, 422);
    let (s, r) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/documents/{doc}/send"),
            officer,
            &json!({}),
        )
        .await;
    assert_eq!(s, 202, "{r}");
    assert!(r["awaiting_approval"].is_string(), "{r}");
    assert_eq!(r["sent"].as_array().unwrap().len(), 0);
    let mut c = app.core.db.conn().await.unwrap();
    assert_eq!(
        ungcuu_store::outbox::backlog(&mut c).await.unwrap(),
        0,
        "nothing queued"
    );
    // The one who asked cannot approve; the clock still runs.
    let (s, p) = approve(officer.clone()).await;
    assert_eq!(s, 403, "{p}");
    assert!(p["detail"].as_str().unwrap().contains("người khác"), "{p}");
    let (_, c0) = app
        .get_json(&format!("/api/v1/incidents/{id}/clocks"), officer)
        .await;
    assert_eq!(c0["records"].as_array().unwrap().len(), 0);
    // Someone else approves: the three e-mails go, once.
    let (s, a) = approve(f.coordinator.2.clone()).await;
    assert_eq!(s, 202, "{a}");
    assert_eq!(a["sent"].as_array().unwrap().len(), 3);
    assert_eq!(ungcuu_store::outbox::backlog(&mut c).await.unwrap(), 3);
    assert_eq!(
        approve(f.coordinator.2.clone()).await.0,
        422,
        "approved once"
    );
    let (_, ev) = app
        .get_json(
            &format!("/api/v1/audit?object_id={doc}&action=document.send"),
            &f.admin.2,
        )
        .await;
    let actions: Vec<&str> = ev["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"document.send_requested"), "{actions:?}");
    assert!(actions.contains(&"document.send"), "{actions:?}");
}

#[tokio::test]
async fn a_letter_or_fax_is_recorded_by_hand_with_its_scan_and_stops_the_clock() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let officer = &f.officer_a.2;
    let id = report(&app, officer, &report_body(f.org_a, "Sự cố gửi công văn")).await;
    let d = draft(&app, officer, "mau03", &id).await;
    let doc = d["id"].as_str().unwrap().to_string();
    let scan = b"%PDF-1.4 ban chup cong van".to_vec();
    let post = |q: &str, body: Vec<u8>| {
        let app = &app;
        let url = format!("/api/v1/documents/{doc}/sendings?{q}");
        async move {
            let r = app
                .api(Method::POST, &url, officer)
                .header("content-type", "application/octet-stream")
                .body(body)
                .send()
                .await
                .unwrap();
            let s = r.status().as_u16();
            (s, r.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    let q = "channel=letter&recipients=VNCERT%2FCC&note=C%C3%B4ng%20v%C4%83n%2012";
    // A draft is not sent.
    let (s, p) = post(q, scan.clone()).await;
    assert_eq!(s, 422, "{p}");
    assert_eq!(fields(&p), ["status"]);
    complete(&app, officer, &d).await;
    assert_eq!(issue(&app, officer, &doc).await.0, 200);
    let (s, p) = post("channel=pigeon&recipients=x", scan.clone()).await;
    assert_eq!(s, 422, "{p}");
    assert_eq!(fields(&p), ["channel"]);
    let (s, p) = post(q, Vec::new()).await;
    assert_eq!(s, 422, "{p}");
    assert_eq!(fields(&p), ["scan"]);
    let (s, r) = post(q, scan.clone()).await;
    assert_eq!(s, 201, "{r}");
    assert_eq!(r["scan_sha256"], hex::encode(Sha256::digest(&scan)));
    assert_eq!(r["stops_clock"], "notification");
    let (_, c) = app
        .get_json(&format!("/api/v1/incidents/{id}/clocks"), officer)
        .await;
    assert_eq!(c["records"][0]["channel"], "letter", "{c}");
    assert!(
        c["records"][0]["note"]
            .as_str()
            .unwrap()
            .contains("Công văn 12")
    );
    let (_, ev) = app
        .get_json(
            &format!("/api/v1/audit?action=document.sent_by_hand&object_id={doc}"),
            &f.admin.2,
        )
        .await;
    assert_eq!(ev["items"][0]["summary"]["scan_sha256"], r["scan_sha256"]);
    // The scan is kept in the blob store under its hash.
    let kept = ungcuu_core::evidence::read_blob(&app.data_dir, r["scan_sha256"].as_str().unwrap())
        .await
        .unwrap();
    assert_eq!(kept, scan);
}

#[tokio::test]
async fn the_national_address_falls_back_to_the_contact_set_for_requests_never_its_default() {
    let sink = ungcuu_testkit::smtp::SmtpSink::start().await;
    let app = TestApp::with_smtp(&sink.url()).await;
    let f = app.fixture().await;
    let officer = &f.officer_a.2;
    let id = report(&app, officer, &report_body(f.org_a, "Sự cố báo VNCERT")).await;
    let d = draft(&app, officer, "mau03", &id).await;
    let doc = d["id"].as_str().unwrap().to_string();
    complete(&app, officer, &d).await;
    assert_eq!(issue(&app, officer, &doc).await.0, 200);
    let path = format!("/api/v1/documents/{doc}/send");
    let body = json!({"parties": ["national"]});
    let send = || app.send_json(Method::POST, &path, officer, &body);
    // The built-in contact (VNCERT/CC's real address) is never used on its own.
    let (s, p) = send().await;
    assert_eq!(s, 422, "{p}");
    assert!(
        p["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Cài đặt văn bản báo cáo")
    );
    let (s, b) = app
        .send_json(
            Method::PUT,
            "/api/v1/settings/national-contact",
            &f.coordinator.2,
            &json!({"name": "VNCERT/CC", "email": "ir@vncert.test.vn", "phone": ""}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    let (s, sent) = send().await;
    assert_eq!(s, 202, "{sent}");
    assert_eq!(sent["sent"][0]["to"], "ir@vncert.test.vn", "{sent}");
    ungcuu_core::jobs::drain(&app.core, "test").await.unwrap();
    let got = sink.wait_for(1, std::time::Duration::from_secs(20)).await;
    assert!(
        got.iter().any(|m| m.to[0] == "ir@vncert.test.vn"
            && ungcuu_testkit::mail_subject(&m.data_str()).starts_with("[TBSC]")),
        "no [TBSC] mail to the contact's address"
    );
}

#[tokio::test]
async fn a_draft_sent_with_decomposed_tone_marks_is_stored_in_nfc() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let officer = &f.officer_a.2;
    let id = report(&app, officer, &report_body(f.org_a, "Sự cố NFC")).await;
    let d = draft(&app, officer, "mau03", &id).await;
    let doc = d["id"].as_str().unwrap();
    let mut data = d["data"].clone();
    // "Đồng Tháp" with the tone marks as combining characters, and spaces around it.
    data["header"]["place"] = json!("  \u{110}o\u{302}\u{300}ng Tha\u{301}p ");
    let (s, e) = app
        .send_json(
            Method::PUT,
            &format!("/api/v1/documents/{doc}"),
            officer,
            &json!({ "data": data }),
        )
        .await;
    assert_eq!(s, 200, "{e}");
    assert_eq!(e["data"]["header"]["place"], "Đồng Tháp");
}
