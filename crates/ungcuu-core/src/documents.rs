//! Legal documents generated from the data (legal spec §2, issue 6): Mẫu 03 from an incident's
//! intake report, Mẫu 04 from the incident and its review citing the issued Mẫu 03, Mẫu 05 for a
//! period from the province's incidents. A draft is edited as a whole form; issuing checks the
//! mandatory (*) fields (listing every empty one), takes the next number of the issuing
//! organisation's register for the year, renders the PDF and DOCX once, keeps the exact bytes in
//! the blob store and their SHA-256 in the row and the audit event, and freezes the document. A
//! change after that is a new version, a new draft that `supersedes` the issued one.
//!
//! Documents of an incident are read by whoever reads the incident and written by whoever may
//! handle or coordinate it (checked on the incident's owner). Mẫu 05 covers the whole province,
//! so it is written by province-wide coordinators and read by those who may coordinate or read
//! incidents of its issuing organisation.

use crate::audit::denied;
use crate::{Actor, Core, CoreError, Result};
use serde_json::json;
use std::sync::OnceLock;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time};
use ungcuu_domain::incident::{IncidentState, IncidentType as DomainType};
use ungcuu_domain::permissions::{Action, Visibility};
use ungcuu_domain::timefmt::{VIETNAM, now};
use ungcuu_domain::validate::FieldError;
use ungcuu_reports::model::{
    AffectedSystem, ContactPerson, DateTimeVn, DateVn, Detection, DocumentHeader,
    EnclosedInformation, IncidentStatus, IncidentType as FormType, MAU05_ADDRESSEE, Mau03, Mau04,
    Mau05, NotifiedParties, Period, PeriodKind, Reporter, SecurityMeasures, Services, TypeCounts,
};
use ungcuu_reports::{PdfRenderer, docx};
use ungcuu_store::documents::{self as store, Document, DocumentFilter, Issue};
use ungcuu_store::incidents::{self as istore, Incident, IncidentFilter};
use ungcuu_store::{Page, audit, commit, network, orgs};
use uuid::Uuid;

/// The object type of documents in the audit log.
pub const OBJECT: &str = "document";

/// The settings key of the place printed before the date ("Đồng Tháp").
pub const PLACE_KEY: &str = "documents.place";

/// The three forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// Báo cáo ban đầu sự cố.
    Mau03,
    /// Báo cáo kết thúc ứng phó sự cố.
    Mau04,
    /// Báo cáo tổng hợp 06 tháng / 01 năm.
    Mau05,
}

impl Form {
    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Form::Mau03 => "mau03",
            Form::Mau04 => "mau04",
            Form::Mau05 => "mau05",
        }
    }

    /// Parses a code.
    pub fn parse(s: &str) -> Option<Form> {
        match s.trim() {
            "mau03" => Some(Form::Mau03),
            "mau04" => Some(Form::Mau04),
            "mau05" => Some(Form::Mau05),
            _ => None,
        }
    }
}

/// The data of a document, typed by its form.
#[derive(Debug, Clone, PartialEq)]
pub enum FormData {
    /// Mẫu 03 (boxed: it is the largest form).
    Mau03(Box<Mau03>),
    /// Mẫu 04.
    Mau04(Mau04),
    /// Mẫu 05.
    Mau05(Mau05),
}

impl FormData {
    /// Reads a stored or submitted form. Unknown fields are refused (the structs deny them).
    pub fn from_value(form: Form, v: serde_json::Value) -> serde_json::Result<FormData> {
        Ok(match form {
            Form::Mau03 => FormData::Mau03(serde_json::from_value(v)?),
            Form::Mau04 => FormData::Mau04(serde_json::from_value(v)?),
            Form::Mau05 => FormData::Mau05(serde_json::from_value(v)?),
        })
    }

    fn from_doc(d: &Document) -> Result<FormData> {
        let form = Form::parse(&d.form)
            .ok_or_else(|| CoreError::Internal(format!("document {} has no form", d.id)))?;
        let v = serde_json::from_str(&d.data)
            .map_err(|e| CoreError::Internal(format!("stored document data: {e}")))?;
        FormData::from_value(form, v)
            .map_err(|e| CoreError::Internal(format!("stored document data: {e}")))
    }

    /// As JSON.
    pub fn to_value(&self) -> serde_json::Value {
        match self {
            FormData::Mau03(f) => serde_json::to_value(f),
            FormData::Mau04(f) => serde_json::to_value(f),
            FormData::Mau05(f) => serde_json::to_value(f),
        }
        .unwrap_or_default()
    }

    fn header_mut(&mut self) -> &mut DocumentHeader {
        match self {
            FormData::Mau03(f) => &mut f.header,
            FormData::Mau04(f) => &mut f.header,
            FormData::Mau05(f) => &mut f.header,
        }
    }

    /// The header.
    pub fn header(&self) -> &DocumentHeader {
        match self {
            FormData::Mau03(f) => &f.header,
            FormData::Mau04(f) => &f.header,
            FormData::Mau05(f) => &f.header,
        }
    }

    /// Every empty or invalid mandatory field, by its path.
    pub fn missing(&self) -> Vec<String> {
        match self {
            FormData::Mau03(f) => f.validate(),
            FormData::Mau04(f) => f.validate(),
            FormData::Mau05(f) => f.validate(),
        }
    }

