//! Server-sent events: a visitor's conversation stream and the operators' inbox stream.

use std::convert::Infallible;
use std::time::Duration;

use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{Stream, StreamExt};
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;
use tokio_stream::wrappers::{BroadcastStream, IntervalStream, WatchStream};

use super::extract::Credential;
use crate::auth::{Actor, Permission};
use crate::conversations::events::LiveEvent;
use crate::{Baton, Id};

fn to_sse(e: &LiveEvent) -> Event {
    let name = match &e.kind {
        crate::conversations::events::LiveKind::Message { .. } => "message",
        crate::conversations::events::LiveKind::Visitor { .. } => "visitor",
        crate::conversations::events::LiveKind::Updated { .. } => "updated",
        crate::conversations::events::LiveKind::Handoff { .. } => "handoff",
        // What a slow client is told too: fetch again.
        crate::conversations::events::LiveKind::Missed {} => "lagged",
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
        e.concerns(Some(conversation), None) && e.kind.visible_to_visitor()
    }))
    .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

/// How often an operator's stream checks its credential even when nothing says it changed
/// (expiry; a revocation made by another process on the same database).
pub const RECHECK_EVERY: Duration = Duration::from_secs(60);

/// The operators' stream. It checks its credential again whenever one may have been revoked
/// in this process (sign-out, token revoked, operator changed or removed) and every
/// [`RECHECK_EVERY`]; once it is no longer valid, the stream sends `signed_out` and ends.
pub fn inbox_stream(
    baton: &Baton,
    actor: &Actor,
    credential: Credential,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let bound = actor.bound_agent();
    let events = stream(baton, move |e| e.concerns(None, bound)).map(Some);
    let mut ticks = tokio::time::interval(RECHECK_EVERY);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    // The first tick is immediate: the credential was just checked.
    let checks = futures_util::stream::select(
        WatchStream::from_changes(baton.credentials_watch()).map(|_| ()),
        IntervalStream::new(ticks).skip(1).map(|_| ()),
    )
    .map(|()| None);
    let merged = Box::pin(futures_util::stream::select(events, checks));
    let state = Some((merged, baton.clone(), credential));
    let stream = futures_util::stream::unfold(state, |state| async move {
        let (mut merged, baton, credential) = state?;
        loop {
            match merged.next().await? {
                Some(event) => return Some((event, Some((merged, baton, credential)))),
                None => {
                    let valid = credential
                        .authenticate(&baton)
                        .await
                        .and_then(|a| a.require(Permission::ReadInbox));
                    if let Err(e) = valid {
                        let end = Event::default().event("signed_out").data(e.to_string());
                        return Some((Ok(end), None));
                    }
                }
            }
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}
