//! Incidents (sự cố an toàn thông tin mạng): the states of the 11-step response of the plan's
//! Phụ lục III and who may move an incident between them, the incident types of Mẫu 05 with
//! sub-types, TLP 2.0, the severity rule set (sự cố nghiêm trọng), the fields of the initial
//! report (Mẫu 03, TT 20/2017) and the times derived from an incident's events. Pure rules:
//! the services authorise and store, this module decides.

use crate::permissions::Action;
use crate::systems::{normalise_domain, normalise_ip};
use crate::text::nfc;
use crate::validate::{Errors, FieldError};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use time::{Duration, OffsetDateTime};

// ---------------------------------------------------------------------------------------------
// States and transitions
// ---------------------------------------------------------------------------------------------

/// Where an incident stands in the response (Phụ lục III rows 1-11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IncidentState {
    /// Tiếp nhận: the report arrived (row 1).
    Received,
    /// Xác minh: checking that it is real and whose it is (row 1).
    Verifying,
    /// Ứng cứu ban đầu: first priority steps (row 2).
    InitialResponse,
    /// Đề xuất phương án: the operator proposed the response option to the owner (row 3).
    OptionProposed,
    /// Phương án được phê duyệt: the owner approved it (row 3).
    OptionApproved,
    /// Báo cáo Ban Chỉ đạo: a serious incident went to the steering committee (row 4).
    Escalated,
    /// Ngăn chặn: containing and limiting the damage (row 7).
    Containing,
    /// Loại bỏ: removing malware, fixing weaknesses (row 8).
    Eradicating,
    /// Khôi phục: restoring systems and data (row 9).
    Recovering,
    /// Kiểm tra sau khôi phục: checking the system is stable; back to containing if not (row 10).
    VerifyingRecovery,
    /// Tổng kết: root cause, lessons, measures (row 11).
    Review,
    /// Đóng: finished.
    Closed,
    /// Từ chối: not an incident.
    Rejected,
    /// Trùng lặp: reported twice.
    Duplicate,
    /// Gộp: folded into another incident.
    Merged,
}

impl IncidentState {
    /// Every state, in the order of the response.
    pub const ALL: [IncidentState; 15] = [
        IncidentState::Received,
        IncidentState::Verifying,
        IncidentState::InitialResponse,
        IncidentState::OptionProposed,
        IncidentState::OptionApproved,
        IncidentState::Escalated,
        IncidentState::Containing,
        IncidentState::Eradicating,
        IncidentState::Recovering,
        IncidentState::VerifyingRecovery,
        IncidentState::Review,
        IncidentState::Closed,
        IncidentState::Rejected,
        IncidentState::Duplicate,
        IncidentState::Merged,
    ];

    /// The canonical code stored and used in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            IncidentState::Received => "received",
            IncidentState::Verifying => "verifying",
            IncidentState::InitialResponse => "initial_response",
            IncidentState::OptionProposed => "option_proposed",
            IncidentState::OptionApproved => "option_approved",
            IncidentState::Escalated => "escalated",
            IncidentState::Containing => "containing",
            IncidentState::Eradicating => "eradicating",
            IncidentState::Recovering => "recovering",
            IncidentState::VerifyingRecovery => "verifying_recovery",
            IncidentState::Review => "review",
            IncidentState::Closed => "closed",
            IncidentState::Rejected => "rejected",
            IncidentState::Duplicate => "duplicate",
            IncidentState::Merged => "merged",
        }
    }

    /// Its name in Vietnamese and English (also the interface's label, under [`Self::label_key`]).
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            IncidentState::Received => ("Tiếp nhận", "Received"),
            IncidentState::Verifying => ("Đang xác minh", "Verifying"),
            IncidentState::InitialResponse => ("Ứng cứu ban đầu", "Initial response"),
            IncidentState::OptionProposed => ("Đã đề xuất phương án", "Response option proposed"),
            IncidentState::OptionApproved => {
                ("Phương án đã được phê duyệt", "Response option approved")
            }
            IncidentState::Escalated => (
                "Đã báo cáo Ban Chỉ đạo",
                "Escalated to the steering committee",
            ),
            IncidentState::Containing => ("Ngăn chặn, hạn chế thiệt hại", "Containing"),
            IncidentState::Eradicating => ("Loại bỏ mã độc, khắc phục điểm yếu", "Eradicating"),
            IncidentState::Recovering => ("Khôi phục hệ thống", "Recovering"),
            IncidentState::VerifyingRecovery => ("Kiểm tra sau khôi phục", "Verifying recovery"),
            IncidentState::Review => ("Tổng kết, rút kinh nghiệm", "Review"),
            IncidentState::Closed => ("Đã đóng", "Closed"),
            IncidentState::Rejected => ("Không phải sự cố (từ chối)", "Rejected (not an incident)"),
            IncidentState::Duplicate => ("Trùng lặp", "Duplicate"),
            IncidentState::Merged => ("Đã gộp vào sự cố khác", "Merged into another incident"),
        }
    }

    /// Translation key of its label.
    pub fn label_key(self) -> &'static str {
        match self {
            IncidentState::Received => "incident.state.received",
            IncidentState::Verifying => "incident.state.verifying",
            IncidentState::InitialResponse => "incident.state.initial_response",
            IncidentState::OptionProposed => "incident.state.option_proposed",
            IncidentState::OptionApproved => "incident.state.option_approved",
            IncidentState::Escalated => "incident.state.escalated",
            IncidentState::Containing => "incident.state.containing",
            IncidentState::Eradicating => "incident.state.eradicating",
            IncidentState::Recovering => "incident.state.recovering",
            IncidentState::VerifyingRecovery => "incident.state.verifying_recovery",
            IncidentState::Review => "incident.state.review",
            IncidentState::Closed => "incident.state.closed",
            IncidentState::Rejected => "incident.state.rejected",
            IncidentState::Duplicate => "incident.state.duplicate",
            IncidentState::Merged => "incident.state.merged",
        }
    }

    /// True when nothing follows (closed, rejected, duplicate, merged).
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            IncidentState::Closed
                | IncidentState::Rejected
                | IncidentState::Duplicate
                | IncidentState::Merged
        )
    }
}

impl FromStr for IncidentState {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        IncidentState::ALL
            .into_iter()
            .find(|x| x.as_str() == s.trim())
            .ok_or(())
    }
}

impl fmt::Display for IncidentState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whose step a transition is. Each gate is an action of the permission table, checked on the
/// incident's owner organisation (the coordinator holds them all, province-wide).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Gate {
    /// The owner's security officer drives the response (operator's steps, rows 1-3, 5, 7-10).
    Handle,
    /// The owner's approver decides on the proposed response option (row 3).
    Approve,
    /// The coordinator triages (reject, duplicate, merge) and closes (row 11).
    Coordinate,
}

impl Gate {
    /// The action it needs.
    pub fn action(self) -> Action {
        match self {
            Gate::Handle => Action::IncidentHandle,
            Gate::Approve => Action::IncidentApprove,
            Gate::Coordinate => Action::IncidentCoordinate,
        }
    }

    /// Translation key of the refusal when the person lacks the gate's role.
    pub fn refusal_key(self) -> &'static str {
        match self {
            Gate::Handle => "incident.err.needs_handler",
            Gate::Approve => "incident.err.needs_approver",
            Gate::Coordinate => "incident.err.needs_coordinator",
        }
    }
}

use IncidentState as S;

/// Every allowed transition: (from, to, gate). Anything not listed is refused.
pub const TRANSITIONS: &[(IncidentState, IncidentState, Gate)] = &[
    (S::Received, S::Verifying, Gate::Handle),
    (S::Received, S::Rejected, Gate::Coordinate),
    (S::Received, S::Duplicate, Gate::Coordinate),
    (S::Received, S::Merged, Gate::Coordinate),
    (S::Verifying, S::InitialResponse, Gate::Handle),
    (S::Verifying, S::Rejected, Gate::Coordinate),
    (S::Verifying, S::Duplicate, Gate::Coordinate),
    (S::Verifying, S::Merged, Gate::Coordinate),
    (S::InitialResponse, S::OptionProposed, Gate::Handle),
    (S::InitialResponse, S::Duplicate, Gate::Coordinate),
    (S::InitialResponse, S::Merged, Gate::Coordinate),
    (S::OptionProposed, S::OptionApproved, Gate::Approve),
    // The owner sends the option back for rework.
    (S::OptionProposed, S::InitialResponse, Gate::Approve),
    (S::OptionApproved, S::Escalated, Gate::Handle),
    (S::OptionApproved, S::Containing, Gate::Handle),
    (S::Escalated, S::Containing, Gate::Handle),
    (S::Containing, S::Eradicating, Gate::Handle),
    (S::Eradicating, S::Recovering, Gate::Handle),
    (S::Recovering, S::VerifyingRecovery, Gate::Handle),
    // Row 10: not stable, investigate again from containment.
    (S::VerifyingRecovery, S::Containing, Gate::Handle),
    (S::VerifyingRecovery, S::Review, Gate::Handle),
    (S::Review, S::Closed, Gate::Coordinate),
];

