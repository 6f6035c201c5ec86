//! Parameter values in a message, by type: an email, a number, an order-number-like token
//! (letters and digits, `#` before it, or digits after a word such as "order", "pedido",
//! "Bestellung", "n°"), a date ("14 December 2026", "14.12.2026", "2026-12-14", "14 de
//! diciembre de 2026", "14 grudnia 2026" → `2026-12-14`), an enum value named in the text
//! or by its translation ("limpieza", "Zahnreinigung" → `cleaning`).

use chrono::NaiveDate;

use super::super::classify::concepts;
use crate::actions::model::{ActionParamType, ActionParameter};
use crate::text::fold;

pub(super) fn extract_from(p: &ActionParameter, text: &str) -> Option<serde_json::Value> {
    let text = super::super::classify::clip(text);
    match p.kind {
        ActionParamType::Email => words(text)
            .map(|w| w.trim_matches(|c: char| matches!(c, '<' | '>' | '[' | ']' | '\'')))
            .find(|w| crate::fields::is_valid_email(w))
            .map(serde_json::Value::from),
        ActionParamType::Integer => words(text)
            .find_map(|w| w.parse::<i64>().ok())
            .map(serde_json::Value::from),
        ActionParamType::Number => words(text)
            .find_map(|w| w.replace(',', ".").parse::<f64>().ok())
            .map(serde_json::Value::from),
        ActionParamType::Enum => enum_value(p, text).map(serde_json::Value::from),
        ActionParamType::String if is_date(p) => date(text).map(serde_json::Value::from),
        ActionParamType::String if is_reference(p) => reference(text).map(serde_json::Value::from),
        // A yes/no or free text is asked for, not guessed.
        ActionParamType::String | ActionParamType::Boolean => None,
    }
}

/// Words of the raw text, punctuation around them removed (not inside: "A-4521",
/// "14.12.2026", "anna@example.com").
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                ',' | ';' | '(' | ')' | '"' | '?' | '!' | '¿' | '¡' | '«' | '»'
            )
    })
    .map(|w| w.trim_matches(|c: char| matches!(c, '.' | ':' | '#' | '\'' | '’' | '*')))
    .filter(|w| !w.is_empty())
}

/// The parameter's name and description, folded, as words.
fn about(p: &ActionParameter) -> Vec<String> {
    fold(&format!(
        "{} {}",
        p.name.replace(['_', '-'], " "),
        p.description
    ))
    .split(|c: char| !c.is_alphanumeric())
    .filter(|w| !w.is_empty())
    .map(str::to_owned)
    .collect()
}

fn is_reference(p: &ActionParameter) -> bool {
    const WORDS: &[&str] = &[
        "number",
        "id",
        "code",
        "reference",
        "ref",
        "tracking",
        "order",
        "ticket",
        "invoice",
        "booking",
        "sku",
        "nummer",
        "numero",
        "numer",
        "codice",
        "codigo",
        "referencia",
        "reference",
        "riferimento",
        "kod",
        "nr",
        "pedido",
        "commande",
        "bestellung",
        "zamowienie",
        "encomenda",
        "ordine",
        "artikelnummer",
    ];
    about(p).iter().any(|w| WORDS.contains(&w.as_str()))
}

fn is_date(p: &ActionParameter) -> bool {
    const WORDS: &[&str] = &[
        "date", "day", "fecha", "dia", "datum", "tag", "data", "dzien", "jour", "giorno", "when",
        "cuando", "quand", "wann", "kiedy", "quando",
    ];
    about(p).iter().any(|w| WORDS.contains(&w.as_str()))
        || p.example
            .as_deref()
            .is_some_and(|e| numeric_date(e).is_some())
}

