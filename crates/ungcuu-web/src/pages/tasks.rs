//! Tasks on pages: the *Nhiệm vụ* section of the incident page (list with checklist, status,
//! comments, the add form and "apply playbook"), the person's *Nhiệm vụ của tôi* page, and the
//! playbook pages (list, read, edit for the coordinator).

use super::render;
use crate::State;
use crate::ctx::{Ctx, SignedIn, redirect_with_flash};
use crate::forms::CsrfForm;
use crate::forms::PageId;
use crate::forms::page_id as parse_id;
use askama::Template;
use axum::Router;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::{get, post};
use ungcuu_core::CoreError;
use ungcuu_core::tasks::{self as core_tasks, NewTask, TaskChanges};
use ungcuu_domain::tasks::{Playbook, TaskKind, TaskStatus, tasks_from_text, tasks_to_text};
use ungcuu_store::tasks::Task;
use uuid::Uuid;

pub(super) fn router() -> Router<State> {
    Router::new()
        .route("/tasks", get(my_tasks))
        .route("/incidents/{id}/tasks", post(create))
        .route("/incidents/{id}/playbooks", post(apply))
        .route("/tasks/{id}/status", post(set_status))
        .route("/tasks/{id}/edit", post(edit))
        .route("/tasks/{id}/checklist", post(add_item))
        .route("/tasks/{id}/checklist/{n}", post(tick))
        .route("/tasks/{id}/comments", post(comment))
        .route("/playbooks", get(playbooks))
        .route("/playbooks/{code}", get(playbook).post(save_playbook))
}

struct ItemRow {
    ordinal: i64,
    text: String,
    done: bool,
}

struct CommentRow {
    author: String,
    at: String,
    text: String,
}

struct TaskRow {
    id: Uuid,
    title: String,
    kind: &'static str,
    recovery: bool,
    step: String,
    lead: String,
    support: String,
    assignee: String,
    assignee_id: String,
    due: String,
    due_value: String,
    status: &'static str,
    status_code: &'static str,
    closed: bool,
    description: String,
    items: Vec<ItemRow>,
    comments: Vec<CommentRow>,
    can_edit: bool,
    can_work: bool,
}

fn show_date(d: time::Date) -> String {
    format!("{:02}/{:02}/{}", d.day(), u8::from(d.month()), d.year())
}

fn kind_label(c: &Ctx, k: TaskKind) -> &'static str {
    match k {
        TaskKind::Task => c.t("task.kind.task"),
        TaskKind::Measure => c.t("task.kind.measure"),
        TaskKind::RecoveryCheck => c.t("task.kind.recovery_check"),
    }
}

fn row(
    c: &Ctx,
    t: Task,
    comments: Vec<ungcuu_store::tasks::Comment>,
    edit: bool,
    work: bool,
) -> TaskRow {
    TaskRow {
        id: t.id,
        kind: kind_label(c, t.kind),
        recovery: t.kind == TaskKind::RecoveryCheck,
        step: t.step.map(|s| s.to_string()).unwrap_or_default(),
        lead: t.lead.name,
        support: t
            .support
            .into_iter()
            .map(|o| o.name)
            .collect::<Vec<_>>()
            .join("; "),
        assignee_id: t
            .assignee
            .as_ref()
            .map(|a| a.0.to_string())
            .unwrap_or_default(),
        assignee: t.assignee.map(|a| a.1).unwrap_or_default(),
        due: t.due_date.map(show_date).unwrap_or_default(),
        due_value: t.due_date.map(|d| d.to_string()).unwrap_or_default(),
        status: c.t(t.status.label_key()),
        status_code: t.status.as_str(),
        closed: t.status.is_closed(),
        description: t.description,
        items: t
            .checklist
            .into_iter()
            .map(|i| ItemRow {
                ordinal: i.ordinal,
                text: i.text,
                done: i.done_at.is_some(),
            })
            .collect(),
        comments: comments
            .into_iter()
            .map(|m| CommentRow {
                author: m.author_label,
                at: c.dt(&m.created_at),
                text: m.body,
            })
            .collect(),
        title: t.title,
        can_edit: edit,
        can_work: work,
    }
}

#[derive(Template)]
#[template(path = "tasks_section.html")]
struct Section<'a> {
    c: &'a Ctx,
    id: Uuid,
    tasks: Vec<TaskRow>,
    measures: Vec<TaskRow>,
    can_plan: bool,
    statuses: Vec<(&'static str, &'static str)>,
    orgs: Vec<(Uuid, String)>,
    owner_id: Uuid,
    people: Vec<(Uuid, String)>,
    playbooks: Vec<(String, String)>,
    applied: Vec<String>,
}

