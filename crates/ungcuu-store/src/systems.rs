//! Information systems, with their software and addresses in child tables kept in the order
//! they were given (so an export reads back exactly as it was imported).

use crate::orgs::like_escape;
use crate::row::{RowExt, ts};
use crate::sql::Sql;
use crate::{Page, Result, StoreError};
use sqlx::AnyConnection;
use sqlx::any::AnyRow;
use std::collections::HashMap;
use std::str::FromStr;
use time::OffsetDateTime;
use ungcuu_domain::systems::{
    AddressKind, Details, LevelStatus, Service, Software, format_date, parse_date,
};
use ungcuu_domain::text::fold;
use uuid::Uuid;

/// An organisation as a system names it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OrgRef {
    /// Id.
    pub id: Uuid,
    /// Slug (the CSV names organisations by slug).
    pub slug: String,
    /// Name.
    pub name: String,
}

/// An information system of the registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct System {
    /// Id.
    pub id: Uuid,
    /// The owner (cơ quan chủ quản). Only its id is written; slug and name are read.
    pub owner: OrgRef,
    /// The operator (đơn vị vận hành), possibly a contractor.
    pub operator: Option<OrgRef>,
    /// Everything else, validated.
    pub details: Details,
    /// Who approved the level, when it is approved by a person.
    pub approved_by: Option<Uuid>,
    /// Created.
    pub created_at: OffsetDateTime,
    /// Last changed.
    pub updated_at: OffsetDateTime,
}

const COLS: &str = "s.id, s.owner_org_id, o.slug AS owner_slug, o.name AS owner_name,
     s.operator_org_id, p.slug AS operator_slug, p.name AS operator_name, s.security_provider,
     s.connectivity_provider, s.name, s.purpose, s.security_level, s.level_status,
     s.approval_decision_no, s.approval_date, s.approved_by, s.services, s.os, s.os_version,
     s.created_at, s.updated_at
     FROM information_systems s
     JOIN organizations o ON o.id = s.owner_org_id
     LEFT JOIN organizations p ON p.id = s.operator_org_id";

fn from_row(r: &AnyRow) -> Result<System> {
    let operator = match r.opt_uuid("operator_org_id")? {
        Some(id) => Some(OrgRef {
            id,
            slug: r.text("operator_slug")?,
            name: r.text("operator_name")?,
        }),
        None => None,
    };
    let services = r
        .text("services")?
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| Service::from_str(s).map_err(|_| StoreError::Corrupt("services")))
        .collect::<Result<Vec<_>>>()?;
    let level_status = r
        .opt_text("level_status")?
        .map(|s| LevelStatus::from_str(&s).map_err(|_| StoreError::Corrupt("level_status")))
        .transpose()?;
    let approval_date = r
        .opt_text("approval_date")?
        .map(|s| parse_date(&s).map_err(|_| StoreError::Corrupt("approval_date")))
        .transpose()?;
    Ok(System {
        id: r.uuid("id")?,
        owner: OrgRef {
            id: r.uuid("owner_org_id")?,
            slug: r.text("owner_slug")?,
            name: r.text("owner_name")?,
        },
        operator,
        details: Details {
            name: r.text("name")?,
            purpose: r.opt_text("purpose")?,
            security_provider: r.opt_text("security_provider")?,
            connectivity_provider: r.opt_text("connectivity_provider")?,
            security_level: r.opt_int("security_level")?,
            level_status,
            approval_decision_no: r.opt_text("approval_decision_no")?,
            approval_date,
            services,
            os: r.opt_text("os")?,
            os_version: r.opt_text("os_version")?,
            software: Vec::new(),
            ips: Vec::new(),
            domains: Vec::new(),
            hostnames: Vec::new(),
        },
        approved_by: r.opt_uuid("approved_by")?,
        created_at: r.time("created_at")?,
        updated_at: r.time("updated_at")?,
    })
}

