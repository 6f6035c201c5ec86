//! One outbox of typed jobs: every delivery Baton makes outside its database (an email today;
//! webhook and action deliveries next) is a [`Job`] stored in the `jobs` table, queued in the
//! same transaction as the change that causes it (see
//! [`crate::store::conversations::ConversationWrite::jobs`]), so a change and its deliveries
//! are stored together or not at all. A worker claims due jobs, delivers them with the
//! [`Deliver`]er of their kind and records each attempt (`job_attempts`); a failure is retried
//! on the [`RetryPolicy`] of the kind, then the job is failed.
//!
//! Claiming is safe with several workers: on PostgreSQL (several `baton serve` processes on one
//! database) with `FOR UPDATE SKIP LOCKED`, on SQLite through the one writer connection. A
//! claimed job is leased for [`LEASE`]; a job whose worker died is claimable again once its
//! lease has passed, and that unfinished attempt is logged as interrupted.
//!
//! Adding a kind: a variant of [`Job`] with its payload type (serde), its name and policy in
//! [`JobKind`] (a doubling backoff or a fixed schedule), its destination in [`Job::target`]
//! when its deliveries are listed per destination, and its delivery in
//! [`Deliveries::deliver`]. An HTTP delivery reports the status and an excerpt of the answer
//! ([`Attempted`]) for the attempt log, and may ask for a later retry
//! ([`Delivery::RetryAfter`]).
//!
//! A finished job can be run again ([`crate::store::Store::job_requeue`]): a new round of its
//! kind's schedule, attempts numbered on, the same payload.

pub mod model;

use std::sync::Arc;
use std::time::Duration as StdDuration;

pub use model::*;

use chrono::{DateTime, Duration, Utc};

use crate::error::{Error, Result};
use crate::notify::{Mailer, SmtpSettings};
use crate::{Baton, Id};

/// How one attempt went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// Delivered; with what the other side said, for the attempt log.
    Done(Option<String>),
    /// Not delivered, worth trying again (on the kind's schedule).
    Retry(String),
    /// Not delivered; the other side asked for the next attempt no sooner than this
    /// (`Retry-After`): honoured when later than the kind's schedule, up to its
    /// [`RetryPolicy::max_retry_after`].
    RetryAfter(String, Duration),
    /// Not delivered and never will be (e.g. the payload is refused): failed now.
    GiveUp(String),
}

/// What one attempt did: how it ended and, for an HTTP delivery, what the other side
/// answered, for the attempt log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempted {
    pub delivery: Delivery,
    pub status_code: Option<u16>,
    /// An excerpt of the answer (the deliverer bounds it).
    pub response: Option<String>,
}

impl From<Delivery> for Attempted {
    fn from(delivery: Delivery) -> Self {
        Attempted {
            delivery,
            status_code: None,
            response: None,
        }
    }
}

/// Delivers claimed jobs. [`Deliveries`] is Baton's own; tests use fakes.
pub trait Deliver: Send + Sync + 'static {
    fn deliver(&self, job: &ClaimedJob) -> impl std::future::Future<Output = Attempted> + Send;
}

/// Baton's deliverer: emails through the stored SMTP settings, webhook events through the
/// outbound guard.
pub struct Deliveries {
    mailer: std::result::Result<Mailer, String>,
    webhooks: Option<crate::webhooks::Sender>,
}

impl Deliveries {
    pub fn new(smtp: Option<&SmtpSettings>) -> Deliveries {
        let mailer = match smtp.map(Mailer::new) {
            Some(Ok(m)) => Ok(m),
            Some(Err(e)) => {
                tracing::warn!(error = %e, "SMTP settings are invalid");
                Err(format!("the SMTP settings are invalid: {e}"))
            }
            None => Err("SMTP is not configured (Settings → Email)".to_owned()),
        };
        Deliveries {
            mailer,
            webhooks: None,
        }
    }

    /// The same, delivering webhook events with `sender`.
    pub fn with_webhooks(self, sender: crate::webhooks::Sender) -> Deliveries {
        Deliveries {
            webhooks: Some(sender),
            ..self
        }
    }
}

impl Deliver for Deliveries {
    async fn deliver(&self, job: &ClaimedJob) -> Attempted {
        match &job.job {
            Job::Email(email) => match &self.mailer {
                Ok(m) => match m.send(email).await {
                    Ok(()) => Delivery::Done(None),
                    Err(e) => Delivery::Retry(e.to_string()),
                },
                Err(e) => Delivery::Retry(e.clone()),
            }
            .into(),
            Job::Webhook(w) => match &self.webhooks {
                Some(sender) => sender.deliver(w, job.started_at).await,
                None => Delivery::Retry("webhook deliveries are not set up here".into()).into(),
            },
        }
    }
}

