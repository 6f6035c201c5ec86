//! Message similarity: near-duplicate visitor messages (the visitor repeating themselves) and
//! fuzzy matching of a message against the example phrases of a custom guideline.

use std::sync::LazyLock;

use super::lexicon::WordMap;
use super::text::Doc;

/// Jaccard similarity of token sets at or above which a message repeats an earlier one.
pub const REPEAT_JACCARD: f32 = 0.6;
/// Messages shorter than this (in distinct tokens) are not checked for repetition: "ok",
/// "yes", "human" repeated are not the visitor restating a question.
pub(crate) const REPEAT_MIN_TOKENS: usize = 3;
/// How many earlier visitor turns are compared (most recent first).
pub(crate) const REPEAT_LOOKBACK: usize = 20;

/// Weighted containment of an example in a message at or above which the message matches.
pub const EXAMPLE_THRESHOLD: f32 = 0.7;
/// Weight of a function word ("I", "want", "a", "my", "de", "que"…) in an example; content
/// words weigh 1.
pub(crate) const FUNCTION_WEIGHT: f32 = 0.25;

static FUNCTION: LazyLock<WordMap> = LazyLock::new(|| {
    WordMap::new(&[(
        1,
        "i me my mine you your we our it its the a an to of in on at for with and or but is are \
         am was were be been do does did have has had can could would should will want wanna need \
         like please get got this that these those there here some any so just also not no \
         yo me mi mis tu su el la los las un una unos unas de del al a en con por para y o pero \
         es son soy está esta estoy quiero necesito puedo que lo le se \
         je j me moi mon ma mes tu te vous votre le la les l un une des de du d au aux en et ou \
         mais est suis ai veux voudrais peux que qu ce c s il elle \
         ich mich mir mein meine du sie ihr der die das den dem ein eine einen einem und oder \
         aber ist bin habe möchte will kann zu mit von für auf in im es \
         ja mnie mi mój moja moje ty ten ta to w z na do i a ale jest są chcę chciałbym mogę \
         się że czy \
         eu me meu minha você o a os as um uma de do da em no na com por para e ou mas é sou \
         quero preciso posso que se \
         io mi mio mia tu il lo la i gli le un una di del della a al da in con per e o ma è \
         sono ho voglio vorrei posso che si",
    )])
});

/// Light, language-agnostic stemming: one common inflectional suffix is removed when at
/// least four characters remain ("refunds" → "refund", "ordered" → "order",
/// "reembolsos" → "reembols", "Bestellungen" → "bestell").
pub(crate) fn stem(word: &str) -> &str {
    const SUFFIXES: &[&str] = &[
        "ations", "ation", "ments", "ment", "ings", "ing", "edly", "ed", "ies", "es", "s",
        "ciones", "cion", "coes", "cao", "zioni", "zione", "ungen", "ung", "en", "er", "os", "as",
        "e", "a", "o", "i", "y",
    ];
    let chars = word.chars().count();
    for suf in SUFFIXES {
        if let Some(rest) = word.strip_suffix(suf) {
            if chars.saturating_sub(suf.len()) >= 4 {
                return rest;
            }
        }
    }
    word
}

/// Edit distance at most one (one substitution, insertion or deletion), for words of five
/// characters or more (short words must match exactly).
fn near(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len().min(b.len()) < 5 || a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (
        a.get(prefix..).unwrap_or(&[]),
        b.get(prefix..).unwrap_or(&[]),
    );
    match ra.len().cmp(&rb.len()) {
        std::cmp::Ordering::Equal => ra.get(1..) == rb.get(1..),
        std::cmp::Ordering::Greater => ra.get(1..) == Some(rb),
        std::cmp::Ordering::Less => rb.get(1..) == Some(ra),
    }
}

/// Sorted, deduplicated stems of a document.
fn stems(doc: &Doc) -> Vec<&str> {
    let mut v: Vec<&str> = doc.iter().map(stem).collect();
    v.sort_unstable();
    v.dedup();
    v
}