/// Fills in the software and addresses of `systems` with two queries.
async fn load_children(c: &mut AnyConnection, systems: &mut [System]) -> Result<()> {
    if systems.is_empty() {
        return Ok(());
    }
    let index: HashMap<Uuid, usize> = systems.iter().enumerate().map(|(i, s)| (s.id, i)).collect();
    let mut q = Sql::new(
        "SELECT system_id, vendor, product, version, cpe FROM system_software WHERE system_id IN ",
    );
    q.bind_list(systems.iter().map(|s| s.id))
        .push(" ORDER BY system_id, ordinal");
    for r in q.query().fetch_all(&mut *c).await? {
        if let Some(i) = index.get(&r.uuid("system_id")?) {
            systems[*i].details.software.push(Software {
                vendor: r.opt_text("vendor")?,
                product: r.text("product")?,
                version: r.opt_text("version")?,
                cpe: r.opt_text("cpe")?,
            });
        }
    }
    let mut q = Sql::new("SELECT system_id, kind, value FROM system_addresses WHERE system_id IN ");
    q.bind_list(systems.iter().map(|s| s.id))
        .push(" ORDER BY system_id, ordinal");
    for r in q.query().fetch_all(&mut *c).await? {
        if let Some(i) = index.get(&r.uuid("system_id")?) {
            let d = &mut systems[*i].details;
            let value = r.text("value")?;
            match r.parsed::<AddressKind>("kind")? {
                AddressKind::Ip => d.ips.push(value),
                AddressKind::Domain => d.domains.push(value),
                AddressKind::Hostname => d.hostnames.push(value),
            }
        }
    }
    Ok(())
}

fn search_text(s: &System) -> String {
    let d = &s.details;
    let mut parts: Vec<&str> = vec![&d.name];
    for o in [
        &d.purpose,
        &d.security_provider,
        &d.connectivity_provider,
        &d.approval_decision_no,
        &d.os,
    ]
    .into_iter()
    .flatten()
    {
        parts.push(o);
    }
    for sw in &d.software {
        parts.extend(sw.vendor.as_deref());
        parts.push(&sw.product);
    }
    parts.extend(d.ips.iter().map(String::as_str));
    parts.extend(d.domains.iter().map(String::as_str));
    parts.extend(d.hostnames.iter().map(String::as_str));
    fold(&parts.join(" "))
}

