//! Sign-in, sign-out, setup, language, profile and API tokens.

use super::render;
use crate::State;
use crate::ctx::{Ctx, SignedIn, Via, redirect_with_flash, set_cookie};
use crate::forms::{CsrfForm, field_errors, safe_next};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use ungcuu_core::{CoreError, auth, setup, tokens};
use ungcuu_store::tokens::ApiToken;
use uuid::Uuid;

pub(super) fn router() -> Router<State> {
    Router::new()
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .route("/logout/all", post(logout_all))
        .route("/lang", get(lang))
        .route("/setup/{token}", get(setup_page).post(setup_submit))
        .route("/profile", get(profile))
        .route("/profile/password", post(change_password))
        .route("/tokens", get(tokens_page).post(create_token))
        .route("/tokens/{id}/revoke", post(revoke_token))
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    c: &'a Ctx,
    error: String,
    email: String,
    next: String,
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

async fn login_page(ctx: Ctx, Query(q): Query<NextQuery>) -> Response {
    if ctx.signed_in() {
        return Redirect::to(&safe_next(q.next.as_deref())).into_response();
    }
    render(
        &ctx,
        LoginPage {
            c: &ctx,
            error: String::new(),
            email: String::new(),
            next: safe_next(q.next.as_deref()),
        },
    )
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

async fn login(
    axum::extract::State(st): axum::extract::State<State>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<LoginForm>,
) -> Response {
    let next = safe_next(f.next.as_deref());
    // Counted per client address before the password is looked at, so that spraying guesses
    // over many accounts from one address is slowed too, and a right guess is refused as well.
    match ungcuu_core::rate_limit::login(&st.core, &ctx.client, &f.email).await {
        Ok(Ok(())) => {}
        Ok(Err(retry)) => return login_rate_limited(&ctx, &f.email, next, retry),
        Err(e) => return crate::error::core_page(&ctx, e),
    }
    match auth::login(&st.core, &f.email, &f.password, &ctx.client).await {
        Ok(outcome) => super::mfa::after_password(&ctx, outcome, &next),
        Err(e @ (CoreError::Unauthenticated | CoreError::Locked(_))) => {
            let (status, error) = match e {
                CoreError::Locked(until) => (
                    StatusCode::TOO_MANY_REQUESTS,
                    ctx.tf(
                        "login.locked",
                        &[("until", &ungcuu_domain::timefmt::show(until))],
                    ),
                ),
                _ => (StatusCode::UNAUTHORIZED, ctx.t("login.failed").to_string()),
            };
            let email: String = f.email.chars().take(254).collect();
            let mut r = render(
                &ctx,
                LoginPage {
                    c: &ctx,
                    error,
                    email,
                    next,
                },
            );
            *r.status_mut() = status;
            r
        }
        Err(e) => crate::error::core_page(&ctx, e),
    }
}

/// The sign-in page again, 429 with `Retry-After`, when the address used up its attempts.
fn login_rate_limited(
    ctx: &Ctx,
    email: &str,
    next: String,
    retry: ungcuu_core::rate_limit::RetryAfter,
) -> Response {
    let error = ctx.tf("login.rate_limited", &[("seconds", &retry.0.to_string())]);
    let mut r = render(
        ctx,
        LoginPage {
            c: ctx,
            error,
            email: email.chars().take(254).collect(),
            next,
        },
    );
    *r.status_mut() = StatusCode::TOO_MANY_REQUESTS;
    crate::limits::set_retry_after(&mut r, retry);
    r
}

async fn logout(
    axum::extract::State(st): axum::extract::State<State>,
    ctx: Ctx,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Response {
    if let Some(Via::Session { token, .. }) = ctx.auth.as_deref().map(|a| &a.via)
        && let Err(e) = auth::logout(&st.core, &ctx.actor(), token).await
    {
        return crate::error::core_page(&ctx, e);
    }
    let mut r = redirect_with_flash(&ctx, "/login", "flash.logged_out");
    r.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&ctx.web, "session", "", Some(0), true),
    );
    r
}

async fn logout_all(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Response {
    if let Err(e) = auth::logout_everywhere(&st.core, &ctx.actor()).await {
        return crate::error::core_page(&ctx, e);
    }
    let mut r = redirect_with_flash(&ctx, "/login", "flash.logged_out_all");
    r.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&ctx.web, "session", "", Some(0), true),
    );
    r
}

