//! Baton's integration tests, one binary: each `tests/<name>.rs` is a module here, so
//! `cargo test --test suite <name>::` runs one file's tests.

mod common;

mod action_accuracy;
mod action_kinds;
mod action_pipeline;
mod actions;
mod bindings;
mod chat_elements;
mod cli;
mod cluster;
mod conversations;
mod e2e_handoff;
mod edge;
mod engine_accuracy;
mod engine_budget;
mod engine_learned;
mod engine_openai;
mod engine_routing;
mod first_user;
mod guidelines_and_instructions;
mod http_api;
mod interest_accuracy;
mod keyword_cache;
mod lead_capture;
mod lead_emails;
mod leads;
mod leads_export_progress;
mod notify_email;
mod outbound;
mod outbox;
mod pipeline_guards;
mod schedule_engine;
mod security;
mod shutdown;
mod story;
mod validation;
mod webhooks;
