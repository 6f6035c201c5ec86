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

use std::io::{Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use futures_util::StreamExt;
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::Serialize;
use ts_rs::TS;

use super::model::{ExportFormat, LeadExportQuery};
use crate::auth::{Actor, Permission};
use crate::error::{Error, Result};
use crate::store::leads::{ExportLead, ExportRow};
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

/// One cell's value, borrowed from the lead where it can be (no copy per cell).
enum Cell<'a> {
    Empty,
    Number(i64),
    Text(&'a str),
    Time(DateTime<Tz>),
}

/// The "Other details" text (`label: value; label: value`) of a lead's stored custom fields
/// (a JSON object), into `out` (reused row after row): read straight from the JSON, no map
/// built per lead.
fn custom_text(json: &str, out: &mut String) -> Result<()> {
    use serde::de::{DeserializeSeed, Deserializer, MapAccess, Visitor};
    use std::fmt;

    /// Appends the string it reads (a label or a value) to the text.
    struct Append<'o>(&'o mut String);
    impl<'de> DeserializeSeed<'de> for Append<'_> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
            d.deserialize_str(self)
        }
    }
    impl Visitor<'_> for Append<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E>(self, v: &str) -> std::result::Result<(), E> {
            self.0.push_str(v);
            Ok(())
        }
    }

    /// The object's entries, in their stored order (a sorted map was stored).
    struct Entries<'o>(&'o mut String);
    impl<'de> Visitor<'de> for Entries<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an object of strings")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
            loop {
                let before = self.0.len();
                if before > 0 {
                    self.0.push_str("; ");
                }
                if map.next_key_seed(Append(&mut *self.0))?.is_none() {
                    self.0.truncate(before);
                    break;
                }
                self.0.push_str(": ");
                map.next_value_seed(Append(&mut *self.0))?;
            }
            Ok(())
        }
    }

    out.clear();
    let mut d = serde_json::Deserializer::from_str(json);
    d.deserialize_map(Entries(out))
        .and_then(|()| d.end())
        .map_err(|_| Error::Internal("a stored lead's custom fields are invalid".into()))?;
    Ok(())
}

