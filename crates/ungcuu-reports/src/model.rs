//! The data of the three reports of TT 20/2017 (Mẫu 03, 04, 05) and the administrative header
//! they share. Plain data with serde; `validate()` names every empty mandatory field.

use serde::{Deserialize, Serialize};

/// A calendar date as written on Vietnamese documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateVn {
    pub day: u8,
    pub month: u8,
    pub year: u16,
}

impl DateVn {
    pub fn new(day: u8, month: u8, year: u16) -> Self {
        Self { day, month, year }
    }

    /// True when the date exists in the proleptic Gregorian calendar.
    pub fn is_valid(&self) -> bool {
        let days = match self.month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 => {
                let y = u32::from(self.year);
                if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 {
                    29
                } else {
                    28
                }
            }
            _ => return false,
        };
        self.day >= 1 && self.day <= days && self.year >= 1900
    }

    /// `dd/mm/yyyy`.
    pub fn numeric(&self) -> String {
        format!("{:02}/{:02}/{:04}", self.day, self.month, self.year)
    }

    /// "ngày 05 tháng 02 năm 2026": days below 10 and the months 1 and 2 take a leading zero,
    /// as administrative documents write them.
    pub fn words(&self) -> String {
        let month = if self.month <= 2 {
            format!("{:02}", self.month)
        } else {
            self.month.to_string()
        };
        format!("ngày {:02} tháng {} năm {}", self.day, month, self.year)
    }
}

/// A date with a time of day (Vietnam time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateTimeVn {
    pub date: DateVn,
    pub hour: u8,
    pub minute: u8,
}

impl DateTimeVn {
    pub fn new(day: u8, month: u8, year: u16, hour: u8, minute: u8) -> Self {
        Self {
            date: DateVn::new(day, month, year),
            hour,
            minute,
        }
    }

    pub fn is_valid(&self) -> bool {
        self.date.is_valid() && self.hour < 24 && self.minute < 60
    }

    /// "14 giờ 05 phút".
    pub fn time_words(&self) -> String {
        format!("{:02} giờ {:02} phút", self.hour, self.minute)
    }

    /// `dd/mm/yyyy/hh/mm`, the order the form asks for (ngày/tháng/năm/giờ/phút).
    pub fn slashed(&self) -> String {
        format!(
            "{:02}/{:02}/{:04}/{:02}/{:02}",
            self.date.day, self.date.month, self.date.year, self.hour, self.minute
        )
    }
}

/// The administrative header and footer every report carries: who issues it, its number,
/// place and date, recipients and the signer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentHeader {
    /// The parent/owning body printed above the issuing organisation ("UBND TỈNH ĐỒNG THÁP").
    pub owning_body: String,
    /// The issuing organisation ("SỞ THÔNG TIN VÀ TRUYỀN THÔNG").
    pub issuing_org: String,
    /// Number and symbol, e.g. `12/BC-STTTT`.
    pub number: String,
    /// The place printed before the date ("Đồng Tháp").
    pub place: String,
    pub date: Option<DateVn>,
    /// A title under the form's statutory heading (the subject of this report); may be empty.
    pub title: String,
    /// "Nơi nhận", one line each.
    pub recipients: Vec<String>,
    /// The signer's capacity ("GIÁM ĐỐC", "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC").
    pub signer_title: String,
    pub signer_name: String,
}

impl DocumentHeader {
    /// "Đồng Tháp, ngày 25 tháng 11 năm 2026"; the dotted blanks of the form when unknown.
    pub fn place_and_date(&self) -> String {
        let place = if self.place.trim().is_empty() {
            "……"
        } else {
            self.place.trim()
        };
        match self.date {
            Some(d) => format!("{place}, {}", d.words()),
            None => format!("{place}, ngày … tháng … năm …"),
        }
    }

    fn validate_into(&self, missing: &mut Vec<String>) {
        require(missing, "header.issuing_org", &self.issuing_org);
        require(missing, "header.place", &self.place);
        if !self.date.is_some_and(|d| d.is_valid()) {
            missing.push("header.date".into());
        }
        require(missing, "header.signer_title", &self.signer_title);
        require(missing, "header.signer_name", &self.signer_name);
    }
}