    /// Mẫu 05's period as months since year 0 (first, last).
    fn months(&self) -> (Option<i64>, Option<i64>) {
        match self {
            FormData::Mau05(f) => (
                Some(i64::from(f.period.from_year) * 12 + i64::from(f.period.from_month) - 1),
                Some(i64::from(f.period.to_year) * 12 + i64::from(f.period.to_month) - 1),
            ),
            _ => (None, None),
        }
    }
}

/// A document with its typed data and what the actor may do with it.
#[derive(Debug, Clone)]
pub struct DocumentView {
    /// The row.
    pub document: Document,
    /// Its data.
    pub data: FormData,
    /// May edit, issue, make a new version.
    pub can_write: bool,
}

/// What a new draft is made from.
#[derive(Debug, Clone, Default)]
pub struct NewDocument {
    /// `mau03`, `mau04` or `mau05`.
    pub form: String,
    /// The incident (Mẫu 03 and 04).
    pub incident_id: Option<Uuid>,
    /// The issuing organisation of a Mẫu 05 (a coordinator organisation).
    pub org_id: Option<Uuid>,
    /// Mẫu 05: `six_months` or `annual`.
    pub period_kind: String,
    /// Mẫu 05: first month, `YYYY-MM`.
    pub period_from: String,
    /// Mẫu 05: last month, `YYYY-MM`.
    pub period_to: String,
}

/// A rendered file.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// A file name built here (never from input).
    pub file_name: String,
    /// `application/pdf` or the DOCX type.
    pub media_type: &'static str,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// The media type of DOCX.
pub const DOCX_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

fn may(actor: &Actor, action: Action, org: Uuid) -> bool {
    actor.principal.as_ref().is_none_or(|p| p.can(action, org))
}

fn everywhere(actor: &Actor, action: Action) -> bool {
    actor
        .principal
        .as_ref()
        .is_none_or(|p| p.can_everywhere(action))
}

fn renderer() -> &'static PdfRenderer {
    static R: OnceLock<PdfRenderer> = OnceLock::new();
    R.get_or_init(PdfRenderer::new)
}

/// Renders the PDF and the DOCX of `data` (off the async threads: typst is CPU-bound).
pub async fn render(data: &FormData) -> Result<(Vec<u8>, Vec<u8>)> {
    let data = data.clone();
    tokio::task::spawn_blocking(move || {
        let r = renderer();
        let out = match &data {
            FormData::Mau03(f) => r.mau03(f).and_then(|p| Ok((p, docx::mau03(f)?))),
            FormData::Mau04(f) => r.mau04(f).and_then(|p| Ok((p, docx::mau04(f)?))),
            FormData::Mau05(f) => r.mau05(f).and_then(|p| Ok((p, docx::mau05(f)?))),
        };
        out.map_err(|e| CoreError::Internal(format!("rendering a document: {e}")))
    })
    .await
    .map_err(|e| CoreError::Internal(format!("rendering task: {e}")))?
}

fn vn_date(t: OffsetDateTime) -> DateVn {
    let d = t.to_offset(VIETNAM);
    DateVn::new(
        d.day(),
        d.month() as u8,
        u16::try_from(d.year()).unwrap_or(0),
    )
}

fn vn_time(t: OffsetDateTime) -> DateTimeVn {
    let d = t.to_offset(VIETNAM);
    DateTimeVn {
        date: vn_date(t),
        hour: d.hour(),
        minute: d.minute(),
    }
}

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

fn has(list: &[String], code: &str) -> bool {
    list.iter().any(|c| c == code)
}

/// The symbol part of a number: the ASCII capitals and digits of the organisation's short name
/// (or slug), without tone marks ("Sở TT&TT" → "STTTT").
fn org_symbol(o: &orgs::Org) -> String {
    // The capitals (and digits) of the short name, tone marks removed; else the slug.
    let capitals: String = o
        .short_name
        .as_deref()
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_uppercase() || c.is_ascii_digit())
        .flat_map(|c| {
            ungcuu_domain::text::fold(&c.to_string())
                .to_uppercase()
                .chars()
                .collect::<Vec<_>>()
        })
        .filter(char::is_ascii_alphanumeric)
        .collect();
    if !capitals.is_empty() {
        return capitals;
    }
    let s: String = ungcuu_domain::text::fold(&o.slug)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if s.is_empty() { "ORG".into() } else { s }
}

/// The header of a new draft from the organisation's profile and the settings.
async fn header_for(core: &Core, org: &orgs::Org, title: &str) -> Result<DocumentHeader> {
    let mut c = core.db.conn().await?;
    let profile = network::profile(&mut c, org.id).await?.unwrap_or_default();
    let place = ungcuu_store::settings::get(&mut c, PLACE_KEY)
        .await?
        .unwrap_or_default();
    Ok(DocumentHeader {
        owning_body: opt(&profile.owning_body).to_uppercase(),
        issuing_org: org.name.to_uppercase(),
        number: String::new(),
        place,
        date: None,
        title: title.to_string(),
        recipients: vec!["Như trên;".into(), "Lưu: VT.".into()],
        signer_title: opt(&profile.leader_title).to_uppercase(),
        signer_name: opt(&profile.leader_name),
    })
}

