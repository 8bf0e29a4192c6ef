//! Sendings of an issued document by letter or fax (công văn, fax: TT 20 Điều 9 channels),
//! recorded by hand with the scan of what was sent. Recording stops the incident's clock like an
//! e-mail sending; the scan is kept in the blob store and downloaded by whoever reads the
//! document, as an attachment with a media type recognised from its bytes.

use crate::documents::{Form, OBJECT};
use crate::sending::titles;
use crate::{Actor, Core, CoreError, Result};
use serde_json::json;
use ungcuu_domain::clocks::{Channel, ClockKind};
use ungcuu_domain::timefmt::now;
use ungcuu_domain::validate::FieldError;
use ungcuu_store::clocks::{self as cstore, ReportRecord};
use ungcuu_store::documents as store;
use ungcuu_store::incidents as istore;
use ungcuu_store::{audit, commit};
use uuid::Uuid;

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
    /// The sending's id (its scan is downloaded under it).
    pub id: Uuid,
    /// The media type recognised from the scan's bytes.
    pub media_type: &'static str,
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
    let media_type = scan_media_type(scan);
    let sending_id = Uuid::now_v7();
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
    store::insert_hand_sending(
        &mut tx,
        &store::HandSending {
            id: sending_id,
            document_id: id,
            channel: channel.as_str().into(),
            recipients: recipients.clone(),
            note: Some(h.note.trim().to_string()).filter(|n| !n.is_empty()),
            scan_sha256: sha.clone(),
            scan_media_type: media_type.into(),
            scan_size: scan.len() as i64,
            recorded_by: actor.user_id(),
            created_at: t,
        },
    )
    .await?;
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
        crate::incidents::note_line(&mut tx, actor, i.id, line, t).await?;
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
            "sending": sending_id,
            "scan_sha256": sha,
            "scan_media_type": media_type,
            "scan_size": scan.len(),
            "stops_clock": clock.map(|k| k.as_str()),
        }),
    );
    audit::append(&mut tx, &ev, t).await?;
    commit(tx).await?;
    Ok(HandRecorded {
        id: sending_id,
        media_type,
        scan_sha256: sha,
        stops_clock: clock,
    })
}

/// The media types a scan is served as: what scanners and fax gateways produce. Anything else
/// is kept and served as `application/octet-stream` (always as an attachment).
const SCAN_TYPES: &[&str] = &["application/pdf", "image/png", "image/jpeg", "image/gif"];

/// The media type of a scan, recognised from its bytes (never from what the client says).
fn scan_media_type(bytes: &[u8]) -> &'static str {
    let t = ungcuu_domain::evidence::sniff(&bytes[..bytes.len().min(64)]);
    if SCAN_TYPES.contains(&t) {
        t
    } else if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        "image/tiff"
    } else {
        "application/octet-stream"
    }
}

fn scan_extension(media_type: &str) -> &'static str {
    match media_type {
        "application/pdf" => "pdf",
        "image/png" => "png",
        "image/jpeg" => "jpg",
        "image/gif" => "gif",
        "image/tiff" => "tif",
        _ => "bin",
    }
}

/// The sendings of a document by letter or fax, oldest first; read by whoever reads the
/// document.
pub async fn hand_sendings(
    core: &Core,
    actor: &Actor,
    id: Uuid,
) -> Result<Vec<store::HandSending>> {
    crate::documents::get(core, actor, id).await?;
    let mut c = core.db.conn().await?;
    Ok(store::hand_sendings(&mut c, id).await?)
}

/// The scan of a sending by hand, as kept: read by whoever reads the document (anyone else gets
/// "not found"), with a file name built here and the media type restricted to [`SCAN_TYPES`]
/// and TIFF.
pub async fn scan(
    core: &Core,
    actor: &Actor,
    id: Uuid,
    sending: Uuid,
) -> Result<crate::documents::Rendered> {
    let v = crate::documents::get(core, actor, id).await?;
    let h = {
        let mut c = core.db.conn().await?;
        store::hand_sending(&mut c, id, sending).await?
    }
    .ok_or(CoreError::NotFound)?;
    let bytes = crate::evidence::read_blob(&core.config.data_dir, &h.scan_sha256).await?;
    let media_type = match SCAN_TYPES
        .iter()
        .chain(["image/tiff"].iter())
        .find(|t| **t == h.scan_media_type)
    {
        Some(t) => *t,
        None => "application/octet-stream",
    };
    // The random end of the v7 id tells two scans of one document apart.
    let simple = h.id.simple().to_string();
    let short = &simple[simple.len() - 8..];
    Ok(crate::documents::Rendered {
        file_name: format!(
            "{}-ban-chup-{}-{short}.{}",
            crate::documents::file_stem(&v.document),
            h.channel,
            scan_extension(media_type)
        ),
        media_type,
        bytes,
    })
}
