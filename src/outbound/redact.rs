//! Secrets out of anything shown or logged: URL passwords, query parameters whose names look
//! secret, secret-looking headers, and known secret values in free text. This is the only URL
//! masking in Baton (database URLs in the CLI and the desktop settings use it too).

use std::fmt;

use reqwest::header::HeaderMap;

/// What a secret is replaced by.
pub const MASK: &str = "***";

/// A URL fit for logs, errors and forms: the password and the values of secret-looking query
/// (and fragment) parameters become `***`. Input with nothing to hide, or that is not a URL,
/// comes back unchanged, byte for byte.
pub fn redact_url(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(url) => redacted(&url).unwrap_or_else(|| raw.to_owned()),
        Err(_) => raw.to_owned(),
    }
}

/// [`redact_url`] of a parsed URL.
pub fn redact_parsed(url: &url::Url) -> String {
    redacted(url).unwrap_or_else(|| url.to_string())
}

/// The redacted form, or `None` when there is nothing to hide.
fn redacted(url: &url::Url) -> Option<String> {
    let mut out = url.clone();
    let mut changed = false;
    if url.password().is_some() {
        changed |= out.set_password(Some(MASK)).is_ok();
    }
    if let Some(query) = url.query().and_then(redact_pairs) {
        out.set_query(Some(&query));
        changed = true;
    }
    if let Some(fragment) = url.fragment().and_then(redact_pairs) {
        out.set_fragment(Some(&fragment));
        changed = true;
    }
    changed.then(|| out.to_string())
}

/// `a=1&token=x` → `a=1&token=***`, keeping every other pair as written; `None` if unchanged.
fn redact_pairs(pairs: &str) -> Option<String> {
    let mut changed = false;
    let parts: Vec<String> = pairs
        .split('&')
        .map(|part| {
            let (raw_name, value) = part.split_once('=').unwrap_or((part, ""));
            let name = url::form_urlencoded::parse(raw_name.as_bytes())
                .next()
                .map(|(k, _)| k.into_owned())
                .unwrap_or_default();
            if !value.is_empty() && is_secret_param(&name) {
                changed = true;
                format!("{raw_name}={MASK}")
            } else {
                part.to_owned()
            }
        })
        .collect();
    changed.then(|| parts.join("&"))
}

/// Whether a query parameter's name says its value is a secret (`key`, `api_key`, `token`,
/// `access_token`, `secret`, `client_secret`, `password`, `signature`, `sig`, `X-Amz-Signature`,
/// `auth`, `session`, …).
pub fn is_secret_param(name: &str) -> bool {
    let name = name.trim().to_ascii_lowercase().replace(['-', '.'], "_");
    matches!(name.as_str(), "sig" | "pwd" | "pass" | "code")
        || name.ends_with("_sig")
        || [
            "key",
            "token",
            "secret",
            "passw",
            "signature",
            "credential",
            "session",
            "auth",
        ]
        .iter()
        .any(|word| name.contains(word))
}

/// Whether a header carries a secret: `authorization`, `proxy-authorization`, `cookie`,
/// `set-cookie`, `x-api-key`, and any name with `token`, `secret`, `key`, `password`, `auth`,
/// `signature`, `session` or `credential` in it.
pub fn is_secret_header(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    matches!(name.as_str(), "cookie" | "set-cookie")
        || [
            "auth",
            "token",
            "secret",
            "key",
            "passw",
            "signature",
            "session",
            "credential",
        ]
        .iter()
        .any(|word| name.contains(word))
}

/// Shows headers with secret values replaced: `{"authorization": "***", "accept": "…"}`.
pub struct Headers<'a>(pub &'a HeaderMap);

impl fmt::Debug for Headers<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in self.0 {
            if is_secret_header(name.as_str()) || value.is_sensitive() {
                map.entry(&name.as_str(), &MASK);
            } else {
                map.entry(&name.as_str(), &String::from_utf8_lossy(value.as_bytes()));
            }
        }
        map.finish()
    }
}

/// `text` with every occurrence of each (non-empty) secret replaced by `***`: for error bodies
/// and messages that might echo a key back.
pub fn scrub(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_owned();
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        if out.contains(secret) {
            out = out.replace(secret, MASK);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_passwords_and_secret_parameters() {
        assert_eq!(redact_url("http://u:secret@h/v1"), "http://u:***@h/v1");
        assert_eq!(
            redact_url("postgres://baton:pw@db.example:5432/baton"),
            "postgres://baton:***@db.example:5432/baton"
        );
        assert_eq!(
            redact_url("https://h/x?q=1&api_key=K1&Token=K2&X-Amz-Signature=K3&sig=K4&page=2"),
            "https://h/x?q=1&api_key=***&Token=***&X-Amz-Signature=***&sig=***&page=2"
        );
        assert_eq!(
            redact_url("https://h/cb#access_token=K5&state=s"),
            "https://h/cb#access_token=***&state=s"
        );
        assert_eq!(
            redact_url("postgres://h/db?sslmode=require&password=K6"),
            "postgres://h/db?sslmode=require&password=***"
        );
    }

    #[test]
    fn leaves_everything_else_as_written() {
        for raw in [
            "http://h/v1",
            "sqlite:///tmp/baton.db?mode=rwc",
            "sqlite:baton.db",
            "http://u@h/?q=a%20b+c&key=",
            "not a url",
            "",
        ] {
            assert_eq!(redact_url(raw), raw);
        }
    }

    #[test]
    fn names_that_look_secret() {
        for name in [
            "key",
            "api_key",
            "apiKey",
            "api-key",
            "token",
            "access_token",
            "secret",
            "client_secret",
            "password",
            "signature",
            "sig",
            "X-Amz-Credential",
            "auth",
            "pwd",
            "session_id",
        ] {
            assert!(is_secret_param(name), "{name}");
        }
        for name in ["q", "page", "model", "state", "sort", "lang"] {
            assert!(!is_secret_param(name), "{name}");
        }
        for name in [
            "authorization",
            "proxy-authorization",
            "cookie",
            "x-api-key",
            "x-auth-token",
            "x-webhook-secret",
            "x-hub-signature-256",
            "api-key",
        ] {
            assert!(is_secret_header(name), "{name}");
        }
        for name in ["accept", "content-type", "user-agent", "x-request-id"] {
            assert!(!is_secret_header(name), "{name}");
        }
    }

    #[test]
    fn headers_show_without_secrets() {
        let mut headers = HeaderMap::new();
        headers.insert("authorization", "Bearer CANARY-1".parse().unwrap());
        headers.insert("x-custom-token", "CANARY-2".parse().unwrap());
        headers.insert("accept", "application/json".parse().unwrap());
        let shown = format!("{:?}", Headers(&headers));
        assert!(!shown.contains("CANARY"), "{shown}");
        assert!(shown.contains("application/json"), "{shown}");
        assert!(shown.contains("authorization"), "{shown}");
    }

    #[test]
    fn scrubs_known_values() {
        assert_eq!(
            scrub("key sk-1 echoed sk-1", &["sk-1", ""]),
            "key *** echoed ***"
        );
    }
}
