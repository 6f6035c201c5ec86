//! Text with variables: `{{conversation.id}}` in an action's URL, headers and body, `{user_name}`
//! in a message text. A template is parsed once, when the text is saved, against the variables
//! that field may use ([`VariableSet`]); an unknown name, an unterminated `{{` or a variable where
//! none may go is a validation error at that field, in words that name the variable. Rendering
//! fills the values in and escapes each for where it goes ([`Context`]).
//!
//! # Syntax
//!
//! - [`Syntax::Double`] (actions, webhooks, reply templates): `{{name}}`, spaces allowed inside
//!   the braces (`{{ lead.email }}`). A name is dotted keys with optional indices:
//!   `conversation.id`, `metadata.plan`, `metadata_plan`, `response.items[0].name`. Keys are
//!   letters, digits, `_` and `-`; the first starts with a letter or `_`.
//! - [`Syntax::Single`] (texts the visitor reads, as the seeds' lead form writes them):
//!   `{user_name}`, `{ user_name }`, and `{{user_name}}` too, so owners used to actions are not
//!   surprised. A `{` that does not start a name (`:-{`, `{ }`, `{1}`, `{ or so`) is text, so
//!   prose seldom needs escaping; a `{` directly before a letter starts a variable, so
//!   `{user name}` or an unclosed `{user_name` is an error rather than silently shown.
//! - **Literal braces:** a backslash directly before the braces makes them text: `\{{` renders
//!   `{{` (and `\{` renders `{` in the single syntax); the backslash is dropped. Only an odd run
//!   of backslashes escapes: `\\{{id}}` keeps both backslashes and renders the variable, so a
//!   JSON body's `"C:\\{{dir}}"` (an escaped backslash, then the value) means what it says.
//!   Backslashes anywhere else are kept as written. A lone `}}` is text.
//!
//! # Values
//!
//! [`Template::render`] takes any [`Values`]: a map of names to strings, or a
//! `serde_json::Value` walked by the variable's keys and indices (a reply template over an API
//! response). A variable with no value (absent, or JSON `null`) is an error
//! ([`RenderError::Missing`]), never an empty string: an action must not call an API with a
//! blank order number, and a message with a name has its own "without name" text. Callers that
//! want to decide before rendering ask [`Template::missing`].
//!
//! # How actions use it
//!
//! An HTTP action parses, at save time, its URL with [`Template::parse_url`] (variables only
//! after the host, so the host the address guard checks and the secret-to-own-host rule is
//! fixed when saved), each header value with [`Template::parse`], and its JSON body likewise;
//! all against [`VariableSet::action`] with its parameter names. When it runs, it renders the
//! URL with [`Context::Url`] (path segments and query values each encoded for their place),
//! headers with [`Context::Header`] (CR/LF refused) and the body with [`Context::JsonBody`]
//! (every value lands inside a JSON string). The Actions page lists [`BUILTIN`] and, per
//! template, [`Template::variables`] for the test panel's sample values.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use crate::error::{Error, FieldError};

/// The conversation variables every action may use, with what each holds (as the custom-actions
/// spec lists them). `metadata.KEY` / `metadata_KEY` and `params.NAME` are added by
/// [`VariableSet::action`].
pub const BUILTIN: &[(&str, &str)] = &[
    ("conversation.id", "Unique conversation ID"),
    ("conversation.user_id", "Customer user identifier"),
    (
        "conversation.channel",
        "Channel (widget, whatsapp, slack, etc.)",
    ),
    ("message.content", "The customer's most recent message"),
    ("message.sentiment", "Sentiment of the last message"),
    ("lead.email", "Captured lead email"),
    ("lead.name", "Captured lead name"),
    ("lead.phone", "Captured lead phone"),
    ("agent.id", "The agent's unique identifier"),
    ("language", "The conversation's language"),
    ("country", "The visitor's country"),
];

/// Conversation metadata: `{{metadata.plan}}`, or the seed's `{{metadata_plan}}`.
pub const METADATA_PREFIXES: &[&str] = &["metadata.", "metadata_"];

/// The variable of a lead form's success message ("How can we help you, {user_name}?").
pub const USER_NAME: &str = "user_name";

