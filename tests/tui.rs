//! Dashboard and wizard behaviour, driven like a user would: build `App` over the fake
//! source, feed keys and actions to `update`, render into a `TestBackend`, read the screen.

mod common;

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::text::Span;
use secrecy::ExposeSecret;
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

use shoptet_raynet_sync::config::Config;
use shoptet_raynet_sync::engine::api::{ClientChoice, EngineCommand, EngineEvent, EngineState, EngineStatus};
use shoptet_raynet_sync::http::Service;
use shoptet_raynet_sync::tui::action::{Action, Pane};
use shoptet_raynet_sync::tui::app::{App, AppInit, Effect, Popup};
use shoptet_raynet_sync::tui::fake::{FakeProbe, FakeSource};
use shoptet_raynet_sync::tui::wizard::Step;
use shoptet_raynet_sync::tui::{Lang, OrderState};
use shoptet_raynet_sync::webhooks::Report;

use common::screen::screen;

const TOKEN: &str = "shoptet-secret-token-123";
const API_KEY: &str = "raynet-secret-key-456";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 30, 0).single().expect("valid time")
}

fn config() -> Config {
    // The sync started on 1 November, 26 days before the injected clock.
    let start = common::start_before(now(), 26).to_rfc3339();
    toml::from_str(&format!(
        r#"
[shoptet]
api_token = "{TOKEN}"
[raynet]
instance = "zahrada"
username = "jana@zahrada.cz"
api_key = "{API_KEY}"
[sync]
enabled_at = "{start}"
final_status_ids = [-3]
default_owner_id = 11
business_case_phase_id = 3
source_id = 21
"#
    ))
    .expect("valid config")
}

struct Harness {
    app: App,
    commands: UnboundedReceiver<EngineCommand>,
}

fn harness_with(source: FakeSource, cfg: Option<Config>, lang: Lang, engine: bool) -> Harness {
    let (tx, rx) = unbounded_channel();
    let app = App::new(AppInit {
        source: Box::new(source),
        config: cfg,
        config_path: PathBuf::from("/etc/shoptet-raynet-sync/config.toml"),
        commands: engine.then_some(tx),
        status: engine.then(|| EngineStatus {
            state: EngineState::Idle,
            next_poll: Some(now() + chrono::Duration::minutes(5)),
            ..EngineStatus::default()
        }),
        probe: Arc::new(FakeProbe::demo()),
        lang,
        banner: None,
        now: now(),
        size: (80, 24),
        setup: false,
    });
    Harness { app, commands: rx }
}

fn harness(lang: Lang) -> Harness {
    harness_with(FakeSource::demo(100, now()), Some(config()), lang, true)
}

fn key(c: char) -> Action {
    Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn code(c: KeyCode) -> Action {
    Action::Key(KeyEvent::new(c, KeyModifiers::NONE))
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(key(c));
    }
}

fn last_line(s: &str) -> &str {
    s.lines().last().unwrap_or("")
}

fn sent(h: &mut Harness) -> Vec<EngineCommand> {
    let mut v = Vec::new();
    while let Ok(c) = h.commands.try_recv() {
        v.push(c);
    }
    v
}

#[test]
fn overview_shows_state_counts_and_throughput_at_both_sizes() {
    let mut h = harness(Lang::En);
    h.app.update(Action::NamesResolved { shoptet: Some(FakeProbe::demo().shoptet), raynet: None });
    h.app.update(Action::Status(EngineStatus {
        state: EngineState::Syncing,
        progress: Some((40, 100)),
        current_order: Some("202600007".into()),
        next_poll: Some(now() + chrono::Duration::minutes(5)),
        ..EngineStatus::default()
    }));
    let small = screen(&mut h.app, 80, 24);
    assert!(small.contains("running — 202600007"), "{small}");
    assert!(small.contains("needs decision 14"), "{small}");
    assert!(small.contains("First sync 40 / 100"), "{small}");
    insta::assert_snapshot!("overview_80x24", small);
    insta::assert_snapshot!("overview_120x40", screen(&mut h.app, 120, 40));
}

#[test]
fn panes_switch_with_tab_shift_tab_and_digits() {
    let mut h = harness(Lang::En);
    h.app.update(code(KeyCode::Tab));
    assert_eq!(h.app.pane, Pane::Configuration);
    h.app.update(Action::Key(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)));
    assert_eq!(h.app.pane, Pane::Overview);
    h.app.update(code(KeyCode::BackTab));
    assert_eq!(h.app.pane, Pane::Activity);
    for (c, pane) in [('3', Pane::Pending), ('4', Pane::Entities), ('5', Pane::Retry), ('1', Pane::Overview)]
    {
        h.app.update(key(c));
        assert_eq!(h.app.pane, pane);
    }
}

#[test]
fn every_pane_renders_at_80x24() {
    let mut h = harness(Lang::En);
    h.app.update(Action::NamesResolved {
        shoptet: Some(FakeProbe::demo().shoptet),
        raynet: Some(FakeProbe::demo().raynet),
    });
    for (digit, name) in
        [('2', "config"), ('3', "pending"), ('4', "entities"), ('5', "retry"), ('6', "activity")]
    {
        h.app.update(key(digit));
        let s = screen(&mut h.app, 80, 24);
        insta::assert_snapshot!(format!("pane_{name}_80x24"), s);
    }
}

#[test]
fn configuration_resolves_names_and_never_shows_secrets() {
    let mut h = harness(Lang::En);
    h.app.update(key('2'));
    let before = screen(&mut h.app, 120, 40);
    assert!(before.contains("#11"), "ids until names arrive: {before}");
    assert!(before.contains("looking up names"), "{before}");
    h.app.update(Action::NamesResolved {
        shoptet: Some(FakeProbe::demo().shoptet),
        raynet: Some(FakeProbe::demo().raynet),
    });
    let after = screen(&mut h.app, 120, 40);
    assert!(after.contains("Jana Nováková (11)"), "{after}");
    assert!(after.contains("Vyhráno (3)"), "{after}");
    assert!(after.contains("Vyřízena (-3)"), "{after}");
    assert!(after.contains("Zahradní potřeby Šťastný"), "{after}");
    assert!(after.contains("/etc/shoptet-raynet-sync/config.toml"), "{after}");
    assert!(!after.contains(TOKEN) && !after.contains(API_KEY));
    insta::assert_snapshot!("pane_config_120x40", after);
}

#[test]
fn key_bar_fits_80_columns_in_every_mode_and_keeps_help() {
    let mut h = harness(Lang::Cs);
    for digit in ['1', '2', '3', '4', '5', '6'] {
        h.app.update(key(digit));
        let s = screen(&mut h.app, 80, 24);
        let bar = last_line(&s);
        assert!(Span::raw(bar.trim_end()).width() <= 80);
        assert!(bar.contains(" ? ") && bar.contains("nápověda"), "help kept in view: {bar}");
    }
    // The retry pane on a needs-decision row has the most keys; the bar is cut with "…".
    h.app.update(key('5'));
    while h.app.retry.window.selected_row().map(|o| o.state) != Some(OrderState::NeedsDecision) {
        h.app.update(code(KeyCode::Down));
    }
    let s = screen(&mut h.app, 80, 24);
    let bar = last_line(&s);
    assert!(bar.contains('…'), "{bar}");
    assert!(bar.contains(" a ") && bar.contains("vybrat klienta"), "{bar}");
    let wide = screen(&mut h.app, 200, 24);
    assert!(!last_line(&wide).contains('…'), "{}", last_line(&wide));
}

#[test]
fn key_bar_lists_only_keys_valid_now() {
    let mut h = harness(Lang::En);
    h.app.update(key('5'));
    let on_failed = h.app.bindings().iter().filter(|b| b.bar).map(|b| b.key).collect::<Vec<_>>();
    // Rows are sorted by change time, newest first: the first row is code 202600004 (failed).
    assert_eq!(h.app.retry.window.selected_row().map(|o| o.state), Some(OrderState::Failed));
    assert!(on_failed.contains(&"r") && !on_failed.contains(&"a"), "{on_failed:?}");
    h.app.update(key('1'));
    let overview = h.app.bindings().iter().map(|b| b.key).collect::<Vec<_>>();
    assert!(!overview.contains(&"r") && !overview.contains(&"/"), "{overview:?}");
    // Without an engine, pause and sync-now are not offered.
    let mut no_engine = harness_with(FakeSource::demo(10, now()), Some(config()), Lang::En, false);
    assert!(!no_engine.app.bindings().iter().any(|b| b.key == "p"));
    no_engine.app.update(key('p'));
    assert!(sent(&mut no_engine).is_empty());
}

#[test]
fn help_popup_lists_the_keys_of_the_pane_beneath() {
    let mut h = harness(Lang::En);
    h.app.update(key('5'));
    h.app.update(key('?'));
    let s = screen(&mut h.app, 80, 24);
    assert!(s.contains("retry now") && s.contains("re-sync") && s.contains("page down"), "{s}");
    insta::assert_snapshot!("help_retry_80x24", s);
    h.app.update(code(KeyCode::Esc));
    assert!(h.app.popups.is_empty());
}

