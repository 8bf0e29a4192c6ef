//! The constituency: each organisation's IP ranges, domains and AS numbers, and the generation
//! counter that tells every replica its in-memory index is stale.

use crate::row::{RowExt, ts};
use crate::sql::Sql;
use crate::{Page, Result, StoreError};
use sqlx::AnyConnection;
use sqlx::any::AnyRow;
use std::str::FromStr;
use time::OffsetDateTime;
use ungcuu_domain::constituency::{Claim, Entry, Kind};
use uuid::Uuid;

/// Where an entry came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Typed in by a person.
    Manual,
    /// Derived from an information system (its id is the entry's `source_ref`).
    System,
    /// Imported from a CSV file.
    Import,
}

impl Source {
    /// Stable name, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Manual => "manual",
            Source::System => "system",
            Source::Import => "import",
        }
    }
}

impl FromStr for Source {
    type Err = ();
    fn from_str(s: &str) -> std::result::Result<Self, ()> {
        match s {
            "manual" => Ok(Source::Manual),
            "system" => Ok(Source::System),
            "import" => Ok(Source::Import),
            _ => Err(()),
        }
    }
}

/// A stored entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEntry {
    /// Id (UUIDv7: the smallest is the earliest claim).
    pub id: Uuid,
    /// The organisation that claims it.
    pub organization_id: Uuid,
    /// What it names.
    pub kind: Kind,
    /// The normalised value (`203.0.113.0/24`, `dongthap.gov.vn`, `AS45899`).
    pub value: String,
    /// Where it came from.
    pub source: Source,
    /// The information system it was derived from, for `Source::System`.
    pub source_ref: Option<String>,
    /// A free note.
    pub note: Option<String>,
    /// Who added it (none for the command line, the demo loader and derived entries).
    pub created_by: Option<Uuid>,
    /// When.
    pub created_at: OffsetDateTime,
}

const COLS: &str =
    "id, organization_id, kind, value, source, source_ref, note, created_by, created_at";

fn from_row(r: &AnyRow) -> Result<StoredEntry> {
    Ok(StoredEntry {
        id: r.uuid("id")?,
        organization_id: r.uuid("organization_id")?,
        kind: r.parsed("kind")?,
        value: r.text("value")?,
        source: r.parsed("source")?,
        source_ref: r.opt_text("source_ref")?,
        note: r.opt_text("note")?,
        created_by: r.opt_uuid("created_by")?,
        created_at: r.time("created_at")?,
    })
}

