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
}
