//! The Log's search finds entries by the words the dashboard shows for them, in its language
//! (and still by kind codes and order codes), not by the stored parameters alone.

mod common;

use chrono::{DateTime, TimeZone, Utc};
use common::screen::init;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use shoptet_raynet_sync::config::Config;
use shoptet_raynet_sync::tui::action::{Action, Pane};
use shoptet_raynet_sync::tui::app::App;
use shoptet_raynet_sync::tui::fake::FakeSource;
use shoptet_raynet_sync::tui::{ActivityView, Lang, OrderState};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 30, 0).single().expect("valid time")
}

fn source() -> FakeSource {
    FakeSource::demo(60, now())
}

fn app(lang: Lang) -> App {
    App::new(init(Box::new(source()), Some(Config::example()), lang, now(), (120, 40)))
}

fn key(code: KeyCode) -> Action {
    Action::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// How many Log entries the search `text` finds in `lang`.
fn found(lang: Lang, text: &str) -> u64 {
    let mut app = app(lang);
    app.update(Action::GoPane(Pane::Activity));
    app.update(key(KeyCode::Char('/')));
    for c in text.chars() {
        app.update(key(KeyCode::Char(c)));
    }
    app.update(key(KeyCode::Enter));
    app.activity.window.page.total
}

#[test]
fn the_log_is_searched_by_the_words_shown_in_the_chosen_language() {
    let skipped_by_hand = |a: &ActivityView| a.entry.kind() == "skipped";
    let skipped = source().activity.iter().filter(|a| skipped_by_hand(a)).count() as u64;
    assert!(skipped > 0, "the demo has skipped orders");
    // "přeskočeno ručně" / "skipped by hand": the words the Log shows, in its language only.
    assert_eq!(found(Lang::Cs, "ručně"), skipped);
    assert_eq!(found(Lang::Cs, "RUCNE"), skipped, "without accents, in capitals");
    assert_eq!(found(Lang::En, "by hand"), skipped);
    assert_eq!(found(Lang::En, "ručně"), 0);
    assert_eq!(found(Lang::Cs, "by hand"), 0);
    // Codes still find it in either language: the kind, and an order's code.
    for lang in [Lang::Cs, Lang::En] {
        assert_eq!(found(lang, "skipped"), skipped, "{lang:?}");
    }
    let order = source().orders.iter().find(|o| o.state == OrderState::Skipped).expect("one").code.clone();
    assert!(found(Lang::Cs, &order) >= 1);
}
