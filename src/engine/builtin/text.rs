//! Tokens for search and similarity: lowercase, diacritics folded, split on non-alphanumerics,
//! stopwords of the supported languages dropped, and a crude stem (a prefix) so that
//! "invoice", "invoices" and "invoicing" meet.

use std::collections::HashSet;
use std::sync::LazyLock;

pub use crate::text::{clip_words, fold};

static STOPWORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    [
        // en
        "a", "an", "the", "and", "or", "but", "if", "of", "to", "in", "on", "at", "for", "with",
        "is", "are", "was", "were", "be", "been", "am", "i", "me", "my", "you", "your", "we",
        "our", "it", "its", "this", "that", "these", "those", "do", "does", "did", "can", "could",
        "would", "should", "will", "have", "has", "had", "what", "how", "when", "where", "which",
        "who", "why", "there", "here", "about", "from", "by", "as", "so", "not", "no", "yes",
        "please", "hi", "hello", "thanks", "thank", "any", "some", "get", "want", "need",
        // es
        "el", "la", "los", "las", "un", "una", "de", "del", "y", "o", "que", "en", "por", "para",
        "con", "es", "son", "mi", "tu", "su", "se", "lo", "al", "como", "hola", "gracias",
        // fr
        "le", "les", "des", "du", "et", "ou", "est", "sont", "je", "tu", "il", "elle", "nous",
        "vous", "mon", "ma", "mes", "pour", "avec", "dans", "sur", "ce", "cette", "bonjour",
        "merci", // de
        "der", "die", "das", "ein", "eine", "und", "oder", "ist", "sind", "ich", "du", "er", "sie",
        "wir", "ihr", "mein", "meine", "fur", "mit", "im", "zu", "von", "auf", "hallo", "danke",
        "wie", "was", // pl
        "i", "w", "z", "na", "do", "jest", "sa", "czy", "nie", "tak", "jak", "co", "to", "sie",
        "moj", "moja", "dla", "od", "dzien", "dobry", "dziekuje", // pt
        "os", "as", "um", "uma", "do", "da", "dos", "das", "e", "em", "com", "meu", "minha", "ola",
        "obrigado", "obrigada", "voce", // it
        "il", "gli", "uno", "di", "che", "per", "sono", "io", "mio", "mia", "ciao", "grazie",
        "come", "nel", "della",
    ]
    .into_iter()
    .collect()
});

pub fn is_stopword(token: &str) -> bool {
    STOPWORDS.contains(token)
}

/// Content tokens of `text`: folded, stopwords dropped, stemmed to at most 6 characters.
pub fn tokens(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty() && !is_stopword(t))
        .map(stem)
        .collect()
}

/// Like [`tokens`], but keeping diacritics: for search indexes that keep them (PostgreSQL's
/// `simple` configuration), where a folded "cafe" would never meet a stored "café".
pub fn tokens_keeping_accents(text: &str) -> Vec<String> {
    text.chars()
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty() && !is_stopword(&fold(t)))
        .map(stem)
        .collect()
}

fn stem(token: &str) -> String {
    token.chars().take(6).collect()
}
