//! Sending an issued document to the recipients the law names (legal spec §2.1): Mẫu 03 to the
//! system owner, the province's coordinator and the national coordinator; Mẫu 04 to the system
//! owner, the coordinator and the national coordinator; Mẫu 05 to the national coordinator.
//! Each recipient gets one e-mail through the outbox, subject starting with `[TBSC]`, with the
//! frozen PDF and DOCX attached; the national coordinator also gets a machine-readable JSON
//! bundle and its detached Ed25519 signature (`.json`, `.json.sig`) made with the
//! installation's key, so it can check where the report came from. Sending records the report
//! on the incident, which stops its clock (Mẫu 03: notification, Mẫu 04: final report).

use crate::documents::{DOCX_TYPE, Form, FormData, OBJECT};
use crate::mail::{self, OutgoingMail, html_escape};
use crate::{Actor, Core, CoreError, Result};
use serde_json::json;
use ungcuu_domain::clocks::{Channel, ClockKind};
use ungcuu_domain::org::OrgKind;
use ungcuu_domain::timefmt::{now, rfc3339};
use ungcuu_domain::validate::FieldError;
use ungcuu_store::clocks::{self as cstore, ReportRecord};
use ungcuu_store::documents::{self as store, Document};
use ungcuu_store::incidents::{self as istore, EventKind};
use ungcuu_store::orgs::{self, OrgFilter};
use ungcuu_store::outbox::Attachment;
use ungcuu_store::{Connection, audit, commit, network, settings};
use uuid::Uuid;

/// The settings key of the national coordinator's address (VNCERT/CC's reporting address).
pub const NATIONAL_EMAIL_KEY: &str = "documents.national_coordinator_email";

/// The settings key of the installation's Ed25519 seed (hex). Kept in the database like the
/// TOTP key, so every replica signs with the same key; created once.
pub const SIGNING_KEY: &str = "documents.signing_key";

/// The settings key that, set to `true`, makes a sending to the national coordinator wait for
/// a second person's approval.
pub const APPROVAL_KEY: &str = "documents.national_approval";

/// Who a document goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    /// The organisation whose system it is (cơ quan chủ quản / chủ quản hệ thống).
    Owner,
    /// The province's coordinator (cơ quan điều phối / đơn vị chuyên trách của tỉnh).
    Coordinator,
    /// The national coordinator (CQĐPQG, VNCERT/CC).
    National,
}

impl Party {
    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Party::Owner => "owner",
            Party::Coordinator => "coordinator",
            Party::National => "national",
        }
    }

    fn parse(s: &str) -> Option<Party> {
        match s.trim() {
            "owner" => Some(Party::Owner),
            "coordinator" => Some(Party::Coordinator),
            "national" => Some(Party::National),
            _ => None,
        }
    }

    fn no_address(self) -> &'static str {
        match self {
            Party::Owner => "document.err.no_address_owner",
            Party::Coordinator => "document.err.no_address_coordinator",
            Party::National => "document.err.no_address_national",
        }
    }

    /// The recipients the law names for a form.
    pub fn for_form(form: Form) -> &'static [Party] {
        match form {
            Form::Mau03 | Form::Mau04 => &[Party::Owner, Party::Coordinator, Party::National],
            Form::Mau05 => &[Party::National],
        }
    }
}

/// One message queued.
#[derive(Debug, Clone)]
pub struct Sent {
    /// To whom.
    pub party: Party,
    /// The address.
    pub to: String,
    /// The outbox message.
    pub mail_id: Uuid,
}

/// The installation's signing seed, created on first use (racing replicas agree on one).
async fn seed(c: &mut Connection) -> Result<[u8; 32]> {
    let fresh =
        ungcuu_reports::sign::generate_seed().map_err(|e| CoreError::Internal(e.to_string()))?;
    let stored = settings::get_or_insert(c, SIGNING_KEY, &hex::encode(fresh), now()).await?;
    hex::decode(stored)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| CoreError::Internal("corrupt signing key".into()))
}

/// The installation's public key, hex (64 digits), as `ungcuu keys show` prints it.
pub async fn public_key(core: &Core) -> Result<String> {
    let mut c = core.db.conn().await?;
    Ok(ungcuu_reports::sign::public_key_hex(&seed(&mut c).await?))
}

