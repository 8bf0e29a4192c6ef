//! Object grants: access to one object for an organisation or a person outside its owner.
//! Each object type registers how to find its owning organisation; the owner's managers grant.

use crate::audit::require;
use crate::{Actor, Core, CoreError, Result};
use serde_json::json;
use ungcuu_domain::permissions::Action;
use ungcuu_domain::timefmt::now;
use ungcuu_store::grants::{self, Grant, Grantee};
use ungcuu_store::{audit, commit, orgs, users};
use uuid::Uuid;

/// The object types that can be granted, and the organisation that owns an object of each.
/// Later capabilities (incidents, systems) add a line here.
async fn owner_of(core: &Core, object_type: &str, object_id: Uuid) -> Result<Uuid> {
    let mut c = core.db.conn().await?;
    match object_type {
        crate::orgs::OBJECT => orgs::get(&mut c, object_id)
            .await?
            .map(|o| o.id)
            .ok_or(CoreError::field("object_id", "err.object_missing")),
        crate::incidents::OBJECT => ungcuu_store::incidents::get(&mut c, object_id)
            .await?
            .map(|i| i.owner.id)
            .ok_or(CoreError::field("object_id", "err.object_missing")),
        _ => Err(CoreError::field("object_type", "err.object_type")),
    }
}

/// Grants access to one object.
pub async fn create(
    core: &Core,
    actor: &Actor,
    object_type: &str,
    object_id: Uuid,
    grantee: Grantee,
    access: &str,
) -> Result<Grant> {
    if !matches!(access, "read" | "write") {
        return Err(CoreError::field("access", "err.access"));
    }
    let owner = owner_of(core, object_type, object_id).await?;
    require(
        core,
        actor,
        Action::GrantManage,
        owner,
        object_type,
        Some(object_id.to_string()),
    )
    .await?;
    {
        let mut c = core.db.conn().await?;
        let exists = match grantee {
            Grantee::Org(o) => orgs::get(&mut c, o).await?.is_some(),
            Grantee::User(u) => users::get(&mut c, u).await?.is_some(),
        };
        if !exists {
            return Err(CoreError::field("grantee", "err.grantee_missing"));
        }
    }
    let t = now();
    let g = Grant {
        id: Uuid::now_v7(),
        object_type: object_type.to_string(),
        object_id,
        grantee,
        access: access.to_string(),
        granted_by: actor.user_id(),
        created_at: t,
    };
    let mut tx = core.db.begin().await?;
    grants::insert(&mut tx, &g).await?;
    let ev = actor.event(
        "grant.create",
        object_type,
        Some(object_id.to_string()),
        Some(owner),
        json!({ "grant_id": g.id, "grantee": format!("{:?}", g.grantee), "access": access }),
    );
    audit::append(&mut tx, &ev, t).await?;
    commit(tx).await?;
    Ok(g)
}

/// Withdraws a grant.
pub async fn delete(core: &Core, actor: &Actor, id: Uuid) -> Result<()> {
    let g = {
        let mut c = core.db.conn().await?;
        grants::get(&mut c, id).await?
    };
    let Some(g) = g else {
        return Err(CoreError::NotFound);
    };
    let owner = owner_of(core, &g.object_type, g.object_id)
        .await
        .map_err(|_| CoreError::NotFound)?;
    require(
        core,
        actor,
        Action::GrantManage,
        owner,
        &g.object_type,
        Some(g.object_id.to_string()),
    )
    .await
    .map_err(|_| CoreError::NotFound)?;
    let t = now();
    let mut tx = core.db.begin().await?;
    grants::delete(&mut tx, id).await?;
    let ev = actor.event(
        "grant.delete",
        &g.object_type,
        Some(g.object_id.to_string()),
        Some(owner),
        json!({ "grant_id": id }),
    );
    audit::append(&mut tx, &ev, t).await?;
    commit(tx).await?;
    Ok(())
}

/// The grants on an object the actor manages.
pub async fn list(
    core: &Core,
    actor: &Actor,
    object_type: &str,
    object_id: Uuid,
) -> Result<Vec<Grant>> {
    let owner = owner_of(core, object_type, object_id)
        .await
        .map_err(|_| CoreError::NotFound)?;
    require(
        core,
        actor,
        Action::GrantManage,
        owner,
        object_type,
        Some(object_id.to_string()),
    )
    .await
    .map_err(|_| CoreError::NotFound)?;
    let mut c = core.db.conn().await?;
    Ok(grants::for_object(&mut c, object_type, object_id).await?)
}

/// Gives organisation `org` write access to an object in the caller's transaction, because a
/// change the actor is allowed to make names it (a task's lead or supporting organisation);
/// nothing happens when `org` owns the object or already holds a write grant. Audited as a
/// grant like any other. Returns true when a grant was added.
pub(crate) async fn ensure_org_write(
    tx: &mut ungcuu_store::Connection,
    actor: &Actor,
    object_type: &str,
    object_id: Uuid,
    owner: Uuid,
    org: Uuid,
    t: time::OffsetDateTime,
) -> Result<bool> {
    if org == owner {
        return Ok(false);
    }
    let existing = grants::for_object(tx, object_type, object_id).await?;
    if existing
        .iter()
        .any(|g| g.grantee == Grantee::Org(org) && g.access == "write")
    {
        return Ok(false);
    }
    let g = Grant {
        id: Uuid::now_v7(),
        object_type: object_type.to_string(),
        object_id,
        grantee: Grantee::Org(org),
        access: "write".into(),
        granted_by: actor.user_id(),
        created_at: t,
    };
    grants::insert(tx, &g).await?;
    let ev = actor.event(
        "grant.create",
        object_type,
        Some(object_id.to_string()),
        Some(owner),
        json!({ "grant_id": g.id, "grantee": format!("{:?}", g.grantee), "access": "write", "reason": "task" }),
    );
    audit::append(tx, &ev, t).await?;
    Ok(true)
}
