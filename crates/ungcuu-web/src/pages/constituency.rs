//! Constituency pages: the lookup box (with the conflicts for the coordinator) and an
//! organisation's IP ranges, domains and AS numbers with add, delete and CSV import.

use super::render;
use crate::State;
use crate::api::constituency::{IMPORT_LIMIT, reason, row_problems};
use crate::ctx::{Ctx, SignedIn, redirect_with_flash};
use crate::forms::PageId;
use crate::forms::{CsrfForm, field_errors};
use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use ungcuu_core::CoreError;
use ungcuu_core::constituency::{self as cs, Conflicts, ImportReport, NewEntry};
use ungcuu_domain::constituency::{Claim, Conflict, Kind, ReadFrom};
use ungcuu_store::constituency::{Source, StoredEntry};
use ungcuu_store::orgs::Org;
use uuid::Uuid;

pub(super) fn router() -> Router<State> {
    Router::new()
        .route("/constituency", get(lookup_page))
        .route("/orgs/{id}/constituency", get(org_page).post(add_entry))
        .route(
            "/orgs/{id}/constituency/import",
            post(import).layer(DefaultBodyLimit::max(IMPORT_LIMIT)),
        )
        .route("/constituency/{id}/delete", post(delete_entry))
}

/// The label of an entry kind.
fn kind_label(c: &Ctx, k: Kind) -> &'static str {
    c.t(match k {
        Kind::Cidr => "constituency.kind.cidr",
        Kind::Domain => "constituency.kind.domain",
        Kind::Asn => "constituency.kind.asn",
    })
}

/// The label of an entry's source.
fn source_label(c: &Ctx, s: Source) -> &'static str {
    c.t(match s {
        Source::Manual => "constituency.source.manual",
        Source::System => "constituency.source.system",
        Source::Import => "constituency.source.import",
    })
}

/// The answer of a lookup, ready to show.
struct AnswerView {
    reason: String,
    read_note: Option<&'static str>,
    /// The owner's page, when the person may open it.
    owner_link: Option<(Uuid, String)>,
}

/// One claim of a conflict, ready to show.
struct ClaimView {
    org_id: Uuid,
    org_name: String,
    value: String,
    answers: bool,
}

/// One conflict, ready to show.
struct ConflictView {
    kind_label: &'static str,
    claims: Vec<ClaimView>,
}

fn claim_view(c: &Claim, all: &Conflicts, answers: bool) -> ClaimView {
    ClaimView {
        org_id: c.org,
        org_name: all.org_name(&c.org).to_string(),
        value: c.entry.to_string(),
        answers,
    }
}

fn conflict_views(ctx: &Ctx, all: &Conflicts) -> Vec<ConflictView> {
    all.items
        .iter()
        .map(|c| match c {
            Conflict::Duplicate { claims, .. } => ConflictView {
                kind_label: ctx.t("constituency.conflict.duplicate"),
                claims: claims
                    .iter()
                    .enumerate()
                    .map(|(i, x)| claim_view(x, all, i == 0))
                    .collect(),
            },
            Conflict::Nested { outer, inner } => ConflictView {
                kind_label: ctx.t("constituency.conflict.nested"),
                claims: vec![claim_view(outer, all, false), claim_view(inner, all, true)],
            },
        })
        .collect()
}

#[derive(Template)]
#[template(path = "constituency.html")]
struct LookupPage<'a> {
    c: &'a Ctx,
    q: String,
    error: Option<String>,
    answer: Option<AnswerView>,
    conflicts: Option<Vec<ConflictView>>,
}

#[derive(Deserialize)]
struct LookupQuery {
    q: Option<String>,
}

