//! DOCX through docx-rs, Times New Roman 13 pt (titles 14 pt): the same layout as the PDF — a
//! two-column header table (owning body, organisation and number | Quốc hiệu, Tiêu ngữ, place
//! and date), the centred title, the body, and a two-column table with "Nơi nhận" and the
//! signature. Text goes in as runs, which docx-rs escapes as XML.

use std::io::Cursor;

use docx_rs::{
    AlignmentType, Docx, LineSpacing, PageMargin, Paragraph, Run, RunFonts, Table, TableCell,
    TableRow, WidthType,
};

use crate::Error;
use crate::model::{AffectedSystem, DocumentHeader, Mau03, Mau04, Mau05};
use crate::view::{self, HeaderView, MAU05_COLUMNS, Mau03View, Mau04View, Mau05View};

const FONT: &str = "Times New Roman";
/// Half-points.
const BODY: usize = 26;
const TITLE: usize = 28;
const SMALL: usize = 24;
/// Text width of A4 with 30 mm and 15 mm side margins, in twips.
const TEXT_WIDTH: usize = 9070;

/// Mẫu 03 as DOCX.
pub fn mau03(f: &Mau03) -> Result<Vec<u8>, Error> {
    let v = Mau03View::new(f);
    let mut d = Doc::new(&f.header, "BÁO CÁO BAN ĐẦU SỰ CỐ MẠNG");
    d.section("THÔNG TIN VỀ TỔ CHỨC/CÁ NHÂN BÁO CÁO SỰ CỐ");
    d.field("Tên tổ chức/cá nhân báo cáo sự cố (*):", &f.reporter.name);
    d.field("Địa chỉ (*):", &f.reporter.address);
    d.field("Điện thoại (*):", &f.reporter.phone);
    d.field("Email (*):", &f.reporter.email);
    d.section("NGƯỜI LIÊN HỆ");
    d.field("Họ và tên (*):", &f.contact.full_name);
    d.field("Chức vụ:", &f.contact.position);
    d.field("Điện thoại (*):", &f.contact.phone);
    d.field("Email (*):", &f.contact.email);
    d.section("THÔNG TIN CHI TIẾT VỀ HỆ THỐNG BỊ SỰ CỐ");
    d.system_table(&f.system, true);
    d.framed(
        "Mô tả sơ bộ về sự cố (*)",
        Some(
            "Tóm tắt ngắn gọn về sự cố, đánh giá sơ bộ cuộc tấn công đã xảy ra chưa, nguy cơ phá hoại hoặc gián đoạn dịch vụ, mức độ nhạy cảm của thông tin liên quan và những đối tượng bị ảnh hưởng.",
        ),
        &f.description,
    );
    d.detected_table(&v.detected_date, &v.detected_time);
    d.section("HIỆN TRẠNG SỰ CỐ (*)");
    let status = f.status;
    d.options(&[
        (
            status == Some(crate::model::IncidentStatus::Handled),
            "Đã được xử lý",
        ),
        (
            status == Some(crate::model::IncidentStatus::NotHandled),
            "Chưa được xử lý",
        ),
    ]);
    d.section("CÁCH THỨC PHÁT HIỆN (*)");
    d.options(&[
        (f.detection.ids, "Qua hệ thống phát hiện xâm nhập"),
        (
            f.detection.log_review,
            "Kiểm tra dữ liệu lưu lại (Log File)",
        ),
    ]);
    d.option_with_text(
        !f.detection.notified_by.trim().is_empty(),
        "Nhận được thông báo từ:",
        &f.detection.notified_by,
    );
    d.option_with_text(
        !f.detection.other.trim().is_empty(),
        "Khác, đó là",
        &f.detection.other,
    );
    d.section("ĐÃ GỬI THÔNG BÁO SỰ CỐ CHO (*)");
    d.options(&[(
        f.notified.network_member,
        "Thành viên mạng lưới chịu trách nhiệm ứng cứu sự cố cho tổ chức, cá nhân",
    )]);
    d.options(&[(f.notified.isp, "ISP đang trực tiếp cung cấp dịch vụ")]);
    d.options(&[(f.notified.coordinator, "Cơ quan điều phối")]);
    d.section("THÔNG TIN BỔ SUNG VỀ HỆ THỐNG XẢY RA SỰ CỐ");
    d.field("Hệ điều hành:", &f.operating_system);
    d.field("Version:", &f.os_version);
    d.plain("▪ Các dịch vụ có trên hệ thống:");
    d.options(&[
        (f.services.web_server, "Web server"),
        (f.services.mail_server, "Mail server"),
        (f.services.database_server, "Database server"),
    ]);
    d.option_with_text(
        !f.services.other.trim().is_empty(),
        "Dịch vụ khác, đó là",
        &f.services.other,
    );
    d.plain("▪ Các biện pháp an toàn thông tin đã triển khai:");
    d.options(&[
        (f.measures.antivirus, "Antivirus"),
        (f.measures.firewall, "Firewall"),
        (f.measures.ids, "Hệ thống phát hiện xâm nhập"),
    ]);
    d.option_with_text(
        !f.measures.other.trim().is_empty(),
        "Khác:",
        &f.measures.other,
    );
    d.field("Các địa chỉ IP của hệ thống:", &f.ip_addresses.join(", "));
    d.field("Các tên miền của hệ thống:", &f.domains.join(", "));
    d.field("Mục đích chính sử dụng hệ thống:", &f.purpose);
    d.plain("▪ Thông tin gửi kèm:");
    d.options(&[
        (f.enclosed.system_logs, "Nhật ký hệ thống"),
        (f.enclosed.malware_sample, "Mẫu virus / mã độc"),
    ]);
    d.option_with_text(
        !f.enclosed.other.trim().is_empty(),
        "Khác:",
        &f.enclosed.other,
    );
    d.plain("▪ Các thông tin cung cấp trong thông báo sự cố này đều phải được giữ bí mật:");
    d.options(&[
        (f.confidential == Some(true), "Có"),
        (f.confidential == Some(false), "Không"),
    ]);
    d.section("KIẾN NGHỊ, ĐỀ XUẤT HỖ TRỢ");
    d.framed(
        "Mô tả về đề xuất, kiến nghị",
        Some("Tóm lược về các kiến nghị và đề xuất hỗ trợ ứng cứu (nếu có)."),
        &f.proposals,
    );
    d.push(para(vec![
        run("THỜI GIAN THỰC HIỆN BÁO CÁO SỰ CỐ (*): ").bold(),
        run(&v.reported_at),
        run(" (ngày/tháng/năm/giờ/phút)"),
    ]));
    d.finish(&f.header)
}

