//! The jobs table: work enqueued in the same transaction as the change that causes it, claimed
//! by a worker with a lease so that with several replicas each job runs once at a time.

use crate::Result;
use crate::row::{RowExt, ts};
use sqlx::AnyConnection;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// A claimed job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// Id.
    pub id: Uuid,
    /// What to do (`mail.send`).
    pub kind: String,
    /// JSON arguments.
    pub payload: String,
    /// Attempts so far, including this one.
    pub attempts: i64,
    /// Attempts allowed.
    pub max_attempts: i64,
}

/// Enqueues a job due at `run_at`.
pub async fn enqueue(
    c: &mut AnyConnection,
    kind: &str,
    payload: &serde_json::Value,
    run_at: OffsetDateTime,
    max_attempts: i64,
) -> Result<Uuid> {
    let id = Uuid::now_v7();
    let now = ts(ungcuu_domain::timefmt::now());
    sqlx::query(
        "INSERT INTO jobs (id, kind, payload, status, attempts, max_attempts, run_at, created_at, updated_at)
         VALUES ($1, $2, $3, 'queued', 0, $4, $5, $6, $6)",
    )
    .bind(id.to_string())
    .bind(kind.to_string())
    .bind(payload.to_string())
    .bind(max_attempts)
    .bind(ts(run_at))
    .bind(now)
    .execute(c)
    .await?;
    Ok(id)
}

/// Claims one due job: queued and due, or running with an expired lease (its worker died).
pub async fn claim(
    c: &mut AnyConnection,
    worker: &str,
    now: OffsetDateTime,
    lease: Duration,
) -> Result<Option<Job>> {
    let pg = c.backend_name().eq_ignore_ascii_case("postgresql");
    let sql = if pg {
        "UPDATE jobs SET status = 'running', attempts = attempts + 1, leased_by = $1, lease_until = $2, updated_at = $3
         WHERE id = (SELECT id FROM jobs
                     WHERE (status = 'queued' AND run_at <= $3) OR (status = 'running' AND lease_until < $3)
                     ORDER BY run_at LIMIT 1 FOR UPDATE SKIP LOCKED)
         RETURNING id, kind, payload, attempts, max_attempts"
    } else {
        "UPDATE jobs SET status = 'running', attempts = attempts + 1, leased_by = $1, lease_until = $2, updated_at = $3
         WHERE id = (SELECT id FROM jobs
                     WHERE (status = 'queued' AND run_at <= $3) OR (status = 'running' AND lease_until < $3)
                     ORDER BY run_at LIMIT 1)
         RETURNING id, kind, payload, attempts, max_attempts"
    };
    let row = sqlx::query(sql)
        .bind(worker.to_string())
        .bind(ts(now + lease))
        .bind(ts(now))
        .fetch_optional(c)
        .await?;
    row.map(|r| {
        Ok(Job {
            id: r.uuid("id")?,
            kind: r.text("kind")?,
            payload: r.text("payload")?,
            attempts: r.int("attempts")?,
            max_attempts: r.int("max_attempts")?,
        })
    })
    .transpose()
}

/// Marks a job done.
pub async fn complete(c: &mut AnyConnection, id: Uuid, now: OffsetDateTime) -> Result<()> {
    sqlx::query(
        "UPDATE jobs SET status = 'done', lease_until = NULL, updated_at = $2 WHERE id = $1",
    )
    .bind(id.to_string())
    .bind(ts(now))
    .execute(c)
    .await?;
    Ok(())
}

/// Records a failure: back to the queue at `retry_at`, or failed for good when `retry_at` is None.
pub async fn fail(
    c: &mut AnyConnection,
    id: Uuid,
    error: &str,
    retry_at: Option<OffsetDateTime>,
    now: OffsetDateTime,
) -> Result<()> {
    let (status, run_at) = match retry_at {
        Some(t) => ("queued", Some(ts(t))),
        None => ("failed", None),
    };
    sqlx::query(
        "UPDATE jobs SET status = $2, run_at = COALESCE($3, run_at), last_error = $4, lease_until = NULL,
         updated_at = $5 WHERE id = $1",
    )
    .bind(id.to_string())
    .bind(status)
    .bind(run_at)
    .bind(error.chars().take(2000).collect::<String>())
    .bind(ts(now))
    .execute(c)
    .await?;
    Ok(())
}

/// Counts of jobs by status.
pub async fn counts(c: &mut AnyConnection) -> Result<Vec<(String, i64)>> {
    let rows =
        sqlx::query("SELECT status, COUNT(*) AS n FROM jobs GROUP BY status ORDER BY status")
            .fetch_all(c)
            .await?;
    rows.iter()
        .map(|r| Ok((r.text("status")?, r.int("n")?)))
        .collect()
}
