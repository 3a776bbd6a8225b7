//! Shoptet credentials. A private token is sent as is; an addon's permanent OAuth access token is
//! exchanged at the e-shop's OAuth server for short-lived API access tokens (`Shoptet-Access-Token`),
//! which are cached and renewed shortly before they expire.

// `ApiError` (shared, in `crate::http`) is the error type of the public interface; it is not boxed.
#![allow(clippy::result_large_err)]

use std::time::{Duration, Instant};

use chrono::Utc;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use tokio::sync::Mutex;

use crate::http::{ApiError, CallRecord, ErrorKind, Service, Transport, Vendor};

/// Where the e-shop's OAuth server hands out API access tokens (relative to the e-shop URL).
pub const ACCESS_TOKEN_PATH: &str = "/action/ApiOAuthServer/getAccessToken";
/// Header carrying an API access token (addon auth).
pub const ACCESS_TOKEN_HEADER: &str = "Shoptet-Access-Token";
/// Header carrying a private API token (Shoptet Premium).
pub const PRIVATE_TOKEN_HEADER: &str = "Shoptet-Private-API-Token";
/// Lifetime assumed when the OAuth server does not say (the documented 30 minutes).
const DEFAULT_LIFETIME: Duration = Duration::from_secs(1800);
/// A cached token is renewed this long before it expires.
const RENEW_EARLY: Duration = Duration::from_secs(60);

/// How requests authenticate.
pub(super) enum Credentials {
    Private(SecretString),
    Addon(AddonAuth),
}

/// The header one request authenticates with.
pub(super) struct AuthHeader {
    pub name: &'static str,
    pub value: SecretString,
}

/// Addon auth state: the OAuth token and the cached API access token.
pub(super) struct AddonAuth {
    token_url: String,
    oauth_token: SecretString,
    cached: Mutex<Option<Cached>>,
}

struct Cached {
    token: SecretString,
    renew_at: Instant,
}

#[derive(Deserialize)]
struct TokenReply {
    #[serde(default)]
    access_token: Option<String>,
    #[serde(default)]
    expires_in: Option<u64>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    error_description: Option<String>,
}

impl Credentials {
    /// The header for the next request; for an addon this may first fetch a fresh access token.
    pub(super) async fn header(&self, transport: &Transport<impl Vendor>) -> Result<AuthHeader, ApiError> {
        match self {
            Credentials::Private(t) => Ok(AuthHeader { name: PRIVATE_TOKEN_HEADER, value: t.clone() }),
            Credentials::Addon(a) => {
                Ok(AuthHeader { name: ACCESS_TOKEN_HEADER, value: a.access_token(transport).await? })
            }
        }
    }

    /// After a 401 that a fresh access token may cure: drops `used` from the cache and says
    /// whether asking again makes sense (never for a private token).
    pub(super) async fn forget(&self, used: &AuthHeader, err: &ApiError) -> bool {
        let Credentials::Addon(a) = self else { return false };
        if err.status != Some(401) || !matches!(err.code.as_deref(), Some("expired-token" | "invalid-token"))
        {
            return false;
        }
        let mut cached = a.cached.lock().await;
        if cached.as_ref().is_some_and(|c| c.token.expose_secret() == used.value.expose_secret()) {
            *cached = None;
        }
        true
    }
}

impl AddonAuth {
    pub(super) fn new(eshop_url: &str, oauth_token: SecretString) -> AddonAuth {
        let base = eshop_url.trim().trim_end_matches('/');
        AddonAuth { token_url: format!("{base}{ACCESS_TOKEN_PATH}"), oauth_token, cached: Mutex::new(None) }
    }

    /// The cached access token, or a new one when none is cached or it is about to expire.
    async fn access_token(&self, transport: &Transport<impl Vendor>) -> Result<SecretString, ApiError> {
        let mut cached = self.cached.lock().await;
        if let Some(c) = cached.as_ref()
            && Instant::now() < c.renew_at
        {
            return Ok(c.token.clone());
        }
        let (token, lifetime) = self.exchange(transport).await?;
        *cached = Some(Cached { token: token.clone(), renew_at: Instant::now() + renew_after(lifetime) });
        Ok(token)
    }

