//! Sign-in, sessions, API tokens and the principal of a request.

use crate::{Actor, Core, CoreError, Result, secrets};
use argon2::password_hash::phc::PasswordHash;
use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use serde_json::json;
use std::sync::LazyLock;
use time::{Duration, OffsetDateTime};
use ungcuu_domain::permissions::{Membership, OrgTree, Principal};
use ungcuu_domain::timefmt::now;
use ungcuu_domain::validate::Errors;
use ungcuu_store::sessions::Session;
use ungcuu_store::tokens::ApiToken;
use ungcuu_store::users::{MembershipRow, User};
use ungcuu_store::{audit, commit, orgs, sessions, tokens, users};
use uuid::Uuid;

/// A session ends after this long without a request.
pub const SESSION_IDLE: Duration = Duration::hours(12);
/// A session ends this long after sign-in whatever happens.
pub const SESSION_ABSOLUTE: Duration = Duration::days(7);
/// Failed sign-ins in a row that lock an account.
pub const LOCKOUT_THRESHOLD: i64 = 5;
/// How long a locked account stays locked.
pub const LOCKOUT: Duration = Duration::minutes(15);
/// Prefix of API tokens, so a leaked one is recognisable in logs and scanners.
pub const TOKEN_PREFIX: &str = "ugc_";

/// Hashes a password with Argon2id (OWASP parameters: 19 MiB, 2 passes).
pub fn hash_password(password: &str) -> Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| CoreError::Internal(format!("password hashing failed: {e}")))
}

/// Checks a password against a stored hash.
pub fn verify_password(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(h) => Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok(),
        Err(_) => false,
    }
}

// Checked against when the account does not exist, so the answer takes as long either way
// and does not reveal which e-mail addresses have accounts.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    hash_password("not a real password, only spends the same time").unwrap_or_default()
});

async fn verify_blocking(password: String, stored: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || match stored {
        Some(h) => verify_password(&password, &h),
        None => {
            verify_password(&password, &DUMMY_HASH);
            false
        }
    })
    .await
    .unwrap_or(false)
}

/// Hashes off the async threads (Argon2 takes tens of milliseconds on purpose).
pub async fn hash_password_blocking(password: String) -> Result<String> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| CoreError::Internal(e.to_string()))?
}

/// Where a sign-in comes from, for the session record and the audit log.
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    /// Client address.
    pub ip: Option<String>,
    /// Browser.
    pub user_agent: Option<String>,
    /// Request id.
    pub request_id: Option<String>,
}

/// A new session: the cookie value (shown once) and the stored record.
#[derive(Debug, Clone)]
pub struct NewSession {
    /// The secret for the cookie.
    pub token: String,
    /// The stored session.
    pub session: Session,
    /// Who signed in.
    pub user: User,
}

fn clip(s: &str, n: usize) -> String {
    s.chars().filter(|c| !c.is_control()).take(n).collect()
}

/// What a right password leads to.
#[derive(Debug, Clone)]
pub enum LoginOutcome {
    /// Signed in.
    Session(Box<NewSession>),
    /// A second factor is needed: the cookie value of the challenge.
    SecondFactor(String),
    /// The policy requires a second factor the person has not set up: enrol first.
    Enrol(String),
}

