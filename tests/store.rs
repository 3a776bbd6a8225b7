//! Behaviour of the SQLite store: state machine, queue, decisions, entity map, audit, calls,
//! paging, persistence and schema versioning.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Duration, FixedOffset, TimeZone, Utc};
use rust_decimal::Decimal;
use shoptet_raynet_sync::http::{CallRecord, Service};
use shoptet_raynet_sync::store::*;

/// A store whose clock the test moves by hand.
struct Fixture {
    store: Store,
    clock: Arc<AtomicI64>,
}

impl Fixture {
    fn new() -> Fixture {
        Fixture::with(Store::open_in_memory().unwrap())
    }

    fn with(mut store: Store) -> Fixture {
        let clock = Arc::new(AtomicI64::new(t0().timestamp_millis()));
        let c = clock.clone();
        store.set_clock(Box::new(move || DateTime::from_timestamp_millis(c.load(Ordering::SeqCst)).unwrap()));
        Fixture { store, clock }
    }

    fn advance(&self, d: Duration) {
        self.clock.fetch_add(d.num_milliseconds(), Ordering::SeqCst);
    }

    fn now(&self) -> DateTime<Utc> {
        self.store.now()
    }
}

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 10, 12, 30, 0).unwrap()
}

fn prague(h: u32, m: u32) -> DateTime<FixedOffset> {
    FixedOffset::east_opt(3600).unwrap().with_ymd_and_hms(2026, 3, 10, h, m, 0).unwrap()
}

fn seen(code: &str) -> OrderSeen {
    OrderSeen {
        code: code.to_string(),
        change_time: Some(prague(10, 0)),
        creation_time: Some(prague(9, 0)),
        status_id: Some(-2),
        status_name: Some("Vyřizuje se".into()),
        customer: Some(format!("Customer {code}")),
        email: Some(format!("{code}@example.cz")),
        total_with_vat: Some(Decimal::new(12100, 2)),
        currency: Some("CZK".into()),
    }
}

fn add(fx: &mut Fixture, code: &str) {
    assert!(fx.store.record_order_seen(&seen(code)).unwrap());
}

fn state(fx: &Fixture, code: &str) -> OrderState {
    fx.store.order(code).unwrap().unwrap().state
}

/// RAYNET answered 503 with `message`.
fn unavailable(message: &str) -> Reason {
    Reason::Unavailable {
        service: Service::Raynet,
        request: "PUT /company/".into(),
        status: 503,
        message: message.into(),
    }
}

fn failure(error: &str, next: Option<DateTime<Utc>>) -> Failure {
    Failure { reason: unavailable(error), status: Some(503), next_attempt_at: next }
}

/// Two RAYNET clients share the e-mail.
fn two_clients() -> Reason {
    Reason::Ambiguous {
        by: "email".into(),
        candidates: vec!["Novák s.r.o. (#11)".into(), "Novák a syn (#12)".into()],
    }
}

/// A log entry whose text is kept as it is (as rows written by older versions are).
fn note(kind: &str, text: &str) -> Activity {
    Activity::Legacy { kind: kind.into(), text: text.into() }
}

/// The text of an entry written with `note`.
fn text_of(e: &AuditEvent) -> String {
    match &e.entry {
        Activity::Legacy { text, .. } => text.clone(),
        other => format!("{other:?}"),
    }
}

#[test]
fn a_new_order_is_pending_and_a_known_one_keeps_its_state() {
    let mut fx = Fixture::new();
    assert!(fx.store.record_order_seen(&seen("1001")).unwrap());
    let row = fx.store.order("1001").unwrap().unwrap();
    assert_eq!(row.state, OrderState::Pending);
    assert_eq!(row.total_with_vat, Some(Decimal::new(12100, 2)));
    assert_eq!(row.change_time, Some(prague(10, 0)));
    assert_eq!(row.change_time.unwrap().offset().local_minus_utc(), 3600);
    assert_eq!(row.attempts, 0);
    assert_eq!(row.priority, None);

    fx.store.mark_synced("1001", 77, "hash-a").unwrap();
    let mut again = seen("1001");
    again.status_id = Some(-3);
    again.customer = None; // unknown now: the stored name stays
    again.total_with_vat = Some(Decimal::new(15000, 2));
    fx.advance(Duration::minutes(5));
    assert!(!fx.store.record_order_seen(&again).unwrap());
    let row = fx.store.order("1001").unwrap().unwrap();
    assert_eq!(row.state, OrderState::Synced);
    assert_eq!(row.status_id, Some(-3));
    assert_eq!(row.customer.as_deref(), Some("Customer 1001"));
    assert_eq!(row.total_with_vat, Some(Decimal::new(15000, 2)));
    assert_eq!(row.updated_at, fx.now());

    for st in [OrderState::Failed, OrderState::Skipped, OrderState::NeedsDecision] {
        fx.store.set_state("1001", st).unwrap();
        fx.store.record_order_seen(&seen("1001")).unwrap();
        assert_eq!(state(&fx, "1001"), st);
    }
    assert!(fx.store.order("nope").unwrap().is_none());
}

#[test]
fn a_batch_of_seen_orders_reports_which_are_new() {
    let mut fx = Fixture::new();
    add(&mut fx, "B1");
    fx.store.mark_synced("B1", 3, "h").unwrap();
    let new = fx.store.record_orders_seen(&[seen("B1"), seen("B2"), seen("B3")]).unwrap();
    assert_eq!(new, vec![false, true, true]);
    assert_eq!(state(&fx, "B1"), OrderState::Synced);
    assert_eq!(state(&fx, "B3"), OrderState::Pending);
}

