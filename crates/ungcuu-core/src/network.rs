//! The network: organisation profiles (Mẫu 01), focal points and their history with the
//! coordinator told of every change (plan §IV.1), the province-wide directory and its gaps,
//! the response team roster and on-call schedule, convening the team, in-app notifications.

use crate::audit::{denied, require};
use crate::notices::{self, Notice};
use crate::{Actor, Core, CoreError, Result};
use serde::{Deserialize, Serialize};
use serde_json::json;
use time::{Duration, OffsetDateTime};
use ungcuu_domain::OrgKind;
use ungcuu_domain::permissions::{Action, Visibility};
use ungcuu_domain::timefmt::{now, show};
use ungcuu_domain::validate::Errors;
use ungcuu_store::network::{
    self, Convening, FocalPoint, Notification, Profile, Shift, TeamMember,
};
use ungcuu_store::orgs::Org;
use ungcuu_store::{Connection, Page, audit, commit, orgs, users};
use uuid::Uuid;

/// Staff counts of Mẫu 01, by training, degree, certificates and specialism.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Staffing {
    /// Trained in information technology.
    pub training_it: u32,
    /// Trained in information security.
    pub training_infosec: u32,
    /// Equivalent training.
    pub training_equivalent: u32,
    /// Postgraduate degree.
    pub degree_postgraduate: u32,
    /// University degree.
    pub degree_university: u32,
    /// College degree.
    pub degree_college: u32,
    /// Vocational qualification.
    pub degree_vocational: u32,
    /// International certificates.
    pub cert_international: u32,
    /// Domestic certificates.
    pub cert_domestic: u32,
    /// Management and policy.
    pub group_management: u32,
    /// Defence against attacks.
    pub group_defence: u32,
    /// System and application protection.
    pub group_protection: u32,
    /// Testing and assessment.
    pub group_testing: u32,
}

/// What a profile form sends (every text optional).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ProfileInput {
    /// Cơ quan chủ quản.
    pub owning_body: String,
    /// Địa chỉ.
    pub address: String,
    /// Điện thoại.
    pub phone: String,
    /// Fax.
    pub fax: String,
    /// Thư điện tử.
    pub email: String,
    /// Website.
    pub website: String,
    /// Lãnh đạo phụ trách ATTT.
    pub leader_name: String,
    /// Chức vụ.
    pub leader_title: String,
    /// Địa chỉ tiếp nhận sự cố.
    pub intake_address: String,
    /// Điện thoại cố định tiếp nhận.
    pub intake_phone: String,
    /// Di động tiếp nhận.
    pub intake_mobile: String,
    /// Fax tiếp nhận.
    pub intake_fax: String,
    /// Thư điện tử tiếp nhận.
    pub intake_email: String,
    /// Mô tả năng lực ứng cứu.
    pub response_capability: String,
    /// Staff counts.
    pub staffing: Staffing,
    /// Mã thành viên mạng lưới (empty: not a member of the national response network).
    pub member_code: String,
}

/// The longest network member code accepted ("ĐT-0087" and the like are far shorter).
pub const MEMBER_CODE_MAX: usize = 40;

fn opt_text(errs: &mut Errors, field: &str, v: &str, max: usize) -> Option<String> {
    let v = ungcuu_domain::text::nfc(v);
    if v.is_empty() {
        return None;
    }
    if v.chars().count() > max {
        errs.add(field, "err.too_long");
    } else if v
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        errs.add(field, "err.control_chars");
    }
    Some(v)
}

/// A one-line optional text: as [`opt_text`], and no line breaks or tabs.
fn opt_line(errs: &mut Errors, field: &str, v: &str, max: usize) -> Option<String> {
    let v = opt_text(errs, field, v, max)?;
    if v.contains(['\n', '\r', '\t']) {
        errs.add(field, "err.control_chars");
    }
    Some(v)
}

