//! The export of leads to CSV or XLSX: whole days in the business time zone, the columns
//! chosen, rows from a database cursor to the writer as they are read (a bounded channel
//! between the async cursor and the blocking writer), never the whole set in memory.
//!
//! - CSV (`csv` crate): UTF-8, a byte-order mark unless turned off, RFC 4180 quoting.
//! - XLSX (`rust_xlsxwriter`, constant-memory worksheet): real date cells in the business
//!   time zone (named in the header), a bold frozen header row, column widths.
//! - No formula injection (OWASP ASVS V1.2.10): a value starting with `=`, `+`, `-`, `@`, a
//!   tab or a carriage return is text: prefixed with `'` in CSV, a string cell in XLSX
//!   (every text is written as a string there, never as a formula).
//!
//! A new format: a variant of [`ExportFormat`] and a [`RowWriter`] implementation.

use std::io::Write;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use futures_util::StreamExt;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::model::{ExportFormat, Lead, LeadExportQuery};
use crate::auth::{Actor, Permission};
use crate::error::{Error, Result};
use crate::{Baton, Id};

/// The columns, in their order; the default is all of them.
pub const COLUMNS: &[&str] = &[
    "id",
    "created_at",
    "name",
    "email",
    "phone",
    "source",
    "consent_text",
    "consent_at",
    "conversation_id",
    "custom",
];

/// Days an export may cover at most.
pub const MAX_DAYS: i64 = 3660;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Id,
    CreatedAt,
    Name,
    Email,
    Phone,
    Source,
    ConsentText,
    ConsentAt,
    ConversationId,
    Custom,
}

impl Column {
    fn parse(s: &str) -> Option<Column> {
        use Column::*;
        let all = [
            Id,
            CreatedAt,
            Name,
            Email,
            Phone,
            Source,
            ConsentText,
            ConsentAt,
            ConversationId,
            Custom,
        ];
        COLUMNS.iter().position(|c| *c == s).map(|i| all[i])
    }

    fn title(self, zone: &str) -> String {
        match self {
            Column::Id => "ID".into(),
            Column::CreatedAt => format!("Created ({zone})"),
            Column::Name => "Name".into(),
            Column::Email => "Email".into(),
            Column::Phone => "Phone".into(),
            Column::Source => "Source".into(),
            Column::ConsentText => "Consent".into(),
            Column::ConsentAt => format!("Consent given ({zone})"),
            Column::ConversationId => "Conversation".into(),
            Column::Custom => "Other details".into(),
        }
    }

    fn width(self) -> f64 {
        match self {
            Column::Id | Column::ConversationId => 12.0,
            Column::CreatedAt | Column::ConsentAt => 20.0,
            Column::Name | Column::Phone => 22.0,
            Column::Email => 30.0,
            Column::Source => 14.0,
            Column::ConsentText | Column::Custom => 40.0,
        }
    }
}

/// One cell's value.
enum Cell {
    Empty,
    Number(i64),
    Text(String),
    Time(DateTime<Tz>),
}

fn cell(c: Column, lead: &Lead, tz: Tz) -> Cell {
    let text = |v: &Option<String>| v.clone().map_or(Cell::Empty, Cell::Text);
    match c {
        Column::Id => Cell::Number(lead.id),
        Column::CreatedAt => Cell::Time(lead.created_at.with_timezone(&tz)),
        Column::Name => text(&lead.name),
        Column::Email => text(&lead.email),
        Column::Phone => text(&lead.phone),
        Column::Source => Cell::Text(lead.source.as_str().into()),
        Column::ConsentText => text(&lead.consent_text),
        Column::ConsentAt => lead
            .consent_at
            .map_or(Cell::Empty, |t| Cell::Time(t.with_timezone(&tz))),
        Column::ConversationId => lead.conversation_id.map_or(Cell::Empty, Cell::Number),
        Column::Custom => {
            if lead.custom.is_empty() {
                Cell::Empty
            } else {
                Cell::Text(
                    lead.custom
                        .iter()
                        .map(|(k, v)| format!("{k}: {v}"))
                        .collect::<Vec<_>>()
                        .join("; "),
                )
            }
        }
    }
}

