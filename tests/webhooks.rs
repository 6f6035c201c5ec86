//! Webhooks against a real receiver on loopback (an axum server started here), on SQLite and
//! PostgreSQL: signatures verified by an independent implementation (the `standardwebhooks`
//! package from PyPI, run with `python3`), both signatures during a rotation, the retry
//! schedule with a test clock (the outbox driven with explicit times, no sleeping),
//! `Retry-After`, a redirect counted as a failure, `410 Gone` turning the endpoint off,
//! exhaustion, redelivery of one and of all failed, events queued in the transaction of the
//! change (a refused write emits nothing), the address guard, permissions, the secret never
//! shown after its one reveal, agent-triggered webhooks (`action.triggered`, once per
//! conversation), the test button's entry in the delivery log, and pruning the log.

use crate::common;

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::process::Stdio;
use std::sync::{Arc, Mutex, OnceLock};

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use baton::auth::Actor;
use baton::conversations::inbox::{
    ConversationAction, ConversationManualHandoff, ConversationTake,
};
use baton::conversations::pipeline::{ConversationStart, VisitorMessageInput, VisitorSession};
use baton::conversations::*;
use baton::operators::Role;
use baton::outbox::JobKind;
use baton::store::conversations::ConversationWrite;
use baton::webhooks::model::{
    Webhook, WebhookDelivery, WebhookDeliveryQuery, WebhookDeliveryStatus, WebhookEvent,
    WebhookInput, WebhookJob, WebhookWithSecret,
};
use baton::{Baton, Id};
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};
use tokio::io::AsyncWriteExt;

const ME: &Actor = &Actor::Local;

// ---------------------------------------------------------------------------------------------
// The receiver.

#[derive(Debug, Clone)]
struct Seen {
    path: String,
    headers: HeaderMap,
    body: String,
}

impl Seen {
    fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body).expect("a JSON body")
    }
}

/// An answer the receiver gives: status and headers.
type Answer = (u16, Vec<(&'static str, String)>);

#[derive(Clone)]
struct Receiver {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
    /// Answers for `/flaky`, in turn; then 200.
    script: Arc<Mutex<VecDeque<Answer>>>,
}

impl Receiver {
    async fn start() -> Receiver {
        let seen: Arc<Mutex<Vec<Seen>>> = Default::default();
        let script: Arc<Mutex<VecDeque<Answer>>> = Default::default();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (rec, answers) = (seen.clone(), script.clone());
        let app = Router::new().fallback(move |uri: Uri, headers: HeaderMap, body: Bytes| {
            let (rec, answers) = (rec.clone(), answers.clone());
            async move {
                let path = uri.path().to_owned();
                rec.lock().unwrap().push(Seen {
                    path: path.clone(),
                    headers,
                    body: String::from_utf8_lossy(&body).into(),
                });
                respond(&path, &answers, addr.port())
            }
        });
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Receiver { addr, seen, script }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.addr.port())
    }

    fn at(&self, path: &str) -> Vec<Seen> {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|s| s.path == path)
            .cloned()
            .collect()
    }

    fn script(&self, answers: Vec<Answer>) {
        *self.script.lock().unwrap() = answers.into();
    }
}

fn respond(path: &str, script: &Mutex<VecDeque<Answer>>, port: u16) -> Response {
    let answer = |(code, headers): Answer| {
        let mut r = (
            StatusCode::from_u16(code).unwrap(),
            format!("answer {code}"),
        )
            .into_response();
        for (n, v) in headers {
            r.headers_mut().insert(n, v.parse().unwrap());
        }
        r
    };
    match path {
        "/flaky" => {
            let next = script.lock().unwrap().pop_front();
            answer(next.unwrap_or((200, vec![])))
        }
        "/gone" => answer((410, vec![])),
        "/down" => answer((500, vec![])),
        "/redirect" => answer((
            302,
            vec![("location", format!("http://127.0.0.1:{port}/ok"))],
        )),
        "/big" => (StatusCode::OK, "é".repeat(5000)).into_response(),
        _ => (StatusCode::OK, "thanks").into_response(),
    }
}

// ---------------------------------------------------------------------------------------------
// The independent verifier: Python's `standardwebhooks`.

/// Whether `python3` has `standardwebhooks`; without it the signature checks fail when
/// `BATON_REQUIRE_TOOLS` is set (CI), and are skipped with a note otherwise.
fn python_ready() -> bool {
    static READY: OnceLock<bool> = OnceLock::new();
    *READY.get_or_init(|| {
        let ok = std::process::Command::new("python3")
            .args(["-c", "import standardwebhooks"])
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        if !ok {
            let why = "python3 cannot import standardwebhooks (install it: python3 -m pip \
                       install standardwebhooks)";
            assert!(
                std::env::var_os("BATON_REQUIRE_TOOLS").is_none(),
                "{why}. BATON_REQUIRE_TOOLS is set, so the signature checks can't be skipped"
            );
            eprintln!("note: {why}; the independent signature checks are skipped");
        }
        ok
    })
}

const VERIFY: &str = r#"
import json, sys
from datetime import datetime, timezone
from standardwebhooks import Webhook
req = json.load(sys.stdin)
wh = Webhook(req["secret"])
if req["mode"] == "verify":
    wh.verify(req["body"], req["headers"])
else:
    # The library's own signature at the header's timestamp, which must be one of those sent
    # (for times a test clock chose, outside verify's 5-minute tolerance).
    ts = datetime.fromtimestamp(int(req["headers"]["webhook-timestamp"]), tz=timezone.utc)
    mine = wh.sign(req["headers"]["webhook-id"], ts, req["body"])
    if mine not in req["headers"]["webhook-signature"].split(" "):
        sys.exit("no matching signature")
print("ok")
"#;

/// Python's verdict on `seen` signed with `secret`: Ok, or its error. `mode` is `verify` (the
/// library's full check, timestamp tolerance included) or `sign` (its signature at the sent
/// timestamp is among those sent). None when the module is missing and not required.
async fn python(mode: &str, secret: &str, seen: &Seen) -> Option<Result<(), String>> {
    if !python_ready() {
        return None;
    }
    let headers: serde_json::Map<String, Value> =
        ["webhook-id", "webhook-timestamp", "webhook-signature"]
            .iter()
            .map(|h| (h.to_string(), Value::String(seen.header(h))))
            .collect();
    let input = json!({"mode": mode, "secret": secret, "headers": headers, "body": seen.body});
    let mut child = tokio::process::Command::new("python3")
        .args(["-c", VERIFY])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3");
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(input.to_string().as_bytes()).await.unwrap();
    drop(stdin);
    let out = child.wait_with_output().await.unwrap();
    Some(if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_owned())
    })
}

async fn verified(mode: &str, secret: &str, seen: &Seen) {
    if let Some(r) = python(mode, secret, seen).await {
        r.unwrap_or_else(|e| panic!("standardwebhooks refused the signature: {e}\n{seen:?}"));
    }
}

