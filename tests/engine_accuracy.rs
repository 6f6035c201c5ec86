//! Accuracy of the built-in engine's language understanding on a labelled set
//! (`corpus/intent/train/labelled.jsonl`, also training data of the learned layer), plus behaviour tests of the smaller detectors.
//!
//! `cargo test --test suite engine_accuracy:: -- --nocapture` prints the tables. Set
//! `BATON_HELDOUT=/path/to/file.jsonl` to also print the figures for another file in the same
//! format (not asserted): that is how the held-out figures in `docs/engine-accuracy.md` were
//! measured.

use std::collections::BTreeMap;
use std::time::Instant;

use baton::engine::builtin::classify::{
    ai_lacks_knowledge, ai_suggests_support, confirmation, example_match, frustration,
    human_request, language, normalize, rejects_answer, repeats, warm_up,
};
use baton::engine::Turn;
use serde::Deserialize;

const SET: &str = include_str!("../corpus/intent/train/labelled.jsonl");
const LANGS: [&str; 7] = ["en", "es", "fr", "de", "pl", "pt", "it"];

#[derive(Debug, Deserialize)]
pub(crate) struct Row {
    pub text: String,
    pub lang: String,
    pub label: String,
}

pub(crate) fn load(jsonl: &str) -> Vec<Row> {
    jsonl
        .lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| serde_json::from_str(l).unwrap_or_else(|e| panic!("line {}: {e}", i + 1)))
        .collect()
}

#[derive(Default, Clone, Copy)]
pub(crate) struct Counts {
    n: usize,
    /// Rows labelled human_request / frustration / neutral.
    hr: usize,
    fr: usize,
    neutral: usize,
    hr_tp: usize,
    /// human_request fired on a frustration or neutral row.
    hr_fp: usize,
    fr_tp: usize,
    /// frustration fired on a neutral row (firing on a human_request row is allowed).
    fr_fp: usize,
    /// Either detector fired on a neutral row.
    neutral_fp: usize,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        f64::NAN
    } else {
        a as f64 / b as f64
    }
}

impl Counts {
    fn add(&mut self, o: &Counts) {
        self.n += o.n;
        self.hr += o.hr;
        self.fr += o.fr;
        self.neutral += o.neutral;
        self.hr_tp += o.hr_tp;
        self.hr_fp += o.hr_fp;
        self.fr_tp += o.fr_tp;
        self.fr_fp += o.fr_fp;
        self.neutral_fp += o.neutral_fp;
    }
    pub(crate) fn hr_recall(&self) -> f64 {
        ratio(self.hr_tp, self.hr)
    }
    fn hr_precision(&self) -> f64 {
        ratio(self.hr_tp, self.hr_tp + self.hr_fp)
    }
    pub(crate) fn fr_recall(&self) -> f64 {
        ratio(self.fr_tp, self.fr)
    }
    fn fr_precision(&self) -> f64 {
        ratio(self.fr_tp, self.fr_tp + self.fr_fp)
    }
    pub(crate) fn neutral_fpr(&self) -> f64 {
        ratio(self.neutral_fp, self.neutral)
    }
}

