//! HTTP request actions against a real customer API on loopback (an axum server started here),
//! on SQLite and PostgreSQL: each parameter location and auth kind, escaping of hostile
//! values, reply templates over nested JSON, validation naming fields, the address guard
//! (blocked, logged, nothing sent; allowed through the action's allow-list), canary secrets that
//! never show, log filters and pruning with an injected clock, the response cap.

use crate::common;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use baton::actions::model::{
    Action, ActionInput, ActionLogQuery, ActionOutcome, ActionTestArgs, ActionTestResult,
    NewActionLog,
};
use baton::auth::Actor;
use baton::operators::Role;
use baton::{Baton, Error};
use serde_json::{json, Value};

// ---------------------------------------------------------------------------------------------
// The customer's API.

#[derive(Debug, Clone)]
struct Seen {
    method: String,
    /// Path and query as sent (still percent-encoded).
    uri: String,
    headers: HeaderMap,
    body: Vec<u8>,
}

#[derive(Clone)]
struct Api {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Api {
    async fn start() -> Api {
        let seen: Arc<Mutex<Vec<Seen>>> = Default::default();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let rec = seen.clone();
        let app = Router::new().fallback(
            move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
                let rec = rec.clone();
                async move {
                    let s = Seen {
                        method: method.to_string(),
                        uri: uri.to_string(),
                        headers,
                        body: body.to_vec(),
                    };
                    rec.lock().unwrap().push(s.clone());
                    respond(s, addr.port()).await
                }
            },
        );
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Api { addr, seen }
    }

    fn port(&self) -> u16 {
        self.addr.port()
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port())
    }

    fn hits(&self, prefix: &str) -> usize {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|s| s.uri.starts_with(prefix))
            .count()
    }

    fn last(&self, prefix: &str) -> Seen {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .rev()
            .find(|s| s.uri.starts_with(prefix))
            .cloned()
            .unwrap_or_else(|| panic!("no request to {prefix}"))
    }
}

