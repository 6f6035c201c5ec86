//! The lead emails of issue 11: the lead notification, sent when a lead is captured, and the
//! conversation transcript, sent after a conversation ends. Both go out as email jobs of the
//! outbox (retried like the handoff email), each queued in the transaction that records it in
//! `lead_emails` (migration 0015, `store/lead_emails.rs`), so each is decided once.
//!
//! - **Lead notification** ([`Baton::lead_captured_notify`], called by the pipeline when a
//!   contact form is submitted or gathering completes): when the agent's
//!   `emails.lead_notification` is on, to `emails.lead_recipients`: the contact details, the
//!   consent, the conversation so far and a link to it. **Once per lead and conversation**: a
//!   second capture of the same lead in the same conversation (the form sent again, details
//!   corrected, the lead merged by email) is not emailed again; the same lead in another
//!   conversation is.
//! - **Transcript** ([`Baton::transcripts_run_due_at`], run by `baton serve` every
//!   [`TRANSCRIPT_INTERVAL`]): when `emails.transcript` is on, to
//!   `emails.transcript_recipients`, for each conversation that has **ended**: resolved (due at
//!   once), ended by the visitor ("End chat", due [`ENDED_GRACE`] later, unless they wrote
//!   again), or no visitor message for `emails.idle_minutes`. **One per conversation, ever**: a
//!   conversation that resumes after its transcript (or after it was skipped) gets no second
//!   one. With `emails.skip_transcript`, a conversation that got a lead email or a handoff
//!   email (queued or sent, not one that failed for good) gets none (it is recorded as
//!   skipped). Only conversations with a visitor message and active within
//!   [`TRANSCRIPT_LOOKBACK`] plus the idle time are considered, so turning transcripts on, or
//!   a server that was down for days, does not email old conversations.
//!
//! Times are in the business time zone (the agent's working-hours `settings.timezone`, UTC if
//! unknown), named in the email. Internal notes are never included.

use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

use crate::conversations::model::{Conversation, Message, Status};
use crate::engine::Author;
use crate::error::{Error, Result};
use crate::leads::model::{Lead, LeadSource};
use crate::leads::settings::LeadEmails;
use crate::notify::leads::{
    lead_email, transcript_email, Consent, ContactDetails, Ended, LeadEmail, Line, Messages,
    TranscriptEmail,
};
use crate::outbox::model::Job;
use crate::store::lead_emails::{LeadEmailKind, TranscriptDue};
use crate::store::leads::Contact;
use crate::{Baton, Id};

/// How often `baton serve` looks for transcripts that are due (they arrive within the hour).
pub const TRANSCRIPT_INTERVAL: StdDuration = StdDuration::from_secs(5 * 60);

/// Conversations decided (queued or skipped) by one call of
/// [`Baton::transcripts_run_due_at`].
pub const TRANSCRIPT_BATCH: usize = 50;

/// A chat the visitor ended ("End chat") is due this long after: time to fill in a contact
/// form shown at the end, whose lead email then counts for the skip rule.
pub const ENDED_GRACE: Duration = Duration::minutes(2);

/// How far back, beyond the idle time, a conversation's last activity may be for its
/// transcript to be sent.
pub const TRANSCRIPT_LOOKBACK: Duration = Duration::hours(24);

/// The most messages an email shows (the newest; the others are counted).
pub const EMAIL_MESSAGES_MAX: usize = 500;

/// What a transcript run knows of one agent.
struct TranscriptContext<'a> {
    emails: &'a LeadEmails,
    agent_name: &'a str,
    zone: Tz,
    base: &'a str,
    now: DateTime<Utc>,
}

/// What one transcript run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TranscriptRun {
    pub queued: usize,
    /// Left out by the skip rule.
    pub skipped: usize,
}

fn source_label(s: LeadSource) -> &'static str {
    match s {
        LeadSource::Gathering => "data gathering",
        LeadSource::ContactForm => "contact form",
        LeadSource::Handoff => "handoff",
        LeadSource::ActionForm => "action form",
    }
}

/// A lead's (or gathered) details as owned strings, for [`ContactDetails`].
struct Details {
    name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    other: Vec<(String, String)>,
}

impl Details {
    fn of_lead(l: &Lead) -> Details {
        Details {
            name: l.name.clone(),
            email: l.email.clone(),
            phone: l.phone.clone(),
            other: l
                .custom
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        }
    }

    fn of_gathered(c: &Conversation) -> Details {
        let c = Contact::of(&c.gathered);
        Details {
            name: c.name,
            email: c.email,
            phone: c.phone,
            other: c.custom.into_iter().collect(),
        }
    }

    fn view(&self) -> ContactDetails<'_> {
        ContactDetails {
            name: self.name.as_deref(),
            email: self.email.as_deref(),
            phone: self.phone.as_deref(),
            other: &self.other,
        }
    }
}

