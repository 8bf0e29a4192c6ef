//! API of incident response: the queue, reporting (Mẫu 03), one incident with its derived times
//! and the steps open to the caller, transitions, classification, severity override, comments
//! and manual timeline entries, the review, and the severity rule set.

use super::dto::PageOut;
use super::extract::ApiId;
use super::extract::{ApiJson, Caller, Paging};
use super::systems::OrgRefOut;
use super::{Problem, ok};
use crate::State;
use crate::ctx::Ctx;
use crate::error::{core_problem, problem};
use axum::Router;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post, put};
use serde::{Deserialize, Serialize};
use ungcuu_core::incidents::{self as core_incidents, ClassificationChanges, NewIncident};
use ungcuu_domain::incident::{
    DerivedTimes, Impact, IncidentState, IncidentType, Outcome, Reason, Report, ReportInput,
    Review, Severity, SeverityRule, SeverityRules,
};
use ungcuu_domain::timefmt::rfc3339;
use ungcuu_store::incidents::{Event, Incident, IncidentFilter};
use utoipa::ToSchema;
use uuid::Uuid;

/// The description of these endpoints, merged into the API document.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        list_incidents,
        create_incident,
        get_incident,
        classify_incident,
        transition_incident,
        override_severity,
        incident_timeline,
        add_comment,
        add_timeline_entry,
        put_review,
        put_outcome,
        get_severity_rules,
        put_severity_rules
    ),
    components(schemas(
        IncidentOut,
        IncidentDetailOut,
        IncidentCreate,
        IncidentPatch,
        ImpactBody,
        ReasonOut,
        ReportOut,
        ReviewBody,
        OutcomeBody,
        TimesOut,
        StepOut,
        EventOut,
        TransitionBody,
        SeverityOverrideBody,
        NoteBody,
        TimelineBody,
        SeverityRulesBody,
        RuleBody
    ))
)]
pub struct IncidentsDoc;

/// Routes of the incidents API.
pub(crate) fn router() -> Router<State> {
    Router::new()
        .route(
            "/api/v1/incidents",
            get(list_incidents).post(create_incident),
        )
        .route(
            "/api/v1/incidents/{id}",
            get(get_incident).patch(classify_incident),
        )
        .route(
            "/api/v1/incidents/{id}/transitions",
            post(transition_incident),
        )
        .route("/api/v1/incidents/{id}/severity", put(override_severity))
        .route(
            "/api/v1/incidents/{id}/timeline",
            get(incident_timeline).post(add_timeline_entry),
        )
        .route("/api/v1/incidents/{id}/comments", post(add_comment))
        .route("/api/v1/incidents/{id}/review", put(put_review))
        .route("/api/v1/incidents/{id}/outcome", put(put_outcome))
        .route(
            "/api/v1/settings/severity-rules",
            get(get_severity_rules).put(put_severity_rules),
        )
}

/// The facts the severity rules read.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ImpactBody {
    /// Security level 1-5 of the affected system (defaults to the report's).
    pub system_level: Option<i64>,
    /// Organisations affected (0: not assessed).
    pub organizations_affected: i64,
    pub personal_data_exposed: bool,
    pub state_secret_exposed: bool,
    /// Hours a public service has been down (0: not down).
    pub public_service_down_hours: i64,
    /// National or foreign resources are needed.
    pub external_resources_needed: bool,
}

impl From<ImpactBody> for Impact {
    fn from(b: ImpactBody) -> Self {
        Impact {
            system_level: b.system_level,
            organizations_affected: b.organizations_affected,
            personal_data_exposed: b.personal_data_exposed,
            state_secret_exposed: b.state_secret_exposed,
            public_service_down_hours: b.public_service_down_hours,
            external_resources_needed: b.external_resources_needed,
        }
    }
}

impl From<Impact> for ImpactBody {
    fn from(b: Impact) -> Self {
        ImpactBody {
            system_level: b.system_level,
            organizations_affected: b.organizations_affected,
            personal_data_exposed: b.personal_data_exposed,
            state_secret_exposed: b.state_secret_exposed,
            public_service_down_hours: b.public_service_down_hours,
            external_resources_needed: b.external_resources_needed,
        }
    }
}