async fn respond(s: Seen, port: u16) -> Response {
    let path = s.uri.split('?').next().unwrap_or_default().to_owned();
    let query = s.uri.split_once('?').map(|(_, q)| q.to_owned());
    let json_of = |v: Value| ([("content-type", "application/json")], v.to_string());
    if path.starts_with("/echo") {
        // Everything back, secrets included: what a careless API does.
        let headers: BTreeMap<String, String> = s
            .headers
            .iter()
            .map(|(n, v)| (n.to_string(), String::from_utf8_lossy(v.as_bytes()).into()))
            .collect();
        return json_of(json!({
            "method": s.method, "path": path, "query": query, "headers": headers,
            "body": String::from_utf8_lossy(&s.body),
        }))
        .into_response();
    }
    if let Some(id) = path.strip_prefix("/orders/") {
        return json_of(json!({
            "id": id, "status": "shipped",
            "items": [{"name": "Desk lamp", "qty": 2}, {"name": "Bulb", "qty": 4}],
            "customer": {"name": "Jane Smith", "plan": "Pro"},
            "tracking": null,
        }))
        .into_response();
    }
    if let Some(code) = path.strip_prefix("/status/") {
        let code = StatusCode::from_u16(code.parse().unwrap_or(500)).unwrap();
        let headers: BTreeMap<String, String> = s
            .headers
            .iter()
            .map(|(n, v)| (n.to_string(), String::from_utf8_lossy(v.as_bytes()).into()))
            .collect();
        return (code, json_of(json!({"error": "nope", "you_sent": headers}))).into_response();
    }
    match path.as_str() {
        "/text" => "plain words, not JSON".into_response(),
        "/big" => {
            let size: usize = query
                .and_then(|q| q.strip_prefix("size=").and_then(|n| n.parse().ok()))
                .unwrap_or(1000);
            json_of(json!({ "data": "x".repeat(size) })).into_response()
        }
        "/hang" => std::future::pending().await,
        "/to-loopback" => (
            StatusCode::FOUND,
            [("location", format!("http://127.0.0.1:{port}/echo/target"))],
        )
            .into_response(),
        "/to-mapped" => (
            StatusCode::FOUND,
            [(
                "location",
                format!("http://[::ffff:127.0.0.1]:{port}/echo/target"),
            )],
        )
            .into_response(),
        _ => (StatusCode::NOT_FOUND, "no such thing").into_response(),
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers.

fn input(v: Value) -> ActionInput {
    serde_json::from_value(v).expect("action input")
}

async fn create(b: &Baton, v: Value) -> Action {
    b.action_create(&Actor::Local, input(v))
        .await
        .expect("create action")
}

async fn test_run(b: &Baton, id: i64, params: Value, vars: Value) -> ActionTestResult {
    b.action_test(
        &Actor::Local,
        ActionTestArgs {
            id,
            params: serde_json::from_value(params).unwrap(),
            variables: serde_json::from_value(vars).unwrap(),
        },
    )
    .await
    .expect("test run")
}

async fn test_err(b: &Baton, id: i64, params: Value, vars: Value) -> Error {
    b.action_test(
        &Actor::Local,
        ActionTestArgs {
            id,
            params: serde_json::from_value(params).unwrap(),
            variables: serde_json::from_value(vars).unwrap(),
        },
    )
    .await
    .expect_err("test run should be refused")
}

fn fields(e: &Error) -> Vec<(String, String)> {
    e.field_errors()
        .iter()
        .map(|f| (f.field.clone(), f.code.clone()))
        .collect()
}

fn has_field(e: &Error, field: &str) -> bool {
    e.field_errors().iter().any(|f| f.field == field)
}

fn pct_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", s.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap()
}

async fn logs(b: &Baton, q: Value) -> Vec<baton::actions::model::ActionLogEntry> {
    let q: ActionLogQuery = serde_json::from_value(q).unwrap();
    b.action_log_list(&Actor::Local, q).await.unwrap().entries
}

const HOSTILE: &str = "a/b?c&d=e#f \"quoted\" 'single' % + ü 🚀";

// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn each_parameter_location_with_hostile_values() {
    let api = Api::start().await;
    for db in common::all_dbs().await {
        let b = Baton::open(&db.url).await.unwrap();
        let a = create(
            &b,
            json!({
                "name": "lookup_order",
                "description": "Look up an order by its number",
                "method": "POST",
                "url": api.url("/echo/orders/{{params.order_id}}/lines?src={{conversation.channel}}"),
                "headers": [{"name": "X-Conversation", "value": "conv-{{conversation.id}}"}],
                "body": r#"{"email": "{{lead.email}}", "who": {{lead.name}}, "plan": "{{metadata_plan}}"}"#,
                "parameters": [
                    {"name": "order_id", "location": "path", "type": "string", "required": true},
                    {"name": "q", "location": "query", "type": "string"},
                    {"name": "x-customer", "location": "header", "type": "string"},
                    {"name": "note", "location": "body", "type": "string"},
                    {"name": "qty", "location": "body", "type": "integer"},
                    {"name": "gift", "location": "body", "type": "boolean"},
                    {"name": "size", "location": "query", "type": "enum", "values": ["S", "M", "L"]}
                ],
                "allow": ["127.0.0.1"]
            }),
        )
        .await;
        assert_eq!(
            a.variables,
            [
                "conversation.channel",
                "conversation.id",
                "lead.email",
                "lead.name",
                "metadata_plan"
            ]
        );
        let note = format!("{HOSTILE}\r\nline two");
        let r = test_run(
            &b,
            a.id,
            json!({"order_id": HOSTILE, "q": HOSTILE, "x-customer": "\"Jane\" ü", "note": note,
                   "qty": "3", "gift": true, "size": "m"}),
            json!({"conversation.channel": "widget", "conversation.id": "42",
                   "lead.email": "jane+1@example.com", "lead.name": "Jane \"J\" Doe",
                   "metadata.plan": "pro/annual"}),
        )
        .await;
        assert_eq!(r.outcome, ActionOutcome::Success, "{} {r:?}", db.label);
        let seen = api.last("/echo/orders/");
        assert_eq!(seen.method, "POST");
        let (path, query) = seen.uri.split_once('?').unwrap();
        let segments: Vec<&str> = path.split('/').collect();
        // The value is one segment, whatever it holds.
        assert_eq!(segments.len(), 5, "{path}");
        assert_eq!(pct_decode(segments[3]), HOSTILE, "{path}");
        assert_eq!(segments[4], "lines");
        let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        assert_eq!(
            pairs,
            [
                ("src".into(), "widget".into()),
                ("q".into(), HOSTILE.into()),
                ("size".into(), "M".into())
            ]
        );
        assert_eq!(
            seen.headers["x-customer"].as_bytes(),
            "\"Jane\" ü".as_bytes()
        );
        assert_eq!(seen.headers["x-conversation"], "conv-42");
        assert_eq!(seen.headers["content-type"], "application/json");
        let body: Value = serde_json::from_slice(&seen.body).unwrap();
        assert_eq!(
            body,
            json!({"email": "jane+1@example.com", "who": "Jane \"J\" Doe", "plan": "pro/annual",
                   "note": note, "qty": 3, "gift": true})
        );
        // What the test panel shows is what was sent.
        assert_eq!(
            r.request
                .body
                .as_deref()
                .map(serde_json::from_str::<Value>)
                .unwrap()
                .unwrap(),
            body
        );
        assert!(r.request.url.ends_with(query), "{}", r.request.url);

        // Refused before sending: a line break into a header, an empty or dot path segment,
        // a conversation variable with a line break into a header, a missing variable.
        let before = api.hits("/echo/");
        let base = json!({"conversation.channel": "widget", "conversation.id": "42",
                          "lead.email": "e@example.com", "lead.name": "J", "metadata_plan": "p"});
        let e = test_err(
            &b,
            a.id,
            json!({"order_id": "1", "x-customer": "a\r\nX-Evil: 1"}),
            base.clone(),
        )
        .await;
        assert!(has_field(&e, "params.x-customer"), "{e:?}");
        for bad in ["", "..", "."] {
            let e = test_err(&b, a.id, json!({"order_id": bad}), base.clone()).await;
            assert!(has_field(&e, "params.order_id"), "{bad:?}: {e:?}");
        }
        let mut evil = base.clone();
        evil["conversation.id"] = json!("1\r\nX-Evil: yes");
        let e = test_err(&b, a.id, json!({"order_id": "1"}), evil).await;
        assert!(has_field(&e, "variables.conversation.id"), "{e:?}");
        let mut missing = base.clone();
        missing.as_object_mut().unwrap().remove("lead.email");
        let e = test_err(&b, a.id, json!({"order_id": "1"}), missing).await;
        assert_eq!(
            fields(&e),
            [("variables.lead.email".into(), "required".into())]
        );
        // Parameter values are checked against their types, all at once.
        let e = test_err(
            &b,
            a.id,
            json!({"qty": "three", "gift": "perhaps", "size": "XL", "nope": 1}),
            base.clone(),
        )
        .await;
        let got: Vec<String> = fields(&e).into_iter().map(|(f, _)| f).collect();
        for f in [
            "params.qty",
            "params.gift",
            "params.size",
            "params.nope",
            "params.order_id",
        ] {
            assert!(got.iter().any(|g| g == f), "{f} in {got:?}");
        }
        let e = test_err(
            &b,
            a.id,
            json!({"order_id": "1"}),
            json!({"visitor.secret": "x"}),
        )
        .await;
        assert!(has_field(&e, "variables.visitor.secret"), "{e:?}");
        assert_eq!(api.hits("/echo/"), before, "nothing was sent");
    }
}

