//! Rate limits on sign-in (per client address) and on the API (per token). Counters live in the
//! database, in fixed windows, so every replica counts against the same limit.

use crate::auth::ClientInfo;
use crate::{Core, Result};
use serde_json::json;
use std::net::IpAddr;
use std::sync::atomic::{AtomicI64, Ordering};
use time::OffsetDateTime;
use ungcuu_domain::timefmt::now;
use ungcuu_store::{audit, commit, rate_limits};
use uuid::Uuid;

/// How often one party may knock. A limit of 0 turns that limit off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    /// Sign-in attempts allowed per client address per window, right or wrong.
    pub login: u32,
    /// API requests allowed per bearer token per window.
    pub api: u32,
    /// Length of a window.
    pub window: std::time::Duration,
}

impl RateLimits {
    /// The defaults: 10 sign-in attempts per address and 600 API requests per token a minute.
    /// Ten sign-ins a minute is more than a person needs, even after mistyping a few times,
    /// while per-account lockout stops guessing at one account and this stops spraying
    /// guesses over many accounts from one address. Ten requests a second is far above what
    /// an integration needs and far below what hurts the database.
    pub const DEFAULT: RateLimits = RateLimits {
        login: 10,
        api: 600,
        window: std::time::Duration::from_secs(60),
    };
}

