//! Running an action: build the request from its templates and the run's values (each value
//! escaped for where it goes), apply auth, send it through [`crate::outbound`] with the action's
//! allow-list, classify the outcome, and build what the visitor is told from the response.
//!
//! Secrets: the only way a secret leaves is the auth this module applies, to the URL the
//! action's own templates produced, whose host is the one the action was saved with (checked
//! again here; the stored secret is also sealed to that host). Everything shown or logged goes
//! through [`Built::shown`], where credentials are `***` and the secret's value is masked
//! wherever it might appear (an API echoing it back included).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE};

use super::model::{
    cut, Action, ActionApiKeyLocation, ActionAuthKind, ActionHeader, ActionOutcome,
    ActionParamLocation, ActionRequestShown, ActionResponseShown,
};
use super::validate::{self, Compiled};
use crate::error::{Error, FieldError, Result};
use crate::outbound::redact::{self, MASK};
use crate::outbound::{self, OutboundError, Policy};
use crate::secrets::Secret;
use crate::template::{Context, RenderError, Values, Variable};

/// The values a run fills templates with: conversation variables by name (`conversation.id`,
/// `lead.email`, `metadata.plan`, …) and the parameters, already typed by
/// [`validate::check_params`].
#[derive(Debug, Clone, Default)]
pub struct RunValues {
    pub variables: BTreeMap<String, String>,
    pub params: BTreeMap<String, serde_json::Value>,
}

fn param_text(v: &serde_json::Value) -> Cow<'_, str> {
    match v {
        serde_json::Value::String(s) => Cow::Borrowed(s),
        other => Cow::Owned(other.to_string()),
    }
}

impl Values for RunValues {
    fn get(&self, variable: &Variable) -> Option<Cow<'_, str>> {
        let name = variable.name();
        if let Some(p) = name.strip_prefix("params.") {
            return self.params.get(p).map(param_text);
        }
        // `metadata_plan` and `metadata.plan` are one variable, whichever way it was given.
        let other = name
            .strip_prefix("metadata_")
            .map(|k| format!("metadata.{k}"))
            .or_else(|| {
                name.strip_prefix("metadata.")
                    .map(|k| format!("metadata_{k}"))
            });
        self.variables
            .get(name)
            .or_else(|| other.and_then(|o| self.variables.get(&o)))
            .map(|v| Cow::Borrowed(v.as_str()))
    }

    fn json(&self, variable: &Variable) -> Option<serde_json::Value> {
        let p = variable.name().strip_prefix("params.")?;
        self.params
            .get(p)
            .filter(|v| v.is_number() || v.is_boolean())
            .cloned()
    }
}

/// The reply template's values: the run's, and the response under `response`.
struct ReplyValues<'a> {
    run: &'a RunValues,
    response: serde_json::Value,
}

impl Values for ReplyValues<'_> {
    fn get(&self, variable: &Variable) -> Option<Cow<'_, str>> {
        let name = variable.name();
        if name == "response" || name.starts_with("response.") || name.starts_with("response[") {
            Values::get(&self.response, variable)
        } else {
            self.run.get(variable)
        }
    }
}

/// A request ready to send, and how it is shown.
pub(crate) struct Built {
    pub request: outbound::Request,
    pub shown: ActionRequestShown,
    /// The secret's forms to mask in anything shown (the response included).
    masks: Vec<String>,
}

/// A render error at the field the value came from: `params.NAME` or `variables.NAME`, where
/// the test panel (or the pipeline) can point.
fn render_error(e: RenderError, field: &str) -> Error {
    match &e {
        RenderError::Missing { variable } | RenderError::Unsafe { variable, .. } => {
            let at = if variable.starts_with("params.") {
                variable.clone()
            } else {
                format!("variables.{variable}")
            };
            let code = if matches!(e, RenderError::Missing { .. }) {
                "required"
            } else {
                "invalid_value"
            };
            Error::Validation(vec![FieldError::new(at, code, e.to_string())])
        }
        RenderError::HeaderText => Error::invalid(field, "invalid_header_value", e.to_string()),
    }
}

fn header_value(text: &str, field: &str) -> Result<HeaderValue> {
    HeaderValue::from_str(text).map_err(|_| {
        Error::invalid(
            field,
            "invalid_header_value",
            "the header value contains a line break or a character a header may not",
        )
    })
}