/// Whether a spreadsheet would take this text for a formula (OWASP's list).
pub fn formula_like(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// An export checked and resolved: the agent, its zone, the instants the days cover, the
/// columns, and the file name.
#[derive(Debug, Clone)]
pub struct ExportPlan {
    pub format: ExportFormat,
    pub agent_id: Id,
    pub timezone: Tz,
    /// The first instant of `from` and of the day after `to`, in the zone.
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    columns: Vec<Column>,
    pub bom: bool,
    /// `leads-2026-11-01-to-2026-11-30.xlsx`.
    pub file_name: String,
    /// How many leads the file will hold (as counted before writing).
    pub rows: i64,
}

/// The first instant of `day` in `tz` (a day may start at 01:00 where midnight is skipped).
fn day_start(tz: Tz, day: NaiveDate) -> DateTime<Utc> {
    let mut t = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    // Midnight skipped by a DST change: the day starts at the first local time that exists.
    for _ in 0..(24 * 4) {
        if let Some(at) = tz.from_local_datetime(&t).earliest() {
            return at.with_timezone(&Utc);
        }
        t += chrono::Duration::minutes(15);
    }
    Utc.from_utc_datetime(&t)
}

impl Baton {
    /// Checks an export and resolves what it covers (`ReadConfig`: viewers and up).
    pub async fn lead_export_plan(&self, actor: &Actor, q: LeadExportQuery) -> Result<ExportPlan> {
        actor.require(Permission::ReadConfig)?;
        let agent = self.resolve_agent(actor, q.agent_id).await?;
        if q.to < q.from {
            return Err(Error::invalid(
                "to",
                "before_from",
                "the last day is before the first",
            ));
        }
        if (q.to - q.from).num_days() >= MAX_DAYS {
            return Err(Error::invalid(
                "to",
                "too_long",
                format!("an export covers at most {MAX_DAYS} days"),
            ));
        }
        let columns = match q
            .columns
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => COLUMNS.iter().filter_map(|c| Column::parse(c)).collect(),
            Some(list) => {
                let mut out = Vec::new();
                for name in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                    let c = Column::parse(name).ok_or_else(|| {
                        Error::invalid(
                            "columns",
                            "unknown",
                            format!("unknown column '{name}': use {}", COLUMNS.join(", ")),
                        )
                    })?;
                    if !out.contains(&c) {
                        out.push(c);
                    }
                }
                out
            }
        };
        let cfg = self.handoff_config_get(actor, Some(agent)).await?;
        let timezone = crate::fields::check_timezone(&cfg.settings.timezone).unwrap_or(Tz::UTC);
        let start = day_start(timezone, q.from);
        let end = day_start(timezone, q.to.succ_opt().unwrap_or(q.to));
        let rows = self.store().lead_count(agent, start, end).await?;
        Ok(ExportPlan {
            format: q.format,
            agent_id: agent,
            timezone,
            start,
            end,
            columns,
            bom: q.bom.unwrap_or(true),
            file_name: format!(
                "leads-{}-to-{}.{}",
                q.from.format("%Y-%m-%d"),
                q.to.format("%Y-%m-%d"),
                q.format.extension()
            ),
            rows,
        })
    }

    /// Writes the export of `plan` to `out`, the rows from a database cursor as they are read;
    /// how many rows were written.
    pub async fn lead_export_write<W: Write + std::io::Seek + Send + 'static>(
        &self,
        plan: &ExportPlan,
        out: W,
    ) -> Result<u64> {
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Lead>(256);
        let writer_plan = plan.clone();
        let writer = tokio::task::spawn_blocking(move || -> Result<u64> {
            let mut w: Box<dyn RowWriter> = match writer_plan.format {
                ExportFormat::Csv => Box::new(CsvWriter::new(out, &writer_plan)?),
                ExportFormat::Xlsx => Box::new(XlsxWriter::new(out, &writer_plan)?),
            };
            let mut n = 0u64;
            while let Some(lead) = rx.blocking_recv() {
                let cells: Vec<Cell> = writer_plan
                    .columns
                    .iter()
                    .map(|c| cell(*c, &lead, writer_plan.timezone))
                    .collect();
                w.row(&cells)?;
                n += 1;
            }
            w.finish()?;
            Ok(n)
        });
        let mut cursor = self
            .store()
            .lead_cursor(plan.agent_id, plan.start, plan.end);
        let mut failed = None;
        while let Some(lead) = cursor.next().await {
            match lead {
                Ok(lead) => {
                    if tx.send(lead).await.is_err() {
                        break; // The writer failed: its error is below.
                    }
                }
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
        }
        drop(tx);
        let written = writer
            .await
            .map_err(|e| Error::Internal(format!("export writer: {e}")))?;
        match failed {
            Some(e) => Err(e),
            None => written,
        }
    }
}

