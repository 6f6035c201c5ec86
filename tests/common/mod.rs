//! Test harness: fresh databases (SQLite always, PostgreSQL when `BATON_TEST_POSTGRES_URL`
//! names a server whose user may create databases) and a real server on an ephemeral port.
#![allow(dead_code)]

use std::sync::atomic::{AtomicU32, Ordering};

use baton::auth::Actor;
use baton::tokens::TokenCreate;
use baton::Baton;
use sqlx::{Connection, Executor};

static COUNTER: AtomicU32 = AtomicU32::new(0);

pub struct TestDb {
    pub label: &'static str,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

pub fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("baton.db").display());
    TestDb {
        label: "sqlite",
        url,
        _dir: Some(dir),
    }
}

/// A new, empty PostgreSQL database, or None when no server is configured. With
/// `BATON_REQUIRE_POSTGRES=1` (as in CI) a missing server fails the test instead.
pub async fn postgres() -> Option<TestDb> {
    let Ok(admin) = std::env::var("BATON_TEST_POSTGRES_URL") else {
        assert!(
            std::env::var("BATON_REQUIRE_POSTGRES").is_err(),
            "BATON_REQUIRE_POSTGRES is set but BATON_TEST_POSTGRES_URL is not"
        );
        eprintln!("note: BATON_TEST_POSTGRES_URL not set; PostgreSQL part skipped");
        return None;
    };
    let name = format!(
        "baton_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst),
        rand_suffix()
    );
    let mut conn = sqlx::postgres::PgConnection::connect(&admin)
        .await
        .expect("connect to BATON_TEST_POSTGRES_URL");
    conn.execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .expect("create test database");
    let mut url = url::Url::parse(&admin).expect("postgres url");
    url.set_path(&name);
    Some(TestDb {
        label: "postgres",
        url: url.to_string(),
        _dir: None,
    })
}

fn rand_suffix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos() as u64)
        .unwrap_or(0)
}

/// SQLite, plus PostgreSQL when available.
pub async fn all_dbs() -> Vec<TestDb> {
    let mut v = vec![sqlite()];
    v.extend(postgres().await);
    v
}

pub struct TestServer {
    pub base: String,
    pub token: String,
    pub baton: Baton,
    pub db: TestDb,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl TestServer {
    pub async fn start(db: TestDb) -> TestServer {
        let baton = Baton::open(&db.url).await.expect("open database");
        let token = baton
            .token_create(
                &Actor::Local,
                TokenCreate {
                    name: "test admin".into(),
                    agent_id: None,
                },
            )
            .await
            .expect("token")
            .token;
        let listener = baton::http::bind("127.0.0.1:0".parse().unwrap())
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(baton::http::serve(baton.clone(), listener, async {
            let _ = rx.await;
        }));
        TestServer {
            base,
            token,
            baton,
            db,
            stop: Some(tx),
            task: Some(task),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// `127.0.0.1:PORT`: what a browser on this server's pages sends as `Host`.
    pub fn base_authority(&self) -> &str {
        self.base.trim_start_matches("http://")
    }

    /// Stops the server gracefully and waits for it.
    pub async fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.expect("server task").expect("server io");
        }
    }
}

/// Saves (a part of) the default agent's handoff configuration, as the local app.
pub async fn configure(b: &Baton, v: serde_json::Value) {
    b.handoff_config_update(&Actor::Local, None, serde_json::from_value(v).unwrap())
        .await
        .unwrap();
}

/// A new operator (no password) with an email made from the name; its id.
pub async fn operator(b: &Baton, name: &str, role: baton::operators::Role) -> baton::Id {
    b.operator_create(
        &Actor::Local,
        baton::operators::OperatorCreate {
            name: name.into(),
            email: format!("{}@example.com", name.to_lowercase()),
            role,
            password: None,
        },
    )
    .await
    .unwrap()
    .id
}

/// The conversation's decision records as (step, outcome), in order.
pub async fn steps(b: &Baton, id: baton::Id) -> Vec<(String, String)> {
    b.conversation_open(&Actor::Local, id)
        .await
        .unwrap()
        .decisions
        .into_iter()
        .map(|d| (d.step, d.outcome))
        .collect()
}

/// Points the default agent at an OpenAI-compatible model (a loopback fake) named
/// `fake-model`, with this timeout.
pub async fn use_model(b: &Baton, base_url: &str, timeout_ms: u64) {
    use baton::engine::settings::{EngineKind, EngineSettingsInput};
    b.agent_engine_set(
        &Actor::Local,
        EngineSettingsInput {
            agent_id: None,
            kind: EngineKind::Openai,
            base_url: Some(base_url.into()),
            model: Some("fake-model".into()),
            api_key: None,
            timeout_ms: Some(timeout_ms),
        },
    )
    .await
    .unwrap();
}

pub fn client() -> reqwest::Client {
    reqwest::Client::new()
}
pub mod smtp;
pub mod tracing_capture;

/// A visitor's conversation on the default agent, on `channel`.
pub async fn start(
    b: &Baton,
    channel: baton::conversations::Channel,
) -> baton::conversations::pipeline::VisitorSession {
    b.conversation_start(baton::conversations::pipeline::ConversationStart {
        channel: Some(channel),
        ..Default::default()
    })
    .await
    .unwrap()
}

/// The visitor writes `text`; the pipeline's answer.
pub async fn say(
    b: &Baton,
    s: &baton::conversations::pipeline::VisitorSession,
    text: &str,
) -> baton::conversations::pipeline::VisitorReply {
    b.visitor_message(
        s.conversation.id,
        &s.visitor_token,
        baton::conversations::pipeline::VisitorMessageInput {
            text: text.into(),
            ..Default::default()
        },
    )
    .await
    .unwrap()
}
