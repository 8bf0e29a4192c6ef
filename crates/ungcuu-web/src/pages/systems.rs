//! Information systems pages: the registry with its filters, one system with its history, the
//! form, deletion with a confirmation, and the CSV import: upload, the dry-run report, confirm.
//!
//! The import takes a file upload (`multipart/form-data`), the only way a browser without
//! JavaScript sends a file's bytes as they are, which the encoding detection needs
//! (Windows-1258 or UTF-8). Pasted text is accepted too. The confirmation carries the checked
//! bytes back (URL-safe base64 in a hidden field), so nothing is stored between the two steps and the
//! same bytes, with the same SHA-256, are checked again and written.

use super::render;
use crate::State;
use crate::ctx::{Ctx, SignedIn, redirect_with_flash};
use crate::forms::PageId;
use crate::forms::{CsrfForm, urlencode};
use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use base64::Engine as _;
use serde::Deserialize;
use ungcuu_core::CoreError;
use ungcuu_core::systems::{self, ImportReport, NewSystem, SystemChanges};
use ungcuu_domain::permissions::Action;
use ungcuu_domain::systems::{
    CSV_COLUMNS, LevelStatus, Service, SoftwareFields, SystemFields, parse_software_item,
    show_date, today_in_vietnam, validate,
};
use ungcuu_domain::validate::FieldError;
use ungcuu_store::orgs::Org;
use ungcuu_store::systems::{Missing, System, SystemFilter};
use uuid::Uuid;

/// Largest upload, as for the API import.
const IMPORT_LIMIT: usize = crate::api::systems::IMPORT_LIMIT;
/// The confirmation carries the file in URL-safe base64 (4 characters for 3 bytes, none of
/// which form encoding escapes).
const CONFIRM_LIMIT: usize = IMPORT_LIMIT / 3 * 4 + 64 * 1024;

pub(super) fn router() -> Router<State> {
    Router::new()
        .route("/systems", get(list).post(create))
        .route("/systems/new", get(new_form))
        .route(
            "/systems/import",
            get(import_form)
                .post(import_check)
                .layer(DefaultBodyLimit::max(IMPORT_LIMIT)),
        )
        .route(
            "/systems/import/confirm",
            post(import_confirm).layer(DefaultBodyLimit::max(CONFIRM_LIMIT)),
        )
        .route("/systems/{id}", get(detail))
        .route("/systems/{id}/edit", get(edit_form).post(update))
        .route("/systems/{id}/delete", post(delete))
}

/// Every message for `field` (and its items, `ips[2]`), joined, or empty.
pub fn errs(errors: &[(String, String)], field: &str) -> String {
    errors
        .iter()
        .filter(|(f, _)| f == field)
        .map(|(_, m)| m.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

fn level_text(c: &Ctx, level: Option<i64>) -> String {
    match level {
        Some(n) => c.tf("system.level_n", &[("n", &n.to_string())]),
        None => c.t("system.no_level").to_string(),
    }
}

/// (value, label) of the five levels.
fn levels(c: &Ctx) -> Vec<(String, String)> {
    (1..=5)
        .map(|n| (n.to_string(), level_text(c, Some(n))))
        .collect()
}

fn status_text(c: &Ctx, s: Option<LevelStatus>) -> &'static str {
    s.map(|s| c.t(s.label_key())).unwrap_or("")
}

fn missing_key(m: Missing) -> &'static str {
    match m {
        Missing::Level => "system.missing.level",
        Missing::Operator => "system.missing.operator",
        Missing::Addresses => "system.missing.addresses",
        Missing::Software => "system.missing.software",
    }
}