/// Which placeholders a text uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// `{{name}}`: actions, webhooks, reply templates.
    Double,
    /// `{name}` (or `{{name}}`): message texts.
    Single,
}

/// Where a rendered text goes, which decides how each value is escaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// As is: a message the visitor reads.
    Text,
    /// One URL path segment: everything but `A-Z a-z 0-9 - . _ ~` percent-encoded (so `/`, `?`,
    /// `#`, `%` cannot change the URL's shape); a value that is empty or only dots (`..`) is
    /// refused, since it would drop or climb a segment.
    UrlPath,
    /// A query value, form-encoded (`application/x-www-form-urlencoded`: space as `+`, `&`, `=`,
    /// `#`, `+` encoded).
    UrlQuery,
    /// A whole URL: each value is encoded as [`Context::UrlPath`] before the template's first
    /// literal `?` and as [`Context::UrlQuery`] after it (the fragment too).
    Url,
    /// The inside of a JSON string: escaped per RFC 8259 (`"`, `\` and every control character).
    Json,
    /// A JSON document: a value inside a string literal is escaped as [`Context::Json`], one
    /// outside any string is written as a whole JSON string (`"…"`), so a value can never add
    /// keys or end the document.
    JsonBody,
    /// A header value: a CR, LF, NUL or other control character (tab aside) in the rendered value
    /// is refused with an error, never stripped.
    Header,
}

/// One step of a variable's name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// A variable a template uses: its name as written canonically (`response.items[0].name`) and
/// its steps.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Variable {
    name: String,
    segments: Vec<Segment>,
}

impl Variable {
    pub fn name(&self) -> &str {
        &self.name
    }
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    fn parse(text: &str) -> Option<Variable> {
        let mut segments = Vec::new();
        let mut rest = text;
        let mut first = true;
        while !rest.is_empty() || first {
            if let Some(after) = rest.strip_prefix('[') {
                if first {
                    return None;
                }
                let end = after.find(']')?;
                let digits = &after[..end];
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                segments.push(Segment::Index(digits.parse().ok()?));
                rest = &after[end + 1..];
            } else {
                if !first {
                    rest = rest.strip_prefix('.')?;
                }
                let end = rest.find(|c: char| !is_key_char(c)).unwrap_or(rest.len());
                let key = &rest[..end];
                let starts_ok = key
                    .chars()
                    .next()
                    .is_some_and(|c| !first || c.is_ascii_alphabetic() || c == '_');
                if !starts_ok {
                    return None;
                }
                segments.push(Segment::Key(key.to_owned()));
                rest = &rest[end..];
            }
            first = false;
        }
        Some(Variable {
            name: text.to_owned(),
            segments,
        })
    }
}

impl fmt::Display for Variable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

fn is_name_char(c: char) -> bool {
    is_key_char(c) || matches!(c, '.' | '[' | ']')
}

/// The variables a field may use: exact names, and prefixes under which any name is allowed
/// (`metadata.`, `response.`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VariableSet {
    names: BTreeSet<String>,
    prefixes: BTreeSet<String>,
}

impl VariableSet {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn with(mut self, name: impl Into<String>) -> Self {
        self.names.insert(name.into());
        self
    }

