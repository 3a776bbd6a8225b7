//! Incoming Shoptet webhooks: signature check (`Shoptet-Webhook-Signature`).

use hmac::{Hmac, Mac};
use sha1::Sha1;

pub use super::models::WebhookEvent;

/// Header carrying the lowercase hex HMAC-SHA1 of the raw body.
pub const SIGNATURE_HEADER: &str = "Shoptet-Webhook-Signature";

/// Whether `signature_header` is the HMAC-SHA1 (hex) of `body` under `key`. Constant-time.
pub fn verify_signature(key: &[u8], body: &[u8], signature_header: &str) -> bool {
    let Some(expected) = decode_hex(signature_header.trim()) else { return false };
    let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(key) else { return false };
    mac.update(body);
    mac.verify_slice(&expected).is_ok()
}

/// The signature Shoptet would send for `body` (for simulators and tests).
pub fn sign(key: &[u8], body: &[u8]) -> String {
    let mut mac = match Hmac::<Sha1>::new_from_slice(key) {
        Ok(m) => m,
        Err(_) => return String::new(),
    };
    mac.update(body);
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

fn decode_hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) || !s.is_ascii() {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok()).collect()
}

/// Parses a webhook body (after the signature has been checked).
pub fn parse_event(body: &[u8]) -> Result<WebhookEvent, serde_json::Error> {
    serde_json::from_slice(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"61d1175f54c47dd67df14c17002a17b2";
    const BODY: &[u8] = br#"{"eshopId":315185,"event":"addon:uninstall","eventCreated":"2019-09-23T22:01:36+0200","eventInstance":"315185"}"#;

    #[test]
    fn accepts_the_sdk_test_vector() {
        assert!(verify_signature(KEY, BODY, "a0e0a3e7689bd4c80e4d6ffcccb05235b864e1d0"));
        assert!(verify_signature(KEY, BODY, "A0E0A3E7689BD4C80E4D6FFCCCB05235B864E1D0"));
        assert_eq!(sign(KEY, BODY), "a0e0a3e7689bd4c80e4d6ffcccb05235b864e1d0");
        assert_eq!(parse_event(BODY).unwrap().eshop_id, 315185);
    }

    #[test]
    fn rejects_tampered_bodies_wrong_keys_and_garbage() {
        assert!(!verify_signature(KEY, b"{}", "a0e0a3e7689bd4c80e4d6ffcccb05235b864e1d0"));
        assert!(!verify_signature(b"other", BODY, "a0e0a3e7689bd4c80e4d6ffcccb05235b864e1d0"));
        assert!(!verify_signature(KEY, BODY, "sha1=a0e0a3e7"));
        assert!(!verify_signature(KEY, BODY, ""));
        assert!(!verify_signature(KEY, BODY, "žž"));
    }
}
