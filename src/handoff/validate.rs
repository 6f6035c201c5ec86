//! Turns a PUT body into the complete new configuration, or reports every invalid field.
//! Nothing is written here; the store saves the result in one transaction.

use std::collections::{HashMap, HashSet};
use std::str::FromStr;

use chrono::NaiveDate;

use super::limits::*;
use super::model::*;
use crate::auth::Role;
use crate::error::{Problems, Result};
use crate::fields::{check_timezone, is_valid_email};
use crate::schedule::{parse_day_span, Clock};
use crate::Id;

/// Id given to items that do not exist yet; the store assigns the real one.
pub const NEW_ID: Id = 0;

/// Merge `update` into `current`. `operators` are the operators that exist, with their role.
pub fn apply_update(
    current: &HandoffConfiguration,
    update: HandoffConfigurationUpdate,
    operators: &HashMap<Id, Role>,
) -> Result<HandoffConfiguration> {
    let mut p = Problems::new();
    let mut next = current.clone();

    if let Some(s) = update.settings {
        apply_settings(&mut next.settings, s, &mut p);
    }
    if let Some(slots) = update.availability {
        next.availability = availability(&current.availability, slots, &mut p);
    }
    if let Some(items) = update.availability_exceptions {
        next.availability_exceptions = exceptions(&current.availability_exceptions, items, &mut p);
    }
    if let Some(items) = update.generic_guidelines {
        generic(&mut next.generic_guidelines, items, &mut p);
    }
    if let Some(items) = update.custom_guidelines {
        next.custom_guidelines = custom(&current.custom_guidelines, items, &mut p);
    }
    if let Some(items) = update.routing_profiles {
        next.routing_profiles = routing(&current.routing_profiles, items, operators, &mut p);
    }
    if let Some(items) = update.information_to_gather {
        next.information_to_gather = information(&current.information_to_gather, items, &mut p);
    }
    next.settings.topic_based_routing_active = next.routing_profiles.iter().any(|r| r.is_active);
    p.into_result()?;
    Ok(next)
}

fn apply_settings(s: &mut Settings, u: SettingsUpdate, p: &mut Problems) {
    // `topic_based_routing_active` is derived; a client echoing it back is fine.
    let SettingsUpdate {
        is_active,
        keywords,
        ai_summary_active,
        topic_based_routing_active: _,
        question_message,
        confirmation_message,
        confirmation_outside_working_hours_message,
        working_hours_active,
        timezone,
        send_email_notification,
        emails,
        auto_priority,
        max_failed_answers,
    } = u;
    set(&mut s.is_active, is_active);
    set(&mut s.ai_summary_active, ai_summary_active);
    set(&mut s.working_hours_active, working_hours_active);
    set(&mut s.send_email_notification, send_email_notification);
    set(&mut s.auto_priority, auto_priority);
    if let Some(k) = keywords {
        s.keywords = validate_keywords(k, p);
    }
    for (field, value, target) in [
        (
            "settings.question_message",
            question_message,
            &mut s.question_message,
        ),
        (
            "settings.confirmation_message",
            confirmation_message,
            &mut s.confirmation_message,
        ),
        (
            "settings.confirmation_outside_working_hours_message",
            confirmation_outside_working_hours_message,
            &mut s.confirmation_outside_working_hours_message,
        ),
    ] {
        if let Some(v) = value {
            p.max_chars(field, &v, MESSAGE_MAX_CHARS);
            *target = v;
        }
    }
    if let Some(tz) = timezone {
        if let Err(msg) = check_timezone(&tz) {
            p.push("settings.timezone", "invalid_timezone", msg);
        }
        s.timezone = tz;
    }
    if let Some(e) = emails {
        s.emails = validate_emails(e, p);
    }
    if let Some(n) = max_failed_answers {
        if n > MAX_FAILED_ANSWERS_MAX {
            p.push(
                "settings.max_failed_answers",
                "out_of_range",
                format!("enter a whole number from 0 (off) to {MAX_FAILED_ANSWERS_MAX}"),
            );
        }
        s.max_failed_answers = n;
    }
    // Working hours without any time zone would be meaningless; the default is UTC, so only
    // an explicit empty string can get here and check_timezone already reported it.
}

fn set<T>(target: &mut T, value: Option<T>) {
    if let Some(v) = value {
        *target = v;
    }
}

