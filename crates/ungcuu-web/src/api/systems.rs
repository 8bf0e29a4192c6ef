//! API of the information systems registry: list with filters, create, read, change, delete,
//! history, CSV export and the CSV import with its dry run.

use super::dto::PageOut;
use super::extract::ApiId;
use super::extract::{ApiJson, Caller, Paging, double_option};
use super::{Problem, ok};
use crate::State;
use crate::ctx::Ctx;
use crate::error::{core_problem, problem};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, Query, Request};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use ungcuu_core::systems::{self as core_systems, ImportReport, NewSystem, SystemChanges};
use ungcuu_domain::systems::{LevelStatus, SoftwareFields, SystemFields, format_date};
use ungcuu_store::systems::{Missing, OrgRef, System, SystemFilter};
use utoipa::ToSchema;
use uuid::Uuid;

/// Largest CSV import: far above the 1 MiB of other requests, so a province's registry fits
/// in one file.
pub const IMPORT_LIMIT: usize = 10 * 1024 * 1024;

/// The description of these endpoints, merged into the API document.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        list_systems,
        create_system,
        get_system,
        patch_system,
        delete_system,
        system_history,
        export_csv,
        import_csv
    ),
    components(schemas(
        SystemOut,
        SystemCreate,
        SystemPatch,
        SoftwareItem,
        OrgRefOut,
        HistoryOut,
        SystemImportOut,
        ImportProblem
    ))
)]
pub struct SystemsDoc;

/// Routes of the registry API.
pub(crate) fn router() -> Router<State> {
    Router::new()
        .route("/api/v1/systems", get(list_systems).post(create_system))
        .route("/api/v1/systems/export.csv", get(export_csv))
        .route(
            "/api/v1/systems/import",
            post(import_csv).layer(DefaultBodyLimit::max(IMPORT_LIMIT)),
        )
        .route(
            "/api/v1/systems/{id}",
            get(get_system).patch(patch_system).delete(delete_system),
        )
        .route("/api/v1/systems/{id}/history", get(system_history))
}

/// An organisation as a system names it.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrgRefOut {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
}

impl From<OrgRef> for OrgRefOut {
    fn from(o: OrgRef) -> Self {
        OrgRefOut {
            id: o.id,
            slug: o.slug,
            name: o.name,
        }
    }
}

/// One software product.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SoftwareItem {
    pub vendor: Option<String>,
    pub product: String,
    pub version: Option<String>,
    /// CPE 2.3 name (`cpe:2.3:a:vendor:product:version:*:*:*:*:*:*:*`), when known.
    pub cpe: Option<String>,
}

impl From<SoftwareItem> for SoftwareFields {
    fn from(s: SoftwareItem) -> Self {
        SoftwareFields {
            vendor: s.vendor.unwrap_or_default(),
            product: s.product,
            version: s.version.unwrap_or_default(),
            cpe: s.cpe.unwrap_or_default(),
        }
    }
}

/// An information system.
#[derive(Debug, Serialize, ToSchema)]
pub struct SystemOut {
    pub id: Uuid,
    /// The owner (cơ quan chủ quản).
    pub owner: OrgRefOut,
    /// The operator (đơn vị vận hành).
    pub operator: Option<OrgRefOut>,
    pub name: String,
    pub purpose: Option<String>,
    pub security_provider: Option<String>,
    pub connectivity_provider: Option<String>,
    /// 1-5.
    pub security_level: Option<i64>,
    /// `proposed`, `appraised` or `approved`; present exactly when a level is.
    pub level_status: Option<String>,
    pub approval_decision_no: Option<String>,
    /// `yyyy-mm-dd`.
    pub approval_date: Option<String>,
    /// The person who recorded the approval.
    pub approved_by: Option<Uuid>,
    /// `web`, `mail`, `database`, `other`.
    pub services: Vec<String>,
    pub os: Option<String>,
    pub os_version: Option<String>,
    pub software: Vec<SoftwareItem>,
    /// Public IP addresses and ranges, normalised.
    pub ips: Vec<String>,
    pub domains: Vec<String>,
    pub hostnames: Vec<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<System> for SystemOut {
    fn from(s: System) -> Self {
        let d = s.details;
        SystemOut {
            id: s.id,
            owner: s.owner.into(),
            operator: s.operator.map(Into::into),
            name: d.name,
            purpose: d.purpose,
            security_provider: d.security_provider,
            connectivity_provider: d.connectivity_provider,
            security_level: d.security_level,
            level_status: d.level_status.map(|x| x.as_str().into()),
            approval_decision_no: d.approval_decision_no,
            approval_date: d.approval_date.map(format_date),
            approved_by: s.approved_by,
            services: d.services.iter().map(|x| x.as_str().into()).collect(),
            os: d.os,
            os_version: d.os_version,
            software: d
                .software
                .into_iter()
                .map(|x| SoftwareItem {
                    vendor: x.vendor,
                    product: x.product,
                    version: x.version,
                    cpe: x.cpe,
                })
                .collect(),
            ips: d.ips,
            domains: d.domains,
            hostnames: d.hostnames,
            created_at: ungcuu_domain::timefmt::rfc3339(s.created_at),
            updated_at: ungcuu_domain::timefmt::rfc3339(s.updated_at),
        }
    }
}

/// A new system.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SystemCreate {
    pub owner_org_id: Uuid,
    /// An organisation you can see, or any contractor.
    pub operator_org_id: Option<Uuid>,
    pub name: String,
    pub purpose: Option<String>,
    pub security_provider: Option<String>,
    pub connectivity_provider: Option<String>,
    /// 1-5.
    pub security_level: Option<i64>,
    /// `proposed` (default with a level), `appraised` (coordinator), `approved` (approver of the owner).
    pub level_status: Option<String>,
    /// Required when approved.
    pub approval_decision_no: Option<String>,
    /// `yyyy-mm-dd` or `dd/mm/yyyy`, not after today; required when approved.
    pub approval_date: Option<String>,
    pub services: Option<Vec<String>>,
    pub os: Option<String>,
    pub os_version: Option<String>,
    pub software: Option<Vec<SoftwareItem>>,
    /// Public addresses or CIDR ranges.
    pub ips: Option<Vec<String>>,
    pub domains: Option<Vec<String>>,
    pub hostnames: Option<Vec<String>>,
}

