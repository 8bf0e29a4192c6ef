//! The settings of the legal documents, kept in the settings table: the place printed before
//! the date of a new draft ("Đồng Tháp, ngày … tháng … năm …"), the national coordinator's
//! reporting address (where Mẫu 03, 04 and 05 go), and whether a second person must approve
//! what goes to the national coordinator. Province-wide coordinators (and administrators) read
//! and change them, like the severity rules; every change is audited with the old and new values.

use crate::documents::PLACE_KEY;
use crate::sending::{APPROVAL_KEY, NATIONAL_EMAIL_KEY};
use crate::{Actor, Core, CoreError, Result};
use serde::Serialize;
use serde_json::json;
use ungcuu_domain::timefmt::now;
use ungcuu_domain::validate::Errors;
use ungcuu_store::{audit, commit, settings};

/// The longest place accepted (a province or city name, with room to spare).
pub const PLACE_MAX: usize = 100;

/// The document settings in force (empty text where nothing is set yet).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DocumentSettings {
    /// Địa danh: the place before the date.
    pub place: String,
    /// The national coordinator's (VNCERT/CC's) reporting address.
    pub national_coordinator_email: String,
    /// A second person approves sendings to the national coordinator.
    pub national_approval: bool,
}

async fn load(core: &Core) -> Result<DocumentSettings> {
    let mut c = core.db.conn().await?;
    let text = |v: Option<String>| v.map(|s| s.trim().to_string()).unwrap_or_default();
    Ok(DocumentSettings {
        place: text(settings::get(&mut c, PLACE_KEY).await?),
        national_coordinator_email: text(settings::get(&mut c, NATIONAL_EMAIL_KEY).await?),
        national_approval: settings::get(&mut c, APPROVAL_KEY)
            .await?
            .is_some_and(|v| v.trim() == "true"),
    })
}

/// The document settings (province-wide coordinators and administrators).
pub async fn get(core: &Core, actor: &Actor) -> Result<DocumentSettings> {
    crate::audit::require_settings_writer(core, actor, "documents").await?;
    load(core).await
}

/// Replaces the document settings: the place is required, one line, at most [`PLACE_MAX`]
/// characters; the address must be a real e-mail address. Each bad field is named and nothing is
/// written then; otherwise the three keys change in one transaction with one audit event
/// holding the values before and after.
pub async fn set(core: &Core, actor: &Actor, new: DocumentSettings) -> Result<DocumentSettings> {
    crate::audit::require_settings_writer(core, actor, "documents").await?;
    let mut e = Errors::default();
    let place = e.text("place", new.place.trim(), PLACE_MAX);
    if place.contains(['\n', '\r', '\t']) {
        e.add("place", "err.control_chars");
    }
    let email = e.email(
        "national_coordinator_email",
        &new.national_coordinator_email,
    );
    if e.is_empty() && email.parse::<lettre::message::Mailbox>().is_err() {
        e.add("national_coordinator_email", "err.email");
    }
    e.into_result().map_err(CoreError::Invalid)?;
    let after = DocumentSettings {
        place,
        national_coordinator_email: email,
        national_approval: new.national_approval,
    };
    let before = load(core).await?;
    let t = now();
    let mut tx = core.db.begin().await?;
    settings::set(&mut tx, PLACE_KEY, &after.place, t).await?;
    settings::set(
        &mut tx,
        NATIONAL_EMAIL_KEY,
        &after.national_coordinator_email,
        t,
    )
    .await?;
    let approval = if after.national_approval {
        "true"
    } else {
        "false"
    };
    settings::set(&mut tx, APPROVAL_KEY, approval, t).await?;
    let ev = actor.event(
        "settings.documents",
        "settings",
        Some("documents".into()),
        None,
        json!({ "before": before, "after": after }),
    );
    audit::append(&mut tx, &ev, t).await?;
    commit(tx).await?;
    Ok(after)
}
