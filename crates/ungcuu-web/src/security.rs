//! Response headers every answer carries, and the Origin check on state-changing requests.

use crate::State;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The content security policy: our own scripts and styles only, nothing inline, no frames.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
     frame-ancestors 'none'";

/// The policy of file downloads: [`CSP`] plus `sandbox`.
pub const SANDBOXED_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
     frame-ancestors 'none'; sandbox";

/// Adds the security headers to every response.
pub async fn headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    // A download that asked for `sandbox` (evidence files) keeps it on top of the policy.
    let sandbox = h
        .get(header::CONTENT_SECURITY_POLICY)
        .is_some_and(|v| v.as_bytes() == b"sandbox");
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        if sandbox {
            HeaderValue::from_static(SANDBOXED_CSP)
        } else {
            HeaderValue::from_static(CSP)
        },
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

/// Refuses a state-changing request sent by another site: its `Origin` must be ours (the public
/// URL, or the host the request was addressed to) and `Sec-Fetch-Site` must not say cross-site.
/// Requests without these headers (API clients) pass here and meet the CSRF token or a bearer
/// token further in.
pub async fn origin_check(
    axum::extract::State(state): axum::extract::State<State>,
    req: Request,
    next: Next,
) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe {
        let h = req.headers();
        if h.get("sec-fetch-site").and_then(|v| v.to_str().ok()) == Some("cross-site") {
            return forbidden_origin();
        }
        if let Some(origin) = h.get(header::ORIGIN) {
            let origin = origin.to_str().unwrap_or("");
            let host = h
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            let same_host = origin
                .split_once("://")
                .is_some_and(|(_, rest)| !host.is_empty() && rest == host);
            if origin != state.web.public_origin && !same_host {
                return forbidden_origin();
            }
        }
    }
    next.run(req).await
}

fn forbidden_origin() -> Response {
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "Yêu cầu từ trang web khác bị từ chối. / Cross-site request refused.",
    )
        .into_response()
}
