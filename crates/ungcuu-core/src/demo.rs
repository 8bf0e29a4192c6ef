//! The demo province: the organisation tree the plan describes and one person per role.
//! Loading twice changes nothing: what exists (by slug or e-mail) is left alone.

use crate::orgs::NewOrg;
use crate::users::NewUser;
use crate::{Actor, Core, Result, secrets};
use ungcuu_store::{orgs, users};

/// (slug, name, short name, kind, parent slug)
type DemoOrg = (
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static str,
    Option<&'static str>,
);

const ORGS: &[DemoOrg] = &[
    (
        "dong-thap",
        "Ủy ban nhân dân tỉnh Đồng Tháp",
        Some("UBND tỉnh"),
        "province",
        None,
    ),
    (
        "ban-chi-dao",
        "Ban Chỉ đạo Chuyển đổi số tỉnh Đồng Tháp",
        Some("Ban Chỉ đạo"),
        "steering",
        Some("dong-thap"),
    ),
    (
        "lanh-dao-ubnd",
        "Văn phòng Ủy ban nhân dân tỉnh",
        Some("VP UBND tỉnh"),
        "leadership",
        Some("dong-thap"),
    ),
    (
        "so-tttt",
        "Sở Thông tin và Truyền thông",
        Some("Sở TT&TT"),
        "coordinator",
        Some("dong-thap"),
    ),
    (
        "doi-ung-cuu",
        "Đội ứng cứu khẩn cấp sự cố an toàn thông tin mạng tỉnh Đồng Tháp",
        Some("Đội ƯCSC"),
        "csirt",
        Some("so-tttt"),
    ),
    (
        "so-tai-chinh",
        "Sở Tài chính",
        None,
        "finance",
        Some("dong-thap"),
    ),
    (
        "so-noi-vu",
        "Sở Nội vụ",
        None,
        "department",
        Some("dong-thap"),
    ),
    ("so-y-te", "Sở Y tế", None, "department", Some("dong-thap")),
    (
        "so-gddt",
        "Sở Giáo dục và Đào tạo",
        Some("Sở GD&ĐT"),
        "department",
        Some("dong-thap"),
    ),
    (
        "so-khdt",
        "Sở Kế hoạch và Đầu tư",
        Some("Sở KH&ĐT"),
        "department",
        Some("dong-thap"),
    ),
    (
        "so-tnmt",
        "Sở Tài nguyên và Môi trường",
        Some("Sở TN&MT"),
        "department",
        Some("dong-thap"),
    ),
    (
        "tp-cao-lanh",
        "Ủy ban nhân dân thành phố Cao Lãnh",
        Some("UBND TP Cao Lãnh"),
        "district",
        Some("dong-thap"),
    ),
    (
        "tp-sa-dec",
        "Ủy ban nhân dân thành phố Sa Đéc",
        Some("UBND TP Sa Đéc"),
        "district",
        Some("dong-thap"),
    ),
    (
        "tp-hong-ngu",
        "Ủy ban nhân dân thành phố Hồng Ngự",
        Some("UBND TP Hồng Ngự"),
        "district",
        Some("dong-thap"),
    ),
    (
        "h-thap-muoi",
        "Ủy ban nhân dân huyện Tháp Mười",
        Some("UBND huyện Tháp Mười"),
        "district",
        Some("dong-thap"),
    ),
    (
        "h-lap-vo",
        "Ủy ban nhân dân huyện Lấp Vò",
        Some("UBND huyện Lấp Vò"),
        "district",
        Some("dong-thap"),
    ),
    (
        "xa-my-tan",
        "Ủy ban nhân dân xã Mỹ Tân",
        None,
        "commune",
        Some("tp-cao-lanh"),
    ),
    (
        "vncert",
        "Trung tâm Ứng cứu khẩn cấp không gian mạng Việt Nam",
        Some("VNCERT/CC"),
        "national",
        None,
    ),
];

/// (role, name, organisation slug): one demo person per role, e-mail `<role>@demo.test`.
const PEOPLE: &[(&str, &str, &str)] = &[
    ("admin", "Nguyễn Văn Quản", "so-tttt"),
    ("coordinator", "Trần Thị Điều", "so-tttt"),
    ("officer", "Lê Minh Phụ Trách", "so-y-te"),
    ("approver", "Phạm Đức Duyệt", "so-y-te"),
    ("responder", "Võ Thành Ứng", "doi-ung-cuu"),
    ("steering", "Huỳnh Văn Chỉ Đạo", "ban-chi-dao"),
    ("finance", "Đặng Thị Tài", "so-tai-chinh"),
    ("viewer", "Bùi Thị Xem", "tp-cao-lanh"),
];

/// What a load did.
#[derive(Debug, Clone, Default)]
pub struct DemoLoad {
    /// Organisations created now.
    pub orgs_created: usize,
    /// People created now, with the e-mail of each.
    pub users_created: Vec<String>,
    /// The password of the people created now (None when nobody was created).
    pub password: Option<String>,
}

/// Loads what is missing of the demo province.
pub async fn load(core: &Core) -> Result<DemoLoad> {
    let actor = Actor::system("demo");
    let mut out = DemoLoad::default();
    for (slug, name, short, kind, parent) in ORGS {
        let mut c = core.db.conn().await?;
        if orgs::by_slug(&mut c, slug).await?.is_some() {
            continue;
        }
        let parent_id = match parent {
            Some(p) => orgs::by_slug(&mut c, p).await?.map(|o| o.id),
            None => None,
        };
        drop(c);
        crate::orgs::create(
            core,
            &actor,
            NewOrg {
                slug: slug.to_string(),
                name: name.to_string(),
                short_name: short.map(str::to_string),
                kind: kind.to_string(),
                parent_id,
            },
        )
        .await?;
        out.orgs_created += 1;
    }
    // A readable password for people trying the demo; random so two installations differ.
    let password = format!("demo-{}", &secrets::token()[..12]);
    for (role, name, org) in PEOPLE {
        let email = format!("{role}@demo.test");
        let mut c = core.db.conn().await?;
        if users::by_email(&mut c, &email).await?.is_some() {
            continue;
        }
        let org_id = orgs::by_slug(&mut c, org).await?.map(|o| o.id);
        drop(c);
        crate::users::create(
            core,
            &actor,
            NewUser {
                email: email.clone(),
                name: name.to_string(),
                password: Some(password.clone()),
                org_id,
                role: role.to_string(),
                locale: Some("vi".into()),
            },
        )
        .await?;
        out.users_created.push(email);
    }
    if !out.users_created.is_empty() {
        out.password = Some(password);
    }
    Ok(out)
}
