//! A person at a real browser (headless Chromium): sign in, switch language, create an
//! organisation and a user, sign out. A screenshot is kept when a step fails.

use std::time::Duration;
use ungcuu_testkit::browsing::{browser_or_skip, check, sign_in, step};
use ungcuu_testkit::spawn_app;
use ungcuu_testkit::webdriver::Browser;

#[tokio::test]
async fn a_person_signs_in_switches_language_creates_an_organisation_and_a_user_and_signs_out() {
    if !browser_or_skip() {
        return;
    }
    let app = spawn_app().await;
    let f = app.fixture().await;
    let b = Browser::launch().await.expect("chromium starts");
    let wait = Duration::from_secs(10);

    step(&b, "login", sign_in(&b, &app.url, &f.admin.0).await).await;
    let user = step(&b, "signed-in", b.wait_for("#current-user", wait).await).await;
    let name = user.text().await.unwrap_or_default();
    check(&b, "signed-in-name", name.contains("admin@test.vn"), &name).await;
    let cookies = b.cookies().await.unwrap_or_default();
    check(
        &b,
        "cookie",
        cookies.iter().any(|c| {
            c["name"]
                .as_str()
                .is_some_and(|n| n.starts_with("__Host-ungcuu_session"))
                && c["httpOnly"] == true
        }),
        "session cookie",
    )
    .await;

    step(
        &b,
        "switch-language",
        b.find("#lang-switch").await.unwrap().click().await,
    )
    .await;
    step(&b, "english", b.wait_for("html[lang=en]", wait).await).await;
    let src = b.page_source().await.unwrap_or_default();
    check(
        &b,
        "english-text",
        src.contains("Sign out"),
        "English navigation",
    )
    .await;
    step(
        &b,
        "switch-back",
        b.find("#lang-switch").await.unwrap().click().await,
    )
    .await;
    step(&b, "vietnamese", b.wait_for("html[lang=vi]", wait).await).await;

    step(
        &b,
        "new-org-page",
        b.goto(&format!("{}/orgs/new", app.url)).await,
    )
    .await;
    step(
        &b,
        "org-name",
        b.wait_for("#name", wait)
            .await
            .unwrap()
            .send_keys("Sở Văn hóa, Thể thao và Du lịch")
            .await,
    )
    .await;
    step(
        &b,
        "org-slug",
        b.find("#slug").await.unwrap().send_keys("so-vhttdl").await,
    )
    .await;
    step(
        &b,
        "save-org",
        b.find("#save-org").await.unwrap().click().await,
    )
    .await;
    let h1 = step(&b, "org-created", b.wait_for("#org-name", wait).await).await;
    let title = h1.text().await.unwrap_or_default();
    check(
        &b,
        "org-title",
        title == "Sở Văn hóa, Thể thao và Du lịch",
        &title,
    )
    .await;
    let src = b.page_source().await.unwrap_or_default();
    check(
        &b,
        "org-flash",
        src.contains("Đã tạo cơ quan, đơn vị."),
        "flash",
    )
    .await;

    step(
        &b,
        "new-user-page",
        b.goto(&format!("{}/users/new", app.url)).await,
    )
    .await;
    step(
        &b,
        "user-name",
        b.wait_for("#name", wait)
            .await
            .unwrap()
            .send_keys("Nguyễn Thị Ánh")
            .await,
    )
    .await;
    step(
        &b,
        "user-email",
        b.find("#email")
            .await
            .unwrap()
            .send_keys("anh@test.vn")
            .await,
    )
    .await;
    step(
        &b,
        "user-password",
        b.find("#password")
            .await
            .unwrap()
            .send_keys("một mật khẩu dài")
            .await,
    )
    .await;
    step(
        &b,
        "save-user",
        b.find("#save-user").await.unwrap().click().await,
    )
    .await;
    let h1 = step(&b, "user-created", b.wait_for("#user-name", wait).await).await;
    let who = h1.text().await.unwrap_or_default();
    check(&b, "user-title", who == "Nguyễn Thị Ánh", &who).await;

    step(&b, "logout", b.find("#logout").await.unwrap().click().await).await;
    step(&b, "back-to-login", b.wait_for("#login-submit", wait).await).await;
    step(
        &b,
        "home-after-logout",
        b.goto(&format!("{}/", app.url)).await,
    )
    .await;
    step(&b, "redirected", b.wait_for("#login-submit", wait).await).await;
    let _ = b.close().await;

    let (_, users) = app
        .get_json("/api/v1/users?q=anh@test.vn", &f.admin.2)
        .await;
    assert_eq!(users["items"][0]["name"], "Nguyễn Thị Ánh");
}

