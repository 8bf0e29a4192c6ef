//! Reading e-mail back the way a person would: transfer encodings undone.

/// Decodes quoted-printable and base64 parts enough to read the text back.
pub fn mail_text(raw: &str) -> String {
    let mut out = String::new();
    let mut b64 = String::new();
    let mut mode = "";
    for line in raw.split("\r\n") {
        let l = line.to_ascii_lowercase();
        if l.starts_with("content-transfer-encoding:") {
            mode = if l.contains("base64") {
                "b64"
            } else if l.contains("quoted-printable") {
                "qp"
            } else {
                "plain"
            };
            continue;
        }
        if line.starts_with("--") {
            if !b64.is_empty() {
                out.push_str(&String::from_utf8_lossy(&base64_decode(&b64)));
                b64.clear();
            }
            continue;
        }
        match mode {
            "b64" => b64.push_str(line.trim()),
            "qp" => out.push_str(&qp_decode(line)),
            _ => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

fn qp_decode(line: &str) -> String {
    let (line, soft) = match line.strip_suffix('=') {
        Some(l) => (l, true),
        None => (line, false),
    };
    let bytes = line.as_bytes();
    let mut v = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let hex = (bytes[i] == b'=' && i + 2 < bytes.len() + 1 && i + 3 <= bytes.len())
            .then(|| u8::from_str_radix(&line[i + 1..i + 3], 16).ok())
            .flatten();
        match hex {
            Some(b) => {
                v.push(b);
                i += 3;
            }
            None => {
                v.push(bytes[i]);
                i += 1;
            }
        }
    }
    let mut s = String::from_utf8_lossy(&v).to_string();
    if !soft {
        s.push('\n');
    }
    s
}

fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => (c - b'A') as u32,
            b'a'..=b'z' => (c - b'a' + 26) as u32,
            b'0'..=b'9' => (c - b'0' + 52) as u32,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        })
    };
    let mut out = Vec::new();
    let mut acc = 0u32;
    let mut bits = 0;
    for c in s.bytes() {
        if let Some(v) = val(c) {
            acc = (acc << 6) | v;
            bits += 6;
            if bits >= 8 {
                bits -= 8;
                out.push((acc >> bits) as u8);
                acc &= (1 << bits) - 1;
            }
        }
    }
    out
}

/// The decoded `Subject` of a raw message (folded lines joined, RFC 2047 words decoded).
pub fn mail_subject(raw: &str) -> String {
    let mut value = String::new();
    let mut in_subject = false;
    for line in raw.split("\r\n") {
        if line.is_empty() {
            break;
        }
        if in_subject && (line.starts_with(' ') || line.starts_with('\t')) {
            value.push(' ');
            value.push_str(line.trim_start());
            continue;
        }
        in_subject = false;
        if let Some(v) = line.strip_prefix("Subject:") {
            value.push_str(v.trim());
            in_subject = true;
        }
    }
    // Adjacent encoded words are one run: whitespace between them is dropped and their bytes
    // are joined before UTF-8 decoding, because a character may be split across two words.
    let mut out = String::new();
    let mut run: Vec<u8> = Vec::new();
    for word in value.split_whitespace() {
        match decode_word(word) {
            Some(bytes) => run.extend(bytes),
            None => {
                if !run.is_empty() {
                    out.push_str(&String::from_utf8_lossy(&run));
                    out.push(' ');
                    run.clear();
                }
                out.push_str(word);
                out.push(' ');
            }
        }
    }
    out.push_str(&String::from_utf8_lossy(&run));
    out.trim_end().to_string()
}

fn decode_word(w: &str) -> Option<Vec<u8>> {
    let inner = w.strip_prefix("=?")?.strip_suffix("?=")?;
    let mut parts = inner.splitn(3, '?');
    let (_charset, enc, text) = (parts.next()?, parts.next()?, parts.next()?);
    if enc.eq_ignore_ascii_case("b") {
        return Some(base64_decode(text));
    }
    let bytes = text.as_bytes();
    let mut v = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'_' => v.push(b' '),
            b'=' if i + 3 <= bytes.len() => {
                v.push(u8::from_str_radix(&text[i + 1..i + 3], 16).ok()?);
                i += 2;
            }
            b => v.push(b),
        }
        i += 1;
    }
    Some(v)
}

/// The decoded HTML part of a raw message, if it has one.
pub fn mail_html(raw: &str) -> Option<String> {
    let lower = raw.to_ascii_lowercase();
    let start = lower.find("content-type: text/html")?;
    let part = &raw[start..];
    // The part ends at the next boundary line.
    let end = part.find("\r\n--").unwrap_or(part.len());
    Some(mail_text(&part[..end]))
}
