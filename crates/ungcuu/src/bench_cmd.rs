//! `ungcuu bench constituency`: lookups per second of the constituency index on one thread,
//! beside a baseline from the same run (an exact-match `HashMap<u32, Uuid>` lookup of the same
//! number of IPv4 addresses), so the ratio can be compared across machines.

use std::collections::{HashMap, HashSet};
use std::hint::black_box;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::{Duration, Instant};
use ungcuu_domain::constituency::{Cidr, Claim, Domain, Entry, Index, Query};
use uuid::Uuid;

/// The target of the issue: lookups per second on one core.
const TARGET: f64 = 1_000_000.0;

/// What to measure.
#[derive(Debug, Clone)]
pub struct Options {
    /// IP ranges in the constituency.
    pub ranges: usize,
    /// Domains in the constituency.
    pub domains: usize,
    /// Lookups per run.
    pub lookups: usize,
    /// Runs (the median is reported).
    pub runs: usize,
    /// Seed of the generator: the same seed builds the same constituency and queries.
    pub seed: u64,
}

/// SplitMix64: small, fast and reproducible, which is all a benchmark needs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn percent(&mut self) -> usize {
        self.below(100)
    }
}

const WORDS: &[&str] = &[
    "dongthap",
    "caolanh",
    "sadec",
    "hongngu",
    "thapmuoi",
    "laivung",
    "lapvo",
    "chauthanh",
    "tamnong",
    "thanhbinh",
    "tanhong",
    "syt",
    "sgddt",
    "stnmt",
    "snv",
    "stp",
    "sct",
    "sxd",
    "sgtvt",
    "skhcn",
    "dichvucong",
    "congbao",
    "vanban",
    "mail",
    "portal",
    "hoso",
];
const TOPS: &[&str] = &["gov.vn", "vn", "com.vn", "edu.vn", "org.vn"];

/// A constituency that looks like a province's: IPv4 blocks carved out of a few provider
/// ranges at the usual sizes (mostly /24 to /29, some nesting), IPv6 allocations, and
/// registrable domains with many subdomains, spread over a few hundred organisations.
fn constituency(o: &Options, rng: &mut Rng) -> Vec<Claim> {
    let orgs: Vec<Uuid> = (0..500u128).map(|i| Uuid::from_u128(i + 1)).collect();
    let providers: Vec<u32> = (0..48).map(|_| (rng.next() as u32) & 0xffff_0000).collect();
    let mut claims = Vec::with_capacity(o.ranges + o.domains);
    let mut id = 0u128;
    let mut claim = |rng: &mut Rng, entry: Entry| {
        id += 1;
        Claim {
            id: Uuid::from_u128(id),
            org: orgs[rng.below(orgs.len())],
            entry,
        }
    };
    for _ in 0..o.ranges {
        let entry = if rng.percent() < 85 {
            let len = match rng.percent() {
                0..35 => 24,
                35..75 => 25 + rng.below(5) as u8,
                75..90 => 22 + rng.below(2) as u8,
                _ => 16 + rng.below(6) as u8,
            };
            let base = providers[rng.below(providers.len())] | (rng.next() as u32 & 0xffff);
            let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
            Entry::Cidr(Cidr::V4 {
                net: base & mask,
                len,
            })
        } else {
            let len = 40 + rng.below(25) as u8;
            let top: u128 = [0x2001_0db8u128, 0x2402_0800, 0x2405_4800][rng.below(3)] << 96;
            let net = (top | (u128::from(rng.next()) << 32)) & (u128::MAX << (128 - len));
            Entry::Cidr(Cidr::V6 { net, len })
        };
        claims.push(claim(rng, entry));
    }
    let bases: Vec<String> = (0..400)
        .map(|i| {
            format!(
                "{}{}.{}",
                WORDS[rng.below(WORDS.len())],
                i,
                TOPS[rng.below(TOPS.len())]
            )
        })
        .collect();
    let mut seen = HashSet::new();
    while seen.len() < o.domains {
        let base = &bases[rng.below(bases.len())];
        let name = match rng.percent() {
            0..30 => base.clone(),
            30..80 => format!("{}{}.{base}", WORDS[rng.below(WORDS.len())], rng.below(50)),
            _ => format!(
                "{}.{}{}.{base}",
                WORDS[rng.below(WORDS.len())],
                WORDS[rng.below(WORDS.len())],
                rng.below(50)
            ),
        };
        if seen.insert(name.clone())
            && let Ok(d) = Domain::parse(&name)
        {
            claims.push(claim(rng, Entry::Domain(d)));
        }
    }
    claims
}