/// A severity rule that fired.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReasonOut {
    /// `system_level`, `organizations`, `personal_data`, `state_secret`, `service_outage`, `external_resources`.
    pub rule: String,
    pub threshold: Option<i64>,
    pub value: Option<i64>,
    /// The reason in the caller's language.
    pub message: String,
}

fn reason_out(ctx: &Ctx, r: &Reason) -> ReasonOut {
    ReasonOut {
        rule: r.rule.clone(),
        threshold: r.threshold,
        value: r.value,
        message: reason_text(ctx, r),
    }
}

/// A reason as a sentence.
pub(crate) fn reason_text(ctx: &Ctx, r: &Reason) -> String {
    ctx.tf(
        r.label_key(),
        &[
            ("threshold", &r.threshold.unwrap_or_default().to_string()),
            ("value", &r.value.unwrap_or_default().to_string()),
        ],
    )
}

/// The Mẫu 03 fields beyond title, summary and times.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportOut {
    pub reporter_name: String,
    pub reporter_address: String,
    pub reporter_phone: String,
    pub reporter_email: String,
    pub contact_name: String,
    pub contact_title: Option<String>,
    pub contact_phone: String,
    pub contact_email: String,
    pub operator_name: String,
    pub owner_body: Option<String>,
    pub system_level: Option<i64>,
    pub security_provider: Option<String>,
    pub connectivity_provider: Option<String>,
    /// `handled` or `not_handled`.
    pub handling_status: String,
    /// `ids`, `log_review`, `notified`, `other`.
    pub detection_methods: Vec<String>,
    pub detection_notified_by: Option<String>,
    pub detection_other: Option<String>,
    /// `network_member`, `isp`, `coordinator`.
    pub notified: Vec<String>,
    pub os_name: Option<String>,
    pub os_version: Option<String>,
    /// `web`, `mail`, `database`, `other`.
    pub services: Vec<String>,
    pub services_other: Option<String>,
    /// `antivirus`, `firewall`, `ids`, `other`.
    pub measures: Vec<String>,
    pub measures_other: Option<String>,
    pub ips: Vec<String>,
    pub domains: Vec<String>,
    pub system_purpose: Option<String>,
    /// `system_logs`, `malware_sample`, `other`.
    pub attachments: Vec<String>,
    pub attachments_other: Option<String>,
    pub confidential: bool,
    pub requests: Option<String>,
    /// `web`, `api`, `phone`, `letter`, `fax`, `email`.
    pub channel: String,
}

impl From<Report> for ReportOut {
    fn from(r: Report) -> Self {
        ReportOut {
            reporter_name: r.reporter_name,
            reporter_address: r.reporter_address,
            reporter_phone: r.reporter_phone,
            reporter_email: r.reporter_email,
            contact_name: r.contact_name,
            contact_title: r.contact_title,
            contact_phone: r.contact_phone,
            contact_email: r.contact_email,
            operator_name: r.operator_name,
            owner_body: r.owner_body,
            system_level: r.system_level,
            security_provider: r.security_provider,
            connectivity_provider: r.connectivity_provider,
            handling_status: r.handling_status,
            detection_methods: r.detection_methods,
            detection_notified_by: r.detection_notified_by,
            detection_other: r.detection_other,
            notified: r.notified,
            os_name: r.os_name,
            os_version: r.os_version,
            services: r.services,
            services_other: r.services_other,
            measures: r.measures,
            measures_other: r.measures_other,
            ips: r.ips,
            domains: r.domains,
            system_purpose: r.system_purpose,
            attachments: r.attachments,
            attachments_other: r.attachments_other,
            confidential: r.confidential,
            requests: r.requests,
            channel: r.channel,
        }
    }
}

/// The post-incident review.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewBody {
    /// Root cause.
    pub root_cause: String,
    /// Lessons learned.
    pub lessons: String,
    /// Additional measures.
    pub measures: String,
}

impl From<Review> for ReviewBody {
    fn from(r: Review) -> Self {
        ReviewBody {
            root_cause: r.root_cause,
            lessons: r.lessons,
            measures: r.measures,
        }
    }
}

