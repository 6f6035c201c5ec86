//! The built-in engine: language rules and text statistics, no network, no key.

pub mod classify;
pub mod keywords;
pub mod routing;
pub mod text;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use crate::engine::{
    AnswerOutcome, Author, DecideInput, Decision, GuidelineKey, GuidelineSpec, KnowledgeHit,
    Priority, PriorityInput, ProfileSpec, RouteDecision, SummaryInput, Turn,
};
use crate::handoff::GenericGuidelineName as G;

/// How many configurations' compiled parts (custom-guideline examples, routing profiles) are
/// kept; a server with more agents than this rebuilds the least recently used ones.
const COMPILED_CACHE_ENTRIES: usize = 64;

/// Compiled forms of configuration parts, keyed by the parts themselves (compared in full on
/// every lookup, which costs far less than compiling). A changed configuration is a new key,
/// so a stale compiled form is never used, whichever database or agent it came from.
struct Compiled<K, V>(Mutex<VecDeque<(K, Arc<V>)>>);

impl<K, V> Compiled<K, V> {
    const fn new() -> Self {
        Compiled(Mutex::new(VecDeque::new()))
    }

    fn get_or_build(&self, is: impl Fn(&K) -> bool, build: impl FnOnce() -> (K, V)) -> Arc<V> {
        {
            let mut entries = self.0.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(at) = entries.iter().position(|(k, _)| is(k)) {
                // Most recently used last.
                if let Some(entry) = entries.remove(at) {
                    let v = entry.1.clone();
                    entries.push_back(entry);
                    return v;
                }
            }
        }
        let (k, v) = build();
        let v = Arc::new(v);
        let mut entries = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= COMPILED_CACHE_ENTRIES {
            entries.pop_front();
        }
        entries.push_back((k, v.clone()));
        v
    }
}

/// Custom guidelines' example phrases, per list of example lists.
static EXAMPLES: Compiled<Vec<Vec<String>>, classify::ExampleSets> = Compiled::new();
/// Routing profiles prepared for BM25, per list of active profiles.
static ROUTERS: Compiled<Vec<ProfileSpec>, routing::Router> = Compiled::new();

/// Fallback answer when the knowledge base has nothing relevant.
pub const NO_ANSWER: &str =
    "I'm sorry, I don't have information about that. Could you rephrase, or ask me something else?";

#[derive(Debug, Clone, Copy, Default)]
pub struct BuiltinEngine;

