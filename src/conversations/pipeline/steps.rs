//! The steps of the decision pipeline, one function each, in the order
//! [`Baton::decide_message`] runs them (docs/api.md, "The decision pipeline"). Each leaves its
//! decision record on the [`Run`]. A new step is one function here and one line there.

use std::time::Instant;

use chrono::Utc;

use super::*;
use crate::engine::{AnswerOutcome, KnowledgeHit, Outcome};

impl Baton {
    /// 1. With a person: the AI stays silent (the assignee is told live).
    pub(super) fn step_with_person(&self, run: &mut Run, at: &Turning<'_>) -> bool {
        let Turning { conv, .. } = *at;
        if conv.status.with_person() {
            let t = Instant::now();
            run.rule(
                "with_person",
                "silent",
                "the conversation is with a person; the AI does not talk over the operator",
                t,
            );
            return true;
        }
        false
    }

    /// A resolved conversation the visitor writes to goes back to the AI.
    pub(super) fn step_reopen(&self, run: &mut Run, at: &Turning<'_>) {
        let Turning { conv, .. } = *at;
        if conv.status == Status::Resolved {
            let t = Instant::now();
            run.state.status = Status::Ai;
            run.state.resolved_at = None;
            run.rule(
                "reopen",
                "reopened",
                "the visitor wrote again after the conversation was resolved",
                t,
            );
        }
    }

    /// The answer to a question we asked: the handoff question, an information request, the
    /// offer to leave a contact outside working hours.
    pub(super) async fn step_pending_answer(
        &self,
        run: &mut Run,
        at: &Turning<'_>,
        pending: Option<Pending>,
    ) -> Result<Step> {
        let Turning { conv, .. } = *at;
        match (conv.status, pending) {
            (Status::AwaitingConfirmation, Some(p)) => Ok(self.step_confirmation(run, at, p)),
            (Status::GatheringInfo, Some(p)) => Ok(self.step_information_answer(run, at, p)),
            (Status::Ai, Some(p)) if p.asked.as_deref() == Some(FOLLOW_UP_CONTACT) => {
                self.step_contact_offer_answer(run, at)
            }
            (
                Status::Ai,
                Some(Pending {
                    action: Some(a), ..
                }),
            ) => self.step_action_answer(run, at, a).await,
            _ => Ok(Step::Next),
        }
    }

    /// The yes or no to the handoff question.
    fn step_confirmation(&self, run: &mut Run, at: &Turning<'_>, p: Pending) -> Step {
        let Turning { text, .. } = *at;
        let t = Instant::now();
        match classify::confirmation(text) {
            Some(true) => {
                run.rule("confirmation", "yes", "the visitor accepted the handoff", t);
                return Step::HandOff(Trigger::resumed(p));
            }
            Some(false) => {
                run.rule(
                    "confirmation",
                    "no",
                    "the visitor declined the handoff; back to the AI",
                    t,
                );
                run.state.status = Status::Ai;
                run.state.pending = None;
                let reply = "No problem, I'm here to help. What else can I do for you?";
                run.say(reply, VisitorEvent::Reply { text: reply.into() });
                return Step::Done;
            }
            None => {
                run.rule(
                    "confirmation",
                    "unclear",
                    "no clear yes or no; treated as a new message for the AI",
                    t,
                );
                run.state.status = Status::Ai;
                run.state.pending = None;
            }
        }
        Step::Next
    }

