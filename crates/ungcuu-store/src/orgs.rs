//! Organisations.

use crate::row::{RowExt, ts};
use crate::sql::Sql;
use crate::{Page, Result};
use sqlx::AnyConnection;
use sqlx::any::AnyRow;
use time::OffsetDateTime;
use ungcuu_domain::OrgKind;
use ungcuu_domain::text::fold;
use uuid::Uuid;

/// An organisation of the provincial network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Org {
    /// Id.
    pub id: Uuid,
    /// Stable short identifier used in URLs and the CLI.
    pub slug: String,
    /// Full name.
    pub name: String,
    /// Abbreviation (Sở TT&TT).
    pub short_name: Option<String>,
    /// Kind.
    pub kind: OrgKind,
    /// Parent in the tree.
    pub parent_id: Option<Uuid>,
    /// Created.
    pub created_at: OffsetDateTime,
    /// Last changed.
    pub updated_at: OffsetDateTime,
}

fn from_row(r: &AnyRow) -> Result<Org> {
    Ok(Org {
        id: r.uuid("id")?,
        slug: r.text("slug")?,
        name: r.text("name")?,
        short_name: r.opt_text("short_name")?,
        kind: r.parsed("kind")?,
        parent_id: r.opt_uuid("parent_id")?,
        created_at: r.time("created_at")?,
        updated_at: r.time("updated_at")?,
    })
}

const COLS: &str = "id, slug, name, short_name, kind, parent_id, created_at, updated_at";

fn search_text(o: &Org) -> String {
    fold(&format!(
        "{} {} {}",
        o.name,
        o.short_name.as_deref().unwrap_or(""),
        o.slug
    ))
}

/// Inserts an organisation.
pub async fn insert(c: &mut AnyConnection, o: &Org) -> Result<()> {
    sqlx::query(
        "INSERT INTO organizations (id, slug, name, short_name, kind, parent_id, search_text, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(o.id.to_string())
    .bind(o.slug.clone())
    .bind(o.name.clone())
    .bind(o.short_name.clone())
    .bind(o.kind.as_str())
    .bind(o.parent_id.map(|p| p.to_string()))
    .bind(search_text(o))
    .bind(ts(o.created_at))
    .bind(ts(o.updated_at))
    .execute(c)
    .await?;
    Ok(())
}

/// Writes every editable field of `o`.
pub async fn update(c: &mut AnyConnection, o: &Org) -> Result<()> {
    sqlx::query(
        "UPDATE organizations SET slug = $2, name = $3, short_name = $4, kind = $5, parent_id = $6,
         search_text = $7, updated_at = $8 WHERE id = $1",
    )
    .bind(o.id.to_string())
    .bind(o.slug.clone())
    .bind(o.name.clone())
    .bind(o.short_name.clone())
    .bind(o.kind.as_str())
    .bind(o.parent_id.map(|p| p.to_string()))
    .bind(search_text(o))
    .bind(ts(o.updated_at))
    .execute(c)
    .await?;
    Ok(())
}

/// One organisation by id.
pub async fn get(c: &mut AnyConnection, id: Uuid) -> Result<Option<Org>> {
    let mut q = Sql::new("SELECT ");
    q.push(COLS)
        .push(" FROM organizations WHERE id = ")
        .bind(id);
    q.query()
        .fetch_optional(c)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// One organisation by slug.
pub async fn by_slug(c: &mut AnyConnection, slug: &str) -> Result<Option<Org>> {
    let mut q = Sql::new("SELECT ");
    q.push(COLS)
        .push(" FROM organizations WHERE slug = ")
        .bind(slug);
    q.query()
        .fetch_optional(c)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// Every organisation (the tree is small: hundreds, not millions).
pub async fn all(c: &mut AnyConnection) -> Result<Vec<Org>> {
    let mut q = Sql::new("SELECT ");
    q.push(COLS).push(" FROM organizations ORDER BY name, id");
    q.query().fetch_all(c).await?.iter().map(from_row).collect()
}

/// (id, parent) of every organisation, for permission subtrees.
pub async fn tree_pairs(c: &mut AnyConnection) -> Result<Vec<(Uuid, Option<Uuid>)>> {
    let rows = sqlx::query("SELECT id, parent_id FROM organizations")
        .fetch_all(c)
        .await?;
    rows.iter()
        .map(|r| Ok((r.uuid("id")?, r.opt_uuid("parent_id")?)))
        .collect()
}

/// How many organisations exist.
pub async fn count(c: &mut AnyConnection) -> Result<i64> {
    let r = sqlx::query("SELECT COUNT(*) AS n FROM organizations")
        .fetch_one(c)
        .await?;
    r.int("n")
}

/// Filters for [`list`].
#[derive(Debug, Default, Clone)]
pub struct OrgFilter {
    /// Only these organisations (`None`: all).
    pub within: Option<Vec<Uuid>>,
    /// Folded free text.
    pub q: Option<String>,
    /// Only this kind.
    pub kind: Option<OrgKind>,
    /// Only children of this organisation.
    pub parent: Option<Uuid>,
}

/// A keyset page ordered by id (ids are time-ordered UUIDv7).
pub async fn list(
    c: &mut AnyConnection,
    f: &OrgFilter,
    after: Option<Uuid>,
    limit: i64,
) -> Result<Page<Org>> {
    let mut q = Sql::new("SELECT ");
    q.push(COLS).push(" FROM organizations WHERE 1 = 1");
    if let Some(ids) = &f.within {
        q.push(" AND id IN ").bind_list(ids.iter().copied());
    }
    if let Some(text) = &f.q {
        q.push(" AND search_text LIKE ")
            .bind(format!("%{}%", like_escape(&fold(text))))
            .push(" ESCAPE '\\'");
    }
    if let Some(k) = f.kind {
        q.push(" AND kind = ").bind(k.as_str());
    }
    if let Some(p) = f.parent {
        q.push(" AND parent_id = ").bind(p);
    }
    if let Some(a) = after {
        q.push(" AND id > ").bind(a);
    }
    q.push(" ORDER BY id LIMIT ").bind(limit + 1);
    let mut items: Vec<Org> = q
        .query()
        .fetch_all(c)
        .await?
        .iter()
        .map(from_row)
        .collect::<Result<_>>()?;
    let next = if items.len() as i64 > limit {
        items.truncate(limit as usize);
        items.last().map(|o| o.id.to_string())
    } else {
        None
    };
    Ok(Page { items, next })
}

/// Escapes `%`, `_` and `\` for a LIKE pattern.
pub fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}