/// Column `c` of `lead`; `custom` is its [`custom_text`].
fn cell<'a>(c: Column, lead: &ExportLead<'a>, tz: Tz, custom: &'a str) -> Cell<'a> {
    let text = |v: Option<&'a str>| v.map_or(Cell::Empty, Cell::Text);
    match c {
        Column::Id => Cell::Number(lead.id),
        Column::CreatedAt => Cell::Time(lead.created_at.with_timezone(&tz)),
        Column::Name => text(lead.name),
        Column::Email => text(lead.email),
        Column::Phone => text(lead.phone),
        Column::Source => Cell::Text(lead.source.as_str()),
        Column::ConsentText => text(lead.consent_text),
        Column::ConsentAt => lead
            .consent_at
            .map_or(Cell::Empty, |t| Cell::Time(t.with_timezone(&tz))),
        Column::ConversationId => lead.conversation_id.map_or(Cell::Empty, Cell::Number),
        Column::Custom if custom.is_empty() => Cell::Empty,
        Column::Custom => Cell::Text(custom),
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

    /// Writes the export of `plan` to `out`, the rows from a database cursor as they are read,
    /// reporting progress to `control` and stopping when it is cancelled (what was written
    /// to `out` by then is the caller's to throw away).
    pub async fn lead_export_write<W: Write + Seek + Send + 'static>(
        &self,
        plan: &ExportPlan,
        out: W,
        control: &ExportControl,
    ) -> Result<ExportOutcome> {
        let format = plan.format;
        self.lead_export_run(plan, control, move |plan, rows, control| match format {
            ExportFormat::Csv => write_rows(CsvWriter::new(out, plan)?, plan, rows, control),
            ExportFormat::Xlsx => write_rows(XlsxWriter::new(out, plan)?, plan, rows, control),
        })
        .await
    }

    /// Writes the export of `plan` to the file `path`: into a temporary file beside it, renamed
    /// to `path` only once complete, so a cancelled or failed export leaves nothing under that
    /// name (and a file already there untouched).
    pub async fn lead_export_to_path(
        &self,
        plan: &ExportPlan,
        path: &Path,
        control: &ExportControl,
    ) -> Result<ExportOutcome> {
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = path
            .file_name()
            .ok_or_else(|| Error::BadRequest {
                message: format!("{} is not a file name", path.display()),
                field: Some("path".into()),
            })?
            .to_string_lossy()
            .into_owned();
        // Removed when dropped: on every way out but the rename below.
        let temp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".part")
            .tempfile_in(&dir)
            .map_err(|e| ExportError::Temp(dir.clone(), e))?;
        let file = temp
            .reopen()
            .map_err(|e| ExportError::Temp(dir.clone(), e))?;
        let outcome = self
            .lead_export_write(plan, std::io::BufWriter::new(file), control)
            .await?;
        if outcome == ExportOutcome::Cancelled {
            return Ok(outcome);
        }
        // On disk before it takes the name, so a crash cannot leave an empty file there.
        temp.as_file()
            .sync_all()
            .map_err(|e| ExportError::Write(e.to_string()))?;
        temp.persist(path)
            .map_err(|e| ExportError::Rename(path.to_path_buf(), e.error))?;
        Ok(outcome)
    }

    /// The CSV export of `plan` as a stream of chunks, for a response body: the rows go from
    /// the database cursor through the CSV writer into a bounded channel, no file in
    /// between. Dropping the stream stops the export; a failure part-way ends the stream with
    /// an error (so a client sees a broken transfer, not a short file). CSV only: XLSX is a
    /// zip whose directory is written last, which needs a file (see `lead_export_write`).
    pub fn lead_export_csv_stream(
        &self,
        plan: ExportPlan,
    ) -> Result<impl futures_util::Stream<Item = std::io::Result<Vec<u8>>> + Send + 'static> {
        if plan.format != ExportFormat::Csv {
            return Err(Error::Internal("only CSV streams without a file".into()));
        }
        let (tx, rx) = tokio::sync::mpsc::channel::<std::io::Result<Vec<u8>>>(STREAM_CHUNKS);
        let baton = self.clone();
        let failed = tx.clone();
        tokio::spawn(async move {
            let control = ExportControl::new();
            let out = ChannelWriter {
                tx,
                buf: Vec::with_capacity(STREAM_CHUNK_BYTES),
            };
            let run = baton
                .lead_export_run(&plan, &control, move |plan, rows, control| {
                    write_rows(CsvWriter::new(out, plan)?, plan, rows, control)
                })
                .await;
            if let Err(e) = run {
                // The client may be gone already: then there is nobody to tell.
                let _ = failed.send(Err(std::io::Error::other(e.to_string()))).await;
            }
        });
        Ok(futures_util::stream::unfold(rx, |mut rx| async move {
            rx.recv().await.map(|chunk| (chunk, rx))
        }))
    }

    /// Runs an export: `write` on a blocking thread (the writers are synchronous), the rows
    /// read there too from a SQLite file, otherwise from the cursor read here, in batches
    /// through a bounded channel.
    async fn lead_export_run<F>(
        &self,
        plan: &ExportPlan,
        control: &ExportControl,
        write: F,
    ) -> Result<ExportOutcome>
    where
        F: FnOnce(&ExportPlan, Rows, &ExportControl) -> Result<ExportOutcome> + Send + 'static,
    {
        let writer_plan = plan.clone();
        let writer_control = control.clone();
        let with_conversation = plan.columns.contains(&Column::ConversationId);
        control.start(u64::try_from(plan.rows).unwrap_or(0));
        if let Some(file) = self.store().sqlite_file() {
            let rows = Rows::SqliteFile {
                file,
                with_conversation,
            };
            return tokio::task::spawn_blocking(move || write(&writer_plan, rows, &writer_control))
                .await
                .map_err(|e| Error::Internal(format!("export writer: {e}")))?;
        }
        let (tx, rx) = tokio::sync::mpsc::channel::<Vec<ExportRow>>(BATCHES);
        let writer = tokio::task::spawn_blocking(move || {
            write(&writer_plan, Rows::Channel(rx), &writer_control)
        });
        let mut cursor =
            self.store()
                .lead_export_cursor(plan.agent_id, plan.start, plan.end, with_conversation);
        let mut failed = None;
        let mut batch = Vec::with_capacity(BATCH);
        loop {
            match cursor.next().await {
                Some(Ok(lead)) => {
                    batch.push(lead);
                    if batch.len() < BATCH {
                        continue;
                    }
                }
                Some(Err(e)) => {
                    failed = Some(e);
                    break;
                }
                None => break,
            }
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
            if tx.send(full).await.is_err() {
                break; // The writer stopped (failed or cancelled): its outcome is below.
            }
        }
        if failed.is_none() && !batch.is_empty() {
            let _ = tx.send(batch).await;
        }
        drop(tx);
        let written = writer
            .await
            .map_err(|e| Error::Internal(format!("export writer: {e}")))?;
        match failed {
            // Reading failed part-way: the file is incomplete whatever the writer made of it.
            Some(e) => Err(e),
            None => written,
        }
    }
}