#[test]
fn mark_synced_removes_job_and_decision_and_records_when() {
    let mut fx = Fixture::new();
    add(&mut fx, "A");
    fx.store.enqueue("A", Priority::Normal, fx.now()).unwrap();
    fx.store.set_decision("A", &two_clients(), &[]).unwrap();
    fx.store.enqueue("A", Priority::Normal, fx.now()).unwrap();
    assert!(fx.store.job("A").unwrap().is_some());
    fx.advance(Duration::minutes(1));
    fx.store.mark_synced("A", 501, "h1").unwrap();

    let row = fx.store.order("A").unwrap().unwrap();
    assert_eq!(row.state, OrderState::Synced);
    assert_eq!(row.business_case_id, Some(501));
    assert_eq!(row.synced_hash.as_deref(), Some("h1"));
    assert_eq!(row.synced_at, Some(fx.now()));
    assert!(fx.store.job("A").unwrap().is_none());
    assert!(fx.store.decision("A").unwrap().is_none());
    assert!(fx.store.due_jobs(fx.now(), 10).unwrap().is_empty());
    assert_eq!(fx.store.last_synced_at().unwrap(), Some(fx.now()));

    fx.store.forget_hash("A").unwrap();
    let row = fx.store.order("A").unwrap().unwrap();
    assert_eq!(row.synced_hash, None);
    assert_eq!(row.business_case_id, Some(501));
}

#[test]
fn unknown_orders_are_reported() {
    let mut fx = Fixture::new();
    let unknown = |r: Result<()>| matches!(r, Err(StoreError::UnknownOrder(c)) if c == "X");
    assert!(unknown(fx.store.set_state("X", OrderState::Queued)));
    assert!(unknown(fx.store.mark_synced("X", 1, "h")));
    assert!(unknown(fx.store.skip("X", Some("r"))));
    assert!(unknown(fx.store.retry_now("X")));
    assert!(unknown(fx.store.enqueue("X", Priority::Low, t0())));
    assert!(unknown(fx.store.set_decision("X", &two_clients(), &[])));
    assert!(unknown(fx.store.forget_hash("X")));
    assert!(matches!(fx.store.record_failure("X", &failure("e", None)), Err(StoreError::UnknownOrder(_))));
}

#[test]
fn failures_count_attempts_and_dead_jobs_are_never_due() {
    let mut fx = Fixture::new();
    add(&mut fx, "F");
    add(&mut fx, "D");
    fx.store.enqueue("F", Priority::Normal, fx.now()).unwrap();
    fx.store.enqueue("D", Priority::Normal, fx.now()).unwrap();

    let later = fx.now() + Duration::minutes(10);
    assert_eq!(fx.store.record_failure("F", &failure("timeout", Some(later))).unwrap(), 1);
    assert_eq!(fx.store.record_failure("F", &failure("timeout", Some(later))).unwrap(), 2);
    assert_eq!(fx.store.record_failure("D", &failure("422 invalid", None)).unwrap(), 1);

    let f = fx.store.order("F").unwrap().unwrap();
    assert_eq!(f.state, OrderState::Failed);
    assert_eq!(f.attempts, 2);
    assert_eq!(f.next_attempt_at, Some(later));
    assert_eq!(f.last_error, Some(unavailable("timeout")));
    assert_eq!(f.last_status, Some(503));
    let d = fx.store.order("D").unwrap().unwrap();
    assert_eq!(d.state, OrderState::Dead);
    assert_eq!(d.next_attempt_at, None);

    let far = fx.now() + Duration::days(365);
    assert!(fx.store.due_jobs(fx.now(), 10).unwrap().is_empty());
    let due: Vec<_> = fx.store.due_jobs(far, 10).unwrap().into_iter().map(|j| j.code).collect();
    assert_eq!(due, vec!["F".to_string()]);
    assert_eq!(fx.store.next_due_at().unwrap(), Some(later));

    // A dead order comes back through retry_now with its attempts kept.
    fx.store.retry_now("D").unwrap();
    let job = fx.store.job("D").unwrap().unwrap();
    assert_eq!(job.attempts, 1);
    assert_eq!(job.next_attempt_at, fx.now());
    assert_eq!(state(&fx, "D"), OrderState::Queued);
    fx.store.reset_attempts("D").unwrap();
    assert_eq!(fx.store.job("D").unwrap().unwrap().attempts, 0);
}

#[test]
fn due_jobs_take_normal_before_low_then_oldest_first() {
    let mut fx = Fixture::new();
    let now = fx.now();
    for code in ["low-old", "low-new", "n-new", "n-old", "future"] {
        add(&mut fx, code);
    }
    fx.store.enqueue("low-old", Priority::Low, now - Duration::hours(5)).unwrap();
    fx.store.enqueue("low-new", Priority::Low, now - Duration::hours(1)).unwrap();
    fx.store.enqueue("n-new", Priority::Normal, now - Duration::minutes(1)).unwrap();
    fx.store.enqueue("n-old", Priority::Normal, now - Duration::minutes(30)).unwrap();
    fx.store.enqueue("future", Priority::Normal, now + Duration::hours(1)).unwrap();

    let due: Vec<_> = fx.store.due_jobs(now, 10).unwrap().into_iter().map(|j| j.code).collect();
    assert_eq!(due, vec!["n-old", "n-new", "low-old", "low-new"]);
    assert_eq!(fx.store.due_jobs(now, 2).unwrap().len(), 2);
    assert_eq!(fx.store.next_due_at().unwrap(), Some(now - Duration::hours(5)));

    // Re-enqueue: higher priority and earlier due win, attempts are kept.
    fx.store.record_failure("low-new", &failure("x", Some(now + Duration::hours(2)))).unwrap();
    fx.store.enqueue("low-new", Priority::Normal, now + Duration::hours(3)).unwrap();
    let job = fx.store.job("low-new").unwrap().unwrap();
    assert_eq!(job.priority, Priority::Normal);
    assert_eq!(job.next_attempt_at, now + Duration::hours(2));
    assert_eq!(job.attempts, 1);
    assert_eq!(state(&fx, "low-new"), OrderState::Queued);
    fx.store.enqueue("low-new", Priority::Low, now).unwrap();
    let job = fx.store.job("low-new").unwrap().unwrap();
    assert_eq!(job.priority, Priority::Normal);
    assert_eq!(job.next_attempt_at, now);
}