#[test]
fn retry_queue_keys_send_engine_commands() {
    let mut h = harness(Lang::En);
    h.app.update(key('5'));
    let first = h.app.retry.window.selected_row().expect("rows").code.clone();
    h.app.update(key('r'));
    h.app.update(key('R'));
    assert_eq!(
        sent(&mut h),
        vec![EngineCommand::Retry { code: first.clone() }, EngineCommand::Resync { code: first.clone() }]
    );
    h.app.update(key('p'));
    h.app.update(key('S'));
    assert_eq!(sent(&mut h), vec![EngineCommand::Pause, EngineCommand::SyncNow]);
    h.app.update(Action::Status(EngineStatus { state: EngineState::Paused, ..EngineStatus::default() }));
    h.app.update(key('p'));
    assert_eq!(sent(&mut h), vec![EngineCommand::Resume]);
}

#[test]
fn skip_asks_for_confirmation_first() {
    let mut h = harness(Lang::En);
    h.app.update(key('5'));
    let first = h.app.retry.window.selected_row().expect("rows").code.clone();
    h.app.update(key('s'));
    assert!(sent(&mut h).is_empty(), "nothing sent before confirming");
    let s = screen(&mut h.app, 80, 24);
    assert!(s.contains(&format!("Stop syncing order {first}?")), "{s}");
    insta::assert_snapshot!("confirm_skip_80x24", s);
    h.app.update(key('n'));
    assert!(h.app.popups.is_empty());
    assert!(sent(&mut h).is_empty());
    h.app.update(key('s'));
    h.app.update(key('y'));
    assert_eq!(
        sent(&mut h),
        vec![EngineCommand::Skip { code: first, reason: "skipped from the dashboard".into() }]
    );
}

#[test]
fn ambiguous_client_is_resolved_with_the_picker() {
    let mut h = harness(Lang::En);
    h.app.update(key('5'));
    while h.app.retry.window.selected_row().map(|o| o.state) != Some(OrderState::NeedsDecision) {
        h.app.update(code(KeyCode::Down));
    }
    let order = h.app.retry.window.selected_row().expect("row").code.clone();
    h.app.update(key('a'));
    let s = screen(&mut h.app, 80, 24);
    assert!(s.contains("#1001") && s.contains("+ create a new client"), "{s}");
    insta::assert_snapshot!("client_picker_80x24", s);
    h.app.update(code(KeyCode::Enter));
    assert_eq!(
        sent(&mut h),
        vec![EngineCommand::Resolve { code: order.clone(), choice: ClientChoice::Existing(1001) }]
    );
    h.app.update(key('a'));
    for _ in 0..5 {
        h.app.update(code(KeyCode::Down));
    }
    h.app.update(code(KeyCode::Enter));
    assert_eq!(sent(&mut h), vec![EngineCommand::Resolve { code: order, choice: ClientChoice::CreateNew }]);
}

#[test]
fn enter_opens_the_order_detail_from_any_order_pane() {
    let mut h = harness(Lang::En);
    for digit in ['3', '5', '6'] {
        h.app.update(key(digit));
        h.app.update(code(KeyCode::Enter));
        assert!(matches!(h.app.popups.last(), Some(Popup::Detail { .. })), "pane {digit}");
        h.app.update(code(KeyCode::Esc));
    }
    h.app.update(key('5'));
    h.app.update(code(KeyCode::Enter));
    let s = screen(&mut h.app, 120, 40);
    for part in [
        "Shoptet",
        "Plan",
        "API calls",
        "PUT",
        "/businessCase/",
        "400",
        "503 Service",
        "admin/objednavky-detail",
    ] {
        assert!(s.contains(part), "missing {part}: {s}");
    }
    insta::assert_snapshot!("order_detail_120x40", s);
}

#[test]
fn sorting_cycles_columns_and_reverses() {
    let mut h = harness(Lang::En);
    h.app.update(key('3'));
    let first = |h: &Harness| h.app.pending.window.page.rows.first().map(|o| o.code.clone());
    assert_eq!(first(&h).as_deref(), Some("202600001"), "newest change first");
    h.app.update(key('O'));
    assert_ne!(first(&h).as_deref(), Some("202600001"));
    h.app.update(key('o'));
    let s = screen(&mut h.app, 80, 24);
    assert!(s.contains("Code ▲"), "{s}");
    h.app.update(key('o'));
    let s = screen(&mut h.app, 80, 24);
    assert!(s.contains("Status ▲") && !s.contains("Code ▲"), "{s}");
}

#[test]
fn filter_narrows_as_you_type_and_esc_restores() {
    let mut h = harness(Lang::En);
    h.app.update(key('3'));
    let all = h.app.pending.window.page.total;
    h.app.update(key('/'));
    typed(&mut h.app, "šťastná");
    let filtered = h.app.pending.window.page.total;
    assert!(filtered > 0 && filtered < all, "{filtered} of {all}");
    assert!(h.app.pending.window.page.rows.iter().all(|o| o.customer.contains("Šťastná")));
    let s = screen(&mut h.app, 80, 24);
    assert!(s.contains("/ šťastná"), "{s}");
    h.app.update(code(KeyCode::Esc));
    assert_eq!(h.app.pending.window.page.total, all);
    h.app.update(key('/'));
    typed(&mut h.app, "novák");
    h.app.update(code(KeyCode::Enter));
    assert!(h.app.filter.is_none());
    assert!(h.app.pending.window.page.rows.iter().all(|o| o.customer.contains("Novák")));
}

#[test]
fn entities_filter_by_how_and_kind() {
    let mut h = harness(Lang::En);
    h.app.update(key('4'));
    assert!(h.app.entities.window.page.rows.iter().all(|e| e.raynet_id < 5000));
    assert!(!h.app.bindings().iter().any(|b| b.key == "Enter"), "no order behind an entity row");
    h.app.update(key('h'));
    let s = screen(&mut h.app, 80, 24);
    assert!(s.contains("Clients · matched"), "{s}");
    let rows = &h.app.entities.window.page.rows;
    assert!(!rows.is_empty() && rows.iter().all(|e| e.matched_by.is_some()), "{s}");
    h.app.update(key('h'));
    assert!(h.app.entities.window.page.rows.iter().all(|e| e.matched_by.is_none()));
    h.app.update(key('k'));
    let s = screen(&mut h.app, 80, 24);
    assert!(s.contains("Products · created") && s.contains("SKU-"), "{s}");
}

#[test]
fn a_hundred_thousand_orders_are_paged_not_loaded() {
    let source = FakeSource::demo(100_000, now());
    let limits = source.limits.clone();
    let mut h = harness_with(source, Some(config()), Lang::En, true);
    h.app.update(key('3'));
    let s = screen(&mut h.app, 80, 24);
    assert!(s.contains("of 28 572"), "{s}");
    h.app.update(code(KeyCode::End));
    let s = screen(&mut h.app, 80, 24);
    assert!(s.contains("28 572 of 28 572"), "{s}");
    h.app.update(code(KeyCode::PageUp));
    assert_eq!(h.app.pending.window.selected, 28_571 - h.app.page_rows());
    let max = limits.lock().map(|l| l.iter().copied().max().unwrap_or(0)).unwrap_or(u64::MAX);
    assert!(max > 0 && max <= 24, "asked for at most one screen of rows, got {max}");
}

#[test]
fn source_errors_are_shown_not_fatal() {
    let source = FakeSource { fail: Some("database is locked".into()), ..FakeSource::default() };
    let mut h = harness_with(source, Some(config()), Lang::En, true);
    let s = screen(&mut h.app, 80, 24);
    assert!(s.contains("Cannot read the sync database: database is locked"), "{s}");
    h.app.update(key('5'));
    let s = screen(&mut h.app, 80, 24);
    assert!(s.contains("⚠ database is locked"), "{s}");
    h.app.update(code(KeyCode::Enter));
    assert!(h.app.popups.is_empty(), "nothing to open");
    insta::assert_snapshot!("source_error_80x24", s);
}

#[test]
fn auth_problem_and_rate_limit_are_explained() {
    let mut h = harness(Lang::En);
    h.app.update(Action::Engine(EngineEvent::StateChanged {
        state: EngineState::AuthProblem { service: Service::Raynet, problem: "401 Unauthorized".into() },
    }));
    let s = screen(&mut h.app, 80, 24);
    assert!(s.contains("credentials rejected by RAYNET: 401 Unauthorized"), "{s}");
    assert!(s.contains("2 Configuration → e edit"), "{s}");
    insta::assert_snapshot!("auth_problem_80x24", s);
    h.app.update(Action::Status(EngineStatus {
        state: EngineState::RateLimited {
            service: Service::Shoptet,
            until: now() + chrono::Duration::minutes(2),
        },
        ..EngineStatus::default()
    }));
    let s = screen(&mut h.app, 80, 24);
    assert!(s.contains("rate-limited by Shoptet until 2026-11-27 09:32"), "{s}");
}

#[test]
fn engine_rejections_are_flashed_until_the_next_key() {
    let mut h = harness(Lang::En);
    h.app.update(Action::Engine(EngineEvent::CommandRejected { reason: "unknown order 42".into() }));
    assert!(screen(&mut h.app, 80, 24).contains("Rejected: unknown order 42"));
    h.app.update(key('1'));
    assert!(!screen(&mut h.app, 80, 24).contains("Rejected"));
}

