//! Topic routing by text similarity: BM25 between the conversation (the query) and each
//! profile's name and description (the documents; the name counts twice).

use std::collections::HashMap;

use super::text::tokens;
use crate::engine::{ProfileSpec, RouteDecision};

const K1: f32 = 1.2;
const B: f32 = 0.75;

pub fn route(conversation: &str, profiles: &[ProfileSpec]) -> RouteDecision {
    Router::new(profiles).route(conversation)
}

/// The profiles as BM25 documents, prepared once per configuration: term counts per profile
/// and each term's inverse document frequency. Routing a conversation then only tokenizes the
/// conversation; the scores are those [`route`] computes (same terms, same order of sums).
pub struct Router {
    profiles: Vec<(crate::Id, String)>,
    /// Per profile: (term, count) sorted by term, and the document length.
    docs: Vec<(Vec<(String, f32)>, f32)>,
    idf: HashMap<String, f32>,
    avg: f32,
}

impl Router {
    pub fn new(profiles: &[ProfileSpec]) -> Router {
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
        let avg = if docs.is_empty() {
            0.0
        } else {
            docs.iter().map(Vec::len).sum::<usize>() as f32 / n
        };
        let mut df: HashMap<&str, f32> = HashMap::new();
        for d in &docs {
            let mut seen: Vec<&str> = d.iter().map(String::as_str).collect();
            seen.sort_unstable();
            seen.dedup();
            for t in seen {
                *df.entry(t).or_default() += 1.0;
            }
        }
        let idf = df
            .iter()
            .map(|(t, n_q)| ((*t).to_owned(), (1.0 + (n - n_q + 0.5) / (n_q + 0.5)).ln()))
            .collect();
        let counted = docs
            .iter()
            .map(|d| {
                let mut terms: Vec<(String, f32)> = Vec::new();
                let mut sorted: Vec<&String> = d.iter().collect();
                sorted.sort_unstable();
                for t in sorted {
                    match terms.last_mut() {
                        Some((last, count)) if last == t => *count += 1.0,
                        _ => terms.push((t.clone(), 1.0)),
                    }
                }
                (terms, d.len() as f32)
            })
            .collect();
        Router {
            profiles: profiles.iter().map(|p| (p.id, p.name.clone())).collect(),
            docs: counted,
            idf,
            avg,
        }
    }

    pub fn route(&self, conversation: &str) -> RouteDecision {
        if self.profiles.is_empty() {
            return RouteDecision {
                profile_id: None,
                reason: "no active routing profile".into(),
            };
        }
        let mut query = tokens(conversation);
        query.sort_unstable();
        query.dedup();
        let mut best: Option<(usize, f32, Vec<&str>)> = None;
        for (i, (terms, len)) in self.docs.iter().enumerate() {
            let mut score = 0.0;
            let mut matched = Vec::new();
            for q in &query {
                let Ok(at) = terms.binary_search_by(|(t, _)| t.as_str().cmp(q)) else {
                    continue;
                };
                let tf = terms[at].1;
                // A term of a document always has a document frequency.
                let idf = self.idf.get(q.as_str()).copied().unwrap_or(0.0);
                score +=
                    idf * tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * len / self.avg.max(1.0)));
                matched.push(q.as_str());
            }
            if score > 0.0 && best.as_ref().is_none_or(|b| score > b.1) {
                best = Some((i, score, matched));
            }
        }
        match best {
            Some((i, score, matched)) => RouteDecision {
                profile_id: Some(self.profiles[i].0),
                reason: matched_reason(&self.profiles[i].1, &matched, score, conversation),
            },
            None => RouteDecision {
                profile_id: None,
                reason: "no routing profile shares words with the conversation".into(),
            },
        }
    }
}

/// "matched 'Billing' on payment, refund (score 0.58)": the visitor's own words for the
/// matched terms (terms are cut stems, "paymen", which an operator should not have to read).
fn matched_reason(profile: &str, stems: &[&str], score: f32, conversation: &str) -> String {
    let folded = super::text::fold(conversation);
    let mut words: Vec<&str> = Vec::new();
    for stem in stems {
        // A term is a folded word's first six characters (`text::tokens`): no re-tokenizing.
        let full = stem.chars().count() == 6;
        let word = folded
            .split(|c: char| !c.is_alphanumeric())
            .find(|w| w.starts_with(stem) && (full || w.len() == stem.len()))
            .unwrap_or(stem);
        if !words.contains(&word) {
            words.push(word);
        }
    }
    format!(
        "matched '{profile}' on {} (score {score:.2})",
        words.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reason_shows_whole_words() {
        let profiles = [p(1, "Billing", "invoices, payments, refunds")];
        let r = route("I need a refund of my payment", &profiles);
        assert!(
            r.reason.contains("payment") && r.reason.contains("refund"),
            "{}",
            r.reason
        );
        assert!(
            !r.reason.contains("paymen,") && !r.reason.ends_with("paymen"),
            "{}",
            r.reason
        );
    }

    fn p(id: i64, name: &str, description: &str) -> ProfileSpec {
        ProfileSpec {
            id,
            name: name.into(),
            description: description.into(),
        }
    }

    /// The per-call implementation `Router` replaced, kept to check the scores stay the same.
    fn reference(conversation: &str, profiles: &[ProfileSpec]) -> RouteDecision {
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
                reason: matched_reason(&profiles[i].name, &matched, score, conversation),
            },
            None => RouteDecision {
                profile_id: None,
                reason: "no routing profile shares words with the conversation".into(),
            },
        }
    }

    #[test]
    fn router_scores_like_the_reference() {
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
            p(
                3,
                "Billing disputes",
                "Charges you do not recognise, refunds of refunds",
            ),
            p(4, "Empty", ""),
            p(
                5,
                "Shipping",
                "Parcels, couriers, tracking, delivery delivery delivery",
            ),
        ];
        for text in [
            "I was charged twice, where is my invoice?",
            "refund refund refund of my card charge",
            "the app keeps crashing after login, error 500",
            "where is my parcel? the courier tracking says delivered",
            "billing",
            "Quiero un reembolso de mi factura",
            "",
        ] {
            for n in 0..=profiles.len() {
                assert_eq!(
                    Router::new(&profiles[..n]).route(text),
                    reference(text, &profiles[..n]),
                    "{text} / {n} profiles"
                );
            }
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
