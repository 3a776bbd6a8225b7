//! Reading what the screen shows from the source: the headline figures and only the visible
//! window of the current table.

use std::time::{Duration, Instant};

use crate::tui::action::Pane;
use crate::tui::app::App;

/// A page that takes this long to read is re-read on ticks only every `SLOW_PANE_EVERY`.
const SLOW_PANE: Duration = Duration::from_millis(40);
const SLOW_PANE_EVERY: Duration = Duration::from_secs(5);

impl App {
    /// Re-reads the headline figures and the visible window of the current pane.
    pub fn refresh(&mut self) {
        self.counts = self.source.counts();
        self.overview = self.source.overview();
        self.refresh_pane();
    }

    /// Whether a tick may read the current pane again (a slow one only every few seconds).
    pub(super) fn pane_is_cheap(&self) -> bool {
        self.pane_cost < SLOW_PANE || self.pane_read_at.elapsed() >= SLOW_PANE_EVERY
    }

    pub(super) fn refresh_pane(&mut self) {
        let started = Instant::now();
        let rows = self.page_rows();
        // The table and the source are read side by side: borrow them apart.
        let App { pane, source, pending, retry, entities, activity, .. } = self;
        let source = source.as_ref();
        match pane {
            Pane::Pending => pending.read(source, rows),
            Pane::Retry => retry.read(source, rows),
            Pane::Entities => entities.read(source, rows),
            Pane::Activity => activity.read(source, rows),
            Pane::Overview | Pane::Configuration => {}
        }
        self.pane_cost = started.elapsed();
        self.pane_read_at = Instant::now();
    }
}
