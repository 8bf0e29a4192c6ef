//! Form handling: the CSRF-checked form extractor and small helpers.

use crate::ctx::Ctx;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

/// A url-encoded form whose `_csrf` field matched the session's token (or, before sign-in,
/// the pre-session cookie). Any mismatch is a 400 page and nothing happens.
#[derive(Debug)]
pub struct CsrfForm<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for CsrfForm<T> {
    type Rejection = Response;
    async fn from_request(req: Request, s: &S) -> Result<Self, Self::Rejection> {
        let ctx = req.extensions().get::<Ctx>().cloned();
        let Some(ctx) = ctx else {
            return Err(axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response());
        };
        let bytes = Bytes::from_request(req, s)
            .await
            .map_err(IntoResponse::into_response)?;
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes)
            .map_err(|_| crate::error::page(&ctx, axum::http::StatusCode::BAD_REQUEST))?;
        let sent = pairs
            .iter()
            .find(|(k, _)| k == "_csrf")
            .map(|(_, v)| v.as_str());
        let expected = ctx.csrf();
        let ok = match sent {
            Some(v) => !expected.is_empty() && ungcuu_core::secrets::constant_time_eq(v, expected),
            None => false,
        };
        if !ok {
            tracing::warn!(request_id = %ctx.request_id, "CSRF token missing or wrong");
            return Err(crate::error::page(
                &ctx,
                axum::http::StatusCode::BAD_REQUEST,
            ));
        }
        let value = serde_urlencoded::from_bytes::<T>(&bytes)
            .map_err(|_| crate::error::page(&ctx, axum::http::StatusCode::BAD_REQUEST))?;
        Ok(CsrfForm(value))
    }
}

/// Percent-encodes a query component.
pub fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A local path to go back to after sign-in or a language switch: only same-site paths.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.starts_with("/\\")
                && !n.contains(['\r', '\n']) =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

/// Field errors translated for a form: (field, message).
pub fn field_errors(
    ctx: &Ctx,
    errs: &[ungcuu_domain::validate::FieldError],
) -> Vec<(String, String)> {
    errs.iter()
        .map(|e| {
            let message = match &e.subject {
                Some(s) => format!("{}: {s}", ctx.t(e.code)),
                None => ctx.t(e.code).to_string(),
            };
            (e.field.clone(), message)
        })
        .collect()
}

/// The message for `field` among `errs`, or empty.
pub fn err_for<'a>(errs: &'a [(String, String)], field: &str) -> &'a str {
    errs.iter()
        .find(|(f, _)| f == field)
        .map(|(_, m)| m.as_str())
        .unwrap_or("")
}

/// An id from a page's path; anything that is not a UUID is the same 404 page as a missing row.
pub fn page_id(ctx: &Ctx, id: &str) -> Result<uuid::Uuid, Response> {
    uuid::Uuid::parse_str(id)
        .map_err(|_| crate::error::page(ctx, axum::http::StatusCode::NOT_FOUND))
}

/// The UUID in a page's path (`/…/{id}`): anything that is not one is the same 404 page as a
/// missing row, before the handler runs. Put it after `SignedIn` so that a visitor who is not
/// signed in is sent to sign in first.
#[derive(Debug, Clone, Copy)]
pub struct PageId(pub uuid::Uuid);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for PageId {
    type Rejection = Response;
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        s: &S,
    ) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::from_request_parts(parts, s).await?;
        let raw = axum::extract::Path::<String>::from_request_parts(parts, s)
            .await
            .map(|p| p.0)
            .unwrap_or_default();
        page_id(&ctx, &raw).map(PageId)
    }
}

/// An optional UUID from a form field (empty means none).
pub fn opt_uuid(s: &Option<String>) -> Result<Option<uuid::Uuid>, uuid::Error> {
    match s.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => uuid::Uuid::parse_str(v).map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_links_stay_on_this_site() {
        assert_eq!(safe_next(Some("/orgs?x=1")), "/orgs?x=1");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