/// Builds the request `action` sends with `values`. Nothing is sent; errors name the field or
/// variable at fault.
pub(crate) fn build(
    action: &Action,
    compiled: &Compiled,
    secret: Option<&Secret>,
    values: &RunValues,
) -> Result<Built> {
    let rendered = compiled
        .url
        .render(values, Context::Url)
        .map_err(|e| render_error(e, "url"))?;
    let mut url = url::Url::parse(&rendered)
        .map_err(|_| Error::invalid("url", "invalid_url", "the address is not valid"))?;
    // The host is fixed when the action is saved: a value can never move it.
    let host = url
        .host()
        .map(|h| match h {
            url::Host::Ipv6(v6) => format!("[{v6}]"),
            h => h.to_string().to_ascii_lowercase(),
        })
        .unwrap_or_default();
    if host != compiled.host {
        return Err(Error::invalid(
            "url",
            "host_changed",
            "the address's host is not the one the action was saved with",
        ));
    }
    for param in &action.parameters {
        if param.location != ActionParamLocation::Query
            || compiled.used_params.contains(&param.name)
        {
            continue;
        }
        if let Some(v) = values.params.get(&param.name) {
            url.query_pairs_mut()
                .append_pair(&param.name, &param_text(v));
        }
    }
    let secret_text = secret.map(Secret::expose).filter(|s| !s.is_empty());
    let auth = &action.auth;
    let mut shown_url = url.clone();
    if let (ActionAuthKind::ApiKey, Some(ActionApiKeyLocation::Query), Some(name), Some(s)) = (
        auth.kind,
        auth.key_location,
        auth.key_name.as_deref(),
        secret_text,
    ) {
        url.query_pairs_mut().append_pair(name, s);
        shown_url.query_pairs_mut().append_pair(name, MASK);
    }

    let mut request = outbound::Request::new(action.method.http(), url);
    if let Some(s) = secret_text {
        request = request.secret(s);
    }
    let mut shown_headers = Vec::new();
    let mut has_content_type = false;
    // Basic credentials travel base64-encoded: that form is masked too.
    let mut encoded_pair = None;
    for (i, (name, template)) in compiled.headers.iter().enumerate() {
        let field = format!("headers[{i}].value");
        let text = template
            .render(values, Context::Header)
            .map_err(|e| render_error(e, &field))?;
        let value = header_value(&text, &field)?;
        has_content_type |= *name == CONTENT_TYPE;
        shown_headers.push(shown_header(name.as_str(), &text));
        request = request.header(name.clone(), value);
    }
    for param in &action.parameters {
        if param.location != ActionParamLocation::Header
            || compiled.used_params.contains(&param.name)
        {
            continue;
        }
        if let Some(v) = values.params.get(&param.name) {
            let field = format!("params.{}", param.name);
            let text = param_text(v);
            let name = HeaderName::from_bytes(param.name.as_bytes())
                .map_err(|_| Error::invalid(&field, "invalid_header", "not a header name"))?;
            let value = header_value(&text, &field)?;
            shown_headers.push(shown_header(name.as_str(), &text));
            request = request.header(name, value);
        }
    }
    match (auth.kind, secret_text) {
        (ActionAuthKind::Bearer, Some(s)) => {
            let value = header_value(&format!("Bearer {s}"), "auth.secret")?;
            request = request.secret_header(AUTHORIZATION, value);
            shown_headers.push(ActionHeader {
                name: "authorization".into(),
                value: format!("Bearer {MASK}"),
            });
        }
        (ActionAuthKind::Basic, _) => {
            let user = auth.username.as_deref().unwrap_or_default();
            let pair = B64.encode(format!("{user}:{}", secret_text.unwrap_or_default()));
            let value = header_value(&format!("Basic {pair}"), "auth.secret")?;
            encoded_pair = Some(pair);
            request = request.secret_header(AUTHORIZATION, value);
            shown_headers.push(ActionHeader {
                name: "authorization".into(),
                value: format!("Basic {MASK}"),
            });
        }
        (ActionAuthKind::ApiKey, Some(s))
            if auth.key_location == Some(ActionApiKeyLocation::Header) =>
        {
            let name = auth.key_name.as_deref().unwrap_or_default();
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                Error::invalid("auth.key_name", "invalid_header", "not a header name")
            })?;
            let value = header_value(s, "auth.secret")?;
            shown_headers.push(ActionHeader {
                name: name.as_str().to_owned(),
                value: MASK.into(),
            });
            request = request.secret_header(name, value);
        }
        _ => {}
    }

    let body = build_body(action, compiled, values)?;
    if let Some(b) = &body {
        if !has_content_type {
            request = request.header(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            shown_headers.push(ActionHeader {
                name: "content-type".into(),
                value: "application/json".into(),
            });
        }
        request = request.body(b.clone().into_bytes());
    }

    let mut masks = secret_masks(secret_text);
    masks.extend(encoded_pair);
    let scrub = |t: &str| {
        let m: Vec<&str> = masks.iter().map(String::as_str).collect();
        redact::scrub(t, &m)
    };
    let shown = ActionRequestShown {
        method: action.method,
        url: scrub(&redact::redact_parsed(&shown_url)),
        headers: shown_headers
            .into_iter()
            .map(|h| ActionHeader {
                name: h.name,
                value: scrub(&h.value),
            })
            .collect(),
        body: body.as_deref().map(scrub),
    };
    Ok(Built {
        request,
        shown,
        masks,
    })
}

