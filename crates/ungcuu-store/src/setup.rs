//! One-time setup links for an empty installation.

use crate::Result;
use crate::row::ts;
use sqlx::AnyConnection;
use time::OffsetDateTime;

/// Stores the hash of a new setup token.
pub async fn insert(c: &mut AnyConnection, token_hash: &str, at: OffsetDateTime) -> Result<()> {
    sqlx::query("INSERT INTO setup_tokens (token_hash, created_at) VALUES ($1, $2)")
        .bind(token_hash.to_string())
        .bind(ts(at))
        .execute(c)
        .await?;
    Ok(())
}

/// True when an unused token with this hash exists.
pub async fn is_live(c: &mut AnyConnection, token_hash: &str) -> Result<bool> {
    Ok(
        sqlx::query("SELECT 1 FROM setup_tokens WHERE token_hash = $1 AND used_at IS NULL")
            .bind(token_hash.to_string())
            .fetch_optional(c)
            .await?
            .is_some(),
    )
}

/// Marks the token used; false when it was not live (already used or unknown).
pub async fn consume(c: &mut AnyConnection, token_hash: &str, at: OffsetDateTime) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE setup_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL",
    )
    .bind(token_hash.to_string())
    .bind(ts(at))
    .execute(c)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Kills every unused token (once the installation has an administrator).
pub async fn revoke_all(c: &mut AnyConnection, at: OffsetDateTime) -> Result<()> {
    sqlx::query("UPDATE setup_tokens SET used_at = $1 WHERE used_at IS NULL")
        .bind(ts(at))
        .execute(c)
        .await?;
    Ok(())
}
