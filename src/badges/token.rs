//! The token a badge's QR code holds.
//!
//! `RC1` then, in base32 (upper case letters and digits 2–7, so that a handheld scanner typing
//! on any keyboard layout sends it unchanged and the QR code uses its compact alphanumeric
//! mode), 82 bytes:
//!
//! | bytes | what                                                             |
//! |-------|------------------------------------------------------------------|
//! | 4     | key id: the first bytes of SHA-256 of the edition's public key   |
//! | 12    | the registration's random public reference                       |
//! | 2     | badge version, big-endian; re-issuing a badge bumps it           |
//! | 64    | Ed25519 signature of `rencontres-badge-v1` followed by the 18 bytes above |
//!
//! No name, no email, no sequential number: a photographed badge tells nothing, and a desk
//! holding only the public key can tell a real badge from a forged one.

use data_encoding::BASE32_NOPAD;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use sha2::{Digest, Sha256};

pub const PREFIX: &str = "RC1";
const CONTEXT: &[u8] = b"rencontres-badge-v1";
const PAYLOAD: usize = 18;
const LEN: usize = PAYLOAD + 64;

/// What a badge token says once decoded (its signature not yet checked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claims {
    pub key_id: [u8; 4],
    pub public_ref: [u8; 12],
    pub version: u16,
}

/// A decoded token: its claims, and what was signed with the signature.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub claims: Claims,
    signed: [u8; PAYLOAD],
    signature: Signature,
}

/// An edition's badge key pair, as stored (base64url of the 32-byte seed and public key).
pub struct KeyPair {
    pub key_id: String,
    pub public_key: String,
    pub secret_key: String,
}

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
}

/// The first four bytes of SHA-256 of the public key name the key.
pub fn key_id(public: &VerifyingKey) -> [u8; 4] {
    let d = Sha256::digest(public.as_bytes());
    [d[0], d[1], d[2], d[3]]
}

pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    }
    out
}

pub fn unhex<const N: usize>(s: &str) -> Option<[u8; N]> {
    if s.len() != N * 2 || !s.is_ascii() {
        return None;
    }
    let mut out = [0u8; N];
    for (i, o) in out.iter_mut().enumerate() {
        *o = u8::from_str_radix(&s[i * 2..i * 2 + 2], 16).ok()?;
    }
    Some(out)
}

/// A new key pair from the operating system's randomness.
pub fn generate() -> KeyPair {
    use base64::Engine;
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).expect("the operating system provides randomness");
    let signing = SigningKey::from_bytes(&seed);
    let public = signing.verifying_key();
    KeyPair {
        key_id: hex(&key_id(&public)),
        public_key: b64().encode(public.as_bytes()),
        secret_key: b64().encode(seed),
    }
}

pub fn signing_key(secret: &str) -> Option<SigningKey> {
    use base64::Engine;
    let seed: [u8; 32] = b64().decode(secret).ok()?.try_into().ok()?;
    Some(SigningKey::from_bytes(&seed))
}

pub fn verifying_key(public: &str) -> Option<VerifyingKey> {
    use base64::Engine;
    let bytes: [u8; 32] = b64().decode(public).ok()?.try_into().ok()?;
    VerifyingKey::from_bytes(&bytes).ok()
}

fn message(signed: &[u8; PAYLOAD]) -> Vec<u8> {
    let mut m = Vec::with_capacity(CONTEXT.len() + PAYLOAD);
    m.extend_from_slice(CONTEXT);
    m.extend_from_slice(signed);
    m
}

/// Signs a badge token.
pub fn sign(key: &SigningKey, public_ref: [u8; 12], version: u16) -> String {
    let mut payload = [0u8; PAYLOAD];
    payload[..4].copy_from_slice(&key_id(&key.verifying_key()));
    payload[4..16].copy_from_slice(&public_ref);
    payload[16..].copy_from_slice(&version.to_be_bytes());
    let signature = key.sign(&message(&payload));
    let mut all = Vec::with_capacity(LEN);
    all.extend_from_slice(&payload);
    all.extend_from_slice(&signature.to_bytes());
    format!("{PREFIX}{}", BASE32_NOPAD.encode(&all))
}

/// Reads a token as a scanner typed it (surrounding spaces and a lower-case keyboard are
/// forgiven). `None` when it is not a badge token of this format at all.
pub fn decode(token: &str) -> Option<Decoded> {
    let token = token.trim().to_ascii_uppercase();
    let body = token.strip_prefix(PREFIX)?;
    let bytes = BASE32_NOPAD.decode(body.as_bytes()).ok()?;
    if bytes.len() != LEN {
        return None;
    }
    let signed: [u8; PAYLOAD] = bytes[..PAYLOAD].try_into().ok()?;
    let signature = Signature::from_slice(&bytes[PAYLOAD..]).ok()?;
    Some(Decoded {
        claims: Claims {
            key_id: signed[..4].try_into().ok()?,
            public_ref: signed[4..16].try_into().ok()?,
            version: u16::from_be_bytes([signed[16], signed[17]]),
        },
        signed,
        signature,
    })
}

impl Decoded {
    /// Whether the edition's key signed exactly these claims.
    pub fn verify(&self, key: &VerifyingKey) -> bool {
        key.verify(&message(&self.signed), &self.signature).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_token_round_trips_and_verifies() {
        let pair = generate();
        let key = signing_key(&pair.secret_key).unwrap();
        let public = verifying_key(&pair.public_key).unwrap();
        let token = sign(&key, [7; 12], 3);
        assert!(token.starts_with("RC1"));
        assert!(token
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()));
        let d = decode(&token).unwrap();
        assert_eq!(d.claims.public_ref, [7; 12]);
        assert_eq!(d.claims.version, 3);
        assert_eq!(hex(&d.claims.key_id), pair.key_id);
        assert!(d.verify(&public));
        // A scanner on a keyboard without caps lock.
        assert!(decode(&format!(" {} ", token.to_lowercase()))
            .unwrap()
            .verify(&public));
    }

    #[test]
    fn an_altered_token_fails_verification() {
        let pair = generate();
        let key = signing_key(&pair.secret_key).unwrap();
        let public = verifying_key(&pair.public_key).unwrap();
        let token = sign(&key, [1; 12], 1);
        // Bump the version by re-encoding the payload with the original signature.
        let mut bytes = BASE32_NOPAD.decode(&token.as_bytes()[3..]).unwrap();
        bytes[17] = 2;
        let altered = format!("RC1{}", BASE32_NOPAD.encode(&bytes));
        let d = decode(&altered).unwrap();
        assert_eq!(d.claims.version, 2);
        assert!(!d.verify(&public));
        // Another edition's key does not vouch for this badge.
        let other = verifying_key(&generate().public_key).unwrap();
        assert!(!decode(&token).unwrap().verify(&other));
    }

    #[test]
    fn garbage_is_not_a_token() {
        assert!(decode("").is_none());
        assert!(decode("RC1").is_none());
        assert!(decode("RC1AAAA").is_none());
        assert!(decode("hello world").is_none());
    }

    #[test]
    fn hex_round_trips() {
        assert_eq!(unhex::<2>(&hex(&[0xab, 0x01])), Some([0xab, 0x01]));
        assert_eq!(unhex::<2>("zz01"), None);
        assert_eq!(unhex::<2>("abc"), None);
    }
}
