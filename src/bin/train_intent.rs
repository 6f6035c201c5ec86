//! Trains the built-in engine's learned layer from `corpus/intent/train/` (its development
//! split and anything also in `corpus/intent/heldout/` left out) and writes
//! `src/engine/builtin/classify/intent.bin`; the same corpus gives the same bytes. `--eval PATH [--dev]` measures the rules, the learned layer and both on a
//! labelled file or directory (`--dev`: only its development split) instead.
//!
//! `cargo run --release --bin train-intent` · `cargo run --release --bin train-intent -- --eval
//! corpus/intent/heldout`

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use baton::engine::builtin::classify::{self, model, Layers};

const CORPUS: &str = "corpus/intent";
const OUT: &str = "src/engine/builtin/classify/intent.bin";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().position(|a| a == "--eval") {
        Some(i) => match args.get(i + 1) {
            Some(p) => eval(PathBuf::from(p), args.iter().any(|a| a == "--dev")),
            None => Err("--eval needs a file or directory".into()),
        },
        None if args.iter().any(|a| a == "--search") => search(),
        None if args.iter().any(|a| a == "--sweep") => sweep(),
        None => match args.iter().position(|a| a == "--routing") {
            Some(i) => match args.get(i + 1) {
                Some(p) => routing(PathBuf::from(p)),
                None => Err("--routing needs a file".into()),
            },
            None => train(),
        },
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("train-intent: {e}");
            ExitCode::FAILURE
        }
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn train() -> Result<(), String> {
    let examples = model::training_set(&root().join(CORPUS)).map_err(|e| e.to_string())?;
    let started = std::time::Instant::now();
    let m = model::train(&examples, model::TrainParams::default());
    let bytes = m.to_bytes();
    std::fs::write(root().join(OUT), &bytes).map_err(|e| format!("{OUT}: {e}"))?;
    println!(
        "trained on {} messages in {:.1} s; wrote {OUT} ({} bytes)",
        examples.len(),
        started.elapsed().as_secs_f64(),
        bytes.len()
    );
    Ok(())
}

/// Trains with a grid of parameters and prints the learned layer's figures on the
/// development split at several thresholds (for choosing `TrainParams` and the thresholds).
fn search() -> Result<(), String> {
    let corpus = root().join(CORPUS);
    let train = model::training_set(&corpus).map_err(|e| e.to_string())?;
    let mut dev = model::load_corpus(&corpus.join("train")).map_err(|e| e.to_string())?;
    dev.retain(|e| model::is_dev(&e.text));
    let env = |k: &str, d: &str| std::env::var(k).unwrap_or_else(|_| d.to_owned());
    let epochs: Vec<u32> = env("EPOCHS", "12")
        .split(',')
        .filter_map(|x| x.parse().ok())
        .collect();
    let rates: Vec<f32> = env("RATES", "0.8")
        .split(',')
        .filter_map(|x| x.parse().ok())
        .collect();
    for &e in &epochs {
        for &r in &rates {
            let params = model::TrainParams {
                epochs: e,
                learning_rate: r,
                balanced: std::env::var_os("BALANCED").is_some(),
                ..Default::default()
            };
            let m = model::train(&train, params);
            let probs: Vec<(usize, model::Probs)> =
                dev.iter().map(|x| (x.class, m.predict(&x.text))).collect();
            let argmax = probs
                .iter()
                .filter(|(c, p)| (0..3).max_by(|a, b| p.0[*a].total_cmp(&p.0[*b])) == Some(*c))
                .count();
            print!(
                "epochs {e:3} rate {r:4}: argmax {:5.1}%",
                100.0 * argmax as f64 / dev.len() as f64
            );
            for t in [0.5f32, 0.6, 0.7, 0.8] {
                let n = |c: usize| probs.iter().filter(|(k, _)| *k == c).count().max(1) as f64;
                let hr = probs.iter().filter(|(k, p)| *k == 0 && p.0[0] >= t).count() as f64;
                let fr = probs.iter().filter(|(k, p)| *k == 1 && p.0[1] >= t).count() as f64;
                let fp = probs
                    .iter()
                    .filter(|(k, p)| *k == 2 && (p.0[0] >= t || p.0[1] >= t))
                    .count() as f64;
                print!(
                    " | t{t}: hr {:4.1} fr {:4.1} fp {:4.1}",
                    100.0 * hr / n(0),
                    100.0 * fr / n(1),
                    100.0 * fp / n(2)
                );
            }
            println!();
        }
    }
    Ok(())
}

