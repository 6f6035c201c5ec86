//! Decision engines: the built-in rules engine (default; no network, no key) and any
//! OpenAI-compatible chat-completions endpoint, behind one interface.

pub mod breaker;
pub mod builtin;
pub mod openai;
pub mod settings;
pub mod tools;
pub mod types;

pub use types::*;

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use breaker::{Breaker, Budget, Clock, EngineHealth, Permit};
use builtin::BuiltinEngine;
use openai::{EngineError, OpenAiEngine};

/// The one interface both engines implement.
pub trait DecisionEngine: Send + Sync {
    /// `builtin` or `openai:<model>`.
    fn label(&self) -> String;
    fn decide(
        &self,
        input: &DecideInput<'_>,
    ) -> impl Future<Output = Result<Decision, EngineError>> + Send;
    fn route(
        &self,
        transcript: &[Turn],
        profiles: &[ProfileSpec],
    ) -> impl Future<Output = Result<RouteDecision, EngineError>> + Send;
    fn priority(
        &self,
        input: &PriorityInput<'_>,
    ) -> impl Future<Output = Result<(Priority, String), EngineError>> + Send;
    fn summarize(
        &self,
        input: &SummaryInput<'_>,
    ) -> impl Future<Output = Result<String, EngineError>> + Send;
    fn answer(
        &self,
        instructions: &str,
        private_instruction: Option<&str>,
        history: &[Turn],
        question: &str,
        hits: &[KnowledgeHit],
    ) -> impl Future<Output = Result<AnswerOutcome, EngineError>> + Send;
    /// The custom action the latest message calls for, if any (a model sees them as tools).
    fn choose_action(
        &self,
        input: &ActionChoiceInput<'_>,
    ) -> impl Future<Output = Result<ActionChoice, EngineError>> + Send;
    /// What the visitor is told of an action's result; `None`: the pipeline's plain wording.
    fn action_reply(
        &self,
        input: &ActionReplyInput<'_>,
    ) -> impl Future<Output = Result<Option<String>, EngineError>> + Send;
}

impl DecisionEngine for BuiltinEngine {
    fn label(&self) -> String {
        "builtin".into()
    }
    async fn decide(&self, input: &DecideInput<'_>) -> Result<Decision, EngineError> {
        Ok(BuiltinEngine::decide(self, input))
    }
    async fn route(
        &self,
        transcript: &[Turn],
        profiles: &[ProfileSpec],
    ) -> Result<RouteDecision, EngineError> {
        Ok(BuiltinEngine::route(self, transcript, profiles))
    }
    async fn priority(&self, input: &PriorityInput<'_>) -> Result<(Priority, String), EngineError> {
        Ok(BuiltinEngine::priority(self, input))
    }
    async fn summarize(&self, input: &SummaryInput<'_>) -> Result<String, EngineError> {
        Ok(BuiltinEngine::summarize(self, input))
    }
    async fn answer(
        &self,
        _instructions: &str,
        private_instruction: Option<&str>,
        _history: &[Turn],
        question: &str,
        hits: &[KnowledgeHit],
    ) -> Result<AnswerOutcome, EngineError> {
        Ok(BuiltinEngine::answer(
            self,
            question,
            private_instruction,
            hits,
        ))
    }
    async fn choose_action(
        &self,
        input: &ActionChoiceInput<'_>,
    ) -> Result<ActionChoice, EngineError> {
        Ok(BuiltinEngine::choose_action(self, input))
    }
    async fn action_reply(
        &self,
        _input: &ActionReplyInput<'_>,
    ) -> Result<Option<String>, EngineError> {
        Ok(None)
    }
}

