//! What a visitor sees in the chat besides text: action button groups under the agent's
//! replies, and the handover channels offered when the agent hands over.
//!
//! - `model.rs` — the groups, buttons and channels as saved and as the widget gets them.
//! - `validate.rs` — every limit and the checks of a save.
//! - `icons/` — the built-in icon set, uploads checked by content, SVG sanitising.
//! - `channels.rs` — the channel buttons and their deep links.
//! - here: the operations on `Baton` (`ReadConfig` to read, `ManageConfig` to change) and the
//!   visitor's side (a click recorded, a channel chosen, the email channel's form).
//!
//! The pipeline's parts are `conversations/pipeline/buttons.rs` (which group a reply shows)
//! and the handoff's completion (`steps.rs`, the channel buttons).

pub mod channels;
pub mod icons;
pub mod model;
pub mod validate;

use base64::Engine as _;

use crate::auth::{Actor, Permission};
use crate::conversations::events::LiveKind;
use crate::conversations::model::{NewMessage, VisitorEvent};
use crate::conversations::timeline::{NewEvent, TimelineKind};
use crate::engine::{Author, SummaryInput};
use crate::error::{Error, Result};
use crate::leads::model::{ContactFormResult, ContactFormSubmit, LeadSource};
use crate::leads::settings::{FieldMode, LeadSettings};
use crate::store::conversations::{ConversationSnapshot, ConversationWrite, LeadFeed};
use crate::tokens::hash_token;
use crate::{Baton, Id};
use model::*;

/// A new group's id: 12 hex characters.
fn new_group_id() -> String {
    use rand::RngCore;
    let mut b = [0u8; 6];
    rand::rngs::OsRng.fill_bytes(&mut b);
    hex::encode(b)
}

