//! Accuracy of the built-in action matcher (`engine::builtin::actions`: `choose` and `fill`)
//! on the five actions of `tests/data/actions_config.json`, measured on labelled visitor
//! messages in seven languages.
//!
//! `tests/data/actions_dev.jsonl` is the split the matcher was tuned on (asserted here);
//! `BATON_HELDOUT=path` also prints, never asserts, the figures for another file of the same
//! rows (`tests/data/actions_heldout.jsonl`, written by someone else and never tuned on).
//! Method and figures: `docs/engine-accuracy.md`.
//!
//! A row: `{"text", "lang", "expect": action name or null, "kind": "positive" | "neutral" |
//! "held_back" | "other", "params": {name: value}}`. `positive`: `expect` must be chosen and
//! not held back, and `fill` on its parameters must give exactly `params` (nothing missing,
//! nothing more). `held_back`: the action's "when not to use" applies, so no action may run
//! (none chosen, or the chosen one held back). `neutral`/`other`: no action may run.

use std::collections::BTreeMap;

use baton::actions::model::ActionParameter;
use baton::engine::builtin::actions::{choose, fill, ActionSpec};
use serde::Deserialize;
use serde_json::Value;

const CONFIG: &str = include_str!("data/actions_config.json");
const DEV: &str = include_str!("data/actions_dev.jsonl");
const LANGS: [&str; 7] = ["en", "es", "fr", "de", "pl", "pt", "it"];

#[derive(Deserialize)]
struct Config {
    actions: Vec<Action>,
}

#[derive(Deserialize)]
struct Action {
    name: String,
    description: String,
    #[serde(default)]
    when_not_to_use: String,
    #[serde(default)]
    examples: Vec<String>,
    #[serde(default)]
    parameters: Vec<ActionParameter>,
}

#[derive(Deserialize)]
struct Row {
    text: String,
    lang: String,
    expect: Option<String>,
    kind: String,
    #[serde(default)]
    params: BTreeMap<String, Value>,
}

fn config() -> Vec<Action> {
    serde_json::from_str::<Config>(CONFIG)
        .expect("actions_config.json")
        .actions
}

fn specs(actions: &[Action]) -> Vec<ActionSpec<'_>> {
    actions
        .iter()
        .map(|a| ActionSpec {
            name: &a.name,
            description: &a.description,
            when_not_to_use: &a.when_not_to_use,
            examples: &a.examples,
            parameters: &a.parameters,
        })
        .collect()
}

fn load(text: &str) -> Vec<Row> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| serde_json::from_str(l).unwrap_or_else(|e| panic!("line {}: {e}", i + 1)))
        .collect()
}

