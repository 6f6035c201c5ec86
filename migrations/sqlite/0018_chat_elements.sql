-- Chat elements (SQLite): an agent's action button groups and handover channels (JSON
-- documents validated by the core before they are stored), and uploaded button icons (kept
-- by the SHA-256 of their bytes, sanitised and checked before they are stored).
CREATE TABLE chat_settings (
    agent_id      INTEGER PRIMARY KEY REFERENCES agents (id) ON DELETE CASCADE,
    button_groups TEXT    NOT NULL DEFAULT '[]',
    handover      TEXT,
    updated_at    TEXT    NOT NULL
);

CREATE TABLE icons (
    id         TEXT    PRIMARY KEY,
    mime_type  TEXT    NOT NULL,
    bytes      BLOB    NOT NULL,
    created_at TEXT    NOT NULL
);
