//! Topic routing by text similarity: BM25 between the conversation (the query) and each
//! profile's name and description (the documents; the name counts twice).

use std::collections::HashMap;

use super::text::tokens;
use crate::engine::{ProfileSpec, RouteDecision};

const K1: f32 = 1.2;
const B: f32 = 0.75;

pub fn route(conversation: &str, profiles: &[ProfileSpec]) -> RouteDecision {
    if profiles.is_empty() {
        return RouteDecision {
            profile_id: None,
            reason: "no active routing profile".into(),
        };
    }
    let docs: Vec<Vec<String>> = profiles
        .iter()
        .map(|p| {
            let mut t = tokens(&p.name);
            t.extend(tokens(&p.name));
            t.extend(tokens(&p.description));
            t
        })
        .collect();
    let n = docs.len() as f32;
    let avg = docs.iter().map(Vec::len).sum::<usize>() as f32 / n;
    let mut df: HashMap<&str, f32> = HashMap::new();
    for d in &docs {
        let mut seen: Vec<&str> = d.iter().map(String::as_str).collect();
        seen.sort_unstable();
        seen.dedup();
        for t in seen {
            *df.entry(t).or_default() += 1.0;
        }
    }
    let mut query = tokens(conversation);
    query.sort_unstable();
    query.dedup();
    let mut best: Option<(usize, f32, Vec<&str>)> = None;
    for (i, d) in docs.iter().enumerate() {
        let len = d.len() as f32;
        let mut score = 0.0;
        let mut matched = Vec::new();
        for q in &query {
            let tf = d.iter().filter(|t| *t == q).count() as f32;
            if tf == 0.0 {
                continue;
            }
            let n_q = df.get(q.as_str()).copied().unwrap_or(0.0);
            let idf = (1.0 + (n - n_q + 0.5) / (n_q + 0.5)).ln();
            score += idf * tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * len / avg.max(1.0)));
            matched.push(q.as_str());
        }
        if score > 0.0 && best.as_ref().is_none_or(|b| score > b.1) {
            best = Some((i, score, matched));
        }
    }
    match best {
        Some((i, score, matched)) => RouteDecision {
            profile_id: Some(profiles[i].id),
            reason: format!(
                "matched '{}' on {} (score {score:.2})",
                profiles[i].name,
                matched.join(", ")
            ),
        },
        None => RouteDecision {
            profile_id: None,
            reason: "no routing profile shares words with the conversation".into(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(id: i64, name: &str, description: &str) -> ProfileSpec {
        ProfileSpec {
            id,
            name: name.into(),
            description: description.into(),
        }
    }

    #[test]
    fn picks_the_profile_sharing_the_most_specific_words() {
        let profiles = [
            p(
                1,
                "Billing",
                "Invoices, payments, refunds and charges on your card",
            ),
            p(
                2,
                "Technical Support",
                "Bugs, errors, login problems, the app crashing",
            ),
        ];
        assert_eq!(
            route("I was charged twice, where is my invoice?", &profiles).profile_id,
            Some(1)
        );
        assert_eq!(
            route("the app keeps crashing after login", &profiles).profile_id,
            Some(2)
        );
        assert_eq!(
            route("Quiero un reembolso de mi factura", &profiles).profile_id,
            None
        );
        assert_eq!(route("", &profiles).profile_id, None);
        assert_eq!(route("anything", &[]).profile_id, None);
    }
}