#[tokio::test]
async fn reply_templates_over_nested_json_and_failures() {
    let api = Api::start().await;
    for db in common::all_dbs().await {
        let b = Baton::open(&db.url).await.unwrap();
        let order = |name: &str, reply: &str, url: &str, on_failure: &str| {
            json!({
                "name": name, "method": "GET", "url": api.url(url),
                "parameters": [{"name": "id", "type": "integer", "required": true,
                                "location": if url.contains('?') { "query" } else { "path" }}],
                "reply_template": reply, "failure_message": "Sorry, the order service is down.",
                "on_failure": on_failure, "allow": ["127.0.0.0/8"]
            })
        };
        let ok = create(
            &b,
            order(
                "order_status",
                "Order {{params.id}} has {{response.status}}: {{response.items[0].qty}} × {{response.items[0].name}} and {{response.items[1].name}}, for {{response.customer.name}} ({{ response.customer.plan }}).",
                "/orders/{{params.id}}",
                "say",
            ),
        )
        .await;
        let r = test_run(&b, ok.id, json!({"id": 4521}), json!({})).await;
        assert_eq!(r.outcome, ActionOutcome::Success);
        assert_eq!(
            r.visitor_reply.as_deref(),
            Some("Order 4521 has shipped: 2 × Desk lamp and Bulb, for Jane Smith (Pro).")
        );
        let resp = r.response.as_ref().unwrap();
        assert_eq!(resp.status, 200);
        // Pretty-printed for the panel.
        assert!(resp.body.contains("\n  \"customer\": {"), "{}", resp.body);
        assert!(!r.handoff);

        // A field the response lacks (null) → invalid_response, the failure message.
        let lacking = create(
            &b,
            order(
                "order_tracking",
                "Tracking {{response.tracking}}",
                "/orders/{{params.id}}",
                "handoff",
            ),
        )
        .await;
        let r = test_run(&b, lacking.id, json!({"id": 1}), json!({})).await;
        assert_eq!(r.outcome, ActionOutcome::InvalidResponse);
        assert_eq!(
            r.visitor_reply.as_deref(),
            Some("Sorry, the order service is down.")
        );
        assert!(r.handoff);
        assert!(r.error.unwrap().contains("response.tracking"));

        let text = create(
            &b,
            order(
                "order_text",
                "{{response.id}}",
                "/text?id={{params.id}}",
                "say",
            ),
        )
        .await;
        let r = test_run(&b, text.id, json!({"id": 1}), json!({})).await;
        assert_eq!(r.outcome, ActionOutcome::InvalidResponse);
        assert_eq!(r.response.unwrap().body, "plain words, not JSON");

        let failing = create(
            &b,
            order(
                "order_down",
                "{{response.id}}",
                "/status/503?id={{params.id}}",
                "handoff",
            ),
        )
        .await;
        let r = test_run(&b, failing.id, json!({"id": 1}), json!({})).await;
        assert_eq!(r.outcome, ActionOutcome::HttpError);
        assert_eq!(r.response.as_ref().unwrap().status, 503);
        assert_eq!(
            r.visitor_reply.as_deref(),
            Some("Sorry, the order service is down.")
        );
        assert!(r.handoff);

        let slow = create(
            &b,
            json!({"name": "slow", "method": "GET", "url": api.url("/hang"), "timeout_ms": 200,
                   "allow": ["127.0.0.1"]}),
        )
        .await;
        let r = test_run(&b, slow.id, json!({}), json!({})).await;
        assert_eq!(r.outcome, ActionOutcome::Timeout);
        assert!(r.response.is_none());
        assert!(
            r.duration_ms >= 150 && r.duration_ms < 5000,
            "{}",
            r.duration_ms
        );

        // Every run is in the log, as a test, with its outcome.
        let all = logs(&b, json!({})).await;
        let outcomes: Vec<ActionOutcome> = all.iter().map(|e| e.outcome).collect();
        assert_eq!(
            outcomes,
            [
                ActionOutcome::Timeout,
                ActionOutcome::HttpError,
                ActionOutcome::InvalidResponse,
                ActionOutcome::InvalidResponse,
                ActionOutcome::Success
            ],
            "{}",
            db.label
        );
        assert!(all.iter().all(|e| e.test && !e.reached_conversation));
        assert_eq!(all[4].response_status, Some(200));
        assert_eq!(all[4].request.url, api.url("/orders/4521"));
    }
}

