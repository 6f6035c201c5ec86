//! The built-in engine's language understanding, without network or model: explicit requests
//! for a person, frustration, yes/no answers, language, rejected answers, repetition, the AI
//! giving up, fuzzy matching of custom-guideline examples, and whether an operator's
//! instruction covers a question. English, Spanish, French, German, Polish, Portuguese and
//! Italian.
//!
//! Every detector works on the *folded* text ([`normalize`]: lowercase, accents removed,
//! punctuation → spaces) split into tokens that remember clause boundaries (`. , ; : ! ?`,
//! emoji, line breaks), so "no, I want a human" is two clauses. Lexicons are compiled once
//! (`LazyLock`), matching is token-based (no regex), and the work is linear in the message
//! (detectors read at most the first 16 KiB). No function panics, whatever the input.
//!
//! Method, measured accuracy and known weaknesses: `docs/engine-accuracy.md`.

mod answers;
pub(crate) mod concepts;
mod lang;
mod lexicon;
pub mod model;
mod mood;
mod request;
mod similar;
mod text;

use crate::engine::{Author, Turn};

pub use similar::{COVER_SHARE, EXAMPLE_THRESHOLD, REPEAT_JACCARD};

pub(crate) use text::clip;

/// Evidence from a detector.
#[derive(Debug, Clone, PartialEq)]
pub struct Signal {
    /// 0.0–1.0: how sure the detector is.
    pub score: f32,
    /// The evidence matched, in folded text, for an operator-facing reason
    /// (e.g. "want to speak to a real person", "ridiculous, !!!").
    pub cue: String,
    /// The message's language when it could be told ("en", "es", "fr", "de", "pl", "pt", "it").
    pub language: Option<&'static str>,
    /// Which layer found it, for requests for a person and frustration.
    pub by: Layer,
}

/// Which part of the engine found a signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layer {
    /// The structural rules and lexicons.
    #[default]
    Rules,
    /// The learned layer ([`model`]) alone.
    Learned,
    /// Both.
    Both,
}

/// Which layers a detector may use: the engine uses [`Layers::Both`]; the others are for
/// measuring each layer alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layers {
    Rules,
    Learned,
    Both,
}

/// The learned layer alone says "request for a person" from this probability on (chosen on
/// the corpus's development split, `docs/engine-accuracy.md`).
pub const LEARNED_REQUEST: f32 = 0.70;
/// The learned layer alone says "frustrated" from this probability on.
pub const LEARNED_FRUSTRATION: f32 = 0.85;
/// The learned layer decides alone only on messages of at least this many words: on one or
/// two words ("non", "nada mal", "hiya") a bag of n-grams is a guess, and the rules know the
/// short forms ("agent!", "human please").
pub const LEARNED_MIN_WORDS: usize = 3;
/// A frustration the rules found is dropped when the learned layer is at least this sure the
/// message is neutral (past or resolved emotion, emotion about another company).
pub const LEARNED_VETO: f32 = 0.70;

/// Compiles every lexicon now rather than on the first message (a few milliseconds once);
/// call at start-up to keep that cost out of the first visitor's latency.
pub fn warm_up() {
    let _ = model::embedded();
    let _ = human_request("warm up");
    let _ = frustration("warm up");
    let _ = confirmation("warm up");
    let _ = rejects_answer("warm up");
    let _ = ai_suggests_support("warm up");
    let _ = ai_lacks_knowledge("warm up");
    let _ = example_match("warm up", &["warm up".to_owned()]);
    concepts::warm_up();
}

/// Lowercase, accents folded ("Ça" → "ca", "Żywą" → "zywa", "ß" → "ss"), punctuation and
/// symbols → spaces, whitespace collapsed and trimmed.
pub fn normalize(text: &str) -> String {
    text::normalize(text)
}

