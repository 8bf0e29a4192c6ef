//! The reporting clocks of TT 20/2017 Điều 9 and Điều 6 (legal spec §2.1): the notification
//! (D1, 5 days from discovery), the final report Mẫu 04 (D4, 5 days after the response ends) and
//! the periodic Mẫu 05 (before 20 June and before 15 December). Pure: every function takes the
//! instant it is asked about, so tests use fixed instants.
//!
//! Days are calendar days by default (the text says "ngày"); the rules can count working days
//! instead, skipping weekends and the public holidays listed in the configuration (Tết moves
//! every year, so the dates are data).

use crate::timefmt::VIETNAM;
use crate::validate::FieldError;
use serde::{Deserialize, Serialize};
use time::{Date, Duration, Month, OffsetDateTime, Time, Weekday};

/// How days are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum DayCount {
    /// Every day counts (the default).
    #[default]
    Calendar,
    /// Saturdays, Sundays and the listed holidays do not count.
    Working,
}

/// A day of the year (month 1-12, day 1-31).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthDay {
    /// Month, 1-12.
    pub month: u8,
    /// Day of the month.
    pub day: u8,
}

impl MonthDay {
    const fn new(month: u8, day: u8) -> Self {
        Self { month, day }
    }

    /// The date in `year` (29 February falls back to 28 in a common year).
    pub fn in_year(self, year: i32) -> Option<Date> {
        let m = Month::try_from(self.month).ok()?;
        Date::from_calendar_date(year, m, self.day)
            .ok()
            .or_else(|| Date::from_calendar_date(year, m, self.day.saturating_sub(1)).ok())
    }
}

/// The configurable rules of the clocks (stored as JSON in the settings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClockRules {
    /// Days from discovery to the notification deadline (D1).
    pub notification_days: u32,
    /// Days from the end of the response to the final report deadline (D4).
    pub final_report_days: u32,
    /// Calendar or working days.
    pub day_count: DayCount,
    /// Public holidays (`YYYY-MM-DD`), skipped when counting working days.
    pub holidays: Vec<String>,
    /// Hours before a deadline at which the owner's officers are reminded.
    pub reminder_hours: Vec<u32>,
    /// First day of a reporting year (in the previous calendar year): 15 December.
    pub period_start: MonthDay,
    /// Last day covered by the half-year Mẫu 05: 14 June.
    pub half_year_end: MonthDay,
    /// The half-year Mẫu 05 is due before this day: 20 June.
    pub half_year_due_before: MonthDay,
    /// Last day covered by the annual Mẫu 05: 14 December.
    pub annual_end: MonthDay,
    /// The annual Mẫu 05 is due before this day: 15 December.
    pub annual_due_before: MonthDay,
}

impl Default for ClockRules {
    fn default() -> Self {
        Self {
            notification_days: 5,
            final_report_days: 5,
            day_count: DayCount::Calendar,
            holidays: Vec::new(),
            reminder_hours: vec![48, 24],
            period_start: MonthDay::new(12, 15),
            half_year_end: MonthDay::new(6, 14),
            half_year_due_before: MonthDay::new(6, 20),
            annual_end: MonthDay::new(12, 14),
            annual_due_before: MonthDay::new(12, 15),
        }
    }
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<Date> {
    let f = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s.trim(), f).ok()
}

