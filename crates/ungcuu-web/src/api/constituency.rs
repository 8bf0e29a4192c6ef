//! API of the constituency: an organisation's IP ranges, domains and AS numbers, the CSV
//! import, the lookup "who is responsible for …?" and the conflicts between claims.

use super::dto::PageOut;
use super::extract::ApiId;
use super::extract::{ApiJson, Caller, Paging};
use super::{Problem, ok};
use crate::State;
use crate::ctx::Ctx;
use crate::error::{core_problem, problem};
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, Query, Request};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Router, extract};
use serde::{Deserialize, Serialize};
use ungcuu_core::constituency::{self as cs, Answer, Conflicts, ImportReport, NewEntry};
use ungcuu_domain::constituency::{Claim, Conflict, Entry, How, Kind, Query as Q, ReadFrom};
use ungcuu_store::constituency::StoredEntry;
use utoipa::ToSchema;
use uuid::Uuid;

/// Largest import file: far above the 1 MiB of other requests, as a province's constituency
/// in one file (tens of thousands of rows) must fit.
pub const IMPORT_LIMIT: usize = 10 * 1024 * 1024;

/// The description of these endpoints, merged into the API document.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        list_entries,
        create_entry,
        get_entry,
        delete_entry,
        lookup,
        conflicts,
        import
    ),
    components(schemas(
        EntryOut,
        EntryCreate,
        LookupOut,
        QueryOut,
        OwnerOut,
        FoundOut,
        ConflictOut,
        ClaimOut,
        ImportOut,
        RowProblem
    ))
)]
pub struct ConstituencyDoc;

/// Routes of the constituency API.
pub(crate) fn router() -> Router<State> {
    Router::new()
        .route(
            "/api/v1/organizations/{id}/constituency",
            get(list_entries).post(create_entry),
        )
        .route("/api/v1/constituency/lookup", get(lookup))
        .route("/api/v1/constituency/conflicts", get(conflicts))
        .route(
            "/api/v1/constituency/import",
            post(import).layer(DefaultBodyLimit::max(IMPORT_LIMIT)),
        )
        .route(
            "/api/v1/constituency/{id}",
            get(get_entry).delete(delete_entry),
        )
}

/// An entry of an organisation's constituency.
#[derive(Debug, Serialize, ToSchema)]
pub struct EntryOut {
    pub id: Uuid,
    pub organization_id: Uuid,
    /// `cidr`, `domain` or `asn`.
    pub kind: String,
    /// Normalised: `203.0.113.0/24`, `dongthap.gov.vn` (covers its subdomains), `AS45899`.
    pub value: String,
    /// `manual`, `system` (derived from an information system) or `import`.
    pub source: String,
    /// The information system it was derived from.
    pub source_ref: Option<String>,
    pub note: Option<String>,
    pub created_at: String,
}

impl From<StoredEntry> for EntryOut {
    fn from(e: StoredEntry) -> Self {
        EntryOut {
            id: e.id,
            organization_id: e.organization_id,
            kind: e.kind.as_str().into(),
            value: e.value,
            source: e.source.as_str().into(),
            source_ref: e.source_ref,
            note: e.note,
            created_at: ungcuu_domain::timefmt::rfc3339(e.created_at),
        }
    }
}

/// A new entry.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryCreate {
    /// `cidr`, `domain` or `asn`.
    pub kind: String,
    /// `203.0.113.0/24` (host bits zero; a bare address is one host), `2001:db8::/48`,
    /// `dongthap.gov.vn` (a leading `.` or `*.` is accepted), `AS45899` or `45899`.
    pub value: String,
    /// At most 500 characters.
    pub note: Option<String>,
}

/// The query as read.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueryOut {
    /// `ip`, `host` or `asn`.
    pub kind: String,
    /// The normalised address, host or AS number.
    pub value: String,
    /// `text`, `url` (the host of a URL) or `email` (the domain of an address).
    pub read_from: String,
}