/// An explicit request to talk to a person ("can I talk to a human?", "quiero hablar con una
/// persona", "Mitarbeiter bitte", "AGENT!"). Questions about the bot ("are you a real
/// person?"), narratives ("I talked to a person yesterday"), negations ("I don't need a
/// human") and look-alikes ("agent fee", "human resources", "per person") are not requests.
pub fn human_request(text: &str) -> Option<Signal> {
    human_request_by(text, Layers::Both)
}

/// [`human_request`] with a choice of layers. The rules decide when they find a request
/// (the learned layer's agreement raises the score); otherwise the learned layer decides from
/// [`LEARNED_REQUEST`] on, unless the message negates a desire ("I don't need anyone") or its
/// person noun is a look-alike the rules know ("human resources", "my travel agent").
pub fn human_request_by(text: &str, layers: Layers) -> Option<Signal> {
    let doc = text::Doc::new(text);
    let rule = match layers {
        Layers::Learned => None,
        _ => request::find(&doc),
    };
    let probs = match layers {
        Layers::Rules => None,
        _ => model::predict(text),
    };
    let p = probs.map(|p| p.request());
    let (score, cue, by) = match (rule, p) {
        (Some(r), Some(p)) if p >= 0.5 => (noisy_or(r.score, p), r.cue, Layer::Both),
        (Some(r), _) => (r.score, r.cue, Layer::Rules),
        (None, Some(p))
            if p >= LEARNED_REQUEST
                && doc.len() >= LEARNED_MIN_WORDS
                && !request::negated_desire(&doc)
                && !request::look_alike(&doc) =>
        {
            (p, learned_cue(text, model::REQUEST), Layer::Learned)
        }
        _ => return None,
    };
    Some(Signal {
        score,
        cue,
        language: lang::detect(text, &doc),
        by,
    })
}

/// Explicit anger or dissatisfaction: insults and anger words, profanity, "not happy",
/// shouting in capitals, angry emoji, or repetition/complaint markers together with "!!!";
/// and what the learned layer has learned of it (a judgment of the answers, "you keep saying
/// the same thing").
pub fn frustration(text: &str) -> Option<Signal> {
    frustration_by(text, Layers::Both)
}

/// [`frustration`] with a choice of layers. The rules' finding stands unless the learned
/// layer is [`LEARNED_VETO`] sure the message is neutral; without one, the learned layer
/// decides from [`LEARNED_FRUSTRATION`] on.
pub fn frustration_by(text: &str, layers: Layers) -> Option<Signal> {
    let doc = text::Doc::new(text);
    let rule = match layers {
        Layers::Learned => None,
        _ => mood::find(text, &doc),
    };
    let probs = match layers {
        Layers::Rules => None,
        _ => model::predict(text),
    };
    let (score, cue, by) = match (rule, probs) {
        (Some(_), Some(p)) if p.neutral() >= LEARNED_VETO => return None,
        (Some(r), Some(p)) if p.frustration() >= 0.5 => {
            (noisy_or(r.score, p.frustration()), r.cue, Layer::Both)
        }
        (Some(r), _) => (r.score, r.cue, Layer::Rules),
        (None, Some(p))
            if p.frustration() >= LEARNED_FRUSTRATION && doc.len() >= LEARNED_MIN_WORDS =>
        {
            (
                p.frustration(),
                learned_cue(text, model::FRUSTRATION),
                Layer::Learned,
            )
        }
        _ => return None,
    };
    Some(Signal {
        score,
        cue,
        language: lang::detect(text, &doc),
        by,
    })
}

/// Whether the learned layer alone may call this message a request: it negates no desire
/// ("I don't need anyone", "no quiero") and has no look-alike person noun ("human
/// resources", "my travel agent").
pub fn learned_request_allowed(text: &str) -> bool {
    let doc = text::Doc::new(text);
    !request::negated_desire(&doc) && !request::look_alike(&doc)
}

fn noisy_or(a: f32, b: f32) -> f32 {
    1.0 - (1.0 - a.clamp(0.0, 1.0)) * (1.0 - b.clamp(0.0, 1.0))
}

