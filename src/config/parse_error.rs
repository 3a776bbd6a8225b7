//! Turns a TOML error into one line naming the dotted key and its line:column.

/// `"<key> (line L, column C): <what>"`, or without the key when none can be told.
pub(super) fn describe(source: &str, err: &toml::de::Error) -> String {
    let message = err.message().trim().to_owned();
    let Some(span) = err.span() else {
        return message;
    };
    let start = span.start.min(source.len());
    let (line_no, col) = line_col(source, start);
    let lines: Vec<&str> = source.lines().collect();
    let line = lines.get(line_no - 1).copied().unwrap_or_default();
    let table = enclosing_table(&lines, line_no);
    let field = field_in_message(&message);
    let key = match &field {
        Some(f) if header_name(line).is_some_and(|h| last_segment(&h) == f) => table.clone(),
        Some(f) => match line_key(line) {
            // `key = { … }` inline table: the field sits under the line's key.
            Some(k) if k != *f && last_segment(&k) != f => join(&join(&table, &k), f),
            _ => join(&table, f),
        },
        None => match line_key(line) {
            Some(k) => join(&table, &k),
            None => table.clone(),
        },
    };
    let message = if message.starts_with("missing field") {
        match &field {
            Some(f) if table.is_empty() => format!("required, but `[{f}]` is missing — add it"),
            Some(f) => format!("required, but `{f}` is missing from [{table}] — add it"),
            None => message,
        }
    } else if SECRET_KEYS.contains(&last_segment(&key)) {
        // The parser's text may quote the value; never repeat a secret.
        "must be a quoted string, e.g. \"…\"".to_owned()
    } else if let Some(hint) = hint(&key) {
        format!("{message} — {hint}")
    } else {
        message
    };
    if key.is_empty() {
        format!("line {line_no}, column {col}: {message}")
    } else {
        format!("{key} (line {line_no}, column {col}): {message}")
    }
}

const SECRET_KEYS: [&str; 3] = ["api_token", "api_key", "signature_key"];

fn hint(key: &str) -> Option<&'static str> {
    match key {
        "sync.enabled_at" => Some("write an RFC 3339 date-time, e.g. 2026-01-01T00:00:00+01:00"),
        _ => None,
    }
}

fn line_col(source: &str, offset: usize) -> (usize, usize) {
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
fn enclosing_table(lines: &[&str], line_no: usize) -> String {
    lines.iter().take(line_no).rev().find_map(|l| header_name(l)).unwrap_or_default()
}

fn header_name(line: &str) -> Option<String> {
    let t = line.trim();
    if !t.starts_with('[') {
        return None;
    }
    let inner = t.trim_start_matches('[');
    let end = inner.find(']')?;
    Some(clean_key(&inner[..end]))
}

fn line_key(line: &str) -> Option<String> {
    let t = line.trim();
    if t.starts_with('[') || t.starts_with('#') {
        return None;
    }
    let (k, _) = t.split_once('=')?;
    let k = clean_key(k);
    (!k.is_empty()).then_some(k)
}

fn clean_key(raw: &str) -> String {
    raw.split('.').map(|p| p.trim().trim_matches('"').trim_matches('\'')).collect::<Vec<_>>().join(".")
}

fn last_segment(key: &str) -> &str {
    key.rsplit('.').next().unwrap_or(key)
}

/// The field serde names in "unknown field `x`" / "missing field `x`".
fn field_in_message(message: &str) -> Option<String> {
    ["unknown field `", "missing field `", "duplicate field `"].iter().find_map(|prefix| {
        let rest = &message[message.find(prefix)? + prefix.len()..];
        Some(rest[..rest.find('`')?].to_owned())
    })
}

fn join(table: &str, key: &str) -> String {
    if table.is_empty() { key.to_owned() } else { format!("{table}.{key}") }
}
