//! Every limit of a webhook endpoint, in one place, and the checks of a save: every invalid
//! field is reported at once, by its path (`url`, `events[1]`, `allow[0]`).

use std::str::FromStr;

use super::model::{WebhookEvent, WebhookInput};
use crate::error::{Problems, Result};
use crate::outbound::Allow;

pub const NAME_MAX_CHARS: usize = crate::actions::validate::NAME_MAX_CHARS;
pub const DESCRIPTION_MAX_CHARS: usize = 2000;
pub const URL_MAX_CHARS: usize = 2000;
pub const SUCCESS_MESSAGE_MAX_CHARS: usize = 1000;
pub const ALLOW_MAX: usize = 20;
/// A delivery succeeds with a 2xx within this many seconds.
pub const TIMEOUT_SECS: u64 = 15;
/// What an attempt keeps of the answer's body, in bytes.
pub const RESPONSE_EXCERPT_BYTES: usize = 2048;
/// How long the previous secret still signs after a rotation, in hours.
pub const ROTATION_HOURS: i64 = 24;
/// Days finished deliveries are kept in the delivery log (`baton serve
/// --webhook-delivery-days`).
pub const DELIVERY_RETENTION_DEFAULT_DAYS: u32 = 30;
/// One page of the delivery log: default and most.
pub const PAGE_DEFAULT: u32 = 50;
pub const PAGE_MAX: u32 = 200;

pub const DEFAULT_SUCCESS_MESSAGE: &str = "Thanks, your request has been sent to our team.";

/// An endpoint that passed every check, normalized, ready to store.
#[derive(Debug, Clone)]
pub(crate) struct Valid {
    pub name: String,
    pub description: String,
    pub url: String,
    pub send_chat_summary: bool,
    pub success_message: String,
    pub active: bool,
    pub events: Vec<WebhookEvent>,
    pub allow: Vec<String>,
}

/// Parses an allow-list (entries already trimmed); errors at `allow[i]`.
pub(crate) fn allow_list(p: &mut Problems, allow: &[String]) -> Vec<Allow> {
    let mut out = Vec::new();
    for (i, entry) in allow.iter().enumerate() {
        match Allow::from_str(entry) {
            Ok(a) => out.push(a),
            Err(e) => p.push(format!("allow[{i}]"), "invalid_allow", e),
        }
    }
    out
}

/// Checks a save.
pub(crate) fn validate(input: WebhookInput) -> Result<Valid> {
    let mut p = Problems::new();

    let name = input.name.trim().to_owned();
    if name.is_empty() {
        p.push("name", "required", "must not be empty");
    } else if !crate::actions::validate::is_action_name(&name) {
        p.push(
            "name",
            "invalid_name",
            format!(
                "use lower-case letters, digits and _ only, starting with a letter, at most \
                 {NAME_MAX_CHARS} characters (like create_support_ticket)"
            ),
        );
    }
    let description = input.description.unwrap_or_default().trim().to_owned();
    p.max_chars("description", &description, DESCRIPTION_MAX_CHARS);
    let success_message = input
        .success_message
        .map(|m| m.trim().to_owned())
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| DEFAULT_SUCCESS_MESSAGE.to_owned());
    p.max_chars(
        "success_message",
        &success_message,
        SUCCESS_MESSAGE_MAX_CHARS,
    );

    let raw_allow = input.allow.unwrap_or_default();
    if raw_allow.len() > ALLOW_MAX {
        p.push("allow", "too_many", format!("at most {ALLOW_MAX} entries"));
    }
    let allow: Vec<String> = raw_allow.iter().map(|a| a.trim().to_owned()).collect();
    let parsed_allow = allow_list(&mut p, &allow);

    let url = input.url.trim().to_owned();
    if url.is_empty() {
        p.push("url", "required", "must not be empty");
    } else if url.chars().count() > URL_MAX_CHARS {
        p.max_chars("url", &url, URL_MAX_CHARS);
    } else {
        match url::Url::parse(&url) {
            Err(_) => p.push(
                "url",
                "invalid_url",
                "Enter a full address, such as https://example.com/hooks/baton",
            ),
            Ok(u) if !matches!(u.scheme(), "http" | "https") || u.host_str().is_none() => p.push(
                "url",
                "invalid_url",
                "The address must start with https:// or http://",
            ),
            Ok(u) if !u.username().is_empty() || u.password().is_some() => p.push(
                "url",
                "invalid_url",
                "Put no user name or password in the address: receivers verify the signature",
            ),
            Ok(u) if u.fragment().is_some() => {
                p.push("url", "invalid_url", "An address to call has no #fragment")
            }
            Ok(u) => {
                if let Some(why) = crate::outbound::literal_refusal(&u, &parsed_allow) {
                    p.push(
                        "url",
                        "blocked_address",
                        format!("{why}: add it to this webhook's allow-list to call it"),
                    );
                }
            }
        }
    }

    let mut events: Vec<WebhookEvent> = Vec::new();
    for (i, e) in input.events.unwrap_or_default().into_iter().enumerate() {
        if e == WebhookEvent::Test {
            p.push(
                format!("events[{i}]"),
                "not_subscribable",
                "webhook.test is sent by the test button only",
            );
        } else if e == WebhookEvent::ActionTriggered {
            p.push(
                format!("events[{i}]"),
                "not_subscribable",
                "action.triggered is sent when the agent triggers this webhook (give it a \
                 description): it needs no subscription",
            );
        } else if events.contains(&e) {
            p.push(
                format!("events[{i}]"),
                "duplicate",
                format!("{} is listed twice", e.as_str()),
            );
        } else {
            events.push(e);
        }
    }

    p.into_result()?;
    Ok(Valid {
        name,
        description,
        url,
        send_chat_summary: input.send_chat_summary.unwrap_or(false),
        success_message,
        active: input.active.unwrap_or(true),
        events,
        allow,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(v: serde_json::Value) -> WebhookInput {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn every_invalid_field_is_named_at_once() {
        let e = validate(input(serde_json::json!({
            "name": "Not A Slug",
            "url": "http://127.0.0.1:9/hook",
            "events": ["handoff.requested", "handoff.requested", "webhook.test",
                       "action.triggered"],
            "allow": ["not a network/99"],
            "description": "x".repeat(2001),
        })))
        .unwrap_err();
        let fields: Vec<&str> = e.field_errors().iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "name",
                "description",
                "allow[0]",
                "url",
                "events[1]",
                "events[2]",
                "events[3]"
            ]
        );
    }

    #[test]
    fn a_loopback_literal_needs_the_allow_list() {
        let ok = validate(input(serde_json::json!({
            "name": "crm", "url": "http://127.0.0.1:9/hook", "allow": ["127.0.0.1"],
        })))
        .unwrap();
        assert!(ok.active && !ok.send_chat_summary);
        assert_eq!(ok.success_message, DEFAULT_SUCCESS_MESSAGE);
        for bad in [
            "ftp://example.com/x",
            "https://user:pw@example.com/x",
            "https://example.com/x#frag",
            "example.com/hook",
            "http://[::ffff:127.0.0.1]/x",
            "http://2130706433/x",
            "http://169.254.169.254/latest",
        ] {
            let e = validate(input(serde_json::json!({"name": "crm", "url": bad}))).unwrap_err();
            assert_eq!(e.field(), Some("url"), "{bad}");
        }
    }
}