impl BuiltinEngine {
    /// Which active guideline (if any) the latest message triggers. Explicit requests for a
    /// person come first, then frustration, then the AI's own answer giving up, then custom
    /// guidelines by their example phrases, then irrelevant advice.
    pub fn decide(&self, input: &DecideInput<'_>) -> Decision {
        let active = |g: G| {
            input
                .guidelines
                .iter()
                .any(|s| s.key == GuidelineKey::Generic(g))
        };
        let hit = |g: G, score: f32, reason: String| Decision {
            trigger: Some(GuidelineKey::Generic(g)),
            confidence: score.clamp(0.0, 1.0),
            reason,
        };
        if active(G::MediaMessage) && input.has_attachments {
            return hit(
                G::MediaMessage,
                1.0,
                "the visitor sent an attachment".into(),
            );
        }
        if active(G::HumanRequest) {
            if let Some(s) = classify::human_request(input.message) {
                return hit(
                    G::HumanRequest,
                    s.score,
                    format!("the visitor asked for a person (\"{}\")", s.cue),
                );
            }
        }
        if active(G::UserFrustration) {
            if let Some(s) = classify::frustration(input.message) {
                return hit(
                    G::UserFrustration,
                    s.score,
                    format!("the visitor is frustrated (\"{}\")", s.cue),
                );
            }
        }
        if let Some(answer) = input.answer {
            if active(G::LackOfKnowledge) && !answer.found {
                return hit(
                    G::LackOfKnowledge,
                    0.8,
                    "the knowledge base has no answer to the visitor's question".into(),
                );
            }
            if active(G::LackOfKnowledge) {
                if let Some(s) = classify::ai_lacks_knowledge(&answer.text) {
                    return hit(
                        G::LackOfKnowledge,
                        s.score,
                        format!("the AI's answer admits not knowing (\"{}\")", s.cue),
                    );
                }
            }
            if active(G::CustomerSupportSuggestion) {
                if let Some(s) = classify::ai_suggests_support(&answer.text) {
                    return hit(
                        G::CustomerSupportSuggestion,
                        s.score,
                        format!("the AI's answer points to customer support (\"{}\")", s.cue),
                    );
                }
            }
        }
        // The first custom guideline (in order) with an example the message matches.
        let custom: Vec<&GuidelineSpec> = input
            .guidelines
            .iter()
            .filter(|g| matches!(g.key, GuidelineKey::Custom(_)))
            .collect();
        if !custom.is_empty() {
            let sets = EXAMPLES.get_or_build(
                |k| k.len() == custom.len() && k.iter().zip(&custom).all(|(e, g)| *e == g.examples),
                || {
                    let k: Vec<Vec<String>> = custom.iter().map(|g| g.examples.clone()).collect();
                    let v = classify::ExampleSets::new(k.iter().map(Vec::as_slice));
                    (k, v)
                },
            );
            if let Some((g, i, score)) = sets.first_match(input.message) {
                if let Some(g) = custom.get(g) {
                    return Decision {
                        trigger: Some(g.key),
                        confidence: score.clamp(0.0, 1.0),
                        reason: format!(
                            "custom guideline '{}' matched its example \"{}\"",
                            g.name,
                            g.examples.get(i).map(String::as_str).unwrap_or_default()
                        ),
                    };
                }
            }
        }
        if active(G::IrrelevantAdvice) {
            let ai_answered = input.history.iter().any(|t| t.author == Author::Ai);
            if ai_answered {
                if let Some(s) = classify::rejects_answer(input.message)
                    .or_else(|| classify::repeats(input.history, input.message))
                {
                    return hit(
                        G::IrrelevantAdvice,
                        s.score,
                        format!("the visitor is not helped by the answers (\"{}\")", s.cue),
                    );
                }
            }
        }
        Decision::none("no guideline applies")
    }

    pub fn route(&self, transcript: &[Turn], profiles: &[ProfileSpec]) -> RouteDecision {
        let text: Vec<&str> = transcript
            .iter()
            .filter(|t| t.author == Author::Visitor)
            .map(|t| t.text.as_str())
            .collect();
        if profiles.is_empty() {
            return routing::route("", profiles);
        }
        let router = ROUTERS.get_or_build(
            |k| k.as_slice() == profiles,
            || (profiles.to_vec(), routing::Router::new(profiles)),
        );
        router.route(&text.join("\n"))
    }

    pub fn priority(&self, input: &PriorityInput<'_>) -> (Priority, String) {
        let visitor: Vec<&str> = input
            .transcript
            .iter()
            .filter(|t| t.author == Author::Visitor)
            .map(|t| t.text.as_str())
            .collect();
        let frustrated = visitor.iter().any(|t| classify::frustration(t).is_some())
            || input.trigger == Some(GuidelineKey::Generic(G::UserFrustration));
        let urgent_words = visitor.iter().any(|t| {
            let f = text::fold(t);
            URGENT.iter().any(|w| f.contains(w))
        });
        let long_wait = input.waiting_seconds > 3600;
        let (p, why) = match (
            frustrated,
            urgent_words || input.keyword.is_some(),
            long_wait,
        ) {
            (true, true, _) => (Priority::Urgent, "frustrated and urgent or legal wording"),
            (true, false, _) | (false, true, _) => (
                Priority::High,
                if frustrated {
                    "the visitor is frustrated"
                } else {
                    "urgent wording or a handoff keyword"
                },
            ),
            (false, false, true) => (Priority::High, "the visitor has waited over an hour"),
            _ if input.trigger == Some(GuidelineKey::Generic(G::HumanRequest)) => {
                (Priority::Medium, "the visitor asked for a person")
            }
            _ => (Priority::Low, "no urgency signals"),
        };
        (p, why.into())
    }

