//! Telling people that something happened: an entry in the in-app notification centre and an
//! e-mail in the recipient's language (HTML and plain text), written in the caller's transaction
//! so the notice exists exactly when the change that caused it does.
//!
//! Every use case that tells people goes through [`tell`]; the recipient lists used in several
//! places (the province's coordinators, an organisation's officers) live here too. Each person
//! chooses per topic whether the e-mail goes at once, in a daily digest at their hour, or not at
//! all (`ungcuu_domain::notice`); the notification centre always keeps the notice.

use crate::mail::{OutgoingMail, html_escape};
use crate::{Actor, Core, CoreError, Result};
use serde_json::json;
use time::OffsetDateTime;
use ungcuu_domain::notice::{DEFAULT_DIGEST_HOUR, Mode, Topic, digest_due};
use ungcuu_domain::timefmt::{self, now};
use ungcuu_domain::validate::Errors;
use ungcuu_domain::{OrgKind, Role};
use ungcuu_store::network::Notification;
use ungcuu_store::notices as store;
use ungcuu_store::notices::SavedFilter;
use ungcuu_store::{Connection, audit, commit, network, users};
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
        let id = network::notify(
            tx,
            p.id,
            notice.kind,
            notice.text.0,
            notice.text.1,
            Some(notice.link),
            t,
        )
        .await?;
        let mode = store::pref(tx, p.id, Topic::of_kind(notice.kind).as_str())
            .await?
            .and_then(|m| Mode::parse(&m))
            .unwrap_or_default();
        match mode {
            Mode::Off => continue,
            Mode::Digest => {
                store::enqueue_digest(tx, id, p.id, t).await?;
                continue;
            }
            Mode::Now => {}
        }
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

/// The job kind of the digest scan.
pub const DIGEST_JOB: &str = "notices.digest";

/// A person's e-mail preferences: the mode of every topic and the digest hour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preferences {
    /// Every topic with its mode (the default where none was chosen).
    pub modes: Vec<(Topic, Mode)>,
    /// The digest hour, Vietnam time.
    pub digest_hour: i64,
}

/// The acting person's preferences.
pub async fn preferences(core: &Core, actor: &Actor) -> Result<Preferences> {
    let uid = actor.user_id().ok_or(CoreError::Unauthenticated)?;
    let mut c = core.db.conn().await?;
    read_preferences(&mut c, uid).await
}

async fn read_preferences(c: &mut Connection, uid: Uuid) -> Result<Preferences> {
    let chosen = store::prefs(c, uid).await?;
    let modes = Topic::ALL
        .into_iter()
        .map(|t| {
            let m = chosen
                .iter()
                .find(|(topic, _)| topic == t.as_str())
                .and_then(|(_, m)| Mode::parse(m))
                .unwrap_or_default();
            (t, m)
        })
        .collect();
    let digest_hour = store::digest(c, uid)
        .await?
        .map(|(h, _)| h)
        .unwrap_or(DEFAULT_DIGEST_HOUR);
    Ok(Preferences { modes, digest_hour })
}

/// Changes the acting person's preferences: the given topics (by code) to the given modes (by
/// code), and the digest hour when given. Unknown topics or modes and hours outside 0-23 are
/// refused by field, and nothing is written.
pub async fn set_preferences(
    core: &Core,
    actor: &Actor,
    modes: &[(String, String)],
    digest_hour: Option<i64>,
) -> Result<Preferences> {
    let uid = actor.user_id().ok_or(CoreError::Unauthenticated)?;
    let mut e = Errors::default();
    let mut parsed = Vec::with_capacity(modes.len());
    for (topic, mode) in modes {
        match (Topic::parse(topic), Mode::parse(mode)) {
            (Some(t), Some(m)) => parsed.push((t, m)),
            (None, _) => e.add(&format!("modes.{topic}"), "err.unknown_topic"),
            (_, None) => e.add(&format!("modes.{topic}"), "err.unknown_mode"),
        }
    }
    if let Some(h) = digest_hour
        && !(0..=23).contains(&h)
    {
        e.add("digest_hour", "err.hour_range");
    }
    e.into_result().map_err(CoreError::Invalid)?;
    let t = now();
    let mut tx = core.db.begin().await?;
    for (topic, mode) in &parsed {
        store::set_pref(&mut tx, uid, topic.as_str(), mode.as_str()).await?;
    }
    if let Some(h) = digest_hour {
        store::set_digest_hour(&mut tx, uid, h).await?;
    }
    let ev = actor.event(
        "notices.preferences",
        "user",
        Some(uid.to_string()),
        None,
        json!({
            "modes": parsed.iter().map(|(t, m)| (t.as_str(), m.as_str())).collect::<std::collections::BTreeMap<_, _>>(),
            "digest_hour": digest_hour,
        }),
    );
    audit::append(&mut tx, &ev, t).await?;
    let out = read_preferences(&mut tx, uid).await?;
    commit(tx).await?;
    Ok(out)
}

