//! Leads: the contact details visitors leave with an agent (one lead per visitor and agent,
//! merged by email when the same person returns), the conversations they came from, and
//! their export.
//!
//! - [`model`]: the lead, its source, the list query and page, the export query.
//! - [`emails`]: the lead notification and the conversation transcript.
//! - [`export`]: CSV and XLSX from a database cursor, whole days in the business time zone.
//!
//! Fed by conversation writes: a write that changes a conversation's gathered information
//! (the handoff's information to gather, a contact left out of hours) holding a name, an
//! email or a phone upserts the lead (`Store::lead_feed`), and a new lead queues the
//! `lead.created` webhook events in its transaction. Permissions: reading and exporting are
//! `ReadConfig` (viewers too); deleting is `ManageConfig` (owners and admins).

pub mod emails;
pub mod export;
pub mod form;
pub mod model;
pub mod settings;

use crate::auth::{Actor, Permission};
use crate::error::{Error, Result};
use crate::{Baton, Id};
use model::{Lead, LeadDeleted, LeadDetail, LeadPage, LeadQuery};
use settings::{LeadSettings, LeadSettingsInput};

/// Leads per page: the default and the most.
pub const PAGE_DEFAULT: u32 = 50;
pub const PAGE_MAX: u32 = 200;

impl Baton {
    /// An agent's lead capture settings (the defaults, all off, until saved).
    pub async fn lead_settings_get(
        &self,
        actor: &Actor,
        agent: Option<Id>,
    ) -> Result<LeadSettings> {
        actor.require(Permission::ReadConfig)?;
        let agent = self.resolve_agent(actor, agent).await?;
        Ok(self.store().lead_settings(agent).await?.unwrap_or_default())
    }

    /// Saves an agent's lead capture settings whole, after checking every field.
    pub async fn lead_settings_set(
        &self,
        actor: &Actor,
        input: LeadSettingsInput,
    ) -> Result<LeadSettings> {
        actor.require(Permission::ManageConfig)?;
        let agent = self.resolve_agent(actor, input.agent_id).await?;
        let mut s = input.settings;
        for list in [
            &mut s.emails.lead_recipients,
            &mut s.emails.transcript_recipients,
        ] {
            for a in list.iter_mut() {
                *a = a.trim().to_owned();
            }
        }
        if let Some(c) = s.gathering.phone_country.as_mut() {
            *c = c.trim().to_ascii_uppercase();
        }
        settings::validate(&s)?;
        self.store().lead_settings_set(agent, &s).await?;
        Ok(s)
    }

    /// A lead was captured in conversation `conversation` (the contact form was submitted, or
    /// gathering completed): its email, when the agent has it on. Best effort: the visitor's
    /// answer never fails with it.
    pub(crate) async fn lead_captured(&self, conversation: Id, lead: Id) {
        match self.lead_captured_notify(conversation, lead).await {
            Ok(true) => self.notifications_wake(),
            Ok(false) => {}
            Err(e) => {
                tracing::warn!(conversation, lead, error = %e, "could not queue the lead email")
            }
        }
    }

    async fn stored_lead(&self, actor: &Actor, id: Id) -> Result<Lead> {
        let lead = self
            .store()
            .lead_get(id)
            .await?
            .ok_or(Error::not_found("lead"))?;
        actor.require_agent(lead.agent_id)?;
        Ok(lead)
    }

    /// An agent's leads, newest first, filtered by search (name, email, phone) and creation
    /// time, in pages (`before_id`).
    pub async fn lead_list(&self, actor: &Actor, q: LeadQuery) -> Result<LeadPage> {
        actor.require(Permission::ReadConfig)?;
        let agent = self.resolve_agent(actor, q.agent_id).await?;
        let limit = crate::fields::page_limit(q.limit, PAGE_DEFAULT, PAGE_MAX)?;
        let mut leads = self
            .store()
            .lead_list(agent, &q, i64::from(limit) + 1)
            .await?;
        let more = leads.len() > limit as usize;
        leads.truncate(limit as usize);
        let next_before_id = if more {
            leads.last().map(|l| l.id)
        } else {
            None
        };
        Ok(LeadPage {
            leads,
            next_before_id,
        })
    }

    /// One lead with the conversations it came from.
    pub async fn lead_get(&self, actor: &Actor, id: Id) -> Result<LeadDetail> {
        actor.require(Permission::ReadConfig)?;
        let lead = self.stored_lead(actor, id).await?;
        let conversations = self.store().lead_conversations(id).await?;
        Ok(LeadDetail {
            lead,
            conversations,
        })
    }

    /// Deletes a lead: its details and its links to conversations. The conversations stay,
    /// with what was gathered in them (a later change to that information makes a new lead).
    pub async fn lead_delete(&self, actor: &Actor, id: Id) -> Result<LeadDeleted> {
        actor.require(Permission::ManageConfig)?;
        self.stored_lead(actor, id).await?;
        let unlinked = self
            .store()
            .lead_delete(id)
            .await?
            .ok_or(Error::not_found("lead"))?;
        Ok(LeadDeleted {
            id,
            conversations_unlinked: unlinked,
            message: format!(
                "Deleted the lead's name, email, phone, other details and consent; \
                 {unlinked} conversation(s) stay, no longer linked to it."
            ),
        })
    }
}