/// Who helped handle the incident and the estimated damage: what Mẫu 05 counts.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomeBody {
    /// Domestic organisations that helped, one name each (blank names are dropped, repeats kept once; at most 50).
    #[serde(default)]
    pub domestic_helpers: Vec<String>,
    /// Foreign organisations that helped.
    #[serde(default)]
    pub foreign_helpers: Vec<String>,
    /// The national coordinator (VNCERT/CC) was asked to help.
    #[serde(default)]
    pub national_coordinator_helped: bool,
    /// Estimated damage in đồng (0 to 10^15).
    #[serde(default)]
    pub estimated_damage_vnd: Option<i64>,
    /// Handled without anyone's help (derived; ignored on input).
    #[serde(default, skip_deserializing)]
    pub self_handled: bool,
}

impl From<Outcome> for OutcomeBody {
    fn from(o: Outcome) -> Self {
        OutcomeBody {
            self_handled: o.self_handled(),
            domestic_helpers: o.domestic_helpers,
            foreign_helpers: o.foreign_helpers,
            national_coordinator_helped: o.national_coordinator_helped,
            estimated_damage_vnd: o.estimated_damage_vnd,
        }
    }
}

/// An incident.
#[derive(Debug, Serialize, ToSchema)]
pub struct IncidentOut {
    pub id: Uuid,
    /// The organisation whose incident it is.
    pub owner: OrgRefOut,
    pub system_id: Option<String>,
    pub system_name: Option<String>,
    pub title: String,
    /// Mô tả sơ bộ.
    pub description: String,
    /// Mẫu 05 type: `dos`, `spoof`, `malware`, `intrusion`, `deface`, `encrypt`, `destroy`, `espionage`, `combined`, `other`.
    pub incident_type: Option<String>,
    /// `deface`, `phishing`, `malware`, `cnc_botnet`, `ddos`, `ransomware`, `data_leak`, `account_compromise`, `vulnerability_exploitation`, `other`.
    pub subtype: Option<String>,
    /// `CLEAR`, `GREEN`, `AMBER`, `AMBER+STRICT`, `RED`.
    pub tlp: String,
    /// `ordinary` or `serious`.
    pub severity: String,
    /// The rules that fired at the last evaluation.
    pub severity_reasons: Vec<ReasonOut>,
    /// Set when a person overrode the severity.
    pub severity_override_reason: Option<String>,
    pub impact: ImpactBody,
    /// `received`, `verifying`, `initial_response`, `option_proposed`, `option_approved`, `escalated`, `containing`, `eradicating`, `recovering`, `verifying_recovery`, `review`, `closed`, `rejected`, `duplicate`, `merged`.
    pub state: String,
    pub discovered_at: String,
    pub reported_at: String,
    pub response_completed_at: Option<String>,
    pub closed_at: Option<String>,
    pub report: ReportOut,
    pub review: Option<ReviewBody>,
    /// Who helped and the damage, once recorded.
    pub outcome: Option<OutcomeBody>,
    pub created_at: String,
    pub updated_at: String,
}

fn incident_out(ctx: &Ctx, i: Incident) -> IncidentOut {
    IncidentOut {
        id: i.id,
        owner: i.owner.into(),
        system_id: i.system_id,
        system_name: i.system_name,
        title: i.title,
        description: i.description,
        incident_type: i.incident_type.map(|x| x.as_str().into()),
        subtype: i.subtype.map(|x| x.as_str().into()),
        tlp: i.tlp.as_str().into(),
        severity: i.severity.as_str().into(),
        severity_reasons: i
            .severity_reasons
            .iter()
            .map(|r| reason_out(ctx, r))
            .collect(),
        severity_override_reason: i.severity_override_reason,
        impact: i.impact.into(),
        state: i.state.as_str().into(),
        discovered_at: rfc3339(i.discovered_at),
        reported_at: rfc3339(i.reported_at),
        response_completed_at: i.response_completed_at.map(rfc3339),
        closed_at: i.closed_at.map(rfc3339),
        report: i.report.into(),
        review: i.review.map(Into::into),
        outcome: i.outcome.map(Into::into),
        created_at: rfc3339(i.created_at),
        updated_at: rfc3339(i.updated_at),
    }
}

/// Seconds from discovery (acknowledgement: from the report) to each milestone, when reached.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimesOut {
    pub acknowledge_seconds: Option<i64>,
    pub contain_seconds: Option<i64>,
    pub recover_seconds: Option<i64>,
    pub close_seconds: Option<i64>,
}

