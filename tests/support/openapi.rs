//! A small validator of JSON values against the OpenAPI 3.0/3.1 schemas of the official specs,
//! read at test time from a `shared/specs` folder (never copied into the project).
//!
//! Supported: `$ref` (local), `type` (string or list), `nullable`, `enum`, `const`, `required`,
//! `properties`, `additionalProperties`, `items`, `allOf`, `oneOf`/`anyOf` (at least one branch),
//! string/number/array bounds, `pattern`, and `format` loosely (date, date-time, email).

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

/// The `shared/specs` folder: searched upward from `CARGO_MANIFEST_DIR`, also as `shared/specs`
/// in a sibling of each ancestor (`../shared/specs` beside the clone).
pub fn specs_dir() -> Option<PathBuf> {
    let start = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in start.ancestors() {
        let candidate = dir.join("shared").join("specs");
        if candidate.is_dir() {
            return Some(candidate);
        }
    }
    None
}

/// A contract test without the vendors' specs: fails under CI (which has them beside the
/// clone), and otherwise says so on the real stderr, which `cargo test` shows even for a
/// passing test (its capture takes only `print!`/`eprint!`).
fn skipped(why: &str) {
    let test = std::thread::current().name().unwrap_or("a contract test").to_string();
    if std::env::var_os("CI").is_some() {
        panic!("{test}: {why} — CI must run the contract tests with ../shared/specs beside the clone");
    }
    use std::io::Write;
    let _ =
        writeln!(std::io::stderr(), "SKIPPED {test}: {why} (the vendors' specs are not beside the clone)");
}

/// A loaded spec document.
pub struct Spec {
    pub name: String,
    root: Value,
}

/// Options that make validation stricter than the schema itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct Strictness {
    /// Report object members not listed in `properties` even where the schema allows them.
    pub undocumented_properties: bool,
}

impl Spec {
    /// Loads `file` from the specs folder; `None` (with the reason on stderr) when it is absent.
    pub fn load(file: &str) -> Option<Spec> {
        let Some(dir) = specs_dir() else {
            skipped(&format!("shared/specs folder not found above {}", env!("CARGO_MANIFEST_DIR")));
            return None;
        };
        let path = dir.join(file);
        let Ok(text) = std::fs::read_to_string(&path) else {
            skipped(&format!("{} not found", path.display()));
            return None;
        };
        let root = if file.ends_with(".yaml") || file.ends_with(".yml") {
            Self::parse_yaml(&text)
        } else {
            serde_json::from_str(&text).map_err(|e| e.to_string())
        };
        match root {
            Ok(root) => Some(Spec { name: file.to_string(), root }),
            Err(e) => panic!("{} is not a readable spec: {e}", path.display()),
        }
    }

    /// A spec from an in-memory document (for the validator's own tests).
    pub fn from_value(name: &str, root: Value) -> Spec {
        Spec { name: name.to_string(), root }
    }

    fn parse_yaml(text: &str) -> Result<Value, String> {
        let yaml: serde_norway::Value = serde_norway::from_str(text).map_err(|e| e.to_string())?;
        Ok(yaml_to_json(yaml))
    }

    pub fn root(&self) -> &Value {
        &self.root
    }

    /// The operation object of `method` on `path` (as written in the spec).
    pub fn operation(&self, path: &str, method: &str) -> &Value {
        let op = self.root.get("paths").and_then(|p| p.get(path)).and_then(|p| p.get(method));
        op.unwrap_or_else(|| panic!("{}: no operation {} {path}", self.name, method.to_uppercase()))
    }

    /// The JSON schema of the `status` response of an operation.
    pub fn response_schema(&self, path: &str, method: &str, status: u16) -> &Value {
        self.response_media(path, method, status)
            .get("schema")
            .unwrap_or_else(|| panic!("{}: {method} {path} {status} has no schema", self.name))
    }

    /// The example of the `status` response of an operation (RAYNET documents most responses
    /// only by example).
    pub fn response_example(&self, path: &str, method: &str, status: u16) -> &Value {
        self.response_media(path, method, status)
            .get("example")
            .unwrap_or_else(|| panic!("{}: {method} {path} {status} has no example", self.name))
    }

    fn response_media(&self, path: &str, method: &str, status: u16) -> &Value {
        let resp = self.operation(path, method).get("responses").and_then(|r| r.get(status.to_string()));
        let resp = resp.unwrap_or_else(|| panic!("{}: {method} {path} has no {status} response", self.name));
        let resp = self.deref(resp);
        resp.pointer("/content/application~1json")
            .unwrap_or_else(|| panic!("{}: {method} {path} {status} has no JSON content", self.name))
    }