#[test]
fn czech_text_with_diacritics_stays_aligned() {
    let mut h = harness(Lang::Cs);
    h.app.update(key('3'));
    let s = screen(&mut h.app, 100, 30);
    assert!(s.contains("Čekající objednávky") && s.contains("Zákazník"), "{s}");
    // The currency column starts at the same display column on every row, whatever the
    // width of the customer's name (Czech diacritics, CJK).
    let columns: Vec<usize> = s
        .lines()
        .filter(|l| l.contains("CZK") || l.contains("EUR"))
        .map(|l| {
            let i = l.find("CZK").or_else(|| l.find("EUR")).unwrap_or(0);
            Span::raw(&l[..i]).width()
        })
        .collect();
    assert!(columns.len() > 5, "{s}");
    assert!(columns.windows(2).all(|w| w[0] == w[1]), "{columns:?}\n{s}");
    assert!(s.contains("日本 Trading"), "{s}");
    insta::assert_snapshot!("pending_cs_100x30", s);
    h.app.update(key('1'));
    insta::assert_snapshot!("overview_cs_80x24", screen(&mut h.app, 80, 24));
}

#[test]
fn ctrl_c_and_q_quit() {
    let mut h = harness(Lang::En);
    h.app.update(key('q'));
    assert!(h.app.should_quit());
    let mut w = harness_with(FakeSource::demo(5, now()), None, Lang::En, false);
    w.app.update(key('q'));
    assert!(!w.app.should_quit(), "q is text inside the wizard");
    w.app.update(Action::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)));
    assert!(w.app.should_quit());
}

fn wizard_step(app: &App) -> Option<Step> {
    app.wizard.as_ref().map(|w| w.step)
}

fn clear_field(app: &mut App) {
    for _ in 0..80 {
        app.update(code(KeyCode::Backspace));
    }
}

#[test]
fn wizard_walks_from_nothing_to_a_saved_config() {
    let mut h = harness_with(FakeSource::default(), None, Lang::En, false);
    assert_eq!(wizard_step(&h.app), Some(Step::ShoptetConn));
    assert!(h.app.take_effects().is_empty(), "no config: nothing to resolve");
    insta::assert_snapshot!("wizard_1_shoptet_80x24", screen(&mut h.app, 80, 24));

    // The URL validates as you type.
    clear_field(&mut h.app);
    typed(&mut h.app, "api.myshoptet");
    let s = screen(&mut h.app, 80, 24);
    assert!(s.contains("Enter an address starting with https://"), "{s}");
    clear_field(&mut h.app);
    typed(&mut h.app, "https://api.myshoptet.com");
    // Enter with no token stays here and moves to the token.
    h.app.update(code(KeyCode::Enter));
    assert_eq!(wizard_step(&h.app), Some(Step::ShoptetConn));
    assert_eq!(h.app.wizard.as_ref().map(|w| w.focus), Some(1));
    let s = screen(&mut h.app, 80, 24);
    assert!(s.contains("Paste the token from Shoptet admin"), "{s}");
    typed(&mut h.app, "bad token");
    assert!(screen(&mut h.app, 80, 24).contains("Remove the spaces"));
    clear_field(&mut h.app);
    typed(&mut h.app, TOKEN);
    let s = screen(&mut h.app, 80, 24);
    assert!(!s.contains(TOKEN) && s.contains("••••"), "token masked: {s}");
    insta::assert_snapshot!("wizard_1_shoptet_filled_80x24", s);

    // Live test: failure shows the reason and allows a retry.
    h.app.update(code(KeyCode::Enter));
    assert_eq!(wizard_step(&h.app), Some(Step::ShoptetTest));
    let effects = h.app.take_effects();
    match effects.as_slice() {
        [Effect::TestShoptet { base_url, token, addon_eshop_url }] => {
            assert_eq!(addon_eshop_url, &None, "private token mode");
            assert_eq!(base_url, "https://api.myshoptet.com");
            assert_eq!(token.expose_secret(), TOKEN);
        }
        other => panic!("expected a Shoptet test, got {other:?}"),
    }
    assert!(screen(&mut h.app, 80, 24).contains("Testing the connection"));
    h.app.update(Action::ShoptetTested(Err("401 Unauthorized — the token is wrong or expired".into())));
    let s = screen(&mut h.app, 80, 24);
    assert!(s.contains("The connection test failed") && s.contains("401 Unauthorized"), "{s}");
    insta::assert_snapshot!("wizard_2_shoptet_failed_80x24", s);
    h.app.update(code(KeyCode::Enter));
    assert_eq!(wizard_step(&h.app), Some(Step::ShoptetTest), "cannot continue after a failure");
    h.app.update(key('r'));
    assert_eq!(h.app.take_effects().len(), 1, "retry runs the test again");
    h.app.update(Action::ShoptetTested(FakeProbe::demo().shoptet));
    let s = screen(&mut h.app, 80, 24);
    assert!(s.contains("Zahradní potřeby Šťastný") && s.contains("222651") && s.contains("CZK, EUR"), "{s}");
    insta::assert_snapshot!("wizard_2_shoptet_ok_80x24", s);
    h.app.update(code(KeyCode::Enter));

    // RAYNET connection.
    assert_eq!(wizard_step(&h.app), Some(Step::RaynetConn));
    h.app.update(code(KeyCode::Tab));
    typed(&mut h.app, "zahrada");
    h.app.update(code(KeyCode::Tab));
    typed(&mut h.app, "jana@zahrada");
    let s = screen(&mut h.app, 80, 24);
    assert!(s.contains("Enter the e-mail you log in to RAYNET with"), "{s}");
    typed(&mut h.app, ".cz");
    h.app.update(code(KeyCode::Tab));
    typed(&mut h.app, API_KEY);
    insta::assert_snapshot!("wizard_3_raynet_80x24", screen(&mut h.app, 80, 24));
    // Esc goes back one step and keeps what was typed.
    h.app.update(code(KeyCode::Esc));
    assert_eq!(wizard_step(&h.app), Some(Step::ShoptetTest));
    h.app.update(code(KeyCode::Enter));
    assert_eq!(wizard_step(&h.app), Some(Step::RaynetConn));
    h.app.update(code(KeyCode::Enter));
    assert_eq!(wizard_step(&h.app), Some(Step::RaynetTest));
    match h.app.take_effects().as_slice() {
        [Effect::TestRaynet { instance, username, api_key, .. }] => {
            assert_eq!((instance.as_str(), username.as_str()), ("zahrada", "jana@zahrada.cz"));
            assert_eq!(api_key.expose_secret(), API_KEY);
        }
        other => panic!("expected a RAYNET test, got {other:?}"),
    }
    h.app.update(Action::RaynetTested(FakeProbe::demo().raynet));
    let s = screen(&mut h.app, 80, 24);
    assert!(s.contains("Jana Nováková, Petr Dvořák"), "{s}");
    insta::assert_snapshot!("wizard_4_raynet_ok_80x24", s);
    h.app.update(code(KeyCode::Enter));

    // Final statuses: -3 is preselected; unticking everything is refused.
    assert_eq!(wizard_step(&h.app), Some(Step::FinalStatuses));
    let s = screen(&mut h.app, 80, 24);
    assert!(s.contains("[x] Vyřízena (-3)") && s.contains("[ ] Nevyřízená (-1)"), "{s}");
    insta::assert_snapshot!("wizard_5_final_statuses_80x24", s);
    // The cursor starts on the preselected status; unticking it leaves nothing chosen.
    h.app.update(key(' '));
    h.app.update(code(KeyCode::Enter));
    assert!(screen(&mut h.app, 80, 24).contains("Choose at least one entry"));
    h.app.update(code(KeyCode::Down));
    h.app.update(key(' '));
    h.app.update(code(KeyCode::Enter));

    // Owner, phase, source, category.
    assert_eq!(wizard_step(&h.app), Some(Step::Owner));
    h.app.update(code(KeyCode::Down));
    insta::assert_snapshot!("wizard_6_owner_80x24", screen(&mut h.app, 80, 24));
    h.app.update(code(KeyCode::Enter));
    assert_eq!(wizard_step(&h.app), Some(Step::Phase));
    h.app.update(code(KeyCode::Down));
    h.app.update(code(KeyCode::Down));
    h.app.update(code(KeyCode::Enter));
    assert_eq!(wizard_step(&h.app), Some(Step::Source));
    h.app.update(code(KeyCode::Enter));
    assert_eq!(wizard_step(&h.app), Some(Step::Category));
    assert!(
        screen(&mut h.app, 80, 24).contains("( ) none") || screen(&mut h.app, 80, 24).contains("(•) none")
    );
    h.app.update(code(KeyCode::Enter));

    // Start date: default is now in the shop's zone; validated as you type.
    assert_eq!(wizard_step(&h.app), Some(Step::StartDate));
    let s = screen(&mut h.app, 80, 24);
    let shop_now = now().with_timezone(&chrono_tz::Europe::Prague);
    assert!(s.contains(&shop_now.format("%Y-%m-%d %H:%M").to_string()), "now in Europe/Prague: {s}");
    clear_field(&mut h.app);
    typed(&mut h.app, "2026-02-30");
    let s = screen(&mut h.app, 80, 24);
    assert!(s.contains("Write the date as 2026-01-31"), "{s}");
    insta::assert_snapshot!("wizard_7_start_invalid_80x24", s);
    h.app.update(code(KeyCode::Enter));
    assert_eq!(wizard_step(&h.app), Some(Step::StartDate));
    clear_field(&mut h.app);
    // A start 26 days before the dashboard's clock, at 08:00 in the shop's zone.
    let day = (shop_now - chrono::Duration::days(26)).date_naive();
    let start = chrono_tz::Europe::Prague.from_local_datetime(&day.and_hms_opt(8, 0, 0).unwrap()).unwrap();
    typed(&mut h.app, &start.format("%Y-%m-%d %H:%M").to_string());
    h.app.update(code(KeyCode::Enter));

    // Webhook: off by default; once on, its fields must be valid.
    assert_eq!(wizard_step(&h.app), Some(Step::Webhook));
    h.app.update(key(' '));
    h.app.update(code(KeyCode::Tab));
    h.app.update(code(KeyCode::Tab));
    typed(&mut h.app, "http://sync.zahrada.cz:8443/hook");
    let s = screen(&mut h.app, 80, 24);
    assert!(s.contains("Enter the public https:// URL"), "{s}");
    insta::assert_snapshot!("wizard_8_webhook_80x24", s);
    // The receiver answers on /webhook: a URL elsewhere would never reach it.
    clear_field(&mut h.app);
    typed(&mut h.app, "https://sync.zahrada.cz/hook");
    h.app.update(code(KeyCode::Enter));
    assert_eq!(wizard_step(&h.app), Some(Step::Webhook));
    assert!(screen(&mut h.app, 80, 24).contains("must end with /webhook"));
    clear_field(&mut h.app);
    typed(&mut h.app, "https://sync.zahrada.cz/webhook");
    h.app.update(code(KeyCode::Enter));

    // Review: the TOML, secrets masked; nothing saved until Enter.
    assert_eq!(wizard_step(&h.app), Some(Step::Review));
    assert!(h.app.take_effects().is_empty(), "nothing written before review");
    let s = screen(&mut h.app, 80, 40);
    assert!(s.contains("instance = \"zahrada\"") && s.contains("••••"), "{s}");
    assert!(!s.contains(TOKEN) && !s.contains(API_KEY), "{s}");
    insta::assert_snapshot!("wizard_9_review_80x40", s);
    // Enter first registers the webhooks (and fetches a key: none is stored), then saves.
    h.app.update(code(KeyCode::Enter));
    match h.app.take_effects().as_slice() {
        [Effect::SetUpWebhooks { shop, job }] => {
            assert_eq!(shop.token.expose_secret(), TOKEN);
            assert!(job.renew_key, "no key stored yet");
        }
        other => panic!("expected the webhook setup, got {other:?}"),
    }
    assert!(screen(&mut h.app, 80, 24).contains("Registering the webhooks"));
    let key = secrecy::SecretString::from("0f1e2d3c4b5a69788796a5b4c3d2e1f0".to_string());
    h.app.update(Action::WebhooksSetUp(Ok(Report { key: Some(key), ..Report::default() })));
    let cfg = match h.app.take_effects().pop() {
        Some(Effect::Save(cfg)) => cfg,
        other => panic!("expected a save, got {other:?}"),
    };
    assert_eq!(cfg.shoptet.api_token.expose_secret(), TOKEN);
    assert_eq!(cfg.shoptet.auth, shoptet_raynet_sync::config::ShoptetAuth::PrivateToken);
    assert_eq!(cfg.shoptet.eshop_url, None);
    assert_eq!(cfg.raynet.api_key.expose_secret(), API_KEY);
    assert_eq!(cfg.sync.final_status_ids, vec![-4]);
    assert_eq!(cfg.sync.default_owner_id, 12);
    assert_eq!(cfg.sync.business_case_phase_id, 3);
    assert_eq!(cfg.sync.source_id, 21);
    assert_eq!(cfg.sync.category_id, None);
    assert_eq!(cfg.sync.poll_interval_secs, 300, "defaults kept for keys not asked");
    assert_eq!(cfg.sync.enabled_at.to_rfc3339(), start.fixed_offset().to_rfc3339());
    assert!(cfg.webhook.enabled);
    assert_eq!(cfg.webhook.public_url.as_deref(), Some("https://sync.zahrada.cz/webhook"));
    let saved_key = cfg.webhook.signature_key.as_ref().map(|k| k.expose_secret().to_string());
    assert_eq!(saved_key.as_deref(), Some("0f1e2d3c4b5a69788796a5b4c3d2e1f0"), "the fetched key is saved");

    // A failed save stays on review with the reason; a good one opens the dashboard.
    h.app.update(Action::Saved(Err("permission denied: /etc/x.toml".into())));
    assert!(screen(&mut h.app, 80, 24).contains("Could not save: permission denied"));
    h.app.update(code(KeyCode::Enter));
    let again = h.app.take_effects();
    assert!(matches!(again.as_slice(), [Effect::Save(_)]), "the webhooks are not set up twice: {again:?}");
    h.app.update(Action::Saved(Ok(())));
    assert!(h.app.wizard.is_none());
    assert_eq!(h.app.config.as_ref().map(|c| c.raynet.instance.as_str()), Some("zahrada"));
    assert_eq!(h.app.pane, Pane::Overview);
}