impl From<DerivedTimes> for TimesOut {
    fn from(t: DerivedTimes) -> Self {
        let s = |d: Option<time::Duration>| d.map(|d| d.whole_seconds());
        TimesOut {
            acknowledge_seconds: s(t.acknowledge),
            contain_seconds: s(t.contain),
            recover_seconds: s(t.recover),
            close_seconds: s(t.close),
        }
    }
}

/// A step the caller may take now.
#[derive(Debug, Serialize, ToSchema)]
pub struct StepOut {
    /// Target state.
    pub to: String,
    /// The step must carry a comment saying why.
    pub needs_comment: bool,
}

/// An incident with its derived times and the steps open to the caller.
#[derive(Debug, Serialize, ToSchema)]
pub struct IncidentDetailOut {
    #[serde(flatten)]
    pub incident: IncidentOut,
    /// What the rule set in force proposes now.
    pub proposed_severity: String,
    pub times: TimesOut,
    pub available_transitions: Vec<StepOut>,
}

/// One entry of the timeline.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventOut {
    pub id: Uuid,
    /// `transition`, `comment`, `classification`, `manual`, `coordination`, `steering`.
    pub kind: String,
    pub from_state: Option<String>,
    pub to_state: Option<String>,
    pub actor: String,
    pub comment: Option<String>,
    /// When it happened (a manual entry may be in the past).
    pub happened_at: String,
    /// When it was written down.
    pub recorded_at: String,
}

impl From<Event> for EventOut {
    fn from(e: Event) -> Self {
        EventOut {
            id: e.id,
            kind: e.kind.as_str().into(),
            from_state: e.from_state.map(|s| s.as_str().into()),
            to_state: e.to_state.map(|s| s.as_str().into()),
            actor: e.actor_label,
            comment: e.comment,
            happened_at: rfc3339(e.happened_at),
            recorded_at: rfc3339(e.recorded_at),
        }
    }
}

/// A new incident: the fields of Mẫu 03 (those marked (*) on the form are required) and,
/// when known, its classification and impact.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IncidentCreate {
    /// The organisation whose incident it is (yours, or any for the coordinator).
    pub owner_org_id: Uuid,
    /// The registry's information system, when known.
    pub system_id: Option<Uuid>,
    /// A short title for the queue.
    pub title: String,
    /// Tên tổ chức/cá nhân báo cáo (*).
    pub reporter_name: String,
    /// Địa chỉ (*).
    pub reporter_address: String,
    /// Điện thoại (*).
    pub reporter_phone: String,
    /// Email (*).
    pub reporter_email: String,
    /// Người liên hệ, họ và tên (*).
    pub contact_name: String,
    pub contact_title: Option<String>,
    /// (*)
    pub contact_phone: String,
    /// (*)
    pub contact_email: String,
    /// Tên đơn vị vận hành hệ thống thông tin (*).
    pub operator_name: String,
    /// Cơ quan chủ quản.
    pub owner_body: Option<String>,
    /// Tên hệ thống bị sự cố.
    pub system_name: Option<String>,
    /// 1-5.
    pub system_level: Option<i64>,
    pub security_provider: Option<String>,
    pub connectivity_provider: Option<String>,
    /// Mô tả sơ bộ (*).
    pub summary: String,
    /// RFC 3339 (*).
    pub discovered_at: String,
    /// `handled` or `not_handled` (*).
    pub handling_status: String,
    /// At least one of `ids`, `log_review`, `notified`, `other` (*).
    pub detection_methods: Vec<String>,
    /// Required with `notified`.
    pub detection_notified_by: Option<String>,
    pub detection_other: Option<String>,
    /// At least one of `network_member`, `isp`, `coordinator` (*).
    pub notified: Vec<String>,
    pub os_name: Option<String>,
    pub os_version: Option<String>,
    pub services: Option<Vec<String>>,
    pub services_other: Option<String>,
    pub measures: Option<Vec<String>>,
    pub measures_other: Option<String>,
    /// Public addresses only.
    pub ips: Option<Vec<String>>,
    pub domains: Option<Vec<String>>,
    pub system_purpose: Option<String>,
    pub attachments: Option<Vec<String>>,
    pub attachments_other: Option<String>,
    pub confidential: Option<bool>,
    pub requests: Option<String>,
    /// RFC 3339 (*).
    pub reported_at: String,
    /// `api` by default; the coordinator records `phone`, `letter`, `fax`, `email`.
    pub channel: Option<String>,
    pub incident_type: Option<String>,
    pub subtype: Option<String>,
    /// `AMBER` by default.
    pub tlp: Option<String>,
    pub impact: Option<ImpactBody>,
}

