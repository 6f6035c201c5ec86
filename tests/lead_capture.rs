//! Lead capture in real conversations (the visitor API), on every database and with both
//! engines (the built-in one and an OpenAI-compatible model, a loopback fake): smart data
//! gathering (details from free text and from answers, subtle and direct requests, after N
//! messages or on interest, invalid answers asked again once then skipped, a refusal
//! respected, never asked twice) and the contact form at each position (checked in the core,
//! consent stored with the lead, the submission in the inbox's timeline).

use crate::common;

use axum::routing::post;
use axum::{Json, Router};
use baton::auth::Actor;
use baton::conversations::pipeline::{VisitorReply, VisitorSession};
use baton::conversations::{Channel, VisitorEvent};
use baton::leads::model::{ContactFormSubmit, Lead, LeadQuery, LeadSource};
use baton::leads::settings::LeadSettings;
use baton::Baton;
use serde_json::{json, Value};

const ME: &Actor = &Actor::Local;

async fn start(b: &Baton) -> VisitorSession {
    common::start(b, Channel::Widget).await
}

async fn say(b: &Baton, s: &VisitorSession, text: &str) -> VisitorReply {
    common::say(b, s, text).await
}

/// Everything the agent said in a reply, joined.
fn said(r: &VisitorReply) -> String {
    r.events
        .iter()
        .filter_map(|e| match e {
            VisitorEvent::Reply { text } => Some(text.as_str()),
            VisitorEvent::InformationRequest { prompt, .. } => Some(prompt.as_str()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

fn has_form(r: &VisitorReply) -> bool {
    r.events
        .iter()
        .any(|e| matches!(e, VisitorEvent::ContactForm { .. }))
}

async fn set(b: &Baton, v: Value) {
    let mut s = serde_json::to_value(LeadSettings::default()).unwrap();
    merge(&mut s, v);
    b.lead_settings_set(
        ME,
        serde_json::from_value(json!({ "settings": s })).unwrap(),
    )
    .await
    .unwrap();
}

fn merge(a: &mut Value, b: Value) {
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                merge(a.entry(k).or_insert(Value::Null), v);
            }
        }
        (a, b) => *a = b,
    }
}

async fn leads(b: &Baton) -> Vec<Lead> {
    b.lead_list(ME, LeadQuery::default()).await.unwrap().leads
}

async fn lead_steps(b: &Baton, id: baton::Id) -> Vec<String> {
    common::steps(b, id)
        .await
        .into_iter()
        .filter(|(s, _)| s == "lead")
        .map(|(_, o)| o)
        .collect()
}

/// A model that answers every question with the same sentence (and triggers nothing).
async fn fake_model() -> String {
    let app = Router::new().route(
        "/v1/chat/completions",
        post(|Json(body): Json<Value>| async move {
            let system = body["messages"][0]["content"].as_str().unwrap_or_default();
            let content = if system.contains("handed to a human") {
                json!({"trigger": null, "matched": [], "confidence": 0.9, "reason": "nothing applies"})
            } else if system.contains("answering the visitor") {
                json!({"answer": "We are open from nine to five.", "found": true})
            } else {
                json!({"action": null, "reason": "none applies"})
            };
            Json(json!({"choices": [{"index": 0, "message": {"role": "assistant",
                "content": content.to_string()}}]}))
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/v1", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    base
}

/// The engines each story runs with: the built-in one, then a model.
async fn engines(b: &Baton, model: &str, i: usize) -> &'static str {
    if i == 0 {
        "builtin"
    } else {
        common::use_model(b, model, 5000).await;
        "model"
    }
}

#[tokio::test]
async fn gathering_subtle_after_messages_answers_thanks_and_refusal() {
    let model = fake_model().await;
    for i in 0..2 {
        for db in common::all_dbs().await {
            let b = Baton::open(&db.url).await.unwrap();
            let engine = engines(&b, &model, i).await;
            eprintln!("gathering on {} with {engine}", db.label);
            set(
                &b,
                json!({"gathering": {"enabled": true, "after_messages": 2, "how": "subtle",
                    "phone_country": "DE",
                    "fields": [{"kind": "email"}, {"kind": "first_name"}, {"kind": "phone"}]}}),
            )
            .await;
            let s = start(&b).await;
            let first = say(&b, &s, "Hello there").await;
            assert!(
                !said(&first).contains("email"),
                "{engine}: {}",
                said(&first)
            );
            // The second visitor message: the request rides on the answer.
            let second = say(&b, &s, "What are your opening hours?").await;
            let text = said(&second);
            assert!(text.contains("email address"), "{engine}: {text}");
            assert_eq!(
                second.events.len(),
                1,
                "{engine}: one reply, the request on it"
            );
            // A bare answer: thanks, and the next field.
            let third = say(&b, &s, "Anna.K@Example.com").await;
            let text = said(&third);
            assert!(text.starts_with("Thank you!"), "{engine}: {text}");
            assert!(text.contains("first name"), "{engine}: {text}");
            let fourth = say(&b, &s, "anna").await;
            assert!(
                said(&fourth).contains("phone number"),
                "{engine}: {}",
                said(&fourth)
            );
            // A refusal ends the asking.
            let fifth = say(&b, &s, "no thanks").await;
            assert!(
                said(&fifth).starts_with("No problem"),
                "{engine}: {}",
                said(&fifth)
            );
            let sixth = say(&b, &s, "And do you ship to Austria?").await;
            assert!(
                !said(&sixth).contains("phone"),
                "{engine}: {}",
                said(&sixth)
            );
            let l = leads(&b).await;
            assert_eq!(l.len(), 1, "{engine}");
            assert_eq!(l[0].email.as_deref(), Some("anna.k@example.com"));
            assert_eq!(l[0].name.as_deref(), Some("Anna"));
            assert_eq!(l[0].phone, None);
            assert_eq!(l[0].source, LeadSource::Gathering);
            assert_eq!(l[0].conversation_id, Some(s.conversation.id));
            let steps = lead_steps(&b, s.conversation.id).await;
            assert_eq!(
                steps,
                [
                    "asked",
                    "collected",
                    "asked",
                    "collected",
                    "asked",
                    "declined"
                ],
                "{engine}"
            );
            let detail = b.conversation_open(ME, s.conversation.id).await.unwrap();
            let gathered: Vec<String> = detail
                .timeline
                .iter()
                .filter(|e| e.kind.as_str() == "detail_gathered")
                .filter_map(|e| e.text.clone())
                .collect();
            assert_eq!(
                gathered,
                [
                    "Email: anna.k@example.com",
                    "First name: Anna",
                    "declined: Phone"
                ],
                "{engine}"
            );
        }
    }
}

#[tokio::test]
async fn details_from_free_text_interest_and_direct_questions() {
    let model = fake_model().await;
    for i in 0..2 {
        for db in common::all_dbs().await {
            let b = Baton::open(&db.url).await.unwrap();
            let engine = engines(&b, &model, i).await;
            eprintln!("free text on {} with {engine}", db.label);
            set(
                &b,
                json!({"gathering": {"enabled": true, "after_messages": 10, "when": "interest",
                    "how": "direct", "phone_country": "PL",
                    "fields": [{"kind": "email"}, {"kind": "first_name"}, {"kind": "phone"},
                               {"kind": "custom", "label": "Company", "field_type": "text"}]}}),
            )
            .await;
            // Details written without being asked are kept; "I'm fine" is no name.
            let s = start(&b).await;
            let r = say(&b, &s, "Dzień dobry, mój e-mail to jan@firma.pl").await;
            assert!(!said(&r).contains("e-mail"), "{}", said(&r));
            let r = say(
                &b,
                &s,
                "Ile kosztuje pakiet premium? Mój numer: 600 100 200",
            )
            .await;
            // Interest (a price question in Polish): a question of its own, for the next field.
            let asks: Vec<&VisitorEvent> = r
                .events
                .iter()
                .filter(|e| matches!(e, VisitorEvent::InformationRequest { .. }))
                .collect();
            assert_eq!(asks.len(), 1, "{engine}: {:?}", r.events);
            assert!(said(&r).contains("imię"), "{engine}: {}", said(&r));
            let l = leads(&b).await;
            assert_eq!(l[0].email.as_deref(), Some("jan@firma.pl"));
            assert_eq!(l[0].phone.as_deref(), Some("+48600100200"));
            assert_eq!(l[0].name, None, "{engine}");
            // An invalid answer is asked once more, a second one skips the field.
            let r = say(&b, &s, "Jan").await;
            assert!(
                said(&r).contains("Company") || said(&r).contains("company"),
                "{}",
                said(&r)
            );
            let r = say(&b, &s, "Nowak Sp. z o.o.").await;
            assert!(said(&r).starts_with("Dziękuję"), "{engine}: {}", said(&r));
            let l = leads(&b).await;
            assert_eq!(l[0].name.as_deref(), Some("Jan"));
            assert_eq!(
                l[0].custom.get("Company").map(String::as_str),
                Some("Nowak Sp. z o.o.")
            );
            // Everything is known: no more requests, ever.
            let r = say(&b, &s, "Czy macie wersję próbną?").await;
            assert!(
                !r.events
                    .iter()
                    .any(|e| matches!(e, VisitorEvent::InformationRequest { .. })),
                "{engine}: {:?}",
                r.events
            );
        }
    }
}

#[tokio::test]
async fn an_invalid_answer_is_asked_again_once_then_skipped_and_never_asked_twice() {
    for db in common::all_dbs().await {
        let b = Baton::open(&db.url).await.unwrap();
        set(
            &b,
            json!({"gathering": {"enabled": true, "after_messages": 1, "how": "direct",
                "fields": [{"kind": "phone"}, {"kind": "email"}]}}),
        )
        .await;
        let s = start(&b).await;
        let r = say(&b, &s, "Do you deliver on Sundays?").await;
        assert!(said(&r).contains("phone number"), "{}", said(&r));
        // Without a country, a national number is not a valid one: asked again once.
        let r = say(&b, &s, "0612 345").await;
        assert!(
            said(&r).starts_with("Sorry, that doesn't look like a valid phone number"),
            "{}",
            said(&r)
        );
        let r = say(&b, &s, "123").await;
        assert!(said(&r).starts_with("No problem"), "{}", said(&r));
        assert_eq!(
            lead_steps(&b, s.conversation.id).await,
            ["asked", "invalid", "skipped"]
        );
        // Passed over: the visitor asks something else instead of answering the email request.
        let s = start(&b).await;
        say(&b, &s, "Do you deliver on Sundays?").await;
        let r = say(&b, &s, "+44 20 7946 0958").await;
        assert!(said(&r).contains("email address"), "{}", said(&r));
        let r = say(&b, &s, "Actually, what is the price of delivery to Spain?").await;
        assert!(!said(&r).contains("email"), "{}", said(&r));
        let r = say(&b, &s, "And to Portugal?").await;
        assert!(
            !said(&r).contains("email"),
            "never asked twice: {}",
            said(&r)
        );
        let steps = lead_steps(&b, s.conversation.id).await;
        assert_eq!(
            steps,
            ["asked", "collected", "asked", "unanswered", "interest"],
            "then nothing left to ask (a price question is interest, recorded)"
        );
        let lead = leads(&b)
            .await
            .into_iter()
            .find(|l| l.conversation_id == Some(s.conversation.id))
            .unwrap();
        assert_eq!(lead.phone.as_deref(), Some("+442079460958"));
    }
}

#[tokio::test]
async fn the_contact_form_at_each_position_checked_with_consent_stored() {
    for db in common::all_dbs().await {
        let b = Baton::open(&db.url).await.unwrap();
        // After the first response.
        set(
            &b,
            json!({"contact_form": {"enabled": true, "position": "after_first_response",
                "name": "required", "email": "required", "phone": "optional",
                "consent": true, "consent_message": "I agree to be contacted."}}),
        )
        .await;
        let s = start(&b).await;
        assert!(s.contact_form.is_none());
        let r = say(&b, &s, "Hi, do you sell gift cards?").await;
        assert!(has_form(&r), "{:?}", r.events);
        let form = r
            .events
            .iter()
            .find_map(|e| match e {
                VisitorEvent::ContactForm { form } => Some(form.clone()),
                _ => None,
            })
            .unwrap();
        assert_eq!(
            form.consent_message.as_deref(),
            Some("I agree to be contacted.")
        );
        assert_eq!(form.fields.len(), 3);
        let r = say(&b, &s, "And vouchers?").await;
        assert!(!has_form(&r), "once: {:?}", r.events);
        // Checked in the core: each problem names its field, and nothing is written.
        let err = b
            .visitor_form_submit(
                s.conversation.id,
                &s.visitor_token,
                ContactFormSubmit {
                    name: None,
                    email: Some("chloe@".into()),
                    phone: None,
                    consent: false,
                },
            )
            .await
            .unwrap_err();
        let fields: Vec<String> = match err {
            baton::error::Error::Validation(v) => v.into_iter().map(|f| f.field).collect(),
            e => panic!("{e:?}"),
        };
        assert_eq!(fields, ["name", "email", "consent"]);
        assert!(leads(&b).await.is_empty());
        let ok = b
            .visitor_form_submit(
                s.conversation.id,
                &s.visitor_token,
                ContactFormSubmit {
                    name: Some("Chloé".into()),
                    email: Some("Chloe@Example.fr".into()),
                    phone: Some("+33 1 42 68 53 00".into()),
                    consent: true,
                },
            )
            .await
            .unwrap();
        assert!(
            ok.message.text.ends_with("How can we help you, Chloé?"),
            "{}",
            ok.message.text
        );
        let l = leads(&b).await;
        assert_eq!(l.len(), 1);
        assert_eq!(l[0].source, LeadSource::ContactForm);
        assert_eq!(l[0].name.as_deref(), Some("Chloé"));
        assert_eq!(l[0].email.as_deref(), Some("chloe@example.fr"));
        assert_eq!(l[0].phone.as_deref(), Some("+33142685300"));
        assert_eq!(
            l[0].consent_text.as_deref(),
            Some("I agree to be contacted.")
        );
        assert!(l[0].consent_at.is_some());
        let detail = b.conversation_open(ME, s.conversation.id).await.unwrap();
        let submitted = detail
            .timeline
            .iter()
            .find(|e| e.kind.as_str() == "contact_form")
            .and_then(|e| e.text.clone())
            .unwrap();
        assert_eq!(
            submitted,
            "Chloé · chloe@example.fr · +33142685300 · consent given"
        );
        assert!(detail.messages.iter().any(|m| m.text == ok.message.text));

        // At start: in the session; the success message without a name.
        set(
            &b,
            json!({"contact_form": {"enabled": true, "position": "at_start", "name": "optional",
                "email": "off", "phone": "required"}}),
        )
        .await;
        let s = start(&b).await;
        let form = s.contact_form.clone().expect("the form at start");
        assert_eq!(
            form.fields
                .iter()
                .map(|f| f.name.as_str())
                .collect::<Vec<_>>(),
            ["name", "phone"]
        );
        let r = say(&b, &s, "Hello").await;
        assert!(!has_form(&r));
        let ok = b
            .visitor_form_submit(
                s.conversation.id,
                &s.visitor_token,
                ContactFormSubmit {
                    phone: Some("+1 415 555 2671".into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(
            ok.message.text,
            "Thank you for sharing your details with us. How can we help you?"
        );

        // At the end: when the visitor ends the chat, once.
        set(
            &b,
            json!({"contact_form": {"enabled": true, "position": "at_end"}}),
        )
        .await;
        let s = start(&b).await;
        assert!(s.contact_form.is_none());
        assert!(!has_form(&say(&b, &s, "Thanks, bye").await));
        let ended = b
            .visitor_end(s.conversation.id, &s.visitor_token)
            .await
            .unwrap();
        assert!(ended.contact_form.is_some());
        b.visitor_form_submit(
            s.conversation.id,
            &s.visitor_token,
            ContactFormSubmit {
                email: Some("late@example.com".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let again = b
            .visitor_end(s.conversation.id, &s.visitor_token)
            .await
            .unwrap();
        assert!(again.contact_form.is_none(), "submitted: not shown again");
        let detail = b.conversation_open(ME, s.conversation.id).await.unwrap();
        assert_eq!(
            detail
                .timeline
                .iter()
                .filter(|e| e.kind.as_str() == "ended_by_visitor")
                .count(),
            1
        );

        // Off: the form cannot be submitted.
        set(&b, json!({})).await;
        let s = start(&b).await;
        let err = b
            .visitor_form_submit(
                s.conversation.id,
                &s.visitor_token,
                ContactFormSubmit {
                    email: Some("x@example.com".into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap_err();
        assert!(
            matches!(err, baton::error::Error::Conflict { .. }),
            "{err:?}"
        );
        // A wrong token is a 404, never a form.
        let err = b
            .visitor_form_submit(s.conversation.id, "v_wrong", ContactFormSubmit::default())
            .await
            .unwrap_err();
        assert!(
            matches!(err, baton::error::Error::NotFound { .. }),
            "{err:?}"
        );
    }
}

#[tokio::test]
async fn the_contact_form_over_http() {
    for db in common::all_dbs().await {
        let server = common::TestServer::start(db).await;
        let b = server.baton.clone();
        set(
            &b,
            json!({"contact_form": {"enabled": true, "position": "at_start", "consent": true}}),
        )
        .await;
        let http = common::client();
        let started: Value = http
            .post(server.url("/v1/visitor/conversations"))
            .json(&json!({}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(started["contact_form"]["submit_label"], "Send");
        let id = started["conversation"]["id"].as_i64().unwrap();
        let token = started["visitor_token"].as_str().unwrap();
        let url = server.url(&format!("/v1/visitor/conversations/{id}/contact-form"));
        let bad = http
            .post(&url)
            .header("X-Visitor-Token", token)
            .json(&json!({"email": "a@example.com"}))
            .send()
            .await
            .unwrap();
        assert_eq!(bad.status(), 422);
        let body: Value = bad.json().await.unwrap();
        assert_eq!(body["errors"][0]["field"], "consent");
        let ok = http
            .post(&url)
            .header("X-Visitor-Token", token)
            .json(&json!({"email": "a@example.com", "consent": true}))
            .send()
            .await
            .unwrap();
        assert_eq!(ok.status(), 200);
        let unknown = http
            .post(&url)
            .header("X-Visitor-Token", token)
            .json(&json!({"email": "a@example.com", "consent": true, "age": 3}))
            .send()
            .await
            .unwrap();
        assert_eq!(unknown.status(), 422, "unknown fields are refused");
        let end = http
            .post(server.url(&format!("/v1/visitor/conversations/{id}/end")))
            .header("X-Visitor-Token", token)
            .send()
            .await
            .unwrap();
        assert_eq!(end.status(), 200);
        let leads: Value = http
            .get(server.url("/v1/leads"))
            .bearer_auth(&server.token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(leads["leads"][0]["source"], "contact_form");
        assert_eq!(leads["leads"][0]["email"], "a@example.com");
        server.stop().await;
    }
}