#[test]
fn retry_all_requeues_failed_and_dead_only() {
    let mut fx = Fixture::new();
    for code in ["f1", "f2", "d1", "s1", "p1"] {
        add(&mut fx, code);
    }
    let later = fx.now() + Duration::hours(1);
    fx.store.record_failure("f1", &failure("e", Some(later))).unwrap();
    fx.store.record_failure("f2", &failure("e", Some(later))).unwrap();
    fx.store.record_failure("d1", &failure("e", None)).unwrap();
    fx.store.mark_synced("s1", 1, "h").unwrap();

    assert_eq!(fx.store.retry_all().unwrap(), 3);
    for code in ["f1", "f2", "d1"] {
        assert_eq!(state(&fx, code), OrderState::Queued, "{code}");
        assert_eq!(fx.store.job(code).unwrap().unwrap().attempts, 1);
    }
    assert_eq!(state(&fx, "s1"), OrderState::Synced);
    assert_eq!(state(&fx, "p1"), OrderState::Pending);
    assert_eq!(fx.store.due_jobs(fx.now(), 10).unwrap().len(), 3);
    assert_eq!(fx.store.retry_all().unwrap(), 0);
}

#[test]
fn skip_removes_job_and_decision() {
    let mut fx = Fixture::new();
    add(&mut fx, "S");
    fx.store.set_decision("S", &two_clients(), &[]).unwrap();
    fx.store.set_decision_choice("S", &DecisionChoice::CreateNew).unwrap();
    assert!(fx.store.job("S").unwrap().is_some());
    fx.store.skip("S", Some("test order")).unwrap();
    assert_eq!(state(&fx, "S"), OrderState::Skipped);
    assert!(fx.store.job("S").unwrap().is_none());
    assert!(fx.store.decision("S").unwrap().is_none());
    let events =
        fx.store.audit_page(&AuditQuery { order_code: Some("S".into()), ..Default::default() }).unwrap();
    assert_eq!(events[0].kind, "skipped");
    assert_eq!(events[0].entry, Activity::Skipped { note: Some("test order".into()) });
}

#[test]
fn decisions_round_trip() {
    let mut fx = Fixture::new();
    add(&mut fx, "Q");
    fx.store.enqueue("Q", Priority::Low, fx.now()).unwrap();
    let candidates = vec![
        Candidate {
            raynet_id: 11,
            name: "Novák s.r.o.".into(),
            matched_by: "email".into(),
            facts: CandidateFacts { reg_number: Some("123".into()), ..CandidateFacts::default() },
        },
        Candidate {
            raynet_id: 12,
            name: "Novák a syn".into(),
            matched_by: "email".into(),
            ..Candidate::default()
        },
    ];
    fx.store.set_decision("Q", &two_clients(), &candidates).unwrap();
    assert_eq!(state(&fx, "Q"), OrderState::NeedsDecision);
    assert!(fx.store.job("Q").unwrap().is_none());
    let d = fx.store.decision("Q").unwrap().unwrap();
    assert_eq!(d.code, "Q");
    assert_eq!(d.reason, two_clients());
    assert_eq!(d.candidates, candidates);
    assert_eq!(d.choice, None);
    assert_eq!(d.created_at, fx.now());

    fx.advance(Duration::minutes(3));
    fx.store.set_decision_choice("Q", &DecisionChoice::Existing(12)).unwrap();
    let d = fx.store.decision("Q").unwrap().unwrap();
    assert_eq!(d.choice, Some(DecisionChoice::Existing(12)));
    assert_eq!(d.candidates.len(), 2);
    assert_eq!(state(&fx, "Q"), OrderState::Queued);
    let job = fx.store.job("Q").unwrap().unwrap();
    assert_eq!(job.priority, Priority::Normal);
    assert_eq!(job.next_attempt_at, fx.now());

    fx.store.clear_decision("Q").unwrap();
    assert!(fx.store.decision("Q").unwrap().is_none());
    assert_eq!(state(&fx, "Q"), OrderState::Queued);
}

fn entity(kind: EntityKind, key: &str, id: i64, how: How, at: DateTime<Utc>) -> EntityRecord {
    EntityRecord {
        kind,
        shoptet_key: key.into(),
        raynet_id: id,
        how,
        matched_by: (how == How::Matched).then(|| "email".to_string()),
        label: format!("Label {key}"),
        shoptet_ref: None,
        first_order_code: Some("1001".into()),
        created_at: at,
    }
}