    /// The answer to an information request: collected, skipped after a refusal or too many
    /// invalid answers (the handoff goes on without it), or asked again.
    fn step_information_answer(&self, run: &mut Run, at: &Turning<'_>, mut p: Pending) -> Step {
        let Turning { cfg, text, .. } = *at;
        let t = Instant::now();
        if let Some(field) = p
            .asked
            .as_deref()
            .and_then(|l| cfg.information_to_gather.iter().find(|f| f.label == l))
        {
            match gather::extract(field, text, true) {
                Some(v) => {
                    run.rule(
                        "gathering",
                        "collected",
                        format!("{} provided", field.label),
                        t,
                    );
                    run.state.gathered.insert(field.label.clone(), v);
                }
                // A clear refusal, or too many answers that are not one: go on without
                // it rather than ask forever (the operator can ask in person).
                None if classify::confirmation(text) == Some(false)
                    || p.attempts + 1 >= GATHER_MAX_ATTEMPTS =>
                {
                    let why = if classify::confirmation(text) == Some(false) {
                        "the visitor declined to give"
                    } else {
                        "no valid answer after two requests for"
                    };
                    run.rule(
                        "gathering",
                        "skipped",
                        format!("{why} {}; handing off without it", field.label),
                        t,
                    );
                    p.skipped.push(field.label.clone());
                }
                None => {
                    run.rule(
                        "gathering",
                        "invalid",
                        format!("the answer is not a valid {}", field.label),
                        t,
                    );
                    let ask = format!("{} {}", gather::hint(field), field.prompt);
                    run.say(
                        &ask,
                        VisitorEvent::InformationRequest {
                            field: field.label.clone(),
                            prompt: ask.clone(),
                        },
                    );
                    p.attempts += 1;
                    run.state.pending = Some(p);
                    return Step::Done;
                }
            }
        }
        Step::Gather(Trigger::resumed(p))
    }

    /// Outside working hours we offered to take a way to reach the visitor. The offer is for
    /// this message only, and only while the team is still away.
    fn step_contact_offer_answer(&self, run: &mut Run, at: &Turning<'_>) -> Result<Step> {
        let Turning {
            cfg,
            conv,
            text,
            now,
            ..
        } = *at;
        let t = Instant::now();
        run.state.pending = None;
        let closed =
            cfg.settings.working_hours_active && !hours::status(cfg, now, visitor_tz(conv))?.open;
        let lang = run.state.language.clone();
        let contact = gather::find_email(text)
            .map(|e| ("Email", e))
            .or_else(|| gather::find_contact_phone(text).map(|p| ("Phone", p)));
        let short = text.split_whitespace().count() <= 8;
        match contact {
            Some((label, value)) if closed => {
                run.rule(
                    "follow_up",
                    "contact_left",
                    format!(
                        "the visitor left their {} for the follow-up",
                        label.to_lowercase()
                    ),
                    t,
                );
                run.state.gathered.insert(label.into(), value.clone());
                run.timeline.push(NewEvent {
                    kind: TimelineKind::ContactLeft,
                    actor_id: None,
                    operator_id: None,
                    from_operator_id: None,
                    routing_profile_id: None,
                    text: Some(value.clone()),
                });
                let reply = phrases::contact_noted(lang.as_deref(), &value);
                run.say(
                    &reply,
                    VisitorEvent::Reply {
                        text: reply.clone(),
                    },
                );
                // A message that says more than the contact goes on through the
                // pipeline: its question is answered, its request still counts.
                if short {
                    return Ok(Step::Done);
                }
            }
            // A short "no" declines; a longer message that starts with one is about more.
            None if closed && short && classify::confirmation(text) == Some(false) => {
                run.rule(
                    "follow_up",
                    "declined",
                    "the visitor prefers not to leave a contact",
                    t,
                );
                let reply = phrases::no_contact(lang.as_deref());
                run.say(reply, VisitorEvent::Reply { text: reply.into() });
                return Ok(Step::Done);
            }
            // Something else, or the team is back: an ordinary message.
            _ => {}
        }
        Ok(Step::Next)
    }

    /// 2. Keywords force a handoff, no question asked.
    pub(super) fn step_keyword(&self, run: &mut Run, at: &Turning<'_>) -> Option<Trigger> {
        let Turning {
            cfg,
            compiled,
            text,
            ..
        } = *at;
        let t = Instant::now();
        let mut trigger = None;
        match compiled.keywords.find(text) {
            Some(k) => {
                run.rule(
                    "keyword",
                    "triggered",
                    format!("the message contains the keyword \"{k}\""),
                    t,
                );
                trigger = Some(Trigger {
                    reason: format!("keyword \"{k}\""),
                    key: None,
                    keyword: Some(k.to_owned()),
                    ask: false,
                    skipped: Vec::new(),
                });
            }
            None if !cfg.settings.keywords.is_empty() => {
                run.rule("keyword", "none", "no handoff keyword in the message", t)
            }
            None => {}
        }

        trigger
    }