/// Leads per message from the cursor to the writer, and messages in flight: enough to keep
/// both sides busy, few enough that memory stays flat (at most `BATCH * (BATCHES + 2)` leads).
const BATCH: usize = 512;
const BATCHES: usize = 4;
/// The streamed CSV's chunks: their size and how many may wait for the client.
const STREAM_CHUNK_BYTES: usize = 64 * 1024;
const STREAM_CHUNKS: usize = 8;
/// Progress is reported every this many rows (and at the end).
const PROGRESS_EVERY: u64 = 1000;

/// How an export ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportOutcome {
    /// Complete: this many rows.
    Done(u64),
    /// Stopped by [`ExportControl::cancel`].
    Cancelled,
}

/// Rows written of rows to write (counted before writing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, TS)]
pub struct ExportProgress {
    #[ts(type = "number")]
    pub written: u64,
    #[ts(type = "number")]
    pub total: u64,
}

type ProgressFn = dyn Fn(ExportProgress) + Send + Sync;

/// A running export's progress and its cancel switch, shared (cheap to clone) between the
/// writer and whoever watches it.
#[derive(Clone, Default)]
pub struct ExportControl {
    inner: Arc<ControlInner>,
    cancel: ExportCancel,
}

#[derive(Default)]
struct ControlInner {
    written: AtomicU64,
    total: AtomicU64,
    on_progress: Option<Box<ProgressFn>>,
}

/// Cancels the export of the control it came from ([`ExportControl::cancel_handle`]).
#[derive(Clone, Default, Debug)]
pub struct ExportCancel(Arc<AtomicBool>);

impl ExportCancel {
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

impl std::fmt::Debug for ExportControl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExportControl")
            .field("progress", &self.progress())
            .field("cancelled", &self.cancel.is_cancelled())
            .finish()
    }
}

impl ExportControl {
    pub fn new() -> ExportControl {
        ExportControl::default()
    }

    /// With `f` called on the writer's thread at the start, every [`PROGRESS_EVERY`] rows and
    /// once the file is complete (`written == total` only then), `written` never going down. Keep it quick: the export waits for it.
    pub fn on_progress(self, f: impl Fn(ExportProgress) + Send + Sync + 'static) -> Self {
        ExportControl {
            inner: Arc::new(ControlInner {
                on_progress: Some(Box::new(f)),
                ..Default::default()
            }),
            cancel: self.cancel,
        }
    }

    /// A handle that cancels this export (from any thread, even from the progress callback).
    pub fn cancel_handle(&self) -> ExportCancel {
        self.cancel.clone()
    }

    pub fn cancel(&self) {
        self.cancel.cancel();
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancel.is_cancelled()
    }

    pub fn progress(&self) -> ExportProgress {
        ExportProgress {
            written: self.inner.written.load(Ordering::Relaxed),
            total: self.inner.total.load(Ordering::Relaxed),
        }
    }

    fn start(&self, total: u64) {
        self.inner.written.store(0, Ordering::Relaxed);
        self.inner.total.store(total, Ordering::Relaxed);
        self.report();
    }

    fn advance(&self, written: u64) {
        self.inner.written.store(written, Ordering::Relaxed);
        // Leads created while the export runs may make more rows than counted.
        let total = self.inner.total.fetch_max(written, Ordering::Relaxed);
        // The last report waits for the file to be complete (an XLSX is zipped at the end).
        if written % PROGRESS_EVERY == 0 && written < total {
            self.report();
        }
    }

