//! Password hashing with argon2id (the crate's default parameters).

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use sandbank_domain::user::Password;

use crate::error::ServiceError;

/// The PHC string of `password`, with a fresh random salt.
pub fn hash(password: &Password) -> Result<String, ServiceError> {
    Argon2::default()
        .hash_password(password.expose().as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| ServiceError::Internal(format!("password hashing failed: {e}")))
}

/// Whether `candidate` matches the stored PHC string.
pub fn verify(candidate: &str, stored_hash: &str) -> bool {
    Argon2::default().verify_password(candidate.as_bytes(), stored_hash).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_with_argon2id_and_verifies() {
        let password = Password::parse("correct horse").expect("valid");
        let stored = hash(&password).expect("hash");
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("correct horse", &stored));
        assert!(!verify("wrong horse!", &stored));
        assert_ne!(stored, hash(&password).expect("hash"), "salted");
    }
}