fn opt_email(errs: &mut Errors, field: &str, v: &str) -> Option<String> {
    if v.trim().is_empty() {
        return None;
    }
    Some(errs.email(field, v))
}

fn opt_phone(errs: &mut Errors, field: &str, v: &str) -> Option<String> {
    let v = v.trim();
    if v.is_empty() {
        return None;
    }
    let ok = v.len() <= 40
        && v.chars()
            .all(|c| c.is_ascii_digit() || " +-.()/".contains(c))
        && v.chars().filter(|c| c.is_ascii_digit()).count() >= 6;
    if !ok {
        errs.add(field, "err.phone");
    }
    Some(v.to_string())
}

fn opt_website(errs: &mut Errors, field: &str, v: &str) -> Option<String> {
    let v = v.trim();
    if v.is_empty() {
        return None;
    }
    let ok = (v.starts_with("https://") || v.starts_with("http://"))
        && v.len() <= 300
        && !v
            .chars()
            .any(|c| c.is_whitespace() || c == '"' || c == '<' || c == '>');
    if !ok {
        errs.add(field, "err.website");
    }
    Some(v.to_string())
}

/// An organisation's profile (an empty one when none was saved yet).
pub async fn profile(core: &Core, actor: &Actor, org: Uuid) -> Result<(Org, Profile, Staffing)> {
    let o = crate::orgs::get(core, actor, org).await?;
    let mut c = core.db.conn().await?;
    let p = network::profile(&mut c, org).await?.unwrap_or_default();
    let staffing = serde_json::from_str(&p.staffing).unwrap_or_default();
    Ok((o, p, staffing))
}

/// Saves an organisation's profile (its officers, the coordinator, administrators).
pub async fn update_profile(
    core: &Core,
    actor: &Actor,
    org: Uuid,
    input: ProfileInput,
) -> Result<Profile> {
    let o = crate::orgs::get(core, actor, org).await?;
    require(
        core,
        actor,
        Action::ProfileUpdate,
        o.id,
        "org_profile",
        Some(org.to_string()),
    )
    .await?;
    let mut e = Errors::default();
    let p = Profile {
        owning_body: opt_text(&mut e, "owning_body", &input.owning_body, 200),
        address: opt_text(&mut e, "address", &input.address, 300),
        phone: opt_phone(&mut e, "phone", &input.phone),
        fax: opt_phone(&mut e, "fax", &input.fax),
        email: opt_email(&mut e, "email", &input.email),
        website: opt_website(&mut e, "website", &input.website),
        leader_name: opt_text(&mut e, "leader_name", &input.leader_name, 200),
        leader_title: opt_text(&mut e, "leader_title", &input.leader_title, 200),
        intake_address: opt_text(&mut e, "intake_address", &input.intake_address, 300),
        intake_phone: opt_phone(&mut e, "intake_phone", &input.intake_phone),
        intake_mobile: opt_phone(&mut e, "intake_mobile", &input.intake_mobile),
        intake_fax: opt_phone(&mut e, "intake_fax", &input.intake_fax),
        intake_email: opt_email(&mut e, "intake_email", &input.intake_email),
        response_capability: opt_text(
            &mut e,
            "response_capability",
            &input.response_capability,
            4000,
        ),
        staffing: serde_json::to_string(&input.staffing).unwrap_or_else(|_| "{}".into()),
        member_code: opt_line(&mut e, "member_code", &input.member_code, MEMBER_CODE_MAX),
    };
    e.into_result().map_err(CoreError::Invalid)?;
    let t = now();
    let mut tx = core.db.begin().await?;
    let before = network::profile(&mut tx, org).await?;
    network::put_profile(&mut tx, org, &p, actor.user_id(), t).await?;
    let ev = actor.event(
        "org.profile_update",
        "org_profile",
        Some(org.to_string()),
        Some(org),
        json!({ "before": before, "after": p }),
    );
    audit::append(&mut tx, &ev, t).await?;
    commit(tx).await?;
    Ok(p)
}