/// The organisation that answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct OwnerOut {
    pub id: Uuid,
    pub name: String,
    pub short_name: Option<String>,
}

/// The claim that matched.
#[derive(Debug, Serialize, ToSchema)]
pub struct FoundOut {
    pub organization: OwnerOut,
    /// `cidr`, `domain` or `asn`.
    pub entry_kind: String,
    pub entry_value: String,
    /// `in_range`, `same_domain`, `subdomain` or `same_asn`.
    pub how: String,
    /// Another organisation claims the same entry; the earliest claim answers.
    pub contested: bool,
}

/// The answer to "who is responsible for …?".
#[derive(Debug, Serialize, ToSchema)]
pub struct LookupOut {
    pub query: QueryOut,
    /// Null when nobody claims it.
    pub found: Option<FoundOut>,
    /// The answer as a sentence in the caller's language.
    pub reason: String,
}

/// One claim named by a conflict.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClaimOut {
    pub entry_id: Uuid,
    pub organization_id: Uuid,
    pub organization_name: String,
    pub kind: String,
    pub value: String,
}

/// Overlapping claims of different organisations. `duplicate`: the same entry, every claim
/// earliest first (the first answers lookups). `nested`: the enclosing claim, then the enclosed
/// one (which answers for what it covers).
#[derive(Debug, Serialize, ToSchema)]
pub struct ConflictOut {
    /// `duplicate` or `nested`.
    pub kind: String,
    pub claims: Vec<ClaimOut>,
}

/// A refused import row.
#[derive(Debug, Serialize, ToSchema)]
pub struct RowProblem {
    /// Line of the file (1-based; 0 for the whole file).
    pub line: usize,
    /// `organization_slug`, `kind`, `value`, `note`, `line` or `file`.
    pub field: String,
    pub message: String,
}

/// The outcome of an import or of its dry run.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportOut {
    pub dry_run: bool,
    /// The entries were written (never on a dry run or with a refused row).
    pub written: bool,
    /// Data rows read.
    pub rows: usize,
    /// New entries (added, or to be added).
    pub added: usize,
    /// Rows already present, left as they are.
    pub existing: usize,
    /// SHA-256 of the file, as recorded in the audit log.
    pub sha256: String,
    pub errors: Vec<RowProblem>,
}

fn entry_kind(e: &Entry) -> &'static str {
    e.kind().as_str()
}

/// The answer as a sentence: "203.0.113.7 thuộc dải 203.0.113.0/24 do Sở Y tế quản lý."
pub fn reason(ctx: &Ctx, a: &Answer) -> String {
    let query = a.parsed.query.to_string();
    match &a.found {
        None => ctx.tf("constituency.reason.none", &[("query", &query)]),
        Some(f) => {
            let key = match f.how {
                How::InRange => "constituency.reason.in_range",
                How::SameDomain => "constituency.reason.same_domain",
                How::Subdomain => "constituency.reason.subdomain",
                How::SameAsn => "constituency.reason.same_asn",
            };
            let mut s = ctx.tf(
                key,
                &[
                    ("query", &query),
                    ("entry", &f.entry.to_string()),
                    ("org", &f.org.name),
                ],
            );
            if f.contested {
                s.push(' ');
                s.push_str(ctx.t("constituency.contested"));
            }
            s
        }
    }
}

/// The kind of a query, as the API names it.
pub fn query_kind(q: &Q) -> &'static str {
    match q {
        Q::Ip(_) => "ip",
        Q::Host(_) => "host",
        Q::Asn(_) => "asn",
    }
}

