//! Reading an incident report that arrived as an e-mail (RFC 5322 with MIME): who sent it, the
//! subject and the plain text, the thread it belongs to and its attachments. Pure: bytes in, a
//! [`Mail`] or the fields that are wrong out.
//!
//! Parsing is mail-parser's (encoded words, quoted-printable and base64, multipart/alternative
//! and /mixed, charsets including Windows-1258); what is kept is cleaned here: text in NFC with
//! `\n` line ends and no control characters, HTML turned into text (never kept as markup), file
//! names sanitised like every evidence name.

use crate::evidence::sanitise_name;
use crate::incident::LONG_MAX;
use crate::text::nfc;
use crate::validate::{Errors, FieldError};
use mail_parser::decoders::base64::base64_decode;
use mail_parser::decoders::quoted_printable::quoted_printable_decode;
use mail_parser::{Encoding, HeaderValue, MessageParser, MessagePart, MimeHeaders, PartType};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

/// The longest subject kept as an incident title (the title's own limit).
pub const TITLE_MAX: usize = 200;

/// The longest Message-ID kept as it is; a longer one is kept as its SHA-256.
pub const MESSAGE_ID_MAX: usize = 500;

/// The most attachments one message may carry (each becomes an evidence row and an audit
/// event; a real report has a handful).
pub const MAX_ATTACHMENTS: usize = 100;

/// A file attached to the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// The file name, sanitised (display only).
    pub name: String,
    /// The decoded bytes.
    pub bytes: Vec<u8>,
}

/// What an incoming e-mail says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    /// Its Message-ID without the angle brackets, or `sha256:<hex of the raw bytes>` when it
    /// has none (so the same bytes posted again are still recognised).
    pub message_id: String,
    /// The Message-IDs it answers (In-Reply-To, then References newest first), no repeats.
    pub replies_to: Vec<String>,
    /// The sender's display name, if given.
    pub from_name: Option<String>,
    /// The sender's address, lower case.
    pub from_address: String,
    /// The subject on one line, at most [`TITLE_MAX`] characters (empty when none).
    pub subject: String,
    /// The plain text of the body (HTML-only mail: the text of the HTML), at most
    /// [`LONG_MAX`] characters.
    pub body: String,
    /// True when the body was cut to fit.
    pub body_truncated: bool,
    /// The `Date` header, when it parses.
    pub date: Option<OffsetDateTime>,
    /// Attachments with content, in message order.
    pub attachments: Vec<Attachment>,
}

impl Mail {
    /// The sender as people read it: `Name <address>` or the address.
    pub fn sender(&self) -> String {
        match &self.from_name {
            Some(n) => format!("{n} <{}>", self.from_address),
            None => self.from_address.clone(),
        }
    }
}

/// Whether the first line looks like a header field (`Name: value`), after an optional mbox
/// `From ` envelope line: tells an e-mail from any other upload before parsing.
fn starts_with_header(raw: &[u8]) -> bool {
    let mut rest = raw;
    if rest.starts_with(b"From ") {
        match rest.iter().position(|&b| b == b'\n') {
            Some(i) => rest = &rest[i + 1..],
            None => return false,
        }
    }
    let Some(colon) = rest.iter().take(80).position(|&b| b == b':') else {
        return false;
    };
    // RFC 5322 allows any printable name; real ones are letters, digits and dashes.
    colon > 0
        && rest[..colon]
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b == b'-')
}

