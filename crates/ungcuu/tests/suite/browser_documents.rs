//! A Mẫu 03 draft edited field by field in a real browser (headless Chromium): a Vietnamese
//! value with tone marks typed into a field, one box ticked and one unticked, saved, issued,
//! and the typed value read back from the issued PDF.

use crate::documents::{complete, download, draft, pdf_text, report};
use crate::incidents::report_body;
use serde_json::{Value, json};
use std::time::Duration;
use ungcuu_testkit::browsing::{browser_or_skip, check, sign_in, step};
use ungcuu_testkit::spawn_app;
use ungcuu_testkit::webdriver::Browser;

const WAIT: Duration = Duration::from_secs(10);

/// Clicks `css` and waits until the page that answers shows `flash`; the old page is marked
/// first so its flash is not taken for the new one.
async fn submit_until_flash(b: &Browser, css: &str, flash: &str) {
    step(
        b,
        "mark-page",
        b.execute("document.body.dataset.submitted = 'yes';", vec![])
            .await,
    )
    .await;
    let el = step(b, &format!("find {css}"), b.wait_for(css, WAIT).await).await;
    step(b, &format!("click {css}"), el.click().await).await;
    step(
        b,
        &format!("answer to {css}"),
        b.wait_for("body:not([data-submitted]) .flash", WAIT).await,
    )
    .await;
    let seen = b
        .find(".flash")
        .await
        .unwrap()
        .text()
        .await
        .unwrap_or_default();
    check(b, &format!("flash {flash}"), seen.trim() == flash, &seen).await;
}

async fn checked(b: &Browser, css: &str) -> bool {
    let el = step(b, &format!("find {css}"), b.find(css).await).await;
    step(b, &format!("checked {css}"), el.property("checked").await).await == Value::Bool(true)
}

#[tokio::test]
async fn a_draft_is_typed_into_saved_and_issued_and_the_pdf_carries_the_typed_value() {
    if !browser_or_skip() {
        return;
    }
    let app = spawn_app().await;
    let f = app.fixture().await;
    let t = &f.officer_a.2;
    let inc = report(&app, t, &report_body(f.org_a, "Sự cố cổng thông tin Sở A")).await;
    let mut d = draft(&app, t, "mau03", &inc).await;
    d["data"]["services"]["web_server"] = json!(true);
    d["data"]["services"]["mail_server"] = json!(false);
    let d = complete(&app, t, &d).await;
    let id = d["id"].as_str().unwrap().to_string();
    let url = app.url.clone();
    let b = Browser::launch().await.expect("chromium starts");

    step(&b, "login", sign_in(&b, &url, &f.officer_a.0).await).await;
    step(&b, "signed-in", b.wait_for("#current-user", WAIT).await).await;
    step(&b, "open", b.goto(&format!("{url}/documents/{id}")).await).await;
    step(&b, "form", b.wait_for("#edit-document", WAIT).await).await;

    let typed = "Nguyễn Thị Hoà, phòng Đối ngoại";
    let field = step(&b, "name", b.find("#f-contact-full_name").await).await;
    step(&b, "clear", field.clear().await).await;
    step(&b, "type", field.send_keys(typed).await).await;
    check(
        &b,
        "web-ticked",
        checked(&b, "#f-services-web_server").await,
        "ticked before",
    )
    .await;
    check(
        &b,
        "mail-unticked",
        !checked(&b, "#f-services-mail_server").await,
        "unticked before",
    )
    .await;
    // The label is what is clicked, as a keyboard or mouse user would through `for`.
    let untick = step(
        &b,
        "web-label",
        b.find("label[for=f-services-web_server]").await,
    )
    .await;
    step(&b, "untick", untick.click().await).await;
    let tick = step(&b, "mail-box", b.find("#f-services-mail_server").await).await;
    step(&b, "tick", tick.click().await).await;
    submit_until_flash(&b, "#save-document", "Đã lưu dự thảo.").await;

    // The page shows what was saved, and so does the API.
    let field = step(&b, "name-again", b.find("#f-contact-full_name").await).await;
    let shown = step(&b, "value", field.property("value").await).await;
    check(&b, "kept", shown == json!(typed), &shown.to_string()).await;
    check(
        &b,
        "web-unticked",
        !checked(&b, "#f-services-web_server").await,
        "unticked",
    )
    .await;
    check(
        &b,
        "mail-ticked",
        checked(&b, "#f-services-mail_server").await,
        "ticked",
    )
    .await;
    let (_, saved) = app.get_json(&format!("/api/v1/documents/{id}"), t).await;
    assert_eq!(saved["data"]["contact"]["full_name"], typed);
    assert_eq!(saved["data"]["services"]["web_server"], false);
    assert_eq!(saved["data"]["services"]["mail_server"], true);

    submit_until_flash(&b, "#issue-document", "Đã ban hành văn bản.").await;
    check(
        &b,
        "frozen",
        b.find("#edit-document").await.is_err(),
        "no edit form once issued",
    )
    .await;
    let number = step(&b, "number", b.find("#document-number").await).await;
    let number = number.text().await.unwrap_or_default();
    let (_, issued) = app.get_json(&format!("/api/v1/documents/{id}"), t).await;
    check(
        &b,
        "number-shown",
        number.trim() == issued["number"].as_str().unwrap(),
        &number,
    )
    .await;

    let (s, pdf, _) = download(&app, t, &id, "pdf").await;
    assert_eq!(s, 200);
    let text = pdf_text(&pdf);
    assert!(text.contains(typed), "{text}");
    let _ = b.close().await;
}
