//! Coordination and steering on the incident page ("Phối hợp" and, for serious incidents,
//! "Chỉ đạo"), their forms, and the requests inbox (`/requests`).
//!
//! The forms name their fields with a prefix (`request_subject`, `direction_text`…) so an
//! error shows beside the form it belongs to, not beside every field called `text` on the page.

use super::render;
use crate::State;
use crate::ctx::{Ctx, SignedIn, redirect_with_flash};
use crate::forms::PageId;
use crate::forms::{CsrfForm, err_for};
use askama::Template;
use axum::Router;
use axum::response::Response;
use axum::routing::{get, post};
use ungcuu_core::CoreError;
use ungcuu_core::coordination::{self as core_coord, RequestView};
use ungcuu_core::steering::{self as core_steer, NewDirection, NewStatement};
use ungcuu_domain::coordination::{CHANNELS, Status, Target};
use ungcuu_domain::incident::{Severity, choice_label};
use ungcuu_store::coordination::Request;
use uuid::Uuid;

pub(super) fn router() -> Router<State> {
    Router::new()
        .route("/requests", get(inbox))
        .route("/incidents/{id}/requests", post(create_request))
        .route("/requests/{id}/replies", post(reply))
        .route("/requests/{id}/status", post(set_status))
        .route("/incidents/{id}/directions", post(add_direction))
        .route("/incidents/{id}/information-roles", post(name_person))
        .route("/information-roles/{id}/end", post(end_naming))
        .route("/incidents/{id}/statements", post(add_statement))
        .route("/incidents/{id}/convene", post(convene))
}

fn get_field(pairs: &[(String, String)], k: &str) -> String {
    pairs
        .iter()
        .find(|(n, _)| n == k)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

struct ReplyLine {
    author: String,
    at: String,
    text: String,
    status: String,
}

struct RequestLine {
    id: Uuid,
    subject: String,
    body: String,
    from: String,
    to: String,
    due: String,
    status: &'static str,
    status_code: String,
    overdue: bool,
    by: String,
    replies: Vec<ReplyLine>,
    moves: Vec<(&'static str, &'static str)>,
    can_reply: bool,
}

fn to_label(c: &Ctx, r: &Request) -> String {
    match (&r.to_org_name, &r.to_contact) {
        (Some(n), _) => n.clone(),
        (None, Some(contact)) => format!("{} ({contact})", c.t(Target::National.label_key())),
        (None, None) => c.t(Target::National.label_key()).into(),
    }
}

fn status_label(c: &Ctx, s: &str) -> &'static str {
    s.parse::<Status>()
        .map(|s| c.t(s.label_key()))
        .unwrap_or("—")
}

fn request_line(c: &Ctx, v: RequestView) -> RequestLine {
    let r = v.request;
    RequestLine {
        id: r.id,
        to: to_label(c, &r),
        subject: r.subject,
        body: r.body,
        from: r.from_org_name,
        due: c.dt(&r.due_at),
        status: status_label(c, &r.status),
        status_code: r.status,
        overdue: v.overdue,
        by: r.created_label,
        replies: v
            .replies
            .into_iter()
            .map(|x| ReplyLine {
                author: x.author_label,
                at: c.dt(&x.created_at),
                text: x.body,
                status: x
                    .status_to
                    .as_deref()
                    .map(|s| status_label(c, s).to_string())
                    .unwrap_or_default(),
            })
            .collect(),
        moves: v
            .moves
            .into_iter()
            .map(|s| (s.as_str(), c.t(s.label_key())))
            .collect(),
        can_reply: v.can_reply,
    }
}

#[derive(Template)]
#[template(path = "coordination_section.html")]
struct CoordinationSection<'a> {
    c: &'a Ctx,
    id: Uuid,
    requests: Vec<RequestLine>,
    can_ask: bool,
    orgs: Vec<(Uuid, String)>,
    targets: Vec<(&'static str, &'static str)>,
    national: String,
    errors: &'a [(String, String)],
    form: &'a [(String, String)],
}

impl CoordinationSection<'_> {
    fn err(&self, f: &str) -> &str {
        err_for(self.errors, f)
    }
    fn val(&self, f: &str) -> String {
        get_field(self.form, f)
    }
}

