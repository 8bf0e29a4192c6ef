//! The TOTP second factor (RFC 6238: SHA-1, 6 digits, 30-second steps, one step of drift either
//! way): enrolment with a QR code and a manual key, recovery codes, the per-role policy, the
//! second step of sign-in, and reset by an administrator. Functions take the time as an
//! argument so tests can use a fixed clock.

use crate::auth::{ClientInfo, NewSession};
use crate::{Actor, Core, CoreError, Result, secrets};
use serde_json::json;
use time::{Duration, OffsetDateTime};
use ungcuu_domain::Role;
use ungcuu_domain::permissions::Action;
use ungcuu_store::accounts::{self, Challenge};
use ungcuu_store::users::{MembershipRow, User};
use ungcuu_store::{Connection, audit, commit, settings, users};
use uuid::Uuid;

/// A challenge lives this long after the password was accepted.
pub const CHALLENGE_TTL: Duration = Duration::minutes(5);
/// Wrong codes allowed per challenge.
pub const CHALLENGE_ATTEMPTS: i64 = 5;
/// Recovery codes issued at enrolment.
pub const RECOVERY_CODES: usize = 10;
const STEP: i64 = 30;
const POLICY_KEY: &str = "mfa_required_roles";
const KEY_SETTING: &str = "totp_key";
const ISSUER: &str = "ungcuu";

/// What a person needs to add the account to an authenticator app.
#[derive(Clone)]
pub struct Enrolment {
    /// The secret in base32, for typing by hand.
    pub manual_key: String,
    /// The `otpauth://` URI the QR code carries.
    pub uri: String,
    /// The QR code as SVG (generated here; contains no text from outside).
    pub qr_svg: String,
}

impl std::fmt::Debug for Enrolment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Enrolment { .. }")
    }
}

/// The encryption key for TOTP secrets, kept in the database so that every replica can verify
/// codes; created on first use.
async fn key(c: &mut Connection) -> Result<[u8; 32]> {
    let mut fresh = [0u8; 32];
    getrandom::fill(&mut fresh).map_err(|e| CoreError::Internal(e.to_string()))?;
    let stored = settings::get_or_insert(
        c,
        KEY_SETTING,
        &hex::encode(fresh),
        ungcuu_domain::timefmt::now(),
    )
    .await?;
    let bytes = hex::decode(stored).map_err(|_| CoreError::Internal("corrupt TOTP key".into()))?;
    bytes
        .try_into()
        .map_err(|_| CoreError::Internal("corrupt TOTP key".into()))
}

fn totp(secret: &[u8]) -> Result<totp_rs::Totp> {
    totp_rs::Builder::new()
        .with_secret(totp_rs::Secret::new(secret.to_vec().into_boxed_slice()))
        .build()
        .map_err(|e| CoreError::Internal(format!("TOTP: {e:?}")))
}

fn unix(t: OffsetDateTime) -> u64 {
    t.unix_timestamp().max(0) as u64
}

/// The time step a valid `code` belongs to at `at`, if any.
fn check(secret: &[u8], code: &str, at: OffsetDateTime) -> Result<Option<i64>> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    Ok(totp(secret)?.check(&code, unix(at)).map(|s| s as i64))
}

/// The code an authenticator shows at `at` (tests use it as the authenticator).
pub fn code_at(secret_base32: &str, at: OffsetDateTime) -> Option<String> {
    let secret = base32_decode(secret_base32)?;
    totp(&secret).ok().map(|t| t.generate(unix(at)).to_string())
}

fn base32_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let mut acc: u32 = 0;
    let mut bits = 0;
    for b in bytes {
        acc = (acc << 8) | *b as u32;
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((acc >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((acc << (5 - bits)) & 31) as usize] as char);
    }
    out
}

fn base32_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut acc: u32 = 0;
    let mut bits = 0;
    for ch in s.chars().filter(|c| !c.is_whitespace() && *c != '=') {
        let v = match ch.to_ascii_uppercase() {
            c @ 'A'..='Z' => c as u32 - 'A' as u32,
            c @ '2'..='7' => c as u32 - '2' as u32 + 26,
            _ => return None,
        };
        acc = (acc << 5) | v;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

fn enrolment(secret: &[u8], email: &str) -> Result<Enrolment> {
    let manual_key = base32_encode(secret);
    let label = crate::mail::percent_encode(&format!("{ISSUER}:{email}"));
    let uri = format!(
        "otpauth://totp/{label}?secret={manual_key}&issuer={ISSUER}&algorithm=SHA1&digits=6&period={STEP}"
    );
    let qr = qrcode::QrCode::new(uri.as_bytes()).map_err(|e| CoreError::Internal(e.to_string()))?;
    let qr_svg = qr
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(220, 220)
        .quiet_zone(true)
        .build();
    let grouped = manual_key
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).to_string())
        .collect::<Vec<_>>()
        .join(" ");
    Ok(Enrolment {
        manual_key: grouped,
        uri,
        qr_svg,
    })
}

