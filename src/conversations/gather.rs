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

/// What a message holds for a lead capture field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LeadValue {
    /// A valid value, normalised (an email lowercased, a phone in E.164, a name capitalised).
    Found(String),
    /// An attempt at the field that is not valid (asked once more, then skipped).
    Invalid,
    /// Nothing for this field.
    Absent,
}

/// Words that follow "I'm" without being a name ("I'm fine", "je suis désolé"), folded.
const NOT_NAMES: &[&str] = &[
    "fine",
    "good",
    "ok",
    "okay",
    "well",
    "great",
    "sorry",
    "happy",
    "sad",
    "here",
    "back",
    "not",
    "just",
    "looking",
    "interested",
    "trying",
    "having",
    "wondering",
    "calling",
    "writing",
    "new",
    "sure",
    "afraid",
    "glad",
    "a",
    "an",
    "the",
    "in",
    "on",
    "at",
    "from",
    "very",
    "so",
    "still",
    "also",
    "really",
    "bien",
    "mal",
    "desole",
    "content",
    "contente",
    "ici",
    "pas",
    "gut",
    "hier",
    "nicht",
    "froh",
    "dobrze",
    "tutaj",
    "bem",
    "aqui",
    "bene",
    "qui",
    "no",
    "yes",
    "si",
    "oui",
    "ja",
    "nein",
    "tak",
    "nie",
    "sim",
    "nao",
    "why",
    "what",
    "hello",
    "hi",
    "hey",
    "thanks",
    "thank",
    "customer",
    "client",
    "kunde",
    "cliente",
];

