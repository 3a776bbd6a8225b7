//! The business case (Obchodní případ) for an order (SYNC-RULES §2).

use rust_decimal::Decimal;

use super::{LinePlan, MappingError, MappingSettings, check_totals, clean, order_ext_id};
use crate::raynet::models::{
    BusinessCase, BusinessCaseCreate, BusinessCaseItem, BusinessCaseItemEdit, BusinessCaseItemInput,
    BusinessCaseUpdate, LinkAttachment,
};
use crate::shoptet::models::Order;

/// The order's creation date (its change date when Shoptet sent no creation time) in the
/// e-shop's time zone, `YYYY-MM-DD`; `None` when Shoptet sent neither (RAYNET's default applies).
pub fn valid_from(order: &Order, tz: chrono_tz::Tz) -> Option<String> {
    order.created_at().map(|t| t.with_timezone(&tz).format("%Y-%m-%d").to_string())
}

/// Link attachment to the order in Shoptet admin.
pub fn order_link(order: &Order) -> Option<LinkAttachment> {
    clean(order.admin_url.as_deref())
        .map(|link| LinkAttachment { link, link_name: format!("Objednávka {} v Shoptetu", order.code) })
}

/// Body of `PUT /businessCase/createWithItems` (also the target state for updates).
/// `lines` pairs each planned line with the RAYNET product id it links, if any.
pub fn business_case_draft(
    order: &Order,
    s: &MappingSettings,
    company_id: i64,
    owner_id: i64,
    currency_id: Option<i64>,
    lines: &[(LinePlan, Option<i64>)],
) -> Result<BusinessCaseCreate, MappingError> {
    let plans: Vec<LinePlan> = lines.iter().map(|(l, _)| l.clone()).collect();
    check_totals(order, &plans)?;
    let currency = order.price.currency_code.trim();
    if currency.is_empty() {
        return Err(MappingError::MissingField("price.currencyCode"));
    }
    // Shoptet's rate converts to the e-shop's default currency; it is only meaningful for RAYNET
    // when that is a different currency than the order's.
    let exchange_rate = if currency.eq_ignore_ascii_case(s.crm_currency.trim())
        || currency.eq_ignore_ascii_case(s.eshop_currency.trim())
    {
        None
    } else {
        Some(order.price.exchange_rate.ok_or(MappingError::MissingField("price.exchangeRate"))?.normalize())
    };
    let items = lines
        .iter()
        .map(|(l, product)| BusinessCaseItemInput {
            product_code: None,
            name: l.name.clone(),
            product: product.filter(|_| l.link_product),
            price: l.price,
            tax_rate: l.vat_rate,
            count: l.amount,
            cost: l.cost,
            unit: l.unit.clone(),
            description: None,
        })
        .collect();
    Ok(BusinessCaseCreate {
        name: s.name_template.replace("{code}", &order.code),
        company: company_id,
        owner: Some(owner_id),
        business_case_phase: Some(s.phase_id),
        source: Some(s.source_id),
        category: s.category_id,
        currency: currency_id,
        exchange_rate,
        valid_from: valid_from(order, s.timezone),
        description: clean(order.notes.as_ref().and_then(|n| n.customer_remark.as_deref())),
        ext_id: Some(order_ext_id(s.eshop_id, &order.code)),
        items,
    })
}

/// How an update treats the lines of an existing business case.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LineChanges {
    /// Lines that already say what the order says (their ids): nothing is sent for them.
    pub keep: Vec<i64>,
    /// Lines edited in place (`POST …/item/{itemId}/`, which takes `cost`): id, product link
    /// and place stay.
    pub edit: Vec<(i64, BusinessCaseItemEdit)>,
    /// New lines (`PUT …/item/`).
    pub add: Vec<BusinessCaseItemInput>,
    /// Lines the order no longer has (`DELETE …/item/{itemId}/`).
    pub remove: Vec<i64>,
}

impl LineChanges {
    /// Whether any line is written.
    pub fn writes(&self) -> bool {
        !(self.edit.is_empty() && self.add.is_empty() && self.remove.is_empty())
    }
}

