//! API of the legal documents (Mẫu 03, 04, 05): list, create a draft from the data, read, edit
//! a draft, issue, make a new version, download the PDF or DOCX, send by e-mail (also to
//! chosen network members), record a sending by letter or fax and download its scan.

use super::extract::ApiId;
use super::extract::{ApiJson, Caller, Paging, path_id};
use super::{Problem, ok};
use crate::State;
use crate::ctx::Ctx;
use crate::error::core_problem;
use axum::Router;
use axum::extract::{Path, Query};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use ungcuu_core::documents::{self as core_documents, DocumentView, NewDocument, Rendered};
use ungcuu_core::sending::SendOutcome;
use ungcuu_domain::timefmt::rfc3339;
use ungcuu_store::documents::{Document, DocumentFilter};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// The description of these endpoints, merged into the API document.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        list_documents,
        create_document,
        get_document,
        edit_document,
        issue_document,
        new_version,
        download_pdf,
        download_docx,
        send_document,
        approve_send,
        record_by_hand,
        list_hand_sendings,
        download_scan,
        list_network_members
    ),
    components(schemas(
        DocumentOut,
        DocumentCreate,
        DocumentEdit,
        DocumentSend,
        SentOut,
        SendOut,
        HandRecordedOut,
        HandSendingOut,
        NetworkMemberOut
    ))
)]
pub struct DocumentsDoc;

/// Routes of the documents API.
pub(crate) fn router() -> Router<State> {
    Router::new()
        .route(
            "/api/v1/documents",
            get(list_documents).post(create_document),
        )
        .route(
            "/api/v1/documents/{id}",
            get(get_document).put(edit_document),
        )
        .route("/api/v1/documents/{id}/issue", post(issue_document))
        .route("/api/v1/documents/{id}/versions", post(new_version))
        .route("/api/v1/documents/{id}/pdf", get(download_pdf))
        .route("/api/v1/documents/{id}/docx", get(download_docx))
        .route("/api/v1/documents/{id}/send", post(send_document))
        .route("/api/v1/documents/{id}/send/approve", post(approve_send))
        .route(
            "/api/v1/documents/{id}/sendings",
            get(list_hand_sendings)
                .post(record_by_hand)
                .layer(axum::extract::DefaultBodyLimit::max(SCAN_LIMIT)),
        )
        .route(
            "/api/v1/documents/{id}/sendings/{sending}/scan",
            get(download_scan),
        )
        .route("/api/v1/network-members", get(list_network_members))
}

/// A document.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentOut {
    pub id: Uuid,
    /// `mau03`, `mau04` or `mau05`.
    pub form: String,
    /// The incident (null for Mẫu 05).
    pub incident_id: Option<Uuid>,
    /// The issuing organisation.
    pub org_id: Uuid,
    /// `draft` or `issued`.
    pub status: String,
    pub version: i64,
    /// The issued document this one replaces.
    pub supersedes: Option<Uuid>,
    /// Number and symbol, once issued (`3/BC-STTTT`).
    pub number: Option<String>,
    pub issued_at: Option<String>,
    /// SHA-256 of the frozen PDF (hex), once issued.
    pub pdf_sha256: Option<String>,
    /// SHA-256 of the frozen DOCX (hex), once issued.
    pub docx_sha256: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// The form's fields (the structure of `ungcuu-reports`' `Mau03`, `Mau04` or `Mau05`);
    /// only in answers about one document.
    #[schema(value_type = Option<Object>)]
    pub data: Option<serde_json::Value>,
    /// The caller may edit, issue and make new versions (one document only).
    pub can_write: Option<bool>,
}

impl DocumentOut {
    fn row(d: Document) -> Self {
        DocumentOut {
            id: d.id,
            form: d.form,
            incident_id: d.incident_id,
            org_id: d.org_id,
            status: d.status,
            version: d.version,
            supersedes: d.supersedes,
            number: d.number,
            issued_at: d.issued_at.map(rfc3339),
            pdf_sha256: d.pdf_sha256,
            docx_sha256: d.docx_sha256,
            created_at: rfc3339(d.created_at),
            updated_at: rfc3339(d.updated_at),
            data: None,
            can_write: None,
        }
    }