/// One line of text: NFC, control characters and runs of white space made one space.
fn one_line(s: &str, max: usize) -> String {
    let s = nfc(s);
    let mut out = String::with_capacity(s.len());
    for word in s.split(|c: char| c.is_whitespace() || c.is_control()) {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.chars().take(max).collect()
}

/// Multi-line text: NFC, `\n` line ends, no control characters but `\n` and `\t`, cut to
/// `max` characters (the flag says whether it was).
fn text_block(s: &str, max: usize) -> (String, bool) {
    let s = nfc(s).replace("\r\n", "\n").replace('\r', "\n");
    let cleaned: String = s
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect();
    let trimmed = cleaned.trim();
    if trimmed.chars().count() > max {
        (trimmed.chars().take(max).collect(), true)
    } else {
        (trimmed.to_string(), false)
    }
}

/// A Message-ID as stored: no brackets or spaces; over [`MESSAGE_ID_MAX`] it becomes its hash.
fn clean_id(s: &str) -> Option<String> {
    let v: String = s
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    if v.is_empty() {
        None
    } else if v.len() > MESSAGE_ID_MAX {
        Some(format!(
            "sha256:{}",
            hex::encode(Sha256::digest(v.as_bytes()))
        ))
    } else {
        Some(v)
    }
}

fn ids_of(v: &HeaderValue<'_>) -> Vec<String> {
    match v {
        HeaderValue::Text(t) => t.split_whitespace().filter_map(clean_id).collect(),
        HeaderValue::TextList(l) => l
            .iter()
            .flat_map(|t| t.split_whitespace())
            .filter_map(clean_id)
            .collect(),
        _ => Vec::new(),
    }
}

/// The bytes of an attachment as they were sent: only the transfer encoding undone. (The
/// parser gives text parts converted to UTF-8, which would change their hashes.)
fn attachment_bytes(raw: &[u8], p: &MessagePart<'_>) -> Vec<u8> {
    if !matches!(p.body, PartType::Text(_) | PartType::Html(_)) {
        return p.contents().to_vec();
    }
    let (start, end) = (p.raw_body_offset() as usize, p.raw_end_offset() as usize);
    let Some(body) = raw.get(start..end.max(start)) else {
        return p.contents().to_vec();
    };
    let decoded = match p.encoding {
        Encoding::Base64 => base64_decode(body),
        Encoding::QuotedPrintable => quoted_printable_decode(body),
        Encoding::None => Some(body.to_vec()),
    };
    decoded.unwrap_or_else(|| p.contents().to_vec())
}

/// Reads a raw message. Errors name `message` (empty, not an e-mail) or `from` (missing or
/// not an address).
pub fn parse(raw: &[u8]) -> Result<Mail, Vec<FieldError>> {
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Err(vec![FieldError::new("message", "intake.err.empty")]);
    }
    if !starts_with_header(raw) {
        return Err(vec![FieldError::new("message", "intake.err.not_a_message")]);
    }
    let Some(m) = MessageParser::default().parse(raw) else {
        return Err(vec![FieldError::new("message", "intake.err.not_a_message")]);
    };
    if m.headers().is_empty() {
        return Err(vec![FieldError::new("message", "intake.err.not_a_message")]);
    }
    let mut e = Errors::default();
    let from = m.from().and_then(|a| a.first());
    let from_address = match from.and_then(|a| a.address()) {
        Some(a) if !a.trim().is_empty() => e.email("from", a),
        _ => {
            e.add("from", "intake.err.from");
            String::new()
        }
    };
    e.into_result()?;
    let from_name = from
        .and_then(|a| a.name())
        .map(|n| one_line(n, 200))
        .filter(|n| !n.is_empty() && n.to_lowercase() != from_address);
    let message_id = m
        .message_id()
        .and_then(clean_id)
        .unwrap_or_else(|| format!("sha256:{}", hex::encode(Sha256::digest(raw))));
    let mut replies_to: Vec<String> = ids_of(m.in_reply_to());
    let mut refs = ids_of(m.references());
    refs.reverse();
    for r in refs {
        if !replies_to.contains(&r) {
            replies_to.push(r);
        }
    }
    replies_to.retain(|r| *r != message_id);
    let subject = one_line(m.subject().unwrap_or(""), TITLE_MAX);
    let texts: Vec<String> = (0..m.text_body_count())
        .filter_map(|i| m.body_text(i).map(|t| t.into_owned()))
        .collect();
    let (body, body_truncated) = text_block(&texts.join("\n\n"), LONG_MAX);
    let date = m
        .date()
        .and_then(|d| OffsetDateTime::from_unix_timestamp(d.to_timestamp()).ok());
    if m.attachments().filter(|p| !p.contents().is_empty()).count() > MAX_ATTACHMENTS {
        return Err(vec![FieldError::new(
            "message",
            "intake.err.too_many_attachments",
        )]);
    }
    let attachments = m
        .attachments()
        .enumerate()
        .filter(|(_, p)| !p.contents().is_empty())
        .map(|(i, p)| Attachment {
            name: match p.attachment_name() {
                Some(n) if !n.trim().is_empty() => sanitise_name(&nfc(n)),
                _ => format!("attachment-{}.bin", i + 1),
            },
            bytes: attachment_bytes(raw, p),
        })
        .collect();
    Ok(Mail {
        message_id,
        replies_to,
        from_name,
        from_address,
        subject,
        body,
        body_truncated,
        date,
        attachments,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(r: Result<Mail, Vec<FieldError>>) -> Vec<(String, &'static str)> {
        r.err()
            .unwrap_or_default()
            .into_iter()
            .map(|f| (f.field, f.code))
            .collect()
    }

    #[test]
    fn empty_and_headerless_input_is_not_a_message() {
        assert_eq!(
            codes(parse(b"")),
            vec![("message".into(), "intake.err.empty")]
        );
        assert_eq!(
            codes(parse(b" \r\n\r\n")),
            vec![("message".into(), "intake.err.empty")]
        );
        for raw in [
            &b"just some text, no header at all\r\n"[..],
            b"%PDF-1.7\n%\xe2\xe3\n1 0 obj",
            b"{\"subject\": \"x\"}",
            b"\r\nSubject: blank line first\r\n\r\nbody",
        ] {
            assert_eq!(
                codes(parse(raw)),
                vec![("message".into(), "intake.err.not_a_message")],
                "{}",
                String::from_utf8_lossy(raw)
            );
        }
    }

    #[test]
    fn a_message_without_a_usable_from_is_refused_on_from() {
        assert_eq!(
            codes(parse(b"Subject: hi\r\n\r\nbody\r\n")),
            vec![("from".into(), "intake.err.from")]
        );
        assert_eq!(
            codes(parse(
                b"From: not an address\r\nSubject: hi\r\n\r\nbody\r\n"
            )),
            vec![("from".into(), "intake.err.from")]
        );
    }

    #[test]
    fn encoded_words_quoted_printable_and_windows_1258_read_back_as_nfc_vietnamese() {
        // Windows-1258 writes tone marks as combining characters: "ự" is ư (0xFD) + dot below (0xF2).
        let raw = b"From: =?UTF-8?B?Tmd1eeG7hW4gVsSDbiBB?= <A@So-A.gov.vn>\r\n\
Subject: =?UTF-8?B?U+G7sSBj4buRIG3DoyDEkeG7mWM=?=\r\n\
Message-ID: <abc@mail.so-a.gov.vn>\r\n\
In-Reply-To: <root@x.vn>\r\n\
References: <older@x.vn> <root@x.vn>\r\n\
Date: Tue, 03 Mar 2026 08:30:00 +0700\r\n\
MIME-Version: 1.0\r\n\
Content-Type: text/plain; charset=windows-1258\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\
\r\n\
S=FD=F2 c=F4=EC =F0a=DE =F0=FD=F5=F2c x=FD=D2 ly=EC\r\n";
        let m = parse(raw).unwrap();
        assert_eq!(m.subject, "Sự cố mã độc");
        assert_eq!(m.from_name.as_deref(), Some("Nguyễn Văn A"));
        assert_eq!(m.from_address, "a@so-a.gov.vn");
        assert_eq!(m.message_id, "abc@mail.so-a.gov.vn");
        assert_eq!(m.replies_to, vec!["root@x.vn", "older@x.vn"]);
        assert_eq!(m.body, nfc("Sự cố đã được xử lý"));
        assert_eq!(m.body, "Sự cố đã được xử lý");
        assert_eq!(
            m.date.map(|d| d.unix_timestamp()),
            Some(1_772_501_400),
            "08:30 +07:00 on 3 March 2026"
        );
    }

    #[test]
    fn html_only_mail_becomes_text_without_script() {
        let raw = b"From: x@y.vn\r\nSubject: t\r\nContent-Type: text/html; charset=utf-8\r\n\r\n\
<html><head><script>alert(1)</script><style>p{}</style></head><body><p>Xin ch\xc3\xa0o <b>b\xe1\xba\xa1n</b></p></body></html>\r\n";
        let m = parse(raw).unwrap();
        assert!(m.body.contains("Xin chào bạn"), "{:?}", m.body);
        assert!(!m.body.contains("alert"), "{:?}", m.body);
        assert!(!m.body.contains('<'), "{:?}", m.body);
    }

    #[test]
    fn attachment_names_are_sanitised_and_a_missing_id_is_the_hash() {
        let raw = b"From: x@y.vn\r\nSubject: t\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n\
--b\r\nContent-Type: text/plain\r\n\r\nbody\r\n\
--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"..\\\\..\\\\evil.exe\"\r\n\
Content-Transfer-Encoding: base64\r\n\r\nTVqQAA==\r\n--b--\r\n";
        let m = parse(raw).unwrap();
        assert_eq!(m.attachments.len(), 1);
        assert_eq!(m.attachments[0].name, "evil.exe");
        assert_eq!(m.attachments[0].bytes, b"MZ\x90\x00");
        assert!(m.message_id.starts_with("sha256:"));
        assert_eq!(m.message_id, parse(raw).unwrap().message_id);
    }

    #[test]
    fn text_attachments_keep_their_bytes_and_charset() {
        // "Nhật ký" in Windows-1258, quoted-printable, then the same as 8bit text.
        let raw = b"From: x@y.vn\r\nSubject: t\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n\
--b\r\nContent-Type: text/plain\r\n\r\nbody\r\n\
--b\r\nContent-Type: text/plain; charset=windows-1258\r\nContent-Disposition: attachment; filename=a.txt\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\r\nNh=E2=F2t k=FD=EC\r\n\
--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Disposition: attachment; filename=b.txt\r\n\r\n\
line 1\r\nline 2\r\n--b--\r\n";
        let m = parse(raw).unwrap();
        assert_eq!(m.attachments.len(), 2, "{:?}", m.attachments);
        assert_eq!(m.attachments[0].bytes, b"Nh\xe2\xf2t k\xfd\xec");
        assert_eq!(m.attachments[1].bytes, b"line 1\r\nline 2");
    }

    #[test]
    fn too_many_attachments_are_refused() {
        let mut raw =
            b"From: x@y.vn\r\nSubject: t\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
                .to_vec();
        for i in 0..=MAX_ATTACHMENTS {
            raw.extend(
                format!(
                    "--b\r\nContent-Type: application/octet-stream\r\n\
                     Content-Disposition: attachment; filename=f{i}.bin\r\n\r\nx{i}\r\n"
                )
                .bytes(),
            );
        }
        raw.extend(b"--b--\r\n");
        assert_eq!(
            codes(parse(&raw)),
            vec![("message".into(), "intake.err.too_many_attachments")]
        );
    }

    #[test]
    fn a_long_body_is_cut_and_says_so() {
        let mut raw = b"From: x@y.vn\r\nSubject: t\r\n\r\n".to_vec();
        raw.extend(std::iter::repeat_n(b'a', LONG_MAX + 50));
        let m = parse(&raw).unwrap();
        assert!(m.body_truncated);
        assert_eq!(m.body.chars().count(), LONG_MAX);
    }
}
