//! Information systems (hệ thống thông tin): the security level and its approval (Law on Network
//! Information Security 2015 Điều 21, NĐ 85/2016), the services, software and addresses of a
//! system as Mẫu 03 of TT 20/2017 asks for them, and the CSV row of the registry. Pure rules:
//! forms, the API and the CSV import all validate through [`validate`].

use crate::text::nfc;
use crate::validate::{Errors, FieldError};
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;
use time::{Date, Month};

/// Where a level's dossier stands: proposed by the owner, appraised, approved (NĐ 85 Điều 12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LevelStatus {
    /// Đề xuất: the owner proposes the level.
    Proposed,
    /// Đã thẩm định: the dossier was appraised.
    Appraised,
    /// Đã phê duyệt: the level was approved by decision.
    Approved,
}

impl LevelStatus {
    /// Every status, in the order of the procedure.
    pub const ALL: [LevelStatus; 3] = [
        LevelStatus::Proposed,
        LevelStatus::Appraised,
        LevelStatus::Approved,
    ];

    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            LevelStatus::Proposed => "proposed",
            LevelStatus::Appraised => "appraised",
            LevelStatus::Approved => "approved",
        }
    }

    /// Translation key of its label.
    pub fn label_key(self) -> &'static str {
        match self {
            LevelStatus::Proposed => "system.status.proposed",
            LevelStatus::Appraised => "system.status.appraised",
            LevelStatus::Approved => "system.status.approved",
        }
    }
}

impl FromStr for LevelStatus {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        LevelStatus::ALL
            .into_iter()
            .find(|x| x.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or(())
    }
}

impl fmt::Display for LevelStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A service a system runs (Mẫu 03: "Dịch vụ trên hệ thống").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Service {
    /// Web server.
    Web,
    /// Mail server.
    Mail,
    /// Database server.
    Database,
    /// Anything else.
    Other,
}

impl Service {
    /// Every service, in the order they are stored and shown.
    pub const ALL: [Service; 4] = [
        Service::Web,
        Service::Mail,
        Service::Database,
        Service::Other,
    ];

    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Service::Web => "web",
            Service::Mail => "mail",
            Service::Database => "database",
            Service::Other => "other",
        }
    }

    /// Translation key of its label.
    pub fn label_key(self) -> &'static str {
        match self {
            Service::Web => "system.service.web",
            Service::Mail => "system.service.mail",
            Service::Database => "system.service.database",
            Service::Other => "system.service.other",
        }
    }
}

impl FromStr for Service {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Service::ALL
            .into_iter()
            .find(|x| x.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or(())
    }
}

/// What an address of a system is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AddressKind {
    /// A public IP address or range (CIDR).
    Ip,
    /// A domain name.
    Domain,
    /// A host name.
    Hostname,
}

impl AddressKind {
    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            AddressKind::Ip => "ip",
            AddressKind::Domain => "domain",
            AddressKind::Hostname => "hostname",
        }
    }
}

impl FromStr for AddressKind {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        match s {
            "ip" => Ok(AddressKind::Ip),
            "domain" => Ok(AddressKind::Domain),
            "hostname" => Ok(AddressKind::Hostname),
            _ => Err(()),
        }
    }
}

/// One software product on a system.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Software {
    /// Vendor (Microsoft, Apache, nginx).
    pub vendor: Option<String>,
    /// Product.
    pub product: String,
    /// Version.
    pub version: Option<String>,
    /// CPE 2.3 name, when known.
    pub cpe: Option<String>,
}

/// Software as typed, before validation.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SoftwareFields {
    /// Vendor.
    pub vendor: String,
    /// Product.
    pub product: String,
    /// Version.
    pub version: String,
    /// CPE 2.3 name.
    pub cpe: String,
}

impl Software {
    /// The item as the CSV and the forms write it: `vendor|product|version|cpe`.
    pub fn to_item(&self) -> String {
        format!(
            "{}|{}|{}|{}",
            self.vendor.as_deref().unwrap_or(""),
            self.product,
            self.version.as_deref().unwrap_or(""),
            self.cpe.as_deref().unwrap_or("")
        )
    }

    /// Back to typed fields.
    pub fn fields(&self) -> SoftwareFields {
        SoftwareFields {
            vendor: self.vendor.clone().unwrap_or_default(),
            product: self.product.clone(),
            version: self.version.clone().unwrap_or_default(),
            cpe: self.cpe.clone().unwrap_or_default(),
        }
    }
}

