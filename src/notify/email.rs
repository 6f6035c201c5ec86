//! Email over SMTP: the settings (validated, redactable), a [`Mailer`] that sends with a bounded
//! time, and the two messages Baton sends: the handoff notification ([`handoff_email`]) and the
//! settings check ([`test_email`]).
//!
//! Safety rules kept here, once:
//! - the SMTP password never appears in `Debug`, in [`SmtpSettings::redacted`] or in a
//!   [`NotifyError`] (server replies are scrubbed of it, in case a server echoes it);
//! - every user-provided string is HTML-escaped in HTML bodies, and CR/LF (any control
//!   character) is removed from anything that goes into a header, so visitor or agent text can't
//!   add headers or recipients;
//! - [`SmtpSecurity::Starttls`] never falls back to plain text: a server without STARTTLS is an
//!   error, and neither credentials nor the message are sent.

use std::fmt;
use std::net::Ipv6Addr;
use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::AsyncSmtpTransportBuilder;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

/// How long [`Mailer::send`] may take, end to end, unless [`Mailer::with_timeout`] says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// What [`SmtpSettings::redacted`] puts in place of a password that is set.
pub const REDACTED_PASSWORD: &str = "***";

const HOST_MAX_CHARS: usize = 253;
const SUBJECT_NAME_MAX_CHARS: usize = 80;
const SUBJECT_PRIORITY_MAX_CHARS: usize = 30;

/// Transport security of the SMTP connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    /// Plain text (local relays, test servers). Usually port 25.
    None,
    /// Plain connection upgraded with STARTTLS, required (no fallback). Usually port 587.
    Starttls,
    /// TLS from the first byte ("SMTPS"). Usually port 465.
    Tls,
}

impl SmtpSecurity {
    /// The port usually used with this security, for pre-filling a form.
    pub fn default_port(self) -> u16 {
        match self {
            SmtpSecurity::None => 25,
            SmtpSecurity::Starttls => 587,
            SmtpSecurity::Tls => 465,
        }
    }
}

/// Where and how to send email. `Debug` never shows the password; return
/// [`SmtpSettings::redacted`] through an API, never the settings themselves.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SmtpSettings {
    /// Host name or IP address of the SMTP server, without scheme or port.
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    /// Set together with `password`, or neither. An empty string counts as not set.
    pub username: Option<String>,
    /// Set together with `username`, or neither. Returned as `"***"` when set.
    pub password: Option<String>,
    /// Sender mailbox: `Baton <handoff@example.com>` or `handoff@example.com`.
    pub from: String,
}

impl fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field(
                "password",
                &self.password.as_ref().map(|_| REDACTED_PASSWORD),
            )
            .field("from", &self.from)
            .finish()
    }
}

impl SmtpSettings {
    /// A copy safe to return through an API: a password that is set becomes `"***"` (so a form
    /// can show that one is set); no password stays `None`.
    pub fn redacted(&self) -> SmtpSettings {
        SmtpSettings {
            password: self.password.as_ref().map(|_| REDACTED_PASSWORD.to_owned()),
            ..self.clone()
        }
    }

    /// For saving settings that came back from a form filled from [`SmtpSettings::redacted`]:
    /// a password of exactly `"***"` means "unchanged" and is replaced by the stored one.
    pub fn restore_redacted(mut self, stored: &SmtpSettings) -> SmtpSettings {
        if self.password.as_deref() == Some(REDACTED_PASSWORD) {
            self.password = stored.password.clone();
        }
        self
    }

    /// Username and password, when both are set and non-empty.
    fn credentials(&self) -> Option<(&str, &str)> {
        match (non_empty(&self.username), non_empty(&self.password)) {
            (Some(user), Some(password)) => Some((user, password)),
            _ => None,
        }
    }
}

fn non_empty(s: &Option<String>) -> Option<&str> {
    s.as_deref().filter(|s| !s.is_empty())
}

