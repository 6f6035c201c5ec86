//! Text preparation: folding (lowercase, accents removed), tokens with clause boundaries, and
//! the few surface features of the raw text (capitals, exclamation marks, emoji) that folding
//! throws away.

use unicode_normalization::char::decompose_canonical;

/// Detectors look at most at this many bytes of a message (a chat message is usually under
/// 300 characters; this bounds the work on pasted logs or hostile input).
pub(crate) const MAX_INPUT: usize = 16 * 1024;

/// `text` cut to at most [`MAX_INPUT`] bytes, on a character boundary.
pub(crate) fn clip(text: &str) -> &str {
    if text.len() <= MAX_INPUT {
        return text;
    }
    let mut end = MAX_INPUT;
    while end > 0 && !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or("")
}

fn is_combining(c: char) -> bool {
    matches!(
        c as u32,
        0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F
    )
}

/// Appends the lowercase, accent-free form of an alphanumeric character.
fn push_folded(c: char, out: &mut String) {
    for lc in c.to_lowercase() {
        if lc.is_ascii() {
            out.push(lc);
            continue;
        }
        match lc {
            'ß' => out.push_str("ss"),
            'ł' => out.push('l'),
            'ø' => out.push('o'),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            'đ' | 'ð' => out.push('d'),
            'þ' => out.push_str("th"),
            'ı' => out.push('i'),
            _ => decompose_canonical(lc, |d| {
                if !is_combining(d) {
                    out.push(d);
                }
            }),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Sep {
    /// Inside a word.
    None,
    /// Space, apostrophe, hyphen, slash…: words split, same clause.
    Soft,
    /// Sentence or clause punctuation, emoji, line break: a new clause starts.
    Hard,
}

fn class(c: char) -> Sep {
    if c.is_alphanumeric() || is_combining(c) {
        return Sep::None;
    }
    match c {
        '\n' | '\r' | '.' | ',' | ';' | ':' | '!' | '?' | '¿' | '¡' | '…' | '(' | ')' | '['
        | ']' | '{' | '}' | '。' | '！' | '？' | '、' | '，' => Sep::Hard,
        _ if c.is_whitespace() || c.is_control() || c.is_ascii() => Sep::Soft,
        // Zero-width joiner, variation selectors, quotes and dashes of other scripts.
        '\u{200B}'..='\u{200F}'
        | '\u{2060}'..='\u{206F}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{FEFF}' => Sep::Soft,
        '\u{2010}'..='\u{201F}' | '«' | '»' | '´' | '\u{02BC}' => Sep::Soft,
        // Emoji and other symbols usually end a thought ("human please 🙏 now").
        _ => Sep::Hard,
    }
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Tok {
    start: u32,
    end: u32,
    /// The token starts a clause (first token, or after . , ; : ! ? emoji or a line break).
    pub brk: bool,
}

/// A folded message: one buffer (tokens separated by single spaces) and token spans.
pub(crate) struct Doc {
    pub buf: String,
    toks: Vec<Tok>,
    /// The raw text (after clipping) ends with a question mark (ignoring spaces and emoji).
    pub question: bool,
}

impl Doc {
    pub(crate) fn new(text: &str) -> Doc {
        let text = clip(text);
        let mut buf = String::with_capacity(text.len() + 8);
        let mut toks: Vec<Tok> = Vec::with_capacity(text.len() / 4 + 2);
        let mut in_word = false;
        let mut pending_break = true;
        let mut start = 0usize;
        for c in text.chars() {
            match class(c) {
                Sep::None => {
                    if is_combining(c) {
                        continue;
                    }
                    if !in_word {
                        if !buf.is_empty() {
                            buf.push(' ');
                        }
                        start = buf.len();
                        in_word = true;
                    }
                    push_folded(c, &mut buf);
                }
                sep => {
                    if in_word {
                        Self::close(&mut buf, &mut toks, start, pending_break);
                        pending_break = false;
                        in_word = false;
                    }
                    if sep == Sep::Hard {
                        pending_break = true;
                    }
                }
            }
        }
        if in_word {
            Self::close(&mut buf, &mut toks, start, pending_break);
        }
        let question = text
            .chars()
            .rev()
            .find(|c| c.is_alphanumeric() || c.is_ascii_punctuation() || matches!(c, '？' | '。'))
            .is_some_and(|c| c == '?' || c == '？');
        Doc {
            buf,
            toks,
            question,
        }
    }

    fn close(buf: &mut String, toks: &mut Vec<Tok>, start: usize, brk: bool) {
        // A character may fold to nothing (a lone combining sequence): drop the empty token.
        if buf.len() == start {
            if buf.ends_with(' ') {
                buf.pop();
            }
            return;
        }
        let (Ok(s), Ok(e)) = (u32::try_from(start), u32::try_from(buf.len())) else {
            return;
        };
        toks.push(Tok {
            start: s,
            end: e,
            brk,
        });
    }

    pub(crate) fn len(&self) -> usize {
        self.toks.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.toks.is_empty()
    }

    /// Token `i` ("" when out of range).
    pub(crate) fn tok(&self, i: usize) -> &str {
        self.toks
            .get(i)
            .and_then(|t| self.buf.get(t.start as usize..t.end as usize))
            .unwrap_or("")
    }

    /// Token `i` starts a clause (true when out of range).
    pub(crate) fn brk(&self, i: usize) -> bool {
        self.toks.get(i).is_none_or(|t| t.brk)
    }

    /// The folded text of tokens `from..to` (exclusive), for operator-facing cues.
    pub(crate) fn span(&self, from: usize, to: usize) -> &str {
        if from >= to {
            return "";
        }
        match (self.toks.get(from), self.toks.get(to.saturating_sub(1))) {
            (Some(a), Some(b)) => self.buf.get(a.start as usize..b.end as usize).unwrap_or(""),
            _ => "",
        }
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len()).map(move |i| self.tok(i))
    }
}

/// Lowercase, accents folded, punctuation → spaces, whitespace collapsed.
pub(crate) fn normalize(text: &str) -> String {
    Doc::new(text).buf
}

/// Surface features of the raw text that folding loses.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Surface {
    pub upper: u32,
    pub lower: u32,
    /// Words of 3+ letters written entirely in capitals.
    pub caps_words: u32,
    /// Words of 2+ letters.
    pub words: u32,
    pub max_bang_run: u32,
    pub max_question_run: u32,
    /// "?!" or "!?" appears.
    pub interrobang: bool,
    pub angry_emoji: bool,
    pub annoyed_emoji: bool,
}

impl Surface {
    pub(crate) fn of(text: &str) -> Surface {
        let text = clip(text);
        let mut s = Surface::default();
        let (mut bang, mut question) = (0u32, 0u32);
        let mut prev = ' ';
        let (mut w_len, mut w_upper, mut w_lower) = (0u32, 0u32, 0u32);
        let end_word = |s: &mut Surface, len: u32, up: u32, low: u32| {
            if len >= 2 {
                s.words += 1;
            }
            if len >= 3 && low == 0 && up == len {
                s.caps_words += 1;
            }
        };
        for c in text.chars() {
            if c.is_alphabetic() {
                w_len += 1;
                if c.is_uppercase() {
                    s.upper += 1;
                    w_upper += 1;
                } else if c.is_lowercase() {
                    s.lower += 1;
                    w_lower += 1;
                }
            } else if !is_combining(c) {
                if w_len > 0 {
                    end_word(&mut s, w_len, w_upper, w_lower);
                }
                (w_len, w_upper, w_lower) = (0, 0, 0);
            }
            match c {
                '!' | '！' => {
                    bang += 1;
                    s.max_bang_run = s.max_bang_run.max(bang);
                }
                '?' | '？' => {
                    question += 1;
                    s.max_question_run = s.max_question_run.max(question);
                }
                _ if c.is_whitespace() => {}
                _ => {
                    bang = 0;
                    question = 0;
                }
            }
            if matches!((prev, c), ('?', '!') | ('!', '?')) {
                s.interrobang = true;
            }
            match c {
                '😡' | '🤬' | '😤' | '😠' | '👿' | '💢' | '🖕' => {
                    s.angry_emoji = true
                }
                '🙄' | '😒' | '🤦' | '😑' | '😩' | '😫' | '😣' | '😖' | '😾' => {
                    s.annoyed_emoji = true;
                }
                _ => {}
            }
            if !c.is_whitespace() {
                prev = c;
            }
        }
        if w_len > 0 {
            end_word(&mut s, w_len, w_upper, w_lower);
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_and_splits() {
        assert_eq!(normalize("  Ça, C'EST   NUL!!  "), "ca c est nul");
        assert_eq!(normalize("Żywą osobą, proszę"), "zywa osoba prosze");
        assert_eq!(normalize("Straße ÜBER"), "strasse uber");
        assert_eq!(normalize("e\u{301}te\u{301}"), "ete");
        assert_eq!(normalize("human-readable"), "human readable");
        assert_eq!(normalize(""), "");
        assert_eq!(normalize("🙏🙏"), "");
    }

    #[test]
    fn clause_breaks() {
        let d = Doc::new("no, I want a human 🙏 now");
        assert!(d.brk(0));
        assert!(d.brk(1));
        assert!(!d.brk(2));
        assert!(d.brk(5));
        assert_eq!(d.tok(5), "now");
        assert_eq!(d.span(1, 5), "i want a human");
        assert!(Doc::new("are you human? 🤔").question);
        assert!(!Doc::new("human please").question);
    }
}
