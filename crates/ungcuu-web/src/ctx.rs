//! The per-request context: request id, language, the signed-in person and their rights,
//! cookies and flash message. Built once by [`context`] and read by every handler.

use crate::i18n::{self, Lang};
use crate::{State, WebConfig};
use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::HashMap;
use std::sync::Arc;
use ungcuu_core::Actor;
use ungcuu_core::auth::{self, ClientInfo};
use ungcuu_domain::permissions::{Action, Principal};
use ungcuu_store::users::{MembershipRow, User};
use uuid::Uuid;

/// How the person proved who they are.
#[derive(Debug, Clone)]
pub enum Via {
    /// A browser session: the cookie value and the CSRF token forms must echo.
    Session {
        /// Cookie value.
        token: String,
        /// CSRF token.
        csrf: String,
    },
    /// An API token.
    Token {
        /// Its id.
        id: Uuid,
    },
}

/// A signed-in person.
#[derive(Debug, Clone)]
pub struct Auth {
    /// The account.
    pub user: User,
    /// What they may do.
    pub principal: Principal,
    /// Their memberships with organisation names.
    pub memberships: Vec<MembershipRow>,
    /// How they signed in.
    pub via: Via,
    /// Unread in-app notifications (counted for pages only).
    pub unread: i64,
}

/// Everything a handler needs to know about the request beyond its own input.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// Request id (also in the `x-request-id` response header and the audit log).
    pub request_id: String,
    /// Interface language.
    pub lang: Lang,
    /// The signed-in person.
    pub auth: Option<Arc<Auth>>,
    /// The flash message key carried over from the previous request.
    pub flash: Option<String>,
    /// The pre-session CSRF token (sign-in and setup forms).
    pub pre_csrf: Option<String>,
    /// The request path with query, for "next" links and the language switch.
    pub path: String,
    /// Client address and browser.
    pub client: ClientInfo,
    /// Cookie settings.
    pub web: Arc<WebConfig>,
}

/// Cookie names: `__Host-` prefixed whenever cookies are `Secure`.
pub fn cookie_name(web: &WebConfig, base: &str) -> String {
    if web.secure_cookies {
        format!("__Host-ungcuu_{base}")
    } else {
        format!("ungcuu_{base}")
    }
}

/// A `Set-Cookie` value with the attributes every cookie of ours carries.
pub fn set_cookie(
    web: &WebConfig,
    base: &str,
    value: &str,
    max_age: Option<i64>,
    http_only: bool,
) -> HeaderValue {
    let mut s = format!("{}={}; Path=/; SameSite=Lax", cookie_name(web, base), value);
    if http_only {
        s.push_str("; HttpOnly");
    }
    if web.secure_cookies {
        s.push_str("; Secure");
    }
    if let Some(age) = max_age {
        s.push_str(&format!("; Max-Age={age}"));
    }
    HeaderValue::from_str(&s).unwrap_or_else(|_| HeaderValue::from_static("invalid=1; Max-Age=0"))
}

fn cookies(headers: &HeaderMap) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for h in headers.get_all(header::COOKIE) {
        if let Ok(s) = h.to_str() {
            for part in s.split(';') {
                if let Some((k, v)) = part.trim().split_once('=') {
                    out.entry(k.to_string()).or_insert_with(|| v.to_string());
                }
            }
        }
    }
    out
}