#[tokio::test]
async fn validation_reports_every_field_at_once() {
    for db in common::all_dbs().await {
        let b = Baton::open(&db.url).await.unwrap();
        let e = b
            .action_create(
                &Actor::Local,
                input(json!({
                    "name": "Get Customer Account",
                    "description": "d".repeat(2001),
                    "when_not_to_use": "w".repeat(1001),
                    "method": "GET",
                    "url": "https://api.example.com/customers?email={{lead.mail}}",
                    "headers": [
                        {"name": "Authorization", "value": "Bearer YOUR_API_KEY"},
                        {"name": "X-Trace", "value": "{{conversation.idd}}"},
                        {"name": "bad header", "value": "x"}
                    ],
                    "body": "{\"a\": 1}",
                    "parameters": [
                        {"name": "1st", "location": "query", "type": "string"},
                        {"name": "kind", "location": "query", "type": "enum"},
                        {"name": "id", "location": "body", "type": "string"},
                        {"name": "Host", "location": "header", "type": "string"}
                    ],
                    "auth": {"kind": "bearer"},
                    "timeout_ms": 30001,
                    "max_response_bytes": 0,
                    "reply_template": "Plan {{response.plan}} for {{visitor.name}}",
                    "allow": ["not a host!"]
                })),
            )
            .await
            .unwrap_err();
        let got: Vec<String> = fields(&e).into_iter().map(|(f, _)| f).collect();
        for f in [
            "name",
            "description",
            "when_not_to_use",
            "url",
            "headers[0].name",
            "headers[1].value",
            "headers[2].name",
            "body",
            "parameters[0].name",
            "parameters[1].values",
            "parameters[2].location",
            "parameters[3].name",
            "auth.secret",
            "timeout_ms",
            "max_response_bytes",
            "reply_template",
            "allow[0]",
        ] {
            assert!(got.iter().any(|g| g == f), "{f} missing from {got:?}");
        }
        let url_error = e.field_errors().iter().find(|f| f.field == "url").unwrap();
        assert!(
            url_error.message.contains("{{lead.mail}}"),
            "{}",
            url_error.message
        );
        assert!(
            url_error.message.contains("lead.email"),
            "{}",
            url_error.message
        );
        // Over HTTP and IPC this is a 422 naming the field.
        let body = baton::error::ErrorBody::from(&e);
        assert_eq!(body.code, "validation_failed");
        assert_eq!(body.field.as_deref(), Some("name"));

        // A variable in the host, an optional parameter in a template, a non-object body with
        // body parameters, the seed's metadata form accepted.
        let e = b
            .action_create(
                &Actor::Local,
                input(json!({
                    "name": "x", "method": "POST", "url": "https://{{metadata.host}}/x",
                })),
            )
            .await
            .unwrap_err();
        assert_eq!(fields(&e), [("url".into(), "variable_in_host".into())]);
        let e = b
            .action_create(
                &Actor::Local,
                input(json!({
                    "name": "x", "method": "POST", "url": "https://api.example.com/x?o={{params.o}}",
                    "body": "[1, 2]",
                    "parameters": [
                        {"name": "o", "location": "query", "type": "string"},
                        {"name": "b", "location": "body", "type": "string"}
                    ]
                })),
            )
            .await
            .unwrap_err();
        assert_eq!(
            fields(&e),
            [
                ("parameters[0].required".into(), "template_requires".into()),
                ("body".into(), "not_an_object".into())
            ]
        );
        let ok = create(
            &b,
            json!({"name": "plan_lookup", "method": "GET",
                   "url": "https://api.example.com/p/{{metadata_plan}}?c={{metadata.country}}&l={{language}}&a={{agent.id}}&p={{lead.phone}}&s={{message.sentiment}}&m={{message.content}}&u={{conversation.user_id}}&co={{country}}"}),
        )
        .await;
        assert!(ok.active);
        assert_eq!(ok.timeout_ms, 10_000);
        assert_eq!(ok.max_response_bytes, 1024 * 1024);
        // Unique per agent: a conflict naming the field.
        let e = b
            .action_create(
                &Actor::Local,
                input(json!({"name": "plan_lookup", "method": "GET", "url": "https://api.example.com/"})),
            )
            .await
            .unwrap_err();
        assert_eq!(e.code(), "conflict");
        assert_eq!(e.field(), Some("name"));
        // Unknown fields are refused by name too (RPC).
        let e = baton::api::dispatch(
            &b,
            &Actor::Local,
            "action_create",
            json!({"name": "y", "method": "GET", "url": "https://api.example.com/", "colour": 1}),
        )
        .await
        .unwrap_err();
        assert_eq!(e.code(), "validation_failed");
        assert!(e.to_string().contains("colour"), "{e}");
    }
}