/// A header as shown: secret-looking ones (`x-api-key`, `*token*`, …) as `***`.
fn shown_header(name: &str, value: &str) -> ActionHeader {
    ActionHeader {
        name: name.to_owned(),
        value: if redact::is_secret_header(name) {
            MASK.to_owned()
        } else {
            value.to_owned()
        },
    }
}

/// The secret as written and in the encodings it may travel in.
fn secret_masks(secret: Option<&str>) -> Vec<String> {
    let Some(s) = secret else {
        return Vec::new();
    };
    let form: String = url::form_urlencoded::byte_serialize(s.as_bytes()).collect();
    let json = serde_json::Value::String(s.to_owned()).to_string();
    let mut out = vec![
        s.to_owned(),
        form.clone(),
        form.replace('+', "%20"),
        json[1..json.len() - 1].to_owned(),
    ];
    out.sort();
    out.dedup();
    // Longest first, so a form containing another is masked whole.
    out.sort_by_key(|m| std::cmp::Reverse(m.len()));
    out
}

/// The JSON body: the template rendered (values escaped as JSON), plus the body parameters no
/// template uses as keys of the object; `None` when there is neither.
fn build_body(action: &Action, compiled: &Compiled, values: &RunValues) -> Result<Option<String>> {
    let extra: Vec<(&str, &serde_json::Value)> = action
        .parameters
        .iter()
        .filter(|p| {
            p.location == ActionParamLocation::Body && !compiled.used_params.contains(&p.name)
        })
        .filter_map(|p| values.params.get(&p.name).map(|v| (p.name.as_str(), v)))
        .collect();
    let text = match &compiled.body {
        Some(t) => Some(
            t.render(values, Context::JsonBody)
                .map_err(|e| render_error(e, "body"))?,
        ),
        None => None,
    };
    if extra.is_empty() {
        if let Some(t) = &text {
            // Checked at save with stand-in values; a value never changes the document's
            // shape, so this holds for every run.
            serde_json::from_str::<serde_json::Value>(t).map_err(|e| {
                Error::invalid("body", "invalid_json", format!("not valid JSON: {e}"))
            })?;
        }
        return Ok(text);
    }
    let mut doc = match &text {
        Some(t) => serde_json::from_str::<serde_json::Value>(t)
            .map_err(|e| Error::invalid("body", "invalid_json", format!("not valid JSON: {e}")))?,
        None => serde_json::Value::Object(Default::default()),
    };
    let obj = doc
        .as_object_mut()
        .ok_or_else(|| Error::invalid("body", "not_an_object", "the body must be a JSON object"))?;
    for (name, v) in extra {
        obj.insert(name.to_owned(), v.clone());
    }
    Ok(Some(doc.to_string()))
}

