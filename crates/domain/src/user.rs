//! Users and the rules their sign-up input must meet.

use std::fmt;

use chrono::{DateTime, Utc};

use crate::ids::UserId;
use crate::validation::{FieldErrors, TextError, text};

/// A syntactically valid e-mail address, trimmed and lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

/// Why an e-mail address was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    /// Nothing given.
    #[error("is required")]
    Missing,
    /// A NUL, or longer than [`Email::MAX_CHARS`].
    #[error(transparent)]
    Text(#[from] TextError),
    /// Not an address.
    #[error("must be a valid e-mail address")]
    Invalid,
}

impl Email {
    /// The most characters accepted.
    pub const MAX_CHARS: usize = 254;

    /// Trims, lower-cases and checks an address.
    pub fn parse(raw: &str) -> Result<Self, EmailError> {
        let email = text(raw.trim(), Self::MAX_CHARS)?.to_lowercase();
        if email.is_empty() {
            return Err(EmailError::Missing);
        }
        let (_, domain) = email.split_once('@').ok_or(EmailError::Invalid)?;
        // The RFC allows dotless domains; a sign-up address needs a real one.
        if !domain.contains('.') || !email_address::EmailAddress::is_valid(&email) {
            return Err(EmailError::Invalid);
        }
        Ok(Self(email))
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A password that meets the length rules. Its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

/// Why a password was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    /// Fewer than [`Password::MIN_CHARS`] characters.
    #[error("must be at least 8 characters")]
    TooShort,
    /// A NUL, or more than [`Password::MAX_CHARS`] characters.
    #[error(transparent)]
    Text(#[from] TextError),
}

impl Password {
    /// The fewest characters accepted.
    pub const MIN_CHARS: usize = 8;
    /// The most characters accepted.
    pub const MAX_CHARS: usize = 128;

    /// Checks a new password's length.
    pub fn parse(raw: &str) -> Result<Self, PasswordError> {
        let raw = text(raw, Self::MAX_CHARS)?;
        if raw.chars().count() < Self::MIN_CHARS {
            return Err(PasswordError::TooShort);
        }
        Ok(Self(raw.to_owned()))
    }

    /// The password, for hashing.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

/// A display name: trimmed, 1–100 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserName(String);

/// Why a name was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UserNameError {
    /// Empty after trimming.
    #[error("must not be blank")]
    Blank,
    /// A NUL, or more than [`UserName::MAX_CHARS`] characters.
    #[error(transparent)]
    Text(#[from] TextError),
}

impl UserName {
    /// The most characters accepted.
    pub const MAX_CHARS: usize = 100;

    /// Trims and checks a name.
    pub fn parse(raw: &str) -> Result<Self, UserNameError> {
        let name = text(raw.trim(), Self::MAX_CHARS)?;
        if name.is_empty() {
            return Err(UserNameError::Blank);
        }
        Ok(Self(name.to_owned()))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a new user gives at sign-up, checked.
#[derive(Debug, Clone)]
pub struct Registration {
    /// Their address.
    pub email: Email,
    /// Their password.
    pub password: Password,
    /// Their name, if given.
    pub name: Option<UserName>,
}

impl Registration {
    /// Checks every field at once, so the caller hears of all problems together.
    pub fn parse(email: Option<&str>, password: Option<&str>, name: Option<&str>) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let email = errors.check("email", Email::parse(email.unwrap_or_default()));
        let password = match password {
            None => {
                errors.add("password", "is required");
                None
            }
            Some(raw) => errors.check("password", Password::parse(raw)),
        };
        let name = match name {
            None => None,
            Some(raw) => errors.check("name", UserName::parse(raw)).map(Some).unwrap_or(None),
        };
        match (email, password) {
            (Some(email), Some(password)) if errors.is_empty() => Ok(Self { email, password, name }),
            _ => Err(errors),
        }
    }
}

/// What a user gives to sign in, checked for shape only: the address must parse and the
/// password must be plain bounded text; whether they match an account is the service's business.
#[derive(Debug, Clone)]
pub struct SignIn {
    /// The address.
    pub email: Email,
    /// The password as given (never logged: see [`SignInPassword`]).
    pub password: SignInPassword,
}

/// A password offered at sign-in: any non-empty text up to [`Password::MAX_CHARS`] characters.
#[derive(Clone, PartialEq, Eq)]
pub struct SignInPassword(String);

impl SignInPassword {
    /// The password, for verifying.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SignInPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SignInPassword(***)")
    }
}

impl SignIn {
    /// Checks both fields at once; an empty value counts as missing.
    pub fn parse(email: Option<&str>, password: Option<&str>) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let email = errors.check("email", Email::parse(email.unwrap_or_default()));
        let password = match password.filter(|p| !p.is_empty()) {
            None => {
                errors.add("password", "is required");
                None
            }
            Some(raw) => errors.text("password", raw, Password::MAX_CHARS),
        };
        match (email, password) {
            (Some(email), Some(password)) => Ok(Self { email, password: SignInPassword(password.to_owned()) }),
            _ => Err(errors),
        }
    }
}

/// A registered user, as the rest of the system sees them (never with a password hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Their id.
    pub id: UserId,
    /// Their address.
    pub email: String,
    /// Their name, if given.
    pub name: Option<String>,
    /// When they signed up.
    pub created_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_and_checks_email() {
        assert_eq!(Email::parse("  Ada@Example.COM ").map(|e| e.to_string()), Ok("ada@example.com".into()));
        assert_eq!(Email::parse(""), Err(EmailError::Missing));
        for bad in ["ada", "ada@", "@example.com", "ada@example", "a b@example.com"] {
            assert_eq!(Email::parse(bad), Err(EmailError::Invalid), "{bad}");
        }
        let too_long = Err(EmailError::Text(TextError::TooLong(254)));
        assert_eq!(Email::parse(&format!("{}@example.com", "a".repeat(250))), too_long);
        assert_eq!(Email::parse(&format!("{}@example.com", "a".repeat(3000))), too_long);
        assert_eq!(Email::parse("ada\0@example.com"), Err(EmailError::Text(TextError::Nul)));
    }

    #[test]
    fn checks_password_length_in_characters() {
        assert_eq!(Password::parse("short"), Err(PasswordError::TooShort));
        assert!(Password::parse("ünïcödé!").is_ok());
        assert_eq!(Password::parse(&"x".repeat(129)), Err(PasswordError::Text(TextError::TooLong(128))));
        assert_eq!(Password::parse("hunter22\0"), Err(PasswordError::Text(TextError::Nul)));
        assert_eq!(format!("{:?}", Password::parse("hunter22").ok()), "Some(Password(***))");
    }

    #[test]
    fn registration_reports_every_bad_field() {
        let errors = Registration::parse(Some("nope"), Some("short"), Some("  ")).expect_err("invalid");
        let fields: Vec<_> = errors.fields().keys().cloned().collect();
        assert_eq!(fields, ["email", "name", "password"]);
        let errors = Registration::parse(None, None, None).expect_err("missing");
        assert_eq!(errors.fields()["email"], ["is required"]);
        assert_eq!(errors.fields()["password"], ["is required"]);
        let ok = Registration::parse(Some("ada@example.com"), Some("correct horse"), None).expect("valid");
        assert_eq!(ok.name, None);
        let errors = Registration::parse(Some("ada@example.com"), Some("correct horse"), Some("A\0")).expect_err("nul");
        assert_eq!(errors.fields()["name"], ["must not contain NUL characters"]);
    }

    #[test]
    fn sign_in_checks_shape_before_anything_else() {
        let errors = SignIn::parse(Some("ada\0@example.com"), Some("pw\0")).expect_err("nul");
        assert_eq!(errors.fields()["email"], ["must not contain NUL characters"]);
        assert_eq!(errors.fields()["password"], ["must not contain NUL characters"]);
        let errors = SignIn::parse(Some(&"x".repeat(3000)), Some("")).expect_err("long");
        assert_eq!(errors.fields()["email"], ["must be at most 254 characters"]);
        assert_eq!(errors.fields()["password"], ["is required"]);
        let ok = SignIn::parse(Some(" Ada@Example.com"), Some("short")).expect("valid shape");
        assert_eq!((ok.email.as_str(), ok.password.expose()), ("ada@example.com", "short"));
    }
}
