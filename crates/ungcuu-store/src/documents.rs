//! Legal documents (Mẫu 03, 04, 05) and the per-organisation number register. The form data is
//! a JSON text column read and written whole; the frozen bytes live in the blob store and only
//! their SHA-256 is kept here.

use crate::row::{RowExt, ts};
use crate::sql::Sql;
use crate::{Page, Result};
use sqlx::AnyConnection;
use sqlx::any::AnyRow;
use time::OffsetDateTime;
use uuid::Uuid;

/// A document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Id.
    pub id: Uuid,
    /// `mau03`, `mau04` or `mau05`.
    pub form: String,
    /// The incident (none for Mẫu 05).
    pub incident_id: Option<Uuid>,
    /// The issuing organisation (its register gives the number).
    pub org_id: Uuid,
    /// `draft` or `issued`.
    pub status: String,
    /// 1 for the first, then one more for each new version.
    pub version: i64,
    /// The issued document this one replaces.
    pub supersedes: Option<Uuid>,
    /// The form as JSON (the `ungcuu-reports` struct of its form).
    pub data: String,
    /// Mẫu 05: first month covered (year × 12 + month − 1).
    pub period_from: Option<i64>,
    /// Mẫu 05: last month covered.
    pub period_to: Option<i64>,
    /// Register year, once issued.
    pub register_year: Option<i64>,
    /// Number in that year's register, once issued.
    pub register_seq: Option<i64>,
    /// Number and symbol printed on it (`12/BC-STTTT`), once issued.
    pub number: Option<String>,
    /// When it was issued.
    pub issued_at: Option<OffsetDateTime>,
    /// Who issued it.
    pub issued_by: Option<Uuid>,
    /// SHA-256 of the frozen PDF.
    pub pdf_sha256: Option<String>,
    /// SHA-256 of the frozen DOCX.
    pub docx_sha256: Option<String>,
    /// Who created the draft.
    pub created_by: Option<Uuid>,
    /// Created.
    pub created_at: OffsetDateTime,
    /// Last changed.
    pub updated_at: OffsetDateTime,
}

impl Document {
    /// True once issued (frozen).
    pub fn is_issued(&self) -> bool {
        self.status == "issued"
    }
}

const COLS: &str = "SELECT id, form, incident_id, org_id, status, version, supersedes, data,
     period_from, period_to, register_year, register_seq, number, issued_at, issued_by,
     pdf_sha256, docx_sha256, created_by, created_at, updated_at FROM documents";

fn from_row(r: &AnyRow) -> Result<Document> {
    Ok(Document {
        id: r.uuid("id")?,
        form: r.text("form")?,
        incident_id: r.opt_uuid("incident_id")?,
        org_id: r.uuid("org_id")?,
        status: r.text("status")?,
        version: r.int("version")?,
        supersedes: r.opt_uuid("supersedes")?,
        data: r.text("data")?,
        period_from: r.opt_int("period_from")?,
        period_to: r.opt_int("period_to")?,
        register_year: r.opt_int("register_year")?,
        register_seq: r.opt_int("register_seq")?,
        number: r.opt_text("number")?,
        issued_at: r.opt_time("issued_at")?,
        issued_by: r.opt_uuid("issued_by")?,
        pdf_sha256: r.opt_text("pdf_sha256")?,
        docx_sha256: r.opt_text("docx_sha256")?,
        created_by: r.opt_uuid("created_by")?,
        created_at: r.time("created_at")?,
        updated_at: r.time("updated_at")?,
    })
}

/// Stores a new draft.
pub async fn insert(c: &mut AnyConnection, d: &Document) -> Result<()> {
    sqlx::query(
        "INSERT INTO documents (id, form, incident_id, org_id, status, version, supersedes, data,
         period_from, period_to, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(d.id.to_string())
    .bind(d.form.clone())
    .bind(d.incident_id.map(|u| u.to_string()))
    .bind(d.org_id.to_string())
    .bind(d.status.clone())
    .bind(d.version)
    .bind(d.supersedes.map(|u| u.to_string()))
    .bind(d.data.clone())
    .bind(d.period_from)
    .bind(d.period_to)
    .bind(d.created_by.map(|u| u.to_string()))
    .bind(ts(d.created_at))
    .bind(ts(d.updated_at))
    .execute(c)
    .await?;
    Ok(())
}

/// One document.
pub async fn get(c: &mut AnyConnection, id: Uuid) -> Result<Option<Document>> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE id = ").bind(id);
    q.query()
        .fetch_optional(c)
        .await?
        .map(|r| from_row(&r))
        .transpose()
}

