//! The per-field form of a draft (Mẫu 03, 04, 05) posted as a browser does: only the edited
//! fields change, an unticked box becomes false, a bad number or date comes back next to its
//! field with what was typed (422) and nothing is saved; every input has a label.

use crate::documents::{draft, report};
use crate::incidents::report_body;
use reqwest::Method;
use serde_json::{Value, json};
use ungcuu_testkit::{PASSWORD, TestApp, WebSession, spawn_app};

/// HTML text back to what it says (askama's escapes).
fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The value of attribute `name` in a tag's text.
fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let i = tag.find(&key)? + key.len();
    let end = tag[i..].find('"')?;
    Some(unescape(&tag[i..i + end]))
}

fn has_flag(tag: &str, name: &str) -> bool {
    tag.split(|c: char| c.is_whitespace() || c == '>')
        .any(|w| w == name)
}

/// The pairs a browser would send for the form `id` of `html`, in document order: hidden, text,
/// date and number inputs, ticked boxes, the checked radio of each group and the textareas.
pub fn form_fields(html: &str, id: &str) -> Vec<(String, String)> {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("form {id} on the page"));
    let form = &html[start..start + html[start..].find("</form>").expect("the form ends")];
    let mut out = Vec::new();
    let mut rest = form;
    loop {
        let (i, is_area) = match (rest.find("<input "), rest.find("<textarea ")) {
            (Some(a), Some(b)) if b < a => (b, true),
            (Some(a), _) => (a, false),
            (None, Some(b)) => (b, true),
            (None, None) => break,
        };
        let tag_end = i + rest[i..].find('>').unwrap();
        let tag = &rest[i..=tag_end];
        let name = attr(tag, "name");
        if is_area {
            let close = tag_end + rest[tag_end..].find("</textarea>").unwrap();
            if let Some(n) = name {
                // The HTML parser drops one newline right after the opening tag.
                let text = &rest[tag_end + 1..close];
                out.push((n, unescape(text.strip_prefix('\n').unwrap_or(text))));
            }
            rest = &rest[close..];
            continue;
        }
        rest = &rest[tag_end..];
        let Some(n) = name else { continue };
        if has_flag(tag, "disabled") {
            continue;
        }
        let kind = attr(tag, "type").unwrap_or_else(|| "text".into());
        if (kind == "checkbox" || kind == "radio") && !has_flag(tag, "checked") {
            continue;
        }
        out.push((n, attr(tag, "value").unwrap_or_default()));
    }
    out
}

/// Sets `name` to `value`: the last pair of that name, or a new one.
fn put(fields: &mut Vec<(String, String)>, name: &str, value: &str) {
    match fields.iter_mut().rev().find(|(k, _)| k == name) {
        Some(p) => p.1 = value.to_string(),
        None => fields.push((name.to_string(), value.to_string())),
    }
}

/// Unticks box `name`: only its hidden `false` is left.
fn untick(fields: &mut Vec<(String, String)>, name: &str) {
    let before = fields.len();
    fields.retain(|(k, v)| !(k == name && v == "true"));
    assert_eq!(fields.len() + 1, before, "{name} was ticked");
}

async fn session(app: &TestApp, email: &str) -> WebSession {
    let s = WebSession::new(&app.url);
    assert_eq!(s.login(email, PASSWORD).await.status, 303);
    s
}

async fn data(app: &TestApp, token: &str, id: &str) -> Value {
    let (s, d) = app
        .get_json(&format!("/api/v1/documents/{id}"), token)
        .await;
    assert_eq!(s, 200, "{d}");
    d["data"].clone()
}

async fn put_data(app: &TestApp, token: &str, id: &str, data: &Value) {
    let (s, e) = app
        .send_json(
            Method::PUT,
            &format!("/api/v1/documents/{id}"),
            token,
            &json!({ "data": data }),
        )
        .await;
    assert_eq!(s, 200, "{e}");
}

