//! The knowledge base of an agent, full-text searched (FTS5 on SQLite, tsvector on PostgreSQL).

use super::{now, on_db, Db, Store};
use crate::engine::builtin::text;
use crate::engine::KnowledgeHit;
use crate::error::Result;
use crate::knowledge::KnowledgeEntry;
use crate::Id;

const COLUMNS: &str = "id, agent_id, title, body, created_at, updated_at";

impl Store {
    pub async fn knowledge_insert(
        &self,
        agent: Id,
        title: &str,
        body: &str,
    ) -> Result<KnowledgeEntry> {
        let sql = format!(
            "INSERT INTO knowledge_entries (agent_id, title, body, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $4) RETURNING {COLUMNS}"
        );
        Ok(
            on_db!(self.db(), pool => sqlx::query_as::<_, KnowledgeEntry>(&sql)
            .bind(agent).bind(title).bind(body).bind(now()).fetch_one(pool).await?),
        )
    }

    pub async fn knowledge_update(
        &self,
        id: Id,
        title: &str,
        body: &str,
    ) -> Result<Option<KnowledgeEntry>> {
        let sql = format!(
            "UPDATE knowledge_entries SET title = $2, body = $3, updated_at = $4 WHERE id = $1 RETURNING {COLUMNS}"
        );
        Ok(
            on_db!(self.db(), pool => sqlx::query_as::<_, KnowledgeEntry>(&sql)
            .bind(id).bind(title).bind(body).bind(now()).fetch_optional(pool).await?),
        )
    }

    pub async fn knowledge_get(&self, id: Id) -> Result<Option<KnowledgeEntry>> {
        let sql = format!("SELECT {COLUMNS} FROM knowledge_entries WHERE id = $1");
        Ok(
            on_db!(self.db(), pool => sqlx::query_as::<_, KnowledgeEntry>(&sql).bind(id).fetch_optional(pool).await?),
        )
    }

    pub async fn knowledge_list(&self, agent: Id) -> Result<Vec<KnowledgeEntry>> {
        let sql =
            format!("SELECT {COLUMNS} FROM knowledge_entries WHERE agent_id = $1 ORDER BY id");
        Ok(
            on_db!(self.db(), pool => sqlx::query_as::<_, KnowledgeEntry>(&sql).bind(agent).fetch_all(pool).await?),
        )
    }

    pub async fn knowledge_delete(&self, id: Id) -> Result<bool> {
        let n = on_db!(self.db(), pool => sqlx::query("DELETE FROM knowledge_entries WHERE id = $1")
            .bind(id).execute(pool).await?.rows_affected());
        Ok(n > 0)
    }

    /// The full-text query for `text` on this backend (words by prefix, any of them), or
    /// None when it has no word worth searching.
    pub(crate) fn knowledge_query(&self, text: &str) -> Option<String> {
        // SQLite's FTS5 folds diacritics itself; PostgreSQL's `simple` configuration keeps them.
        let mut terms = match self.db() {
            Db::Sqlite(_) => text::tokens(text),
            Db::Postgres(_) => text::tokens_keeping_accents(text),
        };
        terms.sort();
        terms.dedup();
        terms.truncate(32);
        if terms.is_empty() {
            return None;
        }
        Some(match self.db() {
            Db::Sqlite(_) => terms
                .iter()
                .map(|t| format!("\"{t}\"*"))
                .collect::<Vec<_>>()
                .join(" OR "),
            Db::Postgres(_) => terms
                .iter()
                .map(|t| format!("{t}:*"))
                .collect::<Vec<_>>()
                .join(" | "),
        })
    }

    /// The search of [`Store::knowledge_search`] as a subquery returning its hits as one JSON
    /// array of `[id, title, body, score]`, best first: `$agent` and `$query` are the
    /// placeholders (or expressions) of the agent and of [`Store::knowledge_query`].
    pub(crate) fn knowledge_hits_json(&self, agent: &str, query: &str, limit: i64) -> String {
        match self.db() {
            Db::Sqlite(_) => format!(
                "(SELECT json_group_array(json_array(id, title, body, score)) FROM \
                 (SELECT k.id, k.title, k.body, -bm25(knowledge_fts) AS score FROM knowledge_fts \
                  JOIN knowledge_entries k ON k.id = knowledge_fts.rowid \
                  WHERE knowledge_fts MATCH {query} AND k.agent_id = {agent} ORDER BY score DESC LIMIT {limit}))"
            ),
            Db::Postgres(_) => format!(
                "(SELECT COALESCE(json_agg(json_build_array(id, title, body, score) ORDER BY score DESC), '[]'::json)::text FROM \
                 (SELECT id, title, body, ts_rank(search, to_tsquery('simple', {query}))::float8 AS score \
                  FROM knowledge_entries WHERE agent_id = {agent} AND search @@ to_tsquery('simple', {query}) \
                  ORDER BY score DESC LIMIT {limit}) hits)"
            ),
        }
    }

    /// Entries sharing words (by prefix, so inflections meet) with `query`, best first.
    pub async fn knowledge_search(
        &self,
        agent: Id,
        query: &str,
        limit: i64,
    ) -> Result<Vec<KnowledgeHit>> {
        let Some(q) = self.knowledge_query(query) else {
            return Ok(Vec::new());
        };
        // The one search text, also used inside the conversation snapshot.
        let sql = format!("SELECT {}", self.knowledge_hits_json("$1", "$2", limit));
        let json: Option<String> = on_db!(self.db(), pool =>
            sqlx::query_scalar(&sql).bind(agent).bind(q).fetch_one(pool).await?);
        // SQLite's json_group_array over no rows is '[]'; keep None the same.
        json.as_deref().map_or(Ok(Vec::new()), hits_from_json)
    }
}

/// Hits as [`Store::knowledge_hits_json`] returns them.
pub(crate) fn hits_from_json(json: &str) -> Result<Vec<KnowledgeHit>> {
    let rows: Vec<(Id, String, String, f64)> = serde_json::from_str(json)
        .map_err(|_| crate::error::Error::Internal("stored knowledge hits are invalid".into()))?;
    let mut hits: Vec<KnowledgeHit> = rows
        .into_iter()
        .map(|(id, title, text, score)| KnowledgeHit {
            id,
            title,
            text,
            score: score as f32,
        })
        .collect();
    // Best first, as the search orders them (an aggregate's order is not a promise).
    hits.sort_by(|a, b| b.score.total_cmp(&a.score));
    Ok(hits)
}
