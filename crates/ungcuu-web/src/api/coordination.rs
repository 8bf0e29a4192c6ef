//! API of coordination and steering: requests for support on an incident (to an organisation,
//! the response team or the national coordinator) with their threads and statuses, the requests
//! inbox, the national coordinator's contact; comments with `@mentions`; and on a serious
//! incident the steering committee's directions, the spokesperson and releasers, the
//! statements log and convening the response team.

use super::extract::ApiId;
use super::extract::{ApiJson, Caller};
use super::incidents::EventOut;
use super::{Problem, ok};
use crate::State;
use crate::error::core_problem;
use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use serde::{Deserialize, Serialize};
use ungcuu_core::coordination::{self as core_coord, Mention, NationalContact, RequestView};
use ungcuu_core::steering::{self as core_steer, NewDirection, NewStatement};
use ungcuu_domain::timefmt::rfc3339;
use ungcuu_store::coordination::{Direction, InformationRole, Reply, Request, Statement};
use ungcuu_store::network::Convening;
use utoipa::ToSchema;
use uuid::Uuid;

/// The description of these endpoints, merged into the API document.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        list_requests,
        create_request,
        inbox,
        get_request,
        reply,
        set_status,
        get_national_contact,
        put_national_contact,
        steering,
        add_direction,
        name_person,
        end_naming,
        add_statement,
        convene
    ),
    components(schemas(
        RequestOut,
        ReplyOut,
        RequestCreate,
        ReplyBody,
        StatusBody,
        InboxOut,
        NationalContactBody,
        CommentOut,
        MentionOut,
        SteeringOut,
        DirectionOut,
        NamingOut,
        StatementOut,
        ConveningOut,
        DirectionBody,
        NamingBody,
        StatementBody,
        ConveneBody
    ))
)]
pub struct CoordinationDoc;

/// Routes of the coordination and steering API.
pub(crate) fn router() -> Router<State> {
    Router::new()
        .route(
            "/api/v1/incidents/{id}/requests",
            get(list_requests).post(create_request),
        )
        .route("/api/v1/requests", get(inbox))
        .route("/api/v1/requests/{id}", get(get_request))
        .route("/api/v1/requests/{id}/replies", post(reply))
        .route("/api/v1/requests/{id}/status", post(set_status))
        .route(
            "/api/v1/settings/national-contact",
            get(get_national_contact).put(put_national_contact),
        )
        .route("/api/v1/incidents/{id}/steering", get(steering))
        .route("/api/v1/incidents/{id}/directions", post(add_direction))
        .route(
            "/api/v1/incidents/{id}/information-roles",
            post(name_person),
        )
        .route("/api/v1/information-roles/{id}", delete(end_naming))
        .route("/api/v1/incidents/{id}/statements", post(add_statement))
        .route("/api/v1/incidents/{id}/convene", post(convene))
}

/// One reply (or status change) in a request's thread.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReplyOut {
    pub id: Uuid,
    pub author: String,
    pub text: String,
    /// The status the request moved to with this entry, if any.
    pub status_to: Option<String>,
    pub created_at: String,
}

impl From<Reply> for ReplyOut {
    fn from(r: Reply) -> Self {
        ReplyOut {
            id: r.id,
            author: r.author_label,
            text: r.body,
            status_to: r.status_to,
            created_at: rfc3339(r.created_at),
        }
    }
}

/// A request for support.
#[derive(Debug, Serialize, ToSchema)]
pub struct RequestOut {
    pub id: Uuid,
    pub incident_id: Uuid,
    pub incident_title: String,
    pub from_org_id: Uuid,
    pub from_org_name: String,
    /// `organization`, `csirt` or `national`.
    pub target: String,
    pub to_org_id: Option<Uuid>,
    pub to_org_name: Option<String>,
    /// The national coordinator's contact as recorded when the request was made.
    pub to_contact: Option<String>,
    pub subject: String,
    pub body: String,
    pub due_at: String,
    /// `open`, `accepted`, `declined`, `done`, `cancelled`.
    pub status: String,
    /// Past its due date and still open or accepted.
    pub overdue: bool,
    pub created_by: String,
    pub created_at: String,
    pub updated_at: String,
    /// The thread (absent in the inbox).
    pub replies: Option<Vec<ReplyOut>>,
    /// The statuses the caller may move it to now (absent in the inbox).
    pub moves: Option<Vec<String>>,
}

