//! E-mail intake (step 1 of Phụ lục III by mail): a raw message becomes a draft incident in
//! `received` (title the subject, description the plain text, reporter the sender), or, when it
//! answers a message already received, a timeline entry of that incident. Either way the raw
//! message and each attachment become evidence (hashed, sanitised names, custody) and the
//! indicators in the subject and text are added.
//!
//! Who owns a new incident: the sender's organisation when the From address is an active
//! account whose organisation the caller may report for, else the caller's own. A reply joins
//! the thread's incident only when the caller may write to it; otherwise the refusal is audited
//! and the message starts a new incident of the caller's, so another organisation's thread is
//! never written into (nor revealed). Blobs are written before the transaction (harmless
//! when it fails, as content-addressed files with no row); every row is one transaction.

use crate::audit::denied;
use crate::evidence::{can_write, store_blob};
use crate::incidents::{self as incidents, OBJECT};
use crate::{Actor, Core, CoreError, Result};
use serde_json::json;
use std::convert::Infallible;
use time::OffsetDateTime;
use ungcuu_domain::evidence::{self as ev_rules, IndicatorKind};
use ungcuu_domain::incident::{Impact, IncidentState, LONG_MAX, Report, Tlp};
use ungcuu_domain::intake::{self as rules, Mail};
use ungcuu_domain::permissions::Action;
use ungcuu_domain::timefmt::now;
use ungcuu_store::evidence::{self as ev_store, CustodyEvent, Evidence, Indicator};
use ungcuu_store::incidents::{self as inc_store, Event, EventKind, Incident};
use ungcuu_store::intake::{self as store, EmailMessage};
use ungcuu_store::orgs::{self, Org};
use ungcuu_store::systems::OrgRef;
use ungcuu_store::{StoreError, audit, commit, settings, users};
use uuid::Uuid;

/// The default largest message: 25 MiB (what common mail servers accept, with encoding).
pub const DEFAULT_LIMIT: u64 = 25 * 1024 * 1024;

/// The settings key of the largest message in bytes (absent: [`DEFAULT_LIMIT`]).
pub const LIMIT_KEY: &str = "intake.email.max_bytes";

/// The validation code of a message over the limit (the web answers 413).
pub const TOO_LARGE: &str = "intake.err.too_large";

/// The largest message accepted now.
pub async fn limit(core: &Core) -> Result<u64> {
    let mut c = core.db.conn().await?;
    Ok(settings::get(&mut c, LIMIT_KEY)
        .await?
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(DEFAULT_LIMIT))
}

/// What happened to a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// The incident it opened or joined.
    pub incident_id: Uuid,
    /// True when it opened the incident, false when it joined one as a reply.
    pub new_incident: bool,
    /// True when this Message-ID had been received already: nothing was written.
    pub duplicate: bool,
    /// The Message-ID as stored.
    pub message_id: String,
    /// The evidence written now (the raw message first), empty for a duplicate.
    pub evidence: Vec<Evidence>,
    /// How many indicators were new to the incident.
    pub indicators_added: usize,
}

/// The messages an incident received, if the actor may read it.
pub async fn messages(core: &Core, actor: &Actor, incident: Uuid) -> Result<Vec<EmailMessage>> {
    incidents::get(core, actor, incident).await?;
    let mut c = core.db.conn().await?;
    Ok(store::of_incident(&mut c, incident).await?)
}

fn may(actor: &Actor, action: Action, org: Uuid) -> bool {
    actor.principal.as_ref().is_none_or(|p| p.can(action, org))
}

async fn load_incident(core: &Core, id: Uuid) -> Result<Option<Incident>> {
    let mut c = core.db.conn().await?;
    Ok(inc_store::get(&mut c, id).await?)
}

/// The answer already given to this Message-ID, when the actor may read its incident.
async fn earlier(core: &Core, actor: &Actor, mail: &Mail) -> Result<Option<Received>> {
    let rows = {
        let mut c = core.db.conn().await?;
        store::by_message_ids(&mut c, std::slice::from_ref(&mail.message_id)).await?
    };
    for row in rows {
        if let Some(i) = load_incident(core, row.incident_id).await?
            && incidents::can_read(core, actor, &i).await?
        {
            return Ok(Some(Received {
                incident_id: i.id,
                new_incident: row.kind == "report",
                duplicate: true,
                message_id: row.message_id,
                evidence: Vec::new(),
                indicators_added: 0,
            }));
        }
    }
    Ok(None)
}

