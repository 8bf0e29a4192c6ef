//! Incident response: reporting an incident (Mẫu 03), the queue, moving an incident through the
//! steps of Phụ lục III, classification and severity (the rule set kept in the settings),
//! comments and the timeline, the review that closing needs, and the demo incidents.
//!
//! Reading an incident needs `incident.read` on its owner organisation, or an object grant of
//! type `incident`. Each step needs the action of its gate (see
//! [`ungcuu_domain::incident::TRANSITIONS`]) on the owner; every change is audited in the
//! transaction that makes it, and its event goes to the incident's timeline.

use crate::audit::denied;
use crate::{Actor, Core, CoreError, Result};
use serde_json::json;
use time::OffsetDateTime;
use ungcuu_domain::incident::{
    self as rules, DerivedTimes, Gate, Impact, IncidentState, IncidentType, Outcome, Reason,
    ReportInput, Review, Severity, SeverityRules, Step, Subtype, Tlp, TransitionFacts,
};
use ungcuu_domain::permissions::{Action, Visibility};
use ungcuu_domain::timefmt::now;
use ungcuu_domain::validate::{Errors, FieldError};
use ungcuu_store::incidents::{
    self as store, Classification, Event, EventKind, Incident, IncidentFilter, StateChange,
};
use ungcuu_store::systems::OrgRef;
use ungcuu_store::{Page, audit, commit, orgs, settings};
use uuid::Uuid;

/// The object type of incidents in the audit log and in object grants.
pub const OBJECT: &str = "incident";

/// The settings key of the severity rule set (JSON of [`SeverityRules`]).
pub const RULES_KEY: &str = "incident.severity_rules";

/// A new incident: the Mẫu 03 report and, when already known, the classification.
#[derive(Debug, Clone, Default)]
pub struct NewIncident {
    /// The organisation whose incident it is.
    pub owner_org_id: Option<Uuid>,
    /// The registry's system, when known.
    pub system_id: Option<Uuid>,
    /// The report as typed.
    pub report: ReportInput,
    /// Mẫu 05 type code.
    pub incident_type: String,
    /// Sub-type code.
    pub subtype: String,
    /// TLP label (empty: AMBER, the default for incident details).
    pub tlp: String,
    /// Impact facts beyond the system level of the report.
    pub impact: Option<Impact>,
}

/// Changes of classification (explicitly listed: nothing else can be set). Absent fields stay;
/// an empty type or sub-type clears it.
#[derive(Debug, Clone, Default)]
pub struct ClassificationChanges {
    /// Mẫu 05 type code.
    pub incident_type: Option<String>,
    /// Sub-type code.
    pub subtype: Option<String>,
    /// TLP label.
    pub tlp: Option<String>,
    /// Impact facts (replace the stored ones).
    pub impact: Option<Impact>,
}

/// A step the person may take now, for buttons and the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AvailableStep {
    /// Target state.
    pub to: IncidentState,
    /// Whose step it is.
    pub gate: Gate,
    /// The step must say why.
    pub needs_comment: bool,
}

/// An incident with everything its page shows.
#[derive(Debug, Clone)]
pub struct IncidentView {
    /// The incident.
    pub incident: Incident,
    /// Its timeline.
    pub events: Vec<Event>,
    /// Times to acknowledge, contain, recover, close.
    pub times: DerivedTimes,
    /// What the rule set proposes now (the stored severity may be an override).
    pub proposed: Severity,
    /// Steps the person may take.
    pub steps: Vec<AvailableStep>,
    /// May comment and add timeline entries.
    pub can_comment: bool,
    /// May classify and write the review.
    pub can_handle: bool,
    /// May override severity.
    pub can_coordinate: bool,
}

fn may(actor: &Actor, action: Action, org: Uuid) -> bool {
    actor.principal.as_ref().is_none_or(|p| p.can(action, org))
}

async fn granted(core: &Core, actor: &Actor, id: Uuid, write: bool) -> Result<bool> {
    let Some(p) = &actor.principal else {
        return Ok(true);
    };
    let mut c = core.db.conn().await?;
    Ok(store::granted(&mut c, id, p.user_id, &p.org_ids(), write).await?)
}

/// True when the actor may read `i`: `incident.read` on its owner, or a grant.
pub async fn can_read(core: &Core, actor: &Actor, i: &Incident) -> Result<bool> {
    if may(actor, Action::IncidentRead, i.owner.id) {
        return Ok(true);
    }
    granted(core, actor, i.id, false).await
}

/// One incident, if the actor may read it. Unreadable and missing look the same.
pub async fn get(core: &Core, actor: &Actor, id: Uuid) -> Result<Incident> {
    let i = {
        let mut c = core.db.conn().await?;
        store::get(&mut c, id).await?
    };
    let Some(i) = i else {
        return Err(CoreError::NotFound);
    };
    if can_read(core, actor, &i).await? {
        Ok(i)
    } else {
        Err(denied(
            core,
            actor,
            Action::IncidentRead,
            OBJECT,
            Some(id.to_string()),
            Some(i.owner.id),
            CoreError::NotFound,
        )
        .await)
    }
}

