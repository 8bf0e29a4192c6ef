//! Invitations and password resets by e-mail. A link carries a single-use token (256 bits,
//! stored hashed) that expires after 72 hours; the e-mail goes through the outbox in the same
//! transaction that creates the link.

use crate::mail::{OutgoingMail, html_escape};
use crate::users::{NewUser, insert_prepared, prepare};
use crate::{Actor, Core, CoreError, Result, secrets};
use serde_json::json;
use time::{Duration, OffsetDateTime};
use ungcuu_domain::timefmt::{now, show};
use ungcuu_domain::validate::Errors;
use ungcuu_store::users::User;
use ungcuu_store::{accounts, audit, commit, orgs, sessions, users};

/// How long an invitation or reset link lives.
pub const LINK_TTL: Duration = Duration::hours(72);

/// Invites a person: the account is created without a password and a link to set one is mailed,
/// in the person's language.
pub async fn invite(core: &Core, actor: &Actor, new: NewUser) -> Result<User> {
    let mut new = new;
    new.password = None;
    let p = prepare(core, actor, new).await?;
    let org_name = {
        let mut c = core.db.conn().await?;
        orgs::get(&mut c, p.org_id)
            .await?
            .map(|o| o.name)
            .unwrap_or_default()
    };
    let token = secrets::token();
    let t = now();
    let expires = t + LINK_TTL;
    let link = format!("{}/invite/{token}", core.config.public_url);
    let mail = invitation_mail(&p.user, &org_name, &actor.label, &link, expires);
    let mut tx = core.db.begin().await?;
    insert_prepared(&mut tx, actor, &p).await?;
    accounts::insert_link(
        &mut tx,
        &secrets::hash(&token),
        "invite",
        p.user.id,
        actor.user_id(),
        t,
        expires,
    )
    .await?;
    let mail_id = crate::mail::enqueue(&mut tx, &mail).await?;
    let ev = actor.event("user.invite", "user", Some(p.user.id.to_string()), Some(p.org_id), json!({ "email": p.user.email, "mail_id": mail_id, "expires_at": ungcuu_domain::timefmt::to_db(expires) }));
    audit::append(&mut tx, &ev, t).await?;
    commit(tx).await?;
    Ok(p.user)
}

/// The person a live link of `kind` is for.
pub async fn check(core: &Core, token: &str, kind: &str) -> Result<User> {
    let mut c = core.db.conn().await?;
    let Some(l) = accounts::link(&mut c, &secrets::hash(token)).await? else {
        return Err(CoreError::Gone);
    };
    if l.kind != kind || l.used_at.is_some() || l.expires_at <= now() {
        return Err(CoreError::Gone);
    }
    users::get(&mut c, l.user_id)
        .await?
        .filter(|u| u.disabled_at.is_none())
        .ok_or(CoreError::Gone)
}

/// Uses a link to set the password (accepting an invitation, or resetting). Every session of
/// the person ends and the lockout is cleared.
pub async fn set_password(
    core: &Core,
    token: &str,
    kind: &str,
    password: &str,
    at: OffsetDateTime,
) -> Result<User> {
    let user = check(core, token, kind).await?;
    let mut errs = Errors::default();
    errs.password("password", password);
    errs.into_result().map_err(CoreError::Invalid)?;
    let hash = crate::auth::hash_password_blocking(password.to_string()).await?;
    let mut tx = core.db.begin().await?;
    if !accounts::consume_link(&mut tx, &secrets::hash(token), kind, at).await? {
        return Err(CoreError::Gone);
    }
    let mut u = users::get(&mut tx, user.id).await?.ok_or(CoreError::Gone)?;
    u.password_hash = Some(hash);
    u.failed_logins = 0;
    u.locked_until = None;
    u.updated_at = at;
    users::update(&mut tx, &u).await?;
    users::set_login_state(&mut tx, u.id, 0, None).await?;
    sessions::delete_for_user(&mut tx, u.id).await?;
    let mut actor = Actor::system(&u.email);
    actor.label = u.email.clone();
    let mut ev = actor.event(
        if kind == "invite" {
            "user.invite_accepted"
        } else {
            "user.password_reset"
        },
        "user",
        Some(u.id.to_string()),
        None,
        json!({}),
    );
    ev.actor_user_id = Some(u.id);
    audit::append(&mut tx, &ev, at).await?;
    commit(tx).await?;
    Ok(u)
}

/// "Forgot password": mails a reset link when the address has a live account. The caller
/// answers the same way whatever happened, so the answer never reveals who has an account.
pub async fn request_reset(core: &Core, email: &str, request_id: Option<String>) -> Result<()> {
    let email = email.trim().to_lowercase();
    let t = now();
    let user = {
        let mut c = core.db.conn().await?;
        users::by_email(&mut c, &email).await?
    };
    let mut tx = core.db.begin().await?;
    let mut actor = Actor::system("anonymous");
    actor.request_id = request_id;
    match user.filter(|u| u.disabled_at.is_none()) {
        Some(u) => {
            let token = secrets::token();
            let expires = t + LINK_TTL;
            accounts::revoke_links(&mut tx, u.id, "reset", t).await?;
            accounts::insert_link(
                &mut tx,
                &secrets::hash(&token),
                "reset",
                u.id,
                None,
                t,
                expires,
            )
            .await?;
            let link = format!("{}/reset/{token}", core.config.public_url);
            let mail_id = crate::mail::enqueue(&mut tx, &reset_mail(&u, &link, expires)).await?;
            let ev = actor.event(
                "auth.reset_requested",
                "user",
                Some(u.id.to_string()),
                None,
                json!({ "mail_id": mail_id }),
            );
            audit::append(&mut tx, &ev, t).await?;
        }
        None => {
            let clipped: String = email
                .chars()
                .filter(|c| !c.is_control())
                .take(254)
                .collect();
            let ev = actor.event(
                "auth.reset_requested",
                "user",
                None,
                None,
                json!({ "email": clipped, "known": false }),
            );
            audit::append(&mut tx, &ev, t).await?;
        }
    }
    commit(tx).await?;
    Ok(())
}