fn token_like(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 128
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl Ctx {
    /// Translates a key.
    pub fn t(&self, key: &str) -> &'static str {
        i18n::t(self.lang, key)
    }

    /// Translates with `{name}` placeholders.
    pub fn tf(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut s = self.t(key).to_string();
        for (k, v) in args {
            s = s.replace(&format!("{{{k}}}"), v);
        }
        s
    }

    /// The acting party for use cases.
    pub fn actor(&self) -> Actor {
        match &self.auth {
            Some(a) => Actor::person(
                a.principal.clone(),
                &a.user.email,
                Some(self.request_id.clone()),
            ),
            None => {
                let mut a = Actor::system("anonymous");
                a.request_id = Some(self.request_id.clone());
                a
            }
        }
    }

    /// The token forms must echo: the session's, or before sign-in the pre-session cookie's.
    pub fn csrf(&self) -> &str {
        match self.auth.as_deref().map(|a| &a.via) {
            Some(Via::Session { csrf, .. }) => csrf,
            _ => self.pre_csrf.as_deref().unwrap_or(""),
        }
    }

    /// The signed-in person's name.
    pub fn user_name(&self) -> &str {
        self.auth
            .as_deref()
            .map(|a| a.user.name.as_str())
            .unwrap_or("")
    }

    /// True when signed in.
    pub fn signed_in(&self) -> bool {
        self.auth.is_some()
    }

    /// True when the person may do `action` somewhere (for showing menu entries).
    pub fn can_somewhere(&self, action: &str) -> bool {
        let Some(a) = &self.auth else { return false };
        Action::ALL
            .iter()
            .copied()
            .find(|x| x.as_str() == action)
            .is_some_and(|x| a.principal.can_somewhere(x))
    }

    /// True when the person may do `action` everywhere (installation-wide menu entries).
    pub fn can_everywhere(&self, action: &str) -> bool {
        let Some(a) = &self.auth else { return false };
        Action::ALL
            .iter()
            .copied()
            .find(|x| x.as_str() == action)
            .is_some_and(|x| a.principal.can_everywhere(x))
    }

    /// Whether to offer the response team page: those who manage or convene it, and responders.
    pub fn sees_team(&self) -> bool {
        self.can_somewhere("roster.manage")
            || self.can_somewhere("team.convene")
            || self.auth.as_ref().is_some_and(|a| {
                a.memberships
                    .iter()
                    .any(|m| m.role == ungcuu_domain::Role::Responder)
            })
    }

    /// Unread notifications of the signed-in person.
    pub fn unread(&self) -> i64 {
        self.auth.as_ref().map(|a| a.unread).unwrap_or(0)
    }

    /// The language switch link.
    pub fn lang_switch_href(&self) -> String {
        format!(
            "/lang?l={}&next={}",
            self.lang.other().code(),
            crate::forms::urlencode(&self.path)
        )
    }

    /// Code of the current language.
    pub fn lang_code(&self) -> &'static str {
        self.lang.code()
    }

    /// The flash message text, if any.
    pub fn flash_text(&self) -> Option<&str> {
        self.flash
            .as_deref()
            .filter(|k| i18n::has(k))
            .map(|k| self.t(k))
    }

    /// A date-time shown in Vietnam time.
    pub fn dt(&self, t: &time::OffsetDateTime) -> String {
        ungcuu_domain::timefmt::show(*t)
    }

    /// An optional date-time.
    pub fn odt(&self, t: &Option<time::OffsetDateTime>) -> String {
        t.map(ungcuu_domain::timefmt::show).unwrap_or_default()
    }
}