impl ClockRules {
    /// Checks the rules; errors name the field.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errs = Vec::new();
        if !(1..=60).contains(&self.notification_days) {
            errs.push(FieldError::new("notification_days", "clock.err.days"));
        }
        if !(1..=60).contains(&self.final_report_days) {
            errs.push(FieldError::new("final_report_days", "clock.err.days"));
        }
        if self.reminder_hours.len() > 5
            || self.reminder_hours.iter().any(|h| !(1..=720).contains(h))
        {
            errs.push(FieldError::new(
                "reminder_hours",
                "clock.err.reminder_hours",
            ));
        }
        if self.holidays.len() > 500 || self.holidays.iter().any(|h| parse_date(h).is_none()) {
            errs.push(FieldError::new("holidays", "clock.err.holidays"));
        }
        for (field, md) in [
            ("period_start", self.period_start),
            ("half_year_end", self.half_year_end),
            ("half_year_due_before", self.half_year_due_before),
            ("annual_end", self.annual_end),
            ("annual_due_before", self.annual_due_before),
        ] {
            if md.in_year(2028).is_none() {
                errs.push(FieldError::new(field, "clock.err.month_day"));
            }
        }
        if errs.is_empty() { Ok(()) } else { Err(errs) }
    }

    fn holiday_dates(&self) -> Vec<Date> {
        self.holidays.iter().filter_map(|h| parse_date(h)).collect()
    }

    /// True when `d` (a Vietnamese calendar day) counts as a working day.
    pub fn is_working_day(&self, d: Date) -> bool {
        !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
            && !self.holiday_dates().contains(&d)
    }

    /// `days` days after `start`, counted as the rules say. Working days keep the time of day
    /// and land on the `days`-th working day after the start's day.
    pub fn add_days(&self, start: OffsetDateTime, days: u32) -> OffsetDateTime {
        match self.day_count {
            DayCount::Calendar => start + Duration::days(i64::from(days)),
            DayCount::Working => {
                let holidays = self.holiday_dates();
                let local = start.to_offset(VIETNAM);
                let mut d = local.date();
                let mut left = days;
                // Bounded: a year has far more working days than any rule asks for.
                let mut guard = 0;
                while left > 0 && guard < 3660 {
                    guard += 1;
                    let Some(n) = d.next_day() else { break };
                    d = n;
                    if !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
                        && !holidays.contains(&d)
                    {
                        left -= 1;
                    }
                }
                d.with_time(local.time()).assume_offset(VIETNAM)
            }
        }
    }

    /// When the clock of `kind` that started at `start` is due.
    pub fn due(&self, kind: ClockKind, start: OffsetDateTime) -> OffsetDateTime {
        let days = match kind {
            ClockKind::Notification => self.notification_days,
            ClockKind::FinalReport => self.final_report_days,
        };
        self.add_days(start, days)
    }

    /// The largest reminder lead time: within it a clock is "due soon".
    pub fn due_soon_window(&self) -> Duration {
        Duration::hours(i64::from(
            self.reminder_hours.iter().copied().max().unwrap_or(0),
        ))
    }

    /// The two Mẫu 05 periods whose deadlines fall in `year`.
    pub fn periods(&self, year: i32) -> Vec<Period> {
        let at_midnight = |d: Date| d.with_time(Time::MIDNIGHT).assume_offset(VIETNAM);
        let start = self.period_start.in_year(year - 1);
        let mk = |kind, end: MonthDay, due: MonthDay| {
            let (from, to, due_before) = (start?, end.in_year(year)?, due.in_year(year)?);
            Some(Period {
                kind,
                year,
                from,
                to,
                due_before,
                due: at_midnight(due_before),
            })
        };
        [
            mk(
                PeriodKind::HalfYear,
                self.half_year_end,
                self.half_year_due_before,
            ),
            mk(PeriodKind::Annual, self.annual_end, self.annual_due_before),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

/// The clocks of one incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockKind {
    /// D1: notification within 5 days of discovery.
    Notification,
    /// D4: final report (Mẫu 04) within 5 days of the end of the response.
    FinalReport,
}

impl ClockKind {
    /// Every kind.
    pub const ALL: [ClockKind; 2] = [ClockKind::Notification, ClockKind::FinalReport];

    /// Stored code.
    pub fn as_str(self) -> &'static str {
        match self {
            ClockKind::Notification => "notification",
            ClockKind::FinalReport => "final_report",
        }
    }

    /// Message key of its name.
    pub fn label_key(self) -> &'static str {
        match self {
            ClockKind::Notification => "clock.kind.notification",
            ClockKind::FinalReport => "clock.kind.final_report",
        }
    }
}

impl std::str::FromStr for ClockKind {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        ClockKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or(())
    }
}

/// How a report was sent (TT 20 Điều 9: letter, fax, e-mail, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// E-mail.
    Email,
    /// Official letter (công văn).
    Letter,
    /// Fax.
    Fax,
    /// Through this system.
    System,
}

impl Channel {
    /// Every channel.
    pub const ALL: [Channel; 4] = [
        Channel::Email,
        Channel::Letter,
        Channel::Fax,
        Channel::System,
    ];

    /// Stored code.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Letter => "letter",
            Channel::Fax => "fax",
            Channel::System => "system",
        }
    }

    /// Message key of its name.
    pub fn label_key(self) -> &'static str {
        match self {
            Channel::Email => "clock.channel.email",
            Channel::Letter => "clock.channel.letter",
            Channel::Fax => "clock.channel.fax",
            Channel::System => "clock.channel.system",
        }
    }
}

impl std::str::FromStr for Channel {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Channel::ALL.into_iter().find(|k| k.as_str() == s).ok_or(())
    }
}

/// Where a clock stands at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockStatus {
    /// Running, with this much time left.
    Running(Duration),
    /// Within the reminder window, with this much time left.
    DueSoon(Duration),
    /// Past due by this much.
    Overdue(Duration),
    /// Stopped: the report was sent at this instant.
    Stopped(OffsetDateTime),
}

