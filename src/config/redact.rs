//! Removes credentials from text before it is stored or logged.
//!
//! Two kinds of credential are found: the secrets of the configuration (registered when a
//! configuration is loaded or saved, see [`register_config`]), and anything that looks like an
//! authorization value whatever its origin — the token after `Basic` / `Bearer`, and the value
//! after an `Authorization`, `Shoptet-Private-API-Token` or `Shoptet-Access-Token` header name.
//! An API that echoes a credential in an error body thus never puts it into `sync.db` or a log.

use std::borrow::Cow;
use std::sync::RwLock;

use base64::Engine as _;
use secrecy::ExposeSecret;

use super::Config;

/// What a removed credential is replaced with.
pub const REDACTED: &str = "[redacted]";

/// Secrets shorter than this are not searched for: they would match ordinary words. Real
/// API tokens and keys are far longer.
pub const MIN_SECRET_LEN: usize = 8;

/// The registered secrets, longest first (so a secret containing another is removed whole).
static SECRETS: RwLock<Vec<String>> = RwLock::new(Vec::new());

/// Header names whose value is a credential; matched case-insensitively and followed by
/// `:` or `=` (possibly quoted, as in a JSON echo of the request headers).
const CREDENTIAL_HEADERS: [&str; 5] = [
    "authorization",
    "proxy-authorization",
    "shoptet-private-api-token",
    "shoptet-access-token",
    "x-api-key",
];

/// Authorization schemes whose following token is a credential.
const SCHEMES: [&str; 2] = ["basic", "bearer"];

/// Adds `secret` to the process-wide list of strings never stored or logged. Empty and very
/// short values (under [`MIN_SECRET_LEN`] characters) are ignored.
pub fn register_secret(secret: &str) {
    let secret = secret.trim();
    if secret.chars().count() < MIN_SECRET_LEN {
        return;
    }
    let mut list = SECRETS.write().unwrap_or_else(|e| e.into_inner());
    if !list.iter().any(|s| s == secret) {
        list.push(secret.to_owned());
        list.sort_by_key(|s| std::cmp::Reverse(s.len()));
    }
}

/// Registers every secret of `config`: the Shoptet token, the RAYNET API key (and the Basic
/// credential built from it), the webhook signature key, the alert webhook's URL.
pub fn register_config(config: &Config) {
    let token = config.shoptet.api_token.expose_secret();
    let key = config.raynet.api_key.expose_secret();
    register_secret(token);
    register_secret(key);
    if !key.trim().is_empty() {
        let basic =
            base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", config.raynet.username, key));
        register_secret(&basic);
    }
    if let Some(sig) = &config.webhook.signature_key {
        register_secret(sig.expose_secret());
    }
    if let Some(url) = &config.alerts.webhook_url {
        register_secret(url.expose_secret());
    }
}

/// `text` with every registered secret and every authorization-looking value replaced by
/// [`REDACTED`]. Borrows when there is nothing to remove.
pub fn redact(text: &str) -> Cow<'_, str> {
    let secrets = SECRETS.read().unwrap_or_else(|e| e.into_inner());
    let mut out = Cow::Borrowed(text);
    for s in secrets.iter() {
        if out.contains(s.as_str()) {
            out = Cow::Owned(out.replace(s.as_str(), REDACTED));
        }
    }
    match redact_patterns(&out) {
        Some(cleaned) => Cow::Owned(cleaned),
        None => out,
    }
}

/// `redact` for optional text.
pub fn redact_opt(text: Option<&str>) -> Option<String> {
    text.map(|t| redact(t).into_owned())
}

/// Replaces header values and scheme tokens; `None` when nothing matched.
fn redact_patterns(text: &str) -> Option<String> {
    // Matching on the ASCII-lowercased text keeps byte offsets identical to `text`.
    let lower = text.to_ascii_lowercase();
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    for name in CREDENTIAL_HEADERS {
        for (at, _) in lower.match_indices(name) {
            if !word_start(&lower, at) {
                continue;
            }
            if let Some(value) = header_value(text, at + name.len()) {
                cuts.push(value);
            }
        }
    }
    for scheme in SCHEMES {
        for (at, _) in lower.match_indices(scheme) {
            if !word_start(&lower, at) {
                continue;
            }
            if let Some(token) = scheme_token(text, at + scheme.len()) {
                cuts.push(token);
            }
        }
    }
    if cuts.is_empty() {
        return None;
    }
    cuts.sort_unstable();
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for (start, end) in cuts {
        if start < pos {
            // Overlaps a cut already made (e.g. `Authorization: Bearer x` matched twice).
            pos = pos.max(end);
            continue;
        }
        out.push_str(&text[pos..start]);
        out.push_str(REDACTED);
        pos = end;
    }
    out.push_str(&text[pos..]);
    Some(out)
}