fn capitalised(word: &str) -> String {
    let mut c = word.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A first name in `text`: after a cue ("I'm Anna", "je m'appelle Chloé"), not a state
/// ("I'm fine"); when `asked`, a bare answer of one to three words ("anna", "Anna Nowak").
pub fn find_first_name(text: &str, asked: bool) -> Option<String> {
    let ok = |w: &str| {
        let f = crate::text::fold(w);
        w.chars().count() >= 2
            && w.chars()
                .all(|c| c.is_alphabetic() || c == '-' || c == '\'')
            && !NOT_NAMES.contains(&f.as_str())
    };
    if let Some(name) = find_name(text) {
        let first = name.split_whitespace().next().unwrap_or_default();
        if ok(first) {
            return Some(capitalised(first));
        }
    }
    if asked {
        let t = text.trim().trim_end_matches(['.', '!']);
        let t = t
            .split_once([',', ':'])
            .map_or(t, |(a, b)| {
                if a.split_whitespace().count() <= 2 {
                    b
                } else {
                    a
                }
            })
            .trim();
        let words: Vec<&str> = t.split_whitespace().collect();
        if (1..=3).contains(&words.len()) && words.iter().all(|w| ok(w)) {
            return Some(capitalised(words[0]));
        }
    }
    None
}

/// The visitor says no to giving their details ("no thanks", "I'd rather not", "lieber
/// nicht", "wolę nie"), in the seven languages.
pub fn refuses(text: &str) -> bool {
    const PHRASES: &[&str] = &[
        "no thanks",
        "no thank you",
        "rather not",
        "prefer not",
        "don t want to",
        "do not want to",
        "not now",
        "no way",
        "skip",
        "pass",
        "none of your business",
        "i won t",
        "not giving",
        "not sharing",
        "don t share",
        "no gracias",
        "prefiero no",
        "no quiero",
        "mejor no",
        "non merci",
        "je prefere pas",
        "je prefere ne pas",
        "je ne veux pas",
        "plutot pas",
        "pas maintenant",
        "nein danke",
        "lieber nicht",
        "mochte ich nicht",
        "will ich nicht",
        "keine angabe",
        "nicht jetzt",
        "nie dziekuje",
        "wole nie",
        "nie chce",
        "nie podam",
        "nie teraz",
        "nao obrigado",
        "nao obrigada",
        "prefiro nao",
        "nao quero",
        "agora nao",
        "no grazie",
        "preferisco di no",
        "preferisco non",
        "non voglio",
        "non ora",
    ];
    const BARE: &[&str] = &["no", "nope", "nah", "nein", "non", "nie", "nao", "never"];
    let folded = crate::engine::builtin::text::fold(text);
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let joined = format!(" {} ", words.join(" "));
    if words.len() <= 2 && words.first().is_some_and(|w| BARE.contains(w)) {
        return true;
    }
    PHRASES.iter().any(|p| joined.contains(&format!(" {p} ")))
}

/// The value of a lead capture field in `text`; `asked` means the text answers the agent's
/// request for it, so a bare answer counts and a wrong one is [`LeadValue::Invalid`].
/// Phone numbers are checked against the numbering plan and normalised to E.164 (national
/// numbers read in `country`).
pub fn lead_value(
    kind: crate::leads::settings::GatherKind,
    custom: crate::leads::settings::CustomType,
    text: &str,
    asked: bool,
    country: Option<phonenumber::country::Id>,
) -> LeadValue {
    use crate::leads::settings::{CustomType, GatherKind};
    let text = text.trim();
    let short = text.split_whitespace().count() <= 6 && !text.contains('?');
    let invalid = if asked && short {
        LeadValue::Invalid
    } else {
        LeadValue::Absent
    };
    let email = || match find_email(text) {
        Some(e) => LeadValue::Found(e),
        None if asked && text.contains('@') => LeadValue::Invalid,
        None => invalid.clone(),
    };
    let phone = || {
        let candidate = if asked {
            find_phone(text)
        } else {
            find_contact_phone(text)
        };
        match candidate {
            Some(p) => match crate::fields::phone_e164(&p, country) {
                Some(n) => LeadValue::Found(n),
                None if asked => LeadValue::Invalid,
                None => LeadValue::Absent,
            },
            None => invalid.clone(),
        }
    };
    match (kind, custom) {
        (GatherKind::Email, _) | (GatherKind::Custom, CustomType::Email) => email(),
        (GatherKind::Phone, _) | (GatherKind::Custom, CustomType::Phone) => phone(),
        (GatherKind::FirstName, _) => match find_first_name(text, asked) {
            Some(n) => LeadValue::Found(n),
            None => invalid,
        },
        (GatherKind::Custom, _) if !asked => LeadValue::Absent,
        (GatherKind::Custom, CustomType::Number) => text
            .split_whitespace()
            .map(|w| {
                w.trim_matches(|c: char| !(c.is_ascii_digit() || c == '.' || c == ',' || c == '-'))
            })
            .find(|w| !w.is_empty() && w.replace(',', ".").parse::<f64>().is_ok())
            .map_or(invalid, |n| LeadValue::Found(n.to_owned())),
        (GatherKind::Custom, CustomType::Url) => text
            .split_whitespace()
            .map(trim_token)
            .find(|w| {
                let host = w
                    .trim_start_matches("https://")
                    .trim_start_matches("http://");
                let host = host.split('/').next().unwrap_or_default();
                host.contains('.')
                    && !host.starts_with('.')
                    && !host.ends_with('.')
                    && !w.contains('@')
            })
            .map_or(invalid, |u| LeadValue::Found(u.to_owned())),
        (GatherKind::Custom, CustomType::Text) => {
            bare(text).map_or(LeadValue::Absent, LeadValue::Found)
        }
    }
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

#[cfg(test)]
mod lead_tests {
    use super::*;
    use crate::leads::settings::{CustomType, GatherKind};

    fn value(kind: GatherKind, text: &str, asked: bool) -> LeadValue {
        lead_value(
            kind,
            CustomType::Text,
            text,
            asked,
            crate::fields::phone_country("DE"),
        )
    }

    #[test]
    fn details_are_taken_from_free_text_and_answers_and_checked() {
        use LeadValue::*;
        assert_eq!(
            value(GatherKind::Email, "I'm Anna, anna@example.com", false),
            Found("anna@example.com".into())
        );
        assert_eq!(
            value(GatherKind::FirstName, "I'm Anna, anna@example.com", false),
            Found("Anna".into())
        );
        assert_eq!(
            value(GatherKind::FirstName, "I'm fine, thanks", false),
            Absent
        );
        assert_eq!(
            value(GatherKind::FirstName, "Ich heiße Jürgen", false),
            Found("Jürgen".into())
        );
        assert_eq!(
            value(GatherKind::FirstName, "anna", true),
            Found("Anna".into())
        );
        assert_eq!(
            value(GatherKind::FirstName, "why do you need that?", true),
            Absent
        );
        assert_eq!(value(GatherKind::Email, "anna at example", true), Invalid);
        assert_eq!(value(GatherKind::Email, "anna@", true), Invalid);
        assert_eq!(
            value(GatherKind::Phone, "030 901820", true),
            Found("+4930901820".into())
        );
        assert_eq!(
            value(GatherKind::Phone, "call me on +48 600 100 200", false),
            Found("+48600100200".into())
        );
        assert_eq!(value(GatherKind::Phone, "12345", true), Invalid);
        // A date or an order number is not a phone number left in passing.
        assert_eq!(
            value(
                GatherKind::Phone,
                "I ordered on 2024-05-12, where is it?",
                false
            ),
            Absent
        );
        // A new question instead of an answer is not an invalid answer.
        assert_eq!(
            value(
                GatherKind::Email,
                "what are your opening hours on Saturday?",
                true
            ),
            Absent
        );
    }

    #[test]
    fn refusals_in_seven_languages() {
        for t in [
            "No thanks",
            "I'd rather not say",
            "nope",
            "No, gracias",
            "Je préfère ne pas le dire",
            "Nein danke",
            "lieber nicht",
            "Wolę nie",
            "não, obrigado",
            "preferisco di no",
        ] {
            assert!(refuses(t), "{t}");
        }
        for t in [
            "anna@example.com",
            "Anna",
            "no problem, it's anna@example.com",
            "nothing else",
            "Nowak",
        ] {
            assert!(!refuses(t), "{t}");
        }
    }
}