    /// An extractive summary: the request in the visitor's words, the latest message, the
    /// gathered fields and the trigger.
    pub fn summarize(&self, input: &SummaryInput<'_>) -> String {
        let visitor: Vec<&str> = input
            .transcript
            .iter()
            .filter(|t| t.author == Author::Visitor)
            .map(|t| t.text.trim())
            .filter(|t| !t.is_empty())
            .collect();
        // The longest early message usually states the problem best.
        let request = visitor
            .iter()
            .take(3)
            .max_by_key(|t| t.chars().count())
            .copied();
        let mut out = String::new();
        if let Some(r) = request {
            out.push_str(&format!("Visitor's request: \"{}\"", clip(r, 300)));
        }
        if let Some(last) = visitor.last() {
            if Some(*last) != request {
                out.push_str(&format!("\nLatest message: \"{}\"", clip(last, 200)));
            }
        }
        if !input.gathered.is_empty() {
            let fields: Vec<String> = input
                .gathered
                .iter()
                .map(|(k, v)| format!("{k}: {v}"))
                .collect();
            out.push_str(&format!("\nGathered: {}", fields.join("; ")));
        }
        out.push_str(&format!("\nHandoff because {}.", input.trigger));
        out.trim_start().to_owned()
    }

    /// Answers from knowledge-base hits: the best entry if it shares enough words with the
    /// question (its body for a question/answer entry, its best sentences for a document).
    pub fn answer(&self, question: &str, hits: &[KnowledgeHit]) -> AnswerOutcome {
        let q = text::tokens(question);
        if q.is_empty() {
            return AnswerOutcome {
                text: NO_ANSWER.into(),
                found: false,
            };
        }
        let best = hits
            .iter()
            .map(|h| {
                let title = text::tokens(&h.title);
                let body = text::tokens(&h.text);
                let shared = q
                    .iter()
                    .filter(|t| title.contains(t) || body.contains(t))
                    .count();
                (h, shared as f32 / q.len() as f32, shared)
            })
            .max_by(|a, b| a.1.total_cmp(&b.1));
        match best {
            Some((h, ratio, shared)) if shared >= 1 && ratio >= 0.34 => AnswerOutcome {
                text: best_sentences(&h.text, &q),
                found: true,
            },
            _ => AnswerOutcome {
                text: NO_ANSWER.into(),
                found: false,
            },
        }
    }
}

const URGENT: &[&str] = &[
    "urgent",
    "asap",
    "emergency",
    "immediately",
    "lawsuit",
    "lawyer",
    "chargeback",
    "fraud",
    "urgente",
    "inmediatamente",
    "abogado",
    "fraude",
    "avocat",
    "dringend",
    "sofort",
    "anwalt",
    "betrug",
    "pilne",
    "natychmiast",
    "prawnik",
    "oszustwo",
    "imediatamente",
    "advogado",
    "subito",
    "avvocato",
    "truffa",
];

fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        format!("{}…", s.chars().take(max).collect::<String>())
    }
}

/// Short bodies as they are; long ones cut to the sentences that share the most words.
fn best_sentences(body: &str, query: &[String]) -> String {
    if body.chars().count() <= 600 {
        return body.trim().to_owned();
    }
    let mut sentences: Vec<(usize, usize, &str)> = body
        .split_inclusive(['.', '!', '?', '\n'])
        .enumerate()
        .map(|(i, s)| {
            let t = text::tokens(s);
            (query.iter().filter(|q| t.contains(q)).count(), i, s)
        })
        .collect();
    sentences.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut chosen: Vec<(usize, &str)> = sentences.iter().take(3).map(|s| (s.1, s.2)).collect();
    chosen.sort_by_key(|c| c.0);
    chosen
        .iter()
        .map(|c| c.1.trim())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The visitor's text of a transcript, for engines that need one string.
pub fn visitor_text(transcript: &[Turn]) -> String {
    transcript
        .iter()
        .filter(|t| t.author == Author::Visitor)
        .map(|t| t.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}
