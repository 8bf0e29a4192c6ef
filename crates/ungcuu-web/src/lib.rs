//! HTTP for ungcuu: server-rendered pages, the JSON API, its OpenAPI description, security
//! headers, sessions and CSRF. Handlers call `ungcuu-core` use cases and never write SQL.

// Handlers answer early with a ready `Response` as the error of small helpers; boxing it would
// only add noise on a path that is not hot.
#![allow(clippy::result_large_err)]

pub mod api;
mod assets;
pub mod ctx;
pub mod error;
pub mod forms;
pub mod i18n;
pub mod limits;
pub mod metrics;
pub mod pages;
pub mod security;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use std::sync::Arc;
use ungcuu_core::Core;

/// Settings of the HTTP layer derived from the public URL.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// The address people open, without a trailing slash.
    pub public_url: String,
    /// `scheme://host[:port]` of the public URL, compared with the Origin header.
    pub public_origin: String,
    /// Cookies get `Secure` and the `__Host-` prefix.
    pub secure_cookies: bool,
}

impl WebConfig {
    /// Derives the settings from a public URL such as `https://ungcuu.example.gov.vn`.
    pub fn from_public_url(url: &str) -> WebConfig {
        let public_url = url.trim_end_matches('/').to_string();
        let (scheme, rest) = public_url
            .split_once("://")
            .unwrap_or(("http", &public_url));
        let hostport = rest.split('/').next().unwrap_or(rest);
        let host = match hostport.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or(v6),
            None => hostport
                .rsplit_once(':')
                .map(|(h, _)| h)
                .unwrap_or(hostport),
        };
        let loopback = host == "localhost"
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
        WebConfig {
            public_origin: format!("{scheme}://{hostport}"),
            secure_cookies: scheme == "https" || loopback,
            public_url,
        }
    }
}

/// What every handler shares.
#[derive(Debug)]
pub struct AppState {
    /// The use cases.
    pub core: Core,
    /// HTTP settings.
    pub web: WebConfig,
    /// Request counters and latencies for `/metrics`.
    pub metrics: metrics::Registry,
}

/// Shared state handle.
pub type State = Arc<AppState>;

/// Largest request body accepted anywhere (forms and JSON). Uploads get their own limits.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// The whole application.
pub fn app(core: Core, web: WebConfig) -> Router {
    let state: State = Arc::new(AppState {
        core,
        web,
        metrics: metrics::Registry::default(),
    });
    Router::new()
        .merge(pages::router())
        .merge(api::router())
        .merge(assets::router())
        .merge(metrics::router())
        .fallback(error::fallback)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            limits::api_tokens,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            ctx::context,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::origin_check,
        ))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn(security::headers))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            error::panic_response,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .with_state(state)
}

/// Serves the application on `listener` until `shutdown` resolves, finishing requests in
/// flight. Used by `ungcuu serve` and by the test harness alike.
pub async fn serve(
    listener: tokio::net::TcpListener,
    core: Core,
    web: WebConfig,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = app(core, web).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_and_https_get_secure_cookies_plain_http_elsewhere_does_not() {
        assert!(WebConfig::from_public_url("http://127.0.0.1:8080").secure_cookies);
        assert!(WebConfig::from_public_url("http://localhost:8080/").secure_cookies);
        assert!(WebConfig::from_public_url("http://[::1]:8080").secure_cookies);
        assert!(WebConfig::from_public_url("https://ir.example.gov.vn").secure_cookies);
        assert!(!WebConfig::from_public_url("http://10.0.0.5:8080").secure_cookies);
        assert_eq!(
            WebConfig::from_public_url("https://ir.example.gov.vn/").public_origin,
            "https://ir.example.gov.vn"
        );
    }
}
