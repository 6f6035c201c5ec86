//! Checks of values that several domains accept (an operator's email, a handoff address, a
//! visitor's time zone): one definition each, in a leaf module anyone may use.

use std::str::FromStr;

/// The longest email address accepted anywhere (RFC 5321 path limit).
pub const EMAIL_MAX_CHARS: usize = 254;

/// A pragmatic address check: one `@`, a non-empty local part, a dotted domain, no spaces.
pub fn is_valid_email(e: &str) -> bool {
    let Some((local, domain)) = e.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !e.chars().any(|c| c.is_whitespace() || c.is_control())
        && e.len() <= EMAIL_MAX_CHARS
}

/// The IANA time zone named `tz`, or a message saying what was meant.
pub fn check_timezone(tz: &str) -> std::result::Result<chrono_tz::Tz, String> {
    chrono_tz::Tz::from_str(tz).map_err(|_| match chrono_tz::Tz::from_str_insensitive(tz) {
        Ok(found) => format!(
            "unknown IANA time zone '{tz}'; did you mean '{}'?",
            found.name()
        ),
        Err(_) => format!("unknown IANA time zone '{tz}' (expected a name like 'Europe/London')"),
    })
}
