//! The retry reasons and the activity log are typed and translated at the edge: the Retry and
//! Log panes in Czech hold no English sentence, the same panes in English; the CLI's reasons
//! follow `--lang`; a database written before the typed log reads back as its text.

mod common;

use std::process::Output;

use chrono::{DateTime, Duration, TimeZone, Utc};
use rust_decimal::Decimal;
use serde_json::Value;

use common::process::bin;
use common::screen::{init, screen};
use common::*;
use shoptet_raynet_sync::config::Config;
use shoptet_raynet_sync::http::Service;
use shoptet_raynet_sync::store::{
    Activity, AuditQuery, DataProblem, DecisionChoice, EntityKind, How, Priority, StateChange, Store,
};
use shoptet_raynet_sync::tui::action::{Action, Pane};
use shoptet_raynet_sync::tui::app::App;
use shoptet_raynet_sync::tui::fake::{FakeSource, english_words};
use shoptet_raynet_sync::tui::{ActivityView, Lang, OrderState, OrderView, Reason};

/// Proper names and codes that may stand in a Czech text (none is needed today).
const ALLOWED: &[&str] = &[];

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 30, 0).single().expect("valid time")
}

fn config() -> Config {
    Config::example()
}

/// Orders failing for every kind of reason, newest first, on top of the demo's.
fn every_reason() -> Vec<Reason> {
    let (shoptet, raynet) = (Service::Shoptet, Service::Raynet);
    vec![
        Reason::CredentialsRejected { service: raynet },
        Reason::RateLimited { service: raynet, until: Some(now() + Duration::minutes(20)) },
        Reason::Unreachable { service: shoptet, request: "GET /api/orders/2026000140".into() },
        Reason::UnreadableAnswer {
            service: shoptet,
            request: "GET /api/orders/2026000141".into(),
            status: 200,
        },
        Reason::NotFound {
            service: shoptet,
            request: "GET /api/orders/2026000142".into(),
            message: "Objednávka nenalezena".into(),
        },
        Reason::CurrencyMissing { iso: "USD".into() },
        Reason::OrderData { item: Some(2), field: "itemPrice".into(), problem: DataProblem::NoPrice },
        Reason::OrderData { item: None, field: "price.currencyCode".into(), problem: DataProblem::Missing },
        Reason::TotalsMismatch {
            with_vat: true,
            expected: Decimal::new(121000, 2),
            got: Decimal::new(120000, 2),
        },
        Reason::AmountsTooLarge,
    ]
}

fn source() -> FakeSource {
    let mut s = FakeSource::demo(60, now());
    for (i, reason) in every_reason().into_iter().enumerate() {
        s.orders.push(OrderView {
            code: format!("20261{i:05}"),
            state: if i % 2 == 0 { OrderState::Failed } else { OrderState::Dead },
            status: "Vyřízena".into(),
            customer: "Kavárna Slunce s.r.o.".into(),
            total: "1 210,00".into(),
            currency: "CZK".into(),
            changed_at: Some(now() + Duration::minutes(30 - i as i64)),
            attempts: 3,
            next_attempt: (i % 2 == 0).then(|| now() + Duration::minutes(10)),
            reason: Some(reason),
        });
    }
    for (i, entry) in every_activity().into_iter().enumerate() {
        s.activity.push(ActivityView {
            at: now() + Duration::minutes(30 - i as i64),
            order_code: Some(format!("20262{i:05}")),
            change: matches!(entry, Activity::Synced { .. }).then_some(StateChange {
                from: shoptet_raynet_sync::store::OrderState::Queued,
                to: shoptet_raynet_sync::store::OrderState::Synced,
            }),
            entry,
        });
    }
    s
}

/// The entries the demo's log lacks.
fn every_activity() -> Vec<Activity> {
    vec![
        Activity::Entity {
            kind: EntityKind::Client,
            raynet_id: 104,
            how: How::Matched,
            matched_by: Some("reg_number".into()),
            label: "Kavárna Slunce s.r.o.".into(),
            key: "shoptet:312457:customer:8c1f".into(),
        },
        Activity::Entity {
            kind: EntityKind::Product,
            raynet_id: 421,
            how: How::Created,
            matched_by: None,
            label: "Kolumbie Supremo 250 g".into(),
            key: "KAV-COL-250/ZRN".into(),
        },
        Activity::Updated { business_case_id: 572, kept: 4, edited: 1, added: 1, removed: 0, fields: true },
        Activity::Cancelled { business_case_id: 573 },
        Activity::Decided { choice: DecisionChoice::Existing(104) },
        Activity::ExtIdMode { entity: "businessCase".into(), kept: false },
        Activity::Backfill { queued: 12, from: now() - Duration::days(30), requests: Some(84) },
        Activity::RateLimited { service: Service::Raynet, until: now() + Duration::minutes(20) },
        Activity::LoginBlocked { service: Service::Shoptet },
        Activity::Queued { priority: Priority::Low, due: now() },
        Activity::DeletedInShoptet,
        Activity::NoLongerFinal,
        Activity::RetryRequested,
        Activity::Synced { business_case_id: 574 },
    ]
}