    /// The JSON request-body schema of an operation.
    pub fn request_schema(&self, path: &str, method: &str) -> &Value {
        let body = self.operation(path, method).get("requestBody").map(|b| self.deref(b));
        body.and_then(|b| b.pointer("/content/application~1json/schema"))
            .unwrap_or_else(|| panic!("{}: {method} {path} has no JSON request schema", self.name))
    }

    /// Resolves a chain of local `$ref`s.
    pub fn deref<'a>(&'a self, mut schema: &'a Value) -> &'a Value {
        for _ in 0..32 {
            match schema.get("$ref").and_then(Value::as_str) {
                Some(r) => schema = self.resolve(r),
                None => return schema,
            }
        }
        panic!("{}: $ref cycle", self.name)
    }

    fn resolve(&self, reference: &str) -> &Value {
        let pointer = reference.strip_prefix('#').unwrap_or_else(|| panic!("non-local $ref {reference}"));
        self.root.pointer(pointer).unwrap_or_else(|| panic!("{}: dangling $ref {reference}", self.name))
    }

    /// Every violation of `schema` by `value`, each as `"<json pointer>: <what>"`.
    pub fn validate(&self, schema: &Value, value: &Value) -> Vec<String> {
        self.validate_with(schema, value, Strictness::default())
    }

    pub fn validate_with(&self, schema: &Value, value: &Value, strict: Strictness) -> Vec<String> {
        let mut errors = Vec::new();
        self.check(schema, value, "", strict, &mut errors, 0);
        errors
    }

    fn check(
        &self,
        schema: &Value,
        v: &Value,
        at: &str,
        strict: Strictness,
        errs: &mut Vec<String>,
        depth: u32,
    ) {
        if depth > 64 {
            return;
        }
        let Some(s) = schema.as_object() else {
            // `true`/`{}` accept everything, `false` nothing.
            if schema == &Value::Bool(false) {
                errs.push(format!("{at}: not allowed here"));
            }
            return;
        };
        if let Some(r) = s.get("$ref").and_then(Value::as_str) {
            self.check(self.resolve(r), v, at, strict, errs, depth + 1);
        }
        if v.is_null() && s.get("nullable") == Some(&Value::Bool(true)) {
            return;
        }
        if let Some(t) = s.get("type")
            && !type_matches(t, v)
        {
            errs.push(format!("{at}: expected type {t}, got {}", kind(v)));
            return;
        }
        if let Some(options) = s.get("enum").and_then(Value::as_array)
            && !options.iter().any(|o| same(o, v))
        {
            errs.push(format!("{at}: {v} is not one of {}", Value::Array(options.clone())));
        }
        if let Some(c) = s.get("const")
            && !same(c, v)
        {
            errs.push(format!("{at}: {v} is not {c}"));
        }
        for sub in s.get("allOf").and_then(Value::as_array).into_iter().flatten() {
            self.check(sub, v, at, strict, errs, depth + 1);
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(branches) = s.get(key).and_then(Value::as_array) {
                let mut branch_errors = Vec::new();
                let fits = branches.iter().any(|b| {
                    let mut e = Vec::new();
                    self.check(b, v, at, strict, &mut e, depth + 1);
                    let ok = e.is_empty();
                    branch_errors.extend(e);
                    ok
                });
                if !fits {
                    errs.push(format!("{at}: matches no branch of {key} ({})", branch_errors.join("; ")));
                }
            }
        }
        match v {
            Value::Object(members) => self.check_object(s, members, at, strict, errs, depth),
            Value::Array(items) => {
                bound(s, "minItems", items.len(), at, errs, |n, b| n >= b);
                bound(s, "maxItems", items.len(), at, errs, |n, b| n <= b);
                if let Some(item_schema) = s.get("items") {
                    for (i, item) in items.iter().enumerate() {
                        self.check(item_schema, item, &format!("{at}/{i}"), strict, errs, depth + 1);
                    }
                }
            }
            Value::String(text) => check_string(s, text, at, errs),
            Value::Number(n) => {
                let x = n.as_f64().unwrap_or(f64::NAN);
                if let Some(min) = s.get("minimum").and_then(Value::as_f64)
                    && x < min
                {
                    errs.push(format!("{at}: {x} < minimum {min}"));
                }
                if let Some(max) = s.get("maximum").and_then(Value::as_f64)
                    && x > max
                {
                    errs.push(format!("{at}: {x} > maximum {max}"));
                }
            }
            _ => {}
        }
    }

