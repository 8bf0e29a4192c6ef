//! The constituency: the IP ranges, domains and AS numbers each organisation answers for, and
//! the lookup "who is responsible for this IP / host / URL / ASN?".
//!
//! Lookups go to an in-memory [`Index`] held by each process ([`Cache`], shared by the clones of
//! [`Core`]). Every change bumps a generation counter in the database in the same transaction;
//! a process compares the generation its index was built from with the database's and reloads
//! when they differ ([`index`] once per batch of lookups, [`index_within`] for callers that
//! accept a bounded delay), so replicas converge without talking to each other. The process
//! that made a change reloads at once.
//!
//! Anyone signed in may look up (it is how anyone finds whom to warn); the answer names only the
//! owner. The entries of an organisation are read by those who may read the organisation and
//! changed by those holding `constituency.manage` there; conflicts between organisations' claims
//! are shown to those holding it everywhere (the coordinator, administrators).

use crate::audit::{denied, require};
use crate::{Actor, Core, CoreError, Result};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};
use time::OffsetDateTime;
use ungcuu_domain::constituency::{
    Conflict, Entry, How, Index, Kind, Parsed, Query, RowError, read_import,
};
use ungcuu_domain::permissions::Action;
use ungcuu_domain::timefmt::now;
use ungcuu_domain::validate::{Errors, FieldError};
use ungcuu_store::constituency::{self as store, Source, StoredEntry};
use ungcuu_store::orgs::{self, Org};
use ungcuu_store::{Connection, Page, StoreError, audit, commit};
use uuid::Uuid;

/// The object type of entries in the audit log.
pub const OBJECT: &str = "constituency_entry";

/// Longest note on an entry.
pub const NOTE_MAX: usize = 500;

/// An index and the database generation it was built from.
#[derive(Debug)]
pub struct Snapshot {
    /// The generation (`-1`: never loaded).
    pub generation: i64,
    /// The index.
    pub index: Index,
}

/// The index of one process. Readers clone an `Arc` under a read lock that is held for no
/// longer than that, so lookups never wait for a rebuild.
#[derive(Debug)]
pub struct Cache {
    current: RwLock<Arc<Snapshot>>,
    checked: Mutex<Option<Instant>>,
    rebuild: tokio::sync::Mutex<()>,
}

impl Default for Cache {
    fn default() -> Self {
        Cache {
            current: RwLock::new(Arc::new(Snapshot {
                generation: -1,
                index: Index::default(),
            })),
            checked: Mutex::new(None),
            rebuild: tokio::sync::Mutex::new(()),
        }
    }
}

impl Cache {
    /// The index as loaded now, without asking the database.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        // A panic while holding the lock cannot leave a half-written Arc: take it anyway.
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn store(&self, s: Arc<Snapshot>) {
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = s;
    }

    fn mark_checked(&self) {
        *self.checked.lock().unwrap_or_else(|e| e.into_inner()) = Some(Instant::now());
    }

    fn checked_within(&self, max_age: Duration) -> bool {
        self.checked
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_some_and(|t| t.elapsed() < max_age)
    }
}

/// The index, reloaded first when the database holds another generation. One primary-key read
/// per call: call it once per batch of lookups.
pub async fn index(core: &Core) -> Result<Arc<Snapshot>> {
    let generation = {
        let mut c = core.db.conn().await?;
        store::generation(&mut c).await?
    };
    let snap = core.constituency.snapshot();
    if snap.generation == generation {
        core.constituency.mark_checked();
        return Ok(snap);
    }
    reload(core).await
}

/// Like [`index`], but asks the database at most once per `max_age` (feed routing at a high
/// rate: a change made on another replica is seen within `max_age`).
pub async fn index_within(core: &Core, max_age: Duration) -> Result<Arc<Snapshot>> {
    let snap = core.constituency.snapshot();
    if snap.generation >= 0 && core.constituency.checked_within(max_age) {
        return Ok(snap);
    }
    index(core).await
}

