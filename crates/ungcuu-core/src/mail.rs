//! Outgoing e-mail. A message is stored in the outbox in the same transaction as the change
//! that causes it, then a job delivers it over SMTP, or, with no SMTP configured, writes it to
//! `DATA_DIR/outbox/<id>.eml` so nothing is lost.

use crate::{Actor, Core, CoreError, Result};
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Attachment, Body, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde_json::json;
use std::io::Write;
use time::Duration;
use ungcuu_domain::permissions::Action;
use ungcuu_domain::timefmt::now;
use ungcuu_domain::validate::Errors;
use ungcuu_store::Connection as AnyConnection;
use ungcuu_store::outbox::{self, Mail};
use ungcuu_store::{audit, commit, jobs};
use uuid::Uuid;

/// The job kind that delivers one message.
pub const JOB_KIND: &str = "mail.send";

/// A message to send.
#[derive(Debug, Clone)]
pub struct OutgoingMail {
    /// Recipient.
    pub to: String,
    /// Subject.
    pub subject: String,
    /// Plain text.
    pub text: String,
    /// HTML alternative.
    pub html: Option<String>,
}

/// Stores a message and enqueues its delivery, in the caller's transaction.
pub async fn enqueue(c: &mut AnyConnection, m: &OutgoingMail) -> Result<Uuid> {
    enqueue_with(c, m, &[]).await
}

/// Like [`enqueue`], with files attached (blob references, read when it is delivered).
pub async fn enqueue_with(
    c: &mut AnyConnection,
    m: &OutgoingMail,
    attachments: &[outbox::Attachment],
) -> Result<Uuid> {
    let t = now();
    let mail = Mail {
        id: Uuid::now_v7(),
        to_addr: m.to.clone(),
        subject: m.subject.clone(),
        body_text: m.text.clone(),
        body_html: m.html.clone(),
        status: "pending".into(),
        attempts: 0,
        created_at: t,
    };
    outbox::insert(c, &mail).await?;
    outbox::insert_attachments(c, mail.id, attachments).await?;
    jobs::enqueue(c, JOB_KIND, &json!({ "mail_id": mail.id }), t, 8).await?;
    Ok(mail.id)
}

/// An attachment's bytes, read from the blob store for delivery.
type Loaded = (outbox::Attachment, Vec<u8>);

fn build(core: &Core, m: &Mail, files: Vec<Loaded>) -> Result<Message> {
    let from: Mailbox = core
        .config
        .mail_from
        .parse()
        .map_err(|e| CoreError::Internal(format!("bad sender address: {e}")))?;
    let to: Mailbox = m
        .to_addr
        .parse()
        .map_err(|e| CoreError::Internal(format!("bad recipient address: {e}")))?;
    let builder = Message::builder()
        .from(from)
        .to(to)
        .subject(m.subject.clone())
        .message_id(Some(format!("<{}@ungcuu>", m.id)));
    let text = SinglePart::builder()
        .header(ContentType::TEXT_PLAIN)
        .body(m.body_text.clone());
    let msg = match (&m.body_html, files.is_empty()) {
        (Some(html), true) => builder.multipart(
            MultiPart::alternative().singlepart(text).singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_HTML)
                    .body(html.clone()),
            ),
        ),
        (None, true) => builder.singlepart(text),
        // multipart/mixed: the body (with its HTML alternative), then each file.
        (html, false) => {
            let mut mixed = match html {
                Some(html) => MultiPart::mixed().multipart(
                    MultiPart::alternative().singlepart(text).singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .body(html.clone()),
                    ),
                ),
                None => MultiPart::mixed().singlepart(text),
            };
            for (a, bytes) in files {
                let kind = ContentType::parse(&a.media_type).unwrap_or_else(|_| {
                    ContentType::parse("application/octet-stream").expect("valid type")
                });
                // Always base64: the recipient gets the exact bytes whatever they hold (a
                // signature line would otherwise go quoted-printable and be re-wrapped).
                let body = Body::new_with_encoding(bytes, ContentTransferEncoding::Base64)
                    .map_err(|_| CoreError::Internal("attachment encoding".into()))?;
                mixed = mixed.singlepart(Attachment::new(a.file_name).body(body, kind));
            }
            builder.multipart(mixed)
        }
    };
    msg.map_err(|e| CoreError::Internal(format!("cannot build message: {e}")))
}

