//! How a person is told: the e-mail preferences page, following an incident (the button and the
//! live-update banner on the incident page), and saved filters of the incident queue.

use super::render;
use crate::State;
use crate::ctx::{Ctx, SignedIn, redirect_with_flash};
use crate::forms::PageId;
use crate::forms::{CsrfForm, field_errors};
use askama::Template;
use axum::Router;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use ungcuu_core::CoreError;
use ungcuu_core::notices;
use ungcuu_domain::notice::{Mode, Topic};
use uuid::Uuid;

/// Routes of these pages.
pub(crate) fn router() -> Router<State> {
    Router::new()
        .route(
            "/notifications/preferences",
            get(preferences).post(save_preferences),
        )
        .route("/incidents/{id}/follow", post(follow))
        .route("/incidents/filters", post(save_filter))
        .route("/incidents/filters/{id}/delete", post(delete_filter))
}

fn topic_key(t: Topic) -> &'static str {
    match t {
        Topic::Assignment => "notices.topic.assignment",
        Topic::Mention => "notices.topic.mention",
        Topic::IncidentState => "notices.topic.incident_state",
        Topic::Request => "notices.topic.request",
        Topic::Clock => "notices.topic.clock",
        Topic::Document => "notices.topic.document",
        Topic::Network => "notices.topic.network",
    }
}

fn mode_key(m: Mode) -> &'static str {
    match m {
        Mode::Now => "notices.mode.now",
        Mode::Digest => "notices.mode.digest",
        Mode::Off => "notices.mode.off",
    }
}

/// One topic's row on the preferences page.
struct TopicRow {
    code: &'static str,
    label: &'static str,
    modes: Vec<(&'static str, &'static str, bool)>,
}

#[derive(Template)]
#[template(path = "notice_prefs.html")]
struct PrefsPage<'a> {
    c: &'a Ctx,
    rows: Vec<TopicRow>,
    hours: Vec<(i64, bool)>,
    errors: Vec<(String, String)>,
}

async fn prefs_page(
    st: &State,
    ctx: &Ctx,
    errors: Vec<(String, String)>,
    status: StatusCode,
) -> Response {
    let p = match notices::preferences(&st.core, &ctx.actor()).await {
        Ok(p) => p,
        Err(e) => return crate::error::core_page(ctx, e),
    };
    let rows = p
        .modes
        .iter()
        .map(|(t, m)| TopicRow {
            code: t.as_str(),
            label: ctx.t(topic_key(*t)),
            modes: Mode::ALL
                .into_iter()
                .map(|x| (x.as_str(), ctx.t(mode_key(x)), x == *m))
                .collect(),
        })
        .collect();
    let hours = (0..24).map(|h| (h, h == p.digest_hour)).collect();
    let mut r = render(
        ctx,
        PrefsPage {
            c: ctx,
            rows,
            hours,
            errors,
        },
    );
    *r.status_mut() = status;
    r
}

async fn preferences(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
) -> Response {
    prefs_page(&st, &ctx, vec![], StatusCode::OK).await
}

async fn save_preferences(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let mut modes = Vec::new();
    let mut hour = None;
    let mut bad_hour = false;
    for (k, v) in form {
        if let Some(topic) = k.strip_prefix("mode.") {
            modes.push((topic.to_string(), v));
        } else if k == "digest_hour" {
            match v.trim().parse::<i64>() {
                Ok(h) => hour = Some(h),
                Err(_) => bad_hour = true,
            }
        }
    }
    let r = if bad_hour {
        Err(CoreError::field("digest_hour", "err.hour_range"))
    } else {
        notices::set_preferences(&st.core, &ctx.actor(), &modes, hour).await
    };
    match r {
        Ok(_) => redirect_with_flash(&ctx, "/notifications/preferences", "flash.saved"),
        Err(CoreError::Invalid(errs)) => {
            let errs = field_errors(&ctx, &errs);
            prefs_page(&st, &ctx, errs, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => crate::error::core_page(&ctx, e),
    }
}

#[derive(Template)]
#[template(path = "incident_follow.html")]
struct FollowSection<'a> {
    c: &'a Ctx,
    id: Uuid,
    following: bool,
    /// Where the audit chain stood when the page was drawn, for the live stream.
    since: i64,
}

/// The follow button and the (hidden until something changes) live-update banner of the
/// incident page.
pub(crate) async fn section(st: &State, ctx: &Ctx, id: Uuid) -> String {
    let following = notices::following(&st.core, &ctx.actor(), id)
        .await
        .unwrap_or(false);
    let since = ungcuu_core::live::open(&st.core, &ctx.actor(), id, None)
        .await
        .map(|(_, s)| s)
        .unwrap_or(0);
    FollowSection {
        c: ctx,
        id,
        following,
        since,
    }
    .render()
    .unwrap_or_default()
}

#[derive(Deserialize)]
struct FollowForm {
    /// `1` to follow, anything else to stop.
    on: String,
}

async fn follow(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    PageId(id): PageId,
    CsrfForm(f): CsrfForm<FollowForm>,
) -> Response {
    let on = f.on == "1";
    match notices::set_following(&st.core, &ctx.actor(), id, on).await {
        Ok(_) => redirect_with_flash(
            &ctx,
            &format!("/incidents/{id}"),
            if on {
                "notices.flash.following"
            } else {
                "notices.flash.unfollowed"
            },
        ),
        Err(e) => crate::error::core_page(&ctx, e),
    }
}

#[derive(Template)]
#[template(path = "incident_filters.html")]
struct FiltersSection<'a> {
    c: &'a Ctx,
    saved: Vec<(Uuid, String, String)>,
    current: &'a str,
}

/// The saved filters of the queue page and the form saving the current one.
pub(crate) async fn filters_section(st: &State, ctx: &Ctx, current: &str) -> String {
    let saved = notices::saved_filters(&st.core, &ctx.actor())
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|f| (f.id, f.name, f.query))
        .collect();
    FiltersSection {
        c: ctx,
        saved,
        current,
    }
    .render()
    .unwrap_or_default()
}

#[derive(Deserialize)]
struct SaveFilterForm {
    name: String,
    query: String,
}

async fn save_filter(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    CsrfForm(f): CsrfForm<SaveFilterForm>,
) -> Response {
    match notices::save_filter(&st.core, &ctx.actor(), &f.name, &f.query).await {
        Ok(saved) => redirect_with_flash(
            &ctx,
            &format!("/incidents?{}", saved.query),
            "notices.flash.filter_saved",
        ),
        Err(CoreError::Invalid(errs)) => {
            // The queue keeps its own form; the reason gets a page of its own with a way back.
            let key = errs.first().map(|e| e.code).unwrap_or("err.invalid");
            crate::error::page_with(
                &ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                "notices.filter_not_saved",
                key,
            )
        }
        Err(e) => crate::error::core_page(&ctx, e),
    }
}

async fn delete_filter(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    PageId(id): PageId,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Response {
    match notices::delete_filter(&st.core, &ctx.actor(), id).await {
        Ok(()) => redirect_with_flash(&ctx, "/incidents", "notices.flash.filter_deleted"),
        Err(e) => crate::error::core_page(&ctx, e),
    }
}
