//! API of evidence files (raw-body upload streamed to the blob store, list, download as an
//! attachment, chain of custody and hand-over) and indicators of compromise (list with "seen
//! in", add, extract from text, delete).

use super::extract::ApiId;
use super::extract::{ApiJson, Caller};
use super::{Problem, ok};
use crate::State;
use crate::ctx::Ctx;
use crate::error::{core_problem, problem};
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, Query};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use tokio::io::AsyncReadExt;
use ungcuu_core::CoreError;
use ungcuu_core::evidence::{self as core_evidence, IndicatorView, Upload};
use ungcuu_domain::timefmt::rfc3339;
use ungcuu_store::evidence::{CustodyEvent, Evidence, Indicator};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// The description of these endpoints, merged into the API document.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        upload_evidence,
        list_evidence,
        download_evidence,
        list_custody,
        hand_over,
        list_indicators,
        add_indicator,
        extract_indicators,
        delete_indicator
    ),
    components(schemas(
        EvidenceOut,
        CustodyOut,
        HandOverBody,
        IndicatorOut,
        SeenOut,
        IndicatorBody,
        ExtractBody
    ))
)]
pub struct EvidenceDoc;

/// Routes of the evidence API.
pub(crate) fn router() -> Router<State> {
    Router::new()
        .route(
            "/api/v1/incidents/{id}/evidence",
            get(list_evidence)
                .post(upload_evidence)
                .layer(DefaultBodyLimit::max(
                    usize::try_from(core_evidence::DEFAULT_LIMIT).unwrap_or(usize::MAX),
                )),
        )
        .route("/api/v1/evidence/{id}/download", get(download_evidence))
        .route(
            "/api/v1/evidence/{id}/custody",
            get(list_custody).post(hand_over),
        )
        .route(
            "/api/v1/incidents/{id}/indicators",
            get(list_indicators).post(add_indicator),
        )
        .route(
            "/api/v1/incidents/{id}/indicators/extract",
            post(extract_indicators),
        )
        .route("/api/v1/indicators/{id}", delete(delete_indicator))
}

/// An evidence file.
#[derive(Debug, Serialize, ToSchema)]
pub struct EvidenceOut {
    pub id: Uuid,
    pub incident_id: Uuid,
    pub sha256: String,
    pub sha1: String,
    pub md5: String,
    /// Bytes.
    pub size: i64,
    /// The uploaded name, sanitised (display only).
    pub original_name: String,
    /// Sniffed from the content.
    pub media_type: String,
    /// Malware kept as evidence.
    pub malicious_sample: bool,
    pub description: String,
    pub collected_by: String,
    pub collected_at: String,
    pub collected_where: String,
    pub created_at: String,
    /// Where to download it.
    pub download_url: String,
}

impl From<Evidence> for EvidenceOut {
    fn from(e: Evidence) -> Self {
        EvidenceOut {
            download_url: format!("/api/v1/evidence/{}/download", e.id),
            id: e.id,
            incident_id: e.incident_id,
            sha256: e.sha256,
            sha1: e.sha1,
            md5: e.md5,
            size: e.size,
            original_name: e.original_name,
            media_type: e.media_type,
            malicious_sample: e.malicious_sample,
            description: e.description,
            collected_by: e.collected_by,
            collected_at: rfc3339(e.collected_at),
            collected_where: e.collected_where,
            created_at: rfc3339(e.created_at),
        }
    }
}

/// An entry of the chain of custody.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustodyOut {
    pub id: Uuid,
    /// `collected`, `handed_over`, `downloaded`.
    pub kind: String,
    pub actor: String,
    pub to_whom: Option<String>,
    pub note: Option<String>,
    pub at: String,
}

impl From<CustodyEvent> for CustodyOut {
    fn from(c: CustodyEvent) -> Self {
        CustodyOut {
            id: c.id,
            kind: c.kind,
            actor: c.actor,
            to_whom: c.to_whom,
            note: c.note,
            at: rfc3339(c.at),
        }
    }
}

/// A hand-over of a file or its medium.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HandOverBody {
    /// To whom.
    pub to_whom: String,
    #[serde(default)]
    pub note: String,
}

/// Another incident with the same indicator.
#[derive(Debug, Serialize, ToSchema)]
pub struct SeenOut {
    pub id: Uuid,
    pub title: String,
}

