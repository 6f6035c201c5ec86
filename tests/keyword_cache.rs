//! The decision pipeline compiles an agent's configuration (keyword automaton, guideline
//! examples, routing profiles) once and reuses it: every change must still be seen by the very
//! next message, including a change made through another handle on the same database (the CLI
//! or the desktop app next to a running server), on every backend. And on SQLite, messages
//! arriving together are committed together: each must still be stored as its own.

use crate::common;

use baton::agents::AgentUpdate;
use baton::auth::Actor;
use baton::conversations::inbox::InboxQuery;
use baton::conversations::pipeline::*;
use baton::conversations::{Channel, Status};
use baton::tokens::hash_token;
use baton::Baton;
use serde_json::json;

const ME: &Actor = &Actor::Local;

async fn configure(b: &Baton, v: serde_json::Value) {
    b.handoff_config_update(ME, None, serde_json::from_value(v).unwrap())
        .await
        .unwrap();
}

/// A new conversation's status after one message.
async fn status_after(b: &Baton, text: &str) -> Status {
    let s = b
        .conversation_start(ConversationStart {
            channel: Some(Channel::Widget),
            ..Default::default()
        })
        .await
        .unwrap();
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
    .status
}

#[tokio::test]
async fn configuration_changes_reach_the_next_message() {
    for db in common::all_dbs().await {
        eprintln!("keyword cache on {}", db.label);
        let server = Baton::open(&db.url).await.unwrap();
        // Another process on the same database, e.g. the CLI.
        let other = Baton::open(&db.url).await.unwrap();

        configure(
            &server,
            json!({
                "settings": {"is_active": true, "keywords": ["chargeback"]},
                "generic_guidelines": [
                    {"name": "lack_of_knowledge", "is_active": false},
                    {"name": "user_frustration", "is_active": false},
                    {"name": "human_request", "is_active": false},
                    {"name": "customer_support_suggestion", "is_active": false}
                ]
            }),
        )
        .await;
        assert_eq!(
            status_after(&server, "I will file a chargeback").await,
            Status::NeedsAgent
        );
        assert_eq!(
            status_after(&server, "where is my parcel?").await,
            Status::Ai
        );

        // New keywords, saved through the server itself.
        configure(&server, json!({"settings": {"keywords": ["parcel"]}})).await;
        assert_eq!(
            status_after(&server, "where is my parcel?").await,
            Status::NeedsAgent
        );
        assert_eq!(
            status_after(&server, "I will file a chargeback").await,
            Status::Ai
        );

        // Changed by the other handle: the server's cached copy must not be used.
        configure(&other, json!({"settings": {"keywords": ["gdpr"]}})).await;
        assert_eq!(
            status_after(&server, "where is my parcel?").await,
            Status::Ai
        );
        assert_eq!(
            status_after(&server, "this is a GDPR request").await,
            Status::NeedsAgent
        );

        // Custom guideline examples (asked first, so the conversation awaits confirmation).
        configure(
            &other,
            json!({"custom_guidelines": [
                {"name": "Cancel", "description": "cancellations", "is_active": true,
                 "examples": ["I want to cancel my subscription"]}
            ]}),
        )
        .await;
        assert_eq!(
            status_after(&server, "I want to cancel my subscription").await,
            Status::AwaitingConfirmation
        );
        configure(
            &other,
            json!({"custom_guidelines": [
                {"name": "Upgrade", "description": "upgrades", "is_active": true,
                 "examples": ["I want to upgrade my plan"]}
            ]}),
        )
        .await;
        assert_eq!(
            status_after(&server, "I want to cancel my subscription").await,
            Status::Ai
        );
        assert_eq!(
            status_after(&server, "I want to upgrade my plan").await,
            Status::AwaitingConfirmation
        );

        // Handoff switched off elsewhere: the keyword is only logged.
        configure(&other, json!({"settings": {"is_active": false}})).await;
        assert_eq!(
            status_after(&server, "this is a GDPR request").await,
            Status::Ai
        );

        // Routing profiles: a handoff is routed by the current ones.
        configure(
            &other,
            json!({
                "settings": {"is_active": true},
                "routing_profiles": [
                    {"name": "Billing", "description": "invoices payments", "is_active": true, "user_ids": []}
                ]
            }),
        )
        .await;
        let billing = other
            .handoff_config_get(ME, None)
            .await
            .unwrap()
            .routing_profiles[0]
            .id;
        assert_eq!(
            status_after(&server, "gdpr question about my invoices").await,
            Status::NeedsAgent
        );
        configure(
            &other,
            json!({"routing_profiles": [
                {"name": "Privacy", "description": "gdpr personal data", "is_active": true, "user_ids": []}
            ]}),
        )
        .await;
        let privacy = other
            .handoff_config_get(ME, None)
            .await
            .unwrap()
            .routing_profiles[0]
            .id;
        assert_ne!(billing, privacy);
        assert_eq!(
            status_after(&server, "gdpr question about my invoices").await,
            Status::NeedsAgent
        );
        let page = server
            .inbox_list(
                ME,
                InboxQuery {
                    view: Some(baton::conversations::inbox::InboxView::NeedsAgent),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let routed: Vec<Option<i64>> = page
            .items
            .iter()
            .take(2)
            .map(|i| i.conversation.routing_profile_id)
            .collect();
        // Newest first: the last handoff went to the new profile, the one before to the old
        // (deleted since, so unset by the database).
        assert_eq!(routed, [Some(privacy), None]);
    }
}

#[tokio::test]
async fn every_change_the_pipeline_caches_moves_the_configuration_version() {
    for db in common::all_dbs().await {
        eprintln!("configuration version on {}", db.label);
        let b = Baton::open(&db.url).await.unwrap();
        let s = b
            .conversation_start(ConversationStart::default())
            .await
            .unwrap();
        let token = hash_token(&s.visitor_token);
        let version = || async {
            b.store()
                .conversation_snapshot(s.conversation.id, &token, None)
                .await
                .unwrap()
                .expect("the conversation")
                .config_version
                .expect("a configuration")
        };
        let v0 = version().await;
        configure(&b, json!({"settings": {"keywords": ["x"]}})).await;
        let v1 = version().await;
        assert_ne!(v0, v1, "a configuration save");
        // The agent's description is the model's instructions.
        let agent = s.conversation.agent_id;
        b.agent_update(
            ME,
            agent,
            serde_json::from_value::<AgentUpdate>(json!({"description": "Sells shoes"})).unwrap(),
        )
        .await
        .unwrap();
        let v2 = version().await;
        assert_ne!(v1, v2, "a new description");
        b.agent_update(
            ME,
            agent,
            serde_json::from_value::<AgentUpdate>(json!({"name": "Shoe shop"})).unwrap(),
        )
        .await
        .unwrap();
        assert_eq!(v2, version().await, "a new name changes nothing cached");
    }
}

#[tokio::test]
async fn messages_arriving_together_are_each_stored_with_their_own_decisions() {
    for db in common::all_dbs().await {
        eprintln!("concurrent messages on {}", db.label);
        let b = Baton::open(&db.url).await.unwrap();
        let mut sessions = Vec::new();
        for _ in 0..24 {
            sessions.push(
                b.conversation_start(ConversationStart::default())
                    .await
                    .unwrap(),
            );
        }
        let texts = [
            "what are your opening hours?",
            "do you ship abroad?",
            "thanks",
        ];
        // Every conversation at once, each one message after the other.
        let runs = sessions.iter().map(|s| {
            let b = b.clone();
            async move {
                let mut ids = Vec::new();
                for text in texts {
                    let r = b
                        .visitor_message(
                            s.conversation.id,
                            &s.visitor_token,
                            VisitorMessageInput {
                                text: format!("{text} ({})", s.conversation.id),
                                ..Default::default()
                            },
                        )
                        .await
                        .unwrap();
                    assert_eq!(r.message.conversation_id, s.conversation.id);
                    ids.push(r.message.id);
                }
                ids
            }
        });
        let all = futures_util::future::join_all(runs).await;
        for (s, ids) in sessions.iter().zip(all) {
            let detail = b.conversation_open(ME, s.conversation.id).await.unwrap();
            let visitor: Vec<(i64, String)> = detail
                .messages
                .iter()
                .filter(|m| m.author == baton::engine::Author::Visitor)
                .map(|m| (m.id, m.text.clone()))
                .collect();
            let expected: Vec<(i64, String)> = ids
                .iter()
                .zip(texts)
                .map(|(id, t)| (*id, format!("{t} ({})", s.conversation.id)))
                .collect();
            assert_eq!(visitor, expected);
            // An answer after each message, and the decisions about each message.
            assert_eq!(detail.messages.len(), 6);
            for id in &ids {
                assert!(detail.decisions.iter().any(|d| d.message_id == Some(*id)));
            }
            assert!(detail
                .decisions
                .iter()
                .all(|d| d.message_id.is_some_and(|m| ids.contains(&m))));
            assert_eq!(
                detail.conversation.last_message_at,
                detail.messages.last().unwrap().created_at
            );
        }
    }
}

#[tokio::test]
async fn the_snapshot_reads_the_same_knowledge_hits_as_the_search() {
    for db in common::all_dbs().await {
        eprintln!("knowledge in the snapshot on {}", db.label);
        let b = Baton::open(&db.url).await.unwrap();
        for (title, body) in [
            (
                "Shipping costs",
                "Shipping is free for orders over 50 EUR; otherwise 4.90 EUR.",
            ),
            (
                "Delivery times",
                "Orders ship within two days; delivery takes 3 to 5 days.",
            ),
            (
                "Refunds",
                "Refunds reach your account within 5 days of the return.",
            ),
            ("Café hours", "Our café opens at 8:00 and closes at 18:00."),
        ] {
            b.knowledge_create(
                &Actor::Local,
                baton::knowledge::KnowledgeInput {
                    agent_id: None,
                    title: title.into(),
                    body: body.into(),
                },
            )
            .await
            .unwrap();
        }
        let s = b
            .conversation_start(ConversationStart::default())
            .await
            .unwrap();
        let token = hash_token(&s.visitor_token);
        let agent = s.conversation.agent_id;
        for text in [
            "how much does shipping cost and how long is delivery?",
            "when does the cafe open?",
            "refund",
            "zzz qqq",
            "?!",
        ] {
            let snapshot = b
                .store()
                .conversation_snapshot(s.conversation.id, &token, Some(text))
                .await
                .unwrap()
                .unwrap();
            let searched = b.store().knowledge_search(agent, text, 3).await.unwrap();
            let titles = |hits: &[baton::engine::KnowledgeHit]| -> Vec<String> {
                hits.iter().map(|h| h.title.clone()).collect()
            };
            match snapshot.knowledge {
                Some(hits) => assert_eq!(titles(&hits), titles(&searched), "{text}"),
                // No word to search for: the search finds nothing either.
                None => assert!(searched.is_empty(), "{text}"),
            }
            if text.starts_with("how much") {
                assert_eq!(
                    titles(&searched)[..2]
                        .iter()
                        .filter(|t| t.contains("Shipping") || t.contains("Delivery"))
                        .count(),
                    2,
                    "{text}"
                );
            }
        }
    }
}

/// The view counts are kept by triggers (SQLite: per row; PostgreSQL: per statement for inserts
/// and deletes): after statements that insert, move and delete many conversations at once they
/// still match a plain count.
#[tokio::test]
async fn view_counts_follow_bulk_inserts_moves_and_deletes() {
    use sqlx::{Connection, Executor};
    for db in common::all_dbs().await {
        eprintln!("view counts on {}", db.label);
        let b = Baton::open(&db.url).await.unwrap();
        let statuses = [
            "ai",
            "needs_agent",
            "assigned",
            "resolved",
            "gathering_info",
        ];
        let rows: Vec<String> = (0..120)
            .map(|i| {
                format!(
                    "(1, 'api', 'v{i}', 'h{i}', '{{}}', '{}', '{{}}', 0, FALSE, \
                     '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00')",
                    statuses[i % statuses.len()]
                )
            })
            .collect();
        let insert = format!(
            "INSERT INTO conversations (agent_id, channel, visitor_id, visitor_token_hash, metadata, status, \
             gathered, failed_answers, follow_up, created_at, updated_at, last_message_at) VALUES {}",
            rows.join(", ")
        );
        let statements = [
            insert.as_str(),
            "UPDATE conversations SET status = 'resolved' WHERE status = 'ai' AND visitor_id LIKE 'v1%'",
            "DELETE FROM conversations WHERE status = 'needs_agent' AND visitor_id LIKE 'v2%'",
            "UPDATE conversations SET status = 'needs_agent' WHERE status = 'gathering_info'",
        ];
        let counts = || async {
            let c = b
                .inbox_list(&Actor::Local, InboxQuery::default())
                .await
                .unwrap()
                .counts;
            (c.needs_agent, c.all_open, c.resolved)
        };
        for sql in statements {
            if db.label == "sqlite" {
                let mut c = sqlx::SqliteConnection::connect(&db.url).await.unwrap();
                c.execute(sql).await.unwrap();
            } else {
                let mut c = sqlx::PgConnection::connect(&db.url).await.unwrap();
                c.execute(sql).await.unwrap();
            }
            let expected = {
                let q = "SELECT \
                    (SELECT COUNT(*) FROM conversations WHERE status = 'needs_agent'), \
                    (SELECT COUNT(*) FROM conversations WHERE status <> 'resolved'), \
                    (SELECT COUNT(*) FROM conversations WHERE status = 'resolved')";
                if db.label == "sqlite" {
                    let mut c = sqlx::SqliteConnection::connect(&db.url).await.unwrap();
                    sqlx::query_as::<_, (i64, i64, i64)>(q)
                        .fetch_one(&mut c)
                        .await
                        .unwrap()
                } else {
                    let mut c = sqlx::PgConnection::connect(&db.url).await.unwrap();
                    sqlx::query_as::<_, (i64, i64, i64)>(q)
                        .fetch_one(&mut c)
                        .await
                        .unwrap()
                }
            };
            assert_eq!(
                counts().await,
                expected,
                "after: {}",
                &sql[..40.min(sql.len())]
            );
        }
    }
}