/// The learned layer's evidence words, or a plain word when none stands out.
fn learned_cue(text: &str, class: usize) -> String {
    let cue = model::embedded()
        .map(|m| m.cue(text, class))
        .unwrap_or_default();
    if cue.is_empty() {
        "the message as a whole".to_owned()
    } else {
        cue
    }
}

/// The visitor's answer to "Would you like me to connect you with a person?": `Some(true)`
/// for yes ("yes please", "sí", "d'accord", "gerne", "jasne", "pode ser", "certo", or a
/// request for a person), `Some(false)` for no ("no thanks", "non merci", "nie", "não",
/// "not now", "I don't need to"), `None` when unclear ("maybe", "how long is the wait?",
/// "yes… no").
pub fn confirmation(text: &str) -> Option<bool> {
    let doc = text::Doc::new(text);
    match answers::confirmation(&doc) {
        answers::Answer::Yes => Some(true),
        answers::Answer::No => Some(false),
        answers::Answer::Unsure => None,
        answers::Answer::Nothing => {
            if request::negated_desire(&doc) {
                Some(false)
            } else if request::find(&doc).is_some() {
                Some(true)
            } else {
                None
            }
        }
    }
}

/// The message's language among "en", "es", "fr", "de", "pl", "pt", "it", from function
/// words and letters; `None` when there is no clear winner (very short messages often).
pub fn language(text: &str) -> Option<&'static str> {
    let doc = text::Doc::new(text);
    lang::detect(text, &doc)
}

/// The visitor shows interest in buying: pricing, a demo or trial, a quote, buying or
/// subscribing ("how much is the pro plan?", "¿me pueden hacer un presupuesto?", "Kann ich
/// eine Demo bekommen?"), read by concepts in the seven languages. Not when the words are
/// about a problem with what they already have (a refund, a wrong charge, a complaint), or
/// negated ("I don't want to buy"). The concept's name is the cue: `price`, `demo`, `quote`,
/// `buy`, `subscription`.
pub fn interest(text: &str) -> Option<&'static str> {
    use std::sync::LazyLock;
    static IDS: LazyLock<(Vec<u16>, Vec<u16>)> = LazyLock::new(|| {
        let ids = |names: &[&str]| names.iter().filter_map(|n| concepts::id(n)).collect();
        (
            ids(&["price", "demo", "quote", "buy", "subscription"]),
            ids(&[
                "refund",
                "charge",
                "complaint",
                "dispute",
                "damaged",
                "cancel",
                "invoice",
                "return",
            ]),
        )
    });
    let (wanted, trouble) = &*IDS;
    let reading = concepts::read(text);
    if trouble.iter().any(|t| reading.has(*t)) {
        return None;
    }
    if request::negated_desire(&text::Doc::new(text)) {
        return None;
    }
    let found = wanted.iter().find(|w| reading.has(**w))?;
    concepts::concept(*found).map(|c| c.name)
}

/// The visitor rejects the agent's answer ("that doesn't help", "not what I asked", "you
/// already said that", "no me sirve", "c'est faux", "das habe ich nicht gefragt").
pub fn rejects_answer(text: &str) -> Option<Signal> {
    phrase_signal(&answers::REJECTS, text)
}

/// The visitor repeats one of their earlier messages (token-set Jaccard ≥ [`REPEAT_JACCARD`]
/// on lightly stemmed tokens, messages of at least three distinct words, the last 20 visitor
/// turns). Only visitor turns of `history` count. The score is the similarity.
pub fn repeats(history: &[Turn], message: &str) -> Option<Signal> {
    let earlier = history
        .iter()
        .rev()
        .filter(|t| t.author == Author::Visitor)
        .map(|t| t.text.as_str());
    let (k, sim) = similar::most_similar(message, earlier.clone())?;
    let before = earlier.clone().nth(k).unwrap_or("");
    let quoted = super::text::clip_words(&normalize(before), 80);
    Some(Signal {
        score: sim,
        cue: format!("repeats \"{quoted}\""),
        language: language(message),
        by: Layer::Rules,
    })
}