#[tokio::test]
async fn permissions_owners_and_admins_write_viewers_read() {
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
    let def = json!({"name": "ping", "method": "GET", "url": "https://api.example.com/ping"});
    let a = b.action_create(&admin, input(def.clone())).await.unwrap();
    for who in [&viewer, &agent] {
        assert_eq!(
            b.action_create(who, input(def.clone()))
                .await
                .unwrap_err()
                .code(),
            "forbidden"
        );
        let args = ActionTestArgs {
            id: a.id,
            params: Default::default(),
            variables: Default::default(),
        };
        assert_eq!(
            b.action_test(who, args).await.unwrap_err().code(),
            "forbidden"
        );
        assert_eq!(
            b.action_delete(who, a.id).await.unwrap_err().code(),
            "forbidden"
        );
    }
    assert_eq!(b.action_list(&viewer, None).await.unwrap().len(), 1);
    assert_eq!(b.action_get(&viewer, a.id).await.unwrap().name, "ping");
    b.action_log_list(&viewer, ActionLogQuery::default())
        .await
        .unwrap();
    b.action_delete(&admin, a.id).await.unwrap();
    assert_eq!(
        b.action_get(&admin, a.id).await.unwrap_err().code(),
        "not_found"
    );
}

#[tokio::test]
async fn the_guard_blocks_private_targets_logs_them_and_sends_nothing() {
    let api = Api::start().await;
    let port = api.port();
    for db in common::all_dbs().await {
        let b = Baton::open(&db.url).await.unwrap();
        let targets = [
            format!("http://127.0.0.1:{port}/echo/direct"),
            format!("http://localhost:{port}/echo/direct"),
            format!("http://[::ffff:127.0.0.1]:{port}/echo/direct"),
            format!("http://2130706433:{port}/echo/direct"),
            format!("http://0x7f.1:{port}/echo/direct"),
            "http://10.0.0.1/echo/direct".to_owned(),
            "http://192.168.1.1/echo/direct".to_owned(),
            "http://172.16.0.1/echo/direct".to_owned(),
            "http://169.254.169.254/latest/meta-data/".to_owned(),
            "http://[::1]/echo/direct".to_owned(),
        ];
        for (i, url) in targets.iter().enumerate() {
            let a = create(
                &b,
                json!({"name": format!("blocked_{i}"), "method": "GET", "url": url, "timeout_ms": 2000}),
            )
            .await;
            let r = test_run(&b, a.id, json!({}), json!({})).await;
            assert_eq!(r.outcome, ActionOutcome::Blocked, "{url}: {r:?}");
            assert!(r.response.is_none());
            assert!(r.error.as_deref().unwrap().contains("not allowed"), "{r:?}");
            let logged = logs(&b, json!({"action_id": a.id})).await;
            assert_eq!(logged.len(), 1);
            assert_eq!(logged[0].outcome, ActionOutcome::Blocked);
        }
        // Redirects to loopback, from a host allowed by name only.
        for (name, path) in [
            ("redirect_literal", "/to-loopback"),
            ("redirect_mapped", "/to-mapped"),
        ] {
            let a = create(
                &b,
                json!({"name": name, "method": "GET", "url": format!("http://localhost:{port}{path}"),
                       "allow": ["localhost"]}),
            )
            .await;
            let r = test_run(&b, a.id, json!({}), json!({})).await;
            assert_eq!(r.outcome, ActionOutcome::Blocked, "{path}: {r:?}");
        }
        assert_eq!(
            api.hits("/echo/"),
            0,
            "{}: nothing reached a blocked target",
            db.label
        );
        let blocked = logs(&b, json!({"outcome": "blocked"})).await;
        assert_eq!(blocked.len(), targets.len() + 2);

        // The same targets through each action's allow-list.
        let allowed = [
            (format!("http://127.0.0.1:{port}/echo/ok"), "127.0.0.1"),
            (format!("http://localhost:{port}/echo/ok"), "localhost"),
            (
                format!("http://[::ffff:127.0.0.1]:{port}/echo/ok"),
                "127.0.0.0/8",
            ),
            (format!("http://2130706433:{port}/echo/ok"), "127.0.0.1"),
        ];
        for (i, (url, allow)) in allowed.iter().enumerate() {
            let a = create(
                &b,
                json!({"name": format!("allowed_{i}"), "method": "GET", "url": url, "allow": [allow]}),
            )
            .await;
            assert_eq!(a.allow, [*allow]);
            let r = test_run(&b, a.id, json!({}), json!({})).await;
            assert_eq!(r.outcome, ActionOutcome::Success, "{url}: {r:?}");
        }
        let redirect_ok = create(
            &b,
            json!({"name": "redirect_allowed", "method": "GET",
                   "url": format!("http://localhost:{port}/to-loopback"),
                   "allow": ["localhost", "127.0.0.1"]}),
        )
        .await;
        let r = test_run(&b, redirect_ok.id, json!({}), json!({})).await;
        assert_eq!(r.outcome, ActionOutcome::Success, "{r:?}");
        assert_eq!(api.hits("/echo/target"), 1);
        let _ = api.hits("/echo/ok");
        api.seen.lock().unwrap().clear();
    }
}