    /// The agent's own answer, which also tells whether its knowledge base (or the operator's
    /// instruction) had one.
    pub(super) async fn step_answer(
        &self,
        run: &mut Run,
        at: &Turning<'_>,
        knowledge: Option<Vec<KnowledgeHit>>,
    ) -> Result<Outcome<AnswerOutcome>> {
        let Turning {
            conv,
            compiled,
            text,
            history,
            instruction,
            ..
        } = *at;
        let hits = match knowledge {
            Some(hits) => hits,
            None if text.is_empty() => Vec::new(),
            None => {
                self.store()
                    .knowledge_search(conv.agent_id, text, KNOWLEDGE_HITS)
                    .await?
            }
        };
        let answer = run
            .engine
            .answer(&compiled.description, instruction, history, text, &hits)
            .await;
        run.record(
            "answer",
            if answer.value.found {
                "found"
            } else {
                "not_found"
            },
            if answer.value.from_instruction {
                "answered from the operator's instruction for this conversation".into()
            } else if answer.value.found {
                format!(
                    "answered from {} knowledge base entr{}",
                    hits.len(),
                    if hits.len() == 1 { "y" } else { "ies" }
                )
            } else {
                "the knowledge base has nothing on this".into()
            },
            &answer.engine,
            answer.latency_us,
        );

        Ok(answer)
    }

    /// 3–4. Media and guidelines, judged by the engine; the most specific match wins.
    pub(super) async fn step_guidelines(
        &self,
        run: &mut Run,
        at: &Turning<'_>,
        answer: &AnswerOutcome,
    ) -> Option<Trigger> {
        let Turning {
            compiled,
            message,
            text,
            history,
            ..
        } = *at;
        let mut trigger = None;
        {
            let guidelines = &compiled.guidelines;
            if guidelines.is_empty() {
                run.rule(
                    "guidelines",
                    "none",
                    "no guideline is active",
                    Instant::now(),
                );
            } else {
                let decision = run
                    .engine
                    .decide(&DecideInput {
                        message: text,
                        has_attachments: !message.attachments.is_empty(),
                        history,
                        guidelines,
                        answer: Some(answer),
                        language: run.state.language.as_deref(),
                    })
                    .await;
                let d = decision.value;
                // Named as the operator knows them: a custom guideline by its name.
                let outcome = match d.trigger {
                    Some(GuidelineKey::Generic(g)) => g.as_str().to_owned(),
                    Some(key) => guideline_name(guidelines, key),
                    None => "none".into(),
                };
                let mut reason = d.reason.clone();
                if d.matched.len() > 1 {
                    let all: Vec<String> = d
                        .matched
                        .iter()
                        .enumerate()
                        .map(|(i, m)| {
                            let name = guideline_name(guidelines, m.key).replace('_', " ");
                            if i == 0 {
                                name
                            } else {
                                format!("{name} ({})", m.reason)
                            }
                        })
                        .collect();
                    reason = format!("{reason}. Matched, most specific first: {}", all.join("; "));
                }
                run.record(
                    "guidelines",
                    outcome,
                    reason,
                    &decision.engine,
                    decision.latency_us,
                );
                if let Some(key) = d.trigger {
                    trigger = Some(Trigger {
                        reason: d.reason.clone(),
                        key: Some(key),
                        keyword: None,
                        ask: key != GuidelineKey::Generic(GenericGuidelineName::HumanRequest),
                        skipped: Vec::new(),
                    });
                }
            }
        }

        trigger
    }

