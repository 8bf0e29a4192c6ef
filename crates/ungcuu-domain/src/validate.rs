//! Field validation shared by the API and the forms. Each failure names its field.

use serde::Serialize;

/// One invalid field with a message key the web layer translates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field name as the form or JSON body spells it.
    pub field: String,
    /// A translation key such as `err.required`.
    pub code: &'static str,
    /// What the message is about when the field holds several things (the name of the one
    /// organisation refused among those chosen), shown after the message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
}

impl FieldError {
    /// Builds an error for `field`.
    pub fn new(field: &str, code: &'static str) -> Self {
        Self {
            field: field.to_string(),
            code,
            subject: None,
        }
    }

    /// Builds an error for `field` about one of the things it holds, named by `subject`.
    pub fn about(field: &str, code: &'static str, subject: impl Into<String>) -> Self {
        Self {
            subject: Some(subject.into()),
            ..Self::new(field, code)
        }
    }
}

/// Collects field errors while a request is checked.
#[derive(Debug, Default)]
pub struct Errors(pub Vec<FieldError>);

impl Errors {
    /// Adds an error.
    pub fn add(&mut self, field: &str, code: &'static str) {
        self.0.push(FieldError::new(field, code));
    }
    /// True when nothing failed.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// Ok when empty, otherwise the errors.
    pub fn into_result(self) -> Result<(), Vec<FieldError>> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0)
        }
    }

    /// A required, length-limited text field; returns the NFC-normalised value.
    pub fn text(&mut self, field: &str, value: &str, max_chars: usize) -> String {
        let v = crate::text::nfc(value);
        if v.is_empty() {
            self.add(field, "err.required");
        } else if v.chars().count() > max_chars {
            self.add(field, "err.too_long");
        } else if v
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
        {
            self.add(field, "err.control_chars");
        }
        v
    }

    /// A slug: lower-case ASCII letters, digits and dashes, 2-64 long.
    pub fn slug(&mut self, field: &str, value: &str) -> String {
        let v = value.trim().to_string();
        let ok = (2..=64).contains(&v.len())
            && v.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !v.starts_with('-')
            && !v.ends_with('-');
        if !ok {
            self.add(field, "err.slug");
        }
        v
    }

    /// An e-mail address, lower-cased. Deliberately simple: one @, a dot in the domain, no spaces.
    pub fn email(&mut self, field: &str, value: &str) -> String {
        let v = value.trim().to_lowercase();
        let ok = v.len() <= 254
            && v.split_once('@').is_some_and(|(l, d)| {
                !l.is_empty()
                    && d.contains('.')
                    && !d.starts_with('.')
                    && !d.ends_with('.')
                    && !d.contains('@')
            })
            && !v
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>');
        if !ok {
            self.add(field, "err.email");
        }
        v
    }

    /// A new password: 10 to 256 characters.
    pub fn password(&mut self, field: &str, value: &str) {
        let n = value.chars().count();
        if n < 10 {
            self.add(field, "err.password_short");
        } else if n > 256 {
            self.add(field, "err.too_long");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_check_names_its_field() {
        let mut e = Errors::default();
        e.text("name", "   ", 10);
        e.slug("slug", "Bad Slug");
        e.email("email", "no-at-sign");
        e.password("password", "short");
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["name", "slug", "email", "password"]);
    }

    #[test]
    fn good_values_pass_and_are_normalised() {
        let mut e = Errors::default();
        assert_eq!(e.email("email", " A.B@Example.VN "), "a.b@example.vn");
        assert_eq!(e.slug("slug", "so-tttt"), "so-tttt");
        assert_eq!(e.text("name", " Sở TT&TT ", 100), "Sở TT&TT");
        assert!(e.is_empty());
    }
}
