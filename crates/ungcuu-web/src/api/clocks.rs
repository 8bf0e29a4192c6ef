//! API of the reporting clocks: the clocks of one incident, recording that a report was sent,
//! the deadlines list (every running clock the caller may see and the Mẫu 05 periods) and the
//! clock rules.

use super::extract::ApiId;
use super::extract::{ApiJson, Caller};
use super::systems::OrgRefOut;
use super::{Problem, ok};
use crate::State;
use crate::error::core_problem;
use axum::Router;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use ungcuu_core::clocks::{self as core_clocks, Clock, NewRecord, PeriodClock};
use ungcuu_domain::clocks::{ClockRules, ClockStatus, DayCount, MonthDay};
use ungcuu_domain::timefmt::{now, rfc3339};
use ungcuu_store::clocks::ReportRecord;
use utoipa::ToSchema;
use uuid::Uuid;

/// The description of these endpoints, merged into the API document.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        incident_clocks,
        record_report,
        deadlines,
        get_clock_rules,
        put_clock_rules
    ),
    components(schemas(
        ClockOut,
        ReportRecordOut,
        IncidentClocksOut,
        ReportRecordBody,
        OpenClockOut,
        PeriodOut,
        DeadlinesOut,
        ClockRulesBody,
        MonthDayBody
    ))
)]
pub struct ClocksDoc;

/// Routes of the clocks API.
pub(crate) fn router() -> Router<State> {
    Router::new()
        .route("/api/v1/incidents/{id}/clocks", get(incident_clocks))
        .route("/api/v1/incidents/{id}/reports", post(record_report))
        .route("/api/v1/deadlines", get(deadlines))
        .route(
            "/api/v1/settings/clock-rules",
            get(get_clock_rules).put(put_clock_rules),
        )
}

/// One clock.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClockOut {
    /// `notification` or `final_report`.
    pub kind: String,
    /// When it started (null: the response has not ended yet).
    pub started_at: Option<String>,
    pub due_at: Option<String>,
    /// `running`, `due_soon`, `overdue`, `stopped` (null until started).
    pub status: Option<String>,
    /// Seconds left (negative when overdue).
    pub seconds_left: Option<i64>,
    /// When the report was sent, if it was.
    pub stopped_at: Option<String>,
}

impl From<&Clock> for ClockOut {
    fn from(c: &Clock) -> Self {
        let stopped_at = match c.status {
            Some(ClockStatus::Stopped(t)) => Some(rfc3339(t)),
            _ => None,
        };
        let seconds_left = match c.status {
            Some(ClockStatus::Running(d)) | Some(ClockStatus::DueSoon(d)) => {
                Some(d.whole_seconds())
            }
            Some(ClockStatus::Overdue(d)) => Some(-d.whole_seconds()),
            _ => None,
        };
        ClockOut {
            kind: c.kind.as_str().into(),
            started_at: c.started_at.map(rfc3339),
            due_at: c.due.map(rfc3339),
            status: c.status.map(|s| s.code().into()),
            seconds_left,
            stopped_at,
        }
    }
}

/// A report recorded as sent.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportRecordOut {
    pub id: Uuid,
    /// `notification` or `final_report`.
    pub kind: String,
    pub sent_at: String,
    /// `email`, `letter`, `fax` or `system`.
    pub channel: String,
    pub recipients: String,
    pub note: Option<String>,
    pub recorded_by: Option<Uuid>,
    pub created_at: String,
}

impl From<ReportRecord> for ReportRecordOut {
    fn from(r: ReportRecord) -> Self {
        ReportRecordOut {
            id: r.id,
            kind: r.kind.as_str().into(),
            sent_at: rfc3339(r.sent_at),
            channel: r.channel.as_str().into(),
            recipients: r.recipients,
            note: r.note,
            recorded_by: r.recorded_by,
            created_at: rfc3339(r.created_at),
        }
    }
}

/// The clocks of an incident.
#[derive(Debug, Serialize, ToSchema)]
pub struct IncidentClocksOut {
    pub incident_id: Uuid,
    pub clocks: Vec<ClockOut>,
    pub records: Vec<ReportRecordOut>,
    /// The caller may record a sending.
    pub can_record: bool,
}

