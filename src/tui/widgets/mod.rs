//! Drawing pieces the panes and the screen share: the table, its window, the key bar, popups.

pub mod detail;
pub mod frame;
pub mod help;
pub mod keybar;
pub mod popup;
pub mod table;
pub mod window;
