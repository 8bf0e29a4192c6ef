//! Coordination on an incident (Phụ lục III, issue 5 item 6): requests for support from one
//! organisation to another, to the province's response team or to the national coordinator,
//! each with a due date, a status and a thread of replies; the requests inbox of an
//! organisation; and `@mentions` in comments, told only to people who can read the incident.
//!
//! Everything is authorised through the incident: reading a request needs reading its
//! incident. A request to an organisation grants that organisation read access to the incident
//! (the request is the authority, so the asking side needs no `grant.manage`) in the same
//! transaction that stores the request, tells its officers and writes the timeline and audit.

use crate::audit::denied;
use crate::notices::{self, Notice, Recipient};
use crate::{Actor, Core, CoreError, Result};
use serde_json::json;
use time::OffsetDateTime;
use ungcuu_domain::coordination::{self as rules, Side, Status, Target};
use ungcuu_domain::incident::{LINE_MAX, long_text, parse_time};
use ungcuu_domain::permissions::Action;
use ungcuu_domain::timefmt::now;
use ungcuu_domain::validate::Errors;
use ungcuu_domain::{OrgKind, Role};
use ungcuu_store::coordination::{self as store, Reply, Request};
use ungcuu_store::grants::{Grant, Grantee};
use ungcuu_store::incidents::{Event, EventKind, Incident};
use ungcuu_store::{Connection, audit, commit, orgs, settings, users};
use uuid::Uuid;

/// The object type of requests in the audit log.
pub const OBJECT: &str = "coordination_request";

/// The settings key of the national coordinator's contact (JSON of [`NationalContact`]).
pub const NATIONAL_KEY: &str = "coordination.national_contact";

/// The national coordinator, an external party: requests to it record this contact.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NationalContact {
    /// Name.
    pub name: String,
    /// E-mail address for incident reports.
    pub email: String,
    /// Telephone.
    pub phone: String,
}

impl Default for NationalContact {
    fn default() -> Self {
        NationalContact {
            name: "Trung tâm Ứng cứu khẩn cấp không gian mạng Việt Nam (VNCERT/CC)".into(),
            email: "ir@vncert.vn".into(),
            phone: String::new(),
        }
    }
}

