//! Live updates of an incident as server-sent events. The incident page opens this stream (with
//! its session cookie) and shows "changed by …, reload" when someone else changes the incident,
//! instead of reloading under a person who is typing.
//!
//! A stream first sends `ready` (the position it follows from), then one `changed` event per poll
//! that found changes by others, as JSON `{"changes":[{"action","by","at"}]}`. It ends after
//! [`LIFETIME`]; browsers reconnect on their own, and the reconnection checks access again, so a
//! person whose access was withdrawn stops hearing within that time.

use super::Problem;
use super::extract::ApiId;
use super::extract::Caller;
use crate::State;
use crate::error::core_problem;
use axum::extract::Query;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use std::convert::Infallible;
use std::time::{Duration, Instant};
use ungcuu_core::live;

/// How often a stream looks for changes (one indexed query when nothing changed).
const POLL: Duration = Duration::from_secs(2);
/// How long one stream lasts before the browser reconnects.
const LIFETIME: Duration = Duration::from_secs(600);

/// Where the caller's copy of the incident was drawn.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(default)]
pub struct LiveQuery {
    /// The position in the audit chain the page was drawn at (`data-since` on the page); changes
    /// after it are reported. Without it, changes after connecting.
    pub since: Option<i64>,
}

/// Changes made by others to an incident, as `text/event-stream`.
#[utoipa::path(get, path = "/api/v1/incidents/{id}/live", params(("id" = uuid::Uuid, Path), LiveQuery), responses((status = 200, description = "text/event-stream: `ready` then `changed` events", content_type = "text/event-stream"), (status = 404, body = Problem)))]
pub(crate) async fn incident_live(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
    Query(q): Query<LiveQuery>,
) -> Response {
    let actor = ctx.actor();
    let (incident, seq) = match live::open(&st.core, &actor, id, q.since).await {
        Ok(x) => x,
        Err(e) => return core_problem(&ctx, e),
    };
    let viewer = actor.user_id();
    let core = st.core.clone();
    let end = Instant::now() + LIFETIME;
    let ready = Event::default()
        .event("ready")
        .data(serde_json::json!({ "seq": seq }).to_string());
    let first = futures_util::stream::once(async move { Ok::<_, Infallible>(ready) });
    let rest = futures_util::stream::unfold(seq, move |mut seq| {
        let core = core.clone();
        let incident = incident.clone();
        async move {
            loop {
                tokio::time::sleep(POLL).await;
                if Instant::now() >= end {
                    return None;
                }
                match live::changes(&core, &incident, viewer, seq).await {
                    Ok((next, changes)) if !changes.is_empty() => {
                        let data = serde_json::json!({
                            "changes": changes.iter().map(|c| serde_json::json!({
                                "action": c.action, "by": c.by, "at": c.at,
                            })).collect::<Vec<_>>(),
                        });
                        let ev = Event::default().event("changed").data(data.to_string());
                        return Some((Ok::<_, Infallible>(ev), next));
                    }
                    Ok((next, _)) => seq = next,
                    Err(e) => {
                        tracing::warn!(error = %e, "live updates stopped");
                        return None;
                    }
                }
            }
        }
    });
    use futures_util::StreamExt;
    Sse::new(first.chain(rest))
        .keep_alive(KeepAlive::default())
        .into_response()
}
