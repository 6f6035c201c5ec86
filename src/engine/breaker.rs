//! Keeping a model that is down out of the visitor's way: one time budget shared by all model
//! calls of a visitor message ([`Budget`]), and a circuit breaker per agent's endpoint
//! ([`Breaker`]) that stops calling it after consecutive failures, for a cool-down that grows,
//! and lets one probe call at a time close it again.
//!
//! Only the endpoint's own failures count (no answer in time, unreachable, an HTTP error): a
//! reply that is not a valid decision shows the endpoint is up, so it neither opens the
//! breaker nor spends the message's other calls. Each process keeps its own breakers.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

use super::openai::EngineError;

/// Consecutive failures that open the breaker.
pub const FAILURES_TO_OPEN: u32 = 3;
/// The first cool-down; each failed probe doubles it, up to [`MAX_COOL_DOWN`].
pub const FIRST_COOL_DOWN: Duration = Duration::from_secs(30);
pub const MAX_COOL_DOWN: Duration = Duration::from_secs(600);
/// A probe that has not reported after this long (its message was dropped) frees the way for
/// another.
const PROBE_LEASE: Duration = Duration::from_secs(180);

/// Where the breaker's time comes from: the wall clock, or a test's.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

pub fn wall_clock() -> Clock {
    Arc::new(Utc::now)
}

/// Whether an error is the endpoint's failure (it counts towards opening the breaker).
pub fn is_endpoint_failure(e: &EngineError) -> bool {
    matches!(
        e,
        EngineError::Timeout | EngineError::Transport(_) | EngineError::Http { .. }
    )
}

/// The endpoint's state as the Agents page shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EngineHealthState {
    /// The built-in engine: nothing to call.
    Builtin,
    /// Answering (or not called yet).
    Healthy,
    /// Recent calls failed; still called.
    Failing,
    /// Not called until `retry_at`; the built-in engine decides meanwhile.
    Open,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct EngineHealth {
    pub state: EngineHealthState,
    /// Since when the calls fail (the first of the current run of failures).
    pub failing_since: Option<DateTime<Utc>>,
    /// The last failure in words (never a key or a secret: engine errors are scrubbed).
    pub last_error: Option<String>,
    pub consecutive_failures: u32,
    /// While open: when the next probe call may go.
    pub retry_at: Option<DateTime<Utc>>,
    /// This process's view (each `baton serve` process keeps its own breaker).
    pub checked_at: DateTime<Utc>,
}

/// May the model be called now?
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Permit {
    Call,
    /// The cool-down is over: this call is the probe.
    Probe,
    /// Open: not before `until`.
    Refused {
        until: DateTime<Utc>,
    },
}

#[derive(Debug, Default)]
struct State {
    failures: u32,
    failing_since: Option<DateTime<Utc>>,
    last_error: Option<String>,
    open_until: Option<DateTime<Utc>>,
    cool_down: Option<Duration>,
    probe_since: Option<DateTime<Utc>>,
}

/// The circuit breaker of one endpoint.
pub struct Breaker {
    clock: Clock,
    state: Mutex<State>,
}

impl std::fmt::Debug for Breaker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Breaker")
            .field("state", &self.state)
            .finish()
    }
}

fn chrono(d: Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
}