/// The organisation or person reporting (all four fields are mandatory on Mẫu 03 and 04).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reporter {
    /// Tên tổ chức/cá nhân báo cáo sự cố (*)
    pub name: String,
    /// Địa chỉ (*)
    pub address: String,
    /// Điện thoại (*)
    pub phone: String,
    /// Email (*)
    pub email: String,
}

impl Reporter {
    fn validate_into(&self, missing: &mut Vec<String>) {
        require(missing, "reporter.name", &self.name);
        require(missing, "reporter.address", &self.address);
        require(missing, "reporter.phone", &self.phone);
        require(missing, "reporter.email", &self.email);
    }
}

/// Người liên hệ (Mẫu 03).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactPerson {
    /// Họ và tên (*)
    pub full_name: String,
    /// Chức vụ
    pub position: String,
    /// Điện thoại (*)
    pub phone: String,
    /// Email (*)
    pub email: String,
}

/// Thông tin chi tiết về hệ thống bị sự cố.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AffectedSystem {
    /// Tên đơn vị vận hành hệ thống thông tin (*): the operator, own or contracted.
    pub operator: String,
    /// Cơ quan chủ quản
    pub owner: String,
    /// Tên hệ thống bị sự cố, with its domain names and IP addresses.
    pub system_name: String,
    /// Phân loại cấp độ của hệ thống thông tin (nếu có): 1 to 5.
    pub security_level: Option<u8>,
    /// Tổ chức cung cấp dịch vụ an toàn thông tin (nếu có) — Mẫu 03 only.
    pub security_provider: String,
    /// Tên nhà cung cấp dịch vụ kết nối bên ngoài (nếu có) — Mẫu 03 only.
    pub connectivity_provider: String,
}

/// Hiện trạng sự cố.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncidentStatus {
    /// Đã được xử lý
    Handled,
    /// Chưa được xử lý
    NotHandled,
}

/// Cách thức phát hiện (several may apply).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Detection {
    /// Qua hệ thống phát hiện xâm nhập
    pub ids: bool,
    /// Kiểm tra dữ liệu lưu lại (Log File)
    pub log_review: bool,
    /// Nhận được thông báo từ: (who; empty when not ticked)
    pub notified_by: String,
    /// Khác, đó là (empty when not ticked)
    pub other: String,
}

impl Detection {
    fn any(&self) -> bool {
        self.ids || self.log_review || !blank(&self.notified_by) || !blank(&self.other)
    }
}

/// Đã gửi thông báo sự cố cho (several may apply).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotifiedParties {
    /// Thành viên mạng lưới chịu trách nhiệm ứng cứu sự cố cho tổ chức, cá nhân
    pub network_member: bool,
    /// ISP đang trực tiếp cung cấp dịch vụ
    pub isp: bool,
    /// Cơ quan điều phối
    pub coordinator: bool,
}

/// Các dịch vụ có trên hệ thống.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Services {
    pub web_server: bool,
    pub mail_server: bool,
    pub database_server: bool,
    /// Dịch vụ khác, đó là
    pub other: String,
}

/// Các biện pháp an toàn thông tin đã triển khai.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecurityMeasures {
    pub antivirus: bool,
    pub firewall: bool,
    /// Hệ thống phát hiện xâm nhập
    pub ids: bool,
    /// Khác
    pub other: String,
}

/// Thông tin gửi kèm.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnclosedInformation {
    /// Nhật ký hệ thống
    pub system_logs: bool,
    /// Mẫu virus / mã độc
    pub malware_sample: bool,
    /// Khác
    pub other: String,
}

