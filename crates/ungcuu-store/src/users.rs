//! People and their memberships.

use crate::orgs::like_escape;
use crate::row::{RowExt, ts};
use crate::sql::Sql;
use crate::{Page, Result};
use sqlx::AnyConnection;
use sqlx::any::AnyRow;
use time::OffsetDateTime;
use ungcuu_domain::text::fold;
use ungcuu_domain::{OrgKind, Role};
use uuid::Uuid;

/// A person who can sign in.
#[derive(Clone, PartialEq, Eq)]
pub struct User {
    /// Id.
    pub id: Uuid,
    /// E-mail, lower case, unique.
    pub email: String,
    /// Full name.
    pub name: String,
    /// Argon2id PHC string; `None` until a password is set.
    pub password_hash: Option<String>,
    /// `vi` or `en`.
    pub locale: String,
    /// Set when the account is disabled.
    pub disabled_at: Option<OffsetDateTime>,
    /// Failed sign-ins since the last success.
    pub failed_logins: i64,
    /// Sign-in refused until then.
    pub locked_until: Option<OffsetDateTime>,
    /// Created.
    pub created_at: OffsetDateTime,
    /// Last changed.
    pub updated_at: OffsetDateTime,
}

// The password hash never appears in logs.
impl std::fmt::Debug for User {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("User")
            .field("id", &self.id)
            .field("email", &self.email)
            .field("name", &self.name)
            .field(
                "password_hash",
                &self.password_hash.as_ref().map(|_| "<redacted>"),
            )
            .field("disabled_at", &self.disabled_at)
            .finish_non_exhaustive()
    }
}

const COLS: &str = "id, email, name, password_hash, locale, disabled_at, failed_logins, locked_until, created_at, updated_at";

fn from_row(r: &AnyRow) -> Result<User> {
    Ok(User {
        id: r.uuid("id")?,
        email: r.text("email")?,
        name: r.text("name")?,
        password_hash: r.opt_text("password_hash")?,
        locale: r.text("locale")?,
        disabled_at: r.opt_time("disabled_at")?,
        failed_logins: r.int("failed_logins")?,
        locked_until: r.opt_time("locked_until")?,
        created_at: r.time("created_at")?,
        updated_at: r.time("updated_at")?,
    })
}

