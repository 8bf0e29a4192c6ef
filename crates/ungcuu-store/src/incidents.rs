//! Incidents and their events (transitions, comments, classification changes, manual timeline
//! entries). The Mẫu 03 report, the impact facts, the severity reasons and the review are JSON
//! text columns: they are read and written whole, never queried inside.

use crate::orgs::like_escape;
use crate::row::{RowExt, ts};
use crate::sql::Sql;
use crate::systems::OrgRef;
use crate::{Page, Result, StoreError};
use sqlx::AnyConnection;
use sqlx::any::AnyRow;
use std::str::FromStr;
use time::OffsetDateTime;
use ungcuu_domain::incident::{
    Impact, IncidentState, IncidentType, Outcome, Reason, Report, Review, Severity, Subtype, Tlp,
};
use ungcuu_domain::text::fold;
use uuid::Uuid;

/// An incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incident {
    /// Id.
    pub id: Uuid,
    /// The organisation whose incident it is (the system's owner or operator). Only its id is
    /// written; slug and name are read.
    pub owner: OrgRef,
    /// The registry's system, when known (no foreign key: see the migration).
    pub system_id: Option<String>,
    /// Tên hệ thống bị sự cố, as reported.
    pub system_name: Option<String>,
    /// Short title.
    pub title: String,
    /// Mô tả sơ bộ, then what was learnt.
    pub description: String,
    /// Mẫu 05 type, once classified.
    pub incident_type: Option<IncidentType>,
    /// Sub-type, once classified.
    pub subtype: Option<Subtype>,
    /// Sharing label.
    pub tlp: Tlp,
    /// Ordinary or serious (after any override).
    pub severity: Severity,
    /// The rules that fired at the last evaluation.
    pub severity_reasons: Vec<Reason>,
    /// Why a person set the severity by hand, when they did.
    pub severity_override_reason: Option<String>,
    /// The facts the rules read.
    pub impact: Impact,
    /// Where the response stands.
    pub state: IncidentState,
    /// Discovered.
    pub discovered_at: OffsetDateTime,
    /// Reported (Mẫu 03 "Thời gian thực hiện báo cáo").
    pub reported_at: OffsetDateTime,
    /// When the response ended (entered review): the final report is due 5 days later.
    pub response_completed_at: Option<OffsetDateTime>,
    /// When it was closed.
    pub closed_at: Option<OffsetDateTime>,
    /// The rest of Mẫu 03.
    pub report: Report,
    /// The post-incident review.
    pub review: Option<Review>,
    /// Who helped and the damage, once recorded (Mẫu 05 counts it).
    pub outcome: Option<Outcome>,
    /// Who entered it (none from the command line or the demo loader).
    pub created_by: Option<Uuid>,
    /// Created.
    pub created_at: OffsetDateTime,
    /// Last changed.
    pub updated_at: OffsetDateTime,
}

const COLS: &str = "i.id, i.owner_org_id, o.slug AS owner_slug, o.name AS owner_name,
     i.system_id, i.system_name, i.title, i.description, i.type, i.subtype, i.tlp, i.severity,
     i.severity_reasons, i.severity_override_reason, i.impact, i.state, i.discovered_at,
     i.reported_at, i.response_completed_at, i.closed_at, i.report, i.review, i.outcome,
     i.created_by, i.created_at, i.updated_at
     FROM incidents i JOIN organizations o ON o.id = i.owner_org_id";

fn json<T: serde::de::DeserializeOwned>(r: &AnyRow, col: &'static str) -> Result<T> {
    serde_json::from_str(&r.text(col)?).map_err(|_| StoreError::Corrupt(col))
}

fn opt_parsed<T: FromStr>(r: &AnyRow, col: &'static str) -> Result<Option<T>> {
    r.opt_text(col)?
        .map(|s| T::from_str(&s).map_err(|_| StoreError::Corrupt(col)))
        .transpose()
}

fn parsed<T: FromStr>(r: &AnyRow, col: &'static str) -> Result<T> {
    T::from_str(&r.text(col)?).map_err(|_| StoreError::Corrupt(col))
}

