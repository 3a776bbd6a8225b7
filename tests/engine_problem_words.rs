//! Why the engine stopped, and why it refused a command, are typed and said in the dashboard's
//! language: the Overview with an auth problem and with a config problem (snapshots, Czech
//! without English words), the flash of a rejected command, and a state an older version
//! stored as text reading back as that text.

mod common;

use chrono::{DateTime, TimeZone, Utc};

use common::screen::{init, screen};
use shoptet_raynet_sync::config::Config;
use shoptet_raynet_sync::engine::api::{AuthIssue, ConfigIssue, EngineEvent, EngineState, Rejection};
use shoptet_raynet_sync::http::Service;
use shoptet_raynet_sync::store::{RecordedState, StateKind, Store};
use shoptet_raynet_sync::tui::action::Action;
use shoptet_raynet_sync::tui::app::App;
use shoptet_raynet_sync::tui::fake::{FakeSource, english_words};
use shoptet_raynet_sync::tui::{Lang, Reason};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 30, 0).single().expect("valid time")
}

fn app(lang: Lang) -> App {
    App::new(init(Box::new(FakeSource::demo(60, now())), Some(Config::example()), lang, now(), (100, 30)))
}

fn problems() -> [(&'static str, EngineState); 3] {
    [
        (
            "auth",
            EngineState::AuthProblem {
                service: Service::Raynet,
                problem: AuthIssue::Rejected { status: Some(401), said: "Neplatný API klíč".into() },
            },
        ),
        (
            "auth_blocked",
            EngineState::AuthProblem {
                service: Service::Shoptet,
                problem: AuthIssue::Blocked { at: now(), said: "Neplatný token".into() },
            },
        ),
        (
            "config",
            EngineState::ConfigProblem {
                problem: ConfigIssue::UnknownOwner {
                    id: 99,
                    valid: vec!["10 (Jana Nováková)".into(), "11 (Petr Král)".into()],
                },
            },
        ),
    ]
}

#[test]
fn the_overview_says_why_the_engine_stopped_in_the_chosen_language() {
    for (name, state) in problems() {
        let mut shots = Vec::new();
        for lang in [Lang::Cs, Lang::En] {
            let mut app = app(lang);
            app.update(Action::Engine(EngineEvent::StateChanged { state: state.clone() }));
            let s = screen(&mut app, 100, 30);
            if lang == Lang::Cs {
                assert_eq!(english_words(&s, &[]), Vec::<String>::new(), "{name}:\n{s}");
            }
            shots.push(s);
        }
        assert_ne!(shots[0], shots[1], "{name}");
        insta::assert_snapshot!(format!("overview_{name}_cs"), shots[0]);
        insta::assert_snapshot!(format!("overview_{name}_en"), shots[1]);
    }
    // What only the problem says, in each language.
    let mut app = app(Lang::Cs);
    app.update(Action::Engine(EngineEvent::StateChanged { state: problems()[2].1.clone() }));
    let s = screen(&mut app, 100, 30);
    assert!(s.contains("sync.default_owner_id = 99 není id osoby"), "{s}");
}

#[test]
fn a_rejected_command_is_flashed_in_the_chosen_language() {
    let rejections = [
        (
            Rejection::UnknownOrder { code: "2026000042".into() },
            "objednávka 2026000042 v místním záznamu není",
        ),
        (Rejection::NoAnswer, Lang::Cs.texts().daemon_no_answer),
        (Rejection::DaemonOwns, Lang::Cs.texts().daemon_owns),
        (
            Rejection::Failed { reason: Reason::CurrencyMissing { iso: "USD".into() } },
            "objednávka je v měně USD",
        ),
    ];
    for (reason, czech) in rejections {
        let mut app = app(Lang::Cs);
        app.update(Action::Engine(EngineEvent::CommandRejected { reason: reason.clone() }));
        let s = screen(&mut app, 160, 30);
        assert!(s.contains(&format!("Odmítnuto: {czech}")), "{reason:?}:\n{s}");
        assert_eq!(english_words(&s, &[]), Vec::<String>::new(), "{s}");
    }
}

#[test]
fn a_state_an_older_version_stored_as_text_reads_back_as_that_text() {
    let mut store = Store::open_in_memory().unwrap();
    let legacy = |kind, message: &str| RecordedState {
        service: (kind == StateKind::AuthProblem).then_some(Service::Raynet),
        message: Some(message.to_string()),
        ..RecordedState::of(kind)
    };
    store.set_engine_state(&legacy(StateKind::AuthProblem, "RAYNET GET /api/v2/person/: HTTP 401")).unwrap();
    let back = EngineState::from_record(&store.snapshot().unwrap().state.expect("state"));
    let text = AuthIssue::Text { text: "RAYNET GET /api/v2/person/: HTTP 401".into() };
    assert_eq!(back, Some(EngineState::AuthProblem { service: Service::Raynet, problem: text }));
    store.set_engine_state(&legacy(StateKind::ConfigProblem, "owner 12 is gone")).unwrap();
    let back = EngineState::from_record(&store.snapshot().unwrap().state.expect("state"));
    let text = ConfigIssue::Text { text: "owner 12 is gone".into() };
    assert_eq!(back, Some(EngineState::ConfigProblem { problem: text.clone() }));
    // Shown as it was, in either language.
    for lang in [Lang::Cs, Lang::En] {
        assert_eq!(lang.texts().config_issue(&text), "owner 12 is gone");
    }
    // A typed problem round-trips typed.
    for (_, state) in problems() {
        store.set_engine_state(&state.record()).unwrap();
        assert_eq!(EngineState::from_record(&store.snapshot().unwrap().state.expect("state")), Some(state));
    }
}
