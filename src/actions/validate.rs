//! Every limit of an action, in one place, and the checks of a save: every invalid field is
//! reported at once, by its path (`parameters[1].name`, `headers[0].value`, `auth.secret`), and
//! templates are parsed against the variables each field may use, so an unknown variable is a
//! 422 naming the field before anything is stored.

use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

use reqwest::header::HeaderName;

use super::model::{
    ActionApiKeyLocation, ActionAuth, ActionAuthKind, ActionButton, ActionForm, ActionHeader,
    ActionInput, ActionKind, ActionMethod, ActionOnFailure, ActionParamLocation, ActionParamType,
    ActionParameter,
};
use crate::error::{Error, FieldError, Problems, Result};
use crate::outbound::Allow;
use crate::secrets::Secret;
use crate::template::{Context, Template, Values, Variable, VariableSet};

pub const NAME_MAX_CHARS: usize = 64;
pub const DESCRIPTION_MAX_CHARS: usize = 2000;
pub const WHEN_NOT_TO_USE_MAX_CHARS: usize = 1000;
pub const EXAMPLES_MAX: usize = 20;
pub const EXAMPLE_MAX_CHARS: usize = 300;
pub const URL_MAX_CHARS: usize = 2000;
pub const HEADERS_MAX: usize = 30;
pub const HEADER_NAME_MAX_CHARS: usize = 100;
pub const HEADER_VALUE_MAX_CHARS: usize = 4000;
pub const BODY_MAX_CHARS: usize = 20_000;
pub const PARAMETERS_MAX: usize = 20;
pub const PARAM_NAME_MAX_CHARS: usize = 64;
pub const PARAM_DESCRIPTION_MAX_CHARS: usize = 1000;
pub const PARAM_EXAMPLE_MAX_CHARS: usize = 200;
pub const ENUM_VALUES_MAX: usize = 50;
pub const ENUM_VALUE_MAX_CHARS: usize = 100;
pub const USERNAME_MAX_CHARS: usize = 200;
pub const KEY_NAME_MAX_CHARS: usize = 100;
pub const SECRET_MAX_CHARS: usize = 4096;
pub const TIMEOUT_DEFAULT_MS: u64 = 10_000;
pub const TIMEOUT_MIN_MS: u64 = 100;
pub const TIMEOUT_MAX_MS: u64 = 30_000;
pub const RESPONSE_DEFAULT_BYTES: u64 = 1024 * 1024;
pub const RESPONSE_MIN_BYTES: u64 = 1024;
pub const RESPONSE_MAX_BYTES: u64 = 10 * 1024 * 1024;
pub const REPLY_MAX_CHARS: usize = 2000;
pub const FAILURE_MESSAGE_MAX_CHARS: usize = 1000;
pub const ALLOW_MAX: usize = 20;
/// Request and response bodies kept in the execution log (and shown by a test), in bytes.
pub const LOG_BODY_MAX_BYTES: usize = 64 * 1024;
/// Days an execution log entry is kept by default.
pub const LOG_RETENTION_DEFAULT_DAYS: u32 = 30;
/// One page of the execution log: default and most.
pub const LOG_PAGE_DEFAULT: u32 = 50;
pub const LOG_PAGE_MAX: u32 = 200;
/// Redirects followed, each checked by the address guard again.
pub const MAX_REDIRECTS: u8 = 3;

pub const DEFAULT_FAILURE_MESSAGE: &str =
    "Sorry, I couldn't get that information right now. Please try again in a moment.";

/// Headers an action may not set itself: the transport's own, and credentials (which belong in
/// `auth`, where they are stored encrypted and never shown).
const FORBIDDEN_HEADERS: &[&str] = &[
    "host",
    "content-length",
    "transfer-encoding",
    "connection",
    "upgrade",
    "te",
    "trailer",
    "keep-alive",
    "proxy-connection",
];
const CREDENTIAL_HEADERS: &[&str] = &["authorization", "proxy-authorization"];

/// What a save does to the stored secret.
pub(crate) enum SecretChange {
    Keep,
    Clear,
    Set(Secret),
}

