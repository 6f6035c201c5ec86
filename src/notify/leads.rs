//! The two emails about leads (issue 11): the lead notification ([`lead_email`], when a
//! visitor's contact details are captured) and the conversation transcript
//! ([`transcript_email`], after a conversation ends). Both have a plain-text and an HTML part,
//! give every time in the business time zone with the zone named, and link to the
//! conversation in the inbox.
//!
//! What they hold is the visitor's contact details, the consent they gave and the visible
//! messages (never internal notes, metadata, tokens or settings). Every string may come from
//! a visitor, the AI agent or an operator, and is escaped ([`escape_html`]) in HTML and made
//! one line in the subject, as in the handoff email.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::email::{
    escape_html, escape_html_multiline, html_document, html_row, is_http_link, normalize_newlines,
    one_line, present, text_field, Email,
};
use crate::Id;

const SUBJECT_NAME_MAX_CHARS: usize = 60;
const SUBJECT_AGENT_MAX_CHARS: usize = 60;
const MUTED: &str = "color:#59636e;font-size:12px";

/// `2026-03-29 03:01 CEST`: `t` in `zone`, with the zone's abbreviation for that instant (so
/// the same zone reads CET in winter and CEST in summer).
pub fn local_time(t: DateTime<Utc>, zone: Tz) -> String {
    t.with_timezone(&zone)
        .format("%Y-%m-%d %H:%M %Z")
        .to_string()
}

/// The visitor's contact details, as far as known.
#[derive(Debug, Clone, Copy, Default)]
pub struct ContactDetails<'a> {
    pub name: Option<&'a str>,
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
    /// Other fields the visitor gave, as `(label, value)`.
    pub other: &'a [(String, String)],
}

impl ContactDetails<'_> {
    /// Who the visitor is in a subject line: the name, else the email, else the phone.
    fn who(&self) -> Option<String> {
        [self.name, self.email, self.phone]
            .into_iter()
            .flatten()
            .map(|s| one_line(s, SUBJECT_NAME_MAX_CHARS))
            .find(|s| !s.is_empty())
    }

    fn rows(&self) -> Vec<(&str, &str)> {
        let mut rows: Vec<(&str, &str)> = Vec::new();
        for (label, value) in [
            ("Name", self.name),
            ("Email", self.email),
            ("Phone", self.phone),
        ] {
            if let Some(v) = present(value) {
                rows.push((label, v));
            }
        }
        for (label, value) in self.other {
            if let Some(v) = present(Some(value)) {
                rows.push((label.trim(), v));
            }
        }
        rows
    }
}

/// One visible message of the conversation.
#[derive(Debug, Clone, Copy)]
pub struct Line<'a> {
    pub at: DateTime<Utc>,
    /// Who wrote it: the visitor (their name when known), the agent's name, the operator's
    /// name, `System`.
    pub who: &'a str,
    pub text: &'a str,
}

/// The messages an email shows: the newest ones, `omitted` older ones left out.
#[derive(Debug, Clone, Copy)]
pub struct Messages<'a> {
    pub lines: &'a [Line<'a>],
    pub omitted: usize,
}

/// Whether and how the visitor consented to their details being kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consent<'a> {
    /// No consent was asked for.
    NotAsked,
    /// The visitor agreed to this text at this time.
    Given { text: &'a str, at: DateTime<Utc> },
}

/// What the lead notification says.
#[derive(Debug, Clone, Copy)]
pub struct LeadEmail<'a> {
    pub agent_name: &'a str,
    pub conversation_id: Id,
    pub contact: ContactDetails<'a>,
    /// How the details were left: `contact form`, `data gathering`, …
    pub source: &'a str,
    pub consent: Consent<'a>,
    /// When the lead was captured.
    pub captured_at: DateTime<Utc>,
    /// The conversation so far.
    pub messages: Messages<'a>,
    /// The business time zone every time is shown in.
    pub zone: Tz,
    /// Where the operator opens the conversation. Only `http(s)` links become HTML links.
    pub link: &'a str,
}

/// How a conversation ended, for the transcript.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// Resolved at this time (when known).
    Resolved(Option<DateTime<Utc>>),
    /// No visitor message for `minutes` after the last one, at `last`.
    Idle { last: DateTime<Utc>, minutes: u32 },
    /// The visitor ended the chat at this time.
    ByVisitor(DateTime<Utc>),
}

/// What the conversation transcript says.
#[derive(Debug, Clone, Copy)]
pub struct TranscriptEmail<'a> {
    pub agent_name: &'a str,
    pub conversation_id: Id,
    pub visitor: ContactDetails<'a>,
    pub started_at: DateTime<Utc>,
    pub ended: Ended,
    /// Visible messages in the conversation (all of them, also those not shown).
    pub message_count: usize,
    pub messages: Messages<'a>,
    pub zone: Tz,
    pub link: &'a str,
}

