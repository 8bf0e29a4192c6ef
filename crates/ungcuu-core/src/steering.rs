//! Steering a serious incident (Phụ lục III steps 4 and 6): when an incident is escalated the
//! steering committee (Ban Chỉ đạo Chuyển đổi số) and the coordinators are told; the committee
//! then records its directions, convenes the response team for the incident, names the
//! spokesperson and who may release information, and keeps a log of what was said publicly.
//!
//! Reading follows the incident. Changing needs `incident.steer` on the incident's owner
//! (steering members province-wide, the coordinator, administrators), and the incident must
//! have been escalated. Every change is audited and on the timeline, in one transaction.

use crate::audit::denied;
use crate::notices::{self, Notice};
use crate::{Actor, Core, CoreError, Result};
use serde_json::json;
use time::OffsetDateTime;
use ungcuu_domain::Role;
use ungcuu_domain::coordination::CHANNELS;
use ungcuu_domain::incident::{IncidentState, LINE_MAX, long_text, parse_time};
use ungcuu_domain::permissions::Action;
use ungcuu_domain::timefmt::now;
use ungcuu_domain::validate::Errors;
use ungcuu_store::coordination::{self as store, Direction, InformationRole, Statement};
use ungcuu_store::incidents::{EventKind, Incident};
use ungcuu_store::network::Convening;
use ungcuu_store::{Connection, audit, commit, orgs};
use uuid::Uuid;

/// Everything the steering section shows.
#[derive(Debug, Clone, Default)]
pub struct SteeringView {
    /// The incident has been escalated (the section applies).
    pub escalated: bool,
    /// The actor may record directions, name people, log statements, convene.
    pub can_steer: bool,
    /// Directions, in the order given.
    pub directions: Vec<Direction>,
    /// Spokesperson and releasers, current ones first.
    pub roles: Vec<InformationRole>,
    /// What was said publicly.
    pub statements: Vec<Statement>,
    /// Convenings of the response team for this incident.
    pub convenings: Vec<Convening>,
}

fn may(actor: &Actor, action: Action, org: Uuid) -> bool {
    actor.principal.as_ref().is_none_or(|p| p.can(action, org))
}

/// Has the incident been escalated? It is while in `escalated`, and stays so through the rest
/// of its response (the committee keeps directing until it is closed).
async fn was_escalated(core: &Core, i: &Incident) -> Result<bool> {
    if i.state == IncidentState::Escalated {
        return Ok(true);
    }
    let mut c = core.db.conn().await?;
    Ok(ungcuu_store::incidents::events(&mut c, i.id)
        .await?
        .iter()
        .any(|e| e.kind == EventKind::Transition && e.to_state == Some(IncidentState::Escalated)))
}

/// The steering section of an incident the actor may read.
pub async fn view(core: &Core, actor: &Actor, id: Uuid) -> Result<SteeringView> {
    let i = crate::incidents::get(core, actor, id).await?;
    let escalated = was_escalated(core, &i).await?;
    let mut c = core.db.conn().await?;
    let key = id.to_string();
    let convenings = ungcuu_store::network::convenings(&mut c, 500)
        .await?
        .into_iter()
        .filter(|cv| cv.incident_ref.as_deref() == Some(key.as_str()))
        .collect();
    Ok(SteeringView {
        escalated,
        can_steer: may(actor, Action::IncidentSteer, i.owner.id),
        directions: store::directions(&mut c, id).await?,
        roles: store::information_roles(&mut c, id).await?,
        statements: store::statements(&mut c, id).await?,
        convenings,
    })
}

/// Loads the incident and checks the actor may steer it now: the right first (a refusal is
/// audited and answered 403), then that it was escalated.
async fn steerable(core: &Core, actor: &Actor, id: Uuid) -> Result<Incident> {
    let i = crate::incidents::get(core, actor, id).await?;
    if !may(actor, Action::IncidentSteer, i.owner.id) {
        return Err(denied(
            core,
            actor,
            Action::IncidentSteer,
            crate::incidents::OBJECT,
            Some(id.to_string()),
            Some(i.owner.id),
            CoreError::ForbiddenWith("steer.err.needs_steering"),
        )
        .await);
    }
    if !was_escalated(core, &i).await? {
        return Err(CoreError::field("incident", "steer.err.not_escalated"));
    }
    Ok(i)
}

