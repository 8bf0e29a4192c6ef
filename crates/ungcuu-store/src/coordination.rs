//! Coordination on an incident: requests for support and their replies, and the steering of a
//! serious incident (directions, the spokesperson and who may release information, public
//! statements).

use crate::Result;
use crate::row::{RowExt, ts};
use crate::sql::Sql;
use sqlx::AnyConnection;
use sqlx::any::AnyRow;
use time::OffsetDateTime;
use uuid::Uuid;

/// A request for support.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// Id.
    pub id: Uuid,
    /// The incident it is about.
    pub incident_id: Uuid,
    /// Its title (read with the request, not written).
    pub incident_title: String,
    /// The incident's owner (read).
    pub incident_owner_id: Uuid,
    /// The organisation asking.
    pub from_org_id: Uuid,
    /// Its name (read).
    pub from_org_name: String,
    /// `organization`, `csirt` or `national`.
    pub target: String,
    /// The organisation asked (none for the national coordinator).
    pub to_org_id: Option<Uuid>,
    /// Its name (read).
    pub to_org_name: Option<String>,
    /// The external party's contact, copied from the settings when the request was made.
    pub to_contact: Option<String>,
    /// Subject.
    pub subject: String,
    /// What is asked.
    pub body: String,
    /// Wanted by.
    pub due_at: OffsetDateTime,
    /// `open`, `accepted`, `declined`, `done`, `cancelled`.
    pub status: String,
    /// Who asked.
    pub created_by: Option<Uuid>,
    /// Readable asker.
    pub created_label: String,
    /// Created.
    pub created_at: OffsetDateTime,
    /// Last changed.
    pub updated_at: OffsetDateTime,
}

const REQUEST_COLS: &str = "r.id, r.incident_id, i.title AS incident_title,
     i.owner_org_id AS incident_owner_id, r.from_org_id, f.name AS from_org_name, r.target,
     r.to_org_id, t.name AS to_org_name, r.to_contact, r.subject, r.body, r.due_at, r.status,
     r.created_by, r.created_label, r.created_at, r.updated_at
     FROM coordination_requests r
     JOIN incidents i ON i.id = r.incident_id
     JOIN organizations f ON f.id = r.from_org_id
     LEFT JOIN organizations t ON t.id = r.to_org_id";

fn request_from_row(r: &AnyRow) -> Result<Request> {
    Ok(Request {
        id: r.uuid("id")?,
        incident_id: r.uuid("incident_id")?,
        incident_title: r.text("incident_title")?,
        incident_owner_id: r.uuid("incident_owner_id")?,
        from_org_id: r.uuid("from_org_id")?,
        from_org_name: r.text("from_org_name")?,
        target: r.text("target")?,
        to_org_id: r.opt_uuid("to_org_id")?,
        to_org_name: r.opt_text("to_org_name")?,
        to_contact: r.opt_text("to_contact")?,
        subject: r.text("subject")?,
        body: r.text("body")?,
        due_at: r.time("due_at")?,
        status: r.text("status")?,
        created_by: r.opt_uuid("created_by")?,
        created_label: r.text("created_label")?,
        created_at: r.time("created_at")?,
        updated_at: r.time("updated_at")?,
    })
}

/// Inserts a request (the read-only names are ignored).
pub async fn insert_request(c: &mut AnyConnection, r: &Request) -> Result<()> {
    sqlx::query(
        "INSERT INTO coordination_requests (id, incident_id, from_org_id, target, to_org_id,
         to_contact, subject, body, due_at, status, created_by, created_label, created_at,
         updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(r.id.to_string())
    .bind(r.incident_id.to_string())
    .bind(r.from_org_id.to_string())
    .bind(r.target.clone())
    .bind(r.to_org_id.map(|o| o.to_string()))
    .bind(r.to_contact.clone())
    .bind(r.subject.clone())
    .bind(r.body.clone())
    .bind(ts(r.due_at))
    .bind(r.status.clone())
    .bind(r.created_by.map(|u| u.to_string()))
    .bind(r.created_label.clone())
    .bind(ts(r.created_at))
    .bind(ts(r.updated_at))
    .execute(c)
    .await?;
    Ok(())
}

/// One request.
pub async fn request(c: &mut AnyConnection, id: Uuid) -> Result<Option<Request>> {
    let mut q = Sql::new("SELECT ");
    q.push(REQUEST_COLS).push(" WHERE r.id = ").bind(id);
    q.query()
        .fetch_optional(c)
        .await?
        .as_ref()
        .map(request_from_row)
        .transpose()
}

/// The requests about one incident, oldest first.
pub async fn requests_of(c: &mut AnyConnection, incident: Uuid) -> Result<Vec<Request>> {
    let mut q = Sql::new("SELECT ");
    q.push(REQUEST_COLS)
        .push(" WHERE r.incident_id = ")
        .bind(incident)
        .push(" ORDER BY r.id");
    q.query()
        .fetch_all(c)
        .await?
        .iter()
        .map(request_from_row)
        .collect()
}

/// Which side of the inbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Asked of these organisations.
    Incoming,
    /// Asked by these organisations.
    Outgoing,
}