impl ClockStatus {
    /// Stable code for the API.
    pub fn code(self) -> &'static str {
        match self {
            ClockStatus::Running(_) => "running",
            ClockStatus::DueSoon(_) => "due_soon",
            ClockStatus::Overdue(_) => "overdue",
            ClockStatus::Stopped(_) => "stopped",
        }
    }
}

/// The status of a clock due at `due`, stopped at `stopped` if it was, at `now`.
pub fn status(
    rules: &ClockRules,
    due: OffsetDateTime,
    stopped: Option<OffsetDateTime>,
    now: OffsetDateTime,
) -> ClockStatus {
    if let Some(s) = stopped {
        return ClockStatus::Stopped(s);
    }
    let left = due - now;
    if left <= Duration::ZERO {
        ClockStatus::Overdue(-left)
    } else if left <= rules.due_soon_window() {
        ClockStatus::DueSoon(left)
    } else {
        ClockStatus::Running(left)
    }
}

/// The thresholds a running clock has crossed at `now`: `before_<h>h` for each reminder whose
/// time has come, and `overdue` once due. Nearest to the deadline last.
pub fn crossed(rules: &ClockRules, due: OffsetDateTime, now: OffsetDateTime) -> Vec<String> {
    let mut hours: Vec<u32> = rules.reminder_hours.clone();
    hours.sort_unstable_by(|a, b| b.cmp(a));
    hours.dedup();
    let mut out: Vec<String> = hours
        .into_iter()
        .filter(|h| now >= due - Duration::hours(i64::from(*h)) && now < due)
        .map(|h| format!("before_{h}h"))
        .collect();
    if now >= due {
        out.push("overdue".into());
    }
    out
}

/// Whole days of a duration, rounded up ("còn 2 ngày" for 1 day and 3 hours).
pub fn days_ceil(d: Duration) -> i64 {
    let s = d.whole_seconds().max(0);
    (s + 86_399) / 86_400
}

/// Which Mẫu 05 report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    /// 6-month summary.
    HalfYear,
    /// Annual summary.
    Annual,
}

impl PeriodKind {
    /// Stored code.
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodKind::HalfYear => "half_year",
            PeriodKind::Annual => "annual",
        }
    }

    /// Message key of its name.
    pub fn label_key(self) -> &'static str {
        match self {
            PeriodKind::HalfYear => "clock.period.half_year",
            PeriodKind::Annual => "clock.period.annual",
        }
    }
}

