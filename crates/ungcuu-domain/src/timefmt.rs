//! Time as stored (UTC, fixed-width RFC 3339) and as shown (Asia/Ho_Chi_Minh, dd/mm/yyyy).

use time::format_description::FormatItem;
use time::macros::format_description;
use time::{OffsetDateTime, UtcOffset};

/// Vietnam has kept UTC+7 without daylight saving since 1975, so a fixed offset is exact for
/// every date this system will hold.
pub const VIETNAM: UtcOffset = match UtcOffset::from_hms(7, 0, 0) {
    Ok(o) => o,
    Err(_) => panic!("valid offset"),
};

const STORED: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");
const SHOWN: &[FormatItem<'static>] = format_description!("[day]/[month]/[year] [hour]:[minute]");
const SHOWN_DATE: &[FormatItem<'static>] = format_description!("[day]/[month]/[year]");

/// Formats a time for storage: UTC, microseconds, fixed width so text order is time order.
pub fn to_db(t: OffsetDateTime) -> String {
    t.to_offset(UtcOffset::UTC)
        .format(STORED)
        .unwrap_or_else(|_| String::from("1970-01-01T00:00:00.000000Z"))
}

/// Parses a stored time.
pub fn from_db(s: &str) -> Option<OffsetDateTime> {
    time::PrimitiveDateTime::parse(s, STORED)
        .ok()
        .map(|p| p.assume_utc())
        .or_else(|| OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok())
}

/// The current time, truncated to microseconds so it survives a database round trip.
pub fn now() -> OffsetDateTime {
    let t = OffsetDateTime::now_utc();
    t.replace_nanosecond(t.nanosecond() / 1000 * 1000)
        .unwrap_or(t)
}

/// dd/mm/yyyy HH:MM in Vietnam time.
pub fn show(t: OffsetDateTime) -> String {
    t.to_offset(VIETNAM).format(SHOWN).unwrap_or_default()
}

/// dd/mm/yyyy in Vietnam time.
pub fn show_date(t: OffsetDateTime) -> String {
    t.to_offset(VIETNAM).format(SHOWN_DATE).unwrap_or_default()
}

/// RFC 3339 for the API.
pub fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn stored_form_round_trips_and_sorts_as_time() {
        let a = datetime!(2026-01-02 03:04:05.123456 UTC);
        let b = datetime!(2026-01-10 00:00:00 UTC);
        assert_eq!(from_db(&to_db(a)), Some(a));
        assert!(to_db(a) < to_db(b));
    }

    #[test]
    fn shown_in_vietnam_time_day_first() {
        let t = datetime!(2026-12-31 18:30:00 UTC);
        assert_eq!(show(t), "01/01/2027 01:30");
        assert_eq!(show_date(t), "01/01/2027");
    }
}
