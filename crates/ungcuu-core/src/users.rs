//! People and memberships.

use crate::audit::{denied, require};
use crate::auth::hash_password_blocking;
use crate::{Actor, Core, CoreError, Result};
use serde_json::json;
use ungcuu_domain::Role;
use ungcuu_domain::permissions::{Action, Visibility};
use ungcuu_domain::timefmt::now;
use ungcuu_domain::validate::Errors;
use ungcuu_store::users::{self, MembershipRow, User, UserFilter};
use ungcuu_store::{Page, audit, commit, orgs, sessions};
use uuid::Uuid;

/// The object type of people in the audit log.
pub const OBJECT: &str = "user";

/// What a new account needs.
#[derive(Debug, Clone, Default)]
pub struct NewUser {
    /// E-mail address (the sign-in name).
    pub email: String,
    /// Full name.
    pub name: String,
    /// Initial password; `None` leaves the account without one (an invitation sets it later).
    pub password: Option<String>,
    /// First organisation.
    pub org_id: Option<Uuid>,
    /// Role there.
    pub role: String,
    /// `vi` or `en`.
    pub locale: Option<String>,
}

/// The editable fields of an account.
#[derive(Debug, Clone, Default)]
pub struct UserChanges {
    /// New name.
    pub name: Option<String>,
    /// New language.
    pub locale: Option<String>,
    /// Disable (true) or enable (false).
    pub disabled: Option<bool>,
}

fn role(errs: &mut Errors, v: &str) -> Role {
    v.parse().unwrap_or_else(|_| {
        errs.add("role", "err.role");
        Role::Viewer
    })
}

fn locale(errs: &mut Errors, v: Option<&str>) -> String {
    match v.unwrap_or("vi") {
        "vi" => "vi".into(),
        "en" => "en".into(),
        _ => {
            errs.add("locale", "err.locale");
            "vi".into()
        }
    }
}

/// Only administrators (and the command line) hand out the administrator role.
async fn check_role_grantable(core: &Core, actor: &Actor, role: Role, org: Uuid) -> Result<()> {
    if role == Role::Admin && actor.principal.as_ref().is_some_and(|p| !p.is_admin()) {
        return Err(denied(
            core,
            actor,
            Action::UserManage,
            OBJECT,
            None,
            Some(org),
            CoreError::field("role", "err.role_forbidden"),
        )
        .await);
    }
    Ok(())
}

/// An account ready to insert: validated, authorised, password hashed.
#[derive(Debug, Clone)]
pub struct PreparedUser {
    /// The account.
    pub user: User,
    /// Its first organisation.
    pub org_id: Uuid,
    /// Its role there.
    pub role: Role,
}

/// Validates and authorises a new account without writing anything.
pub async fn prepare(core: &Core, actor: &Actor, new: NewUser) -> Result<PreparedUser> {
    let mut errs = Errors::default();
    let email = errs.email("email", &new.email);
    let name = errs.text("name", &new.name, 200);
    if let Some(p) = &new.password {
        errs.password("password", p);
    }
    let role = role(&mut errs, &new.role);
    let locale = locale(&mut errs, new.locale.as_deref());
    if new.org_id.is_none() {
        errs.add("org_id", "err.required");
    }
    errs.into_result().map_err(CoreError::Invalid)?;
    let org_id = new.org_id.unwrap_or_default();
    {
        let mut c = core.db.conn().await?;
        if orgs::get(&mut c, org_id).await?.is_none() {
            return Err(CoreError::field("org_id", "err.org_missing"));
        }
        if users::by_email(&mut c, &email).await?.is_some() {
            return Err(CoreError::field("email", "err.email_taken"));
        }
    }
    require(core, actor, Action::UserManage, org_id, OBJECT, None)
        .await
        .map_err(|_| CoreError::field("org_id", "err.org_forbidden"))?;
    check_role_grantable(core, actor, role, org_id).await?;
    let password_hash = match new.password {
        Some(p) => Some(hash_password_blocking(p).await?),
        None => None,
    };
    let t = now();
    Ok(PreparedUser {
        user: User {
            id: Uuid::now_v7(),
            email,
            name,
            password_hash,
            locale,
            disabled_at: None,
            failed_logins: 0,
            locked_until: None,
            created_at: t,
            updated_at: t,
        },
        org_id,
        role,
    })
}

/// Inserts a prepared account, its membership and the audit event in the caller's transaction.
pub async fn insert_prepared(
    tx: &mut ungcuu_store::Connection,
    actor: &Actor,
    p: &PreparedUser,
) -> Result<()> {
    users::insert(tx, &p.user).await.map_err(|e| {
        if e.is_unique_on("email") {
            CoreError::field("email", "err.email_taken")
        } else {
            e.into()
        }
    })?;
    users::add_membership(
        tx,
        Uuid::now_v7(),
        p.user.id,
        p.org_id,
        p.role,
        p.user.created_at,
    )
    .await?;
    let ev = actor.event(
        "user.create",
        OBJECT,
        Some(p.user.id.to_string()),
        Some(p.org_id),
        json!({ "email": p.user.email, "name": p.user.name, "org_id": p.org_id, "role": p.role.as_str() }),
    );
    audit::append(tx, &ev, p.user.created_at).await?;
    Ok(())
}

