-- The lead list, newest first per agent (`WHERE agent_id = ? ... ORDER BY id DESC LIMIT`):
-- walked backwards in this index, it reads one page of rows. Without it the planner took
-- `leads_agent_created` and sorted every lead of the agent for each page (a temporary
-- B-tree over 1,000,000 rows for a 50-row page).
CREATE INDEX leads_agent_id ON leads (agent_id, id);
