//! E-mails received by the intake: one row per message and owner organisation, with the
//! incident it opened or joined, so a repeat is recognised and a reply finds its thread.

use crate::Result;
use crate::row::{RowExt, ts};
use crate::sql::Sql;
use sqlx::AnyConnection;
use sqlx::any::AnyRow;
use time::OffsetDateTime;
use uuid::Uuid;

/// One received message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailMessage {
    /// Id.
    pub id: Uuid,
    /// Its Message-ID (no angle brackets), or `sha256:` of its bytes.
    pub message_id: String,
    /// The incident it opened or joined.
    pub incident_id: Uuid,
    /// That incident's owner (the uniqueness scope).
    pub owner_org_id: Uuid,
    /// `report` (opened the incident) or `reply` (joined it).
    pub kind: String,
    /// `Name <address>` of the sender.
    pub sender: String,
    /// The subject.
    pub subject: String,
    /// The evidence row holding the raw message.
    pub evidence_id: Uuid,
    /// The person whose token posted it.
    pub received_by: Option<Uuid>,
    /// When it was received.
    pub received_at: OffsetDateTime,
}

const COLS: &str = "id, message_id, incident_id, owner_org_id, kind, sender, subject, evidence_id,
     received_by, received_at FROM email_messages";

fn from_row(r: &AnyRow) -> Result<EmailMessage> {
    Ok(EmailMessage {
        id: r.uuid("id")?,
        message_id: r.text("message_id")?,
        incident_id: r.uuid("incident_id")?,
        owner_org_id: r.uuid("owner_org_id")?,
        kind: r.text("kind")?,
        sender: r.text("sender")?,
        subject: r.text("subject")?,
        evidence_id: r.uuid("evidence_id")?,
        received_by: r.opt_uuid("received_by")?,
        received_at: r.time("received_at")?,
    })
}

/// Records a received message. A repeat of (owner, Message-ID) is a unique violation
/// (`email_messages_unique`).
pub async fn insert(c: &mut AnyConnection, m: &EmailMessage) -> Result<()> {
    sqlx::query(
        "INSERT INTO email_messages (id, message_id, incident_id, owner_org_id, kind, sender,
         subject, evidence_id, received_by, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(m.id.to_string())
    .bind(m.message_id.clone())
    .bind(m.incident_id.to_string())
    .bind(m.owner_org_id.to_string())
    .bind(m.kind.clone())
    .bind(m.sender.clone())
    .bind(m.subject.clone())
    .bind(m.evidence_id.to_string())
    .bind(m.received_by.map(|u| u.to_string()))
    .bind(ts(m.received_at))
    .execute(c)
    .await?;
    Ok(())
}

/// Every stored row with one of these Message-IDs (any owner), oldest first; at most 200 ids
/// are looked up (a References header can be long).
pub async fn by_message_ids(c: &mut AnyConnection, ids: &[String]) -> Result<Vec<EmailMessage>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Sql::new("SELECT ");
    q.push(COLS)
        .push(" WHERE message_id IN ")
        .bind_list(ids.iter().take(200).map(String::as_str))
        .push(" ORDER BY received_at, id");
    q.query().fetch_all(c).await?.iter().map(from_row).collect()
}

/// The messages of an incident, oldest first.
pub async fn of_incident(c: &mut AnyConnection, incident: Uuid) -> Result<Vec<EmailMessage>> {
    let mut q = Sql::new("SELECT ");
    q.push(COLS)
        .push(" WHERE incident_id = ")
        .bind(incident)
        .push(" ORDER BY received_at, id");
    q.query().fetch_all(c).await?.iter().map(from_row).collect()
}