/// Reads `vendor|product|version|cpe`; a lone word is the product, and trailing parts may be
/// left out. More than four parts is `err.software_item`.
pub fn parse_software_item(s: &str) -> Result<SoftwareFields, &'static str> {
    let parts: Vec<&str> = s.split('|').map(str::trim).collect();
    let get = |i: usize| parts.get(i).copied().unwrap_or("").to_string();
    match parts.len() {
        1 => Ok(SoftwareFields {
            product: get(0),
            ..Default::default()
        }),
        2..=4 => Ok(SoftwareFields {
            vendor: get(0),
            product: get(1),
            version: get(2),
            cpe: get(3),
        }),
        _ => Err("err.software_item"),
    }
}

/// A system's own fields as typed in a form, an API body or a CSV row (organisations apart).
/// Empty text means "none"; list items are already split.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SystemFields {
    /// Name.
    pub name: String,
    /// Purpose (Mẫu 03 "Mục đích sử dụng hệ thống").
    pub purpose: String,
    /// Security service provider.
    pub security_provider: String,
    /// External connectivity provider.
    pub connectivity_provider: String,
    /// Security level 1-5.
    pub security_level: Option<i64>,
    /// `proposed`, `appraised`, `approved` (empty: proposed when a level is given).
    pub level_status: String,
    /// Approval decision number.
    pub approval_decision_no: String,
    /// Approval date, `yyyy-mm-dd` or `dd/mm/yyyy`.
    pub approval_date: String,
    /// Service names.
    pub services: Vec<String>,
    /// Operating system.
    pub os: String,
    /// Its version.
    pub os_version: String,
    /// Software.
    pub software: Vec<SoftwareFields>,
    /// Public IPs and ranges.
    pub ips: Vec<String>,
    /// Domain names.
    pub domains: Vec<String>,
    /// Host names.
    pub hostnames: Vec<String>,
}

impl SystemFields {
    /// The value an error's field points at (`ips[2]`, `software[0].cpe`, `name`), to show it
    /// next to the message.
    pub fn value_of(&self, field: &str) -> Option<String> {
        let (name, rest) = match field.split_once('[') {
            Some((n, r)) => (n, Some(r)),
            None => (field, None),
        };
        let Some(rest) = rest else {
            let v = match name {
                "name" => &self.name,
                "purpose" => &self.purpose,
                "security_provider" => &self.security_provider,
                "connectivity_provider" => &self.connectivity_provider,
                "security_level" => return self.security_level.map(|l| l.to_string()),
                "level_status" => &self.level_status,
                "approval_decision_no" => &self.approval_decision_no,
                "approval_date" => &self.approval_date,
                "os" => &self.os,
                "os_version" => &self.os_version,
                _ => return None,
            };
            return Some(v.clone()).filter(|v| !v.is_empty());
        };
        let (index, sub) = rest.split_once(']')?;
        let i: usize = index.parse().ok()?;
        match name {
            "services" => self.services.get(i).cloned(),
            "ips" => self.ips.get(i).cloned(),
            "domains" => self.domains.get(i).cloned(),
            "hostnames" => self.hostnames.get(i).cloned(),
            "software" => {
                let s = self.software.get(i)?;
                Some(match sub.trim_start_matches('.') {
                    "vendor" => s.vendor.clone(),
                    "product" => s.product.clone(),
                    "version" => s.version.clone(),
                    "cpe" => s.cpe.clone(),
                    _ => format!("{}|{}|{}|{}", s.vendor, s.product, s.version, s.cpe),
                })
            }
            _ => None,
        }
    }
}

/// A system's own fields, validated and normalised.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Details {
    /// Name (NFC).
    pub name: String,
    /// Purpose.
    pub purpose: Option<String>,
    /// Security service provider.
    pub security_provider: Option<String>,
    /// External connectivity provider.
    pub connectivity_provider: Option<String>,
    /// Security level 1-5.
    pub security_level: Option<i64>,
    /// Status of the level; present exactly when the level is.
    pub level_status: Option<LevelStatus>,
    /// Approval decision number.
    pub approval_decision_no: Option<String>,
    /// Approval date.
    pub approval_date: Option<Date>,
    /// Services, in [`Service::ALL`] order, without repeats.
    pub services: Vec<Service>,
    /// Operating system.
    pub os: Option<String>,
    /// Its version.
    pub os_version: Option<String>,
    /// Software, in the order given, without repeats.
    pub software: Vec<Software>,
    /// Public IPs and ranges, normalised, without repeats.
    pub ips: Vec<String>,
    /// Domain names, lower case, without repeats.
    pub domains: Vec<String>,
    /// Host names, lower case, without repeats.
    pub hostnames: Vec<String>,
}

impl Details {
    /// What two names of one owner may not share: the name in lower case with its spaces
    /// collapsed, so "Cổng  thông tin" and "cổng thông tin" are the same system.
    pub fn name_key(&self) -> String {
        name_key(&self.name)
    }