    /// Any name starting with `prefix` (`"metadata."` allows `metadata.plan`).
    pub fn with_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefixes.insert(prefix.into());
        self
    }

    pub fn from_names<I, S>(names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        names.into_iter().fold(Self::new(), Self::with)
    }

    /// An action's URL, headers and body: [`BUILTIN`], conversation metadata and
    /// `params.NAME` for each of the action's parameters.
    pub fn action<'a>(params: impl IntoIterator<Item = &'a str>) -> Self {
        let mut set = Self::from_names(BUILTIN.iter().map(|(name, _)| *name));
        for prefix in METADATA_PREFIXES {
            set = set.with_prefix(*prefix);
        }
        for param in params {
            set = set.with(format!("params.{param}"));
        }
        set
    }

    /// An action's reply template: what [`VariableSet::action`] allows, plus the response
    /// (`{{response}}`, `{{response.plan}}`, `{{response.items[0].name}}`, `{{response[0]}}`).
    pub fn reply<'a>(params: impl IntoIterator<Item = &'a str>) -> Self {
        Self::action(params)
            .with("response")
            .with_prefix("response.")
            .with_prefix("response[")
    }

    pub fn contains(&self, name: &str) -> bool {
        self.names.contains(name)
            || self
                .prefixes
                .iter()
                .any(|p| name.len() > p.len() && name.starts_with(p.as_str()))
    }

    /// The names in words, for messages: exact names, then each prefix as `metadata.KEY`.
    pub fn describe(&self) -> Vec<String> {
        let mut out: Vec<String> = self.names.iter().cloned().collect();
        out.extend(self.prefixes.iter().map(|p| match p.strip_suffix('[') {
            Some(base) => format!("{base}[N]"),
            None => format!("{p}KEY"),
        }));
        out
    }

    fn closest(&self, name: &str) -> Option<&str> {
        let (best, distance) = self
            .names
            .iter()
            .map(|n| (n.as_str(), edit_distance(n, name)))
            .min_by_key(|(_, d)| *d)?;
        (distance <= 2 && distance < name.chars().count()).then_some(best)
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            let next = (row[j + 1] + 1).min(row[j] + 1).min(prev + cost);
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Var(Variable),
}

/// A parsed template. Parse with [`Template::parse`] when the text is saved; render as often as
/// needed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    source: String,
    parts: Vec<Part>,
}

impl fmt::Display for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

/// Why a template could not be rendered. The message is in plain words and names the variable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    #[error("{{{{{variable}}}}} has no value")]
    Missing { variable: String },
    #[error("{{{{{variable}}}}} is {reason}")]
    Unsafe {
        variable: String,
        reason: &'static str,
    },
    #[error("the header value contains a line break or control character, which a header may not")]
    HeaderText,
}

impl From<RenderError> for Error {
    fn from(e: RenderError) -> Self {
        Error::BadRequest {
            message: e.to_string(),
            field: None,
        }
    }
}

/// Where values come from when rendering.
pub trait Values {
    /// The value of `variable` as text, or `None` when it has none.
    fn get(&self, variable: &Variable) -> Option<Cow<'_, str>>;

    /// The value as a typed JSON number or boolean, when the source knows it is one (an
    /// action's integer parameter): [`Context::JsonBody`] then writes it outside a string as
    /// that literal (`{"qty": {{params.qty}}}` → `{"qty": 3}`) instead of as a string. Text
    /// values never become JSON, so a value still cannot add keys or end the document.
    fn json(&self, _variable: &Variable) -> Option<serde_json::Value> {
        None
    }
}

impl<V: Values + ?Sized> Values for &V {
    fn get(&self, variable: &Variable) -> Option<Cow<'_, str>> {
        (**self).get(variable)
    }
    fn json(&self, variable: &Variable) -> Option<serde_json::Value> {
        (**self).json(variable)
    }
}

impl<S: AsRef<str>> Values for BTreeMap<String, S> {
    fn get(&self, variable: &Variable) -> Option<Cow<'_, str>> {
        BTreeMap::get(self, variable.name()).map(|v| Cow::Borrowed(v.as_ref()))
    }
}

impl<S: AsRef<str>> Values for HashMap<String, S> {
    fn get(&self, variable: &Variable) -> Option<Cow<'_, str>> {
        HashMap::get(self, variable.name()).map(|v| Cow::Borrowed(v.as_ref()))
    }
}

impl<S: AsRef<str>> Values for [(&str, S)] {
    fn get(&self, variable: &Variable) -> Option<Cow<'_, str>> {
        self.iter()
            .find(|(name, _)| *name == variable.name())
            .map(|(_, v)| Cow::Borrowed(v.as_ref()))
    }
}