/// An action that passed every check, normalized, ready to store.
pub(crate) struct Valid {
    pub kind: ActionKind,
    pub form: Option<ActionForm>,
    pub button: Option<ActionButton>,
    pub name: String,
    pub description: String,
    pub when_not_to_use: String,
    pub examples: Vec<String>,
    pub active: bool,
    pub method: ActionMethod,
    pub url: String,
    pub headers: Vec<ActionHeader>,
    pub body: Option<String>,
    pub parameters: Vec<ActionParameter>,
    pub auth: ActionAuth,
    pub secret: SecretChange,
    /// The host secrets are bound to (the URL's).
    pub host: String,
    pub timeout_ms: u64,
    pub max_response_bytes: u64,
    pub reply_template: Option<String>,
    pub failure_message: String,
    pub on_failure: ActionOnFailure,
    pub allow: Vec<String>,
}

/// The stored action a save replaces: its auth, whether a secret is kept, and its host.
pub(crate) struct Existing<'a> {
    pub auth: &'a ActionAuth,
    pub host: &'a str,
}

/// The parsed templates of an action: what a run renders.
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    pub url: Template,
    pub headers: Vec<(HeaderName, Template)>,
    pub body: Option<Template>,
    pub reply: Option<Template>,
    pub allow: Vec<Allow>,
    /// The URL's host, lower-case (`api.example.com`, `[::1]`).
    pub host: String,
    /// Parameters a template of the request uses (the others are added by location).
    pub used_params: BTreeSet<String>,
    /// Parameters the reply template quotes.
    pub reply_params: BTreeSet<String>,
}

/// The parameter-name shape: a letter, then letters, digits, `_` or `-` (a template key and a
/// JSON-schema property name alike).
pub fn is_param_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && name.len() <= PARAM_NAME_MAX_CHARS
}

/// The action-name shape `^[a-z][a-z0-9_]{0,63}$`: what models accept as a tool name.
pub fn is_action_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && name.len() <= NAME_MAX_CHARS
}

/// The host of a URL origin (`https://API.example.com:8443` → `api.example.com`).
pub(crate) fn host_of(origin: &str) -> Option<String> {
    let url = url::Url::parse(&format!("{origin}/")).ok()?;
    match url.host()? {
        url::Host::Ipv6(v6) => Some(format!("[{v6}]")),
        h => Some(h.to_string().to_ascii_lowercase()),
    }
}

/// Moves the field errors of `e` into `p` (any other error becomes one at `field`).
fn absorb<T>(p: &mut Problems, field: &str, r: Result<T>) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(Error::Validation(errors)) => {
            for FieldError {
                field,
                code,
                message,
            } in errors
            {
                p.push(field, &code, message);
            }
            None
        }
        Err(other) => {
            p.push(field, "invalid", other.public_message());
            None
        }
    }
}

/// Stand-in values for checking a template's shape at save: `x` everywhere, a marker for the
/// parameter being looked for.
struct Placeholder<'a>(Option<&'a str>);

const MARK: &str = "zqzmarkzqz";

impl Values for Placeholder<'_> {
    fn get(&self, variable: &Variable) -> Option<std::borrow::Cow<'_, str>> {
        let marked = self
            .0
            .is_some_and(|p| variable.name().strip_prefix("params.") == Some(p));
        Some(if marked { MARK.into() } else { "x".into() })
    }
}

fn params_used(t: &Template, into: &mut BTreeSet<String>) {
    for v in t.variables() {
        if let Some(p) = v.name().strip_prefix("params.") {
            into.insert(p.to_owned());
        }
    }
}

