//! Text as people read it, shared by the store (search), the engine and what the inbox shows:
//! folding for matching, cutting between words for display.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Lowercase with diacritics removed ("Żądam" → "zadam", "Straße" → "straße").
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'ł' { 'l' } else { c })
        .collect()
}

/// At most `max` characters of `text`, cut at a word boundary with "…" when cut (a decision
/// record or an email never shows half a word: "on delive…"). A single word longer than `max`
/// is cut inside.
pub fn clip_words(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let head: String = text.chars().take(max.saturating_sub(1)).collect();
    // The next character decides whether the cut falls between words.
    let next = text.chars().nth(max.saturating_sub(1));
    let cut = match next {
        Some(c) if c.is_whitespace() => head.as_str(),
        _ => match head.rfind(char::is_whitespace) {
            Some(i) if i > 0 => &head[..i],
            _ => head.as_str(),
        },
    };
    format!(
        "{}…",
        cut.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':'))
    )
}

/// Words of context kept before and after the first match in a search snippet.
const SNIPPET_BEFORE: usize = 6;
const SNIPPET_AFTER: usize = 14;

/// The part of `text` around the first word that starts with one of `words` (already folded
/// as the search folds them), cut at word boundaries, with "…" where text was left out.
pub fn snippet_around(text: &str, words: &[String]) -> String {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let hit = tokens
        .iter()
        .position(|t| {
            let t = fold(t);
            let t = t.trim_start_matches(|c: char| !c.is_alphanumeric());
            words.iter().any(|w| t.starts_with(w.as_str()))
        })
        .unwrap_or(0);
    let from = hit.saturating_sub(SNIPPET_BEFORE);
    let to = (hit + SNIPPET_AFTER).min(tokens.len());
    let mut out = tokens[from..to].join(" ");
    if from > 0 {
        out.insert_str(0, "… ");
    }
    if to < tokens.len() {
        out.push_str(" …");
    }
    out
}

#[cfg(test)]
mod clip_tests {
    use super::clip_words;

    #[test]
    fn cuts_between_words() {
        assert_eq!(
            clip_words("can I pay cash on delivery please", 20),
            "can I pay cash on…"
        );
        assert_eq!(clip_words("short", 20), "short");
        assert_eq!(clip_words("Überweisungsbestätigung", 10), "Überweisu…");
        assert!(clip_words("a b c d e f g h", 6).chars().count() <= 6);
    }
}

#[cfg(test)]
mod tests {
    use super::snippet_around;

    #[test]
    fn snippets_show_the_match_in_whole_words() {
        let text = "Hello there, I ordered a blue jacket last week and the parcel never \
                    arrived at my flat in Kraków, could somebody check the tracking for me please, \
                    it was a birthday present for my sister and she is waiting";
        let s = snippet_around(text, &["krakow".into()]);
        assert!(s.starts_with("… "), "{s}");
        assert!(s.contains("Kraków,"), "{s}");
        assert!(s.ends_with(" …"), "{s}");
        // Whole words only: every word of the snippet is a word of the text.
        for w in s.split_whitespace().filter(|w| *w != "…") {
            assert!(text.split_whitespace().any(|t| t == w), "cut word {w}");
        }
        assert_eq!(
            snippet_around("short text", &["short".into()]),
            "short text"
        );
        assert_eq!(
            snippet_around("no match here", &["zzz".into()]),
            "no match here"
        );
    }
}