#[test]
fn entities_upsert_and_page() {
    let mut fx = Fixture::new();
    let t = fx.now();
    let c = EntityKind::Client;
    fx.store.record_entity(&entity(c, "cust-1", 100, How::Created, t)).unwrap();
    fx.store.record_entity(&entity(c, "cust-2", 200, How::Matched, t + Duration::seconds(1))).unwrap();
    fx.store.record_entity(&entity(c, "Žluťoučký", 300, How::Matched, t + Duration::seconds(2))).unwrap();
    fx.store.record_entity(&entity(EntityKind::Product, "SKU-1", 100, How::Created, t)).unwrap();

    // Upsert: same key, new RAYNET id; created_at and first order stay.
    let mut updated = entity(c, "cust-1", 101, How::Matched, t + Duration::days(1));
    updated.first_order_code = Some("2002".into());
    fx.store.record_entity(&updated).unwrap();
    let got = fx.store.entity(c, "cust-1").unwrap().unwrap();
    assert_eq!(got.raynet_id, 101);
    assert_eq!(got.how, How::Matched);
    assert_eq!(got.created_at, t);
    assert_eq!(got.first_order_code.as_deref(), Some("1001"));
    assert_eq!(fx.store.entity(c, "missing").unwrap(), None);

    assert_eq!(fx.store.entity_by_raynet_id(c, 200).unwrap().unwrap().shoptet_key, "cust-2");
    assert_eq!(fx.store.entity_by_raynet_id(EntityKind::Product, 100).unwrap().unwrap().shoptet_key, "SKU-1");
    assert!(fx.store.entity_by_raynet_id(c, 100).unwrap().is_none());

    assert_eq!(fx.store.count_entities(c, None).unwrap(), 3);
    assert_eq!(fx.store.count_entities(c, Some(How::Matched)).unwrap(), 3);
    assert_eq!(fx.store.count_entities(c, Some(How::Created)).unwrap(), 0);
    assert_eq!(fx.store.count_entities(EntityKind::Product, None).unwrap(), 1);

    let keys = |q: &EntityQuery| -> Vec<String> {
        fx.store.entities_page(q).unwrap().into_iter().map(|e| e.shoptet_key).collect()
    };
    let q = EntityQuery::new(c);
    assert_eq!(keys(&q), vec!["Žluťoučký", "cust-2", "cust-1"]);
    assert_eq!(keys(&EntityQuery { descending: false, ..q.clone() }), vec!["cust-1", "cust-2", "Žluťoučký"]);
    assert_eq!(keys(&EntityQuery { offset: 1, limit: 1, ..q.clone() }), vec!["cust-2"]);
    assert_eq!(keys(&EntityQuery { search: Some("žLUŤ".into()), ..q.clone() }), vec!["Žluťoučký"]);
    assert_eq!(keys(&EntityQuery { search: Some("200".into()), ..q.clone() }), vec!["cust-2"]);
    // Sorted by the column asked for, not by insertion.
    let by_id = EntityQuery { sort: EntitySort::RaynetId, descending: false, ..q.clone() };
    assert_eq!(keys(&by_id), vec!["cust-1", "cust-2", "Žluťoučký"]);
    let by_id_desc = EntityQuery { sort: EntitySort::RaynetId, ..q.clone() };
    assert_eq!(keys(&by_id_desc), vec!["Žluťoučký", "cust-2", "cust-1"]);
    let by_key = EntityQuery { sort: EntitySort::ShoptetKey, descending: false, ..q.clone() };
    assert_eq!(keys(&by_key), vec!["cust-1", "cust-2", "Žluťoučký"]);
    fx.store.delete_entity(c, "cust-2").unwrap();
    assert_eq!(fx.store.entity(c, "cust-2").unwrap(), None);
}

#[test]
fn audit_is_newest_first_searchable_and_prunable() {
    let mut fx = Fixture::new();
    fx.store.audit(None, &note("engine", "started")).unwrap();
    fx.advance(Duration::seconds(1));
    fx.store.audit(Some("A1"), &note("note", "first 100% done")).unwrap();
    fx.advance(Duration::seconds(1));
    fx.store.audit(Some("B2"), &note("note", "second")).unwrap();

    let all = fx.store.audit_page(&AuditQuery::default()).unwrap();
    let msgs: Vec<_> = all.iter().map(text_of).collect();
    assert_eq!(msgs, vec!["second", "first 100% done", "started"]);
    assert_eq!(all[0].at, fx.now());
    assert!(all[0].id > all[1].id);
    assert_eq!(fx.store.count_audit(&AuditQuery::default()).unwrap(), 3);

    let q = AuditQuery { search: Some("FIRST".into()), ..Default::default() };
    assert_eq!(fx.store.audit_page(&q).unwrap()[0].order_code.as_deref(), Some("A1"));
    // `%` is literal, not a wildcard
    let q = AuditQuery { search: Some("0% d".into()), ..Default::default() };
    assert_eq!(fx.store.count_audit(&q).unwrap(), 1);
    let q = AuditQuery { search: Some("%".into()), ..Default::default() };
    assert_eq!(fx.store.count_audit(&q).unwrap(), 1);
    let q = AuditQuery { order_code: Some("B2".into()), ..Default::default() };
    assert_eq!(fx.store.count_audit(&q).unwrap(), 1);
    let q = AuditQuery { offset: 1, limit: 1, ..Default::default() };
    assert_eq!(text_of(&fx.store.audit_page(&q).unwrap()[0]), "first 100% done");

    fx.advance(Duration::days(10));
    fx.store.audit(None, &note("engine", "recent")).unwrap();
    assert_eq!(fx.store.prune_audit(7).unwrap(), 3);
    assert_eq!(fx.store.count_audit(&AuditQuery::default()).unwrap(), 1);
}

