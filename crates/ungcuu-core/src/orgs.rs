//! Organisations: the tree of the provincial network.

use crate::audit::{denied, require};
use crate::{Actor, Core, CoreError, Result};
use serde_json::json;
use ungcuu_domain::OrgKind;
use ungcuu_domain::permissions::{Action, OrgTree, Visibility};
use ungcuu_domain::timefmt::now;
use ungcuu_domain::validate::Errors;
use ungcuu_store::orgs::{self, Org, OrgFilter};
use ungcuu_store::{Page, StoreError, audit, commit, grants};
use uuid::Uuid;

/// The object type organisations have in grants and the audit log.
pub const OBJECT: &str = "organization";

/// What a new organisation needs.
#[derive(Debug, Clone, Default)]
pub struct NewOrg {
    /// URL identifier.
    pub slug: String,
    /// Full name.
    pub name: String,
    /// Abbreviation.
    pub short_name: Option<String>,
    /// Kind name.
    pub kind: String,
    /// Parent organisation.
    pub parent_id: Option<Uuid>,
}

/// The editable fields of an organisation (explicitly listed: nothing else can be set).
#[derive(Debug, Clone, Default)]
pub struct OrgChanges {
    /// New name.
    pub name: Option<String>,
    /// New abbreviation (`Some("")` clears it).
    pub short_name: Option<String>,
    /// New kind.
    pub kind: Option<String>,
    /// New parent (`Some(None)` makes it a root; only administrators may).
    pub parent_id: Option<Option<Uuid>>,
}

fn short(errs: &mut Errors, v: Option<&str>) -> Option<String> {
    v.map(ungcuu_domain::text::nfc)
        .filter(|s| !s.is_empty())
        .inspect(|s| {
            if s.chars().count() > 60 {
                errs.add("short_name", "err.too_long");
            }
        })
}

fn kind(errs: &mut Errors, v: &str) -> OrgKind {
    v.parse().unwrap_or_else(|_| {
        errs.add("kind", "err.kind");
        OrgKind::Unit
    })
}

/// Creates an organisation under `parent_id` (a root only for administrators and the CLI).
pub async fn create(core: &Core, actor: &Actor, new: NewOrg) -> Result<Org> {
    let mut errs = Errors::default();
    let slug = errs.slug("slug", &new.slug);
    let name = errs.text("name", &new.name, 200);
    let short_name = short(&mut errs, new.short_name.as_deref());
    let kind = kind(&mut errs, &new.kind);
    errs.into_result().map_err(CoreError::Invalid)?;
    match new.parent_id {
        Some(p) => {
            let mut c = core.db.conn().await?;
            if orgs::get(&mut c, p).await?.is_none() {
                return Err(CoreError::field("parent_id", "err.parent_missing"));
            }
            drop(c);
            require(core, actor, Action::OrgCreate, p, OBJECT, None)
                .await
                .map_err(|_| CoreError::field("parent_id", "err.parent_forbidden"))?;
        }
        None => {
            if actor.principal.as_ref().is_some_and(|p| !p.is_admin()) {
                return Err(denied(
                    core,
                    actor,
                    Action::OrgCreate,
                    OBJECT,
                    None,
                    None,
                    CoreError::field("parent_id", "err.parent_required"),
                )
                .await);
            }
        }
    }
    let t = now();
    let org = Org {
        id: Uuid::now_v7(),
        slug,
        name,
        short_name,
        kind,
        parent_id: new.parent_id,
        created_at: t,
        updated_at: t,
    };
    let mut tx = core.db.begin().await?;
    orgs::insert(&mut tx, &org).await.map_err(slug_taken)?;
    let ev = actor.event(
        "org.create",
        OBJECT,
        Some(org.id.to_string()),
        Some(org.id),
        snapshot(&org),
    );
    audit::append(&mut tx, &ev, t).await?;
    commit(tx).await?;
    Ok(org)
}

fn slug_taken(e: StoreError) -> CoreError {
    if e.is_unique_on("slug") {
        CoreError::field("slug", "err.slug_taken")
    } else {
        e.into()
    }
}

fn snapshot(o: &Org) -> serde_json::Value {
    json!({
        "slug": o.slug, "name": o.name, "short_name": o.short_name,
        "kind": o.kind.as_str(), "parent_id": o.parent_id,
    })
}