fn new_secret() -> Result<Vec<u8>> {
    let mut s = vec![0u8; 20];
    getrandom::fill(&mut s).map_err(|e| CoreError::Internal(e.to_string()))?;
    Ok(s)
}

fn recovery_codes() -> Vec<String> {
    (0..RECOVERY_CODES)
        .map(|_| {
            let mut b = [0u8; 7];
            getrandom::fill(&mut b).expect("the operating system's random source failed");
            let s = base32_encode(&b).to_lowercase();
            format!("{}-{}", &s[..5], &s[5..10])
        })
        .collect()
}

fn recovery_hash(code: &str) -> String {
    let normal: String = code
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    secrets::hash(&format!("recovery:{normal}"))
}

/// The roles that must use a second factor.
pub async fn policy(core: &Core) -> Result<Vec<Role>> {
    let mut c = core.db.conn().await?;
    let stored = settings::get(&mut c, POLICY_KEY).await?;
    Ok(stored
        .map(|s| s.split(',').filter_map(|r| r.trim().parse().ok()).collect())
        .unwrap_or_default())
}

/// Sets the roles that must use a second factor (administrators only).
pub async fn set_policy(core: &Core, actor: &Actor, roles: &[Role]) -> Result<()> {
    if actor
        .principal
        .as_ref()
        .is_some_and(|p| !p.can_everywhere(Action::SettingsManage))
    {
        return Err(crate::audit::denied(
            core,
            actor,
            Action::SettingsManage,
            "settings",
            None,
            None,
            CoreError::Forbidden,
        )
        .await);
    }
    let value = roles
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(",");
    let before = policy(core).await?;
    let t = ungcuu_domain::timefmt::now();
    let mut tx = core.db.begin().await?;
    settings::set(&mut tx, POLICY_KEY, &value, t).await?;
    let ev = actor.event(
        "settings.mfa_policy",
        "settings",
        Some(POLICY_KEY.into()),
        None,
        json!({ "before": before.iter().map(|r| r.as_str()).collect::<Vec<_>>(), "after": roles.iter().map(|r| r.as_str()).collect::<Vec<_>>() }),
    );
    audit::append(&mut tx, &ev, t).await?;
    commit(tx).await?;
    Ok(())
}

/// True when any of these memberships carries a role the policy covers.
pub fn required(policy: &[Role], memberships: &[MembershipRow]) -> bool {
    memberships.iter().any(|m| policy.contains(&m.role))
}

/// Whether a person has a confirmed second factor, and how many recovery codes are left.
pub async fn status(core: &Core, user: Uuid) -> Result<(bool, i64)> {
    let mut c = core.db.conn().await?;
    let on = accounts::totp(&mut c, user)
        .await?
        .is_some_and(|t| t.confirmed_at.is_some());
    let left = if on {
        accounts::recovery_codes_left(&mut c, user).await?
    } else {
        0
    };
    Ok((on, left))
}

/// Starts enrolment from the profile page: a new secret, not active until confirmed.
pub async fn start(core: &Core, actor: &Actor, email: &str) -> Result<Enrolment> {
    let uid = actor.user_id().ok_or(CoreError::Unauthenticated)?;
    let mut tx = core.db.begin().await?;
    if accounts::totp(&mut tx, uid)
        .await?
        .is_some_and(|t| t.confirmed_at.is_some())
    {
        return Err(CoreError::field("code", "err.mfa_already"));
    }
    let k = key(&mut tx).await?;
    let secret = new_secret()?;
    accounts::put_pending_totp(
        &mut tx,
        uid,
        &secrets::seal(&k, &secret),
        ungcuu_domain::timefmt::now(),
    )
    .await?;
    commit(tx).await?;
    enrolment(&secret, email)
}

