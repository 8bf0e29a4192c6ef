//! Evidence files and indicators of compromise: the pure rules. Indicators are parsed and
//! normalised per kind and extracted from free text that may be defanged (`hxxp://`, `[.]`,
//! `(.)`, `[@]`, `[:]`); a file's media type is sniffed from its first bytes (the client's is
//! never trusted); its display name is sanitised and the download's `Content-Disposition` is
//! built by the server (RFC 6266).

use std::net::IpAddr;
use std::str::FromStr;

/// What an indicator is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IndicatorKind {
    /// IPv4 or IPv6 address.
    Ip,
    /// Domain name.
    Domain,
    /// URL.
    Url,
    /// SHA-256 of a file.
    Sha256,
    /// SHA-1 of a file.
    Sha1,
    /// MD5 of a file.
    Md5,
    /// E-mail address.
    Email,
    /// CVE identifier.
    Cve,
    /// File name.
    Filename,
    /// Windows registry key.
    RegistryKey,
}

impl IndicatorKind {
    /// Every kind.
    pub const ALL: [IndicatorKind; 10] = [
        IndicatorKind::Ip,
        IndicatorKind::Domain,
        IndicatorKind::Url,
        IndicatorKind::Sha256,
        IndicatorKind::Sha1,
        IndicatorKind::Md5,
        IndicatorKind::Email,
        IndicatorKind::Cve,
        IndicatorKind::Filename,
        IndicatorKind::RegistryKey,
    ];

    /// The stored code.
    pub fn as_str(self) -> &'static str {
        match self {
            IndicatorKind::Ip => "ip",
            IndicatorKind::Domain => "domain",
            IndicatorKind::Url => "url",
            IndicatorKind::Sha256 => "sha256",
            IndicatorKind::Sha1 => "sha1",
            IndicatorKind::Md5 => "md5",
            IndicatorKind::Email => "email",
            IndicatorKind::Cve => "cve",
            IndicatorKind::Filename => "filename",
            IndicatorKind::RegistryKey => "registry_key",
        }
    }
}

impl FromStr for IndicatorKind {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Self::ALL.into_iter().find(|k| k.as_str() == s).ok_or(())
    }
}

/// Replaces `from` by `to` ignoring ASCII case.
fn replace_ci(s: &str, from: &str, to: &str) -> String {
    let lower = s.to_ascii_lowercase();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while let Some(p) = lower[i..].find(from) {
        out.push_str(&s[i..i + p]);
        out.push_str(to);
        i += p + from.len();
    }
    out.push_str(&s[i..]);
    out
}

/// Undoes the usual defanging: `hxxp://`, `[.]`, `(.)`, `{.}`, `[dot]`, `[@]`, `[at]`, `[:]`,
/// `[://]`.
pub fn refang(s: &str) -> String {
    let mut s = replace_ci(s, "hxxps", "https");
    s = replace_ci(&s, "hxxp", "http");
    s = replace_ci(&s, "fxp://", "ftp://");
    for (from, to) in [
        ("[://]", "://"),
        ("[.]", "."),
        ("(.)", "."),
        ("{.}", "."),
        ("[dot]", "."),
        ("(dot)", "."),
        ("[@]", "@"),
        ("(@)", "@"),
        ("[at]", "@"),
        ("[:]", ":"),
    ] {
        s = replace_ci(&s, from, to);
    }
    s
}

fn is_hex(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn domain(s: &str) -> Option<String> {
    let d = s.trim().trim_end_matches('.').to_ascii_lowercase();
    if d.len() > 253 || !d.contains('.') {
        return None;
    }
    let labels: Vec<&str> = d.split('.').collect();
    let ok = labels.iter().all(|l| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    });
    let tld = labels.last()?;
    let tld_ok =
        (tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic())) || tld.starts_with("xn--");
    (ok && tld_ok).then_some(d)
}

fn cve(s: &str) -> Option<String> {
    let u = s.trim().to_ascii_uppercase();
    let rest = u.strip_prefix("CVE-")?;
    let (year, num) = rest.split_once('-')?;
    (year.len() == 4
        && year.bytes().all(|b| b.is_ascii_digit())
        && num.len() >= 4
        && num.len() <= 9
        && num.bytes().all(|b| b.is_ascii_digit()))
    .then_some(u)
}

