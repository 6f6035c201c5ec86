//! The `baton` command line. Every subcommand takes `--db URL` (or `BATON_DATABASE_URL`),
//! defaulting to the embedded SQLite file in the OS data directory.

use std::io::Read;
use std::net::SocketAddr;

use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};

use crate::actions::model::{ActionLogQuery, ActionOutcome, ActionTestArgs};
use crate::agents::AgentCreate;
use crate::auth::Actor;
use crate::operators::{OperatorCreate, Role};
use crate::outbound::redact_url;
use crate::store::default_sqlite_url;
use crate::tokens::TokenCreate;
use crate::webhooks::model::{WebhookDeliveryQuery, WebhookDeliveryStatus};
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
        /// Days action execution logs are kept.
        #[arg(long, default_value_t = crate::actions::validate::LOG_RETENTION_DEFAULT_DAYS, env = "BATON_ACTION_LOG_DAYS")]
        action_log_days: u32,
        /// Days finished webhook deliveries (delivered, exhausted, failed) stay in the
        /// delivery log.
        #[arg(long, default_value_t = crate::webhooks::validate::DELIVERY_RETENTION_DEFAULT_DAYS, env = "BATON_WEBHOOK_DELIVERY_DAYS")]
        webhook_delivery_days: u32,
        #[command(flatten)]
        edge: EdgeArgs,
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
    /// HTTP request actions: list, test, execution logs.
    #[command(subcommand)]
    Action(ActionCmd),
    /// Webhook endpoints: list, test, delivery log.
    #[command(subcommand)]
    Webhook(WebhookCmd),
    /// Leads: export.
    #[command(subcommand)]
    Leads(LeadsCmd),
    /// The key stored secrets are sealed with.
    #[command(subcommand)]
    Secrets(SecretsCmd),
}

#[derive(Debug, Subcommand)]
pub enum SecretsCmd {
    /// Seal every stored secret (actions' credentials, model API keys, webhook secrets, the
    /// SMTP password) again under a new key, then put the new key in place of the old: the key
    /// file is replaced, or with BATON_SECRET_KEY the new key is printed once, to give every
    /// server. Stop the servers first; start them again after.
    Rotate,
}

/// The public edge's limits (docs/api.md, "Limits at the edge").
#[derive(Debug, clap::Args)]
pub struct EdgeArgs {
    /// Seconds a request's headers may take (also how long an idle keep-alive connection stays).
    #[arg(long, default_value_t = 10, env = "BATON_HEADER_TIMEOUT_SECS", value_parser = clap::value_parser!(u64).range(1..=3600))]
    header_timeout_secs: u64,
    /// Seconds a request's body may take.
    #[arg(long, default_value_t = 30, env = "BATON_BODY_TIMEOUT_SECS", value_parser = clap::value_parser!(u64).range(1..=3600))]
    body_timeout_secs: u64,
    /// Connections served at once; more wait until one closes.
    #[arg(long, default_value_t = 1024, env = "BATON_MAX_CONNECTIONS", value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    max_connections: u32,
    /// Conversations one client address may start per minute (0: no limit).
    #[arg(long, default_value_t = 30, env = "BATON_VISITOR_STARTS_PER_MINUTE")]
    visitor_starts_per_minute: u32,
    /// Visitor messages, forms and ends one client address may post per minute (0: no limit).
    #[arg(long, default_value_t = 120, env = "BATON_VISITOR_POSTS_PER_MINUTE")]
    visitor_posts_per_minute: u32,
    /// Visitor posts one conversation may receive per minute (0: no limit).
    #[arg(
        long,
        default_value_t = 30,
        env = "BATON_CONVERSATION_POSTS_PER_MINUTE"
    )]
    conversation_posts_per_minute: u32,
    /// A reverse proxy (address or CIDR, repeatable) whose X-Forwarded-For names the client.
    #[arg(long = "trusted-proxy", env = "BATON_TRUSTED_PROXIES", value_delimiter = ',', value_parser = parse_net)]
    trusted_proxies: Vec<ipnet::IpNet>,
}

