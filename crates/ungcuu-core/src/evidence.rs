//! Evidence of an incident: files streamed into a content-addressed blob store
//! (`DATA_DIR/blobs/sha256/ab/cdef…`, the path built from the hash, never from input) with
//! SHA-256, SHA-1 and MD5, their chain of custody, and indicators of compromise with "seen
//! before" across the incidents the caller may read.
//!
//! Everything is authorised through the incident: reading needs the incident readable (see
//! [`crate::incidents::get`]); adding, handing over, downloading and deleting need
//! `incident.handle` on its owner or a write grant. Each change is audited in its transaction.

use crate::audit::denied;
use crate::incidents::{self as incidents, OBJECT};
use crate::{Actor, Core, CoreError, Result};
use futures_util::{Stream, StreamExt};
use md5::Md5;
use serde_json::json;
use sha1::Sha1;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use tokio::io::AsyncWriteExt;
use ungcuu_domain::evidence::{self as rules, IndicatorKind};
use ungcuu_domain::incident::{self as incident_rules, Tlp};
use ungcuu_domain::permissions::Action;
use ungcuu_domain::timefmt::now;
use ungcuu_domain::validate::Errors;
use ungcuu_store::evidence::{self as store, CustodyEvent, Evidence, Indicator};
use ungcuu_store::incidents::Incident;
use ungcuu_store::{audit, commit};
use uuid::Uuid;

/// The default largest evidence file: 200 MiB.
pub const DEFAULT_LIMIT: u64 = 200 * 1024 * 1024;

/// The settings key of the largest evidence file in bytes (absent: [`DEFAULT_LIMIT`]).
pub const LIMIT_KEY: &str = "evidence.max_bytes";

/// The largest evidence file accepted now.
pub async fn limit(core: &Core) -> Result<u64> {
    let mut c = core.db.conn().await?;
    Ok(ungcuu_store::settings::get(&mut c, LIMIT_KEY)
        .await?
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(DEFAULT_LIMIT))
}

/// The validation code of a file over the limit (the web answers 413).
pub const TOO_LARGE: &str = "evidence.err.too_large";

/// The most other incidents "seen in" lists for one indicator.
pub const SEEN_LIMIT: usize = 20;

/// What the uploader says about a file.
#[derive(Debug, Clone, Default)]
pub struct Upload {
    /// The file's name (display only; sanitised).
    pub name: String,
    /// What it is.
    pub description: String,
    /// Where it was collected (host, path, device).
    pub collected_where: String,
    /// When it was collected (empty: now).
    pub collected_at: String,
    /// Marked by the uploader as malware (programs are marked whatever is said).
    pub malicious_sample: bool,
}

fn may(actor: &Actor, action: Action, org: Uuid) -> bool {
    actor.principal.as_ref().is_none_or(|p| p.can(action, org))
}

/// Refuses unless the actor handles `i` (owner's `incident.handle` or a write grant).
async fn require_write(core: &Core, actor: &Actor, i: &Incident) -> Result<()> {
    if may(actor, Action::IncidentHandle, i.owner.id) {
        return Ok(());
    }
    if let Some(p) = &actor.principal {
        let mut c = core.db.conn().await?;
        if ungcuu_store::incidents::granted(&mut c, i.id, p.user_id, &p.org_ids(), true).await? {
            return Ok(());
        }
    }
    Err(denied(
        core,
        actor,
        Action::IncidentHandle,
        OBJECT,
        Some(i.id.to_string()),
        Some(i.owner.id),
        CoreError::ForbiddenWith("incident.err.needs_handler"),
    )
    .await)
}

/// Whether the actor may add evidence and indicators to `i`.
pub async fn can_write(core: &Core, actor: &Actor, i: &Incident) -> Result<bool> {
    if may(actor, Action::IncidentHandle, i.owner.id) {
        return Ok(true);
    }
    let Some(p) = &actor.principal else {
        return Ok(true);
    };
    let mut c = core.db.conn().await?;
    Ok(ungcuu_store::incidents::granted(&mut c, i.id, p.user_id, &p.org_ids(), true).await?)
}

