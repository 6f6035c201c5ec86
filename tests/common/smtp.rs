//! A real SMTP server on loopback for tests: `tests/support/smtp_sink.py` (aiosmtpd), started
//! as a child process that writes what it receives to a temporary directory and exits when its
//! stdin closes.
#![allow(dead_code)]

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use baton::notify::{SmtpSecurity, SmtpSettings};
use serde::Deserialize;

pub const PIP_INSTALL: &str = "python3 -m pip install aiosmtpd";
pub const FROM: &str = "Baton <handoff@example.com>";

// ---------------------------------------------------------------------------------------------
// The SMTP sink

/// A running `smtp_sink.py`. Dropping it closes the server's stdin (it exits) and reaps it.
pub struct Sink {
    pub child: Child,
    pub port: u16,
    pub dir: tempfile::TempDir,
}

/// One received message, as described by the sink's `NNNN.json`.
#[derive(Debug, Deserialize)]
pub struct Received {
    pub mail_from: String,
    pub rcpt_tos: Vec<String>,
    pub authenticated: bool,
    pub eml: String,
    pub headers: Vec<(String, String)>,
    pub subject: Option<String>,
    pub to: Option<String>,
    pub from: Option<String>,
    pub content_type: String,
    pub text: Option<String>,
    pub html: Option<String>,
    pub parts: Vec<String>,
    /// The raw message, read from `eml`.
    #[serde(skip)]
    pub raw: String,
}

impl Received {
    pub fn text(&self) -> &str {
        self.text.as_deref().expect("a text/plain part")
    }
    pub fn html(&self) -> &str {
        self.html.as_deref().expect("a text/html part")
    }
    pub fn has_header(&self, name: &str) -> bool {
        self.headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(name))
    }
}

/// Why the sink can't run here, if it can't.
pub fn tools_missing() -> Option<String> {
    let out = Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output();
    match out {
        Err(e) => Some(format!("python3 can't be run ({e})")),
        Ok(o) if !o.status.success() => Some(format!(
            "python3 can't import aiosmtpd ({})",
            String::from_utf8_lossy(&o.stderr)
                .lines()
                .last()
                .unwrap_or("")
                .trim()
        )),
        Ok(_) => None,
    }
}

impl Sink {
    /// Starts a sink (`auth`: `"user:pass"` to require AUTH). `None`: tools missing and not
    /// required, the caller returns early.
    pub fn start(auth: Option<&str>) -> Option<Sink> {
        if let Some(why) = tools_missing() {
            if std::env::var_os("BATON_REQUIRE_TOOLS").is_some() {
                panic!(
                    "{why}. BATON_REQUIRE_TOOLS is set, so the SMTP tests can't be skipped: \
                     install it with `{PIP_INSTALL}`"
                );
            }
            eprintln!(
                "note: skipping an SMTP test: {why}. Install it with `{PIP_INSTALL}` \
                 (set BATON_REQUIRE_TOOLS=1 to make this a failure)."
            );
            return None;
        }

        let dir = tempfile::tempdir().expect("temporary directory");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/smtp_sink.py");
        let log = File::create(dir.path().join("sink.log")).expect("sink log");
        let mut cmd = Command::new("python3");
        cmd.arg(&script)
            .args(["--port", "0", "--dir"])
            .arg(dir.path().join("mail"));
        if let Some(auth) = auth {
            cmd.args(["--auth", auth]);
        }
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log))
            .spawn()
            .expect("start tests/support/smtp_sink.py");

        // The sink prints its port once it accepts connections; read it on a thread so a
        // sink that hangs fails the test instead of blocking it.
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let read = BufReader::new(stdout).read_line(&mut line).map(|_| line);
            let _ = tx.send(read);
        });
        let mut sink = Sink {
            child,
            port: 0,
            dir,
        };
        let port = match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(Ok(line)) => line.trim().parse::<u16>().ok().filter(|p| *p != 0),
            _ => None,
        };
        match port {
            Some(port) => sink.port = port,
            None => panic!(
                "smtp_sink.py did not report its port; its log:\n{}",
                sink.log()
            ),
        }
        Some(sink)
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("sink.log")).unwrap_or_default()
    }

    /// Messages received so far, in order.
    pub fn messages(&self) -> Vec<Received> {
        let mail = self.dir.path().join("mail");
        let mut files: Vec<PathBuf> = std::fs::read_dir(&mail)
            .map(|entries| {
                entries
                    .map(|e| e.expect("directory entry").path())
                    .filter(|p| p.extension().is_some_and(|e| e == "json"))
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        files
            .iter()
            .map(|path| {
                let json = std::fs::read_to_string(path).expect("read message json");
                let mut m: Received = serde_json::from_str(&json).expect("message json");
                m.raw = String::from_utf8_lossy(&std::fs::read(mail.join(&m.eml)).expect("eml"))
                    .into_owned();
                m
            })
            .collect()
    }

    pub fn settings(&self) -> SmtpSettings {
        settings(self.port)
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        drop(self.child.stdin.take()); // EOF: the sink shuts down.
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn settings(port: u16) -> SmtpSettings {
    SmtpSettings {
        host: "127.0.0.1".into(),
        port,
        security: SmtpSecurity::None,
        username: None,
        password: None,
        from: FROM.into(),
    }
}
