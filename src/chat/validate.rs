//! Every limit of the chat elements, and the checks of a save, all reported at once by path.

use super::icons::IconRef;
use super::model::{ButtonGroup, HandoverChannels};
use crate::error::{Problems, Result};

pub const GROUPS_MAX: usize = 5;
pub const BUTTONS_MIN: usize = 1;
pub const BUTTONS_MAX: usize = 3;
pub const GROUP_NAME_MAX: usize = 100;
pub const LABEL_MAX: usize = 40;
pub const URL_MAX: usize = 2000;
pub const TRIGGER_MAX: usize = 500;
pub const EXAMPLES_MAX: usize = 20;
pub const EXAMPLE_MAX: usize = 200;
pub const CHANNEL_MESSAGE_MAX: usize = 500;

/// A link a visitor may be sent to: `http(s)://` with a host, no credentials, no spaces.
pub fn check_link(url: &str) -> std::result::Result<(), &'static str> {
    let Ok(u) = url::Url::parse(url) else {
        return Err("not a web address (https://…)");
    };
    if !matches!(u.scheme(), "https" | "http") {
        return Err("must start with https:// or http://");
    }
    if u.host_str().is_none_or(str::is_empty) {
        return Err("has no host");
    }
    if !u.username().is_empty() || u.password().is_some() {
        return Err("must not carry a user name or password");
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("must not contain spaces");
    }
    Ok(())
}

fn has_control(s: &str) -> bool {
    s.chars().any(|c| c.is_control() && c != '\n')
}

/// Checks the groups (trimmed by the caller); every problem at once.
pub fn button_groups(groups: &[ButtonGroup]) -> Result<()> {
    let mut p = Problems::new();
    if groups.len() > GROUPS_MAX {
        p.push(
            "groups",
            "too_many",
            format!("at most {GROUPS_MAX} button groups per agent"),
        );
    }
    for (i, g) in groups.iter().enumerate() {
        let at = |f: &str| format!("groups[{i}].{f}");
        p.not_blank(&at("name"), &g.name);
        p.max_chars(&at("name"), &g.name, GROUP_NAME_MAX);
        if groups[..i]
            .iter()
            .any(|o| o.name.trim().eq_ignore_ascii_case(g.name.trim()))
        {
            p.push(at("name"), "duplicate", "another group has this name");
        }
        if g.trigger.trim().is_empty() {
            p.push(
                at("trigger"),
                "required",
                "say when these buttons should appear",
            );
        }
        p.max_chars(&at("trigger"), &g.trigger, TRIGGER_MAX);
        if g.buttons.len() < BUTTONS_MIN || g.buttons.len() > BUTTONS_MAX {
            p.push(
                at("buttons"),
                "count",
                format!("a group has {BUTTONS_MIN} to {BUTTONS_MAX} buttons"),
            );
        }
        for (j, b) in g.buttons.iter().enumerate() {
            let at = |f: &str| format!("groups[{i}].buttons[{j}].{f}");
            p.not_blank(&at("label"), &b.label);
            p.max_chars(&at("label"), &b.label, LABEL_MAX);
            if has_control(&b.label) {
                p.push(
                    at("label"),
                    "invalid",
                    "must not contain control characters",
                );
            }
            p.max_chars(&at("url"), &b.url, URL_MAX);
            if let Err(m) = check_link(&b.url) {
                p.push(at("url"), "invalid_url", m);
            }
            if let Some(icon) = &b.icon {
                if IconRef::parse(icon).is_none() {
                    p.push(
                        at("icon"),
                        "unknown_icon",
                        "not a built-in icon (lucide:NAME) or an uploaded one (upload:…)",
                    );
                }
            }
        }
        if g.examples.len() > EXAMPLES_MAX {
            p.push(
                at("examples"),
                "too_many",
                format!("at most {EXAMPLES_MAX} examples"),
            );
        }
        for (j, e) in g.examples.iter().enumerate() {
            p.max_chars(&format!("groups[{i}].examples[{j}]"), e, EXAMPLE_MAX);
        }
        for (f, v) in [("name", &g.name), ("trigger", &g.trigger)] {
            if v.contains('\0') {
                p.push(at(f), "invalid", "must not contain NUL");
            }
        }
    }
    p.into_result()
}

/// A Telegram or Instagram username, a Messenger page name or id (without `@`).
fn check_handle(which: &str, name: &str) -> std::result::Result<(), String> {
    let (min, max, extra): (usize, usize, &[char]) = match which {
        // Telegram: 5–32 of a–z, 0–9 and _, starting with a letter.
        "telegram" => (5, 32, &['_']),
        // Instagram: up to 30 of letters, digits, . and _.
        "instagram" => (1, 30, &['.', '_']),
        // Messenger: a page's username (letters, digits, .) or its numeric id.
        _ => (1, 50, &['.']),
    };
    if name.starts_with('@') {
        return Err("write it without the @".into());
    }
    let n = name.chars().count();
    if n < min || n > max {
        return Err(format!("must be {min} to {max} characters"));
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || extra.contains(&c))
    {
        let allowed = extra
            .iter()
            .map(|c| format!("'{c}'"))
            .collect::<Vec<_>>()
            .join(" and ");
        return Err(format!("only letters, digits and {allowed}"));
    }
    if which == "telegram" && !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Err("must start with a letter".into());
    }
    Ok(())
}

