//! Tasks of an incident's response: created by hand, by the incident entering a step of
//! Phụ lục III (the step's default tasks, from data kept in the settings), or by applying a
//! scenario playbook; worked by the incident's handlers and by the members of the task's lead
//! and supporting organisations, who get a write grant on the incident when a task names them.
//!
//! Every change is audited and written to the incident's timeline in the transaction that
//! makes it. The recovery verification checklist (step 10) is a task of kind `recovery_check`:
//! the incident cannot go from `verifying_recovery` to `review` until every item is ticked.

use crate::audit::denied;
use crate::incidents::{self, OBJECT as INCIDENT};
use crate::notices::{self, Notice};
use crate::{Actor, Core, CoreError, Result};
use serde_json::json;
use time::OffsetDateTime;
use ungcuu_domain::incident::IncidentState;
use ungcuu_domain::permissions::Action;
use ungcuu_domain::tasks::{
    self as rules, Playbook, StepDefaults, TaskKind, TaskStatus, TaskTemplate, UnitRole,
};
use ungcuu_domain::timefmt::now;
use ungcuu_domain::validate::Errors;
use ungcuu_store::incidents::{self as istore, Incident};
use ungcuu_store::systems::OrgRef;
use ungcuu_store::tasks::{self as store, ChecklistItem, Comment, StoredPlaybook, Task};
use ungcuu_store::{Connection, audit, commit, orgs, settings};
use uuid::Uuid;

/// The object type of tasks in the audit log.
pub const OBJECT: &str = "task";

/// The settings key of the step defaults (JSON of [`StepDefaults`]).
pub const STEPS_KEY: &str = "tasks.step_defaults";

/// Phụ lục III as shipped: the default when the coordinator has not changed it.
const STEPS_FILE: &str = include_str!("../data/steps.json");

/// The scenario playbooks shipped in the repository, loaded into the database on first use.
const PLAYBOOK_FILES: &[&str] = &[
    include_str!("../data/playbooks/ransomware.json"),
    include_str!("../data/playbooks/ddos.json"),
    include_str!("../data/playbooks/defacement.json"),
    include_str!("../data/playbooks/phishing.json"),
    include_str!("../data/playbooks/data-leak.json"),
    include_str!("../data/playbooks/malware.json"),
    include_str!("../data/playbooks/account-compromise.json"),
];

/// The step defaults shipped in the repository.
pub fn shipped_steps() -> Result<StepDefaults> {
    let d: StepDefaults = serde_json::from_str(STEPS_FILE)
        .map_err(|e| CoreError::Internal(format!("data/steps.json: {e}")))?;
    d.validate()
        .map_err(|e| CoreError::Internal(format!("data/steps.json: {e:?}")))
}

/// The playbooks shipped in the repository.
pub fn shipped_playbooks() -> Result<Vec<Playbook>> {
    PLAYBOOK_FILES
        .iter()
        .map(|f| {
            let p: Playbook = serde_json::from_str(f)
                .map_err(|e| CoreError::Internal(format!("playbook file: {e}")))?;
            p.validate()
                .map_err(|e| CoreError::Internal(format!("playbook file: {e:?}")))
        })
        .collect()
}

async fn steps_on(c: &mut Connection) -> Result<StepDefaults> {
    match settings::get(c, STEPS_KEY).await? {
        Some(s) => serde_json::from_str(&s)
            .map_err(|e| CoreError::Internal(format!("stored step defaults: {e}"))),
        None => shipped_steps(),
    }
}

/// The step defaults in force: the stored ones, or those shipped.
pub async fn step_defaults(core: &Core) -> Result<StepDefaults> {
    let mut c = core.db.conn().await?;
    steps_on(&mut c).await
}

fn province_coordinator(actor: &Actor) -> bool {
    actor
        .principal
        .as_ref()
        .is_none_or(|p| p.can_everywhere(Action::IncidentCoordinate))
}

async fn refuse_settings(core: &Core, actor: &Actor, what: &str) -> CoreError {
    denied(
        core,
        actor,
        Action::IncidentCoordinate,
        "settings",
        Some(what.into()),
        None,
        CoreError::ForbiddenWith("incident.err.needs_coordinator"),
    )
    .await
}

/// Replaces the step defaults (province-wide coordinators and administrators). Incidents keep
/// the tasks they have; steps entered later use the new data.
pub async fn set_step_defaults(
    core: &Core,
    actor: &Actor,
    new: StepDefaults,
) -> Result<StepDefaults> {
    if !province_coordinator(actor) {
        return Err(refuse_settings(core, actor, STEPS_KEY).await);
    }
    let new = new.validate().map_err(CoreError::Invalid)?;
    let before = step_defaults(core).await?;
    let t = now();
    let value = serde_json::to_string(&new).map_err(|e| CoreError::Internal(e.to_string()))?;
    let mut tx = core.db.begin().await?;
    settings::set(&mut tx, STEPS_KEY, &value, t).await?;
    let ev = actor.event(
        "settings.step_defaults",
        "settings",
        Some(STEPS_KEY.into()),
        None,
        json!({ "before": before, "after": new }),
    );
    audit::append(&mut tx, &ev, t).await?;
    commit(tx).await?;
    Ok(new)
}

// ---------------------------------------------------------------------------------------------
// Who plays each role for an incident
// ---------------------------------------------------------------------------------------------

/// The organisations that play the roles of Phụ lục III for one incident.
struct Cast {
    owner: Uuid,
    operator: Option<Uuid>,
    system_owner: Option<Uuid>,
    /// The first organisation (oldest) of each kind.
    by_kind: Vec<(ungcuu_domain::OrgKind, Uuid)>,
}

