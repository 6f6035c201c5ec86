//! The form and button action types: their limits, the checks of a save, and the check of a
//! visitor's submitted form (in the core: the widget's own checks are a courtesy).

use std::collections::{BTreeMap, BTreeSet};

use super::model::{ActionButton, ActionForm, ButtonMoment, FormField, FormFieldType};
use super::validate::{is_action_name, is_param_name};
use crate::error::{Problems, Result};

pub const FORM_INTRO_MAX: usize = 500;
pub const FORM_TITLE_MAX: usize = 100;
pub const FORM_FIELDS_MAX: usize = 10;
pub const FIELD_LABEL_MAX: usize = 200;
pub const FIELD_PLACEHOLDER_MAX: usize = 100;
pub const FIELD_OPTIONS_MAX: usize = 50;
pub const FIELD_OPTION_MAX: usize = 100;
pub const SUBMIT_LABEL_MAX: usize = 40;
pub const SUCCESS_MESSAGE_MAX: usize = 500;
pub const BUTTON_MESSAGE_MAX: usize = 500;
pub const BUTTON_LABEL_MAX: usize = 40;
/// A submitted value: one line, or a long text.
pub const VALUE_MAX: usize = 500;
pub const LONG_VALUE_MAX: usize = 5000;

fn trimmed(s: &str) -> String {
    s.trim().to_owned()
}

fn run_action(p: &mut Problems, field: &str, name: &Option<String>) -> Option<String> {
    let name = name.as_deref().map(str::trim).filter(|n| !n.is_empty())?;
    if !is_action_name(name) {
        p.push(
            field,
            "invalid_name",
            "not the name of an action (like create_return)",
        );
    }
    Some(name.to_owned())
}

/// Checks a form action's form (trimmed); `form.*` paths.
pub(crate) fn check_form(p: &mut Problems, f: &ActionForm) -> ActionForm {
    let intro = trimmed(&f.intro);
    p.not_blank("form.intro", &intro);
    p.max_chars("form.intro", &intro, FORM_INTRO_MAX);
    let title = trimmed(&f.title);
    p.not_blank("form.title", &title);
    p.max_chars("form.title", &title, FORM_TITLE_MAX);
    if f.fields.is_empty() || f.fields.len() > FORM_FIELDS_MAX {
        p.push(
            "form.fields",
            "count",
            format!("a form has 1 to {FORM_FIELDS_MAX} fields"),
        );
    }
    let mut seen = BTreeSet::new();
    let fields = f
        .fields
        .iter()
        .enumerate()
        .map(|(i, field)| {
            let at = |x: &str| format!("form.fields[{i}].{x}");
            let name = trimmed(&field.name);
            if !is_param_name(&name) || name.len() > 64 {
                p.push(
                    at("name"),
                    "invalid_name",
                    "use letters, digits, _ and - only, starting with a letter (like order_id)",
                );
            } else if !seen.insert(name.to_lowercase()) {
                p.push(at("name"), "duplicate", "another field has this name");
            }
            let label = trimmed(&field.label);
            p.not_blank(&at("label"), &label);
            p.max_chars(&at("label"), &label, FIELD_LABEL_MAX);
            let placeholder = trimmed(&field.placeholder);
            p.max_chars(&at("placeholder"), &placeholder, FIELD_PLACEHOLDER_MAX);
            let options: Vec<String> = field.options.iter().map(|o| trimmed(o)).collect();
            if field.kind == FormFieldType::Select {
                if options.is_empty() || options.len() > FIELD_OPTIONS_MAX {
                    p.push(
                        at("options"),
                        "count",
                        format!("a choice lists 1 to {FIELD_OPTIONS_MAX} options"),
                    );
                }
                let mut seen = BTreeSet::new();
                for (j, o) in options.iter().enumerate() {
                    let of = format!("form.fields[{i}].options[{j}]");
                    p.not_blank(&of, o);
                    p.max_chars(&of, o, FIELD_OPTION_MAX);
                    if !seen.insert(o.to_lowercase()) {
                        p.push(of, "duplicate", format!("{o} is listed twice"));
                    }
                }
            } else if !options.is_empty() {
                p.push(
                    at("options"),
                    "not_allowed",
                    "only a choice (select) field has options",
                );
            }
            FormField {
                name,
                label,
                kind: field.kind,
                required: field.required,
                placeholder,
                options,
            }
        })
        .collect();
    let submit_label = trimmed(&f.submit_label);
    p.not_blank("form.submit_label", &submit_label);
    p.max_chars("form.submit_label", &submit_label, SUBMIT_LABEL_MAX);
    let success_message = trimmed(&f.success_message);
    p.not_blank("form.success_message", &success_message);
    p.max_chars(
        "form.success_message",
        &success_message,
        SUCCESS_MESSAGE_MAX,
    );
    ActionForm {
        intro,
        title,
        fields,
        submit_label,
        create_lead: f.create_lead,
        run_action: run_action(p, "form.run_action", &f.run_action),
        success_message,
    }
}

