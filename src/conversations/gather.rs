//! Information to gather before a handoff: find each field in what the visitor already wrote,
//! or validate their answer when asked.

use crate::handoff::{InformationField, InformationKind};

/// The value of `field` in `text`, if there is one. `asked` means `text` answers a question
/// about this field, so a bare answer ("Anna", "A-1234") counts.
pub fn extract(field: &InformationField, text: &str, asked: bool) -> Option<String> {
    let text = text.trim();
    match field.kind {
        InformationKind::Email => find_email(text),
        InformationKind::Phone => find_phone(text),
        InformationKind::OrderNumber => {
            find_order_number(text).or_else(|| asked.then(|| bare(text)).flatten())
        }
        InformationKind::Name => find_name(text).or_else(|| {
            // A short answer made of words is a name when we asked for one.
            (asked
                && (1..=4).contains(&text.split_whitespace().count())
                && text
                    .chars()
                    .all(|c| c.is_alphabetic() || c == ' ' || c == '-' || c == '\''))
            .then(|| text.to_owned())
        }),
        InformationKind::Custom => asked.then(|| bare(text)).flatten(),
    }
}

/// Why an answer to `field` is not usable, to ask again.
pub fn hint(field: &InformationField) -> &'static str {
    match field.kind {
        InformationKind::Email => "That doesn't look like an email address. Could you check it?",
        InformationKind::Phone => {
            "That doesn't look like a phone number. Could you send it with digits only?"
        }
        _ => "Sorry, I didn't get that.",
    }
}

fn bare(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty() && t.chars().count() <= 200).then(|| t.to_owned())
}

fn trim_token(t: &str) -> &str {
    t.trim_matches(|c: char| {
        !(c.is_alphanumeric() || c == '+' || c == '@' || c == '.' || c == '_' || c == '-')
    })
    .trim_end_matches('.')
}

pub fn find_email(text: &str) -> Option<String> {
    text.split_whitespace()
        .map(trim_token)
        .find(|t| crate::fields::is_valid_email(t))
        .map(str::to_lowercase)
}

/// A phone number the visitor leaves as a way to reach them, where no question named the
/// field: stricter than [`find_phone`], so that a date ("2024-05-12") or an order number
/// ("order 10023456") is not taken for one. The number must be international (`+…`), or named
/// ("phone", "call me", "Telefon", …), or be most of the message.
pub fn find_contact_phone(text: &str) -> Option<String> {
    let phone = find_phone(text)?;
    let digits: Vec<u32> = phone.chars().filter_map(|c| c.to_digit(10)).collect();
    let date_like = {
        let parts: Vec<&str> = phone
            .split(['-', '.', '/', ' '])
            .filter(|p| !p.is_empty())
            .collect();
        parts.len() == 3
            && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()))
            && (parts[0].len() == 4 || parts[2].len() == 4 || parts[2].len() == 2)
            && parts[1].len() <= 2
    };
    if date_like {
        return None;
    }
    let folded = crate::engine::builtin::text::fold(text);
    const CUES: &[&str] = &[
        "phone",
        "call",
        "tel",
        "mobile",
        "cell",
        "number",
        "whatsapp",
        "telefon",
        "handy",
        "nummer",
        "numer",
        "komork",
        "zadzwon",
        "telefono",
        "llam",
        "movil",
        "numero",
        "appel",
        "portable",
        "telemovel",
        "ligue",
        "chiam",
        "cellulare",
    ];
    let named = CUES.iter().any(|c| folded.contains(c));
    let chars = text.chars().filter(|c| !c.is_whitespace()).count().max(1);
    let most = digits.len() * 10 >= chars * 6;
    (phone.starts_with('+') || named || most).then_some(phone)
}

