//! Provider access tokens at rest: AES-256-GCM (ring) with a random 96-bit nonce per token,
//! stored as `nonce ‖ ciphertext ‖ tag`. The key is derived from `SANDBANK_SECRET`.

use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::rand::{SecureRandom, SystemRandom};

use crate::error::ServiceError;

/// Seals and opens access tokens.
pub struct TokenVault {
    key: LessSafeKey,
    random: SystemRandom,
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
        let unbound =
            UnboundKey::new(&AES_256_GCM, key).map_err(|_| ServiceError::Internal("bad sealing key".into()))?;
        Ok(Self { key: LessSafeKey::new(unbound), random: SystemRandom::new() })
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

    /// Opens a token sealed for `owner`; a tampered or foreign value is an error.
    pub fn open(&self, sealed: &[u8], owner: &str) -> Result<String, ServiceError> {
        if sealed.len() < NONCE_LEN {
            return Err(ServiceError::Internal("sealed token too short".into()));
        }
        let (nonce, ciphertext) = sealed.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| ServiceError::Internal("bad nonce".into()))?;
        let mut buffer = ciphertext.to_vec();
        let plain = self
            .key
            .open_in_place(nonce, Aad::from(Self::aad(owner)), &mut buffer)
            .map_err(|_| ServiceError::Internal("sealed token does not open".into()))?;
        String::from_utf8(plain.to_vec()).map_err(|_| ServiceError::Internal("sealed token is not text".into()))
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
        assert_eq!(vault.open(&a, "conn-1").expect("open"), "access-sandbox-secret");
        assert!(vault.open(&a, "conn-2").is_err());
        let mut tampered = a.clone();
        tampered[20] ^= 1;
        assert!(vault.open(&tampered, "conn-1").is_err());
        assert!(TokenVault::new(&[8; 32]).expect("vault").open(&a, "conn-1").is_err());
    }
}
