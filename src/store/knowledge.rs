//! The knowledge base of an agent, full-text searched (FTS5 on SQLite, tsvector on PostgreSQL).

use super::{now, on_db, Db, Store};
use crate::engine::builtin::text;
use crate::engine::KnowledgeHit;
use crate::error::Result;
use crate::knowledge::KnowledgeEntry;
use crate::Id;

#[derive(sqlx::FromRow)]
struct HitRow {
    id: Id,
    title: String,
    body: String,
    score: f64,
}

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

    /// Entries sharing words (by prefix, so inflections meet) with `query`, best first.
    pub async fn knowledge_search(
        &self,
        agent: Id,
        query: &str,
        limit: i64,
    ) -> Result<Vec<KnowledgeHit>> {
        // SQLite's FTS5 folds diacritics itself; PostgreSQL's `simple` configuration keeps them.
        let mut terms = match self.db() {
            Db::Sqlite(_) => text::tokens(query),
            Db::Postgres(_) => text::tokens_keeping_accents(query),
        };
        terms.sort();
        terms.dedup();
        terms.truncate(32);
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<HitRow> = match self.db() {
            Db::Sqlite(pool) => {
                let q = terms
                    .iter()
                    .map(|t| format!("\"{t}\"*"))
                    .collect::<Vec<_>>()
                    .join(" OR ");
                sqlx::query_as(
                    "SELECT k.id, k.title, k.body, -bm25(knowledge_fts) AS score FROM knowledge_fts \
                     JOIN knowledge_entries k ON k.id = knowledge_fts.rowid \
                     WHERE knowledge_fts MATCH $1 AND k.agent_id = $2 ORDER BY score DESC LIMIT $3",
                )
                .bind(q).bind(agent).bind(limit).fetch_all(pool).await?
            }
            Db::Postgres(pool) => {
                let q = terms
                    .iter()
                    .map(|t| format!("{t}:*"))
                    .collect::<Vec<_>>()
                    .join(" | ");
                sqlx::query_as(
                    "SELECT id, title, body, ts_rank(search, to_tsquery('simple', $1))::float8 AS score \
                     FROM knowledge_entries WHERE agent_id = $2 AND search @@ to_tsquery('simple', $1) \
                     ORDER BY score DESC LIMIT $3",
                )
                .bind(q).bind(agent).bind(limit).fetch_all(pool).await?
            }
        };
        Ok(rows
            .into_iter()
            .map(|r| KnowledgeHit {
                id: r.id,
                title: r.title,
                text: r.body,
                score: r.score as f32,
            })
            .collect())
    }
}
