//! Field by field against the annex: every heading, label, checkbox option, table heading and
//! row, and closing line of Mẫu 03, 04 and 05 (Phụ lục I of TT 20/2017), in the annex's order,
//! must be printed in that order by the PDF and by the DOCX. The DOCX is also opened by
//! LibreOffice (one `soffice --convert-to` call for all three files): if it were not a valid
//! document LibreOffice would write nothing.
//!
//! Each label is held twice: as the annex words it and as we print it. They differ only where
//! the annex has a blank to fill in or an evident typo (see docs/reports.md, "Compared with the
//! annex"). The annex side is checked, in order, against `tests/annex/tt20-2017-mau-03-04-05.txt`
//! (LibreOffice's text of `tt20-2017-forms.doc`, from "Mẫu số 03" on), so a list cannot drift
//! from the annex either.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use common::*;
use ungcuu_reports::docx;
use ungcuu_reports::sample::{self, ALL_LETTERS};
use unicode_normalization::UnicodeNormalization;

/// One label: the annex's wording and ours.
struct L {
    annex: &'static str,
    ours: &'static str,
    /// A deliberate change, recorded in docs/reports.md (not a blank filled in).
    deviation: bool,
}

/// Printed word for word.
const fn same(s: &'static str) -> L {
    L {
        annex: s,
        ours: s,
        deviation: false,
    }
}

/// A blank of the annex, filled in by the sample's data.
const fn filled(annex: &'static str, ours: &'static str) -> L {
    L {
        annex,
        ours,
        deviation: false,
    }
}

/// A deliberate change: a typo of the annex set right, or a unit added.
const fn differs(annex: &'static str, ours: &'static str) -> L {
    L {
        annex,
        ours,
        deviation: true,
    }
}

const ISSUED_WITH: &str = "Ban hành kèm theo Thông tư số 20/2017/TT-BTTTT ngày 12/9/2017 của Bộ Thông tin và Truyền thông";

