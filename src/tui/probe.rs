//! Live connection tests used by the setup wizard and to resolve ids to names, the webhook
//! setup the wizard does on save, and the doctor's checks the Configuration pane shows.

use secrecy::SecretString;

use crate::config::Config;
use crate::doctor::Check;
use crate::webhooks::{Job, Report, SetupError};

pub type BoxFut<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

/// Talks to the real (or simulated) APIs; errors are display-ready text with a hint.
pub trait SetupProbe: Send + Sync {
    /// `addon_eshop_url`: set for addon (OAuth) mode, where the token is exchanged at the e-shop.
    fn test_shoptet<'a>(
        &'a self,
        base_url: String,
        token: SecretString,
        addon_eshop_url: Option<String>,
    ) -> BoxFut<'a, Result<ShoptetFacts, String>>;
    fn test_raynet<'a>(
        &'a self,
        base_url: String,
        instance: String,
        username: String,
        api_key: SecretString,
    ) -> BoxFut<'a, Result<RaynetFacts, String>>;
    /// Registers, moves or removes our webhooks and fetches a signature key, as `job` asks.
    fn set_up_webhooks<'a>(&'a self, shop: ShoptetAccess, job: Job)
    -> BoxFut<'a, Result<Report, SetupError>>;
    /// The doctor's checks of `config` (the local ones too where the probe knows the paths).
    fn doctor<'a>(&'a self, config: Config) -> BoxFut<'a, Vec<Check>>;
}

/// How to reach the shop: the API address and token (and, for an addon token, the e-shop
/// whose OAuth server exchanges it).
#[derive(Debug, Clone)]
pub struct ShoptetAccess {
    pub base_url: String,
    pub token: SecretString,
    pub addon_eshop_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShoptetFacts {
    pub eshop_id: i64,
    pub name: String,
    pub default_currency: String,
    pub currencies: Vec<String>,
    pub timezone: String,
    pub statuses: Vec<Choice>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RaynetFacts {
    pub instance: String,
    /// `id` is the RAYNET *person* id of the user.
    pub users: Vec<Choice>,
    pub phases: Vec<Choice>,
    pub sources: Vec<Choice>,
    pub categories: Vec<Choice>,
    pub currencies: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub id: i64,
    pub label: String,
}

/// The label of `id` in `choices`, or the id itself while names are unknown.
pub fn label_of(choices: Option<&[Choice]>, id: i64) -> String {
    choices
        .and_then(|c| c.iter().find(|c| c.id == id))
        .map(|c| format!("{} ({id})", c.label))
        .unwrap_or_else(|| format!("#{id}"))
}