/// The pending enrolment again (the page was reloaded).
pub async fn pending(core: &Core, actor: &Actor, email: &str) -> Result<Option<Enrolment>> {
    let uid = actor.user_id().ok_or(CoreError::Unauthenticated)?;
    let mut c = core.db.conn().await?;
    let Some(t) = accounts::totp(&mut c, uid).await? else {
        return Ok(None);
    };
    if t.confirmed_at.is_some() {
        return Ok(None);
    }
    let k = key(&mut c).await?;
    let secret = secrets::open(&k, &t.secret_enc)
        .ok_or_else(|| CoreError::Internal("TOTP secret unreadable".into()))?;
    enrolment(&secret, email).map(Some)
}

async fn finish_enrolment(
    tx: &mut Connection,
    actor: &Actor,
    uid: Uuid,
    step: i64,
    at: OffsetDateTime,
    during: &str,
) -> Result<Vec<String>> {
    accounts::confirm_totp(tx, uid, step, at).await?;
    let codes = recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|c| recovery_hash(c)).collect();
    accounts::put_recovery_codes(tx, uid, &hashes, at).await?;
    let mut ev = actor.event(
        "mfa.enrol",
        "user",
        Some(uid.to_string()),
        None,
        json!({ "recovery_codes": codes.len(), "during": during }),
    );
    ev.actor_user_id = Some(uid);
    audit::append(tx, &ev, at).await?;
    Ok(codes)
}

/// Confirms the pending enrolment with a first code; returns the recovery codes (shown once).
pub async fn confirm(
    core: &Core,
    actor: &Actor,
    code: &str,
    at: OffsetDateTime,
) -> Result<Vec<String>> {
    let uid = actor.user_id().ok_or(CoreError::Unauthenticated)?;
    let mut tx = core.db.begin().await?;
    let Some(t) = accounts::totp(&mut tx, uid)
        .await?
        .filter(|t| t.confirmed_at.is_none())
    else {
        return Err(CoreError::field("code", "err.mfa_no_enrolment"));
    };
    let k = key(&mut tx).await?;
    let secret = secrets::open(&k, &t.secret_enc)
        .ok_or_else(|| CoreError::Internal("TOTP secret unreadable".into()))?;
    let Some(step) = check(&secret, code, at)? else {
        return Err(CoreError::field("code", "err.mfa_code"));
    };
    let codes = finish_enrolment(&mut tx, actor, uid, step, at, "profile").await?;
    commit(tx).await?;
    Ok(codes)
}

/// Turns the second factor off: by the person (needs their password, and not when the policy
/// requires it) or by an administrator for someone else (a reset, e.g. a lost phone).
pub async fn disable(
    core: &Core,
    actor: &Actor,
    target: Uuid,
    password: Option<&str>,
) -> Result<()> {
    let is_self = actor.user_id() == Some(target);
    let admin = actor.principal.as_ref().is_none_or(|p| p.is_admin());
    let t = ungcuu_domain::timefmt::now();
    if is_self && !admin {
        let (user, ms) = {
            let mut c = core.db.conn().await?;
            let u = users::get(&mut c, target)
                .await?
                .ok_or(CoreError::NotFound)?;
            let ms = users::memberships_of(&mut c, target).await?;
            (u, ms)
        };
        if required(&policy(core).await?, &ms) {
            return Err(CoreError::field("password", "err.mfa_required"));
        }
        let ok = match (password, user.password_hash.clone()) {
            (Some(p), Some(h)) => {
                let p = p.to_string();
                tokio::task::spawn_blocking(move || crate::auth::verify_password(&p, &h))
                    .await
                    .unwrap_or(false)
            }
            _ => false,
        };
        if !ok {
            return Err(CoreError::field("password", "err.password_wrong"));
        }
    } else if !admin {
        return Err(crate::audit::denied(
            core,
            actor,
            Action::SettingsManage,
            "user",
            Some(target.to_string()),
            None,
            CoreError::Forbidden,
        )
        .await);
    }
    let mut tx = core.db.begin().await?;
    let removed = accounts::delete_totp(&mut tx, target).await?;
    if !removed {
        return Err(CoreError::NotFound);
    }
    let action = if is_self { "mfa.disable" } else { "mfa.reset" };
    let ev = actor.event(action, "user", Some(target.to_string()), None, json!({}));
    audit::append(&mut tx, &ev, t).await?;
    commit(tx).await?;
    Ok(())
}