const MAU03: &[L] = &[
    same("Mẫu số 03"),
    differs(
        "Ban hành kèm theo Thông tư số 20/2017/TT-BTTT ngày 12/9/2017 của Bộ Thông tin và Truyền thông",
        ISSUED_WITH,
    ),
    same("BÁO CÁO BAN ĐẦU SỰ CỐ MẠNG"),
    same("THÔNG TIN VỀ TỔ CHỨC/CÁ NHÂN BÁO CÁO SỰ CỐ"),
    same("Tên tổ chức/cá nhân báo cáo sự cố (*)"),
    same("Địa chỉ: (*)"),
    same("Điện thoại (*)"),
    same("Email (*)"),
    same("NGƯỜI LIÊN HỆ"),
    same("Họ và tên (*)"),
    same("Chức vụ:"),
    same("Điện thoại (*)"),
    same("Email (*)"),
    same("THÔNG TIN CHI TIẾT VỀ HỆ THỐNG BỊ SỰ CỐ"),
    same("Tên đơn vị vận hành hệ thống thông tin (*):"),
    same("Cơ quan chủ quản:"),
    same("Tên hệ thống bị sự cố"),
    same("Phân loại cấp độ của hệ thống thông tin (nếu có)"),
    same("Cấp độ 1"),
    same("Cấp độ 2"),
    same("Cấp độ 3"),
    same("Cấp độ 4"),
    same("Cấp độ 5"),
    same("Tổ chức cung cấp dịch vụ an toàn thông tin (nếu có):"),
    same("Tên nhà cung cấp dịch vụ kết nối bên ngoài (nếu có)"),
    same("Mô tả sơ bộ về sự cố (*)"),
    same(
        "Đề nghị cung cấp một bản tóm tắt ngắn gọn về sự cố, bao gồm đánh giá sơ bộ cuộc tấn công đã xảy ra chưa và bất kỳ các nguy cơ dẫn đến khả năng phá hoại hoặc gián đoạn dịch vụ. Cũng vui lòng xác định mức độ nhạy cảm của thông tin liên quan hoặc những đối tượng bị ảnh hưởng bởi sự cố:",
    ),
    same("Ngày phát hiện sự cố (*) (dd/mm/yy)"),
    same("Thời gian phát hiện (*):"),
    same("HIỆN TRẠNG SỰ CỐ (*)"),
    same("Đã được xử lý"),
    same("Chưa được xử lý"),
    same("CÁCH THỨC PHÁT HIỆN * (Đánh dấu những cách thức được sử dụng để phát hiện sự cố)"),
    same("Qua hệ thống phát hiện xâm nhập"),
    same("Kiểm tra dữ liệu lưu lại (Log File)"),
    same("Nhận được thông báo từ:"),
    same("Khác, đó là"),
    same("ĐÃ GỬI THÔNG BÁO SỰ CỐ CHO *"),
    same("Thành viên mạng lưới chịu trách nhiệm ứng cứu sự cố cho tổ chức, cá nhân"),
    same("ISP đang trực tiếp cung cấp dịch vụ"),
    same("Cơ quan điều phối"),
    same("THÔNG TIN BỔ SUNG VỀ HỆ THỐNG XẢY RA SỰ CỐ"),
    same("Hệ điều hành"),
    same("Version"),
    same("Các dịch vụ có trên hệ thống (Đánh dấu những dịch vụ được sử dụng trên hệ thống)"),
    same("Web server"),
    same("Mail server"),
    same("Database server"),
    same("Dịch vụ khác, đó là"),
    same("Các biện pháp an toàn thông tin đã triển khai (Đánh dấu những biện pháp đã triển khai)"),
    same("Antivirus"),
    same("Firewall"),
    same("Hệ thống phát hiện xâm nhập"),
    same("Khác:"),
    same(
        "Các địa chỉ IP của hệ thống (Liệt kê địa chỉ IP sử dụng trên Internet, không liệt kê địa chỉ IP nội bộ)",
    ),
    same("Các tên miền của hệ thống"),
    same("Mục đích chính sử dụng hệ thống"),
    same("Thông tin gửi kèm"),
    same("Nhật ký hệ thống"),
    same("Mẫu virus / mã độc"),
    same("Khác:"),
    same("Các thông tin cung cấp trong thông báo sự cố này đều phải được giữ bí mật:"),
    same("Có"),
    same("Không"),
    same("KIẾN NGHỊ, ĐỀ XUẤT HỖ TRỢ"),
    same("Mô tả về đề xuất, kiến nghị"),
    same("Đề nghị cung cấp tóm lược về các kiến nghị và đề xuất hỗ trợ ứng cứu (nếu có)"),
    same("THỜI GIAN THỰC HIỆN BÁO CÁO SỰ CỐ *:"),
    same("(ngày/tháng/năm/giờ/phút)"),
    same("CÁ NHÂN/NGƯỜI ĐẠI DIỆN THEO PHÁP LUẬT"),
    same("(Ký tên, đóng dấu)"),
    same(
        "Chú thích: 1. Phần (*) là những thông tin bắt buộc. Các phần còn lại có thể loại bỏ nếu không có thông tin.",
    ),
    differs(
        "2. Sử dụng tiêu đề (subject) bắt đầu bằng ‘‘[TBSC]” khi gửi thông báo qua email",
        "2. Sử dụng tiêu đề (subject) bắt đầu bằng “[TBSC]” khi gửi thông báo qua email",
    ),
    differs(
        "3. Tham khảo thêm tại website của VNCERT (www.vncert.gov vn)",
        "3. Tham khảo thêm tại website của VNCERT (www.vncert.gov.vn)",
    ),
];

const MAU04: &[L] = &[
    same("Mẫu số 04"),
    differs(
        "Ban hành kèm theo Thông tư số   /2017/TT-BTTT ngày …/…/2017 của Bộ Thông tin và Truyền thông",
        ISSUED_WITH,
    ),
    same("BÁO CÁO KẾT THÚC ỨNG PHÓ SỰ CỐ"),
    same("THÔNG TIN VỀ TỔ CHỨC/CÁ NHÂN BÁO CÁO"),
    same("Tên tổ chức/cá nhân báo cáo sự cố (*)"),
    same("Địa chỉ: (*)"),
    same("Điện thoại (*)"),
    same("Email (*)"),
    same("KÝ HIỆU BÁO CÁO BAN ĐẦU SỰ CỐ:"),
    same("Số ký hiệu"),
    same("Ngày báo cáo:"),
    same("THÔNG TIN CHI TIẾT VỀ HỆ THỐNG BỊ SỰ CỐ"),
    same("Tên đơn vị vận hành hệ thống thông tin (*):"),
    same("Cơ quan chủ quản:"),
    same("Tên hệ thống bị sự cố"),
    same("Phân loại cấp độ của hệ thống thông tin, (nếu có)"),
    same("Cấp độ 1"),
    same("Cấp độ 2"),
    same("Cấp độ 3"),
    same("Cấp độ 4"),
    same("Cấp độ 5"),
    same("Tên/Mô tả về sự cố"),
    same("Ngày phát hiện sự cố (*) (dd/mm/yy)"),
    same("Thời gian phát hiện (*):"),
    same("Kết quả xử lý sự cố"),
    differs(
        "Cung cấp, tóm tắt tổng quát về những gì đã xảy ra và cách thức giải quyết, đề xuất giải pháp ứng cứu ứng sự cố nhằm xử lý nhanh sự cố, giảm nhẹ rủi ro và thiệt hại đối với sự cố tương tự trong tương lai...",
        "Cung cấp, tóm tắt tổng quát về những gì đã xảy ra và cách thức giải quyết, đề xuất giải pháp ứng cứu sự cố nhằm xử lý nhanh sự cố, giảm nhẹ rủi ro và thiệt hại đối với sự cố tương tự trong tương lai...",
    ),
    same("Các tài liệu đính kèm"),
    same("Liệt kê các tài liệu liên quan (báo cáo diễn biến sự cố; phương án xử lý, log file…..)"),
    same("CÁ NHÂN/NGƯỜI ĐẠI DIỆN THEO PHÁP LUẬT"),
    same("(Ký tên, đóng dấu)"),
];

