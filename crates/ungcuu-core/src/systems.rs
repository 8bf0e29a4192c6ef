//! The information systems registry: each system of an owner organisation (chủ quản), its
//! operator, security level and approval, services, software and addresses; CSV export and an
//! all-or-nothing CSV import with a dry run; the demo registry.
//!
//! Reading a system needs `org.read` on its owner, or a membership in its operator (a
//! contractor's staff see what they run). Changing one needs `system.manage` on its owner;
//! marking its level appraised needs `system.appraise`, approving it `system.approve`.

use crate::audit::{denied, require};
use crate::{Actor, Core, CoreError, Result};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use ungcuu_domain::csv;
use ungcuu_domain::permissions::{Action, Visibility};
use ungcuu_domain::systems::{
    AddressKind, CSV_COLUMNS, CSV_REQUIRED, Details, LevelStatus, SoftwareFields, SystemFields,
    fields_from_row, format_date, name_key, row_cells, today_in_vietnam, validate,
};
use ungcuu_domain::timefmt::now;
use ungcuu_domain::validate::FieldError;
use ungcuu_domain::{OrgKind, Principal};
use ungcuu_store::orgs::{self, Org};
use ungcuu_store::systems::{self as store, OrgRef, System, SystemFilter};
use ungcuu_store::{Page, StoreError, audit, commit};
use uuid::Uuid;

/// The object type of systems in the audit log.
pub const OBJECT: &str = "information_system";

/// Most data rows one CSV import takes.
pub const IMPORT_MAX_ROWS: usize = 10_000;

/// What a new system needs.
#[derive(Debug, Clone, Default)]
pub struct NewSystem {
    /// The owner (cơ quan chủ quản).
    pub owner_org_id: Option<Uuid>,
    /// The operator (đơn vị vận hành).
    pub operator_org_id: Option<Uuid>,
    /// Everything else, as typed.
    pub fields: SystemFields,
}

/// The editable fields of a system (explicitly listed: nothing else can be set). Absent fields
/// stay as they are; empty text clears.
#[derive(Debug, Clone, Default)]
pub struct SystemChanges {
    /// New owner (needs `system.manage` on both owners).
    pub owner_org_id: Option<Uuid>,
    /// New operator, or `Some(None)` for none.
    pub operator_org_id: Option<Option<Uuid>>,
    /// Name.
    pub name: Option<String>,
    /// Purpose.
    pub purpose: Option<String>,
    /// Security service provider.
    pub security_provider: Option<String>,
    /// External connectivity provider.
    pub connectivity_provider: Option<String>,
    /// Security level, or `Some(None)` for none. A new level without a status is proposed.
    pub security_level: Option<Option<i64>>,
    /// `proposed`, `appraised`, `approved`.
    pub level_status: Option<String>,
    /// Approval decision number.
    pub approval_decision_no: Option<String>,
    /// Approval date.
    pub approval_date: Option<String>,
    /// Services (replace the list).
    pub services: Option<Vec<String>>,
    /// Operating system.
    pub os: Option<String>,
    /// Its version.
    pub os_version: Option<String>,
    /// Software (replaces the list).
    pub software: Option<Vec<SoftwareFields>>,
    /// Public IPs and ranges (replace the list).
    pub ips: Option<Vec<String>>,
    /// Domain names (replace the list).
    pub domains: Option<Vec<String>>,
    /// Host names (replace the list).
    pub hostnames: Option<Vec<String>>,
}

/// True when the actor may read `s`: `org.read` on its owner, or a member of its operator.
pub fn can_read(actor: &Actor, s: &System) -> bool {
    match &actor.principal {
        None => true,
        Some(p) => {
            p.can(Action::OrgRead, s.owner.id)
                || s.operator
                    .as_ref()
                    .is_some_and(|o| p.memberships.iter().any(|m| m.org_id == o.id))
        }
    }
}

/// True when the actor may do `action` on systems owned by `owner` (for showing buttons).
pub fn may(actor: &Actor, action: Action, owner: Uuid) -> bool {
    actor
        .principal
        .as_ref()
        .is_none_or(|p| p.can(action, owner))
}

/// Restricts a filter to what the actor may read.
fn scope(actor: &Actor, f: &mut SystemFilter) {
    let Some(p) = &actor.principal else {
        f.owners_within = None;
        return;
    };
    f.owners_within = match p.visibility(Action::OrgRead) {
        Visibility::All => None,
        Visibility::Orgs(s) => Some(s.into_iter().collect()),
        Visibility::Nothing => Some(Vec::new()),
    };
    f.or_operator_in = p.org_ids();
}