/// Refuses `action` on `i` (which the actor can read) with a message saying who may.
async fn require_on(
    core: &Core,
    actor: &Actor,
    action: Action,
    i: &Incident,
    message: &'static str,
) -> Result<()> {
    if may(actor, action, i.owner.id) {
        return Ok(());
    }
    Err(denied(
        core,
        actor,
        action,
        OBJECT,
        Some(i.id.to_string()),
        Some(i.owner.id),
        CoreError::ForbiddenWith(message),
    )
    .await)
}

/// The steps `actor` may take on `i` now.
pub fn steps_for(actor: &Actor, i: &Incident) -> Vec<AvailableStep> {
    let facts = TransitionFacts {
        serious: i.severity == Severity::Serious,
        review_complete: i.review.as_ref().is_some_and(Review::is_complete),
        has_comment: true,
    };
    rules::next_states(i.state)
        .into_iter()
        .filter(|(to, g)| {
            may(actor, g.action(), i.owner.id)
                && rules::check_transition(i.state, *to, facts).is_ok()
        })
        .map(|(to, gate)| AvailableStep {
            to,
            gate,
            needs_comment: rules::needs_comment(i.state, to),
        })
        .collect()
}

/// The derived times of an incident from its events.
pub fn times(i: &Incident, events: &[Event]) -> DerivedTimes {
    let steps: Vec<Step> = events
        .iter()
        .filter(|e| e.kind == EventKind::Transition)
        .filter_map(|e| {
            e.to_state.map(|to| Step {
                from: e.from_state,
                to,
                at: e.happened_at,
            })
        })
        .collect();
    rules::derive_times(i.discovered_at, i.reported_at, &steps)
}

/// An incident with its timeline, times and the actions open to the actor.
pub async fn view(core: &Core, actor: &Actor, id: Uuid) -> Result<IncidentView> {
    let incident = get(core, actor, id).await?;
    let events = {
        let mut c = core.db.conn().await?;
        store::events(&mut c, id).await?
    };
    let rules = severity_rules(core).await?;
    let (proposed, _) = rules.evaluate(&incident.impact);
    let can_handle = may(actor, Action::IncidentHandle, incident.owner.id);
    let can_comment = can_handle || granted(core, actor, id, true).await?;
    Ok(IncidentView {
        times: times(&incident, &events),
        steps: steps_for(actor, &incident),
        can_comment,
        can_handle,
        can_coordinate: may(actor, Action::IncidentCoordinate, incident.owner.id),
        proposed,
        events,
        incident,
    })
}

/// Restricts a filter to what the actor may read: owners in reach, and granted incidents.
async fn scope(core: &Core, actor: &Actor, f: &mut IncidentFilter) -> Result<()> {
    let Some(p) = &actor.principal else {
        f.owners_within = None;
        return Ok(());
    };
    f.owners_within = match p.visibility(Action::IncidentRead) {
        Visibility::All => None,
        Visibility::Orgs(s) => Some(s.into_iter().collect()),
        Visibility::Nothing => Some(Vec::new()),
    };
    if f.owners_within.is_some() {
        let mut c = core.db.conn().await?;
        f.or_ids =
            ungcuu_store::grants::granted_ids(&mut c, OBJECT, p.user_id, &p.org_ids(), false)
                .await?;
    }
    Ok(())
}

/// A page of the queue: the incidents the actor may read, newest first.
pub async fn list(
    core: &Core,
    actor: &Actor,
    mut filter: IncidentFilter,
    after: Option<Uuid>,
    limit: Option<i64>,
) -> Result<Page<Incident>> {
    scope(core, actor, &mut filter).await?;
    let mut c = core.db.conn().await?;
    Ok(store::list(&mut c, &filter, after, ungcuu_store::page_limit(limit)).await?)
}

/// The organisations the actor may report incidents for (the form's choices).
pub async fn reportable_orgs(core: &Core, actor: &Actor) -> Result<Vec<orgs::Org>> {
    Ok(crate::orgs::all_readable(core, actor)
        .await?
        .into_iter()
        .filter(|o| may(actor, Action::IncidentReport, o.id))
        .collect())
}

/// The severity rule set in force: the stored one, or the defaults.
pub async fn severity_rules(core: &Core) -> Result<SeverityRules> {
    let mut c = core.db.conn().await?;
    match settings::get(&mut c, RULES_KEY).await? {
        Some(s) => serde_json::from_str(&s)
            .map_err(|e| CoreError::Internal(format!("stored severity rules: {e}"))),
        None => Ok(SeverityRules::default()),
    }
}

/// Replaces the severity rule set (province-wide coordinators and administrators). Incidents
/// keep their severity until they are classified again.
pub async fn set_severity_rules(
    core: &Core,
    actor: &Actor,
    new: SeverityRules,
) -> Result<SeverityRules> {
    crate::audit::require_settings_writer(core, actor, RULES_KEY).await?;
    new.validate().map_err(CoreError::Invalid)?;
    let before = severity_rules(core).await?;
    let t = now();
    let mut tx = core.db.begin().await?;
    let value = serde_json::to_string(&new).map_err(|e| CoreError::Internal(e.to_string()))?;
    settings::set(&mut tx, RULES_KEY, &value, t).await?;
    let ev = actor.event(
        "settings.severity_rules",
        "settings",
        Some(RULES_KEY.into()),
        None,
        json!({ "before": before, "after": new }),
    );
    audit::append(&mut tx, &ev, t).await?;
    commit(tx).await?;
    Ok(new)
}

