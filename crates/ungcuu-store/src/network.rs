//! The provincial network: organisation profiles (Mẫu 01), focal points with their history,
//! in-app notifications, the response team roster, on-call shifts and convenings.

use crate::row::{RowExt, ts};
use crate::sql::Sql;
use crate::{Page, Result};
use sqlx::AnyConnection;
use sqlx::any::AnyRow;
use time::OffsetDateTime;
use uuid::Uuid;

/// The profile fields of Mẫu 01 (all optional text) plus staffing counts as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Profile {
    /// Cơ quan chủ quản.
    pub owning_body: Option<String>,
    /// Địa chỉ.
    pub address: Option<String>,
    /// Điện thoại.
    pub phone: Option<String>,
    /// Fax.
    pub fax: Option<String>,
    /// Thư điện tử.
    pub email: Option<String>,
    /// Trang thông tin điện tử.
    pub website: Option<String>,
    /// Lãnh đạo phụ trách ATTT.
    pub leader_name: Option<String>,
    /// Chức vụ of the leader.
    pub leader_title: Option<String>,
    /// Địa chỉ tiếp nhận sự cố.
    pub intake_address: Option<String>,
    /// Landline for incident intake.
    pub intake_phone: Option<String>,
    /// Mobile for incident intake.
    pub intake_mobile: Option<String>,
    /// Fax for incident intake.
    pub intake_fax: Option<String>,
    /// E-mail for incident intake.
    pub intake_email: Option<String>,
    /// Mô tả năng lực ứng cứu sự cố.
    pub response_capability: Option<String>,
    /// Staffing counts, JSON (see ungcuu-core's `network::Staffing`).
    pub staffing: String,
    /// Mã thành viên mạng lưới: set when the organisation is a member of the national response
    /// network (printed on its Mẫu 05; makes it a possible recipient of Mẫu 03 and 04).
    #[serde(default)]
    pub member_code: Option<String>,
}

const PROFILE_COLS: &str = "owning_body, address, phone, fax, email, website, leader_name, leader_title, intake_address, intake_phone, intake_mobile, intake_fax, intake_email, response_capability, staffing, member_code";

fn profile_from_row(r: &AnyRow) -> Result<Profile> {
    Ok(Profile {
        owning_body: r.opt_text("owning_body")?,
        address: r.opt_text("address")?,
        phone: r.opt_text("phone")?,
        fax: r.opt_text("fax")?,
        email: r.opt_text("email")?,
        website: r.opt_text("website")?,
        leader_name: r.opt_text("leader_name")?,
        leader_title: r.opt_text("leader_title")?,
        intake_address: r.opt_text("intake_address")?,
        intake_phone: r.opt_text("intake_phone")?,
        intake_mobile: r.opt_text("intake_mobile")?,
        intake_fax: r.opt_text("intake_fax")?,
        intake_email: r.opt_text("intake_email")?,
        response_capability: r.opt_text("response_capability")?,
        staffing: r.text("staffing")?,
        member_code: r.opt_text("member_code")?,
    })
}

/// An organisation's profile, if one was saved.
pub async fn profile(c: &mut AnyConnection, org: Uuid) -> Result<Option<Profile>> {
    let mut q = Sql::new("SELECT ");
    q.push(PROFILE_COLS)
        .push(" FROM org_profiles WHERE organization_id = ")
        .bind(org);
    q.query()
        .fetch_optional(c)
        .await?
        .as_ref()
        .map(profile_from_row)
        .transpose()
}

/// Saves a profile (insert or replace).
pub async fn put_profile(
    c: &mut AnyConnection,
    org: Uuid,
    p: &Profile,
    by: Option<Uuid>,
    at: OffsetDateTime,
) -> Result<()> {
    sqlx::query("DELETE FROM org_profiles WHERE organization_id = $1")
        .bind(org.to_string())
        .execute(&mut *c)
        .await?;
    sqlx::query(
        "INSERT INTO org_profiles (organization_id, owning_body, address, phone, fax, email, website, leader_name, leader_title,
         intake_address, intake_phone, intake_mobile, intake_fax, intake_email, response_capability, staffing, updated_by, updated_at, member_code)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)",
    )
    .bind(org.to_string())
    .bind(p.owning_body.clone())
    .bind(p.address.clone())
    .bind(p.phone.clone())
    .bind(p.fax.clone())
    .bind(p.email.clone())
    .bind(p.website.clone())
    .bind(p.leader_name.clone())
    .bind(p.leader_title.clone())
    .bind(p.intake_address.clone())
    .bind(p.intake_phone.clone())
    .bind(p.intake_mobile.clone())
    .bind(p.intake_fax.clone())
    .bind(p.intake_email.clone())
    .bind(p.response_capability.clone())
    .bind(p.staffing.clone())
    .bind(by.map(|u| u.to_string()))
    .bind(ts(at))
    .bind(p.member_code.clone())
    .execute(c)
    .await?;
    Ok(())
}