/// Signs a person in with e-mail and password. Failed attempts count towards a lockout and are
/// audited; the answer for an unknown address and a wrong password is the same.
pub async fn login(
    core: &Core,
    email: &str,
    password: &str,
    client: &ClientInfo,
) -> Result<LoginOutcome> {
    let email = email.trim().to_lowercase();
    let t = now();
    let user = {
        let mut c = core.db.conn().await?;
        users::by_email(&mut c, &email).await?
    };
    let failed = |reason: &str, user: Option<&User>| json!({ "email": clip(&email, 254), "reason": reason, "ip": client.ip, "user_id": user.map(|u| u.id) });
    let Some(user) = user else {
        verify_blocking(password.to_string(), None).await;
        let mut tx = core.db.begin().await?;
        let ev = audit_event(
            client,
            None,
            &email,
            "auth.login_failed",
            failed("unknown", None),
        );
        audit::append(&mut tx, &ev, t).await?;
        commit(tx).await?;
        return Err(CoreError::Unauthenticated);
    };
    if let Some(until) = user.locked_until.filter(|u| *u > t) {
        let mut tx = core.db.begin().await?;
        let ev = audit_event(
            client,
            Some(user.id),
            &email,
            "auth.login_failed",
            failed("locked", Some(&user)),
        );
        audit::append(&mut tx, &ev, t).await?;
        commit(tx).await?;
        return Err(CoreError::Locked(until));
    }
    let ok = verify_blocking(password.to_string(), user.password_hash.clone()).await;
    let mut tx = core.db.begin().await?;
    if !ok || user.disabled_at.is_some() {
        // Re-read inside the transaction so concurrent failures all count.
        let fresh = users::get(&mut tx, user.id).await?.unwrap_or(user.clone());
        let mut n = fresh.failed_logins + 1;
        let mut locked = None;
        if n >= LOCKOUT_THRESHOLD {
            locked = Some(t + LOCKOUT);
            n = 0;
        }
        users::set_login_state(&mut tx, user.id, n, locked).await?;
        let reason = if user.disabled_at.is_some() {
            "disabled"
        } else {
            "bad_password"
        };
        let mut summary = failed(reason, Some(&user));
        if locked.is_some() {
            summary["locked"] = json!(true);
        }
        let ev = audit_event(client, Some(user.id), &email, "auth.login_failed", summary);
        audit::append(&mut tx, &ev, t).await?;
        commit(tx).await?;
        return Err(match locked {
            Some(until) => CoreError::Locked(until),
            None => CoreError::Unauthenticated,
        });
    }
    if user.failed_logins != 0 || user.locked_until.is_some() {
        users::set_login_state(&mut tx, user.id, 0, None).await?;
    }
    let second = crate::mfa::second_step(core, &user).await?;
    if let Some(enrol) = second {
        let token = crate::mfa::open_challenge(&mut tx, user.id, t).await?;
        let ev = audit_event(
            client,
            Some(user.id),
            &email,
            "auth.password_ok",
            json!({ "ip": client.ip, "next": if enrol { "mfa_enrol" } else { "mfa" } }),
        );
        audit::append(&mut tx, &ev, t).await?;
        commit(tx).await?;
        return Ok(if enrol {
            LoginOutcome::Enrol(token)
        } else {
            LoginOutcome::SecondFactor(token)
        });
    }
    let s = start_session_in(&mut tx, &user, client, t, "password").await?;
    commit(tx).await?;
    Ok(LoginOutcome::Session(Box::new(s)))
}

/// Creates a session for a person who passed every step, with its audit event, in the
/// caller's transaction.
pub async fn start_session_in(
    tx: &mut ungcuu_store::Tx,
    user: &User,
    client: &ClientInfo,
    t: OffsetDateTime,
    method: &str,
) -> Result<NewSession> {
    let (token, session) = start_session(tx, user.id, client, t).await?;
    let ev = audit_event(
        client,
        Some(user.id),
        &user.email,
        "auth.login",
        json!({ "ip": client.ip, "method": method }),
    );
    audit::append(tx, &ev, t).await?;
    Ok(NewSession {
        token,
        session,
        user: user.clone(),
    })
}

async fn start_session(
    tx: &mut ungcuu_store::Tx,
    user_id: Uuid,
    client: &ClientInfo,
    t: OffsetDateTime,
) -> Result<(String, Session)> {
    // Always a fresh id at sign-in: a session id planted before sign-in is never promoted.
    let token = secrets::token();
    let session = Session {
        id_hash: secrets::hash(&token),
        user_id,
        csrf_token: secrets::token(),
        created_at: t,
        last_seen_at: t,
        expires_at: t + SESSION_ABSOLUTE,
    };
    sessions::insert(
        tx,
        &session,
        client.user_agent.as_deref(),
        client.ip.as_deref(),
    )
    .await?;
    Ok((token, session))
}

fn audit_event(
    client: &ClientInfo,
    user: Option<Uuid>,
    label: &str,
    action: &str,
    summary: serde_json::Value,
) -> audit::NewEvent {
    audit::NewEvent {
        actor_user_id: user,
        actor_label: clip(label, 254),
        organization_id: None,
        action: action.into(),
        object_type: "user".into(),
        object_id: user.map(|u| u.to_string()),
        summary,
        request_id: client.request_id.clone(),
    }
}

