//! The built-in engine's in-memory decision for one visitor message, with a large
//! configuration (1,000 keywords, 50 custom guidelines with 4 examples each, 20 routing
//! profiles, every generic guideline active): keyword matching, `BuiltinEngine::decide` and
//! `BuiltinEngine::route`. Target: p99 under 100 µs.
//!
//! Criterion reports means; after it, this binary times 20,000 single decisions and prints
//! p50/p90/p99/p99.9 from the sorted sample (`cargo bench --bench decide`).

mod fixtures;

use std::hint::black_box;
use std::time::{Duration, Instant};

use baton::engine::builtin::keywords::KeywordMatcher;
use baton::engine::builtin::{classify, BuiltinEngine};
use baton::engine::{AnswerOutcome, DecideInput, GuidelineKey, GuidelineSpec, ProfileSpec, Turn};
use baton::handoff::GenericGuidelineName;
use criterion::Criterion;

struct Setup {
    keywords: Vec<String>,
    matcher: KeywordMatcher,
    guidelines: Vec<GuidelineSpec>,
    profiles: Vec<ProfileSpec>,
    history: Vec<Turn>,
    transcript: Vec<Turn>,
    answer: AnswerOutcome,
}

fn setup() -> Setup {
    let keywords = fixtures::keywords();
    let mut guidelines: Vec<GuidelineSpec> = GenericGuidelineName::ALL
        .into_iter()
        .map(|g| GuidelineSpec {
            key: GuidelineKey::Generic(g),
            name: g.as_str().to_owned(),
            description: g.description().to_owned(),
            examples: Vec::new(),
        })
        .collect();
    guidelines.extend(fixtures::custom_guidelines().into_iter().enumerate().map(
        |(i, (name, description, examples))| GuidelineSpec {
            key: GuidelineKey::Custom(i as i64 + 1),
            name,
            description,
            examples,
        },
    ));
    let profiles = fixtures::routing_profiles()
        .into_iter()
        .enumerate()
        .map(|(i, (name, description))| ProfileSpec {
            id: i as i64 + 1,
            name,
            description,
            // Example phrases on a few profiles, as a configured agent has them.
            examples: if i % 4 == 0 {
                vec![
                    "my parcel never arrived".into(),
                    "I was charged twice".into(),
                ]
            } else {
                Vec::new()
            },
        })
        .collect();
    let history = vec![
        Turn::visitor("Hello, I have a question about my bill"),
        Turn::ai("Invoices are in your account under Orders. Each invoice shows the VAT number and the billing address."),
    ];
    let mut transcript = history.clone();
    transcript.push(Turn::visitor(fixtures::MESSAGE));
    Setup {
        matcher: KeywordMatcher::new(&keywords),
        keywords,
        guidelines,
        profiles,
        history,
        transcript,
        answer: AnswerOutcome {
            text: "Invoices are in your account under Orders. Each invoice shows the VAT number and the billing address.".into(),
            found: true,
            from_instruction: false,
        },
    }
}

/// What every visitor message costs: keywords and guidelines.
fn decide_only(s: &Setup, matcher: &KeywordMatcher, message: &str) -> usize {
    let keyword = matcher.find(message);
    let decision = BuiltinEngine.decide(&DecideInput {
        message,
        has_attachments: false,
        history: &s.history,
        guidelines: &s.guidelines,
        answer: Some(&s.answer),
        language: Some("en"),
    });
    usize::from(keyword.is_some()) + usize::from(decision.trigger.is_some())
}

/// One message's in-memory decision: keywords, guidelines, routing.
fn decide(s: &Setup, matcher: &KeywordMatcher, message: &str) -> usize {
    let route = BuiltinEngine.route(&s.transcript, &s.profiles);
    decide_only(s, matcher, message) + usize::from(route.profile_id.is_some())
}

