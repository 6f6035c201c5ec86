//! Topic routing: which profile a conversation is about. Two readings of each profile's name
//! and description are compared with the conversation's:
//!
//! - **words**: BM25 between the conversation (the query) and the profiles (the documents;
//!   the name counts twice), on folded words cut to six letters;
//! - **concepts**: the multilingual support vocabulary of `classify::concepts` (orders,
//!   refunds, invoices, delivery, login, bugs, payment…, each in seven languages, by Snowball
//!   stem, prefix, phrase and typo), so "mi paquete no llega" meets "Shipping: delivery and
//!   tracking" and "Zahlung doppelt abgebucht" meets "Billing". A concept counts by its
//!   strength and its rarity among the profiles; another concept of the same domain ("parcel"
//!   for "delivery") counts half.
//!
//! The best total wins when it is clear: below [`MIN_SCORE`], or with the runner-up within
//! [`CLEAR_MARGIN`] of it, the conversation is left unassigned and the reason says why.

use std::collections::HashMap;

use super::classify::{concepts, ExampleSets};
use super::text::tokens;
use crate::engine::{ProfileSpec, RouteDecision};

/// A total below this is no match (less than one specific word or concept shared; chosen
/// on `corpus/routing/dev.json`).
pub const MIN_SCORE: f32 = 1.0;
/// The winner must lead the runner-up by this share of its score.
pub const CLEAR_MARGIN: f32 = 0.15;
/// Weight of the concept reading against the words' BM25.
const CONCEPT_WEIGHT: f32 = 1.5;
/// A message like one of a profile's example phrases (`classify::example_match`) adds this
/// much times the match's score.
const EXAMPLE_WEIGHT: f32 = 3.0;
/// A concept of the same domain as one of the profile's counts this much of an equal one.
const SAME_DOMAIN: f32 = 0.5;

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
    /// Per profile: its concepts and their domains.
    concepts: Vec<(Vec<u16>, Vec<&'static str>)>,
    /// Rarity of a concept / a domain among the profiles.
    concept_idf: HashMap<u16, f32>,
    domain_idf: HashMap<&'static str, f32>,
    /// The profiles' example phrases.
    examples: ExampleSets,
    /// The example phrases, for reasons.
    example_text: Vec<Vec<String>>,
}

