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
        "ttpvhcc",
        "Trung tâm Phục vụ hành chính công tỉnh",
        Some("TT PVHCC"),
        "unit",
        Some("lanh-dao-ubnd"),
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
        "ttcntt",
        "Trung tâm Công nghệ thông tin và Truyền thông",
        Some("TT CNTT&TT"),
        "unit",
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
    (
        "so-tu-phap",
        "Sở Tư pháp",
        None,
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
        "so-cong-thuong",
        "Sở Công Thương",
        None,
        "department",
        Some("dong-thap"),
    ),
    (
        "so-nnptnt",
        "Sở Nông nghiệp và Phát triển nông thôn",
        Some("Sở NN&PTNT"),
        "department",
        Some("dong-thap"),
    ),
    (
        "so-gtvt",
        "Sở Giao thông vận tải",
        Some("Sở GTVT"),
        "department",
        Some("dong-thap"),
    ),
    (
        "so-xay-dung",
        "Sở Xây dựng",
        None,
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
        "so-ldtbxh",
        "Sở Lao động - Thương binh và Xã hội",
        Some("Sở LĐ-TB&XH"),
        "department",
        Some("dong-thap"),
    ),
    (
        "so-vhttdl",
        "Sở Văn hóa, Thể thao và Du lịch",
        Some("Sở VH-TT&DL"),
        "department",
        Some("dong-thap"),
    ),
    (
        "so-khcn",
        "Sở Khoa học và Công nghệ",
        Some("Sở KH&CN"),
        "department",
        Some("dong-thap"),
    ),
    (
        "so-gddt",
        "Sở Giáo dục và Đào tạo",
        Some("Sở GD&ĐT"),
        "department",
        Some("dong-thap"),
    ),
    ("so-y-te", "Sở Y tế", None, "department", Some("dong-thap")),
    (
        "thanh-tra",
        "Thanh tra tỉnh",
        None,
        "department",
        Some("dong-thap"),
    ),
    (
        "ban-qlkkt",
        "Ban Quản lý Khu kinh tế tỉnh",
        Some("BQL KKT"),
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
        "h-tan-hong",
        "Ủy ban nhân dân huyện Tân Hồng",
        Some("UBND huyện Tân Hồng"),
        "district",
        Some("dong-thap"),
    ),
    (
        "h-hong-ngu",
        "Ủy ban nhân dân huyện Hồng Ngự",
        Some("UBND huyện Hồng Ngự"),
        "district",
        Some("dong-thap"),
    ),
    (
        "h-tam-nong",
        "Ủy ban nhân dân huyện Tam Nông",
        Some("UBND huyện Tam Nông"),
        "district",
        Some("dong-thap"),
    ),
    (
        "h-thanh-binh",
        "Ủy ban nhân dân huyện Thanh Bình",
        Some("UBND huyện Thanh Bình"),
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
        "h-cao-lanh",
        "Ủy ban nhân dân huyện Cao Lãnh",
        Some("UBND huyện Cao Lãnh"),
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
        "h-lai-vung",
        "Ủy ban nhân dân huyện Lai Vung",
        Some("UBND huyện Lai Vung"),
        "district",
        Some("dong-thap"),
    ),
    (
        "h-chau-thanh",
        "Ủy ban nhân dân huyện Châu Thành",
        Some("UBND huyện Châu Thành"),
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
        "phuong-1-sa-dec",
        "Ủy ban nhân dân Phường 1, thành phố Sa Đéc",
        None,
        "commune",
        Some("tp-sa-dec"),
    ),
    (
        "vnpt-dong-thap",
        "Viễn thông Đồng Tháp (VNPT Đồng Tháp)",
        Some("VNPT Đồng Tháp"),
        "contractor",
        None,
    ),
    (
        "viettel-dong-thap",
        "Viettel Đồng Tháp",
        None,
        "contractor",
        None,
    ),
    (
        "vncert",
        "Trung tâm Ứng cứu khẩn cấp không gian mạng Việt Nam",
        Some("VNCERT/CC"),
        "national",
        None,
    ),
];

/// Family, middle and given names the security officers of the demo get, picked in turn.
const FAMILY: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
    "Dương", "Lý",
];
const MIDDLE: &[&str] = &[
    "Văn",
    "Thị",
    "Minh",
    "Thanh",
    "Hoàng",
    "Ngọc",
    "Quốc",
    "Thị Kim",
];
const GIVEN: &[&str] = &[
    "An", "Bình", "Cường", "Dũng", "Hạnh", "Hải", "Khoa", "Lan", "Long", "Mai", "Nam", "Nhân",
    "Phúc", "Quyên", "Sơn", "Tâm", "Thảo", "Trung", "Tuấn", "Vy", "Yến",
];

/// The kinds of organisation that get a security officer of their own in the demo.
const WITH_OFFICER: &[&str] = &[
    "coordinator",
    "csirt",
    "department",
    "district",
    "unit",
    "commune",
    "finance",
    "leadership",
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
    // Hashed once: every demo account shares it, and Argon2 is slow on purpose.
    let password = format!("demo-{}", &secrets::token()[..12]);
    let hash = crate::auth::hash_password_blocking(password.clone()).await?;
    let mut people: Vec<(String, String, &str, &str)> = PEOPLE
        .iter()
        .map(|(role, name, org)| (format!("{role}@demo.test"), name.to_string(), *org, *role))
        .collect();
    for (i, (slug, _, _, kind, _)) in ORGS.iter().enumerate() {
        if WITH_OFFICER.contains(kind) {
            let name = format!(
                "{} {} {}",
                FAMILY[i % FAMILY.len()],
                MIDDLE[(i * 3) % MIDDLE.len()],
                GIVEN[(i * 7) % GIVEN.len()]
            );
            people.push((format!("canbo.{slug}@demo.test"), name, slug, "officer"));
        }
    }
    for (email, name, org, role) in people {
        let mut c = core.db.conn().await?;
        if users::by_email(&mut c, &email).await?.is_some() {
            continue;
        }
        let org_id = orgs::by_slug(&mut c, org).await?.map(|o| o.id);
        drop(c);
        let mut p = crate::users::prepare(
            core,
            &actor,
            NewUser {
                email: email.clone(),
                name,
                password: None,
                org_id,
                role: role.to_string(),
                locale: Some("vi".into()),
            },
        )
        .await?;
        p.user.password_hash = Some(hash.clone());
        let mut tx = core.db.begin().await?;
        crate::users::insert_prepared(&mut tx, &actor, &p).await?;
        ungcuu_store::commit(tx).await?;
        out.users_created.push(email);
    }
    if !out.users_created.is_empty() {
        out.password = Some(password);
    }
    crate::network::load_demo(core).await?;
    crate::constituency::load_demo(core).await?;
    crate::systems::load_demo(core).await?;
    crate::incidents::load_demo(core).await?;
    crate::steering::load_demo(core).await?;
    Ok(out)
}
