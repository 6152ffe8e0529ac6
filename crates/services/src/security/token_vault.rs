//! Provider access tokens at rest: AES-256-GCM (ring) with a random 96-bit nonce per token,
//! stored as `nonce ‖ ciphertext ‖ tag`. The key is derived from `SANDBANK_SECRET`; keys of
//! earlier secrets (`SANDBANK_SECRET_PREVIOUS`) still open what they sealed, so a rotation
//! strands nothing: such a token is re-sealed with the current key on use.

use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::rand::{SecureRandom, SystemRandom};

use crate::error::ServiceError;

/// Seals and opens access tokens.
pub struct TokenVault {
    key: LessSafeKey,
    previous: Vec<LessSafeKey>,
    random: SystemRandom,
}

/// An opened token, and its re-sealing under the current key when an earlier key sealed it.
#[derive(Debug)]
pub struct Opened {
    /// The token in plain text (keep it in memory only).
    pub token: String,
    /// The token sealed with the current key, to store in place of the old value.
    pub resealed: Option<Vec<u8>>,
}

impl std::fmt::Debug for TokenVault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenVault(***)")
    }
}

/// What a sealed token is bound to, so a sealed value cannot be moved to another connection.
const AAD_PREFIX: &[u8] = b"sandbank/provider-token/";

impl TokenVault {
    /// A vault with this 256-bit key.
    pub fn new(key: &[u8; 32]) -> Result<Self, ServiceError> {
        Self::with_previous(key, &[])
    }

    /// A vault that seals with `key` and also opens what the `previous` keys sealed.
    pub fn with_previous(key: &[u8; 32], previous: &[[u8; 32]]) -> Result<Self, ServiceError> {
        let aead = |key: &[u8; 32]| {
            UnboundKey::new(&AES_256_GCM, key)
                .map(LessSafeKey::new)
                .map_err(|_| ServiceError::Internal("bad sealing key".into()))
        };
        let previous = previous.iter().map(aead).collect::<Result<_, _>>()?;
        Ok(Self { key: aead(key)?, previous, random: SystemRandom::new() })
    }

    fn aad(owner: &str) -> Vec<u8> {
        [AAD_PREFIX, owner.as_bytes()].concat()
    }

    /// Seals `token` for `owner` (a connection id).
    pub fn seal(&self, token: &str, owner: &str) -> Result<Vec<u8>, ServiceError> {
        let mut nonce = [0u8; NONCE_LEN];
        self.random.fill(&mut nonce).map_err(|_| ServiceError::Internal("no system randomness".into()))?;
        let mut sealed = token.as_bytes().to_vec();
        self.key
            .seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::from(Self::aad(owner)), &mut sealed)
            .map_err(|_| ServiceError::Internal("token sealing failed".into()))?;
        Ok([nonce.as_slice(), &sealed].concat())
    }

    /// Opens a token sealed for `owner` with the current key or an earlier one; a tampered or
    /// foreign value, or one no key opens, is an error.
    pub fn open(&self, sealed: &[u8], owner: &str) -> Result<Opened, ServiceError> {
        if let Some(token) = Self::open_with(&self.key, sealed, owner) {
            return Ok(Opened { token: token?, resealed: None });
        }
        for key in &self.previous {
            if let Some(token) = Self::open_with(key, sealed, owner) {
                let token = token?;
                let resealed = Some(self.seal(&token, owner)?);
                return Ok(Opened { token, resealed });
            }
        }
        Err(ServiceError::Internal("sealed token does not open with any configured secret".into()))
    }

    /// `None` when `key` does not open `sealed`.
    fn open_with(key: &LessSafeKey, sealed: &[u8], owner: &str) -> Option<Result<String, ServiceError>> {
        let (nonce, ciphertext) = sealed.split_at_checked(NONCE_LEN)?;
        let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
        let mut buffer = ciphertext.to_vec();
        let plain = key.open_in_place(nonce, Aad::from(Self::aad(owner)), &mut buffer).ok()?;
        Some(String::from_utf8(plain.to_vec()).map_err(|_| ServiceError::Internal("sealed token is not text".into())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seals_with_fresh_nonces_and_opens_only_for_its_owner() {
        let vault = TokenVault::new(&[7; 32]).expect("vault");
        let a = vault.seal("access-sandbox-secret", "conn-1").expect("seal");
        let b = vault.seal("access-sandbox-secret", "conn-1").expect("seal");
        assert_ne!(a, b, "random nonce");
        assert!(!a.windows(6).any(|w| w == b"access"), "no plaintext");
        assert_eq!(vault.open(&a, "conn-1").expect("open").token, "access-sandbox-secret");
        assert!(vault.open(&a, "conn-2").is_err());
        let mut tampered = a.clone();
        tampered[20] ^= 1;
        assert!(vault.open(&tampered, "conn-1").is_err());
        assert!(TokenVault::new(&[8; 32]).expect("vault").open(&a, "conn-1").is_err());
        assert!(vault.open(&a[..5], "conn-1").is_err());
    }

    #[test]
    fn a_rotated_vault_opens_old_tokens_and_reseals_them() {
        let old = TokenVault::new(&[7; 32]).expect("vault");
        let sealed = old.seal("access-sandbox-secret", "conn-1").expect("seal");
        let rotated = TokenVault::with_previous(&[9; 32], &[[7; 32]]).expect("vault");
        let opened = rotated.open(&sealed, "conn-1").expect("opens with the previous key");
        assert_eq!(opened.token, "access-sandbox-secret");
        let resealed = opened.resealed.expect("re-sealed");
        let current_only = TokenVault::new(&[9; 32]).expect("vault");
        assert_eq!(current_only.open(&resealed, "conn-1").expect("current key").token, "access-sandbox-secret");
        assert!(current_only.open(&sealed, "conn-1").is_err());
    }
}
