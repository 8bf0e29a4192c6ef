//! What the templates print besides the raw fields: dates in words, the full Mẫu 05 table with
//! totals. Shared by the PDF and the DOCX so both say exactly the same.

use serde::Serialize;

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

#[derive(Serialize)]
pub(crate) struct HeaderView<'a> {
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
    pub fn new(h: &'a DocumentHeader) -> Self {
        Self {
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

#[derive(Serialize)]
pub(crate) struct Mau03View {
    pub detected_date: String,
    pub detected_time: String,
    pub reported_at: String,
}

impl Mau03View {
    pub fn new(f: &Mau03) -> Self {
        let (detected_date, detected_time) = detected(f.detected_at);
        Self {
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
    pub title: String,
    pub period: String,
    pub rows: Vec<RowView>,
    pub totals: RowView,
}

impl Mau05View {
    pub fn new(f: &Mau05) -> Self {
        let span = match f.period.kind {
            PeriodKind::SixMonths => "06 THÁNG",
            PeriodKind::Annual => "01 NĂM",
        };
        Self {
            title: format!("BÁO CÁO TỔNG HỢP {span} VỀ HOẠT ĐỘNG TIẾP NHẬN VÀ XỬ LÝ SỰ CỐ"),
            period: f.period.words(),
            rows: f
                .full_rows()
                .iter()
                .map(|r| RowView::new(r.incident_type.label(), r))
                .collect(),
            totals: RowView::new("Tổng cộng", &f.totals()),
        }
    }
}

/// Column headings of Mẫu 05's table 1.
pub(crate) const MAU05_COLUMNS: [&str; 8] = [
    "TT",
    "Loại sự cố/tấn công mạng",
    "Số lượng",
    "Tự xử lý",
    "Có sự hỗ trợ của tổ chức trong nước",
    "Có sự hỗ trợ của tổ chức nước ngoài",
    "Yêu cầu hỗ trợ của cơ quan điều phối quốc gia",
    "Thiệt hại ước tính (đồng)",
];
