//! The JSON API under `/api/v1`: everything the pages do. Errors are RFC 9457 problem details.

mod accounts;
pub(crate) mod clocks;
pub(crate) mod constituency;
pub(crate) mod coordination;
mod docs;
pub(crate) mod document_settings;
pub(crate) mod documents;
pub mod dto;
pub(crate) mod evidence;
pub mod extract;
pub(crate) mod incidents;
pub(crate) mod intake;
mod live;
mod network;
pub(crate) mod notices;
pub(crate) mod systems;
pub(crate) mod tasks;

use crate::State;
use crate::ctx::Ctx;
use crate::error::{core_problem, problem};
use axum::Json;
use axum::Router;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use dto::*;
use extract::ApiId;
use extract::{ApiJson, Caller, Paging};
use serde::Deserialize;
use ungcuu_core::{orgs, tokens, users};
use ungcuu_domain::permissions::Action;
use ungcuu_store::grants::Grantee;
use ungcuu_store::orgs::OrgFilter;
use ungcuu_store::users::UserFilter;
use utoipa::OpenApi;
use uuid::Uuid;

/// The OpenAPI description, generated from the handlers below.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "ungcuu API",
        description = "Cyber-security incident response for a Vietnamese province. Authenticate with `Authorization: Bearer <token>` (create tokens on the API tokens page or with `ungcuu admin create-token`). Lists are keyset-paginated: pass the `next` of a page as `after`. Errors are RFC 9457 problem details with `errors: [{field, message}]`."
    ),
    paths(
        me,
        list_orgs,
        create_org,
        get_org,
        patch_org,
        list_users,
        create_user,
        get_user,
        patch_user,
        list_memberships,
        create_membership,
        delete_membership,
        list_tokens,
        create_token,
        revoke_token,
        list_audit,
        list_grants,
        create_grant,
        delete_grant,
        mail_test,
        healthz,
        readyz,
        crate::metrics::scrape
    ),
    components(schemas(
        OrgOut,
        OrgCreate,
        OrgPatch,
        UserOut,
        UserCreate,
        UserPatch,
        MembershipOut,
        MembershipCreate,
        MeOut,
        TokenOut,
        TokenCreate,
        TokenCreated,
        AuditOut,
        GrantOut,
        GrantCreate,
        MailTest,
        Accepted,
        Problem,
        FieldProblem
    ))
)]
pub struct ApiDoc;

/// The whole description: the core document plus one per capability module, merged so each
/// module describes its own endpoints next to them.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.merge(accounts::AccountsDoc::openapi());
    doc.merge(network::NetworkDoc::openapi());
    doc.merge(constituency::ConstituencyDoc::openapi());
    doc.merge(systems::SystemsDoc::openapi());
    doc.merge(incidents::IncidentsDoc::openapi());
    doc.merge(evidence::EvidenceDoc::openapi());
    doc.merge(clocks::ClocksDoc::openapi());
    doc.merge(notices::NoticesDoc::openapi());
    doc.merge(intake::IntakeDoc::openapi());
    doc.merge(tasks::TasksDoc::openapi());
    doc.merge(coordination::CoordinationDoc::openapi());
    doc.merge(documents::DocumentsDoc::openapi());
    doc.merge(document_settings::DocumentSettingsDoc::openapi());
    doc
}

/// RFC 9457 problem details.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct Problem {
    r#type: String,
    title: String,
    status: u16,
    detail: String,
    instance: String,
    errors: Option<Vec<FieldProblem>>,
}

/// One invalid field.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct FieldProblem {
    field: String,
    message: String,
}

/// Routes of the API and its description.
pub fn router() -> Router<State> {
    api_routes().layer(axum::middleware::from_fn(problems_only))
}

/// Every API error is problem details: axum's own rejections (a malformed query string, a bad
/// path parameter) answer in plain text, so they are rewritten here, keeping their status.
async fn problems_only(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let ctx = req.extensions().get::<Ctx>().cloned();
    let res = next.run(req).await;
    let plain = res
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/plain"));
    let status = res.status();
    match ctx {
        Some(ctx) if plain && status.is_client_error() => {
            let body = axum::body::to_bytes(res.into_body(), 64 * 1024)
                .await
                .unwrap_or_default();
            let detail = String::from_utf8_lossy(&body).to_string();
            problem(&ctx, status, &detail, vec![])
        }
        _ => res,
    }
}

