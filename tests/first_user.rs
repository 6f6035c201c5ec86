//! What a first owner and a first support operator hit (issue 8): taking over a conversation
//! routed to a colleague, the conversation's timeline, the follow-up of requests made outside
//! working hours, what the inbox list shows, decision records in names, and the public address
//! of email links. On SQLite and PostgreSQL.

use crate::common;

use common::{configure, operator};

use baton::auth::Actor;
use baton::conversations::inbox::*;
use baton::conversations::pipeline::*;
use baton::conversations::timeline::TimelineKind;
use baton::conversations::{Channel, Status, VisitorEvent};
use baton::operators::Role;
use baton::public_url::PublicUrlInput;
use baton::{Baton, Error, Id};
use serde_json::json;

const ME: &Actor = &Actor::Local;

async fn start(b: &Baton, tz: Option<&str>) -> VisitorSession {
    b.conversation_start(ConversationStart {
        channel: Some(Channel::Playground),
        timezone: tz.map(str::to_owned),
        ..Default::default()
    })
    .await
    .unwrap()
}

async fn say_at(b: &Baton, s: &VisitorSession, text: &str, at: Option<&str>) -> VisitorReply {
    b.visitor_message(
        s.conversation.id,
        &s.visitor_token,
        VisitorMessageInput {
            text: text.into(),
            simulated_at: at.map(|t| t.parse().unwrap()),
            ..Default::default()
        },
    )
    .await
    .unwrap()
}

fn as_op(id: Id, role: Role) -> Actor {
    Actor::Operator {
        operator_id: id,
        role,
    }
}

fn take(id: Id, from: Option<Id>) -> ConversationTake {
    ConversationTake {
        id,
        as_operator_id: None,
        from_operator_id: from,
    }
}

fn timeline_kinds(d: &ConversationDetail) -> Vec<TimelineKind> {
    d.timeline.iter().map(|e| e.kind).collect()
}

#[tokio::test]
async fn first_user_flows_on_every_backend() {
    for db in common::all_dbs().await {
        eprintln!("first-user flows on {}", db.label);
        let b = Baton::open(&db.url).await.unwrap();
        setup_checklist_ticks_itself(&b).await;
        take_over_from_a_colleague(&b).await;
        out_of_hours_follow_up(&b).await;
        inbox_list_shows_the_visitors_words(&b).await;
        email_links_use_the_public_address(&b).await;
    }
}

/// Point 14: the first-run checklist is read from what is stored.
async fn setup_checklist_ticks_itself(b: &Baton) {
    let none = SetupChecklist {
        handoff_on: false,
        working_hours_on: false,
        team_invited: false,
        playground_tried: false,
        widget_installed: false,
    };
    b.operator_ensure_owner().await.unwrap();
    assert_eq!(b.inbox_setup(ME, None).await.unwrap(), none);
    configure(b, json!({"settings": {"is_active": true}})).await;
    operator(b, "Tess", Role::Agent).await;
    start(b, None).await;
    b.conversation_start(ConversationStart {
        channel: Some(Channel::Widget),
        ..Default::default()
    })
    .await
    .unwrap();
    assert_eq!(
        b.inbox_setup(ME, None).await.unwrap(),
        SetupChecklist {
            handoff_on: true,
            team_invited: true,
            playground_tried: true,
            widget_installed: true,
            ..none
        }
    );
}