/// A new classification; absent fields stay, an empty type or sub-type clears it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IncidentPatch {
    pub incident_type: Option<String>,
    pub subtype: Option<String>,
    pub tlp: Option<String>,
    /// Replaces the stored facts; the severity is evaluated again.
    pub impact: Option<ImpactBody>,
}

/// A step of the response.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionBody {
    /// The target state.
    pub to: String,
    /// Why; required to reject, mark duplicate or merged, send an option back, or return to
    /// containment.
    pub comment: Option<String>,
}

/// A severity set by hand.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SeverityOverrideBody {
    /// `ordinary` or `serious`.
    pub severity: String,
    /// Why (required, audited).
    pub reason: String,
}

/// A comment.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteBody {
    pub text: String,
}

/// A timeline entry for something that happened at a given time.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TimelineBody {
    pub text: String,
    /// RFC 3339, not in the future.
    pub happened_at: String,
}

/// One severity rule.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleBody {
    /// `system_level` (with `at_least`), `organizations` (with `at_least`), `personal_data`, `state_secret`, `service_outage` (with `hours`), `external_resources`.
    pub rule: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<i64>,
}

/// The severity rule set: any rule that fires proposes "serious".
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SeverityRulesBody {
    pub rules: Vec<RuleBody>,
}

impl From<&SeverityRules> for SeverityRulesBody {
    fn from(r: &SeverityRules) -> Self {
        SeverityRulesBody {
            rules: r
                .rules
                .iter()
                .map(|x| {
                    let (at_least, hours) = match *x {
                        SeverityRule::SystemLevel { at_least }
                        | SeverityRule::Organizations { at_least } => (Some(at_least), None),
                        SeverityRule::ServiceOutage { hours } => (None, Some(hours)),
                        _ => (None, None),
                    };
                    RuleBody {
                        rule: x.code().into(),
                        at_least,
                        hours,
                    }
                })
                .collect(),
        }
    }
}

fn invalid(ctx: &Ctx, field: &str, code: &str) -> Response {
    problem(
        ctx,
        StatusCode::UNPROCESSABLE_ENTITY,
        ctx.t("common.form_errors"),
        vec![(field.into(), ctx.t(code).into())],
    )
}

/// Reads the rule bodies, naming `rules[i]` for an unknown rule or a missing threshold.
fn rules_from(ctx: &Ctx, b: SeverityRulesBody) -> Result<SeverityRules, Response> {
    let mut rules = Vec::new();
    for (i, r) in b.rules.into_iter().enumerate() {
        let field = format!("rules[{i}]");
        let rule = match (r.rule.as_str(), r.at_least, r.hours) {
            ("system_level", Some(at_least), None) => SeverityRule::SystemLevel { at_least },
            ("organizations", Some(at_least), None) => SeverityRule::Organizations { at_least },
            ("personal_data", None, None) => SeverityRule::PersonalData,
            ("state_secret", None, None) => SeverityRule::StateSecret,
            ("service_outage", None, Some(hours)) => SeverityRule::ServiceOutage { hours },
            ("external_resources", None, None) => SeverityRule::ExternalResources,
            _ => return Err(invalid(ctx, &field, "incident.err.rule")),
        };
        rules.push(rule);
    }
    Ok(SeverityRules { rules })
}

/// Filters of the queue.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct IncidentQuery {
    /// Only this state; `open` for every state not closed, rejected, duplicate or merged.
    state: Option<String>,
    /// Only this Mẫu 05 type.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    incident_type: Option<String>,
    /// `ordinary` or `serious`.
    severity: Option<String>,
    /// Only this owner organisation.
    org: Option<Uuid>,
    /// Discovered at or after (RFC 3339 or `yyyy-mm-dd`).
    from: Option<String>,
    /// Discovered before (RFC 3339 or `yyyy-mm-dd`, that day excluded).
    until: Option<String>,
    /// Free text over title, description, system, reporter, addresses (diacritics optional).
    q: Option<String>,
}