/// A time something happened: empty is now; never in the future.
fn when(e: &mut Errors, field: &str, v: &str, t: OffsetDateTime) -> OffsetDateTime {
    match v.trim() {
        "" => t,
        v => match parse_time(v) {
            Some(at) if at > t + time::Duration::minutes(10) => {
                e.add(field, "err.date_future");
                t
            }
            Some(at) => at,
            None => {
                e.add(field, "err.datetime");
                t
            }
        },
    }
}

/// A one-line text (names), required or not.
fn line(e: &mut Errors, field: &str, v: &str, required: bool) -> String {
    let v = ungcuu_domain::text::nfc(v);
    if v.is_empty() {
        if required {
            e.add(field, "err.required");
        }
    } else if v.chars().count() > LINE_MAX {
        e.add(field, "err.too_long");
    } else if v.chars().any(char::is_control) {
        e.add(field, "err.control_chars");
    }
    v
}

/// Writes the timeline entry and the audit event of a steering change, in `tx`.
async fn record(
    tx: &mut Connection,
    actor: &Actor,
    i: &Incident,
    action: &str,
    text: String,
    (happened_at, t): (OffsetDateTime, OffsetDateTime),
    summary: serde_json::Value,
) -> Result<()> {
    let ev = crate::incidents::event(actor, i.id, EventKind::Steering, Some(text), happened_at, t);
    ungcuu_store::incidents::insert_event(tx, &ev).await?;
    ungcuu_store::incidents::touch(tx, i.id, t).await?;
    let a = actor.event(
        action,
        crate::incidents::OBJECT,
        Some(i.id.to_string()),
        Some(i.owner.id),
        summary,
    );
    audit::append(tx, &a, t).await?;
    Ok(())
}

/// A new direction.
#[derive(Debug, Clone, Default)]
pub struct NewDirection {
    /// What is directed.
    pub text: String,
    /// Who gave it (empty: the person recording it).
    pub given_by: String,
    /// When (empty: now).
    pub given_at: String,
    /// The organisation it is addressed to, if one.
    pub addressed_org_id: Option<Uuid>,
}