/// Rebuilds the index from the database unless it is already at the database's generation.
pub async fn reload(core: &Core) -> Result<Arc<Snapshot>> {
    let cache = &core.constituency;
    // One rebuild at a time; those who waited find it done.
    let _guard = cache.rebuild.lock().await;
    let mut c = core.db.conn().await?;
    // The generation is read before the claims: a change committed in between makes the index
    // newer than its label, so the next check reloads once more, never less.
    let generation = store::generation(&mut c).await?;
    let snap = cache.snapshot();
    if snap.generation == generation {
        cache.mark_checked();
        return Ok(snap);
    }
    let claims = store::claims(&mut c).await?;
    drop(c);
    let index = tokio::task::spawn_blocking(move || Index::build(claims))
        .await
        .map_err(|e| CoreError::Internal(format!("building the constituency index: {e}")))?;
    let snap = Arc::new(Snapshot { generation, index });
    cache.store(snap.clone());
    cache.mark_checked();
    tracing::debug!(
        generation,
        claims = snap.index.len(),
        "constituency index rebuilt"
    );
    Ok(snap)
}

/// Tells this process the constituency changed (after a commit): it reloads now instead of at
/// its next check. A failure only delays the reload to that check.
pub async fn changed(core: &Core) {
    if let Err(e) = reload(core).await {
        tracing::warn!(error = %e, "constituency index not reloaded; it will be at the next lookup");
    }
}

/// What a new entry needs.
#[derive(Debug, Clone, Default)]
pub struct NewEntry {
    /// `cidr`, `domain` or `asn`.
    pub kind: String,
    /// The range, domain or AS number as typed.
    pub value: String,
    /// A note (optional).
    pub note: Option<String>,
}

fn check_note(errs: &mut Errors, field: &str, note: Option<&str>) -> Option<String> {
    let v = ungcuu_domain::text::nfc(note.unwrap_or(""));
    if v.is_empty() {
        return None;
    }
    if v.chars().count() > NOTE_MAX {
        errs.add(field, "err.too_long");
    } else if v.chars().any(char::is_control) {
        errs.add(field, "err.control_chars");
    }
    Some(v)
}

/// Checks a new entry; errors name `kind`, `value` and `note`.
fn check(new: &NewEntry) -> std::result::Result<(Entry, Option<String>), Vec<FieldError>> {
    let mut errs = Errors::default();
    let entry = match new.kind.parse::<Kind>() {
        Ok(k) => match Entry::parse(k, &new.value) {
            Ok(e) => Some(e),
            Err(code) => {
                errs.add("value", code);
                None
            }
        },
        Err(code) => {
            errs.add("kind", code);
            None
        }
    };
    let note = check_note(&mut errs, "note", new.note.as_deref());
    errs.into_result()?;
    Ok((entry.ok_or_else(Vec::new)?, note))
}

fn snapshot_of(e: &StoredEntry) -> serde_json::Value {
    json!({
        "kind": e.kind.as_str(), "value": e.value, "source": e.source.as_str(),
        "source_ref": e.source_ref, "note": e.note,
    })
}

fn exists_error(e: StoreError) -> CoreError {
    if e.is_unique_on("constituency_entries") || e.is_unique_on("value") {
        CoreError::field("value", "err.constituency_exists")
    } else {
        e.into()
    }
}

/// Adds an entry to an organisation (those holding `constituency.manage` there).
pub async fn create(
    core: &Core,
    actor: &Actor,
    org_id: Uuid,
    new: NewEntry,
) -> Result<StoredEntry> {
    let (entry, note) = check(&new).map_err(CoreError::Invalid)?;
    let org = crate::orgs::get(core, actor, org_id).await?;
    require(
        core,
        actor,
        Action::ConstituencyManage,
        org.id,
        OBJECT,
        None,
    )
    .await?;
    let t = now();
    let row = StoredEntry {
        id: Uuid::now_v7(),
        organization_id: org.id,
        kind: entry.kind(),
        value: entry.to_string(),
        source: Source::Manual,
        source_ref: None,
        note,
        created_by: actor.user_id(),
        created_at: t,
    };
    let mut tx = core.db.begin().await?;
    store::insert(&mut tx, &row).await.map_err(exists_error)?;
    let ev = actor.event(
        "constituency.create",
        OBJECT,
        Some(row.id.to_string()),
        Some(org.id),
        snapshot_of(&row),
    );
    audit::append(&mut tx, &ev, t).await?;
    store::bump_generation(&mut tx, t).await?;
    commit(tx).await?;
    changed(core).await;
    Ok(row)
}

