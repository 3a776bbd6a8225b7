//! The last English with `--lang cs` (issue 9, item 2): the candidates of an ambiguous client
//! (picker, order detail, `show`), the Matches pane's "matched by", `demo --headless`, and an
//! invalid configuration (the CLI's error, the doctor's config check) — Czech without an
//! English word, English in English; candidates stored by older versions keep their text.

mod common;

use std::path::PathBuf;
use std::process::Output;

use chrono::Utc;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tokio::sync::mpsc::unbounded_channel;

use common::screen::{init, screen};
use common::*;
use shoptet_raynet_sync::config::{Config, ConfigError};
use shoptet_raynet_sync::doctor::{BrokenConfig, Finding, Local};
use shoptet_raynet_sync::engine::api::{EngineState, EngineStatus};
use shoptet_raynet_sync::front::dashboard::StoreSource;
use shoptet_raynet_sync::store::{Candidate, CandidateFacts, EntityKind, EntityRecord, How, Reason};
use shoptet_raynet_sync::tui::action::Action;
use shoptet_raynet_sync::tui::app::{App, AppInit};
use shoptet_raynet_sync::tui::fake::english_words;
use shoptet_raynet_sync::tui::i18n::doctor;
use shoptet_raynet_sync::tui::{Lang, OrderState};

/// Names and commands typed as they are.
const ALLOWED: &[&str] = &["sync", "demo", "resolve", "client", "create", "code"];

