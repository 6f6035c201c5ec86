//! Form collection and button trigger actions, on SQLite and PostgreSQL, against a shop's
//! returns API on loopback. The owner saves a return-request form that runs the shop's
//! `create_return` HTTP action and feeds the lead, a "Book a demo" link button, and a
//! "Check my refund" button that runs an action under the first answer; what a save refuses
//! (a form without fields, an action to run that is not there or not HTTP, a button with a
//! link and an action, HTTP fields on a form) is named by field. In a conversation a question
//! about returns shows the form; the visitor's submission is checked in the core (422 naming
//! each field, nothing stored), then sent: the API gets the values as parameters, its reply is
//! the agent's answer, the values are on the timeline, the lead has the email (source
//! `action_form`) and the run is in the execution log as having reached the conversation.
//! A click on the refund button runs its action; a link button's click is noted.

use crate::common;

use std::sync::{Arc, Mutex};

use axum::routing::{get, post};
use axum::{Json, Router};
use baton::actions::model::{ActionInput, ActionLogQuery, ActionOutcome, FormSubmit};
use baton::auth::Actor;
use baton::conversations::pipeline::{VisitorReply, VisitorSession};
use baton::conversations::{Channel, VisitorEvent};
use baton::error::Error;
use baton::leads::model::LeadQuery;
use baton::Baton;
use serde_json::{json, Value};

const ME: &Actor = &Actor::Local;

