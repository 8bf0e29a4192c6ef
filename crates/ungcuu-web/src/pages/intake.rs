//! The e-mails an incident received through the intake, as a section of the incident page:
//! who sent each, its subject, whether it opened the incident or replied, and a link to the raw
//! message's evidence (its custody page; the message is never rendered).

use crate::State;
use crate::ctx::Ctx;
use askama::Template;
use uuid::Uuid;

struct MessageRow {
    sender: String,
    subject: String,
    message_id: String,
    kind_key: &'static str,
    received_at: String,
    evidence_id: Uuid,
}

#[derive(Template)]
#[template(path = "incident_emails.html")]
struct Section<'a> {
    c: &'a Ctx,
    messages: Vec<MessageRow>,
}

/// The section for incident `id`, rendered; empty when it received no e-mail (or the person
/// may not read it, which the incident page has already refused).
pub(crate) async fn section(st: &State, ctx: &Ctx, id: Uuid) -> String {
    let Ok(list) = ungcuu_core::intake::messages(&st.core, &ctx.actor(), id).await else {
        return String::new();
    };
    if list.is_empty() {
        return String::new();
    }
    let messages = list
        .into_iter()
        .map(|m| MessageRow {
            kind_key: if m.kind == "reply" {
                "intake.kind.reply"
            } else {
                "intake.kind.report"
            },
            sender: m.sender,
            subject: m.subject,
            message_id: m.message_id,
            received_at: ctx.dt(&m.received_at),
            evidence_id: m.evidence_id,
        })
        .collect();
    Section { c: ctx, messages }.render().unwrap_or_default()
}
