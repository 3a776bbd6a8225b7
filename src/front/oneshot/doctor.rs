//! `doctor [--json]`: runs every check of `crate::doctor` and prints each as ok / warn / fail
//! with the fix in one line (in the `--lang` language; `--json` stays English, with its field
//! names and check names stable). Exit 0 when all are ok, 2 with warnings, 1 with a failure.

use serde_json::json;

use crate::config::Paths;
use crate::doctor::{self, Check, Level};
use crate::runtime::{AppError, EXIT_FATAL, EXIT_OK};
use crate::tui::Lang;
use crate::tui::i18n::doctor as text;

/// Exit code 2: warnings only.
const EXIT_WARNINGS: i32 = 2;

pub async fn run(lang: Lang, paths: &Paths, json: bool) -> Result<i32, AppError> {
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
        print!("{}", as_text(lang, &checks));
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
fn as_text(lang: Lang, checks: &[Check]) -> String {
    let mut out = String::new();
    // English keeps its marks and check names as they always were; Czech says them in words.
    let mark = |l: Level| match (lang, l) {
        (Lang::En, Level::Ok) => "ok".to_string(),
        (Lang::En, Level::Warn) => "warn".to_string(),
        (Lang::En, Level::Fail) => "FAIL".to_string(),
        (Lang::Cs, l) => text::level(lang, l).to_string(),
    };
    let name = |c: &Check| match lang {
        Lang::En => c.name.as_str().to_string(),
        Lang::Cs => text::name(lang, c.name).to_string(),
    };
    let wide = |f: &dyn Fn(&Check) -> usize| checks.iter().map(f).max().unwrap_or(0);
    let (mw, nw) =
        (wide(&|c| mark(c.level).chars().count()).max(4), wide(&|c| name(c).chars().count()).max(22));
    for c in checks {
        let (detail, fix) = text::finding(lang, &c.finding);
        out.push_str(&format!("{:<mw$}  {:<nw$} {detail}\n", mark(c.level), name(c)));
        if let Some(fix) = fix {
            out.push_str(&format!("{:<mw$}  {:<nw$} → {fix}\n", "", ""));
        }
    }
    let count = |l: Level| checks.iter().filter(|c| c.level == l).count();
    out.push_str(&format!(
        "\n{}\n",
        text::summary(lang, count(Level::Ok), count(Level::Warn), count(Level::Fail))
    ));
    out
}
