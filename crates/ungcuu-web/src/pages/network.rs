//! Pages of the network: organisation profile and focal points, the directory, the response
//! team, notifications.

use super::render;
use crate::State;
use crate::ctx::{Ctx, SignedIn, redirect_with_flash};
use crate::forms::{CsrfForm, field_errors};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use time::{Duration, OffsetDateTime};
use ungcuu_core::CoreError;
use ungcuu_core::network::{self, DirectoryRow, FocalPointInput, ProfileInput, Staffing};
use ungcuu_domain::permissions::Action;
use ungcuu_domain::timefmt::{VIETNAM, now};
use ungcuu_store::network::{Convening, FocalPoint, Notification, Profile, Shift, TeamMember};
use ungcuu_store::orgs::Org;
use uuid::Uuid;

pub(super) fn router() -> Router<State> {
    Router::new()
        .route("/orgs/{id}/profile", get(profile_page).post(profile_save))
        .route("/orgs/{id}/focal-points", post(focal_point_save))
        .route("/directory", get(directory))
        .route("/team", get(team))
        .route("/team/members", post(member_add))
        .route("/team/members/{id}/delete", post(member_remove))
        .route("/team/shifts", post(shift_add))
        .route("/team/shifts/{id}/delete", post(shift_remove))
        .route("/team/convene", post(convene))
        .route("/notifications", get(notifications))
        .route("/notifications/read", post(mark_read))
}

#[derive(Template)]
#[template(path = "org_profile.html")]
struct ProfilePage<'a> {
    c: &'a Ctx,
    org: Org,
    p: Profile,
    staffing: Staffing,
    focal_points: Vec<FocalPoint>,
    can_edit: bool,
    errors: Vec<(String, String)>,
    fp_errors: Vec<(String, String)>,
}

impl ProfilePage<'_> {
    fn v<'b>(&self, o: &'b Option<String>) -> &'b str {
        o.as_deref().unwrap_or("")
    }
    fn capability(&self) -> &str {
        self.p.response_capability.as_deref().unwrap_or("")
    }
    fn current(&self) -> Vec<&FocalPoint> {
        self.focal_points
            .iter()
            .filter(|f| f.valid_to.is_none())
            .collect()
    }
    fn past(&self) -> Vec<&FocalPoint> {
        self.focal_points
            .iter()
            .filter(|f| f.valid_to.is_some())
            .collect()
    }
    fn staff_err(&self, name: &str) -> &str {
        crate::forms::err_for(&self.errors, &format!("staff_{name}"))
    }
    fn fp_fields(&self) -> [(&'static str, &'static str, &'static str); 9] {
        [
            ("name", "user.name", "text"),
            ("title", "focal.title_field", "text"),
            ("email", "user.email", "email"),
            ("phone", "focal.phone", "tel"),
            ("mobile", "focal.mobile", "tel"),
            ("phone_24x7", "focal.phone_24x7", "tel"),
            ("fax", "profile.fax", "tel"),
            ("address", "profile.address", "text"),
            ("pgp_fingerprint", "focal.pgp", "text"),
        ]
    }
    fn staffing_rows(&self) -> Vec<(&'static str, &'static str, u32)> {
        let s = &self.staffing;
        vec![
            ("training_it", "staff.training_it", s.training_it),
            (
                "training_infosec",
                "staff.training_infosec",
                s.training_infosec,
            ),
            (
                "training_equivalent",
                "staff.training_equivalent",
                s.training_equivalent,
            ),
            (
                "degree_postgraduate",
                "staff.degree_postgraduate",
                s.degree_postgraduate,
            ),
            (
                "degree_university",
                "staff.degree_university",
                s.degree_university,
            ),
            ("degree_college", "staff.degree_college", s.degree_college),
            (
                "degree_vocational",
                "staff.degree_vocational",
                s.degree_vocational,
            ),
            (
                "cert_international",
                "staff.cert_international",
                s.cert_international,
            ),
            ("cert_domestic", "staff.cert_domestic", s.cert_domestic),
            (
                "group_management",
                "staff.group_management",
                s.group_management,
            ),
            ("group_defence", "staff.group_defence", s.group_defence),
            (
                "group_protection",
                "staff.group_protection",
                s.group_protection,
            ),
            ("group_testing", "staff.group_testing", s.group_testing),
        ]
    }
    fn text_fields(&self) -> Vec<(&'static str, &'static str, String, &'static str)> {
        let p = &self.p;
        vec![
            (
                "owning_body",
                "profile.owning_body",
                self.v(&p.owning_body).into(),
                "text",
            ),
            (
                "address",
                "profile.address",
                self.v(&p.address).into(),
                "text",
            ),
            ("phone", "profile.phone", self.v(&p.phone).into(), "tel"),
            ("fax", "profile.fax", self.v(&p.fax).into(), "tel"),
            ("email", "profile.email", self.v(&p.email).into(), "email"),
            (
                "website",
                "profile.website",
                self.v(&p.website).into(),
                "url",
            ),
            (
                "leader_name",
                "profile.leader_name",
                self.v(&p.leader_name).into(),
                "text",
            ),
            (
                "leader_title",
                "profile.leader_title",
                self.v(&p.leader_title).into(),
                "text",
            ),
            (
                "intake_address",
                "profile.intake_address",
                self.v(&p.intake_address).into(),
                "text",
            ),
            (
                "intake_phone",
                "profile.intake_phone",
                self.v(&p.intake_phone).into(),
                "tel",
            ),
            (
                "intake_mobile",
                "profile.intake_mobile",
                self.v(&p.intake_mobile).into(),
                "tel",
            ),
            (
                "intake_fax",
                "profile.intake_fax",
                self.v(&p.intake_fax).into(),
                "tel",
            ),
            (
                "intake_email",
                "profile.intake_email",
                self.v(&p.intake_email).into(),
                "email",
            ),
            (
                "member_code",
                "profile.member_code",
                self.v(&p.member_code).into(),
                "text",
            ),
        ]
    }
}