#[test]
fn configuration_e_reopens_the_selected_step_and_esc_returns() {
    let mut h = harness(Lang::En);
    h.app.update(Action::NamesResolved {
        shoptet: Some(FakeProbe::demo().shoptet),
        raynet: Some(FakeProbe::demo().raynet),
    });
    h.app.update(key('2'));
    for _ in 0..9 {
        h.app.update(code(KeyCode::Down));
    }
    h.app.update(key('e'));
    assert_eq!(wizard_step(&h.app), Some(Step::Owner));
    let s = screen(&mut h.app, 80, 24);
    assert!(s.contains("(•) Jana Nováková (11)"), "current owner marked: {s}");
    assert!(s.contains("Editing: Default owner"), "{s}");
    // Nothing changed: one Esc leaves the editor, whatever step it is on.
    h.app.update(code(KeyCode::Esc));
    assert!(h.app.wizard.is_none());
    assert!(h.app.popups.is_empty());
    assert_eq!(h.app.pane, Pane::Configuration);
}

#[test]
fn wizard_czech_texts() {
    let mut h = harness_with(FakeSource::default(), None, Lang::Cs, false);
    clear_field(&mut h.app);
    let s = screen(&mut h.app, 80, 24);
    assert!(s.contains("Připojení k Shoptetu") && s.contains("Zadejte adresu začínající https://"), "{s}");
    insta::assert_snapshot!("wizard_cs_80x24", s);
}

#[test]
fn tiny_terminals_do_not_panic() {
    let mut h = harness(Lang::Cs);
    h.app.update(Action::Status(EngineStatus { progress: Some((1, 3)), ..EngineStatus::default() }));
    for (w, hgt) in [(1, 1), (10, 3), (20, 5), (40, 10)] {
        for digit in ['1', '2', '3', '4', '5', '6'] {
            h.app.update(key(digit));
            let s = screen(&mut h.app, w, hgt);
            assert_eq!(s.lines().count(), usize::from(hgt));
        }
        h.app.update(key('5'));
        h.app.update(code(KeyCode::Enter));
        screen(&mut h.app, w, hgt);
        h.app.update(code(KeyCode::Esc));
        h.app.update(key('?'));
        screen(&mut h.app, w, hgt);
        h.app.update(code(KeyCode::Esc));
    }
    let mut wiz = harness_with(FakeSource::default(), None, Lang::Cs, false);
    typed(&mut wiz.app, "some text that is far longer than the field is wide, to scroll it");
    for (w, hgt) in [(1, 1), (10, 3), (20, 5), (40, 10)] {
        screen(&mut wiz.app, w, hgt);
    }
}