impl Cast {
    async fn of(c: &mut Connection, i: &Incident) -> Result<Cast> {
        let system = match i.system_id.as_deref().map(Uuid::parse_str) {
            Some(Ok(id)) => ungcuu_store::systems::get(c, id).await?,
            _ => None,
        };
        let mut all = orgs::all(c).await?;
        all.sort_by_key(|o| o.id);
        let mut by_kind = Vec::new();
        for o in all {
            if !by_kind.iter().any(|(k, _)| *k == o.kind) {
                by_kind.push((o.kind, o.id));
            }
        }
        Ok(Cast {
            owner: i.owner.id,
            operator: system
                .as_ref()
                .and_then(|s| s.operator.as_ref().map(|o| o.id)),
            system_owner: system.as_ref().map(|s| s.owner.id),
            by_kind,
        })
    }

    fn play(&self, role: UnitRole) -> Option<Uuid> {
        match role {
            UnitRole::SystemOperator => Some(self.operator.unwrap_or(self.owner)),
            UnitRole::SystemOwner => Some(self.system_owner.unwrap_or(self.owner)),
            UnitRole::Others => None,
            r => r
                .org_kind()
                .and_then(|k| self.by_kind.iter().find(|(x, _)| *x == k).map(|(_, o)| *o)),
        }
    }

    /// The lead (the first lead role played; the incident's owner when none is) and the
    /// supporting organisations (the other leads and the supporting roles played), without
    /// repeats.
    fn place(&self, t: &TaskTemplate) -> (Uuid, Vec<Uuid>) {
        let leads: Vec<Uuid> = t.lead.iter().filter_map(|r| self.play(*r)).collect();
        let lead = leads.first().copied().unwrap_or(self.owner);
        let mut support: Vec<Uuid> = Vec::new();
        for o in leads
            .into_iter()
            .chain(t.support.iter().filter_map(|r| self.play(*r)))
        {
            if o != lead && !support.contains(&o) {
                support.push(o);
            }
        }
        (lead, support)
    }
}

fn org_ref(id: Uuid) -> OrgRef {
    OrgRef {
        id,
        ..Default::default()
    }
}

/// Writes tasks made from templates, in the caller's transaction: grants for the named
/// organisations, one timeline entry and one audit event for the batch.
#[allow(clippy::too_many_arguments)]
async fn instantiate(
    tx: &mut Connection,
    actor: &Actor,
    i: &Incident,
    templates: &[(Option<u8>, &TaskTemplate)],
    source: &str,
    source_ref: &str,
    line: String,
    t: OffsetDateTime,
) -> Result<Vec<Uuid>> {
    let cast = Cast::of(tx, i).await?;
    let mut ids = Vec::new();
    let mut titles = Vec::new();
    for (step, tpl) in templates {
        let (lead, support) = cast.place(tpl);
        let task = Task {
            id: Uuid::now_v7(),
            incident_id: i.id,
            incident_title: i.title.clone(),
            kind: tpl.kind,
            step: *step,
            title: tpl.title.clone(),
            description: tpl.description.clone(),
            lead: org_ref(lead),
            support: support.iter().copied().map(org_ref).collect(),
            assignee: None,
            due_date: None,
            status: TaskStatus::Open,
            source: source.into(),
            source_ref: Some(source_ref.into()),
            checklist: checklist(&tpl.checklist),
            created_by: actor.user_id(),
            created_at: t,
            updated_at: t,
        };
        store::insert(tx, &task).await?;
        for o in std::iter::once(lead).chain(support) {
            crate::grants::ensure_org_write(tx, actor, INCIDENT, i.id, i.owner.id, o, t).await?;
        }
        ids.push(task.id);
        titles.push(task.title);
    }
    incidents::note_line(tx, actor, i.id, line, t).await?;
    let ev = actor.event(
        "task.create",
        INCIDENT,
        Some(i.id.to_string()),
        Some(i.owner.id),
        json!({ "source": source, "source_ref": source_ref, "tasks": ids, "titles": titles }),
    );
    audit::append(tx, &ev, t).await?;
    Ok(ids)
}

fn checklist(items: &[String]) -> Vec<ChecklistItem> {
    items
        .iter()
        .enumerate()
        .map(|(n, text)| ChecklistItem {
            ordinal: n as i64 + 1,
            text: text.clone(),
            done_at: None,
            done_by: None,
        })
        .collect()
}

/// Creates the default tasks of the steps that start when `i` enters `state`, each step once
/// per incident. Called inside the transaction that records the incident or its transition.
pub(crate) async fn enter_state(
    tx: &mut Connection,
    actor: &Actor,
    i: &Incident,
    state: IncidentState,
    t: OffsetDateTime,
) -> Result<()> {
    let defaults = steps_on(tx).await?;
    for s in defaults.for_state(state) {
        if s.tasks.is_empty() || !store::claim_step(tx, i.id, s.step, t).await? {
            continue;
        }
        let templates: Vec<(Option<u8>, &TaskTemplate)> =
            s.tasks.iter().map(|x| (Some(s.step), x)).collect();
        let line = format!(
            "Tạo nhiệm vụ của bước {n}: {} / Tasks of step {n} created: {}",
            s.title_vi,
            s.title_en,
            n = s.step
        );
        instantiate(
            tx,
            actor,
            i,
            &templates,
            "step",
            &s.step.to_string(),
            line,
            t,
        )
        .await?;
    }
    Ok(())
}

