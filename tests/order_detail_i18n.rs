//! The order detail — the order as read from Shoptet, the plan's writes and what was done — is
//! data the dashboard and the CLI put into words: with Czech chosen, the detail holds no English
//! sentence (proper names, codes, API paths, e-mails and URLs aside); in English it reads as
//! before. Snapshots of the detail popup in both languages, and the same check on the preview
//! and on a dry run's plan text.

mod common;

use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use rust_decimal::Decimal;

use shoptet_raynet_sync::engine::detail::{
    DetailPlan, ItemView, PlanView, Preview, PreviewLine, ShoptetBlock, ShoptetView, StatusView,
};
use shoptet_raynet_sync::engine::plan::{
    Action as PlanAction, CaseAction, ClientPlan, Entity, LineView, NotLinked, OrderPlan, ProductPlan,
    Report, Step, Target, WriteOp,
};
use shoptet_raynet_sync::mapping::matching::MatchKey;
use shoptet_raynet_sync::mapping::{LineKind, LinePlan};
use shoptet_raynet_sync::store::Activity;
use shoptet_raynet_sync::tui::action::Action;
use shoptet_raynet_sync::tui::app::App;
use shoptet_raynet_sync::tui::fake::FakeSource;
use shoptet_raynet_sync::tui::i18n::plan;
use shoptet_raynet_sync::tui::{
    ActivityView, ApiCallView, Lang, OrderDetail, OrderState, OrderView, RaynetRecord,
};

use common::screen::{cells, init};

const CODE: &str = "2026000135";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, 9, 30, 0).single().expect("valid time")
}

fn config() -> shoptet_raynet_sync::config::Config {
    // The sync started on 1 November, 36 days before the injected clock.
    let start = common::start_before(now(), 36).to_rfc3339();
    toml::from_str(&format!(
        r#"
[shoptet]
api_token = "shoptet-secret-token-123"
[raynet]
instance = "zrnko"
username = "obchod@zrnko.cz"
api_key = "raynet-secret-key-456"
[sync]
enabled_at = "{start}"
default_owner_id = 12
business_case_phase_id = 1
source_id = 1
"#
    ))
    .expect("valid config")
}

fn dec(s: &str) -> Decimal {
    s.parse().expect("decimal")
}

fn prague(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).expect("time")
}

fn shoptet_block() -> ShoptetView {
    ShoptetView::Order(Box::new(ShoptetBlock {
        code: CODE.into(),
        status: Some(StatusView { name: "Vyřízena".into(), id: -3 }),
        created: Some(prague("2026-12-04T02:29:00+01:00")),
        changed: Some(prague("2026-12-07T00:43:00+01:00")),
        customer: "Pražírna Vltava s.r.o.".into(),
        email: Some("nakup@prazirnavltava.cz".into()),
        phone: Some("+420602111222".into()),
        reg_number: Some("27082440".into()),
        vat_id: Some("CZ27082440".into()),
        billing: Some(
            "Pražírna Vltava s.r.o., Karel Bartoš, Podolské nábřeží 1184/14, 147 00, Praha 4, CZ".into(),
        ),
        delivery: Some("Karel Bartoš, Dlouhá 12, 602 00, Brno, CZ".into()),
        items: vec![
            ItemView {
                amount: dec("8"),
                name: "Brazílie Santos 1 kg".into(),
                code: Some("KAV-BRA-1000/ZRN".into()),
                with_vat: Some(dec("5192.00")),
            },
            ItemView {
                amount: dec("1"),
                name: "PPL – doručení na adresu".into(),
                code: None,
                with_vat: Some(dec("129.00")),
            },
        ],
        currency: "CZK".into(),
        total_with_vat: dec("5321.00"),
        total_without_vat: dec("4397.52"),
        exchange_rate: None,
        note: Some("Prosím zvonit dvakrát.".into()),
    }))
}

/// A first order: client and product created, the case with its link.
fn worked() -> PlanView {
    let (company, address, product, case) = (Target::New(1), Target::New(5), Target::New(9), Target::New(14));
    PlanView::Plan(DetailPlan::Worked {
        writes: vec![
            WriteOp::CreateCompany { name: "Pražírna Vltava s.r.o.".into() },
            WriteOp::VerifyExtId { entity: Entity::Company, target: company },
            WriteOp::AddAddress { company },
            WriteOp::SetContactAddress { company, address },
            WriteOp::CreateProduct { code: "KAV-BRA-1000/ZRN".into() },
            WriteOp::SetExtId { entity: Entity::Product, target: product },
            WriteOp::AttachLink { entity: Entity::Product, target: product },
            WriteOp::CreateBusinessCase { name: format!("Objednávka {CODE}") },
            WriteOp::AttachLink { entity: Entity::BusinessCase, target: case },
        ],
        done: vec![
            Report::ClientCreated {
                raynet_id: Target::Id(101),
                name: "Pražírna Vltava s.r.o.".into(),
                person: false,
                contact_address: true,
            },
            Report::ProductCreated { code: "KAV-BRA-1000/ZRN".into(), raynet_id: Target::Id(202) },
            Report::CaseCreated {
                raynet_id: Target::Id(572),
                name: format!("Objednávka {CODE}"),
                lines: 2,
                total_without_vat: dec("4397.52"),
                currency: "CZK".into(),
            },
        ],
    })
}