/// The incident of the thread this message answers, when the actor may write to it. A thread
/// the actor may not write to is refused (audited once) and ignored.
async fn thread(core: &Core, actor: &Actor, mail: &Mail) -> Result<Option<Incident>> {
    let rows = {
        let mut c = core.db.conn().await?;
        store::by_message_ids(&mut c, &mail.replies_to).await?
    };
    let mut refused = false;
    for row in rows {
        let Some(i) = load_incident(core, row.incident_id).await? else {
            continue;
        };
        if incidents::can_read(core, actor, &i).await? && can_write(core, actor, &i).await? {
            return Ok(Some(i));
        }
        if !refused {
            refused = true;
            denied(
                core,
                actor,
                Action::IncidentHandle,
                OBJECT,
                Some(i.id.to_string()),
                Some(i.owner.id),
                CoreError::NotFound,
            )
            .await;
        }
    }
    Ok(None)
}

/// The organisation a new incident from this sender belongs to (see the module comment).
async fn owner_for(core: &Core, actor: &Actor, mail: &Mail) -> Result<Org> {
    let mut c = core.db.conn().await?;
    let mut candidates: Vec<Uuid> = Vec::new();
    if let Some(u) = users::by_email(&mut c, &mail.from_address).await?
        && u.disabled_at.is_none()
    {
        candidates.extend(
            users::memberships_of(&mut c, u.id)
                .await?
                .into_iter()
                .map(|m| m.org_id),
        );
    }
    if let Some(p) = &actor.principal {
        candidates.extend(p.memberships.iter().map(|m| m.org_id));
    }
    for id in candidates {
        if may(actor, Action::IncidentReport, id)
            && let Some(o) = orgs::get(&mut c, id).await?
        {
            return Ok(o);
        }
    }
    drop(c);
    Err(denied(
        core,
        actor,
        Action::IncidentReport,
        OBJECT,
        None,
        None,
        CoreError::ForbiddenWith("incident.err.needs_reporter"),
    )
    .await)
}

/// Text cut to fit a long-text field, saying that the full text is in the raw message.
fn fit(text: &str, truncated: bool) -> String {
    const NOTE: &str = "\n\n[…] (Nội dung còn tiếp: xem toàn văn trong tệp thư gốc .eml.)";
    let room = LONG_MAX - NOTE.chars().count();
    if truncated || text.chars().count() > LONG_MAX {
        let mut s: String = text.chars().take(room).collect();
        s.push_str(NOTE);
        s
    } else {
        text.to_string()
    }
}

/// One file of the message, ready to store.
struct File {
    name: String,
    bytes: Vec<u8>,
    description: String,
}