/// Replaces a draft's data; false when it is no longer a draft (issued meanwhile).
pub async fn update_draft(
    c: &mut AnyConnection,
    id: Uuid,
    data: &str,
    period: (Option<i64>, Option<i64>),
    at: OffsetDateTime,
) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE documents SET data = $1, period_from = $2, period_to = $3, updated_at = $4
         WHERE id = $5 AND status = 'draft'",
    )
    .bind(data.to_string())
    .bind(period.0)
    .bind(period.1)
    .bind(ts(at))
    .bind(id.to_string())
    .execute(c)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Takes the next number of `org`'s register for `year`. One upsert: the row lock (PostgreSQL)
/// or the write lock (SQLite) makes concurrent issues take different numbers, and the lock is
/// held until the caller's transaction ends, which also serialises the checks made after it.
pub async fn next_number(c: &mut AnyConnection, org: Uuid, year: i64) -> Result<i64> {
    sqlx::query(
        "INSERT INTO document_registers (org_id, year, last_number) VALUES ($1, $2, 1)
         ON CONFLICT (org_id, year) DO UPDATE SET last_number = document_registers.last_number + 1
         RETURNING last_number",
    )
    .bind(org.to_string())
    .bind(year)
    .fetch_one(c)
    .await?
    .int("last_number")
}

/// Locks `org`'s Mẫu 05 periods until the caller's transaction ends (row lock on PostgreSQL,
/// write lock on SQLite): the overlap check that follows then sees every issue that took the
/// lock before, whatever register year it was numbered in.
pub async fn lock_periods(c: &mut AnyConnection, org: Uuid) -> Result<()> {
    sqlx::query(
        "INSERT INTO document_period_locks (org_id, taken) VALUES ($1, 1)
         ON CONFLICT (org_id) DO UPDATE SET taken = document_period_locks.taken + 1",
    )
    .bind(org.to_string())
    .execute(c)
    .await?;
    Ok(())
}

/// The number [`next_number`] would give now, without taking it (no lock): issuing renders
/// with it before locking the register, and renders again only if someone took it meanwhile.
pub async fn peek_number(c: &mut AnyConnection, org: Uuid, year: i64) -> Result<i64> {
    let last =
        sqlx::query("SELECT last_number FROM document_registers WHERE org_id = $1 AND year = $2")
            .bind(org.to_string())
            .bind(year)
            .fetch_optional(c)
            .await?
            .map(|r| r.int("last_number"))
            .transpose()?;
    Ok(last.unwrap_or(0) + 1)
}

/// What issuing writes.
#[derive(Debug, Clone)]
pub struct Issue {
    /// The frozen form data (with its number and date filled in).
    pub data: String,
    /// Register year.
    pub year: i64,
    /// Register number.
    pub seq: i64,
    /// Number and symbol.
    pub number: String,
    /// When.
    pub at: OffsetDateTime,
    /// Who.
    pub by: Option<Uuid>,
    /// SHA-256 of the PDF.
    pub pdf_sha256: String,
    /// SHA-256 of the DOCX.
    pub docx_sha256: String,
}

/// Freezes a draft; false when it was not a draft any more (someone issued it first).
pub async fn mark_issued(c: &mut AnyConnection, id: Uuid, i: &Issue) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE documents SET status = 'issued', data = $1, register_year = $2, register_seq = $3,
         number = $4, issued_at = $5, issued_by = $6, pdf_sha256 = $7, docx_sha256 = $8,
         updated_at = $5 WHERE id = $9 AND status = 'draft'",
    )
    .bind(i.data.clone())
    .bind(i.year)
    .bind(i.seq)
    .bind(i.number.clone())
    .bind(ts(i.at))
    .bind(i.by.map(|u| u.to_string()))
    .bind(i.pdf_sha256.clone())
    .bind(i.docx_sha256.clone())
    .bind(id.to_string())
    .execute(c)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// The latest issued document of a form for an incident (highest version, then latest issue).
pub async fn latest_issued(
    c: &mut AnyConnection,
    incident: Uuid,
    form: &str,
) -> Result<Option<Document>> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE incident_id = ")
        .bind(incident)
        .push(" AND form = ")
        .bind(form)
        .push(" AND status = 'issued' ORDER BY issued_at DESC, id DESC LIMIT 1");
    q.query()
        .fetch_optional(c)
        .await?
        .map(|r| from_row(&r))
        .transpose()
}

