-- Webhook endpoints of an agent and what their deliveries need of the outbox (SQLite). A
-- delivery is an outbox job of kind `webhook`; the signing secret is sealed by `secrets`
-- (never stored in clear), bound to the endpoint's id.
CREATE TABLE webhooks (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    agent_id            INTEGER NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    name                TEXT    NOT NULL,
    description         TEXT    NOT NULL,
    url                 TEXT    NOT NULL,
    send_chat_summary   BOOLEAN NOT NULL,
    success_message     TEXT    NOT NULL,
    active              BOOLEAN NOT NULL,
    events              TEXT    NOT NULL, -- JSON array of event types (`handoff.requested`, …)
    allow               TEXT    NOT NULL, -- JSON array of hosts and networks
    secret              TEXT    NOT NULL, -- sealed: v1:base64(nonce, ciphertext)
    previous_secret     TEXT,             -- sealed, still signing until previous_expires_at
    previous_expires_at TEXT,
    disabled_reason     TEXT,             -- why Baton turned it off (a 410 Gone)
    created_at          TEXT    NOT NULL,
    updated_at          TEXT    NOT NULL,
    UNIQUE (agent_id, name)
);

-- What a job delivers to (`webhook:ID`), for the delivery log of one destination.
ALTER TABLE jobs ADD COLUMN target TEXT;
-- Attempts made before the current round: a redelivery starts a new round of the kind's
-- schedule, its attempts numbered on.
ALTER TABLE jobs ADD COLUMN retry_from INTEGER NOT NULL DEFAULT 0;
CREATE INDEX jobs_target ON jobs (target, id) WHERE target IS NOT NULL;

-- What the other side answered, per attempt (HTTP deliveries), and how long it took.
ALTER TABLE job_attempts ADD COLUMN duration_ms INTEGER;
ALTER TABLE job_attempts ADD COLUMN status_code INTEGER;
ALTER TABLE job_attempts ADD COLUMN response TEXT; -- an excerpt, at most 2 KiB
