pub mod keybar;
pub mod popup;
pub mod table;
pub mod window;