/// Where the blob of a SHA-256 lives. `sha256` must be 64 hex digits (it comes from the hasher
/// or the database, never from a request).
pub fn blob_path(data_dir: &Path, sha256: &str) -> Result<PathBuf> {
    if sha256.len() != 64
        || !sha256
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    {
        return Err(CoreError::Internal("bad blob address".into()));
    }
    Ok(data_dir
        .join("blobs")
        .join("sha256")
        .join(&sha256[..2])
        .join(&sha256[2..]))
}

/// The folder of partial uploads.
pub fn tmp_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("blobs").join("tmp")
}

fn io(e: std::io::Error) -> CoreError {
    CoreError::Internal(format!("blob store: {e}"))
}

/// A blob written to the store, with its hashes and first bytes (for sniffing).
pub(crate) struct Stored {
    pub(crate) sha256: String,
    pub(crate) sha1: String,
    pub(crate) md5: String,
    pub(crate) size: i64,
    pub(crate) head: Vec<u8>,
}

/// Streams `body` into a temporary file while hashing, then moves it to its address (or drops
/// it when the blob is already there). Over `limit` the temporary file is removed.
pub(crate) async fn store_blob<S, B, E>(data_dir: &Path, mut body: S, limit: u64) -> Result<Stored>
where
    S: Stream<Item = std::result::Result<B, E>> + Unpin,
    B: AsRef<[u8]>,
    E: std::fmt::Display,
{
    let tmp = tmp_dir(data_dir);
    tokio::fs::create_dir_all(&tmp).await.map_err(io)?;
    let tmp_path = tmp.join(Uuid::new_v4().to_string());
    let mut file = tokio::fs::File::create(&tmp_path).await.map_err(io)?;
    let (mut s256, mut s1, mut m5) = (Sha256::new(), Sha1::new(), Md5::new());
    let mut size: u64 = 0;
    let mut head = Vec::with_capacity(512);
    let outcome: Result<()> = async {
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(|e| {
                tracing::warn!("evidence upload interrupted: {e}");
                CoreError::field("file", "evidence.err.upload")
            })?;
            let b = chunk.as_ref();
            size += b.len() as u64;
            if size > limit {
                return Err(CoreError::field("file", TOO_LARGE));
            }
            if head.len() < 512 {
                let n = (512 - head.len()).min(b.len());
                head.extend_from_slice(&b[..n]);
            }
            s256.update(b);
            s1.update(b);
            m5.update(b);
            file.write_all(b).await.map_err(io)?;
        }
        if size == 0 {
            return Err(CoreError::field("file", "err.required"));
        }
        file.flush().await.map_err(io)?;
        file.sync_all().await.map_err(io)?;
        Ok(())
    }
    .await;
    drop(file);
    if let Err(e) = outcome {
        let _ = tokio::fs::remove_file(&tmp_path).await;
        return Err(e);
    }
    let sha256 = hex::encode(s256.finalize());
    let dest = blob_path(data_dir, &sha256)?;
    if tokio::fs::try_exists(&dest).await.unwrap_or(false) {
        let _ = tokio::fs::remove_file(&tmp_path).await;
    } else {
        if let Some(parent) = dest.parent() {
            tokio::fs::create_dir_all(parent).await.map_err(io)?;
        }
        if let Err(e) = tokio::fs::rename(&tmp_path, &dest).await {
            let _ = tokio::fs::remove_file(&tmp_path).await;
            return Err(io(e));
        }
    }
    Ok(Stored {
        sha256,
        sha1: hex::encode(s1.finalize()),
        md5: hex::encode(m5.finalize()),
        size: i64::try_from(size).unwrap_or(i64::MAX),
        head,
    })
}

/// Keeps `bytes` in the blob store (a generated document, say) and gives their SHA-256.
pub async fn put_blob(data_dir: &Path, bytes: &[u8]) -> Result<String> {
    let one = futures_util::stream::iter([Ok::<_, std::convert::Infallible>(bytes)]);
    Ok(store_blob(data_dir, one, u64::MAX).await?.sha256)
}

/// Reads a blob and checks it still has its hash (a changed file is an error, never sent).
pub async fn read_blob(data_dir: &Path, sha256: &str) -> Result<Vec<u8>> {
    let path = blob_path(data_dir, sha256)?;
    let bytes = tokio::fs::read(&path).await.map_err(io)?;
    if hex::encode(Sha256::digest(&bytes)) != sha256 {
        return Err(CoreError::Internal(format!(
            "blob {sha256} does not match its hash"
        )));
    }
    Ok(bytes)
}