/// Walks the variable's keys and indices from the root: `response.items[0].name` looks up
/// `response`, then `items`, then element 0, then `name`. Strings are used as they are; numbers
/// and booleans as JSON writes them; objects and arrays as compact JSON; `null` has no value.
impl Values for serde_json::Value {
    fn get(&self, variable: &Variable) -> Option<Cow<'_, str>> {
        let mut at = self;
        for segment in variable.segments() {
            at = match segment {
                Segment::Key(key) => at.as_object()?.get(key)?,
                Segment::Index(i) => at.as_array()?.get(*i)?,
            };
        }
        match at {
            serde_json::Value::Null => None,
            serde_json::Value::String(s) => Some(Cow::Borrowed(s)),
            other => Some(Cow::Owned(other.to_string())),
        }
    }
}

impl Template {
    /// Parses `text` in the `{{name}}` syntax; every variable must be in `known`. Errors are at
    /// `field` and name the variable.
    pub fn parse(text: &str, known: &VariableSet, field: &str) -> Result<Template, Error> {
        Self::parse_with(text, Syntax::Double, known, field)
    }

    /// Parses `text` in the given syntax (see the module documentation).
    pub fn parse_with(
        text: &str,
        syntax: Syntax,
        known: &VariableSet,
        field: &str,
    ) -> Result<Template, Error> {
        let mut problems = Vec::new();
        let parts = scan(text, syntax, field, &mut problems)?;
        for part in &parts {
            if let Part::Var(v) = part {
                if !known.contains(v.name()) {
                    problems.push(unknown(field, v.name(), known, syntax));
                }
            }
        }
        if problems.is_empty() {
            Ok(Template {
                source: text.to_owned(),
                parts,
            })
        } else {
            Err(Error::Validation(problems))
        }
    }

    /// Parses an action's URL: as [`Template::parse`], and it must be an absolute `http(s)` URL
    /// whose scheme and host are written out, variables coming only after the host's first `/`.
    /// The host is then known when the action is saved.
    pub fn parse_url(text: &str, known: &VariableSet, field: &str) -> Result<Template, Error> {
        let template = Self::parse(text, known, field)?;
        let prefix = match template.parts.first() {
            Some(Part::Text(t)) => t.as_str(),
            _ => "",
        };
        let has_vars = template.parts.iter().any(|p| matches!(p, Part::Var(_)));
        let rest = prefix
            .strip_prefix("https://")
            .or_else(|| prefix.strip_prefix("http://"));
        let Some(rest) = rest else {
            return Err(Error::invalid(
                field,
                "invalid_url",
                "The address must start with http:// or https://",
            ));
        };
        let authority_end = rest.find(['/', '?', '#']);
        let authority = &rest[..authority_end.unwrap_or(rest.len())];
        if authority.is_empty() || (has_vars && authority_end.is_none()) {
            return Err(Error::invalid(
                field,
                "variable_in_host",
                "Write the host out in full (https://api.example.com/…): variables may only come after it",
            ));
        }
        Ok(template)
    }

    /// The `scheme://authority` a URL template parsed by [`Template::parse_url`] starts with
    /// (variables come only after it), e.g. `https://api.example.com:8443`.
    pub fn url_origin(&self) -> Option<&str> {
        let Some(Part::Text(prefix)) = self.parts.first() else {
            return None;
        };
        let scheme_end = prefix.find("://")? + 3;
        let end = prefix[scheme_end..]
            .find(['/', '?', '#'])
            .map_or(prefix.len(), |i| scheme_end + i);
        Some(&prefix[..end])
    }

    /// The text as the owner wrote it.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The variables used, each once, in order of first use.
    pub fn variables(&self) -> Vec<&Variable> {
        let mut seen = BTreeSet::new();
        self.parts
            .iter()
            .filter_map(|p| match p {
                Part::Var(v) if seen.insert(v.name()) => Some(v),
                _ => None,
            })
            .collect()
    }

    /// The variables `values` has no value for.
    pub fn missing<V: Values + ?Sized>(&self, values: &V) -> Vec<&Variable> {
        self.variables()
            .into_iter()
            .filter(|v| values.get(v).is_none())
            .collect()
    }

