//! The audit chain: each event stores the hash of the one before it, so editing or deleting
//! any stored event breaks every hash after it.

use sha2::{Digest, Sha256};

/// The hash that stands before the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The fields of an audit event that the hash covers: all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditFields<'a> {
    /// Position in the chain, from 1.
    pub seq: i64,
    /// Event id.
    pub id: &'a str,
    /// UTC time as stored.
    pub occurred_at: &'a str,
    /// The person, when there is one.
    pub actor_user_id: Option<&'a str>,
    /// A readable label for the actor (e-mail, `system`, `cli`).
    pub actor_label: &'a str,
    /// The organisation the event concerns.
    pub organization_id: Option<&'a str>,
    /// What happened, such as `org.create`.
    pub action: &'a str,
    /// The kind of object.
    pub object_type: &'a str,
    /// The object.
    pub object_id: Option<&'a str>,
    /// JSON summary of before and after.
    pub summary: &'a str,
    /// The request that caused it.
    pub request_id: Option<&'a str>,
}

impl AuditFields<'_> {
    /// The event's hash given the previous hash. Each field is length-prefixed so no two
    /// different events can serialise to the same bytes.
    pub fn hash(&self, prev_hash: &str) -> String {
        let mut h = Sha256::new();
        let mut put = |s: Option<&str>| match s {
            Some(s) => {
                h.update(s.len().to_string().as_bytes());
                h.update(b":");
                h.update(s.as_bytes());
                h.update(b"\n");
            }
            None => h.update(b"-\n"),
        };
        put(Some("ungcuu-audit-v1"));
        put(Some(prev_hash));
        put(Some(&self.seq.to_string()));
        put(Some(self.id));
        put(Some(self.occurred_at));
        put(self.actor_user_id);
        put(Some(self.actor_label));
        put(self.organization_id);
        put(Some(self.action));
        put(Some(self.object_type));
        put(self.object_id);
        put(Some(self.summary));
        put(self.request_id);
        hex::encode(h.finalize())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(summary: &str) -> AuditFields<'_> {
        AuditFields {
            seq: 1,
            id: "e1",
            occurred_at: "2026-01-01T00:00:00.000000Z",
            actor_user_id: None,
            actor_label: "cli",
            organization_id: None,
            action: "org.create",
            object_type: "organization",
            object_id: Some("o1"),
            summary,
            request_id: None,
        }
    }

    #[test]
    fn any_field_change_or_other_predecessor_changes_the_hash() {
        let a = ev("{}").hash(GENESIS);
        assert_eq!(a, ev("{}").hash(GENESIS));
        assert_ne!(a, ev("{ }").hash(GENESIS));
        assert_ne!(a, ev("{}").hash(&a));
    }

    #[test]
    fn absent_and_empty_fields_hash_differently() {
        let mut e = ev("{}");
        let absent = e.hash(GENESIS);
        e.object_id = Some("");
        assert_ne!(absent, e.hash(GENESIS));
    }
}