/// One entry, if the actor may read its organisation. Unreadable and missing look the same.
pub async fn get(core: &Core, actor: &Actor, id: Uuid) -> Result<StoredEntry> {
    let e = {
        let mut c = core.db.conn().await?;
        store::get(&mut c, id).await?
    };
    let e = e.ok_or(CoreError::NotFound)?;
    crate::orgs::get(core, actor, e.organization_id).await?;
    Ok(e)
}

/// Removes an entry (those holding `constituency.manage` in its organisation).
pub async fn delete(core: &Core, actor: &Actor, id: Uuid) -> Result<()> {
    let e = get(core, actor, id).await?;
    require(
        core,
        actor,
        Action::ConstituencyManage,
        e.organization_id,
        OBJECT,
        Some(id.to_string()),
    )
    .await?;
    let t = now();
    let mut tx = core.db.begin().await?;
    if !store::delete(&mut tx, id).await? {
        return Err(CoreError::NotFound);
    }
    let ev = actor.event(
        "constituency.delete",
        OBJECT,
        Some(id.to_string()),
        Some(e.organization_id),
        snapshot_of(&e),
    );
    audit::append(&mut tx, &ev, t).await?;
    store::bump_generation(&mut tx, t).await?;
    commit(tx).await?;
    changed(core).await;
    Ok(())
}

/// A page of an organisation's entries, with the organisation (those who may read it).
pub async fn list(
    core: &Core,
    actor: &Actor,
    org_id: Uuid,
    kind: Option<Kind>,
    after: Option<Uuid>,
    limit: Option<i64>,
) -> Result<(Org, Page<StoredEntry>)> {
    let org = crate::orgs::get(core, actor, org_id).await?;
    let mut c = core.db.conn().await?;
    let page =
        store::list_for_org(&mut c, org.id, kind, after, ungcuu_store::page_limit(limit)).await?;
    Ok((org, page))
}

/// True when the actor may change the entries of `org`.
pub fn may_manage(actor: &Actor, org: Uuid) -> bool {
    actor
        .principal
        .as_ref()
        .is_none_or(|p| p.can(Action::ConstituencyManage, org))
}

/// True when the actor may see the conflicts between organisations' claims.
pub fn may_see_conflicts(actor: &Actor) -> bool {
    actor
        .principal
        .as_ref()
        .is_none_or(|p| p.can_everywhere(Action::ConstituencyManage))
}

/// The organisation that answers a lookup, and why.
#[derive(Debug, Clone)]
pub struct Found {
    /// The owner.
    pub org: Org,
    /// The entry that matched.
    pub entry: Entry,
    /// How it matched.
    pub how: How,
    /// Another organisation claims the same entry (the earliest claim answers).
    pub contested: bool,
}

/// The answer to "who is responsible for …?".
#[derive(Debug, Clone)]
pub struct Answer {
    /// The query as read.
    pub parsed: Parsed,
    /// The owner, when someone claims it.
    pub found: Option<Found>,
}

/// Answers a query: an IP, a host name, a URL, an e-mail address or an AS number. Everyone
/// signed in may ask; the answer names the owner and the entry that matched, nothing else.
pub async fn lookup(core: &Core, _actor: &Actor, q: &str) -> Result<Answer> {
    let parsed = Query::parse(q).map_err(|code| CoreError::field("q", code))?;
    let snap = index(core).await?;
    let hit = snap
        .index
        .lookup(&parsed.query)
        .map(|h| (h.claim.org, h.claim.entry.clone(), h.how, h.contested));
    drop(snap);
    let found = match hit {
        Some((org_id, entry, how, contested)) => {
            let mut c = core.db.conn().await?;
            orgs::get(&mut c, org_id).await?.map(|org| Found {
                org,
                entry,
                how,
                contested,
            })
        }
        None => None,
    };
    Ok(Answer { parsed, found })
}

/// Overlapping claims and the organisations they name.
#[derive(Debug, Clone, Default)]
pub struct Conflicts {
    /// Duplicates first, then nested claims.
    pub items: Vec<Conflict>,
    /// The organisations named, by id.
    pub orgs: HashMap<Uuid, Org>,
}

impl Conflicts {
    /// The name of an organisation named by a conflict.
    pub fn org_name(&self, id: &Uuid) -> &str {
        self.orgs.get(id).map(|o| o.name.as_str()).unwrap_or("")
    }
}