/// Mẫu 03: Báo cáo ban đầu sự cố an toàn thông tin mạng ("BÁO CÁO BAN ĐẦU SỰ CỐ MẠNG").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mau03 {
    pub header: DocumentHeader,
    pub reporter: Reporter,
    pub contact: ContactPerson,
    pub system: AffectedSystem,
    /// Mô tả sơ bộ về sự cố (*)
    pub description: String,
    /// Ngày và thời gian phát hiện sự cố (*)
    pub detected_at: Option<DateTimeVn>,
    /// Hiện trạng sự cố (*)
    pub status: Option<IncidentStatus>,
    /// Cách thức phát hiện (*)
    pub detection: Detection,
    /// Đã gửi thông báo sự cố cho (*)
    pub notified: NotifiedParties,
    /// Hệ điều hành
    pub operating_system: String,
    /// Version
    pub os_version: String,
    pub services: Services,
    pub measures: SecurityMeasures,
    /// Các địa chỉ IP của hệ thống (public addresses only)
    pub ip_addresses: Vec<String>,
    /// Các tên miền của hệ thống
    pub domains: Vec<String>,
    /// Mục đích chính sử dụng hệ thống
    pub purpose: String,
    pub enclosed: EnclosedInformation,
    /// Các thông tin cung cấp trong thông báo sự cố này đều phải được giữ bí mật: Có / Không
    pub confidential: Option<bool>,
    /// Kiến nghị, đề xuất hỗ trợ
    pub proposals: String,
    /// Thời gian thực hiện báo cáo sự cố (*)
    pub reported_at: Option<DateTimeVn>,
}

impl Mau03 {
    /// Every empty (or invalid) mandatory field, by its path in the serialised form.
    pub fn validate(&self) -> Vec<String> {
        let mut missing = Vec::new();
        self.header.validate_into(&mut missing);
        self.reporter.validate_into(&mut missing);
        require(&mut missing, "contact.full_name", &self.contact.full_name);
        require(&mut missing, "contact.phone", &self.contact.phone);
        require(&mut missing, "contact.email", &self.contact.email);
        require(&mut missing, "system.operator", &self.system.operator);
        check_level(&mut missing, self.system.security_level);
        require(&mut missing, "description", &self.description);
        require_time(&mut missing, "detected_at", self.detected_at);
        if self.status.is_none() {
            missing.push("status".into());
        }
        if !self.detection.any() {
            missing.push("detection".into());
        }
        let n = &self.notified;
        if !(n.network_member || n.isp || n.coordinator) {
            missing.push("notified".into());
        }
        require_time(&mut missing, "reported_at", self.reported_at);
        missing
    }
}

/// Mẫu 04: Báo cáo kết thúc ứng phó sự cố.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mau04 {
    pub header: DocumentHeader,
    pub reporter: Reporter,
    /// Ký hiệu báo cáo ban đầu sự cố: số ký hiệu of the Mẫu 03 report
    pub initial_report_number: String,
    /// Ngày báo cáo of the Mẫu 03 report
    pub initial_report_date: Option<DateVn>,
    /// Operator (*), owner, system name and level; the two provider fields are not printed.
    pub system: AffectedSystem,
    /// Tên/Mô tả về sự cố
    pub description: String,
    /// Ngày và thời gian phát hiện sự cố (*)
    pub detected_at: Option<DateTimeVn>,
    /// Kết quả xử lý sự cố
    pub result: String,
    /// Các tài liệu đính kèm, one per line
    pub attachments: Vec<String>,
}

impl Mau04 {
    pub fn validate(&self) -> Vec<String> {
        let mut missing = Vec::new();
        self.header.validate_into(&mut missing);
        self.reporter.validate_into(&mut missing);
        require(
            &mut missing,
            "initial_report_number",
            &self.initial_report_number,
        );
        if !self.initial_report_date.is_some_and(|d| d.is_valid()) {
            missing.push("initial_report_date".into());
        }
        require(&mut missing, "system.operator", &self.system.operator);
        check_level(&mut missing, self.system.security_level);
        require_time(&mut missing, "detected_at", self.detected_at);
        missing
    }
}

/// The ten incident types, in the order of Mẫu 05's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum IncidentType {
    Dos,
    Spoof,
    Malware,
    Intrusion,
    Deface,
    Encrypt,
    Destroy,
    Espionage,
    Combined,
    Other,
}

impl IncidentType {
    pub const ALL: [IncidentType; 10] = [
        Self::Dos,
        Self::Spoof,
        Self::Malware,
        Self::Intrusion,
        Self::Deface,
        Self::Encrypt,
        Self::Destroy,
        Self::Espionage,
        Self::Combined,
        Self::Other,
    ];