/// An indicator of compromise.
#[derive(Debug, Serialize, ToSchema)]
pub struct IndicatorOut {
    pub id: Uuid,
    pub incident_id: Uuid,
    /// `ip`, `domain`, `url`, `sha256`, `sha1`, `md5`, `email`, `cve`, `filename`, `registry_key`.
    pub kind: String,
    /// Normalised.
    pub value: String,
    pub tlp: String,
    /// `manual` or `extracted`.
    pub source: String,
    pub created_by: String,
    pub created_at: String,
    /// Other incidents you may read with the same kind and value (at most 20).
    pub seen_in: Vec<SeenOut>,
}

impl From<Indicator> for IndicatorOut {
    fn from(i: Indicator) -> Self {
        IndicatorOut {
            id: i.id,
            incident_id: i.incident_id,
            kind: i.kind.as_str().into(),
            value: i.value,
            tlp: i.tlp.as_str().into(),
            source: i.source,
            created_by: i.created_by,
            created_at: rfc3339(i.created_at),
            seen_in: Vec::new(),
        }
    }
}

impl From<IndicatorView> for IndicatorOut {
    fn from(v: IndicatorView) -> Self {
        let mut o = IndicatorOut::from(v.indicator);
        o.seen_in = v
            .seen_in
            .into_iter()
            .map(|s| SeenOut {
                id: s.id,
                title: s.title,
            })
            .collect();
        o
    }
}

/// An indicator added by hand.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IndicatorBody {
    pub kind: String,
    /// Defanged forms are accepted.
    pub value: String,
    /// Empty: the incident's TLP.
    #[serde(default)]
    pub tlp: String,
}

/// Free text to extract indicators from.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtractBody {
    pub text: String,
}

/// What the uploader says about the file (the body is the file itself).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
pub struct UploadQuery {
    /// The file's name (display only).
    pub name: String,
    pub description: String,
    pub collected_where: String,
    /// RFC 3339 (empty: now).
    pub collected_at: String,
    pub malicious_sample: bool,
}

/// The answer to an upload over the limit.
pub(crate) fn too_large(ctx: &Ctx) -> Response {
    problem(
        ctx,
        StatusCode::PAYLOAD_TOO_LARGE,
        ctx.t("evidence.err.too_large"),
        vec![],
    )
}

/// Maps the core's errors, an oversized upload to 413.
pub(crate) fn evidence_problem(ctx: &Ctx, e: CoreError) -> Response {
    match e {
        CoreError::Invalid(v) if v.iter().any(|f| f.code == core_evidence::TOO_LARGE) => {
            too_large(ctx)
        }
        e => core_problem(ctx, e),
    }
}

/// Stores one upload (shared with the incident page).
pub(crate) async fn store_upload<S, E>(
    st: &State,
    ctx: &Ctx,
    id: Uuid,
    meta: Upload,
    body: S,
) -> Result<Evidence, Response>
where
    S: futures_util::Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    core_evidence::upload(&st.core, &ctx.actor(), id, meta, body)
        .await
        .map_err(|e| evidence_problem(ctx, e))
}

/// Uploads a file: the raw request body, streamed and hashed (SHA-256, SHA-1, MD5) into the
/// content-addressed store; the media type is sniffed from the bytes.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/evidence", params(("id" = Uuid, Path), UploadQuery), request_body(content = Vec<u8>, content_type = "application/octet-stream"), responses((status = 201, body = EvidenceOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn upload_evidence(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
    Query(q): Query<UploadQuery>,
    headers: axum::http::HeaderMap,
    body: Body,
) -> Response {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let limit = match core_evidence::limit(&st.core).await {
        Ok(l) => l,
        Err(e) => return core_problem(&ctx, e),
    };
    if declared.is_some_and(|n| n > limit) {
        return too_large(&ctx);
    }
    let meta = Upload {
        name: q.name,
        description: q.description,
        collected_where: q.collected_where,
        collected_at: q.collected_at,
        malicious_sample: q.malicious_sample,
    };
    match store_upload(&st, &ctx, id, meta, body.into_data_stream()).await {
        Ok(e) => ok(StatusCode::CREATED, EvidenceOut::from(e)),
        Err(r) => r,
    }
}

/// The files of an incident.
#[utoipa::path(get, path = "/api/v1/incidents/{id}/evidence", params(("id" = Uuid, Path)), responses((status = 200, body = Vec<EvidenceOut>), (status = 404, body = Problem)))]
pub(crate) async fn list_evidence(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
) -> Response {
    match core_evidence::list(&st.core, &ctx.actor(), id).await {
        Ok(v) => ok(
            StatusCode::OK,
            v.into_iter().map(EvidenceOut::from).collect::<Vec<_>>(),
        ),
        Err(e) => core_problem(&ctx, e),
    }
}