fn reporter_of(i: &Incident) -> Reporter {
    Reporter {
        name: i.report.reporter_name.clone(),
        address: i.report.reporter_address.clone(),
        phone: i.report.reporter_phone.clone(),
        email: i.report.reporter_email.clone(),
    }
}

fn system_of(i: &Incident) -> AffectedSystem {
    let r = &i.report;
    AffectedSystem {
        operator: r.operator_name.clone(),
        owner: opt(&r.owner_body),
        system_name: i.system_name.clone().unwrap_or_default(),
        security_level: r.system_level.and_then(|l| u8::try_from(l).ok()),
        security_provider: opt(&r.security_provider),
        connectivity_provider: opt(&r.connectivity_provider),
    }
}

/// Mẫu 03 from the incident's intake report.
pub fn mau03_from(i: &Incident, header: DocumentHeader) -> Mau03 {
    let r = &i.report;
    Mau03 {
        header,
        reporter: reporter_of(i),
        contact: ContactPerson {
            full_name: r.contact_name.clone(),
            position: opt(&r.contact_title),
            phone: r.contact_phone.clone(),
            email: r.contact_email.clone(),
        },
        system: system_of(i),
        description: i.description.clone(),
        detected_at: Some(vn_time(i.discovered_at)),
        status: match r.handling_status.as_str() {
            "handled" => Some(IncidentStatus::Handled),
            "not_handled" => Some(IncidentStatus::NotHandled),
            _ => None,
        },
        detection: Detection {
            ids: has(&r.detection_methods, "ids"),
            log_review: has(&r.detection_methods, "log_review"),
            notified_by: opt(&r.detection_notified_by),
            other: opt(&r.detection_other),
        },
        notified: NotifiedParties {
            network_member: has(&r.notified, "network_member"),
            isp: has(&r.notified, "isp"),
            coordinator: has(&r.notified, "coordinator"),
        },
        operating_system: opt(&r.os_name),
        os_version: opt(&r.os_version),
        services: Services {
            web_server: has(&r.services, "web"),
            mail_server: has(&r.services, "mail"),
            database_server: has(&r.services, "database"),
            other: opt(&r.services_other),
        },
        measures: SecurityMeasures {
            antivirus: has(&r.measures, "antivirus"),
            firewall: has(&r.measures, "firewall"),
            ids: has(&r.measures, "ids"),
            other: opt(&r.measures_other),
        },
        ip_addresses: r.ips.clone(),
        domains: r.domains.clone(),
        purpose: opt(&r.system_purpose),
        enclosed: EnclosedInformation {
            system_logs: has(&r.attachments, "system_logs"),
            malware_sample: has(&r.attachments, "malware_sample"),
            other: opt(&r.attachments_other),
        },
        confidential: Some(r.confidential),
        proposals: opt(&r.requests),
        reported_at: Some(vn_time(i.reported_at)),
    }
}

/// Mẫu 04 from the incident, its review and its issued Mẫu 03 (number and date), if any.
pub fn mau04_from(i: &Incident, header: DocumentHeader, initial: Option<&Document>) -> Mau04 {
    let mut lines: Vec<String> = Vec::new();
    if let Some(r) = &i.review {
        lines.push(format!("Nguyên nhân: {}", r.root_cause));
        lines.push(format!("Bài học kinh nghiệm: {}", r.lessons));
        lines.push(format!("Biện pháp bổ sung: {}", r.measures));
    }
    // Who helped and the damage, when recorded: the "cách thức giải quyết" the form asks for.
    if let Some(o) = &i.outcome {
        let mut helpers: Vec<String> = o.domestic_helpers.clone();
        helpers.extend(
            o.foreign_helpers
                .iter()
                .map(|n| format!("{n} (nước ngoài)")),
        );
        if o.national_coordinator_helped {
            helpers.push(format!("{MAU05_ADDRESSEE} (VNCERT/CC)"));
        }
        lines.push(if helpers.is_empty() {
            "Sự cố do đơn vị tự xử lý.".into()
        } else {
            format!("Tổ chức hỗ trợ xử lý: {}.", helpers.join("; "))
        });
        if let Some(d) = o.estimated_damage_vnd.and_then(|d| u64::try_from(d).ok()) {
            lines.push(format!(
                "Thiệt hại ước tính: {}.",
                ungcuu_reports::model::format_vnd(d)
            ));
        }
    }
    let result = lines.join("\n");
    Mau04 {
        header,
        reporter: reporter_of(i),
        initial_report_number: initial.and_then(|d| d.number.clone()).unwrap_or_default(),
        initial_report_date: initial.and_then(|d| d.issued_at).map(vn_date),
        system: system_of(i),
        description: i.description.clone(),
        detected_at: Some(vn_time(i.discovered_at)),
        result,
        attachments: Vec::new(),
    }
}

fn form_type(t: DomainType) -> FormType {
    match t {
        DomainType::Dos => FormType::Dos,
        DomainType::Spoof => FormType::Spoof,
        DomainType::Malware => FormType::Malware,
        DomainType::Intrusion => FormType::Intrusion,
        DomainType::Deface => FormType::Deface,
        DomainType::Encrypt => FormType::Encrypt,
        DomainType::Destroy => FormType::Destroy,
        DomainType::Espionage => FormType::Espionage,
        DomainType::Combined => FormType::Combined,
        DomainType::Other => FormType::Other,
    }
}