fn email(s: &str) -> Option<String> {
    let (local, dom) = s.trim().rsplit_once('@')?;
    let ok = !local.is_empty()
        && local.len() <= 64
        && local
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._%+-!#$&'*/=?^`{|}~".contains(&b));
    let d = domain(dom)?;
    ok.then(|| format!("{}@{d}", local.to_ascii_lowercase()))
}

fn url(s: &str) -> Option<String> {
    let s = s.trim();
    if s.len() > 2048 || s.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return None;
    }
    let (scheme, rest) = s.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if !matches!(scheme.as_str(), "http" | "https" | "ftp") {
        return None;
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(end);
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        let (ip, _) = v6.split_once(']')?;
        ip.parse::<std::net::Ipv6Addr>().ok()?;
        host_port.to_ascii_lowercase()
    } else {
        let (h, port) = match host_port.rsplit_once(':') {
            Some((h, p)) if p.bytes().all(|b| b.is_ascii_digit()) => (h, Some(p)),
            _ => (host_port, None),
        };
        let h = if h.parse::<std::net::Ipv4Addr>().is_ok() {
            h.to_string()
        } else {
            domain(h)?
        };
        match port {
            Some(p) => format!("{h}:{p}"),
            None => h,
        }
    };
    Some(format!("{scheme}://{host}{path}"))
}

fn plain_text(s: &str, max: usize) -> Option<String> {
    let t = s.trim();
    (!t.is_empty() && t.chars().count() <= max && !t.chars().any(char::is_control))
        .then(|| t.to_string())
}

/// Parses and normalises a value of `kind` (refanging first); `None` when it is not one.
pub fn normalise(kind: IndicatorKind, value: &str) -> Option<String> {
    let v = refang(value.trim());
    let v = v.trim();
    match kind {
        IndicatorKind::Ip => {
            let t = v.trim_start_matches('[').trim_end_matches(']');
            t.parse::<IpAddr>().ok().map(|ip| ip.to_string())
        }
        IndicatorKind::Domain => domain(v),
        IndicatorKind::Url => url(v),
        IndicatorKind::Sha256 => (v.len() == 64 && is_hex(v)).then(|| v.to_ascii_lowercase()),
        IndicatorKind::Sha1 => (v.len() == 40 && is_hex(v)).then(|| v.to_ascii_lowercase()),
        IndicatorKind::Md5 => (v.len() == 32 && is_hex(v)).then(|| v.to_ascii_lowercase()),
        IndicatorKind::Email => email(v),
        IndicatorKind::Cve => cve(v),
        IndicatorKind::Filename => {
            plain_text(value, 255).filter(|f| !f.contains('/') && !f.contains('\\'))
        }
        IndicatorKind::RegistryKey => plain_text(value, 1024)
            .filter(|k| k.to_ascii_uppercase().starts_with("HK"))
            .map(|k| k.trim_end_matches('\\').to_string()),
    }
}

/// Extensions that make a dotted word a file name rather than a domain.
const FILE_EXTENSIONS: &[&str] = &[
    "exe", "dll", "sys", "bat", "cmd", "ps1", "vbs", "js", "jar", "scr", "msi", "lnk", "hta",
    "doc", "docx", "docm", "xls", "xlsx", "xlsm", "ppt", "pptx", "pdf", "rtf", "txt", "zip", "rar",
    "7z", "iso", "img", "elf", "sh", "py", "php", "aspx", "jsp", "log", "csv", "png", "jpg",
    "jpeg", "gif",
];

