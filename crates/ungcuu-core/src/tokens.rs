//! API tokens: created by a person for themselves, shown once, stored hashed, revocable.

use crate::auth::TOKEN_PREFIX;
use crate::{Actor, Core, CoreError, Result, secrets};
use serde_json::json;
use ungcuu_domain::timefmt::now;
use ungcuu_domain::validate::Errors;
use ungcuu_store::tokens::{self, ApiToken};
use ungcuu_store::{audit, commit};
use uuid::Uuid;

/// Creates a token for the acting person; returns it with its secret (the only time it is shown).
pub async fn create(core: &Core, actor: &Actor, label: &str) -> Result<(ApiToken, String)> {
    let uid = actor.user_id().ok_or(CoreError::Unauthenticated)?;
    create_for(core, actor, uid, label).await
}

/// Creates a token for `user_id` (the command line does this for anyone).
pub async fn create_for(
    core: &Core,
    actor: &Actor,
    user_id: Uuid,
    label: &str,
) -> Result<(ApiToken, String)> {
    if actor.principal.is_some() && actor.user_id() != Some(user_id) {
        return Err(CoreError::Forbidden);
    }
    let mut errs = Errors::default();
    let label = errs.text("label", label, 100);
    errs.into_result().map_err(CoreError::Invalid)?;
    let secret = format!("{TOKEN_PREFIX}{}", secrets::token());
    let t = now();
    let tok = ApiToken {
        id: Uuid::now_v7(),
        user_id,
        label,
        prefix: secret[..TOKEN_PREFIX.len() + 6].to_string(),
        created_at: t,
        last_used_at: None,
        revoked_at: None,
    };
    let mut tx = core.db.begin().await?;
    tokens::insert(&mut tx, &tok, &secrets::hash(&secret)).await?;
    let ev = actor.event(
        "token.create",
        "api_token",
        Some(tok.id.to_string()),
        None,
        json!({ "user_id": user_id, "label": tok.label, "prefix": tok.prefix }),
    );
    audit::append(&mut tx, &ev, t).await?;
    commit(tx).await?;
    Ok((tok, secret))
}

/// The acting person's tokens.
pub async fn list(core: &Core, actor: &Actor) -> Result<Vec<ApiToken>> {
    let uid = actor.user_id().ok_or(CoreError::Unauthenticated)?;
    let mut c = core.db.conn().await?;
    Ok(tokens::list_for_user(&mut c, uid).await?)
}

/// Revokes one of the acting person's tokens (administrators may revoke anyone's).
pub async fn revoke(core: &Core, actor: &Actor, id: Uuid) -> Result<()> {
    let tok = {
        let mut c = core.db.conn().await?;
        tokens::get(&mut c, id).await?
    };
    let Some(tok) = tok else {
        return Err(CoreError::NotFound);
    };
    let mine = actor.user_id() == Some(tok.user_id);
    let admin = actor.principal.as_ref().is_none_or(|p| p.is_admin());
    if !mine && !admin {
        return Err(crate::audit::denied(
            core,
            actor,
            ungcuu_domain::Action::UserManage,
            "api_token",
            Some(id.to_string()),
            None,
            CoreError::NotFound,
        )
        .await);
    }
    if tok.revoked_at.is_some() {
        return Ok(());
    }
    let t = now();
    let mut tx = core.db.begin().await?;
    tokens::revoke(&mut tx, id, t).await?;
    let ev = actor.event(
        "token.revoke",
        "api_token",
        Some(id.to_string()),
        None,
        json!({ "user_id": tok.user_id, "label": tok.label }),
    );
    audit::append(&mut tx, &ev, t).await?;
    commit(tx).await?;
    Ok(())
}
