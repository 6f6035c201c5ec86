-- Leads (SQLite): one per visitor and agent, merged by email when the same person returns to
-- the same agent. Fed by the conversation writes whose gathered information holds a name, an
-- email or a phone; `lead_conversations` names the conversations a lead came from.
CREATE TABLE leads (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    agent_id     INTEGER NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    visitor_id   TEXT    NOT NULL,
    name         TEXT,
    email        TEXT,
    -- The email lowercased: what leads are merged on.
    email_key    TEXT,
    phone        TEXT,
    custom       TEXT    NOT NULL DEFAULT '{}',
    source       TEXT    NOT NULL CHECK (source IN ('gathering', 'contact_form', 'handoff', 'action_form')),
    consent_text TEXT,
    consent_at   TEXT,
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL
);
CREATE UNIQUE INDEX leads_agent_email ON leads (agent_id, email_key) WHERE email_key IS NOT NULL;
CREATE INDEX leads_agent_visitor ON leads (agent_id, visitor_id);
CREATE INDEX leads_agent_created ON leads (agent_id, created_at, id);

CREATE TABLE lead_conversations (
    lead_id         INTEGER NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    created_at      TEXT    NOT NULL,
    PRIMARY KEY (lead_id, conversation_id)
);
CREATE INDEX lead_conversations_conversation ON lead_conversations (conversation_id);
