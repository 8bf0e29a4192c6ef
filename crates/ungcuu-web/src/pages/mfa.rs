//! The second step of sign-in and the two-step verification settings of an account.

use super::render;
use crate::State;
use crate::ctx::{Ctx, SignedIn, redirect_with_flash, set_cookie};
use crate::forms::{CsrfForm, field_errors, safe_next};
use askama::Template;
use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use ungcuu_core::CoreError;
use ungcuu_core::auth::LoginOutcome;
use ungcuu_core::mfa::{self, Enrolment};
use ungcuu_domain::timefmt::now;
use uuid::Uuid;

pub(super) fn router() -> Router<State> {
    Router::new()
        .route("/login/code", get(code_page).post(code_submit))
        .route("/login/enrol", get(enrol_page).post(enrol_submit))
        .route(
            "/profile/mfa",
            get(profile_enrol_page).post(profile_enrol_start),
        )
        .route("/profile/mfa/confirm", post(profile_confirm))
        .route("/profile/mfa/disable", post(profile_disable))
        .route("/users/{id}/mfa/reset", post(admin_reset))
}

const CHALLENGE_COOKIE: &str = "mfa";

/// Where a right password leads: a session, or the second step.
pub(crate) fn after_password(ctx: &Ctx, outcome: LoginOutcome, next: &str) -> Response {
    let (to, cookie) = match outcome {
        LoginOutcome::Session(s) => {
            let mut r = Redirect::to(next).into_response();
            r.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(&ctx.web, "session", &s.token, None, true),
            );
            return r;
        }
        LoginOutcome::SecondFactor(t) => ("/login/code", t),
        LoginOutcome::Enrol(t) => ("/login/enrol", t),
    };
    let mut r =
        Redirect::to(&format!("{to}?next={}", crate::forms::urlencode(next))).into_response();
    let max_age = mfa::CHALLENGE_TTL.whole_seconds();
    r.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&ctx.web, CHALLENGE_COOKIE, &cookie, Some(max_age), true),
    );
    r
}

fn challenge_cookie(ctx: &Ctx, headers: &axum::http::HeaderMap) -> Option<String> {
    let name = crate::ctx::cookie_name(&ctx.web, CHALLENGE_COOKIE);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|s| s.split(';'))
        .filter_map(|p| p.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .filter(|v| {
            v.len() <= 128
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

fn expired(ctx: &Ctx) -> Response {
    let mut r = redirect_with_flash(ctx, "/login", "mfa.expired");
    r.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&ctx.web, CHALLENGE_COOKIE, "", Some(0), true),
    );
    r
}

fn signed_in(ctx: &Ctx, token: &str, to: Response) -> Response {
    let mut r = to;
    r.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&ctx.web, "session", token, None, true),
    );
    r.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&ctx.web, CHALLENGE_COOKIE, "", Some(0), true),
    );
    r
}

#[derive(Template)]
#[template(path = "mfa_code.html")]
struct CodePage<'a> {
    c: &'a Ctx,
    next: String,
    error: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NextQuery {
    next: Option<String>,
}