/// Runs both detectors on every row; prints a table and the errors; returns the totals.
pub(crate) fn evaluate(title: &str, rows: &[Row]) -> Counts {
    let mut per: BTreeMap<&str, Counts> = BTreeMap::new();
    let mut errors = Vec::new();
    for r in rows {
        let hr = human_request(&r.text).is_some();
        let fr = frustration(&r.text).is_some();
        let c = per.entry(r.lang.as_str()).or_default();
        c.n += 1;
        match r.label.as_str() {
            "human_request" => {
                c.hr += 1;
                c.hr_tp += usize::from(hr);
                if !hr {
                    errors.push(format!("  missed request    [{}] {}", r.lang, r.text));
                }
            }
            "frustration" => {
                c.fr += 1;
                c.fr_tp += usize::from(fr);
                c.hr_fp += usize::from(hr);
                if !fr {
                    errors.push(format!("  missed frustration[{}] {}", r.lang, r.text));
                }
                if hr {
                    errors.push(format!("  false request     [{}] {}", r.lang, r.text));
                }
            }
            "neutral" => {
                c.neutral += 1;
                c.hr_fp += usize::from(hr);
                c.fr_fp += usize::from(fr);
                c.neutral_fp += usize::from(hr || fr);
                if hr {
                    errors.push(format!("  false request     [{}] {}", r.lang, r.text));
                }
                if fr {
                    errors.push(format!("  false frustration [{}] {}", r.lang, r.text));
                }
            }
            other => panic!("unknown label {other:?} for {:?}", r.text),
        }
    }
    let mut total = Counts::default();
    println!("\n{title}");
    println!(
        "{:<5} {:>4} | {:>13} {:>13} | {:>13} {:>13} | {:>15}",
        "lang",
        "n",
        "request rec.",
        "request prec.",
        "frustr. rec.",
        "frustr. prec.",
        "neutral FP rate"
    );
    let line = |name: &str, c: &Counts| {
        println!(
            "{:<5} {:>4} | {:>6.3} ({:>2}/{:<2}) {:>6.3}        | {:>6.3} ({:>2}/{:<2}) {:>6.3}        | {:>6.3} ({:>2}/{:<2})",
            name,
            c.n,
            c.hr_recall(),
            c.hr_tp,
            c.hr,
            c.hr_precision(),
            c.fr_recall(),
            c.fr_tp,
            c.fr,
            c.fr_precision(),
            c.neutral_fpr(),
            c.neutral_fp,
            c.neutral
        );
    };
    for l in LANGS {
        if let Some(c) = per.get(l) {
            line(l, c);
            total.add(c);
        }
    }
    for (l, c) in &per {
        if !LANGS.contains(l) {
            line(l, c);
            total.add(c);
        }
    }
    line("all", &total);
    if errors.is_empty() {
        println!("no errors");
    } else {
        println!("errors:");
        for e in &errors {
            println!("{e}");
        }
    }
    total
}

#[test]
fn labelled_set_is_well_formed() {
    let rows = load(SET);
    assert!(rows.len() >= 210, "{} rows", rows.len());
    for l in LANGS {
        let mine: Vec<&Row> = rows.iter().filter(|r| r.lang == l).collect();
        assert!(mine.len() >= 30, "{l}: {} rows", mine.len());
        for label in ["human_request", "frustration", "neutral"] {
            assert!(
                mine.iter().filter(|r| r.label == label).count() >= 8,
                "{l}/{label}"
            );
        }
    }
    let mut seen = std::collections::HashSet::new();
    for r in &rows {
        assert!(seen.insert(r.text.as_str()), "duplicate: {}", r.text);
    }
}

#[test]
fn accuracy_on_labelled_set() {
    let rows = load(SET);
    let started = Instant::now();
    let total = evaluate("labelled set (corpus/intent/train/labelled.jsonl)", &rows);
    println!(
        "evaluated {} messages in {:?}",
        rows.len(),
        started.elapsed()
    );
    if let Ok(path) = std::env::var("BATON_HELDOUT") {
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        evaluate(
            &format!("held-out set ({path}, not asserted)"),
            &load(&text),
        );
    }
    assert!(
        total.hr_recall() >= 0.95,
        "request recall {:.3}",
        total.hr_recall()
    );
    assert!(
        total.fr_recall() >= 0.85,
        "frustration recall {:.3}",
        total.fr_recall()
    );
    assert!(
        total.neutral_fpr() <= 0.05,
        "neutral false-positive rate {:.3}",
        total.neutral_fpr()
    );
}