/// Refuses to leave recovery verification for the review while an item of the recovery
/// checklist is not ticked.
pub(crate) async fn check_recovery(core: &Core, incident: Uuid) -> Result<()> {
    let mut c = core.db.conn().await?;
    if store::recovery_unchecked(&mut c, incident).await? > 0 {
        return Err(CoreError::field("to", "task.err.recovery_unchecked"));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Who may do what
// ---------------------------------------------------------------------------------------------

fn handles(actor: &Actor, i: &Incident) -> bool {
    actor
        .principal
        .as_ref()
        .is_none_or(|p| p.can(Action::IncidentHandle, i.owner.id))
}

/// True when the actor is the task's assignee or belongs to its lead or a supporting
/// organisation.
fn works_on(actor: &Actor, t: &Task) -> bool {
    actor.principal.as_ref().is_none_or(|p| {
        let mine = p.org_ids();
        t.assignee.as_ref().is_some_and(|a| a.0 == p.user_id)
            || mine.contains(&t.lead.id)
            || t.support.iter().any(|o| mine.contains(&o.id))
    })
}

/// Loads a task the actor may read (through its incident); missing and unreadable look alike.
async fn load(core: &Core, actor: &Actor, id: Uuid) -> Result<(Task, Incident)> {
    let task = {
        let mut c = core.db.conn().await?;
        store::get(&mut c, id).await?
    };
    let Some(task) = task else {
        return Err(CoreError::NotFound);
    };
    let i = incidents::get(core, actor, task.incident_id).await?;
    Ok((task, i))
}

async fn refuse(core: &Core, actor: &Actor, t: &Task, i: &Incident) -> CoreError {
    denied(
        core,
        actor,
        Action::IncidentHandle,
        OBJECT,
        Some(t.id.to_string()),
        Some(i.owner.id),
        CoreError::ForbiddenWith("task.err.needs_worker"),
    )
    .await
}

/// Loads a task the actor may work on: a handler of its incident, or a member of its lead or
/// supporting organisations.
async fn load_for_work(core: &Core, actor: &Actor, id: Uuid) -> Result<(Task, Incident)> {
    let (t, i) = load(core, actor, id).await?;
    if handles(actor, &i) || works_on(actor, &t) {
        Ok((t, i))
    } else {
        Err(refuse(core, actor, &t, &i).await)
    }
}

/// A task with its comments and what the actor may do with it.
#[derive(Debug, Clone)]
pub struct TaskView {
    /// The task.
    pub task: Task,
    /// Its comments.
    pub comments: Vec<Comment>,
    /// May change every field (a handler of the incident).
    pub can_edit: bool,
    /// May change the status, tick items and comment.
    pub can_work: bool,
}

/// One task with its comments.
pub async fn get(core: &Core, actor: &Actor, id: Uuid) -> Result<TaskView> {
    let (task, i) = load(core, actor, id).await?;
    let comments = {
        let mut c = core.db.conn().await?;
        store::comments(&mut c, id).await?
    };
    let can_edit = handles(actor, &i);
    Ok(TaskView {
        can_work: can_edit || works_on(actor, &task),
        can_edit,
        comments,
        task,
    })
}

/// The tasks of an incident the actor may read, with their comments.
pub async fn for_incident(core: &Core, actor: &Actor, incident: Uuid) -> Result<Vec<TaskView>> {
    let i = incidents::get(core, actor, incident).await?;
    let mut c = core.db.conn().await?;
    let tasks = store::for_incident(&mut c, incident).await?;
    let can_edit = handles(actor, &i);
    let mut out = Vec::with_capacity(tasks.len());
    for task in tasks {
        let comments = store::comments(&mut c, task.id).await?;
        out.push(TaskView {
            can_work: can_edit || works_on(actor, &task),
            can_edit,
            comments,
            task,
        });
    }
    Ok(out)
}

/// May the actor add tasks to incident `i` and apply playbooks to it?
pub fn can_plan(actor: &Actor, i: &Incident) -> bool {
    handles(actor, i)
}

/// The open tasks of the person: assigned to them, or led or supported by their
/// organisations, on incidents they may read; earliest due first. Comments are not loaded.
pub async fn mine(core: &Core, actor: &Actor) -> Result<Vec<TaskView>> {
    let Some(p) = &actor.principal else {
        return Ok(Vec::new());
    };
    let tasks = {
        let mut c = core.db.conn().await?;
        store::open_for(&mut c, p.user_id, &p.org_ids(), 200).await?
    };
    let mut out = Vec::with_capacity(tasks.len());
    // Each incident is read and checked once: (id, may read, handles).
    let mut seen: Vec<(Uuid, bool, bool)> = Vec::new();
    for task in tasks {
        let (read, edit) = match seen.iter().find(|(id, _, _)| *id == task.incident_id) {
            Some((_, r, e)) => (*r, *e),
            None => {
                let i = {
                    let mut c = core.db.conn().await?;
                    istore::get(&mut c, task.incident_id).await?
                };
                let (r, e) = match i {
                    Some(i) => (
                        incidents::can_read(core, actor, &i).await?,
                        handles(actor, &i),
                    ),
                    None => (false, false),
                };
                seen.push((task.incident_id, r, e));
                (r, e)
            }
        };
        if read {
            out.push(TaskView {
                can_work: edit || works_on(actor, &task),
                can_edit: edit,
                comments: Vec::new(),
                task,
            });
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Changing tasks
// ---------------------------------------------------------------------------------------------

/// A task typed by a person.
#[derive(Debug, Clone, Default)]
pub struct NewTask {
    /// `task` (default) or `measure` (an additional measure of the review).
    pub kind: String,
    /// Step of Phụ lục III, 1 to 11.
    pub step: Option<i64>,
    /// Title.
    pub title: String,
    /// What to do.
    pub description: String,
    /// Lead organisation (default: the incident's owner).
    pub lead_org_id: Option<Uuid>,
    /// Supporting organisations.
    pub support_org_ids: Vec<Uuid>,
    /// The person doing it.
    pub assignee_user_id: Option<Uuid>,
    /// Due day, `YYYY-MM-DD`.
    pub due_date: String,
    /// Checklist items.
    pub checklist: Vec<String>,
}

/// The kinds of organisation any handler may name on a task: the province-wide responders of
/// Phụ lục III.
const RESPONDER_KINDS: [ungcuu_domain::OrgKind; 4] = [
    ungcuu_domain::OrgKind::Coordinator,
    ungcuu_domain::OrgKind::Csirt,
    ungcuu_domain::OrgKind::Steering,
    ungcuu_domain::OrgKind::National,
];

fn nameable(actor: &Actor, o: &orgs::Org) -> bool {
    RESPONDER_KINDS.contains(&o.kind)
        || actor
            .principal
            .as_ref()
            .is_none_or(|p| p.can(Action::OrgRead, o.id))
}

/// The organisations the actor may name as a task's lead or supporting organisation: those
/// they can read and the province-wide responders.
pub async fn nameable_orgs(core: &Core, actor: &Actor) -> Result<Vec<orgs::Org>> {
    let mut c = core.db.conn().await?;
    Ok(orgs::all(&mut c)
        .await?
        .into_iter()
        .filter(|o| nameable(actor, o))
        .collect())
}

/// People a task of incident `i` may be assigned to: members of the incident's owner and of
/// the province-wide responders (at most 500), as (id, name, organisation name).
pub async fn assignable(
    core: &Core,
    actor: &Actor,
    i: &Incident,
) -> Result<Vec<(Uuid, String, String)>> {
    let mut c = core.db.conn().await?;
    let all = orgs::all(&mut c).await?;
    let mut out: Vec<(Uuid, String, String)> = Vec::new();
    for o in all
        .iter()
        .filter(|o| o.id == i.owner.id || (RESPONDER_KINDS.contains(&o.kind) && nameable(actor, o)))
    {
        let ms = ungcuu_store::users::list_memberships(&mut c, None, None, Some(o.id), None, 500)
            .await?;
        for m in ms.items {
            if out.len() >= 500 || out.iter().any(|x| x.0 == m.user_id) {
                continue;
            }
            if let Some(u) = ungcuu_store::users::get(&mut c, m.user_id).await?
                && u.disabled_at.is_none()
            {
                out.push((u.id, u.name, o.name.clone()));
            }
        }
    }
    Ok(out)
}

/// Checks that the organisations exist and may be named by the actor; others are refused as
/// unknown, by their field.
async fn read_orgs(
    c: &mut Connection,
    actor: &Actor,
    e: &mut Errors,
    field: &str,
    ids: &[Uuid],
) -> Result<Vec<OrgRef>> {
    let mut out: Vec<OrgRef> = Vec::new();
    for (n, id) in ids.iter().enumerate() {
        match orgs::get(c, *id).await?.filter(|o| nameable(actor, o)) {
            Some(o) => {
                if !out.iter().any(|x| x.id == o.id) {
                    out.push(OrgRef {
                        id: o.id,
                        slug: o.slug,
                        name: o.name,
                    });
                }
            }
            None => e.add(&format!("{field}[{n}]"), "err.org_missing"),
        }
    }
    Ok(out)
}

/// The assignee must be an active person of the lead, a supporting organisation or the
/// incident's owner.
async fn read_assignee(
    c: &mut Connection,
    e: &mut Errors,
    user: Uuid,
    allowed_orgs: &[Uuid],
) -> Result<Option<(Uuid, String)>> {
    let u = ungcuu_store::users::get(c, user).await?;
    let Some(u) = u.filter(|u| u.disabled_at.is_none()) else {
        e.add("assignee_user_id", "task.err.assignee");
        return Ok(None);
    };
    let ms = ungcuu_store::users::list_memberships(c, None, Some(u.id), None, None, 1000).await?;
    if !ms.items.iter().any(|m| allowed_orgs.contains(&m.org_id)) {
        e.add("assignee_user_id", "task.err.assignee");
        return Ok(None);
    }
    Ok(Some((u.id, u.name)))
}

/// Tells the assignee, in the caller's transaction.
async fn tell_assignee(
    tx: &mut Connection,
    core: &Core,
    task: &Task,
    i: &Incident,
    t: OffsetDateTime,
) -> Result<()> {
    let Some((who, _)) = &task.assignee else {
        return Ok(());
    };
    let Some(r) = notices::recipient(tx, *who).await? else {
        return Ok(());
    };
    let due_vi = task
        .due_date
        .map(|d| {
            format!(
                " Hạn hoàn thành: {:02}/{:02}/{}.",
                d.day(),
                u8::from(d.month()),
                d.year()
            )
        })
        .unwrap_or_default();
    let due_en = task
        .due_date
        .map(|d| format!(" Due: {d}."))
        .unwrap_or_default();
    let subject_vi = format!("Nhiệm vụ được giao: {}", task.title);
    let subject_en = format!("Task assigned to you: {}", task.title);
    let text_vi = format!(
        "Bạn được giao nhiệm vụ «{}» của sự cố «{}».{due_vi}",
        task.title, i.title
    );
    let text_en = format!(
        "You have been assigned the task “{}” of the incident “{}”.{due_en}",
        task.title, i.title
    );
    let link = format!("/incidents/{}#task-{}", i.id, task.id);
    notices::tell(
        tx,
        core,
        &[r],
        &Notice {
            kind: "task.assigned",
            subject: (&subject_vi, &subject_en),
            text: (&text_vi, &text_en),
            link: &link,
        },
        t,
    )
    .await
}

/// Adds a task to an incident (its handlers: the owner's officers and the coordinator).
pub async fn create(core: &Core, actor: &Actor, incident: Uuid, new: NewTask) -> Result<Task> {
    let i = incidents::get(core, actor, incident).await?;
    if !handles(actor, &i) {
        return Err(denied(
            core,
            actor,
            Action::IncidentHandle,
            INCIDENT,
            Some(i.id.to_string()),
            Some(i.owner.id),
            CoreError::ForbiddenWith("incident.err.needs_handler"),
        )
        .await);
    }
    let mut e = Errors::default();
    let kind = match new.kind.trim() {
        "" | "task" => TaskKind::Task,
        "measure" => TaskKind::Measure,
        _ => {
            e.add("kind", "task.err.kind");
            TaskKind::Task
        }
    };
    let step = rules::step(&mut e, "step", new.step);
    let title = rules::title(&mut e, "title", &new.title);
    let description =
        ungcuu_domain::incident::long_text(&mut e, "description", &new.description, false)
            .unwrap_or_default();
    let due_date = rules::due_date(&mut e, "due_date", &new.due_date);
    if new.checklist.len() > rules::CHECKLIST_MAX {
        e.add("checklist", "err.too_many_items");
    }
    let items: Vec<String> = new
        .checklist
        .iter()
        .enumerate()
        .map(|(n, x)| rules::checklist_item(&mut e, &format!("checklist[{n}]"), x))
        .collect();
    if new.support_org_ids.len() > rules::SUPPORT_MAX {
        e.add("support_org_ids", "err.too_many_items");
    }
    let mut c = core.db.conn().await?;
    let lead = read_orgs(
        &mut c,
        actor,
        &mut e,
        "lead_org_id",
        &[new.lead_org_id.unwrap_or(i.owner.id)],
    )
    .await?;
    // A single lead is named without an index.
    for err in e.0.iter_mut().filter(|x| x.field == "lead_org_id[0]") {
        err.field = "lead_org_id".into();
    }
    let mut support = read_orgs(
        &mut c,
        actor,
        &mut e,
        "support_org_ids",
        &new.support_org_ids,
    )
    .await?;
    let lead = lead.into_iter().next();
    if let Some(l) = &lead {
        support.retain(|o| o.id != l.id);
    }
    let mut allowed: Vec<Uuid> = support.iter().map(|o| o.id).collect();
    allowed.extend(lead.as_ref().map(|o| o.id));
    allowed.push(i.owner.id);
    let assignee = match new.assignee_user_id {
        Some(u) => read_assignee(&mut c, &mut e, u, &allowed).await?,
        None => None,
    };
    drop(c);
    e.into_result().map_err(CoreError::Invalid)?;
    let Some(lead) = lead else {
        return Err(CoreError::field("lead_org_id", "err.org_missing"));
    };
    let t = now();
    let task = Task {
        id: Uuid::now_v7(),
        incident_id: i.id,
        incident_title: i.title.clone(),
        kind,
        step,
        title,
        description,
        lead,
        support,
        assignee,
        due_date,
        status: TaskStatus::Open,
        source: "manual".into(),
        source_ref: None,
        checklist: checklist(&items),
        created_by: actor.user_id(),
        created_at: t,
        updated_at: t,
    };
    let mut tx = core.db.begin().await?;
    store::insert(&mut tx, &task).await?;
    for o in std::iter::once(&task.lead).chain(task.support.iter()) {
        crate::grants::ensure_org_write(&mut tx, actor, INCIDENT, i.id, i.owner.id, o.id, t)
            .await?;
    }
    let what = if kind == TaskKind::Measure {
        ("Biện pháp bổ sung mới", "New additional measure")
    } else {
        ("Nhiệm vụ mới", "New task")
    };
    incidents::note_line(
        &mut tx,
        actor,
        i.id,
        format!("{}: {} / {}: {}", what.0, task.title, what.1, task.title),
        t,
    )
    .await?;
    let ev = actor.event(
        "task.create",
        OBJECT,
        Some(task.id.to_string()),
        Some(i.owner.id),
        json!({
            "incident_id": i.id,
            "kind": kind.as_str(),
            "title": task.title,
            "step": task.step,
            "lead": task.lead.id,
            "support": task.support.iter().map(|o| o.id).collect::<Vec<_>>(),
            "assignee": task.assignee.as_ref().map(|a| a.0),
            "due_date": task.due_date.map(|d| d.to_string()),
            "checklist": items,
        }),
    );
    audit::append(&mut tx, &ev, t).await?;
    tell_assignee(&mut tx, core, &task, &i, t).await?;
    commit(tx).await?;
    let mut c = core.db.conn().await?;
    store::get(&mut c, task.id)
        .await?
        .ok_or(CoreError::NotFound)
}

/// Changes of a task; absent fields stay. Only the incident's handlers change anything but the
/// status.
#[derive(Debug, Clone, Default)]
pub struct TaskChanges {
    /// Title.
    pub title: Option<String>,
    /// What to do.
    pub description: Option<String>,
    /// Step (`Some(None)` clears it).
    pub step: Option<Option<i64>>,
    /// Status code.
    pub status: Option<String>,
    /// Lead organisation.
    pub lead_org_id: Option<Uuid>,
    /// Supporting organisations (replace the list).
    pub support_org_ids: Option<Vec<Uuid>>,
    /// Assignee (`Some(None)` clears it).
    pub assignee_user_id: Option<Option<Uuid>>,
    /// Due day (empty clears it).
    pub due_date: Option<String>,
}

impl TaskChanges {
    fn only_status(&self) -> bool {
        self.title.is_none()
            && self.description.is_none()
            && self.step.is_none()
            && self.lead_org_id.is_none()
            && self.support_org_ids.is_none()
            && self.assignee_user_id.is_none()
            && self.due_date.is_none()
    }
}

/// Changes a task: the status by anyone who works on it, the rest by the incident's handlers.
pub async fn update(core: &Core, actor: &Actor, id: Uuid, ch: TaskChanges) -> Result<Task> {
    let (before, i) = load_for_work(core, actor, id).await?;
    if !ch.only_status() && !handles(actor, &i) {
        return Err(denied(
            core,
            actor,
            Action::IncidentHandle,
            OBJECT,
            Some(id.to_string()),
            Some(i.owner.id),
            CoreError::ForbiddenWith("task.err.needs_handler"),
        )
        .await);
    }
    let mut e = Errors::default();
    let mut after = before.clone();
    if let Some(v) = &ch.title {
        after.title = rules::title(&mut e, "title", v);
    }
    if let Some(v) = &ch.description {
        after.description =
            ungcuu_domain::incident::long_text(&mut e, "description", v, false).unwrap_or_default();
    }
    if let Some(v) = ch.step {
        after.step = rules::step(&mut e, "step", v);
    }
    if let Some(v) = &ch.status {
        match v.trim().parse::<TaskStatus>() {
            Ok(s) => after.status = s,
            Err(()) => e.add("status", "task.err.status"),
        }
    }
    if let Some(v) = &ch.due_date {
        after.due_date = rules::due_date(&mut e, "due_date", v);
    }
    let mut c = core.db.conn().await?;
    if let Some(l) = ch.lead_org_id {
        let found = read_orgs(&mut c, actor, &mut e, "lead_org_id", &[l]).await?;
        for err in e.0.iter_mut().filter(|x| x.field == "lead_org_id[0]") {
            err.field = "lead_org_id".into();
        }
        if let Some(o) = found.into_iter().next() {
            after.lead = o;
        }
    }
    if let Some(list) = &ch.support_org_ids {
        if list.len() > rules::SUPPORT_MAX {
            e.add("support_org_ids", "err.too_many_items");
        }
        after.support = read_orgs(&mut c, actor, &mut e, "support_org_ids", list).await?;
    }
    let lead_id = after.lead.id;
    after.support.retain(|o| o.id != lead_id);
    if let Some(a) = ch.assignee_user_id {
        let mut allowed: Vec<Uuid> = after.support.iter().map(|o| o.id).collect();
        allowed.push(after.lead.id);
        allowed.push(i.owner.id);
        after.assignee = match a {
            Some(u) => read_assignee(&mut c, &mut e, u, &allowed).await?,
            None => None,
        };
    }
    drop(c);
    e.into_result().map_err(CoreError::Invalid)?;
    let t = now();
    after.updated_at = t;
    let newly_assigned = after.assignee.as_ref().map(|a| a.0)
        != before.assignee.as_ref().map(|a| a.0)
        && after.assignee.is_some();
    let mut tx = core.db.begin().await?;
    store::update(&mut tx, &after).await?;
    for o in std::iter::once(&after.lead).chain(after.support.iter()) {
        if o.id != before.lead.id && !before.support.iter().any(|x| x.id == o.id) {
            crate::grants::ensure_org_write(&mut tx, actor, INCIDENT, i.id, i.owner.id, o.id, t)
                .await?;
        }
    }
    let line = if before.status != after.status {
        format!(
            "Nhiệm vụ «{}»: {} → {} / Task “{}”: {} → {}",
            after.title,
            status_vi(before.status),
            status_vi(after.status),
            after.title,
            before.status.as_str(),
            after.status.as_str()
        )
    } else {
        format!(
            "Cập nhật nhiệm vụ «{}» / Task “{}” updated",
            after.title, after.title
        )
    };
    incidents::note_line(&mut tx, actor, i.id, line, t).await?;
    let ev = actor.event(
        "task.update",
        OBJECT,
        Some(id.to_string()),
        Some(i.owner.id),
        json!({
            "incident_id": i.id,
            "before": summary(&before),
            "after": summary(&after),
        }),
    );
    audit::append(&mut tx, &ev, t).await?;
    if newly_assigned {
        tell_assignee(&mut tx, core, &after, &i, t).await?;
    }
    store::touch(&mut tx, id, t).await?;
    commit(tx).await?;
    let mut c = core.db.conn().await?;
    store::get(&mut c, id).await?.ok_or(CoreError::NotFound)
}

fn status_vi(s: TaskStatus) -> &'static str {
    match s {
        TaskStatus::Open => "chưa thực hiện",
        TaskStatus::InProgress => "đang thực hiện",
        TaskStatus::Done => "hoàn thành",
        TaskStatus::Cancelled => "hủy",
    }
}

fn summary(t: &Task) -> serde_json::Value {
    json!({
        "title": t.title,
        "description": t.description,
        "step": t.step,
        "status": t.status.as_str(),
        "lead": t.lead.id,
        "support": t.support.iter().map(|o| o.id).collect::<Vec<_>>(),
        "assignee": t.assignee.as_ref().map(|a| a.0),
        "due_date": t.due_date.map(|d| d.to_string()),
    })
}

/// Adds a checklist item (anyone who works on the task).
pub async fn add_item(core: &Core, actor: &Actor, id: Uuid, text: &str) -> Result<Task> {
    let (task, i) = load_for_work(core, actor, id).await?;
    let mut e = Errors::default();
    let text = rules::checklist_item(&mut e, "text", text);
    if task.checklist.len() >= rules::CHECKLIST_MAX {
        e.add("text", "err.too_many_items");
    }
    e.into_result().map_err(CoreError::Invalid)?;
    let t = now();
    let mut tx = core.db.begin().await?;
    let n = store::add_item(&mut tx, id, &text).await?;
    store::touch(&mut tx, id, t).await?;
    incidents::note_line(
        &mut tx,
        actor,
        i.id,
        format!(
            "Nhiệm vụ «{}»: thêm mục kiểm tra «{text}» / Task “{}”: checklist item “{text}” added",
            task.title, task.title
        ),
        t,
    )
    .await?;
    let ev = actor.event(
        "task.checklist_add",
        OBJECT,
        Some(id.to_string()),
        Some(i.owner.id),
        json!({ "incident_id": i.id, "ordinal": n, "text": text }),
    );
    audit::append(&mut tx, &ev, t).await?;
    commit(tx).await?;
    let mut c = core.db.conn().await?;
    store::get(&mut c, id).await?.ok_or(CoreError::NotFound)
}

/// Ticks or unticks checklist item `ordinal` (anyone who works on the task).
pub async fn tick(core: &Core, actor: &Actor, id: Uuid, ordinal: i64, done: bool) -> Result<Task> {
    let (task, i) = load_for_work(core, actor, id).await?;
    let Some(item) = task.checklist.iter().find(|x| x.ordinal == ordinal) else {
        return Err(CoreError::field("ordinal", "task.err.item"));
    };
    if item.done_at.is_some() == done {
        return Ok(task);
    }
    let t = now();
    let mut tx = core.db.begin().await?;
    store::set_item(&mut tx, id, ordinal, done.then_some((t, actor.user_id()))).await?;
    store::touch(&mut tx, id, t).await?;
    let line = if done {
        format!(
            "Nhiệm vụ «{}»: đã đánh dấu «{}» / Task “{}”: ticked “{}”",
            task.title, item.text, task.title, item.text
        )
    } else {
        format!(
            "Nhiệm vụ «{}»: bỏ đánh dấu «{}» / Task “{}”: unticked “{}”",
            task.title, item.text, task.title, item.text
        )
    };
    incidents::note_line(&mut tx, actor, i.id, line, t).await?;
    let ev = actor.event(
        if done {
            "task.checklist_tick"
        } else {
            "task.checklist_untick"
        },
        OBJECT,
        Some(id.to_string()),
        Some(i.owner.id),
        json!({ "incident_id": i.id, "ordinal": ordinal, "text": item.text }),
    );
    audit::append(&mut tx, &ev, t).await?;
    commit(tx).await?;
    let mut c = core.db.conn().await?;
    store::get(&mut c, id).await?.ok_or(CoreError::NotFound)
}

/// Comments on a task (anyone who works on it).
pub async fn comment(core: &Core, actor: &Actor, id: Uuid, text: &str) -> Result<Comment> {
    let (task, i) = load_for_work(core, actor, id).await?;
    let mut e = Errors::default();
    let body = ungcuu_domain::incident::long_text(&mut e, "text", text, true);
    e.into_result().map_err(CoreError::Invalid)?;
    let Some(body) = body else {
        return Err(CoreError::field("text", "err.required"));
    };
    let t = now();
    let m = Comment {
        id: Uuid::now_v7(),
        task_id: id,
        author_user_id: actor.user_id(),
        author_label: actor.label.clone(),
        body,
        created_at: t,
    };
    let mut tx = core.db.begin().await?;
    store::insert_comment(&mut tx, &m).await?;
    store::touch(&mut tx, id, t).await?;
    incidents::note_line(
        &mut tx,
        actor,
        i.id,
        format!(
            "Ý kiến về nhiệm vụ «{}»: {} / Comment on task “{}”",
            task.title, m.body, task.title
        ),
        t,
    )
    .await?;
    let ev = actor.event(
        "task.comment",
        OBJECT,
        Some(id.to_string()),
        Some(i.owner.id),
        json!({ "incident_id": i.id, "comment_id": m.id, "text": m.body }),
    );
    audit::append(&mut tx, &ev, t).await?;
    commit(tx).await?;
    Ok(m)
}

// ---------------------------------------------------------------------------------------------
// Playbooks
// ---------------------------------------------------------------------------------------------

/// Loads the shipped playbooks that the database does not hold yet (first use, or a new file
/// in a release); a playbook the coordinator edited is never overwritten.
pub async fn load_playbooks(core: &Core) -> Result<usize> {
    let shipped = shipped_playbooks()?;
    let have: Vec<String> = {
        let mut c = core.db.conn().await?;
        store::playbooks(&mut c)
            .await?
            .into_iter()
            .map(|p| p.playbook.code)
            .collect()
    };
    let missing: Vec<&Playbook> = shipped.iter().filter(|p| !have.contains(&p.code)).collect();
    if missing.is_empty() {
        return Ok(0);
    }
    let t = now();
    let mut tx = core.db.begin().await?;
    let mut added = Vec::new();
    for p in missing {
        if store::insert_playbook_if_new(&mut tx, p, t).await? {
            added.push(p.code.clone());
        }
    }
    if !added.is_empty() {
        let ev = Actor::system("playbooks").event(
            "playbook.load",
            "playbook",
            None,
            None,
            json!({ "codes": added }),
        );
        audit::append(&mut tx, &ev, t).await?;
    }
    commit(tx).await?;
    Ok(added.len())
}

fn signed_in(actor: &Actor) -> bool {
    actor
        .principal
        .as_ref()
        .is_none_or(|p| !p.memberships.is_empty())
}

/// Every playbook (anyone with a membership: they are guidance, not incident data).
pub async fn playbooks(core: &Core, actor: &Actor) -> Result<Vec<StoredPlaybook>> {
    if !signed_in(actor) {
        return Err(CoreError::Forbidden);
    }
    load_playbooks(core).await?;
    let mut c = core.db.conn().await?;
    Ok(store::playbooks(&mut c).await?)
}

/// One playbook.
pub async fn playbook(core: &Core, actor: &Actor, code: &str) -> Result<StoredPlaybook> {
    if !signed_in(actor) {
        return Err(CoreError::Forbidden);
    }
    load_playbooks(core).await?;
    let mut c = core.db.conn().await?;
    store::playbook(&mut c, code.trim())
        .await?
        .ok_or(CoreError::NotFound)
}

/// May the actor edit playbooks and the step defaults?
pub fn can_manage(actor: &Actor) -> bool {
    province_coordinator(actor)
}

/// Replaces a playbook's titles, summary and tasks (province-wide coordinators).
pub async fn update_playbook(
    core: &Core,
    actor: &Actor,
    code: &str,
    mut new: Playbook,
) -> Result<StoredPlaybook> {
    if !province_coordinator(actor) {
        return Err(refuse_settings(core, actor, &format!("playbook:{code}")).await);
    }
    let before = playbook(core, actor, code).await?;
    new.code = before.playbook.code.clone();
    let new = new.validate().map_err(CoreError::Invalid)?;
    let t = now();
    let mut tx = core.db.begin().await?;
    store::update_playbook(&mut tx, &new, actor.user_id(), t).await?;
    let ev = actor.event(
        "playbook.update",
        "playbook",
        Some(new.code.clone()),
        None,
        json!({ "before": before.playbook, "after": new }),
    );
    audit::append(&mut tx, &ev, t).await?;
    commit(tx).await?;
    playbook(core, actor, &new.code).await
}

/// The playbooks applied to an incident the actor may read.
pub async fn applied(core: &Core, actor: &Actor, incident: Uuid) -> Result<Vec<String>> {
    incidents::get(core, actor, incident).await?;
    let mut c = core.db.conn().await?;
    Ok(store::applied_playbooks(&mut c, incident).await?)
}

/// Creates a playbook's tasks in an incident, once per playbook per incident (its handlers).
pub async fn apply_playbook(
    core: &Core,
    actor: &Actor,
    incident: Uuid,
    code: &str,
) -> Result<Vec<Task>> {
    let i = incidents::get(core, actor, incident).await?;
    if !handles(actor, &i) {
        return Err(denied(
            core,
            actor,
            Action::IncidentHandle,
            INCIDENT,
            Some(i.id.to_string()),
            Some(i.owner.id),
            CoreError::ForbiddenWith("incident.err.needs_handler"),
        )
        .await);
    }
    let p = match playbook(core, actor, code).await {
        Ok(p) => p.playbook,
        Err(CoreError::NotFound) => return Err(CoreError::field("code", "task.err.playbook")),
        Err(e) => return Err(e),
    };
    let t = now();
    let mut tx = core.db.begin().await?;
    if !store::claim_playbook(&mut tx, i.id, &p.code, actor.user_id(), t).await? {
        return Err(CoreError::field("code", "task.err.playbook_applied"));
    }
    let templates: Vec<(Option<u8>, &TaskTemplate)> = p.tasks.iter().map(|x| (x.step, x)).collect();
    let line = format!(
        "Áp dụng kịch bản «{}» / Playbook “{}” applied",
        p.title_vi, p.title_en
    );
    let ids = instantiate(&mut tx, actor, &i, &templates, "playbook", &p.code, line, t).await?;
    istore::touch(&mut tx, i.id, t).await?;
    commit(tx).await?;
    let mut c = core.db.conn().await?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.extend(store::get(&mut c, id).await?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_data_is_valid_and_covers_the_eleven_steps() {
        let s = shipped_steps().unwrap();
        let steps: Vec<u8> = s.steps.iter().map(|x| x.step).collect();
        assert_eq!(steps, (1..=11).collect::<Vec<u8>>());
        let recovery: Vec<_> = s
            .steps
            .iter()
            .flat_map(|x| &x.tasks)
            .filter(|t| t.kind == TaskKind::RecoveryCheck)
            .collect();
        assert_eq!(recovery.len(), 1);
        assert!(!recovery[0].checklist.is_empty());
        let p = shipped_playbooks().unwrap();
        let codes: Vec<&str> = p.iter().map(|x| x.code.as_str()).collect();
        for c in [
            "ransomware",
            "ddos",
            "defacement",
            "phishing",
            "data-leak",
            "malware",
            "account-compromise",
        ] {
            assert!(codes.contains(&c), "{c}");
        }
    }
}
