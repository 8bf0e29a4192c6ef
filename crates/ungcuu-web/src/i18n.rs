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
    ("err.invalid", "Giá trị không hợp lệ.", "Invalid value."),
    (
        "err.uuid",
        "Mã định danh không hợp lệ.",
        "Not a valid identifier.",
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