async fn lookup_page(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    Query(lq): Query<LookupQuery>,
) -> Response {
    let actor = ctx.actor();
    let q: String = lq.q.unwrap_or_default().chars().take(2048).collect();
    let (mut error, mut answer) = (None, None);
    let mut status = StatusCode::OK;
    if !q.trim().is_empty() {
        match cs::lookup(&st.core, &actor, &q).await {
            Ok(a) => {
                let readable = match &a.found {
                    Some(f) => match ungcuu_core::orgs::readable(&st.core, &actor).await {
                        Ok(v) => v.contains(f.org.id),
                        Err(e) => return crate::error::core_page(&ctx, e),
                    },
                    None => false,
                };
                answer = Some(AnswerView {
                    reason: reason(&ctx, &a),
                    read_note: match a.parsed.read_from {
                        ReadFrom::Text => None,
                        ReadFrom::Url => Some(ctx.t("constituency.read.url")),
                        ReadFrom::Email => Some(ctx.t("constituency.read.email")),
                    },
                    owner_link: a
                        .found
                        .as_ref()
                        .filter(|_| readable)
                        .map(|f| (f.org.id, f.org.name.clone())),
                });
            }
            Err(CoreError::Invalid(errs)) => {
                error = field_errors(&ctx, &errs).into_iter().next().map(|e| e.1);
                status = StatusCode::UNPROCESSABLE_ENTITY;
            }
            Err(e) => return crate::error::core_page(&ctx, e),
        }
    }
    let conflicts = if cs::may_see_conflicts(&actor) {
        match cs::conflicts(&st.core, &actor).await {
            Ok(all) => Some(conflict_views(&ctx, &all)),
            Err(e) => return crate::error::core_page(&ctx, e),
        }
    } else {
        None
    };
    let mut r = render(
        &ctx,
        LookupPage {
            c: &ctx,
            q,
            error,
            answer,
            conflicts,
        },
    );
    *r.status_mut() = status;
    r
}

/// One entry, ready to show.
struct EntryView {
    id: Uuid,
    kind_label: &'static str,
    value: String,
    source_label: &'static str,
    note: String,
    created: String,
}

fn entry_view(ctx: &Ctx, e: StoredEntry) -> EntryView {
    EntryView {
        id: e.id,
        kind_label: kind_label(ctx, e.kind),
        value: e.value,
        source_label: source_label(ctx, e.source),
        note: e.note.unwrap_or_default(),
        created: ctx.dt(&e.created_at),
    }
}

/// An import report, ready to show.
struct ReportView {
    summary: String,
    ok_note: Option<&'static str>,
    errors: Vec<(usize, String, String)>,
}

fn report_view(ctx: &Ctx, r: &ImportReport) -> ReportView {
    ReportView {
        summary: ctx.tf(
            "constituency.import_summary",
            &[
                ("rows", &r.rows.to_string()),
                ("added", &r.added.to_string()),
                ("existing", &r.existing.to_string()),
            ],
        ),
        ok_note: r
            .errors
            .is_empty()
            .then(|| ctx.t("constituency.import_ok_check")),
        errors: row_problems(ctx, r)
            .into_iter()
            .map(|e| (e.line, e.field, e.message))
            .collect(),
    }
}

#[derive(Template)]
#[template(path = "constituency_org.html")]
struct OrgPage<'a> {
    c: &'a Ctx,
    org: Org,
    entries: Vec<EntryView>,
    next: Option<String>,
    can_manage: bool,
    kinds: Vec<(&'static str, &'static str)>,
    form: EntryForm,
    errors: Vec<(String, String)>,
    csv: String,
    report: Option<ReportView>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct EntryForm {
    kind: String,
    value: String,
    note: String,
}

#[derive(Deserialize)]
struct PageQuery {
    after: Option<String>,
}

/// What the organisation page shows besides its entries.
#[derive(Default)]
struct Extra {
    form: EntryForm,
    errors: Vec<(String, String)>,
    csv: String,
    report: Option<ReportView>,
}

async fn show_org(
    st: &State,
    ctx: &Ctx,
    org_id: Uuid,
    after: Option<Uuid>,
    extra: Extra,
    status: StatusCode,
) -> Response {
    let actor = ctx.actor();
    let (org, page) = match cs::list(&st.core, &actor, org_id, None, after, Some(200)).await {
        Ok(v) => v,
        Err(e) => return crate::error::core_page(ctx, e),
    };
    let kinds = Kind::ALL
        .into_iter()
        .map(|k| (k.as_str(), kind_label(ctx, k)))
        .collect();
    let can_manage = cs::may_manage(&actor, org.id);
    let mut form = extra.form;
    if form.kind.is_empty() {
        form.kind = Kind::Cidr.as_str().into();
    }
    let mut r = render(
        ctx,
        OrgPage {
            c: ctx,
            entries: page.items.into_iter().map(|e| entry_view(ctx, e)).collect(),
            next: page.next,
            can_manage,
            kinds,
            form,
            errors: extra.errors,
            csv: extra.csv,
            report: extra.report,
            org,
        },
    );
    *r.status_mut() = status;
    r
}

