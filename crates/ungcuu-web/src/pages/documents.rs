//! Pages of the legal documents: the "Báo cáo / Reports" section of the incident page (its
//! documents, drafting Mẫu 03 and 04), the documents list with drafting a Mẫu 05, and the
//! document page (the form's data, editing a draft, issuing, a new version, sending (also to
//! chosen network members), the PDF and DOCX, recording a sending by letter or fax with its
//! scan (multipart, like the evidence upload) and downloading those scans).

use super::document_form;
use super::render;
use crate::State;
use crate::ctx::{Ctx, SignedIn, redirect_with_flash};
use crate::forms::PageId;
use crate::forms::{CsrfForm, field_errors, page_id};
use askama::Template;
use axum::Router;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Path};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use std::collections::HashMap;
use ungcuu_core::CoreError;
use ungcuu_core::documents::{self as core_documents, DocumentView, NewDocument};
use ungcuu_store::documents::{Document, DocumentFilter};
use uuid::Uuid;

pub(super) fn router() -> Router<State> {
    Router::new()
        .route("/documents", get(list).post(create))
        .route("/incidents/{id}/documents", post(create_for_incident))
        .route("/documents/{id}", get(show).post(edit))
        .route("/documents/{id}/issue", post(issue))
        .route("/documents/{id}/versions", post(new_version))
        .route("/documents/{id}/send", post(send))
        .route("/documents/{id}/send/approve", post(approve_send))
        .route("/documents/{id}/pdf", get(pdf))
        .route("/documents/{id}/docx", get(docx))
        .route(
            "/documents/{id}/sendings",
            post(record_sending).layer(DefaultBodyLimit::max(
                crate::api::documents::SCAN_LIMIT + 64 * 1024,
            )),
        )
        .route("/documents/{id}/sendings/{sending}/scan", get(scan))
}

/// One document in a list.
struct Row {
    id: Uuid,
    form: &'static str,
    version: i64,
    status: &'static str,
    number: String,
    updated: String,
}

fn form_label(form: &str) -> &'static str {
    match form {
        "mau03" => "document.form.mau03",
        "mau04" => "document.form.mau04",
        _ => "document.form.mau05",
    }
}

fn row(ctx: &Ctx, d: &Document) -> Row {
    Row {
        id: d.id,
        form: ctx.t(form_label(&d.form)),
        version: d.version,
        status: ctx.t(if d.is_issued() {
            "document.status.issued"
        } else {
            "document.status.draft"
        }),
        number: d.number.clone().unwrap_or_default(),
        updated: ctx.dt(&d.updated_at),
    }
}

#[derive(Template)]
#[template(path = "incident_documents.html")]
struct Section<'a> {
    c: &'a Ctx,
    id: Uuid,
    rows: Vec<Row>,
}

/// The "Báo cáo / Reports" section of incident `id`, rendered (empty when the person may not
/// read the incident, which the incident page has already refused).
pub(crate) async fn section(st: &State, ctx: &Ctx, id: Uuid) -> String {
    let filter = DocumentFilter {
        incident: Some(id),
        ..Default::default()
    };
    let Ok(page) = core_documents::list(&st.core, &ctx.actor(), filter, None, Some(200)).await
    else {
        return String::new();
    };
    Section {
        c: ctx,
        id,
        rows: page.items.iter().map(|d| row(ctx, d)).collect(),
    }
    .render()
    .unwrap_or_default()
}

#[derive(Template)]
#[template(path = "documents.html")]
struct ListPage<'a> {
    c: &'a Ctx,
    rows: Vec<Row>,
    orgs: Vec<(Uuid, String)>,
    errors: Vec<(String, String)>,
}

