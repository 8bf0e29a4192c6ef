//! Installation settings: the two-step verification policy and a mail test.

use super::{render, role_label};
use crate::State;
use crate::ctx::{Ctx, SignedIn, redirect_with_flash};
use crate::forms::{CsrfForm, field_errors};
use askama::Template;
use axum::Router;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use ungcuu_core::CoreError;
use ungcuu_domain::Role;
use ungcuu_domain::permissions::Action;

pub(super) fn router() -> Router<State> {
    Router::new()
        .route("/settings", get(page))
        .route("/settings/mfa", post(save_policy))
        .route("/settings/mail-test", post(mail_test))
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage<'a> {
    c: &'a Ctx,
    roles: Vec<(&'static str, &'static str, bool)>,
    errors: Vec<(String, String)>,
}

fn allowed(ctx: &Ctx) -> bool {
    ctx.auth
        .as_ref()
        .is_some_and(|a| a.principal.can_everywhere(Action::SettingsManage))
}

async fn show(
    st: &State,
    ctx: &Ctx,
    errors: Vec<(String, String)>,
    status: StatusCode,
) -> Response {
    if !allowed(ctx) {
        return crate::error::page(ctx, StatusCode::FORBIDDEN);
    }
    let policy = match ungcuu_core::mfa::policy(&st.core).await {
        Ok(p) => p,
        Err(e) => return crate::error::core_page(ctx, e),
    };
    let roles = Role::ALL
        .into_iter()
        .map(|r| (r.as_str(), role_label(ctx, &r), policy.contains(&r)))
        .collect();
    let mut r = render(
        ctx,
        SettingsPage {
            c: ctx,
            roles,
            errors,
        },
    );
    *r.status_mut() = status;
    r
}

async fn page(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
) -> Response {
    show(&st, &ctx, vec![], StatusCode::OK).await
}

async fn save_policy(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    // Checkboxes repeat the `role` field, so the form is read as its list of pairs.
    let roles: Vec<Role> = pairs
        .iter()
        .filter(|(k, _)| k == "role")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    match ungcuu_core::mfa::set_policy(&st.core, &ctx.actor(), &roles).await {
        Ok(()) => redirect_with_flash(&ctx, "/settings", "flash.saved"),
        Err(e) => crate::error::core_page(&ctx, e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MailForm {
    to: String,
}

async fn mail_test(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    CsrfForm(f): CsrfForm<MailForm>,
) -> Response {
    match ungcuu_core::mail::send_test(&st.core, &ctx.actor(), &f.to).await {
        Ok(_) => redirect_with_flash(&ctx, "/settings", "flash.mail_queued"),
        Err(CoreError::Invalid(errs)) => {
            show(
                &st,
                &ctx,
                field_errors(&ctx, &errs),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => crate::error::core_page(&ctx, e),
    }
}