/// The requests asked of (incoming) or by (outgoing) these organisations, and with `national`
/// also those addressed to the national coordinator; open ones first, earliest due first.
pub async fn inbox(
    c: &mut AnyConnection,
    which: Side,
    orgs: &[Uuid],
    national: bool,
    limit: i64,
) -> Result<Vec<Request>> {
    let mut q = Sql::new("SELECT ");
    q.push(REQUEST_COLS).push(match which {
        Side::Incoming => " WHERE (r.to_org_id IN ",
        Side::Outgoing => " WHERE (r.from_org_id IN ",
    });
    q.bind_list(orgs.iter().copied());
    if national {
        q.push(" OR r.target = 'national'");
    }
    q.push(
        ") ORDER BY CASE WHEN r.status IN ('open', 'accepted') THEN 0 ELSE 1 END, r.due_at, r.id
         LIMIT ",
    )
    .bind(limit);
    q.query()
        .fetch_all(c)
        .await?
        .iter()
        .map(request_from_row)
        .collect()
}

/// Changes the status, only if it is still `from` (two people answering at once cannot both
/// move it). Returns false when someone else moved it first.
pub async fn set_status(
    c: &mut AnyConnection,
    id: Uuid,
    from: &str,
    to: &str,
    at: OffsetDateTime,
) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE coordination_requests SET status = $3, updated_at = $4
         WHERE id = $1 AND status = $2",
    )
    .bind(id.to_string())
    .bind(from.to_string())
    .bind(to.to_string())
    .bind(ts(at))
    .execute(c)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Marks a request changed (a reply).
pub async fn touch_request(c: &mut AnyConnection, id: Uuid, at: OffsetDateTime) -> Result<()> {
    sqlx::query("UPDATE coordination_requests SET updated_at = $2 WHERE id = $1")
        .bind(id.to_string())
        .bind(ts(at))
        .execute(c)
        .await?;
    Ok(())
}

/// A reply in a request's thread (a status change may carry one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// Id.
    pub id: Uuid,
    /// The request.
    pub request_id: Uuid,
    /// Who wrote it.
    pub author_id: Option<Uuid>,
    /// Readable author.
    pub author_label: String,
    /// Text (may be empty for a bare status change).
    pub body: String,
    /// The status it moved the request to, if any.
    pub status_to: Option<String>,
    /// When.
    pub created_at: OffsetDateTime,
}

/// Appends a reply.
pub async fn insert_reply(c: &mut AnyConnection, r: &Reply) -> Result<()> {
    sqlx::query(
        "INSERT INTO coordination_replies (id, request_id, author_id, author_label, body,
         status_to, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(r.id.to_string())
    .bind(r.request_id.to_string())
    .bind(r.author_id.map(|u| u.to_string()))
    .bind(r.author_label.clone())
    .bind(r.body.clone())
    .bind(r.status_to.clone())
    .bind(ts(r.created_at))
    .execute(c)
    .await?;
    Ok(())
}

/// The thread of a request, oldest first.
pub async fn replies(c: &mut AnyConnection, request: Uuid) -> Result<Vec<Reply>> {
    let rows = sqlx::query(
        "SELECT id, request_id, author_id, author_label, body, status_to, created_at
         FROM coordination_replies WHERE request_id = $1 ORDER BY id",
    )
    .bind(request.to_string())
    .fetch_all(c)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Reply {
                id: r.uuid("id")?,
                request_id: r.uuid("request_id")?,
                author_id: r.opt_uuid("author_id")?,
                author_label: r.text("author_label")?,
                body: r.text("body")?,
                status_to: r.opt_text("status_to")?,
                created_at: r.time("created_at")?,
            })
        })
        .collect()
}

