//! Compiled word lists and phrase sets. Everything here is built once (behind `LazyLock`s in
//! the modules that use it) and then only read.
//!
//! Lists are written as plain text, one entry per whitespace-separated word (word maps) or per
//! `;`-separated phrase (phrase sets), in ordinary spelling with accents; they go through the
//! same folding as messages, so "pérdida de tiempo" matches "perdida de tiempo" and
//! "PÉRDIDA DE TIEMPO". A trailing `*` on a phrase word matches any word starting with it
//! ("frustrat*" matches "frustrating").

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::text::{normalize, Doc};

/// A small, fast, non-cryptographic hasher for short ASCII keys (FxHash-like).
#[derive(Default, Clone, Copy)]
pub(crate) struct Fx(u64);

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

pub(crate) type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

/// Word → bit flags.
pub(crate) struct WordMap {
    map: FxMap<String, u32>,
}

impl WordMap {
    /// `groups`: (flags, whitespace-separated words). A word in several groups gets all flags.
    pub(crate) fn new(groups: &[(u32, &str)]) -> WordMap {
        let mut map: FxMap<String, u32> = FxMap::default();
        for &(flags, words) in groups {
            for w in words.split_whitespace() {
                // Entries are single words; one that folds into several tokens ("quelqu'un")
                // could never equal a token, so it is skipped: list "quelqu" instead.
                let folded = normalize(w);
                if !folded.is_empty() && !folded.contains(' ') {
                    *map.entry(folded).or_insert(0) |= flags;
                }
            }
        }
        WordMap { map }
    }

    pub(crate) fn get(&self, word: &str) -> u32 {
        self.map.get(word).copied().unwrap_or(0)
    }
}

/// One phrase: folded words, each exact or a prefix.
pub(crate) struct Phrase {
    words: Box<[(Box<str>, bool)]>,
    pub weight: f32,
    pub lang: &'static str,
    /// The folded phrase, for cues.
    pub text: Box<str>,
}

impl Phrase {
    pub(crate) fn len(&self) -> usize {
        self.words.len()
    }
}

/// A match of a phrase in a document.
#[derive(Clone, Copy)]
pub(crate) struct Hit<'a> {
    pub len: usize,
    pub phrase: &'a Phrase,
}

/// A set of phrases indexed by the first three characters of their first word.
pub(crate) struct PhraseSet {
    phrases: Vec<Phrase>,
    index: FxMap<Box<str>, Vec<u32>>,
}

fn key(word: &str) -> &str {
    match word.char_indices().nth(3) {
        Some((i, _)) => word.get(..i).unwrap_or(word),
        None => word,
    }
}

impl PhraseSet {
    /// `groups`: (language, weight, `;`-separated phrases).
    pub(crate) fn new(groups: &[(&'static str, f32, &str)]) -> PhraseSet {
        let mut phrases = Vec::new();
        let mut index: FxMap<Box<str>, Vec<u32>> = FxMap::default();
        for &(lang, weight, list) in groups {
            for raw in list.split(';') {
                let mut words: Vec<(Box<str>, bool)> = Vec::new();
                for w in raw.split_whitespace() {
                    let prefix = w.ends_with('*');
                    let parts = normalize(w.trim_end_matches('*'));
                    let mut parts: Vec<&str> = parts.split(' ').filter(|p| !p.is_empty()).collect();
                    let last = parts.pop();
                    for p in parts {
                        words.push((p.into(), false));
                    }
                    if let Some(p) = last {
                        // Prefixes shorter than three characters would not be found by the index.
                        let prefix = prefix && p.chars().count() >= 3;
                        words.push((p.into(), prefix));
                    }
                }
                let Some(first) = words.first() else { continue };
                let Ok(id) = u32::try_from(phrases.len()) else {
                    continue;
                };
                index.entry(key(&first.0).into()).or_default().push(id);
                let text = words
                    .iter()
                    .map(|(w, _)| &**w)
                    .collect::<Vec<_>>()
                    .join(" ");
                phrases.push(Phrase {
                    words: words.into(),
                    weight,
                    lang,
                    text: text.into(),
                });
            }
        }
        PhraseSet { phrases, index }
    }

    fn matches_at(&self, doc: &Doc, at: usize, phrase: &Phrase) -> bool {
        phrase.words.iter().enumerate().all(|(k, (w, prefix))| {
            let i = at + k;
            if i >= doc.len() || (k > 0 && doc.brk(i)) {
                return false;
            }
            let t = doc.tok(i);
            if *prefix {
                t.starts_with(&**w)
            } else {
                t == &**w
            }
        })
    }

    /// Phrases starting at token `at`.
    pub(crate) fn at<'a>(&'a self, doc: &'a Doc, at: usize) -> impl Iterator<Item = Hit<'a>> + 'a {
        let ids: &[u32] = self
            .index
            .get(key(doc.tok(at)))
            .map_or(&[], |v| v.as_slice());
        ids.iter().filter_map(move |&id| {
            let phrase = self.phrases.get(id as usize)?;
            self.matches_at(doc, at, phrase).then_some(Hit {
                len: phrase.len(),
                phrase,
            })
        })
    }

    /// The longest phrase starting at token `at` (the heaviest among equally long ones).
    pub(crate) fn longest_at<'a>(&'a self, doc: &'a Doc, at: usize) -> Option<Hit<'a>> {
        self.at(doc, at).max_by(|a, b| {
            a.len
                .cmp(&b.len)
                .then(a.phrase.weight.total_cmp(&b.phrase.weight))
        })
    }

    /// Every match, in token order.
    pub(crate) fn all<'a>(&'a self, doc: &'a Doc) -> impl Iterator<Item = Hit<'a>> + 'a {
        (0..doc.len()).flat_map(move |i| self.at(doc, i))
    }

    /// The match with the highest weight (ties: the longest, then the first).
    pub(crate) fn best<'a>(&'a self, doc: &'a Doc) -> Option<Hit<'a>> {
        let mut best: Option<Hit<'a>> = None;
        for h in self.all(doc) {
            let better = best.is_none_or(|b| {
                h.phrase.weight > b.phrase.weight
                    || (h.phrase.weight == b.phrase.weight && h.len > b.len)
            });
            if better {
                best = Some(h);
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_match_folded_and_prefixed() {
        let set = PhraseSet::new(&[
            ("es", 1.0, "pérdida de tiempo; frustrat*"),
            ("fr", 0.5, "c'est nul"),
        ]);
        let d = Doc::new("QUE PERDIDA DE TIEMPO, c'est nul, so frustrating");
        let hits: Vec<&str> = set.all(&d).map(|h| &*h.phrase.text).collect();
        assert_eq!(hits, vec!["perdida de tiempo", "c est nul", "frustrat"]);
        // Phrases do not run across clause breaks.
        assert!(set.best(&Doc::new("perdida. de tiempo")).is_none());
    }

    #[test]
    fn word_flags_combine() {
        let m = WordMap::new(&[(1, "agent quelqu'un Ärger"), (2, "agent")]);
        assert_eq!(m.get("agent"), 3);
        assert_eq!(m.get("arger"), 1);
        assert_eq!(m.get("un"), 0);
        assert_eq!(m.get("nope"), 0);
    }
}