/// The members of the national response network: every organisation whose profile carries a
/// member code, with the code and the profile, ordered by organisation id.
pub async fn network_members(c: &mut AnyConnection) -> Result<Vec<(Uuid, Profile)>> {
    let mut q = Sql::new("SELECT organization_id, ");
    q.push(PROFILE_COLS).push(
        " FROM org_profiles WHERE member_code IS NOT NULL AND member_code <> '' ORDER BY organization_id",
    );
    q.query()
        .fetch_all(c)
        .await?
        .iter()
        .map(|r| Ok((r.uuid("organization_id")?, profile_from_row(r)?)))
        .collect()
}

/// A focal point (đầu mối) of an organisation, current or past.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FocalPoint {
    /// Id.
    pub id: Uuid,
    /// The organisation.
    pub organization_id: Uuid,
    /// `primary` or `backup`.
    pub kind: String,
    /// The account, when the person has one.
    pub user_id: Option<Uuid>,
    /// Họ và tên.
    pub name: String,
    /// Chức vụ.
    pub title: Option<String>,
    /// Địa chỉ.
    pub address: Option<String>,
    /// Landline, working hours.
    pub phone: Option<String>,
    /// Mobile.
    pub mobile: Option<String>,
    /// Fax.
    pub fax: Option<String>,
    /// E-mail.
    pub email: String,
    /// A number answered 24/7.
    pub phone_24x7: Option<String>,
    /// PGP key fingerprint.
    pub pgp_fingerprint: Option<String>,
    /// From.
    pub valid_from: OffsetDateTime,
    /// Until (None: current).
    pub valid_to: Option<OffsetDateTime>,
    /// Who assigned.
    pub assigned_by: Option<String>,
    /// Who replaced or ended it.
    pub ended_by: Option<String>,
}

const FP_COLS: &str = "id, organization_id, kind, user_id, name, title, address, phone, mobile, fax, email, phone_24x7, pgp_fingerprint, valid_from, valid_to, assigned_by, ended_by";

fn fp_from_row(r: &AnyRow) -> Result<FocalPoint> {
    Ok(FocalPoint {
        id: r.uuid("id")?,
        organization_id: r.uuid("organization_id")?,
        kind: r.text("kind")?,
        user_id: r.opt_uuid("user_id")?,
        name: r.text("name")?,
        title: r.opt_text("title")?,
        address: r.opt_text("address")?,
        phone: r.opt_text("phone")?,
        mobile: r.opt_text("mobile")?,
        fax: r.opt_text("fax")?,
        email: r.text("email")?,
        phone_24x7: r.opt_text("phone_24x7")?,
        pgp_fingerprint: r.opt_text("pgp_fingerprint")?,
        valid_from: r.time("valid_from")?,
        valid_to: r.opt_time("valid_to")?,
        assigned_by: r.opt_text("assigned_by")?,
        ended_by: r.opt_text("ended_by")?,
    })
}

/// Ends the current focal point of `kind` (if any); returns it.
pub async fn end_focal_point(
    c: &mut AnyConnection,
    org: Uuid,
    kind: &str,
    by: &str,
    at: OffsetDateTime,
) -> Result<Option<FocalPoint>> {
    let mut q = Sql::new("SELECT ");
    q.push(FP_COLS)
        .push(" FROM focal_points WHERE organization_id = ")
        .bind(org)
        .push(" AND kind = ")
        .bind(kind)
        .push(" AND valid_to IS NULL");
    let current = q
        .query()
        .fetch_optional(&mut *c)
        .await?
        .as_ref()
        .map(fp_from_row)
        .transpose()?;
    if let Some(cur) = &current {
        sqlx::query("UPDATE focal_points SET valid_to = $2, ended_by = $3 WHERE id = $1")
            .bind(cur.id.to_string())
            .bind(ts(at))
            .bind(by.to_string())
            .execute(c)
            .await?;
    }
    Ok(current)
}