/// Adds a file to incident `id`: checks the caller may before reading a byte, streams and
/// hashes it, records the row and the `collected` custody entry, audited together.
pub async fn upload<S, B, E>(
    core: &Core,
    actor: &Actor,
    id: Uuid,
    meta: Upload,
    body: S,
) -> Result<Evidence>
where
    S: Stream<Item = std::result::Result<B, E>> + Unpin,
    B: AsRef<[u8]>,
    E: std::fmt::Display,
{
    let i = incidents::get(core, actor, id).await?;
    require_write(core, actor, &i).await?;
    let t = now();
    let mut e = Errors::default();
    let description = incident_rules::long_text(&mut e, "description", &meta.description, false)
        .unwrap_or_default();
    let collected_where =
        incident_rules::long_text(&mut e, "collected_where", &meta.collected_where, false)
            .unwrap_or_default();
    let collected_at = match meta.collected_at.trim() {
        "" => t,
        v => match incident_rules::parse_time(v) {
            Some(at) if at <= t + time::Duration::minutes(10) => at,
            Some(_) => {
                e.add("collected_at", "err.date_future");
                t
            }
            None => {
                e.add("collected_at", "err.datetime");
                t
            }
        },
    };
    e.into_result().map_err(CoreError::Invalid)?;
    let limit = limit(core).await?;
    let s = store_blob(&core.config.data_dir, body, limit).await?;
    let media_type = rules::sniff(&s.head).to_string();
    let ev = Evidence {
        id: Uuid::now_v7(),
        incident_id: id,
        malicious_sample: meta.malicious_sample || rules::is_executable(&media_type),
        sha256: s.sha256,
        sha1: s.sha1,
        md5: s.md5,
        size: s.size,
        original_name: rules::sanitise_name(&meta.name),
        media_type,
        description,
        collected_by: actor.label.clone(),
        collected_at,
        collected_where,
        created_at: t,
    };
    let mut tx = core.db.begin().await?;
    store::insert(&mut tx, &ev).await?;
    store::insert_custody(
        &mut tx,
        &CustodyEvent {
            id: Uuid::now_v7(),
            evidence_id: ev.id,
            kind: "collected".into(),
            actor: actor.label.clone(),
            to_whom: None,
            note: None,
            at: t,
        },
    )
    .await?;
    let a = actor.event(
        "evidence.add",
        "evidence",
        Some(ev.id.to_string()),
        Some(i.owner.id),
        json!({ "incident_id": id, "sha256": ev.sha256, "size": ev.size,
                "name": ev.original_name, "media_type": ev.media_type }),
    );
    audit::append(&mut tx, &a, t).await?;
    commit(tx).await?;
    Ok(ev)
}

/// The evidence of an incident the actor may read.
pub async fn list(core: &Core, actor: &Actor, id: Uuid) -> Result<Vec<Evidence>> {
    incidents::get(core, actor, id).await?;
    let mut c = core.db.conn().await?;
    Ok(store::list(&mut c, id).await?)
}

/// One evidence row and its incident, if the actor may read the incident.
async fn load(core: &Core, actor: &Actor, evidence: Uuid) -> Result<(Evidence, Incident)> {
    let ev = {
        let mut c = core.db.conn().await?;
        store::get(&mut c, evidence).await?
    };
    let ev = ev.ok_or(CoreError::NotFound)?;
    let i = incidents::get(core, actor, ev.incident_id).await?;
    Ok((ev, i))
}

