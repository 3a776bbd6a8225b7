//! The dashboard rendered into a `TestBackend` and read back as text.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::text::Span;

use shoptet_raynet_sync::tui::action::Action;
use shoptet_raynet_sync::tui::app::App;

/// Renders `app` at `w`×`h` (after telling it the size) and returns its cells row by row; a wide
/// character is one entry and covers the cell after it.
pub fn cells(app: &mut App, w: u16, h: u16) -> Vec<Vec<String>> {
    app.update(Action::Resize(w, h));
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    term.draw(|f| app.render(f)).expect("draw");
    let buf = term.backend().buffer();
    (0..h)
        .map(|y| {
            let mut row = Vec::new();
            let mut x = 0;
            while x < w {
                let sym = buf[(x, y)].symbol();
                x += Span::raw(sym).width().max(1) as u16;
                row.push(sym.to_string());
            }
            row
        })
        .collect()
}

/// Renders at `w`×`h` and returns the screen as lines (wide characters count twice).
pub fn screen(app: &mut App, w: u16, h: u16) -> String {
    cells(app, w, h).iter().map(|row| row.concat() + "\n").collect()
}

/// A dashboard's start as most tests want it: no engine link, no banner, the demo's probe, the
/// system path of the config; set other fields with `AppInit { …, ..init(…) }`.
pub fn init(
    source: Box<dyn shoptet_raynet_sync::tui::source::DashboardSource>,
    config: Option<shoptet_raynet_sync::config::Config>,
    lang: shoptet_raynet_sync::tui::Lang,
    now: chrono::DateTime<chrono::Utc>,
    size: (u16, u16),
) -> shoptet_raynet_sync::tui::app::AppInit {
    shoptet_raynet_sync::tui::app::AppInit {
        source,
        config,
        config_path: std::path::PathBuf::from("/etc/shoptet-raynet-sync/config.toml"),
        commands: None,
        status: None,
        probe: std::sync::Arc::new(shoptet_raynet_sync::tui::fake::FakeProbe::demo()),
        lang,
        banner: None,
        now,
        size,
        setup: false,
    }
}
