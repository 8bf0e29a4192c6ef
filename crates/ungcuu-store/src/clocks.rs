//! The reporting clocks: records of reports sent (which stop a clock) and the reminders already
//! sent (so each threshold is sent once).

use crate::Result;
use crate::row::{RowExt, ts};
use crate::sql::Sql;
use sqlx::AnyConnection;
use sqlx::any::AnyRow;
use time::OffsetDateTime;
use ungcuu_domain::clocks::{Channel, ClockKind};
use uuid::Uuid;

/// A report (notification or final report) recorded as sent.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportRecord {
    /// Id.
    pub id: Uuid,
    /// The incident.
    pub incident_id: Uuid,
    /// Which clock it stops.
    pub kind: ClockKind,
    /// When it was sent.
    pub sent_at: OffsetDateTime,
    /// How.
    pub channel: Channel,
    /// To whom, as typed.
    pub recipients: String,
    /// A note (letter number, …).
    pub note: Option<String>,
    /// Who recorded it.
    pub recorded_by: Option<Uuid>,
    /// Recorded.
    pub created_at: OffsetDateTime,
}

fn from_row(r: &AnyRow) -> Result<ReportRecord> {
    Ok(ReportRecord {
        id: r.uuid("id")?,
        incident_id: r.uuid("incident_id")?,
        kind: r.parsed("kind")?,
        sent_at: r.time("sent_at")?,
        channel: r.parsed("channel")?,
        recipients: r.text("recipients")?,
        note: r.opt_text("note")?,
        recorded_by: r.opt_uuid("recorded_by")?,
        created_at: r.time("created_at")?,
    })
}

const COLS: &str = "SELECT id, incident_id, kind, sent_at, channel, recipients, note, recorded_by, created_at FROM report_records";

/// Stores a record.
pub async fn insert(c: &mut AnyConnection, r: &ReportRecord) -> Result<()> {
    sqlx::query(
        "INSERT INTO report_records (id, incident_id, kind, sent_at, channel, recipients, note,
         recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(r.id.to_string())
    .bind(r.incident_id.to_string())
    .bind(r.kind.as_str().to_string())
    .bind(ts(r.sent_at))
    .bind(r.channel.as_str().to_string())
    .bind(r.recipients.clone())
    .bind(r.note.clone())
    .bind(r.recorded_by.map(|u| u.to_string()))
    .bind(ts(r.created_at))
    .execute(c)
    .await?;
    Ok(())
}

/// The records of some incidents, earliest sending first.
pub async fn for_incidents(c: &mut AnyConnection, ids: &[Uuid]) -> Result<Vec<ReportRecord>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let mut q = Sql::new(COLS);
        q.push(" WHERE incident_id IN ")
            .bind_list(chunk.iter().copied())
            .push(" ORDER BY sent_at, id");
        for r in q.query().fetch_all(&mut *c).await?.iter() {
            out.push(from_row(r)?);
        }
    }
    out.sort_by_key(|r| (r.sent_at, r.id));
    Ok(out)
}

/// Remembers that `threshold` of `clock` was passed for an incident; true when it was not
/// remembered yet (the caller then sends the reminder, in the same transaction).
pub async fn mark_reminder(
    c: &mut AnyConnection,
    incident: Uuid,
    clock: ClockKind,
    threshold: &str,
    at: OffsetDateTime,
) -> Result<bool> {
    let r = sqlx::query(
        "INSERT INTO clock_reminders (incident_id, clock, threshold, sent_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (incident_id, clock, threshold) DO NOTHING",
    )
    .bind(incident.to_string())
    .bind(clock.as_str().to_string())
    .bind(threshold.to_string())
    .bind(ts(at))
    .execute(c)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Remembers that the `threshold` reminder of the `kind` Mẫu 05 deadline of `year` was sent;
/// false when it already was.
pub async fn mark_period_reminder(
    c: &mut AnyConnection,
    year: i64,
    kind: &str,
    threshold: &str,
    at: OffsetDateTime,
) -> Result<bool> {
    let r = sqlx::query(
        "INSERT INTO period_reminders (year, kind, threshold, sent_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (year, kind, threshold) DO NOTHING",
    )
    .bind(year)
    .bind(kind.to_string())
    .bind(threshold.to_string())
    .bind(ts(at))
    .execute(c)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// When this installation's database was created (its first migration): deadlines from before
/// it are not the system's to chase.
pub async fn installed_at(c: &mut AnyConnection) -> Result<Option<OffsetDateTime>> {
    let r = sqlx::query("SELECT applied_at FROM schema_migrations WHERE version = 1")
        .fetch_optional(c)
        .await?;
    r.map(|r| r.time("applied_at")).transpose()
}
