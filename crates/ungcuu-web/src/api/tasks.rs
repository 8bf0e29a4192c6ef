//! API of tasks: the tasks of an incident (list, add, change, checklist, comments), the
//! caller's open tasks, the step defaults of Phụ lục III, and the playbooks (list, read, edit,
//! apply to an incident).

use super::extract::ApiId;
use super::extract::{ApiJson, Caller, double_option, path_id};
use super::systems::OrgRefOut;
use super::{Problem, ok};
use crate::State;
use crate::error::core_problem;
use axum::Router;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post, put};
use serde::{Deserialize, Serialize};
use ungcuu_core::CoreError;
use ungcuu_core::tasks::{self as core_tasks, NewTask, TaskChanges, TaskView};
use ungcuu_domain::tasks::{Playbook, StepDefault, StepDefaults, TaskKind, TaskTemplate, UnitRole};
use ungcuu_domain::timefmt::rfc3339;
use ungcuu_store::tasks::{Comment, StoredPlaybook, Task};
use utoipa::ToSchema;
use uuid::Uuid;

/// The description of these endpoints, merged into the API document.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        incident_tasks,
        create_task,
        get_task,
        patch_task,
        add_item,
        tick_item,
        add_comment,
        my_tasks,
        get_step_defaults,
        put_step_defaults,
        list_playbooks,
        get_playbook,
        put_playbook,
        apply_playbook
    ),
    components(schemas(
        TaskOut,
        AssigneeOut,
        ChecklistItemOut,
        CommentOut,
        TaskListOut,
        NewTaskBody,
        TaskPatch,
        ItemBody,
        TickBody,
        CommentBody,
        TemplateBody,
        StepBody,
        StepDefaultsBody,
        PlaybookOut,
        PlaybookBody,
        ApplyBody
    ))
)]
pub struct TasksDoc;

/// Routes of the tasks API.
pub(crate) fn router() -> Router<State> {
    Router::new()
        .route(
            "/api/v1/incidents/{id}/tasks",
            get(incident_tasks).post(create_task),
        )
        .route("/api/v1/incidents/{id}/playbooks", post(apply_playbook))
        .route("/api/v1/tasks/mine", get(my_tasks))
        .route("/api/v1/tasks/{id}", get(get_task).patch(patch_task))
        .route("/api/v1/tasks/{id}/checklist", post(add_item))
        .route("/api/v1/tasks/{id}/checklist/{ordinal}", put(tick_item))
        .route("/api/v1/tasks/{id}/comments", post(add_comment))
        .route(
            "/api/v1/settings/step-tasks",
            get(get_step_defaults).put(put_step_defaults),
        )
        .route("/api/v1/playbooks", get(list_playbooks))
        .route(
            "/api/v1/playbooks/{code}",
            get(get_playbook).put(put_playbook),
        )
}

/// The person a task is assigned to.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssigneeOut {
    pub id: Uuid,
    pub name: String,
}

/// One checklist item.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChecklistItemOut {
    /// Position, from 1 (the path segment to tick it).
    pub ordinal: i64,
    pub text: String,
    pub done: bool,
    pub done_at: Option<String>,
    pub done_by: Option<Uuid>,
}

/// A comment on a task.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommentOut {
    pub id: Uuid,
    pub author: String,
    pub text: String,
    pub created_at: String,
}

impl From<Comment> for CommentOut {
    fn from(c: Comment) -> Self {
        CommentOut {
            id: c.id,
            author: c.author_label,
            text: c.body,
            created_at: rfc3339(c.created_at),
        }
    }
}

/// A task.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskOut {
    pub id: Uuid,
    pub incident_id: Uuid,
    pub incident_title: String,
    /// `task`, `measure` (an additional measure of the review) or `recovery_check` (the
    /// recovery verification checklist of step 10).
    pub kind: String,
    /// Step of Phụ lục III, 1 to 11.
    pub step: Option<u8>,
    pub title: String,
    pub description: String,
    pub lead: OrgRefOut,
    pub support: Vec<OrgRefOut>,
    pub assignee: Option<AssigneeOut>,
    /// `YYYY-MM-DD`.
    pub due_date: Option<String>,
    /// `open`, `in_progress`, `done` or `cancelled`.
    pub status: String,
    /// `manual`, `step` or `playbook`.
    pub source: String,
    /// The step number or playbook code it came from.
    pub source_ref: Option<String>,
    pub checklist: Vec<ChecklistItemOut>,
    /// Present on the task and incident lists and the task itself.
    pub comments: Vec<CommentOut>,
    /// The caller may change every field.
    pub can_edit: bool,
    /// The caller may change the status, tick items and comment.
    pub can_work: bool,
    pub created_at: String,
    pub updated_at: String,
}

