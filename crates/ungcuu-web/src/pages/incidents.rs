//! Incident pages: the queue with its filters, the Mẫu 03 report form, and one incident with its
//! severity and reasons, the steps open to the person, classification, the timeline with the
//! comment form, the derived times and the review.
//!
//! Forms are read as key/value pairs, because the report's multiple-choice questions send one
//! key several times (one per ticked box).

use super::render;
use crate::State;
use crate::ctx::{Ctx, SignedIn, redirect_with_flash};
use crate::forms::PageId;
use crate::forms::{CsrfForm, err_for, field_errors, urlencode};
use askama::Template;
use axum::Router;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use ungcuu_core::CoreError;
use ungcuu_core::incidents::{self as core_incidents, ClassificationChanges, NewIncident};
use ungcuu_domain::incident::{
    ATTACHMENTS, CHANNELS, DETECTION_METHODS, HANDLING_STATUSES, Impact, IncidentState,
    IncidentType, MEASURES, NOTIFIED, ReportInput, SERVICES, Severity, Subtype, Tlp, choice_label,
    show_duration,
};
use ungcuu_domain::permissions::Action;
use ungcuu_domain::validate::FieldError;
use ungcuu_store::incidents::{EventKind, IncidentFilter};
use uuid::Uuid;

pub(super) fn router() -> Router<State> {
    Router::new()
        .route("/incidents", get(list).post(create))
        .route("/incidents/new", get(new_form))
        .route("/incidents/{id}", get(detail))
        .route("/incidents/{id}/transition", post(transition))
        .route("/incidents/{id}/notes", post(add_note))
        .route("/incidents/{id}/classify", post(classify))
        .route("/incidents/{id}/severity", post(override_severity))
        .route("/incidents/{id}/review", post(review))
        .route("/incidents/{id}/outcome", post(outcome))
        .route("/incidents/{id}/reports", post(record_report))
}

/// Form pairs, with the lookups the handlers need.
struct Pairs(Vec<(String, String)>);

impl Pairs {
    fn get(&self, k: &str) -> String {
        self.0
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
    fn all(&self, k: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .collect()
    }
    fn has(&self, k: &str) -> bool {
        self.0.iter().any(|(n, v)| n == k && !v.is_empty())
    }
}

fn state_label(c: &Ctx, s: IncidentState) -> &'static str {
    c.t(s.label_key())
}

// ---------------------------------------------------------------------------------------------
// The queue
// ---------------------------------------------------------------------------------------------

/// One line of the queue.
struct Row {
    id: Uuid,
    title: String,
    owner: String,
    state: &'static str,
    severity: &'static str,
    serious: bool,
    kind: &'static str,
    discovered: String,
    /// The most urgent running reporting clock.
    clock: Option<super::clocks::ClockLine>,
}

#[derive(Template)]
#[template(path = "incidents.html")]
struct ListPage<'a> {
    c: &'a Ctx,
    rows: Vec<Row>,
    q: ListQuery,
    states: Vec<(&'static str, &'static str)>,
    types: Vec<(&'static str, &'static str)>,
    severities: Vec<(&'static str, &'static str)>,
    orgs: Vec<(String, String)>,
    filters: String,
    /// Saved filters and the form saving this one, rendered by `pages::notices`.
    saved: String,
    next: Option<String>,
    can_report: bool,
    filtered: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ListQuery {
    q: String,
    state: String,
    #[serde(rename = "type")]
    kind: String,
    severity: String,
    org: String,
    from: String,
    until: String,
    after: String,
}

async fn list(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    Query(q): Query<ListQuery>,
) -> Response {
    let actor = ctx.actor();
    let q = ListQuery {
        q: q.q.chars().take(200).collect(),
        ..q
    };
    // A filter that does not parse is ignored: a hand-edited address still shows the queue.
    let filter = IncidentFilter {
        q: Some(q.q.clone()).filter(|s| !s.trim().is_empty()),
        state: q.state.parse().ok(),
        open_only: q.state == "open",
        incident_type: q.kind.parse().ok(),
        severity: q.severity.parse().ok(),
        owner: Uuid::parse_str(q.org.trim()).ok(),
        from: crate::api::incidents::day_or_time(&q.from),
        until: crate::api::incidents::day_or_time(&q.until),
        ..Default::default()
    };
    let after = Uuid::parse_str(q.after.trim()).ok();
    let page = match core_incidents::list(&st.core, &actor, filter, after, Some(50)).await {
        Ok(p) => p,
        Err(e) => return crate::error::core_page(&ctx, e),
    };
    let orgs = match ungcuu_core::orgs::all_readable(&st.core, &actor).await {
        Ok(o) => o.into_iter().map(|o| (o.id.to_string(), o.name)).collect(),
        Err(e) => return crate::error::core_page(&ctx, e),
    };
    let badges = match ungcuu_core::clocks::badges(&st.core, &page.items).await {
        Ok(b) => b,
        Err(e) => return crate::error::core_page(&ctx, e),
    };
    let rows = page
        .items
        .into_iter()
        .map(|i| Row {
            clock: badges.get(&i.id).map(|k| super::clocks::line(&ctx, k)),
            id: i.id,
            owner: i.owner.name,
            state: state_label(&ctx, i.state),
            severity: ctx.t(i.severity.label_key()),
            serious: i.severity == Severity::Serious,
            kind: i
                .subtype
                .map(|s| ctx.t(s.label_key()))
                .or(i.incident_type.map(|t| ctx.t(t.label_key())))
                .unwrap_or(""),
            discovered: ctx.dt(&i.discovered_at),
            title: i.title,
        })
        .collect();
    let filters = format!(
        "q={}&state={}&type={}&severity={}&org={}&from={}&until={}",
        urlencode(&q.q),
        urlencode(&q.state),
        urlencode(&q.kind),
        urlencode(&q.severity),
        urlencode(&q.org),
        urlencode(&q.from),
        urlencode(&q.until)
    );
    let mut states = vec![("open", ctx.t("incident.state.open"))];
    states.extend(
        IncidentState::ALL
            .into_iter()
            .map(|s| (s.as_str(), state_label(&ctx, s))),
    );
    let filtered = [
        &q.q,
        &q.state,
        &q.kind,
        &q.severity,
        &q.org,
        &q.from,
        &q.until,
    ]
    .iter()
    .any(|v| !v.is_empty());
    // Only a filtered queue can be saved.
    let saved =
        super::notices::filters_section(&st, &ctx, if filtered { &filters } else { "" }).await;
    render(
        &ctx,
        ListPage {
            c: &ctx,
            rows,
            states,
            types: IncidentType::ALL
                .into_iter()
                .map(|t| (t.as_str(), ctx.t(t.label_key())))
                .collect(),
            severities: Severity::ALL
                .into_iter()
                .map(|s| (s.as_str(), ctx.t(s.label_key())))
                .collect(),
            orgs,
            filters,
            saved,
            next: page.next,
            can_report: ctx
                .auth
                .as_ref()
                .is_some_and(|a| a.principal.can_somewhere(Action::IncidentReport)),
            filtered,
            q,
        },
    )
}

