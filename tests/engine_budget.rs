//! A model that is down must not cost each visitor message one timeout per model call: all
//! calls of a message share one budget (the configured timeout), the first failure ends the
//! model's part of that message, and after three failed messages the endpoint's circuit
//! breaker stops calling it for a cool-down, probes it once and closes again — on a test clock.
//! Against a loopback fake model that hangs, answers slowly or fails, on SQLite and PostgreSQL.

use crate::common;

use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use baton::auth::Actor;
use baton::conversations::pipeline::{ConversationStart, VisitorMessageInput, VisitorSession};
use baton::conversations::Channel;
use baton::engine::breaker::{Clock, EngineHealthState};
use baton::outbox::model::JobKind;
use baton::Baton;
use serde_json::{json, Value};

const ME: &Actor = &Actor::Local;
const BUDGET_MS: u64 = 1000;

#[derive(Clone, Copy, Debug)]
enum Mode {
    /// Accepts the request and never answers.
    Hang,
    /// Answers correctly after this many milliseconds.
    Slow(u64),
    /// Answers HTTP 500 at once.
    Fail,
    /// Answers correctly at once.
    Ok,
}

#[derive(Clone)]
struct Fake {
    mode: Arc<Mutex<Mode>>,
    calls: Arc<AtomicUsize>,
}

/// A valid answer to whichever task the request is (told apart by its system prompt).
fn answer_for(body: &Value) -> Value {
    let system = body["messages"][0]["content"].as_str().unwrap_or_default();
    let content = if system.contains("handed to a human") {
        json!({"trigger": null, "matched": [], "confidence": 0.9, "reason": "nothing applies"})
    } else if system.contains("answering the visitor") {
        json!({"answer": "We open at nine.", "found": true})
    } else if system.contains("brief a human operator") {
        json!({"summary": "The visitor asked for a person."})
    } else if system.contains("priority") {
        json!({"priority": "medium", "reason": "an ordinary request"})
    } else {
        json!({"profile_id": null, "reason": "no profile"})
    };
    json!({"choices": [{"index": 0, "message": {"role": "assistant", "content": content.to_string()}}]})
}