impl NationalContact {
    /// One line for the request and the page.
    pub fn line(&self) -> String {
        [self.name.as_str(), self.email.as_str(), self.phone.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · ")
    }
}

/// The national coordinator's contact in force.
pub async fn national_contact(core: &Core) -> Result<NationalContact> {
    let mut c = core.db.conn().await?;
    Ok(stored_national_contact(&mut c).await?.unwrap_or_default())
}

/// The contact a coordinator set, if any (none: the built-in default is in force).
pub(crate) async fn stored_national_contact(c: &mut Connection) -> Result<Option<NationalContact>> {
    settings::get(c, NATIONAL_KEY)
        .await?
        .map(|s| {
            serde_json::from_str(&s)
                .map_err(|e| CoreError::Internal(format!("stored national contact: {e}")))
        })
        .transpose()
}

/// Changes the national coordinator's contact (province-wide coordinators, administrators).
pub async fn set_national_contact(
    core: &Core,
    actor: &Actor,
    new: NationalContact,
) -> Result<NationalContact> {
    crate::audit::require_settings_writer(core, actor, NATIONAL_KEY).await?;
    let mut e = Errors::default();
    let name = e.text("name", &new.name, LINE_MAX);
    let email = e.email("email", &new.email);
    let phone = ungcuu_domain::text::nfc(&new.phone);
    if phone.chars().count() > 40 || phone.chars().any(char::is_control) {
        e.add("phone", "err.phone");
    }
    e.into_result().map_err(CoreError::Invalid)?;
    let new = NationalContact { name, email, phone };
    let before = national_contact(core).await?;
    let t = now();
    let value = serde_json::to_string(&new).map_err(|e| CoreError::Internal(e.to_string()))?;
    let mut tx = core.db.begin().await?;
    settings::set(&mut tx, NATIONAL_KEY, &value, t).await?;
    let ev = actor.event(
        "settings.national_contact",
        "settings",
        Some(NATIONAL_KEY.into()),
        None,
        json!({ "before": before, "after": new }),
    );
    audit::append(&mut tx, &ev, t).await?;
    commit(tx).await?;
    Ok(new)
}

fn may(actor: &Actor, action: Action, org: Uuid) -> bool {
    actor.principal.as_ref().is_none_or(|p| p.can(action, org))
}

fn member_of(actor: &Actor, org: Uuid) -> bool {
    actor
        .principal
        .as_ref()
        .is_none_or(|p| p.org_ids().contains(&org))
}

/// May the actor work on the incident's response (its handlers, and those granted write).
pub async fn can_work_on(core: &Core, actor: &Actor, i: &Incident) -> Result<bool> {
    let Some(p) = &actor.principal else {
        return Ok(true);
    };
    if p.can(Action::IncidentHandle, i.owner.id) {
        return Ok(true);
    }
    let mut c = core.db.conn().await?;
    Ok(ungcuu_store::incidents::granted(&mut c, i.id, p.user_id, &p.org_ids(), true).await?)
}

/// The sides of a request the actor stands on: asking (the asking organisation's people and the
/// incident's handlers) and asked (the asked organisation's people and those above it).
pub fn sides(actor: &Actor, r: &Request) -> (bool, bool) {
    let asking = member_of(actor, r.from_org_id)
        || may(actor, Action::IncidentHandle, r.incident_owner_id)
        || may(actor, Action::IncidentHandle, r.from_org_id);
    let asked = r
        .to_org_id
        .is_some_and(|o| member_of(actor, o) || may(actor, Action::IncidentHandle, o));
    (asking, asked)
}

/// The organisations a request can be addressed to: those the actor can see, and the province's
/// centre (coordinator, response team, steering committee), which everyone must be able to ask.
pub async fn addressable_orgs(core: &Core, actor: &Actor) -> Result<Vec<orgs::Org>> {
    let mut list = crate::orgs::all_readable(core, actor).await?;
    let mut c = core.db.conn().await?;
    for o in orgs::all(&mut c).await? {
        if matches!(
            o.kind,
            OrgKind::Coordinator | OrgKind::Csirt | OrgKind::Steering
        ) && !list.iter().any(|x| x.id == o.id)
        {
            list.push(o);
        }
    }
    Ok(list)
}

/// A new request for support.
#[derive(Debug, Clone, Default)]
pub struct NewRequest {
    /// `organization`, `csirt` or `national`.
    pub target: String,
    /// The organisation asked (for `organization`).
    pub to_org_id: Option<Uuid>,
    /// The asking organisation (default: the incident's owner, or the actor's own).
    pub from_org_id: Option<Uuid>,
    /// Subject.
    pub subject: String,
    /// What is asked.
    pub body: String,
    /// Wanted by (RFC 3339, `YYYY-MM-DDTHH:MM` or `dd/mm/yyyy HH:MM`, Vietnam time, or a day).
    pub due_at: String,
}

/// Reads a due date: a time, or a day (the end of that day, Vietnam time).
fn due(e: &mut Errors, v: &str) -> Option<OffsetDateTime> {
    let v = v.trim();
    if v.is_empty() {
        e.add("due_at", "err.required");
        return None;
    }
    let t = parse_time(v).or_else(|| parse_time(&format!("{v}T23:59")));
    if t.is_none() {
        e.add("due_at", "err.datetime");
    }
    t
}

/// A request with everything its page shows.
#[derive(Debug, Clone)]
pub struct RequestView {
    /// The request.
    pub request: Request,
    /// Its thread.
    pub replies: Vec<Reply>,
    /// The statuses the actor may move it to now.
    pub moves: Vec<Status>,
    /// May reply.
    pub can_reply: bool,
    /// Past its due date and still pending.
    pub overdue: bool,
}

fn overdue(r: &Request, t: OffsetDateTime) -> bool {
    r.status.parse::<Status>().is_ok_and(Status::is_pending) && r.due_at < t
}

fn view_of(actor: &Actor, request: Request, replies: Vec<Reply>, t: OffsetDateTime) -> RequestView {
    let (asking, asked) = sides(actor, &request);
    let external = request.target == Target::National.as_str();
    let moves = match request.status.parse::<Status>() {
        Ok(from) => Status::ALL
            .into_iter()
            .filter(|to| {
                (asking && from.may_move(*to, Side::Asking, external))
                    || (asked && from.may_move(*to, Side::Asked, external))
            })
            .collect(),
        Err(()) => Vec::new(),
    };
    RequestView {
        overdue: overdue(&request, t),
        can_reply: asking || asked,
        moves,
        replies,
        request,
    }
}

/// The requests about an incident, with their threads, if the actor may read it.
pub async fn for_incident(core: &Core, actor: &Actor, id: Uuid) -> Result<Vec<RequestView>> {
    crate::incidents::get(core, actor, id).await?;
    let mut c = core.db.conn().await?;
    let t = now();
    let mut out = Vec::new();
    for r in store::requests_of(&mut c, id).await? {
        let replies = store::replies(&mut c, r.id).await?;
        out.push(view_of(actor, r, replies, t));
    }
    Ok(out)
}

/// One request, if the actor may read its incident. Unreadable and missing look the same.
pub async fn get(core: &Core, actor: &Actor, id: Uuid) -> Result<RequestView> {
    let r = {
        let mut c = core.db.conn().await?;
        store::request(&mut c, id).await?
    };
    let Some(r) = r else {
        return Err(CoreError::NotFound);
    };
    crate::incidents::get(core, actor, r.incident_id).await?;
    let mut c = core.db.conn().await?;
    let replies = store::replies(&mut c, r.id).await?;
    Ok(view_of(actor, r, replies, now()))
}

fn timeline(
    actor: &Actor,
    incident: Uuid,
    kind: EventKind,
    text: String,
    at: OffsetDateTime,
) -> Event {
    crate::incidents::event(actor, incident, kind, Some(text), at, at)
}

/// Opens the incident to an organisation for reading, once (an existing grant is kept).
async fn grant_read(
    tx: &mut Connection,
    actor: &Actor,
    incident: Uuid,
    org: Uuid,
    t: OffsetDateTime,
) -> Result<Option<Uuid>> {
    if store::org_has_grant(tx, incident, org).await? {
        return Ok(None);
    }
    let g = Grant {
        id: Uuid::now_v7(),
        object_type: crate::incidents::OBJECT.into(),
        object_id: incident,
        grantee: Grantee::Org(org),
        access: "read".into(),
        granted_by: actor.user_id(),
        created_at: t,
    };
    ungcuu_store::grants::insert(tx, &g).await?;
    Ok(Some(g.id))
}

/// The people of the asked side: the organisation's officers (and, for the response team, its
/// responders); for the national coordinator, the province's coordinators, who carry it.
async fn asked_people(c: &mut Connection, r: &Request) -> Result<Vec<Recipient>> {
    let mut people = match r.to_org_id {
        Some(o) => notices::officers(c, o).await?,
        None => notices::coordinators(c).await?,
    };
    if r.target == Target::Csirt.as_str()
        && let Some(o) = r.to_org_id
    {
        people.extend(notices::holders(c, Some(o), Role::Responder, None).await?);
    }
    Ok(people)
}

/// The people of the asking side: whoever made the request and the asking organisation's
/// officers.
async fn asking_people(c: &mut Connection, r: &Request) -> Result<Vec<Recipient>> {
    let mut people = Vec::new();
    if let Some(u) = r.created_by
        && let Some(p) = notices::recipient(c, u).await?
    {
        people.push(p);
    }
    people.extend(notices::officers(c, r.from_org_id).await?);
    Ok(people)
}

fn without(people: Vec<Recipient>, actor: &Actor) -> Vec<Recipient> {
    people
        .into_iter()
        .filter(|p| Some(p.id) != actor.user_id())
        .collect()
}

/// Asks for support on an incident: its handlers and those granted write access may ask.
pub async fn create_request(
    core: &Core,
    actor: &Actor,
    incident_id: Uuid,
    new: NewRequest,
) -> Result<RequestView> {
    let i = crate::incidents::get(core, actor, incident_id).await?;
    if !can_work_on(core, actor, &i).await? {
        return Err(denied(
            core,
            actor,
            Action::IncidentHandle,
            crate::incidents::OBJECT,
            Some(i.id.to_string()),
            Some(i.owner.id),
            CoreError::ForbiddenWith("incident.err.needs_handler"),
        )
        .await);
    }
    let t = now();
    let mut e = Errors::default();
    let target = match new.target.trim().parse::<Target>() {
        Ok(x) => Some(x),
        Err(()) => {
            e.add("target", "coord.err.target");
            None
        }
    };
    let subject = e.text("subject", &new.subject, LINE_MAX);
    if subject.contains(['\n', '\r', '\t']) {
        e.add("subject", "err.control_chars");
    }
    let body = long_text(&mut e, "body", &new.body, true);
    let due_at = due(&mut e, &new.due_at);
    // The organisation asked, resolved only once the rest is known to be well-formed.
    let mut to_org: Option<orgs::Org> = None;
    let mut to_contact: Option<String> = None;
    match target {
        Some(Target::Organization) => match new.to_org_id {
            None => e.add("to_org_id", "err.required"),
            Some(id) => {
                let o = addressable_orgs(core, actor)
                    .await?
                    .into_iter()
                    .find(|o| o.id == id);
                match o {
                    Some(o) => to_org = Some(o),
                    None => e.add("to_org_id", "err.org_missing"),
                }
            }
        },
        Some(Target::Csirt) => {
            let mut c = core.db.conn().await?;
            to_org = orgs::all(&mut c)
                .await?
                .into_iter()
                .find(|o| o.kind == OrgKind::Csirt);
            if to_org.is_none() {
                e.add("target", "coord.err.no_csirt");
            }
        }
        Some(Target::National) => to_contact = Some(national_contact(core).await?.line()),
        None => {}
    }
    let from_org_id = match new.from_org_id {
        Some(o)
            if member_of(actor, o)
                || (o == i.owner.id && may(actor, Action::IncidentHandle, o)) =>
        {
            Some(o)
        }
        Some(_) => {
            e.add("from_org_id", "err.org_missing");
            None
        }
        // Asking for one's own organisation's incident; otherwise (the coordinator, a supporting
        // organisation) for one's own organisation.
        None if member_of(actor, i.owner.id) => Some(i.owner.id),
        None => actor
            .principal
            .as_ref()
            .and_then(|p| p.org_ids().first().copied())
            .or(Some(i.owner.id)),
    };
    if let (Some(f), Some(o)) = (from_org_id, &to_org)
        && f == o.id
    {
        e.add("to_org_id", "coord.err.same_org");
    }
    e.into_result().map_err(CoreError::Invalid)?;
    let (Some(target), Some(body), Some(due_at), Some(from_org_id)) =
        (target, body, due_at, from_org_id)
    else {
        return Err(CoreError::field("target", "err.required"));
    };
    let r = Request {
        id: Uuid::now_v7(),
        incident_id: i.id,
        incident_title: i.title.clone(),
        incident_owner_id: i.owner.id,
        from_org_id,
        from_org_name: String::new(),
        target: target.as_str().into(),
        to_org_id: to_org.as_ref().map(|o| o.id),
        to_org_name: to_org.as_ref().map(|o| o.name.clone()),
        to_contact,
        subject,
        body,
        due_at,
        status: Status::Open.as_str().into(),
        created_by: actor.user_id(),
        created_label: actor.label.clone(),
        created_at: t,
        updated_at: t,
    };
    let to_name = r
        .to_org_name
        .clone()
        .or_else(|| r.to_contact.clone())
        .unwrap_or_default();
    let mut tx = core.db.begin().await?;
    store::insert_request(&mut tx, &r).await?;
    let grant = match r.to_org_id {
        Some(o) => grant_read(&mut tx, actor, i.id, o, t).await?,
        None => None,
    };
    ungcuu_store::incidents::insert_event(
        &mut tx,
        &timeline(
            actor,
            i.id,
            EventKind::Coordination,
            format!("→ {to_name}: {}", r.subject),
            t,
        ),
    )
    .await?;
    ungcuu_store::incidents::touch(&mut tx, i.id, t).await?;
    let ev = actor.event(
        "coordination.request",
        crate::incidents::OBJECT,
        Some(i.id.to_string()),
        Some(i.owner.id),
        json!({
            "request_id": r.id,
            "target": r.target,
            "from_org_id": r.from_org_id,
            "to_org_id": r.to_org_id,
            "to_contact": r.to_contact,
            "subject": r.subject,
            "due_at": ungcuu_domain::timefmt::to_db(r.due_at),
            "grant_id": grant,
        }),
    );
    audit::append(&mut tx, &ev, t).await?;
    let people = without(asked_people(&mut tx, &r).await?, actor);
    let vi = format!(
        "Yêu cầu hỗ trợ về sự cố “{}”: {} (hạn {}).",
        i.title,
        r.subject,
        show(r.due_at)
    );
    let en = format!(
        "Request for support on the incident “{}”: {} (due {}).",
        i.title,
        r.subject,
        show(r.due_at)
    );
    let link = format!("/incidents/{}#coordination", i.id);
    notices::tell(
        &mut tx,
        core,
        &people,
        &Notice {
            kind: "request.received",
            subject: (
                "Yêu cầu hỗ trợ ứng cứu sự cố",
                "Request for incident support",
            ),
            text: (&vi, &en),
            link: &link,
        },
        t,
    )
    .await?;
    commit(tx).await?;
    get(core, actor, r.id).await
}

/// Vietnam time for the texts of notices.
fn show(t: OffsetDateTime) -> String {
    ungcuu_domain::timefmt::show(t)
}

/// Loads a request and its incident for a change; the incident must be readable.
async fn load(core: &Core, actor: &Actor, id: Uuid) -> Result<(Request, Incident)> {
    let r = {
        let mut c = core.db.conn().await?;
        store::request(&mut c, id).await?
    };
    let Some(r) = r else {
        return Err(CoreError::NotFound);
    };
    let i = crate::incidents::get(core, actor, r.incident_id).await?;
    Ok((r, i))
}

async fn refuse(core: &Core, actor: &Actor, r: &Request, message: &'static str) -> CoreError {
    denied(
        core,
        actor,
        Action::IncidentHandle,
        OBJECT,
        Some(r.id.to_string()),
        Some(r.incident_owner_id),
        CoreError::ForbiddenWith(message),
    )
    .await
}

/// Tells the other side of a request about a reply or a change: the asking side when the
/// actor speaks for the asked side, the asked side when the actor speaks for the asking side
/// (someone on both, a coordinator, tells both).
async fn tell_other_side(
    tx: &mut Connection,
    core: &Core,
    actor: &Actor,
    r: &Request,
    (asking, asked): (bool, bool),
    text: (&str, &str),
    t: OffsetDateTime,
) -> Result<()> {
    let mut people = Vec::new();
    if asked {
        people.extend(asking_people(tx, r).await?);
    }
    if asking {
        people.extend(asked_people(tx, r).await?);
    }
    let link = format!("/incidents/{}#request-{}", r.incident_id, r.id);
    notices::tell(
        tx,
        core,
        &without(people, actor),
        &Notice {
            kind: "request.reply",
            subject: (
                "Trả lời yêu cầu hỗ trợ ứng cứu sự cố",
                "Reply to a request for incident support",
            ),
            text,
            link: &link,
        },
        t,
    )
    .await
}

/// Adds a reply to a request's thread (either side); the other side is told.
pub async fn reply(core: &Core, actor: &Actor, id: Uuid, text: &str) -> Result<Reply> {
    let (r, i) = load(core, actor, id).await?;
    let (asking, asked) = sides(actor, &r);
    if !asking && !asked {
        return Err(refuse(core, actor, &r, "coord.err.not_a_party").await);
    }
    let mut e = Errors::default();
    let body = long_text(&mut e, "text", text, true);
    e.into_result().map_err(CoreError::Invalid)?;
    let Some(body) = body else {
        return Err(CoreError::field("text", "err.required"));
    };
    let t = now();
    let reply = Reply {
        id: Uuid::now_v7(),
        request_id: r.id,
        author_id: actor.user_id(),
        author_label: actor.label.clone(),
        body: body.clone(),
        status_to: None,
        created_at: t,
    };
    let mut tx = core.db.begin().await?;
    store::insert_reply(&mut tx, &reply).await?;
    store::touch_request(&mut tx, r.id, t).await?;
    ungcuu_store::incidents::insert_event(
        &mut tx,
        &timeline(
            actor,
            i.id,
            EventKind::Coordination,
            format!("{}: {body}", r.subject),
            t,
        ),
    )
    .await?;
    let ev = actor.event(
        "coordination.reply",
        OBJECT,
        Some(r.id.to_string()),
        Some(i.owner.id),
        json!({ "reply_id": reply.id, "incident_id": i.id, "text": body }),
    );
    audit::append(&mut tx, &ev, t).await?;
    let vi = format!("{} trả lời yêu cầu “{}”: {body}", actor.label, r.subject);
    let en = format!(
        "{} replied to the request “{}”: {body}",
        actor.label, r.subject
    );
    tell_other_side(&mut tx, core, actor, &r, (asking, asked), (&vi, &en), t).await?;
    commit(tx).await?;
    Ok(reply)
}

/// Moves a request to another status, with an optional comment kept in the thread.
pub async fn set_status(
    core: &Core,
    actor: &Actor,
    id: Uuid,
    status: &str,
    comment: &str,
) -> Result<RequestView> {
    let (r, i) = load(core, actor, id).await?;
    let (asking, asked) = sides(actor, &r);
    if !asking && !asked {
        return Err(refuse(core, actor, &r, "coord.err.not_a_party").await);
    }
    let Ok(to) = status.trim().parse::<Status>() else {
        return Err(CoreError::field("status", "coord.err.status"));
    };
    let mut e = Errors::default();
    let comment = long_text(&mut e, "comment", comment, false);
    e.into_result().map_err(CoreError::Invalid)?;
    let from = r
        .status
        .parse::<Status>()
        .map_err(|()| CoreError::Internal("stored request status".into()))?;
    let external = r.target == Target::National.as_str();
    let as_asking = asking && from.may_move(to, Side::Asking, external);
    let as_asked = asked && from.may_move(to, Side::Asked, external);
    if !as_asking && !as_asked {
        if from.may_move(to, Side::Asking, external) || from.may_move(to, Side::Asked, external) {
            return Err(refuse(core, actor, &r, "coord.err.other_side").await);
        }
        return Err(CoreError::field("status", "coord.err.move"));
    }
    let t = now();
    let reply = Reply {
        id: Uuid::now_v7(),
        request_id: r.id,
        author_id: actor.user_id(),
        author_label: actor.label.clone(),
        body: comment.clone().unwrap_or_default(),
        status_to: Some(to.as_str().into()),
        created_at: t,
    };
    let mut tx = core.db.begin().await?;
    if !store::set_status(&mut tx, r.id, from.as_str(), to.as_str(), t).await? {
        return Err(CoreError::field("status", "incident.err.stale"));
    }
    store::insert_reply(&mut tx, &reply).await?;
    let note = comment
        .as_deref()
        .map(|c| format!(": {c}"))
        .unwrap_or_default();
    ungcuu_store::incidents::insert_event(
        &mut tx,
        &timeline(
            actor,
            i.id,
            EventKind::Coordination,
            format!("{} [{} → {}]{note}", r.subject, from.as_str(), to.as_str()),
            t,
        ),
    )
    .await?;
    let ev = actor.event(
        "coordination.status",
        OBJECT,
        Some(r.id.to_string()),
        Some(i.owner.id),
        json!({ "incident_id": i.id, "from": from.as_str(), "to": to.as_str(), "comment": comment }),
    );
    audit::append(&mut tx, &ev, t).await?;
    let vi = format!(
        "Yêu cầu “{}” chuyển sang trạng thái “{}”{note}",
        r.subject,
        status_vi(to)
    );
    let en = format!("The request “{}” is now {}{note}", r.subject, to.as_str());
    tell_other_side(
        &mut tx,
        core,
        actor,
        &r,
        (as_asking, as_asked),
        (&vi, &en),
        t,
    )
    .await?;
    commit(tx).await?;
    get(core, actor, r.id).await
}

fn status_vi(s: Status) -> &'static str {
    match s {
        Status::Open => "đang chờ",
        Status::Accepted => "đã nhận",
        Status::Declined => "từ chối",
        Status::Done => "đã xong",
        Status::Cancelled => "đã hủy",
    }
}

