//! The decision pipeline and the inbox, through the core API, on every backend.

use crate::common;

use common::{configure, operator, steps};

use baton::auth::Actor;
use baton::conversations::inbox::*;
use baton::conversations::pipeline::*;
use baton::conversations::{Channel, Status, VisitorEvent};
use baton::engine::settings::{EngineKind, EngineSettingsInput};
use baton::knowledge::KnowledgeInput;
use baton::operators::Role;
use baton::{Baton, Error, Id};
use serde_json::json;

const ME: &Actor = &Actor::Local;

async fn start(b: &Baton, channel: Channel, tz: Option<&str>) -> VisitorSession {
    b.conversation_start(ConversationStart {
        channel: Some(channel),
        timezone: tz.map(str::to_owned),
        ..Default::default()
    })
    .await
    .unwrap()
}

async fn say(b: &Baton, s: &VisitorSession, text: &str) -> VisitorReply {
    b.visitor_message(
        s.conversation.id,
        &s.visitor_token,
        VisitorMessageInput {
            text: text.into(),
            ..Default::default()
        },
    )
    .await
    .unwrap()
}

fn kinds(r: &VisitorReply) -> Vec<&'static str> {
    r.events
        .iter()
        .map(|e| match e {
            VisitorEvent::Reply { .. } => "reply",
            VisitorEvent::HandoffQuestion { .. } => "question",
            VisitorEvent::Confirmation { .. } => "confirmation",
            VisitorEvent::OutOfHours { .. } => "out_of_hours",
            VisitorEvent::InformationRequest { .. } => "information_request",
            VisitorEvent::OperatorReply { .. } => "operator_reply",
            VisitorEvent::ContactForm { .. } => "contact_form",
            VisitorEvent::Buttons { .. } => "buttons",
            VisitorEvent::HandoverChannels { .. } => "handover_channels",
            VisitorEvent::ActionForm { .. } => "action_form",
            VisitorEvent::ActionButton { .. } => "action_button",
        })
        .collect()
}

#[tokio::test]
async fn pipeline_and_inbox_story_on_every_backend() {
    for db in common::all_dbs().await {
        eprintln!("conversations on {}", db.label);
        story(&Baton::open(&db.url).await.unwrap()).await;
    }
}

