//! The permission model, as one table.
//!
//! A person holds roles in organisations (memberships). Each row of [`TABLE`] says what a role
//! allows and how far it reaches from the organisation where it is held. `docs/permissions.md`
//! is this table written out; a test there keeps them in step.

use crate::org::{OrgKind, Role};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// Something a person may do. Later capabilities add their actions here and rows to [`TABLE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// See an organisation and its profile.
    OrgRead,
    /// Create an organisation under one the person may administer.
    OrgCreate,
    /// Edit an organisation's name, kind or place in the tree.
    OrgUpdate,
    /// See the people of an organisation and their memberships.
    UserRead,
    /// Create and disable accounts and change memberships in an organisation.
    UserManage,
    /// Read the audit log.
    AuditRead,
    /// Give another organisation or person access to one object.
    GrantManage,
    /// Installation settings.
    SettingsManage,
    /// Edit an organisation's profile (Mẫu 01) and assign its focal points.
    ProfileUpdate,
    /// Manage the response team roster and its on-call schedule.
    RosterManage,
    /// Convene the response team.
    TeamConvene,
    /// Add, import and remove an organisation's constituency (IP ranges, domains, AS numbers).
    ConstituencyManage,
    /// Register, edit, import and delete an organisation's information systems.
    SystemManage,
    /// Record that a system's security level was appraised.
    SystemAppraise,
    /// Approve a system's security level (the owner's approver).
    SystemApprove,
    /// See an organisation's incidents, their reports and timelines.
    IncidentRead,
    /// Report an incident (Mẫu 03) for an organisation.
    IncidentReport,
    /// Drive the response of an organisation's incidents: the operator's steps, comments,
    /// timeline, classification, review.
    IncidentHandle,
    /// Approve or send back the response option the operator proposes (the owner's leader).
    IncidentApprove,
    /// Coordinate: reject, mark duplicate or merged, close, override severity, set the rules.
    IncidentCoordinate,
    /// Steer a serious incident: record directions, convene the response team for it, name the
    /// spokesperson and who may release information, log public statements.
    IncidentSteer,
}

impl Action {
    /// Every action.
    pub const ALL: &'static [Action] = &[
        Action::OrgRead,
        Action::OrgCreate,
        Action::OrgUpdate,
        Action::UserRead,
        Action::UserManage,
        Action::AuditRead,
        Action::GrantManage,
        Action::SettingsManage,
        Action::ProfileUpdate,
        Action::RosterManage,
        Action::TeamConvene,
        Action::ConstituencyManage,
        Action::SystemManage,
        Action::SystemAppraise,
        Action::SystemApprove,
        Action::IncidentRead,
        Action::IncidentReport,
        Action::IncidentHandle,
        Action::IncidentApprove,
        Action::IncidentCoordinate,
        Action::IncidentSteer,
    ];

    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::OrgRead => "org.read",
            Action::OrgCreate => "org.create",
            Action::OrgUpdate => "org.update",
            Action::UserRead => "user.read",
            Action::UserManage => "user.manage",
            Action::AuditRead => "audit.read",
            Action::GrantManage => "grant.manage",
            Action::SettingsManage => "settings.manage",
            Action::ProfileUpdate => "profile.update",
            Action::RosterManage => "roster.manage",
            Action::TeamConvene => "team.convene",
            Action::ConstituencyManage => "constituency.manage",
            Action::SystemManage => "system.manage",
            Action::SystemAppraise => "system.appraise",
            Action::SystemApprove => "system.approve",
            Action::IncidentRead => "incident.read",
            Action::IncidentReport => "incident.report",
            Action::IncidentHandle => "incident.handle",
            Action::IncidentApprove => "incident.approve",
            Action::IncidentCoordinate => "incident.coordinate",
            Action::IncidentSteer => "incident.steer",
        }
    }
}

