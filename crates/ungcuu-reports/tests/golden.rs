//! Golden tests: render every form to PDF and DOCX, read the text back (pdftotext; the `w:t`
//! runs of `word/document.xml`) and check each field's text is there, NFC on both sides.

mod common;

use std::io::Read;

use common::*;
use ungcuu_reports::model::{Mau03, Mau04, Mau05};
use ungcuu_reports::sample::{self, ALL_LETTERS};
use ungcuu_reports::{FontSource, PdfRenderer, docx};

#[test]
fn samples_are_valid() {
    assert_eq!(sample::mau03().validate(), Vec::<String>::new());
    assert_eq!(sample::mau04().validate(), Vec::<String>::new());
    assert_eq!(sample::mau05().validate(), Vec::<String>::new());
    assert_eq!(
        ALL_LETTERS.chars().filter(|c| !c.is_whitespace()).count(),
        134
    );
}

#[test]
fn mau03_pdf_and_docx_carry_every_field() {
    let f = sample::mau03();
    let expected = mau03_texts(&f);
    let pdf = renderer().mau03(&f).expect("pdf");
    assert!(pdf.starts_with(b"%PDF-"));
    if let Some(text) = pdf_text(&pdf) {
        assert_contains_all("Mẫu 03 PDF", &text, &expected);
    }
    let d = docx::mau03(&f).expect("docx");
    assert_contains_all("Mẫu 03 DOCX", &docx_text(&d), &expected);
}

#[test]
fn mau04_pdf_and_docx_carry_every_field() {
    let f = sample::mau04();
    let expected = mau04_texts(&f);
    let pdf = renderer().mau04(&f).expect("pdf");
    if let Some(text) = pdf_text(&pdf) {
        assert_contains_all("Mẫu 04 PDF", &text, &expected);
    }
    let d = docx::mau04(&f).expect("docx");
    assert_contains_all("Mẫu 04 DOCX", &docx_text(&d), &expected);
}

#[test]
fn mau05_pdf_and_docx_carry_every_field_and_the_totals() {
    let f = sample::mau05();
    let mut expected = mau05_texts(&f);
    expected.push("BÁO CÁO TỔNG HỢP 06 THÁNG VỀ HOẠT ĐỘNG TIẾP NHẬN VÀ XỬ LÝ SỰ CỐ".into());
    expected.push("1.250.000.000".into());
    // 4+12+9+3+7+1+2+5 incidents, 15+120+250+5+1250 million đồng.
    expected.push("43".into());
    expected.push("Tổng số".into());
    expected.push("1.640.000.000".into());
    let pdf = renderer().mau05(&f).expect("pdf");
    if let Some(text) = pdf_text(&pdf) {
        assert_contains_all("Mẫu 05 PDF", &text, &expected);
        assert!(norm(&text).contains("Biểu đồ: số lượng sự cố theo loại"));
    }
    let d = docx::mau05(&f).expect("docx");
    assert_contains_all("Mẫu 05 DOCX", &docx_text(&d), &expected);
}

#[test]
fn embedded_fonts_alone_cover_vietnamese() {
    let r = PdfRenderer::with_fonts(FontSource::EmbeddedOnly);
    let f = sample::mau03();
    let pdf = r.mau03(&f).expect("pdf");
    if let Some(text) = pdf_text(&pdf) {
        assert_contains_all("Mẫu 03 PDF (embedded fonts)", &text, &[ALL_LETTERS.into()]);
    }
}

/// Text that looks like markup in typst, HTML, XML or JSON.
const CORPUS: &[&str] = &[
    "<script>alert(1)</script>",
    "#set text(red)",
    "]",
    "\"",
    "\\ \\\\ \\n",
    "*bold* _em_ $x$ `raw` @ref <label> // comment /* c */",
    "#import \"@preview/x:0.1.0\"",
    "#{ panic(\"x\") } #eval(\"1\") ]) } [#",
    "&amp; &lt; ' -- ... ~",
];

fn hostile() -> String {
    CORPUS.join(" ")
}

fn expected_corpus() -> Vec<String> {
    CORPUS.iter().map(|s| s.to_string()).collect()
}