async fn fake() -> (Fake, String) {
    let f = Fake {
        mode: Arc::new(Mutex::new(Mode::Ok)),
        calls: Default::default(),
    };
    let state = f.clone();
    let app = Router::new().route(
        "/v1/chat/completions",
        post(move |Json(body): Json<Value>| {
            let f = state.clone();
            async move {
                f.calls.fetch_add(1, Ordering::SeqCst);
                let mode = *f.mode.lock().unwrap();
                let r: Response = match mode {
                    Mode::Hang => {
                        std::future::pending::<()>().await;
                        unreachable!()
                    }
                    Mode::Slow(ms) => {
                        tokio::time::sleep(Duration::from_millis(ms)).await;
                        Json(answer_for(&body)).into_response()
                    }
                    Mode::Fail => {
                        (StatusCode::INTERNAL_SERVER_ERROR, "upstream down").into_response()
                    }
                    Mode::Ok => Json(answer_for(&body)).into_response(),
                };
                r
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/v1", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (f, base)
}

impl Fake {
    fn set(&self, m: Mode) {
        *self.mode.lock().unwrap() = m;
    }
    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

async fn use_model(b: &Baton, base_url: &str) {
    common::use_model(b, base_url, BUDGET_MS).await;
}

async fn start(b: &Baton) -> VisitorSession {
    b.conversation_start(ConversationStart {
        channel: Some(Channel::Playground),
        ..Default::default()
    })
    .await
    .unwrap()
}

/// Sends a message; how long the answer took.
async fn say(b: &Baton, s: &VisitorSession, text: &str) -> Duration {
    let t = Instant::now();
    b.visitor_message(
        s.conversation.id,
        &s.visitor_token,
        VisitorMessageInput {
            text: text.into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    t.elapsed()
}

/// (step, engine) of every decision that an engine made (not the rules).
async fn engines(b: &Baton, id: i64) -> Vec<(String, String)> {
    b.conversation_open(ME, id)
        .await
        .unwrap()
        .decisions
        .into_iter()
        .filter(|d| d.engine != "rules")
        .map(|d| (d.step, d.engine))
        .collect()
}

/// The built-in engine's own time is milliseconds; this much slack covers it and the database
/// writes on a loaded two-core machine, and stays under the two more timeouts a hanging model
/// would cost without the budget.
const SLACK: Duration = Duration::from_millis(1500);

#[tokio::test]
async fn a_hanging_model_costs_one_budget_per_message_not_one_timeout_per_call() {
    for db in common::all_dbs().await {
        let b = Baton::open(&db.url).await.unwrap();
        common::configure(&b, json!({"settings": {"is_active": true}})).await;
        let (model, url) = fake().await;
        use_model(&b, &url).await;
        model.set(Mode::Hang);
        let s = start(&b).await;
        let took = say(&b, &s, "I want to speak to a human please").await;
        assert!(
            took < Duration::from_millis(BUDGET_MS) + SLACK,
            "{}: answered after {took:?}",
            db.label
        );
        assert_eq!(model.calls(), 1, "after the first timeout, no further call");
        let e = engines(&b, s.conversation.id).await;
        assert!(e.len() >= 2, "{e:?}");
        assert_eq!(e[0].1, "builtin (fallback: timeout)", "{e:?}");
        for (step, engine) in &e[1..] {
            assert_eq!(
                engine, "builtin (fallback: an earlier call failed)",
                "{step}: {e:?}"
            );
        }
        // The handoff still happened, decided by the built-in engine.
        let steps = common::steps(&b, s.conversation.id).await;
        assert!(
            steps
                .iter()
                .any(|(s, o)| s == "handoff" && o == "completed"),
            "{steps:?}"
        );
    }
}

#[tokio::test]
async fn calls_share_the_budget_a_slow_model_gets_what_is_left() {
    for db in common::all_dbs().await {
        let b = Baton::open(&db.url).await.unwrap();
        let (model, url) = fake().await;
        use_model(&b, &url).await;

        // Just under the budget: the first call is answered, the second gets what is left and
        // runs out; the rest is the built-in engine's, without calls.
        model.set(Mode::Slow(BUDGET_MS * 6 / 10));
        let s = start(&b).await;
        let took = say(&b, &s, "What time do you open on Saturday?").await;
        assert!(
            took < Duration::from_millis(BUDGET_MS) + SLACK,
            "{}: {took:?}",
            db.label
        );
        let e = engines(&b, s.conversation.id).await;
        assert_eq!(e[0].1, "openai:fake-model", "{e:?}");
        assert_eq!(e[1].1, "builtin (fallback: timeout)", "{e:?}");
        assert_eq!(model.calls(), 2);

        // Just over: the first call runs out.
        model.set(Mode::Slow(BUDGET_MS + 300));
        let s = start(&b).await;
        let before = model.calls();
        let took = say(&b, &s, "What time do you open on Saturday?").await;
        assert!(
            took < Duration::from_millis(BUDGET_MS) + SLACK,
            "{}: {took:?}",
            db.label
        );
        assert_eq!(model.calls() - before, 1);
        let e = engines(&b, s.conversation.id).await;
        assert_eq!(e[0].1, "builtin (fallback: timeout)", "{e:?}");

        // Fast: every call is the model's.
        model.set(Mode::Ok);
        let s = start(&b).await;
        say(&b, &s, "What time do you open on Saturday?").await;
        let e = engines(&b, s.conversation.id).await;
        assert!(e.iter().all(|(_, en)| en == "openai:fake-model"), "{e:?}");
    }
}

#[tokio::test]
async fn the_breaker_opens_after_three_failed_messages_probes_after_the_cool_down_and_closes() {
    for db in common::all_dbs().await {
        let secs = Arc::new(AtomicI64::new(1_800_000_000));
        let s2 = secs.clone();
        let clock: Clock = Arc::new(move || {
            chrono::DateTime::from_timestamp(s2.load(Ordering::SeqCst), 0).unwrap()
        });
        let b = Baton::open(&db.url).await.unwrap().with_engine_clock(clock);
        common::configure(&b, json!({"settings": {"emails": ["owner@example.com"]}})).await;
        let (model, url) = fake().await;
        use_model(&b, &url).await;
        let health = || async { b.agent_engine_health(ME, None).await.unwrap() };
        assert_eq!(health().await.state, EngineHealthState::Healthy);
        let emails = || async {
            b.store()
                .jobs_list(Some(JobKind::Email), 100)
                .await
                .unwrap()
                .len()
        };
        let emails_before = emails().await;

        model.set(Mode::Fail);
        for i in 1..=3 {
            let s = start(&b).await;
            let before = model.calls();
            say(&b, &s, "What time do you open?").await;
            assert_eq!(
                model.calls() - before,
                1,
                "message {i}: one call, then built-in"
            );
            let e = engines(&b, s.conversation.id).await;
            assert_eq!(e[0].1, "builtin (fallback: HTTP error)", "{e:?}");
        }
        let h = health().await;
        assert_eq!(h.state, EngineHealthState::Open, "{h:?}");
        assert_eq!(h.consecutive_failures, 3);
        assert!(h.last_error.as_deref().unwrap().contains("500"), "{h:?}");
        assert_eq!(emails().await - emails_before, 1, "the owner is told once");

        // Open: not called at all, and the records say why.
        secs.fetch_add(29, Ordering::SeqCst);
        let s = start(&b).await;
        let before = model.calls();
        say(&b, &s, "What time do you open?").await;
        assert_eq!(model.calls(), before, "not called while open");
        let e = engines(&b, s.conversation.id).await;
        assert!(
            e.iter()
                .all(|(_, en)| en == "builtin (fallback: endpoint down)"),
            "{e:?}"
        );
        assert_eq!(emails().await - emails_before, 1, "still one email");

        // The cool-down is over and the model is back: the probe goes, it closes, the next
        // calls are the model's again.
        secs.fetch_add(1, Ordering::SeqCst);
        model.set(Mode::Ok);
        let s = start(&b).await;
        say(&b, &s, "What time do you open?").await;
        let e = engines(&b, s.conversation.id).await;
        assert!(e.iter().all(|(_, en)| en == "openai:fake-model"), "{e:?}");
        let h = health().await;
        assert_eq!(h.state, EngineHealthState::Healthy, "{h:?}");
        assert_eq!(h.failing_since, None);
        assert_eq!(emails().await - emails_before, 1);
    }
}
