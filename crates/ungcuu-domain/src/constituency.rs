//! The constituency: which organisation answers for an IP range, a domain or an AS number, and
//! the in-memory index that answers "who is responsible for this IP / host / URL / ASN?".
//!
//! Entries are parsed and normalised here so that the same claim is always stored as the same
//! text: a range's host bits must be zero (`203.0.113.7/24` is refused, not silently widened, as
//! it is most often a typing mistake), a bare address is a /32 or /128, IPv4-mapped IPv6 ranges
//! become IPv4, domains are lower-case ASCII without leading or trailing dot (a leading `.` or
//! `*.` is accepted and stripped: a domain always covers its subdomains), AS numbers are written
//! `AS7552`.
//!
//! The index answers with the most specific claim: the longest matching prefix, the longest
//! matching domain suffix, or the AS number. When several organisations claim exactly the same
//! entry, the earliest claim answers (entry ids are time-ordered UUIDv7, so the smallest id) and
//! the answer says the entry is contested. No IO: the store loads the claims, the core keeps the
//! index current.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;
use uuid::Uuid;

/// The longest query accepted (a URL with its path).
pub const MAX_QUERY_LEN: usize = 2048;

/// What a constituency entry names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// An IPv4 or IPv6 range.
    Cidr,
    /// A domain and all its subdomains.
    Domain,
    /// An autonomous system number.
    Asn,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 3] = [Kind::Cidr, Kind::Domain, Kind::Asn];

    /// Stable name, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Cidr => "cidr",
            Kind::Domain => "domain",
            Kind::Asn => "asn",
        }
    }
}

impl FromStr for Kind {
    type Err = &'static str;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Kind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or("err.constituency_kind")
    }
}

/// An IP network with its host bits zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cidr {
    /// IPv4.
    V4 {
        /// First address.
        net: u32,
        /// Prefix length, 0-32.
        len: u8,
    },
    /// IPv6.
    V6 {
        /// First address.
        net: u128,
        /// Prefix length, 0-128.
        len: u8,
    },
}

fn mask4(len: u8) -> u32 {
    if len == 0 { 0 } else { u32::MAX << (32 - len) }
}

fn mask6(len: u8) -> u128 {
    if len == 0 {
        0
    } else {
        u128::MAX << (128 - len)
    }
}

/// An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) as the IPv4 address it carries.
pub fn canonical_ip(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => ip,
        },
        v4 => v4,
    }
}

impl Cidr {
    /// Parses `203.0.113.0/24`, `2001:db8::/32` or a bare address (a single host). Returns a
    /// translation key on failure.
    pub fn parse(s: &str) -> Result<Cidr, &'static str> {
        let s = s.trim();
        if s.is_empty() {
            return Err("err.required");
        }
        let (addr, len) = match s.split_once('/') {
            Some((a, l)) => (a, Some(l)),
            None => (s, None),
        };
        let ip: IpAddr = addr.parse().map_err(|_| "err.cidr")?;
        let max = if ip.is_ipv4() { 32 } else { 128 };
        let len = match len {
            None => max,
            Some(l) if !l.is_empty() && l.len() <= 3 && l.bytes().all(|b| b.is_ascii_digit()) => {
                l.parse::<u8>().map_err(|_| "err.cidr_prefix")?
            }
            Some(_) => return Err("err.cidr_prefix"),
        };
        if len > max {
            return Err("err.cidr_prefix");
        }
        let cidr = match ip {
            IpAddr::V4(a) => {
                let n = u32::from(a);
                if n & !mask4(len) != 0 {
                    return Err("err.cidr_host_bits");
                }
                Cidr::V4 { net: n, len }
            }
            IpAddr::V6(a) => {
                let n = u128::from(a);
                if n & !mask6(len) != 0 {
                    return Err("err.cidr_host_bits");
                }
                // A range inside ::ffff:0:0/96 is an IPv4 range written the IPv6 way; queries
                // for mapped addresses are read as IPv4, so the range must be stored as IPv4.
                if len >= 96 && n >> 32 == 0xffff {
                    Cidr::V4 {
                        net: n as u32,
                        len: len - 96,
                    }
                } else {
                    Cidr::V6 { net: n, len }
                }
            }
        };
        Ok(cidr)
    }

    /// The prefix length.
    pub fn prefix_len(&self) -> u8 {
        match *self {
            Cidr::V4 { len, .. } | Cidr::V6 { len, .. } => len,
        }
    }

    /// True when `ip` is inside (IPv4-mapped addresses count as IPv4).
    pub fn contains_ip(&self, ip: IpAddr) -> bool {
        match (*self, canonical_ip(ip)) {
            (Cidr::V4 { net, len }, IpAddr::V4(a)) => u32::from(a) & mask4(len) == net,
            (Cidr::V6 { net, len }, IpAddr::V6(a)) => u128::from(a) & mask6(len) == net,
            _ => false,
        }
    }

    /// True when `other` lies inside this range (or is the same range).
    pub fn contains(&self, other: &Cidr) -> bool {
        match (*self, *other) {
            (Cidr::V4 { net, len }, Cidr::V4 { net: n2, len: l2 }) => {
                l2 >= len && n2 & mask4(len) == net
            }
            (Cidr::V6 { net, len }, Cidr::V6 { net: n2, len: l2 }) => {
                l2 >= len && n2 & mask6(len) == net
            }
            _ => false,
        }
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Cidr::V4 { net, len } => write!(f, "{}/{len}", Ipv4Addr::from(net)),
            Cidr::V6 { net, len } => write!(f, "{}/{len}", Ipv6Addr::from(net)),
        }
    }
}

/// A domain, lower-case ASCII, at least two labels; it covers all its subdomains.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Domain(String);

/// Checks the labels of a lower-cased ASCII name; `lenient` also allows `_` (seen in real host
/// names of feeds, never accepted in an entry).
fn check_labels(s: &str, lenient: bool) -> Result<(), &'static str> {
    if s.len() > 253 {
        return Err("err.domain");
    }
    for label in s.split('.') {
        let ok = !label.is_empty()
            && label.len() <= 63
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || (lenient && b == b'_'))
            && !label.starts_with('-')
            && !label.ends_with('-');
        if !ok {
            return Err("err.domain");
        }
    }
    Ok(())
}