async fn refused(mode: &str, secret: &str, seen: &Seen) {
    if let Some(r) = python(mode, secret, seen).await {
        assert!(r.is_err(), "verified with the wrong secret: {seen:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers.

fn input(v: Value) -> WebhookInput {
    serde_json::from_value(v).expect("webhook input")
}

async fn create(b: &Baton, v: Value) -> WebhookWithSecret {
    b.webhook_create(ME, input(v))
        .await
        .expect("create webhook")
}

/// An endpoint at `path` of `r`, allowed to call loopback, subscribed to every event.
async fn endpoint(b: &Baton, r: &Receiver, name: &str, path: &str) -> WebhookWithSecret {
    create(
        b,
        json!({"name": name, "url": r.url(path), "allow": ["127.0.0.1"],
               "events": ["handoff.requested", "handoff.completed", "conversation.assigned",
                          "conversation.resolved", "lead.created"]}),
    )
    .await
}

async fn start(b: &Baton) -> VisitorSession {
    b.conversation_start(ConversationStart {
        channel: Some(Channel::Widget),
        ..Default::default()
    })
    .await
    .unwrap()
}

/// Hands conversation `id` to a person from the inbox (a manual handoff).
async fn hand_off(b: &Baton, id: Id) {
    b.conversation_handoff(
        ME,
        ConversationManualHandoff {
            id,
            reason: Some("the visitor asked for a refund".into()),
            take: false,
            as_operator_id: None,
        },
    )
    .await
    .unwrap();
}

async fn deliveries(b: &Baton, id: Id) -> Vec<WebhookDelivery> {
    b.webhook_delivery_list(
        ME,
        WebhookDeliveryQuery {
            id,
            status: None,
            before_id: None,
            limit: None,
        },
    )
    .await
    .unwrap()
    .deliveries
}

async fn only_delivery(b: &Baton, id: Id) -> WebhookDelivery {
    let mut list = deliveries(b, id).await;
    assert_eq!(list.len(), 1, "{list:#?}");
    list.remove(0)
}

/// The one delivery of an event (not a test) of endpoint `id`.
async fn only_event(b: &Baton, id: Id) -> WebhookDelivery {
    let mut list: Vec<WebhookDelivery> = deliveries(b, id)
        .await
        .into_iter()
        .filter(|d| !d.test)
        .collect();
    assert_eq!(list.len(), 1, "{list:#?}");
    list.remove(0)
}

/// Runs the outbox once at `at` with Baton's own deliverer.
async fn run_at(b: &Baton, at: DateTime<Utc>) -> baton::outbox::RunReport {
    b.outbox_run_at(at, Arc::new(b.deliveries().await.unwrap()))
        .await
        .unwrap()
}

/// A time both databases store exactly (microseconds).
fn t0() -> DateTime<Utc> {
    DateTime::from_timestamp_micros(Utc::now().timestamp_micros()).unwrap()
}

async fn webhook_jobs(b: &Baton) -> usize {
    b.store()
        .jobs_list(Some(JobKind::Webhook), 1000)
        .await
        .unwrap()
        .len()
}

// ---------------------------------------------------------------------------------------------
// Tests.

#[tokio::test]
async fn events_are_signed_and_verify_with_the_standard_library() {
    let r = Receiver::start().await;
    for db in common::all_dbs().await {
        eprintln!("signed events on {}", db.label);
        let b = Baton::open(&db.url).await.unwrap();
        common::configure(&b, json!({"settings": {"is_active": true}})).await;
        let path = format!("/signed-{}", db.label);
        let created = create(
            &b,
            json!({"name": "crm_sync", "description": "Tell the CRM when a person is needed",
                   "url": r.url(&path), "allow": ["127.0.0.1"], "send_chat_summary": true,
                   "success_message": "Your ticket is open.",
                   "events": ["handoff.requested", "handoff.completed",
                              "conversation.assigned", "conversation.resolved"]}),
        )
        .await;
        // Another endpoint that wants only resolutions, without the summary.
        let quiet_path = format!("/quiet-{}", db.label);
        let quiet = create(
            &b,
            json!({"name": "archive", "url": r.url(&quiet_path), "allow": ["127.0.0.1"],
                   "events": ["conversation.resolved"]}),
        )
        .await;
        let secret = created.secret.clone();
        assert!(
            secret.starts_with("whsec_") && secret.len() == 6 + 32,
            "{secret}"
        );
        assert_eq!(created.webhook.name, "crm_sync");
        assert_eq!(created.webhook.success_message, "Your ticket is open.");
        assert!(created.webhook.send_chat_summary && created.webhook.active);

        // The pipeline hands off: handoff.requested, queued with the handoff.
        let s = start(&b).await;
        let id = s.conversation.id;
        b.visitor_message(
            id,
            &s.visitor_token,
            VisitorMessageInput {
                text: "I want to talk to a human right now".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let queued = only_delivery(&b, created.webhook.id).await;
        assert_eq!(queued.status, WebhookDeliveryStatus::Pending);
        assert_eq!(queued.conversation_id, Some(id));
        let report = run_at(&b, Utc::now()).await;
        assert_eq!((report.claimed, report.done), (1, 1), "{report:?}");
        let got = r.at(&path);
        assert_eq!(got.len(), 1);
        let first = &got[0];
        verified("verify", &secret, first).await;
        refused("verify", &quiet.secret, first).await;
        assert_eq!(first.header("content-type"), "application/json");
        assert_eq!(first.header("webhook-id"), queued.message_id);
        let body = first.json();
        assert_eq!(body["type"], "handoff.requested");
        assert_eq!(body["data"]["event"], "handoff.requested");
        assert_eq!(body["data"]["webhook"], "crm_sync");
        assert_eq!(body["data"]["conversation"]["id"], id);
        assert_eq!(body["data"]["conversation"]["channel"], "widget");
        assert_eq!(body["data"]["conversation"]["status"], "needs_agent");
        assert_eq!(
            body["data"]["conversation"]["link"],
            format!("http://127.0.0.1:8787/#/inbox/{id}")
        );
        assert!(body["data"]["visitor"]["details"].is_object());
        let summary = body["data"]["summary"].as_str().unwrap();
        assert!(summary.contains("talk to a human"), "{summary}");
        DateTime::parse_from_rfc3339(body["timestamp"].as_str().unwrap()).unwrap();
        let delivered = only_delivery(&b, created.webhook.id).await;
        assert_eq!(delivered.status, WebhookDeliveryStatus::Delivered);
        assert_eq!(delivered.body, first.body);
        assert_eq!(delivered.attempts.len(), 1);
        let a = &delivered.attempts[0];
        assert_eq!((a.ok, a.status_code), (Some(true), Some(200)));
        assert_eq!(a.response.as_deref(), Some("thanks"));
        assert!(a.duration_ms.is_some());

        // An operator takes it: handoff.completed and conversation.assigned; then resolves it.
        let ada = common::operator(&b, "Ada", Role::Agent).await;
        b.conversation_take(
            ME,
            ConversationTake {
                id,
                as_operator_id: Some(ada),
                from_operator_id: None,
            },
        )
        .await
        .unwrap();
        b.conversation_resolve(
            ME,
            ConversationAction {
                id,
                as_operator_id: Some(ada),
            },
        )
        .await
        .unwrap();
        let report = run_at(&b, Utc::now()).await;
        assert_eq!((report.claimed, report.done), (4, 4), "{report:?}");
        let got = r.at(&path);
        let types: Vec<String> = got.iter().map(|s| s.json()["type"].to_string()).collect();
        assert_eq!(got.len(), 4, "{types:?}");
        let mut types: Vec<String> = got[1..]
            .iter()
            .map(|s| s.json()["type"].as_str().unwrap().to_owned())
            .collect();
        types.sort();
        assert_eq!(
            types,
            [
                "conversation.assigned",
                "conversation.resolved",
                "handoff.completed"
            ]
        );
        for s in &got {
            verified("verify", &secret, s).await;
        }
        let assigned = got
            .iter()
            .find(|s| s.json()["type"] == "conversation.assigned")
            .unwrap()
            .json();
        assert_eq!(assigned["data"]["operator"]["id"], ada);
        assert_eq!(assigned["data"]["operator"]["name"], "Ada");
        // Only the resolution reached the other endpoint, and without a summary.
        let archived = r.at(&quiet_path);
        assert_eq!(archived.len(), 1);
        verified("verify", &quiet.secret, &archived[0]).await;
        let body = archived[0].json();
        assert_eq!(body["type"], "conversation.resolved");
        assert_eq!(body["data"]["webhook"], "archive");
        assert!(body["data"].get("summary").is_none(), "{body}");
        // Message ids are unique per event and endpoint.
        let mut ids: Vec<String> = r
            .seen
            .lock()
            .unwrap()
            .iter()
            .map(|s| s.header("webhook-id"))
            .collect();
        let n = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), n);
    }
}

#[tokio::test]
async fn a_rotation_sends_both_signatures_for_24_hours() {
    let r = Receiver::start().await;
    for db in common::all_dbs().await {
        eprintln!("rotation on {}", db.label);
        let b = Baton::open(&db.url).await.unwrap();
        let path = format!("/rotation-{}", db.label);
        let created = endpoint(&b, &r, "rotating", &path).await;
        let old = created.secret.clone();

        // The test button: one signature, with the only secret.
        let t = b.webhook_test(ME, created.webhook.id).await.unwrap();
        assert!(t.ok && t.status_code == Some(200), "{t:?}");
        assert_eq!(t.response.as_deref(), Some("thanks"));
        let seen = r.at(&path).pop().unwrap();
        assert_eq!(seen.header("webhook-id"), t.message_id);
        assert_eq!(seen.json()["type"], "webhook.test");
        assert_eq!(seen.header("webhook-signature").split(' ').count(), 1);
        verified("verify", &old, &seen).await;

        let rotated = b
            .webhook_rotate_secret(ME, created.webhook.id)
            .await
            .unwrap();
        let new = rotated.secret.clone();
        assert_ne!(new, old);
        let until = rotated.webhook.previous_secret_expires_at.unwrap();
        let hours = (until - rotated.webhook.updated_at).num_hours();
        assert_eq!(hours, 24);

        // During the rotation: both signatures, each verifiable with its secret.
        b.webhook_test(ME, created.webhook.id).await.unwrap();
        let seen = r.at(&path).pop().unwrap();
        assert_eq!(seen.header("webhook-signature").split(' ').count(), 2);
        verified("verify", &old, &seen).await;
        verified("verify", &new, &seen).await;
        refused("verify", "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &seen).await;

        // A delivery retried within the 24 hours is signed with both; one after them with the
        // new secret only (the test clock says when).
        let s = start(&b).await;
        hand_off(&b, s.conversation.id).await;
        r.script(vec![(500, vec![])]);
        let flaky = create(
            &b,
            json!({"name": "rotating_flaky", "url": r.url("/flaky"), "allow": ["127.0.0.1"],
                   "events": ["conversation.resolved"]}),
        )
        .await;
        let flaky_old = flaky.secret.clone();
        let now = t0();
        let flaky_new = b
            .webhook_rotate_secret_at(ME, flaky.webhook.id, now)
            .await
            .unwrap()
            .secret;
        b.conversation_resolve(
            ME,
            ConversationAction {
                id: s.conversation.id,
                as_operator_id: None,
            },
        )
        .await
        .unwrap();
        let before = r.at("/flaky").len();
        run_at(&b, now + Duration::hours(23)).await;
        let d = only_delivery(&b, flaky.webhook.id).await;
        assert_eq!(d.status, WebhookDeliveryStatus::Retrying);
        run_at(&b, now + Duration::hours(25)).await;
        let sent = r.at("/flaky");
        assert_eq!(sent.len(), before + 2);
        let (during, after) = (&sent[before], &sent[before + 1]);
        assert_eq!(during.header("webhook-signature").split(' ').count(), 2);
        verified("sign", &flaky_old, during).await;
        verified("sign", &flaky_new, during).await;
        assert_eq!(after.header("webhook-signature").split(' ').count(), 1);
        verified("sign", &flaky_new, after).await;
        refused("sign", &flaky_old, after).await;
        assert_eq!(during.header("webhook-id"), after.header("webhook-id"));
        assert_eq!(
            after.header("webhook-timestamp"),
            (now + Duration::hours(25)).timestamp().to_string()
        );
        let listed = b.webhook_get(ME, flaky.webhook.id).await.unwrap();
        assert!(listed.previous_secret_expires_at.is_some());
    }
}

#[tokio::test]
async fn retries_follow_the_schedule_with_a_test_clock() {
    let r = Receiver::start().await;
    for db in common::all_dbs().await {
        eprintln!("retry schedule on {}", db.label);
        let b = Baton::open(&db.url).await.unwrap();
        let w = endpoint(&b, &r, "flaky", "/flaky").await;
        let s = start(&b).await;
        r.script(vec![(500, vec![]), (502, vec![]), (429, vec![])]);
        hand_off(&b, s.conversation.id).await;
        let before = r.at("/flaky").len();

        // Immediately, then 5 s, 5 min, 30 min: the fourth attempt succeeds.
        let mut due = t0();
        let mut started = Vec::new();
        for n in 1..=4 {
            if n > 1 {
                let early = run_at(&b, due - Duration::seconds(1)).await;
                assert_eq!(early.claimed, 0, "attempt {n} ran early");
            }
            let report = run_at(&b, due).await;
            assert_eq!(report.claimed, 1, "attempt {n}");
            started.push(due);
            let d = only_delivery(&b, w.webhook.id).await;
            if n < 4 {
                assert_eq!(d.status, WebhookDeliveryStatus::Retrying, "attempt {n}");
                due = d.next_attempt_at.unwrap();
            } else {
                assert_eq!(d.status, WebhookDeliveryStatus::Delivered);
            }
        }
        let gaps: Vec<i64> = started
            .windows(2)
            .map(|w| (w[1] - w[0]).num_seconds())
            .collect();
        assert_eq!(gaps, [5, 300, 1800]);
        let d = only_delivery(&b, w.webhook.id).await;
        let codes: Vec<Option<u16>> = d.attempts.iter().map(|a| a.status_code).collect();
        assert_eq!(codes, [Some(500), Some(502), Some(429), Some(200)]);
        assert_eq!(
            d.attempts[0].error.as_deref(),
            Some("answered 500"),
            "{:?}",
            d.attempts[0]
        );
        assert_eq!(d.attempts[0].response.as_deref(), Some("answer 500"));
        assert!(d.attempts.iter().all(|a| a.duration_ms.is_some()));
        // One message: the same id on every attempt, each stamped with its attempt's time.
        let sent = &r.at("/flaky")[before..];
        assert_eq!(sent.len(), 4);
        for (s, at) in sent.iter().zip(&started) {
            assert_eq!(s.header("webhook-id"), d.message_id);
            assert_eq!(s.header("webhook-timestamp"), at.timestamp().to_string());
            assert_eq!(s.body, d.body);
        }
        verified("sign", &w.secret, &sent[3]).await;
    }
}

#[tokio::test]
async fn retry_after_is_honoured_when_later_than_the_schedule() {
    let r = Receiver::start().await;
    for db in common::all_dbs().await {
        eprintln!("Retry-After on {}", db.label);
        let b = Baton::open(&db.url).await.unwrap();
        let w = endpoint(&b, &r, "busy", "/flaky").await;
        let s = start(&b).await;
        r.script(vec![
            (503, vec![("retry-after", "3600".into())]),
            (429, vec![("retry-after", "1".into())]),
        ]);
        hand_off(&b, s.conversation.id).await;
        let now = t0();
        run_at(&b, now).await;
        let d = only_delivery(&b, w.webhook.id).await;
        let wait = d.next_attempt_at.unwrap() - now;
        assert!(
            wait >= Duration::seconds(3600) && wait < Duration::seconds(3605),
            "{wait}"
        );
        // Asked for less than the schedule's next delay (5 min): the schedule wins.
        let second = d.next_attempt_at.unwrap();
        run_at(&b, second).await;
        let d = only_delivery(&b, w.webhook.id).await;
        let wait = d.next_attempt_at.unwrap() - second;
        assert!(
            wait >= Duration::seconds(300) && wait < Duration::seconds(305),
            "{wait}"
        );
    }
}

#[tokio::test]
async fn exhausted_after_the_last_attempt_then_redelivered() {
    let r = Receiver::start().await;
    for db in common::all_dbs().await {
        eprintln!("exhaustion and redelivery on {}", db.label);
        let b = Baton::open(&db.url).await.unwrap();
        let w = endpoint(&b, &r, "down", "/down").await;
        let s = start(&b).await;
        hand_off(&b, s.conversation.id).await;
        let policy = JobKind::Webhook.retry();
        let mut due = t0();
        for n in 1..=policy.max_attempts {
            let report = run_at(&b, due).await;
            assert_eq!(report.claimed, 1, "attempt {n}");
            let d = only_delivery(&b, w.webhook.id).await;
            if n < policy.max_attempts {
                assert_eq!(d.status, WebhookDeliveryStatus::Retrying);
                due = d.next_attempt_at.unwrap();
            } else {
                assert_eq!(d.status, WebhookDeliveryStatus::Exhausted, "{d:#?}");
                assert!(d.next_attempt_at.is_none() && d.finished_at.is_some());
                assert_eq!(d.last_error.as_deref(), Some("answered 500"));
            }
        }
        // 8 attempts over about 28 hours, then nothing.
        assert_eq!(
            run_at(&b, due + Duration::days(30)).await.claimed,
            0,
            "nothing after exhaustion"
        );
        let d = only_delivery(&b, w.webhook.id).await;
        assert_eq!(d.attempts.len(), 8);
        let total = d.attempts[7].started_at - d.attempts[0].started_at;
        let schedule = 5 + 60 * (5 + 30 + 120 + 300 + 600 + 600);
        assert!(
            (schedule..schedule + 5).contains(&total.num_seconds()),
            "{total}"
        );
        // The owner sees it: the log lists it as exhausted.
        let page = b
            .webhook_delivery_list(
                ME,
                WebhookDeliveryQuery {
                    id: w.webhook.id,
                    status: Some(WebhookDeliveryStatus::Exhausted),
                    before_id: None,
                    limit: None,
                },
            )
            .await
            .unwrap();
        assert_eq!(page.deliveries.len(), 1);

        // The endpoint is fixed: redeliver this one, the same message, attempts numbered on.
        let fixed = input(
            json!({"name": "down", "url": r.url("/ok"), "allow": ["127.0.0.1"],
            "events": ["handoff.requested", "conversation.resolved"]}),
        );
        b.webhook_update(ME, w.webhook.id, fixed).await.unwrap();
        let again = b.webhook_redeliver(ME, d.id).await.unwrap();
        assert_eq!(again.status, WebhookDeliveryStatus::Pending);
        assert_eq!(again.message_id, d.message_id);
        let err = b.webhook_redeliver(ME, d.id).await.unwrap_err();
        assert_eq!(err.code(), "conflict", "{err:?}");
        let later = due + Duration::days(31);
        assert_eq!(run_at(&b, later).await.done, 1);
        let d = only_delivery(&b, w.webhook.id).await;
        assert_eq!(d.status, WebhookDeliveryStatus::Delivered);
        assert_eq!(d.attempts.len(), 9);
        assert_eq!(d.attempts[8].attempt, 9);
        let ok = r.at("/ok");
        assert_eq!(ok.last().unwrap().header("webhook-id"), d.message_id);
        verified("sign", &w.secret, ok.last().unwrap()).await;

        // Redeliver all failed: two that failed (blocked by a dead address) go again; the
        // delivered one does not.
        let dead = input(json!({"name": "down", "url": "http://localhost:9/x",
            "events": ["handoff.requested", "conversation.resolved"]}));
        b.webhook_update(ME, w.webhook.id, dead).await.unwrap();
        for _ in 0..2 {
            let s = start(&b).await;
            hand_off(&b, s.conversation.id).await;
        }
        run_at(&b, later).await;
        let failed: Vec<Id> = deliveries(&b, w.webhook.id)
            .await
            .into_iter()
            .filter(|d| d.status == WebhookDeliveryStatus::Failed)
            .map(|d| d.id)
            .collect();
        assert_eq!(failed.len(), 2);
        let fixed = input(
            json!({"name": "down", "url": r.url("/ok"), "allow": ["127.0.0.1"],
            "events": ["handoff.requested"]}),
        );
        b.webhook_update(ME, w.webhook.id, fixed).await.unwrap();
        let mut redone = b
            .webhook_redeliver_failed(ME, w.webhook.id)
            .await
            .unwrap()
            .delivery_ids;
        redone.sort();
        let mut expected = failed.clone();
        expected.sort();
        assert_eq!(redone, expected);
        assert_eq!(run_at(&b, later).await.done, 2);
        assert!(deliveries(&b, w.webhook.id)
            .await
            .iter()
            .all(|d| d.status == WebhookDeliveryStatus::Delivered));
        assert!(b
            .webhook_redeliver_failed(ME, w.webhook.id)
            .await
            .unwrap()
            .delivery_ids
            .is_empty());
    }
}

#[tokio::test]
async fn a_redirect_is_a_failure_and_410_turns_the_endpoint_off() {
    let r = Receiver::start().await;
    for db in common::all_dbs().await {
        eprintln!("redirects and 410 on {}", db.label);
        let b = Baton::open(&db.url).await.unwrap();
        let moved = endpoint(&b, &r, "moved", "/redirect").await;
        let gone = endpoint(&b, &r, "gone", "/gone").await;
        let ok_before = r.at("/ok").len();
        let s = start(&b).await;
        hand_off(&b, s.conversation.id).await;
        let now = t0();
        let report = run_at(&b, now).await;
        assert_eq!((report.claimed, report.retried, report.failed), (2, 1, 1));

        let d = only_delivery(&b, moved.webhook.id).await;
        assert_eq!(d.status, WebhookDeliveryStatus::Retrying);
        assert_eq!(d.attempts[0].status_code, Some(302));
        assert!(
            d.attempts[0].error.as_deref().unwrap().contains("redirect"),
            "{:?}",
            d.attempts[0]
        );
        assert_eq!(r.at("/ok").len(), ok_before, "the redirect was followed");

        let d = only_delivery(&b, gone.webhook.id).await;
        assert_eq!(d.status, WebhookDeliveryStatus::Failed);
        assert_eq!(d.attempts[0].status_code, Some(410));
        let off = b.webhook_get(ME, gone.webhook.id).await.unwrap();
        assert!(!off.active);
        assert!(off.disabled_reason.as_deref().unwrap().contains("410"));
        // Turned off: told nothing more, and not redelivered.
        b.conversation_resolve(
            ME,
            ConversationAction {
                id: s.conversation.id,
                as_operator_id: None,
            },
        )
        .await
        .unwrap();
        assert_eq!(deliveries(&b, gone.webhook.id).await.len(), 1);
        assert_eq!(deliveries(&b, moved.webhook.id).await.len(), 2);
        let err = b.webhook_redeliver(ME, d.id).await.unwrap_err();
        assert_eq!(err.code(), "conflict");
        // Turned on again by its owner: the reason is gone.
        let on = input(json!({"name": "gone", "url": r.url("/ok"), "allow": ["127.0.0.1"]}));
        let on = b.webhook_update(ME, gone.webhook.id, on).await.unwrap();
        assert!(on.active && on.disabled_reason.is_none());
    }
}

#[tokio::test]
async fn events_are_queued_in_the_transaction_of_their_change() {
    let r = Receiver::start().await;
    for db in common::all_dbs().await {
        eprintln!("same transaction on {}", db.label);
        let b = Baton::open(&db.url).await.unwrap();
        let _w = endpoint(&b, &r, "tx", "/ok").await;
        let s = start(&b).await;
        let c = b
            .conversation_open(ME, s.conversation.id)
            .await
            .unwrap()
            .conversation;
        let before = c.state(None);
        let mut handed = before.clone();
        handed.status = Status::NeedsAgent;
        handed.handed_off_at = Some(Utc::now());
        // Someone else moves it first (a handoff: one event).
        b.store()
            .conversation_write(c.id, ConversationWrite::new(&before, &handed))
            .await
            .unwrap();
        assert_eq!(webhook_jobs(&b).await, 1);
        // A resolution decided from the old state conflicts: no conversation.resolved.
        let mut resolved = before.clone();
        resolved.status = Status::Resolved;
        let err = b
            .store()
            .conversation_write(c.id, ConversationWrite::new(&before, &resolved))
            .await
            .unwrap_err();
        assert!(matches!(err, baton::Error::Conflict { .. }), "{err:?}");
        assert_eq!(
            webhook_jobs(&b).await,
            1,
            "a refused write emitted an event"
        );
        // A simultaneous take: only the take that wins emits.
        let ada = common::operator(&b, "Ada", Role::Agent).await;
        let bob = common::operator(&b, "Bob", Role::Agent).await;
        let (x, y) = tokio::join!(
            b.conversation_take(
                ME,
                ConversationTake {
                    id: c.id,
                    as_operator_id: Some(ada),
                    from_operator_id: None
                }
            ),
            b.conversation_take(
                ME,
                ConversationTake {
                    id: c.id,
                    as_operator_id: Some(bob),
                    from_operator_id: None
                }
            ),
        );
        assert!(x.is_ok() != y.is_ok(), "{x:?} {y:?}");
        // handoff.completed and conversation.assigned of the one take.
        assert_eq!(webhook_jobs(&b).await, 3);
        // The same write, from the state as it is now, emits with it.
        b.conversation_resolve(
            ME,
            ConversationAction {
                id: c.id,
                as_operator_id: None,
            },
        )
        .await
        .unwrap();
        assert_eq!(webhook_jobs(&b).await, 4);
        assert_eq!(run_at(&b, Utc::now()).await.done, 4);
    }
}

#[tokio::test]
async fn the_address_guard_blocks_unless_allow_listed() {
    let r = Receiver::start().await;
    let port = r.addr.port();
    for db in common::all_dbs().await {
        eprintln!("the guard on {}", db.label);
        let b = Baton::open(&db.url).await.unwrap();
        // A loopback literal is refused when saved, next to the field.
        let e = b
            .webhook_create(
                ME,
                input(json!({"name": "lan", "url": r.url("/ok"), "events": ["handoff.requested"]})),
            )
            .await
            .unwrap_err();
        assert_eq!(e.code(), "validation_failed");
        assert_eq!(e.field(), Some("url"));
        // A name resolving to loopback is checked when called: blocked, nothing sent.
        let path = format!("/guarded-{}", db.label);
        let w = create(
            &b,
            json!({"name": "lan", "url": format!("http://localhost:{port}{path}"),
                   "events": ["handoff.requested"]}),
        )
        .await;
        let t = b.webhook_test(ME, w.webhook.id).await.unwrap();
        assert!(!t.ok && t.status_code.is_none(), "{t:?}");
        assert!(t.error.as_deref().unwrap().starts_with("blocked"), "{t:?}");
        let s = start(&b).await;
        hand_off(&b, s.conversation.id).await;
        let report = run_at(&b, Utc::now()).await;
        assert_eq!((report.claimed, report.failed), (1, 1));
        // The blocked test is in the log too.
        let tests: Vec<WebhookDelivery> = deliveries(&b, w.webhook.id)
            .await
            .into_iter()
            .filter(|d| d.test)
            .collect();
        assert_eq!(tests.len(), 1, "{tests:#?}");
        assert!(tests[0]
            .last_error
            .as_deref()
            .unwrap()
            .starts_with("blocked"));
        let d = only_event(&b, w.webhook.id).await;
        assert_eq!(d.status, WebhookDeliveryStatus::Failed);
        assert!(d.last_error.as_deref().unwrap().starts_with("blocked"));
        assert!(r.at(&path).is_empty(), "a blocked delivery was sent");
        // Allowed through the endpoint's allow-list.
        let allowed = input(
            json!({"name": "lan", "url": format!("http://localhost:{port}{path}"),
            "allow": ["127.0.0.1", "::1"], "events": ["handoff.requested"]}),
        );
        b.webhook_update(ME, w.webhook.id, allowed).await.unwrap();
        let t = b.webhook_test(ME, w.webhook.id).await.unwrap();
        assert!(t.ok, "{t:?}");
        b.webhook_redeliver(ME, d.id).await.unwrap();
        assert_eq!(run_at(&b, Utc::now()).await.done, 1);
        assert_eq!(r.at(&path).len(), 2);
    }
}

#[tokio::test]
async fn permissions_owners_and_admins_write_viewers_read() {
    let r = Receiver::start().await;
    let db = common::sqlite();
    let b = Baton::open(&db.url).await.unwrap();
    let admin = Actor::Operator {
        operator_id: common::operator(&b, "Ada", Role::Admin).await,
        role: Role::Admin,
    };
    let viewer = Actor::Operator {
        operator_id: common::operator(&b, "Vic", Role::Viewer).await,
        role: Role::Viewer,
    };
    let agent = Actor::Operator {
        operator_id: common::operator(&b, "Al", Role::Agent).await,
        role: Role::Agent,
    };
    let def = json!({"name": "ping", "url": r.url("/ok"), "allow": ["127.0.0.1"]});
    let w = b.webhook_create(&admin, input(def.clone())).await.unwrap();
    for who in [&viewer, &agent] {
        let forbidden = |e: baton::Error| assert_eq!(e.code(), "forbidden");
        forbidden(b.webhook_create(who, input(def.clone())).await.unwrap_err());
        forbidden(
            b.webhook_update(who, w.webhook.id, input(def.clone()))
                .await
                .unwrap_err(),
        );
        forbidden(b.webhook_test(who, w.webhook.id).await.unwrap_err());
        forbidden(
            b.webhook_rotate_secret(who, w.webhook.id)
                .await
                .unwrap_err(),
        );
        forbidden(
            b.webhook_redeliver_failed(who, w.webhook.id)
                .await
                .unwrap_err(),
        );
        forbidden(b.webhook_redeliver(who, 1).await.unwrap_err());
        forbidden(b.webhook_delete(who, w.webhook.id).await.unwrap_err());
    }
    assert_eq!(b.webhook_list(&viewer, None).await.unwrap().len(), 1);
    assert_eq!(
        b.webhook_get(&viewer, w.webhook.id).await.unwrap().name,
        "ping"
    );
    // The address can itself be a credential (a Slack hook URL): whole only for those who
    // may change it.
    let origin = format!("http://127.0.0.1:{}", r.addr.port());
    for who in [&viewer, &agent] {
        assert_eq!(
            b.webhook_get(who, w.webhook.id).await.unwrap().url,
            format!("{origin}/…")
        );
        assert_eq!(
            b.webhook_list(who, None).await.unwrap()[0].url,
            format!("{origin}/…")
        );
    }
    assert_eq!(
        b.webhook_get(&admin, w.webhook.id).await.unwrap().url,
        r.url("/ok")
    );
    b.webhook_delivery_list(
        &viewer,
        WebhookDeliveryQuery {
            id: w.webhook.id,
            status: None,
            before_id: None,
            limit: None,
        },
    )
    .await
    .unwrap();
    let e = b
        .webhook_create(&admin, input(def.clone()))
        .await
        .unwrap_err();
    assert_eq!((e.code(), e.field()), ("conflict", Some("name")));
    b.webhook_delete(&admin, w.webhook.id).await.unwrap();
    assert_eq!(
        b.webhook_get(&admin, w.webhook.id)
            .await
            .unwrap_err()
            .code(),
        "not_found"
    );
}

#[tokio::test]
async fn the_secret_shows_once_and_never_again() {
    let r = Receiver::start().await;
    let captured = common::tracing_capture::tracing_output();
    for db in common::all_dbs().await {
        eprintln!("secrets on {}", db.label);
        let server = common::TestServer::start(db).await;
        let http = common::client();
        let auth = format!("Bearer {}", server.token);
        let call = |method: reqwest::Method, path: &str, body: Option<Value>| {
            let req = http
                .request(method, server.url(path))
                .header("authorization", &auth);
            let req = match body {
                Some(b) => req.json(&b),
                None => req,
            };
            async move {
                let resp = req.send().await.unwrap();
                let status = resp.status().as_u16();
                (status, resp.text().await.unwrap())
            }
        };
        // Over REST: created (201) with the secret once.
        let (status, text) = call(
            reqwest::Method::POST,
            "/v1/webhooks",
            Some(
                json!({"name": "canary", "url": r.url("/ok"), "allow": ["127.0.0.1"],
                        "events": ["handoff.requested", "conversation.resolved"],
                        "send_chat_summary": true}),
            ),
        )
        .await;
        assert_eq!(status, 201, "{text}");
        let created: WebhookWithSecret = serde_json::from_str(&text).unwrap();
        let id = created.webhook.id;
        let mut secrets = vec![created.secret.clone()];
        // Invalid input: 422 naming the fields.
        let (status, text) = call(
            reqwest::Method::POST,
            "/v1/webhooks",
            Some(json!({"name": "Bad Name", "url": "ftp://x", "events": ["webhook.test"]})),
        )
        .await;
        assert_eq!(status, 422, "{text}");
        let e: Value = serde_json::from_str(&text).unwrap();
        let fields: Vec<&str> = e["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["name", "url", "events[0]"]);

        let (status, text) = call(
            reqwest::Method::POST,
            &format!("/v1/webhooks/{id}/rotate-secret"),
            None,
        )
        .await;
        assert_eq!(status, 200, "{text}");
        let rotated: WebhookWithSecret = serde_json::from_str(&text).unwrap();
        secrets.push(rotated.secret.clone());

        // Everything else the API answers, over REST and RPC.
        let b = &server.baton;
        let s = start(b).await;
        hand_off(b, s.conversation.id).await;
        run_at(b, Utc::now()).await;
        let mut answers = Vec::new();
        for (method, path, body) in [
            (reqwest::Method::GET, "/v1/webhooks".to_owned(), None),
            (reqwest::Method::GET, format!("/v1/webhooks/{id}"), None),
            (
                reqwest::Method::PUT,
                format!("/v1/webhooks/{id}"),
                Some(
                    json!({"name": "canary", "url": r.url("/ok"), "allow": ["127.0.0.1"],
                            "events": ["handoff.requested"]}),
                ),
            ),
            (
                reqwest::Method::POST,
                format!("/v1/webhooks/{id}/test"),
                None,
            ),
            (
                reqwest::Method::GET,
                format!("/v1/webhooks/{id}/deliveries?status=delivered"),
                None,
            ),
            (
                reqwest::Method::POST,
                format!("/v1/webhooks/{id}/redeliver-failed"),
                None,
            ),
            (
                reqwest::Method::POST,
                "/v1/rpc/webhook_list".to_owned(),
                Some(json!({})),
            ),
            (
                reqwest::Method::POST,
                "/v1/rpc/webhook_delivery_list".to_owned(),
                Some(json!({"id": id})),
            ),
            (
                reqwest::Method::POST,
                "/v1/rpc/webhook_redeliver".to_owned(),
                Some(json!({"id": 999_999})),
            ),
        ] {
            let (status, text) = call(method, &path, body).await;
            assert!(status < 500, "{path}: {status} {text}");
            answers.push(text);
        }
        // The handoff's delivery and the test's.
        let page: Value = serde_json::from_str(&answers[4]).unwrap();
        let tests: Vec<bool> = page["deliveries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["test"].as_bool().unwrap())
            .collect();
        assert_eq!(tests, [true, false], "{page}");
        let listed: Vec<Webhook> = serde_json::from_str(&answers[0]).unwrap();
        assert_eq!(listed.len(), 1);
        // Nowhere: not in answers, not in logs, not in the database in clear.
        let logs = captured.text();
        let stored = raw_webhooks(&server.db.url).await;
        for secret in &secrets {
            let key = secret.trim_start_matches("whsec_");
            for text in answers.iter().chain([&logs, &stored]) {
                assert!(!text.contains(key), "the secret leaked: {text}");
            }
        }
        assert!(stored.contains("v1:"), "{stored}");
        assert!(!format!("{created:?}").contains(&created.secret[6..]));
        server.stop().await;
    }
}

/// Every text column of the webhooks table, as stored.
async fn raw_webhooks(url: &str) -> String {
    use sqlx::Connection;
    let sql = "SELECT name || ' ' || url || ' ' || secret || ' ' || COALESCE(previous_secret, '') FROM webhooks";
    let rows: Vec<String> = if url.starts_with("sqlite") {
        let mut c = sqlx::SqliteConnection::connect(url).await.unwrap();
        sqlx::query_scalar(sql).fetch_all(&mut c).await.unwrap()
    } else {
        let mut c = sqlx::PgConnection::connect(url).await.unwrap();
        sqlx::query_scalar(sql).fetch_all(&mut c).await.unwrap()
    };
    rows.join("\n")
}

#[tokio::test]
async fn a_long_answer_is_kept_to_2_kib() {
    let r = Receiver::start().await;
    let db = common::sqlite();
    let b = Baton::open(&db.url).await.unwrap();
    let w = endpoint(&b, &r, "chatty", "/big").await;
    let t = b.webhook_test(ME, w.webhook.id).await.unwrap();
    let excerpt = t.response.unwrap();
    assert!(
        excerpt.len() <= 2048 && excerpt.len() > 2000,
        "{}",
        excerpt.len()
    );
    assert!(excerpt.chars().all(|c| c == 'é'));
}

#[tokio::test]
async fn the_command_line_lists_tests_and_shows_deliveries() {
    let r = Receiver::start().await;
    let db = common::sqlite();
    let b = Baton::open(&db.url).await.unwrap();
    let w = endpoint(&b, &r, "cli_hook", "/cli").await;
    let s = start(&b).await;
    hand_off(&b, s.conversation.id).await;
    run_at(&b, Utc::now()).await;
    b.store().close().await;
    let key = w.secret.trim_start_matches("whsec_").to_owned();
    let run = |args: Vec<&str>| {
        let url = db.url.clone();
        let args: Vec<String> = args.into_iter().map(str::to_owned).collect();
        let key = key.clone();
        async move {
            let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_baton"))
                .arg("--db")
                .arg(&url)
                .args(&args)
                .env_remove("BATON_DATABASE_URL")
                .env_remove("BATON_SECRET_KEY")
                .output()
                .await
                .unwrap();
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(!text.contains(&key), "{text}");
            (out.status.success(), text)
        }
    };
    let (ok, out) = run(vec!["webhook", "list"]).await;
    assert!(
        ok && out.contains("cli_hook") && out.contains("handoff.requested"),
        "{out}"
    );
    let id = w.webhook.id.to_string();
    let (ok, out) = run(vec!["webhook", "test", &id]).await;
    assert!(
        ok && out.contains("← 200") && out.contains("delivered"),
        "{out}"
    );
    assert_eq!(r.at("/cli").len(), 2);
    verified("verify", &w.secret, &r.at("/cli")[1]).await;
    let (ok, out) = run(vec!["webhook", "deliveries", &id]).await;
    assert!(
        ok && out.contains("handoff.requested")
            && out.contains("webhook.test")
            && out.contains("delivered"),
        "{out}"
    );
    let (ok, out) = run(vec![
        "--json",
        "webhook",
        "deliveries",
        &id,
        "--status",
        "exhausted",
    ])
    .await;
    assert!(ok, "{out}");
    let page: Value = serde_json::from_str(&out).unwrap();
    assert!(page["deliveries"].as_array().unwrap().is_empty());
    let (ok, out) = run(vec!["webhook", "deliveries", &id, "--status", "lost"]).await;
    assert!(!ok && out.contains("exhausted"), "{out}");
}

// ---------------------------------------------------------------------------------------------
// Agent-triggered webhooks, the test button's log entry, pruning.

/// Sends `text` as the visitor of `s`; the text of the agent's first reply.
async fn say(b: &Baton, s: &VisitorSession, text: &str) -> String {
    let reply = b
        .visitor_message(
            s.conversation.id,
            &s.visitor_token,
            VisitorMessageInput {
                text: text.into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    match reply.events.first() {
        Some(VisitorEvent::Reply { text }) => text.clone(),
        other => panic!("no reply to {text:?}: {other:?}"),
    }
}

/// The decision records of step `webhook` in conversation `id`: (outcome, reason, engine,
/// latency in µs).
async fn webhook_records(b: &Baton, id: Id) -> Vec<(String, String, String, i64)> {
    b.conversation_open(ME, id)
        .await
        .unwrap()
        .decisions
        .into_iter()
        .filter(|d| d.step == "webhook")
        .map(|d| (d.outcome, d.reason, d.engine, d.latency_us))
        .collect()
}

#[tokio::test]
async fn the_agent_triggers_a_described_webhook_once_per_conversation() {
    let r = Receiver::start().await;
    for db in common::all_dbs().await {
        eprintln!("agent-triggered webhooks on {}", db.label);
        let b = Baton::open(&db.url).await.unwrap();
        let ticket_path = format!("/ticket-{}", db.label);
        let callback_path = format!("/callback-{}", db.label);
        // Subscribed to no event: the agent's trigger reaches it all the same.
        let ticket = create(
            &b,
            json!({"name": "create_support_ticket",
                   "description": "Open a support ticket when the visitor reports a problem \
                                   with an invoice or a billing error",
                   "url": r.url(&ticket_path), "allow": ["127.0.0.1"],
                   "send_chat_summary": true,
                   "success_message": "Your ticket is open: our team will email you."}),
        )
        .await;
        let callback = create(
            &b,
            json!({"name": "request_callback",
                   "description": "Schedule a phone callback when the visitor asks to be called",
                   "url": r.url(&callback_path), "allow": ["127.0.0.1"],
                   "success_message": "We will call you back soon."}),
        )
        .await;
        // Would match their messages below, but one is off and the other has no description.
        let off = create(
            &b,
            json!({"name": "cancel_subscription",
                   "description": "Cancel the subscription when the visitor wants to cancel their plan",
                   "url": r.url("/off"), "allow": ["127.0.0.1"], "active": false}),
        )
        .await;
        let silent = create(
            &b,
            json!({"name": "newsletter_signup", "url": r.url("/silent"), "allow": ["127.0.0.1"]}),
        )
        .await;
        let jobs_before = webhook_jobs(&b).await;

        // Unrelated messages: answered as usual, nothing queued, no webhook record.
        let a = start(&b).await;
        let aid = a.conversation.id;
        let said = say(
            &b,
            &a,
            "Hello, my name is Jane Doe and my email is jane@example.com",
        )
        .await;
        assert_ne!(said, ticket.webhook.success_message);
        say(&b, &a, "What are your opening hours on Sunday?").await;
        assert_eq!(webhook_jobs(&b).await, jobs_before);
        assert!(webhook_records(&b, aid).await.is_empty());

        // The message calls for the ticket: one delivery, the success message, the record.
        let said = say(
            &b,
            &a,
            "There is a problem with my invoice: the billing amount is wrong",
        )
        .await;
        assert_eq!(said, "Your ticket is open: our team will email you.");
        let records = webhook_records(&b, aid).await;
        assert_eq!(records.len(), 1, "{records:?}");
        let (outcome, reason, engine, latency) = &records[0];
        assert_eq!(outcome, "triggered");
        assert!(
            reason.contains("create_support_ticket")
                && reason.contains("invoic")
                && reason.contains("with the chat summary"),
            "{reason}"
        );
        assert_eq!(engine, "builtin");
        assert!(*latency >= 0);
        assert_eq!(webhook_jobs(&b).await, jobs_before + 1);
        let queued = only_delivery(&b, ticket.webhook.id).await;
        assert_eq!(queued.event.as_str(), "action.triggered");
        assert_eq!(queued.conversation_id, Some(aid));
        assert_eq!(queued.status, WebhookDeliveryStatus::Pending);
        assert!(!queued.test);

        // Delivered signed: the standard library verifies it; the body says what happened.
        let report = run_at(&b, Utc::now()).await;
        assert_eq!((report.claimed, report.done), (1, 1), "{report:?}");
        let got = r.at(&ticket_path);
        assert_eq!(got.len(), 1);
        verified("verify", &ticket.secret, &got[0]).await;
        refused("verify", &callback.secret, &got[0]).await;
        assert_eq!(got[0].header("webhook-id"), queued.message_id);
        let body = got[0].json();
        assert_eq!(body["type"], "action.triggered");
        let data = &body["data"];
        assert_eq!(data["event"], "action.triggered");
        assert_eq!(data["webhook"], "create_support_ticket");
        assert_eq!(data["conversation"]["id"], aid);
        assert_eq!(data["conversation"]["channel"], "widget");
        assert_eq!(data["conversation"]["status"], "ai");
        assert_eq!(
            data["conversation"]["link"],
            format!("http://127.0.0.1:8787/#/inbox/{aid}")
        );
        assert_eq!(data["visitor"]["name"], "Jane Doe");
        assert_eq!(data["visitor"]["email"], "jane@example.com");
        assert!(data["visitor"].get("phone").is_none(), "{data}");
        let summary = data["summary"].as_str().expect("a summary");
        assert!(
            summary.contains("invoice") && summary.contains("jane@example.com"),
            "{summary}"
        );

        // Called for again in the same conversation: a normal answer, recorded why.
        let said = say(
            &b,
            &a,
            "Another problem: the invoice I got today is wrong too",
        )
        .await;
        assert_ne!(said, ticket.webhook.success_message);
        let records = webhook_records(&b, aid).await;
        assert_eq!(records.len(), 2, "{records:?}");
        assert_eq!(records[1].0, "already_triggered");
        assert!(records[1].1.contains("already triggered"), "{records:?}");
        assert_eq!(deliveries(&b, ticket.webhook.id).await.len(), 1);

        // Another conversation: the callback, without the summary; then the ticket again (once
        // per conversation, not once in all).
        let c = start(&b).await;
        let said = say(&b, &c, "Can you give me a phone callback tomorrow morning?").await;
        assert_eq!(said, "We will call you back soon.");
        let said = say(
            &b,
            &c,
            "I also have a problem with an invoice and its billing",
        )
        .await;
        assert_eq!(said, ticket.webhook.success_message);
        assert_eq!(run_at(&b, Utc::now()).await.done, 2);
        let got = r.at(&callback_path);
        assert_eq!(got.len(), 1);
        verified("verify", &callback.secret, &got[0]).await;
        let body = got[0].json();
        assert_eq!(body["type"], "action.triggered");
        assert_eq!(body["data"]["webhook"], "request_callback");
        assert_eq!(body["data"]["conversation"]["id"], c.conversation.id);
        assert!(body["data"].get("summary").is_none(), "{body}");
        let got = r.at(&ticket_path);
        assert_eq!(got.len(), 2);
        assert_eq!(
            got[1].json()["data"]["conversation"]["id"],
            c.conversation.id
        );
        verified("verify", &ticket.secret, &got[1]).await;
        let (outcome, reason, _, _) = &webhook_records(&b, c.conversation.id).await[0];
        assert_eq!(outcome, "triggered");
        assert!(!reason.contains("summary"), "{reason}");

        // Turned off, or without a description: never triggered.
        let d = start(&b).await;
        let jobs = webhook_jobs(&b).await;
        say(&b, &d, "I want to cancel my subscription plan").await;
        say(&b, &d, "Please add me to the newsletter signup").await;
        assert_eq!(webhook_jobs(&b).await, jobs);
        assert!(webhook_records(&b, d.conversation.id).await.is_empty());
        assert!(deliveries(&b, off.webhook.id).await.is_empty());
        assert!(deliveries(&b, silent.webhook.id).await.is_empty());
        // Once the endpoint is on, the same message triggers it (so the filter, not the
        // matcher, held it back).
        let on = input(json!({"name": "cancel_subscription",
            "description": "Cancel the subscription when the visitor wants to cancel their plan",
            "url": r.url("/off"), "allow": ["127.0.0.1"]}));
        b.webhook_update(ME, off.webhook.id, on).await.unwrap();
        say(&b, &d, "I want to cancel my subscription plan").await;
        assert_eq!(deliveries(&b, off.webhook.id).await.len(), 1);

        // action.triggered is not an event to subscribe to.
        let e = b
            .webhook_create(
                ME,
                input(
                    json!({"name": "sub", "url": r.url("/ok"), "allow": ["127.0.0.1"],
                             "events": ["action.triggered"]}),
                ),
            )
            .await
            .unwrap_err();
        assert_eq!(e.field(), Some("events[0]"), "{e:?}");
    }
}

#[tokio::test]
async fn a_second_trigger_of_one_conversation_is_refused_by_the_store() {
    // Two processes deciding one conversation at once would both queue the delivery: the
    // trigger's row, written with it, lets only the first write through.
    let r = Receiver::start().await;
    for db in common::all_dbs().await {
        eprintln!("trigger once on {}", db.label);
        let b = Baton::open(&db.url).await.unwrap();
        let w = create(
            &b,
            json!({"name": "crm", "description": "Tell the CRM", "url": r.url("/ok"),
                   "allow": ["127.0.0.1"]}),
        )
        .await;
        let s = start(&b).await;
        let c = b
            .conversation_open(ME, s.conversation.id)
            .await
            .unwrap()
            .conversation;
        let state = c.state(None);
        let job = |n: u32| {
            baton::outbox::Job::Webhook(WebhookJob {
                endpoint_id: w.webhook.id,
                event: WebhookEvent::ActionTriggered,
                message_id: format!("msg_test{n}"),
                body: "{}".into(),
            })
        };
        let first = [job(1)];
        b.store()
            .conversation_write(
                c.id,
                ConversationWrite {
                    jobs: &first,
                    ..ConversationWrite::new(&state, &state)
                },
            )
            .await
            .unwrap();
        let second = [job(2)];
        let err = b
            .store()
            .conversation_write(
                c.id,
                ConversationWrite {
                    jobs: &second,
                    ..ConversationWrite::new(&state, &state)
                },
            )
            .await
            .unwrap_err();
        assert!(matches!(err, baton::Error::Conflict { .. }), "{err:?}");
        let list = deliveries(&b, w.webhook.id).await;
        assert_eq!(list.len(), 1, "{list:#?}");
        assert_eq!(list[0].message_id, "msg_test1");
        // Another conversation is another trigger.
        let other = start(&b).await;
        b.store()
            .conversation_write(
                other.conversation.id,
                ConversationWrite {
                    jobs: &second,
                    ..ConversationWrite::new(&state, &state)
                },
            )
            .await
            .unwrap();
        assert_eq!(deliveries(&b, w.webhook.id).await.len(), 2);
    }
}

#[tokio::test]
async fn the_test_button_is_logged_as_a_test() {
    let r = Receiver::start().await;
    for db in common::all_dbs().await {
        eprintln!("test deliveries on {}", db.label);
        let b = Baton::open(&db.url).await.unwrap();
        let path = format!("/tested-{}", db.label);
        let w = endpoint(&b, &r, "tested", &path).await;
        let t = b.webhook_test(ME, w.webhook.id).await.unwrap();
        assert!(t.ok, "{t:?}");
        let d = only_delivery(&b, w.webhook.id).await;
        assert_eq!(d.id, t.delivery_id);
        assert!(d.test);
        assert_eq!(d.event.as_str(), "webhook.test");
        assert_eq!(d.status, WebhookDeliveryStatus::Delivered);
        assert_eq!(d.conversation_id, None);
        assert_eq!(d.message_id, t.message_id);
        assert_eq!(d.body, t.body);
        assert_eq!(d.body, r.at(&path)[0].body);
        assert!(d.finished_at.is_some() && d.next_attempt_at.is_none());
        assert_eq!(d.attempts.len(), 1);
        let a = &d.attempts[0];
        assert_eq!((a.attempt, a.ok, a.status_code), (1, Some(true), Some(200)));
        assert_eq!(a.response.as_deref(), Some("thanks"));
        assert_eq!(a.duration_ms, i64::try_from(t.duration_ms).ok());

        // A failed test: logged as failed with its answer, and never sent again.
        let down = endpoint(&b, &r, "tested_down", "/down").await;
        let t = b.webhook_test(ME, down.webhook.id).await.unwrap();
        assert!(!t.ok && t.status_code == Some(500), "{t:?}");
        let d = only_delivery(&b, down.webhook.id).await;
        assert!(d.test);
        assert_eq!(d.status, WebhookDeliveryStatus::Failed);
        assert_eq!(d.last_error.as_deref(), Some("answered 500"));
        assert_eq!(d.attempts[0].status_code, Some(500));
        assert_eq!(d.attempts[0].error.as_deref(), Some("answered 500"));
        assert_eq!(d.attempts[0].response.as_deref(), Some("answer 500"));
        let listed = b
            .webhook_delivery_list(
                ME,
                WebhookDeliveryQuery {
                    id: down.webhook.id,
                    status: Some(WebhookDeliveryStatus::Failed),
                    before_id: None,
                    limit: None,
                },
            )
            .await
            .unwrap();
        assert_eq!(listed.deliveries.len(), 1);
        let e = b.webhook_redeliver(ME, d.id).await.unwrap_err();
        assert_eq!(e.code(), "conflict", "{e:?}");
        let again = b
            .webhook_redeliver_failed(ME, down.webhook.id)
            .await
            .unwrap();
        assert!(again.delivery_ids.is_empty(), "{again:?}");
        let sent = r.at("/down").len();
        assert_eq!(run_at(&b, Utc::now() + Duration::days(1)).await.claimed, 0);
        assert_eq!(r.at("/down").len(), sent);
    }
}

#[tokio::test]
async fn finished_deliveries_are_pruned_after_their_retention() {
    let r = Receiver::start().await;
    for db in common::all_dbs().await {
        eprintln!("pruning on {}", db.label);
        let b = Baton::open(&db.url).await.unwrap();
        let events = json!(["handoff.requested"]);
        let ok = create(
            &b,
            json!({"name": "kept_ok", "url": r.url("/ok"), "allow": ["127.0.0.1"], "events": events}),
        )
        .await;
        // Blocked by the guard: failed at once.
        let blocked = create(
            &b,
            json!({"name": "kept_blocked", "url": "http://localhost:9/x", "events": events}),
        )
        .await;
        let down = create(
            &b,
            json!({"name": "kept_down", "url": r.url("/down"), "allow": ["127.0.0.1"], "events": events}),
        )
        .await;
        let s = start(&b).await;
        hand_off(&b, s.conversation.id).await;
        let t = t0();
        let report = run_at(&b, t).await;
        assert_eq!(
            (report.done, report.failed, report.retried),
            (1, 1, 1),
            "{report:?}"
        );
        let mut finished: Vec<Id> = Vec::new();
        for w in [ok.webhook.id, blocked.webhook.id] {
            finished.push(only_delivery(&b, w).await.id);
        }
        for id in &finished {
            assert_eq!(b.store().job_attempts(*id).await.unwrap().len(), 1);
        }

        // Kept for the default 30 days after they finished.
        let keep = baton::webhooks::validate::DELIVERY_RETENTION_DEFAULT_DAYS;
        assert_eq!(keep, 30);
        assert_eq!(
            b.webhook_delivery_prune_at(t + Duration::days(29), keep)
                .await
                .unwrap(),
            0
        );
        assert_eq!(deliveries(&b, ok.webhook.id).await.len(), 1);
        // A shorter retention, passed in: the delivered and the failed one go, with their
        // attempts; the one still retrying stays, however old.
        assert_eq!(
            b.webhook_delivery_prune_at(t + Duration::hours(23), 1)
                .await
                .unwrap(),
            0
        );
        assert_eq!(
            b.webhook_delivery_prune_at(t + Duration::hours(25), 1)
                .await
                .unwrap(),
            2
        );
        assert!(deliveries(&b, ok.webhook.id).await.is_empty());
        assert!(deliveries(&b, blocked.webhook.id).await.is_empty());
        for id in &finished {
            assert!(b.store().job_attempts(*id).await.unwrap().is_empty());
            assert!(b.store().job_get(*id).await.unwrap().is_none());
        }
        assert_eq!(
            b.webhook_delivery_prune_at(t + Duration::days(365), 1)
                .await
                .unwrap(),
            0
        );
        let retrying = only_delivery(&b, down.webhook.id).await;
        assert_eq!(retrying.status, WebhookDeliveryStatus::Retrying);
        assert_eq!(retrying.attempts.len(), 1);
    }
}

// ---------------------------------------------------------------------------------------------
// With a model, and the running worker.

/// A loopback model: a request offering tools gets `tool` (the function it calls, or none);
/// every other task a valid "nothing to do" answer.
async fn tool_model(tool: Option<&'static str>) -> String {
    let app = Router::new().route(
        "/v1/chat/completions",
        axum::routing::post(move |axum::Json(body): axum::Json<Value>| async move {
            let system = body["messages"][0]["content"].as_str().unwrap_or_default();
            let message = match (body.get("tools"), tool) {
                (Some(_), Some(name)) => json!({"role": "assistant", "content": null,
                    "tool_calls": [{"id": "c1", "type": "function",
                                    "function": {"name": name, "arguments": "{}"}}]}),
                (Some(_), None) => json!({"role": "assistant", "content": "{\"tool\": null}"}),
                (None, _) => {
                    let content = if system.contains("handed to a human") {
                        json!({"trigger": null, "matched": [], "confidence": 0.9, "reason": "-"})
                    } else if system.contains("answering the visitor") {
                        json!({"answer": "Happy to help.", "found": true})
                    } else {
                        json!({"summary": "The visitor wants a callback.", "reason": "-"})
                    };
                    json!({"role": "assistant", "content": content.to_string()})
                }
            };
            axum::Json(json!({"choices": [{"index": 0, "message": message}]}))
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/v1", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    base
}

async fn use_model(b: &Baton, base_url: String) {
    common::use_model(b, &base_url, 10_000).await;
}

#[tokio::test]
async fn with_a_model_an_endpoint_is_a_tool_the_model_calls() {
    for db in common::all_dbs().await {
        let b = Baton::open(&db.url).await.unwrap();
        let r = Receiver::start().await;
        create(
            &b,
            json!({"name": "request_callback", "url": r.url("/crm"), "allow": ["127.0.0.1"],
                   "description": "Asks the sales team to phone the visitor back.",
                   "success_message": "Done: our team will call you."}),
        )
        .await;
        // Words the built-in matcher would not take for it: the model's call decides.
        use_model(&b, tool_model(Some("request_callback")).await).await;
        let s = start(&b).await;
        let reply = say(&b, &s, "could somebody ring me tomorrow morning?").await;
        assert_eq!(reply, "Done: our team will call you.", "{}", db.label);
        let rec = webhook_records(&b, s.conversation.id).await;
        assert_eq!(rec.len(), 1, "{rec:?}");
        assert_eq!(rec[0].0, "triggered");
        assert_eq!(rec[0].2, "openai:fake-model");
        assert_eq!(webhook_jobs(&b).await, 1);

        // A call of a tool that was not offered is refused: the built-in engine decides, and
        // takes nothing from a greeting.
        use_model(&b, tool_model(Some("drop_database")).await).await;
        let s = start(&b).await;
        say(&b, &s, "hello!").await;
        let rec = webhook_records(&b, s.conversation.id).await;
        assert_eq!(rec.len(), 1, "{rec:?}");
        assert_eq!(rec[0].0, "fallback");
        assert!(rec[0].1.contains("not offered"), "{}", rec[0].1);
        assert_eq!(webhook_jobs(&b).await, 1, "nothing more queued");
    }
}

#[tokio::test]
async fn the_running_worker_sends_the_5_s_retry_when_it_is_due_not_at_its_next_poll() {
    let db = common::sqlite();
    let b = Baton::open(&db.url).await.unwrap();
    let r = Receiver::start().await;
    r.script(vec![(500, vec![])]);
    let w = create(
        &b,
        json!({"name": "flaky", "url": r.url("/flaky"), "allow": ["127.0.0.1"],
               "events": ["handoff.requested"]}),
    )
    .await;
    let worker = tokio::spawn(b.clone().outbox_worker());
    let s = start(&b).await;
    let t = std::time::Instant::now();
    hand_off(&b, s.conversation.id).await;
    // The worker's idle poll is 15 s: the retry (due 5 s after the first attempt) must not
    // wait for it. A bound, not a sleep: the loop ends as soon as the second attempt arrives.
    let second = tokio::time::timeout(std::time::Duration::from_secs(12), async {
        loop {
            if r.at("/flaky").len() >= 2 {
                return t.elapsed();
            }
            tokio::task::yield_now().await;
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("the retry was not sent within 12 s");
    assert!(second >= std::time::Duration::from_secs(5), "{second:?}");
    // The receiver answers before the worker records the attempt: wait for the record, bounded.
    let status = tokio::time::timeout(std::time::Duration::from_secs(5), async {
        loop {
            let status = only_event(&b, w.webhook.id).await.status;
            if !matches!(
                status,
                WebhookDeliveryStatus::Pending
                    | WebhookDeliveryStatus::Retrying
                    | WebhookDeliveryStatus::Sending
            ) {
                return status;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("the second attempt was not recorded within 5 s");
    assert_eq!(status, WebhookDeliveryStatus::Delivered);
    worker.abort();
}
