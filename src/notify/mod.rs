//! Notifications to operators. Today: email over SMTP, sent when a conversation is handed from
//! the AI to a person ([`email::handoff_email`]), when a lead is captured and after a
//! conversation ends ([`leads`]), plus the "send test email" message used to check the SMTP
//! settings.

pub mod email;
pub mod leads;
pub mod outbox;

pub use email::{
    handoff_email, test_email, validate, Email, HandoffEmail, Mailer, NotifyError, SmtpSecurity,
    SmtpSettings,
};