fn org_ref(o: &Org) -> OrgRef {
    OrgRef {
        id: o.id,
        slug: o.slug.clone(),
        name: o.name.clone(),
    }
}

fn snapshot(s: &System) -> serde_json::Value {
    let d = &s.details;
    json!({
        "owner_org_id": s.owner.id,
        "owner_slug": s.owner.slug,
        "operator_org_id": s.operator.as_ref().map(|o| o.id),
        "name": d.name,
        "purpose": d.purpose,
        "security_provider": d.security_provider,
        "connectivity_provider": d.connectivity_provider,
        "security_level": d.security_level,
        "level_status": d.level_status.map(|x| x.as_str()),
        "approval_decision_no": d.approval_decision_no,
        "approval_date": d.approval_date.map(format_date),
        "approved_by": s.approved_by,
        "services": d.services.iter().map(|x| x.as_str()).collect::<Vec<_>>(),
        "os": d.os,
        "os_version": d.os_version,
        "software": d.software.iter().map(|x| x.to_item()).collect::<Vec<_>>(),
        "ips": d.ips,
        "domains": d.domains,
        "hostnames": d.hostnames,
    })
}

/// One system, if the actor may read it. Unreadable and missing look the same.
pub async fn get(core: &Core, actor: &Actor, id: Uuid) -> Result<System> {
    let s = {
        let mut c = core.db.conn().await?;
        store::get(&mut c, id).await?
    };
    let Some(s) = s else {
        return Err(CoreError::NotFound);
    };
    if can_read(actor, &s) {
        Ok(s)
    } else {
        Err(denied(
            core,
            actor,
            Action::OrgRead,
            OBJECT,
            Some(id.to_string()),
            Some(s.owner.id),
            CoreError::NotFound,
        )
        .await)
    }
}

/// A page of the systems the actor may read.
pub async fn list(
    core: &Core,
    actor: &Actor,
    mut filter: SystemFilter,
    after: Option<Uuid>,
    limit: Option<i64>,
) -> Result<Page<System>> {
    scope(actor, &mut filter);
    let mut c = core.db.conn().await?;
    Ok(store::list(&mut c, &filter, after, ungcuu_store::page_limit(limit)).await?)
}

/// Why an organisation named as owner or operator cannot be used. Unreadable organisations
/// read as missing, so a guessed slug or id tells nothing; the refusal is still audited.
#[derive(Debug, Default)]
struct Refusals {
    /// (action, organisation) already audited in this request, so a file of 1 000 rows of a
    /// forbidden owner leaves one denial, not 1 000.
    seen: HashSet<(Action, Uuid)>,
}

impl Refusals {
    async fn deny(
        &mut self,
        core: &Core,
        actor: &Actor,
        action: Action,
        org: Uuid,
        object_type: &str,
        object_id: Option<String>,
    ) {
        if self.seen.insert((action, org)) {
            denied(
                core,
                actor,
                action,
                object_type,
                object_id,
                Some(org),
                CoreError::Forbidden,
            )
            .await;
        }
    }
}

/// Checks the owner: it exists, the actor reads it (else "missing") and manages its systems.
async fn check_owner(
    core: &Core,
    actor: &Actor,
    refusals: &mut Refusals,
    org: Option<Org>,
    object_id: Option<String>,
) -> std::result::Result<Org, &'static str> {
    let Some(org) = org else {
        return Err("err.org_missing");
    };
    let Some(p) = &actor.principal else {
        return Ok(org);
    };
    if p.can(Action::SystemManage, org.id) {
        return Ok(org);
    }
    refusals
        .deny(core, actor, Action::SystemManage, org.id, OBJECT, object_id)
        .await;
    if p.can(Action::OrgRead, org.id) {
        Err("err.system_owner_forbidden")
    } else {
        Err("err.org_missing")
    }
}

/// Checks an operator: one the actor reads, or a contractor (outside companies are not secret,
/// and a department officer cannot read them otherwise).
async fn check_operator(
    core: &Core,
    actor: &Actor,
    refusals: &mut Refusals,
    org: Option<Org>,
) -> std::result::Result<Org, &'static str> {
    let Some(org) = org else {
        return Err("err.org_missing");
    };
    match &actor.principal {
        Some(p) if !p.can(Action::OrgRead, org.id) && org.kind != OrgKind::Contractor => {
            refusals
                .deny(
                    core,
                    actor,
                    Action::OrgRead,
                    org.id,
                    crate::orgs::OBJECT,
                    Some(org.id.to_string()),
                )
                .await;
            Err("err.org_missing")
        }
        _ => Ok(org),
    }
}

