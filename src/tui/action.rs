//! Everything that can change the dashboard (keys, ticks, engine news, finished background
//! work) and the work it asks the runner to do outside `App::update` (`Effect`).

use chrono::{DateTime, Utc};
use crossterm::event::KeyEvent;
use secrecy::SecretString;

use crate::config::Config;
use crate::doctor::Check;
use crate::engine::api::{EngineEvent, EngineStatus};
use crate::tui::probe::{RaynetFacts, ShoptetAccess, ShoptetFacts};
use crate::webhooks::{Job, Report, SetupError};

/// The six panes, in tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pane {
    #[default]
    Overview,
    Configuration,
    Pending,
    Entities,
    Retry,
    Activity,
}

impl Pane {
    pub const ALL: [Pane; 6] =
        [Pane::Overview, Pane::Configuration, Pane::Pending, Pane::Entities, Pane::Retry, Pane::Activity];

    pub fn index(self) -> usize {
        Pane::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }

    pub fn next(self) -> Pane {
        Pane::ALL[(self.index() + 1) % Pane::ALL.len()]
    }

    pub fn prev(self) -> Pane {
        Pane::ALL[(self.index() + Pane::ALL.len() - 1) % Pane::ALL.len()]
    }
}

#[derive(Debug, Clone)]
pub enum Action {
    /// A raw key, mapped through the keymap of the current mode (or typed into a field).
    Key(KeyEvent),
    Quit,
    Tick(DateTime<Utc>),
    Resize(u16, u16),
    Refresh,
    NextPane,
    PrevPane,
    GoPane(Pane),
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    /// Enter: open the selected order / pick the selected entry.
    Open,
    /// Esc: close the top popup or leave the current mode.
    Back,
    Help,
    CycleSort,
    ReverseSort,
    StartFilter,
    ApplyFilter,
    /// Esc while typing a filter, or on a filtered table: show everything again.
    ClearFilter,
    CycleHow,
    ToggleKind,
    Retry,
    Resync,
    AskSkip,
    ConfirmSkip,
    /// Leave the setup editor and drop what was changed.
    ConfirmDiscard,
    ChooseClient,
    TogglePause,
    SyncNow,
    EditConfig,
    /// `d` on Configuration: run the doctor's checks and show them in the pane.
    RunChecks,
    ChecksDone(Vec<Check>),
    Engine(EngineEvent),
    Status(EngineStatus),
    NamesResolved {
        shoptet: Option<Result<ShoptetFacts, String>>,
        raynet: Option<Result<RaynetFacts, String>>,
    },
    ShoptetTested(Result<ShoptetFacts, String>),
    RaynetTested(Result<RaynetFacts, String>),
    Saved(Result<(), String>),
    /// The wizard's webhook setup (before saving) finished.
    WebhooksSetUp(Result<Report, SetupError>),
    Wizard(WizardAction),
}

/// Wizard navigation; text typed into fields arrives as `Action::Key`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WizardAction {
    Next,
    Back,
    NextField,
    PrevField,
    Up,
    Down,
    Toggle,
    RetryTest,
    /// `e`: back to the form of a connection test, or (editing) from review to the setting.
    Edit,
    PageUp,
    PageDown,
}

/// Work the runner does outside `update` (network, disk); results come back as actions.
#[derive(Debug)]
pub enum Effect {
    TestShoptet {
        base_url: String,
        token: SecretString,
        addon_eshop_url: Option<String>,
    },
    TestRaynet {
        base_url: String,
        instance: String,
        username: String,
        api_key: SecretString,
    },
    /// Fetch both services' lists once so ids can be shown as names.
    ResolveNames(Box<Config>),
    /// Register, move or remove our webhooks at Shoptet and fetch a key, before saving.
    SetUpWebhooks {
        shop: ShoptetAccess,
        job: Job,
    },
    /// The doctor's checks of the configuration in force.
    RunChecks(Box<Config>),
    Save(Box<Config>),
}
