//! Fixed sample reports full of Vietnamese, for the golden tests, the benchmark and demos.

use crate::model::*;

/// Every Vietnamese letter outside ASCII (67 lower case, 67 upper case), in groups of five
/// so a line can wrap between groups.
pub const ALL_LETTERS: &str = "àáảãạ ằắẳẵặ ầấẩẫậ èéẻẽẹ ềếểễệ ìíỉĩị òóỏõọ ồốổỗộ ờớởỡợ ùúủũụ \
ừứửữự ỳýỷỹỵ ăâêôơ ưđ ÀÁẢÃẠ ẰẮẲẴẶ ẦẤẨẪẬ ÈÉẺẼẸ ỀẾỂỄỆ ÌÍỈĨỊ ÒÓỎÕỌ ỒỐỔỖỘ ỜỚỞỠỢ ÙÚỦŨỤ ỪỨỬỮỰ \
ỲÝỶỸỴ ĂÂÊÔƠ ƯĐ";

fn header(number: &str, title: &str) -> DocumentHeader {
    DocumentHeader {
        owning_body: "ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP".into(),
        issuing_org: "SỞ THÔNG TIN VÀ TRUYỀN THÔNG".into(),
        number: number.into(),
        place: "Đồng Tháp".into(),
        date: Some(DateVn::new(25, 11, 2026)),
        title: title.into(),
        recipients: vec![
            "Cục An toàn thông tin (để báo cáo);".into(),
            "UBND tỉnh (để báo cáo);".into(),
            "Lưu: VT, CNTT.".into(),
        ],
        signer_title: "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC".into(),
        signer_name: "Nguyễn Thị Hồng Nhung".into(),
    }
}

fn reporter() -> Reporter {
    Reporter {
        name: "Sở Thông tin và Truyền thông tỉnh Đồng Tháp".into(),
        address: "Số 12, đường Lê Thánh Tôn, phường 2, thành phố Cao Lãnh".into(),
        phone: "0277 3 851 234".into(),
        email: "sotttt@dongthap.gov.vn".into(),
    }
}

fn system() -> AffectedSystem {
    AffectedSystem {
        operator: "Trung tâm Chuyển đổi số tỉnh Đồng Tháp".into(),
        owner: "Ủy ban nhân dân tỉnh Đồng Tháp".into(),
        system_name: "Cổng thông tin điện tử tỉnh (dongthap.gov.vn, 203.113.152.10)".into(),
        security_level: Some(3),
        security_provider: "Công ty Cổ phần An ninh mạng Quỳnh Hưng".into(),
        connectivity_provider: "Viễn thông Đồng Tháp (VNPT)".into(),
    }
}

/// A complete Mẫu 03.
pub fn mau03() -> Mau03 {
    Mau03 {
        header: header(
            "12/BC-STTTT",
            "Về sự cố thay đổi giao diện Cổng thông tin điện tử tỉnh",
        ),
        reporter: reporter(),
        contact: ContactPerson {
            full_name: "Trần Đức Hưởng".into(),
            position: "Trưởng phòng Công nghệ thông tin".into(),
            phone: "0918 765 432".into(),
            email: "huongtd@dongthap.gov.vn".into(),
        },
        system: system(),
        description: format!(
            "Lúc rạng sáng, kẻ tấn công đã thay đổi giao diện trang chủ và chèn mã độc.\nKiểm tra chữ: {ALL_LETTERS}"
        ),
        detected_at: Some(DateTimeVn::new(24, 11, 2026, 5, 40)),
        status: Some(IncidentStatus::NotHandled),
        detection: Detection {
            ids: true,
            log_review: true,
            notified_by: "Trung tâm Giám sát an toàn không gian mạng quốc gia".into(),
            other: String::new(),
        },
        notified: NotifiedParties {
            network_member: true,
            isp: false,
            coordinator: true,
        },
        operating_system: "Ubuntu Server".into(),
        os_version: "22.04 LTS".into(),
        services: Services {
            web_server: true,
            mail_server: false,
            database_server: true,
            other: "Dịch vụ công trực tuyến".into(),
        },
        measures: SecurityMeasures {
            antivirus: true,
            firewall: true,
            ids: false,
            other: "Tường lửa ứng dụng web (WAF)".into(),
        },
        ip_addresses: vec!["203.113.152.10".into(), "203.113.152.11".into()],
        domains: vec![
            "dongthap.gov.vn".into(),
            "dichvucong.dongthap.gov.vn".into(),
        ],
        purpose: "Cung cấp thông tin và dịch vụ công trực tuyến cho người dân, doanh nghiệp".into(),
        enclosed: EnclosedInformation {
            system_logs: true,
            malware_sample: true,
            other: "Ảnh chụp màn hình trang bị thay đổi".into(),
        },
        confidential: Some(true),
        proposals:
            "Đề nghị Cục An toàn thông tin hỗ trợ phân tích mẫu mã độc và truy vết nguồn tấn công."
                .into(),
        reported_at: Some(DateTimeVn::new(24, 11, 2026, 9, 15)),
    }
}

