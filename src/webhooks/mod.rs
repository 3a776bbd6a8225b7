//! Our webhooks at Shoptet, set up by the tool instead of by hand: the rules for the public
//! URL, registering `order:create` and `order:update` there (listing first, so a second run
//! adds nothing; moving ours when the URL changed), removing only ours, fetching a signature
//! key, and reading what is registered and which deliveries failed. Used by the setup wizard
//! (through its probe), `webhooks register|remove|status` and `doctor`.
//!
//! "Ours" is a webhook for one of our events at a URL this sync uses or used (the configured
//! public URL, or the one it replaces). Shoptet allows one URL per event, so an event held by
//! another tool's URL blocks the setup; that webhook is named and left alone.

mod apply;
mod url;

pub use apply::{Plan, apply, plan, registration};
pub use url::{ALLOWED_PORTS, MAX_URL_LEN, RECEIVER_PATH, UrlProblem, check_public_url, is_plain_http};

use secrecy::SecretString;

use crate::http::ApiError;
use crate::shoptet::models::Webhook;

/// The events the sync listens to: a new order, and any change (status included).
pub const EVENTS: [&str; 2] = ["order:create", "order:update"];
/// Shoptet refuses this one beside `order:update` (409), so another tool holding it blocks us.
pub const CONFLICTING_EVENT: &str = "order:cancel";

/// What the setup should leave at Shoptet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Desired {
    /// Our events at `url`; ours found at one of `previous` are moved to `url`.
    On { url: String, previous: Vec<String> },
    /// None of ours: our events at any of these URLs are deleted.
    Off { ours: Vec<String> },
}

/// What a setup run asks for.
#[derive(Debug, Clone)]
pub struct Job {
    pub desired: Desired,
    /// Fetch a new signature key (when none is stored, or the user asks: every call makes a
    /// new key and the old one stops working).
    pub renew_key: bool,
}

/// What a setup run did.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub created: Vec<Webhook>,
    /// Ours that pointed at an older URL, now at the new one.
    pub moved: Vec<Webhook>,
    /// Ours that were already right.
    pub kept: Vec<Webhook>,
    pub removed: Vec<Webhook>,
    /// The new signature key, when one was fetched (save it; it is not shown).
    pub key: Option<SecretString>,
}

impl Report {
    /// Whether the run changed anything at Shoptet.
    pub fn changed(&self) -> bool {
        !(self.created.is_empty() && self.moved.is_empty() && self.removed.is_empty() && self.key.is_none())
    }
}

/// Why a setup run could not finish.
#[derive(Debug, Clone, thiserror::Error)]
pub enum SetupError {
    #[error("webhook.public_url {0}")]
    Url(UrlProblem),
    /// 403 on the webhook endpoints: the token may not manage webhooks (the spec ties them to
    /// addon installations; a private token needs the webhook rights).
    #[error(
        "Shoptet does not let this token manage webhooks ({0}) — webhooks belong to addon \
         installations: use an addon token (auth = \"addon\"), or give the private API token the \
         webhook rights in the Shoptet admin (Connections → API → Access to API), or leave webhooks \
         off: polling still syncs every order"
    )]
    NotAllowed(ApiError),
    /// Another tool's webhooks hold our events (one URL per event), or `order:cancel`.
    #[error("{}", blocked_text(.0))]
    Blocked(Vec<Webhook>),
    #[error("{0}")]
    Api(ApiError),
}

fn blocked_text(hooks: &[Webhook]) -> String {
    let list: Vec<String> = hooks.iter().map(|h| format!("{} → {} (id {})", h.event, h.url, h.id)).collect();
    format!(
        "Shoptet allows one address per event, and these are registered elsewhere: {} — if an \
         address is an old one of this sync, move ours with `shoptet-raynet-sync webhooks register \
         --replace <address>` (or remove them with `webhooks remove --url <address>`); otherwise the \
         tool that registered it must give it up",
        list.join(", ")
    )
}

impl SetupError {
    /// A refusal of the webhook endpoints becomes `NotAllowed`; other failures stay `Api`.
    fn from_api(e: ApiError) -> SetupError {
        if e.status == Some(403) { SetupError::NotAllowed(e) } else { SetupError::Api(e) }
    }
}