async fn show_profile(
    st: &State,
    ctx: &Ctx,
    id: Uuid,
    override_p: Option<(Profile, Staffing)>,
    errors: Vec<(String, String)>,
    fp_errors: Vec<(String, String)>,
    status: StatusCode,
) -> Response {
    let actor = ctx.actor();
    let (org, p, staffing) = match network::profile(&st.core, &actor, id).await {
        Ok(x) => x,
        Err(e) => return crate::error::core_page(ctx, e),
    };
    let (p, staffing) = override_p.unwrap_or((p, staffing));
    let focal_points = match network::focal_points(&st.core, &actor, id).await {
        Ok(f) => f,
        Err(e) => return crate::error::core_page(ctx, e),
    };
    let can_edit = ctx
        .auth
        .as_ref()
        .is_some_and(|a| a.principal.can(Action::ProfileUpdate, org.id));
    let mut r = render(
        ctx,
        ProfilePage {
            c: ctx,
            org,
            p,
            staffing,
            focal_points,
            can_edit,
            errors,
            fp_errors,
        },
    );
    *r.status_mut() = status;
    r
}

async fn profile_page(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    Path(id): Path<String>,
) -> Response {
    match Uuid::parse_str(&id) {
        Ok(id) => show_profile(&st, &ctx, id, None, vec![], vec![], StatusCode::OK).await,
        Err(_) => crate::error::page(&ctx, StatusCode::NOT_FOUND),
    }
}

/// The profile form: text fields and the staffing counts (`staff_<name>`).
fn profile_input(pairs: &[(String, String)]) -> Result<ProfileInput, Vec<(String, String)>> {
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let mut staffing = serde_json::Map::new();
    let mut bad = Vec::new();
    for (k, v) in pairs.iter().filter(|(k, _)| k.starts_with("staff_")) {
        let name = k.trim_start_matches("staff_");
        match v.trim().parse::<u32>() {
            Ok(n) if n <= 100_000 => {
                staffing.insert(name.to_string(), serde_json::json!(n));
            }
            _ if v.trim().is_empty() => {}
            _ => bad.push((k.clone(), String::new())),
        }
    }
    let staffing: Staffing = match serde_json::from_value(serde_json::Value::Object(staffing)) {
        Ok(s) => s,
        Err(_) => {
            bad.push(("staffing".into(), String::new()));
            Staffing::default()
        }
    };
    if !bad.is_empty() {
        return Err(bad);
    }
    Ok(ProfileInput {
        owning_body: get("owning_body"),
        address: get("address"),
        phone: get("phone"),
        fax: get("fax"),
        email: get("email"),
        website: get("website"),
        leader_name: get("leader_name"),
        leader_title: get("leader_title"),
        intake_address: get("intake_address"),
        intake_phone: get("intake_phone"),
        intake_mobile: get("intake_mobile"),
        intake_fax: get("intake_fax"),
        intake_email: get("intake_email"),
        response_capability: get("response_capability"),
        staffing,
        member_code: get("member_code"),
    })
}