/// Receives one raw message posted by `actor` (see the module comment).
pub async fn receive(core: &Core, actor: &Actor, raw: &[u8]) -> Result<Received> {
    if raw.len() as u64 > limit(core).await? {
        return Err(CoreError::field("message", TOO_LARGE));
    }
    let mut mail = rules::parse(raw).map_err(CoreError::Invalid)?;
    if let Some(r) = earlier(core, actor, &mail).await? {
        return Ok(r);
    }
    let joined = thread(core, actor, &mail).await?;
    let owner: OrgRef = match &joined {
        Some(i) => i.owner.clone(),
        None => {
            let o = owner_for(core, actor, &mail).await?;
            OrgRef {
                id: o.id,
                slug: o.slug,
                name: o.name,
            }
        }
    };
    let sender = mail.sender();
    let t = now();

    // The files: the message itself first, then its attachments.
    let eml_name = match mail.subject.chars().take(100).collect::<String>() {
        s if s.is_empty() => "email.eml".to_string(),
        s => ev_rules::sanitise_name(&format!("{s}.eml")),
    };
    let mut files = vec![File {
        name: eml_name,
        bytes: raw.to_vec(),
        description: format!("Thư điện tử gốc (RFC 822) từ {sender}"),
    }];
    // Moved, not copied: a message may be tens of megabytes.
    files.extend(
        std::mem::take(&mut mail.attachments)
            .into_iter()
            .map(|a| File {
                name: a.name,
                bytes: a.bytes,
                description: format!("Tệp đính kèm thư điện tử từ {sender}"),
            }),
    );
    let evidence_limit = crate::evidence::limit(core).await?;
    let collected_where = format!("Thư điện tử, Message-ID <{}>", mail.message_id);
    let incident_id = joined.as_ref().map_or_else(Uuid::now_v7, |i| i.id);
    let mut evidence = Vec::with_capacity(files.len());
    for f in files {
        let body = futures_util::stream::iter([Ok::<_, Infallible>(f.bytes)]);
        let s = store_blob(&core.config.data_dir, body, evidence_limit)
            .await
            .map_err(|e| match e {
                CoreError::Invalid(_) => CoreError::field("message", TOO_LARGE),
                e => e,
            })?;
        let media_type = ev_rules::sniff(&s.head).to_string();
        evidence.push(Evidence {
            id: Uuid::now_v7(),
            incident_id,
            malicious_sample: ev_rules::is_executable(&media_type),
            sha256: s.sha256,
            sha1: s.sha1,
            md5: s.md5,
            size: s.size,
            original_name: f.name,
            media_type,
            description: f.description,
            collected_by: actor.label.clone(),
            collected_at: t,
            collected_where: collected_where.clone(),
            created_at: t,
        });
    }

    let tlp = joined.as_ref().map_or(Tlp::Amber, |i| i.tlp);
    let found: Vec<(IndicatorKind, String)> =
        ev_rules::extract(&format!("{}\n{}", mail.subject, mail.body));

    let draft = match &joined {
        None => Some(new_incident(core, actor, &mail, incident_id, owner.clone(), t).await?),
        Some(_) => None,
    };
    let mut tx = core.db.begin().await?;
    match &draft {
        Some(incident) => {
            inc_store::insert(&mut tx, incident).await?;
            inc_store::insert_event(
                &mut tx,
                &Event {
                    from_state: None,
                    to_state: Some(IncidentState::Received),
                    ..incidents::event(actor, incident_id, EventKind::Transition, None, t, t)
                },
            )
            .await?;
            let a = actor.event(
                "incident.create",
                OBJECT,
                Some(incident_id.to_string()),
                Some(owner.id),
                json!({
                    "title": incident.title,
                    "severity": incident.severity.as_str(),
                    "tlp": incident.tlp.as_str(),
                    "channel": "email",
                    "message_id": mail.message_id,
                    "from": mail.from_address,
                }),
            );
            audit::append(&mut tx, &a, t).await?;
            incidents::announce(&mut tx, core, incident, actor.user_id(), t).await?;
        }
        None => {
            let text = fit(
                &format!(
                    "Thư trả lời từ {sender}\nTiêu đề: {}\n\n{}",
                    mail.subject, mail.body
                ),
                mail.body_truncated,
            );
            let at = mail.date.filter(|d| *d <= t).unwrap_or(t);
            let e = incidents::event(actor, incident_id, EventKind::Comment, Some(text), at, t);
            inc_store::insert_event(&mut tx, &e).await?;
            inc_store::touch(&mut tx, incident_id, t).await?;
            let a = actor.event(
                "incident.email_reply",
                OBJECT,
                Some(incident_id.to_string()),
                Some(owner.id),
                json!({ "event_id": e.id, "message_id": mail.message_id,
                        "from": mail.from_address, "subject": mail.subject }),
            );
            audit::append(&mut tx, &a, t).await?;
        }
    }
    for ev in &evidence {
        ev_store::insert(&mut tx, ev).await?;
        ev_store::insert_custody(
            &mut tx,
            &CustodyEvent {
                id: Uuid::now_v7(),
                evidence_id: ev.id,
                kind: "collected".into(),
                actor: actor.label.clone(),
                to_whom: None,
                note: Some(format!("Tiếp nhận qua thư điện tử từ {sender}")),
                at: t,
            },
        )
        .await?;
        let a = actor.event(
            "evidence.add",
            "evidence",
            Some(ev.id.to_string()),
            Some(owner.id),
            json!({ "incident_id": incident_id, "sha256": ev.sha256, "size": ev.size,
                    "name": ev.original_name, "media_type": ev.media_type,
                    "message_id": mail.message_id }),
        );
        audit::append(&mut tx, &a, t).await?;
    }
    let mut added = Vec::new();
    for (kind, value) in found {
        let ind = Indicator {
            id: Uuid::now_v7(),
            incident_id,
            kind,
            value,
            tlp,
            source: "extracted".into(),
            created_by: actor.label.clone(),
            created_at: t,
        };
        if ev_store::insert_indicator(&mut tx, &ind).await? {
            added.push(json!({ "id": ind.id, "kind": ind.kind.as_str(), "value": ind.value }));
        }
    }
    if !added.is_empty() {
        let a = actor.event(
            "indicator.extract",
            OBJECT,
            Some(incident_id.to_string()),
            Some(owner.id),
            json!({ "added": added, "message_id": mail.message_id }),
        );
        audit::append(&mut tx, &a, t).await?;
    }
    let row = EmailMessage {
        id: Uuid::now_v7(),
        message_id: mail.message_id.clone(),
        incident_id,
        owner_org_id: owner.id,
        kind: if joined.is_some() { "reply" } else { "report" }.into(),
        sender: sender.clone(),
        subject: mail.subject.clone(),
        evidence_id: evidence[0].id,
        received_by: actor.user_id(),
        received_at: t,
    };
    match store::insert(&mut tx, &row).await {
        Ok(()) => {}
        // The same message posted twice at once: the other request wrote it; answer its result.
        Err(StoreError::Unique(_)) => {
            drop(tx);
            return earlier(core, actor, &mail)
                .await?
                .ok_or(CoreError::field("message", "intake.err.duplicate"));
        }
        Err(e) => return Err(e.into()),
    }
    commit(tx).await?;
    Ok(Received {
        incident_id,
        new_incident: joined.is_none(),
        duplicate: false,
        message_id: mail.message_id,
        evidence,
        indicators_added: added.len(),
    })
}

