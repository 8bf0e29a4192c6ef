//! The statutory wording of Mẫu 03, 04 and 05 (Phụ lục I of Thông tư 20/2017/TT-BTTTT): the
//! headings, field labels, checkbox options, table headings and instructions, each exactly as
//! the DOCX prints it (and, word for word, as the typst templates print it — the annex test
//! checks both). The edit form of the web interface shows the same constants, so what a person
//! types into is labelled as what gets printed.
//!
//! A label keeps the annex's punctuation and its required marker, "(*)" or "*", where the annex
//! prints one. Where the annex has an evident typo or a unit is added, the constant holds our
//! wording and [`DIFFERENCES`] pairs it with the annex's (docs/reports.md, "Deliberate
//! differences").

// ---- shared by several forms ----

/// Mẫu 03 and 04: the reporter's name.
pub const REPORTER_NAME: &str = "Tên tổ chức/cá nhân báo cáo sự cố (*)";
/// Mẫu 03 and 04: the reporter's address.
pub const REPORTER_ADDRESS: &str = "Địa chỉ: (*)";
/// Mẫu 03 and 04: a telephone number (reporter and contact).
pub const PHONE: &str = "Điện thoại (*)";
/// Mẫu 03 and 04: an e-mail address (reporter and contact).
pub const EMAIL: &str = "Email (*)";
/// Mẫu 03 and 04: the heading of the system table.
pub const SYSTEM: &str = "THÔNG TIN CHI TIẾT VỀ HỆ THỐNG BỊ SỰ CỐ";
/// Rows of the system table.
pub const SYSTEM_OPERATOR: &str = "Tên đơn vị vận hành hệ thống thông tin (*):";
pub const SYSTEM_OWNER: &str = "Cơ quan chủ quản:";
pub const SYSTEM_NAME: &str = "Tên hệ thống bị sự cố";
/// Mẫu 03's level row.
pub const MAU03_SECURITY_LEVEL: &str = "Phân loại cấp độ của hệ thống thông tin (nếu có)";
/// Mẫu 04's level row: the annex writes it with a comma.
pub const MAU04_SECURITY_LEVEL: &str = "Phân loại cấp độ của hệ thống thông tin, (nếu có)";
/// The five levels of an information system (Cấp độ 1 to 5).
pub const LEVELS: [&str; 5] = ["Cấp độ 1", "Cấp độ 2", "Cấp độ 3", "Cấp độ 4", "Cấp độ 5"];
/// Mẫu 03 only.
pub const SECURITY_PROVIDER: &str = "Tổ chức cung cấp dịch vụ an toàn thông tin (nếu có):";
/// Mẫu 03 only.
pub const CONNECTIVITY_PROVIDER: &str = "Tên nhà cung cấp dịch vụ kết nối bên ngoài (nếu có)";
/// Mẫu 03 and 04: the detection table's date cell.
pub const DETECTED_DATE: &str = "Ngày phát hiện sự cố (*) (dd/mm/yy)";
/// Mẫu 03 and 04: the detection table's time cell.
pub const DETECTED_TIME: &str = "Thời gian phát hiện (*):";
/// Mẫu 03 and 04: the signature block's heading.
pub const SIGNATORY: &str = "CÁ NHÂN/NGƯỜI ĐẠI DIỆN THEO PHÁP LUẬT";
/// Mẫu 03 and 04: the line under it.
pub const SIGN_NOTE: &str = "(Ký tên, đóng dấu)";

// ---- Mẫu 03, báo cáo ban đầu ----

pub const MAU03_TITLE: &str = "BÁO CÁO BAN ĐẦU SỰ CỐ MẠNG";
pub const MAU03_REPORTER: &str = "THÔNG TIN VỀ TỔ CHỨC/CÁ NHÂN BÁO CÁO SỰ CỐ";
pub const CONTACT: &str = "NGƯỜI LIÊN HỆ";
pub const CONTACT_NAME: &str = "Họ và tên (*)";
pub const CONTACT_POSITION: &str = "Chức vụ:";
/// The caption of the framed description box.
pub const DESCRIPTION: &str = "Mô tả sơ bộ về sự cố (*)";
/// The instruction in that box.
pub const DESCRIPTION_HINT: &str = "Đề nghị cung cấp một bản tóm tắt ngắn gọn về sự cố, bao gồm đánh giá sơ bộ cuộc tấn công đã xảy ra chưa và bất kỳ các nguy cơ dẫn đến khả năng phá hoại hoặc gián đoạn dịch vụ. Cũng vui lòng xác định mức độ nhạy cảm của thông tin liên quan hoặc những đối tượng bị ảnh hưởng bởi sự cố:";
pub const STATUS: &str = "HIỆN TRẠNG SỰ CỐ (*)";
pub const STATUS_HANDLED: &str = "Đã được xử lý";
pub const STATUS_NOT_HANDLED: &str = "Chưa được xử lý";
pub const DETECTION: &str =
    "CÁCH THỨC PHÁT HIỆN * (Đánh dấu những cách thức được sử dụng để phát hiện sự cố)";
