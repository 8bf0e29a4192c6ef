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
use crate::labels;
use crate::model::{AffectedSystem, DocumentHeader, Mau03, Mau04, Mau05, Reporter};
use crate::view::{self, Form, HeaderView, Mau03View, Mau04View, Mau05View};

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
    let mut d = Doc::new(&f.header, Form::Mau03, labels::MAU03_TITLE);
    d.section(labels::MAU03_REPORTER);
    d.reporter(&f.reporter);
    d.section(labels::CONTACT);
    d.pair(
        (labels::CONTACT_NAME, &f.contact.full_name),
        (labels::CONTACT_POSITION, &f.contact.position),
    );
    d.pair(
        (labels::PHONE, &f.contact.phone),
        (labels::EMAIL, &f.contact.email),
    );
    d.section(labels::SYSTEM);
    d.system_table(&f.system, true);
    d.framed(
        labels::DESCRIPTION,
        Some(labels::DESCRIPTION_HINT),
        &f.description,
    );
    d.detected_table(&v.detected_date, &v.detected_time);
    d.section(labels::STATUS);
    let status = f.status;
    d.options(&[
        (
            status == Some(crate::model::IncidentStatus::Handled),
            labels::STATUS_HANDLED,
        ),
        (
            status == Some(crate::model::IncidentStatus::NotHandled),
            labels::STATUS_NOT_HANDLED,
        ),
    ]);
    d.section(labels::DETECTION);
    d.options(&[
        (f.detection.ids, labels::DETECTION_IDS),
        (f.detection.log_review, labels::DETECTION_LOG_REVIEW),
    ]);
    d.option_with_text(
        !f.detection.notified_by.trim().is_empty(),
        labels::DETECTION_NOTIFIED_BY,
        &f.detection.notified_by,
    );
    d.option_with_text(
        !f.detection.other.trim().is_empty(),
        labels::DETECTION_OTHER,
        &f.detection.other,
    );
    d.section(labels::NOTIFIED);
    d.options(&[(f.notified.network_member, labels::NOTIFIED_NETWORK_MEMBER)]);
    d.options(&[(f.notified.isp, labels::NOTIFIED_ISP)]);
    d.options(&[(f.notified.coordinator, labels::NOTIFIED_COORDINATOR)]);
    d.section(labels::ADDITIONAL);
    d.pair(
        (labels::OPERATING_SYSTEM, &f.operating_system),
        (labels::OS_VERSION, &f.os_version),
    );
    d.plain(&format!("▪ {}", labels::SERVICES));
    d.options(&[
        (f.services.web_server, labels::WEB_SERVER),
        (f.services.mail_server, labels::MAIL_SERVER),
        (f.services.database_server, labels::DATABASE_SERVER),
    ]);
    d.option_with_text(
        !f.services.other.trim().is_empty(),
        labels::SERVICES_OTHER,
        &f.services.other,
    );
    d.plain(&format!("▪ {}", labels::MEASURES));
    d.options(&[
        (f.measures.antivirus, labels::ANTIVIRUS),
        (f.measures.firewall, labels::FIREWALL),
        (f.measures.ids, labels::MEASURES_IDS),
    ]);
    d.option_with_text(
        !f.measures.other.trim().is_empty(),
        labels::OTHER,
        &f.measures.other,
    );
    d.field_below(labels::IP_ADDRESSES, &f.ip_addresses.join(", "));
    d.field_below(labels::DOMAINS, &f.domains.join(", "));
    d.field_below(labels::PURPOSE, &f.purpose);
    d.plain(&format!("▪ {}", labels::ENCLOSED));
    d.options(&[
        (f.enclosed.system_logs, labels::SYSTEM_LOGS),
        (f.enclosed.malware_sample, labels::MALWARE_SAMPLE),
    ]);
    d.option_with_text(
        !f.enclosed.other.trim().is_empty(),
        labels::OTHER,
        &f.enclosed.other,
    );
    d.plain(&format!("▪ {}", labels::CONFIDENTIAL));
    d.options(&[
        (f.confidential == Some(true), labels::YES),
        (f.confidential == Some(false), labels::NO),
    ]);
    d.section(labels::PROPOSALS);
    d.framed(
        labels::PROPOSALS_CAPTION,
        Some(labels::PROPOSALS_HINT),
        &f.proposals,
    );
    d.push(para(vec![
        run(&format!("{} ", labels::REPORTED_AT)).bold(),
        run(&v.reported_at),
        run(&format!(" {}", labels::REPORTED_AT_FORMAT)),
    ]));
    d.finish(&f.header, Form::Mau03, &v.notes)
}