/// What assigning a focal point needs.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct FocalPointInput {
    /// `primary` or `backup`.
    pub kind: String,
    /// The person's account, if they have one (name and e-mail are still required).
    pub user_id: Option<Uuid>,
    /// Họ và tên.
    pub name: String,
    /// Chức vụ.
    pub title: String,
    /// Địa chỉ.
    pub address: String,
    /// Điện thoại (giờ hành chính).
    pub phone: String,
    /// Di động.
    pub mobile: String,
    /// Fax.
    pub fax: String,
    /// Thư điện tử.
    pub email: String,
    /// Số liên lạc 24/7.
    pub phone_24x7: String,
    /// PGP fingerprint (40 hex characters, spaces allowed).
    pub pgp_fingerprint: String,
}

/// An organisation's focal points: current and past.
pub async fn focal_points(core: &Core, actor: &Actor, org: Uuid) -> Result<Vec<FocalPoint>> {
    crate::orgs::get(core, actor, org).await?;
    let mut c = core.db.conn().await?;
    Ok(network::focal_points(&mut c, org).await?)
}

/// Assigns (or replaces) the primary or backup focal point. The previous one is kept as history
/// with its end date, and the coordinator is told in the app and by e-mail.
pub async fn assign_focal_point(
    core: &Core,
    actor: &Actor,
    org: Uuid,
    input: FocalPointInput,
) -> Result<FocalPoint> {
    let o = crate::orgs::get(core, actor, org).await?;
    require(
        core,
        actor,
        Action::ProfileUpdate,
        o.id,
        "focal_point",
        None,
    )
    .await?;
    let mut e = Errors::default();
    if !matches!(input.kind.as_str(), "primary" | "backup") {
        e.add("kind", "err.focal_kind");
    }
    let name = e.text("name", &input.name, 200);
    let email = e.email("email", &input.email);
    let title = opt_text(&mut e, "title", &input.title, 200);
    let address = opt_text(&mut e, "address", &input.address, 300);
    let phone = opt_phone(&mut e, "phone", &input.phone);
    let mobile = opt_phone(&mut e, "mobile", &input.mobile);
    let fax = opt_phone(&mut e, "fax", &input.fax);
    let phone_24x7 = opt_phone(&mut e, "phone_24x7", &input.phone_24x7);
    let pgp: String = input
        .pgp_fingerprint
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    let pgp_fingerprint = if pgp.is_empty() {
        None
    } else {
        if pgp.len() != 40 || !pgp.chars().all(|c| c.is_ascii_hexdigit()) {
            e.add("pgp_fingerprint", "err.pgp");
        }
        Some(pgp)
    };
    if let Some(u) = input.user_id {
        let mut c = core.db.conn().await?;
        if users::get(&mut c, u).await?.is_none() {
            e.add("user_id", "err.user_missing");
        }
    }
    e.into_result().map_err(CoreError::Invalid)?;
    let t = now();
    let fp = FocalPoint {
        id: Uuid::now_v7(),
        organization_id: org,
        kind: input.kind.clone(),
        user_id: input.user_id,
        name,
        title,
        address,
        phone,
        mobile,
        fax,
        email,
        phone_24x7,
        pgp_fingerprint,
        valid_from: t,
        valid_to: None,
        assigned_by: Some(actor.label.clone()),
        ended_by: None,
    };
    let mut tx = core.db.begin().await?;
    let previous = network::end_focal_point(&mut tx, org, &fp.kind, &actor.label, t).await?;
    network::insert_focal_point(&mut tx, &fp).await?;
    let ev = actor.event(
        if previous.is_some() { "focal_point.replace" } else { "focal_point.assign" },
        "focal_point",
        Some(fp.id.to_string()),
        Some(org),
        json!({ "kind": fp.kind, "before": previous.as_ref().map(|p| json!({"name": p.name, "email": p.email})), "after": {"name": fp.name, "email": fp.email, "phone_24x7": fp.phone_24x7} }),
    );
    audit::append(&mut tx, &ev, t).await?;
    let kind_vi = if fp.kind == "primary" {
        "đầu mối chính"
    } else {
        "đầu mối dự phòng"
    };
    let kind_en = if fp.kind == "primary" {
        "primary focal point"
    } else {
        "backup focal point"
    };
    let (text_vi, text_en) = match &previous {
        Some(p) => (
            format!(
                "{}: thay {kind_vi} {} bằng {} ({}).",
                o.name, p.name, fp.name, fp.email
            ),
            format!(
                "{}: {kind_en} {} replaced by {} ({}).",
                o.name, p.name, fp.name, fp.email
            ),
        ),
        None => (
            format!(
                "{}: phân công {kind_vi} {} ({}).",
                o.name, fp.name, fp.email
            ),
            format!(
                "{}: {kind_en} assigned: {} ({}).",
                o.name, fp.name, fp.email
            ),
        ),
    };
    tell_coordinators(
        &mut tx,
        core,
        "focal_point.changed",
        &text_vi,
        &text_en,
        &format!("/orgs/{org}/profile"),
        t,
    )
    .await?;
    commit(tx).await?;
    Ok(fp)
}

