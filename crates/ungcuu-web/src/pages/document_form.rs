//! The per-field form of a document draft (Mẫu 03, 04, 05): one labelled input per field of the
//! official form, in its order and with the labels the DOCX and PDF print — the same constants,
//! `ungcuu_reports::labels`, and the annex's instructions under the boxes that have one.
//!
//! Each input is named by the field's path in the form's JSON (`header.place`,
//! `detection.ids`, `rows.DOS.count`), so saving reads the stored JSON, writes the posted
//! fields into it and hands the whole to `core_documents::edit`, the same service as the JSON
//! API. A field that is not posted keeps its stored value. A checkbox is preceded by a hidden
//! input of the same name with the value `false`; browsers send a ticked box after it, and the
//! last value of a name wins, so an unticked box is an explicit `false`.

use crate::ctx::Ctx;
use serde_json::{Value, json};
use std::collections::HashMap;
use ungcuu_reports::labels as l;
use ungcuu_reports::model::{DateTimeVn, DateVn, IncidentType};

/// A label: the statutory wording the form prints (`ungcuu_reports::labels`, shown as is in
/// both languages), or an interface key for what is the edit form's own — the administrative
/// header the annex does not have, and the few groupings and inputs that have no printed label
/// of their own (the unit test `the_edit_form_shows_the_annex_wording` holds the line).
#[derive(Clone, Copy)]
enum Label {
    Form(&'static str),
    Key(&'static str),
}

/// What a field holds and how it is typed in.
#[derive(Clone, Copy)]
enum Kind {
    /// One line of text.
    Text,
    /// Several lines of text.
    Area,
    /// A list, one item per line.
    Lines,
    /// Yes/no.
    Check,
    /// One of several values, or none when `optional`; the option labels are statutory.
    Choice {
        options: &'static [(&'static str, &'static str)],
        optional: bool,
    },
    /// Có / Không, or not answered.
    YesNo,
    /// Cấp độ 1 to 5, or none.
    Level,
    /// Date and time of day.
    DateTime,
    /// A date.
    Date,
    /// `YYYY-MM` into `<prefix>_month` / `<prefix>_year` of the parent object.
    Month,
    /// A count, 0 or more (an empty cell is 0).
    Count,
    /// An amount in đồng, or none.
    Money,
}

/// One field of a form.
#[derive(Clone, Copy)]
struct Spec {
    name: &'static str,
    label: Label,
    required: bool,
    kind: Kind,
    /// The annex's instruction printed with the field (statutory, shown as is), or "".
    hint: &'static str,
    /// An interface key for a help text of the edit form's own, or "".
    help: &'static str,
}

/// A field with its statutory label.
const fn f(name: &'static str, label: &'static str, required: bool, kind: Kind) -> Spec {
    Spec {
        name,
        label: Label::Form(label),
        required,
        kind,
        hint: "",
        help: "",
    }
}

/// A field with its statutory label and the edit form's own help text.
const fn fh(
    name: &'static str,
    label: &'static str,
    required: bool,
    kind: Kind,
    help: &'static str,
) -> Spec {
    Spec {
        help,
        ..f(name, label, required, kind)
    }
}

/// A field with its statutory label and the annex's instruction.
const fn fi(
    name: &'static str,
    label: &'static str,
    required: bool,
    kind: Kind,
    hint: &'static str,
) -> Spec {
    Spec {
        hint,
        ..f(name, label, required, kind)
    }
}

/// A field the annex gives no label of its own: the edit form's interface key.
const fn own(name: &'static str, key: &'static str, required: bool, kind: Kind) -> Spec {
    Spec {
        name,
        label: Label::Key(key),
        required,
        kind,
        hint: "",
        help: "",
    }
}

/// A part of the form, as the official form groups its questions.
struct SectionSpec {
    title: Label,
    /// The form marks the whole group (*): at least one of its choices is needed.
    required: bool,
    fields: Vec<Spec>,
    /// Mẫu 05's table 1 instead of fields.
    table: bool,
}

/// A group under a statutory heading.
fn section(title: &'static str, required: bool, fields: Vec<Spec>) -> SectionSpec {
    SectionSpec {
        title: Label::Form(title),
        required,
        fields,
        table: false,
    }
}

/// A group of the edit form's own (the annex prints its fields without a heading).
fn own_section(key: &'static str, fields: Vec<Spec>) -> SectionSpec {
    SectionSpec {
        title: Label::Key(key),
        required: false,
        fields,
        table: false,
    }
}

const STATUS: &[(&str, &str)] = &[
    ("handled", l::STATUS_HANDLED),
    ("not_handled", l::STATUS_NOT_HANDLED),
];
const PERIOD_KIND: &[(&str, &str)] = &[("six_months", l::SIX_MONTHS), ("annual", l::ANNUAL)];

/// The fields of Mẫu 05's table 1 after the incident type, in the order of the headings
/// `l::MAU05_COLUMNS[1..]`.
const TABLE_COLUMNS: [&str; 6] = [
    "count",
    "self_handled",
    "domestic_help",
    "foreign_help",
    "coordinator_help",
    "estimated_damage_vnd",
];

/// The administrative header every form carries; number and date come at issue.
fn header() -> SectionSpec {
    let k = |name, key, required, kind| own(name, key, required, kind);
    SectionSpec {
        title: Label::Key("document.fields.header"),
        required: false,
        fields: vec![
            k(
                "header.owning_body",
                "document.fields.owning_body",
                false,
                Kind::Text,
            ),
            k(
                "header.issuing_org",
                "document.fields.issuing_org",
                true,
                Kind::Text,
            ),
            k("header.place", "document.fields.place", true, Kind::Text),
            k("header.title", "document.fields.title", false, Kind::Text),
            Spec {
                help: "document.fields.lines_help",
                ..k(
                    "header.recipients",
                    "document.fields.recipients",
                    false,
                    Kind::Lines,
                )
            },
            Spec {
                help: "document.fields.signer_title_help",
                ..k(
                    "header.signer_title",
                    "document.fields.signer_title",
                    true,
                    Kind::Area,
                )
            },
            k(
                "header.signer_name",
                "document.fields.signer_name",
                true,
                Kind::Text,
            ),
        ],
        table: false,
    }
}

fn reporter(title: &'static str) -> SectionSpec {
    section(
        title,
        false,
        vec![
            f("reporter.name", l::REPORTER_NAME, true, Kind::Text),
            f("reporter.address", l::REPORTER_ADDRESS, true, Kind::Text),
            f("reporter.phone", l::PHONE, true, Kind::Text),
            f("reporter.email", l::EMAIL, true, Kind::Text),
        ],
    )
}

fn system(form: &str) -> SectionSpec {
    let mau03 = form == "mau03";
    let mut fields = vec![
        f("system.operator", l::SYSTEM_OPERATOR, true, Kind::Text),
        f("system.owner", l::SYSTEM_OWNER, false, Kind::Text),
        fh(
            "system.system_name",
            l::SYSTEM_NAME,
            false,
            Kind::Text,
            "document.fields.system_name_help",
        ),
        f(
            "system.security_level",
            if mau03 {
                l::MAU03_SECURITY_LEVEL
            } else {
                l::MAU04_SECURITY_LEVEL
            },
            false,
            Kind::Level,
        ),
    ];
    if mau03 {
        fields.push(f(
            "system.security_provider",
            l::SECURITY_PROVIDER,
            false,
            Kind::Text,
        ));
        fields.push(f(
            "system.connectivity_provider",
            l::CONNECTIVITY_PROVIDER,
            false,
            Kind::Text,
        ));
    }
    section(l::SYSTEM, false, fields)
}

/// The detection date and time: one input for the annex's two cells ("Ngày phát hiện sự cố (*)"
/// and "Thời gian phát hiện (*):").
const DETECTED_AT: Spec = own(
    "detected_at",
    "document.fields.detected_at",
    true,
    Kind::DateTime,
);

fn mau03() -> Vec<SectionSpec> {
    vec![
        header(),
        reporter(l::MAU03_REPORTER),
        section(
            l::CONTACT,
            false,
            vec![
                f("contact.full_name", l::CONTACT_NAME, true, Kind::Text),
                f("contact.position", l::CONTACT_POSITION, false, Kind::Text),
                f("contact.phone", l::PHONE, true, Kind::Text),
                f("contact.email", l::EMAIL, true, Kind::Text),
            ],
        ),
        system("mau03"),
        own_section(
            "document.fields.incident",
            vec![
                fi(
                    "description",
                    l::DESCRIPTION,
                    true,
                    Kind::Area,
                    l::DESCRIPTION_HINT,
                ),
                DETECTED_AT,
                f(
                    "status",
                    l::STATUS,
                    true,
                    Kind::Choice {
                        options: STATUS,
                        optional: true,
                    },
                ),
            ],
        ),
        section(
            l::DETECTION,
            true,
            vec![
                f("detection.ids", l::DETECTION_IDS, false, Kind::Check),
                f(
                    "detection.log_review",
                    l::DETECTION_LOG_REVIEW,
                    false,
                    Kind::Check,
                ),
                f(
                    "detection.notified_by",
                    l::DETECTION_NOTIFIED_BY,
                    false,
                    Kind::Text,
                ),
                f("detection.other", l::DETECTION_OTHER, false, Kind::Text),
            ],
        ),
        section(
            l::NOTIFIED,
            true,
            vec![
                f(
                    "notified.network_member",
                    l::NOTIFIED_NETWORK_MEMBER,
                    false,
                    Kind::Check,
                ),
                f("notified.isp", l::NOTIFIED_ISP, false, Kind::Check),
                f(
                    "notified.coordinator",
                    l::NOTIFIED_COORDINATOR,
                    false,
                    Kind::Check,
                ),
            ],
        ),
        section(
            l::ADDITIONAL,
            false,
            vec![
                f("operating_system", l::OPERATING_SYSTEM, false, Kind::Text),
                f("os_version", l::OS_VERSION, false, Kind::Text),
            ],
        ),
        section(
            l::SERVICES,
            false,
            vec![
                f("services.web_server", l::WEB_SERVER, false, Kind::Check),
                f("services.mail_server", l::MAIL_SERVER, false, Kind::Check),
                f(
                    "services.database_server",
                    l::DATABASE_SERVER,
                    false,
                    Kind::Check,
                ),
                f("services.other", l::SERVICES_OTHER, false, Kind::Text),
            ],
        ),
        section(
            l::MEASURES,
            false,
            vec![
                f("measures.antivirus", l::ANTIVIRUS, false, Kind::Check),
                f("measures.firewall", l::FIREWALL, false, Kind::Check),
                f("measures.ids", l::MEASURES_IDS, false, Kind::Check),
                f("measures.other", l::OTHER, false, Kind::Text),
            ],
        ),
        own_section(
            "document.fields.system_details",
            vec![
                fh(
                    "ip_addresses",
                    l::IP_ADDRESSES,
                    false,
                    Kind::Lines,
                    "document.fields.lines_help",
                ),
                fh(
                    "domains",
                    l::DOMAINS,
                    false,
                    Kind::Lines,
                    "document.fields.lines_help",
                ),
                f("purpose", l::PURPOSE, false, Kind::Text),
            ],
        ),
        section(
            l::ENCLOSED,
            false,
            vec![
                f("enclosed.system_logs", l::SYSTEM_LOGS, false, Kind::Check),
                f(
                    "enclosed.malware_sample",
                    l::MALWARE_SAMPLE,
                    false,
                    Kind::Check,
                ),
                f("enclosed.other", l::OTHER, false, Kind::Text),
                f("confidential", l::CONFIDENTIAL, false, Kind::YesNo),
            ],
        ),
        section(
            l::PROPOSALS,
            false,
            vec![fi(
                "proposals",
                l::PROPOSALS_CAPTION,
                false,
                Kind::Area,
                l::PROPOSALS_HINT,
            )],
        ),
        // The heading carries the (*); the input is labelled with the format the annex
        // prints after the time.
        section(
            l::REPORTED_AT,
            false,
            vec![f(
                "reported_at",
                l::REPORTED_AT_FORMAT,
                true,
                Kind::DateTime,
            )],
        ),
    ]
}

fn mau04() -> Vec<SectionSpec> {
    vec![
        header(),
        reporter(l::MAU04_REPORTER),
        section(
            l::INITIAL_REPORT,
            false,
            vec![
                f(
                    "initial_report_number",
                    l::INITIAL_REPORT_NUMBER,
                    true,
                    Kind::Text,
                ),
                f(
                    "initial_report_date",
                    l::INITIAL_REPORT_DATE,
                    true,
                    Kind::Date,
                ),
            ],
        ),
        system("mau04"),
        own_section(
            "document.fields.incident",
            vec![
                f("description", l::MAU04_DESCRIPTION, false, Kind::Area),
                DETECTED_AT,
                fi("result", l::RESULT, false, Kind::Area, l::RESULT_HINT),
                Spec {
                    help: "document.fields.lines_help",
                    ..fi(
                        "attachments",
                        l::ATTACHMENTS,
                        false,
                        Kind::Lines,
                        l::ATTACHMENTS_HINT,
                    )
                },
            ],
        ),
    ]
}

fn mau05() -> Vec<SectionSpec> {
    vec![
        header(),
        own_section(
            "document.fields.summary",
            vec![
                f("addressee", l::ADDRESSEE, true, Kind::Text),
                own(
                    "period.kind",
                    "document.fields.period_kind",
                    true,
                    Kind::Choice {
                        options: PERIOD_KIND,
                        optional: false,
                    },
                ),
                f("period.from", l::PERIOD_FROM, true, Kind::Month),
                own("period.to", "document.fields.period_to", true, Kind::Month),
                f("organisation_name", l::ORGANISATION_NAME, true, Kind::Text),
                f("address", l::ADDRESS, true, Kind::Text),
                f("member_code", l::MEMBER_CODE, false, Kind::Text),
            ],
        ),
        SectionSpec {
            title: Label::Form(l::TABLE),
            required: false,
            fields: table_fields(),
            table: true,
        },
        section(
            l::DOMESTIC_HELPERS,
            false,
            vec![Spec {
                help: "document.fields.lines_help",
                ..own(
                    "domestic_helpers",
                    "document.fields.domestic_helpers",
                    false,
                    Kind::Lines,
                )
            }],
        ),
        section(
            l::FOREIGN_HELPERS,
            false,
            vec![Spec {
                help: "document.fields.lines_help",
                ..own(
                    "foreign_helpers",
                    "document.fields.foreign_helpers",
                    false,
                    Kind::Lines,
                )
            }],
        ),
        section(
            l::MAU05_PROPOSALS,
            false,
            vec![own(
                "proposals",
                "document.fields.mau05_proposals",
                false,
                Kind::Area,
            )],
        ),
    ]
}

/// The serde name of an incident type (`DOS`), the key of its row.
fn type_key(t: IncidentType) -> String {
    serde_json::to_value(t)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Names like `rows.DOS.count`, leaked once: the table's field names are as static as the rest.
fn table_fields() -> Vec<Spec> {
    static NAMES: std::sync::LazyLock<Vec<(&'static str, &'static str, bool)>> =
        std::sync::LazyLock::new(|| {
            IncidentType::ALL
                .iter()
                .flat_map(|&t| {
                    TABLE_COLUMNS.iter().map(move |col| {
                        let name: &'static str =
                            Box::leak(format!("rows.{}.{col}", type_key(t)).into_boxed_str());
                        (name, t.label(), *col == "estimated_damage_vnd")
                    })
                })
                .collect()
        });
    NAMES
        .iter()
        .map(|&(name, label, money)| {
            f(
                name,
                label,
                false,
                if money { Kind::Money } else { Kind::Count },
            )
        })
        .collect()
}

fn specs(form: &str) -> Vec<SectionSpec> {
    match form {
        "mau03" => mau03(),
        "mau04" => mau04(),
        _ => mau05(),
    }
}

// ---- reading the stored JSON as the strings the inputs show ----

fn get<'a>(v: &'a Value, path: &str) -> &'a Value {
    path.split('.')
        .fold(v, |v, k| v.get(k).unwrap_or(&Value::Null))
}

/// The row of `key` in `rows`, if there is one.
fn row<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v.get("rows")?
        .as_array()?
        .iter()
        .find(|r| r["incident_type"] == key)
}