    /// Back to typed fields (for an edit form, or to apply changes and validate again).
    pub fn fields(&self) -> SystemFields {
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        SystemFields {
            name: self.name.clone(),
            purpose: s(&self.purpose),
            security_provider: s(&self.security_provider),
            connectivity_provider: s(&self.connectivity_provider),
            security_level: self.security_level,
            level_status: self
                .level_status
                .map(|x| x.as_str().to_string())
                .unwrap_or_default(),
            approval_decision_no: s(&self.approval_decision_no),
            approval_date: self.approval_date.map(format_date).unwrap_or_default(),
            services: self
                .services
                .iter()
                .map(|x| x.as_str().to_string())
                .collect(),
            os: s(&self.os),
            os_version: s(&self.os_version),
            software: self.software.iter().map(Software::fields).collect(),
            ips: self.ips.clone(),
            domains: self.domains.clone(),
            hostnames: self.hostnames.clone(),
        }
    }
}

/// The uniqueness key of a name within its owner.
pub fn name_key(name: &str) -> String {
    nfc(name)
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Today in Vietnam, the day an approval date is compared with.
pub fn today_in_vietnam() -> Date {
    crate::timefmt::now()
        .to_offset(crate::timefmt::VIETNAM)
        .date()
}

/// `yyyy-mm-dd`, as dates are stored and exported.
pub fn format_date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month() as u8, d.day())
}

/// `dd/mm/yyyy`, as dates are shown.
pub fn show_date(d: Date) -> String {
    format!("{:02}/{:02}/{:04}", d.day(), d.month() as u8, d.year())
}

/// Reads `yyyy-mm-dd` (forms, the API, exports) or `dd/mm/yyyy` (how people write dates here).
pub fn parse_date(s: &str) -> Result<Date, &'static str> {
    let s = s.trim();
    let nums = |parts: Vec<&str>| -> Option<Vec<u32>> {
        parts
            .iter()
            .map(|p| {
                (!p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| p.parse().ok())
                    .flatten()
            })
            .collect()
    };
    let (y, m, d) = if s.contains('-') {
        match nums(s.split('-').collect()).as_deref() {
            Some([y, m, d]) if s.len() == 10 => (*y, *m, *d),
            _ => return Err("err.date_invalid"),
        }
    } else {
        match nums(s.split('/').collect()).as_deref() {
            Some([d, m, y]) if *y >= 1000 => (*y, *m, *d),
            _ => return Err("err.date_invalid"),
        }
    };
    let month = u8::try_from(m)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .ok_or("err.date_invalid")?;
    let day = u8::try_from(d).map_err(|_| "err.date_invalid")?;
    let year = i32::try_from(y).map_err(|_| "err.date_invalid")?;
    Date::from_calendar_date(year, month, day).map_err(|_| "err.date_invalid")
}

/// True for addresses that are reachable from the Internet. Documentation ranges (RFC 5737,
/// RFC 3849) count as public: they never route, so examples, the demo and tests use them.
fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, _, _] = v4.octets();
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_broadcast()
                || v4.is_multicast()
                || a == 0
                || a >= 240
                || (a == 100 && (64..128).contains(&b))
                || (a == 198 && (b == 18 || b == 19)))
        }
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            !(v6.is_unspecified()
                || v6.is_loopback()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || v6.to_ipv4_mapped().is_some())
        }
    }
}

/// A public IP address or range: `203.0.113.7`, `203.0.113.0/28`, `2001:db8::/48`. A range
/// is brought to its network address (`203.0.113.5/24` → `203.0.113.0/24`); a full-length
/// prefix is a single address. Prefixes shorter than /8 (IPv4) or /16 (IPv6) are refused.
pub fn normalise_ip(s: &str) -> Result<String, &'static str> {
    let s = s.trim();
    let (addr, prefix) = match s.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (s, None),
    };
    let bad = if prefix.is_some() {
        "err.ip_range"
    } else {
        "err.ip_address"
    };
    let ip: IpAddr = addr.parse().map_err(|_| bad)?;
    if !is_public(ip) {
        return Err("err.ip_not_public");
    }
    let Some(prefix) = prefix else {
        return Ok(ip.to_string());
    };
    if prefix.is_empty() || prefix.len() > 3 || !prefix.bytes().all(|b| b.is_ascii_digit()) {
        return Err("err.ip_range");
    }
    let p: u32 = prefix.parse().map_err(|_| "err.ip_range")?;
    match ip {
        IpAddr::V4(v4) => {
            if !(8..=32).contains(&p) {
                return Err("err.ip_range");
            }
            let mask = u32::MAX.checked_shl(32 - p).unwrap_or(0);
            let net = Ipv4Addr::from(u32::from(v4) & mask);
            Ok(if p == 32 {
                net.to_string()
            } else {
                format!("{net}/{p}")
            })
        }
        IpAddr::V6(v6) => {
            if !(16..=128).contains(&p) {
                return Err("err.ip_range");
            }
            let mask = u128::MAX.checked_shl(128 - p).unwrap_or(0);
            let net = Ipv6Addr::from(u128::from(v6) & mask);
            Ok(if p == 128 {
                net.to_string()
            } else {
                format!("{net}/{p}")
            })
        }
    }
}