pub const DETECTION_IDS: &str = "Qua hệ thống phát hiện xâm nhập";
pub const DETECTION_LOG_REVIEW: &str = "Kiểm tra dữ liệu lưu lại (Log File)";
pub const DETECTION_NOTIFIED_BY: &str = "Nhận được thông báo từ:";
pub const DETECTION_OTHER: &str = "Khác, đó là";
pub const NOTIFIED: &str = "ĐÃ GỬI THÔNG BÁO SỰ CỐ CHO *";
pub const NOTIFIED_NETWORK_MEMBER: &str =
    "Thành viên mạng lưới chịu trách nhiệm ứng cứu sự cố cho tổ chức, cá nhân";
pub const NOTIFIED_ISP: &str = "ISP đang trực tiếp cung cấp dịch vụ";
pub const NOTIFIED_COORDINATOR: &str = "Cơ quan điều phối";
pub const ADDITIONAL: &str = "THÔNG TIN BỔ SUNG VỀ HỆ THỐNG XẢY RA SỰ CỐ";
pub const OPERATING_SYSTEM: &str = "Hệ điều hành";
pub const OS_VERSION: &str = "Version";
pub const SERVICES: &str =
    "Các dịch vụ có trên hệ thống (Đánh dấu những dịch vụ được sử dụng trên hệ thống)";
pub const WEB_SERVER: &str = "Web server";
pub const MAIL_SERVER: &str = "Mail server";
pub const DATABASE_SERVER: &str = "Database server";
pub const SERVICES_OTHER: &str = "Dịch vụ khác, đó là";
pub const MEASURES: &str =
    "Các biện pháp an toàn thông tin đã triển khai (Đánh dấu những biện pháp đã triển khai)";
pub const ANTIVIRUS: &str = "Antivirus";
pub const FIREWALL: &str = "Firewall";
pub const MEASURES_IDS: &str = "Hệ thống phát hiện xâm nhập";
/// "Khác:", under the measures and under the enclosed information.
pub const OTHER: &str = "Khác:";
pub const IP_ADDRESSES: &str = "Các địa chỉ IP của hệ thống (Liệt kê địa chỉ IP sử dụng trên Internet, không liệt kê địa chỉ IP nội bộ)";
pub const DOMAINS: &str = "Các tên miền của hệ thống";
pub const PURPOSE: &str = "Mục đích chính sử dụng hệ thống";
pub const ENCLOSED: &str = "Thông tin gửi kèm";
pub const SYSTEM_LOGS: &str = "Nhật ký hệ thống";
pub const MALWARE_SAMPLE: &str = "Mẫu virus / mã độc";
pub const CONFIDENTIAL: &str =
    "Các thông tin cung cấp trong thông báo sự cố này đều phải được giữ bí mật:";
pub const YES: &str = "Có";
pub const NO: &str = "Không";
pub const PROPOSALS: &str = "KIẾN NGHỊ, ĐỀ XUẤT HỖ TRỢ";
/// The caption of the framed proposals box.
pub const PROPOSALS_CAPTION: &str = "Mô tả về đề xuất, kiến nghị";
/// The instruction in that box.
pub const PROPOSALS_HINT: &str =
    "Đề nghị cung cấp tóm lược về các kiến nghị và đề xuất hỗ trợ ứng cứu (nếu có)";
pub const REPORTED_AT: &str = "THỜI GIAN THỰC HIỆN BÁO CÁO SỰ CỐ *:";
/// What follows the report time.
pub const REPORTED_AT_FORMAT: &str = "(ngày/tháng/năm/giờ/phút)";

// ---- Mẫu 04, báo cáo kết thúc ứng phó ----

