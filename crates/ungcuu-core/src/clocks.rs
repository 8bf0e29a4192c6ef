//! The reporting clocks of TT 20/2017 (legal spec §2.1): the notification due 5 days after
//! discovery, the final report due 5 days after the response ended (the incident entered
//! `review`), and the periodic Mẫu 05 deadlines. A clock stops when the sending of its report is
//! recorded (by letter, fax or e-mail; the documents arrive later). The `clocks.scan` job reminds
//! the owner's officers before a clock is due and tells the coordinators when it is overdue, each
//! threshold once.
//!
//! Reading clocks needs what reading the incident needs; recording a sending needs
//! `incident.handle` or `incident.coordinate` on the owner.

use crate::audit::denied;
use crate::incidents::OBJECT;
use crate::notices::{self, Notice};
use crate::{Actor, Core, CoreError, Result};
use serde_json::json;
use std::collections::HashMap;
use time::OffsetDateTime;
use ungcuu_domain::clocks::{self as rules, Channel, ClockKind, ClockRules, ClockStatus, Period};
use ungcuu_domain::incident::{self as irules, parse_time};
use ungcuu_domain::permissions::Action;
use ungcuu_domain::timefmt::{self, now};
use ungcuu_domain::validate::Errors;
use ungcuu_store::clocks::{self as store, ReportRecord};
use ungcuu_store::documents::SentSummary;
use ungcuu_store::incidents::{self as istore, EventKind, Incident, IncidentFilter};
use ungcuu_store::{Connection, audit, commit, jobs, settings};
use uuid::Uuid;

/// The settings key of the clock rules (JSON of [`ClockRules`]).
pub const RULES_KEY: &str = "clock_rules";

/// The job kind of the scan.
pub const SCAN_JOB: &str = "clocks.scan";

/// How often the worker enqueues a scan.
pub const SCAN_EVERY: std::time::Duration = std::time::Duration::from_secs(600);

/// One clock of an incident.
#[derive(Debug, Clone, PartialEq)]
pub struct Clock {
    /// Which.
    pub kind: ClockKind,
    /// When it started (none: the response has not ended yet).
    pub started_at: Option<OffsetDateTime>,
    /// When it is due.
    pub due: Option<OffsetDateTime>,
    /// Where it stands (none until started).
    pub status: Option<ClockStatus>,
}

/// The clocks of an incident with its records.
#[derive(Debug, Clone)]
pub struct IncidentClocks {
    /// The incident.
    pub incident: Incident,
    /// Notification and final report.
    pub clocks: Vec<Clock>,
    /// Every report recorded, earliest first.
    pub records: Vec<ReportRecord>,
    /// The actor may record a sending.
    pub can_record: bool,
}

/// A running clock in the deadlines list.
#[derive(Debug, Clone)]
pub struct OpenClock {
    /// The incident.
    pub incident: Incident,
    /// The clock.
    pub clock: Clock,
}

/// A sending to record.
#[derive(Debug, Clone, Default)]
pub struct NewRecord {
    /// `notification` or `final_report`.
    pub kind: String,
    /// When it was sent (empty: now).
    pub sent_at: String,
    /// `email`, `letter`, `fax` or `system`.
    pub channel: String,
    /// To whom.
    pub recipients: String,
    /// Letter number, fax receipt, …
    pub note: String,
}

fn may(actor: &Actor, action: Action, org: Uuid) -> bool {
    actor.principal.as_ref().is_none_or(|p| p.can(action, org))
}

/// The rules in force: the stored ones, or the defaults.
pub async fn rules(core: &Core) -> Result<ClockRules> {
    let mut c = core.db.conn().await?;
    match settings::get(&mut c, RULES_KEY).await? {
        Some(s) => serde_json::from_str(&s)
            .map_err(|e| CoreError::Internal(format!("stored clock rules: {e}"))),
        None => Ok(ClockRules::default()),
    }
}

/// Replaces the rules (province-wide coordinators and administrators).
pub async fn set_rules(core: &Core, actor: &Actor, new: ClockRules) -> Result<ClockRules> {
    crate::audit::require_settings_writer(core, actor, RULES_KEY).await?;
    new.validate().map_err(CoreError::Invalid)?;
    let value = serde_json::to_string(&new)
        .map_err(|e| CoreError::Internal(format!("clock rules: {e}")))?;
    let t = now();
    let mut tx = core.db.begin().await?;
    settings::set(&mut tx, RULES_KEY, &value, t).await?;
    let ev = actor.event(
        "settings.clock_rules",
        "settings",
        Some(RULES_KEY.into()),
        None,
        serde_json::to_value(&new).unwrap_or_default(),
    );
    audit::append(&mut tx, &ev, t).await?;
    commit(tx).await?;
    Ok(new)
}