fn valid_label(l: &str) -> bool {
    (1..=63).contains(&l.len())
        && l.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !l.starts_with('-')
        && !l.ends_with('-')
}

/// A domain name, lower case, without a final dot: at least two labels of letters, digits and
/// dashes, and a top-level label that is not all digits (so an IP is not a domain). Names with
/// Vietnamese letters must be written in their `xn--` form.
pub fn normalise_domain(s: &str) -> Result<String, &'static str> {
    let s = s.trim();
    if s.contains("://") || s.contains('/') {
        return Err("err.domain_url");
    }
    let d = s.strip_suffix('.').unwrap_or(s).to_ascii_lowercase();
    let labels: Vec<&str> = d.split('.').collect();
    let ok = !d.is_empty()
        && d.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| valid_label(l))
        && labels
            .last()
            .is_some_and(|t| !t.bytes().all(|b| b.is_ascii_digit()));
    if ok { Ok(d) } else { Err("err.domain_name") }
}

/// A host name: one label (`web01`) or a fully qualified name, same characters as a domain.
pub fn normalise_hostname(s: &str) -> Result<String, &'static str> {
    let s = s.trim();
    let h = s.strip_suffix('.').unwrap_or(s).to_ascii_lowercase();
    let labels: Vec<&str> = h.split('.').collect();
    let ok = !h.is_empty()
        && h.len() <= 253
        && labels.iter().all(|l| valid_label(l))
        && labels
            .last()
            .is_some_and(|t| !t.bytes().all(|b| b.is_ascii_digit()));
    if ok { Ok(h) } else { Err("err.host_name") }
}

/// A light check of a CPE 2.3 formatted string: `cpe:2.3:` then part (`a`, `o`, `h`), vendor,
/// product, version and seven more components, 13 in all, separated by unescaped colons.
pub fn check_cpe(s: &str) -> Result<String, &'static str> {
    let s = s.trim();
    if !s.starts_with("cpe:2.3:") || s.len() > 512 || !s.bytes().all(|b| b.is_ascii_graphic()) {
        return Err("err.cpe");
    }
    let mut parts = vec![String::new()];
    let mut escaped = false;
    for c in s.chars() {
        match c {
            _ if escaped => {
                escaped = false;
                if let Some(p) = parts.last_mut() {
                    p.push(c);
                }
            }
            '\\' => {
                escaped = true;
                if let Some(p) = parts.last_mut() {
                    p.push(c);
                }
            }
            ':' => parts.push(String::new()),
            c => {
                if let Some(p) = parts.last_mut() {
                    p.push(c);
                }
            }
        }
    }
    let ok = !escaped
        && parts.len() == 13
        && parts.iter().all(|p| !p.is_empty())
        && matches!(parts[2].as_str(), "a" | "o" | "h" | "*" | "-");
    if ok {
        Ok(s.to_string())
    } else {
        Err("err.cpe")
    }
}

/// Longest texts, in characters.
const NAME_MAX: usize = 200;
const PURPOSE_MAX: usize = 2000;
const SHORT_MAX: usize = 200;
const CODE_MAX: usize = 100;
const CPE_MAX: usize = 512;
/// Most items a list may hold.
const SOFTWARE_MAX: usize = 200;
const ADDRESSES_MAX: usize = 500;

/// An optional one-line text: NFC, empty means none.
fn opt_line(errs: &mut Errors, field: &str, v: &str, max: usize) -> Option<String> {
    let v = nfc(v);
    if v.is_empty() {
        return None;
    }
    if v.chars().count() > max {
        errs.add(field, "err.too_long");
    } else if v.chars().any(char::is_control) {
        errs.add(field, "err.control_chars");
    }
    Some(v)
}

/// A software text: one line, and no `|` or `;`, which separate items in the CSV cell.
fn software_text(errs: &mut Errors, field: &str, v: &str, max: usize) -> Option<String> {
    let out = opt_line(errs, field, v, max);
    if out.as_deref().is_some_and(|s| s.contains(['|', ';'])) {
        errs.add(field, "err.software_separator");
    }
    out
}

