//! Email notifications, sent to a real SMTP server on loopback: `tests/support/smtp_sink.py`
//! (aiosmtpd), started per test as a child process that writes what it receives to a temporary
//! directory and exits when its stdin closes.
//!
//! Needs python3 with aiosmtpd: `python3 -m pip install aiosmtpd`. Without them, the tests that
//! need the server print a note and pass, unless `BATON_REQUIRE_TOOLS` is set (CI), where they
//! fail. Tests that need no server (down server, timeout, validation, redaction) always run.

use std::net::TcpListener;
use std::time::{Duration, Instant};

use baton::notify::{
    handoff_email, test_email, validate, Email, HandoffEmail, Mailer, NotifyError, SmtpSecurity,
    SmtpSettings,
};

use crate::common;

use common::smtp::*;

// ---------------------------------------------------------------------------------------------
// Helpers

fn with_credentials(mut s: SmtpSettings, user: &str, password: &str) -> SmtpSettings {
    s.username = Some(user.into());
    s.password = Some(password.into());
    s
}

/// A loopback port with nothing listening.
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("address").port()
}

fn plain(to: &str, subject: &str) -> Email {
    Email {
        to: vec![to.into()],
        subject: subject.into(),
        text: "Hello.\n".into(),
        html: None,
    }
}

fn gathered() -> Vec<(String, String)> {
    vec![
        ("Name".into(), "Ada Lovelace".into()),
        ("Order number".into(), "A-1234".into()),
        ("Comment".into(), "<b>bold</b> & co".into()),
    ]
}

// ---------------------------------------------------------------------------------------------
// Against the sink

#[tokio::test]
async fn handoff_email_arrives_with_text_and_html_parts() {
    let Some(sink) = Sink::start(None) else {
        return;
    };
    let gathered = gathered();
    let h = HandoffEmail {
        agent_name: "Support Bot",
        conversation_id: 42,
        reason: "Visitor asked for a human",
        priority: Some("high"),
        summary: Some("Refund for a double charge.\nCard ends 4242."),
        gathered: &gathered,
        routing_profile: Some("Billing"),
        link: "https://baton.example.com/inbox/42?tab=chat&x=1",
        visitor_excerpt: Some("I want a human <script>alert('x')</script>"),
    };
    let email = handoff_email(
        vec![
            "ops@example.com".into(),
            "Grace Hopper <grace@example.com>".into(),
        ],
        &h,
    );
    Mailer::new(&sink.settings())
        .unwrap()
        .send(&email)
        .await
        .unwrap();

    let messages = sink.messages();
    assert_eq!(messages.len(), 1, "{messages:#?}");
    let m = &messages[0];
    assert_eq!(m.mail_from, "handoff@example.com");
    assert_eq!(m.rcpt_tos, ["ops@example.com", "grace@example.com"]);
    assert_eq!(
        m.subject.as_deref(),
        Some("[Baton] Handoff needed (high): Support Bot — conversation #42")
    );
    let to = m.to.as_deref().unwrap();
    assert!(to.contains("ops@example.com"), "{to}");
    assert!(to.contains("Grace Hopper <grace@example.com>"), "{to}");
    assert_eq!(m.from.as_deref(), Some(FROM));
    assert!(m.has_header("Date") && m.has_header("Message-ID"), "{m:#?}");
    assert_eq!(m.content_type, "multipart/alternative");
    assert_eq!(m.parts, ["text/plain", "text/html"]);

    let text = m.text();
    for needle in [
        "Support Bot handed conversation #42 to a person.",
        "Reason: Visitor asked for a human",
        "Priority: high",
        "Routing profile: Billing",
        "Refund for a double charge.",
        "Card ends 4242.",
        "Name: Ada Lovelace",
        "Order number: A-1234",
        "Comment: <b>bold</b> & co",
        "> I want a human <script>alert('x')</script>",
        "https://baton.example.com/inbox/42?tab=chat&x=1",
    ] {
        assert!(text.contains(needle), "text part lacks {needle:?}:\n{text}");
    }

    let html = m.html();
    for needle in [
        "<strong>Support Bot</strong>",
        ">Reason</th><td>Visitor asked for a human</td>",
        ">Priority</th><td>high</td>",
        ">Routing profile</th><td>Billing</td>",
        "Refund for a double charge.<br>",
        "Card ends 4242.",
        ">Name</th><td>Ada Lovelace</td>",
        ">Order number</th><td>A-1234</td>",
        ">Comment</th><td>&lt;b&gt;bold&lt;/b&gt; &amp; co</td>",
        "I want a human &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;",
        "href=\"https://baton.example.com/inbox/42?tab=chat&amp;x=1\"",
    ] {
        assert!(html.contains(needle), "HTML part lacks {needle:?}:\n{html}");
    }
    assert!(!html.contains("<script"), "unescaped visitor HTML:\n{html}");
    assert!(
        !html.contains("<b>bold"),
        "unescaped gathered value:\n{html}"
    );
}