/// The clocks of `i` at `at`, given its records.
pub fn clocks_of(
    r: &ClockRules,
    i: &Incident,
    records: &[ReportRecord],
    at: OffsetDateTime,
) -> Vec<Clock> {
    ClockKind::ALL
        .into_iter()
        .map(|kind| {
            let started_at = match kind {
                ClockKind::Notification => Some(i.discovered_at),
                ClockKind::FinalReport => i.response_completed_at,
            };
            let stopped = records
                .iter()
                .filter(|x| x.incident_id == i.id && x.kind == kind)
                .map(|x| x.sent_at)
                .min();
            let due = started_at.map(|s| r.due(kind, s));
            Clock {
                kind,
                started_at,
                due,
                status: due.map(|d| rules::status(r, d, stopped, at)),
            }
        })
        .collect()
}

/// The clocks of one incident the actor may read.
pub async fn for_incident(core: &Core, actor: &Actor, id: Uuid) -> Result<IncidentClocks> {
    let incident = crate::incidents::get(core, actor, id).await?;
    let r = rules(core).await?;
    let records = {
        let mut c = core.db.conn().await?;
        store::for_incidents(&mut c, &[id]).await?
    };
    Ok(IncidentClocks {
        clocks: clocks_of(&r, &incident, &records, now()),
        can_record: may(actor, Action::IncidentHandle, incident.owner.id)
            || may(actor, Action::IncidentCoordinate, incident.owner.id),
        records,
        incident,
    })
}

/// Records that a notification or final report was sent; the clock stops. The owner's officer
/// or the coordinator; audited.
pub async fn record(core: &Core, actor: &Actor, id: Uuid, new: NewRecord) -> Result<ReportRecord> {
    let i = crate::incidents::get(core, actor, id).await?;
    if !(may(actor, Action::IncidentHandle, i.owner.id)
        || may(actor, Action::IncidentCoordinate, i.owner.id))
    {
        return Err(denied(
            core,
            actor,
            Action::IncidentHandle,
            OBJECT,
            Some(id.to_string()),
            Some(i.owner.id),
            CoreError::ForbiddenWith("clock.err.cannot_record"),
        )
        .await);
    }
    let t = now();
    let mut e = Errors::default();
    let kind = new.kind.trim().parse::<ClockKind>().ok();
    if kind.is_none() {
        e.add("kind", "clock.err.kind");
    }
    if kind == Some(ClockKind::FinalReport) && i.response_completed_at.is_none() {
        e.add("kind", "clock.err.not_started");
    }
    let channel = new.channel.trim().parse::<Channel>().ok();
    if channel.is_none() {
        e.add("channel", "clock.err.channel");
    }
    let sent_at = match new.sent_at.trim() {
        "" => Some(t),
        s => match parse_time(s) {
            None => {
                e.add("sent_at", "err.datetime");
                None
            }
            Some(x) if x > t + time::Duration::minutes(5) => {
                e.add("sent_at", "err.date_future");
                None
            }
            Some(x) => Some(x),
        },
    };
    let recipients = new.recipients.trim().to_string();
    if recipients.is_empty() {
        e.add("recipients", "err.required");
    } else if recipients.chars().count() > 1000 {
        e.add("recipients", "err.too_long");
    }
    let note = irules::long_text(&mut e, "note", &new.note, false);
    e.into_result().map_err(CoreError::Invalid)?;
    let (Some(kind), Some(channel), Some(sent_at)) = (kind, channel, sent_at) else {
        return Err(CoreError::field("kind", "clock.err.kind"));
    };
    let rec = ReportRecord {
        id: Uuid::now_v7(),
        incident_id: id,
        kind,
        sent_at,
        channel,
        recipients,
        note,
        recorded_by: actor.user_id(),
        created_at: t,
    };
    let (kind_vi, kind_en) = names(kind);
    let (ch_vi, ch_en) = match channel {
        Channel::Email => ("thư điện tử", "e-mail"),
        Channel::Letter => ("công văn", "letter"),
        Channel::Fax => ("fax", "fax"),
        Channel::System => ("qua hệ thống", "through the system"),
    };
    let mut line = format!(
        "Đã gửi {kind_vi} ({ch_vi}) tới {} / {kind_en} sent ({ch_en}) to {}",
        rec.recipients, rec.recipients
    );
    if let Some(n) = &rec.note {
        line.push_str(&format!(". {n}"));
    }
    let mut tx = core.db.begin().await?;
    store::insert(&mut tx, &rec).await?;
    istore::insert_event(
        &mut tx,
        &crate::incidents::event(actor, id, EventKind::Manual, Some(line), sent_at, t),
    )
    .await?;
    istore::touch(&mut tx, id, t).await?;
    let ev = actor.event(
        "incident.report_recorded",
        OBJECT,
        Some(id.to_string()),
        Some(i.owner.id),
        json!({
            "record": rec.id.to_string(),
            "kind": kind.as_str(),
            "channel": channel.as_str(),
            "sent_at": timefmt::rfc3339(sent_at),
        }),
    );
    audit::append(&mut tx, &ev, t).await?;
    commit(tx).await?;
    Ok(rec)
}