async fn list_page(st: &State, ctx: &Ctx, errors: Vec<(String, String)>) -> Response {
    let actor = ctx.actor();
    let page =
        match core_documents::list(&st.core, &actor, DocumentFilter::default(), None, Some(200))
            .await
        {
            Ok(p) => p,
            Err(e) => return crate::error::core_page(ctx, e),
        };
    let orgs = ungcuu_core::orgs::all_readable(&st.core, &actor)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|o| o.kind == ungcuu_domain::org::OrgKind::Coordinator)
        .map(|o| (o.id, o.name))
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut r = render(
        ctx,
        ListPage {
            c: ctx,
            rows: page.items.iter().map(|d| row(ctx, d)).collect(),
            orgs,
            errors,
        },
    );
    *r.status_mut() = status;
    r
}

async fn list(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
) -> Response {
    list_page(&st, &ctx, Vec::new()).await
}

#[derive(Debug, Deserialize)]
struct Mau05Form {
    org_id: String,
    #[serde(default)]
    period_kind: String,
    #[serde(default)]
    period_from: String,
    #[serde(default)]
    period_to: String,
}

async fn create(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    CsrfForm(f): CsrfForm<Mau05Form>,
) -> Response {
    let new = NewDocument {
        form: "mau05".into(),
        org_id: Uuid::parse_str(f.org_id.trim()).ok(),
        period_kind: f.period_kind,
        period_from: f.period_from,
        period_to: f.period_to,
        ..Default::default()
    };
    match core_documents::create(&st.core, &ctx.actor(), new).await {
        Ok(v) => redirect_with_flash(
            &ctx,
            &format!("/documents/{}", v.document.id),
            "document.created",
        ),
        Err(CoreError::Invalid(e)) => list_page(&st, &ctx, field_errors(&ctx, &e)).await,
        Err(e) => crate::error::core_page(&ctx, e),
    }
}

#[derive(Debug, Deserialize)]
struct FormChoice {
    form: String,
}

async fn create_for_incident(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    PageId(id): PageId,
    CsrfForm(f): CsrfForm<FormChoice>,
) -> Response {
    let new = NewDocument {
        form: f.form,
        incident_id: Some(id),
        ..Default::default()
    };
    match core_documents::create(&st.core, &ctx.actor(), new).await {
        Ok(v) => redirect_with_flash(
            &ctx,
            &format!("/documents/{}", v.document.id),
            "document.created",
        ),
        Err(e) => crate::error::core_page(&ctx, e),
    }
}

#[derive(Template)]
#[template(path = "document.html")]
struct DocumentPage<'a> {
    c: &'a Ctx,
    d: Row,
    incident: Option<Uuid>,
    issued: bool,
    can_write: bool,
    /// A draft the person may edit: the form is shown with its inputs enabled.
    editable: bool,
    pdf_sha256: String,
    docx_sha256: String,
    /// The number and date the register gave at issue ("" on a draft).
    issued_on: String,
    /// The form, one input per field (disabled when it may not be edited).
    sections: Vec<document_form::SectionView>,
    errors: Vec<(String, String)>,
    /// Network members the send form offers (Mẫu 03 and 04): (org id, name, code, ticked,
    /// has an address).
    members: Vec<(Uuid, String, String, bool, bool)>,
    /// Sendings by letter or fax: (id, channel label, recipients, when, scan size).
    hand: Vec<(Uuid, &'static str, String, String, i64)>,
    /// What a refused letter/fax form sent, shown again (empty otherwise).
    hand_form: HandForm,
    /// On a Mẫu 05 draft: how many incidents of its period have no recorded outcome, said.
    without_outcome: Option<String>,
}

/// The fields of the letter/fax form, as typed (the scan is never sent back).
#[derive(Debug, Default)]
struct HandForm {
    channel: String,
    recipients: String,
    note: String,
}

/// The document page; `posted` are the strings a refused form sent, shown again as typed.
async fn page(
    st: &State,
    ctx: &Ctx,
    id: Uuid,
    posted: Option<HashMap<String, String>>,
    errors: Vec<(String, String)>,
) -> Response {
    page_with(st, ctx, id, posted, errors, None, HandForm::default()).await
}

