//! The learned layer: a linear classifier over hashed word and character n-grams, as fastText
//! does, for *request for a person* / *frustration* / *neutral*. It generalises where the
//! structural rules cannot: a contact act without a person word ("put me through to your
//! team"), refusing the bot, a judgment of the answers without an emotion word, typos.
//!
//! Features of a message: its folded words (see [`super::normalize`]), word bigrams, the
//! character 3–5-grams of every word with `<` `>` boundaries (so "conect" shares most of
//! "connect"), and a few surface marks folding loses (`!!`, `?!`, capitals, angry emoji). Each
//! is hashed (FNV-1a) into [`BUCKETS`] rows of three weights; a message's score per class is
//! the bias plus the mean of its rows (a vector normalised to length 1), and a softmax turns
//! the scores into probabilities.
//!
//! Training ([`train`]) is multinomial logistic regression by SGD with a linearly decaying
//! rate, classes weighted by their inverse frequency, and one typo'd copy of every message;
//! every step is deterministic (a fixed-seed generator, files in name order, no threads), so
//! `cargo run --release --bin train-intent` gives the same bytes as the embedded weights —
//! `model_matches_the_corpus` retrains and compares. The weights are stored as `i8` with one
//! scale per class (768 KiB) in `intent.bin`, embedded in the binary and read in place.

use std::borrow::Cow;
use std::sync::LazyLock;

use super::text::{Doc, Surface};

/// The classes, in the order of the weights.
pub const CLASSES: [&str; 3] = ["human_request", "frustration", "neutral"];
pub const REQUEST: usize = 0;
pub const FRUSTRATION: usize = 1;
pub const NEUTRAL: usize = 2;

const BUCKETS_LOG2: u32 = 18;
/// Rows of the hashed feature table.
pub const BUCKETS: usize = 1 << BUCKETS_LOG2;
const MAGIC: &[u8; 4] = b"BTNI";
const VERSION: u8 = 1;
const HEADER: usize = 8 + 4 * 3 * 2;

/// How training runs; [`TrainParams::default`] is what the embedded weights were trained with.
#[derive(Debug, Clone, Copy)]
pub struct TrainParams {
    pub epochs: u32,
    pub learning_rate: f32,
    pub seed: u64,
    /// Weigh classes by their inverse frequency.
    pub balanced: bool,
}

impl Default for TrainParams {
    fn default() -> Self {
        TrainParams {
            epochs: 8,
            learning_rate: 2.0,
            seed: 0x0ba7_0115,
            balanced: false,
        }
    }
}

/// A labelled message for training.
#[derive(Debug, Clone)]
pub struct Example {
    pub text: String,
    pub lang: String,
    /// An index into [`CLASSES`].
    pub class: usize,
}

/// Probabilities per class, summing to 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Probs(pub [f32; 3]);

impl Probs {
    pub fn request(&self) -> f32 {
        self.0[REQUEST]
    }
    pub fn frustration(&self) -> f32 {
        self.0[FRUSTRATION]
    }
    pub fn neutral(&self) -> f32 {
        self.0[NEUTRAL]
    }
}

/// Trained weights, quantised: the embedded model reads them in place from the binary.
pub struct Model {
    bias: [f32; 3],
    scale: [f32; 3],
    /// `BUCKETS × 3` `i8`, row-major.
    weights: Cow<'static, [u8]>,
}

/// Why the bytes are not a model.
#[derive(Debug, thiserror::Error)]
#[error("not a Baton intent model: {0}")]
pub struct BadModel(&'static str);

/// The embedded model; `None` only if the embedded file is damaged (then the rules decide
/// alone, and a unit test fails).
static EMBEDDED: LazyLock<Option<Model>> =
    LazyLock::new(|| Model::from_bytes(Cow::Borrowed(include_bytes!("intent.bin"))).ok());

/// The embedded model (its weights are read in place, nothing is loaded).
pub fn embedded() -> Option<&'static Model> {
    EMBEDDED.as_ref()
}

