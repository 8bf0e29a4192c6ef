//! First run: a one-time link lets the first person create the province, the coordinator
//! organisation and the first administrator. The link dies when used.

use crate::auth::hash_password_blocking;
use crate::{Actor, Core, CoreError, Result, secrets};
use serde_json::json;
use ungcuu_domain::timefmt::now;
use ungcuu_domain::validate::Errors;
use ungcuu_domain::{OrgKind, Role};
use ungcuu_store::orgs::Org;
use ungcuu_store::users::User;
use ungcuu_store::{audit, commit, orgs, setup, users};
use uuid::Uuid;

/// On an empty installation, a fresh setup token (its path is `/setup/<token>`); otherwise None.
pub async fn prepare(core: &Core) -> Result<Option<String>> {
    let mut tx = core.db.begin().await?;
    if users::count(&mut tx).await? > 0 {
        return Ok(None);
    }
    let token = secrets::token();
    setup::insert(&mut tx, &secrets::hash(&token), now()).await?;
    commit(tx).await?;
    Ok(Some(token))
}

/// True when the token is live.
pub async fn is_live(core: &Core, token: &str) -> Result<bool> {
    let mut c = core.db.conn().await?;
    Ok(setup::is_live(&mut c, &secrets::hash(token)).await? && users::count(&mut c).await? == 0)
}

/// What the setup form asks.
#[derive(Debug, Clone, Default)]
pub struct SetupInput {
    /// Province name (Tỉnh Đồng Tháp).
    pub province_name: String,
    /// Province slug.
    pub province_slug: String,
    /// Coordinator organisation name (Sở Khoa học và Công nghệ).
    pub coordinator_name: String,
    /// Coordinator slug.
    pub coordinator_slug: String,
    /// The administrator's name.
    pub admin_name: String,
    /// The administrator's e-mail.
    pub admin_email: String,
    /// The administrator's password.
    pub password: String,
}

/// Completes setup in one transaction; the token is consumed only if everything succeeds.
pub async fn complete(core: &Core, token: &str, input: SetupInput) -> Result<User> {
    let mut errs = Errors::default();
    let province_name = errs.text("province_name", &input.province_name, 200);
    let province_slug = errs.slug("province_slug", &input.province_slug);
    let coordinator_name = errs.text("coordinator_name", &input.coordinator_name, 200);
    let coordinator_slug = errs.slug("coordinator_slug", &input.coordinator_slug);
    if errs.is_empty() && province_slug == coordinator_slug {
        errs.add("coordinator_slug", "err.slug_taken");
    }
    let admin_name = errs.text("admin_name", &input.admin_name, 200);
    let email = errs.email("admin_email", &input.admin_email);
    errs.password("password", &input.password);
    errs.into_result().map_err(CoreError::Invalid)?;
    let hash = hash_password_blocking(input.password).await?;
    let t = now();
    let actor = Actor::system("setup");
    let mut tx = core.db.begin().await?;
    if users::count(&mut tx).await? > 0
        || !setup::consume(&mut tx, &secrets::hash(token), t).await?
    {
        return Err(CoreError::Gone);
    }
    let province = Org {
        id: Uuid::now_v7(),
        slug: province_slug,
        name: province_name,
        short_name: None,
        kind: OrgKind::Province,
        parent_id: None,
        created_at: t,
        updated_at: t,
    };
    let coordinator = Org {
        id: Uuid::now_v7(),
        slug: coordinator_slug,
        name: coordinator_name,
        short_name: None,
        kind: OrgKind::Coordinator,
        parent_id: Some(province.id),
        created_at: t,
        updated_at: t,
    };
    for o in [&province, &coordinator] {
        orgs::insert(&mut tx, o).await?;
        let ev = actor.event(
            "org.create",
            "organization",
            Some(o.id.to_string()),
            Some(o.id),
            json!({ "slug": o.slug, "name": o.name, "kind": o.kind.as_str() }),
        );
        audit::append(&mut tx, &ev, t).await?;
    }
    let user = User {
        id: Uuid::now_v7(),
        email,
        name: admin_name,
        password_hash: Some(hash),
        locale: "vi".into(),
        disabled_at: None,
        failed_logins: 0,
        locked_until: None,
        created_at: t,
        updated_at: t,
    };
    users::insert(&mut tx, &user).await?;
    for role in [Role::Admin, Role::Coordinator] {
        users::add_membership(&mut tx, Uuid::now_v7(), user.id, coordinator.id, role, t).await?;
    }
    let ev = actor.event(
        "setup.complete",
        "user",
        Some(user.id.to_string()),
        Some(coordinator.id),
        json!({ "email": user.email, "roles": ["admin", "coordinator"] }),
    );
    audit::append(&mut tx, &ev, t).await?;
    setup::revoke_all(&mut tx, t).await?;
    commit(tx).await?;
    Ok(user)
}