/// Changes to a system; absent fields stay as they are, empty text clears, lists are replaced.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SystemPatch {
    pub owner_org_id: Option<Uuid>,
    /// A new operator, or null for none.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Uuid>)]
    pub operator_org_id: Option<Option<Uuid>>,
    pub name: Option<String>,
    pub purpose: Option<String>,
    pub security_provider: Option<String>,
    pub connectivity_provider: Option<String>,
    /// A new level, or null for none. A new level without a status is proposed.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub security_level: Option<Option<i64>>,
    pub level_status: Option<String>,
    pub approval_decision_no: Option<String>,
    pub approval_date: Option<String>,
    pub services: Option<Vec<String>>,
    pub os: Option<String>,
    pub os_version: Option<String>,
    pub software: Option<Vec<SoftwareItem>>,
    pub ips: Option<Vec<String>>,
    pub domains: Option<Vec<String>>,
    pub hostnames: Option<Vec<String>>,
}

/// One change of a system.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryOut {
    /// Position in the audit chain (`/api/v1/audit/{seq}` for those who read the audit log).
    pub seq: i64,
    pub occurred_at: String,
    pub actor: String,
    /// `system.create`, `system.update`, or `system.import` for a system an import created.
    pub action: String,
    /// Fields an update changed.
    pub changed: Vec<String>,
}

/// One problem of an import, with its line (1 is the header; null for the whole file).
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportProblem {
    pub line: Option<usize>,
    /// The column, or `ips[2]` for the third item of the `ips` cell.
    pub field: Option<String>,
    pub message: String,
    pub value: Option<String>,
}

/// The outcome of an import or of its dry run.
#[derive(Debug, Serialize, ToSchema)]
pub struct SystemImportOut {
    pub dry_run: bool,
    /// `UTF-8`, `UTF-8 (BOM)` or `Windows-1258`.
    pub encoding: Option<String>,
    /// Data rows read.
    pub rows: usize,
    /// Systems created (0 on a dry run).
    pub created: usize,
    /// SHA-256 of the file, as recorded in the audit log.
    pub content_sha256: String,
    pub errors: Vec<ImportProblem>,
}

/// Translated problems of an import report.
pub fn import_problems(ctx: &Ctx, r: &ImportReport) -> Vec<ImportProblem> {
    r.issues
        .iter()
        .map(|i| ImportProblem {
            line: i.line,
            field: i.field.clone(),
            message: ctx.t(i.code).into(),
            value: i.value.clone(),
        })
        .collect()
}

/// Filters of the list and the export.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct SystemQuery {
    /// Free text over name, purpose, providers, software and addresses (diacritics optional).
    q: Option<String>,
    /// Only this owner.
    owner: Option<Uuid>,
    /// Only this security level (1-5).
    level: Option<String>,
    /// Only this level status: `proposed`, `appraised`, `approved`.
    status: Option<String>,
    /// Only systems missing this: `level`, `operator`, `addresses`, `software`.
    missing: Option<String>,
}

fn invalid(ctx: &Ctx, field: &str, code: &str) -> Response {
    problem(
        ctx,
        StatusCode::UNPROCESSABLE_ENTITY,
        ctx.t("common.form_errors"),
        vec![(field.into(), ctx.t(code).into())],
    )
}

