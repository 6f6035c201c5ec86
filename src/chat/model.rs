//! What a visitor sees besides text, as the owner configures it and as the widget receives
//! it: action button groups (AIBotKit's Action Buttons) and handover channels (its Human
//! Handover: the inbox, an email form, WhatsApp, Telegram, Instagram, Messenger).

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

use crate::Id;

/// A group of 1–3 buttons shown under the agent's reply when the visitor's message matches
/// its trigger ("When the visitor asks about cost, pricing or plans").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ButtonGroup {
    /// Stable id, given by Baton on the first save (send it back to keep the group's clicks
    /// together); empty or omitted for a new group.
    #[serde(default)]
    pub id: String,
    /// For the owner only; visitors never see it (≤ 100 characters).
    pub name: String,
    /// 1–3 buttons, in the order shown.
    pub buttons: Vec<ChatButton>,
    /// When should these buttons appear? Plain words, required (≤ 500 characters).
    pub trigger: String,
    /// Visitor phrases that should show the group (≤ 20, each ≤ 200 characters).
    #[serde(default)]
    pub examples: Vec<String>,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChatButton {
    /// What the visitor reads (≤ 40 characters).
    pub label: String,
    /// An `https://` or `http://` address, opened in a new tab.
    pub url: String,
    /// `lucide:NAME` (the built-in set, [`crate::chat::icons`]), `upload:ID` (an uploaded
    /// image, see `icon_upload`), or null for no icon.
    #[serde(default)]
    pub icon: Option<String>,
}

/// An agent's button groups (at most 5).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct ButtonGroups {
    pub groups: Vec<ButtonGroup>,
}

#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ButtonGroupsInput {
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub agent_id: Option<Id>,
    pub groups: Vec<ButtonGroup>,
}

/// A button as the widget renders it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct ButtonView {
    /// Its position in the group (what a click reports).
    #[ts(type = "number")]
    pub index: u32,
    pub label: String,
    pub url: String,
    /// Where the icon is served, relative to the server (`/v1/icons/…`); null: no icon.
    pub icon_url: Option<String>,
}

/// A visitor clicked a button: which group and which of its buttons.
#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ButtonClick {
    pub group_id: String,
    #[ts(type = "number")]
    pub index: u32,
}

/// One icon of the built-in set, for the picker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct BuiltinIcon {
    /// What a button stores (`lucide:dollar-sign`).
    pub icon: String,
    pub name: String,
    /// The words the search matches besides the name.
    pub keywords: String,
    /// The icon as an SVG document (safe to show: it is Baton's own).
    pub svg: String,
}

#[derive(Debug, Clone, Default, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IconSearch {
    /// Part of a name or keyword; empty lists every icon.
    #[serde(default)]
    #[ts(optional)]
    pub search: Option<String>,
}

/// An image to use as a button icon: SVG, PNG, JPEG or WebP, at most 1 MiB, judged by its
/// content (not its name). An SVG is sanitised before it is stored.
#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IconUpload {
    /// The file's name, for messages only.
    #[serde(default)]
    #[ts(optional)]
    pub file_name: Option<String>,
    /// The file's bytes, base64 (standard alphabet).
    pub data_base64: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct IconUploaded {
    /// What a button stores (`upload:…`).
    pub icon: String,
    pub mime_type: String,
    #[ts(type = "number")]
    pub bytes: u64,
    /// Where it is served (`/v1/icons/…`).
    pub url: String,
    /// What sanitising removed from an SVG (elements and attributes), for the owner.
    pub removed: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IconRef {
    /// `lucide:NAME` or `upload:ID`.
    pub icon: String,
}

/// An icon's bytes as a `data:` URL (the desktop app shows uploads without a server).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct IconData {
    pub mime_type: String,
    pub data_url: String,
}

/// The ways a visitor can reach a person when the agent hands over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HandoverChannel {
    /// A person takes over here, in Baton's inbox (the handoff as it always was).
    Inbox,
    /// An in-chat contact form, then an email to the support address.
    Email,
    Whatsapp,
    Telegram,
    Instagram,
    Messenger,
}