/// The draft incident a new message opens: Mẫu 03 as far as an e-mail tells it (the reporter
/// and contact are the sender; the rest is filled in at verification).
async fn new_incident(
    core: &Core,
    actor: &Actor,
    mail: &Mail,
    id: Uuid,
    owner: OrgRef,
    t: OffsetDateTime,
) -> Result<Incident> {
    let title = if mail.subject.is_empty() {
        format!("Báo cáo sự cố qua thư điện tử của {}", mail.from_address)
            .chars()
            .take(rules::TITLE_MAX)
            .collect()
    } else {
        mail.subject.clone()
    };
    let description = if mail.body.is_empty() {
        "(Thư không có nội dung văn bản.)".to_string()
    } else {
        fit(&mail.body, mail.body_truncated)
    };
    // The mail's own date is the best time of the report we have; a date in the future (a
    // wrong clock) is not believed.
    let reported_at = mail
        .date
        .filter(|d| *d <= t + time::Duration::minutes(10))
        .map_or(t, |d| d.min(t));
    let name = mail
        .from_name
        .clone()
        .unwrap_or_else(|| mail.from_address.clone());
    let report = Report {
        reporter_name: name.clone(),
        reporter_email: mail.from_address.clone(),
        contact_name: name,
        contact_email: mail.from_address.clone(),
        operator_name: owner.name.clone(),
        channel: "email".into(),
        ..Default::default()
    };
    let impact = Impact::default();
    let (severity, severity_reasons) = incidents::severity_rules(core).await?.evaluate(&impact);
    Ok(Incident {
        id,
        owner,
        system_id: None,
        system_name: None,
        title,
        description,
        incident_type: None,
        subtype: None,
        tlp: Tlp::Amber,
        severity,
        severity_reasons,
        severity_override_reason: None,
        impact,
        state: IncidentState::Received,
        discovered_at: reported_at,
        reported_at,
        response_completed_at: None,
        closed_at: None,
        report,
        review: None,
        outcome: None,
        created_by: actor.user_id(),
        created_at: t,
        updated_at: t,
    })
}
