//! The audit chain. Appends happen inside the caller's transaction, under a lock on the chain
//! head, so events from several replicas serialise into one unbroken chain.

use crate::row::{RowExt, ts};
use crate::sql::Sql;
use crate::{Page, Result};
use sqlx::AnyConnection;
use sqlx::any::AnyRow;
use time::OffsetDateTime;
use ungcuu_domain::audit::{AuditFields, GENESIS};
use uuid::Uuid;

/// An event to append.
#[derive(Debug, Clone, Default)]
pub struct NewEvent {
    /// The person, when there is one.
    pub actor_user_id: Option<Uuid>,
    /// Readable actor (e-mail, `cli`, `system`).
    pub actor_label: String,
    /// The organisation the event concerns.
    pub organization_id: Option<Uuid>,
    /// What happened (`org.create`, `auth.login_failed`, `authz.denied`).
    pub action: String,
    /// Kind of object.
    pub object_type: String,
    /// The object.
    pub object_id: Option<String>,
    /// Before/after summary.
    pub summary: serde_json::Value,
    /// The request that caused it.
    pub request_id: Option<String>,
}

/// A stored event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Position in the chain.
    pub seq: i64,
    /// Id.
    pub id: String,
    /// When (stored text, UTC).
    pub occurred_at: String,
    /// Person.
    pub actor_user_id: Option<String>,
    /// Readable actor.
    pub actor_label: String,
    /// Organisation.
    pub organization_id: Option<String>,
    /// What happened.
    pub action: String,
    /// Kind of object.
    pub object_type: String,
    /// Object.
    pub object_id: Option<String>,
    /// JSON summary.
    pub summary: String,
    /// Request.
    pub request_id: Option<String>,
    /// Previous hash.
    pub prev_hash: String,
    /// This event's hash.
    pub hash: String,
}

impl Event {
    fn fields(&self) -> AuditFields<'_> {
        AuditFields {
            seq: self.seq,
            id: &self.id,
            occurred_at: &self.occurred_at,
            actor_user_id: self.actor_user_id.as_deref(),
            actor_label: &self.actor_label,
            organization_id: self.organization_id.as_deref(),
            action: &self.action,
            object_type: &self.object_type,
            object_id: self.object_id.as_deref(),
            summary: &self.summary,
            request_id: self.request_id.as_deref(),
        }
    }
}

const COLS: &str = "seq, id, occurred_at, actor_user_id, actor_label, organization_id, action, object_type, object_id, summary, request_id, prev_hash, hash";

fn from_row(r: &AnyRow) -> Result<Event> {
    Ok(Event {
        seq: r.int("seq")?,
        id: r.text("id")?,
        occurred_at: r.text("occurred_at")?,
        actor_user_id: r.opt_text("actor_user_id")?,
        actor_label: r.text("actor_label")?,
        organization_id: r.opt_text("organization_id")?,
        action: r.text("action")?,
        object_type: r.text("object_type")?,
        object_id: r.opt_text("object_id")?,
        summary: r.text("summary")?,
        request_id: r.opt_text("request_id")?,
        prev_hash: r.text("prev_hash")?,
        hash: r.text("hash")?,
    })
}