/// What one word of text is, if an indicator.
pub fn classify(word: &str) -> Option<(IndicatorKind, String)> {
    let w = word.trim_matches(|c: char| matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | '\''));
    if w.is_empty() {
        return None;
    }
    if w.contains("://") {
        return normalise(IndicatorKind::Url, w).map(|v| (IndicatorKind::Url, v));
    }
    if let Some(v) = cve(w) {
        return Some((IndicatorKind::Cve, v));
    }
    if let Ok(ip) = w.parse::<IpAddr>() {
        return Some((IndicatorKind::Ip, ip.to_string()));
    }
    if is_hex(w) {
        let kind = match w.len() {
            64 => IndicatorKind::Sha256,
            40 => IndicatorKind::Sha1,
            32 => IndicatorKind::Md5,
            _ => return None,
        };
        return Some((kind, w.to_ascii_lowercase()));
    }
    if w.contains('@') {
        return email(w).map(|v| (IndicatorKind::Email, v));
    }
    if w.to_ascii_uppercase().starts_with("HKEY_")
        || ["HKLM\\", "HKCU\\", "HKCR\\", "HKU\\"]
            .iter()
            .any(|p| w.to_ascii_uppercase().starts_with(p))
    {
        return normalise(IndicatorKind::RegistryKey, w).map(|v| (IndicatorKind::RegistryKey, v));
    }
    let ext = w.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    if w.contains('.') && FILE_EXTENSIONS.contains(&ext.as_str()) {
        return normalise(IndicatorKind::Filename, w).map(|v| (IndicatorKind::Filename, v));
    }
    domain(w).map(|v| (IndicatorKind::Domain, v))
}

/// The indicators in free text, each once, in the order they first appear (at most 500).
pub fn extract(text: &str) -> Vec<(IndicatorKind, String)> {
    let t = refang(text);
    let mut out: Vec<(IndicatorKind, String)> = Vec::new();
    for word in t.split(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '<' | '>' | '"' | '(' | ')' | '[' | ']' | '{' | '}' | ',' | ';' | '|'
            )
    }) {
        if let Some(found) = classify(word)
            && !out.contains(&found)
        {
            out.push(found);
            if out.len() >= 500 {
                break;
            }
        }
    }
    out
}

/// The name a file is shown under: its last path component, without control characters,
/// quotes, backslashes or leading dots, at most 200 characters; `evidence.bin` when nothing is
/// left.
pub fn sanitise_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '\'' | '\\' | '/' | ';' | '`'))
        .take(200)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim().to_string();
    if cleaned.is_empty() {
        "evidence.bin".into()
    } else {
        cleaned
    }
}

/// `Content-Disposition: attachment` for a download, with an ASCII fallback and the UTF-8
/// name percent-encoded (RFC 6266 / RFC 8187). The name is sanitised again here.
pub fn content_disposition(name: &str) -> String {
    let name = sanitise_name(name);
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.+() ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut enc = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            enc.push(b as char);
        } else {
            enc.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{enc}")
}