async fn org_page(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    PageId(id): PageId,
    Query(pq): Query<PageQuery>,
) -> Response {
    let after = pq.after.as_deref().and_then(|a| Uuid::parse_str(a).ok());
    show_org(&st, &ctx, id, after, Extra::default(), StatusCode::OK).await
}

async fn add_entry(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    Path(id): Path<Uuid>,
    CsrfForm(f): CsrfForm<EntryForm>,
) -> Response {
    let new = NewEntry {
        kind: f.kind.clone(),
        value: f.value.clone(),
        note: Some(f.note.clone()),
    };
    match cs::create(&st.core, &ctx.actor(), id, new).await {
        Ok(_) => redirect_with_flash(
            &ctx,
            &format!("/orgs/{id}/constituency"),
            "flash.constituency_added",
        ),
        Err(CoreError::Invalid(errs)) => {
            let extra = Extra {
                form: f,
                errors: field_errors(&ctx, &errs),
                ..Default::default()
            };
            show_org(&st, &ctx, id, None, extra, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => crate::error::core_page(&ctx, e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ConfirmForm {
    confirm: Option<String>,
}

async fn delete_entry(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    Path(id): Path<Uuid>,
    CsrfForm(f): CsrfForm<ConfirmForm>,
) -> Response {
    if f.confirm.as_deref() != Some("yes") {
        return crate::error::page(&ctx, StatusCode::BAD_REQUEST);
    }
    let actor = ctx.actor();
    // Read first (answers 404 for what the person may not see), so the page to go back to is
    // known.
    let entry = match cs::get(&st.core, &actor, id).await {
        Ok(e) => e,
        Err(e) => return crate::error::core_page(&ctx, e),
    };
    match cs::delete(&st.core, &actor, id).await {
        Ok(()) => redirect_with_flash(
            &ctx,
            &format!("/orgs/{}/constituency", entry.organization_id),
            "flash.constituency_deleted",
        ),
        Err(e) => crate::error::core_page(&ctx, e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ImportForm {
    csv: String,
    mode: String,
}

async fn import(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    Path(id): Path<Uuid>,
    CsrfForm(f): CsrfForm<ImportForm>,
) -> Response {
    // The page of an organisation the person cannot read is not there, import or not.
    if let Err(e) = ungcuu_core::orgs::get(&st.core, &ctx.actor(), id).await {
        return crate::error::core_page(&ctx, e);
    }
    let dry_run = f.mode != "import";
    match cs::import(&st.core, &ctx.actor(), f.csv.as_bytes(), dry_run).await {
        Ok(r) if r.written => redirect_with_flash(
            &ctx,
            &format!("/orgs/{id}/constituency"),
            "flash.constituency_imported",
        ),
        Ok(r) => {
            let status = if r.errors.is_empty() {
                StatusCode::OK
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let extra = Extra {
                report: Some(report_view(&ctx, &r)),
                csv: f.csv,
                ..Default::default()
            };
            show_org(&st, &ctx, id, None, extra, status).await
        }
        Err(e) => crate::error::core_page(&ctx, e),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_key_built_at_run_time_exists() {
        for k in [
            "constituency.kind.cidr",
            "constituency.kind.domain",
            "constituency.kind.asn",
            "constituency.source.manual",
            "constituency.source.system",
            "constituency.source.import",
            "constituency.reason.in_range",
            "constituency.reason.same_domain",
            "constituency.reason.subdomain",
            "constituency.reason.same_asn",
            "constituency.reason.none",
            "err.constituency_kind",
            "err.cidr",
            "err.cidr_prefix",
            "err.cidr_host_bits",
            "err.domain",
            "err.domain_idn",
            "err.domain_single",
            "err.asn",
            "err.constituency_exists",
            "err.query",
            "err.csv",
            "err.import_columns",
            "err.import_org",
            "err.import_duplicate",
            "err.import_too_many",
            "err.import_empty",
            "err.import_encoding",
        ] {
            assert!(crate::i18n::has(k), "{k} has no translation");
        }
    }
}