fn agent_label(name: &str) -> String {
    let agent = one_line(name, SUBJECT_AGENT_MAX_CHARS);
    if agent.is_empty() {
        "AI agent".to_owned()
    } else {
        agent
    }
}

/// The lead notification. Subject: `[Baton] New lead: Ada Lovelace — Support Bot,
/// conversation #42`.
pub fn lead_email(to: Vec<String>, e: &LeadEmail) -> Email {
    let agent = agent_label(e.agent_name);
    let id = e.conversation_id;
    let who = e.contact.who().unwrap_or_else(|| "a visitor".to_owned());
    let subject = format!("[Baton] New lead: {who} — {agent}, conversation #{id}");
    let zone = e.zone.name();
    let captured = local_time(e.captured_at, e.zone);
    let consent = match e.consent {
        Consent::NotAsked => "not asked".to_owned(),
        Consent::Given { at, .. } => format!("given {}", local_time(at, e.zone)),
    };
    let consent_text = match e.consent {
        Consent::Given { text, .. } => present(Some(text)),
        Consent::NotAsked => None,
    };
    let source = one_line(e.source, 60);

    // Plain text.
    let mut text = format!(
        "{agent} captured a lead in conversation #{id} ({source}, {captured}).\n\n\
         Contact details:\n"
    );
    let rows = e.contact.rows();
    if rows.is_empty() {
        text.push_str("  (none given)\n");
    }
    for (label, value) in &rows {
        text.push_str("- ");
        text.push_str(&text_field(label, value));
    }
    text.push('\n');
    text.push_str(&text_field("Consent", &consent));
    if let Some(c) = consent_text {
        text.push_str(&text_field("Consent text", c));
    }
    text.push_str(&format!("\nThe conversation so far (times in {zone}):\n"));
    text.push_str(&messages_text(&e.messages, e.zone));
    text.push_str(&footer_text(e.link));

    // HTML.
    let mut body = format!(
        "<h2 style=\"margin:0 0 12px\">New lead</h2>\n\
         <p><strong>{}</strong> captured a lead in conversation #{id} ({}, {}).</p>\n\
         <h3>Contact details</h3>\n",
        escape_html(&agent),
        escape_html(&source),
        escape_html(&captured),
    );
    body.push_str(&details_html(&rows));
    body.push_str(
        "<h3>Consent</h3>\n<table cellpadding=\"4\" style=\"border-collapse:collapse\">\n",
    );
    body.push_str(&html_row("Consent", &consent));
    if let Some(c) = consent_text {
        body.push_str(&html_row("Consent text", c));
    }
    body.push_str("</table>\n");
    body.push_str(&format!(
        "<h3>The conversation so far</h3>\n<p style=\"{MUTED}\">Times in {}.</p>\n",
        escape_html(zone)
    ));
    body.push_str(&messages_html(&e.messages, e.zone));
    body.push_str(&footer_html(e.link, id));

    Email {
        to,
        html: Some(html_document(&subject, &body)),
        subject,
        text,
    }
}

/// The conversation transcript. Subject: `[Baton] Transcript: Ada Lovelace — Support Bot,
/// conversation #42`.
pub fn transcript_email(to: Vec<String>, e: &TranscriptEmail) -> Email {
    let agent = agent_label(e.agent_name);
    let id = e.conversation_id;
    let who = e.visitor.who().unwrap_or_else(|| "a visitor".to_owned());
    let subject = format!("[Baton] Transcript: {who} — {agent}, conversation #{id}");
    let zone = e.zone.name();
    let date = e
        .started_at
        .with_timezone(&e.zone)
        .format("%Y-%m-%d")
        .to_string();
    let started = local_time(e.started_at, e.zone);
    let ended = match e.ended {
        Ended::Resolved(Some(at)) => format!("resolved {}", local_time(at, e.zone)),
        Ended::Resolved(None) => "resolved".to_owned(),
        Ended::Idle { last, minutes } => format!(
            "no visitor message for {minutes} minutes after {}",
            local_time(last, e.zone)
        ),
        Ended::ByVisitor(at) => format!("ended by the visitor {}", local_time(at, e.zone)),
    };
    let count = e.message_count;
    let count_text = format!("{count} message{}", if count == 1 { "" } else { "s" });
    let summary = [
        ("Date", format!("{date} ({zone})")),
        ("Started", started),
        ("Ended", ended),
        ("Messages", count.to_string()),
    ];

    // Plain text.
    let mut text = format!("Transcript of conversation #{id} with {agent} ({count_text}).\n\n");
    for (label, value) in &summary {
        text.push_str(&text_field(label, value));
    }
    text.push_str("\nVisitor:\n");
    let rows = e.visitor.rows();
    if rows.is_empty() {
        text.push_str("  (no details given)\n");
    }
    for (label, value) in &rows {
        text.push_str("- ");
        text.push_str(&text_field(label, value));
    }
    text.push_str(&format!("\nMessages (times in {zone}):\n"));
    text.push_str(&messages_text(&e.messages, e.zone));
    text.push_str(&footer_text(e.link));

    // HTML.
    let mut body = format!(
        "<h2 style=\"margin:0 0 12px\">Conversation transcript</h2>\n\
         <p>Conversation #{id} with <strong>{}</strong> ({count_text}).</p>\n\
         <table cellpadding=\"4\" style=\"border-collapse:collapse\">\n",
        escape_html(&agent),
    );
    for (label, value) in &summary {
        body.push_str(&html_row(label, value));
    }
    body.push_str("</table>\n<h3>Visitor</h3>\n");
    body.push_str(&details_html(&rows));
    body.push_str(&format!(
        "<h3>Messages</h3>\n<p style=\"{MUTED}\">Times in {}.</p>\n",
        escape_html(zone)
    ));
    body.push_str(&messages_html(&e.messages, e.zone));
    body.push_str(&footer_html(e.link, id));

    Email {
        to,
        html: Some(html_document(&subject, &body)),
        subject,
        text,
    }
}

