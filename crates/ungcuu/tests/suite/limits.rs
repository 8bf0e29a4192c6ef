//! Rate limits (sign-in per client address, API per token, counted in the database) and the
//! Prometheus `/metrics` endpoint.

use reqwest::Method;
use std::collections::HashSet;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use ungcuu_core::{Core, RateLimits};
use ungcuu_store::Db;
use ungcuu_testkit::{PASSWORD, TestApp, WebSession, spawn_app};

/// One-hour windows: a test's hits all land in one window unless it starts right before the
/// hour, which [`fresh_window`] waits out.
const WINDOW: Duration = Duration::from_secs(3600);

fn limits(login: u32, api: u32) -> RateLimits {
    RateLimits {
        login,
        api,
        window: WINDOW,
    }
}

/// Waits for the next window when the current one ends within `margin`, so that the hits a
/// test counts are not split over two fixed windows.
async fn fresh_window(margin: Duration) {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    let left = WINDOW.as_secs_f64() - now % WINDOW.as_secs_f64();
    if left < margin.as_secs_f64() {
        tokio::time::sleep(Duration::from_secs_f64(left + 0.5)).await;
    }
}

fn retry_after(headers: &reqwest::header::HeaderMap) -> u64 {
    headers
        .get("retry-after")
        .expect("Retry-After header")
        .to_str()
        .unwrap()
        .parse()
        .expect("Retry-After in seconds")
}

#[tokio::test]
async fn sign_in_past_the_limit_answers_429_with_retry_after_even_for_the_right_password() {
    let app = TestApp::with_limits(limits(3, 1_000)).await;
    let f = app.fixture().await;
    fresh_window(Duration::from_secs(60)).await;
    let s = WebSession::new(&app.url);
    for i in 0..3 {
        let r = s.login(&f.officer_a.0, "wrong password").await;
        assert_eq!(r.status, 401, "attempt {i}");
    }
    let r = s.login(&f.officer_a.0, PASSWORD).await;
    assert_eq!(r.status, 429, "{}", r.body);
    let secs: u64 = r.headers["retry-after"].parse().expect("Retry-After");
    assert!((1..=WINDOW.as_secs()).contains(&secs), "{secs}");
    assert!(
        r.body.contains(&format!(
            "Quá nhiều lần đăng nhập từ địa chỉ này. Vui lòng thử lại sau {secs} giây."
        )),
        "{}",
        r.body
    );
    assert!(s.cookie("_session").is_none(), "no session while limited");

    // In English, and still refused: the refusals count too.
    let en = WebSession::new(&app.url);
    en.set_cookie("ungcuu_lang", "en");
    let r = en.login(&f.admin.0, PASSWORD).await;
    assert_eq!(r.status, 429);
    assert!(
        r.body
            .contains("Too many sign-in attempts from this address."),
        "{}",
        r.body
    );
    assert!(en.cookie("_session").is_none());

    // The first refusal of the window is audited, the flood after it is not.
    let (status, events) = app
        .get_json("/api/v1/audit?action=auth.rate_limited", &f.admin.2)
        .await;
    assert_eq!(status, 200);
    let items = events["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{events}");
    assert_eq!(items[0]["summary"]["address"], "127.0.0.1", "{events}");
    // The account itself was not locked by the refused attempts: three failures only.
    let user =
        ungcuu_store::users::by_email(&mut app.core.db.conn().await.unwrap(), &f.officer_a.0)
            .await
            .unwrap()
            .unwrap();
    assert_eq!(user.failed_logins, 3);
}