/// Pairs the lines of an existing case with the lines the order wants. A line keeps its place
/// (and its id) only for the same product, or — a line without product — for another line
/// without product, so a line never keeps another product's link. Preferred, in this order:
/// an identical line, a line of the same product (or a plain line of the same name), any
/// plain line for a plain line. Unpaired wanted lines are added, unpaired old lines removed.
///
/// "Identical" compares what RAYNET's detail shows of a line: name, price, VAT rate, count,
/// unit, discount and note. A line's `cost` is not in the detail, so a change of the purchase
/// price alone is not seen; every edit sends the cost again.
pub fn line_changes(existing: &[BusinessCaseItem], wanted: &[BusinessCaseItemInput]) -> LineChanges {
    let same_link =
        |old: &BusinessCaseItem, new: &BusinessCaseItemInput| match (old.product_id(), new.product) {
            (Some(a), Some(b)) => a == b,
            (None, None) => true,
            _ => false,
        };
    let same_name = |old: &BusinessCaseItem, new: &BusinessCaseItemInput| {
        old.name.as_deref().map(str::trim) == Some(new.name.trim())
    };
    type Rule<'r> = Box<dyn Fn(&BusinessCaseItem, &BusinessCaseItemInput) -> bool + 'r>;
    let rules: [Rule<'_>; 3] = [
        Box::new(|o, n| same_link(o, n) && unchanged(o, n)),
        Box::new(|o, n| same_link(o, n) && (n.product.is_some() || same_name(o, n))),
        Box::new(|o, n| same_link(o, n)),
    ];
    let mut used = vec![false; existing.len()];
    let mut pair: Vec<Option<usize>> = vec![None; wanted.len()];
    for rule in &rules {
        for (w, new) in wanted.iter().enumerate() {
            if pair[w].is_some() {
                continue;
            }
            if let Some(o) = (0..existing.len()).find(|&o| !used[o] && rule(&existing[o], new)) {
                used[o] = true;
                pair[w] = Some(o);
            }
        }
    }
    let mut changes = LineChanges::default();
    for (new, paired) in wanted.iter().zip(&pair) {
        match paired.map(|o| &existing[o]) {
            Some(old) if unchanged(old, new) => changes.keep.push(old.id),
            Some(old) => changes.edit.push((old.id, BusinessCaseItemEdit::from_input(new))),
            None => changes.add.push(new.clone()),
        }
    }
    changes.remove = existing.iter().zip(&used).filter(|(_, u)| !**u).map(|(old, _)| old.id).collect();
    changes
}

/// Numbers as RAYNET keeps them may lose digits far behind the decimal point.
fn close(a: Option<Decimal>, b: Decimal) -> bool {
    a.is_some_and(|a| (a - b).abs() <= Decimal::new(1, 6))
}

fn text_or_empty(s: Option<&str>) -> &str {
    s.map(str::trim).unwrap_or("")
}

/// Whether an existing line already shows everything the wanted line says (its cost aside,
/// which RAYNET's detail does not show).
fn unchanged(old: &BusinessCaseItem, new: &BusinessCaseItemInput) -> bool {
    text_or_empty(old.name.as_deref()) == new.name.trim()
        && close(old.price, new.price)
        && close(old.tax_rate, new.tax_rate)
        && close(old.count, new.count)
        && old.discount_percent.unwrap_or_default().is_zero()
        && text_or_empty(old.unit.as_deref()) == text_or_empty(new.unit.as_deref())
        && text_or_empty(old.description.as_deref()) == text_or_empty(new.description.as_deref())
}