/// Checks a button action's button (trimmed); `button.*` paths. Exactly one of a link and an
/// action to run.
pub(crate) fn check_button(p: &mut Problems, b: &ActionButton) -> ActionButton {
    let message = trimmed(&b.message);
    p.max_chars("button.message", &message, BUTTON_MESSAGE_MAX);
    if b.moment == ButtonMoment::AfterFirstAnswer && !message.is_empty() {
        // Shown under an answer about something else: its own words would interrupt it.
        p.push(
            "button.message",
            "not_allowed",
            "a button shown under the first answer has no message of its own",
        );
    }
    let label = trimmed(&b.label);
    p.not_blank("button.label", &label);
    p.max_chars("button.label", &label, BUTTON_LABEL_MAX);
    let url = b
        .url
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(str::to_owned);
    if let Some(u) = &url {
        p.max_chars("button.url", u, crate::chat::validate::URL_MAX);
        if let Err(m) = crate::chat::validate::check_link(u) {
            p.push("button.url", "invalid_url", m);
        }
    }
    let run = run_action(p, "button.run_action", &b.run_action);
    match (&url, &run) {
        (None, None) => p.push(
            "button.url",
            "required",
            "give the link to open, or the action to run",
        ),
        (Some(_), Some(_)) => p.push(
            "button.run_action",
            "not_allowed",
            "a button opens a link or runs an action, not both",
        ),
        _ => {}
    }
    ActionButton {
        message,
        label,
        moment: b.moment,
        url,
        run_action: run,
    }
}