/// What one run of the worker did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunReport {
    pub claimed: usize,
    pub done: usize,
    /// Failed attempts to be tried again.
    pub retried: usize,
    /// Jobs failed for good.
    pub failed: usize,
}

impl Baton {
    /// Queues `job` on its own (not caused by a conversation write; those queue theirs with
    /// [`crate::store::conversations::ConversationWrite::jobs`]) and wakes the worker.
    pub async fn outbox_enqueue(&self, job: &Job, conversation: Option<Id>) -> Result<Id> {
        let id = self
            .store()
            .job_enqueue(job, conversation, crate::store::now())
            .await?;
        self.outbox_wake();
        Ok(id)
    }

    /// Wakes the outbox worker (after a write that queued a job committed).
    pub fn outbox_wake(&self) {
        self.notifier.notify_one();
    }

    /// Runs the due jobs once, with Baton's own deliverer.
    pub async fn outbox_run_due(&self) -> Result<RunReport> {
        self.outbox_run_at(crate::store::now(), Arc::new(self.deliveries().await?))
            .await
    }

    /// Baton's deliverer, with the SMTP settings as they are now.
    pub async fn deliveries(&self) -> Result<Deliveries> {
        // A password that cannot be opened fails the emails (retried, and said in their
        // attempts), not the webhooks delivered beside them.
        let smtp: Option<SmtpSettings> = self.smtp_settings().await.unwrap_or_else(|e| {
            tracing::error!(error = %e, "SMTP settings");
            None
        });
        Ok(Deliveries::new(smtp.as_ref()).with_webhooks(self.webhook_sender()))
    }