/// The tasks section of incident `id`, rendered (empty when the person may not read it, which
/// the incident page has already refused).
pub(crate) async fn section(st: &State, ctx: &Ctx, id: Uuid) -> String {
    let actor = ctx.actor();
    let Ok(i) = ungcuu_core::incidents::get(&st.core, &actor, id).await else {
        return String::new();
    };
    let views = core_tasks::for_incident(&st.core, &actor, id)
        .await
        .unwrap_or_default();
    let can_plan = core_tasks::can_plan(&actor, &i);
    let (orgs, people, playbooks) = if can_plan {
        let orgs = core_tasks::nameable_orgs(&st.core, &actor)
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|o| (o.id, o.name))
            .collect();
        let people = core_tasks::assignable(&st.core, &actor, &i)
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|(id, name, org)| (id, format!("{name} ({org})")))
            .collect();
        let playbooks = core_tasks::playbooks(&st.core, &actor)
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|p| {
                let title = if ctx.lang == crate::i18n::Lang::En {
                    p.playbook.title_en
                } else {
                    p.playbook.title_vi
                };
                (p.playbook.code, title)
            })
            .collect();
        (orgs, people, playbooks)
    } else {
        (Vec::new(), Vec::new(), Vec::new())
    };
    let applied = core_tasks::applied(&st.core, &actor, id)
        .await
        .unwrap_or_default();
    let mut tasks = Vec::new();
    let mut measures = Vec::new();
    for v in views {
        let measure = v.task.kind == TaskKind::Measure;
        let r = row(ctx, v.task, v.comments, v.can_edit, v.can_work);
        if measure {
            measures.push(r);
        } else {
            tasks.push(r);
        }
    }
    let page = Section {
        c: ctx,
        id,
        tasks,
        measures,
        can_plan,
        statuses: TaskStatus::ALL
            .into_iter()
            .map(|s| (s.as_str(), ctx.t(s.label_key())))
            .collect(),
        orgs,
        owner_id: i.owner.id,
        people,
        playbooks,
        applied,
    };
    page.render().unwrap_or_default()
}

