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

/// A message of several lines ("reason\n→ hint") on one line, with the spaces it needs.
pub fn one_line(s: &str) -> String {
    s.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ")
}

/// Display columns of `s`.
pub fn width(s: &str) -> usize {
    Span::raw(s).width()
}

/// Cuts `s` to `max` display columns so that it still differs from `others` (the other rows
/// on screen): where it shares a long start with one of them ("Brazílie Santos 1 kg, zrnková…"
/// and "…, mletá…"), that shared start is shortened ("Braz…zrnková káva…") instead of the end.
pub fn clip_apart(s: &str, others: &[&str], max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    let shared = others
        .iter()
        .filter(|o| **o != s)
        .map(|o| o.chars().zip(&chars).take_while(|(a, b)| a == *b).count())
        .max()
        .unwrap_or(0);
    // The end cut keeps what differs: nothing to do.
    if width(&chars[..shared.min(chars.len())].iter().collect::<String>()) + 8 <= max {
        return clip(s, max);
    }
    // Start the visible rest at the word where the difference begins.
    let mut from = shared.min(chars.len());
    while from > 0 && chars[from - 1] != ' ' {
        from -= 1;
    }
    let rest: String = chars[from..].iter().collect();
    // As much of the start as the rest leaves room for (at least a few letters of it).
    let rest_cols = width(&rest).min(max.saturating_sub(5));
    let start: String = chars[..from].iter().collect();
    let head = prefix_within(&start, max.saturating_sub(rest_cols + 1)).trim_end().to_string();
    let room = max.saturating_sub(width(&head) + 1);
    format!("{head}…{}", clip(&rest, room))
}

/// When a retry is due: the second when it is within the hour (or past), else the minute.
pub fn next_attempt(at: Option<DateTime<Utc>>, now: DateTime<Utc>, tz: Tz) -> String {
    match at {
        None => "—".into(),
        Some(at) if (at - now).num_seconds() < 3600 => at.with_timezone(&tz).format("%H:%M:%S").to_string(),
        Some(at) => time(at, tz),
    }
}

/// How long until `at` when it is within the hour: "in 45 s", "in 4 min", "due now".
pub fn wait(at: Option<DateTime<Utc>>, now: DateTime<Utc>, t: &crate::tui::i18n::Texts) -> Option<String> {
    let left = (at? - now).num_seconds();
    match left {
        ..=0 => Some(t.due_now.to_string()),
        1..60 => Some(format!("{} {left} s", t.in_time)),
        60..3600 => Some(format!("{} {} min", t.in_time, (left + 59) / 60)),
        _ => None,
    }
}

/// Rewrites times the engine wrote in UTC inside a message ("due 2026-11-27 04:00:25 UTC")
/// into the zone every other time on screen is shown in.
pub fn localize_utc(text: &str, tz: Tz) -> String {
    const LEN: usize = "2026-11-27 04:00:25 UTC".len();
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(" UTC") {
        let start = i.saturating_sub(LEN - 4);
        let candidate = rest.get(start..i + 4);
        let parsed = candidate
            .and_then(|c| chrono::NaiveDateTime::parse_from_str(&c[..LEN - 4], "%Y-%m-%d %H:%M:%S").ok());
        match parsed {
            Some(naive) if tz != Tz::UTC => {
                out.push_str(&rest[..start]);
                let local = naive.and_utc().with_timezone(&tz);
                out.push_str(&local.format("%Y-%m-%d %H:%M:%S").to_string());
            }
            _ => out.push_str(&rest[..i + 4]),
        }
        rest = &rest[i + 4..];
    }
    out.push_str(rest);
    out
}

/// Breaks `text` into lines of at most `max` columns at spaces (words too long are cut),
/// keeping its leading spaces and starting each continuation line with `indent`.
pub fn wrap(text: &str, max: usize, indent: &str) -> Vec<String> {
    if text.contains('\n') {
        // Each line of a message ("reason\n→ hint") starts a line of its own.
        return text.lines().flat_map(|l| wrap(l, max, indent)).collect();
    }
    let max = max.max(width(indent) + 8);
    let body = text.trim_start();
    let mut line = text[..text.len() - body.len()].to_string();
    let mut lines = Vec::new();
    for word in body.split(' ') {
        let fresh = line.trim().is_empty();
        if width(&line) + width(word) + usize::from(!fresh) <= max {
            if !fresh {
                line.push(' ');
            }
            line.push_str(word);
            continue;
        }
        if !fresh {
            lines.push(std::mem::replace(&mut line, indent.to_string()));
        }
        let mut rest = word;
        while width(&line) + width(rest) > max {
            let cut = prefix_within(rest, max.saturating_sub(width(&line)));
            if cut.is_empty() {
                break;
            }
            rest = &rest[cut.len()..];
            line.push_str(cut);
            lines.push(std::mem::replace(&mut line, indent.to_string()));
        }
        line.push_str(rest);
    }
    lines.push(line);
    lines
}