#[test]
fn markup_in_every_text_field_stays_text() {
    let x = hostile();
    let mut f3 = sample::mau03();
    {
        let h = &mut f3.header;
        for s in [
            &mut h.owning_body,
            &mut h.issuing_org,
            &mut h.number,
            &mut h.place,
            &mut h.title,
            &mut h.signer_title,
            &mut h.signer_name,
        ] {
            *s = x.clone();
        }
        h.recipients = vec![x.clone()];
    }
    for s in [
        &mut f3.reporter.name,
        &mut f3.reporter.address,
        &mut f3.reporter.phone,
        &mut f3.reporter.email,
        &mut f3.contact.full_name,
        &mut f3.contact.position,
        &mut f3.contact.phone,
        &mut f3.contact.email,
        &mut f3.system.operator,
        &mut f3.system.owner,
        &mut f3.system.system_name,
        &mut f3.system.security_provider,
        &mut f3.system.connectivity_provider,
        &mut f3.description,
        &mut f3.detection.notified_by,
        &mut f3.detection.other,
        &mut f3.operating_system,
        &mut f3.os_version,
        &mut f3.services.other,
        &mut f3.measures.other,
        &mut f3.purpose,
        &mut f3.enclosed.other,
        &mut f3.proposals,
    ] {
        *s = x.clone();
    }
    f3.ip_addresses = vec![x.clone()];
    f3.domains = vec![x.clone()];
    let expected = expected_corpus();
    let pdf = renderer().mau03(&f3).expect("hostile Mẫu 03 still renders");
    if let Some(text) = pdf_text(&pdf) {
        assert_contains_all("hostile Mẫu 03 PDF", &text, &expected);
        let n = norm(&text).matches("#set text(red)").count();
        assert!(n >= 30, "every field shows the corpus, found {n}");
    }
    let d = docx::mau03(&f3).expect("hostile Mẫu 03 DOCX");
    let text = docx_text(&d);
    assert_contains_all("hostile Mẫu 03 DOCX", &text, &expected);
    assert!(norm(&text).matches("#set text(red)").count() >= 30);

    let mut f4 = sample::mau04();
    f4.header = f3.header.clone();
    f4.reporter = f3.reporter.clone();
    f4.system = f3.system.clone();
    f4.initial_report_number = x.clone();
    f4.description = x.clone();
    f4.result = x.clone();
    f4.attachments = vec![x.clone()];
    let pdf = renderer().mau04(&f4).expect("hostile Mẫu 04");
    if let Some(text) = pdf_text(&pdf) {
        assert_contains_all("hostile Mẫu 04 PDF", &text, &expected);
    }
    assert_contains_all(
        "hostile Mẫu 04 DOCX",
        &docx_text(&docx::mau04(&f4).unwrap()),
        &expected,
    );

    let mut f5 = sample::mau05();
    f5.header = f3.header.clone();
    f5.addressee = x.clone();
    f5.organisation_name = x.clone();
    f5.address = x.clone();
    f5.member_code = x.clone();
    f5.proposals = x.clone();
    f5.domestic_helpers = vec![x.clone()];
    f5.foreign_helpers = vec![x.clone()];
    let pdf = renderer().mau05(&f5).expect("hostile Mẫu 05");
    if let Some(text) = pdf_text(&pdf) {
        assert_contains_all("hostile Mẫu 05 PDF", &text, &expected);
    }
    assert_contains_all(
        "hostile Mẫu 05 DOCX",
        &docx_text(&docx::mau05(&f5).unwrap()),
        &expected,
    );
}

#[test]
fn empty_forms_still_render_with_blanks() {
    let pdf = renderer().mau03(&Mau03::default()).expect("empty Mẫu 03");
    assert!(pdf.starts_with(b"%PDF-"));
    renderer().mau04(&Mau04::default()).expect("empty Mẫu 04");
    renderer().mau05(&Mau05::default()).expect("empty Mẫu 05");
    docx::mau03(&Mau03::default()).expect("empty Mẫu 03 DOCX");
    docx::mau04(&Mau04::default()).expect("empty Mẫu 04 DOCX");
    docx::mau05(&Mau05::default()).expect("empty Mẫu 05 DOCX");
}

/// The DOCX reads back through docx-rs's own parser, and its default font is Times New Roman.
/// (LibreOffice opens the same files in tests/annex.rs.)
#[test]
fn docx_files_read_back() {
    for (name, bytes) in [
        ("Mẫu 03", docx::mau03(&sample::mau03()).unwrap()),
        ("Mẫu 04", docx::mau04(&sample::mau04()).unwrap()),
        ("Mẫu 05", docx::mau05(&sample::mau05()).unwrap()),
    ] {
        let parsed = docx_rs::read_docx(&bytes);
        assert!(parsed.is_ok(), "{name}: {:?}", parsed.err());
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
        let mut styles = String::new();
        zip.by_name("word/styles.xml")
            .expect("word/styles.xml")
            .read_to_string(&mut styles)
            .unwrap();
        assert!(styles.contains("Times New Roman"), "{name}: {styles}");
    }
}