pub(crate) fn jaccard(a: &[&str], b: &[&str]) -> f32 {
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut inter) = (0, 0, 0usize);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        match x.cmp(y) {
            std::cmp::Ordering::Equal => {
                inter += 1;
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    let union = a.len() + b.len() - inter;
    inter as f32 / union.max(1) as f32
}

/// The most similar earlier message among `earlier` (most recent first), when at or above
/// [`REPEAT_JACCARD`]: (index in `earlier`, similarity).
pub(crate) fn most_similar<'a>(
    message: &str,
    earlier: impl Iterator<Item = &'a str>,
) -> Option<(usize, f32)> {
    let doc = Doc::new(message);
    let m = stems(&doc);
    if m.len() < REPEAT_MIN_TOKENS {
        return None;
    }
    let mut best: Option<(usize, f32)> = None;
    for (k, text) in earlier.take(REPEAT_LOOKBACK).enumerate() {
        let d = Doc::new(text);
        let e = stems(&d);
        if e.len() < REPEAT_MIN_TOKENS {
            continue;
        }
        let j = jaccard(&m, &e);
        if j >= REPEAT_JACCARD && best.is_none_or(|(_, b)| j > b) {
            best = Some((k, j));
        }
    }
    best
}

/// Weighted share of the example's words found in the message (0–1).
pub(crate) fn containment(message: &[&str], example: &Doc) -> f32 {
    let mut total = 0.0f32;
    let mut found = 0.0f32;
    let mut content_found = false;
    let mut seen: Vec<&str> = Vec::with_capacity(example.len());
    for w in example.iter() {
        if seen.contains(&w) {
            continue;
        }
        seen.push(w);
        let function = FUNCTION.get(w) != 0;
        let weight = if function { FUNCTION_WEIGHT } else { 1.0 };
        total += weight;
        let s = stem(w);
        if message.iter().any(|m| near(m, s)) {
            found += weight;
            content_found |= !function;
        }
    }
    if total <= 0.0 || !content_found {
        // An example made only of function words, or a match on function words only, says
        // nothing.
        return 0.0;
    }
    found / total
}

pub(crate) fn example_match(text: &str, examples: &[String]) -> Option<(usize, f32)> {
    let doc = Doc::new(text);
    let m = stems(&doc);
    if m.is_empty() {
        return None;
    }
    let mut best: Option<(usize, f32)> = None;
    for (k, ex) in examples.iter().enumerate() {
        let e = Doc::new(ex);
        if e.is_empty() {
            continue;
        }
        let score = containment(&m, &e);
        if score >= EXAMPLE_THRESHOLD && best.is_none_or(|(_, b)| score > b) {
            best = Some((k, score));
        }
    }
    best
}

/// The example phrases of several sets (one per custom guideline), compiled once: each
/// example's distinct words with their weight, and their stems in one shared vocabulary.
/// Matching a message then reads the message once and tests each distinct stem once, instead
/// of re-reading every example for every message. Scores are exactly those of
/// [`example_match`] (same words, same order of summation).
pub(crate) struct ExampleIndex {
    vocab: Vec<Box<str>>,
    /// Per set, per example: `None` for an example without words (never matches).
    sets: Vec<Vec<Option<Compiled>>>,
}

/// One example: (vocabulary index of the stem, weight, function word) per distinct word.
struct Compiled(Vec<(usize, f32, bool)>);

impl Compiled {
    /// [`containment`] with the message's stems already looked up in `found`.
    fn score(&self, found: &[bool]) -> f32 {
        let mut total = 0.0f32;
        let mut hit = 0.0f32;
        let mut content_found = false;
        for &(v, weight, function) in &self.0 {
            total += weight;
            if found.get(v).copied().unwrap_or(false) {
                hit += weight;
                content_found |= !function;
            }
        }
        if total <= 0.0 || !content_found {
            return 0.0;
        }
        hit / total
    }
}

