//! The draft's text fields: which input a field is, what is wrong with it, typing into it.

use crossterm::event::Event;
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use crate::tui::i18n::Texts;
use crate::tui::wizard::Wizard;
use crate::tui::wizard::validate::{self, Field};

impl Wizard {
    pub fn input_of(&self, field: Field) -> Option<&Input> {
        Some(match field {
            Field::ShoptetUrl => &self.shoptet_url,
            Field::ShoptetToken => &self.shoptet_token,
            Field::RaynetUrl => &self.raynet_url,
            Field::Instance => &self.instance,
            Field::Username => &self.username,
            Field::ApiKey => &self.api_key,
            Field::Start => &self.start,
            Field::Listen => &self.listen,
            Field::PublicUrl => &self.public_url,
            Field::EshopUrl => &self.eshop_url,
            Field::PollInterval => &self.poll,
            Field::NameTemplate => &self.name_template,
            Field::WebhookEnabled | Field::ShoptetAddon | Field::RenewKey => return None,
        })
    }

    fn input_mut(&mut self, field: Field) -> Option<&mut Input> {
        Some(match field {
            Field::ShoptetUrl => &mut self.shoptet_url,
            Field::ShoptetToken => &mut self.shoptet_token,
            Field::RaynetUrl => &mut self.raynet_url,
            Field::Instance => &mut self.instance,
            Field::Username => &mut self.username,
            Field::ApiKey => &mut self.api_key,
            Field::Start => &mut self.start,
            Field::Listen => &mut self.listen,
            Field::PublicUrl => &mut self.public_url,
            Field::EshopUrl => &mut self.eshop_url,
            Field::PollInterval => &mut self.poll,
            Field::NameTemplate => &mut self.name_template,
            Field::WebhookEnabled | Field::ShoptetAddon | Field::RenewKey => return None,
        })
    }

    pub fn problem(&self, field: Field, t: &'static Texts) -> Option<&'static str> {
        let value = self.input_of(field).map(Input::value).unwrap_or("");
        let sw = validate::Switches { addon: self.addon, webhook: self.webhook_enabled };
        validate::problem(field, value, sw, self.tz(), t)
    }

    /// Typed text for the focused field.
    pub fn input(&mut self, event: &Event) {
        if let Some(field) = self.focused_field()
            && let Some(input) = self.input_mut(field)
            && input.handle_event(event).is_some()
            && field == Field::Start
        {
            self.start_touched = true;
            self.start_edited = true;
        }
    }
}
