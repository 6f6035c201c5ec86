//! The `baton` command line. Every subcommand takes `--db URL` (or `BATON_DATABASE_URL`),
//! defaulting to the embedded SQLite file in the OS data directory.

use std::io::Read;
use std::net::SocketAddr;

use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};

use crate::agents::AgentCreate;
use crate::auth::Actor;
use crate::operators::{OperatorCreate, Role};
use crate::outbound::redact_url;
use crate::store::default_sqlite_url;
use crate::tokens::TokenCreate;
use crate::{http, Baton, Id};

#[derive(Debug, Parser)]
#[command(name = "baton", version, about = "Human handoff for AI chat agents")]
pub struct Cli {
    /// Database URL: sqlite://PATH or postgres://USER:PASSWORD@HOST/DB
    /// [default: baton.db in the OS data directory]
    #[arg(long, global = true, env = "BATON_DATABASE_URL")]
    pub db: Option<String>,
    /// Print results as JSON.
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP API server.
    Serve {
        /// Address to listen on. Loopback by default: expose it deliberately.
        #[arg(long, default_value = "127.0.0.1:8787", env = "BATON_BIND")]
        bind: SocketAddr,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// API tokens.
    #[command(subcommand)]
    Token(TokenCmd),
    /// AI agents.
    #[command(subcommand)]
    Agent(AgentCmd),
    /// Operators (team members).
    #[command(subcommand)]
    Operator(OperatorCmd),
    /// Working hours.
    #[command(subcommand)]
    Hours(HoursCmd),
}

#[derive(Debug, Subcommand)]
pub enum TokenCmd {
    /// Create a token and print it (once: only its hash is stored).
    Create {
        #[arg(long)]
        name: String,
        /// Bind the token to one agent.
        #[arg(long)]
        agent: Option<Id>,
    },
    List,
    Revoke {
        id: Id,
    },
}

#[derive(Debug, Subcommand)]
pub enum AgentCmd {
    List,
    Create {
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        description: String,
        #[arg(long)]
        language: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum OperatorCmd {
    Add {
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: String,
        /// owner, admin, agent or viewer
        #[arg(long, default_value = "agent")]
        role: Role,
        /// Read a sign-in password from standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    List,
}

#[derive(Debug, Subcommand)]
pub enum HoursCmd {
    /// Print whether the agent's team is available, and the next opening.
    Check {
        /// Agent id (default: the default agent).
        #[arg(long)]
        agent: Option<Id>,
        /// Instant to check, RFC 3339 (default: now).
        #[arg(long)]
        at: Option<DateTime<Utc>>,
        /// Also show the next opening in this IANA time zone.
        #[arg(long)]
        visitor_timezone: Option<String>,
    },
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let url = cli.db.clone().unwrap_or_else(default_sqlite_url);
    let baton = Baton::open(&url)
        .await
        .map_err(|e| anyhow::anyhow!("cannot open database {}: {e}", redact_url(&url)))?;
    let me = Actor::Local;
    let json = cli.json;
    match cli.command {
        Command::Serve { bind } => serve(baton.clone(), &url, bind).await?,
        Command::Migrate => println!("database {} is up to date", redact_url(&url)),
        Command::Token(TokenCmd::Create { name, agent }) => {
            let t = baton
                .token_create(
                    &me,
                    TokenCreate {
                        name,
                        agent_id: agent,
                    },
                )
                .await?;
            if json {
                print_json(&t)?;
            } else {
                println!("{}", t.token);
                eprintln!("token {} created; it is shown only this once.", t.info.id);
            }
        }
        Command::Token(TokenCmd::List) => {
            let list = baton.token_list(&me).await?;
            if json {
                print_json(&list)?;
            } else {
                for t in list {
                    println!(
                        "{:>4}  {:<24} {}…  agent={}  created={}  {}",
                        t.id,
                        t.name,
                        t.prefix,
                        t.agent_id.map_or("any".into(), |a| a.to_string()),
                        t.created_at.format("%Y-%m-%d %H:%M"),
                        t.revoked_at.map_or("active".into(), |r| format!(
                            "revoked {}",
                            r.format("%Y-%m-%d %H:%M")
                        )),
                    );
                }
            }
        }
        Command::Token(TokenCmd::Revoke { id }) => {
            let t = baton.token_revoke(&me, id).await?;
            if json {
                print_json(&t)?;
            } else {
                println!("token {} ({}) revoked", t.id, t.name);
            }
        }
        Command::Agent(AgentCmd::List) => {
            let list = baton.agent_list(&me).await?;
            if json {
                print_json(&list)?;
            } else {
                for a in list {
                    println!(
                        "{:>4}  {:<32} {:<6}{}",
                        a.id,
                        a.name,
                        a.language,
                        if a.is_default { " (default)" } else { "" }
                    );
                }
            }
        }
        Command::Agent(AgentCmd::Create {
            name,
            description,
            language,
        }) => {
            let a = baton
                .agent_create(
                    &me,
                    AgentCreate {
                        name,
                        description,
                        language,
                    },
                )
                .await?;
            if json {
                print_json(&a)?;
            } else {
                println!("agent {} created: {}", a.id, a.name);
            }
        }
        Command::Operator(OperatorCmd::Add {
            name,
            email,
            role,
            password_stdin,
        }) => {
            let password = if password_stdin {
                let mut s = String::new();
                std::io::stdin().read_to_string(&mut s)?;
                Some(s.trim_end_matches(['\r', '\n']).to_owned())
            } else {
                None
            };
            let o = baton
                .operator_create(
                    &me,
                    OperatorCreate {
                        name,
                        email,
                        role,
                        password,
                    },
                )
                .await?;
            if json {
                print_json(&o)?;
            } else {
                println!(
                    "operator {} added: {} <{}> ({})",
                    o.id,
                    o.name,
                    o.email,
                    o.role.as_str()
                );
            }
        }
        Command::Operator(OperatorCmd::List) => {
            let list = baton.operator_list(&me).await?;
            if json {
                print_json(&list)?;
            } else {
                for o in list {
                    println!(
                        "{:>4}  {:<24} {:<32} {:<7}{}",
                        o.id,
                        o.name,
                        o.email,
                        o.role.as_str(),
                        if o.is_active { "" } else { " (inactive)" }
                    );
                }
            }
        }
        Command::Hours(HoursCmd::Check {
            agent,
            at,
            visitor_timezone,
        }) => {
            let s = baton
                .hours_check(&me, agent, at, visitor_timezone.as_deref())
                .await?;
            if json {
                print_json(&s)?;
            } else {
                println!("{}", describe_hours(&s));
            }
        }
    }
    baton.store().close().await;
    Ok(())
}

fn print_json<T: serde::Serialize>(v: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(v)?);
    Ok(())
}

/// "open — closes …" / "closed — opens …", with local times and the wait.
pub fn describe_hours(s: &crate::handoff::hours::HoursStatus) -> String {
    if !s.working_hours_active {
        return "open (working hours are off: handoff is available at any time)".into();
    }
    let tz: chrono_tz::Tz = s.timezone.parse().unwrap_or(chrono_tz::UTC);
    let when = |t: DateTime<Utc>| {
        format!(
            "{} {} (in {})",
            t.with_timezone(&tz).format("%A %Y-%m-%d %H:%M"),
            s.timezone,
            human_duration(t - s.at)
        )
    };
    let mut out = if s.open {
        match s.next_closing {
            Some(c) => format!("open — closes {}", when(c)),
            None => "open".into(),
        }
    } else {
        match s.next_opening {
            Some(o) => format!("closed — next opening {}", when(o)),
            None => "closed — no opening in the next year".into(),
        }
    };
    if let Some(v) = &s.next_opening_visitor {
        out.push_str(&format!("\nfor the visitor: {v}"));
    }
    out
}

fn human_duration(d: chrono::TimeDelta) -> String {
    let mins = d.num_minutes().max(0);
    let (days, hours, m) = (mins / 1440, mins % 1440 / 60, mins % 60);
    match (days, hours) {
        (0, 0) => format!("{m} min"),
        (0, h) => format!("{h} h {m} min"),
        (d, h) => format!("{d} d {h} h"),
    }
}

async fn serve(baton: Baton, url: &str, bind: SocketAddr) -> anyhow::Result<()> {
    let me = Actor::Local;
    // First start: print an admin token so the API can be used right away.
    if baton
        .token_list(&me)
        .await?
        .iter()
        .all(|t| t.revoked_at.is_some())
    {
        let t = baton
            .token_create(
                &me,
                TokenCreate {
                    name: "first admin token".into(),
                    agent_id: None,
                },
            )
            .await?;
        println!(
            "First admin API token (shown once, store it now):\n\n    {}\n",
            t.token
        );
    }
    let listener = http::bind(bind)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {bind}: {e}"))?;
    let addr = listener.local_addr()?;
    baton.serving_at(addr);
    println!(
        "Baton is serving on http://{addr} (database: {}, {})",
        redact_url(url),
        baton.store().backend()
    );
    if !addr.ip().is_loopback() {
        tracing::warn!(%addr, "listening on a non-loopback address: the API is reachable from the network");
    }
    // Deliveries (handoff emails) go out from the outbox, retried when SMTP is down; other
    // servers on the same PostgreSQL database share it.
    let worker = tokio::spawn(baton.clone().outbox_worker());
    http::serve(baton.clone(), listener, http::shutdown_signal()).await?;
    worker.abort();
    baton.store().close().await;
    Ok(())
}
