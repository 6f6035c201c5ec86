-- A number per agent that changes with every insert, update and delete of one of its actions,
-- whichever process or statement makes it, in that statement's transaction: what the
-- pipeline's cache of an agent's active actions is checked against (`Baton::actions_active`).
-- No foreign key: the row outlives its agent, so an agent id never sees a version again.
CREATE TABLE action_versions (
    agent_id INTEGER PRIMARY KEY,
    version  INTEGER NOT NULL
);

INSERT INTO action_versions (agent_id, version) SELECT DISTINCT agent_id, 1 FROM actions;

CREATE TRIGGER actions_version_insert AFTER INSERT ON actions BEGIN
    INSERT INTO action_versions (agent_id, version) VALUES (new.agent_id, 1)
        ON CONFLICT (agent_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER actions_version_update AFTER UPDATE ON actions BEGIN
    INSERT INTO action_versions (agent_id, version) VALUES (new.agent_id, 1)
        ON CONFLICT (agent_id) DO UPDATE SET version = version + 1;
    INSERT INTO action_versions (agent_id, version) SELECT old.agent_id, 1
        WHERE old.agent_id <> new.agent_id
        ON CONFLICT (agent_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER actions_version_delete AFTER DELETE ON actions BEGIN
    INSERT INTO action_versions (agent_id, version) VALUES (old.agent_id, 1)
        ON CONFLICT (agent_id) DO UPDATE SET version = version + 1;
END;