#[test]
fn state_changes_are_audited() {
    let mut fx = Fixture::new();
    add(&mut fx, "Z");
    fx.store.enqueue("Z", Priority::Normal, fx.now()).unwrap();
    fx.store.record_failure("Z", &failure("HTTP 503 from RAYNET", Some(fx.now()))).unwrap();
    fx.store.mark_synced("Z", 9, "h").unwrap();
    let kinds: Vec<_> = fx
        .store
        .audit_page(&AuditQuery { order_code: Some("Z".into()), ..Default::default() })
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(kinds, vec!["synced", "failed", "queued", "seen"]);
}

#[test]
fn synced_per_hour_counts_recent_hours() {
    let mut fx = Fixture::new();
    for code in ["a", "b", "c", "d"] {
        add(&mut fx, code);
    }
    fx.store.mark_synced("a", 1, "h").unwrap(); // 12:30, two hours before the end
    fx.advance(Duration::hours(2));
    fx.store.mark_synced("b", 2, "h").unwrap(); // 14:30
    fx.advance(Duration::minutes(20));
    fx.store.mark_synced("c", 3, "h").unwrap(); // 14:50
    assert_eq!(fx.store.synced_per_hour(4).unwrap(), vec![0, 1, 0, 2]);
    assert_eq!(fx.store.synced_per_hour(1).unwrap(), vec![2]);
    assert!(fx.store.synced_per_hour(0).unwrap().is_empty());
}

fn call(i: usize) -> CallRecord {
    CallRecord {
        service: if i.is_multiple_of(2) { Service::Shoptet } else { Service::Raynet },
        method: "GET".into(),
        path: format!("/api/orders/{i}"),
        status: Some(200),
        duration_ms: i as u64,
        error: i.is_multiple_of(3).then(|| "slow".to_string()),
        at: t0() + Duration::seconds(i as i64),
    }
}

#[test]
fn calls_keep_the_newest_200_per_order() {
    let mut fx = Fixture::new();
    let first: Vec<_> = (0..150).map(call).collect();
    let second: Vec<_> = (150..260).map(call).collect();
    fx.store.record_calls("O1", &first).unwrap();
    fx.store.record_calls("O1", &second).unwrap();
    fx.store.record_calls("O2", &first[..3]).unwrap();

    let kept = fx.store.calls("O1").unwrap();
    assert_eq!(kept.len(), 200);
    assert_eq!(kept[0], call(60));
    assert_eq!(kept[199], call(259));
    assert_eq!(fx.store.calls("O2").unwrap(), first[..3].to_vec());
    assert!(fx.store.calls("none").unwrap().is_empty());
}

