//! What keeps the pipeline honest when things happen at once or go wrong: an operator taking
//! over while the model thinks, a write that fails half-way (nothing partial, no email for a
//! handoff that did not happen, no stored message left unanswered), a visitor who will not give
//! the information asked for, viewers in routing profiles, and accent-blind inbox search — on
//! every backend.

use crate::common;

use common::{configure, operator, steps};

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use baton::auth::Actor;
use baton::conversations::inbox::*;
use baton::conversations::pipeline::*;
use baton::conversations::{Channel, Status, VisitorEvent};
use baton::engine::Author;
use baton::operators::{OperatorUpdate, Role};
use baton::{Baton, Id};
use serde_json::json;
use sqlx::{Connection, Executor};
use tokio::sync::Notify;

const ME: &Actor = &Actor::Local;

async fn start(b: &Baton) -> VisitorSession {
    b.conversation_start(ConversationStart {
        channel: Some(Channel::Widget),
        ..Default::default()
    })
    .await
    .unwrap()
}

async fn say(b: &Baton, s: &VisitorSession, text: &str) -> baton::Result<VisitorReply> {
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

async fn use_model(b: &Baton, base_url: String) {
    common::use_model(b, &base_url, 30_000).await;
}

/// A base URL where nothing listens: the model is unreachable at once, the built-in engine
/// takes over.
fn unreachable_model() -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    format!("http://127.0.0.1:{port}/v1")
}

/// Runs `sql` on the test database directly (to make a write fail on purpose).
async fn execute(db: &common::TestDb, sqlite: &str, postgres: &str) {
    if db.label == "sqlite" {
        let mut c = sqlx::SqliteConnection::connect(&db.url).await.unwrap();
        c.execute(sqlite).await.unwrap();
    } else {
        let mut c = sqlx::PgConnection::connect(&db.url).await.unwrap();
        c.execute(postgres).await.unwrap();
    }
}

/// Decision records of `step` can no longer be stored: any write that holds one fails.
async fn fail_decisions_of(db: &common::TestDb, step: &str) {
    execute(
        db,
        &format!(
            "CREATE TRIGGER fail_step BEFORE INSERT ON decision_records WHEN NEW.step = '{step}' \
             BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
        ),
        &format!(
            "CREATE FUNCTION fail_step() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
             IF NEW.step = '{step}' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$; \
             CREATE TRIGGER fail_step BEFORE INSERT ON decision_records FOR EACH ROW EXECUTE FUNCTION fail_step()"
        ),
    )
    .await;
}

/// A model server whose first request waits until the test releases it (and then fails, so
/// the built-in engine decides); later requests fail at once.
#[derive(Clone)]
struct Gate {
    arrived: Arc<Notify>,
    release: Arc<Notify>,
    first: Arc<AtomicBool>,
}

async fn gated(State(g): State<Gate>) -> StatusCode {
    if g.first.swap(false, Ordering::SeqCst) {
        g.arrived.notify_one();
        g.release.notified().await;
    }
    StatusCode::SERVICE_UNAVAILABLE
}

