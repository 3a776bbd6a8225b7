const DOTS: &str = "••••••••";
/// Secrets shorter than this show no characters at all.
const MIN_LEN_TO_SHOW_TAIL: usize = 12;

/// A secret for display: dots and at most the last 4 characters (none for short secrets).
pub fn mask(secret: &str) -> String {
    let count = secret.chars().count();
    if count == 0 {
        return String::new();
    }
    if count < MIN_LEN_TO_SHOW_TAIL {
        return DOTS.to_owned();
    }
    let tail: String = secret.chars().skip(count - 4).collect();
    format!("{DOTS}{tail}")
}

#[cfg(test)]
mod tests {
    use super::mask;

    #[test]
    fn long_secret_shows_only_last_four() {
        assert_eq!(mask("abcdefghijkl1234"), "••••••••1234");
    }

    #[test]
    fn short_secret_shows_nothing() {
        let m = mask("abc12345");
        assert!(!m.contains('5') && !m.contains('a'), "{m}");
        assert!(!m.is_empty());
    }

    #[test]
    fn empty_secret_is_empty() {
        assert_eq!(mask(""), "");
    }

    #[test]
    fn multibyte_does_not_panic() {
        assert_eq!(mask("žžžžžžžžžžžžčřřř"), "••••••••čřřř");
    }
}
