//! One error type for the whole core. Every variant has a stable machine-readable code;
//! the HTTP edge (`http::error`) and the desktop IPC map it once, from here.

use serde::Serialize;
use ts_rs::TS;
use utoipa::ToSchema;

/// One invalid field, named by its JSON path (`settings.timezone`, `availability[2].start_time`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, ToSchema)]
pub struct FieldError {
    pub field: String,
    pub code: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            code: code.to_owned(),
            message: message.into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{} invalid field(s): {}", .0.len(), summarize(.0))]
    Validation(Vec<FieldError>),
    #[error("{message}")]
    BadRequest {
        message: String,
        field: Option<String>,
    },
    #[error("{0}")]
    TooLarge(String),
    #[error("{what} not found")]
    NotFound { what: &'static str },
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    /// Too many attempts: try again after `retry_after_secs`.
    #[error("{message}")]
    TooManyRequests {
        message: String,
        retry_after_secs: u64,
    },
    #[error("{message}")]
    Conflict {
        message: String,
        field: Option<String>,
    },
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("internal error: {0}")]
    Internal(String),
}

fn summarize(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect::<Vec<_>>()
        .join("; ")
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Stable code, part of the API contract.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Validation(_) => "validation_failed",
            Error::BadRequest { .. } => "bad_request",
            Error::TooLarge(_) => "payload_too_large",
            Error::NotFound { .. } => "not_found",
            Error::Unauthorized(_) => "unauthorized",
            Error::Forbidden(_) => "forbidden",
            Error::Conflict { .. } => "conflict",
            Error::TooManyRequests { .. } => "too_many_requests",
            Error::Database(_) | Error::Migrate(_) => "database_error",
            Error::Internal(_) => "internal_error",
        }
    }

    /// The field the error is about, when there is one (the first, for validation errors).
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Validation(errors) => errors.first().map(|e| e.field.as_str()),
            Error::BadRequest { field, .. } | Error::Conflict { field, .. } => field.as_deref(),
            _ => None,
        }
    }

    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            Error::Validation(errors) => errors,
            _ => &[],
        }
    }

    /// Message safe to show to a client: database and internal details stay in the logs.
    pub fn public_message(&self) -> String {
        match self {
            Error::Database(_) | Error::Migrate(_) => "a database error occurred".into(),
            Error::Internal(_) => "an internal error occurred".into(),
            other => other.to_string(),
        }
    }

    pub fn not_found(what: &'static str) -> Self {
        Error::NotFound { what }
    }

    pub fn invalid(field: impl Into<String>, code: &str, message: impl Into<String>) -> Self {
        Error::Validation(vec![FieldError::new(field, code, message)])
    }

    pub fn conflict(message: impl Into<String>, field: Option<&str>) -> Self {
        Error::Conflict {
            message: message.into(),
            field: field.map(str::to_owned),
        }
    }

    /// A unique-constraint violation becomes a conflict on `field`; anything else stays a database error.
    pub fn from_unique(err: sqlx::Error, field: &str, message: &str) -> Self {
        match &err {
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                Error::conflict(message, Some(field))
            }
            _ => Error::Database(err),
        }
    }
}

/// Collects field errors so that one request reports every problem at once.
#[derive(Debug, Default)]
pub struct Problems(Vec<FieldError>);

impl Problems {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn push(&mut self, field: impl Into<String>, code: &str, message: impl Into<String>) {
        self.0.push(FieldError::new(field, code, message));
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn into_result(self) -> Result<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Error::Validation(self.0))
        }
    }

    /// Length check in characters (not bytes), as users count them.
    pub fn max_chars(&mut self, field: &str, value: &str, max: usize) {
        let n = value.chars().count();
        if n > max {
            self.push(
                field,
                "too_long",
                format!("must be at most {max} characters (got {n})"),
            );
        }
    }

    pub fn not_blank(&mut self, field: &str, value: &str) {
        if value.trim().is_empty() {
            self.push(field, "required", "must not be empty");
        }
    }
}

// Built here, once, for HTTP and for the desktop app's IPC alike.
/// The body of every error response (and of every failed desktop command).
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable machine-readable code, e.g. `validation_failed`, `unauthorized`, `not_found`.
    pub code: &'static str,
    pub message: String,
    /// The (first) offending field, as a JSON path like `settings.timezone`.
    pub field: Option<String>,
    /// Every invalid field, for validation errors.
    pub errors: Vec<FieldError>,
}

impl From<&Error> for ErrorBody {
    fn from(e: &Error) -> Self {
        // Field names and messages may quote what the client sent (an unknown parameter's
        // name): NUL is written out, never echoed (JSON carries it, C strings and logs cut
        // at it).
        let clean = |s: &str| s.replace('\0', "\\u0000");
        ErrorBody {
            code: e.code(),
            message: clean(&e.public_message()),
            field: e.field().map(clean),
            errors: e
                .field_errors()
                .iter()
                .map(|f| FieldError {
                    field: clean(&f.field),
                    code: f.code.clone(),
                    message: clean(&f.message),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_body_never_echoes_nul() {
        let e = Error::invalid("a\0b", "unknown_field", "unknown query parameter 'a\0b'");
        let body = ErrorBody::from(&e);
        assert_eq!(body.field.as_deref(), Some("a\\u0000b"));
        assert_eq!(
            body.errors[0].message,
            "unknown query parameter 'a\\u0000b'"
        );
        assert!(!body.message.contains('\0'));
    }
}
