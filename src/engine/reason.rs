//! Failure classification, the user's side: what an [`EngineError`] means for the order, as a
//! typed [`Reason`] the store keeps and the front ends translate.

use crate::http::{ApiError, ErrorKind};
use crate::mapping::{ItemProblem, MappingError, PricePart};
use crate::store::{DataProblem, Reason};

use super::EngineError;

impl EngineError {
    /// Why the order failed, as data.
    pub fn reason(&self) -> Reason {
        match self {
            EngineError::Api(api) => api_reason(api),
            EngineError::Store(e) => Reason::Internal { detail: e.to_string() },
            EngineError::Mapping(e) => mapping_reason(e),
            EngineError::Config(detail) => Reason::Configuration { detail: detail.to_string() },
            EngineError::CurrencyMissing { iso } => Reason::CurrencyMissing { iso: iso.clone() },
        }
    }
}

fn api_reason(api: &ApiError) -> Reason {
    let service = api.service;
    let request = format!("{} {}", api.method, api.path);
    let unreadable =
        api.message.starts_with("unreadable response") || api.status.is_some_and(|s| (200..300).contains(&s));
    match (api.kind, api.status) {
        (ErrorKind::Auth, _) => Reason::CredentialsRejected { service },
        (ErrorKind::RateLimited, _) => Reason::RateLimited { service, until: api.retry_after },
        (ErrorKind::Transient, None) => Reason::Unreachable { service, request },
        (ErrorKind::Transient, Some(status)) if unreadable => {
            Reason::UnreadableAnswer { service, request, status }
        }
        (ErrorKind::Transient, Some(status)) => {
            Reason::Unavailable { service, request, status, message: api.message.clone() }
        }
        (ErrorKind::NotFound, _) => Reason::NotFound { service, request, message: api.message.clone() },
        (ErrorKind::Permanent, status) => Reason::Refused {
            service,
            request,
            status,
            message: api.message.clone(),
            vendor_code: api.code.clone(),
        },
    }
}

fn mapping_reason(e: &MappingError) -> Reason {
    match e {
        MappingError::TotalsMismatch { which, expected, got } => {
            Reason::TotalsMismatch { with_vat: *which == "with VAT", expected: *expected, got: *got }
        }
        MappingError::MissingField(field) => {
            Reason::OrderData { item: None, field: (*field).to_string(), problem: DataProblem::Missing }
        }
        MappingError::InvalidItem { index, problem } => {
            let (part, problem) = match problem {
                ItemProblem::NoPrice(p) => (Some(*p), DataProblem::NoPrice),
                ItemProblem::NegativeVatRate(p) => (Some(*p), DataProblem::NegativeVatRate),
                ItemProblem::MissingVatRate(p) => (Some(*p), DataProblem::MissingVatRate),
                ItemProblem::PriceWithoutAmount => (None, DataProblem::PriceWithoutAmount),
                ItemProblem::Indivisible => (None, DataProblem::Indivisible),
            };
            let field = match part {
                Some(PricePart::ItemPrice) => "itemPrice".to_string(),
                Some(PricePart::Breakdown(k)) => format!("itemPriceVatBreakdown[{k}]"),
                None => "amount".to_string(),
            };
            Reason::OrderData { item: Some(index + 1), field, problem }
        }
        MappingError::TooLarge(_) => Reason::AmountsTooLarge,
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use super::*;
    use crate::http::Service;

    fn api(kind: ErrorKind, status: Option<u16>, message: &str) -> EngineError {
        EngineError::from(ApiError {
            service: Service::Raynet,
            method: "PUT".into(),
            path: "/company/".into(),
            status,
            kind,
            code: Some("ValidationException".into()),
            message: message.into(),
            retry_after: None,
            body_excerpt: None,
        })
    }

    #[test]
    fn api_failures_are_classified_by_kind_and_status() {
        assert_eq!(
            api(ErrorKind::Auth, Some(401), "Bad credentials").reason(),
            Reason::CredentialsRejected { service: Service::Raynet }
        );
        assert_eq!(api(ErrorKind::RateLimited, Some(429), "").reason().code(), "rate_limited");
        assert_eq!(api(ErrorKind::Transient, None, "the request timed out").reason().code(), "unreachable");
        assert_eq!(
            api(ErrorKind::Transient, Some(200), "unreadable response: x").reason().code(),
            "unreadable_answer"
        );
        assert_eq!(
            api(ErrorKind::Transient, Some(400), "unreadable response: x").reason().code(),
            "unreadable_answer"
        );
        assert_eq!(
            api(ErrorKind::Transient, Some(503), "down").reason(),
            Reason::Unavailable {
                service: Service::Raynet,
                request: "PUT /company/".into(),
                status: 503,
                message: "down".into()
            }
        );
        assert_eq!(api(ErrorKind::NotFound, Some(404), "missing").reason().code(), "not_found");
        assert_eq!(
            api(ErrorKind::Permanent, Some(400), "Povinná položka chybí").reason(),
            Reason::Refused {
                service: Service::Raynet,
                request: "PUT /company/".into(),
                status: Some(400),
                message: "Povinná položka chybí".into(),
                vendor_code: Some("ValidationException".into()),
            }
        );
    }

    #[test]
    fn order_data_problems_name_the_field_and_the_item() {
        let e = EngineError::from(MappingError::InvalidItem {
            index: 1,
            problem: ItemProblem::MissingVatRate(PricePart::Breakdown(2)),
        });
        assert_eq!(
            e.reason(),
            Reason::OrderData {
                item: Some(2),
                field: "itemPriceVatBreakdown[2]".into(),
                problem: DataProblem::MissingVatRate
            }
        );
        let e = EngineError::from(MappingError::TotalsMismatch {
            which: "with VAT",
            expected: Decimal::ONE,
            got: Decimal::TWO,
        });
        assert!(matches!(e.reason(), Reason::TotalsMismatch { with_vat: true, .. }));
        let e = EngineError::from(MappingError::MissingField("price.currencyCode"));
        assert!(matches!(e.reason(), Reason::OrderData { item: None, problem: DataProblem::Missing, .. }));
        assert_eq!(EngineError::from(MappingError::TooLarge("x")).reason(), Reason::AmountsTooLarge);
        assert_eq!(
            EngineError::CurrencyMissing { iso: "USD".into() }.reason(),
            Reason::CurrencyMissing { iso: "USD".into() }
        );
    }
}
