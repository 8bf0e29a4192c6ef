//! The reporting clocks on pages: the lines shown on the incident page and in the queue, and the
//! province-wide *Thời hạn* page (every running clock the person may see, and the Mẫu 05
//! deadlines for the coordinator).

use super::render;
use crate::State;
use crate::ctx::{Ctx, SignedIn};
use askama::Template;
use axum::Router;
use axum::response::Response;
use axum::routing::get;
use ungcuu_core::clocks::{self as core_clocks, Clock};
use ungcuu_domain::clocks::{Channel, ClockStatus, days_ceil};
use ungcuu_domain::timefmt::now;
use ungcuu_store::clocks::ReportRecord;
use uuid::Uuid;

pub(super) fn router() -> Router<State> {
    Router::new().route("/deadlines", get(deadlines))
}

/// A clock as shown.
pub(super) struct ClockLine {
    /// `notification` or `final_report`.
    pub code: &'static str,
    pub kind: &'static str,
    pub due: String,
    pub text: String,
    /// CSS class: `overdue`, `due-soon`, `running`, `stopped`, `idle`.
    pub class: &'static str,
}

/// The line of a clock.
pub(super) fn line(c: &Ctx, k: &Clock) -> ClockLine {
    let n = |d: time::Duration| days_ceil(d).to_string();
    let (text, class) = match k.status {
        None => (c.t("clock.not_started").to_string(), "idle"),
        Some(ClockStatus::Running(d)) => (c.tf("clock.left", &[("n", &n(d))]), "running"),
        Some(ClockStatus::DueSoon(d)) => (c.tf("clock.left", &[("n", &n(d))]), "due-soon"),
        Some(ClockStatus::Overdue(d)) => (c.tf("clock.overdue", &[("n", &n(d))]), "overdue"),
        Some(ClockStatus::Stopped(t)) => (c.tf("clock.sent_at", &[("t", &c.dt(&t))]), "stopped"),
    };
    ClockLine {
        code: k.kind.as_str(),
        kind: c.t(k.kind.label_key()),
        due: k.due.map(|d| c.dt(&d)).unwrap_or_default(),
        text,
        class,
    }
}

/// A recorded sending as shown.
pub(super) struct RecordLine {
    pub kind: &'static str,
    pub sent_at: String,
    pub channel: &'static str,
    pub recipients: String,
    pub note: String,
}

pub(super) fn record_line(c: &Ctx, r: &ReportRecord) -> RecordLine {
    RecordLine {
        kind: c.t(r.kind.label_key()),
        sent_at: c.dt(&r.sent_at),
        channel: c.t(r.channel.label_key()),
        recipients: r.recipients.clone(),
        note: r.note.clone().unwrap_or_default(),
    }
}

/// The channel choices of the form.
pub(super) fn channels(c: &Ctx) -> Vec<(&'static str, &'static str)> {
    Channel::ALL
        .into_iter()
        .map(|ch| (ch.as_str(), c.t(ch.label_key())))
        .collect()
}

struct DeadlineRow {
    id: Uuid,
    title: String,
    owner: String,
    clock: ClockLine,
}

struct PeriodRow {
    kind: &'static str,
    covers: String,
    due_before: String,
    /// "còn 3 ngày", "quá hạn 2 ngày", "đã gửi lúc …" and its class.
    text: String,
    class: &'static str,
    /// The sent summary: its id and number.
    sent: Option<(Uuid, String)>,
}

#[derive(Template)]
#[template(path = "deadlines.html")]
struct DeadlinesPage<'a> {
    c: &'a Ctx,
    rows: Vec<DeadlineRow>,
    periods: Vec<PeriodRow>,
}

async fn deadlines(
    axum::extract::State(st): axum::extract::State<State>,
    SignedIn(ctx): SignedIn,
) -> Response {
    let actor = ctx.actor();
    let t = now();
    let open = match core_clocks::open_clocks(&st.core, &actor, t).await {
        Ok(o) => o,
        Err(e) => return crate::error::core_page(&ctx, e),
    };
    let periods = match core_clocks::periods(&st.core, &actor, t).await {
        Ok(p) => p,
        Err(e) => return crate::error::core_page(&ctx, e),
    };
    let show_date =
        |d: time::Date| format!("{:02}/{:02}/{}", d.day(), u8::from(d.month()), d.year());
    render(
        &ctx,
        DeadlinesPage {
            c: &ctx,
            rows: open
                .into_iter()
                .map(|o| DeadlineRow {
                    id: o.incident.id,
                    clock: line(&ctx, &o.clock),
                    title: o.incident.title,
                    owner: o.incident.owner.name,
                })
                .collect(),
            periods: periods
                .into_iter()
                .map(|pc| {
                    let n = |d: time::Duration| days_ceil(d).to_string();
                    let (text, class) = match pc.status {
                        ClockStatus::Running(d) => {
                            (ctx.tf("clock.left", &[("n", &n(d))]), "running")
                        }
                        ClockStatus::DueSoon(d) => {
                            (ctx.tf("clock.left", &[("n", &n(d))]), "due-soon")
                        }
                        ClockStatus::Overdue(d) => {
                            (ctx.tf("clock.overdue", &[("n", &n(d))]), "overdue")
                        }
                        ClockStatus::Stopped(t) => {
                            (ctx.tf("clock.sent_at", &[("t", &ctx.dt(&t))]), "stopped")
                        }
                    };
                    let p = &pc.period;
                    PeriodRow {
                        kind: ctx.t(p.kind.label_key()),
                        covers: format!("{} – {}", show_date(p.from), show_date(p.to)),
                        due_before: show_date(p.due_before),
                        text,
                        class,
                        sent: pc.filed.as_ref().map(|f| (f.id, f.number.clone())),
                    }
                })
                .collect(),
        },
    )
}