/// Inserts a focal point.
pub async fn insert_focal_point(c: &mut AnyConnection, f: &FocalPoint) -> Result<()> {
    sqlx::query(
        "INSERT INTO focal_points (id, organization_id, kind, user_id, name, title, address, phone, mobile, fax, email,
         phone_24x7, pgp_fingerprint, valid_from, assigned_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
    )
    .bind(f.id.to_string())
    .bind(f.organization_id.to_string())
    .bind(f.kind.clone())
    .bind(f.user_id.map(|u| u.to_string()))
    .bind(f.name.clone())
    .bind(f.title.clone())
    .bind(f.address.clone())
    .bind(f.phone.clone())
    .bind(f.mobile.clone())
    .bind(f.fax.clone())
    .bind(f.email.clone())
    .bind(f.phone_24x7.clone())
    .bind(f.pgp_fingerprint.clone())
    .bind(ts(f.valid_from))
    .bind(f.assigned_by.clone())
    .execute(c)
    .await?;
    Ok(())
}

/// Every focal point of an organisation, current first, then history newest first.
pub async fn focal_points(c: &mut AnyConnection, org: Uuid) -> Result<Vec<FocalPoint>> {
    let mut q = Sql::new("SELECT ");
    q.push(FP_COLS)
        .push(" FROM focal_points WHERE organization_id = ")
        .bind(org)
        .push(" ORDER BY CASE WHEN valid_to IS NULL THEN 0 ELSE 1 END, valid_from DESC, id DESC");
    q.query()
        .fetch_all(c)
        .await?
        .iter()
        .map(fp_from_row)
        .collect()
}

/// The current focal points of the given organisations (`None`: all).
pub async fn current_focal_points(
    c: &mut AnyConnection,
    within: Option<&[Uuid]>,
) -> Result<Vec<FocalPoint>> {
    let mut q = Sql::new("SELECT ");
    q.push(FP_COLS)
        .push(" FROM focal_points WHERE valid_to IS NULL");
    if let Some(ids) = within {
        q.push(" AND organization_id IN ")
            .bind_list(ids.iter().copied());
    }
    q.push(" ORDER BY organization_id, kind");
    q.query()
        .fetch_all(c)
        .await?
        .iter()
        .map(fp_from_row)
        .collect()
}

/// An in-app notification.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Notification {
    /// Id.
    pub id: Uuid,
    /// What it is about (`focal_point.changed`, `team.convened`).
    pub kind: String,
    /// Vietnamese text.
    pub text_vi: String,
    /// English text.
    pub text_en: String,
    /// A page to open.
    pub link: Option<String>,
    /// When.
    pub created_at: OffsetDateTime,
    /// Read when.
    pub read_at: Option<OffsetDateTime>,
}

/// Stores a notification for a person.
pub async fn notify(
    c: &mut AnyConnection,
    user: Uuid,
    kind: &str,
    text_vi: &str,
    text_en: &str,
    link: Option<&str>,
    at: OffsetDateTime,
) -> Result<Uuid> {
    let id = Uuid::now_v7();
    sqlx::query("INSERT INTO notifications (id, user_id, kind, text_vi, text_en, link, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(id.to_string())
        .bind(user.to_string())
        .bind(kind.to_string())
        .bind(text_vi.to_string())
        .bind(text_en.to_string())
        .bind(link.map(str::to_string))
        .bind(ts(at))
        .execute(c)
        .await?;
    Ok(id)
}

/// A notification from a row with the columns `id, kind, text_vi, text_en, link, created_at,
/// read_at`.
pub(crate) fn notification_from_row(r: &AnyRow) -> Result<Notification> {
    Ok(Notification {
        id: r.uuid("id")?,
        kind: r.text("kind")?,
        text_vi: r.text("text_vi")?,
        text_en: r.text("text_en")?,
        link: r.opt_text("link")?,
        created_at: r.time("created_at")?,
        read_at: r.opt_time("read_at")?,
    })
}

/// A person's notifications, newest first, keyset by id.
pub async fn notifications(
    c: &mut AnyConnection,
    user: Uuid,
    before: Option<Uuid>,
    limit: i64,
) -> Result<Page<Notification>> {
    let mut q = Sql::new(
        "SELECT id, kind, text_vi, text_en, link, created_at, read_at FROM notifications WHERE user_id = ",
    );
    q.bind(user);
    if let Some(b) = before {
        q.push(" AND id < ").bind(b);
    }
    q.push(" ORDER BY id DESC LIMIT ").bind(limit + 1);
    let mut items: Vec<Notification> = q
        .query()
        .fetch_all(c)
        .await?
        .iter()
        .map(notification_from_row)
        .collect::<Result<_>>()?;
    let next = if items.len() as i64 > limit {
        items.truncate(limit as usize);
        items.last().map(|n| n.id.to_string())
    } else {
        None
    };
    Ok(Page { items, next })
}

/// Unread notifications of a person.
pub async fn unread_count(c: &mut AnyConnection, user: Uuid) -> Result<i64> {
    sqlx::query("SELECT COUNT(*) AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL")
        .bind(user.to_string())
        .fetch_one(c)
        .await?
        .int("n")
}

/// Marks a person's notification (or all, with `None`) read; returns how many changed.
pub async fn mark_read(
    c: &mut AnyConnection,
    user: Uuid,
    id: Option<Uuid>,
    at: OffsetDateTime,
) -> Result<u64> {
    let mut q = Sql::new("UPDATE notifications SET read_at = ");
    q.bind(ts(at))
        .push(" WHERE read_at IS NULL AND user_id = ")
        .bind(user);
    if let Some(i) = id {
        q.push(" AND id = ").bind(i);
    }
    Ok(q.query().execute(c).await?.rows_affected())
}

/// A member of the response team.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TeamMember {
    /// Id.
    pub id: Uuid,
    /// The person.
    pub user_id: Uuid,
    /// Their name.
    pub name: String,
    /// Their e-mail.
    pub email: String,
    /// Skills, comma-separated.
    pub skills: String,
    /// A note.
    pub note: Option<String>,
    /// Joined.
    pub created_at: OffsetDateTime,
}