/// The outbound client of an action: its allow-list, its timeout and response cap, redirects
/// followed (each re-checked; credentials dropped when one leaves the origin). Clients are kept
/// per policy (building one loads the TLS roots, far more than a run's own work), so actions
/// with the same policy share connections; at most [`CLIENTS_KEPT`] policies are kept.
pub(crate) fn client(
    action: &Action,
    compiled: &Compiled,
) -> std::result::Result<outbound::Client, OutboundError> {
    let timeout = Duration::from_millis(action.timeout_ms.max(1));
    let policy = Policy {
        allow: compiled.allow.clone(),
        max_redirects: validate::MAX_REDIRECTS,
        connect_timeout: timeout.min(Duration::from_secs(10)),
        total_timeout: timeout,
        max_body_bytes: action.max_response_bytes,
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

/// How many action policies keep a client.
const CLIENTS_KEPT: usize = 64;

/// What came back from sending.
#[derive(Debug, Clone)]
pub(crate) struct Exchange {
    pub outcome: ActionOutcome,
    pub response: Option<ActionResponseShown>,
    /// The body as received (up to the cap), for the reply template.
    pub body: Vec<u8>,
    pub error: Option<String>,
    pub duration_ms: u64,
    masks: Vec<String>,
}

impl Exchange {
    /// `text` with the secret masked (for a reply built from a response that echoed it).
    pub fn mask(&self, text: &str) -> String {
        let m: Vec<&str> = self.masks.iter().map(String::as_str).collect();
        redact::scrub(text, &m)
    }
}

fn elapsed_ms(started: Instant) -> u64 {
    u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
}

fn outcome_of(e: &OutboundError) -> ActionOutcome {
    match e {
        OutboundError::Refused { .. } => ActionOutcome::Blocked,
        OutboundError::Timeout => ActionOutcome::Timeout,
        OutboundError::TooLarge { .. } => ActionOutcome::InvalidResponse,
        _ => ActionOutcome::HttpError,
    }
}

/// Sends the request and reads the answer (up to the action's response cap).
pub(crate) async fn execute(client: &outbound::Client, built: Built, cap: u64) -> Exchange {
    let started = Instant::now();
    let masks = built.masks.clone();
    let mask = |t: &str| {
        let m: Vec<&str> = masks.iter().map(String::as_str).collect();
        redact::scrub(t, &m)
    };
    let response = match client.fetch(built.request).await {
        Ok(r) => r,
        Err(e) => {
            return Exchange {
                outcome: outcome_of(&e),
                response: None,
                body: Vec::new(),
                error: Some(mask(&e.to_string())),
                duration_ms: elapsed_ms(started),
                masks,
            }
        }
    };
    let status = response.status();
    let headers: Vec<ActionHeader> = response
        .headers()
        .iter()
        .map(|(n, v)| {
            let text = String::from_utf8_lossy(v.as_bytes());
            let mut h = shown_header(n.as_str(), &text);
            h.value = mask(&h.value);
            h
        })
        .collect();
    let (body, over_cap) = match response.bytes_truncated(cap).await {
        Ok(b) => b,
        Err(e) => {
            return Exchange {
                outcome: outcome_of(&e),
                response: Some(ActionResponseShown {
                    status: status.as_u16(),
                    headers,
                    body: String::new(),
                    truncated: false,
                }),
                body: Vec::new(),
                error: Some(mask(&e.to_string())),
                duration_ms: elapsed_ms(started),
                masks,
            }
        }
    };
    let duration_ms = elapsed_ms(started);
    let (shown_body, cut_) = cut(&mask(&pretty(&body)), validate::LOG_BODY_MAX_BYTES);
    let (outcome, error) = if over_cap {
        (
            ActionOutcome::InvalidResponse,
            Some(format!("the response is larger than {cap} bytes")),
        )
    } else if status.is_success() {
        (ActionOutcome::Success, None)
    } else {
        (
            ActionOutcome::HttpError,
            Some(format!("the API answered {status}")),
        )
    };
    Exchange {
        outcome,
        response: Some(ActionResponseShown {
            status: status.as_u16(),
            headers,
            body: shown_body,
            truncated: cut_ || over_cap,
        }),
        body,
        error,
        duration_ms,
        masks,
    }
}

/// A body for people: JSON pretty-printed, anything else as text.
fn pretty(body: &[u8]) -> String {
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(v) => serde_json::to_string_pretty(&v).unwrap_or_default(),
        Err(_) => String::from_utf8_lossy(body).into_owned(),
    }
}

/// What the visitor is told, after a run: the reply template over the JSON response on
/// success (a response that is not JSON, or lacks what the template names, makes the outcome
/// `invalid_response`), else the failure message.
pub(crate) fn reply(
    action: &Action,
    compiled: &Compiled,
    values: &RunValues,
    exchange: &mut Exchange,
) -> Option<String> {
    if exchange.outcome == ActionOutcome::Success {
        let Some(template) = &compiled.reply else {
            return None;
        };
        let needs_response = template
            .variables()
            .iter()
            .any(|v| v.name() == "response" || v.name().starts_with("response"));
        let response = if needs_response {
            match serde_json::from_slice::<serde_json::Value>(&exchange.body) {
                Ok(v) => v,
                Err(_) => {
                    exchange.outcome = ActionOutcome::InvalidResponse;
                    exchange.error = Some("the response is not JSON".into());
                    return Some(action.failure_message.clone());
                }
            }
        } else {
            serde_json::Value::Null
        };
        let reply_values = ReplyValues {
            run: values,
            response: serde_json::json!({ "response": response }),
        };
        match template.render(&reply_values, Context::Text) {
            Ok(text) => return Some(exchange.mask(&text)),
            Err(e) => {
                exchange.outcome = ActionOutcome::InvalidResponse;
                exchange.error = Some(format!("the reply template cannot be filled: {e}"));
            }
        }
    }
    Some(action.failure_message.clone())
}