/// A date (`yyyy-mm-dd` or `dd/mm/yyyy`, midnight in Vietnam) or a time.
pub(crate) fn day_or_time(s: &str) -> Option<time::OffsetDateTime> {
    ungcuu_domain::incident::parse_time(s).or_else(|| {
        ungcuu_domain::systems::parse_date(s)
            .ok()
            .map(|d| d.midnight().assume_offset(ungcuu_domain::timefmt::VIETNAM))
    })
}

fn filter(ctx: &Ctx, q: IncidentQuery) -> Result<IncidentFilter, Response> {
    let text = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
    let mut f = IncidentFilter {
        owner: q.org,
        q: text(q.q),
        ..Default::default()
    };
    match text(q.state).as_deref().map(str::trim) {
        None => {}
        Some("open") => f.open_only = true,
        Some(s) => match s.parse::<IncidentState>() {
            Ok(s) => f.state = Some(s),
            Err(()) => return Err(invalid(ctx, "state", "incident.err.state")),
        },
    }
    if let Some(t) = text(q.incident_type) {
        f.incident_type = Some(
            t.parse::<IncidentType>()
                .map_err(|()| invalid(ctx, "type", "incident.err.type"))?,
        );
    }
    if let Some(s) = text(q.severity) {
        f.severity = Some(
            s.parse::<Severity>()
                .map_err(|()| invalid(ctx, "severity", "incident.err.severity"))?,
        );
    }
    if let Some(s) = text(q.from) {
        f.from = Some(day_or_time(&s).ok_or_else(|| invalid(ctx, "from", "err.datetime"))?);
    }
    if let Some(s) = text(q.until) {
        f.until = Some(day_or_time(&s).ok_or_else(|| invalid(ctx, "until", "err.datetime"))?);
    }
    Ok(f)
}

