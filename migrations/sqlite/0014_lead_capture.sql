-- Lead capture (SQLite): an agent's smart data gathering, contact form and lead emails (one
-- JSON document, validated by the core before it is stored), and what gathering has done in
-- a conversation (the field being asked, those asked, refused or skipped; the contact form
-- shown or submitted).
CREATE TABLE lead_settings (
    agent_id   INTEGER PRIMARY KEY REFERENCES agents (id) ON DELETE CASCADE,
    settings   TEXT    NOT NULL,
    updated_at TEXT    NOT NULL
);

ALTER TABLE conversations ADD COLUMN lead_state TEXT NOT NULL DEFAULT '{}';