/// The level rules beyond the table's `system.manage`: giving a level the status `approved`
/// (or changing an approved level, its decision or its owner) needs `system.approve` on the
/// owner; `appraised` needs `system.appraise`. Returns who approved, as it is to be stored.
async fn check_level(
    core: &Core,
    actor: &Actor,
    refusals: &mut Refusals,
    owner: Uuid,
    before: Option<&System>,
    after: &Details,
    object_id: Option<String>,
) -> std::result::Result<Option<Uuid>, FieldError> {
    let level_changed = before.is_none_or(|b| {
        b.owner.id != owner
            || b.details.security_level != after.security_level
            || b.details.level_status != after.level_status
    });
    let approval_changed = level_changed
        || before.is_some_and(|b| {
            b.details.approval_decision_no != after.approval_decision_no
                || b.details.approval_date != after.approval_date
        });
    let needed = match after.level_status {
        Some(LevelStatus::Approved) if approval_changed => {
            Some((Action::SystemApprove, "err.approval_forbidden"))
        }
        Some(LevelStatus::Appraised) if level_changed => {
            Some((Action::SystemAppraise, "err.appraisal_forbidden"))
        }
        _ => None,
    };
    if let (Some((action, code)), Some(p)) = (needed, &actor.principal)
        && !p.can(action, owner)
    {
        refusals
            .deny(core, actor, action, owner, OBJECT, object_id)
            .await;
        return Err(FieldError::new("level_status", code));
    }
    Ok(match after.level_status {
        Some(LevelStatus::Approved) if approval_changed => actor.user_id(),
        Some(LevelStatus::Approved) => before.and_then(|b| b.approved_by),
        _ => None,
    })
}

fn name_taken(e: StoreError) -> CoreError {
    if e.is_unique_on("name_key") {
        CoreError::field("name", "err.system_name_taken")
    } else {
        e.into()
    }
}

async fn org_by_id(core: &Core, id: Uuid) -> Result<Option<Org>> {
    let mut c = core.db.conn().await?;
    Ok(orgs::get(&mut c, id).await?)
}

/// Registers a system for an owner the actor manages.
pub async fn create(core: &Core, actor: &Actor, new: NewSystem) -> Result<System> {
    let mut errs = Vec::new();
    if new.owner_org_id.is_none() {
        errs.push(FieldError::new("owner_org_id", "err.required"));
    }
    let details = match validate(&new.fields, today_in_vietnam()) {
        Ok(d) => Some(d),
        Err(e) => {
            errs.extend(e);
            None
        }
    };
    let (Some(owner_id), Some(details)) = (new.owner_org_id, details) else {
        return Err(CoreError::Invalid(errs));
    };
    let mut refusals = Refusals::default();
    let owner = check_owner(
        core,
        actor,
        &mut refusals,
        org_by_id(core, owner_id).await?,
        None,
    )
    .await
    .map_err(|code| CoreError::field("owner_org_id", code))?;
    let operator = match new.operator_org_id {
        Some(id) => Some(
            check_operator(core, actor, &mut refusals, org_by_id(core, id).await?)
                .await
                .map_err(|code| CoreError::field("operator_org_id", code))?,
        ),
        None => None,
    };
    let approved_by = check_level(core, actor, &mut refusals, owner.id, None, &details, None)
        .await
        .map_err(|e| CoreError::Invalid(vec![e]))?;
    let t = now();
    let system = System {
        id: Uuid::now_v7(),
        owner: org_ref(&owner),
        operator: operator.as_ref().map(org_ref),
        details,
        approved_by,
        created_at: t,
        updated_at: t,
    };
    let mut tx = core.db.begin().await?;
    store::insert(&mut tx, &system).await.map_err(name_taken)?;
    derive(
        &mut tx,
        actor,
        system.owner.id,
        system.id,
        &derived_entries(&system),
        t,
    )
    .await?;
    let ev = actor.event(
        "system.create",
        OBJECT,
        Some(system.id.to_string()),
        Some(system.owner.id),
        snapshot(&system),
    );
    audit::append(&mut tx, &ev, t).await?;
    commit(tx).await?;
    crate::constituency::changed(core).await;
    Ok(system)
}

