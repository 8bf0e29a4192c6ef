//! Who is doing something: a signed-in person, the command line, or the system itself.

use ungcuu_domain::Principal;
use ungcuu_store::audit::NewEvent;
use uuid::Uuid;

/// The acting party of a use case, with what it may do.
#[derive(Debug, Clone)]
pub struct Actor {
    /// The person, when a person acts.
    pub principal: Option<Principal>,
    /// A readable label for the audit log.
    pub label: String,
    /// The request id, for the audit log.
    pub request_id: Option<String>,
}

impl Actor {
    /// A signed-in person.
    pub fn person(principal: Principal, email: &str, request_id: Option<String>) -> Self {
        Actor {
            principal: Some(principal),
            label: email.to_string(),
            request_id,
        }
    }

    /// The operator at the command line: trusted, as it has the database itself.
    pub fn cli() -> Self {
        Actor {
            principal: None,
            label: "cli".into(),
            request_id: None,
        }
    }

    /// The system (jobs, setup, demo loader).
    pub fn system(label: &str) -> Self {
        Actor {
            principal: None,
            label: label.into(),
            request_id: None,
        }
    }

    /// The person's id.
    pub fn user_id(&self) -> Option<Uuid> {
        self.principal.as_ref().map(|p| p.user_id)
    }

    /// An audit event by this actor.
    pub fn event(
        &self,
        action: &str,
        object_type: &str,
        object_id: Option<String>,
        org: Option<Uuid>,
        summary: serde_json::Value,
    ) -> NewEvent {
        NewEvent {
            actor_user_id: self.user_id(),
            actor_label: self.label.clone(),
            organization_id: org,
            action: action.into(),
            object_type: object_type.into(),
            object_id,
            summary,
            request_id: self.request_id.clone(),
        }
    }

    /// One event standing for a bulk operation (an import of thousands of rows): the counts and
    /// a SHA-256 of the content instead of one event per row, so the chain stays small and the
    /// batch can still be proven unchanged.
    pub fn batch_event(
        &self,
        action: &str,
        object_type: &str,
        org: Option<Uuid>,
        counts: serde_json::Value,
        content_sha256: &str,
    ) -> NewEvent {
        self.event(
            action,
            object_type,
            None,
            org,
            serde_json::json!({ "batch": true, "counts": counts, "content_sha256": content_sha256 }),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_event_carries_counts_and_the_content_hash() {
        let e = Actor::cli().batch_event(
            "feed.import",
            "alert",
            None,
            serde_json::json!({"rows": 10000, "rejected": 3}),
            "ab12",
        );
        assert_eq!(e.summary["counts"]["rows"], 10000);
        assert_eq!(e.summary["content_sha256"], "ab12");
        assert_eq!(e.actor_label, "cli");
        assert!(e.object_id.is_none());
    }
}
