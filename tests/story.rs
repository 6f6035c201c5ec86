//! The storage story, on SQLite always and on PostgreSQL when configured: create an agent,
//! configure handoff, working hours, routing and operators, read back, update, delete.

use crate::common;

use baton::agents::{AgentCreate, AgentUpdate};
use baton::auth::Actor;
use baton::handoff::{HandoffConfigurationUpdate, InformationKind};
use baton::operators::{OperatorCreate, Role};
use baton::tokens::TokenCreate;
use baton::{Baton, Error};
use serde_json::json;

fn update(v: serde_json::Value) -> HandoffConfigurationUpdate {
    serde_json::from_value(v).expect("valid update JSON")
}

#[tokio::test]
async fn storage_story_on_every_backend() {
    for db in common::all_dbs().await {
        eprintln!("story on {}", db.label);
        story(&db.url).await;
        // Reopening the same database runs migrations again (a no-op) and keeps the data.
        let again = Baton::open(&db.url).await.expect("reopen");
        assert_eq!(
            again.agent_list(&Actor::Local).await.unwrap().len(),
            1,
            "{}",
            db.label
        );
    }
}

async fn story(url: &str) {
    let me = &Actor::Local;
    let b = Baton::open(url).await.expect("open");

    // A fresh database has exactly one default agent with the default configuration.
    let agents = b.agent_list(me).await.unwrap();
    assert_eq!(agents.len(), 1);
    assert!(agents[0].is_default);
    let default_id = agents[0].id;

    let agent = b
        .agent_create(
            me,
            AgentCreate {
                name: "  Support bot ".into(),
                description: "Answers order questions".into(),
                language: Some("pt-BR".into()),
            },
        )
        .await
        .unwrap();
    assert_eq!(agent.name, "Support bot");
    assert!(!agent.is_default);

    let alice = b
        .operator_create(
            me,
            OperatorCreate {
                name: "Alice".into(),
                email: "Alice@Example.com".into(),
                role: Role::Admin,
                password: Some("correct horse".into()),
            },
        )
        .await
        .unwrap();
    assert_eq!(alice.email, "alice@example.com");
    assert!(alice.has_password);
    let bob = b
        .operator_create(
            me,
            OperatorCreate {
                name: "Bob".into(),
                email: "bob@example.com".into(),
                role: Role::Agent,
                password: None,
            },
        )
        .await
        .unwrap();
    // Emails are unique regardless of case.
    let dup = b
        .operator_create(
            me,
            OperatorCreate {
                name: "Alice 2".into(),
                email: "ALICE@example.com".into(),
                role: Role::Viewer,
                password: None,
            },
        )
        .await
        .unwrap_err();
    assert!(matches!(dup, Error::Conflict { .. }), "{dup:?}");
    let (found, hash) = b
        .store()
        .operator_credentials("alice@example.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.id, alice.id);
    assert!(baton::operators::verify_password("correct horse", &hash));
    assert!(!baton::operators::verify_password("wrong horse", &hash));

    // Configure everything in one PUT.
    let cfg = b
        .handoff_config_update(
            me,
            Some(agent.id),
            update(json!({
                "settings": {
                    "is_active": true,
                    "keywords": ["speak to human", "chargeback"],
                    "working_hours_active": true,
                    "timezone": "Europe/Warsaw",
                    "send_email_notification": true,
                    "emails": ["team@example.com"],
                    "auto_priority": true,
                    "max_failed_answers": 3
                },
                "availability": [
                    {"day_span": "monday-friday", "start_time": "09:00", "end_time": "12:00"},
                    {"day_span": "monday-friday", "start_time": "13:00", "end_time": "17:00"},
                    {"day_span": "saturday", "start_time": "22:00", "end_time": "02:00"}
                ],
                "availability_exceptions": [
                    {"date": "2026-12-25", "name": "Christmas", "closed": true},
                    {"date": "2026-12-24", "name": "Eve", "closed": false, "start_time": "09:00", "end_time": "12:00"}
                ],
                "generic_guidelines": [{"name": "irrelevant_advice", "is_active": true}],
                "custom_guidelines": [
                    {"name": "Refunds", "description": "Refund over $100", "is_active": true, "examples": ["I want my money back"]}
                ],
                "routing_profiles": [
                    {"name": "Billing", "description": "Invoices and payments", "is_active": true, "user_ids": [bob.id, alice.id],
                     "examples": ["  I was charged twice  ", "zapłaciłem dwa razy"]},
                    {"name": "Tech", "description": "Bugs", "is_active": false, "user_ids": [bob.id]}
                ],
                "information_to_gather": [
                    {"kind": "email", "prompt": "What is your email?"},
                    {"kind": "custom", "label": "Order number", "prompt": "Your order number?", "required": false}
                ]
            })),
        )
        .await
        .unwrap();
    assert!(cfg.settings.is_active);
    assert!(cfg.settings.topic_based_routing_active);
    assert_eq!(cfg.settings.max_failed_answers, 3);
    assert_eq!(cfg.availability.len(), 3);
    assert!(cfg.availability.iter().all(|s| s.id > 0));
    assert_eq!(
        cfg.routing_profiles[0].user_ids,
        vec![bob.id, alice.id],
        "operator order kept"
    );
    // Example phrases are stored trimmed; left out, a profile has none.
    assert_eq!(
        cfg.routing_profiles[0].examples,
        ["I was charged twice", "zapłaciłem dwa razy"]
    );
    assert!(cfg.routing_profiles[1].examples.is_empty());
    assert_eq!(cfg.information_to_gather[0].kind, InformationKind::Email);
    assert_eq!(cfg.information_to_gather[0].label, "email");
    assert!(!cfg.information_to_gather[1].required);
    let irrelevant = cfg
        .generic_guidelines
        .iter()
        .find(|g| g.name.as_str() == "irrelevant_advice")
        .unwrap();
    assert!(irrelevant.is_active);

    // Read back: the same document, and other agents untouched.
    let read = b.handoff_config_get(me, Some(agent.id)).await.unwrap();
    assert_eq!(read, cfg);
    let other = b.handoff_config_get(me, Some(default_id)).await.unwrap();
    assert!(!other.settings.is_active);
    assert_eq!(other.routing_profiles.len(), 0);

    // Working hours from the stored configuration: Friday 2026-11-20 12:30 Warsaw is the lunch break.
    let at = "2026-11-20T11:30:00Z".parse().unwrap();
    let hours = b
        .hours_check(me, Some(agent.id), Some(at), Some("America/New_York"))
        .await
        .unwrap();
    assert!(!hours.open);
    assert_eq!(
        hours.next_opening,
        Some("2026-11-20T12:00:00Z".parse().unwrap())
    );
    assert_eq!(
        hours.next_opening_visitor.as_deref(),
        Some("2026-11-20T07:00:00-05:00")
    );

    // Update: change slot 0 by id, drop slot 1, add a new one, reorder; ids stay stable.
    let s0 = cfg.availability[0].id;
    let s2 = cfg.availability[2].id;
    let next = b
        .handoff_config_update(
            me,
            Some(agent.id),
            update(json!({
                "availability": [
                    {"id": s2, "day_span": "saturday", "start_time": "22:00", "end_time": "03:00"},
                    {"id": s0, "day_span": "monday-thursday", "start_time": "08:00", "end_time": "16:00"},
                    {"day_span": "friday", "start_time": "08:00", "end_time": "14:00"}
                ]
            })),
        )
        .await
        .unwrap();
    let ids: Vec<_> = next.availability.iter().map(|s| s.id).collect();
    assert_eq!(ids[0], s2);
    assert_eq!(ids[1], s0);
    assert!(
        ids[2] > s2 && ids[2] != cfg.availability[1].id,
        "new slot gets a new id"
    );
    assert_eq!(next.availability[0].end_time, "03:00");
    // Sections not sent are unchanged.
    assert_eq!(next.routing_profiles, cfg.routing_profiles);
    assert_eq!(next.settings, cfg.settings);

    // An invalid update changes nothing, even its valid parts.
    let before = b.handoff_config_get(me, Some(agent.id)).await.unwrap();
    let err = b
        .handoff_config_update(
            me,
            Some(agent.id),
            update(json!({
                "settings": {"is_active": false, "timezone": "Mars/Olympus"},
                "availability": [],
                "routing_profiles": [{"name": "X", "description": "", "is_active": true, "user_ids": [999_999], "examples": ["ok", "   "]}]
            })),
        )
        .await
        .unwrap_err();
    let fields: Vec<_> = err
        .field_errors()
        .iter()
        .map(|e| e.field.as_str())
        .collect();
    assert_eq!(
        fields,
        [
            "settings.timezone",
            "routing_profiles[0].examples[1]",
            "routing_profiles[0].user_ids[0]"
        ]
    );
    assert_eq!(
        b.handoff_config_get(me, Some(agent.id)).await.unwrap(),
        before
    );

    // An id from another agent's configuration is not accepted.
    let foreign = other.availability[0].id;
    let err = b
        .handoff_config_update(
            me,
            Some(agent.id),
            update(json!({"availability": [{"id": foreign, "day_span": "monday", "start_time": "09:00", "end_time": "10:00"}]})),
        )
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("availability[0].id"));

    // Removing an operator removes them from routing profiles.
    b.operator_delete(me, bob.id).await.unwrap();
    let after = b.handoff_config_get(me, Some(agent.id)).await.unwrap();
    assert_eq!(after.routing_profiles[0].user_ids, vec![alice.id]);
    assert!(after.routing_profiles[1].user_ids.is_empty());

    // Tokens: bound to the agent, hashed, revocable.
    let t = b
        .token_create(
            me,
            TokenCreate {
                name: "widget".into(),
                agent_id: Some(agent.id),
            },
        )
        .await
        .unwrap();
    let actor = b.authenticate_token(&t.token).await.unwrap();
    assert_eq!(actor.bound_agent(), Some(agent.id));
    b.token_revoke(me, t.info.id).await.unwrap();
    assert!(matches!(
        b.authenticate_token(&t.token).await,
        Err(Error::Unauthorized(_))
    ));

    // Agents: update, make default, delete; the default cannot be deleted.
    let renamed = b
        .agent_update(
            me,
            agent.id,
            AgentUpdate {
                name: Some("Orders".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(renamed.name, "Orders");
    assert!(matches!(
        b.agent_delete(me, default_id).await,
        Err(Error::Conflict { .. })
    ));
    b.agent_update(
        me,
        agent.id,
        AgentUpdate {
            is_default: Some(true),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    b.agent_update(
        me,
        default_id,
        AgentUpdate {
            is_default: Some(true),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let defaults: Vec<_> = b
        .agent_list(me)
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.is_default)
        .collect();
    assert_eq!(defaults.len(), 1);
    assert_eq!(defaults[0].id, default_id);
    b.agent_delete(me, agent.id).await.unwrap();
    assert!(
        b.store().handoff_config(agent.id).await.unwrap().is_none(),
        "configuration deleted with the agent"
    );
    assert!(matches!(
        b.agent_get(me, agent.id).await,
        Err(Error::NotFound { .. })
    ));
    b.store().close().await;
}
