-- The visitor rate limits, kept in the database when several `baton serve` share one
-- PostgreSQL (issue 15, scale out), so that the figures hold for the deployment and not per
-- process. GCRA: one row per key (`start:ADDRESS`, `post:ADDRESS`, `conversation:ID`) with
-- its theoretical arrival time in Unix milliseconds; a request is allowed while that time,
-- moved on by one interval, stays within a minute of now.
CREATE TABLE visitor_limits (
    key TEXT NOT NULL PRIMARY KEY,
    tat BIGINT NOT NULL
);
CREATE INDEX visitor_limits_tat ON visitor_limits (tat);