fn push_unique<T: PartialEq>(list: &mut Vec<T>, v: T) {
    if !list.contains(&v) {
        list.push(v);
    }
}

/// A list of addresses, each normalised by `check`; errors name the item (`ips[2]`).
fn addresses(
    errs: &mut Errors,
    field: &str,
    items: &[String],
    check: fn(&str) -> Result<String, &'static str>,
) -> Vec<String> {
    if items.len() > ADDRESSES_MAX {
        errs.add(field, "err.too_many_items");
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match check(item) {
            Ok(v) => push_unique(&mut out, v),
            Err(code) => errs.add(&format!("{field}[{i}]"), code),
        }
    }
    out
}

/// Checks and normalises a system's fields. `today` is the day in Vietnam: an approval date
/// after it is refused. Every failure names its field; list items name their index.
pub fn validate(f: &SystemFields, today: Date) -> Result<Details, Vec<FieldError>> {
    let mut errs = Errors::default();
    let name = errs.text("name", &f.name, NAME_MAX);
    if name.contains(['\n', '\r', '\t']) {
        errs.add("name", "err.control_chars");
    }
    let purpose = {
        // One line ending, so a form, the API and a CSV cell store the same text.
        let v = nfc(&f.purpose).replace("\r\n", "\n").replace('\r', "\n");
        if v.is_empty() {
            None
        } else {
            if v.chars().count() > PURPOSE_MAX {
                errs.add("purpose", "err.too_long");
            } else if v.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
                errs.add("purpose", "err.control_chars");
            }
            Some(v)
        }
    };
    let security_provider = opt_line(
        &mut errs,
        "security_provider",
        &f.security_provider,
        SHORT_MAX,
    );
    let connectivity_provider = opt_line(
        &mut errs,
        "connectivity_provider",
        &f.connectivity_provider,
        SHORT_MAX,
    );
    let security_level = f.security_level;
    if security_level.is_some_and(|l| !(1..=5).contains(&l)) {
        errs.add("security_level", "err.security_level");
    }
    let status_text = f.level_status.trim();
    let level_status = match (security_level, status_text.is_empty()) {
        (None, true) => None,
        (None, false) => {
            errs.add("level_status", "err.level_status_without_level");
            None
        }
        (Some(_), true) => Some(LevelStatus::Proposed),
        (Some(_), false) => match status_text.parse() {
            Ok(s) => Some(s),
            Err(()) => {
                errs.add("level_status", "err.level_status");
                None
            }
        },
    };
    let approval_decision_no = opt_line(
        &mut errs,
        "approval_decision_no",
        &f.approval_decision_no,
        CODE_MAX,
    );
    let approval_date = if f.approval_date.trim().is_empty() {
        None
    } else {
        match parse_date(&f.approval_date) {
            Ok(d) if d > today => {
                errs.add("approval_date", "err.date_future");
                None
            }
            Ok(d) => Some(d),
            Err(code) => {
                errs.add("approval_date", code);
                None
            }
        }
    };
    if level_status == Some(LevelStatus::Approved) {
        if approval_decision_no.is_none() {
            errs.add("approval_decision_no", "err.required");
        }
        if f.approval_date.trim().is_empty() {
            errs.add("approval_date", "err.required");
        }
    }
    let mut services = Vec::new();
    for (i, s) in f.services.iter().enumerate() {
        if s.trim().is_empty() {
            continue;
        }
        match s.parse::<Service>() {
            Ok(s) => push_unique(&mut services, s),
            Err(()) => errs.add(&format!("services[{i}]"), "err.service"),
        }
    }
    services.sort();
    let os = opt_line(&mut errs, "os", &f.os, CODE_MAX);
    let os_version = opt_line(&mut errs, "os_version", &f.os_version, CODE_MAX);
    let mut software = Vec::new();
    if f.software.len() > SOFTWARE_MAX {
        errs.add("software", "err.too_many_items");
    } else {
        for (i, s) in f.software.iter().enumerate() {
            let at = |part: &str| format!("software[{i}].{part}");
            let vendor = software_text(&mut errs, &at("vendor"), &s.vendor, SHORT_MAX);
            let product = software_text(&mut errs, &at("product"), &s.product, SHORT_MAX);
            if product.is_none() {
                errs.add(&at("product"), "err.required");
            }
            let version = software_text(&mut errs, &at("version"), &s.version, CODE_MAX);
            let cpe = if s.cpe.trim().is_empty() {
                None
            } else if s.cpe.trim().len() > CPE_MAX {
                errs.add(&at("cpe"), "err.too_long");
                None
            } else {
                match check_cpe(&s.cpe) {
                    Ok(c) if c.contains(['|', ';']) => {
                        errs.add(&at("cpe"), "err.software_separator");
                        None
                    }
                    Ok(c) => Some(c),
                    Err(code) => {
                        errs.add(&at("cpe"), code);
                        None
                    }
                }
            };
            if let Some(product) = product {
                push_unique(
                    &mut software,
                    Software {
                        vendor,
                        product,
                        version,
                        cpe,
                    },
                );
            }
        }
    }
    let ips = addresses(&mut errs, "ips", &f.ips, normalise_ip);
    let domains = addresses(&mut errs, "domains", &f.domains, normalise_domain);
    let hostnames = addresses(&mut errs, "hostnames", &f.hostnames, normalise_hostname);
    errs.into_result()?;
    Ok(Details {
        name,
        purpose,
        security_provider,
        connectivity_provider,
        security_level,
        level_status,
        approval_decision_no,
        approval_date,
        services,
        os,
        os_version,
        software,
        ips,
        domains,
        hostnames,
    })
}