/// Records a direction of the steering committee. One addressed to an organisation opens the
/// incident to it for reading and tells its officers.
pub async fn add_direction(
    core: &Core,
    actor: &Actor,
    id: Uuid,
    new: NewDirection,
) -> Result<Direction> {
    let i = steerable(core, actor, id).await?;
    let t = now();
    let mut e = Errors::default();
    let text = long_text(&mut e, "text", &new.text, true);
    let mut given_by = line(&mut e, "given_by", &new.given_by, false);
    if given_by.is_empty() {
        given_by = actor.label.clone();
    }
    let given_at = when(&mut e, "given_at", &new.given_at, t);
    let addressed = match new.addressed_org_id {
        None => None,
        Some(o) => {
            let mut c = core.db.conn().await?;
            let found = orgs::get(&mut c, o).await?;
            if found.is_none() {
                e.add("addressed_org_id", "err.org_missing");
            }
            found
        }
    };
    e.into_result().map_err(CoreError::Invalid)?;
    let Some(text) = text else {
        return Err(CoreError::field("text", "err.required"));
    };
    let d = Direction {
        id: Uuid::now_v7(),
        incident_id: i.id,
        text: text.clone(),
        given_by,
        given_at,
        addressed_org_id: addressed.as_ref().map(|o| o.id),
        addressed_org_name: addressed.as_ref().map(|o| o.name.clone()),
        recorded_by: actor.user_id(),
        recorded_label: actor.label.clone(),
        created_at: t,
    };
    let mut tx = core.db.begin().await?;
    store::insert_direction(&mut tx, &d).await?;
    let mut grant = None;
    if let Some(o) = &addressed
        && o.id != i.owner.id
        && !store::org_has_grant(&mut tx, i.id, o.id).await?
    {
        let g = ungcuu_store::grants::Grant {
            id: Uuid::now_v7(),
            object_type: crate::incidents::OBJECT.into(),
            object_id: i.id,
            grantee: ungcuu_store::grants::Grantee::Org(o.id),
            access: "read".into(),
            granted_by: actor.user_id(),
            created_at: t,
        };
        ungcuu_store::grants::insert(&mut tx, &g).await?;
        grant = Some(g.id);
    }
    let to = addressed
        .as_ref()
        .map(|o| format!(" → {}", o.name))
        .unwrap_or_default();
    record(
        &mut tx,
        actor,
        &i,
        "steering.direction",
        format!("{}{to}: {text}", d.given_by),
        (given_at, t),
        json!({
            "direction_id": d.id,
            "text": text,
            "given_by": d.given_by,
            "given_at": ungcuu_domain::timefmt::to_db(given_at),
            "addressed_org_id": d.addressed_org_id,
            "grant_id": grant,
        }),
    )
    .await?;
    let mut people = notices::officers(&mut tx, i.owner.id).await?;
    if let Some(o) = &addressed {
        people.extend(notices::officers(&mut tx, o.id).await?);
    }
    people.extend(notices::coordinators(&mut tx).await?);
    people.retain(|p| Some(p.id) != actor.user_id());
    let vi = format!("Chỉ đạo về sự cố “{}”{to}: {text}", i.title);
    let en = format!("Direction on the incident “{}”{to}: {text}", i.title);
    let link = format!("/incidents/{}#steering", i.id);
    notices::tell(
        &mut tx,
        core,
        &people,
        &Notice {
            kind: "steering.direction",
            subject: (
                "Chỉ đạo xử lý sự cố nghiêm trọng",
                "Direction on a serious incident",
            ),
            text: (&vi, &en),
            link: &link,
        },
        t,
    )
    .await?;
    commit(tx).await?;
    Ok(d)
}

/// Names the spokesperson (ending the current one) or adds a person allowed to release
/// information about the incident.
pub async fn name(
    core: &Core,
    actor: &Actor,
    id: Uuid,
    role: &str,
    name: &str,
    contact: &str,
) -> Result<InformationRole> {
    let i = steerable(core, actor, id).await?;
    let mut e = Errors::default();
    let role = role.trim();
    if !matches!(role, "spokesperson" | "releaser") {
        e.add("role", "steer.err.role");
    }
    let name = line(&mut e, "name", name, true);
    let contact = line(&mut e, "contact", contact, false);
    e.into_result().map_err(CoreError::Invalid)?;
    let t = now();
    let r = InformationRole {
        id: Uuid::now_v7(),
        incident_id: i.id,
        role: role.into(),
        name: name.clone(),
        contact: (!contact.is_empty()).then_some(contact),
        assigned_by: actor.label.clone(),
        valid_from: t,
        valid_to: None,
    };
    let mut tx = core.db.begin().await?;
    let ended = if role == "spokesperson" {
        store::end_information_role(&mut tx, i.id, role, t).await?
    } else {
        0
    };
    store::insert_information_role(&mut tx, &r).await?;
    let label = if role == "spokesperson" {
        "Người phát ngôn / Spokesperson"
    } else {
        "Được cung cấp thông tin / May release information"
    };
    record(
        &mut tx,
        actor,
        &i,
        "steering.name",
        format!("{label}: {name}"),
        (t, t),
        json!({ "role_id": r.id, "role": role, "name": name, "contact": r.contact, "ended": ended }),
    )
    .await?;
    commit(tx).await?;
    Ok(r)
}

/// Ends a naming (the person no longer speaks or releases information).
pub async fn end_naming(core: &Core, actor: &Actor, role_id: Uuid) -> Result<()> {
    let r = {
        let mut c = core.db.conn().await?;
        store::information_role(&mut c, role_id).await?
    };
    let Some(r) = r else {
        return Err(CoreError::NotFound);
    };
    let i = steerable(core, actor, r.incident_id).await?;
    let t = now();
    let mut tx = core.db.begin().await?;
    if !store::end_information_role_id(&mut tx, role_id, t).await? {
        return Err(CoreError::field("role", "steer.err.already_ended"));
    }
    record(
        &mut tx,
        actor,
        &i,
        "steering.unname",
        format!("✕ {}", r.name),
        (t, t),
        json!({ "role_id": r.id, "role": r.role, "name": r.name }),
    )
    .await?;
    commit(tx).await?;
    Ok(())
}

