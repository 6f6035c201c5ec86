//! Always-on handoff keywords: case-insensitive, Unicode-aware, on word boundaries, and fast
//! for thousands of keywords (one Aho-Corasick automaton over the lowercased text).

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

pub struct KeywordMatcher {
    automaton: Option<AhoCorasick>,
    keywords: Vec<String>,
}

fn lower(s: &str) -> String {
    s.chars().flat_map(char::to_lowercase).collect()
}

impl KeywordMatcher {
    pub fn new(keywords: &[String]) -> KeywordMatcher {
        let keywords: Vec<String> = keywords
            .iter()
            .map(|k| k.trim().to_owned())
            .filter(|k| !k.is_empty())
            .collect();
        let patterns: Vec<String> = keywords.iter().map(|k| lower(k)).collect();
        let automaton = if patterns.is_empty() {
            None
        } else {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .build(&patterns)
                .ok()
        };
        KeywordMatcher {
            automaton,
            keywords,
        }
    }

    /// The first configured keyword found in `text` as whole words.
    pub fn find(&self, text: &str) -> Option<&str> {
        let automaton = self.automaton.as_ref()?;
        let hay = lower(text);
        for m in automaton.find_overlapping_iter(&hay) {
            let before = hay[..m.start()].chars().next_back();
            let after = hay[m.end()..].chars().next();
            let starts = before.is_none_or(|c| !c.is_alphanumeric())
                || !first_is_word_char(&hay[m.start()..m.end()]);
            let ends = after.is_none_or(|c| !c.is_alphanumeric())
                || !last_is_word_char(&hay[m.start()..m.end()]);
            if starts && ends {
                return self
                    .keywords
                    .get(m.pattern().as_usize())
                    .map(String::as_str);
            }
        }
        None
    }
}

// A keyword that starts or ends with punctuation ("c++", "#refund") has no word boundary there.
fn first_is_word_char(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_alphanumeric)
}

fn last_is_word_char(s: &str) -> bool {
    s.chars().next_back().is_some_and(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(keys: &[&str]) -> KeywordMatcher {
        KeywordMatcher::new(&keys.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn whole_words_any_case_any_script() {
        let k = m(&["speak to human", "GDPR", "Żądam", "agent"]);
        assert_eq!(
            k.find("I want to SPEAK TO HUMAN now"),
            Some("speak to human")
        );
        assert_eq!(k.find("this is a gdpr request"), Some("GDPR"));
        assert_eq!(k.find("ŻĄDAM zwrotu"), Some("Żądam"));
        assert_eq!(k.find("agent!"), Some("agent"));
        assert_eq!(k.find("the agency called"), None);
        assert_eq!(k.find("reagent"), None);
        assert_eq!(k.find("gdprs"), None);
        assert_eq!(k.find(""), None);
        assert_eq!(m(&[]).find("anything"), None);
    }

    #[test]
    fn overlapping_candidates_still_find_a_boundary_match() {
        let k = m(&["charge", "chargeback"]);
        assert_eq!(k.find("I will file a chargeback"), Some("chargeback"));
        let k = m(&["c++"]);
        assert_eq!(k.find("help with c++!"), Some("c++"));
    }
}