#[tokio::test]
async fn a_person_turns_on_two_step_verification_and_signs_in_with_a_code() {
    if !browser_or_skip() {
        return;
    }
    let app = spawn_app().await;
    let f = app.fixture().await;
    let b = Browser::launch().await.expect("chromium starts");
    let wait = Duration::from_secs(10);
    step(&b, "login", sign_in(&b, &app.url, &f.officer_a.0).await).await;
    step(&b, "signed-in", b.wait_for("#current-user", wait).await).await;
    step(&b, "profile", b.goto(&format!("{}/profile", app.url)).await).await;
    step(
        &b,
        "enable",
        b.wait_for("#mfa-enable", wait).await.unwrap().click().await,
    )
    .await;
    let key_el = step(&b, "qr-page", b.wait_for("#manual-key", wait).await).await;
    let src = b.page_source().await.unwrap_or_default();
    check(&b, "qr", src.contains("<svg"), "QR code").await;
    let key = key_el.text().await.unwrap_or_default().replace(' ', "");
    let code = ungcuu_core::mfa::code_at(&key, ungcuu_domain::timefmt::now()).expect("code");
    step(
        &b,
        "type-code",
        b.find("#code").await.unwrap().send_keys(&code).await,
    )
    .await;
    step(
        &b,
        "confirm",
        b.find("#code-submit").await.unwrap().click().await,
    )
    .await;
    let codes = step(&b, "recovery", b.wait_for("#recovery-codes", wait).await).await;
    let text = codes.text().await.unwrap_or_default();
    check(
        &b,
        "ten-codes",
        text.lines().filter(|l| l.contains('-')).count() == 10,
        &text,
    )
    .await;
    step(
        &b,
        "continue",
        b.find("#continue").await.unwrap().click().await,
    )
    .await;
    let status = step(&b, "status", b.wait_for("#mfa-status", wait).await).await;
    let st = status.text().await.unwrap_or_default();
    check(&b, "on", st.contains("Đang bật"), &st).await;
    step(&b, "logout", b.find("#logout").await.unwrap().click().await).await;
    step(&b, "logged-out", b.wait_for("#login-submit", wait).await).await;

    step(
        &b,
        "login-again",
        sign_in(&b, &app.url, &f.officer_a.0).await,
    )
    .await;
    step(&b, "code-page", b.wait_for("#code-submit", wait).await).await;
    let next = ungcuu_core::mfa::code_at(
        &key,
        ungcuu_domain::timefmt::now() + time::Duration::seconds(30),
    )
    .expect("code");
    step(
        &b,
        "type-next",
        b.find("#code").await.unwrap().send_keys(&next).await,
    )
    .await;
    step(
        &b,
        "submit-code",
        b.find("#code-submit").await.unwrap().click().await,
    )
    .await;
    let user = step(
        &b,
        "signed-in-with-code",
        b.wait_for("#current-user", wait).await,
    )
    .await;
    let name = user.text().await.unwrap_or_default();
    check(&b, "name", name.contains("officer-a@test.vn"), &name).await;
    let _ = b.close().await;
}

#[tokio::test]
async fn an_officer_assigns_a_new_focal_point_and_the_coordinator_sees_the_notification() {
    if !browser_or_skip() {
        return;
    }
    let app = spawn_app().await;
    let f = app.fixture().await;
    let b = Browser::launch().await.expect("chromium starts");
    let wait = Duration::from_secs(10);
    step(
        &b,
        "login-officer",
        sign_in(&b, &app.url, &f.officer_a.0).await,
    )
    .await;
    step(&b, "signed-in", b.wait_for("#current-user", wait).await).await;
    step(
        &b,
        "profile-page",
        b.goto(&format!("{}/orgs/{}/profile", app.url, f.org_a))
            .await,
    )
    .await;
    step(
        &b,
        "no-focal-point",
        b.wait_for("#no-focal-point", wait).await,
    )
    .await;
    step(
        &b,
        "fp-name",
        b.find("#fp-name")
            .await
            .unwrap()
            .send_keys("Huỳnh Thị Đầu Mối")
            .await,
    )
    .await;
    step(
        &b,
        "fp-email",
        b.find("#fp-email")
            .await
            .unwrap()
            .send_keys("daumoi@soa.vn")
            .await,
    )
    .await;
    step(
        &b,
        "fp-24x7",
        b.find("#fp-phone_24x7")
            .await
            .unwrap()
            .send_keys("0912 345 678")
            .await,
    )
    .await;
    step(
        &b,
        "fp-save",
        b.find("#save-focal-point").await.unwrap().click().await,
    )
    .await;
    let table = step(&b, "fp-shown", b.wait_for("#focal-current", wait).await).await;
    let text = table.text().await.unwrap_or_default();
    check(
        &b,
        "fp-name-shown",
        text.contains("Huỳnh Thị Đầu Mối"),
        &text,
    )
    .await;
    step(&b, "logout", b.find("#logout").await.unwrap().click().await).await;
    step(&b, "logged-out", b.wait_for("#login-submit", wait).await).await;

    step(
        &b,
        "login-coordinator",
        sign_in(&b, &app.url, &f.coordinator.0).await,
    )
    .await;
    let badge = step(&b, "unread-badge", b.wait_for("#unread", wait).await).await;
    let n = badge.text().await.unwrap_or_default();
    check(&b, "one-unread", n.trim() == "1", &n).await;
    step(
        &b,
        "open-notifications",
        b.find("#notifications-link").await.unwrap().click().await,
    )
    .await;
    let list = step(
        &b,
        "notification-list",
        b.wait_for("#notifications", wait).await,
    )
    .await;
    let text = list.text().await.unwrap_or_default();
    check(
        &b,
        "notification-text",
        text.contains("Huỳnh Thị Đầu Mối"),
        &text,
    )
    .await;
    let _ = b.close().await;
}
