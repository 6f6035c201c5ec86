//! The outbox's data: the typed jobs, their kinds and retry policies, and what the store keeps
//! of them. The store depends on this, never on the worker in `outbox/mod.rs`.

use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::notify::email::Email;
use crate::webhooks::model::WebhookJob;
use crate::Id;

/// How long a claimed job is held by its worker. Longer than any kind's
/// [`RetryPolicy::timeout`], so a live worker always finishes (or gives up) first.
pub const LEASE: StdDuration = StdDuration::from_secs(300);

/// Jobs claimed by one run of the worker, delivered concurrently.
pub const BATCH: i64 = 16;

/// A delivery to make, with its typed payload.
#[derive(Debug, Clone, PartialEq)]
pub enum Job {
    /// An email over the SMTP settings (the handoff notification).
    Email(Email),
    /// A signed event to a webhook endpoint.
    Webhook(WebhookJob),
}

/// The kinds of [`Job`], as stored in `jobs.kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    Email,
    Webhook,
}

impl JobKind {
    /// Every kind this build can deliver: workers claim only these, so a job of a kind added by
    /// a newer version waits for a worker that knows it.
    pub const ALL: &'static [JobKind] = &[JobKind::Email, JobKind::Webhook];

    pub fn as_str(self) -> &'static str {
        match self {
            JobKind::Email => "email",
            JobKind::Webhook => "webhook",
        }
    }

    pub fn parse(s: &str) -> Option<JobKind> {
        JobKind::ALL.iter().copied().find(|k| k.as_str() == s)
    }

    /// How jobs of this kind are retried.
    pub fn retry(self) -> RetryPolicy {
        match self {
            JobKind::Email => RetryPolicy::EMAIL,
            JobKind::Webhook => RetryPolicy::WEBHOOK,
        }
    }
}

/// When a failed job of one kind is tried again, and how often at most.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts before the job is failed.
    pub max_attempts: i64,
    /// Delay after the first failure; it doubles after each further one…
    pub first_delay: Duration,
    /// …up to this.
    pub max_delay: Duration,
    /// A fixed schedule instead of doubling: the delay after the first failure, the second, …
    /// (the last repeats). Empty: doubling from `first_delay`.
    pub schedule: &'static [Duration],
    /// One attempt may take this long; then it is a failure (and retried).
    pub timeout: StdDuration,
    /// A delay the other side asks for (`Retry-After`) is honoured up to this.
    pub max_retry_after: Duration,
}

/// The webhook schedule after the first attempt (which is immediate): 5 s, 5 min, 30 min, 2 h,
/// 5 h, 10 h, 10 h — what Standard Webhooks senders use, about 28 hours in all.
const WEBHOOK_SCHEDULE: &[Duration] = &[
    Duration::seconds(5),
    Duration::minutes(5),
    Duration::minutes(30),
    Duration::hours(2),
    Duration::hours(5),
    Duration::hours(10),
    Duration::hours(10),
];

impl RetryPolicy {
    /// Emails: 30 s, 1 min, 2 min … capped at 1 h, 8 attempts.
    pub const EMAIL: RetryPolicy = RetryPolicy {
        max_attempts: 8,
        first_delay: Duration::seconds(30),
        max_delay: Duration::hours(1),
        schedule: &[],
        timeout: StdDuration::from_secs(60),
        max_retry_after: Duration::hours(1),
    };

    /// Webhooks: immediately, then [`WEBHOOK_SCHEDULE`]; 8 attempts. An attempt is a failure
    /// after 15 s (the client's bound); the outbox's own bound is a little longer, so the
    /// client's answer is the one logged.
    pub const WEBHOOK: RetryPolicy = RetryPolicy {
        max_attempts: 1 + WEBHOOK_SCHEDULE.len() as i64,
        first_delay: Duration::seconds(5),
        max_delay: Duration::hours(10),
        schedule: WEBHOOK_SCHEDULE,
        timeout: StdDuration::from_secs(20),
        max_retry_after: Duration::hours(24),
    };