fn task_out(t: Task, comments: Vec<Comment>, can_edit: bool, can_work: bool) -> TaskOut {
    TaskOut {
        id: t.id,
        incident_id: t.incident_id,
        incident_title: t.incident_title,
        kind: t.kind.as_str().into(),
        step: t.step,
        title: t.title,
        description: t.description,
        lead: t.lead.into(),
        support: t.support.into_iter().map(Into::into).collect(),
        assignee: t.assignee.map(|(id, name)| AssigneeOut { id, name }),
        due_date: t.due_date.map(|d| d.to_string()),
        status: t.status.as_str().into(),
        source: t.source,
        source_ref: t.source_ref,
        checklist: t
            .checklist
            .into_iter()
            .map(|i| ChecklistItemOut {
                ordinal: i.ordinal,
                text: i.text,
                done: i.done_at.is_some(),
                done_at: i.done_at.map(rfc3339),
                done_by: i.done_by,
            })
            .collect(),
        comments: comments.into_iter().map(CommentOut::from).collect(),
        can_edit,
        can_work,
        created_at: rfc3339(t.created_at),
        updated_at: rfc3339(t.updated_at),
    }
}

fn view_out(v: TaskView) -> TaskOut {
    task_out(v.task, v.comments, v.can_edit, v.can_work)
}

/// A list of tasks.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskListOut {
    pub items: Vec<TaskOut>,
    /// Playbook codes already applied (on an incident's list).
    pub applied_playbooks: Vec<String>,
}

/// A new task.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTaskBody {
    /// `task` (default) or `measure`.
    #[serde(default)]
    pub kind: String,
    pub step: Option<i64>,
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// Default: the incident's owner.
    pub lead_org_id: Option<Uuid>,
    #[serde(default)]
    pub support_org_ids: Vec<Uuid>,
    pub assignee_user_id: Option<Uuid>,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub due_date: String,
    #[serde(default)]
    pub checklist: Vec<String>,
}

/// Changes of a task; absent fields stay. Members of the lead and supporting organisations may
/// change only the status.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskPatch {
    pub title: Option<String>,
    pub description: Option<String>,
    /// A step, or null for none.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub step: Option<Option<i64>>,
    /// `open`, `in_progress`, `done` or `cancelled`.
    pub status: Option<String>,
    pub lead_org_id: Option<Uuid>,
    pub support_org_ids: Option<Vec<Uuid>>,
    /// A person, or null for nobody.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Uuid>)]
    pub assignee_user_id: Option<Option<Uuid>>,
    /// `YYYY-MM-DD`, or empty for none.
    pub due_date: Option<String>,
}

/// A new checklist item.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemBody {
    pub text: String,
}

/// Ticks or unticks an item.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TickBody {
    pub done: bool,
}

/// A comment.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentBody {
    pub text: String,
}

fn task_id(ctx: &crate::ctx::Ctx, s: &str) -> Result<Uuid, Response> {
    path_id(ctx, s)
}