/// Lower-cases a host name and checks it loosely (queries: any host a feed may carry). Returns a
/// translation key on failure.
pub fn normalise_host(s: &str) -> Result<String, &'static str> {
    let s = s.trim();
    let s = s.strip_suffix('.').unwrap_or(s);
    if s.is_empty() {
        return Err("err.query");
    }
    if !s.is_ascii() {
        return Err("err.domain_idn");
    }
    let lower = s.to_ascii_lowercase();
    check_labels(&lower, true).map_err(|_| "err.query")?;
    Ok(lower)
}

impl Domain {
    /// Parses an entry such as `dongthap.gov.vn`, `.dongthap.gov.vn` or `*.dongthap.gov.vn`.
    /// Returns a translation key on failure.
    pub fn parse(s: &str) -> Result<Domain, &'static str> {
        let s = s.trim();
        let s = s
            .strip_prefix("*.")
            .or_else(|| s.strip_prefix('.'))
            .unwrap_or(s);
        let s = s.strip_suffix('.').unwrap_or(s);
        if s.is_empty() {
            return Err("err.required");
        }
        if !s.is_ascii() {
            return Err("err.domain_idn");
        }
        let lower = s.to_ascii_lowercase();
        check_labels(&lower, false)?;
        let mut labels = lower.rsplit('.');
        let top = labels.next().unwrap_or("");
        if labels.next().is_none() {
            return Err("err.domain_single");
        }
        // An all-digit top label is an IPv4 address typed as a domain.
        if top.bytes().all(|b| b.is_ascii_digit()) {
            return Err("err.domain");
        }
        Ok(Domain(lower))
    }

    /// The normalised name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True when `host` (normalised) is this domain or one of its subdomains.
    pub fn covers(&self, host: &str) -> bool {
        host == self.0
            || (host.len() > self.0.len()
                && host.ends_with(self.0.as_str())
                && host.as_bytes()[host.len() - self.0.len() - 1] == b'.')
    }

    /// Number of labels.
    pub fn labels(&self) -> usize {
        self.0.split('.').count()
    }
}

impl fmt::Display for Domain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Parses `AS7552`, `as 7552` or `7552`. Returns a translation key on failure.
pub fn parse_asn(s: &str) -> Result<u32, &'static str> {
    let s = s.trim();
    if s.is_empty() {
        return Err("err.required");
    }
    let digits = match s.get(..2) {
        Some(p) if p.eq_ignore_ascii_case("as") => s[2..].trim_start(),
        _ => s,
    };
    if digits.is_empty() || digits.len() > 10 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err("err.asn");
    }
    // 0 and 4294967295 are reserved and never name a network.
    match digits.parse::<u64>() {
        Ok(n) if n >= 1 && n < u64::from(u32::MAX) => Ok(n as u32),
        _ => Err("err.asn"),
    }
}

/// One normalised constituency entry.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Entry {
    /// An IP range.
    Cidr(Cidr),
    /// A domain and its subdomains.
    Domain(Domain),
    /// An AS number.
    Asn(u32),
}

impl Entry {
    /// Parses `value` as an entry of `kind`. Returns a translation key on failure.
    pub fn parse(kind: Kind, value: &str) -> Result<Entry, &'static str> {
        match kind {
            Kind::Cidr => Cidr::parse(value).map(Entry::Cidr),
            Kind::Domain => Domain::parse(value).map(Entry::Domain),
            Kind::Asn => parse_asn(value).map(Entry::Asn),
        }
    }

    /// Its kind.
    pub fn kind(&self) -> Kind {
        match self {
            Entry::Cidr(_) => Kind::Cidr,
            Entry::Domain(_) => Kind::Domain,
            Entry::Asn(_) => Kind::Asn,
        }
    }

    /// True when `inner` lies strictly inside this entry (a smaller range, a subdomain).
    pub fn strictly_contains(&self, inner: &Entry) -> bool {
        match (self, inner) {
            (Entry::Cidr(a), Entry::Cidr(b)) => a != b && a.contains(b),
            (Entry::Domain(a), Entry::Domain(b)) => a != b && a.covers(b.as_str()),
            _ => false,
        }
    }
}

impl fmt::Display for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Entry::Cidr(c) => c.fmt(f),
            Entry::Domain(d) => d.fmt(f),
            Entry::Asn(n) => write!(f, "AS{n}"),
        }
    }
}

/// A question to the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    /// An address (IPv4-mapped IPv6 is read as IPv4).
    Ip(IpAddr),
    /// A host name, lower-case, without trailing dot.
    Host(String),
    /// An AS number.
    Asn(u32),
}

/// Where the host or address of a query was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadFrom {
    /// The text itself.
    Text,
    /// The host of a URL.
    Url,
    /// The domain of an e-mail address.
    Email,
}

/// A parsed query and how it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// The question.
    pub query: Query,
    /// Where it came from.
    pub read_from: ReadFrom,
}

impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Query::Ip(ip) => ip.fmt(f),
            Query::Host(h) => f.write_str(h),
            Query::Asn(n) => write!(f, "AS{n}"),
        }
    }
}

/// Splits `host[:port]` or `[v6][:port]` and returns the host part.
fn strip_port(hp: &str) -> Result<&str, &'static str> {
    if let Some(rest) = hp.strip_prefix('[') {
        let (inner, after) = rest.split_once(']').ok_or("err.query")?;
        let port_ok = after.is_empty()
            || after
                .strip_prefix(':')
                .is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()));
        return if port_ok { Ok(inner) } else { Err("err.query") };
    }
    match hp.split_once(':') {
        None => Ok(hp),
        Some((h, p)) if p.bytes().all(|b| b.is_ascii_digit()) => Ok(h),
        Some(_) => Err("err.query"),
    }
}

