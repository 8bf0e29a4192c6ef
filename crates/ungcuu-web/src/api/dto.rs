//! Request and response bodies of the API. Update bodies list exactly the fields that may be
//! changed (no mass assignment); unknown fields are refused.

use serde::{Deserialize, Serialize};
use ungcuu_store::grants::{Grant, Grantee};
use ungcuu_store::orgs::Org;
use ungcuu_store::tokens::ApiToken;
use ungcuu_store::users::{MembershipRow, User};
use utoipa::ToSchema;
use uuid::Uuid;

fn rfc(t: time::OffsetDateTime) -> String {
    ungcuu_domain::timefmt::rfc3339(t)
}

/// A page of a list: follow `next` with `?after=` until it is null.
#[derive(Debug, Serialize, ToSchema)]
pub struct PageOut<T: ToSchema> {
    /// The rows.
    pub items: Vec<T>,
    /// Cursor of the next page.
    pub next: Option<String>,
}

/// An organisation.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrgOut {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub short_name: Option<String>,
    /// province, coordinator, csirt, steering, leadership, finance, department, district, commune, unit, contractor, national
    pub kind: String,
    pub parent_id: Option<Uuid>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<Org> for OrgOut {
    fn from(o: Org) -> Self {
        OrgOut {
            id: o.id,
            slug: o.slug,
            name: o.name,
            short_name: o.short_name,
            kind: o.kind.as_str().into(),
            parent_id: o.parent_id,
            created_at: rfc(o.created_at),
            updated_at: rfc(o.updated_at),
        }
    }
}

/// A new organisation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrgCreate {
    pub slug: String,
    pub name: String,
    pub short_name: Option<String>,
    pub kind: String,
    pub parent_id: Option<Uuid>,
}

/// Changes to an organisation; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrgPatch {
    pub name: Option<String>,
    pub short_name: Option<String>,
    pub kind: Option<String>,
    /// A new parent, or null for the top level (administrators only).
    #[serde(default, deserialize_with = "super::extract::double_option")]
    #[schema(value_type = Option<Uuid>)]
    pub parent_id: Option<Option<Uuid>>,
}

/// A membership.
#[derive(Debug, Serialize, ToSchema)]
pub struct MembershipOut {
    pub id: Uuid,
    pub user_id: Uuid,
    pub org_id: Uuid,
    pub org_name: String,
    pub org_kind: String,
    pub role: String,
    pub created_at: String,
}

impl From<MembershipRow> for MembershipOut {
    fn from(m: MembershipRow) -> Self {
        MembershipOut {
            id: m.id,
            user_id: m.user_id,
            org_id: m.org_id,
            org_name: m.org_name,
            org_kind: m.org_kind.as_str().into(),
            role: m.role.as_str().into(),
            created_at: rfc(m.created_at),
        }
    }
}

/// A person.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserOut {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub locale: String,
    pub disabled: bool,
    pub created_at: String,
    /// Present on single-user answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memberships: Option<Vec<MembershipOut>>,
}

impl UserOut {
    /// Without memberships.
    pub fn from_user(u: User) -> Self {
        UserOut {
            id: u.id,
            email: u.email,
            name: u.name,
            locale: u.locale,
            disabled: u.disabled_at.is_some(),
            created_at: rfc(u.created_at),
            memberships: None,
        }
    }
}

/// A new person with a first membership.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserCreate {
    pub email: String,
    pub name: String,
    /// At least 10 characters; omit to create an account without a password.
    pub password: Option<String>,
    pub org_id: Uuid,
    pub role: String,
    pub locale: Option<String>,
}

/// Changes to a person.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    pub name: Option<String>,
    pub locale: Option<String>,
    pub disabled: Option<bool>,
}

/// A new membership.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MembershipCreate {
    pub user_id: Uuid,
    pub org_id: Uuid,
    pub role: String,
}

/// The caller.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeOut {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub locale: String,
    pub memberships: Vec<MembershipOut>,
    /// Actions the caller may take somewhere.
    pub actions: Vec<String>,
}

/// An API token (never its secret).
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenOut {
    pub id: Uuid,
    pub label: String,
    pub prefix: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

impl From<ApiToken> for TokenOut {
    fn from(t: ApiToken) -> Self {
        TokenOut {
            id: t.id,
            label: t.label,
            prefix: t.prefix,
            created_at: rfc(t.created_at),
            last_used_at: t.last_used_at.map(rfc),
            revoked_at: t.revoked_at.map(rfc),
        }
    }
}

/// A new token.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenCreate {
    pub label: String,
}

/// A created token with its secret, shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenCreated {
    pub token: TokenOut,
    pub secret: String,
}

/// An audit event.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditOut {
    pub seq: i64,
    pub id: String,
    pub occurred_at: String,
    pub actor_user_id: Option<String>,
    pub actor_label: String,
    pub organization_id: Option<String>,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<String>,
    #[schema(value_type = Object)]
    pub summary: serde_json::Value,
    pub request_id: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

impl From<ungcuu_store::audit::Event> for AuditOut {
    fn from(e: ungcuu_store::audit::Event) -> Self {
        AuditOut {
            seq: e.seq,
            id: e.id,
            occurred_at: e.occurred_at,
            actor_user_id: e.actor_user_id,
            actor_label: e.actor_label,
            organization_id: e.organization_id,
            action: e.action,
            object_type: e.object_type,
            object_id: e.object_id,
            summary: serde_json::from_str(&e.summary).unwrap_or(serde_json::Value::Null),
            request_id: e.request_id,
            prev_hash: e.prev_hash,
            hash: e.hash,
        }
    }
}

/// A grant of access to one object.
#[derive(Debug, Serialize, ToSchema)]
pub struct GrantOut {
    pub id: Uuid,
    pub object_type: String,
    pub object_id: Uuid,
    pub grantee_org_id: Option<Uuid>,
    pub grantee_user_id: Option<Uuid>,
    pub access: String,
    pub created_at: String,
}

impl From<Grant> for GrantOut {
    fn from(g: Grant) -> Self {
        let (o, u) = match g.grantee {
            Grantee::Org(o) => (Some(o), None),
            Grantee::User(u) => (None, Some(u)),
        };
        GrantOut {
            id: g.id,
            object_type: g.object_type,
            object_id: g.object_id,
            grantee_org_id: o,
            grantee_user_id: u,
            access: g.access,
            created_at: rfc(g.created_at),
        }
    }
}

/// A new grant: exactly one of the grantee fields.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GrantCreate {
    /// `organization` (more types arrive with later capabilities).
    pub object_type: String,
    pub object_id: Uuid,
    pub grantee_org_id: Option<Uuid>,
    pub grantee_user_id: Option<Uuid>,
    /// `read` or `write`.
    pub access: String,
}

/// A test message.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MailTest {
    pub to: String,
}

/// An accepted asynchronous action.
#[derive(Debug, Serialize, ToSchema)]
pub struct Accepted {
    pub id: Uuid,
}