/// Changes a system. Authorised on the loaded row's owner (and on a new owner).
pub async fn update(core: &Core, actor: &Actor, id: Uuid, ch: SystemChanges) -> Result<System> {
    let before = get(core, actor, id).await?;
    require(
        core,
        actor,
        Action::SystemManage,
        before.owner.id,
        OBJECT,
        Some(id.to_string()),
    )
    .await?;
    let mut f = before.details.fields();
    let set = |slot: &mut String, v: Option<String>| {
        if let Some(v) = v {
            *slot = v;
        }
    };
    set(&mut f.name, ch.name);
    set(&mut f.purpose, ch.purpose);
    set(&mut f.security_provider, ch.security_provider);
    set(&mut f.connectivity_provider, ch.connectivity_provider);
    if let Some(level) = ch.security_level
        && level != f.security_level
    {
        f.security_level = level;
        // A new level is only a proposal until someone says otherwise; no level, no status.
        if ch.level_status.is_none() {
            f.level_status = if level.is_some() {
                LevelStatus::Proposed.as_str().into()
            } else {
                String::new()
            };
        }
    }
    set(&mut f.level_status, ch.level_status);
    set(&mut f.approval_decision_no, ch.approval_decision_no);
    set(&mut f.approval_date, ch.approval_date);
    if let Some(v) = ch.services {
        f.services = v;
    }
    set(&mut f.os, ch.os);
    set(&mut f.os_version, ch.os_version);
    if let Some(v) = ch.software {
        f.software = v;
    }
    if let Some(v) = ch.ips {
        f.ips = v;
    }
    if let Some(v) = ch.domains {
        f.domains = v;
    }
    if let Some(v) = ch.hostnames {
        f.hostnames = v;
    }
    let details = validate(&f, today_in_vietnam()).map_err(CoreError::Invalid)?;
    let mut refusals = Refusals::default();
    let owner = match ch.owner_org_id {
        Some(o) if o != before.owner.id => org_ref(
            &check_owner(
                core,
                actor,
                &mut refusals,
                org_by_id(core, o).await?,
                Some(id.to_string()),
            )
            .await
            .map_err(|code| CoreError::field("owner_org_id", code))?,
        ),
        _ => before.owner.clone(),
    };
    let operator = match ch.operator_org_id {
        None => before.operator.clone(),
        Some(None) => None,
        Some(Some(o)) if before.operator.as_ref().is_some_and(|b| b.id == o) => {
            before.operator.clone()
        }
        Some(Some(o)) => Some(org_ref(
            &check_operator(core, actor, &mut refusals, org_by_id(core, o).await?)
                .await
                .map_err(|code| CoreError::field("operator_org_id", code))?,
        )),
    };
    let approved_by = check_level(
        core,
        actor,
        &mut refusals,
        owner.id,
        Some(&before),
        &details,
        Some(id.to_string()),
    )
    .await
    .map_err(|e| CoreError::Invalid(vec![e]))?;
    let mut system = System {
        owner,
        operator,
        details,
        approved_by,
        ..before.clone()
    };
    if system == before {
        return Ok(system);
    }
    let t = now();
    system.updated_at = t;
    let mut tx = core.db.begin().await?;
    store::update(&mut tx, &system).await.map_err(name_taken)?;
    if before.owner.id != system.owner.id {
        derive(&mut tx, actor, before.owner.id, id, &[], t).await?;
    }
    derive(
        &mut tx,
        actor,
        system.owner.id,
        id,
        &derived_entries(&system),
        t,
    )
    .await?;
    let ev = actor.event(
        "system.update",
        OBJECT,
        Some(id.to_string()),
        Some(system.owner.id),
        json!({ "before": snapshot(&before), "after": snapshot(&system) }),
    );
    audit::append(&mut tx, &ev, t).await?;
    commit(tx).await?;
    crate::constituency::changed(core).await;
    Ok(system)
}

/// Deletes a system from the registry; its history stays in the audit log.
pub async fn delete(core: &Core, actor: &Actor, id: Uuid) -> Result<()> {
    let s = get(core, actor, id).await?;
    require(
        core,
        actor,
        Action::SystemManage,
        s.owner.id,
        OBJECT,
        Some(id.to_string()),
    )
    .await?;
    let t = now();
    let mut tx = core.db.begin().await?;
    derive(&mut tx, actor, s.owner.id, id, &[], t).await?;
    if !store::delete(&mut tx, id).await? {
        return Err(CoreError::NotFound);
    }
    let ev = actor.event(
        "system.delete",
        OBJECT,
        Some(id.to_string()),
        Some(s.owner.id),
        json!({ "before": snapshot(&s) }),
    );
    audit::append(&mut tx, &ev, t).await?;
    commit(tx).await?;
    crate::constituency::changed(core).await;
    Ok(())
}

/// One change of a system, as its history shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    /// Position in the audit chain.
    pub seq: i64,
    /// When (stored UTC text).
    pub occurred_at: String,
    /// Who (e-mail, `cli`, `demo`).
    pub actor: String,
    /// `system.create`, `system.update`.
    pub action: String,
    /// The fields an update changed.
    pub changed: Vec<String>,
}