    /// Fills in the values, each escaped for `context`.
    pub fn render<V: Values + ?Sized>(
        &self,
        values: &V,
        context: Context,
    ) -> Result<String, RenderError> {
        let mut out = String::with_capacity(self.source.len());
        let mut in_query = false;
        let mut json = JsonState::default();
        for part in &self.parts {
            match part {
                Part::Text(text) => {
                    out.push_str(text);
                    in_query = in_query || text.contains(['?', '#']);
                    json.advance(text);
                }
                Part::Var(var) => {
                    let value = values.get(var).ok_or_else(|| RenderError::Missing {
                        variable: var.name().to_owned(),
                    })?;
                    match context {
                        Context::Text | Context::Header => out.push_str(&value),
                        Context::UrlPath => encode_path(&mut out, var, &value)?,
                        Context::UrlQuery => encode_query(&mut out, &value),
                        Context::Url if in_query => encode_query(&mut out, &value),
                        Context::Url => encode_path(&mut out, var, &value)?,
                        Context::Json => encode_json(&mut out, &value),
                        Context::JsonBody if json.in_string => encode_json(&mut out, &value),
                        Context::JsonBody
                            if values
                                .json(var)
                                .is_some_and(|v| v.is_number() || v.is_boolean()) =>
                        {
                            if let Some(v) = values.json(var) {
                                out.push_str(&v.to_string());
                            }
                        }
                        Context::JsonBody => {
                            out.push('"');
                            encode_json(&mut out, &value);
                            out.push('"');
                        }
                    }
                }
            }
        }
        if context == Context::Header && out.chars().any(|c| c.is_control() && c != '\t') {
            // Name the variable that brought the line break, when one did.
            for var in self.variables() {
                if let Some(v) = values.get(var) {
                    if v.chars().any(|c| c.is_control() && c != '\t') {
                        return Err(RenderError::Unsafe {
                            variable: var.name().to_owned(),
                            reason: "refused in a header: its value contains a line break or control character",
                        });
                    }
                }
            }
            return Err(RenderError::HeaderText);
        }
        Ok(out)
    }
}

fn unknown(field: &str, name: &str, known: &VariableSet, syntax: Syntax) -> FieldError {
    let (open, close) = match syntax {
        Syntax::Double => ("{{", "}}"),
        Syntax::Single => ("{", "}"),
    };
    let mut message = format!("Unknown variable {open}{name}{close}");
    let choices = known.describe();
    if let Some(best) = known.closest(name) {
        message.push_str(&format!(": did you mean {open}{best}{close}?"));
        if !choices.is_empty() {
            message.push_str(&format!(" Use one of {}", choices.join(", ")));
        }
    } else if choices.is_empty() {
        message.push_str(": this text takes no variables");
    } else {
        message.push_str(&format!(": use one of {}", choices.join(", ")));
    }
    FieldError::new(field, "unknown_variable", message)
}

/// Splits `text` into literal text and variables. Syntax errors (unterminated, malformed) stop
/// the scan and are returned; unknown names are the caller's to check.
fn scan(
    text: &str,
    syntax: Syntax,
    field: &str,
    problems: &mut Vec<FieldError>,
) -> Result<Vec<Part>, Error> {
    let mut parts = Vec::new();
    let mut literal = String::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < text.len() {
        let c = bytes[i];
        if c == b'\\' {
            let run = bytes[i..].iter().take_while(|&&b| b == b'\\').count();
            let after = i + run;
            let escapes = run % 2 == 1 && opens(text, after, syntax);
            literal.push_str(&text[i..after - usize::from(escapes)]);
            i = after;
            if escapes {
                let width = if text[i..].starts_with("{{") { 2 } else { 1 };
                literal.push_str(&text[i..i + width]);
                i += width;
            }
            continue;
        }
        if c == b'{' {
            let double = text[i..].starts_with("{{");
            if double || (syntax == Syntax::Single && starts_name(&text[i + 1..])) {
                let (open, close) = if double { (2, "}}") } else { (1, "}") };
                let inner_start = i + open;
                let Some(len) = text[inner_start..].find(close) else {
                    return Err(unterminated(field, text, i, syntax));
                };
                let inner = &text[inner_start..inner_start + len];
                let name = inner.trim_matches([' ', '\t']);
                let start_of_next = text[inner_start..]
                    .find(['{', '\n'])
                    .map(|p| p < len)
                    .unwrap_or(false);
                if start_of_next {
                    return Err(unterminated(field, text, i, syntax));
                }
                match Variable::parse(name) {
                    Some(var) if name.chars().all(is_name_char) => {
                        if !literal.is_empty() {
                            parts.push(Part::Text(std::mem::take(&mut literal)));
                        }
                        parts.push(Part::Var(var));
                    }
                    _ => {
                        let shown = &text[i..inner_start + len + close.len()];
                        problems.push(FieldError::new(
                            field,
                            "invalid_variable",
                            if name.is_empty() {
                                format!("{shown} is empty: write a variable name inside the braces")
                            } else {
                                format!(
                                    "{shown} is not a variable name: use letters, digits, _ and dots (like lead.email)"
                                )
                            },
                        ));
                    }
                }
                i = inner_start + len + close.len();
                continue;
            }
        }
        let ch = text[i..].chars().next().unwrap_or_default();
        literal.push(ch);
        i += ch.len_utf8();
    }
    if !literal.is_empty() {
        parts.push(Part::Text(literal));
    }
    if problems.is_empty() {
        Ok(parts)
    } else {
        Err(Error::Validation(std::mem::take(problems)))
    }
}