/// A later change of the same order and other reports a detail can hold.
fn more_done() -> PlanView {
    PlanView::Plan(DetailPlan::Worked {
        writes: vec![
            WriteOp::UpdateBusinessCase { id: 572 },
            WriteOp::EditItem { case: 572, item: 9001 },
            WriteOp::AddItem { case: 572 },
            WriteOp::DeleteItem { case: 572, item: 9002 },
        ],
        done: vec![
            Report::ClientGone { raynet_id: 99 },
            Report::ClientKnown { raynet_id: 101, label: "Pražírna Vltava s.r.o.".into() },
            Report::ClientMatched {
                raynet_id: 104,
                name: "Kavárna Slunce s.r.o.".into(),
                matched_by: MatchKey::Email,
            },
            Report::ClientResumed { raynet_id: 105, name: "Kavárna Slunce Brno s.r.o.".into() },
            Report::ProductKnown { code: "KAV-ETH-250".into(), raynet_id: 201 },
            Report::ProductMatched { code: "CAJ-SEN-100".into(), raynet_id: 203 },
            Report::CaseResumed {
                raynet_id: 573,
                name: "Objednávka 2026000136".into(),
                lines: 5,
                total_without_vat: dec("120.50"),
                currency: "EUR".into(),
            },
            Report::CaseFoundByName { raynet_id: 573 },
            Report::CaseLines { raynet_id: 572, kept: 1, edited: 1, added: 1, removed: 1, fields: true },
            Report::CaseUpdated { raynet_id: 572 },
            Report::CaseCancelled { raynet_id: 572 },
        ],
    })
}

fn source(plan: PlanView) -> FakeSource {
    let order = OrderView {
        code: CODE.into(),
        state: OrderState::Synced,
        status: "Vyřízena".into(),
        customer: "Pražírna Vltava s.r.o.".into(),
        total: "5 321,00".into(),
        currency: "CZK".into(),
        changed_at: Some(now()),
        attempts: 0,
        next_attempt: None,
        reason: None,
    };
    let call = |method: &str, path: &str, status: u16| ApiCallView {
        at: now(),
        method: method.into(),
        path: path.into(),
        status: Some(status),
        duration_ms: 3,
        error_body: None,
    };
    let detail = OrderDetail {
        order: order.clone(),
        shoptet: shoptet_block(),
        plan,
        calls: vec![
            call("Shoptet GET", &format!("/api/orders/{CODE}?include=notes"), 200),
            call("RAYNET PUT", "/businessCase/createWithItems", 201),
            call("RAYNET PUT", "/attachment/businessCase/572/", 201),
        ],
        candidates: Vec::new(),
        raynet_ids: vec![(RaynetRecord::BusinessCase, 572)],
        admin_url: Some("https://www.kavovarnazrnko.cz/admin/objednavky-detail?id=1875".into()),
        audit: Vec::new(),
    };
    let mut source = FakeSource { orders: vec![order], ..FakeSource::default() };
    source.details.insert(CODE.into(), detail);
    source.activity = vec![ActivityView {
        at: now(),
        order_code: Some(CODE.into()),
        entry: Activity::Cancelled { business_case_id: 572 },
        change: None,
    }];
    source
}