/// A public statement to log.
#[derive(Debug, Clone, Default)]
pub struct NewStatement {
    /// When it was said (empty: now).
    pub said_at: String,
    /// Who said it.
    pub said_by: String,
    /// One of [`CHANNELS`].
    pub channel: String,
    /// What was said.
    pub text: String,
}

/// Logs what was said publicly about the incident.
pub async fn add_statement(
    core: &Core,
    actor: &Actor,
    id: Uuid,
    new: NewStatement,
) -> Result<Statement> {
    let i = steerable(core, actor, id).await?;
    let t = now();
    let mut e = Errors::default();
    let said_at = when(&mut e, "said_at", &new.said_at, t);
    let said_by = line(&mut e, "said_by", &new.said_by, true);
    let channel = new.channel.trim().to_string();
    if !CHANNELS.iter().any(|(c, _)| *c == channel) {
        e.add("channel", "steer.err.channel");
    }
    let text = long_text(&mut e, "text", &new.text, true);
    e.into_result().map_err(CoreError::Invalid)?;
    let Some(text) = text else {
        return Err(CoreError::field("text", "err.required"));
    };
    let s = Statement {
        id: Uuid::now_v7(),
        incident_id: i.id,
        said_at,
        said_by: said_by.clone(),
        channel: channel.clone(),
        text: text.clone(),
        recorded_by: actor.user_id(),
        recorded_label: actor.label.clone(),
        created_at: t,
    };
    let mut tx = core.db.begin().await?;
    store::insert_statement(&mut tx, &s).await?;
    record(
        &mut tx,
        actor,
        &i,
        "steering.statement",
        format!("{said_by} ({channel}): {text}"),
        (said_at, t),
        json!({
            "statement_id": s.id,
            "said_at": ungcuu_domain::timefmt::to_db(said_at),
            "said_by": said_by,
            "channel": channel,
            "text": text,
        }),
    )
    .await?;
    commit(tx).await?;
    Ok(s)
}

/// Convenes the response team for this incident: the roster's convening with the incident as
/// its reference (members are told by the roster), then the incident's timeline entry.
pub async fn convene(core: &Core, actor: &Actor, id: Uuid, reason: &str) -> Result<Convening> {
    let i = steerable(core, actor, id).await?;
    let cv = crate::network::convene(core, actor, reason, &i.id.to_string(), &[]).await?;
    let t = now();
    let mut tx = core.db.begin().await?;
    record(
        &mut tx,
        actor,
        &i,
        "steering.convene",
        cv.reason.clone(),
        (cv.convened_at, t),
        json!({ "convening_id": cv.id, "members": cv.members.len() }),
    )
    .await?;
    commit(tx).await?;
    Ok(cv)
}

/// Who is told when an incident is escalated: the steering committee members and the
/// coordinators, kept to those who can read the incident (a steering role held outside a
/// steering organisation reaches only its subtree). Read before the step's transaction opens.
pub(crate) async fn escalation_recipients(
    core: &Core,
    actor: &Actor,
    i: &Incident,
) -> Result<Vec<notices::Recipient>> {
    let people = {
        let mut c = core.db.conn().await?;
        let mut p = notices::holders(&mut c, None, Role::Steering, None).await?;
        p.extend(notices::coordinators(&mut c).await?);
        p
    };
    let mut out: Vec<notices::Recipient> = Vec::new();
    for p in people {
        if Some(p.id) == actor.user_id() || out.iter().any(|o| o.id == p.id) {
            continue;
        }
        let (principal, _) = crate::auth::principal(core, p.id).await?;
        let them = Actor::person(principal, &p.email, None);
        if crate::incidents::can_read(core, &them, i).await? {
            out.push(p);
        }
    }
    Ok(out)
}

