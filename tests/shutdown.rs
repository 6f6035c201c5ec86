//! `baton serve` stops on SIGTERM even while browsers hold live streams open (they never end on
//! their own): open requests get a bounded time to finish, then the server is gone.

use crate::common;

use std::time::Duration;

use common::client;

#[tokio::test]
async fn the_server_stops_with_live_streams_open() {
    let db = common::sqlite();
    let s = common::TestServer::start(db).await;
    let v = s
        .baton
        .conversation_start(Default::default())
        .await
        .unwrap();
    let inbox = client()
        .get(s.url("/v1/inbox/events"))
        .bearer_auth(&s.token)
        .send()
        .await
        .unwrap();
    assert_eq!(inbox.status(), 200);
    let visitor = client()
        .get(s.url(&format!(
            "/v1/visitor/conversations/{}/events?token={}",
            v.conversation.id, v.visitor_token
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(visitor.status(), 200);

    // A bound for a broken build: it used to wait for the streams forever.
    tokio::time::timeout(baton::http::DRAIN_FOR + Duration::from_secs(20), s.stop())
        .await
        .expect("the server stopped although live streams were open");
    drop((inbox, visitor));
}
