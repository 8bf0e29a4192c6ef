//! Object grants: access to one object for an organisation or a person outside its owner
//! (an incident's supporting organisations, the convened responders).

use crate::Result;
use crate::row::{RowExt, ts};
use crate::sql::Sql;
use sqlx::AnyConnection;
use sqlx::any::AnyRow;
use time::OffsetDateTime;
use uuid::Uuid;

/// Who a grant is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grantee {
    /// Everyone in an organisation.
    Org(Uuid),
    /// One person.
    User(Uuid),
}

/// A stored grant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// Id.
    pub id: Uuid,
    /// Kind of object, such as `organization` or `incident`.
    pub object_type: String,
    /// The object.
    pub object_id: Uuid,
    /// Who.
    pub grantee: Grantee,
    /// `read` or `write`.
    pub access: String,
    /// Who granted it.
    pub granted_by: Option<Uuid>,
    /// When.
    pub created_at: OffsetDateTime,
}

fn from_row(r: &AnyRow) -> Result<Grant> {
    let grantee = match (
        r.opt_uuid("grantee_org_id")?,
        r.opt_uuid("grantee_user_id")?,
    ) {
        (Some(o), None) => Grantee::Org(o),
        (None, Some(u)) => Grantee::User(u),
        _ => return Err(crate::StoreError::Corrupt("grantee")),
    };
    Ok(Grant {
        id: r.uuid("id")?,
        object_type: r.text("object_type")?,
        object_id: r.uuid("object_id")?,
        grantee,
        access: r.text("access")?,
        granted_by: r.opt_uuid("granted_by")?,
        created_at: r.time("created_at")?,
    })
}

const COLS: &str =
    "id, object_type, object_id, grantee_org_id, grantee_user_id, access, granted_by, created_at";

/// Inserts a grant.
pub async fn insert(c: &mut AnyConnection, g: &Grant) -> Result<()> {
    let (org, user) = match g.grantee {
        Grantee::Org(o) => (Some(o.to_string()), None),
        Grantee::User(u) => (None, Some(u.to_string())),
    };
    sqlx::query(
        "INSERT INTO object_grants (id, object_type, object_id, grantee_org_id, grantee_user_id, access, granted_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(g.id.to_string())
    .bind(g.object_type.clone())
    .bind(g.object_id.to_string())
    .bind(org)
    .bind(user)
    .bind(g.access.clone())
    .bind(g.granted_by.map(|u| u.to_string()))
    .bind(ts(g.created_at))
    .execute(c)
    .await?;
    Ok(())
}

/// One grant.
pub async fn get(c: &mut AnyConnection, id: Uuid) -> Result<Option<Grant>> {
    let mut q = Sql::new("SELECT ");
    q.push(COLS)
        .push(" FROM object_grants WHERE id = ")
        .bind(id);
    q.query()
        .fetch_optional(c)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// Removes a grant.
pub async fn delete(c: &mut AnyConnection, id: Uuid) -> Result<bool> {
    Ok(sqlx::query("DELETE FROM object_grants WHERE id = $1")
        .bind(id.to_string())
        .execute(c)
        .await?
        .rows_affected()
        > 0)
}

/// The grants on one object.
pub async fn for_object(
    c: &mut AnyConnection,
    object_type: &str,
    object_id: Uuid,
) -> Result<Vec<Grant>> {
    let mut q = Sql::new("SELECT ");
    q.push(COLS)
        .push(" FROM object_grants WHERE object_type = ")
        .bind(object_type)
        .push(" AND object_id = ")
        .bind(object_id)
        .push(" ORDER BY id");
    q.query().fetch_all(c).await?.iter().map(from_row).collect()
}

/// The ids of objects of `object_type` granted to this person or any of these organisations
/// with at least `access` (`write` implies `read`).
pub async fn granted_ids(
    c: &mut AnyConnection,
    object_type: &str,
    user: Uuid,
    orgs: &[Uuid],
    need_write: bool,
) -> Result<Vec<Uuid>> {
    let mut q = Sql::new("SELECT DISTINCT object_id FROM object_grants WHERE object_type = ");
    q.bind(object_type)
        .push(" AND (grantee_user_id = ")
        .bind(user);
    q.push(" OR grantee_org_id IN ")
        .bind_list(orgs.iter().copied())
        .push(")");
    if need_write {
        q.push(" AND access = 'write'");
    }
    q.query()
        .fetch_all(c)
        .await?
        .iter()
        .map(|r| r.uuid("object_id"))
        .collect()
}
