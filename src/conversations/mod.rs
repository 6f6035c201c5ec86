//! Conversations: the visitor side, the decision pipeline, and the inbox.

pub mod events;
pub mod gather;
pub mod inbox;
pub mod model;
pub mod phrases;
pub mod pipeline;
pub mod timeline;

pub use model::*;
