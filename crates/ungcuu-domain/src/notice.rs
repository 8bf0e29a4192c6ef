//! Topics of notices and how a person wants to be told of each by e-mail. The in-app
//! notification centre always keeps every notice; the preference only decides the e-mail.

use crate::timefmt::VIETNAM;
use time::{OffsetDateTime, Time};

/// What a notice is about; a person chooses a [`Mode`] per topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Topic {
    /// A task was assigned to you.
    Assignment,
    /// Someone mentioned you in a comment.
    Mention,
    /// An incident you follow changed state.
    IncidentState,
    /// A request for support to your organisation, or a reply to yours.
    Request,
    /// Reporting deadline reminders and escalations.
    Clock,
    /// A report was issued or sent.
    Document,
    /// The network: focal points, the response team, convenings, steering directions.
    Network,
}

impl Topic {
    /// Every topic, in the order the preferences page shows them.
    pub const ALL: [Topic; 7] = [
        Topic::Assignment,
        Topic::Mention,
        Topic::IncidentState,
        Topic::Request,
        Topic::Clock,
        Topic::Document,
        Topic::Network,
    ];

    /// The stored code.
    pub fn as_str(self) -> &'static str {
        match self {
            Topic::Assignment => "assignment",
            Topic::Mention => "mention",
            Topic::IncidentState => "incident_state",
            Topic::Request => "request",
            Topic::Clock => "clock",
            Topic::Document => "document",
            Topic::Network => "network",
        }
    }

    /// From the stored code.
    pub fn parse(s: &str) -> Option<Topic> {
        Topic::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// The topic of a notice kind (`task.assigned`, `clock.overdue`, …). Kinds are dotted and
    /// grouped by their first part, so a new kind in a known group needs no change here.
    pub fn of_kind(kind: &str) -> Topic {
        match kind.split('.').next().unwrap_or_default() {
            "task" | "measure" => Topic::Assignment,
            "mention" => Topic::Mention,
            "incident" => Topic::IncidentState,
            "request" => Topic::Request,
            "clock" => Topic::Clock,
            "document" => Topic::Document,
            _ => Topic::Network,
        }
    }
}

/// How to be told of one topic by e-mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Mode {
    /// One e-mail per notice, at once (the default).
    #[default]
    Now,
    /// Collected into one e-mail a day at the person's digest hour.
    Digest,
    /// No e-mail; the notice is only in the notification centre.
    Off,
}

impl Mode {
    /// Every mode.
    pub const ALL: [Mode; 3] = [Mode::Now, Mode::Digest, Mode::Off];

    /// The stored code.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Now => "now",
            Mode::Digest => "digest",
            Mode::Off => "off",
        }
    }

    /// From the stored code.
    pub fn parse(s: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

/// The digest hour of a person who never chose one (Vietnam time).
pub const DEFAULT_DIGEST_HOUR: i64 = 7;

/// Whether a digest is due at `at` for someone whose digest hour is `hour` (Vietnam time) and
/// whose last digest went at `last`: due once the hour has come today and no digest went since.
pub fn digest_due(hour: i64, last: Option<OffsetDateTime>, at: OffsetDateTime) -> bool {
    let Some(slot) = latest_slot(hour, at) else {
        return false;
    };
    last.is_none_or(|l| l < slot)
}

/// The latest digest time at or before `at` (today's hour, or yesterday's before it comes).
fn latest_slot(hour: i64, at: OffsetDateTime) -> Option<OffsetDateTime> {
    let h = u8::try_from(hour).ok().filter(|h| *h < 24)?;
    let local = at.to_offset(VIETNAM);
    let today = local.replace_time(Time::from_hms(h, 0, 0).ok()?);
    Some(if today <= local {
        today
    } else {
        today - time::Duration::days(1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn kinds_fall_into_topics_by_their_first_part() {
        assert_eq!(Topic::of_kind("task.assigned"), Topic::Assignment);
        assert_eq!(Topic::of_kind("clock.overdue"), Topic::Clock);
        assert_eq!(Topic::of_kind("incident.state"), Topic::IncidentState);
        assert_eq!(Topic::of_kind("team.convened"), Topic::Network);
        assert_eq!(Topic::of_kind(""), Topic::Network);
        for t in Topic::ALL {
            assert_eq!(Topic::parse(t.as_str()), Some(t));
        }
        for m in Mode::ALL {
            assert_eq!(Mode::parse(m.as_str()), Some(m));
        }
        assert_eq!(Mode::parse("sometimes"), None);
    }

    #[test]
    fn a_digest_is_due_once_a_day_after_the_local_hour() {
        // 07:00 in Vietnam is 00:00 UTC.
        let before = datetime!(2026-11-25 23:30 UTC); // 06:30 on the 26th in Vietnam
        let after = datetime!(2026-11-26 00:05 UTC); // 07:05 on the 26th
        // Never sent: yesterday's slot already counts.
        assert!(digest_due(7, None, before));
        // Sent yesterday after the slot: not due until 07:00.
        let sent = datetime!(2026-11-25 00:10 UTC);
        assert!(!digest_due(7, Some(sent), before));
        assert!(digest_due(7, Some(sent), after));
        // Sent after today's slot: not due again today.
        assert!(!digest_due(
            7,
            Some(after),
            after + time::Duration::hours(10)
        ));
        // Across a month end and a leap day.
        let leap = datetime!(2028-02-28 23:59 UTC); // 06:59 on 29 Feb in Vietnam
        assert!(!digest_due(7, Some(datetime!(2028-02-28 00:00 UTC)), leap));
        assert!(digest_due(
            7,
            Some(datetime!(2028-02-28 00:00 UTC)),
            leap + time::Duration::minutes(1)
        ));
        assert!(!digest_due(24, None, after));
        assert!(!digest_due(-1, None, after));
    }
}
