//! The doctor's checks (`crate::doctor`) and the webhook setup (`crate::webhooks`) in the
//! user's language: each typed finding becomes what was found and, unless all is well, the
//! fix in one line. `doctor` prints the English; the dashboard uses either language.

mod cs;
mod en;

use crate::doctor::{BrokenConfig, CheckName, Finding, Level};
use crate::tui::i18n::Lang;
use crate::webhooks::{Report, SetupError, UrlProblem};

/// The Configuration pane's checks view and the wizard's webhook texts.
pub struct DoctorTexts {
    pub key_checks: &'static str,
    pub key_back: &'static str,
    pub title: &'static str,
    pub running: &'static str,
    pub hint: &'static str,
    pub ok: &'static str,
    pub warn: &'static str,
    pub fail: &'static str,
    pub f_renew_key: &'static str,
    pub key_stored: &'static str,
    pub key_none: &'static str,
    pub key_renew: &'static str,
    pub registering: &'static str,
    pub webhook_failed: &'static str,
    pub err_public_url_path: &'static str,
    pub err_public_url_port: &'static str,
}

pub fn texts(lang: Lang) -> &'static DoctorTexts {
    match lang {
        Lang::Cs => &cs::TEXTS,
        Lang::En => &en::TEXTS,
    }
}

pub fn name(lang: Lang, n: CheckName) -> &'static str {
    match lang {
        Lang::Cs => cs::name(n),
        Lang::En => en::name(n),
    }
}

pub fn level(lang: Lang, l: Level) -> &'static str {
    let t = texts(lang);
    match l {
        Level::Ok => t.ok,
        Level::Warn => t.warn,
        Level::Fail => t.fail,
    }
}

/// The worst level among `checks` (ok when there are none).
pub fn worst_level(checks: &[crate::doctor::Check]) -> Level {
    crate::doctor::worst(checks)
}

/// What was found, and the fix (None when all is well).
pub fn finding(lang: Lang, f: &Finding) -> (String, Option<String>) {
    match lang {
        Lang::Cs => cs::finding(f),
        Lang::En => en::finding(f),
    }
}

/// Why the config file cannot be used, as the CLI says it.
pub fn broken_config(lang: Lang, b: &BrokenConfig) -> String {
    let t = lang.texts();
    let cli = t.cli();
    match b {
        BrokenConfig::NotFound { file } => cli.err_no_config(file),
        BrokenConfig::Invalid { file, key, problem } => {
            cli.err_invalid(file, key, &t.config_problem(problem))
        }
        BrokenConfig::Unreadable { file, problem } => cli.err_unreadable(file, &t.config_parse(problem)),
        BrokenConfig::Other { text } => text.clone(),
    }
}

/// "12 ok, 1 warning(s), 0 failure(s)".
pub fn summary(lang: Lang, ok: usize, warn: usize, fail: usize) -> String {
    match lang {
        Lang::Cs => cs::summary(ok, warn, fail),
        Lang::En => en::summary(ok, warn, fail),
    }
}

pub fn url_problem(lang: Lang, p: &UrlProblem) -> String {
    match lang {
        Lang::Cs => cs::url_problem(p),
        Lang::En => en::url_problem(p),
    }
}

/// Why the webhooks could not be set up, with what to do.
pub fn setup_error(lang: Lang, e: &SetupError) -> String {
    match lang {
        Lang::Cs => cs::setup_error(e),
        Lang::En => en::setup_error(e),
    }
}

/// What a webhook setup did; `url` is the public URL when webhooks are on.
pub fn setup_done(lang: Lang, r: &Report, url: Option<&str>) -> String {
    match lang {
        Lang::Cs => cs::setup_done(r, url),
        Lang::En => en::setup_done(r, url),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ConfigProblem;
    use crate::config::ParseProblem;
    use crate::config::parse_error::What;
    use crate::tui::fake::english_words;

    #[test]
    fn a_broken_config_reads_in_both_languages() {
        let file = "/etc/srs/config.toml".to_string();
        let ours = [
            BrokenConfig::NotFound { file: file.clone() },
            BrokenConfig::Invalid {
                file: file.clone(),
                key: "sync.poll_interval_secs".into(),
                problem: ConfigProblem::PollInterval { min: 30, max: 86_400 },
            },
            BrokenConfig::Unreadable {
                file: file.clone(),
                problem: ParseProblem {
                    place: None,
                    what: What::Unclassified { parser: "expected `=`".into() },
                },
            },
        ];
        for b in &ours {
            let (cs, en) = (broken_config(Lang::Cs, b), broken_config(Lang::En, b));
            assert!(!cs.is_empty() && cs.contains(&file), "{b:?}");
            assert_ne!(cs, en, "{b:?}");
        }
        let cs = broken_config(Lang::Cs, &ours[1]);
        assert!(english_words(&cs, &[]).is_empty(), "{cs}");
        // The system's words (a read error) stay as they are.
        let other = BrokenConfig::Other { text: "permission denied".into() };
        assert_eq!(broken_config(Lang::Cs, &other), "permission denied");
    }
}