/// Starts a download: checks the actor handles the incident, records the `downloaded` custody
/// entry and the audit event, and gives the row and where its bytes are.
pub async fn download(core: &Core, actor: &Actor, evidence: Uuid) -> Result<(Evidence, PathBuf)> {
    let (ev, i) = load(core, actor, evidence).await?;
    require_write(core, actor, &i).await?;
    let path = blob_path(&core.config.data_dir, &ev.sha256)?;
    if !tokio::fs::try_exists(&path).await.unwrap_or(false) {
        return Err(CoreError::Internal(format!(
            "blob {} is missing",
            ev.sha256
        )));
    }
    let t = now();
    let mut tx = core.db.begin().await?;
    store::insert_custody(
        &mut tx,
        &CustodyEvent {
            id: Uuid::now_v7(),
            evidence_id: ev.id,
            kind: "downloaded".into(),
            actor: actor.label.clone(),
            to_whom: None,
            note: None,
            at: t,
        },
    )
    .await?;
    let a = actor.event(
        "evidence.download",
        "evidence",
        Some(ev.id.to_string()),
        Some(i.owner.id),
        json!({ "incident_id": i.id, "sha256": ev.sha256 }),
    );
    audit::append(&mut tx, &a, t).await?;
    commit(tx).await?;
    Ok((ev, path))
}

/// The chain of custody of a file the actor may read.
pub async fn custody(core: &Core, actor: &Actor, evidence: Uuid) -> Result<Vec<CustodyEvent>> {
    let (ev, _) = load(core, actor, evidence).await?;
    let mut c = core.db.conn().await?;
    Ok(store::custody(&mut c, ev.id).await?)
}

/// Records that a file (or the medium holding it) was handed over to someone.
pub async fn hand_over(
    core: &Core,
    actor: &Actor,
    evidence: Uuid,
    to_whom: &str,
    note: &str,
) -> Result<CustodyEvent> {
    let (ev, i) = load(core, actor, evidence).await?;
    require_write(core, actor, &i).await?;
    let mut e = Errors::default();
    let to_whom = incident_rules::long_text(&mut e, "to_whom", to_whom, true);
    let note = incident_rules::long_text(&mut e, "note", note, false);
    e.into_result().map_err(CoreError::Invalid)?;
    let t = now();
    let c_ev = CustodyEvent {
        id: Uuid::now_v7(),
        evidence_id: ev.id,
        kind: "handed_over".into(),
        actor: actor.label.clone(),
        to_whom,
        note,
        at: t,
    };
    let mut tx = core.db.begin().await?;
    store::insert_custody(&mut tx, &c_ev).await?;
    let a = actor.event(
        "evidence.hand_over",
        "evidence",
        Some(ev.id.to_string()),
        Some(i.owner.id),
        json!({ "incident_id": i.id, "to": c_ev.to_whom, "note": c_ev.note }),
    );
    audit::append(&mut tx, &a, t).await?;
    commit(tx).await?;
    Ok(c_ev)
}

/// Another incident where an indicator was seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeenIn {
    /// The incident.
    pub id: Uuid,
    /// Its title.
    pub title: String,
}

/// An indicator with the other incidents (readable by the actor) that have it too.
#[derive(Debug, Clone)]
pub struct IndicatorView {
    /// The indicator.
    pub indicator: Indicator,
    /// Other incidents, at most [`SEEN_LIMIT`].
    pub seen_in: Vec<SeenIn>,
}

async fn seen_in(core: &Core, actor: &Actor, ind: &Indicator) -> Result<Vec<SeenIn>> {
    let ids = {
        let mut c = core.db.conn().await?;
        store::seen_in(&mut c, ind.kind, &ind.value, ind.incident_id, 200).await?
    };
    let mut out: Vec<SeenIn> = Vec::new();
    for id in ids {
        if out.len() >= SEEN_LIMIT {
            break;
        }
        if out.iter().any(|s| s.id == id) {
            continue;
        }
        let i = {
            let mut c = core.db.conn().await?;
            ungcuu_store::incidents::get(&mut c, id).await?
        };
        if let Some(i) = i
            && incidents::can_read(core, actor, &i).await?
        {
            out.push(SeenIn { id, title: i.title });
        }
    }
    Ok(out)
}

/// The indicators of an incident the actor may read, each with where else it was seen.
pub async fn indicators(core: &Core, actor: &Actor, id: Uuid) -> Result<Vec<IndicatorView>> {
    incidents::get(core, actor, id).await?;
    let list = {
        let mut c = core.db.conn().await?;
        store::indicators(&mut c, id).await?
    };
    let mut out = Vec::with_capacity(list.len());
    for indicator in list {
        let seen_in = seen_in(core, actor, &indicator).await?;
        out.push(IndicatorView { indicator, seen_in });
    }
    Ok(out)
}