/// What Mẫu 05 sums from the incidents of its period: table 1 and the lists of helpers.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// One row per incident type, in the form's order.
    pub rows: Vec<TypeCounts>,
    /// "Danh sách các tổ chức hỗ trợ xử lý sự cố": every domestic helper once, in the order
    /// first met.
    pub domestic_helpers: Vec<String>,
    /// "Danh sách các tổ chức nước ngoài hỗ trợ xử lý sự cố".
    pub foreign_helpers: Vec<String>,
    /// Incidents counted without a recorded outcome (who helped, damage): the coordinator
    /// should complete them before issuing.
    pub without_outcome: u32,
}

fn add_once(list: &mut Vec<String>, names: &[String]) {
    for n in names {
        if !list.iter().any(|x| x.to_lowercase() == n.to_lowercase()) {
            list.push(n.clone());
        }
    }
}

/// Table 1 and the helper lists of Mẫu 05 from incidents. Each incident counts once in its
/// type's row; by its recorded outcome it counts as self-handled (nobody helped) or in each
/// help column that applies (domestic, foreign, the national coordinator: an incident helped
/// by both a domestic and a foreign organisation counts in both), and its damage adds to the
/// row's estimate. An incident without a recorded outcome counts as helped by the national
/// coordinator when it needed outside resources and as self-handled otherwise, and is counted
/// in `without_outcome`. Rejected, duplicate and merged reports are not incidents and are left
/// out; an unclassified incident counts as "other".
pub fn summarise(incidents: &[Incident]) -> Summary {
    let mut rows: Vec<TypeCounts> = FormType::ALL.iter().map(|&t| TypeCounts::zero(t)).collect();
    let mut domestic_helpers = Vec::new();
    let mut foreign_helpers = Vec::new();
    let mut without_outcome = 0;
    for i in incidents {
        if matches!(
            i.state,
            IncidentState::Rejected | IncidentState::Duplicate | IncidentState::Merged
        ) {
            continue;
        }
        let t = i.incident_type.map_or(FormType::Other, form_type);
        let Some(row) = rows.iter_mut().find(|r| r.incident_type == t) else {
            continue;
        };
        row.count += 1;
        match &i.outcome {
            Some(o) => {
                if o.self_handled() {
                    row.self_handled += 1;
                }
                if !o.domestic_helpers.is_empty() {
                    row.domestic_help += 1;
                }
                if !o.foreign_helpers.is_empty() {
                    row.foreign_help += 1;
                }
                if o.national_coordinator_helped {
                    row.coordinator_help += 1;
                }
                if let Some(d) = o.estimated_damage_vnd.and_then(|d| u64::try_from(d).ok()) {
                    row.estimated_damage_vnd =
                        Some(row.estimated_damage_vnd.unwrap_or(0).saturating_add(d));
                }
                add_once(&mut domestic_helpers, &o.domestic_helpers);
                add_once(&mut foreign_helpers, &o.foreign_helpers);
            }
            None => {
                without_outcome += 1;
                if i.impact.external_resources_needed {
                    row.coordinator_help += 1;
                } else {
                    row.self_handled += 1;
                }
            }
        }
    }
    Summary {
        rows,
        domestic_helpers,
        foreign_helpers,
        without_outcome,
    }
}

/// Reads `YYYY-MM`.
fn month(s: &str) -> Option<(u16, u8)> {
    let (y, m) = s.trim().split_once('-')?;
    let y: u16 = y.parse().ok()?;
    let m: u8 = m.parse().ok()?;
    ((1900..=9999).contains(&y) && (1..=12).contains(&m)).then_some((y, m))
}

fn month_start(y: u16, m: u8) -> Option<OffsetDateTime> {
    let d = Date::from_calendar_date(i32::from(y), Month::try_from(m).ok()?, 1).ok()?;
    Some(PrimitiveDateTime::new(d, Time::MIDNIGHT).assume_offset(VIETNAM))
}

/// Every incident of the province discovered in the months `from..=to` (year, month).
async fn incidents_in(core: &Core, from: (u16, u8), to: (u16, u8)) -> Result<Vec<Incident>> {
    let start = month_start(from.0, from.1);
    let end = if to.1 == 12 {
        month_start(to.0 + 1, 1)
    } else {
        month_start(to.0, to.1 + 1)
    };
    let mut c = core.db.conn().await?;
    let f = IncidentFilter {
        from: start,
        until: end,
        ..Default::default()
    };
    let mut out = Vec::new();
    let mut after = None;
    loop {
        let page = istore::list(&mut c, &f, after, 200).await?;
        out.extend(page.items);
        match page.next.and_then(|n| Uuid::parse_str(&n).ok()) {
            Some(n) => after = Some(n),
            None => return Ok(out),
        }
    }
}

/// What the incidents of a Mẫu 05's period sum to now (none for other forms): the page of a
/// draft shows how many were counted without a recorded outcome, so they can be completed
/// before issuing.
pub async fn period_summary(core: &Core, v: &DocumentView) -> Result<Option<Summary>> {
    let FormData::Mau05(f) = &v.data else {
        return Ok(None);
    };
    let p = f.period;
    if !p.is_valid() {
        return Ok(None);
    }
    let incidents =
        incidents_in(core, (p.from_year, p.from_month), (p.to_year, p.to_month)).await?;
    Ok(Some(summarise(&incidents)))
}