#[test]
fn meta_and_cursor() {
    let mut fx = Fixture::new();
    assert_eq!(fx.store.get_meta("k").unwrap(), None);
    fx.store.set_meta("rate.shoptet", "1").unwrap();
    fx.store.set_meta("rate.raynet", "2").unwrap();
    fx.store.set_meta("rate.raynet", "3").unwrap();
    fx.store.set_meta("rated", "x").unwrap();
    assert_eq!(fx.store.get_meta("rate.raynet").unwrap().as_deref(), Some("3"));
    assert_eq!(
        fx.store.meta_with_prefix("rate.").unwrap(),
        vec![("rate.raynet".into(), "3".into()), ("rate.shoptet".into(), "1".into())]
    );
    fx.store.delete_meta("rate.raynet").unwrap();
    assert_eq!(fx.store.get_meta("rate.raynet").unwrap(), None);

    assert_eq!(fx.store.cursor().unwrap(), None);
    fx.store.set_cursor(prague(8, 15)).unwrap();
    let c = fx.store.cursor().unwrap().unwrap();
    assert_eq!(c, prague(8, 15));
    assert_eq!(c.offset().local_minus_utc(), 3600);

    // A cursor that does not parse (written by hand into the snapshot) is reported as corrupt.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sync.db");
    drop(Store::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("UPDATE engine_snapshot SET cursor = 'garbage'", []).unwrap();
    drop(conn);
    assert!(matches!(Store::open(&path).unwrap().cursor(), Err(StoreError::Corrupt(_))));
}

/// 30 orders with distinct times, customers, totals and states.
fn populate(fx: &mut Fixture) {
    for i in 0..30u32 {
        let code = format!("{:04}", 1000 + i);
        let mut s = seen(&code);
        s.change_time = Some(prague(10, i));
        s.creation_time = Some(prague(9, 59 - i));
        s.customer = Some(if i == 7 { "Šťastný Jan".into() } else { format!("Cust {:02}", 29 - i) });
        s.total_with_vat = Some(Decimal::new(i64::from(i % 10) * 1000 + i64::from(i), 1));
        fx.store.record_order_seen(&s).unwrap();
        match i % 3 {
            0 => fx.store.mark_synced(&code, i64::from(i), "h").unwrap(),
            1 => {
                let at = fx.now() + Duration::minutes(i64::from(30 - i));
                fx.store.record_failure(&code, &failure("e", Some(at))).unwrap();
            }
            _ => {}
        }
    }
}

fn codes(fx: &Fixture, q: &OrderQuery) -> Vec<String> {
    fx.store.orders_page(q).unwrap().into_iter().map(|o| o.code).collect()
}

#[test]
fn orders_page_sorts_filters_searches_and_counts() {
    let mut fx = Fixture::new();
    populate(&mut fx);
    let all = OrderQuery::default();
    assert_eq!(fx.store.count_orders(&all).unwrap(), 30);

    // Default: newest change first.
    let page = codes(&fx, &OrderQuery { limit: 3, ..all.clone() });
    assert_eq!(page, vec!["1029", "1028", "1027"]);
    let page = codes(&fx, &OrderQuery { limit: 3, offset: 27, ..all.clone() });
    assert_eq!(page, vec!["1002", "1001", "1000"]);
    assert_eq!(fx.store.count_orders(&OrderQuery { offset: 27, limit: 1, ..all.clone() }).unwrap(), 30);

    let asc = |sort| codes(&fx, &OrderQuery { sort, descending: false, limit: 3, ..Default::default() });
    assert_eq!(asc(OrderSort::Code), vec!["1000", "1001", "1002"]);
    assert_eq!(asc(OrderSort::CreationTime), vec!["1029", "1028", "1027"]);
    assert_eq!(asc(OrderSort::Customer), vec!["1029", "1028", "1027"]);
    // Totals sort numerically: 0.0, 1.1 (i=11? no: i%10*100 + i/10) …
    let totals: Vec<Decimal> = fx
        .store
        .orders_page(&OrderQuery { sort: OrderSort::Total, descending: false, ..Default::default() })
        .unwrap()
        .into_iter()
        .map(|o| o.total_with_vat.unwrap())
        .collect();
    assert!(totals.windows(2).all(|w| w[0] <= w[1]), "{totals:?}");
    assert!(totals.last().unwrap() > &Decimal::new(9000, 1));

    let synced = OrderQuery { states: vec![OrderState::Synced], ..Default::default() };
    assert_eq!(fx.store.count_orders(&synced).unwrap(), 10);
    assert!(fx.store.orders_page(&synced).unwrap().iter().all(|o| o.state == OrderState::Synced));
    let two = OrderQuery { states: vec![OrderState::Synced, OrderState::Pending], ..Default::default() };
    assert_eq!(fx.store.count_orders(&two).unwrap(), 20);

    // Failed orders by next attempt: 1028 is due first (30 - 28 minutes).
    let failed = OrderQuery {
        states: vec![OrderState::Failed],
        sort: OrderSort::NextAttempt,
        descending: false,
        limit: 2,
        ..Default::default()
    };
    assert_eq!(codes(&fx, &failed), vec!["1028", "1025"]);
    let everyone = OrderQuery { states: vec![], limit: 100, ..failed.clone() };
    let order = codes(&fx, &everyone);
    assert_eq!(&order[..2], &["1028", "1025"]);
    assert_eq!(order[9], "1001");
    let descending = codes(&fx, &OrderQuery { descending: true, ..everyone });
    assert_eq!(&descending[..2], &["1001", "1004"]); // then the orders without a job
    let first = &fx.store.orders_page(&failed).unwrap()[0];
    assert_eq!(first.attempts, 1);
    assert_eq!(first.priority, Some(Priority::Normal));
    assert_eq!(first.last_status, Some(503));

    let by_state =
        codes(&fx, &OrderQuery { sort: OrderSort::State, descending: false, ..Default::default() });
    assert_eq!(by_state.len(), 30);
    assert_eq!(&by_state[..2], &["1001", "1004"]); // "failed" < "pending" < "synced"

    // Search: code, customer, e-mail; case-insensitive, also outside ASCII.
    let search = |s: &str| OrderQuery { search: Some(s.into()), ..Default::default() };
    assert_eq!(codes(&fx, &search("šŤASTNÝ")), vec!["1007"]);
    assert_eq!(codes(&fx, &search("1013@EXAMPLE")), vec!["1013"]);
    assert_eq!(fx.store.count_orders(&search("101")).unwrap(), 10);
    assert_eq!(fx.store.count_orders(&search("cust 0")).unwrap(), 10);
    assert_eq!(fx.store.count_orders(&search("  ")).unwrap(), 30);
    // Short needles (below the trigram index) and quotes work too.
    assert_eq!(codes(&fx, &search("ŠŤ")), vec!["1007"]);
    assert_eq!(codes(&fx, &search("07")), vec!["1022", "1007"]); // "Cust 07", code 1007
    assert_eq!(fx.store.count_orders(&search("a\"b OR c*")).unwrap(), 0);
    assert_eq!(fx.store.count_orders(&search("\"")).unwrap(), 0);
    let synced_search = OrderQuery { search: Some("101".into()), ..synced.clone() };
    assert_eq!(codes(&fx, &synced_search), vec!["1018", "1015", "1012"]);

    let counts = fx.store.counts().unwrap();
    assert_eq!(counts.len(), OrderState::ALL.len());
    assert_eq!(counts[&OrderState::Synced], 10);
    assert_eq!(counts[&OrderState::Failed], 10);
    assert_eq!(counts[&OrderState::Pending], 10);
    assert_eq!(counts[&OrderState::Dead], 0);
}

#[test]
fn order_pages_use_indexes() {
    let fx = Fixture::new();
    let queries = [
        OrderQuery::default(),
        OrderQuery { states: vec![OrderState::Failed], offset: 99_900, ..Default::default() },
        OrderQuery { sort: OrderSort::Customer, ..Default::default() },
        OrderQuery { states: vec![OrderState::Synced], sort: OrderSort::Total, ..Default::default() },
        OrderQuery { sort: OrderSort::CreationTime, descending: false, ..Default::default() },
        OrderQuery { sort: OrderSort::Code, ..Default::default() },
        OrderQuery { sort: OrderSort::State, ..Default::default() },
    ];
    for q in &queries {
        let plan = fx.store.explain_orders_page(q).unwrap();
        // The outer query may sort the (at most `limit`) rows of the page; the paging itself
        // (the indented steps) must walk an index in order.
        let paging: Vec<&String> = plan.iter().filter(|s| s.starts_with("  ")).collect();
        assert!(!paging.is_empty(), "{q:?}: {plan:?}");
        assert!(!paging.iter().any(|s| s.contains("TEMP B-TREE")), "{q:?}: {plan:?}");
        assert!(paging.iter().all(|s| !s.contains("SCAN") || s.contains("INDEX")), "{q:?}: {plan:?}");
    }
}

#[test]
fn reopen_keeps_data_and_uses_wal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sync.db");
    {
        let mut fx = Fixture::with(Store::open(&path).unwrap());
        assert_eq!(fx.store.journal_mode().unwrap(), "wal");
        add(&mut fx, "P1");
        fx.store.enqueue("P1", Priority::Low, t0()).unwrap();
        fx.store.set_cursor(prague(7, 0)).unwrap();
        fx.store.record_entity(&entity(EntityKind::Client, "k", 5, How::Created, t0())).unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.journal_mode().unwrap(), "wal");
    assert_eq!(store.order("P1").unwrap().unwrap().state, OrderState::Queued);
    assert_eq!(store.job("P1").unwrap().unwrap().priority, Priority::Low);
    assert_eq!(store.cursor().unwrap(), Some(prague(7, 0)));
    assert_eq!(store.entity(EntityKind::Client, "k").unwrap().unwrap().raynet_id, 5);
}