/// Reads the type, sub-type and TLP codes; a sub-type must belong to its type (and gives the
/// type when none is named).
fn read_classification(
    e: &mut Errors,
    incident_type: &str,
    subtype: &str,
    tlp: &str,
) -> (Option<IncidentType>, Option<Subtype>, Option<Tlp>) {
    let t = match incident_type.trim() {
        "" => None,
        v => match v.parse::<IncidentType>() {
            Ok(t) => Some(t),
            Err(()) => {
                e.add("incident_type", "incident.err.type");
                None
            }
        },
    };
    let s = match subtype.trim() {
        "" => None,
        v => match v.parse::<Subtype>() {
            Ok(s) => Some(s),
            Err(()) => {
                e.add("subtype", "incident.err.subtype");
                None
            }
        },
    };
    let t = match (t, s) {
        (Some(t), Some(s)) if s.parent() != t => {
            e.add("subtype", "incident.err.subtype_of_type");
            Some(t)
        }
        (None, Some(s)) => Some(s.parent()),
        (t, _) => t,
    };
    let tlp = match tlp.trim() {
        "" => None,
        v => match v.parse::<Tlp>() {
            Ok(x) => Some(x),
            Err(()) => {
                e.add("tlp", "incident.err.tlp");
                None
            }
        },
    };
    (t, s, tlp)
}

pub(crate) fn event(
    actor: &Actor,
    incident: Uuid,
    kind: EventKind,
    comment: Option<String>,
    happened_at: OffsetDateTime,
    recorded_at: OffsetDateTime,
) -> Event {
    Event {
        id: Uuid::now_v7(),
        incident_id: incident,
        kind,
        from_state: None,
        to_state: None,
        actor_user_id: actor.user_id(),
        actor_label: actor.label.clone(),
        comment,
        happened_at,
        recorded_at,
    }
}

/// A transition's event: it happened when it was recorded.
fn step_event(
    actor: &Actor,
    incident: Uuid,
    from: Option<IncidentState>,
    to: IncidentState,
    comment: Option<String>,
    at: OffsetDateTime,
) -> Event {
    Event {
        from_state: from,
        to_state: Some(to),
        ..event(actor, incident, EventKind::Transition, comment, at, at)
    }
}

fn reasons_json(r: &[Reason]) -> serde_json::Value {
    serde_json::to_value(r).unwrap_or_default()
}

/// Reports an incident for an organisation: its own officer, or the coordinator entering a
/// report received by phone or letter for any organisation.
pub async fn create(core: &Core, actor: &Actor, new: NewIncident) -> Result<Incident> {
    let t = now();
    let mut errs = Vec::new();
    if new.owner_org_id.is_none() {
        errs.push(FieldError::new("owner_org_id", "err.required"));
    }
    let valid = match rules::validate_report(&new.report, t) {
        Ok(v) => Some(v),
        Err(e) => {
            errs.extend(e);
            None
        }
    };
    let mut e = Errors::default();
    let (incident_type, subtype, tlp) =
        read_classification(&mut e, &new.incident_type, &new.subtype, &new.tlp);
    let mut impact = new.impact.unwrap_or_default();
    if let Err(ie) = impact.validate() {
        errs.extend(ie);
    }
    errs.extend(e.0);
    let (Some(owner_id), Some(valid), true) = (new.owner_org_id, valid, errs.is_empty()) else {
        return Err(CoreError::Invalid(errs));
    };
    let owner = {
        let mut c = core.db.conn().await?;
        orgs::get(&mut c, owner_id).await?
    };
    let Some(owner) = owner else {
        return Err(CoreError::field("owner_org_id", "err.org_missing"));
    };
    // A system chosen from the registry must be one the reporting organisation owns or operates,
    // so a report cannot attach itself to (and reveal the name of) another body's system.
    let registered = match new.system_id {
        Some(sid) => {
            let mut c = core.db.conn().await?;
            match ungcuu_store::systems::get(&mut c, sid).await? {
                Some(s)
                    if s.owner.id == owner.id
                        || s.operator.as_ref().is_some_and(|o| o.id == owner.id) =>
                {
                    Some(s)
                }
                _ => return Err(CoreError::field("system_id", "incident.err.system_unknown")),
            }
        }
        None => None,
    };
    if let Some(p) = &actor.principal
        && !p.can(Action::IncidentReport, owner.id)
    {
        let readable = p.can(Action::OrgRead, owner.id);
        let err = if readable {
            CoreError::ForbiddenWith("incident.err.needs_reporter")
        } else {
            // An organisation the person cannot see reads as missing.
            CoreError::field("owner_org_id", "err.org_missing")
        };
        return Err(denied(
            core,
            actor,
            Action::IncidentReport,
            OBJECT,
            None,
            Some(owner.id),
            err,
        )
        .await);
    }
    if impact.system_level.is_none() {
        impact.system_level = valid.report.system_level;
    }
    let (severity, severity_reasons) = severity_rules(core).await?.evaluate(&impact);
    let incident = Incident {
        id: Uuid::now_v7(),
        owner: OrgRef {
            id: owner.id,
            slug: owner.slug.clone(),
            name: owner.name.clone(),
        },
        system_id: new.system_id.map(|s| s.to_string()),
        system_name: valid
            .system_name
            .or_else(|| registered.map(|s| s.details.name)),
        title: valid.title,
        description: valid.summary,
        incident_type,
        subtype,
        tlp: tlp.unwrap_or(Tlp::Amber),
        severity,
        severity_reasons,
        severity_override_reason: None,
        impact,
        state: IncidentState::Received,
        discovered_at: valid.discovered_at,
        reported_at: valid.reported_at,
        response_completed_at: None,
        closed_at: None,
        report: valid.report,
        review: None,
        outcome: None,
        created_by: actor.user_id(),
        created_at: t,
        updated_at: t,
    };
    let mut tx = core.db.begin().await?;
    store::insert(&mut tx, &incident).await?;
    store::insert_event(
        &mut tx,
        &step_event(actor, incident.id, None, IncidentState::Received, None, t),
    )
    .await?;
    let ev = actor.event(
        "incident.create",
        OBJECT,
        Some(incident.id.to_string()),
        Some(owner.id),
        json!({
            "title": incident.title,
            "severity": incident.severity.as_str(),
            "reasons": reasons_json(&incident.severity_reasons),
            "type": incident.incident_type.map(|x| x.as_str()),
            "tlp": incident.tlp.as_str(),
            "channel": incident.report.channel,
        }),
    );
    audit::append(&mut tx, &ev, t).await?;
    announce(&mut tx, core, &incident, actor.user_id(), t).await?;
    // Whoever reports an incident hears of its progress until they unfollow it.
    if let Some(uid) = actor.user_id() {
        ungcuu_store::notices::follow(&mut tx, incident.id, uid, t).await?;
    }
    crate::tasks::enter_state(&mut tx, actor, &incident, IncidentState::Received, t).await?;
    commit(tx).await?;
    Ok(incident)
}