async fn load(core: &Core, id: Uuid) -> Result<Document> {
    let mut c = core.db.conn().await?;
    store::get(&mut c, id).await?.ok_or(CoreError::NotFound)
}

/// Authorises reading `d` (refusals audited, answered as missing); gives whether the actor may
/// also write it.
async fn authorise(core: &Core, actor: &Actor, d: &Document, write: bool) -> Result<bool> {
    let (readable, writable) = match d.incident_id {
        Some(incident) => {
            // Reading goes through the incident (its owner or a grant), which audits refusals.
            let i = crate::incidents::get(core, actor, incident).await?;
            let w = may(actor, Action::IncidentHandle, i.owner.id)
                || may(actor, Action::IncidentCoordinate, i.owner.id);
            (true, w)
        }
        None => {
            let r = may(actor, Action::IncidentCoordinate, d.org_id)
                || may(actor, Action::IncidentRead, d.org_id);
            (r, everywhere(actor, Action::IncidentCoordinate))
        }
    };
    if !readable {
        return Err(denied(
            core,
            actor,
            Action::IncidentRead,
            OBJECT,
            Some(d.id.to_string()),
            Some(d.org_id),
            CoreError::NotFound,
        )
        .await);
    }
    if write && !writable {
        let action = if d.incident_id.is_some() {
            Action::IncidentHandle
        } else {
            Action::IncidentCoordinate
        };
        return Err(denied(
            core,
            actor,
            action,
            OBJECT,
            Some(d.id.to_string()),
            Some(d.org_id),
            CoreError::ForbiddenWith("document.err.cannot_write"),
        )
        .await);
    }
    Ok(writable)
}

/// Every string of a submitted form trimmed and in NFC, as all text is stored (the page's form
/// does it too; an API client may send decomposed tone marks).
fn nfc_strings(v: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::String(s) => Value::String(ungcuu_domain::text::nfc(&s)),
        Value::Array(a) => Value::Array(a.into_iter().map(nfc_strings).collect()),
        Value::Object(o) => {
            Value::Object(o.into_iter().map(|(k, v)| (k, nfc_strings(v))).collect())
        }
        other => other,
    }
}

/// Refuses (audited) an actor who may read `d` but not write it.
pub async fn require_write(core: &Core, actor: &Actor, d: &Document) -> Result<()> {
    authorise(core, actor, d, true).await.map(|_| ())
}

/// One document the actor may read.
pub async fn get(core: &Core, actor: &Actor, id: Uuid) -> Result<DocumentView> {
    let document = load(core, id).await?;
    let can_write = authorise(core, actor, &document, false).await?;
    Ok(DocumentView {
        data: FormData::from_doc(&document)?,
        document,
        can_write,
    })
}

/// A page of the documents the actor may read, newest first.
pub async fn list(
    core: &Core,
    actor: &Actor,
    mut filter: DocumentFilter,
    after: Option<Uuid>,
    limit: Option<i64>,
) -> Result<Page<Document>> {
    if let Some(i) = filter.incident {
        // The incident's documents: readable with the incident.
        crate::incidents::get(core, actor, i).await?;
    } else if let Some(p) = &actor.principal {
        let mut reach: Vec<Uuid> = Vec::new();
        let mut all = false;
        for a in [Action::IncidentRead, Action::IncidentCoordinate] {
            match p.visibility(a) {
                Visibility::All => all = true,
                Visibility::Orgs(s) => reach.extend(s),
                Visibility::Nothing => {}
            }
        }
        if !all {
            filter.orgs_within = Some(reach);
            let mut c = core.db.conn().await?;
            filter.or_incidents = ungcuu_store::grants::granted_ids(
                &mut c,
                crate::incidents::OBJECT,
                p.user_id,
                &p.org_ids(),
                false,
            )
            .await?;
        }
    }
    let mut c = core.db.conn().await?;
    Ok(store::list(&mut c, &filter, after, ungcuu_store::page_limit(limit)).await?)
}