#[test]
fn raynet_test_failure_allows_edit_and_retry_and_lists_steps_show_fetched_choices() {
    let mut h = harness_with(FakeSource::default(), Some(config()), Lang::En, false);
    h.app.take_effects();
    h.app.update(key('2'));
    for _ in 0..4 {
        h.app.update(code(KeyCode::Down));
    }
    h.app.update(key('e'));
    assert_eq!(wizard_step(&h.app), Some(Step::RaynetConn), "RAYNET rows reopen the RAYNET step");
    h.app.update(code(KeyCode::Enter));
    assert_eq!(wizard_step(&h.app), Some(Step::RaynetTest));
    assert!(matches!(h.app.take_effects().as_slice(), [Effect::TestRaynet { .. }]));
    h.app.update(Action::RaynetTested(Err("403 Forbidden — the user has no API access".into())));
    let s = screen(&mut h.app, 80, 24);
    assert!(s.contains("403 Forbidden") && s.contains("test again"), "{s}");
    assert!(!h.app.bindings().iter().any(|b| b.key == "Enter"), "no way forward after a failure");
    h.app.update(key('e'));
    assert_eq!(wizard_step(&h.app), Some(Step::RaynetConn));
    h.app.update(code(KeyCode::Enter));
    h.app.take_effects();
    h.app.update(Action::RaynetTested(FakeProbe::demo().raynet));
    h.app.update(code(KeyCode::Enter));
    // The connection was the setting edited: on to the review.
    assert_eq!(wizard_step(&h.app), Some(Step::Review));
    h.app.update(code(KeyCode::Esc));
    assert!(h.app.wizard.is_none(), "nothing changed: Esc leaves without asking");

    // A list step whose service lists are unknown tests that service first, then shows them.
    for _ in 0..8 {
        h.app.update(code(KeyCode::Down));
    }
    h.app.update(key('e'));
    assert_eq!(wizard_step(&h.app), Some(Step::RaynetConn), "the category list needs RAYNET");
    h.app.update(code(KeyCode::Enter));
    h.app.take_effects();
    h.app.update(Action::RaynetTested(FakeProbe::demo().raynet));
    h.app.update(code(KeyCode::Enter));
    assert_eq!(wizard_step(&h.app), Some(Step::Category));
    let s = screen(&mut h.app, 80, 24);
    assert!(s.contains("(•) none") && s.contains("( ) Maloobchod (31)"), "{s}");
    insta::assert_snapshot!("wizard_category_80x24", s);
    // Shoptet was never tested in this session: its lists are fetched before they are shown.
    h.app.update(code(KeyCode::Esc));
    for _ in 0..4 {
        h.app.update(code(KeyCode::Up));
    }
    h.app.update(key('e'));
    assert_eq!(wizard_step(&h.app), Some(Step::ShoptetConn), "final statuses need the Shoptet list");
}

#[test]
fn shoptet_addon_mode_needs_the_eshop_address() {
    let mut h = harness_with(FakeSource::default(), None, Lang::En, false);
    h.app.update(code(KeyCode::Tab));
    typed(&mut h.app, TOKEN);
    h.app.update(code(KeyCode::Tab));
    h.app.update(key(' '));
    h.app.update(code(KeyCode::Enter));
    assert_eq!(wizard_step(&h.app), Some(Step::ShoptetConn), "addon without the shop address");
    assert_eq!(h.app.wizard.as_ref().map(|w| w.focus), Some(3));
    let s = screen(&mut h.app, 80, 24);
    assert!(s.contains("[x] on") && s.contains("Enter your shop's address"), "{s}");
    insta::assert_snapshot!("wizard_shoptet_addon_80x24", s);
    typed(&mut h.app, "https://www.zahrada.cz/");
    h.app.update(code(KeyCode::Enter));
    assert_eq!(wizard_step(&h.app), Some(Step::ShoptetTest));
    let w = h.app.wizard.as_ref().expect("wizard");
    assert!(w.addon);
    assert_eq!(w.eshop_url.value(), "https://www.zahrada.cz/");
}

#[test]
fn order_keys_work_from_the_detail_popup() {
    let mut h = harness(Lang::En);
    h.app.update(key('6'));
    h.app.update(code(KeyCode::Down)); // queued: fine, no order keys
    h.app.update(code(KeyCode::Enter));
    assert!(!h.app.bindings().iter().any(|b| b.key == "r" || b.key == "s"));
    h.app.update(code(KeyCode::Esc));
    h.app.update(code(KeyCode::Down));
    h.app.update(code(KeyCode::Down)); // 202600004, failed
    h.app.update(code(KeyCode::Enter));
    h.app.update(key('r'));
    h.app.update(key('s'));
    h.app.update(key('y'));
    assert_eq!(
        sent(&mut h),
        vec![
            EngineCommand::Retry { code: "202600004".into() },
            EngineCommand::Skip { code: "202600004".into(), reason: "skipped from the dashboard".into() },
        ]
    );
    assert!(matches!(h.app.popups.last(), Some(Popup::Detail { .. })), "the detail stays open");
    let s = screen(&mut h.app, 80, 24);
    assert!(last_line(&s).contains("retry now"), "{s}");
}

// ---- what a new user tripped over (issue 13) ------------------------------------------

use shoptet_raynet_sync::front::dashboard::StoreSource;
use shoptet_raynet_sync::store::{Candidate as StoreCandidate, OrderSeen, Store};
use shoptet_raynet_sync::tui::{
    Activity, ActivityQuery, ActivityView, ApiCallView, Candidate, CandidateFacts, Counts, DashboardSource,
    EntitiesQuery, EntityKind, EntityView, MatchHow, OrderDetail, OrderView, OrdersQuery, OverviewData, Page,
    Reason,
};

/// Whitespace collapsed, so text wrapped over several lines can be looked for as one.
fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn move_to(h: &mut Harness, state: OrderState) -> String {
    for _ in 0..60 {
        if let Some(o) = h.app.retry.window.selected_row()
            && o.state == state
        {
            return o.code.clone();
        }
        h.app.update(code(KeyCode::Down));
    }
    panic!("no {state:?} row in the retry queue");
}

#[test]
fn skipped_orders_are_un_skipped_with_r_from_the_list_and_the_detail() {
    let mut h = harness(Lang::En);
    h.app.update(key('5'));
    let skipped = move_to(&mut h, OrderState::Skipped);
    let s = screen(&mut h.app, 80, 24);
    assert!(last_line(&s).contains(" R ") && last_line(&s).contains("un-skip and sync"), "{s}");
    h.app.update(key('R'));
    assert_eq!(sent(&mut h), vec![EngineCommand::Resync { code: skipped.clone() }]);
    assert!(screen(&mut h.app, 80, 24).contains(&format!("Sent: un-skip and sync {skipped}")));
    // `r` does the same rather than nothing.
    h.app.update(key('r'));
    assert_eq!(sent(&mut h), vec![EngineCommand::Resync { code: skipped.clone() }]);
    h.app.update(code(KeyCode::Enter));
    assert!(h.app.bindings().iter().any(|b| b.key == "R" && b.bar), "R in the detail's key bar");
    h.app.update(key('R'));
    assert_eq!(sent(&mut h), vec![EngineCommand::Resync { code: skipped }]);
    // Czech too.
    let mut cs = harness(Lang::Cs);
    cs.app.update(key('5'));
    move_to(&mut cs, OrderState::Skipped);
    assert!(last_line(&screen(&mut cs.app, 80, 24)).contains("vrátit a přenést"));
}

#[test]
fn a_client_choice_is_applied_to_the_customers_other_waiting_orders_and_says_so() {
    let mut h = harness(Lang::En);
    h.app.update(key('5'));
    while h.app.retry.window.selected_row().map(|o| o.code.as_str()) != Some("202600005") {
        h.app.update(code(KeyCode::Down));
    }
    h.app.update(key('a'));
    h.app.update(code(KeyCode::Enter));
    assert_eq!(
        sent(&mut h),
        vec![EngineCommand::Resolve { code: "202600005".into(), choice: ClientChoice::Existing(1001) }]
    );
    let s = flat(&screen(&mut h.app, 80, 24));
    assert!(s.contains("202600005 → client #1001 · also applied to 1 more order: 202600061"), "{s}");
    assert_eq!(Lang::Cs.texts().also_applied(3), "také použito u 3 dalších objednávek");
}

/// A FakeSource the test can still change after the App took it.
struct Shared(Arc<std::sync::Mutex<FakeSource>>);

impl Shared {
    fn with<T>(&self, f: impl FnOnce(&FakeSource) -> T) -> T {
        f(&self.0.lock().expect("source"))
    }
}

impl DashboardSource for Shared {
    fn counts(&self) -> Result<Counts, String> {
        self.with(|s| s.counts())
    }
    fn overview(&self) -> Result<OverviewData, String> {
        self.with(|s| s.overview())
    }
    fn orders(&self, q: &OrdersQuery) -> Result<Page<OrderView>, String> {
        self.with(|s| s.orders(q))
    }
    fn order_detail(&self, code: &str) -> Result<Option<OrderDetail>, String> {
        self.with(|s| s.order_detail(code))
    }
    fn entities(&self, q: &EntitiesQuery) -> Result<Page<EntityView>, String> {
        self.with(|s| s.entities(q))
    }
    fn activity(&self, q: &ActivityQuery) -> Result<Page<ActivityView>, String> {
        self.with(|s| s.activity(q))
    }
    fn waiting_siblings(&self, code: &str, client: Option<i64>) -> Result<Vec<String>, String> {
        self.with(|s| s.waiting_siblings(code, client))
    }
}

fn app_over(source: Box<dyn DashboardSource>, cfg: Option<Config>, banner: Option<&str>) -> App {
    App::new(AppInit {
        source,
        config: cfg,
        config_path: PathBuf::from("/etc/shoptet-raynet-sync/config.toml"),
        commands: None,
        status: None,
        probe: Arc::new(FakeProbe::demo()),
        lang: Lang::En,
        banner: banner.map(String::from),
        now: now(),
        size: (80, 24),
        setup: false,
    })
}