/// The tasks of an incident, oldest first, with the playbooks applied.
#[utoipa::path(get, path = "/api/v1/incidents/{id}/tasks", params(("id" = Uuid, Path)), responses((status = 200, body = TaskListOut), (status = 404, body = Problem)))]
pub(crate) async fn incident_tasks(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
) -> Response {
    let actor = ctx.actor();
    let items = match core_tasks::for_incident(&st.core, &actor, id).await {
        Ok(v) => v,
        Err(e) => return core_problem(&ctx, e),
    };
    match core_tasks::applied(&st.core, &actor, id).await {
        Ok(applied) => ok(
            StatusCode::OK,
            TaskListOut {
                items: items.into_iter().map(view_out).collect(),
                applied_playbooks: applied,
            },
        ),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Adds a task to an incident (its handlers). Naming a lead or supporting organisation gives
/// it write access to the incident; naming an assignee tells them.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/tasks", params(("id" = Uuid, Path)), request_body = NewTaskBody, responses((status = 201, body = TaskOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn create_task(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
    ApiJson(b): ApiJson<NewTaskBody>,
) -> Response {
    let new = NewTask {
        kind: b.kind,
        step: b.step,
        title: b.title,
        description: b.description,
        lead_org_id: b.lead_org_id,
        support_org_ids: b.support_org_ids,
        assignee_user_id: b.assignee_user_id,
        due_date: b.due_date,
        checklist: b.checklist,
    };
    let actor = ctx.actor();
    match core_tasks::create(&st.core, &actor, id, new).await {
        Ok(t) => answer(&st, &ctx, t.id, StatusCode::CREATED).await,
        Err(e) => core_problem(&ctx, e),
    }
}

async fn answer(st: &State, ctx: &crate::ctx::Ctx, id: Uuid, status: StatusCode) -> Response {
    match core_tasks::get(&st.core, &ctx.actor(), id).await {
        Ok(v) => ok(status, view_out(v)),
        Err(e) => core_problem(ctx, e),
    }
}

/// One task with its checklist and comments.
#[utoipa::path(get, path = "/api/v1/tasks/{id}", params(("id" = Uuid, Path)), responses((status = 200, body = TaskOut), (status = 404, body = Problem)))]
pub(crate) async fn get_task(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    Path(id): Path<String>,
) -> Response {
    let id = match task_id(&ctx, &id) {
        Ok(i) => i,
        Err(r) => return r,
    };
    answer(&st, &ctx, id, StatusCode::OK).await
}

/// Changes a task.
#[utoipa::path(patch, path = "/api/v1/tasks/{id}", params(("id" = Uuid, Path)), request_body = TaskPatch, responses((status = 200, body = TaskOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn patch_task(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<TaskPatch>,
) -> Response {
    let id = match task_id(&ctx, &id) {
        Ok(i) => i,
        Err(r) => return r,
    };
    let ch = TaskChanges {
        title: b.title,
        description: b.description,
        step: b.step,
        status: b.status,
        lead_org_id: b.lead_org_id,
        support_org_ids: b.support_org_ids,
        assignee_user_id: b.assignee_user_id,
        due_date: b.due_date,
    };
    match core_tasks::update(&st.core, &ctx.actor(), id, ch).await {
        Ok(_) => answer(&st, &ctx, id, StatusCode::OK).await,
        Err(e) => core_problem(&ctx, e),
    }
}

/// Adds a checklist item.
#[utoipa::path(post, path = "/api/v1/tasks/{id}/checklist", params(("id" = Uuid, Path)), request_body = ItemBody, responses((status = 201, body = TaskOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn add_item(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ItemBody>,
) -> Response {
    let id = match task_id(&ctx, &id) {
        Ok(i) => i,
        Err(r) => return r,
    };
    match core_tasks::add_item(&st.core, &ctx.actor(), id, &b.text).await {
        Ok(_) => answer(&st, &ctx, id, StatusCode::CREATED).await,
        Err(e) => core_problem(&ctx, e),
    }
}

/// Ticks or unticks checklist item `ordinal`.
#[utoipa::path(put, path = "/api/v1/tasks/{id}/checklist/{ordinal}", params(("id" = Uuid, Path), ("ordinal" = i64, Path)), request_body = TickBody, responses((status = 200, body = TaskOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn tick_item(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    Path((id, ordinal)): Path<(String, String)>,
    ApiJson(b): ApiJson<TickBody>,
) -> Response {
    let id = match task_id(&ctx, &id) {
        Ok(i) => i,
        Err(r) => return r,
    };
    let Ok(ordinal) = ordinal.parse::<i64>() else {
        return core_problem(&ctx, CoreError::field("ordinal", "task.err.item"));
    };
    match core_tasks::tick(&st.core, &ctx.actor(), id, ordinal, b.done).await {
        Ok(_) => answer(&st, &ctx, id, StatusCode::OK).await,
        Err(e) => core_problem(&ctx, e),
    }
}

/// Comments on a task.
#[utoipa::path(post, path = "/api/v1/tasks/{id}/comments", params(("id" = Uuid, Path)), request_body = CommentBody, responses((status = 201, body = CommentOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn add_comment(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<CommentBody>,
) -> Response {
    let id = match task_id(&ctx, &id) {
        Ok(i) => i,
        Err(r) => return r,
    };
    match core_tasks::comment(&st.core, &ctx.actor(), id, &b.text).await {
        Ok(c) => ok(StatusCode::CREATED, CommentOut::from(c)),
        Err(e) => core_problem(&ctx, e),
    }
}

/// The caller's open tasks: assigned to them, or led or supported by their organisations;
/// earliest due first.
#[utoipa::path(get, path = "/api/v1/tasks/mine", responses((status = 200, body = TaskListOut)))]
pub(crate) async fn my_tasks(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
) -> Response {
    let actor = ctx.actor();
    match core_tasks::mine(&st.core, &actor).await {
        Ok(v) => ok(
            StatusCode::OK,
            TaskListOut {
                items: v.into_iter().map(view_out).collect(),
                applied_playbooks: Vec::new(),
            },
        ),
        Err(e) => core_problem(&ctx, e),
    }
}