    /// 5. Unanswered questions in a row (counted always; a trigger only if none came before).
    pub(super) fn step_failed_answers(
        &self,
        run: &mut Run,
        at: &Turning<'_>,
        answer: &AnswerOutcome,
        triggered: bool,
    ) -> Option<Trigger> {
        let Turning { cfg, .. } = *at;
        let failed = if answer.found {
            0
        } else {
            run.state.failed_answers + 1
        };
        run.state.failed_answers = failed;
        let max = i64::from(cfg.settings.max_failed_answers);
        if !triggered && max > 0 && failed >= max {
            run.rule(
                "failed_answers",
                "triggered",
                format!("{failed} questions in a row without an answer"),
                Instant::now(),
            );
            return Some(Trigger {
                reason: format!("{failed} questions in a row without an answer"),
                key: None,
                keyword: None,
                ask: false,
                skipped: Vec::new(),
            });
        }

        None
    }

    /// 6. Handoff off: a trigger is only logged.
    pub(super) fn step_handoff_off(
        &self,
        run: &mut Run,
        at: &Turning<'_>,
        trigger: Option<Trigger>,
    ) -> Option<Trigger> {
        let Turning { cfg, .. } = *at;
        if trigger.is_some() && !cfg.settings.is_active {
            run.rule(
                "handoff",
                "ignored",
                "human handoff is off: the trigger is only logged",
                Instant::now(),
            );
            return None;
        }
        trigger
    }