pub fn find_phone(text: &str) -> Option<String> {
    // A run of digits with common separators, 7 to 15 digits (E.164 allows 15).
    let mut best: Option<String> = None;
    let mut current = String::new();
    let mut digits = 0;
    let flush = |current: &mut String, digits: &mut usize, best: &mut Option<String>| {
        if (7..=15).contains(digits) && best.is_none() {
            *best = Some(current.trim().to_owned());
        }
        current.clear();
        *digits = 0;
    };
    for c in text.chars() {
        if c.is_ascii_digit() {
            current.push(c);
            digits += 1;
        } else if (matches!(c, '+' | '(') && current.is_empty())
            || (!current.is_empty() && matches!(c, ' ' | '-' | '(' | ')' | '.'))
        {
            current.push(c);
        } else {
            flush(&mut current, &mut digits, &mut best);
        }
    }
    flush(&mut current, &mut digits, &mut best);
    best.map(|p| p.trim_end_matches(['-', '.', '(', ' ']).to_owned())
}

pub fn find_order_number(text: &str) -> Option<String> {
    // A token with at least 4 digits, optionally with letters and dashes ("A-10234", "#55231").
    text.split_whitespace()
        .map(|t| t.trim_matches(|c: char| !(c.is_alphanumeric() || c == '-')))
        .find(|t| {
            t.chars().filter(char::is_ascii_digit).count() >= 4
                && t.len() <= 40
                && !t.contains('@')
                && t.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
        .map(str::to_owned)
}

const NAME_CUES: &[&str] = &[
    "my name is ",
    "i'm ",
    "i am ",
    "this is ",
    "me llamo ",
    "mi nombre es ",
    "je m'appelle ",
    "je suis ",
    "ich heiße ",
    "ich heisse ",
    "mein name ist ",
    "nazywam się ",
    "nazywam sie ",
    "mam na imię ",
    "mam na imie ",
    "meu nome é ",
    "meu nome e ",
    "me chamo ",
    "mi chiamo ",
    "il mio nome è ",
    "il mio nome e ",
];

pub fn find_name(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    for cue in NAME_CUES {
        if let Some(pos) = lower.find(cue) {
            // Take the original casing; byte offsets of the lowercased text match only when
            // lowercasing kept lengths, so re-find in the original when they differ.
            let start = if lower.len() == text.len() {
                pos + cue.len()
            } else {
                continue;
            };
            let rest = text.get(start..)?;
            let name: Vec<&str> = rest
                .split([',', '.', '!', '?', ';', '\n'])
                .next()?
                .split_whitespace()
                .take_while(|w| w.chars().next().is_some_and(char::is_uppercase))
                .take(4)
                .collect();
            if !name.is_empty() {
                return Some(name.join(" "));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_fields_in_free_text() {
        assert_eq!(
            find_email("write me at Anna.K@Example.com, thanks"),
            Some("anna.k@example.com".into())
        );
        assert_eq!(find_email("no email here @ all"), None);
        assert_eq!(
            find_phone("call +48 600-123-456 please"),
            Some("+48 600-123-456".into())
        );
        assert_eq!(find_phone("order 12 of 3"), None);
        assert_eq!(
            find_order_number("my order #A-10234 is late"),
            Some("A-10234".into())
        );
        assert_eq!(find_order_number("I have 3 items"), None);
        assert_eq!(
            find_name("Hi, my name is Anna Kowalska and I need help"),
            Some("Anna Kowalska".into())
        );
        assert_eq!(find_name("me llamo Jorge."), Some("Jorge".into()));
        assert_eq!(find_name("i am not happy"), None);
    }
}

#[cfg(test)]
mod contact_tests {
    use super::find_contact_phone;

    #[test]
    fn a_left_phone_is_a_phone_and_a_date_or_order_number_is_not() {
        for (text, want) in [
            ("Rufen Sie mich an: +49 30 1234567", Some("+49 30 1234567")),
            ("+48 600 100 200", Some("+48 600 100 200")),
            ("600 100 200", Some("600 100 200")),
            ("my phone is 0612 345 678", Some("0612 345 678")),
            (
                "I ordered on 2024-05-12 and it has not arrived, where is it?",
                None,
            ),
            ("order 10023456 never came, can you check it for me", None),
            ("it was 12.05.2024", None),
        ] {
            assert_eq!(find_contact_phone(text).as_deref(), want, "{text}");
        }
    }
}