/// Mẫu 04 as DOCX.
pub fn mau04(f: &Mau04) -> Result<Vec<u8>, Error> {
    let v = Mau04View::new(f);
    let mut d = Doc::new(&f.header, Form::Mau04, labels::MAU04_TITLE);
    d.section(labels::MAU04_REPORTER);
    d.reporter(&f.reporter);
    let mut runs = vec![
        run(&format!("{} ", labels::INITIAL_REPORT)).bold(),
        run(&format!("{} ", labels::INITIAL_REPORT_NUMBER)),
    ];
    runs.extend(text_runs(&or_blank(&f.initial_report_number), BODY));
    runs.push(run(&format!("     {} ", labels::INITIAL_REPORT_DATE)));
    runs.push(run(&v.initial_report_date));
    d.push(para(runs));
    d.section(labels::SYSTEM);
    d.system_table(&f.system, false);
    d.framed(labels::MAU04_DESCRIPTION, None, &f.description);
    d.detected_table(&v.detected_date, &v.detected_time);
    d.framed(labels::RESULT, Some(labels::RESULT_HINT), &f.result);
    let attachments = f
        .attachments
        .iter()
        .map(|a| format!("- {a}"))
        .collect::<Vec<_>>()
        .join("\n");
    d.framed(
        labels::ATTACHMENTS,
        Some(labels::ATTACHMENTS_HINT),
        &attachments,
    );
    d.finish(&f.header, Form::Mau04, &[])
}

/// Mẫu 05 as DOCX (the table; the chart is only drawn in the PDF).
pub fn mau05(f: &Mau05) -> Result<Vec<u8>, Error> {
    let v = Mau05View::new(f);
    let mut d = Doc::start(&f.header, Form::Mau05);
    let mut kg = vec![run(&format!("{} ", labels::ADDRESSEE))];
    kg.extend(text_runs(&f.addressee, BODY));
    d.push(para(kg).align(AlignmentType::Center));
    d.title(&v.title, &f.header);
    d.plain(&format!("☒ {}", v.period));
    for (label, value) in [
        (labels::ORGANISATION_NAME, &f.organisation_name),
        (labels::ADDRESS, &f.address),
        (labels::MEMBER_CODE, &f.member_code),
    ] {
        let mut runs = vec![run(&format!("{label} "))];
        runs.extend(text_runs(&or_blank(value), BODY));
        d.push(para(runs));
    }
    d.section(labels::TABLE);
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
        labels::MAU05_COLUMNS
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
    d.section(labels::DOMESTIC_HELPERS);
    d.list(&f.domestic_helpers);
    d.section(labels::FOREIGN_HELPERS);
    d.list(&f.foreign_helpers);
    d.section(labels::MAU05_PROPOSALS);
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
        self.field(labels::REPORTER_NAME, &r.name);
        self.field(labels::REPORTER_ADDRESS, &r.address);
        self.pair((labels::PHONE, &r.phone), (labels::EMAIL, &r.email));
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
            .map(|l| {
                format!(
                    "{} {}",
                    checkbox(s.security_level == Some(l)),
                    labels::LEVELS[usize::from(l) - 1]
                )
            })
            .collect::<Vec<_>>()
            .join("   ");
        let mut rows: Vec<(&str, String)> = vec![
            (labels::SYSTEM_OPERATOR, or_blank(&s.operator)),
            (labels::SYSTEM_OWNER, or_blank(&s.owner)),
            (labels::SYSTEM_NAME, or_blank(&s.system_name)),
            (
                // Mẫu 04 writes it with a comma, as printed here.
                if with_providers {
                    labels::MAU03_SECURITY_LEVEL
                } else {
                    labels::MAU04_SECURITY_LEVEL
                },
                level,
            ),
        ];
        if with_providers {
            rows.push((labels::SECURITY_PROVIDER, or_blank(&s.security_provider)));
            rows.push((
                labels::CONNECTIVITY_PROVIDER,
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
            cell(vec![para(vec![run(labels::DETECTED_DATE)])], q),
            cell(vec![para(vec![run(date)])], q),
            cell(vec![para(vec![run(labels::DETECTED_TIME)])], q),
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