/// Checks the settings without connecting. Errors are `(field, message)`, field being the JSON
/// name (`host`, `port`, `from`, `username`, `password`).
pub fn validate(s: &SmtpSettings) -> Result<(), Vec<(String, String)>> {
    let mut problems: Vec<(String, String)> = Vec::new();
    let mut problem = |field: &str, message: &str| problems.push((field.into(), message.into()));

    let host = s.host.trim();
    if host.is_empty() {
        problem("host", "required");
    } else if host.chars().count() > HOST_MAX_CHARS {
        problem("host", "at most 253 characters");
    } else if host
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '/' || c == '@')
        || (host.contains(':') && host.parse::<Ipv6Addr>().is_err())
    {
        problem(
            "host",
            "must be a host name or IP address, without scheme, port or spaces (smtp.example.com)",
        );
    }

    if s.port == 0 {
        problem("port", "must be between 1 and 65535");
    }

    if s.from.trim().is_empty() {
        problem("from", "required");
    } else if s.from.trim().parse::<Mailbox>().is_err() {
        problem(
            "from",
            "must be an email address, optionally with a name: Baton <handoff@example.com>",
        );
    }

    match (non_empty(&s.username), non_empty(&s.password)) {
        (Some(_), None) => problem("password", "required when a username is set"),
        (None, Some(_)) => problem("username", "required when a password is set"),
        _ => {}
    }

    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// Why an email was not sent. Messages never contain the SMTP password.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotifyError {
    /// A recipient or the sender is not a valid mailbox, or there is no recipient.
    #[error("invalid email address: {0}")]
    InvalidAddress(String),
    /// The settings can't be used (see [`validate`]), e.g. an empty host.
    #[error("invalid SMTP settings: {0}")]
    Settings(String),
    /// The server could not be reached, or the connection or TLS failed.
    #[error("could not talk to the SMTP server: {0}")]
    Connection(String),
    /// The server answered with an error (authentication failed, recipient refused, STARTTLS
    /// or authentication not offered...).
    #[error("the SMTP server refused: {0}")]
    Rejected(String),
    /// Sending took longer than the mailer's timeout.
    #[error("the SMTP server did not answer in time")]
    Timeout,
}

impl NotifyError {
    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            NotifyError::InvalidAddress(_) => "invalid_address",
            NotifyError::Settings(_) => "smtp_settings",
            NotifyError::Connection(_) => "smtp_connection",
            NotifyError::Rejected(_) => "smtp_rejected",
            NotifyError::Timeout => "smtp_timeout",
        }
    }
}

/// One email to send (also the payload of an outbox email job, stored as JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email {
    /// Recipient mailboxes (`ada@example.com` or `Ada <ada@example.com>`), all in `To`.
    pub to: Vec<String>,
    pub subject: String,
    pub text: String,
    /// When set, the email is `multipart/alternative` with the text and this HTML.
    pub html: Option<String>,
}

/// Sends emails through one SMTP server.
///
/// Each [`Mailer::send`] opens its own connection and is bounded, end to end, by the timeout
/// (lettre's own timeout only covers the TCP connect). Handoff emails are rare, so nothing is
/// kept open between sends: a `Mailer` holds no connection or task, can be built and dropped
/// anywhere (in or out of a Tokio runtime), and cloned freely. `send` needs a Tokio runtime.
#[derive(Clone)]
pub struct Mailer {
    builder: AsyncSmtpTransportBuilder,
    from: Mailbox,
    host: String,
    port: u16,
    security: SmtpSecurity,
    timeout: Duration,
    /// Only kept to scrub it from error messages.
    password: Option<String>,
}