async fn tell_coordinators(
    tx: &mut Connection,
    core: &Core,
    kind: &str,
    text_vi: &str,
    text_en: &str,
    link: &str,
    t: OffsetDateTime,
) -> Result<()> {
    let people = notices::coordinators(tx).await?;
    let notice = Notice {
        kind,
        subject: (
            "[ungcuu] Thay đổi đầu mối ứng cứu sự cố",
            "[ungcuu] Focal point changed",
        ),
        text: (text_vi, text_en),
        link,
    };
    notices::tell(tx, core, &people, &notice, t).await
}

/// One row of the province-wide directory.
#[derive(Debug, Clone)]
pub struct DirectoryRow {
    /// The organisation.
    pub org: Org,
    /// Current primary focal point.
    pub primary: Option<FocalPoint>,
    /// Current backup focal point.
    pub backup: Option<FocalPoint>,
    /// No primary focal point.
    pub missing_officer: bool,
    /// Neither focal point has a 24/7 number.
    pub missing_24x7: bool,
}

/// The kinds of organisation that must have a focal point.
pub const NEEDS_FOCAL_POINT: &[OrgKind] = &[
    OrgKind::Coordinator,
    OrgKind::Csirt,
    OrgKind::Department,
    OrgKind::District,
    OrgKind::Commune,
    OrgKind::Unit,
    OrgKind::Finance,
    OrgKind::Leadership,
];

/// The directory of focal points of every organisation the actor may see (the coordinator sees
/// the province), with the gaps flagged.
pub async fn directory(core: &Core, actor: &Actor) -> Result<Vec<DirectoryRow>> {
    let list = crate::orgs::all_readable(core, actor).await?;
    let ids: Vec<Uuid> = list.iter().map(|o| o.id).collect();
    let mut c = core.db.conn().await?;
    let fps = network::current_focal_points(&mut c, Some(&ids)).await?;
    Ok(list
        .into_iter()
        .filter(|o| NEEDS_FOCAL_POINT.contains(&o.kind))
        .map(|o| {
            let primary = fps
                .iter()
                .find(|f| f.organization_id == o.id && f.kind == "primary")
                .cloned();
            let backup = fps
                .iter()
                .find(|f| f.organization_id == o.id && f.kind == "backup")
                .cloned();
            let has_24 = primary
                .iter()
                .chain(backup.iter())
                .any(|f| f.phone_24x7.is_some());
            DirectoryRow {
                missing_officer: primary.is_none(),
                missing_24x7: !has_24,
                org: o,
                primary,
                backup,
            }
        })
        .collect())
}

fn can(actor: &Actor, action: Action) -> bool {
    actor
        .principal
        .as_ref()
        .is_none_or(|p| p.can_somewhere(action))
}

