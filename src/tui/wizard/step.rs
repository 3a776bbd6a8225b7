//! The wizard's steps, their order and fields, and their titles in the user's language.

use crate::tui::i18n::Texts;
use crate::tui::wizard::validate::Field;

/// One screen of the guided setup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    ShoptetConn,
    ShoptetTest,
    RaynetConn,
    RaynetTest,
    FinalStatuses,
    Owner,
    Phase,
    Source,
    Category,
    StartDate,
    Webhook,
    Review,
    /// Poll interval and business-case name (edited from Configuration; defaults on first run).
    Options,
    /// Shoptet statuses that mean "cancelled" (may be none).
    CancelledStatuses,
    /// Phase a synced case moves to when its order is cancelled (or none).
    CancelledPhase,
}

impl Step {
    pub const ALL: [Step; 12] = [
        Step::ShoptetConn,
        Step::ShoptetTest,
        Step::RaynetConn,
        Step::RaynetTest,
        Step::FinalStatuses,
        Step::Owner,
        Step::Phase,
        Step::Source,
        Step::Category,
        Step::StartDate,
        Step::Webhook,
        Step::Review,
    ];

    /// Settings the guided walk leaves at their defaults; they are edited from Configuration.
    pub const EXTRA: [Step; 3] = [Step::Options, Step::CancelledStatuses, Step::CancelledPhase];

    pub fn index(self) -> usize {
        Step::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }

    pub(super) fn next(self) -> Step {
        Step::ALL.get(self.index() + 1).copied().unwrap_or(Step::Review)
    }

    pub(super) fn prev(self) -> Option<Step> {
        self.index().checked_sub(1).map(|i| Step::ALL[i])
    }

    /// Lists that offer "none" as their first entry.
    pub fn has_none_option(self) -> bool {
        matches!(self, Step::Category | Step::CancelledPhase)
    }

    /// Lists where several entries can be ticked.
    pub fn is_multi(self) -> bool {
        matches!(self, Step::FinalStatuses | Step::CancelledStatuses)
    }

    pub fn fields(self) -> &'static [Field] {
        match self {
            Step::ShoptetConn => {
                &[Field::ShoptetUrl, Field::ShoptetToken, Field::ShoptetAddon, Field::EshopUrl]
            }
            Step::RaynetConn => &[Field::RaynetUrl, Field::Instance, Field::Username, Field::ApiKey],
            Step::StartDate => &[Field::Start],
            Step::Webhook => &[Field::WebhookEnabled, Field::Listen, Field::PublicUrl, Field::RenewKey],
            Step::Options => &[Field::PollInterval, Field::NameTemplate],
            _ => &[],
        }
    }

    /// The step's heading.
    pub fn title(self, t: &Texts) -> &'static str {
        match self {
            Step::ShoptetConn => t.s_shoptet_conn,
            Step::ShoptetTest => t.s_shoptet_test,
            Step::RaynetConn => t.s_raynet_conn,
            Step::RaynetTest => t.s_raynet_test,
            Step::FinalStatuses => t.s_final,
            Step::Owner => t.s_owner,
            Step::Phase => t.s_phase,
            Step::Source => t.s_source,
            Step::Category => t.s_category,
            Step::StartDate => t.s_start,
            Step::Webhook => t.s_webhook,
            Step::Review => t.s_review,
            Step::Options => t.s_options,
            Step::CancelledStatuses => t.s_cancelled,
            Step::CancelledPhase => t.s_cancelled_phase,
        }
    }

    /// The line under the heading that says what the step is for.
    pub fn intro(self, t: &Texts) -> &'static str {
        match self {
            Step::ShoptetConn => t.i_shoptet_conn,
            Step::ShoptetTest => t.i_shoptet_test,
            Step::RaynetConn => t.i_raynet_conn,
            Step::RaynetTest => t.i_raynet_test,
            Step::FinalStatuses => t.i_final,
            Step::Owner => t.i_owner,
            Step::Phase => t.i_phase,
            Step::Source => t.i_source,
            Step::Category => t.i_category,
            Step::StartDate => t.i_start,
            Step::Webhook => t.i_webhook,
            Step::Review => t.i_review,
            Step::Options => t.i_options,
            Step::CancelledStatuses => t.i_cancelled,
            Step::CancelledPhase => t.i_cancelled_phase,
        }
    }
}