#[tokio::test]
async fn canary_secrets_never_show() {
    let captured = common::tracing_capture::tracing_output();
    let api = Api::start().await;
    let port = api.port();
    for db in common::all_dbs().await {
        let b = Baton::open(&db.url).await.unwrap();
        let canaries = [
            ("bearer", "CANARY-bearer-7f3a9c"),
            ("basic", "CANARY-basic-pw-51d2"),
            ("api_key_header", "CANARY-hdr-e88b/+= ü"),
            ("api_key_query", "CANARY-qry-04c1&x=y+z"),
        ];
        let auths = [
            json!({"kind": "bearer", "secret": canaries[0].1}),
            json!({"kind": "basic", "username": "shop", "secret": canaries[1].1}),
            // Custom names that do not look secret: masked all the same.
            json!({"kind": "api_key", "key_location": "header", "key_name": "X-Shop", "secret": canaries[2].1}),
            json!({"kind": "api_key", "key_location": "query", "key_name": "k", "secret": canaries[3].1}),
        ];
        let mut ids = Vec::new();
        for ((name, _), auth) in canaries.iter().zip(&auths) {
            for (suffix, path) in [("ok", "/echo/auth"), ("fail", "/status/500")] {
                let a = create(
                    &b,
                    json!({"name": format!("{name}_{suffix}"), "method": "GET",
                           "url": format!("http://127.0.0.1:{port}{path}?q=1"),
                           "reply_template": "You sent {{response.headers}} {{response.query}}",
                           "auth": auth, "allow": ["127.0.0.1"]}),
                )
                .await;
                assert!(a.auth.has_secret);
                ids.push(a.id);
            }
        }
        let mut shown = String::new();
        for id in &ids {
            let r = test_run(&b, *id, json!({}), json!({})).await;
            assert!(
                matches!(r.outcome, ActionOutcome::Success | ActionOutcome::HttpError),
                "{r:?}"
            );
            shown.push_str(&serde_json::to_string(&r).unwrap());
            shown.push_str(&format!("{r:?}"));
        }
        // What the API really received.
        let seen = api.last("/echo/auth?q=1&k=");
        let (_, q) = seen.uri.split_once('?').unwrap();
        let k = url::form_urlencoded::parse(q.as_bytes())
            .find(|(n, _)| n == "k")
            .unwrap()
            .1
            .into_owned();
        assert_eq!(k, canaries[3].1);
        let bearer = api
            .seen
            .lock()
            .unwrap()
            .iter()
            .find_map(|s| {
                s.headers
                    .get("authorization")
                    .filter(|v| v.as_bytes().starts_with(b"Bearer"))
                    .cloned()
            })
            .unwrap();
        assert_eq!(
            bearer.to_str().unwrap(),
            format!("Bearer {}", canaries[0].1)
        );
        let basic = api
            .seen
            .lock()
            .unwrap()
            .iter()
            .find_map(|s| {
                s.headers
                    .get("authorization")
                    .filter(|v| v.as_bytes().starts_with(b"Basic"))
                    .cloned()
            })
            .unwrap();
        use base64::Engine as _;
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(basic.to_str().unwrap().strip_prefix("Basic ").unwrap())
            .unwrap();
        assert_eq!(decoded, format!("shop:{}", canaries[1].1).into_bytes());
        let shop = api
            .seen
            .lock()
            .unwrap()
            .iter()
            .find_map(|s| s.headers.get("x-shop").cloned())
            .unwrap();
        assert_eq!(shop.as_bytes(), canaries[2].1.as_bytes());

        // Everything shown: test answers, actions (typed and over RPC), logs, CLI-like JSON.
        for id in &ids {
            let a = b.action_get(&Actor::Local, *id).await.unwrap();
            shown.push_str(&serde_json::to_string(&a).unwrap());
            let rpc = baton::api::dispatch(&b, &Actor::Local, "action_get", json!({"id": id}))
                .await
                .unwrap();
            assert_eq!(rpc["auth"]["has_secret"], json!(true));
            shown.push_str(&rpc.to_string());
        }
        shown.push_str(
            &baton::api::dispatch(&b, &Actor::Local, "action_log_list", json!({"limit": 200}))
                .await
                .unwrap()
                .to_string(),
        );
        shown.push_str(&format!("{:?}", logs(&b, json!({})).await));
        // Errors: a save that fails, with the secret in the input.
        let e = b
            .action_create(
                &Actor::Local,
                input(
                    json!({"name": "Bad Name", "method": "GET", "url": "http://127.0.0.1/",
                             "auth": {"kind": "bearer", "secret": canaries[0].1}}),
                ),
            )
            .await
            .unwrap_err();
        shown.push_str(&format!("{e} {e:?}"));
        shown.push_str(&format!(
            "{:?}",
            input(json!({"name": "x", "method": "GET", "url": "http://h/",
                         "auth": {"kind": "bearer", "secret": canaries[0].1}}))
        ));
        // At rest: sealed, not in clear.
        let at_rest = raw_secrets(&db.url).await;
        assert_eq!(at_rest.len(), ids.len());
        shown.push_str(&at_rest.join(" "));
        assert!(at_rest.iter().all(|s| s.starts_with("v1:")));

        let log_text = captured.text();
        assert!(log_text.contains("outbound request"), "tracing captured");
        for (kind, canary) in canaries {
            let forms = [
                canary.to_owned(),
                url::form_urlencoded::byte_serialize(canary.as_bytes()).collect::<String>(),
                canary.split(['/', '&', ' ']).next().unwrap().to_owned(),
            ];
            for form in &forms {
                assert!(
                    !shown.contains(form.as_str()),
                    "{kind} ({form}) shown: {shown}"
                );
                assert!(
                    !log_text.contains(form.as_str()),
                    "{kind} ({form}) in tracing output"
                );
            }
        }
        assert!(shown.contains("Bearer ***") && shown.contains("Basic ***"));

        // Saves: omitted keeps, "" clears, a kept secret stays with its host.
        let id = ids[0];
        let keep = json!({"name": "bearer_ok", "method": "GET",
                          "url": format!("http://127.0.0.1:{port}/echo/auth?q=1"),
                          "auth": {"kind": "bearer"}, "allow": ["127.0.0.1"]});
        let a = b
            .action_update(&Actor::Local, id, input(keep.clone()))
            .await
            .unwrap();
        assert!(a.auth.has_secret);
        let r = test_run(&b, id, json!({}), json!({})).await;
        assert_eq!(r.outcome, ActionOutcome::Success);
        let mut moved = keep.clone();
        moved["url"] = json!(format!("http://localhost:{port}/echo/auth?q=1"));
        let e = b
            .action_update(&Actor::Local, id, input(moved.clone()))
            .await
            .unwrap_err();
        assert_eq!(
            fields(&e),
            [("auth.secret".into(), "secret_host_changed".into())]
        );
        moved["auth"]["secret"] = json!("new-token");
        moved["allow"] = json!(["localhost"]);
        assert!(
            b.action_update(&Actor::Local, id, input(moved))
                .await
                .unwrap()
                .auth
                .has_secret
        );
        let mut cleared = keep.clone();
        cleared["auth"]["secret"] = json!("");
        let e = b
            .action_update(&Actor::Local, id, input(cleared))
            .await
            .unwrap_err();
        assert_eq!(fields(&e), [("auth.secret".into(), "required".into())]);
        let none = json!({"name": "bearer_ok", "method": "GET", "url": "https://api.example.com/",
                          "auth": {"kind": "none"}});
        assert!(
            !b.action_update(&Actor::Local, id, input(none))
                .await
                .unwrap()
                .auth
                .has_secret
        );
    }
}