#[test]
fn latency_per_message() {
    // Everything the built-in decision may ask of a visitor message, per message.
    let rows = load(SET);
    let history = vec![
        Turn::visitor("hello, where is my order 1234?"),
        Turn::ai("It shipped yesterday."),
        Turn::visitor("it still has not arrived, can you check the tracking?"),
    ];
    let examples = vec![
        "I want a refund".to_owned(),
        "cancel my subscription".to_owned(),
    ];
    warm_up();
    let mut times = Vec::with_capacity(rows.len() * 5);
    for _ in 0..5 {
        for r in &rows {
            let t = Instant::now();
            let _ = human_request(&r.text);
            let _ = frustration(&r.text);
            let _ = rejects_answer(&r.text);
            let _ = repeats(&history, &r.text);
            let _ = example_match(&r.text, &examples);
            let _ = language(&r.text);
            times.push(t.elapsed());
        }
    }
    times.sort_unstable();
    let pct = |p: usize| {
        times
            .get(times.len() * p / 100)
            .copied()
            .unwrap_or_default()
    };
    println!(
        "per message, all detectors ({} profile): p50 {:?}, p99 {:?}, max {:?}",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        },
        pct(50),
        pct(99),
        times.last().copied().unwrap_or_default()
    );
}

#[test]
fn language_detection() {
    let rows = load(SET);
    let long: Vec<&Row> = rows
        .iter()
        .filter(|r| normalize(&r.text).split(' ').count() >= 4)
        .collect();
    let right = long
        .iter()
        .filter(|r| language(&r.text) == Some(r.lang.as_str()))
        .count();
    let wrong: Vec<String> = long
        .iter()
        .filter(|r| language(&r.text) != Some(r.lang.as_str()))
        .map(|r| format!("  [{}→{:?}] {}", r.lang, language(&r.text), r.text))
        .collect();
    let acc = right as f64 / long.len() as f64;
    println!(
        "language detection on {} messages of 4+ words: {acc:.3}\n{}",
        long.len(),
        wrong.join("\n")
    );
    assert!(acc >= 0.9, "language accuracy {acc:.3}");
    assert_eq!(language("Where is my order? I paid last week."), Some("en"));
    assert_eq!(
        language("¿Dónde está mi pedido? Lo pagué la semana pasada."),
        Some("es")
    );
    assert_eq!(
        language("Où est ma commande ? Je l'ai payée la semaine dernière."),
        Some("fr")
    );
    assert_eq!(
        language("Wo ist meine Bestellung? Ich habe letzte Woche bezahlt."),
        Some("de")
    );
    assert_eq!(
        language("Gdzie jest moje zamówienie? Zapłaciłem w zeszłym tygodniu."),
        Some("pl")
    );
    assert_eq!(
        language("Onde está o meu pedido? Eu paguei na semana passada."),
        Some("pt")
    );
    assert_eq!(
        language("Dov'è il mio ordine? L'ho pagato la settimana scorsa."),
        Some("it")
    );
    assert_eq!(language(""), None);
    assert_eq!(language("12345 !!!"), None);
}

#[test]
fn human_request_cues_and_look_alikes() {
    let s = human_request("I want to speak to a real person, please").expect("request");
    assert!(s.cue.contains("person"), "{}", s.cue);
    assert_eq!(s.language, Some("en"));
    assert!(s.score > 0.5 && s.score <= 1.0);
    for yes in [
        "human please",
        "agent!",
        "real person",
        "operator",
        "representative",
        "quiero hablar con una persona",
        "je veux parler à un conseiller",
        "ich möchte mit einem Mitarbeiter sprechen",
        "chcę rozmawiać z konsultantem",
        "quero falar com um atendente",
        "posso parlare con un operatore?",
        "I talked to a bot for an hour. Now I want a human.",
    ] {
        assert!(human_request(yes).is_some(), "should be a request: {yes}");
    }
    for no in [
        "is there an agent fee?",
        "I'm a human resources manager",
        "my travel agent booked this",
        "are you a real person?",
        "the operator of the site",
        "people say your product is great",
        "do you have human-readable logs?",
        "I talked to a person at your store yesterday and they said it was fine",
        "I don't need a human, just tell me the price",
        "",
        "?",
    ] {
        assert!(human_request(no).is_none(), "should not be a request: {no}");
    }
}