/// The fields of `POST /businessCase/{id}/` that differ between the case and the draft: name,
/// currency, rate, start date and note (an emptied note empties the description), plus
/// `phase` when the caller moves the case. The client and the owner are never changed.
pub fn case_changes(bc: &BusinessCase, draft: &BusinessCaseCreate, phase: Option<i64>) -> BusinessCaseUpdate {
    let differs = |have: Option<&str>, want: &str| text_or_empty(have) != want.trim();
    let wanted_note = draft.description.clone().unwrap_or_default();
    BusinessCaseUpdate {
        name: differs(bc.name.as_deref(), &draft.name).then(|| draft.name.clone()),
        business_case_phase: phase.filter(|p| bc.business_case_phase.as_ref().map(|r| r.id) != Some(*p)),
        currency: draft.currency.filter(|c| bc.currency.as_ref().map(|r| r.id) != Some(*c)),
        exchange_rate: draft.exchange_rate.filter(|r| !close(bc.exchange_rate, *r)),
        valid_from: draft.valid_from.clone().filter(|d| {
            let have = bc.valid_from.as_deref().map(|v| v.get(..10).unwrap_or(v));
            have != Some(d.as_str())
        }),
        description: differs(bc.description.as_deref(), &wanted_note).then_some(wanted_note),
        ..BusinessCaseUpdate::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapping::fixtures::{order_from, settings};
    use crate::mapping::plan_lines;
    use rust_decimal::Decimal;
    use serde_json::json;

    fn draft(o: &Order, s: &MappingSettings) -> Result<BusinessCaseCreate, MappingError> {
        let lines: Vec<_> =
            plan_lines(o, s)?.into_iter().enumerate().map(|(i, l)| (l, Some(100 + i as i64))).collect();
        business_case_draft(o, s, 42, 7, Some(19), &lines)
    }

    #[test]
    fn home_currency_case() {
        let bc = draft(&order_from(json!({})), &settings()).unwrap();
        assert_eq!(bc.name, "Objednávka 2024000017");
        assert_eq!((bc.company, bc.owner, bc.currency), (42, Some(7), Some(19)));
        assert_eq!((bc.business_case_phase, bc.source, bc.category), (Some(11), Some(5), Some(8)));
        assert_eq!(bc.exchange_rate, None);
        assert_eq!(bc.valid_from.as_deref(), Some("2024-05-29"));
        assert_eq!(bc.description.as_deref(), Some("Prosím zazvonit dvakrát."));
        assert_eq!(bc.ext_id.as_deref(), Some("shoptet:315000:order:2024000017"));
        let products: Vec<_> = bc.items.iter().map(|i| i.product).collect();
        assert_eq!(products, [Some(100), None, None], "only the product line links");
        assert_eq!(bc.items[0].count, Decimal::new(2, 0));
        assert_eq!(bc.items[0].price, Decimal::new(150, 0));
        assert_eq!(bc.items[0].cost, Some(Decimal::new(80, 0)));
    }

    #[test]
    fn foreign_currency_case_has_rate_and_no_products() {
        let o = order_from(json!({"price": {"currencyCode": "EUR", "exchangeRate": "25.12000000"}}));
        let bc = draft(&o, &settings()).unwrap();
        assert_eq!(bc.exchange_rate, Some(Decimal::new(2512, 2)));
        assert!(bc.items.iter().all(|i| i.product.is_none()));

        let no_rate = order_from(json!({"price": {"currencyCode": "EUR", "exchangeRate": null}}));
        assert_eq!(
            draft(&no_rate, &settings()).unwrap_err(),
            MappingError::MissingField("price.exchangeRate")
        );
    }

    #[test]
    fn valid_from_uses_the_eshop_time_zone_across_midnight() {
        // 23:30 UTC on 31 Dec is already 1 Jan in Prague.
        let o = order_from(json!({"creationTime": "2023-12-31T23:30:00+0000"}));
        assert_eq!(valid_from(&o, chrono_tz::Europe::Prague).as_deref(), Some("2024-01-01"));
        assert_eq!(valid_from(&o, chrono_tz::UTC).as_deref(), Some("2023-12-31"));
        let mut s = settings();
        s.timezone = chrono_tz::America::New_York;
        assert_eq!(draft(&o, &s).unwrap().valid_from.as_deref(), Some("2023-12-31"));
    }

    #[test]
    fn name_template_and_missing_note() {
        let mut s = settings();
        s.name_template = "Shoptet #{code}".into();
        s.category_id = None;
        let o = order_from(json!({"notes": {"customerRemark": "  "}}));
        let bc = draft(&o, &s).unwrap();
        assert_eq!(bc.name, "Shoptet #2024000017");
        assert_eq!((bc.description, bc.category), (None, None));
        let no_notes = order_from(json!({"notes": null}));
        assert_eq!(draft(&no_notes, &s).unwrap().description, None);
    }

    #[test]
    fn totals_are_checked_again() {
        let o = order_from(json!({}));
        let mut lines: Vec<_> = plan_lines(&o, &settings()).unwrap().into_iter().map(|l| (l, None)).collect();
        lines.pop();
        assert!(matches!(
            business_case_draft(&o, &settings(), 1, 1, None, &lines),
            Err(MappingError::TotalsMismatch { which: "without VAT", .. })
        ));
    }

    #[test]
    fn order_link_points_to_admin() {
        let l = order_link(&order_from(json!({}))).unwrap();
        assert_eq!(l.link, "https://shop.example.cz/admin/objednavky-detail/?id=17");
        assert_eq!(l.link_name, "Objednávka 2024000017 v Shoptetu");
        assert_eq!(order_link(&order_from(json!({"adminUrl": null}))), None);
    }

    fn old_line(id: i64, product: Option<i64>, name: &str, price: i64, count: i64) -> BusinessCaseItem {
        serde_json::from_value(json!({
            "id": id,
            "priceListItem": product.map(|p| json!({"id": p, "price": 0, "product": {"id": p, "code": format!("P{p}")}})),
            "name": name, "description": null, "price": price, "taxRate": 21, "unit": "ks",
            "discountPercent": 0, "count": count
        }))
        .unwrap()
    }

    fn new_line(product: Option<i64>, name: &str, price: i64, count: i64) -> BusinessCaseItemInput {
        BusinessCaseItemInput {
            name: name.into(),
            product,
            product_code: None,
            price: Decimal::from(price),
            tax_rate: Decimal::from(21),
            count: Decimal::from(count),
            cost: Some(Decimal::from(80)),
            unit: Some("ks".into()),
            description: None,
        }
    }

    #[test]
    fn unchanged_lines_are_left_alone() {
        let old = [old_line(1, Some(7), "Káva", 250, 2), old_line(2, None, "PPL", 99, 1)];
        let new = [new_line(Some(7), "Káva", 250, 2), new_line(None, "PPL", 99, 1)];
        let c = line_changes(&old, &new);
        assert_eq!(c.keep, [1, 2]);
        assert!(!c.writes(), "{c:?}");
    }

    #[test]
    fn a_changed_quantity_edits_the_line_in_place_with_its_cost() {
        let old = [old_line(1, Some(7), "Káva", 250, 2), old_line(2, None, "PPL", 99, 1)];
        let new = [new_line(Some(7), "Káva", 250, 3), new_line(None, "PPL", 99, 1)];
        let c = line_changes(&old, &new);
        assert_eq!(c.keep, [2]);
        assert_eq!(c.edit.len(), 1);
        let (id, edit) = &c.edit[0];
        assert_eq!(*id, 1);
        assert_eq!(edit.count, Some(Decimal::from(3)));
        assert_eq!(edit.cost, Some(Decimal::from(80)), "the cost goes with every edit");
        assert!(c.add.is_empty() && c.remove.is_empty());
    }

    #[test]
    fn other_products_are_added_and_dropped_ones_removed_never_relinked() {
        let old = [old_line(1, Some(7), "Káva A", 100, 1), old_line(2, Some(8), "Káva B", 200, 2)];
        let new = [new_line(Some(8), "Káva B", 200, 2), new_line(Some(9), "Káva C", 300, 1)];
        let c = line_changes(&old, &new);
        assert_eq!(c.keep, [2], "B stays although it moved up");
        assert!(c.edit.is_empty(), "A is not turned into C: {c:?}");
        assert_eq!(c.add.iter().map(|l| l.product).collect::<Vec<_>>(), [Some(9)]);
        assert_eq!(c.remove, [1]);
    }

    #[test]
    fn plain_lines_pair_by_name_first_then_any_plain_line() {
        let old = [old_line(1, None, "PPL", 99, 1), old_line(2, None, "Dobírka", 30, 1)];
        let new = [new_line(None, "Dobírka", 35, 1), new_line(None, "Zásilkovna", 79, 1)];
        let c = line_changes(&old, &new);
        let edited: Vec<(i64, Option<String>)> = c.edit.iter().map(|(id, e)| (*id, e.name.clone())).collect();
        assert_eq!(edited, [(2, Some("Dobírka".into())), (1, Some("Zásilkovna".into()))]);
        assert!(c.add.is_empty() && c.remove.is_empty());
        // A plain line never takes a product, nor the other way round.
        let c = line_changes(&[old_line(1, None, "PPL", 99, 1)], &[new_line(Some(7), "PPL", 99, 1)]);
        assert_eq!((c.add.len(), c.remove.as_slice()), (1, &[1][..]));
    }

    #[test]
    fn prices_equal_up_to_stored_precision_count_as_unchanged() {
        let mut old = old_line(1, None, "Třetina", 0, 3);
        old.price = Some("33.333333".parse().unwrap());
        let mut new = new_line(None, "Třetina", 0, 3);
        new.price = "33.3333333333".parse().unwrap();
        assert!(!line_changes(&[old], &[new]).writes());
    }

    fn case(v: serde_json::Value) -> BusinessCase {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn case_changes_send_only_what_differs() {
        let o = order_from(json!({}));
        let s = settings();
        let d = draft(&o, &s).unwrap();
        let same = case(json!({"id": 5, "name": d.name, "currency": {"id": 19, "value": "Kč"},
            "businessCasePhase": {"id": 11, "value": "Vyhráno"}, "validFrom": "2024-05-29",
            "exchangeRate": 1, "description": "Prosím zazvonit dvakrát.", "items": []}));
        assert!(case_changes(&same, &d, None).is_empty(), "{:?}", case_changes(&same, &d, None));
        assert!(case_changes(&same, &d, Some(11)).is_empty(), "already in that phase");
        assert_eq!(case_changes(&same, &d, Some(3)).business_case_phase, Some(3));
        let mut no_note = d.clone();
        no_note.description = None;
        let u = case_changes(&same, &no_note, None);
        assert_eq!(u, BusinessCaseUpdate { description: Some(String::new()), ..Default::default() });
        let other = case(json!({"id": 5, "name": "Jiný", "currency": {"id": 2}, "validFrom": "2024-05-01",
            "description": null}));
        let u = case_changes(&other, &d, None);
        assert_eq!(u.name.as_deref(), Some("Objednávka 2024000017"));
        assert_eq!(u.currency, Some(19));
        assert_eq!(u.valid_from.as_deref(), Some("2024-05-29"));
        assert_eq!(u.description.as_deref(), Some("Prosím zazvonit dvakrát."));
        assert_eq!(u.owner, None, "the owner is never changed");
    }
}
