//! Leads: made from a handoff's gathered details in real conversations (the visitor API),
//! merged by email, listed, searched, paged and deleted; `lead.created` queued once; the
//! export read back by independent readers (Python's `openpyxl` and `csv`), with a date range
//! across a DST change in Europe/Berlin.

use crate::common;

use std::sync::OnceLock;

use baton::auth::Actor;
use baton::conversations::pipeline::{ConversationStart, VisitorMessageInput, VisitorSession};
use baton::conversations::Channel;
use baton::leads::model::{LeadQuery, LeadSource};
use baton::Baton;
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

const ME: &Actor = &Actor::Local;

async fn start(b: &Baton) -> VisitorSession {
    b.conversation_start(ConversationStart {
        channel: Some(Channel::Playground),
        ..Default::default()
    })
    .await
    .unwrap()
}

async fn say(b: &Baton, s: &VisitorSession, text: &str) {
    b.visitor_message(
        s.conversation.id,
        &s.visitor_token,
        VisitorMessageInput {
            text: text.into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
}

/// A visitor asks for a person and answers the information to gather.
async fn hand_off(b: &Baton, answers: &[&str]) -> VisitorSession {
    let s = start(b).await;
    say(b, &s, "please let me talk to an agent").await;
    for a in answers {
        say(b, &s, a).await;
    }
    s
}

fn query(v: Value) -> LeadQuery {
    serde_json::from_value(v).unwrap()
}

#[tokio::test]
async fn leads_from_handoffs_merged_listed_and_deleted() {
    for db in common::all_dbs().await {
        let b = Baton::open(&db.url).await.unwrap();
        common::configure(
            &b,
            json!({
                "settings": {"is_active": true},
                "information_to_gather": [
                    {"kind": "name", "prompt": "Your name?"},
                    {"kind": "email", "prompt": "What's your email?"},
                    {"kind": "phone", "prompt": "Your phone number?"}
                ]
            }),
        )
        .await;
        let hook = b
            .webhook_create(
                ME,
                serde_json::from_value(json!({
                    "name": "crm", "url": "https://crm.example.com/hook", "events": ["lead.created"]
                }))
                .unwrap(),
            )
            .await
            .unwrap()
            .webhook;

        let first = hand_off(&b, &["Anna Schmidt", "anna@example.com", "+49 30 1234567"]).await;
        let page = b.lead_list(ME, LeadQuery::default()).await.unwrap();
        assert_eq!(page.leads.len(), 1, "{}: {page:?}", db.label);
        let lead = &page.leads[0];
        assert_eq!(lead.email.as_deref(), Some("anna@example.com"));
        assert_eq!(lead.name.as_deref(), Some("Anna Schmidt"), "{}", db.label);
        assert!(lead.phone.is_some(), "{lead:?}");
        assert_eq!(lead.source, LeadSource::Handoff);
        assert_eq!(lead.conversation_id, Some(first.conversation.id));

        // The same person returns (another visitor, the same email): the same lead.
        let second = hand_off(&b, &["Anna S.", "ANNA@example.com", "+49 30 7654321"]).await;
        let page = b.lead_list(ME, LeadQuery::default()).await.unwrap();
        assert_eq!(page.leads.len(), 1, "{}: merged by email", db.label);
        let detail = b.lead_get(ME, page.leads[0].id).await.unwrap();
        let ids: Vec<_> = detail.conversations.iter().map(|c| c.id).collect();
        assert_eq!(ids, [first.conversation.id, second.conversation.id]);
        assert_eq!(detail.conversations[0].channel, "playground");

        // Someone else: a second lead.
        hand_off(
            &b,
            &["Bruno Keller", "bruno@example.org", "+41 44 123 45 67"],
        )
        .await;
        let all = b.lead_list(ME, LeadQuery::default()).await.unwrap();
        assert_eq!(all.leads.len(), 2);
        let found = b
            .lead_list(ME, query(json!({"search": "BRUNO@"})))
            .await
            .unwrap();
        assert_eq!(found.leads.len(), 1);
        assert_eq!(found.leads[0].name.as_deref(), Some("Bruno Keller"));
        let none = b
            .lead_list(ME, query(json!({"search": "100%"})))
            .await
            .unwrap();
        assert!(none.leads.is_empty());

        // Pages, newest first.
        let p1 = b.lead_list(ME, query(json!({"limit": 1}))).await.unwrap();
        assert_eq!(p1.leads.len(), 1);
        assert_eq!(p1.leads[0].name.as_deref(), Some("Bruno Keller"));
        let next = p1.next_before_id.expect("a second page");
        let p2 = b
            .lead_list(ME, query(json!({"limit": 1, "before_id": next})))
            .await
            .unwrap();
        assert_eq!(p2.leads[0].email.as_deref(), Some("anna@example.com"));
        assert_eq!(p2.next_before_id, None);
        let future = b
            .lead_list(
                ME,
                query(json!({"from": Utc::now() + chrono::Duration::hours(1)})),
            )
            .await
            .unwrap();
        assert!(future.leads.is_empty());

        // `lead.created` once per lead, not on the merge.
        let deliveries = b
            .webhook_delivery_list(ME, serde_json::from_value(json!({"id": hook.id})).unwrap())
            .await
            .unwrap();
        let created: Vec<_> = deliveries
            .deliveries
            .iter()
            .filter(|d| d.event == baton::webhooks::model::WebhookEvent::LeadCreated)
            .collect();
        assert_eq!(created.len(), 2, "{}: {deliveries:?}", db.label);
        let body: Value = serde_json::from_str(&created[1].body).unwrap();
        assert_eq!(body["type"], "lead.created");
        // Created as soon as the first detail (the name) was gathered.
        assert_eq!(body["data"]["visitor"]["name"], "Anna Schmidt");

        // Deleting says what it removes; the conversations stay.
        let anna = p2.leads[0].id;
        let viewer = common::operator(&b, "Vera", baton::operators::Role::Viewer).await;
        let viewer = Actor::Operator {
            operator_id: viewer,
            role: baton::operators::Role::Viewer,
        };
        assert!(b.lead_get(&viewer, anna).await.is_ok(), "viewers read");
        assert!(
            b.lead_delete(&viewer, anna).await.is_err(),
            "viewers don't delete"
        );
        let deleted = b.lead_delete(ME, anna).await.unwrap();
        assert_eq!(deleted.conversations_unlinked, 2);
        assert!(b.lead_get(ME, anna).await.is_err());
        b.conversation_open(ME, first.conversation.id)
            .await
            .unwrap();
        assert_eq!(
            b.lead_list(ME, LeadQuery::default())
                .await
                .unwrap()
                .leads
                .len(),
            1
        );
        b.store().close().await;
    }
}

// The export, read back by Python.

fn python_ready() -> bool {
    static READY: OnceLock<bool> = OnceLock::new();
    *READY.get_or_init(|| {
        let ok = std::process::Command::new("python3")
            .args(["-c", "import openpyxl"])
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        if !ok {
            let why =
                "python3 cannot import openpyxl (install it: python3 -m pip install openpyxl)";
            assert!(
                std::env::var_os("BATON_REQUIRE_TOOLS").is_none(),
                "{why}. BATON_REQUIRE_TOOLS is set, so the export checks can't be skipped"
            );
            eprintln!("note: {why}; the export checks are skipped");
        }
        ok
    })
}

fn python(script: &str, file: &std::path::Path) -> Value {
    let out = std::process::Command::new("python3")
        .args(["-c", script, file.to_str().unwrap()])
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("python's JSON")
}

const READ_XLSX: &str = r#"
import json, sys, datetime, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb.active
rows = []
for row in ws.iter_rows():
    rows.append([[c.data_type, c.value.isoformat() if isinstance(c.value, datetime.datetime) else c.value,
                  isinstance(c.value, datetime.datetime)] for c in row])
print(json.dumps({"title": ws.title, "freeze": ws.freeze_panes,
                  "bold": [c.font.b for c in ws[1]], "rows": rows,
                  "width_email": ws.column_dimensions["C"].width}))
"#;

const READ_CSV: &str = r#"
import json, sys, csv
raw = open(sys.argv[1], "rb").read()
bom = raw.startswith(b"\xef\xbb\xbf")
text = raw.decode("utf-8-sig")
print(json.dumps({"bom": bom, "crlf": "\r\n" in text,
                  "rows": list(csv.reader(text.splitlines(keepends=True)))}))
"#;

fn t(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

/// Leads stored as they are, at given times (the export's subject is the file, not the feed).
async fn insert_leads(url: &str, agent: i64, rows: &[(&str, &str, &str, &str)]) {
    for (at, name, email, phone) in rows {
        let sql = "INSERT INTO leads (agent_id, visitor_id, name, email, email_key, phone, custom, \
                   source, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'handoff', $8, $8)";
        let custom = r#"{"company":"Ölwerk GmbH"}"#;
        if url.starts_with("sqlite") {
            let pool = sqlx::SqlitePool::connect(url).await.unwrap();
            sqlx::query(sql)
                .bind(agent)
                .bind(format!("v-{email}"))
                .bind(name)
                .bind(email)
                .bind(email)
                .bind(phone)
                .bind(custom)
                .bind(t(at))
                .execute(&pool)
                .await
                .unwrap();
            pool.close().await;
        } else {
            let pool = sqlx::PgPool::connect(url).await.unwrap();
            sqlx::query(sql)
                .bind(agent)
                .bind(format!("v-{email}"))
                .bind(name)
                .bind(email)
                .bind(email)
                .bind(phone)
                .bind(custom)
                .bind(t(at))
                .execute(&pool)
                .await
                .unwrap();
            pool.close().await;
        }
    }
}

#[tokio::test]
async fn export_csv_and_xlsx_read_back_across_a_dst_change() {
    if !python_ready() {
        return;
    }
    for db in common::all_dbs().await {
        let label = db.label;
        let s = common::TestServer::start(db).await;
        let b = &s.baton;
        common::configure(b, json!({"settings": {"timezone": "Europe/Berlin"}})).await;
        let agent = b.agent_list(ME).await.unwrap()[0].id;
        // Berlin leaves summer time on 2026-10-25 (03:00 CEST → 02:00 CET): that local day
        // runs from 2026-10-24T22:00Z to 2026-10-25T23:00Z (25 hours).
        insert_leads(
            &s.db.url,
            agent,
            &[
                (
                    "2026-10-24T21:59:59Z",
                    "Too early",
                    "early@example.com",
                    "1",
                ),
                (
                    "2026-10-24T22:00:00Z",
                    "=1+2",
                    "first@example.com",
                    "+49 30 1",
                ),
                ("2026-10-25T12:00:00Z", "@SUM(A1)", "-x@example.com", "\t5"),
                (
                    "2026-10-25T22:59:59Z",
                    "Zoë Ünal",
                    "last@example.com",
                    "030 2",
                ),
                ("2026-10-25T23:00:00Z", "Too late", "late@example.com", "3"),
            ],
        )
        .await;
        let dir = tempfile::tempdir().unwrap();
        let get = |q: &str| {
            let url = s.url(&format!("/v1/leads/export?{q}"));
            let token = s.token.clone();
            async move {
                let r = common::client()
                    .get(url)
                    .bearer_auth(token)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
                let disposition = r.headers()["content-disposition"]
                    .to_str()
                    .unwrap()
                    .to_owned();
                (disposition, r.bytes().await.unwrap())
            }
        };

        // XLSX.
        let (disposition, bytes) = get("format=xlsx&from=2026-10-25&to=2026-10-25").await;
        assert_eq!(
            disposition,
            "attachment; filename=\"leads-2026-10-25-to-2026-10-25.xlsx\""
        );
        let file = dir.path().join("leads.xlsx");
        std::fs::write(&file, &bytes).unwrap();
        let x = python(READ_XLSX, &file);
        assert_eq!(x["freeze"], "A2", "{label}: the header is frozen");
        assert!(
            x["bold"].as_array().unwrap().iter().all(|b| b == true),
            "{x}"
        );
        let rows = x["rows"].as_array().unwrap();
        assert_eq!(rows[0][1][1], "Created (Europe/Berlin)");
        assert_eq!(
            rows.len(),
            4,
            "{label}: the header and the 3 leads of that day: {x}"
        );
        // Dates are date cells, in Berlin time.
        assert_eq!(rows[1][1][2], true, "{x}");
        assert_eq!(rows[1][1][1], "2026-10-25T00:00:00");
        assert_eq!(rows[3][1][1], "2026-10-25T23:59:59");
        // Formula-looking values are strings, never formulas.
        assert_eq!(rows[1][2], json!(["s", "=1+2", false]));
        assert_eq!(rows[2][2], json!(["s", "@SUM(A1)", false]));
        assert_eq!(rows[2][3], json!(["s", "-x@example.com", false]));
        assert_eq!(rows[2][4], json!(["s", "\t5", false]));
        assert_eq!(rows[3][2], json!(["s", "Zoë Ünal", false]));
        assert_eq!(rows[1][0][0], "n", "ids are numbers");

        // CSV with a BOM (the default), chosen columns.
        let (disposition, bytes) =
            get("format=csv&from=2026-10-25&to=2026-10-25&columns=created_at,name,phone,custom")
                .await;
        assert!(disposition.ends_with("leads-2026-10-25-to-2026-10-25.csv\""));
        let file = dir.path().join("leads.csv");
        std::fs::write(&file, &bytes).unwrap();
        let c = python(READ_CSV, &file);
        assert_eq!(c["bom"], true);
        assert_eq!(c["crlf"], true);
        assert_eq!(
            c["rows"],
            json!([
                ["Created (Europe/Berlin)", "Name", "Phone", "Other details"],
                [
                    "2026-10-25 00:00:00",
                    "'=1+2",
                    "'+49 30 1",
                    "company: Ölwerk GmbH"
                ],
                [
                    "2026-10-25 13:00:00",
                    "'@SUM(A1)",
                    "'\t5",
                    "company: Ölwerk GmbH"
                ],
                [
                    "2026-10-25 23:59:59",
                    "Zoë Ünal",
                    "030 2",
                    "company: Ölwerk GmbH"
                ],
            ]),
            "{label}"
        );

        // Without a BOM; two days: the day before adds the early lead.
        let (_, bytes) =
            get("format=csv&from=2026-10-24&to=2026-10-25&bom=false&columns=email").await;
        std::fs::write(&file, &bytes).unwrap();
        let c = python(READ_CSV, &file);
        assert_eq!(c["bom"], false);
        assert_eq!(
            c["rows"],
            json!([
                ["Email"],
                ["early@example.com"],
                ["first@example.com"],
                ["'-x@example.com"],
                ["last@example.com"]
            ])
        );

        // The CLI: the file under its name, nothing else left beside it; a failed export
        // leaves no file.
        let target = dir.path().join("out").join("leads.xlsx");
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        let run = |args: &[&str]| {
            std::process::Command::new(env!("CARGO_BIN_EXE_baton"))
                .args(["--db", &s.db.url, "leads", "export"])
                .args(args)
                .output()
                .unwrap()
        };
        let out = run(&[
            "--format",
            "xlsx",
            "--from",
            "2026-10-25",
            "--to",
            "2026-10-25",
            "-o",
            target.to_str().unwrap(),
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let x = python(READ_XLSX, &target);
        assert_eq!(x["rows"].as_array().unwrap().len(), 4, "{label}");
        let bad = target.with_file_name("bad.csv");
        let out = run(&[
            "--format",
            "csv",
            "--from",
            "2026-10-25",
            "--to",
            "2026-10-25",
            "--columns",
            "nope",
            "-o",
            bad.to_str().unwrap(),
        ]);
        assert!(!out.status.success());
        let left: Vec<_> = std::fs::read_dir(target.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, [std::ffi::OsString::from("leads.xlsx")]);

        // Invalid queries are refused.
        let r = common::client()
            .get(s.url("/v1/leads/export?format=csv&from=2026-10-25&to=2026-10-24"))
            .bearer_auth(&s.token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        let r = common::client()
            .get(s.url("/v1/leads/export?format=csv&from=2026-10-25&to=2026-10-25&columns=secret"))
            .bearer_auth(&s.token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        // A malformed parameter or an unknown one: a 422 naming it, as JSON bodies' fields.
        for (q, field) in [
            ("format=pdf&from=2026-10-25&to=2026-10-25", "format"),
            ("format=csv&from=25.10.2026&to=2026-10-25", "from"),
            ("format=csv&from=2026-10-25&to=2026-10-25&sort=name", "sort"),
        ] {
            let r = common::client()
                .get(s.url(&format!("/v1/leads/export?{q}")))
                .bearer_auth(&s.token)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 422, "{q}");
            let body: serde_json::Value = r.json().await.unwrap();
            assert_eq!(body["field"], field, "{q}: {body}");
        }
        s.stop().await;
    }
}
