//! Tasks of incidents (with their supporting organisations, checklist and comments), the
//! scenario playbooks, and the guards that make a step's default tasks and a playbook's tasks
//! appear once per incident.

use crate::row::{RowExt, ts};
use crate::sql::Sql;
use crate::systems::OrgRef;
use crate::{Result, StoreError};
use sqlx::AnyConnection;
use sqlx::any::AnyRow;
use time::{Date, OffsetDateTime};
use ungcuu_domain::tasks::{Playbook, TaskKind, TaskStatus, TaskTemplate};
use uuid::Uuid;

/// One checklist item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecklistItem {
    /// Position, from 1.
    pub ordinal: i64,
    /// What to check.
    pub text: String,
    /// When it was ticked.
    pub done_at: Option<OffsetDateTime>,
    /// Who ticked it.
    pub done_by: Option<Uuid>,
}

/// A task of an incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    /// Id.
    pub id: Uuid,
    /// The incident.
    pub incident_id: Uuid,
    /// Its title, read with the task (lists show it).
    pub incident_title: String,
    /// What it is for.
    pub kind: TaskKind,
    /// The step of Phụ lục III, when it belongs to one.
    pub step: Option<u8>,
    /// Title.
    pub title: String,
    /// What to do.
    pub description: String,
    /// The lead organisation (only its id is written).
    pub lead: OrgRef,
    /// The supporting organisations.
    pub support: Vec<OrgRef>,
    /// The person doing it, and their name.
    pub assignee: Option<(Uuid, String)>,
    /// Due day.
    pub due_date: Option<Date>,
    /// Where it stands.
    pub status: TaskStatus,
    /// `manual`, `step` or `playbook`.
    pub source: String,
    /// The step number or playbook code it came from.
    pub source_ref: Option<String>,
    /// Checklist.
    pub checklist: Vec<ChecklistItem>,
    /// Who created it (none for automatic tasks).
    pub created_by: Option<Uuid>,
    /// Created.
    pub created_at: OffsetDateTime,
    /// Last changed.
    pub updated_at: OffsetDateTime,
}

/// A comment on a task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// Id.
    pub id: Uuid,
    /// The task.
    pub task_id: Uuid,
    /// The author.
    pub author_user_id: Option<Uuid>,
    /// Readable author.
    pub author_label: String,
    /// Text.
    pub body: String,
    /// When.
    pub created_at: OffsetDateTime,
}

const COLS: &str = "t.id, t.incident_id, i.title AS incident_title, t.kind, t.step, t.title,
     t.description, t.lead_org_id, o.slug AS lead_slug, o.name AS lead_name, t.assignee_user_id,
     u.name AS assignee_name, t.due_date, t.status, t.source, t.source_ref, t.created_by,
     t.created_at, t.updated_at
     FROM tasks t JOIN incidents i ON i.id = t.incident_id
     JOIN organizations o ON o.id = t.lead_org_id
     LEFT JOIN users u ON u.id = t.assignee_user_id";

fn date_fmt() -> &'static [time::format_description::BorrowedFormatItem<'static>] {
    time::macros::format_description!("[year]-[month]-[day]")
}

fn from_row(r: &AnyRow) -> Result<Task> {
    let assignee = match r.opt_uuid("assignee_user_id")? {
        Some(u) => Some((u, r.opt_text("assignee_name")?.unwrap_or_default())),
        None => None,
    };
    let due_date = r
        .opt_text("due_date")?
        .map(|s| Date::parse(&s, date_fmt()).map_err(|_| StoreError::Corrupt("due_date")))
        .transpose()?;
    let step = r
        .opt_int("step")?
        .map(|s| u8::try_from(s).map_err(|_| StoreError::Corrupt("step")))
        .transpose()?;
    Ok(Task {
        id: r.uuid("id")?,
        incident_id: r.uuid("incident_id")?,
        incident_title: r.text("incident_title")?,
        kind: r.parsed::<KindCol>("kind")?.0,
        step,
        title: r.text("title")?,
        description: r.text("description")?,
        lead: OrgRef {
            id: r.uuid("lead_org_id")?,
            slug: r.text("lead_slug")?,
            name: r.text("lead_name")?,
        },
        support: Vec::new(),
        assignee,
        due_date,
        status: r.parsed::<StatusCol>("status")?.0,
        source: r.text("source")?,
        source_ref: r.opt_text("source_ref")?,
        checklist: Vec::new(),
        created_by: r.opt_uuid("created_by")?,
        created_at: r.time("created_at")?,
        updated_at: r.time("updated_at")?,
    })
}