/// After the password: does this person need a second step, and which?
pub async fn second_step(core: &Core, user: &User) -> Result<Option<bool>> {
    let mut c = core.db.conn().await?;
    let enrolled = accounts::totp(&mut c, user.id)
        .await?
        .is_some_and(|t| t.confirmed_at.is_some());
    if enrolled {
        return Ok(Some(false));
    }
    let ms = users::memberships_of(&mut c, user.id).await?;
    drop(c);
    if required(&policy(core).await?, &ms) {
        return Ok(Some(true));
    }
    Ok(None)
}

/// Opens a challenge for a person whose password was right; returns the cookie value.
pub async fn open_challenge(tx: &mut Connection, user: Uuid, at: OffsetDateTime) -> Result<String> {
    let token = secrets::token();
    let ch = Challenge {
        id_hash: secrets::hash(&token),
        user_id: user,
        pending_secret_enc: None,
        attempts: 0,
        expires_at: at + CHALLENGE_TTL,
    };
    accounts::insert_challenge(tx, &ch, at).await?;
    Ok(token)
}

/// The live challenge behind a cookie value, with its person.
pub async fn challenge(
    core: &Core,
    token: &str,
    at: OffsetDateTime,
) -> Result<Option<(Challenge, User)>> {
    let mut c = core.db.conn().await?;
    let Some(ch) = accounts::challenge(&mut c, &secrets::hash(token)).await? else {
        return Ok(None);
    };
    if ch.expires_at <= at || ch.attempts >= CHALLENGE_ATTEMPTS {
        accounts::delete_challenge(&mut c, &ch.id_hash).await?;
        return Ok(None);
    }
    let Some(user) = users::get(&mut c, ch.user_id)
        .await?
        .filter(|u| u.disabled_at.is_none())
    else {
        return Ok(None);
    };
    Ok(Some((ch, user)))
}

fn client_actor(user: &User, client: &ClientInfo) -> Actor {
    let mut a = Actor::system(&user.email);
    a.request_id = client.request_id.clone();
    a
}

/// The second step of sign-in: a current code (never one already used) or a recovery code.
pub async fn verify(
    core: &Core,
    token: &str,
    code: &str,
    client: &ClientInfo,
    at: OffsetDateTime,
) -> Result<NewSession> {
    let Some((ch, user)) = challenge(core, token, at).await? else {
        return Err(CoreError::Gone);
    };
    let mut tx = core.db.begin().await?;
    let k = key(&mut tx).await?;
    let t = accounts::totp(&mut tx, user.id)
        .await?
        .filter(|t| t.confirmed_at.is_some());
    let Some(t) = t else {
        return Err(CoreError::Gone);
    };
    let secret = secrets::open(&k, &t.secret_enc)
        .ok_or_else(|| CoreError::Internal("TOTP secret unreadable".into()))?;
    let mut actor = client_actor(&user, client);
    let ok = match check(&secret, code, at)? {
        Some(step) => accounts::use_step(&mut tx, user.id, step).await?,
        None if code.trim().len() > 6 => {
            let used =
                accounts::use_recovery_code(&mut tx, user.id, &recovery_hash(code), at).await?;
            if used {
                actor.label = user.email.clone();
                let ev = audit_event(&actor, &user, "mfa.recovery_code_used", json!({}));
                audit::append(&mut tx, &ev, at).await?;
            }
            used
        }
        None => false,
    };
    if !ok {
        accounts::challenge_failed(&mut tx, &ch.id_hash).await?;
        let ev = audit_event(
            &actor,
            &user,
            "auth.mfa_failed",
            json!({ "attempt": ch.attempts + 1, "ip": client.ip }),
        );
        audit::append(&mut tx, &ev, at).await?;
        commit(tx).await?;
        return Err(CoreError::field("code", "err.mfa_code"));
    }
    accounts::delete_challenge(&mut tx, &ch.id_hash).await?;
    let s = crate::auth::start_session_in(&mut tx, &user, client, at, "totp").await?;
    commit(tx).await?;
    Ok(s)
}

fn audit_event(
    actor: &Actor,
    user: &User,
    action: &str,
    summary: serde_json::Value,
) -> audit::NewEvent {
    let mut ev = actor.event(action, "user", Some(user.id.to_string()), None, summary);
    ev.actor_user_id = Some(user.id);
    ev
}

