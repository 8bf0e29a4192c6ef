//! API of how the caller is told: e-mail preferences per topic and the digest hour, following an
//! incident, and the incident queue filters the caller saved.

use super::extract::ApiId;
use super::extract::{ApiJson, Caller, path_id};
use super::{Problem, ok};
use crate::State;
use crate::error::core_problem;
use axum::Router;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ungcuu_core::notices::{self, Preferences};
use ungcuu_domain::timefmt::rfc3339;
use ungcuu_store::notices::SavedFilter;
use utoipa::ToSchema;
use uuid::Uuid;

/// The description of these endpoints, merged into the API document.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        get_preferences,
        put_preferences,
        get_follow,
        put_follow,
        delete_follow,
        list_filters,
        create_filter,
        delete_filter,
        super::live::incident_live
    ),
    components(schemas(
        PreferencesOut,
        PreferencesBody,
        FollowOut,
        SavedFilterOut,
        SavedFilterBody
    ))
)]
pub struct NoticesDoc;

/// Routes of this module.
pub(crate) fn router() -> Router<State> {
    Router::new()
        .route(
            "/api/v1/me/notification-preferences",
            get(get_preferences).put(put_preferences),
        )
        .route(
            "/api/v1/incidents/{id}/follow",
            get(get_follow).put(put_follow).delete(delete_follow),
        )
        .route(
            "/api/v1/me/incident-filters",
            get(list_filters).post(create_filter),
        )
        .route("/api/v1/me/incident-filters/{id}", delete(delete_filter))
        .route(
            "/api/v1/incidents/{id}/live",
            get(super::live::incident_live),
        )
}

/// E-mail preferences. Topics: `assignment`, `mention`, `incident_state`, `request`, `clock`,
/// `document`, `network`; modes: `now` (one e-mail per notice), `digest` (one e-mail a day at
/// `digest_hour`, Vietnam time), `off` (notification centre only).
#[derive(Debug, Serialize, ToSchema)]
pub struct PreferencesOut {
    /// Every topic with its mode.
    pub modes: BTreeMap<String, String>,
    /// 0-23, Vietnam time.
    pub digest_hour: i64,
}

impl From<Preferences> for PreferencesOut {
    fn from(p: Preferences) -> Self {
        PreferencesOut {
            modes: p
                .modes
                .into_iter()
                .map(|(t, m)| (t.as_str().to_string(), m.as_str().to_string()))
                .collect(),
            digest_hour: p.digest_hour,
        }
    }
}

/// Changes some topics' modes and/or the digest hour; topics left out keep theirs.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreferencesBody {
    #[serde(default)]
    pub modes: BTreeMap<String, String>,
    #[serde(default)]
    pub digest_hour: Option<i64>,
}

