//! Telling people that something happened: an entry in the in-app notification centre and an
//! e-mail in the recipient's language (HTML and plain text), written in the caller's transaction
//! so the notice exists exactly when the change that caused it does.
//!
//! Every use case that tells people goes through [`tell`]; the recipient lists used in several
//! places (the province's coordinators, an organisation's officers) live here too.

use crate::mail::{OutgoingMail, html_escape};
use crate::{Core, Result};
use time::OffsetDateTime;
use ungcuu_domain::{OrgKind, Role};
use ungcuu_store::{Connection, network, users};
use uuid::Uuid;

/// Someone to tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    /// The account.
    pub id: Uuid,
    /// Where the e-mail goes.
    pub email: String,
    /// `vi` or `en`.
    pub locale: String,
}

/// What to tell: a kind (for filtering and, later, preferences), a subject and a one-paragraph
/// text in both languages, and the page it is about.
#[derive(Debug, Clone, Copy)]
pub struct Notice<'a> {
    /// Dotted kind, e.g. `clock.overdue`, `team.convened`.
    pub kind: &'a str,
    /// E-mail subject (Vietnamese, English).
    pub subject: (&'a str, &'a str),
    /// The text (Vietnamese, English); plain text, escaped wherever it is shown.
    pub text: (&'a str, &'a str),
    /// Path of the page it is about, e.g. `/incidents/<id>`.
    pub link: &'a str,
}

/// Tells each recipient once (duplicates in `people` are skipped).
pub async fn tell(
    tx: &mut Connection,
    core: &Core,
    people: &[Recipient],
    notice: &Notice<'_>,
    t: OffsetDateTime,
) -> Result<()> {
    let url = format!("{}{}", core.config.public_url, notice.link);
    let mut told: Vec<Uuid> = Vec::with_capacity(people.len());
    for p in people {
        if told.contains(&p.id) {
            continue;
        }
        told.push(p.id);
        network::notify(
            tx,
            p.id,
            notice.kind,
            notice.text.0,
            notice.text.1,
            Some(notice.link),
            t,
        )
        .await?;
        let (subject, body) = if p.locale == "en" {
            (notice.subject.1, notice.text.1)
        } else {
            (notice.subject.0, notice.text.0)
        };
        crate::mail::enqueue(
            tx,
            &OutgoingMail {
                to: p.email.clone(),
                subject: subject.into(),
                text: format!("{body}\n\n{url}\n"),
                html: Some(format!(
                    "<p>{}</p><p><a href=\"{}\">{}</a></p>",
                    html_escape(body),
                    html_escape(&url),
                    html_escape(&url)
                )),
            },
        )
        .await?;
    }
    Ok(())
}

/// One account as a recipient, if it exists and is not disabled.
pub async fn recipient(c: &mut Connection, user: Uuid) -> Result<Option<Recipient>> {
    Ok(users::get(c, user)
        .await?
        .filter(|u| u.disabled_at.is_none())
        .map(|u| Recipient {
            id: u.id,
            email: u.email,
            locale: u.locale,
        }))
}

/// Active accounts holding `role` in organisation `org` (or in any organisation when `org` is
/// `None`), optionally only in organisations of one kind.
pub async fn holders(
    c: &mut Connection,
    org: Option<Uuid>,
    role: Role,
    kind: Option<OrgKind>,
) -> Result<Vec<Recipient>> {
    let page = users::list_memberships(c, None, None, org, None, 10_000).await?;
    let mut out: Vec<Recipient> = Vec::new();
    for m in page
        .items
        .into_iter()
        .filter(|m| m.role == role && kind.is_none_or(|k| m.org_kind == k))
    {
        if out.iter().any(|r| r.id == m.user_id) {
            continue;
        }
        if let Some(r) = recipient(c, m.user_id).await? {
            out.push(r);
        }
    }
    Ok(out)
}

/// Everyone who coordinates the province: the coordinator role held in a coordinator organisation.
pub async fn coordinators(c: &mut Connection) -> Result<Vec<Recipient>> {
    holders(c, None, Role::Coordinator, Some(OrgKind::Coordinator)).await
}

/// The security officers of one organisation.
pub async fn officers(c: &mut Connection, org: Uuid) -> Result<Vec<Recipient>> {
    holders(c, Some(org), Role::Officer, None).await
}