// ---------------------------------------------------------------------------------------------
// The report form (Mẫu 03)
// ---------------------------------------------------------------------------------------------

/// One choice of a select, radio group or check group.
struct Opt {
    value: String,
    label: String,
    checked: bool,
}

/// One question of the form.
struct Input {
    name: &'static str,
    label: &'static str,
    /// `text`, `email`, `tel`, `date`, `time`, `datetime-local`, `textarea`, `select`,
    /// `radio`, `checks`.
    kind: &'static str,
    value: String,
    required: bool,
    options: Vec<Opt>,
    error: String,
    help: &'static str,
}

/// A part of the form, as Mẫu 03 groups its questions.
struct Section {
    title: &'static str,
    inputs: Vec<Input>,
}

#[derive(Template)]
#[template(path = "incident_form.html")]
struct FormPage<'a> {
    c: &'a Ctx,
    sections: Vec<Section>,
    has_errors: bool,
}

fn opts(c: &Ctx, list: &[(&str, &'static str)], picked: &[String]) -> Vec<Opt> {
    list.iter()
        .map(|(v, k)| Opt {
            value: v.to_string(),
            label: c.t(k).to_string(),
            checked: picked.iter().any(|p| p == v),
        })
        .collect()
}

/// Builds the form's sections from what was posted (or the defaults) and the errors.
fn sections(
    c: &Ctx,
    p: &Pairs,
    orgs: &[(String, String)],
    systems: &[(String, String)],
    errs: &[(String, String)],
) -> Vec<Section> {
    let err = |name: &str| {
        errs.iter()
            .filter(|(f, _)| f == name || f.starts_with(&format!("{name}[")))
            .map(|(_, m)| m.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let input =
        |name: &'static str, label: &'static str, kind: &'static str, required: bool| Input {
            name,
            label,
            kind,
            value: p.get(name),
            required,
            options: Vec::new(),
            error: err(name),
            help: "",
        };
    let choice = |name: &'static str,
                  label: &'static str,
                  kind: &'static str,
                  required: bool,
                  options: Vec<Opt>| Input {
        options,
        ..input(name, label, kind, required)
    };
    let one = |name: &str| vec![p.get(name)];
    let levels: Vec<Opt> = std::iter::once(("", c.t("incident.form.no_level").to_string()))
        .chain((1..=5).map(|n| ("", c.tf("system.level_n", &[("n", &n.to_string())]))))
        .enumerate()
        .map(|(i, (_, label))| {
            let value = if i == 0 { String::new() } else { i.to_string() };
            Opt {
                checked: p.get("system_level") == value,
                value,
                label,
            }
        })
        .collect();
    let owner_opts = orgs
        .iter()
        .map(|(id, name)| Opt {
            value: id.clone(),
            label: name.clone(),
            checked: p.get("owner_org_id") == *id,
        })
        .collect();
    let system_opts = std::iter::once(Opt {
        value: String::new(),
        label: c.t("incident.form.system_typed").into(),
        checked: p.get("system_id").is_empty(),
    })
    .chain(systems.iter().map(|(id, label)| Opt {
        value: id.clone(),
        label: label.clone(),
        checked: p.get("system_id") == *id,
    }))
    .collect();
    let mut subtypes = vec![Opt {
        value: String::new(),
        label: c.t("incident.form.unclassified").into(),
        checked: p.get("subtype").is_empty(),
    }];
    subtypes.extend(Subtype::ALL.into_iter().map(|s| Opt {
        value: s.as_str().into(),
        label: format!("{} ({})", c.t(s.label_key()), c.t(s.parent().label_key())),
        checked: p.get("subtype") == s.as_str(),
    }));
    let tlps = Tlp::ALL
        .into_iter()
        .map(|t| Opt {
            value: t.as_str().into(),
            label: t.to_string(),
            checked: p.get("tlp") == t.as_str() || (p.get("tlp").is_empty() && t == Tlp::Amber),
        })
        .collect();
    let yes_no = vec![
        Opt {
            value: "yes".into(),
            label: c.t("common.yes").into(),
            checked: p.get("confidential") == "yes",
        },
        Opt {
            value: "no".into(),
            label: c.t("common.no").into(),
            checked: p.get("confidential") != "yes",
        },
    ];
    let channel = p.get("channel");
    let channels = opts(
        c,
        CHANNELS,
        &[if channel.is_empty() {
            "web".into()
        } else {
            channel
        }],
    );
    vec![
        Section {
            title: "incident.form.section_reporter",
            inputs: vec![
                input(
                    "reporter_name",
                    "incident.report.reporter_name",
                    "text",
                    true,
                ),
                input("reporter_address", "incident.report.address", "text", true),
                input("reporter_phone", "incident.report.phone", "tel", true),
                input("reporter_email", "incident.report.email", "email", true),
            ],
        },
        Section {
            title: "incident.form.section_contact",
            inputs: vec![
                input("contact_name", "incident.report.contact_name", "text", true),
                input(
                    "contact_title",
                    "incident.report.contact_title",
                    "text",
                    false,
                ),
                input("contact_phone", "incident.report.phone", "tel", true),
                input("contact_email", "incident.report.email", "email", true),
            ],
        },
        Section {
            title: "incident.form.section_system",
            inputs: vec![
                Input {
                    help: "incident.form.owner_help",
                    ..choice("owner_org_id", "incident.owner", "select", true, owner_opts)
                },
                input(
                    "operator_name",
                    "incident.report.operator_name",
                    "text",
                    true,
                ),
                input("owner_body", "incident.report.owner_body", "text", false),
                Input {
                    help: "incident.form.system_id_help",
                    ..choice(
                        "system_id",
                        "incident.form.system_id",
                        "select",
                        false,
                        system_opts,
                    )
                },
                Input {
                    help: "incident.form.system_name_help",
                    ..input("system_name", "incident.report.system_name", "text", false)
                },
                choice(
                    "system_level",
                    "incident.report.system_level",
                    "select",
                    false,
                    levels,
                ),
                input(
                    "security_provider",
                    "incident.report.security_provider",
                    "text",
                    false,
                ),
                input(
                    "connectivity_provider",
                    "incident.report.connectivity_provider",
                    "text",
                    false,
                ),
            ],
        },
        Section {
            title: "incident.form.section_incident",
            inputs: vec![
                Input {
                    help: "incident.form.title_help",
                    ..input("title", "incident.title", "text", true)
                },
                Input {
                    help: "incident.form.summary_help",
                    ..input("summary", "incident.report.summary", "textarea", true)
                },
                input(
                    "discovered_date",
                    "incident.report.discovered_date",
                    "date",
                    true,
                ),
                input(
                    "discovered_time",
                    "incident.report.discovered_time",
                    "time",
                    true,
                ),
                choice(
                    "handling_status",
                    "incident.report.handling_status",
                    "radio",
                    true,
                    opts(c, HANDLING_STATUSES, &one("handling_status")),
                ),
                choice(
                    "detection_methods",
                    "incident.report.detection",
                    "checks",
                    true,
                    opts(c, DETECTION_METHODS, &p.all("detection_methods")),
                ),
                input(
                    "detection_notified_by",
                    "incident.report.detection_notified_by",
                    "text",
                    false,
                ),
                input(
                    "detection_other",
                    "incident.report.detection_other",
                    "text",
                    false,
                ),
                choice(
                    "notified",
                    "incident.report.notified",
                    "checks",
                    true,
                    opts(c, NOTIFIED, &p.all("notified")),
                ),
            ],
        },
        Section {
            title: "incident.form.section_extra",
            inputs: vec![
                input("os_name", "incident.report.os_name", "text", false),
                input("os_version", "incident.report.os_version", "text", false),
                choice(
                    "services",
                    "incident.report.services",
                    "checks",
                    false,
                    opts(c, SERVICES, &p.all("services")),
                ),
                input(
                    "services_other",
                    "incident.report.other_text",
                    "text",
                    false,
                ),
                choice(
                    "measures",
                    "incident.report.measures",
                    "checks",
                    false,
                    opts(c, MEASURES, &p.all("measures")),
                ),
                input(
                    "measures_other",
                    "incident.report.other_text",
                    "text",
                    false,
                ),
                Input {
                    help: "incident.form.ips_help",
                    ..input("ips", "incident.report.ips", "textarea", false)
                },
                Input {
                    help: "incident.form.list_help",
                    ..input("domains", "incident.report.domains", "textarea", false)
                },
                input(
                    "system_purpose",
                    "incident.report.system_purpose",
                    "textarea",
                    false,
                ),
                choice(
                    "attachments",
                    "incident.report.attachments",
                    "checks",
                    false,
                    opts(c, ATTACHMENTS, &p.all("attachments")),
                ),
                input(
                    "attachments_other",
                    "incident.report.other_text",
                    "text",
                    false,
                ),
                choice(
                    "confidential",
                    "incident.report.confidential",
                    "radio",
                    false,
                    yes_no,
                ),
            ],
        },
        Section {
            title: "incident.form.section_requests",
            inputs: vec![input(
                "requests",
                "incident.report.requests",
                "textarea",
                false,
            )],
        },
        Section {
            title: "incident.form.section_signature",
            inputs: vec![
                input(
                    "reported_at",
                    "incident.report.reported_at",
                    "datetime-local",
                    true,
                ),
                Input {
                    help: "incident.form.channel_help",
                    ..choice("channel", "incident.channel", "select", false, channels)
                },
                choice("subtype", "incident.subtype", "select", false, subtypes),
                choice("tlp", "incident.tlp", "select", false, tlps),
            ],
        },
    ]
}

/// The items of a textarea: one per line; commas, semicolons and spaces also separate.
fn items(s: &str) -> Vec<String> {
    s.split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

/// The report as typed in the form.
fn report_input(p: &Pairs) -> ReportInput {
    let date = p.get("discovered_date");
    let time = p.get("discovered_time");
    let discovered_at = if date.trim().is_empty() && time.trim().is_empty() {
        String::new()
    } else {
        format!("{}T{}", date.trim(), time.trim())
    };
    ReportInput {
        title: p.get("title"),
        reporter_name: p.get("reporter_name"),
        reporter_address: p.get("reporter_address"),
        reporter_phone: p.get("reporter_phone"),
        reporter_email: p.get("reporter_email"),
        contact_name: p.get("contact_name"),
        contact_title: p.get("contact_title"),
        contact_phone: p.get("contact_phone"),
        contact_email: p.get("contact_email"),
        operator_name: p.get("operator_name"),
        owner_body: p.get("owner_body"),
        system_name: p.get("system_name"),
        system_level: p.get("system_level"),
        security_provider: p.get("security_provider"),
        connectivity_provider: p.get("connectivity_provider"),
        summary: p.get("summary"),
        discovered_at,
        handling_status: p.get("handling_status"),
        detection_methods: p.all("detection_methods"),
        detection_notified_by: p.get("detection_notified_by"),
        detection_other: p.get("detection_other"),
        notified: p.all("notified"),
        os_name: p.get("os_name"),
        os_version: p.get("os_version"),
        services: p.all("services"),
        services_other: p.get("services_other"),
        measures: p.all("measures"),
        measures_other: p.get("measures_other"),
        ips: items(&p.get("ips")),
        domains: items(&p.get("domains")),
        system_purpose: p.get("system_purpose"),
        attachments: p.all("attachments"),
        attachments_other: p.get("attachments_other"),
        confidential: p.get("confidential") == "yes",
        requests: p.get("requests"),
        reported_at: p.get("reported_at"),
        channel: p.get("channel"),
    }
}

/// Errors of the report as the form names its fields (the discovery time is two inputs).
fn form_errors(c: &Ctx, errs: &[FieldError]) -> Vec<(String, String)> {
    field_errors(c, errs)
        .into_iter()
        .map(|(f, m)| {
            let f = if f == "discovered_at" {
                "discovered_date".to_string()
            } else {
                f
            };
            (f, m)
        })
        .collect()
}

async fn form_page(
    st: &State,
    ctx: &Ctx,
    p: &Pairs,
    errors: Vec<(String, String)>,
    status: StatusCode,
) -> Response {
    let orgs = match core_incidents::reportable_orgs(&st.core, &ctx.actor()).await {
        Ok(o) => o,
        Err(e) => return crate::error::core_page(ctx, e),
    };
    if orgs.is_empty() {
        return crate::error::page_with(
            ctx,
            StatusCode::FORBIDDEN,
            "error.403.title",
            "incident.err.needs_reporter",
        );
    }
    // The registry's systems of the organisations the person may report for (owned or
    // operated), to pick from instead of typing the name.
    let ids: Vec<Uuid> = orgs.iter().map(|o| o.id).collect();
    let filter = ungcuu_store::systems::SystemFilter {
        owners_within: Some(ids.clone()),
        or_operator_in: ids,
        ..Default::default()
    };
    let systems: Vec<(String, String)> =
        ungcuu_core::systems::list(&st.core, &ctx.actor(), filter, None, Some(200))
            .await
            .map(|p| p.items)
            .unwrap_or_default()
            .into_iter()
            .map(|s| {
                (
                    s.id.to_string(),
                    format!("{} — {}", s.details.name, s.owner.name),
                )
            })
            .collect();
    let orgs: Vec<(String, String)> = orgs
        .into_iter()
        .map(|o| (o.id.to_string(), o.name))
        .collect();
    let page = FormPage {
        c: ctx,
        sections: sections(ctx, p, &orgs, &systems, &errors),
        has_errors: !errors.is_empty(),
    };
    let mut r = render(ctx, page);
    *r.status_mut() = status;
    r
}

async fn new_form(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
) -> Response {
    // Sensible defaults: the person's own organisation, the time now, not handled yet.
    let now = ungcuu_domain::timefmt::now().to_offset(ungcuu_domain::timefmt::VIETNAM);
    let mut pairs = vec![
        (
            "reported_at".to_string(),
            format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}",
                now.year(),
                now.month() as u8,
                now.day(),
                now.hour(),
                now.minute()
            ),
        ),
        ("handling_status".into(), "not_handled".into()),
    ];
    if let Some(a) = &ctx.auth {
        if let Some(m) = a.memberships.first() {
            pairs.push(("owner_org_id".into(), m.org_id.to_string()));
        }
        pairs.push(("contact_name".into(), a.user.name.clone()));
        pairs.push(("contact_email".into(), a.user.email.clone()));
    }
    form_page(&st, &ctx, &Pairs(pairs), vec![], StatusCode::OK).await
}

async fn create(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let p = Pairs(pairs);
    let owner = match p.get("owner_org_id").trim() {
        "" => None,
        v => match Uuid::parse_str(v) {
            Ok(u) => Some(u),
            Err(_) => {
                let errs = vec![("owner_org_id".into(), ctx.t("err.org_missing").into())];
                return form_page(&st, &ctx, &p, errs, StatusCode::UNPROCESSABLE_ENTITY).await;
            }
        },
    };
    let Ok(system_id) = crate::forms::opt_uuid(&Some(p.get("system_id"))) else {
        let errs = vec![(
            "system_id".into(),
            ctx.t("incident.err.system_unknown").into(),
        )];
        return form_page(&st, &ctx, &p, errs, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let new = NewIncident {
        owner_org_id: owner,
        system_id,
        report: report_input(&p),
        incident_type: String::new(),
        subtype: p.get("subtype"),
        tlp: p.get("tlp"),
        impact: None,
    };
    match core_incidents::create(&st.core, &ctx.actor(), new).await {
        Ok(i) => redirect_with_flash(
            &ctx,
            &format!("/incidents/{}", i.id),
            "flash.incident_created",
        ),
        Err(CoreError::Invalid(errs)) => {
            let errs = form_errors(&ctx, &errs);
            form_page(&st, &ctx, &p, errs, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => crate::error::core_page(&ctx, e),
    }
}

// ---------------------------------------------------------------------------------------------
// One incident
// ---------------------------------------------------------------------------------------------

/// A button for a step.
struct StepButton {
    to: &'static str,
    label: String,
    needs_comment: bool,
    terminal: bool,
}

/// A line of the timeline.
struct Line {
    at: String,
    recorded: String,
    actor: String,
    what: String,
    comment: String,
}

/// (label, value) of a fact; the value may have several lines.
type Fact = (&'static str, String);

#[derive(Template)]
#[template(path = "incident.html")]
struct DetailPage<'a> {
    c: &'a Ctx,
    id: Uuid,
    title: String,
    owner_id: Uuid,
    owner: String,
    severity: &'static str,
    serious: bool,
    proposed: &'static str,
    overridden: Option<String>,
    reasons: Vec<String>,
    description: String,
    facts: Vec<Fact>,
    report: Vec<Fact>,
    steps: Vec<StepButton>,
    lines: Vec<Line>,
    times: Vec<(&'static str, String)>,
    review: Option<(String, String, String)>,
    show_review_form: bool,
    /// Who helped and the damage, as shown and as the form's values.
    outcome: OutcomeView,
    can_outcome: bool,
    can_comment: bool,
    can_handle: bool,
    can_coordinate: bool,
    types: Vec<Opt>,
    subtypes: Vec<Opt>,
    tlps: Vec<Opt>,
    impact: Impact,
    levels: Vec<Opt>,
    errors: Vec<(String, String)>,
    form: Pairs,
    /// The evidence and indicators sections, rendered by `pages::evidence`.
    evidence: String,
    /// The follow button and live-update banner, rendered by `pages::notices`.
    follow: String,
    /// The tasks section, rendered by `pages::tasks`.
    tasks: String,
    /// The coordination and steering sections, rendered by `pages::coordination`.
    coordination: String,
    /// The reports section, rendered by `pages::documents`.
    documents: String,
    clocks: Vec<super::clocks::ClockLine>,
    records: Vec<super::clocks::RecordLine>,
    can_record: bool,
    channels: Vec<(&'static str, &'static str)>,
    /// The e-mails received for it, rendered by `pages::intake`.
    emails: String,
}

impl DetailPage<'_> {
    fn err(&self, field: &str) -> &str {
        err_for(&self.errors, field)
    }
    fn val(&self, field: &str) -> String {
        self.form.get(field)
    }
    /// The submitted value of `field` when this form was the one sent back, else `stored`.
    fn val_or(&self, field: &str, stored: &str) -> String {
        if self.form.0.iter().any(|(n, _)| n == field) {
            self.form.get(field)
        } else {
            stored.to_string()
        }
    }
}

fn labels(c: &Ctx, list: &[(&str, &'static str)], codes: &[String]) -> String {
    codes
        .iter()
        .map(|x| c.t(choice_label(list, x)))
        .collect::<Vec<_>>()
        .join(", ")
}

async fn detail_page(
    st: &State,
    ctx: &Ctx,
    id: Uuid,
    errors: Vec<(String, String)>,
    form: Pairs,
    status: StatusCode,
) -> Response {
    let v = match core_incidents::view(&st.core, &ctx.actor(), id).await {
        Ok(v) => v,
        Err(e) => return crate::error::core_page(ctx, e),
    };
    let kc = match ungcuu_core::clocks::for_incident(&st.core, &ctx.actor(), id).await {
        Ok(k) => k,
        Err(e) => return crate::error::core_page(ctx, e),
    };
    let i = &v.incident;
    let r = &i.report;
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let with_other = |list, codes: &[String], other: &Option<String>| {
        let mut s = labels(ctx, list, codes);
        if let Some(o) = other {
            if !s.is_empty() {
                s.push_str(": ");
            }
            s.push_str(o);
        }
        s
    };
    let mut facts: Vec<Fact> = vec![
        ("incident.state", state_label(ctx, i.state).to_string()),
        (
            "incident.type",
            i.incident_type
                .map(|t| ctx.t(t.label_key()).to_string())
                .unwrap_or_else(|| ctx.t("incident.form.unclassified").into()),
        ),
        (
            "incident.subtype",
            i.subtype
                .map(|t| ctx.t(t.label_key()).to_string())
                .unwrap_or_default(),
        ),
        ("incident.tlp", i.tlp.to_string()),
        ("incident.report.system_name", opt(&i.system_name)),
        ("incident.report.discovered_at", ctx.dt(&i.discovered_at)),
        ("incident.report.reported_at", ctx.dt(&i.reported_at)),
    ];
    if let Some(t) = i.response_completed_at {
        facts.push(("incident.response_completed_at", ctx.dt(&t)));
    }
    if let Some(t) = i.closed_at {
        facts.push(("incident.closed_at", ctx.dt(&t)));
    }
    let level = r
        .system_level
        .map(|n| ctx.tf("system.level_n", &[("n", &n.to_string())]))
        .unwrap_or_default();
    let report: Vec<Fact> = vec![
        ("incident.report.reporter_name", r.reporter_name.clone()),
        ("incident.report.address", r.reporter_address.clone()),
        ("incident.report.phone", r.reporter_phone.clone()),
        ("incident.report.email", r.reporter_email.clone()),
        ("incident.report.contact_name", r.contact_name.clone()),
        ("incident.report.contact_title", opt(&r.contact_title)),
        ("incident.report.contact_phone", r.contact_phone.clone()),
        ("incident.report.contact_email", r.contact_email.clone()),
        ("incident.report.operator_name", r.operator_name.clone()),
        ("incident.report.owner_body", opt(&r.owner_body)),
        ("incident.report.system_level", level),
        (
            "incident.report.security_provider",
            opt(&r.security_provider),
        ),
        (
            "incident.report.connectivity_provider",
            opt(&r.connectivity_provider),
        ),
        (
            "incident.report.handling_status",
            ctx.t(choice_label(HANDLING_STATUSES, &r.handling_status))
                .to_string(),
        ),
        (
            "incident.report.detection",
            with_other(
                DETECTION_METHODS,
                &r.detection_methods,
                &r.detection_notified_by
                    .clone()
                    .or(r.detection_other.clone()),
            ),
        ),
        (
            "incident.report.notified",
            labels(ctx, NOTIFIED, &r.notified),
        ),
        (
            "incident.report.os_name",
            format!("{} {}", opt(&r.os_name), opt(&r.os_version))
                .trim()
                .to_string(),
        ),
        (
            "incident.report.services",
            with_other(SERVICES, &r.services, &r.services_other),
        ),
        (
            "incident.report.measures",
            with_other(MEASURES, &r.measures, &r.measures_other),
        ),
        ("incident.report.ips", r.ips.join(", ")),
        ("incident.report.domains", r.domains.join(", ")),
        ("incident.report.system_purpose", opt(&r.system_purpose)),
        (
            "incident.report.attachments",
            with_other(ATTACHMENTS, &r.attachments, &r.attachments_other),
        ),
        (
            "incident.report.confidential",
            ctx.t(if r.confidential {
                "common.yes"
            } else {
                "common.no"
            })
            .to_string(),
        ),
        ("incident.report.requests", opt(&r.requests)),
        (
            "incident.channel",
            ctx.t(choice_label(CHANNELS, &r.channel)).to_string(),
        ),
    ];
    let steps = v
        .steps
        .iter()
        .map(|s| StepButton {
            to: s.to.as_str(),
            label: ctx.tf("incident.step_to", &[("state", state_label(ctx, s.to))]),
            needs_comment: s.needs_comment,
            terminal: s.to.is_terminal(),
        })
        .collect();
    let lines = v
        .events
        .iter()
        .map(|e| Line {
            at: ctx.dt(&e.happened_at),
            recorded: ctx.dt(&e.recorded_at),
            actor: e.actor_label.clone(),
            what: match (e.kind, e.from_state, e.to_state) {
                (EventKind::Transition, None, Some(to)) => {
                    format!(
                        "{}: {}",
                        ctx.t("incident.event.reported"),
                        state_label(ctx, to)
                    )
                }
                (EventKind::Transition, Some(from), Some(to)) => {
                    format!("{} → {}", state_label(ctx, from), state_label(ctx, to))
                }
                (EventKind::Classification, _, _) => ctx.t("incident.event.classification").into(),
                (EventKind::Manual, _, _) => ctx.t("incident.event.manual").into(),
                (EventKind::Coordination, _, _) => ctx.t("incident.event.coordination").into(),
                (EventKind::Steering, _, _) => ctx.t("incident.event.steering").into(),
                _ => ctx.t("incident.event.comment").into(),
            },
            comment: e.comment.clone().unwrap_or_default(),
        })
        .collect();
    let show = |d: Option<time::Duration>| {
        d.map(|d| show_duration(d, ctx.lang == crate::i18n::Lang::Vi))
            .unwrap_or_else(|| "—".into())
    };
    let times = vec![
        ("incident.time.acknowledge", show(v.times.acknowledge)),
        ("incident.time.contain", show(v.times.contain)),
        ("incident.time.recover", show(v.times.recover)),
        ("incident.time.close", show(v.times.close)),
    ];
    let mut types = vec![Opt {
        value: String::new(),
        label: ctx.t("incident.form.unclassified").into(),
        checked: i.incident_type.is_none(),
    }];
    types.extend(IncidentType::ALL.into_iter().map(|t| Opt {
        value: t.as_str().into(),
        label: ctx.t(t.label_key()).into(),
        checked: i.incident_type == Some(t),
    }));
    let mut subtypes = vec![Opt {
        value: String::new(),
        label: "—".into(),
        checked: i.subtype.is_none(),
    }];
    subtypes.extend(Subtype::ALL.into_iter().map(|s| Opt {
        value: s.as_str().into(),
        label: format!(
            "{} ({})",
            ctx.t(s.label_key()),
            ctx.t(s.parent().label_key())
        ),
        checked: i.subtype == Some(s),
    }));
    let tlps = Tlp::ALL
        .into_iter()
        .map(|t| Opt {
            value: t.as_str().into(),
            label: t.to_string(),
            checked: i.tlp == t,
        })
        .collect();
    let levels = std::iter::once(None)
        .chain((1..=5).map(Some))
        .map(|l: Option<i64>| Opt {
            value: l.map(|n| n.to_string()).unwrap_or_default(),
            label: l
                .map(|n| ctx.tf("system.level_n", &[("n", &n.to_string())]))
                .unwrap_or_else(|| ctx.t("incident.form.no_level").into()),
            checked: i.impact.system_level == l,
        })
        .collect();
    let page = DetailPage {
        evidence: super::evidence::section(st, ctx, id).await,
        follow: super::notices::section(st, ctx, id).await,
        emails: super::intake::section(st, ctx, id).await,
        tasks: super::tasks::section(st, ctx, id).await,
        coordination: super::coordination::sections(st, ctx, id, &errors, &form.0).await,
        documents: super::documents::section(st, ctx, id).await,
        c: ctx,
        id: i.id,
        title: i.title.clone(),
        owner_id: i.owner.id,
        owner: i.owner.name.clone(),
        severity: ctx.t(i.severity.label_key()),
        serious: i.severity == Severity::Serious,
        proposed: ctx.t(v.proposed.label_key()),
        overridden: i.severity_override_reason.clone(),
        reasons: i
            .severity_reasons
            .iter()
            .map(|r| crate::api::incidents::reason_text(ctx, r))
            .collect(),
        description: i.description.clone(),
        facts,
        report,
        steps,
        lines,
        times,
        review: i
            .review
            .as_ref()
            .map(|r| (r.root_cause.clone(), r.lessons.clone(), r.measures.clone())),
        show_review_form: i.state == IncidentState::Review && v.can_handle,
        outcome: OutcomeView::of(i.outcome.as_ref()),
        can_outcome: (v.can_handle || v.can_coordinate)
            && !matches!(
                i.state,
                IncidentState::Rejected | IncidentState::Duplicate | IncidentState::Merged
            ),
        can_comment: v.can_comment,
        can_handle: v.can_handle,
        can_coordinate: v.can_coordinate,
        types,
        subtypes,
        tlps,
        impact: i.impact,
        levels,
        errors,
        form,
        clocks: kc
            .clocks
            .iter()
            .map(|k| super::clocks::line(ctx, k))
            .collect(),
        records: kc
            .records
            .iter()
            .map(|x| super::clocks::record_line(ctx, x))
            .collect(),
        can_record: kc.can_record,
        channels: super::clocks::channels(ctx),
    };
    let mut r = render(ctx, page);
    *r.status_mut() = status;
    r
}

async fn detail(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    PageId(id): PageId,
) -> Response {
    detail_page(&st, &ctx, id, vec![], Pairs(vec![]), StatusCode::OK).await
}

/// After an action: back to the incident with a flash, or the page again with the errors.
async fn after<T>(
    st: &State,
    ctx: &Ctx,
    id: Uuid,
    r: ungcuu_core::Result<T>,
    form: Pairs,
    flash: &str,
) -> Response {
    match r {
        Ok(_) => redirect_with_flash(ctx, &format!("/incidents/{id}"), flash),
        Err(CoreError::Invalid(errs)) => {
            let errs = field_errors(ctx, &errs);
            detail_page(st, ctx, id, errs, form, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => crate::error::core_page(ctx, e),
    }
}

/// [`after`] for the forms of other sections of the incident page (coordination, steering).
pub(super) async fn after_form<T>(
    st: &State,
    ctx: &Ctx,
    id: Uuid,
    r: ungcuu_core::Result<T>,
    pairs: Vec<(String, String)>,
    flash: &str,
) -> Response {
    after(st, ctx, id, r, Pairs(pairs), flash).await
}

async fn transition(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    PageId(id): PageId,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let p = Pairs(pairs);
    let to = p.get("to");
    // Ending an incident (closing, rejecting, marking duplicate or merged) is final: the form
    // carries a confirmation box.
    if to
        .parse::<IncidentState>()
        .is_ok_and(IncidentState::is_terminal)
        && p.get("confirm") != "yes"
    {
        return crate::error::page(&ctx, StatusCode::BAD_REQUEST);
    }
    let comment = p.get("comment");
    let r = core_incidents::transition(&st.core, &ctx.actor(), id, &to, Some(&comment)).await;
    after(&st, &ctx, id, r, p, "flash.incident_moved").await
}

async fn add_note(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    PageId(id): PageId,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let p = Pairs(pairs);
    let text = p.get("comment");
    // A filled time makes it a timeline entry of something that happened then.
    let happened = p.get("happened_at");
    let happened = (!happened.trim().is_empty()).then_some(happened);
    let r = core_incidents::comment(&st.core, &ctx.actor(), id, &text, happened.as_deref()).await;
    // A mention that reached nobody is said plainly (without saying why: no account, or no
    // access to this incident).
    let flash = match &r {
        Ok((_, m)) if m.iter().any(|m| !m.delivered) => "coord.flash.mention_undelivered",
        _ => "flash.saved",
    };
    after(&st, &ctx, id, r, p, flash).await
}

async fn classify(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    PageId(id): PageId,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let p = Pairs(pairs);
    let num = |k: &str| -> Result<i64, FieldError> {
        let v = p.get(k);
        if v.trim().is_empty() {
            return Ok(0);
        }
        v.trim()
            .parse()
            .map_err(|_| FieldError::new(&format!("impact.{k}"), "err.count"))
    };
    let (orgs, hours) = match (
        num("organizations_affected"),
        num("public_service_down_hours"),
    ) {
        (Ok(o), Ok(h)) => (o, h),
        (a, b) => {
            let errs: Vec<FieldError> = [a.err(), b.err()].into_iter().flatten().collect();
            let errs = field_errors(&ctx, &errs);
            return detail_page(&st, &ctx, id, errs, p, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let impact = Impact {
        system_level: p.get("system_level").trim().parse().ok(),
        organizations_affected: orgs,
        personal_data_exposed: p.has("personal_data_exposed"),
        state_secret_exposed: p.has("state_secret_exposed"),
        public_service_down_hours: hours,
        external_resources_needed: p.has("external_resources_needed"),
    };
    let ch = ClassificationChanges {
        incident_type: Some(p.get("incident_type")),
        subtype: Some(p.get("subtype")),
        tlp: Some(p.get("tlp")),
        impact: Some(impact),
    };
    let r = core_incidents::classify(&st.core, &ctx.actor(), id, ch).await;
    after(&st, &ctx, id, r, p, "flash.saved").await
}

async fn override_severity(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    PageId(id): PageId,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let p = Pairs(pairs);
    let r = core_incidents::override_severity(
        &st.core,
        &ctx.actor(),
        id,
        &p.get("severity"),
        &p.get("reason"),
    )
    .await;
    after(&st, &ctx, id, r, p, "flash.saved").await
}

async fn review(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    PageId(id): PageId,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let p = Pairs(pairs);
    let r = core_incidents::set_review(
        &st.core,
        &ctx.actor(),
        id,
        &p.get("root_cause"),
        &p.get("lessons"),
        &p.get("measures"),
    )
    .await;
    after(&st, &ctx, id, r, p, "flash.saved").await
}

/// The outcome section: the recorded values, the form's lines.
struct OutcomeView {
    recorded: bool,
    self_handled: bool,
    domestic: Vec<String>,
    foreign: Vec<String>,
    national: bool,
    /// The estimate as the form shows it (digits only) and as read ("1.500.000 đồng").
    damage: String,
    damage_shown: String,
}

impl OutcomeView {
    fn of(o: Option<&ungcuu_domain::incident::Outcome>) -> OutcomeView {
        let d = o.and_then(|o| o.estimated_damage_vnd);
        OutcomeView {
            recorded: o.is_some(),
            self_handled: o.is_some_and(|o| o.self_handled()),
            domestic: o.map(|o| o.domestic_helpers.clone()).unwrap_or_default(),
            foreign: o.map(|o| o.foreign_helpers.clone()).unwrap_or_default(),
            national: o.is_some_and(|o| o.national_coordinator_helped),
            damage: d.map(|d| d.to_string()).unwrap_or_default(),
            damage_shown: d
                .and_then(|d| u64::try_from(d).ok())
                .map(ungcuu_reports::model::format_vnd)
                .unwrap_or_default(),
        }
    }
}

/// One name per line of a textarea.
fn lines_of(s: &str) -> Vec<String> {
    s.lines().map(str::to_string).collect()
}

async fn outcome(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    PageId(id): PageId,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let p = Pairs(pairs);
    // Digits may be typed grouped ("1.500.000" or "1 500 000"); anything else is refused by name.
    let raw: String = p
        .get("estimated_damage_vnd")
        .chars()
        .filter(|c| !matches!(c, '.' | ',' | ' ' | '\u{a0}'))
        .collect();
    let damage = if raw.is_empty() {
        None
    } else {
        match raw.parse::<i64>() {
            Ok(d) => Some(d),
            Err(_) => {
                let errs = vec![FieldError::new("estimated_damage_vnd", "err.number")];
                let r: ungcuu_core::Result<()> = Err(CoreError::Invalid(errs));
                return after(&st, &ctx, id, r, p, "flash.saved").await;
            }
        }
    };
    let input = core_incidents::OutcomeInput {
        domestic_helpers: lines_of(&p.get("domestic_helpers")),
        foreign_helpers: lines_of(&p.get("foreign_helpers")),
        national_coordinator_helped: p.get("national_coordinator_helped") == "yes",
        estimated_damage_vnd: damage,
    };
    let r = core_incidents::set_outcome(&st.core, &ctx.actor(), id, &input).await;
    after(&st, &ctx, id, r, p, "flash.saved").await
}

/// Records that the notification or final report was sent (the clock stops).
async fn record_report(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    PageId(id): PageId,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let p = Pairs(pairs);
    let new = ungcuu_core::clocks::NewRecord {
        kind: p.get("kind"),
        sent_at: p.get("sent_at"),
        channel: p.get("channel"),
        recipients: p.get("recipients"),
        note: p.get("note"),
    };
    let r = ungcuu_core::clocks::record(&st.core, &ctx.actor(), id, new).await;
    after(&st, &ctx, id, r, p, "clock.flash_recorded").await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_the_domain_names_has_both_languages() {
        use ungcuu_domain::incident::{Gate, Reason, Refusal};
        let mut keys: Vec<&str> = Vec::new();
        keys.extend(IncidentState::ALL.iter().map(|s| s.label_key()));
        keys.extend(IncidentType::ALL.iter().map(|s| s.label_key()));
        keys.extend(Subtype::ALL.iter().map(|s| s.label_key()));
        keys.extend(Severity::ALL.iter().map(|s| s.label_key()));
        for list in [
            HANDLING_STATUSES,
            DETECTION_METHODS,
            NOTIFIED,
            SERVICES,
            MEASURES,
            ATTACHMENTS,
            CHANNELS,
        ] {
            keys.extend(list.iter().map(|(_, k)| *k));
        }
        keys.extend([Gate::Handle, Gate::Approve, Gate::Coordinate].map(Gate::refusal_key));
        keys.extend(
            [
                Refusal::NotAllowed,
                Refusal::OnlySerious,
                Refusal::EscalateFirst,
                Refusal::ReviewMissing,
                Refusal::CommentRequired,
            ]
            .map(Refusal::code),
        );
        for rule in ungcuu_domain::incident::SeverityRules::default().rules {
            let r = Reason {
                rule: rule.code().into(),
                threshold: None,
                value: None,
            };
            assert_ne!(r.label_key(), "incident.reason.unknown");
            keys.push(r.label_key());
        }
        for k in keys {
            assert!(crate::i18n::has(k), "{k} has no translation");
        }
    }

    #[test]
    fn textarea_items_split_on_lines_commas_and_spaces() {
        assert_eq!(
            items("203.0.113.7\n198.51.100.0/24, a.gov.vn;b.gov.vn"),
            ["203.0.113.7", "198.51.100.0/24", "a.gov.vn", "b.gov.vn"]
        );
    }

    #[test]
    fn the_discovery_date_and_time_make_one_time() {
        let p = Pairs(vec![
            ("discovered_date".into(), "2026-03-01".into()),
            ("discovered_time".into(), "08:30".into()),
            ("detection_methods".into(), "ids".into()),
            ("detection_methods".into(), "other".into()),
        ]);
        let r = report_input(&p);
        assert_eq!(r.discovered_at, "2026-03-01T08:30");
        assert_eq!(r.detection_methods, ["ids", "other"]);
    }
}