/// The gate of `from → to`, if the machine allows it at all.
pub fn gate(from: IncidentState, to: IncidentState) -> Option<Gate> {
    TRANSITIONS
        .iter()
        .find(|(f, t, _)| *f == from && *t == to)
        .map(|(_, _, g)| *g)
}

/// The transitions out of `from`, in table order.
pub fn next_states(from: IncidentState) -> Vec<(IncidentState, Gate)> {
    TRANSITIONS
        .iter()
        .filter(|(f, _, _)| *f == from)
        .map(|(_, t, g)| (*t, *g))
        .collect()
}

/// True when `from → to` must say why (a refusal, a step back).
pub fn needs_comment(from: IncidentState, to: IncidentState) -> bool {
    matches!(to, S::Rejected | S::Duplicate | S::Merged)
        || (from, to) == (S::OptionProposed, S::InitialResponse)
        || (from, to) == (S::VerifyingRecovery, S::Containing)
}

/// What the machine needs to know about the incident besides its state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TransitionFacts {
    /// The incident is serious (after any override).
    pub serious: bool,
    /// The review (root cause, lessons, measures) is filled in.
    pub review_complete: bool,
    /// The request carries a comment.
    pub has_comment: bool,
}

/// Why the machine refuses a transition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No such step from the current state.
    NotAllowed,
    /// Only a serious incident goes to the steering committee.
    OnlySerious,
    /// A serious incident is escalated before containment starts.
    EscalateFirst,
    /// Closing needs the completed review.
    ReviewMissing,
    /// This step must say why.
    CommentRequired,
}

impl Refusal {
    /// Translation key of the message.
    pub fn code(self) -> &'static str {
        match self {
            Refusal::NotAllowed => "incident.err.transition",
            Refusal::OnlySerious => "incident.err.escalate_ordinary",
            Refusal::EscalateFirst => "incident.err.escalate_first",
            Refusal::ReviewMissing => "incident.err.review_missing",
            Refusal::CommentRequired => "incident.err.comment_required",
        }
    }
}

/// Checks `from → to` against the machine; returns the gate the caller must pass.
pub fn check_transition(
    from: IncidentState,
    to: IncidentState,
    facts: TransitionFacts,
) -> Result<Gate, Refusal> {
    let g = gate(from, to).ok_or(Refusal::NotAllowed)?;
    if to == S::Escalated && !facts.serious {
        return Err(Refusal::OnlySerious);
    }
    if (from, to) == (S::OptionApproved, S::Containing) && facts.serious {
        return Err(Refusal::EscalateFirst);
    }
    if to == S::Closed && !facts.review_complete {
        return Err(Refusal::ReviewMissing);
    }
    if needs_comment(from, to) && !facts.has_comment {
        return Err(Refusal::CommentRequired);
    }
    Ok(g)
}

// ---------------------------------------------------------------------------------------------
// Classification
// ---------------------------------------------------------------------------------------------

/// The incident types of Mẫu 05 (TT 20/2017), one row each in the 6-monthly summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IncidentType {
    /// Từ chối dịch vụ.
    Dos,
    /// Tấn công giả mạo.
    Spoof,
    /// Tấn công sử dụng mã độc.
    Malware,
    /// Truy cập trái phép, chiếm quyền điều khiển.
    Intrusion,
    /// Thay đổi giao diện.
    Deface,
    /// Mã hóa phần mềm, dữ liệu, thiết bị.
    Encrypt,
    /// Phá hoại thông tin, dữ liệu, phần mềm.
    Destroy,
    /// Nghe trộm, gián điệp, lấy cắp thông tin, dữ liệu.
    Espionage,
    /// Tấn công tổng hợp sử dụng kết hợp nhiều hình thức.
    Combined,
    /// Các hình thức tấn công khác.
    Other,
}

impl IncidentType {
    /// Every type, in the order of Mẫu 05.
    pub const ALL: [IncidentType; 10] = [
        IncidentType::Dos,
        IncidentType::Spoof,
        IncidentType::Malware,
        IncidentType::Intrusion,
        IncidentType::Deface,
        IncidentType::Encrypt,
        IncidentType::Destroy,
        IncidentType::Espionage,
        IncidentType::Combined,
        IncidentType::Other,
    ];

    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            IncidentType::Dos => "dos",
            IncidentType::Spoof => "spoof",
            IncidentType::Malware => "malware",
            IncidentType::Intrusion => "intrusion",
            IncidentType::Deface => "deface",
            IncidentType::Encrypt => "encrypt",
            IncidentType::Destroy => "destroy",
            IncidentType::Espionage => "espionage",
            IncidentType::Combined => "combined",
            IncidentType::Other => "other",
        }
    }

    /// Translation key of its label (the Mẫu 05 row name in Vietnamese).
    pub fn label_key(self) -> &'static str {
        match self {
            IncidentType::Dos => "incident.type.dos",
            IncidentType::Spoof => "incident.type.spoof",
            IncidentType::Malware => "incident.type.malware",
            IncidentType::Intrusion => "incident.type.intrusion",
            IncidentType::Deface => "incident.type.deface",
            IncidentType::Encrypt => "incident.type.encrypt",
            IncidentType::Destroy => "incident.type.destroy",
            IncidentType::Espionage => "incident.type.espionage",
            IncidentType::Combined => "incident.type.combined",
            IncidentType::Other => "incident.type.other",
        }
    }
}

impl FromStr for IncidentType {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        IncidentType::ALL
            .into_iter()
            .find(|x| x.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or(())
    }
}

/// Sub-types people name incidents by (VNCERT's own statistics use deface, phishing, malware
/// and C&C botnet), each under one Mẫu 05 type so the summary still counts it right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Subtype {
    /// Thay đổi giao diện trang web (deface).
    Deface,
    /// Lừa đảo, giả mạo (phishing).
    Phishing,
    /// Mã độc.
    Malware,
    /// Mạng máy tính ma, máy chủ điều khiển (C&C botnet).
    CncBotnet,
    /// Từ chối dịch vụ phân tán (DDoS).
    Ddos,
    /// Mã độc tống tiền (ransomware).
    Ransomware,
    /// Lộ lọt dữ liệu.
    DataLeak,
    /// Chiếm đoạt tài khoản.
    AccountCompromise,
    /// Khai thác lỗ hổng.
    VulnerabilityExploitation,
    /// Khác.
    Other,
}

impl Subtype {
    /// Every sub-type.
    pub const ALL: [Subtype; 10] = [
        Subtype::Deface,
        Subtype::Phishing,
        Subtype::Malware,
        Subtype::CncBotnet,
        Subtype::Ddos,
        Subtype::Ransomware,
        Subtype::DataLeak,
        Subtype::AccountCompromise,
        Subtype::VulnerabilityExploitation,
        Subtype::Other,
    ];

    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Subtype::Deface => "deface",
            Subtype::Phishing => "phishing",
            Subtype::Malware => "malware",
            Subtype::CncBotnet => "cnc_botnet",
            Subtype::Ddos => "ddos",
            Subtype::Ransomware => "ransomware",
            Subtype::DataLeak => "data_leak",
            Subtype::AccountCompromise => "account_compromise",
            Subtype::VulnerabilityExploitation => "vulnerability_exploitation",
            Subtype::Other => "other",
        }
    }

    /// Translation key of its label.
    pub fn label_key(self) -> &'static str {
        match self {
            Subtype::Deface => "incident.subtype.deface",
            Subtype::Phishing => "incident.subtype.phishing",
            Subtype::Malware => "incident.subtype.malware",
            Subtype::CncBotnet => "incident.subtype.cnc_botnet",
            Subtype::Ddos => "incident.subtype.ddos",
            Subtype::Ransomware => "incident.subtype.ransomware",
            Subtype::DataLeak => "incident.subtype.data_leak",
            Subtype::AccountCompromise => "incident.subtype.account_compromise",
            Subtype::VulnerabilityExploitation => "incident.subtype.vulnerability_exploitation",
            Subtype::Other => "incident.subtype.other",
        }
    }

    /// The Mẫu 05 type it is counted under.
    pub fn parent(self) -> IncidentType {
        match self {
            Subtype::Deface => IncidentType::Deface,
            Subtype::Phishing => IncidentType::Spoof,
            Subtype::Malware | Subtype::CncBotnet => IncidentType::Malware,
            Subtype::Ddos => IncidentType::Dos,
            Subtype::Ransomware => IncidentType::Encrypt,
            Subtype::DataLeak => IncidentType::Espionage,
            Subtype::AccountCompromise | Subtype::VulnerabilityExploitation => {
                IncidentType::Intrusion
            }
            Subtype::Other => IncidentType::Other,
        }
    }
}

