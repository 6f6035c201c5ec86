//! The whole story over HTTP only, on both engines and both databases: question → frustration
//! → handoff question → yes → information gathered → routed to the Billing operator with
//! priority, summary and an email received by a real SMTP server → the operator signs in,
//! takes over and replies (the visitor sees it on the event stream) → hands back to the AI →
//! the AI answers again. And with working hours closed: the out-of-hours message.

use crate::common;

use std::time::Duration;

use axum::routing::post;
use axum::Json;
use baton::auth::Actor;
use common::smtp::Sink;
use common::{client, TestServer};
use serde_json::{json, Value};

/// A loopback stand-in for an OpenAI-compatible model that answers each task sensibly.
async fn fake_model() -> String {
    async fn chat(Json(req): Json<Value>) -> Json<Value> {
        let user = req["messages"][1]["content"].as_str().unwrap_or_default();
        let data: Value = user
            .find('{')
            .and_then(|i| serde_json::from_str(&user[i..]).ok())
            .unwrap_or(Value::Null);
        let text = |v: &Value| v.to_string().to_lowercase();
        let reply = if data.get("guidelines").is_some() {
            let msg = text(&data["latest_visitor_message"]);
            if msg.contains("ridiculous") {
                json!({"trigger": "user_frustration", "confidence": 0.9, "reason": "the model sees anger"})
            } else {
                json!({"trigger": null, "confidence": 0.1, "reason": "nothing to hand off"})
            }
        } else if let Some(profiles) = data.get("profiles").and_then(Value::as_array) {
            let transcript = text(&data["transcript"]);
            let id = profiles
                .iter()
                .find(|p| transcript.contains("invoice") && p["name"] == "Billing")
                .map(|p| p["id"].clone())
                .unwrap_or(Value::Null);
            json!({"profile_id": id, "reason": "the model matched the topic"})
        } else if data.get("waiting_seconds").is_some() {
            json!({"priority": "high", "reason": "the model thinks it is pressing"})
        } else if data.get("handoff_reason").is_some() {
            json!({"summary": "Model summary: the visitor disputes an invoice."})
        } else if let Some(p) = data.get("knowledge_passages").and_then(Value::as_array) {
            match p.first() {
                Some(hit) => json!({"answer": hit["text"], "found": true}),
                None => json!({"answer": "I don't know that.", "found": false}),
            }
        } else {
            json!({"ok": true})
        };
        Json(json!({"choices": [{"message": {"role": "assistant", "content": reply.to_string()}}]}))
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(
            listener,
            axum::Router::new().route("/v1/chat/completions", post(chat)),
        )
        .await
        .ok();
    });
    format!("http://{addr}/v1")
}