impl Breaker {
    pub fn new(clock: Clock) -> Breaker {
        Breaker {
            clock,
            state: Mutex::new(State::default()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn permit(&self) -> Permit {
        let now = (self.clock)();
        let mut s = self.lock();
        let Some(until) = s.open_until else {
            return Permit::Call;
        };
        if now < until {
            return Permit::Refused { until };
        }
        match s.probe_since {
            Some(since) if now - since < chrono(PROBE_LEASE) => Permit::Refused { until },
            _ => {
                s.probe_since = Some(now);
                Permit::Probe
            }
        }
    }

    /// The endpoint answered: closed again.
    pub fn success(&self) {
        *self.lock() = State::default();
    }

    /// The endpoint failed. Returns true when this failure opened the breaker (the moment
    /// the owner is told), not when a probe fails and it stays open.
    pub fn failure(&self, error: &str) -> bool {
        let now = (self.clock)();
        let mut s = self.lock();
        s.failures = s.failures.saturating_add(1);
        s.failing_since.get_or_insert(now);
        s.last_error = Some(error.chars().take(500).collect());
        if s.open_until.is_some() {
            // A failed probe: open again, twice as long.
            let next = s
                .cool_down
                .map_or(FIRST_COOL_DOWN, |c| (c * 2).min(MAX_COOL_DOWN));
            s.cool_down = Some(next);
            s.open_until = Some(now + chrono(next));
            s.probe_since = None;
            return false;
        }
        if s.failures >= FAILURES_TO_OPEN {
            s.cool_down = Some(FIRST_COOL_DOWN);
            s.open_until = Some(now + chrono(FIRST_COOL_DOWN));
            return true;
        }
        false
    }

    pub fn health(&self) -> EngineHealth {
        let now = (self.clock)();
        let s = self.lock();
        let state = if s.open_until.is_some() {
            EngineHealthState::Open
        } else if s.failures > 0 {
            EngineHealthState::Failing
        } else {
            EngineHealthState::Healthy
        };
        EngineHealth {
            state,
            failing_since: s.failing_since,
            last_error: s.last_error.clone(),
            consecutive_failures: s.failures,
            retry_at: s.open_until,
            checked_at: now,
        }
    }
}

/// One visitor message's model time: every call gets what is left, and after the endpoint
/// failed once, no further call is made for this message.
#[derive(Debug)]
pub struct Budget {
    total: Duration,
    deadline: Instant,
    failed: Mutex<Option<&'static str>>,
}

impl Budget {
    pub fn new(total: Duration) -> Budget {
        Budget {
            total,
            deadline: Instant::now() + total,
            failed: Mutex::new(None),
        }
    }

    /// The time left for the next call, or why there is none (short, and in words).
    pub fn remaining(&self) -> Result<Duration, (&'static str, String)> {
        if let Some(why) = *self.failed.lock().unwrap_or_else(|e| e.into_inner()) {
            return Err((
                "an earlier call failed",
                format!("an earlier model call for this message failed ({why}); no further calls"),
            ));
        }
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err((
                "time budget spent",
                format!(
                    "this message's model time ({} ms) is spent",
                    self.total.as_millis()
                ),
            ));
        }
        Ok(left)
    }

    pub fn failed(&self, why: &'static str) {
        *self.failed.lock().unwrap_or_else(|e| e.into_inner()) = Some(why);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicI64, Ordering};

    /// A clock that moves only when told.
    fn test_clock() -> (Clock, Arc<AtomicI64>) {
        let secs = Arc::new(AtomicI64::new(1_800_000_000));
        let s = secs.clone();
        let clock: Clock =
            Arc::new(move || DateTime::from_timestamp(s.load(Ordering::SeqCst), 0).expect("time"));
        (clock, secs)
    }

    #[test]
    fn opens_after_three_failures_probes_once_and_closes_on_success() {
        let (clock, secs) = test_clock();
        let b = Breaker::new(clock);
        assert_eq!(b.permit(), Permit::Call);
        assert!(!b.failure("timeout"));
        assert!(!b.failure("timeout"));
        assert_eq!(b.health().state, EngineHealthState::Failing);
        assert_eq!(b.permit(), Permit::Call);
        assert!(b.failure("timeout"), "the third failure opens it");
        let h = b.health();
        assert_eq!(h.state, EngineHealthState::Open);
        assert_eq!(h.consecutive_failures, 3);
        assert_eq!(h.last_error.as_deref(), Some("timeout"));
        let opened = secs.load(Ordering::SeqCst);
        assert!(matches!(b.permit(), Permit::Refused { .. }));

        secs.store(opened + 29, Ordering::SeqCst);
        assert!(
            matches!(b.permit(), Permit::Refused { .. }),
            "still cooling"
        );
        secs.store(opened + 30, Ordering::SeqCst);
        assert_eq!(b.permit(), Permit::Probe);
        assert!(
            matches!(b.permit(), Permit::Refused { .. }),
            "one probe at a time"
        );
        b.success();
        assert_eq!(b.health().state, EngineHealthState::Healthy);
        assert_eq!(b.health().failing_since, None);
        assert_eq!(b.permit(), Permit::Call);
    }

    #[test]
    fn a_failed_probe_doubles_the_cool_down_up_to_ten_minutes() {
        let (clock, secs) = test_clock();
        let b = Breaker::new(clock);
        let since = secs.load(Ordering::SeqCst);
        for _ in 0..3 {
            b.failure("HTTP 503");
        }
        let mut t = since;
        let mut waits = Vec::new();
        for _ in 0..7 {
            let until = b.health().retry_at.expect("open").timestamp();
            waits.push(until - t);
            t = until;
            secs.store(t, Ordering::SeqCst);
            assert_eq!(b.permit(), Permit::Probe);
            assert!(
                !b.failure("HTTP 503"),
                "a failed probe is not a new opening"
            );
        }
        assert_eq!(waits, [30, 60, 120, 240, 480, 600, 600]);
        assert_eq!(b.health().failing_since.map(|d| d.timestamp()), Some(since));
    }

    #[test]
    fn a_success_before_the_third_failure_starts_the_count_again() {
        let (clock, _) = test_clock();
        let b = Breaker::new(clock);
        b.failure("x");
        b.failure("x");
        b.success();
        b.failure("x");
        b.failure("x");
        assert_eq!(b.health().state, EngineHealthState::Failing);
    }

    #[test]
    fn a_probe_that_never_reports_frees_the_way_after_its_lease() {
        let (clock, secs) = test_clock();
        let b = Breaker::new(clock);
        for _ in 0..3 {
            b.failure("x");
        }
        let t = b.health().retry_at.unwrap().timestamp();
        secs.store(t, Ordering::SeqCst);
        assert_eq!(b.permit(), Permit::Probe);
        secs.store(t + 60, Ordering::SeqCst);
        assert!(matches!(b.permit(), Permit::Refused { .. }));
        secs.store(t + 181, Ordering::SeqCst);
        assert_eq!(b.permit(), Permit::Probe);
    }

    #[test]
    fn a_budget_ends_with_its_time_or_the_first_failure() {
        let b = Budget::new(Duration::from_secs(60));
        assert!(b.remaining().unwrap() <= Duration::from_secs(60));
        b.failed("timeout");
        assert!(b.remaining().unwrap_err().1.contains("failed (timeout)"));
        let spent = Budget::new(Duration::ZERO);
        assert!(spent.remaining().unwrap_err().1.contains("is spent"));
    }
}
