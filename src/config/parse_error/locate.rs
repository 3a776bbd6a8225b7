//! Where in the file an error points: line and column, the `[table]` in force, the key of a
//! line, and dotted-key arithmetic.

pub(super) fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset;
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

/// The `[table]` header in force at 1-based `line_no` (the line itself counts).
pub(super) fn enclosing_table(lines: &[&str], line_no: usize) -> String {
    lines.iter().take(line_no).rev().find_map(|l| header_name(l)).unwrap_or_default()
}

pub(super) fn header_name(line: &str) -> Option<String> {
    let t = line.trim();
    if !t.starts_with('[') {
        return None;
    }
    let inner = t.trim_start_matches('[');
    let end = inner.find(']')?;
    Some(clean_key(&inner[..end]))
}

/// The key of a `key = value` line, or the lone word of a line missing its `= value`.
pub(super) fn line_key(line: &str) -> Option<String> {
    let t = line.trim();
    if t.starts_with('[') || t.starts_with('#') {
        return None;
    }
    let k = match t.split_once('=') {
        Some((k, _)) => k,
        None if t.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')) => t,
        None => return None,
    };
    let k = clean_key(k);
    (!k.is_empty()).then_some(k)
}

fn clean_key(raw: &str) -> String {
    raw.split('.').map(|p| p.trim().trim_matches('"').trim_matches('\'')).collect::<Vec<_>>().join(".")
}

pub(super) fn last_segment(key: &str) -> &str {
    key.rsplit('.').next().unwrap_or(key)
}

pub(super) fn parent(key: &str) -> &str {
    key.rsplit_once('.').map_or("", |(p, _)| p)
}

/// The field serde names in "unknown field `x`" / "missing field `x`" / "duplicate field `x`".
pub(super) fn field_in_message(message: &str) -> Option<String> {
    ["unknown field `", "missing field `", "duplicate field `"]
        .iter()
        .find_map(|prefix| quoted_after(message, prefix))
}

/// The text between `prefix` and the next backtick.
pub(super) fn quoted_after(message: &str, prefix: &str) -> Option<String> {
    let rest = &message[message.find(prefix)? + prefix.len()..];
    Some(rest[..rest.find('`')?].to_owned())
}

pub(super) fn join(table: &str, key: &str) -> String {
    if table.is_empty() { key.to_owned() } else { format!("{table}.{key}") }
}