/// The concepts and support topics of `text` that are not negated, sorted, once each.
fn topic_ids(text: &str) -> Vec<u16> {
    let mut ids: Vec<u16> = concepts::read_topics(text)
        .found
        .iter()
        .filter(|f| !f.negated)
        .map(|f| f.concept)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

fn profile_concepts(p: &ProfileSpec) -> (Vec<u16>, Vec<&'static str>) {
    let mut text = format!("{}. {}", p.name, p.description);
    for e in &p.examples {
        text.push_str(".\n");
        text.push_str(e);
    }
    let ids = topic_ids(&text);
    let mut domains: Vec<&'static str> = ids
        .iter()
        .filter_map(|c| concepts::concept(*c).map(|c| c.domain))
        .collect();
    domains.sort_unstable();
    domains.dedup();
    (ids, domains)
}

/// A concept's rarity among `n` profiles: never zero, so one profile's concept still counts.
fn rarity(n: f32, df: f32) -> f32 {
    (1.0 + n / df.max(1.0)).ln()
}

impl Router {
    pub fn new(profiles: &[ProfileSpec]) -> Router {
        let docs: Vec<Vec<String>> = profiles
            .iter()
            .map(|p| {
                let mut t = tokens(&p.name);
                t.extend(tokens(&p.name));
                t.extend(tokens(&p.description));
                for e in &p.examples {
                    t.extend(tokens(e));
                }
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
        let read: Vec<(Vec<u16>, Vec<&'static str>)> =
            profiles.iter().map(profile_concepts).collect();
        let mut concept_df: HashMap<u16, f32> = HashMap::new();
        let mut domain_df: HashMap<&'static str, f32> = HashMap::new();
        for (ids, domains) in &read {
            for c in ids {
                *concept_df.entry(*c).or_default() += 1.0;
            }
            for d in domains {
                *domain_df.entry(*d).or_default() += 1.0;
            }
        }
        Router {
            profiles: profiles.iter().map(|p| (p.id, p.name.clone())).collect(),
            docs: counted,
            idf,
            avg,
            concepts: read,
            examples: ExampleSets::new(profiles.iter().map(|p| p.examples.as_slice())),
            example_text: profiles.iter().map(|p| p.examples.clone()).collect(),
            concept_idf: concept_df
                .iter()
                .map(|(c, df)| (*c, rarity(n, *df)))
                .collect(),
            domain_idf: domain_df
                .iter()
                .map(|(d, df)| (*d, rarity(n, *df)))
                .collect(),
        }
    }

    /// BM25 of the conversation against each profile, with the matched terms.
    fn word_scores(&self, conversation: &str) -> Vec<(f32, Vec<String>)> {
        let mut query = tokens(conversation);
        query.sort_unstable();
        query.dedup();
        self.docs
            .iter()
            .map(|(terms, len)| {
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
                    matched.push(q.clone());
                }
                (score, matched)
            })
            .collect()
    }

    /// The concept reading's score of each profile, with the concepts that counted.
    fn concept_scores(&self, conversation: &str) -> Vec<(f32, Vec<&'static str>)> {
        let ids = topic_ids(conversation);
        self.concepts
            .iter()
            .map(|(mine, domains)| {
                let mut score = 0.0;
                let mut names = Vec::new();
                for c in &ids {
                    let Some(concept) = concepts::concept(*c) else {
                        continue;
                    };
                    if mine.contains(c) {
                        score += concept.strength * self.concept_idf.get(c).copied().unwrap_or(0.0);
                        names.push(concept.name);
                    } else if domains.contains(&concept.domain) {
                        score += SAME_DOMAIN
                            * concept.strength
                            * self.domain_idf.get(concept.domain).copied().unwrap_or(0.0);
                        names.push(concept.name);
                    }
                }
                (score, names)
            })
            .collect()
    }

    pub fn route(&self, conversation: &str) -> RouteDecision {
        if self.profiles.is_empty() {
            return RouteDecision {
                profile_id: None,
                reason: "no active routing profile".into(),
            };
        }
        let words = self.word_scores(conversation);
        let topics = self.concept_scores(conversation);
        let mut like: Vec<Option<(usize, f32)>> = vec![None; self.profiles.len()];
        for (set, example, score) in self.examples.matches(conversation) {
            if let Some(slot) = like.get_mut(set) {
                *slot = Some((example, score));
            }
        }
        let mut ranked: Vec<(usize, f32)> = (0..self.profiles.len())
            .map(|i| {
                let example = like[i].map_or(0.0, |(_, s)| EXAMPLE_WEIGHT * s);
                (i, words[i].0 + CONCEPT_WEIGHT * topics[i].0 + example)
            })
            .collect();
        // Highest first; ties keep the profiles' order.
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
        let (best, score) = ranked[0];
        let name = |i: usize| self.profiles[i].1.as_str();
        if score <= 0.0 {
            return RouteDecision {
                profile_id: None,
                reason: "no routing profile shares words or topics with the conversation".into(),
            };
        }
        if score < MIN_SCORE {
            return RouteDecision {
                profile_id: None,
                reason: format!(
                    "no routing profile matches well enough (best '{}', score {score:.2})",
                    name(best)
                ),
            };
        }
        if let Some(&(second, runner_up)) = ranked.get(1) {
            if runner_up > score * (1.0 - CLEAR_MARGIN) {
                return RouteDecision {
                    profile_id: None,
                    reason: format!(
                        "no clear winner: '{}' (score {score:.2}) and '{}' (score {runner_up:.2})",
                        name(best),
                        name(second)
                    ),
                };
            }
        }
        let stems: Vec<&str> = words[best].1.iter().map(String::as_str).collect();
        let mut reason = matched_reason(name(best), &stems, &topics[best].1, score, conversation);
        if let Some((e, _)) = like[best] {
            if let Some(text) = self.example_text.get(best).and_then(|x| x.get(e)) {
                reason.push_str(&format!(", like its example \"{text}\""));
            }
        }
        RouteDecision {
            profile_id: Some(self.profiles[best].0),
            reason,
        }
    }
}

/// "matched 'Billing' on payment, refund; topics: invoice, charge (score 2.58)": the
/// visitor's own words for the matched terms (terms are cut stems, "paymen", which an
/// operator should not have to read), and the concepts that counted.
fn matched_reason(
    profile: &str,
    stems: &[&str],
    topics: &[&str],
    score: f32,
    conversation: &str,
) -> String {
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
    let mut on = Vec::new();
    if !words.is_empty() {
        on.push(words.join(", "));
    }
    if !topics.is_empty() {
        on.push(format!("topics: {}", topics.join(", ")));
    }
    format!(
        "matched '{profile}' on {} (score {score:.2})",
        on.join("; ")
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
            examples: Vec::new(),
        }
    }

    /// The per-call BM25 `Router` replaced, kept to check the word scores stay the same.
    fn reference(conversation: &str, profiles: &[ProfileSpec]) -> Vec<f32> {
        if profiles.is_empty() {
            return Vec::new();
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
        docs.iter()
            .map(|d| {
                let len = d.len() as f32;
                let mut score = 0.0;
                for q in &query {
                    let tf = d.iter().filter(|t| *t == q).count() as f32;
                    if tf == 0.0 {
                        continue;
                    }
                    let n_q = df.get(q.as_str()).copied().unwrap_or(0.0);
                    let idf = (1.0 + (n - n_q + 0.5) / (n_q + 0.5)).ln();
                    score += idf * tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * len / avg.max(1.0)));
                }
                score
            })
            .collect()
    }

    #[test]
    fn word_scores_are_bm25_as_before() {
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
                let mine: Vec<f32> = Router::new(&profiles[..n])
                    .word_scores(text)
                    .into_iter()
                    .map(|w| w.0)
                    .collect();
                assert_eq!(
                    mine,
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
        // Another language, no shared word: the concepts meet (refund, invoice).
        assert_eq!(
            route("Quiero un reembolso de mi factura", &profiles).profile_id,
            Some(1)
        );
        assert_eq!(route("", &profiles).profile_id, None);
        assert_eq!(route("anything", &[]).profile_id, None);
    }

    #[test]
    fn concepts_route_across_languages_and_synonyms() {
        let profiles = [
            p(1, "Shipping", "Delivery and tracking"),
            p(2, "Returns", "Returns and refunds"),
            p(3, "Payments", "Payment problems and invoices"),
        ];
        for (text, want) in [
            ("mi paquete todavía no ha llegado", 1),
            (
                "wo bleibt meine Sendung? die Sendungsverfolgung zeigt nichts",
                1,
            ),
            ("je voudrais être remboursé", 2),
            ("chcę zwrot pieniędzy za zamówienie", 2),
            ("I need a copy of my invoice", 3),
        ] {
            let r = route(text, &profiles);
            assert_eq!(r.profile_id, Some(want), "{text}: {}", r.reason);
            assert!(r.reason.contains("topics:"), "{}", r.reason);
        }
    }

    #[test]
    fn example_phrases_route_what_the_description_does_not_say() {
        let mut billing = p(1, "Billing", "Invoices");
        billing.examples = vec!["I was charged twice".into()];
        let profiles = [billing, p(2, "Technical", "The app and the website")];
        let r = route("they charged me twice this month", &profiles);
        assert_eq!(r.profile_id, Some(1), "{}", r.reason);
        assert!(
            r.reason
                .contains("like its example \"I was charged twice\""),
            "{}",
            r.reason
        );
        // Without the example, nothing says so.
        let r = route("they charged me twice this month", &profiles[1..]);
        assert_eq!(r.profile_id, None, "{}", r.reason);
    }

    #[test]
    fn no_clear_winner_is_left_unassigned_and_says_so() {
        let profiles = [
            p(1, "Orders", "Orders and delivery"),
            p(2, "Shipping", "Delivery and orders"),
        ];
        let r = route("where is my order, the delivery is late", &profiles);
        assert_eq!(r.profile_id, None);
        assert!(r.reason.starts_with("no clear winner"), "{}", r.reason);
        assert!(
            r.reason.contains("'Orders'") && r.reason.contains("'Shipping'"),
            "{}",
            r.reason
        );
    }
}
