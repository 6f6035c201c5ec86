//! Which action a visitor's message calls for, and the parameter values the conversation
//! already holds: the built-in engine's side of custom actions (offline, no key).
//!
//! Message and action are both read as *concepts* of support requests in seven languages
//! (`classify::concepts`: "order", "pedido", "Bestellung" and "zamówienie" are one; words are
//! found by form, Snowball stem, prefix, compound head or with one typo), plus the content
//! words no concept explains. An action's profile is the concepts of its name (weighing
//! most), description, example phrases and parameter descriptions, with the other concepts
//! of their domains at half weight ("shipped" brings "parcel", "arrived", "delivery"); a
//! concept under a negation in the description ("an order that has not been shipped") weighs
//! little. A concept several actions share counts less for each (1/√n).
//!
//! A message calls for the action whose profile it matches best, when it shares two of its
//! concepts, or one of the concepts of its name with weight ("is it in stock?"), or one and
//! every required parameter (an order number), and the sum reaches [`MIN_SCORE`]. An intent
//! the action does not explain ("cancel", "refund", "how much", "change") counts against
//! it, and one that another action is named for rules it out: "cancel my dental
//! appointment" does not book one (it is `cancel_order`'s, which holds it back). An example
//! phrase matched by the fuzzy matcher of custom guidelines adds to the score.
//!
//! "When not to use" holds a match back when the message carries one of its concepts (or
//! of their domains: "severe pain" brings "emergency", "swollen") or words, except those
//! the description explains ("Not for cancelling an order" does not hold back "order"). Only
//! its sentences that say what not to do count ("… those are handed to a person" does not).

mod params;

use std::collections::BTreeMap;
use std::sync::{Arc, LazyLock, Mutex};

use super::classify::concepts::Reading;
use super::classify::{self, concepts};
use crate::actions::model::{ActionParamType, ActionParameter};

pub use crate::engine::types::ActionSpec;

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

/// The score a message must reach for an action.
pub const MIN_SCORE: f32 = 0.8;

/// Weight of where a concept is found in an action.
const FROM_NAME: f32 = 1.5;
const FROM_TEXT: f32 = 1.0;
const FROM_PARAMETER: f32 = 0.5;
/// A concept under a negation ("has not been shipped").
const NEGATED: f32 = 0.3;
/// Concepts of the same domain as one found.
const RELATED: f32 = 0.5;
/// Content words no concept explains.
const WORD: f32 = 0.7;
/// A single concept is enough at this weight (one of the name's).
const ANCHOR: f32 = 1.3;
/// An intent of the message the action does not explain; an object it does not.
const INTENT_PENALTY: f32 = 0.8;
const OBJECT_PENALTY: f32 = 0.2;
/// Every required parameter is in the message.
const FILLED: f32 = 0.5;
/// An example phrase matched (times its similarity).
const EXAMPLE: f32 = 0.5;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Key {
    Concept(u16),
    Word(String),
}

impl Key {
    fn label(&self) -> &str {
        match self {
            Key::Concept(c) => concepts::concept(*c).map_or("?", |c| c.name),
            Key::Word(w) => w,
        }
    }
}

/// An action as the matcher reads it (built once per action text, cached).
#[derive(Debug, Default)]
struct Profile {
    weight: BTreeMap<Key, f32>,
    /// Found in the action's own words, not negated (for the 1/√n of shared concepts).
    direct: Vec<Key>,
    /// What "when not to use" holds back.
    excluded: Vec<Key>,
    /// The intents of its name ("cancel" of `cancel_order`): what it is for.
    core: Vec<Key>,
}

impl Profile {
    fn set(&mut self, key: Key, w: f32) {
        let e = self.weight.entry(key).or_insert(0.0);
        if w > *e {
            *e = w;
        }
    }

    fn add(&mut self, r: &Reading, source: f32, related: &mut BTreeMap<&'static str, f32>) {
        for f in &r.found {
            let Some(c) = concepts::concept(f.concept) else {
                continue;
            };
            let s = if f.negated { source * NEGATED } else { source };
            self.set(Key::Concept(f.concept), s * c.strength);
            if !f.negated {
                self.direct.push(Key::Concept(f.concept));
                let d = related.entry(c.domain).or_insert(0.0);
                *d = d.max(source);
            }
        }
        for (w, negated) in &r.rest {
            let s = if *negated { source * NEGATED } else { source };
            self.set(Key::Word(w.clone()), s * WORD);
            if !negated {
                self.direct.push(Key::Word(w.clone()));
            }
        }
    }