#[tokio::test]
async fn test_email_and_text_only_email_arrive() {
    let Some(sink) = Sink::start(None) else {
        return;
    };
    let mailer = Mailer::new(&sink.settings()).unwrap();
    mailer
        .send(&test_email(vec!["ops@example.com".into()]))
        .await
        .unwrap();
    mailer
        .send(&plain("ops@example.com", "Just text"))
        .await
        .unwrap();

    let messages = sink.messages();
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[0].subject.as_deref(), Some("[Baton] Test email"));
    assert_eq!(messages[0].parts, ["text/plain", "text/html"]);
    assert!(messages[0].text().contains("test email from Baton"));
    assert_eq!(messages[1].content_type, "text/plain");
    assert_eq!(messages[1].text().trim_end(), "Hello.");
    assert_eq!(messages[1].html, None);
}

#[tokio::test]
async fn authenticated_sending_works_and_a_wrong_password_is_rejected() {
    const PASSWORD: &str = "correct-horse-battery";
    const WRONG: &str = "Wr0ng-Secret-Pa55";
    let Some(sink) = Sink::start(Some(&format!("baton:{PASSWORD}"))) else {
        return;
    };

    let good = Mailer::new(&with_credentials(sink.settings(), "baton", PASSWORD)).unwrap();
    assert!(!format!("{good:?}").contains(PASSWORD));
    good.send(&plain("ops@example.com", "Authenticated"))
        .await
        .unwrap();
    let messages = sink.messages();
    assert_eq!(messages.len(), 1);
    assert!(messages[0].authenticated);

    let bad = Mailer::new(&with_credentials(sink.settings(), "baton", WRONG)).unwrap();
    let err = bad
        .send(&plain("ops@example.com", "Wrong password"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, NotifyError::Rejected(m) if m.contains("535")),
        "{err:?}"
    );
    for shown in [err.to_string(), format!("{err:?}")] {
        assert!(!shown.contains(WRONG), "password leaked: {shown}");
        assert!(!shown.contains(PASSWORD), "password leaked: {shown}");
    }

    // No credentials at all, on a server that requires them.
    let anonymous = Mailer::new(&sink.settings()).unwrap();
    let err = anonymous
        .send(&plain("ops@example.com", "Anonymous"))
        .await
        .unwrap_err();
    assert!(matches!(err, NotifyError::Rejected(_)), "{err:?}");

    assert_eq!(sink.messages().len(), 1, "nothing else got through");
}

#[tokio::test]
async fn starttls_does_not_fall_back_to_plain_text() {
    let Some(sink) = Sink::start(Some("baton:secret-password")) else {
        return;
    };
    let mut s = with_credentials(sink.settings(), "baton", "secret-password");
    s.security = SmtpSecurity::Starttls;
    let err = Mailer::new(&s)
        .unwrap()
        .send(&plain("ops@example.com", "Over STARTTLS"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, NotifyError::Rejected(m) if m.contains("STARTTLS")),
        "{err:?}"
    );
    assert!(sink.messages().is_empty());
}