/// The media type of a file from its first bytes. Executables are what the sniffer calls
/// [`is_executable`].
pub fn sniff(head: &[u8]) -> &'static str {
    const TABLE: &[(&[u8], &str)] = &[
        (b"%PDF-", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (b"\xff\xd8\xff", "image/jpeg"),
        (b"GIF87a", "image/gif"),
        (b"GIF89a", "image/gif"),
        (b"PK\x03\x04", "application/zip"),
        (b"PK\x05\x06", "application/zip"),
        (b"MZ", "application/vnd.microsoft.portable-executable"),
        (b"\x7fELF", "application/x-executable"),
        (b"\x1f\x8b", "application/gzip"),
        (b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"),
        (b"Rar!\x1a\x07", "application/vnd.rar"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
            "application/x-ole-storage",
        ),
        (b"\xd4\xc3\xb2\xa1", "application/vnd.tcpdump.pcap"),
        (b"\xa1\xb2\xc3\xd4", "application/vnd.tcpdump.pcap"),
        (b"\x0a\x0d\x0d\x0a", "application/x-pcapng"),
        (b"ElfFile\0", "application/x-ms-evtx"),
        (b"SQLite format 3\0", "application/vnd.sqlite3"),
    ];
    if let Some((_, t)) = TABLE.iter().find(|(m, _)| head.starts_with(m)) {
        return t;
    }
    if head.is_empty() {
        return "application/octet-stream";
    }
    let text = match std::str::from_utf8(head) {
        Ok(_) => true,
        // A multi-byte character cut at the end of the sniffed prefix.
        Err(e) => e.error_len().is_none() && e.valid_up_to() + 4 > head.len(),
    };
    if text && !head.contains(&0) {
        "text/plain"
    } else {
        "application/octet-stream"
    }
}

/// True for the media types of programs (marked as malicious samples on upload).
pub fn is_executable(media_type: &str) -> bool {
    matches!(
        media_type,
        "application/vnd.microsoft.portable-executable" | "application/x-executable"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use IndicatorKind as K;

    #[test]
    fn normalises_each_kind() {
        assert_eq!(normalise(K::Ip, " 10.0.0.1 ").as_deref(), Some("10.0.0.1"));
        assert_eq!(
            normalise(K::Ip, "2001:DB8::0:1").as_deref(),
            Some("2001:db8::1")
        );
        assert_eq!(
            normalise(K::Ip, "10[.]0[.]0[.]1").as_deref(),
            Some("10.0.0.1")
        );
        assert_eq!(normalise(K::Ip, "300.1.1.1"), None);
        assert_eq!(
            normalise(K::Domain, "Evil.EXAMPLE.com.").as_deref(),
            Some("evil.example.com")
        );
        assert_eq!(normalise(K::Domain, "localhost"), None);
        assert_eq!(
            normalise(K::Url, "hxxps://Bad.Example[.]com/Path?q=1").as_deref(),
            Some("https://bad.example.com/Path?q=1")
        );
        assert_eq!(normalise(K::Url, "javascript:alert(1)"), None);
        assert_eq!(
            normalise(K::Sha256, &"AB".repeat(32)),
            Some("ab".repeat(32))
        );
        assert_eq!(normalise(K::Sha1, &"ab".repeat(32)), None);
        assert_eq!(normalise(K::Md5, &"0f".repeat(16)), Some("0f".repeat(16)));
        assert_eq!(
            normalise(K::Email, "Bad[@]Example[.]com").as_deref(),
            Some("bad@example.com")
        );
        assert_eq!(
            normalise(K::Cve, "cve-2024-3400").as_deref(),
            Some("CVE-2024-3400")
        );
        assert_eq!(normalise(K::Cve, "CVE-24-3400"), None);
        assert_eq!(normalise(K::Filename, "../x.exe"), None);
        assert_eq!(
            normalise(K::RegistryKey, r"HKLM\Software\Run\").as_deref(),
            Some(r"HKLM\Software\Run")
        );
    }

    #[test]
    fn extracts_defanged_indicators() {
        let text = "C2 at hxxp://evil[.]example(.)com/a.php and 203.0.113[.]7, mail from \
                    attacker[@]phish[.]vn; CVE-2023-12345 exploited; dropper invoice.exe with \
                    sha256 E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855. \
                    IPv6 2001:db8::5 and port 10.1.1.1[:]8080.";
        let got = extract(text);
        for want in [
            (K::Url, "http://evil.example.com/a.php"),
            (K::Ip, "203.0.113.7"),
            (K::Email, "attacker@phish.vn"),
            (K::Cve, "CVE-2023-12345"),
            (K::Filename, "invoice.exe"),
            (
                K::Sha256,
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            ),
            (K::Ip, "2001:db8::5"),
        ] {
            assert!(
                got.contains(&(want.0, want.1.to_string())),
                "{want:?} in {got:?}"
            );
        }
    }

    #[test]
    fn names_and_disposition_are_safe() {
        assert_eq!(sanitise_name("../../etc/passwd"), "passwd");
        assert_eq!(sanitise_name("..\\a\r\n\"b\".txt"), "ab.txt");
        assert_eq!(sanitise_name("..."), "evidence.bin");
        let cd = content_disposition("báo cáo\r\nX-Evil: 1\".pdf");
        assert!(!cd.contains('\r') && !cd.contains('\n'));
        assert_eq!(cd.matches('"').count(), 2);
        assert!(
            cd.contains("filename*=UTF-8''b%C3%A1o%20c%C3%A1oX-Evil%3A%201.pdf"),
            "{cd}"
        );
    }

    #[test]
    fn sniffs_by_magic_bytes() {
        assert_eq!(sniff(b"%PDF-1.7"), "application/pdf");
        assert_eq!(
            sniff(b"MZ\x90\0"),
            "application/vnd.microsoft.portable-executable"
        );
        assert_eq!(sniff("xin chào".as_bytes()), "text/plain");
        assert_eq!(sniff(b"\0\x01\x02"), "application/octet-stream");
        assert!(is_executable(sniff(b"\x7fELF\x02")));
    }
}