impl FromStr for Subtype {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Subtype::ALL
            .into_iter()
            .find(|x| x.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or(())
    }
}

/// Traffic Light Protocol 2.0: who the incident's details may be shared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Tlp {
    /// TLP:CLEAR, no limit.
    Clear,
    /// TLP:GREEN, the community.
    Green,
    /// TLP:AMBER, the recipients' organisations and their clients.
    Amber,
    /// TLP:AMBER+STRICT, the recipients' organisations only.
    AmberStrict,
    /// TLP:RED, the named recipients only.
    Red,
}

impl Tlp {
    /// Every label, least restrictive first.
    pub const ALL: [Tlp; 5] = [
        Tlp::Clear,
        Tlp::Green,
        Tlp::Amber,
        Tlp::AmberStrict,
        Tlp::Red,
    ];

    /// The label as TLP 2.0 writes it (without the `TLP:` prefix).
    pub fn as_str(self) -> &'static str {
        match self {
            Tlp::Clear => "CLEAR",
            Tlp::Green => "GREEN",
            Tlp::Amber => "AMBER",
            Tlp::AmberStrict => "AMBER+STRICT",
            Tlp::Red => "RED",
        }
    }
}

impl FromStr for Tlp {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        let s = s.trim();
        let s = s
            .get(..4)
            .filter(|p| p.eq_ignore_ascii_case("tlp:"))
            .map_or(s, |_| &s[4..]);
        Tlp::ALL
            .into_iter()
            .find(|x| x.as_str().eq_ignore_ascii_case(s))
            .ok_or(())
    }
}

impl fmt::Display for Tlp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TLP:{}", self.as_str())
    }
}

// ---------------------------------------------------------------------------------------------
// Severity
// ---------------------------------------------------------------------------------------------

/// Ordinary (TT 20/2017) or serious (sự cố nghiêm trọng, QĐ 05/2017).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// Sự cố thông thường.
    Ordinary,
    /// Sự cố nghiêm trọng.
    Serious,
}

impl Severity {
    /// Both.
    pub const ALL: [Severity; 2] = [Severity::Ordinary, Severity::Serious];

    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Ordinary => "ordinary",
            Severity::Serious => "serious",
        }
    }

    /// Translation key of its label.
    pub fn label_key(self) -> &'static str {
        match self {
            Severity::Ordinary => "incident.severity.ordinary",
            Severity::Serious => "incident.severity.serious",
        }
    }
}

impl FromStr for Severity {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Severity::ALL
            .into_iter()
            .find(|x| x.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or(())
    }
}

/// What is known of an incident's impact, the facts the severity rules read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Impact {
    /// Security level (1-5) of the affected system, when known.
    pub system_level: Option<i64>,
    /// How many organisations are affected (0: not assessed yet).
    pub organizations_affected: i64,
    /// Personal data was exposed.
    pub personal_data_exposed: bool,
    /// State secrets were exposed.
    pub state_secret_exposed: bool,
    /// Hours a public service has been down (0: not down).
    pub public_service_down_hours: i64,
    /// National or foreign resources are needed.
    pub external_resources_needed: bool,
}

impl Impact {
    /// Checks the ranges; every failure names its field under `impact.`.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::default();
        if self.system_level.is_some_and(|l| !(1..=5).contains(&l)) {
            e.add("impact.system_level", "err.security_level");
        }
        if !(0..=10_000).contains(&self.organizations_affected) {
            e.add("impact.organizations_affected", "err.count");
        }
        if !(0..=100_000).contains(&self.public_service_down_hours) {
            e.add("impact.public_service_down_hours", "err.count");
        }
        e.into_result()
    }
}

/// One rule of the severity rule set. The set is data (stored as JSON in the settings), so the
/// province adjusts thresholds without a new release, as the plan (§I.2) asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case", deny_unknown_fields)]
pub enum SeverityRule {
    /// The affected system's security level is at least this.
    SystemLevel {
        /// Threshold, 1-5.
        at_least: i64,
    },
    /// At least this many organisations are affected.
    Organizations {
        /// Threshold, 1 or more.
        at_least: i64,
    },
    /// Personal data was exposed.
    PersonalData,
    /// State secrets were exposed.
    StateSecret,
    /// A public service is down longer than this many hours.
    ServiceOutage {
        /// Threshold in hours.
        hours: i64,
    },
    /// National or foreign resources are needed.
    ExternalResources,
}

impl SeverityRule {
    /// Stable code, as reasons name it.
    pub fn code(self) -> &'static str {
        match self {
            SeverityRule::SystemLevel { .. } => "system_level",
            SeverityRule::Organizations { .. } => "organizations",
            SeverityRule::PersonalData => "personal_data",
            SeverityRule::StateSecret => "state_secret",
            SeverityRule::ServiceOutage { .. } => "service_outage",
            SeverityRule::ExternalResources => "external_resources",
        }
    }

    /// The reason it gives when `impact` makes it fire.
    pub fn fires(self, impact: &Impact) -> Option<Reason> {
        let reason = |threshold: Option<i64>, value: Option<i64>| Reason {
            rule: self.code().to_string(),
            threshold,
            value,
        };
        match self {
            SeverityRule::SystemLevel { at_least } => impact
                .system_level
                .filter(|l| *l >= at_least)
                .map(|l| reason(Some(at_least), Some(l))),
            SeverityRule::Organizations { at_least } => (impact.organizations_affected >= at_least)
                .then(|| reason(Some(at_least), Some(impact.organizations_affected))),
            SeverityRule::PersonalData => impact.personal_data_exposed.then(|| reason(None, None)),
            SeverityRule::StateSecret => impact.state_secret_exposed.then(|| reason(None, None)),
            SeverityRule::ServiceOutage { hours } => (impact.public_service_down_hours > hours)
                .then(|| reason(Some(hours), Some(impact.public_service_down_hours))),
            SeverityRule::ExternalResources => {
                impact.external_resources_needed.then(|| reason(None, None))
            }
        }
    }
}

/// A rule that fired, with the threshold and the value it compared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    /// The rule's code.
    pub rule: String,
    /// Its threshold, for rules that have one.
    pub threshold: Option<i64>,
    /// The incident's value.
    pub value: Option<i64>,
}

impl Reason {
    /// Translation key of the sentence explaining it (placeholders `{threshold}`, `{value}`).
    pub fn label_key(&self) -> &'static str {
        match self.rule.as_str() {
            "system_level" => "incident.reason.system_level",
            "organizations" => "incident.reason.organizations",
            "personal_data" => "incident.reason.personal_data",
            "state_secret" => "incident.reason.state_secret",
            "service_outage" => "incident.reason.service_outage",
            "external_resources" => "incident.reason.external_resources",
            _ => "incident.reason.unknown",
        }
    }
}

/// The severity rule set: any rule firing proposes "serious".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeverityRules {
    /// The rules, in the order their reasons are listed.
    pub rules: Vec<SeverityRule>,
}

/// Hours of outage of a public service past which the default rules call an incident serious.
pub const DEFAULT_OUTAGE_HOURS: i64 = 24;

impl Default for SeverityRules {
    /// The working rule of legal.md §3 as defaults: level ≥ 3, two organisations or more,
    /// personal or state-secret data exposed, a public service down over 24 hours, national or
    /// foreign resources needed.
    fn default() -> Self {
        SeverityRules {
            rules: vec![
                SeverityRule::SystemLevel { at_least: 3 },
                SeverityRule::Organizations { at_least: 2 },
                SeverityRule::PersonalData,
                SeverityRule::StateSecret,
                SeverityRule::ServiceOutage {
                    hours: DEFAULT_OUTAGE_HOURS,
                },
                SeverityRule::ExternalResources,
            ],
        }
    }
}