fn from_row(r: &AnyRow) -> Result<Incident> {
    let review = match r.opt_text("review")? {
        Some(s) => Some(serde_json::from_str(&s).map_err(|_| StoreError::Corrupt("review"))?),
        None => None,
    };
    let outcome = match r.opt_text("outcome")? {
        Some(s) => Some(serde_json::from_str(&s).map_err(|_| StoreError::Corrupt("outcome"))?),
        None => None,
    };
    Ok(Incident {
        id: r.uuid("id")?,
        owner: OrgRef {
            id: r.uuid("owner_org_id")?,
            slug: r.text("owner_slug")?,
            name: r.text("owner_name")?,
        },
        system_id: r.opt_text("system_id")?,
        system_name: r.opt_text("system_name")?,
        title: r.text("title")?,
        description: r.text("description")?,
        incident_type: opt_parsed(r, "type")?,
        subtype: opt_parsed(r, "subtype")?,
        tlp: parsed(r, "tlp")?,
        severity: parsed(r, "severity")?,
        severity_reasons: json(r, "severity_reasons")?,
        severity_override_reason: r.opt_text("severity_override_reason")?,
        impact: json(r, "impact")?,
        state: parsed(r, "state")?,
        discovered_at: r.time("discovered_at")?,
        reported_at: r.time("reported_at")?,
        response_completed_at: r.opt_time("response_completed_at")?,
        closed_at: r.opt_time("closed_at")?,
        report: json(r, "report")?,
        review,
        outcome,
        created_by: r.opt_uuid("created_by")?,
        created_at: r.time("created_at")?,
        updated_at: r.time("updated_at")?,
    })
}

fn to_json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

/// What free-text search looks through: title, description, system, the people and
/// organisations of the report, its addresses.
fn search_text(i: &Incident) -> String {
    let r = &i.report;
    let mut parts: Vec<&str> = vec![&i.title, &i.description];
    parts.extend(i.system_name.as_deref());
    parts.extend([
        r.reporter_name.as_str(),
        r.contact_name.as_str(),
        r.operator_name.as_str(),
    ]);
    parts.extend(r.owner_body.as_deref());
    parts.extend(r.ips.iter().map(String::as_str));
    parts.extend(r.domains.iter().map(String::as_str));
    fold(&parts.join(" "))
}

/// Inserts an incident.
pub async fn insert(c: &mut AnyConnection, i: &Incident) -> Result<()> {
    sqlx::query(
        "INSERT INTO incidents (id, owner_org_id, system_id, system_name, title, description, type,
         subtype, tlp, severity, severity_reasons, severity_override_reason, impact, state,
         discovered_at, reported_at, response_completed_at, closed_at, report, review,
         search_text, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
         $19, $20, $21, $22, $23, $24)",
    )
    .bind(i.id.to_string())
    .bind(i.owner.id.to_string())
    .bind(i.system_id.clone())
    .bind(i.system_name.clone())
    .bind(i.title.clone())
    .bind(i.description.clone())
    .bind(i.incident_type.map(|t| t.as_str()))
    .bind(i.subtype.map(|t| t.as_str()))
    .bind(i.tlp.as_str())
    .bind(i.severity.as_str())
    .bind(to_json(&i.severity_reasons))
    .bind(i.severity_override_reason.clone())
    .bind(to_json(&i.impact))
    .bind(i.state.as_str())
    .bind(ts(i.discovered_at))
    .bind(ts(i.reported_at))
    .bind(i.response_completed_at.map(ts))
    .bind(i.closed_at.map(ts))
    .bind(to_json(&i.report))
    .bind(i.review.as_ref().map(to_json))
    .bind(search_text(i))
    .bind(i.created_by.map(|u| u.to_string()))
    .bind(ts(i.created_at))
    .bind(ts(i.updated_at))
    .execute(c)
    .await?;
    Ok(())
}

