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