/// Inserts a person.
pub async fn insert(c: &mut AnyConnection, u: &User) -> Result<()> {
    sqlx::query(
        "INSERT INTO users (id, email, name, password_hash, locale, disabled_at, failed_logins,
         locked_until, search_text, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(u.id.to_string())
    .bind(u.email.clone())
    .bind(u.name.clone())
    .bind(u.password_hash.clone())
    .bind(u.locale.clone())
    .bind(u.disabled_at.map(ts))
    .bind(u.failed_logins)
    .bind(u.locked_until.map(ts))
    .bind(fold(&format!("{} {}", u.name, u.email)))
    .bind(ts(u.created_at))
    .bind(ts(u.updated_at))
    .execute(c)
    .await?;
    Ok(())
}

/// Writes the editable fields (name, locale, disabled, password, lockout state).
pub async fn update(c: &mut AnyConnection, u: &User) -> Result<()> {
    sqlx::query(
        "UPDATE users SET name = $2, password_hash = $3, locale = $4, disabled_at = $5,
         failed_logins = $6, locked_until = $7, search_text = $8, updated_at = $9 WHERE id = $1",
    )
    .bind(u.id.to_string())
    .bind(u.name.clone())
    .bind(u.password_hash.clone())
    .bind(u.locale.clone())
    .bind(u.disabled_at.map(ts))
    .bind(u.failed_logins)
    .bind(u.locked_until.map(ts))
    .bind(fold(&format!("{} {}", u.name, u.email)))
    .bind(ts(u.updated_at))
    .execute(c)
    .await?;
    Ok(())
}

/// Records a sign-in outcome without touching `updated_at` (not an edit of the account).
pub async fn set_login_state(
    c: &mut AnyConnection,
    id: Uuid,
    failed_logins: i64,
    locked_until: Option<OffsetDateTime>,
) -> Result<()> {
    sqlx::query("UPDATE users SET failed_logins = $2, locked_until = $3 WHERE id = $1")
        .bind(id.to_string())
        .bind(failed_logins)
        .bind(locked_until.map(ts))
        .execute(c)
        .await?;
    Ok(())
}

/// One person by id.
pub async fn get(c: &mut AnyConnection, id: Uuid) -> Result<Option<User>> {
    let mut q = Sql::new("SELECT ");
    q.push(COLS).push(" FROM users WHERE id = ").bind(id);
    q.query()
        .fetch_optional(c)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// One person by e-mail (lower case).
pub async fn by_email(c: &mut AnyConnection, email: &str) -> Result<Option<User>> {
    let mut q = Sql::new("SELECT ");
    q.push(COLS)
        .push(" FROM users WHERE email = ")
        .bind(email.to_lowercase());
    q.query()
        .fetch_optional(c)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// How many people exist.
pub async fn count(c: &mut AnyConnection) -> Result<i64> {
    sqlx::query("SELECT COUNT(*) AS n FROM users")
        .fetch_one(c)
        .await?
        .int("n")
}

/// Filters for [`list`].
#[derive(Debug, Default, Clone)]
pub struct UserFilter {
    /// Only people with a membership in one of these organisations (`None`: everyone).
    pub within: Option<Vec<Uuid>>,
    /// Only members of this organisation.
    pub org: Option<Uuid>,
    /// Folded free text over name and e-mail.
    pub q: Option<String>,
}

/// A keyset page ordered by id.
pub async fn list(
    c: &mut AnyConnection,
    f: &UserFilter,
    after: Option<Uuid>,
    limit: i64,
) -> Result<Page<User>> {
    let mut q = Sql::new("SELECT ");
    q.push(COLS).push(" FROM users WHERE 1 = 1");
    if let Some(ids) = &f.within {
        q.push(" AND id IN (SELECT user_id FROM memberships WHERE organization_id IN ")
            .bind_list(ids.iter().copied())
            .push(")");
    }
    if let Some(o) = f.org {
        q.push(" AND id IN (SELECT user_id FROM memberships WHERE organization_id = ")
            .bind(o)
            .push(")");
    }
    if let Some(text) = &f.q {
        q.push(" AND search_text LIKE ")
            .bind(format!("%{}%", like_escape(&fold(text))))
            .push(" ESCAPE '\\'");
    }
    if let Some(a) = after {
        q.push(" AND id > ").bind(a);
    }
    q.push(" ORDER BY id LIMIT ").bind(limit + 1);
    let mut items: Vec<User> = q
        .query()
        .fetch_all(c)
        .await?
        .iter()
        .map(from_row)
        .collect::<Result<_>>()?;
    let next = if items.len() as i64 > limit {
        items.truncate(limit as usize);
        items.last().map(|u| u.id.to_string())
    } else {
        None
    };
    Ok(Page { items, next })
}

/// A membership with the organisation's name and kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MembershipRow {
    /// Id.
    pub id: Uuid,
    /// The person.
    pub user_id: Uuid,
    /// The organisation.
    pub org_id: Uuid,
    /// Its name.
    pub org_name: String,
    /// Its kind.
    pub org_kind: OrgKind,
    /// The role.
    pub role: Role,
    /// Created.
    pub created_at: OffsetDateTime,
}

fn membership_from_row(r: &AnyRow) -> Result<MembershipRow> {
    Ok(MembershipRow {
        id: r.uuid("id")?,
        user_id: r.uuid("user_id")?,
        org_id: r.uuid("organization_id")?,
        org_name: r.text("org_name")?,
        org_kind: r.parsed("org_kind")?,
        role: r.parsed("role")?,
        created_at: r.time("created_at")?,
    })
}

const MCOLS: &str = "m.id, m.user_id, m.organization_id, o.name AS org_name, o.kind AS org_kind, m.role, m.created_at
     FROM memberships m JOIN organizations o ON o.id = m.organization_id";

/// Inserts a membership.
pub async fn add_membership(
    c: &mut AnyConnection,
    id: Uuid,
    user: Uuid,
    org: Uuid,
    role: Role,
    at: OffsetDateTime,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO memberships (id, user_id, organization_id, role, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id.to_string())
    .bind(user.to_string())
    .bind(org.to_string())
    .bind(role.as_str())
    .bind(ts(at))
    .execute(c)
    .await?;
    Ok(())
}

/// Removes a membership.
pub async fn remove_membership(c: &mut AnyConnection, id: Uuid) -> Result<bool> {
    let r = sqlx::query("DELETE FROM memberships WHERE id = $1")
        .bind(id.to_string())
        .execute(c)
        .await?;
    Ok(r.rows_affected() > 0)
}

/// One membership.
pub async fn membership(c: &mut AnyConnection, id: Uuid) -> Result<Option<MembershipRow>> {
    let mut q = Sql::new("SELECT ");
    q.push(MCOLS).push(" WHERE m.id = ").bind(id);
    q.query()
        .fetch_optional(c)
        .await?
        .as_ref()
        .map(membership_from_row)
        .transpose()
}

/// A person's memberships.
pub async fn memberships_of(c: &mut AnyConnection, user: Uuid) -> Result<Vec<MembershipRow>> {
    let mut q = Sql::new("SELECT ");
    q.push(MCOLS)
        .push(" WHERE m.user_id = ")
        .bind(user)
        .push(" ORDER BY o.name, m.role");
    q.query()
        .fetch_all(c)
        .await?
        .iter()
        .map(membership_from_row)
        .collect()
}

/// Memberships, optionally only in some organisations, keyset by id.
pub async fn list_memberships(
    c: &mut AnyConnection,
    within: Option<&[Uuid]>,
    user: Option<Uuid>,
    org: Option<Uuid>,
    after: Option<Uuid>,
    limit: i64,
) -> Result<Page<MembershipRow>> {
    let mut q = Sql::new("SELECT ");
    q.push(MCOLS).push(" WHERE 1 = 1");
    if let Some(ids) = within {
        q.push(" AND m.organization_id IN ")
            .bind_list(ids.iter().copied());
    }
    if let Some(u) = user {
        q.push(" AND m.user_id = ").bind(u);
    }
    if let Some(o) = org {
        q.push(" AND m.organization_id = ").bind(o);
    }
    if let Some(a) = after {
        q.push(" AND m.id > ").bind(a);
    }
    q.push(" ORDER BY m.id LIMIT ").bind(limit + 1);
    let mut items: Vec<MembershipRow> = q
        .query()
        .fetch_all(c)
        .await?
        .iter()
        .map(membership_from_row)
        .collect::<Result<_>>()?;
    let next = if items.len() as i64 > limit {
        items.truncate(limit as usize);
        items.last().map(|m| m.id.to_string())
    } else {
        None
    };
    Ok(Page { items, next })
}