/// The columns of the registry CSV, in the order an export writes them. An import reads them
/// by name in any order; only [`CSV_REQUIRED`] must be there.
pub const CSV_COLUMNS: [&str; 17] = [
    "owner_slug",
    "name",
    "operator_slug",
    "security_provider",
    "connectivity_provider",
    "purpose",
    "security_level",
    "level_status",
    "approval_decision_no",
    "approval_date",
    "services",
    "os",
    "os_version",
    "software",
    "ips",
    "domains",
    "hostnames",
];

/// Columns an import cannot do without.
pub const CSV_REQUIRED: [&str; 2] = ["owner_slug", "name"];

/// Splits a multi-value cell on `;`, dropping empty items.
pub fn split_cell(cell: &str) -> Vec<String> {
    cell.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// A CSV row as (owner slug, operator slug, fields). `cell` gives a column's text ("" when the
/// column is absent). Cells that cannot even be typed (a level that is not a number, a software
/// item with too many parts) are returned as errors; everything else is left to [`validate`].
pub fn fields_from_row(
    cell: impl Fn(&str) -> String,
) -> (String, String, SystemFields, Vec<FieldError>) {
    let mut errs = Vec::new();
    let level_text = cell("security_level");
    let level_text = level_text.trim();
    let security_level = if level_text.is_empty() {
        None
    } else {
        match level_text.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                errs.push(FieldError::new("security_level", "err.security_level"));
                None
            }
        }
    };
    let mut software = Vec::new();
    for (i, item) in split_cell(&cell("software")).iter().enumerate() {
        match parse_software_item(item) {
            Ok(s) => software.push(s),
            Err(code) => {
                errs.push(FieldError::new(&format!("software[{i}]"), code));
                // Keeps the indexes of later items in step with the cell.
                software.push(SoftwareFields {
                    product: item.clone(),
                    ..Default::default()
                });
            }
        }
    }
    let fields = SystemFields {
        name: cell("name"),
        purpose: cell("purpose"),
        security_provider: cell("security_provider"),
        connectivity_provider: cell("connectivity_provider"),
        security_level,
        level_status: cell("level_status"),
        approval_decision_no: cell("approval_decision_no"),
        approval_date: cell("approval_date"),
        services: split_cell(&cell("services")),
        os: cell("os"),
        os_version: cell("os_version"),
        software,
        ips: split_cell(&cell("ips")),
        domains: split_cell(&cell("domains")),
        hostnames: split_cell(&cell("hostnames")),
    };
    (
        cell("owner_slug").trim().to_string(),
        cell("operator_slug").trim().to_string(),
        fields,
        errs,
    )
}