/// How far a role reaches from the organisation where it is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// The whole installation, wherever the role is held.
    Installation,
    /// The whole province when held in an organisation of one of these kinds; otherwise the
    /// organisation and everything under it.
    ProvinceWhenHeldIn(&'static [OrgKind]),
    /// The organisation and everything under it.
    Subtree,
    /// The organisation only.
    Own,
}

/// One row of the permission table.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// The role.
    pub role: Role,
    /// How far it reaches.
    pub reach: Reach,
    /// What it allows.
    pub actions: &'static [Action],
}

use Action::*;

/// The permission table. Keep `docs/permissions.md` in step (a test compares them).
pub const TABLE: &[Rule] = &[
    Rule {
        role: Role::Admin,
        reach: Reach::Installation,
        actions: Action::ALL,
    },
    Rule {
        role: Role::Coordinator,
        reach: Reach::ProvinceWhenHeldIn(&[OrgKind::Coordinator]),
        actions: &[
            OrgRead,
            OrgCreate,
            OrgUpdate,
            UserRead,
            UserManage,
            AuditRead,
            GrantManage,
            ProfileUpdate,
            RosterManage,
            TeamConvene,
            ConstituencyManage,
            SystemManage,
            SystemAppraise,
            IncidentRead,
            IncidentReport,
            IncidentHandle,
            IncidentApprove,
            IncidentCoordinate,
            IncidentSteer,
        ],
    },
    Rule {
        role: Role::Officer,
        reach: Reach::Subtree,
        actions: &[
            OrgRead,
            UserRead,
            ProfileUpdate,
            ConstituencyManage,
            SystemManage,
            IncidentRead,
            IncidentReport,
            IncidentHandle,
        ],
    },
    Rule {
        role: Role::Approver,
        reach: Reach::Subtree,
        actions: &[
            OrgRead,
            UserRead,
            SystemManage,
            SystemApprove,
            IncidentRead,
            IncidentApprove,
        ],
    },
    Rule {
        role: Role::Responder,
        reach: Reach::Own,
        actions: &[OrgRead, IncidentRead],
    },
    Rule {
        role: Role::Steering,
        reach: Reach::ProvinceWhenHeldIn(&[OrgKind::Steering]),
        actions: &[OrgRead, TeamConvene, IncidentRead, IncidentSteer],
    },
    Rule {
        role: Role::Finance,
        reach: Reach::ProvinceWhenHeldIn(&[OrgKind::Finance]),
        actions: &[OrgRead],
    },
    Rule {
        role: Role::Viewer,
        reach: Reach::Own,
        actions: &[OrgRead, IncidentRead],
    },
];

/// One role held in one organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    /// The organisation.
    pub org_id: Uuid,
    /// Its kind (decides the reach of some roles).
    pub org_kind: OrgKind,
    /// The role held there.
    pub role: Role,
}

/// The set of organisations an action reaches.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Visibility {
    /// Every organisation.
    All,
    /// These organisations only (possibly none).
    Orgs(HashSet<Uuid>),
    /// Nothing.
    #[default]
    Nothing,
}

impl Visibility {
    /// True when `org` is inside.
    pub fn contains(&self, org: Uuid) -> bool {
        match self {
            Visibility::All => true,
            Visibility::Orgs(s) => s.contains(&org),
            Visibility::Nothing => false,
        }
    }

    fn extend(&mut self, other: Visibility) {
        let merged = match (std::mem::take(self), other) {
            (Visibility::All, _) | (_, Visibility::All) => Visibility::All,
            (Visibility::Nothing, o) | (o, Visibility::Nothing) => o,
            (Visibility::Orgs(mut a), Visibility::Orgs(b)) => {
                a.extend(b);
                Visibility::Orgs(a)
            }
        };
        *self = merged;
    }

    /// The organisation ids, or `None` for all.
    pub fn org_ids(&self) -> Option<Vec<Uuid>> {
        match self {
            Visibility::All => None,
            Visibility::Orgs(s) => Some(s.iter().copied().collect()),
            Visibility::Nothing => Some(Vec::new()),
        }
    }
}