/// Words that name an order or a reference before its number ("order 88817", "pedido nº
/// 10234", "Bestellnummer 5531", "zamówienia nr 88817").
fn names_a_reference(folded: &str) -> bool {
    const WORDS: &[&str] = &[
        "order",
        "orders",
        "number",
        "no",
        "nr",
        "n",
        "nº",
        "no",
        "id",
        "ref",
        "reference",
        "code",
        "sku",
        "invoice",
        "ticket",
        "booking",
        "tracking",
        "pedido",
        "numero",
        "codigo",
        "referencia",
        "factura",
        "commande",
        "reference",
        "facture",
        "bestellung",
        "auftrag",
        "nummer",
        "rechnung",
        "zamowienie",
        "zamowienia",
        "zamowieniu",
        "numer",
        "kod",
        "faktura",
        "faktury",
        "encomenda",
        "fatura",
        "ordine",
        "codice",
        "fattura",
        "riferimento",
        "artikel",
        "artikelnummer",
        "bestellnummer",
        "auftragsnummer",
        "produkt",
        "product",
        "producto",
        "produit",
        "prodotto",
        "produto",
        "item",
        "article",
        "articolo",
        "artigo",
        "artykul",
        "pratica",
        "numer zamowienia",
    ];
    WORDS.contains(&folded)
        || ["nummer", "nr", "number", "numero", "numer"]
            .iter()
            .any(|e| folded.ends_with(e))
        || ["bestell", "zamowien", "auftrag"]
            .iter()
            .any(|b| folded.starts_with(b))
}

/// A word of letters and digits that is no reference: an ordinal, a time, a quantity with
/// its unit, a price ("14th", "10am", "3pcs", "25eur").
fn is_measure(w: &str) -> bool {
    const UNITS: &[&str] = &[
        "st", "nd", "rd", "th", "am", "pm", "h", "hr", "hrs", "kg", "g", "cm", "mm", "m", "km",
        "ml", "l", "x", "er", "eme", "e", "o", "a", "pcs", "pc", "eur", "usd", "gbp", "zl", "pln",
        "min", "mins", "s", "d", "days", "w", "gb", "mb", "tb", "v", "k",
    ];
    let lower = w.to_lowercase();
    let digits_end = lower
        .char_indices()
        .find(|(_, c)| !c.is_ascii_digit())
        .map_or(lower.len(), |(i, _)| i);
    digits_end > 0 && UNITS.contains(&&lower[digits_end..])
}

/// The order-number-like token of `text`: letters and digits ("A-4521", "TS-220-BL"), or
/// `#` and digits ("#10234"), or digits after a word naming an order or a reference ("order
/// 88817", "pedido nº 10234"), or a bare number of five digits or more; the strongest kind
/// first, then the first in the text. Dates, times, prices, emails are none.
fn reference(text: &str) -> Option<String> {
    let raw: Vec<&str> = text
        .split(|c: char| {
            c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '"' | '?' | '!' | '¿' | '¡')
        })
        .filter(|w| !w.is_empty())
        .collect();
    let mut best: Option<(u8, String)> = None;
    for (i, w) in raw.iter().enumerate() {
        if w.contains('@') || w.contains("://") || w.contains(['€', '$', '£']) {
            continue;
        }
        let w = w.trim_end_matches(['.', ':', '\'', '’', '*']);
        let w = w.trim_start_matches(['\'', '’', '*', ':']);
        let hashed = w.starts_with('#');
        let mut core = w.trim_start_matches('#');
        for pre in ["n°", "nº", "N°", "Nº", "no.", "No.", "nr.", "Nr."] {
            if let Some(rest) = core.strip_prefix(pre) {
                if rest.starts_with(|c: char| c.is_ascii_digit()) {
                    core = rest;
                }
            }
        }
        let chars = core.chars().count();
        if chars < 3
            || !core.chars().any(|c| c.is_ascii_digit())
            || !core
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
            || numeric_date(core).is_some()
            || core.starts_with('-')
            || core.ends_with('-')
        {
            continue;
        }
        let letters = core.chars().any(char::is_alphabetic);
        let rank = if letters {
            if is_measure(core) {
                continue;
            }
            3
        } else if hashed {
            3
        } else {
            let digits_only = core.chars().all(|c| c.is_ascii_digit());
            let year = digits_only
                && chars == 4
                && core
                    .parse::<u32>()
                    .is_ok_and(|y| (1900..=2100).contains(&y));
            let named = (1..=3).any(|k| {
                i.checked_sub(k)
                    .and_then(|j| raw.get(j))
                    .is_some_and(|prev| {
                        let f = fold(prev.trim_matches(|c: char| !c.is_alphanumeric()));
                        names_a_reference(&f)
                    })
            });
            if named && !year {
                2
            } else if digits_only && chars >= 5 {
                1
            } else {
                continue;
            }
        };
        if best.as_ref().is_none_or(|(r, _)| rank > *r) {
            best = Some((rank, core.to_owned()));
        }
    }
    best.map(|(_, v)| v)
}