/// The changes of a system, newest first: its own audit events (not the refusals, which
/// belong to whoever was refused), and for a system created by an import the batch's event.
/// Readable by whoever may read the system.
pub async fn history(core: &Core, actor: &Actor, id: Uuid) -> Result<Vec<HistoryEntry>> {
    let s = get(core, actor, id).await?;
    let filter = audit::AuditFilter {
        object_type: Some(OBJECT.into()),
        object_id: Some(s.id.to_string()),
        action_prefix: Some("system.".into()),
        ..Default::default()
    };
    let mut c = core.db.conn().await?;
    let mut events = audit::list(&mut c, &filter, None, 200).await?.items;
    if !events.iter().any(|e| e.action == "system.create") {
        // An import writes one event for its batch, at the very time it gives as the creation
        // time of every system it creates.
        let batch = audit::AuditFilter {
            object_type: Some(OBJECT.into()),
            action_prefix: Some("system.import".into()),
            from: Some(s.created_at),
            until: Some(s.created_at + time::Duration::microseconds(1)),
            ..Default::default()
        };
        events.extend(audit::list(&mut c, &batch, None, 1).await?.items);
    }
    Ok(events
        .into_iter()
        .map(|e| {
            let summary: serde_json::Value =
                serde_json::from_str(&e.summary).unwrap_or(serde_json::Value::Null);
            let mut changed = Vec::new();
            if let (Some(b), Some(a)) =
                (summary["before"].as_object(), summary["after"].as_object())
            {
                for (k, v) in a {
                    if b.get(k) != Some(v) {
                        changed.push(k.clone());
                    }
                }
            }
            HistoryEntry {
                seq: e.seq,
                occurred_at: e.occurred_at,
                actor: e.actor_label,
                action: e.action,
                changed,
            }
        })
        .collect())
}

/// The name and e-mail of the person who recorded the approval of `s`, for its page.
pub async fn approver(core: &Core, s: &System) -> Result<Option<String>> {
    let Some(id) = s.approved_by else {
        return Ok(None);
    };
    let mut c = core.db.conn().await?;
    Ok(ungcuu_store::users::get(&mut c, id)
        .await?
        .map(|u| format!("{} <{}>", u.name, u.email)))
}

/// The constituency entries a system gives its owner: its public IPs and ranges and its domains
/// (hostnames stay with the system; a domain already covers them).
fn derived_entries(s: &System) -> Vec<ungcuu_domain::constituency::Entry> {
    use ungcuu_domain::constituency::{Entry, Kind};
    derived_addresses(s)
        .into_iter()
        .filter_map(|(kind, v)| match kind {
            AddressKind::Ip => Entry::parse(Kind::Cidr, &v).ok(),
            AddressKind::Domain => Entry::parse(Kind::Domain, &v).ok(),
            _ => None,
        })
        .collect()
}

/// Keeps the constituency in step with a system, in the caller's transaction.
async fn derive(
    tx: &mut ungcuu_store::Connection,
    actor: &Actor,
    owner: Uuid,
    system: Uuid,
    entries: &[ungcuu_domain::constituency::Entry],
    at: time::OffsetDateTime,
) -> Result<()> {
    crate::constituency::replace_derived_in(tx, actor, owner, system, entries, at).await?;
    Ok(())
}

/// The addresses a system adds to its owner's constituency: its public IPs and ranges and its
/// domains (host names are internal names and stay out).
pub fn derived_addresses(s: &System) -> Vec<(AddressKind, String)> {
    s.details
        .ips
        .iter()
        .map(|v| (AddressKind::Ip, v.clone()))
        .chain(
            s.details
                .domains
                .iter()
                .map(|v| (AddressKind::Domain, v.clone())),
        )
        .collect()
}

/// Organisations whose systems the actor may register: readable, with `system.manage`.
pub async fn owner_choices(core: &Core, actor: &Actor) -> Result<Vec<Org>> {
    Ok(crate::orgs::all_readable(core, actor)
        .await?
        .into_iter()
        .filter(|o| may(actor, Action::SystemManage, o.id))
        .collect())
}

