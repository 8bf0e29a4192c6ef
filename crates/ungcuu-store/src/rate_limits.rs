//! Rate-limit counters: one row per bucket and fixed window. Kept in the database rather than in
//! memory so that several replicas behind a load balancer count against the same limit.

use crate::Result;
use crate::row::{RowExt, ts};
use sqlx::AnyConnection;
use time::OffsetDateTime;

/// Counts one hit on `bucket` in the window starting at `window_start` and returns the hits of
/// that window so far, this one included. One statement, so concurrent hits from any replica
/// never lose a count: PostgreSQL locks the conflicting row, SQLite holds the write lock.
pub async fn hit(
    c: &mut AnyConnection,
    bucket: &str,
    window_start: OffsetDateTime,
    expires_at: OffsetDateTime,
) -> Result<i64> {
    sqlx::query(
        "INSERT INTO rate_limits (bucket, window_start, hits, expires_at) VALUES ($1, $2, 1, $3)
         ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limits.hits + 1
         RETURNING hits",
    )
    .bind(bucket.to_string())
    .bind(ts(window_start))
    .bind(ts(expires_at))
    .fetch_one(c)
    .await?
    .int("hits")
}

/// Hits counted so far on `bucket` in the window starting at `window_start` (0 when none).
pub async fn hits(
    c: &mut AnyConnection,
    bucket: &str,
    window_start: OffsetDateTime,
) -> Result<i64> {
    let row = sqlx::query("SELECT hits FROM rate_limits WHERE bucket = $1 AND window_start = $2")
        .bind(bucket.to_string())
        .bind(ts(window_start))
        .fetch_optional(c)
        .await?;
    row.map_or(Ok(0), |r| r.int("hits"))
}

/// Deletes the counters of windows that ended before `now`; returns how many went.
pub async fn purge(c: &mut AnyConnection, now: OffsetDateTime) -> Result<u64> {
    let done = sqlx::query("DELETE FROM rate_limits WHERE expires_at < $1")
        .bind(ts(now))
        .execute(c)
        .await?;
    Ok(done.rows_affected())
}