fn app(lang: Lang) -> App {
    App::new(init(Box::new(source()), Some(config()), lang, now(), (160, 40)))
}

fn pane(lang: Lang, pane: Pane) -> String {
    let mut app = app(lang);
    app.update(Action::GoPane(pane));
    screen(&mut app, 160, 40)
}

#[test]
fn the_retry_and_log_panes_in_czech_have_no_english_sentence() {
    for (p, name) in [(Pane::Retry, "retry"), (Pane::Activity, "log")] {
        let cs = pane(Lang::Cs, p);
        assert_eq!(english_words(&cs, ALLOWED), Vec::<String>::new(), "{cs}");
        insta::assert_snapshot!(format!("{name}_cs_160x40"), cs);
        // The same screen in English: the checker does find English there.
        let en = pane(Lang::En, p);
        assert!(english_words(&en, ALLOWED).len() > 20, "{en}");
        insta::assert_snapshot!(format!("{name}_en_160x40"), en);
    }
}

#[test]
fn the_line_under_the_table_holds_the_whole_reason_in_the_chosen_language() {
    let mut app = app(Lang::Cs);
    app.update(Action::GoPane(Pane::Retry));
    let s = screen(&mut app, 80, 24);
    // The newest failure is RAYNET rejecting the credentials.
    assert!(s.contains("⚠ RAYNET odmítl přihlašovací údaje — opravte je v nastavení"), "{s}");
    assert_eq!(english_words(&s, ALLOWED), Vec::<String>::new(), "{s}");
    app.update(Action::GoPane(Pane::Activity));
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("klient #104 nalezen podle IČ: Kavárna Slunce s.r.o."), "{s}");
    assert_eq!(english_words(&s, ALLOWED), Vec::<String>::new(), "{s}");
}

// ---- the store: typed entries, and rows written before them --------------------------------

#[test]
fn a_database_written_before_the_typed_log_reads_back_as_its_text() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("sync.db");
    {
        // A database of schema v2, with what a v2 build wrote: English sentences in the log,
        // the job and the decision.
        let conn = rusqlite::Connection::open(&path).expect("raw");
        conn.execute_batch(include_str!("../src/store/schema_v1.sql")).expect("v1");
        conn.execute_batch(include_str!("../src/store/schema_v2.sql")).expect("v2");
        conn.pragma_update(None, "user_version", 2).expect("version");
        conn.execute_batch(
            "INSERT INTO orders (code, state, updated_at, search_key) VALUES ('2026000001', 'dead', 0, '2026000001');
             INSERT INTO jobs (code, priority, attempts, next_attempt_at, last_error, last_status, dead)
                 VALUES ('2026000001', 0, 2, 0, 'configuration: the order is in USD, which is not a currency in RAYNET', NULL, 1);
             INSERT INTO orders (code, state, updated_at, search_key) VALUES ('2026000002', 'needs_decision', 0, '2026000002');
             INSERT INTO decisions (code, reason, candidates, choice, created_at)
                 VALUES ('2026000002', '2 RAYNET clients match by e-mail', '[]', NULL, 0);
             INSERT INTO audit (at, order_code, kind, message)
                 VALUES (0, '2026000001', 'dead', 'queued → dead: attempt 2: configuration: USD; giving up');",
        )
        .expect("old rows");
    }
    let store = Store::open(&path).expect("open and migrate");
    let row = store.order("2026000001").expect("read").expect("row");
    assert_eq!(
        row.last_error,
        Some(Reason::Legacy {
            text: "configuration: the order is in USD, which is not a currency in RAYNET".into()
        })
    );
    let d = store.decision("2026000002").expect("read").expect("decision");
    assert_eq!(d.reason, Reason::Legacy { text: "2 RAYNET clients match by e-mail".into() });
    let log = store.audit_page(&AuditQuery { search: Some("giving up".into()), ..Default::default() });
    let log = log.expect("log");
    assert_eq!(log.len(), 1, "old rows are found by their words");
    assert_eq!(log[0].kind, "dead");
    assert_eq!(
        log[0].entry,
        Activity::Legacy {
            kind: "dead".into(),
            text: "queued → dead: attempt 2: configuration: USD; giving up".into()
        }
    );
    assert_eq!(log[0].change, None);
    // Shown as they were, in either language.
    for lang in [Lang::Cs, Lang::En] {
        assert_eq!(
            lang.texts().audit_line(&log[0].entry, None, &Utc),
            "queued → dead: attempt 2: configuration: USD; giving up"
        );
    }
}

