//! Lead notifications and conversation transcripts (issue 11), on both databases, received by
//! a real SMTP server on loopback (`tests/support/smtp_sink.py`, as the handoff tests): the
//! lead email with the contact details, consent and the conversation, once per lead and
//! conversation; the transcript after the idle time on a test clock (not before, not twice,
//! not again when the conversation resumes), at once for a resolved conversation; the skip
//! rule both ways (lead email, handoff email). Times are checked in America/New_York (a zone
//! with DST) against chrono-tz, in the HTML and the text part.

use crate::common;

use std::sync::Arc;

use baton::auth::Actor;
use baton::conversations::inbox::ConversationAction;
use baton::conversations::pipeline::{ConversationStart, VisitorMessageInput, VisitorSession};
use baton::conversations::Channel;
use baton::engine::Author;
use baton::leads::model::LeadQuery;
use baton::{Baton, Id};
use chrono::{DateTime, Duration, Utc};
use common::smtp::{Received, Sink};
use serde_json::{json, Value};

const ME: &Actor = &Actor::Local;
const ZONE: chrono_tz::Tz = chrono_tz::America::New_York;

async fn start(b: &Baton) -> VisitorSession {
    b.conversation_start(ConversationStart {
        channel: Some(Channel::Playground),
        ..Default::default()
    })
    .await
    .unwrap()
}

async fn say(b: &Baton, s: &VisitorSession, text: &str) {
    b.visitor_message(
        s.conversation.id,
        &s.visitor_token,
        VisitorMessageInput {
            text: text.into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
}

/// A visitor asks for a person and answers the information to gather (name, email, phone).
async fn hand_off(b: &Baton, answers: &[&str]) -> VisitorSession {
    let s = start(b).await;
    say(b, &s, "please let me talk to an agent").await;
    for a in answers {
        say(b, &s, a).await;
    }
    s
}

/// A fresh Baton on `url` sending through `sink`, links at https://baton.example.com, the
/// business zone America/New_York, gathering name, email and phone on handoff; handoff
/// emails to the team when `handoff_email`.
async fn setup(url: &str, sink: &Sink, handoff_email: bool) -> Baton {
    let b = Baton::open(url).await.unwrap();
    b.settings_smtp_set(ME, sink.settings()).await.unwrap();
    b.settings_public_url_set(
        ME,
        serde_json::from_value(json!({"url": "https://baton.example.com"})).unwrap(),
    )
    .await
    .unwrap();
    common::configure(
        &b,
        json!({
            "settings": {
                "is_active": true,
                "timezone": ZONE.name(),
                "send_email_notification": handoff_email,
                "emails": ["team@example.com"]
            },
            "information_to_gather": [
                {"kind": "name", "prompt": "Your name?"},
                {"kind": "email", "prompt": "What's your email?"},
                {"kind": "phone", "prompt": "Your phone number?"}
            ]
        }),
    )
    .await;
    b
}

async fn lead_emails(b: &Baton, emails: Value) {
    b.lead_settings_set(
        ME,
        serde_json::from_value(json!({"settings": {"emails": emails}})).unwrap(),
    )
    .await
    .unwrap();
}

/// Transcripts on, to log@example.com after 30 idle minutes, with the skip rule or without.
async fn transcripts_to_log(b: &Baton, skip: bool) {
    lead_emails(
        b,
        json!({"transcript": true, "transcript_recipients": ["log@example.com"],
               "idle_minutes": 30, "skip_transcript": skip}),
    )
    .await;
}

/// Runs the outbox at `at` with Baton's own deliverer (the SMTP settings); jobs delivered.
async fn deliver_at(b: &Baton, at: DateTime<Utc>) -> usize {
    b.outbox_run_at(at, Arc::new(b.deliveries().await.unwrap()))
        .await
        .unwrap()
        .done
}

/// The visible messages of a conversation, as stored.
async fn messages(b: &Baton, id: Id) -> Vec<baton::conversations::model::Message> {
    b.conversation_open(ME, id)
        .await
        .unwrap()
        .messages
        .into_iter()
        .filter(|m| !m.internal)
        .collect()
}

async fn last_visitor_at(b: &Baton, id: Id) -> DateTime<Utc> {
    messages(b, id)
        .await
        .iter()
        .filter(|m| m.author == Author::Visitor)
        .map(|m| m.created_at)
        .max()
        .expect("a visitor message")
}

fn local(t: DateTime<Utc>) -> String {
    t.with_timezone(&ZONE)
        .format("%Y-%m-%d %H:%M %Z")
        .to_string()
}

/// The transcript records of a conversation: (kind, outcome).
async fn records(b: &Baton, id: Id) -> Vec<(String, String)> {
    b.store()
        .lead_emails_of(id)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.kind, r.outcome))
        .collect()
}

