//! The overview page.

use super::render;
use crate::State;
use crate::ctx::{Ctx, SignedIn};
use askama::Template;
use axum::Router;
use axum::response::Response;
use axum::routing::get;
use ungcuu_store::users::{MembershipRow, UserFilter};

pub(super) fn router() -> Router<State> {
    Router::new().route("/", get(home))
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage<'a> {
    c: &'a Ctx,
    memberships: &'a [MembershipRow],
    orgs: usize,
    users: String,
}

async fn home(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
) -> Response {
    let actor = ctx.actor();
    let orgs = match ungcuu_core::orgs::all_readable(&st.core, &actor).await {
        Ok(o) => o.len(),
        Err(e) => return crate::error::core_page(&ctx, e),
    };
    // Counting people is a page of at most 200; beyond that the figure says "200+".
    let users =
        match ungcuu_core::users::list(&st.core, &actor, UserFilter::default(), None, Some(200))
            .await
        {
            Ok(p) if p.next.is_some() => format!("{}+", p.items.len()),
            Ok(p) => p.items.len().to_string(),
            Err(e) => return crate::error::core_page(&ctx, e),
        };
    let auth = ctx.auth.clone();
    let memberships = auth
        .as_ref()
        .map(|a| a.memberships.as_slice())
        .unwrap_or(&[]);
    render(
        &ctx,
        HomePage {
            c: &ctx,
            memberships,
            orgs,
            users,
        },
    )
}