/// The conflicts between organisations' claims (those holding `constituency.manage`
/// everywhere: the coordinator, administrators).
pub async fn conflicts(core: &Core, actor: &Actor) -> Result<Conflicts> {
    if !may_see_conflicts(actor) {
        return Err(denied(
            core,
            actor,
            Action::ConstituencyManage,
            OBJECT,
            None,
            None,
            CoreError::Forbidden,
        )
        .await);
    }
    let snap = index(core).await?;
    let items = snap.index.conflicts();
    drop(snap);
    let mut c = core.db.conn().await?;
    let orgs = orgs::all(&mut c)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    Ok(Conflicts { items, orgs })
}

/// The outcome of an import (or of its dry run).
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    /// Data rows read.
    pub rows: usize,
    /// Entries new to their organisation (added, or to be added on a dry run).
    pub added: usize,
    /// Rows already present, left as they are.
    pub existing: usize,
    /// Refused rows; when there is any, nothing is written.
    pub errors: Vec<RowError>,
    /// Only checked.
    pub dry_run: bool,
    /// The entries were written.
    pub written: bool,
    /// SHA-256 of the file, as recorded in the audit log.
    pub sha256: String,
}

/// Imports `organization_slug,kind,value[,note]` rows. Every row is checked first; if any is
/// refused (with its line and reason) or on a dry run, nothing is written. Otherwise the new
/// entries are written in one transaction with one audit event carrying the counts and the
/// SHA-256 of the file. Rows already present are counted and left alone, so importing the same
/// file twice changes nothing.
pub async fn import(
    core: &Core,
    actor: &Actor,
    content: &[u8],
    dry_run: bool,
) -> Result<ImportReport> {
    let mut report = ImportReport {
        dry_run,
        sha256: hex::encode(Sha256::digest(content)),
        ..Default::default()
    };
    let Ok(text) = std::str::from_utf8(content) else {
        report.errors.push(RowError {
            line: 0,
            field: "file",
            code: "err.import_encoding",
        });
        return Ok(report);
    };
    let (rows, mut errors) = read_import(text);
    report.rows = rows.len();
    // Organisations by slug: one read each, and only those the actor manages count as found,
    // so a refused row says the same about a missing and a forbidden organisation.
    let mut by_slug: HashMap<String, Option<Uuid>> = HashMap::new();
    let mut refused_for_rights = false;
    {
        let mut c = core.db.conn().await?;
        for r in &rows {
            if by_slug.contains_key(&r.slug) {
                continue;
            }
            let org = orgs::by_slug(&mut c, &r.slug).await?;
            let allowed = org.filter(|o| {
                let ok = may_manage(actor, o.id);
                refused_for_rights |= !ok;
                ok
            });
            by_slug.insert(r.slug.clone(), allowed.map(|o| o.id));
        }
    }
    let mut checked: Vec<(usize, Uuid, Entry, Option<String>)> = Vec::with_capacity(rows.len());
    for r in &rows {
        let mut errs = Errors::default();
        let org = by_slug.get(&r.slug).copied().flatten();
        if org.is_none() {
            errs.add("organization_slug", "err.import_org");
        }
        let new = NewEntry {
            kind: r.kind.clone(),
            value: r.value.clone(),
            note: Some(r.note.clone()),
        };
        match (org, check(&new)) {
            (Some(o), Ok((entry, note))) if errs.is_empty() => {
                checked.push((r.line, o, entry, note));
            }
            (_, res) => {
                if let Err(fs) = res {
                    errs.0.extend(fs);
                }
                for f in errs.0 {
                    let field = match f.field.as_str() {
                        "organization_slug" => "organization_slug",
                        "kind" => "kind",
                        "value" => "value",
                        _ => "note",
                    };
                    errors.push(RowError {
                        line: r.line,
                        field,
                        code: f.code,
                    });
                }
            }
        }
    }
    // Repeats within the file, and what the organisations already have.
    let mut seen: HashSet<(Uuid, Kind, String)> = HashSet::new();
    let orgs_named: Vec<Uuid> = {
        let mut v: Vec<Uuid> = checked.iter().map(|x| x.1).collect();
        v.sort();
        v.dedup();
        v
    };
    let stored: HashSet<(Uuid, Kind, String)> = {
        let mut c = core.db.conn().await?;
        store::keys_of(&mut c, &orgs_named)
            .await?
            .into_iter()
            .collect()
    };
    let mut new_rows = Vec::new();
    for (line, org, entry, note) in checked {
        let key = (org, entry.kind(), entry.to_string());
        if !seen.insert(key.clone()) {
            errors.push(RowError {
                line,
                field: "value",
                code: "err.import_duplicate",
            });
        } else if stored.contains(&key) {
            report.existing += 1;
        } else {
            new_rows.push((org, entry, note));
        }
    }
    report.added = new_rows.len();
    errors.sort_by_key(|e| e.line);
    report.errors = errors;
    if refused_for_rights {
        // Recorded once for the file; the rows themselves say "not among those you manage".
        denied(
            core,
            actor,
            Action::ConstituencyManage,
            OBJECT,
            None,
            None,
            CoreError::Forbidden,
        )
        .await;
    }
    if dry_run || !report.errors.is_empty() {
        return Ok(report);
    }
    let t = now();
    let mut tx = core.db.begin().await?;
    for (org, entry, note) in &new_rows {
        let row = StoredEntry {
            id: Uuid::now_v7(),
            organization_id: *org,
            kind: entry.kind(),
            value: entry.to_string(),
            source: Source::Import,
            source_ref: None,
            note: note.clone(),
            created_by: actor.user_id(),
            created_at: t,
        };
        store::insert(&mut tx, &row).await.map_err(exists_error)?;
    }
    let single_org = match orgs_named.as_slice() {
        [one] => Some(*one),
        _ => None,
    };
    let ev = actor.batch_event(
        "constituency.import",
        OBJECT,
        single_org,
        json!({
            "rows": report.rows, "added": report.added, "existing": report.existing,
            "organizations": orgs_named.len(),
        }),
        &report.sha256,
    );
    audit::append(&mut tx, &ev, t).await?;
    if !new_rows.is_empty() {
        store::bump_generation(&mut tx, t).await?;
    }
    commit(tx).await?;
    report.written = true;
    changed(core).await;
    Ok(report)
}

