//! Field-level validation errors, named after the input field they concern, and the rule every
//! text input meets first: no NUL, and a bounded length.

use std::collections::BTreeMap;

/// Why a text input was refused before any rule of its own was applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    /// It holds a NUL character, which no text column accepts on every backend.
    #[error("must not contain NUL characters")]
    Nul,
    /// More characters than the field allows.
    #[error("must be at most {0} characters")]
    TooLong(usize),
}

/// `raw` unchanged when it has no NUL and at most `max_chars` characters. The length is checked
/// on the bytes first, so an oversized input is refused without being walked.
pub fn text(raw: &str, max_chars: usize) -> Result<&str, TextError> {
    if raw.len() > max_chars.saturating_mul(4) || raw.chars().count() > max_chars {
        return Err(TextError::TooLong(max_chars));
    }
    if raw.contains('\0') {
        return Err(TextError::Nul);
    }
    Ok(raw)
}

/// Problems with input, keyed by the (camelCase) field name they concern.
#[derive(Debug, Clone, Default, PartialEq, Eq, thiserror::Error)]
#[error("invalid input: {}", self.summary())]
pub struct FieldErrors {
    fields: BTreeMap<String, Vec<String>>,
}

impl FieldErrors {
    /// No errors yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// One error for one field.
    pub fn single(field: impl Into<String>, message: impl Into<String>) -> Self {
        let mut errors = Self::new();
        errors.add(field, message);
        errors
    }

    /// Records a problem with `field`.
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.fields.entry(field.into()).or_default().push(message.into());
    }

    /// Adds `other`'s problems to these.
    pub fn merge(&mut self, other: FieldErrors) {
        for (field, messages) in other.fields {
            self.fields.entry(field).or_default().extend(messages);
        }
    }

    /// Keeps the value of `result`, or records its error under `field`.
    pub fn check<T, E: std::fmt::Display>(&mut self, field: &str, result: Result<T, E>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.add(field, error.to_string());
                None
            }
        }
    }

    /// `text` as a UUID, or `None` with "must be a UUID" recorded under `field`.
    pub fn uuid(&mut self, field: &str, text: &str) -> Option<uuid::Uuid> {
        self.check(field, uuid::Uuid::parse_str(text).map_err(|_| "must be a UUID"))
    }

    /// `raw` when it passes [`text`], or `None` with the reason recorded under `field`.
    pub fn text<'a>(&mut self, field: &str, raw: &'a str, max_chars: usize) -> Option<&'a str> {
        self.check(field, text(raw, max_chars))
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// `Ok(value)` when nothing was recorded, else these errors.
    pub fn into_result<T>(self, value: impl FnOnce() -> T) -> Result<T, Self> {
        if self.is_empty() { Ok(value()) } else { Err(self) }
    }

    /// The same errors with each field's name under `prefix` (`scenario` + `name` is
    /// `scenario.name`; `scenario` + `accounts[0].ref` is `scenario.accounts[0].ref`).
    pub fn under(self, prefix: &str) -> Self {
        let fields = self.fields.into_iter().map(|(field, messages)| (format!("{prefix}.{field}"), messages)).collect();
        Self { fields }
    }

    /// The errors by field.
    pub fn fields(&self) -> &BTreeMap<String, Vec<String>> {
        &self.fields
    }

    fn summary(&self) -> String {
        self.fields
            .iter()
            .map(|(field, messages)| format!("{field}: {}", messages.join(", ")))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_messages_per_field() {
        let mut errors = FieldErrors::new();
        assert!(errors.is_empty());
        errors.add("email", "is required");
        errors.add("email", "is too long");
        errors.add("password", "is too short");
        assert_eq!(errors.fields()["email"].len(), 2);
        assert_eq!(errors.to_string(), "invalid input: email: is required, is too long; password: is too short");
        assert!(errors.into_result(|| ()).is_err());
    }

    #[test]
    fn text_refuses_nul_and_overlong_input() {
        assert_eq!(text("ada", 3), Ok("ada"));
        assert_eq!(text("ünï", 3), Ok("ünï"));
        assert_eq!(text("a\0b", 10), Err(TextError::Nul));
        assert_eq!(text("abcd", 3), Err(TextError::TooLong(3)));
        assert_eq!(text(&"x".repeat(3000), 254), Err(TextError::TooLong(254)));
        let mut errors = FieldErrors::new();
        assert_eq!(errors.text("name", "a\0", 100), None);
        assert_eq!(errors.fields()["name"], ["must not contain NUL characters"]);
    }

    #[test]
    fn uuids_are_parsed_or_named() {
        let mut errors = FieldErrors::new();
        assert!(errors.uuid("id", "6f1d6a7e-6a59-4c25-9d1e-3b0a6c1e0a01").is_some());
        assert!(errors.is_empty());
        assert_eq!(errors.uuid("accountId", "nope"), None);
        assert_eq!(errors.fields()["accountId"], ["must be a UUID"]);
    }
}