/// The queries feed routing sends: 35 % IPv4 addresses inside a claimed range, 20 % random
/// IPv4 addresses (mostly unclaimed), 5 % IPv6, 30 % host names under a claimed domain, 10 %
/// unclaimed host names.
fn queries(claims: &[Claim], n: usize, rng: &mut Rng) -> Vec<Query> {
    let v4: Vec<&Claim> = claims
        .iter()
        .filter(|c| matches!(c.entry, Entry::Cidr(Cidr::V4 { .. })))
        .collect();
    let v6: Vec<&Claim> = claims
        .iter()
        .filter(|c| matches!(c.entry, Entry::Cidr(Cidr::V6 { .. })))
        .collect();
    let domains: Vec<&Claim> = claims
        .iter()
        .filter(|c| matches!(c.entry, Entry::Domain(_)))
        .collect();
    (0..n)
        .map(|_| match rng.percent() {
            0..35 if !v4.is_empty() => match v4[rng.below(v4.len())].entry {
                Entry::Cidr(Cidr::V4 { net, len }) => {
                    let host = if len == 32 {
                        0
                    } else {
                        rng.next() as u32 & (u32::MAX >> len)
                    };
                    Query::Ip(IpAddr::V4(Ipv4Addr::from(net | host)))
                }
                _ => unreachable!("filtered to IPv4 ranges"),
            },
            35..55 => Query::Ip(IpAddr::V4(Ipv4Addr::from(rng.next() as u32))),
            55..60 if !v6.is_empty() && rng.percent() < 50 => match v6[rng.below(v6.len())].entry {
                Entry::Cidr(Cidr::V6 { net, len }) => {
                    let host = (u128::from(rng.next()) << 64 | u128::from(rng.next()))
                        & (u128::MAX >> len);
                    Query::Ip(IpAddr::V6(Ipv6Addr::from(net | host)))
                }
                _ => unreachable!("filtered to IPv6 ranges"),
            },
            55..60 => Query::Ip(IpAddr::V6(Ipv6Addr::from(
                u128::from(rng.next()) << 64 | u128::from(rng.next()),
            ))),
            60..90 if !domains.is_empty() => match &domains[rng.below(domains.len())].entry {
                Entry::Domain(d) => Query::Host(match rng.percent() {
                    0..20 => d.as_str().to_string(),
                    20..70 => format!("www.{d}"),
                    _ => format!("mail{}.{}.{d}", rng.below(9), WORDS[rng.below(WORDS.len())]),
                }),
                _ => unreachable!("filtered to domains"),
            },
            _ => Query::Host(format!(
                "host{}.example{}.com",
                rng.below(1000),
                rng.below(100)
            )),
        })
        .collect()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn rate(n: usize, d: Duration) -> f64 {
    n as f64 / d.as_secs_f64().max(1e-9)
}

fn per_second(r: f64) -> String {
    format!("{:.2} M/s", r / 1e6)
}

/// Runs `f` over every query `runs` times and returns the median time per run.
fn time_runs<T>(runs: usize, items: &[T], mut f: impl FnMut(&T) -> bool) -> (Duration, usize) {
    let mut times = Vec::with_capacity(runs);
    let mut hits = 0;
    // One warm-up run brings the tables into the caches, as they are when serving.
    for run in 0..=runs {
        let start = Instant::now();
        let mut h = 0usize;
        for q in items {
            h += usize::from(f(black_box(q)));
        }
        let took = start.elapsed();
        if run > 0 {
            times.push(took);
            hits = black_box(h);
        }
    }
    (median(times), hits)
}

/// Builds a random constituency, runs the lookups on this thread and prints the figures.
pub fn constituency_bench(o: &Options) -> Result<(), String> {
    if o.lookups == 0 || o.runs == 0 {
        return Err("--lookups and --runs must be at least 1".into());
    }
    let mut rng = Rng(o.seed);
    let claims = constituency(o, &mut rng);
    let v4_count = claims
        .iter()
        .filter(|c| matches!(c.entry, Entry::Cidr(Cidr::V4 { .. })))
        .count();
    let qs = queries(&claims, o.lookups, &mut rng);
    let texts: Vec<String> = qs
        .iter()
        .enumerate()
        .map(|(i, q)| match q {
            // A third of the host names arrive as URLs, as they do in feeds.
            Query::Host(h) if i % 3 == 0 => format!("http://{h}/index.php"),
            q => q.to_string(),
        })
        .collect();
    let baseline_keys: Vec<u32> = qs
        .iter()
        .map(|q| match q {
            Query::Ip(IpAddr::V4(a)) => u32::from(*a),
            _ => rng.next() as u32,
        })
        .collect();
    let started = Instant::now();
    let index = Index::build(claims.clone());
    let build = started.elapsed();
    let mut exact: HashMap<u32, Uuid> = HashMap::with_capacity(v4_count);
    for c in &claims {
        if let Entry::Cidr(Cidr::V4 { net, .. }) = c.entry {
            exact.insert(net, c.org);
        }
    }

    let (typed, hits) = time_runs(o.runs, &qs, |q| index.lookup(q).is_some());
    let (text, _) = time_runs(o.runs, &texts, |t| {
        Query::parse(t)
            .ok()
            .and_then(|p| index.lookup(&p.query).map(|h| h.claim.org))
            .is_some()
    });
    let (base, _) = time_runs(o.runs, &baseline_keys, |k| exact.contains_key(k));
    let (ips, hosts): (Vec<Query>, Vec<Query>) =
        qs.iter().cloned().partition(|q| matches!(q, Query::Ip(_)));
    let (t_ips, _) = time_runs(o.runs, &ips, |q| index.lookup(q).is_some());
    let (t_hosts, _) = time_runs(o.runs, &hosts, |q| index.lookup(q).is_some());
    let (r_typed, r_text, r_base) = (
        rate(o.lookups, typed),
        rate(o.lookups, text),
        rate(o.lookups, base),
    );
    println!(
        "constituency: {} ranges ({} IPv4, {} IPv6), {} domains, 500 organisations, seed {}",
        o.ranges,
        v4_count,
        o.ranges - v4_count,
        o.domains,
        o.seed
    );
    println!("index built in {:.1} ms", build.as_secs_f64() * 1e3);
    println!(
        "queries: 35% IPv4 in a claimed range, 20% random IPv4, 5% IPv6, 30% hosts under a claimed domain, 10% unclaimed hosts; {:.1}% answered",
        hits as f64 * 100.0 / o.lookups as f64
    );
    println!(
        "lookups, parsed queries:          {} lookups in {:>8.2} ms = {} (median of {} runs, one thread)",
        o.lookups,
        typed.as_secs_f64() * 1e3,
        per_second(r_typed),
        o.runs
    );
    println!(
        "  of which IP addresses:          {} lookups in {:>8.2} ms = {}",
        ips.len(),
        t_ips.as_secs_f64() * 1e3,
        per_second(rate(ips.len(), t_ips))
    );
    println!(
        "  of which host names:            {} lookups in {:>8.2} ms = {}",
        hosts.len(),
        t_hosts.as_secs_f64() * 1e3,
        per_second(rate(hosts.len(), t_hosts))
    );
    println!(
        "lookups from text (parse+lookup): {} lookups in {:>8.2} ms = {}",
        o.lookups,
        text.as_secs_f64() * 1e3,
        per_second(r_text)
    );
    println!(
        "baseline HashMap<u32, Uuid> get:  {} lookups in {:>8.2} ms = {}",
        o.lookups,
        base.as_secs_f64() * 1e3,
        per_second(r_base)
    );
    println!(
        "ratio to baseline: parsed {:.2}, from text {:.2}",
        r_typed / r_base,
        r_text / r_base
    );
    let met = r_typed >= TARGET && r_text >= TARGET;
    println!(
        "target >= 1,000,000 lookups/s on one core: {}",
        if met { "met" } else { "NOT met" }
    );
    Ok(())
}
