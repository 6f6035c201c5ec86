//! Interest detection for smart data gathering ("as soon as the visitor shows interest:
//! pricing, a demo, a quote, buying"), measured on labelled messages in the seven languages:
//! the dev split (`tests/data/interest_dev.jsonl`, which the lexicon was tuned on) and a
//! held-out split written separately and never tuned on (`interest_heldout.jsonl`). The
//! figures are in docs/engine-accuracy.md.

use baton::engine::builtin::classify;
use serde::Deserialize;

#[derive(Deserialize)]
struct Case {
    lang: String,
    text: String,
    interest: bool,
}

fn load(name: &str) -> Vec<Case> {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// (recall, false positive rate), printing each miss.
fn measure(name: &str) -> (f64, f64) {
    let cases = load(name);
    let (mut tp, mut pos, mut fp, mut neg) = (0, 0, 0, 0);
    for c in &cases {
        let got = classify::interest(&c.text);
        if c.interest {
            pos += 1;
            if got.is_some() {
                tp += 1;
            } else {
                eprintln!("{name}: missed [{}] {}", c.lang, c.text);
            }
        } else {
            neg += 1;
            if let Some(cue) = got {
                fp += 1;
                eprintln!("{name}: false alarm [{}] {} ({cue})", c.lang, c.text);
            }
        }
    }
    let langs: std::collections::BTreeSet<&str> = cases.iter().map(|c| c.lang.as_str()).collect();
    assert_eq!(langs.len(), 7, "{name} covers the seven languages");
    let recall = f64::from(tp) / f64::from(pos);
    let fpr = f64::from(fp) / f64::from(neg);
    eprintln!("{name}: recall {tp}/{pos} = {recall:.3}, false positives {fp}/{neg} = {fpr:.3}");
    (recall, fpr)
}

#[test]
fn interest_on_the_dev_split() {
    let (recall, fpr) = measure("interest_dev.jsonl");
    assert!(recall >= 0.95, "recall {recall}");
    assert!(fpr <= 0.05, "false positives {fpr}");
}

/// The held-out split is reported, not tuned on: the floor is what was measured the first
/// time (2026-12-02: recall 17/22, no false positive of 15), so a change that makes it worse
/// fails.
#[test]
fn interest_on_the_held_out_split() {
    let (recall, fpr) = measure("interest_heldout.jsonl");
    assert!(recall >= 17.0 / 22.0 - 1e-9, "recall {recall}");
    assert!(fpr <= 1.0 / 15.0 + 1e-9, "false positives {fpr}");
}
