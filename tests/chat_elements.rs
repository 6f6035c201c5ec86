//! Chat elements in real conversations, on every database with the built-in engine: an
//! action button group shown under the answer to a matching question (and not for
//! another), a click recorded on the timeline; handover channels replacing the confirmation
//! with channel buttons (WhatsApp carrying the summary), the choice recorded, the email
//! channel's form checked in the core and leading to the support email and the lead.

use crate::common;

use baton::auth::Actor;
use baton::chat::model::{ButtonClick, ChannelChoice, HandoverChannel};
use baton::conversations::pipeline::{ConversationStart, VisitorMessageInput, VisitorReply};
use baton::conversations::{Channel, VisitorEvent};
use baton::leads::model::ContactFormSubmit;
use baton::Baton;
use serde_json::json;

const ME: &Actor = &Actor::Local;

async fn say(b: &Baton, id: baton::Id, token: &str, text: &str) -> VisitorReply {
    b.visitor_message(
        id,
        token,
        VisitorMessageInput {
            text: text.into(),
            ..Default::default()
        },
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn buttons_show_for_a_matching_question_and_a_click_is_recorded() {
    for db in common::all_dbs().await {
        eprintln!("buttons on {}", db.label);
        let b = Baton::open(&db.url).await.unwrap();
        let saved = b
            .button_groups_set(
                ME,
                serde_json::from_value(json!({"groups": [{
                    "name": "Pricing",
                    "trigger": "When the visitor asks about cost, prices or plans",
                    "examples": ["how much is it?"],
                    "buttons": [
                        {"label": "View pricing", "url": "https://shop.example/pricing", "icon": "lucide:dollar-sign"},
                        {"label": "Compare plans", "url": "https://shop.example/compare"}
                    ]
                }]}))
                .unwrap(),
            )
            .await
            .unwrap();
        let group = &saved.groups[0];
        assert_eq!(group.id.len(), 12, "an id is given");
        let s = b
            .conversation_start(ConversationStart {
                channel: Some(Channel::Widget),
                ..Default::default()
            })
            .await
            .unwrap();
        let (id, token) = (s.conversation.id, s.visitor_token.as_str());
        let other = say(&b, id, token, "Do you ship to Norway?").await;
        assert!(
            !other
                .events
                .iter()
                .any(|e| matches!(e, VisitorEvent::Buttons { .. })),
            "{:?}",
            other.events
        );
        let r = say(&b, id, token, "How much does the Pro plan cost per month?").await;
        let Some(VisitorEvent::Buttons { group_id, buttons }) = r
            .events
            .iter()
            .find(|e| matches!(e, VisitorEvent::Buttons { .. }))
        else {
            panic!("no buttons for a pricing question: {:?}", r.events);
        };
        assert_eq!(group_id, &group.id);
        assert_eq!(buttons.len(), 2);
        assert_eq!(
            buttons[0].icon_url.as_deref(),
            Some("/v1/icons/lucide:dollar-sign")
        );
        assert_eq!(buttons[1].icon_url, None);
        b.visitor_button_click(
            id,
            token,
            ButtonClick {
                group_id: group.id.clone(),
                index: 1,
            },
        )
        .await
        .unwrap();
        let missing = b
            .visitor_button_click(
                id,
                token,
                ButtonClick {
                    group_id: group.id.clone(),
                    index: 7,
                },
            )
            .await;
        assert!(missing.is_err());
        let detail = b.conversation_open(ME, id).await.unwrap();
        let clicks: Vec<String> = detail
            .timeline
            .iter()
            .filter(|e| e.kind.as_str() == "button_clicked")
            .filter_map(|e| e.text.clone())
            .collect();
        assert_eq!(
            clicks,
            ["“Compare plans” (Pricing) → https://shop.example/compare"]
        );
        // Switched off: no buttons.
        let mut off = saved.groups.clone();
        off[0].active = false;
        b.button_groups_set(
            ME,
            serde_json::from_value(json!({ "groups": off })).unwrap(),
        )
        .await
        .unwrap();
        let r = say(&b, id, token, "What are your prices?").await;
        assert!(!r
            .events
            .iter()
            .any(|e| matches!(e, VisitorEvent::Buttons { .. })));
    }
}

#[tokio::test]
async fn a_handover_offers_the_channels_and_the_email_form_sends_to_support() {
    for db in common::all_dbs().await {
        eprintln!("handover channels on {}", db.label);
        let b = Baton::open(&db.url).await.unwrap();
        common::configure(&b, json!({"settings": {"is_active": true}})).await;
        let bad = b
            .handover_channels_set(
                ME,
                serde_json::from_value(json!({"channels": {
                    "transition_message": "Choose how to reach us.",
                    "confirmation_message": "Thanks, we will write back soon.",
                    "inbox": {"enabled": false},
                    "email": {"enabled": false, "address": "", "send_confirmation": false},
                    "whatsapp": {"enabled": false, "phone": ""},
                    "telegram": {"enabled": false, "username": ""},
                    "instagram": {"enabled": false, "username": ""},
                    "messenger": {"enabled": false, "username": ""}
                }}))
                .unwrap(),
            )
            .await;
        assert!(bad.is_err(), "at least one channel");
        b.handover_channels_set(
            ME,
            serde_json::from_value(json!({"channels": {
                "transition_message": "Choose how to reach us.",
                "confirmation_message": "Thanks, we will write back soon.",
                "inbox": {"enabled": true},
                "email": {"enabled": true, "address": "help@shop.example", "send_confirmation": true},
                "whatsapp": {"enabled": true, "phone": "+44 20 7946 0958"},
                "telegram": {"enabled": false, "username": ""},
                "instagram": {"enabled": false, "username": ""},
                "messenger": {"enabled": false, "username": ""}
            }}))
            .unwrap(),
        )
        .await
        .unwrap();
        let s = b
            .conversation_start(ConversationStart {
                channel: Some(Channel::Widget),
                ..Default::default()
            })
            .await
            .unwrap();
        let (id, token) = (s.conversation.id, s.visitor_token.as_str());
        say(&b, id, token, "My parcel 4521 never arrived").await;
        let r = say(&b, id, token, "I want to talk to a human").await;
        let Some(VisitorEvent::HandoverChannels { text, channels }) = r
            .events
            .iter()
            .find(|e| matches!(e, VisitorEvent::HandoverChannels { .. }))
        else {
            panic!("no channels: {:?}", r.events);
        };
        assert_eq!(text, "Choose how to reach us.");
        let kinds: Vec<HandoverChannel> = channels.iter().map(|c| c.channel).collect();
        assert_eq!(
            kinds,
            [
                HandoverChannel::Inbox,
                HandoverChannel::Email,
                HandoverChannel::Whatsapp
            ]
        );
        let wa = channels[2].url.clone().unwrap();
        assert!(wa.starts_with("https://wa.me/442079460958?text="), "{wa}");
        let prefilled = url::Url::parse(&wa)
            .unwrap()
            .query_pairs()
            .next()
            .unwrap()
            .1
            .into_owned();
        assert!(prefilled.contains(&format!("#{id}")), "{prefilled}");
        assert!(prefilled.contains("4521"), "the summary: {prefilled}");

        let chosen = b
            .visitor_channel_choose(
                id,
                token,
                ChannelChoice {
                    channel: HandoverChannel::Email,
                },
            )
            .await
            .unwrap();
        assert!(chosen.contact_form.is_some());
        let bad = b
            .visitor_handover_email(
                id,
                token,
                ContactFormSubmit {
                    name: Some("Anna".into()),
                    email: Some("anna@".into()),
                    phone: None,
                    consent: false,
                },
            )
            .await;
        assert!(bad.is_err(), "checked in the core");
        let ok = b
            .visitor_handover_email(
                id,
                token,
                ContactFormSubmit {
                    name: Some("Anna".into()),
                    email: Some("anna@example.com".into()),
                    phone: None,
                    consent: false,
                },
            )
            .await
            .unwrap();
        assert_eq!(ok.message.text, "Thanks, we will write back soon.");
        let mails = b.notification_list(ME).await.unwrap();
        let support = mails
            .iter()
            .find(|m| m.recipients.contains("help@shop.example"))
            .expect("the support email is queued");
        assert!(
            support.subject.contains(&format!("#{id}")),
            "{}",
            support.subject
        );
        assert!(mails
            .iter()
            .any(|m| m.recipients.contains("anna@example.com")));
        let detail = b.conversation_open(ME, id).await.unwrap();
        let chosen: Vec<String> = detail
            .timeline
            .iter()
            .filter(|e| e.kind.as_str() == "channel_chosen")
            .filter_map(|e| e.text.clone())
            .collect();
        assert_eq!(chosen, ["email"]);
        assert_eq!(
            detail
                .conversation
                .gathered
                .get("Email")
                .map(String::as_str),
            Some("anna@example.com")
        );
    }
}