/// Organisations that may operate a system: those the actor reads, and every contractor.
pub async fn operator_choices(core: &Core, actor: &Actor) -> Result<Vec<Org>> {
    let p: Option<&Principal> = actor.principal.as_ref();
    let mut c = core.db.conn().await?;
    let mut list: Vec<(String, Org)> = orgs::all(&mut c)
        .await?
        .into_iter()
        .filter(|o| o.kind == OrgKind::Contractor || p.is_none_or(|p| p.can(Action::OrgRead, o.id)))
        .map(|o| (ungcuu_domain::text::fold(&o.name), o))
        .collect();
    list.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.id.cmp(&b.1.id)));
    Ok(list.into_iter().map(|(_, o)| o).collect())
}

/// Every readable system matching `filter` as CSV (UTF-8 with a BOM, so spreadsheets read the
/// Vietnamese letters; CRLF lines), in the columns an import reads back.
pub async fn export_csv(core: &Core, actor: &Actor, mut filter: SystemFilter) -> Result<String> {
    scope(actor, &mut filter);
    let mut out = String::from("\u{feff}");
    csv::write_row(&mut out, &CSV_COLUMNS);
    let mut c = core.db.conn().await?;
    let mut after = None;
    loop {
        let page = store::list(&mut c, &filter, after, 200).await?;
        for s in &page.items {
            let cells = row_cells(
                &s.owner.slug,
                s.operator.as_ref().map(|o| o.slug.as_str()),
                &s.details,
            );
            let protected: Vec<_> = cells.iter().map(|c| csv::protect(c)).collect();
            csv::write_row(&mut out, &protected);
        }
        match page.next.and_then(|n| Uuid::parse_str(&n).ok()) {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    Ok(out)
}

/// One problem an import found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportIssue {
    /// The line of the file (1 is the header); `None` for the file as a whole.
    pub line: Option<usize>,
    /// The column or field (`ips[2]` is the third item of the `ips` cell).
    pub field: Option<String>,
    /// Translation key of the problem.
    pub code: &'static str,
    /// The offending value, when there is one.
    pub value: Option<String>,
}

/// What an import found and did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportReport {
    /// Nothing was to be written.
    pub dry_run: bool,
    /// The encoding the file was read in.
    pub encoding: Option<&'static str>,
    /// Data rows read (blank lines aside).
    pub rows: usize,
    /// Systems created (0 on a dry run or when anything was wrong).
    pub created: usize,
    /// SHA-256 of the file as received.
    pub content_sha256: String,
    /// Every problem; when there is one, nothing was written.
    pub issues: Vec<ImportIssue>,
}

impl ImportReport {
    fn file_issue(&mut self, line: Option<usize>, code: &'static str) -> &mut Self {
        self.issues.push(ImportIssue {
            line,
            field: None,
            code,
            value: None,
        });
        self
    }

    /// True when the file had no problem.
    pub fn is_ok(&self) -> bool {
        self.issues.is_empty()
    }
}

/// Reads the header: column name → index. Unknown and repeated columns, and missing required
/// ones, are issues of line 1.
fn read_header(cells: &[String], report: &mut ImportReport) -> HashMap<String, usize> {
    let mut columns = HashMap::new();
    for (i, raw) in cells.iter().enumerate() {
        let name = raw.trim().trim_start_matches('\u{feff}').to_lowercase();
        let shown = if name.is_empty() {
            format!("#{}", i + 1)
        } else {
            name.clone()
        };
        if !CSV_COLUMNS.contains(&name.as_str()) {
            report.issues.push(ImportIssue {
                line: Some(1),
                field: Some(shown),
                code: "err.csv_unknown_column",
                value: None,
            });
        } else if columns.insert(name, i).is_some() {
            report.issues.push(ImportIssue {
                line: Some(1),
                field: Some(shown),
                code: "err.csv_duplicate_column",
                value: None,
            });
        }
    }
    for req in CSV_REQUIRED {
        if !columns.contains_key(req) {
            report.issues.push(ImportIssue {
                line: Some(1),
                field: Some(req.into()),
                code: "err.csv_missing_column",
                value: None,
            });
        }
    }
    columns
}

