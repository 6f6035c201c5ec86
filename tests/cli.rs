//! The `baton` binary: subcommands, `--db` / `BATON_DATABASE_URL`, and `serve` with a graceful
//! shutdown on SIGTERM.

use crate::common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

fn baton(db: &str, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_baton"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("BATON_DATABASE_URL")
        .output()
        .expect("run baton");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn agents_operators_tokens_and_hours_from_the_command_line() {
    let db = common::sqlite();
    let (ok, out, err) = baton(&db.url, &["migrate"]);
    assert!(ok, "{err}");
    assert!(out.contains("up to date"));

    let (ok, out, _) = baton(&db.url, &["agent", "list"]);
    assert!(ok);
    assert!(
        out.contains("My AI agent") && out.contains("(default)"),
        "{out}"
    );
    let (ok, out, _) = baton(
        &db.url,
        &["agent", "create", "--name", "Shop", "--language", "fr"],
    );
    assert!(ok);
    assert!(out.contains("Shop"));
    let (ok, _, err) = baton(&db.url, &["agent", "create", "--name", ""]);
    assert!(!ok);
    assert!(err.contains("name"), "{err}");

    // The token is printed once, on stdout; listings show only its prefix.
    let (ok, token, _) = baton(
        &db.url,
        &["token", "create", "--name", "ci", "--agent", "2"],
    );
    assert!(ok);
    let token = token.trim().to_owned();
    assert!(token.starts_with("baton_") && token.len() == 70, "{token}");
    let (_, list, _) = baton(&db.url, &["token", "list"]);
    assert!(list.contains("ci") && list.contains("agent=2") && list.contains("active"));
    assert!(!list.contains(&token));
    let (ok, out, _) = baton(&db.url, &["token", "revoke", "1"]);
    assert!(ok && out.contains("revoked"));
    let (_, list, _) = baton(&db.url, &["--json", "token", "list"]);
    let list: serde_json::Value = serde_json::from_str(&list).unwrap();
    assert!(list[0]["revoked_at"].is_string());

    let mut child = Command::new(env!("CARGO_BIN_EXE_baton"))
        .args([
            "operator",
            "add",
            "--name",
            "Ann",
            "--email",
            "ann@example.com",
            "--role",
            "admin",
            "--password-stdin",
        ])
        .env("BATON_DATABASE_URL", &db.url)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"s3cret-pass\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let (_, list, _) = baton(&db.url, &["--json", "operator", "list"]);
    let list: serde_json::Value = serde_json::from_str(&list).unwrap();
    assert_eq!(list[0]["email"], "ann@example.com");
    assert_eq!(list[0]["role"], "admin");
    assert_eq!(list[0]["has_password"], true);
    let (ok, _, err) = baton(
        &db.url,
        &[
            "operator", "add", "--name", "B", "--email", "b@x.io", "--role", "chief",
        ],
    );
    assert!(!ok && err.contains("unknown role"), "{err}");

    // Working hours are off by default: always open.
    let (ok, out, _) = baton(&db.url, &["hours", "check"]);
    assert!(ok);
    assert!(out.starts_with("open"), "{out}");
}

#[tokio::test]
async fn hours_check_reports_the_next_opening() {
    let db = common::sqlite();
    let b = baton::Baton::open(&db.url).await.unwrap();
    let update = serde_json::from_value(serde_json::json!({
        "settings": {"working_hours_active": true, "timezone": "America/New_York"},
        "availability": [{"day_span": "monday-friday", "start_time": "09:00", "end_time": "17:00"}],
        "availability_exceptions": [{"date": "2026-11-26", "name": "Thanksgiving", "closed": true}]
    }))
    .unwrap();
    b.handoff_config_update(&baton::auth::Actor::Local, None, update)
        .await
        .unwrap();
    b.store().close().await;

    let (ok, out, err) = baton(&db.url, &["hours", "check", "--at", "2026-11-21T12:00:00Z"]);
    assert!(ok, "{err}");
    assert_eq!(
        out.trim(),
        "closed — next opening Monday 2026-11-23 09:00 America/New_York (in 2 d 2 h)"
    );
    let (_, out, _) = baton(
        &db.url,
        &[
            "hours",
            "check",
            "--at",
            "2026-11-23T15:00:00Z",
            "--visitor-timezone",
            "Asia/Tokyo",
        ],
    );
    assert!(
        out.starts_with("open — closes Monday 2026-11-23 17:00 America/New_York (in 7 h 0 min)"),
        "{out}"
    );
    // Wednesday evening before Thanksgiving: next opening is Friday.
    let (_, out, _) = baton(
        &db.url,
        &[
            "--json",
            "hours",
            "check",
            "--at",
            "2026-11-25T23:00:00Z",
            "--visitor-timezone",
            "Asia/Tokyo",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["open"], false);
    assert_eq!(v["next_opening"], "2026-11-27T14:00:00Z");
    assert_eq!(v["next_opening_visitor"], "2026-11-27T23:00:00+09:00");
    let (ok, _, err) = baton(&db.url, &["hours", "check", "--agent", "99"]);
    assert!(!ok && err.contains("agent not found"), "{err}");
}

#[test]
fn bad_database_urls_fail_clearly() {
    let (ok, _, err) = baton("mysql://root:hunter2@localhost/x", &["agent", "list"]);
    assert!(!ok);
    assert!(err.contains("unsupported database URL"), "{err}");
    assert!(
        !err.contains("hunter2"),
        "the password must not be printed: {err}"
    );
}

#[cfg(unix)]
#[test]
fn serve_prints_a_first_token_and_shuts_down_gracefully_on_sigterm() {
    let db = common::sqlite();
    let mut child = Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(["--db", &db.url, "serve", "--bind", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut token = None;
    let mut addr = None;
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some(t) = line.trim().strip_prefix("baton_") {
            token = Some(format!("baton_{t}"));
        }
        if let Some(rest) = line.strip_prefix("Baton is serving on http://") {
            addr = rest.split_whitespace().next().map(str::to_owned);
            break;
        }
    }
    let (token, addr) = (
        token.expect("first token printed"),
        addr.expect("address printed"),
    );
    let rt = tokio::runtime::Runtime::new().unwrap();
    let status = rt.block_on(async {
        reqwest::Client::new()
            .get(format!("http://{addr}/v1/api/human_handoff/configuration"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .status()
    });
    assert_eq!(status, 200);
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "graceful exit on SIGTERM, got {status:?}");
    // A second start does not print another token: one already exists.
    let out = Command::new("timeout")
        .args([
            "3",
            env!("CARGO_BIN_EXE_baton"),
            "--db",
            &db.url,
            "serve",
            "--bind",
            "127.0.0.1:0",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("Baton is serving on"), "{stdout}");
    assert!(!stdout.contains("baton_"), "{stdout}");
}

#[test]
fn secrets_rotate_seals_again_and_replaces_the_key_file() {
    let db = common::sqlite();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let dir = std::path::PathBuf::from(db.url.trim_start_matches("sqlite://"))
        .parent()
        .unwrap()
        .to_owned();
    rt.block_on(async {
        let b = baton::Baton::open(&db.url).await.unwrap();
        b.action_create(
            &baton::auth::Actor::Local,
            serde_json::from_value(serde_json::json!({
                "name": "orders", "method": "GET", "url": "https://api.shop.example/orders",
                "auth": {"kind": "bearer", "secret": "tok-123"}
            }))
            .unwrap(),
        )
        .await
        .unwrap();
        b.store().close().await;
    });
    let key_file = dir.join("secret.key");
    let before = std::fs::read_to_string(&key_file).expect("the key file beside the database");
    let (ok, out, err) = baton(&db.url, &["secrets", "rotate"]);
    assert!(ok, "{err}");
    assert!(out.contains("1 secrets sealed again"), "{out}");
    assert!(out.contains("now holds the new key"), "{out}");
    let after = std::fs::read_to_string(&key_file).unwrap();
    assert_ne!(before.trim(), after.trim());
    assert!(
        !dir.join("secret.key.new").exists(),
        "the staged key was moved into place"
    );
    // The new key opens the secret: a second rotation reads it with the key now in the file.
    let (ok, out, err) = baton(&db.url, &["secrets", "rotate"]);
    assert!(ok, "{err}");
    assert!(out.contains("1 secrets sealed again"), "{out}");
    assert!(
        err.is_empty() || !err.contains("opens with neither"),
        "{err}"
    );
}