fn host_query(host: &str, read_from: ReadFrom) -> Result<Parsed, &'static str> {
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    let query = match host.parse::<IpAddr>() {
        Ok(ip) => Query::Ip(canonical_ip(ip)),
        Err(_) => Query::Host(normalise_host(host)?),
    };
    Ok(Parsed { query, read_from })
}

impl Query {
    /// Reads an IP address (v4, v6, IPv4-mapped v6), a host name, a URL (its host, without
    /// user information or port), an e-mail address (its domain), or an AS number (`AS7552`;
    /// digits alone are an AS number too). Returns a translation key on failure.
    pub fn parse(s: &str) -> Result<Parsed, &'static str> {
        let s = s.trim();
        if s.is_empty() {
            return Err("err.required");
        }
        if s.len() > MAX_QUERY_LEN {
            return Err("err.too_long");
        }
        if s.chars().any(|c| c.is_control() || c.is_whitespace()) && parse_asn(s).is_err() {
            return Err("err.query");
        }
        let text = ReadFrom::Text;
        let looks_asn = s.bytes().all(|b| b.is_ascii_digit())
            || s.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("as"))
                && s[2..].trim_start().bytes().all(|b| b.is_ascii_digit())
                && !s[2..].trim_start().is_empty();
        if looks_asn {
            return Ok(Parsed {
                query: Query::Asn(parse_asn(s)?),
                read_from: text,
            });
        }
        if let Ok(ip) = s.parse::<IpAddr>() {
            return Ok(Parsed {
                query: Query::Ip(canonical_ip(ip)),
                read_from: text,
            });
        }
        if let Some(i) = s.find("://") {
            let scheme = &s[..i];
            if scheme.is_empty()
                || !scheme
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
            {
                return Err("err.query");
            }
            let rest = &s[i + 3..];
            let authority = rest.split(['/', '?', '#', '\\']).next().unwrap_or("");
            let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
            return host_query(strip_port(host_port)?, ReadFrom::Url);
        }
        if let Some((local, domain)) = s.rsplit_once('@') {
            if local.is_empty() || domain.is_empty() {
                return Err("err.query");
            }
            return host_query(domain, ReadFrom::Email);
        }
        let host_port = s.split(['/', '?', '#']).next().unwrap_or("");
        host_query(strip_port(host_port)?, text)
    }
}

/// One organisation's claim on an entry, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// The entry's id (time-ordered: the smallest is the earliest claim).
    pub id: Uuid,
    /// The organisation that claims it.
    pub org: Uuid,
    /// What it claims.
    pub entry: Entry,
}

/// How a query matched the claim that answers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// The address is inside the range.
    InRange,
    /// The host is the domain itself.
    SameDomain,
    /// The host is a subdomain of the domain.
    Subdomain,
    /// The AS number is the one claimed.
    SameAsn,
}

impl How {
    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            How::InRange => "in_range",
            How::SameDomain => "same_domain",
            How::Subdomain => "subdomain",
            How::SameAsn => "same_asn",
        }
    }
}

/// The answer of a lookup: the claim that answers, how it matched, and whether another
/// organisation claims exactly the same entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit<'a> {
    /// The answering claim.
    pub claim: &'a Claim,
    /// How the query matched it.
    pub how: How,
    /// Another organisation claims the same entry (the earliest claim answers).
    pub contested: bool,
}

/// Overlapping claims of different organisations, shown to the coordinator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conflict {
    /// Several organisations claim exactly the same entry; the first (earliest) claim answers.
    Duplicate {
        /// The entry.
        entry: Entry,
        /// Every claim on it, earliest first.
        claims: Vec<Claim>,
    },
    /// A claim inside another organisation's claim (delegation, usually intended): the inner,
    /// more specific one answers for what it covers. Only the nearest enclosing claim is named.
    Nested {
        /// The enclosing claim.
        outer: Claim,
        /// The enclosed claim.
        inner: Claim,
    },
}

const NONE: u32 = u32::MAX;

/// The lookup index: flattened range tables (one binary search per address), a hash map of
/// domains walked from the full host up, and a hash map of AS numbers.
#[derive(Debug, Default)]
pub struct Index {
    /// Every claim, earliest first.
    claims: Vec<Claim>,
    /// Per claim: another organisation claims the same entry.
    contested: Vec<bool>,
    /// Start of each address interval and the claim owning it (`NONE`: nobody). Intervals
    /// are disjoint and cover the whole space, so an address needs one binary search.
    v4_starts: Vec<u32>,
    v4_owner: Vec<u32>,
    v6_starts: Vec<u128>,
    v6_owner: Vec<u32>,
    domains: HashMap<Box<str>, u32>,
    asns: HashMap<u32, u32>,
    /// (outer, inner) claim positions of nested claims of different organisations.
    nested: Vec<(u32, u32)>,
}

/// Turns nested or disjoint intervals (`start`, `end` inclusive, position in claims) into
/// sorted disjoint interval starts with the most specific owner of each. Also reports each
/// interval's nearest enclosing interval.
fn flatten(
    mut ivs: Vec<(u128, u128, u8, u32)>,
    max: u128,
    parents: &mut Vec<(u32, u32)>,
) -> (Vec<u128>, Vec<u32>) {
    // Wider first at the same start, so a parent is on the stack before its children.
    ivs.sort_by_key(|&(s, _, len, _)| (s, len));
    let mut starts = vec![0u128];
    let mut owner = vec![NONE];
    let mut emit = |at: u128, who: u32| {
        if starts.last() == Some(&at) {
            if let Some(o) = owner.last_mut() {
                *o = who;
            }
        } else {
            starts.push(at);
            owner.push(who);
        }
    };
    let mut stack: Vec<(u128, u32)> = Vec::new();
    for (s, e, _, who) in ivs {
        while let Some(&(end, _)) = stack.last() {
            if end >= s {
                break;
            }
            stack.pop();
            // end < s, so end + 1 cannot overflow.
            emit(end + 1, stack.last().map_or(NONE, |t| t.1));
        }
        if let Some(&(_, parent)) = stack.last() {
            parents.push((parent, who));
        }
        emit(s, who);
        stack.push((e, who));
    }
    while let Some((end, _)) = stack.pop() {
        if end == max {
            // Everything still stacked encloses this one, so it ends at the top too.
            break;
        }
        emit(end + 1, stack.last().map_or(NONE, |t| t.1));
    }
    // Merge neighbours with the same owner (left by replaced starts).
    let mut s2 = Vec::with_capacity(starts.len());
    let mut o2: Vec<u32> = Vec::with_capacity(owner.len());
    for (s, o) in starts.into_iter().zip(owner) {
        if o2.last() != Some(&o) {
            s2.push(s);
            o2.push(o);
        }
    }
    (s2, o2)
}