/// The longest start of `s` that fits in `room` columns.
fn prefix_within(s: &str, room: usize) -> &str {
    let mut used = 0;
    let mut buf = [0u8; 4];
    for (i, ch) in s.char_indices() {
        used += width(ch.encode_utf8(&mut buf));
        if used > room {
            return &s[..i];
        }
    }
    s
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
    fn names_cut_to_fit_still_tell_apart_from_the_rows_around_them() {
        let a = "Brazílie Santos 1 kg, zrnková káva z jižní Ameriky";
        let b = "Brazílie Santos 1 kg, mletá káva z jižní Ameriky";
        let (ca, cb) = (clip_apart(a, &[a, b], 20), clip_apart(b, &[a, b], 20));
        assert!(width(&ca) <= 20 && width(&cb) <= 20, "{ca} / {cb}");
        assert_ne!(ca, cb);
        assert!(ca.contains("zrnková") && cb.contains("mletá"), "{ca} / {cb}");
        // Alone, or differing early: the usual cut at the end.
        assert_eq!(clip_apart(a, &[a], 20), clip(a, 20));
        assert_eq!(clip_apart("short", &[], 20), "short");
    }

    #[test]
    fn soon_attempts_show_seconds_later_ones_the_minute() {
        let t = crate::tui::i18n::Lang::En.texts();
        let now =
            DateTime::parse_from_rfc3339("2026-11-27T09:30:00Z").map(|d| d.to_utc()).unwrap_or_default();
        let soon = Some(now + chrono::Duration::seconds(45));
        assert_eq!(next_attempt(soon, now, Tz::UTC), "09:30:45");
        assert_eq!(wait(soon, now, t).as_deref(), Some("in 45 s"));
        let later = Some(now + chrono::Duration::minutes(10));
        assert_eq!(next_attempt(later, now, Tz::UTC), "09:40:00");
        assert_eq!(wait(later, now, t).as_deref(), Some("in 10 min"));
        let tomorrow = Some(now + chrono::Duration::hours(20));
        assert_eq!(next_attempt(tomorrow, now, Tz::UTC), "2026-11-28 05:30");
        assert_eq!(wait(tomorrow, now, t), None);
        assert_eq!(next_attempt(None, now, Tz::UTC), "—");
    }

    #[test]
    fn utc_times_in_messages_follow_the_shown_zone() {
        let text = "pending → queued: queued (normal priority, due 2026-11-27 04:00:25 UTC)";
        assert_eq!(
            localize_utc(text, Tz::Europe__Prague),
            "pending → queued: queued (normal priority, due 2026-11-27 05:00:25)"
        );
        assert_eq!(localize_utc(text, Tz::UTC), text);
        assert_eq!(localize_utc("UTC only", Tz::Europe__Prague), "UTC only");
    }

    #[test]
    fn a_message_and_its_hint_keep_their_spacing_on_one_line() {
        let m = "401 Unauthorized\n→ check the token";
        assert_eq!(one_line(m), "401 Unauthorized → check the token");
        assert_eq!(wrap(m, 40, "  "), vec!["401 Unauthorized", "→ check the token"]);
    }

    #[test]
    fn wrapping_indents_continuations_and_cuts_long_words() {
        let lines =
            wrap("  GET /company/ext/shoptet:312457:email:objednavky%40kavarna.cz/ 404", 30, "      ");
        assert!(lines.iter().all(|l| width(l) <= 30), "{lines:?}");
        assert!(lines.len() >= 3 && lines[1].starts_with("      "), "{lines:?}");
        assert_eq!(
            lines.concat().replace(' ', ""),
            "GET/company/ext/shoptet:312457:email:objednavky%40kavarna.cz/404"
        );
    }

    #[test]
    fn unknown_zones_fall_back_to_utc() {
        assert_eq!(zone(Some("Europe/Prague")), Tz::Europe__Prague);
        assert_eq!(zone(Some("Mars/Base")), Tz::UTC);
    }
}
