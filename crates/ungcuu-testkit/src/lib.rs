//! Test harness: [`spawn_app`] starts the whole application on a free port against a fresh
//! database of the backend under test, with typed helpers for the API and for pages.

pub mod browsing;
pub mod smtp;
pub mod webdriver;

mod app;
mod mailtext;
mod web;

pub use app::{Backend, Fixture, PASSWORD, TestApp, backend_from_env, spawn_app, spawn_app_on};
pub use mailtext::{mail_html, mail_subject, mail_text};
pub use web::{Resp, WebSession, csrf_from};

/// Payloads that must stay inert wherever user text is shown (stored XSS, the most frequent
/// bug class in peer systems). A new text field is tested by writing each of these into it.
pub const XSS_CORPUS: &[&str] = &[
    "<script>alert('xss-1')</script>",
    "\"><script>alert('xss-2')</script>",
    "'><img src=x onerror=alert('xss-3')>",
    "<svg/onload=alert('xss-4')>",
    "<a href=\"javascript:alert('xss-5')\">click</a>",
    "javascript:alert('xss-6')",
    "</title><script>alert('xss-7')</script>",
    "<iframe srcdoc=\"<script>alert('xss-8')</script>\"></iframe>",
    "&lt;script&gt;alert('xss-9')&lt;/script&gt;",
    "{{7*7}}<b onmouseover=alert('xss-10')>x</b>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('xss-11')>",
    "\u{202e}<script>alert('xss-12')</script>",
];

/// Checks that `html` shows none of `payload` as markup: the raw text must not appear, and no
/// tag or event handler that the corpus carries may appear outside escaped text.
pub fn assert_inert(html: &str, payload: &str, context: &str) {
    if payload.contains('<') || payload.contains('"') || payload.contains('\'') {
        assert!(
            !html.contains(payload),
            "{context}: payload rendered raw: {payload}"
        );
    }
    let lower = html.to_lowercase();
    // Escaped text may still read "onerror=alert(": harmless without a real tag around it, so
    // only markup that needs an unescaped `<` or an attribute break is looked for.
    for needle in [
        "<script>alert(",
        "<img src=x",
        "<svg/onload",
        "<iframe",
        "href=\"javascript:",
        "<b onmouseover",
        "<math>",
    ] {
        assert!(
            !lower.contains(needle),
            "{context}: found {needle:?} in page for payload {payload}"
        );
    }
}
