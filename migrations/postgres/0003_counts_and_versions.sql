-- Large databases (PostgreSQL): inbox counts that do not grow with the number of conversations,
-- a version number for cached agent configurations, and a conversation's last activity kept
-- by the statement that stores a message.

-- Conversations per agent and status, kept by triggers in the transaction of every insert,
-- delete and status change, whatever statement makes it. The inbox's needs_agent, all_open
-- and resolved counts read a few rows here instead of counting the conversations table.
CREATE TABLE conversation_counts (
    agent_id BIGINT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    status   TEXT   NOT NULL,
    n        BIGINT NOT NULL,
    PRIMARY KEY (agent_id, status)
);

INSERT INTO conversation_counts (agent_id, status, n)
    SELECT agent_id, status, COUNT(*) FROM conversations GROUP BY agent_id, status;

CREATE FUNCTION conversation_counts_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Rows are always locked in (agent_id, status) order, so that two transactions moving
    -- conversations in opposite directions cannot deadlock.
    IF TG_OP = 'INSERT' THEN
        INSERT INTO conversation_counts (agent_id, status, n) VALUES (NEW.agent_id, NEW.status, 1)
            ON CONFLICT (agent_id, status) DO UPDATE SET n = conversation_counts.n + 1;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE conversation_counts SET n = n - 1
            WHERE agent_id = OLD.agent_id AND status = OLD.status;
    ELSIF (NEW.agent_id, NEW.status) < (OLD.agent_id, OLD.status) THEN
        INSERT INTO conversation_counts (agent_id, status, n) VALUES (NEW.agent_id, NEW.status, 1)
            ON CONFLICT (agent_id, status) DO UPDATE SET n = conversation_counts.n + 1;
        UPDATE conversation_counts SET n = n - 1
            WHERE agent_id = OLD.agent_id AND status = OLD.status;
    ELSE
        UPDATE conversation_counts SET n = n - 1
            WHERE agent_id = OLD.agent_id AND status = OLD.status;
        INSERT INTO conversation_counts (agent_id, status, n) VALUES (NEW.agent_id, NEW.status, 1)
            ON CONFLICT (agent_id, status) DO UPDATE SET n = conversation_counts.n + 1;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER conversation_counts_insert_delete AFTER INSERT OR DELETE ON conversations
    FOR EACH ROW EXECUTE FUNCTION conversation_counts_track();

CREATE TRIGGER conversation_counts_update AFTER UPDATE OF agent_id, status ON conversations
    FOR EACH ROW
    WHEN (NEW.agent_id IS DISTINCT FROM OLD.agent_id OR NEW.status IS DISTINCT FROM OLD.status)
    EXECUTE FUNCTION conversation_counts_track();

-- A number that changes whenever anything the decision pipeline caches about an agent changes:
-- every configuration save rewrites the settings row, and the agent's description is the
-- model's instructions.
ALTER TABLE handoff_settings ADD COLUMN version BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION handoff_settings_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.version := OLD.version + 1;
    RETURN NEW;
END $$;

CREATE TRIGGER handoff_settings_version BEFORE UPDATE ON handoff_settings
    FOR EACH ROW EXECUTE FUNCTION handoff_settings_version();

CREATE FUNCTION agents_description_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE handoff_settings SET version = version + 1 WHERE agent_id = NEW.id;
    RETURN NULL;
END $$;

CREATE TRIGGER agents_description_version AFTER UPDATE OF description ON agents
    FOR EACH ROW WHEN (NEW.description IS DISTINCT FROM OLD.description)
    EXECUTE FUNCTION agents_description_version();

-- A visible message moves its conversation's last activity, in the statement that stores it.
CREATE FUNCTION messages_last_message_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE conversations SET last_message_at = NEW.created_at, updated_at = NEW.created_at
        WHERE id = NEW.conversation_id;
    RETURN NULL;
END $$;

CREATE TRIGGER messages_last_message_at AFTER INSERT ON messages
    FOR EACH ROW WHEN (NOT NEW.internal) EXECUTE FUNCTION messages_last_message_at();
