//! The names behind configured ids (statuses, users, phases…), fetched once from both services.

use crate::tui::probe::{RaynetFacts, ShoptetFacts};

/// What the panes know about names behind configured ids.
#[derive(Debug, Clone, Default)]
pub struct Names {
    pub shoptet: Option<Result<ShoptetFacts, String>>,
    pub raynet: Option<Result<RaynetFacts, String>>,
    pub resolving: bool,
}

impl Names {
    pub fn shoptet(&self) -> Option<&ShoptetFacts> {
        self.shoptet.as_ref().and_then(|r| r.as_ref().ok())
    }
    pub fn raynet(&self) -> Option<&RaynetFacts> {
        self.raynet.as_ref().and_then(|r| r.as_ref().ok())
    }

    /// The zone times are shown in (the e-shop's once known).
    pub fn zone(&self) -> chrono_tz::Tz {
        crate::tui::format::zone(self.shoptet().map(|s| s.timezone.as_str()))
    }
}
