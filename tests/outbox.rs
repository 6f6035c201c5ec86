//! The outbox of typed jobs, on every backend: a job queued with a change that is rolled back
//! never runs; several workers (two `Baton`s on one database, as two `baton serve` processes)
//! never run a job twice and run them all; a failing job is retried on its kind's schedule with
//! every attempt logged, then failed; a job whose worker died runs again once its lease ends.
//! Time is passed explicitly (`outbox_run_at`), deliveries go to a fake deliverer.

use crate::common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use baton::auth::Actor;
use baton::conversations::pipeline::ConversationStart;
use baton::conversations::*;
use baton::notify::Email;
use baton::outbox::{Attempted, ClaimedJob, Deliver, Delivery, Finish, Job, JobKind, LEASE};
use baton::store::conversations::*;
use baton::{Baton, Id};
use chrono::{DateTime, Duration, Utc};
use sqlx::{Connection, Executor};

const ME: &Actor = &Actor::Local;

fn email(subject: &str) -> Job {
    Job::Email(Email {
        to: vec!["team@example.com".into()],
        subject: subject.into(),
        text: format!("{subject}\n"),
        html: None,
    })
}

fn subject(job: &ClaimedJob) -> String {
    match &job.job {
        Job::Email(e) => e.subject.clone(),
        other => format!("{other:?}"),
    }
}

/// A time both databases store exactly (microseconds).
fn t0() -> DateTime<Utc> {
    DateTime::from_timestamp_micros(Utc::now().timestamp_micros()).unwrap()
}

/// Records every delivery; answers with `answer(job)`.
struct Fake {
    delivered: Mutex<Vec<(Id, String, i64)>>,
    answer: fn(&ClaimedJob) -> Delivery,
}

impl Fake {
    fn new(answer: fn(&ClaimedJob) -> Delivery) -> Arc<Fake> {
        Arc::new(Fake {
            delivered: Mutex::new(Vec::new()),
            answer,
        })
    }

    fn delivered(&self) -> Vec<(Id, String, i64)> {
        self.delivered.lock().unwrap().clone()
    }
}

impl Deliver for Fake {
    async fn deliver(&self, job: &ClaimedJob) -> Attempted {
        // Give other workers the chance to interleave.
        tokio::task::yield_now().await;
        self.delivered
            .lock()
            .unwrap()
            .push((job.id, subject(job), job.attempt));
        (self.answer)(job).into()
    }
}

fn ok(_: &ClaimedJob) -> Delivery {
    Delivery::Done(Some("250 queued".into()))
}

async fn execute(db: &common::TestDb, sqlite: &str, postgres: &str) {
    if db.label == "sqlite" {
        let mut c = sqlx::SqliteConnection::connect(&db.url).await.unwrap();
        c.execute(sqlite).await.unwrap();
    } else {
        let mut c = sqlx::PgConnection::connect(&db.url).await.unwrap();
        c.execute(postgres).await.unwrap();
    }
}

async fn conversation(b: &Baton) -> Conversation {
    let s = b
        .conversation_start(ConversationStart {
            channel: Some(Channel::Widget),
            ..Default::default()
        })
        .await
        .unwrap();
    b.conversation_open(ME, s.conversation.id)
        .await
        .unwrap()
        .conversation
}

fn handed_off(c: &Conversation) -> ConversationState {
    let mut s = c.state(None);
    s.status = Status::NeedsAgent;
    s.handoff_reason = Some("test".into());
    s
}

