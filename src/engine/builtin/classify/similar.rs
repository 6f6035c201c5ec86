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

/// Share of a question's content words a passage must contain to cover the question.
pub const COVER_SHARE: f32 = 0.5;
/// Content words of a question a passage must share with it (fewer when the question has
/// fewer).
pub(crate) const COVER_MIN_SHARED: usize = 2;

/// The distinct content words of a text, for coverage: function words and stopwords of the
/// seven languages dropped, one inflectional suffix stripped ([`stem`]) and cut to six
/// characters, so "delivery", "deliveries" and "delivered" meet.
fn content_words(text: &str) -> Vec<String> {
    let doc = Doc::new(text);
    let mut v: Vec<String> = doc
        .iter()
        .filter(|w| FUNCTION.get(w) == 0 && !crate::engine::builtin::text::is_stopword(w))
        .map(|w| stem(w).chars().take(6).collect())
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Two content words are the same word in another form: equal, one typo apart (five letters
/// or more), or sharing a prefix of at least four letters that leaves at most two letters of
/// the shorter one ("pagar" / "pagamento", "shipping" / "shipment"; not "card" / "cart").
fn related(a: &str, b: &str) -> bool {
    if a == b || near(a, b) {
        return true;
    }
    let prefix = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    let shorter = a.chars().count().min(b.chars().count());
    prefix >= 4 && prefix + 2 >= shorter
}

/// How much of `question` `passage` covers: (content words of the question found in the
/// passage, content words of the question).
fn coverage(passage: &[String], question: &[String]) -> (usize, usize) {
    let shared = question
        .iter()
        .filter(|q| passage.iter().any(|p| related(p, q)))
        .count();
    (shared, question.len())
}

/// `text` cut after each `.`, `!`, `?` or `;` followed by whitespace, and at line breaks
/// ("10.50 zł" stays whole).
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next_is_space = chars.peek().is_none_or(|(_, n)| n.is_whitespace());
        if c == '\n' || (matches!(c, '.' | '!' | '?' | ';') && next_is_space) {
            let end = i + c.len_utf8();
            out.extend(text.get(start..end));
            start = end;
        }
    }
    out.extend(text.get(start..).filter(|rest| !rest.is_empty()));
    out
}

/// Whether `passage` covers `question`: at least [`COVER_SHARE`] of the question's content
/// words, and at least two of them (one for a one-word question), are in the passage. The
/// share when it does.
pub(crate) fn covers(passage: &str, question: &str) -> Option<f32> {
    let q = content_words(question);
    let (shared, total) = coverage(&content_words(passage), &q);
    let share = shared as f32 / total.max(1) as f32;
    (total > 0 && shared >= COVER_MIN_SHARED.min(total) && share >= COVER_SHARE).then_some(share)
}

/// The sentences of `passage` that share a content word with `question`, in order and joined;
/// the whole passage when none does alone.
pub(crate) fn relevant_sentences(passage: &str, question: &str) -> String {
    let q = content_words(question);
    let chosen: Vec<&str> = sentences(passage)
        .into_iter()
        .map(str::trim)
        .filter(|s| !s.is_empty() && coverage(&content_words(s), &q).0 > 0)
        .collect();
    if chosen.is_empty() {
        passage.trim().to_owned()
    } else {
        chosen.join(" ")
    }
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
        let found = self.found(text)?;
        (0..self.sets.len()).find_map(|i| self.best_in(i, &found))
    }

    /// Every set with an example matching `text`, in order, each with its best example:
    /// (set, example, score).
    pub(crate) fn matches(&self, text: &str) -> Vec<(usize, usize, f32)> {
        match self.found(text) {
            None => Vec::new(),
            Some(found) => (0..self.sets.len())
                .filter_map(|i| self.best_in(i, &found))
                .collect(),
        }
    }

    /// Which vocabulary stems `text` contains (None for a text without words).
    fn found(&self, text: &str) -> Option<Vec<bool>> {
        let doc = Doc::new(text);
        let m = stems(&doc);
        if m.is_empty() {
            return None;
        }
        // `near` is exact below five characters, and `m` is sorted.
        Some(
            self.vocab
                .iter()
                .map(|s| {
                    m.binary_search(&&**s).is_ok() || (s.len() >= 5 && m.iter().any(|x| near(x, s)))
                })
                .collect(),
        )
    }

    /// The best example of set `i` at or above the threshold: (set, example, score).
    fn best_in(&self, i: usize, found: &[bool]) -> Option<(usize, usize, f32)> {
        let mut best: Option<(usize, f32)> = None;
        for (k, ex) in self.sets.get(i)?.iter().enumerate() {
            let Some(ex) = ex else { continue };
            let score = ex.score(found);
            if score >= EXAMPLE_THRESHOLD && best.is_none_or(|(_, b)| score > b) {
                best = Some((k, score));
            }
        }
        best.map(|(k, score)| (i, k, score))
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
    fn passages_cover_questions_in_other_words() {
        let cod = "cash on delivery is available for +10 zł";
        for q in [
            "can I pay cash on delivery?",
            "Is it possible to pay in cash on delivery?",
            "how much is cash on delivery",
            "cash on deliveries?",
        ] {
            assert!(covers(cod, q).is_some(), "{q}");
        }
        for q in [
            "is delivery free?",
            "do you ship to Germany?",
            "can I pay by card?",
            "what are your opening hours?",
            "",
            "?!",
        ] {
            assert_eq!(covers(cod, q), None, "{q}");
        }
        let pl = "Płatność przy odbiorze jest dostępna za dopłatą 10 zł.";
        assert!(covers(pl, "Czy mogę zapłacić przy odbiorze?").is_some());
        assert!(covers(pl, "Jaki jest czas dostawy do Niemiec?").is_none());
        let es = "El pago contra reembolso está disponible por 2 euros más.";
        assert!(covers(es, "¿Puedo pagar contra reembolso?").is_some());
        let de = "Die Lieferung nach Österreich dauert drei Werktage.";
        assert!(covers(de, "Wie lange dauert die Lieferung nach Österreich?").is_some());
        assert!(covers(de, "Kann ich per Rechnung bezahlen?").is_none());
        assert!(related("pagar", "pagame"));
        assert!(related("shipp", "ship"));
        assert!(!related("card", "cart"));
    }

    #[test]
    fn relevant_sentences_leave_the_rest_of_a_passage_out() {
        let text = "Cash on delivery is available for +10 zł. The code VIP20 is for Anna only.";
        assert_eq!(
            relevant_sentences(text, "can I pay cash on delivery?"),
            "Cash on delivery is available for +10 zł."
        );
        assert_eq!(
            relevant_sentences("no match here", "cash?"),
            "no match here"
        );
        assert_eq!(
            relevant_sentences("Unrelated.\nCash on delivery costs 10.50 zł! Ok", "cash"),
            "Cash on delivery costs 10.50 zł!"
        );
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
            "I want a refund and to cancel my subscription",
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
            let all: Vec<(usize, usize, f32)> = sets
                .iter()
                .enumerate()
                .filter_map(|(i, set)| example_match(text, set).map(|(k, s)| (i, k, s)))
                .collect();
            assert_eq!(index.matches(text), all, "{text}");
        }
    }
}