/// The requests inbox of the actor's organisations.
#[derive(Debug, Clone, Default)]
pub struct Inbox {
    /// Asked of the actor's organisations (and, for province-wide coordinators, of the national
    /// coordinator, whose side they carry).
    pub incoming: Vec<(Request, bool)>,
    /// Asked by the actor's organisations; each with its overdue flag.
    pub outgoing: Vec<(Request, bool)>,
}

/// The inbox: open requests first, earliest due first, overdue ones flagged. Only requests
/// about incidents the actor can read are listed.
pub async fn inbox(core: &Core, actor: &Actor) -> Result<Inbox> {
    let (orgs_of, national) = match &actor.principal {
        Some(p) => (p.org_ids(), p.can_everywhere(Action::IncidentCoordinate)),
        None => (Vec::new(), true),
    };
    let t = now();
    let (incoming, outgoing) = {
        let mut c = core.db.conn().await?;
        (
            store::inbox(&mut c, store::Side::Incoming, &orgs_of, national, 200).await?,
            store::inbox(&mut c, store::Side::Outgoing, &orgs_of, false, 200).await?,
        )
    };
    let mut out = Inbox::default();
    for (list, into) in [(incoming, &mut out.incoming), (outgoing, &mut out.outgoing)] {
        for r in list {
            let readable = {
                let mut c = core.db.conn().await?;
                ungcuu_store::incidents::get(&mut c, r.incident_id).await?
            };
            let Some(i) = readable else { continue };
            if crate::incidents::can_read(core, actor, &i).await? {
                let late = overdue(&r, t);
                into.push((r, late));
            }
        }
    }
    Ok(out)
}