/// Adds a member.
pub async fn add_member(
    c: &mut AnyConnection,
    id: Uuid,
    user: Uuid,
    skills: &str,
    note: Option<&str>,
    by: Option<Uuid>,
    at: OffsetDateTime,
) -> Result<()> {
    sqlx::query("INSERT INTO team_members (id, user_id, skills, note, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(id.to_string())
        .bind(user.to_string())
        .bind(skills.to_string())
        .bind(note.map(str::to_string))
        .bind(by.map(|u| u.to_string()))
        .bind(ts(at))
        .execute(c)
        .await?;
    Ok(())
}

/// Removes a member and their shifts.
pub async fn remove_member(c: &mut AnyConnection, id: Uuid) -> Result<bool> {
    sqlx::query("DELETE FROM oncall_shifts WHERE member_id = $1")
        .bind(id.to_string())
        .execute(&mut *c)
        .await?;
    Ok(sqlx::query("DELETE FROM team_members WHERE id = $1")
        .bind(id.to_string())
        .execute(c)
        .await?
        .rows_affected()
        > 0)
}

fn member_from_row(r: &AnyRow) -> Result<TeamMember> {
    Ok(TeamMember {
        id: r.uuid("id")?,
        user_id: r.uuid("user_id")?,
        name: r.text("name")?,
        email: r.text("email")?,
        skills: r.text("skills")?,
        note: r.opt_text("note")?,
        created_at: r.time("created_at")?,
    })
}

/// Every member, by name.
pub async fn members(c: &mut AnyConnection) -> Result<Vec<TeamMember>> {
    let rows = sqlx::query(
        "SELECT m.id, m.user_id, u.name, u.email, m.skills, m.note, m.created_at FROM team_members m
         JOIN users u ON u.id = m.user_id ORDER BY u.search_text, m.id",
    )
    .fetch_all(c)
    .await?;
    rows.iter().map(member_from_row).collect()
}

/// One member.
pub async fn member(c: &mut AnyConnection, id: Uuid) -> Result<Option<TeamMember>> {
    let r = sqlx::query(
        "SELECT m.id, m.user_id, u.name, u.email, m.skills, m.note, m.created_at FROM team_members m
         JOIN users u ON u.id = m.user_id WHERE m.id = $1",
    )
    .bind(id.to_string())
    .fetch_optional(c)
    .await?;
    r.as_ref().map(member_from_row).transpose()
}

/// An on-call shift.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Shift {
    /// Id.
    pub id: Uuid,
    /// The member.
    pub member_id: Uuid,
    /// Member's name.
    pub name: String,
    /// From.
    pub starts_at: OffsetDateTime,
    /// Until.
    pub ends_at: OffsetDateTime,
    /// A note.
    pub note: Option<String>,
}