/// The file's bytes as an attachment, never rendered; read in 64 KiB chunks.
pub(crate) async fn attachment(ctx: &Ctx, e: &Evidence, path: PathBuf) -> Response {
    let file = match tokio::fs::File::open(path).await {
        Ok(f) => f,
        Err(err) => {
            return core_problem(ctx, CoreError::Internal(format!("blob: {err}")));
        }
    };
    let stream = futures_util::stream::unfold(Some(file), |f| async move {
        let mut f = f?;
        let mut buf = vec![0u8; 64 * 1024];
        match f.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok::<_, std::io::Error>(Bytes::from(buf)), Some(f)))
            }
            Err(e) => Some((Err(e), None)),
        }
    });
    let mut r = Response::new(Body::from_stream(stream));
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    if let Ok(v) = HeaderValue::from_str(&ungcuu_domain::evidence::content_disposition(
        &e.original_name,
    )) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(e.size));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// Downloads a file (`Content-Disposition: attachment`, `application/octet-stream`,
/// `nosniff`, `sandbox`); each download is recorded in the chain of custody and the audit log.
#[utoipa::path(get, path = "/api/v1/evidence/{id}/download", params(("id" = Uuid, Path)), responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub(crate) async fn download_evidence(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
) -> Response {
    match core_evidence::download(&st.core, &ctx.actor(), id).await {
        Ok((e, path)) => attachment(&ctx, &e, path).await,
        Err(e) => core_problem(&ctx, e),
    }
}

/// The chain of custody of a file.
#[utoipa::path(get, path = "/api/v1/evidence/{id}/custody", params(("id" = Uuid, Path)), responses((status = 200, body = Vec<CustodyOut>), (status = 404, body = Problem)))]
pub(crate) async fn list_custody(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
) -> Response {
    match core_evidence::custody(&st.core, &ctx.actor(), id).await {
        Ok(v) => ok(
            StatusCode::OK,
            v.into_iter().map(CustodyOut::from).collect::<Vec<_>>(),
        ),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Records a hand-over of the file or its medium.
#[utoipa::path(post, path = "/api/v1/evidence/{id}/custody", params(("id" = Uuid, Path)), request_body = HandOverBody, responses((status = 201, body = CustodyOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn hand_over(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
    ApiJson(b): ApiJson<HandOverBody>,
) -> Response {
    match core_evidence::hand_over(&st.core, &ctx.actor(), id, &b.to_whom, &b.note).await {
        Ok(c) => ok(StatusCode::CREATED, CustodyOut::from(c)),
        Err(e) => core_problem(&ctx, e),
    }
}

/// The indicators of an incident, each with the other incidents you may read that have it.
#[utoipa::path(get, path = "/api/v1/incidents/{id}/indicators", params(("id" = Uuid, Path)), responses((status = 200, body = Vec<IndicatorOut>), (status = 404, body = Problem)))]
pub(crate) async fn list_indicators(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
) -> Response {
    match core_evidence::indicators(&st.core, &ctx.actor(), id).await {
        Ok(v) => ok(
            StatusCode::OK,
            v.into_iter().map(IndicatorOut::from).collect::<Vec<_>>(),
        ),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Adds an indicator by hand (normalised).
#[utoipa::path(post, path = "/api/v1/incidents/{id}/indicators", params(("id" = Uuid, Path)), request_body = IndicatorBody, responses((status = 201, body = IndicatorOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn add_indicator(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
    ApiJson(b): ApiJson<IndicatorBody>,
) -> Response {
    match core_evidence::add_indicator(&st.core, &ctx.actor(), id, &b.kind, &b.value, &b.tlp).await
    {
        Ok(i) => ok(StatusCode::CREATED, IndicatorOut::from(i)),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Extracts indicators from text (defanged forms understood) and adds the new ones.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/indicators/extract", params(("id" = Uuid, Path)), request_body = ExtractBody, responses((status = 200, body = Vec<IndicatorOut>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub(crate) async fn extract_indicators(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
    ApiJson(b): ApiJson<ExtractBody>,
) -> Response {
    match core_evidence::extract(&st.core, &ctx.actor(), id, &b.text).await {
        Ok(v) => ok(
            StatusCode::OK,
            v.into_iter().map(IndicatorOut::from).collect::<Vec<_>>(),
        ),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Deletes an indicator.
#[utoipa::path(delete, path = "/api/v1/indicators/{id}", params(("id" = Uuid, Path)), responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub(crate) async fn delete_indicator(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
) -> Response {
    match core_evidence::delete_indicator(&st.core, &ctx.actor(), id).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => core_problem(&ctx, e),
    }
}