/// What replacing the entries derived from one information system changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DerivedChange {
    /// Entries added.
    pub added: usize,
    /// Entries removed (no longer derived from the system).
    pub removed: usize,
    /// Entries derived before and still derived.
    pub kept: usize,
    /// Entries the organisation already had from another source (left as they are).
    pub skipped: usize,
}

/// Sets the entries of `org` derived from information system `system_id` to exactly `entries`,
/// inside the caller's transaction (the one that saves the system). Does not authorise: the
/// caller has authorised the change of the system. Values the organisation already has from
/// another source are skipped. When something changed it appends one `constituency.derive`
/// event and bumps the generation. Call [`changed`] after the commit so this process reloads
/// at once; other replicas see the new generation. Pass no entries when the system is deleted
/// or leaves the organisation.
pub async fn replace_derived_in(
    c: &mut Connection,
    actor: &Actor,
    org: Uuid,
    system_id: Uuid,
    entries: &[Entry],
    at: OffsetDateTime,
) -> Result<DerivedChange> {
    let source_ref = system_id.to_string();
    let before = store::derived(c, org, &source_ref).await?;
    let others: HashSet<(Kind, String)> = store::keys_of(c, &[org])
        .await?
        .into_iter()
        .map(|(_, k, v)| (k, v))
        .collect();
    let mut wanted: Vec<(Kind, String)> = Vec::new();
    for e in entries {
        let key = (e.kind(), e.to_string());
        if !wanted.contains(&key) {
            wanted.push(key);
        }
    }
    let mut change = DerivedChange::default();
    let mut removed = Vec::new();
    for e in &before {
        if wanted.contains(&(e.kind, e.value.clone())) {
            change.kept += 1;
        } else {
            store::delete(c, e.id).await?;
            removed.push(e.value.clone());
        }
    }
    change.removed = removed.len();
    let mut added = Vec::new();
    for (kind, value) in wanted {
        let derived_already = before.iter().any(|e| e.kind == kind && e.value == value);
        if derived_already {
            continue;
        }
        if others.contains(&(kind, value.clone())) {
            change.skipped += 1;
            continue;
        }
        store::insert(
            c,
            &StoredEntry {
                id: Uuid::now_v7(),
                organization_id: org,
                kind,
                value: value.clone(),
                source: Source::System,
                source_ref: Some(source_ref.clone()),
                note: None,
                created_by: actor.user_id(),
                created_at: at,
            },
        )
        .await?;
        added.push(value);
    }
    change.added = added.len();
    if change.added + change.removed > 0 {
        let ev = actor.event(
            "constituency.derive",
            "information_system",
            Some(source_ref),
            Some(org),
            json!({ "added": added, "removed": removed, "skipped": change.skipped }),
        );
        audit::append(c, &ev, at).await?;
        store::bump_generation(c, at).await?;
    }
    Ok(change)
}