/// The organisation tree as a parent map, enough to find subtrees.
#[derive(Debug, Clone, Default)]
pub struct OrgTree {
    children: HashMap<Uuid, Vec<Uuid>>,
}

impl OrgTree {
    /// Builds the tree from (id, parent) pairs.
    pub fn new(pairs: impl IntoIterator<Item = (Uuid, Option<Uuid>)>) -> Self {
        let mut children: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
        for (id, parent) in pairs {
            if let Some(p) = parent {
                children.entry(p).or_default().push(id);
            }
        }
        Self { children }
    }

    /// `root` and everything under it. Cycles cannot loop forever.
    pub fn subtree(&self, root: Uuid) -> HashSet<Uuid> {
        let mut seen = HashSet::from([root]);
        let mut stack = vec![root];
        while let Some(n) = stack.pop() {
            for c in self.children.get(&n).into_iter().flatten() {
                if seen.insert(*c) {
                    stack.push(*c);
                }
            }
        }
        seen
    }
}

/// A signed-in person with what each action reaches, computed once per request.
#[derive(Debug, Clone)]
pub struct Principal {
    /// The person.
    pub user_id: Uuid,
    /// Their memberships.
    pub memberships: Vec<Membership>,
    reach: HashMap<Action, Visibility>,
}

impl Principal {
    /// Resolves the table for these memberships against the organisation tree.
    pub fn new(user_id: Uuid, memberships: Vec<Membership>, tree: &OrgTree) -> Self {
        let mut reach: HashMap<Action, Visibility> = HashMap::new();
        for m in &memberships {
            for rule in TABLE.iter().filter(|r| r.role == m.role) {
                let vis = match rule.reach {
                    Reach::Installation => Visibility::All,
                    Reach::ProvinceWhenHeldIn(kinds) if kinds.contains(&m.org_kind) => {
                        Visibility::All
                    }
                    Reach::ProvinceWhenHeldIn(_) | Reach::Subtree => {
                        Visibility::Orgs(tree.subtree(m.org_id))
                    }
                    Reach::Own => Visibility::Orgs(HashSet::from([m.org_id])),
                };
                for a in rule.actions {
                    reach.entry(*a).or_default().extend(vis.clone());
                }
            }
        }
        Self {
            user_id,
            memberships,
            reach,
        }
    }

    /// May the person do `action` on something owned by `org`?
    pub fn can(&self, action: Action, org: Uuid) -> bool {
        self.reach.get(&action).is_some_and(|v| v.contains(org))
    }

    /// May the person do `action` anywhere at all?
    pub fn can_somewhere(&self, action: Action) -> bool {
        self.reach.get(&action).is_some_and(|v| {
            !matches!(v, Visibility::Nothing) && v != &Visibility::Orgs(HashSet::new())
        })
    }

    /// Does `action` reach every organisation?
    pub fn can_everywhere(&self, action: Action) -> bool {
        matches!(self.reach.get(&action), Some(Visibility::All))
    }

    /// The organisations `action` reaches.
    pub fn visibility(&self, action: Action) -> Visibility {
        self.reach.get(&action).cloned().unwrap_or_default()
    }

    /// True when the person is an installation administrator.
    pub fn is_admin(&self) -> bool {
        self.memberships.iter().any(|m| m.role == Role::Admin)
    }

