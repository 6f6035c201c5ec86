//! Which guideline a message is handed off for when several match (the most specific wins, and
//! the record names every match), and the instruction an operator hands a conversation back
//! with (the AI answers from it, and only what it covers) — through the pipeline, on every
//! backend.

use crate::common;

use common::configure;

use baton::auth::Actor;
use baton::conversations::inbox::ConversationHandBack;
use baton::conversations::model::DecisionRecord;
use baton::conversations::pipeline::*;
use baton::conversations::{Channel, Status, VisitorEvent};
use baton::knowledge::KnowledgeInput;
use baton::Baton;
use serde_json::json;

const ME: &Actor = &Actor::Local;

async fn start(b: &Baton) -> VisitorSession {
    b.conversation_start(ConversationStart {
        channel: Some(Channel::Widget),
        ..Default::default()
    })
    .await
    .unwrap()
}

/// The visitor writes; the reply and the decision records of this message.
async fn say(b: &Baton, s: &VisitorSession, text: &str) -> (VisitorReply, Vec<DecisionRecord>) {
    let before = records(b, s).await.len();
    let r = b
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
    let mut all = records(b, s).await;
    (r, all.split_off(before))
}

async fn records(b: &Baton, s: &VisitorSession) -> Vec<DecisionRecord> {
    b.conversation_open(ME, s.conversation.id)
        .await
        .unwrap()
        .decisions
}

fn record<'a>(records: &'a [DecisionRecord], step: &str) -> &'a DecisionRecord {
    records
        .iter()
        .find(|d| d.step == step)
        .unwrap_or_else(|| panic!("no {step} record in {records:#?}"))
}

fn asks_the_question(r: &VisitorReply) -> bool {
    r.events
        .iter()
        .any(|e| matches!(e, VisitorEvent::HandoffQuestion { .. }))
}

