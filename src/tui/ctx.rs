//! The small view context every pane, popup and wizard screen draws from: the texts in the
//! user's language, the zone times are shown in, and the clock.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::tui::i18n::Texts;

/// What drawing needs besides the pane's own state and data.
#[derive(Clone, Copy)]
pub struct ViewCtx {
    pub t: &'static Texts,
    pub tz: Tz,
    pub now: DateTime<Utc>,
}