async fn is_member(core: &Core, actor: &Actor) -> Result<bool> {
    let Some(uid) = actor.user_id() else {
        return Ok(true);
    };
    let mut c = core.db.conn().await?;
    Ok(network::members(&mut c)
        .await?
        .iter()
        .any(|m| m.user_id == uid))
}

/// May the actor see the roster? Those who manage it or may convene it, and its members.
pub async fn can_see_roster(core: &Core, actor: &Actor) -> Result<bool> {
    Ok(can(actor, Action::RosterManage)
        || can(actor, Action::TeamConvene)
        || is_member(core, actor).await?)
}

async fn require_roster_read(core: &Core, actor: &Actor) -> Result<()> {
    if can_see_roster(core, actor).await? {
        Ok(())
    } else {
        Err(denied(
            core,
            actor,
            Action::RosterManage,
            "team",
            None,
            None,
            CoreError::Forbidden,
        )
        .await)
    }
}

async fn require_everywhere(
    core: &Core,
    actor: &Actor,
    action: Action,
    object: &str,
) -> Result<()> {
    let ok = actor
        .principal
        .as_ref()
        .is_none_or(|p| match p.visibility(action) {
            Visibility::All => true,
            // Held in a CSIRT or steering organisation below the province: still the team's own.
            Visibility::Orgs(s) => !s.is_empty() && action != Action::RosterManage,
            Visibility::Nothing => false,
        });
    if ok {
        Ok(())
    } else {
        Err(denied(
            core,
            actor,
            action,
            object,
            None,
            None,
            CoreError::Forbidden,
        )
        .await)
    }
}

/// The roster.
pub async fn members(core: &Core, actor: &Actor) -> Result<Vec<TeamMember>> {
    require_roster_read(core, actor).await?;
    let mut c = core.db.conn().await?;
    Ok(network::members(&mut c).await?)
}

/// Adds a person to the team with their skills.
pub async fn add_member(
    core: &Core,
    actor: &Actor,
    user: Uuid,
    skills: &str,
    note: &str,
) -> Result<TeamMember> {
    require_everywhere(core, actor, Action::RosterManage, "team").await?;
    let mut e = Errors::default();
    let skills = e.text("skills", skills, 500);
    let note = opt_text(&mut e, "note", note, 500);
    {
        let mut c = core.db.conn().await?;
        if users::get(&mut c, user).await?.is_none() {
            e.add("user_id", "err.user_missing");
        }
    }
    e.into_result().map_err(CoreError::Invalid)?;
    let t = now();
    let id = Uuid::now_v7();
    let mut tx = core.db.begin().await?;
    network::add_member(
        &mut tx,
        id,
        user,
        &skills,
        note.as_deref(),
        actor.user_id(),
        t,
    )
    .await
    .map_err(|e| {
        if matches!(e, ungcuu_store::StoreError::Unique(_)) {
            CoreError::field("user_id", "err.member_exists")
        } else {
            e.into()
        }
    })?;
    let ev = actor.event(
        "team.member_add",
        "team_member",
        Some(id.to_string()),
        None,
        json!({ "user_id": user, "skills": skills }),
    );
    audit::append(&mut tx, &ev, t).await?;
    let m = network::member(&mut tx, id)
        .await?
        .ok_or(CoreError::NotFound)?;
    commit(tx).await?;
    Ok(m)
}

/// Removes a member (and their shifts).
pub async fn remove_member(core: &Core, actor: &Actor, id: Uuid) -> Result<()> {
    require_everywhere(core, actor, Action::RosterManage, "team").await?;
    let t = now();
    let mut tx = core.db.begin().await?;
    let m = network::member(&mut tx, id)
        .await?
        .ok_or(CoreError::NotFound)?;
    network::remove_member(&mut tx, id).await?;
    let ev = actor.event(
        "team.member_remove",
        "team_member",
        Some(id.to_string()),
        None,
        json!({ "user_id": m.user_id }),
    );
    audit::append(&mut tx, &ev, t).await?;
    commit(tx).await?;
    Ok(())
}

