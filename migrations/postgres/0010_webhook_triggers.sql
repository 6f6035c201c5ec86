-- Agent-triggered webhooks (PostgreSQL): an endpoint is triggered at most once per
-- conversation. The row is written in the transaction of the conversation write that queues
-- the `action.triggered` delivery, so a second trigger (another process deciding the same
-- conversation at once) fails that write on the primary key, and the message is decided again.
-- Kept apart from the delivery log, which is pruned.
CREATE TABLE webhook_triggers (
    webhook_id      BIGINT      NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    conversation_id BIGINT      NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    created_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (webhook_id, conversation_id)
);
CREATE INDEX webhook_triggers_conversation ON webhook_triggers (conversation_id);