#[test]
fn the_log_keeps_the_selected_row_while_rows_arrive_and_follows_only_from_the_top() {
    let shared = Arc::new(std::sync::Mutex::new(FakeSource::demo(100, now())));
    let mut app = app_over(Box::new(Shared(shared.clone())), Some(config()), None);
    let arrive = |n: usize| {
        let mut s = shared.lock().expect("source");
        for i in 0..n {
            let k = s.activity.len();
            s.activity.push(ActivityView {
                at: now() + chrono::Duration::minutes(k as i64),
                order_code: Some(format!("2026999{i:03}")),
                entry: Activity::Synced { business_case_id: k as i64 },
                change: None,
            });
        }
    };
    app.update(key('6'));
    for _ in 0..5 {
        app.update(code(KeyCode::Down));
    }
    let chosen = app.activity.window.selected_row().cloned().expect("a row");
    arrive(3);
    app.update(Action::Tick(now()));
    assert_eq!(app.activity.window.selected_row(), Some(&chosen), "the cursor stays on its row");
    assert_eq!(app.activity.window.selected, 8);
    let s = screen(&mut app, 80, 24);
    assert!(s.contains(&format!("▶ {}", shoptet_raynet_sync::tui::format::time(chosen.at, app.tz()))), "{s}");
    // Several pages down, too.
    for _ in 0..40 {
        app.update(code(KeyCode::Down));
    }
    let deep = app.activity.window.selected_row().cloned().expect("a row");
    arrive(20);
    app.update(Action::Tick(now()));
    assert_eq!(app.activity.window.selected_row(), Some(&deep));
    // At the top it follows the newest row.
    app.update(code(KeyCode::Home));
    arrive(2);
    app.update(Action::Tick(now()));
    assert_eq!(app.activity.window.selected, 0);
    let newest = shared.lock().expect("source").activity.last().cloned();
    assert_eq!(app.activity.window.selected_row(), newest.as_ref());
}

#[test]
fn single_choice_lists_have_one_marker_the_entry_enter_takes() {
    let mut h = harness(Lang::En);
    h.app.update(Action::NamesResolved {
        shoptet: Some(FakeProbe::demo().shoptet),
        raynet: Some(FakeProbe::demo().raynet),
    });
    h.app.update(key('2'));
    for _ in 0..12 {
        h.app.update(code(KeyCode::Down));
    }
    h.app.update(key('e'));
    assert_eq!(wizard_step(&h.app), Some(Step::Category));
    let s = screen(&mut h.app, 80, 24);
    assert!(s.contains("▶ (•) none") && s.contains("( ) Maloobchod (31)"), "{s}");
    h.app.update(code(KeyCode::Down));
    let s = screen(&mut h.app, 80, 24);
    assert!(s.contains("▶ (•) Maloobchod (31)") && s.contains("( ) none"), "the dot moves with ▶: {s}");
    assert_eq!(s.matches("(•)").count(), 1, "{s}");
    h.app.update(code(KeyCode::Enter));
    assert_eq!(wizard_step(&h.app), Some(Step::Review));
    h.app.update(code(KeyCode::Enter));
    match h.app.take_effects().pop() {
        Some(Effect::Save(cfg)) => assert_eq!(cfg.sync.category_id, Some(31)),
        other => panic!("expected a save, got {other:?}"),
    }
}

fn focused(app: &App) -> Option<shoptet_raynet_sync::tui::wizard::validate::Field> {
    app.wizard.as_ref().and_then(|w| w.focused_field())
}

#[test]
fn every_configuration_row_edits_its_own_setting_and_one_esc_leaves() {
    use shoptet_raynet_sync::tui::wizard::validate::Field;
    let expected: [(Step, Option<Field>); 19] = [
        (Step::ShoptetConn, Some(Field::ShoptetUrl)), // the file: the whole setup, from the start
        (Step::ShoptetConn, Some(Field::ShoptetUrl)),
        (Step::ShoptetConn, Some(Field::ShoptetUrl)),
        (Step::ShoptetConn, Some(Field::ShoptetToken)),
        (Step::RaynetConn, Some(Field::RaynetUrl)),
        (Step::RaynetConn, Some(Field::Instance)),
        (Step::RaynetConn, Some(Field::Username)),
        (Step::RaynetConn, Some(Field::ApiKey)),
        (Step::FinalStatuses, None),
        (Step::Owner, None),
        (Step::Phase, None),
        (Step::Source, None),
        (Step::Category, None),
        (Step::StartDate, Some(Field::Start)),
        (Step::Options, Some(Field::PollInterval)),
        (Step::Options, Some(Field::NameTemplate)),
        (Step::CancelledStatuses, None),
        (Step::CancelledPhase, None),
        (Step::Webhook, Some(Field::WebhookEnabled)),
    ];
    let mut h = harness(Lang::En);
    h.app.update(Action::NamesResolved {
        shoptet: Some(FakeProbe::demo().shoptet),
        raynet: Some(FakeProbe::demo().raynet),
    });
    h.app.update(key('2'));
    for (row, (step, field)) in expected.into_iter().enumerate() {
        h.app.update(code(KeyCode::Home));
        for _ in 0..row {
            h.app.update(code(KeyCode::Down));
        }
        h.app.update(key('e'));
        assert_eq!(wizard_step(&h.app), Some(step), "row {row}");
        assert_eq!(focused(&h.app), field, "row {row}");
        let s = screen(&mut h.app, 80, 24);
        assert!(!s.contains("Review and save"), "row {row} must not open the review: {s}");
        h.app.update(code(KeyCode::Esc));
        assert!(h.app.wizard.is_none(), "row {row}: unchanged, one Esc leaves");
        assert!(h.app.popups.is_empty(), "row {row}: nothing to ask");
    }
    // End and PgDn move in the pane.
    h.app.update(code(KeyCode::Home));
    h.app.update(code(KeyCode::End));
    assert_eq!(h.app.config_pane.selected, 18);
    h.app.update(code(KeyCode::Home));
    h.app.update(code(KeyCode::PageDown));
    assert!(h.app.config_pane.selected > 5, "{}", h.app.config_pane.selected);
}

fn edit_row(h: &mut Harness, row: usize) {
    h.app.update(key('2'));
    h.app.update(code(KeyCode::Home));
    for _ in 0..row {
        h.app.update(code(KeyCode::Down));
    }
    h.app.update(key('e'));
}

fn saved(h: &mut Harness) -> Box<Config> {
    assert_eq!(wizard_step(&h.app), Some(Step::Review));
    h.app.update(code(KeyCode::Enter));
    match h.app.take_effects().pop() {
        Some(Effect::Save(cfg)) => cfg,
        other => panic!("expected a save, got {other:?}"),
    }
}

#[test]
fn poll_interval_case_name_and_cancelled_handling_are_editable() {
    let mut h = harness(Lang::En);
    h.app.update(Action::NamesResolved {
        shoptet: Some(FakeProbe::demo().shoptet),
        raynet: Some(FakeProbe::demo().raynet),
    });
    h.app.take_effects();
    edit_row(&mut h, 14);
    clear_field(&mut h.app);
    typed(&mut h.app, "29");
    let s = screen(&mut h.app, 80, 24);
    assert!(s.contains("Write a number of seconds from 30 to 86400"), "{s}");
    h.app.update(code(KeyCode::Enter));
    assert_eq!(wizard_step(&h.app), Some(Step::Options), "refused");
    clear_field(&mut h.app);
    typed(&mut h.app, "120");
    h.app.update(code(KeyCode::Enter));
    let s = screen(&mut h.app, 80, 24);
    assert!(s.contains("What changes:") && s.contains("[sync] poll_interval_secs = 120 (was 300)"), "{s}");
    let cfg = saved(&mut h);
    assert_eq!(cfg.sync.poll_interval_secs, 120);
    assert_eq!(cfg.sync.enabled_at, config().sync.enabled_at, "the start is kept exactly");
    h.app.update(Action::Saved(Ok(())));
    assert_eq!(h.app.pane, Pane::Configuration, "back where the edit started");
    assert!(screen(&mut h.app, 80, 24).contains("120 s"));

    edit_row(&mut h, 15);
    clear_field(&mut h.app);
    typed(&mut h.app, "Shoptet");
    assert!(screen(&mut h.app, 80, 24).contains("must contain {code}"));
    typed(&mut h.app, " {code}");
    h.app.update(code(KeyCode::Enter));
    assert_eq!(saved(&mut h).sync.name_template, "Shoptet {code}");
    h.app.update(Action::Saved(Ok(())));

    // Cancelled statuses: a final status cannot be ticked; -2 can.
    edit_row(&mut h, 16);
    let s = screen(&mut h.app, 80, 24);
    assert!(s.contains("[x] Stornována (-4)") && s.contains("[ ] Vyřízena (-3)"), "{s}");
    while h.app.wizard.as_ref().and_then(|w| w.choices().get(w.cursor).map(|c| c.id)) != Some(-3) {
        h.app.update(code(KeyCode::Up));
    }
    h.app.update(key(' '));
    assert!(screen(&mut h.app, 80, 24).contains("cannot be final and cancelled"));
    h.app.update(code(KeyCode::Up));
    h.app.update(key(' '));
    h.app.update(code(KeyCode::Enter));
    assert_eq!(saved(&mut h).sync.cancelled_status_ids, vec![-4, -2]);
    h.app.update(Action::Saved(Ok(())));

    edit_row(&mut h, 17);
    assert!(screen(&mut h.app, 80, 24).contains("▶ (•) none"));
    h.app.update(code(KeyCode::Down));
    h.app.update(code(KeyCode::Enter));
    assert_eq!(saved(&mut h).sync.cancelled_phase_id, Some(1));
    h.app.update(Action::Saved(Ok(())));
    let s = screen(&mut h.app, 80, 24);
    assert!(s.contains("Phase if cancelled") && s.contains("Příprava (1)"), "{s}");
}

