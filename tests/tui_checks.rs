//! The Configuration pane shows the doctor's checks (`d`): ok / warn / fail with the fix in
//! one line, in English and Czech; Esc goes back to the settings. Once over canned results,
//! once over the real checks of a setup against the simulators.

mod common;

use chrono::Utc;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use shoptet_raynet_sync::config::Config;
use shoptet_raynet_sync::front::dashboard::ClientProbe;
use shoptet_raynet_sync::http::RetryPolicy;
use shoptet_raynet_sync::tui::action::Action;
use shoptet_raynet_sync::tui::app::{App, Effect};
use shoptet_raynet_sync::tui::fake::{FakeProbe, FakeSource};
use shoptet_raynet_sync::tui::{Lang, SetupProbe};

use common::screen::{init, screen};
use common::*;

fn key(c: char) -> Action {
    Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn app(config: Config, lang: Lang, (w, h): (u16, u16)) -> App {
    App::new(init(Box::new(FakeSource::default()), Some(config), lang, Utc::now(), (w, h)))
}

fn config(world: &World) -> Config {
    world.config.clone()
}

/// `2`, then `d`: the checks run through the probe (the effect), the pane says so meanwhile.
fn start_checks(app: &mut App) -> Config {
    app.take_effects();
    app.update(key('2'));
    app.update(key('d'));
    match app.take_effects().as_slice() {
        [Effect::RunChecks(cfg)] => (**cfg).clone(),
        other => panic!("expected the checks to run, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_configuration_pane_shows_the_checks_with_their_fixes_and_esc_returns() {
    let world = World::empty().await;
    let mut en = app(config(&world), Lang::En, (80, 24));
    start_checks(&mut en);
    let s = screen(&mut en, 80, 24);
    assert!(s.contains("Checking the setup"), "{s}");
    en.update(Action::ChecksDone(FakeProbe::demo().checks));
    let s = screen(&mut en, 80, 24);
    assert!(s.contains("Configuration · Checks"), "{s}");
    assert!(s.contains("1 ok, 0 warning(s), 1 failure(s)"), "{s}");
    assert!(s.contains("ok   Shoptet reachable") && s.contains("Zahradní potřeby Šťastný"), "{s}");
    assert!(s.contains("FAIL webhook webhooks are on but no signature key"), "{s}");
    assert!(s.contains("→ fetch one and register the webhooks"), "the fix: {s}");
    let bar = s.lines().last().unwrap_or_default();
    assert!(bar.contains("Esc  settings") && bar.contains("d  checks"), "{bar}");
    assert!(!s.contains("Config file"), "the settings make room: {s}");
    en.update(Action::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));
    let s = screen(&mut en, 80, 24);
    assert!(s.contains("Config file") && !s.contains("FAIL"), "{s}");

    let mut cs = app(config(&world), Lang::Cs, (80, 24));
    start_checks(&mut cs);
    cs.update(Action::ChecksDone(FakeProbe::demo().checks));
    let s = screen(&mut cs, 80, 24);
    assert!(s.contains("Konfigurace · Kontrola") || s.contains("· Kontrola"), "{s}");
    assert!(s.contains("CHYBA") && s.contains("chybí podpisový klíč"), "{s}");
    assert!(s.contains("v pořádku 1, upozornění 0, chyb 1"), "{s}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_real_checks_of_a_setup_are_shown_in_the_pane() {
    let mut world = World::empty().await;
    world.config.sync.source_id = 9999;
    let mut a = app(config(&world), Lang::En, (120, 40));
    let cfg = start_checks(&mut a);
    let checks = ClientProbe::new(RetryPolicy::fast()).doctor(cfg).await;
    a.update(Action::ChecksDone(checks));
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("ok   Shoptet") && s.contains("reachable, token accepted"), "{s}");
    assert!(s.contains("FAIL source         #9999 no longer exists in RAYNET"), "{s}");
    assert!(s.contains("→ pick it again"), "{s}");
    // On a small terminal the list scrolls.
    let top = screen(&mut a, 80, 14);
    a.update(Action::Down);
    a.update(Action::Down);
    let scrolled = screen(&mut a, 80, 14);
    assert!(top.contains("10 ok") && !scrolled.contains("10 ok"), "↓ scrolls the checks:\n{top}\n{scrolled}");
}
