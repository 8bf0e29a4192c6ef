//! API for invitations, password reset, the two-step verification policy and resets, and audit
//! checkpoints.

use super::dto::UserOut;
use super::extract::ApiId;
use super::extract::{ApiJson, Caller};
use super::{Problem, ok};
use crate::State;
use crate::ctx::Ctx;
use crate::error::core_problem;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use ungcuu_domain::Role;
use utoipa::ToSchema;
use uuid::Uuid;

/// The description of these endpoints, merged into the API document.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        create_invitation,
        request_reset,
        get_policy,
        put_policy,
        reset_mfa,
        checkpoint,
        audit_event
    ),
    components(schemas(InvitationCreate, ResetRequest, MfaPolicy, Checkpoint))
)]
pub struct AccountsDoc;

/// An invitation: the account is created without a password and the person is mailed a link.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvitationCreate {
    pub email: String,
    pub name: String,
    pub org_id: Uuid,
    pub role: String,
    /// `vi` (default) or `en`: the language of the e-mail and of the account.
    pub locale: Option<String>,
}

/// A password reset request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    pub email: String,
}

/// The roles that must use two-step verification.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MfaPolicy {
    pub roles: Vec<String>,
}

/// The audit chain head, to keep elsewhere and check later with `ungcuu audit verify --from-checkpoint`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Checkpoint {
    pub format: String,
    pub seq: i64,
    pub hash: String,
    pub event_time: String,
    pub taken_at: String,
    pub public_url: String,
}

/// Invites a person into an organisation with a role.
#[utoipa::path(post, path = "/api/v1/invitations", request_body = InvitationCreate, responses((status = 201, body = UserOut), (status = 422, body = Problem)))]
pub async fn create_invitation(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiJson(b): ApiJson<InvitationCreate>,
) -> Response {
    let new = ungcuu_core::users::NewUser {
        email: b.email,
        name: b.name,
        password: None,
        org_id: Some(b.org_id),
        role: b.role,
        locale: b.locale,
    };
    match ungcuu_core::links::invite(&st.core, &ctx.actor(), new).await {
        Ok(u) => ok(StatusCode::CREATED, UserOut::from_user(u)),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Asks for a password reset link. Always 202: the answer never reveals whether the address has an account.
#[utoipa::path(post, path = "/api/v1/password-reset", request_body = ResetRequest, responses((status = 202, description = "accepted whatever the address")))]
pub async fn request_reset(
    axum::extract::State(st): axum::extract::State<State>,
    ctx: Ctx,
    ApiJson(b): ApiJson<ResetRequest>,
) -> Response {
    if let Some(r) = crate::limits::sign_in_step(&st, &ctx, true).await {
        return r;
    }
    match ungcuu_core::links::request_reset(&st.core, &b.email, Some(ctx.request_id.clone())).await
    {
        Ok(()) => (
            StatusCode::ACCEPTED,
            [(
                axum::http::header::CONTENT_TYPE,
                "application/json; charset=utf-8",
            )],
            "{}",
        )
            .into_response(),
        Err(e) => core_problem(&ctx, e),
    }
}

/// The roles that must use two-step verification.
#[utoipa::path(get, path = "/api/v1/settings/mfa-policy", responses((status = 200, body = MfaPolicy)))]
pub async fn get_policy(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
) -> Response {
    match ungcuu_core::mfa::policy(&st.core).await {
        Ok(p) => ok(
            StatusCode::OK,
            MfaPolicy {
                roles: p.iter().map(|r| r.as_str().to_string()).collect(),
            },
        ),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Sets the roles that must use two-step verification (administrators).
#[utoipa::path(put, path = "/api/v1/settings/mfa-policy", request_body = MfaPolicy, responses((status = 200, body = MfaPolicy), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn put_policy(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiJson(b): ApiJson<MfaPolicy>,
) -> Response {
    let mut roles = Vec::new();
    for r in &b.roles {
        match r.parse::<Role>() {
            Ok(r) => roles.push(r),
            Err(_) => {
                return crate::error::problem(
                    &ctx,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    ctx.t("common.form_errors"),
                    vec![("roles".into(), ctx.t("err.role").into())],
                );
            }
        }
    }
    match ungcuu_core::mfa::set_policy(&st.core, &ctx.actor(), &roles).await {
        Ok(()) => ok(
            StatusCode::OK,
            MfaPolicy {
                roles: roles.iter().map(|r| r.as_str().to_string()).collect(),
            },
        ),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Resets a person's two-step verification (administrators), e.g. after a lost phone.
#[utoipa::path(delete, path = "/api/v1/users/{id}/mfa", params(("id" = Uuid, Path)), responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn reset_mfa(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
) -> Response {
    if ctx.auth.as_ref().is_some_and(|a| a.user.id == id) {
        return crate::error::problem(&ctx, StatusCode::FORBIDDEN, ctx.t("error.403.body"), vec![]);
    }
    match ungcuu_core::mfa::disable(&st.core, &ctx.actor(), id, None).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => core_problem(&ctx, e),
    }
}

/// The audit chain head as a checkpoint (administrators and the coordinator).
#[utoipa::path(get, path = "/api/v1/audit/checkpoint", responses((status = 200, body = Checkpoint), (status = 403, body = Problem)))]
pub async fn checkpoint(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
) -> Response {
    match ungcuu_core::audit::checkpoint(&st.core, &ctx.actor()).await {
        Ok(c) => ok(
            StatusCode::OK,
            Checkpoint {
                format: c.format,
                seq: c.seq,
                hash: c.hash,
                event_time: c.event_time,
                taken_at: c.taken_at,
                public_url: c.public_url,
            },
        ),
        Err(e) => core_problem(&ctx, e),
    }
}

/// One audit event.
#[utoipa::path(get, path = "/api/v1/audit/{seq}", params(("seq" = i64, Path)), responses((status = 200, body = super::dto::AuditOut), (status = 404, body = Problem)))]
pub async fn audit_event(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    Path(seq): Path<String>,
) -> Response {
    let Ok(seq) = seq.parse::<i64>() else {
        return crate::error::problem(&ctx, StatusCode::NOT_FOUND, ctx.t("error.404.body"), vec![]);
    };
    match ungcuu_core::audit::get(&st.core, &ctx.actor(), seq).await {
        Ok(e) => ok(StatusCode::OK, super::dto::AuditOut::from(e)),
        Err(e) => core_problem(&ctx, e),
    }
}