struct DirectionLine {
    text: String,
    given_by: String,
    given_at: String,
    to: String,
    recorded_by: String,
}

struct NamingLine {
    id: Uuid,
    role: &'static str,
    name: String,
    contact: String,
    since: String,
    until: String,
    current: bool,
}

struct StatementLine {
    said_at: String,
    said_by: String,
    channel: &'static str,
    text: String,
}

struct ConveningLine {
    at: String,
    reason: String,
    by: String,
    members: usize,
}

#[derive(Template)]
#[template(path = "steering_section.html")]
struct SteeringSection<'a> {
    c: &'a Ctx,
    id: Uuid,
    escalated: bool,
    can_steer: bool,
    directions: Vec<DirectionLine>,
    people: Vec<NamingLine>,
    statements: Vec<StatementLine>,
    convenings: Vec<ConveningLine>,
    orgs: Vec<(Uuid, String)>,
    channels: Vec<(&'static str, &'static str)>,
    errors: &'a [(String, String)],
    form: &'a [(String, String)],
}

impl SteeringSection<'_> {
    fn err(&self, f: &str) -> &str {
        err_for(self.errors, f)
    }
    fn val(&self, f: &str) -> String {
        get_field(self.form, f)
    }
}

/// The coordination section and, for a serious or escalated incident, the steering section of
/// incident `id`, rendered (empty when the person may not read it, which the page has already
/// refused). `errors` and `form` come back from a refused form of these sections.
pub(crate) async fn sections(
    st: &State,
    ctx: &Ctx,
    id: Uuid,
    errors: &[(String, String)],
    form: &[(String, String)],
) -> String {
    let actor = ctx.actor();
    let Ok(i) = ungcuu_core::incidents::get(&st.core, &actor, id).await else {
        return String::new();
    };
    let requests = core_coord::for_incident(&st.core, &actor, id)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|v| request_line(ctx, v))
        .collect();
    let can_ask = core_coord::can_work_on(&st.core, &actor, &i)
        .await
        .unwrap_or(false);
    let orgs: Vec<(Uuid, String)> = core_coord::addressable_orgs(&st.core, &actor)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let national = core_coord::national_contact(&st.core)
        .await
        .map(|n| n.line())
        .unwrap_or_default();
    let coordination = CoordinationSection {
        c: ctx,
        id,
        requests,
        can_ask,
        orgs: orgs.clone(),
        targets: Target::ALL
            .iter()
            .map(|t| (t.as_str(), ctx.t(t.label_key())))
            .collect(),
        national,
        errors,
        form,
    }
    .render()
    .unwrap_or_default();
    let sv = core_steer::view(&st.core, &actor, id)
        .await
        .unwrap_or_default();
    if i.severity != Severity::Serious && !sv.escalated {
        return coordination;
    }
    let steering = SteeringSection {
        c: ctx,
        id,
        escalated: sv.escalated,
        can_steer: sv.can_steer,
        directions: sv
            .directions
            .into_iter()
            .map(|d| DirectionLine {
                text: d.text,
                given_by: d.given_by,
                given_at: ctx.dt(&d.given_at),
                to: d.addressed_org_name.unwrap_or_default(),
                recorded_by: d.recorded_label,
            })
            .collect(),
        people: sv
            .roles
            .into_iter()
            .map(|r| NamingLine {
                id: r.id,
                role: ctx.t(if r.role == "spokesperson" {
                    "steer.spokesperson"
                } else {
                    "steer.releaser"
                }),
                name: r.name,
                contact: r.contact.unwrap_or_default(),
                since: ctx.dt(&r.valid_from),
                until: ctx.odt(&r.valid_to),
                current: r.valid_to.is_none(),
            })
            .collect(),
        statements: sv
            .statements
            .into_iter()
            .map(|s| StatementLine {
                said_at: ctx.dt(&s.said_at),
                said_by: s.said_by,
                channel: ctx.t(choice_label(CHANNELS, &s.channel)),
                text: s.text,
            })
            .collect(),
        convenings: sv
            .convenings
            .into_iter()
            .map(|cv| ConveningLine {
                at: ctx.dt(&cv.convened_at),
                reason: cv.reason,
                by: cv.convened_by,
                members: cv.members.len(),
            })
            .collect(),
        orgs,
        channels: CHANNELS.iter().map(|(k, l)| (*k, ctx.t(l))).collect(),
        errors,
        form,
    }
    .render()
    .unwrap_or_default();
    coordination + &steering
}

