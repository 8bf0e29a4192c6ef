//! Browser sessions, kept in the database so any replica can serve any request.
//! Only the SHA-256 of the session token is stored.

use crate::Result;
use crate::row::{RowExt, ts};
use sqlx::AnyConnection;
use time::OffsetDateTime;
use uuid::Uuid;

/// A stored session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// SHA-256 of the cookie value, hex.
    pub id_hash: String,
    /// Who.
    pub user_id: Uuid,
    /// The CSRF token forms must echo.
    pub csrf_token: String,
    /// Signed in at.
    pub created_at: OffsetDateTime,
    /// Last request.
    pub last_seen_at: OffsetDateTime,
    /// Absolute end.
    pub expires_at: OffsetDateTime,
}

/// Inserts a session.
pub async fn insert(
    c: &mut AnyConnection,
    s: &Session,
    user_agent: Option<&str>,
    ip: Option<&str>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, user_agent, ip)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(s.id_hash.clone())
    .bind(s.user_id.to_string())
    .bind(s.csrf_token.clone())
    .bind(ts(s.created_at))
    .bind(ts(s.last_seen_at))
    .bind(ts(s.expires_at))
    .bind(user_agent.map(|u| u.chars().take(300).collect::<String>()))
    .bind(ip.map(str::to_string))
    .execute(c)
    .await?;
    Ok(())
}

/// A session by the hash of its token.
pub async fn get(c: &mut AnyConnection, id_hash: &str) -> Result<Option<Session>> {
    let r = sqlx::query(
        "SELECT id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at FROM sessions WHERE id_hash = $1",
    )
    .bind(id_hash.to_string())
    .fetch_optional(c)
    .await?;
    r.map(|r| {
        Ok(Session {
            id_hash: r.text("id_hash")?,
            user_id: r.uuid("user_id")?,
            csrf_token: r.text("csrf_token")?,
            created_at: r.time("created_at")?,
            last_seen_at: r.time("last_seen_at")?,
            expires_at: r.time("expires_at")?,
        })
    })
    .transpose()
}

/// Records activity.
pub async fn touch(c: &mut AnyConnection, id_hash: &str, at: OffsetDateTime) -> Result<()> {
    sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1")
        .bind(id_hash.to_string())
        .bind(ts(at))
        .execute(c)
        .await?;
    Ok(())
}

/// Ends one session.
pub async fn delete(c: &mut AnyConnection, id_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(id_hash.to_string())
        .execute(c)
        .await?;
    Ok(())
}

/// Ends every session of a person; returns how many.
pub async fn delete_for_user(c: &mut AnyConnection, user: Uuid) -> Result<u64> {
    let r = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user.to_string())
        .execute(c)
        .await?;
    Ok(r.rows_affected())
}

/// Removes sessions past their end.
pub async fn purge_expired(c: &mut AnyConnection, now: OffsetDateTime) -> Result<u64> {
    let r = sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
        .bind(ts(now))
        .execute(c)
        .await?;
    Ok(r.rows_affected())
}