impl DecisionEngine for OpenAiEngine {
    fn label(&self) -> String {
        format!("openai:{}", self.model())
    }
    async fn decide(&self, input: &DecideInput<'_>) -> Result<Decision, EngineError> {
        OpenAiEngine::decide(self, input).await
    }
    async fn route(
        &self,
        transcript: &[Turn],
        profiles: &[ProfileSpec],
    ) -> Result<RouteDecision, EngineError> {
        OpenAiEngine::route(self, transcript, profiles).await
    }
    async fn priority(&self, input: &PriorityInput<'_>) -> Result<(Priority, String), EngineError> {
        OpenAiEngine::priority(self, input).await
    }
    async fn summarize(&self, input: &SummaryInput<'_>) -> Result<String, EngineError> {
        OpenAiEngine::summarize(self, input).await
    }
    async fn answer(
        &self,
        instructions: &str,
        private_instruction: Option<&str>,
        history: &[Turn],
        question: &str,
        hits: &[KnowledgeHit],
    ) -> Result<AnswerOutcome, EngineError> {
        OpenAiEngine::answer(
            self,
            instructions,
            private_instruction,
            history,
            question,
            hits,
        )
        .await
    }
    async fn choose_action(
        &self,
        input: &ActionChoiceInput<'_>,
    ) -> Result<ActionChoice, EngineError> {
        OpenAiEngine::choose_action(self, input).await
    }
    async fn action_reply(
        &self,
        input: &ActionReplyInput<'_>,
    ) -> Result<Option<String>, EngineError> {
        OpenAiEngine::action_reply(self, input).await.map(Some)
    }
}

/// A result with the engine that produced it and how long it took.
#[derive(Debug, Clone)]
pub struct Outcome<T> {
    pub value: T,
    pub engine: String,
    pub latency_us: i64,
    /// When the built-in engine stood in for the model: why the model's answer was not used
    /// (secret-free, like every [`EngineError`]).
    pub fallback: Option<String>,
}

/// The engine of an agent: the model when one is configured, with the built-in engine deciding
/// whenever the model times out, fails or answers nonsense, so no message is left unanswered.
/// The model is called through its endpoint's circuit breaker and, for a visitor message
/// ([`Engine::for_message`]), within that message's one time budget.
#[derive(Clone, Default)]
pub struct Engine {
    model: Option<Arc<OpenAiEngine>>,
    breaker: Option<Arc<Breaker>>,
    budget: Option<Arc<Budget>>,
    /// Set when a failure during this message opened the breaker.
    opened: Arc<AtomicBool>,
}

macro_rules! with_fallback {
    ($self:ident, |$m:ident| $model_call:expr, |$b:ident| $builtin_call:expr) => {{
        let started = Instant::now();
        let $b = BuiltinEngine;
        let (value, engine, fallback) = match &$self.model {
            None => ($builtin_call, $b.label(), None),
            Some($m) => match $self.gate() {
                Err((short, why)) => (
                    $builtin_call,
                    format!("builtin (fallback: {short})"),
                    Some(why),
                ),
                Ok(left) => {
                    let result = match left {
                        Some(left) => tokio::time::timeout(left, $model_call)
                            .await
                            .unwrap_or(Err(EngineError::Timeout)),
                        None => $model_call.await,
                    };
                    $self.settle(result.as_ref().err());
                    match result {
                        Ok(v) => (v, $m.label(), None),
                        Err(err) => {
                            tracing::warn!(engine = %$m.label(), error = %err, "model failed; the built-in engine decides");
                            (
                                $builtin_call,
                                format!("builtin (fallback: {})", fallback_reason(&err)),
                                Some(err.to_string()),
                            )
                        }
                    }
                }
            },
        };
        Outcome {
            value,
            engine,
            fallback,
            latency_us: started.elapsed().as_micros().min(i64::MAX as u128) as i64,
        }
    }};
}

fn fallback_reason(e: &EngineError) -> &'static str {
    match e {
        EngineError::Timeout => "timeout",
        EngineError::Http { .. } => "HTTP error",
        EngineError::Transport(_) => "unreachable",
        EngineError::InvalidJson(_) => "invalid JSON",
        EngineError::InvalidDecision(_) => "invalid decision",
    }
}

impl Engine {
    pub fn builtin() -> Engine {
        Engine::default()
    }
    /// The model behind a circuit breaker on `clock`.
    pub fn with_model(model: Arc<OpenAiEngine>, clock: Clock) -> Engine {
        Engine {
            model: Some(model),
            breaker: Some(Arc::new(Breaker::new(clock))),
            ..Engine::default()
        }
    }