/// The caller's e-mail preferences.
#[utoipa::path(get, path = "/api/v1/me/notification-preferences", responses((status = 200, body = PreferencesOut), (status = 401, body = Problem)))]
pub(crate) async fn get_preferences(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
) -> Response {
    match notices::preferences(&st.core, &ctx.actor()).await {
        Ok(p) => ok(StatusCode::OK, PreferencesOut::from(p)),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Changes the caller's e-mail preferences.
#[utoipa::path(put, path = "/api/v1/me/notification-preferences", request_body = PreferencesBody, responses((status = 200, body = PreferencesOut), (status = 422, body = Problem)))]
pub(crate) async fn put_preferences(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiJson(b): ApiJson<PreferencesBody>,
) -> Response {
    let modes: Vec<(String, String)> = b.modes.into_iter().collect();
    match notices::set_preferences(&st.core, &ctx.actor(), &modes, b.digest_hour).await {
        Ok(p) => ok(StatusCode::OK, PreferencesOut::from(p)),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Whether the caller follows an incident.
#[derive(Debug, Serialize, ToSchema)]
pub struct FollowOut {
    pub incident_id: Uuid,
    pub following: bool,
}

/// Whether the caller follows the incident (state changes are notified to followers).
#[utoipa::path(get, path = "/api/v1/incidents/{id}/follow", params(("id" = Uuid, Path)), responses((status = 200, body = FollowOut), (status = 404, body = Problem)))]
pub(crate) async fn get_follow(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
) -> Response {
    match notices::following(&st.core, &ctx.actor(), id).await {
        Ok(f) => ok(
            StatusCode::OK,
            FollowOut {
                incident_id: id,
                following: f,
            },
        ),
        Err(e) => core_problem(&ctx, e),
    }
}

async fn set_follow(st: State, ctx: crate::ctx::Ctx, id: String, on: bool) -> Response {
    let id = match path_id(&ctx, &id) {
        Ok(i) => i,
        Err(r) => return r,
    };
    match notices::set_following(&st.core, &ctx.actor(), id, on).await {
        Ok(f) => ok(
            StatusCode::OK,
            FollowOut {
                incident_id: id,
                following: f,
            },
        ),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Follows the incident (anyone who can read it may).
#[utoipa::path(put, path = "/api/v1/incidents/{id}/follow", params(("id" = Uuid, Path)), responses((status = 200, body = FollowOut), (status = 404, body = Problem)))]
pub(crate) async fn put_follow(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    Path(id): Path<String>,
) -> Response {
    set_follow(st, ctx, id, true).await
}

/// Stops following the incident.
#[utoipa::path(delete, path = "/api/v1/incidents/{id}/follow", params(("id" = Uuid, Path)), responses((status = 200, body = FollowOut), (status = 404, body = Problem)))]
pub(crate) async fn delete_follow(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    Path(id): Path<String>,
) -> Response {
    set_follow(st, ctx, id, false).await
}

/// A saved filter of the incident queue.
#[derive(Debug, Serialize, ToSchema)]
pub struct SavedFilterOut {
    pub id: Uuid,
    pub name: String,
    /// The queue's query string, e.g. `state=open&severity=serious&q=ransomware`.
    pub query: String,
    /// The queue page with this filter.
    pub href: String,
    pub created_at: String,
}

impl From<SavedFilter> for SavedFilterOut {
    fn from(f: SavedFilter) -> Self {
        SavedFilterOut {
            href: format!("/incidents?{}", f.query),
            id: f.id,
            name: f.name,
            query: f.query,
            created_at: rfc3339(f.created_at),
        }
    }
}

/// Saves a filter under a name (unique per person).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SavedFilterBody {
    pub name: String,
    pub query: String,
}

/// The caller's saved incident queue filters, by name.
#[utoipa::path(get, path = "/api/v1/me/incident-filters", responses((status = 200, body = [SavedFilterOut])))]
pub(crate) async fn list_filters(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
) -> Response {
    match notices::saved_filters(&st.core, &ctx.actor()).await {
        Ok(v) => ok(
            StatusCode::OK,
            v.into_iter().map(SavedFilterOut::from).collect::<Vec<_>>(),
        ),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Saves an incident queue filter.
#[utoipa::path(post, path = "/api/v1/me/incident-filters", request_body = SavedFilterBody, responses((status = 201, body = SavedFilterOut), (status = 422, body = Problem)))]
pub(crate) async fn create_filter(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiJson(b): ApiJson<SavedFilterBody>,
) -> Response {
    match notices::save_filter(&st.core, &ctx.actor(), &b.name, &b.query).await {
        Ok(f) => ok(StatusCode::CREATED, SavedFilterOut::from(f)),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Deletes one of the caller's saved filters.
#[utoipa::path(delete, path = "/api/v1/me/incident-filters/{id}", params(("id" = Uuid, Path)), responses((status = 204), (status = 404, body = Problem)))]
pub(crate) async fn delete_filter(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
) -> Response {
    match notices::delete_filter(&st.core, &ctx.actor(), id).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => core_problem(&ctx, e),
    }
}