    /// The row label of Mẫu 05.
    pub fn label(self) -> &'static str {
        match self {
            Self::Dos => "Từ chối dịch vụ",
            Self::Spoof => "Tấn công giả mạo",
            Self::Malware => "Tấn công sử dụng mã độc",
            Self::Intrusion => "Truy cập trái phép, chiếm quyền điều khiển",
            Self::Deface => "Thay đổi giao diện",
            Self::Encrypt => "Mã hóa phần mềm, dữ liệu, thiết bị",
            Self::Destroy => "Phá hoại thông tin, dữ liệu, phần mềm",
            Self::Espionage => "Nghe trộm, gián điệp, lấy cắp thông tin, dữ liệu",
            Self::Combined => "Tấn công tổng hợp sử dụng kết hợp nhiều hình thức",
            Self::Other => "Các hình thức tấn công khác",
        }
    }
}

/// One row of Mẫu 05's table 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeCounts {
    pub incident_type: IncidentType,
    /// Số lượng
    pub count: u32,
    /// Số sự cố tự xử lý
    pub self_handled: u32,
    /// Số sự cố có sự hỗ trợ xử lý từ các tổ chức khác (domestic organisations)
    pub domestic_help: u32,
    /// Số sự cố có hỗ trợ xử lý từ tổ chức nước ngoài
    pub foreign_help: u32,
    /// Số sự cố đề nghị VNCERT (the national coordinator) hỗ trợ xử lý
    pub coordinator_help: u32,
    /// Thiệt hại ước tính, in đồng
    pub estimated_damage_vnd: Option<u64>,
}

impl TypeCounts {
    pub fn zero(incident_type: IncidentType) -> Self {
        Self {
            incident_type,
            count: 0,
            self_handled: 0,
            domestic_help: 0,
            foreign_help: 0,
            coordinator_help: 0,
            estimated_damage_vnd: None,
        }
    }
}

/// The kind of summary: 06 tháng or 01 năm.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    #[default]
    SixMonths,
    Annual,
}

/// Từ tháng …/… đến tháng …/…
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    pub kind: PeriodKind,
    pub from_month: u8,
    pub from_year: u16,
    pub to_month: u8,
    pub to_year: u16,
}

impl Period {
    pub fn is_valid(&self) -> bool {
        (1..=12).contains(&self.from_month)
            && (1..=12).contains(&self.to_month)
            && self.from_year >= 1900
            && (self.from_year, self.from_month) <= (self.to_year, self.to_month)
    }

    /// "Từ tháng 01/2026 đến tháng 06/2026".
    pub fn words(&self) -> String {
        format!(
            "Từ tháng {:02}/{} đến tháng {:02}/{}",
            self.from_month, self.from_year, self.to_month, self.to_year
        )
    }
}

/// The statutory addressee of Mẫu 05.
pub const MAU05_ADDRESSEE: &str = "Trung tâm Ứng cứu khẩn cấp máy tính Việt Nam";

/// Mẫu 05: Báo cáo tổng hợp 06 tháng / 01 năm về hoạt động tiếp nhận và xử lý sự cố.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mau05 {
    pub header: DocumentHeader,
    /// "Kính gửi"; [`MAU05_ADDRESSEE`] on the form.
    pub addressee: String,
    pub period: Period,
    /// Tên cơ quan/tổ chức
    pub organisation_name: String,
    /// Địa chỉ
    pub address: String,
    /// Mã thành viên mạng lưới
    pub member_code: String,
    /// Rows by incident type; a type left out is printed with zeros.
    pub rows: Vec<TypeCounts>,
    /// 2. Danh sách các tổ chức hỗ trợ xử lý sự cố (domestic)
    pub domestic_helpers: Vec<String>,
    /// 3. Danh sách các tổ chức nước ngoài hỗ trợ xử lý sự cố
    pub foreign_helpers: Vec<String>,
    /// 4. Đề xuất kiến nghị
    pub proposals: String,
}

