//! The legal reports of Thông tư 20/2017 — Mẫu 03 (initial incident report), Mẫu 04 (final
//! report) and Mẫu 05 (6-month / annual summary) — as PDF (typst) and DOCX (docx-rs).
//! Data in, bytes out: no database, no HTTP.

pub mod docx;
pub mod labels;
pub mod model;
pub mod pdf;
pub mod sample;
pub mod sign;
mod view;

pub use model::{Mau03, Mau04, Mau05};
pub use pdf::{FontSource, PdfRenderer};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the report data could not be serialised: {0}")]
    Data(String),
    #[error("typst could not render the report: {0}")]
    Typst(String),
    #[error("the DOCX could not be written: {0}")]
    Docx(String),
}