impl Index {
    /// Builds the index from every claim.
    pub fn build(claims: impl IntoIterator<Item = Claim>) -> Index {
        let mut claims: Vec<Claim> = claims.into_iter().collect();
        claims.sort_by_key(|c| c.id);
        // The earliest claim of each entry answers; a later one by another organisation
        // contests it.
        let mut first: HashMap<&Entry, usize> = HashMap::with_capacity(claims.len());
        let mut contested = vec![false; claims.len()];
        let mut winners: Vec<usize> = Vec::new();
        for (i, c) in claims.iter().enumerate() {
            match first.get(&c.entry) {
                Some(&w) => {
                    if claims[w].org != c.org {
                        contested[w] = true;
                        contested[i] = true;
                    }
                }
                None => {
                    first.insert(&c.entry, i);
                    winners.push(i);
                }
            }
        }
        drop(first);
        let mut v4 = Vec::new();
        let mut v6 = Vec::new();
        let mut domains = HashMap::new();
        let mut asns = HashMap::new();
        for &i in &winners {
            let pos = i as u32;
            match &claims[i].entry {
                Entry::Cidr(Cidr::V4 { net, len }) => {
                    let end = net | !mask4(*len);
                    v4.push((u128::from(*net), u128::from(end), *len, pos));
                }
                Entry::Cidr(Cidr::V6 { net, len }) => {
                    v6.push((*net, net | !mask6(*len), *len, pos));
                }
                Entry::Domain(d) => {
                    domains.insert(d.as_str().into(), pos);
                }
                Entry::Asn(n) => {
                    asns.insert(*n, pos);
                }
            }
        }
        let mut parents = Vec::new();
        let (s4, v4_owner) = flatten(v4, u128::from(u32::MAX), &mut parents);
        let v4_starts = s4.into_iter().map(|s| s as u32).collect();
        let (v6_starts, v6_owner) = flatten(v6, u128::MAX, &mut parents);
        for &i in &winners {
            if let Entry::Domain(d) = &claims[i].entry {
                let mut rest = d.as_str();
                while let Some(dot) = rest.find('.') {
                    rest = &rest[dot + 1..];
                    if let Some(&p) = domains.get(rest) {
                        parents.push((p, i as u32));
                        break;
                    }
                }
            }
        }
        let nested = parents
            .into_iter()
            .filter(|&(o, i)| claims[o as usize].org != claims[i as usize].org)
            .collect();
        Index {
            claims,
            contested,
            v4_starts,
            v4_owner,
            v6_starts,
            v6_owner,
            domains,
            asns,
            nested,
        }
    }

    /// Number of claims.
    pub fn len(&self) -> usize {
        self.claims.len()
    }

    /// True when nothing is claimed.
    pub fn is_empty(&self) -> bool {
        self.claims.is_empty()
    }

    /// Every claim, earliest first.
    pub fn claims(&self) -> &[Claim] {
        &self.claims
    }

    fn hit(&self, pos: u32, how: How) -> Option<Hit<'_>> {
        let i = pos as usize;
        Some(Hit {
            claim: self.claims.get(i)?,
            how,
            contested: self.contested.get(i).copied().unwrap_or(false),
        })
    }

    /// The claim of the most specific range holding `ip`.
    pub fn lookup_ip(&self, ip: IpAddr) -> Option<Hit<'_>> {
        let pos = match canonical_ip(ip) {
            IpAddr::V4(a) => {
                let a = u32::from(a);
                let i = self.v4_starts.partition_point(|&s| s <= a);
                *self.v4_owner.get(i.checked_sub(1)?)?
            }
            IpAddr::V6(a) => {
                let a = u128::from(a);
                let i = self.v6_starts.partition_point(|&s| s <= a);
                *self.v6_owner.get(i.checked_sub(1)?)?
            }
        };
        if pos == NONE {
            return None;
        }
        self.hit(pos, How::InRange)
    }

    /// The claim of the longest domain covering `host` (normalised: see [`normalise_host`]).
    pub fn lookup_host(&self, host: &str) -> Option<Hit<'_>> {
        let mut rest = host;
        let mut how = How::SameDomain;
        loop {
            if let Some(&pos) = self.domains.get(rest) {
                return self.hit(pos, how);
            }
            let dot = rest.find('.')?;
            rest = &rest[dot + 1..];
            how = How::Subdomain;
        }
    }

    /// The claim of an AS number.
    pub fn lookup_asn(&self, asn: u32) -> Option<Hit<'_>> {
        let pos = *self.asns.get(&asn)?;
        self.hit(pos, How::SameAsn)
    }

    /// Answers a query.
    pub fn lookup(&self, q: &Query) -> Option<Hit<'_>> {
        match q {
            Query::Ip(ip) => self.lookup_ip(*ip),
            Query::Host(h) => self.lookup_host(h),
            Query::Asn(n) => self.lookup_asn(*n),
        }
    }

    /// Overlapping claims of different organisations: duplicates first (by entry), then nested
    /// claims (by outer entry, then inner).
    pub fn conflicts(&self) -> Vec<Conflict> {
        // Every claim of an entry that any organisation contests, earliest first (the claims
        // are kept in that order).
        let contested: HashSet<&Entry> = self
            .claims
            .iter()
            .zip(&self.contested)
            .filter(|(_, x)| **x)
            .map(|(c, _)| &c.entry)
            .collect();
        let mut groups: HashMap<&Entry, Vec<Claim>> = HashMap::new();
        for c in self.claims.iter().filter(|c| contested.contains(&c.entry)) {
            groups.entry(&c.entry).or_default().push(c.clone());
        }
        let mut groups: Vec<(&Entry, Vec<Claim>)> = groups.into_iter().collect();
        groups.sort_by(|a, b| a.0.cmp(b.0));
        let mut dup: Vec<Conflict> = groups
            .into_iter()
            .map(|(entry, claims)| Conflict::Duplicate {
                entry: entry.clone(),
                claims,
            })
            .collect();
        let mut nested: Vec<(Claim, Claim)> = self
            .nested
            .iter()
            .filter_map(|&(o, i)| {
                Some((
                    self.claims.get(o as usize)?.clone(),
                    self.claims.get(i as usize)?.clone(),
                ))
            })
            .collect();
        nested.sort_by(|a, b| (&a.0.entry, &a.1.entry).cmp(&(&b.0.entry, &b.1.entry)));
        dup.extend(
            nested
                .into_iter()
                .map(|(outer, inner)| Conflict::Nested { outer, inner }),
        );
        dup
    }
}