/// A complete Mẫu 04 closing the Mẫu 03 above.
pub fn mau04() -> Mau04 {
    Mau04 {
        header: header(
            "15/BC-STTTT",
            "Về việc khắc phục sự cố Cổng thông tin điện tử tỉnh",
        ),
        reporter: reporter(),
        initial_report_number: "12/BC-STTTT".into(),
        initial_report_date: Some(DateVn::new(24, 11, 2026)),
        system: system(),
        description: "Thay đổi giao diện trang chủ, chèn mã độc đánh cắp phiên đăng nhập.".into(),
        detected_at: Some(DateTimeVn::new(24, 11, 2026, 5, 40)),
        result: format!(
            "Đã cô lập máy chủ, khôi phục từ bản sao lưu sạch, vá lỗ hổng plugin và đổi toàn bộ mật khẩu quản trị.\nĐề xuất: rà soát định kỳ hằng tháng. {ALL_LETTERS}"
        ),
        attachments: vec![
            "Báo cáo diễn biến sự cố".into(),
            "Phương án xử lý".into(),
            "Nhật ký máy chủ web (log file)".into(),
        ],
    }
}

/// A complete Mẫu 05 for the first half of 2026.
pub fn mau05() -> Mau05 {
    let row = |t, c, s, d, f, k, dmg| TypeCounts {
        incident_type: t,
        count: c,
        self_handled: s,
        domestic_help: d,
        foreign_help: f,
        coordinator_help: k,
        estimated_damage_vnd: dmg,
    };
    Mau05 {
        header: header("30/BC-STTTT", ""),
        addressee: MAU05_ADDRESSEE.into(),
        period: Period {
            kind: PeriodKind::SixMonths,
            from_month: 1,
            from_year: 2026,
            to_month: 6,
            to_year: 2026,
        },
        organisation_name: "Sở Thông tin và Truyền thông tỉnh Đồng Tháp".into(),
        address: "Số 12, đường Lê Thánh Tôn, phường 2, thành phố Cao Lãnh".into(),
        member_code: "ĐT-0087".into(),
        rows: vec![
            row(IncidentType::Dos, 4, 3, 1, 0, 0, Some(15_000_000)),
            row(IncidentType::Spoof, 12, 10, 2, 0, 0, None),
            row(IncidentType::Malware, 9, 6, 2, 0, 1, Some(120_000_000)),
            row(IncidentType::Intrusion, 3, 1, 1, 0, 1, Some(250_000_000)),
            row(IncidentType::Deface, 7, 7, 0, 0, 0, Some(5_000_000)),
            row(IncidentType::Encrypt, 1, 0, 0, 1, 0, Some(1_250_000_000)),
            row(IncidentType::Espionage, 2, 1, 0, 0, 1, None),
            row(IncidentType::Other, 5, 5, 0, 0, 0, None),
        ],
        domestic_helpers: vec![
            "Trung tâm Giám sát an toàn không gian mạng quốc gia".into(),
            "Công ty Cổ phần An ninh mạng Quỳnh Hưng".into(),
        ],
        foreign_helpers: vec!["Đội ứng cứu khẩn cấp của hãng bảo mật Ếch Xanh".into()],
        proposals: format!(
            "Đề nghị tổ chức diễn tập ứng cứu sự cố cấp tỉnh mỗi năm một lần. {ALL_LETTERS}"
        ),
    }
}