pub const MAU04_TITLE: &str = "BÁO CÁO KẾT THÚC ỨNG PHÓ SỰ CỐ";
pub const MAU04_REPORTER: &str = "THÔNG TIN VỀ TỔ CHỨC/CÁ NHÂN BÁO CÁO";
pub const INITIAL_REPORT: &str = "KÝ HIỆU BÁO CÁO BAN ĐẦU SỰ CỐ:";
pub const INITIAL_REPORT_NUMBER: &str = "Số ký hiệu";
pub const INITIAL_REPORT_DATE: &str = "Ngày báo cáo:";
/// The caption of the framed description box.
pub const MAU04_DESCRIPTION: &str = "Tên/Mô tả về sự cố";
pub const RESULT: &str = "Kết quả xử lý sự cố";
/// The annex doubles "ứng" ("ứng cứu ứng sự cố"); see [`DIFFERENCES`].
pub const RESULT_HINT: &str = "Cung cấp, tóm tắt tổng quát về những gì đã xảy ra và cách thức giải quyết, đề xuất giải pháp ứng cứu sự cố nhằm xử lý nhanh sự cố, giảm nhẹ rủi ro và thiệt hại đối với sự cố tương tự trong tương lai...";
pub const ATTACHMENTS: &str = "Các tài liệu đính kèm";
pub const ATTACHMENTS_HINT: &str =
    "Liệt kê các tài liệu liên quan (báo cáo diễn biến sự cố; phương án xử lý, log file…..)";

// ---- Mẫu 05, báo cáo tổng hợp ----

/// Followed by the addressee.
pub const ADDRESSEE: &str = "Kính gửi:";
/// The span the annex's title leaves to choose, "[06 THÁNG/ 01 NĂM]".
pub const SIX_MONTHS: &str = "06 THÁNG";
pub const ANNUAL: &str = "01 NĂM";
/// The period line opens with it ("Từ tháng …../201 ... đến tháng ..../201...").
pub const PERIOD_FROM: &str = "Từ tháng";
pub const ORGANISATION_NAME: &str = "Tên cơ quan/tổ chức:";
pub const ADDRESS: &str = "Địa chỉ:";
pub const MEMBER_CODE: &str = "Mã thành viên mạng lưới:";
pub const TABLE: &str = "1. Số lượng sự cố và cách thức xử lý";
/// Column headings of table 1, as the annex words them, but for two deliberate changes (see
/// [`DIFFERENCES`]): the annex's "đề nghị VNCERT hỗ trợ lý" lacks "xử" (the column counts
/// incidents VNCERT was asked to help handle, legal.md §2.2), and the damage column names its
/// unit.
pub const MAU05_COLUMNS: [&str; 7] = [
    "Loại sự cố/tấn công mạng",
    "Số lượng",
    "Số sự cố tự xử lý",
    "Số sự cố có sự hỗ trợ xử lý từ các tổ chức khác",
    "Số sự cố có hỗ trợ xử lý từ tổ chức nước ngoài",
    "Số sự cố đề nghị VNCERT hỗ trợ xử lý",
    "Thiệt hại ước tính (đồng)",
];
/// The last row of table 1.
pub const TOTAL: &str = "Tổng số";
/// Section 2 (organisations in Vietnam, set against section 3's foreign ones).
pub const DOMESTIC_HELPERS: &str = "2. Danh sách các tổ chức hỗ trợ xử lý sự cố";
pub const FOREIGN_HELPERS: &str = "3. Danh sách các tổ chức nước ngoài hỗ trợ xử lý sự cố";
pub const MAU05_PROPOSALS: &str = "4. Đề xuất kiến nghị:";

/// The deliberate differences from the annex among the labels above: (the annex's wording,
/// ours). Each is explained in docs/reports.md.
pub const DIFFERENCES: &[(&str, &str)] = &[
    ("Số sự cố đề nghị VNCERT hỗ trợ lý", MAU05_COLUMNS[5]),
    ("Thiệt hại ước tính", MAU05_COLUMNS[6]),
    (
        "Cung cấp, tóm tắt tổng quát về những gì đã xảy ra và cách thức giải quyết, đề xuất giải pháp ứng cứu ứng sự cố nhằm xử lý nhanh sự cố, giảm nhẹ rủi ro và thiệt hại đối với sự cố tương tự trong tương lai...",
        RESULT_HINT,
    ),
];