    /// 7–8. Working hours, then the question for guideline triggers.
    pub(super) async fn handoff(
        &self,
        mut run: Run,
        at: &Turning<'_>,
        trigger: Trigger,
    ) -> Result<Run> {
        let Turning { cfg, conv, now, .. } = *at;
        let t = Instant::now();
        if cfg.settings.working_hours_active {
            let visitor_tz = visitor_tz(conv);
            let status = hours::status(cfg, now, visitor_tz)?;
            if !status.open {
                let local = status
                    .next_opening_visitor
                    .clone()
                    .or(status.next_opening_local.clone());
                let back = status
                    .next_opening
                    .zip(visitor_tz.or_else(|| cfg.settings.timezone.parse().ok()))
                    .map(|(at, tz)| {
                        format!(
                            "We are back {}.",
                            at.with_timezone(&tz).format("on %A %Y-%m-%d at %H:%M (%Z)")
                        )
                    });
                let lang = run.state.language.clone();
                let lang = lang.as_deref();
                let contact = ["Email", "Phone"]
                    .iter()
                    .find_map(|k| run.state.gathered.get(*k).cloned());
                // The owner's message the first time; after that, no canned repeat: where the
                // follow-up stands, and the offer to leave a contact until one is left.
                let text = match (conv.follow_up, &contact) {
                    (_, Some(c)) if conv.follow_up => phrases::already_noted(lang, c),
                    (true, _) => [
                        Some(phrases::still_closed(lang).to_owned()),
                        back,
                        Some(phrases::leave_contact(lang).into()),
                    ]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" "),
                    (false, _) => {
                        let mut parts = vec![cfg
                            .settings
                            .confirmation_outside_working_hours_message
                            .clone()];
                        parts.extend(back);
                        if contact.is_none() {
                            parts.push(phrases::leave_contact(lang).into());
                        }
                        parts.join(" ")
                    }
                };
                run.rule(
                    "working_hours",
                    "closed",
                    format!(
                        "outside working hours; {}; marked for follow-up{}",
                        trigger.reason,
                        if contact.is_none() {
                            "; offered to take a contact"
                        } else {
                            ""
                        }
                    ),
                    t,
                );
                run.state.follow_up = true;
                run.state.status = Status::Ai;
                // Why the team should follow up, for the list and the timeline: the first
                // request's reason (later ones, e.g. unanswered questions, do not replace it).
                if !conv.follow_up {
                    run.state.handoff_reason = Some(trigger.reason.clone());
                    run.timeline.push(NewEvent {
                        kind: TimelineKind::FollowUp,
                        actor_id: None,
                        operator_id: None,
                        from_operator_id: None,
                        routing_profile_id: None,
                        text: Some(trigger.reason.clone()),
                    });
                }
                run.state.pending = contact.is_none().then(|| {
                    Trigger {
                        skipped: Vec::new(),
                        ..trigger.clone()
                    }
                    .pending(Some(FOLLOW_UP_CONTACT.into()))
                });
                run.say(
                    &text,
                    VisitorEvent::OutOfHours {
                        text: text.clone(),
                        next_opening: status.next_opening,
                        next_opening_local: local,
                    },
                );
                return Ok(run);
            }
            run.rule("working_hours", "open", "within working hours", t);
        }
        if trigger.ask {
            run.rule(
                "question",
                "asked",
                format!("asking before handing off ({})", trigger.reason),
                Instant::now(),
            );
            run.state.status = Status::AwaitingConfirmation;
            run.state.pending = Some(trigger.pending(None));
            let q = cfg.settings.question_message.clone();
            run.say(&q, VisitorEvent::HandoffQuestion { text: q.clone() });
            return Ok(run);
        }
        self.gather_or_complete(run, at, trigger).await
    }

    /// 9. Information to gather, then 10. complete the handoff.
    pub(super) async fn gather_or_complete(
        &self,
        mut run: Run,
        at: &Turning<'_>,
        trigger: Trigger,
    ) -> Result<Run> {
        let Turning {
            cfg, transcript, ..
        } = *at;
        let t = Instant::now();
        let visitor_text: Vec<&str> = transcript
            .iter()
            .filter(|m| m.author == Author::Visitor)
            .map(|m| m.text.as_str())
            .collect();
        for field in &cfg.information_to_gather {
            if run.state.gathered.contains_key(&field.label) {
                continue;
            }
            if let Some(v) = visitor_text
                .iter()
                .find_map(|m| gather::extract(field, m, false))
            {
                run.rule(
                    "gathering",
                    "found",
                    format!("{} taken from the conversation", field.label),
                    t,
                );
                run.state.gathered.insert(field.label.clone(), v);
            }
        }
        let missing = cfg.information_to_gather.iter().find(|f| {
            f.required
                && !run.state.gathered.contains_key(&f.label)
                && !trigger.skipped.contains(&f.label)
        });
        if let Some(field) = missing {
            run.rule(
                "gathering",
                "asking",
                format!("asking for {}", field.label),
                t,
            );
            run.state.status = Status::GatheringInfo;
            run.state.pending = Some(trigger.pending(Some(field.label.clone())));
            run.say(
                &field.prompt,
                VisitorEvent::InformationRequest {
                    field: field.label.clone(),
                    prompt: field.prompt.clone(),
                },
            );
            return Ok(run);
        }
        self.complete(run, at, trigger).await
    }

    pub(super) async fn complete(
        &self,
        mut run: Run,
        at: &Turning<'_>,
        trigger: Trigger,
    ) -> Result<Run> {
        let Turning {
            cfg,
            conv,
            transcript,
            now,
            ..
        } = *at;
        run.state.status = Status::NeedsAgent;
        run.state.pending = None;
        run.state.handed_off_at = Some(Utc::now());
        run.state.handoff_reason = Some(trigger.reason.clone());
        run.state.follow_up = false;
        run.handoff = true;
        run.rule(
            "handoff",
            "completed",
            format!("handed off: {}", trigger.reason),
            Instant::now(),
        );
        let c = cfg.settings.confirmation_message.clone();
        run.say(&c, VisitorEvent::Confirmation { text: c.clone() });

        // Routing, then the least-loaded active operator of the matched profile.
        let profiles: Vec<ProfileSpec> = cfg
            .routing_profiles
            .iter()
            .filter(|p| p.is_active)
            .map(|p| ProfileSpec {
                id: p.id,
                name: p.name.clone(),
                description: p.description.clone(),
                examples: p.examples.clone(),
            })
            .collect();
        if !profiles.is_empty() {
            let route = run.engine.route(transcript, &profiles).await;
            // Names, not ids: the record is read by operators.
            let (outcome, reason) = match profiles
                .iter()
                .find(|p| Some(p.id) == route.value.profile_id)
            {
                Some(p) => ("routed", format!("to '{}': {}", p.name, route.value.reason)),
                None => ("none", route.value.reason.clone()),
            };
            run.record("routing", outcome, reason, &route.engine, route.latency_us);
            run.state.routing_profile_id = route.value.profile_id;
            if let Some(profile) = cfg
                .routing_profiles
                .iter()
                .find(|p| Some(p.id) == route.value.profile_id)
            {
                let t = Instant::now();
                let loads = self.store().operator_open_counts(&profile.user_ids).await?;
                // Fewest open conversations; ties go to the operator listed first.
                let pick = loads.iter().min_by_key(|(_, _, n)| *n);
                run.state.assignee_id = pick.map(|(id, _, _)| *id);
                match pick {
                    Some((_, name, _)) => run.rule(
                        "assignment",
                        "assigned",
                        format!(
                            "to {name}, the least busy active operator of '{}'",
                            profile.name
                        ),
                        t,
                    ),
                    None => run.rule(
                        "assignment",
                        "unassigned",
                        format!("'{}' has no active operator", profile.name),
                        t,
                    ),
                }
            }
        }

        if cfg.settings.auto_priority {
            let waiting = all_waiting_seconds(conv, now);
            let p = run
                .engine
                .priority(&PriorityInput {
                    transcript,
                    trigger: trigger.key,
                    keyword: trigger.keyword.as_deref(),
                    waiting_seconds: waiting,
                })
                .await;
            run.record(
                "priority",
                p.value.0.as_str(),
                &p.value.1,
                &p.engine,
                p.latency_us,
            );
            run.state.priority = Some(p.value.0);
        }
        if cfg.settings.ai_summary_active {
            let gathered = run.state.gathered_pairs();
            let s = run
                .engine
                .summarize(&SummaryInput {
                    transcript,
                    gathered: &gathered,
                    trigger: &trigger.reason,
                })
                .await;
            run.record(
                "summary",
                "written",
                "summary for the operator",
                &s.engine,
                s.latency_us,
            );
            run.state.ai_summary = Some(s.value);
        }
        self.handover_channels_offer(&mut run, at).await?;
        Ok(run)
    }

    /// With channels besides the inbox: the transition message and a button per channel
    /// instead of the confirmation (which the inbox button then gives), the messaging
    /// links pre-filled with the summary.
    async fn handover_channels_offer(&self, run: &mut Run, at: &Turning<'_>) -> Result<()> {
        let conv = at.conv;
        let channels = self
            .store()
            .handover_channels(conv.agent_id)
            .await?
            .unwrap_or_default();
        if channels.inbox_only() {
            return Ok(());
        }
        let t = Instant::now();
        let lang = run.state.language.clone();
        let summary = match &run.state.ai_summary {
            Some(s) => Some(s.clone()),
            None if channels.whatsapp.enabled || channels.telegram.enabled => {
                let gathered = run.state.gathered_pairs();
                Some(
                    crate::engine::builtin::BuiltinEngine.summarize(&SummaryInput {
                        transcript: at.transcript,
                        gathered: &gathered,
                        trigger: run.state.handoff_reason.as_deref().unwrap_or(""),
                    }),
                )
            }
            None => None,
        };
        let prefill = crate::chat::channels::prefill(lang.as_deref(), conv.id, summary.as_deref());
        let options = crate::chat::channels::options(&channels, lang.as_deref(), &prefill);
        let names: Vec<&str> = channels.enabled().iter().map(|c| c.title()).collect();
        let text = channels.transition_message.clone();
        if let Some(i) = run
            .events
            .iter()
            .rposition(|e| matches!(e, VisitorEvent::Confirmation { .. }))
        {
            run.events[i] = VisitorEvent::HandoverChannels {
                text: text.clone(),
                channels: options,
            };
            if let Some(m) = run.replies.last_mut() {
                m.text = text;
            }
        }
        run.rule(
            "handover_channels",
            "offered",
            format!("the visitor may choose: {}", names.join(", ")),
            t,
        );
        Ok(())
    }
}