impl SeverityRules {
    /// Checks thresholds and that no rule appears twice; errors name `rules[i]`.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::default();
        if self.rules.len() > 20 {
            e.add("rules", "err.too_many_items");
        }
        for (i, r) in self.rules.iter().enumerate() {
            let field = format!("rules[{i}]");
            let ok = match *r {
                SeverityRule::SystemLevel { at_least } => (1..=5).contains(&at_least),
                SeverityRule::Organizations { at_least } => (1..=10_000).contains(&at_least),
                SeverityRule::ServiceOutage { hours } => (0..=8_760).contains(&hours),
                _ => true,
            };
            if !ok {
                e.add(&field, "incident.err.rule_threshold");
            } else if self.rules[..i].iter().any(|p| p.code() == r.code()) {
                e.add(&field, "incident.err.rule_repeated");
            }
        }
        e.into_result()
    }

    /// The severity the rules propose and the reasons that fired.
    pub fn evaluate(&self, impact: &Impact) -> (Severity, Vec<Reason>) {
        let reasons: Vec<Reason> = self.rules.iter().filter_map(|r| r.fires(impact)).collect();
        let severity = if reasons.is_empty() {
            Severity::Ordinary
        } else {
            Severity::Serious
        };
        (severity, reasons)
    }
}

// ---------------------------------------------------------------------------------------------
// The initial report, Mẫu 03
// ---------------------------------------------------------------------------------------------

/// (code, label key) of "Hiện trạng sự cố".
pub const HANDLING_STATUSES: &[(&str, &str)] = &[
    ("handled", "incident.report.handled"),
    ("not_handled", "incident.report.not_handled"),
];

/// (code, label key) of "Cách thức phát hiện" (several may be ticked).
pub const DETECTION_METHODS: &[(&str, &str)] = &[
    ("ids", "incident.report.detection.ids"),
    ("log_review", "incident.report.detection.log_review"),
    ("notified", "incident.report.detection.notified"),
    ("other", "incident.report.detection.other"),
];

/// (code, label key) of "Đã gửi thông báo sự cố cho" (several may be ticked).
pub const NOTIFIED: &[(&str, &str)] = &[
    ("network_member", "incident.report.notified.network_member"),
    ("isp", "incident.report.notified.isp"),
    ("coordinator", "incident.report.notified.coordinator"),
];

/// (code, label key) of "Các dịch vụ có trên hệ thống".
pub const SERVICES: &[(&str, &str)] = &[
    ("web", "incident.report.service.web"),
    ("mail", "incident.report.service.mail"),
    ("database", "incident.report.service.database"),
    ("other", "incident.report.service.other"),
];

/// (code, label key) of "Các biện pháp an toàn thông tin đã triển khai".
pub const MEASURES: &[(&str, &str)] = &[
    ("antivirus", "incident.report.measure.antivirus"),
    ("firewall", "incident.report.measure.firewall"),
    ("ids", "incident.report.measure.ids"),
    ("other", "incident.report.measure.other"),
];

/// (code, label key) of "Thông tin gửi kèm".
pub const ATTACHMENTS: &[(&str, &str)] = &[
    ("system_logs", "incident.report.attachment.system_logs"),
    (
        "malware_sample",
        "incident.report.attachment.malware_sample",
    ),
    ("other", "incident.report.attachment.other"),
];

/// (code, label key) of how the report reached the system.
pub const CHANNELS: &[(&str, &str)] = &[
    ("web", "incident.channel.web"),
    ("api", "incident.channel.api"),
    ("phone", "incident.channel.phone"),
    ("letter", "incident.channel.letter"),
    ("fax", "incident.channel.fax"),
    ("email", "incident.channel.email"),
];