/// The queue: incidents of the organisations the caller reads (the whole province for the
/// coordinator) and incidents granted to them, newest first.
#[utoipa::path(get, path = "/api/v1/incidents", params(IncidentQuery, Paging), responses((status = 200, body = PageOut<IncidentOut>), (status = 422, body = Problem)))]
pub(crate) async fn list_incidents(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    Query(q): Query<IncidentQuery>,
    Query(p): Query<Paging>,
) -> Response {
    let after = match p.after_uuid(&ctx) {
        Ok(a) => a,
        Err(r) => return r,
    };
    let f = match filter(&ctx, q) {
        Ok(f) => f,
        Err(r) => return r,
    };
    match core_incidents::list(&st.core, &ctx.actor(), f, after, p.limit).await {
        Ok(page) => ok(
            StatusCode::OK,
            PageOut {
                items: page
                    .items
                    .into_iter()
                    .map(|i| incident_out(&ctx, i))
                    .collect(),
                next: page.next,
            },
        ),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Reports an incident (Mẫu 03). Its severity is proposed by the rule set at once.
#[utoipa::path(post, path = "/api/v1/incidents", request_body = IncidentCreate, responses((status = 201, body = IncidentOut), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn create_incident(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiJson(b): ApiJson<IncidentCreate>,
) -> Response {
    let o = |v: Option<String>| v.unwrap_or_default();
    let new = NewIncident {
        owner_org_id: Some(b.owner_org_id),
        system_id: b.system_id,
        report: ReportInput {
            title: b.title,
            reporter_name: b.reporter_name,
            reporter_address: b.reporter_address,
            reporter_phone: b.reporter_phone,
            reporter_email: b.reporter_email,
            contact_name: b.contact_name,
            contact_title: o(b.contact_title),
            contact_phone: b.contact_phone,
            contact_email: b.contact_email,
            operator_name: b.operator_name,
            owner_body: o(b.owner_body),
            system_name: o(b.system_name),
            system_level: b.system_level.map(|l| l.to_string()).unwrap_or_default(),
            security_provider: o(b.security_provider),
            connectivity_provider: o(b.connectivity_provider),
            summary: b.summary,
            discovered_at: b.discovered_at,
            handling_status: b.handling_status,
            detection_methods: b.detection_methods,
            detection_notified_by: o(b.detection_notified_by),
            detection_other: o(b.detection_other),
            notified: b.notified,
            os_name: o(b.os_name),
            os_version: o(b.os_version),
            services: b.services.unwrap_or_default(),
            services_other: o(b.services_other),
            measures: b.measures.unwrap_or_default(),
            measures_other: o(b.measures_other),
            ips: b.ips.unwrap_or_default(),
            domains: b.domains.unwrap_or_default(),
            system_purpose: o(b.system_purpose),
            attachments: b.attachments.unwrap_or_default(),
            attachments_other: o(b.attachments_other),
            confidential: b.confidential.unwrap_or(false),
            requests: o(b.requests),
            reported_at: b.reported_at,
            channel: b.channel.unwrap_or_else(|| "api".into()),
        },
        incident_type: o(b.incident_type),
        subtype: o(b.subtype),
        tlp: o(b.tlp),
        impact: b.impact.map(Into::into),
    };
    match core_incidents::create(&st.core, &ctx.actor(), new).await {
        Ok(i) => ok(StatusCode::CREATED, incident_out(&ctx, i)),
        Err(e) => core_problem(&ctx, e),
    }
}

/// One incident, with what the rules propose now, the derived times and the steps the caller
/// may take.
#[utoipa::path(get, path = "/api/v1/incidents/{id}", params(("id" = Uuid, Path)), responses((status = 200, body = IncidentDetailOut), (status = 404, body = Problem)))]
pub(crate) async fn get_incident(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
) -> Response {
    match core_incidents::view(&st.core, &ctx.actor(), id).await {
        Ok(v) => ok(
            StatusCode::OK,
            IncidentDetailOut {
                proposed_severity: v.proposed.as_str().into(),
                times: v.times.into(),
                available_transitions: v
                    .steps
                    .iter()
                    .map(|s| StepOut {
                        to: s.to.as_str().into(),
                        needs_comment: s.needs_comment,
                    })
                    .collect(),
                incident: incident_out(&ctx, v.incident),
            },
        ),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Classifies an incident (type, sub-type, TLP, impact) and evaluates its severity again.
#[utoipa::path(patch, path = "/api/v1/incidents/{id}", params(("id" = Uuid, Path)), request_body = IncidentPatch, responses((status = 200, body = IncidentOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn classify_incident(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
    ApiJson(b): ApiJson<IncidentPatch>,
) -> Response {
    let ch = ClassificationChanges {
        incident_type: b.incident_type,
        subtype: b.subtype,
        tlp: b.tlp,
        impact: b.impact.map(Into::into),
    };
    match core_incidents::classify(&st.core, &ctx.actor(), id, ch).await {
        Ok(i) => ok(StatusCode::OK, incident_out(&ctx, i)),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Moves an incident to another state. The machine decides which steps exist from where it
/// stands (422 naming `to` otherwise); the step's role in the owner organisation decides who
/// may take it (403 saying who may).
#[utoipa::path(post, path = "/api/v1/incidents/{id}/transitions", params(("id" = Uuid, Path)), request_body = TransitionBody, responses((status = 200, body = IncidentOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn transition_incident(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
    ApiJson(b): ApiJson<TransitionBody>,
) -> Response {
    match core_incidents::transition(&st.core, &ctx.actor(), id, &b.to, b.comment.as_deref()).await
    {
        Ok(i) => ok(StatusCode::OK, incident_out(&ctx, i)),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Sets the severity by hand with a reason (the coordinator); audited.
#[utoipa::path(put, path = "/api/v1/incidents/{id}/severity", params(("id" = Uuid, Path)), request_body = SeverityOverrideBody, responses((status = 200, body = IncidentOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn override_severity(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
    ApiJson(b): ApiJson<SeverityOverrideBody>,
) -> Response {
    match core_incidents::override_severity(&st.core, &ctx.actor(), id, &b.severity, &b.reason)
        .await
    {
        Ok(i) => ok(StatusCode::OK, incident_out(&ctx, i)),
        Err(e) => core_problem(&ctx, e),
    }
}

/// The timeline: the report, every step, classification change, comment and manual entry, in
/// the order they happened.
#[utoipa::path(get, path = "/api/v1/incidents/{id}/timeline", params(("id" = Uuid, Path)), responses((status = 200, body = Vec<EventOut>), (status = 404, body = Problem)))]
pub(crate) async fn incident_timeline(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
) -> Response {
    match core_incidents::view(&st.core, &ctx.actor(), id).await {
        Ok(v) => ok(
            StatusCode::OK,
            v.events.into_iter().map(EventOut::from).collect::<Vec<_>>(),
        ),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Adds a comment; the people it `@mentions` by e-mail address are told if they can read the
/// incident (`mentions` says whom it reached).
#[utoipa::path(post, path = "/api/v1/incidents/{id}/comments", params(("id" = Uuid, Path)), request_body = NoteBody, responses((status = 201, body = super::coordination::CommentOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn add_comment(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
    ApiJson(b): ApiJson<NoteBody>,
) -> Response {
    match core_incidents::comment(&st.core, &ctx.actor(), id, &b.text, None).await {
        Ok((e, mentions)) => ok(
            StatusCode::CREATED,
            super::coordination::CommentOut {
                event: EventOut::from(e),
                mentions: mentions.into_iter().map(Into::into).collect(),
            },
        ),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Adds a manual timeline entry for something that happened at `happened_at`.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/timeline", params(("id" = Uuid, Path)), request_body = TimelineBody, responses((status = 201, body = EventOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn add_timeline_entry(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
    ApiJson(b): ApiJson<TimelineBody>,
) -> Response {
    match core_incidents::add_note(&st.core, &ctx.actor(), id, &b.text, Some(&b.happened_at)).await
    {
        Ok(e) => ok(StatusCode::CREATED, EventOut::from(e)),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Writes the review (root cause, lessons, measures) of an incident in review; closing needs it.
#[utoipa::path(put, path = "/api/v1/incidents/{id}/review", params(("id" = Uuid, Path)), request_body = ReviewBody, responses((status = 200, body = IncidentOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn put_review(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
    ApiJson(b): ApiJson<ReviewBody>,
) -> Response {
    match core_incidents::set_review(
        &st.core,
        &ctx.actor(),
        id,
        &b.root_cause,
        &b.lessons,
        &b.measures,
    )
    .await
    {
        Ok(i) => ok(StatusCode::OK, incident_out(&ctx, i)),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Records who helped handle the incident and the estimated damage (Mẫu 05 counts them). Its
/// handlers or a coordinator, in any state but rejected, duplicate or merged.
#[utoipa::path(put, path = "/api/v1/incidents/{id}/outcome", params(("id" = Uuid, Path)), request_body = OutcomeBody, responses((status = 200, body = IncidentOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn put_outcome(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiId(id): ApiId,
    ApiJson(b): ApiJson<OutcomeBody>,
) -> Response {
    let input = core_incidents::OutcomeInput {
        domestic_helpers: b.domestic_helpers,
        foreign_helpers: b.foreign_helpers,
        national_coordinator_helped: b.national_coordinator_helped,
        estimated_damage_vnd: b.estimated_damage_vnd,
    };
    match core_incidents::set_outcome(&st.core, &ctx.actor(), id, &input).await {
        Ok(i) => ok(StatusCode::OK, incident_out(&ctx, i)),
        Err(e) => core_problem(&ctx, e),
    }
}

/// The severity rule set in force (the defaults until someone changes it).
#[utoipa::path(get, path = "/api/v1/settings/severity-rules", responses((status = 200, body = SeverityRulesBody)))]
pub(crate) async fn get_severity_rules(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
) -> Response {
    match core_incidents::severity_rules(&st.core).await {
        Ok(r) => ok(StatusCode::OK, SeverityRulesBody::from(&r)),
        Err(e) => core_problem(&ctx, e),
    }
}

/// Replaces the severity rule set (province-wide coordinators and administrators; audited).
#[utoipa::path(put, path = "/api/v1/settings/severity-rules", request_body = SeverityRulesBody, responses((status = 200, body = SeverityRulesBody), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn put_severity_rules(
    axum::extract::State(st): axum::extract::State<State>,
    Caller(ctx): Caller,
    ApiJson(b): ApiJson<SeverityRulesBody>,
) -> Response {
    let rules = match rules_from(&ctx, b) {
        Ok(r) => r,
        Err(r) => return r,
    };
    match core_incidents::set_severity_rules(&st.core, &ctx.actor(), rules).await {
        Ok(r) => ok(StatusCode::OK, SeverityRulesBody::from(&r)),
        Err(e) => core_problem(&ctx, e),
    }
}