/// Issued Mẫu 05 documents of `org` whose period overlaps `from..=to` (months), except the
/// ones listed (the chain a new version replaces).
pub async fn overlapping_mau05(
    c: &mut AnyConnection,
    org: Uuid,
    from: i64,
    to: i64,
    except: &[Uuid],
) -> Result<Vec<Document>> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE form = 'mau05' AND status = 'issued' AND org_id = ")
        .bind(org.to_string())
        .push(" AND period_from <= ")
        .bind(to)
        .push(" AND period_to >= ")
        .bind(from);
    if !except.is_empty() {
        q.push(" AND id NOT IN ").bind_list(except.iter().copied());
    }
    q.push(" ORDER BY id");
    q.query().fetch_all(c).await?.iter().map(from_row).collect()
}

/// Notes the first sending of an issued document (later sendings keep the first time).
pub async fn mark_sent(c: &mut AnyConnection, id: Uuid, at: OffsetDateTime) -> Result<()> {
    sqlx::query("UPDATE documents SET sent_at = $2 WHERE id = $1 AND sent_at IS NULL")
        .bind(id.to_string())
        .bind(ts(at))
        .execute(c)
        .await?;
    Ok(())
}

/// An issued Mẫu 05 that was sent: what files a periodic report.
#[derive(Debug, Clone, PartialEq)]
pub struct SentSummary {
    /// The document.
    pub id: Uuid,
    /// Its number.
    pub number: String,
    /// Its last month (months since year 0).
    pub period_to: i64,
    /// When it was first sent.
    pub sent_at: OffsetDateTime,
}

/// Every issued and sent Mẫu 05 whose last month is in `from..=to` (months since year 0),
/// earliest sent first.
pub async fn sent_summaries(c: &mut AnyConnection, from: i64, to: i64) -> Result<Vec<SentSummary>> {
    let rows = sqlx::query(
        "SELECT id, number, period_to, sent_at FROM documents
         WHERE form = 'mau05' AND status = 'issued' AND sent_at IS NOT NULL
           AND period_to >= $1 AND period_to <= $2
         ORDER BY sent_at, id",
    )
    .bind(from)
    .bind(to)
    .fetch_all(c)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(SentSummary {
                id: r.uuid("id")?,
                number: r.opt_text("number")?.unwrap_or_default(),
                period_to: r.int("period_to")?,
                sent_at: r.time("sent_at")?,
            })
        })
        .collect()
}

/// Which documents to list.
#[derive(Debug, Clone, Default)]
pub struct DocumentFilter {
    /// Only this incident's.
    pub incident: Option<Uuid>,
    /// Only this form.
    pub form: Option<String>,
    /// Only documents of these organisations (none: every organisation).
    pub orgs_within: Option<Vec<Uuid>>,
    /// Or documents of these incidents (granted ones), whatever their organisation.
    pub or_incidents: Vec<Uuid>,
}

/// A page of documents, newest first.
pub async fn list(
    c: &mut AnyConnection,
    f: &DocumentFilter,
    after: Option<Uuid>,
    limit: i64,
) -> Result<Page<Document>> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE 1 = 1");
    if let Some(i) = f.incident {
        q.push(" AND incident_id = ").bind(i.to_string());
    }
    if let Some(form) = &f.form {
        q.push(" AND form = ").bind(form.clone());
    }
    if let Some(orgs) = &f.orgs_within {
        q.push(" AND (");
        if orgs.is_empty() {
            q.push("1 = 0");
        } else {
            q.push("org_id IN ").bind_list(orgs.iter().copied());
        }
        if !f.or_incidents.is_empty() {
            q.push(" OR incident_id IN ")
                .bind_list(f.or_incidents.iter().copied());
        }
        q.push(")");
    }
    if let Some(a) = after {
        q.push(" AND id < ").bind(a.to_string());
    }
    q.push(" ORDER BY id DESC LIMIT ").bind(limit + 1);
    let rows = q.query().fetch_all(c).await?;
    let mut items = rows.iter().map(from_row).collect::<Result<Vec<_>>>()?;
    let next = if items.len() as i64 > limit {
        items.truncate(limit as usize);
        items.last().map(|d| d.id.to_string())
    } else {
        None
    };
    Ok(Page { items, next })
}

/// A sending waiting for a second person's approval.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendRequest {
    /// Id.
    pub id: Uuid,
    /// The document.
    pub document_id: Uuid,
    /// The recipients asked for, comma-separated party codes.
    pub parties: String,
    /// Who asked.
    pub requested_by: Option<Uuid>,
    /// When.
    pub requested_at: OffsetDateTime,
}

/// Stores a pending request.
pub async fn insert_send_request(c: &mut AnyConnection, r: &SendRequest) -> Result<()> {
    sqlx::query(
        "INSERT INTO document_send_requests (id, document_id, parties, requested_by, requested_at, status)
         VALUES ($1, $2, $3, $4, $5, 'pending')",
    )
    .bind(r.id.to_string())
    .bind(r.document_id.to_string())
    .bind(r.parties.clone())
    .bind(r.requested_by.map(|u| u.to_string()))
    .bind(ts(r.requested_at))
    .execute(c)
    .await?;
    Ok(())
}

