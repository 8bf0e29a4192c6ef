//! `/metrics` in the Prometheus text format (0.0.4): requests by method, route and status,
//! latency histograms by method and route, and at scrape time the job queue, the mail backlog
//! and the database pool. A small registry written here: a few counters do not need a crate.

use crate::State;
use crate::ctx::Ctx;
use axum::Router;
use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use ungcuu_domain::permissions::{Action, Principal};

/// Upper bounds of the latency buckets, in seconds: from a cached page to a slow report.
pub const BUCKETS: [f64; 13] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The content type of the text exposition format.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Counts of one (method, route): by status, and the latency histogram.
#[derive(Debug, Default, Clone)]
struct RouteStats {
    by_status: BTreeMap<u16, u64>,
    // Not cumulative: buckets[i] counts requests in (BUCKETS[i-1], BUCKETS[i]]; the last slot
    // holds those above every bound. Rendering accumulates.
    buckets: [u64; BUCKETS.len() + 1],
    sum: f64,
    count: u64,
}

/// The in-process registry of request metrics. Each replica keeps its own; Prometheus sums.
#[derive(Debug)]
pub struct Registry {
    routes: Mutex<BTreeMap<(&'static str, String), RouteStats>>,
    started: SystemTime,
    started_at: Instant,
}

impl Default for Registry {
    fn default() -> Self {
        Registry {
            routes: Mutex::new(BTreeMap::new()),
            started: SystemTime::now(),
            started_at: Instant::now(),
        }
    }
}

/// The method as a label. Unknown methods share one value, so a client cannot grow the label
/// set by inventing methods.
pub fn method_label(m: &Method) -> &'static str {
    match *m {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

impl Registry {
    /// Records one answered request. `route` is a route template (`/api/v1/users/{id}`) or
    /// `unmatched`, never the raw path, which would make one series per URL.
    pub fn record(&self, method: &'static str, route: &str, status: u16, elapsed: Duration) {
        let secs = elapsed.as_secs_f64();
        let slot = BUCKETS
            .iter()
            .position(|b| secs <= *b)
            .unwrap_or(BUCKETS.len());
        // A poisoned lock only means another thread panicked mid-update of plain counters;
        // the numbers are still usable.
        let mut routes = self.routes.lock().unwrap_or_else(|p| p.into_inner());
        let s = routes.entry((method, route.to_string())).or_default();
        *s.by_status.entry(status).or_default() += 1;
        s.buckets[slot] += 1;
        s.sum += secs;
        s.count += 1;
    }

    /// The request metrics and the process gauges in the text format.
    pub fn render(&self) -> String {
        let routes = self
            .routes
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        let mut out = String::new();
        help_type(
            &mut out,
            "ungcuu_http_requests_total",
            "counter",
            "HTTP requests answered, by method, route template and status.",
        );
        for ((method, route), s) in &routes {
            for (status, n) in &s.by_status {
                let status = status.to_string();
                sample(
                    &mut out,
                    "ungcuu_http_requests_total",
                    &[("method", method), ("route", route), ("status", &status)],
                    *n as f64,
                );
            }
        }
        let h = "ungcuu_http_request_duration_seconds";
        help_type(
            &mut out,
            h,
            "histogram",
            "Time to answer an HTTP request, by method and route template.",
        );
        for ((method, route), s) in &routes {
            let mut acc = 0u64;
            for (i, bound) in BUCKETS.iter().enumerate() {
                acc += s.buckets[i];
                let le = bound.to_string();
                sample(
                    &mut out,
                    &format!("{h}_bucket"),
                    &[("method", method), ("route", route), ("le", &le)],
                    acc as f64,
                );
            }
            let labels = [("method", *method), ("route", route.as_str())];
            sample(
                &mut out,
                &format!("{h}_bucket"),
                &[labels[0], labels[1], ("le", "+Inf")],
                s.count as f64,
            );
            sample(&mut out, &format!("{h}_sum"), &labels, s.sum);
            sample(&mut out, &format!("{h}_count"), &labels, s.count as f64);
        }
        let start = self
            .started
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs_f64();
        gauge(
            &mut out,
            "process_start_time_seconds",
            "Start time of the process since the Unix epoch, in seconds.",
            start.floor(),
        );
        gauge(
            &mut out,
            "ungcuu_uptime_seconds",
            "Seconds since the process started.",
            self.started_at.elapsed().as_secs_f64().floor(),
        );
        out
    }
}

/// Escapes a label value: backslash, double quote and line feed, as the format requires.
pub fn escape_label(v: &str) -> String {
    let mut s = String::with_capacity(v.len());
    for ch in v.chars() {
        match ch {
            '\\' => s.push_str("\\\\"),
            '"' => s.push_str("\\\""),
            '\n' => s.push_str("\\n"),
            c => s.push(c),
        }
    }
    s
}

fn help_type(out: &mut String, name: &str, kind: &str, help: &str) {
    // HELP text escapes backslash and line feed only.
    let help = help.replace('\\', "\\\\").replace('\n', "\\n");
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

fn sample(out: &mut String, name: &str, labels: &[(&str, &str)], value: f64) {
    out.push_str(name);
    if !labels.is_empty() {
        out.push('{');
        for (i, (k, v)) in labels.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let _ = write!(out, "{k}=\"{}\"", escape_label(v));
        }
        out.push('}');
    }
    let _ = writeln!(out, " {}", number(value));
}

fn gauge(out: &mut String, name: &str, help: &str, value: f64) {
    help_type(out, name, "gauge", help);
    sample(out, name, &[], value);
}

/// A sample value: Rust prints finite floats without exponents, which the format accepts.
fn number(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v.is_infinite() {
        if v > 0.0 { "+Inf" } else { "-Inf" }.into()
    } else {
        v.to_string()
    }
}

/// Records every request: method, route template (`unmatched` for the fallback), status and
/// time taken. Outermost layer, so refusals by the inner layers are counted too.
pub async fn track(
    axum::extract::State(state): axum::extract::State<State>,
    req: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let method = method_label(req.method());
    // The router sets MatchedPath before the layers added with `Router::layer` run.
    let route = req.extensions().get::<MatchedPath>().cloned();
    let res = next.run(req).await;
    let route = route.as_ref().map_or("unmatched", MatchedPath::as_str);
    state
        .metrics
        .record(method, route, res.status().as_u16(), started.elapsed());
    res
}

/// True when the request went through a proxy that says so.
fn forwarded(headers: &HeaderMap) -> bool {
    ["forwarded", "x-forwarded-for", "x-real-ip"]
        .iter()
        .any(|h| headers.contains_key(*h))
}

/// Who may read `/metrics`: a scraper on this machine, or a person allowed to manage settings
/// somewhere (by bearer token or session). `ip` is the socket's peer address (ConnectInfo),
/// never a header: headers are whatever the client wrote (ASVS 4.1.3). A request carrying
/// proxy headers is not treated as local even from loopback, because a reverse proxy on the
/// same machine makes every visitor look local; headers can only take access away here.
pub fn may_scrape(ip: Option<&str>, proxied: bool, principal: Option<&Principal>) -> bool {
    let local = ip
        .and_then(|s| s.parse::<IpAddr>().ok())
        .is_some_and(|a| a.to_canonical().is_loopback());
    (local && !proxied) || principal.is_some_and(|p| p.can_somewhere(Action::SettingsManage))
}

/// The route of `/metrics`.
pub fn router() -> Router<State> {
    Router::new().route("/metrics", get(scrape))
}

/// Request metrics, job queue, mail backlog and database pool in the Prometheus text format.
/// Readable from loopback or by administrators; anyone else gets the ordinary 404 page.
#[utoipa::path(get, path = "/metrics", responses((status = 200, description = "Prometheus text format 0.0.4", content_type = "text/plain"), (status = 404, description = "not from this machine and not an administrator")))]
pub async fn scrape(
    axum::extract::State(st): axum::extract::State<State>,
    ctx: Ctx,
    headers: HeaderMap,
) -> Response {
    let principal = ctx.auth.as_deref().map(|a| &a.principal);
    if !may_scrape(ctx.client.ip.as_deref(), forwarded(&headers), principal) {
        return crate::error::page(&ctx, StatusCode::NOT_FOUND);
    }
    let mut out = st.metrics.render();
    let db = &st.core.db;
    let pool = db.pool();
    let _ = writeln!(
        out,
        "# HELP ungcuu_build_info Version and database backend."
    );
    let _ = writeln!(out, "# TYPE ungcuu_build_info gauge");
    sample(
        &mut out,
        "ungcuu_build_info",
        &[
            ("version", env!("CARGO_PKG_VERSION")),
            ("backend", db.backend().name()),
        ],
        1.0,
    );
    gauge(
        &mut out,
        "ungcuu_db_pool_connections",
        "Open database connections of this process.",
        f64::from(pool.size()),
    );
    gauge(
        &mut out,
        "ungcuu_db_pool_idle_connections",
        "Open database connections not in use.",
        pool.num_idle() as f64,
    );
    gauge(
        &mut out,
        "ungcuu_db_pool_max_connections",
        "Most database connections this process opens.",
        f64::from(pool.options().get_max_connections()),
    );
    // Read from the database, so they are the installation's numbers, the same from every
    // replica. A database that does not answer still gives a scrape, saying so.
    let read = async {
        let mut c = db.conn().await?;
        let jobs = ungcuu_store::jobs::counts(&mut c).await?;
        let backlog = ungcuu_store::outbox::backlog(&mut c).await?;
        Ok::<_, ungcuu_store::StoreError>((jobs, backlog))
    };
    let (up, data) = match read.await {
        Ok(d) => (1.0, Some(d)),
        Err(e) => {
            tracing::warn!(request_id = %ctx.request_id, error = %e, "metrics: database read failed");
            (0.0, None)
        }
    };
    gauge(
        &mut out,
        "ungcuu_db_up",
        "1 when the database answered this scrape.",
        up,
    );
    if let Some((jobs, backlog)) = data {
        help_type(
            &mut out,
            "ungcuu_jobs",
            "gauge",
            "Background jobs by status (whole installation).",
        );
        for status in ["queued", "running", "done", "failed"] {
            let n = jobs
                .iter()
                .find(|(s, _)| s == status)
                .map_or(0, |(_, n)| *n);
            sample(&mut out, "ungcuu_jobs", &[("status", status)], n as f64);
        }
        gauge(
            &mut out,
            "ungcuu_mail_outbox_backlog",
            "E-mails stored and not yet delivered (whole installation).",
            backlog as f64,
        );
    }
    ([(header::CONTENT_TYPE, CONTENT_TYPE)], out).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ungcuu_domain::org::{OrgKind, Role};
    use ungcuu_domain::permissions::{Membership, OrgTree};
    use uuid::Uuid;

    fn person(role: Role, kind: OrgKind) -> Principal {
        let org = Uuid::new_v4();
        Principal::new(
            Uuid::new_v4(),
            vec![Membership {
                org_id: org,
                org_kind: kind,
                role,
            }],
            &OrgTree::new([(org, None)]),
        )
    }

    #[test]
    fn loopback_may_scrape_others_only_as_administrators() {
        let admin = person(Role::Admin, OrgKind::Coordinator);
        let officer = person(Role::Officer, OrgKind::Department);
        assert!(may_scrape(Some("127.0.0.1"), false, None));
        assert!(may_scrape(Some("::1"), false, None));
        assert!(may_scrape(Some("::ffff:127.0.0.1"), false, None));
        assert!(!may_scrape(Some("127.0.0.1"), true, None), "proxied");
        assert!(!may_scrape(Some("203.0.113.9"), false, None));
        assert!(!may_scrape(None, false, None));
        assert!(!may_scrape(Some("203.0.113.9"), false, Some(&officer)));
        assert!(may_scrape(Some("203.0.113.9"), false, Some(&admin)));
        assert!(may_scrape(Some("127.0.0.1"), true, Some(&admin)));
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape_label(r#"a"b\c"#), r#"a\"b\\c"#);
        assert_eq!(escape_label("x\ny"), "x\\ny");
    }

    #[test]
    fn histograms_are_cumulative_and_end_with_inf_sum_and_count() {
        let r = Registry::default();
        r.record("GET", "/x", 200, Duration::from_micros(500));
        r.record("GET", "/x", 200, Duration::from_millis(30));
        r.record("GET", "/x", 404, Duration::from_secs(20));
        let text = r.render();
        let h = "ungcuu_http_request_duration_seconds";
        assert!(text.contains(&format!(
            "{h}_bucket{{method=\"GET\",route=\"/x\",le=\"0.001\"}} 1\n"
        )));
        assert!(text.contains(&format!(
            "{h}_bucket{{method=\"GET\",route=\"/x\",le=\"0.05\"}} 2\n"
        )));
        assert!(text.contains(&format!(
            "{h}_bucket{{method=\"GET\",route=\"/x\",le=\"10\"}} 2\n"
        )));
        assert!(text.contains(&format!(
            "{h}_bucket{{method=\"GET\",route=\"/x\",le=\"+Inf\"}} 3\n"
        )));
        assert!(text.contains(&format!("{h}_count{{method=\"GET\",route=\"/x\"}} 3\n")));
        assert!(text.contains(
            "ungcuu_http_requests_total{method=\"GET\",route=\"/x\",status=\"404\"} 1\n"
        ));
        assert_eq!(method_label(&Method::from_bytes(b"BREW").unwrap()), "other");
    }
}