    /// This engine for one visitor message: its model calls share one budget, the model's
    /// configured timeout (and after the endpoint's first failure no further call is made).
    pub fn for_message(&self) -> Engine {
        Engine {
            budget: self
                .model
                .as_ref()
                .map(|m| Arc::new(Budget::new(m.timeout()))),
            opened: Arc::new(AtomicBool::new(false)),
            ..self.clone()
        }
    }

    /// The endpoint's state; `None` for the built-in engine.
    pub fn health(&self) -> Option<EngineHealth> {
        self.breaker.as_ref().map(|b| b.health())
    }

    /// Whether a failure during this message opened the breaker (the owner is told once).
    pub fn opened_now(&self) -> bool {
        self.opened.load(Ordering::SeqCst)
    }

    /// May the model be called, and for how long?
    fn gate(&self) -> Result<Option<Duration>, (&'static str, String)> {
        let left = match &self.budget {
            Some(b) => Some(b.remaining()?),
            None => None,
        };
        if let Some(breaker) = &self.breaker {
            if let Permit::Refused { until } = breaker.permit() {
                return Err((
                    "endpoint down",
                    format!(
                        "the model endpoint failed {} times in a row; it is not called until {} \
                         (then one probe call)",
                        breaker::FAILURES_TO_OPEN,
                        until.format("%Y-%m-%d %H:%M:%S UTC")
                    ),
                ));
            }
        }
        Ok(left)
    }

    /// Tells the breaker and the budget how a call went.
    fn settle(&self, error: Option<&EngineError>) {
        match error {
            Some(e) if breaker::is_endpoint_failure(e) => {
                if let Some(b) = &self.budget {
                    b.failed(fallback_reason(e));
                }
                if let Some(breaker) = &self.breaker {
                    if breaker.failure(&e.to_string()) {
                        self.opened.store(true, Ordering::SeqCst);
                    }
                }
            }
            // It answered (even nonsense): the endpoint is up.
            _ => {
                if let Some(breaker) = &self.breaker {
                    breaker.success();
                }
            }
        }
    }

    pub async fn decide(&self, input: &DecideInput<'_>) -> Outcome<Decision> {
        with_fallback!(self, |m| m.decide(input), |b| b.decide(input))
    }
    pub async fn route(
        &self,
        transcript: &[Turn],
        profiles: &[ProfileSpec],
    ) -> Outcome<RouteDecision> {
        with_fallback!(self, |m| m.route(transcript, profiles), |b| b
            .route(transcript, profiles))
    }
    pub async fn priority(&self, input: &PriorityInput<'_>) -> Outcome<(Priority, String)> {
        with_fallback!(self, |m| m.priority(input), |b| b.priority(input))
    }
    pub async fn summarize(&self, input: &SummaryInput<'_>) -> Outcome<String> {
        with_fallback!(self, |m| m.summarize(input), |b| b.summarize(input))
    }
    pub async fn answer(
        &self,
        instructions: &str,
        private_instruction: Option<&str>,
        history: &[Turn],
        question: &str,
        hits: &[KnowledgeHit],
    ) -> Outcome<AnswerOutcome> {
        with_fallback!(
            self,
            |m| m.answer(instructions, private_instruction, history, question, hits),
            |b| b.answer(question, private_instruction, hits)
        )
    }
    pub async fn choose_action(&self, input: &ActionChoiceInput<'_>) -> Outcome<ActionChoice> {
        with_fallback!(self, |m| m.choose_action(input), |b| b.choose_action(input))
    }
    /// `None` from the built-in engine, or when the model failed: the pipeline words it.
    pub async fn action_reply(&self, input: &ActionReplyInput<'_>) -> Outcome<Option<String>> {
        with_fallback!(
            self,
            |m| DecisionEngine::action_reply(m.as_ref(), input),
            |_b| None
        )
    }
}