/// The label of a field named in a change summary; `None` for bookkeeping fields.
fn field_label(c: &Ctx, key: &str) -> Option<&'static str> {
    let k = match key {
        "owner_org_id" => "system.owner",
        "operator_org_id" => "system.operator",
        "name" => "system.name",
        "purpose" => "system.purpose",
        "security_provider" => "system.security_provider",
        "connectivity_provider" => "system.connectivity_provider",
        "security_level" => "system.level",
        "level_status" => "system.level_status",
        "approval_decision_no" => "system.decision_no",
        "approval_date" => "system.approval_date",
        "approved_by" => "system.approved_by",
        "services" => "system.services",
        "os" => "system.os",
        "os_version" => "system.os_version",
        "software" => "system.software",
        "ips" => "system.ips",
        "domains" => "system.domains",
        "hostnames" => "system.hostnames",
        _ => return None,
    };
    Some(c.t(k))
}

/// One line of the registry table.
struct Row {
    id: Uuid,
    name: String,
    owner: String,
    level: String,
    status: &'static str,
    operator: String,
}

#[derive(Template)]
#[template(path = "systems.html")]
struct ListPage<'a> {
    c: &'a Ctx,
    rows: Vec<Row>,
    q: String,
    owner: String,
    level: String,
    status: String,
    missing: String,
    owners: Vec<(String, String)>,
    levels: Vec<(String, String)>,
    statuses: Vec<(&'static str, &'static str)>,
    missings: Vec<(&'static str, &'static str)>,
    filters: String,
    next: Option<String>,
    can_create: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ListQuery {
    q: String,
    owner: String,
    level: String,
    status: String,
    missing: String,
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
    // A filter value that does not parse is ignored, as a hand-edited address should still
    // show the registry.
    let filter = SystemFilter {
        q: Some(q.q.clone()).filter(|s| !s.trim().is_empty()),
        owner: Uuid::parse_str(q.owner.trim()).ok(),
        level: q.level.parse().ok().filter(|l| (1..=5).contains(l)),
        status: q.status.parse().ok(),
        missing: q.missing.parse().ok(),
        ..Default::default()
    };
    let after = Uuid::parse_str(q.after.trim()).ok();
    let page = match systems::list(&st.core, &actor, filter, after, Some(50)).await {
        Ok(p) => p,
        Err(e) => return crate::error::core_page(&ctx, e),
    };
    let owners = match ungcuu_core::orgs::all_readable(&st.core, &actor).await {
        Ok(o) => o.into_iter().map(|o| (o.id.to_string(), o.name)).collect(),
        Err(e) => return crate::error::core_page(&ctx, e),
    };
    let rows = page
        .items
        .into_iter()
        .map(|s| Row {
            id: s.id,
            level: level_text(&ctx, s.details.security_level),
            status: status_text(&ctx, s.details.level_status),
            owner: s.owner.name,
            operator: s.operator.map(|o| o.name).unwrap_or_default(),
            name: s.details.name,
        })
        .collect();
    let filters = format!(
        "q={}&owner={}&level={}&status={}&missing={}",
        urlencode(&q.q),
        urlencode(&q.owner),
        urlencode(&q.level),
        urlencode(&q.status),
        urlencode(&q.missing)
    );
    let statuses = LevelStatus::ALL
        .into_iter()
        .map(|s| (s.as_str(), ctx.t(s.label_key())))
        .collect();
    let missings = Missing::ALL
        .into_iter()
        .map(|m| (m.as_str(), ctx.t(missing_key(m))))
        .collect();
    let can_create = ctx
        .auth
        .as_ref()
        .is_some_and(|a| a.principal.can_somewhere(Action::SystemManage));
    render(
        &ctx,
        ListPage {
            c: &ctx,
            rows,
            q: q.q,
            owner: q.owner,
            level: q.level,
            status: q.status,
            missing: q.missing,
            owners,
            levels: levels(&ctx),
            statuses,
            missings,
            filters,
            next: page.next,
            can_create,
        },
    )
}

/// One change in the history table.
struct Change {
    at: String,
    actor: String,
    what: &'static str,
    fields: String,
}