#[tokio::test]
async fn the_sign_in_limit_holds_across_replicas_sharing_the_database() {
    let app = TestApp::with_limits(limits(4, 1_000)).await;
    let f = app.fixture().await;
    // A second replica: its own pool and its own web server on the same database.
    let db = Db::connect(&app.database_url).await.unwrap();
    let core_b = Core::new(db, app.core.config.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url_b = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(ungcuu_web::serve(
        listener,
        core_b.clone(),
        ungcuu_web::WebConfig::from_public_url(&url_b),
        async {
            let _ = stopped.await;
        },
    ));
    fresh_window(Duration::from_secs(60)).await;
    let a = WebSession::new(&app.url);
    let b = WebSession::new(&url_b);
    for s in [&a, &b, &a, &b] {
        assert_eq!(s.login(&f.officer_a.0, "wrong password").await.status, 401);
    }
    // Four attempts spent over two replicas: the fifth is refused by either.
    let r = b.login(&f.officer_b.0, PASSWORD).await;
    assert_eq!(r.status, 429, "{}", r.body);
    let r = a.login(&f.officer_b.0, PASSWORD).await;
    assert_eq!(r.status, 429, "{}", r.body);
    let hits: i64 = sqlx::query_scalar(
        "SELECT CAST(SUM(hits) AS BIGINT) FROM rate_limits WHERE bucket = 'login:ip:127.0.0.1'",
    )
    .fetch_one(app.core.db.pool())
    .await
    .unwrap();
    assert_eq!(hits, 6, "every attempt counted once, in the shared table");
    let _ = stop.send(());
    server.await.unwrap().unwrap();
    core_b.db.close().await;
}

#[tokio::test]
async fn api_requests_past_a_tokens_limit_answer_429_problem_details_other_tokens_unaffected() {
    let app = TestApp::with_limits(limits(1_000, 5)).await;
    let f = app.fixture().await;
    fresh_window(Duration::from_secs(30)).await;
    for i in 0..5 {
        let (status, _) = app.get_json("/api/v1/me", &f.officer_a.2).await;
        assert_eq!(status, 200, "request {i}");
    }
    let r = app
        .api(Method::GET, "/api/v1/me", &f.officer_a.2)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    let secs = retry_after(r.headers());
    assert!((1..=WINDOW.as_secs()).contains(&secs), "{secs}");
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/problem+json")
    );
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["status"], 429);
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("Khoá API này đã gửi quá nhiều yêu cầu"),
        "{body}"
    );
    // Writes are refused as well, before they change anything.
    let before = app.audit_count().await;
    let (status, _) = app
        .send_json(
            Method::POST,
            "/api/v1/tokens",
            &f.officer_a.2,
            &serde_json::json!({"label": "more"}),
        )
        .await;
    assert_eq!(status, 429);
    assert_eq!(app.audit_count().await, before);
    let (status, me) = app.get_json("/api/v1/me", &f.officer_b.2).await;
    assert_eq!(status, 200, "another token has its own count");
    assert_eq!(me["email"], "officer-b@test.vn");
}

#[tokio::test]
async fn finished_windows_are_purged_and_the_current_one_kept() {
    let app = spawn_app().await;
    let mut c = app.core.db.conn().await.unwrap();
    let t = ungcuu_domain::timefmt::now();
    let old = t - time::Duration::hours(2);
    use ungcuu_store::rate_limits::{hit, hits, purge};
    assert_eq!(
        hit(&mut c, "test:x", old, old + time::Duration::minutes(1))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        hit(&mut c, "test:x", t, t + time::Duration::minutes(1))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        hit(&mut c, "test:x", t, t + time::Duration::minutes(1))
            .await
            .unwrap(),
        2
    );
    assert_eq!(purge(&mut c, t).await.unwrap(), 1);
    assert_eq!(hits(&mut c, "test:x", old).await.unwrap(), 0);
    assert_eq!(hits(&mut c, "test:x", t).await.unwrap(), 2);
}