    fn check_object(
        &self,
        s: &Map<String, Value>,
        members: &Map<String, Value>,
        at: &str,
        strict: Strictness,
        errs: &mut Vec<String>,
        depth: u32,
    ) {
        for name in s.get("required").and_then(Value::as_array).into_iter().flatten() {
            if let Some(name) = name.as_str()
                && !members.contains_key(name)
            {
                errs.push(format!("{at}/{name}: required but missing"));
            }
        }
        let props = s.get("properties").and_then(Value::as_object);
        // Members documented by a sibling `allOf`/`oneOf`/`anyOf` branch are not "additional".
        let composed = ["allOf", "oneOf", "anyOf"].iter().any(|k| s.contains_key(*k));
        for (name, value) in members {
            let path = format!("{at}/{}", escape(name));
            match props.and_then(|p| p.get(name)) {
                Some(prop) => self.check(prop, value, &path, strict, errs, depth + 1),
                None => match s.get("additionalProperties") {
                    Some(Value::Bool(false)) if !composed => {
                        errs.push(format!("{path}: not allowed (additionalProperties: false)"))
                    }
                    Some(extra @ Value::Object(_)) => {
                        self.check(extra, value, &path, strict, errs, depth + 1)
                    }
                    _ if strict.undocumented_properties && props.is_some() && !composed => {
                        errs.push(format!("{path}: undocumented property"))
                    }
                    _ => {}
                },
            }
        }
    }
}

fn check_string(s: &Map<String, Value>, text: &str, at: &str, errs: &mut Vec<String>) {
    let len = text.chars().count();
    bound(s, "minLength", len, at, errs, |n, b| n >= b);
    bound(s, "maxLength", len, at, errs, |n, b| n <= b);
    if let Some(p) = s.get("pattern").and_then(Value::as_str)
        // Patterns the Rust engine cannot compile (ECMA-only syntax) are skipped.
        && let Ok(re) = regex::Regex::new(p)
        && !re.is_match(text)
    {
        errs.push(format!("{at}: {text:?} does not match /{p}/"));
    }
    let format_ok = match s.get("format").and_then(Value::as_str) {
        Some("date") => looks_like_date(text),
        Some("date-time") => text.len() >= 19 && looks_like_date(&text[..10.min(text.len())]),
        Some("email") => text.contains('@'),
        _ => true,
    };
    if !format_ok {
        errs.push(format!("{at}: {text:?} is not a {}", s["format"]));
    }
}

fn bound(
    s: &Map<String, Value>,
    key: &str,
    n: usize,
    at: &str,
    errs: &mut Vec<String>,
    ok: impl Fn(u64, u64) -> bool,
) {
    if let Some(b) = s.get(key).and_then(Value::as_u64)
        && !ok(n as u64, b)
    {
        errs.push(format!("{at}: {n} violates {key} {b}"));
    }
}

fn looks_like_date(t: &str) -> bool {
    let b = t.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() })
}

fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

fn type_matches(t: &Value, v: &Value) -> bool {
    match t {
        Value::String(name) => one_type_matches(name, v),
        Value::Array(names) => names.iter().filter_map(Value::as_str).any(|n| one_type_matches(n, v)),
        _ => true,
    }
}