#[test]
fn frustration_edges() {
    assert!(frustration("my order is late, where is it?").is_none());
    assert!(frustration("my order is late AGAIN, this is unacceptable").is_some());
    assert!(frustration("not happy at all").is_some());
    assert!(frustration("no problem").is_none());
    assert!(frustration("not bad").is_none());
    assert!(frustration("THIS IS THE THIRD TIME I WRITE TO YOU").is_some());
    assert!(frustration("OK").is_none());
    let s = frustration("this is ridiculous!!!").expect("frustration");
    assert!(s.cue.contains("ridiculous"), "{}", s.cue);
}

#[test]
fn confirmation_per_language() {
    for yes in [
        "yes please",
        "sure",
        "ok",
        "Yeah, go ahead",
        "sí",
        "claro",
        "sí, por favor",
        "oui",
        "d'accord",
        "ja",
        "gerne",
        "Ja, bitte",
        "tak",
        "jasne",
        "sim",
        "pode ser",
        "sì",
        "certo",
        "va bene",
        "why not",
        "ok thanks",
        "I want to talk to a person",
    ] {
        assert_eq!(confirmation(yes), Some(true), "{yes}");
    }
    for no in [
        "no",
        "no thanks",
        "No, thank you.",
        "not now",
        "nope",
        "no gracias",
        "ahora no",
        "non merci",
        "non",
        "nein danke",
        "nicht jetzt",
        "nie",
        "nie, dziękuję",
        "não",
        "nao obrigado",
        "no grazie",
        "non ora",
        "I don't need to",
        "no need",
    ] {
        assert_eq!(confirmation(no), Some(false), "{no}");
    }
    for unclear in [
        "",
        "maybe",
        "how long is the wait?",
        "what do you mean?",
        "I don't know",
        "no sé",
        "yes no",
        "peut-être",
        "vielleicht",
        "nie wiem",
        "não sei",
        "forse",
        "🤔",
    ] {
        assert_eq!(confirmation(unclear), None, "{unclear}");
    }
}

#[test]
fn rejected_answers() {
    for r in [
        "that doesn't help",
        "That's not what I asked",
        "you already said that",
        "no, that's wrong",
        "eso no me sirve",
        "no es lo que pregunté",
        "ça ne m'aide pas",
        "c'est faux",
        "das habe ich nicht gefragt",
        "das hilft mir nicht",
        "to nie pomaga",
        "nie o to pytałem",
        "isso não ajuda",
        "você já disse isso",
        "non mi aiuta",
        "non è quello che ho chiesto",
    ] {
        assert!(rejects_answer(r).is_some(), "{r}");
    }
    for n in [
        "thanks, that helps",
        "what is wrong with my order?",
        "where is my parcel?",
        "",
    ] {
        assert!(rejects_answer(n).is_none(), "{n}");
    }
}

#[test]
fn repetition() {
    let history = vec![
        Turn::visitor("How do I change the delivery address of my order?"),
        Turn::ai("You can change it in your account settings."),
        Turn::visitor("ok"),
    ];
    let s = repeats(
        &history,
        "how do i change the delivery address for my order",
    )
    .expect("repeat");
    assert!(s.score >= 0.6 && s.score <= 1.0, "{}", s.score);
    assert!(s.cue.contains("delivery address"), "{}", s.cue);
    assert!(
        repeats(&history, "ok").is_none(),
        "short messages are not repetitions"
    );
    assert!(repeats(&history, "what payment methods do you accept?").is_none());
    // Only the visitor's own turns count.
    let ai_only = vec![Turn::ai("You can change it in your account settings.")];
    assert!(repeats(&ai_only, "You can change it in your account settings.").is_none());
    assert!(repeats(&[], "anything at all here").is_none());
}

