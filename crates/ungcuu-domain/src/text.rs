//! Vietnamese text: NFC storage and diacritic folding for search.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Text as it is stored: Unicode NFC, trimmed.
pub fn nfc(s: &str) -> String {
    s.trim().nfc().collect()
}

/// Folds text for search: lower case, diacritics removed, đ → d, whitespace collapsed,
/// so that "su co" finds "Sự cố" on either backend.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last_space = true;
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        let c = match c {
            'đ' | 'Đ' => 'd',
            c => c,
        };
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
                last_space = true;
            }
            continue;
        }
        for l in c.to_lowercase() {
            out.push(l);
        }
        last_space = false;
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_removes_vietnamese_diacritics_and_d_bar() {
        assert_eq!(fold("Sự cố  Đồng Tháp"), "su co dong thap");
        assert_eq!(fold("ĐẶNG   Thị  Ánh"), "dang thi anh");
    }

    #[test]
    fn nfc_composes_decomposed_input() {
        let decomposed = "Vie\u{0302}\u{0323}t";
        assert_eq!(nfc(decomposed), "Việt");
    }
}