/// The machine-readable bundle of an issued document: the canonical JSON bytes that are
/// signed (`{"kind": …, "report": …}` with sorted keys, no spaces) and the detached signature
/// over exactly those bytes, hex.
pub fn bundle(seed: &[u8; 32], d: &Document, data: &FormData) -> Result<(Vec<u8>, String)> {
    let kind = format!("tt20-2017/{}", d.form);
    let report = json!({
        "document_id": d.id,
        "form": d.form,
        "version": d.version,
        "number": d.number,
        "issued_at": d.issued_at.map(rfc3339),
        "organisation_id": d.org_id,
        "incident_id": d.incident_id,
        "pdf_sha256": d.pdf_sha256,
        "docx_sha256": d.docx_sha256,
        "data": data.to_value(),
    });
    let signed = ungcuu_reports::sign::sign(seed, &kind, &report)
        .map_err(|e| CoreError::Internal(e.to_string()))?;
    Ok((
        ungcuu_reports::sign::signed_bytes(&kind, &signed.report),
        signed.signature,
    ))
}

fn profile_address(p: &network::Profile) -> Option<String> {
    [&p.intake_email, &p.email]
        .into_iter()
        .flatten()
        .map(|s| s.trim().to_string())
        .find(|s| !s.is_empty())
}

async fn address(c: &mut Connection, party: Party, d: &Document) -> Result<Option<String>> {
    Ok(match party {
        Party::Owner => network::profile(c, d.org_id)
            .await?
            .as_ref()
            .and_then(profile_address),
        Party::Coordinator => {
            let f = OrgFilter {
                kind: Some(OrgKind::Coordinator),
                ..Default::default()
            };
            let mut found = None;
            for o in orgs::list(c, &f, None, 20).await?.items {
                if let Some(a) = network::profile(c, o.id)
                    .await?
                    .as_ref()
                    .and_then(profile_address)
                {
                    found = Some(a);
                    break;
                }
            }
            found
        }
        Party::National => settings::get(c, NATIONAL_EMAIL_KEY)
            .await?
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
    })
}

fn titles(form: Form) -> (&'static str, &'static str) {
    match form {
        Form::Mau03 => ("Báo cáo ban đầu sự cố", "Initial incident report"),
        Form::Mau04 => ("Báo cáo kết thúc ứng phó sự cố", "Final incident report"),
        Form::Mau05 => (
            "Báo cáo tổng hợp tiếp nhận và xử lý sự cố",
            "Incident handling summary",
        ),
    }
}

/// Sends an issued document by e-mail to `parties` (empty: the recipients the law names for
/// its form). Every recipient must have an address, or nothing is sent and each one missing is
/// named. Handlers of the incident (or the coordinator, for Mẫu 05) may send.
pub async fn send(core: &Core, actor: &Actor, id: Uuid, parties: &[String]) -> Result<SendOutcome> {
    let (v, form, to) = prepare(core, actor, id, parties).await?;
    let national = to.iter().any(|(p, _)| *p == Party::National);
    if national && approval_required(core).await? {
        let t = now();
        let req = store::SendRequest {
            id: Uuid::now_v7(),
            document_id: id,
            parties: to
                .iter()
                .map(|(p, _)| p.as_str())
                .collect::<Vec<_>>()
                .join(","),
            requested_by: actor.user_id(),
            requested_at: t,
        };
        let mut tx = core.db.begin().await?;
        store::insert_send_request(&mut tx, &req).await?;
        let ev = actor.event(
            "document.send_requested",
            OBJECT,
            Some(id.to_string()),
            Some(v.document.org_id),
            json!({ "request": req.id, "parties": req.parties }),
        );
        audit::append(&mut tx, &ev, t).await?;
        commit(tx).await?;
        return Ok(SendOutcome::AwaitingApproval(req.id));
    }
    Ok(SendOutcome::Queued(
        queue(core, actor, &v, form, &to, None).await?,
    ))
}

/// Approves a sending that waits for a second person, and sends it. The one who asked cannot
/// approve it.
pub async fn approve(core: &Core, actor: &Actor, id: Uuid) -> Result<Vec<Sent>> {
    let v = crate::documents::get(core, actor, id).await?;
    crate::documents::require_write(core, actor, &v.document).await?;
    let req = {
        let mut c = core.db.conn().await?;
        store::pending_send_request(&mut c, id).await?
    };
    let Some(req) = req else {
        return Err(CoreError::field("status", "document.err.no_request"));
    };
    if actor.user_id().is_some() && req.requested_by == actor.user_id() {
        return Err(crate::audit::denied(
            core,
            actor,
            ungcuu_domain::permissions::Action::IncidentCoordinate,
            OBJECT,
            Some(id.to_string()),
            Some(v.document.org_id),
            CoreError::ForbiddenWith("document.err.same_person"),
        )
        .await);
    }
    let parties: Vec<String> = req.parties.split(',').map(str::to_string).collect();
    let (v, form, to) = prepare(core, actor, id, &parties).await?;
    queue(core, actor, &v, form, &to, Some(req.id)).await
}

