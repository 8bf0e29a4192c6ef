//! CSV the way spreadsheets write it (RFC 4180): the text encoding of an uploaded file, reading
//! records with the line each starts on, writing with quoting, and keeping cells that a
//! spreadsheet would run as formulas inert.

use std::borrow::Cow;
use unicode_normalization::UnicodeNormalization;

/// The encodings an uploaded CSV may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 with a byte order mark (Excel's "CSV UTF-8").
    Utf8Bom,
    /// UTF-8 without a byte order mark.
    Utf8,
    /// Windows-1258, the Vietnamese code page of older Excel versions.
    Windows1258,
}

impl Encoding {
    /// Its usual name.
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8Bom => "UTF-8 (BOM)",
            Encoding::Utf8 => "UTF-8",
            Encoding::Windows1258 => "Windows-1258",
        }
    }
}

/// Decodes an uploaded file: UTF-8 with or without BOM, otherwise Windows-1258. The text comes
/// back in NFC, since Windows-1258 writes tone marks as separate combining characters.
/// UTF-16 and binary files are refused with `err.csv_encoding`.
pub fn decode(bytes: &[u8]) -> Result<(String, Encoding), &'static str> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err("err.csv_encoding");
    }
    let (text, enc) = if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        let s = std::str::from_utf8(rest).map_err(|_| "err.csv_encoding")?;
        (Cow::Borrowed(s), Encoding::Utf8Bom)
    } else if let Ok(s) = std::str::from_utf8(bytes) {
        (Cow::Borrowed(s), Encoding::Utf8)
    } else {
        // A NUL byte means UTF-16 without its mark or a binary file: no code page fits.
        if bytes.contains(&0) {
            return Err("err.csv_encoding");
        }
        let s = encoding_rs::WINDOWS_1258
            .decode_without_bom_handling_and_without_replacement(bytes)
            .ok_or("err.csv_encoding")?;
        (s, Encoding::Windows1258)
    };
    if text.contains('\0') {
        return Err("err.csv_encoding");
    }
    Ok((text.nfc().collect(), enc))
}

/// Encodes text in Windows-1258 as Vietnamese Windows writes it: base letters with their
/// circumflex, breve or horn precomposed, tone marks as combining characters. `None` when a
/// character has no Windows-1258 form. The inverse of [`decode`], for tests and sample files.
pub fn encode_windows_1258(text: &str) -> Option<Vec<u8>> {
    const TONES: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];
    let mut staged = String::with_capacity(text.len() * 2);
    for c in text.chars() {
        let d: String = std::iter::once(c).nfd().collect();
        staged.extend(d.chars().filter(|x| !TONES.contains(x)).nfc());
        staged.extend(d.chars().filter(|x| TONES.contains(x)));
    }
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1258.encode(&staged);
    (!unmappable).then(|| bytes.into_owned())
}

/// One record with the line of the file it starts on (1 is the header).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Line number where the record starts.
    pub line: usize,
    /// Its cells.
    pub cells: Vec<String>,
}

impl Record {
    /// True when every cell is blank (spreadsheets leave such lines at the end).
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.trim().is_empty())
    }
}

/// Picks the delimiter from the header line: a semicolon when the header has semicolons and no
/// commas (spreadsheets in locales where the comma is the decimal mark), otherwise a comma.
fn delimiter(text: &str) -> char {
    let header = text.lines().next().unwrap_or("");
    if header.contains(';') && !header.contains(',') {
        ';'
    } else {
        ','
    }
}

/// Parses CSV text. A quote left open, or text right after a closing quote, is an error
/// with the line where it happens.
pub fn parse(text: &str) -> Result<Vec<Record>, (usize, &'static str)> {
    let delim = delimiter(text);
    let mut records = Vec::new();
    let mut cells: Vec<String> = Vec::new();
    let mut cell = String::new();
    let mut line = 1;
    let mut start = 1;
    let mut in_quotes = false;
    let mut quoted = false;
    let mut after_quote = false;
    let mut chars = text.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        any = true;
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                '"' => {
                    in_quotes = false;
                    after_quote = true;
                }
                '\r' => {
                    if chars.peek() == Some(&'\n') {
                        chars.next();
                    }
                    cell.push('\n');
                    line += 1;
                }
                '\n' => {
                    cell.push('\n');
                    line += 1;
                }
                c => cell.push(c),
            }
            continue;
        }
        match c {
            c if c == delim => {
                cells.push(std::mem::take(&mut cell));
                quoted = false;
                after_quote = false;
            }
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                cells.push(std::mem::take(&mut cell));
                records.push(Record {
                    line: start,
                    cells: std::mem::take(&mut cells),
                });
                quoted = false;
                after_quote = false;
                line += 1;
                start = line;
                any = false;
            }
            '"' if cell.is_empty() && !quoted => {
                in_quotes = true;
                quoted = true;
            }
            _ if after_quote => return Err((line, "err.csv_quote")),
            c => cell.push(c),
        }
    }
    if in_quotes {
        return Err((start, "err.csv_quote"));
    }
    if any {
        cells.push(cell);
        records.push(Record { line: start, cells });
    }
    Ok(records)
}