fn api_routes() -> Router<State> {
    Router::new()
        .route("/api/v1/me", get(me))
        .route("/api/v1/organizations", get(list_orgs).post(create_org))
        .route("/api/v1/organizations/{id}", get(get_org).patch(patch_org))
        .route("/api/v1/users", get(list_users).post(create_user))
        .route("/api/v1/users/{id}", get(get_user).patch(patch_user))
        .route(
            "/api/v1/memberships",
            get(list_memberships).post(create_membership),
        )
        .route("/api/v1/memberships/{id}", delete(delete_membership))
        .route("/api/v1/tokens", get(list_tokens).post(create_token))
        .route("/api/v1/tokens/{id}", delete(revoke_token))
        .route("/api/v1/audit", get(list_audit))
        .route("/api/v1/audit/checkpoint", get(accounts::checkpoint))
        .route("/api/v1/audit/{seq}", get(accounts::audit_event))
        .route("/api/v1/invitations", post(accounts::create_invitation))
        .route("/api/v1/password-reset", post(accounts::request_reset))
        .route(
            "/api/v1/settings/mfa-policy",
            get(accounts::get_policy).put(accounts::put_policy),
        )
        .route("/api/v1/users/{id}/mfa", delete(accounts::reset_mfa))
        .route(
            "/api/v1/organizations/{id}/profile",
            get(network::get_profile).put(network::put_profile),
        )
        .route(
            "/api/v1/organizations/{id}/focal-points",
            get(network::list_focal_points).post(network::assign_focal_point),
        )
        .route("/api/v1/directory", get(network::directory))
        .route(
            "/api/v1/team/members",
            get(network::members).post(network::add_member),
        )
        .route("/api/v1/team/members/{id}", delete(network::remove_member))
        .route(
            "/api/v1/team/shifts",
            get(network::shifts).post(network::add_shift),
        )
        .route("/api/v1/team/shifts/{id}", delete(network::remove_shift))
        .route(
            "/api/v1/team/convenings",
            get(network::convenings).post(network::convene),
        )
        .route("/api/v1/notifications", get(network::notifications))
        .route("/api/v1/notifications/read", post(network::mark_read))
        .route("/api/v1/grants", get(list_grants).post(create_grant))
        .route("/api/v1/grants/{id}", delete(delete_grant))
        .route("/api/v1/mail/test", post(mail_test))
        .merge(constituency::router())
        .merge(systems::router())
        .merge(incidents::router())
        .merge(evidence::router())
        .merge(clocks::router())
        .merge(notices::router())
        .merge(intake::router())
        .merge(tasks::router())
        .merge(coordination::router())
        .merge(documents::router())
        .merge(document_settings::router())
        .route("/api/openapi.json", get(openapi_json))
        .route("/api/docs", get(docs::page))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

fn ok<T: serde::Serialize>(status: StatusCode, v: T) -> Response {
    let mut r = (status, Json(v)).into_response();
    r.headers_mut().insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("application/json; charset=utf-8"),
    );
    r
}