/// The embedded model's probabilities for `text`; `None` when no model is embedded. The last
/// answer per thread is kept: a decision asks for the same message twice (request, then
/// frustration).
pub fn predict(text: &str) -> Option<Probs> {
    thread_local! {
        static LAST: std::cell::RefCell<(String, Option<Probs>)> =
            const { std::cell::RefCell::new((String::new(), None)) };
    }
    let m = embedded()?;
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        if let (true, Some(p)) = (last.0 == text, last.1) {
            return Some(p);
        }
        let p = m.predict(text);
        last.0.clear();
        last.0.push_str(text);
        last.1 = Some(p);
        Some(p)
    })
}

impl Model {
    /// Probabilities per class.
    pub fn predict(&self, text: &str) -> Probs {
        let mut f = Vec::with_capacity(96);
        features(text, &mut f);
        Probs(softmax(self.scores(&f)))
    }

    fn row(&self, b: u32) -> [f32; 3] {
        let at = b as usize * 3;
        match self.weights.get(at..at + 3) {
            Some(r) => [
                f32::from(r[0] as i8) * self.scale[0],
                f32::from(r[1] as i8) * self.scale[1],
                f32::from(r[2] as i8) * self.scale[2],
            ],
            None => [0.0; 3],
        }
    }

    fn scores(&self, f: &[u32]) -> [f32; 3] {
        let mut s = [0f32; 3];
        for &b in f {
            let r = self.row(b);
            for c in 0..3 {
                s[c] += r[c];
            }
        }
        let norm = inv_sqrt_len(f);
        std::array::from_fn(|c| self.bias[c] + s[c] * norm)
    }

    /// The words of `text` that weigh most towards `class` (up to three, in message order):
    /// the learned layer's evidence, for an operator-facing reason.
    pub fn cue(&self, text: &str, class: usize) -> String {
        let doc = Doc::new(text);
        let words: Vec<&str> = doc.iter().collect();
        let mut scored: Vec<(usize, f32)> = Vec::with_capacity(words.len());
        let mut f = Vec::new();
        for (i, w) in words.iter().enumerate() {
            f.clear();
            word_features(w, &mut f);
            let mut margin = 0.0;
            for &b in &f {
                let r = self.row(b);
                let others = (r[0] + r[1] + r[2] - r[class]) / 2.0;
                margin += r[class] - others;
            }
            if margin > 0.0 {
                scored.push((i, margin));
            }
        }
        scored.sort_by(|a, b| b.1.total_cmp(&a.1));
        scored.truncate(3);
        scored.sort_by_key(|s| s.0);
        let picked: Vec<&str> = scored.iter().map(|(i, _)| words[*i]).collect();
        picked.join(" ")
    }

    /// The stored form: a header, the scales and biases, then the `i8` weights.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER + self.weights.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&[VERSION, BUCKETS_LOG2 as u8, 3, 0]);
        for s in self.scale {
            out.extend_from_slice(&s.to_le_bytes());
        }
        for b in self.bias {
            out.extend_from_slice(&b.to_le_bytes());
        }
        out.extend_from_slice(&self.weights);
        out
    }

    /// Reads [`Model::to_bytes`]'s form.
    pub fn from_bytes(bytes: Cow<'static, [u8]>) -> Result<Model, BadModel> {
        let head = bytes.get(..HEADER).ok_or(BadModel("too short"))?;
        if &head[..4] != MAGIC {
            return Err(BadModel("wrong magic"));
        }
        if head[4] != VERSION || u32::from(head[5]) != BUCKETS_LOG2 || head[6] != 3 {
            return Err(BadModel("another version or shape"));
        }
        if bytes.len() != HEADER + BUCKETS * 3 {
            return Err(BadModel("wrong size"));
        }
        let f = |i: usize| {
            let at = 8 + 4 * i;
            f32::from_le_bytes([head[at], head[at + 1], head[at + 2], head[at + 3]])
        };
        let scale = [f(0), f(1), f(2)];
        let bias = [f(3), f(4), f(5)];
        let weights = match bytes {
            Cow::Borrowed(b) => Cow::Borrowed(&b[HEADER..]),
            Cow::Owned(mut v) => {
                v.drain(..HEADER);
                Cow::Owned(v)
            }
        };
        Ok(Model {
            bias,
            scale,
            weights,
        })
    }

    /// Quantises trained weights: one scale per class, the largest weight at ±127.
    fn quantise(bias: [f32; 3], w: &[f32]) -> Model {
        let mut scale = [0f32; 3];
        for row in w.chunks_exact(3) {
            for c in 0..3 {
                scale[c] = scale[c].max(row[c].abs());
            }
        }
        for s in &mut scale {
            *s = if *s > 0.0 { *s / 127.0 } else { 1.0 };
        }
        let weights = w
            .chunks_exact(3)
            .flat_map(|row| {
                (0..3).map(move |c| (row[c] / scale[c]).round().clamp(-127.0, 127.0) as i8 as u8)
            })
            .collect();
        Model {
            bias,
            scale,
            weights: Cow::Owned(weights),
        }
    }
}

