//! Dashboard and wizard behaviour, driven like a user would: build `App` over the fake
//! source, feed keys and actions to `update`, render into a `TestBackend`, read the screen.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
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

const TOKEN: &str = "shoptet-secret-token-123";
const API_KEY: &str = "raynet-secret-key-456";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 30, 0).single().expect("valid time")
}

fn config() -> Config {
    toml::from_str(&format!(
        r#"
[shoptet]
api_token = "{TOKEN}"
[raynet]
instance = "zahrada"
username = "jana@zahrada.cz"
api_key = "{API_KEY}"
[sync]
enabled_at = "2026-11-01T00:00:00+01:00"
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

/// Renders at `w`×`h` and returns the screen as lines (wide characters count twice).
fn screen(app: &mut App, w: u16, h: u16) -> String {
    app.update(Action::Resize(w, h));
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    term.draw(|f| app.render(f)).expect("draw");
    let buf = term.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..h {
        let mut x = 0;
        while x < w {
            let sym = buf[(x, y)].symbol();
            out.push_str(sym);
            x += Span::raw(sym).width().max(1) as u16;
        }
        out.push('\n');
    }
    out
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
        state: EngineState::AuthProblem { service: Service::Raynet, message: "401 Unauthorized".into() },
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
    assert!(s.contains("2026-11-27 10:30"), "now in Europe/Prague: {s}");
    clear_field(&mut h.app);
    typed(&mut h.app, "2026-02-30");
    let s = screen(&mut h.app, 80, 24);
    assert!(s.contains("Write the date as 2026-01-31"), "{s}");
    insta::assert_snapshot!("wizard_7_start_invalid_80x24", s);
    h.app.update(code(KeyCode::Enter));
    assert_eq!(wizard_step(&h.app), Some(Step::StartDate));
    clear_field(&mut h.app);
    typed(&mut h.app, "2026-11-01 08:00");
    h.app.update(code(KeyCode::Enter));

    // Webhook: off by default; once on, its fields must be valid.
    assert_eq!(wizard_step(&h.app), Some(Step::Webhook));
    h.app.update(key(' '));
    h.app.update(code(KeyCode::Tab));
    h.app.update(code(KeyCode::Tab));
    typed(&mut h.app, "http://sync.zahrada.cz/hook");
    let s = screen(&mut h.app, 80, 24);
    assert!(s.contains("Enter the public https:// URL"), "{s}");
    insta::assert_snapshot!("wizard_8_webhook_80x24", s);
    clear_field(&mut h.app);
    typed(&mut h.app, "https://sync.zahrada.cz/hook");
    h.app.update(code(KeyCode::Enter));

    // Review: the TOML, secrets masked; nothing saved until Enter.
    assert_eq!(wizard_step(&h.app), Some(Step::Review));
    assert!(h.app.take_effects().is_empty(), "nothing written before review");
    let s = screen(&mut h.app, 80, 40);
    assert!(s.contains("instance = \"zahrada\"") && s.contains("••••"), "{s}");
    assert!(!s.contains(TOKEN) && !s.contains(API_KEY), "{s}");
    insta::assert_snapshot!("wizard_9_review_80x40", s);
    h.app.update(code(KeyCode::Enter));
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
    assert_eq!(cfg.sync.enabled_at.to_rfc3339(), "2026-11-01T08:00:00+01:00");
    assert!(cfg.webhook.enabled);
    assert_eq!(cfg.webhook.public_url.as_deref(), Some("https://sync.zahrada.cz/hook"));

    // A failed save stays on review with the reason; a good one opens the dashboard.
    h.app.update(Action::Saved(Err("permission denied: /etc/x.toml".into())));
    assert!(screen(&mut h.app, 80, 24).contains("Could not save: permission denied"));
    h.app.update(code(KeyCode::Enter));
    assert_eq!(h.app.take_effects().len(), 1);
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
    // Esc walks back; on the first step it leaves the wizard (a config exists).
    h.app.update(code(KeyCode::Esc));
    assert_eq!(wizard_step(&h.app), Some(Step::FinalStatuses));
    for _ in 0..6 {
        h.app.update(code(KeyCode::Esc));
    }
    assert!(h.app.wizard.is_none());
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
    // Shoptet was never tested in this session, so its list is empty and says why.
    assert_eq!(wizard_step(&h.app), Some(Step::FinalStatuses));
    assert!(screen(&mut h.app, 80, 24).contains("The service returned no entries"));
    h.app.update(code(KeyCode::Enter));
    assert_eq!(wizard_step(&h.app), Some(Step::Owner), "the configured statuses still count");
    for _ in 0..3 {
        h.app.update(code(KeyCode::Enter));
    }
    assert_eq!(wizard_step(&h.app), Some(Step::Category));
    let s = screen(&mut h.app, 80, 24);
    assert!(s.contains("(•) none") && s.contains("( ) Maloobchod (31)"), "{s}");
    insta::assert_snapshot!("wizard_category_80x24", s);
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
