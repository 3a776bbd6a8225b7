//! The RAYNET client (Klient) for an order: how to look it up and what to create.

use super::{MappingError, MappingSettings, clean, customer_ext_id};
use crate::raynet::models::{AddressFields, AddressInput, CompanyCreate, ContactInfo};
use crate::shoptet::models::{Address, Order};

/// One step of the client lookup; the first step with exactly one hit wins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LookupStep {
    ExtId(String),
    RegNumber(String),
    /// Lower-cased; compare case-insensitively.
    Email(String),
    Name(String),
}

impl LookupStep {
    /// Stable key for logs, the store and the UI.
    pub fn key_name(&self) -> &'static str {
        match self {
            Self::ExtId(_) => "ext_id",
            Self::RegNumber(_) => "reg_number",
            Self::Email(_) => "email",
            Self::Name(_) => "name",
        }
    }

    pub fn value(&self) -> &str {
        match self {
            Self::ExtId(v) | Self::RegNumber(v) | Self::Email(v) | Self::Name(v) => v,
        }
    }
}

/// What to create when no client matches. `contact_address` is added afterwards
/// (`PUT /company/{id}/address/` + `setContact`).
#[derive(Debug, Clone, PartialEq)]
pub struct ClientDraft {
    pub create: CompanyCreate,
    pub contact_address: Option<AddressInput>,
}

fn billing(order: &Order) -> Option<&Address> {
    order.billing_address.as_ref()
}

fn company_name(order: &Order) -> Option<String> {
    clean(billing(order).and_then(|a| a.company.as_deref()))
}

