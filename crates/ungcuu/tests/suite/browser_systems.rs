//! A person at a real browser (headless Chromium) adds an information system to the registry
//! and finds it in the list. A screenshot is kept when a step fails.

use std::time::Duration;
use ungcuu_testkit::browsing::{browser_or_skip, check, sign_in, step};
use ungcuu_testkit::spawn_app;
use ungcuu_testkit::webdriver::Browser;

#[tokio::test]
async fn an_officer_adds_a_system_and_finds_it_in_the_registry() {
    if !browser_or_skip() {
        return;
    }
    let app = spawn_app().await;
    let f = app.fixture().await;
    let b = Browser::launch().await.expect("chromium starts");
    let wait = Duration::from_secs(10);

    step(&b, "login", sign_in(&b, &app.url, &f.officer_a.0).await).await;
    step(&b, "signed-in", b.wait_for("#current-user", wait).await).await;

    step(
        &b,
        "registry",
        b.find("#nav-systems").await.unwrap().click().await,
    )
    .await;
    step(
        &b,
        "empty-registry",
        b.wait_for("#systems-empty", wait).await,
    )
    .await;
    step(
        &b,
        "new-system",
        b.find("#new-system").await.unwrap().click().await,
    )
    .await;
    step(
        &b,
        "system-name",
        b.wait_for("#name", wait)
            .await
            .unwrap()
            .send_keys("Cổng thông tin điện tử Sở Y tế")
            .await,
    )
    .await;
    step(
        &b,
        "level-2",
        b.find("#security_level option[value='2']")
            .await
            .unwrap()
            .click()
            .await,
    )
    .await;
    step(
        &b,
        "web-service",
        b.find("#service_web").await.unwrap().click().await,
    )
    .await;
    step(
        &b,
        "ips",
        b.find("#ips")
            .await
            .unwrap()
            .send_keys("203.0.113.20\n198.51.100.0/28")
            .await,
    )
    .await;
    step(
        &b,
        "domains",
        b.find("#domains")
            .await
            .unwrap()
            .send_keys("syt.dongthap.gov.vn")
            .await,
    )
    .await;
    step(
        &b,
        "software",
        b.find("#software")
            .await
            .unwrap()
            .send_keys("F5 | nginx | 1.24.0 | cpe:2.3:a:f5:nginx:1.24.0:*:*:*:*:*:*:*")
            .await,
    )
    .await;
    step(
        &b,
        "save",
        b.find("#save-system").await.unwrap().click().await,
    )
    .await;
    let h1 = step(&b, "created", b.wait_for("#system-name", wait).await).await;
    let title = h1.text().await.unwrap_or_default();
    check(
        &b,
        "title",
        title == "Cổng thông tin điện tử Sở Y tế",
        &title,
    )
    .await;
    let src = b.page_source().await.unwrap_or_default();
    check(
        &b,
        "flash",
        src.contains("Đã thêm hệ thống thông tin."),
        "flash",
    )
    .await;
    check(&b, "level", src.contains("Cấp độ 2"), "level shown").await;
    check(&b, "range", src.contains("198.51.100.0/28"), "range shown").await;

    step(
        &b,
        "back-to-registry",
        b.goto(&format!("{}/systems?level=2", app.url)).await,
    )
    .await;
    let table = step(&b, "listed", b.wait_for("#systems", wait).await).await;
    let text = table.text().await.unwrap_or_default();
    check(
        &b,
        "in-list",
        text.contains("Cổng thông tin điện tử Sở Y tế"),
        &text,
    )
    .await;
    let _ = b.close().await;

    let (_, list) = app.get_json("/api/v1/systems", &f.officer_a.2).await;
    assert_eq!(list["items"][0]["domains"][0], "syt.dongthap.gov.vn");
    assert_eq!(list["items"][0]["software"][0]["product"], "nginx");
}
