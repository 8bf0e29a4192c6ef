//! Shared steps of the browser tests: skip or fail when there is no browser, run a step and keep
//! a screenshot when it fails, sign in through the form.

use crate::webdriver::{Browser, Result};
use std::io::Write as _;
use std::time::Duration;

/// False when the browser test should be skipped (no Chromium, or `UNGCUU_SKIP_BROWSER=1`), with
/// a loud line; with `CI=true` a missing browser fails the test instead.
pub fn browser_or_skip() -> bool {
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    let why = if !Browser::available() {
        "chromium/chromedriver not installed"
    } else if std::env::var("UNGCUU_SKIP_BROWSER").is_ok_and(|v| v == "1") {
        "UNGCUU_SKIP_BROWSER=1"
    } else {
        return true;
    };
    assert!(!ci, "{why}, and CI=true forbids skipping browser tests");
    // Written to the raw handle so the harness's output capture cannot hide it.
    let _ = writeln!(
        std::io::stderr(),
        "\n=== SKIPPED: {why} (browser test) ===\n"
    );
    false
}

/// The value of a step, or a panic naming it with the path of a screenshot of the page.
pub async fn step<T, E: std::fmt::Display>(
    b: &Browser,
    name: &str,
    r: std::result::Result<T, E>,
) -> T {
    match r {
        Ok(v) => v,
        Err(e) => {
            let shot = b
                .keep_screenshot(name)
                .await
                .map(|p| p.display().to_string())
                .unwrap_or_default();
            panic!("browser step {name} failed: {e}; screenshot: {shot}");
        }
    }
}

/// A check on what the page shows, with a screenshot when it fails.
pub async fn check(b: &Browser, name: &str, ok: bool, what: &str) {
    if !ok {
        let shot = b
            .keep_screenshot(name)
            .await
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        panic!("browser check {name} failed: {what}; screenshot: {shot}");
    }
}

/// Signs in through the form with the fixture password.
pub async fn sign_in(b: &Browser, url: &str, email: &str) -> Result<()> {
    b.goto(&format!("{url}/login")).await?;
    b.wait_for("#email", Duration::from_secs(10))
        .await?
        .send_keys(email)
        .await?;
    b.find("#password")
        .await?
        .send_keys(crate::PASSWORD)
        .await?;
    b.find("#login-submit").await?.click().await
}