#[test]
fn ai_giving_up() {
    for t in [
        "I'm sorry, please contact our support team for help with this.",
        "You can reach out to customer service at support@example.com.",
        "Por favor, póngase en contacto con nuestro equipo de soporte.",
        "Bitte wenden Sie sich an unseren Kundenservice.",
        "Contactez notre service client.",
        "Skontaktuj się z działem obsługi klienta.",
        "Entre em contato com o nosso suporte.",
        "Contatta il nostro servizio clienti.",
    ] {
        assert!(ai_suggests_support(t).is_some(), "{t}");
    }
    assert!(ai_suggests_support("Your order shipped yesterday and arrives Friday.").is_none());
    for t in [
        "I don't have information about that.",
        "I'm not sure about the answer.",
        "I couldn't find anything on that topic.",
        "Lo siento, no tengo información sobre eso.",
        "Je ne sais pas.",
        "Dazu habe ich keine Informationen.",
        "Nie mam informacji na ten temat.",
        "Não tenho informações sobre isso.",
        "Non ho informazioni su questo.",
    ] {
        assert!(ai_lacks_knowledge(t).is_some(), "{t}");
    }
    assert!(ai_lacks_knowledge("Our store opens at 9am every day.").is_none());
}

#[test]
fn example_phrases() {
    let ex = vec![
        "I want a refund".to_owned(),
        "cancel my subscription".to_owned(),
    ];
    let (i, score) = example_match("I want a refund for my order", &ex).expect("match");
    assert_eq!(i, 0);
    assert!(score >= 0.99, "{score}");
    assert_eq!(
        example_match("can I get a refund?", &ex).map(|m| m.0),
        Some(0)
    );
    assert_eq!(
        example_match("how do I cancel the subscription", &ex).map(|m| m.0),
        Some(1)
    );
    assert_eq!(
        example_match("cancelling my subscriptions", &ex).map(|m| m.0),
        Some(1)
    );
    assert!(
        example_match("refund", &ex).is_none(),
        "a single word is too weak"
    );
    assert!(
        example_match("I want a new password", &ex).is_none(),
        "function words alone"
    );
    assert!(
        example_match("I want my money back", &ex).is_none(),
        "lexical, not semantic"
    );
    assert!(example_match("anything", &[]).is_none());
    assert!(example_match("", &ex).is_none());
    assert!(example_match("refund", &[String::new(), "!!".to_owned()]).is_none());
}

#[test]
fn normalization() {
    assert_eq!(
        normalize("  ¿Puedo HABLAR con   una PERSONA?! "),
        "puedo hablar con una persona"
    );
    assert_eq!(normalize("Ich möchte… Straße"), "ich mochte strasse");
    assert_eq!(
        normalize("Chcę rozmawiać z człowiekiem"),
        "chce rozmawiac z czlowiekiem"
    );
    assert_eq!(normalize("c'est l'opérateur"), "c est l operateur");
}

#[test]
fn never_panics_on_odd_input() {
    let huge = "a".repeat(100 * 1024);
    let huge_words = "help me human please ".repeat(5_000);
    let huge_caps = "WHY ".repeat(30_000);
    let huge_mb = "ł".repeat(60_000);
    let inputs: Vec<String> = vec![
        String::new(),
        " ".into(),
        "\0\u{1}\u{7f}\t\r\n".into(),
        "😡🤬🙏".into(),
        "👨‍👩‍👧‍👦🏳️‍🌈".into(),
        "مرحبا، أريد التحدث إلى شخص".into(),
        "שלום, אני רוצה לדבר עם נציג".into(),
        "\u{202E}tnega\u{202C} please".into(),
        "e\u{301}\u{301}\u{301}\u{301}".into(),
        "\u{301}".into(),
        "\u{200B}\u{200D}\u{FEFF}".into(),
        "İSTANBUL ǅ ﬁ ẞ".into(),
        "我想和人工客服说话".into(),
        "!!!???!!!".into(),
        "'".into(),
        "-".into(),
        huge,
        huge_words,
        huge_caps,
        huge_mb,
    ];
    let history: Vec<Turn> = inputs.iter().map(|t| Turn::visitor(t.clone())).collect();
    for t in &inputs {
        let _ = normalize(t);
        let _ = human_request(t);
        let _ = frustration(t);
        let _ = confirmation(t);
        let _ = language(t);
        let _ = rejects_answer(t);
        let _ = repeats(&history, t);
        let _ = ai_suggests_support(t);
        let _ = ai_lacks_knowledge(t);
        let _ = example_match(t, &inputs);
    }
}
