//! Organisation pages: tree and search, detail, create, edit.

use super::{kinds, render};
use crate::State;
use crate::ctx::{Ctx, SignedIn, redirect_with_flash};
use crate::forms::PageId;
use crate::forms::{CsrfForm, field_errors, opt_uuid};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use std::collections::HashMap;
use ungcuu_core::CoreError;
use ungcuu_core::orgs::{self, NewOrg, OrgChanges};
use ungcuu_domain::Role;
use ungcuu_domain::permissions::Action;
use ungcuu_store::orgs::{Org, OrgFilter};
use ungcuu_store::users::{User, UserFilter};
use uuid::Uuid;

pub(super) fn router() -> Router<State> {
    Router::new()
        .route("/orgs", get(list).post(create))
        .route("/orgs/new", get(new_form))
        .route("/orgs/{id}", get(detail))
        .route("/orgs/{id}/edit", get(edit_form))
        .route("/orgs/{id}/edit", post(update))
}

#[derive(Template)]
#[template(path = "orgs.html")]
struct ListPage<'a> {
    c: &'a Ctx,
    rows: Vec<(Org, usize)>,
    q: String,
    kind: String,
    kinds: Vec<(&'static str, &'static str)>,
    next: Option<String>,
    can_create: bool,
}

#[derive(Deserialize)]
struct ListQuery {
    q: Option<String>,
    kind: Option<String>,
    after: Option<String>,
}

/// Readable organisations in tree order with their depth (orphans of the visible set are roots).
fn tree_order(orgs: Vec<Org>) -> Vec<(Org, usize)> {
    let ids: std::collections::HashSet<Uuid> = orgs.iter().map(|o| o.id).collect();
    let mut children: HashMap<Option<Uuid>, Vec<Org>> = HashMap::new();
    for o in orgs {
        let parent = o.parent_id.filter(|p| ids.contains(p));
        children.entry(parent).or_default().push(o);
    }
    let mut out = Vec::new();
    let mut stack: Vec<(Org, usize)> = children
        .remove(&None)
        .unwrap_or_default()
        .into_iter()
        .rev()
        .map(|o| (o, 0))
        .collect();
    while let Some((o, d)) = stack.pop() {
        if let Some(kids) = children.remove(&Some(o.id)) {
            stack.extend(kids.into_iter().rev().map(|k| (k, d + 1)));
        }
        out.push((o, d.min(9)));
    }
    out
}

async fn list(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    Query(q): Query<ListQuery>,
) -> Response {
    let actor = ctx.actor();
    let text =
        q.q.clone()
            .unwrap_or_default()
            .chars()
            .take(200)
            .collect::<String>();
    let kind = q.kind.clone().unwrap_or_default();
    let kind_filter = kind.parse().ok();
    let can_create = ctx
        .auth
        .as_ref()
        .is_some_and(|a| a.principal.can_somewhere(Action::OrgCreate));
    let (rows, next) = if text.trim().is_empty() && kind_filter.is_none() {
        match orgs::all_readable(&st.core, &actor).await {
            Ok(all) => (tree_order(all), None),
            Err(e) => return crate::error::core_page(&ctx, e),
        }
    } else {
        let after = q.after.as_deref().and_then(|a| Uuid::parse_str(a).ok());
        let filter = OrgFilter {
            q: Some(text.clone()).filter(|s| !s.trim().is_empty()),
            kind: kind_filter,
            ..Default::default()
        };
        match orgs::list(&st.core, &actor, filter, after, Some(50)).await {
            Ok(p) => (p.items.into_iter().map(|o| (o, 0)).collect(), p.next),
            Err(e) => return crate::error::core_page(&ctx, e),
        }
    };
    let kinds = kinds(&ctx);
    render(
        &ctx,
        ListPage {
            c: &ctx,
            rows,
            q: text,
            kind,
            kinds,
            next,
            can_create,
        },
    )
}

