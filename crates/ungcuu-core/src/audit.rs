//! Reading and verifying the audit log, and recording permission denials.

use crate::{Actor, Core, CoreError, Result};
use serde_json::json;
use ungcuu_domain::permissions::{Action, Visibility};
use ungcuu_domain::timefmt::now;
use ungcuu_store::audit::{self, AuditFilter, Event, Verdict};
use ungcuu_store::{Page, commit};
use uuid::Uuid;

/// Records that `actor` was refused `action` on an object, in its own transaction (the
/// refused change never happened), and returns `err` for the caller to answer with.
pub async fn denied(
    core: &Core,
    actor: &Actor,
    action: Action,
    object_type: &str,
    object_id: Option<String>,
    org: Option<Uuid>,
    err: CoreError,
) -> CoreError {
    let ev = actor.event(
        "authz.denied",
        object_type,
        object_id,
        org,
        json!({ "action": action.as_str() }),
    );
    let write = async {
        let mut tx = core.db.begin().await?;
        audit::append(&mut tx, &ev, now()).await?;
        commit(tx).await
    };
    if let Err(e) = write.await {
        tracing::error!(error = %e, "could not record a permission denial");
    }
    err
}

/// Refuses (audited, as a denial on the setting `key`) anyone but province-wide coordinators,
/// administrators and the command line: the province's settings are theirs to change.
pub async fn require_settings_writer(core: &Core, actor: &Actor, key: &str) -> Result<()> {
    if actor
        .principal
        .as_ref()
        .is_some_and(|p| !p.can_everywhere(Action::IncidentCoordinate))
    {
        return Err(denied(
            core,
            actor,
            Action::IncidentCoordinate,
            "settings",
            Some(key.into()),
            None,
            CoreError::ForbiddenWith("incident.err.needs_coordinator"),
        )
        .await);
    }
    Ok(())
}

/// Checks `action` on `org` for `actor`; the command line may do anything.
pub async fn require(
    core: &Core,
    actor: &Actor,
    action: Action,
    org: Uuid,
    object_type: &str,
    object_id: Option<String>,
) -> Result<()> {
    match &actor.principal {
        None => Ok(()),
        Some(p) if p.can(action, org) => Ok(()),
        Some(_) => Err(denied(
            core,
            actor,
            action,
            object_type,
            object_id,
            Some(org),
            CoreError::Forbidden,
        )
        .await),
    }
}

/// Audit events the actor may read, newest first.
pub async fn list(
    core: &Core,
    actor: &Actor,
    mut filter: AuditFilter,
    before_seq: Option<i64>,
    limit: i64,
) -> Result<Page<Event>> {
    if let Some(p) = &actor.principal {
        match p.visibility(Action::AuditRead) {
            Visibility::All => {}
            Visibility::Nothing => {
                return Err(denied(
                    core,
                    actor,
                    Action::AuditRead,
                    "audit",
                    None,
                    None,
                    CoreError::Forbidden,
                )
                .await);
            }
            Visibility::Orgs(s) if s.is_empty() => {
                return Err(denied(
                    core,
                    actor,
                    Action::AuditRead,
                    "audit",
                    None,
                    None,
                    CoreError::Forbidden,
                )
                .await);
            }
            Visibility::Orgs(s) => filter.within = Some(s.into_iter().collect()),
        }
    }
    let mut c = core.db.conn().await?;
    Ok(audit::list(
        &mut c,
        &filter,
        before_seq,
        ungcuu_store::page_limit(Some(limit)),
    )
    .await?)
}

/// Walks the whole chain.
pub async fn verify(core: &Core) -> Result<Verdict> {
    let mut c = core.db.conn().await?;
    Ok(audit::verify(&mut c).await?)
}

/// The chain head: (count, hash, time).
pub async fn head(core: &Core) -> Result<(i64, String, String)> {
    let mut c = core.db.conn().await?;
    Ok(audit::head(&mut c).await?)
}

/// One event, if the actor may read the audit log where it belongs.
pub async fn get(core: &Core, actor: &Actor, seq: i64) -> Result<Event> {
    let e = {
        let mut c = core.db.conn().await?;
        audit::get(&mut c, seq).await?
    };
    let Some(e) = e else {
        return Err(CoreError::NotFound);
    };
    if let Some(p) = &actor.principal {
        let org = e
            .organization_id
            .as_deref()
            .and_then(|o| Uuid::parse_str(o).ok());
        let ok = match org {
            Some(o) => p.can(Action::AuditRead, o),
            None => p.can_everywhere(Action::AuditRead),
        };
        if !ok {
            return Err(denied(
                core,
                actor,
                Action::AuditRead,
                "audit",
                Some(seq.to_string()),
                org,
                CoreError::NotFound,
            )
            .await);
        }
    }
    Ok(e)
}

/// The chain head as a checkpoint to keep outside the system.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct Checkpoint {
    /// Always `ungcuu-audit-checkpoint-v1`.
    pub format: String,
    /// Number of events (the sequence number of the last).
    pub seq: i64,
    /// Hash of the last event.
    pub hash: String,
    /// When the last event happened (UTC, as stored).
    pub event_time: String,
    /// When the checkpoint was taken (UTC).
    pub taken_at: String,
    /// The installation it comes from.
    pub public_url: String,
}

/// Name of the checkpoint format.
pub const CHECKPOINT_FORMAT: &str = "ungcuu-audit-checkpoint-v1";

/// Takes a checkpoint (administrators and province-wide auditors; the command line).
pub async fn checkpoint(core: &Core, actor: &Actor) -> Result<Checkpoint> {
    if let Some(p) = &actor.principal
        && !p.can_everywhere(Action::AuditRead)
    {
        return Err(denied(
            core,
            actor,
            Action::AuditRead,
            "audit",
            None,
            None,
            CoreError::Forbidden,
        )
        .await);
    }
    let (seq, hash, event_time) = head(core).await?;
    Ok(Checkpoint {
        format: CHECKPOINT_FORMAT.into(),
        seq,
        hash,
        event_time,
        taken_at: ungcuu_domain::timefmt::to_db(now()),
        public_url: core.config.public_url.clone(),
    })
}

/// Verifies the chain and that it still extends `cp`: the event at the checkpoint's position
/// has the checkpoint's hash (so nothing up to it was rewritten, even consistently).
pub async fn verify_against(core: &Core, cp: &Checkpoint) -> Result<Verdict> {
    let v = verify(core).await?;
    if let Verdict::Intact { count, .. } = &v {
        if *count < cp.seq {
            return Ok(Verdict::Broken {
                seq: cp.seq,
                reason: format!(
                    "the chain has {count} events but the checkpoint saw {}",
                    cp.seq
                ),
            });
        }
        if cp.seq > 0 {
            let mut c = core.db.conn().await?;
            let e = audit::get(&mut c, cp.seq).await?;
            if e.as_ref().map(|e| e.hash.as_str()) != Some(cp.hash.as_str()) {
                return Ok(Verdict::Broken {
                    seq: cp.seq,
                    reason: "the event at the checkpoint has another hash: the chain was rewritten"
                        .into(),
                });
            }
        }
    }
    Ok(v)
}