    fn report(&self) {
        if let Some(f) = &self.inner.on_progress {
            f(self.progress());
        }
    }
}

/// Why writing an export failed (an [`Error::Internal`] to callers: it is the machine's,
/// not the request's).
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot create a temporary file in {0}: {1}")]
    Temp(PathBuf, std::io::Error),
    #[error("cannot write the export: {0}")]
    Write(String),
    #[error("cannot save the export as {0}: {1}")]
    Rename(PathBuf, std::io::Error),
}

impl From<ExportError> for Error {
    fn from(e: ExportError) -> Error {
        Error::Internal(e.to_string())
    }
}

fn io(e: impl std::fmt::Display) -> Error {
    ExportError::Write(e.to_string()).into()
}

/// Where the writer gets its rows.
enum Rows {
    /// The cursor's batches (PostgreSQL, an in-memory SQLite).
    Channel(tokio::sync::mpsc::Receiver<Vec<ExportRow>>),
    /// A SQLite file, read on the writer's thread.
    SqliteFile {
        file: PathBuf,
        with_conversation: bool,
    },
}

impl Rows {
    /// Each lead of `plan` to `f` until it returns `false`.
    fn each(
        self,
        plan: &ExportPlan,
        mut f: impl FnMut(&ExportLead<'_>) -> Result<bool>,
    ) -> Result<()> {
        match self {
            Rows::Channel(mut rx) => {
                while let Some(batch) = rx.blocking_recv() {
                    for row in &batch {
                        if !f(&row.lead()?)? {
                            return Ok(());
                        }
                    }
                }
                Ok(())
            }
            Rows::SqliteFile {
                file,
                with_conversation,
            } => crate::store::leads::lead_export_read_sqlite(
                &file,
                plan.agent_id,
                plan.start,
                plan.end,
                with_conversation,
                f,
            ),
        }
    }
}

/// The writer loop: each lead's cells to `w`, progress counted, the cancel switch checked per
/// row.
fn write_rows<R: RowWriter>(
    mut w: R,
    plan: &ExportPlan,
    rows: Rows,
    control: &ExportControl,
) -> Result<ExportOutcome> {
    let with_custom = plan.columns.contains(&Column::Custom);
    let mut custom = String::new();
    let mut n = 0u64;
    rows.each(plan, |lead| {
        if control.is_cancelled() {
            return Ok(false);
        }
        if with_custom {
            custom_text(lead.custom, &mut custom)?;
        }
        for (i, c) in plan.columns.iter().enumerate() {
            w.cell(i, cell(*c, lead, plan.timezone, &custom))?;
        }
        w.end_row()?;
        n += 1;
        control.advance(n);
        Ok(true)
    })?;
    if control.is_cancelled() {
        return Ok(ExportOutcome::Cancelled);
    }
    w.finish()?;
    control.report();
    Ok(ExportOutcome::Done(n))
}

trait RowWriter {
    fn cell(&mut self, col: usize, cell: Cell<'_>) -> Result<()>;
    fn end_row(&mut self) -> Result<()>;
    fn finish(self) -> Result<()>;
}

/// A `Write` into a bounded channel of chunks: blocks while the reader is behind, fails once
/// the reader is gone.
struct ChannelWriter {
    tx: tokio::sync::mpsc::Sender<std::io::Result<Vec<u8>>>,
    buf: Vec<u8>,
}

impl ChannelWriter {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::replace(&mut self.buf, Vec::with_capacity(STREAM_CHUNK_BYTES));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client left"))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= STREAM_CHUNK_BYTES {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}

struct CsvWriter<W: Write> {
    csv: csv::Writer<W>,
    field: Vec<u8>,
}

impl<W: Write> CsvWriter<W> {
    fn new(mut out: W, plan: &ExportPlan) -> Result<Self> {
        if plan.bom {
            out.write_all("\u{feff}".as_bytes()).map_err(io)?;
        }
        let mut csv = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .buffer_capacity(64 * 1024)
            .from_writer(out);
        let zone = plan.timezone.name();
        csv.write_record(plan.columns.iter().map(|c| c.title(zone)))
            .map_err(io)?;
        Ok(CsvWriter {
            csv,
            field: Vec::with_capacity(256),
        })
    }
}

/// `2026-11-30 23:59:59`, without chrono's format parser (a million rows notice it).
fn push_time(out: &mut Vec<u8>, t: &DateTime<Tz>) {
    use chrono::{Datelike, Timelike};
    fn two(out: &mut Vec<u8>, n: u32) {
        out.push(b'0' + u8::try_from(n / 10 % 10).unwrap_or(0));
        out.push(b'0' + u8::try_from(n % 10).unwrap_or(0));
    }
    let year = u32::try_from(t.year()).unwrap_or(0);
    two(out, year / 100);
    two(out, year % 100);
    for (sep, n) in [
        (b'-', t.month()),
        (b'-', t.day()),
        (b' ', t.hour()),
        (b':', t.minute()),
        (b':', t.second()),
    ] {
        out.push(sep);
        two(out, n);
    }
}

impl<W: Write> RowWriter for CsvWriter<W> {
    fn cell(&mut self, _col: usize, cell: Cell<'_>) -> Result<()> {
        self.field.clear();
        match cell {
            Cell::Empty => {}
            Cell::Number(n) => {
                let _ = write!(self.field, "{n}");
            }
            Cell::Text(s) => {
                if formula_like(s) {
                    self.field.push(b'\'');
                }
                self.field.extend_from_slice(s.as_bytes());
            }
            Cell::Time(t) => push_time(&mut self.field, &t),
        }
        self.csv.write_field(&self.field).map_err(io)
    }