/// The visible messages as lines (who wrote each), the newest [`EMAIL_MESSAGES_MAX`].
fn lines<'a>(
    messages: &'a [Message],
    agent: &'a str,
    visitor: Option<&'a str>,
) -> (Vec<Line<'a>>, usize) {
    let visible: Vec<&Message> = messages.iter().filter(|m| !m.internal).collect();
    let omitted = visible.len().saturating_sub(EMAIL_MESSAGES_MAX);
    let lines = visible[omitted..]
        .iter()
        .map(|m| Line {
            at: m.created_at,
            who: match m.author {
                Author::Visitor => visitor
                    .filter(|v| !v.trim().is_empty())
                    .unwrap_or("Visitor"),
                Author::Ai => agent,
                Author::Operator => m.operator_name.as_deref().unwrap_or("Operator"),
                Author::System => "System",
            },
            text: &m.text,
        })
        .collect();
    (lines, omitted)
}

impl Baton {
    /// The business time zone of `agent`: its working hours' zone, UTC if unknown.
    async fn business_zone(&self, agent: Id) -> Result<Tz> {
        Ok(self
            .store()
            .business_timezone(agent)
            .await?
            .and_then(|z| crate::fields::check_timezone(&z).ok())
            .unwrap_or(Tz::UTC))
    }

    async fn agent_name(&self, agent: Id) -> Result<String> {
        Ok(self
            .store()
            .agent_get(agent)
            .await?
            .ok_or(Error::not_found("agent"))?
            .name)
    }

    /// Queues the lead notification of `lead_id`, captured in `conversation_id`, when the
    /// agent's lead settings ask for one (`emails.lead_notification`, to
    /// `emails.lead_recipients`); true when queued. Call it after the write that saved the
    /// lead (a submitted contact form, completed data gathering).
    ///
    /// Once per lead and conversation: false, queuing nothing, when this lead was already
    /// emailed for this conversation. The record (`lead_emails`) and the email job are
    /// written in one transaction; the record is also what makes the transcript's skip rule
    /// skip this conversation. The email is retried like the handoff email. Errors: the
    /// conversation or the lead does not exist, or the lead is another agent's (not found).
    pub async fn lead_captured_notify(&self, conversation_id: Id, lead_id: Id) -> Result<bool> {
        let store = self.store();
        let conv = store
            .conversation_get(conversation_id)
            .await?
            .ok_or(Error::not_found("conversation"))?;
        let settings = store
            .lead_settings(conv.agent_id)
            .await?
            .unwrap_or_default()
            .emails;
        if !settings.lead_notification || settings.lead_recipients.is_empty() {
            return Ok(false);
        }
        let lead = store
            .lead_get(lead_id)
            .await?
            .filter(|l| l.agent_id == conv.agent_id)
            .ok_or(Error::not_found("lead"))?;
        let already = store
            .lead_emails_of(conversation_id)
            .await?
            .iter()
            .any(|r| r.kind == LeadEmailKind::Lead.as_str() && r.lead_id == lead_id);
        if already {
            return Ok(false);
        }
        let agent = self.agent_name(conv.agent_id).await?;
        let zone = self.business_zone(conv.agent_id).await?;
        let link = crate::public_url::conversation_link(&self.public_url().await?, conv.id);
        let messages = store.messages_list(conv.id, false).await?;
        let details = Details::of_lead(&lead);
        let (lines, omitted) = lines(&messages, &agent, details.name.as_deref());
        let at = crate::store::now();
        let email = lead_email(
            settings.lead_recipients.clone(),
            &LeadEmail {
                agent_name: &agent,
                conversation_id: conv.id,
                contact: details.view(),
                source: source_label(lead.source),
                consent: match (&lead.consent_text, lead.consent_at) {
                    (Some(text), Some(at)) => Consent::Given { text, at },
                    (None, Some(at)) => Consent::Given { text: "", at },
                    _ => Consent::NotAsked,
                },
                captured_at: at,
                messages: Messages {
                    lines: &lines,
                    omitted,
                },
                zone,
                link: &link,
            },
        );
        store
            .lead_email_mark(
                conv.id,
                LeadEmailKind::Lead,
                lead_id,
                Some(&Job::Email(email)),
                at,
            )
            .await
    }

    /// Queues the transcripts due at `now` (see the module documentation: conversations of
    /// agents with `emails.transcript` on that are resolved or have had no visitor message
    /// for `emails.idle_minutes`, and have no transcript decided yet), at most
    /// [`TRANSCRIPT_BATCH`] conversations decided per call; the skip rule records the others
    /// as skipped. How many transcripts were queued. The jobs are queued at `now` (a test
    /// clock runs them with `outbox_run_at` at the same time).
    pub async fn transcripts_run_due_at(&self, now: DateTime<Utc>) -> Result<usize> {
        Ok(self.transcripts_run(now, TRANSCRIPT_BATCH).await?.queued)
    }