/// Sends the daily digests that are due at `at`: one e-mail per person listing every notice
/// that waited, in their language; returns how many digests went. Each person's digest is its
/// own transaction (take the queue, enqueue the mail, record the time), so a crash never sends
/// a notice twice or loses one.
pub async fn send_digests(core: &Core, at: OffsetDateTime) -> Result<usize> {
    let waiting = {
        let mut c = core.db.conn().await?;
        store::digest_waiting(&mut c).await?
    };
    let mut sent = 0;
    for uid in waiting {
        let mut tx = core.db.begin().await?;
        let (hour, last) = store::digest(&mut tx, uid)
            .await?
            .unwrap_or((DEFAULT_DIGEST_HOUR, None));
        if !digest_due(hour, last, at) {
            commit(tx).await?;
            continue;
        }
        let items = store::take_digest(&mut tx, uid).await?;
        let person = recipient(&mut tx, uid).await?;
        if let (Some(p), false) = (person, items.is_empty()) {
            crate::mail::enqueue(&mut tx, &digest_mail(core, &p, &items)).await?;
            sent += 1;
        }
        store::digest_sent(&mut tx, uid, hour, at).await?;
        commit(tx).await?;
    }
    Ok(sent)
}

fn digest_mail(core: &Core, p: &Recipient, items: &[Notification]) -> OutgoingMail {
    let en = p.locale == "en";
    let subject = if en {
        format!("[ungcuu] Daily digest: {} notice(s)", items.len())
    } else {
        format!("[ungcuu] Tổng hợp trong ngày: {} thông báo", items.len())
    };
    let mut text = String::new();
    let mut html = String::from("<ul>");
    for n in items {
        let body = if en { &n.text_en } else { &n.text_vi };
        let when = timefmt::show(n.created_at);
        let url = n
            .link
            .as_deref()
            .map(|l| format!("{}{l}", core.config.public_url));
        text.push_str(&format!("- {when}: {body}\n"));
        html.push_str(&format!(
            "<li>{}: {}",
            html_escape(&when),
            html_escape(body)
        ));
        if let Some(u) = url {
            text.push_str(&format!("  {u}\n"));
            html.push_str(&format!(
                " <a href=\"{}\">{}</a>",
                html_escape(&u),
                html_escape(&u)
            ));
        }
        html.push_str("</li>");
    }
    html.push_str("</ul>");
    OutgoingMail {
        to: p.email.clone(),
        subject,
        text,
        html: Some(html),
    }
}

/// Enqueues a digest scan due now (the worker calls this with the clock scan).
pub async fn enqueue_digest_scan(core: &Core) -> Result<()> {
    let mut c = core.db.conn().await?;
    ungcuu_store::jobs::enqueue(&mut c, DIGEST_JOB, &json!({}), now(), 1).await?;
    Ok(())
}

/// Whether the acting person follows an incident (they must be able to read it).
pub async fn following(core: &Core, actor: &Actor, incident: Uuid) -> Result<bool> {
    let i = crate::incidents::get(core, actor, incident).await?;
    let uid = actor.user_id().ok_or(CoreError::Unauthenticated)?;
    let mut c = core.db.conn().await?;
    Ok(store::is_following(&mut c, i.id, uid).await?)
}

