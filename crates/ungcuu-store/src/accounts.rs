//! Second factor, sign-in challenges and one-time account links (invitation, password reset).
//! Only hashes of the secrets people hold are stored; the TOTP secret is stored encrypted.

use crate::Result;
use crate::row::{RowExt, ts};
use sqlx::AnyConnection;
use time::OffsetDateTime;
use uuid::Uuid;

/// A person's TOTP enrolment.
#[derive(Clone, PartialEq, Eq)]
pub struct Totp {
    /// The person.
    pub user_id: Uuid,
    /// The secret, encrypted (see ungcuu-core's `secrets::seal`).
    pub secret_enc: String,
    /// Set once the person proved the authenticator works.
    pub confirmed_at: Option<OffsetDateTime>,
    /// The last time step accepted (a code is never accepted twice).
    pub last_used_step: Option<i64>,
}

impl std::fmt::Debug for Totp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Totp")
            .field("user_id", &self.user_id)
            .field("confirmed_at", &self.confirmed_at)
            .finish_non_exhaustive()
    }
}

/// The enrolment of a person, confirmed or not.
pub async fn totp(c: &mut AnyConnection, user: Uuid) -> Result<Option<Totp>> {
    let r = sqlx::query(
        "SELECT user_id, secret_enc, confirmed_at, last_used_step FROM user_totp WHERE user_id = $1",
    )
    .bind(user.to_string())
    .fetch_optional(c)
    .await?;
    r.map(|r| {
        Ok(Totp {
            user_id: r.uuid("user_id")?,
            secret_enc: r.text("secret_enc")?,
            confirmed_at: r.opt_time("confirmed_at")?,
            last_used_step: r.opt_int("last_used_step")?,
        })
    })
    .transpose()
}

/// Starts (or restarts) an unconfirmed enrolment with a new secret.
pub async fn put_pending_totp(
    c: &mut AnyConnection,
    user: Uuid,
    secret_enc: &str,
    at: OffsetDateTime,
) -> Result<()> {
    sqlx::query("DELETE FROM user_totp WHERE user_id = $1")
        .bind(user.to_string())
        .execute(&mut *c)
        .await?;
    sqlx::query("INSERT INTO user_totp (user_id, secret_enc, created_at) VALUES ($1, $2, $3)")
        .bind(user.to_string())
        .bind(secret_enc.to_string())
        .bind(ts(at))
        .execute(c)
        .await?;
    Ok(())
}

/// Marks the enrolment confirmed and records the step of the confirming code.
pub async fn confirm_totp(
    c: &mut AnyConnection,
    user: Uuid,
    step: i64,
    at: OffsetDateTime,
) -> Result<()> {
    sqlx::query("UPDATE user_totp SET confirmed_at = $2, last_used_step = $3 WHERE user_id = $1")
        .bind(user.to_string())
        .bind(ts(at))
        .bind(step)
        .execute(c)
        .await?;
    Ok(())
}

/// Records an accepted step, only if it is newer than the last one. False means replay.
pub async fn use_step(c: &mut AnyConnection, user: Uuid, step: i64) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE user_totp SET last_used_step = $2 WHERE user_id = $1 AND (last_used_step IS NULL OR last_used_step < $2)",
    )
    .bind(user.to_string())
    .bind(step)
    .execute(c)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Removes the enrolment and the recovery codes.
pub async fn delete_totp(c: &mut AnyConnection, user: Uuid) -> Result<bool> {
    let r = sqlx::query("DELETE FROM user_totp WHERE user_id = $1")
        .bind(user.to_string())
        .execute(&mut *c)
        .await?;
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user.to_string())
        .execute(c)
        .await?;
    Ok(r.rows_affected() > 0)
}

/// Replaces a person's recovery codes with these hashes.
pub async fn put_recovery_codes(
    c: &mut AnyConnection,
    user: Uuid,
    hashes: &[String],
    at: OffsetDateTime,
) -> Result<()> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user.to_string())
        .execute(&mut *c)
        .await?;
    for h in hashes {
        sqlx::query("INSERT INTO recovery_codes (id, user_id, code_hash, created_at) VALUES ($1, $2, $3, $4)")
            .bind(Uuid::now_v7().to_string())
            .bind(user.to_string())
            .bind(h.clone())
            .bind(ts(at))
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}

/// Uses an unused recovery code with this hash; false when there is none.
pub async fn use_recovery_code(
    c: &mut AnyConnection,
    user: Uuid,
    hash: &str,
    at: OffsetDateTime,
) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL",
    )
    .bind(user.to_string())
    .bind(hash.to_string())
    .bind(ts(at))
    .execute(c)
    .await?;
    Ok(r.rows_affected() > 0)
}

/// Unused recovery codes left.
pub async fn recovery_codes_left(c: &mut AnyConnection, user: Uuid) -> Result<i64> {
    sqlx::query("SELECT COUNT(*) AS n FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL")
        .bind(user.to_string())
        .fetch_one(c)
        .await?
        .int("n")
}