/// A shift to plan.
#[derive(Debug, Clone)]
pub struct NewShift<'a> {
    /// Id.
    pub id: Uuid,
    /// The member.
    pub member: Uuid,
    /// From.
    pub from: OffsetDateTime,
    /// Until.
    pub to: OffsetDateTime,
    /// A note.
    pub note: Option<&'a str>,
    /// Who planned it.
    pub by: Option<Uuid>,
}

/// Adds a shift.
pub async fn add_shift(c: &mut AnyConnection, s: &NewShift<'_>, at: OffsetDateTime) -> Result<()> {
    sqlx::query("INSERT INTO oncall_shifts (id, member_id, starts_at, ends_at, note, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(s.id.to_string())
        .bind(s.member.to_string())
        .bind(ts(s.from))
        .bind(ts(s.to))
        .bind(s.note.map(str::to_string))
        .bind(s.by.map(|u| u.to_string()))
        .bind(ts(at))
        .execute(c)
        .await?;
    Ok(())
}

/// Removes a shift.
pub async fn remove_shift(c: &mut AnyConnection, id: Uuid) -> Result<bool> {
    Ok(sqlx::query("DELETE FROM oncall_shifts WHERE id = $1")
        .bind(id.to_string())
        .execute(c)
        .await?
        .rows_affected()
        > 0)
}

/// Shifts overlapping [from, to), by start.
pub async fn shifts(
    c: &mut AnyConnection,
    from: OffsetDateTime,
    to: OffsetDateTime,
) -> Result<Vec<Shift>> {
    let rows = sqlx::query(
        "SELECT s.id, s.member_id, u.name, s.starts_at, s.ends_at, s.note FROM oncall_shifts s
         JOIN team_members m ON m.id = s.member_id JOIN users u ON u.id = m.user_id
         WHERE s.starts_at < $2 AND s.ends_at > $1 ORDER BY s.starts_at, s.id",
    )
    .bind(ts(from))
    .bind(ts(to))
    .fetch_all(c)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Shift {
                id: r.uuid("id")?,
                member_id: r.uuid("member_id")?,
                name: r.text("name")?,
                starts_at: r.time("starts_at")?,
                ends_at: r.time("ends_at")?,
                note: r.opt_text("note")?,
            })
        })
        .collect()
}

/// A time the team was convened.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Convening {
    /// Id.
    pub id: Uuid,
    /// Why.
    pub reason: String,
    /// The incident it is for (a reference until incidents exist).
    pub incident_ref: Option<String>,
    /// Who convened (label).
    pub convened_by: String,
    /// When.
    pub convened_at: OffsetDateTime,
    /// Who was called.
    pub members: Vec<Uuid>,
}

/// Records a convening with the people called.
pub async fn insert_convening(c: &mut AnyConnection, cv: &Convening) -> Result<()> {
    sqlx::query("INSERT INTO convenings (id, reason, incident_ref, convened_by, convened_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(cv.id.to_string())
        .bind(cv.reason.clone())
        .bind(cv.incident_ref.clone())
        .bind(cv.convened_by.clone())
        .bind(ts(cv.convened_at))
        .execute(&mut *c)
        .await?;
    for u in &cv.members {
        sqlx::query("INSERT INTO convening_members (convening_id, user_id) VALUES ($1, $2)")
            .bind(cv.id.to_string())
            .bind(u.to_string())
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}

/// Convenings, newest first.
pub async fn convenings(c: &mut AnyConnection, limit: i64) -> Result<Vec<Convening>> {
    let rows = sqlx::query("SELECT id, reason, incident_ref, convened_by, convened_at FROM convenings ORDER BY convened_at DESC, id DESC LIMIT $1")
        .bind(limit)
        .fetch_all(&mut *c)
        .await?;
    let mut out = Vec::new();
    for r in &rows {
        let id = r.uuid("id")?;
        let ms = sqlx::query("SELECT user_id FROM convening_members WHERE convening_id = $1")
            .bind(id.to_string())
            .fetch_all(&mut *c)
            .await?
            .iter()
            .map(|m| m.uuid("user_id"))
            .collect::<Result<Vec<_>>>()?;
        out.push(Convening {
            id,
            reason: r.text("reason")?,
            incident_ref: r.opt_text("incident_ref")?,
            convened_by: r.text("convened_by")?,
            convened_at: r.time("convened_at")?,
            members: ms,
        });
    }
    Ok(out)
}
