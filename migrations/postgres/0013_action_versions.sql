-- A number per agent that changes with every insert, update and delete of one of its actions,
-- whichever process or statement makes it, in that statement's transaction: what the
-- pipeline's cache of an agent's active actions is checked against (`Baton::actions_active`).
-- No foreign key: the row outlives its agent, so an agent id never sees a version again.
CREATE TABLE action_versions (
    agent_id BIGINT PRIMARY KEY,
    version  BIGINT NOT NULL
);

INSERT INTO action_versions (agent_id, version) SELECT DISTINCT agent_id, 1 FROM actions;

CREATE FUNCTION actions_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO action_versions (agent_id, version) VALUES (OLD.agent_id, 1)
            ON CONFLICT (agent_id) DO UPDATE SET version = action_versions.version + 1;
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.agent_id <> OLD.agent_id) THEN
        INSERT INTO action_versions (agent_id, version) VALUES (NEW.agent_id, 1)
            ON CONFLICT (agent_id) DO UPDATE SET version = action_versions.version + 1;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER actions_version AFTER INSERT OR UPDATE OR DELETE ON actions
    FOR EACH ROW EXECUTE FUNCTION actions_version_bump();