/// Parses the templates of a (validated or stored) action. Errors are at the fields' paths.
pub(crate) fn compile(
    url: &str,
    headers: &[ActionHeader],
    body: Option<&str>,
    reply: Option<&str>,
    parameters: &[ActionParameter],
    allow: &[String],
) -> Result<Compiled> {
    let mut p = Problems::new();
    let names: Vec<&str> = parameters.iter().map(|x| x.name.as_str()).collect();
    let set = VariableSet::action(names.iter().copied());
    let mut used_params = BTreeSet::new();
    let url_t = absorb(&mut p, "url", Template::parse_url(url, &set, "url"));
    let mut host = String::new();
    if let Some(t) = &url_t {
        params_used(t, &mut used_params);
        match t.url_origin().and_then(host_of) {
            Some(h) => host = h,
            None => p.push("url", "invalid_url", "The address has no valid host"),
        }
        if let Ok(rendered) = t.render(&Placeholder(None), Context::Url) {
            if url::Url::parse(&rendered).is_err() {
                p.push("url", "invalid_url", "This is not a valid web address");
            }
        }
    }
    let mut header_ts = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        let field = format!("headers[{i}].value");
        let name = HeaderName::from_str(h.name.trim());
        let t = absorb(&mut p, &field, Template::parse(&h.value, &set, &field));
        if let (Ok(name), Some(t)) = (name, t) {
            params_used(&t, &mut used_params);
            header_ts.push((name, t));
        }
    }
    let body_t = body.and_then(|b| absorb(&mut p, "body", Template::parse(b, &set, "body")));
    if let Some(t) = &body_t {
        params_used(t, &mut used_params);
    }
    let reply_set = VariableSet::reply(names.iter().copied());
    let reply_t = reply.and_then(|r| {
        absorb(
            &mut p,
            "reply_template",
            Template::parse(r, &reply_set, "reply_template"),
        )
    });
    // The reply is not the request: a parameter it quotes is still sent where it goes.
    let mut reply_params = BTreeSet::new();
    if let Some(t) = &reply_t {
        params_used(t, &mut reply_params);
    }
    let mut allow_list = Vec::new();
    for (i, entry) in allow.iter().enumerate() {
        match Allow::from_str(entry) {
            Ok(a) => allow_list.push(a),
            Err(e) => p.push(format!("allow[{i}]"), "invalid_allow", e),
        }
    }
    p.into_result()?;
    let (Some(url), body, reply) = (url_t, body_t, reply_t) else {
        return Err(Error::invalid(
            "url",
            "invalid_url",
            "The address is missing",
        ));
    };
    Ok(Compiled {
        url,
        headers: header_ts,
        body,
        reply,
        allow: allow_list,
        host,
        used_params,
        reply_params,
    })
}

fn has_control(s: &str) -> bool {
    s.chars().any(|c| c.is_control() && c != '\t')
}