/// How well `entry` answers `q`: its specificity and the kind of match, or `None`.
fn matches(entry: &Entry, q: &Query) -> Option<(usize, How)> {
    match (entry, q) {
        (Entry::Cidr(c), Query::Ip(ip)) if c.contains_ip(*ip) => {
            Some((usize::from(c.prefix_len()), How::InRange))
        }
        (Entry::Domain(d), Query::Host(h)) if d.covers(h) => Some((
            d.labels(),
            if d.as_str() == h {
                How::SameDomain
            } else {
                How::Subdomain
            },
        )),
        (Entry::Asn(n), Query::Asn(m)) if n == m => Some((0, How::SameAsn)),
        _ => None,
    }
}

/// The reference answer by a linear scan of every claim: the most specific match, the earliest
/// claim among equals. Slow; used to check the index (tests, real feeds).
pub fn scan<'a>(claims: &'a [Claim], q: &Query) -> Option<Hit<'a>> {
    let mut best: Option<(&Claim, usize, How)> = None;
    for c in claims {
        if let Some((spec, how)) = matches(&c.entry, q) {
            let better = match best {
                None => true,
                Some((b, bs, _)) => spec > bs || (spec == bs && c.id < b.id),
            };
            if better {
                best = Some((c, spec, how));
            }
        }
    }
    let (claim, _, how) = best?;
    let contested = claims
        .iter()
        .any(|c| c.entry == claim.entry && c.org != claim.org);
    Some(Hit {
        claim,
        how,
        contested,
    })
}

/// Largest number of data rows an import file may carry.
pub const MAX_IMPORT_ROWS: usize = 100_000;

/// One data row of an import file: `organization_slug,kind,value[,note]`, trimmed, unchecked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    /// Line where the row starts (1-based).
    pub line: usize,
    /// The organisation's slug.
    pub slug: String,
    /// `cidr`, `domain` or `asn`.
    pub kind: String,
    /// The entry as written.
    pub value: String,
    /// A note, possibly empty.
    pub note: String,
}

/// A refused row: its line (0 for the whole file), the field and a translation key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// Line where the row starts (1-based), 0 for the whole file.
    pub line: usize,
    /// `organization_slug`, `kind`, `value`, `note`, `line` (the row's shape) or `file`.
    pub field: &'static str,
    /// Translation key.
    pub code: &'static str,
}

/// Splits CSV text into records with the line each starts on. Quoted fields may hold commas,
/// doubled quotes and line breaks; a stray quote makes the record an error.
fn csv_records(text: &str) -> Vec<(usize, Result<Vec<String>, &'static str>)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    let (mut line, mut start) = (1, 1);
    let mut fields: Vec<String> = Vec::new();
    let mut field = String::new();
    let (mut in_quotes, mut quoted, mut bad) = (false, false, None);
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        if in_quotes {
            match ch {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => in_quotes = false,
                c => {
                    if c == '\n' {
                        line += 1;
                    }
                    field.push(c);
                }
            }
            continue;
        }
        match ch {
            '"' if field.is_empty() && !quoted => {
                in_quotes = true;
                quoted = true;
            }
            ',' => {
                fields.push(std::mem::take(&mut field));
                quoted = false;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                fields.push(std::mem::take(&mut field));
                out.push((
                    start,
                    bad.take().map_or(Ok(std::mem::take(&mut fields)), Err),
                ));
                fields.clear();
                quoted = false;
                line += 1;
                start = line;
            }
            c => {
                // Text after a closing quote, or a quote inside an unquoted field.
                if c == '"' || (quoted && !c.is_whitespace()) {
                    bad = Some("err.csv");
                }
                field.push(c);
            }
        }
    }
    if in_quotes {
        bad = Some("err.csv");
    }
    if !field.is_empty() || !fields.is_empty() || quoted {
        fields.push(field);
        out.push((start, bad.map_or(Ok(fields), Err)));
    }
    out
}

