-- Conversations, messages, decision records, knowledge base, engine settings, operator
-- sessions and the notification outbox (SQLite).

CREATE TABLE agent_engines (
    agent_id   INTEGER PRIMARY KEY REFERENCES agents (id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL CHECK (kind IN ('builtin', 'openai')),
    base_url   TEXT,
    model      TEXT,
    api_key    TEXT,
    timeout_ms INTEGER NOT NULL DEFAULT 15000,
    updated_at TEXT    NOT NULL
);

CREATE TABLE conversations (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    agent_id           INTEGER NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    channel            TEXT    NOT NULL CHECK (channel IN ('widget', 'api', 'playground')),
    visitor_id         TEXT    NOT NULL,
    visitor_token_hash TEXT    NOT NULL,
    visitor_timezone   TEXT,
    metadata           TEXT    NOT NULL DEFAULT '{}',
    language           TEXT,
    status             TEXT    NOT NULL CHECK (status IN ('ai', 'awaiting_confirmation', 'gathering_info', 'needs_agent', 'assigned', 'resolved')),
    assignee_id        INTEGER REFERENCES operators (id) ON DELETE SET NULL,
    priority           TEXT    CHECK (priority IN ('low', 'medium', 'high', 'urgent')),
    routing_profile_id INTEGER REFERENCES routing_profiles (id) ON DELETE SET NULL,
    handoff_reason     TEXT,
    ai_summary         TEXT,
    gathered           TEXT    NOT NULL DEFAULT '{}',
    pending            TEXT,
    failed_answers     INTEGER NOT NULL DEFAULT 0,
    follow_up          BOOLEAN NOT NULL DEFAULT 0,
    ai_instruction     TEXT,
    created_at         TEXT    NOT NULL,
    updated_at         TEXT    NOT NULL,
    last_message_at    TEXT    NOT NULL,
    handed_off_at      TEXT,
    resolved_at        TEXT
);
CREATE INDEX conversations_status ON conversations (status, last_message_at DESC);
CREATE INDEX conversations_agent_status ON conversations (agent_id, status, last_message_at DESC);
CREATE INDEX conversations_assignee ON conversations (assignee_id, status);

CREATE TABLE messages (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    author          TEXT    NOT NULL CHECK (author IN ('visitor', 'ai', 'operator', 'system')),
    operator_id     INTEGER REFERENCES operators (id) ON DELETE SET NULL,
    text            TEXT    NOT NULL,
    attachments     TEXT    NOT NULL DEFAULT '[]',
    internal        BOOLEAN NOT NULL DEFAULT 0,
    created_at      TEXT    NOT NULL
);
CREATE INDEX messages_conversation ON messages (conversation_id, id);

CREATE VIRTUAL TABLE messages_fts USING fts5 (text, content = 'messages', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;

CREATE TABLE decision_records (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    message_id      INTEGER REFERENCES messages (id) ON DELETE SET NULL,
    step            TEXT    NOT NULL,
    outcome         TEXT    NOT NULL,
    reason          TEXT    NOT NULL,
    engine          TEXT    NOT NULL,
    latency_us      INTEGER NOT NULL,
    created_at      TEXT    NOT NULL
);
CREATE INDEX decision_records_conversation ON decision_records (conversation_id, id);

CREATE TABLE knowledge_entries (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    agent_id   INTEGER NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    title      TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL
);
CREATE INDEX knowledge_entries_agent ON knowledge_entries (agent_id);
CREATE VIRTUAL TABLE knowledge_fts USING fts5 (title, body, content = 'knowledge_entries', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER knowledge_fts_insert AFTER INSERT ON knowledge_entries BEGIN
    INSERT INTO knowledge_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
END;
CREATE TRIGGER knowledge_fts_delete AFTER DELETE ON knowledge_entries BEGIN
    INSERT INTO knowledge_fts (knowledge_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
END;
CREATE TRIGGER knowledge_fts_update AFTER UPDATE ON knowledge_entries BEGIN
    INSERT INTO knowledge_fts (knowledge_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
    INSERT INTO knowledge_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
END;

CREATE TABLE operator_sessions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    operator_id INTEGER NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
    token_hash  TEXT    NOT NULL UNIQUE,
    created_at  TEXT    NOT NULL,
    expires_at  TEXT    NOT NULL
);

CREATE TABLE notifications (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id INTEGER REFERENCES conversations (id) ON DELETE CASCADE,
    recipients      TEXT    NOT NULL, -- JSON array
    subject         TEXT    NOT NULL,
    body_text       TEXT    NOT NULL,
    body_html       TEXT,
    status          TEXT    NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    next_attempt_at TEXT    NOT NULL,
    created_at      TEXT    NOT NULL,
    sent_at         TEXT
);
CREATE INDEX notifications_due ON notifications (status, next_attempt_at);

CREATE TABLE app_settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