/// Checks a save. `existing` is the action being replaced (none for a create).
pub(crate) fn validate(input: ActionInput, existing: Option<Existing<'_>>) -> Result<Valid> {
    let mut p = Problems::new();

    let name = input.name.trim().to_owned();
    if name.is_empty() {
        p.push("name", "required", "must not be empty");
    } else if !is_action_name(&name) {
        p.push(
            "name",
            "invalid_name",
            format!(
                "use lower-case letters, digits and _ only, starting with a letter, at most \
                 {NAME_MAX_CHARS} characters (like get_order_status)"
            ),
        );
    }
    let description = input.description.trim().to_owned();
    p.max_chars("description", &description, DESCRIPTION_MAX_CHARS);
    let when_not_to_use = input.when_not_to_use.trim().to_owned();
    p.max_chars(
        "when_not_to_use",
        &when_not_to_use,
        WHEN_NOT_TO_USE_MAX_CHARS,
    );

    if input.examples.len() > EXAMPLES_MAX {
        p.push(
            "examples",
            "too_many",
            format!("at most {EXAMPLES_MAX} examples"),
        );
    }
    let mut examples = Vec::new();
    for (i, e) in input.examples.iter().enumerate() {
        let e = e.trim();
        let field = format!("examples[{i}]");
        p.not_blank(&field, e);
        p.max_chars(&field, e, EXAMPLE_MAX_CHARS);
        examples.push(e.to_owned());
    }

    if input.kind != ActionKind::Http {
        return other_kind(p, input, name, description, when_not_to_use, examples);
    }
    for (field, given) in [
        ("form", input.form.is_some()),
        ("button", input.button.is_some()),
    ] {
        if given {
            p.push(
                field,
                "not_allowed",
                format!("only a {field} action has a {field}"),
            );
        }
    }
    let method = input.method.unwrap_or_default();
    if input.method.is_none() {
        p.push(
            "method",
            "required",
            "say which method: GET, POST, PUT, PATCH or DELETE",
        );
    }
    let url = input.url.trim().to_owned();
    p.not_blank("url", &url);
    p.max_chars("url", &url, URL_MAX_CHARS);

    // Parameters.
    if input.parameters.len() > PARAMETERS_MAX {
        p.push(
            "parameters",
            "too_many",
            format!("at most {PARAMETERS_MAX} parameters"),
        );
    }
    let mut parameters = Vec::new();
    let mut seen_params = BTreeSet::new();
    for (i, param) in input.parameters.iter().enumerate() {
        let at = |f: &str| format!("parameters[{i}].{f}");
        let mut param = param.clone();
        param.name = param.name.trim().to_owned();
        param.description = param.description.trim().to_owned();
        if !is_param_name(&param.name) {
            p.push(
                at("name"),
                "invalid_name",
                format!(
                    "use letters, digits, _ and - only, starting with a letter, at most \
                     {PARAM_NAME_MAX_CHARS} characters (like order_id)"
                ),
            );
        } else if !seen_params.insert(param.name.clone()) {
            p.push(
                at("name"),
                "duplicate",
                format!("another parameter is already named {}", param.name),
            );
        }
        p.max_chars(
            &at("description"),
            &param.description,
            PARAM_DESCRIPTION_MAX_CHARS,
        );
        if let Some(e) = &param.example {
            p.max_chars(&at("example"), e, PARAM_EXAMPLE_MAX_CHARS);
        }
        match param.kind {
            ActionParamType::Enum => {
                if param.values.is_empty() {
                    p.push(
                        at("values"),
                        "required",
                        "an enum parameter lists its values",
                    );
                }
                if param.values.len() > ENUM_VALUES_MAX {
                    p.push(
                        at("values"),
                        "too_many",
                        format!("at most {ENUM_VALUES_MAX} values"),
                    );
                }
                let mut seen = BTreeSet::new();
                for (j, v) in param.values.iter().enumerate() {
                    let field = format!("parameters[{i}].values[{j}]");
                    p.not_blank(&field, v);
                    p.max_chars(&field, v, ENUM_VALUE_MAX_CHARS);
                    if !seen.insert(v.as_str()) {
                        p.push(field, "duplicate", format!("{v} is listed twice"));
                    }
                }
            }
            _ if !param.values.is_empty() => p.push(
                at("values"),
                "not_allowed",
                "only an enum parameter has values",
            ),
            _ => {}
        }
        if param.location == ActionParamLocation::Header {
            let lower = param.name.to_ascii_lowercase();
            if HeaderName::from_str(&param.name).is_err() {
                p.push(at("name"), "invalid_header", "not usable as a header name");
            } else if FORBIDDEN_HEADERS.contains(&lower.as_str())
                || CREDENTIAL_HEADERS.contains(&lower.as_str())
            {
                p.push(
                    at("name"),
                    "reserved_header",
                    format!("{} cannot be a parameter's header", param.name),
                );
            }
        }
        if param.location == ActionParamLocation::Path && !param.required {
            p.push(
                at("required"),
                "path_required",
                "a path parameter is part of the address: it must be required",
            );
        }
        if param.location == ActionParamLocation::Body && method == ActionMethod::Get {
            p.push(at("location"), "no_body", "a GET request has no body");
        }
        parameters.push(param);
    }

    // Headers.
    if input.headers.len() > HEADERS_MAX {
        p.push(
            "headers",
            "too_many",
            format!("at most {HEADERS_MAX} headers"),
        );
    }
    let mut headers = Vec::new();
    let mut seen_headers = BTreeSet::new();
    for (i, h) in input.headers.iter().enumerate() {
        let field = format!("headers[{i}].name");
        let name = h.name.trim().to_owned();
        let lower = name.to_ascii_lowercase();
        if name.is_empty() {
            p.push(&field, "required", "must not be empty");
        } else if name.chars().count() > HEADER_NAME_MAX_CHARS
            || HeaderName::from_str(&name).is_err()
        {
            p.push(&field, "invalid_header", "not a valid header name");
        } else if FORBIDDEN_HEADERS.contains(&lower.as_str()) {
            p.push(
                &field,
                "reserved_header",
                format!("{name} is set by Baton itself"),
            );
        } else if CREDENTIAL_HEADERS.contains(&lower.as_str()) {
            p.push(
                &field,
                "use_auth",
                "put credentials in auth (bearer, basic or API key): they are then stored \
                 encrypted and never shown",
            );
        } else if !seen_headers.insert(lower.clone()) {
            p.push(&field, "duplicate", format!("{name} is set twice"));
        }
        let vfield = format!("headers[{i}].value");
        p.max_chars(&vfield, &h.value, HEADER_VALUE_MAX_CHARS);
        if has_control(&h.value) {
            p.push(
                &vfield,
                "invalid_header_value",
                "a header value may not contain line breaks or control characters",
            );
        }
        headers.push(ActionHeader {
            name,
            value: h.value.clone(),
        });
    }
    for (i, param) in parameters.iter().enumerate() {
        if param.location == ActionParamLocation::Header
            && seen_headers.contains(&param.name.to_ascii_lowercase())
        {
            p.push(
                format!("parameters[{i}].name"),
                "duplicate",
                format!("the header {} is also in headers", param.name),
            );
        }
    }

    // Body.
    let body = input.body.filter(|b| !b.trim().is_empty());
    if let Some(b) = &body {
        p.max_chars("body", b, BODY_MAX_CHARS);
        if method == ActionMethod::Get {
            p.push("body", "no_body", "a GET request has no body");
        }
    }

    let reply_template = input.reply_template.filter(|r| !r.trim().is_empty());
    if let Some(r) = &reply_template {
        p.max_chars("reply_template", r, REPLY_MAX_CHARS);
    }
    let failure_message = input
        .failure_message
        .map(|m| m.trim().to_owned())
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| DEFAULT_FAILURE_MESSAGE.to_owned());
    p.max_chars(
        "failure_message",
        &failure_message,
        FAILURE_MESSAGE_MAX_CHARS,
    );

    let timeout_ms = input.timeout_ms.unwrap_or(TIMEOUT_DEFAULT_MS);
    if !(TIMEOUT_MIN_MS..=TIMEOUT_MAX_MS).contains(&timeout_ms) {
        p.push(
            "timeout_ms",
            "out_of_range",
            format!("must be between {TIMEOUT_MIN_MS} and {TIMEOUT_MAX_MS} ms"),
        );
    }
    let max_response_bytes = input.max_response_bytes.unwrap_or(RESPONSE_DEFAULT_BYTES);
    if !(RESPONSE_MIN_BYTES..=RESPONSE_MAX_BYTES).contains(&max_response_bytes) {
        p.push(
            "max_response_bytes",
            "out_of_range",
            format!("must be between {RESPONSE_MIN_BYTES} and {RESPONSE_MAX_BYTES} bytes"),
        );
    }

    if input.allow.len() > ALLOW_MAX {
        p.push("allow", "too_many", format!("at most {ALLOW_MAX} entries"));
    }
    let allow: Vec<String> = input.allow.iter().map(|a| a.trim().to_owned()).collect();

    // Templates, once every field is in shape to be parsed.
    let compiled = absorb(
        &mut p,
        "url",
        compile(
            &url,
            &headers,
            body.as_deref(),
            reply_template.as_deref(),
            &parameters,
            &allow,
        ),
    );
    if let Some(c) = &compiled {
        check_template_use(&mut p, c, &parameters, body.is_some());
    }
    let host = compiled
        .as_ref()
        .map(|c| c.host.clone())
        .unwrap_or_default();

    // Auth.
    let (auth, secret) = check_auth(&mut p, input.auth.as_ref(), existing.as_ref(), &host);
    if let (Some(name), Some(ActionApiKeyLocation::Header)) = (&auth.key_name, auth.key_location) {
        if seen_headers.contains(&name.to_ascii_lowercase()) {
            p.push(
                "auth.key_name",
                "duplicate",
                format!("the header {name} is also in headers"),
            );
        }
    }

    p.into_result()?;
    Ok(Valid {
        kind: ActionKind::Http,
        form: None,
        button: None,
        name,
        description,
        when_not_to_use,
        examples,
        active: input.active,
        method,
        url,
        headers,
        body,
        parameters,
        auth,
        secret,
        host,
        timeout_ms,
        max_response_bytes,
        reply_template,
        failure_message,
        on_failure: input.on_failure,
        allow,
    })
}