/// One incident by id.
pub async fn get(c: &mut AnyConnection, id: Uuid) -> Result<Option<Incident>> {
    let mut q = Sql::new("SELECT ");
    q.push(COLS).push(" WHERE i.id = ").bind(id);
    q.query()
        .fetch_optional(c)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// The id of `owner`'s incident with this exact title, if any (the demo loader's key).
pub async fn id_by_title(c: &mut AnyConnection, owner: Uuid, title: &str) -> Result<Option<Uuid>> {
    let r = sqlx::query("SELECT id FROM incidents WHERE owner_org_id = $1 AND title = $2")
        .bind(owner.to_string())
        .bind(title.to_string())
        .fetch_optional(c)
        .await?;
    r.map(|r| r.uuid("id")).transpose()
}

/// A change of state, written only if the incident is still in `from`, so two people acting
/// at once cannot both move it. Returns false when someone else moved it first.
#[derive(Debug, Clone, Copy)]
pub struct StateChange {
    /// The incident.
    pub id: Uuid,
    /// The state it must still be in.
    pub from: IncidentState,
    /// The new state.
    pub to: IncidentState,
    /// When the response ended, set on entering review.
    pub response_completed_at: Option<OffsetDateTime>,
    /// When it was closed, set on entering a terminal state.
    pub closed_at: Option<OffsetDateTime>,
    /// Now.
    pub at: OffsetDateTime,
}

/// Applies a [`StateChange`]; the two times are only ever set, never cleared.
pub async fn change_state(c: &mut AnyConnection, ch: &StateChange) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE incidents SET state = $3,
         response_completed_at = COALESCE($4, response_completed_at),
         closed_at = COALESCE($5, closed_at), updated_at = $6
         WHERE id = $1 AND state = $2",
    )
    .bind(ch.id.to_string())
    .bind(ch.from.as_str())
    .bind(ch.to.as_str())
    .bind(ch.response_completed_at.map(ts))
    .bind(ch.closed_at.map(ts))
    .bind(ts(ch.at))
    .execute(c)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// The classification and severity of an incident, written together because the severity is
/// evaluated from the facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classification {
    /// Mẫu 05 type.
    pub incident_type: Option<IncidentType>,
    /// Sub-type.
    pub subtype: Option<Subtype>,
    /// Sharing label.
    pub tlp: Tlp,
    /// Facts.
    pub impact: Impact,
    /// Severity (the rules' proposal, or the override kept).
    pub severity: Severity,
    /// Reasons of the last evaluation.
    pub severity_reasons: Vec<Reason>,
    /// Why a person set the severity by hand (`None` clears an override).
    pub severity_override_reason: Option<String>,
}

/// Writes a [`Classification`].
pub async fn classify(
    c: &mut AnyConnection,
    id: Uuid,
    k: &Classification,
    at: OffsetDateTime,
) -> Result<()> {
    sqlx::query(
        "UPDATE incidents SET type = $2, subtype = $3, tlp = $4, impact = $5, severity = $6,
         severity_reasons = $7, severity_override_reason = $8, updated_at = $9 WHERE id = $1",
    )
    .bind(id.to_string())
    .bind(k.incident_type.map(|t| t.as_str()))
    .bind(k.subtype.map(|t| t.as_str()))
    .bind(k.tlp.as_str())
    .bind(to_json(&k.impact))
    .bind(k.severity.as_str())
    .bind(to_json(&k.severity_reasons))
    .bind(k.severity_override_reason.clone())
    .bind(ts(at))
    .execute(c)
    .await?;
    Ok(())
}

/// Stores the review.
pub async fn set_review(
    c: &mut AnyConnection,
    id: Uuid,
    review: &Review,
    at: OffsetDateTime,
) -> Result<()> {
    sqlx::query("UPDATE incidents SET review = $2, updated_at = $3 WHERE id = $1")
        .bind(id.to_string())
        .bind(to_json(review))
        .bind(ts(at))
        .execute(c)
        .await?;
    Ok(())
}