/// The label key of `code` in one of the lists above, or `err.invalid`.
pub fn choice_label(list: &[(&str, &'static str)], code: &str) -> &'static str {
    list.iter()
        .find(|(c, _)| *c == code)
        .map(|(_, k)| *k)
        .unwrap_or("err.invalid")
}

/// The fields of Mẫu 03 as typed (a form or an API body), before validation. Times are
/// RFC 3339 or a local `yyyy-mm-ddThh:mm` in Vietnam time; empty text means "none".
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReportInput {
    /// A short title for the queue (not on the paper form).
    pub title: String,
    /// Tên tổ chức/cá nhân báo cáo (*).
    pub reporter_name: String,
    /// Địa chỉ (*).
    pub reporter_address: String,
    /// Điện thoại (*).
    pub reporter_phone: String,
    /// Email (*).
    pub reporter_email: String,
    /// Người liên hệ: Họ và tên (*).
    pub contact_name: String,
    /// Chức vụ.
    pub contact_title: String,
    /// Điện thoại (*).
    pub contact_phone: String,
    /// Email (*).
    pub contact_email: String,
    /// Tên đơn vị vận hành hệ thống thông tin (*).
    pub operator_name: String,
    /// Cơ quan chủ quản.
    pub owner_body: String,
    /// Tên hệ thống bị sự cố (with its domain names and IPs).
    pub system_name: String,
    /// Phân loại cấp độ HTTT (nếu có), 1-5.
    pub system_level: String,
    /// Tổ chức cung cấp dịch vụ ATTT (nếu có).
    pub security_provider: String,
    /// Nhà cung cấp dịch vụ kết nối bên ngoài (nếu có).
    pub connectivity_provider: String,
    /// Mô tả sơ bộ (*).
    pub summary: String,
    /// Ngày và thời gian phát hiện (*).
    pub discovered_at: String,
    /// Hiện trạng sự cố (*): `handled` or `not_handled`.
    pub handling_status: String,
    /// Cách thức phát hiện (*): codes of [`DETECTION_METHODS`].
    pub detection_methods: Vec<String>,
    /// Who notified, with `notified`.
    pub detection_notified_by: String,
    /// How else, with `other`.
    pub detection_other: String,
    /// Đã gửi thông báo sự cố cho (*): codes of [`NOTIFIED`].
    pub notified: Vec<String>,
    /// Hệ điều hành.
    pub os_name: String,
    /// Version.
    pub os_version: String,
    /// Dịch vụ trên hệ thống: codes of [`SERVICES`].
    pub services: Vec<String>,
    /// Other services, with `other`.
    pub services_other: String,
    /// Biện pháp ATTT đã triển khai: codes of [`MEASURES`].
    pub measures: Vec<String>,
    /// Other measures, with `other`.
    pub measures_other: String,
    /// Địa chỉ IP (public only).
    pub ips: Vec<String>,
    /// Tên miền.
    pub domains: Vec<String>,
    /// Mục đích sử dụng hệ thống.
    pub system_purpose: String,
    /// Thông tin gửi kèm: codes of [`ATTACHMENTS`].
    pub attachments: Vec<String>,
    /// Other attachments, with `other`.
    pub attachments_other: String,
    /// Giữ bí mật.
    pub confidential: bool,
    /// Kiến nghị, đề xuất hỗ trợ.
    pub requests: String,
    /// Thời gian thực hiện báo cáo (*).
    pub reported_at: String,
    /// How it arrived: codes of [`CHANNELS`] (empty: `web`).
    pub channel: String,
}

/// The part of Mẫu 03 kept as one JSON document on the incident (title, summary and the two
/// times have columns of their own).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Report {
    /// Tên tổ chức/cá nhân báo cáo.
    pub reporter_name: String,
    /// Địa chỉ.
    pub reporter_address: String,
    /// Điện thoại.
    pub reporter_phone: String,
    /// Email.
    pub reporter_email: String,
    /// Người liên hệ.
    pub contact_name: String,
    /// Chức vụ.
    pub contact_title: Option<String>,
    /// Điện thoại người liên hệ.
    pub contact_phone: String,
    /// Email người liên hệ.
    pub contact_email: String,
    /// Đơn vị vận hành.
    pub operator_name: String,
    /// Cơ quan chủ quản.
    pub owner_body: Option<String>,
    /// Security level 1-5 of the system, when given.
    pub system_level: Option<i64>,
    /// Tổ chức cung cấp dịch vụ ATTT.
    pub security_provider: Option<String>,
    /// Nhà cung cấp dịch vụ kết nối.
    pub connectivity_provider: Option<String>,
    /// `handled` or `not_handled`.
    pub handling_status: String,
    /// Codes of [`DETECTION_METHODS`].
    pub detection_methods: Vec<String>,
    /// Who notified.
    pub detection_notified_by: Option<String>,
    /// How else it was detected.
    pub detection_other: Option<String>,
    /// Codes of [`NOTIFIED`].
    pub notified: Vec<String>,
    /// Hệ điều hành.
    pub os_name: Option<String>,
    /// Its version.
    pub os_version: Option<String>,
    /// Codes of [`SERVICES`].
    pub services: Vec<String>,
    /// Other services.
    pub services_other: Option<String>,
    /// Codes of [`MEASURES`].
    pub measures: Vec<String>,
    /// Other measures.
    pub measures_other: Option<String>,
    /// Public IPs, normalised.
    pub ips: Vec<String>,
    /// Domain names, normalised.
    pub domains: Vec<String>,
    /// Mục đích sử dụng hệ thống.
    pub system_purpose: Option<String>,
    /// Codes of [`ATTACHMENTS`].
    pub attachments: Vec<String>,
    /// Other attachments.
    pub attachments_other: Option<String>,
    /// Giữ bí mật.
    pub confidential: bool,
    /// Kiến nghị, đề xuất hỗ trợ.
    pub requests: Option<String>,
    /// Codes of [`CHANNELS`].
    pub channel: String,
}

/// A validated Mẫu 03.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidReport {
    /// Title.
    pub title: String,
    /// Tên hệ thống bị sự cố.
    pub system_name: Option<String>,
    /// Mô tả sơ bộ.
    pub summary: String,
    /// When it was discovered.
    pub discovered_at: OffsetDateTime,
    /// When the report was made.
    pub reported_at: OffsetDateTime,
    /// Everything else.
    pub report: Report,
}

/// Longest one-line text (names, addresses).
pub const LINE_MAX: usize = 300;
/// Longest long text (summary, requests, comments).
pub const LONG_MAX: usize = 10_000;
/// Most IPs or domains one report lists.
pub const LIST_MAX: usize = 100;
/// How far in the future a time may be (clocks disagree a little).
const CLOCK_SKEW: Duration = Duration::minutes(10);

/// Reads a time: RFC 3339 (`2026-03-01T08:30:00+07:00`), or what a date-time picker sends
/// (`2026-03-01T08:30`) or people write (`01/03/2026 08:30`), both in Vietnam time.
pub fn parse_time(s: &str) -> Option<OffsetDateTime> {
    let s = s.trim();
    if let Ok(t) = OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339) {
        return Some(t);
    }
    let (d, t) = s.split_once('T').or_else(|| s.split_once(' '))?;
    let num = |p: &str| -> Option<u32> {
        (!p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    let (y, m, day) = if d.contains('/') {
        let v: Vec<&str> = d.split('/').collect();
        match v.as_slice() {
            [dd, mm, yy] => (num(yy)?, num(mm)?, num(dd)?),
            _ => return None,
        }
    } else {
        let v: Vec<&str> = d.split('-').collect();
        match v.as_slice() {
            [yy, mm, dd] => (num(yy)?, num(mm)?, num(dd)?),
            _ => return None,
        }
    };
    let tp: Vec<&str> = t.split(':').collect();
    let (h, mi, sec) = match tp.as_slice() {
        [h, mi] => (num(h)?, num(mi)?, 0),
        [h, mi, sec] => (num(h)?, num(mi)?, num(sec)?),
        _ => return None,
    };
    let month = time::Month::try_from(u8::try_from(m).ok()?).ok()?;
    let date =
        time::Date::from_calendar_date(i32::try_from(y).ok()?, month, u8::try_from(day).ok()?)
            .ok()?;
    let t = date
        .with_hms(
            u8::try_from(h).ok()?,
            u8::try_from(mi).ok()?,
            u8::try_from(sec).ok()?,
        )
        .ok()?;
    Some(t.assume_offset(crate::timefmt::VIETNAM))
}

/// An optional one-line text.
fn opt_line(e: &mut Errors, field: &str, v: &str, max: usize) -> Option<String> {
    let v = nfc(v);
    if v.is_empty() {
        return None;
    }
    if v.chars().count() > max {
        e.add(field, "err.too_long");
    } else if v.chars().any(char::is_control) {
        e.add(field, "err.control_chars");
    }
    Some(v)
}

/// A required one-line text.
fn line(e: &mut Errors, field: &str, v: &str, max: usize) -> String {
    let v = e.text(field, v, max);
    if v.contains(['\n', '\r', '\t']) {
        e.add(field, "err.control_chars");
    }
    v
}

/// A long text with line endings made `\n`; `None` when empty.
pub fn long_text(e: &mut Errors, field: &str, v: &str, required: bool) -> Option<String> {
    let v = nfc(v).replace("\r\n", "\n").replace('\r', "\n");
    if v.is_empty() {
        if required {
            e.add(field, "err.required");
        }
        return None;
    }
    if v.chars().count() > LONG_MAX {
        e.add(field, "err.too_long");
    } else if v.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        e.add(field, "err.control_chars");
    }
    Some(v)
}

fn phone(e: &mut Errors, field: &str, v: &str) -> String {
    let v = v.trim().to_string();
    if v.is_empty() {
        e.add(field, "err.required");
    } else if !(v.len() <= 40
        && v.chars()
            .all(|c| c.is_ascii_digit() || " +-.()/".contains(c))
        && v.chars().filter(char::is_ascii_digit).count() >= 6)
    {
        e.add(field, "err.phone");
    }
    v
}

fn required_email(e: &mut Errors, field: &str, v: &str) -> String {
    if v.trim().is_empty() {
        e.add(field, "err.required");
        return String::new();
    }
    e.email(field, v)
}

/// Codes picked from `list`, in the list's order, without repeats; unknown codes are named.
fn choices(
    e: &mut Errors,
    field: &str,
    picked: &[String],
    list: &[(&str, &str)],
    required: bool,
) -> Vec<String> {
    for (i, p) in picked.iter().enumerate() {
        if !list.iter().any(|(c, _)| *c == p.trim()) {
            e.add(&format!("{field}[{i}]"), "err.invalid");
        }
    }
    let out: Vec<String> = list
        .iter()
        .filter(|(c, _)| picked.iter().any(|p| p.trim() == *c))
        .map(|(c, _)| c.to_string())
        .collect();
    if required && out.is_empty() && picked.is_empty() {
        e.add(field, "err.required");
    }
    out
}

/// Checks and normalises a Mẫu 03. Mandatory fields are those the form marks (*); `now` bounds
/// the times (a report is not made in the future, nor before its incident was discovered).
pub fn validate_report(
    f: &ReportInput,
    now: OffsetDateTime,
) -> Result<ValidReport, Vec<FieldError>> {
    let mut e = Errors::default();
    let title = line(&mut e, "title", &f.title, 200);
    let reporter_name = line(&mut e, "reporter_name", &f.reporter_name, LINE_MAX);
    let reporter_address = line(&mut e, "reporter_address", &f.reporter_address, LINE_MAX);
    let reporter_phone = phone(&mut e, "reporter_phone", &f.reporter_phone);
    let reporter_email = required_email(&mut e, "reporter_email", &f.reporter_email);
    let contact_name = line(&mut e, "contact_name", &f.contact_name, LINE_MAX);
    let contact_title = opt_line(&mut e, "contact_title", &f.contact_title, LINE_MAX);
    let contact_phone = phone(&mut e, "contact_phone", &f.contact_phone);
    let contact_email = required_email(&mut e, "contact_email", &f.contact_email);
    let operator_name = line(&mut e, "operator_name", &f.operator_name, LINE_MAX);
    let owner_body = opt_line(&mut e, "owner_body", &f.owner_body, LINE_MAX);
    let system_name = opt_line(&mut e, "system_name", &f.system_name, LINE_MAX);
    let system_level = match f.system_level.trim() {
        "" => None,
        v => match v.parse::<i64>() {
            Ok(n) if (1..=5).contains(&n) => Some(n),
            _ => {
                e.add("system_level", "err.security_level");
                None
            }
        },
    };
    let security_provider = opt_line(&mut e, "security_provider", &f.security_provider, LINE_MAX);
    let connectivity_provider = opt_line(
        &mut e,
        "connectivity_provider",
        &f.connectivity_provider,
        LINE_MAX,
    );
    let summary = long_text(&mut e, "summary", &f.summary, true).unwrap_or_default();
    let discovered_at = match f.discovered_at.trim() {
        "" => {
            e.add("discovered_at", "err.required");
            None
        }
        v => match parse_time(v) {
            Some(t) if t > now + CLOCK_SKEW => {
                e.add("discovered_at", "err.date_future");
                None
            }
            Some(t) => Some(t),
            None => {
                e.add("discovered_at", "err.datetime");
                None
            }
        },
    };
    let reported_at = match f.reported_at.trim() {
        "" => {
            e.add("reported_at", "err.required");
            None
        }
        v => match parse_time(v) {
            Some(t) if t > now + CLOCK_SKEW => {
                e.add("reported_at", "err.date_future");
                None
            }
            Some(t) if discovered_at.is_some_and(|d| t < d) => {
                e.add("reported_at", "incident.err.reported_before_discovered");
                None
            }
            Some(t) => Some(t),
            None => {
                e.add("reported_at", "err.datetime");
                None
            }
        },
    };
    let handling_status = f.handling_status.trim().to_string();
    if handling_status.is_empty() {
        e.add("handling_status", "err.required");
    } else if !HANDLING_STATUSES.iter().any(|(c, _)| *c == handling_status) {
        e.add("handling_status", "err.invalid");
    }
    let detection_methods = choices(
        &mut e,
        "detection_methods",
        &f.detection_methods,
        DETECTION_METHODS,
        true,
    );
    let detection_notified_by = opt_line(
        &mut e,
        "detection_notified_by",
        &f.detection_notified_by,
        LINE_MAX,
    );
    if detection_methods.iter().any(|m| m == "notified") && detection_notified_by.is_none() {
        e.add("detection_notified_by", "err.required");
    }
    let detection_other = opt_line(&mut e, "detection_other", &f.detection_other, LINE_MAX);
    let notified = choices(&mut e, "notified", &f.notified, NOTIFIED, true);
    let os_name = opt_line(&mut e, "os_name", &f.os_name, 100);
    let os_version = opt_line(&mut e, "os_version", &f.os_version, 100);
    let services = choices(&mut e, "services", &f.services, SERVICES, false);
    let services_other = opt_line(&mut e, "services_other", &f.services_other, LINE_MAX);
    let measures = choices(&mut e, "measures", &f.measures, MEASURES, false);
    let measures_other = opt_line(&mut e, "measures_other", &f.measures_other, LINE_MAX);
    if f.ips.len() > LIST_MAX {
        e.add("ips", "err.too_many_items");
    }
    let mut ips: Vec<String> = Vec::new();
    for (i, v) in f.ips.iter().enumerate().take(LIST_MAX) {
        if v.trim().is_empty() {
            continue;
        }
        match normalise_ip(v) {
            Ok(ip) if !ips.contains(&ip) => ips.push(ip),
            Ok(_) => {}
            Err(code) => e.add(&format!("ips[{i}]"), code),
        }
    }
    if f.domains.len() > LIST_MAX {
        e.add("domains", "err.too_many_items");
    }
    let mut domains: Vec<String> = Vec::new();
    for (i, v) in f.domains.iter().enumerate().take(LIST_MAX) {
        if v.trim().is_empty() {
            continue;
        }
        match normalise_domain(v) {
            Ok(d) if !domains.contains(&d) => domains.push(d),
            Ok(_) => {}
            Err(code) => e.add(&format!("domains[{i}]"), code),
        }
    }
    let system_purpose = long_text(&mut e, "system_purpose", &f.system_purpose, false);
    let attachments = choices(&mut e, "attachments", &f.attachments, ATTACHMENTS, false);
    let attachments_other = opt_line(&mut e, "attachments_other", &f.attachments_other, LINE_MAX);
    let requests = long_text(&mut e, "requests", &f.requests, false);
    let channel = match f.channel.trim() {
        "" => "web".to_string(),
        c if CHANNELS.iter().any(|(x, _)| *x == c) => c.to_string(),
        _ => {
            e.add("channel", "err.invalid");
            String::new()
        }
    };
    e.into_result()?;
    let (Some(discovered_at), Some(reported_at)) = (discovered_at, reported_at) else {
        return Err(vec![FieldError::new("discovered_at", "err.required")]);
    };
    Ok(ValidReport {
        title,
        system_name,
        summary,
        discovered_at,
        reported_at,
        report: Report {
            reporter_name,
            reporter_address,
            reporter_phone,
            reporter_email,
            contact_name,
            contact_title,
            contact_phone,
            contact_email,
            operator_name,
            owner_body,
            system_level,
            security_provider,
            connectivity_provider,
            handling_status,
            detection_methods,
            detection_notified_by,
            detection_other,
            notified,
            os_name,
            os_version,
            services,
            services_other,
            measures,
            measures_other,
            ips,
            domains,
            system_purpose,
            attachments,
            attachments_other,
            confidential: f.confidential,
            requests,
            channel,
        },
    })
}

// ---------------------------------------------------------------------------------------------
// Review and derived times
// ---------------------------------------------------------------------------------------------

/// The post-incident review (row 11): what closing needs.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Review {
    /// Nguyên nhân: the root cause.
    pub root_cause: String,
    /// Bài học kinh nghiệm: lessons learned.
    pub lessons: String,
    /// Biện pháp bổ sung: additional measures to prevent it again.
    pub measures: String,
}

