//! The engine snapshot and the commands table (schema v3): typed columns instead of `meta`
//! keys, an install made before v3 keeps what its `meta` rows held, and commands left for a
//! running engine are taken once.

use chrono::{DateTime, Duration, FixedOffset, Utc};
use shoptet_raynet_sync::engine::api::{EngineCommand, EngineState};
use shoptet_raynet_sync::http::Service;
use shoptet_raynet_sync::store::*;

/// A v2 database with the engine snapshot an older version kept under `meta` keys.
fn v2_database(path: &std::path::Path, rows: &[(&str, String)]) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(include_str!("../src/store/schema_v1.sql")).unwrap();
    conn.execute_batch(include_str!("../src/store/schema_v2.sql")).unwrap();
    conn.pragma_update(None, "user_version", 2).unwrap();
    for (k, v) in rows {
        conn.execute("INSERT INTO meta (key, value) VALUES (?1, ?2)", rusqlite::params![k, v]).unwrap();
    }
}

fn secs(t: DateTime<Utc>) -> i64 {
    t.timestamp()
}

#[test]
fn an_existing_install_keeps_its_engine_snapshot_when_meta_moves_to_typed_columns() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v2.db");
    let prague = FixedOffset::east_opt(3600).unwrap();
    let cursor = (Utc::now() - Duration::hours(2)).with_timezone(&prague);
    let last_poll = Utc::now() - Duration::minutes(3);
    let synced = Utc::now() - Duration::minutes(4);
    let until = Utc::now() + Duration::minutes(10);
    let since = Utc::now() - Duration::hours(1);
    v2_database(
        &path,
        &[
            (
                "engine_state",
                format!(r#"{{"state":"rate_limited","service":"raynet","until":"{}"}}"#, until.to_rfc3339()),
            ),
            ("last_poll", last_poll.to_rfc3339()),
            ("last_synced_at", synced.to_rfc3339()),
            ("cursor", cursor.to_rfc3339()),
            ("eshop_name", "Pražírna Vltava".into()),
            (
                "engine_pid",
                format!(r#"{{"pid":4242,"command":"run","started_at":"{}"}}"#, since.to_rfc3339()),
            ),
            ("someone_elses_note", "kept".into()),
        ],
    );
    let store = Store::open(&path).unwrap();
    let s = store.snapshot().unwrap();
    let state = s.state.clone().expect("state carried over");
    assert_eq!((state.kind, state.service), (StateKind::RateLimited, Some(Service::Raynet)));
    assert_eq!(state.until.map(secs), Some(secs(until)));
    assert_eq!(
        EngineState::from_record(&state),
        Some(EngineState::RateLimited { service: Service::Raynet, until: state.until.unwrap() })
    );
    assert_eq!(s.last_poll.map(secs), Some(secs(last_poll)));
    assert_eq!(s.last_synced_at.map(secs), Some(secs(synced)));
    assert_eq!(store.last_synced_at().unwrap().map(secs), Some(secs(synced)));
    let c = store.cursor().unwrap().expect("cursor carried over");
    assert_eq!((c.timestamp(), c.offset().local_minus_utc()), (cursor.timestamp(), 3600), "the offset stays");
    assert_eq!(s.eshop_name.as_deref(), Some("Pražírna Vltava"));
    let p = s.process.expect("process carried over");
    assert_eq!((p.pid, p.command.as_str(), secs(p.since)), (4242, "run", secs(since)));
    assert_eq!(s.next_poll, None);
    // What moved is gone from `meta`; what did not move stays.
    for key in ["engine_state", "last_poll", "last_synced_at", "cursor", "eshop_name", "engine_pid"] {
        assert_eq!(store.get_meta(key).unwrap(), None, "{key} left meta");
    }
    assert_eq!(store.get_meta("someone_elses_note").unwrap().as_deref(), Some("kept"));
}

#[test]
fn values_that_do_not_parse_are_dropped_by_the_migration_and_it_can_run_twice() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v2.db");
    v2_database(
        &path,
        &[
            ("engine_state", r#"{"state":"dreaming"}"#.into()),
            ("last_poll", "yesterday".into()),
            ("cursor", "garbage".into()),
            ("engine_pid", "not json".into()),
            ("eshop_name", "Zrnko".into()),
        ],
    );
    let store = Store::open(&path).unwrap();
    let s = store.snapshot().unwrap();
    assert_eq!(s.state, None);
    assert_eq!(s.last_poll, None);
    assert_eq!(s.cursor, None);
    assert_eq!(s.process, None);
    assert_eq!(s.eshop_name.as_deref(), Some("Zrnko"));
    drop(store);
    // Once more over the migrated file (another branch's migration may run it again).
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(include_str!("../src/store/schema_v3.sql")).unwrap();
    drop(conn);
    let again = Store::open(&path).unwrap().snapshot().unwrap();
    assert_eq!(again, s);
}

#[test]
fn every_engine_state_round_trips_through_its_record() {
    let until = Utc::now() + Duration::minutes(5);
    let states = [
        EngineState::Starting,
        EngineState::Idle,
        EngineState::Syncing,
        EngineState::Paused,
        EngineState::RateLimited { service: Service::Shoptet, until },
        EngineState::AuthProblem { service: Service::Raynet, problem: "401 Unauthorized".into() },
        EngineState::ConfigProblem { problem: "sync.default_owner_id 99 is not a RAYNET user".into() },
        EngineState::Stopped,
    ];
    let mut store = Store::open_in_memory().unwrap();
    for state in states {
        store.set_engine_state(&state.record()).unwrap();
        let back = store.snapshot().unwrap().state.expect("recorded");
        let back = EngineState::from_record(&back).expect("complete");
        match (&state, &back) {
            (EngineState::RateLimited { until: a, .. }, EngineState::RateLimited { until: b, .. }) => {
                assert_eq!(a.timestamp_millis(), b.timestamp_millis())
            }
            _ => assert_eq!(back, state),
        }
        // A state without data clears what the one before carried.
        if matches!(state, EngineState::Stopped) {
            let r = store.snapshot().unwrap().state.unwrap();
            assert_eq!((r.service, r.until, r.message), (None, None, None));
        }
    }
}

#[test]
fn the_snapshot_keeps_each_value_apart_and_the_process_note_is_cleared_by_its_owner_only() {
    let mut store = Store::open_in_memory().unwrap();
    assert_eq!(store.snapshot().unwrap(), EngineSnapshot::default());
    let now = Utc::now();
    store.set_last_poll(now).unwrap();
    store.set_next_poll(Some(now + Duration::seconds(30))).unwrap();
    store.set_eshop_name("Kávovarna Zrnko").unwrap();
    store.set_engine_process(&EngineProcess { pid: 77, command: "run".into(), since: now }).unwrap();
    let s = store.snapshot().unwrap();
    assert_eq!(s.last_poll.map(|t| t.timestamp_millis()), Some(now.timestamp_millis()));
    assert_eq!(s.next_poll.map(|t| t.timestamp()), Some((now + Duration::seconds(30)).timestamp()));
    assert_eq!(s.eshop_name.as_deref(), Some("Kávovarna Zrnko"));
    assert_eq!(s.state, None, "untouched");
    store.clear_engine_process(78).unwrap();
    assert_eq!(store.snapshot().unwrap().process.map(|p| p.pid), Some(77), "another pid leaves it");
    store.clear_engine_process(77).unwrap();
    assert_eq!(store.snapshot().unwrap().process, None);
    store.set_next_poll(None).unwrap();
    assert_eq!(store.snapshot().unwrap().next_poll, None);
    assert_eq!(store.snapshot().unwrap().eshop_name.as_deref(), Some("Kávovarna Zrnko"));
}

#[test]
fn a_command_left_for_the_engine_is_taken_once_and_one_nobody_took_can_be_withdrawn() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sync.db");
    let mut asker = Store::open(&path).unwrap();
    let mut engine = Store::open(&path).unwrap();
    assert!(engine.take_commands().unwrap().is_empty());

    let poll = asker.request_command(ControlCommand::SyncNow).unwrap();
    let pause = asker.request_command(ControlCommand::Pause).unwrap();
    assert_eq!(asker.command_status(poll).unwrap(), CommandStatus::Waiting);
    assert_eq!(engine.take_commands().unwrap(), vec![ControlCommand::SyncNow, ControlCommand::Pause]);
    assert!(engine.take_commands().unwrap().is_empty(), "taken once");
    assert_eq!(asker.command_status(poll).unwrap(), CommandStatus::Taken);
    assert_eq!(asker.command_status(pause).unwrap(), CommandStatus::Taken);
    assert!(!asker.withdraw_command(poll).unwrap(), "a taken command cannot be withdrawn");

    let resume = asker.request_command(ControlCommand::Resume).unwrap();
    assert!(asker.withdraw_command(resume).unwrap());
    assert_eq!(asker.command_status(resume).unwrap(), CommandStatus::Gone);
    assert!(engine.take_commands().unwrap().is_empty(), "a withdrawn command is not taken");

    let stale = asker.request_command(ControlCommand::SyncNow).unwrap();
    engine.clear_commands().unwrap();
    assert_eq!(asker.command_status(stale).unwrap(), CommandStatus::Gone, "a starting engine clears them");

    // The commands that travel through the store, and back.
    for c in [ControlCommand::SyncNow, ControlCommand::Pause, ControlCommand::Resume] {
        assert_eq!(EngineCommand::from(c).as_control(), Some(c));
    }
    assert_eq!(EngineCommand::RetryAll.as_control(), None);
}
