//! Human handoff configuration: the seed 001 contract, its validation and its working hours.

pub mod hours;
pub mod limits;
pub mod model;
pub mod validate;

use std::collections::HashMap;

pub use model::*;

use crate::auth::Role;
use crate::auth::{Actor, Permission};
use crate::error::{Error, Result};
use crate::{Baton, Id};
use validate::NEW_ID;

/// The configuration of a new agent: handoff off (as in seed 003), friendly default messages,
/// weekday office hours ready to switch on, and the generic guidelines with their defaults.
pub fn defaults() -> HandoffConfiguration {
    HandoffConfiguration {
        settings: Settings {
            is_active: false,
            keywords: Vec::new(),
            ai_summary_active: true,
            topic_based_routing_active: false,
            question_message: "Would you like me to connect you with our support team?".into(),
            confirmation_message:
                "I understand. I will transfer you to our support team. Please wait while I connect you."
                    .into(),
            confirmation_outside_working_hours_message:
                "Our team is not available right now. We will get back to you as soon as we are back."
                    .into(),
            working_hours_active: false,
            timezone: "UTC".into(),
            send_email_notification: false,
            emails: Vec::new(),
            auto_priority: false,
            max_failed_answers: 0,
        },
        availability: vec![AvailabilitySlot {
            id: NEW_ID,
            day_span: "monday-friday".into(),
            start_time: "09:00".into(),
            end_time: "17:00".into(),
        }],
        availability_exceptions: Vec::new(),
        generic_guidelines: GenericGuidelineName::ALL
            .into_iter()
            .map(|name| GenericGuideline {
                name,
                description: name.description().into(),
                is_active: name.active_by_default(),
            })
            .collect(),
        custom_guidelines: Vec::new(),
        routing_profiles: Vec::new(),
        information_to_gather: Vec::new(),
    }
}

impl Baton {
    pub async fn handoff_config_get(
        &self,
        actor: &Actor,
        agent_id: Option<Id>,
    ) -> Result<HandoffConfiguration> {
        actor.require(Permission::ReadConfig)?;
        let agent = self.resolve_agent(actor, agent_id).await?;
        self.store()
            .handoff_config(agent)
            .await?
            .ok_or(Error::not_found("agent"))
    }

    /// Validates the whole update against the current configuration and saves it in one
    /// transaction; on any invalid field nothing changes and every problem is reported.
    pub async fn handoff_config_update(
        &self,
        actor: &Actor,
        agent_id: Option<Id>,
        update: HandoffConfigurationUpdate,
    ) -> Result<HandoffConfiguration> {
        actor.require(Permission::ManageConfig)?;
        let agent = self.resolve_agent(actor, agent_id).await?;
        let version = self.store().handoff_config_version(agent).await?;
        let current = self
            .store()
            .handoff_config(agent)
            .await?
            .ok_or(Error::not_found("agent"))?;
        let operators: HashMap<Id, Role> =
            self.store().operator_roles().await?.into_iter().collect();
        let next = validate::apply_update(&current, update, &operators)?;
        self.store()
            .handoff_config_save(agent, &next, version)
            .await?;
        self.store()
            .handoff_config(agent)
            .await?
            .ok_or(Error::not_found("agent"))
    }
}