    fn view(v: DocumentView) -> Self {
        let data = v.data.to_value();
        DocumentOut {
            data: Some(data),
            can_write: Some(v.can_write),
            ..DocumentOut::row(v.document)
        }
    }
}

/// A new draft made from the data: Mẫu 03 or 04 from `incident_id`, Mẫu 05 for a period from
/// the province's incidents (`org_id` is the issuing coordinator organisation).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentCreate {
    /// `mau03`, `mau04` or `mau05`.
    pub form: String,
    pub incident_id: Option<Uuid>,
    pub org_id: Option<Uuid>,
    /// Mẫu 05: `six_months` (default) or `annual`.
    #[serde(default)]
    pub period_kind: String,
    /// Mẫu 05: first month, `YYYY-MM`.
    #[serde(default)]
    pub period_from: String,
    /// Mẫu 05: last month, `YYYY-MM`.
    #[serde(default)]
    pub period_to: String,
}

/// The whole form of a draft (as `data` of a document reads); the number and date are set on
/// issue.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentEdit {
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct DocumentQuery {
    /// Only this incident's documents.
    incident: Option<Uuid>,
    /// Only this form.
    form: Option<String>,
}

/// Documents the caller may read, newest first.
#[utoipa::path(get, path = "/api/v1/documents", params(DocumentQuery, Paging), responses((status = 200, body = super::dto::PageOut<DocumentOut>), (status = 404, body = Problem)))]
pub(crate) async fn list_documents(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    Query(q): Query<DocumentQuery>,
    Query(p): Query<Paging>,
) -> Response {
    let after = match p.after_uuid(&ctx) {
        Ok(a) => a,
        Err(r) => return r,
    };
    let filter = DocumentFilter {
        incident: q.incident,
        form: q.form.filter(|f| !f.trim().is_empty()),
        ..Default::default()
    };
    match core_documents::list(&st.core, &ctx.actor(), filter, after, p.limit).await {
        Ok(page) => ok(
            StatusCode::OK,
            super::dto::PageOut {
                items: page.items.into_iter().map(DocumentOut::row).collect(),
                next: page.next,
            },
        ),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Creates a draft from the data.
#[utoipa::path(post, path = "/api/v1/documents", request_body = DocumentCreate, responses((status = 201, body = DocumentOut), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn create_document(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiJson(b): ApiJson<DocumentCreate>,
) -> Response {
    let new = NewDocument {
        form: b.form,
        incident_id: b.incident_id,
        org_id: b.org_id,
        period_kind: b.period_kind,
        period_from: b.period_from,
        period_to: b.period_to,
    };
    match core_documents::create(&st.core, &ctx.actor(), new).await {
        Ok(v) => ok(StatusCode::CREATED, DocumentOut::view(v)),
        Err(e) => core_problem(&ctx, e),
    }
}

fn id_of(ctx: &Ctx, id: &str) -> Result<Uuid, Response> {
    path_id(ctx, id)
}

/// One document with its form data.
#[utoipa::path(get, path = "/api/v1/documents/{id}", params(("id" = Uuid, Path)), responses((status = 200, body = DocumentOut), (status = 404, body = Problem)))]
pub(crate) async fn get_document(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
) -> Response {
    match core_documents::get(&st.core, &ctx.actor(), id).await {
        Ok(v) => ok(StatusCode::OK, DocumentOut::view(v)),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Replaces a draft's form data; an issued document is refused (make a new version).
#[utoipa::path(put, path = "/api/v1/documents/{id}", params(("id" = Uuid, Path)), request_body = DocumentEdit, responses((status = 200, body = DocumentOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn edit_document(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
    ApiJson(b): ApiJson<DocumentEdit>,
) -> Response {
    match core_documents::edit(&st.core, &ctx.actor(), id, b.data).await {
        Ok(v) => ok(StatusCode::OK, DocumentOut::view(v)),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Issues a draft: mandatory (*) fields are checked (the problem lists every empty one), the
/// number comes from the organisation's register, the PDF and DOCX are frozen.
#[utoipa::path(post, path = "/api/v1/documents/{id}/issue", params(("id" = Uuid, Path)), responses((status = 200, body = DocumentOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn issue_document(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
) -> Response {
    match core_documents::issue(&st.core, &ctx.actor(), id).await {
        Ok(v) => ok(StatusCode::OK, DocumentOut::view(v)),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Copies an issued document into a new draft (one version more).
#[utoipa::path(post, path = "/api/v1/documents/{id}/versions", params(("id" = Uuid, Path)), responses((status = 201, body = DocumentOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn new_version(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
) -> Response {
    match core_documents::new_version(&st.core, &ctx.actor(), id).await {
        Ok(v) => ok(StatusCode::CREATED, DocumentOut::view(v)),
        Err(e) => core_problem(&ctx, e),
    }
}

/// A rendered file as an attachment with a file name built by the server.
pub(crate) fn file_response(r: Rendered) -> Response {
    let mut res = r.bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(r.media_type));
    if let Ok(v) =
        HeaderValue::from_str(&ungcuu_domain::evidence::content_disposition(&r.file_name))
    {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

async fn download(st: &State, ctx: &Ctx, id: &str, format: &str) -> Response {
    let id = match id_of(ctx, id) {
        Ok(i) => i,
        Err(r) => return r,
    };
    match core_documents::download(&st.core, &ctx.actor(), id, format).await {
        Ok(r) => file_response(r),
        Err(e) => core_problem(ctx, e),
    }
}

/// The PDF: the frozen bytes of an issued document, a preview of a draft.
#[utoipa::path(get, path = "/api/v1/documents/{id}/pdf", params(("id" = Uuid, Path)), responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 404, body = Problem)))]
pub(crate) async fn download_pdf(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    Path(id): Path<String>,
) -> Response {
    download(&st, &ctx, &id, "pdf").await
}

/// The DOCX: the frozen bytes of an issued document, a preview of a draft.
#[utoipa::path(get, path = "/api/v1/documents/{id}/docx", params(("id" = Uuid, Path)), responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", body = Vec<u8>), (status = 404, body = Problem)))]
pub(crate) async fn download_docx(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    Path(id): Path<String>,
) -> Response {
    download(&st, &ctx, &id, "docx").await
}

/// Whom to send an issued document to.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentSend {
    /// Any of `owner`, `coordinator`, `national`, `network_member`; empty or absent: the
    /// recipients the law names for the form (Mẫu 03 and 04: the first three; Mẫu 05:
    /// `national`). `network_member` needs `members`.
    #[serde(default)]
    pub parties: Vec<String>,
    /// Mẫu 03 and 04: the responsible network member organisations to send to as well (ids
    /// from `GET /api/v1/network-members`). Each must be a member (a member code in its
    /// profile) with an address (intake e-mail or e-mail); otherwise each one refused is named
    /// under `members` and nothing is sent.
    #[serde(default)]
    pub members: Vec<Uuid>,
}

/// One e-mail queued.
#[derive(Debug, Serialize, ToSchema)]
pub struct SentOut {
    /// `owner`, `coordinator`, `national` or `network_member`.
    pub party: String,
    /// The member organisation, for `network_member`.
    pub org_id: Option<Uuid>,
    pub to: String,
    /// The outbox message (delivery is retried by the job worker).
    pub mail_id: Uuid,
}

/// Sends an issued document by e-mail (subject `[TBSC] …`, PDF and DOCX attached; the
/// national coordinator also gets `.json` and `.json.sig`, the bundle and its detached Ed25519
/// signature). A draft, or a recipient without an address, is refused. Stops the incident's
/// notification (Mẫu 03) or final report (Mẫu 04) clock.
#[utoipa::path(post, path = "/api/v1/documents/{id}/send", params(("id" = Uuid, Path)), request_body = DocumentSend, responses((status = 202, body = SendOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn send_document(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
    ApiJson(b): ApiJson<DocumentSend>,
) -> Response {
    match ungcuu_core::sending::send(&st.core, &ctx.actor(), id, &b.parties, &b.members).await {
        Ok(SendOutcome::Queued(sent)) => ok(StatusCode::ACCEPTED, SendOut::queued(sent)),
        Ok(SendOutcome::AwaitingApproval(r)) => ok(
            StatusCode::ACCEPTED,
            SendOut {
                sent: Vec::new(),
                awaiting_approval: Some(r),
            },
        ),
        Err(e) => core_problem(&ctx, e),
    }
}

/// What a sending did.
#[derive(Debug, Serialize, ToSchema)]
pub struct SendOut {
    /// The e-mails queued (empty while waiting for approval).
    pub sent: Vec<SentOut>,
    /// With the setting `documents.national_approval` on: the request waiting for a second
    /// person (`POST …/send/approve`).
    pub awaiting_approval: Option<Uuid>,
}

impl SendOut {
    fn queued(sent: Vec<ungcuu_core::sending::Sent>) -> Self {
        SendOut {
            sent: sent
                .into_iter()
                .map(|s| SentOut {
                    party: s.party.as_str().into(),
                    org_id: s.org_id,
                    to: s.to,
                    mail_id: s.mail_id,
                })
                .collect(),
            awaiting_approval: None,
        }
    }
}

/// Approves a sending waiting for a second person (not the one who asked) and sends it.
#[utoipa::path(post, path = "/api/v1/documents/{id}/send/approve", params(("id" = Uuid, Path)), responses((status = 202, body = SendOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn approve_send(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
) -> Response {
    match ungcuu_core::sending::approve(&st.core, &ctx.actor(), id).await {
        Ok(sent) => ok(StatusCode::ACCEPTED, SendOut::queued(sent)),
        Err(e) => core_problem(&ctx, e),
    }
}

/// The largest scan of a letter or fax accepted (20 MiB).
pub(crate) const SCAN_LIMIT: usize = 20 * 1024 * 1024;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct HandQuery {
    /// `letter` or `fax`.
    channel: String,
    /// To whom, as written on the letter.
    recipients: String,
    /// Letter number, fax receipt, …
    #[serde(default)]
    note: String,
}

/// A sending by letter or fax recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct HandRecordedOut {
    /// The sending (its scan: `GET …/sendings/{id}/scan`).
    pub id: Uuid,
    /// The media type recognised from the scan's bytes (`application/pdf`, `image/png`,
    /// `image/jpeg`, `image/gif`, `image/tiff`, else `application/octet-stream`).
    pub scan_media_type: String,
    /// SHA-256 of the scan kept.
    pub scan_sha256: String,
    /// `notification`, `final_report` or null.
    pub stops_clock: Option<String>,
}

/// Records that an issued document went by letter or fax; the request body is the scan
/// (raw bytes, up to 20 MiB). Stops the incident's clock like an e-mail sending.
#[utoipa::path(post, path = "/api/v1/documents/{id}/sendings", params(("id" = Uuid, Path), HandQuery), request_body(content = Vec<u8>, content_type = "application/octet-stream"), responses((status = 201, body = HandRecordedOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn record_by_hand(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
    Query(q): Query<HandQuery>,
    body: axum::body::Bytes,
) -> Response {
    let h = ungcuu_core::letters::HandSending {
        channel: q.channel,
        recipients: q.recipients,
        note: q.note,
    };
    match ungcuu_core::letters::record_by_hand(&st.core, &ctx.actor(), id, h, &body).await {
        Ok(r) => ok(
            StatusCode::CREATED,
            HandRecordedOut {
                id: r.id,
                scan_media_type: r.media_type.into(),
                scan_sha256: r.scan_sha256,
                stops_clock: r.stops_clock.map(|k| k.as_str().to_string()),
            },
        ),
        Err(e) => core_problem(&ctx, e),
    }
}

