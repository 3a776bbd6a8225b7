//! Every command-line sentence reads in both languages: not empty, not the same in both, and
//! the Czech one without English words.

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::CliTexts;

use crate::engine::api::{AuthIssue, ConfigIssue, EngineState};
use crate::engine::estimate::{Estimate, WorkKind};
use crate::http::Service;
use crate::store::OrderState;
use crate::tui::fake::english_words;
use crate::tui::i18n::Lang;

/// Words that stand in Czech text as names of commands, flags and settings (`--data-dir`).
const ALLOWED: &[&str] = &[
    "sync", "run", "status", "setup", "once", "client", "create", "resolve", "remove", "register",
    "webhooks", "orders", "all", "data",
];

fn sentences(lang: Lang) -> Vec<String> {
    let c = lang.texts().cli();
    let now = Utc.with_ymd_and_hms(2026, 12, 7, 10, 0, 0).single().expect("time");
    let estimate = |kind, held: bool, days| Estimate {
        kind,
        orders: 1240,
        new_clients: 3,
        new_products: 1,
        raynet_requests: 5960,
        budget_left: if held { None } else { Some(23_715) },
        daily_limit: 25_000,
        reserve: 2000,
        held_until: held.then_some(now + Duration::hours(3)),
        days: Some(days),
        eta: Some(now + Duration::minutes(30)),
        next_reset: Some(now + Duration::hours(14)),
        shoptet_requests: 1240,
    };
    let mut out: Vec<String> = c.head.iter().map(|h| h.to_string()).collect();
    out.extend(labels(c));
    let states = [
        EngineState::Starting,
        EngineState::Idle,
        EngineState::Syncing,
        EngineState::Paused,
        EngineState::RateLimited { service: Service::Raynet, until: now },
        EngineState::AuthProblem { service: Service::Raynet, problem: AuthIssue::from("x") },
        EngineState::ConfigProblem { problem: ConfigIssue::NotPrepared },
        EngineState::Stopped,
    ];
    out.extend(states.iter().map(|s| c.state_name(s).to_string()));
    out.extend(OrderState::ALL.iter().map(|s| c.state(*s)));
    out.extend(pass_and_progress(c, now, estimate));
    out.extend(commands(c));
    out
}

/// The fixed labels.
fn labels(c: &CliTexts) -> Vec<String> {
    [
        c.error_label,
        c.l_database,
        c.l_logs,
        c.logs_note,
        c.l_engine,
        c.engine_holds,
        c.not_running,
        c.l_last_state,
        c.l_cursor,
        c.not_yet,
        c.l_last_poll,
        c.l_last_sync,
        c.never,
        c.l_raynet_requests,
        c.unknown,
        c.l_orders,
        c.order,
        c.l_state,
        c.l_status,
        c.l_customer,
        c.l_total,
        c.l_changed,
        c.l_business_case,
        c.l_attempts,
        c.l_admin,
        c.candidates,
        c.plan,
        c.done,
        c.calls,
        c.history,
        c.now,
        c.nothing_to_do,
        c.nothing_queued,
        c.first_sync,
        c.backfill,
        c.backlog,
        c.never_ends,
        c.bar_orders,
        c.retry_later,
        c.picks_up,
        c.webhooks_key_reload,
        c.webhooks_mismatch,
        c.stored,
        c.none,
        c.on,
        c.off,
    ]
    .map(String::from)
    .to_vec()
}

/// The sentences of `orders`, `status`, `show`, `sync` and the progress.
fn pass_and_progress(
    c: &CliTexts,
    now: DateTime<Utc>,
    estimate: impl Fn(WorkKind, bool, u32) -> Estimate,
) -> Vec<String> {
    vec![
        c.orders(1),
        c.orders(3),
        c.orders(12),
        c.shown_of(5, 31),
        c.when(now + Duration::seconds(5), now),
        c.when(now + Duration::seconds(500), now),
        c.local_zone(),
        c.running(4242, "run", "2026-12-07 10:00:00 +01:00"),
        c.requests_left("23715", "25000"),
        c.until("10:00"),
        c.synced_at("10:00"),
        c.next_attempt("10:00"),
        c.candidate(104, "Kavárna Slunce", "IČ", Some("09871236")),
        c.choose("2026000001"),
        c.pass_done(12, 9, 3, 6, 2, 1),
        c.poll_error("…"),
        c.backfill_waits("10:00"),
        c.interrupted("SIGTERM", true),
        c.interrupted("SIGTERM", false),
        c.planned(4),
        c.describe(&estimate(WorkKind::Backfill, false, 1), now),
        c.describe(&estimate(WorkKind::FirstSync, true, 1), now),
        c.describe(&estimate(WorkKind::Backfill, false, 3), now),
    ]
}