async fn insert_all(
    core: &Core,
    actor: &Actor,
    i: &Incident,
    found: Vec<(IndicatorKind, String)>,
    tlp: Tlp,
    source: &str,
) -> Result<Vec<Indicator>> {
    let t = now();
    let mut tx = core.db.begin().await?;
    let mut added = Vec::new();
    for (kind, value) in found {
        let ind = Indicator {
            id: Uuid::now_v7(),
            incident_id: i.id,
            kind,
            value,
            tlp,
            source: source.into(),
            created_by: actor.label.clone(),
            created_at: t,
        };
        if store::insert_indicator(&mut tx, &ind).await? {
            added.push(ind);
        }
    }
    let a = actor.event(
        if source == "manual" {
            "indicator.add"
        } else {
            "indicator.extract"
        },
        OBJECT,
        Some(i.id.to_string()),
        Some(i.owner.id),
        json!({ "added": added.iter().map(|x| json!({ "id": x.id, "kind": x.kind.as_str(), "value": x.value })).collect::<Vec<_>>() }),
    );
    audit::append(&mut tx, &a, t).await?;
    commit(tx).await?;
    Ok(added)
}

/// Adds one indicator by hand (normalised; an indicator the incident has already is given back
/// as it is).
pub async fn add_indicator(
    core: &Core,
    actor: &Actor,
    id: Uuid,
    kind: &str,
    value: &str,
    tlp: &str,
) -> Result<Indicator> {
    let i = incidents::get(core, actor, id).await?;
    require_write(core, actor, &i).await?;
    let mut e = Errors::default();
    let kind = match kind.trim().parse::<IndicatorKind>() {
        Ok(k) => Some(k),
        Err(()) => {
            e.add("kind", "indicator.err.kind");
            None
        }
    };
    let value = kind.and_then(|k| {
        let v = rules::normalise(k, value);
        if v.is_none() {
            e.add("value", "indicator.err.value");
        }
        v
    });
    let tlp = match tlp.trim() {
        "" => i.tlp,
        v => v.parse::<Tlp>().unwrap_or_else(|()| {
            e.add("tlp", "incident.err.tlp");
            i.tlp
        }),
    };
    e.into_result().map_err(CoreError::Invalid)?;
    let (Some(kind), Some(value)) = (kind, value) else {
        return Err(CoreError::field("value", "indicator.err.value"));
    };
    insert_all(core, actor, &i, vec![(kind, value.clone())], tlp, "manual").await?;
    let mut c = core.db.conn().await?;
    store::indicators(&mut c, id)
        .await?
        .into_iter()
        .find(|x| x.kind == kind && x.value == value)
        .ok_or(CoreError::NotFound)
}

/// Extracts the indicators of free text (defanged forms understood) and adds the new ones;
/// gives those added.
pub async fn extract(core: &Core, actor: &Actor, id: Uuid, text: &str) -> Result<Vec<Indicator>> {
    let i = incidents::get(core, actor, id).await?;
    require_write(core, actor, &i).await?;
    if text.len() > 1_000_000 {
        return Err(CoreError::field("text", "err.too_long"));
    }
    let found = rules::extract(text);
    insert_all(core, actor, &i, found, i.tlp, "extracted").await
}

/// Deletes an indicator.
pub async fn delete_indicator(core: &Core, actor: &Actor, indicator: Uuid) -> Result<()> {
    let ind = {
        let mut c = core.db.conn().await?;
        store::get_indicator(&mut c, indicator).await?
    };
    let ind = ind.ok_or(CoreError::NotFound)?;
    let i = incidents::get(core, actor, ind.incident_id).await?;
    require_write(core, actor, &i).await?;
    let t = now();
    let mut tx = core.db.begin().await?;
    store::delete_indicator(&mut tx, ind.id).await?;
    let a = actor.event(
        "indicator.delete",
        OBJECT,
        Some(i.id.to_string()),
        Some(i.owner.id),
        json!({ "id": ind.id, "kind": ind.kind.as_str(), "value": ind.value }),
    );
    audit::append(&mut tx, &a, t).await?;
    commit(tx).await?;
    Ok(())
}
