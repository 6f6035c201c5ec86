//! Security defaults: role escalation, secrets bound to their hosts, the public playground,
//! cross-site form posts, and lost updates.

use crate::common;

use baton::auth::Actor;
use baton::engine::settings::{EngineKind, EngineSettingsInput};
use baton::handoff::HandoffConfigurationUpdate;
use baton::operators::{OperatorCreate, OperatorUpdate, Role};
use baton::sessions::LoginInput;
use baton::{Baton, Error};
use common::{client, TestServer};
use serde_json::json;

async fn op(b: &Baton, name: &str, role: Role) -> baton::operators::Operator {
    b.operator_create(
        &Actor::Local,
        OperatorCreate {
            name: name.into(),
            email: format!("{name}@example.com"),
            role,
            password: Some("long-password".into()),
        },
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn admins_cannot_make_owners_and_the_last_owner_stays() {
    let db = common::sqlite();
    let b = Baton::open(&db.url).await.unwrap();
    let owner = op(&b, "olga", Role::Owner).await;
    let admin = op(&b, "adam", Role::Admin).await;
    let as_admin = Actor::Operator {
        operator_id: admin.id,
        role: Role::Admin,
    };
    let err = b
        .operator_update(
            &as_admin,
            admin.id,
            OperatorUpdate {
                role: Some(Role::Owner),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Forbidden(_)), "{err:?}");
    let err = b
        .operator_update(
            &as_admin,
            owner.id,
            OperatorUpdate {
                password: Some("taken-over!".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Forbidden(_)));
    assert!(matches!(
        b.operator_delete(&as_admin, owner.id).await,
        Err(Error::Forbidden(_))
    ));
    let err = b
        .operator_create(
            &as_admin,
            OperatorCreate {
                name: "x".into(),
                email: "x@example.com".into(),
                role: Role::Owner,
                password: None,
            },
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Forbidden(_)));
    let as_owner = Actor::Operator {
        operator_id: owner.id,
        role: Role::Owner,
    };
    let err = b
        .operator_update(
            &as_owner,
            owner.id,
            OperatorUpdate {
                role: Some(Role::Admin),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Conflict { .. }),
        "the last owner cannot step down"
    );
    assert!(matches!(
        b.operator_delete(&as_owner, owner.id).await,
        Err(Error::Conflict { .. })
    ));

    // A new password signs the operator out everywhere.
    let s = b
        .session_login(
            LoginInput {
                email: "adam@example.com".into(),
                password: "long-password".into(),
            },
            None,
        )
        .await
        .unwrap();
    assert!(b.authenticate(&s.token).await.is_ok());
    b.operator_update(
        &as_owner,
        admin.id,
        OperatorUpdate {
            password: Some("another-password".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(matches!(
        b.authenticate(&s.token).await,
        Err(Error::Unauthorized(_))
    ));
}

#[tokio::test]
async fn a_stored_model_key_is_never_sent_to_a_new_host() {
    let db = common::sqlite();
    let b = Baton::open(&db.url).await.unwrap();
    let set = |url: &str, key: Option<&str>| EngineSettingsInput {
        agent_id: None,
        kind: EngineKind::Openai,
        base_url: Some(url.into()),
        model: Some("m".into()),
        api_key: key.map(str::to_owned),
        timeout_ms: None,
    };
    let s = b
        .agent_engine_set(
            &Actor::Local,
            set("https://api.openai.com/v1", Some("sk-real")),
        )
        .await
        .unwrap();
    assert!(s.has_api_key);
    let s = b
        .agent_engine_set(&Actor::Local, set("https://api.openai.com/v1", None))
        .await
        .unwrap();
    assert!(s.has_api_key, "same host: the key is kept");
    let s = b
        .agent_engine_set(&Actor::Local, set("https://attacker.example/v1", None))
        .await
        .unwrap();
    assert!(!s.has_api_key, "another host: the key is forgotten");
}

#[tokio::test]
async fn a_model_endpoint_at_a_refused_address_is_refused_when_saved() {
    let db = common::sqlite();
    let b = Baton::open(&db.url).await.unwrap();
    let set = |url: &str| EngineSettingsInput {
        agent_id: None,
        kind: EngineKind::Openai,
        base_url: Some(url.into()),
        model: Some("m".into()),
        api_key: None,
        timeout_ms: None,
    };
    // Metadata service, private and CGN ranges, in the notations a URL parser accepts.
    for url in [
        "http://169.254.169.254/latest",
        "http://10.0.0.5:11434/v1",
        "http://0xa9fea9fe/v1",
        "http://[fd00::1]/v1",
        "http://100.64.0.1/v1",
    ] {
        let e = b
            .agent_engine_set(&Actor::Local, set(url))
            .await
            .unwrap_err();
        assert_eq!(e.field_errors()[0].field, "base_url", "{url}");
        assert_eq!(e.field_errors()[0].code, "address_refused", "{url}");
    }
    // Loopback is where Ollama and llama.cpp run: allowed, in any notation; names are checked
    // when called.
    for url in [
        "http://127.0.0.1:11434/v1",
        "http://2130706433:8080/v1",
        "http://[::1]:8080/v1",
        "https://api.openai.com/v1",
    ] {
        assert!(
            b.agent_engine_set(&Actor::Local, set(url)).await.is_ok(),
            "{url}"
        );
    }
}

#[tokio::test]
async fn the_public_api_refuses_the_playground_and_non_json_bodies() {
    let s = TestServer::start(common::sqlite()).await;
    let r = client()
        .post(s.url("/v1/visitor/conversations"))
        .json(&json!({"channel": "playground"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["field"],
        "channel"
    );
    // A cross-site form can post text/plain with a cookie; such bodies are refused.
    let r = client()
        .post(s.url("/v1/rpc/operator_create"))
        .bearer_auth(&s.token)
        .header("content-type", "text/plain")
        .body(r#"{"name":"x","email":"x@example.com","role":"owner"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(s
        .baton
        .operator_list(&Actor::Local)
        .await
        .unwrap()
        .is_empty());
    s.stop().await;
}

#[tokio::test]
async fn a_configuration_saved_meanwhile_is_a_conflict_not_a_lost_update() {
    let db = common::sqlite();
    let b = Baton::open(&db.url).await.unwrap();
    let agent = b.store().agent_default_id().await.unwrap().unwrap();
    let stale = b.store().handoff_config_version(agent).await.unwrap();
    let cfg = b.store().handoff_config(agent).await.unwrap().unwrap();
    let update: HandoffConfigurationUpdate =
        serde_json::from_value(json!({"settings": {"is_active": true}})).unwrap();
    b.handoff_config_update(&Actor::Local, None, update)
        .await
        .unwrap();
    let err = b
        .store()
        .handoff_config_save(agent, &cfg, stale)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Conflict { .. }), "{err:?}");
    assert!(
        b.store()
            .handoff_config(agent)
            .await
            .unwrap()
            .unwrap()
            .settings
            .is_active,
        "the other save stands"
    );
}

async fn login(s: &TestServer, email: &str, password: &str) -> reqwest::Response {
    client()
        .post(s.url("/v1/auth/login"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn repeated_failed_sign_ins_are_slowed_down_per_email_and_per_client() {
    let s = TestServer::start(common::sqlite()).await;
    for (name, email) in [("Ada", "ada@example.com"), ("Bob", "bob@example.com")] {
        s.baton
            .operator_create(
                &Actor::Local,
                OperatorCreate {
                    name: name.into(),
                    email: email.into(),
                    role: Role::Agent,
                    password: Some("correct-horse-battery".into()),
                },
            )
            .await
            .unwrap();
    }
    for _ in 0..baton::sessions::LOGIN_MAX_FAILURES {
        let r = login(&s, "ada@example.com", "wrong-password").await;
        assert_eq!(r.status(), 401);
    }
    // Even the right password waits now, and is told for how long.
    let r = login(&s, "ADA@example.com", "correct-horse-battery").await;
    assert_eq!(r.status(), 429);
    let wait: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(wait > 0 && wait <= 15 * 60, "{wait}");
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["code"], "too_many_requests");
    // Another account is not locked by Ada's guesser.
    assert_eq!(
        login(&s, "bob@example.com", "correct-horse-battery")
            .await
            .status(),
        200
    );
    // One client guessing across many accounts is stopped too.
    for i in 0..baton::sessions::LOGIN_CLIENT_MAX_FAILURES {
        let r = login(&s, &format!("guess{i}@example.com"), "wrong-password").await;
        assert!([401, 429].contains(&r.status().as_u16()));
    }
    assert_eq!(
        login(&s, "bob@example.com", "correct-horse-battery")
            .await
            .status(),
        429
    );
}

/// Reads the event stream until an event named `name` arrives; returns what came before it.
async fn read_until(resp: &mut reqwest::Response, name: &str) -> String {
    let mut seen = String::new();
    let read = async {
        while let Some(chunk) = resp.chunk().await.unwrap() {
            seen.push_str(&String::from_utf8_lossy(&chunk));
            if seen.contains(&format!("event: {name}")) {
                return;
            }
        }
        panic!("the stream ended without '{name}': {seen}");
    };
    // A bound for a broken build, not a timing assumption: the event is due at once.
    tokio::time::timeout(std::time::Duration::from_secs(30), read)
        .await
        .expect("event in time");
    seen
}

#[tokio::test]
async fn live_streams_end_when_their_credential_is_revoked() {
    let s = TestServer::start(common::sqlite()).await;
    s.baton
        .operator_create(
            &Actor::Local,
            OperatorCreate {
                name: "Ada".into(),
                email: "ada@example.com".into(),
                role: Role::Agent,
                password: Some("correct-horse-battery".into()),
            },
        )
        .await
        .unwrap();

    // A browser session (cookie) that signs out elsewhere (the same session, by its token).
    let session: serde_json::Value = login(&s, "ada@example.com", "correct-horse-battery")
        .await
        .json()
        .await
        .unwrap();
    let token = session["token"].as_str().unwrap().to_owned();
    let mut stream = client()
        .get(s.url("/v1/inbox/events"))
        .header("cookie", format!("baton_session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    // Events flow while the session is valid …
    let v = s
        .baton
        .conversation_start(Default::default())
        .await
        .unwrap();
    s.baton
        .visitor_message(
            v.conversation.id,
            &v.visitor_token,
            baton::conversations::pipeline::VisitorMessageInput {
                text: "hello".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    read_until(&mut stream, "message").await;
    // … and stop with the session.
    let out = client()
        .post(s.url("/v1/auth/logout"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert!(out.status().is_success());
    read_until(&mut stream, "signed_out").await;
    assert!(stream.chunk().await.unwrap().is_none(), "the stream ends");

    // An API token that is revoked.
    let created = s
        .baton
        .token_create(
            &Actor::Local,
            baton::tokens::TokenCreate {
                name: "inbox screen".into(),
                agent_id: None,
            },
        )
        .await
        .unwrap();
    let mut stream = client()
        .get(s.url("/v1/inbox/events"))
        .bearer_auth(&created.token)
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    s.baton
        .token_revoke(&Actor::Local, created.info.id)
        .await
        .unwrap();
    read_until(&mut stream, "signed_out").await;
    assert!(stream.chunk().await.unwrap().is_none(), "the stream ends");
}

#[tokio::test]
async fn the_desktop_settings_commands_are_refused_over_http() {
    // They are the desktop shell's own commands (src-tauri/src/host.rs): the core the server
    // runs has no such command, so no credential reaches them over HTTP.
    let db = common::sqlite();
    let b = Baton::open(&db.url).await.unwrap();
    let token = b
        .token_create(
            &Actor::Local,
            baton::tokens::TokenCreate {
                name: "admin".into(),
                agent_id: None,
            },
        )
        .await
        .unwrap()
        .token;
    let listener = baton::http::bind("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(baton::http::serve(b.clone(), listener, async {
        let _ = stopped.await;
    }));
    for (command, args) in [
        ("desktop_settings_get", json!({})),
        (
            "desktop_settings_set",
            json!({"database_url": "", "visitor_server": {"enabled": true, "address": "0.0.0.0:8787"}}),
        ),
    ] {
        let r = client()
            .post(format!("{base}/v1/rpc/{command}"))
            .bearer_auth(&token)
            .json(&args)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404, "{command}");
        let body = r.json::<serde_json::Value>().await.unwrap();
        assert_eq!(body["code"], "not_found", "{command}");
    }
    assert!(
        baton::api::dispatch(&b, &Actor::Local, "desktop_settings_get", json!({}))
            .await
            .is_err()
    );
    let _ = stop.send(());
    server.await.unwrap().unwrap();
}

/// Issue 15, point 6: a cross-site form post with the session cookie changes nothing, even
/// with no body (`/resolve`), whatever the cookie's SameSite; the UI's own requests and bearer
/// tokens go through.
#[tokio::test]
async fn a_cross_site_post_with_the_session_cookie_is_refused() {
    let s = TestServer::start(common::sqlite()).await;
    op(&s.baton, "ada", Role::Agent).await;
    let session: serde_json::Value = login(&s, "ada@example.com", "long-password")
        .await
        .json()
        .await
        .unwrap();
    let cookie = format!("baton_session={}", session["token"].as_str().unwrap());
    let v = s
        .baton
        .conversation_start(baton::conversations::pipeline::ConversationStart {
            channel: Some(baton::conversations::Channel::Widget),
            ..Default::default()
        })
        .await
        .unwrap();
    let id = v.conversation.id;
    let host = s.base_authority();
    let status = |id| {
        let b = s.baton.clone();
        async move {
            b.conversation_open(&Actor::Local, id)
                .await
                .unwrap()
                .conversation
                .status
        }
    };
    let before = status(id).await;

    // What a hostile page's <form enctype="text/plain" method="post"> sends.
    for (name, value) in [
        ("origin", "https://evil.example"),
        ("origin", "null"),
        ("sec-fetch-site", "cross-site"),
    ] {
        let r = client()
            .post(s.url(&format!("/v1/conversations/{id}/resolve")))
            .header("cookie", &cookie)
            .header("content-type", "text/plain")
            .header(name, value)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{name}: {value}");
        let body: serde_json::Value = r.json().await.unwrap();
        assert_eq!(body["code"], "forbidden");
    }
    assert_eq!(status(id).await, before, "nothing changed");

    // The UI's own page: same origin.
    let r = client()
        .post(s.url(&format!("/v1/conversations/{id}/resolve")))
        .header("cookie", &cookie)
        .header("origin", format!("http://{host}"))
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    assert_ne!(status(id).await, before);

    // A bearer token is never ambient: a foreign Origin does not matter.
    let r = client()
        .post(s.url(&format!("/v1/conversations/{id}/reopen")))
        .bearer_auth(&s.token)
        .header("origin", "https://elsewhere.example")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    s.stop().await;
}

/// Runs `sql` past Baton (what a copied database file shows, or what an older Baton left):
/// the first column of each row it returns.
async fn raw(db: &common::TestDb, sql: &str) -> Vec<String> {
    use sqlx::{Connection, Row};
    if db.url.starts_with("sqlite:") {
        let mut c = sqlx::SqliteConnection::connect(&db.url).await.unwrap();
        sqlx::query(sql)
            .fetch_all(&mut c)
            .await
            .unwrap()
            .iter()
            .map(|r| r.get::<String, _>(0))
            .collect()
    } else {
        let mut c = sqlx::PgConnection::connect(&db.url).await.unwrap();
        sqlx::query(sql)
            .fetch_all(&mut c)
            .await
            .unwrap()
            .iter()
            .map(|r| r.get::<String, _>(0))
            .collect()
    }
}

/// A loopback model that answers "pong" and keeps each request's Authorization header.
async fn fake_model() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use axum::routing::post;
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let app = axum::Router::new().route(
        "/v1/chat/completions",
        post({
            let seen = seen.clone();
            move |h: axum::http::HeaderMap| async move {
                seen.lock().unwrap().push(
                    h.get("authorization")
                        .map(|v| v.to_str().unwrap().to_owned())
                        .unwrap_or_default(),
                );
                axum::Json(json!({"id": "c", "object": "chat.completion", "created": 1,
                    "model": "m", "choices": [{"index": 0, "finish_reason": "stop",
                    "message": {"role": "assistant", "content": "pong"}}]}))
            }
        }),
    );
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/v1", l.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(l, app).await });
    (url, seen)
}

/// Issue 15, point 7: the model API key and the SMTP password are sealed in the database
/// (never in clear, not even in the SQLite file's bytes) and still work; ones an older Baton
/// stored in clear are sealed at the next start.
#[tokio::test]
async fn the_model_key_and_the_smtp_password_are_sealed_at_rest() {
    const KEY: &str = "sk-canary-4242-model-key";
    const PASSWORD: &str = "canary-smtp-password-77";
    let (model_url, seen) = fake_model().await;
    for db in common::all_dbs().await {
        let b = Baton::open(&db.url).await.unwrap();
        b.agent_engine_set(
            &Actor::Local,
            EngineSettingsInput {
                agent_id: None,
                kind: EngineKind::Openai,
                base_url: Some(model_url.clone()),
                model: Some("m".into()),
                api_key: Some(KEY.into()),
                timeout_ms: None,
            },
        )
        .await
        .unwrap();
        b.settings_smtp_set(
            &Actor::Local,
            serde_json::from_value(json!({"host": "smtp.example.com", "port": 587,
                "security": "starttls", "username": "baton", "password": PASSWORD,
                "from": "baton@example.com"}))
            .unwrap(),
        )
        .await
        .unwrap();
        let keys = raw(&db, "SELECT api_key FROM agent_engines").await;
        let smtp = raw(&db, "SELECT value FROM app_settings WHERE key = 'smtp'").await;
        assert!(
            keys[0].starts_with("v1:") && !keys[0].contains(KEY),
            "{}",
            db.label
        );
        assert!(
            !smtp[0].contains(PASSWORD) && smtp[0].contains("\"v1:"),
            "{}",
            db.label
        );
        if let Some(file) = b.store().sqlite_file() {
            b.store().close().await;
            for f in [file.clone(), file.with_extension("db-wal")] {
                if let Ok(bytes) = std::fs::read(&f) {
                    let text = String::from_utf8_lossy(&bytes);
                    assert!(!text.contains(KEY) && !text.contains(PASSWORD), "{f:?}");
                }
            }
        }
        // Still usable: the key goes to the model, the password opens for the mailer.
        let b = Baton::open(&db.url).await.unwrap();
        assert_eq!(
            b.agent_engine_test(&Actor::Local, None).await.unwrap(),
            "pong"
        );
        assert_eq!(seen.lock().unwrap().pop().unwrap(), format!("Bearer {KEY}"));
        let smtp_api = b.settings_smtp_get(&Actor::Local).await.unwrap().unwrap();
        assert_eq!(smtp_api.password.as_deref(), Some("***"), "never answered");

        // What an older Baton left in clear is sealed at the next start, and still works.
        b.store().close().await;
        raw(&db, &format!("UPDATE agent_engines SET api_key = '{KEY}'")).await;
        raw(&db, &format!(
            "UPDATE app_settings SET value = '{{\"host\":\"smtp.example.com\",\"port\":587,\"security\":\"starttls\",\"username\":\"baton\",\"password\":\"{PASSWORD}\",\"from\":\"baton@example.com\"}}' WHERE key = 'smtp'"
        ))
        .await;
        let b = Baton::open(&db.url).await.unwrap();
        let keys = raw(&db, "SELECT api_key FROM agent_engines").await;
        let smtp = raw(&db, "SELECT value FROM app_settings WHERE key = 'smtp'").await;
        assert!(keys[0].starts_with("v1:"), "{}: {}", db.label, keys[0]);
        assert!(!smtp[0].contains(PASSWORD), "{}: {}", db.label, smtp[0]);
        assert_eq!(
            b.agent_engine_test(&Actor::Local, None).await.unwrap(),
            "pong"
        );
        assert_eq!(seen.lock().unwrap().pop().unwrap(), format!("Bearer {KEY}"));
        b.store().close().await;
    }
}

/// Issue 15, point 3: a token bound to one agent reaches that agent only, the playground's
/// RPC included, and sees no email addresses of the team; acting as an operator obeys that
/// operator's role, and a viewer cannot be assigned.
#[tokio::test]
async fn bound_tokens_stay_on_their_agent_and_acting_as_someone_obeys_their_role() {
    let s = TestServer::start(common::sqlite()).await;
    let rpc = |token: String, command: &'static str, args: serde_json::Value| {
        let url = s.url(&format!("/v1/rpc/{command}"));
        async move {
            let r = client()
                .post(url)
                .bearer_auth(token)
                .json(&args)
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            (status, r.json::<serde_json::Value>().await.unwrap())
        }
    };
    let admin = s.token.clone();
    let (st, shop) = rpc(admin.clone(), "agent_create", json!({"name": "Shop"})).await;
    assert_eq!(st, 200, "{shop}");
    let shop = shop["id"].as_i64().unwrap();
    let default = s.baton.store().agent_default_id().await.unwrap().unwrap();
    let bound = s
        .baton
        .token_create(
            &Actor::Local,
            baton::tokens::TokenCreate {
                name: "shop only".into(),
                agent_id: Some(shop),
            },
        )
        .await
        .unwrap()
        .token;

    // The playground on another agent: refused; on its own: fine.
    let (st, _) = rpc(
        bound.clone(),
        "visitor_start",
        json!({"agent_id": default, "channel": "playground"}),
    )
    .await;
    assert_eq!(st, 403);
    let (st, own) = rpc(
        bound.clone(),
        "visitor_start",
        json!({"channel": "playground"}),
    )
    .await;
    assert_eq!(st, 200, "{own}");
    assert_eq!(own["conversation"]["agent_id"], shop);
    // Another agent's conversation, even with its visitor token: refused, nothing stored.
    let (_, other) = rpc(
        admin.clone(),
        "visitor_start",
        json!({"channel": "playground"}),
    )
    .await;
    let send = json!({"conversation_id": other["conversation"]["id"],
        "visitor_token": other["visitor_token"], "message": {"text": "hello"}});
    let (st, _) = rpc(bound.clone(), "visitor_send", send.clone()).await;
    assert_eq!(st, 403);
    let (st, _) = rpc(admin.clone(), "visitor_send", send).await;
    assert_eq!(st, 200, "the admin token still plays on any agent");

    // The team: ids, names and roles for routing, no email addresses.
    let viewer = op(&s.baton, "vera", Role::Viewer).await;
    let (_, team) = rpc(bound.clone(), "operator_list", json!({})).await;
    assert!(
        team.as_array().unwrap().iter().all(|o| o["email"] == ""),
        "{team}"
    );
    assert!(team.as_array().unwrap().iter().any(|o| o["name"] == "vera"));
    let (_, team) = rpc(admin.clone(), "operator_list", json!({})).await;
    assert!(team
        .as_array()
        .unwrap()
        .iter()
        .any(|o| o["email"] == "vera@example.com"));

    // Acting as a viewer, or assigning one: refused at the field.
    s.baton
        .conversation_handoff(
            &Actor::Local,
            serde_json::from_value(json!({"id": other["conversation"]["id"]})).unwrap(),
        )
        .await
        .unwrap();
    let id = other["conversation"]["id"].clone();
    let (st, v) = rpc(
        admin.clone(),
        "conversation_reply",
        json!({"id": id, "text": "hi", "as_operator_id": viewer.id}),
    )
    .await;
    assert_eq!(st, 422, "{v}");
    assert_eq!(v["field"], "as_operator_id");
    let (st, v) = rpc(
        admin.clone(),
        "conversation_assign",
        json!({"id": id, "operator_id": viewer.id}),
    )
    .await;
    assert_eq!(st, 422, "{v}");
    assert_eq!(v["field"], "operator_id");
    let agent = op(&s.baton, "ada", Role::Agent).await;
    let (st, v) = rpc(
        admin,
        "conversation_reply",
        json!({"id": id, "text": "hi", "as_operator_id": agent.id}),
    )
    .await;
    assert_eq!(st, 200, "{v}");
    s.stop().await;
}

/// Issue 15, point 5: sign-in attempts are counted before the password is checked (parallel
/// guesses cannot slip past the count), per email *and* client, so a stranger cannot lock
/// Ada out of her own address, and kept in the database (a restart forgets nothing).
#[tokio::test]
async fn sign_in_limits_are_atomic_per_pair_and_survive_a_restart() {
    use baton::sessions::{LoginInput, LOGIN_MAX_FAILURES};
    for db in common::all_dbs().await {
        let b = Baton::open(&db.url).await.unwrap();
        op(&b, "ada", Role::Agent).await;
        let stranger: std::net::IpAddr = "203.0.113.66".parse().unwrap();
        let ada_home: std::net::IpAddr = "198.51.100.10".parse().unwrap();
        let login = |b: Baton, password: &'static str, client| async move {
            b.session_login(
                LoginInput {
                    email: "ada@example.com".into(),
                    password: password.into(),
                },
                Some(client),
            )
            .await
        };
        let tries: Vec<_> = (0..40)
            .map(|_| tokio::spawn(login(b.clone(), "wrong-password", stranger)))
            .collect();
        let (mut checked, mut refused) = (0, 0);
        for t in tries {
            match t.await.unwrap() {
                Err(Error::Unauthorized(_)) => checked += 1,
                Err(Error::TooManyRequests { .. }) => refused += 1,
                other => panic!("{other:?}"),
            }
        }
        // Never more than the limit checked (an attempt is counted before its check); fewer
        // when the client's own limit (20) is passed by the others first.
        assert!(
            (1..=LOGIN_MAX_FAILURES).contains(&checked),
            "{}: {checked} passwords checked",
            db.label
        );
        assert_eq!(checked + refused, 40);
        // The stranger stopped themselves, not Ada.
        assert!(
            login(b.clone(), "long-password", ada_home).await.is_ok(),
            "{}",
            db.label
        );
        assert!(matches!(
            login(b.clone(), "long-password", stranger).await,
            Err(Error::TooManyRequests { .. })
        ));
        // A restart (or another server on the database) remembers.
        b.store().close().await;
        let b = Baton::open(&db.url).await.unwrap();
        assert!(
            matches!(
                login(b.clone(), "long-password", stranger).await,
                Err(Error::TooManyRequests { .. })
            ),
            "{}",
            db.label
        );
        assert!(login(b.clone(), "long-password", ada_home).await.is_ok());
        b.store().close().await;
    }
}
