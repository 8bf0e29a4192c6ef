//! Evidence files (the rows; the bytes live in the blob store), their chain of custody, and
//! indicators of compromise with the "seen before" lookup by (kind, value).

use crate::Result;
use crate::row::{RowExt, ts};
use crate::sql::Sql;
use sqlx::AnyConnection;
use sqlx::any::AnyRow;
use time::OffsetDateTime;
use ungcuu_domain::evidence::IndicatorKind;
use ungcuu_domain::incident::Tlp;
use uuid::Uuid;

/// One evidence file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    /// Id.
    pub id: Uuid,
    /// Its incident.
    pub incident_id: Uuid,
    /// SHA-256 (hex), also the blob's address.
    pub sha256: String,
    /// SHA-1 (hex).
    pub sha1: String,
    /// MD5 (hex).
    pub md5: String,
    /// Bytes.
    pub size: i64,
    /// The uploaded name, sanitised, for display only.
    pub original_name: String,
    /// Sniffed from the bytes.
    pub media_type: String,
    /// Malware kept as evidence: never opened, only downloaded.
    pub malicious_sample: bool,
    /// What it is.
    pub description: String,
    /// Who collected it (label).
    pub collected_by: String,
    /// When it was collected.
    pub collected_at: OffsetDateTime,
    /// Where it was collected.
    pub collected_where: String,
    /// Stored.
    pub created_at: OffsetDateTime,
}

const COLS: &str = "id, incident_id, sha256, sha1, md5, size, original_name, media_type,
     malicious_sample, description, collected_by, collected_at, collected_where, created_at";

fn from_row(r: &AnyRow) -> Result<Evidence> {
    Ok(Evidence {
        id: r.uuid("id")?,
        incident_id: r.uuid("incident_id")?,
        sha256: r.text("sha256")?,
        sha1: r.text("sha1")?,
        md5: r.text("md5")?,
        size: r.int("size")?,
        original_name: r.text("original_name")?,
        media_type: r.text("media_type")?,
        malicious_sample: r.int("malicious_sample")? != 0,
        description: r.text("description")?,
        collected_by: r.text("collected_by")?,
        collected_at: r.time("collected_at")?,
        collected_where: r.text("collected_where")?,
        created_at: r.time("created_at")?,
    })
}

/// Inserts an evidence row.
pub async fn insert(c: &mut AnyConnection, e: &Evidence) -> Result<()> {
    sqlx::query(
        "INSERT INTO evidence (id, incident_id, sha256, sha1, md5, size, original_name,
         media_type, malicious_sample, description, collected_by, collected_at, collected_where,
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(e.id.to_string())
    .bind(e.incident_id.to_string())
    .bind(e.sha256.clone())
    .bind(e.sha1.clone())
    .bind(e.md5.clone())
    .bind(e.size)
    .bind(e.original_name.clone())
    .bind(e.media_type.clone())
    .bind(i64::from(e.malicious_sample))
    .bind(e.description.clone())
    .bind(e.collected_by.clone())
    .bind(ts(e.collected_at))
    .bind(e.collected_where.clone())
    .bind(ts(e.created_at))
    .execute(c)
    .await?;
    Ok(())
}

/// One evidence row.
pub async fn get(c: &mut AnyConnection, id: Uuid) -> Result<Option<Evidence>> {
    let mut q = Sql::new("SELECT ");
    q.push(COLS).push(" FROM evidence WHERE id = ").bind(id);
    q.query()
        .fetch_optional(c)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// The evidence of an incident, oldest first.
pub async fn list(c: &mut AnyConnection, incident: Uuid) -> Result<Vec<Evidence>> {
    let mut q = Sql::new("SELECT ");
    q.push(COLS)
        .push(" FROM evidence WHERE incident_id = ")
        .bind(incident)
        .push(" ORDER BY created_at, id");
    q.query().fetch_all(c).await?.iter().map(from_row).collect()
}

/// One entry of the chain of custody.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustodyEvent {
    /// Id.
    pub id: Uuid,
    /// The file.
    pub evidence_id: Uuid,
    /// `collected`, `handed_over` or `downloaded`.
    pub kind: String,
    /// Who (label).
    pub actor: String,
    /// To whom it was handed over.
    pub to_whom: Option<String>,
    /// Note.
    pub note: Option<String>,
    /// When.
    pub at: OffsetDateTime,
}

/// Appends to the chain of custody.
pub async fn insert_custody(c: &mut AnyConnection, e: &CustodyEvent) -> Result<()> {
    sqlx::query(
        "INSERT INTO custody_events (id, evidence_id, kind, actor, to_whom, note, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(e.id.to_string())
    .bind(e.evidence_id.to_string())
    .bind(e.kind.clone())
    .bind(e.actor.clone())
    .bind(e.to_whom.clone())
    .bind(e.note.clone())
    .bind(ts(e.at))
    .execute(c)
    .await?;
    Ok(())
}

/// The chain of custody of a file, in order.
pub async fn custody(c: &mut AnyConnection, evidence: Uuid) -> Result<Vec<CustodyEvent>> {
    let rows = sqlx::query(
        "SELECT id, evidence_id, kind, actor, to_whom, note, at FROM custody_events
         WHERE evidence_id = $1 ORDER BY at, id",
    )
    .bind(evidence.to_string())
    .fetch_all(c)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(CustodyEvent {
                id: r.uuid("id")?,
                evidence_id: r.uuid("evidence_id")?,
                kind: r.text("kind")?,
                actor: r.text("actor")?,
                to_whom: r.opt_text("to_whom")?,
                note: r.opt_text("note")?,
                at: r.time("at")?,
            })
        })
        .collect()
}