fn request_out(r: Request, overdue: bool) -> RequestOut {
    RequestOut {
        id: r.id,
        incident_id: r.incident_id,
        incident_title: r.incident_title,
        from_org_id: r.from_org_id,
        from_org_name: r.from_org_name,
        target: r.target,
        to_org_id: r.to_org_id,
        to_org_name: r.to_org_name,
        to_contact: r.to_contact,
        subject: r.subject,
        body: r.body,
        due_at: rfc3339(r.due_at),
        status: r.status,
        overdue,
        created_by: r.created_label,
        created_at: rfc3339(r.created_at),
        updated_at: rfc3339(r.updated_at),
        replies: None,
        moves: None,
    }
}

impl From<RequestView> for RequestOut {
    fn from(v: RequestView) -> Self {
        let mut out = request_out(v.request, v.overdue);
        out.replies = Some(v.replies.into_iter().map(ReplyOut::from).collect());
        out.moves = Some(v.moves.iter().map(|s| s.as_str().to_string()).collect());
        out
    }
}

/// A new request for support.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestCreate {
    /// `organization` (give `to_org_id`), `csirt` (the province's response team) or `national`
    /// (VNCERT/CC, recorded with its contact from the settings).
    pub target: String,
    pub to_org_id: Option<Uuid>,
    /// The asking organisation (default: the incident's owner when you handle it, else yours).
    pub from_org_id: Option<Uuid>,
    pub subject: String,
    pub body: String,
    /// Wanted by: RFC 3339, `YYYY-MM-DDTHH:MM` (Vietnam time) or a day `YYYY-MM-DD` (its end).
    pub due_at: String,
}

/// A reply in a request's thread.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplyBody {
    pub text: String,
}

/// A change of a request's status. The asked side accepts, declines or marks it done; the
/// asking side cancels or confirms it done (and records the answers of the national
/// coordinator, which has no accounts).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusBody {
    /// `accepted`, `declined`, `done` or `cancelled`.
    pub status: String,
    #[serde(default)]
    pub comment: String,
}

/// The requests inbox of the caller's organisations.
#[derive(Debug, Serialize, ToSchema)]
pub struct InboxOut {
    /// Asked of the caller's organisations (for province-wide coordinators, also those to the
    /// national coordinator).
    pub incoming: Vec<RequestOut>,
    /// Asked by the caller's organisations.
    pub outgoing: Vec<RequestOut>,
}

/// The national coordinator's contact.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NationalContactBody {
    pub name: String,
    pub email: String,
    #[serde(default)]
    pub phone: String,
}

/// What happened to one `@mention` of a comment.
#[derive(Debug, Serialize, ToSchema)]
pub struct MentionOut {
    pub email: String,
    /// False when nothing was sent: no such active account, or one that cannot read the
    /// incident (the answer does not say which).
    pub delivered: bool,
}

impl From<Mention> for MentionOut {
    fn from(m: Mention) -> Self {
        MentionOut {
            email: m.email,
            delivered: m.delivered,
        }
    }
}

/// A comment as stored, and who its `@mentions` reached.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommentOut {
    #[serde(flatten)]
    pub event: EventOut,
    pub mentions: Vec<MentionOut>,
}

/// A direction of the steering committee.
#[derive(Debug, Serialize, ToSchema)]
pub struct DirectionOut {
    pub id: Uuid,
    pub text: String,
    pub given_by: String,
    pub given_at: String,
    pub addressed_org_id: Option<Uuid>,
    pub addressed_org_name: Option<String>,
    pub recorded_by: String,
    pub created_at: String,
}