/// Mẫu 04 as DOCX.
pub fn mau04(f: &Mau04) -> Result<Vec<u8>, Error> {
    let v = Mau04View::new(f);
    let mut d = Doc::new(&f.header, "BÁO CÁO KẾT THÚC ỨNG PHÓ SỰ CỐ");
    d.section("THÔNG TIN VỀ TỔ CHỨC/CÁ NHÂN BÁO CÁO");
    d.field("Tên tổ chức/cá nhân báo cáo sự cố (*):", &f.reporter.name);
    d.field("Địa chỉ (*):", &f.reporter.address);
    d.field("Điện thoại (*):", &f.reporter.phone);
    d.field("Email (*):", &f.reporter.email);
    let mut runs = vec![
        run("KÝ HIỆU BÁO CÁO BAN ĐẦU SỰ CỐ: ").bold(),
        run("Số ký hiệu "),
    ];
    runs.extend(text_runs(&or_blank(&f.initial_report_number), BODY));
    runs.push(run("     Ngày báo cáo: "));
    runs.push(run(&v.initial_report_date));
    d.push(para(runs));
    d.section("THÔNG TIN CHI TIẾT VỀ HỆ THỐNG BỊ SỰ CỐ");
    d.system_table(&f.system, false);
    d.framed("Tên/Mô tả về sự cố", None, &f.description);
    d.detected_table(&v.detected_date, &v.detected_time);
    d.framed(
        "Kết quả xử lý sự cố",
        Some(
            "Tóm tắt tổng quát về những gì đã xảy ra và cách thức giải quyết, đề xuất giải pháp nhằm xử lý nhanh sự cố, giảm nhẹ rủi ro và thiệt hại đối với sự cố tương tự trong tương lai.",
        ),
        &f.result,
    );
    let attachments = f
        .attachments
        .iter()
        .map(|a| format!("- {a}"))
        .collect::<Vec<_>>()
        .join("\n");
    d.framed(
        "Các tài liệu đính kèm",
        Some("Các tài liệu liên quan (báo cáo diễn biến sự cố, phương án xử lý, log file…)."),
        &attachments,
    );
    d.finish(&f.header)
}