/// The sealed secrets as the database holds them.
async fn raw_secrets(url: &str) -> Vec<String> {
    let sql = "SELECT auth_secret FROM actions WHERE auth_secret IS NOT NULL";
    if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(url).await.unwrap();
        sqlx::query_scalar(sql).fetch_all(&pool).await.unwrap()
    } else {
        let pool = sqlx::PgPool::connect(url).await.unwrap();
        sqlx::query_scalar(sql).fetch_all(&pool).await.unwrap()
    }
}

#[tokio::test]
async fn response_cap_and_truncation() {
    let api = Api::start().await;
    for db in common::all_dbs().await {
        let b = Baton::open(&db.url).await.unwrap();
        let capped = create(
            &b,
            json!({"name": "capped", "method": "GET", "url": api.url("/big?size={{params.n}}"),
                   "parameters": [{"name": "n", "location": "query", "type": "integer", "required": true}],
                   "max_response_bytes": 4096, "allow": ["127.0.0.1"]}),
        )
        .await;
        let r = test_run(&b, capped.id, json!({"n": 3000}), json!({})).await;
        assert_eq!(r.outcome, ActionOutcome::Success);
        assert!(!r.response.unwrap().truncated);
        let r = test_run(&b, capped.id, json!({"n": 10_000}), json!({})).await;
        assert_eq!(r.outcome, ActionOutcome::InvalidResponse, "{r:?}");
        let resp = r.response.unwrap();
        assert!(resp.truncated);
        assert!(resp.body.len() <= 4096);
        assert!(r.error.unwrap().contains("4096"));

        // Within the cap but over what the log keeps: stored cut at 64 KiB, marked.
        let big = create(
            &b,
            json!({"name": "big", "method": "GET", "url": api.url("/big?size=200000"),
                   "allow": ["127.0.0.1"]}),
        )
        .await;
        let r = test_run(&b, big.id, json!({}), json!({})).await;
        assert_eq!(r.outcome, ActionOutcome::Success);
        let entry = &logs(&b, json!({"action_id": big.id})).await[0];
        assert!(entry.response_truncated);
        let body = entry.response_body.as_deref().unwrap();
        assert_eq!(body.len(), 64 * 1024, "{}", db.label);
        let small = &logs(&b, json!({"action_id": capped.id, "outcome": "success"})).await[0];
        assert!(!small.response_truncated);
    }
}

