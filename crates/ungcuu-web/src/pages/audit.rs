//! The audit browser: filters by person, organisation, action, object and time; keyset pages;
//! one event in full; the chain head as a downloadable checkpoint.

use super::render;
use crate::State;
use crate::ctx::{Ctx, SignedIn};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use ungcuu_store::audit::{AuditFilter, Event};
use uuid::Uuid;

pub(super) fn router() -> Router<State> {
    Router::new()
        .route("/audit", get(list))
        .route("/audit/checkpoint.json", get(checkpoint))
        .route("/audit/{seq}", get(detail))
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage<'a> {
    c: &'a Ctx,
    events: Vec<Event>,
    f: AuditQuery,
    orgs: Vec<(String, String)>,
    next_href: Option<String>,
    head_seq: i64,
    head_hash: String,
    error: String,
}

/// The filters as the form sends them (all optional text, checked here).
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub(crate) struct AuditQuery {
    pub person: String,
    pub org: String,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    pub from: String,
    pub until: String,
    pub before: Option<i64>,
}

/// A date typed as yyyy-mm-dd (the date picker) or dd/mm/yyyy, as the start of that day in
/// Vietnam.
fn parse_day(s: &str) -> Option<time::OffsetDateTime> {
    let s = s.trim();
    let (y, m, d) = if let Some((d, rest)) = s.split_once('/') {
        let (m, y) = rest.split_once('/')?;
        (y.parse().ok()?, m.parse::<u8>().ok()?, d.parse().ok()?)
    } else {
        let mut it = s.split('-');
        (
            it.next()?.parse().ok()?,
            it.next()?.parse::<u8>().ok()?,
            it.next()?.parse().ok()?,
        )
    };
    let date = time::Date::from_calendar_date(y, time::Month::try_from(m).ok()?, d).ok()?;
    Some(
        date.with_hms(0, 0, 0)
            .ok()?
            .assume_offset(ungcuu_domain::timefmt::VIETNAM),
    )
}

fn enc(s: &str) -> String {
    crate::forms::urlencode(s)
}

async fn list(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    Query(q): Query<AuditQuery>,
) -> Response {
    let actor = ctx.actor();
    let mut error = String::new();
    let mut filter = AuditFilter {
        action_prefix: Some(q.action.trim().chars().take(100).collect::<String>())
            .filter(|s| !s.is_empty()),
        object_type: Some(q.object_type.trim().chars().take(50).collect::<String>())
            .filter(|s| !s.is_empty()),
        object_id: Some(q.object_id.trim().chars().take(100).collect::<String>())
            .filter(|s| !s.is_empty()),
        ..Default::default()
    };
    if !q.org.is_empty() {
        match Uuid::parse_str(q.org.trim()) {
            Ok(o) => filter.org = Some(o),
            Err(_) => error = ctx.t("err.uuid").to_string(),
        }
    }
    if !q.person.trim().is_empty() {
        let mut c = match st.core.db.conn().await {
            Ok(c) => c,
            Err(e) => return crate::error::core_page(&ctx, e.into()),
        };
        match ungcuu_store::users::by_email(&mut c, q.person.trim()).await {
            // An unknown person matches nothing rather than everything.
            Ok(Some(u)) => filter.actor = Some(u.id),
            Ok(None) => filter.actor = Some(Uuid::nil()),
            Err(e) => return crate::error::core_page(&ctx, e.into()),
        }
    }
    for (field, target) in [(&q.from, &mut filter.from), (&q.until, &mut filter.until)] {
        if !field.trim().is_empty() {
            match parse_day(field) {
                Some(t) => *target = Some(t),
                None => error = ctx.t("err.invalid").to_string(),
            }
        }
    }
    // "Until" includes the whole day chosen.
    filter.until = filter.until.map(|t| t + time::Duration::days(1));
    let page = match ungcuu_core::audit::list(&st.core, &actor, filter, q.before, 50).await {
        Ok(p) => p,
        Err(e) => return crate::error::core_page(&ctx, e),
    };
    let (head_seq, head_hash) = match ungcuu_core::audit::head(&st.core).await {
        Ok((s, h, _)) => (s, h),
        Err(e) => return crate::error::core_page(&ctx, e),
    };
    let orgs = match ungcuu_core::orgs::all_readable(&st.core, &actor).await {
        Ok(v) => v.into_iter().map(|o| (o.id.to_string(), o.name)).collect(),
        Err(e) => return crate::error::core_page(&ctx, e),
    };
    let next_href = page.next.map(|n| {
        format!(
            "/audit?person={}&org={}&action={}&object_type={}&object_id={}&from={}&until={}&before={n}",
            enc(&q.person), enc(&q.org), enc(&q.action), enc(&q.object_type), enc(&q.object_id), enc(&q.from), enc(&q.until)
        )
    });
    render(
        &ctx,
        AuditPage {
            c: &ctx,
            events: page.items,
            f: q,
            orgs,
            next_href,
            head_seq,
            head_hash,
            error,
        },
    )
}

#[derive(Template)]
#[template(path = "audit_event.html")]
struct EventPage<'a> {
    c: &'a Ctx,
    e: Event,
    summary: String,
}

async fn detail(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    Path(seq): Path<String>,
) -> Response {
    let Ok(seq) = seq.parse::<i64>() else {
        return crate::error::page(&ctx, StatusCode::NOT_FOUND);
    };
    match ungcuu_core::audit::get(&st.core, &ctx.actor(), seq).await {
        Ok(e) => {
            let summary = serde_json::from_str::<serde_json::Value>(&e.summary)
                .and_then(|v| serde_json::to_string_pretty(&v))
                .unwrap_or_else(|_| e.summary.clone());
            render(
                &ctx,
                EventPage {
                    c: &ctx,
                    e,
                    summary,
                },
            )
        }
        Err(e) => crate::error::core_page(&ctx, e),
    }
}

async fn checkpoint(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
) -> Response {
    match ungcuu_core::audit::checkpoint(&st.core, &ctx.actor()).await {
        Ok(cp) => {
            let body = serde_json::to_string_pretty(&cp).unwrap_or_default();
            let name = format!("ungcuu-audit-checkpoint-{}.json", cp.seq);
            (
                [
                    (
                        header::CONTENT_TYPE,
                        "application/json; charset=utf-8".to_string(),
                    ),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"{name}\""),
                    ),
                ],
                body,
            )
                .into_response()
        }
        Err(e) => crate::error::core_page(&ctx, e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_read_in_both_spellings_as_vietnam_midnight() {
        let a = parse_day("2026-11-25").unwrap();
        let b = parse_day("25/11/2026").unwrap();
        assert_eq!(a, b);
        assert_eq!(
            ungcuu_domain::timefmt::to_db(a),
            "2026-11-24T17:00:00.000000Z"
        );
        assert!(parse_day("31/02/2026").is_none());
        assert!(parse_day("yesterday").is_none());
    }
}
