//! The built-in engine: language rules and text statistics, no network, no key.

pub mod actions;
pub mod classify;
pub mod keywords;
pub mod routing;
pub mod text;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use crate::engine::{
    ActionChoice, ActionChoiceInput, AnswerOutcome, Author, DecideInput, Decision, GuidelineKey,
    GuidelineMatch, GuidelineSpec, KnowledgeHit, Priority, PriorityInput, ProfileSpec,
    RouteDecision, SummaryInput, Turn,
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
    /// The best matching action ([`actions::choose`]) with the values the conversation holds
    /// ([`actions::fill`]).
    pub fn choose_action(&self, input: &ActionChoiceInput<'_>) -> ActionChoice {
        let Some(m) = actions::choose(input.message, input.actions) else {
            return ActionChoice::None;
        };
        let history: Vec<&str> = input
            .history
            .iter()
            .filter(|t| t.author == Author::Visitor)
            .map(|t| t.text.as_str())
            .collect();
        ActionChoice::Call {
            index: m.index,
            params: actions::fill(input.actions[m.index].parameters, input.message, &history),
            reason: m.reason,
            held_back: m.held_back,
        }
    }

    /// Which active guideline (if any) the latest message triggers. Every active guideline is
    /// judged; the most specific match wins ([`crate::engine::precedence`]: an explicit request
    /// for a person, custom guidelines by their example phrases, frustration, media, the
    /// visitor rejecting the answers, then the AI's own answer giving up), and the decision
    /// lists every match.
    pub fn decide(&self, input: &DecideInput<'_>) -> Decision {
        let active = |g: G| {
            input
                .guidelines
                .iter()
                .any(|s| s.key == GuidelineKey::Generic(g))
        };
        let mut matched: Vec<GuidelineMatch> = Vec::new();
        let mut hit = |g: G, score: f32, reason: String| {
            matched.push(GuidelineMatch {
                key: GuidelineKey::Generic(g),
                confidence: score.clamp(0.0, 1.0),
                reason,
            })
        };
        if active(G::MediaMessage) && input.has_attachments {
            hit(
                G::MediaMessage,
                1.0,
                "the visitor sent an attachment".into(),
            );
        }
        if active(G::HumanRequest) {
            if let Some(s) = classify::human_request(input.message) {
                hit(
                    G::HumanRequest,
                    s.score,
                    format!(
                        "the visitor asked for a person (\"{}\"; {})",
                        s.cue,
                        evidence(&s)
                    ),
                );
            }
        }
        if active(G::UserFrustration) {
            if let Some(s) = classify::frustration(input.message) {
                hit(
                    G::UserFrustration,
                    s.score,
                    format!(
                        "the visitor is frustrated (\"{}\"; {})",
                        s.cue,
                        evidence(&s)
                    ),
                );
            }
        }
        if let Some(answer) = input.answer {
            if active(G::LackOfKnowledge) {
                if !answer.found {
                    hit(
                        G::LackOfKnowledge,
                        0.8,
                        "the knowledge base has no answer to the visitor's question".into(),
                    );
                } else if let Some(s) = classify::ai_lacks_knowledge(&answer.text) {
                    hit(
                        G::LackOfKnowledge,
                        s.score,
                        format!("the AI's answer admits not knowing (\"{}\")", s.cue),
                    );
                }
            }
            if active(G::CustomerSupportSuggestion) {
                if let Some(s) = classify::ai_suggests_support(&answer.text) {
                    hit(
                        G::CustomerSupportSuggestion,
                        s.score,
                        format!("the AI's answer points to customer support (\"{}\")", s.cue),
                    );
                }
            }
        }
        if active(G::IrrelevantAdvice) {
            let ai_answered = input.history.iter().any(|t| t.author == Author::Ai);
            if ai_answered {
                if let Some(s) = classify::rejects_answer(input.message)
                    .or_else(|| classify::repeats(input.history, input.message))
                {
                    hit(
                        G::IrrelevantAdvice,
                        s.score,
                        format!("the visitor is not helped by the answers (\"{}\")", s.cue),
                    );
                }
            }
        }
        // Every custom guideline with an example the message matches.
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
            for (g, i, score) in sets.matches(input.message) {
                if let Some(g) = custom.get(g) {
                    matched.push(GuidelineMatch {
                        key: g.key,
                        confidence: score.clamp(0.0, 1.0),
                        reason: format!(
                            "custom guideline '{}' matched its example \"{}\"",
                            g.name,
                            g.examples.get(i).map(String::as_str).unwrap_or_default()
                        ),
                    });
                }
            }
        }
        Decision::from_matches(matched, input.guidelines, "no guideline applies")
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

