//! The coordinator's page for the severity rule set: which rules propose "serious" and their
//! thresholds (legal.md §3 [R]). The API (`PUT /api/v1/settings/severity-rules`) edits the same
//! data; both go through `incidents::set_severity_rules`, which validates and audits.

use super::render;
use crate::State;
use crate::ctx::{Ctx, SignedIn, redirect_with_flash};
use crate::forms::{CsrfForm, field_errors};
use askama::Template;
use axum::Router;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use ungcuu_core::CoreError;
use ungcuu_domain::incident::{DEFAULT_OUTAGE_HOURS, SeverityRule, SeverityRules};
use ungcuu_domain::permissions::Action;

pub(super) fn router() -> Router<State> {
    Router::new().route("/settings/severity", get(page).post(save))
}

/// One rule on the form: whether it is on and its threshold, if it has one.
struct RuleRow {
    code: &'static str,
    label: &'static str,
    on: bool,
    /// (field name, value, min, max, unit key)
    threshold: Option<(&'static str, String, i64, i64, &'static str)>,
}

#[derive(Template)]
#[template(path = "severity_rules.html")]
struct SeverityPage<'a> {
    c: &'a Ctx,
    rows: Vec<RuleRow>,
    errors: Vec<(String, String)>,
}

fn allowed(ctx: &Ctx) -> bool {
    ctx.auth
        .as_ref()
        .is_some_and(|a| a.principal.can_everywhere(Action::IncidentCoordinate))
}

/// Every kind of rule, with the values of `rules` where it has the rule and defaults elsewhere.
fn rows(ctx: &Ctx, rules: &SeverityRules, form: Option<&[(String, String)]>) -> Vec<RuleRow> {
    let find = |code: &str| rules.rules.iter().copied().find(|r| r.code() == code);
    let typed =
        |name: &str| form.and_then(|f| f.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()));
    let on = |code: &str| match form {
        Some(f) => f.iter().any(|(k, _)| k == &format!("on.{code}")),
        None => find(code).is_some(),
    };
    let level = match find("system_level") {
        Some(SeverityRule::SystemLevel { at_least }) => at_least,
        _ => 3,
    };
    let orgs = match find("organizations") {
        Some(SeverityRule::Organizations { at_least }) => at_least,
        _ => 2,
    };
    let hours = match find("service_outage") {
        Some(SeverityRule::ServiceOutage { hours }) => hours,
        _ => DEFAULT_OUTAGE_HOURS,
    };
    let row = |code: &'static str,
               threshold: Option<(&'static str, i64, i64, i64, &'static str)>| {
        RuleRow {
            code,
            label: ctx.t(label_key(code)),
            on: on(code),
            threshold: threshold.map(|(name, v, min, max, unit)| {
                (
                    name,
                    typed(name).unwrap_or_else(|| v.to_string()),
                    min,
                    max,
                    unit,
                )
            }),
        }
    };
    vec![
        row(
            "system_level",
            Some(("at_least.system_level", level, 1, 5, "severity.unit.level")),
        ),
        row(
            "organizations",
            Some((
                "at_least.organizations",
                orgs,
                1,
                10_000,
                "severity.unit.orgs",
            )),
        ),
        row("personal_data", None),
        row("state_secret", None),
        row(
            "service_outage",
            Some((
                "hours.service_outage",
                hours,
                0,
                8_760,
                "severity.unit.hours",
            )),
        ),
        row("external_resources", None),
    ]
}

fn label_key(code: &str) -> &'static str {
    match code {
        "system_level" => "severity.rule.system_level",
        "organizations" => "severity.rule.organizations",
        "personal_data" => "severity.rule.personal_data",
        "state_secret" => "severity.rule.state_secret",
        "service_outage" => "severity.rule.service_outage",
        _ => "severity.rule.external_resources",
    }
}

async fn page(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
) -> Response {
    if !allowed(&ctx) {
        return crate::error::page(&ctx, StatusCode::FORBIDDEN);
    }
    let rules = match ungcuu_core::incidents::severity_rules(&st.core).await {
        Ok(r) => r,
        Err(e) => return crate::error::core_page(&ctx, e),
    };
    render(
        &ctx,
        SeverityPage {
            rows: rows(&ctx, &rules, None),
            c: &ctx,
            errors: vec![],
        },
    )
}

/// Reads the form into a rule set, in the fixed order of the page; a threshold that is not a
/// whole number is reported under its field.
fn read(form: &[(String, String)]) -> Result<SeverityRules, Vec<(String, &'static str)>> {
    let on = |code: &str| form.iter().any(|(k, _)| k == &format!("on.{code}"));
    let mut errs = Vec::new();
    let mut number = |name: &str| -> i64 {
        let v = form
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .unwrap_or("");
        v.parse().unwrap_or_else(|_| {
            errs.push((name.to_string(), "err.number"));
            0
        })
    };
    let mut rules = Vec::new();
    if on("system_level") {
        rules.push(SeverityRule::SystemLevel {
            at_least: number("at_least.system_level"),
        });
    }
    if on("organizations") {
        rules.push(SeverityRule::Organizations {
            at_least: number("at_least.organizations"),
        });
    }
    if on("personal_data") {
        rules.push(SeverityRule::PersonalData);
    }
    if on("state_secret") {
        rules.push(SeverityRule::StateSecret);
    }
    if on("service_outage") {
        rules.push(SeverityRule::ServiceOutage {
            hours: number("hours.service_outage"),
        });
    }
    if on("external_resources") {
        rules.push(SeverityRule::ExternalResources);
    }
    if errs.is_empty() {
        Ok(SeverityRules { rules })
    } else {
        Err(errs)
    }
}

/// The domain names a bad rule `rules[i]`; the form names its threshold field.
fn field_of(rules: &SeverityRules, field: &str) -> String {
    let Some(i) = field
        .strip_prefix("rules[")
        .and_then(|r| r.strip_suffix(']'))
        .and_then(|i| i.parse::<usize>().ok())
    else {
        return field.to_string();
    };
    match rules.rules.get(i) {
        Some(SeverityRule::SystemLevel { .. }) => "at_least.system_level".into(),
        Some(SeverityRule::Organizations { .. }) => "at_least.organizations".into(),
        Some(SeverityRule::ServiceOutage { .. }) => "hours.service_outage".into(),
        _ => field.to_string(),
    }
}

async fn save(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let current = match ungcuu_core::incidents::severity_rules(&st.core).await {
        Ok(r) => r,
        Err(e) => return crate::error::core_page(&ctx, e),
    };
    let again = |errors: Vec<(String, String)>| {
        let mut r = render(
            &ctx,
            SeverityPage {
                rows: rows(&ctx, &current, Some(&form)),
                c: &ctx,
                errors,
            },
        );
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        r
    };
    let rules = match read(&form) {
        Ok(r) => r,
        Err(errs) => {
            return again(
                errs.into_iter()
                    .map(|(f, k)| (f, ctx.t(k).to_string()))
                    .collect(),
            );
        }
    };
    match ungcuu_core::incidents::set_severity_rules(&st.core, &ctx.actor(), rules.clone()).await {
        Ok(_) => redirect_with_flash(&ctx, "/settings/severity", "flash.saved"),
        Err(CoreError::Invalid(errs)) => again(
            field_errors(&ctx, &errs)
                .into_iter()
                .map(|(f, m)| (field_of(&rules, &f), m))
                .collect(),
        ),
        Err(e) => crate::error::core_page(&ctx, e),
    }
}