/// Every open incident (not closed, rejected, duplicate or merged) in the filter's scope.
async fn open_incidents(c: &mut Connection, mut f: IncidentFilter) -> Result<Vec<Incident>> {
    f.open_only = true;
    let mut out = Vec::new();
    let mut after = None;
    loop {
        let page = istore::list(c, &f, after, 200).await?;
        out.extend(page.items);
        match page.next.and_then(|n| Uuid::parse_str(&n).ok()) {
            Some(n) => after = Some(n),
            None => return Ok(out),
        }
    }
}

/// Running clocks of a set of incidents at `at`, sorted by due date.
fn running(
    r: &ClockRules,
    incidents: Vec<Incident>,
    records: &[ReportRecord],
    at: OffsetDateTime,
) -> Vec<OpenClock> {
    let mut out: Vec<OpenClock> = incidents
        .into_iter()
        .flat_map(|i| {
            clocks_of(r, &i, records, at)
                .into_iter()
                .filter(|c| !matches!(c.status, None | Some(ClockStatus::Stopped(_))))
                .map(|clock| OpenClock {
                    incident: i.clone(),
                    clock,
                })
                .collect::<Vec<_>>()
        })
        .collect();
    out.sort_by_key(|o| (o.clock.due, o.incident.id));
    out
}