/// Mẫu 05 as DOCX (the table; the chart is only drawn in the PDF).
pub fn mau05(f: &Mau05) -> Result<Vec<u8>, Error> {
    let v = Mau05View::new(f);
    let mut d = Doc::start(&f.header);
    let mut kg = vec![run("Kính gửi: ")];
    kg.extend(text_runs(&f.addressee, BODY));
    d.push(para(kg).align(AlignmentType::Center));
    d.title(&v.title, &f.header);
    d.plain(&format!("☒ {}", v.period));
    d.field("Tên cơ quan/tổ chức:", &f.organisation_name);
    d.field("Địa chỉ:", &f.address);
    d.field("Mã thành viên mạng lưới:", &f.member_code);
    d.section("1. Số lượng sự cố và cách thức xử lý");
    let widths = [400, 2670, 800, 800, 1100, 1100, 1100, 1100];
    let cell = |text: &str, bold: bool, w: usize| {
        let mut r = run(text).size(22);
        if bold {
            r = r.bold();
        }
        TableCell::new()
            .width(w, WidthType::Dxa)
            .add_paragraph(Paragraph::new().add_run(r))
    };
    let mut rows = vec![TableRow::new(
        MAU05_COLUMNS
            .iter()
            .zip(widths)
            .map(|(c, w)| cell(c, true, w))
            .collect(),
    )];
    let line = |n: String, r: &view::RowView, bold: bool| {
        let texts = [
            n,
            r.label.to_string(),
            r.count.to_string(),
            r.self_handled.to_string(),
            r.domestic_help.to_string(),
            r.foreign_help.to_string(),
            r.coordinator_help.to_string(),
            r.damage.clone(),
        ];
        TableRow::new(
            texts
                .iter()
                .zip(widths)
                .map(|(t, w)| cell(t, bold, w))
                .collect(),
        )
    };
    for (i, r) in v.rows.iter().enumerate() {
        rows.push(line((i + 1).to_string(), r, false));
    }
    rows.push(line(String::new(), &v.totals, true));
    d.push_table(Table::new(rows).set_grid(widths.to_vec()));
    d.section("2. Danh sách tổ chức trong nước đã hỗ trợ xử lý sự cố");
    d.list(&f.domestic_helpers);
    d.section("3. Danh sách tổ chức nước ngoài đã hỗ trợ xử lý sự cố");
    d.list(&f.foreign_helpers);
    d.section("4. Đề xuất, kiến nghị");
    d.push(para(text_runs(&or_blank(&f.proposals), BODY)));
    d.finish(&f.header)
}

fn run(text: &str) -> Run {
    Run::new().add_text(text).size(BODY)
}

/// A string as runs, its line breaks kept.
fn text_runs(text: &str, size: usize) -> Vec<Run> {
    let mut runs = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        let mut r = Run::new().size(size);
        if i > 0 {
            r = r.add_break(docx_rs::BreakType::TextWrapping);
        }
        runs.push(r.add_text(line));
    }
    runs
}

fn para(runs: Vec<Run>) -> Paragraph {
    runs.into_iter()
        .fold(Paragraph::new(), |p, r| p.add_run(r))
        .line_spacing(LineSpacing::new().before(60).after(60))
}

fn or_blank(s: &str) -> String {
    if s.trim().is_empty() {
        "……………".to_string()
    } else {
        s.to_string()
    }
}

fn checkbox(on: bool) -> &'static str {
    if on { "☒" } else { "☐" }
}

fn cell(paragraphs: Vec<Paragraph>, width: usize) -> TableCell {
    paragraphs.into_iter().fold(
        TableCell::new().width(width, WidthType::Dxa),
        TableCell::add_paragraph,
    )
}