/// The shop: `POST /returns` takes `{order_id, reason, email}` and answers a return number;
/// `GET /refunds` answers the refund's state.
async fn shop() -> (String, Arc<Mutex<Vec<Value>>>) {
    let got: Arc<Mutex<Vec<Value>>> = Default::default();
    let seen = got.clone();
    let app = Router::new()
        .route(
            "/returns",
            post(move |Json(body): Json<Value>| {
                let seen = seen.clone();
                async move {
                    seen.lock().unwrap().push(body.clone());
                    Json(json!({"return_id": "R-77", "order": body["order_id"]}))
                }
            }),
        )
        .route(
            "/refunds",
            get(|| async { Json(json!({"state": "on its way"})) }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (base, got)
}

fn input(v: Value) -> ActionInput {
    serde_json::from_value(v).expect("action input")
}

fn fields(e: Error) -> Vec<String> {
    match e {
        Error::Validation(v) => v.into_iter().map(|f| f.field).collect(),
        e => panic!("expected a validation error, got {e:?}"),
    }
}

fn return_form(run: &str) -> Value {
    json!({
        "type": "form",
        "name": "return_request",
        "description": "Start a return or send an item back for a refund.",
        "examples": ["I want to return my order", "how do I send this back"],
        "form": {
            "intro": "Sure, fill in this form and we will start your return.",
            "title": "Return request",
            "fields": [
                {"name": "order_id", "label": "Order number", "type": "text", "required": true,
                 "placeholder": "A-1234"},
                {"name": "reason", "label": "Reason", "type": "select", "required": true,
                 "options": ["Damaged", "Wrong size", "Changed my mind"]},
                {"name": "email", "label": "Your email", "type": "email", "required": true},
                {"name": "terms", "label": "I have read the return policy", "type": "consent",
                 "required": true}
            ],
            "submit_label": "Start my return",
            "create_lead": true,
            "run_action": run,
            "success_message": "Thanks, your return request is in."
        }
    })
}

async fn start(b: &Baton) -> VisitorSession {
    common::start(b, Channel::Widget).await
}

async fn say(b: &Baton, s: &VisitorSession, text: &str) -> VisitorReply {
    common::say(b, s, text).await
}

#[tokio::test]
async fn forms_and_buttons_on_every_backend() {
    let (base, got) = shop().await;
    for db in common::all_dbs().await {
        eprintln!("action kinds on {}", db.label);
        got.lock().unwrap().clear();
        story(&Baton::open(&db.url).await.unwrap(), &base, &got).await;
    }
}

async fn story(b: &Baton, base: &str, got: &Arc<Mutex<Vec<Value>>>) {
    // ---- Saves, and what they refuse ----
    let create_return = b
        .action_create(
            ME,
            input(json!({
                "name": "create_return",
                "description": "Registers a return with the shop (used by the return form).",
                "method": "POST",
                "url": format!("{base}/returns"),
                "parameters": [
                    {"name": "order_id", "location": "body", "type": "string", "required": true},
                    {"name": "reason", "location": "body", "type": "string", "required": true},
                    {"name": "email", "location": "body", "type": "email", "required": true}
                ],
                "reply_template": "Your return {{response.return_id}} for order {{params.order_id}} is registered.",
                "allow": ["127.0.0.1"],
                // Not matched by itself: only the form runs it.
                "active": false
            })),
        )
        .await
        .unwrap();
    // The action to run must exist, and be an HTTP action.
    let e = b
        .action_create(ME, input(return_form("no_such_action")))
        .await
        .unwrap_err();
    assert_eq!(fields(e), ["form.run_action"]);
    let mut no_fields = return_form("create_return");
    no_fields["form"]["fields"] = json!([]);
    no_fields["url"] = json!("https://example.com");
    no_fields["method"] = json!("POST");
    let e = b.action_create(ME, input(no_fields)).await.unwrap_err();
    assert_eq!(fields(e), ["method", "url", "form.fields"]);
    let form = b
        .action_create(ME, input(return_form("create_return")))
        .await
        .unwrap();
    assert_eq!(
        serde_json::to_value(&form).unwrap()["type"],
        json!("form"),
        "the type is answered"
    );
    let e = b
        .action_create(
            ME,
            input(json!({
                "type": "button", "name": "run_a_form",
                "button": {"label": "Return", "run_action": "return_request"}
            })),
        )
        .await
        .unwrap_err();
    assert_eq!(
        fields(e),
        ["button.run_action"],
        "a form is not run by a button"
    );
    let e = b
        .action_create(
            ME,
            input(json!({
                "type": "button", "name": "both",
                "button": {"label": "x", "url": "https://example.com", "run_action": "create_return"}
            })),
        )
        .await
        .unwrap_err();
    assert_eq!(fields(e), ["button.run_action"]);
    let demo = b
        .action_create(
            ME,
            input(json!({
                "type": "button", "name": "book_demo",
                "description": "Book a product demo with our team.",
                "examples": ["can I get a demo", "I'd like to see a demo"],
                "button": {"message": "Pick a time that suits you:", "label": "Book a demo",
                           "url": "https://example.com/demo"}
            })),
        )
        .await
        .unwrap();
    b.action_create(
        ME,
        input(json!({
            "name": "refund_state", "description": "The state of a refund.", "method": "GET",
            "url": format!("{base}/refunds"), "reply_template": "Your refund is {{response.state}}.",
            "allow": ["127.0.0.1"], "active": false
        })),
    )
    .await
    .unwrap();
    let refund = b
        .action_create(
            ME,
            input(json!({
                "type": "button", "name": "refund_button",
                "button": {"label": "Check my refund", "moment": "after_first_answer",
                           "run_action": "refund_state"}
            })),
        )
        .await
        .unwrap();
    // A form or a button sends nothing itself: the test panel says so.
    let e = b
        .action_test(ME, serde_json::from_value(json!({"id": form.id})).unwrap())
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Conflict { .. }), "{e:?}");

    // ---- A conversation: the refund button under the first answer ----
    let s = start(b).await;
    let r = say(b, &s, "Hello there").await;
    let button = r.events.iter().find_map(|e| match e {
        VisitorEvent::ActionButton {
            action_id,
            label,
            url,
        } => Some((*action_id, label, url)),
        _ => None,
    });
    assert_eq!(
        button,
        Some((refund.id, &"Check my refund".to_owned(), &None)),
        "{:?}",
        r.events
    );
    let r2 = say(b, &s, "Thanks. Another thing then").await;
    assert!(
        !r2.events.iter().any(
            |e| matches!(e, VisitorEvent::ActionButton { action_id, .. } if *action_id == refund.id)
        ),
        "only under the first answer: {:?}",
        r2.events
    );
    let answered = b
        .visitor_action_button(s.conversation.id, &s.visitor_token, refund.id)
        .await
        .unwrap();
    assert_eq!(answered.message.unwrap().text, "Your refund is on its way.");

    // ---- The demo button when asked for ----
    let r = say(b, &s, "Could I get a demo of the product?").await;
    let shown: Vec<_> = r
        .events
        .iter()
        .filter_map(|e| match e {
            VisitorEvent::ActionButton { action_id, url, .. } => Some((*action_id, url.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        shown,
        [(demo.id, Some("https://example.com/demo".to_owned()))],
        "{:?}",
        r.events
    );
    let clicked = b
        .visitor_action_button(s.conversation.id, &s.visitor_token, demo.id)
        .await
        .unwrap();
    assert!(clicked.message.is_none(), "a link says nothing");

    // ---- The return form ----
    let r = say(b, &s, "I want to return my order, it arrived damaged").await;
    let view = r
        .events
        .iter()
        .find_map(|e| match e {
            VisitorEvent::ActionForm { action_id, form: f } if *action_id == form.id => {
                Some(f.clone())
            }
            _ => None,
        })
        .unwrap_or_else(|| panic!("no form: {:?}", r.events));
    assert_eq!(view.title, "Return request");
    assert_eq!(view.submit_label, "Start my return");
    assert_eq!(view.fields.len(), 4);
    // Checked in the core: every bad field at once, nothing stored, nothing sent.
    let bad: FormSubmit = serde_json::from_value(json!({"values": {
        "order_id": "", "reason": "Lost", "email": "rita@", "terms": false, "coupon": "X"
    }}))
    .unwrap();
    let e = b
        .visitor_action_form(s.conversation.id, &s.visitor_token, form.id, bad)
        .await
        .unwrap_err();
    assert_eq!(
        fields(e),
        [
            "values.coupon",
            "values.order_id",
            "values.reason",
            "values.email",
            "values.terms"
        ]
    );
    assert!(
        got.lock().unwrap().is_empty(),
        "nothing sent for a refused form"
    );
    let ok: FormSubmit = serde_json::from_value(json!({"values": {
        "order_id": "A-4521", "reason": "damaged", "email": "rita@example.org", "terms": true
    }}))
    .unwrap();
    let answered = b
        .visitor_action_form(s.conversation.id, &s.visitor_token, form.id, ok)
        .await
        .unwrap();
    assert_eq!(
        answered.message.unwrap().text,
        "Your return R-77 for order A-4521 is registered."
    );
    assert_eq!(
        got.lock().unwrap().as_slice(),
        [json!({"order_id": "A-4521", "reason": "Damaged", "email": "rita@example.org"})],
        "the API got the values as its parameters (the option as written by the owner)"
    );
    // On the timeline, in the lead, in the log.
    let detail = b.conversation_open(ME, s.conversation.id).await.unwrap();
    let noted = detail
        .timeline
        .iter()
        .find(|e| serde_json::to_value(e.kind).unwrap() == json!("form_submitted"))
        .expect("the form on the timeline");
    let text = noted.text.clone().unwrap_or_default();
    for want in [
        "Return request",
        "Order number: A-4521",
        "Reason: Damaged",
        "ran 'create_return': success",
    ] {
        assert!(text.contains(want), "{want} in {text}");
    }
    let clicks: Vec<String> = detail
        .timeline
        .iter()
        .filter(|e| serde_json::to_value(e.kind).unwrap() == json!("button_clicked"))
        .filter_map(|e| e.text.clone())
        .collect();
    assert_eq!(clicks.len(), 2, "{clicks:?}");
    assert!(clicks[1].contains("Book a demo") && clicks[1].contains("https://example.com/demo"));
    let leads = b
        .lead_list(
            ME,
            LeadQuery {
                search: Some("rita@example.org".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(leads.leads.len(), 1);
    let lead = &leads.leads[0];
    assert_eq!(
        serde_json::to_value(lead.source).unwrap(),
        json!("action_form")
    );
    assert_eq!(
        lead.consent_text.as_deref(),
        Some("I have read the return policy")
    );
    let logs = b
        .action_log_list(
            ME,
            ActionLogQuery {
                action_id: Some(create_return.id),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(logs.entries.len(), 1);
    assert_eq!(logs.entries[0].outcome, ActionOutcome::Success);
    assert!(logs.entries[0].reached_conversation);
    assert_eq!(logs.entries[0].conversation_id, Some(s.conversation.id));

    // Another agent's visitor cannot use this agent's form; a switched-off one is gone.
    let mut off = return_form("create_return");
    off["active"] = json!(false);
    b.action_update(ME, form.id, input(off)).await.unwrap();
    let again: FormSubmit = serde_json::from_value(json!({"values": {
        "order_id": "A-1", "reason": "Damaged", "email": "a@b.co", "terms": true
    }}))
    .unwrap();
    let e = b
        .visitor_action_form(s.conversation.id, &s.visitor_token, form.id, again)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::NotFound { .. }), "{e:?}");
}
