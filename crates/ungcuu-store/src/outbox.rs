//! The e-mail outbox and its delivery log. A message is stored before anything tries to send
//! it, so nothing acknowledged is lost when SMTP is down.

use crate::Result;
use crate::row::{RowExt, ts};
use sqlx::AnyConnection;
use time::OffsetDateTime;
use uuid::Uuid;

/// A message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    /// Id.
    pub id: Uuid,
    /// Recipient address.
    pub to_addr: String,
    /// Subject.
    pub subject: String,
    /// Plain text body.
    pub body_text: String,
    /// HTML body.
    pub body_html: Option<String>,
    /// `pending`, `sent`, `written` (to the outbox folder), `failed`.
    pub status: String,
    /// Attempts so far.
    pub attempts: i64,
    /// Queued at.
    pub created_at: OffsetDateTime,
}

/// Stores a pending message.
pub async fn insert(c: &mut AnyConnection, m: &Mail) -> Result<()> {
    sqlx::query(
        "INSERT INTO mail_outbox (id, to_addr, subject, body_text, body_html, status, attempts, created_at)
         VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6)",
    )
    .bind(m.id.to_string())
    .bind(m.to_addr.clone())
    .bind(m.subject.clone())
    .bind(m.body_text.clone())
    .bind(m.body_html.clone())
    .bind(ts(m.created_at))
    .execute(c)
    .await?;
    Ok(())
}

/// One message.
pub async fn get(c: &mut AnyConnection, id: Uuid) -> Result<Option<Mail>> {
    let r = sqlx::query(
        "SELECT id, to_addr, subject, body_text, body_html, status, attempts, created_at FROM mail_outbox WHERE id = $1",
    )
    .bind(id.to_string())
    .fetch_optional(c)
    .await?;
    r.map(|r| {
        Ok(Mail {
            id: r.uuid("id")?,
            to_addr: r.text("to_addr")?,
            subject: r.text("subject")?,
            body_text: r.text("body_text")?,
            body_html: r.opt_text("body_html")?,
            status: r.text("status")?,
            attempts: r.int("attempts")?,
            created_at: r.time("created_at")?,
        })
    })
    .transpose()
}

/// Records one delivery attempt and the message's resulting status.
pub async fn record_attempt(
    c: &mut AnyConnection,
    id: Uuid,
    status: &str,
    outcome: &str,
    detail: &str,
    at: OffsetDateTime,
) -> Result<()> {
    let sent = matches!(status, "sent" | "written").then(|| ts(at));
    sqlx::query(
        "UPDATE mail_outbox SET status = $2, attempts = attempts + 1, sent_at = COALESCE($3, sent_at),
         last_error = $4 WHERE id = $1",
    )
    .bind(id.to_string())
    .bind(status.to_string())
    .bind(sent)
    .bind((outcome != "ok").then(|| detail.to_string()))
    .execute(&mut *c)
    .await?;
    sqlx::query(
        "INSERT INTO mail_deliveries (id, mail_id, attempted_at, outcome, detail) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(id.to_string())
    .bind(ts(at))
    .bind(outcome.to_string())
    .bind(detail.chars().take(2000).collect::<String>())
    .execute(c)
    .await?;
    Ok(())
}

/// Messages not yet delivered.
pub async fn backlog(c: &mut AnyConnection) -> Result<i64> {
    sqlx::query("SELECT COUNT(*) AS n FROM mail_outbox WHERE status = 'pending'")
        .fetch_one(c)
        .await?
        .int("n")
}

/// The delivery log of a message: (time, outcome, detail).
pub async fn deliveries(c: &mut AnyConnection, id: Uuid) -> Result<Vec<(String, String, String)>> {
    let rows = sqlx::query(
        "SELECT attempted_at, outcome, detail FROM mail_deliveries WHERE mail_id = $1 ORDER BY attempted_at, id",
    )
    .bind(id.to_string())
    .fetch_all(c)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.text("attempted_at")?,
                r.text("outcome")?,
                r.text("detail")?,
            ))
        })
        .collect()
}

/// A file attached to a message: a reference into the blob store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// File name shown to the recipient (built by the server).
    pub file_name: String,
    /// Media type.
    pub media_type: String,
    /// SHA-256 of the blob.
    pub sha256: String,
}

/// Stores the attachments of a pending message, in order.
pub async fn insert_attachments(
    c: &mut AnyConnection,
    mail: Uuid,
    list: &[Attachment],
) -> Result<()> {
    for (i, a) in list.iter().enumerate() {
        sqlx::query(
            "INSERT INTO mail_attachments (mail_id, ordinal, file_name, media_type, sha256)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(mail.to_string())
        .bind(i64::try_from(i).unwrap_or(i64::MAX))
        .bind(a.file_name.clone())
        .bind(a.media_type.clone())
        .bind(a.sha256.clone())
        .execute(&mut *c)
        .await?;
    }
    Ok(())
}

/// The attachments of a message, in order.
pub async fn attachments(c: &mut AnyConnection, mail: Uuid) -> Result<Vec<Attachment>> {
    let rows = sqlx::query(
        "SELECT file_name, media_type, sha256 FROM mail_attachments WHERE mail_id = $1 ORDER BY ordinal",
    )
    .bind(mail.to_string())
    .fetch_all(c)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Attachment {
                file_name: r.text("file_name")?,
                media_type: r.text("media_type")?,
                sha256: r.text("sha256")?,
            })
        })
        .collect()
}
