//! Which action a visitor's message calls for, and the parameter values the conversation
//! already holds: the built-in engine's side of custom actions (offline, no key).
//!
//! A message calls for an action when it matches one of the action's example phrases (the
//! fuzzy matcher custom guidelines use), or shares content words with the action's name and
//! description: two of them, or one when the message also carries every required parameter
//! (an order number, an email). "When not to use" holds a match back when the message shares
//! a content word with it that the description does not explain.

use std::collections::BTreeMap;

use super::classify;
use super::text::tokens;
use crate::actions::model::{ActionParamType, ActionParameter};

/// What the engine sees of an action.
#[derive(Debug, Clone, Copy)]
pub struct ActionSpec<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub when_not_to_use: &'a str,
    pub examples: &'a [String],
    pub parameters: &'a [ActionParameter],
}

/// The action a message calls for.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionMatch {
    /// Index into the specs.
    pub index: usize,
    pub score: f32,
    /// In words, for the decision record.
    pub reason: String,
    /// Set when "when not to use" holds it back: why.
    pub held_back: Option<String>,
}

/// The best action for `text` (the visitor's latest message), if any.
pub fn choose(text: &str, specs: &[ActionSpec<'_>]) -> Option<ActionMatch> {
    let words = tokens(text);
    let mut best: Option<ActionMatch> = None;
    for (index, spec) in specs.iter().enumerate() {
        let Some((score, reason)) = score(text, &words, spec) else {
            continue;
        };
        if best.as_ref().is_some_and(|b| b.score >= score) {
            continue;
        }
        best = Some(ActionMatch {
            index,
            score,
            reason,
            held_back: held_back(&words, spec),
        });
    }
    best
}

fn score(text: &str, words: &[String], spec: &ActionSpec<'_>) -> Option<(f32, String)> {
    if let Some((i, s)) = classify::example_match(text, spec.examples) {
        return Some((
            1.0 + s,
            format!(
                "the message matches the example \"{}\" of action '{}'",
                spec.examples[i], spec.name
            ),
        ));
    }
    let about = topic_words(spec);
    let mut shared: Vec<&str> = words
        .iter()
        .filter(|w| !is_number(w) && about.contains(w))
        .map(String::as_str)
        .collect();
    shared.sort_unstable();
    shared.dedup();
    let filled = spec
        .parameters
        .iter()
        .filter(|p| p.required)
        .all(|p| extract(p, text, &[]).is_some());
    let has_required = spec.parameters.iter().any(|p| p.required);
    let enough = shared.len() >= 2 || (shared.len() == 1 && has_required && filled);
    enough.then(|| {
        (
            shared.len() as f32 / words.len().max(1) as f32,
            format!(
                "the message is about what action '{}' does ({})",
                spec.name,
                shared.join(", ")
            ),
        )
    })
}

/// The content words of an action's name (`order_status` is "order status") and description.
fn topic_words(spec: &ActionSpec<'_>) -> Vec<String> {
    let mut out = tokens(&spec.name.replace(['_', '-'], " "));
    out.extend(tokens(spec.description));
    out.sort_unstable();
    out.dedup();
    out
}

fn held_back(words: &[String], spec: &ActionSpec<'_>) -> Option<String> {
    if spec.when_not_to_use.trim().is_empty() {
        return None;
    }
    let about = topic_words(spec);
    let against = tokens(spec.when_not_to_use);
    let hit = words
        .iter()
        .find(|w| !is_number(w) && against.contains(w) && !about.contains(w))?;
    Some(format!(
        "held back by its \"when not to use\" (\"{}\" is there)",
        hit
    ))
}

fn is_number(w: &str) -> bool {
    w.chars().all(|c| c.is_ascii_digit())
}

/// The values the conversation already holds for `params`: the latest message first, then
/// the earlier ones (newest first).
pub fn fill(
    params: &[ActionParameter],
    text: &str,
    history: &[&str],
) -> BTreeMap<String, serde_json::Value> {
    params
        .iter()
        .filter_map(|p| Some((p.name.clone(), extract(p, text, history)?)))
        .collect()
}

/// The value of `p` in `text` (or, failing that, in `history`, newest first), by its type:
/// an email, a number, an order-number-like token (letters and digits, for string
/// parameters whose name or description speaks of a number, id, code or reference), an enum
/// value named in the text.
pub fn extract(p: &ActionParameter, text: &str, history: &[&str]) -> Option<serde_json::Value> {
    std::iter::once(text)
        .chain(history.iter().rev().copied())
        .find_map(|t| extract_from(p, t))
}

/// The value of `p` in the answer to our question for it: as [`extract`], and for a plain
/// string parameter the whole answer (trimmed), since we asked for exactly that.
pub fn extract_answer(p: &ActionParameter, answer: &str) -> Option<serde_json::Value> {
    extract_from(p, answer).or_else(|| {
        let a = answer.trim().trim_end_matches(['.', '!']);
        (p.kind == ActionParamType::String && !a.is_empty() && a.chars().count() <= 200)
            .then(|| serde_json::Value::from(a))
    })
}

fn extract_from(p: &ActionParameter, text: &str) -> Option<serde_json::Value> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '"' | '?' | '!'))
        .map(|w| w.trim_matches(|c: char| matches!(c, '.' | ':' | '#' | '\'')))
        .filter(|w| !w.is_empty())
        .collect();
    match p.kind {
        ActionParamType::Email => words
            .iter()
            .find(|w| crate::fields::is_valid_email(w))
            .map(|w| serde_json::Value::from(*w)),
        ActionParamType::Integer => words
            .iter()
            .find_map(|w| w.parse::<i64>().ok())
            .map(serde_json::Value::from),
        ActionParamType::Number => words
            .iter()
            .find_map(|w| w.replace(',', ".").parse::<f64>().ok())
            .map(serde_json::Value::from),
        ActionParamType::Enum => {
            let folded = crate::text::fold(text);
            p.values
                .iter()
                .find(|v| {
                    let v = crate::text::fold(v);
                    folded
                        .split(|c: char| !c.is_alphanumeric())
                        .any(|w| !w.is_empty() && w == v)
                })
                .map(|v| serde_json::Value::from(v.as_str()))
        }
        ActionParamType::String if looks_like_a_reference(p) => words
            .iter()
            .find(|w| {
                w.chars().any(|c| c.is_ascii_digit())
                    && w.chars().count() >= 3
                    && w.chars()
                        .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
                    && !crate::fields::is_valid_email(w)
            })
            .map(|w| serde_json::Value::from(*w)),
        // A yes/no or free text is asked for, not guessed.
        ActionParamType::String | ActionParamType::Boolean => None,
    }
}

