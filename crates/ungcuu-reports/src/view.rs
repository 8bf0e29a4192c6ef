//! What the templates print besides the raw fields: dates in words, the full Mẫu 05 table with
//! totals. Shared by the PDF and the DOCX so both say exactly the same.

use serde::Serialize;

use crate::labels;

use crate::model::{
    DateTimeVn, DateVn, DocumentHeader, Mau03, Mau04, Mau05, PeriodKind, TypeCounts,
    group_thousands,
};

pub(crate) const BLANK_DATE: &str = "…/…/……";
pub(crate) const BLANK_TIME: &str = "…… giờ …… phút";

pub(crate) fn date(d: Option<DateVn>) -> String {
    d.map_or_else(|| BLANK_DATE.to_string(), |d| d.numeric())
}

pub(crate) fn detected(d: Option<DateTimeVn>) -> (String, String) {
    match d {
        Some(d) => (d.date.numeric(), d.time_words()),
        None => (BLANK_DATE.to_string(), BLANK_TIME.to_string()),
    }
}

pub(crate) fn reported(d: Option<DateTimeVn>) -> String {
    d.map_or_else(|| "…/…/……/…/…".to_string(), |d| d.slashed())
}

/// Which form of the annex (Phụ lục I of TT 20/2017) a document follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    Mau03,
    Mau04,
    Mau05,
}

/// The line under "Mẫu số 0x" in the annex's box, the same for the three forms. The annex prints
/// "TT-BTTT" (and, on Mẫu 04, blanks for the number and date); the circular's symbol is
/// "20/2017/TT-BTTTT" of 12/9/2017, as the annex's own heading writes it.
pub(crate) const ISSUED_WITH: &str = "Ban hành kèm theo Thông tư số 20/2017/TT-BTTTT ngày 12/9/2017 của Bộ Thông tin và Truyền thông";

impl Form {
    /// "Mẫu số 03".
    pub fn number(self) -> &'static str {
        match self {
            Self::Mau03 => "Mẫu số 03",
            Self::Mau04 => "Mẫu số 04",
            Self::Mau05 => "Mẫu số 05",
        }
    }

    /// The signature block's heading, word for word from the annex.
    pub fn signatory(self) -> &'static str {
        match self {
            Self::Mau03 | Self::Mau04 => labels::SIGNATORY,
            Self::Mau05 => "NGƯỜI ĐẠI DIỆN THEO PHÁP LUẬT",
        }
    }

    /// The line under it.
    pub fn sign_note(self) -> &'static str {
        match self {
            Self::Mau03 | Self::Mau04 => labels::SIGN_NOTE,
            Self::Mau05 => "(Đóng dấu hoặc sử dụng chữ ký số)",
        }
    }
}

#[derive(Serialize)]
pub(crate) struct HeaderView<'a> {
    pub form_number: &'static str,
    pub issued_with: &'static str,
    pub signatory: &'static str,
    pub sign_note: &'static str,
    pub owning_body: &'a str,
    pub issuing_org: &'a str,
    pub number: &'a str,
    pub place_date: String,
    pub title: &'a str,
    pub recipients: &'a [String],
    pub signer_title: &'a str,
    pub signer_name: &'a str,
}

impl<'a> HeaderView<'a> {
    pub fn new(h: &'a DocumentHeader, form: Form) -> Self {
        Self {
            form_number: form.number(),
            issued_with: ISSUED_WITH,
            signatory: form.signatory(),
            sign_note: form.sign_note(),
            owning_body: &h.owning_body,
            issuing_org: &h.issuing_org,
            number: &h.number,
            place_date: h.place_and_date(),
            title: &h.title,
            recipients: &h.recipients,
            signer_title: &h.signer_title,
            signer_name: &h.signer_name,
        }
    }
}

/// Mẫu 03's notes under the signature. The annex opens the quote round [TBSC] with two single
/// quotes (‘‘) and writes "www.vncert.gov vn"; both are set right here.
pub(crate) const MAU03_NOTES: [&str; 3] = [
    "Chú thích: 1. Phần (*) là những thông tin bắt buộc. Các phần còn lại có thể loại bỏ nếu không có thông tin.",
    "2. Sử dụng tiêu đề (subject) bắt đầu bằng “[TBSC]” khi gửi thông báo qua email",
    "3. Tham khảo thêm tại website của VNCERT (www.vncert.gov.vn)",
];

#[derive(Serialize)]
pub(crate) struct Mau03View {
    pub notes: [&'static str; 3],
    pub detected_date: String,
    pub detected_time: String,
    pub reported_at: String,
}

impl Mau03View {
    pub fn new(f: &Mau03) -> Self {
        let (detected_date, detected_time) = detected(f.detected_at);
        Self {
            notes: MAU03_NOTES,
            detected_date,
            detected_time,
            reported_at: reported(f.reported_at),
        }
    }
}

#[derive(Serialize)]
pub(crate) struct Mau04View {
    pub initial_report_date: String,
    pub detected_date: String,
    pub detected_time: String,
}

impl Mau04View {
    pub fn new(f: &Mau04) -> Self {
        let (detected_date, detected_time) = detected(f.detected_at);
        Self {
            initial_report_date: date(f.initial_report_date),
            detected_date,
            detected_time,
        }
    }
}

#[derive(Serialize)]
pub(crate) struct RowView {
    pub label: &'static str,
    pub count: u32,
    pub self_handled: u32,
    pub domestic_help: u32,
    pub foreign_help: u32,
    pub coordinator_help: u32,
    pub damage: String,
}

impl RowView {
    fn new(label: &'static str, r: &TypeCounts) -> Self {
        Self {
            label,
            count: r.count,
            self_handled: r.self_handled,
            domestic_help: r.domestic_help,
            foreign_help: r.foreign_help,
            coordinator_help: r.coordinator_help,
            damage: r
                .estimated_damage_vnd
                .map(group_thousands)
                .unwrap_or_default(),
        }
    }
}

#[derive(Serialize)]
pub(crate) struct Mau05View {
    pub columns: [&'static str; 7],
    pub title: String,
    pub period: String,
    pub rows: Vec<RowView>,
    pub totals: RowView,
}

impl Mau05View {
    pub fn new(f: &Mau05) -> Self {
        let span = match f.period.kind {
            PeriodKind::SixMonths => labels::SIX_MONTHS,
            PeriodKind::Annual => labels::ANNUAL,
        };
        Self {
            columns: labels::MAU05_COLUMNS,
            title: format!("BÁO CÁO TỔNG HỢP {span} VỀ HOẠT ĐỘNG TIẾP NHẬN VÀ XỬ LÝ SỰ CỐ"),
            period: f.period.words(),
            rows: f
                .full_rows()
                .iter()
                .map(|r| RowView::new(r.incident_type.label(), r))
                .collect(),
            totals: RowView::new(labels::TOTAL, &f.totals()),
        }
    }
}
