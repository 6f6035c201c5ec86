-- HTTP request actions and their execution log (SQLite). JSON lists are TEXT; the secret is
-- sealed by `secrets` (never stored in clear), bound to the URL's host.
CREATE TABLE actions (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    agent_id           INTEGER NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    name               TEXT    NOT NULL,
    description        TEXT    NOT NULL,
    when_not_to_use    TEXT    NOT NULL,
    examples           TEXT    NOT NULL, -- JSON array of strings
    active             BOOLEAN NOT NULL,
    method             TEXT    NOT NULL CHECK (method IN ('GET', 'POST', 'PUT', 'PATCH', 'DELETE')),
    url                TEXT    NOT NULL,
    headers            TEXT    NOT NULL, -- JSON array of {name, value}
    body               TEXT,
    parameters         TEXT    NOT NULL, -- JSON array of parameters
    auth_kind          TEXT    NOT NULL CHECK (auth_kind IN ('none', 'bearer', 'basic', 'api_key')),
    auth_username      TEXT,
    auth_key_location  TEXT    CHECK (auth_key_location IN ('header', 'query')),
    auth_key_name      TEXT,
    auth_secret        TEXT,             -- sealed: v1:base64(nonce, ciphertext)
    timeout_ms         INTEGER NOT NULL,
    max_response_bytes INTEGER NOT NULL,
    reply_template     TEXT,
    failure_message    TEXT    NOT NULL,
    on_failure         TEXT    NOT NULL CHECK (on_failure IN ('say', 'handoff')),
    allow              TEXT    NOT NULL, -- JSON array of hosts and networks
    created_at         TEXT    NOT NULL,
    updated_at         TEXT    NOT NULL,
    UNIQUE (agent_id, name)
);

CREATE TABLE action_logs (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at           TEXT    NOT NULL,
    agent_id             INTEGER NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    action_id            INTEGER REFERENCES actions (id) ON DELETE SET NULL,
    action_name          TEXT    NOT NULL,
    conversation_id      INTEGER REFERENCES conversations (id) ON DELETE SET NULL,
    is_test              BOOLEAN NOT NULL,
    request_method       TEXT    NOT NULL,
    request_url          TEXT    NOT NULL, -- credentials masked
    request_headers      TEXT    NOT NULL, -- JSON array of {name, value}, credentials masked
    request_body         TEXT,
    request_truncated    BOOLEAN NOT NULL,
    response_status      INTEGER,
    response_headers     TEXT    NOT NULL,
    response_body        TEXT,             -- at most 64 KiB
    response_truncated   BOOLEAN NOT NULL,
    duration_ms          INTEGER NOT NULL,
    outcome              TEXT    NOT NULL CHECK (outcome IN
                           ('success', 'http_error', 'timeout', 'blocked', 'invalid_response', 'skipped')),
    error                TEXT,
    reached_conversation BOOLEAN NOT NULL
);
CREATE INDEX action_logs_agent ON action_logs (agent_id, id);
CREATE INDEX action_logs_action ON action_logs (action_id, id);
CREATE INDEX action_logs_conversation ON action_logs (conversation_id);
CREATE INDEX action_logs_created ON action_logs (created_at);