#[tokio::test]
async fn tls_against_a_plain_text_server_is_a_connection_error() {
    let Some(sink) = Sink::start(None) else {
        return;
    };
    let mut s = sink.settings();
    s.security = SmtpSecurity::Tls;
    let started = Instant::now();
    let err = Mailer::new(&s)
        .unwrap()
        .with_timeout(Duration::from_secs(5))
        .send(&plain("ops@example.com", "Over TLS"))
        .await
        .unwrap_err();
    assert!(matches!(err, NotifyError::Connection(_)), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(sink.messages().is_empty());
}

#[tokio::test]
async fn line_breaks_in_the_subject_do_not_inject_headers() {
    let Some(sink) = Sink::start(None) else {
        return;
    };
    let mailer = Mailer::new(&sink.settings()).unwrap();

    // Straight into Email::subject.
    mailer
        .send(&plain(
            "ops@example.com",
            "Hello\r\nBcc: evil@x.example\r\nX-Injected: 1",
        ))
        .await
        .unwrap();
    // Through the handoff template: agent name and priority go into the subject.
    let h = HandoffEmail {
        agent_name: "Bot\r\nBcc: evil@x.example",
        conversation_id: 9,
        reason: "Asked for a human",
        priority: Some("high\nX-Injected: 1"),
        summary: None,
        gathered: &[],
        routing_profile: None,
        link: "https://baton.example.com/inbox/9",
        visitor_excerpt: None,
    };
    mailer
        .send(&handoff_email(vec!["ops@example.com".into()], &h))
        .await
        .unwrap();

    let messages = sink.messages();
    assert_eq!(messages.len(), 2);
    assert_eq!(
        messages[0].subject.as_deref(),
        Some("Hello Bcc: evil@x.example X-Injected: 1")
    );
    assert_eq!(
        messages[1].subject.as_deref(),
        Some("[Baton] Handoff needed (high X-Injected: 1): Bot Bcc: evil@x.example — conversation #9")
    );
    for m in &messages {
        assert_eq!(m.rcpt_tos, ["ops@example.com"]);
        assert!(
            !m.has_header("Bcc") && !m.has_header("X-Injected"),
            "{m:#?}"
        );
        for line in m.raw.lines() {
            let line = line.to_ascii_lowercase();
            assert!(
                !line.starts_with("bcc:") && !line.starts_with("x-injected:"),
                "injected header line {line:?} in:\n{}",
                m.raw
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// No server needed

#[tokio::test]
async fn a_server_that_is_down_is_a_quick_connection_error() {
    let port = closed_port();
    let started = Instant::now();
    let err = Mailer::new(&settings(port))
        .unwrap()
        .send(&plain("ops@example.com", "Nobody home"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, NotifyError::Connection(m) if m.contains(&format!("127.0.0.1:{port}"))),
        "{err:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_silent_server_times_out() {
    // Connections complete (kernel backlog) but nothing ever answers, not even the greeting.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let started = Instant::now();
    let err = Mailer::new(&settings(port))
        .unwrap()
        .with_timeout(Duration::from_millis(300))
        .send(&plain("ops@example.com", "Anyone?"))
        .await
        .unwrap_err();
    assert_eq!(err, NotifyError::Timeout);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    drop(listener);
}

#[tokio::test]
async fn invalid_recipients_are_reported_before_connecting() {
    // Nothing listens: a connection attempt would be a Connection error, not InvalidAddress.
    let mailer = Mailer::new(&settings(closed_port())).unwrap();
    for to in [
        vec![],
        vec!["not an address".to_owned()],
        vec!["ops@example.com\r\nBcc: evil@x.example".to_owned()],
        vec!["ops@example.com".to_owned(), "@example.com".to_owned()],
    ] {
        let email = Email {
            to: to.clone(),
            subject: "s".into(),
            text: "t".into(),
            html: None,
        };
        let err = mailer.send(&email).await.unwrap_err();
        assert!(
            matches!(err, NotifyError::InvalidAddress(_)),
            "{to:?}: {err:?}"
        );
        assert!(!err.to_string().contains('\n'), "{err}");
    }
}

#[test]
fn validate_reports_bad_fields() {
    assert_eq!(validate(&settings(587)), Ok(()));

    let fields = |s: &SmtpSettings| -> Vec<String> {
        validate(s)
            .unwrap_err()
            .into_iter()
            .map(|(field, message)| {
                assert!(!message.is_empty());
                field
            })
            .collect()
    };

    let bad = SmtpSettings {
        host: "  ".into(),
        port: 0,
        security: SmtpSecurity::Starttls,
        username: Some("baton".into()),
        password: None,
        from: "not a mailbox".into(),
    };
    assert_eq!(fields(&bad), ["host", "port", "from", "password"]);

    let mut s = settings(587);
    s.password = Some("only-a-password".into());
    assert_eq!(fields(&s), ["username"]);

    for host in [
        "smtp://mail.example.com",
        "mail.example.com:587",
        "mail example.com",
        "user@mail.example.com",
    ] {
        let mut s = settings(587);
        s.host = host.into();
        assert_eq!(fields(&s), ["host"], "{host}");
    }
    for host in ["mail.example.com", "localhost", "::1", "192.0.2.10"] {
        let mut s = settings(587);
        s.host = host.into();
        assert_eq!(validate(&s), Ok(()), "{host}");
    }

    // A form's empty fields mean "not set".
    let mut s = settings(587);
    s.username = Some(String::new());
    s.password = Some(String::new());
    assert_eq!(validate(&s), Ok(()));

    // Mailer::new validates too.
    assert!(matches!(
        Mailer::new(&bad),
        Err(NotifyError::Settings(m)) if m.contains("host") && m.contains("port")
    ));
    let mut s = settings(587);
    s.from = "Baton <handoff at example.com>".into();
    assert!(matches!(
        Mailer::new(&s),
        Err(NotifyError::InvalidAddress(_))
    ));
}

#[test]
fn settings_debug_and_redacted_never_show_the_password() {
    let s = with_credentials(settings(465), "baton", "hunter2-very-secret");
    let debug = format!("{s:?}");
    assert!(!debug.contains("hunter2"), "{debug}");
    assert!(debug.contains("***") && debug.contains("baton"), "{debug}");

    let redacted = s.redacted();
    assert_eq!(redacted.password.as_deref(), Some("***"));
    assert_eq!(redacted.username.as_deref(), Some("baton"));
    assert!(!serde_json::to_string(&redacted)
        .unwrap()
        .contains("hunter2"));
    assert_eq!(settings(25).redacted().password, None);

    // A form sending the redacted value back keeps the stored password.
    assert_eq!(redacted.restore_redacted(&s), s);

    let mailer = Mailer::new(&s).unwrap();
    assert!(!format!("{mailer:?}").contains("hunter2"));
}

#[test]
fn settings_json_shape() {
    let s: SmtpSettings = serde_json::from_str(
        r#"{"host":"smtp.example.com","port":587,"security":"starttls",
            "username":"baton","password":"pw","from":"Baton <handoff@example.com>"}"#,
    )
    .unwrap();
    assert_eq!(s.security, SmtpSecurity::Starttls);
    let s: SmtpSettings = serde_json::from_str(
        r#"{"host":"localhost","port":25,"security":"none","from":"handoff@example.com"}"#,
    )
    .unwrap();
    assert_eq!((s.username, s.password), (None, None));
    for bad in [
        r#"{"host":"h","port":25,"security":"ssl","from":"a@b.c"}"#,
        r#"{"host":"h","port":25,"security":"none","from":"a@b.c","tls":true}"#,
    ] {
        assert!(serde_json::from_str::<SmtpSettings>(bad).is_err(), "{bad}");
    }
}
