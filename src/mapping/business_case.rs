//! The business case (Obchodní případ) for an order (SYNC-RULES §2).

use super::{LinePlan, MappingError, MappingSettings, check_totals, clean, order_ext_id};
use crate::raynet::models::{BusinessCaseCreate, BusinessCaseItemInput, LinkAttachment};
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
            id: None,
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
}