fn validate_keywords(keywords: Vec<String>, p: &mut Problems) -> Vec<String> {
    if keywords.len() > KEYWORDS_MAX {
        p.push(
            "settings.keywords",
            "too_many",
            format!("at most {KEYWORDS_MAX} keywords"),
        );
    }
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(keywords.len());
    for (i, k) in keywords.into_iter().enumerate() {
        let field = format!("settings.keywords[{i}]");
        let k = k.trim().to_owned();
        if k.is_empty() {
            p.push(&field, "required", "must not be empty");
        }
        p.max_chars(&field, &k, KEYWORD_MAX_CHARS);
        // Keywords match case-insensitively, so "Agent" and "agent" are the same keyword.
        if !k.is_empty() && !seen.insert(k.to_lowercase()) {
            p.push(&field, "duplicate", format!("'{k}' is already in the list"));
        }
        out.push(k);
    }
    out
}

fn validate_emails(emails: Vec<String>, p: &mut Problems) -> Vec<String> {
    if emails.len() > EMAILS_MAX {
        p.push(
            "settings.emails",
            "too_many",
            format!("at most {EMAILS_MAX} addresses"),
        );
    }
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(emails.len());
    for (i, e) in emails.into_iter().enumerate() {
        let field = format!("settings.emails[{i}]");
        let e = e.trim().to_owned();
        if !is_valid_email(&e) {
            let msg = if e.is_empty() {
                "enter an email address, like name@example.com".to_owned()
            } else {
                format!("'{e}' is not an email address like name@example.com")
            };
            p.push(&field, "invalid_email", msg);
        } else if !seen.insert(e.to_lowercase()) {
            p.push(&field, "duplicate", format!("'{e}' is already in the list"));
        }
        out.push(e);
    }
    out
}

/// Resolves an item's id against the current section: `None` is new, a known id is kept,
/// anything else is an error (ids are never invented by clients nor reused across agents).
fn resolve_id(
    field: &str,
    id: Option<Id>,
    known: &HashSet<Id>,
    used: &mut HashSet<Id>,
    p: &mut Problems,
) -> Id {
    match id {
        None => NEW_ID,
        Some(id) if !known.contains(&id) => {
            p.push(
                format!("{field}.id"),
                "unknown_id",
                format!("no item with id {id} here; omit the id to create a new item"),
            );
            NEW_ID
        }
        Some(id) if !used.insert(id) => {
            p.push(
                format!("{field}.id"),
                "duplicate_id",
                format!("id {id} appears more than once"),
            );
            NEW_ID
        }
        Some(id) => id,
    }
}

fn too_many(p: &mut Problems, field: &str, len: usize, max: usize) {
    if len > max {
        p.push(
            field,
            "too_many",
            format!("at most {max} items (got {len})"),
        );
    }
}

fn clock(p: &mut Problems, field: &str, value: &str) -> Option<Clock> {
    match Clock::from_str(value) {
        Ok(c) => Some(c),
        Err(e) => {
            p.push(field, "invalid_time", e.to_string());
            None
        }
    }
}

/// Start and end of one period: valid times, the start not 24:00, the end different from the start.
fn period(p: &mut Problems, field: &str, start: &str, end: &str) {
    let s = clock(p, &format!("{field}.start_time"), start);
    let e = clock(p, &format!("{field}.end_time"), end);
    if let Some(s) = s {
        if s.minutes() == 1440 {
            p.push(
                format!("{field}.start_time"),
                "invalid_time",
                "24:00 is only valid as an end time",
            );
        }
        if e == Some(s) {
            p.push(
                format!("{field}.end_time"),
                "empty_period",
                "end_time must differ from start_time (use 00:00–24:00 for a whole day)",
            );
        }
    }
}

fn availability(
    current: &[AvailabilitySlot],
    items: Vec<AvailabilitySlotInput>,
    p: &mut Problems,
) -> Vec<AvailabilitySlot> {
    too_many(p, "availability", items.len(), AVAILABILITY_MAX);
    let known: HashSet<Id> = current.iter().map(|s| s.id).collect();
    let mut used = HashSet::new();
    items
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let field = format!("availability[{i}]");
            let id = resolve_id(&field, s.id, &known, &mut used, p);
            if let Err(e) = parse_day_span(&s.day_span) {
                p.push(
                    format!("{field}.day_span"),
                    "invalid_day_span",
                    e.to_string(),
                );
            }
            period(p, &field, &s.start_time, &s.end_time);
            AvailabilitySlot {
                id,
                day_span: s.day_span,
                start_time: s.start_time,
                end_time: s.end_time,
            }
        })
        .collect()
}