#[derive(Deserialize)]
struct LangQuery {
    l: Option<String>,
    next: Option<String>,
}

async fn lang(ctx: Ctx, Query(q): Query<LangQuery>) -> Response {
    let code = crate::i18n::Lang::from_code(q.l.as_deref().unwrap_or("vi")).code();
    let mut r = Redirect::to(&safe_next(q.next.as_deref())).into_response();
    let mut cookie = format!("ungcuu_lang={code}; Path=/; SameSite=Lax; Max-Age=31536000");
    if ctx.web.secure_cookies {
        cookie.push_str("; Secure");
    }
    if let Ok(v) = cookie.parse() {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

#[derive(Template)]
#[template(path = "setup.html")]
struct SetupPage<'a> {
    c: &'a Ctx,
    token: String,
    fields: Vec<(&'static str, &'static str, &'static str, String)>,
    errors: Vec<(String, String)>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SetupForm {
    province_name: String,
    province_slug: String,
    coordinator_name: String,
    coordinator_slug: String,
    admin_name: String,
    admin_email: String,
    password: String,
}

fn setup_fields(f: &SetupForm) -> Vec<(&'static str, &'static str, &'static str, String)> {
    vec![
        (
            "province_name",
            "setup.province_name",
            "text",
            f.province_name.clone(),
        ),
        (
            "province_slug",
            "setup.province_slug",
            "text",
            f.province_slug.clone(),
        ),
        (
            "coordinator_name",
            "setup.coordinator_name",
            "text",
            f.coordinator_name.clone(),
        ),
        (
            "coordinator_slug",
            "setup.coordinator_slug",
            "text",
            f.coordinator_slug.clone(),
        ),
        (
            "admin_name",
            "setup.admin_name",
            "text",
            f.admin_name.clone(),
        ),
        (
            "admin_email",
            "setup.admin_email",
            "email",
            f.admin_email.clone(),
        ),
        ("password", "setup.password", "password", String::new()),
    ]
}

fn setup_gone(ctx: &Ctx) -> Response {
    crate::error::page_with(ctx, StatusCode::NOT_FOUND, "setup.title", "setup.gone")
}

async fn setup_page(
    axum::extract::State(st): axum::extract::State<State>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Response {
    match setup::is_live(&st.core, &token).await {
        Ok(true) => {
            let f = SetupForm {
                province_slug: String::new(),
                ..Default::default()
            };
            render(
                &ctx,
                SetupPage {
                    c: &ctx,
                    token,
                    fields: setup_fields(&f),
                    errors: vec![],
                },
            )
        }
        Ok(false) => setup_gone(&ctx),
        Err(e) => crate::error::core_page(&ctx, e),
    }
}

async fn setup_submit(
    axum::extract::State(st): axum::extract::State<State>,
    ctx: Ctx,
    Path(token): Path<String>,
    CsrfForm(f): CsrfForm<SetupForm>,
) -> Response {
    let input = setup::SetupInput {
        province_name: f.province_name.clone(),
        province_slug: f.province_slug.clone(),
        coordinator_name: f.coordinator_name.clone(),
        coordinator_slug: f.coordinator_slug.clone(),
        admin_name: f.admin_name.clone(),
        admin_email: f.admin_email.clone(),
        password: f.password.clone(),
    };
    match setup::complete(&st.core, &token, input).await {
        Ok(_) => redirect_with_flash(&ctx, "/login", "flash.setup_done"),
        Err(CoreError::Invalid(errs)) => {
            let errors = field_errors(&ctx, &errs);
            let mut r = render(
                &ctx,
                SetupPage {
                    c: &ctx,
                    token,
                    fields: setup_fields(&f),
                    errors,
                },
            );
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            r
        }
        Err(CoreError::Gone) => setup_gone(&ctx),
        Err(e) => crate::error::core_page(&ctx, e),
    }
}

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage<'a> {
    c: &'a Ctx,
    email: String,
    errors: Vec<(String, String)>,
    mfa_on: bool,
    mfa_required: bool,
    recovery_left: i64,
}

async fn profile_page(
    st: &State,
    ctx: &Ctx,
    errors: Vec<(String, String)>,
    status: StatusCode,
) -> Response {
    let Some(a) = ctx.auth.as_ref() else {
        return Redirect::to("/login").into_response();
    };
    let (mfa_on, recovery_left) = match ungcuu_core::mfa::status(&st.core, a.user.id).await {
        Ok(s) => s,
        Err(e) => return crate::error::core_page(ctx, e),
    };
    let mfa_required = match ungcuu_core::mfa::policy(&st.core).await {
        Ok(p) => ungcuu_core::mfa::required(&p, &a.memberships),
        Err(e) => return crate::error::core_page(ctx, e),
    };
    let page = ProfilePage {
        c: ctx,
        email: a.user.email.clone(),
        errors,
        mfa_on,
        mfa_required,
        recovery_left,
    };
    let mut r = render(ctx, page);
    *r.status_mut() = status;
    r
}

async fn profile(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
) -> Response {
    profile_page(&st, &ctx, vec![], StatusCode::OK).await
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

async fn change_password(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    CsrfForm(f): CsrfForm<PasswordForm>,
) -> Response {
    match auth::change_password(
        &st.core,
        &ctx.actor(),
        &f.current_password,
        &f.new_password,
        &ctx.client,
    )
    .await
    {
        Ok(s) => {
            let mut r = redirect_with_flash(&ctx, "/profile", "flash.password_changed");
            r.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(&ctx.web, "session", &s.token, None, true),
            );
            r
        }
        Err(CoreError::Invalid(errs)) => {
            let errors = field_errors(&ctx, &errs);
            profile_page(&st, &ctx, errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => crate::error::core_page(&ctx, e),
    }
}

#[derive(Template)]
#[template(path = "tokens.html")]
struct TokensPage<'a> {
    c: &'a Ctx,
    tokens: Vec<ApiToken>,
    secret: Option<String>,
    label: String,
    errors: Vec<(String, String)>,
}

async fn tokens_page(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
) -> Response {
    match tokens::list(&st.core, &ctx.actor()).await {
        Ok(list) => render(
            &ctx,
            TokensPage {
                c: &ctx,
                tokens: list,
                secret: None,
                label: String::new(),
                errors: vec![],
            },
        ),
        Err(e) => crate::error::core_page(&ctx, e),
    }
}

#[derive(Deserialize)]
struct TokenForm {
    #[serde(default)]
    label: String,
}

async fn create_token(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    CsrfForm(f): CsrfForm<TokenForm>,
) -> Response {
    let actor = ctx.actor();
    let (secret, errors) = match tokens::create(&st.core, &actor, &f.label).await {
        Ok((_, secret)) => (Some(secret), vec![]),
        Err(CoreError::Invalid(errs)) => (None, field_errors(&ctx, &errs)),
        Err(e) => return crate::error::core_page(&ctx, e),
    };
    let label = if errors.is_empty() {
        String::new()
    } else {
        f.label.chars().take(100).collect()
    };
    match tokens::list(&st.core, &actor).await {
        Ok(list) => {
            let status = if errors.is_empty() {
                StatusCode::CREATED
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let mut r = render(
                &ctx,
                TokensPage {
                    c: &ctx,
                    tokens: list,
                    secret,
                    label,
                    errors,
                },
            );
            *r.status_mut() = status;
            r
        }
        Err(e) => crate::error::core_page(&ctx, e),
    }
}

#[derive(Deserialize)]
struct ConfirmForm {
    confirm: Option<String>,
}

async fn revoke_token(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    Path(id): Path<Uuid>,
    CsrfForm(f): CsrfForm<ConfirmForm>,
) -> Response {
    if f.confirm.as_deref() != Some("yes") {
        return crate::error::page(&ctx, StatusCode::BAD_REQUEST);
    }
    match tokens::revoke(&st.core, &ctx.actor(), id).await {
        Ok(()) => redirect_with_flash(&ctx, "/tokens", "flash.token_revoked"),
        Err(e) => crate::error::core_page(&ctx, e),
    }
}