/// Point 1 and 4: a handoff routed to Anna; Ben takes it from her, the owner replies to take it
/// from Ben; simultaneous takes conflict; the timeline tells the story in names.
async fn take_over_from_a_colleague(b: &Baton) {
    let anna = operator(b, "Anna", Role::Agent).await;
    let ben = operator(b, "Ben", Role::Agent).await;
    let owner = operator(b, "Olga", Role::Owner).await;
    configure(
        b,
        json!({
            "settings": {"is_active": true},
            "routing_profiles": [
                {"name": "Billing", "description": "invoices, payments, refunds, charges", "is_active": true, "user_ids": [anna]}
            ]
        }),
    )
    .await;
    let s = start(b, None).await;
    let r = say_at(
        b,
        &s,
        "I want to talk to a person about a refund of my payment",
        None,
    )
    .await;
    assert_eq!(r.status, Status::NeedsAgent, "{:?}", r.events);
    let id = s.conversation.id;
    let d = b.conversation_open(ME, id).await.unwrap();
    assert_eq!(d.conversation.assignee_id, Some(anna), "routed to Anna");

    // The decision records name the profile and the operator, not ids.
    let routing = d.decisions.iter().find(|r| r.step == "routing").unwrap();
    assert_eq!(routing.outcome, "routed");
    assert!(routing.reason.contains("'Billing'"), "{}", routing.reason);
    let assignment = d.decisions.iter().find(|r| r.step == "assignment").unwrap();
    assert!(assignment.reason.contains("Anna"), "{}", assignment.reason);
    assert!(!assignment.outcome.contains(':'), "{}", assignment.outcome);

    // Ben presses Take over without saying from whom: a clear conflict naming Anna, nothing
    // changes.
    let ben_actor = as_op(ben, Role::Agent);
    let e = b
        .conversation_take(&ben_actor, take(id, None))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Conflict { .. }), "{e:?}");
    assert!(e.to_string().contains("Anna"), "{e}");
    assert_eq!(
        b.conversation_open(ME, id)
            .await
            .unwrap()
            .conversation
            .assignee_id,
        Some(anna)
    );
    // Confirmed ("Take it from Anna?"): it works.
    let c = b
        .conversation_take(&ben_actor, take(id, Some(anna)))
        .await
        .unwrap();
    assert_eq!((c.status, c.assignee_id), (Status::Assigned, Some(ben)));
    // Anna still thinking it is hers, confirming a take from herself... no: Anna is not the
    // holder now; a take naming the old holder is a conflict (someone moved it).
    let e = b
        .conversation_take(&as_op(anna, Role::Agent), take(id, Some(anna)))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Conflict { .. }), "{e:?}");

    // The owner replies; the reply box said "Replying takes it from Ben…" and does so.
    let owner_actor = as_op(owner, Role::Owner);
    b.conversation_reply(
        &owner_actor,
        ConversationReply {
            id,
            text: "Hi, Olga here, I'll sort out the refund.".into(),
            as_operator_id: None,
            from_operator_id: Some(ben),
        },
    )
    .await
    .unwrap();
    let d = b.conversation_open(ME, id).await.unwrap();
    assert_eq!(d.conversation.assignee_id, Some(owner));
    assert!(d.messages.iter().any(|m| m.text.contains("Olga here")));
    // A visitor reading the conversation back (a reload) sees who answered.
    let seen = b.visitor_messages(id, &s.visitor_token).await.unwrap();
    let olga = seen.iter().find(|m| m.text.contains("Olga here")).unwrap();
    assert_eq!(olga.operator_name.as_deref(), Some("Olga"));

    // Two colleagues taking it from Olga at the same moment: exactly one wins.
    let anna_actor = as_op(anna, Role::Agent);
    let (x, y) = tokio::join!(
        b.conversation_take(&anna_actor, take(id, Some(owner))),
        b.conversation_take(&ben_actor, take(id, Some(owner))),
    );
    assert!(x.is_ok() != y.is_ok(), "exactly one wins: {x:?} / {y:?}");
    let winner = if x.is_ok() { anna } else { ben };

    // Hand back with an instruction, then a new handoff: the timeline has it all, in names;
    // the conversation's reason is the latest handoff's.
    let winner_actor = as_op(winner, Role::Agent);
    b.conversation_hand_back(
        &winner_actor,
        ConversationHandBack {
            id,
            instruction: Some("Refund approved: confirm it politely.".into()),
        },
    )
    .await
    .unwrap();
    let after_hand_back = b.conversation_open(ME, id).await.unwrap().conversation;
    assert_eq!(after_hand_back.status, Status::Ai);
    assert_eq!(
        after_hand_back.handoff_reason, None,
        "no stale reason after a hand-back"
    );
    b.conversation_handoff(
        &owner_actor,
        ConversationManualHandoff {
            id,
            reason: Some("VIP customer".into()),
            take: false,
            as_operator_id: None,
        },
    )
    .await
    .unwrap();
    b.conversation_resolve(
        &owner_actor,
        ConversationAction {
            id,
            as_operator_id: None,
        },
    )
    .await
    .unwrap();
    b.conversation_reopen(
        &owner_actor,
        ConversationAction {
            id,
            as_operator_id: None,
        },
    )
    .await
    .unwrap();
    let d = b.conversation_open(ME, id).await.unwrap();
    assert_eq!(
        d.conversation.handoff_reason.as_deref(),
        Some("VIP customer")
    );
    use TimelineKind::*;
    assert_eq!(
        timeline_kinds(&d),
        [
            HandedOff, Routed, Assigned, TakenOver, TakenOver, TakenOver, HandedBack, HandedOff,
            Resolved, Reopened
        ]
    );
    let t = &d.timeline;
    assert!(
        t[0].text.as_deref().unwrap().contains("person"),
        "{:?}",
        t[0]
    );
    assert_eq!(t[1].routing_profile_name.as_deref(), Some("Billing"));
    assert_eq!(
        (t[2].operator_name.as_deref(), t[2].actor_id),
        (Some("Anna"), None),
        "assigned automatically"
    );
    assert_eq!(
        (
            t[3].operator_name.as_deref(),
            t[3].from_operator_name.as_deref()
        ),
        (Some("Ben"), Some("Anna"))
    );
    assert_eq!(
        (
            t[4].operator_name.as_deref(),
            t[4].from_operator_name.as_deref()
        ),
        (Some("Olga"), Some("Ben")),
        "the reply took it"
    );
    assert_eq!(t[5].from_operator_name.as_deref(), Some("Olga"));
    assert_eq!(
        t[6].text.as_deref(),
        Some("Refund approved: confirm it politely.")
    );
    assert_eq!(t[7].actor_name.as_deref(), Some("Olga"));
    assert_eq!(t[7].text.as_deref(), Some("VIP customer"));
}

