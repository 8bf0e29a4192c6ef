//! Sending an issued document by e-mail to the recipients the law names (legal spec §2.1): Mẫu 03 to the
//! system owner, the province's coordinator and the national coordinator; Mẫu 04 to the system
//! owner, the coordinator and the national coordinator; Mẫu 05 to the national coordinator.
//! Mẫu 03 and 04 also go to the responsible network members the sender chooses (row D1: "any
//! responsible network member"): organisations whose profile carries a network member code.
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
use ungcuu_store::incidents as istore;
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
    /// A responsible member of the national response network (thành viên mạng lưới ứng cứu sự
    /// cố có liên quan), chosen by the sender for Mẫu 03 and 04.
    NetworkMember,
}

impl Party {
    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Party::Owner => "owner",
            Party::Coordinator => "coordinator",
            Party::National => "national",
            Party::NetworkMember => "network_member",
        }
    }

    fn parse(s: &str) -> Option<Party> {
        match s.trim() {
            "owner" => Some(Party::Owner),
            "coordinator" => Some(Party::Coordinator),
            "national" => Some(Party::National),
            "network_member" => Some(Party::NetworkMember),
            _ => None,
        }
    }

    fn no_address(self) -> &'static str {
        match self {
            Party::Owner => "document.err.no_address_owner",
            Party::Coordinator => "document.err.no_address_coordinator",
            Party::National => "document.err.no_address_national",
            Party::NetworkMember => "document.err.no_address_member",
        }
    }

    /// The recipients the law names for a form (network members are chosen one by one, so
    /// they are not among them).
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
    /// The network member organisation, for [`Party::NetworkMember`].
    pub org_id: Option<Uuid>,
    /// The address.
    pub to: String,
    /// The outbox message.
    pub mail_id: Uuid,
}

/// One recipient of a sending.
#[derive(Debug, Clone)]
struct Recipient {
    party: Party,
    org_id: Option<Uuid>,
    to: String,
}

/// A member of the national response network, as the send form offers it.
#[derive(Debug, Clone)]
pub struct NetworkMember {
    /// The organisation.
    pub org_id: Uuid,
    /// Its name.
    pub name: String,
    /// Mã thành viên mạng lưới.
    pub code: String,
    /// Its address for documents (intake e-mail, else e-mail), when it has one.
    pub address: Option<String>,
}

/// The kinds of organisation every sender may choose as a network member although they are
/// outside its part of the tree: the province's response bodies, named on every document anyway.
const ALWAYS_OFFERED: &[OrgKind] = &[OrgKind::Coordinator, OrgKind::Csirt, OrgKind::National];

/// The members of the national response network (organisations whose profile carries a member
/// code) that `actor` may send to, by name: those it may read, and the province's response
/// bodies (coordinator, response team) and national bodies. Other organisations stay hidden, as
/// everywhere else.
pub async fn network_members(core: &Core, actor: &Actor) -> Result<Vec<NetworkMember>> {
    let readable: Vec<Uuid> = crate::orgs::all_readable(core, actor)
        .await?
        .into_iter()
        .map(|o| o.id)
        .collect();
    let mut c = core.db.conn().await?;
    let mut out = Vec::new();
    for (org_id, p) in network::network_members(&mut c).await? {
        let Some(o) = orgs::get(&mut c, org_id).await? else {
            continue;
        };
        if !readable.contains(&o.id) && !ALWAYS_OFFERED.contains(&o.kind) {
            continue;
        }
        out.push(NetworkMember {
            org_id,
            name: o.name,
            code: p.member_code.clone().unwrap_or_default(),
            address: profile_address(&p),
        });
    }
    out.sort_by(|a, b| {
        ungcuu_domain::text::fold(&a.name)
            .cmp(&ungcuu_domain::text::fold(&b.name))
            .then(a.org_id.cmp(&b.org_id))
    });
    Ok(out)
}

/// The member organisations already involved in an incident (granted access to it), which the
/// send form ticks by default.
pub async fn involved_members(core: &Core, incident: Uuid) -> Result<Vec<Uuid>> {
    let mut c = core.db.conn().await?;
    let members: Vec<Uuid> = network::network_members(&mut c)
        .await?
        .into_iter()
        .map(|(o, _)| o)
        .collect();
    Ok(
        ungcuu_store::grants::for_object(&mut c, "incident", incident)
            .await?
            .into_iter()
            .filter_map(|g| match g.grantee {
                ungcuu_store::grants::Grantee::Org(o) if members.contains(&o) => Some(o),
                _ => None,
            })
            .collect(),
    )
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

/// Checks a received bundle: `bytes` (the `.json` file) against its detached signature (hex,
/// the `.json.sig` file) with the sender's public key (hex). The reason when it fails.
pub fn verify_bundle(
    public_key: &str,
    bytes: &[u8],
    signature: &str,
) -> std::result::Result<(), String> {
    ungcuu_reports::sign::verify_detached(public_key, bytes, signature).map_err(|e| e.to_string())
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
        Party::National => match settings::get(c, NATIONAL_EMAIL_KEY)
            .await?
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
        {
            Some(a) => Some(a),
            // Else the national coordinator's contact a coordinator set for requests (never its
            // built-in default: a fresh installation must not mail VNCERT/CC on its own).
            None => crate::coordination::stored_national_contact(c)
                .await?
                .map(|n| n.email.trim().to_string())
                .filter(|s| !s.is_empty()),
        },
        // Each member has its own address, found in `prepare`.
        Party::NetworkMember => None,
    })
}

