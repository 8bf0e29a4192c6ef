//! People pages: list, create, detail with memberships, disable and enable.

use super::{grantable_roles, render};
use crate::State;
use crate::ctx::{Ctx, SignedIn, redirect_with_flash};
use crate::forms::{CsrfForm, field_errors, opt_uuid, safe_next};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use ungcuu_core::CoreError;
use ungcuu_core::users::{self, NewUser, UserChanges};
use ungcuu_domain::permissions::Action;
use ungcuu_store::users::{MembershipRow, User, UserFilter};
use uuid::Uuid;

pub(super) fn router() -> Router<State> {
    Router::new()
        .route("/users", get(list).post(create))
        .route("/users/new", get(new_form))
        .route("/users/{id}", get(detail))
        .route("/users/{id}/memberships", post(add_membership))
        .route("/users/{id}/disable", post(disable))
        .route("/users/{id}/enable", post(enable))
        .route("/memberships/{id}/delete", post(remove_membership))
}

#[derive(Template)]
#[template(path = "users.html")]
struct ListPage<'a> {
    c: &'a Ctx,
    rows: Vec<User>,
    q: String,
    next: Option<String>,
    can_create: bool,
}

#[derive(Deserialize)]
struct ListQuery {
    q: Option<String>,
    after: Option<String>,
}

async fn list(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    Query(q): Query<ListQuery>,
) -> Response {
    let text: String = q.q.unwrap_or_default().chars().take(200).collect();
    let after = q.after.as_deref().and_then(|a| Uuid::parse_str(a).ok());
    let filter = UserFilter {
        q: Some(text.clone()).filter(|s| !s.trim().is_empty()),
        ..Default::default()
    };
    let page = match users::list(&st.core, &ctx.actor(), filter, after, Some(50)).await {
        Ok(p) => p,
        Err(e) => return crate::error::core_page(&ctx, e),
    };
    let can_create = ctx
        .auth
        .as_ref()
        .is_some_and(|a| a.principal.can_somewhere(Action::UserManage));
    render(
        &ctx,
        ListPage {
            c: &ctx,
            rows: page.items,
            q: text,
            next: page.next,
            can_create,
        },
    )
}

/// Organisations where the person may manage people: (id, name).
async fn manageable_orgs(st: &State, ctx: &Ctx) -> Result<Vec<(String, String)>, CoreError> {
    let all = ungcuu_core::orgs::all_readable(&st.core, &ctx.actor()).await?;
    let p = ctx.auth.as_ref().map(|a| a.principal.clone());
    Ok(all
        .into_iter()
        .filter(|o| p.as_ref().is_none_or(|p| p.can(Action::UserManage, o.id)))
        .map(|o| (o.id.to_string(), o.name))
        .collect())
}

#[derive(Template)]
#[template(path = "user_form.html")]
struct FormPage<'a> {
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
struct UserForm {
    name: String,
    email: String,
    password: String,
    org_id: Option<String>,
    role: String,
    locale: String,
}