fn lookup_out(ctx: &Ctx, a: &Answer) -> LookupOut {
    LookupOut {
        query: QueryOut {
            kind: query_kind(&a.parsed.query).into(),
            value: a.parsed.query.to_string(),
            read_from: match a.parsed.read_from {
                ReadFrom::Text => "text",
                ReadFrom::Url => "url",
                ReadFrom::Email => "email",
            }
            .into(),
        },
        found: a.found.as_ref().map(|f| FoundOut {
            organization: OwnerOut {
                id: f.org.id,
                name: f.org.name.clone(),
                short_name: f.org.short_name.clone(),
            },
            entry_kind: entry_kind(&f.entry).into(),
            entry_value: f.entry.to_string(),
            how: f.how.as_str().into(),
            contested: f.contested,
        }),
        reason: reason(ctx, a),
    }
}

fn claim_out(c: &Claim, all: &Conflicts) -> ClaimOut {
    ClaimOut {
        entry_id: c.id,
        organization_id: c.org,
        organization_name: all.org_name(&c.org).to_string(),
        kind: entry_kind(&c.entry).into(),
        value: c.entry.to_string(),
    }
}

/// The conflicts as the API answers them.
fn conflicts_out(all: &Conflicts) -> Vec<ConflictOut> {
    all.items
        .iter()
        .map(|c| match c {
            Conflict::Duplicate { claims, .. } => ConflictOut {
                kind: "duplicate".into(),
                claims: claims.iter().map(|x| claim_out(x, all)).collect(),
            },
            Conflict::Nested { outer, inner } => ConflictOut {
                kind: "nested".into(),
                claims: vec![claim_out(outer, all), claim_out(inner, all)],
            },
        })
        .collect()
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct EntryQuery {
    /// Only this kind: `cidr`, `domain` or `asn`.
    kind: Option<String>,
}

fn invalid(ctx: &Ctx, field: &str, code: &str) -> Response {
    problem(
        ctx,
        StatusCode::UNPROCESSABLE_ENTITY,
        ctx.t("common.form_errors"),
        vec![(field.into(), ctx.t(code).into())],
    )
}

/// An organisation's constituency (those who may read the organisation).
#[utoipa::path(get, path = "/api/v1/organizations/{id}/constituency", params(("id" = Uuid, Path), EntryQuery, Paging), responses((status = 200, body = PageOut<EntryOut>), (status = 404, body = Problem)))]
pub(crate) async fn list_entries(
    extract::State(st): extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
    Query(q): Query<EntryQuery>,
    Query(p): Query<Paging>,
) -> Response {
    let after = match p.after_uuid(&ctx) {
        Ok(a) => a,
        Err(r) => return r,
    };
    let kind = match q.kind.as_deref().filter(|k| !k.is_empty()) {
        Some(k) => match k.parse::<Kind>() {
            Ok(k) => Some(k),
            Err(code) => return invalid(&ctx, "kind", code),
        },
        None => None,
    };
    match cs::list(&st.core, &ctx.actor(), id, kind, after, p.limit).await {
        Ok((_, page)) => ok(
            StatusCode::OK,
            PageOut {
                items: page.items.into_iter().map(EntryOut::from).collect(),
                next: page.next,
            },
        ),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Adds an entry to an organisation's constituency (`constituency.manage` there).
#[utoipa::path(post, path = "/api/v1/organizations/{id}/constituency", params(("id" = Uuid, Path)), request_body = EntryCreate, responses((status = 201, body = EntryOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn create_entry(
    extract::State(st): extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
    ApiJson(b): ApiJson<EntryCreate>,
) -> Response {
    let new = NewEntry {
        kind: b.kind,
        value: b.value,
        note: b.note,
    };
    match cs::create(&st.core, &ctx.actor(), id, new).await {
        Ok(e) => ok(StatusCode::CREATED, EntryOut::from(e)),
        Err(e) => core_problem(&ctx, e),
    }
}

/// One entry (those who may read its organisation).
#[utoipa::path(get, path = "/api/v1/constituency/{id}", params(("id" = Uuid, Path)), responses((status = 200, body = EntryOut), (status = 404, body = Problem)))]
pub(crate) async fn get_entry(
    extract::State(st): extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
) -> Response {
    match cs::get(&st.core, &ctx.actor(), id).await {
        Ok(e) => ok(StatusCode::OK, EntryOut::from(e)),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Removes an entry (`constituency.manage` in its organisation).
#[utoipa::path(delete, path = "/api/v1/constituency/{id}", params(("id" = Uuid, Path)), responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub(crate) async fn delete_entry(
    extract::State(st): extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
) -> Response {
    match cs::delete(&st.core, &ctx.actor(), id).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => core_problem(&ctx, e),
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct LookupQuery {
    /// An IP address, a host name, a URL, an e-mail address or an AS number (`AS45899`).
    q: Option<String>,
}

/// Who is responsible for an IP, a host, a URL, an e-mail domain or an AS number: the most
/// specific claim and why. Everyone signed in may ask; the answer names only the owner.
#[utoipa::path(get, path = "/api/v1/constituency/lookup", params(LookupQuery), responses((status = 200, body = LookupOut), (status = 422, body = Problem)))]
pub(crate) async fn lookup(
    extract::State(st): extract::State<State>,
    Caller(ctx): Caller,
    Query(q): Query<LookupQuery>,
) -> Response {
    let text = q.q.unwrap_or_default();
    match cs::lookup(&st.core, &ctx.actor(), &text).await {
        Ok(a) => ok(StatusCode::OK, lookup_out(&ctx, &a)),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Overlapping claims of different organisations (the coordinator and administrators).
#[utoipa::path(get, path = "/api/v1/constituency/conflicts", responses((status = 200, body = Vec<ConflictOut>), (status = 403, body = Problem)))]
pub(crate) async fn conflicts(
    extract::State(st): extract::State<State>,
    Caller(ctx): Caller,
) -> Response {
    match cs::conflicts(&st.core, &ctx.actor()).await {
        Ok(all) => ok(StatusCode::OK, conflicts_out(&all)),
        Err(e) => core_problem(&ctx, e),
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ImportQuery {
    /// Only check the file and report; write nothing.
    dry_run: Option<bool>,
}

/// Translated rows of an import report.
pub fn row_problems(ctx: &Ctx, r: &ImportReport) -> Vec<RowProblem> {
    r.errors
        .iter()
        .map(|e| RowProblem {
            line: e.line,
            field: e.field.into(),
            message: ctx.t(e.code).into(),
        })
        .collect()
}

fn import_out(ctx: &Ctx, r: &ImportReport) -> ImportOut {
    ImportOut {
        dry_run: r.dry_run,
        written: r.written,
        rows: r.rows,
        added: r.added,
        existing: r.existing,
        sha256: r.sha256.clone(),
        errors: row_problems(ctx, r),
    }
}

/// Imports a CSV of `organization_slug,kind,value[,note]` rows (`text/csv`, at most 10 MiB; a
/// header row is optional). Every row is checked first: with `dry_run=true`, or when any row is
/// refused, nothing is written and the answer lists each refused row with its line. A dry run
/// answers 200 with the report; a refused import answers 422 with the same rows in `errors`.
#[utoipa::path(post, path = "/api/v1/constituency/import", params(ImportQuery), request_body(content = String, content_type = "text/csv"), responses((status = 200, body = ImportOut), (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn import(
    extract::State(st): extract::State<State>,
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
    match cs::import(&st.core, &ctx.actor(), &body, dry_run).await {
        Ok(r) if r.errors.is_empty() || r.dry_run => ok(StatusCode::OK, import_out(&ctx, &r)),
        Ok(r) => import_problem(&ctx, &r),
        Err(e) => core_problem(&ctx, e),
    }
}

/// A refused import as problem details: each error also carries its line.
fn import_problem(ctx: &Ctx, r: &ImportReport) -> Response {
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    let body = serde_json::json!({
        "type": "about:blank",
        "title": status.canonical_reason().unwrap_or("Error"),
        "status": status.as_u16(),
        "detail": ctx.t("constituency.import_refused"),
        "instance": format!("urn:request:{}", ctx.request_id),
        "errors": row_problems(ctx, r),
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