/// Appends one record, quoting cells that need it, ended by CRLF as RFC 4180 says.
pub fn write_row<S: AsRef<str>>(out: &mut String, cells: &[S]) {
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let c = c.as_ref();
        if c.contains([',', ';', '"', '\r', '\n']) || c.starts_with(' ') || c.ends_with(' ') {
            out.push('"');
            out.push_str(&c.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(c);
        }
    }
    out.push_str("\r\n");
}

/// Characters that make a spreadsheet read a cell as a formula, plus the quote that protects.
const FORMULA_START: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\''];

/// A cell as exported: one starting like a formula gets a leading `'`, so a spreadsheet shows
/// it as text instead of running it (CSV injection). [`unprotect`] undoes it on import.
pub fn protect(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(FORMULA_START) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Removes the `'` that [`protect`] added.
pub fn unprotect(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_START) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_keep_the_line_they_start_on_across_quoted_newlines() {
        let text = "a,b\r\n\"x\ny\",2\n3,\"say \"\"hi\"\"\"\n";
        let r = parse(text).unwrap();
        assert_eq!(r.len(), 3);
        assert_eq!(r[1].line, 2);
        assert_eq!(r[1].cells, ["x\ny", "2"]);
        assert_eq!(r[2].line, 4);
        assert_eq!(r[2].cells, ["3", "say \"hi\""]);
    }

    #[test]
    fn an_open_quote_or_text_after_a_closing_quote_is_an_error_with_its_line() {
        assert_eq!(parse("a,b\n1,\"open\n").unwrap_err(), (2, "err.csv_quote"));
        assert_eq!(
            parse("a,b\n\n1,\"x\"y\n").unwrap_err(),
            (3, "err.csv_quote")
        );
    }

    #[test]
    fn a_semicolon_header_selects_semicolons() {
        let r = parse("a;b\n1;\"x,y\"").unwrap();
        assert_eq!(r[1].cells, ["1", "x,y"]);
    }

    #[test]
    fn written_rows_read_back_identically() {
        let rows = [
            vec!["tên, có dấu phẩy", "\"trích\"", "dòng\nmới", " lề "],
            vec!["", "a;b", "x", "y"],
        ];
        let mut out = String::new();
        for r in &rows {
            write_row(&mut out, r);
        }
        let back = parse(&out).unwrap();
        assert_eq!(back[0].cells, rows[0]);
        assert_eq!(back[1].cells, rows[1]);
        assert_eq!(back[1].line, 3);
    }

    #[test]
    fn formula_cells_are_protected_and_restored() {
        for s in ["=1+1", "+x", "-5", "@SUM(A1)", "'=x", "'abc", "plain", ""] {
            assert_eq!(unprotect(&protect(s)), s);
        }
        assert_eq!(protect("=HYPERLINK()"), "'=HYPERLINK()");
        assert_eq!(unprotect("'plain"), "'plain");
    }

    #[test]
    fn three_encodings_decode_to_the_same_nfc_text() {
        let text = "Sở Y tế, Đồng Tháp";
        let (a, ea) = decode(text.as_bytes()).unwrap();
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(text.as_bytes());
        let (b, eb) = decode(&bom).unwrap();
        let bytes = encode_windows_1258(text).unwrap();
        let (c, ec) = decode(&bytes).unwrap();
        assert_eq!(
            (ea, eb, ec),
            (Encoding::Utf8, Encoding::Utf8Bom, Encoding::Windows1258)
        );
        assert_eq!(a, text);
        assert_eq!(b, text);
        assert_eq!(c, text);
    }

    #[test]
    fn windows_1258_keeps_tone_marks_apart() {
        // "Sở tế": S, ơ (F5) + hook above (D2), space, t, ê (EA) + acute (EC).
        let bytes = [0x53, 0xF5, 0xD2, 0x20, 0x74, 0xEA, 0xEC];
        assert_eq!(encode_windows_1258("Sở tế").unwrap(), bytes);
        assert_eq!(decode(&bytes).unwrap().0, "Sở tế");
        assert_eq!(encode_windows_1258("漢"), None);
    }

    #[test]
    fn utf16_and_binary_files_are_refused() {
        assert_eq!(decode(&[0xFF, 0xFE, b'a', 0]), Err("err.csv_encoding"));
        assert_eq!(decode(&[0x80, 0, 0xFF]), Err("err.csv_encoding"));
    }
}