#[test]
fn leaving_the_editor_asks_only_when_something_changed() {
    let mut h = harness(Lang::En);
    h.app.update(Action::NamesResolved {
        shoptet: Some(FakeProbe::demo().shoptet),
        raynet: Some(FakeProbe::demo().raynet),
    });
    edit_row(&mut h, 5);
    typed(&mut h.app, "-eu");
    h.app.update(code(KeyCode::Esc));
    assert!(h.app.wizard.is_some());
    let s = screen(&mut h.app, 80, 24);
    assert!(s.contains("Discard the changes?") && s.contains("keep editing"), "{s}");
    h.app.update(key('n'));
    assert!(h.app.popups.is_empty() && h.app.wizard.is_some(), "n keeps editing");
    assert_eq!(h.app.wizard.as_ref().map(|w| w.instance.value().to_string()), Some("zahrada-eu".into()));
    h.app.update(code(KeyCode::Esc));
    h.app.update(key('y'));
    assert!(h.app.wizard.is_none());
    assert_eq!(h.app.config.as_ref().map(|c| c.raynet.instance.as_str()), Some("zahrada"), "nothing saved");
    assert!(h.app.take_effects().iter().all(|e| !matches!(e, Effect::Save(_))));
    // Enter on a review with nothing changed leaves too, writing nothing.
    h.app.take_effects();
    edit_row(&mut h, 9);
    h.app.update(code(KeyCode::Enter));
    assert_eq!(wizard_step(&h.app), Some(Step::Review));
    assert!(screen(&mut h.app, 80, 24).contains("Nothing changed: Enter or Esc leaves"));
    h.app.update(code(KeyCode::Enter));
    assert!(h.app.wizard.is_none());
    assert!(h.app.take_effects().is_empty(), "nothing saved");
    assert!(screen(&mut h.app, 80, 24).contains("Nothing changed, nothing written."));
    // Czech.
    let mut cs = harness(Lang::Cs);
    edit_row(&mut cs, 5);
    typed(&mut cs.app, "x");
    cs.app.update(code(KeyCode::Esc));
    assert!(screen(&mut cs.app, 80, 24).contains("Zahodit změny?"));
}

#[test]
fn setup_starts_from_the_configuration_in_force() {
    let app = App::new(AppInit {
        source: Box::new(FakeSource::default()),
        config: Some(config()),
        config_path: PathBuf::from("/etc/shoptet-raynet-sync/config.toml"),
        commands: None,
        status: None,
        probe: Arc::new(FakeProbe::demo()),
        lang: Lang::En,
        banner: None,
        now: now(),
        size: (80, 24),
        setup: true,
    });
    let mut h = Harness { app, commands: unbounded_channel().1 };
    assert_eq!(wizard_step(&h.app), Some(Step::ShoptetConn));
    let s = screen(&mut h.app, 80, 24);
    assert!(s.contains("Step 1/12") && s.contains("••••"), "{s}");
    let w = h.app.wizard.as_ref().expect("wizard");
    assert_eq!(w.instance.value(), "zahrada");
    assert_eq!(w.owner, Some(11));
    // Leaving `setup` without a change ends it.
    h.app.update(code(KeyCode::Esc));
    assert!(h.app.should_quit());
}

#[test]
fn esc_clears_the_filter_and_search_ignores_case_and_accents() {
    let mut h = harness(Lang::En);
    h.app.update(key('3'));
    let all = h.app.pending.window.page.total;
    h.app.update(key('/'));
    typed(&mut h.app, "novák");
    h.app.update(code(KeyCode::Enter));
    let applied = h.app.pending.window.page.total;
    assert!(applied < all);
    let bar = last_line(&screen(&mut h.app, 80, 24)).to_string();
    assert!(bar.contains("Esc") && bar.contains("clear filter"), "{bar}");
    // Typing more, then Esc: the filter is cleared, not put back to "novák".
    h.app.update(key('/'));
    typed(&mut h.app, "x");
    h.app.update(code(KeyCode::Esc));
    assert!(h.app.pending.search.is_empty());
    assert_eq!(h.app.pending.window.page.total, all);
    // An applied filter is cleared by Esc too.
    h.app.update(key('/'));
    typed(&mut h.app, "novák");
    h.app.update(code(KeyCode::Enter));
    h.app.update(code(KeyCode::Esc));
    assert_eq!(h.app.pending.window.page.total, all);
    // Without accents, in capitals: the same rows.
    h.app.update(key('/'));
    typed(&mut h.app, "NOVAK");
    assert_eq!(h.app.pending.window.page.total, applied);
}

fn seen(code: &str, customer: &str, email: &str) -> OrderSeen {
    let t = (now() - chrono::Duration::hours(1)).fixed_offset();
    OrderSeen {
        code: code.into(),
        change_time: Some(t),
        creation_time: Some(t),
        status_id: Some(-3),
        status_name: Some("Vyřízena".into()),
        customer: Some(customer.into()),
        email: Some(email.into()),
        total_with_vat: Some(rust_decimal::Decimal::new(341_500, 2)),
        currency: Some("CZK".into()),
    }
}

#[test]
fn the_real_store_is_searched_without_accents_and_shows_why_orders_wait() {
    let mut store = Store::open_in_memory().expect("store");
    for (c, name, email) in [
        ("2026000101", "Kavárna Slunce", "objednavky@kavarna-slunce.cz"),
        ("2026000102", "Pražírna Vltava", "info@prazirna.cz"),
        ("2026000103", "Horská chata", "chata@example.cz"),
    ] {
        store.record_order_seen(&seen(c, name, email)).expect("seen");
    }
    store.skip("2026000102", Some("duplicate of order 2026000099")).expect("skip");
    store.enqueue("2026000103", shoptet_raynet_sync::store::Priority::Normal, now()).expect("queue");
    let mut app = app_over(Box::new(StoreSource::new(store, None)), Some(config()), None);
    app.update(key('3'));
    app.update(key('/'));
    typed(&mut app, "kavarna");
    assert_eq!(app.pending.window.page.total, 1, "kavarna finds Kavárna");
    app.update(Action::ClearFilter);
    app.update(key('/'));
    typed(&mut app, "PRAŽÍRNA");
    app.update(code(KeyCode::Enter));
    app.update(key('5'));
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("duplicate of order 2026000099"), "the skip reason in the Retry pane: {s}");
    app.update(code(KeyCode::Enter));
    let s = screen(&mut app, 80, 24);
    assert!(flat(&s).contains("duplicate of order 2026000099"), "and in the detail: {s}");
}

#[test]
fn a_choice_reaches_every_waiting_order_of_the_customer_in_the_store() {
    let mut store = Store::open_in_memory().expect("store");
    let candidates = vec![
        StoreCandidate {
            raynet_id: 104,
            name: "Kavárna Slunce s.r.o.".into(),
            matched_by: "email".into(),
            ..StoreCandidate::default()
        },
        StoreCandidate {
            raynet_id: 105,
            name: "Kavárna Slunce Brno".into(),
            matched_by: "email".into(),
            ..StoreCandidate::default()
        },
    ];
    for c in ["2026000108", "2026000128", "2026000130"] {
        store.record_order_seen(&seen(c, "Kavárna Slunce", "Objednavky@kavarna-slunce.cz")).expect("seen");
    }
    store.record_order_seen(&seen("2026000131", "Jiná kavárna", "jina@example.cz")).expect("seen");
    for c in ["2026000108", "2026000128", "2026000131"] {
        let reason = Reason::Ambiguous {
            by: "email".into(),
            candidates: vec!["Kavárna Slunce s.r.o. (#104)".into(), "Kavárna Slunce Brno (#105)".into()],
        };
        store.set_decision(c, &reason, &candidates).expect("decision");
    }
    let app = app_over(Box::new(StoreSource::new(store, None)), Some(config()), None);
    // 2026000130 waits for nothing; 2026000131 is another customer.
    assert_eq!(app.source.waiting_siblings("2026000128", Some(104)), Ok(vec!["2026000108".to_string()]));
    assert_eq!(app.source.waiting_siblings("2026000128", Some(999)), Ok(vec![]), "not a candidate there");
    assert_eq!(app.source.waiting_siblings("2026000128", None), Ok(vec!["2026000108".to_string()]));
}

/// A candidate matched by e-mail, with its IČ, e-mail and owner.
fn candidate(id: i64, name: &str, reg_number: &str, owner: &str) -> Candidate {
    let facts = CandidateFacts {
        reg_number: Some(reg_number.into()),
        email: Some("objednavky@kavarna-slunce.cz".into()),
        owner: Some(owner.into()),
        ..CandidateFacts::default()
    };
    Candidate { id, name: name.into(), matched_by: "email".into(), facts }
}