/// The oldest pending request of a document.
pub async fn pending_send_request(c: &mut AnyConnection, doc: Uuid) -> Result<Option<SendRequest>> {
    let r = sqlx::query(
        "SELECT id, document_id, parties, requested_by, requested_at FROM document_send_requests
         WHERE document_id = $1 AND status = 'pending' ORDER BY id LIMIT 1",
    )
    .bind(doc.to_string())
    .fetch_optional(c)
    .await?;
    r.map(|r| {
        Ok(SendRequest {
            id: r.uuid("id")?,
            document_id: r.uuid("document_id")?,
            parties: r.text("parties")?,
            requested_by: r.opt_uuid("requested_by")?,
            requested_at: r.time("requested_at")?,
        })
    })
    .transpose()
}

/// Marks a request approved; false when someone approved it first.
pub async fn approve_send_request(
    c: &mut AnyConnection,
    id: Uuid,
    by: Option<Uuid>,
    at: OffsetDateTime,
) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE document_send_requests SET status = 'approved', approved_by = $1, approved_at = $2
         WHERE id = $3 AND status = 'pending'",
    )
    .bind(by.map(|u| u.to_string()))
    .bind(ts(at))
    .bind(id.to_string())
    .execute(c)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// A sending by letter or fax recorded by hand, with its scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandSending {
    /// Id.
    pub id: Uuid,
    /// The document sent.
    pub document_id: Uuid,
    /// `letter` or `fax`.
    pub channel: String,
    /// To whom, as written on the letter.
    pub recipients: String,
    /// Letter number, fax receipt, …
    pub note: Option<String>,
    /// SHA-256 of the scan in the blob store.
    pub scan_sha256: String,
    /// The media type recognised from the scan's bytes.
    pub scan_media_type: String,
    /// Size of the scan in bytes.
    pub scan_size: i64,
    /// Who recorded it.
    pub recorded_by: Option<Uuid>,
    /// When.
    pub created_at: OffsetDateTime,
}

const HAND_COLS: &str = "id, document_id, channel, recipients, note, scan_sha256, scan_media_type, scan_size, recorded_by, created_at";

fn hand_from_row(r: &AnyRow) -> Result<HandSending> {
    Ok(HandSending {
        id: r.uuid("id")?,
        document_id: r.uuid("document_id")?,
        channel: r.text("channel")?,
        recipients: r.text("recipients")?,
        note: r.opt_text("note")?,
        scan_sha256: r.text("scan_sha256")?,
        scan_media_type: r.text("scan_media_type")?,
        scan_size: r.int("scan_size")?,
        recorded_by: r.opt_uuid("recorded_by")?,
        created_at: r.time("created_at")?,
    })
}

/// Stores a sending recorded by hand.
pub async fn insert_hand_sending(c: &mut AnyConnection, h: &HandSending) -> Result<()> {
    sqlx::query(
        "INSERT INTO document_hand_sendings (id, document_id, channel, recipients, note, scan_sha256,
         scan_media_type, scan_size, recorded_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(h.id.to_string())
    .bind(h.document_id.to_string())
    .bind(h.channel.clone())
    .bind(h.recipients.clone())
    .bind(h.note.clone())
    .bind(h.scan_sha256.clone())
    .bind(h.scan_media_type.clone())
    .bind(h.scan_size)
    .bind(h.recorded_by.map(|u| u.to_string()))
    .bind(ts(h.created_at))
    .execute(c)
    .await?;
    Ok(())
}

/// The sendings by hand of a document, oldest first.
pub async fn hand_sendings(c: &mut AnyConnection, doc: Uuid) -> Result<Vec<HandSending>> {
    let mut q = Sql::new("SELECT ");
    q.push(HAND_COLS)
        .push(" FROM document_hand_sendings WHERE document_id = ")
        .bind(doc)
        .push(" ORDER BY created_at, id");
    q.query()
        .fetch_all(c)
        .await?
        .iter()
        .map(hand_from_row)
        .collect()
}

/// One sending by hand of a document (none when it belongs to another document).
pub async fn hand_sending(
    c: &mut AnyConnection,
    doc: Uuid,
    id: Uuid,
) -> Result<Option<HandSending>> {
    let mut q = Sql::new("SELECT ");
    q.push(HAND_COLS)
        .push(" FROM document_hand_sendings WHERE document_id = ")
        .bind(doc)
        .push(" AND id = ")
        .bind(id);
    q.query()
        .fetch_optional(c)
        .await?
        .as_ref()
        .map(hand_from_row)
        .transpose()
}