/// Imports systems from CSV: everything or nothing. The file is read (UTF-8 with or without a
/// BOM, else Windows-1258), every row is checked as a form would be, plus permissions, names
/// repeated in the file or already registered; every problem is reported with its line. When
/// there is none and this is not a dry run, all rows are written in one transaction with one
/// audit event for the batch (counts and the file's SHA-256). Rows only create systems.
pub async fn import_csv(
    core: &Core,
    actor: &Actor,
    bytes: &[u8],
    dry_run: bool,
) -> Result<ImportReport> {
    let mut report = ImportReport {
        dry_run,
        content_sha256: hex::encode(Sha256::digest(bytes)),
        ..Default::default()
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        report.file_issue(None, "err.csv_empty");
        return Ok(report);
    }
    let (text, encoding) = match csv::decode(bytes) {
        Ok(x) => x,
        Err(code) => {
            report.file_issue(None, code);
            return Ok(report);
        }
    };
    report.encoding = Some(encoding.label());
    let records = match csv::parse(&text) {
        Ok(r) => r,
        Err((line, code)) => {
            report.file_issue(Some(line), code);
            return Ok(report);
        }
    };
    let mut records = records.into_iter().filter(|r| !r.is_blank());
    let Some(header) = records.next() else {
        report.file_issue(None, "err.csv_empty");
        return Ok(report);
    };
    let columns = read_header(&header.cells, &mut report);
    if !report.is_ok() {
        return Ok(report);
    }
    let rows: Vec<csv::Record> = records.take(IMPORT_MAX_ROWS + 1).collect();
    if rows.len() > IMPORT_MAX_ROWS {
        report.file_issue(None, "err.csv_too_many_rows");
        return Ok(report);
    }
    report.rows = rows.len();
    if rows.is_empty() {
        report.file_issue(None, "err.csv_no_rows");
        return Ok(report);
    }
    let today = today_in_vietnam();
    let mut refusals = Refusals::default();
    let mut orgs_by_slug: HashMap<String, Option<Org>> = HashMap::new();
    let mut first_line: HashMap<(Uuid, String), usize> = HashMap::new();
    let mut planned: Vec<(usize, System)> = Vec::new();
    let t = now();
    for row in rows {
        let line = row.line;
        let issue = |field: &str, code: &'static str, value: Option<String>| ImportIssue {
            line: Some(line),
            field: Some(field.to_string()),
            code,
            value,
        };
        if row.cells.len() != header.cells.len() {
            report.issues.push(ImportIssue {
                line: Some(line),
                field: None,
                code: "err.csv_cells",
                value: Some(format!("{}/{}", row.cells.len(), header.cells.len())),
            });
            continue;
        }
        let cell = |name: &str| {
            columns
                .get(name)
                .map(|i| csv::unprotect(&row.cells[*i]).to_string())
                .unwrap_or_default()
        };
        let (owner_slug, operator_slug, fields, typing) = fields_from_row(cell);
        let mut field_errors = typing;
        let details = match validate(&fields, today) {
            Ok(d) => Some(d),
            Err(e) => {
                field_errors.extend(e);
                None
            }
        };
        let mut issues: Vec<ImportIssue> = Vec::new();
        let owner = if owner_slug.is_empty() {
            issues.push(issue("owner_slug", "err.required", None));
            None
        } else {
            let org = lookup_slug(core, &mut orgs_by_slug, &owner_slug).await?;
            match check_owner(core, actor, &mut refusals, org, None).await {
                Ok(o) => Some(o),
                Err(code) => {
                    issues.push(issue("owner_slug", code, Some(owner_slug.clone())));
                    None
                }
            }
        };
        let operator = if operator_slug.is_empty() {
            None
        } else {
            let org = lookup_slug(core, &mut orgs_by_slug, &operator_slug).await?;
            match check_operator(core, actor, &mut refusals, org).await {
                Ok(o) => Some(o),
                Err(code) => {
                    issues.push(issue("operator_slug", code, Some(operator_slug.clone())));
                    None
                }
            }
        };
        for e in field_errors {
            let value = fields.value_of(&e.field);
            issues.push(issue(&e.field, e.code, value));
        }
        if let (Some(owner), Some(details)) = (&owner, details) {
            let approved_by =
                match check_level(core, actor, &mut refusals, owner.id, None, &details, None).await
                {
                    Ok(a) => a,
                    Err(e) => {
                        issues.push(issue(&e.field, e.code, Some(fields.level_status.clone())));
                        None
                    }
                };
            let key = (owner.id, details.name_key());
            if let Some(first) = first_line.get(&key) {
                issues.push(issue(
                    "name",
                    "err.csv_duplicate_name",
                    Some(format!("{} ({first})", details.name)),
                ));
            } else {
                first_line.insert(key, line);
                let mut c = core.db.conn().await?;
                if store::id_by_name_key(&mut c, owner.id, &name_key(&details.name))
                    .await?
                    .is_some()
                {
                    issues.push(issue(
                        "name",
                        "err.system_name_taken",
                        Some(details.name.clone()),
                    ));
                }
            }
            if issues.is_empty() {
                planned.push((
                    line,
                    System {
                        id: Uuid::now_v7(),
                        owner: org_ref(owner),
                        operator: operator.as_ref().map(org_ref),
                        details,
                        approved_by,
                        created_at: t,
                        updated_at: t,
                    },
                ));
            }
        }
        report.issues.extend(issues);
    }
    if !report.is_ok() || dry_run {
        return Ok(report);
    }
    let mut tx = core.db.begin().await?;
    for (line, s) in &planned {
        if let Err(e) = store::insert(&mut tx, s).await {
            if e.is_unique_on("name_key") {
                // Registered by someone else since the check: nothing of the batch is kept.
                drop(tx);
                report.issues.push(ImportIssue {
                    line: Some(*line),
                    field: Some("name".into()),
                    code: "err.system_name_taken",
                    value: Some(s.details.name.clone()),
                });
                return Ok(report);
            }
            return Err(e.into());
        }
        derive(&mut tx, actor, s.owner.id, s.id, &derived_entries(s), t).await?;
    }
    let owners: HashSet<Uuid> = planned.iter().map(|(_, s)| s.owner.id).collect();
    let single_owner = (owners.len() == 1)
        .then(|| owners.into_iter().next())
        .flatten();
    let ev = actor.batch_event(
        "system.import",
        OBJECT,
        single_owner,
        json!({ "rows": report.rows, "created": planned.len(), "encoding": report.encoding }),
        &report.content_sha256,
    );
    audit::append(&mut tx, &ev, t).await?;
    commit(tx).await?;
    crate::constituency::changed(core).await;
    report.created = planned.len();
    Ok(report)
}