fn inv_sqrt_len(f: &[u32]) -> f32 {
    if f.is_empty() {
        0.0
    } else {
        1.0 / (f.len() as f32).sqrt()
    }
}

fn softmax(s: [f32; 3]) -> [f32; 3] {
    let m = s[0].max(s[1]).max(s[2]);
    let e = [(s[0] - m).exp(), (s[1] - m).exp(), (s[2] - m).exp()];
    let sum = e[0] + e[1] + e[2];
    [e[0] / sum, e[1] / sum, e[2] / sum]
}

/// FNV-1a, 32 bits, with a seed byte telling the kinds of feature apart.
fn hash(kind: u8, parts: &[&str]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    let mut eat = |b: u8| {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    };
    eat(kind);
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            eat(0x1f);
        }
        for b in p.bytes() {
            eat(b);
        }
    }
    h & (BUCKETS as u32 - 1)
}

/// The unigram and character n-grams of one folded word.
fn word_features(w: &str, out: &mut Vec<u32>) {
    out.push(hash(b'w', &[w]));
    let chars: Vec<char> = std::iter::once('<')
        .chain(w.chars())
        .chain(std::iter::once('>'))
        .collect();
    let mut gram = String::with_capacity(24);
    for n in 3..=5 {
        if chars.len() < n {
            break;
        }
        for win in chars.windows(n) {
            // The whole word with its boundaries is the unigram already.
            if n == chars.len() {
                continue;
            }
            gram.clear();
            gram.extend(win);
            out.push(hash(b'c', &[&gram]));
        }
    }
}

/// Words that negate what follows in their clause, in the seven languages (folded).
const NEGATORS: &[&str] = &[
    "not", "no", "never", "dont", "doesnt", "didnt", "wont", "cant", "don", "doesn", "didn", "won",
    "wouldn", "isn", "aren", "cannot", "nobody", "nothing", "without", "nunca", "nada", "nadie",
    "ningun", "ninguna", "sin", "tampoco", "ne", "pas", "jamais", "rien", "aucun", "sans", "nicht",
    "kein", "keine", "keinen", "keinem", "keiner", "nie", "niemals", "nichts", "niemand", "ohne",
    "nigdy", "nic", "nikt", "nikogo", "bez", "non", "nao", "nem", "ninguem", "nenhum", "nenhuma",
    "sem", "mai", "niente", "nessuno", "nessun", "nulla", "senza",
];

/// How many words after a negator its scope covers.
const NEGATION_SCOPE: u32 = 4;

/// The hashed features of a message, sorted and without repeats: the words, their character
/// n-grams, bigrams, the words in a negation's scope marked as such ("don't transfer me" is
/// not "transfer me"), and surface marks.
pub fn features(text: &str, out: &mut Vec<u32>) {
    let doc = Doc::new(text);
    let mut prev: Option<&str> = None;
    let mut before: Option<&str> = None;
    let mut negated = 0u32;
    for i in 0..doc.len() {
        let w = doc.tok(i);
        if doc.brk(i) {
            negated = 0;
        }
        word_features(w, out);
        out.push(hash(b'b', &[prev.unwrap_or("<s>"), w]));
        if let (Some(a), Some(b)) = (before, prev) {
            out.push(hash(b't', &[a, b, w]));
            // A skip-bigram: "connect * team", "parler * conseiller".
            out.push(hash(b'k', &[a, w]));
        }
        before = prev;
        if negated > 0 {
            out.push(hash(b'n', &[w]));
            negated -= 1;
        }
        if NEGATORS.contains(&w) {
            negated = NEGATION_SCOPE;
        }
        prev = Some(w);
    }
    if let Some(p) = prev {
        out.push(hash(b'b', &[p, "</s>"]));
    }
    let s = Surface::of(text);
    let mut mark = |m: &str| out.push(hash(b's', &[m]));
    if s.max_bang_run >= 2 {
        mark("!!");
    }
    if s.max_question_run >= 2 || s.interrobang {
        mark("?!");
    }
    if s.caps_words >= 2 && s.upper * 10 >= (s.upper + s.lower) * 7 {
        mark("CAPS");
    }
    if s.angry_emoji {
        mark("angry");
    }
    if s.annoyed_emoji {
        mark("annoyed");
    }
    if doc.question {
        mark("?");
    }
    if doc.len() <= 3 {
        mark("short");
    }
    out.sort_unstable();
    out.dedup();
}

