//! API of the network: profiles, focal points, the directory, the response team, notifications.

use super::extract::ApiId;
use super::extract::{ApiJson, Caller};
use super::{Problem, ok};
use crate::State;
use crate::error::core_problem;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use ungcuu_core::network::{self, FocalPointInput, ProfileInput, Staffing};
use ungcuu_domain::timefmt::rfc3339;
use utoipa::ToSchema;
use uuid::Uuid;

/// The description of these endpoints, merged into the API document.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        get_profile,
        put_profile,
        list_focal_points,
        assign_focal_point,
        directory,
        members,
        add_member,
        remove_member,
        shifts,
        add_shift,
        remove_shift,
        convenings,
        convene,
        notifications,
        mark_read
    ),
    components(schemas(
        ProfileBody,
        StaffingBody,
        FocalPointOut,
        FocalPointBody,
        DirectoryOut,
        MemberOut,
        MemberBody,
        ShiftOut,
        ShiftBody,
        ConveneBody,
        ConveningOut,
        NotificationOut
    ))
)]
pub struct NetworkDoc;

/// Staff counts (Mẫu 01).
#[derive(Debug, Serialize, Deserialize, ToSchema, Default)]
#[serde(default, deny_unknown_fields)]
pub struct StaffingBody {
    pub training_it: u32,
    pub training_infosec: u32,
    pub training_equivalent: u32,
    pub degree_postgraduate: u32,
    pub degree_university: u32,
    pub degree_college: u32,
    pub degree_vocational: u32,
    pub cert_international: u32,
    pub cert_domestic: u32,
    pub group_management: u32,
    pub group_defence: u32,
    pub group_protection: u32,
    pub group_testing: u32,
}

impl From<Staffing> for StaffingBody {
    fn from(s: Staffing) -> Self {
        serde_json::from_value(serde_json::to_value(s).unwrap_or_default()).unwrap_or_default()
    }
}

/// An organisation's profile (Mẫu 01 fields); on PUT every field is replaced.
#[derive(Debug, Serialize, Deserialize, ToSchema, Default)]
#[serde(default, deny_unknown_fields)]
pub struct ProfileBody {
    pub owning_body: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub fax: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    pub leader_name: Option<String>,
    pub leader_title: Option<String>,
    pub intake_address: Option<String>,
    pub intake_phone: Option<String>,
    pub intake_mobile: Option<String>,
    pub intake_fax: Option<String>,
    pub intake_email: Option<String>,
    pub response_capability: Option<String>,
    pub staffing: StaffingBody,
    /// Mã thành viên mạng lưới: set when the organisation is a member of the national response
    /// network (printed on its Mẫu 05; lets Mẫu 03 and 04 be sent to it); at most 40 characters.
    pub member_code: Option<String>,
}

/// A focal point, current (`valid_to` null) or past.
#[derive(Debug, Serialize, ToSchema)]
pub struct FocalPointOut {
    pub id: Uuid,
    pub organization_id: Uuid,
    /// `primary` or `backup`.
    pub kind: String,
    pub user_id: Option<Uuid>,
    pub name: String,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub mobile: Option<String>,
    pub fax: Option<String>,
    pub email: String,
    pub phone_24x7: Option<String>,
    pub pgp_fingerprint: Option<String>,
    pub valid_from: String,
    pub valid_to: Option<String>,
    pub assigned_by: Option<String>,
}

impl From<ungcuu_store::network::FocalPoint> for FocalPointOut {
    fn from(f: ungcuu_store::network::FocalPoint) -> Self {
        FocalPointOut {
            id: f.id,
            organization_id: f.organization_id,
            kind: f.kind,
            user_id: f.user_id,
            name: f.name,
            title: f.title,
            phone: f.phone,
            mobile: f.mobile,
            fax: f.fax,
            email: f.email,
            phone_24x7: f.phone_24x7,
            pgp_fingerprint: f.pgp_fingerprint,
            valid_from: rfc3339(f.valid_from),
            valid_to: f.valid_to.map(rfc3339),
            assigned_by: f.assigned_by,
        }
    }
}