const MAU05: &[L] = &[
    same("Mẫu số 05"),
    differs(
        "Ban hành kèm theo Thông tư số 20/2017/TT-BTTT ngày 12/9/2017 của Bộ Thông tin và Truyền thông",
        ISSUED_WITH,
    ),
    same("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    same("Độc lập - Tự do - Hạnh phúc"),
    same("Kính gửi: Trung tâm Ứng cứu khẩn cấp máy tính Việt Nam"),
    // The sample is a six-month report.
    filled(
        "BÁO CÁO TỔNG HỢP [06 THÁNG/ 01 NĂM] VỀ HOẠT ĐỘNG TIẾP NHẬN VÀ XỬ LÝ SỰ CỐ",
        "BÁO CÁO TỔNG HỢP 06 THÁNG VỀ HOẠT ĐỘNG TIẾP NHẬN VÀ XỬ LÝ SỰ CỐ",
    ),
    filled(
        "Từ tháng …../201 ... đến tháng ..../201...",
        "Từ tháng 01/2026 đến tháng 06/2026",
    ),
    same("Tên cơ quan/tổ chức:"),
    same("Địa chỉ:"),
    same("Mã thành viên mạng lưới:"),
    same("1. Số lượng sự cố và cách thức xử lý"),
    same("Loại sự cố/tấn công mạng"),
    same("Số lượng"),
    same("Số sự cố tự xử lý"),
    same("Số sự cố có sự hỗ trợ xử lý từ các tổ chức khác"),
    same("Số sự cố có hỗ trợ xử lý từ tổ chức nước ngoài"),
    differs(
        "Số sự cố đề nghị VNCERT hỗ trợ lý",
        "Số sự cố đề nghị VNCERT hỗ trợ xử lý",
    ),
    // The unit is ours; the annex's heading stops at "ước tính".
    differs("Thiệt hại ước tính", "Thiệt hại ước tính (đồng)"),
    same("Từ chối dịch vụ"),
    same("Tấn công giả mạo"),
    same("Tấn công sử dụng mã độc"),
    same("Truy cập trái phép, chiếm quyền điều khiển"),
    same("Thay đổi giao diện"),
    same("Mã hóa phần mềm, dữ liệu, thiết bị"),
    same("Phá hoại thông tin, dữ liệu, phần mềm"),
    same("Nghe trộm, gián điệp, lấy cắp thông tin, dữ liệu"),
    same("Tấn công tổng hợp sử dụng kết hợp nhiều hình thức"),
    same("Các hình thức tấn công khác"),
    same("Tổng số"),
    same("2. Danh sách các tổ chức hỗ trợ xử lý sự cố"),
    same("3. Danh sách các tổ chức nước ngoài hỗ trợ xử lý sự cố"),
    same("4. Đề xuất kiến nghị:"),
    // The place and date line, filled in by the sample.
    filled(
        "….., ngày …. tháng …. năm ……",
        "Đồng Tháp, ngày 25 tháng 11 năm 2026",
    ),
    same("NGƯỜI ĐẠI DIỆN THEO PHÁP LUẬT"),
    same("(Đóng dấu hoặc sử dụng chữ ký số)"),
];

/// NFC with every whitespace removed: lines wrap anywhere, also inside "ngày/tháng/năm".
fn squeeze(s: &str) -> String {
    s.nfc().filter(|c| !c.is_whitespace()).collect()
}

/// Each label found after the previous one; the failure names the first label out of place.
fn assert_in_order<'a>(what: &str, text: &str, labels: impl IntoIterator<Item = &'a str>) {
    let text = squeeze(text.trim_start_matches('\u{feff}'));
    let mut at = 0;
    for (i, label) in labels.into_iter().enumerate() {
        let l = squeeze(label);
        match text[at..].find(&l) {
            Some(p) => at += p + l.len(),
            None => {
                let anywhere = if text.contains(&l) {
                    "it is printed, but before the previous label"
                } else {
                    "it is not printed at all"
                };
                panic!(
                    "{what}: label {i} {label:?} not found in order ({anywhere})\n--- text ---\n{text}"
                );
            }
        }
    }
}