/// True when the setting asks for a second person before the national coordinator is sent
/// anything (off by default).
pub async fn approval_required(core: &Core) -> Result<bool> {
    let mut c = core.db.conn().await?;
    Ok(settings::get(&mut c, APPROVAL_KEY)
        .await?
        .is_some_and(|v| v.trim() == "true"))
}

/// What a sending did.
#[derive(Debug, Clone)]
pub enum SendOutcome {
    /// The e-mails are in the outbox.
    Queued(Vec<Sent>),
    /// Waiting for a second person's approval (the request's id).
    AwaitingApproval(Uuid),
}

type Recipients = Vec<(Party, String)>;

/// Checks the document may be sent by `actor` and finds every recipient's address (all or
/// nothing: each one missing is named).
async fn prepare(
    core: &Core,
    actor: &Actor,
    id: Uuid,
    parties: &[String],
) -> Result<(crate::documents::DocumentView, Form, Recipients)> {
    let v = crate::documents::get(core, actor, id).await?;
    crate::documents::require_write(core, actor, &v.document).await?;
    let d = &v.document;
    if !d.is_issued() {
        return Err(CoreError::field("status", "document.err.not_issued"));
    }
    let form = Form::parse(&d.form).ok_or(CoreError::NotFound)?;
    let mut chosen = Vec::new();
    for p in parties {
        match Party::parse(p) {
            Some(p) if !chosen.contains(&p) => chosen.push(p),
            Some(_) => {}
            None => return Err(CoreError::field("parties", "document.err.party")),
        }
    }
    if chosen.is_empty() {
        chosen = Party::for_form(form).to_vec();
    }
    let mut to = Vec::new();
    let mut missing = Vec::new();
    {
        let mut c = core.db.conn().await?;
        for &p in &chosen {
            match address(&mut c, p, d).await? {
                Some(a) if a.parse::<lettre::message::Mailbox>().is_ok() => to.push((p, a)),
                _ => missing.push(FieldError::new("parties", p.no_address())),
            }
        }
    }
    if !missing.is_empty() {
        return Err(CoreError::Invalid(missing));
    }
    Ok((v, form, to))
}