/// Plans an on-call shift.
pub async fn add_shift(
    core: &Core,
    actor: &Actor,
    member: Uuid,
    from: OffsetDateTime,
    to: OffsetDateTime,
    note: &str,
) -> Result<Shift> {
    require_everywhere(core, actor, Action::RosterManage, "team").await?;
    let mut e = Errors::default();
    let note = opt_text(&mut e, "note", note, 300);
    if to <= from {
        e.add("ends_at", "err.shift_order");
    } else if to - from > Duration::days(31) {
        e.add("ends_at", "err.shift_long");
    }
    e.into_result().map_err(CoreError::Invalid)?;
    let t = now();
    let id = Uuid::now_v7();
    let mut tx = core.db.begin().await?;
    if network::member(&mut tx, member).await?.is_none() {
        return Err(CoreError::field("member_id", "err.member_missing"));
    }
    network::add_shift(
        &mut tx,
        &network::NewShift {
            id,
            member,
            from,
            to,
            note: note.as_deref(),
            by: actor.user_id(),
        },
        t,
    )
    .await?;
    let ev = actor.event("team.shift_add", "oncall_shift", Some(id.to_string()), None, json!({ "member_id": member, "from": ungcuu_domain::timefmt::to_db(from), "to": ungcuu_domain::timefmt::to_db(to) }));
    audit::append(&mut tx, &ev, t).await?;
    let s = network::shifts(&mut tx, from, to)
        .await?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or(CoreError::NotFound)?;
    commit(tx).await?;
    Ok(s)
}

/// Removes a shift.
pub async fn remove_shift(core: &Core, actor: &Actor, id: Uuid) -> Result<()> {
    require_everywhere(core, actor, Action::RosterManage, "team").await?;
    let t = now();
    let mut tx = core.db.begin().await?;
    if !network::remove_shift(&mut tx, id).await? {
        return Err(CoreError::NotFound);
    }
    let ev = actor.event(
        "team.shift_remove",
        "oncall_shift",
        Some(id.to_string()),
        None,
        json!({}),
    );
    audit::append(&mut tx, &ev, t).await?;
    commit(tx).await?;
    Ok(())
}

/// Shifts overlapping a period (who is on call now: `at..at`; next week: `at..at+7d`).
pub async fn shifts(
    core: &Core,
    actor: &Actor,
    from: OffsetDateTime,
    to: OffsetDateTime,
) -> Result<Vec<Shift>> {
    require_roster_read(core, actor).await?;
    let mut c = core.db.conn().await?;
    Ok(network::shifts(&mut c, from, to + Duration::microseconds(1)).await?)
}