fn new_mail(sink: &Sink, before: usize) -> Vec<Received> {
    sink.messages().into_iter().skip(before).collect()
}

/// Every visible message of `id` is in both parts with its New York time.
async fn assert_messages_listed(b: &Baton, id: Id, m: &Received) {
    let (text, html) = (m.text(), m.html());
    for msg in messages(b, id).await {
        let first_line = msg
            .text
            .lines()
            .next()
            .unwrap_or_default()
            .trim()
            .to_owned();
        let at = local(msg.created_at);
        assert!(
            text.contains(&format!("[{at}] ")) && text.contains(&first_line),
            "{at} {first_line:?} in the text part:\n{text}"
        );
        assert!(html.contains(&at), "{at} in the HTML part");
    }
    assert!(
        text.contains("America/New_York") && html.contains("America/New_York"),
        "the zone is named"
    );
    let abbreviation = local(Utc::now()).rsplit(' ').next().unwrap().to_owned();
    assert!(["EST", "EDT"].contains(&abbreviation.as_str()));
    let link = format!("https://baton.example.com/#/inbox/{id}");
    assert!(
        text.contains(&format!("Open the conversation: {link}")),
        "{text}"
    );
    assert!(html.contains(&format!("<a href=\"{link}\">")), "{html}");
}

#[tokio::test]
async fn the_lead_notification_arrives_once_with_the_details_and_the_conversation() {
    let Some(sink) = Sink::start(None) else {
        return;
    };
    for db in common::all_dbs().await {
        let b = setup(&db.url, &sink, false).await;
        let s = hand_off(
            &b,
            &["Ada O'Lovelace", "ada@example.com", "+1 212 555 0100"],
        )
        .await;
        let id = s.conversation.id;
        let lead = b.lead_list(ME, LeadQuery::default()).await.unwrap().leads[0].clone();

        // Off (the default): nothing queued, nothing recorded.
        assert!(!b.lead_captured_notify(id, lead.id).await.unwrap());
        assert!(records(&b, id).await.is_empty(), "{}", db.label);

        lead_emails(
            &b,
            json!({"lead_notification": true, "lead_recipients": ["sales@example.com", "boss@example.com"]}),
        )
        .await;
        assert!(
            b.lead_captured_notify(id, lead.id).await.unwrap(),
            "{}",
            db.label
        );
        // The same capture again (or the lead captured again in this conversation): once.
        assert!(!b.lead_captured_notify(id, lead.id).await.unwrap());
        assert_eq!(records(&b, id).await, [("lead".into(), "queued".into())]);
        // Unknown ids are errors, not emails.
        assert!(b.lead_captured_notify(id, lead.id + 1000).await.is_err());
        assert!(b.lead_captured_notify(id + 1000, lead.id).await.is_err());

        let before = sink.messages().len();
        assert_eq!(b.notifications_run_due().await.unwrap(), 1, "{}", db.label);
        let mail = new_mail(&sink, before);
        assert_eq!(mail.len(), 1, "{}: {mail:#?}", db.label);
        let m = &mail[0];
        assert_eq!(m.rcpt_tos, ["sales@example.com", "boss@example.com"]);
        let subject = m.subject.as_deref().unwrap();
        assert!(
            subject.starts_with("[Baton] New lead: Ada O'Lovelace — ")
                && subject.ends_with(&format!(", conversation #{id}")),
            "{subject}"
        );
        assert_eq!(m.content_type, "multipart/alternative");
        let (text, html) = (m.text(), m.html());
        assert!(text.contains("- Name: Ada O'Lovelace"), "{text}");
        assert!(text.contains("- Email: ada@example.com"), "{text}");
        assert!(text.contains("- Phone: +1"), "{text}");
        assert!(text.contains("Consent: not asked"), "{text}");
        assert!(text.contains("(handoff, "), "the source: {text}");
        assert!(text.contains("please let me talk to an agent"), "{text}");
        assert!(
            text.contains("Ada O'Lovelace: ada@example.com"),
            "the visitor by name: {text}"
        );
        assert!(html.contains("Ada O&#39;Lovelace"), "escaped: {html}");
        assert!(!html.contains("O'Lovelace"), "never raw in HTML");
        assert_messages_listed(&b, id, m).await;

        // Delivered: the outbox has nothing more.
        assert_eq!(b.notifications_run_due().await.unwrap(), 0);
        b.store().close().await;
    }
}