fn key(c: char) -> Action {
    Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

/// The detail popup at 120×40: only the popup, border included.
fn detail_popup(plan: PlanView, lang: Lang) -> String {
    let mut app = App::new(init(Box::new(source(plan)), Some(config()), lang, now(), (120, 40)));
    app.update(key('6'));
    app.update(Action::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
    let rows = cells(&mut app, 120, 40);
    // The popup: from its top-left corner to its bottom-right one.
    let (top, left) = rows
        .iter()
        .enumerate()
        .find_map(|(y, r)| {
            let x = r.iter().position(|c| c == "┌")?;
            let title: String = r[x..].iter().take(30).map(String::as_str).collect();
            title.contains(CODE).then_some((y, x))
        })
        .or_else(|| {
            // The popup's corner is not the first on its row when a pane border comes first.
            rows.iter().enumerate().find_map(|(y, r)| {
                let x = r.iter().enumerate().filter(|(_, c)| *c == "┌").map(|(x, _)| x).find(|&x| {
                    r[x..].iter().take(30).map(String::as_str).collect::<String>().contains(CODE)
                })?;
                Some((y, x))
            })
        })
        .expect("the detail popup");
    let right = (left..rows[top].len()).find(|&x| rows[top][x] == "┐").expect("its right edge");
    let bottom =
        (top..rows.len()).find(|&y| rows[y].get(left).is_some_and(|c| c == "└")).expect("its bottom");
    (top..=bottom).map(|y| rows[y][left..=right].concat() + "\n").collect()
}

/// English words of the order detail's sentences that must not be in its Czech.
const ENGLISH: &[&str] = &[
    "the",
    "with",
    "without",
    "and",
    "of",
    "by",
    "to",
    "in",
    "at",
    "from",
    "for",
    "is",
    "it",
    "its",
    "else",
    "will",
    "created",
    "create",
    "known",
    "matched",
    "client",
    "clients",
    "product",
    "products",
    "order",
    "line",
    "lines",
    "business",
    "case",
    "cases",
    "look",
    "find",
    "plain",
    "known",
    "earlier",
    "moved",
    "phase",
    "found",
    "name",
    "updated",
    "update",
    "edited",
    "added",
    "removed",
    "kept",
    "changed",
    "Created",
    "Changed",
    "Customer",
    "Billing",
    "Delivery",
    "Note",
    "Total",
    "Order",
    "Client",
    "Product",
    "Business",
    "Lines",
    "Writes",
    "Plan",
    "Done",
    "attach",
    "link",
    "set",
    "add",
    "edit",
    "remove",
    "make",
    "contact",
    "address",
    "person",
    "company",
    "interruption",
    "ambiguous",
    "choose",
    "new",
    "unchanged",
    "longer",
    "exists",
    "deleted",
    "merged",
    "again",
    "checked",
    "dropped",
    "first",
    "fields",
    "shop",
    "place",
    "storno",
    "VAT",
    "rate",
    "problem",
    "Problem",
];

/// English words in `text`, proper names and codes aside: API paths, URLs, e-mails.
fn english_in(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for token in text.split_whitespace() {
        if token.contains('/') || token.contains('@') || token.contains("://") {
            continue;
        }
        for word in token.split(|c: char| !c.is_alphanumeric()) {
            // "storno" is also the Czech name of the phase; "VAT" is English only.
            if ENGLISH.contains(&word) && word != "storno" {
                found.push(word.to_string());
            }
        }
    }
    found
}

#[test]
fn the_order_detail_in_czech_has_no_english_sentence() {
    for (name, plan) in [("worked", worked()), ("more", more_done())] {
        let popup = detail_popup(plan, Lang::Cs);
        let english = english_in(&popup);
        assert!(english.is_empty(), "{name}: English in the Czech detail: {english:?}\n{popup}");
        for czech in ["Objednávka", "Zákazník", "Celkem", "Zápisy do RAYNETu"] {
            assert!(popup.contains(czech), "{name}: {czech}\n{popup}");
        }
    }
    insta::assert_snapshot!("order_detail_cs_120x40", detail_popup(worked(), Lang::Cs));
}

#[test]
fn the_order_detail_in_english_reads_as_before() {
    let popup = detail_popup(worked(), Lang::En);
    for part in [
        "Client: created company Pražírna Vltava s.r.o. (RAYNET #101) with a contact address",
        "Product KAV-BRA-1000/ZRN: created RAYNET #202",
        "Business case #572: created \"Objednávka 2026000135\", 2 lines, 4 397,52 CZK without VAT",
        "Total 5 321,00 CZK with VAT (4 397,52 without)",
        "Writes to RAYNET:",
    ] {
        assert!(popup.contains(part), "{part}\n{popup}");
    }
    insta::assert_snapshot!("order_detail_en_120x40", popup);
}

#[test]
fn every_report_and_write_has_its_czech_words() {
    let PlanView::Plan(DetailPlan::Worked { writes, done }) = more_done() else { unreachable!() };
    let PlanView::Plan(DetailPlan::Worked { writes: first, done: first_done }) = worked() else {
        unreachable!()
    };
    for r in done.iter().chain(&first_done) {
        let (cs, en) = (plan::report(r, Lang::Cs), plan::report(r, Lang::En));
        assert!(english_in(&cs).is_empty(), "{cs}: {:?}", english_in(&cs));
        assert_ne!(cs, en, "not translated");
    }
    for w in writes.iter().chain(&first) {
        let (cs, en) = (plan::write(w, Lang::Cs), plan::write(w, Lang::En));
        assert!(english_in(&cs).is_empty(), "{cs}: {:?}", english_in(&cs));
        assert_ne!(cs, en, "not translated");
    }
}

fn preview() -> PlanView {
    PlanView::Plan(DetailPlan::Preview(Preview {
        lookup: vec![
            (MatchKey::ExtId, "shoptet:312457:email:nakup@prazirnavltava.cz".into()),
            (MatchKey::RegNumber, "27082440".into()),
            (MatchKey::Email, "nakup@prazirnavltava.cz".into()),
            (MatchKey::Name, "Pražírna Vltava s.r.o.".into()),
        ],
        lines: vec![
            PreviewLine {
                amount: dec("8"),
                name: "Brazílie Santos 1 kg".into(),
                price: dec("536.36"),
                vat_rate: dec("21"),
                product: Some("KAV-BRA-1000/ZRN".into()),
            },
            PreviewLine {
                amount: dec("1"),
                name: "PPL".into(),
                price: dec("106.61"),
                vat_rate: dec("21"),
                product: None,
            },
        ],
        problem: None,
        case_name: format!("Objednávka {CODE}"),
        currency: "CZK".into(),
    }))
}

#[test]
fn the_preview_before_the_order_is_worked_is_czech_too() {
    let cs = plan::plan_section(&preview(), Lang::Cs).join("\n");
    assert!(english_in(&cs).is_empty(), "{:?}\n{cs}", english_in(&cs));
    assert!(cs.contains("Klient: hledat podle extId"), "{cs}");
    let en = plan::plan_section(&preview(), Lang::En).join("\n");
    assert!(en.contains("Client: look up by extId") && en.contains("— else create"), "{en}");
    assert!(en.contains("product KAV-BRA-1000/ZRN: find by code or create"), "{en}");
}

fn line(kind: LineKind, code: Option<&str>, name: &str) -> LinePlan {
    LinePlan {
        kind,
        code: code.map(String::from),
        name: name.into(),
        amount: dec("2"),
        unit: Some("ks".into()),
        price: dec("238.84"),
        vat_rate: dec("21"),
        cost: None,
        total_without_vat: dec("477.68"),
        total_with_vat: dec("578.00"),
        link_product: code.is_some(),
        item_index: 0,
    }
}

#[test]
fn a_dry_run_plan_prints_in_czech_without_english() {
    let plan = OrderPlan {
        code: CODE.into(),
        action: PlanAction::Create,
        status: Some("Vyřízena".into()),
        customer: "Pražírna Vltava s.r.o.".into(),
        client: Some(ClientPlan::Matched { raynet_id: 101, name: "Pražírna Vltava a.s.".into(), matched_by: MatchKey::RegNumber }),
        business_case_id: None,
        currency: "CZK".into(),
        exchange_rate: None,
        lines: vec![
            LineView { line: line(LineKind::Product, Some("KAV-ETH-250"), "Etiopie Yirgacheffe 250 g"), product: ProductPlan::Create },
            LineView { line: line(LineKind::Product, Some("CAJ-SEN-100"), "Sencha"), product: ProductPlan::Known { raynet_id: 203 } },
            LineView {
                line: line(LineKind::Shipping, None, "PPL"),
                product: ProductPlan::NotLinked { why: NotLinked::Shipping },
            },
        ],
        total_without_vat: dec("1433.04"),
        total_with_vat: dec("1734.00"),
        case: Some(CaseAction::Create { name: format!("Objednávka {CODE}") }),
        steps: vec![
            Step::SetExtId { entity: Entity::Company, target: Target::Id(101), ext_id: "x".into(), refusal_ok: true },
            Step::CreateProduct {
                code: "KAV-ETH-250".into(),
                body: serde_json::from_value(serde_json::json!({"name": "Etiopie", "code": "KAV-ETH-250", "taxRate": 21, "price": 238.84,
                    "cost": 80, "unit": "ks", "description": null, "extId": "x"})).unwrap(),
            },
        ],
        problem: None,
    };
    let cs = plan::order_plan(&plan, Lang::Cs);
    assert!(english_in(&cs).is_empty(), "{:?}\n{cs}", english_in(&cs));
    assert!(cs.contains("spárován podle IČ → Pražírna Vltava a.s."), "{cs}");
    let en = plan::order_plan(&plan, Lang::En);
    assert!(en.contains("matched by IČ") && en.contains("will create product"), "{en}");
    assert!(en.contains("1. set the extId of client #101 — PUT /company/101/extId/"), "{en}");
}