/// Parses `smtp://[user[:password]@]host[:port]`. TLS relays are not supported in this build.
fn transport(url: &str) -> Result<AsyncSmtpTransport<Tokio1Executor>> {
    let rest = url
        .strip_prefix("smtp://")
        .ok_or_else(|| CoreError::Internal("UNGCUU_SMTP_URL must start with smtp://".into()))?;
    let rest = rest.trim_end_matches('/');
    let (cred, hostport) = match rest.rsplit_once('@') {
        Some((c, h)) => (Some(c), h),
        None => (None, rest),
    };
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) => (
            h,
            p.parse::<u16>()
                .map_err(|_| CoreError::Internal("bad SMTP port".into()))?,
        ),
        None => (hostport, 25),
    };
    let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
        .port(port)
        .timeout(Some(std::time::Duration::from_secs(30)));
    if let Some(c) = cred {
        let (u, p) = c.split_once(':').unwrap_or((c, ""));
        b = b.credentials(Credentials::new(u.to_string(), p.to_string()));
    }
    Ok(b.build())
}

/// Delivers one message; an error leaves it pending for the job's retry.
pub async fn deliver(core: &Core, id: Uuid) -> Result<()> {
    let m = {
        let mut c = core.db.conn().await?;
        outbox::get(&mut c, id).await?
    };
    let Some(m) = m else {
        return Ok(());
    };
    if m.status != "pending" {
        return Ok(());
    }
    let files = {
        let mut c = core.db.conn().await?;
        outbox::attachments(&mut c, id).await?
    };
    let mut loaded = Vec::with_capacity(files.len());
    for a in files {
        let bytes = crate::evidence::read_blob(&core.config.data_dir, &a.sha256).await?;
        loaded.push((a, bytes));
    }
    let msg = build(core, &m, loaded)?;
    let (status, detail) = match &core.config.smtp_url {
        Some(url) => match transport(url)?.send(msg).await {
            Ok(resp) => (
                "sent",
                format!(
                    "{} {}",
                    resp.code(),
                    resp.message().collect::<Vec<_>>().join(" ")
                ),
            ),
            Err(e) => {
                let mut c = core.db.conn().await?;
                outbox::record_attempt(&mut c, id, "pending", "error", &e.to_string(), now())
                    .await?;
                return Err(CoreError::Internal(format!("SMTP: {e}")));
            }
        },
        None => {
            let dir = core.config.data_dir.join("outbox");
            let path = dir.join(format!("{id}.eml"));
            let bytes = msg.formatted();
            let p = path.clone();
            tokio::task::spawn_blocking(move || write_durably(&dir, &p, &bytes))
                .await
                .map_err(|e| CoreError::Internal(e.to_string()))?
                .map_err(|e| {
                    CoreError::Internal(format!("cannot write {}: {e}", path.display()))
                })?;
            ("written", path.display().to_string())
        }
    };
    let mut c = core.db.conn().await?;
    outbox::record_attempt(&mut c, id, status, "ok", &detail, now()).await?;
    Ok(())
}

fn write_durably(
    dir: &std::path::Path,
    path: &std::path::Path,
    bytes: &[u8],
) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let tmp = path.with_extension("eml.tmp");
    let mut f = std::fs::File::create(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    std::fs::rename(&tmp, path)?;
    std::fs::File::open(dir)?.sync_all()
}

/// Sends a test message so an administrator can check the mail settings.
pub async fn send_test(core: &Core, actor: &Actor, to: &str) -> Result<Uuid> {
    if actor
        .principal
        .as_ref()
        .is_some_and(|p| !p.can_everywhere(Action::SettingsManage))
    {
        return Err(crate::audit::denied(
            core,
            actor,
            Action::SettingsManage,
            "mail",
            None,
            None,
            CoreError::Forbidden,
        )
        .await);
    }
    let mut errs = Errors::default();
    let to = errs.email("to", to);
    errs.into_result().map_err(CoreError::Invalid)?;
    let mail = OutgoingMail {
        to: to.clone(),
        subject: "[ungcuu] Thư kiểm tra / Test message".into(),
        text: "Đây là thư kiểm tra cấu hình gửi thư của ungcuu.\n\nThis is a test of ungcuu's mail settings.\n".into(),
        html: Some("<p>Đây là thư kiểm tra cấu hình gửi thư của ungcuu.</p><p>This is a test of ungcuu's mail settings.</p>".into()),
    };
    let mut tx = core.db.begin().await?;
    let id = enqueue(&mut tx, &mail).await?;
    let ev = actor.event(
        "mail.test",
        "mail",
        Some(id.to_string()),
        None,
        json!({ "to": to }),
    );
    audit::append(&mut tx, &ev, now()).await?;
    commit(tx).await?;
    Ok(id)
}

/// How long to wait before attempt `n + 1`.
pub fn backoff(attempts: i64) -> Duration {
    Duration::seconds((30i64 << attempts.clamp(0, 7)).min(3600))
}

/// Percent-encodes a URL component (RFC 3986 unreserved characters stay).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Escapes text for HTML e-mail bodies (names and organisation names are user text).
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