impl ExampleIndex {
    pub(crate) fn new<'a>(sets: impl IntoIterator<Item = &'a [String]>) -> ExampleIndex {
        let mut vocab: Vec<Box<str>> = Vec::new();
        let mut ids: std::collections::HashMap<Box<str>, usize> = Default::default();
        let sets = sets
            .into_iter()
            .map(|examples| {
                examples
                    .iter()
                    .map(|ex| {
                        let doc = Doc::new(ex);
                        if doc.is_empty() {
                            return None;
                        }
                        let mut seen: Vec<&str> = Vec::with_capacity(doc.len());
                        let mut words = Vec::with_capacity(doc.len());
                        for w in doc.iter() {
                            if seen.contains(&w) {
                                continue;
                            }
                            seen.push(w);
                            let function = FUNCTION.get(w) != 0;
                            let weight = if function { FUNCTION_WEIGHT } else { 1.0 };
                            let s = stem(w);
                            let v = *ids.entry(s.into()).or_insert_with(|| {
                                vocab.push(s.into());
                                vocab.len() - 1
                            });
                            words.push((v, weight, function));
                        }
                        Some(Compiled(words))
                    })
                    .collect()
            })
            .collect();
        ExampleIndex { vocab, sets }
    }

    /// The first set with an example matching `text` (what [`example_match`] on that set
    /// would return): (set, example, score).
    pub(crate) fn first_match(&self, text: &str) -> Option<(usize, usize, f32)> {
        let doc = Doc::new(text);
        let m = stems(&doc);
        if m.is_empty() {
            return None;
        }
        // `near` is exact below five characters, and `m` is sorted.
        let found: Vec<bool> = self
            .vocab
            .iter()
            .map(|s| {
                m.binary_search(&&**s).is_ok() || (s.len() >= 5 && m.iter().any(|x| near(x, s)))
            })
            .collect();
        for (i, set) in self.sets.iter().enumerate() {
            let mut best: Option<(usize, f32)> = None;
            for (k, ex) in set.iter().enumerate() {
                let Some(ex) = ex else { continue };
                let score = ex.score(&found);
                if score >= EXAMPLE_THRESHOLD && best.is_none_or(|(_, b)| score > b) {
                    best = Some((k, score));
                }
            }
            if let Some((k, score)) = best {
                return Some((i, k, score));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_and_near() {
        assert_eq!(stem("refunds"), "refund");
        assert_eq!(stem("ordered"), "order");
        assert_eq!(stem("order"), "order");
        assert_eq!(stem("à"), "à");
        assert!(near("cancel", "cancell"));
        assert!(near("refnd", "refund"));
        assert!(!near("card", "cart"));
    }

    #[test]
    fn compiled_examples_score_like_example_match() {
        let sets: Vec<Vec<String>> = [
            &["I want a refund", "refund my order please", "", "!!!"][..],
            &["cancel my subscription", "how do I cancel the membership"],
            &[
                "quiero un reembolso",
                "je veux être remboursé",
                "Rückerstattung bitte",
            ],
            &["the the the", "a an"],
            &["where is my parcel", "my package has not arrived"],
        ]
        .iter()
        .map(|set| set.iter().map(|s| s.to_string()).collect())
        .collect();
        let index = ExampleIndex::new(sets.iter().map(Vec::as_slice));
        for text in [
            "I want a refund for my order",
            "can I get a refund",
            "refund",
            "I want to cancell my subscriptions",
            "how can I cancel my membership?",
            "Quiero un reembolso, por favor",
            "je veux etre rembourse",
            "Ich möchte eine Rückerstattung",
            "my pakage has not arived yet",
            "the the the",
            "",
            "🙏",
            "hello there",
        ] {
            let expected = sets
                .iter()
                .enumerate()
                .find_map(|(i, set)| example_match(text, set).map(|(k, s)| (i, k, s)));
            assert_eq!(index.first_match(text), expected, "{text}");
        }
    }
}