/// One periodic Mẫu 05 report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// Half-year or annual.
    pub kind: PeriodKind,
    /// The year of its deadline.
    pub year: i32,
    /// First day covered.
    pub from: Date,
    /// Last day covered.
    pub to: Date,
    /// Due before this day.
    pub due_before: Date,
    /// The deadline: the start of `due_before`, Vietnam time.
    pub due: OffsetDateTime,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::{date, datetime};

    fn working(holidays: &[&str]) -> ClockRules {
        ClockRules {
            day_count: DayCount::Working,
            holidays: holidays.iter().map(|s| s.to_string()).collect(),
            ..ClockRules::default()
        }
    }

    #[test]
    fn calendar_days_across_month_end_leap_day_and_year_end() {
        let r = ClockRules::default();
        assert_eq!(
            r.due(ClockKind::Notification, datetime!(2026-01-29 10:00 UTC)),
            datetime!(2026-02-03 10:00 UTC)
        );
        assert_eq!(
            r.due(ClockKind::Notification, datetime!(2028-02-26 03:00 UTC)),
            datetime!(2028-03-02 03:00 UTC),
            "2028 is a leap year: 29 February counts"
        );
        assert_eq!(
            r.due(ClockKind::FinalReport, datetime!(2026-12-29 20:00 UTC)),
            datetime!(2027-01-03 20:00 UTC)
        );
    }

    #[test]
    fn working_days_skip_weekends_and_configured_tet() {
        // Tết Bính Ngọ 2026: 16-20 February (Mon-Fri) given as holidays.
        let r = working(&[
            "2026-02-16",
            "2026-02-17",
            "2026-02-18",
            "2026-02-19",
            "2026-02-20",
        ]);
        // Thursday 12 Feb 09:00 Vietnam time: Fri 13, then Mon 23 .. Thu 26.
        let start = datetime!(2026-02-12 09:00 +7);
        assert_eq!(
            r.due(ClockKind::Notification, start),
            datetime!(2026-02-26 09:00 +7)
        );
        // Without holidays the same start is due the next Thursday.
        assert_eq!(
            working(&[]).due(ClockKind::Notification, start),
            datetime!(2026-02-19 09:00 +7)
        );
        // The day is Vietnam's: 23:30 UTC Friday is Saturday in Hà Nội.
        let late = datetime!(2026-03-06 23:30 UTC);
        assert_eq!(
            working(&[]).add_days(late, 1),
            datetime!(2026-03-09 06:30 +7)
        );
        // Across the year end with 1 January as a holiday.
        let r = working(&["2027-01-01"]);
        assert_eq!(
            r.add_days(datetime!(2026-12-30 08:00 +7), 2),
            datetime!(2027-01-04 08:00 +7)
        );
    }

    #[test]
    fn status_at_instants() {
        let r = ClockRules::default();
        let due = datetime!(2026-03-06 00:00 UTC);
        assert_eq!(
            status(&r, due, None, datetime!(2026-03-03 00:00 UTC)),
            ClockStatus::Running(Duration::days(3))
        );
        assert_eq!(
            status(&r, due, None, datetime!(2026-03-04 12:00 UTC)),
            ClockStatus::DueSoon(Duration::hours(36))
        );
        assert_eq!(
            status(&r, due, None, datetime!(2026-03-07 01:00 UTC)),
            ClockStatus::Overdue(Duration::hours(25))
        );
        let sent = datetime!(2026-03-02 00:00 UTC);
        assert_eq!(
            status(&r, due, Some(sent), datetime!(2026-03-09 00:00 UTC)),
            ClockStatus::Stopped(sent)
        );
        assert_eq!(days_ceil(Duration::hours(25)), 2);
        assert_eq!(days_ceil(Duration::hours(24)), 1);
    }

    #[test]
    fn thresholds_crossed() {
        let r = ClockRules::default();
        let due = datetime!(2026-03-06 00:00 UTC);
        assert!(crossed(&r, due, datetime!(2026-03-03 00:00 UTC)).is_empty());
        assert_eq!(
            crossed(&r, due, datetime!(2026-03-04 00:00 UTC)),
            vec!["before_48h"]
        );
        assert_eq!(
            crossed(&r, due, datetime!(2026-03-05 06:00 UTC)),
            vec!["before_48h", "before_24h"]
        );
        assert_eq!(
            crossed(&r, due, datetime!(2026-03-06 00:00 UTC)),
            vec!["overdue"]
        );
    }

    #[test]
    fn periods_of_a_year() {
        let p = ClockRules::default().periods(2027);
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].kind, PeriodKind::HalfYear);
        assert_eq!(
            (p[0].from, p[0].to, p[0].due_before),
            (
                date!(2026 - 12 - 15),
                date!(2027 - 06 - 14),
                date!(2027 - 06 - 20)
            )
        );
        assert_eq!(p[0].due, datetime!(2027-06-20 00:00 +7));
        assert_eq!(
            (p[1].from, p[1].to, p[1].due_before),
            (
                date!(2026 - 12 - 15),
                date!(2027 - 12 - 14),
                date!(2027 - 12 - 15)
            )
        );
    }

    #[test]
    fn rules_round_trip_and_validate() {
        let r = ClockRules::default();
        let back: ClockRules = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
        assert_eq!(back, r);
        let partial: ClockRules =
            serde_json::from_str(r#"{"day_count":"working","holidays":["2026-04-30"]}"#).unwrap();
        assert_eq!(partial.notification_days, 5);
        assert!(partial.validate().is_ok());
        assert!(serde_json::from_str::<ClockRules>(r#"{"moon":1}"#).is_err());
        let bad = ClockRules {
            notification_days: 0,
            holidays: vec!["30/04/2026".into()],
            ..r
        };
        let errs = bad.validate().unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["notification_days", "holidays"]);
    }

    proptest! {
        #[test]
        fn due_never_before_start_and_working_due_is_a_working_day(
            secs in 1_600_000_000i64..2_000_000_000i64,
            days in 1u32..30,
            working_count in any::<bool>(),
        ) {
            let start = OffsetDateTime::from_unix_timestamp(secs).unwrap();
            let rules = ClockRules {
                notification_days: days,
                day_count: if working_count { DayCount::Working } else { DayCount::Calendar },
                holidays: vec!["2026-01-01".into(), "2026-02-17".into(), "2026-04-30".into(),
                    "2026-05-01".into(), "2026-09-02".into(), "2027-02-08".into()],
                ..ClockRules::default()
            };
            let due = rules.due(ClockKind::Notification, start);
            prop_assert!(due > start);
            if working_count {
                prop_assert!(rules.is_working_day(due.to_offset(VIETNAM).date()));
            }
        }
    }
}
