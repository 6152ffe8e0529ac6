//! Field-level validation errors, named after the input field they concern.

use std::collections::BTreeMap;

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

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// `Ok(value)` when nothing was recorded, else these errors.
    pub fn into_result<T>(self, value: impl FnOnce() -> T) -> Result<T, Self> {
        if self.is_empty() { Ok(value()) } else { Err(self) }
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
    fn uuids_are_parsed_or_named() {
        let mut errors = FieldErrors::new();
        assert!(errors.uuid("id", "6f1d6a7e-6a59-4c25-9d1e-3b0a6c1e0a01").is_some());
        assert!(errors.is_empty());
        assert_eq!(errors.uuid("accountId", "nope"), None);
        assert_eq!(errors.fields()["accountId"], ["must be a UUID"]);
    }
}
