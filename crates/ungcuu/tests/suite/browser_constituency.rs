//! A person at a real browser (headless Chromium) looks up an IP and reads who is responsible.
//! A screenshot is kept when a step fails.

use std::time::Duration;
use ungcuu_core::Actor;
use ungcuu_core::constituency::{self as cs, NewEntry};
use ungcuu_testkit::browsing::{browser_or_skip, sign_in, step};
use ungcuu_testkit::spawn_app;
use ungcuu_testkit::webdriver::Browser;

#[tokio::test]
async fn a_person_looks_up_an_ip_and_reads_who_is_responsible() {
    if !browser_or_skip() {
        return;
    }
    let app = spawn_app().await;
    let f = app.fixture().await;
    cs::create(
        &app.core,
        &Actor::cli(),
        f.org_b,
        NewEntry {
            kind: "cidr".into(),
            value: "203.0.113.0/24".into(),
            note: None,
        },
    )
    .await
    .expect("entry");
    let b = Browser::launch().await.expect("chromium starts");
    let wait = Duration::from_secs(10);
    step(&b, "login", sign_in(&b, &app.url, &f.officer_a.0).await).await;
    step(&b, "signed-in", b.wait_for("#current-user", wait).await).await;
    step(
        &b,
        "open-lookup",
        b.find("#nav-constituency").await.unwrap().click().await,
    )
    .await;
    let q = step(&b, "lookup-box", b.wait_for("#q", wait).await).await;
    step(&b, "type-ip", q.send_keys("203.0.113.77").await).await;
    step(
        &b,
        "submit-lookup",
        b.find("#lookup-submit").await.unwrap().click().await,
    )
    .await;
    let reason = step(&b, "answer", b.wait_for("#lookup-reason", wait).await).await;
    let text = reason.text().await.unwrap_or_default();
    if text != "203.0.113.77 thuộc dải 203.0.113.0/24 do Tổ chức so-b quản lý." {
        let shot = b
            .keep_screenshot("answer-text")
            .await
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        panic!("unexpected answer {text:?}; screenshot: {shot}");
    }
    let _ = b.close().await;
}
