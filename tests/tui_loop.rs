//! The runner end to end: terminal events in through a channel, a `TestBackend` out,
//! a real engine link (channels), the fake probe answering on spawned tasks.

use std::io;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use futures_util::Stream;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};
use tokio::sync::{broadcast, watch};

use shoptet_raynet_sync::engine::api::{EngineCommand, EngineEvent, EngineState, EngineStatus};
use shoptet_raynet_sync::http::Service;
use shoptet_raynet_sync::tui::fake::{FakeProbe, FakeSource};
use shoptet_raynet_sync::tui::{DashboardDeps, EngineLink, Lang, run_with};

fn events() -> (UnboundedSender<Event>, impl Stream<Item = io::Result<Event>> + Unpin) {
    let (tx, rx) = unbounded_channel::<Event>();
    let stream =
        futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|e| (Ok(e), rx)) });
    (tx, Box::pin(stream))
}

fn press(tx: &UnboundedSender<Event>, code: KeyCode) {
    let _ = tx.send(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn typed(tx: &UnboundedSender<Event>, text: &str) {
    for c in text.chars() {
        press(tx, KeyCode::Char(c));
    }
}

fn screen(term: &Terminal<TestBackend>) -> String {
    let buf = term.backend().buffer();
    let area = buf.area;
    (0..area.height)
        .map(|y| (0..area.width).map(|x| buf[(x, y)].symbol()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

struct Engine {
    link: EngineLink,
    commands: tokio::sync::mpsc::UnboundedReceiver<EngineCommand>,
    events: broadcast::Sender<EngineEvent>,
    status: watch::Sender<EngineStatus>,
}

fn engine() -> Engine {
    let (ctx, crx) = unbounded_channel();
    let (etx, erx) = broadcast::channel(16);
    let (stx, srx) = watch::channel(EngineStatus { state: EngineState::Idle, ..EngineStatus::default() });
    Engine {
        link: EngineLink { commands: ctx, events: erx, status: srx },
        commands: crx,
        events: etx,
        status: stx,
    }
}

async fn settle() {
    tokio::time::sleep(Duration::from_millis(100)).await;
}

#[tokio::test]
async fn first_run_wizard_saves_through_on_save_and_talks_to_the_new_engine() {
    let mut term = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    let (keys, stream) = events();
    let saved = Arc::new(Mutex::new(Vec::new()));
    let fresh = engine();
    let link = Mutex::new(Some(fresh.link));
    let mut new_commands = fresh.commands;
    let saved_in = saved.clone();
    let deps = DashboardDeps {
        source: Box::new(FakeSource::demo(20, chrono::Utc::now())),
        config: None,
        setup: false,
        config_path: PathBuf::from("/tmp/config.toml"),
        engine: None,
        probe: Arc::new(FakeProbe::demo()),
        on_save: Box::new(move |cfg| {
            if let Ok(mut s) = saved_in.lock() {
                s.push(cfg.raynet.instance.clone());
            }
            Ok(link.lock().ok().and_then(|mut l| l.take()))
        }),
        lang: Lang::En,
        banner: Some("DEMO".into()),
    };
    let events_out = fresh.events;
    let status_out = fresh.status;
    // Owns the key sender: when the script ends, input closes and the loop must end too.
    let driver = async move {
        settle().await;
        press(&keys, KeyCode::Tab);
        typed(&keys, "token123");
        press(&keys, KeyCode::Enter); // → Shoptet test (spawned probe)
        settle().await;
        press(&keys, KeyCode::Enter); // → RAYNET connection
        press(&keys, KeyCode::Tab);
        typed(&keys, "zahrada");
        press(&keys, KeyCode::Tab);
        typed(&keys, "jana@zahrada.cz");
        press(&keys, KeyCode::Tab);
        typed(&keys, "key456");
        press(&keys, KeyCode::Enter); // → RAYNET test
        settle().await;
        for _ in 0..9 {
            press(&keys, KeyCode::Enter); // test ok, statuses, owner, phase, source, category, start, webhook, save
        }
        settle().await;
        press(&keys, KeyCode::Char('S'));
        settle().await;
        status_out.send_replace(EngineStatus {
            state: EngineState::RateLimited { service: Service::Shoptet, until: chrono::Utc::now() },
            ..EngineStatus::default()
        });
        let _ = events_out.send(EngineEvent::CommandRejected { reason: "busy".into() });
        settle().await;
        // No key after the rejection (a key clears the flash): closing the input quits.
        drop(keys);
        (events_out, status_out)
    };
    let (result, _engine_side) =
        tokio::join!(run_with(&mut term, stream, std::future::pending(), deps), driver);
    result.expect("loop ends cleanly");
    let s = screen(&term);
    assert_eq!(saved.lock().map(|s| s.clone()).unwrap_or_default(), vec!["zahrada".to_string()], "{s}");
    assert_eq!(new_commands.try_recv().ok(), Some(EngineCommand::SyncNow), "the new link is used");
    assert!(s.contains("rate-limited by Shoptet"), "{s}");
    assert!(s.contains("Rejected: busy"), "{s}");
    assert!(s.contains(" DEMO"), "{s}");
}

#[tokio::test]
async fn shutdown_signal_and_closed_input_end_the_loop() {
    let mut term = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    let (_keys, stream) = events();
    let e = engine();
    let deps = DashboardDeps {
        source: Box::new(FakeSource::demo(5, chrono::Utc::now())),
        config: None,
        setup: false,
        config_path: PathBuf::from("/tmp/config.toml"),
        engine: Some(e.link),
        probe: Arc::new(FakeProbe::demo()),
        on_save: Box::new(|_| Err("not expected".into())),
        lang: Lang::Cs,
        banner: None,
    };
    let shutdown = tokio::time::sleep(Duration::from_millis(50));
    tokio::time::timeout(Duration::from_secs(5), run_with(&mut term, stream, shutdown, deps))
        .await
        .expect("ends on the shutdown signal")
        .expect("cleanly");

    let (keys, stream) = events();
    drop(keys);
    let deps = DashboardDeps {
        source: Box::new(FakeSource::demo(5, chrono::Utc::now())),
        config: None,
        setup: false,
        config_path: PathBuf::from("/tmp/config.toml"),
        engine: None,
        probe: Arc::new(FakeProbe::demo()),
        on_save: Box::new(|_| Err("not expected".into())),
        lang: Lang::En,
        banner: None,
    };
    tokio::time::timeout(Duration::from_secs(5), run_with(&mut term, stream, std::future::pending(), deps))
        .await
        .expect("ends when input closes")
        .expect("cleanly");
}