    fn end_row(&mut self) -> Result<()> {
        self.csv.write_record(None::<&[u8]>).map_err(io)
    }

    fn finish(self) -> Result<()> {
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

impl<W: Write + Seek + Send> XlsxWriter<W> {
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
            row: 1,
            date: Format::new().set_num_format("yyyy-mm-dd hh:mm:ss"),
        })
    }
}

impl<W: Write + Seek + Send> RowWriter for XlsxWriter<W> {
    fn cell(&mut self, col: usize, cell: Cell<'_>) -> Result<()> {
        let row = self.row;
        let col = u16::try_from(col).map_err(io)?;
        let sheet = self.book.worksheet_from_index(0).map_err(xlsx)?;
        match cell {
            Cell::Empty => {}
            Cell::Number(n) => {
                // Ids stay exact: Excel's numbers hold integers up to 2^53.
                #[allow(clippy::cast_precision_loss)]
                sheet.write_number(row, col, n as f64).map_err(xlsx)?;
            }
            // A string cell, never a formula, whatever the text starts with.
            Cell::Text(s) => {
                sheet.write_string(row, col, s).map_err(xlsx)?;
            }
            Cell::Time(t) => {
                sheet
                    .write_datetime_with_format(row, col, t.naive_local(), &self.date)
                    .map_err(xlsx)?;
            }
        }
        Ok(())
    }

    fn end_row(&mut self) -> Result<()> {
        self.row += 1;
        Ok(())
    }

    fn finish(self) -> Result<()> {
        let XlsxWriter {
            mut book, mut out, ..
        } = self;
        book.save_to_writer(&mut out).map_err(xlsx)?;
        out.flush().map_err(io)
    }
}

#[cfg(test)]
mod tests {
    use super::custom_text;

    #[test]
    fn the_other_details_are_read_from_the_stored_object_in_its_order() {
        let mut out = String::from("left from the row before");
        custom_text(
            r#"{"company":"Acme","note":"says \"hi\"; ok","zip":"\u00e9"}"#,
            &mut out,
        )
        .expect("valid");
        assert_eq!(out, r#"company: Acme; note: says "hi"; ok; zip: é"#);
        custom_text("{}", &mut out).expect("valid");
        assert_eq!(out, "");
        custom_text(r#"{"":""}"#, &mut out).expect("valid");
        assert_eq!(out, ": ");
    }

    #[test]
    fn stored_details_that_are_not_an_object_of_strings_are_an_error_not_a_guess() {
        let mut out = String::new();
        for bad in [r#"{"a":1}"#, "[]", r#"{"a":"b"} x"#, "", r#"{"a":"b""#] {
            assert!(custom_text(bad, &mut out).is_err(), "{bad}");
        }
    }
}