async fn gated_model() -> (String, Gate) {
    let gate = Gate {
        arrived: Arc::new(Notify::new()),
        release: Arc::new(Notify::new()),
        first: Arc::new(AtomicBool::new(true)),
    };
    let app = Router::new()
        .route("/v1/chat/completions", post(gated))
        .with_state(gate.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (format!("http://{addr}/v1"), gate)
}

#[tokio::test]
async fn an_operator_taking_over_while_the_model_thinks_is_not_overwritten() {
    for db in common::all_dbs().await {
        eprintln!("take-over during a model call on {}", db.label);
        let b = Baton::open(&db.url).await.unwrap();
        configure(&b, json!({"settings": {"is_active": true}})).await;
        let ada = operator(&b, "Ada", Role::Agent).await;
        let (url, gate) = gated_model().await;
        use_model(&b, url).await;
        let s = start(&b).await;

        let visitor = {
            let b = b.clone();
            let s = s.clone();
            tokio::spawn(async move { say(&b, &s, "I want to talk to a person please").await })
        };
        // The message is stored and the model is working on it: Ada takes the conversation.
        gate.arrived.notified().await;
        b.conversation_take(
            ME,
            ConversationTake {
                id: s.conversation.id,
                as_operator_id: Some(ada),
                from_operator_id: None,
            },
        )
        .await
        .unwrap();
        gate.release.notify_one();
        let reply = visitor.await.unwrap().unwrap();

        // The AI does not talk over Ada, and does not undo her take-over.
        assert!(reply.events.is_empty(), "{:?}", reply.events);
        assert_eq!(reply.status, Status::Assigned);
        let detail = b.conversation_open(ME, s.conversation.id).await.unwrap();
        assert_eq!(detail.conversation.status, Status::Assigned);
        assert_eq!(detail.conversation.assignee_id, Some(ada));
        let authors: Vec<Author> = detail.messages.iter().map(|m| m.author).collect();
        assert_eq!(authors, [Author::Visitor]);
        // Only the decision made on the conversation as it is now was stored.
        assert_eq!(
            steps(&b, s.conversation.id).await,
            [("with_person".to_owned(), "silent".to_owned())]
        );
        assert_eq!(detail.decisions[0].message_id, Some(detail.messages[0].id));
    }
}

#[tokio::test]
async fn a_handoff_that_cannot_be_stored_leaves_nothing_and_sends_no_email() {
    for db in common::all_dbs().await {
        eprintln!("failed handoff write on {}", db.label);
        let b = Baton::open(&db.url).await.unwrap();
        configure(
            &b,
            json!({"settings": {"is_active": true, "send_email_notification": true, "emails": ["team@example.com"]}}),
        )
        .await;
        let s = start(&b).await;
        say(&b, &s, "hello, what are your opening hours?")
            .await
            .unwrap();
        let status = b
            .conversation_open(ME, s.conversation.id)
            .await
            .unwrap()
            .conversation
            .status;
        fail_decisions_of(&db, "handoff").await;

        let err = say(&b, &s, "I want to talk to a human right now")
            .await
            .unwrap_err();
        assert!(matches!(err, baton::Error::Database(_)), "{err:?}");
        // Neither the message, nor the handoff, nor its email.
        let detail = b.conversation_open(ME, s.conversation.id).await.unwrap();
        assert_eq!(detail.messages.len(), 2, "only the first exchange");
        assert_eq!(detail.conversation.status, status);
        assert!(!detail.decisions.iter().any(|d| d.step == "handoff"));
        assert!(b.notification_list(ME).await.unwrap().is_empty());

        // Without the failure, the same message hands off and queues the email with it.
        execute(
            &db,
            "DROP TRIGGER fail_step",
            "DROP TRIGGER fail_step ON decision_records",
        )
        .await;
        let r = say(&b, &s, "I want to talk to a human right now")
            .await
            .unwrap();
        assert_eq!(r.status, Status::NeedsAgent);
        let queued = b.notification_list(ME).await.unwrap();
        assert_eq!(queued.len(), 1);
        assert_eq!(queued[0].conversation_id, Some(s.conversation.id));
    }
}

#[tokio::test]
async fn a_stored_message_is_answered_even_when_its_decisions_cannot_be_stored() {
    for db in common::all_dbs().await {
        eprintln!(
            "pipeline failure after the message was stored on {}",
            db.label
        );
        let b = Baton::open(&db.url).await.unwrap();
        configure(&b, json!({"settings": {"is_active": true}})).await;
        // With a model, the message is stored before the decisions are made.
        use_model(&b, unreachable_model()).await;
        let s = start(&b).await;
        fail_decisions_of(&db, "answer").await;

        let r = say(&b, &s, "Do you deliver to Norway?").await.unwrap();
        match &r.events[..] {
            [VisitorEvent::Reply { text }] => assert!(text.contains("follow up"), "{text}"),
            other => panic!("{other:?}"),
        }
        let detail = b.conversation_open(ME, s.conversation.id).await.unwrap();
        assert!(detail.conversation.follow_up, "marked for follow-up");
        let texts: Vec<(Author, &str)> = detail
            .messages
            .iter()
            .map(|m| (m.author, m.text.as_str()))
            .collect();
        assert_eq!(texts[0], (Author::Visitor, "Do you deliver to Norway?"));
        assert_eq!(texts.len(), 2);
        assert_eq!(texts[1].0, Author::Ai);
        assert_eq!(
            steps(&b, s.conversation.id).await,
            [("error".to_owned(), "failed".to_owned())]
        );
        assert_eq!(r.message.id, detail.messages[0].id);
    }
}

#[tokio::test]
async fn information_gathering_goes_on_without_a_field_the_visitor_will_not_give() {
    let db = common::sqlite();
    let b = Baton::open(&db.url).await.unwrap();
    configure(
        &b,
        json!({
            "settings": {"is_active": true},
            "information_to_gather": [
                {"kind": "email", "prompt": "What's your email?"},
                {"kind": "phone", "prompt": "And your phone number?"}
            ]
        }),
    )
    .await;
    let request = "I need to speak to a human";

    // Two answers that are not an email: asked again once, then the handoff goes on.
    let s = start(&b).await;
    let r = say(&b, &s, request).await.unwrap();
    assert_eq!(r.status, Status::GatheringInfo);
    let r = say(&b, &s, "hmm, let me look").await.unwrap();
    assert_eq!(r.status, Status::GatheringInfo);
    assert!(
        matches!(&r.events[..], [VisitorEvent::InformationRequest { field, .. }] if field == "email")
    );
    let r = say(&b, &s, "still looking").await.unwrap();
    // Email given up; the phone is asked next, and a clear refusal skips it at once.
    assert!(
        matches!(&r.events[..], [VisitorEvent::InformationRequest { field, .. }] if field == "phone"),
        "{:?}",
        r.events
    );
    let r = say(&b, &s, "No, I'd rather not share that").await.unwrap();
    assert_eq!(r.status, Status::NeedsAgent, "{:?}", r.events);
    let gathering: Vec<String> = steps(&b, s.conversation.id)
        .await
        .into_iter()
        .filter(|(step, _)| step == "gathering")
        .map(|(_, outcome)| outcome)
        .collect();
    assert_eq!(
        gathering,
        ["asking", "invalid", "skipped", "asking", "skipped"]
    );
    let c = b.conversation_open(ME, s.conversation.id).await.unwrap();
    assert!(c.conversation.gathered.is_empty());

    // A valid answer after an invalid one is still taken.
    let s = start(&b).await;
    say(&b, &s, request).await.unwrap();
    say(&b, &s, "wait").await.unwrap();
    let r = say(&b, &s, "it's ada@example.com").await.unwrap();
    assert!(
        matches!(&r.events[..], [VisitorEvent::InformationRequest { field, .. }] if field == "phone")
    );
    let c = b.conversation_open(ME, s.conversation.id).await.unwrap();
    assert_eq!(c.conversation.gathered["email"], "ada@example.com");
}

#[tokio::test]
async fn viewers_are_never_given_conversations() {
    for db in common::all_dbs().await {
        eprintln!("viewers and assignment on {}", db.label);
        let b = Baton::open(&db.url).await.unwrap();
        let busy = operator(&b, "Busy", Role::Agent).await;
        let demoted = operator(&b, "Demoted", Role::Agent).await;
        configure(
            &b,
            json!({
                "settings": {"is_active": true},
                "routing_profiles": [{"name": "Billing", "description": "invoices, refunds and payments", "is_active": true, "user_ids": [busy, demoted]}]
            }),
        )
        .await;
        // Busy already has a conversation; Demoted has none but can no longer reply.
        let first = start(&b).await;
        say(
            &b,
            &first,
            "I want to talk to a human about my invoice refund",
        )
        .await
        .unwrap();
        let c = b
            .conversation_open(ME, first.conversation.id)
            .await
            .unwrap();
        assert_eq!(c.conversation.assignee_id, Some(busy));
        b.operator_update(
            ME,
            demoted,
            OperatorUpdate {
                role: Some(Role::Viewer),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let second = start(&b).await;
        say(
            &b,
            &second,
            "I want to talk to a human about my invoice refund",
        )
        .await
        .unwrap();
        let c = b
            .conversation_open(ME, second.conversation.id)
            .await
            .unwrap();
        assert_eq!(c.conversation.assignee_id, Some(busy));
        // The configuration as read still saves (the viewer stays listed) …
        let cfg = b.handoff_config_get(ME, None).await.unwrap();
        configure(&b, serde_json::to_value(&cfg).unwrap()).await;
        // … but a viewer cannot be added to a profile.
        let err = b
            .handoff_config_update(
                ME,
                None,
                serde_json::from_value(json!({
                    "routing_profiles": [{"name": "Sales", "description": "", "is_active": true, "user_ids": [demoted]}]
                }))
                .unwrap(),
            )
            .await
            .unwrap_err();
        assert_eq!(
            err.field_errors()[0].field,
            "routing_profiles[0].user_ids[0]"
        );
        assert_eq!(err.field_errors()[0].code, "viewer_operator");
    }
}

#[tokio::test]
async fn inbox_search_ignores_accents_on_every_backend() {
    for db in common::all_dbs().await {
        eprintln!("accent-blind search on {}", db.label);
        let b = Baton::open(&db.url).await.unwrap();
        let s = start(&b).await;
        say(&b, &s, "Le café était froid à Kraków").await.unwrap();
        let other = start(&b).await;
        say(&b, &other, "nothing to see here").await.unwrap();
        for query in ["cafe", "café", "CAFÉ", "krakow", "Kraków", "etait"] {
            let page = b
                .inbox_list(
                    ME,
                    InboxQuery {
                        view: Some(InboxView::All),
                        search: Some(query.into()),
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
            let ids: Vec<Id> = page.items.iter().map(|i| i.conversation.id).collect();
            assert_eq!(ids, [s.conversation.id], "{query} on {}", db.label);
        }
    }
}