fn one_type_matches(name: &str, v: &Value) -> bool {
    match name {
        "null" => v.is_null(),
        "boolean" => v.is_boolean(),
        "string" => v.is_string(),
        "object" => v.is_object(),
        "array" => v.is_array(),
        "number" => v.is_number(),
        "integer" => {
            v.as_i64().is_some() || v.as_u64().is_some() || v.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        _ => true,
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Equality for `enum`/`const`, numbers compared by value (`1` equals `1.0`).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

/// YAML to JSON, stringifying non-string keys (`200:` response codes).
fn yaml_to_json(y: serde_norway::Value) -> Value {
    use serde_norway::Value as Y;
    match y {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                n.as_f64().and_then(serde_json::Number::from_f64).map_or(Value::Null, Value::Number)
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(items.into_iter().map(yaml_to_json).collect()),
        Y::Mapping(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let key = match k {
                        Y::String(s) => s,
                        Y::Number(n) => n.to_string(),
                        Y::Bool(b) => b.to_string(),
                        other => serde_norway::to_string(&other).unwrap_or_default().trim().to_string(),
                    };
                    (key, yaml_to_json(v))
                })
                .collect(),
        ),
        Y::Tagged(t) => yaml_to_json(t.value),
    }
}

/// Differences between a documented example and an actual body, for APIs that document
/// responses only by example: members present in both must have the same JSON kind (null
/// matches anything); array items are compared with the example's first item.
#[derive(Debug, Default)]
pub struct ExampleDiff {
    /// `path: example kind vs actual kind`.
    pub kind_conflicts: Vec<String>,
    /// Paths the example has and the actual body lacks.
    pub missing: Vec<String>,
    /// Paths the actual body has and the example does not.
    pub extra: Vec<String>,
}

pub fn compare_with_example(example: &Value, actual: &Value) -> ExampleDiff {
    let mut diff = ExampleDiff::default();
    compare(example, actual, "", &mut diff);
    diff
}

fn compare(ex: &Value, act: &Value, at: &str, diff: &mut ExampleDiff) {
    if ex.is_null() || act.is_null() {
        return;
    }
    // RAYNET's examples write some booleans and numbers as strings ("success": "true").
    let loose_scalar = matches!((ex, act), (Value::String(_), Value::Bool(_) | Value::Number(_)));
    if kind(ex) != kind(act) && !loose_scalar {
        diff.kind_conflicts.push(format!("{at}: example has {}, actual {}", kind(ex), kind(act)));
        return;
    }
    match (ex, act) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                let path = format!("{at}/{}", escape(k));
                match a.get(k) {
                    Some(av) => compare(ev, av, &path, diff),
                    None => diff.missing.push(path),
                }
            }
            for k in a.keys().filter(|k| !e.contains_key(*k)) {
                diff.extra.push(format!("{at}/{}", escape(k)));
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if let Some(first) = e.first() {
                for (i, av) in a.iter().enumerate() {
                    compare(first, av, &format!("{at}/{i}"), diff);
                }
            }
        }
        _ => {}
    }
}

/// Collapses array indices so the same member of every row is reported once.
pub fn distinct_paths(paths: &[String]) -> Vec<String> {
    let mut out: Vec<String> = paths
        .iter()
        .map(|p| {
            p.split('/')
                .map(|seg| if !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()) { "*" } else { seg })
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

impl Spec {
    /// Whether `schema` declares the member at `path` (`/items/*/code`; `*` an array element,
    /// `{}` any key of a free-form map). A member under an object schema that lists no
    /// `properties` (free-form) counts as declared.
    pub fn declares(&self, schema: &Value, path: &str) -> bool {
        let segments: Vec<&str> = path.split('/').skip(1).collect();
        self.declares_in(schema, &segments, 0)
    }

    fn declares_in(&self, schema: &Value, segs: &[&str], depth: u32) -> bool {
        let Some((first, rest)) = segs.split_first() else { return true };
        if depth > 64 {
            return false;
        }
        let schema = self.deref(schema);
        let Some(s) = schema.as_object() else { return schema != &Value::Bool(false) };
        for combinator in ["allOf", "oneOf", "anyOf"] {
            if let Some(branches) = s.get(combinator).and_then(Value::as_array)
                && branches.iter().any(|b| self.declares_in(b, segs, depth + 1))
            {
                return true;
            }
        }
        match *first {
            "*" => s.get("items").is_some_and(|i| self.declares_in(i, rest, depth + 1)),
            key => {
                let key = key.replace("~1", "/").replace("~0", "~");
                match s.get("properties").and_then(Value::as_object) {
                    Some(props) => props.get(&key).is_some_and(|p| self.declares_in(p, rest, depth + 1)),
                    None => {
                        let free_form = s.get("type").and_then(Value::as_str) == Some("object")
                            && s.get("additionalProperties") != Some(&Value::Bool(false))
                            && !["allOf", "oneOf", "anyOf"].iter().any(|c| s.contains_key(*c));
                        free_form
                            || s.get("additionalProperties")
                                .filter(|a| a.is_object())
                                .is_some_and(|a| self.declares_in(a, rest, depth + 1))
                    }
                }
            }
        }
    }
}

/// Whether a documented example shows the member at `path` (`*`: some element of the array
/// shows it). A `null` or an empty array in the example shows nothing below it.
pub fn example_declares(example: &Value, path: &str) -> bool {
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    example_declares_in(example, &segments)
}

fn example_declares_in(ex: &Value, segs: &[&str]) -> bool {
    let Some((first, rest)) = segs.split_first() else { return true };
    match (ex, *first) {
        (Value::Array(items), "*") => items.iter().any(|i| example_declares_in(i, rest)),
        (Value::Object(map), "{}") => map.values().any(|v| example_declares_in(v, rest)),
        (Value::Object(map), key) => {
            let key = key.replace("~1", "/").replace("~0", "~");
            map.get(&key).is_some_and(|v| example_declares_in(v, rest))
        }
        _ => false,
    }
}