/// Convenes the team: records who, when, why and for which incident, and tells every member
/// called, in the app and by e-mail. With no members given, everyone on the roster is called.
pub async fn convene(
    core: &Core,
    actor: &Actor,
    reason: &str,
    incident_ref: &str,
    members: &[Uuid],
) -> Result<Convening> {
    require_everywhere(core, actor, Action::TeamConvene, "team").await?;
    let mut e = Errors::default();
    let reason = e.text("reason", reason, 1000);
    let incident_ref = opt_text(&mut e, "incident_ref", incident_ref, 100);
    e.into_result().map_err(CoreError::Invalid)?;
    let t = now();
    let mut tx = core.db.begin().await?;
    let roster = network::members(&mut tx).await?;
    let called: Vec<&TeamMember> = if members.is_empty() {
        roster.iter().collect()
    } else {
        roster.iter().filter(|m| members.contains(&m.id)).collect()
    };
    if called.is_empty() {
        return Err(CoreError::field("members", "err.no_members"));
    }
    let cv = Convening {
        id: Uuid::now_v7(),
        reason: reason.clone(),
        incident_ref: incident_ref.clone(),
        convened_by: actor.label.clone(),
        convened_at: t,
        members: called.iter().map(|m| m.user_id).collect(),
    };
    network::insert_convening(&mut tx, &cv).await?;
    let when = show(t);
    let incident = incident_ref
        .as_deref()
        .map(|r| format!(" ({r})"))
        .unwrap_or_default();
    let text_vi = format!("Triệu tập Đội ứng cứu lúc {when}{incident}: {reason}");
    let text_en = format!("Response team convened at {when}{incident}: {reason}");
    let mut people = Vec::with_capacity(called.len());
    for m in &called {
        if let Some(r) = notices::recipient(&mut tx, m.user_id).await? {
            people.push(r);
        }
    }
    let notice = Notice {
        kind: "team.convened",
        subject: (
            "[ungcuu] Triệu tập Đội ứng cứu sự cố",
            "[ungcuu] Response team convened",
        ),
        text: (&text_vi, &text_en),
        link: "/team",
    };
    notices::tell(&mut tx, core, &people, &notice, t).await?;
    let ev = actor.event(
        "team.convene",
        "convening",
        Some(cv.id.to_string()),
        None,
        json!({ "reason": reason, "incident_ref": incident_ref, "members": cv.members }),
    );
    audit::append(&mut tx, &ev, t).await?;
    commit(tx).await?;
    Ok(cv)
}

/// Past convenings.
pub async fn convenings(core: &Core, actor: &Actor) -> Result<Vec<Convening>> {
    require_roster_read(core, actor).await?;
    let mut c = core.db.conn().await?;
    Ok(network::convenings(&mut c, 50).await?)
}

/// The acting person's notifications.
pub async fn notifications(
    core: &Core,
    actor: &Actor,
    before: Option<Uuid>,
    limit: Option<i64>,
) -> Result<Page<Notification>> {
    let uid = actor.user_id().ok_or(CoreError::Unauthenticated)?;
    let mut c = core.db.conn().await?;
    Ok(network::notifications(&mut c, uid, before, ungcuu_store::page_limit(limit)).await?)
}

/// Unread notifications of the acting person.
pub async fn unread(core: &Core, user: Uuid) -> Result<i64> {
    let mut c = core.db.conn().await?;
    Ok(network::unread_count(&mut c, user).await?)
}

/// Marks one (or all) of the acting person's notifications read.
pub async fn mark_read(core: &Core, actor: &Actor, id: Option<Uuid>) -> Result<u64> {
    let uid = actor.user_id().ok_or(CoreError::Unauthenticated)?;
    let mut c = core.db.conn().await?;
    Ok(network::mark_read(&mut c, uid, id, now()).await?)
}

