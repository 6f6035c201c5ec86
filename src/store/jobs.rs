//! The outbox's jobs and their attempt log (see [`crate::outbox`]).

use chrono::{DateTime, Utc};

use super::{on_db, sqlite_write, Db, Store};
use crate::error::Result;
use crate::outbox::model::{AttemptLog, Finish, Job, JobAttempt, JobKind, JobRecord};
use crate::Id;

const JOB_COLUMNS: &str = "id, kind, payload, conversation_id, status, attempts, next_attempt_at, \
                           locked_until, last_error, created_at, finished_at, target, retry_from";

const ATTEMPT_COLUMNS: &str = "job_id, attempt, started_at, finished_at, ok, error, detail, \
                               duration_ms, status_code, response";

/// Runs `$body` in one transaction, `$tx` bound to it: on SQLite on the writer connection (in
/// turn with every other write, `BEGIN IMMEDIATE`), on PostgreSQL on a pooled one. An error
/// (`?`) in `$body` drops the transaction, which rolls it back.
macro_rules! write_tx {
    ($store:expr, $tx:ident => $body:expr) => {
        match $store.db() {
            Db::Sqlite(pool) => sqlite_write!($store, pool, conn => {
                let mut $tx = sqlx::Connection::begin_with(&mut *conn, "BEGIN IMMEDIATE").await?;
                let out = $body;
                $tx.commit().await?;
                out
            }),
            Db::Postgres(pool) => {
                let mut $tx = pool.begin().await?;
                let out = $body;
                $tx.commit().await?;
                out
            }
        }
    };
}

/// The claimable jobs this build knows: due pending ones, and running ones whose lease ended.
fn claimable() -> String {
    let kinds: Vec<String> = JobKind::ALL
        .iter()
        .map(|k| format!("'{}'", k.as_str()))
        .collect();
    format!(
        "kind IN ({}) AND ((status = 'pending' AND next_attempt_at <= $1) \
         OR (status = 'running' AND locked_until <= $1))",
        kinds.join(", ")
    )
}

impl Store {
    /// Queues `job`, due at once. (A job caused by a conversation write is queued by that
    /// write, in its transaction: [`super::conversations::ConversationWrite::jobs`].)
    pub async fn job_enqueue(
        &self,
        job: &Job,
        conversation: Option<Id>,
        at: DateTime<Utc>,
    ) -> Result<Id> {
        let payload = job.payload()?;
        let sql = "INSERT INTO jobs (kind, payload, conversation_id, status, attempts, next_attempt_at, created_at, target) \
                   VALUES ($1, $2, $3, 'pending', 0, $4, $4, $5) RETURNING id";
        let id = write_tx!(self, tx => {
            sqlx::query_scalar(sql)
                .bind(job.kind().as_str()).bind(&payload).bind(conversation).bind(at).bind(job.target())
                .fetch_one(&mut *tx).await?
        });
        self.jobs_queued();
        Ok(id)
    }

    /// Logs a delivery made outside the worker (the webhook test button's), already finished:
    /// a job of one attempt, `done` or `failed` as `finish` says (a retry is not made: it is
    /// `failed`), started at `started`, finished at `finished`, with its attempt log row.
    /// Nothing claims it; its id.
    pub async fn job_record_finished(
        &self,
        job: &Job,
        finish: &Finish,
        started: DateTime<Utc>,
        finished: DateTime<Utc>,
        log_extra: &AttemptLog,
    ) -> Result<Id> {
        let payload = job.payload()?;
        let (status, error, detail) = match finish {
            Finish::Done { detail } => ("done", None, detail.as_deref()),
            Finish::Retry { error, .. } | Finish::Failed { error } => {
                ("failed", Some(error.as_str()), None)
            }
        };
        let insert = "INSERT INTO jobs (kind, payload, conversation_id, status, attempts, \
                      next_attempt_at, last_error, created_at, finished_at, target) \
                      VALUES ($1, $2, NULL, $3, 1, $4, $5, $4, $6, $7) RETURNING id";
        let log = "INSERT INTO job_attempts (job_id, attempt, started_at, finished_at, ok, error, \
                   detail, duration_ms, status_code, response) \
                   VALUES ($1, 1, $2, $3, $4, $5, $6, $7, $8, $9)";
        Ok(write_tx!(self, tx => {
            let id: Id = sqlx::query_scalar(insert)
                .bind(job.kind().as_str()).bind(&payload).bind(status).bind(started)
                .bind(error).bind(finished).bind(job.target())
                .fetch_one(&mut *tx).await?;
            sqlx::query(log)
                .bind(id).bind(started).bind(finished).bind(status == "done").bind(error)
                .bind(detail).bind(log_extra.duration_ms)
                .bind(log_extra.status_code.map(i64::from)).bind(log_extra.response.as_deref())
                .execute(&mut *tx).await?;
            id
        }))
    }