impl fmt::Debug for Mailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mailer")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("from", &self.from.to_string())
            .field("authenticated", &self.password.is_some())
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl Mailer {
    /// Checks the settings ([`validate`]) and prepares the transport; doesn't connect.
    pub fn new(settings: &SmtpSettings) -> Result<Mailer, NotifyError> {
        validate(settings).map_err(|problems| {
            let summary = problems
                .iter()
                .map(|(field, message)| format!("{field}: {message}"))
                .collect::<Vec<_>>()
                .join("; ");
            if problems.iter().all(|(field, _)| field == "from") {
                NotifyError::InvalidAddress(summary)
            } else {
                NotifyError::Settings(summary)
            }
        })?;
        let from: Mailbox = settings
            .from
            .trim()
            .parse()
            .map_err(|_| NotifyError::InvalidAddress("from: not a valid mailbox".into()))?;

        let host = settings.host.trim();
        let tls_error = |e: lettre::transport::smtp::Error| {
            NotifyError::Settings(format!("host: can't be used for TLS: {e}"))
        };
        let builder = match settings.security {
            SmtpSecurity::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
            SmtpSecurity::Starttls => {
                AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host).map_err(tls_error)?
            }
            SmtpSecurity::Tls => {
                AsyncSmtpTransport::<Tokio1Executor>::relay(host).map_err(tls_error)?
            }
        }
        .port(settings.port);
        let credentials = settings.credentials();
        let builder = match credentials {
            Some((user, password)) => {
                builder.credentials(Credentials::new(user.to_owned(), password.to_owned()))
            }
            None => builder,
        };

        Ok(Mailer {
            builder,
            from,
            host: host.to_owned(),
            port: settings.port,
            security: settings.security,
            timeout: DEFAULT_TIMEOUT,
            password: credentials.map(|(_, password)| password.to_owned()),
        })
    }

    /// Bounds each [`Mailer::send`], end to end (connect, TLS, authentication, delivery).
    pub fn with_timeout(mut self, t: Duration) -> Self {
        self.timeout = t;
        self
    }

    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Sends one email. Addresses are checked before connecting.
    pub async fn send(&self, email: &Email) -> Result<(), NotifyError> {
        let message = self.message(email)?;
        let transport: AsyncSmtpTransport<Tokio1Executor> =
            self.builder.clone().timeout(Some(self.timeout)).build();
        let outcome = tokio::time::timeout(self.timeout, transport.send(message)).await;
        match outcome {
            Ok(Ok(_)) => {
                tracing::debug!(host = %self.host, port = self.port, recipients = email.to.len(), "email sent");
                Ok(())
            }
            Ok(Err(e)) => Err(self.error(&e)),
            Err(_elapsed) => Err(NotifyError::Timeout),
        }
    }

    fn message(&self, email: &Email) -> Result<Message, NotifyError> {
        if email.to.is_empty() {
            return Err(NotifyError::InvalidAddress("no recipient".into()));
        }
        let mut builder = Message::builder()
            .from(self.from.clone())
            .subject(one_line(&email.subject, usize::MAX))
            .message_id(None);
        for to in &email.to {
            let mailbox: Mailbox = to.trim().parse().map_err(|_| {
                NotifyError::InvalidAddress(format!(
                    "'{}' is not a valid recipient",
                    one_line(to, 320)
                ))
            })?;
            builder = builder.to(mailbox);
        }
        let built = match &email.html {
            Some(html) => builder.multipart(MultiPart::alternative_plain_html(
                email.text.clone(),
                html.clone(),
            )),
            None => builder
                .header(ContentType::TEXT_PLAIN)
                .body(email.text.clone()),
        };
        built.map_err(|e| NotifyError::InvalidAddress(e.to_string()))
    }

    fn error(&self, e: &lettre::transport::smtp::Error) -> NotifyError {
        let message = self.scrub(e.to_string());
        if e.is_timeout() {
            NotifyError::Timeout
        } else if e.is_permanent() || e.is_transient() || e.is_client() {
            // Negative replies, and what lettre refuses on the server's behalf: no STARTTLS,
            // no usable AUTH mechanism.
            NotifyError::Rejected(message)
        } else {
            NotifyError::Connection(format!("{}:{}: {message}", self.host, self.port))
        }
    }

    /// Removes the password from a message, should a server echo it back.
    fn scrub(&self, message: String) -> String {
        match &self.password {
            Some(password) if message.contains(password.as_str()) => {
                message.replace(password.as_str(), REDACTED_PASSWORD)
            }
            _ => message,
        }
    }
}