/// "2026-12-14", "2026/12/14", "14.12.2026", "14/12/2026", "14-12-2026" (day first unless
/// the month would be over 12: "12/14/2026").
fn numeric_date(w: &str) -> Option<NaiveDate> {
    let w = w.trim_end_matches('.');
    let sep = w.chars().find(|c| matches!(c, '-' | '.' | '/'))?;
    let parts: Vec<&str> = w.split(sep).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    if ![a, b, c]
        .iter()
        .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let (a, b, c): (u32, u32, i32) = (a.parse().ok()?, b.parse().ok()?, c.parse().ok()?);
    if a >= 1000 {
        // y-m-d: the year was read into `a`.
        let y = i32::try_from(a).ok()?;
        return NaiveDate::from_ymd_opt(y, b, u32::try_from(c).ok()?);
    }
    if !(1900..=2100).contains(&c) || parts[2].len() != 4 {
        return None;
    }
    let (d, m) = if b > 12 && a <= 12 { (b, a) } else { (a, b) };
    NaiveDate::from_ymd_opt(c, m, d)
}

/// Month names and abbreviations of the seven languages, folded (Polish in the nominative
/// and the genitive used in dates).
fn month(w: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january jan enero ene janvier janv januar janner jan stycznia styczen janeiro jan \
         gennaio gen",
        "february feb febrero febr fevrier fev februar feb lutego luty fevereiro fev febbraio",
        "march mar marzo mars marz mrz marca marzec marco",
        "april apr abril avril avr kwietnia kwiecien aprile",
        "may mayo mai maja maj maio maggio mag",
        "june jun junio juin juni czerwca czerwiec junho giugno giu",
        "july jul julio juillet juil juli lipca lipiec julho luglio lug",
        "august aug agosto aout sierpnia sierpien ago",
        "september sep sept septiembre setiembre septembre wrzesnia wrzesien setembro set \
         settembre",
        "october oct octubre octobre oktober okt pazdziernika pazdziernik outubro out ottobre \
         ott",
        "november nov noviembre novembre listopada listopad novembro",
        "december dec diciembre dic decembre dezember dez grudnia grudzien dezembro dicembre",
    ];
    let w = w.trim_end_matches('.');
    MONTHS
        .iter()
        .position(|m| m.split_whitespace().any(|x| x == w))
        .and_then(|i| u32::try_from(i + 1).ok())
}