/// A task to create (in a step's defaults or a playbook). Units are roles resolved for each
/// incident: `system_operator`, `system_owner`, `coordinator`, `response_team`,
/// `steering_committee`, `vncert`, `others` (never resolved).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateBody {
    /// Step of Phụ lục III (playbooks only).
    #[serde(default)]
    pub step: Option<u8>,
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// `task` (default), `measure` or `recovery_check`.
    #[serde(default)]
    pub kind: Option<String>,
    /// Lead units, first found leads (a playbook task without leads is led by the operator).
    #[serde(default)]
    pub lead: Vec<String>,
    #[serde(default)]
    pub support: Vec<String>,
    #[serde(default)]
    pub checklist: Vec<String>,
}

/// One step's default tasks.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepBody {
    /// 1 to 11.
    pub step: u8,
    /// The incident state whose entry creates the tasks.
    pub state: String,
    pub title_vi: String,
    pub title_en: String,
    pub tasks: Vec<TemplateBody>,
}

/// Every step's default tasks.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepDefaultsBody {
    pub steps: Vec<StepBody>,
}

fn template_out(t: &TaskTemplate) -> TemplateBody {
    TemplateBody {
        step: t.step,
        title: t.title.clone(),
        description: t.description.clone(),
        kind: Some(t.kind.as_str().into()),
        lead: t.lead.iter().map(|r| r.as_str().into()).collect(),
        support: t.support.iter().map(|r| r.as_str().into()).collect(),
        checklist: t.checklist.clone(),
    }
}

/// Reads a template, naming bad role and kind codes by their path.
fn template_in(
    e: &mut Vec<ungcuu_domain::validate::FieldError>,
    at: &str,
    b: TemplateBody,
) -> TaskTemplate {
    let mut roles = |field: &str, list: &[String]| -> Vec<UnitRole> {
        list.iter()
            .enumerate()
            .filter_map(|(n, r)| match r.trim().parse::<UnitRole>() {
                Ok(x) => Some(x),
                Err(()) => {
                    e.push(ungcuu_domain::validate::FieldError::new(
                        &format!("{at}.{field}[{n}]"),
                        "task.err.role",
                    ));
                    None
                }
            })
            .collect()
    };
    let lead = roles("lead", &b.lead);
    let support = roles("support", &b.support);
    let kind = match b.kind.as_deref().map(str::trim) {
        None | Some("") => TaskKind::Task,
        Some(k) => k.parse().unwrap_or_else(|()| {
            e.push(ungcuu_domain::validate::FieldError::new(
                &format!("{at}.kind"),
                "task.err.kind",
            ));
            TaskKind::Task
        }),
    };
    TaskTemplate {
        step: b.step,
        title: b.title,
        description: b.description,
        kind,
        lead,
        support,
        checklist: b.checklist,
    }
}

impl From<&StepDefaults> for StepDefaultsBody {
    fn from(d: &StepDefaults) -> Self {
        StepDefaultsBody {
            steps: d
                .steps
                .iter()
                .map(|s| StepBody {
                    step: s.step,
                    state: s.state.clone(),
                    title_vi: s.title_vi.clone(),
                    title_en: s.title_en.clone(),
                    tasks: s.tasks.iter().map(template_out).collect(),
                })
                .collect(),
        }
    }
}