/// Tells the owner's officers and the province's coordinators that a report arrived (whoever
/// made it excepted), whatever the channel: form, API, phone entry or e-mail.
pub(crate) async fn announce(
    tx: &mut ungcuu_store::Connection,
    core: &Core,
    incident: &Incident,
    by: Option<Uuid>,
    t: time::OffsetDateTime,
) -> Result<()> {
    let mut people = crate::notices::officers(tx, incident.owner.id).await?;
    people.extend(crate::notices::coordinators(tx).await?);
    people.retain(|p| Some(p.id) != by);
    let text_vi = format!(
        "Báo cáo sự cố mới của {}: \"{}\".",
        incident.owner.name, incident.title
    );
    let text_en = format!(
        "New incident report from {}: \"{}\".",
        incident.owner.name, incident.title
    );
    let link = format!("/incidents/{}", incident.id);
    let notice = crate::notices::Notice {
        kind: "incident.reported",
        subject: ("[ungcuu] Báo cáo sự cố mới", "[ungcuu] New incident report"),
        text: (&text_vi, &text_en),
        link: &link,
    };
    crate::notices::tell(tx, core, &people, &notice, t).await
}

/// Moves an incident to `to`, if the machine allows it from where it stands and the actor holds
/// the step's role in the owner organisation. Entering review records the end of the response.
pub async fn transition(
    core: &Core,
    actor: &Actor,
    id: Uuid,
    to: &str,
    comment: Option<&str>,
) -> Result<Incident> {
    let before = get(core, actor, id).await?;
    let Ok(to) = to.trim().parse::<IncidentState>() else {
        return Err(CoreError::field("to", "incident.err.state"));
    };
    let mut e = Errors::default();
    let comment = rules::long_text(&mut e, "comment", comment.unwrap_or(""), false);
    e.into_result().map_err(CoreError::Invalid)?;
    let facts = TransitionFacts {
        serious: before.severity == Severity::Serious,
        review_complete: before.review.as_ref().is_some_and(Review::is_complete),
        has_comment: comment.is_some(),
    };
    let g = rules::check_transition(before.state, to, facts).map_err(|r| {
        let field = if r == rules::Refusal::CommentRequired {
            "comment"
        } else {
            "to"
        };
        CoreError::field(field, r.code())
    })?;
    require_on(core, actor, g.action(), &before, g.refusal_key()).await?;
    if (before.state, to) == (IncidentState::VerifyingRecovery, IncidentState::Review) {
        crate::tasks::check_recovery(core, id).await?;
    }
    let escalation_told = if to == IncidentState::Escalated {
        crate::steering::escalation_recipients(core, actor, &before).await?
    } else {
        Vec::new()
    };
    let t = now();
    let change = StateChange {
        id,
        from: before.state,
        to,
        response_completed_at: (to == IncidentState::Review).then_some(t),
        closed_at: to.is_terminal().then_some(t),
        at: t,
    };
    let mut tx = core.db.begin().await?;
    // The law's last step: the final report (Mẫu 04) is issued before the incident closes.
    if to == IncidentState::Closed && !crate::documents::has_final_report(&mut tx, id).await? {
        return Err(CoreError::field("to", "incident.err.needs_final_report"));
    }
    if !store::change_state(&mut tx, &change).await? {
        return Err(CoreError::field("to", "incident.err.stale"));
    }
    store::insert_event(
        &mut tx,
        &step_event(actor, id, Some(before.state), to, comment.clone(), t),
    )
    .await?;
    let ev = actor.event(
        "incident.transition",
        OBJECT,
        Some(id.to_string()),
        Some(before.owner.id),
        json!({ "from": before.state.as_str(), "to": to.as_str(), "comment": comment }),
    );
    audit::append(&mut tx, &ev, t).await?;
    let (to_vi, to_en) = to.names();
    let text_vi = format!(
        "Sự cố \"{}\" ({}) chuyển sang bước: {to_vi}.",
        before.title, before.owner.name
    );
    let text_en = format!(
        "Incident \"{}\" ({}) moved to: {to_en}.",
        before.title, before.owner.name
    );
    let link = format!("/incidents/{id}");
    let notice = crate::notices::Notice {
        kind: "incident.state",
        subject: (
            "[ungcuu] Sự cố chuyển bước xử lý",
            "[ungcuu] Incident moved to another step",
        ),
        text: (&text_vi, &text_en),
        link: &link,
    };
    crate::notices::tell_followers(&mut tx, core, id, actor.user_id(), &notice, t).await?;
    crate::tasks::enter_state(&mut tx, actor, &before, to, t).await?;
    crate::steering::tell_escalated(
        &mut tx,
        core,
        &before,
        &escalation_told,
        comment.as_deref(),
        t,
    )
    .await?;
    commit(tx).await?;
    let mut c = core.db.conn().await?;
    store::get(&mut c, id).await?.ok_or(CoreError::NotFound)
}