impl HandoverChannel {
    pub const ALL: [HandoverChannel; 6] = [
        HandoverChannel::Inbox,
        HandoverChannel::Email,
        HandoverChannel::Whatsapp,
        HandoverChannel::Telegram,
        HandoverChannel::Instagram,
        HandoverChannel::Messenger,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            HandoverChannel::Inbox => "inbox",
            HandoverChannel::Email => "email",
            HandoverChannel::Whatsapp => "whatsapp",
            HandoverChannel::Telegram => "telegram",
            HandoverChannel::Instagram => "instagram",
            HandoverChannel::Messenger => "messenger",
        }
    }

    /// The channel's name as people write it.
    pub fn title(self) -> &'static str {
        match self {
            HandoverChannel::Inbox => "chat here",
            HandoverChannel::Email => "email",
            HandoverChannel::Whatsapp => "WhatsApp",
            HandoverChannel::Telegram => "Telegram",
            HandoverChannel::Instagram => "Instagram",
            HandoverChannel::Messenger => "Messenger",
        }
    }
}

/// An agent's handover channels (in the handoff settings). The default is the inbox alone:
/// the handoff as it was before channels existed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HandoverChannels {
    /// Said with the channel buttons when the agent hands over (≤ 500 characters).
    pub transition_message: String,
    /// Said after the visitor sends the email channel's form (≤ 500 characters).
    pub confirmation_message: String,
    pub inbox: InboxChannel,
    pub email: EmailChannel,
    pub whatsapp: WhatsappChannel,
    pub telegram: HandleChannel,
    pub instagram: HandleChannel,
    pub messenger: HandleChannel,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InboxChannel {
    pub enabled: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailChannel {
    pub enabled: bool,
    /// Where the visitor's request goes.
    pub address: String,
    /// Also send the visitor a receipt (when they gave an email address).
    pub send_confirmation: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WhatsappChannel {
    pub enabled: bool,
    /// The support number in international format (`+14155550123`); stored in E.164.
    pub phone: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HandleChannel {
    pub enabled: bool,
    /// The username (without `@`), or for Messenger the page's username or id.
    pub username: String,
}

impl Default for HandoverChannels {
    fn default() -> Self {
        HandoverChannels {
            transition_message: "I'll forward your question to our team so they can help you \
                                 better. How would you like to reach us?"
                .into(),
            confirmation_message: "Thanks! Our team has received your message and will get \
                                   back to you shortly."
                .into(),
            inbox: InboxChannel { enabled: true },
            email: EmailChannel::default(),
            whatsapp: WhatsappChannel::default(),
            telegram: HandleChannel::default(),
            instagram: HandleChannel::default(),
            messenger: HandleChannel::default(),
        }
    }
}

impl HandoverChannels {
    /// The enabled channels, in the order the buttons are shown.
    pub fn enabled(&self) -> Vec<HandoverChannel> {
        HandoverChannel::ALL
            .into_iter()
            .filter(|c| self.is_enabled(*c))
            .collect()
    }

    pub fn is_enabled(&self, c: HandoverChannel) -> bool {
        match c {
            HandoverChannel::Inbox => self.inbox.enabled,
            HandoverChannel::Email => self.email.enabled,
            HandoverChannel::Whatsapp => self.whatsapp.enabled,
            HandoverChannel::Telegram => self.telegram.enabled,
            HandoverChannel::Instagram => self.instagram.enabled,
            HandoverChannel::Messenger => self.messenger.enabled,
        }
    }

    /// Only the inbox: the handoff goes as it always did, without channel buttons.
    pub fn inbox_only(&self) -> bool {
        self.enabled() == [HandoverChannel::Inbox]
    }
}

#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HandoverChannelsInput {
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub agent_id: Option<Id>,
    pub channels: HandoverChannels,
}

/// A channel button as the widget renders it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct ChannelOption {
    pub channel: HandoverChannel,
    pub label: String,
    /// The deep link a messaging channel opens (in a new tab), with the summary pre-filled
    /// where the platform allows (WhatsApp, Telegram); null for the inbox and email.
    pub url: Option<String>,
}

/// The visitor chose a handover channel.
#[derive(Debug, Clone, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChannelChoice {
    pub channel: HandoverChannel,
}

/// What choosing a channel brings: the inbox's confirmation, or the email channel's form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct ChannelChosen {
    /// The agent's answer (the inbox: a person will take over here), if any.
    pub message: Option<crate::conversations::Message>,
    /// The form to show (the email channel).
    pub contact_form: Option<crate::leads::model::ContactFormView>,
}