/// Creates a draft from the data: Mẫu 03 or 04 from an incident, Mẫu 05 for a period from the
/// province's incidents.
pub async fn create(core: &Core, actor: &Actor, new: NewDocument) -> Result<DocumentView> {
    let Some(form) = Form::parse(&new.form) else {
        return Err(CoreError::field("form", "document.err.form"));
    };
    let t = now();
    let (data, incident_id, org_id) = match form {
        Form::Mau03 | Form::Mau04 => {
            let Some(iid) = new.incident_id else {
                return Err(CoreError::field("incident_id", "err.required"));
            };
            // An unreadable incident answers like a missing one (404), audited by `get`.
            let i = crate::incidents::get(core, actor, iid).await?;
            if !(may(actor, Action::IncidentHandle, i.owner.id)
                || may(actor, Action::IncidentCoordinate, i.owner.id))
            {
                return Err(denied(
                    core,
                    actor,
                    Action::IncidentHandle,
                    crate::incidents::OBJECT,
                    Some(i.id.to_string()),
                    Some(i.owner.id),
                    CoreError::ForbiddenWith("document.err.cannot_write"),
                )
                .await);
            }
            let org = {
                let mut c = core.db.conn().await?;
                orgs::get(&mut c, i.owner.id).await?
            }
            .ok_or(CoreError::NotFound)?;
            let header = header_for(core, &org, &i.title).await?;
            let data = if form == Form::Mau03 {
                FormData::Mau03(Box::new(mau03_from(&i, header)))
            } else {
                let initial = {
                    let mut c = core.db.conn().await?;
                    store::latest_issued(&mut c, i.id, Form::Mau03.as_str()).await?
                };
                FormData::Mau04(mau04_from(&i, header, initial.as_ref()))
            };
            (data, Some(i.id), org.id)
        }
        Form::Mau05 => {
            let mut errs = Vec::new();
            let kind = match new.period_kind.trim() {
                "six_months" | "" => Some(PeriodKind::SixMonths),
                "annual" => Some(PeriodKind::Annual),
                _ => {
                    errs.push(FieldError::new("period_kind", "document.err.period_kind"));
                    None
                }
            };
            let from = month(&new.period_from);
            if from.is_none() {
                errs.push(FieldError::new("period_from", "document.err.month"));
            }
            let to = month(&new.period_to);
            if to.is_none() {
                errs.push(FieldError::new("period_to", "document.err.month"));
            }
            if let (Some(f), Some(tt)) = (from, to)
                && f > tt
            {
                errs.push(FieldError::new("period_to", "document.err.period_order"));
            }
            if new.org_id.is_none() {
                errs.push(FieldError::new("org_id", "err.required"));
            }
            let (Some(kind), Some(from), Some(to), Some(org_id), true) =
                (kind, from, to, new.org_id, errs.is_empty())
            else {
                return Err(CoreError::Invalid(errs));
            };
            let org = {
                let mut c = core.db.conn().await?;
                orgs::get(&mut c, org_id).await?
            };
            let Some(org) = org else {
                return Err(CoreError::field("org_id", "err.org_missing"));
            };
            if !everywhere(actor, Action::IncidentCoordinate) {
                return Err(denied(
                    core,
                    actor,
                    Action::IncidentCoordinate,
                    OBJECT,
                    None,
                    Some(org.id),
                    CoreError::ForbiddenWith("document.err.needs_coordinator"),
                )
                .await);
            }
            let period = Period {
                kind,
                from_month: from.1,
                from_year: from.0,
                to_month: to.1,
                to_year: to.0,
            };
            let months = (
                i64::from(from.0) * 12 + i64::from(from.1) - 1,
                i64::from(to.0) * 12 + i64::from(to.1) - 1,
            );
            {
                let mut c = core.db.conn().await?;
                if !store::overlapping_mau05(&mut c, org.id, months.0, months.1, &[])
                    .await?
                    .is_empty()
                {
                    return Err(CoreError::field("period_from", "document.err.overlap"));
                }
            }
            let incidents = incidents_in(core, from, to).await?;
            let profile = {
                let mut c = core.db.conn().await?;
                network::profile(&mut c, org.id).await?.unwrap_or_default()
            };
            let title = match kind {
                PeriodKind::SixMonths => "Báo cáo 06 tháng",
                PeriodKind::Annual => "Báo cáo 01 năm",
            };
            let mut header = header_for(core, &org, title).await?;
            header.recipients = vec![format!("{MAU05_ADDRESSEE};"), "Lưu: VT.".into()];
            let summary = summarise(&incidents);
            let data = FormData::Mau05(Mau05 {
                header,
                addressee: MAU05_ADDRESSEE.into(),
                period,
                organisation_name: org.name.clone(),
                address: opt(&profile.address),
                member_code: opt(&profile.member_code),
                rows: summary.rows,
                domestic_helpers: summary.domestic_helpers,
                foreign_helpers: summary.foreign_helpers,
                proposals: String::new(),
            });
            (data, None, org.id)
        }
    };
    let d = Document {
        id: Uuid::now_v7(),
        form: form.as_str().into(),
        incident_id,
        org_id,
        status: "draft".into(),
        version: 1,
        supersedes: None,
        data: data.to_value().to_string(),
        period_from: data.months().0,
        period_to: data.months().1,
        register_year: None,
        register_seq: None,
        number: None,
        issued_at: None,
        issued_by: None,
        pdf_sha256: None,
        docx_sha256: None,
        created_by: actor.user_id(),
        created_at: t,
        updated_at: t,
    };
    let mut tx = core.db.begin().await?;
    store::insert(&mut tx, &d).await?;
    let ev = actor.event(
        "document.create",
        OBJECT,
        Some(d.id.to_string()),
        Some(d.org_id),
        json!({ "form": d.form, "incident_id": d.incident_id, "version": 1 }),
    );
    audit::append(&mut tx, &ev, t).await?;
    commit(tx).await?;
    Ok(DocumentView {
        document: d,
        data,
        can_write: true,
    })
}

/// The refusal of a change to an issued document.
fn frozen() -> CoreError {
    CoreError::field("status", "document.err.issued")
}