/// A sending by letter or fax of a document.
#[derive(Debug, Serialize, ToSchema)]
pub struct HandSendingOut {
    pub id: Uuid,
    /// `letter` or `fax`.
    pub channel: String,
    /// To whom, as written on the letter.
    pub recipients: String,
    pub note: Option<String>,
    pub scan_sha256: String,
    pub scan_media_type: String,
    pub scan_size: i64,
    pub created_at: String,
    /// Where the scan is downloaded.
    pub scan_url: String,
}

/// The sendings of a document by letter or fax, oldest first (whoever reads the document).
#[utoipa::path(get, path = "/api/v1/documents/{id}/sendings", params(("id" = Uuid, Path)), responses((status = 200, body = Vec<HandSendingOut>), (status = 404, body = Problem)))]
pub(crate) async fn list_hand_sendings(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
) -> Response {
    match ungcuu_core::letters::hand_sendings(&st.core, &ctx.actor(), id).await {
        Ok(list) => ok(
            StatusCode::OK,
            list.into_iter()
                .map(|h| HandSendingOut {
                    scan_url: format!("/api/v1/documents/{id}/sendings/{}/scan", h.id),
                    id: h.id,
                    channel: h.channel,
                    recipients: h.recipients,
                    note: h.note,
                    scan_sha256: h.scan_sha256,
                    scan_media_type: h.scan_media_type,
                    scan_size: h.scan_size,
                    created_at: rfc3339(h.created_at),
                })
                .collect::<Vec<_>>(),
        ),
        Err(e) => core_problem(&ctx, e),
    }
}