/// A sign-in waiting for its second factor.
#[derive(Clone, PartialEq, Eq)]
pub struct Challenge {
    /// Hash of the cookie value.
    pub id_hash: String,
    /// The person who gave the right password.
    pub user_id: Uuid,
    /// During enrolment at sign-in: the secret being enrolled, encrypted.
    pub pending_secret_enc: Option<String>,
    /// Wrong codes so far.
    pub attempts: i64,
    /// End of validity.
    pub expires_at: OffsetDateTime,
}

impl std::fmt::Debug for Challenge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Challenge")
            .field("user_id", &self.user_id)
            .field("attempts", &self.attempts)
            .finish_non_exhaustive()
    }
}

/// Stores a challenge.
pub async fn insert_challenge(
    c: &mut AnyConnection,
    ch: &Challenge,
    at: OffsetDateTime,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO login_challenges (id_hash, user_id, pending_secret_enc, attempts, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(ch.id_hash.clone())
    .bind(ch.user_id.to_string())
    .bind(ch.pending_secret_enc.clone())
    .bind(ch.attempts)
    .bind(ts(at))
    .bind(ts(ch.expires_at))
    .execute(c)
    .await?;
    Ok(())
}

/// A challenge by the hash of its cookie.
pub async fn challenge(c: &mut AnyConnection, id_hash: &str) -> Result<Option<Challenge>> {
    let r = sqlx::query(
        "SELECT id_hash, user_id, pending_secret_enc, attempts, expires_at FROM login_challenges WHERE id_hash = $1",
    )
    .bind(id_hash.to_string())
    .fetch_optional(c)
    .await?;
    r.map(|r| {
        Ok(Challenge {
            id_hash: r.text("id_hash")?,
            user_id: r.uuid("user_id")?,
            pending_secret_enc: r.opt_text("pending_secret_enc")?,
            attempts: r.int("attempts")?,
            expires_at: r.time("expires_at")?,
        })
    })
    .transpose()
}

/// Counts a wrong code.
pub async fn challenge_failed(c: &mut AnyConnection, id_hash: &str) -> Result<()> {
    sqlx::query("UPDATE login_challenges SET attempts = attempts + 1 WHERE id_hash = $1")
        .bind(id_hash.to_string())
        .execute(c)
        .await?;
    Ok(())
}

/// Ends a challenge.
pub async fn delete_challenge(c: &mut AnyConnection, id_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM login_challenges WHERE id_hash = $1")
        .bind(id_hash.to_string())
        .execute(c)
        .await?;
    Ok(())
}

/// A one-time link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// `invite` or `reset`.
    pub kind: String,
    /// The account it is for.
    pub user_id: Uuid,
    /// End of validity.
    pub expires_at: OffsetDateTime,
    /// When it was used.
    pub used_at: Option<OffsetDateTime>,
}

/// Stores a link by the hash of its token.
pub async fn insert_link(
    c: &mut AnyConnection,
    id_hash: &str,
    kind: &str,
    user: Uuid,
    created_by: Option<Uuid>,
    at: OffsetDateTime,
    expires_at: OffsetDateTime,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO account_links (id_hash, kind, user_id, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id_hash.to_string())
    .bind(kind.to_string())
    .bind(user.to_string())
    .bind(created_by.map(|u| u.to_string()))
    .bind(ts(at))
    .bind(ts(expires_at))
    .execute(c)
    .await?;
    Ok(())
}

/// A link by the hash of its token.
pub async fn link(c: &mut AnyConnection, id_hash: &str) -> Result<Option<Link>> {
    let r = sqlx::query(
        "SELECT kind, user_id, expires_at, used_at FROM account_links WHERE id_hash = $1",
    )
    .bind(id_hash.to_string())
    .fetch_optional(c)
    .await?;
    r.map(|r| {
        Ok(Link {
            kind: r.text("kind")?,
            user_id: r.uuid("user_id")?,
            expires_at: r.time("expires_at")?,
            used_at: r.opt_time("used_at")?,
        })
    })
    .transpose()
}

/// Uses a live link of `kind`; false when it is used, expired, unknown or of another kind.
pub async fn consume_link(
    c: &mut AnyConnection,
    id_hash: &str,
    kind: &str,
    at: OffsetDateTime,
) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE account_links SET used_at = $3 WHERE id_hash = $1 AND kind = $2 AND used_at IS NULL AND expires_at > $3",
    )
    .bind(id_hash.to_string())
    .bind(kind.to_string())
    .bind(ts(at))
    .execute(c)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Kills every live link of `kind` for a person (a new reset link replaces older ones).
pub async fn revoke_links(
    c: &mut AnyConnection,
    user: Uuid,
    kind: &str,
    at: OffsetDateTime,
) -> Result<()> {
    sqlx::query("UPDATE account_links SET used_at = $3 WHERE user_id = $1 AND kind = $2 AND used_at IS NULL")
        .bind(user.to_string())
        .bind(kind.to_string())
        .bind(ts(at))
        .execute(c)
        .await?;
    Ok(())
}