/// The text of the agent's plain replies.
fn replies(r: &VisitorReply) -> String {
    r.events
        .iter()
        .filter_map(|e| match e {
            VisitorEvent::Reply { text } => Some(text.as_str()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn the_most_specific_guideline_wins_and_the_record_names_every_match() {
    for db in common::all_dbs().await {
        eprintln!("guideline precedence on {}", db.label);
        let b = Baton::open(&db.url).await.unwrap();
        // Lack of knowledge is active (by default) and the knowledge base is empty, so every
        // question below also lacks an answer.
        configure(
            &b,
            json!({
                "settings": {"is_active": true},
                "custom_guidelines": [
                    {"name": "Refund requests", "description": "The visitor wants a refund",
                     "is_active": true, "examples": ["give me my money back"]}
                ]
            }),
        )
        .await;

        // The example phrase, exactly: the custom guideline, named, with lack of knowledge
        // listed as a match too.
        let s = start(&b).await;
        let (r, d) = say(&b, &s, "give me my money back").await;
        assert_eq!(record(&d, "answer").outcome, "not_found");
        let g = record(&d, "guidelines");
        assert_eq!(g.outcome, "Refund requests", "{g:#?}");
        assert!(g.reason.contains("Refund requests"), "{}", g.reason);
        assert!(g.reason.contains("lack of knowledge"), "{}", g.reason);
        assert!(!g.reason.contains("custom:"), "{}", g.reason);
        // A guideline trigger asks first, for the custom guideline's reason.
        assert!(asks_the_question(&r), "{:?}", r.events);
        assert_eq!(r.status, Status::AwaitingConfirmation);
        let q = record(&d, "question");
        assert!(q.reason.contains("Refund requests"), "{}", q.reason);
        // Yes: handed off, and the conversation says why.
        let (r, _) = say(&b, &s, "yes please").await;
        assert_eq!(r.status, Status::NeedsAgent);
        let c = b.conversation_open(ME, s.conversation.id).await.unwrap();
        let why = c.conversation.handoff_reason.unwrap_or_default();
        assert!(why.contains("Refund requests"), "{why}");

        // In other words that still match the example.
        let s = start(&b).await;
        let (_, d) = say(&b, &s, "Please give me my money back now").await;
        assert_eq!(record(&d, "guidelines").outcome, "Refund requests");

        // An explicit request for a person beats the custom guideline: handed off at once
        // (no question), both listed.
        let s = start(&b).await;
        let (r, d) = say(&b, &s, "give me my money back, I want to talk to a human").await;
        let g = record(&d, "guidelines");
        assert_eq!(g.outcome, "human_request", "{g:#?}");
        assert!(g.reason.contains("Refund requests"), "{}", g.reason);
        assert!(!asks_the_question(&r), "{:?}", r.events);
        assert_eq!(r.status, Status::NeedsAgent);

        // Lack of knowledge alone is still lack of knowledge, and lists nothing else.
        let s = start(&b).await;
        let (_, d) = say(&b, &s, "do you sell garden furniture?").await;
        let g = record(&d, "guidelines");
        assert_eq!(g.outcome, "lack_of_knowledge");
        assert!(!g.reason.contains("Matched"), "{}", g.reason);
    }
}

#[tokio::test]
async fn the_ai_answers_from_the_instruction_it_was_handed_back_with() {
    for db in common::all_dbs().await {
        eprintln!("hand-back instruction on {}", db.label);
        let b = Baton::open(&db.url).await.unwrap();
        configure(&b, json!({"settings": {"is_active": true}})).await;
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
        let instruction = "cash on delivery is available for +10 zł";

        // Without an instruction the agent knows nothing about it and asks to hand off.
        let other = start(&b).await;
        let (r, d) = say(&b, &other, "Can I pay cash on delivery?").await;
        assert_eq!(record(&d, "answer").outcome, "not_found");
        assert!(asks_the_question(&r));

        // Handed off, then handed back by an operator with the instruction.
        let s = start(&b).await;
        let (r, _) = say(&b, &s, "I want to talk to a human").await;
        assert_eq!(r.status, Status::NeedsAgent);
        let back: ConversationHandBack = serde_json::from_value(json!({
            "id": s.conversation.id,
            "instruction": instruction,
        }))
        .unwrap();
        let c = b.conversation_hand_back(ME, back).await.unwrap();
        assert_eq!(c.status, Status::Ai);

        // A question the instruction covers: answered from it, no handoff question.
        let (r, d) = say(&b, &s, "Can I pay cash on delivery?").await;
        assert!(!asks_the_question(&r), "{:?}", r.events);
        assert_eq!(r.status, Status::Ai);
        assert_eq!(replies(&r), "Cash on delivery is available for +10 zł");
        let a = record(&d, "answer");
        assert_eq!(a.outcome, "found");
        assert!(a.reason.contains("instruction"), "{}", a.reason);
        assert_eq!(record(&d, "guidelines").outcome, "none");
        // In other words, too.
        let (r, d) = say(&b, &s, "is it possible to pay cash on delivery").await;
        assert!(replies(&r).contains("+10 zł"), "{:?}", r.events);
        assert!(record(&d, "answer").reason.contains("instruction"));

        // What the knowledge base knows is still answered from it.
        let (r, d) = say(&b, &s, "what are the shop opening hours?").await;
        assert!(replies(&r).contains("Monday to Friday"), "{:?}", r.events);
        assert!(!replies(&r).contains("+10 zł"));
        assert!(!record(&d, "answer").reason.contains("instruction"));

        // An unrelated question is not answered from the instruction: lack of knowledge.
        let (r, d) = say(&b, &s, "Do you ship to Germany?").await;
        assert_eq!(record(&d, "answer").outcome, "not_found");
        assert!(!record(&d, "answer").reason.contains("instruction"));
        assert_eq!(record(&d, "guidelines").outcome, "lack_of_knowledge");
        assert!(asks_the_question(&r), "{:?}", r.events);
        assert!(!replies(&r).contains("+10 zł"));

        // The instruction is this conversation's only.
        let (r, d) = say(&b, &other, "no thanks").await;
        assert_eq!(r.status, Status::Ai);
        assert!(d.iter().all(|x| !x.reason.contains("instruction")));
        let (r, _) = say(&b, &other, "Can I pay cash on delivery?").await;
        assert!(asks_the_question(&r));
        assert!(!replies(&r).contains("+10 zł"));
    }
}