fn as_profile(i: &ProfileInput) -> (Profile, Staffing) {
    let o = |s: &String| Some(s.clone()).filter(|s| !s.trim().is_empty());
    (
        Profile {
            owning_body: o(&i.owning_body),
            address: o(&i.address),
            phone: o(&i.phone),
            fax: o(&i.fax),
            email: o(&i.email),
            website: o(&i.website),
            leader_name: o(&i.leader_name),
            leader_title: o(&i.leader_title),
            intake_address: o(&i.intake_address),
            intake_phone: o(&i.intake_phone),
            intake_mobile: o(&i.intake_mobile),
            intake_fax: o(&i.intake_fax),
            intake_email: o(&i.intake_email),
            response_capability: o(&i.response_capability),
            staffing: String::new(),
            member_code: o(&i.member_code),
        },
        i.staffing,
    )
}

async fn profile_save(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    Path(id): Path<Uuid>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let input = match profile_input(&pairs) {
        Ok(i) => i,
        Err(bad) => {
            let errs = bad
                .into_iter()
                .map(|(f, _)| (f, ctx.t("err.count").to_string()))
                .collect();
            return show_profile(
                &st,
                &ctx,
                id,
                None,
                errs,
                vec![],
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match network::update_profile(&st.core, &ctx.actor(), id, input.clone()).await {
        Ok(_) => redirect_with_flash(&ctx, &format!("/orgs/{id}/profile"), "flash.saved"),
        Err(CoreError::Invalid(errs)) => {
            let errs = field_errors(&ctx, &errs);
            show_profile(
                &st,
                &ctx,
                id,
                Some(as_profile(&input)),
                errs,
                vec![],
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => crate::error::core_page(&ctx, e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct FocalForm {
    kind: String,
    name: String,
    title: String,
    address: String,
    phone: String,
    mobile: String,
    fax: String,
    email: String,
    phone_24x7: String,
    pgp_fingerprint: String,
}

async fn focal_point_save(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    Path(id): Path<Uuid>,
    CsrfForm(f): CsrfForm<FocalForm>,
) -> Response {
    let user_id = {
        let Ok(mut c) = st.core.db.conn().await else {
            return crate::error::page(&ctx, StatusCode::SERVICE_UNAVAILABLE);
        };
        ungcuu_store::users::by_email(&mut c, &f.email)
            .await
            .ok()
            .flatten()
            .map(|u| u.id)
    };
    let input = FocalPointInput {
        kind: f.kind,
        user_id,
        name: f.name,
        title: f.title,
        address: f.address,
        phone: f.phone,
        mobile: f.mobile,
        fax: f.fax,
        email: f.email,
        phone_24x7: f.phone_24x7,
        pgp_fingerprint: f.pgp_fingerprint,
    };
    match network::assign_focal_point(&st.core, &ctx.actor(), id, input).await {
        Ok(_) => redirect_with_flash(
            &ctx,
            &format!("/orgs/{id}/profile"),
            "flash.focal_point_saved",
        ),
        Err(CoreError::Invalid(errs)) => {
            let errs = field_errors(&ctx, &errs);
            show_profile(
                &st,
                &ctx,
                id,
                None,
                vec![],
                errs,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => crate::error::core_page(&ctx, e),
    }
}

#[derive(Template)]
#[template(path = "directory.html")]
struct DirectoryPage<'a> {
    c: &'a Ctx,
    rows: Vec<DirectoryRow>,
    gaps_only: bool,
    missing_officer: usize,
    missing_24x7: usize,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct DirectoryQuery {
    gaps: Option<String>,
}

async fn directory(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    Query(q): Query<DirectoryQuery>,
) -> Response {
    let rows = match network::directory(&st.core, &ctx.actor()).await {
        Ok(r) => r,
        Err(e) => return crate::error::core_page(&ctx, e),
    };
    let missing_officer = rows.iter().filter(|r| r.missing_officer).count();
    let missing_24x7 = rows.iter().filter(|r| r.missing_24x7).count();
    let gaps_only = q.gaps.is_some();
    let rows = if gaps_only {
        rows.into_iter()
            .filter(|r| r.missing_officer || r.missing_24x7)
            .collect()
    } else {
        rows
    };
    render(
        &ctx,
        DirectoryPage {
            c: &ctx,
            rows,
            gaps_only,
            missing_officer,
            missing_24x7,
        },
    )
}

#[derive(Template)]
#[template(path = "team.html")]
struct TeamPage<'a> {
    c: &'a Ctx,
    members: Vec<TeamMember>,
    on_call_now: Vec<Shift>,
    upcoming: Vec<Shift>,
    convenings: Vec<Convening>,
    can_manage: bool,
    can_convene: bool,
    people: Vec<(String, String)>,
    errors: Vec<(String, String)>,
}

impl TeamPage<'_> {
    fn member_name(&self, user: &Uuid) -> String {
        self.members
            .iter()
            .find(|m| m.user_id == *user)
            .map(|m| m.name.clone())
            .unwrap_or_else(|| user.to_string())
    }
}

async fn show_team(
    st: &State,
    ctx: &Ctx,
    errors: Vec<(String, String)>,
    status: StatusCode,
) -> Response {
    let actor = ctx.actor();
    let members = match network::members(&st.core, &actor).await {
        Ok(m) => m,
        Err(e) => return crate::error::core_page(ctx, e),
    };
    let t = now();
    let on_call_now = network::shifts(&st.core, &actor, t, t)
        .await
        .unwrap_or_default();
    let upcoming = network::shifts(&st.core, &actor, t, t + Duration::days(7))
        .await
        .unwrap_or_default();
    let convenings = network::convenings(&st.core, &actor)
        .await
        .unwrap_or_default();
    let p = ctx.auth.as_ref().map(|a| a.principal.clone());
    let can_manage = p
        .as_ref()
        .is_some_and(|p| p.can_everywhere(Action::RosterManage));
    let can_convene = p
        .as_ref()
        .is_some_and(|p| p.can_somewhere(Action::TeamConvene));
    let people = if can_manage {
        ungcuu_core::users::list(&st.core, &actor, Default::default(), None, Some(200))
            .await
            .map(|pg| {
                pg.items
                    .into_iter()
                    .map(|u| (u.id.to_string(), format!("{} ({})", u.name, u.email)))
                    .collect()
            })
            .unwrap_or_default()
    } else {
        vec![]
    };
    let mut r = render(
        ctx,
        TeamPage {
            c: ctx,
            members,
            on_call_now,
            upcoming,
            convenings,
            can_manage,
            can_convene,
            people,
            errors,
        },
    );
    *r.status_mut() = status;
    r
}

async fn team(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
) -> Response {
    show_team(&st, &ctx, vec![], StatusCode::OK).await
}

async fn after(st: &State, ctx: &Ctx, r: Result<(), CoreError>, flash: &str) -> Response {
    match r {
        Ok(()) => redirect_with_flash(ctx, "/team", flash),
        Err(CoreError::Invalid(errs)) => {
            let errs = field_errors(ctx, &errs);
            show_team(st, ctx, errs, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => crate::error::core_page(ctx, e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MemberForm {
    user_id: String,
    skills: String,
    note: String,
}

async fn member_add(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    CsrfForm(f): CsrfForm<MemberForm>,
) -> Response {
    let Ok(user) = Uuid::parse_str(f.user_id.trim()) else {
        return show_team(
            &st,
            &ctx,
            vec![("user_id".into(), ctx.t("err.uuid").into())],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let r = network::add_member(&st.core, &ctx.actor(), user, &f.skills, &f.note)
        .await
        .map(|_| ());
    after(&st, &ctx, r, "flash.saved").await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ConfirmForm {
    confirm: Option<String>,
}

async fn member_remove(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    Path(id): Path<Uuid>,
    CsrfForm(f): CsrfForm<ConfirmForm>,
) -> Response {
    if f.confirm.as_deref() != Some("yes") {
        return crate::error::page(&ctx, StatusCode::BAD_REQUEST);
    }
    let r = network::remove_member(&st.core, &ctx.actor(), id).await;
    after(&st, &ctx, r, "flash.saved").await
}

/// A local date-time typed in a form (`yyyy-mm-ddThh:mm` from the picker), in Vietnam time.
pub(crate) fn parse_local(s: &str) -> Option<OffsetDateTime> {
    let s = s.trim();
    let (d, t) = s.split_once('T').or_else(|| s.split_once(' '))?;
    let mut dp = d.split('-');
    let (y, m, day) = (
        dp.next()?.parse().ok()?,
        dp.next()?.parse::<u8>().ok()?,
        dp.next()?.parse().ok()?,
    );
    let mut tp = t.split(':');
    let (h, mi) = (tp.next()?.parse().ok()?, tp.next()?.parse().ok()?);
    let date = time::Date::from_calendar_date(y, time::Month::try_from(m).ok()?, day).ok()?;
    Some(date.with_hms(h, mi, 0).ok()?.assume_offset(VIETNAM))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ShiftForm {
    member_id: String,
    starts_at: String,
    ends_at: String,
    note: String,
}

async fn shift_add(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    CsrfForm(f): CsrfForm<ShiftForm>,
) -> Response {
    let mut errs = Vec::new();
    let member = Uuid::parse_str(f.member_id.trim())
        .map_err(|_| errs.push(("member_id".to_string(), ctx.t("err.uuid").to_string())))
        .ok();
    let from = parse_local(&f.starts_at);
    let to = parse_local(&f.ends_at);
    if from.is_none() {
        errs.push(("starts_at".into(), ctx.t("err.datetime").into()));
    }
    if to.is_none() {
        errs.push(("ends_at".into(), ctx.t("err.datetime").into()));
    }
    let (Some(member), Some(from), Some(to)) = (member, from, to) else {
        return show_team(&st, &ctx, errs, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let r = network::add_shift(&st.core, &ctx.actor(), member, from, to, &f.note)
        .await
        .map(|_| ());
    after(&st, &ctx, r, "flash.saved").await
}

async fn shift_remove(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    Path(id): Path<Uuid>,
    CsrfForm(f): CsrfForm<ConfirmForm>,
) -> Response {
    if f.confirm.as_deref() != Some("yes") {
        return crate::error::page(&ctx, StatusCode::BAD_REQUEST);
    }
    let r = network::remove_shift(&st.core, &ctx.actor(), id).await;
    after(&st, &ctx, r, "flash.saved").await
}

async fn convene(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let members: Vec<Uuid> = pairs
        .iter()
        .filter(|(k, _)| k == "member")
        .filter_map(|(_, v)| Uuid::parse_str(v).ok())
        .collect();
    let r = network::convene(
        &st.core,
        &ctx.actor(),
        &get("reason"),
        &get("incident_ref"),
        &members,
    )
    .await
    .map(|_| ());
    after(&st, &ctx, r, "flash.convened").await
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct NotificationsPage<'a> {
    c: &'a Ctx,
    items: Vec<Notification>,
    next: Option<String>,
}

impl NotificationsPage<'_> {
    fn text<'b>(&self, n: &'b Notification) -> &'b str {
        if self.c.lang == crate::i18n::Lang::En {
            &n.text_en
        } else {
            &n.text_vi
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PageQuery {
    before: Option<String>,
}

async fn notifications(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    Query(q): Query<PageQuery>,
) -> Response {
    let before = q.before.as_deref().and_then(|b| Uuid::parse_str(b).ok());
    match network::notifications(&st.core, &ctx.actor(), before, Some(50)).await {
        Ok(p) => render(
            &ctx,
            NotificationsPage {
                c: &ctx,
                items: p.items,
                next: p.next,
            },
        ),
        Err(e) => crate::error::core_page(&ctx, e),
    }
}

async fn mark_read(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Response {
    match network::mark_read(&st.core, &ctx.actor(), None).await {
        Ok(_) => redirect_with_flash(&ctx, "/notifications", "flash.saved"),
        Err(e) => crate::error::core_page(&ctx, e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picker_times_are_vietnam_local() {
        let t = parse_local("2026-11-25T08:30").unwrap();
        assert_eq!(
            ungcuu_domain::timefmt::to_db(t),
            "2026-11-25T01:30:00.000000Z"
        );
        assert!(parse_local("2026-13-01T00:00").is_none());
        assert!(parse_local("soon").is_none());
    }
}