/// The AI's own text sends the visitor to support ("please contact our support team", "reach
/// out to customer service", "póngase en contacto con", "wenden Sie sich an").
pub fn ai_suggests_support(ai_text: &str) -> Option<Signal> {
    phrase_signal(&answers::SUGGESTS_SUPPORT, ai_text)
}

/// The AI's own text admits it does not know ("I don't have information about that", "I'm
/// not sure", "I couldn't find", "no tengo información", "je ne sais pas").
pub fn ai_lacks_knowledge(ai_text: &str) -> Option<Signal> {
    phrase_signal(&answers::LACKS_KNOWLEDGE, ai_text)
}

/// Fuzzy match of a message against a custom guideline's example phrases: the best
/// example's index and score, when the score reaches [`EXAMPLE_THRESHOLD`] (0.7).
///
/// The score is the weighted share of the example's distinct words found in the message
/// (function words such as "I", "want", "a", "my" weigh 0.25, other words 1), after light
/// suffix stemming and allowing one typo in words of five letters or more; at least one
/// non-function word must match. So "I want a refund for my order" matches "I want a
/// refund" (1.0), "can I get a refund" does too (0.86), but "refund" alone scores 0.57 and
/// does not. It is lexical, not semantic: "I want my money back" does not match "I want a
/// refund".
pub fn example_match(text: &str, examples: &[String]) -> Option<(usize, f32)> {
    similar::example_match(text, examples)
}

/// Whether a passage (an operator's instruction for the conversation) covers the visitor's
/// question: at least half of the question's content words, and at least two of them (one for
/// a one-word question), appear in the passage in some form (function words and stopwords of
/// the seven languages dropped, one suffix stripped, one typo allowed, a shared stem of four
/// letters or more: "pay cash on delivery" is covered by "cash on delivery is available";
/// "is delivery free?" is not). The share of the question covered, when it is.
pub fn covers(passage: &str, question: &str) -> Option<f32> {
    similar::covers(passage, question)
}

/// The sentences of `passage` that share a content word with `question`, in order (the whole
/// passage when no sentence does alone): what is said from an instruction, and no more.
pub fn relevant_sentences(passage: &str, question: &str) -> String {
    similar::relevant_sentences(passage, question)
}

/// The example phrases of several custom guidelines, compiled once (see
/// [`ExampleSets::first_match`]); built per configuration, not per message.
pub struct ExampleSets(similar::ExampleIndex);

impl ExampleSets {
    /// One set of example phrases per guideline, in order.
    pub fn new<'a>(sets: impl IntoIterator<Item = &'a [String]>) -> ExampleSets {
        ExampleSets(similar::ExampleIndex::new(sets))
    }

    /// The first set with an example that `text` matches, exactly as [`example_match`] on
    /// each set in turn would tell: (set, example, score). The message is read once, whatever
    /// the number of sets and examples.
    pub fn first_match(&self, text: &str) -> Option<(usize, usize, f32)> {
        self.0.first_match(text)
    }

    /// Every set with an example that `text` matches, in order, each with its best example
    /// (as [`example_match`] on each set would tell): (set, example, score).
    pub fn matches(&self, text: &str) -> Vec<(usize, usize, f32)> {
        self.0.matches(text)
    }
}

/// The best-weighted phrase of `set` in `text`, as a signal.
fn phrase_signal(set: &lexicon::PhraseSet, text: &str) -> Option<Signal> {
    let doc = text::Doc::new(text);
    let hit = set.best(&doc)?;
    let language = lang::detect(text, &doc)
        .or_else(|| lang::LANGS.iter().copied().find(|l| *l == hit.phrase.lang));
    Some(Signal {
        score: hit.phrase.weight,
        cue: hit.phrase.text.to_string(),
        language,
        by: Layer::Rules,
    })
}