fn two(v: &Value) -> String {
    format!("{:02}", v.as_u64().unwrap_or(0))
}

/// The value an input shows for the stored data.
fn shown(data: &Value, s: &Spec) -> String {
    match s.kind {
        Kind::Count | Kind::Money if s.name.starts_with("rows.") => {
            let mut p = s.name.splitn(3, '.').skip(1);
            let (key, col) = (p.next().unwrap_or(""), p.next().unwrap_or(""));
            match row(data, key).map(|r| &r[col]) {
                Some(Value::Number(n)) => n.to_string(),
                _ if matches!(s.kind, Kind::Count) => "0".into(),
                _ => String::new(),
            }
        }
        Kind::Month => {
            let (parent, prefix) = s.name.rsplit_once('.').unwrap_or(("", s.name));
            let o = get(data, parent);
            let (m, y) = (&o[format!("{prefix}_month")], &o[format!("{prefix}_year")]);
            if m.as_u64().unwrap_or(0) == 0 {
                String::new()
            } else {
                format!("{:04}-{}", y.as_u64().unwrap_or(0), two(m))
            }
        }
        _ => {
            let v = get(data, s.name);
            match (s.kind, v) {
                (_, Value::Null) => String::new(),
                (Kind::Lines, Value::Array(a)) => a
                    .iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join("\n"),
                (Kind::Check | Kind::YesNo, Value::Bool(b)) => b.to_string(),
                (Kind::DateTime, v) => format!(
                    "{:04}-{}-{}T{}:{}",
                    v["date"]["year"].as_u64().unwrap_or(0),
                    two(&v["date"]["month"]),
                    two(&v["date"]["day"]),
                    two(&v["hour"]),
                    two(&v["minute"])
                ),
                (Kind::Date, v) => format!(
                    "{:04}-{}-{}",
                    v["year"].as_u64().unwrap_or(0),
                    two(&v["month"]),
                    two(&v["day"])
                ),
                (_, Value::String(s)) => s.clone(),
                (_, v) => v.to_string(),
            }
        }
    }
}