/// Point 6: a request outside working hours is in the Follow up view with its count; the agent
/// offers to take a contact in the visitor's language, takes it, and does not repeat itself.
async fn out_of_hours_follow_up(b: &Baton) {
    configure(
        b,
        json!({
            "settings": {"is_active": true, "working_hours_active": true, "timezone": "Europe/Warsaw"},
            "availability": [{"day_span": "monday-friday", "start_time": "09:00", "end_time": "17:00"}],
            "routing_profiles": []
        }),
    )
    .await;
    let saturday_night = Some("2026-11-21T22:00:00Z");
    let before = b
        .inbox_list(ME, InboxQuery::default())
        .await
        .unwrap()
        .counts
        .follow_up;

    // German: the offer is in German.
    let s = start(b, Some("Europe/Berlin")).await;
    let r = say_at(
        b,
        &s,
        "Ich möchte bitte mit einem Mitarbeiter sprechen",
        saturday_night,
    )
    .await;
    let first = match &r.events[..] {
        [VisitorEvent::OutOfHours { text, .. }] => text.clone(),
        other => panic!("{other:?}"),
    };
    assert!(first.contains("E-Mail-Adresse"), "{first}");
    // Asking again: no identical canned answer.
    let r = say_at(b, &s, "Ich will einen Menschen sprechen!", saturday_night).await;
    let second = match &r.events[..] {
        [VisitorEvent::OutOfHours { text, .. }] => text.clone(),
        other => panic!("{other:?}"),
    };
    assert_ne!(first, second);
    // The visitor leaves a phone number: taken, thanked, on the conversation and its timeline.
    let r = say_at(b, &s, "Rufen Sie mich an: +49 30 1234567", saturday_night).await;
    match &r.events[..] {
        [VisitorEvent::Reply { text }] => {
            assert!(
                text.contains("+49 30 1234567") && text.contains("Danke"),
                "{text}"
            )
        }
        other => panic!("{other:?}"),
    }
    let d = b.conversation_open(ME, s.conversation.id).await.unwrap();
    assert!(d.conversation.follow_up);
    assert_eq!(
        d.conversation.gathered.get("Phone").map(String::as_str),
        Some("+49 30 1234567")
    );
    assert!(timeline_kinds(&d).contains(&TimelineKind::FollowUp));
    assert!(timeline_kinds(&d).contains(&TimelineKind::ContactLeft));
    // Once more: the agent says it has the contact, and asks for nothing.
    let r = say_at(b, &s, "Hallo? Ich brauche einen Menschen", saturday_night).await;
    match &r.events[..] {
        [VisitorEvent::OutOfHours { text, .. }] => {
            assert!(text.contains("+49 30 1234567"), "{text}");
            assert!(!text.contains("E-Mail-Adresse oder"), "{text}");
        }
        other => panic!("{other:?}"),
    }

    // A visitor who declines is left in peace.
    let p = start(b, None).await;
    say_at(b, &p, "can I talk to a human please", saturday_night).await;
    let r = say_at(b, &p, "no thanks", saturday_night).await;
    match &r.events[..] {
        [VisitorEvent::Reply { text }] => assert!(text.contains("No problem"), "{text}"),
        other => panic!("{other:?}"),
    }

    // A date is not a phone number; later unanswered questions do not replace the reason.
    let q = start(b, None).await;
    say_at(b, &q, "can I talk to a human please", saturday_night).await;
    let r = say_at(
        b,
        &q,
        "I ordered on 2024-05-12 and it has not arrived, where is it?",
        saturday_night,
    )
    .await;
    assert!(
        !format!("{:?}", r.events).contains("2024-05-12"),
        "{:?}",
        r.events
    );
    let qc = b.conversation_open(ME, q.conversation.id).await.unwrap();
    assert!(
        qc.conversation.gathered.is_empty(),
        "{:?}",
        qc.conversation.gathered
    );
    assert!(
        qc.conversation
            .handoff_reason
            .as_deref()
            .unwrap()
            .contains("asked for a person"),
        "{:?}",
        qc.conversation.handoff_reason
    );
    let follow_ups = qc
        .timeline
        .iter()
        .filter(|e| e.kind == TimelineKind::FollowUp)
        .count();
    assert_eq!(follow_ups, 1, "one follow-up mark, with the first reason");

    // The Follow up view lists them, newest first, with its count.
    let page = b
        .inbox_list(
            ME,
            InboxQuery {
                view: Some(InboxView::FollowUp),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(page.counts.follow_up, before + 3);
    let ids: Vec<Id> = page.items.iter().map(|i| i.conversation.id).collect();
    assert_eq!(
        &ids[..3],
        [q.conversation.id, p.conversation.id, s.conversation.id]
    );
    // Taken: someone is on it, no longer waiting in Follow up.
    b.conversation_take(
        ME,
        ConversationTake {
            id: q.conversation.id,
            as_operator_id: None,
            from_operator_id: None,
        },
    )
    .await
    .unwrap();
    // Resolved: no longer to follow up.
    b.conversation_resolve(
        ME,
        ConversationAction {
            id: p.conversation.id,
            as_operator_id: None,
        },
    )
    .await
    .unwrap();
    let counts = b
        .inbox_list(ME, InboxQuery::default())
        .await
        .unwrap()
        .counts;
    assert_eq!(counts.follow_up, before + 1);

    // The team is back: an offer left open does not stand in the way of a handoff.
    let late = start(b, None).await;
    say_at(b, &late, "can I talk to a human please", saturday_night).await;
    let monday = Some("2026-11-23T10:00:00Z");
    let r = say_at(
        b,
        &late,
        "I want a human please, my email is jan@example.com",
        monday,
    )
    .await;
    assert_eq!(r.status, Status::NeedsAgent, "{:?}", r.events);
    configure(b, json!({"settings": {"working_hours_active": false}})).await;
}

/// Point 7: the list shows the visitor's last words, not the agent's canned confirmation; a
/// search shows the matching part of the matching message.
async fn inbox_list_shows_the_visitors_words(b: &Baton) {
    let s = start(b, None).await;
    say_at(
        b,
        &s,
        "My parcel to Kraków never arrived, can I talk to a person?",
        None,
    )
    .await;
    let page = b
        .inbox_list(
            ME,
            InboxQuery {
                view: Some(InboxView::All),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let item = page
        .items
        .iter()
        .find(|i| i.conversation.id == s.conversation.id)
        .unwrap();
    assert_eq!(
        item.preview.as_deref(),
        Some("My parcel to Kraków never arrived, can I talk to a person?")
    );
    assert_ne!(
        item.preview, item.last_message,
        "the last message is the AI's"
    );
    assert_eq!(item.snippet, None, "no search, no snippet");

    let long = format!(
        "{} the tracking number XZ12345 shows nothing {}",
        "word ".repeat(40),
        "more ".repeat(40)
    );
    say_at(b, &s, &long, None).await;
    let page = b
        .inbox_list(
            ME,
            InboxQuery {
                view: Some(InboxView::All),
                search: Some("tracking".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let item = page
        .items
        .iter()
        .find(|i| i.conversation.id == s.conversation.id)
        .expect("found by search");
    let snippet = item.snippet.as_deref().unwrap();
    assert!(snippet.contains("tracking number XZ12345"), "{snippet}");
    assert!(
        snippet.starts_with("… ") && snippet.ends_with(" …"),
        "{snippet}"
    );
    assert!(snippet.len() < long.len() / 2, "{snippet}");
}

/// Point 12: email links use the public address: the saved one, else where the server
/// listens, never a port nobody serves on.
async fn email_links_use_the_public_address(b: &Baton) {
    let e = b
        .settings_public_url_set(
            ME,
            PublicUrlInput {
                url: Some("baton.example.com".into()),
            },
        )
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("url"));
    let viewer = operator(b, "Vic", Role::Viewer).await;
    assert!(matches!(
        b.settings_public_url_get(&as_op(viewer, Role::Viewer))
            .await,
        Err(Error::Forbidden(_))
    ));

    b.serving_at("127.0.0.1:9911".parse().unwrap());
    let got = b.settings_public_url_get(ME).await.unwrap();
    assert_eq!(
        (got.saved, got.effective.as_str()),
        (None, "http://127.0.0.1:9911")
    );
    assert!(notification_link(b)
        .await
        .starts_with("http://127.0.0.1:9911/#/inbox/"));

    let got = b
        .settings_public_url_set(
            ME,
            PublicUrlInput {
                url: Some("https://support.example.com/baton/".into()),
            },
        )
        .await
        .unwrap();
    assert_eq!(got.effective, "https://support.example.com/baton");
    assert!(notification_link(b)
        .await
        .starts_with("https://support.example.com/baton/#/inbox/"));
    let got = b
        .settings_public_url_set(ME, PublicUrlInput { url: None })
        .await
        .unwrap();
    assert_eq!(got.effective, "http://127.0.0.1:9911");
}

/// Hands a new conversation off with an email recipient configured; the link in its email.
async fn notification_link(b: &Baton) -> String {
    configure(
        b,
        json!({"settings": {"is_active": true, "send_email_notification": true, "emails": ["team@example.com"]}, "routing_profiles": []}),
    )
    .await;
    let s = start(b, None).await;
    say_at(b, &s, "I want to talk to a human", None).await;
    let due = b
        .store()
        .notifications_due(chrono::Utc::now() + chrono::Duration::hours(1), 500)
        .await
        .unwrap();
    let tail = format!("/#/inbox/{}", s.conversation.id);
    let link = due
        .iter()
        .flat_map(|(_, email, _)| email.text.lines())
        .filter_map(|l| l.strip_prefix("Open the conversation: "))
        .find(|l| l.ends_with(&tail))
        .expect("a handoff email with a link to the conversation");
    link.to_owned()
}
