//! API tokens. Only the SHA-256 of a token is stored; the token is shown once.

use crate::Result;
use crate::row::{RowExt, ts};
use sqlx::AnyConnection;
use sqlx::any::AnyRow;
use time::OffsetDateTime;
use uuid::Uuid;

/// A stored API token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    /// Id.
    pub id: Uuid,
    /// Owner.
    pub user_id: Uuid,
    /// What it is for.
    pub label: String,
    /// First characters of the token, to recognise it in a list.
    pub prefix: String,
    /// Created.
    pub created_at: OffsetDateTime,
    /// Last used.
    pub last_used_at: Option<OffsetDateTime>,
    /// Revoked.
    pub revoked_at: Option<OffsetDateTime>,
}

const COLS: &str = "id, user_id, label, prefix, created_at, last_used_at, revoked_at";

fn from_row(r: &AnyRow) -> Result<ApiToken> {
    Ok(ApiToken {
        id: r.uuid("id")?,
        user_id: r.uuid("user_id")?,
        label: r.text("label")?,
        prefix: r.text("prefix")?,
        created_at: r.time("created_at")?,
        last_used_at: r.opt_time("last_used_at")?,
        revoked_at: r.opt_time("revoked_at")?,
    })
}

/// Inserts a token with the hash of its secret.
pub async fn insert(c: &mut AnyConnection, t: &ApiToken, token_hash: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO api_tokens (id, user_id, label, token_hash, prefix, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(t.id.to_string())
    .bind(t.user_id.to_string())
    .bind(t.label.clone())
    .bind(token_hash.to_string())
    .bind(t.prefix.clone())
    .bind(ts(t.created_at))
    .execute(c)
    .await?;
    Ok(())
}

/// The live (not revoked) token with this hash.
pub async fn by_hash(c: &mut AnyConnection, token_hash: &str) -> Result<Option<ApiToken>> {
    let mut q = crate::sql::Sql::new("SELECT ");
    q.push(COLS)
        .push(" FROM api_tokens WHERE revoked_at IS NULL AND token_hash = ")
        .bind(token_hash);
    q.query()
        .fetch_optional(c)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// One token by id.
pub async fn get(c: &mut AnyConnection, id: Uuid) -> Result<Option<ApiToken>> {
    let mut q = crate::sql::Sql::new("SELECT ");
    q.push(COLS).push(" FROM api_tokens WHERE id = ").bind(id);
    q.query()
        .fetch_optional(c)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// A person's tokens, newest first.
pub async fn list_for_user(c: &mut AnyConnection, user: Uuid) -> Result<Vec<ApiToken>> {
    let mut q = crate::sql::Sql::new("SELECT ");
    q.push(COLS)
        .push(" FROM api_tokens WHERE user_id = ")
        .bind(user)
        .push(" ORDER BY id DESC");
    q.query().fetch_all(c).await?.iter().map(from_row).collect()
}

/// Revokes a token.
pub async fn revoke(c: &mut AnyConnection, id: Uuid, at: OffsetDateTime) -> Result<()> {
    sqlx::query("UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
        .bind(id.to_string())
        .bind(ts(at))
        .execute(c)
        .await?;
    Ok(())
}

/// Records use (at most once a minute per token, to spare writes).
pub async fn touch(c: &mut AnyConnection, id: Uuid, at: OffsetDateTime) -> Result<()> {
    sqlx::query(
        "UPDATE api_tokens SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $3)",
    )
    .bind(id.to_string())
    .bind(ts(at))
    .bind(ts(at - time::Duration::minutes(1)))
    .execute(c)
    .await?;
    Ok(())
}