fn invitation_mail(
    user: &User,
    org: &str,
    inviter: &str,
    link: &str,
    expires: OffsetDateTime,
) -> OutgoingMail {
    let until = show(expires);
    let (subject, text, html) = if user.locale == "en" {
        (
            "[ungcuu] Invitation to the incident response system".to_string(),
            format!(
                "Dear {name},\n\n{inviter} has invited you to the provincial cyber incident response system as a member of {org}.\n\nTo accept, set your password at:\n{link}\n\nThe link works once and expires at {until} (Vietnam time). If you did not expect this message, ignore it.\n",
                name = user.name
            ),
            format!(
                "<p>Dear {name},</p><p>{inviter} has invited you to the provincial cyber incident response system as a member of <strong>{org}</strong>.</p><p><a href=\"{link}\">Accept the invitation and set your password</a></p><p>The link works once and expires at {until} (Vietnam time). If you did not expect this message, ignore it.</p>",
                name = html_escape(&user.name),
                inviter = html_escape(inviter),
                org = html_escape(org),
                link = html_escape(link),
            ),
        )
    } else {
        (
            "[ungcuu] Mời tham gia hệ thống ứng cứu sự cố".to_string(),
            format!(
                "Kính gửi {name},\n\n{inviter} đã mời Anh/Chị tham gia hệ thống điều phối ứng cứu sự cố an toàn thông tin mạng của tỉnh với tư cách thành viên của {org}.\n\nĐể nhận lời mời, vui lòng đặt mật khẩu tại:\n{link}\n\nĐường dẫn chỉ dùng được một lần và hết hạn lúc {until}. Nếu Anh/Chị không chờ đợi thư này, vui lòng bỏ qua.\n",
                name = user.name
            ),
            format!(
                "<p>Kính gửi {name},</p><p>{inviter} đã mời Anh/Chị tham gia hệ thống điều phối ứng cứu sự cố an toàn thông tin mạng của tỉnh với tư cách thành viên của <strong>{org}</strong>.</p><p><a href=\"{link}\">Nhận lời mời và đặt mật khẩu</a></p><p>Đường dẫn chỉ dùng được một lần và hết hạn lúc {until}. Nếu Anh/Chị không chờ đợi thư này, vui lòng bỏ qua.</p>",
                name = html_escape(&user.name),
                inviter = html_escape(inviter),
                org = html_escape(org),
                link = html_escape(link),
            ),
        )
    };
    OutgoingMail {
        to: user.email.clone(),
        subject,
        text,
        html: Some(html),
    }
}

fn reset_mail(user: &User, link: &str, expires: OffsetDateTime) -> OutgoingMail {
    let until = show(expires);
    let (subject, text, html) = if user.locale == "en" {
        (
            "[ungcuu] Reset your password".to_string(),
            format!(
                "Dear {name},\n\nSomeone asked to reset the password of your account. To choose a new password, open:\n{link}\n\nThe link works once and expires at {until} (Vietnam time). If you did not ask for this, ignore this message: your password stays as it is.\n",
                name = user.name
            ),
            format!(
                "<p>Dear {name},</p><p>Someone asked to reset the password of your account.</p><p><a href=\"{link}\">Choose a new password</a></p><p>The link works once and expires at {until} (Vietnam time). If you did not ask for this, ignore this message: your password stays as it is.</p>",
                name = html_escape(&user.name),
                link = html_escape(link),
            ),
        )
    } else {
        (
            "[ungcuu] Đặt lại mật khẩu".to_string(),
            format!(
                "Kính gửi {name},\n\nHệ thống nhận được yêu cầu đặt lại mật khẩu cho tài khoản của Anh/Chị. Để đặt mật khẩu mới, vui lòng mở:\n{link}\n\nĐường dẫn chỉ dùng được một lần và hết hạn lúc {until}. Nếu Anh/Chị không yêu cầu, vui lòng bỏ qua thư này; mật khẩu hiện tại vẫn giữ nguyên.\n",
                name = user.name
            ),
            format!(
                "<p>Kính gửi {name},</p><p>Hệ thống nhận được yêu cầu đặt lại mật khẩu cho tài khoản của Anh/Chị.</p><p><a href=\"{link}\">Đặt mật khẩu mới</a></p><p>Đường dẫn chỉ dùng được một lần và hết hạn lúc {until}. Nếu Anh/Chị không yêu cầu, vui lòng bỏ qua thư này; mật khẩu hiện tại vẫn giữ nguyên.</p>",
                name = html_escape(&user.name),
                link = html_escape(link),
            ),
        )
    };
    OutgoingMail {
        to: user.email.clone(),
        subject,
        text,
        html: Some(html),
    }
}