/// Would the text at `at` open a placeholder (for a backslash before it to escape)?
fn opens(text: &str, at: usize, syntax: Syntax) -> bool {
    let rest = &text[at..];
    rest.starts_with("{{") || (syntax == Syntax::Single && rest.starts_with('{'))
}

/// In the single syntax, `{` starts a variable right before a name's first character
/// (`{user_name}`; then it must be one, closed), or before spaces when a whole `{ name }` follows;
/// otherwise (`:-{`, `{ }`, `{ or so`) it is text.
fn starts_name(rest: &str) -> bool {
    let is_start = |c: char| c.is_ascii_alphabetic() || c == '_';
    if rest.starts_with(is_start) {
        return true;
    }
    let trimmed = rest.trim_start_matches([' ', '\t']);
    if trimmed.len() == rest.len() || !trimmed.starts_with(is_start) {
        return false;
    }
    let after_name = trimmed.trim_start_matches(is_name_char);
    after_name.trim_start_matches([' ', '\t']).starts_with('}')
}

fn unterminated(field: &str, text: &str, at: usize, syntax: Syntax) -> Error {
    let snippet: String = text[at..].chars().take(24).collect();
    let (open, close) = if text[at..].starts_with("{{") {
        ("{{", "}}")
    } else {
        ("{", "}")
    };
    let literal = match syntax {
        Syntax::Double => "\\{{",
        Syntax::Single => "\\{",
    };
    Error::invalid(
        field,
        "unterminated_variable",
        format!(
            "{snippet}… opens a variable with {open} but does not close it with {close}: write {literal} for literal braces"
        ),
    )
}

fn encode_path(out: &mut String, var: &Variable, value: &str) -> Result<(), RenderError> {
    if value.is_empty() {
        return Err(RenderError::Unsafe {
            variable: var.name().to_owned(),
            reason: "empty, which would leave a gap in the address",
        });
    }
    if value.bytes().all(|b| b == b'.') {
        return Err(RenderError::Unsafe {
            variable: var.name().to_owned(),
            reason: "only dots, which would change the address's path",
        });
    }
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Ok(())
}

fn encode_query(out: &mut String, value: &str) {
    out.extend(url::form_urlencoded::byte_serialize(value.as_bytes()));
}

fn encode_json(out: &mut String, value: &str) {
    // serde_json escapes `"`, `\` and every control character as RFC 8259 requires.
    let quoted = serde_json::Value::String(value.to_owned()).to_string();
    out.push_str(&quoted[1..quoted.len() - 1]);
}

/// Whether the literal text so far ends inside a JSON string (values never change it: they are
/// escaped).
#[derive(Default)]
struct JsonState {
    in_string: bool,
    escaped: bool,
}

impl JsonState {
    fn advance(&mut self, text: &str) {
        for c in text.chars() {
            if self.escaped {
                self.escaped = false;
            } else if self.in_string && c == '\\' {
                self.escaped = true;
            } else if c == '"' {
                self.in_string = !self.in_string;
            }
        }
    }
}

#[cfg(test)]
mod tests;
