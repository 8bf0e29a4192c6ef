//! Organisation kinds and membership roles.
//!
//! Names and structure of the province are data; only the *kinds* of organisation and the
//! *roles* people hold in them are fixed here, because permissions are written against them.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What an organisation is in the provincial network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// The province itself, root of the tree (UBND tỉnh as the legal person).
    Province,
    /// Cơ quan chuyên trách: Sở TT&TT (since 2025 Sở KH&CN), the provincial coordinator.
    Coordinator,
    /// Đội ứng cứu khẩn cấp sự cố ATTT mạng tỉnh.
    Csirt,
    /// Ban Chỉ đạo (Chuyển đổi số tỉnh).
    Steering,
    /// Lãnh đạo UBND tỉnh: receives the implementation reports.
    Leadership,
    /// Sở Tài chính.
    Finance,
    /// Sở, ban, ngành.
    Department,
    /// UBND huyện, thành phố (gone since 2025 in most provinces; kept for history).
    District,
    /// UBND xã, phường, thị trấn.
    Commune,
    /// A unit under a department or district (trung tâm, chi cục, ...).
    Unit,
    /// A contractor operating or protecting systems (đơn vị cung cấp dịch vụ).
    Contractor,
    /// The national coordinator (VNCERT/CC) or another national body, an external party.
    National,
}

impl OrgKind {
    /// Every kind, in the order forms and menus show them.
    pub const ALL: [OrgKind; 12] = [
        OrgKind::Province,
        OrgKind::Coordinator,
        OrgKind::Csirt,
        OrgKind::Steering,
        OrgKind::Leadership,
        OrgKind::Finance,
        OrgKind::Department,
        OrgKind::District,
        OrgKind::Commune,
        OrgKind::Unit,
        OrgKind::Contractor,
        OrgKind::National,
    ];

    /// The stable identifier stored in the database and used in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Province => "province",
            OrgKind::Coordinator => "coordinator",
            OrgKind::Csirt => "csirt",
            OrgKind::Steering => "steering",
            OrgKind::Leadership => "leadership",
            OrgKind::Finance => "finance",
            OrgKind::Department => "department",
            OrgKind::District => "district",
            OrgKind::Commune => "commune",
            OrgKind::Unit => "unit",
            OrgKind::Contractor => "contractor",
            OrgKind::National => "national",
        }
    }

    /// Vietnamese label.
    pub fn label_vi(self) -> &'static str {
        match self {
            OrgKind::Province => "Tỉnh",
            OrgKind::Coordinator => "Cơ quan chuyên trách (điều phối)",
            OrgKind::Csirt => "Đội ứng cứu khẩn cấp",
            OrgKind::Steering => "Ban Chỉ đạo",
            OrgKind::Leadership => "Lãnh đạo UBND tỉnh",
            OrgKind::Finance => "Sở Tài chính",
            OrgKind::Department => "Sở, ban, ngành",
            OrgKind::District => "UBND huyện, thành phố",
            OrgKind::Commune => "UBND xã, phường",
            OrgKind::Unit => "Đơn vị trực thuộc",
            OrgKind::Contractor => "Nhà thầu, đơn vị cung cấp dịch vụ",
            OrgKind::National => "Cơ quan trung ương",
        }
    }

    /// English label.
    pub fn label_en(self) -> &'static str {
        match self {
            OrgKind::Province => "Province",
            OrgKind::Coordinator => "Coordinator",
            OrgKind::Csirt => "Response team (CSIRT)",
            OrgKind::Steering => "Steering committee",
            OrgKind::Leadership => "Provincial leadership",
            OrgKind::Finance => "Finance",
            OrgKind::Department => "Department",
            OrgKind::District => "District",
            OrgKind::Commune => "Commune",
            OrgKind::Unit => "Unit",
            OrgKind::Contractor => "Contractor",
            OrgKind::National => "National body",
        }
    }
}

impl fmt::Display for OrgKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An unknown kind or role name.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown value `{0}`")]
pub struct UnknownName(pub String);

impl FromStr for OrgKind {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        OrgKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| UnknownName(s.to_string()))
    }
}

/// A role a person holds in one organisation (a membership is user × organisation × role).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Installation administrator: users, organisations, settings.
    Admin,
    /// Province-wide operations when held in the coordinator organisation.
    Coordinator,
    /// Cán bộ phụ trách ATTT: the organisation's security officer and focal point.
    Officer,
    /// The system owner's leader who approves response options and security levels.
    Approver,
    /// Member of the response team.
    Responder,
    /// Member of the steering committee.
    Steering,
    /// Reviews budget estimates.
    Finance,
    /// Read only.
    Viewer,
}

impl Role {
    /// Every role, most powerful first.
    pub const ALL: [Role; 8] = [
        Role::Admin,
        Role::Coordinator,
        Role::Officer,
        Role::Approver,
        Role::Responder,
        Role::Steering,
        Role::Finance,
        Role::Viewer,
    ];

    /// The stable identifier.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Coordinator => "coordinator",
            Role::Officer => "officer",
            Role::Approver => "approver",
            Role::Responder => "responder",
            Role::Steering => "steering",
            Role::Finance => "finance",
            Role::Viewer => "viewer",
        }
    }

    /// Vietnamese label.
    pub fn label_vi(self) -> &'static str {
        match self {
            Role::Admin => "Quản trị hệ thống",
            Role::Coordinator => "Điều phối",
            Role::Officer => "Cán bộ phụ trách ATTT",
            Role::Approver => "Lãnh đạo phê duyệt",
            Role::Responder => "Thành viên đội ứng cứu",
            Role::Steering => "Thành viên Ban Chỉ đạo",
            Role::Finance => "Thẩm định kinh phí",
            Role::Viewer => "Chỉ xem",
        }
    }

    /// English label.
    pub fn label_en(self) -> &'static str {
        match self {
            Role::Admin => "Administrator",
            Role::Coordinator => "Coordinator",
            Role::Officer => "Security officer",
            Role::Approver => "Approver",
            Role::Responder => "Responder",
            Role::Steering => "Steering committee member",
            Role::Finance => "Finance reviewer",
            Role::Viewer => "Viewer",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownName(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_roles_round_trip_through_their_names() {
        for k in OrgKind::ALL {
            assert_eq!(k.as_str().parse::<OrgKind>().unwrap(), k);
        }
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>().unwrap(), r);
        }
        assert!("wizard".parse::<Role>().is_err());
    }
}