fn io(e: impl std::fmt::Display) -> Error {
    Error::Internal(format!("writing the export: {e}"))
}

trait RowWriter: Send {
    fn row(&mut self, cells: &[Cell]) -> Result<()>;
    fn finish(self: Box<Self>) -> Result<()>;
}

struct CsvWriter<W: Write> {
    csv: csv::Writer<W>,
    record: Vec<String>,
}

impl<W: Write + Send> CsvWriter<W> {
    fn new(mut out: W, plan: &ExportPlan) -> Result<Self> {
        if plan.bom {
            out.write_all("\u{feff}".as_bytes()).map_err(io)?;
        }
        let mut csv = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        let zone = plan.timezone.name();
        csv.write_record(plan.columns.iter().map(|c| c.title(zone)))
            .map_err(io)?;
        Ok(CsvWriter {
            csv,
            record: Vec::new(),
        })
    }
}

impl<W: Write + Send> RowWriter for CsvWriter<W> {
    fn row(&mut self, cells: &[Cell]) -> Result<()> {
        self.record.clear();
        for c in cells {
            self.record.push(match c {
                Cell::Empty => String::new(),
                Cell::Number(n) => n.to_string(),
                Cell::Text(s) if formula_like(s) => format!("'{s}"),
                Cell::Text(s) => s.clone(),
                Cell::Time(t) => t.format("%Y-%m-%d %H:%M:%S").to_string(),
            });
        }
        self.csv.write_record(&self.record).map_err(io)
    }

    fn finish(self: Box<Self>) -> Result<()> {
        let mut out = self.csv.into_inner().map_err(io)?;
        out.flush().map_err(io)
    }
}

struct XlsxWriter<W> {
    book: Workbook,
    out: W,
    row: u32,
    date: Format,
}

fn xlsx(e: XlsxError) -> Error {
    io(e)
}

impl<W: Write + std::io::Seek + Send> XlsxWriter<W> {
    fn new(out: W, plan: &ExportPlan) -> Result<Self> {
        let mut book = Workbook::new();
        let bold = Format::new().set_bold();
        let zone = plan.timezone.name();
        let sheet = book.add_worksheet_with_constant_memory().map_err(xlsx)?;
        sheet.set_name("Leads").map_err(xlsx)?;
        for (i, c) in plan.columns.iter().enumerate() {
            let col = u16::try_from(i).map_err(io)?;
            sheet.set_column_width(col, c.width()).map_err(xlsx)?;
        }
        for (i, c) in plan.columns.iter().enumerate() {
            let col = u16::try_from(i).map_err(io)?;
            sheet
                .write_string_with_format(0, col, c.title(zone), &bold)
                .map_err(xlsx)?;
        }
        sheet.set_freeze_panes(1, 0).map_err(xlsx)?;
        Ok(XlsxWriter {
            book,
            out,
            row: 0,
            date: Format::new().set_num_format("yyyy-mm-dd hh:mm:ss"),
        })
    }
}

impl<W: Write + std::io::Seek + Send> RowWriter for XlsxWriter<W> {
    fn row(&mut self, cells: &[Cell]) -> Result<()> {
        self.row += 1;
        let row = self.row;
        let sheet = self.book.worksheet_from_index(0).map_err(xlsx)?;
        for (i, c) in cells.iter().enumerate() {
            let col = u16::try_from(i).map_err(io)?;
            match c {
                Cell::Empty => {}
                Cell::Number(n) => {
                    // Ids stay exact: Excel's numbers hold integers up to 2^53.
                    #[allow(clippy::cast_precision_loss)]
                    sheet.write_number(row, col, *n as f64).map_err(xlsx)?;
                }
                // A string cell, never a formula, whatever the text starts with.
                Cell::Text(s) => {
                    sheet.write_string(row, col, s.as_str()).map_err(xlsx)?;
                }
                Cell::Time(t) => {
                    sheet
                        .write_datetime_with_format(row, col, t.naive_local(), &self.date)
                        .map_err(xlsx)?;
                }
            }
        }
        Ok(())
    }

    fn finish(self: Box<Self>) -> Result<()> {
        let XlsxWriter {
            mut book, mut out, ..
        } = *self;
        book.save_to_writer(&mut out).map_err(xlsx)?;
        out.flush().map_err(io)
    }
}