/// Stores who helped and the damage.
pub async fn set_outcome(
    c: &mut AnyConnection,
    id: Uuid,
    outcome: &Outcome,
    at: OffsetDateTime,
) -> Result<()> {
    sqlx::query("UPDATE incidents SET outcome = $2, updated_at = $3 WHERE id = $1")
        .bind(id.to_string())
        .bind(to_json(outcome))
        .bind(ts(at))
        .execute(c)
        .await?;
    Ok(())
}

/// Marks the incident changed (a comment or timeline entry), for the queue's order by change.
pub async fn touch(c: &mut AnyConnection, id: Uuid, at: OffsetDateTime) -> Result<()> {
    sqlx::query("UPDATE incidents SET updated_at = $2 WHERE id = $1")
        .bind(id.to_string())
        .bind(ts(at))
        .execute(c)
        .await?;
    Ok(())
}

/// Filters of the queue.
#[derive(Debug, Default, Clone)]
pub struct IncidentFilter {
    /// Only incidents owned by these organisations (`None`: any)…
    pub owners_within: Option<Vec<Uuid>>,
    /// …or these incidents (granted to the reader).
    pub or_ids: Vec<Uuid>,
    /// Only this owner.
    pub owner: Option<Uuid>,
    /// Only this state.
    pub state: Option<IncidentState>,
    /// Only incidents not closed, rejected, duplicate or merged.
    pub open_only: bool,
    /// Only this type.
    pub incident_type: Option<IncidentType>,
    /// Only this severity.
    pub severity: Option<Severity>,
    /// Discovered at or after.
    pub from: Option<OffsetDateTime>,
    /// Discovered before.
    pub until: Option<OffsetDateTime>,
    /// Folded free text.
    pub q: Option<String>,
}

/// A keyset page, newest first (ids are time-ordered UUIDv7).
pub async fn list(
    c: &mut AnyConnection,
    f: &IncidentFilter,
    after: Option<Uuid>,
    limit: i64,
) -> Result<Page<Incident>> {
    let mut q = Sql::new("SELECT ");
    q.push(COLS).push(" WHERE 1 = 1");
    if let Some(ids) = &f.owners_within {
        q.push(" AND (i.owner_org_id IN ")
            .bind_list(ids.iter().copied())
            .push(" OR i.id IN ")
            .bind_list(f.or_ids.iter().copied())
            .push(")");
    }
    if let Some(o) = f.owner {
        q.push(" AND i.owner_org_id = ").bind(o);
    }
    if let Some(s) = f.state {
        q.push(" AND i.state = ").bind(s.as_str());
    }
    if f.open_only {
        q.push(" AND i.state NOT IN ").bind_list(
            IncidentState::ALL
                .into_iter()
                .filter(|s| s.is_terminal())
                .map(|s| s.as_str()),
        );
    }
    if let Some(t) = f.incident_type {
        q.push(" AND i.type = ").bind(t.as_str());
    }
    if let Some(s) = f.severity {
        q.push(" AND i.severity = ").bind(s.as_str());
    }
    if let Some(t) = f.from {
        q.push(" AND i.discovered_at >= ").bind(ts(t));
    }
    if let Some(t) = f.until {
        q.push(" AND i.discovered_at < ").bind(ts(t));
    }
    if let Some(text) = &f.q {
        q.push(" AND i.search_text LIKE ")
            .bind(format!("%{}%", like_escape(&fold(text))))
            .push(" ESCAPE '\\'");
    }
    if let Some(a) = after {
        q.push(" AND i.id < ").bind(a);
    }
    q.push(" ORDER BY i.id DESC LIMIT ").bind(limit + 1);
    let mut items: Vec<Incident> = q
        .query()
        .fetch_all(c)
        .await?
        .iter()
        .map(from_row)
        .collect::<Result<_>>()?;
    let next = if items.len() as i64 > limit {
        items.truncate(limit as usize);
        items.last().map(|i| i.id.to_string())
    } else {
        None
    };
    Ok(Page { items, next })
}