/// Appends an event in the caller's transaction; returns its sequence number.
pub async fn append(c: &mut AnyConnection, ev: &NewEvent, at: OffsetDateTime) -> Result<i64> {
    // PostgreSQL: lock the head row until commit. SQLite: the transaction already holds the
    // database write lock (BEGIN IMMEDIATE).
    let head_sql = if c.backend_name().eq_ignore_ascii_case("postgresql") {
        "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE"
    } else {
        "SELECT seq, hash FROM audit_head WHERE id = 1"
    };
    let head = sqlx::query(head_sql).fetch_one(&mut *c).await?;
    let prev_seq = head.int("seq")?;
    let prev_hash = head.text("hash")?;
    let stored = Event {
        seq: prev_seq + 1,
        id: Uuid::now_v7().to_string(),
        occurred_at: ts(at),
        actor_user_id: ev.actor_user_id.map(|u| u.to_string()),
        actor_label: ev.actor_label.clone(),
        organization_id: ev.organization_id.map(|u| u.to_string()),
        action: ev.action.clone(),
        object_type: ev.object_type.clone(),
        object_id: ev.object_id.clone(),
        summary: ev.summary.to_string(),
        request_id: ev.request_id.clone(),
        hash: String::new(),
        prev_hash,
    };
    let hash = stored.fields().hash(&stored.prev_hash);
    sqlx::query(
        "INSERT INTO audit_events (seq, id, occurred_at, actor_user_id, actor_label, organization_id, action,
         object_type, object_id, summary, request_id, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(stored.seq)
    .bind(stored.id.clone())
    .bind(stored.occurred_at.clone())
    .bind(stored.actor_user_id.clone())
    .bind(stored.actor_label.clone())
    .bind(stored.organization_id.clone())
    .bind(stored.action.clone())
    .bind(stored.object_type.clone())
    .bind(stored.object_id.clone())
    .bind(stored.summary.clone())
    .bind(stored.request_id.clone())
    .bind(stored.prev_hash.clone())
    .bind(hash.clone())
    .execute(&mut *c)
    .await?;
    sqlx::query("UPDATE audit_head SET seq = $1, hash = $2, updated_at = $3 WHERE id = 1")
        .bind(stored.seq)
        .bind(hash)
        .bind(stored.occurred_at.clone())
        .execute(&mut *c)
        .await?;
    Ok(stored.seq)
}

/// The chain head: (count, hash, time).
pub async fn head(c: &mut AnyConnection) -> Result<(i64, String, String)> {
    let r = sqlx::query("SELECT seq, hash, updated_at FROM audit_head WHERE id = 1")
        .fetch_one(c)
        .await?;
    Ok((r.int("seq")?, r.text("hash")?, r.text("updated_at")?))
}

/// Filters for [`list`].
#[derive(Debug, Default, Clone)]
pub struct AuditFilter {
    /// Only events concerning these organisations (`None`: all).
    pub within: Option<Vec<Uuid>>,
    /// Only this actor.
    pub actor: Option<Uuid>,
    /// Only this organisation.
    pub org: Option<Uuid>,
    /// Only actions starting with this.
    pub action_prefix: Option<String>,
    /// Only this object type.
    pub object_type: Option<String>,
    /// Only this object.
    pub object_id: Option<String>,
    /// From (inclusive).
    pub from: Option<OffsetDateTime>,
    /// Until (exclusive).
    pub until: Option<OffsetDateTime>,
}

/// Newest first, keyset on `seq`.
pub async fn list(
    c: &mut AnyConnection,
    f: &AuditFilter,
    before_seq: Option<i64>,
    limit: i64,
) -> Result<Page<Event>> {
    let mut q = Sql::new("SELECT ");
    q.push(COLS).push(" FROM audit_events WHERE 1 = 1");
    if let Some(ids) = &f.within {
        q.push(" AND organization_id IN ")
            .bind_list(ids.iter().copied());
    }
    if let Some(a) = f.actor {
        q.push(" AND actor_user_id = ").bind(a);
    }
    if let Some(o) = f.org {
        q.push(" AND organization_id = ").bind(o);
    }
    if let Some(p) = &f.action_prefix {
        q.push(" AND action LIKE ")
            .bind(format!("{}%", crate::orgs::like_escape(p)))
            .push(" ESCAPE '\\'");
    }
    if let Some(t) = &f.object_type {
        q.push(" AND object_type = ").bind(t.as_str());
    }
    if let Some(o) = &f.object_id {
        q.push(" AND object_id = ").bind(o.as_str());
    }
    if let Some(t) = f.from {
        q.push(" AND occurred_at >= ").bind(ts(t));
    }
    if let Some(t) = f.until {
        q.push(" AND occurred_at < ").bind(ts(t));
    }
    if let Some(s) = before_seq {
        q.push(" AND seq < ").bind(s);
    }
    q.push(" ORDER BY seq DESC LIMIT ").bind(limit + 1);
    let mut items: Vec<Event> = q
        .query()
        .fetch_all(c)
        .await?
        .iter()
        .map(from_row)
        .collect::<Result<_>>()?;
    let next = if items.len() as i64 > limit {
        items.truncate(limit as usize);
        items.last().map(|e| e.seq.to_string())
    } else {
        None
    };
    Ok(Page { items, next })
}

/// One event.
pub async fn get(c: &mut AnyConnection, seq: i64) -> Result<Option<Event>> {
    let mut q = Sql::new("SELECT ");
    q.push(COLS)
        .push(" FROM audit_events WHERE seq = ")
        .bind(seq);
    q.query()
        .fetch_optional(c)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// What verification found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every event links to the one before and the head matches the last.
    Intact {
        /// Number of events checked.
        count: i64,
        /// Hash of the last.
        head: String,
    },
    /// The first event (or the head) that does not fit.
    Broken {
        /// Sequence number where the chain breaks (0 for the head).
        seq: i64,
        /// Why.
        reason: String,
    },
}

/// Walks the whole chain in order, recomputing every hash.
pub async fn verify(c: &mut AnyConnection) -> Result<Verdict> {
    let mut prev_hash = GENESIS.to_string();
    let mut expected_seq = 1;
    loop {
        let mut q = Sql::new("SELECT ");
        q.push(COLS)
            .push(" FROM audit_events WHERE seq >= ")
            .bind(expected_seq)
            .push(" ORDER BY seq LIMIT 1000");
        let rows = q.query().fetch_all(&mut *c).await?;
        if rows.is_empty() {
            break;
        }
        for r in &rows {
            let e = from_row(r)?;
            if e.seq != expected_seq {
                return Ok(Verdict::Broken {
                    seq: expected_seq,
                    reason: format!("event {expected_seq} is missing (next stored is {})", e.seq),
                });
            }
            if e.prev_hash != prev_hash {
                return Ok(Verdict::Broken {
                    seq: e.seq,
                    reason: "previous-hash link does not match the event before".into(),
                });
            }
            let h = e.fields().hash(&e.prev_hash);
            if h != e.hash {
                return Ok(Verdict::Broken {
                    seq: e.seq,
                    reason: "content does not match its hash (edited)".into(),
                });
            }
            prev_hash = e.hash;
            expected_seq += 1;
        }
    }
    let (head_seq, head_hash, _) = head(c).await?;
    if head_seq != expected_seq - 1 || head_hash != prev_hash {
        return Ok(Verdict::Broken {
            seq: if head_seq > expected_seq - 1 {
                expected_seq
            } else {
                0
            },
            reason: format!(
                "chain head says {head_seq} events but {} were found (events removed from the end, or head edited)",
                expected_seq - 1
            ),
        });
    }
    Ok(Verdict::Intact {
        count: expected_seq - 1,
        head: prev_hash,
    })
}

/// The newest position in the chain among one organisation's events (0 when it has none).
/// Cheap on the `(organization_id, seq)` index; the live incident page polls it.
pub async fn latest_seq_of_org(c: &mut AnyConnection, org: Uuid) -> Result<i64> {
    let r = sqlx::query("SELECT MAX(seq) AS s FROM audit_events WHERE organization_id = $1")
        .bind(org.to_string())
        .fetch_one(c)
        .await?;
    Ok(r.opt_int("s")?.unwrap_or(0))
}

/// One organisation's events after `after_seq`, oldest first, at most `limit`.
pub async fn org_events_after(
    c: &mut AnyConnection,
    org: Uuid,
    after_seq: i64,
    limit: i64,
) -> Result<Vec<Event>> {
    let mut q = Sql::new("SELECT ");
    q.push(COLS)
        .push(" FROM audit_events WHERE organization_id = ")
        .bind(org)
        .push(" AND seq > ")
        .bind(after_seq)
        .push(" ORDER BY seq LIMIT ")
        .bind(limit);
    q.query().fetch_all(c).await?.iter().map(from_row).collect()
}