/// What the handoff email says. Every string may come from visitors, the AI agent or
/// operators' configuration, and is escaped or sanitized where it lands.
#[derive(Debug, Clone, Copy)]
pub struct HandoffEmail<'a> {
    pub agent_name: &'a str,
    pub conversation_id: i64,
    pub reason: &'a str,
    pub priority: Option<&'a str>,
    pub summary: Option<&'a str>,
    /// Information gathered from the visitor, as `(label, value)`.
    pub gathered: &'a [(String, String)],
    pub routing_profile: Option<&'a str>,
    /// Where the operator opens the conversation. Only `http(s)` links become HTML links.
    pub link: &'a str,
    pub visitor_excerpt: Option<&'a str>,
}

/// The notification sent to operators when a conversation is handed to a person.
/// Subject: `[Baton] Handoff needed (high): Support Bot — conversation #42`.
pub fn handoff_email(to: Vec<String>, h: &HandoffEmail) -> Email {
    let agent = one_line(h.agent_name, SUBJECT_NAME_MAX_CHARS);
    let agent = if agent.is_empty() {
        "AI agent".to_owned()
    } else {
        agent
    };
    let priority = h
        .priority
        .map(|p| one_line(p, SUBJECT_PRIORITY_MAX_CHARS))
        .filter(|p| !p.is_empty());
    let summary = present(h.summary);
    let routing = present(h.routing_profile);
    let excerpt = present(h.visitor_excerpt);
    let reason = if h.reason.trim().is_empty() {
        "(no reason given)"
    } else {
        h.reason.trim()
    };
    let link = one_line(h.link, usize::MAX);
    let id = h.conversation_id;

    let subject = match &priority {
        Some(p) => format!("[Baton] Handoff needed ({p}): {agent} — conversation #{id}"),
        None => format!("[Baton] Handoff needed: {agent} — conversation #{id}"),
    };

    // Plain text.
    let mut text = format!("{agent} handed conversation #{id} to a person.\n\n");
    text.push_str(&text_field("Reason", reason));
    if let Some(p) = &priority {
        text.push_str(&text_field("Priority", p));
    }
    if let Some(r) = routing {
        text.push_str(&text_field("Routing profile", r));
    }
    if let Some(s) = summary {
        text.push_str("\nSummary:\n");
        text.push_str(&indent(s));
    }
    if !h.gathered.is_empty() {
        text.push_str("\nGathered information:\n");
        for (label, value) in h.gathered {
            text.push_str("- ");
            text.push_str(&text_field(label.trim(), value.trim()));
        }
    }
    if let Some(e) = excerpt {
        text.push_str("\nVisitor's last message:\n");
        for line in normalize_newlines(e).lines() {
            text.push_str("> ");
            text.push_str(line);
            text.push('\n');
        }
    }
    text.push_str(&format!(
        "\nOpen the conversation: {link}\n\n-- \nSent by Baton.\n"
    ));

    // HTML.
    let mut rows = String::new();
    rows.push_str(&html_row("Reason", reason));
    if let Some(p) = &priority {
        rows.push_str(&html_row("Priority", p));
    }
    if let Some(r) = routing {
        rows.push_str(&html_row("Routing profile", r));
    }
    let mut body = format!(
        "<h2 style=\"margin:0 0 12px\">Handoff needed{}</h2>\n\
         <p><strong>{}</strong> handed conversation #{id} to a person.</p>\n\
         <table cellpadding=\"4\" style=\"border-collapse:collapse\">\n{rows}</table>\n",
        priority
            .as_deref()
            .map(|p| format!(" ({})", escape_html(p)))
            .unwrap_or_default(),
        escape_html(&agent),
    );
    if let Some(s) = summary {
        body.push_str(&format!(
            "<h3>Summary</h3>\n<p>{}</p>\n",
            escape_html_multiline(s)
        ));
    }
    if !h.gathered.is_empty() {
        body.push_str("<h3>Gathered information</h3>\n<table cellpadding=\"4\" style=\"border-collapse:collapse\">\n");
        for (label, value) in h.gathered {
            body.push_str(&html_row(label.trim(), value.trim()));
        }
        body.push_str("</table>\n");
    }
    if let Some(e) = excerpt {
        body.push_str(&format!(
            "<h3>Visitor's last message</h3>\n<blockquote style=\"margin:0;padding-left:12px;border-left:3px solid #d0d7de;color:#59636e\">{}</blockquote>\n",
            escape_html_multiline(e)
        ));
    }
    let escaped_link = escape_html(&link);
    if is_http_link(&link) {
        body.push_str(&format!(
            "<p><a href=\"{escaped_link}\">Open conversation #{id}</a><br>\n\
             <span style=\"color:#59636e;font-size:12px\">{escaped_link}</span></p>\n"
        ));
    } else {
        body.push_str(&format!("<p>Open the conversation: {escaped_link}</p>\n"));
    }
    body.push_str("<p style=\"color:#59636e;font-size:12px\">Sent by Baton.</p>\n");

    Email {
        to,
        html: Some(html_document(&subject, &body)),
        subject,
        text,
    }
}