/// The engine's combination of rules and model (as `classify::human_request` and
/// `classify::frustration` do it) over a grid of thresholds, on the development split.
fn sweep() -> Result<(), String> {
    let mut dev =
        model::load_corpus(&root().join(CORPUS).join("train")).map_err(|e| e.to_string())?;
    dev.retain(|e| model::is_dev(&e.text));
    let rows: Vec<(usize, bool, bool, model::Probs, usize, bool)> = dev
        .iter()
        .map(|e| {
            let words = classify::normalize(&e.text)
                .split(' ')
                .filter(|w| !w.is_empty())
                .count();
            (
                e.class,
                classify::human_request_by(&e.text, Layers::Rules).is_some(),
                classify::frustration_by(&e.text, Layers::Rules).is_some(),
                model::predict(&e.text).unwrap_or(model::Probs([0.0, 0.0, 1.0])),
                words,
                !classify::learned_request_allowed(&e.text),
            )
        })
        .collect();
    for tr in [0.65f32, 0.7, 0.75] {
        for tf in [0.8f32, 0.85, 0.9] {
            for veto in [0.6f32, 0.7] {
                let (mut hr, mut fr, mut fp, mut nh, mut nf, mut nn) = (0, 0, 0, 0, 0, 0);
                for (c, rh, rf, p, words, neg) in &rows {
                    let h =
                        *rh || (p.request() >= tr && *words >= classify::LEARNED_MIN_WORDS && !neg);
                    let f = (*rf && p.neutral() < veto)
                        || (p.frustration() >= tf && *words >= classify::LEARNED_MIN_WORDS);
                    match *c {
                        model::REQUEST => {
                            nh += 1;
                            hr += usize::from(h);
                        }
                        model::FRUSTRATION => {
                            nf += 1;
                            fr += usize::from(f);
                        }
                        _ => {
                            nn += 1;
                            fp += usize::from(h || f);
                        }
                    }
                }
                println!(
                    "request {tr} frustration {tf} veto {veto}: hr {} fr {} fp {}",
                    pct(hr, nh),
                    pct(fr, nf),
                    pct(fp, nn)
                );
            }
        }
    }
    Ok(())
}

