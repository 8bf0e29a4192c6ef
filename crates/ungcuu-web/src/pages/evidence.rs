//! Evidence and indicators on the incident page: the section listing files (hashes, size,
//! custody, download) with the upload form (multipart, streamed), and the indicators with
//! "seen in" links and the add and extract forms; the chain-of-custody page; the download.

use super::render;
use crate::State;
use crate::ctx::{Ctx, SignedIn, redirect_with_flash};
use crate::forms::CsrfForm;
use crate::forms::PageId;
use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use ungcuu_core::CoreError;
use ungcuu_core::evidence::{self as core_evidence, Upload};
use ungcuu_domain::evidence::IndicatorKind;
use uuid::Uuid;

pub(super) fn router() -> Router<State> {
    Router::new()
        .route(
            "/incidents/{id}/evidence",
            post(upload).layer(DefaultBodyLimit::max(
                usize::try_from(core_evidence::DEFAULT_LIMIT + 64 * 1024).unwrap_or(usize::MAX),
            )),
        )
        .route("/incidents/{id}/indicators", post(add_indicator))
        .route("/incidents/{id}/indicators/extract", post(extract))
        .route("/indicators/{id}/delete", post(delete_indicator))
        .route("/evidence/{id}/download", get(download))
        .route("/evidence/{id}/custody", get(custody).post(hand_over))
}

struct FileRow {
    id: Uuid,
    name: String,
    media_type: String,
    malicious: bool,
    description: String,
    sha256: String,
    sha1: String,
    md5: String,
    size: i64,
    collected_by: String,
    collected_at: String,
    collected_where: String,
}

struct IndicatorRow {
    id: Uuid,
    kind: &'static str,
    value: String,
    tlp: &'static str,
    seen: Vec<(Uuid, String)>,
}

#[derive(Template)]
#[template(path = "evidence_section.html")]
struct Section<'a> {
    c: &'a Ctx,
    id: Uuid,
    files: Vec<FileRow>,
    indicators: Vec<IndicatorRow>,
    can_write: bool,
    kinds: Vec<&'static str>,
}

/// The evidence and indicators sections of incident `id`, rendered (empty when the person may
/// not read the incident, which the incident page has already refused).
pub(crate) async fn section(st: &State, ctx: &Ctx, id: Uuid) -> String {
    let actor = ctx.actor();
    let Ok(i) = ungcuu_core::incidents::get(&st.core, &actor, id).await else {
        return String::new();
    };
    let can_write = core_evidence::can_write(&st.core, &actor, &i)
        .await
        .unwrap_or(false);
    let files = core_evidence::list(&st.core, &actor, id)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|e| FileRow {
            id: e.id,
            name: e.original_name,
            media_type: e.media_type,
            malicious: e.malicious_sample,
            description: e.description,
            sha256: e.sha256,
            sha1: e.sha1,
            md5: e.md5,
            size: e.size,
            collected_by: e.collected_by,
            collected_at: ctx.dt(&e.collected_at),
            collected_where: e.collected_where,
        })
        .collect();
    let indicators = core_evidence::indicators(&st.core, &actor, id)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|v| IndicatorRow {
            id: v.indicator.id,
            kind: v.indicator.kind.as_str(),
            value: v.indicator.value,
            tlp: v.indicator.tlp.as_str(),
            seen: v.seen_in.into_iter().map(|s| (s.id, s.title)).collect(),
        })
        .collect();
    let page = Section {
        c: ctx,
        id,
        files,
        indicators,
        can_write,
        kinds: IndicatorKind::ALL.iter().map(|k| k.as_str()).collect(),
    };
    page.render().unwrap_or_default()
}

/// Back to the incident with a flash, or an error page naming what was wrong.
fn after<T>(ctx: &Ctx, id: Uuid, r: ungcuu_core::Result<T>, flash: &str) -> Response {
    match r {
        Ok(_) => redirect_with_flash(ctx, &format!("/incidents/{id}#evidence"), flash),
        Err(CoreError::Invalid(errs))
            if errs.iter().any(|e| e.code == core_evidence::TOO_LARGE) =>
        {
            crate::error::page(ctx, StatusCode::PAYLOAD_TOO_LARGE)
        }
        Err(CoreError::Invalid(errs)) => redirect_with_flash(
            ctx,
            &format!("/incidents/{id}#evidence"),
            errs.first().map_or("err.invalid", |e| e.code),
        ),
        Err(e) => crate::error::core_page(ctx, e),
    }
}