async fn call(
    s: &TestServer,
    method: reqwest::Method,
    path: &str,
    auth: Option<&str>,
    body: Option<Value>,
) -> (u16, Value) {
    let mut r = client().request(method, s.url(path));
    if let Some(a) = auth {
        r = r.bearer_auth(a);
    }
    if let Some(b) = body {
        r = r.json(&b);
    }
    let resp = r.send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

async fn visitor(s: &TestServer, id: i64, token: &str, text: &str) -> Value {
    let r = client()
        .post(s.url(&format!("/v1/visitor/conversations/{id}/messages")))
        .header("X-Visitor-Token", token)
        .json(&json!({"text": text}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

fn event_types(reply: &Value) -> Vec<String> {
    reply["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_whole_handoff_story_over_http() {
    let Some(sink) = Sink::start(None) else {
        return;
    };
    let model = fake_model().await;
    for db in common::all_dbs().await {
        for engine in ["builtin", "openai"] {
            eprintln!("story on {} with the {engine} engine", db.label);
            let db = if db.label == "sqlite" {
                common::sqlite()
            } else {
                common::postgres().await.unwrap()
            };
            story(db, engine, &model, &sink).await;
        }
    }
}

async fn story(db: common::TestDb, engine: &str, model: &str, sink: &Sink) {
    let s = TestServer::start(db).await;
    let admin = s.token.clone();
    let post = reqwest::Method::POST;
    let put = reqwest::Method::PUT;

    // Set-up, all over the API: operators, SMTP, engine, knowledge, handoff configuration.
    let (st, bella) = call(&s, post.clone(), "/v1/operators", Some(&admin), Some(json!({"name": "Bella", "email": "bella@example.com", "role": "agent", "password": "bella-password"}))).await;
    assert_eq!(st, 201, "{bella}");
    let (_, tom) = call(
        &s,
        post.clone(),
        "/v1/operators",
        Some(&admin),
        Some(json!({"name": "Tom", "email": "tom@example.com", "role": "agent"})),
    )
    .await;
    let smtp = serde_json::to_value(sink.settings()).unwrap();
    let (st, body) = call(
        &s,
        post.clone(),
        "/v1/rpc/settings_smtp_set",
        Some(&admin),
        Some(smtp),
    )
    .await;
    assert_eq!(st, 200, "{body}");
    if engine == "openai" {
        let (st, body) = call(&s, post.clone(), "/v1/rpc/engine_set", Some(&admin), Some(json!({"kind": "openai", "base_url": model, "model": "fake-model", "api_key": "sk-test"}))).await;
        assert_eq!(st, 200, "{body}");
    }
    let (st, _) = call(&s, post.clone(), "/v1/rpc/knowledge_create", Some(&admin), Some(json!({"title": "How do I pay an invoice?", "body": "Invoices can be paid by card or bank transfer within 14 days."}))).await;
    assert_eq!(st, 200);
    let (st, cfg) = call(&s, put.clone(), "/v1/api/human_handoff/configuration", Some(&admin), Some(json!({
        "settings": {"is_active": true, "auto_priority": true, "ai_summary_active": true, "send_email_notification": true, "emails": ["team@example.com"]},
        "generic_guidelines": [{"name": "lack_of_knowledge", "is_active": false}],
        "routing_profiles": [
            {"name": "Billing", "description": "invoices, payments, refunds", "is_active": true, "user_ids": [bella["id"]]},
            {"name": "Tech", "description": "bugs, errors, crashes", "is_active": true, "user_ids": [tom["id"]]}
        ],
        "information_to_gather": [{"kind": "email", "prompt": "What is your email address?"}]
    }))).await;
    assert_eq!(st, 200, "{cfg}");

    // The visitor.
    let (st, session) = call(
        &s,
        post.clone(),
        "/v1/visitor/conversations",
        None,
        Some(json!({"channel": "widget", "timezone": "Europe/Warsaw"})),
    )
    .await;
    assert_eq!(st, 201, "{session}");
    let id = session["conversation"]["id"].as_i64().unwrap();
    let vt = session["visitor_token"].as_str().unwrap().to_owned();

    let r = visitor(&s, id, &vt, "How can I pay my invoice?").await;
    assert_eq!(event_types(&r), ["reply"]);
    assert!(r["events"][0]["text"]
        .as_str()
        .unwrap()
        .contains("bank transfer"));

    let r = visitor(
        &s,
        id,
        &vt,
        "This is ridiculous, I was charged twice for the same invoice!",
    )
    .await;
    assert_eq!(event_types(&r), ["handoff_question"], "{r}");
    assert_eq!(r["status"], "awaiting_confirmation");

    let r = visitor(&s, id, &vt, "yes please").await;
    assert_eq!(event_types(&r), ["information_request"], "{r}");
    assert_eq!(r["events"][0]["field"], "email");

    let before = sink.messages().len();
    let r = visitor(&s, id, &vt, "sure, it's anna.visitor@example.com").await;
    assert_eq!(event_types(&r), ["confirmation"], "{r}");
    assert_eq!(r["status"], "needs_agent");

    // Routed to Billing's operator, with priority and summary, and why.
    let (st, detail) = call(
        &s,
        reqwest::Method::GET,
        &format!("/v1/conversations/{id}"),
        Some(&admin),
        None,
    )
    .await;
    assert_eq!(st, 200);
    let c = &detail["conversation"];
    assert_eq!(c["assignee_id"], bella["id"]);
    assert_eq!(c["routing_profile_id"], cfg["routing_profiles"][0]["id"]);
    assert!(c["priority"].is_string());
    assert!(c["ai_summary"].as_str().unwrap().len() > 10);
    assert_eq!(c["gathered"]["email"], "anna.visitor@example.com");
    let decisions = detail["decisions"].as_array().unwrap();
    let guideline = decisions
        .iter()
        .find(|d| d["step"] == "guidelines" && d["outcome"] == "user_frustration")
        .expect("frustration decision");
    let expected_engine = if engine == "openai" {
        "openai:fake-model"
    } else {
        "builtin"
    };
    assert_eq!(guideline["engine"], expected_engine);
    if engine == "openai" {
        assert_eq!(c["priority"], "high");
        assert!(c["ai_summary"]
            .as_str()
            .unwrap()
            .starts_with("Model summary"));
    }

    // The email reaches the SMTP server, addressed to Billing's operator.
    let sent = s.baton.notifications_run_due().await.unwrap();
    assert_eq!(sent, 1);
    let mails = sink.messages();
    assert_eq!(mails.len(), before + 1);
    let mail = mails.last().unwrap();
    assert!(mail.raw.contains("bella@example.com"));
    assert!(
        mail.raw.contains(&format!("#{id}")),
        "the subject names the conversation"
    );
    assert!(mail.text().contains("anna.visitor@example.com"));

    // The operator signs in, opens the visitor's stream, takes over and replies.
    let (st, login) = call(
        &s,
        post.clone(),
        "/v1/auth/login",
        None,
        Some(json!({"email": "bella@example.com", "password": "bella-password"})),
    )
    .await;
    assert_eq!(st, 200, "{login}");
    let op = login["token"].as_str().unwrap().to_owned();
    let mut stream = client()
        .get(s.url(&format!("/v1/visitor/conversations/{id}/events?token={vt}")))
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    let (st, taken) = call(
        &s,
        post.clone(),
        &format!("/v1/conversations/{id}/take"),
        Some(&op),
        None,
    )
    .await;
    assert_eq!(st, 200, "{taken}");
    assert_eq!(taken["status"], "assigned");
    // Tom cannot take it from the operator without saying so.
    let tom_actor = Actor::Operator {
        operator_id: tom["id"].as_i64().unwrap(),
        role: baton::operators::Role::Agent,
    };
    let conflict = s
        .baton
        .conversation_take(
            &tom_actor,
            baton::conversations::inbox::ConversationTake {
                id,
                as_operator_id: None,
                from_operator_id: None,
            },
        )
        .await;
    assert!(matches!(conflict, Err(baton::Error::Conflict { .. })));
    let (st, _) = call(
        &s,
        post.clone(),
        &format!("/v1/conversations/{id}/reply"),
        Some(&op),
        Some(json!({"text": "Hi Anna, Bella here. I'll refund the duplicate charge."})),
    )
    .await;
    assert_eq!(st, 201);
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !seen.contains("operator_reply") {
        let chunk = tokio::time::timeout_at(deadline, stream.chunk())
            .await
            .expect("the reply reaches the stream in time")
            .unwrap();
        seen.push_str(&String::from_utf8_lossy(&chunk.expect("stream open")));
    }
    assert!(seen.contains("Bella here"), "{seen}");
    drop(stream);

    // While a person has it, the AI is silent.
    let r = visitor(&s, id, &vt, "thank you!").await;
    assert_eq!(event_types(&r), Vec::<String>::new());

    // Hand back: the AI answers again.
    let (st, back) = call(
        &s,
        post.clone(),
        &format!("/v1/conversations/{id}/hand-back"),
        Some(&op),
        Some(json!({"instruction": "Be extra kind."})),
    )
    .await;
    assert_eq!(st, 200);
    assert_eq!(back["status"], "ai");
    let r = visitor(&s, id, &vt, "one more thing: how do I pay an invoice?").await;
    assert_eq!(event_types(&r), ["reply"], "{r}");
    assert!(r["events"][0]["text"]
        .as_str()
        .unwrap()
        .contains("bank transfer"));

    // Working hours closed: the out-of-hours message with the next opening.
    let (st, _) = call(&s, put.clone(), "/v1/api/human_handoff/configuration", Some(&admin), Some(json!({
        "settings": {"working_hours_active": true, "timezone": "Europe/London"},
        "availability": [{"day_span": "monday-friday", "start_time": "09:00", "end_time": "17:00"}]
    }))).await;
    assert_eq!(st, 200);
    // The playground (with its simulated time) is started by a signed-in user, not the public.
    let (_, play) = call(
        &s,
        post.clone(),
        "/v1/rpc/visitor_start",
        Some(&admin),
        Some(json!({"channel": "playground", "timezone": "Asia/Tokyo"})),
    )
    .await;
    let pid = play["conversation"]["id"].as_i64().unwrap();
    let pt = play["visitor_token"].as_str().unwrap();
    let r = client()
        .post(s.url(&format!("/v1/visitor/conversations/{pid}/messages")))
        .header("X-Visitor-Token", pt)
        .json(&json!({"text": "This is ridiculous, I want my money back", "simulated_at": "2026-11-21T20:00:00Z"}))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(event_types(&r), ["out_of_hours"], "{r}");
    assert_eq!(r["events"][0]["next_opening"], "2026-11-23T09:00:00Z");
    assert_eq!(
        r["events"][0]["next_opening_local"],
        "2026-11-23T18:00:00+09:00"
    );
    assert_eq!(r["status"], "ai");
    s.stop().await;
}

#[tokio::test]
async fn an_smtp_server_that_is_down_never_blocks_a_handoff() {
    let s = TestServer::start(common::sqlite()).await;
    let admin = s.token.clone();
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let smtp = json!({"host": "127.0.0.1", "port": closed, "security": "none", "username": null, "password": null, "from": "Baton <h@example.com>"});
    let (st, _) = call(
        &s,
        reqwest::Method::POST,
        "/v1/rpc/settings_smtp_set",
        Some(&admin),
        Some(smtp),
    )
    .await;
    assert_eq!(st, 200);
    let (st, _) = call(&s, reqwest::Method::PUT, "/v1/api/human_handoff/configuration", Some(&admin), Some(json!({
        "settings": {"is_active": true, "keywords": ["lawyer"], "send_email_notification": true, "emails": ["team@example.com"]}
    }))).await;
    assert_eq!(st, 200);
    let (_, session) = call(
        &s,
        reqwest::Method::POST,
        "/v1/visitor/conversations",
        None,
        Some(json!({})),
    )
    .await;
    let id = session["conversation"]["id"].as_i64().unwrap();
    let r = visitor(
        &s,
        id,
        session["visitor_token"].as_str().unwrap(),
        "I will call my lawyer",
    )
    .await;
    assert_eq!(r["status"], "needs_agent");
    assert_eq!(s.baton.notifications_run_due().await.unwrap(), 0);
    let (_, list) = call(
        &s,
        reqwest::Method::POST,
        "/v1/rpc/notification_list",
        Some(&admin),
        Some(json!({})),
    )
    .await;
    let n = &list[0];
    assert_eq!(n["status"], "pending", "kept for a retry");
    assert_eq!(n["attempts"], 1);
    assert!(n["last_error"].as_str().unwrap().len() > 3);
    assert!(n["next_attempt_at"].as_str().unwrap() > n["created_at"].as_str().unwrap());
    // Not due yet: a second run does not hammer the server.
    assert_eq!(s.baton.notifications_run_due().await.unwrap(), 0);
    let (_, list) = call(
        &s,
        reqwest::Method::POST,
        "/v1/rpc/notification_list",
        Some(&admin),
        Some(json!({})),
    )
    .await;
    assert_eq!(list[0]["attempts"], 1);
    s.stop().await;
}

#[tokio::test]
async fn two_workers_send_each_email_once() {
    let Some(sink) = Sink::start(None) else {
        return;
    };
    let s = TestServer::start(common::sqlite()).await;
    let admin = s.token.clone();
    let smtp = serde_json::to_value(sink.settings()).unwrap();
    call(
        &s,
        reqwest::Method::POST,
        "/v1/rpc/settings_smtp_set",
        Some(&admin),
        Some(smtp),
    )
    .await;
    call(&s, reqwest::Method::PUT, "/v1/api/human_handoff/configuration", Some(&admin), Some(json!({
        "settings": {"is_active": true, "keywords": ["refund"], "send_email_notification": true, "emails": ["team@example.com"]}
    })))
    .await;
    for _ in 0..3 {
        let (_, session) = call(
            &s,
            reqwest::Method::POST,
            "/v1/visitor/conversations",
            None,
            Some(json!({})),
        )
        .await;
        let id = session["conversation"]["id"].as_i64().unwrap();
        visitor(
            &s,
            id,
            session["visitor_token"].as_str().unwrap(),
            "refund please",
        )
        .await;
    }
    let other = s.baton.clone();
    let (a, b) = tokio::join!(
        s.baton.notifications_run_due(),
        other.notifications_run_due()
    );
    assert_eq!(a.unwrap() + b.unwrap(), 3);
    assert_eq!(sink.messages().len(), 3);
    s.stop().await;
}