/// Classifies an incident again and re-evaluates its severity with the rule set in force. An
/// overridden severity stays as the person set it; the reasons are refreshed.
pub async fn classify(
    core: &Core,
    actor: &Actor,
    id: Uuid,
    ch: ClassificationChanges,
) -> Result<Incident> {
    let before = get(core, actor, id).await?;
    require_on(
        core,
        actor,
        Action::IncidentHandle,
        &before,
        "incident.err.needs_handler",
    )
    .await?;
    let mut e = Errors::default();
    let type_text = ch.incident_type.clone().unwrap_or_else(|| {
        before
            .incident_type
            .map(|x| x.as_str().to_string())
            .unwrap_or_default()
    });
    let sub_text = ch.subtype.clone().unwrap_or_else(|| {
        before
            .subtype
            .map(|x| x.as_str().to_string())
            .unwrap_or_default()
    });
    // A new sub-type alone brings its own type; a new type alone drops a sub-type of another.
    let (type_text, sub_text) = match (&ch.incident_type, &ch.subtype) {
        (None, Some(_)) => (String::new(), sub_text),
        (Some(_), None) => {
            let keep = sub_text
                .parse::<Subtype>()
                .ok()
                .filter(|s| Some(s.parent().as_str()) == Some(type_text.trim()));
            (
                type_text,
                keep.map(|s| s.as_str().to_string()).unwrap_or_default(),
            )
        }
        _ => (type_text, sub_text),
    };
    let (incident_type, subtype, tlp) = read_classification(
        &mut e,
        &type_text,
        &sub_text,
        ch.tlp.as_deref().unwrap_or(before.tlp.as_str()),
    );
    let impact = ch.impact.unwrap_or(before.impact);
    if let Err(ie) = impact.validate() {
        e.0.extend(ie);
    }
    e.into_result().map_err(CoreError::Invalid)?;
    let (proposed, severity_reasons) = severity_rules(core).await?.evaluate(&impact);
    let k = Classification {
        incident_type,
        subtype,
        tlp: tlp.unwrap_or(before.tlp),
        impact,
        severity: if before.severity_override_reason.is_some() {
            before.severity
        } else {
            proposed
        },
        severity_reasons,
        severity_override_reason: before.severity_override_reason.clone(),
    };
    let t = now();
    let summary = format!(
        "{} · {} · TLP:{} · {}",
        k.incident_type.map(|x| x.as_str()).unwrap_or("-"),
        k.subtype.map(|x| x.as_str()).unwrap_or("-"),
        k.tlp.as_str(),
        k.severity.as_str()
    );
    let mut tx = core.db.begin().await?;
    store::classify(&mut tx, id, &k, t).await?;
    store::insert_event(
        &mut tx,
        &event(actor, id, EventKind::Classification, Some(summary), t, t),
    )
    .await?;
    let ev = actor.event(
        "incident.classify",
        OBJECT,
        Some(id.to_string()),
        Some(before.owner.id),
        json!({
            "before": {
                "type": before.incident_type.map(|x| x.as_str()),
                "subtype": before.subtype.map(|x| x.as_str()),
                "tlp": before.tlp.as_str(),
                "impact": before.impact,
                "severity": before.severity.as_str(),
            },
            "after": {
                "type": k.incident_type.map(|x| x.as_str()),
                "subtype": k.subtype.map(|x| x.as_str()),
                "tlp": k.tlp.as_str(),
                "impact": k.impact,
                "severity": k.severity.as_str(),
                "reasons": reasons_json(&k.severity_reasons),
            },
        }),
    );
    audit::append(&mut tx, &ev, t).await?;
    commit(tx).await?;
    let mut c = core.db.conn().await?;
    store::get(&mut c, id).await?.ok_or(CoreError::NotFound)
}

