//! Live updates of the incident page: what others changed on an incident since a position in
//! the audit chain. Every change to an incident or to anything hanging off it (evidence, tasks,
//! requests, documents) is audited under the incident's owner organisation with the incident's
//! id as its object or in its summary, so the audit chain is the one feed of changes and works
//! the same across replicas without a message bus.

use crate::{Actor, Core, Result};
use ungcuu_store::audit;
use ungcuu_store::incidents::Incident;
use uuid::Uuid;

/// How many events one poll reads at most (later ones come on the next poll).
const BATCH: i64 = 200;

/// A change someone else made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Position in the audit chain.
    pub seq: i64,
    /// The audited action, e.g. `incident.transition`, `evidence.add`.
    pub action: String,
    /// Who (their label in the audit log).
    pub by: String,
    /// When (stored UTC text).
    pub at: String,
}

/// Opens a feed: the incident (read access checked as for the page) and the position to
/// follow from: `since` when the page says where it was drawn (so a change made between
/// drawing the page and connecting is not missed), else now. A `since` ahead of the chain is
/// taken as now.
pub async fn open(
    core: &Core,
    actor: &Actor,
    incident: Uuid,
    since: Option<i64>,
) -> Result<(Incident, i64)> {
    let i = crate::incidents::get(core, actor, incident).await?;
    let mut c = core.db.conn().await?;
    let now = audit::latest_seq_of_org(&mut c, i.owner.id).await?;
    let seq = since.filter(|s| (0..=now).contains(s)).unwrap_or(now);
    Ok((i, seq))
}

/// Reading or following is not a change others need to hear about.
fn is_change(action: &str) -> bool {
    !(action == "authz.denied"
        || action.ends_with(".download")
        || action.ends_with(".read")
        || action == "incident.follow"
        || action == "incident.unfollow")
}

/// Changes to `incident` after `after`, made by anyone but `viewer`; returns the new position
/// (unchanged when nothing happened in the organisation, so a poll costs one indexed query).
pub async fn changes(
    core: &Core,
    incident: &Incident,
    viewer: Option<Uuid>,
    after: i64,
) -> Result<(i64, Vec<Change>)> {
    let mut c = core.db.conn().await?;
    if audit::latest_seq_of_org(&mut c, incident.owner.id).await? <= after {
        return Ok((after, Vec::new()));
    }
    let id = incident.id.to_string();
    let viewer = viewer.map(|v| v.to_string());
    let events = audit::org_events_after(&mut c, incident.owner.id, after, BATCH).await?;
    let last = events.last().map(|e| e.seq).unwrap_or(after);
    let out = events
        .into_iter()
        .filter(|e| e.object_id.as_deref() == Some(id.as_str()) || e.summary.contains(&id))
        .filter(|e| is_change(&e.action) && e.actor_user_id != viewer)
        .map(|e| Change {
            seq: e.seq,
            action: e.action,
            by: e.actor_label,
            at: e.occurred_at,
        })
        .collect();
    Ok((last, out))
}