#[tokio::test]
async fn a_job_queued_with_a_write_that_rolls_back_never_runs() {
    for db in common::all_dbs().await {
        eprintln!("rolled back writes on {}", db.label);
        let b = Baton::open(&db.url).await.unwrap();
        let c = conversation(&b).await;
        let before = c.state(None);
        let moved = handed_off(&c);

        // Someone else moves the conversation first.
        b.store()
            .conversation_write(c.id, ConversationWrite::new(&before, &moved))
            .await
            .unwrap();

        // A write decided from the old state conflicts: its job is not queued.
        let mut resolved = before.clone();
        resolved.status = Status::Resolved;
        let stale = [email("from a stale state")];
        let err = b
            .store()
            .conversation_write(
                c.id,
                ConversationWrite {
                    jobs: &stale,
                    ..ConversationWrite::new(&before, &resolved)
                },
            )
            .await
            .unwrap_err();
        assert!(matches!(err, baton::Error::Conflict { .. }), "{err:?}");

        // A write that fails half-way (its decision record cannot be stored) neither.
        execute(
            &db,
            "CREATE TRIGGER fail_step BEFORE INSERT ON decision_records \
             BEGIN SELECT RAISE(ABORT, 'injected failure'); END",
            "CREATE FUNCTION fail_step() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
             RAISE EXCEPTION 'injected failure'; END $$; \
             CREATE TRIGGER fail_step BEFORE INSERT ON decision_records FOR EACH ROW EXECUTE FUNCTION fail_step()",
        )
        .await;
        let decision = [NewDecision {
            step: "handoff",
            outcome: "test".into(),
            reason: "test".into(),
            engine: "builtin".into(),
            latency_us: 0,
        }];
        let failing = [email("from a failed write")];
        let err = b
            .store()
            .conversation_write(
                c.id,
                ConversationWrite {
                    jobs: &failing,
                    decisions: &decision,
                    ..ConversationWrite::new(&moved, &moved)
                },
            )
            .await
            .unwrap_err();
        assert!(matches!(err, baton::Error::Database(_)), "{err:?}");
        execute(
            &db,
            "DROP TRIGGER fail_step",
            "DROP TRIGGER fail_step ON decision_records",
        )
        .await;

        // The same write, made from the state as it is, queues its job with it.
        let fine = [email("from the write that committed")];
        b.store()
            .conversation_write(
                c.id,
                ConversationWrite {
                    jobs: &fine,
                    ..ConversationWrite::new(&moved, &moved)
                },
            )
            .await
            .unwrap();

        let fake = Fake::new(ok);
        let later = t0() + Duration::days(1);
        let report = b.outbox_run_at(later, fake.clone()).await.unwrap();
        assert_eq!((report.claimed, report.done), (1, 1));
        let delivered: Vec<String> = fake.delivered().into_iter().map(|d| d.1).collect();
        assert_eq!(delivered, ["from the write that committed"]);
        let jobs = b.store().jobs_list(None, 100).await.unwrap();
        assert_eq!(jobs.len(), 1, "{jobs:#?}");
        assert_eq!(jobs[0].conversation_id, Some(c.id));
        assert_eq!(jobs[0].status, "done");
        assert_eq!(
            b.outbox_run_at(later, fake.clone()).await.unwrap().claimed,
            0
        );
    }
}

#[tokio::test]
async fn several_workers_on_one_database_run_every_job_exactly_once() {
    const JOBS: usize = 300;
    for db in common::all_dbs().await {
        eprintln!("concurrent workers on {}", db.label);
        // Two processes' worth: each `Baton` has its own pool (and, on SQLite, its own writer).
        let first = Baton::open(&db.url).await.unwrap();
        let second = Baton::open(&db.url).await.unwrap();
        let now = t0();
        for i in 0..JOBS {
            first
                .store()
                .job_enqueue(&email(&format!("job {i}")), None, now)
                .await
                .unwrap();
        }
        let fake = Fake::new(ok);
        let mut workers = tokio::task::JoinSet::new();
        for b in [&first, &second, &first, &second] {
            let (b, fake) = (b.clone(), fake.clone());
            workers.spawn(async move {
                let mut done = 0;
                loop {
                    let r = b.outbox_run_at(now, fake.clone()).await.unwrap();
                    if r.claimed == 0 {
                        return done;
                    }
                    done += r.done;
                }
            });
        }
        let mut per_worker = Vec::new();
        while let Some(done) = workers.join_next().await {
            per_worker.push(done.unwrap());
        }
        assert_eq!(per_worker.iter().sum::<usize>(), JOBS, "{per_worker:?}");

        let mut runs: HashMap<Id, usize> = HashMap::new();
        for (id, _, _) in fake.delivered() {
            *runs.entry(id).or_default() += 1;
        }
        let twice: Vec<_> = runs.iter().filter(|(_, n)| **n > 1).collect();
        assert!(twice.is_empty(), "jobs run more than once: {twice:?}");
        assert_eq!(runs.len(), JOBS, "every job ran");
        let jobs = second.store().jobs_list(None, 1000).await.unwrap();
        assert_eq!(jobs.len(), JOBS);
        assert!(jobs.iter().all(|j| j.status == "done" && j.attempts == 1));
        let attempts = second.store().job_attempts(jobs[0].id).await.unwrap();
        assert_eq!(attempts.len(), 1);
        assert_eq!(attempts[0].ok, Some(true));
        assert_eq!(attempts[0].detail.as_deref(), Some("250 queued"));
        first.store().close().await;
        second.store().close().await;
    }
}