fn field(pairs: &[(String, String)], k: &str) -> String {
    pairs
        .iter()
        .find(|(n, _)| n == k)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

fn uuids(ctx: &Ctx, pairs: &[(String, String)], k: &str) -> Result<Vec<Uuid>, Response> {
    pairs
        .iter()
        .filter(|(n, v)| n == k && !v.trim().is_empty())
        .map(|(_, v)| {
            Uuid::parse_str(v.trim())
                .map_err(|_| crate::error::page(ctx, axum::http::StatusCode::BAD_REQUEST))
        })
        .collect()
}

fn opt_uuid(ctx: &Ctx, pairs: &[(String, String)], k: &str) -> Result<Option<Uuid>, Response> {
    Ok(uuids(ctx, pairs, k)?.into_iter().next())
}

/// Back to the incident's tasks with a flash, or an error page.
fn after<T>(
    ctx: &Ctx,
    incident: Uuid,
    anchor: &str,
    r: ungcuu_core::Result<T>,
    flash: &str,
) -> Response {
    let to = format!("/incidents/{incident}#{anchor}");
    match r {
        Ok(_) => redirect_with_flash(ctx, &to, flash),
        Err(CoreError::Invalid(errs)) => {
            redirect_with_flash(ctx, &to, errs.first().map_or("err.invalid", |e| e.code))
        }
        Err(e) => crate::error::core_page(ctx, e),
    }
}

async fn create(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    PageId(id): PageId,
    CsrfForm(f): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let (lead, support, assignee) = match (
        opt_uuid(&ctx, &f, "lead_org_id"),
        uuids(&ctx, &f, "support_org_ids"),
        opt_uuid(&ctx, &f, "assignee_user_id"),
    ) {
        (Ok(a), Ok(b), Ok(c)) => (a, b, c),
        (Err(r), _, _) | (_, Err(r), _) | (_, _, Err(r)) => return r,
    };
    let step = field(&f, "step");
    let step = match step.trim() {
        "" => None,
        s => Some(s.parse::<i64>().unwrap_or(0)),
    };
    let new = NewTask {
        kind: field(&f, "kind"),
        step,
        title: field(&f, "title"),
        description: field(&f, "description"),
        lead_org_id: lead,
        support_org_ids: support,
        assignee_user_id: assignee,
        due_date: field(&f, "due_date"),
        checklist: field(&f, "checklist")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect(),
    };
    let r = core_tasks::create(&st.core, &ctx.actor(), id, new).await;
    after(&ctx, id, "tasks", r, "task.flash_created")
}

async fn apply(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    PageId(id): PageId,
    CsrfForm(f): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let r = core_tasks::apply_playbook(&st.core, &ctx.actor(), id, &field(&f, "code")).await;
    after(&ctx, id, "tasks", r, "task.flash_applied")
}

/// The incident of a task the person may read, for the redirect; an error page otherwise.
async fn incident_of(st: &State, ctx: &Ctx, id: Uuid) -> Result<Uuid, Response> {
    match core_tasks::get(&st.core, &ctx.actor(), id).await {
        Ok(v) => Ok(v.task.incident_id),
        Err(e) => Err(crate::error::core_page(ctx, e)),
    }
}

async fn set_status(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    PageId(id): PageId,
    CsrfForm(f): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let incident = match incident_of(&st, &ctx, id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let ch = TaskChanges {
        status: Some(field(&f, "status")),
        ..Default::default()
    };
    let r = core_tasks::update(&st.core, &ctx.actor(), id, ch).await;
    after(&ctx, incident, &format!("task-{id}"), r, "task.flash_saved")
}

async fn edit(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    PageId(id): PageId,
    CsrfForm(f): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let incident = match incident_of(&st, &ctx, id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let assignee = match opt_uuid(&ctx, &f, "assignee_user_id") {
        Ok(a) => a,
        Err(r) => return r,
    };
    let ch = TaskChanges {
        title: Some(field(&f, "title")),
        due_date: Some(field(&f, "due_date")),
        assignee_user_id: Some(assignee),
        ..Default::default()
    };
    let r = core_tasks::update(&st.core, &ctx.actor(), id, ch).await;
    after(&ctx, incident, &format!("task-{id}"), r, "task.flash_saved")
}

async fn add_item(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    PageId(id): PageId,
    CsrfForm(f): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let incident = match incident_of(&st, &ctx, id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let r = core_tasks::add_item(&st.core, &ctx.actor(), id, &field(&f, "text")).await;
    after(&ctx, incident, &format!("task-{id}"), r, "task.flash_saved")
}

async fn tick(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    Path((id, n)): Path<(String, String)>,
    CsrfForm(f): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let id = match parse_id(&ctx, &id) {
        Ok(i) => i,
        Err(r) => return r,
    };
    let incident = match incident_of(&st, &ctx, id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let Ok(n) = n.parse::<i64>() else {
        return crate::error::page(&ctx, axum::http::StatusCode::NOT_FOUND);
    };
    let done = field(&f, "done") == "yes";
    let r = core_tasks::tick(&st.core, &ctx.actor(), id, n, done).await;
    after(&ctx, incident, &format!("task-{id}"), r, "task.flash_saved")
}

async fn comment(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    PageId(id): PageId,
    CsrfForm(f): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let incident = match incident_of(&st, &ctx, id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let r = core_tasks::comment(&st.core, &ctx.actor(), id, &field(&f, "text")).await;
    after(
        &ctx,
        incident,
        &format!("task-{id}"),
        r,
        "task.flash_commented",
    )
}

struct MineRow {
    incident_id: Uuid,
    incident: String,
    id: Uuid,
    title: String,
    kind: &'static str,
    lead: String,
    assignee: String,
    due: String,
    status: &'static str,
    mine: bool,
}

#[derive(Template)]
#[template(path = "my_tasks.html")]
struct MinePage<'a> {
    c: &'a Ctx,
    rows: Vec<MineRow>,
}

async fn my_tasks(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
) -> Response {
    let actor = ctx.actor();
    let me = actor.user_id();
    let tasks = match core_tasks::mine(&st.core, &actor).await {
        Ok(t) => t,
        Err(e) => return crate::error::core_page(&ctx, e),
    };
    let rows = tasks
        .into_iter()
        .map(|v| v.task)
        .map(|t| MineRow {
            incident_id: t.incident_id,
            incident: t.incident_title,
            id: t.id,
            kind: kind_label(&ctx, t.kind),
            mine: t.assignee.as_ref().map(|a| a.0) == me,
            lead: t.lead.name,
            assignee: t.assignee.map(|a| a.1).unwrap_or_default(),
            due: t.due_date.map(show_date).unwrap_or_default(),
            status: ctx.t(t.status.label_key()),
            title: t.title,
        })
        .collect();
    render(&ctx, MinePage { c: &ctx, rows })
}

struct PlaybookRow {
    code: String,
    title: String,
    other_title: String,
    summary: String,
    tasks: usize,
}

#[derive(Template)]
#[template(path = "playbooks.html")]
struct PlaybooksPage<'a> {
    c: &'a Ctx,
    rows: Vec<PlaybookRow>,
}

async fn playbooks(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
) -> Response {
    let list = match core_tasks::playbooks(&st.core, &ctx.actor()).await {
        Ok(l) => l,
        Err(e) => return crate::error::core_page(&ctx, e),
    };
    let en = ctx.lang == crate::i18n::Lang::En;
    let rows = list
        .into_iter()
        .map(|p| {
            let p = p.playbook;
            let (title, other_title) = if en {
                (p.title_en, p.title_vi)
            } else {
                (p.title_vi, p.title_en)
            };
            PlaybookRow {
                code: p.code,
                title,
                other_title,
                summary: p.summary,
                tasks: p.tasks.len(),
            }
        })
        .collect();
    render(&ctx, PlaybooksPage { c: &ctx, rows })
}

struct StepTasks {
    step: String,
    title: String,
    lead: String,
    support: String,
    items: Vec<String>,
}

#[derive(Template)]
#[template(path = "playbook.html")]
struct PlaybookPage<'a> {
    c: &'a Ctx,
    code: String,
    title_vi: String,
    title_en: String,
    summary: String,
    tasks: Vec<StepTasks>,
    text: String,
    can_manage: bool,
    errors: Vec<(String, String)>,
}

impl PlaybookPage<'_> {
    fn err(&self, f: &str) -> String {
        self.errors
            .iter()
            .filter(|(k, _)| {
                k == f || k.starts_with(&format!("{f}.")) || k.starts_with(&format!("{f}["))
            })
            .map(|(k, m)| format!("{m} ({k})"))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn roles(c: &Ctx, v: &[ungcuu_domain::tasks::UnitRole]) -> String {
    v.iter()
        .map(|r| c.t(r.label_key()))
        .collect::<Vec<_>>()
        .join("; ")
}

fn playbook_page<'a>(
    c: &'a Ctx,
    p: Playbook,
    text: Option<String>,
    errors: Vec<(String, String)>,
) -> PlaybookPage<'a> {
    let can_manage = core_tasks::can_manage(&c.actor());
    PlaybookPage {
        c,
        text: text.unwrap_or_else(|| tasks_to_text(&p.tasks)),
        tasks: p
            .tasks
            .iter()
            .map(|t| StepTasks {
                step: t.step.map(|s| s.to_string()).unwrap_or_default(),
                title: t.title.clone(),
                lead: roles(c, &t.lead),
                support: roles(c, &t.support),
                items: t.checklist.clone(),
            })
            .collect(),
        code: p.code,
        title_vi: p.title_vi,
        title_en: p.title_en,
        summary: p.summary,
        can_manage,
        errors,
    }
}

async fn playbook(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    Path(code): Path<String>,
) -> Response {
    match core_tasks::playbook(&st.core, &ctx.actor(), &code).await {
        Ok(p) => render(&ctx, playbook_page(&ctx, p.playbook, None, Vec::new())),
        Err(e) => crate::error::core_page(&ctx, e),
    }
}

async fn save_playbook(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    Path(code): Path<String>,
    CsrfForm(f): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let text = field(&f, "tasks");
    let typed = Playbook {
        code: code.clone(),
        title_vi: field(&f, "title_vi"),
        title_en: field(&f, "title_en"),
        summary: field(&f, "summary"),
        tasks: Vec::new(),
    };
    let r = match tasks_from_text(&text) {
        Ok(tasks) => {
            let p = Playbook {
                tasks,
                ..typed.clone()
            };
            core_tasks::update_playbook(&st.core, &ctx.actor(), &code, p).await
        }
        Err(errs) => Err(CoreError::Invalid(errs)),
    };
    match r {
        Ok(p) => redirect_with_flash(
            &ctx,
            &format!("/playbooks/{}", crate::forms::urlencode(&p.playbook.code)),
            "task.flash_playbook_saved",
        ),
        Err(CoreError::Invalid(errs)) => {
            let errors = crate::forms::field_errors(&ctx, &errs);
            let mut page = playbook_page(&ctx, typed, Some(text), errors);
            page.can_manage = true;
            let mut r = render(&ctx, page);
            *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            r
        }
        Err(e) => crate::error::core_page(&ctx, e),
    }
}