fn parse_net(s: &str) -> Result<ipnet::IpNet, String> {
    let s = s.trim();
    s.parse::<ipnet::IpNet>()
        .or_else(|_| s.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| format!("'{s}' is not an IP address or a CIDR block like 10.0.0.0/8"))
}

impl EdgeArgs {
    fn limits(self) -> http::ServeLimits {
        http::ServeLimits {
            header_timeout: std::time::Duration::from_secs(self.header_timeout_secs),
            body_timeout: std::time::Duration::from_secs(self.body_timeout_secs),
            max_connections: self.max_connections as usize,
            visitors: http::edge::EdgeLimits {
                starts_per_minute: self.visitor_starts_per_minute,
                posts_per_minute: self.visitor_posts_per_minute,
                conversation_posts_per_minute: self.conversation_posts_per_minute,
                trusted_proxies: self.trusted_proxies,
            },
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum LeadsCmd {
    /// Export the leads of whole days (business time zone, both ends included) to a file.
    /// It is written beside the target and renamed at the end: a failure leaves no half file.
    Export {
        /// `csv` or `xlsx`.
        #[arg(long)]
        format: String,
        /// First day, YYYY-MM-DD.
        #[arg(long)]
        from: String,
        /// Last day (included), YYYY-MM-DD.
        #[arg(long)]
        to: String,
        /// Where to write (default: `leads-FROM-to-TO.EXT` here).
        #[arg(short = 'o', long)]
        output: Option<std::path::PathBuf>,
        /// Comma-separated columns (default: all).
        #[arg(long)]
        columns: Option<String>,
        /// Agent id (default: the default agent).
        #[arg(long)]
        agent: Option<Id>,
        /// CSV: no UTF-8 byte-order mark.
        #[arg(long)]
        no_bom: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum WebhookCmd {
    /// The webhook endpoints of an agent.
    List {
        /// Agent id (default: the default agent).
        #[arg(long)]
        agent: Option<Id>,
    },
    /// Send a signed `webhook.test` event now and print the answer.
    Test { id: Id },
    /// The delivery log of an endpoint, newest first, with every attempt.
    Deliveries {
        id: Id,
        /// pending, retrying, sending, delivered, exhausted or failed
        #[arg(long, value_parser = delivery_status)]
        status: Option<WebhookDeliveryStatus>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
}

fn delivery_status(s: &str) -> Result<WebhookDeliveryStatus, String> {
    WebhookDeliveryStatus::parse(s).ok_or_else(|| {
        let all: Vec<&str> = WebhookDeliveryStatus::ALL
            .iter()
            .map(|o| o.as_str())
            .collect();
        format!("unknown status {s:?}: use one of {}", all.join(", "))
    })
}

#[derive(Debug, Subcommand)]
pub enum ActionCmd {
    /// The actions of an agent.
    List {
        /// Agent id (default: the default agent).
        #[arg(long)]
        agent: Option<Id>,
    },
    /// Run an action with sample values (really calls the endpoint) and print what was sent,
    /// what came back and what the visitor would be told.
    Test {
        id: Id,
        /// A parameter value, NAME=VALUE (repeatable).
        #[arg(long = "param", value_parser = key_value)]
        params: Vec<(String, String)>,
        /// A conversation variable, NAME=VALUE, e.g. lead.email=jane@example.com (repeatable).
        #[arg(long = "var", value_parser = key_value)]
        vars: Vec<(String, String)>,
    },
    /// The execution log, newest first.
    Logs {
        #[arg(long)]
        agent: Option<Id>,
        #[arg(long)]
        action: Option<Id>,
        /// success, http_error, timeout, blocked, invalid_response or skipped
        #[arg(long, value_parser = outcome)]
        outcome: Option<ActionOutcome>,
        #[arg(long)]
        conversation: Option<Id>,
        /// From this instant, RFC 3339.
        #[arg(long)]
        from: Option<DateTime<Utc>>,
        /// Until this instant, RFC 3339.
        #[arg(long)]
        to: Option<DateTime<Utc>>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
}

fn key_value(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(k, v)| (k.trim().to_owned(), v.to_owned()))
        .filter(|(k, _)| !k.is_empty())
        .ok_or_else(|| format!("expected NAME=VALUE, got {s:?}"))
}

fn outcome(s: &str) -> Result<ActionOutcome, String> {
    ActionOutcome::parse(s).ok_or_else(|| {
        let all: Vec<&str> = ActionOutcome::ALL.iter().map(|o| o.as_str()).collect();
        format!("unknown outcome {s:?}: use one of {}", all.join(", "))
    })
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
        Command::Serve {
            bind,
            action_log_days,
            webhook_delivery_days,
            edge,
        } => {
            let keep = Retention {
                action_log_days,
                webhook_delivery_days,
            };
            serve(baton.clone(), &url, bind, keep, edge.limits()).await?
        }
        Command::Action(cmd) => action(&baton, cmd, json).await?,
        Command::Webhook(cmd) => webhook(&baton, cmd, json).await?,
        Command::Leads(cmd) => leads(&baton, cmd).await?,
        Command::Secrets(SecretsCmd::Rotate) => secrets_rotate(&baton).await?,
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

async fn action(baton: &Baton, cmd: ActionCmd, json: bool) -> anyhow::Result<()> {
    let me = Actor::Local;
    match cmd {
        ActionCmd::List { agent } => {
            let list = baton.action_list(&me, agent).await?;
            if json {
                return print_json(&list);
            }
            for a in list {
                // A form or a button sends no request of its own: what it shows instead.
                let (what, target) = match (&a.form, &a.button) {
                    (Some(f), _) => ("FORM", format!("“{}”", f.title)),
                    (None, Some(b)) => ("BUTTON", format!("“{}”", b.label)),
                    _ => (a.method.as_str(), redact_url(&a.url)),
                };
                println!(
                    "{:>4}  {:<32} {:<6} {}{}",
                    a.id,
                    a.name,
                    what,
                    target,
                    if a.active { "" } else { "  (inactive)" }
                );
            }
        }
        ActionCmd::Test { id, params, vars } => {
            let r = baton
                .action_test(
                    &me,
                    ActionTestArgs {
                        id,
                        params: params
                            .into_iter()
                            .map(|(k, v)| (k, serde_json::Value::String(v)))
                            .collect(),
                        variables: vars.into_iter().collect(),
                    },
                )
                .await?;
            if json {
                return print_json(&r);
            }
            println!("{} {}", r.request.method.as_str(), r.request.url);
            for h in &r.request.headers {
                println!("{}: {}", h.name, h.value);
            }
            if let Some(b) = &r.request.body {
                println!("\n{b}");
            }
            println!();
            match &r.response {
                Some(resp) => {
                    println!("← {} in {} ms", resp.status, r.duration_ms);
                    for h in &resp.headers {
                        println!("{}: {}", h.name, h.value);
                    }
                    println!(
                        "\n{}{}",
                        resp.body,
                        if resp.truncated { "\n[cut]" } else { "" }
                    );
                }
                None => println!("← no response ({} ms)", r.duration_ms),
            }
            println!("\noutcome: {}", r.outcome.as_str());
            if let Some(e) = &r.error {
                println!("error: {e}");
            }
            if let Some(reply) = &r.visitor_reply {
                println!("the visitor would be told: {reply}");
            }
            if r.handoff {
                println!("and the conversation would be handed to a person");
            }
        }
        ActionCmd::Logs {
            agent,
            action,
            outcome,
            conversation,
            from,
            to,
            limit,
        } => {
            let page = baton
                .action_log_list(
                    &me,
                    ActionLogQuery {
                        agent_id: agent,
                        action_id: action,
                        outcome,
                        conversation_id: conversation,
                        from,
                        to,
                        before_id: None,
                        limit: Some(limit),
                    },
                )
                .await?;
            if json {
                return print_json(&page);
            }
            for e in page.entries {
                println!(
                    "{:>6}  {}  {:<24} {:<16} {:>5} {:>6} ms  {} {}{}{}",
                    e.id,
                    e.created_at.format("%Y-%m-%d %H:%M:%S"),
                    e.action_name,
                    e.outcome.as_str(),
                    e.response_status.map_or("-".into(), |s| s.to_string()),
                    e.duration_ms,
                    e.request.method.as_str(),
                    e.request.url,
                    e.conversation_id
                        .map_or(String::new(), |c| format!("  conversation {c}")),
                    if e.test { "  (test)" } else { "" },
                );
            }
        }
    }
    Ok(())
}

async fn webhook(baton: &Baton, cmd: WebhookCmd, json: bool) -> anyhow::Result<()> {
    let me = Actor::Local;
    match cmd {
        WebhookCmd::List { agent } => {
            let list = baton.webhook_list(&me, agent).await?;
            if json {
                return print_json(&list);
            }
            for w in list {
                let events: Vec<&str> = w.events.iter().map(|e| e.as_str()).collect();
                println!(
                    "{:>4}  {:<32} {}  [{}]{}{}",
                    w.id,
                    w.name,
                    redact_url(&w.url),
                    events.join(", "),
                    if w.active { "" } else { "  (off)" },
                    w.disabled_reason
                        .as_deref()
                        .map_or(String::new(), |r| format!("  {r}")),
                );
            }
        }
        WebhookCmd::Test { id } => {
            let r = baton.webhook_test(&me, id).await?;
            if json {
                return print_json(&r);
            }
            println!("webhook.test sent as {}", r.message_id);
            match r.status_code {
                Some(s) => println!("← {s} in {} ms", r.duration_ms),
                None => println!("← no answer ({} ms)", r.duration_ms),
            }
            if let Some(body) = &r.response {
                println!("\n{body}");
            }
            println!("\n{}", if r.ok { "delivered" } else { "not delivered" });
            if let Some(e) = &r.error {
                println!("error: {e}");
            }
        }
        WebhookCmd::Deliveries { id, status, limit } => {
            let page = baton
                .webhook_delivery_list(
                    &me,
                    WebhookDeliveryQuery {
                        id,
                        status,
                        before_id: None,
                        limit: Some(limit),
                    },
                )
                .await?;
            if json {
                return print_json(&page);
            }
            for d in page.deliveries {
                println!(
                    "{:>6}  {}  {:<22} {:<10} {}{}",
                    d.id,
                    d.created_at.format("%Y-%m-%d %H:%M:%S"),
                    d.event.as_str(),
                    d.status.as_str(),
                    d.message_id,
                    d.next_attempt_at.map_or(String::new(), |t| format!(
                        "  next {}",
                        t.format("%Y-%m-%d %H:%M:%S")
                    )),
                );
                for a in d.attempts {
                    println!(
                        "          #{:<2} {}  {:>5} {:>6} ms  {}",
                        a.attempt,
                        a.started_at.format("%Y-%m-%d %H:%M:%S"),
                        a.status_code.map_or("-".into(), |s| s.to_string()),
                        a.duration_ms.map_or("-".into(), |d| d.to_string()),
                        a.error
                            .as_deref()
                            .unwrap_or(if a.ok == Some(true) { "ok" } else { "" }),
                    );
                }
            }
        }
    }
    Ok(())
}

/// How long `baton serve` keeps logs, in days.
#[derive(Debug, Clone, Copy)]
struct Retention {
    action_log_days: u32,
    webhook_delivery_days: u32,
}

async fn serve(
    baton: Baton,
    url: &str,
    bind: SocketAddr,
    keep: Retention,
    limits: http::ServeLimits,
) -> anyhow::Result<()> {
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
    // Action execution logs and finished webhook deliveries older than their retention are
    // pruned at start and hourly.
    let pruner = tokio::spawn({
        let baton = baton.clone();
        async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
            loop {
                tick.tick().await;
                if let Err(e) = baton
                    .action_log_prune_at(Utc::now(), keep.action_log_days)
                    .await
                {
                    tracing::error!(error = %e, "action log pruning");
                }
                if let Err(e) = baton
                    .webhook_delivery_prune_at(Utc::now(), keep.webhook_delivery_days)
                    .await
                {
                    tracing::error!(error = %e, "webhook delivery log pruning");
                }
            }
        }
    });
    // Conversation transcripts (lead settings) of conversations that ended: looked for every
    // `TRANSCRIPT_INTERVAL` (5 minutes), so they arrive within the hour; the emails go out
    // through the outbox.
    let transcripts = tokio::spawn(baton.clone().transcripts_worker());
    // Other processes on the same PostgreSQL database: live events and credential changes
    // both ways (nothing on SQLite).
    let cluster = tokio::spawn(baton.clone().cluster_worker());
    http::serve_with(baton.clone(), listener, http::shutdown_signal(), limits).await?;
    cluster.abort();
    worker.abort();
    pruner.abort();
    transcripts.abort();
    baton.store().close().await;
    Ok(())
}

async fn secrets_rotate(baton: &Baton) -> anyhow::Result<()> {
    use crate::secrets::{self, SecretKey};
    let new = SecretKey::generate();
    let from_env = std::env::var_os(secrets::KEY_ENV).is_some();
    let file = secrets::key_file_for(baton.store().sqlite_file().as_deref());
    // The new key is on disk before any secret is sealed with it: a failure halfway leaves
    // both keys (and the run can be made again: what is under the new key already is skipped).
    let staged = file.with_extension("key.new");
    if !from_env {
        secrets::write_key_file(&staged, &new)?;
    }
    let r = baton.secrets_rotate(&new).await?;
    println!(
        "{} secrets sealed again under the new key ({} were already)",
        r.resealed, r.already
    );
    for what in &r.unreadable {
        eprintln!("warning: {what} opens with neither key: enter it again");
    }
    if from_env {
        println!(
            "\nThe new key (shown once): give every server BATON_SECRET_KEY={} and start them \
             again.",
            new.to_base64()
        );
    } else {
        std::fs::rename(&staged, &file).map_err(|e| {
            anyhow::anyhow!(
                "the secrets are sealed under the new key in {}, which could not replace {}: \
                 {e}; move it there by hand before starting Baton",
                staged.display(),
                file.display()
            )
        })?;
        println!("The key file {} now holds the new key.", file.display());
    }
    Ok(())
}

async fn leads(baton: &Baton, cmd: LeadsCmd) -> anyhow::Result<()> {
    let me = Actor::Local;
    match cmd {
        LeadsCmd::Export {
            format,
            from,
            to,
            output,
            columns,
            agent,
            no_bom,
        } => {
            let q: crate::leads::model::LeadExportQuery =
                serde_json::from_value(serde_json::json!({
                    "format": format, "from": from, "to": to, "columns": columns,
                    "agent_id": agent, "bom": !no_bom,
                }))
                .map_err(|e| anyhow::anyhow!("invalid export: {e}"))?;
            let plan = baton.lead_export_plan(&me, q).await?;
            let target = output.unwrap_or_else(|| plan.file_name.clone().into());
            let control = crate::leads::export::ExportControl::new();
            let rows = match baton.lead_export_to_path(&plan, &target, &control).await? {
                crate::leads::export::ExportOutcome::Done(rows) => rows,
                crate::leads::export::ExportOutcome::Cancelled => {
                    anyhow::bail!("the export was cancelled")
                }
            };
            println!("{rows} leads written to {}", target.display());
        }
    }
    Ok(())
}