/// Records that a notification or final report was sent (the document may follow later).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportRecordBody {
    /// `notification` or `final_report`.
    pub kind: String,
    /// When it was sent (RFC 3339 or `YYYY-MM-DDTHH:MM` Vietnam time); default now.
    #[serde(default)]
    pub sent_at: String,
    /// `email`, `letter`, `fax` or `system`.
    pub channel: String,
    pub recipients: String,
    #[serde(default)]
    pub note: String,
}

/// A running clock in the deadlines list.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpenClockOut {
    pub incident_id: Uuid,
    pub title: String,
    pub owner: OrgRefOut,
    pub clock: ClockOut,
}

/// A periodic Mẫu 05 report.
#[derive(Debug, Serialize, ToSchema)]
pub struct PeriodOut {
    /// `half_year` or `annual`.
    pub kind: String,
    pub year: i32,
    /// First day covered (YYYY-MM-DD).
    pub from: String,
    /// Last day covered.
    pub to: String,
    /// Due before this day.
    pub due_before: String,
    pub due_at: String,
    /// `running`, `due_soon`, `overdue`, or `stopped` once a Mẫu 05 ending with the period's last month was sent.
    pub status: String,
    /// Seconds left (negative when overdue; null once sent).
    pub seconds_left: Option<i64>,
    /// The sent Mẫu 05 that met the deadline.
    pub sent_document_id: Option<Uuid>,
    pub sent_number: Option<String>,
    pub sent_at: Option<String>,
}

impl From<PeriodClock> for PeriodOut {
    fn from(pc: PeriodClock) -> Self {
        let p = pc.period;
        let seconds_left = match pc.status {
            ClockStatus::Running(d) | ClockStatus::DueSoon(d) => Some(d.whole_seconds()),
            ClockStatus::Overdue(d) => Some(-d.whole_seconds()),
            ClockStatus::Stopped(_) => None,
        };
        PeriodOut {
            kind: p.kind.as_str().into(),
            year: p.year,
            from: p.from.to_string(),
            to: p.to.to_string(),
            due_before: p.due_before.to_string(),
            due_at: rfc3339(p.due),
            status: pc.status.code().into(),
            seconds_left,
            sent_document_id: pc.filed.as_ref().map(|f| f.id),
            sent_number: pc.filed.as_ref().map(|f| f.number.clone()),
            sent_at: pc.filed.as_ref().map(|f| rfc3339(f.sent_at)),
        }
    }
}

/// Every running clock the caller may see, earliest due first, and (for the coordinator) the
/// next Mẫu 05 deadlines.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeadlinesOut {
    pub clocks: Vec<OpenClockOut>,
    pub periods: Vec<PeriodOut>,
}

/// A day of the year.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MonthDayBody {
    pub month: u8,
    pub day: u8,
}

/// The clock rules. Absent fields take the defaults of TT 20/2017.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ClockRulesBody {
    /// Days from discovery to the notification deadline (default 5).
    pub notification_days: u32,
    /// Days from the end of the response to the final report deadline (default 5).
    pub final_report_days: u32,
    /// `calendar` (default) or `working` (skips weekends and `holidays`).
    pub day_count: String,
    /// Public holidays, `YYYY-MM-DD`.
    pub holidays: Vec<String>,
    /// Hours before a deadline at which officers are reminded (default 48 and 24).
    pub reminder_hours: Vec<u32>,
    pub period_start: MonthDayBody,
    pub half_year_end: MonthDayBody,
    pub half_year_due_before: MonthDayBody,
    pub annual_end: MonthDayBody,
    pub annual_due_before: MonthDayBody,
}

fn md(m: MonthDay) -> MonthDayBody {
    MonthDayBody {
        month: m.month,
        day: m.day,
    }
}

fn dm(m: MonthDayBody) -> MonthDay {
    MonthDay {
        month: m.month,
        day: m.day,
    }
}

impl From<&ClockRules> for ClockRulesBody {
    fn from(r: &ClockRules) -> Self {
        ClockRulesBody {
            notification_days: r.notification_days,
            final_report_days: r.final_report_days,
            day_count: match r.day_count {
                DayCount::Calendar => "calendar".into(),
                DayCount::Working => "working".into(),
            },
            holidays: r.holidays.clone(),
            reminder_hours: r.reminder_hours.clone(),
            period_start: md(r.period_start),
            half_year_end: md(r.half_year_end),
            half_year_due_before: md(r.half_year_due_before),
            annual_end: md(r.annual_end),
            annual_due_before: md(r.annual_due_before),
        }
    }
}

