//! Installation settings as key/value text.

use crate::Result;
use crate::row::{RowExt, ts};
use sqlx::AnyConnection;
use time::OffsetDateTime;

/// A setting's value.
pub async fn get(c: &mut AnyConnection, key: &str) -> Result<Option<String>> {
    sqlx::query("SELECT value FROM settings WHERE key = $1")
        .bind(key.to_string())
        .fetch_optional(c)
        .await?
        .map(|r| r.text("value"))
        .transpose()
}

/// Sets a value.
pub async fn set(c: &mut AnyConnection, key: &str, value: &str, at: OffsetDateTime) -> Result<()> {
    sqlx::query(
        "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    )
    .bind(key.to_string())
    .bind(value.to_string())
    .bind(ts(at))
    .execute(c)
    .await?;
    Ok(())
}

/// Sets a value only if the key has none yet; returns the value now stored. Replicas that race
/// to create the same setting all end up reading the first one written.
pub async fn get_or_insert(
    c: &mut AnyConnection,
    key: &str,
    value: &str,
    at: OffsetDateTime,
) -> Result<String> {
    sqlx::query("INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING")
        .bind(key.to_string())
        .bind(value.to_string())
        .bind(ts(at))
        .execute(&mut *c)
        .await?;
    Ok(get(c, key).await?.unwrap_or_else(|| value.to_string()))
}
