//! The modal layers over the panes (help, order detail, confirmations, the client picker);
//! the top one gets the keys.

use crate::tui::source::{Candidate, OrderDetail};

/// A modal layer over the panes; the top one gets the keys.
#[derive(Debug, Clone)]
pub enum Popup {
    Help,
    Detail {
        detail: Box<OrderDetail>,
        scroll: u16,
    },
    ConfirmSkip {
        code: String,
    },
    Picker {
        code: String,
        candidates: Vec<Candidate>,
        cursor: usize,
    },
    Message {
        title: String,
        text: String,
    },
    /// Leaving the setup editor with changes: discard them?
    ConfirmDiscard,
}