    /// The delay before the next attempt after `failures` failed ones (1 = the first failure).
    pub fn delay_after(&self, failures: i64) -> Duration {
        if let Some(last) = self.schedule.last() {
            let i = usize::try_from(failures - 1).unwrap_or(0);
            return self.schedule.get(i).copied().unwrap_or(*last);
        }
        let doublings = (failures - 1).clamp(0, 30) as u32;
        let ms = self
            .first_delay
            .num_milliseconds()
            .saturating_mul(1i64 << doublings);
        Duration::milliseconds(ms).min(self.max_delay)
    }
}

impl Job {
    pub fn kind(&self) -> JobKind {
        match self {
            Job::Email(_) => JobKind::Email,
            Job::Webhook(_) => JobKind::Webhook,
        }
    }

    /// What the job delivers to, when its deliveries are listed per destination
    /// (`webhook:ID`, stored in `jobs.target`).
    pub fn target(&self) -> Option<String> {
        match self {
            Job::Email(_) => None,
            Job::Webhook(w) => Some(crate::webhooks::model::target(w.endpoint_id)),
        }
    }

    /// The payload as stored (JSON).
    pub fn payload(&self) -> Result<String> {
        let json = match self {
            Job::Email(e) => serde_json::to_string(e),
            Job::Webhook(w) => serde_json::to_string(w),
        };
        json.map_err(|e| Error::Internal(e.to_string()))
    }

    /// The job stored as `kind` and `payload`.
    pub fn decode(kind: &str, payload: &str) -> std::result::Result<Job, String> {
        match JobKind::parse(kind) {
            Some(JobKind::Email) => serde_json::from_str(payload)
                .map(Job::Email)
                .map_err(|e| format!("unreadable email payload: {e}")),
            Some(JobKind::Webhook) => serde_json::from_str(payload)
                .map(Job::Webhook)
                .map_err(|e| format!("unreadable webhook payload: {e}")),
            None => Err(format!("unknown job kind '{kind}'")),
        }
    }
}

/// A stored job (see the `jobs` table).
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct JobRecord {
    pub id: Id,
    pub kind: String,
    /// JSON, [`Job::decode`] reads it.
    pub payload: String,
    pub conversation_id: Option<Id>,
    /// `pending`, `running`, `done` or `failed`.
    pub status: String,
    /// Attempts started so far.
    pub attempts: i64,
    pub next_attempt_at: DateTime<Utc>,
    /// While running: when the worker's lease ends.
    pub locked_until: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    /// What it delivers to (`webhook:ID`), when listed per destination.
    pub target: Option<String>,
    /// Attempts made before the current round (a redelivery starts a new one).
    pub retry_from: i64,
}

impl JobRecord {
    /// This attempt's number within the current round (1 for its first).
    pub fn round_attempt(&self) -> i64 {
        self.attempts - self.retry_from
    }
}

/// One attempt of a job (see the `job_attempts` table).
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct JobAttempt {
    pub job_id: Id,
    /// 1, 2, …
    pub attempt: i64,
    pub started_at: DateTime<Utc>,
    /// None while it runs (or if its worker stopped and nobody claimed the job since).
    pub finished_at: Option<DateTime<Utc>>,
    pub ok: Option<bool>,
    pub error: Option<String>,
    /// What the deliverer reported on success (e.g. the server's answer).
    pub detail: Option<String>,
    /// How long it took (None for attempts logged before this was recorded, or interrupted).
    pub duration_ms: Option<i64>,
    /// The HTTP status the other side answered.
    pub status_code: Option<i64>,
    /// An excerpt of the other side's answer (at most 2 KiB).
    pub response: Option<String>,
}

/// What an attempt leaves in its log row besides how it ended.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttemptLog {
    pub duration_ms: Option<i64>,
    pub status_code: Option<u16>,
    pub response: Option<String>,
}

/// A job claimed by a worker for one attempt.
#[derive(Debug, Clone)]
pub struct ClaimedJob {
    pub id: Id,
    pub conversation_id: Option<Id>,
    /// This attempt's number (1 for the first; numbered on across redeliveries).
    pub attempt: i64,
    /// When this attempt started (the worker's clock: a test passes its own).
    pub started_at: DateTime<Utc>,
    pub job: Job,
}

/// How a claimed job ends its attempt (see [`crate::store::Store::job_finish`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finish {
    Done { detail: Option<String> },
    Retry { error: String, at: DateTime<Utc> },
    Failed { error: String },
}