fn percentiles(label: &str, iterations: usize, mut run: impl FnMut()) {
    for _ in 0..iterations / 10 {
        run();
    }
    let mut sample: Vec<Duration> = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let t = Instant::now();
        run();
        sample.push(t.elapsed());
    }
    sample.sort_unstable();
    let at = |p: f64| sample[((sample.len() as f64 * p) as usize).min(sample.len() - 1)];
    println!(
        "{label}: n={iterations} p50={:.1?} p90={:.1?} p99={:.1?} p99.9={:.1?} max={:.1?}",
        at(0.50),
        at(0.90),
        at(0.99),
        at(0.999),
        sample[sample.len() - 1]
    );
}

fn main() {
    classify::warm_up();
    let s = setup();
    // Sanity: the benchmark message goes through the whole path.
    assert!(s.matcher.find(fixtures::MESSAGE).is_none());

    // `cargo bench` passes --bench; anything else (e.g. `cargo test --benches`) is a smoke run.
    let full = std::env::args().any(|a| a == "--bench");
    let mut c = Criterion::default().configure_from_args();
    c.bench_function("decide/cached_matcher", |b| {
        b.iter(|| decide(&s, &s.matcher, black_box(fixtures::MESSAGE)))
    });
    c.bench_function("decide/matcher_built_per_message", |b| {
        b.iter(|| {
            let m = KeywordMatcher::new(black_box(&s.keywords));
            decide(&s, &m, black_box(fixtures::MESSAGE))
        })
    });
    c.bench_function("keywords/find_1000", |b| {
        b.iter(|| s.matcher.find(black_box(fixtures::MESSAGE)))
    });
    c.bench_function("keywords/build_1000", |b| {
        b.iter(|| KeywordMatcher::new(black_box(&s.keywords)))
    });
    c.bench_function("engine/decide", |b| {
        b.iter(|| {
            BuiltinEngine.decide(&DecideInput {
                message: black_box(fixtures::MESSAGE),
                has_attachments: false,
                history: &s.history,
                guidelines: &s.guidelines,
                answer: Some(&s.answer),
                language: Some("en"),
            })
        })
    });
    c.bench_function("engine/route_20_profiles", |b| {
        b.iter(|| BuiltinEngine.route(black_box(&s.transcript), &s.profiles))
    });
    let answer = s.answer.text.as_str();
    let examples: Vec<Vec<String>> = s.guidelines.iter().map(|g| g.examples.clone()).collect();
    c.bench_function("classify/human_request", |b| {
        b.iter(|| classify::human_request(black_box(fixtures::MESSAGE)))
    });
    c.bench_function("classify/frustration", |b| {
        b.iter(|| classify::frustration(black_box(fixtures::MESSAGE)))
    });
    c.bench_function("classify/ai_lacks_knowledge+ai_suggests_support", |b| {
        b.iter(|| {
            (
                classify::ai_lacks_knowledge(black_box(answer)),
                classify::ai_suggests_support(black_box(answer)),
            )
        })
    });
    c.bench_function("classify/example_match_50_guidelines", |b| {
        b.iter(|| {
            examples
                .iter()
                .filter_map(|e| classify::example_match(black_box(fixtures::MESSAGE), e))
                .count()
        })
    });
    c.bench_function("classify/rejects_answer+repeats", |b| {
        b.iter(|| {
            (
                classify::rejects_answer(black_box(fixtures::MESSAGE)),
                classify::repeats(&s.history, black_box(fixtures::MESSAGE)),
            )
        })
    });
    c.final_summary();

    let n = if full { 20_000 } else { 200 };
    percentiles("decision (cached matcher)", n, || {
        black_box(decide(&s, &s.matcher, black_box(fixtures::MESSAGE)));
    });
    // What every visitor message costs: routing runs once, when a handoff completes.
    percentiles("decision without routing (cached matcher)", n, || {
        black_box(decide_only(&s, &s.matcher, black_box(fixtures::MESSAGE)));
    });
    percentiles("routing alone (20 profiles, the transcript)", n, || {
        black_box(BuiltinEngine.route(&s.transcript, &s.profiles));
    });
    percentiles("decision (matcher built per message)", n / 10, || {
        let m = KeywordMatcher::new(black_box(&s.keywords));
        black_box(decide(&s, &m, black_box(fixtures::MESSAGE)));
    });
}
