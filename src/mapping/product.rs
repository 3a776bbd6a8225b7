//! RAYNET products created from order lines (home-currency orders only).

use super::{LinePlan, clean};
use crate::raynet::models::{LinkAttachment, ProductCreate};
use crate::shoptet::models::{Product, ProductVariant};
use rust_decimal::Decimal;

/// A price as without VAT (`including_vat` prices are divided by `1 + rate/100`); `None` when
/// that cannot be computed (checked arithmetic: absurd rates never panic).
fn net(price: Decimal, including_vat: Option<bool>, vat_rate: Option<Decimal>) -> Option<Decimal> {
    match (including_vat, vat_rate) {
        (Some(true), Some(rate)) if rate > Decimal::ZERO => {
            let factor = Decimal::ONE.checked_add(rate.checked_div(Decimal::ONE_HUNDRED)?)?;
            Some(price.checked_div(factor)?.round_dp(4).normalize())
        }
        _ => Some(price),
    }
}

fn variant_price(v: &ProductVariant) -> Option<Decimal> {
    v.price.and_then(|p| net(p, v.including_vat, v.vat_rate))
}

fn variant_cost(v: &ProductVariant) -> Option<Decimal> {
    let pp = v.prices.as_ref()?.purchase_price.as_ref()?;
    pp.price.and_then(|p| net(p, pp.including_vat, pp.vat_rate.or(v.vat_rate)))
}

/// Body of `PUT /product/`: name and code of the line; standard price without VAT, unit and cost
/// from the Shoptet variant when known (else from the line); note = detailed description.
pub fn product_draft(line: &LinePlan, product: Option<&Product>, ext_id: String) -> ProductCreate {
    let code = line.code.clone().unwrap_or_default();
    let variant = product.and_then(|p| p.variant(&code));
    ProductCreate {
        name: line.name.clone(),
        unit: line.unit.clone().or_else(|| variant.and_then(|v| clean(v.unit.as_deref()))),
        description: product.and_then(|p| clean(p.description.as_deref())),
        tax_rate: Some(line.vat_rate),
        price: Some(variant.and_then(variant_price).unwrap_or(line.price)),
        cost: line.cost.or_else(|| variant.and_then(variant_cost)),
        ext_id: Some(ext_id),
        code,
    }
}

/// Link attachment to the product's public page in the shop (named after the product, or its
/// URL when Shoptet sent no name).
pub fn product_link(product: &Product) -> Option<LinkAttachment> {
    let link = clean(product.url.as_deref())?;
    let name = clean(product.name.as_deref()).unwrap_or_else(|| link.clone());
    Some(LinkAttachment { link_name: format!("{name} v e-shopu"), link })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapping::fixtures::{order_from, settings};
    use crate::mapping::plan_lines;
    use serde_json::json;

    fn shoptet_product() -> Product {
        serde_json::from_value(json!({
            "guid": "937be4fd-2db7-11e7-b8f9-0800273a1a1a", "type": "product", "name": "Mýdlo",
            "shortDescription": "<p>Krátce</p>", "description": "<p>Ručně vyráběné mýdlo.</p>",
            "url": "https://shop.example.cz/mydlo/", "changeTime": "2024-01-02T10:00:00+0100",
            "variants": [{"code": "40/ZEL", "ean": null, "unit": "ks", "price": "193.60",
                "includingVat": true, "vatRate": "21.00", "currencyCode": "CZK",
                "prices": {"purchasePrice": {"price": "70.00", "vatRate": "21.00", "includingVat": false}}}]
        }))
        .unwrap()
    }

    #[test]
    fn draft_from_line_and_shoptet_product() {
        let lines = plan_lines(&order_from(json!({})), &settings()).unwrap();
        let p = product_draft(&lines[0], Some(&shoptet_product()), "shoptet:1:product:40/ZEL".into());
        assert_eq!(p.code, "40/ZEL");
        assert_eq!(p.name, "Mýdlo Zelené");
        assert_eq!(p.price, Some(Decimal::new(160, 0)), "193.60 incl. 21 % VAT");
        assert_eq!(p.cost, Some(Decimal::new(80, 0)), "the order's purchase price wins");
        assert_eq!(p.tax_rate, Some(Decimal::new(21, 0)));
        assert_eq!(p.unit.as_deref(), Some("ks"));
        assert_eq!(p.description.as_deref(), Some("<p>Ručně vyráběné mýdlo.</p>"));
        assert_eq!(p.ext_id.as_deref(), Some("shoptet:1:product:40/ZEL"));
    }

    #[test]
    fn draft_without_shoptet_product_uses_the_line() {
        let mut o = order_from(json!({}));
        o.items[0].purchase_price = None;
        let lines = plan_lines(&o, &settings()).unwrap();
        let p = product_draft(&lines[0], None, "x".into());
        assert_eq!(p.price, Some(Decimal::new(150, 0)));
        assert_eq!((p.cost, p.description), (None, None));
        let with_variant = product_draft(&lines[0], Some(&shoptet_product()), "x".into());
        assert_eq!(with_variant.cost, Some(Decimal::new(70, 0)));
    }

    #[test]
    fn link_to_public_url() {
        let l = product_link(&shoptet_product()).unwrap();
        assert_eq!(l.link, "https://shop.example.cz/mydlo/");
        assert_eq!(l.link_name, "Mýdlo v e-shopu");
        let mut no_url = shoptet_product();
        no_url.url = None;
        assert_eq!(product_link(&no_url), None);
    }
}