fn ours(labels: &[L]) -> impl Iterator<Item = &str> {
    labels.iter().map(|l| l.ours)
}

/// The annex text of one form: from its "Mẫu số 0x" box to the next form's.
fn annex_part(form: &str, next: Option<&str>) -> String {
    let text = include_str!("annex/tt20-2017-mau-03-04-05.txt");
    let start = text.find(form).expect("form in the annex");
    let end = next.map_or(text.len(), |n| text.find(n).expect("next form"));
    text[start..end].to_string()
}

#[test]
fn the_label_lists_follow_the_annex() {
    for (name, labels, part) in [
        ("Mẫu 03", MAU03, annex_part("Mẫu số 03", Some("Mẫu số 04"))),
        ("Mẫu 04", MAU04, annex_part("Mẫu số 04", Some("Mẫu số 05"))),
        ("Mẫu 05", MAU05, annex_part("Mẫu số 05", None)),
    ] {
        assert_in_order(
            &format!("annex {name}"),
            &part,
            labels.iter().map(|l| l.annex),
        );
        // Every deliberate difference is one the docs list.
        let docs = include_str!("../../../docs/reports.md");
        for l in labels.iter().filter(|l| l.deviation) {
            assert!(
                squeeze(docs).contains(&squeeze(l.annex)),
                "{name}: docs/reports.md does not record the deviation from {:?}",
                l.annex
            );
        }
    }
}

#[test]
fn mau03_prints_the_annex_labels_in_order() {
    let f = sample::mau03();
    if let Some(text) = pdf_text_in_order(&renderer().mau03(&f).unwrap()) {
        assert_in_order("Mẫu 03 PDF", &text, ours(MAU03));
    }
    assert_in_order(
        "Mẫu 03 DOCX",
        &docx_text(&docx::mau03(&f).unwrap()),
        ours(MAU03),
    );
}

#[test]
fn mau04_prints_the_annex_labels_in_order() {
    let f = sample::mau04();
    if let Some(text) = pdf_text_in_order(&renderer().mau04(&f).unwrap()) {
        assert_in_order("Mẫu 04 PDF", &text, ours(MAU04));
    }
    assert_in_order(
        "Mẫu 04 DOCX",
        &docx_text(&docx::mau04(&f).unwrap()),
        ours(MAU04),
    );
}

#[test]
fn mau05_prints_the_annex_labels_in_order() {
    let f = sample::mau05();
    if let Some(text) = pdf_text_in_order(&renderer().mau05(&f).unwrap()) {
        assert_in_order("Mẫu 05 PDF", &text, ours(MAU05));
    }
    assert_in_order(
        "Mẫu 05 DOCX",
        &docx_text(&docx::mau05(&f).unwrap()),
        ours(MAU05),
    );
}

#[test]
fn the_order_check_catches_a_dropped_or_reworded_label() {
    let text = "Mẫu số 05 Tên cơ quan/tổ chức: X Địa chỉ: Y";
    let ok = std::panic::catch_unwind(|| {
        assert_in_order("t", text, ["Tên cơ quan/tổ chức:", "Địa chỉ:"]);
    });
    assert!(ok.is_ok());
    for labels in [
        ["Địa chỉ:", "Tên cơ quan/tổ chức:"],
        ["Tên cơ quan/tổ chức:", "Địa chỉ liên hệ:"],
    ] {
        let r = std::panic::catch_unwind(|| assert_in_order("t", text, labels));
        assert!(r.is_err(), "{labels:?} must fail");
    }
}

/// What LibreOffice made of the three sample DOCX files.
struct Converted {
    /// Mẫu 03, 04, 05 as text.
    texts: [String; 3],
    /// Pages of Mẫu 05 converted to PDF by LibreOffice, when pdfinfo is installed.
    mau05_pages: Option<u32>,
}

