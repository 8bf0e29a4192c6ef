//! Rules of coordination: who a request for support goes to, the statuses it moves through and
//! who moves it, the channels of public statements, and finding `@mentions` in a comment.

use std::str::FromStr;

/// Whom a request for support is addressed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Another organisation of the province (a grant opens the incident to it).
    Organization,
    /// The province's response team (the organisation of kind `csirt`).
    Csirt,
    /// The national coordinator (VNCERT/CC), an external party without accounts.
    National,
}

impl Target {
    /// Every target.
    pub const ALL: [Target; 3] = [Target::Organization, Target::Csirt, Target::National];

    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Target::Organization => "organization",
            Target::Csirt => "csirt",
            Target::National => "national",
        }
    }

    /// Translation key of its label.
    pub fn label_key(self) -> &'static str {
        match self {
            Target::Organization => "coord.target.organization",
            Target::Csirt => "coord.target.csirt",
            Target::National => "coord.target.national",
        }
    }
}

impl FromStr for Target {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Target::ALL.into_iter().find(|t| t.as_str() == s).ok_or(())
    }
}

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Asked, not answered yet.
    Open,
    /// The asked side took it on.
    Accepted,
    /// The asked side cannot help (final).
    Declined,
    /// Done (final).
    Done,
    /// Withdrawn by the asking side (final).
    Cancelled,
}

/// Which side of a request a person is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The organisation asking (and the incident's handlers).
    Asking,
    /// The organisation asked.
    Asked,
}

impl Status {
    /// Every status.
    pub const ALL: [Status; 5] = [
        Status::Open,
        Status::Accepted,
        Status::Declined,
        Status::Done,
        Status::Cancelled,
    ];

    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Accepted => "accepted",
            Status::Declined => "declined",
            Status::Done => "done",
            Status::Cancelled => "cancelled",
        }
    }

    /// Translation key of its label.
    pub fn label_key(self) -> &'static str {
        match self {
            Status::Open => "coord.status.open",
            Status::Accepted => "coord.status.accepted",
            Status::Declined => "coord.status.declined",
            Status::Done => "coord.status.done",
            Status::Cancelled => "coord.status.cancelled",
        }
    }

    /// Still waiting for something (counts as overdue past its date).
    pub fn is_pending(self) -> bool {
        matches!(self, Status::Open | Status::Accepted)
    }

    /// May `side` move a request from `self` to `to`? The asked side accepts, declines and
    /// finishes; the asking side withdraws and may also confirm it done. When the asked side is
    /// outside the system (the national coordinator) the asking side records its answers.
    pub fn may_move(self, to: Status, side: Side, external: bool) -> bool {
        let asked = side == Side::Asked || external;
        match (self, to) {
            (Status::Open, Status::Accepted | Status::Declined) => asked,
            (Status::Open | Status::Accepted, Status::Done) => true,
            (Status::Open | Status::Accepted, Status::Cancelled) => side == Side::Asking,
            _ => false,
        }
    }
}

impl FromStr for Status {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Status::ALL.into_iter().find(|t| t.as_str() == s).ok_or(())
    }
}

/// Channels of a public statement (codes, label keys).
pub const CHANNELS: &[(&str, &str)] = &[
    ("press", "steer.channel.press"),
    ("website", "steer.channel.website"),
    ("social", "steer.channel.social"),
    ("television", "steer.channel.television"),
    ("radio", "steer.channel.radio"),
    ("other", "steer.channel.other"),
];

/// The most people one comment can mention (a longer list is someone pasting a mailing list).
pub const MENTIONS_MAX: usize = 20;

/// The people a comment mentions: `@` followed by an e-mail address (`@an.nguyen@so-a.gov.vn`),
/// at the start of the text or after a character that cannot be part of an address. Addresses
/// are lower-cased, trailing punctuation dropped, repeats removed, at most [`MENTIONS_MAX`].
///
/// An address (rather than a nickname) is the handle because it is already unique, known to
/// everyone in the province, and what people paste from the directory.
pub fn mentions(text: &str) -> Vec<String> {
    let local = |c: char| c.is_ascii_alphanumeric() || "._%+-".contains(c);
    let domain = |c: char| c.is_ascii_alphanumeric() || ".-".contains(c);
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < chars.len() && out.len() < MENTIONS_MAX {
        let starts = chars[i] == '@' && (i == 0 || !(local(chars[i - 1]) || chars[i - 1] == '@'));
        if !starts {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < chars.len() && local(chars[j]) {
            j += 1;
        }
        let local_part: String = chars[i + 1..j].iter().collect();
        if local_part.is_empty() || j >= chars.len() || chars[j] != '@' {
            i = j.max(i + 1);
            continue;
        }
        let mut k = j + 1;
        while k < chars.len() && domain(chars[k]) {
            k += 1;
        }
        let dom: String = chars[j + 1..k].iter().collect();
        let dom = dom.trim_end_matches(['.', '-']);
        let local_part = local_part.trim_start_matches('.');
        if !local_part.is_empty()
            && dom.contains('.')
            && !dom.starts_with('.')
            && dom.rsplit('.').next().is_some_and(|tld| tld.len() >= 2)
        {
            let addr = format!("{local_part}@{dom}").to_lowercase();
            if !out.contains(&addr) {
                out.push(addr);
            }
        }
        i = k;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_are_at_signs_before_an_address() {
        assert_eq!(
            mentions("@an@so-a.gov.vn xem giúp, cc @Binh.Tran@so-b.gov.vn."),
            ["an@so-a.gov.vn", "binh.tran@so-b.gov.vn"]
        );
        // An address written without the @ in front, or inside a word, is not a mention.
        assert!(mentions("gửi an@so-a.gov.vn và x@@y.vn, a@b@c").is_empty());
        assert!(mentions("@ @an @an@localhost @an@x.y").is_empty());
        assert_eq!(
            mentions("(@an@so-a.gov.vn), @an@so-a.gov.vn!"),
            ["an@so-a.gov.vn"]
        );
        let many: String = (0..30).map(|n| format!("@p{n}@x.vn ")).collect();
        assert_eq!(mentions(&many).len(), MENTIONS_MAX);
    }

    #[test]
    fn statuses_move_only_forward_and_by_the_right_side() {
        use Side::*;
        use Status::*;
        assert!(Open.may_move(Accepted, Asked, false));
        assert!(!Open.may_move(Accepted, Asking, false));
        assert!(Open.may_move(Accepted, Asking, true));
        assert!(Open.may_move(Declined, Asked, false));
        assert!(Accepted.may_move(Done, Asked, false));
        assert!(Accepted.may_move(Done, Asking, false));
        assert!(Open.may_move(Cancelled, Asking, false));
        assert!(!Open.may_move(Cancelled, Asked, false));
        for end in [Declined, Done, Cancelled] {
            for to in Status::ALL {
                assert!(!end.may_move(to, Asking, true), "{end:?} → {to:?}");
            }
        }
        assert!(!Accepted.may_move(Open, Asked, false));
    }
}