fn word_start(lower: &str, at: usize) -> bool {
    lower[..at].chars().next_back().is_none_or(|c| !c.is_ascii_alphanumeric() && c != '-' && c != '_')
}

/// The span of a header's value: after the name, optional quote, `:` or `=`, optional quote
/// and spaces. A value starting with an authorization scheme is left to `scheme_token`.
fn header_value(text: &str, after_name: usize) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut i = after_name;
    while i < bytes.len() && matches!(bytes[i], b'"' | b'\'' | b'\\' | b' ' | b'\t') {
        i += 1;
    }
    if i >= bytes.len() || !matches!(bytes[i], b':' | b'=') {
        return None;
    }
    i += 1;
    while i < bytes.len() && matches!(bytes[i], b'"' | b'\'' | b'\\' | b' ' | b'\t' | b'[') {
        i += 1;
    }
    let start = i;
    let end = token_end(bytes, start);
    if end == start {
        return None;
    }
    let value = text[start..end].to_ascii_lowercase();
    if SCHEMES.contains(&value.as_str()) {
        return None;
    }
    Some((start, end))
}

/// The span of the credential after `Basic` / `Bearer` and at least one space, when it looks
/// like a credential (8 or more token characters, not an ordinary lower-case word).
fn scheme_token(text: &str, after_scheme: usize) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut i = after_scheme;
    let mut spaces = 0;
    while i < bytes.len() && matches!(bytes[i], b' ' | b'\t') {
        i += 1;
        spaces += 1;
    }
    if spaces == 0 {
        return None;
    }
    let start = i;
    let end = token_end(bytes, start);
    let token = &text[start..end];
    let word = token.chars().skip(1).all(|c| c.is_ascii_lowercase());
    (token.len() >= MIN_SECRET_LEN && !word).then_some((start, end))
}

/// End of a run of credential characters (base64, base64url, hex, JWT dots, `%`-escapes).
fn token_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start;
    while i < bytes.len()
        && (bytes[i].is_ascii_alphanumeric()
            || matches!(bytes[i], b'-' | b'_' | b'.' | b'~' | b'+' | b'/' | b'=' | b'%'))
    {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scheme_tokens_and_header_values_are_removed() {
        let t = "401: Authorization: Basic am9objpzZWNyZXQxMjM= rejected";
        assert_eq!(redact(t), "401: Authorization: Basic [redacted] rejected");
        let t = r#"{"headers":{"Shoptet-Private-API-Token":"123456-p-987654-abcdefgh"}}"#;
        assert_eq!(redact(t), r#"{"headers":{"Shoptet-Private-API-Token":"[redacted]"}}"#);
        assert_eq!(redact("shoptet-access-token=abc.def"), "shoptet-access-token=[redacted]");
        assert_eq!(redact("got bearer eyJhbGciOi.x9 here"), "got bearer [redacted] here");
        // As a log line's Debug-formatted field shows a JSON body.
        let t = r#"body="{\"Shoptet-Access-Token\":\"a1b2c3d4e5\"}""#;
        assert_eq!(redact(t), r#"body="{\"Shoptet-Access-Token\":\"[redacted]\"}""#);
    }

    #[test]
    fn ordinary_words_stay() {
        for t in [
            "Basic information is missing",
            "Authorization failed",
            "invalid bearer token",
            "Bearer",
            "authorization:",
            "čeština Basic žluťoučký",
        ] {
            assert_eq!(redact(t), t);
        }
    }

    #[test]
    fn registered_secrets_are_removed_and_short_ones_ignored() {
        register_secret("unit-test-secret-4711");
        register_secret("short");
        assert_eq!(redact("echo unit-test-secret-4711!"), "echo [redacted]!");
        assert_eq!(redact("a short text"), "a short text");
    }
}