struct KindCol(TaskKind);
impl std::str::FromStr for KindCol {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        s.parse().map(KindCol)
    }
}
struct StatusCol(TaskStatus);
impl std::str::FromStr for StatusCol {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        s.parse().map(StatusCol)
    }
}

/// Fills in the supporting organisations and checklists of `tasks`.
async fn complete(c: &mut AnyConnection, tasks: &mut [Task]) -> Result<()> {
    if tasks.is_empty() {
        return Ok(());
    }
    let ids: Vec<Uuid> = tasks.iter().map(|t| t.id).collect();
    let mut q = Sql::new(
        "SELECT s.task_id, s.org_id, o.slug, o.name FROM task_orgs s
         JOIN organizations o ON o.id = s.org_id WHERE s.task_id IN ",
    );
    q.bind_list(ids.iter().copied())
        .push(" ORDER BY o.name, o.id");
    for r in q.query().fetch_all(&mut *c).await? {
        let tid = r.uuid("task_id")?;
        if let Some(t) = tasks.iter_mut().find(|t| t.id == tid) {
            t.support.push(OrgRef {
                id: r.uuid("org_id")?,
                slug: r.text("slug")?,
                name: r.text("name")?,
            });
        }
    }
    let mut q = Sql::new(
        "SELECT task_id, ordinal, text, done_at, done_by FROM task_checklist WHERE task_id IN ",
    );
    q.bind_list(ids.iter().copied())
        .push(" ORDER BY task_id, ordinal");
    for r in q.query().fetch_all(&mut *c).await? {
        let tid = r.uuid("task_id")?;
        if let Some(t) = tasks.iter_mut().find(|t| t.id == tid) {
            t.checklist.push(ChecklistItem {
                ordinal: r.int("ordinal")?,
                text: r.text("text")?,
                done_at: r.opt_time("done_at")?,
                done_by: r.opt_uuid("done_by")?,
            });
        }
    }
    Ok(())
}