/// Assigning a focal point (replaces the current one of the same kind).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FocalPointBody {
    /// `primary` or `backup`.
    pub kind: String,
    pub user_id: Option<Uuid>,
    pub name: String,
    pub title: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub mobile: Option<String>,
    pub fax: Option<String>,
    pub email: String,
    pub phone_24x7: Option<String>,
    pub pgp_fingerprint: Option<String>,
}

/// One organisation in the directory.
#[derive(Debug, Serialize, ToSchema)]
pub struct DirectoryOut {
    pub organization_id: Uuid,
    pub organization_name: String,
    pub primary: Option<FocalPointOut>,
    pub backup: Option<FocalPointOut>,
    pub missing_officer: bool,
    pub missing_24x7: bool,
}

/// A team member.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberOut {
    pub id: Uuid,
    pub user_id: Uuid,
    pub name: String,
    pub email: String,
    pub skills: String,
    pub note: Option<String>,
}

/// A new team member.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberBody {
    pub user_id: Uuid,
    pub skills: String,
    pub note: Option<String>,
}

/// An on-call shift.
#[derive(Debug, Serialize, ToSchema)]
pub struct ShiftOut {
    pub id: Uuid,
    pub member_id: Uuid,
    pub name: String,
    pub starts_at: String,
    pub ends_at: String,
}

/// A new shift (RFC 3339 times).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShiftBody {
    pub member_id: Uuid,
    pub starts_at: String,
    pub ends_at: String,
    pub note: Option<String>,
}

/// Convening the team.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConveneBody {
    pub reason: String,
    pub incident_ref: Option<String>,
    /// Member ids; empty or absent: the whole team.
    #[serde(default)]
    pub members: Vec<Uuid>,
}

/// A convening.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConveningOut {
    pub id: Uuid,
    pub reason: String,
    pub incident_ref: Option<String>,
    pub convened_by: String,
    pub convened_at: String,
    pub members: Vec<Uuid>,
}

/// A notification.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationOut {
    pub id: Uuid,
    pub kind: String,
    pub text: String,
    pub link: Option<String>,
    pub created_at: String,
    pub read: bool,
}

fn opt(s: Option<String>) -> String {
    s.unwrap_or_default()
}

