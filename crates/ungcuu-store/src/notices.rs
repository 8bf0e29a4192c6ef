//! How people want to be told (per topic: now, daily digest, off), the digest queue, incident
//! followers and saved queue filters.

use crate::Result;
use crate::network::Notification;
use crate::row::{RowExt, ts};
use sqlx::AnyConnection;
use time::OffsetDateTime;
use uuid::Uuid;

/// A person's chosen mode per topic (topics without a row use the default).
pub async fn prefs(c: &mut AnyConnection, user: Uuid) -> Result<Vec<(String, String)>> {
    sqlx::query("SELECT topic, mode FROM notice_prefs WHERE user_id = $1 ORDER BY topic")
        .bind(user.to_string())
        .fetch_all(c)
        .await?
        .iter()
        .map(|r| Ok((r.text("topic")?, r.text("mode")?)))
        .collect()
}

/// Sets the mode of one topic.
pub async fn set_pref(c: &mut AnyConnection, user: Uuid, topic: &str, mode: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO notice_prefs (user_id, topic, mode) VALUES ($1, $2, $3)
         ON CONFLICT (user_id, topic) DO UPDATE SET mode = excluded.mode",
    )
    .bind(user.to_string())
    .bind(topic.to_string())
    .bind(mode.to_string())
    .execute(c)
    .await?;
    Ok(())
}

/// The mode chosen for one topic, if any.
pub async fn pref(c: &mut AnyConnection, user: Uuid, topic: &str) -> Result<Option<String>> {
    sqlx::query("SELECT mode FROM notice_prefs WHERE user_id = $1 AND topic = $2")
        .bind(user.to_string())
        .bind(topic.to_string())
        .fetch_optional(c)
        .await?
        .map(|r| r.text("mode"))
        .transpose()
}

/// The digest hour (Vietnam time) and when the last digest went, if the person set one.
pub async fn digest(
    c: &mut AnyConnection,
    user: Uuid,
) -> Result<Option<(i64, Option<OffsetDateTime>)>> {
    sqlx::query("SELECT hour, last_sent_at FROM notice_digests WHERE user_id = $1")
        .bind(user.to_string())
        .fetch_optional(c)
        .await?
        .map(|r| Ok((r.int("hour")?, r.opt_time("last_sent_at")?)))
        .transpose()
}

/// Sets the digest hour, keeping when the last digest went.
pub async fn set_digest_hour(c: &mut AnyConnection, user: Uuid, hour: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO notice_digests (user_id, hour) VALUES ($1, $2)
         ON CONFLICT (user_id) DO UPDATE SET hour = excluded.hour",
    )
    .bind(user.to_string())
    .bind(hour)
    .execute(c)
    .await?;
    Ok(())
}

/// Records that a digest was sent (creating the row with `hour` when the person never set one).
pub async fn digest_sent(
    c: &mut AnyConnection,
    user: Uuid,
    hour: i64,
    at: OffsetDateTime,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO notice_digests (user_id, hour, last_sent_at) VALUES ($1, $2, $3)
         ON CONFLICT (user_id) DO UPDATE SET last_sent_at = excluded.last_sent_at",
    )
    .bind(user.to_string())
    .bind(hour)
    .bind(ts(at))
    .execute(c)
    .await?;
    Ok(())
}

/// Puts a notification in its person's next digest.
pub async fn enqueue_digest(
    c: &mut AnyConnection,
    notification: Uuid,
    user: Uuid,
    at: OffsetDateTime,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO notice_digest_queue (notification_id, user_id, created_at) VALUES ($1, $2, $3)",
    )
    .bind(notification.to_string())
    .bind(user.to_string())
    .bind(ts(at))
    .execute(c)
    .await?;
    Ok(())
}

/// People with notices waiting for a digest.
pub async fn digest_waiting(c: &mut AnyConnection) -> Result<Vec<Uuid>> {
    sqlx::query("SELECT DISTINCT user_id FROM notice_digest_queue ORDER BY user_id")
        .fetch_all(c)
        .await?
        .iter()
        .map(|r| r.uuid("user_id"))
        .collect()
}

