//! The command line's fatal errors in Czech and English (the common ones: no configuration,
//! an invalid one, no database, a held lock, an unusable data directory). `cli::errors`
//! picks the sentence for an `AppError`; the rest keep their English text.

use super::CliTexts;
use crate::tui::i18n::Lang;

impl CliTexts {
    pub fn err_no_config(&self, path: &str) -> String {
        match self.lang {
            Lang::Cs => format!(
                "nastavení v {path} není — vytvořte ho příkazem `shoptet-raynet-sync setup` (nebo v přehledu)"
            ),
            Lang::En => {
                format!(
                    "no configuration at {path} — run `shoptet-raynet-sync setup` (or the dashboard) to create one"
                )
            }
        }
    }

    /// A configuration value that is wrong: `file` ("" when it came from the environment).
    pub fn err_invalid(&self, file: &str, key: &str, message: &str) -> String {
        let file = if file.is_empty() { String::new() } else { format!("{file}: ") };
        match self.lang {
            Lang::Cs => format!("{file}chybná hodnota {key}: {message}"),
            Lang::En => format!("{file}{key}: {message}"),
        }
    }

    /// The configuration file is not TOML, or not of this program's shape.
    pub fn err_unreadable(&self, path: &str, message: &str) -> String {
        match self.lang {
            Lang::Cs => format!("{path} nejde přečíst: {message}"),
            Lang::En => format!("{path}: {message}"),
        }
    }

    pub fn err_no_database(&self, path: &str) -> String {
        match self.lang {
            Lang::Cs => format!(
                "databáze v {path} zatím není: nejdřív spusťte `shoptet-raynet-sync sync --once` nebo `run`"
            ),
            Lang::En => {
                format!("no database at {path} yet: run `shoptet-raynet-sync sync --once` or `run` first")
            }
        }
    }

    pub fn err_locked(&self, path: &str) -> String {
        match self.lang {
            Lang::Cs => format!(
                "nad tímto datovým adresářem už běží jiné jádro shoptet-raynet-sync ({path}); nejdřív ho \
                 zastavte, nebo použijte `status`"
            ),
            Lang::En => format!(
                "another shoptet-raynet-sync engine is running on this data directory ({path}); stop it first \
                 or use `status`"
            ),
        }
    }

    pub fn err_data_dir(&self, path: &str, reason: &str) -> String {
        match self.lang {
            Lang::Cs => format!("datový adresář {path}: {reason}"),
            Lang::En => format!("data directory {path}: {reason}"),
        }
    }

    pub fn err_runtime(&self, e: &str) -> String {
        match self.lang {
            Lang::Cs => format!("nelze spustit asynchronní běhové prostředí: {e}"),
            Lang::En => format!("cannot start the async runtime: {e}"),
        }
    }
}