fn post_pairs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// Every input, textarea and select of the page's form has an id named by a `<label for>`.
fn every_input_is_labelled(page: &str) {
    let start = page.find("id=\"edit-document\"").expect("the form");
    let html = &page[start..start + page[start..].find("</form>").unwrap()];
    let mut rest = html;
    let mut n = 0;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let tag = &rest[..rest.find('>').unwrap()];
        let is_field = tag.starts_with("textarea ")
            || tag.starts_with("select ")
            || (tag.starts_with("input ") && attr(tag, "type").as_deref() != Some("hidden"));
        if !is_field {
            continue;
        }
        n += 1;
        let id = attr(&format!(" {tag}"), "id").unwrap_or_else(|| panic!("no id: <{tag}>"));
        assert!(
            html.contains(&format!("<label for=\"{id}\""))
                || html.contains(&format!(" for=\"{id}\"")),
            "no label for {id}"
        );
    }
    assert!(n > 20, "only {n} inputs");
}

#[tokio::test]
async fn the_form_changes_exactly_the_edited_fields_and_unticked_boxes_become_false() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let t = &f.officer_a.2;
    let inc = report(&app, t, &report_body(f.org_a, "Sự cố cổng thông tin Sở A")).await;
    let d = draft(&app, t, "mau03", &inc).await;
    let id = d["id"].as_str().unwrap().to_string();
    // Two boxes ticked and a level chosen beforehand, so unticking and keeping them show.
    let mut start = d["data"].clone();
    start["detection"]["ids"] = json!(true);
    start["services"]["web_server"] = json!(true);
    start["system"]["security_level"] = json!(3);
    start["header"]["recipients"] = json!(["Như trên", "Lưu: VT"]);
    put_data(&app, t, &id, &start).await;
    let before = data(&app, t, &id).await;

    let s = session(&app, &f.officer_a.0).await;
    let page = s.get(&format!("/documents/{id}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("id=\"edit-document\""));
    assert!(!page.body.contains("name=\"data\""), "no JSON textarea");
    every_input_is_labelled(&page.body);
    // The labels are the printed form's, (*) and colons included; the marker is added only
    // where the printed wording has none, and the annex's instructions are shown.
    assert!(
        page.body
            .contains("Tên tổ chức/cá nhân báo cáo sự cố (*)</label>")
    );
    assert!(page.body.contains("Chức vụ:</label>"), "optional: no (*)");
    assert!(page.body.contains(
        "CÁCH THỨC PHÁT HIỆN * (Đánh dấu những cách thức được sử dụng để phát hiện sự cố)</legend>"
    ));
    assert!(!page.body.contains("(*) (*)") && !page.body.contains("* (*)"));
    assert!(
        page.body
            .contains("Ngày và thời gian phát hiện sự cố (*)</label>")
    );
    assert!(page.body.contains(ungcuu_reports::labels::DESCRIPTION_HINT));

    // Posting the form untouched changes nothing.
    let mut fields = form_fields(&page.body, "edit-document");
    let r = s
        .post(&format!("/documents/{id}"), &post_pairs(&fields))
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(data(&app, t, &id).await, before);

    put(&mut fields, "contact.position", "Trưởng phòng Đối ngoại");
    untick(&mut fields, "detection.ids");
    put(&mut fields, "services.mail_server", "true");
    put(&mut fields, "detected_at", "2026-11-20T08:30");
    put(
        &mut fields,
        "ip_addresses",
        "203.0.113.5\r\n\r\n 203.0.113.6 ",
    );
    put(&mut fields, "status", "not_handled");
    put(&mut fields, "confidential", "true");
    let r = s
        .post(&format!("/documents/{id}"), &post_pairs(&fields))
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let after = data(&app, t, &id).await;
    let mut expected = before.clone();
    expected["contact"]["position"] = json!("Trưởng phòng Đối ngoại");
    expected["detection"]["ids"] = json!(false);
    expected["services"]["mail_server"] = json!(true);
    expected["detected_at"] =
        json!({"date": {"day": 20, "month": 11, "year": 2026}, "hour": 8, "minute": 30});
    expected["ip_addresses"] = json!(["203.0.113.5", "203.0.113.6"]);
    expected["status"] = json!("not_handled");
    expected["confidential"] = json!(true);
    assert_eq!(after, expected);
    assert_eq!(after["services"]["web_server"], true, "kept");
    assert_eq!(after["system"]["security_level"], 3, "kept");

    // The page shows what was saved.
    let page = s.get(&format!("/documents/{id}")).await;
    let shown = form_fields(&page.body, "edit-document");
    assert!(shown.contains(&("contact.position".into(), "Trưởng phòng Đối ngoại".into())));
    assert!(!shown.contains(&("detection.ids".into(), "true".into())));
    assert!(shown.contains(&("services.mail_server".into(), "true".into())));
    assert!(shown.contains(&("system.security_level".into(), "3".into())));
    assert!(shown.contains(&("ip_addresses".into(), "203.0.113.5\n203.0.113.6".into())));

    // Officer B cannot post it; without the CSRF token nothing happens either.
    let b = session(&app, &f.officer_b.0).await;
    assert_eq!(
        b.get("/documents").await.status,
        200,
        "a page with B's CSRF token"
    );
    let r = b
        .post(&format!("/documents/{id}"), &[("contact.position", "B")])
        .await;
    assert_eq!(r.status, 404);
    let r = s
        .post(
            &format!("/documents/{id}"),
            &[("_csrf", "wrong"), ("contact.position", "X")],
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(data(&app, t, &id).await, after);
}

