//! Server-sent events: a visitor's conversation stream and the operators' inbox stream.

use std::convert::Infallible;
use std::time::Duration;

use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{Stream, StreamExt};
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;
use tokio_stream::wrappers::BroadcastStream;

use crate::auth::Actor;
use crate::conversations::events::LiveEvent;
use crate::{Baton, Id};

fn to_sse(e: &LiveEvent) -> Event {
    let name = match &e.kind {
        crate::conversations::events::LiveKind::Message { .. } => "message",
        crate::conversations::events::LiveKind::Visitor { .. } => "visitor",
        crate::conversations::events::LiveKind::Updated { .. } => "updated",
        crate::conversations::events::LiveKind::Handoff { .. } => "handoff",
    };
    Event::default()
        .event(name)
        .json_data(e)
        .unwrap_or_else(|_| Event::default().comment("unserializable event"))
}

fn stream(
    baton: &Baton,
    keep: impl Fn(&LiveEvent) -> bool + Send + 'static,
) -> impl Stream<Item = Result<Event, Infallible>> {
    BroadcastStream::new(baton.events().subscribe()).filter_map(move |item| {
        let out = match item {
            Ok(e) if keep(&e) => Some(Ok(to_sse(&e))),
            Ok(_) => None,
            // A slow client missed events: tell it to reload rather than drop silently.
            Err(BroadcastStreamRecvError::Lagged(n)) => {
                Some(Ok(Event::default().event("lagged").data(n.to_string())))
            }
        };
        std::future::ready(out)
    })
}

pub fn visitor_stream(
    baton: &Baton,
    conversation: Id,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    Sse::new(stream(baton, move |e| {
        e.conversation_id == conversation && e.kind.visible_to_visitor()
    }))
    .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

pub fn inbox_stream(
    baton: &Baton,
    actor: &Actor,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let bound = actor.bound_agent();
    Sse::new(stream(baton, move |e| {
        bound.is_none_or(|a| a == e.agent_id)
    }))
    .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}