/// The document page; `ticked` keeps the network members chosen on a refused send form and
/// `hand_form` what a refused letter/fax form sent.
async fn page_with(
    st: &State,
    ctx: &Ctx,
    id: Uuid,
    posted: Option<HashMap<String, String>>,
    errors: Vec<(String, String)>,
    ticked: Option<Vec<Uuid>>,
    hand_form: HandForm,
) -> Response {
    let v: DocumentView = match core_documents::get(&st.core, &ctx.actor(), id).await {
        Ok(v) => v,
        Err(e) => return crate::error::core_page(ctx, e),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let d = &v.document;
    let data = v.data.to_value();
    let sections = document_form::view(ctx, &d.form, &data, &posted.unwrap_or_default(), &errors);
    let issued_on = v
        .data
        .header()
        .date
        .map(|x| x.numeric())
        .unwrap_or_default();
    // A summary drawn up before every incident's outcome was recorded counts some by guess;
    // the draft says how many, so they can be completed and the draft made again.
    let without_outcome = if d.is_issued() {
        None
    } else {
        match core_documents::period_summary(&st.core, &v).await {
            Ok(Some(s)) if s.without_outcome > 0 => Some(ctx.tf(
                "document.without_outcome",
                &[("n", &s.without_outcome.to_string())],
            )),
            Ok(_) => None,
            Err(e) => return crate::error::core_page(ctx, e),
        }
    };
    let mut members = Vec::new();
    if v.can_write && d.is_issued() && d.form != "mau05" {
        let ticked = match (ticked, d.incident_id) {
            (Some(t), _) => t,
            (None, Some(i)) => ungcuu_core::sending::involved_members(&st.core, i)
                .await
                .unwrap_or_default(),
            (None, None) => Vec::new(),
        };
        match ungcuu_core::sending::network_members(&st.core, &ctx.actor()).await {
            Ok(list) => {
                members = list
                    .into_iter()
                    .map(|m| {
                        let on = ticked.contains(&m.org_id);
                        (m.org_id, m.name, m.code, on, m.address.is_some())
                    })
                    .collect()
            }
            Err(e) => return crate::error::core_page(ctx, e),
        }
    }
    let hand = match ungcuu_core::letters::hand_sendings(&st.core, &ctx.actor(), id).await {
        Ok(list) => list
            .into_iter()
            .map(|h| {
                let channel = ctx.t(if h.channel == "fax" {
                    "clock.channel.fax"
                } else {
                    "clock.channel.letter"
                });
                (
                    h.id,
                    channel,
                    h.recipients,
                    ctx.dt(&h.created_at),
                    h.scan_size,
                )
            })
            .collect(),
        Err(e) => return crate::error::core_page(ctx, e),
    };
    let mut r = render(
        ctx,
        DocumentPage {
            c: ctx,
            d: row(ctx, d),
            incident: d.incident_id,
            issued: d.is_issued(),
            can_write: v.can_write,
            editable: v.can_write && !d.is_issued(),
            pdf_sha256: d.pdf_sha256.clone().unwrap_or_default(),
            docx_sha256: d.docx_sha256.clone().unwrap_or_default(),
            issued_on,
            sections,
            errors,
            members,
            hand,
            hand_form,
            without_outcome,
        },
    );
    *r.status_mut() = status;
    r
}

async fn show(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    Path(id): Path<String>,
) -> Response {
    match page_id(&ctx, &id) {
        Ok(id) => page(&st, &ctx, id, None, Vec::new()).await,
        Err(r) => r,
    }
}

/// Saves the per-field form: the posted fields are written over the stored data and the whole
/// goes through `core_documents::edit`, as the JSON API's does. A refused value comes back
/// next to its field with what was typed, and nothing is saved.
async fn edit(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    PageId(id): PageId,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let v = match core_documents::get(&st.core, &ctx.actor(), id).await {
        Ok(v) => v,
        Err(e) => return crate::error::core_page(&ctx, e),
    };
    let posted = document_form::read(&v.document.form, &v.data.to_value(), &pairs);
    if !posted.errors.is_empty() {
        let e = posted
            .errors
            .iter()
            .map(|(f, k)| (f.clone(), ctx.t(k).to_string()))
            .collect();
        return page(&st, &ctx, id, Some(posted.raw), e).await;
    }
    match core_documents::edit(&st.core, &ctx.actor(), id, posted.data).await {
        Ok(_) => redirect_with_flash(&ctx, &format!("/documents/{id}"), "document.saved"),
        Err(CoreError::Invalid(e)) => {
            let e = field_errors(&ctx, &e);
            page(&st, &ctx, id, Some(posted.raw), e).await
        }
        Err(e) => crate::error::core_page(&ctx, e),
    }
}

#[derive(Debug, Deserialize)]
struct Empty {}

/// After an action: back to the document with a flash, or the page with the errors listed.
async fn after<T>(
    st: &State,
    ctx: &Ctx,
    id: Uuid,
    r: ungcuu_core::Result<T>,
    to: String,
    flash: &str,
) -> Response {
    match r {
        Ok(_) => redirect_with_flash(ctx, &to, flash),
        Err(CoreError::Invalid(e)) => {
            let e = field_errors(ctx, &e);
            page(st, ctx, id, None, e).await
        }
        Err(e) => crate::error::core_page(ctx, e),
    }
}

async fn issue(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    PageId(id): PageId,
    CsrfForm(_): CsrfForm<Empty>,
) -> Response {
    let r = core_documents::issue(&st.core, &ctx.actor(), id).await;
    after(
        &st,
        &ctx,
        id,
        r,
        format!("/documents/{id}"),
        "document.issued",
    )
    .await
}

async fn new_version(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    PageId(id): PageId,
    CsrfForm(_): CsrfForm<Empty>,
) -> Response {
    match core_documents::new_version(&st.core, &ctx.actor(), id).await {
        Ok(v) => redirect_with_flash(
            &ctx,
            &format!("/documents/{}", v.document.id),
            "document.created",
        ),
        r => {
            after(
                &st,
                &ctx,
                id,
                r,
                format!("/documents/{id}"),
                "document.created",
            )
            .await
        }
    }
}

async fn send(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Response {
    // The ticked network members: checkboxes repeat the `member` field.
    let mut members = Vec::new();
    for (_, v) in form.iter().filter(|(k, _)| k == "member") {
        match Uuid::parse_str(v.trim()) {
            Ok(m) => members.push(m),
            Err(_) => {
                let e = vec![("members".to_string(), ctx.t("err.invalid").to_string())];
                return page_with(
                    &st,
                    &ctx,
                    id,
                    None,
                    e,
                    Some(Vec::new()),
                    HandForm::default(),
                )
                .await;
            }
        }
    }
    match ungcuu_core::sending::send(&st.core, &ctx.actor(), id, &[], &members).await {
        Ok(ungcuu_core::sending::SendOutcome::AwaitingApproval(_)) => redirect_with_flash(
            &ctx,
            &format!("/documents/{id}"),
            "document.awaiting_approval",
        ),
        Ok(_) => redirect_with_flash(&ctx, &format!("/documents/{id}"), "document.sent"),
        Err(CoreError::Invalid(e)) => {
            let e = field_errors(&ctx, &e);
            page_with(&st, &ctx, id, None, e, Some(members), HandForm::default()).await
        }
        Err(e) => crate::error::core_page(&ctx, e),
    }
}

async fn approve_send(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    PageId(id): PageId,
    CsrfForm(_): CsrfForm<Empty>,
) -> Response {
    let r = ungcuu_core::sending::approve(&st.core, &ctx.actor(), id).await;
    after(
        &st,
        &ctx,
        id,
        r,
        format!("/documents/{id}"),
        "document.sent",
    )
    .await
}

/// Records a sending of an issued document by letter or fax from the document page: the same
/// service as `POST /api/v1/documents/{id}/sendings`, the scan posted as a file. The document
/// is looked up before the body is read, so someone who may not read it gets "not found"
/// whatever they post; a refused form comes back with 422 and the message next to its field.
async fn record_sending(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    PageId(id): PageId,
    mp: Result<Multipart, MultipartRejection>,
) -> Response {
    if let Err(e) = core_documents::get(&st.core, &ctx.actor(), id).await {
        return crate::error::core_page(&ctx, e);
    }
    let Ok(mp) = mp else {
        return crate::error::page(&ctx, StatusCode::BAD_REQUEST);
    };
    let (form, scan) = match read_hand_form(&ctx, mp).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let h = ungcuu_core::letters::HandSending {
        channel: form.channel.clone(),
        recipients: form.recipients.clone(),
        note: form.note.clone(),
    };
    match ungcuu_core::letters::record_by_hand(&st.core, &ctx.actor(), id, h, &scan).await {
        Ok(_) => redirect_with_flash(
            &ctx,
            &format!("/documents/{id}#hand-sendings"),
            "document.hand_recorded",
        ),
        Err(CoreError::Invalid(e)) => {
            let e = field_errors(&ctx, &e);
            page_with(&st, &ctx, id, None, e, None, form).await
        }
        Err(e) => crate::error::core_page(&ctx, e),
    }
}

/// The letter/fax form's fields and the scan's bytes (at most the route's body limit, else
/// 413); a missing or wrong CSRF token is refused like any other form's.
async fn read_hand_form(ctx: &Ctx, mut mp: Multipart) -> Result<(HandForm, Vec<u8>), Response> {
    let mut csrf_ok = false;
    let mut form = HandForm::default();
    let mut scan = Vec::new();
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Err(crate::error::page(ctx, e.status())),
        };
        let name = field.name().unwrap_or("").to_string();
        if name == "scan" {
            match field.bytes().await {
                Ok(b) => scan = b.to_vec(),
                Err(e) => return Err(crate::error::page(ctx, e.status())),
            }
            continue;
        }
        let v = match field.text().await {
            Ok(t) => t,
            Err(e) => return Err(crate::error::page(ctx, e.status())),
        };
        match name.as_str() {
            "_csrf" => {
                let expected = ctx.csrf();
                csrf_ok =
                    !expected.is_empty() && ungcuu_core::secrets::constant_time_eq(&v, expected);
            }
            "channel" => form.channel = v,
            "recipients" => form.recipients = v,
            "note" => form.note = v,
            _ => {}
        }
    }
    if !csrf_ok {
        tracing::warn!(request_id = %ctx.request_id, "CSRF token missing or wrong");
        return Err(crate::error::page(ctx, StatusCode::BAD_REQUEST));
    }
    Ok((form, scan))
}

async fn download(st: &State, ctx: &Ctx, id: &str, format: &str) -> Response {
    let id = match page_id(ctx, id) {
        Ok(i) => i,
        Err(r) => return r,
    };
    match core_documents::download(&st.core, &ctx.actor(), id, format).await {
        Ok(r) => crate::api::documents::file_response(r),
        Err(e) => crate::error::core_page(ctx, e),
    }
}

async fn scan(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    Path((id, sending)): Path<(String, String)>,
) -> Response {
    let (id, sending) = match (page_id(&ctx, &id), page_id(&ctx, &sending)) {
        (Ok(i), Ok(s)) => (i, s),
        (Err(r), _) | (_, Err(r)) => return r,
    };
    match ungcuu_core::letters::scan(&st.core, &ctx.actor(), id, sending).await {
        Ok(r) => crate::api::documents::file_response(r),
        Err(e) => crate::error::core_page(&ctx, e),
    }
}

async fn pdf(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    Path(id): Path<String>,
) -> Response {
    download(&st, &ctx, &id, "pdf").await
}

async fn docx(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
    Path(id): Path<String>,
) -> Response {
    download(&st, &ctx, &id, "docx").await
}