fn details_html(rows: &[(&str, &str)]) -> String {
    if rows.is_empty() {
        return "<p>(none given)</p>\n".to_owned();
    }
    let mut out = "<table cellpadding=\"4\" style=\"border-collapse:collapse\">\n".to_owned();
    for (label, value) in rows {
        out.push_str(&html_row(label, value));
    }
    out.push_str("</table>\n");
    out
}

fn omitted_note(n: usize) -> String {
    format!(
        "{n} earlier message{} not shown; open the conversation to read {}.",
        if n == 1 { " is" } else { "s are" },
        if n == 1 { "it" } else { "them" }
    )
}

/// `[2026-12-02 09:14 CET] Ada: text`, continuation lines indented.
fn messages_text(m: &Messages, zone: Tz) -> String {
    let mut out = String::new();
    if m.omitted > 0 {
        out.push_str(&format!("({})\n", omitted_note(m.omitted)));
    }
    if m.lines.is_empty() {
        out.push_str("  (no messages)\n");
    }
    for line in m.lines {
        let who = one_line(line.who, 80);
        let text = normalize_newlines(line.text.trim());
        let mut parts = text.lines();
        out.push_str(&format!(
            "[{}] {who}: {}\n",
            local_time(line.at, zone),
            parts.next().unwrap_or_default()
        ));
        for part in parts {
            out.push_str("    ");
            out.push_str(part);
            out.push('\n');
        }
    }
    out
}

fn messages_html(m: &Messages, zone: Tz) -> String {
    let mut out = String::new();
    if m.omitted > 0 {
        out.push_str(&format!(
            "<p style=\"{MUTED}\">{}</p>\n",
            escape_html(&omitted_note(m.omitted))
        ));
    }
    if m.lines.is_empty() {
        out.push_str("<p>(no messages)</p>\n");
        return out;
    }
    out.push_str("<table cellpadding=\"4\" style=\"border-collapse:collapse\">\n");
    for line in m.lines {
        out.push_str(&format!(
            "<tr><td valign=\"top\" style=\"{MUTED};white-space:nowrap\">{}</td>\
             <th align=\"left\" valign=\"top\" style=\"padding-right:12px;white-space:nowrap\">{}</th>\
             <td>{}</td></tr>\n",
            escape_html(&local_time(line.at, zone)),
            escape_html(&one_line(line.who, 80)),
            escape_html_multiline(line.text.trim()),
        ));
    }
    out.push_str("</table>\n");
    out
}

fn footer_text(link: &str) -> String {
    let link = one_line(link, usize::MAX);
    format!("\nOpen the conversation: {link}\n\n-- \nSent by Baton.\n")
}