/// Creates an account with its first membership.
pub async fn create(core: &Core, actor: &Actor, new: NewUser) -> Result<User> {
    let p = prepare(core, actor, new).await?;
    let mut tx = core.db.begin().await?;
    insert_prepared(&mut tx, actor, &p).await?;
    commit(tx).await?;
    Ok(p.user)
}

/// The people the actor may see: by role, plus themselves.
fn user_visibility(actor: &Actor) -> Visibility {
    match &actor.principal {
        None => Visibility::All,
        Some(p) => p.visibility(Action::UserRead),
    }
}

/// One account, if visible.
pub async fn get(core: &Core, actor: &Actor, id: Uuid) -> Result<(User, Vec<MembershipRow>)> {
    let mut c = core.db.conn().await?;
    let Some(user) = users::get(&mut c, id).await? else {
        return Err(CoreError::NotFound);
    };
    let ms = users::memberships_of(&mut c, id).await?;
    drop(c);
    let vis = user_visibility(actor);
    let is_self = actor.user_id() == Some(id);
    if is_self || ms.iter().any(|m| vis.contains(m.org_id)) || vis == Visibility::All {
        Ok((user, ms))
    } else {
        Err(denied(
            core,
            actor,
            Action::UserRead,
            OBJECT,
            Some(id.to_string()),
            None,
            CoreError::NotFound,
        )
        .await)
    }
}

/// A page of visible accounts.
pub async fn list(
    core: &Core,
    actor: &Actor,
    mut filter: UserFilter,
    after: Option<Uuid>,
    limit: Option<i64>,
) -> Result<Page<User>> {
    filter.within = user_visibility(actor).org_ids();
    let mut c = core.db.conn().await?;
    Ok(users::list(&mut c, &filter, after, ungcuu_store::page_limit(limit)).await?)
}

/// Changes an account. Name and language: the person or a manager of every organisation they
/// belong to. Disabling: a manager only, never oneself; it ends every session at once.
pub async fn update(core: &Core, actor: &Actor, id: Uuid, ch: UserChanges) -> Result<User> {
    let (before, ms) = get(core, actor, id).await?;
    let is_self = actor.user_id() == Some(id);
    let manages_all = match &actor.principal {
        None => true,
        Some(p) => {
            p.is_admin()
                || (!ms.is_empty() && ms.iter().all(|m| p.can(Action::UserManage, m.org_id)))
        }
    };
    let needs_manager = ch.disabled.is_some() || !is_self;
    if needs_manager && !manages_all {
        return Err(denied(
            core,
            actor,
            Action::UserManage,
            OBJECT,
            Some(id.to_string()),
            None,
            CoreError::Forbidden,
        )
        .await);
    }
    if is_self && ch.disabled == Some(true) {
        return Err(CoreError::field("disabled", "err.disable_self"));
    }
    if !actor.principal.as_ref().is_none_or(|p| p.is_admin())
        && ms.iter().any(|m| m.role == Role::Admin)
        && ch.disabled.is_some()
    {
        return Err(denied(
            core,
            actor,
            Action::UserManage,
            OBJECT,
            Some(id.to_string()),
            None,
            CoreError::Forbidden,
        )
        .await);
    }
    let mut errs = Errors::default();
    let mut user = before.clone();
    if let Some(n) = &ch.name {
        user.name = errs.text("name", n, 200);
    }
    if ch.locale.is_some() {
        user.locale = locale(&mut errs, ch.locale.as_deref());
    }
    errs.into_result().map_err(CoreError::Invalid)?;
    let t = now();
    match ch.disabled {
        Some(true) if user.disabled_at.is_none() => user.disabled_at = Some(t),
        Some(false) => user.disabled_at = None,
        _ => {}
    }
    if user == before {
        return Ok(user);
    }
    user.updated_at = t;
    let mut tx = core.db.begin().await?;
    users::update(&mut tx, &user).await?;
    if user.disabled_at.is_some() && before.disabled_at.is_none() {
        sessions::delete_for_user(&mut tx, id).await?;
    }
    let action = match (before.disabled_at.is_some(), user.disabled_at.is_some()) {
        (false, true) => "user.disable",
        (true, false) => "user.enable",
        _ => "user.update",
    };
    let ev = actor.event(
        action,
        OBJECT,
        Some(id.to_string()),
        None,
        json!({
            "before": { "name": before.name, "locale": before.locale, "disabled": before.disabled_at.is_some() },
            "after": { "name": user.name, "locale": user.locale, "disabled": user.disabled_at.is_some() },
        }),
    );
    audit::append(&mut tx, &ev, t).await?;
    commit(tx).await?;
    Ok(user)
}