/// Replaces a draft's form data (the whole form, as its JSON).
pub async fn edit(
    core: &Core,
    actor: &Actor,
    id: Uuid,
    data: serde_json::Value,
) -> Result<DocumentView> {
    let d = load(core, id).await?;
    authorise(core, actor, &d, true).await?;
    if d.is_issued() {
        return Err(frozen());
    }
    let form = Form::parse(&d.form).ok_or(CoreError::NotFound)?;
    let mut new = FormData::from_value(form, nfc_strings(data))
        .map_err(|_| CoreError::field("data", "document.err.data"))?;
    // The number and date belong to the register: they are written when it is issued.
    let h = new.header_mut();
    h.number.clear();
    h.date = None;
    if let FormData::Mau05(f) = &new
        && (f.period.from_month == 0
            || f.period.to_month == 0
            || (f.period.from_year, f.period.from_month) > (f.period.to_year, f.period.to_month))
    {
        return Err(CoreError::field("data", "document.err.period_order"));
    }
    let t = now();
    let mut tx = core.db.begin().await?;
    if !store::update_draft(&mut tx, id, &new.to_value().to_string(), new.months(), t).await? {
        return Err(frozen());
    }
    let ev = actor.event(
        "document.edit",
        OBJECT,
        Some(id.to_string()),
        Some(d.org_id),
        json!({ "form": d.form }),
    );
    audit::append(&mut tx, &ev, t).await?;
    commit(tx).await?;
    get(core, actor, id).await
}

/// Issued documents this one replaces, along its `supersedes` chain.
async fn chain(core: &Core, d: &Document) -> Result<Vec<Uuid>> {
    let mut out = Vec::new();
    let mut next = d.supersedes;
    let mut c = core.db.conn().await?;
    while let Some(id) = next {
        if out.contains(&id) || out.len() > 1000 {
            break;
        }
        out.push(id);
        next = store::get(&mut c, id).await?.and_then(|x| x.supersedes);
    }
    Ok(out)
}

/// Issues a draft: every mandatory field must be filled (the error lists each empty one); it
/// takes the next number of its organisation's register for the year, renders the PDF and DOCX
/// once, keeps their bytes in the blob store and their SHA-256 in the audit event, and freezes.
pub async fn issue(core: &Core, actor: &Actor, id: Uuid) -> Result<DocumentView> {
    let d = load(core, id).await?;
    authorise(core, actor, &d, true).await?;
    if d.is_issued() {
        return Err(frozen());
    }
    let mut data = FormData::from_doc(&d)?;
    let t = now();
    // A Mẫu 03 issued after this Mẫu 04 was drafted is cited now.
    if let (FormData::Mau04(f), Some(incident)) = (&mut data, d.incident_id)
        && f.initial_report_number.trim().is_empty()
    {
        let mut c = core.db.conn().await?;
        if let Some(initial) = store::latest_issued(&mut c, incident, "mau03").await? {
            f.initial_report_number = initial.number.clone().unwrap_or_default();
            f.initial_report_date = initial.issued_at.map(vn_date);
        }
    }
    // Checked before the register is touched, with a stand-in number, so that a refusal
    // holds no lock and uses up no number.
    let h = data.header_mut();
    h.number = "0".into();
    h.date = Some(vn_date(t));
    let missing = data.missing();
    if !missing.is_empty() {
        return Err(CoreError::Invalid(
            missing
                .iter()
                .map(|f| FieldError::new(f, "document.err.mandatory"))
                .collect(),
        ));
    }
    let except = chain(core, &d).await?;
    let org = {
        let mut c = core.db.conn().await?;
        orgs::get(&mut c, d.org_id).await?
    }
    .ok_or(CoreError::NotFound)?;
    let year = i64::from(t.to_offset(VIETNAM).year());
    // Rendering takes long next to a write (typst, seconds on a loaded machine), so it happens
    // before the register is locked, with the number the register would give now; inside the
    // transaction it is redone only when another issue took that number meanwhile. The number
    // is still used only when its files exist, and writers wait only on contention.
    let guess = {
        let mut c = core.db.conn().await?;
        store::peek_number(&mut c, d.org_id, year).await?
    };
    data.header_mut().number = format!("{guess}/BC-{}", org_symbol(&org));
    let mut rendered = render(&data).await?;
    let mut tx = core.db.begin().await?;
    let seq = store::next_number(&mut tx, d.org_id, year).await?;
    if let (Some(from), Some(to)) = (d.period_from, d.period_to) {
        // The register locks only this year; two summaries issued across a new year must
        // still see each other.
        store::lock_periods(&mut tx, d.org_id).await?;
        if !store::overlapping_mau05(&mut tx, d.org_id, from, to, &except)
            .await?
            .is_empty()
        {
            return Err(CoreError::field("period", "document.err.overlap"));
        }
    }
    let number = format!("{seq}/BC-{}", org_symbol(&org));
    if seq != guess {
        data.header_mut().number = number.clone();
        rendered = render(&data).await?;
    }
    let (pdf, docx_bytes) = rendered;
    let pdf_sha256 = crate::evidence::put_blob(&core.config.data_dir, &pdf).await?;
    let docx_sha256 = crate::evidence::put_blob(&core.config.data_dir, &docx_bytes).await?;
    let issued = Issue {
        data: data.to_value().to_string(),
        year,
        seq,
        number: number.clone(),
        at: t,
        by: actor.user_id(),
        pdf_sha256: pdf_sha256.clone(),
        docx_sha256: docx_sha256.clone(),
    };
    if !store::mark_issued(&mut tx, id, &issued).await? {
        return Err(frozen());
    }
    let ev = actor.event(
        "document.issue",
        OBJECT,
        Some(id.to_string()),
        Some(d.org_id),
        json!({
            "form": d.form,
            "incident_id": d.incident_id,
            "version": d.version,
            "number": number,
            "pdf_sha256": pdf_sha256,
            "pdf_size": pdf.len(),
            "docx_sha256": docx_sha256,
            "docx_size": docx_bytes.len(),
        }),
    );
    audit::append(&mut tx, &ev, t).await?;
    if let Some(incident) = d.incident_id {
        // Followers of the incident (its reporter among them) hear that its report is out.
        let form = form_label(&d.form);
        let text_vi = format!("Đã ban hành {form} số {number} của sự cố.");
        let text_en = format!("{form} no. {number} of the incident was issued.");
        let link = format!("/documents/{id}");
        let notice = crate::notices::Notice {
            kind: "document.issued",
            subject: (
                "[ungcuu] Báo cáo đã được ban hành",
                "[ungcuu] Report issued",
            ),
            text: (&text_vi, &text_en),
            link: &link,
        };
        crate::notices::tell_followers(&mut tx, core, incident, actor.user_id(), &notice, t)
            .await?;
    }
    commit(tx).await?;
    get(core, actor, id).await
}

