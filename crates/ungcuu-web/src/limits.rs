//! Rate limits at the HTTP edge: the per-token limit on bearer-token requests, and the
//! `Retry-After` header of every refusal. The sign-in limit is applied by the sign-in handler.
//!
//! The client address used for the sign-in limit is the socket's peer address (axum's
//! ConnectInfo, see `ctx::context`), never `X-Forwarded-For` or `Forwarded`: those headers are
//! written by the client and would let anyone pick a fresh address per attempt (ASVS 4.1.3).

use crate::State;
use crate::ctx::{Ctx, Via};
use crate::error::{core_problem, problem};
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use ungcuu_core::rate_limit::{self, RetryAfter};

/// Adds `Retry-After: <seconds>` to a refusal.
pub fn set_retry_after(r: &mut Response, RetryAfter(secs): RetryAfter) {
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(secs));
}

/// Counts every request authenticated by a bearer token against that token's limit and
/// answers 429 problem details with `Retry-After` past it. Runs after the context, which has
/// found the token; browser sessions are not limited here.
pub async fn api_tokens(
    axum::extract::State(st): axum::extract::State<State>,
    req: Request,
    next: Next,
) -> Response {
    let token =
        req.extensions()
            .get::<Ctx>()
            .and_then(|ctx| match ctx.auth.as_deref().map(|a| &a.via) {
                Some(Via::Token { id }) => Some((ctx.clone(), *id)),
                _ => None,
            });
    let Some((ctx, id)) = token else {
        return next.run(req).await;
    };
    match rate_limit::api(&st.core, id).await {
        Ok(Ok(())) => next.run(req).await,
        Ok(Err(retry)) => {
            let mut r = problem(
                &ctx,
                StatusCode::TOO_MANY_REQUESTS,
                &ctx.tf("api.rate_limited", &[("seconds", &retry.0.to_string())]),
                vec![],
            );
            set_retry_after(&mut r, retry);
            r
        }
        Err(e) => core_problem(&ctx, e),
    }
}

/// Counts a step of signing in that is not the password form (the second factor, "forgot
/// password") against the client address's sign-in attempts; past the limit it answers 429
/// with `Retry-After`, as a page or, under `/api`, as problem details.
pub async fn sign_in_step(
    st: &crate::State,
    ctx: &crate::ctx::Ctx,
    api: bool,
) -> Option<axum::response::Response> {
    match ungcuu_core::rate_limit::login(&st.core, &ctx.client, "").await {
        Ok(Ok(())) => None,
        Ok(Err(retry)) => {
            let msg = ctx.tf("login.rate_limited", &[("seconds", &retry.0.to_string())]);
            let mut r = if api {
                crate::error::problem(ctx, axum::http::StatusCode::TOO_MANY_REQUESTS, &msg, vec![])
            } else {
                crate::error::page_with(
                    ctx,
                    axum::http::StatusCode::TOO_MANY_REQUESTS,
                    "error.429.title",
                    "login.rate_limited",
                )
            };
            set_retry_after(&mut r, retry);
            Some(r)
        }
        Err(e) => Some(if api {
            crate::error::core_problem(ctx, e)
        } else {
            crate::error::core_page(ctx, e)
        }),
    }
}