/// An indicator of compromise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indicator {
    /// Id.
    pub id: Uuid,
    /// Its incident.
    pub incident_id: Uuid,
    /// Kind.
    pub kind: IndicatorKind,
    /// Normalised value.
    pub value: String,
    /// Sharing label.
    pub tlp: Tlp,
    /// `manual` or `extracted`.
    pub source: String,
    /// Who added it (label).
    pub created_by: String,
    /// Added.
    pub created_at: OffsetDateTime,
}

const ICOLS: &str = "id, incident_id, kind, value, tlp, source, created_by, created_at";

fn indicator(r: &AnyRow) -> Result<Indicator> {
    Ok(Indicator {
        id: r.uuid("id")?,
        incident_id: r.uuid("incident_id")?,
        kind: r.parsed("kind")?,
        value: r.text("value")?,
        tlp: r.parsed("tlp")?,
        source: r.text("source")?,
        created_by: r.text("created_by")?,
        created_at: r.time("created_at")?,
    })
}

/// Inserts an indicator unless the incident has it already; true when inserted.
pub async fn insert_indicator(c: &mut AnyConnection, i: &Indicator) -> Result<bool> {
    let r = sqlx::query(
        "INSERT INTO indicators (id, incident_id, kind, value, tlp, source, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (incident_id, kind, value) DO NOTHING",
    )
    .bind(i.id.to_string())
    .bind(i.incident_id.to_string())
    .bind(i.kind.as_str())
    .bind(i.value.clone())
    .bind(i.tlp.as_str())
    .bind(i.source.clone())
    .bind(i.created_by.clone())
    .bind(ts(i.created_at))
    .execute(c)
    .await?;
    Ok(r.rows_affected() > 0)
}

/// One indicator.
pub async fn get_indicator(c: &mut AnyConnection, id: Uuid) -> Result<Option<Indicator>> {
    let mut q = Sql::new("SELECT ");
    q.push(ICOLS).push(" FROM indicators WHERE id = ").bind(id);
    q.query()
        .fetch_optional(c)
        .await?
        .as_ref()
        .map(indicator)
        .transpose()
}

/// The indicators of an incident by kind and value.
pub async fn indicators(c: &mut AnyConnection, incident: Uuid) -> Result<Vec<Indicator>> {
    let mut q = Sql::new("SELECT ");
    q.push(ICOLS)
        .push(" FROM indicators WHERE incident_id = ")
        .bind(incident)
        .push(" ORDER BY kind, value");
    q.query()
        .fetch_all(c)
        .await?
        .iter()
        .map(indicator)
        .collect()
}

/// Deletes an indicator.
pub async fn delete_indicator(c: &mut AnyConnection, id: Uuid) -> Result<()> {
    sqlx::query("DELETE FROM indicators WHERE id = $1")
        .bind(id.to_string())
        .execute(c)
        .await?;
    Ok(())
}

/// Other incidents with the same kind and value (through the (kind, value) index), most recent
/// first, at most `limit`.
pub async fn seen_in(
    c: &mut AnyConnection,
    kind: IndicatorKind,
    value: &str,
    except: Uuid,
    limit: i64,
) -> Result<Vec<Uuid>> {
    let rows = sqlx::query(
        "SELECT incident_id FROM indicators WHERE kind = $1 AND value = $2 AND incident_id <> $3
         ORDER BY created_at DESC LIMIT $4",
    )
    .bind(kind.as_str())
    .bind(value.to_string())
    .bind(except.to_string())
    .bind(limit)
    .fetch_all(c)
    .await?;
    rows.iter().map(|r| r.uuid("incident_id")).collect()
}
