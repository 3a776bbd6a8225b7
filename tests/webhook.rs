//! The webhook receiver against arbitrary input: the signature check, the event parser and the
//! HTTP endpoint never panic, refuse what is not signed, and answer with a readable reason.

use proptest::prelude::*;
use shoptet_raynet_sync::engine::api::EngineCommand;
use shoptet_raynet_sync::shoptet::webhook::{SIGNATURE_HEADER, parse_event, sign, verify_signature};
use shoptet_raynet_sync::sim::SimServer;
use tokio::sync::mpsc;

const KEY: &[u8] = b"proptest-webhook-signature-key";

fn config() -> ProptestConfig {
    ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() }
}

/// Bodies: arbitrary bytes, and JSON events with arbitrary field values.
fn body() -> impl Strategy<Value = Vec<u8>> {
    let event = (
        prop::option::of(any::<i64>()),
        prop_oneof![Just("order:create".to_string()), Just("order:update".to_string()), ".{0,20}"],
        ".{0,30}",
        ".{0,12}",
    )
        .prop_map(|(eshop, event, created, instance)| {
            let mut v =
                serde_json::json!({ "event": event, "eventCreated": created, "eventInstance": instance });
            if let Some(id) = eshop {
                v["eshopId"] = id.into();
            }
            serde_json::to_vec(&v).unwrap_or_default()
        });
    prop_oneof![prop::collection::vec(any::<u8>(), 0..300), event]
}

proptest! {
    #![proptest_config(config())]

    /// Any key, body and header text: no panic; only the exact HMAC (in either case) passes.
    #[test]
    fn signature_check_never_panics_and_accepts_only_the_hmac(
        key in prop::collection::vec(any::<u8>(), 0..80),
        body in prop::collection::vec(any::<u8>(), 0..300),
        header in ".{0,60}",
    ) {
        let good = sign(&key, &body);
        prop_assert!(verify_signature(&key, &body, &good));
        prop_assert!(verify_signature(&key, &body, &good.to_uppercase()));
        let padded = format!("  {}\t", good);
        prop_assert!(verify_signature(&key, &body, &padded));
        // (`+` aside: `u8::from_str_radix` reads "+f" as 0x0f, a spelling of a correct digit pair.)
        if !header.trim().eq_ignore_ascii_case(&good) && !header.contains('+') {
            prop_assert!(!verify_signature(&key, &body, &header), "{:?}", header);
        }
        // One changed digit is refused.
        let mut bad: Vec<char> = good.chars().collect();
        bad[0] = if bad[0] == '0' { '1' } else { '0' };
        prop_assert!(!verify_signature(&key, &body, &bad.into_iter().collect::<String>()));
    }

    /// The event parser reads any bytes without panicking; its error says what is wrong.
    #[test]
    fn event_parser_never_panics(body in body()) {
        match parse_event(&body) {
            Ok(event) => prop_assert!(serde_json::from_slice::<serde_json::Value>(&body).is_ok(), "{:?}", event),
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }
}

/// The receiver, served once for all cases.
struct Receiver {
    runtime: tokio::runtime::Runtime,
    server: SimServer,
    commands: std::sync::Mutex<mpsc::UnboundedReceiver<EngineCommand>>,
    http: reqwest::Client,
}

impl Receiver {
    fn start() -> Receiver {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        let (tx, commands) = mpsc::unbounded_channel();
        let router = shoptet_raynet_sync::server::router(Some(KEY.to_vec()), tx);
        let server = runtime.block_on(SimServer::start(router, 0)).expect("serve");
        Receiver { runtime, server, commands: std::sync::Mutex::new(commands), http: reqwest::Client::new() }
    }

    /// POSTs `body` with `signature` (when given); the status, the reply text, and whether
    /// the engine was asked to poll.
    fn post(&self, body: &[u8], signature: Option<&str>) -> (u16, String, bool) {
        let url = format!("{}/webhook", self.server.url);
        let mut request = self.http.post(url).body(body.to_vec());
        if let Some(sig) = signature {
            request = request.header(SIGNATURE_HEADER, sig);
        }
        let (status, text) = self.runtime.block_on(async {
            let reply = request.send().await.expect("the receiver answers");
            let status = reply.status().as_u16();
            (status, reply.text().await.unwrap_or_default())
        });
        let mut polled = false;
        let mut commands = self.commands.lock().unwrap_or_else(|e| e.into_inner());
        while let Ok(cmd) = commands.try_recv() {
            polled |= matches!(cmd, EngineCommand::SyncNow);
        }
        (status, text, polled)
    }
}

#[test]
fn the_endpoint_answers_every_body_and_signature_without_a_server_error() {
    let receiver = Receiver::start();
    let strategy = (body(), prop_oneof![Just(None), Just(Some(true)), Just(Some(false))], "[ -~]{0,50}");
    let seen = std::cell::RefCell::new(std::collections::BTreeMap::<(u16, bool), usize>::new());
    let mut runner = proptest::test_runner::TestRunner::new(config());
    runner
        .run(&strategy, |(body, signed, junk)| {
            let signature = match signed {
                None => None,
                Some(true) => Some(sign(KEY, &body)),
                Some(false) => Some(junk.trim().to_string()),
            };
            let (status, text, polled) = receiver.post(&body, signature.as_deref());
            *seen.borrow_mut().entry((status, polled)).or_default() += 1;
            let valid = signature.as_deref().is_some_and(|s| verify_signature(KEY, &body, s));
            if !valid {
                prop_assert_eq!(status, 401, "{}", text);
                prop_assert!(text.contains("signature"), "{}", text);
                prop_assert!(!polled, "an unsigned delivery made the engine poll");
                return Ok(());
            }
            match serde_json::from_slice::<serde_json::Value>(&body) {
                Ok(event) => {
                    prop_assert_eq!(status, 200, "{}", text);
                    let is_order =
                        event.get("event").and_then(|e| e.as_str()).is_some_and(|e| e.starts_with("order:"));
                    prop_assert_eq!(polled, is_order);
                }
                Err(_) => {
                    prop_assert_eq!(status, 400, "{}", text);
                    prop_assert!(text.starts_with("not JSON"), "{}", text);
                    prop_assert!(!polled);
                }
            }
            Ok(())
        })
        .expect("the receiver holds for every input");
    // Every outcome was reached: refused, not JSON, accepted, accepted and polled.
    let seen = seen.into_inner();
    for outcome in [(401, false), (400, false), (200, false), (200, true)] {
        assert!(seen.contains_key(&outcome), "never saw {outcome:?}: {seen:?}");
    }
}
