-- Example phrases of a routing profile (JSON array of strings), as custom guidelines have:
-- what visitors of this topic write, in any language.
ALTER TABLE routing_profiles ADD COLUMN examples TEXT NOT NULL DEFAULT '[]';