    fn build(spec: &ActionSpec<'_>) -> Profile {
        let mut p = Profile::default();
        let mut related: BTreeMap<&'static str, f32> = BTreeMap::new();
        let name = concepts::read(&spec.name.replace(['_', '-'], " "));
        p.core = name
            .found
            .iter()
            .filter(|f| !f.negated && concepts::concept(f.concept).is_some_and(|c| c.intent))
            .map(|f| Key::Concept(f.concept))
            .collect();
        p.add(&name, FROM_NAME, &mut related);
        p.add(&concepts::read(spec.description), FROM_TEXT, &mut related);
        for e in spec.examples {
            p.add(&concepts::read(e), FROM_TEXT, &mut related);
        }
        for param in spec.parameters {
            let text = format!(
                "{} {} {}",
                param.name.replace(['_', '-'], " "),
                param.description,
                param.values.join(" ")
            );
            p.add(&concepts::read(&text), FROM_PARAMETER, &mut related);
        }
        for (id, c) in concepts::CONCEPTS.iter().enumerate() {
            let Ok(id) = u16::try_from(id) else { continue };
            if let Some(source) = related.get(c.domain) {
                p.set(Key::Concept(id), source * RELATED * c.strength);
            }
        }
        p.direct.sort_unstable();
        p.direct.dedup();
        p.excluded = excluded(spec.when_not_to_use, &p);
        p
    }
}