/// Changes an organisation. Authorised on the loaded row; moving it also needs rights on the
/// new parent, and it can never be moved under itself.
pub async fn update(core: &Core, actor: &Actor, id: Uuid, ch: OrgChanges) -> Result<Org> {
    let before = get(core, actor, id).await?;
    require(
        core,
        actor,
        Action::OrgUpdate,
        before.id,
        OBJECT,
        Some(id.to_string()),
    )
    .await?;
    let mut errs = Errors::default();
    let mut org = before.clone();
    if let Some(n) = &ch.name {
        org.name = errs.text("name", n, 200);
    }
    if let Some(s) = &ch.short_name {
        org.short_name = short(&mut errs, Some(s));
    }
    if let Some(k) = &ch.kind {
        org.kind = kind(&mut errs, k);
    }
    errs.into_result().map_err(CoreError::Invalid)?;
    if let Some(parent) = ch.parent_id
        && parent != before.parent_id
    {
        {
            match parent {
                None => {
                    if actor.principal.as_ref().is_some_and(|p| !p.is_admin()) {
                        return Err(CoreError::field("parent_id", "err.parent_required"));
                    }
                }
                Some(p) => {
                    let mut c = core.db.conn().await?;
                    if orgs::get(&mut c, p).await?.is_none() {
                        return Err(CoreError::field("parent_id", "err.parent_missing"));
                    }
                    let tree = OrgTree::new(orgs::tree_pairs(&mut c).await?);
                    drop(c);
                    if tree.subtree(id).contains(&p) {
                        return Err(CoreError::field("parent_id", "err.parent_cycle"));
                    }
                    require(
                        core,
                        actor,
                        Action::OrgCreate,
                        p,
                        OBJECT,
                        Some(id.to_string()),
                    )
                    .await
                    .map_err(|_| CoreError::field("parent_id", "err.parent_forbidden"))?;
                }
            }
            org.parent_id = parent;
        }
    }
    if org == before {
        return Ok(org);
    }
    let t = now();
    org.updated_at = t;
    let mut tx = core.db.begin().await?;
    orgs::update(&mut tx, &org).await.map_err(slug_taken)?;
    let ev = actor.event(
        "org.update",
        OBJECT,
        Some(id.to_string()),
        Some(id),
        json!({ "before": snapshot(&before), "after": snapshot(&org) }),
    );
    audit::append(&mut tx, &ev, t).await?;
    commit(tx).await?;
    Ok(org)
}

/// The organisations the actor may read: by role, plus those granted to them.
pub async fn readable(core: &Core, actor: &Actor) -> Result<Visibility> {
    let Some(p) = &actor.principal else {
        return Ok(Visibility::All);
    };
    let mut vis = p.visibility(Action::OrgRead);
    if vis == Visibility::All {
        return Ok(vis);
    }
    let mut c = core.db.conn().await?;
    let granted = grants::granted_ids(&mut c, OBJECT, p.user_id, &p.org_ids(), false).await?;
    if !granted.is_empty() {
        let mut set = match vis {
            Visibility::Orgs(s) => s,
            _ => Default::default(),
        };
        set.extend(granted);
        vis = Visibility::Orgs(set);
    }
    Ok(vis)
}

/// One organisation, if the actor may read it. Unreadable and missing look the same.
pub async fn get(core: &Core, actor: &Actor, id: Uuid) -> Result<Org> {
    let org = {
        let mut c = core.db.conn().await?;
        orgs::get(&mut c, id).await?
    };
    let Some(org) = org else {
        return Err(CoreError::NotFound);
    };
    if readable(core, actor).await?.contains(org.id) {
        Ok(org)
    } else {
        Err(denied(
            core,
            actor,
            Action::OrgRead,
            OBJECT,
            Some(id.to_string()),
            Some(org.id),
            CoreError::NotFound,
        )
        .await)
    }
}

/// One organisation by slug, if readable.
pub async fn by_slug(core: &Core, actor: &Actor, slug: &str) -> Result<Org> {
    let org = {
        let mut c = core.db.conn().await?;
        orgs::by_slug(&mut c, slug).await?
    };
    match org {
        Some(o) => get(core, actor, o.id).await,
        None => Err(CoreError::NotFound),
    }
}

/// A page of readable organisations.
pub async fn list(
    core: &Core,
    actor: &Actor,
    mut filter: OrgFilter,
    after: Option<Uuid>,
    limit: Option<i64>,
) -> Result<Page<Org>> {
    filter.within = readable(core, actor).await?.org_ids();
    let mut c = core.db.conn().await?;
    Ok(orgs::list(&mut c, &filter, after, ungcuu_store::page_limit(limit)).await?)
}

/// Every readable organisation, for the tree view and pickers.
pub async fn all_readable(core: &Core, actor: &Actor) -> Result<Vec<Org>> {
    let vis = readable(core, actor).await?;
    let mut c = core.db.conn().await?;
    let mut list: Vec<(String, Org)> = orgs::all(&mut c)
        .await?
        .into_iter()
        .filter(|o| vis.contains(o.id))
        .map(|o| (ungcuu_domain::text::fold(&o.name), o))
        .collect();
    // Byte order puts "Ủy ban" after "Văn phòng"; folded order reads the way people expect.
    list.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.id.cmp(&b.1.id)));
    Ok(list.into_iter().map(|(_, o)| o).collect())
}
