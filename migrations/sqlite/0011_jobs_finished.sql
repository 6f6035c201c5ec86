-- Pruning the delivery log (SQLite): finished jobs by kind and when they finished, so the
-- hourly prune of old webhook deliveries reads only what it deletes.
CREATE INDEX jobs_finished ON jobs (kind, finished_at) WHERE status IN ('done', 'failed');