/// Renames the fields of validation errors to the prefixed names of the form that sent them.
fn prefixed<T>(r: ungcuu_core::Result<T>, prefix: &str) -> ungcuu_core::Result<T> {
    r.map_err(|e| match e {
        CoreError::Invalid(errs) => CoreError::Invalid(
            errs.into_iter()
                .map(|mut f| {
                    f.field = format!("{prefix}_{}", f.field);
                    f
                })
                .collect(),
        ),
        e => e,
    })
}

async fn back<T>(
    st: &State,
    ctx: &Ctx,
    incident: Uuid,
    r: ungcuu_core::Result<T>,
    pairs: Vec<(String, String)>,
    prefix: &str,
    flash: &str,
) -> Response {
    super::incidents::after_form(st, ctx, incident, prefixed(r, prefix), pairs, flash).await
}

async fn create_request(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    PageId(id): PageId,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let g = |k: &str| get_field(&pairs, k);
    let to_org = g("request_to_org_id");
    let Ok(to_org_id) = crate::forms::opt_uuid(&Some(to_org)) else {
        let r: ungcuu_core::Result<()> = Err(CoreError::field("to_org_id", "err.org_missing"));
        return back(&st, &ctx, id, r, pairs, "request", "flash.saved").await;
    };
    let new = core_coord::NewRequest {
        target: g("request_target"),
        to_org_id,
        from_org_id: None,
        subject: g("request_subject"),
        body: g("request_body"),
        due_at: g("request_due_at"),
    };
    let r = core_coord::create_request(&st.core, &ctx.actor(), id, new).await;
    back(&st, &ctx, id, r, pairs, "request", "coord.flash.requested").await
}

/// The incident of a request, for going back to its page; a request the person cannot read is
/// the same 404 as a missing one (and the refusal is audited by the use case).
async fn incident_of(st: &State, ctx: &Ctx, request: Uuid) -> Result<Uuid, Response> {
    core_coord::get(&st.core, &ctx.actor(), request)
        .await
        .map(|v| v.request.incident_id)
        .map_err(|e| crate::error::core_page(ctx, e))
}

async fn reply(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    PageId(id): PageId,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let incident = match incident_of(&st, &ctx, id).await {
        Ok(i) => i,
        Err(r) => return r,
    };
    let text = get_field(&pairs, "reply_text");
    let r = core_coord::reply(&st.core, &ctx.actor(), id, &text).await;
    back(&st, &ctx, incident, r, pairs, "reply", "flash.saved").await
}

async fn set_status(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    PageId(id): PageId,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let incident = match incident_of(&st, &ctx, id).await {
        Ok(i) => i,
        Err(r) => return r,
    };
    let r = core_coord::set_status(
        &st.core,
        &ctx.actor(),
        id,
        &get_field(&pairs, "status"),
        &get_field(&pairs, "status_comment"),
    )
    .await;
    back(&st, &ctx, incident, r, pairs, "status", "flash.saved").await
}

async fn add_direction(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    PageId(id): PageId,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let g = |k: &str| get_field(&pairs, k);
    let org = g("direction_addressed_org_id");
    let Ok(addressed_org_id) = crate::forms::opt_uuid(&Some(org)) else {
        let r: ungcuu_core::Result<()> =
            Err(CoreError::field("addressed_org_id", "err.org_missing"));
        return back(&st, &ctx, id, r, pairs, "direction", "flash.saved").await;
    };
    let new = NewDirection {
        text: g("direction_text"),
        given_by: g("direction_given_by"),
        given_at: g("direction_given_at"),
        addressed_org_id,
    };
    let r = core_steer::add_direction(&st.core, &ctx.actor(), id, new).await;
    back(&st, &ctx, id, r, pairs, "direction", "flash.saved").await
}