fn exceptions(
    current: &[AvailabilityException],
    items: Vec<AvailabilityExceptionInput>,
    p: &mut Problems,
) -> Vec<AvailabilityException> {
    too_many(p, "availability_exceptions", items.len(), EXCEPTIONS_MAX);
    let known: HashSet<Id> = current.iter().map(|s| s.id).collect();
    let mut used = HashSet::new();
    let mut closed_dates = HashSet::new();
    let mut open_dates = HashSet::new();
    let out: Vec<_> = items
        .into_iter()
        .enumerate()
        .map(|(i, x)| {
            let field = format!("availability_exceptions[{i}]");
            let id = resolve_id(&field, x.id, &known, &mut used, p);
            let date = NaiveDate::parse_from_str(&x.date, "%Y-%m-%d")
                .ok()
                .filter(|_| x.date.len() == 10);
            if date.is_none() {
                p.push(
                    format!("{field}.date"),
                    "invalid_date",
                    "must be a date YYYY-MM-DD",
                );
            }
            p.max_chars(&format!("{field}.name"), &x.name, NAME_MAX_CHARS);
            match (x.closed, &x.start_time, &x.end_time) {
                (true, None, None) => {
                    if let Some(d) = date {
                        if !closed_dates.insert(d) {
                            p.push(
                                format!("{field}.date"),
                                "duplicate",
                                "this date is already marked closed",
                            );
                        }
                    }
                }
                (true, _, _) => p.push(
                    format!("{field}.start_time"),
                    "unexpected",
                    "a closed day has no start_time or end_time",
                ),
                (false, Some(s), Some(e)) => {
                    period(p, &field, s, e);
                    if let Some(d) = date {
                        open_dates.insert(d);
                    }
                }
                (false, s, _) => p.push(
                    format!(
                        "{field}.{}",
                        if s.is_none() {
                            "start_time"
                        } else {
                            "end_time"
                        }
                    ),
                    "required",
                    "special hours need both start_time and end_time (or set closed: true)",
                ),
            }
            AvailabilityException {
                id,
                date: x.date,
                name: x.name,
                closed: x.closed,
                start_time: x.start_time,
                end_time: x.end_time,
            }
        })
        .collect();
    for (i, x) in out.iter().enumerate() {
        if x.closed {
            if let Ok(d) = NaiveDate::parse_from_str(&x.date, "%Y-%m-%d") {
                if open_dates.contains(&d) {
                    p.push(
                        format!("availability_exceptions[{i}].closed"),
                        "conflict",
                        "this date also has special hours; a date is either closed or has hours",
                    );
                }
            }
        }
    }
    out
}

fn generic(current: &mut [GenericGuideline], items: Vec<GenericGuidelineInput>, p: &mut Problems) {
    let mut seen = HashSet::new();
    for (i, g) in items.into_iter().enumerate() {
        let field = format!("generic_guidelines[{i}].name");
        let Some(name) = GenericGuidelineName::parse(&g.name) else {
            let names: Vec<_> = GenericGuidelineName::ALL
                .iter()
                .map(|n| n.as_str())
                .collect();
            p.push(
                field,
                "unknown_guideline",
                format!(
                    "unknown generic guideline '{}'; expected one of {}",
                    g.name,
                    names.join(", ")
                ),
            );
            continue;
        };
        if !seen.insert(name) {
            p.push(field, "duplicate", format!("'{}' is listed twice", g.name));
            continue;
        }
        // Descriptions of generic guidelines are fixed; a client echoing them back is fine.
        if let Some(current) = current.iter_mut().find(|c| c.name == name) {
            current.is_active = g.is_active;
        }
    }
}

fn custom(
    current: &[CustomGuideline],
    items: Vec<CustomGuidelineInput>,
    p: &mut Problems,
) -> Vec<CustomGuideline> {
    too_many(p, "custom_guidelines", items.len(), CUSTOM_GUIDELINES_MAX);
    let known: HashSet<Id> = current.iter().map(|s| s.id).collect();
    let mut used = HashSet::new();
    items
        .into_iter()
        .enumerate()
        .map(|(i, g)| {
            let field = format!("custom_guidelines[{i}]");
            let id = resolve_id(&field, g.id, &known, &mut used, p);
            name_and_description(p, &field, &g.name, &g.description);
            let examples = examples(p, &field, g.examples);
            CustomGuideline {
                id,
                name: g.name.trim().to_owned(),
                description: g.description,
                is_active: g.is_active,
                examples,
            }
        })
        .collect()
}

