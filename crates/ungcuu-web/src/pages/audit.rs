//! The audit log page (a fuller browser with filters arrives with the accounts capability).

use super::render;
use crate::State;
use crate::ctx::{Ctx, SignedIn};
use askama::Template;
use axum::Router;
use axum::extract::Query;
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;
use ungcuu_store::audit::{AuditFilter, Event};

pub(super) fn router() -> Router<State> {
    Router::new().route("/audit", get(list))
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage<'a> {
    c: &'a Ctx,
    events: Vec<Event>,
    action: String,
    next: Option<String>,
    head_seq: i64,
    head_hash: String,
}

#[derive(Deserialize)]
struct AuditQuery {
    action: Option<String>,
    before: Option<i64>,
}

async fn list(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    Query(q): Query<AuditQuery>,
) -> Response {
    let action: String = q.action.unwrap_or_default().chars().take(100).collect();
    let filter = AuditFilter {
        action_prefix: Some(action.clone()).filter(|s| !s.is_empty()),
        ..Default::default()
    };
    let page = match ungcuu_core::audit::list(&st.core, &ctx.actor(), filter, q.before, 50).await {
        Ok(p) => p,
        Err(e) => return crate::error::core_page(&ctx, e),
    };
    let (head_seq, head_hash) = match ungcuu_core::audit::head(&st.core).await {
        Ok((s, h, _)) => (s, h),
        Err(e) => return crate::error::core_page(&ctx, e),
    };
    render(
        &ctx,
        AuditPage {
            c: &ctx,
            events: page.items,
            action,
            next: page.next,
            head_seq,
            head_hash,
        },
    )
}