/// The email behind a "send test email" button.
pub fn test_email(to: Vec<String>) -> Email {
    let subject = "[Baton] Test email".to_owned();
    let text = "This is a test email from Baton.\n\n\
                If you can read it, Baton can send handoff notifications with these SMTP settings.\n"
        .to_owned();
    let body = "<h2 style=\"margin:0 0 12px\">Test email</h2>\n\
                <p>This is a test email from Baton.</p>\n\
                <p>If you can read it, Baton can send handoff notifications with these SMTP settings.</p>\n";
    Email {
        to,
        html: Some(html_document(&subject, body)),
        subject,
        text,
    }
}

/// The one email an owner gets when an agent's model endpoint stops answering (its circuit
/// breaker opened): what failed, since when, and that the built-in engine answers meanwhile.
pub fn engine_down_email(
    to: Vec<String>,
    agent_name: &str,
    health: &crate::engine::breaker::EngineHealth,
) -> Email {
    let agent = one_line(agent_name, 80);
    let agent = if agent.is_empty() {
        "your agent".to_owned()
    } else {
        agent
    };
    let subject = one_line(
        &format!("[Baton] The AI model of {agent} is not answering"),
        200,
    );
    let since = health
        .failing_since
        .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_default();
    let error = health.last_error.clone().unwrap_or_default();
    let retry = health
        .retry_at
        .map(|t| t.format("%H:%M:%S UTC").to_string())
        .unwrap_or_default();
    let text = format!(
        "The AI model of {agent} has failed {} times in a row since {since}.\n\
         Last error: {error}\n\n\
         Visitors are still answered: Baton's built-in engine decides until the model answers \
         again. Baton tries it again at {retry}, and less often while it keeps failing.\n\
         The Agents page shows its state. You get this email once, when it stops answering.\n",
        health.consecutive_failures
    );
    let body = format!(
        "<h2 style=\"margin:0 0 12px\">The AI model of {} is not answering</h2>\n\
         <p>It has failed {} times in a row since {}.<br>Last error: {}</p>\n\
         <p>Visitors are still answered: Baton's built-in engine decides until the model answers \
         again. Baton tries it again at {}, and less often while it keeps failing.</p>\n\
         <p>The Agents page shows its state. You get this email once, when it stops answering.</p>\n",
        escape_html(&agent),
        health.consecutive_failures,
        escape_html(&since),
        escape_html(&error),
        escape_html(&retry),
    );
    Email {
        to,
        html: Some(html_document(&subject, &body)),
        subject,
        text,
    }
}

pub(super) fn html_document(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n</head>\n\
         <body style=\"font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;color:#1f2328;line-height:1.5\">\n\
         {body}</body>\n</html>\n",
        escape_html(title)
    )
}