#[derive(Template)]
#[template(path = "org.html")]
struct DetailPage<'a> {
    c: &'a Ctx,
    org: Org,
    parent: Option<Org>,
    children: Vec<Org>,
    members: Option<Vec<(User, Role)>>,
    can_edit: bool,
}

async fn detail(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    PageId(id): PageId,
) -> Response {
    let actor = ctx.actor();
    let org = match orgs::get(&st.core, &actor, id).await {
        Ok(o) => o,
        Err(e) => return crate::error::core_page(&ctx, e),
    };
    let readable = match orgs::all_readable(&st.core, &actor).await {
        Ok(v) => v,
        Err(e) => return crate::error::core_page(&ctx, e),
    };
    let parent = org
        .parent_id
        .and_then(|p| readable.iter().find(|o| o.id == p).cloned());
    let children: Vec<Org> = readable
        .into_iter()
        .filter(|o| o.parent_id == Some(org.id))
        .collect();
    let principal = ctx.auth.as_ref().map(|a| a.principal.clone());
    let can_edit = principal
        .as_ref()
        .is_some_and(|p| p.can(Action::OrgUpdate, org.id));
    let members = if principal
        .as_ref()
        .is_some_and(|p| p.can(Action::UserRead, org.id))
    {
        let filter = UserFilter {
            org: Some(org.id),
            ..Default::default()
        };
        let users = match ungcuu_core::users::list(&st.core, &actor, filter, None, Some(200)).await
        {
            Ok(p) => p.items,
            Err(e) => return crate::error::core_page(&ctx, e),
        };
        let ms = match ungcuu_core::users::list_memberships(
            &st.core,
            &actor,
            None,
            Some(org.id),
            None,
            Some(200),
        )
        .await
        {
            Ok(p) => p.items,
            Err(e) => return crate::error::core_page(&ctx, e),
        };
        Some(
            ms.into_iter()
                .filter_map(|m| {
                    users
                        .iter()
                        .find(|u| u.id == m.user_id)
                        .map(|u| (u.clone(), m.role))
                })
                .collect(),
        )
    } else {
        None
    };
    render(
        &ctx,
        DetailPage {
            c: &ctx,
            org,
            parent,
            children,
            members,
            can_edit,
        },
    )
}

#[derive(Template)]
#[template(path = "org_form.html")]
struct FormPage<'a> {
    c: &'a Ctx,
    is_new: bool,
    action: String,
    cancel: String,
    name: String,
    short_name: String,
    slug: String,
    kind: String,
    parent_id: String,
    kinds: Vec<(&'static str, &'static str)>,
    parents: Vec<(String, String)>,
    allow_root: bool,
    errors: Vec<(String, String)>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct OrgForm {
    name: String,
    short_name: String,
    slug: String,
    kind: String,
    parent_id: Option<String>,
}

async fn parent_choices(st: &State, ctx: &Ctx) -> Result<Vec<(String, String)>, CoreError> {
    let all = orgs::all_readable(&st.core, &ctx.actor()).await?;
    let principal = ctx.auth.as_ref().map(|a| a.principal.clone());
    Ok(tree_order(all)
        .into_iter()
        .filter(|(o, _)| {
            principal
                .as_ref()
                .is_none_or(|p| p.can(Action::OrgCreate, o.id))
        })
        .map(|(o, d)| (o.id.to_string(), format!("{}{}", "— ".repeat(d), o.name)))
        .collect())
}