impl Review {
    /// Checks the three texts, all required.
    pub fn validate(
        root_cause: &str,
        lessons: &str,
        measures: &str,
    ) -> Result<Review, Vec<FieldError>> {
        let mut e = Errors::default();
        let root_cause = long_text(&mut e, "root_cause", root_cause, true).unwrap_or_default();
        let lessons = long_text(&mut e, "lessons", lessons, true).unwrap_or_default();
        let measures = long_text(&mut e, "measures", measures, true).unwrap_or_default();
        e.into_result()?;
        Ok(Review {
            root_cause,
            lessons,
            measures,
        })
    }

    /// True when every part is written.
    pub fn is_complete(&self) -> bool {
        !self.root_cause.trim().is_empty()
            && !self.lessons.trim().is_empty()
            && !self.measures.trim().is_empty()
    }
}

/// Who helped handle an incident and what it cost: what Mẫu 05 counts ("Số sự cố tự xử lý",
/// "… có sự hỗ trợ xử lý từ các tổ chức khác", "… từ tổ chức nước ngoài", "… đề nghị VNCERT
/// hỗ trợ xử lý", "Thiệt hại ước tính") and lists ("Danh sách các tổ chức (nước ngoài) hỗ trợ xử
/// lý sự cố"). An incident with no helper and no request to the national coordinator was
/// handled by its own people.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Outcome {
    /// Domestic organisations that helped, one name each.
    pub domestic_helpers: Vec<String>,
    /// Foreign organisations that helped.
    pub foreign_helpers: Vec<String>,
    /// The national coordinator (VNCERT/CC) was asked to help.
    pub national_coordinator_helped: bool,
    /// Estimated damage, in đồng.
    pub estimated_damage_vnd: Option<i64>,
}

/// The most helpers of one kind an incident records.
pub const HELPERS_MAX: usize = 50;
/// The longest helper name.
pub const HELPER_NAME_MAX: usize = 300;
/// The largest damage estimate accepted, in đồng (a million billion: far above any real case,
/// low enough to sum a province's year without overflow).
pub const DAMAGE_MAX_VND: i64 = 1_000_000_000_000_000;

impl Outcome {
    /// Checks and normalises: names trimmed and NFC, blank ones dropped, repeats (ignoring case)
    /// kept once; every failure names its field.
    pub fn validate(
        domestic_helpers: &[String],
        foreign_helpers: &[String],
        national_coordinator_helped: bool,
        estimated_damage_vnd: Option<i64>,
    ) -> Result<Outcome, Vec<FieldError>> {
        let mut e = Errors::default();
        let domestic_helpers = helper_names(&mut e, "domestic_helpers", domestic_helpers);
        let foreign_helpers = helper_names(&mut e, "foreign_helpers", foreign_helpers);
        if estimated_damage_vnd.is_some_and(|d| !(0..=DAMAGE_MAX_VND).contains(&d)) {
            e.add("estimated_damage_vnd", "incident.err.damage");
        }
        e.into_result()?;
        Ok(Outcome {
            domestic_helpers,
            foreign_helpers,
            national_coordinator_helped,
            estimated_damage_vnd,
        })
    }

    /// Handled without anyone else's help.
    pub fn self_handled(&self) -> bool {
        self.domestic_helpers.is_empty()
            && self.foreign_helpers.is_empty()
            && !self.national_coordinator_helped
    }
}

