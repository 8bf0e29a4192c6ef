//! A whole incident from report to closure in a real browser (headless Chromium): the officer
//! reports on Mẫu 03, sees the coordinator's change arrive live, the handlers and the owner's
//! approver walk the steps on the incident page, the recovery checklist is ticked and the review
//! written there, and the coordinator closes the incident once the final report is issued.
//! A screenshot is kept when a step fails.

use reqwest::Method;
use serde_json::json;
use std::time::Duration;
use ungcuu_testkit::browsing::{browser_or_skip, check, sign_in, step};
use ungcuu_testkit::spawn_app;
use ungcuu_testkit::webdriver::{Browser, Result, WdError};

const WAIT: Duration = Duration::from_secs(10);

/// Waits until the incident page's facts show `label` as the state. The page is polled rather
/// than an element awaited because a submitted form's old page lingers until the new one loads.
async fn state_shown(b: &Browser, label: &str) -> Result<()> {
    let deadline = std::time::Instant::now() + WAIT;
    let mut seen = String::new();
    while std::time::Instant::now() < deadline {
        // A stale or missing element only means the next page is still loading.
        if let Ok(facts) = b.find("#incident-facts").await {
            seen = facts.text().await.unwrap_or_default();
            if seen.lines().any(|l| l.trim() == label) {
                return Ok(());
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(WdError::Timeout(format!(
        "state `{label}` not shown; facts: {seen}"
    )))
}

/// Clicks the submit button matching `css` and waits for the page that answers: the old page is
/// marked first, since the answer to every form here is the same incident page again.
async fn submit(b: &Browser, css: &str) {
    step(
        b,
        "mark-page",
        b.execute("document.body.dataset.submitted = 'yes';", vec![])
            .await,
    )
    .await;
    press(b, css).await;
    step(
        b,
        &format!("answer to {css}"),
        b.wait_for("body:not([data-submitted])", WAIT).await,
    )
    .await;
}

/// Waits until the page's flash message says `text`.
async fn flash_shown(b: &Browser, text: &str) -> Result<()> {
    let deadline = std::time::Instant::now() + WAIT;
    let mut seen = String::new();
    while std::time::Instant::now() < deadline {
        if let Ok(flash) = b.find(".flash").await {
            seen = flash.text().await.unwrap_or_default();
            if seen.trim() == text {
                return Ok(());
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(WdError::Timeout(format!(
        "flash `{text}` not shown; seen: {seen}"
    )))
}

/// Clicks the step button to `to` and waits for the page to show the new state.
async fn take_step(b: &Browser, to: &str, label: &str) {
    let button = step(
        b,
        &format!("button-{to}"),
        b.wait_for(&format!("#to-{to}"), WAIT).await,
    )
    .await;
    step(b, &format!("click-{to}"), button.click().await).await;
    step(b, &format!("shown-{to}"), state_shown(b, label).await).await;
}

/// Signs out through the page and signs in as `email`, back on the incident page.
async fn switch_to(b: &Browser, url: &str, email: &str, incident: &str) {
    step(b, "logout", b.find("#logout").await.unwrap().click().await).await;
    step(b, "logged-out", b.wait_for("#login-submit", WAIT).await).await;
    step(b, "login-as", sign_in(b, url, email).await).await;
    step(b, "signed-in-as", b.wait_for("#current-user", WAIT).await).await;
    step(
        b,
        "open-incident",
        b.goto(&format!("{url}/incidents/{incident}")).await,
    )
    .await;
    step(
        b,
        "incident-page",
        b.wait_for("#incident-title", WAIT).await,
    )
    .await;
}

/// Types `text` into the field matching `css`, replacing what the form filled in beforehand
/// (the contact fields start with the signed-in person's details).
async fn fill(b: &Browser, css: &str, text: &str) {
    let el = step(b, &format!("find {css}"), b.wait_for(css, WAIT).await).await;
    step(b, &format!("clear {css}"), el.clear().await).await;
    step(b, &format!("type {css}"), el.send_keys(text).await).await;
}

/// Clicks the element matching `css`.
async fn press(b: &Browser, css: &str) {
    let el = step(b, &format!("find {css}"), b.wait_for(css, WAIT).await).await;
    step(b, &format!("click {css}"), el.click().await).await;
}

#[tokio::test]
async fn an_incident_goes_from_the_report_to_closure_in_the_browser() {
    if !browser_or_skip() {
        return;
    }
    let app = spawn_app().await;
    let f = app.fixture().await;
    let approver = app.user("approver-a@test.vn", f.org_a, "approver").await;
    let b = Browser::launch().await.expect("chromium starts");
    let url = app.url.clone();

    // 1. The officer of Sở A reports on Mẫu 03.
    step(&b, "login", sign_in(&b, &url, &f.officer_a.0).await).await;
    step(&b, "signed-in", b.wait_for("#current-user", WAIT).await).await;
    step(
        &b,
        "new-incident",
        b.goto(&format!("{url}/incidents/new")).await,
    )
    .await;
    step(&b, "form", b.wait_for("#incident-form", WAIT).await).await;
    let title = "Trang chủ Cổng thông tin Sở A bị thay đổi giao diện";
    fill(&b, "#reporter_name", "Sở A").await;
    fill(
        &b,
        "#reporter_address",
        "Số 1 đường 30/4, Phường 1, TP Cao Lãnh",
    )
    .await;
    fill(&b, "#reporter_phone", "0277 3851 234").await;
    fill(&b, "#reporter_email", "vanthu@soa.dongthap.gov.vn").await;
    fill(&b, "#contact_name", "Lê Minh Phụ Trách").await;
    fill(&b, "#contact_phone", "0912 345 678").await;
    fill(&b, "#contact_email", "minh@soa.dongthap.gov.vn").await;
    press(&b, &format!("#owner_org_id option[value='{}']", f.org_a)).await;
    fill(&b, "#operator_name", "Trung tâm CNTT của Sở A").await;
    fill(&b, "#system_name", "Cổng thông tin điện tử Sở A").await;
    fill(&b, "#title", title).await;
    fill(&b, "#summary", "Trang chủ bị thay bằng nội dung lạ.").await;
    // Typing into date and time inputs depends on the browser's locale, so their values are set
    // by script; two hours ago in UTC is in the past in Vietnam's time too.
    let found = time::OffsetDateTime::now_utc() - time::Duration::hours(2);
    let day = format!(
        "{:04}-{:02}-{:02}",
        found.year(),
        u8::from(found.month()),
        found.day()
    );
    let at = format!("{:02}:{:02}", found.hour(), found.minute());
    step(
        &b,
        "discovered",
        b.execute(
            "document.getElementById('discovered_date').value = arguments[0];\
             document.getElementById('discovered_time').value = arguments[1];",
            vec![json!(day), json!(at)],
        )
        .await,
    )
    .await;
    press(&b, "input[name=handling_status][value=not_handled]").await;
    press(&b, "input[name=detection_methods][value=log_review]").await;
    press(&b, "input[name=notified][value=coordinator]").await;
    press(&b, "#submit-incident").await;
    let h1 = step(&b, "reported", b.wait_for("#incident-title", WAIT).await).await;
    let shown = h1.text().await.unwrap_or_default();
    check(&b, "title", shown == title, &shown).await;
    let page = b.current_url().await.unwrap_or_default();
    let id = page
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .split(['?', '#'])
        .next()
        .unwrap_or_default()
        .to_string();
    check(&b, "incident-id", uuid::Uuid::parse_str(&id).is_ok(), &page).await;
    step(&b, "received", state_shown(&b, "Tiếp nhận").await).await;

    // 2. The coordinator starts verifying; the officer's open page says so live.
    let banner = step(&b, "banner", b.find("#live-banner").await).await;
    check(
        &b,
        "banner-hidden",
        banner.attr("hidden").await.unwrap_or_default().is_some(),
        "the banner is hidden before any change",
    )
    .await;
    // A stream follows changes from the moment it connects, so the change must wait until the
    // page's stream is up. app.js keeps its stream private; a second stream opened after it and
    // seen `ready` means the server has taken the page's earlier request too.
    step(
        &b,
        "probe-stream",
        b.execute(
            "var s = new EventSource(document.getElementById('live-banner').dataset.live);\
             s.addEventListener('ready', function () { document.body.dataset.streamReady = 'yes'; s.close(); });",
            vec![],
        )
        .await,
    )
    .await;
    step(
        &b,
        "stream-ready",
        b.wait_for("body[data-stream-ready]", WAIT).await,
    )
    .await;
    let (s, v) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/incidents/{id}/transitions"),
            &f.coordinator.2,
            &json!({"to": "verifying"}),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    step(
        &b,
        "live-banner",
        b.wait_for("#live-banner:not([hidden])", WAIT).await,
    )
    .await;
    // The banner says who changed the incident.
    let said = step(
        &b,
        "live-text",
        b.find("#live-text").await.unwrap().text().await,
    )
    .await;
    check(
        &b,
        "live-by",
        said.contains(&format!("bởi {}", f.coordinator.0)),
        &said,
    )
    .await;
    press(&b, "#live-reload").await;
    step(&b, "verifying", state_shown(&b, "Đang xác minh").await).await;

    // 3. The steps on the page, each by the people allowed to take it.
    take_step(&b, "initial_response", "Ứng cứu ban đầu").await;
    take_step(&b, "option_proposed", "Đã đề xuất phương án").await;
    switch_to(&b, &url, &approver.1, &id).await;
    take_step(&b, "option_approved", "Phương án đã được phê duyệt").await;
    switch_to(&b, &url, &f.officer_a.0, &id).await;
    take_step(&b, "containing", "Ngăn chặn, hạn chế thiệt hại").await;
    take_step(&b, "eradicating", "Loại bỏ mã độc, khắc phục điểm yếu").await;
    take_step(&b, "recovering", "Khôi phục hệ thống").await;
    take_step(&b, "verifying_recovery", "Kiểm tra sau khôi phục").await;

    // The recovery checklist (step 10) is ticked item by item on the page.
    let (s, list) = app
        .get_json(&format!("/api/v1/incidents/{id}/tasks"), &f.officer_a.2)
        .await;
    assert_eq!(s, 200, "{list}");
    let checks: Vec<_> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["kind"] == "recovery_check")
        .collect();
    check(&b, "recovery-task", checks.len() == 1, &list.to_string()).await;
    let task = checks[0]["id"].as_str().unwrap().to_string();
    let items = checks[0]["checklist"].as_array().unwrap().clone();
    check(&b, "recovery-items", !items.is_empty(), "checklist items").await;
    for item in &items {
        let button = format!("#tick-{task}-{}", item["ordinal"]);
        press(&b, &format!("{button}[aria-pressed='false']")).await;
        step(
            &b,
            "ticked",
            b.wait_for(&format!("{button}[aria-pressed='true']"), WAIT)
                .await,
        )
        .await;
    }
    take_step(&b, "review", "Tổng kết, rút kinh nghiệm").await;

    // The review, written on the page.
    fill(
        &b,
        "#review-form #root_cause",
        "Plugin soạn thảo của CMS chưa vá lỗ hổng tải tệp lên.",
    )
    .await;
    fill(
        &b,
        "#review-form #lessons",
        "Theo dõi bản vá của thành phần bên thứ ba hằng tuần.",
    )
    .await;
    fill(
        &b,
        "#review-form textarea[name=measures]",
        "Gỡ plugin, bật tường lửa ứng dụng web, rà soát nhật ký hằng ngày.",
    )
    .await;
    submit(&b, "#save-review").await;
    step(&b, "review-saved", flash_shown(&b, "Đã lưu.").await).await;
    // The saved review comes back into the form of the reloaded page.
    let measures = step(
        &b,
        "review-measures",
        b.find("#review-form textarea[name=measures]")
            .await
            .unwrap()
            .property("value")
            .await,
    )
    .await;
    check(
        &b,
        "review-kept",
        measures
            .as_str()
            .is_some_and(|m| m.starts_with("Gỡ plugin, bật tường lửa ứng dụng web")),
        &measures.to_string(),
    )
    .await;

    // 4. The final report (Mẫu 04), issued through the API.
    crate::documents::issued(&app, &f.coordinator.2, "mau04", &id).await;

    // 5. The coordinator closes the incident on the page.
    switch_to(&b, &url, &f.coordinator.0, &id).await;
    press(&b, "#steps input[name=confirm]").await;
    take_step(&b, "closed", "Đã đóng").await;
    let src = b.page_source().await.unwrap_or_default();
    check(
        &b,
        "no-more-steps",
        !src.contains("id=\"to-"),
        "a closed incident offers no step",
    )
    .await;
    let _ = b.close().await;

    let (_, i) = app
        .get_json(&format!("/api/v1/incidents/{id}"), &f.officer_a.2)
        .await;
    assert_eq!(i["state"], "closed", "{i}");
    assert_eq!(i["title"], title);
}