// ---- writing posted strings into the JSON ----

fn set(v: &mut Value, path: &str, new: Value) {
    let mut cur = v;
    for k in path.split('.') {
        if !cur.is_object() {
            *cur = json!({});
        }
        cur = cur
            .as_object_mut()
            .expect("an object")
            .entry(k.to_string())
            .or_insert(Value::Null);
    }
    *cur = new;
}

fn digits<T: std::str::FromStr>(s: &str, len: usize) -> Option<T> {
    (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// `YYYY-MM-DD`, an existing date.
fn parse_date(s: &str) -> Option<DateVn> {
    let mut p = s.split('-');
    let (y, m, d) = (p.next()?, p.next()?, p.next()?);
    if p.next().is_some() {
        return None;
    }
    let d = DateVn::new(digits(d, 2)?, digits(m, 2)?, digits(y, 4)?);
    d.is_valid().then_some(d)
}

/// `YYYY-MM-DDTHH:MM`, seconds allowed and ignored (what `datetime-local` sends).
fn parse_datetime(s: &str) -> Option<DateTimeVn> {
    let (d, t) = s.split_once('T')?;
    let d = parse_date(d)?;
    let mut p = t.split(':');
    let (h, m) = (p.next()?, p.next()?);
    if let Some(sec) = p.next()
        && (p.next().is_some()
            || sec
                .split('.')
                .next()
                .and_then(|x| digits::<u8>(x, 2))
                .is_none())
    {
        return None;
    }
    let dt = DateTimeVn {
        date: d,
        hour: digits(h, 2)?,
        minute: digits(m, 2)?,
    };
    dt.is_valid().then_some(dt)
}

/// `YYYY-MM`.
fn parse_month(s: &str) -> Option<(u8, u16)> {
    let (y, m) = s.split_once('-')?;
    let (m, y): (u8, u16) = (digits(m, 2)?, digits(y, 4)?);
    ((1..=12).contains(&m) && y >= 1900).then_some((m, y))
}

/// Digits, with the dots or spaces that group thousands in Vietnamese allowed.
fn parse_number<T: std::str::FromStr>(s: &str) -> Option<T> {
    let plain: String = s.chars().filter(|c| !matches!(c, '.' | ' ')).collect();
    if plain.is_empty() || !plain.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    plain.parse().ok()
}

/// Writes one posted value into `data`, or names the interface key of what is wrong with it.
fn apply(data: &mut Value, s: &Spec, raw: &str) -> Result<(), &'static str> {
    // Text is stored in NFC, as everywhere (a browser sends what the keyboard made).
    let text = ungcuu_domain::text::nfc(&raw.replace("\r\n", "\n"));
    let t = text.trim();
    let value = match s.kind {
        Kind::Text | Kind::Area => Value::String(text.clone()),
        Kind::Lines => Value::Array(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(|l| Value::String(l.to_string()))
                .collect(),
        ),
        Kind::Check => match t {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => return Err("document.err.choice"),
        },
        Kind::YesNo => match t {
            "" => Value::Null,
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => return Err("document.err.choice"),
        },
        Kind::Choice { options, optional } => {
            if t.is_empty() && optional {
                Value::Null
            } else if options.iter().any(|(v, _)| *v == t) {
                Value::String(t.to_string())
            } else {
                return Err("document.err.choice");
            }
        }
        Kind::Level => match t {
            "" => Value::Null,
            _ => match digits::<u8>(t, 1) {
                Some(l @ 1..=5) => json!(l),
                _ => return Err("document.err.level"),
            },
        },
        Kind::DateTime if t.is_empty() => Value::Null,
        Kind::DateTime => match parse_datetime(t) {
            Some(d) => serde_json::to_value(d).unwrap_or_default(),
            None => return Err("document.err.datetime"),
        },
        Kind::Date if t.is_empty() => Value::Null,
        Kind::Date => match parse_date(t) {
            Some(d) => serde_json::to_value(d).unwrap_or_default(),
            None => return Err("document.err.date"),
        },
        Kind::Month => {
            let Some((m, y)) = parse_month(t) else {
                return Err("document.err.month");
            };
            let (parent, prefix) = s.name.rsplit_once('.').unwrap_or(("", s.name));
            set(data, &format!("{parent}.{prefix}_month"), json!(m));
            set(data, &format!("{parent}.{prefix}_year"), json!(y));
            return Ok(());
        }
        Kind::Count if t.is_empty() => json!(0),
        Kind::Count => match parse_number::<u32>(t) {
            Some(n) => json!(n),
            None => return Err("document.err.number"),
        },
        Kind::Money if t.is_empty() => Value::Null,
        Kind::Money => match parse_number::<u64>(t) {
            Some(n) => json!(n),
            None => return Err("document.err.number"),
        },
    };
    if let Some(rest) = s.name.strip_prefix("rows.") {
        let (key, col) = rest.split_once('.').unwrap_or((rest, ""));
        let rows = match data.get_mut("rows") {
            Some(Value::Array(a)) => a,
            _ => {
                set(data, "rows", json!([]));
                data["rows"].as_array_mut().expect("an array")
            }
        };
        let i = match rows.iter().position(|r| r["incident_type"] == key) {
            Some(i) => i,
            None => {
                rows.push(json!({
                    "incident_type": key, "count": 0, "self_handled": 0, "domestic_help": 0,
                    "foreign_help": 0, "coordinator_help": 0, "estimated_damage_vnd": null
                }));
                rows.len() - 1
            }
        };
        rows[i][col] = value;
    } else {
        set(data, s.name, value);
    }
    Ok(())
}

/// The outcome of reading a posted form.
pub(super) struct Posted {
    /// The stored data with the posted fields written in.
    pub data: Value,
    /// The posted strings by field name (the last value of each name), to show them again.
    pub raw: HashMap<String, String>,
    /// Field name and interface key of each refused value.
    pub errors: Vec<(String, &'static str)>,
}

/// Reads the posted pairs of the form of `form` over the stored `data`. Names starting with `_`
/// (the CSRF token) are not fields; any other name the form does not have is refused.
pub(super) fn read(form: &str, stored: &Value, pairs: &[(String, String)]) -> Posted {
    let specs = specs(form);
    let mut raw = HashMap::new();
    for (k, v) in pairs {
        if !k.starts_with('_') {
            raw.insert(k.clone(), v.clone());
        }
    }
    let mut data = stored.clone();
    let mut errors = Vec::new();
    let mut known = std::collections::HashSet::new();
    for s in specs.iter().flat_map(|s| s.fields.iter()) {
        known.insert(s.name);
        if let Some(v) = raw.get(s.name)
            && let Err(e) = apply(&mut data, s, v)
        {
            errors.push((s.name.to_string(), e));
        }
    }
    let mut unknown: Vec<&String> = raw.keys().filter(|k| !known.contains(k.as_str())).collect();
    unknown.sort();
    for k in unknown {
        errors.push((k.clone(), "document.err.unknown_field"));
    }
    Posted { data, raw, errors }
}

// ---- what the template shows ----

/// One option of a radio group.
pub(super) struct OptView {
    pub id: String,
    pub value: &'static str,
    pub label: String,
    pub checked: bool,
}

/// One input.
pub(super) struct FieldView {
    pub name: &'static str,
    pub id: String,
    pub label: String,
    /// Show the (*) marker: a required field whose printed label does not carry one.
    pub required: bool,
    /// `text`, `textarea`, `lines`, `check`, `radio`, `datetime-local`, `date`, `month`,
    /// `number`.
    pub kind: &'static str,
    pub value: String,
    pub checked: bool,
    pub options: Vec<OptView>,
    /// The annex's instruction (statutory, as printed), or "".
    pub hint: &'static str,
    pub help: &'static str,
    pub error: String,
}

/// One row of Mẫu 05's table.
pub(super) struct TableRowView {
    pub n: usize,
    pub label: &'static str,
    pub cells: Vec<FieldView>,
}

/// One group of the form.
pub(super) struct SectionView {
    pub title: String,
    /// Show the (*) marker: a required group whose printed heading does not carry one.
    pub required: bool,
    pub fields: Vec<FieldView>,
    /// Mẫu 05's table: the heading of the incident-type column, then those of the inputs.
    pub row_heading: &'static str,
    pub columns: Vec<&'static str>,
    pub rows: Vec<TableRowView>,
}

fn id_of(name: &str) -> String {
    format!("f-{}", name.replace('.', "-"))
}

fn label(ctx: &Ctx, l: Label) -> String {
    match l {
        Label::Form(s) => s.to_string(),
        Label::Key(k) => ctx.t(k).to_string(),
    }
}

/// The form of `form` showing `data`, with the posted strings `raw` shown instead where given
/// and each error next to its field.
pub(super) fn view(
    ctx: &Ctx,
    form: &str,
    data: &Value,
    raw: &HashMap<String, String>,
    errors: &[(String, String)],
) -> Vec<SectionView> {
    let field = |s: &Spec| {
        let value = raw.get(s.name).cloned().unwrap_or_else(|| shown(data, s));
        let id = id_of(s.name);
        let opts = |list: &[(&'static str, String)]| -> Vec<OptView> {
            list.iter()
                .map(|(v, l)| OptView {
                    id: format!("{id}-{}", if v.is_empty() { "none" } else { v }),
                    value: v,
                    label: l.clone(),
                    checked: value.trim() == *v,
                })
                .collect()
        };
        let none = ctx.t("document.fields.not_chosen").to_string();
        let (kind, options) = match s.kind {
            Kind::Text => ("text", Vec::new()),
            Kind::Area => ("textarea", Vec::new()),
            Kind::Lines => ("lines", Vec::new()),
            Kind::Check => ("check", Vec::new()),
            Kind::Choice { options, optional } => {
                let mut list: Vec<(&'static str, String)> = Vec::new();
                if optional {
                    list.push(("", none));
                }
                list.extend(options.iter().map(|(v, t)| (*v, t.to_string())));
                ("radio", opts(&list))
            }
            Kind::YesNo => (
                "radio",
                opts(&[("", none), ("true", l::YES.into()), ("false", l::NO.into())]),
            ),
            Kind::Level => {
                let mut list: Vec<(&'static str, String)> = vec![("", none)];
                for (v, t) in ["1", "2", "3", "4", "5"].into_iter().zip(l::LEVELS) {
                    list.push((v, t.to_string()));
                }
                ("radio", opts(&list))
            }
            Kind::DateTime => ("datetime-local", Vec::new()),
            Kind::Date => ("date", Vec::new()),
            Kind::Month => ("month", Vec::new()),
            Kind::Count | Kind::Money => ("number", Vec::new()),
        };
        let label = label(ctx, s.label);
        FieldView {
            name: s.name,
            id,
            required: s.required && !label.contains('*'),
            label,
            kind,
            checked: value.trim() == "true",
            value,
            options,
            hint: s.hint,
            help: if s.help.is_empty() { "" } else { ctx.t(s.help) },
            error: errors
                .iter()
                .filter(|(f, _)| f == s.name)
                .map(|(_, m)| m.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        }
    };
    specs(form)
        .iter()
        .map(|sec| {
            if sec.table {
                // Six inputs a row, in the order of `table_fields`.
                let mut it = sec.fields.iter().map(field);
                let rows = IncidentType::ALL
                    .iter()
                    .enumerate()
                    .map(|(i, t)| TableRowView {
                        n: i + 1,
                        label: t.label(),
                        cells: it.by_ref().take(TABLE_COLUMNS.len()).collect(),
                    })
                    .collect();
                let title = label(ctx, sec.title);
                SectionView {
                    required: sec.required && !title.contains('*'),
                    title,
                    fields: Vec::new(),
                    row_heading: l::MAU05_COLUMNS[0],
                    columns: l::MAU05_COLUMNS[1..].to_vec(),
                    rows,
                }
            } else {
                let title = label(ctx, sec.title);
                SectionView {
                    required: sec.required && !title.contains('*'),
                    title,
                    fields: sec.fields.iter().map(field).collect(),
                    row_heading: "",
                    columns: Vec::new(),
                    rows: Vec::new(),
                }
            }
        })
        .collect()
}

/// Every statutory text the edit form of `form` shows: group headings, labels, the annex's
/// instructions, the options of choices and Mẫu 05's table headings and rows.
#[cfg(test)]
fn statutory(form: &str) -> Vec<&'static str> {
    let mut out = Vec::new();
    for s in specs(form) {
        if let Label::Form(t) = s.title {
            out.push(t);
        }
        if s.table {
            out.extend(l::MAU05_COLUMNS);
            out.extend(IncidentType::ALL.iter().map(|t| t.label()));
        }
        for f in s.fields.iter().filter(|f| !f.name.starts_with("rows.")) {
            if let Label::Form(t) = f.label {
                out.push(t);
            }
            if !f.hint.is_empty() {
                out.push(f.hint);
            }
            match f.kind {
                Kind::Choice { options, .. } => out.extend(options.iter().map(|(_, t)| *t)),
                Kind::YesNo => out.extend([l::YES, l::NO]),
                Kind::Level => out.extend(l::LEVELS),
                _ => {}
            }
        }
    }
    out
}

/// Every interface key the forms use, for the translation test.
#[cfg(test)]
fn keys() -> Vec<&'static str> {
    let mut out = vec!["document.fields.not_chosen"];
    for form in ["mau03", "mau04", "mau05"] {
        for s in specs(form) {
            if let Label::Key(k) = s.title {
                out.push(k);
            }
            for f in s.fields {
                if let Label::Key(k) = f.label {
                    out.push(k);
                }
                if !f.help.is_empty() {
                    out.push(f.help);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ungcuu_reports::model::{Mau03, Mau04, Mau05};

    #[test]
    fn every_key_of_the_forms_is_translated() {
        for k in keys() {
            assert!(crate::i18n::has(k), "{k}");
        }
        for k in [
            "document.err.choice",
            "document.err.level",
            "document.err.datetime",
            "document.err.date",
            "document.err.month",
            "document.err.number",
            "document.err.unknown_field",
        ] {
            assert!(crate::i18n::has(k), "{k}");
        }
    }

    /// NFC, a tab a line break, a run of spaces one space or (when longer) two: the annex's
    /// text separates cells and lines by line breaks and checkboxes by runs of spaces.
    fn spaced(s: &str) -> String {
        let s = ungcuu_domain::text::nfc(s).replace(['\t', '\r'], "\n");
        let mut out = String::new();
        for (i, line) in s.split('\n').enumerate() {
            if i > 0 {
                out.push('\n');
            }
            let mut spaces = 0;
            for c in line.trim().chars() {
                if c == ' ' || c == '\u{a0}' {
                    spaces += 1;
                    continue;
                }
                out.push_str(&"  "[..spaces.min(2)]);
                spaces = 0;
                out.push(c);
            }
        }
        out
    }

    /// Checkboxes, bullets, the dotted blanks to fill in, the brackets and slash of a blank to
    /// choose in ("[06 THÁNG/ 01 NĂM]").
    fn mark(c: char) -> bool {
        matches!(c, '…' | '.' | '▪' | '■' | '□' | '☐' | '[' | ']' | '/')
    }

    /// `label` stands in `annex` as a whole, not as part of a longer wording ("Khác" is not
    /// "Khác:", "Tự xử lý" is not "Số sự cố tự xử lý", "… VNCERT hỗ trợ" is not "… VNCERT hỗ
    /// trợ lý"): on each side a line or cell boundary, a run of spaces, or a mark; a single
    /// space only next to a mark or a colon, or after a label ending in a colon (the value
    /// follows it).
    fn stands_in(annex: &str, label: &str) -> bool {
        let edge = |mut it: std::iter::Peekable<Box<dyn Iterator<Item = char> + '_>>,
                    colon: bool| {
            match it.next() {
                None | Some('\n') => true,
                Some(c) if mark(c) => true,
                // Before the label, a colon ends the previous one ("…: Số ký hiệu").
                Some(' ') => {
                    colon
                        || it
                            .peek()
                            .is_none_or(|&c| matches!(c, ' ' | '\n' | ':') || mark(c))
                }
                _ => false,
            }
        };
        annex.match_indices(label).any(|(i, m)| {
            let before: Box<dyn Iterator<Item = char>> = Box::new(annex[..i].chars().rev());
            let after: Box<dyn Iterator<Item = char>> = Box::new(annex[i + m.len()..].chars());
            edge(before.peekable(), false) && edge(after.peekable(), label.ends_with(':'))
        })
    }

    /// The edit form cannot drift from the printed form again: every statutory text it shows
    /// is the annex's wording (LibreOffice's text of the annex, as the reports crate's annex
    /// test reads it), or one of the deliberate differences `labels::DIFFERENCES` records
    /// (docs/reports.md); what is the form's own is an interface key, translated.
    #[test]
    fn the_edit_form_shows_the_annex_wording() {
        let annex = spaced(include_str!(
            "../../../ungcuu-reports/tests/annex/tt20-2017-mau-03-04-05.txt"
        ));
        for (theirs, ours) in l::DIFFERENCES {
            assert!(stands_in(&annex, &spaced(theirs)), "{theirs}");
            assert_ne!(theirs, ours);
        }
        let mut checked = 0;
        for form in ["mau03", "mau04", "mau05"] {
            for label in statutory(form) {
                let label = spaced(label);
                let ok = stands_in(&annex, &label)
                    || l::DIFFERENCES.iter().any(|(_, ours)| spaced(ours) == label);
                assert!(ok, "{form}: «{label}» is not the annex's wording");
                checked += 1;
            }
        }
        assert!(checked > 100, "{checked}");
        // The check bites: the labels the form showed before it took the printed ones.
        for old in [
            "Tự xử lý",
            "Có sự hỗ trợ của tổ chức trong nước",
            "Yêu cầu hỗ trợ của cơ quan điều phối quốc gia",
            "Khác",
            "Địa chỉ",
            "Ngày báo cáo",
            "Đề xuất, kiến nghị",
            "2. Danh sách tổ chức trong nước đã hỗ trợ xử lý sự cố",
            "Số sự cố đề nghị VNCERT hỗ trợ",
        ] {
            assert!(!stands_in(&annex, old), "{old}");
        }
    }

    /// Every field of each model has an input: the JSON of a full form, posted back as the
    /// strings the inputs show, is read into the same JSON.
    fn round_trip(form: &str, data: Value) {
        let pairs: Vec<(String, String)> = specs(form)
            .iter()
            .flat_map(|s| s.fields.iter())
            .map(|s| (s.name.to_string(), shown(&data, s)))
            .collect();
        let p = read(form, &data, &pairs);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert_eq!(p.data, data, "{form}");
        // The same pairs over an empty form give the same data again: nothing is left out.
        let empty = match form {
            "mau03" => serde_json::to_value(Mau03::default()),
            "mau04" => serde_json::to_value(Mau04::default()),
            _ => serde_json::to_value(Mau05::default()),
        }
        .unwrap();
        let p = read(form, &empty, &pairs);
        let mut expected = data.clone();
        expected["header"]["number"] = json!("");
        expected["header"]["date"] = Value::Null;
        if form == "mau04" {
            // Not printed on Mẫu 04, so not on its form.
            expected["system"]["security_provider"] = json!("");
            expected["system"]["connectivity_provider"] = json!("");
        }
        assert_eq!(p.data, expected, "{form} from empty");
    }

    #[test]
    fn each_form_reads_back_every_field_it_shows() {
        let s = ungcuu_reports::sample::mau03();
        round_trip("mau03", serde_json::to_value(&s).unwrap());
        round_trip(
            "mau04",
            serde_json::to_value(ungcuu_reports::sample::mau04()).unwrap(),
        );
        let mut m5 = ungcuu_reports::sample::mau05();
        m5.rows = m5.full_rows();
        round_trip("mau05", serde_json::to_value(&m5).unwrap());
    }

    #[test]
    fn bad_values_are_named_and_an_unticked_box_is_false() {
        let data = serde_json::to_value(ungcuu_reports::sample::mau03()).unwrap();
        let pairs = |l: &[(&str, &str)]| -> Vec<(String, String)> {
            l.iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect()
        };
        let p = read(
            "mau03",
            &data,
            &pairs(&[
                ("detection.ids", "false"),
                ("detection.log_review", "false"),
                ("detection.log_review", "true"),
                ("contact.position", " Hoa\u{300} "),
                ("_csrf", "x"),
            ]),
        );
        assert!(p.errors.is_empty());
        assert_eq!(p.data["contact"]["position"], "Hoà", "NFC, trimmed");
        assert_eq!(p.data["detection"]["ids"], false);
        assert_eq!(p.data["detection"]["log_review"], true);
        let p = read(
            "mau03",
            &data,
            &pairs(&[
                ("detected_at", "2026-02-30T10:00"),
                ("reported_at", "hôm qua"),
                ("system.security_level", "7"),
                ("status", "maybe"),
                ("nope", "1"),
            ]),
        );
        let fields: Vec<&str> = p.errors.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "system.security_level",
                "detected_at",
                "status",
                "reported_at",
                "nope"
            ]
        );
        let m5 = serde_json::to_value(ungcuu_reports::sample::mau05()).unwrap();
        let p = read(
            "mau05",
            &m5,
            &pairs(&[
                ("rows.DOS.count", "1a"),
                ("rows.SPOOF.estimated_damage_vnd", "1.250.000"),
                ("period.from", "2026-13"),
            ]),
        );
        let fields: Vec<&str> = p.errors.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["period.from", "rows.DOS.count"]);
        let spoof = p.data["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["incident_type"] == "SPOOF")
            .unwrap();
        assert_eq!(spoof["estimated_damage_vnd"], 1_250_000);
        assert_eq!(
            parse_datetime("2026-11-25T14:05:00"),
            Some(DateTimeVn::new(25, 11, 2026, 14, 5))
        );
        assert_eq!(parse_datetime("2026-11-25T24:05"), None);
    }
}