fn filter(ctx: &Ctx, q: SystemQuery) -> Result<SystemFilter, Response> {
    let text = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
    let level = match text(q.level) {
        None => None,
        Some(l) => match l.trim().parse::<i64>() {
            Ok(n) if (1..=5).contains(&n) => Some(n),
            _ => return Err(invalid(ctx, "level", "err.security_level")),
        },
    };
    let status = match text(q.status) {
        None => None,
        Some(s) => match s.parse::<LevelStatus>() {
            Ok(s) => Some(s),
            Err(()) => return Err(invalid(ctx, "status", "err.level_status")),
        },
    };
    let missing = match text(q.missing) {
        None => None,
        Some(m) => match m.parse::<Missing>() {
            Ok(m) => Some(m),
            Err(()) => return Err(invalid(ctx, "missing", "err.invalid")),
        },
    };
    Ok(SystemFilter {
        q: text(q.q),
        owner: q.owner,
        level,
        status,
        missing,
        ..Default::default()
    })
}

/// Information systems the caller may see: those of organisations they read, and those their
/// organisation operates.
#[utoipa::path(get, path = "/api/v1/systems", params(SystemQuery, Paging), responses((status = 200, body = PageOut<SystemOut>), (status = 422, body = Problem)))]
pub(crate) async fn list_systems(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    Query(q): Query<SystemQuery>,
    Query(p): Query<Paging>,
) -> Response {
    let after = match p.after_uuid(&ctx) {
        Ok(a) => a,
        Err(r) => return r,
    };
    let f = match filter(&ctx, q) {
        Ok(f) => f,
        Err(r) => return r,
    };
    match core_systems::list(&st.core, &ctx.actor(), f, after, p.limit).await {
        Ok(page) => ok(
            StatusCode::OK,
            PageOut {
                items: page.items.into_iter().map(SystemOut::from).collect(),
                next: page.next,
            },
        ),
        Err(e) => core_problem(&ctx, e),
    }
}

fn optional(v: Option<String>) -> String {
    v.unwrap_or_default()
}

/// Registers a system of an organisation whose systems the caller manages.
#[utoipa::path(post, path = "/api/v1/systems", request_body = SystemCreate, responses((status = 201, body = SystemOut), (status = 422, body = Problem)))]
pub(crate) async fn create_system(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiJson(b): ApiJson<SystemCreate>,
) -> Response {
    let new = NewSystem {
        owner_org_id: Some(b.owner_org_id),
        operator_org_id: b.operator_org_id,
        fields: SystemFields {
            name: b.name,
            purpose: optional(b.purpose),
            security_provider: optional(b.security_provider),
            connectivity_provider: optional(b.connectivity_provider),
            security_level: b.security_level,
            level_status: optional(b.level_status),
            approval_decision_no: optional(b.approval_decision_no),
            approval_date: optional(b.approval_date),
            services: b.services.unwrap_or_default(),
            os: optional(b.os),
            os_version: optional(b.os_version),
            software: b
                .software
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            ips: b.ips.unwrap_or_default(),
            domains: b.domains.unwrap_or_default(),
            hostnames: b.hostnames.unwrap_or_default(),
        },
    };
    match core_systems::create(&st.core, &ctx.actor(), new).await {
        Ok(s) => ok(StatusCode::CREATED, SystemOut::from(s)),
        Err(e) => core_problem(&ctx, e),
    }
}