/// Enrolment during sign-in, for a person the policy requires to have a second factor: the
/// secret waits in the challenge until confirmed.
pub async fn challenge_enrolment(
    core: &Core,
    token: &str,
    at: OffsetDateTime,
) -> Result<Enrolment> {
    let Some((ch, user)) = challenge(core, token, at).await? else {
        return Err(CoreError::Gone);
    };
    let mut tx = core.db.begin().await?;
    let k = key(&mut tx).await?;
    let secret = match ch
        .pending_secret_enc
        .as_deref()
        .and_then(|s| secrets::open(&k, s))
    {
        Some(s) => s,
        None => {
            let s = new_secret()?;
            accounts::delete_challenge(&mut tx, &ch.id_hash).await?;
            let mut fresh = ch.clone();
            fresh.pending_secret_enc = Some(secrets::seal(&k, &s));
            accounts::insert_challenge(&mut tx, &fresh, at).await?;
            s
        }
    };
    commit(tx).await?;
    enrolment(&secret, &user.email)
}

/// Confirms enrolment during sign-in; returns the new session and the recovery codes.
pub async fn confirm_challenge_enrolment(
    core: &Core,
    token: &str,
    code: &str,
    client: &ClientInfo,
    at: OffsetDateTime,
) -> Result<(NewSession, Vec<String>)> {
    let Some((ch, user)) = challenge(core, token, at).await? else {
        return Err(CoreError::Gone);
    };
    let mut tx = core.db.begin().await?;
    let k = key(&mut tx).await?;
    let Some(secret) = ch
        .pending_secret_enc
        .as_deref()
        .and_then(|s| secrets::open(&k, s))
    else {
        return Err(CoreError::Gone);
    };
    let actor = client_actor(&user, client);
    let Some(step) = check(&secret, code, at)? else {
        accounts::challenge_failed(&mut tx, &ch.id_hash).await?;
        commit(tx).await?;
        return Err(CoreError::field("code", "err.mfa_code"));
    };
    accounts::put_pending_totp(&mut tx, user.id, &secrets::seal(&k, &secret), at).await?;
    let mut person = actor.clone();
    person.label = user.email.clone();
    let codes = finish_enrolment(&mut tx, &person, user.id, step, at, "sign-in").await?;
    accounts::delete_challenge(&mut tx, &ch.id_hash).await?;
    let s = crate::auth::start_session_in(&mut tx, &user, client, at, "totp_enrol").await?;
    commit(tx).await?;
    Ok((s, codes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    // RFC 6238 appendix B, SHA-1 secret "12345678901234567890".
    const RFC_SECRET: &[u8] = b"12345678901234567890";

    #[test]
    fn codes_match_the_rfc_6238_test_vectors() {
        let b32 = base32_encode(RFC_SECRET);
        assert_eq!(
            code_at(&b32, datetime!(1970-01-01 00:00:59 UTC)).unwrap(),
            "287082"
        );
        assert_eq!(
            code_at(&b32, datetime!(2005-03-18 01:58:29 UTC)).unwrap(),
            "081804"
        );
        assert_eq!(
            code_at(&b32, datetime!(2009-02-13 23:31:30 UTC)).unwrap(),
            "005924"
        );
    }

    #[test]
    fn a_code_is_accepted_one_step_either_side_and_not_beyond() {
        let b32 = base32_encode(RFC_SECRET);
        let t = datetime!(2026-11-25 10:00:15 UTC);
        let code = code_at(&b32, t).unwrap();
        assert!(check(RFC_SECRET, &code, t).unwrap().is_some());
        assert!(
            check(RFC_SECRET, &code, t + Duration::seconds(30))
                .unwrap()
                .is_some()
        );
        assert!(
            check(RFC_SECRET, &code, t - Duration::seconds(30))
                .unwrap()
                .is_some()
        );
        assert!(
            check(RFC_SECRET, &code, t + Duration::seconds(75))
                .unwrap()
                .is_none()
        );
        assert!(
            check(RFC_SECRET, &code, t - Duration::seconds(65))
                .unwrap()
                .is_none()
        );
        assert!(check(RFC_SECRET, "12345", t).unwrap().is_none());
        assert!(check(RFC_SECRET, "abcdef", t).unwrap().is_none());
    }

    #[test]
    fn base32_round_trips() {
        for len in 0..25 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            assert_eq!(base32_decode(&base32_encode(&bytes)).unwrap(), bytes);
        }
    }

    #[test]
    fn recovery_codes_are_distinct_and_normalised_before_hashing() {
        let codes = recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        let mut d = codes.clone();
        d.sort();
        d.dedup();
        assert_eq!(d.len(), RECOVERY_CODES);
        assert_eq!(
            recovery_hash(&codes[0]),
            recovery_hash(&format!("  {} ", codes[0].to_uppercase()))
        );
    }
}