impl Default for RateLimits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Refused: over the limit until the window ends, this many seconds from now (at least 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryAfter(pub u64);

/// The fixed window `t` falls in: its start, its end, and whole seconds (rounded up) from `t` to
/// the end, which is what `Retry-After` says.
pub fn window_of(
    t: OffsetDateTime,
    window: std::time::Duration,
) -> (OffsetDateTime, OffsetDateTime, u64) {
    let w = i64::try_from(window.as_secs()).unwrap_or(i64::MAX).max(1);
    let unix = t.unix_timestamp();
    let start_unix = unix - unix.rem_euclid(w);
    let start = OffsetDateTime::from_unix_timestamp(start_unix).unwrap_or(t);
    let end = OffsetDateTime::from_unix_timestamp(start_unix.saturating_add(w)).unwrap_or(t);
    let left = end - t;
    let mut secs = left.whole_seconds();
    if left.subsec_nanoseconds() > 0 {
        secs += 1;
    }
    (start, end, u64::try_from(secs).unwrap_or(1).max(1))
}

/// When this process last purged finished windows (unix seconds). Purging is housekeeping, so
/// once a window per process is plenty; replicas each purge on their own, harmlessly.
static LAST_PURGE: AtomicI64 = AtomicI64::new(0);

/// Counts a hit on `bucket`; returns the hits of the current window (this one included) and the
/// seconds until that window ends.
async fn count(core: &Core, bucket: &str, window: std::time::Duration) -> Result<(i64, u64)> {
    let t = now();
    let (start, end, retry) = window_of(t, window);
    let mut c = core.db.conn().await?;
    let hits = rate_limits::hit(&mut c, bucket, start, end).await?;
    let last = LAST_PURGE.load(Ordering::Relaxed);
    let every = i64::try_from(window.as_secs()).unwrap_or(60).max(60);
    if t.unix_timestamp() - last >= every
        && LAST_PURGE
            .compare_exchange(
                last,
                t.unix_timestamp(),
                Ordering::Relaxed,
                Ordering::Relaxed,
            )
            .is_ok()
        && let Err(e) = rate_limits::purge(&mut c, t).await
    {
        // A failed purge only leaves old rows behind; the request itself is fine.
        tracing::warn!(error = %e, "purging old rate-limit windows failed");
    }
    Ok((hits, retry))
}

/// Counts one hit on `bucket` and refuses it when the window already had `limit` hits. A
/// refused hit still counts, so hammering does not shorten the wait.
pub async fn check(
    core: &Core,
    bucket: &str,
    limit: u32,
    window: std::time::Duration,
) -> Result<Result<(), RetryAfter>> {
    if limit == 0 {
        return Ok(Ok(()));
    }
    let (hits, retry) = count(core, bucket, window).await?;
    Ok(if hits > i64::from(limit) {
        Err(RetryAfter(retry))
    } else {
        Ok(())
    })
}

/// The part of a client address that identifies one party: the IPv4 address, or the /64 prefix
/// of an IPv6 address (one subscriber usually holds a whole /64, so counting single IPv6
/// addresses would let one party rotate through billions of them). `None`: no address known.
pub fn address_key(ip: Option<&str>) -> String {
    match ip
        .and_then(|s| s.parse::<IpAddr>().ok())
        .map(|a| a.to_canonical())
    {
        Some(IpAddr::V4(v4)) => v4.to_string(),
        Some(IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        None => "unknown".into(),
    }
}

/// Counts a sign-in attempt from the client's address, before the password is checked, and
/// refuses it past the limit. The first refusal of each window is audited as
/// `auth.rate_limited`; later ones are only counted, so a flood cannot flood the audit chain.
pub async fn login(
    core: &Core,
    client: &ClientInfo,
    email: &str,
) -> Result<Result<(), RetryAfter>> {
    let limits = core.config.rate_limits;
    if limits.login == 0 {
        return Ok(Ok(()));
    }
    let key = address_key(client.ip.as_deref());
    let (hits, retry) = count(core, &format!("login:ip:{key}"), limits.window).await?;
    if hits <= i64::from(limits.login) {
        return Ok(Ok(()));
    }
    if hits == i64::from(limits.login) + 1 {
        tracing::warn!(address = %key, limit = limits.login, "sign-in rate limit reached");
        let email: String = email
            .trim()
            .chars()
            .filter(|c| !c.is_control())
            .take(254)
            .collect();
        let ev = audit::NewEvent {
            actor_user_id: None,
            actor_label: email.to_lowercase(),
            organization_id: None,
            action: "auth.rate_limited".into(),
            object_type: "user".into(),
            object_id: None,
            summary: json!({
                "ip": client.ip,
                "address": key,
                "limit": limits.login,
                "window_seconds": limits.window.as_secs(),
                "retry_after": retry,
            }),
            request_id: client.request_id.clone(),
        };
        let mut tx = core.db.begin().await?;
        audit::append(&mut tx, &ev, now()).await?;
        commit(tx).await?;
    }
    Ok(Err(RetryAfter(retry)))
}

/// Counts one API request made with the token `token_id` and refuses it past the limit.
pub async fn api(core: &Core, token_id: Uuid) -> Result<Result<(), RetryAfter>> {
    let limits = core.config.rate_limits;
    if limits.api == 0 {
        return Ok(Ok(()));
    }
    let (hits, retry) = count(core, &format!("api:token:{token_id}"), limits.window).await?;
    if hits <= i64::from(limits.api) {
        return Ok(Ok(()));
    }
    if hits == i64::from(limits.api) + 1 {
        tracing::warn!(token = %token_id, limit = limits.api, "API rate limit reached");
    }
    Ok(Err(RetryAfter(retry)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;
    use time::macros::datetime;

    #[test]
    fn windows_are_aligned_and_retry_after_rounds_up_to_at_least_a_second() {
        let w = Duration::from_secs(60);
        let (start, end, retry) = window_of(datetime!(2026-03-01 10:15:20.5 UTC), w);
        assert_eq!(start, datetime!(2026-03-01 10:15:00 UTC));
        assert_eq!(end, datetime!(2026-03-01 10:16:00 UTC));
        assert_eq!(retry, 40);
        let (start, _, retry) = window_of(datetime!(2026-03-01 10:15:00 UTC), w);
        assert_eq!(start, datetime!(2026-03-01 10:15:00 UTC));
        assert_eq!(retry, 60);
        let (_, _, retry) = window_of(datetime!(2026-03-01 10:15:59.999 UTC), w);
        assert_eq!(retry, 1);
        let (start, _, _) = window_of(datetime!(2026-03-01 10:15:20 UTC), Duration::ZERO);
        assert_eq!(
            start,
            datetime!(2026-03-01 10:15:20 UTC),
            "a zero window acts as 1 s"
        );
    }

    #[test]
    fn addresses_count_per_ipv4_address_and_per_ipv6_slash_64() {
        assert_eq!(address_key(Some("203.0.113.7")), "203.0.113.7");
        assert_eq!(address_key(Some("::ffff:203.0.113.7")), "203.0.113.7");
        assert_eq!(
            address_key(Some("2001:db8:1:2:aaaa::1")),
            address_key(Some("2001:db8:1:2:bbbb::9"))
        );
        assert_ne!(
            address_key(Some("2001:db8:1:2::1")),
            address_key(Some("2001:db8:1:3::1"))
        );
        assert_eq!(address_key(Some("2001:db8:1:2::1")), "2001:db8:1:2::/64");
        assert_eq!(address_key(None), "unknown");
        assert_eq!(address_key(Some("not an address")), "unknown");
    }
}