async fn lookup_slug(
    core: &Core,
    cache: &mut HashMap<String, Option<Org>>,
    slug: &str,
) -> Result<Option<Org>> {
    if let Some(o) = cache.get(slug) {
        return Ok(o.clone());
    }
    let mut c = core.db.conn().await?;
    let o = orgs::by_slug(&mut c, slug).await?;
    cache.insert(slug.to_string(), o.clone());
    Ok(o)
}

/// The demo registry, in the import format: portals, mail, the one-stop shop, document
/// management, hospital systems. Addresses are documentation ranges (RFC 5737) and
/// `dongthap.gov.vn` names; some systems run outdated software on purpose, some lack data.
const DEMO_CSV: &str = include_str!("systems_demo.csv");

/// Adds the demo registry's systems whose owner exists and that are not there yet (by owner
/// and name). Returns how many were added.
pub async fn load_demo(core: &Core) -> Result<usize> {
    let actor = Actor::system("demo");
    let records = csv::parse(DEMO_CSV)
        .map_err(|(line, code)| CoreError::Internal(format!("demo CSV line {line}: {code}")))?;
    let mut records = records.into_iter().filter(|r| !r.is_blank());
    let header: Vec<String> = records.next().map(|r| r.cells).unwrap_or_default();
    let mut added = 0;
    for row in records {
        let cell = |name: &str| {
            header
                .iter()
                .position(|h| h == name)
                .and_then(|i| row.cells.get(i))
                .cloned()
                .unwrap_or_default()
        };
        let (owner_slug, operator_slug, fields, _) = fields_from_row(cell);
        let mut c = core.db.conn().await?;
        let Some(owner) = orgs::by_slug(&mut c, &owner_slug).await? else {
            continue;
        };
        if store::id_by_name_key(&mut c, owner.id, &name_key(&fields.name))
            .await?
            .is_some()
        {
            continue;
        }
        let operator = match operator_slug.as_str() {
            "" => None,
            s => orgs::by_slug(&mut c, s).await?.map(|o| o.id),
        };
        drop(c);
        create(
            core,
            &actor,
            NewSystem {
                owner_org_id: Some(owner.id),
                operator_org_id: operator,
                fields,
            },
        )
        .await?;
        added += 1;
    }
    Ok(added)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_row_is_valid_and_names_are_unique_per_owner() {
        let records = csv::parse(DEMO_CSV).unwrap();
        let header = &records[0].cells;
        assert_eq!(header, &CSV_COLUMNS);
        let mut seen = HashSet::new();
        let rows = &records[1..];
        assert!(
            (30..=50).contains(&rows.len()),
            "{} demo systems",
            rows.len()
        );
        for r in rows {
            let cell = |n: &str| {
                header
                    .iter()
                    .position(|h| h == n)
                    .map(|i| r.cells[i].clone())
                    .unwrap_or_default()
            };
            let (owner, _, fields, errs) = fields_from_row(cell);
            assert!(errs.is_empty(), "line {}: {errs:?}", r.line);
            let d = validate(&fields, today_in_vietnam())
                .unwrap_or_else(|e| panic!("line {}: {e:?}", r.line));
            assert!(seen.insert((owner, d.name_key())), "line {}", r.line);
        }
    }
}