/// An organisation's profile.
#[utoipa::path(get, path = "/api/v1/organizations/{id}/profile", params(("id" = Uuid, Path)), responses((status = 200, body = ProfileBody), (status = 404, body = Problem)))]
pub async fn get_profile(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
) -> Response {
    match network::profile(&st.core, &ctx.actor(), id).await {
        Ok((_, p, s)) => ok(
            StatusCode::OK,
            ProfileBody {
                owning_body: p.owning_body,
                address: p.address,
                phone: p.phone,
                fax: p.fax,
                email: p.email,
                website: p.website,
                leader_name: p.leader_name,
                leader_title: p.leader_title,
                intake_address: p.intake_address,
                intake_phone: p.intake_phone,
                intake_mobile: p.intake_mobile,
                intake_fax: p.intake_fax,
                intake_email: p.intake_email,
                response_capability: p.response_capability,
                staffing: s.into(),
                member_code: p.member_code,
            },
        ),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Replaces an organisation's profile.
#[utoipa::path(put, path = "/api/v1/organizations/{id}/profile", params(("id" = Uuid, Path)), request_body = ProfileBody, responses((status = 200, body = ProfileBody), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn put_profile(
    axum::extract::State(st): axum::extract::State<State>,
    c: Caller,
    ApiId(oid): ApiId,
    ApiJson(b): ApiJson<ProfileBody>,
) -> Response {
    let ctx = &c.0;
    let staffing: Staffing =
        serde_json::from_value(serde_json::to_value(&b.staffing).unwrap_or_default())
            .unwrap_or_default();
    let input = ProfileInput {
        owning_body: opt(b.owning_body),
        address: opt(b.address),
        phone: opt(b.phone),
        fax: opt(b.fax),
        email: opt(b.email),
        website: opt(b.website),
        leader_name: opt(b.leader_name),
        leader_title: opt(b.leader_title),
        intake_address: opt(b.intake_address),
        intake_phone: opt(b.intake_phone),
        intake_mobile: opt(b.intake_mobile),
        intake_fax: opt(b.intake_fax),
        intake_email: opt(b.intake_email),
        response_capability: opt(b.response_capability),
        staffing,
        member_code: opt(b.member_code),
    };
    match network::update_profile(&st.core, &ctx.actor(), oid, input).await {
        Ok(_) => get_profile(axum::extract::State(st), c.clone(), ApiId(oid)).await,
        Err(e) => core_problem(ctx, e),
    }
}

/// An organisation's focal points, current and past.
#[utoipa::path(get, path = "/api/v1/organizations/{id}/focal-points", params(("id" = Uuid, Path)), responses((status = 200, body = Vec<FocalPointOut>), (status = 404, body = Problem)))]
pub async fn list_focal_points(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
) -> Response {
    match network::focal_points(&st.core, &ctx.actor(), id).await {
        Ok(v) => ok(
            StatusCode::OK,
            v.into_iter().map(FocalPointOut::from).collect::<Vec<_>>(),
        ),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Assigns or replaces a focal point; the coordinator is notified.
#[utoipa::path(post, path = "/api/v1/organizations/{id}/focal-points", params(("id" = Uuid, Path)), request_body = FocalPointBody, responses((status = 201, body = FocalPointOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn assign_focal_point(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
    ApiJson(b): ApiJson<FocalPointBody>,
) -> Response {
    let input = FocalPointInput {
        kind: b.kind,
        user_id: b.user_id,
        name: b.name,
        title: opt(b.title),
        address: opt(b.address),
        phone: opt(b.phone),
        mobile: opt(b.mobile),
        fax: opt(b.fax),
        email: b.email,
        phone_24x7: opt(b.phone_24x7),
        pgp_fingerprint: opt(b.pgp_fingerprint),
    };
    match network::assign_focal_point(&st.core, &ctx.actor(), id, input).await {
        Ok(f) => ok(StatusCode::CREATED, FocalPointOut::from(f)),
        Err(e) => core_problem(&ctx, e),
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct DirectoryQuery {
    /// Only organisations with a gap (no focal point, or no 24/7 contact).
    gaps: bool,
}

/// Focal points of every visible organisation, with gaps flagged.
#[utoipa::path(get, path = "/api/v1/directory", params(DirectoryQuery), responses((status = 200, body = Vec<DirectoryOut>)))]
pub async fn directory(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    Query(q): Query<DirectoryQuery>,
) -> Response {
    match network::directory(&st.core, &ctx.actor()).await {
        Ok(rows) => ok(
            StatusCode::OK,
            rows.into_iter()
                .filter(|r| !q.gaps || r.missing_officer || r.missing_24x7)
                .map(|r| DirectoryOut {
                    organization_id: r.org.id,
                    organization_name: r.org.name,
                    primary: r.primary.map(Into::into),
                    backup: r.backup.map(Into::into),
                    missing_officer: r.missing_officer,
                    missing_24x7: r.missing_24x7,
                })
                .collect::<Vec<_>>(),
        ),
        Err(e) => core_problem(&ctx, e),
    }
}

/// The response team.
#[utoipa::path(get, path = "/api/v1/team/members", responses((status = 200, body = Vec<MemberOut>), (status = 403, body = Problem)))]
pub async fn members(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
) -> Response {
    match network::members(&st.core, &ctx.actor()).await {
        Ok(v) => ok(
            StatusCode::OK,
            v.into_iter()
                .map(|m| MemberOut {
                    id: m.id,
                    user_id: m.user_id,
                    name: m.name,
                    email: m.email,
                    skills: m.skills,
                    note: m.note,
                })
                .collect::<Vec<_>>(),
        ),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Adds a member.
#[utoipa::path(post, path = "/api/v1/team/members", request_body = MemberBody, responses((status = 201, body = MemberOut), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn add_member(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiJson(b): ApiJson<MemberBody>,
) -> Response {
    match network::add_member(
        &st.core,
        &ctx.actor(),
        b.user_id,
        &b.skills,
        b.note.as_deref().unwrap_or(""),
    )
    .await
    {
        Ok(m) => ok(
            StatusCode::CREATED,
            MemberOut {
                id: m.id,
                user_id: m.user_id,
                name: m.name,
                email: m.email,
                skills: m.skills,
                note: m.note,
            },
        ),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Removes a member.
#[utoipa::path(delete, path = "/api/v1/team/members/{id}", params(("id" = Uuid, Path)), responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn remove_member(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
) -> Response {
    match network::remove_member(&st.core, &ctx.actor(), id).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => core_problem(&ctx, e),
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct ShiftQuery {
    /// From (RFC 3339; default now).
    from: Option<String>,
    /// Until (RFC 3339; default from + 7 days).
    until: Option<String>,
}

fn parse_time(
    ctx: &crate::ctx::Ctx,
    field: &str,
    v: Option<&str>,
) -> Result<Option<time::OffsetDateTime>, Response> {
    match v.filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
            .map(Some)
            .map_err(|_| {
                crate::error::problem(
                    ctx,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    ctx.t("common.form_errors"),
                    vec![(field.into(), ctx.t("err.datetime").into())],
                )
            }),
    }
}

/// On-call shifts in a period (`from=until=now` answers "who is on call now").
#[utoipa::path(get, path = "/api/v1/team/shifts", params(ShiftQuery), responses((status = 200, body = Vec<ShiftOut>), (status = 403, body = Problem)))]
pub async fn shifts(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    Query(q): Query<ShiftQuery>,
) -> Response {
    let from = match parse_time(&ctx, "from", q.from.as_deref()) {
        Ok(v) => v.unwrap_or_else(ungcuu_domain::timefmt::now),
        Err(r) => return r,
    };
    let until = match parse_time(&ctx, "until", q.until.as_deref()) {
        Ok(v) => v.unwrap_or(from + time::Duration::days(7)),
        Err(r) => return r,
    };
    match network::shifts(&st.core, &ctx.actor(), from, until).await {
        Ok(v) => ok(
            StatusCode::OK,
            v.into_iter()
                .map(|s| ShiftOut {
                    id: s.id,
                    member_id: s.member_id,
                    name: s.name,
                    starts_at: rfc3339(s.starts_at),
                    ends_at: rfc3339(s.ends_at),
                })
                .collect::<Vec<_>>(),
        ),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Plans a shift.
#[utoipa::path(post, path = "/api/v1/team/shifts", request_body = ShiftBody, responses((status = 201, body = ShiftOut), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn add_shift(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiJson(b): ApiJson<ShiftBody>,
) -> Response {
    let from = match parse_time(&ctx, "starts_at", Some(&b.starts_at)) {
        Ok(Some(v)) => v,
        Ok(None) => {
            return crate::error::problem(
                &ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                ctx.t("common.form_errors"),
                vec![("starts_at".into(), ctx.t("err.required").into())],
            );
        }
        Err(r) => return r,
    };
    let to = match parse_time(&ctx, "ends_at", Some(&b.ends_at)) {
        Ok(Some(v)) => v,
        Ok(None) => {
            return crate::error::problem(
                &ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                ctx.t("common.form_errors"),
                vec![("ends_at".into(), ctx.t("err.required").into())],
            );
        }
        Err(r) => return r,
    };
    match network::add_shift(
        &st.core,
        &ctx.actor(),
        b.member_id,
        from,
        to,
        b.note.as_deref().unwrap_or(""),
    )
    .await
    {
        Ok(s) => ok(
            StatusCode::CREATED,
            ShiftOut {
                id: s.id,
                member_id: s.member_id,
                name: s.name,
                starts_at: rfc3339(s.starts_at),
                ends_at: rfc3339(s.ends_at),
            },
        ),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Removes a shift.
#[utoipa::path(delete, path = "/api/v1/team/shifts/{id}", params(("id" = Uuid, Path)), responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn remove_shift(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
) -> Response {
    match network::remove_shift(&st.core, &ctx.actor(), id).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Past convenings.
#[utoipa::path(get, path = "/api/v1/team/convenings", responses((status = 200, body = Vec<ConveningOut>), (status = 403, body = Problem)))]
pub async fn convenings(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
) -> Response {
    match network::convenings(&st.core, &ctx.actor()).await {
        Ok(v) => ok(
            StatusCode::OK,
            v.into_iter()
                .map(|c| ConveningOut {
                    id: c.id,
                    reason: c.reason,
                    incident_ref: c.incident_ref,
                    convened_by: c.convened_by,
                    convened_at: rfc3339(c.convened_at),
                    members: c.members,
                })
                .collect::<Vec<_>>(),
        ),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Convenes the team; every member called is notified in the app and by e-mail.
#[utoipa::path(post, path = "/api/v1/team/convenings", request_body = ConveneBody, responses((status = 201, body = ConveningOut), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn convene(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiJson(b): ApiJson<ConveneBody>,
) -> Response {
    match network::convene(
        &st.core,
        &ctx.actor(),
        &b.reason,
        b.incident_ref.as_deref().unwrap_or(""),
        &b.members,
    )
    .await
    {
        Ok(c) => ok(
            StatusCode::CREATED,
            ConveningOut {
                id: c.id,
                reason: c.reason,
                incident_ref: c.incident_ref,
                convened_by: c.convened_by,
                convened_at: rfc3339(c.convened_at),
                members: c.members,
            },
        ),
        Err(e) => core_problem(&ctx, e),
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct NotificationQuery {
    /// Page size.
    limit: Option<i64>,
    /// The `next` of the previous page.
    after: Option<String>,
}

/// The caller's notifications, newest first.
#[utoipa::path(get, path = "/api/v1/notifications", params(NotificationQuery), responses((status = 200, body = super::dto::PageOut<NotificationOut>)))]
pub async fn notifications(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    Query(q): Query<NotificationQuery>,
) -> Response {
    let before = match q.after.as_deref().filter(|s| !s.is_empty()) {
        Some(a) => match Uuid::parse_str(a) {
            Ok(u) => Some(u),
            Err(_) => {
                return crate::error::problem(
                    &ctx,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    ctx.t("common.form_errors"),
                    vec![("after".into(), ctx.t("err.uuid").into())],
                );
            }
        },
        None => None,
    };
    let en = ctx.lang == crate::i18n::Lang::En;
    match network::notifications(&st.core, &ctx.actor(), before, q.limit).await {
        Ok(p) => ok(
            StatusCode::OK,
            super::dto::PageOut {
                items: p
                    .items
                    .into_iter()
                    .map(|n| NotificationOut {
                        id: n.id,
                        kind: n.kind,
                        text: if en { n.text_en } else { n.text_vi },
                        link: n.link,
                        created_at: rfc3339(n.created_at),
                        read: n.read_at.is_some(),
                    })
                    .collect(),
                next: p.next,
            },
        ),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Marks every notification of the caller read.
#[utoipa::path(post, path = "/api/v1/notifications/read", responses((status = 204)))]
pub async fn mark_read(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
) -> Response {
    match network::mark_read(&st.core, &ctx.actor(), None).await {
        Ok(_) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => core_problem(&ctx, e),
    }
}