fn services_text(d: &Details) -> String {
    d.services
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

async fn insert_children(c: &mut AnyConnection, s: &System) -> Result<()> {
    for (i, sw) in s.details.software.iter().enumerate() {
        sqlx::query(
            "INSERT INTO system_software (system_id, ordinal, vendor, product, version, cpe)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(s.id.to_string())
        .bind(i as i64)
        .bind(sw.vendor.clone())
        .bind(sw.product.clone())
        .bind(sw.version.clone())
        .bind(sw.cpe.clone())
        .execute(&mut *c)
        .await?;
    }
    let d = &s.details;
    let addresses = d
        .ips
        .iter()
        .map(|v| (AddressKind::Ip, v))
        .chain(d.domains.iter().map(|v| (AddressKind::Domain, v)))
        .chain(d.hostnames.iter().map(|v| (AddressKind::Hostname, v)));
    for (i, (kind, value)) in addresses.enumerate() {
        sqlx::query(
            "INSERT INTO system_addresses (system_id, ordinal, kind, value) VALUES ($1, $2, $3, $4)",
        )
        .bind(s.id.to_string())
        .bind(i as i64)
        .bind(kind.as_str())
        .bind(value.clone())
        .execute(&mut *c)
        .await?;
    }
    Ok(())
}

async fn delete_children(c: &mut AnyConnection, id: Uuid) -> Result<()> {
    sqlx::query("DELETE FROM system_software WHERE system_id = $1")
        .bind(id.to_string())
        .execute(&mut *c)
        .await?;
    sqlx::query("DELETE FROM system_addresses WHERE system_id = $1")
        .bind(id.to_string())
        .execute(&mut *c)
        .await?;
    Ok(())
}

/// Inserts a system with its software and addresses.
pub async fn insert(c: &mut AnyConnection, s: &System) -> Result<()> {
    let d = &s.details;
    sqlx::query(
        "INSERT INTO information_systems (id, owner_org_id, operator_org_id, security_provider,
         connectivity_provider, name, name_key, purpose, security_level, level_status,
         approval_decision_no, approval_date, approved_by, services, os, os_version, search_text,
         created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)",
    )
    .bind(s.id.to_string())
    .bind(s.owner.id.to_string())
    .bind(s.operator.as_ref().map(|o| o.id.to_string()))
    .bind(d.security_provider.clone())
    .bind(d.connectivity_provider.clone())
    .bind(d.name.clone())
    .bind(d.name_key())
    .bind(d.purpose.clone())
    .bind(d.security_level)
    .bind(d.level_status.map(|x| x.as_str()))
    .bind(d.approval_decision_no.clone())
    .bind(d.approval_date.map(format_date))
    .bind(s.approved_by.map(|u| u.to_string()))
    .bind(services_text(d))
    .bind(d.os.clone())
    .bind(d.os_version.clone())
    .bind(search_text(s))
    .bind(ts(s.created_at))
    .bind(ts(s.updated_at))
    .execute(&mut *c)
    .await?;
    insert_children(c, s).await
}

/// Writes every field of `s` and replaces its software and addresses.
pub async fn update(c: &mut AnyConnection, s: &System) -> Result<()> {
    let d = &s.details;
    sqlx::query(
        "UPDATE information_systems SET owner_org_id = $2, operator_org_id = $3,
         security_provider = $4, connectivity_provider = $5, name = $6, name_key = $7,
         purpose = $8, security_level = $9, level_status = $10, approval_decision_no = $11,
         approval_date = $12, approved_by = $13, services = $14, os = $15, os_version = $16,
         search_text = $17, updated_at = $18 WHERE id = $1",
    )
    .bind(s.id.to_string())
    .bind(s.owner.id.to_string())
    .bind(s.operator.as_ref().map(|o| o.id.to_string()))
    .bind(d.security_provider.clone())
    .bind(d.connectivity_provider.clone())
    .bind(d.name.clone())
    .bind(d.name_key())
    .bind(d.purpose.clone())
    .bind(d.security_level)
    .bind(d.level_status.map(|x| x.as_str()))
    .bind(d.approval_decision_no.clone())
    .bind(d.approval_date.map(format_date))
    .bind(s.approved_by.map(|u| u.to_string()))
    .bind(services_text(d))
    .bind(d.os.clone())
    .bind(d.os_version.clone())
    .bind(search_text(s))
    .bind(ts(s.updated_at))
    .execute(&mut *c)
    .await?;
    delete_children(c, s.id).await?;
    insert_children(c, s).await
}

/// Deletes a system and its children.
pub async fn delete(c: &mut AnyConnection, id: Uuid) -> Result<bool> {
    delete_children(c, id).await?;
    let r = sqlx::query("DELETE FROM information_systems WHERE id = $1")
        .bind(id.to_string())
        .execute(&mut *c)
        .await?;
    Ok(r.rows_affected() > 0)
}

/// One system by id.
pub async fn get(c: &mut AnyConnection, id: Uuid) -> Result<Option<System>> {
    let mut q = Sql::new("SELECT ");
    q.push(COLS).push(" WHERE s.id = ").bind(id);
    let Some(row) = q.query().fetch_optional(&mut *c).await? else {
        return Ok(None);
    };
    let mut one = [from_row(&row)?];
    load_children(c, &mut one).await?;
    let [s] = one;
    Ok(Some(s))
}

/// The id of the system of `owner` whose name has this key, if any.
pub async fn id_by_name_key(
    c: &mut AnyConnection,
    owner: Uuid,
    name_key: &str,
) -> Result<Option<Uuid>> {
    let r =
        sqlx::query("SELECT id FROM information_systems WHERE owner_org_id = $1 AND name_key = $2")
            .bind(owner.to_string())
            .bind(name_key.to_string())
            .fetch_optional(c)
            .await?;
    r.map(|r| r.uuid("id")).transpose()
}

/// A gap in a system's record, for the "missing data" filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// No security level.
    Level,
    /// No operator.
    Operator,
    /// No IP, domain or host name.
    Addresses,
    /// No software.
    Software,
}