    /// `GET <eshop>/action/ApiOAuthServer/getAccessToken` with `Authorization: Bearer <OAuth token>`.
    async fn exchange(
        &self,
        transport: &Transport<impl Vendor>,
    ) -> Result<(SecretString, Duration), ApiError> {
        let _permit = transport.permit().await;
        let started = Instant::now();
        let at = Utc::now();
        let sent = transport
            .http()
            .get(&self.token_url)
            .bearer_auth(self.oauth_token.expose_secret())
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await;
        let result = match sent {
            Ok(resp) => {
                let status = resp.status().as_u16();
                match resp.text().await {
                    Ok(text) => read_reply(status, &text),
                    Err(e) => Err(ApiError::network(Service::Shoptet, "GET", ACCESS_TOKEN_PATH, &e)),
                }
            }
            Err(e) => Err(ApiError::network(Service::Shoptet, "GET", ACCESS_TOKEN_PATH, &e)),
        };
        let (status, error) = match &result {
            Ok(_) => (Some(200), None),
            Err(e) => (e.status, Some(e.to_string())),
        };
        transport.record(CallRecord {
            service: Service::Shoptet,
            method: "GET".into(),
            path: ACCESS_TOKEN_PATH.into(),
            status,
            duration_ms: started.elapsed().as_millis() as u64,
            error,
            at,
        });
        if let Err(e) = &result {
            tracing::warn!(error = %e, "could not get a Shoptet API access token");
        }
        result
    }
}

/// How long a token with `lifetime` is used before it is renewed.
fn renew_after(lifetime: Duration) -> Duration {
    lifetime.saturating_sub(RENEW_EARLY.min(lifetime / 2))
}

/// The token and its lifetime from the OAuth server's reply. Error texts never quote the body
/// (a successful one holds the token).
fn read_reply(status: u16, text: &str) -> Result<(SecretString, Duration), ApiError> {
    let reply: Option<TokenReply> = serde_json::from_str(text).ok();
    if (200..300).contains(&status) {
        let Some(TokenReply { access_token: Some(token), expires_in, .. }) = reply else {
            let message = "the OAuth server's reply holds no access token".to_string();
            return Err(exchange_error(Some(status), ErrorKind::Transient, message));
        };
        if token.trim().is_empty() {
            let message = "the OAuth server returned an empty access token".to_string();
            return Err(exchange_error(Some(status), ErrorKind::Transient, message));
        }
        let lifetime = expires_in.filter(|s| *s > 0).map(Duration::from_secs).unwrap_or(DEFAULT_LIFETIME);
        return Ok((SecretString::from(token), lifetime));
    }
    let kind = match status {
        400 | 401 | 403 => ErrorKind::Auth,
        429 => ErrorKind::RateLimited,
        500..=599 => ErrorKind::Transient,
        _ => ErrorKind::Permanent,
    };
    let code = reply.as_ref().and_then(|r| r.error.clone());
    let detail = reply
        .as_ref()
        .and_then(|r| r.error_description.clone().or_else(|| r.error.clone()))
        .map(|d| d.chars().take(200).collect::<String>());
    let message = match (status, detail) {
        (_, Some(d)) => format!("the e-shop's OAuth server refused the addon token: {d}"),
        (400 | 401 | 403, None) => "the e-shop's OAuth server refused the addon token".into(),
        (_, None) => format!("the e-shop's OAuth server answered HTTP {status}"),
    };
    let mut err = exchange_error(Some(status), kind, message);
    err.code = code;
    Err(err)
}

fn exchange_error(status: Option<u16>, kind: ErrorKind, message: String) -> ApiError {
    ApiError {
        service: Service::Shoptet,
        method: "GET".into(),
        path: ACCESS_TOKEN_PATH.into(),
        status,
        kind,
        code: None,
        message,
        retry_after: None,
        body_excerpt: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_renewed_a_minute_early_or_halfway_when_short_lived() {
        assert_eq!(renew_after(Duration::from_secs(1800)), Duration::from_secs(1740));
        assert_eq!(renew_after(Duration::from_secs(60)), Duration::from_secs(30));
    }

    #[test]
    fn replies_are_read_without_quoting_the_token() {
        let (t, life) = read_reply(200, r#"{"access_token":"abc-123","expires_in":900}"#).unwrap();
        assert_eq!(t.expose_secret(), "abc-123");
        assert_eq!(life, Duration::from_secs(900));
        let (_, life) = read_reply(200, r#"{"access_token":"abc-123","expires_in":null}"#).unwrap();
        assert_eq!(life, DEFAULT_LIFETIME);
        let e = read_reply(200, r#"{"access_token":"","x":"abc-123"}"#).unwrap_err();
        assert!(!format!("{e} {e:?}").contains("abc-123"));
        let e = read_reply(401, r#"{"error":"invalid_token","error_description":"Bad token."}"#).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Auth);
        assert_eq!(e.code.as_deref(), Some("invalid_token"));
        assert!(e.to_string().contains("Bad token."));
        assert_eq!(read_reply(503, "").unwrap_err().kind, ErrorKind::Transient);
    }
}