    /// Claims the jobs due at `now` (up to [`BATCH`]), delivers them concurrently with
    /// `deliver` and records how each attempt went; times come from `now` (a test clock may
    /// pass any), plus the time the attempt took.
    pub async fn outbox_run_at<D: Deliver>(
        &self,
        now: DateTime<Utc>,
        deliver: Arc<D>,
    ) -> Result<RunReport> {
        let lease = Duration::from_std(LEASE).unwrap_or(Duration::minutes(5));
        let claimed = self.store().jobs_claim(now, now + lease, BATCH).await?;
        let mut report = RunReport {
            claimed: claimed.len(),
            ..RunReport::default()
        };
        let mut running = tokio::task::JoinSet::new();
        for record in claimed {
            let deliver = deliver.clone();
            let store = self.store().clone();
            running.spawn(async move {
                let started = std::time::Instant::now();
                let policy = JobKind::parse(&record.kind).map(JobKind::retry);
                let outcome: Attempted = match Job::decode(&record.kind, &record.payload) {
                    // Unreadable, or of a kind this build does not know: never deliverable.
                    Err(e) => Delivery::GiveUp(e).into(),
                    Ok(job) => {
                        let p = job.kind().retry();
                        if record.round_attempt() > p.max_attempts {
                            // Claimed again after its worker stopped during the last attempt.
                            Delivery::GiveUp("the worker stopped during the last attempt".into())
                                .into()
                        } else {
                            let claimed = ClaimedJob {
                                id: record.id,
                                conversation_id: record.conversation_id,
                                attempt: record.attempts,
                                started_at: now,
                                job,
                            };
                            match tokio::time::timeout(p.timeout, deliver.deliver(&claimed)).await {
                                Ok(d) => d,
                                Err(_) => Delivery::Retry(format!(
                                    "no answer within {} s",
                                    p.timeout.as_secs()
                                ))
                                .into(),
                            }
                        }
                    }
                };
                // Each attempt is recorded as soon as it ends, concurrently with the others
                // (on PostgreSQL their commits overlap; SQLite takes them in turn).
                finish(&store, &record, policy, outcome, started.elapsed(), now).await
            });
        }
        // Every task runs to its end (dropping the set would abort deliveries half-recorded);
        // the first error is the run's.
        let mut first_error = None;
        while let Some(joined) = running.join_next().await {
            match joined.map_err(|e| Error::Internal(format!("outbox delivery: {e}"))) {
                Ok(Ok(Ended::Done)) => report.done += 1,
                Ok(Ok(Ended::Retried)) => report.retried += 1,
                Ok(Ok(Ended::Failed)) => report.failed += 1,
                Ok(Err(e)) | Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        match first_error {
            Some(e) => Err(e),
            None => Ok(report),
        }
    }

    /// Runs the outbox until the process ends: on every wake-up, when the next retry is due
    /// (an immediate or a 5 s retry goes when it says) and at least every 15 s (jobs queued by
    /// another process), at once again while whole batches are due.
    pub async fn outbox_worker(self) {
        const IDLE: StdDuration = StdDuration::from_secs(15);
        loop {
            let claimed = match self.outbox_run_due().await {
                Ok(r) if r.claimed as i64 == BATCH => continue,
                Ok(r) => r.claimed,
                Err(e) => {
                    tracing::error!(error = %e, "outbox worker");
                    0
                }
            };
            let wait = match self.store().jobs_next_due_at().await {
                Ok(Some(at)) => (at - Utc::now()).to_std().unwrap_or_default().min(IDLE),
                Ok(None) => IDLE,
                Err(e) => {
                    tracing::error!(error = %e, "outbox worker");
                    IDLE
                }
            };
            if wait.is_zero() && claimed > 0 {
                // A retry "at once" of what was just attempted: run again now.
                continue;
            }
            // Due but not claimed (another process has it, or clocks differ): not a busy loop.
            let wait = wait.max(StdDuration::from_millis(50));
            let _ = tokio::time::timeout(wait, self.notifier.notified()).await;
        }
    }
}

/// How an attempt ended, for the run's report.
enum Ended {
    Done,
    Retried,
    Failed,
}

/// Records how attempt `record.attempts` of a job went: done, again after the kind's delay (or
/// the later one the other side asked for), or failed when it was the round's last attempt.
async fn finish(
    store: &crate::store::Store,
    record: &JobRecord,
    policy: Option<RetryPolicy>,
    outcome: Attempted,
    took: StdDuration,
    now: DateTime<Utc>,
) -> Result<Ended> {
    let at = now + Duration::from_std(took).unwrap_or_default();
    let round = record.round_attempt();
    let log = AttemptLog {
        duration_ms: Some(i64::try_from(took.as_millis()).unwrap_or(i64::MAX)),
        status_code: outcome.status_code,
        response: outcome.response,
    };
    let asked = match &outcome.delivery {
        Delivery::RetryAfter(_, after) => Some(*after),
        _ => None,
    };
    let retry = policy.filter(|p| round < p.max_attempts);
    let (finish, ended) = match (outcome.delivery, retry) {
        (Delivery::Done(detail), _) => (Finish::Done { detail }, Ended::Done),
        (Delivery::Retry(error) | Delivery::RetryAfter(error, _), Some(p)) => {
            let mut delay = p.delay_after(round);
            if let Some(asked) = asked {
                delay = delay.max(asked.min(p.max_retry_after));
            }
            tracing::warn!(job = record.id, kind = %record.kind, attempt = record.attempts, error = %error, "delivery failed, will retry");
            let at = at + delay;
            (Finish::Retry { error, at }, Ended::Retried)
        }
        (Delivery::Retry(error) | Delivery::RetryAfter(error, _) | Delivery::GiveUp(error), _) => {
            tracing::warn!(job = record.id, kind = %record.kind, attempt = record.attempts, error = %error, "delivery failed for good");
            (Finish::Failed { error }, Ended::Failed)
        }
    };
    store
        .job_finish_logged(record.id, record.attempts, &finish, at, &log)
        .await?;
    Ok(ended)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notify::email::Email;

    #[test]
    fn email_backoff_doubles_from_30_s_to_an_hour() {
        let p = JobKind::Email.retry();
        let secs: Vec<i64> = (1..=9).map(|n| p.delay_after(n).num_seconds()).collect();
        assert_eq!(secs, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
        assert_eq!(p.max_attempts, 8);
    }

    #[test]
    fn webhooks_retry_on_the_fixed_schedule() {
        let p = JobKind::Webhook.retry();
        let secs: Vec<i64> = (1..=8).map(|n| p.delay_after(n).num_seconds()).collect();
        assert_eq!(secs, [5, 300, 1800, 7200, 18_000, 36_000, 36_000, 36_000]);
        assert_eq!(p.max_attempts, 8);
    }

    #[test]
    fn every_kind_finishes_within_the_lease_and_round_trips() {
        for k in JobKind::ALL {
            assert!(k.retry().timeout < LEASE, "{k:?}");
            assert_eq!(JobKind::parse(k.as_str()), Some(*k));
        }
        let job = Job::Email(Email {
            to: vec!["a@example.com".into()],
            subject: "s".into(),
            text: "t".into(),
            html: None,
        });
        assert_eq!(
            Job::decode(job.kind().as_str(), &job.payload().unwrap()),
            Ok(job)
        );
        assert!(Job::decode("webhook", "{}").is_err());
        assert!(Job::decode("fax", "{}").is_err());
    }
}