/// The cells of one system in [`CSV_COLUMNS`] order.
pub fn row_cells(owner_slug: &str, operator_slug: Option<&str>, d: &Details) -> Vec<String> {
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    vec![
        owner_slug.to_string(),
        d.name.clone(),
        operator_slug.unwrap_or("").to_string(),
        o(&d.security_provider),
        o(&d.connectivity_provider),
        o(&d.purpose),
        d.security_level.map(|l| l.to_string()).unwrap_or_default(),
        d.level_status
            .map(|s| s.as_str().to_string())
            .unwrap_or_default(),
        o(&d.approval_decision_no),
        d.approval_date.map(format_date).unwrap_or_default(),
        d.services
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(";"),
        o(&d.os),
        o(&d.os_version),
        d.software
            .iter()
            .map(Software::to_item)
            .collect::<Vec<_>>()
            .join(";"),
        d.ips.join(";"),
        d.domains.join(";"),
        d.hostnames.join(";"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 03 - 15);

    fn fields() -> SystemFields {
        SystemFields {
            name: "Cổng thông tin điện tử Sở Y tế".into(),
            security_level: Some(2),
            ..Default::default()
        }
    }

    fn codes(f: &SystemFields) -> Vec<(String, &'static str)> {
        validate(f, TODAY)
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    #[test]
    fn ips_and_ranges_are_normalised_and_private_ones_refused() {
        assert_eq!(normalise_ip(" 203.0.113.7 ").unwrap(), "203.0.113.7");
        assert_eq!(normalise_ip("203.0.113.77/28").unwrap(), "203.0.113.64/28");
        assert_eq!(normalise_ip("198.51.100.9/32").unwrap(), "198.51.100.9");
        assert_eq!(normalise_ip("2001:DB8:0:0::1/48").unwrap(), "2001:db8::/48");
        assert_eq!(normalise_ip("300.1.1.1"), Err("err.ip_address"));
        assert_eq!(normalise_ip("203.0.113.010"), Err("err.ip_address"));
        assert_eq!(normalise_ip("203.0.113.0/33"), Err("err.ip_range"));
        assert_eq!(normalise_ip("203.0.113.0/4"), Err("err.ip_range"));
        assert_eq!(normalise_ip("203.0.113.0/"), Err("err.ip_range"));
        assert_eq!(normalise_ip("203.0.113.0/+8"), Err("err.ip_range"));
        assert_eq!(normalise_ip("x/24"), Err("err.ip_range"));
        for private in [
            "10.1.2.3",
            "192.168.1.1",
            "172.16.0.5",
            "127.0.0.1",
            "100.64.0.1",
            "fe80::1",
            "fd00::1",
            "::1",
            "224.0.0.1",
            "0.0.0.0",
        ] {
            assert_eq!(normalise_ip(private), Err("err.ip_not_public"), "{private}");
        }
    }

    #[test]
    fn domains_and_hostnames_are_lower_case_with_valid_labels() {
        assert_eq!(
            normalise_domain("SYT.DongThap.gov.vn.").unwrap(),
            "syt.dongthap.gov.vn"
        );
        assert_eq!(
            normalise_domain("xn--ngthp-wva.vn").unwrap(),
            "xn--ngthp-wva.vn"
        );
        for bad in [
            "localhost",
            "-a.vn",
            "a..vn",
            "đồngtháp.vn",
            "1.2.3.4",
            "*.a.vn",
            "a_b.vn",
            "",
        ] {
            assert_eq!(normalise_domain(bad), Err("err.domain_name"), "{bad}");
        }
        assert_eq!(
            normalise_domain("https://syt.dongthap.gov.vn/"),
            Err("err.domain_url")
        );
        assert_eq!(normalise_hostname("WEB01").unwrap(), "web01");
        assert_eq!(
            normalise_hostname("srv-portal.dongthap.local").unwrap(),
            "srv-portal.dongthap.local"
        );
        assert_eq!(normalise_hostname("web 01"), Err("err.host_name"));
    }

    #[test]
    fn cpe_strings_need_13_components() {
        assert!(check_cpe("cpe:2.3:a:nginx:nginx:1.24.0:*:*:*:*:*:*:*").is_ok());
        assert!(
            check_cpe("cpe:2.3:a:microsoft:exchange_server:2016:cumulative_update_23:*:*:*:*:*:*")
                .is_ok()
        );
        assert!(check_cpe("cpe:2.3:a:vendor:prod\\:uct:1:*:*:*:*:*:*:*").is_ok());
        for bad in [
            "cpe:/a:nginx:nginx:1.24.0",
            "cpe:2.3:a:nginx:nginx:1.24.0",
            "cpe:2.3:x:nginx:nginx:1:*:*:*:*:*:*:*",
            "cpe:2.3:a:nginx::1:*:*:*:*:*:*:*",
            "cpe:2.3:a:ngi nx:nginx:1:*:*:*:*:*:*:*",
        ] {
            assert_eq!(check_cpe(bad), Err("err.cpe"), "{bad}");
        }
    }

    #[test]
    fn dates_read_both_ways_and_future_approvals_are_refused() {
        assert_eq!(parse_date("2024-05-06").unwrap(), date!(2024 - 05 - 06));
        assert_eq!(parse_date("6/5/2024").unwrap(), date!(2024 - 05 - 06));
        for bad in [
            "2024-02-30",
            "2024-5-6x",
            "06/05/24",
            "hôm qua",
            "2024-13-01",
            "",
        ] {
            assert_eq!(parse_date(bad), Err("err.date_invalid"), "{bad}");
        }
        let mut f = fields();
        f.level_status = "approved".into();
        f.approval_decision_no = "123/QĐ-UBND".into();
        f.approval_date = "2026-03-16".into();
        assert_eq!(
            codes(&f),
            [("approval_date".to_string(), "err.date_future")]
        );
        f.approval_date = "2026-03-15".into();
        let d = validate(&f, TODAY).unwrap();
        assert_eq!(d.approval_date, Some(TODAY));
        assert_eq!(d.level_status, Some(LevelStatus::Approved));
    }

    #[test]
    fn levels_are_1_to_5_and_a_status_needs_a_level() {
        let mut f = fields();
        f.security_level = Some(6);
        assert_eq!(
            codes(&f),
            [("security_level".to_string(), "err.security_level")]
        );
        f.security_level = Some(0);
        assert_eq!(codes(&f).len(), 1);
        f.security_level = None;
        f.level_status = "approved".into();
        assert_eq!(
            codes(&f),
            [("level_status".to_string(), "err.level_status_without_level")]
        );
        f.security_level = Some(3);
        f.level_status = "done".into();
        assert_eq!(
            codes(&f),
            [("level_status".to_string(), "err.level_status")]
        );
        f.level_status = String::new();
        assert_eq!(
            validate(&f, TODAY).unwrap().level_status,
            Some(LevelStatus::Proposed)
        );
        f.level_status = "approved".into();
        let fields_of: Vec<String> = codes(&f).into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields_of, ["approval_decision_no", "approval_date"]);
    }

    #[test]
    fn list_items_are_checked_one_by_one_and_named_by_index() {
        let mut f = fields();
        f.ips = vec![
            "203.0.113.1".into(),
            "999.1.1.1".into(),
            "203.0.113.1".into(),
        ];
        f.domains = vec!["a.vn".into(), "bad_domain".into()];
        f.services = vec!["web".into(), "ftp".into()];
        f.software = vec![SoftwareFields {
            vendor: "F5".into(),
            product: "BIG|IP".into(),
            cpe: "cpe:2.3".into(),
            ..Default::default()
        }];
        let got = codes(&f);
        let names: Vec<&str> = got.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            names,
            [
                "services[1]",
                "software[0].product",
                "software[0].cpe",
                "ips[1]",
                "domains[1]"
            ]
        );
        assert_eq!(f.value_of("ips[1]").as_deref(), Some("999.1.1.1"));
        assert_eq!(f.value_of("software[0].cpe").as_deref(), Some("cpe:2.3"));
        assert_eq!(
            f.value_of("name").as_deref(),
            Some("Cổng thông tin điện tử Sở Y tế")
        );
    }

    #[test]
    fn repeats_are_dropped_and_services_sorted() {
        let mut f = fields();
        f.ips = vec!["203.0.113.1".into(), "203.0.113.1/32".into()];
        f.services = vec!["database".into(), "WEB".into(), "web".into()];
        let d = validate(&f, TODAY).unwrap();
        assert_eq!(d.ips, ["203.0.113.1"]);
        assert_eq!(d.services, [Service::Web, Service::Database]);
    }

    #[test]
    fn a_row_round_trips_through_its_cells() {
        let mut f = fields();
        f.level_status = "approved".into();
        f.approval_decision_no = "15/QĐ-SYT".into();
        f.approval_date = "01/02/2025".into();
        f.purpose = "Dòng một\r\nDòng hai".into();
        f.services = vec!["web".into(), "database".into()];
        f.software = vec![
            parse_software_item("nginx|nginx|1.24.0|cpe:2.3:a:nginx:nginx:1.24.0:*:*:*:*:*:*:*")
                .unwrap(),
            parse_software_item("PostgreSQL").unwrap(),
        ];
        f.ips = vec!["203.0.113.10".into()];
        f.domains = vec!["syt.dongthap.gov.vn".into()];
        let d = validate(&f, TODAY).unwrap();
        let cells = row_cells("so-y-te", Some("ttcntt"), &d);
        let cell = |c: &str| {
            CSV_COLUMNS
                .iter()
                .position(|x| *x == c)
                .map(|i| cells[i].clone())
                .unwrap_or_default()
        };
        let (owner, operator, back, errs) = fields_from_row(cell);
        assert!(errs.is_empty());
        assert_eq!((owner.as_str(), operator.as_str()), ("so-y-te", "ttcntt"));
        assert_eq!(validate(&back, TODAY).unwrap(), d);
        assert_eq!(d.fields(), back);
    }

    #[test]
    fn names_are_unique_without_regard_to_case_or_spacing() {
        assert_eq!(name_key(" Cổng  Thông tin "), name_key("cổng thông tin"));
        assert_ne!(name_key("Cổng thông tin"), name_key("Cong thong tin"));
    }
}
