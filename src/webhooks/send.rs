//! Sending one signed event to an endpoint through [`crate::outbound`] (its allow-list, no
//! redirects, 15 s for the whole exchange), and what the answer means for the outbox: a 2xx is
//! delivered; a redirect, any other status, a timeout or an unreachable host is retried
//! (`Retry-After` honoured); `410 Gone` turns the endpoint off; a blocked address is given up
//! (nothing was sent). Errors name the host, never the URL (which may hold a token).

use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Duration, Utc};
use reqwest::header::{HeaderName, HeaderValue, CONTENT_TYPE, RETRY_AFTER};
use reqwest::StatusCode;

use super::sign;
use super::validate::{RESPONSE_EXCERPT_BYTES, TIMEOUT_SECS};
use crate::outbound::{self, Allow, OutboundError, Policy};
use crate::outbox::{Attempted, Delivery};

/// What one send did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Sent {
    pub status: Option<u16>,
    pub duration_ms: u64,
    /// The start of the answer's body.
    pub response: Option<String>,
    /// Why it is not a success, in words (no URL, no secret).
    pub error: Option<String>,
    /// How the outbox takes it.
    pub delivery: Delivery,
    /// The endpoint answered 410 Gone: turn it off.
    pub gone: bool,
}

impl Sent {
    pub fn ok(&self) -> bool {
        matches!(self.delivery, Delivery::Done(_))
    }

    pub fn into_attempted(self) -> Attempted {
        Attempted {
            delivery: self.delivery,
            status_code: self.status,
            response: self.response,
        }
    }
}

/// The client for an allow-list (clients are kept per policy: building one loads the TLS
/// roots, and a kept one reuses its connections).
pub(crate) fn client(allow: &[Allow]) -> Result<outbound::Client, OutboundError> {
    let policy = Policy {
        allow: allow.to_vec(),
        // A redirect is a failure: the 3xx comes back as it is.
        max_redirects: 0,
        connect_timeout: StdDuration::from_secs(TIMEOUT_SECS.min(10)),
        total_timeout: StdDuration::from_secs(TIMEOUT_SECS),
        max_body_bytes: RESPONSE_EXCERPT_BYTES as u64,
    };
    static CLIENTS: std::sync::OnceLock<std::sync::Mutex<Vec<outbound::Client>>> =
        std::sync::OnceLock::new();
    let clients = CLIENTS.get_or_init(Default::default);
    if let Some(c) = clients
        .lock()
        .ok()
        .and_then(|list| list.iter().find(|c| *c.policy() == policy).cloned())
    {
        return Ok(c);
    }
    let client = outbound::Client::new(policy)?;
    if let Ok(mut list) = clients.lock() {
        if list.len() >= CLIENTS_KEPT {
            list.remove(0);
        }
        list.push(client.clone());
    }
    Ok(client)
}

const CLIENTS_KEPT: usize = 64;

/// A `Retry-After` value (seconds, or an HTTP date) as a delay from `now`.
pub(crate) fn retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<u32>() {
        return Some(Duration::seconds(i64::from(secs)));
    }
    let at = DateTime::parse_from_rfc2822(v).ok()?.with_timezone(&Utc);
    Some((at - now).max(Duration::zero()))
}

fn elapsed_ms(started: Instant) -> u64 {
    u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
}

fn excerpt(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    crate::actions::model::cut(&text, RESPONSE_EXCERPT_BYTES).0
}