/// [`replace_derived_in`] in its own transaction, for a caller that holds no transaction;
/// authorised as `constituency.manage` on the organisation.
pub async fn replace_derived(
    core: &Core,
    actor: &Actor,
    org_id: Uuid,
    system_id: Uuid,
    entries: &[Entry],
) -> Result<DerivedChange> {
    let org = crate::orgs::get(core, actor, org_id).await?;
    require(
        core,
        actor,
        Action::ConstituencyManage,
        org.id,
        "information_system",
        Some(system_id.to_string()),
    )
    .await?;
    let mut tx = core.db.begin().await?;
    let change = replace_derived_in(&mut tx, actor, org.id, system_id, entries, now()).await?;
    commit(tx).await?;
    if change.added + change.removed > 0 {
        changed(core).await;
    }
    Ok(change)
}

/// (organisation slug, kind, value, note) of the demo province's constituency: documentation
/// ranges (RFC 5737, RFC 3849) and `dongthap.gov.vn` names. One duplicate is deliberate, so
/// the conflicts list has something to show.
const DEMO: &[(&str, &str, &str, &str)] = &[
    ("so-tttt", "cidr", "203.0.113.0/25", "Mạng nội bộ của Sở"),
    (
        "so-tttt",
        "domain",
        "dongthap.gov.vn",
        "Cổng thông tin điện tử tỉnh",
    ),
    (
        "ttcntt",
        "cidr",
        "203.0.113.128/26",
        "Trung tâm dữ liệu tỉnh",
    ),
    (
        "ttcntt",
        "cidr",
        "2001:db8:100::/48",
        "Trung tâm dữ liệu tỉnh (IPv6)",
    ),
    (
        "ttcntt",
        "domain",
        "dichvucong.dongthap.gov.vn",
        "Vận hành hạ tầng",
    ),
    (
        "ttpvhcc",
        "domain",
        "dichvucong.dongthap.gov.vn",
        "Chủ quản Cổng dịch vụ công",
    ),
    ("so-noi-vu", "cidr", "198.51.100.0/28", ""),
    ("so-noi-vu", "domain", "snv.dongthap.gov.vn", ""),
    ("so-tu-phap", "cidr", "198.51.100.16/28", ""),
    ("so-khdt", "cidr", "198.51.100.32/28", ""),
    ("so-cong-thuong", "cidr", "198.51.100.48/28", ""),
    ("so-nnptnt", "cidr", "198.51.100.64/28", ""),
    ("so-gtvt", "cidr", "198.51.100.80/28", ""),
    ("so-xay-dung", "cidr", "198.51.100.96/28", ""),
    ("so-tnmt", "cidr", "198.51.100.112/28", ""),
    ("so-tnmt", "domain", "stnmt.dongthap.gov.vn", ""),
    ("so-ldtbxh", "cidr", "198.51.100.128/28", ""),
    ("so-vhttdl", "cidr", "198.51.100.144/28", ""),
    ("so-khcn", "cidr", "198.51.100.160/28", ""),
    ("so-gddt", "cidr", "198.51.100.176/28", ""),
    ("so-gddt", "domain", "sgddt.dongthap.gov.vn", ""),
    ("so-y-te", "cidr", "198.51.100.192/28", "Mạng của Sở Y tế"),
    (
        "so-y-te",
        "domain",
        "syt.dongthap.gov.vn",
        "Cổng thông tin Sở Y tế",
    ),
    ("thanh-tra", "cidr", "198.51.100.208/29", ""),
    ("ban-qlkkt", "cidr", "198.51.100.216/29", ""),
    ("so-tai-chinh", "cidr", "198.51.100.224/28", ""),
    ("tp-cao-lanh", "cidr", "192.0.2.0/28", ""),
    ("tp-cao-lanh", "domain", "tpcaolanh.dongthap.gov.vn", ""),
    ("xa-my-tan", "cidr", "192.0.2.8/29", "Giao cho xã quản lý"),
    ("tp-sa-dec", "cidr", "192.0.2.16/28", ""),
    ("tp-sa-dec", "domain", "sadec.dongthap.gov.vn", ""),
    ("tp-hong-ngu", "cidr", "192.0.2.32/28", ""),
    ("h-tan-hong", "cidr", "192.0.2.48/28", ""),
    ("h-hong-ngu", "cidr", "192.0.2.64/28", ""),
    ("h-tam-nong", "cidr", "192.0.2.80/28", ""),
    ("h-thanh-binh", "cidr", "192.0.2.96/28", ""),
    ("h-thap-muoi", "cidr", "192.0.2.112/28", ""),
    ("h-cao-lanh", "cidr", "192.0.2.128/28", ""),
    ("h-cao-lanh", "domain", "caolanh.dongthap.gov.vn", ""),
    ("h-lap-vo", "cidr", "192.0.2.144/28", ""),
    ("h-lai-vung", "cidr", "192.0.2.160/28", ""),
    ("h-chau-thanh", "cidr", "192.0.2.176/28", ""),
    ("vnpt-dong-thap", "asn", "AS45899", "VNPT"),
    ("viettel-dong-thap", "asn", "AS7552", "Viettel"),
];

