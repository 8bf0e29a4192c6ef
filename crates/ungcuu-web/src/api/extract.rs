//! API extractors: the authenticated caller, JSON bodies with field-level errors, paging.

use crate::ctx::{Auth, Ctx, Via};
use crate::error::problem;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::sync::Arc;

/// The authenticated caller of an API endpoint: a bearer token, or a browser session that
/// also sends its CSRF token in `X-CSRF-Token` for anything but reads.
#[derive(Debug, Clone)]
pub struct Caller(pub Ctx);

impl Caller {
    /// The signed-in person.
    pub fn auth(&self) -> Arc<Auth> {
        self.0.auth.clone().expect("Caller always has auth")
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, s: &S) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::from_request_parts(parts, s).await?;
        let Some(auth) = ctx.auth.clone() else {
            let mut r = problem(
                &ctx,
                StatusCode::UNAUTHORIZED,
                "Authentication required: send Authorization: Bearer <token>.",
                vec![],
            );
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                "Bearer".parse().expect("static header"),
            );
            return Err(r);
        };
        let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if let Via::Session { csrf, .. } = &auth.via
            && !safe
        {
            let sent = parts
                .headers
                .get("x-csrf-token")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !ungcuu_core::secrets::constant_time_eq(sent, csrf) {
                return Err(problem(
                    &ctx,
                    StatusCode::FORBIDDEN,
                    "Missing or wrong X-CSRF-Token header.",
                    vec![],
                ));
            }
        }
        Ok(Caller(ctx))
    }
}

/// A JSON body. Syntax errors are 400; unknown, missing or mistyped fields are 422 naming the
/// field; another content type is 415.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = Response;
    async fn from_request(req: Request, s: &S) -> Result<Self, Self::Rejection> {
        let Some(ctx) = req.extensions().get::<Ctx>().cloned() else {
            return Err(StatusCode::INTERNAL_SERVER_ERROR.into_response());
        };
        let json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !json {
            return Err(problem(
                &ctx,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Send the body as application/json.",
                vec![],
            ));
        }
        let bytes = Bytes::from_request(req, s).await.map_err(|e| {
            let status = e.status();
            problem(&ctx, status, &e.body_text(), vec![])
        })?;
        let mut de = serde_json::Deserializer::from_slice(&bytes);
        // The path tracker names the field even for a value of the wrong type ("expected u8"),
        // whose message alone does not.
        let parsed = serde_path_to_error::deserialize::<_, T>(&mut de);
        match parsed {
            // Trailing bytes after the value make the body invalid JSON.
            Ok(_) if de.end().is_err() => Err(problem(
                &ctx,
                StatusCode::BAD_REQUEST,
                "The body is not valid JSON.",
                vec![],
            )),
            Ok(v) => Ok(ApiJson(v)),
            Err(e) if e.inner().is_syntax() || e.inner().is_eof() => Err(problem(
                &ctx,
                StatusCode::BAD_REQUEST,
                "The body is not valid JSON.",
                vec![],
            )),
            Err(e) => {
                let msg = e.inner().to_string();
                let path = e.path().to_string();
                // The path names the field (also for an unknown one); at the top level a missing
                // field is only named inside the message.
                let field = if path != "." {
                    path
                } else {
                    field_of(&msg).unwrap_or_else(|| "body".to_string())
                };
                Err(problem(
                    &ctx,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    ctx.t("common.form_errors"),
                    vec![(field, msg)],
                ))
            }
        }
    }
}

/// Pulls the field name out of serde's "unknown field `x`" / "missing field `x`" messages.
fn field_of(msg: &str) -> Option<String> {
    let start = msg.find('`')? + 1;
    let end = start + msg[start..].find('`')?;
    Some(msg[start..end].to_string())
}

/// `?limit=&after=` of keyset-paginated lists.
#[derive(Debug, Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// Page size, 1-200 (default 50).
    pub limit: Option<i64>,
    /// The `next` cursor of the previous page.
    pub after: Option<String>,
}

impl Paging {
    /// The cursor as a UUID, or a 422 naming `after`.
    pub fn after_uuid(&self, ctx: &Ctx) -> Result<Option<uuid::Uuid>, Response> {
        match self.after.as_deref() {
            None | Some("") => Ok(None),
            Some(a) => uuid::Uuid::parse_str(a).map(Some).map_err(|_| {
                problem(
                    ctx,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    ctx.t("common.form_errors"),
                    vec![("after".into(), ctx.t("err.uuid").into())],
                )
            }),
        }
    }
}

/// Parses a path id, answering 404 for anything that is not a UUID.
pub fn path_id(ctx: &Ctx, s: &str) -> Result<uuid::Uuid, Response> {
    uuid::Uuid::parse_str(s)
        .map_err(|_| problem(ctx, StatusCode::NOT_FOUND, ctx.t("error.404.body"), vec![]))
}

/// The UUID in an API path (`/…/{id}`): anything that is not one is answered as a missing row
/// (404 problem details), before the handler runs. Put it after [`Caller`] so that a request
/// without a token is told to authenticate first.
#[derive(Debug, Clone, Copy)]
pub struct ApiId(pub uuid::Uuid);

impl<S: Send + Sync> FromRequestParts<S> for ApiId {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, s: &S) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::from_request_parts(parts, s).await?;
        let raw = axum::extract::Path::<String>::from_request_parts(parts, s)
            .await
            .map(|p| p.0)
            .unwrap_or_default();
        path_id(&ctx, &raw).map(ApiId)
    }
}

/// Distinguishes an absent field from an explicit `null` (`Some(None)`).
pub fn double_option<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}