async fn form_page(
    st: &State,
    ctx: &Ctx,
    f: UserForm,
    errors: Vec<(String, String)>,
    status: StatusCode,
) -> Response {
    let orgs = match manageable_orgs(st, ctx).await {
        Ok(o) => o,
        Err(e) => return crate::error::core_page(ctx, e),
    };
    if orgs.is_empty() {
        return crate::error::page(ctx, StatusCode::FORBIDDEN);
    }
    let page = FormPage {
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

async fn new_form(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
) -> Response {
    form_page(&st, &ctx, UserForm::default(), vec![], StatusCode::OK).await
}

async fn create(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    CsrfForm(f): CsrfForm<UserForm>,
) -> Response {
    let Ok(org_id) = opt_uuid(&f.org_id) else {
        let errs = vec![("org_id".to_string(), ctx.t("err.uuid").to_string())];
        return form_page(&st, &ctx, f, errs, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let new = NewUser {
        email: f.email.clone(),
        name: f.name.clone(),
        password: Some(f.password.clone()),
        org_id,
        role: f.role.clone(),
        locale: Some(if f.locale.is_empty() {
            "vi".into()
        } else {
            f.locale.clone()
        }),
    };
    match users::create(&st.core, &ctx.actor(), new).await {
        Ok(u) => redirect_with_flash(&ctx, &format!("/users/{}", u.id), "flash.user_created"),
        Err(CoreError::Invalid(errs)) => {
            let errs = field_errors(&ctx, &errs);
            form_page(&st, &ctx, f, errs, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => crate::error::core_page(&ctx, e),
    }
}

#[derive(Template)]
#[template(path = "user.html")]
struct DetailPage<'a> {
    c: &'a Ctx,
    user: User,
    memberships: Vec<MembershipRow>,
    can_manage: bool,
    is_self: bool,
    orgs: Vec<(String, String)>,
    roles: Vec<(&'static str, &'static str)>,
    errors: Vec<(String, String)>,
}

async fn detail_page(
    st: &State,
    ctx: &Ctx,
    id: Uuid,
    errors: Vec<(String, String)>,
    status: StatusCode,
) -> Response {
    let (user, memberships) = match users::get(&st.core, &ctx.actor(), id).await {
        Ok(x) => x,
        Err(e) => return crate::error::core_page(ctx, e),
    };
    let orgs = match manageable_orgs(st, ctx).await {
        Ok(o) => o,
        Err(e) => return crate::error::core_page(ctx, e),
    };
    let p = ctx.auth.as_ref().map(|a| a.principal.clone());
    let can_manage = p.as_ref().is_some_and(|p| {
        p.is_admin()
            || (!memberships.is_empty()
                && memberships
                    .iter()
                    .all(|m| p.can(Action::UserManage, m.org_id)))
    });
    let is_self = ctx.auth.as_ref().is_some_and(|a| a.user.id == id);
    let page = DetailPage {
        c: ctx,
        user,
        memberships,
        can_manage,
        is_self,
        orgs,
        roles: grantable_roles(ctx),
        errors,
    };
    let mut r = render(ctx, page);
    *r.status_mut() = status;
    r
}

async fn detail(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    Path(id): Path<String>,
) -> Response {
    match Uuid::parse_str(&id) {
        Ok(id) => detail_page(&st, &ctx, id, vec![], StatusCode::OK).await,
        Err(_) => crate::error::page(&ctx, StatusCode::NOT_FOUND),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MembershipForm {
    org_id: String,
    role: String,
}

async fn add_membership(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    Path(id): Path<Uuid>,
    CsrfForm(f): CsrfForm<MembershipForm>,
) -> Response {
    let Ok(org_id) = Uuid::parse_str(f.org_id.trim()) else {
        let errs = vec![("org_id".to_string(), ctx.t("err.uuid").to_string())];
        return detail_page(&st, &ctx, id, errs, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    match users::add_membership(&st.core, &ctx.actor(), id, org_id, &f.role).await {
        Ok(_) => redirect_with_flash(&ctx, &format!("/users/{id}"), "flash.membership_added"),
        Err(CoreError::Invalid(errs)) => {
            let errs = field_errors(&ctx, &errs);
            detail_page(&st, &ctx, id, errs, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => crate::error::core_page(&ctx, e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ConfirmForm {
    confirm: Option<String>,
    back: Option<String>,
}

async fn set_disabled(st: &State, ctx: &Ctx, id: Uuid, disabled: bool) -> Response {
    let ch = UserChanges {
        disabled: Some(disabled),
        ..Default::default()
    };
    match users::update(&st.core, &ctx.actor(), id, ch).await {
        Ok(_) => redirect_with_flash(
            ctx,
            &format!("/users/{id}"),
            if disabled {
                "flash.user_disabled"
            } else {
                "flash.user_enabled"
            },
        ),
        Err(CoreError::Invalid(errs)) => {
            let errs = field_errors(ctx, &errs);
            detail_page(st, ctx, id, errs, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => crate::error::core_page(ctx, e),
    }
}

async fn disable(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    Path(id): Path<Uuid>,
    CsrfForm(f): CsrfForm<ConfirmForm>,
) -> Response {
    if f.confirm.as_deref() != Some("yes") {
        return crate::error::page(&ctx, StatusCode::BAD_REQUEST);
    }
    set_disabled(&st, &ctx, id, true).await
}

async fn enable(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    Path(id): Path<Uuid>,
    CsrfForm(_): CsrfForm<ConfirmForm>,
) -> Response {
    set_disabled(&st, &ctx, id, false).await
}

async fn remove_membership(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    Path(id): Path<Uuid>,
    CsrfForm(f): CsrfForm<ConfirmForm>,
) -> Response {
    if f.confirm.as_deref() != Some("yes") {
        return crate::error::page(&ctx, StatusCode::BAD_REQUEST);
    }
    let back = safe_next(f.back.as_deref());
    match users::remove_membership(&st.core, &ctx.actor(), id).await {
        Ok(()) => redirect_with_flash(&ctx, &back, "flash.membership_removed"),
        Err(CoreError::Invalid(errs)) => {
            // Shown on the page the person came from is not possible without its state; the
            // message goes to a 422 page instead.
            let msg = errs
                .first()
                .map(|e| ctx.t(e.code).to_string())
                .unwrap_or_default();
            tracing::info!(request_id = %ctx.request_id, %msg, "membership removal refused");
            crate::error::page_with(
                &ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                "error.400.title",
                errs.first().map(|e| e.code).unwrap_or("err.invalid"),
            )
        }
        Err(e) => crate::error::core_page(&ctx, e),
    }
}
