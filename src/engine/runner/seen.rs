//! The one place an [`OrderSeen`] is made, from whatever was read of an order.

use chrono::{DateTime, FixedOffset};

use crate::engine::context::SyncContext;
use crate::mapping;
use crate::shoptet::models::{Order, OrderSummary};
use crate::store::OrderSeen;

/// What was read of an order.
pub(super) enum Read<'a> {
    /// Its detail (the status name from the shop's list when the detail does not send it).
    Detail(&'a Order, Option<&'a SyncContext>),
    /// A row of the order list (backfill).
    Listed(&'a OrderSummary),
    /// Only its change in the feed: the detail could not be read.
    Unread { code: &'a str, change_time: Option<DateTime<FixedOffset>> },
}

/// What the store records of an order read from Shoptet.
pub(super) fn order_seen(read: Read<'_>) -> OrderSeen {
    match read {
        Read::Detail(order, ctx) => OrderSeen {
            code: order.code.clone(),
            change_time: order.change_time.or(order.creation_time),
            creation_time: order.creation_time,
            status_id: order.status_id(),
            status_name: order
                .status
                .as_ref()
                .and_then(|s| s.sent_name().map(str::to_owned))
                .or_else(|| ctx.and_then(|c| c.status_name(order.status_id()))),
            customer: Some(mapping::client_label(order)),
            email: order.email.clone(),
            total_with_vat: Some(order.price.with_vat),
            currency: Some(order.price.currency_code.clone()),
        },
        Read::Listed(o) => OrderSeen {
            code: o.code.clone(),
            change_time: o.change_time.or(o.creation_time),
            creation_time: o.creation_time,
            status_id: o.status.as_ref().map(|s| s.id),
            status_name: o.status.as_ref().and_then(|s| s.sent_name().map(str::to_owned)),
            customer: o.company.clone().or(o.full_name.clone()).or(o.email.clone()),
            email: o.email.clone(),
            total_with_vat: o.price.with_vat,
            currency: Some(o.price.currency_code.clone()),
        },
        Read::Unread { code, change_time } => {
            OrderSeen { code: code.to_string(), change_time, ..OrderSeen::default() }
        }
    }
}