impl From<Direction> for DirectionOut {
    fn from(d: Direction) -> Self {
        DirectionOut {
            id: d.id,
            text: d.text,
            given_by: d.given_by,
            given_at: rfc3339(d.given_at),
            addressed_org_id: d.addressed_org_id,
            addressed_org_name: d.addressed_org_name,
            recorded_by: d.recorded_label,
            created_at: rfc3339(d.created_at),
        }
    }
}

/// The spokesperson or a person allowed to release information.
#[derive(Debug, Serialize, ToSchema)]
pub struct NamingOut {
    pub id: Uuid,
    /// `spokesperson` or `releaser`.
    pub role: String,
    pub name: String,
    pub contact: Option<String>,
    pub assigned_by: String,
    pub valid_from: String,
    /// Set when ended (a new spokesperson ends the last).
    pub valid_to: Option<String>,
}

impl From<InformationRole> for NamingOut {
    fn from(r: InformationRole) -> Self {
        NamingOut {
            id: r.id,
            role: r.role,
            name: r.name,
            contact: r.contact,
            assigned_by: r.assigned_by,
            valid_from: rfc3339(r.valid_from),
            valid_to: r.valid_to.map(rfc3339),
        }
    }
}

/// Something said publicly.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatementOut {
    pub id: Uuid,
    pub said_at: String,
    pub said_by: String,
    /// `press`, `website`, `social`, `television`, `radio`, `other`.
    pub channel: String,
    pub text: String,
    pub recorded_by: String,
    pub created_at: String,
}

impl From<Statement> for StatementOut {
    fn from(s: Statement) -> Self {
        StatementOut {
            id: s.id,
            said_at: rfc3339(s.said_at),
            said_by: s.said_by,
            channel: s.channel,
            text: s.text,
            recorded_by: s.recorded_label,
            created_at: rfc3339(s.created_at),
        }
    }
}

/// A convening of the response team for the incident.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConveningOut {
    pub id: Uuid,
    pub reason: String,
    pub convened_by: String,
    pub convened_at: String,
    pub members: Vec<Uuid>,
}

impl From<Convening> for ConveningOut {
    fn from(c: Convening) -> Self {
        ConveningOut {
            id: c.id,
            reason: c.reason,
            convened_by: c.convened_by,
            convened_at: rfc3339(c.convened_at),
            members: c.members,
        }
    }
}

/// The steering of an incident.
#[derive(Debug, Serialize, ToSchema)]
pub struct SteeringOut {
    /// The incident was escalated (steering applies).
    pub escalated: bool,
    /// The caller may steer it.
    pub can_steer: bool,
    pub directions: Vec<DirectionOut>,
    pub people: Vec<NamingOut>,
    pub statements: Vec<StatementOut>,
    pub convenings: Vec<ConveningOut>,
}

/// A direction to record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DirectionBody {
    pub text: String,
    /// Who gave it (default: you).
    #[serde(default)]
    pub given_by: String,
    /// When (default: now; not in the future).
    #[serde(default)]
    pub given_at: String,
    /// The organisation it is addressed to: it is given read access and told.
    pub addressed_org_id: Option<Uuid>,
}

/// Names the spokesperson (replacing the current one) or adds a releaser.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NamingBody {
    /// `spokesperson` or `releaser`.
    pub role: String,
    /// Name and position.
    pub name: String,
    #[serde(default)]
    pub contact: String,
}

/// A public statement to log.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatementBody {
    /// When it was said (default: now).
    #[serde(default)]
    pub said_at: String,
    pub said_by: String,
    /// `press`, `website`, `social`, `television`, `radio`, `other`.
    pub channel: String,
    pub text: String,
}

/// Convenes the response team for the incident.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConveneBody {
    pub reason: String,
}