/// Sets the severity by hand, with the reason (the coordinator). The rule set's reasons stay
/// beside it, so both are visible.
pub async fn override_severity(
    core: &Core,
    actor: &Actor,
    id: Uuid,
    severity: &str,
    reason: &str,
) -> Result<Incident> {
    let before = get(core, actor, id).await?;
    require_on(
        core,
        actor,
        Action::IncidentCoordinate,
        &before,
        "incident.err.needs_coordinator",
    )
    .await?;
    let mut e = Errors::default();
    let severity = match severity.parse::<Severity>() {
        Ok(s) => Some(s),
        Err(()) => {
            e.add("severity", "incident.err.severity");
            None
        }
    };
    let reason = rules::long_text(&mut e, "reason", reason, true);
    e.into_result().map_err(CoreError::Invalid)?;
    let (Some(severity), Some(reason)) = (severity, reason) else {
        return Err(CoreError::field("reason", "err.required"));
    };
    let k = Classification {
        incident_type: before.incident_type,
        subtype: before.subtype,
        tlp: before.tlp,
        impact: before.impact,
        severity,
        severity_reasons: before.severity_reasons.clone(),
        severity_override_reason: Some(reason.clone()),
    };
    let t = now();
    let mut tx = core.db.begin().await?;
    store::classify(&mut tx, id, &k, t).await?;
    store::insert_event(
        &mut tx,
        &event(
            actor,
            id,
            EventKind::Classification,
            Some(format!(
                "{} → {}: {reason}",
                before.severity.as_str(),
                severity.as_str()
            )),
            t,
            t,
        ),
    )
    .await?;
    let ev = actor.event(
        "incident.severity_override",
        OBJECT,
        Some(id.to_string()),
        Some(before.owner.id),
        json!({
            "before": before.severity.as_str(),
            "after": severity.as_str(),
            "reason": reason,
            "rule_reasons": reasons_json(&before.severity_reasons),
        }),
    );
    audit::append(&mut tx, &ev, t).await?;
    commit(tx).await?;
    let mut c = core.db.conn().await?;
    store::get(&mut c, id).await?.ok_or(CoreError::NotFound)
}

/// Adds a comment, or (with `happened_at`) a manual timeline entry for something that happened
/// at that time: the owner's handlers, and those granted write access (supporting organisations).
pub async fn add_note(
    core: &Core,
    actor: &Actor,
    id: Uuid,
    text: &str,
    happened_at: Option<&str>,
) -> Result<Event> {
    Ok(comment(core, actor, id, text, happened_at).await?.0)
}

/// [`add_note`], also telling the people the text `@mentions` who can read the incident (see
/// [`crate::coordination::Mention`]); returns what happened to each mention.
pub async fn comment(
    core: &Core,
    actor: &Actor,
    id: Uuid,
    text: &str,
    happened_at: Option<&str>,
) -> Result<(Event, Vec<crate::coordination::Mention>)> {
    let i = get(core, actor, id).await?;
    if !may(actor, Action::IncidentHandle, i.owner.id) && !granted(core, actor, id, true).await? {
        return Err(denied(
            core,
            actor,
            Action::IncidentHandle,
            OBJECT,
            Some(id.to_string()),
            Some(i.owner.id),
            CoreError::ForbiddenWith("incident.err.needs_handler"),
        )
        .await);
    }
    let t = now();
    let mut e = Errors::default();
    let text = rules::long_text(&mut e, "comment", text, true);
    let (kind, at) = match happened_at.map(str::trim) {
        None => (EventKind::Comment, Some(t)),
        Some("") => {
            e.add("happened_at", "err.required");
            (EventKind::Manual, None)
        }
        Some(v) => match rules::parse_time(v) {
            Some(at) if at > t + time::Duration::minutes(10) => {
                e.add("happened_at", "err.date_future");
                (EventKind::Manual, None)
            }
            Some(at) => (EventKind::Manual, Some(at)),
            None => {
                e.add("happened_at", "err.datetime");
                (EventKind::Manual, None)
            }
        },
    };
    e.into_result().map_err(CoreError::Invalid)?;
    let (Some(text), Some(at)) = (text, at) else {
        return Err(CoreError::field("comment", "err.required"));
    };
    let (mentions, told) = crate::coordination::resolve_mentions(core, &i, &text).await?;
    let ev = event(actor, id, kind, Some(text.clone()), at, t);
    let mut tx = core.db.begin().await?;
    store::insert_event(&mut tx, &ev).await?;
    store::touch(&mut tx, id, t).await?;
    let a = actor.event(
        if kind == EventKind::Comment {
            "incident.comment"
        } else {
            "incident.timeline"
        },
        OBJECT,
        Some(id.to_string()),
        Some(i.owner.id),
        json!({
            "event_id": ev.id,
            "happened_at": ungcuu_domain::timefmt::to_db(at),
            "text": text,
            "mentions": mentions
                .iter()
                .map(|m| json!({ "email": m.email, "delivered": m.delivered }))
                .collect::<Vec<_>>(),
        }),
    );
    audit::append(&mut tx, &a, t).await?;
    crate::coordination::tell_mentions(&mut tx, core, actor, &i, &told, &text, t).await?;
    commit(tx).await?;
    Ok((ev, mentions))
}