/// The step defaults in force: which tasks each step of Phụ lục III creates, with its lead and
/// supporting units, and the incident state that starts it.
#[utoipa::path(get, path = "/api/v1/settings/step-tasks", responses((status = 200, body = StepDefaultsBody)))]
pub(crate) async fn get_step_defaults(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
) -> Response {
    match core_tasks::step_defaults(&st.core).await {
        Ok(d) => ok(StatusCode::OK, StepDefaultsBody::from(&d)),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Replaces the step defaults (province-wide coordinator). Incidents keep their tasks.
#[utoipa::path(put, path = "/api/v1/settings/step-tasks", request_body = StepDefaultsBody, responses((status = 200, body = StepDefaultsBody), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn put_step_defaults(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiJson(b): ApiJson<StepDefaultsBody>,
) -> Response {
    let mut errs = Vec::new();
    let steps = b
        .steps
        .into_iter()
        .enumerate()
        .map(|(i, s)| StepDefault {
            step: s.step,
            state: s.state,
            title_vi: s.title_vi,
            title_en: s.title_en,
            tasks: s
                .tasks
                .into_iter()
                .enumerate()
                .map(|(j, t)| template_in(&mut errs, &format!("steps[{i}].tasks[{j}]"), t))
                .collect(),
        })
        .collect();
    if !errs.is_empty() {
        return core_problem(&ctx, CoreError::Invalid(errs));
    }
    match core_tasks::set_step_defaults(&st.core, &ctx.actor(), StepDefaults { steps }).await {
        Ok(d) => ok(StatusCode::OK, StepDefaultsBody::from(&d)),
        Err(e) => core_problem(&ctx, e),
    }
}

/// A playbook.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlaybookOut {
    pub code: String,
    pub title_vi: String,
    pub title_en: String,
    pub summary: String,
    pub tasks: Vec<TemplateBody>,
    pub updated_by: Option<Uuid>,
    pub updated_at: String,
}

impl From<StoredPlaybook> for PlaybookOut {
    fn from(p: StoredPlaybook) -> Self {
        PlaybookOut {
            tasks: p.playbook.tasks.iter().map(template_out).collect(),
            code: p.playbook.code,
            title_vi: p.playbook.title_vi,
            title_en: p.playbook.title_en,
            summary: p.playbook.summary,
            updated_by: p.updated_by,
            updated_at: rfc3339(p.updated_at),
        }
    }
}

/// A playbook's new content (the code is the path's).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlaybookBody {
    pub title_vi: String,
    pub title_en: String,
    #[serde(default)]
    pub summary: String,
    pub tasks: Vec<TemplateBody>,
}

/// Applies a playbook to an incident.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplyBody {
    /// The playbook's code.
    pub code: String,
}

/// Every playbook.
#[utoipa::path(get, path = "/api/v1/playbooks", responses((status = 200, body = Vec<PlaybookOut>)))]
pub(crate) async fn list_playbooks(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
) -> Response {
    match core_tasks::playbooks(&st.core, &ctx.actor()).await {
        Ok(v) => ok(
            StatusCode::OK,
            v.into_iter().map(PlaybookOut::from).collect::<Vec<_>>(),
        ),
        Err(e) => core_problem(&ctx, e),
    }
}

/// One playbook.
#[utoipa::path(get, path = "/api/v1/playbooks/{code}", params(("code" = String, Path)), responses((status = 200, body = PlaybookOut), (status = 404, body = Problem)))]
pub(crate) async fn get_playbook(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    Path(code): Path<String>,
) -> Response {
    match core_tasks::playbook(&st.core, &ctx.actor(), &code).await {
        Ok(p) => ok(StatusCode::OK, PlaybookOut::from(p)),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Replaces a playbook's titles, summary and tasks (province-wide coordinator).
#[utoipa::path(put, path = "/api/v1/playbooks/{code}", params(("code" = String, Path)), request_body = PlaybookBody, responses((status = 200, body = PlaybookOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn put_playbook(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    Path(code): Path<String>,
    ApiJson(b): ApiJson<PlaybookBody>,
) -> Response {
    let mut errs = Vec::new();
    let tasks = b
        .tasks
        .into_iter()
        .enumerate()
        .map(|(j, t)| template_in(&mut errs, &format!("tasks[{j}]"), t))
        .collect();
    if !errs.is_empty() {
        return core_problem(&ctx, CoreError::Invalid(errs));
    }
    let p = Playbook {
        code: code.clone(),
        title_vi: b.title_vi,
        title_en: b.title_en,
        summary: b.summary,
        tasks,
    };
    match core_tasks::update_playbook(&st.core, &ctx.actor(), &code, p).await {
        Ok(p) => ok(StatusCode::OK, PlaybookOut::from(p)),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Creates a playbook's tasks in an incident (its handlers), once per playbook.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/playbooks", params(("id" = Uuid, Path)), request_body = ApplyBody, responses((status = 201, body = TaskListOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn apply_playbook(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
    ApiJson(b): ApiJson<ApplyBody>,
) -> Response {
    let actor = ctx.actor();
    match core_tasks::apply_playbook(&st.core, &actor, id, &b.code).await {
        Ok(tasks) => ok(
            StatusCode::CREATED,
            TaskListOut {
                items: tasks
                    .into_iter()
                    .map(|t| task_out(t, Vec::new(), true, true))
                    .collect(),
                applied_playbooks: vec![b.code],
            },
        ),
        Err(e) => core_problem(&ctx, e),
    }
}