fn key(c: char) -> Action {
    Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn no_english(what: &str, text: &str) {
    assert_eq!(english_words(text, ALLOWED), Vec::<String>::new(), "{what} in Czech:\n{text}");
}

/// A world after one pass: order 2026200001 waits for a choice between two clients.
async fn ambiguous_world() -> World {
    let world = World::empty().await;
    ambiguous_slunce(&world, "2026200001");
    let mut engine = world.engine();
    engine.sync_once().await.expect("pass");
    let waiting = world.store().order("2026200001").unwrap().expect("order").state;
    assert_eq!(waiting, shoptet_raynet_sync::store::OrderState::NeedsDecision);
    world
}

/// Two clients the sync matched earlier (by e-mail and by IČ).
fn matched_clients(world: &World) {
    let mut store = world.store();
    for (i, (by, label)) in
        [("email", "Pekárna U Mlýna"), ("reg_number", "Truhlářství Dub")].iter().enumerate()
    {
        store
            .record_entity(&EntityRecord {
                kind: EntityKind::Client,
                shoptet_key: format!("shoptet:{i}"),
                raynet_id: 500 + i as i64,
                how: How::Matched,
                matched_by: Some(by.to_string()),
                label: label.to_string(),
                shoptet_ref: Some(format!("zakaznik{i}@example.cz")),
                first_order_code: None,
                created_at: Utc::now(),
            })
            .expect("entity");
    }
}

fn dashboard(world: &World, lang: Lang) -> App {
    let (tx, _rx) = unbounded_channel();
    std::mem::forget(_rx);
    App::new(AppInit {
        commands: Some(tx),
        status: Some(EngineStatus { state: EngineState::Idle, ..EngineStatus::default() }),
        ..init(
            Box::new(StoreSource::new(world.store(), None)),
            Some(world.config.clone()),
            lang,
            Utc::now(),
            (120, 40),
        )
    })
}

/// The picker of the waiting order, then the Matches pane, as text.
fn picker_and_matches(world: &World, lang: Lang) -> (String, String) {
    let mut app = dashboard(world, lang);
    app.update(key('5'));
    while app.retry.window.selected_row().map(|o| o.state) != Some(OrderState::NeedsDecision) {
        app.update(Action::Key(KeyEvent::new(KeyCode::Down, KeyModifiers::NONE)));
    }
    app.update(key('a'));
    let picker = screen(&mut app, 120, 40);
    app.update(Action::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));
    app.update(key('4'));
    let matches = screen(&mut app, 120, 40);
    (picker, matches)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_picker_and_the_matches_pane_speak_the_chosen_language() {
    let world = ambiguous_world().await;
    matched_clients(&world);
    let (picker, matches) = tokio::task::block_in_place(|| picker_and_matches(&world, Lang::Cs));
    assert!(picker.contains("vlastník Petra Malá") && picker.contains("podle e-mailu"), "{picker}");
    no_english("the picker", &picker);
    assert!(matches.contains("Pekárna U Mlýna") && matches.contains("e-mailu"), "{matches}");
    no_english("the Matches pane", &matches);

    let (picker, matches) = tokio::task::block_in_place(|| picker_and_matches(&world, Lang::En));
    assert!(picker.contains("owner Petra Malá") && picker.contains("e-mail;"), "{picker}");
    assert!(!picker.contains("vlastník"), "{picker}");
    let row = matches.lines().find(|l| l.contains("Truhlářství Dub")).expect("row");
    assert!(row.contains("IČ"), "{matches}");
    let row = matches.lines().find(|l| l.contains("Pekárna U Mlýna")).expect("row");
    assert!(row.contains("e-mail") && !row.contains("email "), "the key's words, not its code: {matches}");
}

fn run(world: &World, args: &[&str]) -> Output {
    let (config, data) = world.write_config();
    tokio::task::block_in_place(|| {
        common::process::bin()
            .args(args)
            .arg("--config")
            .arg(config)
            .arg("--data-dir")
            .arg(data)
            .output()
            .expect("run binary")
    })
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn show_says_the_candidates_in_czech_and_keeps_an_older_versions_text() {
    let world = ambiguous_world().await;
    let cs = stdout(&run(&world, &["show", "2026200001", "--lang", "cs"]));
    assert!(cs.contains("vlastník Petra Malá"), "{cs}");
    let candidates: String = cs.lines().filter(|l| l.contains("kandidát")).collect();
    assert!(!candidates.is_empty(), "{cs}");
    no_english("show's candidates", &candidates);
    let en = stdout(&run(&world, &["show", "2026200001"]));
    assert!(en.contains("owner Petra Malá") && en.contains("matched by e-mail"), "{en}");

    // A decision an older version stored: its English text is shown as it is.
    let mut store = world.store();
    let old = Candidate {
        raynet_id: 77,
        name: "Stará Kavárna".into(),
        matched_by: "email".into(),
        facts: CandidateFacts { legacy: Some("IČ 1, owner Eva Stará".into()), ..CandidateFacts::default() },
    };
    let reason = Reason::Ambiguous { by: "email".into(), candidates: vec!["Stará Kavárna (#77)".into()] };
    store.set_decision("2026200001", &reason, &[old]).expect("decision");
    let cs = stdout(&run(&world, &["show", "2026200001", "--lang", "cs"]));
    assert!(cs.contains("kandidát #77: Stará Kavárna — shoda podle e-mailu; IČ 1, owner Eva Stará"), "{cs}");
}

/// The world's configuration with a poll interval under the minimum, written beside it.
fn invalid_config(world: &World) -> (PathBuf, PathBuf) {
    let mut config: Config = world.config.clone();
    config.sync.poll_interval_secs = 5;
    let path = world.dir.path().join("invalid.toml");
    config.save(&path).expect("save");
    (path, world.dir.path().to_path_buf())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invalid_configuration_is_said_in_the_chosen_language() {
    let world = World::empty().await;
    let (path, data) = invalid_config(&world);
    let said = |lang: &str| {
        let o = tokio::task::block_in_place(|| {
            common::process::bin()
                .args(["sync", "--once", "--lang", lang, "--config"])
                .arg(&path)
                .arg("--data-dir")
                .arg(&data)
                .output()
                .expect("run")
        });
        assert_eq!(o.status.code(), Some(1), "{o:?}");
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    let cs = said("cs");
    assert!(cs.contains("sync.poll_interval_secs") && cs.contains("musí být mezi 30 a 86400"), "{cs}");
    let file = path.display().to_string();
    no_english("the invalid config", &cs.replace(&file, "<file>"));
    let en = said("en");
    assert!(en.contains("sync.poll_interval_secs: must be between 30 and 86400 seconds"), "{en}");

    // The doctor's config check, as the dashboard's Configuration pane shows it.
    let e = Config::load(&path).expect_err("invalid");
    assert!(matches!(e, ConfigError::Invalid { .. }), "{e}");
    let finding = Finding::Local(Local::ConfigBroken { error: BrokenConfig::from(&e) });
    let (cs, fix) = doctor::finding(Lang::Cs, &finding);
    assert!(cs.contains("musí být mezi 30 a 86400"), "{cs}");
    no_english("the doctor's detail", &cs.replace(&file, "<file>"));
    no_english("the doctor's fix", &fix.unwrap_or_default());
    let (en, _) = doctor::finding(Lang::En, &finding);
    assert_eq!(en, e.to_string(), "English says what the error says");
}

#[test]
fn the_headless_demo_sums_up_in_the_chosen_language() {
    let o = common::process::bin().args(["demo", "--headless", "--lang", "cs"]).output().expect("run");
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let cs = stdout(&o);
    assert!(cs.contains("Objednávky podle stavu") && cs.contains("Čeká na rozhodnutí"), "{cs}");
    assert!(cs.contains("spárován podle"), "{cs}");
    // Addresses of the simulators are codes; the services' own words (quoted reasons) are Czech.
    no_english("demo --headless", &cs);
    let en = stdout(&common::process::bin().args(["demo", "--headless"]).output().expect("run"));
    assert!(en.contains("Orders by state") && en.contains("matched by"), "{en}");
}