/// A visitor's submitted values checked against the form: each field by its type (an email
/// address, a phone number in international form, a number, one of the options, a ticked
/// box), required ones present, unknown names refused; errors at `values.NAME`, all at once.
/// What comes back is each filled field's value as text (a phone in E.164), in the form's
/// order.
pub(crate) fn check_submission(
    form: &ActionForm,
    values: &BTreeMap<String, serde_json::Value>,
) -> Result<Vec<(FormField, String)>> {
    let mut p = Problems::new();
    for name in values.keys() {
        if !form.fields.iter().any(|f| &f.name == name) {
            p.push(
                format!("values.{name}"),
                "unknown_field",
                "the form has no such field",
            );
        }
    }
    let mut out = Vec::new();
    for f in &form.fields {
        let at = format!("values.{}", f.name);
        let raw = values.get(&f.name);
        if f.kind == FormFieldType::Consent {
            let ticked = match raw {
                None | Some(serde_json::Value::Null) => false,
                Some(serde_json::Value::Bool(b)) => *b,
                Some(_) => {
                    p.push(&at, "invalid", "must be true or false");
                    continue;
                }
            };
            if f.required && !ticked {
                p.push(&at, "required", "must be ticked");
            }
            if ticked {
                out.push((f.clone(), "yes".to_owned()));
            }
            continue;
        }
        let text = match raw {
            None | Some(serde_json::Value::Null) => String::new(),
            Some(serde_json::Value::String(s)) => s.trim().to_owned(),
            Some(serde_json::Value::Number(n)) if f.kind == FormFieldType::Number => n.to_string(),
            Some(_) => {
                p.push(&at, "invalid", "must be text");
                continue;
            }
        };
        if text.is_empty() {
            if f.required {
                p.push(&at, "required", "must not be empty");
            }
            continue;
        }
        let max = if f.kind == FormFieldType::LongText {
            LONG_VALUE_MAX
        } else {
            VALUE_MAX
        };
        if text.chars().count() > max {
            p.max_chars(&at, &text, max);
            continue;
        }
        if text
            .chars()
            .any(|c| c.is_control() && (c != '\n' || f.kind != FormFieldType::LongText))
        {
            p.push(&at, "invalid", "must not contain control characters");
            continue;
        }
        let value = match f.kind {
            FormFieldType::Email => {
                if !crate::fields::is_valid_email(&text) {
                    p.push(&at, "invalid_email", "not an email address");
                    continue;
                }
                text
            }
            FormFieldType::Phone => match crate::fields::phone_e164(&text, None) {
                Some(e164) => e164,
                None => {
                    p.push(
                        &at,
                        "invalid_phone",
                        "not a phone number (write it with the country code, like +44 20 7946 0958)",
                    );
                    continue;
                }
            },
            FormFieldType::Number => {
                let n = text.replace(',', ".");
                if n.parse::<f64>().map_or(true, |x| !x.is_finite()) {
                    p.push(&at, "invalid_number", "not a number");
                    continue;
                }
                n
            }
            FormFieldType::Select => match f.options.iter().find(|o| o.eq_ignore_ascii_case(&text))
            {
                Some(o) => o.clone(),
                None => {
                    p.push(&at, "invalid_option", "not one of the choices");
                    continue;
                }
            },
            _ => text,
        };
        out.push((f.clone(), value));
    }
    p.into_result()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use serde_json::json;

    fn form() -> ActionForm {
        serde_json::from_value(json!({
            "intro": "Tell us about the return.",
            "title": "Return request",
            "fields": [
                {"name": "order_id", "label": "Order number", "type": "text", "required": true},
                {"name": "email", "label": "Email", "type": "email", "required": true},
                {"name": "phone", "label": "Phone", "type": "phone"},
                {"name": "items", "label": "How many items", "type": "number"},
                {"name": "reason", "label": "Reason", "type": "select",
                 "options": ["Damaged", "Wrong size"], "required": true},
                {"name": "notes", "label": "Anything else", "type": "long_text"},
                {"name": "terms", "label": "I accept the return policy", "type": "consent",
                 "required": true}
            ],
            "success_message": "Thanks, we got it."
        }))
        .unwrap()
    }

    fn fields_of(e: Error) -> Vec<String> {
        match e {
            Error::Validation(v) => v.into_iter().map(|f| f.field).collect(),
            e => panic!("{e:?}"),
        }
    }

    #[test]
    fn a_submission_is_checked_field_by_field() {
        let f = form();
        let ok = check_submission(
            &f,
            &serde_json::from_value(json!({
                "order_id": " A-4521 ", "email": "rita@example.org", "phone": "+351 912 345 678",
                "items": "2", "reason": "wrong size", "notes": "Line one\nline two", "terms": true
            }))
            .unwrap(),
        )
        .unwrap();
        let got: Vec<(&str, &str)> = ok
            .iter()
            .map(|(f, v)| (f.name.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("order_id", "A-4521"),
                ("email", "rita@example.org"),
                ("phone", "+351912345678"),
                ("items", "2"),
                ("reason", "Wrong size"),
                ("notes", "Line one\nline two"),
                ("terms", "yes"),
            ]
        );
        let bad = check_submission(
            &f,
            &serde_json::from_value(json!({
                "email": "rita@", "phone": "12", "items": "two", "reason": "Lost",
                "notes": "x".repeat(LONG_VALUE_MAX + 1), "terms": false, "extra": "?"
            }))
            .unwrap(),
        )
        .unwrap_err();
        assert_eq!(
            fields_of(bad),
            [
                "values.extra",
                "values.order_id",
                "values.email",
                "values.phone",
                "values.items",
                "values.reason",
                "values.notes",
                "values.terms"
            ]
        );
        // A line break is only for the long text.
        let e = check_submission(
            &f,
            &serde_json::from_value(json!({
                "order_id": "A\n1", "email": "a@b.co", "reason": "Damaged", "terms": true
            }))
            .unwrap(),
        )
        .unwrap_err();
        assert_eq!(fields_of(e), ["values.order_id"]);
    }

    #[test]
    fn a_form_and_a_button_are_checked_at_save() {
        let mut p = Problems::new();
        let mut f = form();
        f.fields.push(f.fields[0].clone());
        f.fields[2].options = vec!["x".into()];
        f.fields[4].options.clear();
        f.run_action = Some("Not A Name".into());
        f.title = " ".into();
        check_form(&mut p, &f);
        let e = p.into_result().unwrap_err();
        assert_eq!(
            fields_of(e),
            [
                "form.title",
                "form.fields[2].options",
                "form.fields[4].options",
                "form.fields[7].name",
                "form.run_action"
            ]
        );

        let mut p = Problems::new();
        let b: ActionButton = serde_json::from_value(json!({"label": "Book a demo"})).unwrap();
        check_button(&mut p, &b);
        let both: ActionButton = serde_json::from_value(json!({
            "label": "Book", "url": "https://example.com/demo", "run_action": "book"
        }))
        .unwrap();
        check_button(&mut p, &both);
        let js: ActionButton = serde_json::from_value(json!({
            "label": "x", "url": "javascript:alert(1)", "moment": "after_first_answer",
            "message": "Hi"
        }))
        .unwrap();
        check_button(&mut p, &js);
        assert_eq!(
            fields_of(p.into_result().unwrap_err()),
            [
                "button.url",
                "button.run_action",
                "button.message",
                "button.url"
            ]
        );
    }
}