pub(super) fn present(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

pub(super) fn text_field(label: &str, value: &str) -> String {
    let value = normalize_newlines(value);
    let mut lines = value.lines();
    let mut out = format!("{label}: {}\n", lines.next().unwrap_or_default());
    for line in lines {
        out.push_str("  ");
        out.push_str(line);
        out.push('\n');
    }
    out
}

pub(super) fn indent(s: &str) -> String {
    normalize_newlines(s)
        .lines()
        .map(|line| format!("  {line}\n"))
        .collect()
}

pub(super) fn html_row(label: &str, value: &str) -> String {
    format!(
        "<tr><th align=\"left\" valign=\"top\" style=\"padding-right:16px\">{}</th><td>{}</td></tr>\n",
        escape_html(label),
        escape_html_multiline(value)
    )
}

pub(super) fn is_http_link(link: &str) -> bool {
    let lower = link.to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

pub(super) fn normalize_newlines(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\r', "\n")
}

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

pub(super) fn escape_html_multiline(s: &str) -> String {
    escape_html(&normalize_newlines(s)).replace('\n', "<br>\n")
}

/// One line, safe in a header: control characters (CR, LF, tab...) and line/paragraph
/// separators become spaces, runs of whitespace collapse, ends are trimmed, and the result is cut
/// to `max_chars` (with an ellipsis).
pub(super) fn one_line(s: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        if c.is_control() || c.is_whitespace() || c == '\u{2028}' || c == '\u{2029}' {
            pending_space = true;
            continue;
        }
        if pending_space && !out.is_empty() {
            out.push(' ');
        }
        pending_space = false;
        out.push(c);
    }
    crate::engine::builtin::text::clip_words(&out, max_chars)
}

/// An email job of the outbox, as the Settings page lists it.
#[derive(
    Debug,
    Clone,
    PartialEq,
    serde::Serialize,
    serde::Deserialize,
    ts_rs::TS,
    utoipa::ToSchema,
    sqlx::FromRow,
)]
pub struct Notification {
    #[ts(type = "number")]
    pub id: crate::Id,
    #[ts(type = "number | null")]
    pub conversation_id: Option<crate::Id>,
    pub recipients: String,
    pub subject: String,
    /// `pending`, `sent` or `failed`.
    pub status: String,
    #[ts(type = "number")]
    pub attempts: i64,
    pub last_error: Option<String>,
    pub next_attempt_at: chrono::DateTime<chrono::Utc>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub sent_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_removes_line_breaks_and_controls() {
        assert_eq!(
            one_line("a\r\nBcc: x@y\t z\u{2028}w\0", 100),
            "a Bcc: x@y z w"
        );
        assert_eq!(one_line("  padded  ", 100), "padded");
        assert_eq!(one_line("abcdef", 4), "abc…");
        assert_eq!(one_line("ab   cdef", 4), "ab…");
    }

    #[test]
    fn escape_html_covers_markup_and_quotes() {
        assert_eq!(
            escape_html(r#"<script>alert("x&'y")</script>"#),
            "&lt;script&gt;alert(&quot;x&amp;&#39;y&quot;)&lt;/script&gt;"
        );
        assert_eq!(escape_html_multiline("a\r\nb<"), "a<br>\nb&lt;");
    }

    #[test]
    fn subject_without_priority_and_with_blank_agent() {
        let h = HandoffEmail {
            agent_name: " ",
            conversation_id: 7,
            reason: "asked for a human",
            priority: Some("  "),
            summary: None,
            gathered: &[],
            routing_profile: None,
            link: "javascript:alert(1)",
            visitor_excerpt: None,
        };
        let e = handoff_email(vec!["a@example.com".into()], &h);
        assert_eq!(
            e.subject,
            "[Baton] Handoff needed: AI agent — conversation #7"
        );
        let html = e.html.unwrap();
        assert!(!html.contains("href"), "non-http link must not be a link");
        assert!(!html.contains("Summary"));
    }

    #[test]
    fn security_serializes_lowercase() {
        assert_eq!(
            serde_json::to_string(&SmtpSecurity::Starttls).unwrap(),
            "\"starttls\""
        );
        assert_eq!(SmtpSecurity::Tls.default_port(), 465);
    }
}