/// The scan of a sending by letter or fax, byte for byte, always as an attachment with a file
/// name built by the server (`nosniff`, sandboxed). Whoever reads the document may download it;
/// anyone else gets 404.
#[utoipa::path(get, path = "/api/v1/documents/{id}/sendings/{sending}/scan", params(("id" = Uuid, Path), ("sending" = Uuid, Path)), responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>), (status = 404, body = Problem)))]
pub(crate) async fn download_scan(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    Path((id, sending)): Path<(String, String)>,
) -> Response {
    let (id, sending) = match (id_of(&ctx, &id), id_of(&ctx, &sending)) {
        (Ok(i), Ok(s)) => (i, s),
        (Err(r), _) | (_, Err(r)) => return r,
    };
    match ungcuu_core::letters::scan(&st.core, &ctx.actor(), id, sending).await {
        Ok(r) => file_response(r),
        Err(e) => core_problem(&ctx, e),
    }
}

/// A member of the national response network (an organisation with a member code).
#[derive(Debug, Serialize, ToSchema)]
pub struct NetworkMemberOut {
    pub org_id: Uuid,
    pub name: String,
    /// Mã thành viên mạng lưới.
    pub code: String,
    /// False when it has no address yet (a sending to it would be refused).
    pub has_address: bool,
}

/// The members of the national response network that Mẫu 03 and 04 may also be sent to by the
/// caller: those of its part of the tree, and the province's response bodies and national bodies.
#[utoipa::path(get, path = "/api/v1/network-members", responses((status = 200, body = Vec<NetworkMemberOut>)))]
pub(crate) async fn list_network_members(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
) -> Response {
    match ungcuu_core::sending::network_members(&st.core, &ctx.actor()).await {
        Ok(list) => ok(
            StatusCode::OK,
            list.into_iter()
                .map(|m| NetworkMemberOut {
                    org_id: m.org_id,
                    name: m.name,
                    code: m.code,
                    has_address: m.address.is_some(),
                })
                .collect::<Vec<_>>(),
        ),
        Err(e) => core_problem(&ctx, e),
    }
}