/// Queues one e-mail per recipient and records the sending, in one transaction (which also
/// marks the approved request, when there is one).
async fn queue(
    core: &Core,
    actor: &Actor,
    v: &crate::documents::DocumentView,
    form: Form,
    to: &Recipients,
    approval: Option<Uuid>,
) -> Result<Vec<Sent>> {
    let d = &v.document;
    let id = d.id;
    let (Some(pdf_sha), Some(docx_sha)) = (&d.pdf_sha256, &d.docx_sha256) else {
        return Err(CoreError::Internal(format!(
            "issued document {id} has no files"
        )));
    };
    let stem = crate::documents::file_stem(d);
    let files = vec![
        Attachment {
            file_name: format!("{stem}.pdf"),
            media_type: "application/pdf".into(),
            sha256: pdf_sha.clone(),
        },
        Attachment {
            file_name: format!("{stem}.docx"),
            media_type: DOCX_TYPE.into(),
            sha256: docx_sha.clone(),
        },
    ];
    let signed = if to.iter().any(|(p, _)| *p == Party::National) {
        let seed = {
            let mut c = core.db.conn().await?;
            seed(&mut c).await?
        };
        let (json_bytes, sig) = bundle(&seed, d, &v.data)?;
        let dir = &core.config.data_dir;
        Some(vec![
            Attachment {
                file_name: format!("{stem}.json"),
                media_type: "application/json".into(),
                sha256: crate::evidence::put_blob(dir, &json_bytes).await?,
            },
            Attachment {
                file_name: format!("{stem}.json.sig"),
                media_type: "text/plain".into(),
                sha256: crate::evidence::put_blob(dir, format!("{sig}\n").as_bytes()).await?,
            },
        ])
    } else {
        None
    };
    let incident = match d.incident_id {
        Some(i) => {
            let mut c = core.db.conn().await?;
            istore::get(&mut c, i).await?
        }
        None => None,
    };
    let number = d.number.clone().unwrap_or_default();
    let (title_vi, title_en) = titles(form);
    let about = incident
        .as_ref()
        .map(|i| i.title.clone())
        .unwrap_or_else(|| v.data.header().title.clone());
    let subject = format!("[TBSC] {title_vi} số {number}: {about}");
    let text = format!(
        "Kính gửi Quý cơ quan,\n\n{org} gửi {title_vi} số {number} ({about}). Văn bản PDF và DOCX \
         được đính kèm thư này.\n\n---\n\n{org} sends its {title_en} no. {number} ({about}). The \
         PDF and DOCX are attached.\n",
        org = v.data.header().issuing_org,
    );
    let html = format!(
        "<p>Kính gửi Quý cơ quan,</p><p>{org} gửi {title_vi} số {n} ({a}). Văn bản PDF và DOCX \
         được đính kèm thư này.</p><hr><p>{org} sends its {title_en} no. {n} ({a}). The PDF and \
         DOCX are attached.</p>",
        org = html_escape(&v.data.header().issuing_org),
        n = html_escape(&number),
        a = html_escape(&about),
    );
    let t = now();
    let mut tx = core.db.begin().await?;
    if let Some(r) = approval
        && !store::approve_send_request(&mut tx, r, actor.user_id(), t).await?
    {
        return Err(CoreError::field("status", "document.err.no_request"));
    }
    let mut sent = Vec::new();
    for (party, addr) in to {
        let mut list = files.clone();
        if *party == Party::National
            && let Some(extra) = &signed
        {
            list.extend(extra.iter().cloned());
        }
        let m = OutgoingMail {
            to: addr.clone(),
            subject: subject.clone(),
            text: text.clone(),
            html: Some(html.clone()),
        };
        let mail_id = mail::enqueue_with(&mut tx, &m, &list).await?;
        sent.push(Sent {
            party: *party,
            to: addr.clone(),
            mail_id,
        });
    }
    let recipients = to
        .iter()
        .map(|(_, a)| a.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    // The clock this sending stops.
    let clock = match (form, &incident) {
        (Form::Mau03, Some(_)) => Some(ClockKind::Notification),
        (Form::Mau04, Some(i)) if i.response_completed_at.is_some() => Some(ClockKind::FinalReport),
        _ => None,
    };
    if let (Some(kind), Some(i)) = (clock, &incident) {
        cstore::insert(
            &mut tx,
            &ReportRecord {
                id: Uuid::now_v7(),
                incident_id: i.id,
                kind,
                sent_at: t,
                channel: Channel::Email,
                recipients: recipients.clone(),
                note: Some(format!("{title_vi} số {number}")),
                recorded_by: actor.user_id(),
                created_at: t,
            },
        )
        .await?;
    }
    if let Some(i) = &incident {
        let line = format!(
            "Đã gửi {title_vi} số {number} qua thư điện tử tới {recipients} / {title_en} no. \
             {number} e-mailed to {recipients}"
        );
        istore::insert_event(
            &mut tx,
            &crate::incidents::event(actor, i.id, EventKind::Manual, Some(line), t, t),
        )
        .await?;
        istore::touch(&mut tx, i.id, t).await?;
    }
    store::mark_sent(&mut tx, d.id, t).await?;
    let ev = actor.event(
        "document.send",
        OBJECT,
        Some(id.to_string()),
        Some(d.org_id),
        json!({
            "form": d.form,
            "number": number,
            "to": to.iter().map(|(p, a)| json!({"party": p.as_str(), "address": a})).collect::<Vec<_>>(),
            "mails": sent.iter().map(|s| s.mail_id.to_string()).collect::<Vec<_>>(),
            "signed_bundle": signed.as_ref().map(|s| s[0].sha256.clone()),
            "stops_clock": clock.map(|k| k.as_str()),
        }),
    );
    audit::append(&mut tx, &ev, t).await?;
    commit(tx).await?;
    Ok(sent)
}

/// A sending by letter or fax, recorded by hand with its scan.
#[derive(Debug, Clone, Default)]
pub struct HandSending {
    /// `letter` or `fax`.
    pub channel: String,
    /// To whom, as written on the letter.
    pub recipients: String,
    /// Letter number, fax receipt, …
    pub note: String,
}

/// What recording a sending by hand did.
#[derive(Debug, Clone)]
pub struct HandRecorded {
    /// SHA-256 of the scan kept in the blob store.
    pub scan_sha256: String,
    /// The clock it stopped, if any.
    pub stops_clock: Option<ClockKind>,
}

/// Records that an issued document went by letter or fax, keeping the scan (its SHA-256 in the
/// audit event and the report record); stops the incident's clock like an e-mail sending.
pub async fn record_by_hand(
    core: &Core,
    actor: &Actor,
    id: Uuid,
    h: HandSending,
    scan: &[u8],
) -> Result<HandRecorded> {
    let v = crate::documents::get(core, actor, id).await?;
    crate::documents::require_write(core, actor, &v.document).await?;
    let d = &v.document;
    if !d.is_issued() {
        return Err(CoreError::field("status", "document.err.not_issued"));
    }
    let mut errs = Vec::new();
    let channel = match h.channel.trim() {
        "letter" => Some(Channel::Letter),
        "fax" => Some(Channel::Fax),
        _ => {
            errs.push(FieldError::new("channel", "clock.err.channel"));
            None
        }
    };
    let recipients = h.recipients.trim().to_string();
    if recipients.is_empty() {
        errs.push(FieldError::new("recipients", "err.required"));
    } else if recipients.chars().count() > 1000 {
        errs.push(FieldError::new("recipients", "err.too_long"));
    }
    if h.note.chars().count() > 10_000 {
        errs.push(FieldError::new("note", "err.too_long"));
    }
    if scan.is_empty() {
        errs.push(FieldError::new("scan", "err.required"));
    }
    let (Some(channel), true) = (channel, errs.is_empty()) else {
        return Err(CoreError::Invalid(errs));
    };
    let form = Form::parse(&d.form).ok_or(CoreError::NotFound)?;
    let sha = crate::evidence::put_blob(&core.config.data_dir, scan).await?;
    let incident = match d.incident_id {
        Some(i) => {
            let mut c = core.db.conn().await?;
            istore::get(&mut c, i).await?
        }
        None => None,
    };
    let clock = match (form, &incident) {
        (Form::Mau03, Some(_)) => Some(ClockKind::Notification),
        (Form::Mau04, Some(i)) if i.response_completed_at.is_some() => Some(ClockKind::FinalReport),
        _ => None,
    };
    let number = d.number.clone().unwrap_or_default();
    let (title_vi, title_en) = titles(form);
    let t = now();
    let mut tx = core.db.begin().await?;
    if let Some(i) = &incident {
        if let Some(kind) = clock {
            let mut note = format!("{title_vi} số {number}; bản chụp SHA-256 {sha}");
            if !h.note.trim().is_empty() {
                note.push_str(&format!("; {}", h.note.trim()));
            }
            cstore::insert(
                &mut tx,
                &ReportRecord {
                    id: Uuid::now_v7(),
                    incident_id: i.id,
                    kind,
                    sent_at: t,
                    channel,
                    recipients: recipients.clone(),
                    note: Some(note),
                    recorded_by: actor.user_id(),
                    created_at: t,
                },
            )
            .await?;
        }
        let line = format!(
            "Đã gửi {title_vi} số {number} ({}) tới {recipients} / {title_en} no. {number} sent ({}) to {recipients}",
            if channel == Channel::Fax {
                "fax"
            } else {
                "công văn"
            },
            channel.as_str(),
        );
        istore::insert_event(
            &mut tx,
            &crate::incidents::event(actor, i.id, EventKind::Manual, Some(line), t, t),
        )
        .await?;
        istore::touch(&mut tx, i.id, t).await?;
    }
    store::mark_sent(&mut tx, d.id, t).await?;
    let ev = actor.event(
        "document.sent_by_hand",
        OBJECT,
        Some(id.to_string()),
        Some(d.org_id),
        json!({
            "form": d.form,
            "number": number,
            "channel": channel.as_str(),
            "recipients": recipients,
            "scan_sha256": sha,
            "scan_size": scan.len(),
            "stops_clock": clock.map(|k| k.as_str()),
        }),
    );
    audit::append(&mut tx, &ev, t).await?;
    commit(tx).await?;
    Ok(HandRecorded {
        scan_sha256: sha,
        stops_clock: clock,
    })
}