#[tokio::test]
async fn a_failing_job_is_retried_on_its_schedule_then_failed_with_every_attempt_logged() {
    for db in common::all_dbs().await {
        eprintln!("retries on {}", db.label);
        let b = Baton::open(&db.url).await.unwrap();
        let fake = Fake::new(|job| Delivery::Retry(format!("boom {}", job.attempt)));
        let start = t0();
        let id = b
            .store()
            .job_enqueue(&email("never arrives"), None, start)
            .await
            .unwrap();
        let policy = JobKind::Email.retry();
        let mut due = start;
        let mut started = Vec::new();
        for n in 1..=policy.max_attempts {
            // Not a moment early.
            if n > 1 {
                let early = b
                    .outbox_run_at(due - Duration::seconds(1), fake.clone())
                    .await
                    .unwrap();
                assert_eq!(early.claimed, 0, "attempt {n} ran early");
            }
            let r = b.outbox_run_at(due, fake.clone()).await.unwrap();
            started.push(due);
            let job = b.store().job_get(id).await.unwrap().unwrap();
            assert_eq!(job.attempts, n);
            assert_eq!(
                job.last_error.as_deref(),
                Some(format!("boom {n}").as_str())
            );
            if n < policy.max_attempts {
                assert_eq!((r.claimed, r.retried, r.failed), (1, 1, 0), "attempt {n}");
                assert_eq!(job.status, "pending");
                let delay = job.next_attempt_at - due;
                let expected = policy.delay_after(n);
                assert!(
                    delay >= expected && delay < expected + Duration::seconds(5),
                    "after attempt {n}: {delay} instead of {expected}"
                );
                due = job.next_attempt_at;
            } else {
                assert_eq!((r.claimed, r.retried, r.failed), (1, 0, 1));
                assert_eq!(job.status, "failed");
                assert!(job.finished_at.is_some());
            }
        }
        // The schedule: 30 s, doubling.
        let gaps: Vec<i64> = started
            .windows(2)
            .map(|w| (w[1] - w[0]).num_seconds())
            .collect();
        assert_eq!(gaps, [30, 60, 120, 240, 480, 960, 1920]);
        // One log row per attempt, with its error.
        let log = b.store().job_attempts(id).await.unwrap();
        assert_eq!(log.len(), policy.max_attempts as usize);
        for (i, a) in log.iter().enumerate() {
            let n = i as i64 + 1;
            assert_eq!(a.attempt, n);
            assert_eq!(a.started_at, started[i]);
            assert!(a.finished_at.is_some());
            assert_eq!(a.ok, Some(false));
            assert_eq!(a.error.as_deref(), Some(format!("boom {n}").as_str()));
        }
        // Failed for good: never tried again.
        let r = b
            .outbox_run_at(due + Duration::days(30), fake.clone())
            .await
            .unwrap();
        assert_eq!(r.claimed, 0);
        assert_eq!(fake.delivered().len(), policy.max_attempts as usize);

        // A job refused for good fails at its first attempt.
        let refused = Fake::new(|_| Delivery::GiveUp("rejected".into()));
        let id = b
            .store()
            .job_enqueue(&email("refused"), None, start)
            .await
            .unwrap();
        let r = b.outbox_run_at(start, refused.clone()).await.unwrap();
        assert_eq!((r.claimed, r.failed), (1, 1));
        let job = b.store().job_get(id).await.unwrap().unwrap();
        assert_eq!((job.status.as_str(), job.attempts), ("failed", 1));
    }
}

#[tokio::test]
async fn a_job_whose_worker_died_runs_again_once_its_lease_ends() {
    for db in common::all_dbs().await {
        eprintln!("expired lease on {}", db.label);
        let b = Baton::open(&db.url).await.unwrap();
        let start = t0();
        let lease = Duration::from_std(LEASE).unwrap();
        let id = b
            .store()
            .job_enqueue(&email("orphaned"), None, start)
            .await
            .unwrap();
        // A worker claims it and stops before it finishes.
        let claimed = b
            .store()
            .jobs_claim(start, start + lease, 10)
            .await
            .unwrap();
        assert_eq!(claimed.len(), 1);
        assert_eq!(claimed[0].status, "running");

        let fake = Fake::new(ok);
        let during = b
            .outbox_run_at(start + lease - Duration::seconds(1), fake.clone())
            .await
            .unwrap();
        assert_eq!(during.claimed, 0, "held while leased");
        let after = b.outbox_run_at(start + lease, fake.clone()).await.unwrap();
        assert_eq!((after.claimed, after.done), (1, 1));
        assert_eq!(fake.delivered(), [(id, "orphaned".to_owned(), 2)]);

        // The stopped worker coming back cannot overwrite the attempt that succeeded.
        let stale = b
            .store()
            .job_finish(
                id,
                1,
                &Finish::Failed {
                    error: "late".into(),
                },
                start + lease,
            )
            .await
            .unwrap();
        assert!(!stale);
        let job = b.store().job_get(id).await.unwrap().unwrap();
        assert_eq!((job.status.as_str(), job.attempts), ("done", 2));
        let log = b.store().job_attempts(id).await.unwrap();
        assert_eq!(log.len(), 2);
        assert_eq!(log[0].ok, Some(false));
        assert!(
            log[0].error.as_deref().unwrap().starts_with("interrupted"),
            "{log:?}"
        );
        assert_eq!(log[1].ok, Some(true));
    }
}