#[test]
fn at_80_columns_notices_picker_names_and_reasons_are_shown_whole() {
    // "2 RAYNET clients match by e-mail: Kavárna Slunce s.r.o. (#104), Kavárna Slunce Brno s.r.o.
    // (#105) — choose one or create a new client"
    let long_reason = Reason::Ambiguous {
        by: "email".into(),
        candidates: vec!["Kavárna Slunce s.r.o. (#104)".into(), "Kavárna Slunce Brno s.r.o. (#105)".into()],
    };
    let mut source = FakeSource::demo(20, now());
    source.orders.retain(|o| o.state == OrderState::NeedsDecision);
    let code_ = source.orders[0].code.clone();
    source.orders[0].reason = Some(long_reason.clone());
    let mut detail = FakeSource::demo(20, now()).order_detail(&code_).ok().flatten().expect("detail");
    detail.order.reason = Some(long_reason);
    detail.candidates = vec![
        candidate(104, "Kavárna Slunce s.r.o.", "06234517", "Petra Malá"),
        candidate(105, "Kavárna Slunce Brno s.r.o.", "09871236", "Tomáš Vrba"),
    ];
    source.details.insert(code_.clone(), detail);
    source.entities = [
        "Brazílie Santos 1 kg, zrnková káva z jižní Ameriky",
        "Brazílie Santos 1 kg, mletá káva z jižní Ameriky",
    ]
    .iter()
    .enumerate()
    .map(|(i, n)| EntityView {
        kind: EntityKind::Product,
        name: n.to_string(),
        how: MatchHow::Created,
        matched_by: None,
        raynet_id: 340 + i as i64,
        shoptet_key: format!("KAV-BRA-1000/{}", if i == 0 { "ZRN" } else { "MLE" }),
    })
    .collect();
    let banner = "Engine runs elsewhere: actions queue";
    let mut app = app_over(Box::new(source), Some(config()), Some(banner));
    let s = screen(&mut app, 80, 24);
    assert!(s.contains(banner), "the banner whole: {s}");
    let rejected = Lang::En.texts().daemon_owns;
    app.update(Action::Engine(EngineEvent::CommandRejected { reason: rejected.into() }));
    let s = screen(&mut app, 80, 24);
    assert!(flat(&s).contains(&format!("Rejected: {rejected}")), "the rejection whole: {s}");

    app.update(key('5'));
    let s = flat(&screen(&mut app, 80, 24));
    assert!(s.contains("choose one or create a new client"), "the reason under the table: {s}");
    app.update(key('a'));
    let s = screen(&mut app, 80, 24);
    for part in ["objednavky@kavarna-slunce.cz, owner Petra Malá", "owner Tomáš Vrba", "IČ 09871236"] {
        assert!(s.contains(part), "picker shows {part}: {s}");
    }
    app.update(code(KeyCode::Esc));

    app.update(key('4'));
    app.update(key('k'));
    let s = screen(&mut app, 80, 24);
    let rows: Vec<&str> = s.lines().filter(|l| l.starts_with('│') && l.contains("KAV-BRA")).collect();
    assert_eq!(rows.len(), 2, "{s}");
    assert!(rows.iter().any(|r| r.contains("zrnková")) && rows.iter().any(|r| r.contains("mletá")), "{s}");
    assert!(s.contains("▶ Brazílie Santos 1 kg, mletá káva z jižní Ameriky — KAV-BRA-1000/MLE"), "{s}");
}

#[test]
fn the_overview_chart_fills_a_tall_screen_has_a_time_axis_and_says_what_it_counts() {
    let mut h = harness(Lang::En);
    let s = screen(&mut h.app, 120, 40);
    let lines: Vec<&str> = s.lines().collect();
    let title =
        lines.iter().position(|l| l.contains("Syncs per hour over 24 h (updates count too): 145")).expect(&s);
    let axis = lines.iter().position(|l| l.contains("now")).expect(&s);
    assert_eq!(axis, lines.len() - 3, "axis right above the pane's border: {s}");
    assert!(axis - title > 20, "the chart takes the room: {s}");
    assert!(lines[axis].contains("07:00") && lines[axis].contains("19:00"), "hours in the shop's zone: {s}");
}

#[test]
fn help_lists_every_order_action_whatever_row_is_selected() {
    let mut h = harness(Lang::En);
    h.app.update(key('5'));
    assert_eq!(h.app.retry.window.selected_row().map(|o| o.state), Some(OrderState::Failed));
    h.app.update(key('?'));
    let s = screen(&mut h.app, 80, 24);
    for part in [
        "retry now (failed, dead)",
        "choose client (needs decision)",
        "un-skip and sync (skipped)",
        "skip (failed, dead, needs decision)",
        "clear filter",
    ] {
        assert!(s.contains(part), "help lists {part}: {s}");
    }
    // From the detail as well.
    h.app.update(code(KeyCode::Esc));
    h.app.update(code(KeyCode::Enter));
    h.app.update(key('?'));
    assert!(screen(&mut h.app, 80, 24).contains("choose client (needs decision)"));
}

#[test]
fn secrets_are_masked_the_same_way_everywhere() {
    let mut h = harness(Lang::En);
    h.app.update(key('2'));
    let s = screen(&mut h.app, 80, 24);
    // The program's one mask: dots and the last four characters of a long secret.
    let (token, key) = (shoptet_raynet_sync::config::mask(TOKEN), shoptet_raynet_sync::config::mask(API_KEY));
    assert!(token.starts_with('•') && token.ends_with("-123") && key.ends_with("-456"), "{token} {key}");
    assert!(s.contains(&token) && s.contains(&key), "{s}");
    assert!(!s.contains(TOKEN) && !s.contains(API_KEY));
    assert!(!s.contains("secret"), "{s}");
}

#[test]
fn a_lookup_that_finds_nothing_yet_is_a_normal_step() {
    let mut source = FakeSource::demo(10, now());
    let code_ = source.orders.iter().find(|o| o.state == OrderState::Synced).expect("synced").code.clone();
    let mut detail = source.order_detail(&code_).ok().flatten().expect("detail");
    detail.calls = vec![ApiCallView {
        at: now(),
        method: "RAYNET GET".into(),
        path: "/businessCase/ext/shoptet:312457:order:2026000135/".into(),
        status: Some(404),
        duration_ms: 3,
        error_body: Some("Entity [businessCase] with id [shoptet:312457:order:2026000135] not found".into()),
    }];
    source.details.insert(code_.clone(), detail);
    let mut app = app_over(Box::new(source), Some(config()), None);
    app.update(key('3'));
    app.update(key('6'));
    while app.activity.window.selected_row().and_then(|a| a.order_code.clone()) != Some(code_.clone()) {
        app.update(code(KeyCode::Down));
    }
    app.update(code(KeyCode::Enter));
    let s = flat(&screen(&mut app, 160, 40));
    assert!(s.contains("404 3 ms → not in RAYNET yet"), "{s}");
    assert!(!s.contains("not found"), "no error block: {s}");
}

#[test]
fn dashboard_texts_urls_zones_attempts() {
    // The URL hint says what is accepted: https, or http for this machine.
    let mut w = harness_with(FakeSource::default(), None, Lang::En, false);
    clear_field(&mut w.app);
    typed(&mut w.app, "http://api.myshoptet.com");
    assert!(screen(&mut w.app, 80, 24).contains("(http:// only for localhost)"));
    clear_field(&mut w.app);
    typed(&mut w.app, "http://127.0.0.1:9000");
    assert!(!screen(&mut w.app, 80, 24).contains("only for localhost"));

    // Times written in UTC inside messages follow the zone of the time column.
    let mut source = FakeSource::demo(10, now());
    source.activity[0].entry = Activity::Legacy {
        kind: "queued".into(),
        text: "pending → queued: queued (normal priority, due 2026-11-27 09:00:25 UTC)".into(),
    };
    source.activity[0].change = None;
    let mut app = app_over(Box::new(source), Some(config()), None);
    app.update(Action::NamesResolved { shoptet: Some(FakeProbe::demo().shoptet), raynet: None });
    app.update(key('6'));
    let s = screen(&mut app, 120, 24);
    assert!(s.contains("due 2026-11-27 10:00:25") && !s.contains("UTC"), "{s}");

    // A retry within the hour is shown to the second.
    let mut h = harness(Lang::En);
    h.app.update(key('5'));
    let s = screen(&mut h.app, 80, 24);
    assert!(s.contains("09:34:00"), "{s}");
    h.app.update(code(KeyCode::Enter));
    assert!(screen(&mut h.app, 80, 24).contains("Next attempt: 09:34:00 (in 4 min)"));
}

#[test]
fn overview_says_how_many_more_orders_are_in_flight() {
    for (lang, words) in [(Lang::En, "running — 202600007 +2 more"), (Lang::Cs, "běží — 202600007 +2 další")]
    {
        let mut h = harness(lang);
        let status = EngineStatus {
            state: EngineState::Syncing,
            current_order: Some("202600007".into()),
            in_flight: 3,
            ..EngineStatus::default()
        };
        h.app.update(Action::Status(status.clone()));
        let shown = screen(&mut h.app, 80, 24);
        assert!(shown.contains(words), "{shown}");
        h.app.update(Action::Status(EngineStatus { in_flight: 1, ..status }));
        let one = screen(&mut h.app, 80, 24);
        assert!(one.contains("202600007") && !one.contains("202600007 +"), "one in flight: no count\n{one}");
    }
}