fn footer_html(link: &str, id: Id) -> String {
    let link = one_line(link, usize::MAX);
    let escaped = escape_html(&link);
    let mut out = if is_http_link(&link) {
        format!(
            "<p><a href=\"{escaped}\">Open conversation #{id}</a><br>\n\
             <span style=\"{MUTED}\">{escaped}</span></p>\n"
        )
    } else {
        format!("<p>Open the conversation: {escaped}</p>\n")
    };
    out.push_str(&format!("<p style=\"{MUTED}\">Sent by Baton.</p>\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn local_times_name_the_zone_on_both_sides_of_a_dst_change() {
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        // 2026-03-29: clocks go from 02:00 CET to 03:00 CEST (01:00 UTC).
        assert_eq!(
            local_time(utc("2026-03-29T00:59:00Z"), berlin),
            "2026-03-29 01:59 CET"
        );
        assert_eq!(
            local_time(utc("2026-03-29T01:01:00Z"), berlin),
            "2026-03-29 03:01 CEST"
        );
        let ny: Tz = "America/New_York".parse().unwrap();
        // 2026-11-01: 01:30 happens twice in New York, EDT then EST.
        assert_eq!(
            local_time(utc("2026-11-01T05:30:00Z"), ny),
            "2026-11-01 01:30 EDT"
        );
        assert_eq!(
            local_time(utc("2026-11-01T06:30:00Z"), ny),
            "2026-11-01 01:30 EST"
        );
    }

    #[test]
    fn visitor_text_is_escaped_and_kept_out_of_headers() {
        let lines = [
            Line {
                at: utc("2026-03-29T00:59:00Z"),
                who: "Eve <script>",
                text: "hi <b>there</b>\r\nsecond line",
            },
            Line {
                at: utc("2026-03-29T01:01:00Z"),
                who: "Support Bot",
                text: "Hello & welcome",
            },
        ];
        let other = [("Company".to_owned(), "ACME \"&\" Co".to_owned())];
        let e = lead_email(
            vec!["sales@example.com".into()],
            &LeadEmail {
                agent_name: "Support\r\nBcc: x@example.com",
                conversation_id: 7,
                contact: ContactDetails {
                    name: Some("Eve\r\nBcc: evil@example.com"),
                    email: Some("eve@example.com"),
                    phone: None,
                    other: &other,
                },
                source: "contact form",
                consent: Consent::Given {
                    text: "I agree <really>",
                    at: utc("2026-03-29T01:01:00Z"),
                },
                captured_at: utc("2026-03-29T01:01:00Z"),
                messages: Messages {
                    lines: &lines,
                    omitted: 3,
                },
                zone: "Europe/Berlin".parse().unwrap(),
                link: "https://baton.example.com/#/inbox/7",
            },
        );
        assert_eq!(
            e.subject,
            "[Baton] New lead: Eve Bcc: evil@example.com — Support Bcc: x@example.com, conversation #7"
        );
        assert!(!e.subject.contains('\n') && !e.subject.contains('\r'));
        let html = e.html.unwrap();
        assert!(html.contains("Eve &lt;script&gt;"), "{html}");
        assert!(html.contains("hi &lt;b&gt;there&lt;/b&gt;<br>\nsecond line"));
        assert!(html.contains("ACME &quot;&amp;&quot; Co"));
        assert!(html.contains("I agree &lt;really&gt;"));
        assert!(!html.contains("<script>") && !html.contains("<b>there"));
        assert!(html.contains("2026-03-29 01:59 CET") && html.contains("2026-03-29 03:01 CEST"));
        assert!(html.contains("Times in Europe/Berlin."));
        assert!(html.contains("<a href=\"https://baton.example.com/#/inbox/7\">"));
        assert!(html.contains("3 earlier messages are not shown"));
        assert!(e
            .text
            .contains("[2026-03-29 01:59 CET] Eve <script>: hi <b>there</b>\n    second line\n"));
        assert!(e.text.contains("Consent: given 2026-03-29 03:01 CEST"));
        assert!(e.text.contains("- Company: ACME \"&\" Co"));
    }

    #[test]
    fn transcript_says_when_and_how_it_ended() {
        let lines = [Line {
            at: utc("2026-07-01T10:00:00Z"),
            who: "Visitor",
            text: "hello",
        }];
        let e = transcript_email(
            vec!["log@example.com".into()],
            &TranscriptEmail {
                agent_name: " ",
                conversation_id: 9,
                visitor: ContactDetails::default(),
                started_at: utc("2026-07-01T10:00:00Z"),
                ended: Ended::Idle {
                    last: utc("2026-07-01T10:00:00Z"),
                    minutes: 30,
                },
                message_count: 1,
                messages: Messages {
                    lines: &lines,
                    omitted: 0,
                },
                zone: "America/New_York".parse().unwrap(),
                link: "javascript:alert(1)",
            },
        );
        assert_eq!(
            e.subject,
            "[Baton] Transcript: a visitor — AI agent, conversation #9"
        );
        assert!(e.text.contains("Date: 2026-07-01 (America/New_York)"));
        assert!(e
            .text
            .contains("Ended: no visitor message for 30 minutes after 2026-07-01 06:00 EDT"));
        assert!(e.text.contains("(1 message)"));
        assert!(e.text.contains("[2026-07-01 06:00 EDT] Visitor: hello"));
        let html = e.html.unwrap();
        assert!(!html.contains("href"), "a non-http link is not a link");
        assert!(html.contains("(none given)"));
    }
}