/// Starts or stops following an incident; anyone who can read it may follow it.
pub async fn set_following(core: &Core, actor: &Actor, incident: Uuid, on: bool) -> Result<bool> {
    let i = crate::incidents::get(core, actor, incident).await?;
    let uid = actor.user_id().ok_or(CoreError::Unauthenticated)?;
    let t = now();
    let mut tx = core.db.begin().await?;
    let changed = if on {
        store::follow(&mut tx, i.id, uid, t).await?
    } else {
        store::unfollow(&mut tx, i.id, uid).await?
    };
    if changed {
        let ev = actor.event(
            if on {
                "incident.follow"
            } else {
                "incident.unfollow"
            },
            crate::incidents::OBJECT,
            Some(i.id.to_string()),
            Some(i.owner.id),
            json!({}),
        );
        audit::append(&mut tx, &ev, t).await?;
    }
    commit(tx).await?;
    Ok(on)
}

/// Tells the followers of an incident (except `except`, usually whoever made the change).
pub async fn tell_followers(
    tx: &mut Connection,
    core: &Core,
    incident: Uuid,
    except: Option<Uuid>,
    notice: &Notice<'_>,
    t: OffsetDateTime,
) -> Result<()> {
    let mut people = Vec::new();
    for uid in store::followers(tx, incident).await? {
        if Some(uid) == except {
            continue;
        }
        if let Some(r) = recipient(tx, uid).await? {
            people.push(r);
        }
    }
    tell(tx, core, &people, notice, t).await
}

/// The longest name of a saved filter.
pub const FILTER_NAME_MAX: usize = 100;
/// The longest saved query string.
pub const FILTER_QUERY_MAX: usize = 2000;

/// The acting person's saved queue filters.
pub async fn saved_filters(core: &Core, actor: &Actor) -> Result<Vec<SavedFilter>> {
    let uid = actor.user_id().ok_or(CoreError::Unauthenticated)?;
    let mut c = core.db.conn().await?;
    Ok(store::filters(&mut c, uid).await?)
}

/// Saves the queue's current query under a name. The query is kept as given (it is only ever
/// used as the query string of the queue, which validates its own parameters).
pub async fn save_filter(
    core: &Core,
    actor: &Actor,
    name: &str,
    query: &str,
) -> Result<SavedFilter> {
    let uid = actor.user_id().ok_or(CoreError::Unauthenticated)?;
    let name = name.trim();
    let query = query.trim().trim_start_matches('?');
    let mut e = Errors::default();
    if name.is_empty() {
        e.add("name", "err.required");
    } else if name.chars().count() > FILTER_NAME_MAX {
        e.add("name", "err.too_long");
    }
    if query.len() > FILTER_QUERY_MAX {
        e.add("query", "err.too_long");
    } else if query.chars().any(|c| c.is_control() || c == '#') {
        e.add("query", "err.invalid");
    }
    e.into_result().map_err(CoreError::Invalid)?;
    let f = SavedFilter {
        id: Uuid::now_v7(),
        user_id: uid,
        name: name.to_string(),
        query: query.to_string(),
        created_at: now(),
    };
    let mut tx = core.db.begin().await?;
    if !store::save_filter(&mut tx, &f).await? {
        return Err(CoreError::field("name", "err.name_taken"));
    }
    let ev = actor.event(
        "incident.filter_saved",
        "saved_filter",
        Some(f.id.to_string()),
        None,
        json!({ "name": f.name, "query": f.query }),
    );
    audit::append(&mut tx, &ev, f.created_at).await?;
    commit(tx).await?;
    Ok(f)
}

/// Deletes one of the acting person's saved filters (another person's is "not found").
pub async fn delete_filter(core: &Core, actor: &Actor, id: Uuid) -> Result<()> {
    let uid = actor.user_id().ok_or(CoreError::Unauthenticated)?;
    let t = now();
    let mut tx = core.db.begin().await?;
    if !store::delete_filter(&mut tx, uid, id).await? {
        return Err(CoreError::NotFound);
    }
    let ev = actor.event(
        "incident.filter_deleted",
        "saved_filter",
        Some(id.to_string()),
        None,
        json!({}),
    );
    audit::append(&mut tx, &ev, t).await?;
    commit(tx).await?;
    Ok(())
}