/// Writes the post-incident review (root cause, lessons, measures) while the incident is in
/// review; closing needs it.
pub async fn set_review(
    core: &Core,
    actor: &Actor,
    id: Uuid,
    root_cause: &str,
    lessons: &str,
    measures: &str,
) -> Result<Incident> {
    let i = get(core, actor, id).await?;
    require_on(
        core,
        actor,
        Action::IncidentHandle,
        &i,
        "incident.err.needs_handler",
    )
    .await?;
    if i.state != IncidentState::Review {
        return Err(CoreError::field("root_cause", "incident.err.review_state"));
    }
    let review = Review::validate(root_cause, lessons, measures).map_err(CoreError::Invalid)?;
    let t = now();
    let mut tx = core.db.begin().await?;
    store::set_review(&mut tx, id, &review, t).await?;
    let ev = actor.event(
        "incident.review",
        OBJECT,
        Some(id.to_string()),
        Some(i.owner.id),
        json!({ "before": i.review, "after": review }),
    );
    audit::append(&mut tx, &ev, t).await?;
    commit(tx).await?;
    let mut c = core.db.conn().await?;
    store::get(&mut c, id).await?.ok_or(CoreError::NotFound)
}

/// Adds a bilingual manual line to incident `id`'s timeline, happening now, and marks the
/// incident changed (what sendings, tasks and other sections record there).
pub(crate) async fn note_line(
    tx: &mut ungcuu_store::Connection,
    actor: &Actor,
    id: Uuid,
    line: String,
    t: OffsetDateTime,
) -> Result<()> {
    store::insert_event(tx, &event(actor, id, EventKind::Manual, Some(line), t, t)).await?;
    store::touch(tx, id, t).await?;
    Ok(())
}

/// What is recorded of who helped and the damage (Mẫu 05's columns and lists).
#[derive(Debug, Clone, Default)]
pub struct OutcomeInput {
    /// Domestic organisations that helped.
    pub domestic_helpers: Vec<String>,
    /// Foreign organisations that helped.
    pub foreign_helpers: Vec<String>,
    /// The national coordinator was asked to help.
    pub national_coordinator_helped: bool,
    /// Estimated damage in đồng.
    pub estimated_damage_vnd: Option<i64>,
}

/// Records who helped handle the incident and the estimated damage, which Mẫu 05 counts.
/// Written by its handlers or a coordinator in any state of a real incident, closed ones
/// included: damage is often only known later, and the summary is made after closure.
pub async fn set_outcome(
    core: &Core,
    actor: &Actor,
    id: Uuid,
    input: &OutcomeInput,
) -> Result<Incident> {
    let i = get(core, actor, id).await?;
    if !(may(actor, Action::IncidentHandle, i.owner.id)
        || may(actor, Action::IncidentCoordinate, i.owner.id))
    {
        require_on(
            core,
            actor,
            Action::IncidentHandle,
            &i,
            "incident.err.needs_handler",
        )
        .await?;
    }
    if matches!(
        i.state,
        IncidentState::Rejected | IncidentState::Duplicate | IncidentState::Merged
    ) {
        return Err(CoreError::field(
            "domestic_helpers",
            "incident.err.outcome_state",
        ));
    }
    let outcome = Outcome::validate(
        &input.domestic_helpers,
        &input.foreign_helpers,
        input.national_coordinator_helped,
        input.estimated_damage_vnd,
    )
    .map_err(CoreError::Invalid)?;
    let t = now();
    let mut tx = core.db.begin().await?;
    store::set_outcome(&mut tx, id, &outcome, t).await?;
    let ev = actor.event(
        "incident.outcome",
        OBJECT,
        Some(id.to_string()),
        Some(i.owner.id),
        json!({ "before": i.outcome, "after": outcome }),
    );
    audit::append(&mut tx, &ev, t).await?;
    commit(tx).await?;
    let mut c = core.db.conn().await?;
    store::get(&mut c, id).await?.ok_or(CoreError::NotFound)
}

/// One demo incident: owner slug, title, Mẫu 03 summary, sub-type, impact, and the states to
/// walk it through.
struct Demo {
    owner: &'static str,
    title: &'static str,
    summary: &'static str,
    system: &'static str,
    domain: &'static str,
    subtype: Subtype,
    level: i64,
    impact: Impact,
    days_ago: i64,
    path: &'static [IncidentState],
}