/// A form or button action: the request's fields stay empty (refused when given), the form or
/// the button is checked.
fn other_kind(
    mut p: Problems,
    input: ActionInput,
    name: String,
    description: String,
    when_not_to_use: String,
    examples: Vec<String>,
) -> Result<Valid> {
    let kind = input.kind.as_str();
    let given = [
        ("method", input.method.is_some()),
        ("url", !input.url.trim().is_empty()),
        ("headers", !input.headers.is_empty()),
        (
            "body",
            input.body.as_deref().is_some_and(|b| !b.trim().is_empty()),
        ),
        ("parameters", !input.parameters.is_empty()),
        (
            "auth",
            input
                .auth
                .as_ref()
                .is_some_and(|a| a.kind != ActionAuthKind::None),
        ),
        ("timeout_ms", input.timeout_ms.is_some()),
        ("max_response_bytes", input.max_response_bytes.is_some()),
        (
            "reply_template",
            input
                .reply_template
                .as_deref()
                .is_some_and(|r| !r.trim().is_empty()),
        ),
        ("allow", !input.allow.is_empty()),
    ];
    for (field, yes) in given {
        if yes {
            p.push(
                field,
                "not_allowed",
                format!("a {kind} action sends no request of its own (its action to run does)"),
            );
        }
    }
    let (form, button) = match input.kind {
        ActionKind::Form => {
            let f = match &input.form {
                Some(f) => Some(super::kinds::check_form(&mut p, f)),
                None => {
                    p.push("form", "required", "a form action needs its form");
                    None
                }
            };
            if input.button.is_some() {
                p.push("button", "not_allowed", "only a button action has a button");
            }
            (f, None)
        }
        _ => {
            let b = match &input.button {
                Some(b) => Some(super::kinds::check_button(&mut p, b)),
                None => {
                    p.push("button", "required", "a button action needs its button");
                    None
                }
            };
            if input.form.is_some() {
                p.push("form", "not_allowed", "only a form action has a form");
            }
            (None, b)
        }
    };
    p.into_result()?;
    Ok(Valid {
        kind: input.kind,
        form,
        button,
        name,
        description,
        when_not_to_use,
        examples,
        active: input.active,
        method: ActionMethod::Get,
        url: String::new(),
        headers: Vec::new(),
        body: None,
        parameters: Vec::new(),
        auth: ActionAuth::default(),
        secret: SecretChange::Clear,
        host: String::new(),
        timeout_ms: TIMEOUT_DEFAULT_MS,
        max_response_bytes: RESPONSE_DEFAULT_BYTES,
        reply_template: None,
        failure_message: DEFAULT_FAILURE_MESSAGE.to_owned(),
        on_failure: ActionOnFailure::Say,
        allow: Vec::new(),
    })
}