/// splitmix64: small, fast, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// A copy of `text` with one typo (a letter dropped, doubled or swapped with the next) in one
/// word of four letters or more; the text itself when it has no such word.
fn typo(text: &str, rng: &mut Rng) -> String {
    let words: Vec<&str> = text.split(' ').collect();
    let long: Vec<usize> = (0..words.len())
        .filter(|&i| words[i].chars().filter(|c| c.is_alphabetic()).count() >= 4)
        .collect();
    if long.is_empty() {
        return text.to_owned();
    }
    let at = long[rng.below(long.len())];
    let mut chars: Vec<char> = words[at].chars().collect();
    let i = 1 + rng.below(chars.len() - 2);
    match rng.below(3) {
        0 => {
            chars.remove(i);
        }
        1 => chars.insert(i, chars[i]),
        _ => chars.swap(i, i + 1),
    }
    let changed: String = chars.into_iter().collect();
    let mut out: Vec<&str> = words.clone();
    out[at] = &changed;
    out.join(" ")
}

/// Trains a model on `examples` (deterministic for the same examples in the same order).
pub fn train(examples: &[Example], params: TrainParams) -> Model {
    let mut rng = Rng(params.seed);
    let mut data: Vec<(Vec<u32>, usize)> = Vec::with_capacity(examples.len() * 2);
    for e in examples {
        if e.class >= 3 {
            continue;
        }
        let mut f = Vec::new();
        features(&e.text, &mut f);
        data.push((f, e.class));
        let t = typo(&e.text, &mut rng);
        if t != e.text {
            let mut f = Vec::new();
            features(&t, &mut f);
            data.push((f, e.class));
        }
    }
    let mut count = [0usize; 3];
    for (_, c) in &data {
        count[*c] += 1;
    }
    let total = data.len().max(1) as f32;
    let class_weight: [f32; 3] = std::array::from_fn(|c| {
        if params.balanced {
            total / (3.0 * count[c].max(1) as f32)
        } else {
            1.0
        }
    });
    let mut bias = [0f32; 3];
    let mut w = vec![0f32; BUCKETS * 3];
    let steps = (data.len() as u64 * u64::from(params.epochs)).max(1) as f32;
    let mut step = 0u64;
    let mut order: Vec<usize> = (0..data.len()).collect();
    for _ in 0..params.epochs {
        // Fisher–Yates with the fixed-seed generator.
        for i in (1..order.len()).rev() {
            let j = rng.below(i + 1);
            order.swap(i, j);
        }
        for &k in &order {
            let (f, class) = &data[k];
            let lr = params.learning_rate * (1.0 - step as f32 / steps).max(0.0001);
            step += 1;
            let norm = inv_sqrt_len(f);
            let mut s = [0f32; 3];
            for &b in f {
                for c in 0..3 {
                    s[c] += w[b as usize * 3 + c];
                }
            }
            let p = softmax(std::array::from_fn(|c| bias[c] + s[c] * norm));
            for c in 0..3 {
                let target = if c == *class { 1.0 } else { 0.0 };
                let g = (p[c] - target) * class_weight[*class] * lr;
                bias[c] -= g * 0.1;
                for &b in f {
                    w[b as usize * 3 + c] -= g * norm;
                }
            }
        }
    }
    Model::quantise(bias, &w)
}