/// Reads an import file of `organization_slug,kind,value[,note]` rows. Blank lines, lines
/// starting with `#` and a header row (first cell `organization_slug`) are skipped. Returns the
/// rows and the rows that cannot be read at all; the values themselves are checked later.
pub fn read_import(text: &str) -> (Vec<ImportRow>, Vec<RowError>) {
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut first = true;
    for (line, rec) in csv_records(text) {
        let cells = match rec {
            Ok(c) => c,
            Err(code) => {
                errors.push(RowError {
                    line,
                    field: "line",
                    code,
                });
                continue;
            }
        };
        let cells: Vec<&str> = cells.iter().map(|c| c.trim()).collect();
        if cells.iter().all(|c| c.is_empty()) || cells[0].starts_with('#') {
            continue;
        }
        if std::mem::take(&mut first) && cells[0].eq_ignore_ascii_case("organization_slug") {
            continue;
        }
        if !(3..=4).contains(&cells.len()) {
            errors.push(RowError {
                line,
                field: "line",
                code: "err.import_columns",
            });
            continue;
        }
        if rows.len() == MAX_IMPORT_ROWS {
            errors.push(RowError {
                line: 0,
                field: "file",
                code: "err.import_too_many",
            });
            break;
        }
        rows.push(ImportRow {
            line,
            slug: cells[0].to_string(),
            kind: cells[1].to_string(),
            value: cells[2].to_string(),
            note: cells.get(3).map(|s| s.to_string()).unwrap_or_default(),
        });
    }
    if rows.is_empty() && errors.is_empty() {
        errors.push(RowError {
            line: 0,
            field: "file",
            code: "err.import_empty",
        });
    }
    (rows, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(n: u128, org: u128, kind: Kind, v: &str) -> Claim {
        Claim {
            id: Uuid::from_u128(n),
            org: Uuid::from_u128(org),
            entry: Entry::parse(kind, v).unwrap(),
        }
    }

    #[test]
    fn ranges_are_normalised_or_refused_with_a_reason() {
        assert_eq!(
            Cidr::parse(" 203.0.113.0/24 ").unwrap().to_string(),
            "203.0.113.0/24"
        );
        assert_eq!(
            Cidr::parse("2001:DB8:0100::/48").unwrap().to_string(),
            "2001:db8:100::/48"
        );
        assert_eq!(
            Cidr::parse("198.51.100.7").unwrap().to_string(),
            "198.51.100.7/32"
        );
        assert_eq!(
            Cidr::parse("::ffff:203.0.113.0/120").unwrap().to_string(),
            "203.0.113.0/24"
        );
        assert_eq!(Cidr::parse("203.0.113.7/24"), Err("err.cidr_host_bits"));
        assert_eq!(Cidr::parse("203.0.113.0/33"), Err("err.cidr_prefix"));
        assert_eq!(Cidr::parse("203.0.113.0/+8"), Err("err.cidr_prefix"));
        assert_eq!(Cidr::parse("203.0.113.0/"), Err("err.cidr_prefix"));
        assert_eq!(Cidr::parse("203.0.113/24"), Err("err.cidr"));
        assert_eq!(Cidr::parse("example.vn/24"), Err("err.cidr"));
        assert_eq!(Cidr::parse(""), Err("err.required"));
        assert_eq!(Cidr::parse("0.0.0.0/0").unwrap().prefix_len(), 0);
    }

    #[test]
    fn domains_are_lower_case_ascii_with_valid_labels() {
        assert_eq!(
            Domain::parse(".DongThap.gov.vn.").unwrap().as_str(),
            "dongthap.gov.vn"
        );
        assert_eq!(
            Domain::parse("*.syt.dongthap.gov.vn").unwrap().as_str(),
            "syt.dongthap.gov.vn"
        );
        assert_eq!(Domain::parse("đồngtháp.vn"), Err("err.domain_idn"));
        assert_eq!(Domain::parse("-bad.vn"), Err("err.domain"));
        assert_eq!(Domain::parse("a..vn"), Err("err.domain"));
        assert_eq!(Domain::parse("under_score.vn"), Err("err.domain"));
        assert_eq!(Domain::parse("localhost"), Err("err.domain_single"));
        assert_eq!(Domain::parse("1.2.3.4"), Err("err.domain"));
        assert_eq!(Domain::parse(&"a".repeat(64)), Err("err.domain"));
        assert!(Domain::parse("xn--ngthp-6va3c.vn").is_ok());
    }

    #[test]
    fn asns_take_the_usual_spellings() {
        assert_eq!(parse_asn("AS7552"), Ok(7552));
        assert_eq!(parse_asn("as 45899"), Ok(45899));
        assert_eq!(parse_asn("18403"), Ok(18403));
        assert_eq!(parse_asn("AS0"), Err("err.asn"));
        assert_eq!(parse_asn("AS4294967295"), Err("err.asn"));
        assert_eq!(parse_asn("AS1.10"), Err("err.asn"));
        assert_eq!(parse_asn("ASX"), Err("err.asn"));
        assert_eq!(
            Entry::parse(Kind::Asn, "as7552").unwrap().to_string(),
            "AS7552"
        );
    }

    #[test]
    fn queries_read_ips_hosts_urls_emails_and_asns() {
        let q = |s: &str| Query::parse(s).map(|p| (p.query.to_string(), p.read_from));
        assert_eq!(q("203.0.113.7"), Ok(("203.0.113.7".into(), ReadFrom::Text)));
        assert_eq!(
            q("::ffff:203.0.113.7"),
            Ok(("203.0.113.7".into(), ReadFrom::Text))
        );
        assert_eq!(
            q("https://user:pw@WWW.SYT.DongThap.gov.vn:8443/a?b#c"),
            Ok(("www.syt.dongthap.gov.vn".into(), ReadFrom::Url))
        );
        assert_eq!(
            q("http://[2001:db8::1]:80/x"),
            Ok(("2001:db8::1".into(), ReadFrom::Url))
        );
        assert_eq!(
            q("http://203.0.113.9/"),
            Ok(("203.0.113.9".into(), ReadFrom::Url))
        );
        assert_eq!(
            q("canbo@syt.dongthap.gov.vn"),
            Ok(("syt.dongthap.gov.vn".into(), ReadFrom::Email))
        );
        assert_eq!(q("AS45899"), Ok(("AS45899".into(), ReadFrom::Text)));
        assert_eq!(q("45899"), Ok(("AS45899".into(), ReadFrom::Text)));
        assert_eq!(
            q("portal.dongthap.gov.vn:443/path"),
            Ok(("portal.dongthap.gov.vn".into(), ReadFrom::Text))
        );
        assert_eq!(q(""), Err("err.required"));
        assert_eq!(q("not a host"), Err("err.query"));
        assert_eq!(q("http://"), Err("err.query"));
        assert_eq!(q("@x.vn"), Err("err.query"));
        assert_eq!(q("sởytế.vn"), Err("err.domain_idn"));
        assert_eq!(q(&"a".repeat(3000)), Err("err.too_long"));
        assert_eq!(q("<script>alert(1)</script>"), Err("err.query"));
    }

    #[test]
    fn the_most_specific_claim_answers_and_a_duplicate_is_contested() {
        let idx = Index::build([
            claim(1, 10, Kind::Cidr, "203.0.113.0/24"),
            claim(2, 20, Kind::Cidr, "203.0.113.128/26"),
            claim(3, 30, Kind::Domain, "dongthap.gov.vn"),
            claim(4, 40, Kind::Domain, "syt.dongthap.gov.vn"),
            claim(5, 50, Kind::Asn, "AS45899"),
            claim(7, 60, Kind::Cidr, "203.0.113.128/26"),
            claim(6, 70, Kind::Cidr, "0.0.0.0/0"),
        ]);
        let ip = |s: &str| {
            idx.lookup_ip(s.parse().unwrap())
                .map(|h| h.claim.id.as_u128())
        };
        assert_eq!(ip("203.0.113.7"), Some(1));
        assert_eq!(ip("203.0.113.130"), Some(2));
        assert_eq!(ip("203.0.113.192"), Some(1));
        assert_eq!(ip("8.8.8.8"), Some(6));
        assert_eq!(ip("255.255.255.255"), Some(6));
        assert_eq!(ip("2001:db8::1"), None);
        assert!(
            idx.lookup_ip("203.0.113.130".parse().unwrap())
                .unwrap()
                .contested
        );
        let h = idx.lookup_host("www.syt.dongthap.gov.vn").unwrap();
        assert_eq!((h.claim.id.as_u128(), h.how), (4, How::Subdomain));
        let h = idx.lookup_host("dongthap.gov.vn").unwrap();
        assert_eq!((h.claim.id.as_u128(), h.how), (3, How::SameDomain));
        assert!(idx.lookup_host("notdongthap.gov.vn").is_none());
        assert_eq!(idx.lookup_asn(45899).unwrap().claim.id.as_u128(), 5);
        let conflicts = idx.conflicts();
        assert!(matches!(&conflicts[0], Conflict::Duplicate { claims, .. } if claims.len() == 2));
        let nested: Vec<(u128, u128)> = conflicts
            .iter()
            .filter_map(|c| match c {
                Conflict::Nested { outer, inner } => Some((outer.id.as_u128(), inner.id.as_u128())),
                _ => None,
            })
            .collect();
        assert_eq!(nested, vec![(6, 1), (1, 2), (3, 4)]);
    }

    #[test]
    fn import_files_are_read_with_quotes_comments_and_line_numbers() {
        let text = "\u{feff}organization_slug,kind,value,note\r\n\
                    # comment\n\
                    so-y-te,cidr,198.51.100.192/28,\"Phòng máy, tầng 2\"\n\
                    \n\
                    so-y-te,domain,syt.dongthap.gov.vn\n\
                    so-y-te,asn\n\
                    so-y-te,domain,\"a\"b,x\n\
                    so-y-te,asn,AS1,\"two\nlines\"\n\
                    so-y-te,asn,\"AS2\"";
        let (rows, errors) = read_import(text);
        let got: Vec<(usize, &str, &str)> = rows
            .iter()
            .map(|r| (r.line, r.value.as_str(), r.note.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (3, "198.51.100.192/28", "Phòng máy, tầng 2"),
                (5, "syt.dongthap.gov.vn", ""),
                (8, "AS1", "two\nlines"),
                (10, "AS2", ""),
            ]
        );
        let errs: Vec<(usize, &str, &str)> =
            errors.iter().map(|e| (e.line, e.field, e.code)).collect();
        assert_eq!(
            errs,
            vec![(6, "line", "err.import_columns"), (7, "line", "err.csv")]
        );
        assert_eq!(read_import("\n\n").1[0].code, "err.import_empty");
        assert_eq!(read_import("a,cidr,\"1.2.3.0/24").1[0].code, "err.csv");
    }

    #[test]
    fn the_same_organisation_twice_is_no_conflict() {
        let idx = Index::build([
            claim(1, 10, Kind::Domain, "a.vn"),
            claim(2, 10, Kind::Domain, "b.a.vn"),
        ]);
        assert!(idx.conflicts().is_empty());
        assert!(!idx.lookup_host("b.a.vn").unwrap().contested);
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn v4() -> impl Strategy<Value = Entry> {
        // A small space (two /16s) so that ranges nest, touch and repeat.
        (
            prop::sample::select(vec![0x0a00_0000u32, 0xcb00_7100]),
            any::<u16>(),
            8u8..=32,
        )
            .prop_map(|(base, low, len)| {
                let net = (base | u32::from(low)) & mask4(len);
                Entry::Cidr(Cidr::V4 { net, len })
            })
    }

    fn v6() -> impl Strategy<Value = Entry> {
        (any::<u16>(), 16u8..=128).prop_map(|(low, len)| {
            let base: u128 = 0x2001_0db8 << 96;
            let net = (base | (u128::from(low) << 64) | u128::from(low)) & mask6(len);
            Entry::Cidr(Cidr::V6 { net, len })
        })
    }

    fn label() -> impl Strategy<Value = String> {
        prop::sample::select(vec!["a", "b", "www", "x-y", "dongthap", "gov"]).prop_map(String::from)
    }

    fn host() -> impl Strategy<Value = String> {
        (
            prop::collection::vec(label(), 0..4),
            prop::sample::select(vec!["vn", "gov.vn"]),
        )
            .prop_map(|(ls, top)| {
                let mut v = ls;
                v.push(top.to_string());
                v.join(".")
            })
    }

    fn entry() -> impl Strategy<Value = Entry> {
        prop_oneof![
            4 => v4(),
            2 => v6(),
            3 => host().prop_filter_map("two labels", |h| Domain::parse(&h).ok().map(Entry::Domain)),
            1 => (1u32..8).prop_map(Entry::Asn),
        ]
    }

    fn claims() -> impl Strategy<Value = Vec<Claim>> {
        prop::collection::vec((any::<u64>(), 0u128..4, entry()), 0..60).prop_map(|v| {
            v.into_iter()
                .enumerate()
                .map(|(i, (r, org, entry))| Claim {
                    // Random order of claim times, unique ids.
                    id: Uuid::from_u128((u128::from(r) << 32) | i as u128),
                    org: Uuid::from_u128(org),
                    entry,
                })
                .collect()
        })
    }

    fn query(claims: &[Claim], pick: usize, offset: u128, h: &str, asn: u32) -> Vec<Query> {
        let mut qs = vec![
            Query::Ip(IpAddr::V4(Ipv4Addr::from(offset as u32))),
            Query::Ip(IpAddr::V6(Ipv6Addr::from(offset))),
            Query::Host(h.to_string()),
            Query::Asn(asn),
        ];
        if let Some(c) = claims.get(pick % claims.len().max(1)) {
            match &c.entry {
                Entry::Cidr(Cidr::V4 { net, len }) => {
                    let a = net | (offset as u32 & !mask4(*len));
                    qs.push(Query::Ip(IpAddr::V4(Ipv4Addr::from(a))));
                    qs.push(Query::Ip(IpAddr::V6(Ipv4Addr::from(a).to_ipv6_mapped())));
                    qs.push(Query::Ip(IpAddr::V4(Ipv4Addr::from(net | !mask4(*len)))));
                    qs.push(Query::Ip(IpAddr::V4(Ipv4Addr::from(net.wrapping_sub(1)))));
                }
                Entry::Cidr(Cidr::V6 { net, len }) => {
                    qs.push(Query::Ip(IpAddr::V6(Ipv6Addr::from(
                        net | (offset & !mask6(*len)),
                    ))));
                    qs.push(Query::Ip(IpAddr::V6(Ipv6Addr::from(net | !mask6(*len)))));
                }
                Entry::Domain(d) => {
                    qs.push(Query::Host(d.as_str().to_string()));
                    qs.push(Query::Host(format!("{h}.{d}")));
                    qs.push(Query::Host(format!("x{d}")));
                }
                Entry::Asn(n) => qs.push(Query::Asn(*n)),
            }
        }
        qs
    }

    fn key(h: Option<Hit<'_>>) -> Option<(Uuid, Uuid, How, bool, String)> {
        h.map(|h| {
            (
                h.claim.id,
                h.claim.org,
                h.how,
                h.contested,
                h.claim.entry.to_string(),
            )
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn the_index_agrees_with_a_linear_scan(
            cs in claims(),
            probes in prop::collection::vec((any::<usize>(), any::<u128>(), host(), 1u32..9), 1..25),
        ) {
            let idx = Index::build(cs.clone());
            for (pick, offset, h, asn) in probes {
                for q in query(&cs, pick, offset, &h, asn) {
                    prop_assert_eq!(key(idx.lookup(&q)), key(scan(&cs, &q)), "query {}", q);
                }
            }
        }

        #[test]
        fn nested_conflicts_name_the_nearest_enclosing_claim_of_another_organisation(cs in claims()) {
            let idx = Index::build(cs.clone());
            // The earliest claim of each distinct entry is the one that answers.
            let mut winners: Vec<&Claim> = Vec::new();
            let mut sorted: Vec<&Claim> = cs.iter().collect();
            sorted.sort_by_key(|c| c.id);
            for c in sorted {
                if !winners.iter().any(|w| w.entry == c.entry) {
                    winners.push(c);
                }
            }
            let mut expected: Vec<(Uuid, Uuid)> = Vec::new();
            for inner in &winners {
                let nearest = winners
                    .iter()
                    .filter(|o| o.entry.strictly_contains(&inner.entry))
                    .max_by_key(|o| match &o.entry {
                        Entry::Cidr(c) => usize::from(c.prefix_len()),
                        Entry::Domain(d) => d.labels(),
                        Entry::Asn(_) => 0,
                    });
                if let Some(outer) = nearest
                    && outer.org != inner.org
                {
                    expected.push((outer.id, inner.id));
                }
            }
            let mut got: Vec<(Uuid, Uuid)> = idx
                .conflicts()
                .into_iter()
                .filter_map(|c| match c {
                    Conflict::Nested { outer, inner } => Some((outer.id, inner.id)),
                    Conflict::Duplicate { .. } => None,
                })
                .collect();
            expected.sort();
            got.sort();
            prop_assert_eq!(got, expected);
            // Duplicates: exactly the entries claimed by two or more organisations, each with
            // every claim on it, earliest first.
            let mut expected_dups: Vec<(Entry, Vec<Uuid>)> = Vec::new();
            for w in &winners {
                let mut all: Vec<&Claim> = cs.iter().filter(|c| c.entry == w.entry).collect();
                all.sort_by_key(|c| c.id);
                if all.iter().any(|c| c.org != w.org) {
                    expected_dups.push((w.entry.clone(), all.iter().map(|c| c.id).collect()));
                }
            }
            expected_dups.sort();
            let got_dups: Vec<(Entry, Vec<Uuid>)> = idx
                .conflicts()
                .into_iter()
                .filter_map(|c| match c {
                    Conflict::Duplicate { entry, claims } => {
                        Some((entry, claims.iter().map(|x| x.id).collect()))
                    }
                    Conflict::Nested { .. } => None,
                })
                .collect();
            prop_assert_eq!(got_dups, expected_dups);
        }

        #[test]
        fn reading_an_import_never_panics_and_counts_every_line(s in "[a-z0-9,\"\\n\\r# .]{0,80}") {
            let (rows, errors) = read_import(&s);
            let lines = s.matches('\n').count() + 1;
            prop_assert!(rows.iter().all(|r| r.line >= 1 && r.line <= lines));
            prop_assert!(errors.iter().all(|e| e.line <= lines));
        }

        #[test]
        fn parsing_never_panics_and_normal_forms_parse_to_themselves(s in "\\PC{0,40}") {
            let _ = Query::parse(&s);
            for k in Kind::ALL {
                if let Ok(e) = Entry::parse(k, &s) {
                    prop_assert_eq!(Entry::parse(k, &e.to_string()), Ok(e));
                }
            }
        }
    }
}