/// How templates and parameters fit together: a path parameter is in the URL's path; a
/// parameter a template uses is required (a template never renders a blank); the body is an
/// object when body parameters are added to it.
fn check_template_use(p: &mut Problems, c: &Compiled, params: &[ActionParameter], body: bool) {
    for (i, param) in params.iter().enumerate() {
        let used = c.used_params.contains(&param.name) || c.reply_params.contains(&param.name);
        if used && !param.required {
            p.push(
                format!("parameters[{i}].required"),
                "template_requires",
                format!(
                    "{{{{params.{}}}}} is used in a template, so it must be required (a \
                     template never sends a blank value)",
                    param.name
                ),
            );
        }
        if param.location == ActionParamLocation::Path {
            let in_path = c
                .url
                .render(&Placeholder(Some(&param.name)), Context::Url)
                .ok()
                .and_then(|u| {
                    let end = u.find(['?', '#']).unwrap_or(u.len());
                    u.find(MARK).map(|at| at < end)
                })
                .unwrap_or(false);
            if !in_path {
                p.push(
                    format!("parameters[{i}].location"),
                    "path_not_in_url",
                    format!(
                        "write {{{{params.{}}}}} in the address's path where the value goes",
                        param.name
                    ),
                );
            }
        }
    }
    let body_params = params
        .iter()
        .any(|x| x.location == ActionParamLocation::Body && !c.used_params.contains(&x.name));
    if let (true, Some(t)) = (body, &c.body) {
        match t.render(&Placeholder(None), Context::JsonBody) {
            Ok(text) => match serde_json::from_str::<serde_json::Value>(&text) {
                Ok(v) if body_params && !v.is_object() => p.push(
                    "body",
                    "not_an_object",
                    "body parameters are added as keys: the body must be a JSON object",
                ),
                Ok(_) => {}
                Err(e) => p.push(
                    "body",
                    "invalid_json",
                    format!("not valid JSON (with the variables filled in): {e}"),
                ),
            },
            Err(e) => p.push("body", "invalid_template", e.to_string()),
        }
    }
}

