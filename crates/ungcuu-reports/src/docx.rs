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
use crate::model::{AffectedSystem, DocumentHeader, Mau03, Mau04, Mau05, Reporter};
use crate::view::{self, Form, HeaderView, MAU05_COLUMNS, Mau03View, Mau04View, Mau05View};

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
    let mut d = Doc::new(&f.header, Form::Mau03, "BÁO CÁO BAN ĐẦU SỰ CỐ MẠNG");
    d.section("THÔNG TIN VỀ TỔ CHỨC/CÁ NHÂN BÁO CÁO SỰ CỐ");
    d.reporter(&f.reporter);
    d.section("NGƯỜI LIÊN HỆ");
    d.pair(
        ("Họ và tên (*)", &f.contact.full_name),
        ("Chức vụ:", &f.contact.position),
    );
    d.pair(
        ("Điện thoại (*)", &f.contact.phone),
        ("Email (*)", &f.contact.email),
    );
    d.section("THÔNG TIN CHI TIẾT VỀ HỆ THỐNG BỊ SỰ CỐ");
    d.system_table(&f.system, true);
    d.framed(
        "Mô tả sơ bộ về sự cố (*)",
        Some(
            "Đề nghị cung cấp một bản tóm tắt ngắn gọn về sự cố, bao gồm đánh giá sơ bộ cuộc tấn công đã xảy ra chưa và bất kỳ các nguy cơ dẫn đến khả năng phá hoại hoặc gián đoạn dịch vụ. Cũng vui lòng xác định mức độ nhạy cảm của thông tin liên quan hoặc những đối tượng bị ảnh hưởng bởi sự cố:",
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
    d.section("CÁCH THỨC PHÁT HIỆN * (Đánh dấu những cách thức được sử dụng để phát hiện sự cố)");
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
    d.section("ĐÃ GỬI THÔNG BÁO SỰ CỐ CHO *");
    d.options(&[(
        f.notified.network_member,
        "Thành viên mạng lưới chịu trách nhiệm ứng cứu sự cố cho tổ chức, cá nhân",
    )]);
    d.options(&[(f.notified.isp, "ISP đang trực tiếp cung cấp dịch vụ")]);
    d.options(&[(f.notified.coordinator, "Cơ quan điều phối")]);
    d.section("THÔNG TIN BỔ SUNG VỀ HỆ THỐNG XẢY RA SỰ CỐ");
    d.pair(
        ("Hệ điều hành", &f.operating_system),
        ("Version", &f.os_version),
    );
    d.plain("▪ Các dịch vụ có trên hệ thống (Đánh dấu những dịch vụ được sử dụng trên hệ thống)");
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
    d.plain(
        "▪ Các biện pháp an toàn thông tin đã triển khai (Đánh dấu những biện pháp đã triển khai)",
    );
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
    d.field_below(
        "Các địa chỉ IP của hệ thống (Liệt kê địa chỉ IP sử dụng trên Internet, không liệt kê địa chỉ IP nội bộ)",
        &f.ip_addresses.join(", "),
    );
    d.field_below("Các tên miền của hệ thống", &f.domains.join(", "));
    d.field_below("Mục đích chính sử dụng hệ thống", &f.purpose);
    d.plain("▪ Thông tin gửi kèm");
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
        Some("Đề nghị cung cấp tóm lược về các kiến nghị và đề xuất hỗ trợ ứng cứu (nếu có)"),
        &f.proposals,
    );
    d.push(para(vec![
        run("THỜI GIAN THỰC HIỆN BÁO CÁO SỰ CỐ *: ").bold(),
        run(&v.reported_at),
        run(" (ngày/tháng/năm/giờ/phút)"),
    ]));
    d.finish(&f.header, Form::Mau03, &v.notes)
}

/// Mẫu 04 as DOCX.
pub fn mau04(f: &Mau04) -> Result<Vec<u8>, Error> {
    let v = Mau04View::new(f);
    let mut d = Doc::new(&f.header, Form::Mau04, "BÁO CÁO KẾT THÚC ỨNG PHÓ SỰ CỐ");
    d.section("THÔNG TIN VỀ TỔ CHỨC/CÁ NHÂN BÁO CÁO");
    d.reporter(&f.reporter);
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
            "Cung cấp, tóm tắt tổng quát về những gì đã xảy ra và cách thức giải quyết, đề xuất giải pháp ứng cứu sự cố nhằm xử lý nhanh sự cố, giảm nhẹ rủi ro và thiệt hại đối với sự cố tương tự trong tương lai...",
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
        Some("Liệt kê các tài liệu liên quan (báo cáo diễn biến sự cố; phương án xử lý, log file…..)"),
        &attachments,
    );
    d.finish(&f.header, Form::Mau04, &[])
}