/// Demo data: profiles, focal points (some gaps left on purpose), the roster, shifts.
pub async fn load_demo(core: &Core) -> Result<usize> {
    let actor = Actor::system("demo");
    let mut n = 0;
    let all = {
        let mut c = core.db.conn().await?;
        orgs::all(&mut c).await?
    };
    for (i, o) in all.iter().enumerate() {
        if !NEEDS_FOCAL_POINT.contains(&o.kind) {
            continue;
        }
        let existing = {
            let mut c = core.db.conn().await?;
            network::focal_points(&mut c, o.id).await?
        };
        if !existing.is_empty() {
            continue;
        }
        // Every seventh organisation is left without a focal point, every fifth without a 24/7
        // number, so the coordinator's gap list has something to show.
        if i % 7 == 3 {
            continue;
        }
        let officer = {
            let mut c = core.db.conn().await?;
            users::by_email(&mut c, &format!("canbo.{}@demo.test", o.slug)).await?
        };
        let name = officer
            .as_ref()
            .map(|u| u.name.clone())
            .unwrap_or_else(|| format!("Cán bộ {}", o.short_name.as_deref().unwrap_or(&o.name)));
        let email = officer
            .as_ref()
            .map(|u| u.email.clone())
            .unwrap_or_else(|| format!("canbo.{}@demo.test", o.slug));
        let input = FocalPointInput {
            kind: "primary".into(),
            user_id: officer.as_ref().map(|u| u.id),
            name,
            title: "Chuyên viên phụ trách an toàn thông tin".into(),
            phone: format!("0277 3{:06}", 850_000 + i * 37),
            mobile: format!("09{:08}", 12_345_000 + i * 1_001),
            email,
            phone_24x7: if i % 5 == 0 {
                String::new()
            } else {
                format!("09{:08}", 88_000_000 + i * 997)
            },
            ..Default::default()
        };
        assign_focal_point(core, &actor, o.id, input).await?;
        let profile = ProfileInput {
            owning_body: "Ủy ban nhân dân tỉnh Đồng Tháp".into(),
            address: format!("Số {} đường 30/4, Phường 1, thành phố Cao Lãnh, tỉnh Đồng Tháp", 10 + i),
            phone: format!("0277 3{:06}", 851_000 + i * 13),
            email: format!("{}@dongthap.gov.vn", o.slug.replace('-', "")),
            website: format!("https://{}.dongthap.gov.vn", o.slug.replace('-', "")),
            leader_name: format!("{} {}", ["Nguyễn Văn", "Trần Thị", "Lê Quốc", "Phạm Minh"][i % 4], ["Hùng", "Lan", "Tuấn", "Hoa", "Bình"][i % 5]),
            leader_title: "Phó Giám đốc".into(),
            intake_email: format!("ungcuu.{}@dongthap.gov.vn", o.slug.replace('-', "")),
            intake_phone: format!("0277 3{:06}", 852_000 + i * 11),
            response_capability: "Có cán bộ phụ trách an toàn thông tin; phối hợp với Sở Thông tin và Truyền thông khi xảy ra sự cố vượt khả năng.".into(),
            staffing: Staffing { training_it: 2 + (i % 4) as u32, training_infosec: (i % 3) as u32, degree_university: 2 + (i % 3) as u32, cert_domestic: (i % 2) as u32, group_protection: 1, ..Default::default() },
            // The coordinator and the response team are members of the national network (a
            // made-up code: real ones are given by VNCERT/CC).
            member_code: if matches!(o.kind, OrgKind::Coordinator | OrgKind::Csirt) {
                format!("DEMO-DT-{:03}", i + 1)
            } else {
                String::new()
            },
            ..Default::default()
        };
        update_profile(core, &actor, o.id, profile).await?;
        n += 1;
    }
    let roster_empty = {
        let mut c = core.db.conn().await?;
        network::members(&mut c).await?.is_empty()
    };
    if roster_empty {
        let skills = [
            "Phân tích mã độc, điều tra số",
            "Quản trị hệ thống, khôi phục dữ liệu",
            "An ninh mạng, phân tích nhật ký",
            "Kiểm thử xâm nhập, đánh giá lỗ hổng",
            "Ứng cứu sự cố web, gỡ bỏ thay đổi giao diện",
        ];
        let candidates = [
            "responder@demo.test",
            "canbo.ttcntt@demo.test",
            "canbo.so-tttt@demo.test",
            "canbo.doi-ung-cuu@demo.test",
            "canbo.so-y-te@demo.test",
        ];
        let mut ids = Vec::new();
        for (i, email) in candidates.iter().enumerate() {
            let u = {
                let mut c = core.db.conn().await?;
                users::by_email(&mut c, email).await?
            };
            if let Some(u) = u {
                ids.push(
                    add_member(core, &actor, u.id, skills[i % skills.len()], "")
                        .await?
                        .id,
                );
            }
        }
        let start = now().replace_time(time::Time::MIDNIGHT) - Duration::days(1);
        for d in 0..14 {
            if ids.is_empty() {
                break;
            }
            let m = ids[d % ids.len()];
            let from = start + Duration::days(d as i64) + Duration::hours(1);
            add_shift(core, &actor, m, from, from + Duration::days(1), "").await?;
        }
    }
    Ok(n)
}