/// A document under construction: the body between header and footer.
struct Doc {
    docx: Docx,
}

impl Doc {
    fn start(h: &DocumentHeader) -> Self {
        let docx = Docx::new()
            .page_size(11906, 16838)
            .page_margin(
                PageMargin::new()
                    .top(1134)
                    .bottom(1134)
                    .left(1701)
                    .right(850),
            )
            .default_fonts(
                RunFonts::new()
                    .ascii(FONT)
                    .hi_ansi(FONT)
                    .cs(FONT)
                    .east_asia(FONT),
            )
            .default_size(BODY);
        let mut d = Self { docx };
        d.header(h);
        d
    }

    fn new(h: &DocumentHeader, form_title: &str) -> Self {
        let mut d = Self::start(h);
        d.title(form_title, h);
        d
    }

    fn push(&mut self, p: Paragraph) {
        let docx = std::mem::take(&mut self.docx);
        self.docx = docx.add_paragraph(p);
    }

    fn push_table(&mut self, t: Table) {
        let docx = std::mem::take(&mut self.docx);
        self.docx = docx.add_table(t);
    }

    fn header(&mut self, h: &DocumentHeader) {
        let hv = HeaderView::new(h);
        let centred = |runs: Vec<Run>| para(runs).align(AlignmentType::Center);
        let left = vec![
            centred(text_runs(hv.owning_body, SMALL)),
            centred(
                text_runs(hv.issuing_org, SMALL)
                    .into_iter()
                    .map(|r| r.bold().underline("single"))
                    .collect(),
            ),
            centred({
                let mut r = vec![run("Số: ")];
                r.extend(text_runs(&or_blank(hv.number), BODY));
                r
            }),
        ];
        let right = vec![
            centred(vec![
                run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").size(SMALL).bold(),
            ]),
            centred(vec![
                run("Độc lập - Tự do - Hạnh phúc")
                    .bold()
                    .underline("single"),
            ]),
            centred(vec![run(&hv.place_date).italic()]),
        ];
        let table = Table::without_borders(vec![TableRow::new(vec![
            cell(left, 3700),
            cell(right, TEXT_WIDTH - 3700),
        ])])
        .set_grid(vec![3700, TEXT_WIDTH - 3700]);
        self.push_table(table);
    }

    fn title(&mut self, form_title: &str, h: &DocumentHeader) {
        self.push(
            para(vec![run(form_title).size(TITLE).bold()])
                .align(AlignmentType::Center)
                .line_spacing(LineSpacing::new().before(360).after(60)),
        );
        if !h.title.trim().is_empty() {
            self.push(
                para(
                    text_runs(&h.title, BODY)
                        .into_iter()
                        .map(Run::bold)
                        .collect(),
                )
                .align(AlignmentType::Center),
            );
        }
    }

    fn section(&mut self, title: &str) {
        self.push(
            para(vec![run(title).bold()]).line_spacing(LineSpacing::new().before(200).after(80)),
        );
    }

    fn plain(&mut self, text: &str) {
        self.push(para(vec![run(text)]));
    }

    fn field(&mut self, label: &str, value: &str) {
        let mut runs = vec![run(&format!("▪ {label} "))];
        runs.extend(text_runs(&or_blank(value), BODY));
        self.push(para(runs));
    }

    fn options(&mut self, items: &[(bool, &str)]) {
        let text = items
            .iter()
            .map(|(on, label)| format!("{} {label}", checkbox(*on)))
            .collect::<Vec<_>>()
            .join("      ");
        self.plain(&text);
    }

    fn option_with_text(&mut self, on: bool, label: &str, value: &str) {
        let mut runs = vec![run(&format!("{} {label} ", checkbox(on)))];
        runs.extend(text_runs(value, BODY));
        self.push(para(runs));
    }

    fn list(&mut self, items: &[String]) {
        if items.is_empty() {
            self.plain("Không có.");
        }
        for item in items {
            let mut runs = vec![run("- ")];
            runs.extend(text_runs(item, BODY));
            self.push(para(runs));
        }
    }

