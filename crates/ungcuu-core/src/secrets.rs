//! Random tokens and their hashes.

use base64::Engine;
use sha2::{Digest, Sha256};

/// A URL-safe token of 256 random bits from the operating system's CSPRNG.
pub fn token() -> String {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).expect("the operating system's random source failed");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

/// SHA-256 of a token, hex. Tokens are long and random, so a fast hash is enough.
pub fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Compares two strings in time independent of where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_carry_256_bits_and_differ() {
        let a = token();
        assert_eq!(a.len(), 43);
        assert_ne!(a, token());
        assert!(constant_time_eq(&a, &a.clone()));
        assert!(!constant_time_eq(&a, &token()));
    }
}

/// Encrypts a small secret (a TOTP seed) with XChaCha20-Poly1305 under `key`; the random nonce
/// is stored in front of the ciphertext, all hex.
pub fn seal(key: &[u8; 32], plaintext: &[u8]) -> String {
    use chacha20poly1305::aead::{Aead, KeyInit};
    let cipher = chacha20poly1305::XChaCha20Poly1305::new(&(*key).into());
    let mut nonce = [0u8; 24];
    getrandom::fill(&mut nonce).expect("the operating system's random source failed");
    let ct = cipher
        .encrypt(&nonce.into(), plaintext)
        .expect("encrypting a short secret cannot fail");
    format!("{}{}", hex::encode(nonce), hex::encode(ct))
}

/// Decrypts what [`seal`] produced; `None` when it was altered or the key differs.
pub fn open(key: &[u8; 32], sealed: &str) -> Option<Vec<u8>> {
    use chacha20poly1305::aead::{Aead, KeyInit};
    let bytes = hex::decode(sealed).ok()?;
    if bytes.len() < 24 + 16 {
        return None;
    }
    let (nonce, ct) = bytes.split_at(24);
    let nonce: [u8; 24] = nonce.try_into().ok()?;
    let cipher = chacha20poly1305::XChaCha20Poly1305::new(&(*key).into());
    cipher.decrypt(&nonce.into(), ct).ok()
}

#[cfg(test)]
mod seal_tests {
    use super::*;

    #[test]
    fn sealed_secrets_open_with_the_same_key_only_and_detect_tampering() {
        let key = [7u8; 32];
        let s = seal(&key, b"twenty byte secret!!");
        assert_eq!(open(&key, &s).unwrap(), b"twenty byte secret!!");
        assert!(open(&[8u8; 32], &s).is_none());
        let mut t = s.clone().into_bytes();
        let last = t.len() - 1;
        t[last] = if t[last] == b'0' { b'1' } else { b'0' };
        assert!(open(&key, &String::from_utf8(t).unwrap()).is_none());
        assert_ne!(seal(&key, b"x"), seal(&key, b"x"), "fresh nonce every time");
    }
}