fn helper_names(e: &mut Errors, field: &str, names: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for n in names {
        let n = nfc(n);
        if n.is_empty() {
            continue;
        }
        if n.chars().count() > HELPER_NAME_MAX {
            e.add(field, "err.too_long");
            continue;
        }
        if n.chars().any(char::is_control) {
            e.add(field, "err.control_chars");
            continue;
        }
        let key = n.to_lowercase();
        if !seen.contains(&key) {
            seen.push(key);
            out.push(n);
        }
    }
    if out.len() > HELPERS_MAX {
        e.add(field, "incident.err.helpers_max");
    }
    out
}

/// One transition as the derived times need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    /// From (none for the report itself).
    pub from: Option<IncidentState>,
    /// To.
    pub to: IncidentState,
    /// When.
    pub at: OffsetDateTime,
}

/// How long the response took to reach its milestones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DerivedTimes {
    /// Report → first transition out of `received` (acknowledged).
    pub acknowledge: Option<Duration>,
    /// Discovery → containment done (first step from `containing` to `eradicating`).
    pub contain: Option<Duration>,
    /// Discovery → recovery verified (first step into `review`).
    pub recover: Option<Duration>,
    /// Discovery → closed.
    pub close: Option<Duration>,
}

/// Derives the milestone times from the transitions, whatever order they are given in.
/// Acknowledgement is counted from the report, the others from discovery, as the legal clocks
/// of TT 20 Điều 9 are.
pub fn derive_times(
    discovered_at: OffsetDateTime,
    reported_at: OffsetDateTime,
    steps: &[Step],
) -> DerivedTimes {
    let mut steps = steps.to_vec();
    steps.sort_by_key(|s| s.at);
    let first = |p: &dyn Fn(&Step) -> bool| steps.iter().find(|s| p(s)).map(|s| s.at);
    let since = |start: OffsetDateTime, t: Option<OffsetDateTime>| {
        t.map(|t| (t - start).max(Duration::ZERO))
    };
    DerivedTimes {
        acknowledge: since(
            reported_at,
            first(&|s| s.from == Some(S::Received) && s.to != S::Received),
        ),
        contain: since(
            discovered_at,
            first(&|s| s.from == Some(S::Containing) && s.to == S::Eradicating),
        ),
        recover: since(discovered_at, first(&|s| s.to == S::Review)),
        close: since(discovered_at, first(&|s| s.to == S::Closed)),
    }
}