#[test]
fn typed_entries_round_trip_with_their_state_change_and_are_found_by_their_parameters() {
    let mut store = Store::open_in_memory().expect("store");
    let seen = shoptet_raynet_sync::store::OrderSeen {
        code: "2026000003".into(),
        customer: Some("Pražírna Vltava s.r.o.".into()),
        status_name: Some("Vyřízena".into()),
        ..Default::default()
    };
    store.record_order_seen(&seen).expect("seen");
    store.enqueue("2026000003", Priority::Normal, now()).expect("queue");
    let failure = shoptet_raynet_sync::store::Failure {
        reason: Reason::CurrencyMissing { iso: "USD".into() },
        status: None,
        next_attempt_at: None,
    };
    store.record_failure("2026000003", &failure).expect("fail");
    let log = store.audit_page(&AuditQuery::default()).expect("log");
    assert_eq!(log.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(), ["dead", "queued", "seen"]);
    assert_eq!(
        log[0].entry,
        Activity::Dead { attempt: 1, reason: Reason::CurrencyMissing { iso: "USD".into() } }
    );
    let change = |from, to| Some(StateChange { from, to });
    use shoptet_raynet_sync::store::OrderState as S;
    assert_eq!(log[0].change, change(S::Queued, S::Dead));
    assert_eq!(log[1].change, change(S::Pending, S::Queued));
    assert_eq!(log[2].entry, Activity::Seen { status: Some("Vyřízena".into()) });
    let q = |s: &str| AuditQuery { search: Some(s.into()), ..Default::default() };
    assert_eq!(store.audit_page(&q("usd")).expect("search").len(), 1, "by the currency");
    assert_eq!(store.audit_page(&q("vyrizena")).expect("search").len(), 1, "by the status, without accents");
    assert_eq!(store.count_audit(&q("dead")).expect("count"), 1, "by the kind");
    let cs = Lang::Cs.texts().audit_line(&log[0].entry, log[0].change, &Utc);
    assert!(cs.starts_with("ve frontě → vzdáno: pokus 1: objednávka je v měně USD"), "{cs}");
}

// ---- the CLI: reasons in the `--lang` language ---------------------------------------------

fn run(world: &World, args: &[&str]) -> Output {
    let (config, data) = world.write_config();
    tokio::task::block_in_place(|| {
        bin().args(args).arg("--config").arg(config).arg("--data-dir").arg(data).output().expect("run binary")
    })
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_shows_reasons_and_history_in_the_chosen_language() {
    let world = World::empty().await;
    let c = person("Jana Dvořáková", "jana@example.cz");
    // An order in a currency RAYNET does not know: it stops at once, with a reason.
    world
        .shoptet
        .upsert_order(order("2026100999", -3, &c, &[product("KAV-ETH-250", "Káva", 1, "12.00")], "USD"))
        .unwrap();
    let o = run(&world, &["sync", "--once", "--lang", "cs"]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    let czech = "objednávka je v měně USD, kterou RAYNET nezná";
    assert!(out(&o).contains(czech), "the pass's report: {}", out(&o));

    let text = out(&run(&world, &["orders", "--state", "dead", "--lang", "cs"]));
    assert!(text.contains("objednávka je v měně USD"), "{text}");
    let v: Value =
        serde_json::from_slice(&run(&world, &["orders", "--state", "dead", "--lang", "cs", "--json"]).stdout)
            .expect("JSON");
    let reason = v[0]["reason"].as_str().expect("reason");
    assert!(reason.starts_with(czech), "{v}");
    assert_eq!(english_words(reason, ALLOWED), Vec::<String>::new(), "{reason}");
    assert_eq!(v[0]["reason_code"], "currency_missing");
    assert_eq!(v[0]["last_error"], v[0]["reason"]);

    // English by default; the code is the same in either language.
    let v: Value =
        serde_json::from_slice(&run(&world, &["orders", "--state", "dead", "--json"]).stdout).expect("JSON");
    assert!(v[0]["reason"].as_str().is_some_and(|r| r.starts_with("the order is in USD")), "{v}");
    assert_eq!(v[0]["reason_code"], "currency_missing");

    // The history of `show`, in Czech: every entry of it.
    let v: Value =
        serde_json::from_slice(&run(&world, &["show", "2026100999", "--lang", "cs", "--json"]).stdout)
            .expect("JSON");
    let history = v["history"].as_array().expect("history");
    assert!(history.len() >= 3, "{v}");
    for h in history {
        let m = h["message"].as_str().expect("message");
        assert_eq!(english_words(m, ALLOWED), Vec::<String>::new(), "{m}");
    }
    assert_eq!(history.last().expect("entry")["kind"], "dead");

    // Skipped without a reason: "skipped by hand", in the chosen language.
    let o = run(&world, &["skip", "2026100999", "--lang", "cs"]);
    assert!(out(&o).contains("přeskočeno ručně"), "{}", out(&o));
    let v: Value = serde_json::from_slice(&run(&world, &["orders", "--state", "skipped", "--json"]).stdout)
        .expect("JSON");
    assert_eq!(v[0]["reason"], "skipped by hand");
    assert_eq!(v[0]["reason_code"], "skipped");
}
