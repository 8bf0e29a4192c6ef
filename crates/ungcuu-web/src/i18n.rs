//! Vietnamese first, English second. Every string a page, e-mail or error shows is a key here.

use std::collections::HashMap;
use std::sync::LazyLock;

/// A language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Tiếng Việt (default).
    #[default]
    Vi,
    /// English.
    En,
}

impl Lang {
    /// From a code (`vi`, `en`); anything else is Vietnamese.
    pub fn from_code(s: &str) -> Lang {
        if s.eq_ignore_ascii_case("en") {
            Lang::En
        } else {
            Lang::Vi
        }
    }
    /// The code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }
    /// The other language, for the switch.
    pub fn other(self) -> Lang {
        match self {
            Lang::Vi => Lang::En,
            Lang::En => Lang::Vi,
        }
    }
}

/// (key, Vietnamese, English)
pub const MESSAGES: &[(&str, &str, &str)] = &[
    (
        "app.name",
        "Ứng cứu sự cố ATTT mạng",
        "Cyber incident response",
    ),
    (
        "app.tagline",
        "Hệ thống điều phối ứng cứu sự cố an toàn thông tin mạng của tỉnh",
        "The province's cyber-security incident response coordination system",
    ),
    ("lang.switch", "English", "Tiếng Việt"),
    ("nav.home", "Trang chủ", "Home"),
    ("nav.orgs", "Cơ quan, đơn vị", "Organisations"),
    ("nav.users", "Người dùng", "Users"),
    ("nav.tokens", "Khoá API", "API tokens"),
    ("nav.audit", "Nhật ký", "Audit log"),
    ("nav.profile", "Tài khoản", "Account"),
    ("nav.api_docs", "Tài liệu API", "API docs"),
    ("nav.logout", "Đăng xuất", "Sign out"),
    (
        "nav.skip",
        "Bỏ qua đến nội dung chính",
        "Skip to main content",
    ),
    ("login.title", "Đăng nhập", "Sign in"),
    ("login.email", "Thư điện tử", "E-mail"),
    ("login.password", "Mật khẩu", "Password"),
    ("login.submit", "Đăng nhập", "Sign in"),
    (
        "login.failed",
        "Thư điện tử hoặc mật khẩu không đúng.",
        "Wrong e-mail or password.",
    ),
    (
        "login.locked",
        "Tài khoản tạm khoá do đăng nhập sai nhiều lần. Vui lòng thử lại sau {until}.",
        "Too many failed sign-ins: the account is locked. Try again after {until}.",
    ),
    (
        "login.rate_limited",
        "Quá nhiều lần đăng nhập từ địa chỉ này. Vui lòng thử lại sau {seconds} giây.",
        "Too many sign-in attempts from this address. Please try again in {seconds} seconds.",
    ),
    (
        "api.rate_limited",
        "Khoá API này đã gửi quá nhiều yêu cầu. Vui lòng thử lại sau {seconds} giây.",
        "Too many requests with this API token. Please try again in {seconds} seconds.",
    ),
    ("setup.title", "Thiết lập ban đầu", "First-time setup"),
    (
        "setup.intro",
        "Tạo tỉnh, cơ quan điều phối và tài khoản quản trị đầu tiên. Đường dẫn này chỉ dùng được một lần.",
        "Create the province, the coordinating organisation and the first administrator. This link works once.",
    ),
    ("setup.province_name", "Tên tỉnh", "Province name"),
    (
        "setup.province_slug",
        "Mã tỉnh (chữ thường, số, gạch ngang)",
        "Province code (lower-case letters, digits, dashes)",
    ),
    (
        "setup.coordinator_name",
        "Cơ quan điều phối (cơ quan chuyên trách)",
        "Coordinating organisation",
    ),
    (
        "setup.coordinator_slug",
        "Mã cơ quan điều phối",
        "Coordinator code",
    ),
    (
        "setup.admin_name",
        "Họ và tên quản trị viên",
        "Administrator's full name",
    ),
    (
        "setup.admin_email",
        "Thư điện tử quản trị viên",
        "Administrator's e-mail",
    ),
    (
        "setup.password",
        "Mật khẩu (ít nhất 10 ký tự)",
        "Password (at least 10 characters)",
    ),
    ("setup.submit", "Hoàn tất thiết lập", "Finish setup"),
    (
        "setup.gone",
        "Đường dẫn thiết lập đã được dùng hoặc không tồn tại.",
        "This setup link has been used or does not exist.",
    ),
    ("home.title", "Tổng quan", "Overview"),
    ("home.welcome", "Xin chào", "Welcome"),
    ("home.memberships", "Vai trò của bạn", "Your roles"),
    (
        "home.orgs_count",
        "Cơ quan, đơn vị bạn thấy",
        "Organisations you can see",
    ),
    (
        "home.users_count",
        "Người dùng bạn thấy",
        "Users you can see",
    ),
    ("common.save", "Lưu", "Save"),
    ("common.create", "Tạo mới", "Create"),
    ("common.cancel", "Huỷ", "Cancel"),
    ("common.edit", "Sửa", "Edit"),
    ("common.delete", "Xoá", "Delete"),
    ("common.search", "Tìm kiếm", "Search"),
    ("common.filter", "Lọc", "Filter"),
    ("common.next_page", "Trang sau", "Next page"),
    ("common.first_page", "Trang đầu", "First page"),
    ("common.none", "Chưa có dữ liệu.", "Nothing here yet."),
    ("common.actions", "Thao tác", "Actions"),
    ("common.name", "Tên", "Name"),
    ("common.created", "Ngày tạo", "Created"),
    ("common.status", "Trạng thái", "Status"),
    ("common.yes", "Có", "Yes"),
    ("common.no", "Không", "No"),
    ("common.back", "Quay lại", "Back"),
    ("common.confirm", "Xác nhận", "Confirm"),
    (
        "common.form_errors",
        "Vui lòng sửa các lỗi bên dưới.",
        "Please correct the errors below.",
    ),
    ("org.list", "Cơ quan, đơn vị", "Organisations"),
    ("org.tree", "Sơ đồ tổ chức", "Organisation tree"),
    ("org.new", "Thêm cơ quan, đơn vị", "New organisation"),
    (
        "org.edit",
        "Sửa thông tin cơ quan, đơn vị",
        "Edit organisation",
    ),
    ("org.name", "Tên cơ quan, đơn vị", "Name"),
    ("org.short_name", "Tên viết tắt", "Short name"),
    (
        "org.slug",
        "Mã (chữ thường, số, gạch ngang)",
        "Code (lower-case letters, digits, dashes)",
    ),
    ("org.kind", "Loại", "Kind"),
    ("org.parent", "Trực thuộc", "Parent"),
    (
        "org.no_parent",
        "(Không trực thuộc: cấp gốc)",
        "(None: top level)",
    ),
    ("org.members", "Thành viên", "Members"),
    ("org.children", "Đơn vị trực thuộc", "Sub-organisations"),
    ("user.list", "Người dùng", "Users"),
    ("user.new", "Thêm người dùng", "New user"),
    ("user.name", "Họ và tên", "Full name"),
    ("user.email", "Thư điện tử", "E-mail"),
    (
        "user.password",
        "Mật khẩu ban đầu (ít nhất 10 ký tự)",
        "Initial password (at least 10 characters)",
    ),
    ("user.org", "Cơ quan, đơn vị", "Organisation"),
    ("user.role", "Vai trò", "Role"),
    ("user.locale", "Ngôn ngữ", "Language"),
    ("user.disabled", "Đã khoá", "Disabled"),
    ("user.active", "Đang hoạt động", "Active"),
    ("user.disable", "Khoá tài khoản", "Disable account"),
    ("user.enable", "Mở khoá tài khoản", "Enable account"),
    (
        "user.disable_confirm",
        "Khoá tài khoản này? Mọi phiên đăng nhập của người dùng sẽ kết thúc ngay.",
        "Disable this account? All of its sessions end at once.",
    ),
    (
        "user.memberships",
        "Vai trò theo cơ quan, đơn vị",
        "Roles by organisation",
    ),
    ("user.add_membership", "Thêm vai trò", "Add a role"),
    ("user.remove_membership", "Bỏ vai trò", "Remove role"),
    ("profile.title", "Tài khoản của tôi", "My account"),
    ("profile.password", "Đổi mật khẩu", "Change password"),
    (
        "profile.current_password",
        "Mật khẩu hiện tại",
        "Current password",
    ),
    (
        "profile.new_password",
        "Mật khẩu mới (ít nhất 10 ký tự)",
        "New password (at least 10 characters)",
    ),
    (
        "profile.logout_all",
        "Đăng xuất khỏi mọi thiết bị",
        "Sign out everywhere",
    ),
    (
        "profile.logout_all_help",
        "Kết thúc mọi phiên đăng nhập của bạn, kể cả phiên này.",
        "Ends every session of yours, this one included.",
    ),
    ("token.list", "Khoá API", "API tokens"),
    ("token.label", "Mục đích sử dụng", "What it is for"),
    ("token.prefix", "Nhận dạng", "Identifier"),
    ("token.last_used", "Dùng lần cuối", "Last used"),
    ("token.revoked", "Đã thu hồi", "Revoked"),
    ("token.revoke", "Thu hồi", "Revoke"),
    (
        "token.revoke_confirm",
        "Thu hồi khoá này? Các chương trình đang dùng khoá sẽ không truy cập được nữa.",
        "Revoke this token? Programs using it lose access.",
    ),
    (
        "token.created",
        "Khoá mới (chỉ hiển thị một lần, hãy lưu lại ngay):",
        "New token (shown only once: copy it now):",
    ),
    (
        "token.usage",
        "Gửi khoá trong tiêu đề: Authorization: Bearer <khoá>",
        "Send it in the header: Authorization: Bearer <token>",
    ),
    ("audit.title", "Nhật ký kiểm toán", "Audit log"),
    ("audit.time", "Thời điểm", "Time"),
    ("audit.actor", "Người thực hiện", "Actor"),
    ("audit.action", "Hành động", "Action"),
    ("audit.object", "Đối tượng", "Object"),
    ("audit.head", "Đầu chuỗi", "Chain head"),
    ("flash.saved", "Đã lưu.", "Saved."),
    (
        "flash.org_created",
        "Đã tạo cơ quan, đơn vị.",
        "Organisation created.",
    ),
    ("flash.user_created", "Đã tạo người dùng.", "User created."),
    (
        "flash.password_changed",
        "Đã đổi mật khẩu. Các phiên đăng nhập khác đã kết thúc.",
        "Password changed. Your other sessions have ended.",
    ),
    (
        "flash.logged_out",
        "Bạn đã đăng xuất.",
        "You have signed out.",
    ),
    (
        "flash.logged_out_all",
        "Đã đăng xuất khỏi mọi thiết bị.",
        "Signed out everywhere.",
    ),
    ("flash.token_revoked", "Đã thu hồi khoá.", "Token revoked."),
    ("flash.membership_added", "Đã thêm vai trò.", "Role added."),
    (
        "flash.membership_removed",
        "Đã bỏ vai trò.",
        "Role removed.",
    ),
    (
        "flash.user_disabled",
        "Đã khoá tài khoản.",
        "Account disabled.",
    ),
    (
        "flash.user_enabled",
        "Đã mở khoá tài khoản.",
        "Account enabled.",
    ),
    (
        "flash.setup_done",
        "Thiết lập xong. Hãy đăng nhập bằng tài khoản quản trị vừa tạo.",
        "Setup complete. Sign in with the administrator account you created.",
    ),
    (
        "error.403.title",
        "Không có quyền truy cập",
        "Access denied",
    ),
    (
        "error.403.body",
        "Bạn không có quyền thực hiện thao tác này.",
        "You are not allowed to do this.",
    ),
    ("error.404.title", "Không tìm thấy", "Not found"),
    (
        "error.404.body",
        "Trang hoặc đối tượng này không tồn tại, hoặc bạn không có quyền xem.",
        "This page or object does not exist, or you may not see it.",
    ),
    ("error.500.title", "Lỗi hệ thống", "Server error"),
    (
        "error.500.body",
        "Đã có lỗi xảy ra. Sự cố đã được ghi lại; vui lòng thử lại sau.",
        "Something went wrong. It has been logged; please try again later.",
    ),
    ("error.400.title", "Yêu cầu không hợp lệ", "Bad request"),
    (
        "error.400.body",
        "Yêu cầu không hợp lệ hoặc biểu mẫu đã hết hạn. Vui lòng tải lại trang và thử lại.",
        "The request was not valid or the form expired. Reload the page and try again.",
    ),
    ("error.429.title", "Quá nhiều yêu cầu", "Too many requests"),
    (
        "error.413.title",
        "Dữ liệu gửi lên quá lớn",
        "Request too large",
    ),
    (
        "err.required",
        "Trường này là bắt buộc.",
        "This field is required.",
    ),
    ("err.too_long", "Nội dung quá dài.", "Too long."),
    (
        "err.control_chars",
        "Có ký tự điều khiển không hợp lệ.",
        "Contains invalid control characters.",
    ),
    (
        "err.slug",
        "Mã chỉ gồm 2-64 chữ thường, số và dấu gạch ngang.",
        "Use 2-64 lower-case letters, digits and dashes.",
    ),
    (
        "err.slug_taken",
        "Mã này đã được dùng.",
        "This code is already used.",
    ),
    (
        "err.email",
        "Địa chỉ thư điện tử không hợp lệ.",
        "Not a valid e-mail address.",
    ),
    (
        "err.email_taken",
        "Địa chỉ thư điện tử này đã có tài khoản.",
        "An account with this e-mail already exists.",
    ),
    (
        "err.password_short",
        "Mật khẩu phải có ít nhất 10 ký tự.",
        "The password must have at least 10 characters.",
    ),
    (
        "err.password_wrong",
        "Mật khẩu hiện tại không đúng.",
        "The current password is wrong.",
    ),
    (
        "err.kind",
        "Loại cơ quan, đơn vị không hợp lệ.",
        "Unknown kind of organisation.",
    ),
    ("err.role", "Vai trò không hợp lệ.", "Unknown role."),
    (
        "err.role_forbidden",
        "Bạn không được cấp vai trò này.",
        "You may not grant this role.",
    ),
    ("err.locale", "Ngôn ngữ không hợp lệ.", "Unknown language."),
    (
        "err.parent_missing",
        "Cơ quan cấp trên không tồn tại.",
        "The parent organisation does not exist.",
    ),
    (
        "err.parent_forbidden",
        "Bạn không có quyền thêm đơn vị vào cơ quan này.",
        "You may not add organisations under this one.",
    ),
    (
        "err.parent_required",
        "Hãy chọn cơ quan cấp trên.",
        "Choose a parent organisation.",
    ),
    (
        "err.parent_cycle",
        "Không thể đặt một cơ quan trực thuộc chính nó hoặc đơn vị cấp dưới của nó.",
        "An organisation cannot be placed under itself or its own sub-organisation.",
    ),
    (
        "err.org_missing",
        "Cơ quan, đơn vị không tồn tại.",
        "The organisation does not exist.",
    ),
    (
        "err.org_forbidden",
        "Bạn không có quyền quản lý người dùng của cơ quan này.",
        "You may not manage the people of this organisation.",
    ),
    (
        "err.user_missing",
        "Người dùng không tồn tại.",
        "The user does not exist.",
    ),
    (
        "err.membership_exists",
        "Người dùng đã có vai trò này tại cơ quan này.",
        "The user already has this role there.",
    ),
    (
        "err.last_admin",
        "Không thể bỏ quyền quản trị của quản trị viên cuối cùng.",
        "The last administrator cannot lose the role.",
    ),
    (
        "err.disable_self",
        "Bạn không thể tự khoá tài khoản của mình.",
        "You cannot disable your own account.",
    ),
    (
        "err.access",
        "Quyền truy cập phải là read hoặc write.",
        "Access must be read or write.",
    ),
    (
        "err.object_missing",
        "Đối tượng không tồn tại.",
        "The object does not exist.",
    ),
    (
        "err.object_type",
        "Loại đối tượng không hỗ trợ cấp quyền.",
        "This kind of object cannot be granted.",
    ),
    (
        "err.grantee_missing",
        "Người hoặc cơ quan được cấp quyền không tồn tại.",
        "The grantee does not exist.",
    ),
    ("mfa.title", "Xác thực hai bước", "Two-step verification"),
    ("mfa.on", "Đang bật", "On"),
    ("mfa.off", "Chưa bật", "Off"),
    (
        "mfa.required_note",
        "Vai trò của bạn bắt buộc dùng xác thực hai bước.",
        "Your role requires two-step verification.",
    ),
    (
        "mfa.recovery_left",
        "Mã khôi phục còn lại",
        "Recovery codes left",
    ),
    (
        "mfa.enable",
        "Bật xác thực hai bước",
        "Turn on two-step verification",
    ),
    (
        "mfa.disable",
        "Tắt xác thực hai bước",
        "Turn off two-step verification",
    ),
    (
        "mfa.scan",
        "Quét mã QR bằng ứng dụng xác thực (Google Authenticator, Microsoft Authenticator, FreeOTP…), hoặc nhập khoá thủ công, rồi nhập mã 6 chữ số ứng dụng hiển thị.",
        "Scan the QR code with an authenticator app (Google Authenticator, Microsoft Authenticator, FreeOTP…), or type the key by hand, then enter the 6-digit code it shows.",
    ),
    (
        "mfa.manual_key",
        "Khoá nhập thủ công",
        "Key to type by hand",
    ),
    (
        "mfa.code",
        "Mã xác thực (6 chữ số) hoặc mã khôi phục",
        "Verification code (6 digits) or a recovery code",
    ),
    (
        "mfa.code_only",
        "Mã xác thực (6 chữ số)",
        "Verification code (6 digits)",
    ),
    ("mfa.confirm", "Xác nhận", "Confirm"),
    (
        "mfa.login_title",
        "Nhập mã xác thực",
        "Enter your verification code",
    ),
    (
        "mfa.login_help",
        "Mở ứng dụng xác thực và nhập mã đang hiển thị. Nếu mất điện thoại, dùng một mã khôi phục.",
        "Open your authenticator app and enter the code it shows. If you lost your phone, use a recovery code.",
    ),
    (
        "mfa.enrol_title",
        "Thiết lập xác thực hai bước",
        "Set up two-step verification",
    ),
    (
        "mfa.enrol_required",
        "Vai trò của bạn bắt buộc dùng xác thực hai bước. Hãy thiết lập để hoàn tất đăng nhập.",
        "Your role requires two-step verification. Set it up to finish signing in.",
    ),
    ("mfa.recovery_title", "Mã khôi phục", "Recovery codes"),
    (
        "mfa.recovery_help",
        "Mỗi mã dùng được một lần khi không có ứng dụng xác thực. Mã chỉ hiển thị lúc này: hãy in hoặc lưu ở nơi an toàn.",
        "Each code works once when you do not have your authenticator. They are shown only now: print them or keep them somewhere safe.",
    ),
    (
        "mfa.continue",
        "Tôi đã lưu các mã, tiếp tục",
        "I have saved the codes, continue",
    ),
    (
        "mfa.reset",
        "Đặt lại xác thực hai bước",
        "Reset two-step verification",
    ),
    (
        "mfa.reset_help",
        "Dùng khi người dùng mất thiết bị xác thực: họ sẽ phải thiết lập lại ở lần đăng nhập sau (nếu vai trò bắt buộc).",
        "Use when the person lost their authenticator: they set it up again at their next sign-in (if their role requires it).",
    ),
    (
        "mfa.expired",
        "Phiên đăng nhập đã hết hạn hoặc nhập sai quá nhiều lần. Vui lòng đăng nhập lại.",
        "This sign-in expired or had too many wrong codes. Please sign in again.",
    ),
    ("settings.title", "Cài đặt", "Settings"),
    (
        "settings.mfa_policy",
        "Bắt buộc xác thực hai bước với các vai trò",
        "Require two-step verification for these roles",
    ),
    (
        "settings.mail_test",
        "Gửi thư kiểm tra",
        "Send a test e-mail",
    ),
    ("settings.mail_to", "Gửi đến", "Send to"),
    ("nav.settings", "Cài đặt", "Settings"),
    (
        "nav.constituency",
        "Tra cứu IP, tên miền",
        "IP & domain lookup",
    ),
    (
        "constituency.title",
        "Tra cứu đơn vị phụ trách",
        "Who is responsible?",
    ),
    (
        "constituency.lookup_help",
        "Nhập địa chỉ IP, tên máy, URL, địa chỉ thư điện tử hoặc số hiệu mạng (ASN) để biết cơ quan, đơn vị nào chịu trách nhiệm và cần được cảnh báo.",
        "Enter an IP address, host name, URL, e-mail address or AS number to find which organisation is responsible and should be warned.",
    ),
    (
        "constituency.query",
        "IP, tên máy, URL, thư điện tử hoặc ASN",
        "IP, host name, URL, e-mail or ASN",
    ),
    ("constituency.lookup", "Tra cứu", "Look up"),
    (
        "constituency.read.url",
        "Tên máy được lấy từ URL.",
        "The host was taken from the URL.",
    ),
    (
        "constituency.read.email",
        "Tên miền được lấy từ địa chỉ thư điện tử.",
        "The domain was taken from the e-mail address.",
    ),
    (
        "constituency.reason.in_range",
        "{query} thuộc dải {entry} do {org} quản lý.",
        "{query} is in {entry}, claimed by {org}.",
    ),
    (
        "constituency.reason.same_domain",
        "{query} là tên miền do {org} quản lý.",
        "{query} is a domain claimed by {org}.",
    ),
    (
        "constituency.reason.subdomain",
        "{query} là tên miền con của {entry} do {org} quản lý.",
        "{query} is a subdomain of {entry}, claimed by {org}.",
    ),
    (
        "constituency.reason.same_asn",
        "{query} là số hiệu mạng do {org} quản lý.",
        "{query} is an AS number claimed by {org}.",
    ),
    (
        "constituency.reason.none",
        "Chưa có cơ quan, đơn vị nào nhận {query}.",
        "No organisation claims {query}.",
    ),
    (
        "constituency.contested",
        "Lưu ý: một cơ quan, đơn vị khác cũng nhận mục này; kết quả theo lần nhận sớm nhất. Cơ quan điều phối thấy xung đột này.",
        "Note: another organisation claims the same entry; the earliest claim answers. The coordinator sees this conflict.",
    ),
    (
        "constituency.conflicts",
        "Xung đột giữa các cơ quan, đơn vị",
        "Conflicting claims",
    ),
    (
        "constituency.conflicts_help",
        "Trùng lặp: nhiều cơ quan, đơn vị nhận cùng một mục; lần nhận sớm nhất được dùng để trả lời tra cứu. Lồng nhau: một mục nằm trong mục của cơ quan, đơn vị khác (thường là phân cấp quản lý); mục hẹp hơn trả lời cho phần nó bao phủ.",
        "Duplicate: several organisations claim the same entry; the earliest claim answers lookups. Nested: an entry inside another organisation's entry (usually delegation); the narrower entry answers for what it covers.",
    ),
    (
        "constituency.no_conflicts",
        "Không có xung đột.",
        "No conflicts.",
    ),
    (
        "constituency.conflict_kind",
        "Loại xung đột",
        "Kind of conflict",
    ),
    ("constituency.conflict.duplicate", "Trùng lặp", "Duplicate"),
    ("constituency.conflict.nested", "Lồng nhau", "Nested"),
    ("constituency.claims", "Các mục đã nhận", "Claims"),
    ("constituency.answers", "trả lời tra cứu", "answers lookups"),
    (
        "constituency.org_link",
        "Tài nguyên Internet (dải IP, tên miền, ASN)",
        "Internet resources (IP ranges, domains, ASNs)",
    ),
    (
        "constituency.org_title",
        "Tài nguyên Internet",
        "Internet resources",
    ),
    (
        "constituency.org_help",
        "Các dải địa chỉ IP (IPv4, IPv6), tên miền và số hiệu mạng (ASN) mà cơ quan, đơn vị chịu trách nhiệm. Một tên miền bao gồm mọi tên miền con của nó.",
        "The IP ranges (IPv4, IPv6), domains and AS numbers (ASNs) this organisation answers for. A domain covers all its subdomains.",
    ),
    ("constituency.kind", "Loại", "Kind"),
    (
        "constituency.kind.cidr",
        "Dải địa chỉ IP (CIDR)",
        "IP range (CIDR)",
    ),
    ("constituency.kind.domain", "Tên miền", "Domain"),
    (
        "constituency.kind.asn",
        "Số hiệu mạng (ASN)",
        "AS number (ASN)",
    ),
    ("constituency.value", "Giá trị", "Value"),
    (
        "constituency.value_help",
        "Ví dụ: 198.51.100.0/28, 2001:db8:100::/48, syt.dongthap.gov.vn, AS45899.",
        "For example: 198.51.100.0/28, 2001:db8:100::/48, syt.dongthap.gov.vn, AS45899.",
    ),
    ("constituency.source", "Nguồn", "Source"),
    ("constituency.source.manual", "Nhập tay", "Entered by hand"),
    (
        "constituency.source.system",
        "Từ hệ thống thông tin",
        "From an information system",
    ),
    (
        "constituency.source.import",
        "Nhập từ tệp CSV",
        "Imported from CSV",
    ),
    ("constituency.note", "Ghi chú", "Note"),
    ("constituency.add", "Thêm mục", "Add an entry"),
    ("constituency.import", "Nhập từ tệp CSV", "Import from CSV"),
    (
        "constituency.import_help",
        "Dán nội dung tệp CSV, mỗi dòng một mục: organization_slug,kind,value[,note] (kind là cidr, domain hoặc asn). Bấm Kiểm tra để xem trước mà không ghi gì; bấm Nhập để ghi, và chỉ khi mọi dòng đều hợp lệ thì mới ghi.",
        "Paste the CSV, one entry per row: organization_slug,kind,value[,note] (kind is cidr, domain or asn). Check shows what would happen and writes nothing; Import writes, and only when every row is valid.",
    ),
    ("constituency.import_file", "Nội dung CSV", "CSV content"),
    (
        "constituency.import_check",
        "Kiểm tra (không ghi)",
        "Check (write nothing)",
    ),
    ("constituency.import_submit", "Nhập", "Import"),
    (
        "constituency.import_summary",
        "Số dòng: {rows}; mục mới: {added}; đã có sẵn: {existing}.",
        "Rows: {rows}; new entries: {added}; already present: {existing}.",
    ),
    (
        "constituency.import_ok_check",
        "Mọi dòng đều hợp lệ. Chưa ghi gì: bấm Nhập để ghi.",
        "Every row is valid. Nothing is written yet: press Import to write.",
    ),
    (
        "constituency.import_refused",
        "Có dòng không hợp lệ nên chưa ghi gì. Hãy sửa các dòng dưới đây rồi thử lại.",
        "Some rows are not valid, so nothing was written. Correct the rows below and try again.",
    ),
    ("constituency.line", "Dòng", "Line"),
    ("constituency.field", "Cột", "Column"),
    ("constituency.message", "Lý do", "Reason"),
    ("flash.constituency_added", "Đã thêm mục.", "Entry added."),
    (
        "flash.constituency_deleted",
        "Đã xoá mục.",
        "Entry removed.",
    ),
    (
        "flash.constituency_imported",
        "Đã nhập tệp CSV.",
        "The CSV was imported.",
    ),
    (
        "err.constituency_kind",
        "Loại phải là cidr (dải IP), domain (tên miền) hoặc asn (số hiệu mạng).",
        "The kind must be cidr (IP range), domain or asn (AS number).",
    ),
    (
        "err.cidr",
        "Dải địa chỉ IP không hợp lệ (ví dụ 203.0.113.0/24 hoặc 2001:db8::/48).",
        "Not a valid IP range (e.g. 203.0.113.0/24 or 2001:db8::/48).",
    ),
    (
        "err.cidr_prefix",
        "Độ dài tiền tố không hợp lệ (IPv4: 0-32, IPv6: 0-128).",
        "Invalid prefix length (IPv4: 0-32, IPv6: 0-128).",
    ),
    (
        "err.cidr_host_bits",
        "Địa chỉ mạng có phần host khác 0: hãy nhập địa chỉ đầu dải, ví dụ 203.0.113.0/24 thay cho 203.0.113.7/24.",
        "The address has host bits set: enter the first address of the range, e.g. 203.0.113.0/24 instead of 203.0.113.7/24.",
    ),
    (
        "err.domain",
        "Tên miền không hợp lệ: mỗi nhãn gồm 1-63 chữ cái không dấu, chữ số hoặc dấu gạch ngang, không bắt đầu hay kết thúc bằng gạch ngang.",
        "Not a valid domain: each label has 1-63 letters, digits or dashes, and does not start or end with a dash.",
    ),
    (
        "err.domain_idn",
        "Tên miền có dấu cần nhập ở dạng punycode (xn--…).",
        "Enter an internationalised domain in its punycode form (xn--…).",
    ),
    (
        "err.domain_single",
        "Tên miền cần ít nhất hai nhãn, ví dụ dongthap.gov.vn.",
        "A domain needs at least two labels, e.g. dongthap.gov.vn.",
    ),
    (
        "err.asn",
        "Số hiệu mạng (ASN) không hợp lệ: nhập dạng AS45899 hoặc 45899.",
        "Not a valid AS number: write AS45899 or 45899.",
    ),
    (
        "err.constituency_exists",
        "Cơ quan, đơn vị đã có mục này.",
        "The organisation already has this entry.",
    ),
    (
        "err.query",
        "Không nhận ra địa chỉ IP, tên máy, URL, địa chỉ thư điện tử hay số hiệu mạng.",
        "Not an IP address, host name, URL, e-mail address or AS number.",
    ),
    (
        "err.csv",
        "Không đọc được dòng CSV (dấu ngoặc kép chưa đóng hoặc đặt sai chỗ).",
        "The CSV row cannot be read (a quotation mark is unclosed or misplaced).",
    ),
    (
        "err.import_columns",
        "Dòng cần 3 hoặc 4 cột: organization_slug,kind,value[,note].",
        "A row needs 3 or 4 columns: organization_slug,kind,value[,note].",
    ),
    (
        "err.import_org",
        "Không có cơ quan, đơn vị mang mã này trong số các cơ quan, đơn vị bạn quản lý.",
        "No organisation with this code among those you manage.",
    ),
    (
        "err.import_duplicate",
        "Dòng này lặp lại một dòng trước đó trong tệp.",
        "This row repeats an earlier row of the file.",
    ),
    (
        "err.import_too_many",
        "Tệp có quá nhiều dòng (tối đa 100.000).",
        "The file has too many rows (at most 100,000).",
    ),
    (
        "err.import_empty",
        "Tệp CSV không có dòng dữ liệu nào.",
        "The CSV has no data rows.",
    ),
    (
        "err.import_encoding",
        "Tệp CSV phải dùng bảng mã UTF-8.",
        "The CSV must be encoded in UTF-8.",
    ),
    ("invite.title", "Mời người dùng", "Invite a user"),
    (
        "invite.help",
        "Người được mời nhận thư có đường dẫn đặt mật khẩu, dùng một lần, hết hạn sau 72 giờ.",
        "The person receives an e-mail with a link to set a password; it works once and expires after 72 hours.",
    ),
    ("invite.submit", "Gửi lời mời", "Send the invitation"),
    (
        "invite.accept_title",
        "Nhận lời mời",
        "Accept the invitation",
    ),
    (
        "invite.accept_help",
        "Chọn mật khẩu cho tài khoản",
        "Choose a password for the account",
    ),
    (
        "invite.gone",
        "Lời mời đã được dùng, đã hết hạn hoặc không tồn tại. Hãy đề nghị người quản trị gửi lời mời mới.",
        "This invitation has been used, has expired or does not exist. Ask an administrator for a new one.",
    ),
    ("reset.forgot", "Quên mật khẩu?", "Forgot your password?"),
    ("reset.forgot_title", "Quên mật khẩu", "Forgot password"),
    (
        "reset.forgot_help",
        "Nhập địa chỉ thư điện tử của tài khoản. Nếu địa chỉ có tài khoản, hệ thống sẽ gửi đường dẫn đặt lại mật khẩu (dùng một lần, hết hạn sau 72 giờ).",
        "Enter the account's e-mail address. If it has an account, a link to reset the password is sent (it works once and expires after 72 hours).",
    ),
    ("reset.send", "Gửi đường dẫn", "Send the link"),
    (
        "reset.sent",
        "Nếu địa chỉ này có tài khoản, thư hướng dẫn đặt lại mật khẩu đã được gửi. Vui lòng kiểm tra hộp thư.",
        "If this address has an account, a message with a reset link has been sent. Please check your mailbox.",
    ),
    ("reset.title", "Đặt lại mật khẩu", "Reset password"),
    (
        "reset.gone",
        "Đường dẫn đặt lại mật khẩu đã được dùng, đã hết hạn hoặc không tồn tại.",
        "This reset link has been used, has expired or does not exist.",
    ),
    (
        "reset.new_password",
        "Mật khẩu mới (ít nhất 10 ký tự)",
        "New password (at least 10 characters)",
    ),
    (
        "flash.password_set",
        "Đã đặt mật khẩu. Hãy đăng nhập.",
        "Password set. Please sign in.",
    ),
    ("flash.invited", "Đã gửi lời mời.", "Invitation sent."),
    (
        "flash.mfa_disabled",
        "Đã tắt xác thực hai bước.",
        "Two-step verification turned off.",
    ),
    (
        "flash.mfa_reset",
        "Đã đặt lại xác thực hai bước của người dùng.",
        "The person's two-step verification was reset.",
    ),
    (
        "flash.mail_queued",
        "Đã xếp thư kiểm tra vào hàng đợi gửi.",
        "The test message is queued.",
    ),
    (
        "err.mfa_code",
        "Mã xác thực không đúng hoặc đã được dùng.",
        "The code is wrong or was already used.",
    ),
    (
        "err.mfa_already",
        "Xác thực hai bước đã được bật.",
        "Two-step verification is already on.",
    ),
    (
        "err.mfa_no_enrolment",
        "Chưa bắt đầu thiết lập xác thực hai bước.",
        "Two-step verification setup has not been started.",
    ),
    (
        "err.mfa_required",
        "Vai trò của bạn bắt buộc dùng xác thực hai bước nên không thể tắt.",
        "Your role requires two-step verification, so it cannot be turned off.",
    ),
    ("audit.detail", "Chi tiết sự kiện", "Event details"),
    (
        "audit.person",
        "Người thực hiện (thư điện tử)",
        "Actor (e-mail)",
    ),
    ("audit.org", "Cơ quan, đơn vị", "Organisation"),
    ("audit.object_type", "Loại đối tượng", "Object type"),
    ("audit.object_id", "Mã đối tượng", "Object id"),
    ("audit.from", "Từ ngày", "From"),
    ("audit.until", "Đến ngày", "Until"),
    ("audit.summary", "Nội dung thay đổi", "Change summary"),
    ("audit.request", "Mã yêu cầu", "Request id"),
    ("audit.hash", "Mã băm", "Hash"),
    ("audit.prev_hash", "Mã băm sự kiện trước", "Previous hash"),
    (
        "audit.checkpoint",
        "Tải điểm kiểm tra (JSON)",
        "Download checkpoint (JSON)",
    ),
    (
        "audit.checkpoint_help",
        "Lưu điểm kiểm tra ở nơi khác (hoặc ký số) để sau này chứng minh nhật ký không bị sửa: ungcuu audit verify --from-checkpoint TỆP.",
        "Keep the checkpoint elsewhere (or sign it) to prove later that the log was not altered: ungcuu audit verify --from-checkpoint FILE.",
    ),
    ("nav.directory", "Danh bạ đầu mối", "Directory"),
    ("nav.team", "Đội ứng cứu", "Response team"),
    ("nav.notifications", "Thông báo", "Notifications"),
    (
        "profile.org_title",
        "Hồ sơ thành viên mạng lưới ứng cứu sự cố",
        "Response network member profile",
    ),
    (
        "profile.mau01",
        "Thông tin theo Mẫu 01",
        "Profile (form 01)",
    ),
    ("profile.owning_body", "Cơ quan chủ quản", "Owning body"),
    ("profile.address", "Địa chỉ", "Address"),
    ("profile.phone", "Điện thoại", "Phone"),
    ("profile.fax", "Fax", "Fax"),
    ("profile.email", "Thư điện tử", "E-mail"),
    ("profile.website", "Trang thông tin điện tử", "Website"),
    (
        "profile.leader_name",
        "Lãnh đạo phụ trách an toàn thông tin",
        "Leader responsible for information security",
    ),
    (
        "profile.leader_title",
        "Chức vụ của lãnh đạo",
        "Leader's title",
    ),
    (
        "profile.intake_address",
        "Địa chỉ tiếp nhận thông báo sự cố",
        "Incident intake address",
    ),
    (
        "profile.intake_phone",
        "Điện thoại cố định tiếp nhận sự cố",
        "Incident intake landline",
    ),
    (
        "profile.intake_mobile",
        "Điện thoại di động tiếp nhận sự cố",
        "Incident intake mobile",
    ),
    (
        "profile.intake_fax",
        "Fax tiếp nhận sự cố",
        "Incident intake fax",
    ),
    (
        "profile.intake_email",
        "Thư điện tử tiếp nhận sự cố",
        "Incident intake e-mail",
    ),
    (
        "profile.response_capability",
        "Mô tả năng lực ứng cứu sự cố",
        "Description of response capability",
    ),
    (
        "profile.link",
        "Hồ sơ và đầu mối",
        "Profile and focal points",
    ),
    (
        "staff.title",
        "Nhân lực (số người)",
        "Staff (number of people)",
    ),
    (
        "staff.training_it",
        "Đào tạo chuyên ngành CNTT",
        "Trained in IT",
    ),
    (
        "staff.training_infosec",
        "Đào tạo chuyên ngành ATTT",
        "Trained in information security",
    ),
    (
        "staff.training_equivalent",
        "Đào tạo tương đương",
        "Equivalent training",
    ),
    (
        "staff.degree_postgraduate",
        "Trình độ sau đại học",
        "Postgraduate",
    ),
    ("staff.degree_university", "Trình độ đại học", "University"),
    ("staff.degree_college", "Trình độ cao đẳng", "College"),
    (
        "staff.degree_vocational",
        "Trình độ trung cấp",
        "Vocational",
    ),
    (
        "staff.cert_international",
        "Có chứng chỉ quốc tế",
        "International certificates",
    ),
    (
        "staff.cert_domestic",
        "Có chứng chỉ trong nước",
        "Domestic certificates",
    ),
    (
        "staff.group_management",
        "Nhóm quản lý, chính sách",
        "Management and policy",
    ),
    (
        "staff.group_defence",
        "Nhóm phòng chống tấn công",
        "Defence against attacks",
    ),
    (
        "staff.group_protection",
        "Nhóm bảo vệ hệ thống, ứng dụng",
        "System and application protection",
    ),
    (
        "staff.group_testing",
        "Nhóm kiểm tra, đánh giá",
        "Testing and assessment",
    ),
    (
        "focal.title",
        "Đầu mối ứng cứu sự cố",
        "Incident response focal points",
    ),
    (
        "focal.none",
        "Chưa có đầu mối ứng cứu sự cố.",
        "No focal point yet.",
    ),
    ("focal.kind", "Loại đầu mối", "Kind"),
    ("focal.primary", "Đầu mối chính", "Primary"),
    ("focal.backup", "Đầu mối dự phòng", "Backup"),
    ("focal.title_field", "Chức vụ", "Title"),
    (
        "focal.contacts",
        "Liên hệ (giờ hành chính)",
        "Contacts (working hours)",
    ),
    ("focal.phone", "Điện thoại cố định", "Landline"),
    ("focal.mobile", "Điện thoại di động", "Mobile"),
    ("focal.phone_24x7", "Số liên lạc 24/7", "24/7 number"),
    (
        "focal.pgp",
        "Dấu vân tay khoá PGP (không bắt buộc)",
        "PGP key fingerprint (optional)",
    ),
    ("focal.from", "Từ", "From"),
    ("focal.to", "Đến", "Until"),
    ("focal.by", "Người thực hiện", "By"),
    (
        "focal.history",
        "Lịch sử thay đổi đầu mối",
        "Focal point history",
    ),
    (
        "focal.assign",
        "Phân công hoặc thay đầu mối",
        "Assign or replace a focal point",
    ),
    (
        "focal.assign_help",
        "Đầu mối hiện tại cùng loại sẽ được lưu vào lịch sử; cơ quan điều phối được thông báo ngay.",
        "The current focal point of the same kind moves to the history; the coordinator is told at once.",
    ),
    (
        "directory.title",
        "Danh bạ đầu mối ứng cứu sự cố",
        "Focal point directory",
    ),
    (
        "directory.help",
        "Đầu mối hiện tại của các cơ quan, đơn vị bạn được xem, và những nơi còn thiếu.",
        "Current focal points of the organisations you can see, and where they are missing.",
    ),
    (
        "directory.missing_officer",
        "Chưa có đầu mối",
        "No focal point",
    ),
    (
        "directory.missing_24x7",
        "Chưa có số liên lạc 24/7",
        "No 24/7 contact",
    ),
    (
        "directory.gaps_only",
        "Chỉ hiện nơi còn thiếu",
        "Show gaps only",
    ),
    ("directory.show_all", "Hiện tất cả", "Show all"),
    (
        "team.title",
        "Đội ứng cứu khẩn cấp sự cố",
        "Emergency response team",
    ),
    ("team.on_call_now", "Đang trực", "On call now"),
    (
        "team.nobody_on_call",
        "Hiện không có ai trong ca trực.",
        "Nobody is on call right now.",
    ),
    ("team.convene", "Triệu tập Đội ứng cứu", "Convene the team"),
    ("team.reason", "Lý do triệu tập", "Reason"),
    (
        "team.incident_ref",
        "Sự cố liên quan (mã hoặc mô tả ngắn)",
        "Related incident (reference)",
    ),
    (
        "team.who",
        "Thành viên được triệu tập (bỏ trống: toàn đội)",
        "Members called (none ticked: the whole team)",
    ),
    ("team.members", "Thành viên", "Members"),
    ("team.skills", "Kỹ năng", "Skills"),
    ("team.person", "Người", "Person"),
    ("team.add_member", "Thêm thành viên", "Add member"),
    (
        "team.schedule",
        "Lịch trực 7 ngày tới",
        "On-call schedule, next 7 days",
    ),
    ("team.add_shift", "Thêm ca trực", "Add shift"),
    ("team.convenings", "Các lần triệu tập", "Convenings"),
    ("notifications.title", "Thông báo", "Notifications"),
    (
        "notifications.mark_read",
        "Đánh dấu tất cả đã đọc",
        "Mark all as read",
    ),
    (
        "flash.focal_point_saved",
        "Đã cập nhật đầu mối; cơ quan điều phối đã được thông báo.",
        "Focal point saved; the coordinator has been told.",
    ),
    (
        "flash.convened",
        "Đã triệu tập Đội ứng cứu và gửi thông báo cho các thành viên.",
        "The team has been convened and its members notified.",
    ),
    (
        "err.phone",
        "Số điện thoại không hợp lệ.",
        "Not a valid phone number.",
    ),
    (
        "err.website",
        "Địa chỉ trang web phải bắt đầu bằng http:// hoặc https://.",
        "The website must start with http:// or https://.",
    ),
    (
        "err.count",
        "Số người phải là số nguyên không âm.",
        "Counts must be whole numbers, zero or more.",
    ),
    (
        "err.focal_kind",
        "Loại đầu mối phải là chính hoặc dự phòng.",
        "The kind must be primary or backup.",
    ),
    (
        "err.pgp",
        "Dấu vân tay PGP gồm 40 ký tự thập lục phân.",
        "A PGP fingerprint has 40 hexadecimal characters.",
    ),
    (
        "err.member_exists",
        "Người này đã là thành viên của Đội.",
        "This person is already on the team.",
    ),
    (
        "err.member_missing",
        "Thành viên không tồn tại.",
        "No such team member.",
    ),
    (
        "err.no_members",
        "Đội chưa có thành viên để triệu tập.",
        "The team has no members to convene.",
    ),
    (
        "err.shift_order",
        "Thời điểm kết thúc phải sau thời điểm bắt đầu.",
        "The end must be after the start.",
    ),
    (
        "err.shift_long",
        "Một ca trực không quá 31 ngày.",
        "A shift cannot exceed 31 days.",
    ),
    (
        "err.datetime",
        "Thời gian không hợp lệ.",
        "Not a valid date and time.",
    ),
    ("err.invalid", "Giá trị không hợp lệ.", "Invalid value."),
    (
        "err.uuid",
        "Mã định danh không hợp lệ.",
        "Not a valid identifier.",
    ),
    // Information systems registry.
    ("nav.systems", "Hệ thống thông tin", "Information systems"),
    (
        "system.list",
        "Danh mục hệ thống thông tin",
        "Information systems registry",
    ),
    (
        "system.list_help",
        "Các hệ thống thông tin của cơ quan, đơn vị: cấp độ an toàn, đơn vị vận hành, địa chỉ và phần mềm, dùng khi báo cáo và ứng cứu sự cố.",
        "The organisations' information systems: security level, operator, addresses and software, used when reporting and responding to incidents.",
    ),
    (
        "system.new",
        "Thêm hệ thống thông tin",
        "Add an information system",
    ),
    (
        "system.edit",
        "Sửa hệ thống thông tin",
        "Edit information system",
    ),
    ("system.name", "Tên hệ thống", "System name"),
    ("system.owner", "Cơ quan chủ quản", "Owner organisation"),
    ("system.operator", "Đơn vị vận hành", "Operator"),
    (
        "system.operator_help",
        "Một đơn vị của tỉnh hoặc doanh nghiệp được thuê vận hành. Cán bộ của đơn vị vận hành được xem hệ thống.",
        "An organisation of the province or a contractor. The operator's staff may see the system.",
    ),
    ("system.none", "(Chưa có)", "(None)"),
    (
        "system.security_provider",
        "Tổ chức cung cấp dịch vụ an toàn thông tin",
        "Security service provider",
    ),
    (
        "system.connectivity_provider",
        "Nhà cung cấp dịch vụ kết nối bên ngoài",
        "External connectivity provider",
    ),
    ("system.purpose", "Mục đích sử dụng", "Purpose"),
    ("system.level", "Cấp độ an toàn", "Security level"),
    ("system.level_n", "Cấp độ {n}", "Level {n}"),
    ("system.no_level", "Chưa xác định", "Not set"),
    (
        "system.level_status",
        "Tình trạng hồ sơ cấp độ",
        "Level dossier status",
    ),
    (
        "system.level_help",
        "Cấp độ 1-5 theo Luật An toàn thông tin mạng và Nghị định 85/2016/NĐ-CP. Cơ quan điều phối ghi nhận việc thẩm định; người phê duyệt của cơ quan chủ quản phê duyệt, kèm số và ngày quyết định.",
        "Level 1-5 under the Law on Network Information Security and Decree 85/2016. The coordinator records the appraisal; an approver of the owner approves it, with the decision number and date.",
    ),
    ("system.status.proposed", "Đề xuất", "Proposed"),
    ("system.status.appraised", "Đã thẩm định", "Appraised"),
    ("system.status.approved", "Đã phê duyệt", "Approved"),
    (
        "system.decision_no",
        "Số quyết định phê duyệt",
        "Approval decision number",
    ),
    ("system.approval_date", "Ngày phê duyệt", "Approval date"),
    (
        "system.approved_by",
        "Người ghi nhận phê duyệt",
        "Approval recorded by",
    ),
    ("system.services", "Dịch vụ trên hệ thống", "Services"),
    ("system.service.web", "Máy chủ web", "Web server"),
    ("system.service.mail", "Máy chủ thư điện tử", "Mail server"),
    (
        "system.service.database",
        "Máy chủ cơ sở dữ liệu",
        "Database server",
    ),
    ("system.service.other", "Dịch vụ khác", "Other services"),
    ("system.os", "Hệ điều hành", "Operating system"),
    (
        "system.os_version",
        "Phiên bản hệ điều hành",
        "Operating system version",
    ),
    ("system.software", "Phần mềm", "Software"),
    (
        "system.software_help",
        "Mỗi dòng một phần mềm: hãng | sản phẩm | phiên bản | mã CPE (nếu biết). Ví dụ: F5 | nginx | 1.24.0 | cpe:2.3:a:f5:nginx:1.24.0:*:*:*:*:*:*:*",
        "One per line: vendor | product | version | CPE (when known). For example: F5 | nginx | 1.24.0 | cpe:2.3:a:f5:nginx:1.24.0:*:*:*:*:*:*:*",
    ),
    ("system.vendor", "Hãng", "Vendor"),
    ("system.product", "Sản phẩm", "Product"),
    ("system.version", "Phiên bản", "Version"),
    ("system.cpe", "Mã CPE", "CPE name"),
    ("system.ips", "Địa chỉ IP công khai", "Public IP addresses"),
    (
        "system.ips_help",
        "Mỗi dòng một địa chỉ hoặc một dải (CIDR), ví dụ 203.0.113.10 hoặc 203.0.113.0/28.",
        "One address or range (CIDR) per line, for example 203.0.113.10 or 203.0.113.0/28.",
    ),
    ("system.domains", "Tên miền", "Domain names"),
    (
        "system.domains_help",
        "Mỗi dòng một tên miền, ví dụ syt.dongthap.gov.vn.",
        "One per line, for example syt.dongthap.gov.vn.",
    ),
    ("system.hostnames", "Tên máy chủ", "Host names"),
    (
        "system.hostnames_help",
        "Mỗi dòng một tên, ví dụ portal-web01.",
        "One per line, for example portal-web01.",
    ),
    ("system.history", "Lịch sử thay đổi", "History"),
    ("system.changed", "Nội dung thay đổi", "What changed"),
    (
        "system.event.create",
        "Thêm vào danh mục",
        "Added to the registry",
    ),
    ("system.event.update", "Cập nhật", "Updated"),
    (
        "system.event.import",
        "Nhập từ tệp CSV",
        "Imported from CSV",
    ),
    ("system.delete", "Xoá hệ thống", "Delete system"),
    (
        "system.delete_confirm",
        "Xoá hệ thống này khỏi danh mục? Lịch sử thay đổi vẫn được lưu trong nhật ký kiểm toán.",
        "Delete this system from the registry? Its history stays in the audit log.",
    ),
    ("system.missing", "Thiếu thông tin", "Missing data"),
    (
        "system.missing.level",
        "Chưa có cấp độ",
        "No security level",
    ),
    (
        "system.missing.operator",
        "Chưa có đơn vị vận hành",
        "No operator",
    ),
    (
        "system.missing.addresses",
        "Chưa có địa chỉ IP, tên miền hay tên máy chủ",
        "No IP address, domain or host name",
    ),
    (
        "system.missing.software",
        "Chưa có danh mục phần mềm",
        "No software inventory",
    ),
    ("system.any", "Tất cả", "All"),
    (
        "system.of_org",
        "Hệ thống thông tin của cơ quan, đơn vị này",
        "Information systems of this organisation",
    ),
    ("system.export", "Xuất tệp CSV", "Export CSV"),
    ("system.import", "Nhập từ tệp CSV", "Import from CSV"),
    (
        "system.empty",
        "Chưa có hệ thống thông tin nào phù hợp.",
        "No information systems match.",
    ),
    (
        "system.empty_hint",
        "Hãy thêm hệ thống đầu tiên hoặc nhập danh mục từ tệp CSV.",
        "Add the first system, or import the registry from a CSV file.",
    ),
    ("system.updated", "Cập nhật lần cuối", "Last updated"),
    (
        "import.title",
        "Nhập danh mục hệ thống thông tin từ tệp CSV",
        "Import information systems from CSV",
    ),
    (
        "import.help",
        "Dòng đầu là tiêu đề gồm các cột sau, theo thứ tự bất kỳ: {columns}. Bắt buộc có owner_slug và name. Nhiều giá trị trong một ô cách nhau bằng dấu chấm phẩy (;); mỗi phần mềm ghi dạng hãng|sản phẩm|phiên bản|cpe; ngày ghi dạng yyyy-mm-dd hoặc dd/mm/yyyy. Tệp xuất từ trang danh mục có đúng định dạng này.",
        "The first line is a header with these columns, in any order: {columns}. owner_slug and name are required. Several values in one cell are separated by semicolons (;); each software item reads vendor|product|version|cpe; dates read yyyy-mm-dd or dd/mm/yyyy. The registry page exports exactly this format.",
    ),
    (
        "import.encoding_help",
        "Chấp nhận UTF-8 (có hoặc không có BOM) và Windows-1258. Mỗi dòng tạo một hệ thống mới; tên đã có ở cùng cơ quan chủ quản bị báo trùng.",
        "UTF-8 (with or without BOM) and Windows-1258 are accepted. Each row creates a new system; a name the owner already has is reported as a duplicate.",
    ),
    (
        "import.step",
        "Bước 1: kiểm tra tệp. Chưa có dữ liệu nào được ghi cho đến khi bạn xác nhận.",
        "Step 1: check the file. Nothing is written until you confirm.",
    ),
    ("import.file", "Tệp CSV", "CSV file"),
    (
        "import.paste",
        "Hoặc dán nội dung CSV",
        "Or paste the CSV content",
    ),
    ("import.check", "Kiểm tra tệp", "Check the file"),
    ("import.report", "Kết quả kiểm tra", "Check results"),
    ("import.encoding", "Bảng mã", "Encoding"),
    ("import.rows", "Số dòng dữ liệu", "Data rows"),
    ("import.sha256", "Mã băm SHA-256", "SHA-256"),
    (
        "import.refused",
        "Tệp có lỗi nên chưa ghi dữ liệu nào. Hãy sửa các dòng dưới đây rồi tải lên lại.",
        "The file has errors, so nothing was written. Correct the lines below and upload it again.",
    ),
    (
        "import.ready",
        "Không có lỗi. Chưa có dữ liệu nào được ghi: hãy xác nhận để thêm {n} hệ thống vào danh mục.",
        "No errors. Nothing has been written yet: confirm to add {n} systems to the registry.",
    ),
    ("import.line", "Dòng", "Line"),
    ("import.column", "Cột", "Column"),
    ("import.problem", "Lỗi", "Problem"),
    ("import.value", "Giá trị", "Value"),
    ("import.whole_file", "Cả tệp", "Whole file"),
    ("import.item", "{field}, mục thứ {n}", "{field}, item {n}"),
    (
        "import.confirm_label",
        "Tôi đã xem kết quả kiểm tra và muốn nhập dữ liệu",
        "I have read the check results and want to import",
    ),
    (
        "import.confirm",
        "Nhập vào danh mục",
        "Import into the registry",
    ),
    (
        "flash.system_created",
        "Đã thêm hệ thống thông tin.",
        "Information system added.",
    ),
    (
        "flash.system_deleted",
        "Đã xoá hệ thống thông tin.",
        "Information system deleted.",
    ),
    (
        "flash.systems_imported",
        "Đã nhập danh mục hệ thống thông tin.",
        "Information systems imported.",
    ),
    (
        "err.security_level",
        "Cấp độ phải là số nguyên từ 1 đến 5.",
        "The security level must be a whole number from 1 to 5.",
    ),
    (
        "err.level_status",
        "Tình trạng phải là proposed (đề xuất), appraised (đã thẩm định) hoặc approved (đã phê duyệt).",
        "The status must be proposed, appraised or approved.",
    ),
    (
        "err.level_status_without_level",
        "Chỉ ghi tình trạng hồ sơ khi đã có cấp độ.",
        "A status needs a security level.",
    ),
    (
        "err.approval_forbidden",
        "Chỉ người phê duyệt (approver) của cơ quan chủ quản mới được phê duyệt cấp độ hoặc sửa cấp độ đã phê duyệt.",
        "Only an approver of the owner organisation may approve a level or change an approved one.",
    ),
    (
        "err.appraisal_forbidden",
        "Chỉ cơ quan điều phối mới được ghi nhận cấp độ đã thẩm định.",
        "Only the coordinator may record a level as appraised.",
    ),
    (
        "err.date_invalid",
        "Ngày không hợp lệ: ghi dạng yyyy-mm-dd hoặc dd/mm/yyyy.",
        "Not a valid date: write yyyy-mm-dd or dd/mm/yyyy.",
    ),
    (
        "err.date_future",
        "Ngày phê duyệt không được sau ngày hôm nay.",
        "The approval date cannot be later than today.",
    ),
    (
        "err.service",
        "Dịch vụ phải là web, mail, database hoặc other.",
        "A service must be web, mail, database or other.",
    ),
    (
        "err.ip_address",
        "Địa chỉ IP không hợp lệ.",
        "Not a valid IP address.",
    ),
    (
        "err.ip_range",
        "Dải địa chỉ không hợp lệ: ghi dạng địa chỉ/độ dài tiền tố, với IPv4 từ 8 đến 32, IPv6 từ 16 đến 128.",
        "Not a valid range: write address/prefix, with an IPv4 prefix of 8 to 32 or an IPv6 prefix of 16 to 128.",
    ),
    (
        "err.ip_not_public",
        "Chỉ ghi địa chỉ IP công khai, không ghi địa chỉ nội bộ, loopback, link-local hay multicast.",
        "Only public IP addresses: no private, loopback, link-local or multicast ones.",
    ),
    (
        "err.domain_name",
        "Tên miền không hợp lệ: chỉ gồm chữ không dấu, số, dấu gạch ngang và dấu chấm; tên miền tiếng Việt ghi dạng xn--.",
        "Not a valid domain name: letters, digits, dashes and dots only; write Vietnamese names in their xn-- form.",
    ),
    (
        "err.domain_url",
        "Chỉ ghi tên miền, không ghi địa chỉ trang (https://…).",
        "Write the domain name only, not a web address (https://…).",
    ),
    (
        "err.host_name",
        "Tên máy chủ không hợp lệ: chỉ gồm chữ không dấu, số, dấu gạch ngang và dấu chấm.",
        "Not a valid host name: letters, digits, dashes and dots only.",
    ),
    (
        "err.cpe",
        "Mã CPE phải có dạng cpe:2.3:loại:hãng:sản phẩm:phiên bản:… (đủ 13 thành phần).",
        "A CPE name must read cpe:2.3:part:vendor:product:version:… (13 parts in all).",
    ),
    (
        "err.software_item",
        "Mỗi phần mềm ghi dạng hãng|sản phẩm|phiên bản|cpe (tối đa 4 phần).",
        "Write each software item as vendor|product|version|cpe (at most 4 parts).",
    ),
    (
        "err.software_separator",
        "Không được chứa ký tự | hoặc ; (dùng để phân tách các mục).",
        "Must not contain | or ; (they separate items).",
    ),
    ("err.too_many_items", "Quá nhiều mục.", "Too many items."),
    (
        "err.system_name_taken",
        "Cơ quan chủ quản đã có hệ thống mang tên này.",
        "The owner already has a system with this name.",
    ),
    (
        "err.system_owner_forbidden",
        "Bạn không có quyền quản lý hệ thống thông tin của cơ quan, đơn vị này.",
        "You may not manage the information systems of this organisation.",
    ),
    (
        "err.csv_encoding",
        "Không đọc được tệp: hãy lưu dạng CSV UTF-8 hoặc CSV Windows-1258 (không dùng UTF-16 hay tệp Excel .xlsx).",
        "The file cannot be read: save it as CSV UTF-8 or CSV Windows-1258 (not UTF-16, nor an Excel .xlsx file).",
    ),
    (
        "err.csv_empty",
        "Tệp rỗng hoặc chưa chọn tệp.",
        "The file is empty, or no file was chosen.",
    ),
    (
        "err.csv_quote",
        "Dấu ngoặc kép không khớp.",
        "Unbalanced quotation marks.",
    ),
    (
        "err.csv_unknown_column",
        "Cột không được hỗ trợ.",
        "Unknown column.",
    ),
    (
        "err.csv_duplicate_column",
        "Cột xuất hiện hai lần.",
        "This column appears twice.",
    ),
    (
        "err.csv_missing_column",
        "Thiếu cột bắt buộc.",
        "A required column is missing.",
    ),
    (
        "err.csv_cells",
        "Số ô của dòng khác số cột của dòng tiêu đề (thừa hoặc thiếu cột).",
        "The line does not have as many cells as the header has columns.",
    ),
    (
        "err.csv_no_rows",
        "Tệp chỉ có dòng tiêu đề, không có dữ liệu.",
        "The file has a header but no data.",
    ),
    (
        "err.csv_too_many_rows",
        "Tệp có quá 10.000 dòng dữ liệu; hãy chia thành nhiều tệp.",
        "The file has more than 10,000 data rows; split it into several files.",
    ),
    (
        "err.csv_duplicate_name",
        "Tên hệ thống bị lặp trong tệp (cùng cơ quan chủ quản).",
        "The same owner has this system name twice in the file.",
    ),
    ("nav.incidents", "Sự cố", "Incidents"),
    (
        "flash.incident_created",
        "Đã tiếp nhận báo cáo sự cố.",
        "The incident report was received.",
    ),
    (
        "flash.incident_moved",
        "Đã chuyển bước xử lý sự cố.",
        "The incident moved to the next step.",
    ),
    ("incident.list", "Danh sách sự cố", "Incidents"),
    (
        "incident.list_help",
        "Các sự cố của cơ quan, đơn vị bạn phụ trách (cơ quan điều phối thấy toàn tỉnh), mới nhất trước.",
        "Incidents of the organisations you look after (the coordinator sees the whole province), newest first.",
    ),
    ("incident.new", "Báo cáo sự cố", "Report an incident"),
    ("incident.empty", "Chưa có sự cố nào.", "No incidents yet."),
    (
        "incident.empty_hint",
        "Khi phát hiện sự cố, hãy báo cáo theo Mẫu 03 bằng nút «Báo cáo sự cố».",
        "When you discover an incident, report it on Mẫu 03 with «Report an incident».",
    ),
    (
        "incident.empty_filtered",
        "Không có sự cố nào khớp với bộ lọc.",
        "No incident matches these filters.",
    ),
    ("incident.back", "← Danh sách sự cố", "← Incidents"),
    ("incident.title", "Tiêu đề sự cố", "Title"),
    ("incident.owner", "Cơ quan, đơn vị bị sự cố", "Organisation"),
    ("incident.state", "Bước xử lý", "Step"),
    (
        "incident.state.open",
        "Đang xử lý (chưa kết thúc)",
        "Open (not finished)",
    ),
    ("incident.state.received", "Tiếp nhận", "Received"),
    ("incident.state.verifying", "Đang xác minh", "Verifying"),
    (
        "incident.state.initial_response",
        "Ứng cứu ban đầu",
        "Initial response",
    ),
    (
        "incident.state.option_proposed",
        "Đã đề xuất phương án",
        "Response option proposed",
    ),
    (
        "incident.state.option_approved",
        "Phương án đã được phê duyệt",
        "Response option approved",
    ),
    (
        "incident.state.escalated",
        "Đã báo cáo Ban Chỉ đạo",
        "Escalated to the steering committee",
    ),
    (
        "incident.state.containing",
        "Ngăn chặn, hạn chế thiệt hại",
        "Containing",
    ),
    (
        "incident.state.eradicating",
        "Loại bỏ mã độc, khắc phục điểm yếu",
        "Eradicating",
    ),
    (
        "incident.state.recovering",
        "Khôi phục hệ thống",
        "Recovering",
    ),
    (
        "incident.state.verifying_recovery",
        "Kiểm tra sau khôi phục",
        "Verifying recovery",
    ),
    (
        "incident.state.review",
        "Tổng kết, rút kinh nghiệm",
        "Review",
    ),
    ("incident.state.closed", "Đã đóng", "Closed"),
    (
        "incident.state.rejected",
        "Không phải sự cố (từ chối)",
        "Rejected (not an incident)",
    ),
    ("incident.state.duplicate", "Trùng lặp", "Duplicate"),
    (
        "incident.state.merged",
        "Đã gộp vào sự cố khác",
        "Merged into another incident",
    ),
    ("incident.type", "Loại sự cố (Mẫu 05)", "Type (Mẫu 05)"),
    ("incident.type.dos", "Từ chối dịch vụ", "Denial of service"),
    (
        "incident.type.spoof",
        "Tấn công giả mạo",
        "Spoofing, phishing",
    ),
    (
        "incident.type.malware",
        "Tấn công sử dụng mã độc",
        "Malware attack",
    ),
    (
        "incident.type.intrusion",
        "Truy cập trái phép, chiếm quyền điều khiển",
        "Unauthorised access, takeover",
    ),
    ("incident.type.deface", "Thay đổi giao diện", "Defacement"),
    (
        "incident.type.encrypt",
        "Mã hóa phần mềm, dữ liệu, thiết bị",
        "Encryption of software, data or devices",
    ),
    (
        "incident.type.destroy",
        "Phá hoại thông tin, dữ liệu, phần mềm",
        "Destruction of information, data or software",
    ),
    (
        "incident.type.espionage",
        "Nghe trộm, gián điệp, lấy cắp thông tin, dữ liệu",
        "Eavesdropping, espionage, data theft",
    ),
    (
        "incident.type.combined",
        "Tấn công tổng hợp sử dụng kết hợp nhiều hình thức",
        "Combined attack using several methods",
    ),
    (
        "incident.type.other",
        "Các hình thức tấn công khác",
        "Other attacks",
    ),
    ("incident.subtype", "Phân loại chi tiết", "Sub-type"),
    (
        "incident.subtype.deface",
        "Thay đổi giao diện trang web (deface)",
        "Website defacement",
    ),
    (
        "incident.subtype.phishing",
        "Lừa đảo, giả mạo (phishing)",
        "Phishing",
    ),
    ("incident.subtype.malware", "Mã độc", "Malware"),
    (
        "incident.subtype.cnc_botnet",
        "Mạng máy tính ma, máy chủ điều khiển (C&C botnet)",
        "C&C botnet",
    ),
    (
        "incident.subtype.ddos",
        "Từ chối dịch vụ phân tán (DDoS)",
        "DDoS",
    ),
    (
        "incident.subtype.ransomware",
        "Mã độc tống tiền (ransomware)",
        "Ransomware",
    ),
    ("incident.subtype.data_leak", "Lộ lọt dữ liệu", "Data leak"),
    (
        "incident.subtype.account_compromise",
        "Chiếm đoạt tài khoản",
        "Account compromise",
    ),
    (
        "incident.subtype.vulnerability_exploitation",
        "Khai thác lỗ hổng bảo mật",
        "Vulnerability exploitation",
    ),
    ("incident.subtype.other", "Khác", "Other"),
    (
        "incident.tlp",
        "Mức chia sẻ thông tin (TLP)",
        "Sharing (TLP)",
    ),
    ("incident.severity", "Mức độ", "Severity"),
    (
        "incident.severity.ordinary",
        "Sự cố thông thường",
        "Ordinary incident",
    ),
    (
        "incident.severity.serious",
        "Sự cố nghiêm trọng",
        "Serious incident",
    ),
    (
        "incident.proposed",
        "Theo bộ tiêu chí hiện hành, hệ thống đề xuất:",
        "The rule set in force proposes:",
    ),
    (
        "incident.no_reasons",
        "Không tiêu chí nghiêm trọng nào được thỏa mãn.",
        "No rule for serious incidents applies.",
    ),
    (
        "incident.reason.system_level",
        "Hệ thống bị sự cố ở cấp độ {value} (ngưỡng: từ cấp độ {threshold}).",
        "The affected system is level {value} (threshold: level {threshold} or above).",
    ),
    (
        "incident.reason.organizations",
        "Ảnh hưởng đến {value} cơ quan, đơn vị (ngưỡng: từ {threshold}).",
        "{value} organisations are affected (threshold: {threshold} or more).",
    ),
    (
        "incident.reason.personal_data",
        "Lộ lọt dữ liệu cá nhân.",
        "Personal data was exposed.",
    ),
    (
        "incident.reason.state_secret",
        "Lộ lọt thông tin bí mật nhà nước.",
        "State secrets were exposed.",
    ),
    (
        "incident.reason.service_outage",
        "Dịch vụ công ngừng hoạt động {value} giờ (ngưỡng: quá {threshold} giờ).",
        "A public service has been down for {value} hours (threshold: over {threshold} hours).",
    ),
    (
        "incident.reason.external_resources",
        "Cần huy động nguồn lực quốc gia hoặc quốc tế.",
        "National or foreign resources are needed.",
    ),
    (
        "incident.reason.unknown",
        "Tiêu chí không còn trong bộ tiêu chí.",
        "A rule no longer in the rule set.",
    ),
    (
        "incident.override",
        "Xác định lại mức độ",
        "Set the severity by hand",
    ),
    ("incident.override.reason", "Lý do", "Reason"),
    ("incident.override.submit", "Xác định lại", "Set severity"),
    (
        "incident.override.by_hand",
        "Mức độ do người xác định, lý do:",
        "Set by hand, because:",
    ),
    ("incident.steps", "Chuyển bước xử lý", "Next steps"),
    (
        "incident.no_steps",
        "Hiện không có bước xử lý nào bạn có thể thực hiện.",
        "There is no step for you to take now.",
    ),
    (
        "incident.step_to",
        "Chuyển sang: {state}",
        "Move to: {state}",
    ),
    ("incident.comment", "Ghi chú", "Comment"),
    (
        "incident.confirm_final",
        "Tôi xác nhận kết thúc xử lý sự cố này (không thể hoàn tác).",
        "I confirm this ends the handling of the incident (it cannot be undone).",
    ),
    ("incident.review", "Tổng kết sự cố", "Review"),
    (
        "incident.review.root_cause",
        "Nguyên nhân sự cố",
        "Root cause",
    ),
    (
        "incident.review.lessons",
        "Bài học kinh nghiệm",
        "Lessons learned",
    ),
    (
        "incident.review.measures",
        "Biện pháp bổ sung để phòng ngừa",
        "Additional preventive measures",
    ),
    ("incident.times", "Thời gian xử lý", "Response times"),
    (
        "incident.time.acknowledge",
        "Từ khi báo cáo đến khi tiếp nhận xử lý",
        "Report to acknowledgement",
    ),
    (
        "incident.time.contain",
        "Từ khi phát hiện đến khi ngăn chặn xong",
        "Discovery to containment",
    ),
    (
        "incident.time.recover",
        "Từ khi phát hiện đến khi khôi phục ổn định",
        "Discovery to verified recovery",
    ),
    (
        "incident.time.close",
        "Từ khi phát hiện đến khi đóng sự cố",
        "Discovery to closure",
    ),
    (
        "incident.times_help",
        "Tính từ các lần chuyển bước trong diễn biến; «—» là chưa đến bước đó.",
        "Computed from the steps in the timeline; «—» means the step has not been reached.",
    ),
    ("incident.timeline", "Diễn biến", "Timeline"),
    (
        "incident.happened_at",
        "Thời điểm xảy ra",
        "When it happened",
    ),
    ("incident.recorded_at", "ghi nhận lúc", "recorded"),
    ("incident.event", "Sự kiện", "Event"),
    ("incident.event.reported", "Báo cáo sự cố", "Reported"),
    (
        "incident.event.classification",
        "Phân loại, mức độ",
        "Classification, severity",
    ),
    (
        "incident.event.manual",
        "Ghi nhận diễn biến",
        "Timeline entry",
    ),
    ("incident.event.comment", "Ý kiến", "Comment"),
    (
        "incident.note",
        "Ý kiến hoặc diễn biến",
        "Comment or timeline entry",
    ),
    (
        "incident.happened_help",
        "Để trống nếu là ý kiến; điền thời điểm nếu ghi nhận một diễn biến đã xảy ra.",
        "Leave empty for a comment; fill in the time to record something that happened then.",
    ),
    ("incident.add_note", "Thêm", "Add"),
    (
        "incident.classification",
        "Phân loại và đánh giá mức độ",
        "Classification and severity",
    ),
    (
        "incident.classify",
        "Lưu và đánh giá lại mức độ",
        "Save and evaluate severity again",
    ),
    ("incident.impact", "Mức độ ảnh hưởng", "Impact"),
    (
        "incident.impact.organizations",
        "Số cơ quan, đơn vị bị ảnh hưởng",
        "Organisations affected",
    ),
    (
        "incident.impact.personal_data",
        "Lộ lọt dữ liệu cá nhân",
        "Personal data exposed",
    ),
    (
        "incident.impact.state_secret",
        "Lộ lọt thông tin bí mật nhà nước",
        "State secrets exposed",
    ),
    (
        "incident.impact.outage_hours",
        "Số giờ dịch vụ công ngừng hoạt động",
        "Hours a public service has been down",
    ),
    (
        "incident.impact.external",
        "Cần huy động nguồn lực quốc gia hoặc quốc tế",
        "National or foreign resources needed",
    ),
    (
        "incident.response_completed_at",
        "Kết thúc ứng phó",
        "Response completed",
    ),
    ("incident.closed_at", "Đóng sự cố", "Closed"),
    (
        "incident.filter.from",
        "Phát hiện từ ngày",
        "Discovered from",
    ),
    (
        "incident.filter.until",
        "Đến trước ngày",
        "Discovered before",
    ),
    ("incident.channel", "Hình thức tiếp nhận", "Received by"),
    ("incident.channel.web", "Biểu mẫu trên hệ thống", "Web form"),
    ("incident.channel.api", "Giao diện lập trình (API)", "API"),
    ("incident.channel.phone", "Điện thoại", "Telephone"),
    ("incident.channel.letter", "Công văn", "Official letter"),
    ("incident.channel.fax", "Fax", "Fax"),
    ("incident.channel.email", "Thư điện tử", "E-mail"),
    (
        "incident.report.heading",
        "Báo cáo ban đầu sự cố (Mẫu 03)",
        "Initial incident report (Mẫu 03)",
    ),
    (
        "incident.form.heading",
        "BÁO CÁO BAN ĐẦU SỰ CỐ MẠNG",
        "Initial incident report (Mẫu 03)",
    ),
    (
        "incident.form.help",
        "Theo Mẫu 03 ban hành kèm Thông tư 20/2017/TT-BTTTT. Các mục có dấu (*) là bắt buộc; các mục khác có thể bỏ trống nếu không có thông tin.",
        "Mẫu 03 of Circular 20/2017/TT-BTTTT. Fields marked (*) are required; the others may be left empty when there is nothing to put in them.",
    ),
    ("incident.form.submit", "Gửi báo cáo", "Send the report"),
    (
        "incident.form.section_reporter",
        "Thông tin về tổ chức/cá nhân báo cáo sự cố",
        "The organisation or person reporting",
    ),
    (
        "incident.form.section_contact",
        "Thông tin người liên hệ",
        "Contact person",
    ),
    (
        "incident.form.section_system",
        "Thông tin về hệ thống thông tin bị sự cố",
        "The system affected",
    ),
    (
        "incident.form.section_incident",
        "Thông tin về sự cố",
        "The incident",
    ),
    (
        "incident.form.section_extra",
        "Thông tin bổ sung về hệ thống xảy ra sự cố",
        "More about the system",
    ),
    (
        "incident.form.section_requests",
        "Kiến nghị, đề xuất hỗ trợ",
        "Requests for support",
    ),
    (
        "incident.form.section_signature",
        "Thời gian báo cáo và tiếp nhận",
        "Time of the report and intake",
    ),
    (
        "incident.form.owner_help",
        "Cơ quan, đơn vị có hệ thống bị sự cố; cơ quan điều phối có thể nhập báo cáo nhận qua điện thoại, công văn cho bất kỳ cơ quan nào.",
        "The organisation whose system is affected; the coordinator may enter reports received by phone or letter for any organisation.",
    ),
    (
        "incident.form.system_name_help",
        "Ghi rõ tên miền và địa chỉ IP của hệ thống nếu có.",
        "Give the system's domain names and IP addresses when known.",
    ),
    (
        "incident.form.title_help",
        "Một dòng ngắn để nhận biết sự cố trong danh sách.",
        "One short line to recognise the incident in the list.",
    ),
    (
        "incident.form.summary_help",
        "Đã xảy ra tấn công hay chưa, nguy cơ thiệt hại, gián đoạn dịch vụ, mức độ nhạy cảm của dữ liệu, đối tượng bị ảnh hưởng.",
        "Has an attack happened, is there a risk of damage or service disruption, how sensitive is the data, who is affected.",
    ),
    (
        "incident.form.ips_help",
        "Chỉ địa chỉ IP công khai; mỗi dòng một địa chỉ.",
        "Public IP addresses only; one per line.",
    ),
    (
        "incident.form.list_help",
        "Mỗi dòng một tên miền.",
        "One domain name per line.",
    ),
    (
        "incident.form.channel_help",
        "Dùng khi cơ quan điều phối nhập báo cáo nhận qua điện thoại, công văn, fax hoặc thư điện tử.",
        "For the coordinator entering a report received by phone, letter, fax or e-mail.",
    ),
    ("incident.form.no_level", "Chưa xác định cấp độ", "No level"),
    (
        "incident.form.unclassified",
        "Chưa phân loại",
        "Not classified",
    ),
    (
        "incident.report.reporter_name",
        "Tên tổ chức/cá nhân báo cáo",
        "Name of the reporting organisation or person",
    ),
    ("incident.report.address", "Địa chỉ", "Address"),
    ("incident.report.phone", "Điện thoại", "Telephone"),
    ("incident.report.email", "Email", "E-mail"),
    ("incident.report.contact_name", "Họ và tên", "Full name"),
    ("incident.report.contact_title", "Chức vụ", "Position"),
    (
        "incident.report.contact_phone",
        "Điện thoại người liên hệ",
        "Contact telephone",
    ),
    (
        "incident.report.contact_email",
        "Email người liên hệ",
        "Contact e-mail",
    ),
    (
        "incident.report.operator_name",
        "Tên đơn vị vận hành hệ thống thông tin",
        "Operator of the information system",
    ),
    (
        "incident.report.owner_body",
        "Cơ quan chủ quản",
        "Owning body",
    ),
    (
        "incident.report.system_name",
        "Tên hệ thống bị sự cố",
        "Name of the affected system",
    ),
    (
        "incident.report.system_level",
        "Phân loại cấp độ HTTT (nếu có)",
        "Security level of the system (if any)",
    ),
    (
        "incident.report.security_provider",
        "Tổ chức cung cấp dịch vụ ATTT (nếu có)",
        "Security service provider (if any)",
    ),
    (
        "incident.report.connectivity_provider",
        "Nhà cung cấp dịch vụ kết nối bên ngoài (nếu có)",
        "External connectivity provider (if any)",
    ),
    ("incident.report.summary", "Mô tả sơ bộ", "Summary"),
    (
        "incident.report.discovered_at",
        "Thời điểm phát hiện",
        "Discovered",
    ),
    (
        "incident.report.discovered_date",
        "Ngày phát hiện",
        "Date discovered",
    ),
    (
        "incident.report.discovered_time",
        "Thời gian phát hiện (giờ/phút)",
        "Time discovered (hour/minute)",
    ),
    (
        "incident.report.handling_status",
        "Hiện trạng sự cố",
        "Current status",
    ),
    ("incident.report.handled", "Đã được xử lý", "Handled"),
    (
        "incident.report.not_handled",
        "Chưa được xử lý",
        "Not handled",
    ),
    (
        "incident.report.detection",
        "Cách thức phát hiện",
        "How it was detected",
    ),
    (
        "incident.report.detection.ids",
        "Qua hệ thống phát hiện xâm nhập",
        "By the intrusion detection system",
    ),
    (
        "incident.report.detection.log_review",
        "Kiểm tra dữ liệu lưu lại",
        "By reviewing stored logs",
    ),
    (
        "incident.report.detection.notified",
        "Nhận được thông báo từ",
        "Notified by",
    ),
    ("incident.report.detection.other", "Khác", "Other"),
    (
        "incident.report.detection_notified_by",
        "Nhận được thông báo từ (ghi rõ)",
        "Notified by (who)",
    ),
    (
        "incident.report.detection_other",
        "Cách thức khác (ghi rõ)",
        "Other way (describe)",
    ),
    (
        "incident.report.notified",
        "Đã gửi thông báo sự cố cho",
        "Already notified",
    ),
    (
        "incident.report.notified.network_member",
        "Thành viên mạng lưới ứng cứu sự cố có trách nhiệm",
        "The responsible member of the response network",
    ),
    (
        "incident.report.notified.isp",
        "Doanh nghiệp cung cấp dịch vụ viễn thông, Internet (ISP)",
        "The telecom or Internet service provider",
    ),
    (
        "incident.report.notified.coordinator",
        "Cơ quan điều phối quốc gia",
        "The national coordinator",
    ),
    (
        "incident.report.os_name",
        "Hệ điều hành",
        "Operating system",
    ),
    ("incident.report.os_version", "Version", "Version"),
    (
        "incident.report.services",
        "Các dịch vụ có trên hệ thống",
        "Services on the system",
    ),
    ("incident.report.service.web", "Web server", "Web server"),
    ("incident.report.service.mail", "Mail server", "Mail server"),
    (
        "incident.report.service.database",
        "Database server",
        "Database server",
    ),
    ("incident.report.service.other", "Khác", "Other"),
    (
        "incident.report.measures",
        "Các biện pháp an toàn thông tin đã triển khai",
        "Security measures in place",
    ),
    (
        "incident.report.measure.antivirus",
        "Antivirus",
        "Antivirus",
    ),
    ("incident.report.measure.firewall", "Firewall", "Firewall"),
    (
        "incident.report.measure.ids",
        "Hệ thống phát hiện xâm nhập (IDS)",
        "Intrusion detection (IDS)",
    ),
    ("incident.report.measure.other", "Khác", "Other"),
    (
        "incident.report.other_text",
        "Khác (ghi rõ)",
        "Other (describe)",
    ),
    ("incident.report.ips", "Địa chỉ IP", "IP addresses"),
    ("incident.report.domains", "Tên miền", "Domain names"),
    (
        "incident.report.system_purpose",
        "Mục đích sử dụng hệ thống",
        "Purpose of the system",
    ),
    (
        "incident.report.attachments",
        "Thông tin gửi kèm",
        "Attached",
    ),
    (
        "incident.report.attachment.system_logs",
        "Nhật ký hệ thống",
        "System logs",
    ),
    (
        "incident.report.attachment.malware_sample",
        "Mẫu virus, mã độc",
        "Virus or malware sample",
    ),
    ("incident.report.attachment.other", "Khác", "Other"),
    (
        "incident.report.confidential",
        "Giữ bí mật thông tin sự cố",
        "Keep the incident confidential",
    ),
    (
        "incident.report.requests",
        "Kiến nghị, đề xuất hỗ trợ",
        "Requests for support",
    ),
    (
        "incident.report.reported_at",
        "Thời gian thực hiện báo cáo",
        "Time of the report",
    ),
    (
        "incident.err.transition",
        "Không thể chuyển sự cố sang bước này từ bước hiện tại.",
        "The incident cannot go to this step from where it stands.",
    ),
    (
        "incident.err.escalate_ordinary",
        "Chỉ sự cố nghiêm trọng mới được báo cáo Ban Chỉ đạo.",
        "Only a serious incident goes to the steering committee.",
    ),
    (
        "incident.err.escalate_first",
        "Sự cố nghiêm trọng phải được báo cáo Ban Chỉ đạo trước khi triển khai ngăn chặn.",
        "A serious incident must be escalated to the steering committee before containment.",
    ),
    (
        "incident.err.review_missing",
        "Cần hoàn thành tổng kết (nguyên nhân, bài học kinh nghiệm, biện pháp bổ sung) trước khi đóng sự cố.",
        "Complete the review (root cause, lessons, measures) before closing the incident.",
    ),
    (
        "incident.err.comment_required",
        "Bước này cần ghi rõ lý do.",
        "This step needs a comment saying why.",
    ),
    (
        "incident.err.needs_handler",
        "Chỉ cán bộ phụ trách ATTT của cơ quan, đơn vị có sự cố hoặc cơ quan điều phối mới thực hiện được bước này.",
        "Only the security officer of the incident's organisation, or the coordinator, may take this step.",
    ),
    (
        "incident.err.needs_approver",
        "Chỉ lãnh đạo phê duyệt của cơ quan chủ quản hoặc cơ quan điều phối mới phê duyệt được phương án ứng cứu.",
        "Only the owner's approver, or the coordinator, may decide on the response option.",
    ),
    (
        "incident.err.needs_coordinator",
        "Chỉ cơ quan điều phối mới thực hiện được việc này.",
        "Only the coordinator may do this.",
    ),
    (
        "incident.err.needs_reporter",
        "Bạn không có quyền báo cáo sự cố cho cơ quan, đơn vị này.",
        "You may not report incidents for this organisation.",
    ),
    (
        "incident.err.reported_before_discovered",
        "Thời gian báo cáo không thể trước thời điểm phát hiện.",
        "The report cannot be made before the incident was discovered.",
    ),
    (
        "incident.err.review_state",
        "Chỉ ghi tổng kết khi sự cố đang ở bước tổng kết.",
        "The review is written while the incident is in review.",
    ),
    (
        "incident.err.state",
        "Bước xử lý không hợp lệ.",
        "Unknown step.",
    ),
    (
        "incident.err.type",
        "Loại sự cố không hợp lệ.",
        "Unknown incident type.",
    ),
    (
        "incident.err.subtype",
        "Phân loại chi tiết không hợp lệ.",
        "Unknown sub-type.",
    ),
    (
        "incident.err.subtype_of_type",
        "Phân loại chi tiết không thuộc loại sự cố đã chọn.",
        "The sub-type does not belong to the chosen type.",
    ),
    (
        "incident.err.tlp",
        "Mức TLP không hợp lệ (CLEAR, GREEN, AMBER, AMBER+STRICT, RED).",
        "Unknown TLP label (CLEAR, GREEN, AMBER, AMBER+STRICT, RED).",
    ),
    (
        "incident.err.severity",
        "Mức độ phải là thông thường hoặc nghiêm trọng.",
        "Severity is ordinary or serious.",
    ),
    (
        "incident.err.stale",
        "Sự cố vừa được người khác chuyển bước; hãy tải lại trang.",
        "Someone else just moved the incident; reload the page.",
    ),
    (
        "incident.err.rule",
        "Tiêu chí không hợp lệ hoặc thiếu ngưỡng.",
        "Unknown rule, or its threshold is missing.",
    ),
    (
        "incident.err.rule_threshold",
        "Ngưỡng nằm ngoài giới hạn cho phép.",
        "The threshold is out of range.",
    ),
    (
        "incident.err.rule_repeated",
        "Tiêu chí bị lặp lại.",
        "This rule appears twice.",
    ),
    // Evidence and indicators.
    ("evidence.title", "Chứng cứ", "Evidence"),
    (
        "evidence.none",
        "Chưa có tệp chứng cứ.",
        "No evidence files yet.",
    ),
    ("evidence.file", "Tệp", "File"),
    ("evidence.name", "Tên tệp", "File name"),
    ("evidence.size", "Kích thước (byte)", "Size (bytes)"),
    ("evidence.hashes", "Mã băm", "Hashes"),
    ("evidence.media_type", "Loại nội dung", "Content type"),
    ("evidence.description", "Mô tả", "Description"),
    ("evidence.collected", "Thu thập", "Collected"),
    (
        "evidence.collected_where",
        "Nơi thu thập",
        "Collected where",
    ),
    ("evidence.malicious", "Mẫu mã độc", "Malicious sample"),
    ("evidence.upload", "Tải lên chứng cứ", "Upload evidence"),
    ("evidence.download", "Tải xuống", "Download"),
    ("evidence.custody", "Chuỗi lưu giữ", "Chain of custody"),
    ("evidence.to_whom", "Bàn giao cho", "Handed over to"),
    ("evidence.note", "Ghi chú", "Note"),
    (
        "evidence.hand_over",
        "Ghi nhận bàn giao",
        "Record hand-over",
    ),
    (
        "evidence.uploaded",
        "Đã lưu tệp chứng cứ.",
        "Evidence file stored.",
    ),
    (
        "evidence.err.too_large",
        "Tệp vượt quá giới hạn dung lượng cho phép.",
        "The file is larger than the limit.",
    ),
    (
        "evidence.err.upload",
        "Tải tệp lên bị gián đoạn.",
        "The upload was interrupted.",
    ),
    (
        "indicator.title",
        "Dấu hiệu xâm phạm (IOC)",
        "Indicators of compromise",
    ),
    (
        "indicator.none",
        "Chưa có dấu hiệu nào.",
        "No indicators yet.",
    ),
    ("indicator.kind", "Loại", "Kind"),
    ("indicator.value", "Giá trị", "Value"),
    ("indicator.seen_in", "Đã gặp trong", "Seen in"),
    ("indicator.add", "Thêm dấu hiệu", "Add indicator"),
    (
        "indicator.extract",
        "Trích xuất từ văn bản",
        "Extract from text",
    ),
    ("indicator.delete", "Xoá", "Delete"),
    ("indicator.added", "Đã thêm dấu hiệu.", "Indicators added."),
    (
        "indicator.err.kind",
        "Loại dấu hiệu không hợp lệ.",
        "Not a known indicator kind.",
    ),
    (
        "indicator.err.value",
        "Giá trị không đúng với loại dấu hiệu.",
        "The value is not valid for this kind.",
    ),
    ("nav.deadlines", "Thời hạn", "Deadlines"),
    ("clock.title", "Thời hạn báo cáo", "Reporting deadlines"),
    (
        "clock.help",
        "Thông tư 20/2017: thông báo sự cố trong 5 ngày kể từ khi phát hiện; báo cáo kết thúc ứng phó (Mẫu 04) trong 5 ngày sau khi kết thúc ứng phó. Thời hạn dừng khi ghi nhận đã gửi.",
        "Circular 20/2017: notify within 5 days of discovery; send the final report (Mẫu 04) within 5 days after the response ends. A clock stops when the sending is recorded.",
    ),
    ("clock.kind", "Loại báo cáo", "Report"),
    (
        "clock.kind.notification",
        "Thông báo sự cố",
        "Incident notification",
    ),
    (
        "clock.kind.final_report",
        "Báo cáo kết thúc ứng phó (Mẫu 04)",
        "Final report (Mẫu 04)",
    ),
    ("clock.due", "Hạn", "Due"),
    ("clock.status", "Tình trạng", "Status"),
    ("clock.left", "còn {n} ngày", "{n} day(s) left"),
    ("clock.overdue", "quá hạn {n} ngày", "overdue by {n} day(s)"),
    ("clock.sent_at", "đã gửi lúc {t}", "sent at {t}"),
    (
        "clock.not_started",
        "chưa bắt đầu (khi kết thúc ứng phó)",
        "not started (starts when the response ends)",
    ),
    ("clock.records", "Báo cáo đã gửi", "Reports sent"),
    (
        "clock.record",
        "Ghi nhận đã gửi báo cáo",
        "Record a report as sent",
    ),
    ("clock.record.submit", "Ghi nhận", "Record"),
    (
        "clock.record.sent_at",
        "Thời điểm gửi (để trống: bây giờ)",
        "Sent at (empty: now)",
    ),
    ("clock.record.channel", "Hình thức gửi", "Sent by"),
    ("clock.record.recipients", "Nơi nhận", "Recipients"),
    (
        "clock.record.note",
        "Ghi chú (số công văn, …)",
        "Note (letter number, …)",
    ),
    ("clock.channel.email", "Thư điện tử", "E-mail"),
    ("clock.channel.letter", "Công văn", "Official letter"),
    ("clock.channel.fax", "Fax", "Fax"),
    (
        "clock.channel.system",
        "Qua hệ thống",
        "Through this system",
    ),
    ("clock.incident", "Sự cố", "Incident"),
    (
        "clock.none",
        "Không có thời hạn nào đang chạy.",
        "No clock is running.",
    ),
    (
        "clock.deadlines_help",
        "Các thời hạn báo cáo đang chạy của những sự cố bạn theo dõi, sắp đến hạn trước.",
        "The running reporting clocks of the incidents you follow, earliest due first.",
    ),
    (
        "clock.periods",
        "Báo cáo định kỳ (Mẫu 05)",
        "Periodic reports (Mẫu 05)",
    ),
    (
        "clock.period.half_year",
        "Báo cáo 6 tháng",
        "Six-month report",
    ),
    ("clock.period.annual", "Báo cáo năm", "Annual report"),
    ("clock.period.covers", "Kỳ báo cáo", "Period covered"),
    ("clock.period.due_before", "Gửi trước ngày", "Due before"),
    (
        "clock.flash_recorded",
        "Đã ghi nhận việc gửi báo cáo.",
        "The sending was recorded.",
    ),
    (
        "clock.err.days",
        "Số ngày phải từ 1 đến 60.",
        "Days must be between 1 and 60.",
    ),
    (
        "clock.err.reminder_hours",
        "Giờ nhắc phải từ 1 đến 720, tối đa 5 mốc.",
        "Reminder hours are 1 to 720, at most 5 of them.",
    ),
    (
        "clock.err.holidays",
        "Ngày nghỉ lễ phải có dạng YYYY-MM-DD.",
        "Holidays are dates written YYYY-MM-DD.",
    ),
    (
        "clock.err.month_day",
        "Ngày tháng không hợp lệ.",
        "Not a valid day of the year.",
    ),
    (
        "clock.err.day_count",
        "Cách tính ngày phải là calendar hoặc working.",
        "Day count is calendar or working.",
    ),
    (
        "clock.err.kind",
        "Loại báo cáo không hợp lệ.",
        "Unknown report kind.",
    ),
    (
        "clock.err.channel",
        "Hình thức gửi không hợp lệ.",
        "Unknown channel.",
    ),
    (
        "clock.err.not_started",
        "Chưa kết thúc ứng phó: chưa có hạn báo cáo kết thúc.",
        "The response has not ended: the final report is not due yet.",
    ),
    (
        "clock.err.cannot_record",
        "Chỉ cán bộ phụ trách ATTT của đơn vị có sự cố hoặc cơ quan điều phối mới ghi nhận được việc gửi báo cáo.",
        "Only the security officer of the incident's organisation, or the coordinator, may record a sending.",
    ),
    (
        "document.err.form",
        "Loại văn bản không hợp lệ (mau03, mau04 hoặc mau05).",
        "Unknown form (mau03, mau04 or mau05).",
    ),
    (
        "document.err.cannot_write",
        "Chỉ cán bộ phụ trách ATTT của đơn vị có sự cố hoặc cơ quan điều phối mới soạn, sửa, ban hành hoặc gửi được văn bản này.",
        "Only the security officer of the incident's organisation, or the coordinator, may draft, edit, issue or send this document.",
    ),
    (
        "document.err.needs_coordinator",
        "Chỉ cơ quan điều phối của tỉnh mới lập được báo cáo tổng hợp (Mẫu 05).",
        "Only the province's coordinator may draw up the summary report (Mẫu 05).",
    ),
    (
        "document.err.period_kind",
        "Loại kỳ báo cáo không hợp lệ (six_months hoặc annual).",
        "Unknown period kind (six_months or annual).",
    ),
    (
        "document.err.month",
        "Tháng phải có dạng NNNN-TT, ví dụ 2026-01.",
        "A month is written YYYY-MM, e.g. 2026-01.",
    ),
    (
        "document.err.period_order",
        "Kỳ báo cáo không hợp lệ: tháng bắt đầu phải trước hoặc trùng tháng kết thúc.",
        "The period is invalid: the first month must not be after the last.",
    ),
    (
        "document.err.overlap",
        "Kỳ báo cáo trùng với một báo cáo tổng hợp (Mẫu 05) đã ban hành.",
        "The period overlaps a summary report (Mẫu 05) already issued.",
    ),
    (
        "document.err.issued",
        "Văn bản đã ban hành thì không sửa được; hãy tạo phiên bản mới.",
        "An issued document cannot be changed; make a new version.",
    ),
    (
        "document.err.not_issued",
        "Văn bản chưa ban hành: hãy ban hành trước.",
        "The document is a draft: issue it first.",
    ),
    (
        "document.err.data",
        "Nội dung văn bản không đúng cấu trúc của mẫu.",
        "The document's data does not match its form.",
    ),
    (
        "document.err.mandatory",
        "Trường bắt buộc (*) còn trống hoặc không hợp lệ.",
        "A mandatory (*) field is empty or invalid.",
    ),
    (
        "document.err.format",
        "Định dạng tải về phải là pdf hoặc docx.",
        "The download format is pdf or docx.",
    ),
    (
        "incident.err.needs_final_report",
        "Chưa đóng được sự cố: báo cáo kết thúc ứng phó sự cố (Mẫu 04) chưa được ban hành.",
        "The incident cannot be closed: its final report (Mẫu 04) has not been issued.",
    ),
    (
        "document.err.party",
        "Người nhận không hợp lệ (owner, coordinator hoặc national).",
        "Unknown recipient (owner, coordinator or national).",
    ),
    (
        "document.err.no_address_owner",
        "Chưa gửi được: cơ quan chủ quản hệ thống chưa có địa chỉ thư điện tử trong hồ sơ tổ chức.",
        "Not sent: the system owner has no e-mail address in its organisation profile.",
    ),
    (
        "document.err.no_address_coordinator",
        "Chưa gửi được: cơ quan điều phối của tỉnh chưa có địa chỉ thư điện tử trong hồ sơ tổ chức.",
        "Not sent: the province's coordinator has no e-mail address in its organisation profile.",
    ),
    (
        "document.err.no_address_national",
        "Chưa gửi được: chưa cấu hình địa chỉ thư điện tử của cơ quan điều phối quốc gia.",
        "Not sent: the national coordinator's e-mail address is not configured.",
    ),
    ("nav.documents", "Văn bản báo cáo", "Reports"),
    (
        "document.form.mau03",
        "Mẫu 03 — Báo cáo ban đầu sự cố",
        "Mẫu 03 — Initial incident report",
    ),
    (
        "document.form.mau04",
        "Mẫu 04 — Báo cáo kết thúc ứng phó sự cố",
        "Mẫu 04 — Final incident report",
    ),
    (
        "document.form.mau05",
        "Mẫu 05 — Báo cáo tổng hợp 06 tháng / 01 năm",
        "Mẫu 05 — Six-month / annual summary",
    ),
    ("document.status.draft", "Dự thảo", "Draft"),
    ("document.status.issued", "Đã ban hành", "Issued"),
    ("document.section", "Báo cáo / Reports", "Reports / Báo cáo"),
    (
        "document.section_help",
        "Văn bản được lập từ dữ liệu sự cố; dự thảo sửa được, văn bản đã ban hành thì cố định và được cấp số.",
        "Documents are drawn up from the incident's data; a draft can be edited, an issued document is numbered and frozen.",
    ),
    ("document.none", "Chưa có văn bản nào.", "No documents yet."),
    ("document.form", "Mẫu", "Form"),
    ("document.number", "Số, ký hiệu", "Number"),
    ("document.version", "Phiên bản", "Version"),
    ("document.status", "Trạng thái", "Status"),
    ("document.updated", "Cập nhật", "Updated"),
    (
        "document.draft_mau03",
        "Lập dự thảo Mẫu 03",
        "Draft a Mẫu 03",
    ),
    (
        "document.draft_mau04",
        "Lập dự thảo Mẫu 04",
        "Draft a Mẫu 04",
    ),
    (
        "document.draft_mau05",
        "Lập báo cáo tổng hợp (Mẫu 05)",
        "Draw up a summary (Mẫu 05)",
    ),
    ("document.list_title", "Văn bản báo cáo", "Reports"),
    (
        "document.issuing_org",
        "Cơ quan ban hành",
        "Issuing organisation",
    ),
    ("document.period_kind", "Loại báo cáo", "Kind of report"),
    ("document.period.six_months", "06 tháng", "Six months"),
    ("document.period.annual", "01 năm", "Annual"),
    ("document.period_from", "Từ tháng", "From month"),
    ("document.period_to", "Đến tháng", "To month"),
    ("document.create", "Lập dự thảo", "Create the draft"),
    (
        "document.back_to_incident",
        "Về trang sự cố",
        "Back to the incident",
    ),
    ("document.download_pdf", "Tải PDF", "Download the PDF"),
    ("document.preview_pdf", "Xem trước PDF", "Preview the PDF"),
    ("document.download_docx", "Tải DOCX", "Download the DOCX"),
    (
        "document.preview_docx",
        "Xem trước DOCX",
        "Preview the DOCX",
    ),
    (
        "document.send",
        "Gửi qua thư điện tử tới các nơi nhận theo quy định",
        "E-mail to the recipients the law names",
    ),
    (
        "document.new_version",
        "Tạo phiên bản mới",
        "Make a new version",
    ),
    ("document.issue", "Ban hành", "Issue"),
    ("document.data", "Nội dung văn bản", "The document's fields"),
    (
        "document.data_help",
        "Các trường của mẫu, dạng JSON; số, ký hiệu và ngày được ghi khi ban hành.",
        "The form's fields as JSON; the number and date are written when it is issued.",
    ),
    ("document.save", "Lưu dự thảo", "Save the draft"),
    ("document.created", "Đã lập dự thảo.", "Draft created."),
    ("document.saved", "Đã lưu dự thảo.", "Draft saved."),
    (
        "document.issued",
        "Đã ban hành văn bản.",
        "Document issued.",
    ),
    (
        "document.sent",
        "Đã đưa thư vào hàng đợi gửi.",
        "The e-mails are queued.",
    ),
    (
        "document.err.no_request",
        "Không có yêu cầu gửi nào đang chờ phê duyệt.",
        "No sending is waiting for approval.",
    ),
    (
        "document.err.same_person",
        "Người đề nghị gửi không được tự phê duyệt; cần một người khác phê duyệt.",
        "The person who asked to send cannot approve it; someone else must.",
    ),
    (
        "document.awaiting_approval",
        "Việc gửi tới cơ quan điều phối quốc gia đang chờ một người khác phê duyệt.",
        "Sending to the national coordinator waits for someone else's approval.",
    ),
    (
        "document.approve_send",
        "Phê duyệt và gửi",
        "Approve and send",
    ),
];