async fn name_person(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    PageId(id): PageId,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let g = |k: &str| get_field(&pairs, k);
    let r = core_steer::name(
        &st.core,
        &ctx.actor(),
        id,
        &g("naming_role"),
        &g("naming_name"),
        &g("naming_contact"),
    )
    .await;
    back(&st, &ctx, id, r, pairs, "naming", "flash.saved").await
}

async fn end_naming(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    PageId(id): PageId,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let Ok(incident) = get_field(&pairs, "incident").parse::<Uuid>() else {
        return crate::error::page(&ctx, axum::http::StatusCode::BAD_REQUEST);
    };
    match core_steer::end_naming(&st.core, &ctx.actor(), id).await {
        Ok(()) => redirect_with_flash(
            &ctx,
            &format!("/incidents/{incident}#steering"),
            "flash.saved",
        ),
        Err(e) => crate::error::core_page(&ctx, e),
    }
}

async fn add_statement(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    PageId(id): PageId,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let g = |k: &str| get_field(&pairs, k);
    let new = NewStatement {
        said_at: g("statement_said_at"),
        said_by: g("statement_said_by"),
        channel: g("statement_channel"),
        text: g("statement_text"),
    };
    let r = core_steer::add_statement(&st.core, &ctx.actor(), id, new).await;
    back(&st, &ctx, id, r, pairs, "statement", "flash.saved").await
}

async fn convene(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    PageId(id): PageId,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let reason = get_field(&pairs, "convene_reason");
    let r = core_steer::convene(&st.core, &ctx.actor(), id, &reason).await;
    back(&st, &ctx, id, r, pairs, "convene", "flash.convened").await
}

struct InboxLine {
    id: Uuid,
    incident_id: Uuid,
    incident: String,
    subject: String,
    from: String,
    to: String,
    due: String,
    status: &'static str,
    overdue: bool,
}

#[derive(Template)]
#[template(path = "requests.html")]
struct InboxPage<'a> {
    c: &'a Ctx,
    incoming: Vec<InboxLine>,
    outgoing: Vec<InboxLine>,
}

fn inbox_line(c: &Ctx, r: Request, overdue: bool) -> InboxLine {
    InboxLine {
        id: r.id,
        incident_id: r.incident_id,
        to: to_label(c, &r),
        incident: r.incident_title,
        subject: r.subject,
        from: r.from_org_name,
        due: c.dt(&r.due_at),
        status: status_label(c, &r.status),
        overdue,
    }
}

/// The requests inbox of the person's organisations.
async fn inbox(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
) -> Response {
    match core_coord::inbox(&st.core, &ctx.actor()).await {
        Ok(b) => render(
            &ctx,
            InboxPage {
                c: &ctx,
                incoming: b
                    .incoming
                    .into_iter()
                    .map(|(r, late)| inbox_line(&ctx, r, late))
                    .collect(),
                outgoing: b
                    .outgoing
                    .into_iter()
                    .map(|(r, late)| inbox_line(&ctx, r, late))
                    .collect(),
            },
        ),
        Err(e) => crate::error::core_page(&ctx, e),
    }
}

#[cfg(test)]
mod tests {
    /// The use cases and rules of coordination answer with message keys; each must exist in
    /// both languages (the i18n test only reads this crate's files).
    #[test]
    fn every_message_key_of_coordination_and_steering_exists() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../");
        let mut missing = Vec::new();
        for file in [
            "ungcuu-core/src/coordination.rs",
            "ungcuu-core/src/steering.rs",
            "ungcuu-domain/src/coordination.rs",
        ] {
            let text = std::fs::read_to_string(format!("{root}{file}")).unwrap();
            for part in text.split('"').skip(1).step_by(2) {
                let key_like = ["coord.", "steer.", "err.", "incident.err."]
                    .iter()
                    .any(|p| part.starts_with(p))
                    && !part.contains(' ');
                if key_like && !crate::i18n::has(part) {
                    missing.push(format!("{file}: {part}"));
                }
            }
        }
        assert!(missing.is_empty(), "missing translations: {missing:#?}");
    }
}