/// A direction of the steering committee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Direction {
    /// Id.
    pub id: Uuid,
    /// The incident.
    pub incident_id: Uuid,
    /// What was directed.
    pub text: String,
    /// Who gave it (a name: the chair may not have an account).
    pub given_by: String,
    /// When it was given.
    pub given_at: OffsetDateTime,
    /// The organisation it is addressed to, if one.
    pub addressed_org_id: Option<Uuid>,
    /// Its name (read).
    pub addressed_org_name: Option<String>,
    /// Who wrote it down.
    pub recorded_by: Option<Uuid>,
    /// Readable recorder.
    pub recorded_label: String,
    /// When it was written down.
    pub created_at: OffsetDateTime,
}

/// Appends a direction.
pub async fn insert_direction(c: &mut AnyConnection, d: &Direction) -> Result<()> {
    sqlx::query(
        "INSERT INTO steering_directions (id, incident_id, text, given_by, given_at,
         addressed_org_id, recorded_by, recorded_label, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(d.id.to_string())
    .bind(d.incident_id.to_string())
    .bind(d.text.clone())
    .bind(d.given_by.clone())
    .bind(ts(d.given_at))
    .bind(d.addressed_org_id.map(|o| o.to_string()))
    .bind(d.recorded_by.map(|u| u.to_string()))
    .bind(d.recorded_label.clone())
    .bind(ts(d.created_at))
    .execute(c)
    .await?;
    Ok(())
}

/// The directions on an incident, in the order given.
pub async fn directions(c: &mut AnyConnection, incident: Uuid) -> Result<Vec<Direction>> {
    let rows = sqlx::query(
        "SELECT d.id, d.incident_id, d.text, d.given_by, d.given_at, d.addressed_org_id,
         o.name AS addressed_org_name, d.recorded_by, d.recorded_label, d.created_at
         FROM steering_directions d LEFT JOIN organizations o ON o.id = d.addressed_org_id
         WHERE d.incident_id = $1 ORDER BY d.given_at, d.id",
    )
    .bind(incident.to_string())
    .fetch_all(c)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Direction {
                id: r.uuid("id")?,
                incident_id: r.uuid("incident_id")?,
                text: r.text("text")?,
                given_by: r.text("given_by")?,
                given_at: r.time("given_at")?,
                addressed_org_id: r.opt_uuid("addressed_org_id")?,
                addressed_org_name: r.opt_text("addressed_org_name")?,
                recorded_by: r.opt_uuid("recorded_by")?,
                recorded_label: r.text("recorded_label")?,
                created_at: r.time("created_at")?,
            })
        })
        .collect()
}

/// The spokesperson or a person allowed to release information.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InformationRole {
    /// Id.
    pub id: Uuid,
    /// The incident.
    pub incident_id: Uuid,
    /// `spokesperson` or `releaser`.
    pub role: String,
    /// The person's name and position.
    pub name: String,
    /// How to reach them.
    pub contact: Option<String>,
    /// Who named them.
    pub assigned_by: String,
    /// Since.
    pub valid_from: OffsetDateTime,
    /// Until (none: current).
    pub valid_to: Option<OffsetDateTime>,
}

/// Ends the current holders of `role` on an incident (naming a new spokesperson ends the last).
pub async fn end_information_role(
    c: &mut AnyConnection,
    incident: Uuid,
    role: &str,
    at: OffsetDateTime,
) -> Result<u64> {
    Ok(sqlx::query(
        "UPDATE information_roles SET valid_to = $3
         WHERE incident_id = $1 AND role = $2 AND valid_to IS NULL",
    )
    .bind(incident.to_string())
    .bind(role.to_string())
    .bind(ts(at))
    .execute(c)
    .await?
    .rows_affected())
}

/// Ends one holder; false when it was not current.
pub async fn end_information_role_id(
    c: &mut AnyConnection,
    id: Uuid,
    at: OffsetDateTime,
) -> Result<bool> {
    Ok(
        sqlx::query(
            "UPDATE information_roles SET valid_to = $2 WHERE id = $1 AND valid_to IS NULL",
        )
        .bind(id.to_string())
        .bind(ts(at))
        .execute(c)
        .await?
        .rows_affected()
            == 1,
    )
}

/// Names someone.
pub async fn insert_information_role(c: &mut AnyConnection, r: &InformationRole) -> Result<()> {
    sqlx::query(
        "INSERT INTO information_roles (id, incident_id, role, name, contact, assigned_by,
         valid_from, valid_to) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(r.id.to_string())
    .bind(r.incident_id.to_string())
    .bind(r.role.clone())
    .bind(r.name.clone())
    .bind(r.contact.clone())
    .bind(r.assigned_by.clone())
    .bind(ts(r.valid_from))
    .bind(r.valid_to.map(ts))
    .execute(c)
    .await?;
    Ok(())
}

