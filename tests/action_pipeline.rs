//! Custom actions in conversations, on SQLite and PostgreSQL, against a shop's order API on
//! loopback: the visitor's question runs the action and the reply is built from the response;
//! a missing order number is asked for and the action runs on the answer; "when not to use"
//! holds it back (logged as skipped, nothing sent); a failing action says its failure message
//! or hands off; every run leaves a decision record and a log entry that says whether its
//! result reached the conversation.

use crate::common;

use std::sync::{Arc, Mutex};

use axum::extract::Path;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use baton::actions::model::{ActionInput, ActionLogQuery, ActionOutcome};
use baton::auth::Actor;
use baton::conversations::pipeline::{VisitorMessageInput, VisitorReply, VisitorSession};
use baton::conversations::{Channel, Status, VisitorEvent};
use baton::Baton;
use serde_json::{json, Value};

const ME: &Actor = &Actor::Local;

/// The shop: `GET /orders/{id}` answers for orders starting with "A", 404 otherwise;
/// `/down/...` fails.
async fn shop() -> (String, Arc<Mutex<Vec<String>>>) {
    let hits: Arc<Mutex<Vec<String>>> = Default::default();
    let seen = hits.clone();
    let seen2 = hits.clone();
    let app = Router::new()
        .route(
            "/orders/{id}",
            get(move |Path(id): Path<String>| {
                let seen = seen.clone();
                async move {
                    seen.lock().unwrap().push(format!("/orders/{id}"));
                    if id.starts_with('A') {
                        Ok(Json(json!({
                            "id": id, "status": "shipped",
                            "carrier": {"name": "UPS", "tracking": "1Z999AA10123456784"},
                        })))
                    } else {
                        Err(StatusCode::NOT_FOUND)
                    }
                }
            }),
        )
        .route(
            "/down/{id}",
            get(move |Path(id): Path<String>| {
                let seen = seen2.clone();
                async move {
                    seen.lock().unwrap().push(format!("/down/{id}"));
                    StatusCode::SERVICE_UNAVAILABLE
                }
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (base, hits)
}

fn action(base: &str, path: &str, on_failure: &str) -> ActionInput {
    serde_json::from_value(action_json(base, path, on_failure)).expect("action input")
}

fn action_json(base: &str, path: &str, on_failure: &str) -> Value {
    json!({
        "name": if path == "orders" { "order_status" } else { "order_status_backup" },
        "description": "Looks up the shipping status and tracking number of an order.",
        "when_not_to_use": "Not for returns or refunds.",
        "examples": ["where is my package", "has my parcel shipped yet"],
        "method": "GET",
        "url": format!("{base}/{path}/{{{{params.order_id}}}}"),
        "parameters": [{
            "name": "order_id", "location": "path", "type": "string",
            "description": "The order number", "required": true, "example": "A-1001"
        }],
        "reply_template": "Your order {{params.order_id}} is {{response.status}}: {{response.carrier.name}} tracking {{response.carrier.tracking}}.",
        "failure_message": "Sorry, I could not look up that order right now.",
        "on_failure": on_failure,
        "allow": ["127.0.0.1"],
    })
}

async fn start(b: &Baton) -> VisitorSession {
    common::start(b, Channel::Playground).await
}

async fn say(b: &Baton, s: &VisitorSession, text: &str) -> VisitorReply {
    common::say(b, s, text).await
}

fn reply_text(r: &VisitorReply) -> String {
    serde_json::to_value(&r.events)
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["text"].as_str().map(str::to_owned))
        .collect::<Vec<_>>()
        .join(" ")
}

async fn decisions(b: &Baton, id: i64, step: &str) -> Vec<(String, String)> {
    b.conversation_open(ME, id)
        .await
        .unwrap()
        .decisions
        .into_iter()
        .filter(|d| d.step == step)
        .map(|d| (d.outcome, d.reason))
        .collect()
}

async fn logs(b: &Baton, conversation: i64) -> Vec<Value> {
    let page = b
        .action_log_list(
            ME,
            ActionLogQuery {
                conversation_id: Some(conversation),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    serde_json::to_value(page).unwrap()["entries"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[tokio::test]
async fn a_question_runs_the_action_and_the_reply_comes_from_the_response() {
    for db in common::all_dbs().await {
        let b = Baton::open(&db.url).await.unwrap();
        let (base, hits) = shop().await;
        b.action_create(ME, action(&base, "orders", "say"))
            .await
            .unwrap();

        // The question with its order number: one call, the reply from the response.
        let s = start(&b).await;
        let r = say(&b, &s, "Hi! Where is my order A-4521?").await;
        assert_eq!(
            reply_text(&r),
            "Your order A-4521 is shipped: UPS tracking 1Z999AA10123456784.",
            "{}",
            db.label
        );
        assert_eq!(hits.lock().unwrap().as_slice(), ["/orders/A-4521"]);
        let d = decisions(&b, s.conversation.id, "action").await;
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].0, "success");
        assert!(
            d[0].1.contains("order_status") && d[0].1.contains("ms"),
            "{}",
            d[0].1
        );
        let l = logs(&b, s.conversation.id).await;
        assert_eq!(l.len(), 1);
        assert_eq!(l[0]["outcome"], "success");
        assert_eq!(l[0]["reached_conversation"], true, "{}", l[0]);
        assert_eq!(l[0]["test"], false);

        // Without the number: asked for in the visitor's language, then run on the answer.
        let s = start(&b).await;
        let r = say(&b, &s, "Wo ist mein Paket? Has my parcel shipped yet?").await;
        assert!(
            reply_text(&r).contains("order number"),
            "{}",
            reply_text(&r)
        );
        assert_eq!(
            hits.lock().unwrap().len(),
            1,
            "nothing sent before the value is known"
        );
        let r = say(&b, &s, "It's A-77").await;
        assert!(
            reply_text(&r).starts_with("Your order A-77 is shipped"),
            "{}",
            reply_text(&r)
        );
        let d = decisions(&b, s.conversation.id, "action").await;
        assert_eq!(
            d.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(),
            ["asking", "success"]
        );

        // When not to use: held back, logged as skipped, nothing sent; the agent answers.
        let s = start(&b).await;
        let before = hits.lock().unwrap().len();
        say(&b, &s, "I want a refund for order A-4521").await;
        assert_eq!(hits.lock().unwrap().len(), before, "nothing sent");
        let l = logs(&b, s.conversation.id).await;
        assert_eq!(l.len(), 1);
        assert_eq!(l[0]["outcome"], ActionOutcome::Skipped.as_str());
        assert_eq!(
            decisions(&b, s.conversation.id, "action").await[0].0,
            "skipped"
        );

        // Unrelated messages do not call it.
        let s = start(&b).await;
        say(&b, &s, "What are your opening hours?").await;
        assert!(decisions(&b, s.conversation.id, "action").await.is_empty());
        assert!(logs(&b, s.conversation.id).await.is_empty());
    }
}

#[tokio::test]
async fn a_failing_action_says_its_failure_message_or_hands_off() {
    for db in common::all_dbs().await {
        let b = Baton::open(&db.url).await.unwrap();
        let (base, _hits) = shop().await;
        let a = b
            .action_create(ME, action(&base, "orders", "say"))
            .await
            .unwrap();

        // 404 for an unknown order: the failure message, logged as an HTTP error, not reached.
        let s = start(&b).await;
        let r = say(&b, &s, "where is my order B-1?").await;
        assert_eq!(
            reply_text(&r),
            "Sorry, I could not look up that order right now.",
            "{}",
            db.label
        );
        let l = logs(&b, s.conversation.id).await;
        assert_eq!(l[0]["outcome"], "http_error");
        assert_eq!(l[0]["reached_conversation"], false);
        assert_eq!(r.status, Status::Ai);

        // The same action set to hand off on failure, against a service that is down.
        b.action_delete(ME, a.id).await.unwrap();
        b.action_create(ME, action(&base, "down", "handoff"))
            .await
            .unwrap();
        let s = start(&b).await;
        let r = say(&b, &s, "where is my order A-5?").await;
        assert_ne!(r.status, Status::Ai, "handed off: {:?}", r.status);
        let d = decisions(&b, s.conversation.id, "action").await;
        assert_eq!(d[0].0, "http_error");
        let c = b.conversation_open(ME, s.conversation.id).await.unwrap();
        assert!(c
            .conversation
            .handoff_reason
            .unwrap_or_default()
            .contains("order_status_backup"),);
    }
}

/// The active actions are kept per agent between messages (`Baton::actions_active`): an edit, a
/// switch-off, a switch-on and a deletion are each seen by the very next message, whether this
/// process made them or another one did (a second `Baton` on the same database stands for it).
#[tokio::test]
async fn an_edited_disabled_or_deleted_action_is_seen_by_the_next_message() {
    for db in common::all_dbs().await {
        let b = Baton::open(&db.url).await.unwrap();
        let other = Baton::open(&db.url).await.unwrap();
        let (base, hits) = shop().await;
        let mut input = action_json(&base, "orders", "say");
        let a = b
            .action_create(ME, serde_json::from_value(input.clone()).unwrap())
            .await
            .unwrap();
        let ask = |text: &'static str| {
            let b = b.clone();
            async move {
                let s = start(&b).await;
                reply_text(&say(&b, &s, text).await)
            }
        };
        let q = "Where is my order A-1?";
        assert!(
            ask(q).await.starts_with("Your order A-1 is shipped"),
            "{}",
            db.label
        );
        assert!(
            ask(q).await.starts_with("Your order A-1 is shipped"),
            "kept"
        );

        // Edited here: the next message has the new reply.
        input["reply_template"] = json!("Order {{params.order_id}}: {{response.status}}.");
        b.action_update(ME, a.id, serde_json::from_value(input.clone()).unwrap())
            .await
            .unwrap();
        assert_eq!(ask(q).await, "Order A-1: shipped.", "{}", db.label);

        // Edited by another process: seen all the same.
        input["reply_template"] = json!("Status of {{params.order_id}}: {{response.status}}.");
        other
            .action_update(ME, a.id, serde_json::from_value(input.clone()).unwrap())
            .await
            .unwrap();
        assert_eq!(ask(q).await, "Status of A-1: shipped.", "{}", db.label);

        // Switched off elsewhere: nothing is sent, no action decision.
        input["active"] = json!(false);
        other
            .action_update(ME, a.id, serde_json::from_value(input.clone()).unwrap())
            .await
            .unwrap();
        let sent = hits.lock().unwrap().len();
        let s = start(&b).await;
        let r = say(&b, &s, q).await;
        assert!(!reply_text(&r).contains("shipped"), "{}", reply_text(&r));
        assert_eq!(hits.lock().unwrap().len(), sent, "nothing sent");
        assert!(decisions(&b, s.conversation.id, "action").await.is_empty());

        // Switched on again here, then deleted elsewhere.
        input["active"] = json!(true);
        b.action_update(ME, a.id, serde_json::from_value(input.clone()).unwrap())
            .await
            .unwrap();
        assert_eq!(ask(q).await, "Status of A-1: shipped.", "{}", db.label);
        other.action_delete(ME, a.id).await.unwrap();
        let sent = hits.lock().unwrap().len();
        let s = start(&b).await;
        say(&b, &s, q).await;
        assert_eq!(hits.lock().unwrap().len(), sent, "deleted: nothing sent");
        assert!(decisions(&b, s.conversation.id, "action").await.is_empty());

        // A new one created elsewhere is used by the next message.
        input["reply_template"] = json!("New: {{response.status}}.");
        other
            .action_create(ME, serde_json::from_value(input).unwrap())
            .await
            .unwrap();
        assert_eq!(ask(q).await, "New: shipped.", "{}", db.label);
        other.store().close().await;
        b.store().close().await;
    }
}

/// An OpenAI-compatible model on loopback for the action tests: a request offering tools is
/// answered with `tool_message` (the assistant message: a tool call, or plain content); the
/// request asking to word an action's answer with `{"reply": worded}`; every other task with
/// a valid "nothing to do" answer. Every request body is kept.
#[derive(Clone)]
struct Model {
    tool_message: Arc<Mutex<Value>>,
    worded: Arc<Mutex<String>>,
    requests: Arc<Mutex<Vec<Value>>>,
}

impl Model {
    async fn start() -> (Model, String) {
        let m = Model {
            tool_message: Arc::new(Mutex::new(
                json!({"role": "assistant", "content": "{\"tool\": null}"}),
            )),
            worded: Arc::new(Mutex::new(String::new())),
            requests: Default::default(),
        };
        let state = m.clone();
        let app = Router::new().route(
            "/v1/chat/completions",
            axum::routing::post(move |Json(body): Json<Value>| {
                let m = state.clone();
                async move {
                    m.requests.lock().unwrap().push(body.clone());
                    let system = body["messages"][0]["content"].as_str().unwrap_or_default();
                    let message = if body.get("tools").is_some() {
                        m.tool_message.lock().unwrap().clone()
                    } else {
                        let content = if system.contains("You ran an action") {
                            json!({"reply": *m.worded.lock().unwrap()})
                        } else if system.contains("handed to a human") {
                            json!({"trigger": null, "matched": [], "confidence": 0.9, "reason": "nothing applies"})
                        } else if system.contains("answering the visitor") {
                            json!({"answer": "Happy to help.", "found": true})
                        } else {
                            json!({"summary": "s", "priority": "low", "profile_id": null, "reason": "r"})
                        };
                        json!({"role": "assistant", "content": content.to_string()})
                    };
                    Json(json!({"choices": [{"index": 0, "message": message, "finish_reason": "stop"}]}))
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}/v1", listener.local_addr().unwrap());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        (m, base)
    }

    fn calls(&self, name: &str, arguments: &str) {
        *self.tool_message.lock().unwrap() = json!({
            "role": "assistant", "content": null,
            "tool_calls": [{"id": "call_1", "type": "function",
                            "function": {"name": name, "arguments": arguments}}],
        });
    }

    fn tool_requests(&self) -> Vec<Value> {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.get("tools").is_some())
            .cloned()
            .collect()
    }

    fn worded_requests(&self) -> Vec<Value> {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .filter(|r| {
                r["messages"][0]["content"]
                    .as_str()
                    .is_some_and(|s| s.contains("You ran an action"))
            })
            .cloned()
            .collect()
    }
}

async fn use_model(b: &Baton, base_url: String) {
    common::use_model(b, &base_url, 10_000).await;
}

/// (outcome, reason, engine) of the `action` records.
async fn action_records(b: &Baton, id: i64) -> Vec<(String, String, String)> {
    b.conversation_open(ME, id)
        .await
        .unwrap()
        .decisions
        .into_iter()
        .filter(|d| d.step == "action")
        .map(|d| (d.outcome, d.reason, d.engine))
        .collect()
}

#[tokio::test]
async fn with_a_model_the_actions_are_tools_and_its_calls_are_checked_before_anything_is_sent() {
    for db in common::all_dbs().await {
        let b = Baton::open(&db.url).await.unwrap();
        let (base, hits) = shop().await;
        b.action_create(ME, action(&base, "orders", "say"))
            .await
            .unwrap();
        let (model, model_url) = Model::start().await;
        use_model(&b, model_url).await;

        // The model calls the tool with the order number; the reply template words it.
        model.calls("order_status", r#"{"order_id": "A-4521"}"#);
        let s = start(&b).await;
        let r = say(
            &b,
            &s,
            "any news about my purchase A-4521? it's been a week",
        )
        .await;
        assert_eq!(
            reply_text(&r),
            "Your order A-4521 is shipped: UPS tracking 1Z999AA10123456784.",
            "{}",
            db.label
        );
        assert_eq!(hits.lock().unwrap().as_slice(), ["/orders/A-4521"]);
        let rec = action_records(&b, s.conversation.id).await;
        assert_eq!(rec.len(), 1, "{rec:?}");
        assert_eq!(rec[0].0, "success");
        assert!(
            rec[0]
                .1
                .contains("the model called the action 'order_status'"),
            "{}",
            rec[0].1
        );
        assert_eq!(rec[0].2, "openai:fake-model");
        // The tool as offered: the action's name, description with when-not-to-use, and the
        // schema of its parameters.
        let offered = model.tool_requests();
        let tool = &offered[0]["tools"][0];
        assert_eq!(offered[0]["tool_choice"], "auto");
        assert_eq!(tool["type"], "function");
        assert_eq!(tool["function"]["name"], "order_status");
        let d = tool["function"]["description"].as_str().unwrap();
        assert!(
            d.contains("shipping status") && d.contains("When not to use: Not for returns"),
            "{d}"
        );
        let schema = &tool["function"]["parameters"];
        assert_eq!(schema["required"], json!(["order_id"]));
        assert_eq!(schema["properties"]["order_id"]["type"], "string");
        assert_eq!(schema["additionalProperties"], false);
        let data = offered[0]["messages"][1]["content"].as_str().unwrap();
        assert!(data.contains("any news about my purchase A-4521"), "{data}");

        // A tool call that does not fit the schema is refused: nothing is sent, the record
        // says why, the built-in engine decides the message (no action for a greeting).
        for (name, args, why) in [
            ("order_status", r#"{"order_id": 4521}"#, "order_id"),
            (
                "order_status",
                r#"{"order_id": "A-1", "admin": true}"#,
                "admin",
            ),
            ("delete_all_orders", r#"{}"#, "not offered"),
            ("order_status", r#"{"order_id": "A-1""#, "not JSON"),
        ] {
            model.calls(name, args);
            let s = start(&b).await;
            let before = hits.lock().unwrap().len();
            let r = say(&b, &s, "hello there, lovely weather today").await;
            assert_eq!(
                hits.lock().unwrap().len(),
                before,
                "{name} {args}: nothing sent"
            );
            assert!(!reply_text(&r).is_empty());
            let rec = action_records(&b, s.conversation.id).await;
            assert_eq!(rec.len(), 1, "{rec:?}");
            assert_eq!(rec[0].0, "fallback", "{rec:?}");
            assert!(rec[0].1.contains(why), "{args}: {}", rec[0].1);
            assert!(logs(&b, s.conversation.id).await.is_empty());
        }

        // A call without the required value: the agent asks for it, and runs on the answer.
        model.calls("order_status", "{}");
        let s = start(&b).await;
        let before = hits.lock().unwrap().len();
        let r = say(&b, &s, "where's my stuff??").await;
        assert!(
            reply_text(&r).contains("order number"),
            "{}",
            reply_text(&r)
        );
        assert_eq!(hits.lock().unwrap().len(), before, "nothing sent yet");
        let r = say(&b, &s, "A-990").await;
        assert!(
            reply_text(&r).starts_with("Your order A-990 is shipped"),
            "{}",
            reply_text(&r)
        );
        let rec = action_records(&b, s.conversation.id).await;
        assert_eq!(
            rec.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(),
            ["asking", "success"]
        );

        // The model chooses no tool: no action, no record, the agent answers.
        *model.tool_message.lock().unwrap() =
            json!({"role": "assistant", "content": "{\"tool\": null}"});
        let s = start(&b).await;
        let before = hits.lock().unwrap().len();
        say(&b, &s, "what are your opening hours?").await;
        assert_eq!(hits.lock().unwrap().len(), before);
        assert!(action_records(&b, s.conversation.id).await.is_empty());

        // A model without native tool calls may name the tool in its JSON content.
        *model.tool_message.lock().unwrap() = json!({"role": "assistant",
            "content": "{\"tool\": \"order_status\", \"arguments\": {\"order_id\": \"A-31\"}}"});
        let s = start(&b).await;
        let r = say(&b, &s, "status of A-31 please").await;
        assert!(
            reply_text(&r).starts_with("Your order A-31 is shipped"),
            "{}",
            reply_text(&r)
        );
    }
}

#[tokio::test]
async fn with_a_model_and_no_reply_template_the_model_words_the_answer_from_the_response() {
    for db in common::all_dbs().await {
        let b = Baton::open(&db.url).await.unwrap();
        let (base, _hits) = shop().await;
        let mut input = action(&base, "orders", "say");
        input.reply_template = None;
        b.action_create(ME, input).await.unwrap();
        let (model, model_url) = Model::start().await;
        use_model(&b, model_url).await;
        model.calls("order_status", r#"{"order_id": "A-4521"}"#);
        *model.worded.lock().unwrap() = "It left with UPS, tracking 1Z999AA10123456784.".into();

        let s = start(&b).await;
        let r = say(&b, &s, "Where is my order A-4521?").await;
        assert_eq!(
            reply_text(&r),
            "It left with UPS, tracking 1Z999AA10123456784.",
            "{}",
            db.label
        );
        // The model saw the response's status and body, as data.
        let w = model.worded_requests();
        assert_eq!(w.len(), 1);
        let data = w[0]["messages"][1]["content"].as_str().unwrap();
        assert!(
            data.contains("\"status\":200") && data.contains("1Z999AA10123456784"),
            "{data}"
        );
        assert!(data.contains("Where is my order A-4521?"), "{data}");

        // A model that words nothing usable: the answer's fields are listed instead.
        *model.worded.lock().unwrap() = "   ".into();
        let s = start(&b).await;
        let r = say(&b, &s, "Where is my order A-4522?").await;
        assert!(reply_text(&r).contains("shipped"), "{}", reply_text(&r));
        let rec = action_records(&b, s.conversation.id).await;
        assert!(
            rec.iter()
                .any(|x| x.0 == "fallback" && x.1.contains("did not word")),
            "{rec:?}"
        );
    }
}

/// Runs `sql` on the test database directly (to make a write fail on purpose).
async fn execute(db: &common::TestDb, sqlite: &str, postgres: &str) {
    use sqlx::{Connection, Executor};
    if db.label == "sqlite" {
        let mut c = sqlx::SqliteConnection::connect(&db.url).await.unwrap();
        c.execute(sqlite).await.unwrap();
    } else {
        let mut c = sqlx::PgConnection::connect(&db.url).await.unwrap();
        c.execute(postgres).await.unwrap();
    }
}

/// Statements of `kind` (`INSERT`, `UPDATE`) on `table` fail from now on.
async fn fail_on(db: &common::TestDb, name: &str, kind: &str, table: &str, when: &str) {
    let (sqlite_when, pg_if) = if when.is_empty() {
        (String::new(), "TRUE".to_owned())
    } else {
        (format!("WHEN {when} "), when.to_owned())
    };
    execute(
        db,
        &format!(
            "CREATE TRIGGER {name} BEFORE {kind} ON {table} {sqlite_when}\
             BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
        ),
        &format!(
            "CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
             IF {pg_if} THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$; \
             CREATE TRIGGER {name} BEFORE {kind} ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()"
        ),
    )
    .await;
}

async fn try_say(b: &Baton, s: &VisitorSession, text: &str) -> baton::Result<VisitorReply> {
    b.visitor_message(
        s.conversation.id,
        &s.visitor_token,
        VisitorMessageInput {
            text: text.into(),
            ..Default::default()
        },
    )
    .await
}

#[tokio::test]
async fn the_log_row_is_written_with_the_reply_in_one_transaction() {
    for db in common::all_dbs().await {
        let b = Baton::open(&db.url).await.unwrap();
        let (base, hits) = shop().await;
        b.action_create(ME, action(&base, "orders", "say"))
            .await
            .unwrap();

        // No row can be updated: it is inserted as having reached the conversation.
        fail_on(&db, "no_log_update", "UPDATE", "action_logs", "").await;
        let s = start(&b).await;
        let r = say(&b, &s, "Hi! Where is my order A-4521?").await;
        assert!(reply_text(&r).contains("shipped"), "{}", db.label);
        let l = logs(&b, s.conversation.id).await;
        assert_eq!(l.len(), 1, "{}", db.label);
        assert_eq!(l[0]["outcome"], "success");
        assert_eq!(l[0]["reached_conversation"], true, "{}", l[0]);

        // A row that cannot be stored fails the message's write with it: the action ran,
        // and neither its decision record nor the messages were stored.
        fail_on(&db, "no_log_insert", "INSERT", "action_logs", "").await;
        let s = start(&b).await;
        let before = hits.lock().unwrap().len();
        let err = try_say(&b, &s, "Hi! Where is my order A-4522?")
            .await
            .unwrap_err();
        assert!(matches!(err, baton::Error::Database(_)), "{err:?}");
        assert_eq!(hits.lock().unwrap().len(), before + 1, "the action ran");
        let detail = b.conversation_open(ME, s.conversation.id).await.unwrap();
        assert!(detail.messages.is_empty(), "{}", db.label);
        assert!(detail.decisions.is_empty(), "{:?}", detail.decisions);
        assert!(logs(&b, s.conversation.id).await.is_empty());
    }
}

#[tokio::test]
async fn a_failed_conversation_write_still_logs_the_run() {
    for db in common::all_dbs().await {
        let b = Baton::open(&db.url).await.unwrap();
        let (base, _hits) = shop().await;
        b.action_create(ME, action(&base, "orders", "say"))
            .await
            .unwrap();
        // The message's write fails on the action's decision record.
        fail_on(
            &db,
            "fail_step",
            "INSERT",
            "decision_records",
            "NEW.step = 'action'",
        )
        .await;
        let s = start(&b).await;
        let err = try_say(&b, &s, "Hi! Where is my order A-4521?")
            .await
            .unwrap_err();
        assert!(matches!(err, baton::Error::Database(_)), "{err:?}");
        let detail = b.conversation_open(ME, s.conversation.id).await.unwrap();
        assert!(detail.messages.is_empty(), "{}", db.label);

        // The run is on record anyway, as not having reached the conversation.
        let l = logs(&b, s.conversation.id).await;
        assert_eq!(l.len(), 1, "{}", db.label);
        assert_eq!(l[0]["outcome"], "success");
        assert_eq!(l[0]["reached_conversation"], false, "{}", l[0]);
        assert_eq!(l[0]["conversation_id"], s.conversation.id);
        assert_eq!(l[0]["response_status"], 200);
    }
}

/// With a model, a form action and a button group are tools like any action: the model's call
/// of the form shows the form (nothing is sent anywhere), and its call of a group's tool (one
/// it was offered for the buttons, not for the actions) shows the group's buttons.
#[tokio::test]
async fn with_a_model_forms_and_button_groups_are_tools_too() {
    for db in common::all_dbs().await {
        let b = Baton::open(&db.url).await.unwrap();
        let form = b
            .action_create(
                ME,
                serde_json::from_value(json!({
                    "type": "form", "name": "return_request",
                    "description": "Start a return of an order.",
                    "form": {
                        "intro": "Fill this in to start your return.",
                        "title": "Return request",
                        "fields": [{"name": "order_id", "label": "Order number", "type": "text",
                                    "required": true}],
                        "success_message": "Thanks."
                    }
                }))
                .unwrap(),
            )
            .await
            .unwrap();
        b.button_groups_set(
            ME,
            serde_json::from_value(json!({"groups": [{
                "id": "", "name": "Pricing", "trigger": "When the visitor asks about prices",
                "examples": [], "active": true,
                "buttons": [{"label": "See our prices", "url": "https://example.com/pricing",
                             "icon": null}]
            }]}))
            .unwrap(),
        )
        .await
        .unwrap();
        let (model, model_url) = Model::start().await;
        use_model(&b, model_url).await;

        model.calls("return_request", "{}");
        let s = start(&b).await;
        let r = say(&b, &s, "this thing broke, I'd like my money back").await;
        let shown = r.events.iter().find_map(|e| match e {
            VisitorEvent::ActionForm { action_id, form } => Some((*action_id, form.title.clone())),
            _ => None,
        });
        assert_eq!(
            shown,
            Some((form.id, "Return request".to_owned())),
            "{}: {:?}",
            db.label,
            r.events
        );
        assert_eq!(reply_text(&r), "Fill this in to start your return.");
        let rec = action_records(&b, s.conversation.id).await;
        assert_eq!(rec[0].0, "form_shown", "{rec:?}");
        assert_eq!(rec[0].2, "openai:fake-model");
        // The form was offered as a tool with no parameters of its own.
        let tool = &model.tool_requests()[0]["tools"][0]["function"];
        assert_eq!(tool["name"], "return_request");
        assert_eq!(tool["parameters"]["properties"], json!({}));

        // The group's tool: refused as an action (not offered there), taken for the buttons.
        model.calls("pricing", "{}");
        let s = start(&b).await;
        let r = say(&b, &s, "what would that cost me per month?").await;
        let buttons: Vec<String> = r
            .events
            .iter()
            .filter_map(|e| match e {
                VisitorEvent::Buttons { buttons, .. } => {
                    Some(buttons.iter().map(|b| b.label.clone()).collect::<Vec<_>>())
                }
                _ => None,
            })
            .flatten()
            .collect();
        assert_eq!(buttons, ["See our prices"], "{}: {:?}", db.label, r.events);
        let steps = common::steps(&b, s.conversation.id).await;
        assert!(
            steps.contains(&("buttons".to_owned(), "shown".to_owned())),
            "{steps:?}"
        );
    }
}