fn full_name(order: &Order) -> Option<String> {
    clean(billing(order).and_then(|a| a.full_name.as_deref()))
        .or_else(|| clean(order.delivery_address.as_ref().and_then(|a| a.full_name.as_deref())))
        .map(|n| n.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Lookup steps in rule order (extId → IČ → e-mail → exact name), empty values skipped.
pub fn client_lookup(order: &Order, eshop_id: i64) -> Vec<LookupStep> {
    let mut steps = Vec::with_capacity(4);
    if let Some(ext) = customer_ext_id(eshop_id, order) {
        steps.push(LookupStep::ExtId(ext));
    }
    if let Some(reg) = clean(billing(order).and_then(|a| a.company_id.as_deref())) {
        steps.push(LookupStep::RegNumber(reg));
    }
    if let Some(email) = clean(order.email.as_deref()) {
        steps.push(LookupStep::Email(email.to_lowercase()));
    }
    if let Some(name) = company_name(order).or_else(|| full_name(order)) {
        steps.push(LookupStep::Name(name));
    }
    steps
}

/// A human label for the customer: company name, else full name, else e-mail.
pub fn client_label(order: &Order) -> String {
    company_name(order)
        .or_else(|| full_name(order))
        .or_else(|| clean(order.email.as_deref()))
        .unwrap_or_else(|| format!("zákazník objednávky {}", order.code))
}

/// Splits at the first space: `("Jan", "Novák")`; one word only → `(None, word)`.
pub fn split_full_name(full: &str) -> (Option<String>, String) {
    let full = full.trim();
    match full.split_once(char::is_whitespace) {
        Some((first, rest)) if !rest.trim().is_empty() => (Some(first.to_owned()), rest.trim().to_owned()),
        _ => (None, full.to_owned()),
    }
}

fn address_fields(label: &str, a: &Address) -> AddressFields {
    AddressFields {
        name: label.to_owned(),
        street: a.street_line(),
        city: clean(a.city.as_deref()),
        province: clean(a.region_name.as_deref()),
        zip_code: clean(a.zip.as_deref()),
        country: clean(a.country_code.as_deref()).map(|c| c.to_uppercase()),
    }
}

fn is_blank(a: &Address) -> bool {
    [&a.company, &a.full_name, &a.street, &a.house_number, &a.city, &a.zip]
        .iter()
        .all(|f| clean(f.as_deref()).is_none())
}

/// The client to create: a natural person when the billing address has no company name.
pub fn client_draft(order: &Order, s: &MappingSettings) -> Result<ClientDraft, MappingError> {
    let empty = Address::default();
    let bill = billing(order).unwrap_or(&empty);
    let (person, name, first_name, last_name) = match company_name(order) {
        Some(company) => (false, company, None, None),
        None => {
            let full = full_name(order)
                .or_else(|| clean(order.email.as_deref()))
                .ok_or(MappingError::MissingField("billingAddress.fullName"))?;
            let (first, last) = split_full_name(&full);
            (true, full, first, Some(last))
        }
    };
    let contact_info = ContactInfo {
        email: clean(order.email.as_deref()),
        tel1: clean(order.phone.as_deref()),
        tel1_type: None,
    };
    let primary = AddressInput {
        address: address_fields("Sídlo", bill),
        contact_info: (contact_info != ContactInfo::default()).then_some(contact_info),
    };
    let contact_address = order
        .delivery_address
        .as_ref()
        .map(Address::from)
        .filter(|d| !is_blank(d) && !d.same_place(bill))
        .map(|d| AddressInput { address: address_fields("Dodací adresa", &d), contact_info: None });
    Ok(ClientDraft {
        create: CompanyCreate {
            name,
            rating: "B".into(),
            state: "B_ACTUAL".into(),
            role: "A_SUBSCRIBER".into(),
            person,
            first_name,
            last_name,
            reg_number: clean(bill.company_id.as_deref()),
            tax_number: clean(bill.vat_id.as_deref()),
            owner: Some(s.default_owner_id),
            contact_source: Some(s.source_id),
            addresses: vec![primary],
            ext_id: customer_ext_id(s.eshop_id, order),
        },
        contact_address,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapping::fixtures::{order_from, settings};
    use serde_json::json;

    #[test]
    fn name_split_at_first_space() {
        assert_eq!(split_full_name("Jan Novák"), (Some("Jan".into()), "Novák".into()));
        assert_eq!(
            split_full_name(" Marie Anna  Svobodová "),
            (Some("Marie".into()), "Anna  Svobodová".into())
        );
        assert_eq!(split_full_name("Cher"), (None, "Cher".into()));
    }

    #[test]
    fn person_without_company_name() {
        let d = client_draft(&order_from(json!({})), &settings()).unwrap().create;
        assert!(d.person);
        assert_eq!(d.name, "Jan Novák");
        assert_eq!(d.first_name.as_deref(), Some("Jan"));
        assert_eq!(d.last_name.as_deref(), Some("Novák"));
        assert_eq!((d.rating.as_str(), d.role.as_str(), d.state.as_str()), ("B", "A_SUBSCRIBER", "B_ACTUAL"));
        assert_eq!(d.owner, Some(3));
        assert_eq!(d.ext_id.as_deref(), Some("shoptet:315000:customer:747fb32d-2db7-11e7-b8f9-0800273a1a1a"));
        assert_eq!(d.reg_number, None);
    }

    #[test]
    fn company_with_reg_and_tax_number() {
        let o = order_from(json!({"billingAddress": {"company": "Acme s.r.o.", "companyId": " 12345678 ",
            "vatId": "CZ12345678"}}));
        let d = client_draft(&o, &settings()).unwrap().create;
        assert!(!d.person);
        assert_eq!(d.name, "Acme s.r.o.");
        assert_eq!((d.first_name, d.last_name), (None, None));
        assert_eq!(d.reg_number.as_deref(), Some("12345678"));
        assert_eq!(d.tax_number.as_deref(), Some("CZ12345678"));
    }

    #[test]
    fn primary_address_is_billing_with_email_and_phone() {
        let d = client_draft(&order_from(json!({})), &settings()).unwrap();
        let a = &d.create.addresses[0];
        assert_eq!(a.address.street.as_deref(), Some("Francouzská 6167/5"));
        assert_eq!(a.address.city.as_deref(), Some("Praha"));
        assert_eq!(a.address.zip_code.as_deref(), Some("120 00"));
        assert_eq!(a.address.country.as_deref(), Some("CZ"));
        let ci = a.contact_info.as_ref().unwrap();
        assert_eq!(ci.email.as_deref(), Some("jan.novak@example.cz"));
        assert_eq!(ci.tel1.as_deref(), Some("+420604600444"));
        // Delivery differs only by the space in the zip code: the same place, no contact address.
        assert_eq!(d.contact_address, None);
    }

    #[test]
    fn contact_address_only_when_delivery_differs() {
        let o = order_from(json!({"addressesEqual": false, "deliveryAddress": {"street": "Dlouhá",
            "houseNumber": "12", "city": "Brno", "zip": "602 00"}}));
        let d = client_draft(&o, &settings()).unwrap();
        let c = d.contact_address.unwrap();
        assert_eq!(c.address.street.as_deref(), Some("Dlouhá 12"));
        assert_eq!(c.address.city.as_deref(), Some("Brno"));
        assert_eq!(d.create.addresses.len(), 1);

        let none = order_from(json!({"deliveryAddress": null}));
        assert_eq!(client_draft(&none, &settings()).unwrap().contact_address, None);
    }

    #[test]
    fn guest_gets_email_ext_id_and_missing_name_is_an_error() {
        let o = order_from(json!({"customerGuid": null}));
        let d = client_draft(&o, &settings()).unwrap().create;
        assert_eq!(d.ext_id.as_deref(), Some("shoptet:315000:email:jan.novak@example.cz"));

        let nameless = order_from(json!({"email": null, "billingAddress": {"fullName": null},
            "deliveryAddress": null}));
        assert_eq!(
            client_draft(&nameless, &settings()).unwrap_err(),
            MappingError::MissingField("billingAddress.fullName")
        );
    }

    #[test]
    fn lookup_in_rule_order() {
        let o = order_from(json!({"email": " Jan.Novak@Example.cz ", "billingAddress":
            {"company": "Acme s.r.o.", "companyId": "12345678"}}));
        let steps = client_lookup(&o, 315000);
        let keys: Vec<_> = steps.iter().map(LookupStep::key_name).collect();
        assert_eq!(keys, ["ext_id", "reg_number", "email", "name"]);
        assert_eq!(steps[1].value(), "12345678");
        assert_eq!(steps[2].value(), "jan.novak@example.cz");
        assert_eq!(steps[3].value(), "Acme s.r.o.");
    }

    #[test]
    fn lookup_skips_empty_steps() {
        let o = order_from(json!({"customerGuid": null, "email": "", "billingAddress":
            {"companyId": "  "}}));
        let steps = client_lookup(&o, 1);
        assert_eq!(steps, vec![LookupStep::Name("Jan Novák".into())]);
    }

    #[test]
    fn label_prefers_company_then_name_then_email() {
        let company = order_from(json!({"billingAddress": {"company": "Acme"}}));
        assert_eq!(client_label(&company), "Acme");
        assert_eq!(client_label(&order_from(json!({}))), "Jan Novák");
        let email_only = order_from(json!({"billingAddress": null, "deliveryAddress": null}));
        assert_eq!(client_label(&email_only), "jan.novak@example.cz");
    }
}
