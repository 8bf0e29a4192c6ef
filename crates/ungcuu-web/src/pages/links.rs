//! Invitations and password reset pages.

use super::{grantable_roles, render};
use crate::State;
use crate::ctx::{Ctx, SignedIn, redirect_with_flash};
use crate::forms::{CsrfForm, field_errors, opt_uuid};
use askama::Template;
use axum::Router;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;
use ungcuu_core::CoreError;
use ungcuu_core::links;
use ungcuu_core::users::NewUser;
use ungcuu_domain::permissions::Action;

pub(super) fn router() -> Router<State> {
    Router::new()
        .route("/users/invite", get(invite_page).post(invite_submit))
        .route("/invite/{token}", get(accept_page).post(accept_submit))
        .route("/forgot", get(forgot_page).post(forgot_submit))
        .route("/reset/{token}", get(reset_page).post(reset_submit))
}

#[derive(Template)]
#[template(path = "invite.html")]
struct InvitePage<'a> {
    c: &'a Ctx,
    name: String,
    email: String,
    org_id: String,
    role: String,
    locale: String,
    orgs: Vec<(String, String)>,
    roles: Vec<(&'static str, &'static str)>,
    errors: Vec<(String, String)>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct InviteForm {
    name: String,
    email: String,
    org_id: Option<String>,
    role: String,
    locale: String,
}

async fn invite_form(
    st: &State,
    ctx: &Ctx,
    f: InviteForm,
    errors: Vec<(String, String)>,
    status: StatusCode,
) -> Response {
    let all = match ungcuu_core::orgs::all_readable(&st.core, &ctx.actor()).await {
        Ok(a) => a,
        Err(e) => return crate::error::core_page(ctx, e),
    };
    let p = ctx.auth.as_ref().map(|a| a.principal.clone());
    let orgs: Vec<(String, String)> = all
        .into_iter()
        .filter(|o| p.as_ref().is_none_or(|p| p.can(Action::UserManage, o.id)))
        .map(|o| (o.id.to_string(), o.name))
        .collect();
    if orgs.is_empty() {
        return crate::error::page(ctx, StatusCode::FORBIDDEN);
    }
    let page = InvitePage {
        c: ctx,
        name: f.name,
        email: f.email,
        org_id: f.org_id.unwrap_or_default(),
        role: if f.role.is_empty() {
            "officer".into()
        } else {
            f.role
        },
        locale: f.locale,
        orgs,
        roles: grantable_roles(ctx),
        errors,
    };
    let mut r = render(ctx, page);
    *r.status_mut() = status;
    r
}

async fn invite_page(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
) -> Response {
    invite_form(&st, &ctx, InviteForm::default(), vec![], StatusCode::OK).await
}