fn good_group_id(id: &str) -> bool {
    (1..=32).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// The form the email channel shows: the agent's contact form when it has one, else name
/// (optional), email (required) and phone (optional).
fn email_form(s: &LeadSettings) -> LeadSettings {
    let mut s = s.clone();
    if !s.contact_form.enabled {
        s.contact_form.enabled = true;
        s.contact_form.heading = "How can our team reach you?".into();
        s.contact_form.name = FieldMode::Optional;
        s.contact_form.email = FieldMode::Required;
        s.contact_form.phone = FieldMode::Optional;
        s.contact_form.consent = false;
    }
    s
}

impl Baton {
    pub async fn button_groups_get(
        &self,
        actor: &Actor,
        agent: Option<Id>,
    ) -> Result<ButtonGroups> {
        actor.require(Permission::ReadConfig)?;
        let agent = self.resolve_agent(actor, agent).await?;
        Ok(ButtonGroups {
            groups: self.store().button_groups(agent).await?,
        })
    }

    /// Saves an agent's button groups whole (ids kept, new groups given one), after checking
    /// every field and that each uploaded icon exists.
    pub async fn button_groups_set(
        &self,
        actor: &Actor,
        input: ButtonGroupsInput,
    ) -> Result<ButtonGroups> {
        actor.require(Permission::ManageConfig)?;
        let agent = self.resolve_agent(actor, input.agent_id).await?;
        let mut groups = input.groups;
        for g in groups.iter_mut() {
            g.name = g.name.trim().to_owned();
            g.trigger = g.trigger.trim().to_owned();
            g.examples = g
                .examples
                .iter()
                .map(|e| e.trim().to_owned())
                .filter(|e| !e.is_empty())
                .collect();
            for b in g.buttons.iter_mut() {
                b.label = b.label.trim().to_owned();
                b.url = b.url.trim().to_owned();
                b.icon = b.icon.take().filter(|i| !i.trim().is_empty());
            }
        }
        validate::button_groups(&groups)?;
        let mut p = crate::error::Problems::new();
        for (i, g) in groups.iter().enumerate() {
            for (j, b) in g.buttons.iter().enumerate() {
                if let Some(icons::IconRef::Upload(hash)) =
                    b.icon.as_deref().and_then(icons::IconRef::parse)
                {
                    if self.store().icon_get(hash).await?.is_none() {
                        p.push(
                            format!("groups[{i}].buttons[{j}].icon"),
                            "unknown_icon",
                            "no uploaded icon has this id; upload it first",
                        );
                    }
                }
            }
        }
        p.into_result()?;
        let mut seen = Vec::new();
        for g in groups.iter_mut() {
            if !good_group_id(&g.id) || seen.contains(&g.id) {
                g.id = new_group_id();
            }
            seen.push(g.id.clone());
        }
        self.store().button_groups_set(agent, &groups).await?;
        Ok(ButtonGroups { groups })
    }

    /// The built-in icons matching `search`.
    pub fn icon_list(&self, actor: &Actor, q: IconSearch) -> Result<Vec<BuiltinIcon>> {
        actor.require(Permission::ReadConfig)?;
        Ok(icons::search(q.search.as_deref().unwrap_or("")))
    }

    /// Checks an uploaded image by its content (sanitising an SVG) and stores it.
    pub async fn icon_upload(&self, actor: &Actor, input: IconUpload) -> Result<IconUploaded> {
        actor.require(Permission::ManageConfig)?;
        let data = base64::engine::general_purpose::STANDARD
            .decode(input.data_base64.trim())
            .map_err(|_| Error::invalid("data_base64", "invalid", "not base64"))?;
        let c = icons::check_upload(&data)
            .map_err(|m| Error::invalid("data_base64", "invalid_image", m))?;
        self.store()
            .icon_insert(&c.hash, c.mime_type, &c.bytes)
            .await?;
        let icon = format!("upload:{}", c.hash);
        Ok(IconUploaded {
            url: icons::url(&icon),
            icon,
            mime_type: c.mime_type.to_owned(),
            bytes: c.bytes.len() as u64,
            removed: c.removed,
        })
    }

    /// An icon's type and bytes, for anyone (icons are what visitors are shown).
    pub async fn icon_bytes(&self, icon: &str) -> Result<(String, Vec<u8>)> {
        match icons::IconRef::parse(icon).ok_or(Error::not_found("icon"))? {
            icons::IconRef::Builtin(name) => Ok((
                "image/svg+xml".into(),
                icons::builtin_svg(name)
                    .ok_or(Error::not_found("icon"))?
                    .into_bytes(),
            )),
            icons::IconRef::Upload(hash) => self
                .store()
                .icon_get(hash)
                .await?
                .ok_or(Error::not_found("icon")),
        }
    }

    /// An icon as a `data:` URL (the desktop app's playground, which has no server to load
    /// icons from).
    pub async fn icon_data(&self, actor: &Actor, r: IconRef) -> Result<IconData> {
        actor.require(Permission::ReadConfig)?;
        let (mime_type, bytes) = self.icon_bytes(&r.icon).await?;
        let b64 = base64::engine::general_purpose::STANDARD.encode(&bytes);
        Ok(IconData {
            data_url: format!("data:{mime_type};base64,{b64}"),
            mime_type,
        })
    }

    /// An agent's handover channels (the inbox alone until saved).
    pub async fn handover_channels_get(
        &self,
        actor: &Actor,
        agent: Option<Id>,
    ) -> Result<HandoverChannels> {
        actor.require(Permission::ReadConfig)?;
        let agent = self.resolve_agent(actor, agent).await?;
        Ok(self
            .store()
            .handover_channels(agent)
            .await?
            .unwrap_or_default())
    }

    pub async fn handover_channels_set(
        &self,
        actor: &Actor,
        input: HandoverChannelsInput,
    ) -> Result<HandoverChannels> {
        actor.require(Permission::ManageConfig)?;
        let agent = self.resolve_agent(actor, input.agent_id).await?;
        let mut c = input.channels;
        c.transition_message = c.transition_message.trim().to_owned();
        c.confirmation_message = c.confirmation_message.trim().to_owned();
        validate::channels(&mut c)?;
        self.store().handover_channels_set(agent, &c).await?;
        Ok(c)
    }

    async fn visitor_snapshot(&self, id: Id, token: &str) -> Result<ConversationSnapshot> {
        self.store()
            .conversation_snapshot(id, &hash_token(token), None)
            .await?
            .ok_or(Error::not_found("conversation"))
    }

    /// The visitor clicked an action button: on the conversation's timeline (which button,
    /// of which group, to where; the time is the entry's). 404 for a group or button the
    /// agent does not have.
    pub async fn visitor_button_click(
        &self,
        id: Id,
        token: &str,
        click: ButtonClick,
    ) -> Result<()> {
        let _guard = self.conversation_lock(id).await;
        let snapshot = self.visitor_snapshot(id, token).await?;
        let group = snapshot
            .button_groups
            .iter()
            .find(|g| g.id == click.group_id)
            .ok_or(Error::not_found("button group"))?;
        let button = group
            .buttons
            .get(click.index as usize)
            .ok_or(Error::not_found("button"))?;
        let before = snapshot.state();
        let events = [NewEvent::note(
            TimelineKind::ButtonClicked,
            format!("“{}” ({}) → {}", button.label, group.name, button.url),
        )];
        let write = ConversationWrite {
            events: &events,
            ..ConversationWrite::new(&before, &before)
        };
        self.store().conversation_write(id, write).await?;
        Ok(())
    }

    /// The visitor chose a way to reach the team after a handover: recorded on the timeline;
    /// the inbox answers that a person will take over here, the email channel gives its
    /// form. 409 when the conversation was not handed over or the channel is off.
    pub async fn visitor_channel_choose(
        &self,
        id: Id,
        token: &str,
        choice: ChannelChoice,
    ) -> Result<ChannelChosen> {
        let _guard = self.conversation_lock(id).await;
        let snapshot = self.visitor_snapshot(id, token).await?;
        let conv = &snapshot.conversation;
        if conv.handed_off_at.is_none() {
            return Err(Error::conflict(
                "the conversation has not been handed over",
                None,
            ));
        }
        let channels = self
            .store()
            .handover_channels(conv.agent_id)
            .await?
            .unwrap_or_default();
        if !channels.is_enabled(choice.channel) {
            return Err(Error::conflict(
                format!("the {} channel is off", choice.channel.title()),
                Some("channel"),
            ));
        }
        let before = snapshot.state();
        let events = [NewEvent::note(
            TimelineKind::ChannelChosen,
            choice.channel.title(),
        )];
        let confirmation = if choice.channel == model::HandoverChannel::Inbox {
            self.store()
                .handoff_config(conv.agent_id)
                .await?
                .map(|c| c.settings.confirmation_message)
                .filter(|t| !t.trim().is_empty())
        } else {
            None
        };
        let replies: Vec<NewMessage> = confirmation
            .iter()
            .map(|text| NewMessage {
                author: Author::Ai,
                operator_id: None,
                text: text.clone(),
                attachments: Vec::new(),
                internal: false,
            })
            .collect();
        let write = ConversationWrite {
            events: &events,
            replies: &replies,
            ..ConversationWrite::new(&before, &before)
        };
        let written = self.store().conversation_write(id, write).await?;
        let message = written.replies.first().cloned();
        if let Some(m) = &message {
            self.publish(conv, LiveKind::Message { message: m.clone() });
        }
        let contact_form = (choice.channel == model::HandoverChannel::Email).then(|| {
            crate::leads::form::view(&email_form(
                &snapshot.lead_settings.clone().unwrap_or_default(),
            ))
        });
        Ok(ChannelChosen {
            message,
            contact_form,
        })
    }

    /// The email channel's form: the details become the conversation's lead (source
    /// `handoff`), the support address gets the visitor's details, the summary, a link and
    /// the conversation id, the visitor a receipt when the channel sends one, and the
    /// channel's confirmation message is the answer.
    pub async fn visitor_handover_email(
        &self,
        id: Id,
        token: &str,
        input: ContactFormSubmit,
    ) -> Result<ContactFormResult> {
        let _guard = self.conversation_lock(id).await;
        let snapshot = self.visitor_snapshot(id, token).await?;
        let conv = snapshot.conversation.clone();
        let channels = self
            .store()
            .handover_channels(conv.agent_id)
            .await?
            .unwrap_or_default();
        if !channels.email.enabled || conv.handed_off_at.is_none() {
            return Err(Error::conflict(
                "the email channel is not offered in this conversation",
                None,
            ));
        }
        let form = email_form(&snapshot.lead_settings.clone().unwrap_or_default());
        let (name, email, phone) = crate::leads::form::check(&form, &input)?;
        let before = snapshot.state();
        let mut state = before.clone();
        let mut said = Vec::new();
        for (key, v) in [("Name", &name), ("Email", &email), ("Phone", &phone)] {
            if let Some(v) = v {
                state.gathered.insert(key.into(), v.clone());
                said.push(format!("{key}: {v}"));
            }
        }
        let consent = form.contact_form.consent.then(|| {
            (
                form.contact_form.consent_message.clone(),
                chrono::Utc::now(),
            )
        });
        let summary = match &conv.ai_summary {
            Some(s) => s.clone(),
            None => {
                let gathered = state.gathered_pairs();
                crate::engine::builtin::BuiltinEngine.summarize(&SummaryInput {
                    transcript: &snapshot.transcript,
                    gathered: &gathered,
                    trigger: conv.handoff_reason.as_deref().unwrap_or("handed over"),
                })
            }
        };
        let base = self.public_url().await?;
        let link = crate::public_url::conversation_link(&base, id);
        let mut text = format!(
            "A visitor asked to be contacted by email after a handover.\n\n{}\n\nSummary:\n{}\n\n\
             Conversation: {link}\nConversation id: {id}\n",
            said.join("\n"),
            summary.trim()
        );
        if let Some(r) = &conv.handoff_reason {
            text.push_str(&format!("Why it was handed over: {r}\n"));
        }
        let who = name
            .clone()
            .or(email.clone())
            .unwrap_or_else(|| "a visitor".into());
        let mut jobs = vec![crate::outbox::Job::Email(crate::notify::Email {
            to: vec![channels.email.address.clone()],
            subject: format!("Handover request from {who} (conversation #{id})"),
            text,
            html: None,
        })];
        if let (true, Some(to)) = (channels.email.send_confirmation, &email) {
            jobs.push(crate::outbox::Job::Email(crate::notify::Email {
                to: vec![to.clone()],
                subject: "We received your message".into(),
                text: format!(
                    "{}\n\nWhat you told us:\n{}\n",
                    channels.confirmation_message,
                    said.join("\n")
                ),
                html: None,
            }));
        }
        let reply_text = channels.confirmation_message.clone();
        let replies = [NewMessage {
            author: Author::Ai,
            operator_id: None,
            text: reply_text.clone(),
            attachments: Vec::new(),
            internal: false,
        }];
        let events = [NewEvent::note(
            TimelineKind::ContactForm,
            format!("by email: {}", said.join(" · ")),
        )];
        let write = ConversationWrite {
            replies: &replies,
            events: &events,
            jobs: &jobs,
            lead: Some(LeadFeed {
                source: LeadSource::Handoff,
                consent,
            }),
            ..ConversationWrite::new(&before, &state)
        };
        let written = self.store().conversation_write(id, write).await?;
        let message = written
            .replies
            .first()
            .cloned()
            .ok_or_else(|| Error::Internal("the confirmation was not stored".into()))?;
        let conversation = conv.with_state(&state);
        self.publish(
            &conversation,
            LiveKind::Message {
                message: message.clone(),
            },
        );
        self.publish(
            &conversation,
            LiveKind::Visitor {
                event: VisitorEvent::Reply { text: reply_text },
            },
        );
        self.notifications_wake();
        Ok(ContactFormResult { message })
    }
}