/// Tells `people` (from [`escalation_recipients`]) that an incident was escalated, in the
/// transaction of the step.
pub(crate) async fn tell_escalated(
    tx: &mut Connection,
    core: &Core,
    i: &Incident,
    people: &[notices::Recipient],
    comment: Option<&str>,
    t: OffsetDateTime,
) -> Result<()> {
    let why = comment.map(|c| format!(" {c}")).unwrap_or_default();
    let vi = format!(
        "Sự cố “{}” của {} được xác định là sự cố nghiêm trọng và đã báo cáo Ban Chỉ đạo.{why}",
        i.title, i.owner.name
    );
    let en = format!(
        "The incident “{}” of {} is serious and was escalated to the steering committee.{why}",
        i.title, i.owner.name
    );
    let link = format!("/incidents/{}#steering", i.id);
    notices::tell(
        tx,
        core,
        people,
        &Notice {
            kind: "incident.escalated",
            subject: (
                "Sự cố nghiêm trọng cần Ban Chỉ đạo chỉ đạo",
                "Serious incident escalated to the steering committee",
            ),
            text: (&vi, &en),
            link: &link,
        },
        t,
    )
    .await
}

/// Gives each escalated demo incident without any steering yet a direction to the response
/// team, a spokesperson, a public statement and a request to the national coordinator, as a
/// province would record them in the first hours. Returns how many incidents it filled.
pub async fn load_demo(core: &Core) -> Result<usize> {
    let actor = Actor::system("demo");
    let escalated = {
        let mut c = core.db.conn().await?;
        let f = ungcuu_store::incidents::IncidentFilter {
            state: Some(IncidentState::Escalated),
            ..Default::default()
        };
        ungcuu_store::incidents::list(&mut c, &f, None, 50)
            .await?
            .items
    };
    let mut filled = 0;
    for i in escalated {
        {
            let mut c = core.db.conn().await?;
            if !store::directions(&mut c, i.id).await?.is_empty() {
                continue;
            }
        }
        let csirt = {
            let mut c = core.db.conn().await?;
            orgs::all(&mut c)
                .await?
                .into_iter()
                .find(|o| o.kind == ungcuu_domain::OrgKind::Csirt)
        };
        add_direction(
            core,
            &actor,
            i.id,
            NewDirection {
                text: "Đội ứng cứu sự cố của tỉnh khẩn trương cô lập các máy chủ bị mã hóa, \
                       khôi phục hệ thống một cửa điện tử từ bản sao lưu gần nhất và báo cáo \
                       Ban Chỉ đạo trước 17 giờ hôm nay."
                    .into(),
                given_by: "Chủ tịch UBND tỉnh, Trưởng Ban Chỉ đạo".into(),
                given_at: String::new(),
                addressed_org_id: csirt.map(|o| o.id),
            },
        )
        .await?;
        name(
            core,
            &actor,
            i.id,
            "spokesperson",
            "Phó Giám đốc Sở Khoa học và Công nghệ",
            "0277 3851 000",
        )
        .await?;
        add_statement(
            core,
            &actor,
            i.id,
            NewStatement {
                said_at: String::new(),
                said_by: "Phó Giám đốc Sở Khoa học và Công nghệ".into(),
                channel: "website".into(),
                text: "Hệ thống một cửa điện tử tạm ngừng để khắc phục sự cố kỹ thuật; hồ sơ \
                       của người dân vẫn được tiếp nhận trực tiếp tại bộ phận một cửa."
                    .into(),
            },
        )
        .await?;
        crate::coordination::create_request(
            core,
            &actor,
            i.id,
            crate::coordination::NewRequest {
                target: "national".into(),
                subject: "Đề nghị hỗ trợ phân tích mẫu mã độc tống tiền".into(),
                body: "Đề nghị VNCERT/CC hỗ trợ phân tích mẫu mã độc và kiểm tra khả năng giải \
                       mã dữ liệu bị mã hóa."
                    .into(),
                due_at: ungcuu_domain::timefmt::rfc3339(now() + time::Duration::days(1)),
                ..Default::default()
            },
        )
        .await?;
        filled += 1;
    }
    Ok(filled)
}