    fn framed(&mut self, caption: &str, hint: Option<&str>, body: &str) {
        let mut ps = vec![para(vec![run(caption).bold()])];
        if let Some(hint) = hint {
            ps.push(para(vec![run(hint).italic().size(22)]));
        }
        ps.push(para(text_runs(&or_blank(body), BODY)));
        self.push_table(
            Table::new(vec![TableRow::new(vec![cell(ps, TEXT_WIDTH)])]).set_grid(vec![TEXT_WIDTH]),
        );
    }

    fn system_table(&mut self, s: &AffectedSystem, with_providers: bool) {
        let level = (1..=5)
            .map(|l| format!("{} Cấp độ {l}", checkbox(s.security_level == Some(l))))
            .collect::<Vec<_>>()
            .join("   ");
        let mut rows: Vec<(&str, String)> = vec![
            (
                "Tên đơn vị vận hành hệ thống thông tin (*):",
                or_blank(&s.operator),
            ),
            ("Cơ quan chủ quản:", or_blank(&s.owner)),
            ("Tên hệ thống bị sự cố", or_blank(&s.system_name)),
            ("Phân loại cấp độ của hệ thống thông tin (nếu có)", level),
        ];
        if with_providers {
            rows.push((
                "Tổ chức cung cấp dịch vụ an toàn thông tin (nếu có):",
                or_blank(&s.security_provider),
            ));
            rows.push((
                "Tên nhà cung cấp dịch vụ kết nối bên ngoài (nếu có)",
                or_blank(&s.connectivity_provider),
            ));
        }
        let w = [3450, TEXT_WIDTH - 3450];
        let rows = rows
            .into_iter()
            .map(|(label, value)| {
                TableRow::new(vec![
                    cell(vec![para(vec![run(label)])], w[0]),
                    cell(vec![para(text_runs(&value, BODY))], w[1]),
                ])
            })
            .collect();
        self.push_table(Table::new(rows).set_grid(w.to_vec()));
    }

    fn detected_table(&mut self, date: &str, time: &str) {
        let q = TEXT_WIDTH / 4;
        let row = TableRow::new(vec![
            cell(
                vec![para(vec![run("Ngày phát hiện sự cố (*) (dd/mm/yy)")])],
                q,
            ),
            cell(vec![para(vec![run(date)])], q),
            cell(vec![para(vec![run("Thời gian phát hiện (*):")])], q),
            cell(vec![para(vec![run(time)])], q),
        ]);
        self.push_table(Table::new(vec![row]).set_grid(vec![q; 4]));
    }

    fn finish(mut self, h: &DocumentHeader) -> Result<Vec<u8>, Error> {
        let hv = HeaderView::new(h);
        let mut left = vec![para(vec![run("Nơi nhận:").bold().italic().size(SMALL)])];
        for r in hv.recipients {
            let mut runs = vec![Run::new().size(22).add_text("- ")];
            runs.extend(text_runs(r, 22));
            left.push(para(runs));
        }
        let signer_title = if hv.signer_title.trim().is_empty() {
            "CÁ NHÂN/NGƯỜI ĐẠI DIỆN THEO PHÁP LUẬT"
        } else {
            hv.signer_title
        };
        let mut right = vec![
            para(
                text_runs(signer_title, BODY)
                    .into_iter()
                    .map(Run::bold)
                    .collect(),
            )
            .align(AlignmentType::Center),
        ];
        right.push(para(vec![run("(Ký tên, đóng dấu)").italic()]).align(AlignmentType::Center));
        right.push(
            para(
                text_runs(hv.signer_name, BODY)
                    .into_iter()
                    .map(Run::bold)
                    .collect(),
            )
            .align(AlignmentType::Center)
            .line_spacing(LineSpacing::new().before(1400)),
        );
        let half = TEXT_WIDTH / 2;
        self.push(para(vec![]));
        self.push_table(
            Table::without_borders(vec![TableRow::new(vec![
                cell(left, half),
                cell(right, half),
            ])])
            .set_grid(vec![half, half]),
        );
        let mut out = Cursor::new(Vec::new());
        self.docx
            .build()
            .pack(&mut out)
            .map_err(|e| Error::Docx(e.to_string()))?;
        Ok(out.into_inner())
    }
}