#[tokio::test]
async fn log_filters_pagination_and_pruning_with_an_injected_clock() {
    for db in common::all_dbs().await {
        let b = Baton::open(&db.url).await.unwrap();
        let a1 = create(
            &b,
            json!({"name": "one", "method": "GET", "url": "https://api.example.com/1"}),
        )
        .await;
        let a2 = create(
            &b,
            json!({"name": "two", "method": "GET", "url": "https://api.example.com/2"}),
        )
        .await;
        let conv = b
            .conversation_start(serde_json::from_value(json!({})).unwrap())
            .await
            .unwrap()
            .conversation
            .id;
        let now = chrono::DateTime::parse_from_rfc3339("2030-06-15T12:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        let day = chrono::Duration::days(1);
        let entry = |action: &Action, at, outcome, conversation| NewActionLog {
            created_at: at,
            agent_id: action.agent_id,
            action_id: Some(action.id),
            action_name: action.name.clone(),
            conversation_id: conversation,
            test: false,
            request: baton::actions::model::ActionRequestShown {
                method: action.method,
                url: action.url.clone(),
                headers: vec![],
                body: None,
            },
            request_truncated: false,
            response_status: Some(200),
            response_headers: vec![],
            response_body: Some("{}".into()),
            response_truncated: false,
            duration_ms: 12,
            outcome,
            error: None,
            reached_conversation: conversation.is_some(),
        };
        let rows = [
            (&a1, now - day * 40, ActionOutcome::Success, None),
            (&a1, now - day * 31, ActionOutcome::HttpError, Some(conv)),
            (&a2, now - day * 29, ActionOutcome::Skipped, Some(conv)),
            (&a2, now - day * 2, ActionOutcome::Success, None),
            (
                &a1,
                now - chrono::Duration::minutes(5),
                ActionOutcome::Timeout,
                Some(conv),
            ),
        ];
        for (a, at, o, c) in rows {
            b.store()
                .action_log_insert(&entry(a, at, o, c))
                .await
                .unwrap();
        }
        assert_eq!(logs(&b, json!({})).await.len(), 5);
        assert_eq!(logs(&b, json!({"action_id": a1.id})).await.len(), 3);
        assert_eq!(logs(&b, json!({"outcome": "success"})).await.len(), 2);
        assert_eq!(logs(&b, json!({"conversation_id": conv})).await.len(), 3);
        let from = (now - day * 30).to_rfc3339();
        let to = (now - day).to_rfc3339();
        let ranged = logs(&b, json!({"from": from, "to": to})).await;
        assert_eq!(
            ranged.iter().map(|e| e.outcome).collect::<Vec<_>>(),
            [ActionOutcome::Success, ActionOutcome::Skipped]
        );
        let page = b
            .action_log_list(
                &Actor::Local,
                serde_json::from_value(json!({"limit": 2})).unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(page.entries.len(), 2);
        let next = page.next_before_id.unwrap();
        let rest = logs(&b, json!({"before_id": next, "limit": 10})).await;
        assert_eq!(rest.len(), 3);
        assert!(rest.iter().all(|e| e.id < next));

        // Pruned by the clock given, not the wall's: 30 days keeps three.
        assert_eq!(b.action_log_prune_at(now, 30).await.unwrap(), 2);
        assert_eq!(logs(&b, json!({})).await.len(), 3);
        assert_eq!(b.action_log_prune_at(now, 30).await.unwrap(), 0);
        assert_eq!(b.action_log_prune_at(now + day * 28, 30).await.unwrap(), 1);

        // A deleted action's entries stay, with its name.
        b.action_delete(&Actor::Local, a2.id).await.unwrap();
        let left = logs(&b, json!({})).await;
        let orphan = left.iter().find(|e| e.action_name == "two").unwrap();
        assert_eq!(orphan.action_id, None);
    }
}

#[tokio::test]
async fn the_command_line_lists_tests_and_shows_logs() {
    let api = Api::start().await;
    let db = common::sqlite();
    let b = Baton::open(&db.url).await.unwrap();
    let canary = "CANARY-cli-93be";
    let a = create(
        &b,
        json!({"name": "order_status", "method": "GET", "url": api.url("/orders/{{params.id}}"),
               "parameters": [{"name": "id", "location": "path", "type": "integer", "required": true}],
               "reply_template": "Order {{params.id}} {{response.status}}",
               "auth": {"kind": "bearer", "secret": canary}, "allow": ["127.0.0.1"]}),
    )
    .await;
    b.store().close().await;
    let run = |args: Vec<String>| {
        let url = db.url.clone();
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
            assert!(!text.contains(canary), "{text}");
            (out.status.success(), text)
        }
    };
    let (ok, out) = run(vec!["action".into(), "list".into()]).await;
    assert!(
        ok && out.contains("order_status") && out.contains("GET"),
        "{out}"
    );
    let id = a.id.to_string();
    let (ok, out) = run(vec![
        "action".into(),
        "test".into(),
        id.clone(),
        "--param".into(),
        "id=4521".into(),
    ])
    .await;
    assert!(ok, "{out}");
    assert!(out.contains("authorization: Bearer ***"), "{out}");
    assert!(out.contains("← 200"), "{out}");
    assert!(
        out.contains("the visitor would be told: Order 4521 shipped"),
        "{out}"
    );
    assert_eq!(
        api.last("/orders/4521").headers["authorization"],
        format!("Bearer {canary}").as_str()
    );
    let (ok, out) = run(vec![
        "action".into(),
        "test".into(),
        id.clone(),
        "--param".into(),
        "id=x".into(),
    ])
    .await;
    assert!(!ok && out.contains("params.id"), "{out}");
    let (ok, out) = run(vec!["action".into(), "logs".into(), "--action".into(), id]).await;
    assert!(
        ok && out.contains("order_status") && out.contains("success") && out.contains("(test)"),
        "{out}"
    );
    let (ok, out) = run(vec![
        "--json".into(),
        "action".into(),
        "logs".into(),
        "--outcome".into(),
        "success".into(),
    ])
    .await;
    assert!(ok, "{out}");
    let page: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(page["entries"].as_array().unwrap().len(), 1);
}