/// Inserts an entry. A second claim of the same value by the same organisation violates
/// `constituency_entries_unique_key`.
pub async fn insert(c: &mut AnyConnection, e: &StoredEntry) -> Result<()> {
    sqlx::query(
        "INSERT INTO constituency_entries (id, organization_id, kind, value, source, source_ref, note, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(e.id.to_string())
    .bind(e.organization_id.to_string())
    .bind(e.kind.as_str())
    .bind(e.value.clone())
    .bind(e.source.as_str())
    .bind(e.source_ref.clone())
    .bind(e.note.clone())
    .bind(e.created_by.map(|u| u.to_string()))
    .bind(ts(e.created_at))
    .execute(c)
    .await?;
    Ok(())
}

/// One entry.
pub async fn get(c: &mut AnyConnection, id: Uuid) -> Result<Option<StoredEntry>> {
    let mut q = Sql::new("SELECT ");
    q.push(COLS)
        .push(" FROM constituency_entries WHERE id = ")
        .bind(id);
    q.query()
        .fetch_optional(c)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// Removes an entry; false when it was already gone.
pub async fn delete(c: &mut AnyConnection, id: Uuid) -> Result<bool> {
    Ok(
        sqlx::query("DELETE FROM constituency_entries WHERE id = $1")
            .bind(id.to_string())
            .execute(c)
            .await?
            .rows_affected()
            > 0,
    )
}

/// A keyset page of one organisation's entries, in the order they were added.
pub async fn list_for_org(
    c: &mut AnyConnection,
    org: Uuid,
    kind: Option<Kind>,
    after: Option<Uuid>,
    limit: i64,
) -> Result<Page<StoredEntry>> {
    let mut q = Sql::new("SELECT ");
    q.push(COLS)
        .push(" FROM constituency_entries WHERE organization_id = ")
        .bind(org);
    if let Some(k) = kind {
        q.push(" AND kind = ").bind(k.as_str());
    }
    if let Some(a) = after {
        q.push(" AND id > ").bind(a);
    }
    q.push(" ORDER BY id LIMIT ").bind(limit + 1);
    let mut items: Vec<StoredEntry> = q
        .query()
        .fetch_all(c)
        .await?
        .iter()
        .map(from_row)
        .collect::<Result<_>>()?;
    let next = if items.len() as i64 > limit {
        items.truncate(limit as usize);
        items.last().map(|e| e.id.to_string())
    } else {
        None
    };
    Ok(Page { items, next })
}

/// How many entries an organisation has.
pub async fn count_for_org(c: &mut AnyConnection, org: Uuid) -> Result<i64> {
    sqlx::query("SELECT COUNT(*) AS n FROM constituency_entries WHERE organization_id = $1")
        .bind(org.to_string())
        .fetch_one(c)
        .await?
        .int("n")
}

/// Every claim, parsed, for building the index. A stored value that no longer parses (written
/// by hand in the database) is left out with a warning rather than failing every lookup.
pub async fn claims(c: &mut AnyConnection) -> Result<Vec<Claim>> {
    let rows = sqlx::query("SELECT id, organization_id, kind, value FROM constituency_entries")
        .fetch_all(c)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let id = r.uuid("id")?;
        let parsed = r
            .parsed::<Kind>("kind")
            .ok()
            .and_then(|k| Entry::parse(k, &r.text("value").ok()?).ok());
        match parsed {
            Some(entry) => out.push(Claim {
                id,
                org: r.uuid("organization_id")?,
                entry,
            }),
            None => tracing::warn!(%id, "constituency entry does not parse; left out of the index"),
        }
    }
    Ok(out)
}

/// The (organisation, kind, value) of every entry of these organisations, to find what an
/// import would repeat.
pub async fn keys_of(c: &mut AnyConnection, orgs: &[Uuid]) -> Result<Vec<(Uuid, Kind, String)>> {
    let mut q = Sql::new(
        "SELECT organization_id, kind, value FROM constituency_entries WHERE organization_id IN ",
    );
    q.bind_list(orgs.iter().copied());
    q.query()
        .fetch_all(c)
        .await?
        .iter()
        .map(|r| {
            Ok((
                r.uuid("organization_id")?,
                r.parsed("kind")?,
                r.text("value")?,
            ))
        })
        .collect()
}

/// The entries of one organisation derived from one information system.
pub async fn derived(
    c: &mut AnyConnection,
    org: Uuid,
    source_ref: &str,
) -> Result<Vec<StoredEntry>> {
    let mut q = Sql::new("SELECT ");
    q.push(COLS)
        .push(" FROM constituency_entries WHERE source = 'system' AND source_ref = ")
        .bind(source_ref)
        .push(" AND organization_id = ")
        .bind(org)
        .push(" ORDER BY id");
    q.query().fetch_all(c).await?.iter().map(from_row).collect()
}

/// The database's generation of the constituency.
pub async fn generation(c: &mut AnyConnection) -> Result<i64> {
    sqlx::query("SELECT generation FROM constituency_generation WHERE id = 1")
        .fetch_optional(c)
        .await?
        .map(|r| r.int("generation"))
        .transpose()?
        .ok_or(StoreError::Corrupt("constituency_generation"))
}

/// Bumps the generation inside the caller's transaction (the row stays locked until commit, so
/// concurrent changes serialise) and returns the new value.
pub async fn bump_generation(c: &mut AnyConnection, at: OffsetDateTime) -> Result<i64> {
    sqlx::query(
        "UPDATE constituency_generation SET generation = generation + 1, updated_at = $1
         WHERE id = 1 RETURNING generation",
    )
    .bind(ts(at))
    .fetch_optional(c)
    .await?
    .map(|r| r.int("generation"))
    .transpose()?
    .ok_or(StoreError::Corrupt("constituency_generation"))
}