    /// [`Baton::transcripts_run_due_at`] deciding at most `limit` conversations, with the
    /// skipped ones counted too.
    pub async fn transcripts_run(&self, now: DateTime<Utc>, limit: usize) -> Result<TranscriptRun> {
        let mut run = TranscriptRun::default();
        for (agent, settings) in self.store().lead_settings_all().await? {
            let e = settings.emails;
            if !e.transcript || e.transcript_recipients.is_empty() {
                continue;
            }
            let left = limit - run.queued - run.skipped;
            if left == 0 {
                break;
            }
            let idle = Duration::minutes(i64::from(e.idle_minutes));
            let due = self
                .store()
                .transcripts_due(
                    agent,
                    now - idle - TRANSCRIPT_LOOKBACK,
                    now - idle,
                    now - ENDED_GRACE,
                    i64::try_from(left).unwrap_or(i64::MAX),
                )
                .await?;
            if due.is_empty() {
                continue;
            }
            let agent_name = self.agent_name(agent).await?;
            let zone = self.business_zone(agent).await?;
            let base = self.public_url().await?;
            let ctx = TranscriptContext {
                emails: &e,
                agent_name: &agent_name,
                zone,
                base: &base,
                now,
            };
            for d in due {
                // One conversation that can't be read (a corrupt row) is logged and left for
                // the next run; it never stops the others.
                match self.transcript_decide(&d, &ctx).await {
                    Ok(Some(true)) => run.queued += 1,
                    Ok(Some(false)) => run.skipped += 1,
                    Ok(None) => {}
                    Err(e) => {
                        tracing::error!(conversation = d.id, error = %e, "conversation transcript")
                    }
                }
            }
        }
        Ok(run)
    }

    /// Decides the transcript of one due conversation: Some(true) queued, Some(false)
    /// skipped by the skip rule, None decided meanwhile by another run (or deleted).
    async fn transcript_decide(
        &self,
        d: &TranscriptDue,
        ctx: &TranscriptContext<'_>,
    ) -> Result<Option<bool>> {
        let e = ctx.emails;
        if e.skip_transcript && (d.lead_emailed || d.handoff_emailed) {
            let marked = self
                .store()
                .lead_email_mark(d.id, LeadEmailKind::Transcript, 0, None, ctx.now)
                .await?;
            return Ok(marked.then_some(false));
        }
        let Some(conv) = self.store().conversation_get(d.id).await? else {
            return Ok(None);
        };
        let details = match self.store().conversation_lead(conv.id).await? {
            Some(lead) => Details::of_lead(&lead),
            None => Details::of_gathered(&conv),
        };
        let messages = self.store().messages_list(conv.id, false).await?;
        let (lines, omitted) = lines(&messages, ctx.agent_name, details.name.as_deref());
        let link = crate::public_url::conversation_link(ctx.base, conv.id);
        let email = transcript_email(
            e.transcript_recipients.clone(),
            &TranscriptEmail {
                agent_name: ctx.agent_name,
                conversation_id: conv.id,
                visitor: details.view(),
                started_at: conv.created_at,
                ended: if d.resolved && conv.status == Status::Resolved {
                    Ended::Resolved(conv.resolved_at)
                } else if let Some(at) = d.ended_at {
                    Ended::ByVisitor(at)
                } else {
                    Ended::Idle {
                        last: d.last_visitor_at,
                        minutes: e.idle_minutes,
                    }
                },
                message_count: lines.len() + omitted,
                messages: Messages {
                    lines: &lines,
                    omitted,
                },
                zone: ctx.zone,
                link: &link,
            },
        );
        let marked = self
            .store()
            .lead_email_mark(
                conv.id,
                LeadEmailKind::Transcript,
                0,
                Some(&Job::Email(email)),
                ctx.now,
            )
            .await?;
        Ok(marked.then_some(true))
    }

    /// Sends the transcripts that are due until the process ends: every
    /// [`TRANSCRIPT_INTERVAL`], at once again while whole batches were decided. `baton serve`
    /// runs it.
    pub async fn transcripts_worker(self) {
        let mut tick = tokio::time::interval(TRANSCRIPT_INTERVAL);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            loop {
                match self.transcripts_run(Utc::now(), TRANSCRIPT_BATCH).await {
                    Ok(r) if r.queued + r.skipped == TRANSCRIPT_BATCH => continue,
                    Ok(_) => break,
                    Err(e) => {
                        tracing::error!(error = %e, "conversation transcripts");
                        break;
                    }
                }
            }
        }
    }
}