static INDEX: LazyLock<HashMap<&'static str, (&'static str, &'static str)>> = LazyLock::new(|| {
    MESSAGES
        .iter()
        .map(|(k, vi, en)| (*k, (*vi, *en)))
        .collect()
});

/// The text of `key` in `lang`; an unknown key shows itself (and a test catches it).
pub fn t(lang: Lang, key: &str) -> &'static str {
    match INDEX.get(key) {
        Some((vi, en)) => match lang {
            Lang::Vi => vi,
            Lang::En => en,
        },
        None => {
            tracing::warn!(key, "missing translation");
            // Leaked only for unknown keys, which tests keep from reaching production.
            INDEX.get("err.invalid").map(|m| m.0).unwrap_or("?")
        }
    }
}

/// True when `key` exists.
pub fn has(key: &str) -> bool {
    INDEX.contains_key(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_both_languages_are_filled() {
        let mut seen = std::collections::HashSet::new();
        for (k, vi, en) in MESSAGES {
            assert!(seen.insert(k), "duplicate key {k}");
            assert!(
                !vi.trim().is_empty() && !en.trim().is_empty(),
                "{k} is empty"
            );
        }
    }

    #[test]
    fn every_key_used_in_templates_and_code_exists() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/");
        let mut missing = Vec::new();
        for dir in ["templates", "src", "src/pages", "src/api"] {
            for entry in std::fs::read_dir(format!("{root}{dir}")).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                for part in text.split("t(\"").skip(1) {
                    let key = part.split('"').next().unwrap();
                    if key.contains('.') && !key.contains(' ') && !has(key) {
                        missing.push(format!("{}: {key}", path.display()));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "missing translations: {missing:#?}");
    }
}