#[test]
fn a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.db");
    drop(Store::open(&path).unwrap());
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1).unwrap();
    }
    match Store::open(&path) {
        Err(StoreError::TooNew { found, supported }) => {
            assert_eq!(found, SCHEMA_VERSION + 1);
            assert_eq!(supported, SCHEMA_VERSION);
        }
        other => panic!("expected TooNew, got {other:?}"),
    }
}

#[test]
fn open_does_not_create_parent_directories() {
    let dir = tempfile::tempdir().unwrap();
    assert!(Store::open(&dir.path().join("missing/sync.db")).is_err());
}

#[test]
fn enums_parse_and_print() {
    for s in OrderState::ALL {
        assert_eq!(s.as_str().parse::<OrderState>().unwrap(), *s);
    }
    assert_eq!("needs-decision".parse::<OrderState>().unwrap(), OrderState::NeedsDecision);
    assert_eq!("business_case".parse::<EntityKind>().unwrap(), EntityKind::BusinessCase);
    assert!("nonsense".parse::<OrderState>().is_err());
    assert_eq!(serde_json::to_string(&OrderState::NeedsDecision).unwrap(), "\"needs_decision\"");
    assert_eq!(serde_json::to_string(&How::Matched).unwrap(), "\"matched\"");
    assert!(Priority::Normal < Priority::Low);
    let choice: DecisionChoice =
        serde_json::from_str(&serde_json::to_string(&DecisionChoice::Existing(4)).unwrap()).unwrap();
    assert_eq!(choice, DecisionChoice::Existing(4));
}

#[test]
fn store_is_send() {
    fn assert_send<T: Send>() {}
    assert_send::<Store>();
}

#[test]
fn two_stores_on_one_file_see_each_others_writes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.db");
    let mut daemon = Store::open(&path).unwrap();
    let viewer = Store::open(&path).unwrap();
    let writer = std::thread::spawn(move || {
        for i in 0..50 {
            daemon.record_order_seen(&seen(&format!("T{i}"))).unwrap();
        }
        daemon
    });
    let daemon = writer.join().unwrap();
    assert_eq!(viewer.count_orders(&OrderQuery::default()).unwrap(), 50);
    assert_eq!(daemon.counts().unwrap()[&OrderState::Pending], 50);
}

// ---- Secrets and file modes ----