impl Missing {
    /// Every gap.
    pub const ALL: [Missing; 4] = [
        Missing::Level,
        Missing::Operator,
        Missing::Addresses,
        Missing::Software,
    ];

    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Missing::Level => "level",
            Missing::Operator => "operator",
            Missing::Addresses => "addresses",
            Missing::Software => "software",
        }
    }
}

impl FromStr for Missing {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Missing::ALL.into_iter().find(|m| m.as_str() == s).ok_or(())
    }
}

/// Filters for [`list`].
#[derive(Debug, Default, Clone)]
pub struct SystemFilter {
    /// Only systems whose owner is one of these (`None`: any owner)…
    pub owners_within: Option<Vec<Uuid>>,
    /// …or whose operator is one of these.
    pub or_operator_in: Vec<Uuid>,
    /// Only this owner.
    pub owner: Option<Uuid>,
    /// Only this security level.
    pub level: Option<i64>,
    /// Only this level status.
    pub status: Option<LevelStatus>,
    /// Only systems missing this.
    pub missing: Option<Missing>,
    /// Folded free text over name, purpose, providers, software and addresses.
    pub q: Option<String>,
}

/// A keyset page ordered by id (creation order).
pub async fn list(
    c: &mut AnyConnection,
    f: &SystemFilter,
    after: Option<Uuid>,
    limit: i64,
) -> Result<Page<System>> {
    let mut q = Sql::new("SELECT ");
    q.push(COLS).push(" WHERE 1 = 1");
    if let Some(ids) = &f.owners_within {
        q.push(" AND (s.owner_org_id IN ")
            .bind_list(ids.iter().copied())
            .push(" OR s.operator_org_id IN ")
            .bind_list(f.or_operator_in.iter().copied())
            .push(")");
    }
    if let Some(o) = f.owner {
        q.push(" AND s.owner_org_id = ").bind(o);
    }
    if let Some(l) = f.level {
        q.push(" AND s.security_level = ").bind(l);
    }
    if let Some(st) = f.status {
        q.push(" AND s.level_status = ").bind(st.as_str());
    }
    match f.missing {
        Some(Missing::Level) => {
            q.push(" AND s.security_level IS NULL");
        }
        Some(Missing::Operator) => {
            q.push(" AND s.operator_org_id IS NULL");
        }
        Some(Missing::Addresses) => {
            q.push(" AND NOT EXISTS (SELECT 1 FROM system_addresses a WHERE a.system_id = s.id)");
        }
        Some(Missing::Software) => {
            q.push(" AND NOT EXISTS (SELECT 1 FROM system_software w WHERE w.system_id = s.id)");
        }
        None => {}
    }
    if let Some(text) = &f.q {
        q.push(" AND s.search_text LIKE ")
            .bind(format!("%{}%", like_escape(&fold(text))))
            .push(" ESCAPE '\\'");
    }
    if let Some(a) = after {
        q.push(" AND s.id > ").bind(a);
    }
    q.push(" ORDER BY s.id LIMIT ").bind(limit + 1);
    let mut items: Vec<System> = q
        .query()
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(from_row)
        .collect::<Result<_>>()?;
    let next = if items.len() as i64 > limit {
        items.truncate(limit as usize);
        items.last().map(|s| s.id.to_string())
    } else {
        None
    };
    load_children(c, &mut items).await?;
    Ok(Page { items, next })
}
