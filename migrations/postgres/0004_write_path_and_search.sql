-- The statements that store messages now move their conversation's last activity themselves,
-- in the transaction that also writes the rest of its state: the trigger of 0003 would only
-- update the same row again.
DROP TRIGGER messages_last_message_at ON messages;
DROP FUNCTION messages_last_message_at();

DROP TRIGGER conversation_counts_insert_delete ON conversations;
DROP TRIGGER conversation_counts_update ON conversations;
DROP FUNCTION conversation_counts_track();
DROP TABLE conversation_counts;

-- The counts of 0003, each spread over 16 rows (by conversation id), so that concurrent
-- transactions (new conversations, handoffs) seldom wait for the same row.
CREATE TABLE conversation_counts (
    agent_id BIGINT   NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    status   TEXT     NOT NULL,
    shard    SMALLINT NOT NULL,
    n        BIGINT   NOT NULL,
    PRIMARY KEY (agent_id, status, shard)
);

INSERT INTO conversation_counts (agent_id, status, shard, n)
    SELECT agent_id, status, (id % 16)::smallint, COUNT(*) FROM conversations
    GROUP BY agent_id, status, id % 16;

-- New and deleted conversations are counted once per statement, from its transition table: a
-- bulk insert adds to each count once instead of updating the same row for every conversation.
-- Rows are always locked in (agent_id, status, shard) order, so two transactions cannot deadlock.
CREATE FUNCTION conversation_counts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO conversation_counts (agent_id, status, shard, n)
        SELECT agent_id, status, (id % 16)::smallint, COUNT(*) FROM inserted
        GROUP BY agent_id, status, id % 16 ORDER BY 1, 2, 3
        ON CONFLICT (agent_id, status, shard) DO UPDATE SET n = conversation_counts.n + EXCLUDED.n;
    RETURN NULL;
END $$;

CREATE FUNCTION conversation_counts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE conversation_counts c SET n = c.n - d.n
        FROM (SELECT agent_id, status, (id % 16)::smallint AS shard, COUNT(*) AS n FROM deleted
              GROUP BY agent_id, status, id % 16) d
        WHERE c.agent_id = d.agent_id AND c.status = d.status AND c.shard = d.shard;
    RETURN NULL;
END $$;

-- A status or agent change moves one conversation between two counts (row by row: the hot path
-- changes one conversation at a time, and only when status or agent really change).
CREATE FUNCTION conversation_counts_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.agent_id, NEW.status) < (OLD.agent_id, OLD.status) THEN
        INSERT INTO conversation_counts (agent_id, status, shard, n)
            VALUES (NEW.agent_id, NEW.status, NEW.id % 16, 1)
            ON CONFLICT (agent_id, status, shard) DO UPDATE SET n = conversation_counts.n + 1;
        UPDATE conversation_counts SET n = n - 1
            WHERE agent_id = OLD.agent_id AND status = OLD.status AND shard = OLD.id % 16;
    ELSE
        UPDATE conversation_counts SET n = n - 1
            WHERE agent_id = OLD.agent_id AND status = OLD.status AND shard = OLD.id % 16;
        INSERT INTO conversation_counts (agent_id, status, shard, n)
            VALUES (NEW.agent_id, NEW.status, NEW.id % 16, 1)
            ON CONFLICT (agent_id, status, shard) DO UPDATE SET n = conversation_counts.n + 1;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER conversation_counts_insert AFTER INSERT ON conversations
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION conversation_counts_insert();

CREATE TRIGGER conversation_counts_delete AFTER DELETE ON conversations
    REFERENCING OLD TABLE AS deleted
    FOR EACH STATEMENT EXECUTE FUNCTION conversation_counts_delete();

CREATE TRIGGER conversation_counts_update AFTER UPDATE OF agent_id, status ON conversations
    FOR EACH ROW
    WHEN (NEW.agent_id IS DISTINCT FROM OLD.agent_id OR NEW.status IS DISTINCT FROM OLD.status)
    EXECUTE FUNCTION conversation_counts_move();

-- Message search folds accents on both sides (the inbox search for "cafe" finds "café", and
-- "café" finds "Cafe"): the query's words go through the same table in Rust
-- (`store::conversations::PG_FOLD`, whose test checks that it matches this one).
DROP INDEX messages_search;
ALTER TABLE messages DROP COLUMN search;
ALTER TABLE messages ADD COLUMN search tsvector GENERATED ALWAYS AS
    (to_tsvector('simple', translate(text, 'àÀáÁâÂãÃäÄåÅāĀăĂąĄçÇćĆčČďĎđĐèÈéÉêÊëËēĒėĖęĘěĚìÌíÍîÎïÏīĪįĮłŁñÑńŃňŇòÒóÓôÔõÕöÖøØōŌőŐŕŔřŘśŚšŠşŞťŤţŢùÙúÚûÛüÜūŪůŮűŰýÝÿŸźŹżŻžŽß', 'aaaaaaaaaaaaaaaaaaccccccddddeeeeeeeeeeeeeeeeiiiiiiiiiiiillnnnnnnoooooooooooooooorrrrssssssttttuuuuuuuuuuuuuuyyyyzzzzzzs'))) STORED;
CREATE INDEX messages_search ON messages USING GIN (search);
