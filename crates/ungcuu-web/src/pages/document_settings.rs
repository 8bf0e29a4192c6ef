//! The coordinator's page for the document settings: the place printed before the date, the
//! national coordinator's reporting address, and the second-person approval of sendings to it.
//! The API (`PUT /api/v1/settings/documents`) edits the same data; both go through
//! `document_settings::set`, which authorises, validates and audits.

use super::render;
use crate::State;
use crate::ctx::{Ctx, SignedIn, redirect_with_flash};
use crate::forms::{CsrfForm, field_errors};
use askama::Template;
use axum::Router;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;
use ungcuu_core::CoreError;
use ungcuu_core::document_settings::{self as core_settings, DocumentSettings};

pub(super) fn router() -> Router<State> {
    Router::new().route("/settings/documents", get(page).post(save))
}

#[derive(Template)]
#[template(path = "document_settings.html")]
struct SettingsPage<'a> {
    c: &'a Ctx,
    s: DocumentSettings,
    place_max: usize,
    errors: Vec<(String, String)>,
}

fn show(ctx: &Ctx, s: DocumentSettings, errors: Vec<(String, String)>) -> Response {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut r = render(
        ctx,
        SettingsPage {
            c: ctx,
            s,
            place_max: core_settings::PLACE_MAX,
            errors,
        },
    );
    *r.status_mut() = status;
    r
}

async fn page(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
) -> Response {
    match core_settings::get(&st.core, &ctx.actor()).await {
        Ok(s) => show(&ctx, s, Vec::new()),
        Err(e) => crate::error::core_page(&ctx, e),
    }
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct SettingsForm {
    place: String,
    national_coordinator_email: String,
    /// A checkbox: present when ticked.
    national_approval: Option<String>,
}

async fn save(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    CsrfForm(f): CsrfForm<SettingsForm>,
) -> Response {
    let new = DocumentSettings {
        place: f.place,
        national_coordinator_email: f.national_coordinator_email,
        national_approval: f.national_approval.is_some(),
    };
    match core_settings::set(&st.core, &ctx.actor(), new.clone()).await {
        Ok(_) => redirect_with_flash(&ctx, "/settings/documents", "flash.saved"),
        Err(CoreError::Invalid(errs)) => show(&ctx, new, field_errors(&ctx, &errs)),
        Err(e) => crate::error::core_page(&ctx, e),
    }
}