    /// The organisations the person belongs to.
    pub fn org_ids(&self) -> Vec<Uuid> {
        let mut v: Vec<Uuid> = self.memberships.iter().map(|m| m.org_id).collect();
        v.sort();
        v.dedup();
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Tree {
        province: Uuid,
        coord: Uuid,
        dept: Uuid,
        unit: Uuid,
        district: Uuid,
        tree: OrgTree,
        kinds: HashMap<Uuid, OrgKind>,
    }

    fn tree() -> Tree {
        let province = Uuid::new_v4();
        let coord = Uuid::new_v4();
        let dept = Uuid::new_v4();
        let unit = Uuid::new_v4();
        let district = Uuid::new_v4();
        let tree = OrgTree::new([
            (province, None),
            (coord, Some(province)),
            (dept, Some(province)),
            (unit, Some(dept)),
            (district, Some(province)),
        ]);
        let kinds = HashMap::from([
            (province, OrgKind::Province),
            (coord, OrgKind::Coordinator),
            (dept, OrgKind::Department),
            (unit, OrgKind::Unit),
            (district, OrgKind::District),
        ]);
        Tree {
            province,
            coord,
            dept,
            unit,
            district,
            tree,
            kinds,
        }
    }

    fn who(t: &Tree, org: Uuid, role: Role) -> Principal {
        Principal::new(
            Uuid::new_v4(),
            vec![Membership {
                org_id: org,
                org_kind: t.kinds[&org],
                role,
            }],
            &t.tree,
        )
    }

    #[test]
    fn officer_reaches_own_subtree_and_nothing_else() {
        let t = tree();
        let p = who(&t, t.dept, Role::Officer);
        assert!(p.can(Action::OrgRead, t.dept));
        assert!(p.can(Action::OrgRead, t.unit));
        assert!(!p.can(Action::OrgRead, t.district));
        assert!(!p.can(Action::OrgRead, t.province));
        assert!(!p.can(Action::UserManage, t.dept));
    }

    #[test]
    fn coordinator_role_reaches_the_province_only_from_the_coordinator_org() {
        let t = tree();
        let in_coord = who(&t, t.coord, Role::Coordinator);
        assert!(in_coord.can(Action::OrgRead, t.district));
        assert!(in_coord.can_everywhere(Action::AuditRead));
        let elsewhere = who(&t, t.dept, Role::Coordinator);
        assert!(elsewhere.can(Action::OrgRead, t.unit));
        assert!(!elsewhere.can(Action::OrgRead, t.district));
    }

    #[test]
    fn admin_reaches_everything_and_viewer_only_reads_its_own() {
        let t = tree();
        let admin = who(&t, t.district, Role::Admin);
        for a in Action::ALL {
            assert!(admin.can(*a, t.coord));
        }
        let viewer = who(&t, t.dept, Role::Viewer);
        assert!(viewer.can(Action::OrgRead, t.dept));
        assert!(!viewer.can(Action::OrgRead, t.unit));
        assert!(!viewer.can_somewhere(Action::UserRead));
    }

    #[test]
    fn every_role_has_a_row() {
        for r in Role::ALL {
            assert!(TABLE.iter().any(|row| row.role == r), "{r} has no row");
        }
    }
}

#[cfg(test)]
mod doc_tests {
    use super::*;

    fn reach_words(r: Reach) -> String {
        match r {
            Reach::Installation => "installation".into(),
            Reach::ProvinceWhenHeldIn(kinds) => format!(
                "province when held in {}, else subtree",
                kinds
                    .iter()
                    .map(|k| k.as_str())
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
            Reach::Subtree => "subtree".into(),
            Reach::Own => "own".into(),
        }
    }

    #[test]
    fn permissions_doc_matches_the_table() {
        let doc = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../docs/permissions.md"
        ))
        .expect("docs/permissions.md");
        let section = doc.split("## The table").nth(1).expect("table section");
        let section = section.split("\n## ").next().unwrap_or(section);
        let rows: Vec<(String, String, String)> = section
            .lines()
            .filter(|l| l.starts_with("| `"))
            .map(|l| {
                let cells: Vec<&str> = l.trim_matches('|').split('|').map(str::trim).collect();
                (
                    cells[0].trim_matches('`').to_string(),
                    cells[1].to_string(),
                    cells[2].to_string(),
                )
            })
            .collect();
        let expected: Vec<(String, String, String)> = TABLE
            .iter()
            .map(|r| {
                (
                    r.role.as_str().to_string(),
                    reach_words(r.reach),
                    r.actions
                        .iter()
                        .map(|a| a.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                )
            })
            .collect();
        assert_eq!(rows, expected, "docs/permissions.md and TABLE disagree");
    }
}
