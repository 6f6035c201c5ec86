//! The leads export: a file download, so a hand-written route beside the generated REST ones
//! (which answer JSON). CSV goes from the database cursor straight into the response body
//! (no file, no length known up front). XLSX is a zip whose directory comes last, which
//! `rust_xlsxwriter` writes by seeking: it is written to a temporary file, then streamed; the
//! temporary file is removed when the response ends or is dropped.

use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use tokio::io::AsyncReadExt;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::ErrorBody;
use super::extract::Authed;
use crate::error::{Error, Result};
use crate::leads::export::{ExportControl, ExportOutcome};
use crate::leads::model::{ExportFormat, LeadExportQuery};
use crate::Baton;

pub fn router() -> OpenApiRouter<Baton> {
    OpenApiRouter::new().routes(routes!(lead_export))
}

/// Export leads as CSV or XLSX: whole days `from`..=`to` (`YYYY-MM-DD`, both included) in
/// the business time zone (the agent's working-hours zone, UTC if none), the `columns`
/// chosen (comma-separated; default all), CSV with a UTF-8 byte-order mark unless
/// `bom=false`. A download named `leads-FROM-to-TO.EXT`; `X-Total-Count` is the number of
/// rows. Values a spreadsheet would take for a formula are exported as text. CSV is streamed
/// as the rows are read (no `Content-Length`); XLSX is written whole first, then sent with
/// its length.
#[utoipa::path(get, path = "/v1/leads/export", tag = "leads",
    params(
        ("format" = String, Query, description = "`csv` or `xlsx`"),
        ("from" = String, Query, description = "First day, `YYYY-MM-DD`"),
        ("to" = String, Query, description = "Last day (included), `YYYY-MM-DD`"),
        ("columns" = Option<String>, Query, description = "id, created_at, name, email, phone, source, consent_text, consent_at, conversation_id, custom"),
        ("agent_id" = Option<i64>, Query, description = "Default: the token's agent or the default agent"),
        ("bom" = Option<bool>, Query, description = "CSV only; default true"),
    ),
    responses(
        (status = 200, description = "The file: CSV or XLSX as asked", content(
            (String = "text/csv; charset=utf-8"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, description = "No such agent", body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn lead_export(
    State(b): State<Baton>,
    Authed(a): Authed,
    RawQuery(query): RawQuery,
) -> Result<Response> {
    // Its errors as the JSON bodies' are: 422 naming the parameter.
    let raw = query.unwrap_or_default();
    let q: LeadExportQuery = serde_path_to_error::deserialize(serde_urlencoded::Deserializer::new(
        form_urlencoded::parse(raw.as_bytes()),
    ))
    .map_err(|e| {
        crate::json::field_error(e.path().to_string(), "query", e.into_inner().to_string())
    })?;
    let plan = b.lead_export_plan(&a, q).await?;
    let headers = |len: Option<u64>, rows: i64| {
        let mut h = vec![
            (header::CONTENT_TYPE, plan.format.content_type().to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", plan.file_name),
            ),
            (
                header::HeaderName::from_static("x-total-count"),
                rows.to_string(),
            ),
        ];
        if let Some(len) = len {
            h.push((header::CONTENT_LENGTH, len.to_string()));
        }
        h
    };
    if plan.format == ExportFormat::Csv {
        let h = headers(None, plan.rows);
        let body = Body::from_stream(b.lead_export_csv_stream(plan.clone())?);
        return Ok(with_headers(h, body));
    }
    let temp = tempfile::NamedTempFile::new()
        .map_err(|e| Error::Internal(format!("export temp file: {e}")))?;
    let file = temp
        .reopen()
        .map_err(|e| Error::Internal(format!("export temp file: {e}")))?;
    let rows = match b
        .lead_export_write(&plan, std::io::BufWriter::new(file), &ExportControl::new())
        .await?
    {
        ExportOutcome::Done(rows) => i64::try_from(rows).unwrap_or(i64::MAX),
        ExportOutcome::Cancelled => return Err(Error::Internal("export cancelled".into())),
    };
    let path = temp.into_temp_path();
    let file = tokio::fs::File::open(&path)
        .await
        .map_err(|e| Error::Internal(format!("export temp file: {e}")))?;
    let len = file
        .metadata()
        .await
        .map_err(|e| Error::Internal(format!("export temp file: {e}")))?
        .len();
    // The path goes with the stream: the file is deleted when the body is dropped.
    let chunks = futures_util::stream::unfold(
        Some((file, path, vec![0u8; 64 * 1024])),
        |state| async move {
            let (mut file, path, mut buf) = state?;
            match file.read(&mut buf).await {
                Ok(0) => None,
                Ok(n) => {
                    let chunk = buf[..n].to_vec();
                    Some((Ok::<_, std::io::Error>(chunk), Some((file, path, buf))))
                }
                Err(e) => Some((Err(e), None)),
            }
        },
    );
    Ok(with_headers(
        headers(Some(len), rows),
        Body::from_stream(chunks),
    ))
}

fn with_headers(headers: Vec<(header::HeaderName, String)>, body: Body) -> Response {
    let mut r = body.into_response();
    for (name, value) in headers {
        if let Ok(v) = header::HeaderValue::from_str(&value) {
            r.headers_mut().insert(name, v);
        }
    }
    r
}