/// Mẫu 05 as DOCX (the table; the chart is only drawn in the PDF).
pub fn mau05(f: &Mau05) -> Result<Vec<u8>, Error> {
    let v = Mau05View::new(f);
    let mut d = Doc::start(&f.header, Form::Mau05);
    let mut kg = vec![run("Kính gửi: ")];
    kg.extend(text_runs(&f.addressee, BODY));
    d.push(para(kg).align(AlignmentType::Center));
    d.title(&v.title, &f.header);
    d.plain(&format!("☒ {}", v.period));
    for (label, value) in [
        ("Tên cơ quan/tổ chức:", &f.organisation_name),
        ("Địa chỉ:", &f.address),
        ("Mã thành viên mạng lưới:", &f.member_code),
    ] {
        let mut runs = vec![run(&format!("{label} "))];
        runs.extend(text_runs(&or_blank(value), BODY));
        d.push(para(runs));
    }
    d.section("1. Số lượng sự cố và cách thức xử lý");
    let widths = [2100, 850, 850, 1200, 1200, 1170, 1700];
    let cell = |text: &str, bold: bool, w: usize| {
        let mut r = run(text).size(20);
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
    let line = |r: &view::RowView, bold: bool| {
        let texts = [
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
    for r in &v.rows {
        rows.push(line(r, false));
    }
    rows.push(line(&v.totals, true));
    d.push_table(Table::new(rows).set_grid(widths.to_vec()));
    d.section("2. Danh sách các tổ chức hỗ trợ xử lý sự cố");
    d.list(&f.domestic_helpers);
    d.section("3. Danh sách các tổ chức nước ngoài hỗ trợ xử lý sự cố");
    d.list(&f.foreign_helpers);
    d.section("4. Đề xuất kiến nghị:");
    d.push(para(text_runs(&or_blank(&f.proposals), BODY)));
    d.finish(&f.header, Form::Mau05, &[])
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
    form: Form,
}

impl Doc {
    fn start(h: &DocumentHeader, form: Form) -> Self {
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
        let mut d = Self { docx, form };
        d.header(h);
        d
    }

    fn new(h: &DocumentHeader, form: Form, form_title: &str) -> Self {
        let mut d = Self::start(h, form);
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

    /// The annex's box (bordered, top right): "Mẫu số 0x" and the circular.
    fn form_mark(&mut self, hv: &HeaderView) {
        let w = 5600;
        let ps = vec![
            para(vec![run(hv.form_number).bold().size(22)]).align(AlignmentType::Center),
            para(vec![run(hv.issued_with).italic().size(20)]).align(AlignmentType::Center),
        ];
        let table = Table::new(vec![TableRow::new(vec![cell(ps, w)])])
            .set_grid(vec![w])
            .width(w, WidthType::Dxa)
            .align(docx_rs::TableAlignmentType::Right);
        self.push_table(table);
        // Two tables in a row would be merged into one by Word and LibreOffice.
        self.push(Paragraph::new().size(8));
    }

    fn header(&mut self, h: &DocumentHeader) {
        let hv = HeaderView::new(h, self.form);
        self.form_mark(&hv);
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
        let mut right = vec![
            centred(vec![
                run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").size(SMALL).bold(),
            ]),
            centred(vec![
                run("Độc lập - Tự do - Hạnh phúc")
                    .bold()
                    .underline("single"),
            ]),
        ];
        if self.form != Form::Mau05 {
            right.push(centred(vec![run(&hv.place_date).italic()]));
        }
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

    /// Two fields on one line, as the annex prints "Điện thoại (*) ……… Email (*)".
    fn pair(&mut self, (l1, v1): (&str, &str), (l2, v2): (&str, &str)) {
        let mut runs = vec![run(&format!("▪ {l1} "))];
        runs.extend(text_runs(&or_blank(v1), BODY));
        runs.push(run(&format!("      {l2} ")));
        runs.extend(text_runs(&or_blank(v2), BODY));
        self.push(para(runs));
    }

    /// The label on its own line, the value under it.
    fn field_below(&mut self, label: &str, value: &str) {
        self.plain(&format!("▪ {label}"));
        self.push(para(text_runs(&or_blank(value), BODY)));
    }

    /// Mẫu 03 and 04's reporter block.
    fn reporter(&mut self, r: &Reporter) {
        self.field("Tên tổ chức/cá nhân báo cáo sự cố (*)", &r.name);
        self.field("Địa chỉ: (*)", &r.address);
        self.pair(("Điện thoại (*)", &r.phone), ("Email (*)", &r.email));
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
            (
                // Mẫu 04 writes it with a comma, as printed here.
                if with_providers {
                    "Phân loại cấp độ của hệ thống thông tin (nếu có)"
                } else {
                    "Phân loại cấp độ của hệ thống thông tin, (nếu có)"
                },
                level,
            ),
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

    /// "Nơi nhận" and the signature block (the annex's wording, then the signer's capacity and
    /// name; Mẫu 05 prints its place and date line here), then the annex's notes if any.
    fn finish(mut self, h: &DocumentHeader, form: Form, notes: &[&str]) -> Result<Vec<u8>, Error> {
        let hv = HeaderView::new(h, form);
        let mut left = vec![para(vec![run("Nơi nhận:").bold().italic().size(SMALL)])];
        for r in hv.recipients {
            let mut runs = vec![Run::new().size(22).add_text("- ")];
            runs.extend(text_runs(r, 22));
            left.push(para(runs));
        }
        let centred = |runs: Vec<Run>| para(runs).align(AlignmentType::Center);
        let mut right = Vec::new();
        if form == Form::Mau05 {
            right.push(centred(vec![run(&hv.place_date).italic()]));
        }
        right.push(centred(vec![run(hv.signatory).bold()]));
        right.push(centred(vec![run(hv.sign_note).italic()]));
        if !hv.signer_title.trim().is_empty() {
            right.push(centred(
                text_runs(hv.signer_title, BODY)
                    .into_iter()
                    .map(Run::bold)
                    .collect(),
            ));
        }
        right.push(
            centred(
                text_runs(hv.signer_name, BODY)
                    .into_iter()
                    .map(Run::bold)
                    .collect(),
            )
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
        for line in notes {
            self.push(para(vec![run(line).italic().size(22)]));
        }
        let mut out = Cursor::new(Vec::new());
        self.docx
            .build()
            .pack(&mut out)
            .map_err(|e| Error::Docx(e.to_string()))?;
        Ok(out.into_inner())
    }
}