/// Everyone ever named on an incident, current ones first.
pub async fn information_roles(
    c: &mut AnyConnection,
    incident: Uuid,
) -> Result<Vec<InformationRole>> {
    let rows = sqlx::query(
        "SELECT id, incident_id, role, name, contact, assigned_by, valid_from, valid_to
         FROM information_roles WHERE incident_id = $1
         ORDER BY CASE WHEN valid_to IS NULL THEN 0 ELSE 1 END, role DESC, valid_from DESC, id",
    )
    .bind(incident.to_string())
    .fetch_all(c)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(InformationRole {
                id: r.uuid("id")?,
                incident_id: r.uuid("incident_id")?,
                role: r.text("role")?,
                name: r.text("name")?,
                contact: r.opt_text("contact")?,
                assigned_by: r.text("assigned_by")?,
                valid_from: r.time("valid_from")?,
                valid_to: r.opt_time("valid_to")?,
            })
        })
        .collect()
}

/// One naming.
pub async fn information_role(c: &mut AnyConnection, id: Uuid) -> Result<Option<InformationRole>> {
    let r = sqlx::query(
        "SELECT id, incident_id, role, name, contact, assigned_by, valid_from, valid_to
         FROM information_roles WHERE id = $1",
    )
    .bind(id.to_string())
    .fetch_optional(c)
    .await?;
    r.map(|r| {
        Ok(InformationRole {
            id: r.uuid("id")?,
            incident_id: r.uuid("incident_id")?,
            role: r.text("role")?,
            name: r.text("name")?,
            contact: r.opt_text("contact")?,
            assigned_by: r.text("assigned_by")?,
            valid_from: r.time("valid_from")?,
            valid_to: r.opt_time("valid_to")?,
        })
    })
    .transpose()
}

/// Something said publicly about an incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// Id.
    pub id: Uuid,
    /// The incident.
    pub incident_id: Uuid,
    /// When it was said.
    pub said_at: OffsetDateTime,
    /// Who said it.
    pub said_by: String,
    /// `press`, `website`, `social`, `television`, `radio`, `other`.
    pub channel: String,
    /// What was said.
    pub text: String,
    /// Who logged it.
    pub recorded_by: Option<Uuid>,
    /// Readable recorder.
    pub recorded_label: String,
    /// When it was logged.
    pub created_at: OffsetDateTime,
}

/// Logs a statement.
pub async fn insert_statement(c: &mut AnyConnection, s: &Statement) -> Result<()> {
    sqlx::query(
        "INSERT INTO public_statements (id, incident_id, said_at, said_by, channel, text,
         recorded_by, recorded_label, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(s.id.to_string())
    .bind(s.incident_id.to_string())
    .bind(ts(s.said_at))
    .bind(s.said_by.clone())
    .bind(s.channel.clone())
    .bind(s.text.clone())
    .bind(s.recorded_by.map(|u| u.to_string()))
    .bind(s.recorded_label.clone())
    .bind(ts(s.created_at))
    .execute(c)
    .await?;
    Ok(())
}

/// The statements log of an incident, in the order things were said.
pub async fn statements(c: &mut AnyConnection, incident: Uuid) -> Result<Vec<Statement>> {
    let rows = sqlx::query(
        "SELECT id, incident_id, said_at, said_by, channel, text, recorded_by, recorded_label,
         created_at FROM public_statements WHERE incident_id = $1 ORDER BY said_at, id",
    )
    .bind(incident.to_string())
    .fetch_all(c)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Statement {
                id: r.uuid("id")?,
                incident_id: r.uuid("incident_id")?,
                said_at: r.time("said_at")?,
                said_by: r.text("said_by")?,
                channel: r.text("channel")?,
                text: r.text("text")?,
                recorded_by: r.opt_uuid("recorded_by")?,
                recorded_label: r.text("recorded_label")?,
                created_at: r.time("created_at")?,
            })
        })
        .collect()
}

/// True when the incident is already granted to the organisation (with at least read).
pub async fn org_has_grant(c: &mut AnyConnection, incident: Uuid, org: Uuid) -> Result<bool> {
    let r = sqlx::query(
        "SELECT COUNT(*) AS n FROM object_grants WHERE object_type = 'incident'
         AND object_id = $1 AND grantee_org_id = $2",
    )
    .bind(incident.to_string())
    .bind(org.to_string())
    .fetch_one(c)
    .await?;
    Ok(r.int("n")? > 0)
}