/// What happened to one `@mention`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// The address as written (lower-cased).
    pub email: String,
    /// Told: the person exists, is active and can read the incident. When false nothing was
    /// sent, and the answer does not say why (no account, or no access), so a mention cannot
    /// be used to probe accounts or leak the incident.
    pub delivered: bool,
}

/// Resolves the mentions of a comment: who may be told.
pub(crate) async fn resolve_mentions(
    core: &Core,
    i: &Incident,
    text: &str,
) -> Result<(Vec<Mention>, Vec<Recipient>)> {
    let mut out = Vec::new();
    let mut told = Vec::new();
    for email in rules::mentions(text) {
        let user = {
            let mut c = core.db.conn().await?;
            users::by_email(&mut c, &email).await?
        };
        let mut delivered = false;
        if let Some(u) = user.filter(|u| u.disabled_at.is_none()) {
            let (p, _) = crate::auth::principal(core, u.id).await?;
            let them = Actor::person(p, &u.email, None);
            if crate::incidents::can_read(core, &them, i).await? {
                delivered = true;
                told.push(Recipient {
                    id: u.id,
                    email: u.email.clone(),
                    locale: u.locale.clone(),
                });
            }
        }
        out.push(Mention { email, delivered });
    }
    Ok((out, told))
}

/// Tells the mentioned people who can read the incident (in the comment's transaction).
pub(crate) async fn tell_mentions(
    tx: &mut Connection,
    core: &Core,
    actor: &Actor,
    i: &Incident,
    people: &[Recipient],
    text: &str,
    t: OffsetDateTime,
) -> Result<()> {
    if people.is_empty() {
        return Ok(());
    }
    let snippet: String = text.chars().take(300).collect();
    let vi = format!(
        "{} nhắc đến bạn trong sự cố “{}”: {snippet}",
        actor.label, i.title
    );
    let en = format!(
        "{} mentioned you on the incident “{}”: {snippet}",
        actor.label, i.title
    );
    let link = format!("/incidents/{}#timeline-section", i.id);
    notices::tell(
        tx,
        core,
        &without(people.to_vec(), actor),
        &Notice {
            kind: "mention",
            subject: (
                "Bạn được nhắc đến trong một sự cố",
                "You were mentioned on an incident",
            ),
            text: (&vi, &en),
            link: &link,
        },
        t,
    )
    .await
}