const DEMO: &[Demo] = &[
    Demo {
        owner: "tp-sa-dec",
        title: "Cổng thông tin điện tử thành phố Sa Đéc bị thay đổi giao diện",
        summary: "Sáng nay trang chủ cổng thông tin bị thay bằng trang có khẩu hiệu lạ và hình ảnh không rõ nguồn gốc. Chưa phát hiện dữ liệu bị lấy cắp; dịch vụ công trực tuyến vẫn hoạt động.",
        system: "Cổng thông tin điện tử thành phố Sa Đéc",
        domain: "sadec.dongthap.gov.vn",
        subtype: Subtype::Deface,
        level: 2,
        impact: Impact {
            system_level: Some(2),
            organizations_affected: 1,
            personal_data_exposed: false,
            state_secret_exposed: false,
            public_service_down_hours: 3,
            external_resources_needed: false,
        },
        days_ago: 2,
        path: &[
            IncidentState::Verifying,
            IncidentState::InitialResponse,
            IncidentState::OptionProposed,
            IncidentState::OptionApproved,
            IncidentState::Containing,
        ],
    },
    Demo {
        owner: "so-y-te",
        title: "Chiến dịch thư điện tử giả mạo nhắm vào hộp thư công vụ của Sở Y tế",
        summary: "Nhiều cán bộ nhận thư giả danh bộ phận CNTT yêu cầu đăng nhập lại hộp thư qua một đường dẫn lạ. Ít nhất hai người đã nhập mật khẩu; đang kiểm tra nhật ký đăng nhập.",
        system: "Hệ thống thư điện tử công vụ",
        domain: "mail.dongthap.gov.vn",
        subtype: Subtype::Phishing,
        level: 2,
        impact: Impact {
            system_level: Some(2),
            organizations_affected: 1,
            personal_data_exposed: false,
            state_secret_exposed: false,
            public_service_down_hours: 0,
            external_resources_needed: false,
        },
        days_ago: 1,
        path: &[IncidentState::Verifying],
    },
    Demo {
        owner: "ttcntt",
        title: "Mã độc tống tiền mã hóa máy chủ ứng dụng tại Trung tâm dữ liệu tỉnh",
        summary: "Nhiều máy chủ ứng dụng tại Trung tâm dữ liệu bị mã hóa dữ liệu kèm thông báo đòi tiền chuộc. Hệ thống một cửa điện tử của nhiều sở, ngành ngừng hoạt động; cần hỗ trợ của VNCERT/CC.",
        system: "Trung tâm dữ liệu tỉnh Đồng Tháp",
        domain: "dichvucong.dongthap.gov.vn",
        subtype: Subtype::Ransomware,
        level: 3,
        impact: Impact {
            system_level: Some(3),
            organizations_affected: 6,
            personal_data_exposed: true,
            state_secret_exposed: false,
            public_service_down_hours: 30,
            external_resources_needed: true,
        },
        days_ago: 3,
        path: &[
            IncidentState::Verifying,
            IncidentState::InitialResponse,
            IncidentState::OptionProposed,
            IncidentState::OptionApproved,
            IncidentState::Escalated,
        ],
    },
];

/// Adds the demo incidents whose owner exists and that are not there yet (by owner and title),
/// walked to the state each demonstrates. Returns how many were added.
pub async fn load_demo(core: &Core) -> Result<usize> {
    let actor = Actor::system("demo");
    let mut added = 0;
    for d in DEMO {
        let owner = {
            let mut c = core.db.conn().await?;
            let Some(owner) = orgs::by_slug(&mut c, d.owner).await? else {
                continue;
            };
            if store::id_by_title(&mut c, owner.id, d.title)
                .await?
                .is_some()
            {
                continue;
            }
            owner
        };
        let discovered = now() - time::Duration::days(d.days_ago);
        let reported = discovered + time::Duration::hours(2);
        let rfc = |t: OffsetDateTime| ungcuu_domain::timefmt::rfc3339(t);
        let report = ReportInput {
            title: d.title.into(),
            reporter_name: owner.name.clone(),
            reporter_address: "Số 12 đường 30/4, Phường 1, thành phố Cao Lãnh, tỉnh Đồng Tháp"
                .into(),
            reporter_phone: "0277 3851 234".into(),
            reporter_email: format!("ungcuu.{}@dongthap.gov.vn", d.owner.replace('-', "")),
            contact_name: "Cán bộ phụ trách an toàn thông tin".into(),
            contact_title: "Chuyên viên".into(),
            contact_phone: "0912 345 678".into(),
            contact_email: format!("canbo.{}@demo.test", d.owner),
            operator_name: owner.name.clone(),
            owner_body: "Ủy ban nhân dân tỉnh Đồng Tháp".into(),
            system_name: d.system.into(),
            system_level: d.level.to_string(),
            summary: d.summary.into(),
            discovered_at: rfc(discovered),
            handling_status: "not_handled".into(),
            detection_methods: vec!["log_review".into()],
            notified: vec!["coordinator".into()],
            services: vec!["web".into()],
            measures: vec!["antivirus".into(), "firewall".into()],
            domains: vec![d.domain.into()],
            reported_at: rfc(reported),
            channel: "web".into(),
            ..Default::default()
        };
        let i = create(
            core,
            &actor,
            NewIncident {
                owner_org_id: Some(owner.id),
                report,
                subtype: d.subtype.as_str().into(),
                impact: Some(d.impact),
                ..Default::default()
            },
        )
        .await?;
        for to in d.path {
            transition(core, &actor, i.id, to.as_str(), None).await?;
        }
        added += 1;
    }
    Ok(added)
}