async fn invite_submit(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    CsrfForm(f): CsrfForm<InviteForm>,
) -> Response {
    let Ok(org_id) = opt_uuid(&f.org_id) else {
        let errs = vec![("org_id".to_string(), ctx.t("err.uuid").to_string())];
        return invite_form(&st, &ctx, f, errs, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let new = NewUser {
        email: f.email.clone(),
        name: f.name.clone(),
        password: None,
        org_id,
        role: f.role.clone(),
        locale: Some(if f.locale.is_empty() {
            "vi".into()
        } else {
            f.locale.clone()
        }),
    };
    match links::invite(&st.core, &ctx.actor(), new).await {
        Ok(u) => redirect_with_flash(&ctx, &format!("/users/{}", u.id), "flash.invited"),
        Err(CoreError::Invalid(errs)) => {
            let errs = field_errors(&ctx, &errs);
            invite_form(&st, &ctx, f, errs, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => crate::error::core_page(&ctx, e),
    }
}

#[derive(Template)]
#[template(path = "set_password.html")]
struct SetPasswordPage<'a> {
    c: &'a Ctx,
    title: &'static str,
    help: &'static str,
    action: String,
    email: String,
    errors: Vec<(String, String)>,
}

async fn link_page(st: &State, ctx: &Ctx, token: &str, kind: &'static str) -> Response {
    let (title, help, gone, prefix) = match kind {
        "invite" => (
            "invite.accept_title",
            "invite.accept_help",
            "invite.gone",
            "/invite/",
        ),
        _ => ("reset.title", "reset.new_password", "reset.gone", "/reset/"),
    };
    match links::check(&st.core, token, kind).await {
        Ok(u) => render(
            ctx,
            SetPasswordPage {
                c: ctx,
                title,
                help,
                action: format!("{prefix}{token}"),
                email: u.email,
                errors: vec![],
            },
        ),
        Err(CoreError::Gone) => crate::error::page_with(ctx, StatusCode::NOT_FOUND, title, gone),
        Err(e) => crate::error::core_page(ctx, e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PasswordForm {
    password: String,
}

async fn link_submit(
    st: &State,
    ctx: &Ctx,
    token: &str,
    kind: &'static str,
    password: &str,
) -> Response {
    match links::set_password(
        &st.core,
        token,
        kind,
        password,
        ungcuu_domain::timefmt::now(),
    )
    .await
    {
        Ok(_) => redirect_with_flash(ctx, "/login", "flash.password_set"),
        Err(CoreError::Invalid(errs)) => {
            let errors = field_errors(ctx, &errs);
            let mut r = link_page(st, ctx, token, kind).await;
            if r.status() == StatusCode::OK {
                let (title, help, prefix) = if kind == "invite" {
                    ("invite.accept_title", "invite.accept_help", "/invite/")
                } else {
                    ("reset.title", "reset.new_password", "/reset/")
                };
                let email = links::check(&st.core, token, kind)
                    .await
                    .map(|u| u.email)
                    .unwrap_or_default();
                r = render(
                    ctx,
                    SetPasswordPage {
                        c: ctx,
                        title,
                        help,
                        action: format!("{prefix}{token}"),
                        email,
                        errors,
                    },
                );
                *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            }
            r
        }
        Err(CoreError::Gone) => link_page(st, ctx, token, kind).await,
        Err(e) => crate::error::core_page(ctx, e),
    }
}

async fn accept_page(
    axum::extract::State(st): axum::extract::State<State>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Response {
    link_page(&st, &ctx, &token, "invite").await
}

async fn accept_submit(
    axum::extract::State(st): axum::extract::State<State>,
    ctx: Ctx,
    Path(token): Path<String>,
    CsrfForm(f): CsrfForm<PasswordForm>,
) -> Response {
    link_submit(&st, &ctx, &token, "invite", &f.password).await
}

async fn reset_page(
    axum::extract::State(st): axum::extract::State<State>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Response {
    link_page(&st, &ctx, &token, "reset").await
}

async fn reset_submit(
    axum::extract::State(st): axum::extract::State<State>,
    ctx: Ctx,
    Path(token): Path<String>,
    CsrfForm(f): CsrfForm<PasswordForm>,
) -> Response {
    link_submit(&st, &ctx, &token, "reset", &f.password).await
}

#[derive(Template)]
#[template(path = "forgot.html")]
struct ForgotPage<'a> {
    c: &'a Ctx,
    sent: bool,
}

async fn forgot_page(ctx: Ctx) -> Response {
    render(
        &ctx,
        ForgotPage {
            c: &ctx,
            sent: false,
        },
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ForgotForm {
    email: String,
}

async fn forgot_submit(
    axum::extract::State(st): axum::extract::State<State>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<ForgotForm>,
) -> Response {
    if let Some(r) = crate::limits::sign_in_step(&st, &ctx, false).await {
        return r;
    }
    // The same page whatever happened: the answer never says whether the address has an account.
    if let Err(e) = links::request_reset(&st.core, &f.email, Some(ctx.request_id.clone())).await {
        return crate::error::core_page(&ctx, e);
    }
    render(
        &ctx,
        ForgotPage {
            c: &ctx,
            sent: true,
        },
    )
}