    /// Answers from the operator's instruction for the conversation when it covers the
    /// question ([`classify::covers`]: its sentences that concern the question), else from
    /// knowledge-base hits: the best entry if it shares enough words with the question (its
    /// body for a question/answer entry, its best sentences for a document).
    pub fn answer(
        &self,
        question: &str,
        instruction: Option<&str>,
        hits: &[KnowledgeHit],
    ) -> AnswerOutcome {
        let none = || AnswerOutcome {
            text: NO_ANSWER.into(),
            found: false,
            from_instruction: false,
        };
        if let Some(instruction) = instruction.map(str::trim).filter(|i| !i.is_empty()) {
            if classify::covers(instruction, question).is_some() {
                return AnswerOutcome {
                    text: sentence_case(&classify::relevant_sentences(instruction, question)),
                    found: true,
                    from_instruction: true,
                };
            }
        }
        let q = text::tokens(question);
        if q.is_empty() {
            return none();
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
                from_instruction: false,
            },
            _ => none(),
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
    text::clip_words(s, max)
}

/// The text with its first letter in capitals (an operator's note, "cash on delivery is
/// available", said to the visitor as a sentence).
fn sentence_case(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) if first.is_lowercase() => first.to_uppercase().chain(chars).collect(),
        _ => text.to_owned(),
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

/// Which layer found a signal and how sure it is, for the decision record
/// ("rules and learned layer, confidence 0.98").
fn evidence(s: &classify::Signal) -> String {
    let by = match s.by {
        classify::Layer::Rules => "rules",
        classify::Layer::Learned => "learned layer",
        classify::Layer::Both => "rules and learned layer",
    };
    format!("{by}, confidence {:.2}", s.score)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generic(g: G) -> GuidelineSpec {
        GuidelineSpec {
            key: GuidelineKey::Generic(g),
            name: g.as_str().to_owned(),
            description: g.description().to_owned(),
            examples: Vec::new(),
        }
    }

    fn custom(id: i64, name: &str, examples: &[&str]) -> GuidelineSpec {
        GuidelineSpec {
            key: GuidelineKey::Custom(id),
            name: name.to_owned(),
            description: String::new(),
            examples: examples.iter().map(|e| e.to_string()).collect(),
        }
    }

    fn decide(message: &str, guidelines: &[GuidelineSpec], answer: &AnswerOutcome) -> Decision {
        BuiltinEngine.decide(&DecideInput {
            message,
            has_attachments: false,
            history: &[],
            guidelines,
            answer: Some(answer),
            language: None,
        })
    }

    fn keys(d: &Decision) -> Vec<GuidelineKey> {
        d.matched.iter().map(|m| m.key).collect()
    }

    #[test]
    fn the_most_specific_guideline_wins_and_every_match_is_listed() {
        let mut guidelines: Vec<GuidelineSpec> = G::ALL.into_iter().map(generic).collect();
        guidelines.push(custom(3, "Refund requests", &["give me my money back"]));
        guidelines.push(custom(4, "Money", &["money back"]));
        let nothing = BuiltinEngine.answer("give me my money back", None, &[]);
        assert!(!nothing.found);

        // The example phrase itself: the custom guideline, though the AI knows nothing either.
        let d = decide("give me my money back", &guidelines, &nothing);
        assert_eq!(d.trigger, Some(GuidelineKey::Custom(3)));
        assert!(d.reason.contains("Refund requests"), "{}", d.reason);
        assert_eq!(
            keys(&d),
            [
                GuidelineKey::Custom(3),
                GuidelineKey::Custom(4),
                GuidelineKey::Generic(G::LackOfKnowledge)
            ]
        );

        // An explicit request for a person comes before any custom guideline.
        let d = decide(
            "give me my money back, I want to talk to a human",
            &guidelines,
            &nothing,
        );
        assert_eq!(d.trigger, Some(GuidelineKey::Generic(G::HumanRequest)));
        assert_eq!(keys(&d)[1], GuidelineKey::Custom(3));

        // Custom guidelines come before frustration; frustration before the AI's own answer.
        let d = decide(
            "give me my money back, this is ridiculous!!!",
            &guidelines,
            &nothing,
        );
        assert_eq!(d.trigger, Some(GuidelineKey::Custom(3)));
        assert!(keys(&d).contains(&GuidelineKey::Generic(G::UserFrustration)));
        let d = decide("this is ridiculous!!!", &guidelines, &nothing);
        assert_eq!(d.trigger, Some(GuidelineKey::Generic(G::UserFrustration)));
        assert_eq!(
            keys(&d),
            [
                GuidelineKey::Generic(G::UserFrustration),
                GuidelineKey::Generic(G::LackOfKnowledge)
            ]
        );

        // An inactive guideline never matches.
        let only_knowledge = [generic(G::LackOfKnowledge)];
        let d = decide("give me my money back", &only_knowledge, &nothing);
        assert_eq!(d.trigger, Some(GuidelineKey::Generic(G::LackOfKnowledge)));
        assert_eq!(d.matched.len(), 1);
        let d = decide("thanks", &[], &nothing);
        assert_eq!((d.trigger, d.matched.len()), (None, 0));
    }

    #[test]
    fn media_comes_after_custom_guidelines_and_frustration() {
        let guidelines = [
            generic(G::MediaMessage),
            generic(G::UserFrustration),
            custom(9, "Broken item", &["it arrived broken"]),
        ];
        let found = AnswerOutcome {
            text: "Sorry to hear that.".into(),
            found: true,
            from_instruction: false,
        };
        let d = BuiltinEngine.decide(&DecideInput {
            message: "it arrived broken, see the photo",
            has_attachments: true,
            history: &[],
            guidelines: &guidelines,
            answer: Some(&found),
            language: None,
        });
        assert_eq!(d.trigger, Some(GuidelineKey::Custom(9)));
        assert_eq!(
            keys(&d),
            [
                GuidelineKey::Custom(9),
                GuidelineKey::Generic(G::MediaMessage)
            ]
        );
    }

    #[test]
    fn an_operators_instruction_answers_what_it_covers_and_nothing_else() {
        let instruction = Some("Cash on delivery is available for +10 zł. Offer VIP20 to Anna.");
        let hits = [KnowledgeHit {
            id: 1,
            title: "Opening hours".into(),
            text: "We are open Monday to Friday, 9:00 to 17:00.".into(),
            score: 1.0,
        }];
        let a = BuiltinEngine.answer("Can I pay cash on delivery?", instruction, &hits);
        assert!(a.found && a.from_instruction, "{a:?}");
        assert_eq!(a.text, "Cash on delivery is available for +10 zł.");
        // Other questions: the knowledge base, or nothing.
        let a = BuiltinEngine.answer("What are your opening hours?", instruction, &hits);
        assert!(a.found && !a.from_instruction, "{a:?}");
        assert!(a.text.contains("Monday to Friday"));
        let a = BuiltinEngine.answer("Do you ship to Germany?", instruction, &hits);
        assert!(!a.found && !a.from_instruction, "{a:?}");
        assert_eq!(a.text, NO_ANSWER);
        // Without an instruction the question is not covered.
        let a = BuiltinEngine.answer("Can I pay cash on delivery?", None, &hits);
        assert!(!a.found);
        // In the visitor's language as in the operator's.
        let pl = Some("Płatność przy odbiorze jest możliwa, dopłata 10 zł.");
        let a = BuiltinEngine.answer("Czy mogę zapłacić przy odbiorze?", pl, &[]);
        assert!(a.found && a.from_instruction, "{a:?}");
        // Said as a sentence.
        let a = BuiltinEngine.answer("cash on delivery?", Some("cash on delivery: +10 zł"), &[]);
        assert_eq!(a.text, "Cash on delivery: +10 zł");
    }
}