/// The sentences of `backfill`, `poll-now`, `webhooks`, the order commands and the errors.
fn commands(c: &CliTexts) -> Vec<String> {
    vec![
        c.backfill_none("2026-11-01"),
        c.backfill_queued(5, "2026-11-01", true),
        c.backfill_queued(1, "2026-11-01", false),
        c.no_daemon("/var/lib/x"),
        c.takes_no_requests("sync --once", 42, "/var/lib/x"),
        c.who(Some((42, "run")), "/var/lib/x"),
        c.who(None, "/var/lib/x"),
        c.poll_paused().to_string(),
        c.poll_waits_credentials("RAYNET", "HTTP 401"),
        c.poll_waits_config("…"),
        c.poll_refused("X", "Y"),
        c.poll_not_taken("X", 10),
        c.polled_at("X", "10:00"),
        c.poll_taken("X"),
        c.webhooks_config(true, "https://example.cz/hook"),
        c.signature_key(false),
        c.not_registered().to_string(),
        c.failed_deliveries(2),
        c.attempts(3),
        c.removed().to_string(),
        c.err_no_config("/etc/x.toml"),
        c.err_invalid("/etc/x.toml", "sync.poll_interval_secs", "0"),
        c.err_unreadable("/etc/x.toml", "…"),
        c.err_no_database("/var/lib/x/sync.db"),
        c.err_locked("/var/lib/x/lock"),
        c.err_data_dir("/var/lib/x", "…"),
        c.err_runtime("…"),
        c.business_case(Some(42)),
        c.unknown_order("2026000001"),
        c.retry_all_queued(3),
        c.retry_queued("2026000001"),
        c.give_codes().to_string(),
        c.nothing_changed(&["…".to_string()]),
        c.retry_synced("2026000001", ""),
        c.retry_skipped("2026000001"),
        c.retry_decision("2026000001"),
        c.resynced("2026000001"),
        c.skip_synced("2026000001", ""),
        c.skipped("2026000001", "…", true),
        c.skipped("2026000001", "…", false),
        c.not_skipped("2026000001", "…"),
        c.unskipped("2026000001"),
        c.no_decision("2026000001", "…"),
        c.give_client().to_string(),
        c.decision_saved("2026000001"),
        c.also_settled(&["2026000002".to_string(), "2026000003".to_string()]),
        c.not_a_candidate(104, "2026000001", &[]),
        c.forced(104),
        c.webhooks_off().to_string(),
        c.webhooks_no_url().to_string(),
        c.flags_ignored("demo", &["--config", "--data-dir"].join(c.or())),
    ]
}

#[test]
fn every_cli_text_reads_in_both_languages() {
    let (cs, en) = (sentences(Lang::Cs), sentences(Lang::En));
    assert_eq!(cs.len(), en.len());
    let same_in_both = ["E-shop", "Shoptet", "X Y; nothing polled now.", "—"];
    for (c, e) in cs.iter().zip(&en) {
        assert!(!c.trim().is_empty() && !e.trim().is_empty(), "{c:?} / {e:?}");
        assert_eq!(english_words(c, ALLOWED), Vec::<String>::new(), "{c}");
        if !same_in_both.contains(&e.as_str()) && !c.starts_with("Časy") {
            assert_ne!(c, e, "the same in both languages");
        }
    }
}

#[test]
fn czech_counts_take_the_right_plural() {
    let c = Lang::Cs.texts().cli();
    assert_eq!(c.orders(1), "1 objednávka");
    assert_eq!(c.orders(3), "3 objednávky");
    assert_eq!(c.orders(12), "12 objednávek");
    assert_eq!(Lang::En.texts().cli().orders(1), "1 order");
}