impl Default for ClockRulesBody {
    fn default() -> Self {
        ClockRulesBody::from(&ClockRules::default())
    }
}

/// The clocks of one incident (notification and final report) with the reports recorded.
#[utoipa::path(get, path = "/api/v1/incidents/{id}/clocks", params(("id" = Uuid, Path)), responses((status = 200, body = IncidentClocksOut), (status = 404, body = Problem)))]
pub(crate) async fn incident_clocks(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
) -> Response {
    match core_clocks::for_incident(&st.core, &ctx.actor(), id).await {
        Ok(v) => ok(
            StatusCode::OK,
            IncidentClocksOut {
                incident_id: v.incident.id,
                clocks: v.clocks.iter().map(ClockOut::from).collect(),
                records: v.records.into_iter().map(ReportRecordOut::from).collect(),
                can_record: v.can_record,
            },
        ),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Records that the notification or final report was sent; its clock stops.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/reports", params(("id" = Uuid, Path)), request_body = ReportRecordBody, responses((status = 201, body = ReportRecordOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn record_report(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
    ApiJson(b): ApiJson<ReportRecordBody>,
) -> Response {
    let new = NewRecord {
        kind: b.kind,
        sent_at: b.sent_at,
        channel: b.channel,
        recipients: b.recipients,
        note: b.note,
    };
    match core_clocks::record(&st.core, &ctx.actor(), id, new).await {
        Ok(r) => ok(StatusCode::CREATED, ReportRecordOut::from(r)),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Every running clock the caller may see (province-wide for the coordinator), earliest due
/// first, and the Mẫu 05 deadlines for the coordinator.
#[utoipa::path(get, path = "/api/v1/deadlines", responses((status = 200, body = DeadlinesOut)))]
pub(crate) async fn deadlines(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
) -> Response {
    let t = now();
    let actor = ctx.actor();
    let clocks = match core_clocks::open_clocks(&st.core, &actor, t).await {
        Ok(c) => c,
        Err(e) => return core_problem(&ctx, e),
    };
    let periods = match core_clocks::periods(&st.core, &actor, t).await {
        Ok(p) => p,
        Err(e) => return core_problem(&ctx, e),
    };
    ok(
        StatusCode::OK,
        DeadlinesOut {
            clocks: clocks
                .into_iter()
                .map(|o| OpenClockOut {
                    incident_id: o.incident.id,
                    title: o.incident.title.clone(),
                    owner: o.incident.owner.clone().into(),
                    clock: ClockOut::from(&o.clock),
                })
                .collect(),
            periods: periods.into_iter().map(PeriodOut::from).collect(),
        },
    )
}

/// The clock rules in force.
#[utoipa::path(get, path = "/api/v1/settings/clock-rules", responses((status = 200, body = ClockRulesBody)))]
pub(crate) async fn get_clock_rules(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
) -> Response {
    match core_clocks::rules(&st.core).await {
        Ok(r) => ok(StatusCode::OK, ClockRulesBody::from(&r)),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Replaces the clock rules (province-wide coordinator).
#[utoipa::path(put, path = "/api/v1/settings/clock-rules", request_body = ClockRulesBody, responses((status = 200, body = ClockRulesBody), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn put_clock_rules(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiJson(b): ApiJson<ClockRulesBody>,
) -> Response {
    let day_count = match b.day_count.as_str() {
        "calendar" => DayCount::Calendar,
        "working" => DayCount::Working,
        _ => {
            return core_problem(
                &ctx,
                ungcuu_core::CoreError::field("day_count", "clock.err.day_count"),
            );
        }
    };
    let rules = ClockRules {
        notification_days: b.notification_days,
        final_report_days: b.final_report_days,
        day_count,
        holidays: b.holidays,
        reminder_hours: b.reminder_hours,
        period_start: dm(b.period_start),
        half_year_end: dm(b.half_year_end),
        half_year_due_before: dm(b.half_year_due_before),
        annual_end: dm(b.annual_end),
        annual_due_before: dm(b.annual_due_before),
    };
    match core_clocks::set_rules(&st.core, &ctx.actor(), rules).await {
        Ok(r) => ok(StatusCode::OK, ClockRulesBody::from(&r)),
        Err(e) => core_problem(&ctx, e),
    }
}