/// The live session and person behind a cookie value, ending sessions past their time.
pub async fn session_user(core: &Core, token: &str) -> Result<Option<(User, Session)>> {
    let hash = secrets::hash(token);
    let mut c = core.db.conn().await?;
    let Some(s) = sessions::get(&mut c, &hash).await? else {
        return Ok(None);
    };
    let t = now();
    if s.expires_at <= t || s.last_seen_at + SESSION_IDLE <= t {
        sessions::delete(&mut c, &hash).await?;
        return Ok(None);
    }
    let Some(user) = users::get(&mut c, s.user_id).await? else {
        return Ok(None);
    };
    if user.disabled_at.is_some() {
        sessions::delete(&mut c, &hash).await?;
        return Ok(None);
    }
    // One write a minute per session is enough to keep the idle clock honest.
    if s.last_seen_at + Duration::minutes(1) <= t {
        sessions::touch(&mut c, &hash, t).await?;
    }
    Ok(Some((user, s)))
}

/// The person behind an API token.
pub async fn token_user(core: &Core, bearer: &str) -> Result<Option<(User, ApiToken)>> {
    if !bearer.starts_with(TOKEN_PREFIX) || bearer.len() > 200 {
        return Ok(None);
    }
    let mut c = core.db.conn().await?;
    let Some(tok) = tokens::by_hash(&mut c, &secrets::hash(bearer)).await? else {
        return Ok(None);
    };
    let Some(user) = users::get(&mut c, tok.user_id).await? else {
        return Ok(None);
    };
    if user.disabled_at.is_some() {
        return Ok(None);
    }
    tokens::touch(&mut c, tok.id, now()).await?;
    Ok(Some((user, tok)))
}

/// What a person may do, loaded fresh for each request so role changes apply at once, with
/// the memberships it was computed from.
pub async fn principal(core: &Core, user_id: Uuid) -> Result<(Principal, Vec<MembershipRow>)> {
    let mut c = core.db.conn().await?;
    let ms = users::memberships_of(&mut c, user_id).await?;
    let tree = OrgTree::new(orgs::tree_pairs(&mut c).await?);
    let principal = Principal::new(
        user_id,
        ms.iter()
            .map(|m| Membership {
                org_id: m.org_id,
                org_kind: m.org_kind,
                role: m.role,
            })
            .collect(),
        &tree,
    );
    Ok((principal, ms))
}

/// Ends one session.
pub async fn logout(core: &Core, actor: &Actor, token: &str) -> Result<()> {
    let mut tx = core.db.begin().await?;
    sessions::delete(&mut tx, &secrets::hash(token)).await?;
    let ev = actor.event(
        "auth.logout",
        "user",
        actor.user_id().map(|u| u.to_string()),
        None,
        json!({}),
    );
    audit::append(&mut tx, &ev, now()).await?;
    commit(tx).await?;
    Ok(())
}

/// Ends every session of the acting person.
pub async fn logout_everywhere(core: &Core, actor: &Actor) -> Result<u64> {
    let uid = actor.user_id().ok_or(CoreError::Unauthenticated)?;
    let mut tx = core.db.begin().await?;
    let n = sessions::delete_for_user(&mut tx, uid).await?;
    let ev = actor.event(
        "auth.logout_all",
        "user",
        Some(uid.to_string()),
        None,
        json!({ "sessions": n }),
    );
    audit::append(&mut tx, &ev, now()).await?;
    commit(tx).await?;
    Ok(n)
}

/// Changes the acting person's password after checking the current one. Every session of
/// theirs ends and a new one is returned for the browser that made the change.
pub async fn change_password(
    core: &Core,
    actor: &Actor,
    current: &str,
    new: &str,
    client: &ClientInfo,
) -> Result<NewSession> {
    let uid = actor.user_id().ok_or(CoreError::Unauthenticated)?;
    let user = {
        let mut c = core.db.conn().await?;
        users::get(&mut c, uid).await?.ok_or(CoreError::NotFound)?
    };
    let mut errs = Errors::default();
    errs.password("new_password", new);
    if !verify_blocking(current.to_string(), user.password_hash.clone()).await {
        errs.add("current_password", "err.password_wrong");
    }
    errs.into_result().map_err(CoreError::Invalid)?;
    let hash = hash_password_blocking(new.to_string()).await?;
    let t = now();
    let mut tx = core.db.begin().await?;
    let mut u = user;
    u.password_hash = Some(hash);
    u.updated_at = t;
    users::update(&mut tx, &u).await?;
    sessions::delete_for_user(&mut tx, uid).await?;
    let (token, session) = start_session(&mut tx, uid, client, t).await?;
    let ev = actor.event(
        "user.password_change",
        "user",
        Some(uid.to_string()),
        None,
        json!({}),
    );
    audit::append(&mut tx, &ev, t).await?;
    commit(tx).await?;
    Ok(NewSession {
        token,
        session,
        user: u,
    })
}
