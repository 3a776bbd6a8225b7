//! Display formatting shared by the panes.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use ratatui::text::Span;

/// The time zone times are shown in: the e-shop's, once known; UTC until then.
pub fn zone(name: Option<&str>) -> Tz {
    name.and_then(|n| n.parse::<Tz>().ok()).unwrap_or(Tz::UTC)
}

pub fn time(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string()
}

pub fn time_opt(t: Option<DateTime<Utc>>, tz: Tz) -> String {
    t.map(|t| time(t, tz)).unwrap_or_else(|| "—".into())
}

/// "1 234 567" with thin grouping, the way both Czech and English readers parse it.
pub fn count(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(ch);
    }
    out
}

/// Cuts `s` to `max` display columns, ending with "…" when cut.
pub fn clip(s: &str, max: usize) -> String {
    if Span::raw(s).width() <= max {
        return s.to_string();
    }
    let mut width = 0;
    let mut out = String::new();
    let mut buf = [0u8; 4];
    for ch in s.chars() {
        let w = Span::raw(&*ch.encode_utf8(&mut buf)).width();
        if width + w + 1 > max {
            break;
        }
        width += w;
        out.push(ch);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(count(100_000), "100 000");
        assert_eq!(count(1_234_567), "1 234 567");
        assert_eq!(count(12), "12");
    }

    #[test]
    fn clipping_counts_display_columns_not_bytes() {
        assert_eq!(clip("Žluťoučký kůň", 20), "Žluťoučký kůň");
        assert_eq!(clip("Žluťoučký kůň", 6), "Žluťo…");
        assert_eq!(clip("日本語テキスト", 5), "日本…");
    }

    #[test]
    fn unknown_zones_fall_back_to_utc() {
        assert_eq!(zone(Some("Europe/Prague")), Tz::Europe__Prague);
        assert_eq!(zone(Some("Mars/Base")), Tz::UTC);
    }
}
