-- Lead notifications and conversation transcripts (PostgreSQL): which emails a conversation
-- got, so that a lead is emailed once per conversation, a transcript is decided once (sent,
-- or skipped because a lead or handoff email went first), and the transcript's skip rule can
-- see the lead email. A row is written in the transaction that queues its email job.
CREATE TABLE lead_emails (
    conversation_id BIGINT      NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    kind            TEXT        NOT NULL CHECK (kind IN ('lead', 'transcript')),
    -- The lead a lead email is about (no reference: a deleted lead keeps its row); 0 for a
    -- transcript.
    lead_id         BIGINT      NOT NULL,
    outcome         TEXT        NOT NULL CHECK (outcome IN ('queued', 'skipped')),
    -- The outbox email job that carries it (NULL when skipped).
    job_id          BIGINT      REFERENCES jobs (id) ON DELETE SET NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (conversation_id, kind, lead_id)
);
-- The skip rule tells a handoff email (an email job of the conversation) from these.
CREATE INDEX lead_emails_job ON lead_emails (job_id) WHERE job_id IS NOT NULL;
