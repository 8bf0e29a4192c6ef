//! Helpers shared by the report tests: text out of PDF (pdftotext) and DOCX (the `w:t` runs of
//! `word/document.xml`), normalisation, and the sample values each form must print.
#![allow(dead_code)] // each test crate uses its own subset

use std::io::Read;
use std::process::Command;
use std::sync::OnceLock;

use ungcuu_reports::PdfRenderer;
use ungcuu_reports::model::{Mau03, Mau04, Mau05};
use unicode_normalization::UnicodeNormalization;

pub fn renderer() -> &'static PdfRenderer {
    static R: OnceLock<PdfRenderer> = OnceLock::new();
    R.get_or_init(PdfRenderer::new)
}

/// NFC, and every run of whitespace as one space (PDF lines wrap anywhere there is a space).
pub fn norm(s: &str) -> String {
    s.nfc()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The text of a PDF, or None when pdftotext is missing (a failure with CI=true).
pub fn pdf_text(pdf: &[u8]) -> Option<String> {
    pdftotext(pdf, &[])
}

/// The text of a PDF in the order it was drawn (`pdftotext -raw`): a table comes out row by
/// row, as it reads, where the default mode gives whole columns one after the other.
pub fn pdf_text_in_order(pdf: &[u8]) -> Option<String> {
    pdftotext(pdf, &["-raw"])
}

fn pdftotext(pdf: &[u8], extra: &[&str]) -> Option<String> {
    let dir = tempdir();
    let path = dir.join("r.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = match Command::new("pdftotext")
        .args(extra)
        .args(["-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
    {
        Ok(out) => out,
        Err(e) => {
            if std::env::var("CI").as_deref() == Ok("true") {
                panic!("pdftotext is missing ({e}) and CI=true: apt-get install poppler-utils");
            }
            eprintln!(
                "\n*** SKIPPING PDF TEXT CHECK: pdftotext not found ({e}); apt-get install poppler-utils ***\n"
            );
            return None;
        }
    };
    assert!(
        out.status.success(),
        "pdftotext failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::remove_dir_all(&dir).ok();
    Some(String::from_utf8(out.stdout).expect("pdftotext gives UTF-8"))
}

pub fn tempdir() -> std::path::PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "ungcuu-reports-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The `w:t` texts of a DOCX, paragraph by paragraph (a paragraph's runs are joined).
pub fn docx_text(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip archive");
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .expect("word/document.xml")
        .read_to_string(&mut xml)
        .unwrap();
    let mut out = String::new();
    let mut rest = xml.as_str();
    while let Some(i) = rest.find('<') {
        let after = &rest[i + 1..];
        let end = after.find('>').expect("closed tag");
        let tag = &after[..end];
        rest = &after[end + 1..];
        if tag == "w:t" || tag.starts_with("w:t ") {
            let close = rest.find("</w:t>").expect("closed w:t");
            out.push_str(&unescape(&rest[..close]));
            rest = &rest[close..];
        } else if tag == "w:br" || tag.starts_with("w:br ") || tag == "w:br/" || tag == "/w:p" {
            out.push('\n');
        }
    }
    out
}

pub fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

pub fn assert_contains_all(what: &str, text: &str, expected: &[String]) {
    let text = norm(text);
    let missing: Vec<&String> = expected
        .iter()
        .filter(|e| !text.contains(&norm(e)))
        .collect();
    assert!(
        missing.is_empty(),
        "{what}: missing {missing:#?}\n--- extracted text ---\n{text}"
    );
}

pub fn header_texts(h: &ungcuu_reports::model::DocumentHeader) -> Vec<String> {
    let mut v = vec![
        h.owning_body.clone(),
        h.issuing_org.clone(),
        format!("Số: {}", h.number),
        h.place_and_date(),
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM".into(),
        "Độc lập - Tự do - Hạnh phúc".into(),
        "Nơi nhận:".into(),
        h.signer_name.clone(),
    ];
    if !h.title.is_empty() {
        v.push(h.title.clone());
    }
    v.extend(h.recipients.iter().cloned());
    v.extend(h.signer_title.lines().map(String::from));
    v
}

pub fn lines(s: &str) -> Vec<String> {
    s.lines().map(String::from).collect()
}

pub fn mau03_texts(f: &Mau03) -> Vec<String> {
    let mut v = header_texts(&f.header);
    v.push("BÁO CÁO BAN ĐẦU SỰ CỐ MẠNG".into());
    for s in [
        &f.reporter.name,
        &f.reporter.address,
        &f.reporter.phone,
        &f.reporter.email,
        &f.contact.full_name,
        &f.contact.position,
        &f.contact.phone,
        &f.contact.email,
        &f.system.operator,
        &f.system.owner,
        &f.system.system_name,
        &f.system.security_provider,
        &f.system.connectivity_provider,
        &f.detection.notified_by,
        &f.operating_system,
        &f.os_version,
        &f.services.other,
        &f.measures.other,
        &f.purpose,
        &f.enclosed.other,
        &f.proposals,
    ] {
        if !s.is_empty() {
            v.extend(lines(s));
        }
    }
    v.extend(lines(&f.description));
    v.extend(f.ip_addresses.iter().cloned());
    v.extend(f.domains.iter().cloned());
    if let Some(d) = f.detected_at {
        v.push(d.date.numeric());
        v.push(d.time_words());
    }
    if let Some(d) = f.reported_at {
        v.push(d.slashed());
    }
    v
}

pub fn mau04_texts(f: &Mau04) -> Vec<String> {
    let mut v = header_texts(&f.header);
    v.push("BÁO CÁO KẾT THÚC ỨNG PHÓ SỰ CỐ".into());
    for s in [
        &f.reporter.name,
        &f.reporter.address,
        &f.reporter.phone,
        &f.reporter.email,
        &f.initial_report_number,
        &f.system.operator,
        &f.system.owner,
        &f.system.system_name,
        &f.description,
        &f.result,
    ] {
        v.extend(lines(s));
    }
    v.extend(f.attachments.iter().cloned());
    if let Some(d) = f.initial_report_date {
        v.push(d.numeric());
    }
    v
}

pub fn mau05_texts(f: &Mau05) -> Vec<String> {
    let mut v = header_texts(&f.header);
    v.push(f.addressee.clone());
    v.push(f.organisation_name.clone());
    v.push(f.address.clone());
    v.push(f.member_code.clone());
    v.push(f.period.words());
    v.extend(lines(&f.proposals));
    v.extend(f.domestic_helpers.iter().cloned());
    v.extend(f.foreign_helpers.iter().cloned());
    for t in ungcuu_reports::model::IncidentType::ALL {
        v.push(t.label().into());
    }
    v
}
