//! The personal link that lets a registrant see, change or cancel their registration
//! without an account.
//!
//! The link is `/r/<public ref>.<mac>`: the mac is an HMAC-SHA256 of the reference and the
//! registration's link version under the server's secret. Nothing secret is stored per
//! registration, every email can carry the same link, and bumping the version revokes all
//! the links sent so far.

use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::model::RegistrationRow;

type HmacSha256 = Hmac<Sha256>;

fn mac(secret: &[u8], public_ref: &str, version: i32) -> String {
    let mut m = HmacSha256::new_from_slice(secret).expect("HMAC takes keys of any length");
    m.update(b"manage|");
    m.update(public_ref.as_bytes());
    m.update(b"|");
    m.update(version.to_string().as_bytes());
    // 128 bits are plenty against guessing and keep the link short.
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&m.finalize().into_bytes()[..16])
}

/// The token part of a registration's manage link.
pub fn token(secret: &[u8], reg: &RegistrationRow) -> String {
    format!(
        "{}.{}",
        reg.public_ref,
        mac(secret, &reg.public_ref, reg.manage_version)
    )
}

/// The manage path for a registration.
pub fn path(secret: &[u8], reg: &RegistrationRow) -> String {
    format!("/r/{}", token(secret, reg))
}

/// Splits a token into its public reference, if it has the right shape.
pub fn public_ref(token: &str) -> Option<&str> {
    let (r, m) = token.split_once('.')?;
    (r.len() == 24 && r.bytes().all(|b| b.is_ascii_hexdigit()) && m.len() == 22).then_some(r)
}

/// Whether the token is the current one for this registration (constant time).
pub fn check(secret: &[u8], reg: &RegistrationRow, token: &str) -> bool {
    use subtle::ConstantTimeEq;
    let expected = self::token(secret, reg);
    expected.as_bytes().ct_eq(token.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn macs_depend_on_secret_reference_and_version() {
        let a = mac(b"k1", "00aa", 1);
        assert_eq!(a.len(), 22);
        assert_eq!(a, mac(b"k1", "00aa", 1));
        assert_ne!(a, mac(b"k2", "00aa", 1));
        assert_ne!(a, mac(b"k1", "00ab", 1));
        assert_ne!(a, mac(b"k1", "00aa", 2));
    }

    #[test]
    fn tokens_have_a_checked_shape() {
        let r = "0123456789abcdef01234567";
        let t = format!("{r}.{}", mac(b"k", r, 1));
        assert_eq!(public_ref(&t), Some(r));
        assert_eq!(public_ref("nope"), None);
        assert_eq!(public_ref(&format!("{r}.short")), None);
    }
}
