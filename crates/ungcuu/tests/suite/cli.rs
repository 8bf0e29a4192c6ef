//! The binary itself: commands, exit codes, what goes to standard output.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use ungcuu_testkit::spawn_app;

const BIN: &str = env!("CARGO_BIN_EXE_ungcuu");

fn ungcuu(
    db: &str,
    data: &std::path::Path,
    args: &[&str],
    stdin: Option<&str>,
) -> (i32, String, String) {
    let mut child = Command::new(BIN)
        .args(["--database-url", db, "--data-dir"])
        .arg(data)
        .args(args)
        .env("UNGCUU_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run ungcuu");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    } else {
        drop(child.stdin.take());
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

/// Starts `ungcuu serve` on a free port; returns the child and its URL once it is ready.
pub(crate) fn serve(
    db: &str,
    data: &std::path::Path,
    extra: &[&str],
) -> (std::process::Child, String, Vec<String>) {
    let mut child = Command::new(BIN)
        .args(["--database-url", db, "--data-dir"])
        .arg(data)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(extra)
        .env("UNGCUU_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("serve");
    let stderr = child.stderr.take().unwrap();
    let mut lines = Vec::new();
    let mut url = String::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    for line in BufReader::new(stderr).lines() {
        let line = line.unwrap();
        lines.push(line.clone());
        if let Some(u) = line.strip_prefix("ungcuu is ready at ") {
            url = u.trim().to_string();
            break;
        }
        assert!(Instant::now() < deadline, "serve did not start: {lines:?}");
    }
    assert!(!url.is_empty(), "serve exited: {lines:?}");
    (child, url, lines)
}

#[tokio::test]
async fn admin_commands_create_an_organisation_a_user_and_a_bare_token_that_the_api_accepts() {
    let app = spawn_app().await;
    let db = app.database_url.clone();
    let data = tempfile::tempdir().unwrap();
    let (code, _, err) = ungcuu(
        &db,
        data.path(),
        &[
            "admin",
            "create-org",
            "--slug",
            "tinh",
            "--name",
            "Tỉnh Đồng Tháp",
            "--kind",
            "province",
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = ungcuu(
        &db,
        data.path(),
        &[
            "admin",
            "create-org",
            "--slug",
            "so-khcn",
            "--name",
            "Sở KH&CN",
            "--kind",
            "coordinator",
            "--parent",
            "tinh",
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = ungcuu(
        &db,
        data.path(),
        &[
            "admin",
            "create-org",
            "--slug",
            "x",
            "--name",
            "Bad",
            "--kind",
            "galaxy",
        ],
        None,
    );
    assert_ne!(code, 0);
    assert!(err.contains("slug") && err.contains("kind"), "{err}");
    let (code, _, err) = ungcuu(
        &db,
        data.path(),
        &[
            "admin",
            "create-user",
            "--email",
            "qtv@test.vn",
            "--name",
            "Quản Trị",
            "--org",
            "so-khcn",
            "--role",
            "admin",
            "--password-stdin",
        ],
        Some("mật khẩu rất dài\n"),
    );
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = ungcuu(
        &db,
        data.path(),
        &[
            "admin",
            "create-token",
            "--email",
            "qtv@test.vn",
            "--label",
            "tích hợp",
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let token = out.trim_end_matches('\n');
    assert!(
        token.starts_with("ugc_") && !token.contains(char::is_whitespace),
        "stdout is the bare token: {out:?}"
    );
    let (s, me) = app.get_json("/api/v1/me", token).await;
    assert_eq!(s, 200);
    assert_eq!(me["email"], "qtv@test.vn");
    assert!(
        me["actions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "settings.manage")
    );
    let web = ungcuu_testkit::WebSession::new(&app.url);
    assert_eq!(
        web.login("qtv@test.vn", "mật khẩu rất dài").await.status,
        303
    );
}

#[tokio::test]
async fn audit_verify_exits_zero_on_an_intact_chain_and_names_the_first_tampered_event() {
    let app = spawn_app().await;
    let _f = app.fixture().await;
    let data = tempfile::tempdir().unwrap();
    let (code, out, err) = ungcuu(&app.database_url, data.path(), &["audit", "verify"], None);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("intact"));
    sqlx::query("UPDATE audit_events SET actor_label = 'someone else' WHERE seq = 4")
        .execute(app.core.db.pool())
        .await
        .unwrap();
    let (code, _, err) = ungcuu(&app.database_url, data.path(), &["audit", "verify"], None);
    assert_ne!(code, 0);
    assert!(err.contains("event 4"), "{err}");
}

#[tokio::test]
async fn serve_on_an_empty_database_prints_a_setup_link_and_demo_loading_is_idempotent() {
    let app = spawn_app().await;
    let db = app.database_url.clone();
    let data = tempfile::tempdir().unwrap();
    let (mut child, url, lines) = serve(&db, data.path(), &[]);
    let link = lines
        .iter()
        .find(|l| l.contains("/setup/"))
        .expect("setup link printed")
        .trim()
        .to_string();
    assert!(link.starts_with(&url));
    let r = reqwest::get(&link).await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        reqwest::get(format!("{url}/readyz"))
            .await
            .unwrap()
            .status(),
        200
    );
    child.kill().unwrap();
    child.wait().unwrap();

    let (code, _, err) = ungcuu(&db, data.path(), &["admin", "load-demo"], None);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("demo password"), "{err}");
    let password = err
        .lines()
        .find_map(|l| l.split("(shown once): ").nth(1))
        .unwrap()
        .trim()
        .to_string();
    let count = app.audit_count().await;
    let (code, _, err) = ungcuu(&db, data.path(), &["admin", "load-demo"], None);
    assert_eq!(code, 0);
    assert!(err.contains("already loaded"), "{err}");
    assert_eq!(
        app.audit_count().await,
        count,
        "a second load changes nothing"
    );
    for role in [
        "admin",
        "coordinator",
        "officer",
        "approver",
        "responder",
        "steering",
        "finance",
        "viewer",
    ] {
        let s = ungcuu_testkit::WebSession::new(&app.url);
        assert_eq!(
            s.login(&format!("{role}@demo.test"), &password)
                .await
                .status,
            303,
            "{role}"
        );
        assert_eq!(s.get("/").await.status, 200, "{role}");
    }
    let (mut child, _, lines) = serve(&db, data.path(), &["--demo"]);
    assert!(
        lines.iter().any(|l| l.contains("already loaded")),
        "{lines:?}"
    );
    assert!(
        !lines.iter().any(|l| l.contains("/setup/")),
        "no setup link once people exist"
    );
    child.kill().unwrap();
    child.wait().unwrap();
}

#[tokio::test]
async fn help_lists_every_command() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for c in ["serve", "migrate", "admin", "audit"] {
        assert!(text.contains(c), "{c} missing from --help");
    }
    let out = Command::new(BIN)
        .args(["admin", "--help"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for c in ["create-org", "create-user", "create-token"] {
        assert!(text.contains(c), "{c} missing from admin --help");
    }
}
