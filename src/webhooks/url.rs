//! The public URL Shoptet delivers to: what Shoptet accepts, and where our receiver listens.

use reqwest::Url;

/// The path the receiver (`server`) answers webhooks on; the public URL must end with it (a
/// reverse proxy may put a prefix in front, e.g. `https://shop.cz/sync/webhook`).
pub const RECEIVER_PATH: &str = "/webhook";
/// The ports Shoptet delivers to (developers.shoptet.com/api/documentation/webhooks/).
pub const ALLOWED_PORTS: [u16; 4] = [80, 443, 8080, 8443];
/// The longest URL Shoptet registers (spec, "Registration of new webhook").
pub const MAX_URL_LEN: usize = 2000;

/// Why a public webhook URL cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlProblem {
    #[error("is not a web address — write it like \"https://sync.example.cz/webhook\"")]
    NotAUrl,
    /// Plain http on a port Shoptet reaches over https only (443, 8443).
    #[error("uses http:// on an https port: write https://, or http:// on port 80 or 8080")]
    NotHttps,
    #[error("uses port {0}: Shoptet delivers only to ports 80, 443, 8080 and 8443")]
    Port(u16),
    #[error("must end with {RECEIVER_PATH}, the path the receiver answers on")]
    Path,
    #[error("is longer than {MAX_URL_LEN} characters, the most Shoptet registers")]
    TooLong,
}

/// Whether Shoptet can deliver to `url` and the delivery reaches our receiver.
pub fn check_public_url(url: &str) -> Result<(), UrlProblem> {
    let url = url.trim();
    if url.len() > MAX_URL_LEN {
        return Err(UrlProblem::TooLong);
    }
    if url.chars().any(char::is_whitespace) {
        return Err(UrlProblem::NotAUrl);
    }
    let parsed = Url::parse(url).map_err(|_| UrlProblem::NotAUrl)?;
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(UrlProblem::NotAUrl);
    }
    if !matches!(parsed.scheme(), "https" | "http") {
        return Err(UrlProblem::NotAUrl);
    }
    match parsed.port_or_known_default() {
        Some(p) if ALLOWED_PORTS.contains(&p) => {}
        Some(p) => return Err(UrlProblem::Port(p)),
        None => return Err(UrlProblem::NotAUrl),
    }
    if parsed.scheme() == "http" && !is_plain_http_port(&parsed) {
        return Err(UrlProblem::NotHttps);
    }
    if !parsed.path().ends_with(RECEIVER_PATH) {
        return Err(UrlProblem::Path);
    }
    Ok(())
}

/// Whether `url` is plain http, on a port Shoptet delivers plain http to (80, 8080): allowed, but
/// then the signature is the deliveries' only protection.
pub fn is_plain_http(url: &str) -> bool {
    Url::parse(url.trim()).is_ok_and(|u| u.scheme() == "http" && is_plain_http_port(&u))
}

fn is_plain_http_port(url: &Url) -> bool {
    url.port_or_known_default().is_some_and(|p| crate::config::PLAIN_HTTP_PORTS.contains(&p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_on_a_shoptet_port_ending_at_the_receiver_is_accepted() {
        for ok in [
            "https://sync.example.cz/webhook",
            "https://sync.example.cz:443/webhook",
            "https://sync.example.cz:8443/webhook",
            "https://sync.example.cz:8080/shop/webhook",
            "https://sync.example.cz:80/webhook?shop=1",
        ] {
            assert_eq!(check_public_url(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn plain_http_is_accepted_on_80_and_8080_only() {
        for ok in ["http://sync.example.cz/webhook", "http://sync.example.cz:8080/shop/webhook"] {
            assert_eq!(check_public_url(ok), Ok(()), "{ok}");
            assert!(is_plain_http(ok), "{ok}");
        }
        assert!(!is_plain_http("https://sync.example.cz/webhook"));
        assert!(!is_plain_http("https://sync.example.cz:8080/webhook"));
    }

    #[test]
    fn each_problem_is_named() {
        assert_eq!(check_public_url("sync.example.cz/webhook"), Err(UrlProblem::NotAUrl));
        assert_eq!(check_public_url("https://sync example.cz/webhook"), Err(UrlProblem::NotAUrl));
        assert_eq!(check_public_url("http://sync.example.cz:443/webhook"), Err(UrlProblem::NotHttps));
        assert_eq!(check_public_url("http://sync.example.cz:8443/webhook"), Err(UrlProblem::NotHttps));
        assert_eq!(check_public_url("http://sync.example.cz:9000/webhook"), Err(UrlProblem::Port(9000)));
        assert_eq!(check_public_url("ftp://sync.example.cz/webhook"), Err(UrlProblem::NotAUrl));
        assert_eq!(check_public_url("https://sync.example.cz:9000/webhook"), Err(UrlProblem::Port(9000)));
        assert_eq!(check_public_url("https://sync.example.cz/hook"), Err(UrlProblem::Path));
        assert_eq!(check_public_url("https://sync.example.cz/webhook/"), Err(UrlProblem::Path));
        let long = format!("https://sync.example.cz/{}/webhook", "a".repeat(MAX_URL_LEN));
        assert_eq!(check_public_url(&long), Err(UrlProblem::TooLong));
    }
}
