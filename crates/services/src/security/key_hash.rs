//! Developer-key secrets at rest: their SHA-256, compared in constant time. A secret is 32
//! random bytes, so a fast hash is enough (nothing to guess by brute force); the comparison
//! does not stop at the first differing byte, so its timing says nothing about the hash.

use ring::digest::{SHA256, digest};

/// SHA-256 of `secret`'s UTF-8 bytes.
pub fn hash(secret: &str) -> Vec<u8> {
    digest(&SHA256, secret.as_bytes()).as_ref().to_vec()
}

/// Whether `secret` hashes to `stored`, in time that depends only on the lengths.
pub fn matches(secret: &str, stored: &[u8]) -> bool {
    constant_time_eq(&hash(secret), stored)
}

/// Whether `a` and `b` are equal, looking at every byte whatever the first difference.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let difference = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(difference) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_slices_compare_equal_and_any_difference_does_not() {
        assert!(constant_time_eq(b"", b""));
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"xbc"));
        assert!(!constant_time_eq(b"abc", b"ab"));
        assert!(!constant_time_eq(b"ab", b"abc"));
        // Differences that cancel out under a sum do not under the OR of XORs.
        assert!(!constant_time_eq(&[1, 2], &[2, 1]));
        assert!(!constant_time_eq(&[0x80, 0x80], &[0, 0]));
    }

    #[test]
    fn a_secret_matches_its_hash_only() {
        let stored = hash("s3cret");
        assert_eq!(stored.len(), 32);
        assert!(matches("s3cret", &stored));
        assert!(!matches("s3cret ", &stored));
        assert!(!matches("S3cret", &stored));
        assert!(!matches("", &stored));
        assert!(!matches("s3cret", &stored[..31]));
    }

    #[test]
    fn the_hash_is_sha256() {
        let hex: String = hash("abc").iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
