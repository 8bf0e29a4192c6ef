//! API of the document settings: the place printed before the date, the national coordinator's
//! reporting address and the second-person approval of sendings to it (province-wide
//! coordinators and administrators; every change audited).

use super::extract::{ApiJson, Caller};
use super::{Problem, ok};
use crate::State;
use crate::error::core_problem;
use axum::Router;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde::{Deserialize, Serialize};
use ungcuu_core::document_settings::{self as core_settings, DocumentSettings};
use utoipa::ToSchema;

/// The description of these endpoints, merged into the API document.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(get_document_settings, put_document_settings),
    components(schemas(DocumentSettingsBody))
)]
pub struct DocumentSettingsDoc;

/// Routes of the document settings.
pub(crate) fn router() -> Router<State> {
    Router::new().route(
        "/api/v1/settings/documents",
        get(get_document_settings).put(put_document_settings),
    )
}

/// The settings of the legal documents (Mẫu 03, 04, 05).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentSettingsBody {
    /// The place printed before the date of a new draft ("Đồng Tháp"); required, one line, at
    /// most 100 characters.
    pub place: String,
    /// The national coordinator's (VNCERT/CC's) reporting address; a real e-mail address.
    pub national_coordinator_email: String,
    /// `true`: a sending that includes the national coordinator waits for a second person's
    /// approval.
    pub national_approval: bool,
}

impl From<DocumentSettings> for DocumentSettingsBody {
    fn from(s: DocumentSettings) -> Self {
        DocumentSettingsBody {
            place: s.place,
            national_coordinator_email: s.national_coordinator_email,
            national_approval: s.national_approval,
        }
    }
}

/// The document settings in force (empty text where nothing is set yet).
#[utoipa::path(get, path = "/api/v1/settings/documents", responses((status = 200, body = DocumentSettingsBody), (status = 403, body = Problem)))]
pub(crate) async fn get_document_settings(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
) -> Response {
    match core_settings::get(&st.core, &ctx.actor()).await {
        Ok(s) => ok(StatusCode::OK, DocumentSettingsBody::from(s)),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Replaces the document settings; a bad field is named and nothing is written.
#[utoipa::path(put, path = "/api/v1/settings/documents", request_body = DocumentSettingsBody, responses((status = 200, body = DocumentSettingsBody), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn put_document_settings(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiJson(b): ApiJson<DocumentSettingsBody>,
) -> Response {
    let new = DocumentSettings {
        place: b.place,
        national_coordinator_email: b.national_coordinator_email,
        national_approval: b.national_approval,
    };
    match core_settings::set(&st.core, &ctx.actor(), new).await {
        Ok(s) => ok(StatusCode::OK, DocumentSettingsBody::from(s)),
        Err(e) => core_problem(&ctx, e),
    }
}