fn looks_like_a_reference(p: &ActionParameter) -> bool {
    let about = format!("{} {}", p.name.replace(['_', '-'], " "), p.description).to_lowercase();
    [
        "number",
        "id",
        "code",
        "reference",
        "ref",
        "tracking",
        "order",
        "ticket",
        "invoice",
        "booking",
        "sku",
        "nummer",
        "numero",
        "número",
        "numéro",
        "numer",
        "codice",
        "código",
    ]
    .iter()
    .any(|k| about.split(|c: char| !c.is_alphanumeric()).any(|w| w == *k))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::model::ActionParamLocation;

    fn param(name: &str, kind: ActionParamType, description: &str) -> ActionParameter {
        ActionParameter {
            name: name.into(),
            location: ActionParamLocation::Path,
            kind,
            values: if kind == ActionParamType::Enum {
                vec!["standard".into(), "express".into()]
            } else {
                Vec::new()
            },
            description: description.into(),
            required: true,
            example: None,
        }
    }

    #[test]
    fn a_message_about_an_action_with_its_parameter_chooses_it() {
        let order = [param(
            "order_id",
            ActionParamType::String,
            "The order number",
        )];
        let examples = ["where is my package".to_owned()];
        let plan = [param(
            "email",
            ActionParamType::Email,
            "The customer's email",
        )];
        let specs = [
            ActionSpec {
                name: "order_status",
                description: "Looks up the shipping status of an order and its tracking number.",
                when_not_to_use: "Not for returns or refunds.",
                examples: &examples,
                parameters: &order,
            },
            ActionSpec {
                name: "subscription_plan",
                description: "The customer's current subscription plan and renewal date.",
                when_not_to_use: "",
                examples: &[],
                parameters: &plan,
            },
        ];
        let m = choose("Where is my order A-4521?", &specs).expect("order status");
        assert_eq!(m.index, 0);
        assert_eq!(m.held_back, None);
        // An example phrase, without the parameter: chosen (the engine asks for it).
        let m = choose("where's my package??", &specs).expect("example");
        assert_eq!(m.index, 0);
        // Two words of the description, another action.
        let m = choose("what subscription plan am I on", &specs).expect("plan");
        assert_eq!(m.index, 1);
        // One shared word without the parameter, or nothing shared: no action.
        assert_eq!(choose("I'd like to order a pizza", &specs), None);
        assert_eq!(choose("hello, what are your opening hours?", &specs), None);
        // When not to use holds it back, saying why.
        let m = choose("I want to return order 4521 for a refund", &specs).unwrap();
        assert!(m.held_back.unwrap().contains("when not to use"));
    }

    #[test]
    fn parameters_are_taken_from_the_conversation_by_type() {
        let email = param("email", ActionParamType::Email, "");
        let qty = param("quantity", ActionParamType::Integer, "");
        let order = param("order_id", ActionParamType::String, "The order number");
        let note = param("note", ActionParamType::String, "anything to add");
        let speed = param("shipping", ActionParamType::Enum, "");
        let text = "It's order #A-4521, 3 items, write to anna@example.com. Express please!";
        assert_eq!(extract(&email, text, &[]).unwrap(), "anna@example.com");
        assert_eq!(extract(&qty, text, &[]).unwrap(), 3);
        assert_eq!(extract(&order, text, &[]).unwrap(), "A-4521");
        assert_eq!(extract(&speed, text, &[]).unwrap(), "express");
        assert_eq!(
            extract(&note, text, &[]),
            None,
            "free text is asked, not guessed"
        );
        // Earlier messages, newest first.
        let history = ["my email is old@example.com", "actually new@example.com"];
        assert_eq!(
            extract(&email, "any news?", &history).unwrap(),
            "new@example.com"
        );
        // The answer to our question for a free-text parameter is the answer.
        assert_eq!(
            extract_answer(&note, "Leave it at the door.").unwrap(),
            "Leave it at the door"
        );
        assert_eq!(extract_answer(&qty, "no idea"), None);
    }
}
