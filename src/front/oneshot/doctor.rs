//! `doctor [--json]`: runs every check of `crate::doctor` and prints each as ok / warn / fail
//! with the fix in one line (in English; `--json` keeps the field names and check names
//! stable). Exit 0 when all are ok, 2 with warnings, 1 with a failure.

use serde_json::json;

use crate::config::Paths;
use crate::doctor::{self, Check, Level};
use crate::runtime::{AppError, EXIT_FATAL, EXIT_OK};
use crate::tui::Lang;
use crate::tui::i18n::doctor as text;

/// Exit code 2: warnings only.
const EXIT_WARNINGS: i32 = 2;

pub async fn run(paths: &Paths, json: bool) -> Result<i32, AppError> {
    let checks = doctor::all(paths).await;
    let worst = doctor::worst(&checks);
    let code = match worst {
        Level::Ok => EXIT_OK,
        Level::Warn => EXIT_WARNINGS,
        Level::Fail => EXIT_FATAL,
    };
    if json {
        let rows: Vec<_> = checks.iter().map(as_json).collect();
        let out = json!({"checks": rows, "result": worst, "exit_code": code});
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
    } else {
        print!("{}", as_text(&checks));
    }
    Ok(code)
}

fn as_json(c: &Check) -> serde_json::Value {
    let (detail, fix) = text::finding(Lang::En, &c.finding);
    let mut row = json!({"name": c.name.as_str(), "level": c.level, "detail": detail});
    if let Some(fix) = fix {
        row["fix"] = json!(fix);
    }
    row
}

/// One line per check, its fix under it, and the counts.
fn as_text(checks: &[Check]) -> String {
    let mut out = String::new();
    for c in checks {
        let (detail, fix) = text::finding(Lang::En, &c.finding);
        let mark = match c.level {
            Level::Ok => "ok  ",
            Level::Warn => "warn",
            Level::Fail => "FAIL",
        };
        out.push_str(&format!("{mark}  {:<22} {detail}\n", c.name.as_str()));
        if let Some(fix) = fix {
            out.push_str(&format!("      {:<22} → {fix}\n", ""));
        }
    }
    let count = |l: Level| checks.iter().filter(|c| c.level == l).count();
    out.push_str(&format!(
        "\n{}\n",
        text::summary(Lang::En, count(Level::Ok), count(Level::Warn), count(Level::Fail))
    ));
    out
}