/// A day of the month: "14", "14th", "1st", "1er", "8." (the dot is gone by now), "14º".
fn day(w: &str) -> Option<u32> {
    let digits: String = w.chars().take_while(char::is_ascii_digit).collect();
    let rest = &w[digits.len()..];
    if digits.is_empty()
        || digits.len() > 2
        || !["", "st", "nd", "rd", "th", "er", "o", "a", "º", "ª", "eme"].contains(&rest)
    {
        return None;
    }
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

fn year(w: &str) -> Option<i32> {
    (w.len() == 4 && w.chars().all(|c| c.is_ascii_digit()))
        .then(|| w.parse().ok())
        .flatten()
        .filter(|y| (1900..=2100).contains(y))
}

/// The first full date of `text` (with its year), as `YYYY-MM-DD`.
fn date(text: &str) -> Option<String> {
    let numeric = words(text).find_map(numeric_date);
    // Word months, on folded words: "14 December 2026", "December 14, 2026", "14 de
    // diciembre de 2026", "le 14 décembre 2026", "am 14. Dezember 2026", "14 grudnia 2026".
    let folded = fold(text);
    let toks: Vec<&str> = folded
        .split(|c: char| !(c.is_alphanumeric() || c == 'º' || c == 'ª'))
        .filter(|t| !t.is_empty())
        .collect();
    let skip = |i: usize| -> usize {
        let mut i = i;
        while toks
            .get(i)
            .is_some_and(|t| matches!(*t, "of" | "de" | "del" | "di" | "the"))
        {
            i += 1;
        }
        i
    };
    let mut worded: Option<NaiveDate> = None;
    for i in 0..toks.len() {
        let at = |k: usize| toks.get(k).copied().unwrap_or("");
        if let Some(d) = day(at(i)) {
            let j = skip(i + 1);
            if let Some(m) = month(at(j)) {
                let k = skip(j + 1);
                if let Some(y) = year(at(k)) {
                    worded = NaiveDate::from_ymd_opt(y, m, d);
                }
            }
        } else if let Some(m) = month(at(i)) {
            if let (Some(d), Some(y)) = (day(at(i + 1)), year(at(skip(i + 2)))) {
                worded = NaiveDate::from_ymd_opt(y, m, d);
            }
        }
        if worded.is_some() {
            break;
        }
    }
    // The earlier of the two in the text would be better; both in one message are rare.
    numeric.or(worded).map(|d| d.format("%Y-%m-%d").to_string())
}

/// The enum value named in `text`: the value itself, or a word of the value's concept in
/// any language ("limpieza", "détartrage", "Zahnreinigung" for `cleaning`); the first named
/// when several are.
fn enum_value(p: &ActionParameter, text: &str) -> Option<String> {
    let folded = fold(text);
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut best: Option<(usize, &String)> = None;
    let mut reading: Option<concepts::Reading> = None;
    for v in &p.values {
        let fv = fold(v);
        let literal = words.iter().position(|w| *w == fv);
        let by_concept = || {
            let r = reading.get_or_insert_with(|| concepts::read(text));
            let of_value = concepts::read(v);
            r.found
                .iter()
                .filter(|f| of_value.has(f.concept))
                .map(|f| f.at)
                .min()
        };
        let at = literal.or_else(by_concept);
        if let Some(at) = at {
            if best.is_none_or(|(b, _)| at < b) {
                best = Some((at, v));
            }
        }
    }
    best.map(|(_, v)| v.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references() {
        assert_eq!(
            reference("Where is my order A-4521?").as_deref(),
            Some("A-4521")
        );
        assert_eq!(reference("order #10234 please").as_deref(), Some("10234"));
        assert_eq!(
            reference("tracking for order 88817").as_deref(),
            Some("88817")
        );
        assert_eq!(
            reference("Pouvez-vous voir la commande n° 88817 ?").as_deref(),
            Some("88817")
        );
        assert_eq!(reference("zamówienia nr 88817").as_deref(), Some("88817"));
        assert_eq!(
            reference("Is TS-220-BL in stock?").as_deref(),
            Some("TS-220-BL")
        );
        assert_eq!(reference("It's A-77").as_deref(), Some("A-77"));
        // Dates, years, sizes, times, prices, ordinals are not references.
        assert_eq!(reference("on 2026-12-14 at 10:30"), None);
        assert_eq!(reference("in size 42, since 2026"), None);
        assert_eq!(reference("on the 14th, for 25eur or €30"), None);
        assert_eq!(reference("write to a1@example.com"), None);
    }

    #[test]
    fn dates() {
        for (text, want) in [
            ("on 14 December 2026", "2026-12-14"),
            ("am 14.12.2026 bitte", "2026-12-14"),
            ("2026-12-14", "2026-12-14"),
            ("December 14, 2026", "2026-12-14"),
            ("14th of December 2026", "2026-12-14"),
            ("el 14 de diciembre de 2026", "2026-12-14"),
            ("le 14 décembre 2026", "2026-12-14"),
            ("am 8. Januar 2027", "2027-01-08"),
            ("14 grudnia 2026", "2026-12-14"),
            ("14 de dezembro de 2026", "2026-12-14"),
            ("il 14 dicembre 2026", "2026-12-14"),
            ("dia 08/01/2027", "2027-01-08"),
            ("12/14/2026", "2026-12-14"),
            ("le 1er mars 2027", "2027-03-01"),
        ] {
            assert_eq!(date(text).as_deref(), Some(want), "{text}");
        }
        for none in [
            "next Monday",
            "14 December",
            "14.12.",
            "31.02.2026",
            "order 2026",
        ] {
            assert_eq!(date(none), None, "{none}");
        }
    }
}