#[tokio::test]
async fn the_summary_table_and_the_final_report_are_edited_field_by_field() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let coord = &f.coordinator.2;
    let (s, d) = app
        .send_json(
            Method::POST,
            "/api/v1/documents",
            coord,
            &json!({"form": "mau05", "org_id": f.coordinator_org, "period_kind": "six_months",
                    "period_from": "2026-01", "period_to": "2026-06"}),
        )
        .await;
    assert_eq!(s, 201, "{d}");
    let id = d["id"].as_str().unwrap().to_string();
    let before = data(&app, coord, &id).await;
    let s = session(&app, &f.coordinator.0).await;
    let page = s.get(&format!("/documents/{id}")).await;
    assert_eq!(page.status, 200);
    every_input_is_labelled(&page.body);
    assert!(page.body.contains("Số sự cố đề nghị VNCERT hỗ trợ xử lý"));
    let mut fields = form_fields(&page.body, "edit-document");
    put(&mut fields, "rows.DEFACE.count", "4");
    put(&mut fields, "rows.DEFACE.self_handled", "3");
    put(&mut fields, "rows.DEFACE.coordinator_help", "1");
    put(&mut fields, "rows.DEFACE.estimated_damage_vnd", "1.250.000");
    put(&mut fields, "period.kind", "annual");
    put(&mut fields, "period.to", "2026-12");
    put(&mut fields, "member_code", "MLUCSC-087");
    put(
        &mut fields,
        "domestic_helpers",
        "VNCERT/CC\nViettel Cyber Security",
    );
    let r = s
        .post(&format!("/documents/{id}"), &post_pairs(&fields))
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let after = data(&app, coord, &id).await;
    let deface = after["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["incident_type"] == "DEFACE")
        .unwrap()
        .clone();
    assert_eq!(
        deface,
        json!({"incident_type": "DEFACE", "count": 4, "self_handled": 3, "domestic_help": 0,
               "foreign_help": 0, "coordinator_help": 1, "estimated_damage_vnd": 1_250_000})
    );
    assert_eq!(after["period"]["kind"], "annual");
    assert_eq!(after["period"]["to_month"], 12);
    assert_eq!(after["period"]["from_month"], 1);
    assert_eq!(after["member_code"], "MLUCSC-087");
    assert_eq!(
        after["domestic_helpers"],
        json!(["VNCERT/CC", "Viettel Cyber Security"])
    );
    assert_eq!(after["organisation_name"], before["organisation_name"]);
    assert_eq!(after["header"], before["header"]);

    // A letter in a number cell and a month that does not exist: 422, the messages next to
    // the fields, the typed text kept, nothing saved.
    put(&mut fields, "rows.DOS.count", "3a");
    put(&mut fields, "period.from", "2026-13");
    put(&mut fields, "member_code", "changed");
    let r = s
        .post(&format!("/documents/{id}"), &post_pairs(&fields))
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body
            .contains("id=\"f-rows-DOS-count-error\">Phải là số nguyên không âm"),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains("id=\"f-period-from-error\">Tháng phải có dạng")
    );
    assert!(r.body.contains("name=\"rows.DOS.count\" type=\"number\" min=\"0\" step=\"1\" inputmode=\"numeric\" value=\"3a\""));
    assert!(r.body.contains("value=\"changed\""));
    assert_eq!(data(&app, coord, &id).await, after, "nothing saved");

    // Mẫu 04: the initial report's date is a date input; a malformed one is refused.
    let t = &f.officer_a.2;
    let inc = report(&app, t, &report_body(f.org_a, "Sự cố đã xử lý xong")).await;
    let d4 = draft(&app, t, "mau04", &inc).await;
    let id4 = d4["id"].as_str().unwrap().to_string();
    let before4 = data(&app, t, &id4).await;
    let s = session(&app, &f.officer_a.0).await;
    let page = s.get(&format!("/documents/{id4}")).await;
    every_input_is_labelled(&page.body);
    let mut fields = form_fields(&page.body, "edit-document");
    put(&mut fields, "initial_report_date", "2026-02-30");
    put(&mut fields, "result", "Đã khôi phục hệ thống.");
    let r = s
        .post(&format!("/documents/{id4}"), &post_pairs(&fields))
        .await;
    assert_eq!(r.status, 422);
    assert!(
        r.body
            .contains("id=\"f-initial_report_date-error\">Ngày không hợp lệ")
    );
    assert!(r.body.contains("Đã khôi phục hệ thống.</textarea>"), "kept");
    assert_eq!(data(&app, t, &id4).await, before4, "nothing saved");
    put(&mut fields, "initial_report_date", "2026-01-02");
    put(&mut fields, "initial_report_number", "07/BC-STTTT");
    put(
        &mut fields,
        "attachments",
        "Nhật ký máy chủ\nPhương án xử lý",
    );
    let r = s
        .post(&format!("/documents/{id4}"), &post_pairs(&fields))
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let after4 = data(&app, t, &id4).await;
    assert_eq!(
        after4["initial_report_date"],
        json!({"day": 2, "month": 1, "year": 2026})
    );
    assert_eq!(after4["initial_report_number"], "07/BC-STTTT");
    assert_eq!(after4["result"], "Đã khôi phục hệ thống.");
    assert_eq!(
        after4["attachments"],
        json!(["Nhật ký máy chủ", "Phương án xử lý"])
    );
}