impl Mau05 {
    pub fn validate(&self) -> Vec<String> {
        let mut missing = Vec::new();
        self.header.validate_into(&mut missing);
        require(&mut missing, "addressee", &self.addressee);
        if !self.period.is_valid() {
            missing.push("period".into());
        }
        require(&mut missing, "organisation_name", &self.organisation_name);
        require(&mut missing, "address", &self.address);
        let mut seen = Vec::new();
        for (i, row) in self.rows.iter().enumerate() {
            if seen.contains(&row.incident_type) {
                missing.push(format!("rows[{i}].incident_type"));
            }
            seen.push(row.incident_type);
        }
        missing
    }

    /// All ten rows in the order of the form, zeros for the types not given.
    pub fn full_rows(&self) -> Vec<TypeCounts> {
        IncidentType::ALL
            .iter()
            .map(|&t| {
                self.rows
                    .iter()
                    .find(|r| r.incident_type == t)
                    .cloned()
                    .unwrap_or_else(|| TypeCounts::zero(t))
            })
            .collect()
    }

    /// The "Tổng số" row.
    pub fn totals(&self) -> TypeCounts {
        let rows = self.full_rows();
        let damage: Option<u64> = rows
            .iter()
            .filter_map(|r| r.estimated_damage_vnd)
            .fold(None, |acc, d| Some(acc.unwrap_or(0).saturating_add(d)));
        TypeCounts {
            incident_type: IncidentType::Other,
            count: rows.iter().map(|r| r.count).sum(),
            self_handled: rows.iter().map(|r| r.self_handled).sum(),
            domestic_help: rows.iter().map(|r| r.domestic_help).sum(),
            foreign_help: rows.iter().map(|r| r.foreign_help).sum(),
            coordinator_help: rows.iter().map(|r| r.coordinator_help).sum(),
            estimated_damage_vnd: damage,
        }
    }
}

/// "1.250.000.000 đồng" (dots group thousands in Vietnamese).
pub fn format_vnd(amount: u64) -> String {
    format!("{} đồng", group_thousands(amount))
}

/// "1.250.000.000".
pub fn group_thousands(amount: u64) -> String {
    let digits = amount.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

fn require(missing: &mut Vec<String>, name: &str, value: &str) {
    if blank(value) {
        missing.push(name.to_string());
    }
}

fn require_time(missing: &mut Vec<String>, name: &str, value: Option<DateTimeVn>) {
    if !value.is_some_and(|t| t.is_valid()) {
        missing.push(name.to_string());
    }
}

fn check_level(missing: &mut Vec<String>, level: Option<u8>) {
    if level.is_some_and(|l| !(1..=5).contains(&l)) {
        missing.push("system.security_level".into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_forms_name_every_mandatory_field() {
        let m = Mau03::default().validate();
        for f in [
            "header.issuing_org",
            "reporter.name",
            "reporter.address",
            "reporter.phone",
            "reporter.email",
            "contact.full_name",
            "contact.phone",
            "contact.email",
            "system.operator",
            "description",
            "detected_at",
            "status",
            "detection",
            "notified",
            "reported_at",
        ] {
            assert!(m.contains(&f.to_string()), "{f} missing from {m:?}");
        }
        assert!(!m.contains(&"contact.position".to_string()));
        let m = Mau04::default().validate();
        for f in [
            "initial_report_number",
            "initial_report_date",
            "system.operator",
            "detected_at",
        ] {
            assert!(m.contains(&f.to_string()), "{f} missing from {m:?}");
        }
        let m = Mau05::default().validate();
        for f in ["period", "organisation_name", "address", "addressee"] {
            assert!(m.contains(&f.to_string()), "{f} missing from {m:?}");
        }
    }

    #[test]
    fn dates_and_money_are_written_the_vietnamese_way() {
        assert_eq!(DateVn::new(5, 2, 2026).words(), "ngày 05 tháng 02 năm 2026");
        assert_eq!(
            DateVn::new(25, 11, 2026).words(),
            "ngày 25 tháng 11 năm 2026"
        );
        assert!(!DateVn::new(29, 2, 2026).is_valid());
        assert!(DateVn::new(29, 2, 2028).is_valid());
        assert_eq!(format_vnd(1_250_000_000), "1.250.000.000 đồng");
        assert_eq!(format_vnd(999), "999 đồng");
        assert_eq!(format_vnd(0), "0 đồng");
    }
}