/// The multipart upload: `_csrf` must come before the file, which is streamed, never buffered.
async fn upload(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    PageId(id): PageId,
    mut mp: Multipart,
) -> Response {
    let mut csrf_ok = false;
    let mut meta = Upload::default();
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return crate::error::page(&ctx, e.status()),
        };
        let name = field.name().unwrap_or("").to_string();
        if name == "file" {
            if !csrf_ok {
                break;
            }
            meta.name = field.file_name().unwrap_or("").to_string();
            let r = core_evidence::upload(&st.core, &ctx.actor(), id, meta, Box::pin(field)).await;
            return after(&ctx, id, r, "evidence.uploaded");
        }
        let v = field.text().await.unwrap_or_default();
        match name.as_str() {
            "_csrf" => {
                let expected = ctx.csrf();
                csrf_ok =
                    !expected.is_empty() && ungcuu_core::secrets::constant_time_eq(&v, expected);
            }
            "description" => meta.description = v,
            "collected_where" => meta.collected_where = v,
            "collected_at" => meta.collected_at = v,
            "malicious_sample" => meta.malicious_sample = !v.is_empty(),
            _ => {}
        }
    }
    if !csrf_ok {
        tracing::warn!(request_id = %ctx.request_id, "CSRF token missing or wrong");
        return crate::error::page(&ctx, StatusCode::BAD_REQUEST);
    }
    after::<()>(
        &ctx,
        id,
        Err(CoreError::field("file", "err.required")),
        "evidence.uploaded",
    )
}

fn get_field(pairs: &[(String, String)], k: &str) -> String {
    pairs
        .iter()
        .find(|(n, _)| n == k)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

async fn add_indicator(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    PageId(id): PageId,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let r = core_evidence::add_indicator(
        &st.core,
        &ctx.actor(),
        id,
        &get_field(&pairs, "kind"),
        &get_field(&pairs, "value"),
        &get_field(&pairs, "tlp"),
    )
    .await;
    after(&ctx, id, r, "indicator.added")
}

async fn extract(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    PageId(id): PageId,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let r = core_evidence::extract(&st.core, &ctx.actor(), id, &get_field(&pairs, "text")).await;
    after(&ctx, id, r, "indicator.added")
}

async fn delete_indicator(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    PageId(id): PageId,
    CsrfForm(_pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let incident = {
        let Ok(mut c) = st.core.db.conn().await else {
            return crate::error::page(&ctx, StatusCode::INTERNAL_SERVER_ERROR);
        };
        match ungcuu_store::evidence::get_indicator(&mut c, id).await {
            Ok(Some(i)) => i.incident_id,
            _ => return crate::error::page(&ctx, StatusCode::NOT_FOUND),
        }
    };
    let r = core_evidence::delete_indicator(&st.core, &ctx.actor(), id).await;
    after(&ctx, incident, r, "flash.saved")
}

async fn download(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    PageId(id): PageId,
) -> Response {
    match core_evidence::download(&st.core, &ctx.actor(), id).await {
        Ok((e, path)) => crate::api::evidence::attachment(&ctx, &e, path).await,
        Err(e) => crate::error::core_page(&ctx, e),
    }
}

type CustodyLine = (String, String, String, String, String);

#[derive(Template)]
#[template(path = "evidence_custody.html")]
struct CustodyPage<'a> {
    c: &'a Ctx,
    evidence_id: Uuid,
    incident_id: Uuid,
    name: String,
    sha256: String,
    events: Vec<CustodyLine>,
    can_write: bool,
}

async fn custody(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    PageId(id): PageId,
) -> Response {
    let events = match core_evidence::custody(&st.core, &ctx.actor(), id).await {
        Ok(v) => v,
        Err(e) => return crate::error::core_page(&ctx, e),
    };
    let ev = {
        let Ok(mut c) = st.core.db.conn().await else {
            return crate::error::page(&ctx, StatusCode::INTERNAL_SERVER_ERROR);
        };
        match ungcuu_store::evidence::get(&mut c, id).await {
            Ok(Some(e)) => e,
            _ => return crate::error::page(&ctx, StatusCode::NOT_FOUND),
        }
    };
    let can_write = match ungcuu_core::incidents::get(&st.core, &ctx.actor(), ev.incident_id).await
    {
        Ok(i) => core_evidence::can_write(&st.core, &ctx.actor(), &i)
            .await
            .unwrap_or(false),
        Err(e) => return crate::error::core_page(&ctx, e),
    };
    render(
        &ctx,
        CustodyPage {
            can_write,
            c: &ctx,
            evidence_id: id,
            incident_id: ev.incident_id,
            name: ev.original_name,
            sha256: ev.sha256,
            events: events
                .into_iter()
                .map(|e| {
                    (
                        ctx.dt(&e.at),
                        e.kind,
                        e.actor,
                        e.to_whom.unwrap_or_default(),
                        e.note.unwrap_or_default(),
                    )
                })
                .collect(),
        },
    )
}

async fn hand_over(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    PageId(id): PageId,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    match core_evidence::hand_over(
        &st.core,
        &ctx.actor(),
        id,
        &get_field(&pairs, "to_whom"),
        &get_field(&pairs, "note"),
    )
    .await
    {
        Ok(_) => redirect_with_flash(&ctx, &format!("/evidence/{id}/custody"), "flash.saved"),
        Err(CoreError::Invalid(errs)) => redirect_with_flash(
            &ctx,
            &format!("/evidence/{id}/custody"),
            errs.first().map_or("err.invalid", |e| e.code),
        ),
        Err(e) => crate::error::core_page(&ctx, e),
    }
}
