//! Server-rendered pages. Each works without JavaScript.

mod account;
mod audit;
mod clocks;
mod constituency;
mod coordination;
mod document_form;
mod document_settings;
mod documents;
mod evidence;
mod home;
mod incidents;
mod intake;
mod links;
mod mfa;
mod network;
mod notices;
mod orgs;
mod settings;
mod severity;
mod systems;
mod tasks;
mod users;

use crate::State;
use crate::ctx::Ctx;
use askama::Template;
use axum::Router;
use axum::response::{Html, IntoResponse, Response};
use ungcuu_domain::{OrgKind, Role};

/// Routes for every page.
pub fn router() -> Router<State> {
    Router::new()
        .merge(account::router())
        .merge(home::router())
        .merge(links::router())
        .merge(mfa::router())
        .merge(network::router())
        .merge(settings::router())
        .merge(severity::router())
        .merge(document_settings::router())
        .merge(systems::router())
        .merge(orgs::router())
        .merge(users::router())
        .merge(audit::router())
        .merge(constituency::router())
        .merge(incidents::router())
        .merge(evidence::router())
        .merge(clocks::router())
        .merge(notices::router())
        .merge(tasks::router())
        .merge(coordination::router())
        .merge(documents::router())
}

/// Renders a template, or a 500 page if rendering fails.
pub fn render<T: Template>(ctx: &Ctx, t: T) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => crate::error::internal(ctx.lang, &ctx.request_id, &e),
    }
}

/// A role's label in the interface language.
pub fn role_label(c: &Ctx, r: &Role) -> &'static str {
    match c.lang {
        crate::i18n::Lang::Vi => r.label_vi(),
        crate::i18n::Lang::En => r.label_en(),
    }
}

/// A kind's label in the interface language.
pub fn kind_label(c: &Ctx, k: &OrgKind) -> &'static str {
    match c.lang {
        crate::i18n::Lang::Vi => k.label_vi(),
        crate::i18n::Lang::En => k.label_en(),
    }
}

/// A stored UTC time shown in Vietnam time.
pub fn stored_time(s: &str) -> String {
    ungcuu_domain::timefmt::from_db(s)
        .map(ungcuu_domain::timefmt::show)
        .unwrap_or_else(|| s.to_string())
}

/// (code, label) of every kind.
pub(crate) fn kinds(c: &Ctx) -> Vec<(&'static str, &'static str)> {
    OrgKind::ALL
        .into_iter()
        .map(|k| (k.as_str(), kind_label(c, &k)))
        .collect()
}

/// (code, label) of the roles the person may hand out.
pub(crate) fn grantable_roles(c: &Ctx) -> Vec<(&'static str, &'static str)> {
    let admin = c.auth.as_ref().is_some_and(|a| a.principal.is_admin());
    Role::ALL
        .into_iter()
        .filter(|r| admin || *r != Role::Admin)
        .map(|r| (r.as_str(), role_label(c, &r)))
        .collect()
}
