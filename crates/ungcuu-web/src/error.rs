//! Error pages and problem details. Details of internal failures go to the log with the
//! request id; the person sees a generic, localised message with that id.

use crate::ctx::Ctx;
use crate::i18n::{Lang, t};
use askama::Template;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use ungcuu_core::CoreError;

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    c: &'a Ctx,
    status: u16,
    title: &'a str,
    body: &'a str,
}

/// A localised error page for `status`.
pub fn page(ctx: &Ctx, status: StatusCode) -> Response {
    let key = match status.as_u16() {
        c @ (400 | 403 | 404 | 413 | 429) => c,
        _ => 500,
    };
    let body_key = format!("error.{key}.body");
    let body_key = if crate::i18n::has(&body_key) {
        body_key
    } else {
        "error.500.body".into()
    };
    page_with(ctx, status, &format!("error.{key}.title"), &body_key)
}

/// An error page with a specific title and text.
pub fn page_with(ctx: &Ctx, status: StatusCode, title_key: &str, body_key: &str) -> Response {
    let title = ctx.t(title_key);
    let body = ctx.t(body_key);
    let html = ErrorPage {
        c: ctx,
        status: status.as_u16(),
        title,
        body,
    }
    .render()
    .unwrap_or_else(|_| title.to_string());
    (status, Html(html)).into_response()
}

/// Logs an internal failure and answers 500 without details.
pub fn internal(lang: Lang, request_id: &str, e: &dyn std::fmt::Display) -> Response {
    tracing::error!(request_id, error = %e, "internal error");
    let body = format!(
        "<!doctype html><html lang=\"{}\"><meta charset=\"utf-8\"><title>500</title><p>{}</p><p>{}</p>",
        lang.code(),
        t(lang, "error.500.body"),
        request_id
    );
    (StatusCode::INTERNAL_SERVER_ERROR, Html(body)).into_response()
}

/// Maps a use-case error to a page. Validation errors should be handled by the form handler;
/// reaching here they become a 400 page.
pub fn core_page(ctx: &Ctx, e: CoreError) -> Response {
    match e {
        CoreError::Unauthenticated => Redirect::to("/login").into_response(),
        CoreError::Forbidden => page(ctx, StatusCode::FORBIDDEN),
        CoreError::ForbiddenWith(key) => {
            page_with(ctx, StatusCode::FORBIDDEN, "error.403.title", key)
        }
        CoreError::NotFound | CoreError::Gone => page(ctx, StatusCode::NOT_FOUND),
        CoreError::Invalid(_) | CoreError::Locked(_) => page(ctx, StatusCode::BAD_REQUEST),
        CoreError::Store(ref s) if is_unavailable(s) => {
            tracing::error!(request_id = %ctx.request_id, error = %e, "database unavailable");
            page(ctx, StatusCode::SERVICE_UNAVAILABLE)
        }
        CoreError::Store(_) | CoreError::Internal(_) => {
            tracing::error!(request_id = %ctx.request_id, error = %e, "internal error");
            page(ctx, StatusCode::INTERNAL_SERVER_ERROR)
        }
    }
}

fn is_unavailable(e: &ungcuu_store::StoreError) -> bool {
    matches!(e, ungcuu_store::StoreError::Db(d) if d.to_string().contains("timed out") || d.to_string().contains("closed"))
}

/// An RFC 9457 problem details answer.
pub fn problem(
    ctx: &Ctx,
    status: StatusCode,
    detail: &str,
    errors: Vec<(String, String)>,
) -> Response {
    let mut body = serde_json::json!({
        "type": "about:blank",
        "title": status.canonical_reason().unwrap_or("Error"),
        "status": status.as_u16(),
        "detail": detail,
        "instance": format!("urn:request:{}", ctx.request_id),
    });
    if !errors.is_empty() {
        body["errors"] = errors
            .into_iter()
            .map(|(field, message)| serde_json::json!({ "field": field, "message": message }))
            .collect();
    }
    (
        status,
        [(
            header::CONTENT_TYPE,
            "application/problem+json; charset=utf-8",
        )],
        body.to_string(),
    )
        .into_response()
}

/// Maps a use-case error to problem details.
pub fn core_problem(ctx: &Ctx, e: CoreError) -> Response {
    match e {
        CoreError::Unauthenticated => {
            problem(ctx, StatusCode::UNAUTHORIZED, ctx.t("login.failed"), vec![])
        }
        CoreError::Locked(until) => problem(
            ctx,
            StatusCode::TOO_MANY_REQUESTS,
            &ctx.tf(
                "login.locked",
                &[("until", &ungcuu_domain::timefmt::show(until))],
            ),
            vec![],
        ),
        CoreError::Forbidden => {
            problem(ctx, StatusCode::FORBIDDEN, ctx.t("error.403.body"), vec![])
        }
        CoreError::ForbiddenWith(key) => problem(ctx, StatusCode::FORBIDDEN, ctx.t(key), vec![]),
        CoreError::NotFound | CoreError::Gone => {
            problem(ctx, StatusCode::NOT_FOUND, ctx.t("error.404.body"), vec![])
        }
        CoreError::Invalid(errs) => {
            let fields = crate::forms::field_errors(ctx, &errs);
            problem(
                ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                ctx.t("common.form_errors"),
                fields,
            )
        }
        CoreError::Store(ref s) if is_unavailable(s) => {
            tracing::error!(request_id = %ctx.request_id, error = %e, "database unavailable");
            problem(
                ctx,
                StatusCode::SERVICE_UNAVAILABLE,
                ctx.t("error.500.body"),
                vec![],
            )
        }
        CoreError::Store(_) | CoreError::Internal(_) => {
            tracing::error!(request_id = %ctx.request_id, error = %e, "internal error");
            problem(
                ctx,
                StatusCode::INTERNAL_SERVER_ERROR,
                ctx.t("error.500.body"),
                vec![],
            )
        }
    }
}

/// Unknown routes: a 404 page, or problem details under `/api`.
pub async fn fallback(ctx: Ctx, req: Request) -> Response {
    if req.uri().path().starts_with("/api/") {
        problem(&ctx, StatusCode::NOT_FOUND, ctx.t("error.404.body"), vec![])
    } else {
        page(&ctx, StatusCode::NOT_FOUND)
    }
}

/// The last-resort answer when a handler panics: the process keeps serving.
pub fn panic_response(err: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let msg = err
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| err.downcast_ref::<&str>().copied())
        .unwrap_or("panic");
    tracing::error!(panic = msg, "handler panicked");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        Html(format!(
            "<!doctype html><html lang=\"vi\"><meta charset=\"utf-8\"><title>500</title><p>{}</p><p>{}</p>",
            t(Lang::Vi, "error.500.body"),
            t(Lang::En, "error.500.body")
        )),
    )
        .into_response()
}