#[derive(Default, Clone, Copy)]
struct Counts {
    n: usize,
    /// Positive rows: the expected action chosen and not held back.
    pos: usize,
    pos_ok: usize,
    /// Positive rows where another action was chosen (held back or not).
    pos_wrong: usize,
    /// Positive rows where the right action was chosen but held back.
    pos_held: usize,
    /// Neutral and other rows, and those where an action would run.
    quiet: usize,
    quiet_fired: usize,
    /// Held-back rows, and those where no action would run.
    held: usize,
    held_ok: usize,
    /// Positive rows whose parameters `fill` gives exactly.
    params_ok: usize,
    /// Expected values (all positive rows), found exactly; values given that were not expected.
    values: usize,
    values_ok: usize,
    values_spurious: usize,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

impl Counts {
    fn add(&mut self, o: &Counts) {
        self.n += o.n;
        self.pos += o.pos;
        self.pos_ok += o.pos_ok;
        self.pos_wrong += o.pos_wrong;
        self.pos_held += o.pos_held;
        self.quiet += o.quiet;
        self.quiet_fired += o.quiet_fired;
        self.held += o.held;
        self.held_ok += o.held_ok;
        self.params_ok += o.params_ok;
        self.values += o.values;
        self.values_ok += o.values_ok;
        self.values_spurious += o.values_spurious;
    }
    fn recall(&self) -> f64 {
        ratio(self.pos_ok, self.pos)
    }
    fn wrong(&self) -> f64 {
        ratio(self.pos_wrong, self.pos)
    }
    fn false_triggers(&self) -> f64 {
        ratio(self.quiet_fired, self.quiet)
    }
    fn held_respected(&self) -> f64 {
        ratio(self.held_ok, self.held)
    }
    fn params(&self) -> f64 {
        ratio(self.params_ok, self.pos)
    }
}

fn as_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn evaluate(title: &str, rows: &[Row]) -> Counts {
    let actions = config();
    let specs = specs(&actions);
    let by_name = |n: &str| actions.iter().position(|a| a.name == n);
    let mut per: BTreeMap<String, Counts> = BTreeMap::new();
    let mut errors: Vec<String> = Vec::new();
    for r in rows {
        let c = per.entry(r.lang.clone()).or_default();
        c.n += 1;
        let m = choose(&r.text, &specs);
        let chosen = m.as_ref().map(|m| specs[m.index].name);
        let held = m.as_ref().is_some_and(|m| m.held_back.is_some());
        let runs = m.is_some() && !held;
        let shown = match &m {
            None => "nothing".to_owned(),
            Some(m) if m.held_back.is_some() => {
                format!("{} (held back)", specs[m.index].name)
            }
            Some(m) => specs[m.index].name.to_owned(),
        };
        match r.kind.as_str() {
            "positive" => {
                c.pos += 1;
                let want = r
                    .expect
                    .as_deref()
                    .expect("a positive row names its action");
                let index = by_name(want).unwrap_or_else(|| panic!("unknown action {want}"));
                if chosen == Some(want) && !held {
                    c.pos_ok += 1;
                } else {
                    if chosen == Some(want) {
                        c.pos_held += 1;
                    } else if chosen.is_some() {
                        c.pos_wrong += 1;
                    }
                    errors.push(format!(
                        "  [{}] positive, want {want}, got {shown}: {}",
                        r.lang, r.text
                    ));
                }
                // Parameters, on the expected action whatever was chosen.
                let got = fill(&actions[index].parameters, &r.text, &[]);
                let mut exact = true;
                for (k, v) in &r.params {
                    c.values += 1;
                    if got.get(k).map(as_text) == Some(as_text(v)) {
                        c.values_ok += 1;
                    } else {
                        exact = false;
                    }
                }
                for k in got.keys() {
                    if !r.params.contains_key(k) {
                        c.values_spurious += 1;
                        exact = false;
                    }
                }
                if exact {
                    c.params_ok += 1;
                } else {
                    let got: BTreeMap<&String, String> =
                        got.iter().map(|(k, v)| (k, as_text(v))).collect();
                    let want: BTreeMap<&String, String> =
                        r.params.iter().map(|(k, v)| (k, as_text(v))).collect();
                    errors.push(format!(
                        "  [{}] params of {}: want {want:?}, got {got:?}: {}",
                        r.lang, actions[index].name, r.text
                    ));
                }
            }
            "held_back" => {
                c.held += 1;
                if runs {
                    errors.push(format!(
                        "  [{}] held_back ({}), got {shown}: {}",
                        r.lang,
                        r.expect.as_deref().unwrap_or("-"),
                        r.text
                    ));
                } else {
                    c.held_ok += 1;
                }
            }
            "neutral" | "other" => {
                c.quiet += 1;
                if runs {
                    c.quiet_fired += 1;
                    errors.push(format!(
                        "  [{}] {}, got {shown}: {}",
                        r.lang, r.kind, r.text
                    ));
                }
            }
            k => panic!("unknown kind {k}"),
        }
    }

    println!("\n{title}");
    println!(
        "{:<5} {:>4} | {:^22} | {:^14} | {:^22} | {:^22} | {:^22}",
        "lang",
        "n",
        "recall (positive)",
        "wrong action",
        "false triggers",
        "held back respected",
        "params exact"
    );
    let line = |name: &str, c: &Counts| {
        println!(
            "{:<5} {:>4} | {:>6.3} ({:>3}/{:<3})       | {:>6.3} ({:>3})   | {:>6.3} ({:>3}/{:<3})       | {:>6.3} ({:>3}/{:<3})       | {:>6.3} ({:>3}/{:<3})",
            name,
            c.n,
            c.recall(),
            c.pos_ok,
            c.pos,
            c.wrong(),
            c.pos_wrong,
            c.false_triggers(),
            c.quiet_fired,
            c.quiet,
            c.held_respected(),
            c.held_ok,
            c.held,
            c.params(),
            c.params_ok,
            c.pos,
        );
    };
    let mut total = Counts::default();
    for l in LANGS {
        if let Some(c) = per.get(l) {
            line(l, c);
            total.add(c);
        }
    }
    for (l, c) in &per {
        if !LANGS.contains(&l.as_str()) {
            line(l, c);
            total.add(c);
        }
    }
    line("all", &total);
    println!(
        "values: {}/{} expected values extracted exactly, {} spurious; positives held back by \
         their own \"when not to use\": {}",
        total.values_ok, total.values, total.values_spurious, total.pos_held
    );
    if errors.is_empty() {
        println!("no errors");
    } else {
        println!("errors ({}):", errors.len());
        for e in &errors {
            println!("{e}");
        }
    }
    total
}

#[test]
fn dev_set_is_well_formed() {
    let actions = config();
    assert_eq!(actions.len(), 5);
    let rows = load(DEV);
    let mut seen = std::collections::HashSet::new();
    for r in &rows {
        assert!(seen.insert(r.text.as_str()), "duplicate: {}", r.text);
        assert!(LANGS.contains(&r.lang.as_str()), "{}", r.lang);
        match r.kind.as_str() {
            "positive" | "held_back" => {
                let name = r.expect.as_deref().expect("names its action");
                let a = actions
                    .iter()
                    .find(|a| a.name == name)
                    .unwrap_or_else(|| panic!("unknown action {name}"));
                for k in r.params.keys() {
                    assert!(
                        a.parameters.iter().any(|p| &p.name == k),
                        "{name} has no parameter {k}"
                    );
                }
            }
            "neutral" | "other" => assert!(r.expect.is_none(), "{}", r.text),
            k => panic!("unknown kind {k}"),
        }
    }
    for l in LANGS {
        let mine: Vec<&Row> = rows.iter().filter(|r| r.lang == l).collect();
        assert!(mine.len() >= 25, "{l}: {} rows", mine.len());
        for kind in ["positive", "held_back", "neutral", "other"] {
            assert!(mine.iter().any(|r| r.kind == kind), "{l}/{kind}");
        }
    }
}

#[test]
fn accuracy_on_dev_set() {
    let total = evaluate(
        "dev split (tests/data/actions_dev.jsonl, tuned on)",
        &load(DEV),
    );
    if let Ok(path) = std::env::var("BATON_HELDOUT") {
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        evaluate(
            &format!("held-out split ({path}, not asserted)"),
            &load(&text),
        );
    }
    assert!(total.recall() >= 0.90, "recall {:.3}", total.recall());
    assert!(
        total.false_triggers() <= 0.05,
        "false triggers {:.3}",
        total.false_triggers()
    );
    assert!(
        total.held_respected() >= 0.90,
        "held back respected {:.3}",
        total.held_respected()
    );
    assert!(total.params() >= 0.90, "params {:.3}", total.params());
}
