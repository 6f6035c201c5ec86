-- Large databases (SQLite): inbox counts that do not grow with the number of conversations,
-- a version number for cached agent configurations, and a conversation's last activity kept
-- by the statement that stores a message.

-- Conversations per agent and status, kept by triggers in the transaction of every insert,
-- delete and status change, whatever statement makes it. The inbox's needs_agent, all_open
-- and resolved counts read a few rows here instead of counting the conversations table.
CREATE TABLE conversation_counts (
    agent_id INTEGER NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    status   TEXT    NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (agent_id, status)
) WITHOUT ROWID;

INSERT INTO conversation_counts (agent_id, status, n)
    SELECT agent_id, status, COUNT(*) FROM conversations GROUP BY agent_id, status;

CREATE TRIGGER conversation_counts_insert AFTER INSERT ON conversations BEGIN
    INSERT INTO conversation_counts (agent_id, status, n) VALUES (new.agent_id, new.status, 1)
        ON CONFLICT (agent_id, status) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER conversation_counts_delete AFTER DELETE ON conversations BEGIN
    UPDATE conversation_counts SET n = n - 1 WHERE agent_id = old.agent_id AND status = old.status;
END;

CREATE TRIGGER conversation_counts_update AFTER UPDATE OF agent_id, status ON conversations
    WHEN new.agent_id <> old.agent_id OR new.status <> old.status
BEGIN
    UPDATE conversation_counts SET n = n - 1 WHERE agent_id = old.agent_id AND status = old.status;
    INSERT INTO conversation_counts (agent_id, status, n) VALUES (new.agent_id, new.status, 1)
        ON CONFLICT (agent_id, status) DO UPDATE SET n = n + 1;
END;

-- A number that changes whenever anything the decision pipeline caches about an agent changes:
-- every configuration save rewrites the settings row, and the agent's description is the
-- model's instructions.
ALTER TABLE handoff_settings ADD COLUMN version INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER handoff_settings_version AFTER UPDATE ON handoff_settings
    WHEN new.version = old.version
BEGIN
    UPDATE handoff_settings SET version = old.version + 1 WHERE agent_id = new.agent_id;
END;

CREATE TRIGGER agents_description_version AFTER UPDATE OF description ON agents
    WHEN new.description IS NOT old.description
BEGIN
    UPDATE handoff_settings SET version = version + 1 WHERE agent_id = new.id;
END;

-- A visible message moves its conversation's last activity, in the statement that stores it.
CREATE TRIGGER messages_last_message_at AFTER INSERT ON messages WHEN NOT new.internal
BEGIN
    UPDATE conversations SET last_message_at = new.created_at, updated_at = new.created_at
        WHERE id = new.conversation_id;
END;