#[tokio::test]
async fn notifications_queued_before_the_outbox_become_email_jobs() {
    for db in common::all_dbs().await {
        eprintln!("migrated notifications on {}", db.label);
        let at = t0();
        let insert = "INSERT INTO notifications (recipients, subject, body_text, body_html, status, \
                      attempts, last_error, next_attempt_at, created_at, sent_at) VALUES \
                      ($1, 'Waiting', 'Text', '<p>Html</p>', 'pending', 2, 'down', $2, $2, NULL), \
                      ('[\"b@example.com\"]', 'Gone', 'Sent text', NULL, 'sent', 1, NULL, $2, $2, $2)";
        let to = r#"["a@example.com","Ann <ann@example.com>"]"#;
        // The database as the version before the outbox left it.
        if db.label == "sqlite" {
            let opts: sqlx::sqlite::SqliteConnectOptions = db
                .url
                .parse::<sqlx::sqlite::SqliteConnectOptions>()
                .unwrap()
                .create_if_missing(true);
            let mut c = sqlx::SqliteConnection::connect_with(&opts).await.unwrap();
            before_outbox(sqlx::migrate!("./migrations/sqlite"))
                .run(&mut c)
                .await
                .unwrap();
            sqlx::query(insert)
                .bind(to)
                .bind(at)
                .execute(&mut c)
                .await
                .unwrap();
        } else {
            let mut c = sqlx::PgConnection::connect(&db.url).await.unwrap();
            before_outbox(sqlx::migrate!("./migrations/postgres"))
                .run(&mut c)
                .await
                .unwrap();
            sqlx::query(insert)
                .bind(to)
                .bind(at)
                .execute(&mut c)
                .await
                .unwrap();
        }

        let b = Baton::open(&db.url).await.unwrap();
        let listed = b.notification_list(ME).await.unwrap();
        assert_eq!(listed.len(), 2);
        let (gone, waiting) = (&listed[0], &listed[1]);
        assert_eq!(waiting.subject, "Waiting");
        assert_eq!(waiting.status, "pending");
        assert_eq!(waiting.attempts, 2);
        assert_eq!(waiting.last_error.as_deref(), Some("down"));
        let recipients: Vec<String> = serde_json::from_str(&waiting.recipients).unwrap();
        assert_eq!(recipients, ["a@example.com", "Ann <ann@example.com>"]);
        assert_eq!((gone.status.as_str(), gone.sent_at), ("sent", Some(at)));

        // The waiting one is sent by the outbox, as it was.
        let fake = Fake::new(ok);
        let r = b.outbox_run_at(at, fake.clone()).await.unwrap();
        assert_eq!((r.claimed, r.done), (1, 1));
        let job = b.store().job_get(waiting.id).await.unwrap().unwrap();
        assert_eq!(
            Job::decode(&job.kind, &job.payload),
            Ok(Job::Email(Email {
                to: recipients,
                subject: "Waiting".into(),
                text: "Text".into(),
                html: Some("<p>Html</p>".into()),
            }))
        );
        assert_eq!((job.status.as_str(), job.attempts), ("done", 3));
        // New jobs do not reuse the copied ids.
        let id = b.outbox_enqueue(&email("new"), None).await.unwrap();
        assert!(id > gone.id.max(waiting.id));
    }
}

/// The migrations before the outbox (0007).
fn before_outbox(mut m: sqlx::migrate::Migrator) -> sqlx::migrate::Migrator {
    m.migrations = m
        .migrations
        .iter()
        .filter(|x| x.version < 7)
        .cloned()
        .collect::<Vec<_>>()
        .into();
    m
}