/// Every running clock the actor may see (province-wide for the coordinator), earliest due first.
pub async fn open_clocks(core: &Core, actor: &Actor, at: OffsetDateTime) -> Result<Vec<OpenClock>> {
    let r = rules(core).await?;
    // The queue's scope (owners in reach and granted incidents), every page.
    let mut incidents = Vec::new();
    let mut after = None;
    loop {
        let f = IncidentFilter {
            open_only: true,
            ..IncidentFilter::default()
        };
        let page = crate::incidents::list(core, actor, f, after, Some(200)).await?;
        incidents.extend(page.items);
        match page.next.and_then(|n| Uuid::parse_str(&n).ok()) {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    let ids: Vec<Uuid> = incidents.iter().map(|i| i.id).collect();
    let records = {
        let mut c = core.db.conn().await?;
        store::for_incidents(&mut c, &ids).await?
    };
    Ok(running(&r, incidents, &records, at))
}

/// The badge of each listed incident's most urgent running clock (for the queue).
pub async fn badges(core: &Core, incidents: &[Incident]) -> Result<HashMap<Uuid, Clock>> {
    let r = rules(core).await?;
    let ids: Vec<Uuid> = incidents.iter().map(|i| i.id).collect();
    let records = {
        let mut c = core.db.conn().await?;
        store::for_incidents(&mut c, &ids).await?
    };
    let t = now();
    let mut out = HashMap::new();
    for o in running(&r, incidents.to_vec(), &records, t) {
        out.entry(o.incident.id).or_insert(o.clock);
    }
    Ok(out)
}

/// A Mẫu 05 deadline and where it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodClock {
    /// The period and its deadline.
    pub period: Period,
    /// Running, due soon, overdue, or stopped when a summary ending with the period's last
    /// month was sent.
    pub status: ClockStatus,
    /// That summary.
    pub filed: Option<SentSummary>,
}

fn month_index(d: time::Date) -> i64 {
    i64::from(d.year()) * 12 + i64::from(u8::from(d.month())) - 1
}

/// The Mẫu 05 deadlines that matter at `at`, earliest first: this year's (sent or overdue), an
/// overdue one left from last year, and the next two to come. A deadline from before the
/// installation existed is not chased. A deadline is met by sending an issued Mẫu 05 whose
/// last month is the period's last month (June, December by default).
async fn period_clocks(core: &Core, at: OffsetDateTime) -> Result<Vec<PeriodClock>> {
    let r = rules(core).await?;
    let year = at.to_offset(timefmt::VIETNAM).year();
    let all: Vec<Period> = (year - 1..=year + 1).flat_map(|y| r.periods(y)).collect();
    let (Some(first), Some(last)) = (
        all.iter().map(|p| month_index(p.to)).min(),
        all.iter().map(|p| month_index(p.to)).max(),
    ) else {
        return Ok(Vec::new());
    };
    let (installed, sent) = {
        let mut c = core.db.conn().await?;
        (
            store::installed_at(&mut c).await?.unwrap_or(at),
            ungcuu_store::documents::sent_summaries(&mut c, first, last).await?,
        )
    };
    let mut out = Vec::new();
    let mut upcoming = 0;
    for p in all {
        let filed = sent
            .iter()
            .find(|s| s.period_to == month_index(p.to))
            .cloned();
        let keep = if p.due > at {
            upcoming += 1;
            upcoming <= 2
        } else if p.year == year {
            filed.is_some() || p.due > installed
        } else {
            filed.is_none() && p.due > installed
        };
        if keep {
            out.push(PeriodClock {
                status: rules::status(&r, p.due, filed.as_ref().map(|f| f.sent_at), at),
                period: p,
                filed,
            });
        }
    }
    out.sort_by_key(|p| p.period.due);
    Ok(out)
}

/// The Mẫu 05 deadlines to show at `at` (see [`period_clocks`]). Province-wide coordinators
/// only (the coordinator organisation files Mẫu 05).
pub async fn periods(core: &Core, actor: &Actor, at: OffsetDateTime) -> Result<Vec<PeriodClock>> {
    if actor
        .principal
        .as_ref()
        .is_some_and(|p| !p.can_everywhere(Action::IncidentCoordinate))
    {
        return Ok(Vec::new());
    }
    period_clocks(core, at).await
}

/// Reminds the coordinators of each Mẫu 05 deadline not yet met, each threshold once (a
/// reminder before it, then an escalation once overdue). Returns how many were sent.
async fn scan_periods(core: &Core, at: OffsetDateTime) -> Result<usize> {
    let r = rules(core).await?;
    let mut sent = 0;
    for pc in period_clocks(core, at).await? {
        if matches!(pc.status, ClockStatus::Stopped(_)) {
            continue;
        }
        let p = &pc.period;
        let crossed = rules::crossed(&r, p.due, at);
        if crossed.is_empty() {
            continue;
        }
        let t = now();
        let mut tx = core.db.begin().await?;
        let mut fresh = Vec::new();
        for th in &crossed {
            if store::mark_period_reminder(&mut tx, i64::from(p.year), p.kind.as_str(), th, t)
                .await?
            {
                fresh.push(th.as_str());
            }
        }
        let Some(last) = fresh.last().copied() else {
            commit(tx).await?;
            continue;
        };
        let (name_vi, name_en) = match p.kind {
            rules::PeriodKind::HalfYear => (
                "Báo cáo tổng hợp 06 tháng (Mẫu 05)",
                "six-month summary (Mẫu 05)",
            ),
            rules::PeriodKind::Annual => (
                "Báo cáo tổng hợp 01 năm (Mẫu 05)",
                "annual summary (Mẫu 05)",
            ),
        };
        let show =
            |d: time::Date| format!("{:02}/{:02}/{}", d.day(), u8::from(d.month()), d.year());
        let (from, to, before) = (show(p.from), show(p.to), show(p.due_before));
        let people = notices::coordinators(&mut tx).await?;
        let (kind, subject, vi, en) = if last == "overdue" {
            let late = rules::days_ceil(at - p.due);
            (
                "clock.overdue",
                (
                    "[ungcuu] Quá hạn báo cáo tổng hợp",
                    "[ungcuu] Periodic report overdue",
                ),
                format!(
                    "Quá hạn {late} ngày: {name_vi} kỳ {from} – {to} phải gửi VNCERT/CC trước ngày {before}."
                ),
                format!(
                    "Overdue by {late} day(s): the {name_en} for {from} – {to} was due at VNCERT/CC before {before}."
                ),
            )
        } else {
            let left = rules::days_ceil(p.due - at);
            (
                "clock.reminder",
                (
                    "[ungcuu] Sắp đến hạn báo cáo tổng hợp",
                    "[ungcuu] Periodic report due soon",
                ),
                format!(
                    "Còn {left} ngày: {name_vi} kỳ {from} – {to} phải gửi VNCERT/CC trước ngày {before}."
                ),
                format!(
                    "{left} day(s) left: the {name_en} for {from} – {to} is due at VNCERT/CC before {before}."
                ),
            )
        };
        let notice = Notice {
            kind,
            subject,
            text: (&vi, &en),
            link: "/documents",
        };
        notices::tell(&mut tx, core, &people, &notice, t).await?;
        let ev = Actor::system("clocks.scan").event(
            "clock.period_alert",
            "document",
            None,
            None,
            json!({ "period": p.kind.as_str(), "year": p.year, "threshold": last }),
        );
        audit::append(&mut tx, &ev, t).await?;
        commit(tx).await?;
        sent += 1;
    }
    Ok(sent)
}

fn names(kind: ClockKind) -> (&'static str, &'static str) {
    match kind {
        ClockKind::Notification => ("thông báo sự cố", "incident notification"),
        ClockKind::FinalReport => ("báo cáo kết thúc ứng phó (Mẫu 04)", "final report (Mẫu 04)"),
    }
}

/// Sends the reminders and escalations due at `at`, each threshold of each clock once. Returns
/// how many were sent. Reminders go to the owner's officers; an overdue clock also goes to the
/// coordinators. When several thresholds were crossed since the last scan, one message is sent.
/// The Mẫu 05 deadlines are reminded to the coordinators the same way.
pub async fn scan(core: &Core, at: OffsetDateTime) -> Result<usize> {
    let r = rules(core).await?;
    let (incidents, records) = {
        let mut c = core.db.conn().await?;
        let incidents = open_incidents(&mut c, IncidentFilter::default()).await?;
        let ids: Vec<Uuid> = incidents.iter().map(|i| i.id).collect();
        let records = store::for_incidents(&mut c, &ids).await?;
        (incidents, records)
    };
    let mut sent = 0;
    for o in running(&r, incidents, &records, at) {
        let Some(due) = o.clock.due else { continue };
        let crossed = rules::crossed(&r, due, at);
        if crossed.is_empty() {
            continue;
        }
        let i = &o.incident;
        let kind = o.clock.kind;
        // Judged at `at`; stamped with the real time (the audit chain's times only go forward).
        let t = now();
        let mut tx = core.db.begin().await?;
        let mut fresh = Vec::new();
        for th in &crossed {
            if store::mark_reminder(&mut tx, i.id, kind, th, t).await? {
                fresh.push(th.as_str());
            }
        }
        let Some(last) = fresh.last().copied() else {
            commit(tx).await?;
            continue;
        };
        let link = format!("/incidents/{}", i.id);
        let (name_vi, name_en) = names(kind);
        let due_shown = timefmt::show(due);
        let to_officers = notices::officers(&mut tx, i.owner.id).await?;
        if last == "overdue" {
            let late = rules::days_ceil(at - due);
            let vi = format!(
                "Quá hạn {late} ngày: {name_vi} của sự cố \"{}\" ({}) phải gửi trước {due_shown}.",
                i.title, i.owner.name
            );
            let en = format!(
                "Overdue by {late} day(s): the {name_en} of incident \"{}\" ({}) was due by {due_shown}.",
                i.title, i.owner.name
            );
            let mut people = to_officers;
            people.extend(notices::coordinators(&mut tx).await?);
            let notice = Notice {
                kind: "clock.overdue",
                subject: (
                    "[ungcuu] Quá hạn báo cáo sự cố",
                    "[ungcuu] Incident report overdue",
                ),
                text: (&vi, &en),
                link: &link,
            };
            notices::tell(&mut tx, core, &people, &notice, t).await?;
        } else {
            let left = rules::days_ceil(due - at);
            let vi = format!(
                "Còn {left} ngày: {name_vi} của sự cố \"{}\" phải gửi trước {due_shown}.",
                i.title
            );
            let en = format!(
                "{left} day(s) left: the {name_en} of incident \"{}\" is due by {due_shown}.",
                i.title
            );
            let notice = Notice {
                kind: "clock.reminder",
                subject: (
                    "[ungcuu] Sắp đến hạn báo cáo sự cố",
                    "[ungcuu] Incident report due soon",
                ),
                text: (&vi, &en),
                link: &link,
            };
            notices::tell(&mut tx, core, &to_officers, &notice, t).await?;
        }
        let ev = Actor::system("clocks.scan").event(
            "incident.clock_alert",
            OBJECT,
            Some(i.id.to_string()),
            Some(i.owner.id),
            json!({ "clock": kind.as_str(), "threshold": last }),
        );
        audit::append(&mut tx, &ev, t).await?;
        commit(tx).await?;
        sent += 1;
    }
    Ok(sent + scan_periods(core, at).await?)
}

/// Enqueues a scan due now (the worker calls this every [`SCAN_EVERY`]).
pub async fn enqueue_scan(core: &Core) -> Result<()> {
    let mut c = core.db.conn().await?;
    jobs::enqueue(&mut c, SCAN_JOB, &json!({}), now(), 1).await?;
    Ok(())
}
