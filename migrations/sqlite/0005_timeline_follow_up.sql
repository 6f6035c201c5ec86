-- The history of a conversation (handed off, routed, assigned, taken over, handed back,
-- resolved, reopened, marked for follow-up), written by the same transaction as the change it
-- records. Names are kept as they were then: a renamed or removed operator or profile does not
-- rewrite history.
CREATE TABLE conversation_events (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id      INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    kind                 TEXT    NOT NULL,
    actor_id             INTEGER,
    actor_name           TEXT,
    operator_id          INTEGER,
    operator_name        TEXT,
    from_operator_id     INTEGER,
    from_operator_name   TEXT,
    routing_profile_id   INTEGER,
    routing_profile_name TEXT,
    text                 TEXT,
    created_at           TEXT    NOT NULL
);
CREATE INDEX conversation_events_conversation ON conversation_events (conversation_id, id);

-- The Follow up view: open conversations marked for follow-up, newest activity first.
CREATE INDEX conversations_follow_up ON conversations (last_message_at DESC) WHERE follow_up;