/// Sentences of "when not to use" that say what not to do (a negation in them); all of it
/// when none does.
fn excluded(when_not: &str, profile: &Profile) -> Vec<Key> {
    let parts: Vec<Reading> = when_not
        .split(['.', ':', ';', '!', '?', '—', '–', '\n'])
        .filter(|s| !s.trim().is_empty())
        .map(concepts::read)
        .collect();
    let saying_not: Vec<&Reading> = parts
        .iter()
        .filter(|r| r.found.iter().any(|f| f.negated) || r.rest.iter().any(|(_, n)| *n))
        .collect();
    let chosen: Vec<&Reading> = if saying_not.is_empty() {
        parts.iter().collect()
    } else {
        saying_not
    };
    let mut out: Vec<Key> = Vec::new();
    let explained = |k: &Key| profile.direct.contains(k);
    for r in chosen {
        for f in &r.found {
            let k = Key::Concept(f.concept);
            if explained(&k) {
                continue;
            }
            out.push(k);
            // The rest of its domain: "pain" holds back "swollen" too.
            if let Some(c) = concepts::concept(f.concept) {
                for (id, d) in concepts::CONCEPTS.iter().enumerate() {
                    let Ok(id) = u16::try_from(id) else { continue };
                    let k = Key::Concept(id);
                    if d.domain == c.domain && !explained(&k) {
                        out.push(k);
                    }
                }
            }
        }
        for (w, _) in &r.rest {
            let k = Key::Word(w.clone());
            if w.chars().count() >= 5 && !explained(&k) {
                out.push(k);
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Profiles by action text, so a conversation's every message does not re-read its actions.
static PROFILES: LazyLock<Mutex<BTreeMap<u64, Arc<Profile>>>> =
    LazyLock::new(|| Mutex::new(BTreeMap::new()));
const PROFILE_CACHE: usize = 512;

fn profile(spec: &ActionSpec<'_>) -> Arc<Profile> {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    spec.name.hash(&mut h);
    spec.description.hash(&mut h);
    spec.when_not_to_use.hash(&mut h);
    spec.examples.hash(&mut h);
    for p in spec.parameters {
        p.name.hash(&mut h);
        p.description.hash(&mut h);
        p.values.hash(&mut h);
    }
    let key = h.finish();
    if let Some(p) = PROFILES.lock().ok().and_then(|m| m.get(&key).cloned()) {
        return p;
    }
    let p = Arc::new(Profile::build(spec));
    if let Ok(mut m) = PROFILES.lock() {
        if m.len() >= PROFILE_CACHE {
            m.clear();
        }
        m.insert(key, p.clone());
    }
    p
}

/// The distinct keys of a message.
fn message_keys(r: &Reading) -> Vec<Key> {
    let mut keys: Vec<Key> = r
        .found
        .iter()
        .map(|f| Key::Concept(f.concept))
        .chain(r.rest.iter().map(|(w, _)| Key::Word(w.clone())))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

struct Scored {
    score: f32,
    pass: bool,
    reason: String,
    held_back: Option<String>,
}

fn score(
    text: &str,
    keys: &[Key],
    spec: &ActionSpec<'_>,
    p: &Profile,
    shared_by: &dyn Fn(&Key) -> usize,
    core_elsewhere: &dyn Fn(&Key) -> bool,
) -> Scored {
    let mut sum = 0.0f32;
    let mut pieces = 0usize;
    let mut strong = false;
    let mut anchor = false;
    let mut shared: Vec<&str> = Vec::new();
    let mut hit: Option<&Key> = None;
    // The message asks for what another action is for ("cancel my dental appointment" is
    // not for booking one, however much of it is about appointments).
    let mut vetoed = false;
    for k in keys {
        if p.excluded.contains(k) {
            hit = hit.or(Some(k));
            continue;
        }
        let w = p.weight.get(k).copied().unwrap_or(0.0);
        let info = match k {
            Key::Concept(c) => concepts::concept(*c),
            Key::Word(_) => None,
        };
        if w > 0.0 {
            let w = w / (shared_by(k).max(1) as f32).sqrt();
            sum += w;
            pieces += 1;
            strong |= info.is_none_or(|c| c.strength >= 0.8);
            anchor |= w >= ANCHOR;
            shared.push(k.label());
        } else if let Some(c) = info {
            if c.intent {
                sum -= INTENT_PENALTY;
                vetoed |= core_elsewhere(k);
            } else if c.strength >= 0.6 {
                sum -= OBJECT_PENALTY;
            }
        }
    }
    let required: Vec<&ActionParameter> = spec.parameters.iter().filter(|p| p.required).collect();
    let filled = !required.is_empty()
        && required
            .iter()
            .all(|p| params::extract_from(p, text).is_some());
    if filled {
        sum += FILLED;
        pieces += 1;
        strong = true;
    }
    let example = classify::example_match(text, spec.examples);
    if let Some((_, s)) = example {
        sum += EXAMPLE * s;
        pieces += 2;
        strong = true;
    }
    let pass = strong && !vetoed && sum >= MIN_SCORE && (pieces >= 2 || anchor);
    let reason = match example {
        Some((i, _)) => format!(
            "the message matches the example \"{}\" of action '{}'",
            spec.examples[i], spec.name
        ),
        None => format!(
            "the message is about what action '{}' does ({}{})",
            spec.name,
            shared.join(", "),
            if filled { ", with its values" } else { "" }
        ),
    };
    let held_back = hit.map(|k| {
        format!(
            "held back by its \"when not to use\" (the message is about \"{}\")",
            k.label()
        )
    });
    Scored {
        score: sum,
        pass,
        reason,
        held_back,
    }
}

/// The best action for `text` (the visitor's latest message), if any. An action held back
/// by its "when not to use" is returned as such (with [`ActionMatch::held_back`]) when it is
/// the best match, or when it is the only one the message is about.
pub fn choose(text: &str, specs: &[ActionSpec<'_>]) -> Option<ActionMatch> {
    if text.trim().is_empty() || specs.is_empty() {
        return None;
    }
    let reading = concepts::read(text);
    let keys = message_keys(&reading);
    let profiles: Vec<Arc<Profile>> = specs.iter().map(profile).collect();
    let shared_by = |k: &Key| profiles.iter().filter(|p| p.direct.contains(k)).count();
    let core_of = |me: usize, k: &Key| {
        profiles
            .iter()
            .enumerate()
            .any(|(i, p)| i != me && p.core.contains(k))
    };
    let mut best: Option<ActionMatch> = None;
    let mut held: Option<ActionMatch> = None;
    for (index, (spec, p)) in specs.iter().zip(&profiles).enumerate() {
        let s = score(text, &keys, spec, p, &shared_by, &|k| core_of(index, k));
        let m = ActionMatch {
            index,
            score: s.score,
            reason: s.reason,
            held_back: s.held_back,
        };
        if s.pass {
            if best.as_ref().is_none_or(|b| m.score > b.score) {
                best = Some(m);
            }
        } else if m.held_back.is_some()
            && m.score > 0.0
            && held.as_ref().is_none_or(|b| m.score > b.score)
        {
            held = Some(m);
        }
    }
    best.or(held)
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
/// an email, a number, an order-number-like token (letters and digits, `#` and digits, or
/// digits after "order", "pedido", "n°"…, for string parameters whose name or description
/// speaks of a number, id, code or reference), a date (for string parameters about a date
/// or day: "14 December 2026", "14.12.2026" → `2026-12-14`), an enum value named in the text
/// or by its translation.
pub fn extract(p: &ActionParameter, text: &str, history: &[&str]) -> Option<serde_json::Value> {
    std::iter::once(text)
        .chain(history.iter().rev().copied())
        .find_map(|t| params::extract_from(p, t))
}

/// The value of `p` in the answer to our question for it: as [`extract`], and for a plain
/// string parameter the whole answer (trimmed), since we asked for exactly that.
pub fn extract_answer(p: &ActionParameter, answer: &str) -> Option<serde_json::Value> {
    params::extract_from(p, answer).or_else(|| {
        let a = answer.trim().trim_end_matches(['.', '!']);
        (p.kind == ActionParamType::String && !a.is_empty() && a.chars().count() <= 200)
            .then(|| serde_json::Value::from(a))
    })
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
        // Other languages and other words for the same things.
        for text in [
            "¿Dónde está mi paquete? Pedido A-4521",
            "Wo bleibt meine Sendung? Bestellung 4521",
            "mon colis n'est toujours pas arrivé",
            "gdzie jest moja paczka, zamówienie nr 4521",
            "has my parcel shiped yet",
        ] {
            let m = choose(text, &specs).unwrap_or_else(|| panic!("{text}"));
            assert_eq!((m.index, m.held_back), (0, None), "{text}");
        }
        for text in [
            "Quiero un reembolso del pedido A-4521",
            "Geld zurück für Bestellung 4521",
        ] {
            let m = choose(text, &specs).unwrap_or_else(|| panic!("{text}"));
            assert!(m.held_back.is_some(), "{text}");
        }
        // Questions about shipping in general, not about an order.
        assert_eq!(choose("Do you ship parcels to Canada?", &specs), None);
        assert_eq!(choose("how much is shipping?", &specs), None);
    }

    #[test]
    fn an_intent_the_action_does_not_explain_counts_against_it() {
        let date = [param("date", ActionParamType::String, "The day wanted")];
        let order = [param(
            "order_id",
            ActionParamType::String,
            "The order number",
        )];
        let specs = [
            ActionSpec {
                name: "book_appointment",
                description: "Books a dental appointment for a check-up or cleaning.",
                when_not_to_use:
                    "Not for emergencies or severe pain: those are handed to a person.",
                examples: &[],
                parameters: &date,
            },
            ActionSpec {
                name: "cancel_order",
                description: "Cancels an order that has not been shipped yet.",
                when_not_to_use: "Not for subscriptions or appointments.",
                examples: &[],
                parameters: &order,
            },
        ];
        let m = choose("Ich möchte einen Termin zur Zahnreinigung", &specs).unwrap();
        assert_eq!((m.index, m.held_back), (0, None));
        // Cancelling an appointment neither books one nor cancels an order.
        for text in [
            "I need to cancel my appointment",
            "need to cancel my dental appointment on friday",
        ] {
            let m = choose(text, &specs);
            assert!(
                m.as_ref().is_none_or(|m| m.held_back.is_some()),
                "{text}: {m:?}"
            );
        }
        // Pain holds booking back; "a person" (what is done instead) does not.
        let m = choose("my tooth hurts so much, I need an appointment", &specs).unwrap();
        assert!(m.held_back.is_some());
        let m = choose("can a person book me an appointment?", &specs).unwrap();
        assert_eq!((m.index, m.held_back), (0, None));
        assert_eq!(choose("how much does a cleaning cost?", &specs), None);
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
        // Dates for a parameter about a day, in any of the languages, as YYYY-MM-DD.
        let day = param(
            "date",
            ActionParamType::String,
            "The day wanted, e.g. 2026-12-14",
        );
        for text in [
            "on 14 December 2026 please",
            "am 14.12.2026",
            "le 14 décembre 2026",
            "para el 14 de diciembre de 2026",
        ] {
            assert_eq!(extract(&day, text, &[]).unwrap(), "2026-12-14", "{text}");
        }
        assert_eq!(extract(&day, "next Monday", &[]), None);
        // An enum value by its translation.
        let mut kind = param("kind", ActionParamType::Enum, "What the visit is for");
        kind.values = vec!["checkup".into(), "cleaning".into()];
        assert_eq!(
            extract(&kind, "una limpieza dental", &[]).unwrap(),
            "cleaning"
        );
        assert_eq!(extract(&kind, "a check-up", &[]).unwrap(), "checkup");
        assert_eq!(
            extract(&kind, "Termin zur Zahnreinigung", &[]).unwrap(),
            "cleaning"
        );
        assert_eq!(extract(&kind, "any time", &[]), None);
        // Digits after a word for an order, in any language; not a year or a size.
        assert_eq!(extract(&order, "Bestellung 88817", &[]).unwrap(), "88817");
        assert_eq!(extract(&order, "commande n° 88817", &[]).unwrap(), "88817");
        assert_eq!(extract(&order, "size 42, bought in 2026", &[]), None);
    }
}