#[tokio::test]
async fn concurrent_hits_from_many_connections_are_all_counted() {
    let app = spawn_app().await;
    fresh_window(Duration::from_secs(30)).await;
    let mut tasks = Vec::new();
    for _ in 0..24 {
        let core = app.core.clone();
        tasks.push(tokio::spawn(async move {
            ungcuu_core::rate_limit::check(&core, "test:concurrent", 1_000, WINDOW)
                .await
                .unwrap()
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), Ok(()));
    }
    let (start, _, _) = ungcuu_core::rate_limit::window_of(ungcuu_domain::timefmt::now(), WINDOW);
    let mut c = app.core.db.conn().await.unwrap();
    let n = ungcuu_store::rate_limits::hits(&mut c, "test:concurrent", start)
        .await
        .unwrap();
    assert_eq!(n, 24, "no hit lost between connections");
    let refused = ungcuu_core::rate_limit::check(&app.core, "test:concurrent", 24, WINDOW)
        .await
        .unwrap();
    assert!(matches!(refused, Err(r) if r.0 >= 1), "{refused:?}");
}

/// Checks the text exposition format 0.0.4 line by line: comments are `# HELP` / `# TYPE`,
/// every sample is `name{label="value",...} number` of a declared family, no series twice.
fn assert_valid_exposition(text: &str) {
    let mut types: Vec<(String, String)> = Vec::new();
    let mut seen = HashSet::new();
    let name_ok = |n: &str| {
        !n.is_empty()
            && !n.starts_with(|c: char| c.is_ascii_digit())
            && n.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
    };
    for line in text.lines() {
        if line.is_empty() {
            continue;
        }
        if let Some(rest) = line.strip_prefix("# ") {
            let mut parts = rest.splitn(3, ' ');
            let kind = parts.next().unwrap();
            let name = parts.next().unwrap_or("");
            assert!(name_ok(name), "bad name in {line:?}");
            match kind {
                "HELP" => {}
                "TYPE" => {
                    let t = parts.next().unwrap_or("");
                    assert!(
                        ["counter", "gauge", "histogram", "summary", "untyped"].contains(&t),
                        "{line:?}"
                    );
                    types.push((name.to_string(), t.to_string()));
                }
                _ => panic!("unknown comment {line:?}"),
            }
            continue;
        }
        assert!(!line.starts_with('#'), "{line:?}");
        let (series, value) = line.rsplit_once(' ').expect("name and value");
        assert!(
            value.parse::<f64>().is_ok() || ["+Inf", "-Inf", "NaN"].contains(&value),
            "bad value in {line:?}"
        );
        let (name, labels) = match series.split_once('{') {
            Some((n, l)) => (n, Some(l.strip_suffix('}').expect("closing brace"))),
            None => (series, None),
        };
        assert!(name_ok(name), "bad name in {line:?}");
        if let Some(mut l) = labels {
            while !l.is_empty() {
                let (key, rest) = l.split_once("=\"").expect("label=\"value\"");
                assert!(name_ok(key), "bad label name in {line:?}");
                // The value runs to the first quote not escaped by a backslash.
                let mut end = None;
                let mut escaped = false;
                for (i, ch) in rest.char_indices() {
                    match ch {
                        _ if escaped => escaped = false,
                        '\\' => escaped = true,
                        '"' => {
                            end = Some(i);
                            break;
                        }
                        _ => {}
                    }
                }
                let end = end.expect("closing quote");
                l = rest[end + 1..]
                    .strip_prefix(',')
                    .unwrap_or(&rest[end + 1..]);
            }
        }
        let family = types
            .iter()
            .rev()
            .find(|(n, t)| {
                n == name
                    || (t == "histogram"
                        && ["_bucket", "_sum", "_count"]
                            .iter()
                            .any(|s| name.strip_suffix(s) == Some(n)))
            })
            .unwrap_or_else(|| panic!("sample before its # TYPE: {line:?}"));
        assert!(!family.0.is_empty());
        assert!(seen.insert(series.to_string()), "series twice: {line:?}");
    }
}

#[tokio::test]
async fn metrics_from_loopback_list_requests_histograms_and_queue_gauges() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let (status, _) = app.get_json("/api/v1/me", &f.officer_a.2).await;
    assert_eq!(status, 200);
    let r = app
        .client
        .get(format!("{}/no/such/page/zzqq-probe", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let r = app
        .client
        .get(format!("{}/metrics", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["content-type"],
        "text/plain; version=0.0.4; charset=utf-8"
    );
    let text = r.text().await.unwrap();
    assert_valid_exposition(&text);
    for expected in [
        "ungcuu_http_requests_total{method=\"GET\",route=\"/api/v1/me\",status=\"200\"} 1\n",
        "ungcuu_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1\n",
        "# TYPE ungcuu_http_request_duration_seconds histogram\n",
        "ungcuu_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/v1/me\",le=\"0.001\"} ",
        "ungcuu_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/v1/me\",le=\"+Inf\"} 1\n",
        "ungcuu_http_request_duration_seconds_sum{method=\"GET\",route=\"/api/v1/me\"} ",
        "ungcuu_http_request_duration_seconds_count{method=\"GET\",route=\"/api/v1/me\"} 1\n",
        "ungcuu_jobs{status=\"queued\"} ",
        "ungcuu_jobs{status=\"failed\"} 0\n",
        "ungcuu_mail_outbox_backlog ",
        "ungcuu_db_pool_connections ",
        "ungcuu_db_pool_idle_connections ",
        "ungcuu_db_up 1\n",
        "process_start_time_seconds ",
        "ungcuu_uptime_seconds ",
    ] {
        assert!(text.contains(expected), "{expected:?} missing in:\n{text}");
    }
    assert!(
        !text.contains("zzqq-probe"),
        "raw paths never become labels"
    );
}

#[tokio::test]
async fn metrics_through_a_proxy_need_an_administrator() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let get = |token: Option<&str>| {
        let mut r = app
            .client
            .get(format!("{}/metrics", app.url))
            .header("x-forwarded-for", "203.0.113.9");
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        r.send()
    };
    assert_eq!(get(None).await.unwrap().status(), 404);
    assert_eq!(get(Some(&f.officer_a.2)).await.unwrap().status(), 404);
    assert_eq!(get(Some(&f.coordinator.2)).await.unwrap().status(), 404);
    let r = get(Some(&f.admin.2)).await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("ungcuu_http_requests_total")
    );
}