/// An API that echoes credentials in its error body: the configured secrets and anything that
/// looks like an authorization value are stored as `[redacted]`, in calls, jobs and audit.
#[test]
fn credentials_echoed_in_errors_are_not_stored() {
    use shoptet_raynet_sync::config::{Config, redact::REDACTED};
    // A configured secret counts once the configuration is loaded.
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::example();
    config.raynet.api_key = "store-test-raynet-key-5f3a9c".to_string().into();
    config.shoptet.api_token = "store-test-shoptet-token-77e1d0".to_string().into();
    config.save(&dir.path().join("config.toml")).unwrap();
    Config::load(&dir.path().join("config.toml")).unwrap();

    let echoes = [
        "store-test-raynet-key-5f3a9c",
        "store-test-shoptet-token-77e1d0",
        "QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
        "eyJhbGciOiJIUzI1NiJ9.e30.ZRrHA1JJJW8",
        "284913-p-112233-9q8w7e6r5t4y",
        "c2hvcHRldC1hY2Nlc3MtdG9rZW4",
    ];
    let body = format!(
        r#"{{"message":"invalid key {}", "token":"{}", "headers":{{"Authorization":"Basic {}", "X":"Bearer {}", "Shoptet-Private-API-Token":"{}"}}}} Shoptet-Access-Token: {}"#,
        echoes[0], echoes[1], echoes[2], echoes[3], echoes[4], echoes[5]
    );
    let mut fx = Fixture::new();
    add(&mut fx, "R1");
    let mut record = call(1);
    record.status = Some(401);
    record.error = Some(format!("HTTP 401: {body}"));
    fx.store.record_calls("R1", &[record]).unwrap();
    fx.store.record_failure("R1", &failure(&format!("RAYNET said: {body}"), Some(fx.now()))).unwrap();
    fx.store.audit(Some("R1"), &note("note", &body)).unwrap();

    let stored_call = fx.store.calls("R1").unwrap().remove(0).error.unwrap();
    let reason = fx.store.job("R1").unwrap().unwrap().last_error.unwrap();
    let last_error = match &reason {
        Reason::Unavailable { message, .. } => message.clone(),
        other => panic!("the reason changed kind: {other:?}"),
    };
    // Every text of every entry (the failure's reason and the note).
    let audit: Vec<String> = fx
        .store
        .audit_page(&AuditQuery { order_code: Some("R1".into()), ..Default::default() })
        .unwrap()
        .into_iter()
        .map(|e| format!("{:?}", e.entry))
        .chain([format!("{reason:?}")])
        .collect();
    assert!(audit.iter().any(|a| a.contains("Failed")) && audit.iter().any(|a| a.contains("invalid key")));
    for text in std::iter::once(&stored_call).chain(std::iter::once(&last_error)).chain(audit.iter()) {
        for secret in echoes {
            assert!(!text.contains(secret), "{secret} stored in {text}");
        }
    }
    assert!(stored_call.contains(REDACTED) && stored_call.starts_with("HTTP 401: "), "{stored_call}");
    assert!(stored_call.contains("\"Authorization\":\"Basic [redacted]\""), "{stored_call}");
    assert!(last_error.contains("RAYNET said: "), "{last_error}");
}

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// The database and its WAL files hold customer data: created 0600, whatever the umask.
#[cfg(unix)]
#[test]
fn a_new_database_and_its_wal_files_are_private() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sync.db");
    let mut fx = Fixture::with(Store::open(&path).unwrap());
    add(&mut fx, "M1");
    let wal = dir.path().join("sync.db-wal");
    let shm = dir.path().join("sync.db-shm");
    assert!(wal.exists() && shm.exists(), "WAL mode keeps -wal and -shm beside the database");
    for p in [&path, &wal, &shm] {
        assert_eq!(mode(p), 0o600, "{}", p.display());
    }
}

/// The data directory is created 0700; an existing (possibly shared) one is never chmod-ed;
/// the lock file is 0600; `loose_modes` lists what others can read.
#[cfg(unix)]
#[test]
fn data_directory_modes_are_private_and_existing_ones_untouched() {
    use shoptet_raynet_sync::config::{LooseMode, Paths, loose_modes};
    use shoptet_raynet_sync::runtime::{EngineLock, open_store, private_dir};
    use std::os::unix::fs::PermissionsExt;
    let root = tempfile::tempdir().unwrap();

    // Created by us: 0700, parents included.
    let fresh = root.path().join("new/data");
    private_dir(&fresh).unwrap();
    assert_eq!(mode(&fresh), 0o700);
    assert_eq!(mode(&root.path().join("new")), 0o700);

    // Not created by us (like /tmp): keeps its mode, even after a whole store is opened in it.
    let shared = root.path().join("shared");
    std::fs::create_dir(&shared).unwrap();
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o755)).unwrap();
    let paths = Paths { config_file: shared.join("config.toml"), data_dir: shared.clone() };
    private_dir(&shared).unwrap();
    let lock = EngineLock::acquire(&paths.lock_file()).unwrap();
    drop(open_store(&paths).unwrap());
    assert_eq!(mode(&shared), 0o755, "an existing directory was chmod-ed");
    assert_eq!(mode(&paths.lock_file()), 0o600);
    assert_eq!(mode(&paths.database()), 0o600);
    drop(lock);

    // The lock's own directory, when missing, is created private too.
    let lock_dir = root.path().join("lockdir");
    drop(EngineLock::acquire(&lock_dir.join("engine.lock")).unwrap());
    assert_eq!(mode(&lock_dir), 0o700);

    // The report: the shared directory and files another tool left open.
    std::fs::write(&paths.config_file, "x").unwrap();
    std::fs::set_permissions(&paths.config_file, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::set_permissions(paths.database(), std::fs::Permissions::from_mode(0o640)).unwrap();
    std::fs::create_dir(paths.log_dir()).unwrap();
    std::fs::set_permissions(paths.log_dir(), std::fs::Permissions::from_mode(0o750)).unwrap();
    let log = paths.log_dir().join("shoptet-raynet-sync.2026-01-01.log");
    std::fs::write(&log, "line").unwrap();
    std::fs::set_permissions(&log, std::fs::Permissions::from_mode(0o604)).unwrap();
    let found: Vec<(std::path::PathBuf, u32, u32)> = loose_modes(&paths)
        .into_iter()
        .map(|LooseMode { path, mode, expected }| (path, mode, expected))
        .collect();
    assert_eq!(
        found,
        vec![
            (paths.config_file.clone(), 0o644, 0o600),
            (shared.clone(), 0o755, 0o700),
            (paths.database(), 0o640, 0o600),
            (paths.log_dir(), 0o750, 0o700),
            (log.clone(), 0o604, 0o600),
        ]
    );
    let line = loose_modes(&paths)[0].to_string();
    assert!(line.contains("chmod 600") && line.contains("config.toml"), "{line}");

    // A private layout reports nothing.
    let paths = Paths { config_file: fresh.join("config.toml"), data_dir: fresh.clone() };
    drop(open_store(&paths).unwrap());
    drop(EngineLock::acquire(&paths.lock_file()).unwrap());
    assert_eq!(loose_modes(&paths), vec![]);
}
