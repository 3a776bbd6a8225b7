//! The plan and the order detail in the user's language: the engine hands them over as data
//! (`engine::plan`, `engine::detail`) and they are put into Czech or English sentences here,
//! for the dashboard's order detail and the CLI's `--dry-run` and `show`.

mod dry_run;
mod shoptet;
mod steps;
mod words;

pub use dry_run::order_plan;
pub use shoptet::{preview, shoptet};
pub use steps::{report, write};
pub use words::{match_key, problem, record_name};

use crate::engine::detail::{DetailPlan, PlanView};
use crate::tui::i18n::Lang;

/// The plan part of an order detail, one line each: the preview before the order is worked;
/// once worked, what was done, then the writes its plan listed.
pub fn plan_section(view: &PlanView, lang: Lang) -> Vec<String> {
    match view {
        PlanView::Lines(lines) => lines.clone(),
        PlanView::Plan(DetailPlan::Preview(p)) => preview(p, lang),
        PlanView::Plan(DetailPlan::Worked { writes, done }) => {
            let mut out: Vec<String> = done.iter().map(|r| report(r, lang)).collect();
            if !writes.is_empty() {
                out.push(words::writes_heading(lang).to_string());
                out.extend(
                    writes.iter().enumerate().map(|(i, w)| format!("  {}. {}", i + 1, write(w, lang))),
                );
            }
            out
        }
    }
}