async fn code_page(
    axum::extract::State(st): axum::extract::State<State>,
    ctx: Ctx,
    headers: axum::http::HeaderMap,
    axum::extract::Query(q): axum::extract::Query<NextQuery>,
) -> Response {
    let Some(token) = challenge_cookie(&ctx, &headers) else {
        return expired(&ctx);
    };
    match mfa::challenge(&st.core, &token, now()).await {
        Ok(Some(_)) => render(
            &ctx,
            CodePage {
                c: &ctx,
                next: safe_next(q.next.as_deref()),
                error: String::new(),
            },
        ),
        Ok(None) => expired(&ctx),
        Err(e) => crate::error::core_page(&ctx, e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CodeForm {
    code: String,
    next: Option<String>,
}

async fn code_submit(
    axum::extract::State(st): axum::extract::State<State>,
    ctx: Ctx,
    headers: axum::http::HeaderMap,
    CsrfForm(f): CsrfForm<CodeForm>,
) -> Response {
    let Some(token) = challenge_cookie(&ctx, &headers) else {
        return expired(&ctx);
    };
    if let Some(r) = crate::limits::sign_in_step(&st, &ctx, false).await {
        return r;
    }
    let next = safe_next(f.next.as_deref());
    match mfa::verify(&st.core, &token, &f.code, &ctx.client, now()).await {
        Ok(s) => signed_in(&ctx, &s.token, Redirect::to(&next).into_response()),
        Err(CoreError::Invalid(errs)) => {
            let error = field_errors(&ctx, &errs)
                .into_iter()
                .map(|(_, m)| m)
                .collect::<Vec<_>>()
                .join(" ");
            let mut r = render(
                &ctx,
                CodePage {
                    c: &ctx,
                    next,
                    error,
                },
            );
            *r.status_mut() = StatusCode::UNAUTHORIZED;
            r
        }
        Err(CoreError::Gone) => expired(&ctx),
        Err(e) => crate::error::core_page(&ctx, e),
    }
}

#[derive(Template)]
#[template(path = "mfa_enrol.html")]
struct EnrolPage<'a> {
    c: &'a Ctx,
    e: Enrolment,
    action: &'static str,
    intro: &'static str,
    next: String,
    error: String,
}

#[derive(Template)]
#[template(path = "mfa_recovery.html")]
struct RecoveryPage<'a> {
    c: &'a Ctx,
    codes: Vec<String>,
    next: String,
}

async fn enrol_page(
    axum::extract::State(st): axum::extract::State<State>,
    ctx: Ctx,
    headers: axum::http::HeaderMap,
    axum::extract::Query(q): axum::extract::Query<NextQuery>,
) -> Response {
    let Some(token) = challenge_cookie(&ctx, &headers) else {
        return expired(&ctx);
    };
    match mfa::challenge_enrolment(&st.core, &token, now()).await {
        Ok(e) => render(
            &ctx,
            EnrolPage {
                c: &ctx,
                e,
                action: "/login/enrol",
                intro: "mfa.enrol_required",
                next: safe_next(q.next.as_deref()),
                error: String::new(),
            },
        ),
        Err(CoreError::Gone) => expired(&ctx),
        Err(e) => crate::error::core_page(&ctx, e),
    }
}

async fn enrol_submit(
    axum::extract::State(st): axum::extract::State<State>,
    ctx: Ctx,
    headers: axum::http::HeaderMap,
    CsrfForm(f): CsrfForm<CodeForm>,
) -> Response {
    let Some(token) = challenge_cookie(&ctx, &headers) else {
        return expired(&ctx);
    };
    if let Some(r) = crate::limits::sign_in_step(&st, &ctx, false).await {
        return r;
    }
    let next = safe_next(f.next.as_deref());
    match mfa::confirm_challenge_enrolment(&st.core, &token, &f.code, &ctx.client, now()).await {
        Ok((s, codes)) => {
            // The page is shown to a browser that is now signed in; it needs the new session's
            // CSRF token only for the header form, so a fresh context is not required.
            let page = render(
                &ctx,
                RecoveryPage {
                    c: &ctx,
                    codes,
                    next,
                },
            );
            signed_in(&ctx, &s.token, page)
        }
        Err(CoreError::Invalid(errs)) => {
            match mfa::challenge_enrolment(&st.core, &token, now()).await {
                Ok(e) => {
                    let error = field_errors(&ctx, &errs)
                        .into_iter()
                        .map(|(_, m)| m)
                        .collect::<Vec<_>>()
                        .join(" ");
                    let mut r = render(
                        &ctx,
                        EnrolPage {
                            c: &ctx,
                            e,
                            action: "/login/enrol",
                            intro: "mfa.enrol_required",
                            next,
                            error,
                        },
                    );
                    *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
                    r
                }
                Err(_) => expired(&ctx),
            }
        }
        Err(CoreError::Gone) => expired(&ctx),
        Err(e) => crate::error::core_page(&ctx, e),
    }
}

async fn profile_enrol_page(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
) -> Response {
    let email = ctx
        .auth
        .as_ref()
        .map(|a| a.user.email.clone())
        .unwrap_or_default();
    match mfa::pending(&st.core, &ctx.actor(), &email).await {
        Ok(Some(e)) => render(
            &ctx,
            EnrolPage {
                c: &ctx,
                e,
                action: "/profile/mfa/confirm",
                intro: "mfa.scan",
                next: "/profile".into(),
                error: String::new(),
            },
        ),
        Ok(None) => Redirect::to("/profile").into_response(),
        Err(e) => crate::error::core_page(&ctx, e),
    }
}

async fn profile_enrol_start(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Response {
    let email = ctx
        .auth
        .as_ref()
        .map(|a| a.user.email.clone())
        .unwrap_or_default();
    match mfa::start(&st.core, &ctx.actor(), &email).await {
        Ok(_) => Redirect::to("/profile/mfa").into_response(),
        Err(CoreError::Invalid(_)) => Redirect::to("/profile").into_response(),
        Err(e) => crate::error::core_page(&ctx, e),
    }
}

async fn profile_confirm(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    CsrfForm(f): CsrfForm<CodeForm>,
) -> Response {
    match mfa::confirm(&st.core, &ctx.actor(), &f.code, now()).await {
        Ok(codes) => render(
            &ctx,
            RecoveryPage {
                c: &ctx,
                codes,
                next: "/profile".into(),
            },
        ),
        Err(CoreError::Invalid(errs)) => {
            let email = ctx
                .auth
                .as_ref()
                .map(|a| a.user.email.clone())
                .unwrap_or_default();
            match mfa::pending(&st.core, &ctx.actor(), &email).await {
                Ok(Some(e)) => {
                    let error = field_errors(&ctx, &errs)
                        .into_iter()
                        .map(|(_, m)| m)
                        .collect::<Vec<_>>()
                        .join(" ");
                    let mut r = render(
                        &ctx,
                        EnrolPage {
                            c: &ctx,
                            e,
                            action: "/profile/mfa/confirm",
                            intro: "mfa.scan",
                            next: "/profile".into(),
                            error,
                        },
                    );
                    *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
                    r
                }
                _ => Redirect::to("/profile").into_response(),
            }
        }
        Err(e) => crate::error::core_page(&ctx, e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PasswordForm {
    password: String,
}

async fn profile_disable(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    CsrfForm(f): CsrfForm<PasswordForm>,
) -> Response {
    let uid = ctx.auth.as_ref().map(|a| a.user.id).unwrap_or_default();
    match mfa::disable(&st.core, &ctx.actor(), uid, Some(&f.password)).await {
        Ok(()) => redirect_with_flash(&ctx, "/profile", "flash.mfa_disabled"),
        Err(CoreError::Invalid(errs)) => {
            let key = errs.first().map(|e| e.code).unwrap_or("err.invalid");
            crate::error::page_with(&ctx, StatusCode::UNPROCESSABLE_ENTITY, "mfa.title", key)
        }
        Err(e) => crate::error::core_page(&ctx, e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ConfirmForm {
    confirm: Option<String>,
}

async fn admin_reset(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    Path(id): Path<Uuid>,
    CsrfForm(f): CsrfForm<ConfirmForm>,
) -> Response {
    if f.confirm.as_deref() != Some("yes") {
        return crate::error::page(&ctx, StatusCode::BAD_REQUEST);
    }
    match mfa::disable(&st.core, &ctx.actor(), id, None).await {
        Ok(()) => redirect_with_flash(&ctx, &format!("/users/{id}"), "flash.mfa_reset"),
        Err(e) => crate::error::core_page(&ctx, e),
    }
}