/// Adds the demo constituency to the demo organisations that exist, skipping what is there.
/// Returns how many entries were added.
pub async fn load_demo(core: &Core) -> Result<usize> {
    let actor = Actor::system("demo");
    let t = now();
    let mut tx = core.db.begin().await?;
    let mut added = 0;
    for (slug, kind, value, note) in DEMO {
        let Some(org) = orgs::by_slug(&mut tx, slug).await? else {
            continue;
        };
        let new = NewEntry {
            kind: kind.to_string(),
            value: value.to_string(),
            note: Some(note.to_string()),
        };
        let (entry, note) = check(&new).map_err(CoreError::Invalid)?;
        let key = (org.id, entry.kind(), entry.to_string());
        if store::keys_of(&mut tx, &[org.id]).await?.contains(&key) {
            continue;
        }
        let row = StoredEntry {
            id: Uuid::now_v7(),
            organization_id: org.id,
            kind: entry.kind(),
            value: entry.to_string(),
            source: Source::Manual,
            source_ref: None,
            note,
            created_by: None,
            created_at: t,
        };
        store::insert(&mut tx, &row).await?;
        let ev = actor.event(
            "constituency.create",
            OBJECT,
            Some(row.id.to_string()),
            Some(org.id),
            snapshot_of(&row),
        );
        audit::append(&mut tx, &ev, t).await?;
        added += 1;
    }
    if added > 0 {
        store::bump_generation(&mut tx, t).await?;
    }
    commit(tx).await?;
    if added > 0 {
        changed(core).await;
    }
    Ok(added)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_entry_is_checked_field_by_field() {
        let bad = NewEntry {
            kind: "galaxy".into(),
            value: "x".into(),
            note: Some("a\u{7}b".into()),
        };
        let fields: Vec<(String, &str)> = check(&bad)
            .unwrap_err()
            .into_iter()
            .map(|f| (f.field, f.code))
            .collect();
        assert_eq!(
            fields,
            vec![
                ("kind".to_string(), "err.constituency_kind"),
                ("note".to_string(), "err.control_chars")
            ]
        );
        let ok = NewEntry {
            kind: "cidr".into(),
            value: "203.0.113.0/24".into(),
            note: Some("  ".into()),
        };
        assert_eq!(
            check(&ok).unwrap(),
            (Entry::parse(Kind::Cidr, "203.0.113.0/24").unwrap(), None)
        );
    }

    #[test]
    fn every_demo_entry_parses() {
        for (slug, kind, value, note) in DEMO {
            let new = NewEntry {
                kind: kind.to_string(),
                value: value.to_string(),
                note: Some(note.to_string()),
            };
            assert!(check(&new).is_ok(), "{slug} {value}");
        }
    }
}