/// Topic routing on a set of businesses (`corpus/routing/*.json`): each message routed alone
/// through the built-in engine against its business's profiles.
fn routing(path: PathBuf) -> Result<(), String> {
    use baton::engine::builtin::BuiltinEngine;
    use baton::engine::{ProfileSpec, Turn};
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let set: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let verbose = std::env::var_os("BATON_EVAL_MISSES").is_some();
    // lang -> (labelled right, labelled, null right, null)
    let mut per: BTreeMap<String, [usize; 4]> = BTreeMap::new();
    for b in set["businesses"].as_array().into_iter().flatten() {
        let profiles: Vec<ProfileSpec> = b["profiles"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
            .map(|(i, p)| ProfileSpec {
                id: i as i64 + 1,
                name: p["name"].as_str().unwrap_or_default().to_owned(),
                description: p["description"].as_str().unwrap_or_default().to_owned(),
                examples: Vec::new(),
            })
            .collect();
        for m in b["messages"].as_array().into_iter().flatten() {
            let text = m["text"].as_str().unwrap_or_default();
            let lang = m["lang"].as_str().unwrap_or_default().to_owned();
            let want = m["profile"].as_str();
            let got = BuiltinEngine.route(&[Turn::visitor(text)], &profiles);
            let got_name = got
                .profile_id
                .and_then(|id| profiles.iter().find(|p| p.id == id))
                .map(|p| p.name.as_str());
            let c = per.entry(lang.clone()).or_default();
            let right = got_name == want;
            if want.is_some() {
                c[0] += usize::from(right);
                c[1] += 1;
            } else {
                c[2] += usize::from(right);
                c[3] += 1;
            }
            if verbose && !right {
                println!(
                    "  miss [{lang}] want {want:?} got {got_name:?}: {text:?} ({})",
                    got.reason
                );
            }
        }
    }
    println!("lang | routed right (labelled) | left unassigned (no fitting profile)");
    let mut all = [0usize; 4];
    for (lang, c) in &per {
        for i in 0..4 {
            all[i] += c[i];
        }
        println!(
            "{lang:4} | {} ({:3}/{:3}) | {} ({:3}/{:3})",
            pct(c[0], c[1]),
            c[0],
            c[1],
            pct(c[2], c[3]),
            c[2],
            c[3]
        );
    }
    println!(
        "all  | {} ({:3}/{:3}) | {} ({:3}/{:3})",
        pct(all[0], all[1]),
        all[0],
        all[1],
        pct(all[2], all[3]),
        all[2],
        all[3]
    );
    Ok(())
}

/// Counts per language.
#[derive(Default, Clone, Copy)]
struct Counts {
    hr: usize,
    fr: usize,
    neutral: usize,
    hr_tp: usize,
    hr_fp: usize,
    fr_tp: usize,
    fr_fp: usize,
    neutral_fp: usize,
}

impl Counts {
    fn add(&mut self, o: &Counts) {
        self.hr += o.hr;
        self.fr += o.fr;
        self.neutral += o.neutral;
        self.hr_tp += o.hr_tp;
        self.hr_fp += o.hr_fp;
        self.fr_tp += o.fr_tp;
        self.fr_fp += o.fr_fp;
        self.neutral_fp += o.neutral_fp;
    }
}

fn pct(a: usize, b: usize) -> String {
    if b == 0 {
        "   -  ".into()
    } else {
        format!("{:5.1}%", 100.0 * a as f64 / b as f64)
    }
}

fn eval(path: PathBuf, dev_only: bool) -> Result<(), String> {
    let mut rows = model::load_corpus(&path).map_err(|e| e.to_string())?;
    if dev_only {
        rows.retain(|e| model::is_dev(&e.text));
    }
    let verbose = std::env::var_os("BATON_EVAL_MISSES").is_some();
    for (name, layers) in [
        ("rules", Layers::Rules),
        ("learned", Layers::Learned),
        ("both", Layers::Both),
    ] {
        let mut per: BTreeMap<String, Counts> = BTreeMap::new();
        for e in &rows {
            let c = per.entry(e.lang.clone()).or_default();
            let hr = classify::human_request_by(&e.text, layers).is_some();
            let fr = classify::frustration_by(&e.text, layers).is_some();
            match e.class {
                model::REQUEST => {
                    c.hr += 1;
                    c.hr_tp += usize::from(hr);
                }
                model::FRUSTRATION => {
                    c.fr += 1;
                    c.fr_tp += usize::from(fr);
                    c.hr_fp += usize::from(hr);
                }
                _ => {
                    c.neutral += 1;
                    c.hr_fp += usize::from(hr);
                    c.fr_fp += usize::from(fr);
                    c.neutral_fp += usize::from(hr || fr);
                }
            }
            if verbose && layers == Layers::Both {
                let wrong = match e.class {
                    model::REQUEST => !hr,
                    model::FRUSTRATION => !fr || hr,
                    _ => hr || fr,
                };
                if wrong {
                    println!(
                        "  miss [{}] {} (hr={hr} fr={fr}) {:?}",
                        e.lang,
                        model::CLASSES[e.class],
                        e.text
                    );
                }
            }
        }
        println!("{name}: {} messages", rows.len());
        println!("lang | request recall  precision | frustr. recall  precision | neutral FP");
        let mut all = Counts::default();
        for (lang, c) in &per {
            all.add(c);
            line(lang, c);
        }
        line("all", &all);
        println!();
    }
    Ok(())
}

fn line(lang: &str, c: &Counts) {
    println!(
        "{lang:4} | {} ({:4}/{:4}) {} | {} ({:4}/{:4}) {} | {} ({:3}/{:4})",
        pct(c.hr_tp, c.hr),
        c.hr_tp,
        c.hr,
        pct(c.hr_tp, c.hr_tp + c.hr_fp),
        pct(c.fr_tp, c.fr),
        c.fr_tp,
        c.fr,
        pct(c.fr_tp, c.fr_tp + c.fr_fp),
        pct(c.neutral_fp, c.neutral),
        c.neutral_fp,
        c.neutral
    );
}