#[tokio::test]
async fn a_malformed_date_on_the_initial_report_is_named_and_nothing_is_saved() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let t = &f.officer_a.2;
    let inc = report(&app, t, &report_body(f.org_a, "Sự cố mạng nội bộ")).await;
    let d = draft(&app, t, "mau03", &inc).await;
    let id = d["id"].as_str().unwrap().to_string();
    let before = data(&app, t, &id).await;
    let s = session(&app, &f.officer_a.0).await;
    let page = s.get(&format!("/documents/{id}")).await;
    let mut fields = form_fields(&page.body, "edit-document");
    put(&mut fields, "detected_at", "2026-02-30T10:00");
    put(&mut fields, "reported_at", "hôm qua");
    put(&mut fields, "contact.position", "Chuyên viên");
    let r = s
        .post(&format!("/documents/{id}"), &post_pairs(&fields))
        .await;
    assert_eq!(r.status, 422);
    assert!(
        r.body
            .contains("id=\"f-detected_at-error\">Ngày giờ không hợp lệ")
    );
    assert!(
        r.body
            .contains("id=\"f-reported_at-error\">Ngày giờ không hợp lệ")
    );
    assert!(r.body.contains("value=\"hôm qua\""), "typed text kept");
    assert!(r.body.contains("value=\"Chuyên viên\""), "typed text kept");
    assert_eq!(data(&app, t, &id).await, before, "nothing saved");
    // A field the form does not have is refused, not dropped silently.
    let r = s
        .post(&format!("/documents/{id}"), &[("header.number", "99/BC")])
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Trường này không có trong mẫu"));
    assert_eq!(data(&app, t, &id).await, before, "nothing saved");
}