/// True when this incident is granted to the person or one of these organisations (with
/// `write` when `need_write`).
pub async fn granted(
    c: &mut AnyConnection,
    id: Uuid,
    user: Uuid,
    orgs: &[Uuid],
    need_write: bool,
) -> Result<bool> {
    let mut q = Sql::new(
        "SELECT COUNT(*) AS n FROM object_grants WHERE object_type = 'incident' AND object_id = ",
    );
    q.bind(id).push(" AND (grantee_user_id = ").bind(user);
    q.push(" OR grantee_org_id IN ")
        .bind_list(orgs.iter().copied())
        .push(")");
    if need_write {
        q.push(" AND access = 'write'");
    }
    Ok(q.query().fetch_one(c).await?.int("n")? > 0)
}

/// What an event records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// A change of state (and the report itself, from no state to `received`).
    Transition,
    /// A comment.
    Comment,
    /// A change of classification or severity.
    Classification,
    /// A timeline entry written by hand, with the time it happened.
    Manual,
    /// A request for support was made, answered or changed status.
    Coordination,
    /// The steering committee directed, convened, named who speaks, or a statement was made.
    Steering,
}

impl EventKind {
    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Transition => "transition",
            EventKind::Comment => "comment",
            EventKind::Classification => "classification",
            EventKind::Manual => "manual",
            EventKind::Coordination => "coordination",
            EventKind::Steering => "steering",
        }
    }
}

impl FromStr for EventKind {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        match s {
            "transition" => Ok(EventKind::Transition),
            "comment" => Ok(EventKind::Comment),
            "classification" => Ok(EventKind::Classification),
            "manual" => Ok(EventKind::Manual),
            "coordination" => Ok(EventKind::Coordination),
            "steering" => Ok(EventKind::Steering),
            _ => Err(()),
        }
    }
}

/// One entry of an incident's timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Id.
    pub id: Uuid,
    /// The incident.
    pub incident_id: Uuid,
    /// What it records.
    pub kind: EventKind,
    /// State before (transitions).
    pub from_state: Option<IncidentState>,
    /// State after (transitions).
    pub to_state: Option<IncidentState>,
    /// The person.
    pub actor_user_id: Option<Uuid>,
    /// Readable actor.
    pub actor_label: String,
    /// What they wrote.
    pub comment: Option<String>,
    /// When it happened (a manual entry may be in the past).
    pub happened_at: OffsetDateTime,
    /// When it was written down.
    pub recorded_at: OffsetDateTime,
}

/// Appends an event.
pub async fn insert_event(c: &mut AnyConnection, e: &Event) -> Result<()> {
    sqlx::query(
        "INSERT INTO incident_events (id, incident_id, kind, from_state, to_state, actor_user_id,
         actor_label, comment, happened_at, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(e.id.to_string())
    .bind(e.incident_id.to_string())
    .bind(e.kind.as_str())
    .bind(e.from_state.map(|s| s.as_str()))
    .bind(e.to_state.map(|s| s.as_str()))
    .bind(e.actor_user_id.map(|u| u.to_string()))
    .bind(e.actor_label.clone())
    .bind(e.comment.clone())
    .bind(ts(e.happened_at))
    .bind(ts(e.recorded_at))
    .execute(c)
    .await?;
    Ok(())
}

/// The timeline of an incident, in the order things happened.
pub async fn events(c: &mut AnyConnection, incident: Uuid) -> Result<Vec<Event>> {
    let rows = sqlx::query(
        "SELECT id, incident_id, kind, from_state, to_state, actor_user_id, actor_label, comment,
         happened_at, recorded_at FROM incident_events WHERE incident_id = $1
         ORDER BY happened_at, recorded_at, id",
    )
    .bind(incident.to_string())
    .fetch_all(c)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Event {
                id: r.uuid("id")?,
                incident_id: r.uuid("incident_id")?,
                kind: parsed(r, "kind")?,
                from_state: opt_parsed(r, "from_state")?,
                to_state: opt_parsed(r, "to_state")?,
                actor_user_id: r.opt_uuid("actor_user_id")?,
                actor_label: r.text("actor_label")?,
                comment: r.opt_text("comment")?,
                happened_at: r.time("happened_at")?,
                recorded_at: r.time("recorded_at")?,
            })
        })
        .collect()
}
