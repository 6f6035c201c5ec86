-- The first-run checklist asks whether an agent had a playground or a widget conversation.
CREATE INDEX conversations_agent_channel ON conversations (agent_id, channel);