/// One system.
#[utoipa::path(get, path = "/api/v1/systems/{id}", params(("id" = Uuid, Path)), responses((status = 200, body = SystemOut), (status = 404, body = Problem)))]
pub(crate) async fn get_system(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
) -> Response {
    match core_systems::get(&st.core, &ctx.actor(), id).await {
        Ok(s) => ok(StatusCode::OK, SystemOut::from(s)),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Changes a system.
#[utoipa::path(patch, path = "/api/v1/systems/{id}", params(("id" = Uuid, Path)), request_body = SystemPatch, responses((status = 200, body = SystemOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn patch_system(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
    ApiJson(b): ApiJson<SystemPatch>,
) -> Response {
    let ch = SystemChanges {
        owner_org_id: b.owner_org_id,
        operator_org_id: b.operator_org_id,
        name: b.name,
        purpose: b.purpose,
        security_provider: b.security_provider,
        connectivity_provider: b.connectivity_provider,
        security_level: b.security_level,
        level_status: b.level_status,
        approval_decision_no: b.approval_decision_no,
        approval_date: b.approval_date,
        services: b.services,
        os: b.os,
        os_version: b.os_version,
        software: b.software.map(|v| v.into_iter().map(Into::into).collect()),
        ips: b.ips,
        domains: b.domains,
        hostnames: b.hostnames,
    };
    match core_systems::update(&st.core, &ctx.actor(), id, ch).await {
        Ok(s) => ok(StatusCode::OK, SystemOut::from(s)),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Deletes a system from the registry (its history stays in the audit log).
#[utoipa::path(delete, path = "/api/v1/systems/{id}", params(("id" = Uuid, Path)), responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub(crate) async fn delete_system(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
) -> Response {
    match core_systems::delete(&st.core, &ctx.actor(), id).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => core_problem(&ctx, e),
    }
}

/// The changes of a system, newest first.
#[utoipa::path(get, path = "/api/v1/systems/{id}/history", params(("id" = Uuid, Path)), responses((status = 200, body = Vec<HistoryOut>), (status = 404, body = Problem)))]
pub(crate) async fn system_history(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
) -> Response {
    match core_systems::history(&st.core, &ctx.actor(), id).await {
        Ok(h) => ok(
            StatusCode::OK,
            h.into_iter()
                .map(|e| HistoryOut {
                    seq: e.seq,
                    occurred_at: ungcuu_domain::timefmt::from_db(&e.occurred_at)
                        .map(ungcuu_domain::timefmt::rfc3339)
                        .unwrap_or(e.occurred_at),
                    actor: e.actor,
                    action: e.action,
                    changed: e.changed,
                })
                .collect::<Vec<_>>(),
        ),
        Err(e) => core_problem(&ctx, e),
    }
}

/// The readable systems matching the filters as CSV (UTF-8 with BOM), in the columns the
/// import reads: `owner_slug,name,operator_slug,security_provider,connectivity_provider,purpose,security_level,level_status,approval_decision_no,approval_date,services,os,os_version,software,ips,domains,hostnames`.
#[utoipa::path(get, path = "/api/v1/systems/export.csv", params(SystemQuery), responses((status = 200, content_type = "text/csv", body = String), (status = 422, body = Problem)))]
pub(crate) async fn export_csv(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    Query(q): Query<SystemQuery>,
) -> Response {
    let f = match filter(&ctx, q) {
        Ok(f) => f,
        Err(r) => return r,
    };
    match core_systems::export_csv(&st.core, &ctx.actor(), f).await {
        Ok(csv) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"he-thong-thong-tin.csv\"",
                ),
            ],
            csv,
        )
            .into_response(),
        Err(e) => core_problem(&ctx, e),
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ImportQuery {
    /// Only check the file and report; write nothing.
    dry_run: Option<bool>,
}

/// Imports systems from a CSV file (`text/csv`, at most 10 MiB; UTF-8 with or without BOM, or
/// Windows-1258) in the export's columns; multi-value cells are separated by `;`, software
/// items read `vendor|product|version|cpe`. Every row is checked first: with `dry_run=true`, or
/// when any row is refused, nothing is written. A dry run answers 200 with the report; a
/// refused import answers 422 with every problem (line, field, message, value) in `errors`.
#[utoipa::path(post, path = "/api/v1/systems/import", params(ImportQuery), request_body(content = String, content_type = "text/csv"), responses((status = 200, body = SystemImportOut), (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn import_csv(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    Query(q): Query<ImportQuery>,
    req: Request,
) -> Response {
    let csv = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/csv") || v.starts_with("text/plain"));
    if !csv {
        return problem(
            &ctx,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Send the file as text/csv.",
            vec![],
        );
    }
    let body = match Bytes::from_request(req, &st).await {
        Ok(b) => b,
        Err(e) => return problem(&ctx, e.status(), &e.body_text(), vec![]),
    };
    let dry_run = q.dry_run.unwrap_or(false);
    match core_systems::import_csv(&st.core, &ctx.actor(), &body, dry_run).await {
        Ok(r) if r.is_ok() => ok(
            StatusCode::OK,
            SystemImportOut {
                dry_run: r.dry_run,
                encoding: r.encoding.map(str::to_string),
                rows: r.rows,
                created: r.created,
                content_sha256: r.content_sha256.clone(),
                errors: Vec::new(),
            },
        ),
        Ok(r) => import_problem(&ctx, &r),
        Err(e) => core_problem(&ctx, e),
    }
}

/// A refused import as problem details: each error carries its line, field and value.
fn import_problem(ctx: &Ctx, r: &ImportReport) -> Response {
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    let body = serde_json::json!({
        "type": "about:blank",
        "title": status.canonical_reason().unwrap_or("Error"),
        "status": status.as_u16(),
        "detail": ctx.t("import.refused"),
        "instance": format!("urn:request:{}", ctx.request_id),
        "dry_run": r.dry_run,
        "encoding": r.encoding,
        "rows": r.rows,
        "content_sha256": r.content_sha256,
        "errors": import_problems(ctx, r),
    });
    (
        status,
        [(
            header::CONTENT_TYPE,
            "application/problem+json; charset=utf-8",
        )],
        body.to_string(),
    )
        .into_response()
}