/// Whether a corpus message belongs to the development split (one in six, by a hash of its
/// text): left out of training, it is what thresholds are chosen on. The held-out split is
/// separate files that neither training nor tuning reads.
pub fn is_dev(text: &str) -> bool {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h % 6 == 0
}

/// What the embedded weights are trained on: the corpus's training files
/// (`<corpus>/train/`) without their development split, and without any message that is also
/// in the held-out split (`<corpus>/heldout/`, by folded text), so that held-out figures are
/// never figures on trained messages.
pub fn training_set(corpus: &std::path::Path) -> std::io::Result<Vec<Example>> {
    let heldout: std::collections::HashSet<String> = match load_corpus(&corpus.join("heldout")) {
        Ok(rows) => rows.iter().map(|e| super::normalize(&e.text)).collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Default::default(),
        Err(e) => return Err(e),
    };
    let mut rows = load_corpus(&corpus.join("train"))?;
    rows.retain(|e| !is_dev(&e.text) && !heldout.contains(&super::normalize(&e.text)));
    Ok(rows)
}

/// A labelled corpus: `path` itself when it is a file, else every `*.jsonl` file of it, in file-name order, lines of
/// `{"text": …, "label": "human_request" | "frustration" | "neutral", …}`.
pub fn load_corpus(path: &std::path::Path) -> std::io::Result<Vec<Example>> {
    let mut files: Vec<_> = if path.is_file() {
        vec![path.to_path_buf()]
    } else {
        std::fs::read_dir(path)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
            .collect()
    };
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path)?;
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let v: serde_json::Value = serde_json::from_str(line)
                .map_err(|e| std::io::Error::other(format!("{}:{}: {e}", path.display(), n + 1)))?;
            let label = v["label"].as_str().unwrap_or_default();
            let Some(class) = CLASSES.iter().position(|c| *c == label) else {
                return Err(std::io::Error::other(format!(
                    "{}:{}: unknown label {label:?}",
                    path.display(),
                    n + 1
                )));
            };
            out.push(Example {
                text: v["text"].as_str().unwrap_or_default().to_owned(),
                lang: v["lang"].as_str().unwrap_or_default().to_owned(),
                class,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_model_loads() {
        assert!(embedded().is_some(), "intent.bin does not load");
    }

    #[test]
    fn bytes_round_trip() {
        let ex = vec![
            Example {
                lang: "en".into(),
                text: "put me through to your team".into(),
                class: REQUEST,
            },
            Example {
                lang: "en".into(),
                text: "this is useless".into(),
                class: FRUSTRATION,
            },
            Example {
                lang: "en".into(),
                text: "what are your opening hours".into(),
                class: NEUTRAL,
            },
        ];
        let m = train(&ex, TrainParams::default());
        let back = Model::from_bytes(Cow::Owned(m.to_bytes())).expect("loads");
        for e in &ex {
            let (a, b) = (m.predict(&e.text), back.predict(&e.text));
            assert_eq!(a, b);
            let best = (0..3).max_by(|x, y| b.0[*x].total_cmp(&b.0[*y])).unwrap();
            assert_eq!(best, e.class, "{}", e.text);
        }
        assert_eq!(back.to_bytes(), m.to_bytes());
        assert!(Model::from_bytes(Cow::Borrowed(b"BTNI")).is_err());
        assert!(Model::from_bytes(Cow::Owned(m.to_bytes()[..1000].to_vec())).is_err());
    }

    #[test]
    fn features_are_deterministic_and_bounded() {
        let mut a = Vec::new();
        let mut b = Vec::new();
        features("Put me THROUGH to your team!!", &mut a);
        features("Put me THROUGH to your team!!", &mut b);
        assert_eq!(a, b);
        assert!(a.iter().all(|&x| (x as usize) < BUCKETS));
        let mut empty = Vec::new();
        features("", &mut empty);
        let p = embedded().map(|m| m.predict(""));
        if let Some(p) = p {
            assert!((p.0.iter().sum::<f32>() - 1.0).abs() < 1e-4);
        }
    }

    #[test]
    fn a_typo_changes_one_word() {
        let mut rng = Rng(1);
        let t = typo("please connect me", &mut rng);
        assert_ne!(t, "please connect me");
        assert_eq!(t.split(' ').count(), 3);
        assert_eq!(typo("ok no", &mut rng), "ok no");
    }
}