/// The notices waiting in one person's digest, oldest first, removed from the queue (the caller
/// sends them in the same transaction).
pub async fn take_digest(c: &mut AnyConnection, user: Uuid) -> Result<Vec<Notification>> {
    let items: Vec<Notification> = sqlx::query(
        "SELECT n.id, n.kind, n.text_vi, n.text_en, n.link, n.created_at, n.read_at
         FROM notice_digest_queue q JOIN notifications n ON n.id = q.notification_id
         WHERE q.user_id = $1 ORDER BY n.id",
    )
    .bind(user.to_string())
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(crate::network::notification_from_row)
    .collect::<Result<_>>()?;
    for n in &items {
        sqlx::query("DELETE FROM notice_digest_queue WHERE notification_id = $1")
            .bind(n.id.to_string())
            .execute(&mut *c)
            .await?;
    }
    Ok(items)
}

/// Starts following an incident (no-op when already following).
pub async fn follow(
    c: &mut AnyConnection,
    incident: Uuid,
    user: Uuid,
    at: OffsetDateTime,
) -> Result<bool> {
    let n = sqlx::query(
        "INSERT INTO incident_followers (incident_id, user_id, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (incident_id, user_id) DO NOTHING",
    )
    .bind(incident.to_string())
    .bind(user.to_string())
    .bind(ts(at))
    .execute(c)
    .await?
    .rows_affected();
    Ok(n > 0)
}

/// Stops following an incident.
pub async fn unfollow(c: &mut AnyConnection, incident: Uuid, user: Uuid) -> Result<bool> {
    let n = sqlx::query("DELETE FROM incident_followers WHERE incident_id = $1 AND user_id = $2")
        .bind(incident.to_string())
        .bind(user.to_string())
        .execute(c)
        .await?
        .rows_affected();
    Ok(n > 0)
}

/// Who follows an incident.
pub async fn followers(c: &mut AnyConnection, incident: Uuid) -> Result<Vec<Uuid>> {
    sqlx::query("SELECT user_id FROM incident_followers WHERE incident_id = $1 ORDER BY user_id")
        .bind(incident.to_string())
        .fetch_all(c)
        .await?
        .iter()
        .map(|r| r.uuid("user_id"))
        .collect()
}

/// Whether a person follows an incident.
pub async fn is_following(c: &mut AnyConnection, incident: Uuid, user: Uuid) -> Result<bool> {
    Ok(sqlx::query(
        "SELECT 1 AS one FROM incident_followers WHERE incident_id = $1 AND user_id = $2",
    )
    .bind(incident.to_string())
    .bind(user.to_string())
    .fetch_optional(c)
    .await?
    .is_some())
}

/// A filter of the incident queue someone saved under a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedFilter {
    /// Id.
    pub id: Uuid,
    /// Whose.
    pub user_id: Uuid,
    /// The name they gave it.
    pub name: String,
    /// The queue's query string (without `?`).
    pub query: String,
    /// When.
    pub created_at: OffsetDateTime,
}

/// Saves a filter; `false` when the person already has one with that name.
pub async fn save_filter(c: &mut AnyConnection, f: &SavedFilter) -> Result<bool> {
    let n = sqlx::query(
        "INSERT INTO saved_filters (id, user_id, name, query, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (user_id, name) DO NOTHING",
    )
    .bind(f.id.to_string())
    .bind(f.user_id.to_string())
    .bind(f.name.clone())
    .bind(f.query.clone())
    .bind(ts(f.created_at))
    .execute(c)
    .await?
    .rows_affected();
    Ok(n > 0)
}

/// A person's saved filters by name.
pub async fn filters(c: &mut AnyConnection, user: Uuid) -> Result<Vec<SavedFilter>> {
    sqlx::query(
        "SELECT id, user_id, name, query, created_at FROM saved_filters WHERE user_id = $1 ORDER BY name",
    )
    .bind(user.to_string())
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| {
        Ok(SavedFilter {
            id: r.uuid("id")?,
            user_id: r.uuid("user_id")?,
            name: r.text("name")?,
            query: r.text("query")?,
            created_at: r.time("created_at")?,
        })
    })
    .collect()
}

/// Deletes one of a person's saved filters; `false` when it is not theirs or does not exist.
pub async fn delete_filter(c: &mut AnyConnection, user: Uuid, id: Uuid) -> Result<bool> {
    let n = sqlx::query("DELETE FROM saved_filters WHERE id = $1 AND user_id = $2")
        .bind(id.to_string())
        .bind(user.to_string())
        .execute(c)
        .await?
        .rows_affected();
    Ok(n > 0)
}