/// Inserts a task with its supporting organisations and checklist.
pub async fn insert(c: &mut AnyConnection, t: &Task) -> Result<()> {
    sqlx::query(
        "INSERT INTO tasks (id, incident_id, kind, step, title, description, lead_org_id,
         assignee_user_id, due_date, status, source, source_ref, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
    )
    .bind(t.id.to_string())
    .bind(t.incident_id.to_string())
    .bind(t.kind.as_str())
    .bind(t.step.map(i64::from))
    .bind(t.title.clone())
    .bind(t.description.clone())
    .bind(t.lead.id.to_string())
    .bind(t.assignee.as_ref().map(|a| a.0.to_string()))
    .bind(t.due_date.map(|d| d.to_string()))
    .bind(t.status.as_str())
    .bind(t.source.clone())
    .bind(t.source_ref.clone())
    .bind(t.created_by.map(|u| u.to_string()))
    .bind(ts(t.created_at))
    .bind(ts(t.updated_at))
    .execute(&mut *c)
    .await?;
    set_support(c, t.id, &t.support).await?;
    for item in &t.checklist {
        sqlx::query(
            "INSERT INTO task_checklist (task_id, ordinal, text, done_at, done_by)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(t.id.to_string())
        .bind(item.ordinal)
        .bind(item.text.clone())
        .bind(item.done_at.map(ts))
        .bind(item.done_by.map(|u| u.to_string()))
        .execute(&mut *c)
        .await?;
    }
    Ok(())
}

/// Replaces the supporting organisations of a task.
async fn set_support(c: &mut AnyConnection, task: Uuid, orgs: &[OrgRef]) -> Result<()> {
    sqlx::query("DELETE FROM task_orgs WHERE task_id = $1")
        .bind(task.to_string())
        .execute(&mut *c)
        .await?;
    for o in orgs {
        sqlx::query("INSERT INTO task_orgs (task_id, org_id) VALUES ($1, $2)")
            .bind(task.to_string())
            .bind(o.id.to_string())
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}

/// Writes the editable fields of a task (title, description, step, lead, supporting
/// organisations, assignee, due date, status).
pub async fn update(c: &mut AnyConnection, t: &Task) -> Result<()> {
    sqlx::query(
        "UPDATE tasks SET title = $2, description = $3, step = $4, lead_org_id = $5,
         assignee_user_id = $6, due_date = $7, status = $8, updated_at = $9 WHERE id = $1",
    )
    .bind(t.id.to_string())
    .bind(t.title.clone())
    .bind(t.description.clone())
    .bind(t.step.map(i64::from))
    .bind(t.lead.id.to_string())
    .bind(t.assignee.as_ref().map(|a| a.0.to_string()))
    .bind(t.due_date.map(|d| d.to_string()))
    .bind(t.status.as_str())
    .bind(ts(t.updated_at))
    .execute(&mut *c)
    .await?;
    set_support(c, t.id, &t.support).await
}

/// One task.
pub async fn get(c: &mut AnyConnection, id: Uuid) -> Result<Option<Task>> {
    let mut q = Sql::new("SELECT ");
    q.push(COLS).push(" WHERE t.id = ").bind(id);
    let Some(r) = q.query().fetch_optional(&mut *c).await? else {
        return Ok(None);
    };
    let mut v = vec![from_row(&r)?];
    complete(c, &mut v).await?;
    Ok(v.pop())
}

/// The tasks of an incident, in creation order.
pub async fn for_incident(c: &mut AnyConnection, incident: Uuid) -> Result<Vec<Task>> {
    let mut q = Sql::new("SELECT ");
    q.push(COLS)
        .push(" WHERE t.incident_id = ")
        .bind(incident)
        .push(" ORDER BY t.id");
    let mut v = q
        .query()
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(from_row)
        .collect::<Result<Vec<_>>>()?;
    complete(c, &mut v).await?;
    Ok(v)
}

/// Open tasks assigned to `user` or led or supported by one of `orgs`, earliest due first
/// (undated last), at most `limit`.
pub async fn open_for(
    c: &mut AnyConnection,
    user: Uuid,
    orgs: &[Uuid],
    limit: i64,
) -> Result<Vec<Task>> {
    let mut q = Sql::new("SELECT ");
    q.push(COLS)
        .push(" WHERE t.status IN ('open', 'in_progress') AND (t.assignee_user_id = ")
        .bind(user)
        .push(" OR t.lead_org_id IN ")
        .bind_list(orgs.iter().copied())
        .push(" OR t.id IN (SELECT task_id FROM task_orgs WHERE org_id IN ")
        .bind_list(orgs.iter().copied())
        .push(")) ORDER BY CASE WHEN t.due_date IS NULL THEN 1 ELSE 0 END, t.due_date, t.id LIMIT ")
        .bind(limit);
    let mut v = q
        .query()
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(from_row)
        .collect::<Result<Vec<_>>>()?;
    complete(c, &mut v).await?;
    Ok(v)
}

/// Adds a checklist item at the end; returns its ordinal.
pub async fn add_item(c: &mut AnyConnection, task: Uuid, text: &str) -> Result<i64> {
    let r =
        sqlx::query("SELECT COALESCE(MAX(ordinal), 0) AS n FROM task_checklist WHERE task_id = $1")
            .bind(task.to_string())
            .fetch_one(&mut *c)
            .await?;
    let n = r.int("n")? + 1;
    sqlx::query("INSERT INTO task_checklist (task_id, ordinal, text) VALUES ($1, $2, $3)")
        .bind(task.to_string())
        .bind(n)
        .bind(text.to_string())
        .execute(&mut *c)
        .await?;
    Ok(n)
}

/// Ticks (with who and when) or unticks an item; false when there is no such item.
pub async fn set_item(
    c: &mut AnyConnection,
    task: Uuid,
    ordinal: i64,
    done: Option<(OffsetDateTime, Option<Uuid>)>,
) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE task_checklist SET done_at = $3, done_by = $4 WHERE task_id = $1 AND ordinal = $2",
    )
    .bind(task.to_string())
    .bind(ordinal)
    .bind(done.map(|d| ts(d.0)))
    .bind(done.and_then(|d| d.1).map(|u| u.to_string()))
    .execute(&mut *c)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Marks a task changed.
pub async fn touch(c: &mut AnyConnection, task: Uuid, at: OffsetDateTime) -> Result<()> {
    sqlx::query("UPDATE tasks SET updated_at = $2 WHERE id = $1")
        .bind(task.to_string())
        .bind(ts(at))
        .execute(c)
        .await?;
    Ok(())
}

/// Adds a comment.
pub async fn insert_comment(c: &mut AnyConnection, m: &Comment) -> Result<()> {
    sqlx::query(
        "INSERT INTO task_comments (id, task_id, author_user_id, author_label, body, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(m.id.to_string())
    .bind(m.task_id.to_string())
    .bind(m.author_user_id.map(|u| u.to_string()))
    .bind(m.author_label.clone())
    .bind(m.body.clone())
    .bind(ts(m.created_at))
    .execute(c)
    .await?;
    Ok(())
}

/// The comments of a task, oldest first.
pub async fn comments(c: &mut AnyConnection, task: Uuid) -> Result<Vec<Comment>> {
    sqlx::query(
        "SELECT id, task_id, author_user_id, author_label, body, created_at FROM task_comments
         WHERE task_id = $1 ORDER BY id",
    )
    .bind(task.to_string())
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| {
        Ok(Comment {
            id: r.uuid("id")?,
            task_id: r.uuid("task_id")?,
            author_user_id: r.opt_uuid("author_user_id")?,
            author_label: r.text("author_label")?,
            body: r.text("body")?,
            created_at: r.time("created_at")?,
        })
    })
    .collect()
}

/// Unticked items of the incident's recovery verification checklists.
pub async fn recovery_unchecked(c: &mut AnyConnection, incident: Uuid) -> Result<i64> {
    sqlx::query(
        "SELECT COUNT(*) AS n FROM task_checklist k JOIN tasks t ON t.id = k.task_id
         WHERE t.incident_id = $1 AND t.kind = 'recovery_check' AND k.done_at IS NULL",
    )
    .bind(incident.to_string())
    .fetch_one(c)
    .await?
    .int("n")
}

/// Records that the incident got its step's default tasks; false when it already had them.
/// Replicas creating them at once insert once.
pub async fn claim_step(
    c: &mut AnyConnection,
    incident: Uuid,
    step: u8,
    at: OffsetDateTime,
) -> Result<bool> {
    let r = sqlx::query(
        "INSERT INTO incident_step_tasks (incident_id, step, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (incident_id, step) DO NOTHING",
    )
    .bind(incident.to_string())
    .bind(i64::from(step))
    .bind(ts(at))
    .execute(c)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Records that a playbook was applied to the incident; false when it already was.
pub async fn claim_playbook(
    c: &mut AnyConnection,
    incident: Uuid,
    code: &str,
    by: Option<Uuid>,
    at: OffsetDateTime,
) -> Result<bool> {
    let r = sqlx::query(
        "INSERT INTO incident_playbooks (incident_id, playbook_code, applied_by, applied_at)
         VALUES ($1, $2, $3, $4) ON CONFLICT (incident_id, playbook_code) DO NOTHING",
    )
    .bind(incident.to_string())
    .bind(code.to_string())
    .bind(by.map(|u| u.to_string()))
    .bind(ts(at))
    .execute(c)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// The playbooks applied to an incident (codes, in the order applied).
pub async fn applied_playbooks(c: &mut AnyConnection, incident: Uuid) -> Result<Vec<String>> {
    sqlx::query(
        "SELECT playbook_code FROM incident_playbooks WHERE incident_id = $1
         ORDER BY applied_at, playbook_code",
    )
    .bind(incident.to_string())
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| r.text("playbook_code"))
    .collect()
}

/// A stored playbook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPlaybook {
    /// The playbook.
    pub playbook: Playbook,
    /// Who changed it last (none for the files loaded at start).
    pub updated_by: Option<Uuid>,
    /// Last changed.
    pub updated_at: OffsetDateTime,
}

fn playbook_from_row(r: &AnyRow) -> Result<StoredPlaybook> {
    let tasks: Vec<TaskTemplate> =
        serde_json::from_str(&r.text("tasks")?).map_err(|_| StoreError::Corrupt("tasks"))?;
    Ok(StoredPlaybook {
        playbook: Playbook {
            code: r.text("code")?,
            title_vi: r.text("title_vi")?,
            title_en: r.text("title_en")?,
            summary: r.text("summary")?,
            tasks,
        },
        updated_by: r.opt_uuid("updated_by")?,
        updated_at: r.time("updated_at")?,
    })
}

fn tasks_json(p: &Playbook) -> String {
    serde_json::to_string(&p.tasks).unwrap_or_else(|_| "[]".into())
}

/// Inserts a playbook unless one with its code exists; true when inserted.
pub async fn insert_playbook_if_new(
    c: &mut AnyConnection,
    p: &Playbook,
    at: OffsetDateTime,
) -> Result<bool> {
    let r = sqlx::query(
        "INSERT INTO playbooks (code, title_vi, title_en, summary, tasks, updated_by, created_at,
         updated_at) VALUES ($1, $2, $3, $4, $5, NULL, $6, $6) ON CONFLICT (code) DO NOTHING",
    )
    .bind(p.code.clone())
    .bind(p.title_vi.clone())
    .bind(p.title_en.clone())
    .bind(p.summary.clone())
    .bind(tasks_json(p))
    .bind(ts(at))
    .execute(c)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Replaces a playbook's texts and tasks; false when there is none with its code.
pub async fn update_playbook(
    c: &mut AnyConnection,
    p: &Playbook,
    by: Option<Uuid>,
    at: OffsetDateTime,
) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE playbooks SET title_vi = $2, title_en = $3, summary = $4, tasks = $5,
         updated_by = $6, updated_at = $7 WHERE code = $1",
    )
    .bind(p.code.clone())
    .bind(p.title_vi.clone())
    .bind(p.title_en.clone())
    .bind(p.summary.clone())
    .bind(tasks_json(p))
    .bind(by.map(|u| u.to_string()))
    .bind(ts(at))
    .execute(c)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Every playbook, by code.
pub async fn playbooks(c: &mut AnyConnection) -> Result<Vec<StoredPlaybook>> {
    sqlx::query(
        "SELECT code, title_vi, title_en, summary, tasks, updated_by, updated_at FROM playbooks
         ORDER BY code",
    )
    .fetch_all(c)
    .await?
    .iter()
    .map(playbook_from_row)
    .collect()
}

/// One playbook.
pub async fn playbook(c: &mut AnyConnection, code: &str) -> Result<Option<StoredPlaybook>> {
    sqlx::query(
        "SELECT code, title_vi, title_en, summary, tasks, updated_by, updated_at FROM playbooks
         WHERE code = $1",
    )
    .bind(code.to_string())
    .fetch_optional(c)
    .await?
    .as_ref()
    .map(playbook_from_row)
    .transpose()
}