/// Checks the channels and normalises what can be (the WhatsApp number to E.164, the
/// support address trimmed); every problem at once. At least one channel must be on.
pub fn channels(c: &mut HandoverChannels) -> Result<()> {
    let mut p = Problems::new();
    for (f, v) in [
        ("transition_message", &c.transition_message),
        ("confirmation_message", &c.confirmation_message),
    ] {
        p.not_blank(f, v);
        p.max_chars(f, v, CHANNEL_MESSAGE_MAX);
        if v.contains('\0') {
            p.push(f, "invalid", "must not contain NUL");
        }
    }
    if c.enabled().is_empty() {
        p.push(
            "inbox.enabled",
            "no_channel",
            "turn on at least one way to reach your team",
        );
    }
    c.email.address = c.email.address.trim().to_owned();
    if c.email.enabled || !c.email.address.is_empty() {
        if c.email.address.is_empty() {
            p.push(
                "email.address",
                "required",
                "the support address is required",
            );
        } else if !crate::fields::is_valid_email(&c.email.address) {
            p.push("email.address", "invalid_email", "not an email address");
        }
    }
    let phone = c.whatsapp.phone.trim().to_owned();
    if c.whatsapp.enabled || !phone.is_empty() {
        if !phone.starts_with('+') {
            p.push(
                "whatsapp.phone",
                "invalid_phone",
                "write the number in international format, e.g. +14155550123",
            );
        } else {
            match crate::fields::phone_e164(&phone, None) {
                Some(e164) => c.whatsapp.phone = e164,
                None => p.push(
                    "whatsapp.phone",
                    "invalid_phone",
                    "not a valid phone number",
                ),
            }
        }
    }
    for (which, ch) in [
        ("telegram", &mut c.telegram),
        ("instagram", &mut c.instagram),
        ("messenger", &mut c.messenger),
    ] {
        ch.username = ch.username.trim().to_owned();
        if ch.enabled || !ch.username.is_empty() {
            let field = format!("{which}.username");
            if ch.username.is_empty() {
                p.push(field, "required", "the username is required");
            } else if let Err(m) = check_handle(which, &ch.username) {
                p.push(field, "invalid", m);
            }
        }
    }
    p.into_result()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::model::ChatButton;
    use crate::error::Error;

    fn fields(e: Error) -> Vec<String> {
        match e {
            Error::Validation(v) => v.into_iter().map(|f| f.field).collect(),
            e => panic!("{e:?}"),
        }
    }

    fn group(name: &str) -> ButtonGroup {
        ButtonGroup {
            id: String::new(),
            name: name.into(),
            buttons: vec![ChatButton {
                label: "View pricing".into(),
                url: "https://shop.example/pricing".into(),
                icon: Some("lucide:dollar-sign".into()),
            }],
            trigger: "When the visitor asks about prices".into(),
            examples: vec![],
            active: true,
        }
    }

    #[test]
    fn groups_are_checked_all_at_once() {
        assert!(button_groups(&[group("Pricing")]).is_ok());
        let mut bad = group("pricing");
        bad.trigger = " ".into();
        bad.buttons[0].label = "x".repeat(41);
        bad.buttons[0].url = "javascript:alert(1)".into();
        bad.buttons[0].icon = Some("lucide:nope".into());
        assert_eq!(
            fields(button_groups(&[group("Pricing"), bad]).unwrap_err()),
            [
                "groups[1].name",
                "groups[1].trigger",
                "groups[1].buttons[0].label",
                "groups[1].buttons[0].url",
                "groups[1].buttons[0].icon"
            ]
        );
        let mut empty = group("Empty");
        empty.buttons.clear();
        let mut four = group("Four");
        four.buttons = vec![group("x").buttons[0].clone(); 4];
        assert_eq!(
            fields(button_groups(&[empty, four]).unwrap_err()),
            ["groups[0].buttons", "groups[1].buttons"]
        );
        let six: Vec<ButtonGroup> = (0..6).map(|i| group(&format!("g{i}"))).collect();
        assert_eq!(fields(button_groups(&six).unwrap_err()), ["groups"]);
        for bad in [
            "ftp://x.example",
            "https://",
            "https://user:pw@x.example",
            "https://x.example/a b",
        ] {
            assert!(check_link(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn channels_need_one_on_and_valid_details() {
        let mut c = HandoverChannels::default();
        assert!(channels(&mut c).is_ok());
        c.inbox.enabled = false;
        assert_eq!(fields(channels(&mut c).unwrap_err()), ["inbox.enabled"]);
        c.whatsapp.enabled = true;
        c.whatsapp.phone = " +44 20 7946 0958 ".into();
        c.telegram.enabled = true;
        c.telegram.username = "@acme".into();
        c.instagram.enabled = true;
        c.instagram.username = "acme shop".into();
        c.email.enabled = true;
        c.email.address = "support@".into();
        assert_eq!(
            fields(channels(&mut c).unwrap_err()),
            ["email.address", "telegram.username", "instagram.username"]
        );
        assert_eq!(c.whatsapp.phone, "+442079460958");
        c.telegram.username = "acme_support".into();
        c.instagram.username = "acme.shop".into();
        c.email.address = " help@acme.example ".into();
        assert!(channels(&mut c).is_ok());
        assert_eq!(c.email.address, "help@acme.example");
        c.whatsapp.phone = "07946 0958".into();
        assert_eq!(fields(channels(&mut c).unwrap_err()), ["whatsapp.phone"]);
    }
}