/// A duration as people read it: `2 ngày 3 giờ 5 phút` / `2 d 3 h 5 min`.
pub fn show_duration(d: Duration, vietnamese: bool) -> String {
    let mins = d.whole_minutes().max(0);
    let (days, hours, minutes) = (mins / 1440, (mins % 1440) / 60, mins % 60);
    let (dw, hw, mw) = if vietnamese {
        ("ngày", "giờ", "phút")
    } else {
        ("d", "h", "min")
    };
    let mut parts = Vec::new();
    if days > 0 {
        parts.push(format!("{days} {dw}"));
    }
    if hours > 0 {
        parts.push(format!("{hours} {hw}"));
    }
    if minutes > 0 || parts.is_empty() {
        parts.push(format!("{minutes} {mw}"));
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::datetime;

    #[test]
    fn codes_round_trip() {
        for s in IncidentState::ALL {
            assert_eq!(s.as_str().parse::<IncidentState>(), Ok(s));
        }
        for t in IncidentType::ALL {
            assert_eq!(t.as_str().parse::<IncidentType>(), Ok(t));
        }
        for t in Subtype::ALL {
            assert_eq!(t.as_str().parse::<Subtype>(), Ok(t));
        }
        for t in Tlp::ALL {
            assert_eq!(t.as_str().parse::<Tlp>(), Ok(t));
            assert_eq!(t.to_string().parse::<Tlp>(), Ok(t));
        }
        assert_eq!("amber+strict".parse::<Tlp>(), Ok(Tlp::AmberStrict));
        assert!("orange".parse::<Tlp>().is_err());
    }

    #[test]
    fn terminal_states_lead_nowhere_and_every_other_state_leads_somewhere() {
        for s in IncidentState::ALL {
            assert_eq!(next_states(s).is_empty(), s.is_terminal(), "{s}");
        }
    }

    #[test]
    fn every_state_is_reachable_from_received() {
        let mut seen = vec![S::Received];
        let mut i = 0;
        while i < seen.len() {
            for (t, _) in next_states(seen[i]) {
                if !seen.contains(&t) {
                    seen.push(t);
                }
            }
            i += 1;
        }
        assert_eq!(seen.len(), IncidentState::ALL.len());
    }

    #[test]
    fn the_gates_follow_the_plan() {
        assert_eq!(
            gate(S::OptionProposed, S::OptionApproved),
            Some(Gate::Approve)
        );
        assert_eq!(gate(S::Verifying, S::Rejected), Some(Gate::Coordinate));
        assert_eq!(gate(S::Received, S::Duplicate), Some(Gate::Coordinate));
        assert_eq!(gate(S::Containing, S::Eradicating), Some(Gate::Handle));
        assert_eq!(gate(S::Review, S::Closed), Some(Gate::Coordinate));
        assert_eq!(gate(S::Received, S::Closed), None);
    }

    #[test]
    fn escalation_is_for_serious_incidents_and_a_serious_one_cannot_skip_it() {
        let ordinary = TransitionFacts::default();
        let serious = TransitionFacts {
            serious: true,
            ..Default::default()
        };
        assert_eq!(
            check_transition(S::OptionApproved, S::Escalated, ordinary),
            Err(Refusal::OnlySerious)
        );
        assert_eq!(
            check_transition(S::OptionApproved, S::Escalated, serious),
            Ok(Gate::Handle)
        );
        assert_eq!(
            check_transition(S::OptionApproved, S::Containing, serious),
            Err(Refusal::EscalateFirst)
        );
        assert_eq!(
            check_transition(S::OptionApproved, S::Containing, ordinary),
            Ok(Gate::Handle)
        );
    }

    #[test]
    fn closing_needs_the_review_and_rejecting_needs_a_reason() {
        assert_eq!(
            check_transition(S::Review, S::Closed, TransitionFacts::default()),
            Err(Refusal::ReviewMissing)
        );
        let done = TransitionFacts {
            review_complete: true,
            ..Default::default()
        };
        assert_eq!(
            check_transition(S::Review, S::Closed, done),
            Ok(Gate::Coordinate)
        );
        assert_eq!(
            check_transition(S::Received, S::Rejected, TransitionFacts::default()),
            Err(Refusal::CommentRequired)
        );
        assert_eq!(
            check_transition(S::Closed, S::Received, done),
            Err(Refusal::NotAllowed)
        );
    }

    #[test]
    fn default_rules_fire_with_their_reasons() {
        let rules = SeverityRules::default();
        rules.validate().unwrap();
        assert_eq!(
            rules.evaluate(&Impact::default()),
            (Severity::Ordinary, vec![])
        );
        let (s, reasons) = rules.evaluate(&Impact {
            system_level: Some(3),
            organizations_affected: 1,
            public_service_down_hours: 30,
            ..Default::default()
        });
        assert_eq!(s, Severity::Serious);
        let codes: Vec<&str> = reasons.iter().map(|r| r.rule.as_str()).collect();
        assert_eq!(codes, ["system_level", "service_outage"]);
        assert_eq!(reasons[1].threshold, Some(24));
        assert_eq!(reasons[1].value, Some(30));
        // Exactly 24 hours is not longer than 24.
        let (s, _) = rules.evaluate(&Impact {
            public_service_down_hours: 24,
            ..Default::default()
        });
        assert_eq!(s, Severity::Ordinary);
    }

    #[test]
    fn rules_are_data_that_round_trips_through_json() {
        let json = serde_json::to_string(&SeverityRules::default()).unwrap();
        assert!(
            json.contains(r#"{"rule":"service_outage","hours":24}"#),
            "{json}"
        );
        let back: SeverityRules = serde_json::from_str(&json).unwrap();
        assert_eq!(back, SeverityRules::default());
        let custom: SeverityRules = serde_json::from_str(
            r#"{"rules":[{"rule":"service_outage","hours":4},{"rule":"personal_data"}]}"#,
        )
        .unwrap();
        let (s, r) = custom.evaluate(&Impact {
            public_service_down_hours: 5,
            ..Default::default()
        });
        assert_eq!((s, r.len()), (Severity::Serious, 1));
        assert!(
            serde_json::from_str::<SeverityRules>(r#"{"rules":[{"rule":"moon_phase"}]}"#).is_err()
        );
        let bad = SeverityRules {
            rules: vec![
                SeverityRule::SystemLevel { at_least: 9 },
                SeverityRule::PersonalData,
                SeverityRule::PersonalData,
            ],
        };
        let fields: Vec<String> = bad
            .validate()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["rules[0]", "rules[2]"]);
    }

    fn report() -> ReportInput {
        ReportInput {
            title: "Cổng thông tin bị thay đổi giao diện".into(),
            reporter_name: "Sở Y tế".into(),
            reporter_address: "Số 5 đường 30/4, Phường 1, TP Cao Lãnh".into(),
            reporter_phone: "0277 3851 234".into(),
            reporter_email: "syt@dongthap.gov.vn".into(),
            contact_name: "Lê Minh".into(),
            contact_phone: "0912 345 678".into(),
            contact_email: "minh@dongthap.gov.vn".into(),
            operator_name: "Trung tâm CNTT".into(),
            summary: "Trang chủ bị thay bằng nội dung lạ.".into(),
            discovered_at: "2026-03-01T08:30".into(),
            reported_at: "01/03/2026 09:15".into(),
            handling_status: "not_handled".into(),
            detection_methods: vec!["log_review".into()],
            notified: vec!["coordinator".into()],
            ips: vec!["203.0.113.7".into(), "203.0.113.7".into()],
            domains: vec!["SYT.DongThap.gov.vn".into()],
            ..Default::default()
        }
    }

    #[test]
    fn a_complete_report_is_normalised() {
        let now = datetime!(2026-03-02 00:00 UTC);
        let r = validate_report(&report(), now).unwrap();
        assert_eq!(r.discovered_at, datetime!(2026-03-01 01:30 UTC));
        assert_eq!(r.reported_at, datetime!(2026-03-01 02:15 UTC));
        assert_eq!(r.report.ips, ["203.0.113.7"]);
        assert_eq!(r.report.domains, ["syt.dongthap.gov.vn"]);
        assert_eq!(r.report.channel, "web");
    }

    #[test]
    fn every_mandatory_field_of_mau_03_is_named_when_missing() {
        let now = datetime!(2026-03-02 00:00 UTC);
        let fields: Vec<String> = validate_report(&ReportInput::default(), now)
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            [
                "title",
                "reporter_name",
                "reporter_address",
                "reporter_phone",
                "reporter_email",
                "contact_name",
                "contact_phone",
                "contact_email",
                "operator_name",
                "summary",
                "discovered_at",
                "reported_at",
                "handling_status",
                "detection_methods",
                "notified",
            ]
        );
        let mut bad = report();
        bad.reported_at = "2026-02-28T08:00".into();
        bad.ips = vec!["10.0.0.1".into()];
        bad.detection_methods = vec!["notified".into(), "crystal_ball".into()];
        let errs = validate_report(&bad, now).unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "reported_at",
                "detection_methods[1]",
                "detection_notified_by",
                "ips[0]"
            ]
        );
    }

    #[test]
    fn derived_times_come_from_the_transitions() {
        let d = datetime!(2026-03-01 00:00 UTC);
        let r = datetime!(2026-03-01 02:00 UTC);
        let step = |from, to, h: i64| Step {
            from,
            to,
            at: d + Duration::hours(h),
        };
        let steps = [
            step(Some(S::Containing), S::Eradicating, 10),
            step(None, S::Received, 2),
            step(Some(S::Received), S::Verifying, 3),
            step(Some(S::VerifyingRecovery), S::Containing, 20),
            step(Some(S::Containing), S::Eradicating, 25),
            step(Some(S::VerifyingRecovery), S::Review, 40),
            step(Some(S::Review), S::Closed, 50),
        ];
        let t = derive_times(d, r, &steps);
        assert_eq!(t.acknowledge, Some(Duration::hours(1)));
        assert_eq!(t.contain, Some(Duration::hours(10)));
        assert_eq!(t.recover, Some(Duration::hours(40)));
        assert_eq!(t.close, Some(Duration::hours(50)));
        assert_eq!(
            show_duration(Duration::minutes(1565), true),
            "1 ngày 2 giờ 5 phút"
        );
        assert_eq!(show_duration(Duration::ZERO, false), "0 min");
    }

    #[test]
    fn times_are_read_in_vietnam_time_or_with_their_offset() {
        assert_eq!(
            parse_time("2026-03-01T08:30"),
            Some(datetime!(2026-03-01 01:30 UTC))
        );
        assert_eq!(
            parse_time("2026-03-01T08:30:00Z"),
            Some(datetime!(2026-03-01 08:30 UTC))
        );
        assert_eq!(parse_time("31/02/2026 08:30"), None);
        assert_eq!(parse_time("hôm qua"), None);
    }

    #[test]
    fn an_outcome_keeps_each_helper_once_and_drops_blank_lines() {
        let o = Outcome::validate(
            &[
                " Công ty Bkav ".into(),
                String::new(),
                "CÔNG TY BKAV".into(),
                "Viettel Cyber Security".into(),
            ],
            &["Kaspersky Lab".into()],
            true,
            Some(1_500_000),
        )
        .expect("valid");
        assert_eq!(
            o.domestic_helpers,
            ["Công ty Bkav", "Viettel Cyber Security"]
        );
        assert_eq!(o.foreign_helpers, ["Kaspersky Lab"]);
        assert!(!o.self_handled());
        let none = Outcome::validate(&[], &["  ".into()], false, None).expect("valid");
        assert!(none.self_handled());
    }

    #[test]
    fn an_outcome_names_its_bad_fields() {
        let long = "x".repeat(HELPER_NAME_MAX + 1);
        let many: Vec<String> = (0..=HELPERS_MAX).map(|k| format!("Tổ chức {k}")).collect();
        let errs = Outcome::validate(&[long], &many, false, Some(-1)).expect_err("invalid");
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "domestic_helpers",
                "foreign_helpers",
                "estimated_damage_vnd"
            ]
        );
        assert!(Outcome::validate(&["a\u{7}b".into()], &[], false, None).is_err());
        assert!(Outcome::validate(&[], &[], false, Some(DAMAGE_MAX_VND + 1)).is_err());
        assert!(Outcome::validate(&[], &[], false, Some(DAMAGE_MAX_VND)).is_ok());
    }

    proptest! {
        /// Random requests never take an incident along an edge the table lacks, never escalate
        /// an ordinary one, never close without the completed review, and nothing leaves a
        /// terminal state.
        #[test]
        fn random_transition_sequences_stay_inside_the_machine(
            steps in proptest::collection::vec((0usize..15, any::<bool>(), any::<bool>(), any::<bool>()), 0..200)
        ) {
            let mut state = S::Received;
            let mut path = vec![state];
            for (to, serious, review_complete, has_comment) in steps {
                let to = IncidentState::ALL[to];
                let facts = TransitionFacts { serious, review_complete, has_comment };
                if check_transition(state, to, facts).is_ok() {
                    prop_assert!(gate(state, to).is_some());
                    prop_assert!(!state.is_terminal());
                    if to == S::Escalated {
                        prop_assert!(serious);
                    }
                    if to == S::Closed {
                        prop_assert_eq!(state, S::Review);
                        prop_assert!(review_complete);
                    }
                    if needs_comment(state, to) {
                        prop_assert!(has_comment);
                    }
                    state = to;
                    path.push(state);
                }
            }
            // A closed incident went through review on its way.
            if state == S::Closed {
                prop_assert!(path.contains(&S::Review));
                prop_assert!(path.contains(&S::Containing) || path.contains(&S::Escalated));
            }
        }

        /// Whatever the impact, the proposal is serious exactly when a reason fired.
        #[test]
        fn severity_is_serious_exactly_when_a_rule_fires(
            level in proptest::option::of(1i64..=5),
            orgs in 0i64..5,
            personal in any::<bool>(),
            secret in any::<bool>(),
            hours in 0i64..100,
            external in any::<bool>(),
        ) {
            let impact = Impact {
                system_level: level,
                organizations_affected: orgs,
                personal_data_exposed: personal,
                state_secret_exposed: secret,
                public_service_down_hours: hours,
                external_resources_needed: external,
            };
            let (s, reasons) = SeverityRules::default().evaluate(&impact);
            prop_assert_eq!(s == Severity::Serious, !reasons.is_empty());
            let expected = level.is_some_and(|l| l >= 3) || orgs >= 2 || personal || secret || hours > 24 || external;
            prop_assert_eq!(s == Severity::Serious, expected);
        }
    }
}
