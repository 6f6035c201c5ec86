-- Baton foundation schema (SQLite). Never edit a landed migration: add a new file.

CREATE TABLE agents (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    language    TEXT    NOT NULL DEFAULT 'en',
    is_default  BOOLEAN NOT NULL DEFAULT 0,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);
CREATE UNIQUE INDEX agents_one_default ON agents (is_default) WHERE is_default;

CREATE TABLE operators (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT    NOT NULL,
    email         TEXT    NOT NULL UNIQUE,
    role          TEXT    NOT NULL CHECK (role IN ('owner', 'admin', 'agent', 'viewer')),
    password_hash TEXT,
    is_active     BOOLEAN NOT NULL DEFAULT 1,
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL
);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT    NOT NULL,
    token_hash   TEXT    NOT NULL UNIQUE,
    prefix       TEXT    NOT NULL,
    agent_id     INTEGER REFERENCES agents (id) ON DELETE CASCADE,
    created_at   TEXT    NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);

CREATE TABLE handoff_settings (
    agent_id                  INTEGER PRIMARY KEY REFERENCES agents (id) ON DELETE CASCADE,
    is_active                 BOOLEAN NOT NULL,
    keywords                  TEXT    NOT NULL, -- JSON array of strings, in order
    ai_summary_active         BOOLEAN NOT NULL,
    question_message          TEXT    NOT NULL,
    confirmation_message      TEXT    NOT NULL,
    outside_hours_message     TEXT    NOT NULL,
    working_hours_active      BOOLEAN NOT NULL,
    timezone                  TEXT    NOT NULL,
    send_email_notification   BOOLEAN NOT NULL,
    emails                    TEXT    NOT NULL, -- JSON array of strings
    auto_priority             BOOLEAN NOT NULL,
    max_failed_answers        INTEGER NOT NULL,
    updated_at                TEXT    NOT NULL
);

CREATE TABLE availability_slots (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    agent_id   INTEGER NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    day_span   TEXT    NOT NULL,
    start_time TEXT    NOT NULL,
    end_time   TEXT    NOT NULL
);
CREATE INDEX availability_slots_agent ON availability_slots (agent_id, position);

CREATE TABLE availability_exceptions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    agent_id   INTEGER NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    date       TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    closed     BOOLEAN NOT NULL,
    start_time TEXT,
    end_time   TEXT
);
CREATE INDEX availability_exceptions_agent ON availability_exceptions (agent_id, position);

CREATE TABLE generic_guidelines (
    agent_id  INTEGER NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    name      TEXT    NOT NULL,
    is_active BOOLEAN NOT NULL,
    PRIMARY KEY (agent_id, name)
);

CREATE TABLE custom_guidelines (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    agent_id    INTEGER NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    name        TEXT    NOT NULL,
    description TEXT    NOT NULL,
    is_active   BOOLEAN NOT NULL,
    examples    TEXT    NOT NULL -- JSON array of strings
);
CREATE INDEX custom_guidelines_agent ON custom_guidelines (agent_id, position);

CREATE TABLE routing_profiles (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    agent_id    INTEGER NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    name        TEXT    NOT NULL,
    description TEXT    NOT NULL,
    is_active   BOOLEAN NOT NULL
);
CREATE INDEX routing_profiles_agent ON routing_profiles (agent_id, position);

CREATE TABLE routing_profile_operators (
    profile_id  INTEGER NOT NULL REFERENCES routing_profiles (id) ON DELETE CASCADE,
    operator_id INTEGER NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    PRIMARY KEY (profile_id, operator_id)
);
CREATE INDEX routing_profile_operators_operator ON routing_profile_operators (operator_id);

CREATE TABLE information_fields (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    agent_id INTEGER NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind     TEXT    NOT NULL,
    label    TEXT    NOT NULL,
    prompt   TEXT    NOT NULL,
    required BOOLEAN NOT NULL
);
CREATE INDEX information_fields_agent ON information_fields (agent_id, position);