/// The requests for support about an incident, with their threads.
#[utoipa::path(get, path = "/api/v1/incidents/{id}/requests", params(("id" = Uuid, Path)), responses((status = 200, body = Vec<RequestOut>), (status = 404, body = Problem)))]
pub(crate) async fn list_requests(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
) -> Response {
    match core_coord::for_incident(&st.core, &ctx.actor(), id).await {
        Ok(v) => ok(
            StatusCode::OK,
            v.into_iter().map(RequestOut::from).collect::<Vec<_>>(),
        ),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Asks for support on an incident. A request to an organisation (or the response team) gives
/// it read access to the incident and tells its officers.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/requests", params(("id" = Uuid, Path)), request_body = RequestCreate, responses((status = 201, body = RequestOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn create_request(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
    ApiJson(b): ApiJson<RequestCreate>,
) -> Response {
    let new = core_coord::NewRequest {
        target: b.target,
        to_org_id: b.to_org_id,
        from_org_id: b.from_org_id,
        subject: b.subject,
        body: b.body,
        due_at: b.due_at,
    };
    match core_coord::create_request(&st.core, &ctx.actor(), id, new).await {
        Ok(v) => ok(StatusCode::CREATED, RequestOut::from(v)),
        Err(e) => core_problem(&ctx, e),
    }
}

/// The requests inbox: asked of and by the caller's organisations, open ones first, earliest
/// due first, overdue flagged.
#[utoipa::path(get, path = "/api/v1/requests", responses((status = 200, body = InboxOut)))]
pub(crate) async fn inbox(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
) -> Response {
    match core_coord::inbox(&st.core, &ctx.actor()).await {
        Ok(b) => ok(
            StatusCode::OK,
            InboxOut {
                incoming: b
                    .incoming
                    .into_iter()
                    .map(|(r, late)| request_out(r, late))
                    .collect(),
                outgoing: b
                    .outgoing
                    .into_iter()
                    .map(|(r, late)| request_out(r, late))
                    .collect(),
            },
        ),
        Err(e) => core_problem(&ctx, e),
    }
}

/// One request with its thread.
#[utoipa::path(get, path = "/api/v1/requests/{id}", params(("id" = Uuid, Path)), responses((status = 200, body = RequestOut), (status = 404, body = Problem)))]
pub(crate) async fn get_request(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
) -> Response {
    match core_coord::get(&st.core, &ctx.actor(), id).await {
        Ok(v) => ok(StatusCode::OK, RequestOut::from(v)),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Replies in a request's thread; the other side is told.
#[utoipa::path(post, path = "/api/v1/requests/{id}/replies", params(("id" = Uuid, Path)), request_body = ReplyBody, responses((status = 201, body = ReplyOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn reply(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
    ApiJson(b): ApiJson<ReplyBody>,
) -> Response {
    match core_coord::reply(&st.core, &ctx.actor(), id, &b.text).await {
        Ok(r) => ok(StatusCode::CREATED, ReplyOut::from(r)),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Moves a request to another status; the other side is told.
#[utoipa::path(post, path = "/api/v1/requests/{id}/status", params(("id" = Uuid, Path)), request_body = StatusBody, responses((status = 200, body = RequestOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn set_status(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
    ApiJson(b): ApiJson<StatusBody>,
) -> Response {
    match core_coord::set_status(&st.core, &ctx.actor(), id, &b.status, &b.comment).await {
        Ok(v) => ok(StatusCode::OK, RequestOut::from(v)),
        Err(e) => core_problem(&ctx, e),
    }
}

/// The national coordinator's contact recorded on requests to it.
#[utoipa::path(get, path = "/api/v1/settings/national-contact", responses((status = 200, body = NationalContactBody)))]
pub(crate) async fn get_national_contact(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
) -> Response {
    match core_coord::national_contact(&st.core).await {
        Ok(n) => ok(
            StatusCode::OK,
            NationalContactBody {
                name: n.name,
                email: n.email,
                phone: n.phone,
            },
        ),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Changes the national coordinator's contact (province-wide coordinators).
#[utoipa::path(put, path = "/api/v1/settings/national-contact", request_body = NationalContactBody, responses((status = 200, body = NationalContactBody), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn put_national_contact(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiJson(b): ApiJson<NationalContactBody>,
) -> Response {
    let new = NationalContact {
        name: b.name,
        email: b.email,
        phone: b.phone,
    };
    match core_coord::set_national_contact(&st.core, &ctx.actor(), new).await {
        Ok(n) => ok(
            StatusCode::OK,
            NationalContactBody {
                name: n.name,
                email: n.email,
                phone: n.phone,
            },
        ),
        Err(e) => core_problem(&ctx, e),
    }
}

/// The steering of an incident: directions, spokesperson and releasers, statements,
/// convenings of the response team for it.
#[utoipa::path(get, path = "/api/v1/incidents/{id}/steering", params(("id" = Uuid, Path)), responses((status = 200, body = SteeringOut), (status = 404, body = Problem)))]
pub(crate) async fn steering(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
) -> Response {
    match core_steer::view(&st.core, &ctx.actor(), id).await {
        Ok(v) => ok(
            StatusCode::OK,
            SteeringOut {
                escalated: v.escalated,
                can_steer: v.can_steer,
                directions: v.directions.into_iter().map(Into::into).collect(),
                people: v.roles.into_iter().map(Into::into).collect(),
                statements: v.statements.into_iter().map(Into::into).collect(),
                convenings: v.convenings.into_iter().map(Into::into).collect(),
            },
        ),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Records a direction of the steering committee on an escalated incident.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/directions", params(("id" = Uuid, Path)), request_body = DirectionBody, responses((status = 201, body = DirectionOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn add_direction(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
    ApiJson(b): ApiJson<DirectionBody>,
) -> Response {
    let new = NewDirection {
        text: b.text,
        given_by: b.given_by,
        given_at: b.given_at,
        addressed_org_id: b.addressed_org_id,
    };
    match core_steer::add_direction(&st.core, &ctx.actor(), id, new).await {
        Ok(d) => ok(StatusCode::CREATED, DirectionOut::from(d)),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Names the spokesperson or a person allowed to release information.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/information-roles", params(("id" = Uuid, Path)), request_body = NamingBody, responses((status = 201, body = NamingOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn name_person(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
    ApiJson(b): ApiJson<NamingBody>,
) -> Response {
    match core_steer::name(&st.core, &ctx.actor(), id, &b.role, &b.name, &b.contact).await {
        Ok(r) => ok(StatusCode::CREATED, NamingOut::from(r)),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Ends a naming.
#[utoipa::path(delete, path = "/api/v1/information-roles/{id}", params(("id" = Uuid, Path)), responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub(crate) async fn end_naming(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
) -> Response {
    match core_steer::end_naming(&st.core, &ctx.actor(), id).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Logs what was said publicly about an escalated incident.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/statements", params(("id" = Uuid, Path)), request_body = StatementBody, responses((status = 201, body = StatementOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn add_statement(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
    ApiJson(b): ApiJson<StatementBody>,
) -> Response {
    let new = NewStatement {
        said_at: b.said_at,
        said_by: b.said_by,
        channel: b.channel,
        text: b.text,
    };
    match core_steer::add_statement(&st.core, &ctx.actor(), id, new).await {
        Ok(s) => ok(StatusCode::CREATED, StatementOut::from(s)),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Convenes the response team for an escalated incident (the roster's convening, with the
/// incident as its reference; the members are told).
#[utoipa::path(post, path = "/api/v1/incidents/{id}/convene", params(("id" = Uuid, Path)), request_body = ConveneBody, responses((status = 201, body = ConveningOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn convene(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
    ApiJson(b): ApiJson<ConveneBody>,
) -> Response {
    match core_steer::convene(&st.core, &ctx.actor(), id, &b.reason).await {
        Ok(c) => ok(StatusCode::CREATED, ConveningOut::from(c)),
        Err(e) => core_problem(&ctx, e),
    }
}