async fn openapi_json() -> Response {
    match openapi().to_pretty_json() {
        Ok(s) => (
            [(
                axum::http::header::CONTENT_TYPE,
                "application/json; charset=utf-8",
            )],
            s,
        )
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// The caller and their memberships.
#[utoipa::path(get, path = "/api/v1/me", responses((status = 200, body = MeOut), (status = 401, body = Problem)))]
async fn me(c: Caller) -> Response {
    let a = c.auth();
    let actions = Action::ALL
        .iter()
        .copied()
        .filter(|x| a.principal.can_somewhere(*x))
        .map(|x| x.as_str().to_string())
        .collect();
    ok(
        StatusCode::OK,
        MeOut {
            id: a.user.id,
            email: a.user.email.clone(),
            name: a.user.name.clone(),
            locale: a.user.locale.clone(),
            memberships: a.memberships.iter().cloned().map(Into::into).collect(),
            actions,
        },
    )
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct OrgQuery {
    /// Free text (diacritics optional: "so y te" finds "Sở Y tế").
    q: Option<String>,
    /// A kind.
    kind: Option<String>,
    /// Only children of this organisation.
    parent: Option<Uuid>,
}

/// Organisations the caller may see.
#[utoipa::path(get, path = "/api/v1/organizations", params(OrgQuery, Paging), responses((status = 200, body = PageOut<OrgOut>)))]
async fn list_orgs(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    Query(q): Query<OrgQuery>,
    Query(p): Query<Paging>,
) -> Response {
    let after = match p.after_uuid(&ctx) {
        Ok(a) => a,
        Err(r) => return r,
    };
    let kind = match q.kind.as_deref().filter(|k| !k.is_empty()) {
        Some(k) => match k.parse() {
            Ok(k) => Some(k),
            Err(_) => {
                return problem(
                    &ctx,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    ctx.t("common.form_errors"),
                    vec![("kind".into(), ctx.t("err.kind").into())],
                );
            }
        },
        None => None,
    };
    let filter = OrgFilter {
        q: q.q.filter(|s| !s.trim().is_empty()),
        kind,
        parent: q.parent,
        ..Default::default()
    };
    match orgs::list(&st.core, &ctx.actor(), filter, after, p.limit).await {
        Ok(page) => ok(
            StatusCode::OK,
            PageOut {
                items: page.items.into_iter().map(OrgOut::from).collect(),
                next: page.next,
            },
        ),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Creates an organisation under one the caller may administer.
#[utoipa::path(post, path = "/api/v1/organizations", request_body = OrgCreate, responses((status = 201, body = OrgOut), (status = 422, body = Problem)))]
async fn create_org(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiJson(b): ApiJson<OrgCreate>,
) -> Response {
    let new = orgs::NewOrg {
        slug: b.slug,
        name: b.name,
        short_name: b.short_name,
        kind: b.kind,
        parent_id: b.parent_id,
    };
    match orgs::create(&st.core, &ctx.actor(), new).await {
        Ok(o) => ok(StatusCode::CREATED, OrgOut::from(o)),
        Err(e) => core_problem(&ctx, e),
    }
}

/// One organisation.
#[utoipa::path(get, path = "/api/v1/organizations/{id}", params(("id" = Uuid, Path)), responses((status = 200, body = OrgOut), (status = 404, body = Problem)))]
async fn get_org(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
) -> Response {
    match orgs::get(&st.core, &ctx.actor(), id).await {
        Ok(o) => ok(StatusCode::OK, OrgOut::from(o)),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Changes an organisation.
#[utoipa::path(patch, path = "/api/v1/organizations/{id}", params(("id" = Uuid, Path)), request_body = OrgPatch, responses((status = 200, body = OrgOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn patch_org(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
    ApiJson(b): ApiJson<OrgPatch>,
) -> Response {
    let ch = orgs::OrgChanges {
        name: b.name,
        short_name: b.short_name,
        kind: b.kind,
        parent_id: b.parent_id,
    };
    match orgs::update(&st.core, &ctx.actor(), id, ch).await {
        Ok(o) => ok(StatusCode::OK, OrgOut::from(o)),
        Err(e) => core_problem(&ctx, e),
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct UserQuery {
    /// Free text over name and e-mail.
    q: Option<String>,
    /// Only members of this organisation.
    org: Option<Uuid>,
}

/// People the caller may see.
#[utoipa::path(get, path = "/api/v1/users", params(UserQuery, Paging), responses((status = 200, body = PageOut<UserOut>)))]
async fn list_users(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    Query(q): Query<UserQuery>,
    Query(p): Query<Paging>,
) -> Response {
    let after = match p.after_uuid(&ctx) {
        Ok(a) => a,
        Err(r) => return r,
    };
    let filter = UserFilter {
        q: q.q.filter(|s| !s.trim().is_empty()),
        org: q.org,
        ..Default::default()
    };
    match users::list(&st.core, &ctx.actor(), filter, after, p.limit).await {
        Ok(page) => ok(
            StatusCode::OK,
            PageOut {
                items: page.items.into_iter().map(UserOut::from_user).collect(),
                next: page.next,
            },
        ),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Creates an account with a first membership.
#[utoipa::path(post, path = "/api/v1/users", request_body = UserCreate, responses((status = 201, body = UserOut), (status = 422, body = Problem)))]
async fn create_user(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiJson(b): ApiJson<UserCreate>,
) -> Response {
    let new = users::NewUser {
        email: b.email,
        name: b.name,
        password: b.password,
        org_id: Some(b.org_id),
        role: b.role,
        locale: b.locale,
    };
    match users::create(&st.core, &ctx.actor(), new).await {
        Ok(u) => ok(StatusCode::CREATED, UserOut::from_user(u)),
        Err(e) => core_problem(&ctx, e),
    }
}

/// One person with memberships.
#[utoipa::path(get, path = "/api/v1/users/{id}", params(("id" = Uuid, Path)), responses((status = 200, body = UserOut), (status = 404, body = Problem)))]
async fn get_user(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
) -> Response {
    match users::get(&st.core, &ctx.actor(), id).await {
        Ok((u, ms)) => {
            let mut out = UserOut::from_user(u);
            out.memberships = Some(ms.into_iter().map(Into::into).collect());
            ok(StatusCode::OK, out)
        }
        Err(e) => core_problem(&ctx, e),
    }
}

/// Changes a person (name, language; disabled by a manager).
#[utoipa::path(patch, path = "/api/v1/users/{id}", params(("id" = Uuid, Path)), request_body = UserPatch, responses((status = 200, body = UserOut), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn patch_user(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
    ApiJson(b): ApiJson<UserPatch>,
) -> Response {
    let ch = users::UserChanges {
        name: b.name,
        locale: b.locale,
        disabled: b.disabled,
    };
    match users::update(&st.core, &ctx.actor(), id, ch).await {
        Ok(u) => ok(StatusCode::OK, UserOut::from_user(u)),
        Err(e) => core_problem(&ctx, e),
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct MembershipQuery {
    /// Only this person's.
    user: Option<Uuid>,
    /// Only this organisation's.
    org: Option<Uuid>,
}

/// Memberships the caller may see.
#[utoipa::path(get, path = "/api/v1/memberships", params(MembershipQuery, Paging), responses((status = 200, body = PageOut<MembershipOut>)))]
async fn list_memberships(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    Query(q): Query<MembershipQuery>,
    Query(p): Query<Paging>,
) -> Response {
    let after = match p.after_uuid(&ctx) {
        Ok(a) => a,
        Err(r) => return r,
    };
    match users::list_memberships(&st.core, &ctx.actor(), q.user, q.org, after, p.limit).await {
        Ok(page) => ok(
            StatusCode::OK,
            PageOut {
                items: page.items.into_iter().map(MembershipOut::from).collect(),
                next: page.next,
            },
        ),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Gives a person a role in an organisation.
#[utoipa::path(post, path = "/api/v1/memberships", request_body = MembershipCreate, responses((status = 201, body = MembershipOut), (status = 422, body = Problem)))]
async fn create_membership(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiJson(b): ApiJson<MembershipCreate>,
) -> Response {
    match users::add_membership(&st.core, &ctx.actor(), b.user_id, b.org_id, &b.role).await {
        Ok(m) => ok(StatusCode::CREATED, MembershipOut::from(m)),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Takes a role away.
#[utoipa::path(delete, path = "/api/v1/memberships/{id}", params(("id" = Uuid, Path)), responses((status = 204), (status = 404, body = Problem)))]
async fn delete_membership(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
) -> Response {
    match users::remove_membership(&st.core, &ctx.actor(), id).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => core_problem(&ctx, e),
    }
}

/// The caller's API tokens.
#[utoipa::path(get, path = "/api/v1/tokens", responses((status = 200, body = Vec<TokenOut>)))]
async fn list_tokens(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
) -> Response {
    match tokens::list(&st.core, &ctx.actor()).await {
        Ok(v) => ok(
            StatusCode::OK,
            v.into_iter().map(TokenOut::from).collect::<Vec<_>>(),
        ),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Creates a token for the caller; the secret is in this answer only.
#[utoipa::path(post, path = "/api/v1/tokens", request_body = TokenCreate, responses((status = 201, body = TokenCreated), (status = 422, body = Problem)))]
async fn create_token(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiJson(b): ApiJson<TokenCreate>,
) -> Response {
    match tokens::create(&st.core, &ctx.actor(), &b.label).await {
        Ok((t, secret)) => ok(
            StatusCode::CREATED,
            TokenCreated {
                token: t.into(),
                secret,
            },
        ),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Revokes one of the caller's tokens.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", params(("id" = Uuid, Path)), responses((status = 204), (status = 404, body = Problem)))]
async fn revoke_token(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
) -> Response {
    match tokens::revoke(&st.core, &ctx.actor(), id).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => core_problem(&ctx, e),
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct AuditQuery {
    /// Only this person's actions.
    actor: Option<Uuid>,
    /// Only events about this organisation.
    org: Option<Uuid>,
    /// Actions starting with this (`org.`, `auth.login_failed`).
    action: Option<String>,
    /// Object type.
    object_type: Option<String>,
    /// Object id.
    object_id: Option<String>,
    /// From (RFC 3339).
    from: Option<String>,
    /// Until (RFC 3339, exclusive).
    until: Option<String>,
    /// Page size, 1-200.
    limit: Option<i64>,
    /// The `next` of the previous page (a sequence number).
    after: Option<i64>,
}

/// Audit events, newest first (administrators and the coordinator).
#[utoipa::path(get, path = "/api/v1/audit", params(AuditQuery), responses((status = 200, body = PageOut<AuditOut>), (status = 403, body = Problem)))]
async fn list_audit(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    Query(q): Query<AuditQuery>,
) -> Response {
    let parse_time =
        |field: &str, v: &Option<String>| -> Result<Option<time::OffsetDateTime>, Response> {
            match v.as_deref().filter(|s| !s.is_empty()) {
                None => Ok(None),
                Some(s) => {
                    time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
                        .map(Some)
                        .map_err(|_| {
                            problem(
                                &ctx,
                                StatusCode::UNPROCESSABLE_ENTITY,
                                ctx.t("common.form_errors"),
                                vec![(field.into(), ctx.t("err.invalid").into())],
                            )
                        })
                }
            }
        };
    let from = match parse_time("from", &q.from) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let until = match parse_time("until", &q.until) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let filter = ungcuu_store::audit::AuditFilter {
        within: None,
        actor: q.actor,
        org: q.org,
        action_prefix: q.action.filter(|s| !s.is_empty()),
        object_type: q.object_type.filter(|s| !s.is_empty()),
        object_id: q.object_id.filter(|s| !s.is_empty()),
        from,
        until,
    };
    match ungcuu_core::audit::list(
        &st.core,
        &ctx.actor(),
        filter,
        q.after,
        q.limit.unwrap_or(50),
    )
    .await
    {
        Ok(page) => ok(
            StatusCode::OK,
            PageOut {
                items: page.items.into_iter().map(AuditOut::from).collect(),
                next: page.next,
            },
        ),
        Err(e) => core_problem(&ctx, e),
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct GrantQuery {
    /// Object type (`organization`).
    object_type: String,
    /// Object id.
    object_id: Uuid,
}

/// Grants on one object the caller manages.
#[utoipa::path(get, path = "/api/v1/grants", params(GrantQuery), responses((status = 200, body = Vec<GrantOut>), (status = 404, body = Problem)))]
async fn list_grants(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    Query(q): Query<GrantQuery>,
) -> Response {
    match ungcuu_core::grants::list(&st.core, &ctx.actor(), &q.object_type, q.object_id).await {
        Ok(v) => ok(
            StatusCode::OK,
            v.into_iter().map(GrantOut::from).collect::<Vec<_>>(),
        ),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Gives an organisation or a person access to one object.
#[utoipa::path(post, path = "/api/v1/grants", request_body = GrantCreate, responses((status = 201, body = GrantOut), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn create_grant(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiJson(b): ApiJson<GrantCreate>,
) -> Response {
    let grantee = match (b.grantee_org_id, b.grantee_user_id) {
        (Some(o), None) => Grantee::Org(o),
        (None, Some(u)) => Grantee::User(u),
        _ => {
            return problem(
                &ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                ctx.t("common.form_errors"),
                vec![("grantee_org_id".into(), ctx.t("err.grantee_missing").into())],
            );
        }
    };
    match ungcuu_core::grants::create(
        &st.core,
        &ctx.actor(),
        &b.object_type,
        b.object_id,
        grantee,
        &b.access,
    )
    .await
    {
        Ok(g) => ok(StatusCode::CREATED, GrantOut::from(g)),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Withdraws a grant.
#[utoipa::path(delete, path = "/api/v1/grants/{id}", params(("id" = Uuid, Path)), responses((status = 204), (status = 404, body = Problem)))]
async fn delete_grant(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
) -> Response {
    match ungcuu_core::grants::delete(&st.core, &ctx.actor(), id).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Queues a test e-mail (administrators), to check the mail settings.
#[utoipa::path(post, path = "/api/v1/mail/test", request_body = MailTest, responses((status = 202, body = Accepted), (status = 403, body = Problem)))]
async fn mail_test(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiJson(b): ApiJson<MailTest>,
) -> Response {
    match ungcuu_core::mail::send_test(&st.core, &ctx.actor(), &b.to).await {
        Ok(id) => ok(StatusCode::ACCEPTED, Accepted { id }),
        Err(e) => core_problem(&ctx, e),
    }
}

/// The process is alive.
#[utoipa::path(get, path = "/healthz", responses((status = 200, description = "alive")))]
async fn healthz() -> Response {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; charset=utf-8",
        )],
        "ok",
    )
        .into_response()
}

/// The database answers.
#[utoipa::path(get, path = "/readyz", responses((status = 200, description = "ready"), (status = 503, description = "database unreachable")))]
async fn readyz(axum::extract::State(st): axum::extract::State<State>, ctx: Ctx) -> Response {
    if st.core.db.ping().await {
        (
            [(
                axum::http::header::CONTENT_TYPE,
                "text/plain; charset=utf-8",
            )],
            "ready",
        )
            .into_response()
    } else {
        tracing::warn!(request_id = %ctx.request_id, "readiness check failed");
        (
            StatusCode::SERVICE_UNAVAILABLE,
            [(
                axum::http::header::CONTENT_TYPE,
                "text/plain; charset=utf-8",
            )],
            "database unreachable",
        )
            .into_response()
    }
}