#[derive(Template)]
#[template(path = "systems_detail.html")]
struct DetailPage<'a> {
    c: &'a Ctx,
    s: System,
    level: String,
    status: &'static str,
    approval_date: String,
    approver: Option<String>,
    services: Vec<&'static str>,
    history: Vec<Change>,
    can_edit: bool,
}

async fn detail(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    PageId(id): PageId,
) -> Response {
    let actor = ctx.actor();
    let s = match systems::get(&st.core, &actor, id).await {
        Ok(s) => s,
        Err(e) => return crate::error::core_page(&ctx, e),
    };
    let history = match systems::history(&st.core, &actor, id).await {
        Ok(h) => h,
        Err(e) => return crate::error::core_page(&ctx, e),
    };
    let approver = match systems::approver(&st.core, &s).await {
        Ok(a) => a,
        Err(e) => return crate::error::core_page(&ctx, e),
    };
    let history = history
        .into_iter()
        .map(|h| Change {
            at: super::stored_time(&h.occurred_at),
            actor: h.actor,
            what: ctx.t(match h.action.as_str() {
                "system.create" => "system.event.create",
                "system.import" => "system.event.import",
                _ => "system.event.update",
            }),
            fields: h
                .changed
                .iter()
                .filter_map(|k| field_label(&ctx, k))
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect();
    render(
        &ctx,
        DetailPage {
            c: &ctx,
            level: level_text(&ctx, s.details.security_level),
            status: status_text(&ctx, s.details.level_status),
            approval_date: s.details.approval_date.map(show_date).unwrap_or_default(),
            approver,
            services: s
                .details
                .services
                .iter()
                .map(|x| ctx.t(x.label_key()))
                .collect(),
            history,
            can_edit: systems::may(&actor, Action::SystemManage, s.owner.id),
            s,
        },
    )
}

/// The form as posted: every field is text; services are one checkbox each.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct SystemForm {
    owner_org_id: String,
    operator_org_id: String,
    name: String,
    purpose: String,
    security_provider: String,
    connectivity_provider: String,
    security_level: String,
    level_status: String,
    approval_decision_no: String,
    approval_date: String,
    service_web: Option<String>,
    service_mail: Option<String>,
    service_database: Option<String>,
    service_other: Option<String>,
    os: String,
    os_version: String,
    software: String,
    ips: String,
    domains: String,
    hostnames: String,
}

/// Items of a textarea: one per line, commas, semicolons or spaces also separate.
fn items(s: &str) -> Vec<String> {
    s.split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

impl SystemForm {
    fn from_system(s: &System) -> Self {
        let d = &s.details;
        let f = d.fields();
        let has = |x: Service| d.services.contains(&x).then(|| "on".to_string());
        SystemForm {
            owner_org_id: s.owner.id.to_string(),
            operator_org_id: s
                .operator
                .as_ref()
                .map(|o| o.id.to_string())
                .unwrap_or_default(),
            name: f.name,
            purpose: f.purpose,
            security_provider: f.security_provider,
            connectivity_provider: f.connectivity_provider,
            security_level: d.security_level.map(|l| l.to_string()).unwrap_or_default(),
            level_status: f.level_status,
            approval_decision_no: f.approval_decision_no,
            approval_date: f.approval_date,
            service_web: has(Service::Web),
            service_mail: has(Service::Mail),
            service_database: has(Service::Database),
            service_other: has(Service::Other),
            os: f.os,
            os_version: f.os_version,
            software: d
                .software
                .iter()
                .map(|x| x.to_item().replace('|', " | "))
                .collect::<Vec<_>>()
                .join("\n"),
            ips: d.ips.join("\n"),
            domains: d.domains.join("\n"),
            hostnames: d.hostnames.join("\n"),
        }
    }

    /// The typed fields, with the errors of lines that cannot even be read (a software line
    /// of more than four parts, a level that is not a number).
    fn fields(&self) -> (SystemFields, Vec<FieldError>) {
        let mut errors = Vec::new();
        let security_level = match self.security_level.trim() {
            "" => None,
            l => match l.parse() {
                Ok(n) => Some(n),
                Err(_) => {
                    errors.push(FieldError::new("security_level", "err.security_level"));
                    None
                }
            },
        };
        let mut software = Vec::new();
        for (i, line) in self
            .software
            .lines()
            .filter(|l| !l.trim().is_empty())
            .enumerate()
        {
            match parse_software_item(line) {
                Ok(s) => software.push(s),
                Err(code) => {
                    errors.push(FieldError::new(&format!("software[{i}]"), code));
                    software.push(SoftwareFields {
                        product: line.trim().to_string(),
                        ..Default::default()
                    });
                }
            }
        }
        let services = [
            (&self.service_web, Service::Web),
            (&self.service_mail, Service::Mail),
            (&self.service_database, Service::Database),
            (&self.service_other, Service::Other),
        ]
        .into_iter()
        .filter(|(v, _)| v.is_some())
        .map(|(_, s)| s.as_str().to_string())
        .collect();
        let fields = SystemFields {
            name: self.name.clone(),
            purpose: self.purpose.clone(),
            security_provider: self.security_provider.clone(),
            connectivity_provider: self.connectivity_provider.clone(),
            security_level,
            level_status: self.level_status.clone(),
            approval_decision_no: self.approval_decision_no.clone(),
            approval_date: self.approval_date.clone(),
            services,
            os: self.os.clone(),
            os_version: self.os_version.clone(),
            software,
            ips: items(&self.ips),
            domains: items(&self.domains),
            hostnames: items(&self.hostnames),
        };
        (fields, errors)
    }
}

/// Field errors for the form: an item's error goes under its list, quoting the item.
fn form_errors(c: &Ctx, errors: &[FieldError], fields: &SystemFields) -> Vec<(String, String)> {
    errors
        .iter()
        .map(|e| {
            let msg = c.t(e.code);
            match e.field.split_once('[') {
                Some((base, _)) => {
                    let msg = match fields.value_of(&e.field) {
                        Some(v) => format!("«{v}»: {msg}"),
                        None => msg.to_string(),
                    };
                    (base.to_string(), msg)
                }
                None => (e.field.clone(), msg.to_string()),
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "systems_form.html")]
struct FormPage<'a> {
    c: &'a Ctx,
    is_new: bool,
    action: String,
    cancel: String,
    f: SystemForm,
    owners: Vec<(String, String)>,
    operators: Vec<(String, String)>,
    levels: Vec<(String, String)>,
    statuses: Vec<(&'static str, &'static str)>,
    errors: Vec<(String, String)>,
}

#[allow(clippy::too_many_arguments)]
async fn form_page(
    st: &State,
    ctx: &Ctx,
    id: Option<Uuid>,
    current: Option<&System>,
    f: SystemForm,
    errors: Vec<(String, String)>,
    status: StatusCode,
) -> Response {
    let actor = ctx.actor();
    let (owners, operators) = match (
        systems::owner_choices(&st.core, &actor).await,
        systems::operator_choices(&st.core, &actor).await,
    ) {
        (Ok(o), Ok(p)) => (o, p),
        (Err(e), _) | (_, Err(e)) => return crate::error::core_page(ctx, e),
    };
    if owners.is_empty() {
        return crate::error::page(ctx, StatusCode::FORBIDDEN);
    }
    let pairs = |v: Vec<Org>| -> Vec<(String, String)> {
        v.into_iter().map(|o| (o.id.to_string(), o.name)).collect()
    };
    let mut operators = pairs(operators);
    // An operator set by someone who sees more stays selectable, so saving keeps it.
    if let Some(op) = current.and_then(|s| s.operator.as_ref())
        && !operators.iter().any(|(id, _)| *id == op.id.to_string())
    {
        operators.push((op.id.to_string(), op.name.clone()));
    }
    let (action, cancel) = match id {
        Some(id) => (format!("/systems/{id}/edit"), format!("/systems/{id}")),
        None => ("/systems".to_string(), "/systems".to_string()),
    };
    let page = FormPage {
        c: ctx,
        is_new: id.is_none(),
        action,
        cancel,
        f,
        owners: pairs(owners),
        operators,
        levels: levels(ctx),
        statuses: LevelStatus::ALL
            .into_iter()
            .map(|s| (s.as_str(), ctx.t(s.label_key())))
            .collect(),
        errors,
    };
    let mut r = render(ctx, page);
    *r.status_mut() = status;
    r
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NewQuery {
    owner: String,
}

async fn new_form(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    Query(q): Query<NewQuery>,
) -> Response {
    let f = SystemForm {
        owner_org_id: q.owner,
        ..Default::default()
    };
    form_page(&st, &ctx, None, None, f, vec![], StatusCode::OK).await
}

fn opt_id(field: &str, s: &str) -> Result<Option<Uuid>, FieldError> {
    match s.trim() {
        "" => Ok(None),
        v => Uuid::parse_str(v)
            .map(Some)
            .map_err(|_| FieldError::new(field, "err.uuid")),
    }
}

/// Reads the form, or the errors to show (lines that cannot be read, with everything the rules
/// would also say, so the person sees all problems at once).
fn read_form(
    f: &SystemForm,
) -> Result<(SystemFields, Option<Uuid>, Option<Uuid>), Vec<FieldError>> {
    let (fields, mut errors) = f.fields();
    let owner = opt_id("owner_org_id", &f.owner_org_id).map_err(|e| vec![e]);
    let operator = opt_id("operator_org_id", &f.operator_org_id).map_err(|e| vec![e]);
    match (owner, operator) {
        (Ok(o), Ok(p)) if errors.is_empty() => Ok((fields, o, p)),
        (o, p) => {
            errors.extend(o.err().unwrap_or_default());
            errors.extend(p.err().unwrap_or_default());
            errors.extend(
                validate(&fields, today_in_vietnam())
                    .err()
                    .unwrap_or_default(),
            );
            Err(errors)
        }
    }
}

async fn create(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    CsrfForm(f): CsrfForm<SystemForm>,
) -> Response {
    let (fields, owner, operator) = match read_form(&f) {
        Ok(x) => x,
        Err(errs) => {
            let errs = form_errors(&ctx, &errs, &f.fields().0);
            return form_page(
                &st,
                &ctx,
                None,
                None,
                f,
                errs,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let new = NewSystem {
        owner_org_id: owner,
        operator_org_id: operator,
        fields: fields.clone(),
    };
    match systems::create(&st.core, &ctx.actor(), new).await {
        Ok(s) => redirect_with_flash(&ctx, &format!("/systems/{}", s.id), "flash.system_created"),
        Err(CoreError::Invalid(errs)) => {
            let errs = form_errors(&ctx, &errs, &fields);
            form_page(
                &st,
                &ctx,
                None,
                None,
                f,
                errs,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => crate::error::core_page(&ctx, e),
    }
}

async fn editable(st: &State, ctx: &Ctx, id: Uuid) -> Result<System, Response> {
    let actor = ctx.actor();
    let s = systems::get(&st.core, &actor, id)
        .await
        .map_err(|e| crate::error::core_page(ctx, e))?;
    if !systems::may(&actor, Action::SystemManage, s.owner.id) {
        return Err(crate::error::page(ctx, StatusCode::FORBIDDEN));
    }
    Ok(s)
}

async fn edit_form(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    Path(id): Path<Uuid>,
) -> Response {
    let s = match editable(&st, &ctx, id).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let f = SystemForm::from_system(&s);
    form_page(&st, &ctx, Some(id), Some(&s), f, vec![], StatusCode::OK).await
}

async fn update(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    Path(id): Path<Uuid>,
    CsrfForm(f): CsrfForm<SystemForm>,
) -> Response {
    let current = match systems::get(&st.core, &ctx.actor(), id).await {
        Ok(s) => s,
        Err(e) => return crate::error::core_page(&ctx, e),
    };
    let (fields, owner, operator) = match read_form(&f) {
        Ok(x) => x,
        Err(errs) => {
            let errs = form_errors(&ctx, &errs, &f.fields().0);
            return form_page(
                &st,
                &ctx,
                Some(id),
                Some(&current),
                f,
                errs,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let ch = SystemChanges {
        owner_org_id: owner,
        operator_org_id: Some(operator),
        name: Some(fields.name.clone()),
        purpose: Some(fields.purpose.clone()),
        security_provider: Some(fields.security_provider.clone()),
        connectivity_provider: Some(fields.connectivity_provider.clone()),
        security_level: Some(fields.security_level),
        level_status: Some(fields.level_status.clone()),
        approval_decision_no: Some(fields.approval_decision_no.clone()),
        approval_date: Some(fields.approval_date.clone()),
        services: Some(fields.services.clone()),
        os: Some(fields.os.clone()),
        os_version: Some(fields.os_version.clone()),
        software: Some(fields.software.clone()),
        ips: Some(fields.ips.clone()),
        domains: Some(fields.domains.clone()),
        hostnames: Some(fields.hostnames.clone()),
    };
    match systems::update(&st.core, &ctx.actor(), id, ch).await {
        Ok(s) => redirect_with_flash(&ctx, &format!("/systems/{}", s.id), "flash.saved"),
        Err(CoreError::Invalid(errs)) => {
            let errs = form_errors(&ctx, &errs, &fields);
            form_page(
                &st,
                &ctx,
                Some(id),
                Some(&current),
                f,
                errs,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => crate::error::core_page(&ctx, e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ConfirmForm {
    confirm: Option<String>,
}

async fn delete(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    Path(id): Path<Uuid>,
    CsrfForm(f): CsrfForm<ConfirmForm>,
) -> Response {
    if f.confirm.as_deref() != Some("yes") {
        return crate::error::page(&ctx, StatusCode::BAD_REQUEST);
    }
    match systems::delete(&st.core, &ctx.actor(), id).await {
        Ok(()) => redirect_with_flash(&ctx, "/systems", "flash.system_deleted"),
        Err(e) => crate::error::core_page(&ctx, e),
    }
}

/// One problem of the import report, ready to show.
struct Issue {
    line: String,
    column: String,
    message: &'static str,
    value: String,
}

/// The dry-run report, ready to show.
struct ReportView {
    encoding: String,
    rows: usize,
    sha256: String,
    issues: Vec<Issue>,
    /// The checked bytes, for the confirmation, when there was no problem.
    content: Option<String>,
    ready: String,
}

/// `ips[2]` → "ips, mục thứ 3"; `software[0].cpe` → "software, mục thứ 1 (cpe)".
fn column_label(c: &Ctx, field: &str) -> String {
    let Some((base, rest)) = field.split_once('[') else {
        return field.to_string();
    };
    let (index, sub) = rest.split_once(']').unwrap_or((rest, ""));
    let n = index
        .parse::<usize>()
        .map(|i| (i + 1).to_string())
        .unwrap_or_else(|_| index.to_string());
    let item = c.tf("import.item", &[("field", base), ("n", &n)]);
    match sub.trim_start_matches('.') {
        "" => item,
        sub => format!("{item} ({sub})"),
    }
}

fn report_view(c: &Ctx, r: &ImportReport, bytes: &[u8]) -> ReportView {
    let count = r.rows.to_string();
    ReportView {
        encoding: r.encoding.unwrap_or("").to_string(),
        rows: r.rows,
        sha256: r.content_sha256.clone(),
        issues: r
            .issues
            .iter()
            .map(|i| Issue {
                line: i
                    .line
                    .map(|l| l.to_string())
                    .unwrap_or_else(|| c.t("import.whole_file").to_string()),
                column: i
                    .field
                    .as_deref()
                    .map(|f| column_label(c, f))
                    .unwrap_or_default(),
                message: c.t(i.code),
                value: i.value.clone().unwrap_or_default(),
            })
            .collect(),
        content: r
            .is_ok()
            .then(|| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)),
        ready: c.tf("import.ready", &[("n", &count)]),
    }
}

#[derive(Template)]
#[template(path = "systems_import.html")]
struct ImportPage<'a> {
    c: &'a Ctx,
    help: String,
    report: Option<ReportView>,
}

fn import_page(ctx: &Ctx, report: Option<ReportView>, status: StatusCode) -> Response {
    if !ctx
        .auth
        .as_ref()
        .is_some_and(|a| a.principal.can_somewhere(Action::SystemManage))
    {
        return crate::error::page(ctx, StatusCode::FORBIDDEN);
    }
    let help = ctx.tf("import.help", &[("columns", &CSV_COLUMNS.join(", "))]);
    let mut r = render(
        ctx,
        ImportPage {
            c: ctx,
            help,
            report,
        },
    );
    *r.status_mut() = status;
    r
}

async fn import_form(SignedIn(ctx): SignedIn) -> Response {
    import_page(&ctx, None, StatusCode::OK)
}

/// Reads the upload: the CSRF token, the file and the pasted text. A broken or oversized body
/// answers with its status and nothing is read further.
async fn read_upload(ctx: &Ctx, mut mp: Multipart) -> Result<Vec<u8>, Response> {
    let mut csrf_ok = false;
    let mut file: Vec<u8> = Vec::new();
    let mut pasted = String::new();
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Err(crate::error::page(ctx, e.status())),
        };
        let name = field.name().unwrap_or("").to_string();
        match name.as_str() {
            "_csrf" => {
                let v = field.text().await.unwrap_or_default();
                let expected = ctx.csrf();
                csrf_ok =
                    !expected.is_empty() && ungcuu_core::secrets::constant_time_eq(&v, expected);
            }
            "file" => match field.bytes().await {
                Ok(b) => file = b.to_vec(),
                Err(e) => return Err(crate::error::page(ctx, e.status())),
            },
            "paste" => match field.text().await {
                Ok(t) => pasted = t,
                Err(e) => return Err(crate::error::page(ctx, e.status())),
            },
            _ => {}
        }
    }
    if !csrf_ok {
        tracing::warn!(request_id = %ctx.request_id, "CSRF token missing or wrong");
        return Err(crate::error::page(ctx, StatusCode::BAD_REQUEST));
    }
    Ok(if file.is_empty() {
        pasted.into_bytes()
    } else {
        file
    })
}

async fn import_check(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    mp: Multipart,
) -> Response {
    let bytes = match read_upload(&ctx, mp).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    match systems::import_csv(&st.core, &ctx.actor(), &bytes, true).await {
        Ok(r) => {
            let status = if r.is_ok() {
                StatusCode::OK
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            import_page(&ctx, Some(report_view(&ctx, &r, &bytes)), status)
        }
        Err(e) => crate::error::core_page(&ctx, e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ConfirmImport {
    content: String,
    confirm: Option<String>,
}

async fn import_confirm(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    CsrfForm(f): CsrfForm<ConfirmImport>,
) -> Response {
    if f.confirm.as_deref() != Some("yes") {
        return crate::error::page(&ctx, StatusCode::BAD_REQUEST);
    }
    let Ok(bytes) = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(f.content.trim())
    else {
        return crate::error::page(&ctx, StatusCode::BAD_REQUEST);
    };
    match systems::import_csv(&st.core, &ctx.actor(), &bytes, false).await {
        Ok(r) if r.is_ok() => redirect_with_flash(&ctx, "/systems", "flash.systems_imported"),
        Ok(r) => import_page(
            &ctx,
            Some(report_view(&ctx, &r, &bytes)),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(e) => crate::error::core_page(&ctx, e),
    }
}