#[allow(clippy::too_many_arguments)]
async fn form_page(
    st: &State,
    ctx: &Ctx,
    is_new: bool,
    id: Option<Uuid>,
    f: OrgForm,
    errors: Vec<(String, String)>,
    status: StatusCode,
) -> Response {
    let parents = match parent_choices(st, ctx).await {
        Ok(p) => p,
        Err(e) => return crate::error::core_page(ctx, e),
    };
    // A root stays a root when edited by someone who may not create roots.
    let allow_root = ctx.auth.as_ref().is_some_and(|a| a.principal.is_admin())
        || (!is_new && f.parent_id.as_deref().unwrap_or("").is_empty());
    let (action, cancel) = match id {
        Some(id) => (format!("/orgs/{id}/edit"), format!("/orgs/{id}")),
        None => ("/orgs".to_string(), "/orgs".to_string()),
    };
    let page = FormPage {
        c: ctx,
        is_new,
        action,
        cancel,
        name: f.name,
        short_name: f.short_name,
        slug: f.slug,
        kind: if f.kind.is_empty() {
            "department".into()
        } else {
            f.kind
        },
        parent_id: f.parent_id.unwrap_or_default(),
        kinds: kinds(ctx),
        parents,
        allow_root,
        errors,
    };
    let mut r = render(ctx, page);
    *r.status_mut() = status;
    r
}

async fn new_form(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
) -> Response {
    form_page(
        &st,
        &ctx,
        true,
        None,
        OrgForm::default(),
        vec![],
        StatusCode::OK,
    )
    .await
}

async fn create(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    CsrfForm(f): CsrfForm<OrgForm>,
) -> Response {
    let Ok(parent_id) = opt_uuid(&f.parent_id) else {
        let errs = vec![("parent_id".to_string(), ctx.t("err.uuid").to_string())];
        return form_page(
            &st,
            &ctx,
            true,
            None,
            f,
            errs,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let new = NewOrg {
        slug: f.slug.clone(),
        name: f.name.clone(),
        short_name: Some(f.short_name.clone()),
        kind: f.kind.clone(),
        parent_id,
    };
    match orgs::create(&st.core, &ctx.actor(), new).await {
        Ok(o) => redirect_with_flash(&ctx, &format!("/orgs/{}", o.id), "flash.org_created"),
        Err(CoreError::Invalid(errs)) => {
            let errs = field_errors(&ctx, &errs);
            form_page(
                &st,
                &ctx,
                true,
                None,
                f,
                errs,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => crate::error::core_page(&ctx, e),
    }
}

async fn edit_form(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    Path(id): Path<Uuid>,
) -> Response {
    let actor = ctx.actor();
    let org = match orgs::get(&st.core, &actor, id).await {
        Ok(o) => o,
        Err(e) => return crate::error::core_page(&ctx, e),
    };
    if !ctx
        .auth
        .as_ref()
        .is_some_and(|a| a.principal.can(Action::OrgUpdate, org.id))
    {
        return crate::error::page(&ctx, StatusCode::FORBIDDEN);
    }
    let f = OrgForm {
        name: org.name,
        short_name: org.short_name.unwrap_or_default(),
        slug: org.slug,
        kind: org.kind.as_str().into(),
        parent_id: org.parent_id.map(|p| p.to_string()),
    };
    form_page(&st, &ctx, false, Some(id), f, vec![], StatusCode::OK).await
}

async fn update(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    Path(id): Path<Uuid>,
    CsrfForm(f): CsrfForm<OrgForm>,
) -> Response {
    let Ok(parent_id) = opt_uuid(&f.parent_id) else {
        let errs = vec![("parent_id".to_string(), ctx.t("err.uuid").to_string())];
        return form_page(
            &st,
            &ctx,
            false,
            Some(id),
            f,
            errs,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let ch = OrgChanges {
        name: Some(f.name.clone()),
        short_name: Some(f.short_name.clone()),
        kind: Some(f.kind.clone()),
        parent_id: Some(parent_id),
    };
    match orgs::update(&st.core, &ctx.actor(), id, ch).await {
        Ok(o) => redirect_with_flash(&ctx, &format!("/orgs/{}", o.id), "flash.saved"),
        Err(CoreError::Invalid(errs)) => {
            let errs = field_errors(&ctx, &errs);
            form_page(
                &st,
                &ctx,
                false,
                Some(id),
                f,
                errs,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => crate::error::core_page(&ctx, e),
    }
}