/// Runs `soffice` with a fresh profile and a time limit; None when it is not installed.
fn soffice(profile: &Path, args: &[&str], dir: &Path) -> Option<()> {
    let started = Instant::now();
    let mut child = match Command::new("soffice")
        .arg("--headless")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => {
            if std::env::var("CI").as_deref() == Ok("true") {
                panic!(
                    "soffice is missing ({e}) and CI=true: apt-get install --no-install-recommends libreoffice-writer-nogui"
                );
            }
            eprintln!(
                "\n*** SKIPPING LIBREOFFICE CHECK OF THE DOCX: soffice not found ({e}); apt-get install --no-install-recommends libreoffice-writer-nogui ***\n"
            );
            return None;
        }
    };
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "soffice {args:?} failed: {status}");
            return Some(());
        }
        if started.elapsed() > Duration::from_secs(120) {
            child.kill().ok();
            child.wait().ok();
            panic!("soffice {args:?} took more than 120 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn libreoffice() -> Option<&'static Converted> {
    static C: OnceLock<Option<Converted>> = OnceLock::new();
    C.get_or_init(|| {
        let dir = tempdir();
        let profile = dir.join("profile");
        let names = ["mau03", "mau04", "mau05"];
        let files = [
            docx::mau03(&sample::mau03()).unwrap(),
            docx::mau04(&sample::mau04()).unwrap(),
            docx::mau05(&sample::mau05()).unwrap(),
        ];
        let mut args = vec!["--convert-to", "txt:Text", "--outdir", "out"];
        let docx_names: Vec<String> = names.iter().map(|n| format!("{n}.docx")).collect();
        for (name, bytes) in docx_names.iter().zip(&files) {
            std::fs::write(dir.join(name), bytes).unwrap();
            args.push(name);
        }
        // One start of LibreOffice for the three files: it is the slow part.
        if soffice(&profile, &args, &dir).is_none() {
            std::fs::remove_dir_all(&dir).ok();
            return None;
        }
        let texts = names.map(|n| {
            let path: PathBuf = dir.join("out").join(format!("{n}.txt"));
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("LibreOffice wrote no {}: {e}", path.display()));
            assert!(
                !text.trim().is_empty(),
                "LibreOffice wrote an empty {n}.txt"
            );
            text
        });
        soffice(
            &profile,
            &["--convert-to", "pdf", "--outdir", "pdf", "mau05.docx"],
            &dir,
        )
        .expect("soffice ran a moment ago");
        let pdf = dir.join("pdf").join("mau05.pdf");
        assert!(
            std::fs::metadata(&pdf).is_ok_and(|m| m.len() > 1000),
            "LibreOffice wrote no PDF of Mẫu 05"
        );
        let mau05_pages = Command::new("pdfinfo").arg(&pdf).output().ok().map(|out| {
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .find_map(|l| l.strip_prefix("Pages:"))
                .and_then(|n| n.trim().parse().ok())
                .expect("pdfinfo prints Pages:")
        });
        std::fs::remove_dir_all(&dir).ok();
        Some(Converted { texts, mau05_pages })
    })
    .as_ref()
}

#[test]
fn libreoffice_opens_every_docx_with_its_labels_values_and_tone_marks() {
    let Some(c) = libreoffice() else { return };
    let [t3, t4, t5] = &c.texts;
    assert_in_order("Mẫu 03 via LibreOffice", t3, ours(MAU03));
    assert_in_order("Mẫu 04 via LibreOffice", t4, ours(MAU04));
    assert_in_order("Mẫu 05 via LibreOffice", t5, ours(MAU05));
    assert_contains_all("Mẫu 03 via LibreOffice", t3, &mau03_texts(&sample::mau03()));
    assert_contains_all("Mẫu 04 via LibreOffice", t4, &mau04_texts(&sample::mau04()));
    let mut v5 = mau05_texts(&sample::mau05());
    v5.extend(["43".into(), "1.640.000.000".into(), "1.250.000.000".into()]);
    assert_contains_all("Mẫu 05 via LibreOffice", t5, &v5);
    // Every Vietnamese letter survives, đ and Đ too (the samples carry them all).
    for (name, t) in [("Mẫu 03", t3), ("Mẫu 04", t4), ("Mẫu 05", t5)] {
        assert_contains_all(
            &format!("{name} via LibreOffice"),
            t,
            &[ALL_LETTERS.to_string()],
        );
    }
    if let Some(pages) = c.mau05_pages {
        assert!(
            (1..=4).contains(&pages),
            "Mẫu 05 laid out by LibreOffice has {pages} pages"
        );
    }
}