async fn story(b: &Baton) {
    // Handoff is off by default: triggers are only logged, the AI keeps answering.
    let s = start(b, Channel::Widget, None).await;
    let r = say(b, &s, "can I talk to a real person please?").await;
    assert_eq!(kinds(&r), ["reply"]);
    assert_eq!(r.status, Status::Ai);
    assert!(steps(b, s.conversation.id)
        .await
        .contains(&("handoff".into(), "ignored".into())));

    // The knowledge base answers what it knows.
    b.knowledge_create(
        ME,
        KnowledgeInput {
            agent_id: None,
            title: "What are your opening hours?".into(),
            body: "Our shop is open Monday to Friday, 9:00 to 17:00.".into(),
        },
    )
    .await
    .unwrap();
    let r = say(b, &s, "what are the shop opening hours?").await;
    match &r.events[0] {
        VisitorEvent::Reply { text } => assert!(text.contains("Monday to Friday"), "{text}"),
        other => panic!("{other:?}"),
    }

    let billing1 = operator(b, "Bella", Role::Agent).await;
    let billing2 = operator(b, "Bruno", Role::Agent).await;
    let viewer = operator(b, "Vera", Role::Viewer).await;
    configure(b, json!({
        "settings": {"is_active": true, "keywords": ["chargeback"], "auto_priority": true, "ai_summary_active": true},
        "routing_profiles": [
            {"name": "Billing", "description": "invoices, payments, refunds, charges", "is_active": true, "user_ids": [billing1, billing2]},
            {"name": "Shipping", "description": "delivery, parcels, tracking", "is_active": true, "user_ids": []}
        ]
    }))
    .await;

    // A keyword hands off at once, routed to the least busy operator of the matched profile.
    let k = start(b, Channel::Widget, None).await;
    let r = say(
        b,
        &k,
        "I was charged twice on my invoice, I will file a chargeback",
    )
    .await;
    assert_eq!(kinds(&r), ["confirmation"]);
    assert_eq!(r.status, Status::NeedsAgent);
    let c = b
        .conversation_open(ME, k.conversation.id)
        .await
        .unwrap()
        .conversation;
    let first = c.assignee_id.expect("assigned to a billing operator");
    assert!(first == billing1 || first == billing2);
    assert!(c.priority.is_some());
    assert!(
        c.ai_summary.as_deref().unwrap().contains("charged twice"),
        "{:?}",
        c.ai_summary
    );
    assert!(c.handoff_reason.as_deref().unwrap().contains("chargeback"));
    // The next billing handoff goes to the other (less busy) operator.
    let k2 = start(b, Channel::Widget, None).await;
    say(b, &k2, "refund my payment, chargeback").await;
    let c2 = b
        .conversation_open(ME, k2.conversation.id)
        .await
        .unwrap()
        .conversation;
    assert_ne!(c2.assignee_id, Some(first));

    // With a person, the AI stays silent.
    let r = say(b, &k, "hello? anyone?").await;
    assert!(r.events.is_empty());
    assert!(steps(b, k.conversation.id)
        .await
        .contains(&("with_person".into(), "silent".into())));

    // Frustration asks first; "no" returns to the AI, "yes" hands off.
    let f = start(b, Channel::Widget, None).await;
    let r = say(b, &f, "This is ridiculous, your service is useless!!!").await;
    assert_eq!(kinds(&r), ["question"]);
    assert_eq!(r.status, Status::AwaitingConfirmation);
    let r = say(b, &f, "no thanks").await;
    assert_eq!(r.status, Status::Ai);
    let r = say(b, &f, "This is ridiculous, your service is useless!!!").await;
    assert_eq!(kinds(&r), ["question"]);
    let r = say(b, &f, "sí, por favor").await;
    assert_eq!(kinds(&r), ["confirmation"]);
    assert_eq!(r.status, Status::NeedsAgent);

    // Inbox: counts in one call; take-over conflicts; roles.
    let page = b
        .inbox_list(
            ME,
            InboxQuery {
                view: Some(InboxView::NeedsAgent),
                as_operator_id: Some(first),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(page.counts.needs_agent, 3);
    assert_eq!(page.counts.mine, 1);
    assert_eq!(page.items.len(), 3);
    let unassigned = b
        .inbox_list(
            ME,
            InboxQuery {
                view: Some(InboxView::Unassigned),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        unassigned.items.len(),
        1,
        "the frustrated visitor matched no profile"
    );
    assert_eq!(unassigned.items[0].conversation.id, f.conversation.id);

    let other = if first == billing1 {
        billing2
    } else {
        billing1
    };
    let taken = b
        .conversation_take(
            ME,
            ConversationTake {
                id: f.conversation.id,
                as_operator_id: Some(first),
                from_operator_id: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(taken.status, Status::Assigned);
    let lost = b
        .conversation_take(
            ME,
            ConversationTake {
                id: f.conversation.id,
                as_operator_id: Some(other),
                from_operator_id: None,
            },
        )
        .await
        .unwrap_err();
    assert!(matches!(lost, Error::Conflict { .. }), "{lost:?}");
    let viewer_actor = Actor::Operator {
        operator_id: viewer,
        role: Role::Viewer,
    };
    let denied = b
        .conversation_reply(
            &viewer_actor,
            ConversationReply {
                id: f.conversation.id,
                text: "hi".into(),
                as_operator_id: None,
                from_operator_id: None,
            },
        )
        .await
        .unwrap_err();
    assert!(matches!(denied, Error::Forbidden(_)));
    let agent_actor = Actor::Operator {
        operator_id: first,
        role: Role::Agent,
    };
    let denied = b
        .handoff_config_update(&agent_actor, None, Default::default())
        .await
        .unwrap_err();
    assert!(
        matches!(denied, Error::Forbidden(_)),
        "an agent cannot change configuration"
    );

    b.conversation_reply(
        &agent_actor,
        ConversationReply {
            id: f.conversation.id,
            text: "Hi, I'm Bella, sorry about that.".into(),
            as_operator_id: None,
            from_operator_id: None,
        },
    )
    .await
    .unwrap();
    b.conversation_note(
        &agent_actor,
        ConversationText {
            id: f.conversation.id,
            text: "VIP customer".into(),
            as_operator_id: None,
        },
    )
    .await
    .unwrap();
    let visible = b
        .visitor_messages(f.conversation.id, &f.visitor_token)
        .await
        .unwrap();
    assert!(visible.iter().any(|m| m.text.contains("I'm Bella")));
    assert!(
        !visible.iter().any(|m| m.text == "VIP customer"),
        "internal notes stay internal"
    );
    let found = b
        .inbox_list(
            ME,
            InboxQuery {
                view: Some(InboxView::All),
                search: Some("ridiculous".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(found.items.len(), 1);
    assert_eq!(found.items[0].conversation.id, f.conversation.id);

    // Hand back to the AI with a private instruction; resolve; reopen.
    let back = b
        .conversation_hand_back(
            &agent_actor,
            ConversationHandBack {
                id: f.conversation.id,
                instruction: Some("offer a 10% voucher".into()),
            },
        )
        .await
        .unwrap();
    assert_eq!(back.status, Status::Ai);
    assert_eq!(back.assignee_id, None);
    let resolved = b
        .conversation_resolve(
            &agent_actor,
            ConversationAction {
                id: k.conversation.id,
                as_operator_id: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(resolved.status, Status::Resolved);
    let counts = b
        .inbox_list(ME, InboxQuery::default())
        .await
        .unwrap()
        .counts;
    assert_eq!(counts.resolved, 1);
    let reopened = b
        .conversation_reopen(
            &agent_actor,
            ConversationAction {
                id: k.conversation.id,
                as_operator_id: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(
        reopened.status,
        Status::NeedsAgent.max_with_assignee(reopened.assignee_id)
    );

    // Pagination walks every open conversation once.
    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let p = b
            .inbox_list(
                ME,
                InboxQuery {
                    view: Some(InboxView::All),
                    limit: Some(2),
                    cursor: cursor.clone(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        seen.extend(p.items.iter().map(|i| i.conversation.id));
        match p.next_cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    let mut dedup = seen.clone();
    dedup.sort();
    dedup.dedup();
    assert_eq!(seen.len(), dedup.len());
    assert_eq!(seen.len(), 4);
}

trait WithAssignee {
    fn max_with_assignee(self, assignee: Option<Id>) -> Status;
}
impl WithAssignee for Status {
    fn max_with_assignee(self, assignee: Option<Id>) -> Status {
        if assignee.is_some() {
            Status::Assigned
        } else {
            self
        }
    }
}

#[tokio::test]
async fn working_hours_information_gathering_and_failed_answers() {
    let db = common::sqlite();
    let b = Baton::open(&db.url).await.unwrap();
    configure(&b, json!({
        "settings": {"is_active": true, "working_hours_active": true, "timezone": "Europe/London", "max_failed_answers": 2},
        "availability": [{"day_span": "monday-friday", "start_time": "09:00", "end_time": "17:00"}],
        // Lack of knowledge would ask at the first unknown question; here we count them instead.
        "generic_guidelines": [{"name": "lack_of_knowledge", "is_active": false}],
        "information_to_gather": [
            {"kind": "email", "prompt": "What's your email?"},
            {"kind": "order_number", "prompt": "Your order number?"}
        ]
    }))
    .await;

    // Saturday evening in London: out of hours, told when people are back in the visitor's zone.
    let p = start(&b, Channel::Playground, Some("America/New_York")).await;
    let r = b
        .visitor_message(
            p.conversation.id,
            &p.visitor_token,
            VisitorMessageInput {
                text: "I want to speak to a human".into(),
                simulated_at: Some("2026-11-21T19:00:00Z".parse().unwrap()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(r.status, Status::Ai);
    match &r.events[..] {
        [VisitorEvent::OutOfHours {
            next_opening,
            next_opening_local,
            text,
        }] => {
            assert_eq!(*next_opening, Some("2026-11-23T09:00:00Z".parse().unwrap()));
            assert_eq!(
                next_opening_local.as_deref(),
                Some("2026-11-23T04:00:00-05:00")
            );
            assert!(text.contains("Monday"), "{text}");
        }
        other => panic!("{other:?}"),
    }
    assert!(
        b.conversation_open(ME, p.conversation.id)
            .await
            .unwrap()
            .conversation
            .follow_up
    );

    // A simulated time is for the playground only.
    let w = start(&b, Channel::Widget, None).await;
    let err = b
        .visitor_message(
            w.conversation.id,
            &w.visitor_token,
            VisitorMessageInput {
                text: "hi".into(),
                simulated_at: Some(chrono::Utc::now()),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("simulated_at"));

    // Monday 10:00: open. The order number is taken from the conversation; the email is asked,
    // validated, then the handoff completes.
    let monday = "2026-11-23T10:00:00Z".parse().unwrap();
    let send = |text: &str| VisitorMessageInput {
        text: text.into(),
        simulated_at: Some(monday),
        ..Default::default()
    };
    let g = start(&b, Channel::Playground, None).await;
    b.visitor_message(
        g.conversation.id,
        &g.visitor_token,
        send("my order A-77812 never arrived"),
    )
    .await
    .unwrap();
    let r = b
        .visitor_message(
            g.conversation.id,
            &g.visitor_token,
            send("please let me talk to an agent"),
        )
        .await
        .unwrap();
    assert_eq!(kinds(&r), ["information_request"]);
    assert_eq!(r.status, Status::GatheringInfo);
    let r = b
        .visitor_message(
            g.conversation.id,
            &g.visitor_token,
            send("it's not something I share"),
        )
        .await
        .unwrap();
    assert_eq!(
        kinds(&r),
        ["information_request"],
        "an invalid email is asked again"
    );
    let r = b
        .visitor_message(
            g.conversation.id,
            &g.visitor_token,
            send("anna@example.com"),
        )
        .await
        .unwrap();
    assert_eq!(kinds(&r), ["confirmation"]);
    let c = b
        .conversation_open(ME, g.conversation.id)
        .await
        .unwrap()
        .conversation;
    assert_eq!(
        c.gathered.get("email").map(String::as_str),
        Some("anna@example.com")
    );
    assert_eq!(
        c.gathered.get("order number").map(String::as_str),
        Some("A-77812")
    );

    // Two unanswered questions in a row hand over automatically.
    let q = start(&b, Channel::Playground, None).await;
    let r = b
        .visitor_message(
            q.conversation.id,
            &q.visitor_token,
            send("what is the airspeed of a swallow"),
        )
        .await
        .unwrap();
    assert_eq!(r.status, Status::Ai);
    let r = b
        .visitor_message(
            q.conversation.id,
            &q.visitor_token,
            send("and the capital of Assyria"),
        )
        .await
        .unwrap();
    assert_ne!(r.status, Status::Ai, "{:?}", r.events);
    assert!(steps(&b, q.conversation.id)
        .await
        .contains(&("failed_answers".into(), "triggered".into())));
}

#[tokio::test]
async fn a_failing_model_falls_back_to_the_builtin_engine() {
    let db = common::sqlite();
    let b = Baton::open(&db.url).await.unwrap();
    configure(&b, json!({"settings": {"is_active": true}})).await;
    // A port with nothing listening: the model is unreachable.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    b.agent_engine_set(
        ME,
        EngineSettingsInput {
            agent_id: None,
            kind: EngineKind::Openai,
            base_url: Some(format!("http://127.0.0.1:{port}/v1")),
            model: Some("llama3".into()),
            api_key: Some("sk-secret-key".into()),
            timeout_ms: Some(2000),
        },
    )
    .await
    .unwrap();
    let settings = b.agent_engine_get(ME, None).await.unwrap();
    assert!(settings.has_api_key);
    assert!(!serde_json::to_string(&settings)
        .unwrap()
        .contains("sk-secret"));
    let s = start(&b, Channel::Widget, None).await;
    let r = say(&b, &s, "I need to speak with a human agent").await;
    assert_eq!(kinds(&r), ["confirmation"]);
    let d = b
        .conversation_open(ME, s.conversation.id)
        .await
        .unwrap()
        .decisions;
    // The first call finds the model unreachable; the message's later steps do not try again.
    let a = d.iter().find(|d| d.step == "answer").unwrap();
    assert_eq!(a.engine, "builtin (fallback: unreachable)");
    let g = d.iter().find(|d| d.step == "guidelines").unwrap();
    assert_eq!(g.engine, "builtin (fallback: an earlier call failed)");
    assert_eq!(g.outcome, "human_request");
}

#[tokio::test]
async fn visitor_input_is_validated_and_tokens_are_per_conversation() {
    let db = common::sqlite();
    let b = Baton::open(&db.url).await.unwrap();
    let s = start(&b, Channel::Widget, None).await;
    let other = start(&b, Channel::Widget, None).await;
    let err = b
        .visitor_message(
            s.conversation.id,
            &other.visitor_token,
            VisitorMessageInput {
                text: "hi".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }));
    let err = b
        .visitor_message(
            s.conversation.id,
            &s.visitor_token,
            VisitorMessageInput::default(),
        )
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("text"));
    let err = b
        .visitor_message(
            s.conversation.id,
            &s.visitor_token,
            VisitorMessageInput {
                text: "x".repeat(MESSAGE_MAX_CHARS + 1),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("text"));
    let err = b
        .conversation_start(ConversationStart {
            timezone: Some("Moon/Base".into()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("timezone"));
    // Nothing was stored by the rejected messages.
    assert!(b
        .visitor_messages(s.conversation.id, &s.visitor_token)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn two_operators_taking_at_once_one_wins_and_manual_handoff() {
    let db = common::sqlite();
    let b = Baton::open(&db.url).await.unwrap();
    let a1 = operator(&b, "Ada", Role::Agent).await;
    let a2 = operator(&b, "Bob", Role::Agent).await;
    for _ in 0..5 {
        let s = start(&b, Channel::Api, None).await;
        say(&b, &s, "hello").await;
        // Manual handoff of an AI conversation puts it in the queue.
        let c = b
            .conversation_handoff(
                ME,
                ConversationManualHandoff {
                    id: s.conversation.id,
                    reason: Some("VIP".into()),
                    take: false,
                    as_operator_id: None,
                },
            )
            .await
            .unwrap();
        assert_eq!(c.status, Status::NeedsAgent);
        assert_eq!(c.handoff_reason.as_deref(), Some("VIP"));
        let (x, y) = tokio::join!(
            b.conversation_take(
                ME,
                ConversationTake {
                    id: s.conversation.id,
                    as_operator_id: Some(a1),
                    from_operator_id: None,
                }
            ),
            b.conversation_take(
                ME,
                ConversationTake {
                    id: s.conversation.id,
                    as_operator_id: Some(a2),
                    from_operator_id: None,
                }
            ),
        );
        assert!(x.is_ok() != y.is_ok(), "exactly one wins: {x:?} / {y:?}");
        let loser = if x.is_ok() { y } else { x };
        assert!(matches!(loser, Err(Error::Conflict { .. })));
        let again = b
            .conversation_handoff(
                ME,
                ConversationManualHandoff {
                    id: s.conversation.id,
                    reason: None,
                    take: false,
                    as_operator_id: None,
                },
            )
            .await;
        assert!(
            matches!(again, Err(Error::Conflict { .. })),
            "no duplicate handoff"
        );
    }
}

#[tokio::test]
async fn the_local_app_acts_as_its_owner() {
    let db = common::sqlite();
    let b = Baton::open(&db.url).await.unwrap();
    let s = start(&b, Channel::Playground, None).await;
    say(&b, &s, "hi").await;
    let err = b
        .conversation_take(
            ME,
            ConversationTake {
                id: s.conversation.id,
                as_operator_id: None,
                from_operator_id: None,
            },
        )
        .await
        .unwrap_err();
    assert_eq!(
        err.field(),
        Some("as_operator_id"),
        "no owner yet: say who acts"
    );
    let owner = b.operator_ensure_owner().await.unwrap();
    assert_eq!(
        b.operator_ensure_owner().await.unwrap().id,
        owner.id,
        "created once"
    );
    let c = b
        .conversation_take(
            ME,
            ConversationTake {
                id: s.conversation.id,
                as_operator_id: None,
                from_operator_id: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(c.assignee_id, Some(owner.id));
}