/// Gives a person a role in an organisation.
pub async fn add_membership(
    core: &Core,
    actor: &Actor,
    user_id: Uuid,
    org_id: Uuid,
    role_name: &str,
) -> Result<MembershipRow> {
    let mut errs = Errors::default();
    let role = role(&mut errs, role_name);
    errs.into_result().map_err(CoreError::Invalid)?;
    {
        let mut c = core.db.conn().await?;
        if orgs::get(&mut c, org_id).await?.is_none() {
            return Err(CoreError::field("org_id", "err.org_missing"));
        }
        if users::get(&mut c, user_id).await?.is_none() {
            return Err(CoreError::field("user_id", "err.user_missing"));
        }
    }
    require(core, actor, Action::UserManage, org_id, "membership", None)
        .await
        .map_err(|_| CoreError::field("org_id", "err.org_forbidden"))?;
    check_role_grantable(core, actor, role, org_id).await?;
    let t = now();
    let id = Uuid::now_v7();
    let mut tx = core.db.begin().await?;
    users::add_membership(&mut tx, id, user_id, org_id, role, t)
        .await
        .map_err(|e| {
            if matches!(e, ungcuu_store::StoreError::Unique(_)) {
                CoreError::field("role", "err.membership_exists")
            } else {
                e.into()
            }
        })?;
    let ev = actor.event(
        "membership.create",
        "membership",
        Some(id.to_string()),
        Some(org_id),
        json!({ "user_id": user_id, "org_id": org_id, "role": role.as_str() }),
    );
    audit::append(&mut tx, &ev, t).await?;
    let m = users::membership(&mut tx, id)
        .await?
        .ok_or(CoreError::NotFound)?;
    commit(tx).await?;
    Ok(m)
}

/// Takes a role away. The last administrator of the installation cannot be removed.
pub async fn remove_membership(core: &Core, actor: &Actor, id: Uuid) -> Result<()> {
    let m = {
        let mut c = core.db.conn().await?;
        users::membership(&mut c, id).await?
    };
    let Some(m) = m else {
        return Err(CoreError::NotFound);
    };
    let readable = match &actor.principal {
        None => true,
        Some(p) => p.can(Action::UserRead, m.org_id) || p.can(Action::UserManage, m.org_id),
    };
    if !readable {
        return Err(denied(
            core,
            actor,
            Action::UserManage,
            "membership",
            Some(id.to_string()),
            Some(m.org_id),
            CoreError::NotFound,
        )
        .await);
    }
    require(
        core,
        actor,
        Action::UserManage,
        m.org_id,
        "membership",
        Some(id.to_string()),
    )
    .await?;
    check_role_grantable(core, actor, m.role, m.org_id).await?;
    let t = now();
    let mut tx = core.db.begin().await?;
    if m.role == Role::Admin {
        let admins = users::list_memberships(&mut tx, None, None, None, None, 10_000)
            .await?
            .items
            .into_iter()
            .filter(|x| x.role == Role::Admin)
            .count();
        if admins <= 1 {
            return Err(CoreError::field("role", "err.last_admin"));
        }
    }
    users::remove_membership(&mut tx, id).await?;
    let ev = actor.event(
        "membership.delete",
        "membership",
        Some(id.to_string()),
        Some(m.org_id),
        json!({ "user_id": m.user_id, "org_id": m.org_id, "role": m.role.as_str() }),
    );
    audit::append(&mut tx, &ev, t).await?;
    commit(tx).await?;
    Ok(())
}

/// Memberships the actor may see.
pub async fn list_memberships(
    core: &Core,
    actor: &Actor,
    user: Option<Uuid>,
    org: Option<Uuid>,
    after: Option<Uuid>,
    limit: Option<i64>,
) -> Result<Page<MembershipRow>> {
    let within = user_visibility(actor).org_ids();
    let mut c = core.db.conn().await?;
    Ok(users::list_memberships(
        &mut c,
        within.as_deref(),
        user,
        org,
        after,
        ungcuu_store::page_limit(limit),
    )
    .await?)
}

/// Sets a password from the command line (or a reset flow later).
pub async fn set_password(core: &Core, actor: &Actor, id: Uuid, password: &str) -> Result<()> {
    let mut errs = Errors::default();
    errs.password("password", password);
    errs.into_result().map_err(CoreError::Invalid)?;
    let hash = hash_password_blocking(password.to_string()).await?;
    let t = now();
    let mut tx = core.db.begin().await?;
    let mut u = users::get(&mut tx, id).await?.ok_or(CoreError::NotFound)?;
    u.password_hash = Some(hash);
    u.updated_at = t;
    users::update(&mut tx, &u).await?;
    sessions::delete_for_user(&mut tx, id).await?;
    let ev = actor.event(
        "user.password_set",
        OBJECT,
        Some(id.to_string()),
        None,
        json!({}),
    );
    audit::append(&mut tx, &ev, t).await?;
    commit(tx).await?;
    Ok(())
}