fn check_auth(
    p: &mut Problems,
    input: Option<&super::model::ActionAuthInput>,
    existing: Option<&Existing<'_>>,
    host: &str,
) -> (ActionAuth, SecretChange) {
    let Some(input) = input else {
        // Omitted: a create has none; a save keeps what is stored, if its host is unchanged.
        return match existing {
            None => (ActionAuth::default(), SecretChange::Clear),
            Some(e) => {
                if e.auth.has_secret && e.host != host {
                    secret_host_changed(p);
                }
                (e.auth.clone(), SecretChange::Keep)
            }
        };
    };
    let mut auth = ActionAuth {
        kind: input.kind,
        ..ActionAuth::default()
    };
    let stored = existing.is_some_and(|e| e.auth.has_secret);
    let mut change = match input.secret.as_deref() {
        None => SecretChange::Keep,
        Some("") => SecretChange::Clear,
        Some(s) => {
            if s.chars().count() > SECRET_MAX_CHARS {
                p.push(
                    "auth.secret",
                    "too_long",
                    format!("must be at most {SECRET_MAX_CHARS} characters"),
                );
            }
            if has_control(s) || s.contains('\t') {
                p.push(
                    "auth.secret",
                    "invalid_secret",
                    "the secret may not contain line breaks or control characters",
                );
            }
            SecretChange::Set(Secret::new(s))
        }
    };
    match input.kind {
        ActionAuthKind::None => change = SecretChange::Clear,
        ActionAuthKind::Bearer => {}
        ActionAuthKind::Basic => {
            let user = input.username.as_deref().unwrap_or("").trim();
            if user.is_empty() {
                p.push("auth.username", "required", "basic auth needs a user name");
            } else if user.contains(':') || has_control(user) {
                p.push(
                    "auth.username",
                    "invalid_username",
                    "a basic-auth user name may not contain ':' or control characters",
                );
            }
            p.max_chars("auth.username", user, USERNAME_MAX_CHARS);
            auth.username = Some(user.to_owned());
        }
        ActionAuthKind::ApiKey => {
            let name = input.key_name.as_deref().unwrap_or("").trim();
            match input.key_location {
                None => p.push(
                    "auth.key_location",
                    "required",
                    "say where the key goes: header or query",
                ),
                Some(ActionApiKeyLocation::Header) => {
                    let lower = name.to_ascii_lowercase();
                    if HeaderName::from_str(name).is_err()
                        || FORBIDDEN_HEADERS.contains(&lower.as_str())
                    {
                        p.push(
                            "auth.key_name",
                            "invalid_header",
                            "not a usable header name",
                        );
                    }
                }
                Some(ActionApiKeyLocation::Query) => {
                    if name.is_empty() || has_control(name) {
                        p.push("auth.key_name", "required", "name the query parameter");
                    }
                }
            }
            p.max_chars("auth.key_name", name, KEY_NAME_MAX_CHARS);
            auth.key_location = input.key_location;
            auth.key_name = Some(name.to_owned());
        }
    }
    auth.has_secret = match &change {
        SecretChange::Keep => stored,
        SecretChange::Clear => false,
        SecretChange::Set(_) => true,
    };
    if matches!(change, SecretChange::Keep) && stored {
        if let Some(e) = existing {
            if e.host != host {
                secret_host_changed(p);
            }
        }
    }
    if input.kind != ActionAuthKind::None && !auth.has_secret {
        let what = match input.kind {
            ActionAuthKind::Basic => "the password",
            ActionAuthKind::ApiKey => "the API key",
            _ => "the token",
        };
        // A basic-auth password may be empty (some APIs use the user name alone).
        if input.kind != ActionAuthKind::Basic {
            p.push("auth.secret", "required", format!("enter {what}"));
        }
    }
    (auth, change)
}