/// "Mẫu 03" for `mau03`: the form's name as the circular prints it.
fn form_label(code: &str) -> String {
    match code.strip_prefix("mau") {
        Some(n) => format!("Mẫu {n}"),
        None => code.to_string(),
    }
}

/// Copies an issued document into a new draft (one version more) that supersedes it.
pub async fn new_version(core: &Core, actor: &Actor, id: Uuid) -> Result<DocumentView> {
    let d = load(core, id).await?;
    authorise(core, actor, &d, true).await?;
    if !d.is_issued() {
        return Err(CoreError::field("status", "document.err.not_issued"));
    }
    let mut data = FormData::from_doc(&d)?;
    let h = data.header_mut();
    h.number.clear();
    h.date = None;
    let t = now();
    let n = Document {
        id: Uuid::now_v7(),
        status: "draft".into(),
        version: d.version + 1,
        supersedes: Some(d.id),
        data: data.to_value().to_string(),
        register_year: None,
        register_seq: None,
        number: None,
        issued_at: None,
        issued_by: None,
        pdf_sha256: None,
        docx_sha256: None,
        created_by: actor.user_id(),
        created_at: t,
        updated_at: t,
        ..d.clone()
    };
    let mut tx = core.db.begin().await?;
    store::insert(&mut tx, &n).await?;
    let ev = actor.event(
        "document.new_version",
        OBJECT,
        Some(n.id.to_string()),
        Some(n.org_id),
        json!({ "form": n.form, "supersedes": d.id, "version": n.version }),
    );
    audit::append(&mut tx, &ev, t).await?;
    commit(tx).await?;
    get(core, actor, n.id).await
}

/// The file name without extension, built from the register (never from input):
/// `mau03-12-2026-v1`, or `mau03-du-thao-v1` for a draft.
pub fn file_stem(d: &Document) -> String {
    match (d.register_seq, d.register_year) {
        (Some(seq), Some(year)) => format!("{}-{seq}-{year}-v{}", d.form, d.version),
        _ => format!("{}-du-thao-v{}", d.form, d.version),
    }
}

fn file_name(d: &Document, ext: &str) -> String {
    format!("{}.{ext}", file_stem(d))
}

/// The PDF or DOCX (`format` = `pdf` or `docx`): the frozen bytes of an issued document, or a
/// preview rendered now for a draft.
pub async fn download(core: &Core, actor: &Actor, id: Uuid, format: &str) -> Result<Rendered> {
    let v = get(core, actor, id).await?;
    let pdf = match format {
        "pdf" => true,
        "docx" => false,
        _ => return Err(CoreError::field("format", "document.err.format")),
    };
    let d = &v.document;
    let bytes = match (&d.pdf_sha256, &d.docx_sha256) {
        (Some(p), Some(x)) if d.is_issued() => {
            crate::evidence::read_blob(&core.config.data_dir, if pdf { p } else { x }).await?
        }
        _ => {
            let (p, x) = render(&v.data).await?;
            if pdf { p } else { x }
        }
    };
    Ok(Rendered {
        file_name: file_name(d, if pdf { "pdf" } else { "docx" }),
        media_type: if pdf { "application/pdf" } else { DOCX_TYPE },
        bytes,
    })
}

/// True when the incident has an issued Mẫu 04 (closing needs it).
pub async fn has_final_report(c: &mut ungcuu_store::Connection, incident: Uuid) -> Result<bool> {
    Ok(store::latest_issued(c, incident, Form::Mau04.as_str())
        .await?
        .is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_read_and_refuse() {
        assert_eq!(month("2026-01"), Some((2026, 1)));
        assert_eq!(month(" 2025-12 "), Some((2025, 12)));
        assert_eq!(month("2026-13"), None);
        assert_eq!(month("2026"), None);
        assert_eq!(month("x-01"), None);
    }

    #[test]
    fn the_symbol_is_ascii_capitals() {
        let o = orgs::Org {
            id: Uuid::nil(),
            slug: "so-a".into(),
            name: "Sở A".into(),
            short_name: Some("Sở TT&TT".into()),
            kind: "department".parse().unwrap(),
            parent_id: None,
            created_at: now(),
            updated_at: now(),
        };
        assert_eq!(org_symbol(&o), "STTTT");
        let o = orgs::Org {
            short_name: None,
            ..o
        };
        assert_eq!(org_symbol(&o), "SOA");
    }
}
