-- One outbox of typed jobs (SQLite). A job is a delivery to make outside the database (an
-- email today; webhooks and actions next), queued in the transaction of the change that causes
-- it and run by the outbox worker with the retry policy of its kind. Each attempt is logged.
CREATE TABLE jobs (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    kind            TEXT    NOT NULL,           -- `email`, …: what `payload` is
    payload         TEXT    NOT NULL,           -- JSON, the kind's typed payload
    conversation_id INTEGER REFERENCES conversations (id) ON DELETE CASCADE,
    status          TEXT    NOT NULL CHECK (status IN ('pending', 'running', 'done', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0, -- attempts started
    next_attempt_at TEXT    NOT NULL,           -- when a pending job is due
    locked_until    TEXT,                       -- when a running job's lease ends
    last_error      TEXT,
    created_at      TEXT    NOT NULL,
    finished_at     TEXT
);
CREATE INDEX jobs_due ON jobs (status, next_attempt_at);
CREATE INDEX jobs_leased ON jobs (locked_until) WHERE status = 'running';
CREATE INDEX jobs_conversation ON jobs (conversation_id);

CREATE TABLE job_attempts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id      INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    attempt     INTEGER NOT NULL,
    started_at  TEXT    NOT NULL,
    finished_at TEXT,                           -- NULL while it runs
    ok          BOOLEAN,
    error       TEXT,
    detail      TEXT,
    UNIQUE (job_id, attempt)
);

-- The notifications outbox becomes email jobs, pending ones included.
INSERT INTO jobs (id, kind, payload, conversation_id, status, attempts, next_attempt_at,
                  last_error, created_at, finished_at)
SELECT id, 'email',
       json_object('to', json(recipients), 'subject', subject, 'text', body_text, 'html', body_html),
       conversation_id, CASE status WHEN 'sent' THEN 'done' ELSE status END, attempts,
       next_attempt_at, last_error, created_at, sent_at
FROM notifications ORDER BY id;

DROP TABLE notifications;