/// Posts `body` to `url` as message `id`, signed with `keys` at unix second `timestamp`.
pub(crate) async fn send(
    client: &outbound::Client,
    url: &str,
    keys: &[Vec<u8>],
    id: &str,
    timestamp: DateTime<Utc>,
    body: &str,
) -> Sent {
    let started = Instant::now();
    let failed = |error: String, delivery: Delivery| Sent {
        status: None,
        duration_ms: elapsed_ms(started),
        response: None,
        error: Some(error),
        delivery,
        gone: false,
    };
    let Ok(parsed) = url::Url::parse(url) else {
        let e = "the webhook's address is not a valid URL".to_owned();
        return failed(e.clone(), Delivery::GiveUp(e));
    };
    let ts = timestamp.timestamp();
    let header = |v: String| HeaderValue::from_str(&v).ok();
    let (Some(hid), Some(hts), Some(hsig)) = (
        header(id.to_owned()),
        header(ts.to_string()),
        header(sign::signature_header(keys, id, ts, body)),
    ) else {
        let e = "the message id cannot be sent as a header".to_owned();
        return failed(e.clone(), Delivery::GiveUp(e));
    };
    let request = outbound::Request::post(parsed)
        .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
        .header(HeaderName::from_static("webhook-id"), hid)
        .header(HeaderName::from_static("webhook-timestamp"), hts)
        .header(HeaderName::from_static("webhook-signature"), hsig)
        .body(body.as_bytes().to_vec());
    let response = match client.fetch(request).await {
        Ok(r) => r,
        Err(e) => {
            let delivery = match &e {
                OutboundError::Refused { .. } => Delivery::GiveUp(format!("blocked: {e}")),
                OutboundError::InvalidUrl(_) | OutboundError::InvalidPolicy(_) => {
                    Delivery::GiveUp(e.to_string())
                }
                OutboundError::Timeout => {
                    Delivery::Retry(format!("no answer within {TIMEOUT_SECS} s"))
                }
                _ => Delivery::Retry(e.to_string()),
            };
            let error = match &delivery {
                Delivery::GiveUp(m) | Delivery::Retry(m) => m.clone(),
                _ => e.to_string(),
            };
            return failed(error, delivery);
        }
    };
    let status = response.status();
    let asked = response
        .headers()
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| retry_after(v, timestamp));
    // The body is read within the same 15 s; an answer cut short by the bound still counts as
    // its status.
    let (text, read_error) = match response
        .bytes_truncated(RESPONSE_EXCERPT_BYTES as u64)
        .await
    {
        Ok((bytes, _)) => (Some(excerpt(&bytes)), None),
        Err(OutboundError::Timeout) if status.is_success() => (
            None,
            Some(format!("the answer did not end within {TIMEOUT_SECS} s")),
        ),
        Err(_) => (None, None),
    };
    let code = status.as_u16();
    let (delivery, gone) = if let Some(e) = read_error {
        (Delivery::Retry(e), false)
    } else if status.is_success() {
        (Delivery::Done(Some(code.to_string())), false)
    } else if status == StatusCode::GONE {
        (
            Delivery::GiveUp(
                "410 Gone: the endpoint asked to receive nothing more, so Baton turned this \
                 webhook off"
                    .into(),
            ),
            true,
        )
    } else {
        let why = if status.is_redirection() {
            format!(
                "answered {code} (a redirect): redirects are not followed, use the final address"
            )
        } else {
            format!("answered {code}")
        };
        match asked {
            Some(after) => (Delivery::RetryAfter(why, after), false),
            None => (Delivery::Retry(why), false),
        }
    };
    let error = match &delivery {
        Delivery::Done(_) => None,
        Delivery::Retry(m) | Delivery::RetryAfter(m, _) | Delivery::GiveUp(m) => Some(m.clone()),
    };
    Sent {
        status: Some(code),
        duration_ms: elapsed_ms(started),
        response: text,
        error,
        delivery,
        gone,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        let now = DateTime::parse_from_rfc3339("2024-05-01T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(retry_after("120", now), Some(Duration::seconds(120)));
        assert_eq!(
            retry_after("Wed, 01 May 2024 10:30:00 GMT", now),
            Some(Duration::minutes(30))
        );
        assert_eq!(
            retry_after("Wed, 01 May 2024 09:00:00 GMT", now),
            Some(Duration::zero())
        );
        assert_eq!(retry_after("soon", now), None);
        assert_eq!(retry_after("-5", now), None);
    }
}