#[tokio::test]
async fn a_submitted_contact_form_sends_the_lead_email_by_itself() {
    let Some(sink) = Sink::start(None) else {
        return;
    };
    for db in common::all_dbs().await {
        let b = setup(&db.url, &sink, false).await;
        b.lead_settings_set(
            ME,
            serde_json::from_value(json!({"settings": {
                "contact_form": {"enabled": true, "position": "at_start", "name": "required",
                                 "email": "required", "consent": true,
                                 "consent_message": "I agree to be contacted."},
                "emails": {"lead_notification": true, "lead_recipients": ["sales@example.com"]}
            }}))
            .unwrap(),
        )
        .await
        .unwrap();
        let s = start(&b).await;
        let id = s.conversation.id;
        b.visitor_form_submit(
            id,
            &s.visitor_token,
            baton::leads::model::ContactFormSubmit {
                name: Some("Grace Hopper".into()),
                email: Some("grace@example.com".into()),
                consent: true,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        // Nobody called lead_captured_notify: the capture queued it.
        assert_eq!(
            records(&b, id).await,
            [("lead".into(), "queued".into())],
            "{}",
            db.label
        );
        let before = sink.messages().len();
        assert_eq!(b.notifications_run_due().await.unwrap(), 1, "{}", db.label);
        let mail = new_mail(&sink, before);
        assert_eq!(mail.len(), 1, "{}: {mail:#?}", db.label);
        assert_eq!(mail[0].rcpt_tos, ["sales@example.com"]);
        let text = mail[0].text();
        assert!(text.contains("- Name: Grace Hopper"), "{text}");
        assert!(text.contains("- Email: grace@example.com"), "{text}");
        assert!(text.contains("(contact form, "), "the source: {text}");
        assert!(text.contains("Consent: given"), "{text}");
        // The same visitor submitting again is no second email.
        let _ = b
            .visitor_form_submit(
                id,
                &s.visitor_token,
                baton::leads::model::ContactFormSubmit {
                    name: Some("Grace Hopper".into()),
                    email: Some("grace@example.com".into()),
                    consent: true,
                    ..Default::default()
                },
            )
            .await;
        assert_eq!(b.notifications_run_due().await.unwrap(), 0, "{}", db.label);
        b.store().close().await;
    }
}

#[tokio::test]
async fn a_chat_the_visitor_ended_gets_its_transcript_after_a_short_grace() {
    let Some(sink) = Sink::start(None) else {
        return;
    };
    for db in common::all_dbs().await {
        let b = setup(&db.url, &sink, false).await;
        transcripts_to_log(&b, false).await;
        let s = start(&b).await;
        say(&b, &s, "do you ship to Canada?").await;
        let id = s.conversation.id;
        b.visitor_end(id, &s.visitor_token).await.unwrap();
        let ended = b
            .conversation_open(ME, id)
            .await
            .unwrap()
            .timeline
            .iter()
            .find(|e| e.kind.as_str() == "ended_by_visitor")
            .expect("on the timeline")
            .created_at;
        // Not at once (a contact form at the end may still come), not after 30 minutes either.
        assert_eq!(
            b.transcripts_run_due_at(ended + Duration::seconds(60))
                .await
                .unwrap(),
            0
        );
        assert_eq!(
            b.transcripts_run_due_at(
                ended + baton::leads::emails::ENDED_GRACE + Duration::seconds(1)
            )
            .await
            .unwrap(),
            1,
            "{}",
            db.label
        );
        let before = sink.messages().len();
        assert_eq!(deliver_at(&b, ended + Duration::minutes(3)).await, 1);
        let mail = new_mail(&sink, before);
        let text = mail[0].text();
        assert!(
            text.contains(&format!("Ended: ended by the visitor {}", local(ended))),
            "{text}"
        );

        // A visitor who writes again after ending is a conversation going on: the idle rule.
        let s2 = start(&b).await;
        say(&b, &s2, "hello").await;
        b.visitor_end(s2.conversation.id, &s2.visitor_token)
            .await
            .unwrap();
        say(&b, &s2, "one more question").await;
        let t = last_visitor_at(&b, s2.conversation.id).await;
        assert_eq!(
            b.transcripts_run_due_at(t + Duration::minutes(5))
                .await
                .unwrap(),
            0
        );
        assert_eq!(
            b.transcripts_run_due_at(t + Duration::minutes(31))
                .await
                .unwrap(),
            1
        );
        b.store().close().await;
    }
}

#[tokio::test]
async fn a_transcript_after_the_idle_time_once_and_at_once_when_resolved() {
    let Some(sink) = Sink::start(None) else {
        return;
    };
    for db in common::all_dbs().await {
        let b = setup(&db.url, &sink, false).await;
        transcripts_to_log(&b, true).await;
        let s = start(&b).await;
        say(&b, &s, "hello, do you ship to Canada?").await;
        say(&b, &s, "and how long does it take?").await;
        let id = s.conversation.id;
        let t = last_visitor_at(&b, id).await;

        // Not due while the visitor may still write…
        assert_eq!(
            b.transcripts_run_due_at(t + Duration::minutes(29))
                .await
                .unwrap(),
            0
        );
        assert!(records(&b, id).await.is_empty(), "{}", db.label);
        // …due once they have been quiet for the idle time…
        let at = t + Duration::minutes(31);
        assert_eq!(
            b.transcripts_run_due_at(at).await.unwrap(),
            1,
            "{}",
            db.label
        );
        assert_eq!(
            records(&b, id).await,
            [("transcript".into(), "queued".into())]
        );
        // …and never twice.
        assert_eq!(b.transcripts_run_due_at(at).await.unwrap(), 0);
        assert_eq!(
            b.transcripts_run_due_at(at + Duration::hours(2))
                .await
                .unwrap(),
            0
        );

        let before = sink.messages().len();
        assert_eq!(deliver_at(&b, at).await, 1, "{}", db.label);
        let mail = new_mail(&sink, before);
        assert_eq!(mail.len(), 1, "{}: {mail:#?}", db.label);
        let m = &mail[0];
        assert_eq!(m.rcpt_tos, ["log@example.com"]);
        let subject = m.subject.as_deref().unwrap();
        assert!(
            subject.starts_with("[Baton] Transcript: a visitor — ")
                && subject.ends_with(&format!(", conversation #{id}")),
            "{subject}"
        );
        let count = messages(&b, id).await.len();
        assert!(count >= 4, "two visitor messages and the answers: {count}");
        let (text, html) = (m.text(), m.html());
        assert!(text.contains(&format!("Messages: {count}\n")), "{text}");
        assert!(
            text.contains(&format!(
                "Date: {} (America/New_York)",
                s.conversation
                    .created_at
                    .with_timezone(&ZONE)
                    .format("%Y-%m-%d")
            )),
            "{text}"
        );
        assert!(
            text.contains(&format!(
                "Ended: no visitor message for 30 minutes after {}",
                local(t)
            )),
            "{text}"
        );
        assert!(
            text.contains("Visitor: hello, do you ship to Canada?"),
            "{text}"
        );
        assert!(html.contains("Conversation transcript") && html.contains("<table"));
        assert_messages_listed(&b, id, m).await;

        // The conversation resumes after its transcript: no second one.
        say(&b, &s, "one more question").await;
        let t2 = last_visitor_at(&b, id).await;
        assert_eq!(
            b.transcripts_run_due_at(t2 + Duration::minutes(31))
                .await
                .unwrap(),
            0
        );

        // Resolved: due at once, no idle time needed.
        let r = start(&b).await;
        say(&b, &r, "thanks, that was all").await;
        let now = Utc::now();
        assert_eq!(
            b.transcripts_run_due_at(now).await.unwrap(),
            0,
            "still open"
        );
        b.conversation_resolve(
            ME,
            ConversationAction {
                id: r.conversation.id,
                as_operator_id: None,
            },
        )
        .await
        .unwrap();
        let now = Utc::now();
        assert_eq!(
            b.transcripts_run_due_at(now).await.unwrap(),
            1,
            "{}",
            db.label
        );
        let before = sink.messages().len();
        assert_eq!(deliver_at(&b, now).await, 1);
        let mail = new_mail(&sink, before);
        assert_eq!(mail.len(), 1);
        assert!(
            mail[0].text().contains("Ended: resolved "),
            "{}",
            mail[0].text()
        );
        assert_messages_listed(&b, r.conversation.id, &mail[0]).await;

        // A conversation without a visitor message gets none; an agent with transcripts off
        // none either.
        let quiet = start(&b).await;
        assert_eq!(
            b.transcripts_run_due_at(Utc::now() + Duration::hours(1))
                .await
                .unwrap(),
            0
        );
        assert!(records(&b, quiet.conversation.id).await.is_empty());
        lead_emails(&b, json!({"transcript": false})).await;
        let off = start(&b).await;
        say(&b, &off, "hello").await;
        assert_eq!(
            b.transcripts_run_due_at(Utc::now() + Duration::hours(1))
                .await
                .unwrap(),
            0
        );
        assert!(records(&b, off.conversation.id).await.is_empty());
        b.store().close().await;
    }
}

#[tokio::test]
async fn the_skip_rule_both_ways() {
    let Some(sink) = Sink::start(None) else {
        return;
    };
    for db in common::all_dbs().await {
        // Handoff emails on: every handed-off conversation has one queued.
        let b = setup(&db.url, &sink, true).await;
        let settings = |skip: bool| {
            json!({"lead_notification": true, "lead_recipients": ["sales@example.com"],
                   "transcript": true, "transcript_recipients": ["log@example.com"],
                   "idle_minutes": 30, "skip_transcript": skip})
        };
        lead_emails(&b, settings(true)).await;

        // A lead email was sent: skipped, recorded as such, and never sent later.
        let with_lead = hand_off(
            &b,
            &["Grace Hopper", "grace@example.com", "+1 212 555 0199"],
        )
        .await;
        let lead = b.lead_list(ME, LeadQuery::default()).await.unwrap().leads[0].id;
        assert!(b
            .lead_captured_notify(with_lead.conversation.id, lead)
            .await
            .unwrap());
        let t = last_visitor_at(&b, with_lead.conversation.id).await;
        let at = t + Duration::minutes(31);
        assert_eq!(
            b.transcripts_run_due_at(at).await.unwrap(),
            0,
            "{}",
            db.label
        );
        assert_eq!(
            records(&b, with_lead.conversation.id).await,
            [
                ("lead".to_owned(), "queued".to_owned()),
                ("transcript".to_owned(), "skipped".to_owned())
            ]
        );

        // Only a handoff email (no lead email recorded): skipped too.
        let handed = hand_off(&b, &["Alan Turing", "alan@example.com", "+44 20 7946 0000"]).await;
        let t = last_visitor_at(&b, handed.conversation.id).await;
        assert_eq!(
            b.transcripts_run_due_at(t + Duration::minutes(31))
                .await
                .unwrap(),
            0
        );
        assert_eq!(
            records(&b, handed.conversation.id).await,
            [("transcript".to_owned(), "skipped".to_owned())]
        );

        // No lead or handoff email: sent.
        let plain = start(&b).await;
        say(&b, &plain, "what are your opening hours?").await;
        let t = last_visitor_at(&b, plain.conversation.id).await;
        assert_eq!(
            b.transcripts_run_due_at(t + Duration::minutes(31))
                .await
                .unwrap(),
            1
        );

        // Without the skip rule, a conversation with both a lead and a handoff email gets its
        // transcript too.
        lead_emails(&b, settings(false)).await;
        let both = hand_off(
            &b,
            &["Katherine Johnson", "kj@example.com", "+1 757 555 0100"],
        )
        .await;
        let lead = b
            .lead_list(
                ME,
                serde_json::from_value(json!({"search": "kj@"})).unwrap(),
            )
            .await
            .unwrap()
            .leads[0]
            .id;
        assert!(b
            .lead_captured_notify(both.conversation.id, lead)
            .await
            .unwrap());
        let t = last_visitor_at(&b, both.conversation.id).await;
        let at = t + Duration::minutes(31);
        assert_eq!(
            b.transcripts_run_due_at(at).await.unwrap(),
            1,
            "{}",
            db.label
        );
        assert_eq!(
            records(&b, both.conversation.id).await,
            [
                ("lead".to_owned(), "queued".to_owned()),
                ("transcript".to_owned(), "queued".to_owned())
            ]
        );

        // What went out: 3 handoff emails, 2 lead emails, 2 transcripts (the plain and the
        // one without the skip rule).
        let before = sink.messages().len();
        let mut delivered = 0;
        loop {
            let n = deliver_at(&b, at).await;
            if n == 0 {
                break;
            }
            delivered += n;
        }
        assert_eq!(delivered, 7, "{}", db.label);
        let mail = new_mail(&sink, before);
        let count = |prefix: &str| {
            mail.iter()
                .filter(|m| m.subject.as_deref().unwrap_or_default().starts_with(prefix))
                .count()
        };
        assert_eq!(count("[Baton] Handoff needed"), 3);
        assert_eq!(count("[Baton] New lead: "), 2);
        assert_eq!(count("[Baton] Transcript: "), 2);
        let transcript = mail
            .iter()
            .find(|m| {
                m.subject
                    .as_deref()
                    .unwrap_or_default()
                    .starts_with("[Baton] Transcript: Katherine Johnson")
            })
            .expect("the transcript names the visitor from the lead");
        assert!(transcript.text().contains("- Email: kj@example.com"));
        assert_messages_listed(&b, both.conversation.id, transcript).await;
        b.store().close().await;
    }
}

#[tokio::test]
async fn transcript_runs_are_bounded_and_leave_old_conversations_alone() {
    let Some(sink) = Sink::start(None) else {
        return;
    };
    for db in common::all_dbs().await {
        let b = setup(&db.url, &sink, false).await;
        transcripts_to_log(&b, false).await;
        let mut ids = Vec::new();
        for text in ["first", "second", "third"] {
            let s = start(&b).await;
            say(&b, &s, &format!("hello, {text} visitor here")).await;
            ids.push(s.conversation.id);
        }
        let mut last = last_visitor_at(&b, ids[2]).await;
        for id in &ids {
            last = last.max(last_visitor_at(&b, *id).await);
        }

        // Ended more than a day (beyond the idle time) ago when first seen: never emailed, so
        // turning transcripts on does not email old conversations.
        let late = last + Duration::minutes(31) + Duration::hours(25);
        assert_eq!(
            b.transcripts_run_due_at(late).await.unwrap(),
            0,
            "{}",
            db.label
        );

        // At most `limit` decided per call, the longest-quiet first.
        let at = last + Duration::minutes(31);
        let first = b.transcripts_run(at, 2).await.unwrap();
        assert_eq!((first.queued, first.skipped), (2, 0), "{}", db.label);
        assert_eq!(records(&b, ids[0]).await.len(), 1);
        assert_eq!(records(&b, ids[1]).await.len(), 1);
        assert!(records(&b, ids[2]).await.is_empty());
        let rest = b.transcripts_run(at, 2).await.unwrap();
        assert_eq!((rest.queued, rest.skipped), (1, 0));
        assert_eq!(b.transcripts_run(at, 2).await.unwrap().queued, 0);
        b.store().close().await;
    }
}