/// The Vietnamese and English titles of a form, for subjects and timeline lines.
pub(crate) fn titles(form: Form) -> (&'static str, &'static str) {
    match form {
        Form::Mau03 => ("Báo cáo ban đầu sự cố", "Initial incident report"),
        Form::Mau04 => ("Báo cáo kết thúc ứng phó sự cố", "Final incident report"),
        Form::Mau05 => (
            "Báo cáo tổng hợp tiếp nhận và xử lý sự cố",
            "Incident handling summary",
        ),
    }
}

/// The prefix of a chosen network member in a stored send request's party list.
const MEMBER_PREFIX: &str = "network_member:";

/// Sends an issued document by e-mail to `parties` (empty: the recipients the law names for
/// its form) and to the network member organisations `members` (Mẫu 03 and 04 only). Every
/// recipient must have an address, or nothing is sent and each one missing is named. Handlers
/// of the incident (or the coordinator, for Mẫu 05) may send.
pub async fn send(
    core: &Core,
    actor: &Actor,
    id: Uuid,
    parties: &[String],
    members: &[Uuid],
) -> Result<SendOutcome> {
    let (v, form, to) = prepare(core, actor, id, parties, members).await?;
    let national = to.iter().any(|r| r.party == Party::National);
    if national && approval_required(core).await? {
        let t = now();
        let req = store::SendRequest {
            id: Uuid::now_v7(),
            document_id: id,
            parties: to
                .iter()
                .map(|r| match r.org_id {
                    Some(o) => format!("{MEMBER_PREFIX}{o}"),
                    None => r.party.as_str().to_string(),
                })
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
    let mut parties = Vec::new();
    let mut members = Vec::new();
    for p in req.parties.split(',') {
        match p.strip_prefix(MEMBER_PREFIX) {
            Some(o) => members.push(
                Uuid::parse_str(o).map_err(|_| CoreError::Internal("stored member id".into()))?,
            ),
            None => parties.push(p.to_string()),
        }
    }
    let (v, form, to) = prepare(core, actor, id, &parties, &members).await?;
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

type Recipients = Vec<Recipient>;

/// Checks the document may be sent by `actor` and finds every recipient's address (all or
/// nothing: each one missing is named).
async fn prepare(
    core: &Core,
    actor: &Actor,
    id: Uuid,
    parties: &[String],
    members: &[Uuid],
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
    if chosen.contains(&Party::NetworkMember) && members.is_empty() {
        return Err(CoreError::field("members", "err.required"));
    }
    if chosen.is_empty() {
        chosen = Party::for_form(form).to_vec();
    }
    if !members.is_empty() && !chosen.contains(&Party::NetworkMember) {
        chosen.push(Party::NetworkMember);
    }
    if form == Form::Mau05 && chosen.contains(&Party::NetworkMember) {
        return Err(CoreError::field("members", "document.err.members_form"));
    }
    let mut to: Recipients = Vec::new();
    let mut missing = Vec::new();
    {
        let mut c = core.db.conn().await?;
        for &p in chosen.iter().filter(|p| **p != Party::NetworkMember) {
            match address(&mut c, p, d).await? {
                Some(a) if a.parse::<lettre::message::Mailbox>().is_ok() => to.push(Recipient {
                    party: p,
                    org_id: None,
                    to: a,
                }),
                _ => missing.push(FieldError::new("parties", p.no_address())),
            }
        }
    }
    if !members.is_empty() {
        let offered = network_members(core, actor).await?;
        let mut seen = Vec::new();
        for &m in members {
            if seen.contains(&m) {
                continue;
            }
            seen.push(m);
            // Not a member, or one the actor may not see: the same answer, naming only the id.
            let Some(member) = offered.iter().find(|o| o.org_id == m) else {
                missing.push(FieldError::about(
                    "members",
                    "document.err.not_member",
                    m.to_string(),
                ));
                continue;
            };
            match &member.address {
                Some(a) if a.parse::<lettre::message::Mailbox>().is_ok() => to.push(Recipient {
                    party: Party::NetworkMember,
                    org_id: Some(m),
                    to: a.clone(),
                }),
                _ => missing.push(FieldError::about(
                    "members",
                    Party::NetworkMember.no_address(),
                    member.name.clone(),
                )),
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
    let signed = if to.iter().any(|r| r.party == Party::National) {
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
    for r in to {
        let mut list = files.clone();
        if r.party == Party::National
            && let Some(extra) = &signed
        {
            list.extend(extra.iter().cloned());
        }
        let m = OutgoingMail {
            to: r.to.clone(),
            subject: subject.clone(),
            text: text.clone(),
            html: Some(html.clone()),
        };
        let mail_id = mail::enqueue_with(&mut tx, &m, &list).await?;
        sent.push(Sent {
            party: r.party,
            org_id: r.org_id,
            to: r.to.clone(),
            mail_id,
        });
    }
    let recipients = to
        .iter()
        .map(|r| r.to.as_str())
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
        crate::incidents::note_line(&mut tx, actor, i.id, line, t).await?;
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
            "to": to.iter().map(|r| json!({"party": r.party.as_str(), "org_id": r.org_id, "address": r.to})).collect::<Vec<_>>(),
            "mails": sent.iter().map(|s| s.mail_id.to_string()).collect::<Vec<_>>(),
            "signed_bundle": signed.as_ref().map(|s| s[0].sha256.clone()),
            "stops_clock": clock.map(|k| k.as_str()),
        }),
    );
    audit::append(&mut tx, &ev, t).await?;
    commit(tx).await?;
    Ok(sent)
}