/// Example phrases (of a custom guideline or a routing profile): at most [`EXAMPLES_MAX`],
/// each trimmed, not blank, at most [`EXAMPLE_MAX_CHARS`].
fn examples(p: &mut Problems, field: &str, items: Vec<String>) -> Vec<String> {
    too_many(p, &format!("{field}.examples"), items.len(), EXAMPLES_MAX);
    items
        .into_iter()
        .enumerate()
        .map(|(j, e)| {
            let f = format!("{field}.examples[{j}]");
            let e = e.trim().to_owned();
            p.not_blank(&f, &e);
            p.max_chars(&f, &e, EXAMPLE_MAX_CHARS);
            e
        })
        .collect()
}

fn name_and_description(p: &mut Problems, field: &str, name: &str, description: &str) {
    p.not_blank(&format!("{field}.name"), name);
    p.max_chars(&format!("{field}.name"), name.trim(), NAME_MAX_CHARS);
    p.max_chars(
        &format!("{field}.description"),
        description,
        DESCRIPTION_MAX_CHARS,
    );
}

fn routing(
    current: &[RoutingProfile],
    items: Vec<RoutingProfileInput>,
    operators: &HashMap<Id, Role>,
    p: &mut Problems,
) -> Vec<RoutingProfile> {
    too_many(p, "routing_profiles", items.len(), ROUTING_PROFILES_MAX);
    let known: HashSet<Id> = current.iter().map(|s| s.id).collect();
    let mut used = HashSet::new();
    items
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            let field = format!("routing_profiles[{i}]");
            let id = resolve_id(&field, r.id, &known, &mut used, p);
            name_and_description(p, &field, &r.name, &r.description);
            too_many(
                p,
                &format!("{field}.user_ids"),
                r.user_ids.len(),
                PROFILE_OPERATORS_MAX,
            );
            let examples = examples(p, &field, r.examples);
            let mut seen = HashSet::new();
            for (j, uid) in r.user_ids.iter().enumerate() {
                let f = format!("{field}.user_ids[{j}]");
                // A viewer cannot reply, so cannot be given conversations; one who became a
                // viewer while listed may stay (a GET's body must PUT back as it is), and is
                // skipped by assignment.
                let listed = current
                    .iter()
                    .any(|c| c.id == id && c.user_ids.contains(uid));
                match operators.get(uid) {
                    None => p.push(f, "unknown_operator", format!("no operator with id {uid}")),
                    Some(Role::Viewer) if !listed => p.push(
                        f,
                        "viewer_operator",
                        format!("operator {uid} is a viewer, who cannot take conversations"),
                    ),
                    Some(_) if !seen.insert(*uid) => {
                        p.push(f, "duplicate", format!("operator {uid} is listed twice"))
                    }
                    Some(_) => {}
                }
            }
            RoutingProfile {
                id,
                name: r.name.trim().to_owned(),
                description: r.description,
                is_active: r.is_active,
                user_ids: r.user_ids,
                examples,
            }
        })
        .collect()
}

fn information(
    current: &[InformationField],
    items: Vec<InformationFieldInput>,
    p: &mut Problems,
) -> Vec<InformationField> {
    too_many(
        p,
        "information_to_gather",
        items.len(),
        INFORMATION_FIELDS_MAX,
    );
    let known: HashSet<Id> = current.iter().map(|s| s.id).collect();
    let mut used = HashSet::new();
    let mut labels = HashSet::new();
    items
        .into_iter()
        .enumerate()
        .map(|(i, f)| {
            let field = format!("information_to_gather[{i}]");
            let id = resolve_id(&field, f.id, &known, &mut used, p);
            let kind = InformationKind::parse(&f.kind).unwrap_or_else(|| {
                p.push(
                    format!("{field}.kind"),
                    "invalid_kind",
                    "must be one of name, email, phone, order_number, custom",
                );
                InformationKind::Custom
            });
            let mut label = f.label.trim().to_owned();
            if label.is_empty() {
                if kind == InformationKind::Custom {
                    p.push(
                        format!("{field}.label"),
                        "required",
                        "a custom field needs a label",
                    );
                } else {
                    label = kind.as_str().replace('_', " ");
                }
            }
            p.max_chars(&format!("{field}.label"), &label, NAME_MAX_CHARS);
            if !label.is_empty() && !labels.insert(label.to_lowercase()) {
                p.push(
                    format!("{field}.label"),
                    "duplicate",
                    format!("'{label}' is gathered twice"),
                );
            }
            p.not_blank(&format!("{field}.prompt"), &f.prompt);
            p.max_chars(&format!("{field}.prompt"), &f.prompt, MESSAGE_MAX_CHARS);
            InformationField {
                id,
                kind,
                label,
                prompt: f.prompt,
                required: f.required,
            }
        })
        .collect()
}