fn secret_host_changed(p: &mut Problems) {
    p.push(
        "auth.secret",
        "secret_host_changed",
        "the address's host changed: enter the credentials again (a stored secret is only \
         sent to the host it was saved for)",
    );
}

/// Sample or extracted parameter values checked against the declared parameters: each typed
/// (an integer becomes a JSON number, an enum value its declared spelling), unknown names and
/// missing required ones reported at `params.NAME`.
pub(crate) fn check_params(
    declared: &[ActionParameter],
    given: &BTreeMap<String, serde_json::Value>,
) -> Result<BTreeMap<String, serde_json::Value>> {
    use serde_json::Value;
    let mut p = Problems::new();
    let mut out = BTreeMap::new();
    for name in given.keys() {
        if !declared.iter().any(|d| &d.name == name) {
            p.push(
                format!("params.{name}"),
                "unknown_parameter",
                "this action has no such parameter",
            );
        }
    }
    for d in declared {
        let field = format!("params.{}", d.name);
        let value = match given.get(&d.name) {
            None | Some(Value::Null) => {
                if d.required {
                    p.push(&field, "required", "a value is required");
                }
                continue;
            }
            Some(v) => v,
        };
        let text = match value {
            Value::String(s) => s.trim().to_owned(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => {
                p.push(
                    &field,
                    "invalid_value",
                    "must be a string, a number or a boolean",
                );
                continue;
            }
        };
        let typed = match d.kind {
            ActionParamType::String => Some(Value::String(match value {
                Value::String(s) => s.clone(),
                _ => text.clone(),
            })),
            ActionParamType::Integer => text.parse::<i64>().ok().map(Value::from),
            ActionParamType::Number => {
                text.parse::<f64>()
                    .ok()
                    .filter(|f| f.is_finite())
                    .and_then(|f| {
                        // Keep integers as integers so they are written without a fraction.
                        text.parse::<i64>()
                            .map(Value::from)
                            .ok()
                            .or_else(|| serde_json::Number::from_f64(f).map(Value::Number))
                    })
            }
            ActionParamType::Boolean => match text.to_ascii_lowercase().as_str() {
                "true" => Some(Value::Bool(true)),
                "false" => Some(Value::Bool(false)),
                _ => None,
            },
            ActionParamType::Email => {
                crate::fields::is_valid_email(&text).then(|| Value::String(text.clone()))
            }
            ActionParamType::Enum => d
                .values
                .iter()
                .find(|v| v.eq_ignore_ascii_case(&text))
                .map(|v| Value::String(v.clone())),
        };
        match typed {
            Some(v) => {
                out.insert(d.name.clone(), v);
            }
            None => p.push(
                &field,
                "invalid_value",
                match d.kind {
                    ActionParamType::Integer => "must be a whole number".to_owned(),
                    ActionParamType::Number => "must be a number".to_owned(),
                    ActionParamType::Boolean => "must be true or false".to_owned(),
                    ActionParamType::Email => "must be an email address".to_owned(),
                    ActionParamType::Enum => format!("must be one of {}", d.values.join(", ")),
                    ActionParamType::String => "must be text".to_owned(),
                },
            ),
        }
    }
    p.into_result()?;
    Ok(out)
}

/// Sample conversation variables: only names an action's templates may use.
pub(crate) fn check_variables(
    declared: &[ActionParameter],
    given: &BTreeMap<String, String>,
) -> Result<()> {
    let set = VariableSet::action(declared.iter().map(|d| d.name.as_str()));
    let mut p = Problems::new();
    for name in given.keys() {
        if name.starts_with("params.") || !set.contains(name) {
            p.push(
                format!("variables.{name}"),
                "unknown_variable",
                format!(
                    "not a conversation variable: use one of {}",
                    crate::template::BUILTIN
                        .iter()
                        .map(|(n, _)| *n)
                        .chain(["metadata.KEY"])
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
    }
    p.into_result()
}
