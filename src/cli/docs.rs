//! `completions` and `man`: the command line describing itself.

use clap::CommandFactory;
use clap_complete::Shell;

use super::Cli;
use super::args::ShellArg;
use crate::runtime::{AppError, EXIT_OK};

/// A shell completion script on stdout.
pub fn completions(shell: ShellArg) -> Result<i32, AppError> {
    let shell = match shell {
        ShellArg::Bash => Shell::Bash,
        ShellArg::Zsh => Shell::Zsh,
        ShellArg::Fish => Shell::Fish,
        ShellArg::Elvish => Shell::Elvish,
        ShellArg::PowerShell => Shell::PowerShell,
    };
    let mut cmd = Cli::command();
    clap_complete::generate(shell, &mut cmd, "shoptet-raynet-sync", &mut std::io::stdout());
    Ok(EXIT_OK)
}

/// The manual page (roff) on stdout.
pub fn man() -> Result<i32, AppError> {
    use std::io::Write;
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut out)?;
    std::io::stdout().write_all(&out)?;
    Ok(EXIT_OK)
}