/// Builds the [`Ctx`] of every request, runs the handler, then sets the request id header and
/// the cookies the context decided on.
pub async fn context(
    axum::extract::State(state): axum::extract::State<State>,
    mut req: Request,
    next: Next,
) -> Response {
    let request_id = Uuid::new_v4().to_string();
    let jar = cookies(req.headers());
    let web = Arc::new(state.web.clone());
    let lang = jar.get("ungcuu_lang").map(|l| Lang::from_code(l));
    let client = ClientInfo {
        ip: req
            .extensions()
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip().to_string()),
        user_agent: req
            .headers()
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|s| s.chars().take(300).collect()),
        request_id: Some(request_id.clone()),
    };
    let path = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    let is_asset = path.starts_with("/assets/") || path == "/healthz" || path == "/readyz";
    let mut auth_result = None;
    let mut clear_session = false;
    if !is_asset {
        let bearer = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|s| s.trim().to_string());
        let session_cookie = jar.get(&cookie_name(&web, "session")).cloned();
        let found = match (bearer, session_cookie) {
            (Some(b), _) => match auth::token_user(&state.core, &b).await {
                Ok(Some((user, tok))) => Some((user, Via::Token { id: tok.id })),
                Ok(None) => None,
                Err(e) => return crate::error::internal(lang.unwrap_or_default(), &request_id, &e),
            },
            (None, Some(cookie)) if token_like(&cookie) => {
                match auth::session_user(&state.core, &cookie).await {
                    Ok(Some((user, s))) => Some((
                        user,
                        Via::Session {
                            token: cookie,
                            csrf: s.csrf_token,
                        },
                    )),
                    Ok(None) => {
                        clear_session = true;
                        None
                    }
                    Err(e) => {
                        return crate::error::internal(lang.unwrap_or_default(), &request_id, &e);
                    }
                }
            }
            _ => None,
        };
        if let Some((user, via)) = found {
            let (principal, memberships) = match auth::principal(&state.core, user.id).await {
                Ok(p) => p,
                Err(e) => return crate::error::internal(lang.unwrap_or_default(), &request_id, &e),
            };
            let unread = if path.starts_with("/api/") {
                0
            } else {
                ungcuu_core::network::unread(&state.core, user.id)
                    .await
                    .unwrap_or(0)
            };
            auth_result = Some(Arc::new(Auth {
                unread,
                user,
                principal,
                memberships,
                via,
            }));
        }
    }
    let lang = lang
        .or_else(|| {
            auth_result
                .as_ref()
                .map(|a| Lang::from_code(&a.user.locale))
        })
        .unwrap_or_default();
    let flash = jar
        .get("ungcuu_flash")
        .filter(|k| {
            k.len() <= 64
                && k.bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'.' || b == b'_')
        })
        .cloned();
    let pre_name = cookie_name(&web, "pre");
    let existing_pre = jar.get(&pre_name).filter(|v| token_like(v)).cloned();
    // Only pages carry forms that need the pre-session token; API callers never get the cookie.
    let new_pre = (auth_result.is_none()
        && existing_pre.is_none()
        && !is_asset
        && !path.starts_with("/api/")
        && path != "/metrics")
        .then(ungcuu_core::secrets::token);
    let ctx = Ctx {
        request_id: request_id.clone(),
        lang,
        auth: auth_result,
        flash: flash.clone(),
        pre_csrf: existing_pre.or_else(|| new_pre.clone()),
        path,
        client,
        web: web.clone(),
    };
    req.extensions_mut().insert(ctx);
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        h.insert("x-request-id", v);
    }
    if let Some(pre) = new_pre {
        h.append(
            header::SET_COOKIE,
            set_cookie(&web, "pre", &pre, None, true),
        );
    }
    if clear_session
        && !h
            .get_all(header::SET_COOKIE)
            .iter()
            .any(|v| v.to_str().is_ok_and(|s| s.contains("_session=")))
    {
        h.append(
            header::SET_COOKIE,
            set_cookie(&web, "session", "", Some(0), true),
        );
    }
    let sets_flash = h
        .get_all(header::SET_COOKIE)
        .iter()
        .any(|v| v.to_str().is_ok_and(|s| s.starts_with("ungcuu_flash=")));
    if flash.is_some() && !sets_flash {
        h.append(header::SET_COOKIE, flash_cookie(&web, None));
    }
    res
}

/// The flash cookie (a message key, never user text); `None` clears it.
pub fn flash_cookie(web: &WebConfig, key: Option<&str>) -> HeaderValue {
    let mut s = format!(
        "ungcuu_flash={}; Path=/; SameSite=Lax; HttpOnly",
        key.unwrap_or("")
    );
    if web.secure_cookies {
        s.push_str("; Secure");
    }
    s.push_str(if key.is_some() {
        "; Max-Age=60"
    } else {
        "; Max-Age=0"
    });
    HeaderValue::from_str(&s)
        .unwrap_or_else(|_| HeaderValue::from_static("ungcuu_flash=; Max-Age=0"))
}

/// A redirect that shows a flash message on the next page.
pub fn redirect_with_flash(ctx: &Ctx, to: &str, key: &str) -> Response {
    let mut r = Redirect::to(to).into_response();
    r.headers_mut()
        .append(header::SET_COOKIE, flash_cookie(&ctx.web, Some(key)));
    r
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Ctx>()
            .cloned()
            .ok_or_else(|| axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response())
    }
}

/// A page handler's context when it requires a signed-in person; otherwise the browser is sent
/// to the sign-in page and brought back afterwards.
#[derive(Debug, Clone)]
pub struct SignedIn(pub Ctx);

impl<S: Send + Sync> FromRequestParts<S> for SignedIn {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, s: &S) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::from_request_parts(parts, s).await?;
        if ctx.auth.is_some() {
            Ok(SignedIn(ctx))
        } else {
            let next = crate::forms::urlencode(&ctx.path);
            Err(Redirect::to(&format!("/login?next={next}")).into_response())
        }
    }
}

impl SignedIn {
    /// The signed-in person.
    pub fn auth(&self) -> &Auth {
        self.0.auth.as_deref().expect("SignedIn always has auth")
    }
}