    /// Claims up to `limit` jobs due at `now` for one worker: each becomes `running`, leased
    /// until `lease`, its attempt count raised, and its attempt opened in the log (an attempt
    /// left open by a worker that stopped is closed as interrupted). Safe with several workers:
    /// on PostgreSQL the due rows are locked and rows another worker holds are skipped (`FOR
    /// UPDATE SKIP LOCKED`); on SQLite the claim is one transaction of the one writer.
    pub async fn jobs_claim(
        &self,
        now: DateTime<Utc>,
        lease: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<JobRecord>> {
        let returning = JOB_COLUMNS;
        let claim = match self.db() {
            Db::Sqlite(_) => format!(
                "UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_until = $2 \
                 WHERE id IN (SELECT id FROM jobs WHERE {} ORDER BY next_attempt_at, id LIMIT $3) \
                 RETURNING {returning}",
                claimable()
            ),
            Db::Postgres(_) => format!(
                "WITH due AS (SELECT id FROM jobs WHERE {} ORDER BY next_attempt_at, id LIMIT $3 \
                 FOR UPDATE SKIP LOCKED) \
                 UPDATE jobs j SET status = 'running', attempts = j.attempts + 1, locked_until = $2 \
                 FROM due WHERE j.id = due.id RETURNING {}",
                claimable(),
                JOB_COLUMNS
                    .split(", ")
                    .map(|c| format!("j.{c}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let interrupted = "UPDATE job_attempts SET finished_at = $2, ok = FALSE, \
                           error = 'interrupted: the worker stopped before it finished' \
                           WHERE job_id = $1 AND finished_at IS NULL";
        let open = "INSERT INTO job_attempts (job_id, attempt, started_at) VALUES ($1, $2, $3)";
        let mut jobs: Vec<JobRecord> = write_tx!(self, tx => {
            let jobs: Vec<JobRecord> = sqlx::query_as(&claim)
                .bind(now).bind(lease).bind(limit).fetch_all(&mut *tx).await?;
            for j in &jobs {
                sqlx::query(interrupted).bind(j.id).bind(now).execute(&mut *tx).await?;
                sqlx::query(open).bind(j.id).bind(j.attempts).bind(now).execute(&mut *tx).await?;
            }
            jobs
        });
        jobs.sort_by_key(|j| (j.next_attempt_at, j.id));
        Ok(jobs)
    }

    /// Ends attempt `attempt` of job `id` (claimed by [`Store::jobs_claim`]) and logs it.
    /// Returns false, changing nothing, when the job is no longer in that attempt (its lease
    /// ran out and another worker claimed it).
    pub async fn job_finish(
        &self,
        id: Id,
        attempt: i64,
        finish: &Finish,
        at: DateTime<Utc>,
    ) -> Result<bool> {
        self.job_finish_logged(id, attempt, finish, at, &AttemptLog::default())
            .await
    }

    /// [`Store::job_finish`], with what the attempt's log row keeps besides how it ended (its
    /// duration, the other side's status and answer).
    pub async fn job_finish_logged(
        &self,
        id: Id,
        attempt: i64,
        finish: &Finish,
        at: DateTime<Utc>,
        log_extra: &AttemptLog,
    ) -> Result<bool> {
        let (status, error, detail, next) = match finish {
            Finish::Done { detail } => ("done", None, detail.as_deref(), None),
            Finish::Retry { error, at } => ("pending", Some(error.as_str()), None, Some(*at)),
            Finish::Failed { error } => ("failed", Some(error.as_str()), None, None),
        };
        let finished = (status != "pending").then_some(at);
        let job = "UPDATE jobs SET status = $3, last_error = $4, \
                   next_attempt_at = COALESCE($5, next_attempt_at), locked_until = NULL, finished_at = $6 \
                   WHERE id = $1 AND status = 'running' AND attempts = $2";
        let log = "UPDATE job_attempts SET finished_at = $3, ok = $4, error = $5, detail = $6, \
                   duration_ms = $7, status_code = $8, response = $9 WHERE job_id = $1 AND attempt = $2";
        Ok(write_tx!(self, tx => {
            let n = sqlx::query(job)
                .bind(id).bind(attempt).bind(status).bind(error).bind(next).bind(finished)
                .execute(&mut *tx).await?.rows_affected();
            if n == 1 {
                sqlx::query(log)
                    .bind(id).bind(attempt).bind(at).bind(status == "done").bind(error).bind(detail)
                    .bind(log_extra.duration_ms).bind(log_extra.status_code.map(i64::from))
                    .bind(log_extra.response.as_deref())
                    .execute(&mut *tx).await?;
            }
            n == 1
        }))
    }

    pub async fn job_get(&self, id: Id) -> Result<Option<JobRecord>> {
        let sql = format!("SELECT {JOB_COLUMNS} FROM jobs WHERE id = $1");
        Ok(on_db!(self.db(), pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?))
    }

    /// The newest jobs first, of `kind` when given.
    pub async fn jobs_list(&self, kind: Option<JobKind>, limit: i64) -> Result<Vec<JobRecord>> {
        let sql = format!(
            "SELECT {JOB_COLUMNS} FROM jobs WHERE ($1 IS NULL OR kind = $1) ORDER BY id DESC LIMIT $2"
        );
        let kind = kind.map(JobKind::as_str);
        Ok(
            on_db!(self.db(), pool => sqlx::query_as(&sql).bind(kind).bind(limit).fetch_all(pool).await?),
        )
    }

    /// When the next pending job this build knows is due (a retry scheduled in 5 s, say), or
    /// `None` when none waits: the worker sleeps until then rather than its usual interval.
    pub async fn jobs_next_due_at(&self) -> Result<Option<DateTime<Utc>>> {
        let kinds: Vec<String> = JobKind::ALL
            .iter()
            .map(|k| format!("'{}'", k.as_str()))
            .collect();
        let sql = format!(
            "SELECT next_attempt_at FROM jobs WHERE status = 'pending' AND kind IN ({}) \
             ORDER BY next_attempt_at LIMIT 1",
            kinds.join(", ")
        );
        let row: Option<(DateTime<Utc>,)> =
            on_db!(self.db(), pool => sqlx::query_as(&sql).fetch_optional(pool).await?);
        Ok(row.map(|(t,)| t))
    }

    /// Pending jobs of `kind` due at `at`, oldest first (without claiming them).
    pub async fn jobs_due(
        &self,
        kind: JobKind,
        at: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<JobRecord>> {
        let sql = format!(
            "SELECT {JOB_COLUMNS} FROM jobs WHERE kind = $1 AND status = 'pending' AND next_attempt_at <= $2 \
             ORDER BY next_attempt_at, id LIMIT $3"
        );
        Ok(on_db!(self.db(), pool => sqlx::query_as(&sql)
            .bind(kind.as_str()).bind(at).bind(limit).fetch_all(pool).await?))
    }

    /// The attempt log of a job, first attempt first.
    pub async fn job_attempts(&self, id: Id) -> Result<Vec<JobAttempt>> {
        let sql = format!(
            "SELECT {ATTEMPT_COLUMNS} FROM job_attempts WHERE job_id = $1 ORDER BY attempt"
        );
        Ok(on_db!(self.db(), pool => sqlx::query_as(&sql).bind(id).fetch_all(pool).await?))
    }

    /// The attempt logs of `jobs`, by job, first attempt first.
    pub async fn jobs_attempts(&self, jobs: &[Id]) -> Result<Vec<JobAttempt>> {
        if jobs.is_empty() {
            return Ok(Vec::new());
        }
        // Ids are integers: listed in the text, one statement for any number.
        let list: Vec<String> = jobs.iter().map(Id::to_string).collect();
        let sql = format!(
            "SELECT {ATTEMPT_COLUMNS} FROM job_attempts WHERE job_id IN ({}) ORDER BY job_id, attempt",
            list.join(", ")
        );
        Ok(on_db!(self.db(), pool => sqlx::query_as(&sql).fetch_all(pool).await?))
    }

    /// The jobs delivering to `target`, newest first: those with an id below `before` when
    /// given, matching `status` (an SQL condition over the job's columns, from a closed list
    /// the caller owns) when given.
    pub async fn jobs_for_target(
        &self,
        target: &str,
        status: Option<&str>,
        before: Option<Id>,
        limit: i64,
    ) -> Result<Vec<JobRecord>> {
        let status = status.unwrap_or("TRUE");
        let sql = format!(
            "SELECT {JOB_COLUMNS} FROM jobs WHERE target = $1 AND ($2 IS NULL OR id < $2) \
             AND ({status}) ORDER BY id DESC LIMIT $3"
        );
        Ok(on_db!(self.db(), pool => sqlx::query_as(&sql)
            .bind(target).bind(before).bind(limit).fetch_all(pool).await?))
    }

    /// Runs finished jobs again, due at `at`: a new round of their kind's schedule (attempts
    /// numbered on), the same payload. With `id`, that job if it is finished; else every job of
    /// `target` matching `status` (an SQL condition from a closed list the caller owns). Jobs
    /// still pending or running are left as they are. Returns the ids requeued.
    pub async fn job_requeue(
        &self,
        target: &str,
        id: Option<Id>,
        status: &str,
        at: DateTime<Utc>,
    ) -> Result<Vec<Id>> {
        let sql = format!(
            "UPDATE jobs SET status = 'pending', retry_from = attempts, next_attempt_at = $3, \
             finished_at = NULL, locked_until = NULL \
             WHERE target = $1 AND ($2 IS NULL OR id = $2) AND status IN ('done', 'failed') \
             AND ({status}) RETURNING id"
        );
        let ids: Vec<Id> = write_tx!(self, tx => {
            sqlx::query_scalar(&sql).bind(target).bind(id).bind(at).fetch_all(&mut *tx).await?
        });
        if !ids.is_empty() {
            self.jobs_queued();
        }
        Ok(ids)
    }
}
